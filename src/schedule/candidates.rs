//! Candidate shifts: every shift a team's rules allow, laid on the
//! calendar in the team's zone, with the share of an agent each puts on
//! duty in every reported interval (breaks left out), the places each of
//! its breaks may start (every [`BREAK_STEP_S`] inside the rule's window,
//! the same start on every day of the pattern) with the intervals each
//! takes the agent off duty in, and its paid hours (each shift starting in
//! the horizon in full, see [`paid_seconds`]).

use crate::model::{Model, ShiftInstance, ShiftPattern, ShiftRule};

/// One shift a rule allows, for one agent.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The rule it comes from (index into the team's rules).
    pub rule: usize,
    /// The shift, `agents` = 1.
    pub pattern: ShiftPattern,
    /// Paid hours of one agent on it: each shift starting in the horizon
    /// in full ([`paid_seconds`]).
    pub paid_hours: f64,
    /// (interval, share of an agent on duty with the breaks left out),
    /// intervals ascending.
    pub cover: Vec<(u32, f64)>,
    /// Per break of the rule, where it may start.
    pub breaks: Vec<BreakChoice>,
}

/// Where one break of a candidate may start: options with distinct effects
/// on the reported intervals, earliest first.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakChoice {
    /// Length, seconds.
    pub length_s: f64,
    /// (start, seconds after the login; (interval, share of an agent off
    /// duty)), one per distinct effect, the earliest start kept.
    pub options: Vec<(f64, Vec<(u32, f64)>)>,
}

/// Step between the starts a break may take inside its window, seconds.
pub const BREAK_STEP_S: f64 = 900.0;

/// Every candidate of team `t`, rule by rule, in a fixed order (start,
/// length, run of days, first day). Candidates that put nobody on duty in
/// the horizon are left out.
pub fn candidates(model: &Model, t: usize) -> Vec<Candidate> {
    let team = &model.teams[t];
    let mut out = Vec::new();
    for (r, rule) in team.rules.iter().enumerate() {
        for pattern in patterns(rule) {
            let bare = ShiftPattern { breaks: Vec::new(), ..pattern.clone() };
            // A shift starting in a holiday of the team is not worked.
            let instances = model.lay(t, &bare);
            let cover = coverage(model, &instances);
            if cover.is_empty() {
                continue;
            }
            let paid_hours = paid_seconds(model, &instances) / 3600.0;
            let breaks = rule.breaks.iter().map(|b| choices(model, &instances, pattern.length_s, b)).collect();
            out.push(Candidate { rule: r, pattern, paid_hours, cover, breaks });
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

/// The starts break `rule` may take on shifts `instances` (laid without
/// breaks), every [`BREAK_STEP_S`] from its earliest to its latest (both
/// included), those with the same effect as an earlier one left out.
fn choices(model: &Model, instances: &[ShiftInstance], shift_s: f64, rule: &crate::model::BreakRule) -> BreakChoice {
    let (earliest, latest) = (rule.earliest_minutes * 60.0, rule.latest_minutes * 60.0);
    let length_s = rule.minutes * 60.0;
    let steps = ((latest - earliest) / BREAK_STEP_S + 1e-9).floor() as usize;
    let mut starts: Vec<f64> = (0..=steps).map(|k| earliest + k as f64 * BREAK_STEP_S).collect();
    if starts.last().is_some_and(|&s| s < latest - 1e-9) {
        starts.push(latest);
    }
    let mut options: Vec<(f64, Vec<(u32, f64)>)> = Vec::new();
    for start in starts {
        let effect = off_duty(model, instances, shift_s, start, length_s);
        if !options.iter().any(|(_, e)| same_effect(e, &effect)) {
            options.push((start, effect));
        }
    }
    BreakChoice { length_s, options }
}

/// Share of one agent off duty per reported interval when a break of
/// `length_s` starts `start_s` after every login of `instances` (shifts
/// `shift_s` long), within
/// the shift and the reported horizon (a break starting before the
/// simulation does is not taken, as in the engine).
fn off_duty(model: &Model, instances: &[ShiftInstance], shift_s: f64, start_s: f64, length_s: f64) -> Vec<(u32, f64)> {
    let mut share = std::collections::BTreeMap::<u32, f64>::new();
    let sim_start = -model.warmup_s;
    for s in instances {
        let login = s.logout_s - shift_s;
        let (from, to) = (
            (login + start_s).max(s.login_s).max(0.0),
            (login + start_s + length_s).min(s.logout_s).min(model.report_end_s()),
        );
        if login + start_s < sim_start || to <= from {
            continue;
        }
        for i in model.intervals_touched(from, to) {
            let (a, b) = (i as f64 * model.interval_s, (i + 1) as f64 * model.interval_s);
            let off = overlap(from, to, a, b);
            if off > 1e-9 {
                *share.entry(i as u32).or_default() += off / model.interval_s;
            }
        }
    }
    share.into_iter().map(|(i, x)| (i, x.min(1.0))).collect()
}

/// Whether two effects take the same shares off the same intervals.
fn same_effect(a: &[(u32, f64)], b: &[(u32, f64)]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.0 == y.0 && (x.1 - y.1).abs() < 1e-9)
}

/// Paid seconds of one agent over `instances`: on a horizon of whole
/// weeks, the time inside it (the week wraps); on any other, each shift
/// starting inside it in full and one starting before it for its part
/// inside.
pub fn paid_seconds(model: &Model, instances: &[ShiftInstance]) -> f64 {
    let end = model.report_end_s();
    // Whole weeks: a pattern repeats, so the part cut off at the end is
    // the part before the start, and clipping both prices every shift in
    // full exactly once.
    if model.days.len() % 7 == 0 {
        return instances.iter().map(|s| overlap(s.login_s, s.logout_s, 0.0, end)).sum();
    }
    // Otherwise a shift starting in the horizon is paid in full, wherever
    // it ends (an 8-hour shift from 22:00 on a one-day horizon is 8 hours,
    // not 2), and one starting before it for its part inside.
    instances
        .iter()
        .map(|s| match s.login_s >= 0.0 && s.login_s < end {
            true => s.logout_s - s.login_s,
            false => overlap(s.login_s, s.logout_s, 0.0, end),
        })
        .sum()
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
