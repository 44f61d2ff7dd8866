//! Handle time by maximum likelihood: exponential, lognormal and gamma fit
//! from the streaming moments (their sufficient statistics, so the fits
//! are exact however many records streamed by), chosen by AIC, each with
//! its Kolmogorov–Smirnov distance from the log-binned summary (an upper
//! bound, within `ks_accuracy` of the exact one). The chosen family's mean
//! and CV come with asymptotic 95% intervals (Fisher information and the
//! delta method); the sample's own mean and CV with distribution-free ones
//! (central limit theorem, delta method on the moments).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::{digamma, gamma_lr, ln_gamma};

use super::special::{chi2_quantile, trigamma, Z95};
use super::Ci;
use crate::history::bins::LogBins;
use crate::history::moments::Moments;

/// A family of distributions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Exponential (CV 1).
    Exponential,
    /// Lognormal.
    Lognormal,
    /// Gamma.
    Gamma,
}

impl Family {
    /// The scenario's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Family::Exponential => "exponential",
            Family::Lognormal => "lognormal",
            Family::Gamma => "gamma",
        }
    }
}

/// One family fitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyFit {
    /// The family.
    pub family: Family,
    /// Fitted mean, seconds.
    pub mean_s: f64,
    /// Fitted coefficient of variation.
    pub cv: f64,
    /// Maximised log-likelihood (density in seconds).
    pub log_likelihood: f64,
    /// Akaike's information criterion: 2 × parameters − 2 × log-likelihood.
    pub aic: f64,
    /// Kolmogorov–Smirnov distance from the data (upper bound).
    pub ks: f64,
    /// How far the exact distance may lie below `ks`.
    pub ks_accuracy: f64,
}

/// Handle times fitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandleFit {
    /// Handle times (> 0) fitted.
    pub n: u64,
    /// Their mean, seconds, with a distribution-free 95% interval.
    pub sample_mean_s: Ci,
    /// Their CV, with a distribution-free 95% interval.
    pub sample_cv: Ci,
    /// Median and 90th percentile, seconds (within 1%).
    pub p50_s: f64,
    /// 90th percentile, seconds.
    pub p90_s: f64,
    /// Every family, in the order exponential, lognormal, gamma.
    pub families: Vec<FamilyFit>,
    /// The family with the least AIC.
    pub chosen: Family,
    /// The chosen family's mean, seconds, with its 95% interval.
    pub mean_s: Ci,
    /// The chosen family's CV with its 95% interval (exponential: 1).
    pub cv: Ci,
}

/// The fit of `moments` (and `bins`, the same values binned), if at least
/// two values that are not all equal.
pub fn fit(moments: &Moments, bins: &LogBins) -> Option<HandleFit> {
    let n = moments.n();
    if n < 2 || moments.variance() <= 0.0 || moments.log_variance() <= 0.0 {
        return None;
    }
    let nf = n as f64;
    let (mean, lm, lv) = (moments.mean(), moments.log_mean(), moments.log_variance());
    let ks = |cdf: &dyn Fn(f64) -> f64| bins.ks_bounds(cdf);

    // Exponential: θ = mean.
    let exp_ll = -nf * mean.ln() - nf;
    let (lo, hi) = ks(&|x| 1.0 - (-x / mean).exp());
    let exponential = FamilyFit {
        family: Family::Exponential,
        mean_s: mean,
        cv: 1.0,
        log_likelihood: exp_ll,
        aic: 2.0 - 2.0 * exp_ll,
        ks: hi,
        ks_accuracy: hi - lo,
    };

    // Lognormal: μ, σ² the mean and variance of ln x.
    let sigma = lv.sqrt();
    let ln_ll = -nf * lm - nf / 2.0 * ((2.0 * std::f64::consts::PI * lv).ln() + 1.0);
    let normal = Normal::new(0.0, 1.0).expect("standard");
    let (lo, hi) = ks(&|x| if x <= 0.0 { 0.0 } else { normal.cdf((x.ln() - lm) / sigma) });
    let lognormal = FamilyFit {
        family: Family::Lognormal,
        mean_s: (lm + lv / 2.0).exp(),
        cv: (lv.exp() - 1.0).sqrt(),
        log_likelihood: ln_ll,
        aic: 4.0 - 2.0 * ln_ll,
        ks: hi,
        ks_accuracy: hi - lo,
    };

    // Gamma: shape k solves ln k − ψ(k) = ln(mean) − mean(ln x).
    let k = gamma_shape(mean.ln() - lm);
    let theta = mean / k;
    let g_ll = nf * ((k - 1.0) * lm - k - k * theta.ln() - ln_gamma(k));
    let (lo, hi) = ks(&|x| if x <= 0.0 { 0.0 } else { gamma_lr(k, x / theta) });
    let gamma = FamilyFit {
        family: Family::Gamma,
        mean_s: mean,
        cv: 1.0 / k.sqrt(),
        log_likelihood: g_ll,
        aic: 4.0 - 2.0 * g_ll,
        ks: hi,
        ks_accuracy: hi - lo,
    };

    let families = vec![exponential, lognormal, gamma];
    let chosen = families.iter().min_by(|a, b| a.aic.total_cmp(&b.aic)).expect("three").family;
    let (mean_s, cv) = match chosen {
        Family::Exponential => {
            let df = 2.0 * nf;
            let low = df * mean / chi2_quantile(0.975, df);
            let high = df * mean / chi2_quantile(0.025, df);
            (Ci { value: mean, low, high }, Ci { value: 1.0, low: 1.0, high: 1.0 })
        }
        Family::Lognormal => {
            // ln(mean) = μ + σ²/2: variance σ²/n + σ⁴/(2n).
            let sd = (lv / nf + lv * lv / (2.0 * nf)).sqrt();
            let m = families[1].mean_s;
            let mean_ci = Ci { value: m, low: m * (-Z95 * sd).exp(), high: m * (Z95 * sd).exp() };
            // σ̂² has variance 2σ⁴/n; CV = sqrt(exp(σ²) − 1) grows with it.
            let f = (Z95 * (2.0 / nf).sqrt()).exp();
            let cv_of = |v: f64| (v.exp() - 1.0).sqrt();
            (mean_ci, Ci { value: cv_of(lv), low: cv_of(lv / f), high: cv_of(lv * f) })
        }
        Family::Gamma => {
            // The mean is the sample mean (variance mean² / (n k)); k has
            // variance 1 / (n (ψ'(k) − 1/k)), orthogonal to the mean.
            let sd_mean = mean / (nf * k).sqrt();
            let sd_k = 1.0 / (nf * (trigamma(k) - 1.0 / k)).sqrt();
            let f = (Z95 * sd_k / k).exp();
            let mean_ci = Ci { value: mean, low: mean - Z95 * sd_mean, high: mean + Z95 * sd_mean };
            (mean_ci, Ci { value: 1.0 / k.sqrt(), low: 1.0 / (k * f).sqrt(), high: (f / k).sqrt() })
        }
    };
    let v = moments.variance();
    let sample_cv = moments.cv();
    let se_mean = (v / nf).sqrt();
    let var_cv = sample_cv * sample_cv / nf
        * (sample_cv * sample_cv + (moments.fourth() / (v * v) - 1.0) / 4.0 - moments.third() / (mean * v));
    let se_cv = var_cv.max(0.0).sqrt();
    Some(HandleFit {
        n,
        sample_mean_s: Ci { value: mean, low: mean - Z95 * se_mean, high: mean + Z95 * se_mean },
        sample_cv: Ci { value: sample_cv, low: sample_cv - Z95 * se_cv, high: sample_cv + Z95 * se_cv },
        p50_s: bins.quantile(0.5).unwrap_or(f64::NAN),
        p90_s: bins.quantile(0.9).unwrap_or(f64::NAN),
        families,
        chosen,
        mean_s,
        cv,
    })
}

