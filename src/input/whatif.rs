//! What-ifs aimed where planners aim them: `--set PATH=VALUE` changes any
//! value of a scenario by its path, absolutely or relatively, plus a few
//! virtual paths (arrival and handle-time scales, a team's agents whatever
//! its staffing form, a volume split to another team).
//!
//! The what-ifs are applied to the parsed TOML document, which is then
//! written out and read, validated and compiled like the file itself, so
//! a value a file may not hold is refused for the same reason, in the same
//! words; only the place differs: a problem names the `--set` it came
//! from instead of a line of the file. The file is compiled as written
//! first, so its own problems keep their places. The arrival and
//! handle-time scales are applied to the compiled model, exactly as
//! `--volume-scale` and `--aht-scale` are, so `--set volume=1.2` and
//! `--volume-scale 1.2` give the same bytes.
//!
//! A path names tables by key, entries of `[[queue]]`, `[[team]]` (and any
//! array whose entries have a `name`) by name, and any array entry by
//! index: `team.Austin.cost_per_hour`, `queue.support-en.target.max_asa_s`,
//! `team.Krakow.shift[0].agents`, `team[1].agents`.

use std::collections::BTreeMap;

use toml::{Table, Value};

use super::compile::{compile, Compiled};
use crate::diagnostic::{Diagnostic, ScenarioError};
use crate::model::plan::Plan;
use crate::model::Model;

/// Most paths a message suggests for an unknown one.
const NEAREST: usize = 3;

/// One what-if: a path and the change to its value, and how reports
/// echo it.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    path: String,
    change: Change,
    /// The flag that gave it, without dashes (`set`, `volume-scale`).
    flag: &'static str,
    /// Its value as the flag took it (`PATH=VALUE`, a factor).
    value: String,
    /// How messages name it: `--set PATH=VALUE`.
    origin: String,
}

/// What an what-if does to a value.
#[derive(Debug, Clone, PartialEq)]
enum Change {
    /// Replace it with this text (a TOML value, or a bare string).
    To(String),
    /// Add this (`+N`, `-N`).
    Add(f64),
    /// Multiply by this (`*F`).
    Mul(f64),
}

impl WhatIf {
    /// Reads `PATH=VALUE` as given to `--set`: a leading `+` or `-` on the
    /// value makes it relative (added), a leading `*` a factor; anything
    /// else replaces the value.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (path, value) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?} is not PATH=VALUE, such as team.Austin.cost_per_hour=36"))?;
        let (path, value) = (path.trim(), value.trim());
        if path.is_empty() || value.is_empty() {
            return Err(format!("{text:?} is not PATH=VALUE: give both, such as team.Austin.cost_per_hour=36"));
        }
        let number =
            |s: &str| {
                s.trim().parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| {
                    format!("{text:?}: {value:?} is not a relative change; give +N, -N or *F with a number")
                })
            };
        let change = match value.as_bytes()[0] {
            b'+' => Change::Add(number(&value[1..])?),
            b'-' => Change::Add(-number(&value[1..])?),
            b'*' => Change::Mul(number(&value[1..])?),
            _ => Change::To(value.to_string()),
        };
        let text = format!("{path}={value}");
        Ok(WhatIf { path: path.to_string(), change, flag: "set", origin: format!("--set {text}"), value: text })
    }

    /// `--volume-scale F` (every arrival rate × F) or `--aht-scale F`
    /// (every handle time × F), as the what-if `volume=*F` or `aht=*F`.
    pub fn scale_flag(aht: bool, factor: f64) -> Self {
        let (path, flag) = if aht { ("aht", "aht-scale") } else { ("volume", "volume-scale") };
        WhatIf {
            path: path.to_string(),
            change: Change::Mul(factor),
            flag,
            value: factor.to_string(),
            origin: format!("--{flag} {}", crate::diagnostic::shown(factor)),
        }
    }

    /// The same what-if, named `origin` in messages (`--vary …`).
    pub fn with_origin(mut self, origin: String) -> Self {
        self.origin = origin;
        self
    }

    /// The flag that gave it, without dashes (`set`, `volume-scale`).
    pub fn flag(&self) -> &'static str {
        self.flag
    }

    /// Its value as the flag took it: `PATH=VALUE` for `--set`, the factor
    /// for a scale flag.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// An what-if that cannot be applied, or a scenario that does not
/// validate with the what-ifs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WhatIfError {
    /// The path names nothing in the scenario.
    #[error("{file}: {origin}: no such path in the scenario; nearest: {}", nearest.join(", "))]
    UnknownPath {
        /// The scenario file.
        file: String,
        /// The what-if, as a message names it.
        origin: String,
        /// The valid paths nearest to it.
        nearest: Vec<String>,
    },
    /// The value does not fit the path: wrong type, a relative change of
    /// something that is not a number or not set, a share out of range.
    #[error("{file}: {origin}: {message}")]
    Value {
        /// The scenario file.
        file: String,
        /// The what-if.
        origin: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The scenario with the what-ifs fails validation.
    #[error("{}", problems.iter().map(|p| format!("{file}: {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The scenario file.
        file: String,
        /// Each problem, naming the what-if it came from where one did.
        problems: Vec<String>,
    },
}

crate::fault::blame!(Input: WhatIfError);

/// A scenario file read once, to which what-ifs are applied.
#[derive(Debug, Clone)]
pub struct Base {
    file: String,
    doc: Table,
    warnings: Vec<Diagnostic>,
}

impl Base {
    /// Reads, validates and compiles `source` as written (its problems
    /// keep their places); `file` names it in messages.
    pub fn new(source: &str, file: &str) -> Result<(Base, Compiled), ScenarioError> {
        let compiled = compile(source, file)?;
        let doc: Table = toml::from_str(source).expect("a scenario that compiled is a TOML table");
        Ok((Base { file: file.to_string(), doc, warnings: compiled.warnings.clone() }, compiled))
    }

