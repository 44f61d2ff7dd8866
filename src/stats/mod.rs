//! Statistics across replications: a KPI's summary (mean, Student-t
//! interval, percentiles), paired differences, Wilson intervals of a
//! share and Welch's test, and the mergeable tallies that fold
//! replications in as they finish ([`tally`]). One replication's counters
//! are [`crate::counters`].

pub mod tally;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The 95% Wilson score interval of a share: `met` of `n` replications
/// (`[0, 1]` when `n` is 0). Unlike the normal approximation it stays
/// inside [0, 1] and is not empty at a share of 0 or 1.
pub fn wilson(met: u64, n: u64) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    const Z: f64 = 1.959_963_984_540_054;
    let (all, none) = (met == n, met == 0);
    let (n, p) = (n as f64, met as f64 / n as f64);
    let z2 = Z * Z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At a share of 0 or 1 the bound on that side is exactly it.
    let lo = if none { 0.0 } else { (centre - half).max(0.0) };
    let hi = if all { 1.0 } else { (centre + half).min(1.0) };
    [lo, hi]
}

/// One KPI across replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Summary {
    /// Mean over the replications where the KPI is defined.
    pub mean: f64,
    /// 95% confidence interval of the mean (Student t); absent with fewer
    /// than two replications.
    pub ci95: Option<[f64; 2]>,
    /// 10th percentile across replications.
    pub p10: f64,
    /// 90th percentile across replications.
    pub p90: f64,
}

impl Summary {
    /// The same summary with every figure passed through `f` (a change of
    /// unit).
    pub fn map(self, f: impl Fn(f64) -> f64) -> Summary {
        Summary { mean: f(self.mean), ci95: self.ci95.map(|[a, b]| [f(a), f(b)]), p10: f(self.p10), p90: f(self.p90) }
    }
}

/// A figure of two scenarios compared replication by replication (common
/// random numbers): the means of A and B over the replications where both
/// are defined, and the mean paired difference B − A with its 95%
/// confidence interval (Student t on the n differences).
/// JSON: `{a, b, difference, ci95, significant}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// Mean of A.
    pub a: f64,
    /// Mean of B.
    pub b: f64,
    /// Mean of B − A (equal to `b − a` up to rounding).
    pub mean: f64,
    /// 95% confidence interval of the mean difference; absent with fewer
    /// than two pairs.
    pub ci95: Option<[f64; 2]>,
    /// Pairs (replications) behind it.
    pub n: u64,
}

impl Serialize for Difference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Difference", 5)?;
        s.serialize_field("a", &self.a)?;
        s.serialize_field("b", &self.b)?;
        s.serialize_field("difference", &self.mean)?;
        s.serialize_field("ci95", &self.ci95)?;
        s.serialize_field("significant", &self.significant())?;
        s.end()
    }
}

impl Difference {
    /// A difference known exactly (the same in every replication, such as
    /// the roster's cost): an interval of no width.
    pub fn exact(a: f64, b: f64, n: u64) -> Difference {
        let mean = b - a;
        Difference { a, b, mean, ci95: (n >= 2).then_some([mean, mean]), n }
    }

    /// Whether the difference is significant at 95%: its interval excludes
    /// zero.
    pub fn significant(&self) -> bool {
        self.ci95.is_some_and(|[lo, hi]| lo > 0.0 || hi < 0.0)
    }

    /// The same difference with every figure passed through `f` (a linear
    /// change of unit).
    pub fn map(self, f: impl Fn(f64) -> f64) -> Difference {
        Difference {
            a: f(self.a),
            b: f(self.b),
            mean: f(self.mean),
            ci95: self.ci95.map(|[l, h]| [f(l), f(h)]),
            ..self
        }
    }
}

/// Summarises samples of a KPI whose values lie in `range`: the bounds of
/// the confidence interval are clamped to it (a service level's interval
/// never passes 100%, an ASA's never goes below 0 s). `None` when there
/// are no samples.
pub fn summarize_in(samples: &mut [f64], range: (f64, f64)) -> Option<Summary> {
    let mut s = summarize(samples)?;
    s.ci95 = s.ci95.map(|[lo, hi]| [lo.clamp(range.0, range.1), hi.clamp(range.0, range.1)]);
    Some(s)
}

