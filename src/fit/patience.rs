//! Patience from censored waits. An abandoned contact's wait is its
//! patience; an answered contact's wait is a lower bound of it (right-
//! censored). For exponential patience the maximum-likelihood mean is the
//! total wait of all contacts over the abandons, with an exact-in-the-limit
//! chi-square interval on 2 × abandons degrees of freedom. The
//! Kaplan–Meier curve needs no family: it is computed on the log-binned
//! waits (events and censorings within a bin 1% wide are not ordered, so
//! each point carries the bounds of the two orders besides its Greenwood
//! interval). Whether the exponential fits: the likelihood-ratio test
//! against a censored Weibull (whose shape 1 is the exponential), and the
//! largest distance between Kaplan–Meier and exp(−t/θ).

use serde::Serialize;

use super::special::{chi2_1_tail, chi2_quantile, Z95};
use super::Ci;
use crate::history::bins::LogBins;
use crate::history::records::QueueRecords;

/// Times at which the Kaplan–Meier curve is reported, seconds.
pub const KM_TIMES_S: [f64; 8] = [5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0];
/// Survival levels whose times are reported.
pub const KM_LEVELS: [f64; 3] = [0.9, 0.75, 0.5];
/// Fewest contacts still waiting for a Kaplan–Meier point to be shown and
/// compared.
pub const MIN_AT_RISK: u64 = 30;

/// One point of the Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmPoint {
    /// Time, seconds (a bin edge within 0.5% of the time asked).
    pub t_s: f64,
    /// Share of contacts still patient at `t_s`.
    pub survival: f64,
    /// 95% interval: Greenwood's, widened by the bounds of the order
    /// within a bin.
    pub low: f64,
    /// Its upper end.
    pub high: f64,
    /// exp(−t/θ) of the exponential fit, for comparison.
    pub exponential: f64,
    /// Contacts still waiting (not yet answered or abandoned) at `t_s`.
    pub at_risk: u64,
}

/// When the Kaplan–Meier curve falls to a level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmLevel {
    /// Share still patient.
    pub survival: f64,
    /// Time, seconds; `None` when the curve stays above the level while
    /// enough contacts wait.
    pub t_s: Option<f64>,
}

/// Whether exponential patience describes the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The likelihood-ratio test does not reject it at 1%.
    Fits,
    /// Rejected at 1%, but Kaplan–Meier stays within 0.03 of it.
    CloseEnough,
    /// Rejected, and Kaplan–Meier departs from it by more than 0.03.
    DoesNotFit,
}

/// Patience fitted from one queue's censored waits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatienceFit {
    /// Abandoned contacts with a wait (events).
    pub abandoned: u64,
    /// Answered contacts with a wait (censored).
    pub censored: u64,
    /// Their total wait, seconds.
    pub total_wait_s: f64,
    /// Exponential mean patience, seconds, with its 95% interval.
    pub mean_s: Ci,
    /// The Kaplan–Meier curve at [`KM_TIMES_S`].
    pub km: Vec<KmPoint>,
    /// Times at [`KM_LEVELS`].
    pub km_levels: Vec<KmLevel>,
    /// Largest |Kaplan–Meier − exp(−t/θ)| while [`MIN_AT_RISK`] wait.
    pub km_distance: f64,
    /// Where it is largest, seconds.
    pub km_distance_at_s: f64,
    /// Censored Weibull shape (1: exponential; below 1: abandonment is
    /// likeliest early).
    pub weibull_shape: f64,
    /// Its scale, seconds.
    pub weibull_scale_s: f64,
    /// Likelihood ratio statistic, Weibull against exponential.
    pub lr: f64,
    /// Its p-value (chi-square, one degree of freedom).
    pub p_value: f64,
    /// The verdict.
    pub verdict: Verdict,
}

