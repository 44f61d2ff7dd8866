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
use rand_distr::{Distribution, Gamma};

use crate::model::{Model, Queue, RateSegment};
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
    let rho = model.correlation;
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

/// `n` factors of mean 1 and coefficient of variation `cv` (gamma); all 1
/// without drawing when `cv` is 0.
fn draws(rng: &mut ChaCha8Rng, cv: f64, n: usize) -> Vec<f64> {
    if cv <= 0.0 {
        return vec![1.0; n];
    }
    let gamma = Gamma::new(1.0 / (cv * cv), cv * cv).expect("a CV in range gives a valid gamma");
    (0..n).map(|_| gamma.sample(rng)).collect()
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
