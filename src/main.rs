//! The `wfmsim` command: parses arguments, calls the library, prints or
//! writes the report, and maps errors to exit codes (2 bad input, 1
//! failure, 0 on a closed pipe).

mod commands;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use wfmsim::model::{Loaded, Model};
use wfmsim::montecarlo::RunOptions;
use wfmsim::periods::PeriodKind;
use wfmsim::report::Format;
use wfmsim::results::{Detail, Provenance, Results, WhatIf};
use wfmsim::whatif::Override;
use wfmsim::{budget, montecarlo, report, staffing};

#[derive(Parser)]
#[command(name = "wfmsim", version, about = "Workforce-management simulator for contact centers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and report KPIs with confidence intervals.
    Run(RunArgs),
    /// Agents needed per interval to meet every queue's targets: Erlang C,
    /// Erlang A and the simulation side by side, with hours, FTE and cost.
    Staff(StaffArgs),
    /// A roster of shifts from the teams' shift rules covering the
    /// requirement by team at the least paid hours (or cost), simulated
    /// and repaired until every target holds.
    Schedule(commands::schedule::ScheduleArgs),
    /// A long-range capacity plan and care-cost budget by month from the
    /// scenario's [plan]: required FTE from simulated weeks, headcount
    /// with attrition, hiring, training and ramp, overtime, partners and
    /// cost, each random figure with its CI and P10/P50/P90.
    Plan(commands::plan::PlanArgs),
    /// Judge every scenario's targets on the horizon and each day (and,
    /// with --baseline, its KPIs against a previous report) for CI: exit 0
    /// when all hold, 1 when any is missed, 2 on bad input.
    Check(commands::check::CheckArgs),
    /// A grid of what-ifs (--vary PATH=FROM:TO:STEP, repeated), every
    /// point run on the same seed, judged as `check` judges and priced;
    /// the cheapest point meeting every target is marked.
    Sweep(commands::sweep::SweepArgs),
    /// Run two scenarios on common random numbers and report B − A for
    /// every KPI and the cost, with 95% intervals from the paired
    /// differences and whether each is significant.
    Compare(commands::compare::CompareArgs),
    /// Fit handle time and patience per queue from history (an interval
    /// history and/or contact records), with the scenario's [[queue]]
    /// distributions to paste.
    Fit(commands::fit::FitArgs),
    /// Quick analytic calculator: KPIs for a number of agents, or the least
    /// agents meeting targets (Erlang C; Erlang A with --patience).
    Erlang(ErlangArgs),
    /// Merge the partial results of `run --shard K/N` into the report one
    /// run over all replications gives (the same bytes).
    Merge(MergeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish or
    /// powershell), e.g. `wfmsim completions bash > ~/.local/share/bash-completion/completions/wfmsim`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Check scenario files and list every problem found, with its place.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
}

/// Flags shared by every command that simulates.
#[derive(Args)]
struct SimulationArgs {
    /// Monte Carlo replications (overrides the scenario).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    replications: Option<u32>,
    /// Master seed (overrides the scenario).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// What-if: multiply every arrival rate by this factor (e.g. 1.2).
    #[arg(long, value_parser = positive_number, default_value_t = 1.0)]
    volume_scale: f64,
    /// What-if: multiply every handle time by this factor (e.g. 0.9).
    #[arg(long, value_parser = positive_number, default_value_t = 1.0)]
    aht_scale: f64,
    /// What-if: set a scenario value by its path, absolutely or relatively
    /// (team.Austin.cost_per_hour=36, team.Manila.agents=-5, volume=*1.1,
    /// queue.support-en.split.Manila=0.2); repeat for more.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Override::parse)]
    set: Vec<Override>,
    /// Refuse to start when the estimated peak memory passes this size
    /// (e.g. 4GiB, 512MiB, 1.5GB; default: half the machine's memory).
    #[arg(long, value_parser = budget::parse_size)]
    max_memory: Option<u64>,
}

