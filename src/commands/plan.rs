//! `wfmsim plan`: the long-range capacity plan and care-cost budget of a
//! scenario's `[plan]`.

use std::path::{Path, PathBuf};

use wfmsim::plan;
use wfmsim::report::{self, Format};

use super::args::{OutputArgs, ReportFormat, SimulationArgs};
use super::output::emit;
use super::scenario::{load_with_hash, provenance, read};
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
    let what_ifs = &args.sim.what_ifs;
    let (mut model, hash) = load_with_hash(&args.scenario, &what_ifs.set)?;
    let source = read(&args.scenario)?;
    let mut plan = plan::load(&source, &name, &model)?.ok_or_else(|| {
        Failure::bad_input(format!("{name}: no [plan] section; `wfmsim plan` needs one (see README, Capacity plan)"))
    })?;
    if let Some(r) = args.sim.replications {
        plan.replications = r;
    }
    if let Some(s) = args.sim.seed {
        model.seed = s;
    }
    // --volume-scale scales the months' volumes (the week is only their shape).
    for q in &mut plan.queues {
        q.volume.iter_mut().for_each(|v| *v *= what_ifs.volume_scale);
    }
    if what_ifs.aht_scale != 1.0 {
        model = model.with_aht_scale(what_ifs.aht_scale).map_err(|e| Failure::from(e).at("--aht-scale"))?;
    }
    model.replications = plan.replications;
    let options = plan::Options { threads: args.sim.thread_option(), provenance: provenance(&model, hash, &args.sim) };
    let results = plan::run(&model, &plan, &options).map_err(|e| match e {
        plan::PlanError::Scale(_) => Failure::from(e).at(&name),
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

/// `validate`'s check of a scenario's `[plan]`, if it has one, against
/// its compiled `model`.
pub fn check(path: &Path, model: &wfmsim::model::Model) -> Result {
    let source = read(path)?;
    plan::load(&source, &path.display().to_string(), model)?;
    Ok(())
}
