//! Prediction intervals. A fit measures its own errors: from every origin
//! over the last year of its training days it forecasts each day 1 to
//! [`FitConfig::error_horizon_days`](super::FitConfig) ahead, and keeps,
//! per horizon, the ratios actual / forecast of daily totals. A day's
//! interval is its forecast times the empirical quantiles of those ratios
//! at its horizon; beyond the horizons measured, the log-quantiles of the
//! last widen with the square root of the horizon.
//!
//! An interval of the day is negative binomial (Poisson counts with a
//! gamma factor): mean μ, variance μ + μ²(v_day + v_interval), where
//! v_day is the variance of the ratio at the day's horizon less its
//! Poisson part (the mean of 1 / forecast), and v_interval the variance of
//! an interval's own factor beyond Poisson, by the method of moments over
//! the recent days: Σ[(c − μ)² − μ] / Σ μ² with μ the day's actual total
//! times the slot's share.

/// Fewest ratios behind a horizon's quantiles; a horizon with fewer takes
/// the nearest shorter one's.
const MIN_RATIOS: usize = 10;

/// Relative variance of a day assumed when a history is too short to
/// measure any (a CV of 10%).
const DEFAULT_DAY_VAR: f64 = 0.01;

/// What a fit knows of its own errors.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorModel {
    /// The interval's coverage, e.g. 0.8.
    pub level: f64,
    /// Per horizon (index 0 = 1 day ahead): the low and high quantiles of
    /// actual / forecast daily totals.
    pub ratio: Vec<(f64, f64)>,
    /// Per horizon: the variance of the daily factor beyond Poisson.
    pub day_var: Vec<f64>,
    /// The variance of an interval's factor beyond Poisson and the day's.
    pub interval_var: f64,
    /// Ratios measured at horizon 1 (0: assumed, the history too short).
    pub samples: usize,
}

impl ErrorModel {
    /// From per-horizon `(ratio, forecast)` pairs and the interval
    /// variance.
    pub(crate) fn from_ratios(level: f64, per_horizon: &[Vec<(f64, f64)>], interval_var: f64) -> ErrorModel {
        let (lo_p, hi_p) = ((1.0 - level) / 2.0, (1.0 + level) / 2.0);
        let mut ratio = Vec::with_capacity(per_horizon.len());
        let mut day_var = Vec::with_capacity(per_horizon.len());
        for pairs in per_horizon {
            if pairs.len() < MIN_RATIOS {
                let fallback = ratio.last().copied().zip(day_var.last().copied());
                let (r, v) = fallback.unwrap_or_else(|| (normal_ratio(DEFAULT_DAY_VAR, level), DEFAULT_DAY_VAR));
                ratio.push(r);
                day_var.push(v);
                continue;
            }
            let mut r: Vec<f64> = pairs.iter().map(|p| p.0).collect();
            ratio.push((quantile(&mut r, lo_p), quantile(&mut r, hi_p)));
            day_var.push(beyond_poisson(pairs));
        }
        let samples = per_horizon.first().map_or(0, |p| p.len());
        ErrorModel { level, ratio, day_var, interval_var: interval_var.max(0.0), samples }
    }

    /// The low and high ratio at horizon `h` days (1 = the first day).
    pub fn ratio_at(&self, h: usize) -> (f64, f64) {
        let n = self.ratio.len();
        if n == 0 {
            return normal_ratio(DEFAULT_DAY_VAR, self.level);
        }
        let (lo, hi) = self.ratio[h.clamp(1, n) - 1];
        if h <= n {
            return (lo, hi);
        }
        let widen = (h as f64 / n as f64).sqrt();
        ((lo.max(1e-9).ln() * widen).exp(), (hi.max(1e-9).ln() * widen).exp())
    }

    /// The daily factor's variance beyond Poisson at horizon `h`.
    pub fn day_var_at(&self, h: usize) -> f64 {
        let n = self.day_var.len();
        if n == 0 {
            return DEFAULT_DAY_VAR;
        }
        let v = self.day_var[h.clamp(1, n) - 1];
        if h <= n {
            v
        } else {
            v * h as f64 / n as f64
        }
    }

    /// The central interval of a count with mean `mean` and relative
    /// variance `rel_var` beyond Poisson.
    pub fn count_interval(&self, mean: f64, rel_var: f64) -> (f64, f64) {
        count_quantiles(mean, rel_var, (1.0 - self.level) / 2.0, (1.0 + self.level) / 2.0)
    }
}

