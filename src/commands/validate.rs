//! `wfmsim validate`: every scenario checked, every problem listed with
//! its place; the files that are fine listed on stdout.

use std::path::PathBuf;

use anyhow::Context;

use super::output::Listing;
use super::scenario::load_with;
use super::{Failure, Result};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
}

/// Checks every file, listing those that are fine on stdout; exit 2 if any
/// is not. A closed stdout only ends the listing.
pub fn run(args: &Args) -> Result {
    let mut stdout = Listing::new(std::io::stdout().lock());
    let mut failed = Vec::new();
    for path in &args.scenarios {
        match load_with(path, Vec::new()) {
            Ok(super::scenario::Loaded { model, source, .. }) => {
                // A queue of a team rostered by `schedule` (shift rules)
                // has its shifts still to come.
                let rostered = |q: usize| model.teams.iter().any(|t| !t.rules.is_empty() && t.serves(q));
                let holes: Vec<_> = model.coverage_holes().into_iter().filter(|h| !rostered(h.queue)).collect();
                super::scenario::warn_holes(&source, &model, &holes, "no agent on duty");
                stdout
                    .line(&format!(
                        "{}: ok ({} queue(s), {} team(s), {} shift(s), {} interval(s))",
                        path.display(),
                        model.queues.len(),
                        model.teams.len(),
                        model.shifts.len(),
                        model.n_intervals
                    ))
                    .context("could not write to stdout")
                    .map_err(Failure::run)?
            }
            Err(e) => failed.push(e),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::bad_input(failed.iter().map(Failure::message).collect::<Vec<_>>().join("\n")))
    }
}
