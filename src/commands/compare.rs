//! `wfmsim compare A B`: both scenarios run on common random numbers,
//! replication by replication, and B − A reported for every KPI of every
//! queue they share, on the horizon and each period, with its paired 95%
//! interval, and for the teams' paid hours and cost. Bad input (a file
//! that cannot be read, scenarios whose intervals differ) exits 2 before
//! anything is simulated.

use std::path::PathBuf;

use clap::ValueEnum;

use wfmsim::compare::{self, CompareOptions, Side};
use wfmsim::input::WhatIf;
use wfmsim::report::{self, Format};
use wfmsim::results::Echo;

use super::args::{OutputArgs, PeriodArg, SimulationArgs};
use super::output::{emit, progress_bar};
use super::scenario::{echo, load_with, settle, what_ifs, within_memory};
use super::{Failure, Result};

#[derive(clap::Args)]
pub struct Args {
    /// The scenario compared against (TOML).
    a: PathBuf,
    /// The changed scenario (TOML): differences are B − A. Left out, B is
    /// A with the --set-b what-ifs (then give at least one --set-a or
    /// --set-b).
    b: Option<PathBuf>,
    /// What-if on side A only (PATH=VALUE as --set); repeat for more.
    #[arg(long = "set-a", value_name = "PATH=VALUE", value_parser = WhatIf::parse)]
    set_a: Vec<WhatIf>,
    /// What-if on side B only (PATH=VALUE as --set, e.g. volume=*1.15);
    /// repeat for more.
    #[arg(long = "set-b", value_name = "PATH=VALUE", value_parser = WhatIf::parse)]
    set_b: Vec<WhatIf>,
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
    let path_b = match &args.b {
        Some(b) => b,
        None if args.set_a.is_empty() && args.set_b.is_empty() => {
            return Err(Failure::bad_input(
                "compare: give scenario B, or what-ifs on one side (--set-b PATH=VALUE, --set-a PATH=VALUE) to \
                 compare A with itself changed",
            ))
        }
        None => &args.a,
    };
    // Messages name a side's what-if by the flag that gave it.
    let side = |path: &std::path::Path, own: &[WhatIf], flag: &str| {
        let mut list = what_ifs(&args.sim.what_ifs);
        list.extend(own.iter().map(|w| w.clone().with_origin(format!("--{flag} {}", w.value()))));
        let mut loaded = load_with(path, list)?;
        settle(&mut loaded.model, &args.sim);
        Ok::<_, Failure>(loaded)
    };
    let (loaded_a, loaded_b) = (side(&args.a, &args.set_a, "set-a")?, side(path_b, &args.set_b, "set-b")?);
    let (a, b) = (&loaded_a.model, &loaded_b.model);
    compare::pairable(a, b)
        .map_err(|e| Failure::from(e).at(format!("{} and {}", args.a.display(), path_b.display())))?;
    let period = args.period.kind();
    let estimate = wfmsim::budget::for_compare(a, b, args.sim.threads(), period, format.bytes_per_period());
    within_memory(&args.sim, path_b, &estimate)?;
    let options = CompareOptions {
        threads: args.sim.thread_option(),
        period,
        wfmsim_version: env!("CARGO_PKG_VERSION").to_string(),
        what_ifs: echo(&what_ifs(&args.sim.what_ifs)),
    };
    let (file_a, file_b) = (args.a.display().to_string(), path_b.display().to_string());
    let own = |list: &[WhatIf], flag: &str| -> Vec<Echo> {
        list.iter().map(|w| Echo { flag: flag.to_string(), value: w.value().to_string() }).collect()
    };
    let (own_a, own_b) = (own(&args.set_a, "set-a"), own(&args.set_b, "set-b"));
    let side_a = Side { model: a, file: &file_a, scenario_sha256: &loaded_a.source.sha256, what_ifs: &own_a };
    let side_b = Side { model: b, file: &file_b, scenario_sha256: &loaded_b.source.sha256, what_ifs: &own_b };
    let progress = progress_bar(a.replications as u64, "paired replications");
    let comparison = compare::compare(side_a, side_b, &options, &|| progress.inc(1))?;
    progress.finish_and_clear();
    emit(&render(&comparison), args.out.output.as_deref())
}