/// The relative variance of a factor beyond Poisson from `(ratio,
/// forecast)` pairs: var(ratio) less the mean of ratio / forecast (each
/// ratio's own Poisson part), at least 0.
pub(crate) fn beyond_poisson(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mean = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let var = pairs.iter().map(|p| (p.0 - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let poisson = pairs.iter().map(|p| p.0 / p.1).sum::<f64>() / n;
    (var - poisson).max(0.0)
}

/// The `p`-quantile of `xs`, interpolated between order statistics (type
/// 7), by selection (`xs` is reordered).
pub(crate) fn quantile(xs: &mut [f64], p: f64) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let pos = p.clamp(0.0, 1.0) * (xs.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos.fract());
    let (_, at, above) = xs.select_nth_unstable_by(i, f64::total_cmp);
    let at = *at;
    match above.iter().copied().min_by(f64::total_cmp) {
        Some(next) => at + frac * (next - at),
        None => at,
    }
}

/// The ratio quantiles of a lognormal factor of relative variance `v`.
fn normal_ratio(v: f64, level: f64) -> (f64, f64) {
    let z = z_of((1.0 + level) / 2.0);
    let s = (1.0 + v).ln().sqrt();
    ((-z * s - s * s / 2.0).exp(), (z * s - s * s / 2.0).exp())
}

/// The standard normal quantile.
pub(crate) fn z_of(p: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().inverse_cdf(p.clamp(1e-12, 1.0 - 1e-12))
}

/// Means above this use the normal approximation (with a continuity
/// correction) instead of summing the probabilities.
const EXACT_UP_TO: f64 = 400.0;

/// The `lo`- and `hi`-quantiles (`lo` ≤ `hi`) of a count with mean
/// `mean` and variance `mean + rel_var × mean²`: Poisson when `rel_var` is
/// 0, else negative binomial; each the least count whose cumulative
/// probability reaches it.
pub(crate) fn count_quantiles(mean: f64, rel_var: f64, lo: f64, hi: f64) -> (f64, f64) {
    if mean.is_nan() || mean <= 0.0 {
        return (0.0, 0.0);
    }
    let var = mean + rel_var * mean * mean;
    if mean > EXACT_UP_TO {
        let at = |p: f64| (mean + z_of(p) * var.sqrt() - 0.5).ceil().max(0.0);
        return (at(lo), at(hi));
    }
    // pmf recurrence: p(k+1) = p(k) × (k + r) / (k + 1) × q, or the
    // Poisson limit p(k+1) = p(k) × mean / (k + 1).
    let nb = rel_var > 1e-9;
    let r = if nb { 1.0 / rel_var } else { 0.0 };
    let q = mean / (r + mean);
    let mut pk = if nb { (r * (r / (r + mean)).ln()).exp() } else { (-mean).exp() };
    let mut cdf = pk;
    let mut k = 0.0;
    let most = mean + 40.0 * var.sqrt() + 50.0;
    let mut low = None;
    while k < most {
        if low.is_none() && cdf >= lo {
            low = Some(k);
        }
        if cdf >= hi {
            break;
        }
        pk *= if nb { (k + r) / (k + 1.0) * q } else { mean / (k + 1.0) };
        k += 1.0;
        cdf += pk;
    }
    (low.unwrap_or(k), k)
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_and_count_quantiles() {
        assert!((z_of(0.9) - 1.2815515655).abs() < 1e-8);
        assert!((z_of(0.1) + 1.2815515655).abs() < 1e-8);
        // Poisson(3): P(X ≤ 0) = 0.050, P(X ≤ 1) = 0.199, P(X ≤ 5) = 0.916.
        assert_eq!(count_quantiles(3.0, 0.0, 0.1, 0.9), (1.0, 5.0));
        assert_eq!(count_quantiles(3.0, 0.0, 0.04, 0.045), (0.0, 0.0));
        assert_eq!(count_quantiles(0.0, 0.5, 0.1, 0.9), (0.0, 0.0));
        // Negative binomial, r = 2, mean 2 (p = 1/2): P(X ≤ 0) = 0.25,
        // P(X ≤ 3) = 0.8125, P(X ≤ 4) = 0.890625, P(X ≤ 5) = 0.9375.
        assert_eq!(count_quantiles(2.0, 0.5, 0.2, 0.9), (0.0, 5.0));
        // Wider with a gamma factor.
        assert!(count_quantiles(100.0, 0.04, 0.1, 0.9).1 > count_quantiles(100.0, 0.0, 0.1, 0.9).1 + 5.0);
        // Normal branch: mean 10000, sd 100.
        let (lo, hi) = count_quantiles(10_000.0, 0.0, 0.1, 0.9);
        assert!((hi - 10_128.0).abs() <= 1.0 && (lo - 9_872.0).abs() <= 1.0, "{lo} {hi}");
    }

    #[test]
    fn quantiles_interpolate() {
        let mut xs = [5.0, 2.0, 4.0, 1.0, 3.0];
        assert_eq!(quantile(&mut xs, 0.5), 3.0);
        assert_eq!(quantile(&mut xs, 0.1), 1.4);
        assert_eq!(quantile(&mut xs, 1.0), 5.0);
    }
}
