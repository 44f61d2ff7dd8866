//! `wfmsim erlang`: the analytic calculator (Erlang C; Erlang A with a
//! patience): KPIs for a number of agents, or the least agents meeting
//! targets.

use clap::ValueEnum;

use wfmsim::erlang::{required_agents, Queue, Targets};
use wfmsim::report::erlang::Answer;

use super::args::{number_in, positive_number, share};
use super::output::emit;
use super::{Failure, Result};

/// Most agents the calculator takes (`--agents`, `--max-agents`).
const MAX_CALCULATOR_AGENTS: i64 = 100_000;

#[derive(clap::Args)]
pub struct Args {
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
    #[arg(
        long,
        value_parser = clap::value_parser!(u32).range(0..=MAX_CALCULATOR_AGENTS),
        conflicts_with_all = ["target_sl", "max_asa", "max_abandon", "max_occupancy", "max_agents"]
    )]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ErlangFormat {
    /// A readable table.
    Table,
    /// JSON, with a schema_version.
    Json,
}

fn rate_per_hour(s: &str) -> std::result::Result<f64, String> {
    number_in(s, 0.0, true, 1e9, "contacts per hour, more than 0 and at most 1e9")
}

fn handle_seconds(s: &str) -> std::result::Result<f64, String> {
    number_in(s, 0.0, true, 86_400.0, "seconds, more than 0 and at most 86400")
}

fn threshold_seconds(s: &str) -> std::result::Result<f64, String> {
    number_in(s, 0.0, false, 86_400.0, "seconds from 0 to 86400")
}

fn patience_seconds(s: &str) -> std::result::Result<f64, String> {
    number_in(s, 0.001, false, 1e9, "seconds from 0.001 to 1e9")
}

/// `wfmsim erlang`.
pub fn run(args: &Args) -> Result {
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
            return Err(Failure::bad_input(
                "give --agents, or at least one target (--target-sl, --max-asa, --max-abandon, --max-occupancy)",
            ))
        }
        None => match required_agents(&queue, &targets, args.max_agents) {
            Some(k) => Answer::Kpis(k),
            None => Answer::Infeasible { max_agents: args.max_agents, load: queue.load() },
        },
    };
    let abandonment = args.patience.is_some();
    let text = match args.format {
        ErlangFormat::Json => wfmsim::report::erlang::json(&answer, args.within, abandonment),
        ErlangFormat::Table => wfmsim::report::erlang::table(&answer, args.within, abandonment),
    };
    emit(&text, None)?;
    match answer {
        Answer::Kpis(_) => Ok(()),
        _ if !args.strict => Ok(()),
        Answer::Unstable(u) => Err(Failure::run(anyhow::anyhow!("--strict: the queue has no steady state ({u})"))),
        Answer::Infeasible { max_agents, .. } => {
            Err(Failure::run(anyhow::anyhow!("--strict: no level up to {max_agents} agents meets the targets")))
        }
    }
}