/// Where a report goes and in which format.
#[derive(Args)]
struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct StaffArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    sim: SimulationArgs,
    #[command(flatten)]
    out: OutputArgs,
    /// Require each target to be met in at least this share of replications
    /// (in (0, 1]), besides on average.
    #[arg(long, value_parser = share)]
    confidence: Option<f64>,
    /// Most agents tried per interval (default: 3 × the load + 50).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    max_agents: Option<u32>,
    /// `team`: also the agents each team needs per interval, every queue's
    /// targets holding with skills, priorities, overflow and costs
    /// (simulated); CSV output is then `start,team,agents`.
    #[arg(long, value_enum)]
    by: Option<StaffBy>,
}

/// What `staff --by` groups the requirement by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum StaffBy {
    /// Per team.
    Team,
}

/// Most agents the calculator takes (`--agents`, `--max-agents`).
const MAX_CALCULATOR_AGENTS: i64 = 100_000;

#[derive(Args)]
struct ErlangArgs {
    /// Arrivals per hour, more than 0 and at most 1e9.
    #[arg(long, value_parser = rate_per_hour)]
    rate_per_hour: f64,
    /// Mean handle time, seconds: more than 0, at most 86400.
    #[arg(long, value_parser = handle_seconds)]
    aht: f64,
    /// Service-level threshold, seconds: 0 to 86400.
    #[arg(long, value_parser = threshold_seconds, default_value_t = 20.0)]
    within: f64,
    /// Agents, 0 to 100000; without it, give targets and get the least
    /// agents meeting them.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=MAX_CALCULATOR_AGENTS))]
    agents: Option<u32>,
    /// Mean patience, seconds (0.001 to 1e9): Erlang A (with abandonment)
    /// instead of Erlang C.
    #[arg(long, value_parser = patience_seconds)]
    patience: Option<f64>,
    /// Target service level (share answered within --within), in (0, 1].
    #[arg(long, value_parser = share)]
    target_sl: Option<f64>,
    /// Most ASA, seconds.
    #[arg(long, value_parser = positive_number)]
    max_asa: Option<f64>,
    /// Most abandonment (share), in (0, 1].
    #[arg(long, value_parser = share)]
    max_abandon: Option<f64>,
    /// Most occupancy (share), in (0, 1].
    #[arg(long, value_parser = share)]
    max_occupancy: Option<f64>,
    /// Most agents searched when finding the least agents, 1 to 100000.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..=MAX_CALCULATOR_AGENTS))]
    max_agents: u32,
    /// Output format: one answer has no CSV form.
    #[arg(long, value_enum, default_value_t = ErlangFormat::Table)]
    format: ErlangFormat,
    /// Exit 1 (after printing the answer) when it is not a number of
    /// agents with KPIs: an unstable queue, or no level up to the cap.
    #[arg(long)]
    strict: bool,
}

/// Output formats of the calculator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ErlangFormat {
    /// A readable table.
    Table,
    /// JSON, with a schema_version.
    Json,
}

fn positive_number(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("{s:?} is not allowed; a finite number > 0")),
    }
}

/// A number from `low` (excluded when `open`) to `high`; `allowed` says so
/// in the error.
fn number_in(s: &str, low: f64, open: bool, high: f64, allowed: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x <= high && (x > low || (!open && x == low)) => Ok(x),
        Ok(_) => Err(format!("{s:?} is out of range; allowed: {allowed}")),
        Err(_) => Err(format!("{s:?} is not a number; allowed: {allowed}")),
    }
}

fn rate_per_hour(s: &str) -> Result<f64, String> {
    number_in(s, 0.0, true, 1e9, "contacts per hour, more than 0 and at most 1e9")
}

fn handle_seconds(s: &str) -> Result<f64, String> {
    number_in(s, 0.0, true, 86_400.0, "seconds, more than 0 and at most 86400")
}

fn threshold_seconds(s: &str) -> Result<f64, String> {
    number_in(s, 0.0, false, 86_400.0, "seconds from 0 to 86400")
}

fn patience_seconds(s: &str) -> Result<f64, String> {
    number_in(s, 0.001, false, 1e9, "seconds from 0.001 to 1e9")
}

fn share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 1.0 => Ok(x),
        _ => Err(format!("{s:?} is not allowed; a share in (0, 1], such as 0.8")),
    }
}

