//! Forecast error as one replication lives it: each queue's busyness
//! factor per reported day (with a share common to every queue), its
//! factor per interval on top, and its handle-time factor per day, all
//! with mean 1, drawn once per replication and laid on the queue's rate
//! segments.
//!
//! The daily volume factor of queue q is `a_q · Z + (1 − a_q) · Y_q`, with
//! Z (shared by every queue) and Y_q (the queue's own) independent gammas
//! of mean 1, CV `c0 = cv_max / √ρ` and `c_q = cv_q √(1 − ρ) / (1 − a_q)`,
//! and `a_q = ρ · cv_q / cv_max` (`cv_max` the largest `volume_cv`, ρ the
//! correlation). Then the factor has mean 1, variance
//! `a_q² c0² + (1 − a_q)² c_q² = ρ cv_q² + (1 − ρ) cv_q² = cv_q²`, and two
//! queues' factors have covariance `a_q a_r c0² = ρ cv_q cv_r`: correlation
//! ρ exactly. Where every queue has the same CV the two parts are gammas
//! of one scale, so the factor is itself a gamma.

use std::sync::Arc;

use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, StandardNormal};

use crate::model::{Model, Queue, RateSegment, MIN_CORRELATION, MIN_FACTOR_CV};
use crate::streams::{stream, Source};

/// One queue's rates in one replication: its segments split at every
/// reported interval and multiplied by the factors, with the handle-time
/// factor of each segment's day.
#[derive(Debug)]
pub(super) struct Perturbed {
    /// The rate, piecewise constant, factors applied.
    pub(super) segments: Vec<RateSegment>,
    /// Per segment, the factor on the handle time of contacts arriving in it.
    pub(super) aht: Vec<f64>,
}

/// Each queue's rates with its forecast error laid on them in replication
/// `replication`; `None` for a queue without forecast error (its rates are the model's).
pub(super) fn perturbed(model: &Model, replication: u32) -> Vec<Option<Arc<Perturbed>>> {
    let varies = |q: &Queue| q.variation.any();
    if !model.queues.iter().any(varies) {
        return vec![None; model.queues.len()];
    }
    let days = model.days.len();
    let cv_max = model.queues.iter().map(|q| q.variation.volume_cv).fold(0.0, f64::max);
    // Validation refuses a correlation between 0 and the least one; one
    // set in code is none (its shared factor's CV would overflow).
    let rho = if model.correlation >= MIN_CORRELATION { model.correlation.min(1.0) } else { 0.0 };
    let shared = match rho > 0.0 && cv_max > 0.0 {
        true => draws(&mut stream(model.seed, replication, 0, Source::SharedVolume), cv_max / rho.sqrt(), days),
        false => vec![1.0; days],
    };
    let rng = |q: usize, source: Source| stream(model.seed, replication, q, source);
    model
        .queues
        .iter()
        .enumerate()
        .map(|(q, queue)| {
            let v = queue.variation;
            if !v.any() {
                return None;
            }
            let a = if cv_max > 0.0 { rho * v.volume_cv / cv_max } else { 0.0 };
            let own_cv = if a < 1.0 { v.volume_cv * (1.0 - rho).sqrt() / (1.0 - a) } else { 0.0 };
            let own = draws(&mut rng(q, Source::Volume), own_cv, days);
            let daily: Vec<f64> = own.iter().zip(&shared).map(|(y, z)| a * z + (1.0 - a) * y).collect();
            let intraday = draws(&mut rng(q, Source::Intraday), v.intraday_cv, model.n_intervals);
            let aht = draws(&mut rng(q, Source::Aht), v.aht_cv, days);
            Some(Arc::new(lay(model, queue, &daily, &intraday, &aht)))
        })
        .collect()
}

/// Largest CV drawn (see [`draws`]).
const MAX_DRAWN_CV: f64 = 1e9;

/// `n` factors of mean 1 and coefficient of variation `cv` (gamma); all 1
/// without drawing when `cv` is 0 (or not a number).
///
/// Validation allows 0 or [`MIN_FACTOR_CV`] and more, where the gamma's
/// shape 1 / cv² is at most 10⁶ and its draws exact. A smaller CV set in
/// code (whose shape would run to infinity: 1e-160 hung, 1e-200 panicked)
/// draws from the normal the gamma tends to, 1 + cv · Z, within 2 · cv of
/// its skewness. A CV past [`MAX_DRAWN_CV`], whose gamma draws overflow
/// (NaN at 1e154), gives no variation rather than a panic or NaN; nothing
/// validated comes near it (the largest, a queue's own part under a
/// correlation just below 1, is the CV / √(1 − correlation) < 2e8).
fn draws(rng: &mut ChaCha8Rng, cv: f64, n: usize) -> Vec<f64> {
    if !(cv > 0.0 && cv <= MAX_DRAWN_CV) {
        return vec![1.0; n];
    }
    if cv < MIN_FACTOR_CV {
        return (0..n)
            .map(|_| {
                let z: f64 = StandardNormal.sample(rng);
                (1.0 + cv * z).max(0.0)
            })
            .collect();
    }
    match Gamma::new(1.0 / (cv * cv), cv * cv) {
        Ok(gamma) => (0..n).map(|_| gamma.sample(rng)).collect(),
        Err(_) => vec![1.0; n],
    }
}

