//! The few special functions the fits need beyond statrs: trigamma, and
//! chi-square and normal quantiles fast at any degrees of freedom.

use statrs::distribution::{ChiSquared, ContinuousCDF};

/// z of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// ψ′(x), the trigamma function, for x > 0 (recurrence to x ≥ 10, then
/// the asymptotic series: error below 1e-12).
pub fn trigamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 10.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    acc + 1.0 / x + x2 / 2.0 + (1.0 / x) * x2 * (1.0 / 6.0 - x2 * (1.0 / 30.0 - x2 * (1.0 / 42.0 - x2 / 30.0)))
}

/// The `p`-quantile of the chi-square distribution with `df` degrees of
/// freedom: exact (statrs) up to 10,000, Wilson–Hilferty above (relative
/// error below 1e-5 there).
pub fn chi2_quantile(p: f64, df: f64) -> f64 {
    if df <= 10_000.0 {
        ChiSquared::new(df).expect("df > 0").inverse_cdf(p)
    } else {
        let z = normal_quantile(p);
        let a = 2.0 / (9.0 * df);
        df * (1.0 - a + z * a.sqrt()).powi(3)
    }
}

/// The `p`-quantile of the standard normal distribution.
pub fn normal_quantile(p: f64) -> f64 {
    -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p)
}

/// The chance a chi-square with one degree of freedom exceeds `x`.
pub fn chi2_1_tail(x: f64) -> f64 {
    statrs::function::erf::erfc((x.max(0.0) / 2.0).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigamma_matches_known_values() {
        assert!((trigamma(1.0) - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-10);
        assert!((trigamma(0.5) - std::f64::consts::PI.powi(2) / 2.0).abs() < 1e-10);
    }

    #[test]
    fn quantiles_agree_across_the_switch() {
        let exact = ChiSquared::new(10_001.0).unwrap().inverse_cdf(0.975);
        let approx = {
            let (z, a) = (normal_quantile(0.975), 2.0f64 / (9.0 * 10_001.0));
            10_001.0 * (1.0 - a + z * a.sqrt()).powi(3)
        };
        assert!((exact / approx - 1.0).abs() < 1e-5, "{exact} {approx}");
        assert!((normal_quantile(0.975) - Z95).abs() < 1e-9);
        assert!((chi2_1_tail(3.841_458_820_694_124) - 0.05).abs() < 1e-9);
    }
}