    /// The scenario with `what_ifs` applied in order, validated and
    /// compiled, `[plan]` included (a volume scale moves the plan's
    /// monthly volumes of the queues it scales); warnings the file did
    /// not raise already name the what-ifs.
    pub fn apply(&self, what_ifs: &[WhatIf]) -> Result<Compiled, WhatIfError> {
        let (edit, copies) = self.edited(what_ifs)?;
        let text = self.written(&edit.doc)?;
        let compiled = compile(&text, &self.file).map_err(|e| edit.invalid(what_ifs, e.diagnostics))?;
        let (model, plan) = edit.scale(compiled.model, compiled.plan, what_ifs, &copies)?;
        let warnings = compiled
            .warnings
            .into_iter()
            .filter(|w| !self.warnings.iter().any(|b| b.field == w.field && b.message == w.message))
            .map(|w| Diagnostic {
                line_col: None,
                field: edit.shown_field(&w.field),
                message: format!("{} ({})", w.message, edit.blame(what_ifs, &w.field)),
            })
            .collect();
        Ok(Compiled { model, plan, warnings })
    }

    /// The scenario with `what_ifs` applied, as a TOML document whose
    /// values hold them all: scales multiply the arrival volumes and
    /// handle times they name (a split's copy with its queue), so the
    /// file compiles to the model [`Base::apply`] gives (up to the last
    /// bit of a rate). The file's comments and layout are not kept.
    pub fn document(&self, what_ifs: &[WhatIf]) -> Result<String, WhatIfError> {
        let (mut edit, copies) = self.edited(what_ifs)?;
        let n = edit.doc.get("queue").and_then(Value::as_array).map_or(0, Vec::len);
        for (scale, &(factor, _)) in &edit.scales {
            for q in scale.queues(n, &copies) {
                let queue = edit.doc.get_mut("queue").and_then(|v| v.get_mut(q)).and_then(Value::as_table_mut);
                let Some(queue) = queue else { continue };
                if scale.aht {
                    scale_handle_time(queue, factor);
                } else {
                    scale_arrivals(queue, factor);
                }
            }
        }
        self.written(&edit.doc)
    }

    /// A copy of the document with `what_ifs` applied and the splits
    /// made (each copy's queue index with its queue's); scales are only
    /// noted.
    fn edited(&self, what_ifs: &[WhatIf]) -> Result<(Edit<'_>, Vec<(usize, usize)>), WhatIfError> {
        let mut edit = Edit {
            doc: self.doc.clone(),
            base: &self.doc,
            file: &self.file,
            touched: Vec::new(),
            scales: BTreeMap::new(),
            splits: BTreeMap::new(),
        };
        for (k, o) in what_ifs.iter().enumerate() {
            edit.apply(k, o)?;
        }
        let copies = edit.split_queues(what_ifs)?;
        Ok((edit, copies))
    }

    fn written(&self, doc: &Table) -> Result<String, WhatIfError> {
        toml::to_string(doc).map_err(|e| WhatIfError::Invalid {
            file: self.file.to_string(),
            problems: vec![format!("the scenario with the what_ifs cannot be written as TOML: {e}")],
        })
    }
}

/// Reads and compiles `source` with `what_ifs`: the file's own problems
/// as a [`ScenarioError`], the what-ifs' as an [`WhatIfError`].
pub fn load(source: &str, file: &str, what_ifs: &[WhatIf]) -> Result<Compiled, LoadError> {
    let (base, loaded) = Base::new(source, file)?;
    if what_ifs.is_empty() {
        return Ok(loaded);
    }
    Ok(base.apply(what_ifs)?)
}

/// Why [`load`] failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    /// The file itself has problems.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// An what-if does not apply, or the scenario with it is invalid.
    #[error(transparent)]
    WhatIf(#[from] WhatIfError),
}

crate::fault::blame!(Input: LoadError);

/// One step of a path: a key of a table or an entry of an array.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// What a path names.
enum Target {
    /// Every queue's arrivals (`volume`) or handle times (`aht`), or one
    /// queue's: a factor applied to the compiled model.
    Scale(Scale),
    /// A share of queue `.0`'s contacts moved to team `.1`.
    Split(usize, usize),
    /// Team `.0`'s agents, whatever its staffing form.
    TeamAgents(usize),
    /// Team `.0`'s headcount: its agents in total, spread over its shift
    /// blocks in proportion.
    TeamHeadcount(usize),
    /// A value of the document, found (or to be created) by these steps.
    Value(Vec<Step>),
}

/// A scale and what it scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Scale {
    /// Handle times rather than arrivals.
    aht: bool,
    /// One queue, or every queue.
    queue: Option<usize>,
}

impl Scale {
    /// The queues it scales among `n`: every one, or its queue and the
    /// copies split off it (`copies`: each copy's index with its queue's).
    fn queues(&self, n: usize, copies: &[(usize, usize)]) -> Vec<usize> {
        match self.queue {
            None => (0..n).collect(),
            Some(q) => std::iter::once(q).chain(copies.iter().filter(|c| c.1 == q).map(|c| c.0)).collect(),
        }
    }
}

/// Overrides being applied to a copy of the document.
struct Edit<'a> {
    doc: Table,
    /// The document as the file has it.
    base: &'a Table,
    file: &'a str,
    /// Per what-if, the document paths it touched (`team[1].agents`).
    touched: Vec<(usize, String)>,
    /// Per scale, its factor and the last what-if that set it.
    scales: BTreeMap<Scale, (f64, usize)>,
    /// Per (queue, team), the share moved and the last what-if that set it.
    splits: BTreeMap<(usize, usize), (f64, usize)>,
}

impl<'a> Edit<'a> {
    fn value_error(&self, o: &WhatIf, message: String) -> WhatIfError {
        WhatIfError::Value { file: self.file.to_string(), origin: o.origin.clone(), message }
    }

    /// Applies what-if `k`.
    fn apply(&mut self, k: usize, o: &WhatIf) -> Result<(), WhatIfError> {
        let target = self.target(o)?;
        match target {
            Target::Scale(scale) => {
                let current = self.scales.get(&scale).map_or(1.0, |s| s.0);
                let factor = number_changed(current, &o.change).map_err(|m| self.value_error(o, m))?;
                if !(factor.is_finite() && factor > 0.0) {
                    return Err(self.value_error(o, format!("the factor would be {factor}; allowed: more than 0")));
                }
                self.scales.insert(scale, (factor, k));
            }
            Target::Split(q, t) => {
                let current = self.splits.get(&(q, t)).map_or(0.0, |s| s.0);
                let share = number_changed(current, &o.change).map_err(|m| self.value_error(o, m))?;
                if !(0.0..=1.0).contains(&share) {
                    let message = format!("the share moved would be {share}; allowed: a share from 0 to 1");
                    return Err(self.value_error(o, message));
                }
                self.splits.insert((q, t), (share, k));
            }
            Target::TeamAgents(t) => {
                self.team_agents(t, o)?;
                self.touched.push((k, format!("team[{t}].agents")));
                self.touched.push((k, format!("team[{t}].shift")));
            }
            Target::TeamHeadcount(t) => {
                self.team_headcount(t, o)?;
                self.touched.push((k, format!("team[{t}].agents")));
                self.touched.push((k, format!("team[{t}].shift")));
            }
            Target::Value(steps) => {
                let shown = self.shown_steps(&steps);
                let change = &o.change;
                edit_at(&mut self.doc, &steps, &mut |old| changed(old, change, &shown))
                    .map_err(|m| self.value_error(o, m))?;
                self.touched.push((k, index_path(&steps)));
            }
        }
        Ok(())
    }