/// The fit of queue `q`'s waits; `None` without an abandoned contact.
pub fn fit(q: &QueueRecords) -> Option<PatienceFit> {
    let (events, censored) = (&q.abandoned_waits, &q.answered_waits);
    let d = events.total();
    if d == 0 {
        return None;
    }
    let df = 2.0 * d as f64;
    let theta = q.wait_total_s / d as f64;
    let mean_s =
        Ci { value: theta, low: df * theta / chi2_quantile(0.975, df), high: df * theta / chi2_quantile(0.025, df) };
    let curve = kaplan_meier(events, censored);
    let exp = |t: f64| (-t / theta).exp();
    let km = KM_TIMES_S
        .iter()
        .filter_map(|&t| {
            let p = curve.iter().min_by(|a, b| (a.t_s - t).abs().total_cmp(&(b.t_s - t).abs()))?;
            (p.at_risk >= MIN_AT_RISK && (p.t_s / t - 1.0).abs() < 0.01)
                .then(|| KmPoint { exponential: exp(p.t_s), ..p.clone() })
        })
        .collect();
    let km_levels = KM_LEVELS
        .iter()
        .map(|&level| KmLevel {
            survival: level,
            t_s: curve.iter().find(|p| p.at_risk >= MIN_AT_RISK && p.survival <= level).map(|p| p.t_s),
        })
        .collect();
    let (mut km_distance, mut km_distance_at_s) = (0.0, 0.0);
    for p in curve.iter().filter(|p| p.at_risk >= MIN_AT_RISK) {
        let gap = (p.survival - exp(p.t_s)).abs();
        if gap > km_distance {
            (km_distance, km_distance_at_s) = (gap, p.t_s);
        }
    }
    let (weibull_shape, weibull_scale_s, lr) = weibull(q);
    let p_value = chi2_1_tail(lr);
    let verdict = if p_value >= 0.01 {
        Verdict::Fits
    } else if km_distance <= 0.03 {
        Verdict::CloseEnough
    } else {
        Verdict::DoesNotFit
    };
    Some(PatienceFit {
        abandoned: d,
        censored: censored.total(),
        total_wait_s: q.wait_total_s,
        mean_s,
        km,
        km_levels,
        km_distance,
        km_distance_at_s,
        weibull_shape,
        weibull_scale_s,
        lr,
        p_value,
        verdict,
    })
}

/// The Kaplan–Meier curve at every bin edge: after bin `s`, survival is
/// the product over bins up to `s` of (1 − events / at risk), with the
/// censorings of a bin counted half before its events (the actuarial
/// rule); `low` and `high` also take all of them before (after) the events,
/// the two orders between which the exact curve lies, and Greenwood's 95%
/// interval around each.
pub fn kaplan_meier(events: &LogBins, censored: &LogBins) -> Vec<KmPoint> {
    let mut at_risk = events.total() + censored.total();
    let (mut s, mut s_low, mut s_high, mut greenwood) = (1.0f64, 1.0f64, 1.0f64, 0.0f64);
    let mut curve = Vec::new();
    for slot in 0..events.slots() {
        let (d, c) = (events.count(slot), censored.count(slot));
        if d + c == 0 {
            continue;
        }
        let n = at_risk as f64;
        let (df, cf) = (d as f64, c as f64);
        if d > 0 {
            let mid = n - cf / 2.0;
            s *= 1.0 - df / mid;
            s_high *= 1.0 - df / n;
            s_low *= if n - cf > 0.0 { (1.0 - df / (n - cf)).max(0.0) } else { 0.0 };
            if mid > df {
                greenwood += df / (mid * (mid - df));
            }
        }
        at_risk -= d + c;
        let sd = s * greenwood.sqrt();
        curve.push(KmPoint {
            t_s: LogBins::upper(slot),
            survival: s,
            low: (s_low - Z95 * sd).max(0.0),
            high: (s_high + Z95 * sd).min(1.0),
            exponential: f64::NAN,
            at_risk,
        });
    }
    curve
}