/// What a run report carries and how its days are grouped.
#[derive(Args)]
struct ReportArgs {
    /// What the report carries beside the horizon: the roll-up periods
    /// or the periods and every interval [default: period; with --format
    /// html, `run` gives every interval of a horizon of up to 14 days and
    /// `merge` what the shards carry].
    #[arg(long, value_enum)]
    detail: Option<Detail>,
    /// Roll-up period: day, ISO week, calendar month or quarter.
    #[arg(long, value_enum, default_value_t = PeriodKind::Day)]
    period: PeriodKind,
    /// Same as --detail interval.
    #[arg(long)]
    intervals: bool,
}

/// The longest horizon, days, whose HTML report charts every interval
/// unless --detail says otherwise.
const HTML_INTERVAL_DAYS: usize = 14;

impl ReportArgs {
    /// The detail asked for, if any.
    fn asked(&self) -> Option<Detail> {
        if self.intervals {
            Some(Detail::Interval)
        } else {
            self.detail
        }
    }

    /// The detail of a run of `model` reported in `format`: as asked, else
    /// every interval for an HTML report's charts over a short horizon,
    /// else the periods.
    fn detail(&self, format: Format, model: &Model) -> Detail {
        let charted = format == Format::Html && model.days.len() <= HTML_INTERVAL_DAYS;
        self.asked().unwrap_or(if charted { Detail::Interval } else { Detail::Period })
    }
}

#[derive(Args)]
struct RunArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    sim: SimulationArgs,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    report: ReportArgs,
    /// Run only shard K of N (e.g. 2/4): a disjoint slice of the
    /// replications, written with --output as a partial for `merge`.
    #[arg(long, value_parser = shard)]
    shard: Option<(u32, u32)>,
    /// Also write the first replication's realised history into DIR, as
    /// `wfmsim fit` reads it: DIR/intervals.csv and DIR/contacts.csv.
    #[arg(long, value_name = "DIR")]
    export_history: Option<PathBuf>,
}

#[derive(Args)]
struct MergeArgs {
    /// Partial results written by `run --shard K/N --output FILE`, every
    /// shard of one run exactly once, in any order.
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
}

fn shard(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{s:?} is not a shard; give K/N with 1 <= K <= N <= 100000, such as 2/4");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u32, u32) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if k >= 1 && k <= n && n <= 100_000 {
        Ok((k, n))
    } else {
        Err(bad())
    }
}

/// An error in what the user gave us: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadInput(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Staff(args) => staff(args),
        Command::Schedule(args) => commands::schedule::run(&args),
        Command::Plan(args) => commands::plan::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Sweep(args) => commands::sweep::run(&args),
        Command::Compare(args) => commands::compare::run(&args),
        Command::Fit(args) => commands::fit::run(&args),
        Command::Erlang(args) => erlang(&args),
        Command::Merge(args) => merge(&args),
        Command::Validate { scenarios } => validate(&scenarios),
        Command::Completions { shell } => completions(shell),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => match e.downcast_ref::<BadInput>() {
            Some(bad) => {
                eprintln!("{bad}");
                ExitCode::from(2)
            }
            None => {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            }
        },
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Reads and compiles a scenario; problems become `BadInput`, warnings go
/// to stderr.
fn load(path: &Path) -> Result<Model> {
    Ok(load_with_hash(path, &[])?.0)
}

/// [`load`] with the `--set` overrides applied, and the SHA-256 of the
/// file's bytes (hex).
fn load_with_hash(path: &Path, set: &[Override]) -> Result<(Model, String)> {
    let name = path.display().to_string();
    let source =
        std::fs::read_to_string(path).map_err(|e| BadInput(format!("{name}: could not read the scenario: {e}")))?;
    let hash = sha256_hex(source.as_bytes());
    let Loaded { model, warnings } = wfmsim::whatif::load(&source, &name, set).map_err(|e| BadInput(e.to_string()))?;
    print_warnings(&name, &warnings);
    Ok((model, hash))
}

