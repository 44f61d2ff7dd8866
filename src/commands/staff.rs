//! `wfmsim staff`: the agents each queue needs per interval to meet its
//! targets (Erlang C, Erlang A and the simulation side by side), and with
//! `--by team` each team's, simulated with skills, priorities and
//! overflow.

use std::path::PathBuf;

use clap::ValueEnum;

use wfmsim::budget;
use wfmsim::model::Model;
use wfmsim::report::{self, Format};
use wfmsim::staffing;

use super::args::{share, OutputArgs, SimulationArgs};
use super::output::{emit, progress_bar};
use super::scenario::{load, within_memory};
use super::{Failure, Result};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    sim: SimulationArgs,
    #[command(flatten)]
    out: OutputArgs<StaffFormat>,
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

/// Output formats of `staff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum StaffFormat {
    /// A readable table.
    #[default]
    Table,
    /// JSON, with a schema_version.
    Json,
    /// CSV, one row per queue and interval (`start,team,agents` with --by
    /// team).
    Csv,
    /// One self-contained HTML page with SVG charts (no script, nothing
    /// fetched).
    Html,
}

/// What `staff --by` groups the requirement by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StaffBy {
    /// Per team.
    Team,
}

/// `wfmsim staff`.
pub fn run(args: &Args) -> Result {
    let loaded = load(&args.scenario, &args.sim)?;
    let model = &loaded.model;
    let format = match args.out.format {
        StaffFormat::Table => Format::Table,
        StaffFormat::Json => Format::Json,
        StaffFormat::Csv => Format::Csv,
        StaffFormat::Html => Format::Html,
    };
    let estimate = budget::for_staff(model, args.sim.threads(), args.max_agents, format.bytes_per_period());
    within_memory(&args.sim, &args.scenario, &estimate)?;
    let provenance = loaded.provenance();
    let options = staffing::Options {
        confidence: args.confidence,
        max_agents: args.max_agents,
        threads: args.sim.thread_option(),
    };
    let plan = staffing_plan(model, &options)?;
    let by_team = match args.by {
        Some(StaffBy::Team) => Some(staffing::teams::by_team(model, &plan, args.confidence, options.threads, &|| {})?),
        None => None,
    };
    let text = match (args.out.format, &by_team) {
        (StaffFormat::Table, _) => {
            let mut text = report::staff::table::render(model, &provenance, &plan);
            if let Some(b) = &by_team {
                text += &report::staff::by_team::by_team_table(model, b);
            }
            text
        }
        (StaffFormat::Json, b) => report::staff::json::render_staffing_by_team(model, &provenance, &plan, b.as_ref()),
        (StaffFormat::Csv, Some(b)) => {
            report::staff::by_team::requirement_csv(model, &b.required, &provenance.what_ifs)
        }
        (StaffFormat::Csv, None) => report::staff::csv::render_staffing(&plan, &provenance.what_ifs),
        (StaffFormat::Html, b) => report::staff::html::render(model, &provenance, &plan, b.as_ref()),
    };
    emit(&text, args.out.output.as_deref())?;
    too_low(&plan)
}

/// Exit 1, after the plan is written, when intervals hit the cap of agents:
/// the totals leave them out and are too low.
fn too_low(plan: &staffing::Staffing) -> Result {
    if plan.capped_intervals == 0 {
        return Ok(());
    }
    let queues: Vec<String> = plan.capped().map(|(q, n)| format!("{q}: {n}")).collect();
    Err(Failure::run(anyhow::anyhow!(
        "the requirement is too low: {} interval(s) found no level up to the cap of agents meeting the targets ({}); \
         the totals leave them out; raise --max-agents or see each interval's reason",
        plan.capped_intervals,
        queues.join(", ")
    )))
}

/// Every queue of `model` staffed, with a progress bar of its intervals.
pub fn staffing_plan(model: &Model, options: &staffing::Options) -> Result<staffing::Staffing> {
    let progress = progress_bar((model.queues.len() * model.n_intervals) as u64, "intervals staffed");
    let plan = staffing::staff_with_progress(model, options, &|| progress.inc(1))?;
    progress.finish_and_clear();
    Ok(plan)
}
