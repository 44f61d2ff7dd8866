//! The forecast error as the scenario's `[uncertainty]`, from backtests,
//! matching what the simulator draws (`engine::forecast`): per queue and
//! day a busyness factor of mean 1 on the arrival rates, with a part
//! shared by every queue, and per interval an independent factor on top.
//!
//! - `volume_cv`: the CV of actual / forecast daily totals one day ahead,
//!   less their Poisson part (the simulator adds Poisson noise itself):
//!   √(var(r) − mean(r / F)). Its 95% interval takes var(r) as a sample
//!   variance (χ² with n − 1 degrees of freedom).
//! - `intraday_cv`: per interval (at the scenario's interval, summing the
//!   history's), the variance of actual against the forecast spread by
//!   the day's own actual / forecast, beyond Poisson, by the method of
//!   moments: √(Σ[(A − μ)² − μ] / Σ μ²).
//! - `correlation`: the mean over pairs of queues of the correlation of
//!   their daily ratios on common days, with each queue's variance less
//!   its Poisson part (independent Poisson noise adds nothing to the
//!   covariance), clamped to 0..1 as the scenario allows.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::backtest::{IntervalRecord, QueueBacktest};
use super::interval::beyond_poisson;
use super::ForecastError;

/// Fewest common days behind a pair's correlation.
const MIN_COMMON_DAYS: usize = 10;

/// One queue's forecast error.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueUncertainty {
    /// The queue.
    pub queue: String,
    /// First days (one day ahead) measured.
    pub days: usize,
    /// CV of the daily volume factor beyond Poisson.
    pub volume_cv: f64,
    /// Its 95% interval.
    pub volume_cv_ci: (f64, f64),
    /// Mean actual / forecast one day ahead, less 1.
    pub bias: f64,
    /// CV of the interval factor beyond Poisson and the day's.
    pub intraday_cv: f64,
    /// The interval `intraday_cv` is measured at, minutes.
    pub interval_minutes: u32,
}

/// Every queue's forecast error and their correlation.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyEstimate {
    /// Per queue, in the order of the backtests.
    pub queues: Vec<QueueUncertainty>,
    /// Correlation of queues' daily factors, 0 to 1.
    pub correlation: f64,
    /// Pairs of queues behind it.
    pub pairs: usize,
}

/// A day's (date, ratio actual / forecast, forecast) one day ahead.
fn day_ratios(b: &QueueBacktest) -> Vec<(jiff::civil::Date, f64, f64)> {
    b.first_days
        .iter()
        .filter_map(|(date, records)| {
            let actual: Option<f64> = records.iter().map(|r| r.actual).sum();
            let forecast: f64 = records.iter().map(|r| r.forecast).sum();
            actual.filter(|_| forecast > 0.0).map(|a| (*date, a / forecast, forecast))
        })
        .collect()
}

/// Estimates `[uncertainty]` from `backtests`, the intraday factor at
/// `minutes` (a multiple of each queue's interval; `None`: each queue's
/// own).
pub fn estimate(backtests: &[QueueBacktest], minutes: Option<u32>) -> Result<UncertaintyEstimate, ForecastError> {
    let mut queues = Vec::with_capacity(backtests.len());
    let mut ratios = Vec::with_capacity(backtests.len());
    for b in backtests {
        let at = minutes.unwrap_or(b.interval_minutes);
        if at < b.interval_minutes || at % b.interval_minutes != 0 || at > 1440 {
            return Err(ForecastError::ProfileInterval {
                queue: b.queue.clone(),
                series: b.interval_minutes,
                minutes: at,
            });
        }
        let days = day_ratios(b);
        let pairs: Vec<(f64, f64)> = days.iter().map(|d| (d.1, d.2)).collect();
        let var = beyond_poisson(&pairs);
        let n = pairs.len();
        let mean = pairs.iter().map(|p| p.0).sum::<f64>() / n.max(1) as f64;
        let ci = cv_interval(&pairs);
        let group = (at / b.interval_minutes) as usize;
        let (mut excess, mut squares) = (0.0, 0.0);
        for (_, records) in &b.first_days {
            let (e, s) = interval_moments(records, group);
            excess += e;
            squares += s;
        }
        let intraday = if squares > 0.0 { (excess / squares).max(0.0).sqrt() } else { 0.0 };
        queues.push(QueueUncertainty {
            queue: b.queue.clone(),
            days: n,
            volume_cv: var.sqrt(),
            volume_cv_ci: ci,
            bias: if n > 0 { mean - 1.0 } else { 0.0 },
            intraday_cv: intraday,
            interval_minutes: at,
        });
        ratios.push((days, var));
    }
    let mut sum = 0.0;
    let mut pairs = 0;
    for i in 0..ratios.len() {
        for j in i + 1..ratios.len() {
            if let Some(r) = pair_correlation(&ratios[i], &ratios[j]) {
                sum += r;
                pairs += 1;
            }
        }
    }
    let correlation = if pairs > 0 { (sum / pairs as f64).clamp(0.0, 1.0) } else { 0.0 };
    Ok(UncertaintyEstimate { queues, correlation, pairs })
}