/// A scenario's warnings on stderr, each with its place where it has one.
fn print_warnings(name: &str, warnings: &[wfmsim::diagnostic::Diagnostic]) {
    for w in warnings {
        let place = w.line_col.map_or(String::new(), |(l, c)| format!("{l}:{c}:"));
        eprintln!("{name}:{place} warning: {}: {}", w.field, w.message);
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a run's figures come from: version, scenario hash, seed,
/// replications and every what-if flag used.
fn provenance(model: &Model, hash: String, sim: &SimulationArgs) -> Provenance {
    let mut what_ifs = Vec::new();
    if sim.volume_scale != 1.0 {
        what_ifs.push(WhatIf { flag: "volume-scale".into(), value: sim.volume_scale.to_string() });
    }
    if sim.aht_scale != 1.0 {
        what_ifs.push(WhatIf { flag: "aht-scale".into(), value: sim.aht_scale.to_string() });
    }
    what_ifs.extend(sim.set.iter().map(|o| WhatIf { flag: "set".into(), value: o.text().to_string() }));
    Provenance {
        wfmsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: hash,
        seed: model.seed,
        replications: model.replications,
        what_ifs,
    }
}

fn apply_overrides(mut model: Model, sim: &SimulationArgs) -> Result<Model> {
    if let Some(r) = sim.replications {
        model.replications = r;
    }
    if let Some(s) = sim.seed {
        model.seed = s;
    }
    if sim.volume_scale != 1.0 {
        model = model.with_volume_scale(sim.volume_scale).map_err(|e| BadInput(format!("--volume-scale: {e}")))?;
    }
    if sim.aht_scale != 1.0 {
        model = model.with_aht_scale(sim.aht_scale).map_err(|e| BadInput(format!("--aht-scale: {e}")))?;
    }
    Ok(model)
}

/// Worker threads a command will use.
fn threads(sim: &SimulationArgs) -> usize {
    sim.threads.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), usize::from)
}

/// Refuses a scenario whose estimated peak memory passes `--max-memory`
/// (by default half the machine's memory), before anything runs.
fn within_memory(sim: &SimulationArgs, scenario: &Path, estimate: &budget::Estimate) -> Result<()> {
    let (limit, how) = match sim.max_memory {
        Some(bytes) => (bytes, "as given".to_string()),
        None => budget::default_limit(),
    };
    estimate.check(limit, &how).map_err(|e| BadInput(format!("{}: {e}", scenario.display())).into())
}

fn run(args: RunArgs) -> Result<()> {
    let (model, hash) = load_with_hash(&args.scenario, &args.sim.set)?;
    let model = apply_overrides(model, &args.sim)?;
    let options = RunOptions {
        threads: args.sim.threads.map(usize::from),
        detail: args.report.detail(args.out.format, &model),
        period: args.report.period,
        provenance: provenance(&model, hash, &args.sim),
    };
    let estimate = budget::for_run(&model, threads(&args.sim), options.detail, options.period, args.out.format);
    within_memory(&args.sim, &args.scenario, &estimate)?;
    let progress = progress_bar(model.replications as u64, "replications");
    if args.shard.is_some() && args.export_history.is_some() {
        return Err(
            BadInput("--export-history writes the first replication's history; run it without --shard".into()).into()
        );
    }
    if let Some((k, n)) = args.shard {
        let Some(output) = args.out.output.as_deref() else {
            return Err(BadInput("--shard writes a partial for `merge`: give --output FILE".into()).into());
        };
        let partial = montecarlo::run_shard(&model, &options, k, n, &|| progress.inc(1))?;
        progress.finish_and_clear();
        return emit(&report::json::render_partial(&partial), Some(output));
    }
    let results = montecarlo::run(&model, &options, &|| progress.inc(1))?;
    progress.finish_and_clear();
    if let Some(dir) = &args.export_history {
        let e = report::history::export(&model, 0, dir)
            .with_context(|| format!("could not export the history into '{}'", dir.display()))?;
        eprintln!(
            "history of replication 1: {} ({} rows), {} ({} rows)",
            e.intervals.display(),
            e.interval_rows,
            e.contacts.display(),
            e.contact_rows
        );
    }
    emit(&render_results(&results, args.out.format), args.out.output.as_deref())
}

fn render_results(results: &Results, format: Format) -> String {
    match format {
        Format::Table => report::table::render(results),
        Format::Json => report::json::render(results),
        Format::Csv => report::csv::render(results),
        Format::Markdown => report::markdown::render(results),
        Format::Html => report::html::render(results),
    }
}

