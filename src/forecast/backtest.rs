//! Rolling-origin backtest: from each of up to `origins` origins, a week
//! apart by default and the last one `horizon_days` before the history's
//! end, every method is fitted to the days before the origin only and
//! forecasts the next `horizon_days`, which are compared with what
//! happened. Special days and missing values are left out of the measures
//! (a day's total counts only with every interval observed). A queue's
//! method is the one of least WAPE over its intervals (the numbers
//! staffing reads), ties going to the richer method.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rayon::prelude::*;

use super::days::{add_days, History};
use super::method::{Fitted, Method};
use super::metrics::Accuracy;
use super::series::{Calendar, Series};
use super::{FitConfig, ForecastError};

/// Settings of a backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestConfig {
    /// Most origins (default 52).
    pub origins: usize,
    /// Days between origins (default 7).
    pub step_days: usize,
    /// Days forecast from each origin (default 14).
    pub horizon_days: usize,
    /// Fewest days before the first origin (default 56).
    pub min_train_days: usize,
    /// Methods compared; the baseline (seasonal naive) is always measured.
    pub methods: Vec<Method>,
    /// Fitting.
    pub fit: FitConfig,
}

impl Default for BacktestConfig {
    fn default() -> Self {
        BacktestConfig {
            origins: 52,
            step_days: 7,
            horizon_days: 14,
            min_train_days: 56,
            methods: Method::ALL.to_vec(),
            fit: FitConfig::default(),
        }
    }
}

impl BacktestConfig {
    /// Checks every setting's range.
    pub fn check(&self) -> Result<(), ForecastError> {
        let bad =
            |field, value: usize, allowed| Err(ForecastError::Setting { field, value: value.to_string(), allowed });
        if !(1..=520).contains(&self.origins) {
            return bad("origins", self.origins, "1 to 520");
        }
        if !(1..=366).contains(&self.step_days) {
            return bad("step_days", self.step_days, "1 to 366");
        }
        if !(1..=366).contains(&self.horizon_days) {
            return bad("horizon_days", self.horizon_days, "1 to 366");
        }
        if !(28..=3660).contains(&self.min_train_days) {
            return bad("min_train_days", self.min_train_days, "28 to 3660");
        }
        self.fit.check()
    }

    /// The methods measured: those asked for and the baseline, each once.
    fn measured(&self) -> Vec<Method> {
        let mut m = self.methods.clone();
        m.push(Method::SeasonalNaive);
        let mut seen = Vec::new();
        m.retain(|x| {
            let new = !seen.contains(x);
            seen.push(*x);
            new
        });
        m
    }
}

/// One day forecast in the backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct DayRecord {
    /// The origin it was forecast from.
    pub origin: Date,
    /// The day.
    pub date: Date,
    /// Days ahead (1: the origin).
    pub horizon: usize,
    /// What happened (`None` with an interval missing).
    pub actual: Option<f64>,
    /// The chosen method's forecast.
    pub forecast: f64,
    /// Its interval's low end.
    pub low: f64,
    /// Its interval's high end.
    pub high: f64,
    /// The baseline's forecast.
    pub baseline: f64,
}

/// One interval of a first day (horizon 1) of the backtest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalRecord {
    /// Its start.
    pub start: Timestamp,
    /// Its index in the day (intervals stepped from local midnight).
    pub index: usize,
    /// Its slot (interval of the local day).
    pub slot: usize,
    /// What happened.
    pub actual: Option<f64>,
    /// The chosen method's forecast.
    pub forecast: f64,
    /// Its interval's low end.
    pub low: f64,
    /// Its interval's high end.
    pub high: f64,
    /// The baseline's forecast.
    pub baseline: f64,
}

/// A queue's backtest.
#[derive(Debug, Clone)]
pub struct QueueBacktest {
    /// The queue.
    pub queue: String,
    /// Its zone.
    pub zone: TimeZone,
    /// Its interval, minutes.
    pub interval_minutes: u32,
    /// Days forecast from each origin.
    pub horizon_days: usize,
    /// Coverage the intervals aim at.
    pub level: f64,
    /// The origins, in order.
    pub origins: Vec<Date>,
    /// The method chosen (least interval WAPE).
    pub chosen: Method,
    /// The baseline.
    pub baseline: Method,
    /// Every method measured, with its accuracy, in the order compared.
    pub methods: Vec<(Method, Accuracy)>,
    /// Every day forecast (chosen and baseline), by origin then horizon.
    pub days: Vec<DayRecord>,
    /// The intervals of each origin's first day (chosen and baseline), by
    /// origin; the first days of special days are left out.
    pub first_days: Vec<(Date, Vec<IntervalRecord>)>,
}

impl QueueBacktest {
    /// The accuracy of `method`, if measured.
    pub fn accuracy(&self, method: Method) -> Option<&Accuracy> {
        self.methods.iter().find(|(m, _)| *m == method).map(|(_, a)| a)
    }
}

/// What one origin gives, per method measured.
struct OriginResult {
    accuracy: Vec<Accuracy>,
    days: Vec<Vec<DayRecord>>,
    first: Vec<Option<(Date, Vec<IntervalRecord>)>>,
}

