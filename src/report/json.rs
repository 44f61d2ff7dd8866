//! `--format json` for `wfmsim run`.

use serde::Serialize;

use crate::kpi::Kpi;
use crate::model::Model;
use crate::results::{Partial, Provenance, Results};
use crate::verdict::{Baseline, BaselineError};

/// Version of the JSON layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Serialize)]
struct RunJson<'a> {
    schema_version: u32,
    #[serde(flatten)]
    results: &'a Results,
}

/// The run results as pretty JSON, ending in a newline.
pub fn render(results: &Results) -> String {
    let mut out =
        serde_json::to_string_pretty(&RunJson { schema_version: SCHEMA_VERSION, results }).expect("results serialize");
    out.push('\n');
    out
}

/// A shard's partial results as compact JSON, ending in a newline.
pub fn render_partial(partial: &Partial) -> String {
    let mut out = serde_json::to_string(partial).expect("partials serialize");
    out.push('\n');
    out
}

#[derive(Serialize)]
struct StaffJson<'a> {
    schema_version: u32,
    scenario: &'a str,
    wfmsim_version: &'a str,
    scenario_sha256: &'a str,
    what_ifs: &'a [crate::results::Echo],
    timezone: &'a str,
    interval_minutes: f64,
    service_level_rule: &'static str,
    #[serde(flatten)]
    plan: &'a crate::staffing::StaffingPlan,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_team: Option<ByTeamJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    intervals: Option<Vec<super::roster::TeamInterval>>,
}

#[derive(Serialize)]
struct ByTeamJson {
    rounds: usize,
    targets_met: bool,
    unmet: Vec<super::roster::Unmet>,
}

/// A staffing plan as pretty JSON, ending in a newline.
pub fn render_staffing(model: &Model, provenance: &Provenance, plan: &crate::staffing::StaffingPlan) -> String {
    render_staffing_by_team(model, provenance, plan, None)
}

/// [`render_staffing`] with the requirement by team (`staff --by team`):
/// `by_team` (rounds simulated, targets still missed) and `intervals`, one
/// row per interval and team.
pub fn render_staffing_by_team(
    model: &Model,
    provenance: &Provenance,
    plan: &crate::staffing::StaffingPlan,
    by_team: Option<&crate::staffing::teams::ByTeam>,
) -> String {
    let all: Vec<usize> = (0..model.teams.len()).collect();
    let doc = StaffJson {
        by_team: by_team.map(|b| ByTeamJson {
            rounds: b.rounds,
            targets_met: b.unmet.is_empty(),
            unmet: super::roster::unmet(model, &b.unmet),
        }),
        intervals: by_team.map(|b| super::roster::team_intervals(model, &all, &b.required, None)),
        schema_version: SCHEMA_VERSION,
        scenario: &model.name,
        wfmsim_version: &provenance.wfmsim_version,
        scenario_sha256: &provenance.scenario_sha256,
        what_ifs: &provenance.what_ifs,
        timezone: &model.timezone_name,
        interval_minutes: model.interval_s / 60.0,
        service_level_rule: model.service_level_rule.name(),
        plan,
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("plan serializes");
    out.push('\n');
    out
}

/// Reads a `run --format json` report as a baseline for `check`: its
/// scenario, replications and each queue's horizon KPIs. A report of
/// another `schema_version` is refused, naming both.
pub fn read_baseline(text: &str) -> Result<Baseline, BaselineError> {
    #[derive(serde::Deserialize)]
    struct Report {
        scenario: String,
        replications: u32,
        queues: Vec<QueueReport>,
    }
    #[derive(serde::Deserialize)]
    struct QueueReport {
        name: String,
        horizon: serde_json::Map<String, serde_json::Value>,
    }
    let not_a_report = |e: serde_json::Error| BaselineError::NotAReport(e.to_string());
    let version: serde_json::Value = serde_json::from_str(text).map_err(not_a_report)?;
    match version.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v != u64::from(SCHEMA_VERSION) => {
            return Err(BaselineError::SchemaVersion { baseline: v, current: SCHEMA_VERSION })
        }
        _ => {}
    }
    let report: Report = serde_json::from_value(version).map_err(not_a_report)?;
    let queues = report
        .queues
        .into_iter()
        .map(|q| {
            let kpis = q
                .horizon
                .iter()
                .filter_map(|(key, v)| Some((Kpi::from_key(key)?, serde_json::from_value(v.clone()).ok()?)))
                .collect();
            (q.name, kpis)
        })
        .collect();
    Ok(Baseline { scenario: report.scenario, replications: report.replications, queues })
}
