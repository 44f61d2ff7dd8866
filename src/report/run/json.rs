//! `--format json` for `wfmsim run`.

use crate::results::{Partial, Results};

/// Version of the JSON layout; bumped on any incompatible change. `check`
/// reads a baseline of this version ([`crate::verdict::read_baseline`]).
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