/// Summarises samples; `None` when there are none.
pub fn summarize(samples: &mut [f64]) -> Option<Summary> {
    let n = samples.len();
    if n == 0 {
        return None;
    }
    let mean = samples.iter().sum::<f64>() / n as f64;
    let ci95 = (n >= 2).then(|| {
        let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half = student_t_975(n - 1) * (var / n as f64).sqrt();
        [mean - half, mean + half]
    });
    samples.sort_by(f64::total_cmp);
    Some(Summary { mean, ci95, p10: percentile(samples, 0.10), p90: percentile(samples, 0.90) })
}

/// The 97.5% quantile of the standard normal.
const Z_975: f64 = 1.959_963_984_540_054;

/// From this many degrees of freedom on, Student's t is read from its
/// expansion around the normal, not from statrs (whose inverse runs for
/// ever at 10⁸ degrees of freedom and drifts from 10⁵ on).
const LARGE_DF: f64 = 1000.0;

/// The 97.5% quantile of Student's t with `df` (≥ 1) degrees of freedom.
///
/// From `LARGE_DF` on, the Cornish–Fisher expansion to the fourth order
/// (Abramowitz & Stegun 26.7.5), in constant time: its next term is below
/// 1e-15 there (it agrees with statrs within 1e-11 where statrs itself is
/// accurate, to 10⁴). Below, statrs's inverse CDF.
pub fn student_t_975(df: usize) -> f64 {
    let nu = df.max(1) as f64;
    if nu < LARGE_DF {
        // A run's summaries ask for a few degrees of freedom again and
        // again (hundreds of thousands of cells at scale, each with the
        // count of replications where its KPI is defined), and the inverse
        // CDF is a root search: each answer below `LARGE_DF` is kept per
        // thread, computed the first time it is asked for.
        thread_local! {
            static KEPT: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let d = df.max(1);
        return KEPT.with_borrow_mut(|kept| {
            if kept.is_empty() {
                kept.resize(LARGE_DF as usize, f64::NAN);
            }
            if kept[d].is_nan() {
                kept[d] = StudentsT::new(0.0, 1.0, nu).expect("df ≥ 1").inverse_cdf(0.975);
            }
            kept[d]
        });
    }
    let z = Z_975;
    let p = |k: i32| z.powi(k);
    let g1 = (p(3) + z) / 4.0;
    let g2 = (5.0 * p(5) + 16.0 * p(3) + 3.0 * z) / 96.0;
    let g3 = (3.0 * p(7) + 19.0 * p(5) + 17.0 * p(3) - 15.0 * z) / 384.0;
    let g4 = (79.0 * p(9) + 776.0 * p(7) + 1482.0 * p(5) - 1920.0 * p(3) - 945.0 * z) / 92160.0;
    z + g1 / nu + g2 / nu.powi(2) + g3 / nu.powi(3) + g4 / nu.powi(4)
}

/// Student's t CDF at `t` with `df` (> 0) degrees of freedom.
///
/// From 10⁵ degrees of freedom on (where statrs drifts, and at 10¹⁵ gives
/// 0.93 for t = 2), the normal with its first correction,
/// Φ(t) − φ(t) (t³ + t) / (4 df): within 1e-9 there.
fn student_t_cdf(t: f64, df: f64) -> f64 {
    if df < 1e5 {
        return StudentsT::new(0.0, 1.0, df).expect("df > 0").cdf(t);
    }
    let normal = statrs::distribution::Normal::new(0.0, 1.0).expect("a standard normal");
    let density = (-0.5 * t * t).exp() / (2.0 * std::f64::consts::PI).sqrt();
    (normal.cdf(t) - density * (t * t * t + t) / (4.0 * df)).clamp(0.0, 1.0)
}

/// A mean estimated from `n` samples with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The mean.
    pub mean: f64,
    /// Its standard error.
    pub se: f64,
    /// Samples (replications) behind it.
    pub n: u32,
}

