//! Validation of `[plan]` against the compiled scenario: every problem
//! collected with its place, field, what was found and what is allowed.

use std::ops::Range;

use jiff::civil::Date;
use toml::Spanned;

use crate::diagnostic::{shown, Problems, ScenarioError};
use crate::input::written::plan::{
    CostSpec, HiringSpec, PlanQueueSpec, PlanSpec, PlanTeamSpec, ShrinkageSpec, VolumeSpec,
};
use crate::model::plan::{Hiring, Month, Overtime, Plan, PlanQueue, PlanTeam, Price, Shrinkage};
use crate::model::Model;

/// Default replications per level of the requirement search.
pub const DEFAULT_REQUIREMENT_REPLICATIONS: u32 = 20;
/// Most contacts a queue may have in a month.
const MAX_MONTHLY_VOLUME: f64 = 1e9;
/// Most agents on a team's payroll.
const MAX_HEADCOUNT: i64 = 1_000_000;
/// Shares of a queue's volume must sum to 1 within this.
const SHARE_TOLERANCE: f64 = 1e-6;
/// Most days of a scenario with a `[plan]`: its horizon is the
/// representative period, staffed by simulation for every queue, team and
/// month of the plan (a 3,660-day one ran for minutes).
pub const MAX_PLAN_DAYS: i64 = 31;

/// Checks `[plan]` (`spec`, parsed from `source`) against the compiled
/// `model`, whose horizon (`days`, `scenario.days` as written) is the
/// representative period.
pub(super) fn check(
    spec: &PlanSpec,
    days: &Spanned<i64>,
    model: &Model,
    source: &str,
    file: &str,
) -> Result<Option<Plan>, ScenarioError> {
    let mut p = Problems::new(source);
    if *days.get_ref() > MAX_PLAN_DAYS {
        let message = format!(
            "{} days with a [plan]; allowed: at most {MAX_PLAN_DAYS} (the scenario's horizon is the plan's representative period, simulated for every queue, team and month)",
            days.get_ref()
        );
        p.at(days.span(), "scenario.days", message);
    }
    let plan = Checker { p: &mut p, model }.plan(spec);
    match p.into_error(file) {
        Some(e) => Err(e),
        None => Ok(plan),
    }
}

struct Checker<'a, 'b> {
    p: &'a mut Problems<'b>,
    model: &'a Model,
}

impl Checker<'_, '_> {
    fn plan(&mut self, s: &PlanSpec) -> Option<Plan> {
        let first = self.first_month(&s.start);
        let n = self.p.int_in(&s.months, "plan.months", 12, 36, "a whole number of months from 12 to 36");
        let replications = match &s.replications {
            Some(r) => self.p.int_in(r, "plan.replications", 1, 1_000_000, "a whole number from 1 to 1000000"),
            None => Some(self.model.replications as i64),
        };
        let requirement_replications = match &s.requirement_replications {
            Some(r) => self.p.int_in(r, "plan.requirement_replications", 1, 10_000, "a whole number from 1 to 10000"),
            None => Some(DEFAULT_REQUIREMENT_REPLICATIONS as i64),
        };
        let months = months(first?, n? as usize);
        let teams: Vec<Option<PlanTeam>> = s.team.iter().enumerate().map(|(k, t)| self.team(k, t, &months)).collect();
        let names: Vec<&str> = s.team.iter().map(|t| t.name.get_ref().as_str()).collect();
        let team_models: Vec<Option<usize>> = teams.iter().map(|t| t.as_ref().map(|t| t.model_team)).collect();
        self.once(s.team.iter().map(|t| &t.name), "plan.team", "team");
        self.once(s.queue.iter().map(|q| &q.name), "plan.queue", "queue");
        let queues: Vec<Option<PlanQueue>> =
            s.queue.iter().enumerate().map(|(k, q)| self.queue(k, q, &months, &names, &team_models)).collect();
        Some(Plan {
            months,
            replications: replications? as u32,
            requirement_replications: requirement_replications? as u32,
            queues: queues.into_iter().collect::<Option<Vec<_>>>()?,
            teams: teams.into_iter().collect::<Option<Vec<_>>>()?,
        })
    }

