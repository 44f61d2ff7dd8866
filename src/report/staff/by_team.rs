//! `wfmsim staff --by team`: each team's requirement per interval (rows
//! `schedule` shares), the targets it still misses, and its table and CSV.

use std::fmt::Write;

use crate::model::Model;
use crate::report::kit::csv::text;
use crate::report::kit::json::round2;
use crate::results::rfc3339;
use crate::results::Echo;
use crate::staffing::teams::{Miss, TeamLevels};
use serde::Serialize;

/// One interval of one team: the agents required (and scheduled).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamInterval {
    /// Interval start, RFC 3339.
    pub start: String,
    /// The team.
    pub team: String,
    /// Agents required on duty.
    pub required: u32,
    /// Agents on duty in the roster (breaks spread over their windows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<f64>,
}

/// Every interval of every team in `teams`, interval by interval.
pub fn team_intervals(
    model: &Model,
    teams: &[usize],
    required: &TeamLevels,
    scheduled: Option<&[Vec<f64>]>,
) -> Vec<TeamInterval> {
    let mut rows = Vec::with_capacity(model.n_intervals * teams.len());
    for i in 0..model.n_intervals {
        let start = rfc3339(model, i);
        for (k, &t) in teams.iter().enumerate() {
            rows.push(TeamInterval {
                start: start.clone(),
                team: model.teams[t].name.clone(),
                required: required.levels[t][i],
                scheduled: scheduled.map(|s| round2(s[k][i])),
            });
        }
    }
    rows
}

/// A target still missed, for reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmet {
    /// The queue.
    pub queue: String,
    /// First interval judged, RFC 3339.
    pub start: String,
    /// End of the last interval judged, RFC 3339.
    pub end: String,
    /// What is missed.
    pub missed: String,
    /// The lowest share of replications meeting one of its missed targets.
    pub met_share: f64,
}

/// `misses` in report form.
pub fn unmet(model: &Model, misses: &[Miss]) -> Vec<Unmet> {
    misses
        .iter()
        .map(|m| Unmet {
            queue: model.queues[m.queue].name.clone(),
            start: rfc3339(model, m.intervals.start),
            end: rfc3339(model, m.intervals.end),
            missed: m.what.clone(),
            met_share: m.met_share,
        })
        .collect()
}

/// How many missed periods a table shows; JSON carries them all.
pub const UNMET_SHOWN: usize = 10;

/// `misses` worst first (the lowest share of replications meeting the
/// target, then time order): every one in JSON, the first
/// [`UNMET_SHOWN`] in tables.
pub fn worst_first(model: &Model, misses: &[Miss]) -> Vec<Unmet> {
    let mut rows: Vec<(usize, &Miss)> = misses.iter().enumerate().collect();
    rows.sort_by(|a, b| a.1.met_share.total_cmp(&b.1.met_share).then(a.0.cmp(&b.0)));
    let ordered: Vec<Miss> = rows.into_iter().map(|(_, m)| m.clone()).collect();
    unmet(model, &ordered)
}

/// The worst [`UNMET_SHOWN`] missed periods, one a line, and how many more
/// there are (never cut silently).
pub fn unmet_lines(out: &mut String, model: &Model, misses: &[Miss]) {
    let rows = worst_first(model, misses);
    for u in rows.iter().take(UNMET_SHOWN) {
        let _ = writeln!(out, "  {} {}: {}", u.queue, u.start, u.missed);
    }
    if rows.len() > UNMET_SHOWN {
        let _ = writeln!(
            out,
            "  and {} more (the worst {UNMET_SHOWN} shown; --format json lists every one)",
            rows.len() - UNMET_SHOWN
        );
    }
}

/// The requirement by team as CSV, `start,team,agents,what_ifs`: what
/// `schedule --requirement` reads.
pub fn requirement_csv(model: &Model, required: &TeamLevels, what_ifs: &[Echo]) -> String {
    let what_ifs = crate::report::kit::csv::what_ifs_cell(what_ifs);
    let mut out = String::from("start,team,agents,what_ifs\n");
    for i in 0..model.n_intervals {
        let start = rfc3339(model, i);
        for (t, team) in model.teams.iter().enumerate() {
            let _ = writeln!(out, "{start},{},{},{what_ifs}", text(&team.name), required.levels[t][i]);
        }
    }
    out
}

/// The requirement by team as a table: per team and day, agent-hours
/// required and the peak, then whether the whole operation meets its
/// targets at those levels.
pub fn by_team_table(model: &Model, by_team: &crate::staffing::teams::ByTeam) -> String {
    let mut out =
        String::from("\nRequirement by team (every queue's targets, skills, priorities and overflow; simulated)\n");
    let _ = writeln!(out, "{:<20}  {:<10}  {:>12}  {:>10}", "Team", "Day", "Agent-hours", "Peak");
    let hours = model.interval_s / 3600.0;
    for (t, team) in model.teams.iter().enumerate() {
        for day in &model.days {
            let levels = &by_team.required.levels[t][day.interval_range()];
            let total: f64 = levels.iter().map(|&n| n as f64 * hours).sum();
            let peak = levels.iter().copied().max().unwrap_or(0);
            let _ = writeln!(out, "{:<20}  {:<10}  {:>12.1}  {:>10}", team.name, day.date, total, peak);
        }
    }
    match by_team.unmet.len() {
        0 => {
            let _ = writeln!(out, "Every target holds at these levels ({} simulated round(s)).", by_team.rounds);
        }
        n => {
            let _ = writeln!(out, "{n} period(s) still miss a target after {} rounds, worst first:", by_team.rounds);
            unmet_lines(&mut out, model, &by_team.unmet);
        }
    }
    out
}
