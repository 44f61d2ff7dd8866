//! A scenario as a command reads it: the file read once, compiled with the
//! command's one list of what-ifs, the run settings (replications, seed)
//! laid on, where its figures come from (provenance), and whether it fits
//! in memory.

use std::path::Path;

use wfmsim::budget;
use wfmsim::diagnostic::Diagnostic;
use wfmsim::input::{Compiled, Source, WhatIf};
use wfmsim::model::plan::Plan;
use wfmsim::model::Model;
use wfmsim::results::{Echo, Provenance};

use super::args::{SimulationArgs, WhatIfArgs};
use super::output::say;
use super::{Failure, Result};

/// A scenario read and compiled for a command.
pub struct Loaded {
    /// The file as read.
    pub source: Source,
    /// The model, with the what-ifs, replications and seed.
    pub model: Model,
    /// Its `[plan]`, with the what-ifs.
    pub plan: Option<Plan>,
    /// The what-ifs applied, in order.
    pub what_ifs: Vec<WhatIf>,
}

impl Loaded {
    /// Where the run's figures come from: version, scenario hash, seed,
    /// replications and every what-if, in the order applied.
    pub fn provenance(&self) -> Provenance {
        provenance(&self.model, &self.source, &self.what_ifs)
    }
}

/// The what-if flags as one list, in the order applied: every `--set`,
/// then `--volume-scale`, then `--aht-scale`.
pub fn what_ifs(args: &WhatIfArgs) -> Vec<WhatIf> {
    let mut list = args.set.clone();
    if args.volume_scale != 1.0 {
        list.push(WhatIf::scale_flag(false, args.volume_scale));
    }
    if args.aht_scale != 1.0 {
        list.push(WhatIf::scale_flag(true, args.aht_scale));
    }
    list
}

/// Reads the scenario at `path`.
pub fn read(path: &Path) -> Result<Source> {
    let text = super::input::read_text(path, "scenario")?;
    Ok(Source::new(path.display().to_string(), text))
}

/// Reads `path` and compiles it with the what-ifs and run settings of
/// `sim`; warnings go to stderr.
pub fn load(path: &Path, sim: &SimulationArgs) -> Result<Loaded> {
    let mut loaded = load_with(path, what_ifs(&sim.what_ifs))?;
    settle(&mut loaded.model, sim);
    Ok(loaded)
}

/// `model` with the run settings of `sim`: replications and seed.
pub fn settle(model: &mut Model, sim: &SimulationArgs) {
    if let Some(r) = sim.replications {
        model.replications = r;
    }
    if let Some(s) = sim.seed {
        model.seed = s;
    }
    super::args::note_replications(model.replications);
}

/// Reads `path` and compiles it with `what_ifs`; warnings go to stderr.
pub fn load_with(path: &Path, what_ifs: Vec<WhatIf>) -> Result<Loaded> {
    let source = read(path)?;
    let Compiled { model, plan, warnings } = source.compile(&what_ifs)?;
    print_warnings(&source.name, &warnings);
    Ok(Loaded { source, model, plan, what_ifs })
}

/// A scenario's warnings on stderr, each with its place where it has one.
pub fn print_warnings(name: &str, warnings: &[Diagnostic]) {
    for w in warnings {
        let place = w.line_col.map_or(String::new(), |(l, c)| format!("{l}:{c}:"));
        say(&format!("{name}:{place} warning: {}: {}", w.field, w.message));
    }
}

/// Warns on stderr of each coverage hole in `holes` (see
/// [`Model::coverage_holes`]), placed at its queue's name in the file:
/// `FILE:LINE:COL: warning: queue[0]: support-en: 79 half-hours with
/// arrivals and no agent on duty, first 2027-04-12 00:00 UTC` (`why`
/// replaces "no agent on duty").
pub fn warn_holes(source: &Source, model: &Model, holes: &[wfmsim::model::CoverageHole], why: &str) {
    let written: Option<wfmsim::input::written::Scenario> = toml::from_str(&source.text).ok();
    let unit = match (model.interval_s / 60.0).round() as u32 {
        15 => "quarter-hours",
        30 => "half-hours",
        60 => "hours",
        _ => "intervals",
    };
    for hole in holes {
        let name = &model.queues[hole.queue].name;
        let spec = written
            .as_ref()
            .and_then(|w| w.queue.iter().position(|q| q.name.get_ref() == name).map(|k| (k, &w.queue[k])));
        let (field, place) = match spec {
            Some((k, q)) => {
                let (line, col) = wfmsim::diagnostic::line_col(&source.text, q.name.span().start);
                (format!("queue[{k}]"), format!("{line}:{col}:"))
            }
            None => ("queue".to_string(), String::new()),
        };
        let first = model.interval_start(hole.intervals[0]).strftime("%Y-%m-%d %H:%M %Z");
        say(&format!(
            "{}:{place} warning: {field}: {name}: {} {unit} with arrivals and {why}, first {first}",
            source.name,
            hole.intervals.len()
        ));
    }
}

/// Where a run of `model` from `source` with `what_ifs` gets its figures.
pub fn provenance(model: &Model, source: &Source, what_ifs: &[WhatIf]) -> Provenance {
    Provenance {
        wfmsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: source.sha256.clone(),
        seed: model.seed,
        replications: model.replications,
        what_ifs: echo(what_ifs),
    }
}

/// The what-ifs as reports echo them.
pub fn echo(what_ifs: &[WhatIf]) -> Vec<Echo> {
    what_ifs.iter().map(|w| Echo { flag: w.flag().to_string(), value: w.value().to_string() }).collect()
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

/// [`within_memory`] for a run of `model` as `check` and `sweep` judge
/// it: figures by day, held as the JSON report would hold them.
pub fn judged_run_within_memory(sim: &SimulationArgs, scenario: &Path, model: &Model) -> Result {
    let estimate = budget::for_run(
        model,
        sim.threads(),
        wfmsim::results::Detail::Period,
        wfmsim::periods::PeriodKind::Day,
        wfmsim::report::Format::Json.bytes_per_period(),
    );
    within_memory(sim, scenario, &estimate)
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