    /// What `o`'s path names, virtual paths first.
    fn target(&self, o: &WhatIf) -> Result<Target, WhatIfError> {
        let path = o.path.as_str();
        match path {
            "volume" => return Ok(Target::Scale(Scale { aht: false, queue: None })),
            "aht" => return Ok(Target::Scale(Scale { aht: true, queue: None })),
            _ => {}
        }
        if let Some((q, rest)) = path.strip_prefix("queue").and_then(|r| entry(&self.doc, "queue", r)) {
            match rest {
                ".arrivals.scale" => return Ok(Target::Scale(Scale { aht: false, queue: Some(q) })),
                ".handle_time.scale" => return Ok(Target::Scale(Scale { aht: true, queue: Some(q) })),
                _ => {}
            }
            if let Some(team) = rest.strip_prefix(".split.") {
                return match names(&self.doc, "team").iter().position(|n| n == team) {
                    Some(t) => Ok(Target::Split(q, t)),
                    None => Err(self.unknown(o)),
                };
            }
        }
        match path.strip_prefix("team").and_then(|r| entry(&self.doc, "team", r)) {
            Some((t, ".agents")) => return Ok(Target::TeamAgents(t)),
            Some((t, ".headcount")) => return Ok(Target::TeamHeadcount(t)),
            _ => {}
        }
        resolve(&self.doc, path).map(Target::Value).ok_or_else(|| self.unknown(o))
    }

    fn unknown(&self, o: &WhatIf) -> WhatIfError {
        self.unknown_among(o, &[])
    }

    /// `o` names nothing: the nearest of the scenario's paths, the virtual
    /// paths and `more`.
    fn unknown_among(&self, o: &WhatIf, more: &[String]) -> WhatIfError {
        let mut paths = paths(self.base);
        paths.extend(more.iter().cloned());
        paths.sort();
        paths.dedup();
        WhatIfError::UnknownPath {
            file: self.file.to_string(),
            origin: o.origin.clone(),
            nearest: nearest(&o.path, &paths),
        }
    }

    /// Team `t`'s agents changed: with shifts, each shift's agents (its
    /// own, else the team's default) and the default; without, the agents
    /// on duty all the time.
    fn team_agents(&mut self, t: usize, o: &WhatIf) -> Result<(), WhatIfError> {
        let team = self.doc["team"].as_array().and_then(|a| a[t].as_table()).expect("an entry found is a table");
        let name = format!("team.{}.agents", team.get("name").and_then(Value::as_str).unwrap_or_default());
        let default = team.get("agents").cloned();
        let shifts = team.get("shift").and_then(Value::as_array).map_or(0, Vec::len);
        if default.is_none() && shifts == 0 {
            let message = format!(
                "{name} is not set and the team has no [[team.shift]] (its shifts come from rules, for wfmsim schedule); give it agents in the file"
            );
            return Err(self.value_error(o, message));
        }
        let whole = |v: Value| match v {
            Value::Integer(_) => Ok(v),
            other => Err(format!("{name} is a whole number of agents; {} is not", other)),
        };
        let new_default = match &default {
            Some(d) => Some(changed(Some(d), &o.change, &name).and_then(whole).map_err(|m| self.value_error(o, m))?),
            None => None,
        };
        let mut new_shifts = Vec::new();
        let team = &self.doc["team"][t];
        for k in 0..shifts {
            let own = team["shift"][k].get("agents").or(default.as_ref());
            let value = changed(own, &o.change, &format!("{name} (shift[{k}])")).and_then(whole);
            new_shifts.push(value.map_err(|m| self.value_error(o, m))?);
        }
        let team = self.doc.get_mut("team").and_then(|v| v.get_mut(t)).and_then(Value::as_table_mut);
        let team = team.expect("the team was found");
        if let Some(d) = new_default {
            team.insert("agents".into(), d);
        }
        if let Some(Value::Array(list)) = team.get_mut("shift") {
            for (shift, agents) in list.iter_mut().zip(new_shifts) {
                if let Some(s) = shift.as_table_mut() {
                    s.insert("agents".into(), agents);
                }
            }
        }
        Ok(())
    }

