//! A requirement given from outside (`schedule --requirement FILE.csv`):
//! columns `start,team,agents`, `start` an RFC 3339 interval start of the
//! scenario, rows in time order. Intervals not listed need no agents.

use jiff::Timestamp;

use crate::model::Model;
use crate::staffing::teams::TeamLevels;

/// A problem in a requirement file, placed by line and field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}: {field}: {message}")]
pub struct RequirementError {
    /// The file, as given.
    pub file: String,
    /// Line, 1-based.
    pub line: usize,
    /// The column.
    pub field: &'static str,
    /// What is wrong and what is allowed.
    pub message: String,
}

crate::fault::blame!(Input: RequirementError);

/// Reads `text` (the file `file`) into agents per team and interval.
pub fn parse(model: &Model, text: &str, file: &str) -> Result<TeamLevels, RequirementError> {
    let err = |line: usize, field: &'static str, message: String| RequirementError {
        file: file.to_string(),
        line,
        field,
        message,
    };
    let mut lines = text.lines().enumerate().map(|(n, l)| (n + 1, l.trim_end_matches('\r')));
    let header = lines.next().map(|(_, l)| l.split(',').map(str::trim).collect::<Vec<_>>());
    let fields = match header.as_deref() {
        Some(["start", "team", "agents"]) => 3,
        Some(["start", "team", "agents", "what_ifs"]) => 4,
        _ => {
            let message = "the first line must be `start,team,agents` (or `start,team,agents,what_ifs`, as `staff --by team --format csv` writes it)";
            return Err(err(1, "header", message.into()));
        }
    };
    let mut levels = vec![vec![0u32; model.n_intervals]; model.teams.len()];
    let mut seen = vec![vec![false; model.n_intervals]; model.teams.len()];
    let mut last: Option<usize> = None;
    for (line, text) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        // The what-ifs cell, last, may hold commas inside its quotes: it
        // is the rest of the line, and only echoes what made the file.
        let cells: Vec<&str> = text.splitn(fields, ',').map(str::trim).collect();
        if cells.len() != fields || (fields == 3 && cells[2].contains(',')) {
            let found = text.split(',').count();
            return Err(err(line, "row", format!("has {found} fields; allowed: {fields} (as the header)")));
        }
        let i = interval(model, cells[0]).map_err(|m| err(line, "start", m))?;
        if last.is_some_and(|l| i < l) {
            return Err(err(
                line,
                "start",
                format!("{} is before the row above; rows must be in time order", cells[0]),
            ));
        }
        last = Some(i);
        let Some(t) = model.teams.iter().position(|t| t.name == cells[1]) else {
            let names: Vec<&str> = model.teams.iter().map(|t| t.name.as_str()).collect();
            return Err(err(
                line,
                "team",
                format!("{:?} is not a team of the scenario; allowed: {}", cells[1], names.join(", ")),
            ));
        };
        let agents: u32 = cells[2].parse().map_err(|_| {
            err(
                line,
                "agents",
                format!("{:?} is not allowed; a whole number of agents from 0 to {}", cells[2], u32::MAX),
            )
        })?;
        if std::mem::replace(&mut seen[t][i], true) {
            return Err(err(line, "start", format!("{} is listed twice for team {:?}", cells[0], cells[1])));
        }
        levels[t][i] = agents;
    }
    Ok(TeamLevels { levels })
}

/// The interval `text` starts, or why it is not one.
fn interval(model: &Model, text: &str) -> Result<usize, String> {
    let ts: Timestamp = text.parse().map_err(|_| {
        format!("{text:?} is not an RFC 3339 time; allowed: an interval start such as 2026-03-02T08:30:00+01:00")
    })?;
    let s = (ts.as_second() - model.report_start.as_second()) as f64;
    let i = (s / model.interval_s).floor();
    if s < 0.0 || i >= model.n_intervals as f64 {
        return Err(format!("{text} lies outside the scenario's horizon"));
    }
    if s != i * model.interval_s || ts.subsec_nanosecond() != 0 {
        return Err(format!(
            "{text} is not the start of an interval (every {} minutes from midnight)",
            model.interval_s / 60.0
        ));
    }
    Ok(i as usize)
}
