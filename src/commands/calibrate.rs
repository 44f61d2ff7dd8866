//! `wfmsim calibrate`: replays the days of an interval history under a
//! scenario with the staffing and arrivals that really were, and says per
//! queue and KPI whether the simulation reproduces what happened (exit 1
//! when a KPI differs significantly).

use std::path::PathBuf;

use wfmsim::calibrate::{self, Options};
use wfmsim::report;

use super::history::ReadArgs;
use super::output::{emit, say};
use super::{Failure, Result};

/// Output formats of `calibrate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CalibrateFormat {
    /// Aligned tables: per queue the verdicts, the whole span and each day.
    Table,
    /// CSV: one row per queue, span (all, day, interval) and KPI.
    Csv,
    /// JSON, with a calibrate_version; every interval included.
    Json,
    /// Markdown.
    Markdown,
}

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML): handle time, patience, routing, targets and
    /// events; its teams take the history's agents.
    scenario: PathBuf,
    /// Interval history (CSV) with offered, answered, abandoned,
    /// handle_time, answered_within, wait_answered and agents.
    history: PathBuf,
    #[command(flatten)]
    read: ReadArgs,
    /// Monte Carlo replications [default: the scenario's].
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    /// Master seed [default: the scenario's].
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads [default: all cores].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    /// Table and Markdown: every interval too (CSV and JSON always have them).
    #[arg(long)]
    intervals: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CalibrateFormat::Table)]
    format: CalibrateFormat,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// `wfmsim calibrate`.
pub fn run(args: &Args) -> Result {
    if args.intervals && matches!(args.format, CalibrateFormat::Csv | CalibrateFormat::Json) {
        return Err(Failure::bad_input(
            "--intervals is for --format table or markdown (CSV and JSON always hold them)",
        ));
    }
    let source = super::scenario::read(&args.scenario)?;
    let read = args.read.read(Some(&args.history), None)?;
    let history = read.history.as_ref().expect("a history is always read");
    let options =
        Options { replications: args.replications, seed: args.seed, threads: args.threads.map(|t| t as usize) };
    let c = calibrate::calibrate(&source.text, &source.name, history, &options)?;
    let text = match args.format {
        CalibrateFormat::Table => report::calibrate::table(&c, args.intervals),
        CalibrateFormat::Csv => report::calibrate::csv(&c),
        CalibrateFormat::Json => report::calibrate::json(&c),
        CalibrateFormat::Markdown => report::calibrate::markdown(&c, args.intervals),
    };
    emit(&text, args.output.as_deref())?;
    if c.differs() {
        let which: Vec<String> = c
            .queues
            .iter()
            .flat_map(|q| {
                q.verdicts.iter().filter(|v| v.significant).map(move |v| format!("{} {}", q.queue, v.kpi.label()))
            })
            .collect();
        say(&format!("the model does not reproduce the history: {}", which.join(", ")));
        return Err(Failure::run(anyhow::anyhow!("calibration: {} KPI(s) differ significantly", which.len())));
    }
    Ok(())
}
