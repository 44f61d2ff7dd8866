//! `--format json` for `wfmsim run`.

use serde::Serialize;

use crate::model::Model;
use crate::montecarlo::{QueueResults, Results, TeamResults};

/// Version of the JSON layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct RunJson<'a> {
    schema_version: u32,
    scenario: &'a str,
    replications: u32,
    seed: u64,
    timezone: &'a str,
    interval_minutes: f64,
    service_level_rule: &'static str,
    queues: &'a [QueueResults],
    teams: &'a [TeamResults],
}

/// The run results as pretty JSON, ending in a newline.
pub fn render(model: &Model, results: &Results) -> String {
    let doc = RunJson {
        schema_version: SCHEMA_VERSION,
        scenario: &model.name,
        replications: results.replications,
        seed: results.seed,
        timezone: &model.timezone_name,
        interval_minutes: model.interval_s / 60.0,
        service_level_rule: model.service_level_rule.name(),
        queues: &results.queues,
        teams: &results.teams,
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("results serialize");
    out.push('\n');
    out
}

#[derive(Serialize)]
struct StaffJson<'a> {
    schema_version: u32,
    scenario: &'a str,
    timezone: &'a str,
    interval_minutes: f64,
    service_level_rule: &'static str,
    #[serde(flatten)]
    plan: &'a crate::staffing::StaffingPlan,
}

/// A staffing plan as pretty JSON, ending in a newline.
pub fn render_staffing(model: &Model, plan: &crate::staffing::StaffingPlan) -> String {
    let doc = StaffJson {
        schema_version: SCHEMA_VERSION,
        scenario: &model.name,
        timezone: &model.timezone_name,
        interval_minutes: model.interval_s / 60.0,
        service_level_rule: model.service_level_rule.name(),
        plan,
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("plan serializes");
    out.push('\n');
    out
}
