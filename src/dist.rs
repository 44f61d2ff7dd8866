//! Handle-time and patience distributions, parameterised the way planners
//! speak of them: by mean and coefficient of variation, in seconds.

use rand::Rng;
use rand_distr::{Distribution, Exp, Gamma, LogNormal};

use crate::diagnostic::shown;

/// A non-negative duration distribution, seconds. Built only through
/// [`Duration::exponential`] and friends, which check their parameters.
#[derive(Debug, Clone, Copy)]
pub struct Duration {
    kind: Kind,
    mean_s: f64,
    cv: f64,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Exponential(Exp<f64>),
    LogNormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
    Constant,
}

/// Parameters that describe no distribution.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvalidDuration {
    /// A parameter that is not a finite number above 0.
    #[error("{what} is {}; a finite number > 0 is allowed", shown(*value))]
    NotPositive { what: &'static str, value: f64 },
    /// A mean (or constant value) above [`MAX_MEAN_S`], seconds.
    #[error("{what} is {}; allowed: seconds, more than 0 and at most {MAX_MEAN_S:e}", shown(*value))]
    MeanTooLong { what: &'static str, value: f64 },
    /// A coefficient of variation outside [`MIN_CV`]..=[`MAX_CV`].
    #[error("cv is {}; allowed: from {MIN_CV} to {MAX_CV} (use the constant distribution for none)", shown(*value))]
    Cv { value: f64 },
    /// Parameters the sampler refuses (`rand_distr`'s reason).
    #[error("{0}")]
    Sampler(&'static str),
}

/// Longest mean (or constant value) of a duration, seconds: about 116
/// days. Beyond it a handle time or a patience says nothing a horizon of
/// at most ten years can use.
pub const MAX_MEAN_S: f64 = 1e7;
/// Least coefficient of variation of a lognormal or gamma (below it, use
/// `constant`): a gamma's shape 1 / cv² stays finite.
pub const MIN_CV: f64 = 0.001;
/// Largest coefficient of variation of a lognormal or gamma: beyond it the
/// shape parameters overflow and draws turn into NaN or infinity.
pub const MAX_CV: f64 = 10.0;

fn positive(what: &'static str, value: f64) -> Result<f64, InvalidDuration> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(InvalidDuration::NotPositive { what, value })
    }
}

/// A mean (or constant value), seconds: more than 0, at most [`MAX_MEAN_S`].
fn mean(what: &'static str, value: f64) -> Result<f64, InvalidDuration> {
    let value = positive(what, value)?;
    if value <= MAX_MEAN_S {
        Ok(value)
    } else {
        Err(InvalidDuration::MeanTooLong { what, value })
    }
}

/// A coefficient of variation, from [`MIN_CV`] to [`MAX_CV`].
fn cv(value: f64) -> Result<f64, InvalidDuration> {
    let value = positive("cv", value)?;
    if (MIN_CV..=MAX_CV).contains(&value) {
        Ok(value)
    } else {
        Err(InvalidDuration::Cv { value })
    }
}

impl Duration {
    /// Exponential with the given mean, seconds.
    pub fn exponential(mean_s: f64) -> Result<Self, InvalidDuration> {
        let mean_s = mean("mean_s", mean_s)?;
        let kind = Kind::Exponential(
            Exp::new(1.0 / mean_s)
                .map_err(|_| InvalidDuration::Sampler("an exponential's rate must be finite and above 0"))?,
        );
        Ok(Self { kind, mean_s, cv: 1.0 })
    }

    /// Lognormal with the given mean (seconds) and coefficient of variation.
    pub fn lognormal(mean_s: f64, cv: f64) -> Result<Self, InvalidDuration> {
        let mean_s = mean("mean_s", mean_s)?;
        let cv = self::cv(cv)?;
        let sigma2 = (1.0 + cv * cv).ln();
        let kind = Kind::LogNormal(
            LogNormal::new(mean_s.ln() - sigma2 / 2.0, sigma2.sqrt())
                .map_err(|_| InvalidDuration::Sampler("a lognormal's sigma must be finite and at least 0"))?,
        );
        Ok(Self { kind, mean_s, cv })
    }

    /// Gamma with the given mean (seconds) and coefficient of variation.
    pub fn gamma(mean_s: f64, cv: f64) -> Result<Self, InvalidDuration> {
        let mean_s = mean("mean_s", mean_s)?;
        let cv = self::cv(cv)?;
        let shape = 1.0 / (cv * cv);
        let kind = Kind::Gamma(
            Gamma::new(shape, mean_s / shape)
                .map_err(|_| InvalidDuration::Sampler("a gamma's shape and scale must be finite and above 0"))?,
        );
        Ok(Self { kind, mean_s, cv })
    }

    /// Always `value_s` seconds.
    pub fn constant(value_s: f64) -> Result<Self, InvalidDuration> {
        let mean_s = mean("value_s", value_s)?;
        Ok(Self { kind: Kind::Constant, mean_s, cv: 0.0 })
    }

    /// Mean, seconds.
    pub fn mean_s(&self) -> f64 {
        self.mean_s
    }

    /// Coefficient of variation (standard deviation / mean).
    pub fn cv(&self) -> f64 {
        self.cv
    }

    /// The same shape with every duration multiplied by `factor`, which
    /// must be finite and > 0, keeping the mean at most [`MAX_MEAN_S`].
    pub fn scaled(&self, factor: f64) -> Result<Self, InvalidDuration> {
        let mean_s = self.mean_s * factor;
        match self.kind {
            Kind::Exponential(_) => Self::exponential(mean_s),
            Kind::LogNormal(_) => Self::lognormal(mean_s, self.cv),
            Kind::Gamma(_) => Self::gamma(mean_s, self.cv),
            Kind::Constant => Self::constant(mean_s),
        }
    }

    /// One draw, seconds.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.kind {
            Kind::Exponential(d) => d.sample(rng),
            Kind::LogNormal(d) => d.sample(rng),
            Kind::Gamma(d) => d.sample(rng),
            Kind::Constant => self.mean_s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use statrs::distribution::{ContinuousCDF, Exp as SExp, Gamma as SGamma, LogNormal as SLogNormal};

    /// Kolmogorov–Smirnov distance between 20,000 draws and a CDF.
    fn ks_distance(d: &Duration, cdf: impl Fn(f64) -> f64) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 20_000;
        let mut xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        xs.iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = cdf(x);
                (f - i as f64 / n as f64).abs().max(((i + 1) as f64 / n as f64 - f).abs())
            })
            .fold(0.0, f64::max)
    }

    // Critical KS distance at α = 0.001 for n = 20,000: 1.95 / √n.
    const KS_CRITICAL: f64 = 1.95 / 141.42;

    #[test]
    fn exponential_passes_kolmogorov_smirnov() {
        let d = Duration::exponential(240.0).unwrap();
        let reference = SExp::new(1.0 / 240.0).unwrap();
        assert!(ks_distance(&d, |x| reference.cdf(x)) < KS_CRITICAL);
    }

    #[test]
    fn lognormal_by_mean_and_cv_passes_kolmogorov_smirnov() {
        let d = Duration::lognormal(240.0, 0.7).unwrap();
        let sigma2 = (1.0f64 + 0.49).ln();
        let reference = SLogNormal::new(240f64.ln() - sigma2 / 2.0, sigma2.sqrt()).unwrap();
        assert!(ks_distance(&d, |x| reference.cdf(x)) < KS_CRITICAL);
        assert!((d.cv() - 0.7).abs() < 1e-12);
    }

    #[test]
    fn gamma_by_mean_and_cv_passes_kolmogorov_smirnov() {
        let d = Duration::gamma(300.0, 0.5).unwrap();
        // statrs parameterises gamma by shape and rate.
        let reference = SGamma::new(4.0, 4.0 / 300.0).unwrap();
        assert!(ks_distance(&d, |x| reference.cdf(x)) < KS_CRITICAL);
    }

    #[test]
    fn a_wrong_distribution_fails_kolmogorov_smirnov() {
        // Guards the test itself: KS must be able to reject.
        let d = Duration::lognormal(240.0, 0.7).unwrap();
        let reference = SExp::new(1.0 / 240.0).unwrap();
        assert!(ks_distance(&d, |x| reference.cdf(x)) > KS_CRITICAL);
    }

    #[test]
    fn scaling_keeps_shape_and_scales_mean() {
        for d in [
            Duration::exponential(100.0).unwrap(),
            Duration::lognormal(100.0, 1.5).unwrap(),
            Duration::gamma(100.0, 0.5).unwrap(),
            Duration::constant(100.0).unwrap(),
        ] {
            let s = d.scaled(0.9).unwrap();
            assert!((s.mean_s() - 90.0).abs() < 1e-9);
            assert!((s.cv() - d.cv()).abs() < 1e-9);
        }
    }

    #[test]
    fn rejects_non_positive_and_nan_parameters() {
        assert!(Duration::exponential(0.0).is_err());
        assert!(Duration::lognormal(10.0, f64::NAN).is_err());
        assert!(Duration::gamma(-1.0, 1.0).is_err());
        assert!(Duration::constant(f64::INFINITY).is_err());
    }

    /// A gamma of cv 1e154 drew NaN (its shape 1 / cv² is 0), which reached
    /// the reports; its mean and cv now have ranges.
    #[test]
    fn means_and_cvs_outside_their_ranges_are_refused_and_the_corners_draw_finite_values() {
        assert_eq!(
            Duration::gamma(100.0, 1e154).unwrap_err().to_string(),
            "cv is 1e154; allowed: from 0.001 to 10 (use the constant distribution for none)"
        );
        assert_eq!(
            Duration::exponential(1e8).unwrap_err().to_string(),
            "mean_s is 100000000; allowed: seconds, more than 0 and at most 1e7"
        );
        assert!(Duration::lognormal(100.0, 1e-4).is_err());
        assert!(Duration::constant(1.1e7).is_err());
        assert!(Duration::gamma(1e7, 1.0).unwrap().scaled(2.0).is_err());
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for d in [
            Duration::gamma(MAX_MEAN_S, MAX_CV).unwrap(),
            Duration::gamma(1e-9, MIN_CV).unwrap(),
            Duration::lognormal(MAX_MEAN_S, MAX_CV).unwrap(),
            Duration::lognormal(1e-9, MIN_CV).unwrap(),
            Duration::exponential(MAX_MEAN_S).unwrap(),
        ] {
            for _ in 0..10_000 {
                let x = d.sample(&mut rng);
                assert!(x.is_finite() && x >= 0.0, "{d:?}: {x}");
            }
        }
    }
}