/// The censored Weibull fit by profile likelihood over the shape k (the
/// scale is then (Σ tᵏ / d)^(1/k)), and the likelihood-ratio statistic
/// against k = 1. Σ tᵏ is taken at the bins' middles (within 0.5% of each
/// wait), the same way at k = 1, so the statistic compares like with like.
fn weibull(q: &QueueRecords) -> (f64, f64, f64) {
    let d = q.abandoned_waits.total() as f64;
    let occupied: Vec<(f64, f64)> = {
        let mut v: Vec<(f64, f64)> = Vec::new();
        for bins in [&q.abandoned_waits, &q.answered_waits] {
            v.extend(bins.occupied().map(|(s, c)| (LogBins::middle(s), c as f64)));
        }
        v
    };
    let sum_tk = |k: f64| occupied.iter().map(|&(t, c)| c * t.powf(k)).sum::<f64>();
    let profile = |k: f64| d * k.ln() - d * (sum_tk(k) / d).ln() + (k - 1.0) * q.abandoned_log_wait - d;
    // Golden-section search on ln k over [ln 0.05, ln 20].
    let (mut a, mut b) = (0.05f64.ln(), 20f64.ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut x1, mut x2) = (b - g * (b - a), a + g * (b - a));
    let (mut f1, mut f2) = (profile(x1.exp()), profile(x2.exp()));
    for _ in 0..80 {
        if f1 < f2 {
            a = x1;
            (x1, f1) = (x2, f2);
            x2 = a + g * (b - a);
            f2 = profile(x2.exp());
        } else {
            b = x2;
            (x2, f2) = (x1, f1);
            x1 = b - g * (b - a);
            f1 = profile(x1.exp());
        }
    }
    let k = ((a + b) / 2.0).exp();
    let best = profile(k).max(profile(1.0));
    let scale = (sum_tk(k) / d).powf(1.0 / k);
    (k, scale, (2.0 * (best - profile(1.0))).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::records::QueueRecords;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Exp, Weibull};

    /// Waits of a queue whose patience is drawn from `patience` and whose
    /// answer times from an exponential of mean 60 s: the wait is the
    /// smaller, abandoned when the patience is.
    fn queue(patience: impl Distribution<f64>, n: usize) -> QueueRecords {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let answer = Exp::new(1.0 / 60.0).unwrap();
        let mut q = QueueRecords::new("q", false);
        for _ in 0..n {
            let (p, a) = (patience.sample(&mut rng), answer.sample(&mut rng));
            if p < a {
                q.abandoned_waits.add(p);
                q.wait_total_s += p;
                q.abandoned_log_wait += p.max(LogBins::MIN_S).ln();
            } else {
                q.answered_waits.add(a);
                q.wait_total_s += a;
            }
        }
        q
    }

    #[test]
    fn exponential_patience_is_found_from_censored_waits() {
        let f = fit(&queue(Exp::new(1.0 / 120.0).unwrap(), 50_000)).unwrap();
        assert!(f.mean_s.low < 120.0 && 120.0 < f.mean_s.high, "{:?}", f.mean_s);
        assert_eq!(f.verdict, Verdict::Fits, "{f:?}");
        for p in &f.km {
            let truth = (-p.t_s / 120.0).exp();
            assert!(p.low <= truth && truth <= p.high, "{p:?} vs {truth}");
        }
        assert!(f.km_distance < 0.02, "{}", f.km_distance);
    }

    #[test]
    fn weibull_patience_is_told_apart() {
        // Shape 0.5: most who abandon do so early.
        let f = fit(&queue(Weibull::new(100.0, 0.5).unwrap(), 50_000)).unwrap();
        assert_eq!(f.verdict, Verdict::DoesNotFit, "{f:?}");
        assert!((f.weibull_shape - 0.5).abs() < 0.05, "{}", f.weibull_shape);
    }
}
