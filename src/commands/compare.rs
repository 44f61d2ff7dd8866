//! `wfmsim compare A B`: both scenarios run on common random numbers,
//! replication by replication, and B − A reported for every KPI of every
//! queue they share, on the horizon and each period, with its paired 95%
//! interval, and for the teams' paid hours and cost. Bad input (a file
//! that cannot be read, scenarios whose intervals differ) exits 2 before
//! anything is simulated.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use wfmsim::compare::{self, CompareError, CompareOptions, Side};
use wfmsim::periods::PeriodKind;
use wfmsim::report::{self, Format};

use crate::{apply_overrides, emit, load_with_hash, progress_bar, provenance, threads, within_memory};
use crate::{BadInput, OutputArgs, SimulationArgs};

#[derive(Args)]
pub struct CompareArgs {
    /// The scenario compared against (TOML).
    a: PathBuf,
    /// The changed scenario (TOML): differences are B − A.
    b: PathBuf,
    #[command(flatten)]
    sim: SimulationArgs,
    #[command(flatten)]
    out: OutputArgs,
    /// Roll-up period: day, ISO week, calendar month or quarter.
    #[arg(long, value_enum, default_value_t = PeriodKind::Day)]
    period: PeriodKind,
}

/// `wfmsim compare`.
pub fn run(args: &CompareArgs) -> Result<()> {
    let render: fn(&compare::Comparison) -> String = match args.out.format {
        Format::Table => report::compare::table,
        Format::Json => report::compare::json,
        Format::Csv => report::compare::csv,
        Format::Markdown => report::compare::markdown,
        Format::Html => {
            return Err(
                BadInput("compare: --format html is not available; use table, json, csv or markdown".into()).into()
            )
        }
    };
    let (a, hash_a) = load_with_hash(&args.a, &args.sim.set)?;
    let (b, hash_b) = load_with_hash(&args.b, &args.sim.set)?;
    let (a, b) = (apply_overrides(a, &args.sim)?, apply_overrides(b, &args.sim)?);
    compare::pairable(&a, &b).map_err(|e| BadInput(format!("{} and {}: {e}", args.a.display(), args.b.display())))?;
    let estimate = wfmsim::budget::for_compare(&a, &b, threads(&args.sim), args.period, args.out.format);
    within_memory(&args.sim, &args.b, &estimate)?;
    let options = CompareOptions {
        threads: args.sim.threads.map(usize::from),
        period: args.period,
        wfmsim_version: env!("CARGO_PKG_VERSION").to_string(),
        what_ifs: provenance(&a, String::new(), &args.sim).what_ifs,
    };
    let (file_a, file_b) = (args.a.display().to_string(), args.b.display().to_string());
    let side_a = Side { model: &a, file: &file_a, scenario_sha256: &hash_a };
    let side_b = Side { model: &b, file: &file_b, scenario_sha256: &hash_b };
    let progress = progress_bar(a.replications as u64, "paired replications");
    let comparison = compare::compare(side_a, side_b, &options, &|| progress.inc(1)).map_err(|e| match e {
        CompareError::Unpairable(e) => anyhow::Error::new(BadInput(e.to_string())),
        CompareError::Threads(e) => e.into(),
    })?;
    progress.finish_and_clear();
    emit(&render(&comparison), args.out.output.as_deref())
}
