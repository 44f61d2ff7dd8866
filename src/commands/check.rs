//! `wfmsim check`: every scenario run and its targets judged on the
//! horizon and each day, optionally against a baseline report and (with
//! `--staff`) staffed to see that no interval hits the cap of agents, for
//! CI.
//! Exit 0 when all hold, 1 when any target is missed or KPI regressed, 2
//! on bad input (before anything is simulated).

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use wfmsim::kpi::{Kpi, Unit};
use wfmsim::model::Model;
use wfmsim::montecarlo::{self, RunOptions};
use wfmsim::periods::PeriodKind;
use wfmsim::report::{self, Format};
use wfmsim::results::{Detail, Provenance, Results};
use wfmsim::staffing;
use wfmsim::verdict::{self, Baseline, ScenarioVerdict, StaffingCheck, Tolerance, Verdict};

use super::args::{share, SimulationArgs};
use super::output::{emit, progress_bar};
use super::scenario::{judged_run_within_memory, load, within_memory};
use super::staff::staffing_plan;
use super::{Failure, Result};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A line per scenario and per target missed.
    Table,
    /// Every target checked, as JSON.
    Json,
    /// A job summary in Markdown.
    Markdown,
    /// One HTML page (a CI artifact).
    Html,
}

#[derive(clap::Args)]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    sim: SimulationArgs,
    /// Require each target in at least this share of replications too, in
    /// (0, 1], besides on the mean.
    #[arg(long, value_parser = share)]
    confidence: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
    format: CheckFormat,
    /// Write the verdict to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Also write the verdict as JUnit XML to this file (atomically).
    #[arg(long)]
    junit: Option<PathBuf>,
    /// A previous `run --format json` report of the scenario: fail when a
    /// KPI got worse by more than the tolerance, significantly. Once per
    /// scenario, in the same order.
    #[arg(long)]
    baseline: Vec<PathBuf>,
    /// How much worse than the baseline a KPI may get: `2pp` (shares, in
    /// percentage points) and `10%` (other KPIs, relative), the defaults;
    /// and per KPI an absolute amount that replaces them for it:
    /// `asa=5s`, `abandon=1pp`, `response_time=2h`, `peak_backlog=50`.
    /// Repeat for more.
    #[arg(long, value_parser = tolerance_part)]
    tolerance: Vec<TolerancePart>,
    /// Compare with the baseline only the KPIs each queue has a target on.
    #[arg(long, requires = "baseline")]
    targets_only: bool,
    /// Write each scenario's `run --format json` report to its --baseline
    /// file instead of comparing with it.
    #[arg(long, requires = "baseline", conflicts_with_all = ["tolerance", "targets_only"])]
    update_baseline: bool,
    /// Also staff each scenario as `wfmsim staff` does: fail when an
    /// interval finds no level up to the cap of agents meeting the targets
    /// (the requirement's totals would be too low).
    #[arg(long)]
    staff: bool,
    /// With --staff: most agents tried per interval (default: 3 × the
    /// load + 50).
    #[arg(long, requires = "staff", value_parser = clap::value_parser!(u32).range(1..))]
    max_agents: Option<u32>,
}

/// One part of `--tolerance`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TolerancePart {
    /// For shares, in percentage points.
    Points(f64),
    /// For other KPIs, relative to the baseline (a share).
    Relative(f64),
    /// For one KPI, an absolute amount in its reported unit.
    Absolute(Kpi, f64),
}

/// The names `--tolerance KPI=AMOUNT` takes: each KPI with a better side,
/// by its JSON key less a unit suffix, and `abandon` for the abandon rate.
fn tolerance_kpi(name: &str) -> Option<Kpi> {
    if name == "abandon" {
        return Some(Kpi::AbandonRate);
    }
    Kpi::ALL.into_iter().filter(|k| k.better().is_some()).find(|k| tolerance_name(*k) == name)
}

fn tolerance_name(kpi: Kpi) -> &'static str {
    let key = kpi.key();
    key.strip_suffix("_hours").or_else(|| key.strip_suffix("_s")).unwrap_or(key)
}

