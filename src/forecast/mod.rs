//! Forecasting offered contacts from history: per queue, daily totals and
//! intraday shares from a [`Series`] of counts per interval, chosen among
//! [`Method`]s by a rolling-origin [`backtest`](backtest::backtest) against
//! the seasonal-naive baseline, with prediction intervals, an intraday
//! [`reforecast`](reforecast::reforecast), the forecast error as the
//! scenario's `[uncertainty]` ([`uncertainty::estimate`]) and the result as
//! the scenario's arrivals and the plan's monthly volumes
//! ([`arrivals`]).
//!
//! Days, weekdays and intervals of day are local to each queue's zone and
//! DST-correct: a day's intervals are stepped in real time from local
//! midnight and each falls in the **slot** of its local clock time, as the
//! simulator lays a scenario's profile (see [`days`]).
//!
//! Why a focused Holt-Winters rather than `augurs`: `augurs-ets` (0.10)
//! does not implement seasonal models yet (its documentation says so), so
//! weekday seasonality would need `augurs-mstl` on top; together they bring
//! nalgebra, a second rand (0.8), roots, lstsq, distrs and tracing, and an
//! optimiser whose results we would have to pin across versions. The model
//! here has no dependency, picks its parameters from a fixed grid (the same
//! bytes on every machine) and does what call-centre histories need and a
//! generic series library does not: gaps and special days as missing,
//! closed weekdays, robust updates, DST-correct slots.
//!
//! The lead's entry points: [`run`] (every queue: backtest, choose,
//! forecast, estimate the uncertainty), or per queue [`backtest::backtest`]
//! and [`outlook::forecast`]; then [`arrivals::arrivals`] and
//! [`arrivals::render_toml`] for the scenario, [`arrivals::monthly`] and
//! [`arrivals::render_plan_toml`] for `[plan]`, and the reports in
//! [`crate::report::forecast`] and [`crate::report::backtest`].

pub mod arrivals;
pub mod backtest;
pub mod days;
pub mod interval;
pub mod method;
pub mod metrics;
pub mod outlook;
mod profile;
pub mod reforecast;
pub mod series;
pub mod smoothing;
pub mod uncertainty;
mod yearly;

use jiff::civil::Date;
use jiff::Timestamp;
use rayon::prelude::*;

pub use backtest::{backtest, BacktestConfig, QueueBacktest};
pub use method::Method;
pub use outlook::{forecast, DayForecast, IntervalForecast, QueueForecast};
pub use series::{Calendar, Series, SpecialDay};
pub use uncertainty::UncertaintyEstimate;

/// Longest forecast, days (three years and more: a plan's 36 months from
/// any day).
pub const MAX_HORIZON_DAYS: usize = 1200;

/// Why a history cannot be forecast, or a forecast not rendered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// The interval length is not one forecasting knows.
    #[error("queue '{queue}': interval of {minutes} minutes; allowed: 5, 6, 10, 15, 30 or 60")]
    IntervalMinutes {
        /// The queue.
        queue: String,
        /// The length given, minutes.
        minutes: u32,
    },
    /// A count is negative or not a number.
    #[error(
        "queue '{queue}': offered {value} in the interval starting {at}; allowed: a number from 0 to 1e9, or missing"
    )]
    BadValue {
        /// The queue.
        queue: String,
        /// Start of the interval, local time with its offset.
        at: String,
        /// The value.
        value: f64,
    },
    /// The history holds nothing.
    #[error("queue '{queue}': the history has no intervals")]
    Empty {
        /// The queue.
        queue: String,
    },
    /// The history is longer than forecasting takes.
    #[error("queue '{queue}': {values} intervals of history; allowed: at most {most}")]
    TooLong {
        /// The queue.
        queue: String,
        /// Intervals given.
        values: usize,
        /// The most allowed.
        most: usize,
    },
    /// The history's intervals do not fall on its zone's local grid.
    #[error(
        "queue '{queue}': the history starting {start} is not on the local {minutes}-minute grid of {date} (intervals must start a whole number of intervals after local midnight)"
    )]
    Misaligned {
        /// The queue.
        queue: String,
        /// The local date where it shows.
        date: Date,
        /// Interval length, minutes.
        minutes: u32,
        /// The history's start.
        start: Timestamp,
    },
    /// A date beyond what the zone or calendar can hold.
    #[error("date {date} is out of range")]
    DateRange {
        /// The date.
        date: Date,
    },
    /// A calendar factor out of range.
    #[error("calendar {date} '{label}': factor {factor}; allowed: a finite number from 0 to 1000")]
    BadFactor {
        /// The date.
        date: Date,
        /// Its label.
        label: String,
        /// The factor.
        factor: f64,
    },
    /// Too little history.
    #[error("queue '{queue}': {days} days of history before the origin; at least {needed} needed")]
    TooShort {
        /// The queue.
        queue: String,
        /// Days available.
        days: usize,
        /// Days needed.
        needed: usize,
    },
    /// An origin outside the history.
    #[error("queue '{queue}': origin {origin}; allowed: from {first} to {last} (the day after the last full day)")]
    Origin {
        /// The queue.
        queue: String,
        /// The origin asked for.
        origin: Date,
        /// The history's first day.
        first: Date,
        /// The latest origin.
        last: Date,
    },
    /// A setting out of range.
    #[error("{field} = {value}; allowed: {allowed}")]
    Setting {
        /// The setting.
        field: &'static str,
        /// Its value.
        value: String,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A scenario interval the history's intervals do not add up to.
    #[error(
        "queue '{queue}': a {series}-minute history cannot make a {minutes}-minute profile; allowed: 15, 30 or 60 minutes, a multiple of {series}"
    )]
    ProfileInterval {
        /// The queue.
        queue: String,
        /// The history's interval, minutes.
        series: u32,
        /// The scenario's interval asked for, minutes.
        minutes: u32,
    },
    /// Days asked for that the forecast does not hold.
    #[error("queue '{queue}': {what} is not forecast (the forecast runs from {first} to {last})")]
    NotForecast {
        /// The queue.
        queue: String,
        /// What was asked for.
        what: String,
        /// The forecast's first day.
        first: Date,
        /// Its last day.
        last: Date,
    },
    /// Actuals longer than the day.
    #[error("queue '{queue}': {given} actuals for {date}, which has {len} intervals")]
    TooManyActuals {
        /// The queue.
        queue: String,
        /// The day.
        date: Date,
        /// Actuals given.
        given: usize,
        /// Intervals in the day.
        len: usize,
    },
}

