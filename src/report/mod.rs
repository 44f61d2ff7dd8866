//! Renders results to bytes, one file per format. Callers decide where the
//! bytes go (stdout, or a file written atomically).

pub mod check;
pub mod compare;
pub mod csv;
pub mod erlang;
pub mod fit;
pub mod history;
pub mod html;
pub mod html_staffing;
pub mod json;
pub mod markdown;
pub mod plan;
mod risk;
pub mod roster;
pub mod svg;
pub mod sweep;
pub mod table;
pub mod table_staffing;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// JSON, with a schema_version.
    Json,
    /// CSV, one row per queue and reported span.
    Csv,
    /// Markdown tables (a CI job summary, a wiki page).
    Markdown,
    /// One self-contained HTML page with SVG charts (no script, nothing
    /// fetched).
    Html,
}

pub(crate) use crate::kpi::percent;