/// `queue`'s segments split at each reported interval's bounds, the
/// interval's factor (its day's times its own) on the rate and its day's
/// handle-time factor beside; the warm-up keeps the rates as written.
fn lay(model: &Model, queue: &Queue, daily: &[f64], intraday: &[f64], aht: &[f64]) -> Perturbed {
    let end = model.report_end_s();
    let mut plan = Perturbed { segments: Vec::new(), aht: Vec::new() };
    for seg in &queue.arrivals {
        let mut t = seg.start_s;
        while t < seg.end_s {
            let (until, rate, handle) = if t < 0.0 || t >= end {
                (if t < 0.0 { seg.end_s.min(0.0) } else { seg.end_s }, 1.0, 1.0)
            } else {
                let i = ((t / model.interval_s).floor() as usize).min(model.n_intervals - 1);
                let d = model.interval_day[i] as usize;
                let bound = (i + 1) as f64 * model.interval_s;
                (seg.end_s.min(bound), daily[d] * intraday[i], aht[d])
            };
            plan.segments.push(RateSegment { start_s: t, end_s: until, rate_per_s: seg.rate_per_s * rate });
            plan.aht.push(handle);
            t = until;
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// A CV of 1e-200 panicked (its square is 0), 1e-160 hung (a shape of
    /// infinity), and an `aht_cv` of 1e-160 made handle times 1e33 s; every
    /// CV now draws finite factors, with mean 1 wherever it varies.
    #[test]
    fn vanishing_and_huge_cvs_draw_finite_factors_of_mean_one() {
        for cv in
            [1e-300, 1e-200, 1e-160, 1e-9, 1e-4, MIN_FACTOR_CV, 0.5, 2.0, 2e8, 1e9, 2e9, 1e154, 1e200, f64::NAN, -1.0]
        {
            let mut rng = ChaCha8Rng::seed_from_u64(7);
            let x = draws(&mut rng, cv, 4000);
            assert!(x.iter().all(|v| v.is_finite() && *v >= 0.0), "cv {cv}: {:?}", &x[..4]);
            let mean = x.iter().sum::<f64>() / x.len() as f64;
            if cv <= 2.0 {
                // Standard error of the mean: cv / √4000; five of them.
                let tolerance = 5.0 * cv.max(1e-12) / (x.len() as f64).sqrt() + 1e-12;
                assert!((mean - 1.0).abs() <= tolerance, "cv {cv}: mean {mean}");
            }
        }
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let tiny = draws(&mut rng, 1e-160, 10);
        assert!(tiny.iter().all(|&v| v == 1.0), "{tiny:?}");
    }

    /// A correlation of 1e-308 with a `volume_cv` of 2 made the shared
    /// factor's CV 2e154 and panicked; below the least correlation it is
    /// none.
    #[test]
    fn a_vanishing_correlation_set_in_code_is_none() {
        let text = "[scenario]\nname = \"s\"\nstart = \"2026-11-23\"\ndays = 2\ninterval_minutes = 60\ntimezone = \"UTC\"\n\
            [uncertainty]\nvolume_cv = 2.0\n\
            [[queue]]\nname = \"a\"\nhandle_time = { distribution = \"exponential\", mean_s = 180 }\narrivals = { rate_per_hour = 20 }\n\
            [[queue]]\nname = \"b\"\nhandle_time = { distribution = \"exponential\", mean_s = 180 }\narrivals = { rate_per_hour = 20 }\n\
            [[team]]\nname = \"T\"\nskills = [\"a\", \"b\"]\nagents = 2\n";
        let mut model = crate::input::compile(text, "s.toml").unwrap().model;
        let none = perturbed(&model, 3);
        for rho in [1e-308, 1e-30, MIN_CORRELATION / 2.0] {
            model.correlation = rho;
            let p = perturbed(&model, 3);
            for (a, b) in p.iter().zip(&none) {
                let (a, b) = (a.as_ref().unwrap(), b.as_ref().unwrap());
                assert_eq!(a.segments, b.segments, "correlation {rho}");
            }
        }
        model.correlation = 1.0;
        let p = perturbed(&model, 3);
        assert!(p.iter().flatten().all(|p| p.segments.iter().all(|s| s.rate_per_s.is_finite())));
    }
}