/// `KPI=AMOUNT`: the amount in the KPI's unit, written with one of the
/// units it allows.
fn absolute_tolerance(s: &str, name: &str, amount: &str) -> std::result::Result<TolerancePart, String> {
    let Some(kpi) = tolerance_kpi(name.trim()) else {
        let mut names: Vec<&str> = Kpi::ALL.into_iter().filter(|k| k.better().is_some()).map(tolerance_name).collect();
        names.insert(0, "abandon");
        return Err(format!("{s:?}: {name:?} is not a KPI a baseline compares; allowed: {}", names.join(", ")));
    };
    // Each unit as (suffix, factor to the KPI's reported unit).
    let units: &[(&str, f64)] = match kpi.unit() {
        Unit::Share => &[("pp", 0.01)],
        Unit::Seconds => &[("ms", 0.001), ("s", 1.0), ("min", 60.0), ("h", 3600.0)],
        Unit::Hours => &[("min", 1.0 / 60.0), ("h", 1.0)],
        Unit::Count => &[("", 1.0)],
    };
    let allowed = units.iter().map(|(u, _)| if u.is_empty() { "a bare number" } else { u }).collect::<Vec<_>>();
    let amount = amount.trim();
    let split = amount.find(|c: char| c.is_ascii_alphabetic() || c == '%').unwrap_or(amount.len());
    let (number, unit) = amount.split_at(split);
    let Some(&(_, factor)) = units.iter().find(|(u, _)| *u == unit.trim()) else {
        return Err(format!(
            "{s:?}: {unit:?} is not a unit of {}; allowed: {} (e.g. {})",
            kpi.label(),
            allowed.join(", "),
            tolerance_example(kpi)
        ));
    };
    match number.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 && (kpi.unit() != Unit::Share || x <= 100.0) => {
            Ok(TolerancePart::Absolute(kpi, x * factor))
        }
        _ => Err(format!("{s:?}: {number:?} is not an amount ≥ 0; e.g. {}", tolerance_example(kpi))),
    }
}

fn tolerance_example(kpi: Kpi) -> String {
    let amount = match kpi.unit() {
        Unit::Share => "1pp",
        Unit::Seconds => "5s",
        Unit::Hours => "2h",
        Unit::Count => "50",
    };
    format!("{}={amount}", tolerance_name(kpi))
}

fn tolerance_part(s: &str) -> std::result::Result<TolerancePart, String> {
    if let Some((name, amount)) = s.split_once('=') {
        return absolute_tolerance(s, name, amount);
    }
    let bad = || {
        format!(
            "{s:?} is not a tolerance; give percentage points for shares (2pp), a percentage for other KPIs (10%) \
             or one KPI's absolute amount (asa=5s, abandon=1pp)"
        )
    };
    let number = |x: &str| x.trim().parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0);
    if let Some(points) = s.strip_suffix("pp") {
        number(points).filter(|x| *x <= 100.0).map(|x| TolerancePart::Points(x / 100.0)).ok_or_else(bad)
    } else if let Some(pct) = s.strip_suffix('%') {
        number(pct).map(|x| TolerancePart::Relative(x / 100.0)).ok_or_else(bad)
    } else {
        Err(bad())
    }
}

/// The tolerance: the default with the parts given.
fn tolerance(parts: &[TolerancePart], targets_only: bool) -> Tolerance {
    let start = Tolerance { targets_only, ..Tolerance::default() };
    parts.iter().fold(start, |t, p| match *p {
        TolerancePart::Points(x) => Tolerance { share_points: x, ..t },
        TolerancePart::Relative(x) => Tolerance { relative: x, ..t },
        TolerancePart::Absolute(kpi, x) => t.with_absolute(kpi, x),
    })
}

/// A scenario ready to run, with its baseline when one is compared.
struct Job<'a> {
    path: &'a Path,
    model: Model,
    provenance: Provenance,
    baseline: Option<(&'a Path, Option<Baseline>)>,
}

/// `wfmsim check`.
pub fn run(args: &Args) -> Result {
    if !args.baseline.is_empty() && args.baseline.len() != args.scenarios.len() {
        return Err(Failure::bad_input(format!(
            "--baseline: give one per scenario, in the same order ({} scenario(s), {} baseline(s))",
            args.scenarios.len(),
            args.baseline.len()
        )));
    }
    let jobs = args.scenarios.iter().enumerate().map(|(i, path)| prepare(args, path, i)).collect::<Result<Vec<_>>>()?;
    let tolerance = tolerance(&args.tolerance, args.targets_only);
    let mut verdicts = Vec::with_capacity(jobs.len());
    for job in &jobs {
        verdicts.push(check_one(args, job, &tolerance)?);
    }
    let verdict = Verdict::of(verdicts, args.confidence, tolerance);
    let text = match args.format {
        CheckFormat::Table => report::check::table(&verdict),
        CheckFormat::Json => report::check::json(&verdict),
        CheckFormat::Markdown => report::check::markdown(&verdict),
        CheckFormat::Html => report::check::html(&verdict),
    };
    if let Some(path) = &args.junit {
        emit(&report::check::junit(&verdict), Some(path))?;
    }
    emit(&text, args.output.as_deref())?;
    failure(&verdict)
}