impl Estimate {
    /// The estimate a report's summary of `n` replications gives: the
    /// standard error is the 95% interval's larger half over Student's t
    /// quantile (clamping to the KPI's range only ever shrinks one half).
    /// `None` without an interval (fewer than two replications).
    pub fn from_summary(s: &Summary, n: u32) -> Option<Estimate> {
        let [lo, hi] = s.ci95?;
        (n >= 2).then(|| Estimate {
            mean: s.mean,
            se: (s.mean - lo).max(hi - s.mean) / student_t_975(n as usize - 1),
            n,
        })
    }
}

/// The two-sided p-value of Welch's t test that `a` and `b` have the same
/// mean (unequal variances, Welch–Satterthwaite degrees of freedom). With
/// no spread on either side, 0 when the means differ and 1 when not.
///
/// Any finite or infinite standard errors answer: an infinite one (a
/// baseline's interval of ±1e300 squared) leaves nothing significant (1),
/// and the degrees of freedom are formed from the variances' shares, so a
/// variance whose square underflows cannot make them 0 / 0 (it panicked).
pub fn welch_p_value(a: Estimate, b: Estimate) -> f64 {
    let (va, vb) = (a.se * a.se, b.se * b.se);
    let diff = (b.mean - a.mean).abs();
    if diff.is_nan() || va.is_nan() || vb.is_nan() {
        return 1.0;
    }
    if va + vb == 0.0 {
        return if diff == 0.0 { 1.0 } else { 0.0 };
    }
    if !(va + vb).is_finite() {
        return 1.0;
    }
    let (ra, rb) = (va / (va + vb), vb / (va + vb));
    let df = 1.0 / (ra * ra / (a.n.max(2) - 1) as f64 + rb * rb / (b.n.max(2) - 1) as f64);
    let t = diff / (va + vb).sqrt();
    (2.0 * (1.0 - student_t_cdf(t, df))).clamp(0.0, 1.0)
}