/// The 95% interval of `volume_cv` from `(ratio, forecast)` pairs.
fn cv_interval(pairs: &[(f64, f64)]) -> (f64, f64) {
    let n = pairs.len();
    if n < 3 {
        return (0.0, f64::INFINITY);
    }
    let k = (n - 1) as f64;
    let mean = pairs.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let var = pairs.iter().map(|p| (p.0 - mean).powi(2)).sum::<f64>() / k;
    let poisson = pairs.iter().map(|p| p.0 / p.1).sum::<f64>() / n as f64;
    let chi = ChiSquared::new(k).expect("positive degrees of freedom");
    let (hi_q, lo_q) = (chi.inverse_cdf(0.975), chi.inverse_cdf(0.025));
    let cv = |total: f64| (total - poisson).max(0.0).sqrt();
    (cv(var * k / hi_q), cv(var * k / lo_q))
}

/// Σ[(A − μ)² − μ] and Σμ² over a first day's intervals summed `group` at
/// a time, μ the group's forecast times the day's actual / forecast.
fn interval_moments(records: &[IntervalRecord], group: usize) -> (f64, f64) {
    let groups: Vec<(Option<f64>, f64)> = records
        .chunks(group)
        .map(|c| (c.iter().map(|r| r.actual).sum::<Option<f64>>(), c.iter().map(|r| r.forecast).sum::<f64>()))
        .collect();
    let (a, f) = groups.iter().filter_map(|(a, f)| a.map(|a| (a, *f))).fold((0.0, 0.0), |s, x| (s.0 + x.0, s.1 + x.1));
    if f <= 0.0 {
        return (0.0, 0.0);
    }
    let day = a / f;
    let (mut excess, mut squares) = (0.0, 0.0);
    for (actual, forecast) in groups {
        if let Some(actual) = actual {
            let mu = forecast * day;
            excess += (actual - mu).powi(2) - mu;
            squares += mu * mu;
        }
    }
    (excess, squares)
}

/// Correlation of two queues' daily factors on their common days.
fn pair_correlation(
    a: &(Vec<(jiff::civil::Date, f64, f64)>, f64),
    b: &(Vec<(jiff::civil::Date, f64, f64)>, f64),
) -> Option<f64> {
    let common: Vec<(f64, f64)> =
        a.0.iter().filter_map(|x| b.0.iter().find(|y| y.0 == x.0).map(|y| (x.1, y.1))).collect();
    if common.len() < MIN_COMMON_DAYS || a.1 <= 0.0 || b.1 <= 0.0 {
        return None;
    }
    let n = common.len() as f64;
    let (ma, mb) = (common.iter().map(|c| c.0).sum::<f64>() / n, common.iter().map(|c| c.1).sum::<f64>() / n);
    let cov = common.iter().map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / (n - 1.0);
    Some((cov / (a.1 * b.1).sqrt()).clamp(-1.0, 1.0))
}