/// Loads scenario `i`, applies the what-ifs, checks its memory and reads
/// its baseline (a baseline of another scenario or schema is bad input),
/// all before anything runs.
fn prepare<'a>(args: &'a Args, path: &'a Path, i: usize) -> Result<Job<'a>> {
    let loaded = load(path, &args.sim)?;
    let provenance = loaded.provenance();
    let model = loaded.model;
    judged_run_within_memory(&args.sim, path, &model)?;
    if args.staff {
        let estimate =
            wfmsim::budget::for_staff(&model, args.sim.threads(), args.max_agents, Format::Json.bytes_per_period());
        within_memory(&args.sim, path, &estimate)?;
    }
    let baseline = match args.baseline.get(i) {
        None => None,
        Some(file) if args.update_baseline => Some((file.as_path(), None)),
        Some(file) => Some((file.as_path(), Some(read_baseline(file, &model)?))),
    };
    Ok(Job { path, model, provenance, baseline })
}

fn read_baseline(file: &Path, model: &Model) -> Result<Baseline> {
    let name = file.display();
    let bad = |e: &dyn std::fmt::Display| Failure::bad_input(format!("--baseline {name}: {e}"));
    let text = super::input::read_text(file, "baseline").map_err(|e| e.at("--baseline"))?;
    let baseline = verdict::read_baseline(&text, report::run::json::SCHEMA_VERSION).map_err(|e| bad(&e))?;
    verdict::same_scenario(&baseline, &model.name).map_err(|e| bad(&e))?;
    Ok(baseline)
}

/// Runs one scenario and judges it; compares it with its baseline, or
/// writes the baseline with --update-baseline.
fn check_one(args: &Args, job: &Job, tolerance: &Tolerance) -> Result<ScenarioVerdict> {
    let results = simulate(args, job)?;
    let mut verdict = ScenarioVerdict::of(&results, &job.path.display().to_string(), args.confidence);
    if args.staff {
        let options = staffing::Options {
            confidence: args.confidence,
            max_agents: args.max_agents,
            threads: args.sim.thread_option(),
        };
        verdict = verdict.with_staffing(StaffingCheck::of(&staffing_plan(&job.model, &options)?));
    }
    match &job.baseline {
        None => Ok(verdict),
        Some((file, None)) => {
            emit(&report::run::json::render(&results), Some(file))?;
            Ok(verdict)
        }
        Some((file, Some(baseline))) => {
            let comparison = verdict::compare_with_baseline(baseline, &file.display().to_string(), &results, tolerance)
                .map_err(|e| Failure::from(e).at(format!("--baseline {}", file.display())))?;
            Ok(verdict.with_baseline(comparison))
        }
    }
}

/// The run `run --format json` would report with the same flags.
fn simulate(args: &Args, job: &Job) -> Result<Results> {
    let options = RunOptions {
        threads: args.sim.thread_option(),
        detail: Detail::Period,
        period: PeriodKind::Day,
        provenance: job.provenance.clone(),
    };
    let progress = progress_bar(job.model.replications as u64, "replications");
    let results = montecarlo::run(&job.model, &options, &|| progress.inc(1))?;
    progress.finish_and_clear();
    Ok(results)
}

/// Exit 1, after the verdict is written, when any scenario failed.
fn failure(verdict: &Verdict) -> Result {
    if verdict.passed {
        return Ok(());
    }
    let missed: usize = verdict.scenarios.iter().map(|s| s.misses().count()).sum();
    let compared: Vec<_> = verdict.scenarios.iter().filter_map(|s| s.baseline.as_ref()).collect();
    let regressed = match compared.iter().map(|b| b.regressions().count()).sum::<usize>() {
        _ if compared.is_empty() => String::new(),
        n => format!(", {n} KPI(s) worse than the baseline"),
    };
    let staffed: Vec<_> = verdict.scenarios.iter().filter_map(|s| s.staffing.as_ref()).collect();
    let capped = match staffed.iter().map(|s| s.capped.len()).sum::<usize>() {
        _ if staffed.is_empty() => String::new(),
        n => format!(", {n} interval(s) staffed at the cap"),
    };
    Err(Failure::run(anyhow::anyhow!("check failed: {missed} target check(s) missed{regressed}{capped}")))
}