/// The gamma shape whose ln k − ψ(k) is `s` (> 0), by Newton's method
/// from Minka's starting point.
fn gamma_shape(s: f64) -> f64 {
    let mut k = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    for _ in 0..50 {
        let f = k.ln() - digamma(k) - s;
        let step = f / (1.0 / k - trigamma(k));
        let next = (k - step).max(k / 10.0);
        if (next - k).abs() <= 1e-12 * k {
            return next;
        }
        k = next;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Gamma, LogNormal};

    fn sample(d: impl Distribution<f64>, n: usize) -> (Moments, LogBins) {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let (mut m, mut b) = (Moments::default(), LogBins::new());
        for _ in 0..n {
            let x = d.sample(&mut rng);
            m.add(x);
            b.add(x);
        }
        (m, b)
    }

    #[test]
    fn lognormal_data_choose_the_lognormal_and_its_intervals_hold_the_truth() {
        // Mean 300 s, CV 0.8.
        let s2 = (1.0f64 + 0.64).ln();
        let (m, b) = sample(LogNormal::new(300f64.ln() - s2 / 2.0, s2.sqrt()).unwrap(), 20_000);
        let f = fit(&m, &b).unwrap();
        assert_eq!(f.chosen, Family::Lognormal);
        assert!(f.mean_s.low < 300.0 && 300.0 < f.mean_s.high, "{:?}", f.mean_s);
        assert!(f.cv.low < 0.8 && 0.8 < f.cv.high, "{:?}", f.cv);
        assert!(f.families[1].ks < 0.015, "{:?}", f.families[1]);
        assert!(f.families[0].ks > 0.05, "exponential is far: {:?}", f.families[0]);
    }

    #[test]
    fn gamma_data_choose_the_gamma() {
        // Shape 4 (CV 0.5), mean 200 s.
        let (m, b) = sample(Gamma::new(4.0, 50.0).unwrap(), 20_000);
        let f = fit(&m, &b).unwrap();
        assert_eq!(f.chosen, Family::Gamma);
        assert!(f.mean_s.low < 200.0 && 200.0 < f.mean_s.high, "{:?}", f.mean_s);
        assert!(f.cv.low < 0.5 && 0.5 < f.cv.high, "{:?}", f.cv);
    }

    #[test]
    fn the_gamma_shape_solves_its_equation() {
        for k in [0.3, 1.0, 4.0, 50.0] {
            let s = f64::ln(k) - digamma(k);
            assert!((gamma_shape(s) / k - 1.0).abs() < 1e-9, "{k}");
        }
    }
}
