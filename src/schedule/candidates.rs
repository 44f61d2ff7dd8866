//! Candidate shifts: every shift a team's rules allow, laid on the
//! calendar in the team's zone, with the share of an agent each puts on
//! duty in every reported interval (breaks taken as spread evenly over
//! their windows) and its paid hours within the horizon.

use crate::model::{Model, ShiftInstance, ShiftPattern, ShiftRule};

/// One shift a rule allows, for one agent.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The rule it comes from (index into the team's rules).
    pub rule: usize,
    /// The shift, `agents` = 1.
    pub pattern: ShiftPattern,
    /// Paid hours of one agent on it within the reported horizon.
    pub paid_hours: f64,
    /// (interval, share of an agent on duty), intervals ascending.
    pub cover: Vec<(u32, f64)>,
}

/// Every candidate of team `t`, rule by rule, in a fixed order (start,
/// length, run of days, first day). Candidates that put nobody on duty in
/// the horizon are left out.
pub fn candidates(model: &Model, t: usize) -> Vec<Candidate> {
    let team = &model.teams[t];
    let mut out = Vec::new();
    for (r, rule) in team.rules.iter().enumerate() {
        for pattern in patterns(rule) {
            let instances = pattern.instances(t, &team.timezone, &model.horizon());
            let cover = coverage(model, &instances);
            if cover.is_empty() {
                continue;
            }
            let paid_hours = paid_seconds(model, &instances) / 3600.0;
            out.push(Candidate { rule: r, pattern, paid_hours, cover });
        }
    }
    out
}

/// The patterns of a rule: start × length × run of days × first day (one
/// first day for a run of seven).
fn patterns(rule: &ShiftRule) -> Vec<ShiftPattern> {
    let breaks: Vec<_> = rule.breaks.iter().map(|b| b.as_break()).collect();
    let mut out = Vec::new();
    for &start in &rule.starts {
        for &hours in &rule.hours {
            for &run in &rule.days_on {
                for first in 0..7 {
                    if !rule.first_days[first] || (run == 7 && first > 0) {
                        continue;
                    }
                    let mut days = [false; 7];
                    for k in 0..run as usize {
                        days[(first + k) % 7] = true;
                    }
                    out.push(ShiftPattern { start, length_s: hours * 3600.0, days, agents: 1, breaks: breaks.clone() });
                }
            }
        }
    }
    out
}

/// Share of one agent on duty per reported interval over `instances`
/// (agent counts ignored), breaks spread evenly over their windows.
pub fn coverage(model: &Model, instances: &[ShiftInstance]) -> Vec<(u32, f64)> {
    let mut share = std::collections::BTreeMap::<u32, f64>::new();
    for s in instances {
        let (from, to) = (s.login_s.max(0.0), s.logout_s.min(model.report_end_s()));
        for i in model.intervals_touched(from, to) {
            let (a, b) = (i as f64 * model.interval_s, (i + 1) as f64 * model.interval_s);
            let on = overlap(from, to, a, b) - s.breaks.iter().map(|k| expected_break(k, a, b)).sum::<f64>();
            if on > 1e-9 {
                *share.entry(i as u32).or_default() += on / model.interval_s;
            }
        }
    }
    share.into_iter().map(|(i, x)| (i, x.min(1.0))).collect()
}

/// Paid seconds of one agent over `instances` within the reported horizon.
pub fn paid_seconds(model: &Model, instances: &[ShiftInstance]) -> f64 {
    let end = model.report_end_s();
    instances.iter().map(|s| overlap(s.login_s, s.logout_s, 0.0, end)).sum()
}

fn overlap(a0: f64, a1: f64, b0: f64, b1: f64) -> f64 {
    (a1.min(b1) - a0.max(b0)).max(0.0)
}

/// Expected time within `[a, b)` on break `k`, its start uniform over its
/// window (midpoint rule, 24 points; exact for a window of 0).
fn expected_break(k: &crate::model::Break, a: f64, b: f64) -> f64 {
    if k.window_s <= 0.0 {
        return overlap(k.start_s, k.start_s + k.length_s, a, b);
    }
    const POINTS: usize = 24;
    (0..POINTS)
        .map(|n| {
            let s = k.start_s + k.window_s * (n as f64 + 0.5) / POINTS as f64;
            overlap(s, s + k.length_s, a, b)
        })
        .sum::<f64>()
        / POINTS as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Break;

    #[test]
    fn a_run_of_days_wraps_around_the_week() {
        let rule = ShiftRule {
            name: "r".into(),
            starts: vec![jiff::civil::time(8, 0, 0, 0)],
            hours: vec![8.0],
            days_on: vec![5],
            first_days: [false, false, false, false, false, true, false],
            breaks: Vec::new(),
            min_agents: None,
            max_agents: None,
            part_time: false,
        };
        let p = patterns(&rule);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].days, [true, true, true, false, false, true, true], "Sat to Wed");
    }

    #[test]
    fn a_staggered_break_takes_its_length_on_average() {
        let k = Break { start_s: 100.0, length_s: 60.0, window_s: 600.0 };
        let total: f64 = (0..20).map(|i| expected_break(&k, i as f64 * 60.0, (i + 1) as f64 * 60.0)).sum();
        assert!((total - 60.0).abs() < 1e-9, "{total}");
    }
}
