//! `wfmsim plan`: the long-range capacity plan and care-cost budget of a
//! scenario's `[plan]`. The what-ifs change the scenario and its `[plan]`
//! alike (`--set plan.team.X.attrition_per_month=0`; a volume scale moves
//! the months' volumes of the queues it scales).

use std::path::PathBuf;

use wfmsim::budget;
use wfmsim::plan;
use wfmsim::report::{self, Format};

use super::args::{OutputArgs, ReportFormat, SimulationArgs};
use super::output::emit;
use super::scenario::{load, within_memory};
use super::{Failure, Result};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML) with a [plan] section.
    scenario: PathBuf,
    #[command(flatten)]
    sim: SimulationArgs,
    #[command(flatten)]
    out: OutputArgs<ReportFormat>,
}

/// `wfmsim plan`.
pub fn run(args: &Args) -> Result {
    let name = args.scenario.display().to_string();
    let mut loaded = load(&args.scenario, &args.sim)?;
    let Some(mut plan) = loaded.plan.take() else {
        return Err(Failure::bad_input(format!(
            "{name}: no [plan] section; `wfmsim plan` needs one (see README, Capacity plan)"
        )));
    };
    if let Some(r) = args.sim.replications {
        plan.replications = r;
    }
    loaded.model.replications = plan.replications;
    // The requirement search staffs the scenario's week, one queue's share
    // at a time on every thread: at most what `staff` of the week holds.
    let estimate = budget::for_staff(&loaded.model, args.sim.threads(), None, Format::Json.bytes_per_period());
    within_memory(&args.sim, &args.scenario, &estimate)?;
    let options = plan::Options { threads: args.sim.thread_option(), provenance: loaded.provenance() };
    let results = plan::run(&loaded.model, &plan, &options).map_err(|e| match e {
        plan::PlanError::Scale { .. } => Failure::from(e).at(&name),
        other => Failure::from(other),
    })?;
    let text = match args.out.format.format() {
        Format::Table => report::plan::table(&results),
        Format::Json => report::plan::json(&results),
        Format::Csv => report::plan::csv(&results),
        Format::Markdown => report::plan::markdown(&results),
        Format::Html => report::plan::html(&results),
    };
    emit(&text, args.out.output.as_deref())
}
