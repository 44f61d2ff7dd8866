//! `--format json` for `wfmsim run`.

use crate::kpi::Kpi;
use crate::results::{Partial, Results};
use crate::verdict::{Baseline, BaselineError};

/// Version of the JSON layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 3;

/// The run results as pretty JSON, ending in a newline.
pub fn render(results: &Results) -> String {
    crate::report::kit::json::versioned("schema_version", SCHEMA_VERSION, results)
}

/// A shard's partial results as compact JSON, ending in a newline.
pub fn render_partial(partial: &Partial) -> String {
    let mut out = serde_json::to_string(partial).expect("partials serialize");
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