/// Backtests `series` with rolling origins (see [`BacktestConfig`]).
pub fn backtest(series: &Series, calendar: &Calendar, config: &BacktestConfig) -> Result<QueueBacktest, ForecastError> {
    config.check()?;
    let h = History::new(series, calendar)?;
    let too_short = |days| ForecastError::TooShort {
        queue: series.queue.clone(),
        days,
        needed: config.min_train_days + config.horizon_days,
    };
    let last = (0..h.days.len()).rev().find(|d| h.covered(*d)).ok_or_else(|| too_short(0))?;
    let last_origin = (last + 1).checked_sub(config.horizon_days).ok_or_else(|| too_short(last + 1))?;
    let mut origins: Vec<usize> = (0..config.origins)
        .filter_map(|k| last_origin.checked_sub(k * config.step_days))
        .filter(|o| *o >= config.min_train_days)
        .collect();
    origins.reverse();
    if origins.is_empty() {
        return Err(too_short(last + 1));
    }
    let methods = config.measured();
    let results: Vec<Option<OriginResult>> = origins.par_iter().map(|o| at_origin(&h, *o, &methods, config)).collect();
    let kept: Vec<(usize, OriginResult)> =
        origins.iter().zip(results).filter_map(|(o, r)| r.map(|r| (*o, r))).collect();
    if kept.is_empty() {
        return Err(too_short(last + 1));
    }
    let mut accuracy: Vec<Accuracy> = methods.iter().map(|_| Accuracy::new(config.horizon_days, h.slots)).collect();
    for (_, r) in &kept {
        for (a, b) in accuracy.iter_mut().zip(&r.accuracy) {
            a.merge(b);
        }
    }
    let wape = |a: &Accuracy| a.overall.intervals.wape().unwrap_or(f64::INFINITY);
    let mut chosen = 0;
    for (i, a) in accuracy.iter().enumerate() {
        if wape(a) < wape(&accuracy[chosen]) {
            chosen = i;
        }
    }
    let base = methods.iter().position(|m| *m == Method::SeasonalNaive).expect("the baseline is measured");
    let mut days = Vec::new();
    let mut first_days = Vec::new();
    for (_, r) in &kept {
        for (c, b) in r.days[chosen].iter().zip(&r.days[base]) {
            days.push(DayRecord { baseline: b.forecast, ..c.clone() });
        }
        if let (Some((date, c)), Some((_, b))) = (&r.first[chosen], &r.first[base]) {
            let merged = c.iter().zip(b).map(|(c, b)| IntervalRecord { baseline: b.forecast, ..*c }).collect();
            first_days.push((*date, merged));
        }
    }
    Ok(QueueBacktest {
        queue: series.queue.clone(),
        zone: series.zone.clone(),
        interval_minutes: series.interval_minutes,
        horizon_days: config.horizon_days,
        level: config.fit.level,
        origins: kept.iter().map(|(o, _)| add_days(h.first_date(), *o as i64)).collect(),
        chosen: methods[chosen],
        baseline: Method::SeasonalNaive,
        methods: methods.into_iter().zip(accuracy).collect(),
        days,
        first_days,
    })
}

/// Every method fitted before day `origin` and measured on the days after;
/// `None` when one of them cannot be fitted there.
fn at_origin(h: &History, origin: usize, methods: &[Method], config: &BacktestConfig) -> Option<OriginResult> {
    let fits: Vec<Fitted> =
        methods.iter().map(|m| Fitted::fit(h, origin, *m, &config.fit)).collect::<Option<Vec<_>>>()?;
    let origin_date = add_days(h.first_date(), origin as i64);
    let mut out = OriginResult { accuracy: Vec::new(), days: Vec::new(), first: Vec::new() };
    let minutes = h.series.interval_minutes;
    for fit in &fits {
        let mut acc = Accuracy::new(config.horizon_days, h.slots);
        let mut days = Vec::new();
        let mut first = None;
        for k in 0..config.horizon_days {
            let target = origin + k;
            let hz = k + 1;
            let day = &h.days[target];
            let volume = fit.total(h, origin, target);
            let shares = fit.shares(h, origin, target);
            let mean = |j: usize| volume * shares.get(day.slot(j)).copied().unwrap_or(0.0);
            let total: f64 = (0..day.len).map(mean).sum();
            let (lo, hi) = fit.errors.ratio_at(hz);
            let actuals: Vec<Option<f64>> = (0..day.len).map(|j| h.actual(target, j)).collect();
            let actual_total: Option<f64> = actuals.iter().copied().sum();
            days.push(DayRecord {
                origin: origin_date,
                date: day.date,
                horizon: hz,
                actual: actual_total,
                forecast: total,
                low: total * lo,
                high: total * hi,
                baseline: 0.0,
            });
            if h.special[target] {
                continue;
            }
            if let Some(a) = actual_total {
                acc.add_day(hz, day.weekday, a, total, (total * lo, total * hi));
            }
            let var = fit.errors.day_var_at(hz) + fit.errors.interval_var;
            let mut records = Vec::with_capacity(if hz == 1 { day.len } else { 0 });
            for (j, actual) in actuals.iter().enumerate() {
                let mu = mean(j);
                let interval = fit.errors.count_interval(mu, var);
                if let Some(a) = actual {
                    acc.add_interval(hz, day.weekday, day.slot(j), *a, mu, interval);
                }
                if hz == 1 {
                    records.push(IntervalRecord {
                        start: day.interval_start(j, minutes),
                        index: j,
                        slot: day.slot(j),
                        actual: *actual,
                        forecast: mu,
                        low: interval.0,
                        high: interval.1,
                        baseline: 0.0,
                    });
                }
            }
            if hz == 1 {
                first = Some((day.date, records));
            }
        }
        out.accuracy.push(acc);
        out.days.push(days);
        out.first.push(first);
    }
    Some(out)
}