    /// Team `t`'s headcount changed: the agents of all its shift blocks
    /// together (each block's own, else the team's default) set, added to
    /// or multiplied (the result rounded to the nearest whole agent), then
    /// spread over the blocks in proportion to their agents by the largest
    /// remainder (ties to the earlier block). Without shifts, the agents on
    /// duty all the time.
    fn team_headcount(&mut self, t: usize, o: &WhatIf) -> Result<(), WhatIfError> {
        let team = self.doc["team"].as_array().and_then(|a| a[t].as_table()).expect("an entry found is a table");
        let name = format!("team.{}.headcount", team.get("name").and_then(Value::as_str).unwrap_or_default());
        let default = team.get("agents").and_then(Value::as_integer);
        let blocks: Vec<i64> = match team.get("shift").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => {
                list.iter().map(|s| s.get("agents").and_then(Value::as_integer).or(default).unwrap_or(0)).collect()
            }
            _ => match default {
                Some(n) => vec![n],
                None => {
                    let message = format!(
                        "{name}: the team has neither agents nor [[team.shift]] (its shifts come from rules, for wfmsim schedule); give it agents in the file"
                    );
                    return Err(self.value_error(o, message));
                }
            },
        };
        let current: i64 = blocks.iter().sum();
        let total = number_changed(current as f64, &o.change).map_err(|m| self.value_error(o, m))?.round();
        if !(0.0..=1e9).contains(&total) {
            let message = format!("{name} would be {total}; allowed: a whole number of agents from 0");
            return Err(self.value_error(o, message));
        }
        if current == 0 && total > 0.0 {
            let message = format!(
                "{name}: the team's blocks have no agents to spread a headcount over in proportion; set team.X.agents or each shift's agents"
            );
            return Err(self.value_error(o, message));
        }
        let spread = largest_remainder(&blocks, total as i64);
        let team = self.doc.get_mut("team").and_then(|v| v.get_mut(t)).and_then(Value::as_table_mut);
        let team = team.expect("the team was found");
        match team.get_mut("shift") {
            Some(Value::Array(list)) if !list.is_empty() => {
                for (shift, agents) in list.iter_mut().zip(spread) {
                    if let Some(s) = shift.as_table_mut() {
                        s.insert("agents".into(), Value::Integer(agents));
                    }
                }
            }
            _ => {
                team.insert("agents".into(), Value::Integer(spread[0]));
            }
        }
        Ok(())
    }

    /// Moves each split's share of its queue's contacts to a copy of the
    /// queue, `QUEUE@TEAM`, that only that team takes (at its priority for
    /// the queue, else 1, without delay); the queue keeps the rest, and
    /// its initial backlog. Returns each copy's queue index with the queue
    /// it came from.
    fn split_queues(&mut self, what_ifs: &[WhatIf]) -> Result<Vec<(usize, usize)>, WhatIfError> {
        let mut by_queue: BTreeMap<usize, Vec<(usize, f64, usize)>> = BTreeMap::new();
        for (&(q, t), &(share, k)) in &self.splits {
            by_queue.entry(q).or_default().push((t, share, k));
        }
        let queue_names = names(&self.doc, "queue");
        let team_names = names(&self.doc, "team");
        let mut copies = Vec::new();
        for (q, splits) in by_queue {
            let moved: f64 = splits.iter().map(|s| s.1).sum();
            if moved > 1.0 + 1e-9 {
                let last = &what_ifs[splits.iter().map(|s| s.2).max().expect("a split")];
                let message = format!(
                    "the splits of queue {:?} move {} of its contacts; allowed: shares that add up to at most 1",
                    queue_names[q], moved
                );
                return Err(self.value_error(last, message));
            }
            let original = self.doc["queue"][q].clone();
            for &(t, share, k) in splits.iter().filter(|s| s.1 > 0.0) {
                let name = format!("{}@{}", queue_names[q], team_names[t]);
                let mut copy = original.clone();
                if let Some(c) = copy.as_table_mut() {
                    c.insert("name".into(), Value::String(name.clone()));
                    c.remove("initial_backlog");
                    scale_arrivals(c, share);
                }
                let queues = self.doc.get_mut("queue").and_then(Value::as_array_mut).expect("queues were found");
                queues.push(copy);
                let index = queues.len() - 1;
                copies.push((index, q));
                self.touched.push((k, format!("queue[{index}]")));
                self.touched.push((k, format!("team[{t}].skills")));
                let priority = skill_priority(&self.doc["team"][t], &queue_names[q]);
                let team = self.doc.get_mut("team").and_then(|v| v.get_mut(t)).and_then(Value::as_table_mut);
                if let Some(Value::Array(skills)) = team.and_then(|t| t.get_mut("skills")) {
                    let mut skill = Table::new();
                    skill.insert("queue".into(), Value::String(name));
                    skill.insert("priority".into(), Value::Integer(priority));
                    skills.push(Value::Table(skill));
                }
            }
            let queue = self.doc.get_mut("queue").and_then(|v| v.get_mut(q)).and_then(Value::as_table_mut);
            scale_arrivals(queue.expect("the queue was found"), (1.0 - moved).max(0.0));
            for &(_, _, k) in &splits {
                self.touched.push((k, format!("queue[{q}].arrivals")));
            }
        }
        Ok(copies)
    }

    /// The compiled model with the scales applied (a queue's scale also to
    /// the copies split off it), refused as `--volume-scale` is; a volume
    /// scale also multiplies the monthly volumes `plan` gives the queues
    /// it scales.
    fn scale(
        &self,
        mut model: Model,
        mut plan: Option<Plan>,
        what_ifs: &[WhatIf],
        copies: &[(usize, usize)],
    ) -> Result<(Model, Option<Plan>), WhatIfError> {
        for (scale, &(factor, k)) in &self.scales {
            let queues = scale.queues(model.queues.len(), copies);
            let scaled = if scale.aht {
                model.with_aht_scale_of(&queues, factor)
            } else {
                model.with_volume_scale_of(&queues, factor)
            };
            model = scaled.map_err(|e| self.value_error(&what_ifs[k], e.to_string()))?;
            if let (false, Some(plan)) = (scale.aht, plan.as_mut()) {
                for q in plan.queues.iter_mut().filter(|q| queues.contains(&q.queue)) {
                    q.volume.iter_mut().for_each(|v| *v *= factor);
                }
            }
        }
        Ok((model, plan))
    }

    /// The compiler's problems with the overridden document, each naming
    /// the what-if it came from; an unknown key an what-if created is
    /// an unknown path.
    fn invalid(&self, what_ifs: &[WhatIf], diagnostics: Vec<Diagnostic>) -> WhatIfError {
        for d in &diagnostics {
            if let (Some(k), Some(expected)) = (self.culprit(&d.field), unknown_field(&d.message)) {
                let parent = d.field.rsplit_once('.').map_or(String::new(), |(p, _)| self.shown_field(p) + ".");
                let siblings: Vec<String> = expected.iter().map(|e| format!("{parent}{e}")).collect();
                return self.unknown_among(&what_ifs[k], &siblings);
            }
        }
        let problems = diagnostics
            .iter()
            .map(|d| format!("{}: {}: {}", self.blame(what_ifs, &d.field), self.shown_field(&d.field), d.message))
            .collect();
        WhatIfError::Invalid { file: self.file.to_string(), problems }
    }

    /// The what-if that touched `field` last, if one did.
    fn culprit(&self, field: &str) -> Option<usize> {
        let related = |a: &str, b: &str| {
            a.strip_prefix(b).is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
                || b.strip_prefix(a).is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
        };
        self.touched.iter().rev().find(|(_, path)| related(field, path)).map(|(k, _)| *k)
    }

    /// The what-if to blame for a problem at `field`: the one that touched
    /// it, else all of them.
    fn blame(&self, what_ifs: &[WhatIf], field: &str) -> String {
        match self.culprit(field) {
            Some(k) => what_ifs[k].origin.clone(),
            None => {
                let all: Vec<&str> = what_ifs.iter().map(|o| o.origin.as_str()).collect();
                format!("with {}", all.join(" "))
            }
        }
    }

    /// A field path of the compiler (`team[1].shift[0].agents`) with the
    /// named entries by name (`team.Krakow.shift[0].agents`).
    fn shown_field(&self, field: &str) -> String {
        let mut steps = Vec::new();
        for part in field.split('.') {
            let mut pieces = part.split('[');
            steps.push(Step::Key(pieces.next().unwrap_or_default().to_string()));
            for index in pieces {
                match index.trim_end_matches(']').parse() {
                    Ok(i) => steps.push(Step::Index(i)),
                    Err(_) => return field.to_string(),
                }
            }
        }
        self.shown_steps(&steps)
    }

    /// Steps as a user writes them: entries with a name by name.
    fn shown_steps(&self, steps: &[Step]) -> String {
        let mut out = String::new();
        let mut at: Option<&Value> = None;
        for (i, step) in steps.iter().enumerate() {
            match step {
                Step::Key(key) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(key);
                    at = if i == 0 { self.doc.get(key) } else { at.and_then(|v| v.get(key)) };
                }
                Step::Index(k) => {
                    let entry = at.and_then(|v| v.get(*k));
                    match entry.and_then(|e| e.get("name")).and_then(Value::as_str) {
                        Some(name) => out.push_str(&format!(".{name}")),
                        None => out.push_str(&format!("[{k}]")),
                    }
                    at = entry;
                }
            }
        }
        out
    }
}

