//! Yearly seasonality: a smooth index by time of year, from a regression
//! of the log of daily totals on a linear trend, weekday effects and a few
//! Fourier terms of the year (so it needs a year of history). The Fourier
//! part is kept, and with two years of history (where trend and yearly
//! wave come apart) the trend too, as steady growth: the smoothing model
//! divides daily totals by the index and learns level, local trend and
//! weekdays itself, so a forecast months ahead carries the growth a
//! 14-day error could never justify a smoothed trend for.

/// Days of history (first to last observed normal day) before a yearly
/// index is fitted.
pub const MIN_SPAN_DAYS: i64 = 364;

/// Fewest observed days behind a yearly index.
const MIN_DAYS: usize = 300;

/// Mean length of a year, days.
const YEAR_DAYS: f64 = 365.2425;

/// A yearly index: exp of a sum of sines and cosines of the time of year
/// and of steady growth.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Yearly {
    /// Sine and cosine coefficients of harmonics 1..=K, interleaved.
    coef: Vec<f64>,
    /// Growth of the log per year (0 with less than two years).
    pub growth: f64,
    /// Day number where growth is 0.
    mid: f64,
}

impl Yearly {
    /// Fits the index to `(day number, weekday, total)` of normal observed
    /// days with a positive total; `None` with less than a year of them.
    pub fn fit(days: &[(i64, usize, f64)]) -> Option<Yearly> {
        let first = days.first()?.0;
        let span = days.last()?.0 - first;
        if span < MIN_SPAN_DAYS || days.len() < MIN_DAYS {
            return None;
        }
        let k = if span >= 2 * MIN_SPAN_DAYS { 4 } else { 3 };
        // Columns: 1, trend (years), weekdays 1..6, then the harmonics.
        let p = 2 + 6 + 2 * k;
        let mid = first as f64 + span as f64 / 2.0;
        let mut xtx = vec![0.0; p * p];
        let mut xty = vec![0.0; p];
        let mut row = vec![0.0; p];
        for &(day, w, total) in days {
            row.iter_mut().for_each(|x| *x = 0.0);
            row[0] = 1.0;
            row[1] = (day as f64 - mid) / YEAR_DAYS;
            if w > 0 {
                row[1 + w] = 1.0;
            }
            harmonics(day, k, &mut row[8..]);
            let y = total.ln();
            for i in 0..p {
                xty[i] += row[i] * y;
                for j in 0..=i {
                    xtx[i * p + j] += row[i] * row[j];
                }
            }
        }
        for i in 0..p {
            for j in 0..i {
                xtx[j * p + i] = xtx[i * p + j];
            }
            // A whisker of ridge: a weekday never open has an empty column.
            xtx[i * p + i] += 1e-6 * (1.0 + xtx[i * p + i]);
        }
        let beta = solve(&mut xtx, &mut xty, p)?;
        let coef = beta[8..].to_vec();
        let growth = if span >= 2 * MIN_SPAN_DAYS { beta[1] } else { 0.0 };
        (growth.is_finite() && coef.iter().all(|c| c.is_finite())).then_some(Yearly { coef, growth, mid })
    }

    /// The index on day number `day` (around 1 mid-history; a year's mean
    /// of its wave's log is 0).
    pub fn index(&self, day: i64) -> f64 {
        let mut h = [0.0; 8];
        let k = self.coef.len() / 2;
        harmonics(day, k, &mut h[..2 * k]);
        let wave: f64 = h.iter().zip(&self.coef).map(|(a, b)| a * b).sum();
        (wave + self.growth * (day as f64 - self.mid) / YEAR_DAYS).exp()
    }
}

/// sin and cos of harmonics 1..=k of the time of year of `day` into `out`.
fn harmonics(day: i64, k: usize, out: &mut [f64]) {
    let phase = 2.0 * std::f64::consts::PI * (day as f64 / YEAR_DAYS).fract();
    for j in 0..k {
        let a = phase * (j + 1) as f64;
        out[2 * j] = a.sin();
        out[2 * j + 1] = a.cos();
    }
}

/// Solves the symmetric positive definite system `a x = b` (n × n, row
/// major) by Cholesky; `None` if it is not positive definite.
fn solve(a: &mut [f64], b: &mut [f64], n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d.is_nan() || d <= 0.0 {
            return None;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i * n + k] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= a[k * n + i] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    Some(b.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_yearly_wave_beside_trend_and_weekdays() {
        let wave = |d: i64| 0.2 * (2.0 * std::f64::consts::PI * d as f64 / YEAR_DAYS).sin();
        let days: Vec<(i64, usize, f64)> = (0..800)
            .map(|d| {
                let w = (d % 7) as usize;
                let weekday = [0.0, 0.05, 0.1, 0.0, -0.1, -0.5, -0.8][w];
                (d, w, (7.0 + 0.0004 * d as f64 + weekday + wave(d)).exp())
            })
            .collect();
        let y = Yearly::fit(&days).unwrap();
        assert!((y.growth - 0.0004 * YEAR_DAYS).abs() < 1e-4, "growth {}", y.growth);
        for d in [10, 100, 250, 900] {
            let log = y.index(d).ln() - y.growth * (d as f64 - 399.5) / YEAR_DAYS;
            assert!((log - wave(d)).abs() < 1e-4, "day {d}: {log} vs {}", wave(d));
        }
        assert_eq!(Yearly::fit(&days[..400]).unwrap().growth, 0.0, "growth needs two years");
        assert!(Yearly::fit(&days[..300]).is_none(), "less than a year");
    }
}
