//! `wfmsim sweep`: a grid of what-ifs, every point run on the same seed,
//! judged and priced, the cheapest point meeting every target marked.
//! Every point is compiled and its memory estimated before any runs.

use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::ValueEnum;

use wfmsim::input::{Base, WhatIf};
use wfmsim::model::Model;
use wfmsim::montecarlo::{self, RunOptions};
use wfmsim::periods::PeriodKind;
use wfmsim::report;
use wfmsim::results::Detail;
use wfmsim::sweep::{self, Axis, Point, Sweep, CONFIRM_ABOVE, MAX_POINTS};

use super::args::{share, SimulationArgs};
use super::output::{emit, progress_bar};
use super::scenario::{judged_run_within_memory, print_warnings, provenance, read, settle, what_ifs};
use super::{Failure, Result};

/// Output formats of `sweep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    /// A row per point and queue.
    Table,
    /// Every point with its KPIs, as JSON.
    Json,
    /// A row per point and queue, with every KPI.
    Csv,
}

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// A path to vary over FROM:TO:STEP (volume=0.8:1.2:0.1), relatively
    /// with signs (team.Krakow.agents=+0:+10:2); repeat for a grid.
    #[arg(long, required = true, value_name = "PATH=FROM:TO:STEP", value_parser = Axis::parse)]
    vary: Vec<Axis>,
    #[command(flatten)]
    sim: SimulationArgs,
    /// Judge each target in at least this share of replications too, in
    /// (0, 1], besides on the mean.
    #[arg(long, value_parser = share)]
    confidence: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    format: SweepFormat,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Run a grid of more than 400 points.
    #[arg(long)]
    yes: bool,
}

/// `wfmsim sweep`.
pub fn run(args: &Args) -> Result {
    let n = sweep::points(&args.vary);
    let sizes: Vec<String> = args.vary.iter().map(|a| a.values.len().to_string()).collect();
    if n > MAX_POINTS || (n > CONFIRM_ABOVE && !args.yes) {
        let allowed = if n > MAX_POINTS {
            format!("allowed: at most {MAX_POINTS}")
        } else {
            format!("more than {CONFIRM_ABOVE} run only with --yes")
        };
        return Err(Failure::bad_input(format!("the sweep has {n} points ({}); {allowed}", sizes.join(" × "))));
    }
    let name = args.scenario.display().to_string();
    let source = read(&args.scenario)?;
    let (base, written) = Base::new(&source.text, &name)?;
    print_warnings(&name, &written.warnings);
    let mut model = written.model;
    settle(&mut model, &args.sim);
    let provenance = provenance(&model, &source, &what_ifs(&args.sim.what_ifs));
    let mut warned = BTreeSet::new();
    for p in 0..n {
        let model = point_model(args, &base, p, &mut warned)?;
        judged_run_within_memory(&args.sim, &args.scenario, &model)?;
    }
    let progress = progress_bar(n as u64 * model.replications as u64, "replications");
    let options = RunOptions {
        threads: args.sim.thread_option(),
        detail: Detail::Period,
        period: PeriodKind::Day,
        provenance: provenance.clone(),
    };
    let mut points = Vec::with_capacity(n);
    for p in 0..n {
        let model = point_model(args, &base, p, &mut warned)?;
        let results = montecarlo::run(&model, &options, &|| progress.inc(1))?;
        let at = sweep::point(&args.vary, p);
        let values: Vec<String> = args.vary.iter().zip(&at).map(|(a, &k)| a.values[k].clone()).collect();
        let overrides = args.vary.iter().zip(&values).map(|(a, v)| format!("{}={v}", a.path)).collect();
        points.push(Point::of(p + 1, values, overrides, results, args.confidence));
    }
    progress.finish_and_clear();
    let sweep = Sweep::new(model.name.clone(), provenance, args.confidence, args.vary.clone(), points);
    let text = match args.format {
        SweepFormat::Table => report::sweep::table(&sweep),
        SweepFormat::Json => report::sweep::json(&sweep),
        SweepFormat::Csv => report::sweep::csv(&sweep),
    };
    emit(&text, args.output.as_deref())
}

/// Point `p`'s model: the scenario with `--set`, then the point's values,
/// then the scale flags; warnings not yet shown go to stderr.
fn point_model(args: &Args, base: &Base, p: usize, warned: &mut BTreeSet<String>) -> Result<Model> {
    let mut list: Vec<WhatIf> = args.sim.what_ifs.set.clone();
    for (axis, k) in args.vary.iter().zip(sweep::point(&args.vary, p)) {
        list.push(axis.what_if_at(k).map_err(Failure::bad_input)?);
    }
    list.extend(what_ifs(&args.sim.what_ifs).into_iter().skip(args.sim.what_ifs.set.len()));
    let loaded = base.apply(&list)?;
    let fresh: Vec<_> = loaded.warnings.into_iter().filter(|w| warned.insert(format!("{w:?}"))).collect();
    print_warnings(&args.scenario.display().to_string(), &fresh);
    let mut model = loaded.model;
    settle(&mut model, &args.sim);
    Ok(model)
}
