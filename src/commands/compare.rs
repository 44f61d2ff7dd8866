//! `wfmsim compare A B`: both scenarios run on common random numbers,
//! replication by replication, and B − A reported for every KPI of every
//! queue they share, on the horizon and each period, with its paired 95%
//! interval, and for the teams' paid hours and cost. Bad input (a file
//! that cannot be read, scenarios whose intervals differ) exits 2 before
//! anything is simulated.

use std::path::PathBuf;

use clap::ValueEnum;

use wfmsim::compare::{self, CompareOptions, Side};
use wfmsim::report::{self, Format};

use super::args::{OutputArgs, PeriodArg, SimulationArgs};
use super::output::{emit, progress_bar};
use super::scenario::{echo, load, within_memory};
use super::{Failure, Result};

#[derive(clap::Args)]
pub struct Args {
    /// The scenario compared against (TOML).
    a: PathBuf,
    /// The changed scenario (TOML): differences are B − A.
    b: PathBuf,
    #[command(flatten)]
    sim: SimulationArgs,
    #[command(flatten)]
    out: OutputArgs<CompareFormat>,
    /// Roll-up period: day, ISO week, calendar month or quarter.
    #[arg(long, value_enum, default_value_t)]
    period: PeriodArg,
}

/// Output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CompareFormat {
    /// A readable table.
    #[default]
    Table,
    /// JSON, with a schema_version.
    Json,
    /// CSV, one row per queue, reported span and KPI.
    Csv,
    /// Markdown tables (a CI job summary, a wiki page).
    Markdown,
}

/// `wfmsim compare`.
pub fn run(args: &Args) -> Result {
    let (render, format): (fn(&compare::Comparison) -> String, _) = match args.out.format {
        CompareFormat::Table => (report::compare::table, Format::Table),
        CompareFormat::Json => (report::compare::json, Format::Json),
        CompareFormat::Csv => (report::compare::csv, Format::Csv),
        CompareFormat::Markdown => (report::compare::markdown, Format::Markdown),
    };
    let (loaded_a, loaded_b) = (load(&args.a, &args.sim)?, load(&args.b, &args.sim)?);
    let (a, b) = (&loaded_a.model, &loaded_b.model);
    compare::pairable(a, b)
        .map_err(|e| Failure::from(e).at(format!("{} and {}", args.a.display(), args.b.display())))?;
    let period = args.period.kind();
    let estimate = wfmsim::budget::for_compare(a, b, args.sim.threads(), period, format.bytes_per_period());
    within_memory(&args.sim, &args.b, &estimate)?;
    let options = CompareOptions {
        threads: args.sim.thread_option(),
        period,
        wfmsim_version: env!("CARGO_PKG_VERSION").to_string(),
        what_ifs: echo(&loaded_a.what_ifs),
    };
    let (file_a, file_b) = (args.a.display().to_string(), args.b.display().to_string());
    let side_a = Side { model: a, file: &file_a, scenario_sha256: &loaded_a.source.sha256 };
    let side_b = Side { model: b, file: &file_b, scenario_sha256: &loaded_b.source.sha256 };
    let progress = progress_bar(a.replications as u64, "paired replications");
    let comparison = compare::compare(side_a, side_b, &options, &|| progress.inc(1))?;
    progress.finish_and_clear();
    emit(&render(&comparison), args.out.output.as_deref())
}
