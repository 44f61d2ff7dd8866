//! Flags several commands share, the value parsers behind them, and the
//! command line's names for the library's choices (formats, periods,
//! detail). The library knows nothing of clap.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Once;

use clap::{Args, ValueEnum};

use wfmsim::budget;
use wfmsim::input::WhatIf;
use wfmsim::periods::PeriodKind;
use wfmsim::report::Format;
use wfmsim::results::Detail;

/// Flags shared by every command that simulates.
#[derive(Args)]
pub struct SimulationArgs {
    /// Monte Carlo replications (overrides the scenario).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub replications: Option<u32>,
    /// Master seed (overrides the scenario).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    #[command(flatten)]
    pub what_ifs: WhatIfArgs,
    /// Refuse to start when the estimated peak memory passes this size
    /// (e.g. 4GiB, 512MiB, 1.5GB; default: half the machine's memory).
    #[arg(long, value_parser = budget::parse_size)]
    pub max_memory: Option<u64>,
}

impl SimulationArgs {
    /// Worker threads the command will use: `--threads`, capped, or all
    /// cores.
    pub fn threads(&self) -> usize {
        self.thread_option().unwrap_or_else(cores)
    }

    /// Worker threads as the library takes them: `None` for all cores;
    /// `--threads` capped at the machine's cores and at the most
    /// replications of a scenario loaded (more would only wait), which is
    /// said once on stderr.
    pub fn thread_option(&self) -> Option<usize> {
        let asked = usize::from(self.threads?);
        let replications = MOST_REPLICATIONS.load(Ordering::Relaxed) as usize;
        let (cap, why) = match cores() {
            c if replications == 0 || c <= replications => (c, format!("this machine's {c} core(s)")),
            _ => (replications, format!("the scenario's {replications} replication(s)")),
        };
        if asked <= cap {
            return Some(asked);
        }
        static SAID: Once = Once::new();
        SAID.call_once(|| super::output::say(&format!("note: --threads {asked} capped at {cap}, {why}")));
        Some(cap)
    }
}

/// The most replications of the scenarios a command has loaded (0 before
/// the first), which caps `--threads`.
static MOST_REPLICATIONS: AtomicU32 = AtomicU32::new(0);

/// Notes that a scenario to be run has `replications`, for the cap on
/// `--threads`.
pub fn note_replications(replications: u32) {
    MOST_REPLICATIONS.fetch_max(replications, Ordering::Relaxed);
}

/// The machine's cores (1 where unknown).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The what-if flags: every one becomes an override of the scenario.
#[derive(Args)]
pub struct WhatIfArgs {
    /// What-if: multiply every arrival rate by this factor (e.g. 1.2).
    #[arg(long, value_parser = positive_number, default_value_t = 1.0)]
    pub volume_scale: f64,
    /// What-if: multiply every handle time by this factor (e.g. 0.9).
    #[arg(long, value_parser = positive_number, default_value_t = 1.0)]
    pub aht_scale: f64,
    /// What-if: set a scenario value by its path, absolutely or relatively
    /// (team.Austin.cost_per_hour=36, team.Manila.agents=-5, volume=*1.1,
    /// queue.support-en.split.Manila=0.2); repeat for more.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = WhatIf::parse)]
    pub set: Vec<WhatIf>,
}

/// Where a report goes and in which of the command's formats `F`.
#[derive(Args)]
pub struct OutputArgs<F: ValueEnum + Default + Clone + Send + Sync + 'static> {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: F,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// The formats of a run's report (`run`, `merge`, `plan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ReportFormat {
    /// A readable table.
    #[default]
    Table,
    /// JSON, with a schema_version.
    Json,
    /// CSV, one row per queue and reported span.
    Csv,
    /// Markdown tables (a CI job summary, a wiki page).
    Markdown,
    /// One self-contained HTML page with SVG charts (no script, nothing
    /// fetched).
    Html,
}

impl ReportFormat {
    /// The library's name for it.
    pub fn format(self) -> Format {
        match self {
            Self::Table => Format::Table,
            Self::Json => Format::Json,
            Self::Csv => Format::Csv,
            Self::Markdown => Format::Markdown,
            Self::Html => Format::Html,
        }
    }
}

/// What a run report carries and how its days are grouped.
#[derive(Args)]
pub struct ReportArgs {
    /// What the report carries beside the horizon: the roll-up periods
    /// or the periods and every interval [default: period; with --format
    /// html, `run` gives every interval of a horizon of up to 14 days and
    /// `merge` what the shards carry].
    #[arg(long, value_enum)]
    pub detail: Option<DetailArg>,
    /// Roll-up period: day, ISO week, calendar month or quarter.
    #[arg(long, value_enum, default_value_t)]
    pub period: PeriodArg,
    /// Same as --detail interval.
    #[arg(long)]
    pub intervals: bool,
}

impl ReportArgs {
    /// The detail asked for, if any.
    pub fn asked(&self) -> Option<Detail> {
        if self.intervals {
            Some(Detail::Interval)
        } else {
            self.detail.map(DetailArg::detail)
        }
    }
}

/// What JSON and CSV carry beside the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetailArg {
    /// The horizon only.
    Horizon,
    /// The horizon and each roll-up period.
    Period,
    /// The horizon, each period and each interval.
    Interval,
}

impl DetailArg {
    /// The library's name for it.
    pub fn detail(self) -> Detail {
        match self {
            Self::Horizon => Detail::Horizon,
            Self::Period => Detail::Period,
            Self::Interval => Detail::Interval,
        }
    }
}

/// How reported days are grouped for roll-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum PeriodArg {
    /// Each reported day.
    #[default]
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
    /// Calendar quarters (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec).
    Quarter,
}

impl PeriodArg {
    /// The library's name for it.
    pub fn kind(self) -> PeriodKind {
        match self {
            Self::Day => PeriodKind::Day,
            Self::Week => PeriodKind::Week,
            Self::Month => PeriodKind::Month,
            Self::Quarter => PeriodKind::Quarter,
        }
    }
}

/// A finite number more than 0.
pub fn positive_number(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("{s:?} is not allowed; a finite number > 0")),
    }
}

/// A share in (0, 1].
pub fn share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 1.0 => Ok(x),
        _ => Err(format!("{s:?} is not allowed; a share in (0, 1], such as 0.8")),
    }
}

/// A number from `low` (excluded when `open`) to `high`; `allowed` says so
/// in the error.
pub fn number_in(s: &str, low: f64, open: bool, high: f64, allowed: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x <= high && (x > low || (!open && x == low)) => Ok(x),
        Ok(_) => Err(format!("{s:?} is out of range; allowed: {allowed}")),
        Err(_) => Err(format!("{s:?} is not a number; allowed: {allowed}")),
    }
}
