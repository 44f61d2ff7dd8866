//! Validation and compilation of `[[team.shift_rule]]`: the starts,
//! lengths, weekly runs of days and breaks `schedule` may roster.

use jiff::civil::Time;
use toml::Spanned;

use super::{parse_time_of_day, parse_weekday, Compiler};
use crate::diagnostic::shown;
use crate::input::written::{ShiftRuleSpec, StartsSpec, TeamSpec};
use crate::model::{BreakRule, ShiftRule, MAX_SHIFT_AGENTS};

/// Most candidate shifts one rule may describe (starts × lengths × runs ×
/// first days).
pub const MAX_RULE_CANDIDATES: usize = 20_000;

/// Most candidate shifts of one team's rules together: `schedule` prices,
/// covers and repairs with every one, in time about linear in their
/// number (150 rules of 10,080 candidates, 1.5 million, ran for minutes;
/// 10,080 on one team take about a minute of CPU).
pub const MAX_TEAM_CANDIDATES: usize = 20_000;

/// The candidate shifts `rule` describes: starts × lengths × runs of days
/// × the days they may begin on (a seven-day run begins once).
fn candidates(starts: usize, hours: usize, days_on: &[u8], first_days: &[bool; 7]) -> usize {
    let firsts = first_days.iter().filter(|&&x| x).count();
    let runs = days_on.iter().map(|&d| if d == 7 { 1 } else { firsts }).sum::<usize>();
    starts.saturating_mul(hours).saturating_mul(runs)
}

