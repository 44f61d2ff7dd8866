//! `wfmsim run`: simulate a scenario and report its KPIs with confidence
//! intervals; with `--shard K/N`, one slice of the replications as a
//! partial for `merge`.

use std::path::{Path, PathBuf};

use anyhow::Context;

use wfmsim::budget;
use wfmsim::model::Model;
use wfmsim::montecarlo::{self, RunOptions, MAX_SHARDS};
use wfmsim::report::{self, Format};
use wfmsim::results::Detail;

use super::args::{OutputArgs, ReportArgs, ReportFormat, SimulationArgs};
use super::output::{emit, progress_bar, say, AtomicFile};
use super::scenario::{load, within_memory};
use super::{Failure, Result};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    sim: SimulationArgs,
    #[command(flatten)]
    out: OutputArgs<ReportFormat>,
    #[command(flatten)]
    report: ReportArgs,
    /// Run only shard K of N (e.g. 2/4): a disjoint slice of the
    /// replications, written with --output as a partial for `merge` (a
    /// --format of html carries every interval of a short horizon, as a
    /// run's page would).
    #[arg(long, value_parser = shard)]
    shard: Option<(u32, u32)>,
    /// Also write the first replication's realised history, as `wfmsim
    /// fit` reads it: DIR/intervals.csv and DIR/contacts.csv (each whole
    /// or not at all).
    #[arg(long, value_name = "DIR", conflicts_with = "shard")]
    export_history: Option<PathBuf>,
}

/// The longest horizon, days, whose HTML report charts every interval
/// unless --detail says otherwise.
const HTML_INTERVAL_DAYS: usize = 14;

/// `wfmsim run`.
pub fn run(args: &Args) -> Result {
    let format = args.out.format.format();
    let loaded = load(&args.scenario, &args.sim)?;
    super::scenario::warn_holes(&loaded.source, &loaded.model, &loaded.model.coverage_holes(), "no agent on duty");
    let model = &loaded.model;
    let options = RunOptions {
        threads: args.sim.thread_option(),
        detail: detail(&args.report, format, model),
        period: args.report.period.kind(),
        provenance: loaded.provenance(),
    };
    let estimate =
        budget::for_run(model, args.sim.threads(), options.detail, options.period, format.bytes_per_period());
    within_memory(&args.sim, &args.scenario, &estimate)?;
    let progress = progress_bar(model.replications as u64, "replications");
    if let Some((k, n)) = args.shard {
        let Some(output) = args.out.output.as_deref() else {
            return Err(Failure::bad_input("--shard writes a partial for `merge`: give --output FILE"));
        };
        let partial = montecarlo::run_shard(model, &options, k, n, &|| progress.inc(1))?;
        progress.finish_and_clear();
        return emit(&report::run::json::render_partial(&partial), Some(output));
    }
    let results = montecarlo::run(model, &options, &|| progress.inc(1))?;
    progress.finish_and_clear();
    if let Some(dir) = &args.export_history {
        export_history(model, dir)
            .with_context(|| format!("could not export the history into '{}'", dir.display()))
            .map_err(Failure::run)?;
    }
    emit(&report::run::render(&results, format), args.out.output.as_deref())
}

/// The detail of a run of `model` reported in `format`: as asked, else
/// every interval for an HTML report's charts over a short horizon, else
/// the periods.
fn detail(report: &ReportArgs, format: Format, model: &Model) -> Detail {
    let charted = format == Format::Html && model.days.len() <= HTML_INTERVAL_DAYS;
    report.asked().unwrap_or(if charted { Detail::Interval } else { Detail::Period })
}

/// The first replication's history into `dir`: both files whole, or
/// neither.
fn export_history(model: &Model, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let (intervals, contacts) = (dir.join("intervals.csv"), dir.join("contacts.csv"));
    let (mut i, mut c) = (AtomicFile::create(&intervals)?, AtomicFile::create(&contacts)?);
    let e = report::history::export(model, 0, &mut i, &mut c)?;
    i.commit()?;
    c.commit()?;
    say(&format!(
        "history of replication 1: {} ({} rows), {} ({} rows)",
        intervals.display(),
        e.interval_rows,
        contacts.display(),
        e.contact_rows
    ));
    Ok(())
}

fn shard(s: &str) -> std::result::Result<(u32, u32), String> {
    let bad = || format!("{s:?} is not a shard; give K/N with 1 <= K <= N <= {MAX_SHARDS}, such as 2/4");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u32, u32) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if k >= 1 && k <= n && n <= MAX_SHARDS {
        Ok((k, n))
    } else {
        Err(bad())
    }
}