/// The entry of array `key` of the document that `rest` starts with
/// (`.NAME` or `[i]`), with what follows it.
fn entry<'p>(doc: &Table, key: &str, rest: &'p str) -> Option<(usize, &'p str)> {
    let list = doc.get(key)?.as_array()?;
    pick(list, rest)
}

/// The entry of `list` that `rest` starts with: `[i]`, or `.NAME` for an
/// entry with that name (the longest, so names may hold dots).
fn pick<'p>(list: &[Value], rest: &'p str) -> Option<(usize, &'p str)> {
    if let Some(r) = rest.strip_prefix('[') {
        let (index, after) = r.split_once(']')?;
        let i: usize = index.trim().parse().ok()?;
        return (i < list.len()).then_some((i, after));
    }
    let r = rest.strip_prefix('.')?;
    let named = list.iter().enumerate().filter_map(|(i, v)| Some((i, v.get("name")?.as_str()?)));
    named
        .filter(|(_, name)| r.strip_prefix(name).is_some_and(|after| after.is_empty() || after.starts_with(['.', '['])))
        .max_by_key(|(_, name)| name.len())
        .map(|(i, name)| (i, &r[name.len()..]))
}

/// The names of array `key`'s entries.
fn names(doc: &Table, key: &str) -> Vec<String> {
    let list = doc.get(key).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    list.iter().map(|v| v.get("name").and_then(Value::as_str).unwrap_or_default().to_string()).collect()
}

/// Where a path stands in the document while it is followed.
#[derive(Clone, Copy)]
enum Place<'a> {
    Table(&'a Table),
    Array(&'a [Value]),
    Leaf,
    /// Past the last existing table: keys to create.
    Missing,
}

impl<'a> Place<'a> {
    fn of(v: &'a Value) -> Self {
        match v {
            Value::Table(t) => Place::Table(t),
            Value::Array(a) => Place::Array(a),
            _ => Place::Leaf,
        }
    }
}

/// Finds `path` in the document; keys past the last existing table are
/// to be created (the compiler then judges them). `None` where the path
/// names an entry that does not exist or goes through a value.
fn resolve(doc: &Table, path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut at = Place::Table(doc);
    let mut rest = path;
    loop {
        match at {
            Place::Array(list) => {
                let (i, after) = pick(list, rest)?;
                steps.push(Step::Index(i));
                at = Place::of(&list[i]);
                rest = after;
            }
            Place::Table(_) | Place::Missing => {
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                let key = &rest[..end];
                if key.is_empty() {
                    return None;
                }
                steps.push(Step::Key(key.to_string()));
                rest = &rest[end..];
                at = match at {
                    Place::Table(t) => t.get(key).map_or(Place::Missing, Place::of),
                    _ => Place::Missing,
                };
            }
            Place::Leaf => return None,
        }
        if rest.is_empty() {
            return Some(steps);
        }
        if !matches!(at, Place::Array(_)) {
            rest = rest.strip_prefix('.')?;
        }
    }
}

/// Replaces the value at `steps` (a key first) with `f` of the old one,
/// creating the tables on the way.
fn edit_at(
    table: &mut Table,
    steps: &[Step],
    f: &mut dyn FnMut(Option<&Value>) -> Result<Value, String>,
) -> Result<(), String> {
    match steps {
        [Step::Key(k)] => {
            let new = f(table.get(k))?;
            table.insert(k.clone(), new);
            Ok(())
        }
        [Step::Key(k), rest @ ..] => {
            let next = table.entry(k.clone()).or_insert_with(|| Value::Table(Table::new()));
            edit_value(next, rest, f)
        }
        _ => Err("a path starts with a key".into()),
    }
}

fn edit_value(
    value: &mut Value,
    steps: &[Step],
    f: &mut dyn FnMut(Option<&Value>) -> Result<Value, String>,
) -> Result<(), String> {
    match (value, steps) {
        (Value::Table(t), _) => edit_at(t, steps, f),
        (Value::Array(a), [Step::Index(i), rest @ ..]) if *i < a.len() => {
            if rest.is_empty() {
                a[*i] = f(Some(&a[*i]))?;
                Ok(())
            } else {
                edit_value(&mut a[*i], rest, f)
            }
        }
        _ => Err("the path goes through a value".into()),
    }
}

/// What a value is, in a scenario author's words.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::String(_) => "a string",
        Value::Boolean(_) => "true or false",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
        Value::Datetime(_) => "a date",
    }
}

