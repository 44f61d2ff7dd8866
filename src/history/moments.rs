//! Streaming moments of positive durations: the sufficient statistics of
//! the exponential, lognormal and gamma fits (n, the mean, the mean and
//! variance of the logarithm) and the central moments up to the fourth
//! (for the sample CV and its interval), updated one value at a time in a
//! fixed 64 bytes (Welford, and Pébay's higher-moment updates).

/// Running moments of positive values, seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
    m3: f64,
    m4: f64,
    log_mean: f64,
    log_m2: f64,
}

impl Moments {
    /// Adds one value (> 0 and finite: the caller checks).
    #[inline]
    pub fn add(&mut self, x: f64) {
        let n1 = self.n as f64;
        self.n += 1;
        let n = self.n as f64;
        let delta = x - self.mean;
        let dn = delta / n;
        let dn2 = dn * dn;
        let term1 = delta * dn * n1;
        self.mean += dn;
        self.m4 += term1 * dn2 * (n * n - 3.0 * n + 3.0) + 6.0 * dn2 * self.m2 - 4.0 * dn * self.m3;
        self.m3 += term1 * dn * (n - 2.0) - 3.0 * dn * self.m2;
        self.m2 += term1;
        let l = x.ln();
        let d = l - self.log_mean;
        self.log_mean += d / n;
        self.log_m2 += d * (l - self.log_mean);
    }

    /// `sum` over the values added (0 when none).
    fn per_value(&self, sum: f64) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            sum / self.n as f64
        }
    }

    /// Values added.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Their mean, seconds.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Their variance (divided by n), seconds².
    pub fn variance(&self) -> f64 {
        self.per_value(self.m2)
    }

    /// Third central moment (divided by n), seconds³.
    pub fn third(&self) -> f64 {
        self.per_value(self.m3)
    }

    /// Fourth central moment (divided by n), seconds⁴.
    pub fn fourth(&self) -> f64 {
        self.per_value(self.m4)
    }

    /// Mean of ln(value), ln seconds.
    pub fn log_mean(&self) -> f64 {
        self.log_mean
    }

    /// Variance of ln(value) (divided by n).
    pub fn log_variance(&self) -> f64 {
        self.per_value(self.log_m2)
    }

    /// Sample coefficient of variation (standard deviation / mean).
    pub fn cv(&self) -> f64 {
        self.variance().sqrt() / self.mean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_match_the_two_pass_figures() {
        let xs: Vec<f64> = (1..=200).map(|i| (i as f64 * 0.37).exp().sqrt() + 1.0).collect();
        let mut m = Moments::default();
        xs.iter().for_each(|&x| m.add(x));
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let central = |k: i32| xs.iter().map(|x| (x - mean).powi(k)).sum::<f64>() / n;
        let lm = xs.iter().map(|x| x.ln()).sum::<f64>() / n;
        let lv = xs.iter().map(|x| (x.ln() - lm).powi(2)).sum::<f64>() / n;
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        assert!(close(m.mean(), mean));
        assert!(close(m.variance(), central(2)));
        assert!(close(m.third(), central(3)), "{} {}", m.third(), central(3));
        assert!(close(m.fourth(), central(4)), "{} {}", m.fourth(), central(4));
        assert!(close(m.log_mean(), lm) && close(m.log_variance(), lv));
    }
}
