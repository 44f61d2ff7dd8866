//! `wfmsim backtest`: rolling-origin accuracy of every forecasting method
//! on an interval history, the chosen method beside the seasonal-naive
//! baseline, by horizon, weekday and interval of day.

use std::path::PathBuf;

use rayon::prelude::*;

use wfmsim::forecast::{backtest, BacktestConfig, ForecastError, QueueBacktest};
use wfmsim::report;

use super::forecast::{calendar, series, zone};
use super::history::ReadArgs;
use super::output::emit;
use super::{Failure, Result};

/// Output formats of `backtest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BacktestFormat {
    /// Aligned tables.
    Table,
    /// CSV: one row per queue, method, breakdown and level.
    Csv,
    /// JSON, with a schema_version.
    Json,
    /// Markdown.
    Markdown,
    /// One self-contained page with actual-against-forecast charts.
    Html,
}

#[derive(clap::Args)]
pub struct Args {
    /// Interval history (CSV): one row per queue and interval.
    history: PathBuf,
    #[command(flatten)]
    read: ReadArgs,
    /// Special days (CSV: date,label,factor): left out of fitting and of
    /// the accuracy measures.
    #[arg(long, value_name = "FILE")]
    special_days: Option<PathBuf>,
    /// Most rolling origins (1 to 520), the latest first back from the
    /// history's end.
    #[arg(long, default_value_t = 52, value_parser = clap::value_parser!(u32).range(1..=520))]
    origins: u32,
    /// Days between two origins (1 to 366).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
    step_days: u32,
    /// Days forecast from each origin (1 to 366).
    #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=366))]
    horizon_days: u32,
    /// Fewest days of history before the first origin (28 to 3660).
    #[arg(long, default_value_t = 56, value_parser = clap::value_parser!(u32).range(28..=3660))]
    min_train_days: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BacktestFormat::Table)]
    format: BacktestFormat,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// `wfmsim backtest`.
pub fn run(args: &Args) -> Result {
    let read = args.read.read(Some(&args.history), None)?;
    let history = read.history.as_ref().expect("a history is always read");
    let zone = zone(&read, None);
    let calendar = calendar(args.special_days.as_deref())?;
    let config = BacktestConfig {
        origins: args.origins as usize,
        step_days: args.step_days as usize,
        horizon_days: args.horizon_days as usize,
        min_train_days: args.min_train_days as usize,
        ..BacktestConfig::default()
    };
    let backtests: Vec<QueueBacktest> = series(history, &zone)
        .par_iter()
        .map(|s| backtest(s, &calendar, &config))
        .collect::<std::result::Result<_, ForecastError>>()
        .map_err(Failure::bad_input)?;
    let text = match args.format {
        BacktestFormat::Table => report::backtest::table(&backtests),
        BacktestFormat::Csv => report::backtest::csv(&backtests),
        BacktestFormat::Json => report::backtest::json(&backtests),
        BacktestFormat::Markdown => report::backtest::markdown(&backtests),
        BacktestFormat::Html => report::backtest::html(&backtests),
    };
    emit(&text, args.output.as_deref())
}