/// How a method is fitted and measures its own errors.
#[derive(Debug, Clone, PartialEq)]
pub struct FitConfig {
    /// Weeks of each weekday behind its intraday profile (default 8).
    pub profile_weeks: usize,
    /// Training days whose forecasts measure the errors (default 364).
    pub error_window_days: usize,
    /// Horizons measured, days ahead (default 28); longer ones widen.
    pub error_horizon_days: usize,
    /// Coverage of prediction intervals (default 0.8).
    pub level: f64,
}

impl Default for FitConfig {
    fn default() -> Self {
        FitConfig { profile_weeks: 8, error_window_days: 364, error_horizon_days: 28, level: 0.8 }
    }
}

impl FitConfig {
    fn check(&self) -> Result<(), ForecastError> {
        let bad = |field, value: String, allowed| Err(ForecastError::Setting { field, value, allowed });
        if !(1..=52).contains(&self.profile_weeks) {
            return bad("profile_weeks", self.profile_weeks.to_string(), "1 to 52");
        }
        if !(7..=3660).contains(&self.error_window_days) {
            return bad("error_window_days", self.error_window_days.to_string(), "7 to 3660");
        }
        if !(1..=366).contains(&self.error_horizon_days) {
            return bad("error_horizon_days", self.error_horizon_days.to_string(), "1 to 366");
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return bad("level", self.level.to_string(), "a share between 0 and 1, e.g. 0.8");
        }
        Ok(())
    }
}

/// Where a forecast starts and how far it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastConfig {
    /// Days forecast (default 28; at most [`MAX_HORIZON_DAYS`]).
    pub horizon_days: usize,
    /// The first day forecast; default: the day after the history's last
    /// full day (the day it ends in, when it ends during one: today, for
    /// [`reforecast::reforecast`]).
    pub origin: Option<Date>,
    /// Fitting.
    pub fit: FitConfig,
}

impl Default for ForecastConfig {
    fn default() -> Self {
        ForecastConfig { horizon_days: 28, origin: None, fit: FitConfig::default() }
    }
}

impl ForecastConfig {
    /// Checks every setting's range.
    pub fn check(&self) -> Result<(), ForecastError> {
        if !(1..=MAX_HORIZON_DAYS).contains(&self.horizon_days) {
            return Err(ForecastError::Setting {
                field: "horizon_days",
                value: self.horizon_days.to_string(),
                allowed: "1 to 1200",
            });
        }
        self.fit.check()
    }
}

/// Settings of [`run`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// The forecast.
    pub forecast: ForecastConfig,
    /// The backtest that chooses each queue's method.
    pub backtest: BacktestConfig,
    /// The scenario's interval, minutes, at which `intraday_cv` is
    /// estimated (a multiple of every queue's); default: each queue's own.
    pub scenario_interval_minutes: Option<u32>,
}

/// Every queue's backtest, forecast (with the method the backtest chose)
/// and the forecast error as `[uncertainty]`.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Per queue, in the order given.
    pub backtests: Vec<QueueBacktest>,
    /// Per queue, in the order given.
    pub forecasts: Vec<QueueForecast>,
    /// From the backtests (`intraday_cv` at the scenario's interval).
    pub uncertainty: UncertaintyEstimate,
}

/// Backtests every queue of `series` (in parallel; the result does not
/// depend on the thread count), forecasts each with the method of least
/// interval WAPE, and estimates `[uncertainty]` from the backtests.
pub fn run(series: &[Series], calendar: &Calendar, config: &Config) -> Result<Outcome, ForecastError> {
    let pairs: Vec<(QueueBacktest, QueueForecast)> = series
        .par_iter()
        .map(|s| {
            let b = backtest(s, calendar, &config.backtest)?;
            let f = forecast(s, calendar, b.chosen, &config.forecast)?;
            Ok((b, f))
        })
        .collect::<Result<_, ForecastError>>()?;
    let (backtests, forecasts): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
    let uncertainty = uncertainty::estimate(&backtests, config.scenario_interval_minutes)?;
    Ok(Outcome { backtests, forecasts, uncertainty })
}