/// The value `shown` (a path, for messages) takes under `change`: the
/// same type as `old` (a whole number may stand for a number, and a
/// string is taken as written); a relative change of a whole number stays
/// whole (a factor rounds to the nearest).
fn changed(old: Option<&Value>, change: &Change, shown: &str) -> Result<Value, String> {
    let relative = |x: f64| match change {
        Change::Add(d) => x + d,
        Change::Mul(f) => x * f,
        Change::To(_) => x,
    };
    match (change, old) {
        (Change::To(text), _) => replaced(old, text, shown),
        (_, None) => Err(format!(
            "{shown} is not set in the scenario; a relative change needs a value to change: give a value instead"
        )),
        (Change::Add(d), Some(Value::Integer(_))) if d.fract() != 0.0 => {
            Err(format!("{shown} holds a whole number; {d:+} would make it a fraction"))
        }
        (_, Some(Value::Integer(i))) => {
            let x = relative(*i as f64).round();
            if x.abs() > 9e15 {
                return Err(format!("{shown} would be {x}, past the whole numbers a scenario holds"));
            }
            Ok(Value::Integer(x as i64))
        }
        (_, Some(Value::Float(x))) => Ok(Value::Float(relative(*x))),
        (_, Some(other)) => {
            Err(format!("{shown} holds {}; a relative change (+N, -N, *F) needs a number", kind(other)))
        }
    }
}

/// `old` replaced by `text`: a TOML value of `old`'s type, or the text as
/// written where `old` is a string (or absent and `text` is no TOML value).
fn replaced(old: Option<&Value>, text: &str, shown: &str) -> Result<Value, String> {
    let parsed = toml::from_str::<Table>(&format!("v = {text}")).ok().and_then(|mut t| t.remove("v"));
    match (old, parsed) {
        (None, Some(new)) => Ok(new),
        (Some(Value::String(_)), Some(Value::String(s))) => Ok(Value::String(s)),
        (Some(Value::String(_)) | None, _) => Ok(Value::String(text.to_string())),
        (Some(Value::Float(_)), Some(Value::Integer(i))) => Ok(Value::Float(i as f64)),
        (Some(old), Some(new)) if std::mem::discriminant(old) == std::mem::discriminant(&new) => Ok(new),
        (Some(old), _) => Err(format!("{shown} holds {}; {text:?} is not one", kind(old))),
    }
}

/// `current` under `change`, for a virtual path holding a number.
fn number_changed(current: f64, change: &Change) -> Result<f64, String> {
    match change {
        Change::To(text) => text.parse::<f64>().map_err(|_| format!("{text:?} is not a number")),
        Change::Add(d) => Ok(current + d),
        Change::Mul(f) => Ok(current * f),
    }
}

/// A queue's arrival volumes × `factor`: its rate, rates or daily volumes.
fn scale_arrivals(queue: &mut Table, factor: f64) {
    let Some(Value::Table(arrivals)) = queue.get_mut("arrivals") else { return };
    let scaled = |v: &mut Value| {
        if let Some(x) = v.as_float().or_else(|| v.as_integer().map(|i| i as f64)) {
            *v = Value::Float(x * factor);
        }
    };
    for (key, value) in arrivals.iter_mut() {
        match (key.as_str(), value) {
            ("rate_per_hour", v) => scaled(v),
            ("rates_per_hour" | "daily", Value::Array(list)) => list.iter_mut().for_each(scaled),
            _ => {}
        }
    }
}

/// A queue's handle times × `factor`: its mean (or constant value).
fn scale_handle_time(queue: &mut Table, factor: f64) {
    let Some(Value::Table(handle)) = queue.get_mut("handle_time") else { return };
    for key in ["mean_s", "value_s"] {
        if let Some(v) = handle.get_mut(key) {
            if let Some(x) = v.as_float().or_else(|| v.as_integer().map(|i| i as f64)) {
                *v = Value::Float(x * factor);
            }
        }
    }
}

/// The priority at which `team` takes `queue` (1 when it does not).
fn skill_priority(team: &Value, queue: &str) -> i64 {
    let skills = team.get("skills").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let priority = skills.iter().find_map(|s| match s {
        Value::String(name) if name == queue => Some(1),
        Value::Table(t) if t.get("queue").and_then(Value::as_str) == Some(queue) => {
            Some(t.get("priority").and_then(Value::as_integer).unwrap_or(1))
        }
        _ => None,
    });
    priority.unwrap_or(1)
}

/// `total` spread over blocks in proportion to `weights` (whole numbers
/// ≥ 0, not all 0 unless `total` is 0): each its floor, then one more to
/// the largest remainders, ties to the earlier block. The parts sum to
/// `total`.
fn largest_remainder(weights: &[i64], total: i64) -> Vec<i64> {
    let sum: i64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    // Exact in integers: weight × total / sum, its floor and remainder.
    let mut parts: Vec<i64> = weights.iter().map(|&w| (w as i128 * total as i128 / sum as i128) as i64).collect();
    let mut order: Vec<(usize, i128)> =
        weights.iter().enumerate().map(|(k, &w)| (k, w as i128 * total as i128 % sum as i128)).collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let short = total - parts.iter().sum::<i64>();
    for &(k, _) in order.iter().take(short.max(0) as usize) {
        parts[k] += 1;
    }
    parts
}