fn merge(args: &MergeArgs) -> Result<()> {
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let name = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| BadInput(format!("{name}: could not read the partial: {e}")))?;
        parts.push((name, text));
    }
    // An HTML report charts what the shards carry, as `run` would.
    let detail = args.report.asked().or((args.format != Format::Html).then_some(Detail::Period));
    let merged = wfmsim::merge::merge(&parts, detail, args.report.period).map_err(|e| BadInput(e.to_string()))?;
    emit(&render_results(&merged, args.format), args.output.as_deref())
}

fn staff(args: StaffArgs) -> Result<()> {
    let (model, hash) = load_with_hash(&args.scenario, &args.sim.set)?;
    let model = apply_overrides(model, &args.sim)?;
    let estimate = budget::for_staff(&model, threads(&args.sim), args.max_agents, args.out.format);
    within_memory(&args.sim, &args.scenario, &estimate)?;
    let provenance = provenance(&model, hash, &args.sim);
    let options = staffing::Options {
        confidence: args.confidence,
        max_agents: args.max_agents,
        threads: args.sim.threads.map(usize::from),
    };
    let plan = staffing_plan(&model, &options)?;
    let by_team = match args.by {
        Some(StaffBy::Team) => Some(staffing::teams::by_team(&model, &plan, args.confidence, options.threads, &|| {})?),
        None => None,
    };
    let text = match (args.out.format, &by_team) {
        (Format::Table, _) => {
            let mut text = report::table_staffing::render(&model, &provenance, &plan);
            if let Some(b) = &by_team {
                text += &report::roster::by_team_table(&model, b);
            }
            text
        }
        (Format::Json, b) => report::json::render_staffing_by_team(&model, &provenance, &plan, b.as_ref()),
        (Format::Csv, Some(b)) => report::roster::requirement_csv(&model, &b.required, &provenance.what_ifs),
        (Format::Csv, None) => report::csv::render_staffing(&plan, &provenance.what_ifs),
        (Format::Html, b) => report::html_staffing::render(&model, &provenance, &plan, b.as_ref()),
        (Format::Markdown, _) => {
            return Err(
                BadInput("--format markdown is for run and merge; staff gives table, json, csv or html".into()).into()
            )
        }
    };
    emit(&text, args.out.output.as_deref())?;
    too_low(&plan)
}

/// Exit 1, after the plan is written, when intervals hit the cap of agents:
/// the totals leave them out and are too low.
fn too_low(plan: &staffing::StaffingPlan) -> Result<()> {
    if plan.capped_intervals == 0 {
        return Ok(());
    }
    let queues: Vec<String> = plan.capped().map(|(q, n)| format!("{q}: {n}")).collect();
    Err(anyhow::anyhow!(
        "the requirement is too low: {} interval(s) found no level up to the cap of agents meeting the targets ({}); \
         the totals leave them out; raise --max-agents or see each interval's reason",
        plan.capped_intervals,
        queues.join(", ")
    ))
}

fn erlang(args: &ErlangArgs) -> Result<()> {
    use wfmsim::erlang::{required_agents, Queue, Targets};
    use wfmsim::report::erlang::Answer;
    let queue =
        Queue { arrival_rate: args.rate_per_hour / 3600.0, mean_handle_s: args.aht, mean_patience_s: args.patience };
    let targets = Targets {
        service_level: args.target_sl,
        within_s: args.within,
        max_asa_s: args.max_asa,
        max_abandon: args.max_abandon,
        max_occupancy: args.max_occupancy,
        max_backlog: None,
    };
    let answer = match args.agents {
        Some(agents) => match queue.kpis(agents, args.within) {
            Ok(k) => Answer::Kpis(k),
            Err(u) => Answer::Unstable(u),
        },
        None if targets == Targets { within_s: args.within, ..Default::default() } => {
            return Err(BadInput(
                "give --agents, or at least one target (--target-sl, --max-asa, --max-abandon, --max-occupancy)".into(),
            )
            .into())
        }
        None => match required_agents(&queue, &targets, args.max_agents) {
            Some(k) => Answer::Kpis(k),
            None => Answer::Infeasible { max_agents: args.max_agents, load: queue.load() },
        },
    };
    let abandonment = args.patience.is_some();
    let text = match args.format {
        ErlangFormat::Json => report::erlang::json(&answer, args.within, abandonment),
        ErlangFormat::Table => report::erlang::table(&answer, args.within, abandonment),
    };
    emit(&text, None)?;
    match answer {
        Answer::Kpis(_) => Ok(()),
        _ if !args.strict => Ok(()),
        Answer::Unstable(u) => Err(anyhow::anyhow!("--strict: the queue has no steady state ({u})")),
        Answer::Infeasible { max_agents, .. } => {
            Err(anyhow::anyhow!("--strict: no level up to {max_agents} agents meets the targets"))
        }
    }
}