impl Compiler<'_> {
    /// Team `i`'s shift rules; problems are collected, bad rules left out.
    /// Their candidates together are at most [`MAX_TEAM_CANDIDATES`]; the
    /// rule that passes it is refused.
    pub(super) fn shift_rules(&mut self, i: usize, t: &TeamSpec) -> Vec<ShiftRule> {
        let mut total = 0usize;
        let mut rules = Vec::with_capacity(t.shift_rule.len());
        for (k, spec) in t.shift_rule.iter().enumerate() {
            let Some(rule) = self.shift_rule(i, k, spec) else { continue };
            let before = total;
            total =
                total.saturating_add(candidates(rule.starts.len(), rule.hours.len(), &rule.days_on, &rule.first_days));
            if total > MAX_TEAM_CANDIDATES && before <= MAX_TEAM_CANDIDATES {
                self.p.at(
                    spec.starts.span(),
                    format!("team[{i}].shift_rule[{k}].starts"),
                    format!(
                        "with the rules before it the team's rules describe {total} shifts; allowed: at most {MAX_TEAM_CANDIDATES} per team (use larger every_minutes, fewer lengths or fewer rules)"
                    ),
                );
            }
            rules.push(rule);
        }
        rules
    }

    /// Team `i`'s `max_part_time_share`, when given and in [0, 1].
    pub(super) fn part_time_share(&mut self, i: usize, t: &TeamSpec) -> Option<f64> {
        let v = t.max_part_time_share.as_ref()?;
        self.number_in(v, &format!("team[{i}].max_part_time_share"), 0.0, 1.0, "a share from 0 to 1")
    }

    fn shift_rule(&mut self, i: usize, k: usize, r: &ShiftRuleSpec) -> Option<ShiftRule> {
        let f = |name: &str| format!("team[{i}].shift_rule[{k}].{name}");
        let starts = self.rule_starts(&r.starts, &f("starts"));
        let hours = self.rule_hours(&r.hours, &f("hours"));
        let days_on = self.rule_days_on(r, &f("days_on"));
        let first_days = self.rule_first_days(r, &f("first_days"));
        let breaks = self.rule_breaks(r, hours.as_deref(), &f("breaks"));
        let min_agents = self.rule_agents(r.min_agents.as_ref(), &f("min_agents"));
        let max_agents = self.rule_agents(r.max_agents.as_ref(), &f("max_agents"));
        if let (Some(Some(lo)), Some(Some(hi)), Some(v)) = (min_agents, max_agents, &r.min_agents) {
            if lo > hi {
                self.p.at(
                    v.span(),
                    f("min_agents"),
                    format!("{lo} is more than max_agents {hi}; allowed: at most max_agents"),
                );
                return None;
            }
        }
        let (starts, hours, days_on, first_days, breaks) = (starts?, hours?, days_on?, first_days?, breaks?);
        let candidates = candidates(starts.len(), hours.len(), &days_on, &first_days);
        if candidates > MAX_RULE_CANDIDATES {
            self.p.at(
                r.starts.span(),
                f("starts"),
                format!("with its lengths and runs of days the rule describes {candidates} shifts; allowed: at most {MAX_RULE_CANDIDATES} (use a larger every_minutes)"),
            );
            return None;
        }
        Some(ShiftRule {
            name: r.name.as_ref().map_or_else(|| format!("rule {}", k + 1), |n| n.get_ref().clone()),
            starts,
            hours,
            days_on,
            first_days,
            breaks,
            min_agents: min_agents?,
            max_agents: max_agents?,
            part_time: r.part_time.unwrap_or(false),
        })
    }

    /// Every start from `from` to `to`, both included, `every_minutes` apart.
    fn rule_starts(&mut self, v: &Spanned<StartsSpec>, field: &str) -> Option<Vec<Time>> {
        let s = v.get_ref();
        let allowed = "HH:MM from 00:00 to 23:59";
        let from = parse_time_of_day(&s.from);
        let to = parse_time_of_day(&s.to);
        for (name, text, t) in [("from", &s.from, from), ("to", &s.to, to)] {
            if t.is_none() {
                self.p.at(
                    v.span(),
                    format!("{field}.{name}"),
                    format!("{text:?} is not a start time; allowed: {allowed}"),
                );
            }
        }
        let step = s.every_minutes.unwrap_or(30);
        if !(1..=1440).contains(&step) {
            self.p.at(
                v.span(),
                format!("{field}.every_minutes"),
                format!("{step} is out of range; allowed: 1 to 1440"),
            );
            return None;
        }
        let (from, to) = (from?, to?);
        if to < from {
            let message =
                format!("{} is before from {}; the window runs from `from` to `to`, both included", s.to, s.from);
            self.p.at(v.span(), format!("{field}.to"), message);
            return None;
        }
        let minutes = |t: Time| i64::from(t.hour()) * 60 + i64::from(t.minute());
        let (a, b) = (minutes(from), minutes(to));
        let mut out = Vec::new();
        let mut m = a;
        while m <= b {
            out.push(Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).expect("within a day"));
            m += step;
        }
        Some(out)
    }

    /// Paid lengths, hours: more than 0, at most 24, each a whole number of
    /// minutes.
    fn rule_hours(&mut self, v: &Spanned<Vec<Spanned<f64>>>, field: &str) -> Option<Vec<f64>> {
        if v.get_ref().is_empty() {
            self.p.at(v.span(), field, "is empty; list at least one paid length, hours");
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (n, h) in v.get_ref().iter().enumerate() {
            match self.shift_hours(h, &format!("{field}[{n}]")) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        out.sort_by(f64::total_cmp);
        out.dedup();
        ok.then_some(out)
    }

    fn rule_days_on(&mut self, r: &ShiftRuleSpec, field: &str) -> Option<Vec<u8>> {
        let Some(v) = &r.days_on else { return Some(vec![5]) };
        if v.get_ref().is_empty() {
            self.p.at(v.span(), field, "is empty (a work pattern with no day); list runs of 1 to 7 consecutive days");
            return None;
        }
        let mut out = Vec::new();
        for (n, d) in v.get_ref().iter().enumerate() {
            out.push(self.p.int_in(d, &format!("{field}[{n}]"), 1, 7, "1 to 7 consecutive days")? as u8);
        }
        out.sort_unstable();
        out.dedup();
        Some(out)
    }

    fn rule_first_days(&mut self, r: &ShiftRuleSpec, field: &str) -> Option<[bool; 7]> {
        let Some(v) = &r.first_days else { return Some([true; 7]) };
        let mut days = [false; 7];
        for (n, d) in v.get_ref().iter().enumerate() {
            match parse_weekday(d.get_ref()) {
                Some(w) => days[w] = true,
                None => {
                    let message = format!("{:?} is not a day; allowed: Mon, Tue, Wed, Thu, Fri, Sat, Sun", d.get_ref());
                    self.p.at(d.span(), format!("{field}[{n}]"), message);
                    return None;
                }
            }
        }
        if !days.contains(&true) {
            self.p.at(v.span(), field, "is empty; list the days a run of shifts may begin on");
            return None;
        }
        Some(days)
    }

    /// Break rules: each window inside every allowed length, in order,
    /// not overlapping.
    fn rule_breaks(&mut self, r: &ShiftRuleSpec, hours: Option<&[f64]>, field: &str) -> Option<Vec<BreakRule>> {
        let mut out = Vec::new();
        let shortest = hours.and_then(|h| h.first().copied());
        for (n, b) in r.breaks.iter().enumerate() {
            let s = *b.get_ref();
            let rule = BreakRule {
                minutes: s.minutes,
                earliest_minutes: s.earliest_minutes,
                latest_minutes: s.latest_minutes,
            };
            let valid = [s.minutes, s.earliest_minutes, s.latest_minutes].iter().all(|x| x.is_finite())
                && s.minutes > 0.0
                && s.earliest_minutes >= 0.0
                && s.latest_minutes >= s.earliest_minutes;
            let message = if !valid {
                Some(format!(
                    "minutes {}, earliest_minutes {}, latest_minutes {} are not allowed; minutes > 0, 0 ≤ earliest_minutes ≤ latest_minutes",
                    shown(s.minutes),
                    shown(s.earliest_minutes),
                    shown(s.latest_minutes)
                ))
            } else {
                shortest.filter(|h| s.latest_minutes + s.minutes > h * 60.0).map(|h| {
                    format!(
                        "ends up to {} minutes into a shift, longer than the shortest allowed shift ({} minutes); a break must lie inside its shift",
                        s.latest_minutes + s.minutes,
                        h * 60.0
                    )
                })
            };
            if let Some(message) = message {
                self.p.at(b.span(), format!("{field}[{n}]"), message);
                return None;
            }
            out.push(rule);
        }
        out.sort_by(|a, b| a.earliest_minutes.total_cmp(&b.earliest_minutes));
        if out.windows(2).any(|w| w[0].latest_minutes + w[0].minutes > w[1].earliest_minutes) {
            let span = r.breaks[0].span();
            self.p.at(
                span,
                field,
                "break windows overlap; each break's window (and its length) must end before the next window starts",
            );
            return None;
        }
        Some(out)
    }

    fn rule_agents(&mut self, v: Option<&Spanned<i64>>, field: &str) -> Option<Option<u32>> {
        let Some(v) = v else { return Some(None) };
        let allowed = format!("0 to {MAX_SHIFT_AGENTS}");
        self.int_in(v, field, 0, MAX_SHIFT_AGENTS, &allowed).map(|x| Some(x as u32))
    }
}
