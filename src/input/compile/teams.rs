//! Validation and compilation of `[[team]]` and its skills: which queues a
//! team takes, in which priority, after what delay (overflow) and how many
//! chats at once.

use std::collections::BTreeMap;

use toml::Spanned;

use super::Compiler;
use crate::diagnostic::shown;
use crate::input::written::TeamSpec;
use crate::model::{Queue, Skill, Team, MAX_CONCURRENCY, MAX_TEAM_AGENTS};

/// Keys a skill entry may have.
const SKILL_KEYS: &str = "queue, priority, after_s, concurrency";
/// Longest overflow delay, seconds (a week).
const MAX_AFTER_S: f64 = 7.0 * 86_400.0;

/// A skill entry as read: the queue's name and its settings.
struct SkillEntry {
    name: String,
    priority: i64,
    after_s: f64,
    concurrency: Option<i64>,
}

impl Compiler<'_> {
    pub(super) fn team(
        &mut self,
        i: usize,
        t: &TeamSpec,
        names: &BTreeMap<String, usize>,
        queues: &[Option<Queue>],
    ) -> Option<Team> {
        let mut levels: BTreeMap<i64, Vec<Skill>> = BTreeMap::new();
        let mut ok = true;
        for (k, entry) in t.skills.get_ref().iter().enumerate() {
            let field = format!("team[{i}].skills[{k}]");
            match self.skill(entry, &field, names, queues) {
                Some((_, skill)) if levels.values().flatten().any(|s| s.queue == skill.queue) => {
                    let name = queues_name(names, skill.queue);
                    self.p.at(entry.span(), &field, format!("{name:?} is listed twice; list each queue once"));
                    ok = false;
                }
                Some((priority, skill)) => levels.entry(priority).or_default().push(skill),
                None => ok = false,
            }
        }
        if t.skills.get_ref().is_empty() {
            self.p.at(t.skills.span(), format!("team[{i}].skills"), "is empty; list at least one queue");
            ok = false;
        }
        ok &= self.team_agents(i, t);
        let cost_per_hour = match &t.cost_per_hour {
            Some(v) => {
                let c = self.cost_per_hour(v, &format!("team[{i}].cost_per_hour"));
                ok &= c.is_some();
                c
            }
            None => None,
        };
        ok.then(|| Team {
            name: t.name.get_ref().clone(),
            skills_by_priority: levels.into_values().collect(),
            cost_per_hour,
            timezone: jiff::tz::TimeZone::UTC,
            rules: Vec::new(),
            max_part_time_share: None,
            outages: Vec::new(),
            holidays: Vec::new(),
            absence: crate::model::Absence::default(),
        })
    }

    /// Whether the team's `agents` is in range, or present where needed.
    fn team_agents(&mut self, i: usize, t: &TeamSpec) -> bool {
        match &t.agents {
            Some(a) => {
                let allowed = format!("0 to {MAX_TEAM_AGENTS}");
                self.p.int_in(a, &format!("team[{i}].agents"), 0, MAX_TEAM_AGENTS, &allowed).is_some()
            }
            None if t.shift.is_empty() && t.shift_rule.is_empty() => {
                self.p.at(
                    t.name.span(),
                    format!("team[{i}].agents"),
                    "is missing; a team with no [[team.shift]] and no [[team.shift_rule]] needs agents (on duty all the time)",
                );
                false
            }
            _ => true,
        }
    }

    /// One skill entry, compiled with its priority.
    fn skill(
        &mut self,
        entry: &Spanned<toml::Value>,
        field: &str,
        names: &BTreeMap<String, usize>,
        queues: &[Option<Queue>],
    ) -> Option<(i64, Skill)> {
        let read = read_skill(entry.get_ref());
        let e = match read {
            Ok(e) => e,
            Err(message) => {
                self.p.at(entry.span(), field, message);
                return None;
            }
        };
        let mut ok = true;
        if !(1..=1000).contains(&e.priority) {
            self.p.at(entry.span(), field, format!("priority {} is not allowed; use 1 (first) to 1000", e.priority));
            ok = false;
        }
        if !(e.after_s.is_finite() && (0.0..=MAX_AFTER_S).contains(&e.after_s)) {
            self.p.at(
                entry.span(),
                field,
                format!("after_s {} is not allowed; seconds from 0 to {MAX_AFTER_S}", shown(e.after_s)),
            );
            ok = false;
        }
        let Some(&q) = names.get(&e.name) else {
            let known: Vec<_> = names.keys().map(|k| format!("{k:?}")).collect();
            let known = if known.is_empty() { "none".into() } else { known.join(", ") };
            self.p.at(entry.span(), field, format!("{:?} names no queue; queues are: {known}", e.name));
            return None;
        };
        let queue = queues.get(q).and_then(Option::as_ref);
        let concurrency = match (e.concurrency, queue) {
            (None, q) => q.map_or(1, |q| q.concurrency),
            (Some(c), Some(queue)) if !queue.channel.is_concurrent() => {
                self.p.at(
                    entry.span(),
                    field,
                    format!(
                        "concurrency {c} applies to chat queues only; {:?} is a {} queue",
                        e.name,
                        queue.channel.name()
                    ),
                );
                ok = false;
                1
            }
            (Some(c), _) if !(1..=MAX_CONCURRENCY).contains(&c) => {
                self.p.at(
                    entry.span(),
                    field,
                    format!(
                        "concurrency {c} is out of range; allowed: a whole number of chats from 1 to {MAX_CONCURRENCY}"
                    ),
                );
                ok = false;
                1
            }
            (Some(c), _) => c as u32,
        };
        ok.then_some((e.priority, Skill { queue: q, after_s: e.after_s, concurrency }))
    }
}

fn queues_name(names: &BTreeMap<String, usize>, q: usize) -> String {
    names.iter().find(|(_, &i)| i == q).map_or_else(String::new, |(n, _)| n.clone())
}

/// A skill entry: a queue name, or an inline table of [`SKILL_KEYS`].
fn read_skill(value: &toml::Value) -> Result<SkillEntry, String> {
    let table = match value {
        toml::Value::String(name) => {
            return Ok(SkillEntry { name: name.clone(), priority: 1, after_s: 0.0, concurrency: None })
        }
        toml::Value::Table(t) => t,
        other => {
            return Err(format!(
                "found {}; a skill is a queue name or an inline table with {SKILL_KEYS}",
                other.type_str()
            ))
        }
    };
    if let Some(unknown) = table.keys().find(|k| !SKILL_KEYS.split(", ").any(|a| a == k.as_str())) {
        return Err(format!("unknown key {unknown:?} in a skill; allowed: {SKILL_KEYS}"));
    }
    let Some(name) = table.get("queue") else {
        return Err(format!("the skill names no queue; allowed keys: {SKILL_KEYS}, with queue required"));
    };
    let name =
        name.as_str().ok_or_else(|| format!("queue is a {}; give the queue's name as a string", name.type_str()))?;
    let int = |key: &str| -> Result<Option<i64>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(toml::Value::Integer(x)) => Ok(Some(*x)),
            Some(v) => Err(format!("{key} is a {}; allowed: a whole number", v.type_str())),
        }
    };
    let after_s = match table.get("after_s") {
        None => 0.0,
        Some(toml::Value::Integer(x)) => *x as f64,
        Some(toml::Value::Float(x)) => *x,
        Some(v) => return Err(format!("after_s is a {}; allowed: seconds, a number ≥ 0", v.type_str())),
    };
    Ok(SkillEntry {
        name: name.to_string(),
        priority: int("priority")?.unwrap_or(1),
        after_s,
        concurrency: int("concurrency")?,
    })
}