    /// Each name planned once: a second entry is refused, naming the first.
    fn once<'s>(&mut self, names: impl Iterator<Item = &'s Spanned<String>>, list: &str, what: &str) {
        let mut seen: Vec<&str> = Vec::new();
        for (k, name) in names.enumerate() {
            if let Some(first) = seen.iter().position(|n| n == name.get_ref()) {
                let message = format!(
                    "{what} {:?} is planned twice (also {list}[{first}]); allowed: each {what} once",
                    name.get_ref()
                );
                self.p.at(name.span(), format!("{list}[{k}].name"), message);
            }
            seen.push(name.get_ref());
        }
    }

    fn first_month(&mut self, v: &Spanned<String>) -> Option<Date> {
        self.month(v, "plan.start")
    }

    /// A month written `"YYYY-MM"` (its first day).
    fn month(&mut self, v: &Spanned<String>, field: &str) -> Option<Date> {
        let text = v.get_ref();
        let parsed = text.split_once('-').and_then(|(y, m)| {
            let (y, m) = (y.parse::<i16>().ok()?, m.parse::<i8>().ok()?);
            (y.to_string().len() == 4 && (1900..=2190).contains(&y) && m.to_string().len() <= 2 && text.len() == 7)
                .then(|| Date::new(y, m, 1).ok())
                .flatten()
        });
        if parsed.is_none() {
            self.p.at(v.span(), field, format!("{text:?} is not a month; allowed: YYYY-MM, 1900-01 to 2190-12"));
        }
        parsed
    }

    /// A name of the scenario's `[[queue]]` or `[[team]]`.
    fn named(&mut self, v: &Spanned<String>, field: &str, names: &[&str], what: &str) -> Option<usize> {
        let found = names.iter().position(|n| n == v.get_ref());
        if found.is_none() {
            self.p.at(
                v.span(),
                field,
                format!("{:?} is not a {what} of the scenario; allowed: {}", v.get_ref(), quoted(names)),
            );
        }
        found
    }

    fn queue(
        &mut self,
        k: usize,
        q: &PlanQueueSpec,
        months: &[Month],
        teams: &[&str],
        team_models: &[Option<usize>],
    ) -> Option<PlanQueue> {
        let field = format!("plan.queue[{k}]");
        let queue_names: Vec<&str> = self.model.queues.iter().map(|q| q.name.as_str()).collect();
        let queue = self.named(&q.name, &format!("{field}.name"), &queue_names, "[[queue]]");
        let volume = self.volume(&q.volume, &format!("{field}.volume"), months);
        let trend = match &q.aht_trend_per_month {
            Some(t) => self.p.number_where(
                t,
                &format!("{field}.aht_trend_per_month"),
                |x| x > -0.5 && x < 1.0,
                "from above -0.5 to below 1",
            ),
            None => Some(0.0),
        };
        let shares = self.shares(&q.shares, &format!("{field}.shares"), teams);
        if let (Some(queue), Some(shares)) = (queue, &shares) {
            for &(t, _) in shares {
                if let Some(m) = team_models[t].filter(|&m| !self.model.teams[m].serves(queue)) {
                    self.p.at(
                        q.shares.span(),
                        format!("{field}.shares.{}", teams[t]),
                        format!(
                            "team {:?} has no skill for queue {:?}; allowed: teams whose skills include it",
                            self.model.teams[m].name, self.model.queues[queue].name
                        ),
                    );
                }
            }
        }
        let trend = trend?;
        Some(PlanQueue {
            queue: queue?,
            volume: volume?,
            aht_factor: (0..months.len()).map(|m| (1.0 + trend).powi(m as i32)).collect(),
            shares: shares?,
        })
    }

    fn volume(&mut self, v: &Spanned<VolumeSpec>, field: &str, months: &[Month]) -> Option<Vec<f64>> {
        let spec = v.get_ref();
        let positive = |x: f64| (0.0..=MAX_MONTHLY_VOLUME).contains(&x);
        match (&spec.monthly, &spec.base) {
            (Some(list), None) if spec.growth_per_month.is_none() && spec.seasonality.is_none() => {
                let values = list.get_ref();
                if values.len() != months.len() {
                    self.p.at(
                        list.span(),
                        format!("{field}.monthly"),
                        format!("{} values; allowed: one per month of the plan ({})", values.len(), months.len()),
                    );
                    return None;
                }
                if let Some(x) = values.iter().find(|x| !positive(**x)) {
                    self.p.at(
                        list.span(),
                        format!("{field}.monthly"),
                        format!("{} is out of range; allowed: contacts from 0 to 1e9", shown(*x)),
                    );
                    return None;
                }
                Some(values.clone())
            }
            (None, Some(base)) => {
                let base = self.p.number_where(base, &format!("{field}.base"), positive, "contacts from 0 to 1e9");
                let growth = match &spec.growth_per_month {
                    Some(g) => self.p.number_where(
                        g,
                        &format!("{field}.growth_per_month"),
                        |x| x > -0.5 && x < 1.0,
                        "from above -0.5 to below 1",
                    ),
                    None => Some(0.0),
                };
                let seasonality = match &spec.seasonality {
                    Some(s) => self.twelve(s, &format!("{field}.seasonality")),
                    None => Some([1.0; 12]),
                };
                let (base, growth, seasonality) = (base?, growth?, seasonality?);
                let volume: Vec<f64> = months
                    .iter()
                    .enumerate()
                    .map(|(m, month)| base * (1.0 + growth).powi(m as i32) * seasonality[month.calendar_index()])
                    .collect();
                if volume.iter().any(|x| !positive(*x)) {
                    self.p.at(v.span(), field, "grows past 1e9 contacts in a month; allowed: at most 1e9".to_string());
                    return None;
                }
                Some(volume)
            }
            _ => {
                self.p.at(
                    v.span(),
                    field,
                    "give either `monthly = [one volume per month]` or `base` with optional `growth_per_month` and `seasonality`",
                );
                None
            }
        }
    }

    /// Twelve non-negative indexes, January to December.
    fn twelve(&mut self, v: &Spanned<Vec<f64>>, field: &str) -> Option<[f64; 12]> {
        let values = v.get_ref();
        if values.len() != 12 {
            self.p.at(v.span(), field, format!("{} values; allowed: twelve, January to December", values.len()));
            return None;
        }
        if let Some(x) = values.iter().find(|x| !(x.is_finite() && (0.0..=100.0).contains(*x))) {
            self.p.at(v.span(), field, format!("{} is out of range; allowed: indexes from 0 to 100", shown(*x)));
            return None;
        }
        values.as_slice().try_into().ok()
    }

    fn shares(&mut self, v: &Spanned<toml::Table>, field: &str, teams: &[&str]) -> Option<Vec<(usize, f64)>> {
        let mut shares = Vec::new();
        let mut ok = true;
        for (name, value) in v.get_ref() {
            let share = value.as_float().or(value.as_integer().map(|i| i as f64));
            let Some(t) = teams.iter().position(|t| t == name) else {
                self.p.at(
                    v.span(),
                    format!("{field}.{name}"),
                    format!("{name:?} is not a [[plan.team]]; allowed: {}", quoted(teams)),
                );
                ok = false;
                continue;
            };
            match share {
                Some(s) if (0.0..=1.0).contains(&s) => shares.push((t, s)),
                _ => {
                    self.p.at(
                        v.span(),
                        format!("{field}.{name}"),
                        format!("{value} is not allowed; a share from 0 to 1"),
                    );
                    ok = false;
                }
            }
        }
        let sum: f64 = shares.iter().map(|s| s.1).sum();
        if ok && (sum - 1.0).abs() > SHARE_TOLERANCE {
            self.p.at(
                v.span(),
                field,
                format!(
                    "the shares sum to {}; allowed: shares of the queue's volume summing to 1",
                    shown((sum * 1e6).round() / 1e6)
                ),
            );
            ok = false;
        }
        shares.sort_by_key(|s| s.0);
        ok.then_some(shares)
    }

    fn team(&mut self, k: usize, t: &PlanTeamSpec, months: &[Month]) -> Option<PlanTeam> {
        let field = format!("plan.team[{k}]");
        let names: Vec<&str> = self.model.teams.iter().map(|t| t.name.as_str()).collect();
        let model_team = self.named(&t.name, &format!("{field}.name"), &names, "[[team]]");
        let partner = t.partner.unwrap_or(false);
        let headcount = match &t.headcount {
            Some(h) => {
                self.p.int_in(h, &format!("{field}.headcount"), 0, MAX_HEADCOUNT, "a whole number from 0 to 1000000")
            }
            None => Some(0),
        };
        let attrition = match &t.attrition_per_month {
            Some(a) => self.p.number_where(
                a,
                &format!("{field}.attrition_per_month"),
                |x| (0.0..1.0).contains(&x),
                "a share in [0, 1), such as 0.02",
            ),
            None => Some(0.0),
        };
        let (hiring, freeze) = match &t.hiring {
            Some(h) => {
                let hiring = self.hiring(h, &format!("{field}.hiring"), months);
                let freeze = self.freeze(h, &format!("{field}.hiring"), months, hiring.as_ref());
                (hiring, freeze)
            }
            None => (Some(Hiring::None), Some(None)),
        };
        let training_weeks = match &t.training_weeks {
            Some(w) => {
                self.p.int_in(w, &format!("{field}.training_weeks"), 0, 52, "a whole number of weeks from 0 to 52")
            }
            None => Some(0),
        };
        let ramp = match &t.ramp {
            Some(r) => self.ramp(r, &format!("{field}.ramp")),
            None => Some(Vec::new()),
        };
        let vacation_seasonality = match &t.vacation_seasonality {
            Some(s) => self.twelve(s, &format!("{field}.vacation_seasonality")),
            None => Some([1.0; 12]),
        };
        let shrinkage = match &t.shrinkage {
            Some(s) => self.shrinkage(s, &format!("{field}.shrinkage"), vacation_seasonality.unwrap_or([1.0; 12])),
            None => Some(Shrinkage { other: self.model.staffing.shrinkage, ..Shrinkage::default() }),
        };
        let overtime = match &t.overtime {
            Some(o) => {
                let (share, premium) = (o.get_ref().max_share, o.get_ref().premium.unwrap_or(1.5));
                let ok = (0.0..=1.0).contains(&share) && (1.0..=10.0).contains(&premium);
                if !ok {
                    self.p.at(
                        o.span(),
                        format!("{field}.overtime"),
                        format!(
                            "max_share {} and premium {}; allowed: max_share from 0 to 1, premium from 1 to 10",
                            shown(share),
                            shown(premium)
                        ),
                    );
                }
                ok.then_some(Some(Overtime { max_share: share, premium }))
            }
            None => Some(None),
        };
        let price = match &t.cost {
            Some(c) => self.price(c, &format!("{field}.cost")),
            None => Some(model_team.map_or(Price::None, |m| self.model.team_price(m))),
        };
        let amount = |c: &mut Self, v: &Option<Spanned<f64>>, name: &str| match v {
            Some(v) => {
                c.p.number_where(v, &format!("{field}.{name}"), |x| (0.0..=1e9).contains(&x), "an amount from 0 to 1e9")
            }
            None => Some(0.0),
        };
        let hiring_cost = amount(self, &t.hiring_cost, "hiring_cost");
        let training_cost = amount(self, &t.training_cost, "training_cost");
        Some(PlanTeam {
            name: t.name.get_ref().clone(),
            model_team: model_team?,
            partner,
            headcount: headcount? as u32,
            attrition: attrition?,
            hiring: hiring?,
            freeze: freeze?,
            training_days: training_weeks? as u32 * 7,
            ramp: ramp?,
            shrinkage: shrinkage?,
            vacation_seasonality: vacation_seasonality?,
            overtime: overtime?,
            price: price?,
            hiring_cost: hiring_cost?,
            training_cost: training_cost?,
        })
    }

    fn hiring(&mut self, v: &Spanned<HiringSpec>, field: &str, months: &[Month]) -> Option<Hiring> {
        let h = v.get_ref();
        let policy = h.policy.get_ref().as_str();
        // Keys another policy reads are refused, not ignored.
        let used: &[&str] = match policy {
            "fill_gap" => &["lead_time_weeks", "class_size", "freeze"],
            "plan" => &["hires", "freeze"],
            "none" => &[],
            _ => &["lead_time_weeks", "class_size", "hires", "freeze"],
        };
        let given = [
            ("lead_time_weeks", h.lead_time_weeks.as_ref().map(Spanned::span)),
            ("class_size", h.class_size.as_ref().map(Spanned::span)),
            ("hires", h.hires.as_ref().map(Spanned::span)),
            ("freeze", h.freeze.as_ref().map(Spanned::span)),
        ];
        let mut ok = true;
        for (key, span) in given {
            if let (Some(span), false) = (span, used.contains(&key)) {
                let users = match key {
                    "lead_time_weeks" | "class_size" => "\"fill_gap\"",
                    "hires" => "\"plan\"",
                    _ => "\"fill_gap\" and \"plan\"",
                };
                self.p.at(
                    span,
                    format!("{field}.{key}"),
                    format!("not used by the {policy:?} policy; allowed: {key} with {users} only"),
                );
                ok = false;
            }
        }
        let hiring = match policy {
            "fill_gap" => {
                let Some(lead) = &h.lead_time_weeks else {
                    self.p.at(
                        v.span(),
                        format!("{field}.lead_time_weeks"),
                        "missing; the fill_gap policy needs a lead time in weeks",
                    );
                    return None;
                };
                let plan_days: u32 = months.iter().map(|m| m.days).sum();
                let plan_weeks = plan_days as f64 / 7.0;
                let lead_weeks = *lead.get_ref();
                if !(0..=plan_weeks.floor() as i64).contains(&lead_weeks) {
                    self.p.at(
                        lead.span(),
                        format!("{field}.lead_time_weeks"),
                        format!(
                            "{lead_weeks} weeks is out of range; allowed: from 0 to the plan's length ({} weeks)",
                            shown((plan_weeks * 10.0).floor() / 10.0)
                        ),
                    );
                    return None;
                }
                let class = match &h.class_size {
                    Some(c) => {
                        self.p.int_in(c, &format!("{field}.class_size"), 1, 10_000, "a whole number from 1 to 10000")?
                    }
                    None => 1,
                };
                Hiring::FillGap { lead_days: lead_weeks as u32 * 7, class_size: class as u32 }
            }
            "plan" => {
                let Some(hires) = &h.hires else {
                    self.p.at(
                        v.span(),
                        format!("{field}.hires"),
                        "missing; the plan policy needs hires = [one per month]",
                    );
                    return None;
                };
                let list = hires.get_ref();
                if list.len() != months.len() || list.iter().any(|x| !(0..=MAX_HEADCOUNT).contains(x)) {
                    self.p.at(
                        hires.span(),
                        format!("{field}.hires"),
                        format!(
                            "{} values; allowed: one whole number from 0 to 1000000 per month of the plan ({})",
                            list.len(),
                            months.len()
                        ),
                    );
                    return None;
                }
                Hiring::Planned(list.iter().map(|&x| x as u32).collect())
            }
            "none" => Hiring::None,
            other => {
                self.p.at(
                    h.policy.span(),
                    format!("{field}.policy"),
                    format!("{other:?} is not a policy; allowed: \"fill_gap\", \"plan\", \"none\""),
                );
                return None;
            }
        };
        ok.then_some(hiring)
    }

    /// A hiring freeze: its months within the plan. A plan's hires in a
    /// frozen month are refused.
    fn freeze(
        &mut self,
        v: &Spanned<HiringSpec>,
        field: &str,
        months: &[Month],
        hiring: Option<&Hiring>,
    ) -> Option<Option<Range<usize>>> {
        let Some(freeze) = &v.get_ref().freeze else { return Some(None) };
        if v.get_ref().policy.get_ref() == "none" {
            // Refused by `hiring`: the "none" policy has nothing to freeze.
            return Some(None);
        }
        let field = format!("{field}.freeze");
        let f = freeze.get_ref();
        let from = self.month(&f.from, &format!("{field}.from"));
        let to = self.month(&f.to, &format!("{field}.to"));
        let (from, to) = (from?, to?);
        let label = |d: Date| format!("{:04}-{:02}", d.year(), d.month());
        if from > to {
            self.p.at(
                freeze.span(),
                &field,
                format!("from {} is after to {}; allowed: from no later than to", label(from), label(to)),
            );
            return None;
        }
        let (first, last) = (months.first()?.date, months.last()?.date);
        if to < first || from > last {
            self.p.at(
                freeze.span(),
                &field,
                format!(
                    "{} to {} lies outside the plan ({} to {}); allowed: months overlapping the plan",
                    label(from),
                    label(to),
                    label(first),
                    label(last)
                ),
            );
            return None;
        }
        let index = |d: Date| months.iter().position(|m| m.date == d);
        let frozen = index(from.max(first))?..index(to.min(last))? + 1;
        if let (Some(Hiring::Planned(hires)), Some(hires_spec)) = (hiring, &v.get_ref().hires) {
            if let Some(m) = frozen.clone().find(|&m| hires[m] > 0) {
                self.p.at(
                    hires_spec.span(),
                    format!("{}.hires", field.trim_end_matches(".freeze")),
                    format!(
                        "{} hires in {}, inside the freeze ({} to {}); allowed: 0 in a frozen month",
                        hires[m],
                        months[m].label(),
                        label(from),
                        label(to)
                    ),
                );
                return None;
            }
        }
        Some(Some(frozen))
    }

    /// Shares of productivity by week after training: each in (0, 1], each
    /// at least the one before.
    fn ramp(&mut self, v: &Spanned<Vec<f64>>, field: &str) -> Option<Vec<f64>> {
        let values = v.get_ref();
        let allowed = "shares in (0, 1] (0.5 = 50%), each at least the one before";
        for (w, &x) in values.iter().enumerate() {
            if !(x.is_finite() && x > 0.0 && x <= 1.0) {
                let what = if x > 1.0 { "is above 100%" } else { "is out of range" };
                self.p.at(v.span(), field, format!("{} at week {} {what}; allowed: {allowed}", shown(x), w + 1));
                return None;
            }
            if w > 0 && x < values[w - 1] {
                self.p.at(
                    v.span(),
                    field,
                    format!(
                        "not rising: {} at week {} after {}; allowed: {allowed}",
                        shown(x),
                        w + 1,
                        shown(values[w - 1])
                    ),
                );
                return None;
            }
        }
        Some(values.clone())
    }

    fn shrinkage(&mut self, v: &Spanned<ShrinkageSpec>, field: &str, seasonality: [f64; 12]) -> Option<Shrinkage> {
        let s = v.get_ref();
        let parts = [s.vacation, s.sickness, s.training, s.meetings, s.coaching].map(|x| x.unwrap_or(0.0));
        if parts.iter().any(|x| !(x.is_finite() && (0.0..1.0).contains(x))) {
            self.p.at(v.span(), field, "a category out of range; allowed: shares in [0, 1)");
            return None;
        }
        let shrinkage = Shrinkage {
            vacation: parts[0],
            sickness: parts[1],
            training: parts[2],
            meetings: parts[3],
            coaching: parts[4],
            other: 0.0,
        };
        let worst = (0..12).map(|m| shrinkage.total(seasonality[m])).fold(0.0, f64::max);
        if worst >= 0.95 {
            self.p.at(
                v.span(),
                field,
                format!("sums to {} in some month; allowed: a total below 0.95 in every month", shown(worst)),
            );
            return None;
        }
        Some(shrinkage)
    }

    fn price(&mut self, v: &Spanned<CostSpec>, field: &str) -> Option<Price> {
        let c = v.get_ref();
        let price = match (c.per_hour, c.per_contact, c.per_fte_month) {
            (Some(x), None, None) => Price::PerHour(x),
            (None, Some(x), None) => Price::PerContact(x),
            (None, None, Some(x)) => Price::PerFteMonth(x),
            _ => {
                self.p.at(v.span(), field, "give exactly one of per_hour, per_contact, per_fte_month");
                return None;
            }
        };
        if !(0.0..=1e9).contains(&price.amount()) {
            self.p.at(
                v.span(),
                field,
                format!("{} is out of range; allowed: an amount from 0 to 1e9", shown(price.amount())),
            );
            return None;
        }
        Some(price)
    }
}

/// The plan's months from `first`.
fn months(first: Date, n: usize) -> Vec<Month> {
    (0..n)
        .map(|m| {
            let date = first.checked_add(jiff::Span::new().months(m as i64)).expect("inside jiff's range");
            Month { date, days: date.days_in_month() as u32 }
        })
        .collect()
}

fn quoted(names: &[&str]) -> String {
    if names.is_empty() {
        return "none defined".to_string();
    }
    names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
}