/// Percentile of sorted samples by linear interpolation between order
/// statistics (the "type 7" rule of R and NumPy).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn welch_matches_a_textbook_case_and_needs_spread_to_doubt() {
        // Two samples of 10 with means 20 and 22, standard deviations 2 and 3:
        // t = 2 / sqrt(0.4 + 0.9) = 1.754, df = 15.7, p = 0.099 (two-sided).
        let a = Estimate { mean: 20.0, se: (4.0f64 / 10.0).sqrt(), n: 10 };
        let b = Estimate { mean: 22.0, se: (9.0f64 / 10.0).sqrt(), n: 10 };
        assert!((welch_p_value(a, b) - 0.099).abs() < 0.002, "{}", welch_p_value(a, b));
        let fixed = Estimate { se: 0.0, ..a };
        assert_eq!(welch_p_value(fixed, Estimate { mean: 20.5, ..fixed }), 0.0);
        assert_eq!(welch_p_value(fixed, fixed), 1.0);
    }

    #[test]
    fn the_t_quantile_kept_per_thread_is_the_one_for_its_df() {
        let exact = |df: f64| StudentsT::new(0.0, 1.0, df).unwrap().inverse_cdf(0.975);
        for df in [29, 29, 4, 29, 0, 1, 4, 4, 999, 998, 999] {
            assert_eq!(student_t_975(df), exact(df.max(1) as f64), "df {df}");
        }
    }

    /// `"replications": 100000000` in a baseline (or a tally `n` of 1e8 in a
    /// partial) never finished: statrs's inverse at 10⁸ degrees of freedom.
    /// The expansion answers at once, within 1e-11 of statrs where statrs
    /// is accurate, and tends to the normal's quantile.
    #[test]
    fn the_t_quantile_of_a_hundred_million_replications_is_cheap_and_accurate() {
        for df in [1000usize, 1500, 3000, 10_000] {
            let exact = StudentsT::new(0.0, 1.0, df as f64).unwrap().inverse_cdf(0.975);
            assert!((student_t_975(df) - exact).abs() < 1e-11, "df {df}: {} vs {exact}", student_t_975(df));
        }
        for df in [100_000_000usize, usize::MAX] {
            let q = student_t_975(df);
            assert!(q >= Z_975 && q - Z_975 < 1e-7, "df {df}: {q}");
        }
        assert_eq!(student_t_975(0), student_t_975(1));
    }

    /// A baseline's interval of ±1e300 made Welch's degrees of freedom
    /// NaN and panicked `check`; tiny or huge standard errors answer.
    #[test]
    fn welch_answers_for_any_standard_errors() {
        let e = |mean: f64, se: f64, n: u32| Estimate { mean, se, n };
        assert_eq!(welch_p_value(e(1.0, 1e300 / 1.96, 10), e(2.0, 0.1, 10)), 1.0);
        let tiny = welch_p_value(e(1.0, 1e-160, 10), e(1.0 + 1e-150, 1e-160, 10));
        assert!((0.0..=1.0).contains(&tiny), "{tiny}");
        let big_n = welch_p_value(e(1.0, 0.01, u32::MAX), e(1.02, 0.01, u32::MAX));
        let normal = 2.0 * (1.0 - statrs::distribution::Normal::new(0.0, 1.0).unwrap().cdf(0.02 / 2e-4f64.sqrt()));
        assert!((big_n - normal).abs() < 1e-6, "{big_n} vs {normal}");
        assert_eq!(welch_p_value(e(f64::NAN, 1.0, 10), e(1.0, 1.0, 10)), 1.0);
        // Across the switch to the expansion the CDF is continuous.
        for t in [0.1, 1.0, 2.0, 5.0] {
            let below = StudentsT::new(0.0, 1.0, 99_999.0).unwrap().cdf(t);
            assert!((student_t_cdf(t, 100_000.0) - below).abs() < 1e-9, "t {t}");
        }
    }

    #[test]
    fn an_estimate_recovers_the_standard_error_from_a_clamped_interval() {
        let se = 0.01;
        let half = student_t_975(99) * se;
        let s = Summary { mean: 0.995, ci95: Some([0.995 - half, 1.0]), p10: 0.98, p90: 1.0 };
        let e = Estimate::from_summary(&s, 100).unwrap();
        assert!((e.se - se).abs() < 1e-12);
        assert!(Estimate::from_summary(&Summary { ci95: None, ..s }, 1).is_none());
    }

    #[test]
    fn summary_matches_hand_computed_values() {
        let s = summarize(&mut [4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(s.mean, 2.5);
        // sd = 1.2910, t(3) = 3.1824, half = 3.1824 * 1.2910 / 2 = 2.0543
        let [lo, hi] = s.ci95.unwrap();
        assert!((hi - 2.5 - 2.0543).abs() < 1e-3 && (2.5 - lo - 2.0543).abs() < 1e-3);
        assert!((s.p10 - 1.3).abs() < 1e-12);
        assert!((s.p90 - 3.7).abs() < 1e-12);
        assert_eq!(summarize(&mut [5.0]).unwrap().ci95, None);
        assert_eq!(summarize(&mut []), None);
    }

    #[test]
    fn wilson_matches_published_values_and_stays_in_range() {
        // 8 of 10: Wilson gives [0.4902, 0.9433] (Newcombe 1998, z = 1.96).
        let [lo, hi] = wilson(8, 10);
        assert!((lo - 0.4902).abs() < 1e-4 && (hi - 0.9433).abs() < 1e-4, "{lo} {hi}");
        let [lo, hi] = wilson(100, 100);
        assert!(hi == 1.0 && (lo - 0.9630).abs() < 1e-4, "{lo}");
        assert_eq!(wilson(0, 100)[0], 0.0);
        assert_eq!(wilson(0, 0), [0.0, 1.0]);
    }

    #[test]
    fn confidence_bounds_are_clamped_to_the_kpi_range() {
        let s = summarize_in(&mut [1.0, 1.0, 1.0, 0.7], (0.0, 1.0)).unwrap();
        assert_eq!(s.ci95.unwrap()[1], 1.0);
        assert!(s.ci95.unwrap()[0] < s.mean);
        let s = summarize_in(&mut [0.0, 0.0, 0.0, 9.0], (0.0, f64::INFINITY)).unwrap();
        assert_eq!(s.ci95.unwrap()[0], 0.0);
    }
}