/// Steps as the compiler names fields: `team[1].shift[0].agents`.
fn index_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => out.push_str(&format!(".{k}")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Every path of the scenario as a user writes it, and the virtual paths.
fn paths(doc: &Table) -> Vec<String> {
    let (queues, teams) = (names(doc, "queue"), names(doc, "team"));
    let mut out = vec!["volume".to_string(), "aht".to_string()];
    for q in &queues {
        out.push(format!("queue.{q}.arrivals.scale"));
        out.push(format!("queue.{q}.handle_time.scale"));
        out.extend(teams.iter().map(|t| format!("queue.{q}.split.{t}")));
    }
    out.extend(teams.iter().map(|t| format!("team.{t}.agents")));
    out.extend(teams.iter().map(|t| format!("team.{t}.headcount")));
    for (key, value) in doc {
        walk(value, key.clone(), &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn walk(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Table(t) => {
            for (key, v) in t {
                walk(v, format!("{path}.{key}"), out);
            }
        }
        Value::Array(list) if list.iter().any(Value::is_table) => {
            for (i, v) in list.iter().enumerate() {
                match v.get("name").and_then(Value::as_str) {
                    Some(name) => walk(v, format!("{path}.{name}"), out),
                    None => walk(v, format!("{path}[{i}]"), out),
                }
            }
        }
        _ => out.push(path),
    }
}

/// The [`NEAREST`] `candidates` nearest to `path` by edit distance.
fn nearest(path: &str, candidates: &[String]) -> Vec<String> {
    let mut scored: Vec<(usize, &String)> = candidates.iter().map(|c| (strsim::levenshtein(path, c), c)).collect();
    scored.sort();
    scored.into_iter().take(NEAREST).map(|(_, c)| c.clone()).collect()
}

/// serde's `unknown field `x`, expected one of `a`, `b``: the fields
/// expected.
fn unknown_field(message: &str) -> Option<Vec<String>> {
    let (_, expected) = message.strip_prefix("unknown field `")?.split_once("expected")?;
    Some(expected.split('`').skip(1).step_by(2).map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: &str = include_str!("../../scenarios/follow-the-sun-week.toml");
    const OMNI: &str = include_str!("../../scenarios/omnichannel-week.toml");

    fn with(source: &str, sets: &[&str]) -> Result<Model, WhatIfError> {
        let (base, _) = Base::new(source, "s.toml").unwrap();
        let what_ifs: Vec<WhatIf> = sets.iter().map(|s| WhatIf::parse(s).unwrap()).collect();
        base.apply(&what_ifs).map(|l| l.model)
    }

    fn error(source: &str, sets: &[&str]) -> String {
        with(source, sets).unwrap_err().to_string()
    }

    #[test]
    fn largest_remainder_spreads_a_total_in_proportion_and_sums_to_it() {
        assert_eq!(largest_remainder(&[26, 24, 8], 68), [31, 28, 9]);
        assert_eq!(largest_remainder(&[26, 24, 8], 64), [29, 26, 9]);
        assert_eq!(largest_remainder(&[1, 1, 1], 2), [1, 1, 0], "ties go to the earlier block");
        assert_eq!(largest_remainder(&[0, 0], 0), [0, 0]);
        for total in 0..200 {
            assert_eq!(largest_remainder(&[26, 24, 8, 3], total).iter().sum::<i64>(), total);
        }
    }

    #[test]
    fn a_headcount_what_if_spreads_agents_over_the_blocks_where_agents_adds_to_each() {
        let krakow = |m: &Model| {
            let mut agents: Vec<u32> = m.shifts.iter().filter(|s| s.team == 1).map(|s| s.agents).collect();
            agents.sort_unstable();
            agents.dedup();
            agents
        };
        // Krakow's blocks hold 26, 24 and 8 agents: 58.
        assert_eq!(krakow(&with(WEEK, &[]).unwrap()), [8, 24, 26]);
        assert_eq!(krakow(&with(WEEK, &["team.Krakow.headcount=+10"]).unwrap()), [9, 28, 31]);
        assert_eq!(krakow(&with(WEEK, &["team.Krakow.agents=+10"]).unwrap()), [18, 34, 36]);
        // ×1.1 is 63.8, rounded to 64.
        assert_eq!(krakow(&with(WEEK, &["team.Krakow.headcount=*1.1"]).unwrap()), [9, 26, 29]);
        assert_eq!(krakow(&with(WEEK, &["team.Krakow.headcount=29"]).unwrap()), [4, 12, 13]);
        let e = error(WEEK, &["team.Krakow.headcount=-100"]);
        assert!(e.contains("team.Krakow.headcount would be -42; allowed: a whole number of agents from 0"), "{e}");
        let e = error(WEEK, &["team.Krakw.headcount=+1"]);
        assert!(e.contains("nearest: team.Krakow.headcount"), "{e}");
    }

    /// The document written out and read again compiles to the same model:
    /// an what-if changes only what it names.
    #[test]
    fn every_shipped_scenario_compiles_to_the_same_model_through_the_document() {
        for source in [
            WEEK,
            OMNI,
            include_str!("../../scenarios/single-queue-day.toml"),
            include_str!("../../scenarios/dst-fall-back-day.toml"),
            include_str!("../../scenarios/rosters-week.toml"),
        ] {
            let (base, loaded) = Base::new(source, "s.toml").unwrap();
            let again = base.apply(&[]).unwrap();
            assert_eq!(format!("{:?}", again.model), format!("{:?}", loaded.model));
            assert!(again.warnings.is_empty());
        }
    }

    /// The document with the what-ifs written into its values compiles
    /// to the model the what-ifs give, scales and splits included (rates
    /// to the last bits of their products).
    #[test]
    fn the_written_document_compiles_to_the_overridden_model() {
        let sets = [
            "volume=*1.2",
            "queue.support-de.handle_time.scale=0.9",
            "queue.support-en.split.Manila BPO=0.25",
            "queue.support-en.arrivals.scale=1.1",
            "team.Krakow.agents=+2",
            "team.Austin.cost_per_hour=40",
        ];
        let what_ifs: Vec<WhatIf> = sets.iter().map(|s| WhatIf::parse(s).unwrap()).collect();
        let (base, _) = Base::new(WEEK, "s.toml").unwrap();
        let applied = base.apply(&what_ifs).unwrap().model;
        let written = compile(&base.document(&what_ifs).unwrap(), "w.toml").unwrap().model;
        let rates =
            |m: &Model| m.queues.iter().flat_map(|q| q.arrivals.iter().map(|a| a.rate_per_s)).collect::<Vec<_>>();
        for (a, w) in rates(&applied).iter().zip(rates(&written)) {
            assert!((a - w).abs() <= 1e-12 * a.abs(), "{a} {w}");
        }
        assert_eq!(rates(&applied).len(), rates(&written).len());
        let mut applied = applied;
        let mut written = written;
        for q in applied.queues.iter_mut().chain(written.queues.iter_mut()) {
            q.arrivals.clear();
        }
        assert_eq!(format!("{applied:?}"), format!("{written:?}"));
        assert_eq!(written.queues.len(), 3);
        assert_eq!(written.teams[0].price, crate::model::price::Price::PerHour(40.0));
    }

    #[test]
    fn absolute_and_relative_changes_reach_the_model() {
        let m = with(WEEK, &["team.Austin.cost_per_hour=36", "team.Krakow.shift[1].agents=-4"]).unwrap();
        assert_eq!(m.teams[0].price, crate::model::price::Price::PerHour(36.0));
        let krakow: Vec<u32> = m.shifts.iter().filter(|s| s.team == 1).map(|s| s.agents).collect();
        assert!(krakow.contains(&20) && !krakow.contains(&24), "{krakow:?}");
        let m = with(WEEK, &["team.Manila BPO.cost_per_hour=*1.5", "scenario.days=2"]).unwrap();
        assert_eq!(m.teams[2].price, crate::model::price::Price::PerHour(21.0));
        assert_eq!(m.days.len(), 2);
        // A key the file does not set, in a table it does not have.
        let m = with(WEEK, &["queue.support-de.target.max_asa_s=25", "team[0].cost_per_hour=+1"]).unwrap();
        assert_eq!(m.queues[1].targets.max_asa_s, Some(25.0));
        assert_eq!(m.teams[0].price, crate::model::price::Price::PerHour(35.0));
    }

    #[test]
    fn team_agents_change_whatever_the_staffing_form() {
        let base = with(WEEK, &[]).unwrap();
        let m = with(WEEK, &["team.Krakow.agents=+3"]).unwrap();
        let krakow = |m: &Model| m.shifts.iter().filter(|s| s.team == 1).map(|s| s.agents).collect::<Vec<_>>();
        let expected: Vec<u32> = krakow(&base).iter().map(|a| a + 3).collect();
        assert_eq!(krakow(&m), expected);
        let m = with(WEEK, &["team.Krakow.agents=10"]).unwrap();
        assert!(krakow(&m).iter().all(|&a| a == 10));
        let single = include_str!("../../scenarios/single-queue-day.toml");
        let m = with(single, &["team.Dallas.agents=-2"]).unwrap();
        let b = with(single, &[]).unwrap();
        let total = |m: &Model| m.shifts.iter().map(|s| s.agents).sum::<u32>();
        assert_eq!(total(&m) + 2 * b.shifts.len() as u32, total(&b));
    }

    #[test]
    fn scales_are_applied_as_the_flags_apply_them() {
        let base = with(WEEK, &[]).unwrap();
        let flag = base.clone().with_volume_scale(1.3).unwrap();
        let set = with(WEEK, &["volume=1.3"]).unwrap();
        assert_eq!(format!("{set:?}"), format!("{flag:?}"));
        let one =
            with(WEEK, &["queue.support-de.arrivals.scale=1.3", "queue.support-en.handle_time.scale=*0.5"]).unwrap();
        assert_eq!(one.queues[0].arrivals, base.queues[0].arrivals);
        assert_eq!(one.queues[1].arrivals, flag.queues[1].arrivals);
        assert_eq!(one.queues[0].handle_time.mean_s(), 150.0);
    }

    #[test]
    fn a_split_moves_a_share_of_a_queue_to_a_copy_only_the_team_takes() {
        let base = with(WEEK, &[]).unwrap();
        let m = with(WEEK, &["queue.support-de.split.Manila BPO=0.25"]).unwrap();
        assert_eq!(m.queues.len(), 3);
        assert_eq!(m.queues[2].name, "support-de@Manila BPO");
        assert_eq!(m.queues[2].served_by, vec![2]);
        let volume = |q: &crate::model::Queue| q.mean_rate(0.0, m.report_end_s());
        assert!((volume(&m.queues[2]) - 0.25 * volume(&base.queues[1])).abs() < 1e-9);
        assert!((volume(&m.queues[1]) - 0.75 * volume(&base.queues[1])).abs() < 1e-9);
        // A queue's scale follows its contacts into the copy.
        let s = with(WEEK, &["queue.support-de.split.Manila BPO=0.25", "queue.support-de.arrivals.scale=2"]).unwrap();
        assert!((volume(&s.queues[2]) - 0.5 * volume(&base.queues[1])).abs() < 1e-9);
        let e = error(WEEK, &["queue.support-de.split.Austin=0.7", "queue.support-de.split.Manila BPO=0.5"]);
        assert!(e.contains("move 1.2 of its contacts"), "{e}");
    }

    #[test]
    fn unknown_paths_name_the_nearest() {
        let e = error(WEEK, &["team.Krakw.agents=+2"]);
        assert_eq!(
            e,
            "s.toml: --set team.Krakw.agents=+2: no such path in the scenario; nearest: team.Krakow.agents, team.Austin.agents, team.Krakow.name"
        );
        let e = error(WEEK, &["team.Austin.cost_per_hr=30"]);
        assert!(e.contains("nearest: team.Austin.cost_per_hour,"), "{e}");
        let e = error(WEEK, &["queue.support-en.target.service_lvl=0.9"]);
        assert!(e.contains("nearest: queue.support-en.target.service_level,"), "{e}");
        let e = error(WEEK, &["volum=1.1"]);
        assert!(e.contains("nearest: volume,"), "{e}");
    }

    #[test]
    fn values_of_the_wrong_type_are_refused_before_anything_compiles() {
        assert_eq!(
            error(WEEK, &["team.Austin.cost_per_hour=cheap"]),
            "s.toml: --set team.Austin.cost_per_hour=cheap: team.Austin.cost_per_hour holds a number; \"cheap\" is not one"
        );
        let e = error(WEEK, &["team.Krakow.shift[0].agents=+1.5"]);
        assert!(e.contains("holds a whole number; +1.5 would make it a fraction"), "{e}");
        let e = error(WEEK, &["scenario.timezone=+1"]);
        assert!(e.contains("holds a string; a relative change"), "{e}");
        let e = error(WEEK, &["queue.support-de.target.max_asa_s=+5"]);
        assert!(e.contains("is not set in the scenario"), "{e}");
    }

    #[test]
    fn values_the_file_may_not_hold_are_refused_naming_the_override() {
        let e = error(WEEK, &["team.Krakow.agents=-30"]);
        assert!(
            e.starts_with("s.toml: --set team.Krakow.agents=-30: team.Krakow.shift[0].agents: -4 is out of range"),
            "{e}"
        );
        let e = error(WEEK, &["scenario.interval_minutes=20"]);
        assert_eq!(
            e,
            "s.toml: --set scenario.interval_minutes=20: scenario.interval_minutes: 20 is not an interval; allowed: 15, 30, 60"
        );
        let e = error(WEEK, &["queue.support-en.handle_time.scale=1e9"]);
        assert!(e.starts_with("s.toml: --set queue.support-en.handle_time.scale=1e9: 1000000000 makes queue"), "{e}");
    }
}
