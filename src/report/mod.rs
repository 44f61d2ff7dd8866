//! Renders results to bytes, one file per format. Callers decide where the
//! bytes go (stdout, or a file written atomically).

pub mod csv;
pub mod erlang;
pub mod json;
pub mod table;

use crate::erlang::Targets;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// JSON, with a schema_version.
    Json,
    /// CSV, one row per queue and interval.
    Csv,
}

/// A share as a percentage with one decimal: `81.2%`.
pub(crate) fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A queue's targets in a planner's words: `SL 80% in 20 s, ASA ≤ 30 s`.
pub(crate) fn describe_targets(t: &Targets) -> String {
    let mut parts = Vec::new();
    if let Some(sl) = t.service_level {
        parts.push(format!("SL {} in {} s", percent(sl), t.within_s));
    }
    if let Some(asa) = t.max_asa_s {
        parts.push(format!("ASA ≤ {asa} s"));
    }
    if let Some(ab) = t.max_abandon {
        parts.push(format!("abandon ≤ {}", percent(ab)));
    }
    if let Some(occ) = t.max_occupancy {
        parts.push(format!("occupancy ≤ {}", percent(occ)));
    }
    if parts.is_empty() {
        "no targets".to_string()
    } else {
        parts.join(", ")
    }
}
