//! A scenario as a command reads it: the file, its what-ifs, where its
//! figures come from (provenance) and whether it fits in memory.

use std::path::Path;

use wfmsim::budget;
use wfmsim::diagnostic::Diagnostic;
use wfmsim::model::{Loaded, Model};
use wfmsim::results::{Provenance, WhatIf};

use super::args::SimulationArgs;
use super::output::say;
use super::{Failure, Result};

/// Reads and compiles a scenario; warnings go to stderr.
pub fn load(path: &Path) -> Result<Model> {
    Ok(load_with_hash(path, &[])?.0)
}

/// [`load`] with the `--set` overrides applied, and the SHA-256 of the
/// file's bytes (hex).
pub fn load_with_hash(path: &Path, set: &[wfmsim::whatif::Override]) -> Result<(Model, String)> {
    let name = path.display().to_string();
    let source = read(path)?;
    let hash = sha256_hex(source.as_bytes());
    let Loaded { model, warnings } = wfmsim::whatif::load(&source, &name, set)?;
    print_warnings(&name, &warnings);
    Ok((model, hash))
}

/// The scenario file's text.
pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::bad_input(format!("{}: could not read the scenario: {e}", path.display())))
}

/// A scenario's warnings on stderr, each with its place where it has one.
pub fn print_warnings(name: &str, warnings: &[Diagnostic]) {
    for w in warnings {
        let place = w.line_col.map_or(String::new(), |(l, c)| format!("{l}:{c}:"));
        say(&format!("{name}:{place} warning: {}: {}", w.field, w.message));
    }
}

/// The SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a run's figures come from: version, scenario hash, seed,
/// replications and every what-if flag used.
pub fn provenance(model: &Model, hash: String, sim: &SimulationArgs) -> Provenance {
    let w = &sim.what_ifs;
    let mut what_ifs = Vec::new();
    if w.volume_scale != 1.0 {
        what_ifs.push(WhatIf { flag: "volume-scale".into(), value: w.volume_scale.to_string() });
    }
    if w.aht_scale != 1.0 {
        what_ifs.push(WhatIf { flag: "aht-scale".into(), value: w.aht_scale.to_string() });
    }
    what_ifs.extend(w.set.iter().map(|o| WhatIf { flag: "set".into(), value: o.text().to_string() }));
    Provenance {
        wfmsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: hash,
        seed: model.seed,
        replications: model.replications,
        what_ifs,
    }
}

/// `model` with the replications, seed and scale flags applied.
pub fn apply_overrides(mut model: Model, sim: &SimulationArgs) -> Result<Model> {
    if let Some(r) = sim.replications {
        model.replications = r;
    }
    if let Some(s) = sim.seed {
        model.seed = s;
    }
    let w = &sim.what_ifs;
    if w.volume_scale != 1.0 {
        model = model.with_volume_scale(w.volume_scale).map_err(|e| Failure::from(e).at("--volume-scale"))?;
    }
    if w.aht_scale != 1.0 {
        model = model.with_aht_scale(w.aht_scale).map_err(|e| Failure::from(e).at("--aht-scale"))?;
    }
    Ok(model)
}

/// Refuses a scenario whose estimated peak memory passes `--max-memory`
/// (by default half the machine's memory), before anything runs.
pub fn within_memory(sim: &SimulationArgs, scenario: &Path, estimate: &budget::Estimate) -> Result {
    let (limit, how) = match sim.max_memory {
        Some(bytes) => (bytes, "as given".to_string()),
        None => default_memory_limit(),
    };
    estimate.check(limit, &how).map_err(|e| Failure::from(e).at(scenario.display()))
}

/// Most bytes a command may use where the machine's memory is unknown.
const FALLBACK_MEMORY_LIMIT: u64 = 8 << 30;

/// The default limit: half the machine's memory (`MemTotal` in
/// /proc/meminfo), else [`FALLBACK_MEMORY_LIMIT`]; with words saying
/// which.
fn default_memory_limit() -> (u64, String) {
    let total = std::fs::read_to_string("/proc/meminfo").ok().and_then(|text| {
        let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    });
    match total {
        Some(bytes) if bytes > 0 => (
            bytes / 2,
            format!("the default: half of this machine's {} (see --max-memory)", budget::human(bytes as f64)),
        ),
        _ => (FALLBACK_MEMORY_LIMIT, "the default where the machine's memory is unknown (see --max-memory)".into()),
    }
}
