//! Intraday reforecast: today's actuals up to now update the rest of the
//! day. The day's volume factor X (actual / forecast) has, before the day,
//! a gamma prior of mean 1 and the variance the fit measured one day ahead
//! (beyond Poisson; at least [`MIN_PRIOR_VAR`]); the counts so far are
//! Poisson with mean X × their forecast. The posterior mean of X is
//!
//! `(1/v + A) / (1/v + F) = 1 + κ (A/F − 1)`, with `κ = F / (F + 1/v)`,
//!
//! A and F the actual and forecast contacts so far: the morning's ratio
//! shrunk toward 1 by how much of the day's volume has been seen, the
//! more so the steadier the queue's days. The rest of the day is its
//! forecast times that factor; its intervals widen by the factor's
//! remaining uncertainty (relative variance 1 / (1/v + A)).

use jiff::civil::Date;

use super::outlook::{IntervalForecast, QueueForecast};
use super::ForecastError;

/// Least prior variance of the day's factor (a CV of 5%): a queue whose
/// days were steadier still moves a little with a clear morning.
pub const MIN_PRIOR_VAR: f64 = 0.0025;

/// A day reforecast from its actuals so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Reforecast {
    /// The queue.
    pub queue: String,
    /// The day.
    pub date: Date,
    /// Intervals of the day with actuals given (the first ones).
    pub seen: usize,
    /// Contacts so far (the intervals observed).
    pub actual_so_far: f64,
    /// Their forecast.
    pub forecast_so_far: f64,
    /// `actual_so_far / forecast_so_far`, where anything was forecast.
    pub ratio: Option<f64>,
    /// κ: how far the factor moves from 1 toward the ratio.
    pub weight: f64,
    /// The day's volume factor applied to the rest of the day.
    pub factor: f64,
    /// The rest of the day's intervals, updated.
    pub rest: Vec<IntervalForecast>,
    /// The day's total: actuals so far and the updated rest.
    pub total: f64,
    /// Low end of the day total's interval.
    pub low: f64,
    /// High end.
    pub high: f64,
}

/// Reforecasts `date` of `forecast` from `actuals`, the counts of its
/// first intervals (`None` where missing).
pub fn reforecast(forecast: &QueueForecast, date: Date, actuals: &[Option<f64>]) -> Result<Reforecast, ForecastError> {
    let day = forecast.day(date).ok_or_else(|| ForecastError::NotForecast {
        queue: forecast.queue.clone(),
        what: date.to_string(),
        first: forecast.origin,
        last: forecast.days.last().map_or(forecast.origin, |d| d.date),
    })?;
    let intervals = forecast.intervals(day);
    if actuals.len() > intervals.len() {
        return Err(ForecastError::TooManyActuals {
            queue: forecast.queue.clone(),
            date,
            given: actuals.len(),
            len: intervals.len(),
        });
    }
    if let Some(bad) = actuals.iter().flatten().find(|x| !(0.0..=super::series::MAX_OFFERED).contains(*x)) {
        let start = intervals[actuals.iter().position(|a| *a == Some(*bad)).unwrap_or(0)].start;
        return Err(ForecastError::BadValue {
            queue: forecast.queue.clone(),
            at: start.display_with_offset(forecast.zone.to_offset(start)).to_string(),
            value: *bad,
        });
    }
    let (mut a, mut f, mut unseen) = (0.0, 0.0, 0.0);
    for (i, actual) in intervals.iter().zip(actuals) {
        match actual {
            Some(x) => {
                a += x;
                f += i.mean;
            }
            None => unseen += i.mean,
        }
    }
    let prior = forecast.errors.day_var_at(day.horizon).max(MIN_PRIOR_VAR);
    let weight = f / (f + 1.0 / prior);
    let factor = (1.0 / prior + a) / (1.0 / prior + f);
    let factor_var = 1.0 / (1.0 / prior + a);
    let var = factor_var + forecast.errors.interval_var;
    let rest: Vec<IntervalForecast> = intervals[actuals.len()..]
        .iter()
        .map(|i| {
            let mean = i.mean * factor;
            let (low, high) = forecast.errors.count_interval(mean, var);
            IntervalForecast { mean, low, high, ..*i }
        })
        .collect();
    let remaining: f64 = rest.iter().map(|i| i.mean).sum::<f64>() + unseen * factor;
    let squares: f64 = rest.iter().map(|i| i.mean * i.mean).sum();
    let rel = if remaining > 0.0 {
        factor_var + forecast.errors.interval_var * squares / (remaining * remaining)
    } else {
        0.0
    };
    let (lo, hi) = forecast.errors.count_interval(remaining, rel);
    Ok(Reforecast {
        queue: forecast.queue.clone(),
        date,
        seen: actuals.len(),
        actual_so_far: a,
        forecast_so_far: f,
        ratio: (f > 0.0).then(|| a / f),
        weight,
        factor,
        rest,
        total: a + remaining,
        low: a + lo,
        high: a + hi,
    })
}