/// A completion script for `shell` on stdout.
fn completions(shell: clap_complete::Shell) -> Result<()> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "wfmsim", &mut out);
    emit(&String::from_utf8_lossy(&out), None)
}

/// Checks every file, listing those that are fine on stdout; exit 2 if any
/// is not. A closed stdout only ends the listing.
fn validate(paths: &[PathBuf]) -> Result<()> {
    let mut stdout = Listing { out: std::io::stdout().lock(), closed: false };
    let mut failed = Vec::new();
    for path in paths {
        match load(path).and_then(|model| commands::plan::check(path, &model).map(|()| model)) {
            Ok(model) => stdout
                .line(&format!(
                    "{}: ok ({} queue(s), {} team(s), {} shift(s), {} interval(s))",
                    path.display(),
                    model.queues.len(),
                    model.teams.len(),
                    model.shifts.len(),
                    model.n_intervals
                ))
                .context("could not write to stdout")?,
            Err(e) => failed.push(e.to_string()),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(BadInput(failed.join("\n")).into())
    }
}

/// Lines to stdout that stop quietly once the reader has gone.
struct Listing<W: Write> {
    out: W,
    closed: bool,
}

impl<W: Write> Listing<W> {
    fn line(&mut self, text: &str) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match writeln!(self.out, "{text}").and_then(|()| self.out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// Every queue of `model` staffed, with a progress bar of its intervals.
fn staffing_plan(model: &Model, options: &staffing::Options) -> Result<staffing::StaffingPlan> {
    let progress = progress_bar((model.queues.len() * model.n_intervals) as u64, "intervals staffed");
    let plan = staffing::plan_with_progress(model, options, &|| progress.inc(1))?;
    progress.finish_and_clear();
    Ok(plan)
}

/// A progress bar of `len` steps on stderr, only when stderr is a terminal.
fn progress_bar(len: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let template = format!("{{spinner}} {what} {{pos}}/{{len}} [{{bar:40}}] {{eta}}");
    bar.set_style(ProgressStyle::with_template(&template).expect("valid template").progress_chars("=> "));
    bar
}

/// Prints to stdout, or writes the report to `output`.
fn emit(text: &str, output: Option<&Path>) -> Result<()> {
    match output {
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).context("could not write to stdout")
        }
        Some(path) => {
            write_report(path, text.as_bytes()).with_context(|| format!("could not write report '{}'", path.display()))
        }
    }
}

/// Writes a report to `path`: into it when it is a device or a FIFO (a
/// rename would replace `/dev/null` with a file), atomically otherwise, at
/// what a symbolic link names (so the link stays a link). A directory, or
/// a path ending in `/` (which names one), is refused.
fn write_report(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let refused = |why| Err(std::io::Error::new(std::io::ErrorKind::IsADirectory, why));
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => refused("it is a directory; name a file"),
        Ok(m) if !m.is_file() => write_through(path, bytes),
        _ if path.as_os_str().to_string_lossy().ends_with('/') => {
            refused("it ends in '/', naming a directory; name a file")
        }
        _ => write_atomically(&resolve_links(path)?, bytes),
    }
}

/// Writes into an existing device or FIFO.
fn write_through(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// `path` with symbolic links followed to the path they name, which need
/// not exist yet.
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)?;
                path = path.parent().map_or_else(|| target.clone(), |dir| dir.join(&target));
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Writes a temporary file beside `path`, then renames it into place, so a
/// reader never sees half a report; on failure neither is left behind.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let file_name = path.file_name().ok_or_else(|| std::io::Error::other("the output path names no file"))?;
    let tmp = path.with_file_name(format!(".{}.{}.tmp", file_name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
