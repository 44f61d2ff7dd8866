//! `wfmsim plan`: the long-range capacity plan and care-cost budget of a
//! scenario's `[plan]`.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use wfmsim::plan::{self, PlanError};
use wfmsim::report::{self, Format};

use crate::{emit, load_with_hash, provenance, BadInput, OutputArgs, SimulationArgs};

#[derive(Args)]
pub struct PlanArgs {
    /// Scenario file (TOML) with a [plan] section.
    scenario: PathBuf,
    #[command(flatten)]
    sim: SimulationArgs,
    #[command(flatten)]
    out: OutputArgs,
}

/// `wfmsim plan`.
pub fn run(args: &PlanArgs) -> Result<()> {
    let name = args.scenario.display().to_string();
    let (mut model, hash) = load_with_hash(&args.scenario, &args.sim.set)?;
    let source = std::fs::read_to_string(&args.scenario)
        .map_err(|e| BadInput(format!("{name}: could not read the scenario: {e}")))?;
    let mut plan = plan::load(&source, &name, &model).map_err(|e| BadInput(e.to_string()))?.ok_or_else(|| {
        BadInput(format!("{name}: no [plan] section; `wfmsim plan` needs one (see README, Capacity plan)"))
    })?;
    if let Some(r) = args.sim.replications {
        plan.replications = r;
    }
    if let Some(s) = args.sim.seed {
        model.seed = s;
    }
    // --volume-scale scales the months' volumes (the week is only their shape).
    for q in &mut plan.queues {
        q.volume.iter_mut().for_each(|v| *v *= args.sim.volume_scale);
    }
    if args.sim.aht_scale != 1.0 {
        model = model.with_aht_scale(args.sim.aht_scale).map_err(|e| BadInput(format!("--aht-scale: {e}")))?;
    }
    model.replications = plan.replications;
    let options =
        plan::Options { threads: args.sim.threads.map(usize::from), provenance: provenance(&model, hash, &args.sim) };
    let results = plan::run(&model, &plan, &options).map_err(|e| match e {
        PlanError::Scale(m) => anyhow::Error::from(BadInput(format!("{name}: {m}"))),
        other => anyhow::Error::from(other),
    })?;
    let text = match args.out.format {
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
pub fn check(path: &Path, model: &wfmsim::model::Model) -> Result<()> {
    let name = path.display().to_string();
    let source =
        std::fs::read_to_string(path).map_err(|e| BadInput(format!("{name}: could not read the scenario: {e}")))?;
    plan::load(&source, &name, model).map_err(|e| BadInput(e.to_string()))?;
    Ok(())
}
