//! `wfmsim fit`: reads an interval history and/or contact records, fits
//! handle time and patience per queue, and prints the fits with the
//! `[[queue]]` distributions to paste into a scenario.

use std::path::PathBuf;

use wfmsim::fit;
use wfmsim::report;

use super::history::ReadArgs;
use super::output::emit;
use super::Result;

/// Output formats of `fit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FitFormat {
    /// A readable report ending with the TOML fragment.
    Table,
    /// JSON, with a schema_version.
    Json,
    /// CSV: one figure a row (queue, source, figure, value, low, high).
    Csv,
    /// Markdown.
    Markdown,
}

#[derive(clap::Args)]
pub struct Args {
    /// Interval history (CSV): one row per queue and interval.
    history: Option<PathBuf>,
    /// Contact records (CSV): one row per contact (arrival, queue,
    /// outcome, wait, handle time).
    #[arg(long, value_name = "FILE")]
    records: Option<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FitFormat::Table)]
    format: FitFormat,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// `wfmsim fit`.
pub fn run(args: &Args) -> Result {
    let read = args.read.read(args.history.as_deref(), args.records.as_deref())?;
    let (history, records) = (read.history, read.records);
    let fitted = fit::fit(history.as_ref(), records.as_ref());
    let text = match args.format {
        FitFormat::Table => report::fit::table(&fitted),
        FitFormat::Json => report::fit::json(&fitted),
        FitFormat::Csv => report::fit::csv(&fitted),
        FitFormat::Markdown => report::fit::markdown(&fitted),
    };
    emit(&text, args.output.as_deref())
}
