//! The `wfmsim` command: parses the arguments, dispatches to one command
//! (a file each under `commands/`) and maps its failure to an exit code:
//! 2 when the input is at fault, 1 when the run is (a target missed
//! included), 0 on a closed pipe.

mod commands;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "wfmsim", version, about = "Workforce-management simulator for contact centers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and report KPIs with confidence intervals.
    Run(commands::run::Args),
    /// Agents needed per interval to meet every queue's targets: Erlang C,
    /// Erlang A and the simulation side by side, with hours, FTE and cost.
    Staff(commands::staff::Args),
    /// A roster of shifts from the teams' shift rules covering the
    /// requirement by team at the least paid hours (or cost), simulated
    /// and repaired until every target holds.
    Schedule(commands::schedule::Args),
    /// A long-range capacity plan and care-cost budget by month from the
    /// scenario's [plan]: required FTE from simulated weeks, headcount
    /// with attrition, hiring, training and ramp, overtime, partners and
    /// cost, each random figure with its CI and P10/P50/P90.
    Plan(commands::plan::Args),
    /// Judge every scenario's targets on the horizon and each day (and,
    /// with --baseline, its KPIs against a previous report) for CI: exit 0
    /// when all hold, 1 when any is missed, 2 on bad input.
    Check(commands::check::Args),
    /// A grid of what-ifs (--vary PATH=FROM:TO:STEP, repeated), every
    /// point run on the same seed, judged as `check` judges and priced;
    /// the cheapest point meeting every target is marked.
    Sweep(commands::sweep::Args),
    /// Run two scenarios on common random numbers and report B − A for
    /// every KPI and the cost, with 95% intervals from the paired
    /// differences and whether each is significant.
    Compare(commands::compare::Args),
    /// Fit handle time and patience per queue from history (an interval
    /// history and/or contact records), with the scenario's [[queue]]
    /// distributions to paste.
    Fit(commands::fit::Args),
    /// Quick analytic calculator: KPIs for a number of agents, or the least
    /// agents meeting targets (Erlang C; Erlang A with --patience).
    Erlang(commands::erlang::Args),
    /// Merge the partial results of `run --shard K/N` into the report one
    /// run over all replications gives (the same bytes).
    Merge(commands::merge::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish or
    /// powershell), e.g. `wfmsim completions bash > ~/.local/share/bash-completion/completions/wfmsim`.
    Completions(commands::completions::Args),
    /// Print the manual page wfmsim(1), or write every command's page
    /// into a folder with --dir (e.g. `wfmsim man --dir ~/.local/share/man/man1`).
    Man(commands::man::Args),
    /// Check scenario files and list every problem found, with its place.
    Validate(commands::validate::Args),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Run(args) => commands::run::run(&args),
        Command::Staff(args) => commands::staff::run(&args),
        Command::Schedule(args) => commands::schedule::run(&args),
        Command::Plan(args) => commands::plan::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Sweep(args) => commands::sweep::run(&args),
        Command::Compare(args) => commands::compare::run(&args),
        Command::Fit(args) => commands::fit::run(&args),
        Command::Erlang(args) => commands::erlang::run(&args),
        Command::Merge(args) => commands::merge::run(&args),
        Command::Completions(args) => commands::completions::run(&args, Cli::command()),
        Command::Man(args) => commands::man::run(&args, Cli::command()),
        Command::Validate(args) => commands::validate::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
