//! `wfmsim staff --format json`: the requirement per queue and interval
//! with its totals, and with `--by team` each team's.

use crate::model::Model;
use crate::results::Provenance;
use serde::Serialize;

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
    plan: &'a crate::staffing::Staffing,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_team: Option<ByTeamJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    intervals: Option<Vec<crate::report::staff::by_team::TeamInterval>>,
}

#[derive(Serialize)]
struct ByTeamJson {
    rounds: usize,
    targets_met: bool,
    unmet: Vec<crate::report::staff::by_team::Unmet>,
}

/// A staffing plan as pretty JSON, ending in a newline.
pub fn render_staffing(model: &Model, provenance: &Provenance, plan: &crate::staffing::Staffing) -> String {
    render_staffing_by_team(model, provenance, plan, None)
}

/// [`render_staffing`] with the requirement by team (`staff --by team`):
/// `by_team` (rounds simulated, targets still missed) and `intervals`, one
/// row per interval and team.
pub fn render_staffing_by_team(
    model: &Model,
    provenance: &Provenance,
    plan: &crate::staffing::Staffing,
    by_team: Option<&crate::staffing::teams::ByTeam>,
) -> String {
    let all: Vec<usize> = (0..model.teams.len()).collect();
    let doc = StaffJson {
        by_team: by_team.map(|b| ByTeamJson {
            rounds: b.rounds,
            targets_met: b.unmet.is_empty(),
            unmet: crate::report::staff::by_team::unmet(model, &b.unmet),
        }),
        intervals: by_team.map(|b| crate::report::staff::by_team::team_intervals(model, &all, &b.required, None)),
        schema_version: crate::report::run::json::SCHEMA_VERSION,
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
