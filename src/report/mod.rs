//! Renders results to bytes: one module per document (a run, a staffing,
//! a roster, a plan, a verdict, a comparison, a sweep, an Erlang answer),
//! each with its formats, on a small shared [`kit`] (text and Markdown
//! tables, the HTML page, SVG charts, CSV cells). Callers decide where the
//! bytes go (stdout, or a file written atomically).

pub mod backtest;
pub mod check;
pub mod compare;
pub mod erlang;
pub mod fit;
pub mod forecast;
pub mod history;
pub mod kit;
pub mod plan;
pub mod run;
pub mod schedule;
pub mod staff;
pub mod sweep;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl Format {
    /// Report text per queue and period, bytes, as measured on the shipped
    /// scenarios with room (JSON 2 to 3 KiB, CSV about 600 B, a table's
    /// row 160 B), and twice that: the text grows by doubling. What
    /// `crate::budget` counts for the report.
    pub fn bytes_per_period(self) -> f64 {
        let per_period = match self {
            Format::Json => 3072.0,
            Format::Csv => 768.0,
            Format::Table | Format::Markdown => 256.0,
            // A point, its bands and its tooltip in each chart.
            Format::Html => 2048.0,
        };
        2.0 * per_period
    }
}
