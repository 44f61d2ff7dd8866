//! The `wfmsim` command: parses arguments, calls the library, prints or
//! writes the report, and maps errors to exit codes (2 bad input, 1
//! failure, 0 on a closed pipe).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use wfmsim::model::{Loaded, Model};
use wfmsim::report::Format;
use wfmsim::{montecarlo, report};

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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct RunArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    sim: SimulationArgs,
    /// Also list every interval in the table.
    #[arg(long)]
    intervals: bool,
}

/// An error in what the user gave us: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadInput(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Validate { scenarios } => validate(&scenarios),
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
    let name = path.display().to_string();
    let source =
        std::fs::read_to_string(path).map_err(|e| BadInput(format!("{name}: could not read the scenario: {e}")))?;
    let Loaded { model, warnings } = Model::from_toml(&source, &name).map_err(|e| BadInput(e.to_string()))?;
    for w in warnings {
        let place = w.line_col.map_or(String::new(), |(l, c)| format!("{l}:{c}:"));
        eprintln!("{name}:{place} warning: {}: {}", w.field, w.message);
    }
    Ok(model)
}

fn apply_overrides(mut model: Model, sim: &SimulationArgs) -> Model {
    if let Some(r) = sim.replications {
        model.replications = r;
    }
    if let Some(s) = sim.seed {
        model.seed = s;
    }
    model
}

fn run(args: RunArgs) -> Result<()> {
    let model = apply_overrides(load(&args.scenario)?, &args.sim);
    let progress = progress_bar(model.replications as u64);
    let runs = montecarlo::replicate(&model, args.sim.threads.map(usize::from), &|| progress.inc(1))?;
    progress.finish_and_clear();
    let results = montecarlo::summarize_runs(&model, &runs);
    let text = match args.sim.format {
        Format::Table => report::table::render(&model, &results, args.intervals),
        Format::Json => report::json::render(&model, &results),
        Format::Csv => report::csv::render(&results),
    };
    emit(&text, args.sim.output.as_deref())
}

fn validate(paths: &[PathBuf]) -> Result<()> {
    let mut failed = Vec::new();
    for path in paths {
        match load(path) {
            Ok(model) => println!(
                "{}: ok ({} queue(s), {} team(s), {} shift(s), {} interval(s))",
                path.display(),
                model.queues.len(),
                model.teams.len(),
                model.shifts.len(),
                model.n_intervals
            ),
            Err(e) => failed.push(e.to_string()),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(BadInput(failed.join("\n")).into())
    }
}

/// A progress bar on stderr, only when stderr is a terminal.
fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{spinner} replications {pos}/{len} [{bar:40}] {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Prints to stdout, or writes `output` whole or not at all.
fn emit(text: &str, output: Option<&Path>) -> Result<()> {
    match output {
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
        Some(path) => write_atomically(path, text.as_bytes())
            .with_context(|| format!("could not write report '{}'", path.display())),
    }
}

/// Writes a temporary file beside `path`, then renames it into place, so a
/// reader never sees half a report.
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
