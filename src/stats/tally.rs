//! Mergeable summaries of one figure across replications: replications are
//! folded in as they finish, and partial summaries (shards of a run) merge
//! into exactly the summary one run over all replications gives.
//!
//! Exactness across any grouping comes from integer arithmetic: each value
//! is rounded once to a fixed-point grid (see [`Scale`]) and its sum and
//! sum of squares are kept as `i128`, so addition is associative and the
//! mean and confidence interval do not depend on the order, the thread
//! count, the chunking or the sharding. Percentiles come from a sketch of
//! logarithmic bins ([`Sketch`]) whose counts also merge exactly.

use serde::{Deserialize, Serialize};

use crate::stats::{student_t_975, Difference, Summary};

/// The fixed-point grid a figure's values are rounded to before summing:
/// values are multiplied by `2^bits`. Chosen per unit so that no sum can
/// overflow `i128` within the scenario limits (a share to 2^-40, seconds to
/// 2^-16, counts to 2^-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale(pub u32);

impl Scale {
    /// `2^bits`, built from its exponent (a call of `exp2` per value was
    /// a few per cent of a run summarising every interval at scale).
    fn factor(self) -> f64 {
        debug_assert!(self.0 <= 1023);
        f64::from_bits((1023 + self.0 as u64) << 52)
    }

    fn quantize(self, v: f64) -> i128 {
        let x = (v * self.factor()).round();
        // The same integer either way; converting through i64 where it
        // fits is cheaper than the library's conversion to i128.
        if x.abs() < 9.0e18 {
            x as i64 as i128
        } else {
            x as i128
        }
    }
}

/// Relative width of a sketch bin: values in one bin differ by at most 1%,
/// so a percentile read from the sketch is within 1% of the exact one (and
/// exact where all values in its bin are equal, such as a share of 100%).
pub const SKETCH_GAMMA: f64 = 1.01;

/// Logarithmic bins (γ = [`SKETCH_GAMMA`]) of the non-negative values seen,
/// each with its count and the least and greatest value in it; values below
/// 1e-9 share one bin. Merging adds counts and keeps extremes, which is
/// associative.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    /// (bin, count, least, greatest), by bin.
    bins: Vec<(i32, u64, f64, f64)>,
}

impl Sketch {
    fn bin(v: f64) -> i32 {
        if v < 1e-9 {
            i32::MIN
        } else {
            (v.ln() / SKETCH_GAMMA.ln()).ceil().clamp(-1e6, 1e6) as i32
        }
    }

    /// Adds `n` values from `lo` to `hi` to bin `e`.
    fn absorb(e: &mut (i32, u64, f64, f64), n: u64, lo: f64, hi: f64) {
        e.1 += n;
        e.2 = e.2.min(lo);
        e.3 = e.3.max(hi);
    }

    /// Counts one value.
    pub fn add(&mut self, v: f64) {
        // Zeros are common (no abandons, no wait) and their bin, the
        // lowest, comes first: counted without a logarithm or a search.
        if v < 1e-9 {
            if let Some(e) = self.bins.first_mut().filter(|e| e.0 == i32::MIN) {
                return Self::absorb(e, 1, v, v);
            }
        }
        let b = Self::bin(v);
        match self.bins.binary_search_by_key(&b, |e| e.0) {
            Ok(i) => Self::absorb(&mut self.bins[i], 1, v, v),
            Err(i) => self.bins.insert(i, (b, 1, v, v)),
        }
    }

    /// Adds another sketch's counts.
    pub fn merge(&mut self, other: &Sketch) {
        for &(b, n, lo, hi) in &other.bins {
            match self.bins.binary_search_by_key(&b, |e| e.0) {
                Ok(i) => Self::absorb(&mut self.bins[i], n, lo, hi),
                Err(i) => self.bins.insert(i, (b, n, lo, hi)),
            }
        }
    }

    /// The value of order statistic `k` (0-based), estimated inside its bin
    /// by spreading the bin's values evenly between its least and greatest.
    fn order_statistic(&self, k: u64) -> f64 {
        let mut seen = 0;
        for &(_, n, lo, hi) in &self.bins {
            if k < seen + n {
                let within = if n > 1 { (k - seen) as f64 / (n - 1) as f64 } else { 0.0 };
                return lo + within * (hi - lo);
            }
            seen += n;
        }
        self.bins.last().map_or(0.0, |e| e.3)
    }

    /// The `p` percentile by linear interpolation between order statistics
    /// (type 7, as R and NumPy), read from the sketch; `None` when empty.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        let n: u64 = self.bins.iter().map(|e| e.1).sum();
        if n == 0 {
            return None;
        }
        let h = (n - 1) as f64 * p;
        let lo = h.floor() as u64;
        let hi = (lo + 1).min(n - 1);
        let (a, b) = (self.order_statistic(lo), self.order_statistic(hi));
        Some(a + (h - lo as f64) * (b - a))
    }
}

/// One figure across replications: count, exact fixed-point sums, sketch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    n: u64,
    #[serde(with = "i128_text")]
    sum: i128,
    #[serde(with = "i128_text")]
    sum_sq: i128,
    sketch: Sketch,
}

impl Tally {
    /// Counts one replication's value (finite, ≥ 0).
    pub fn add(&mut self, v: f64, scale: Scale) {
        let q = scale.quantize(v);
        self.n += 1;
        self.sum = self.sum.saturating_add(q);
        self.sum_sq = self.sum_sq.saturating_add(q.saturating_mul(q));
        self.sketch.add(v);
    }

    /// Adds another tally of the same figure.
    pub fn merge(&mut self, other: &Tally) {
        self.n += other.n;
        self.sum = self.sum.saturating_add(other.sum);
        self.sum_sq = self.sum_sq.saturating_add(other.sum_sq);
        self.sketch.merge(&other.sketch);
    }

    /// The `p` percentile of the values counted, read from the sketch
    /// (within 1%); `None` when nothing was counted.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        self.sketch.percentile(p)
    }

    /// Replications counted.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Whether this tally can have come from [`Tally::add`] of values on
    /// grid `scale` inside `range` (finite bounds; a little slack above
    /// for shares): `Err` names the first thing that cannot (a tampered or
    /// damaged partial). The sketch's bins are in order, each count at
    /// least 1, its least and greatest value in `range` and in the bin;
    /// the counts add up to `n`; the fixed-point sum and sum of squares lie
    /// between those of the bins' least and greatest values (rounding to
    /// the grid is monotone), which also bars negative sums.
    pub fn check(&self, scale: Scale, range: (f64, f64)) -> Result<(), String> {
        let inside = |v: f64| v.is_finite() && v >= range.0 && v <= range.1;
        let (mut count, mut low, mut high, mut low_sq, mut high_sq) = (0u64, 0i128, 0i128, 0i128, 0i128);
        let mut previous: Option<i32> = None;
        for &(bin, n, lo, hi) in &self.sketch.bins {
            if previous.is_some_and(|p| p >= bin) {
                return Err(format!("sketch bin {bin} out of order"));
            }
            previous = Some(bin);
            if n == 0 || !inside(lo) || !inside(hi) || lo > hi {
                return Err(format!("sketch bin {bin} holds {n} values from {lo} to {hi}"));
            }
            if Sketch::bin(lo) != bin || Sketch::bin(hi) != bin {
                return Err(format!("sketch bin {bin} holds values of another bin ({lo} to {hi})"));
            }
            count = count.checked_add(n).ok_or("sketch counts overflow")?;
            let (q_lo, q_hi) = (scale.quantize(lo), scale.quantize(hi));
            let times = |q: i128| q.saturating_mul(n as i128);
            low = low.saturating_add(times(q_lo));
            high = high.saturating_add(times(q_hi));
            low_sq = low_sq.saturating_add(times(q_lo.saturating_mul(q_lo)));
            high_sq = high_sq.saturating_add(times(q_hi.saturating_mul(q_hi)));
        }
        if count != self.n {
            return Err(format!("n is {} but the sketch counts {count} values", self.n));
        }
        if !(low..=high).contains(&self.sum) {
            return Err(format!("sum {} outside [{low}, {high}], what its values give", self.sum));
        }
        if !(low_sq..=high_sq).contains(&self.sum_sq) {
            return Err(format!("sum of squares {} outside [{low_sq}, {high_sq}], what its values give", self.sum_sq));
        }
        Ok(())
    }

    /// Mean, 95% Student-t interval (clamped to `range`) and P10/P90;
    /// `None` when nothing was counted.
    pub fn summary(&self, scale: Scale, range: (f64, f64)) -> Option<Summary> {
        if self.n == 0 {
            return None;
        }
        let (mean, ci95) = mean_and_ci(self.n, self.sum, self.sum_sq, scale, range);
        let p = |x: f64| self.sketch.percentile(x).unwrap_or(mean);
        Some(Summary { mean, ci95, p10: p(0.10), p90: p(0.90) })
    }
}

/// The mean of `n` (≥ 1) values on grid `scale` from their fixed-point sum
/// and sum of squares, with its 95% Student-t interval clamped to `range`
/// (none with fewer than two values).
fn mean_and_ci(n: u64, sum: i128, sum_sq: i128, scale: Scale, range: (f64, f64)) -> (f64, Option<[f64; 2]>) {
    let (count, f) = (n as f64, scale.factor());
    let (s1, s2) = (sum as f64, sum_sq as f64);
    let mean = s1 / count / f;
    let ci95 = (n >= 2).then(|| {
        let var = ((s2 - s1 * s1 / count) / (count - 1.0)).max(0.0) / (f * f);
        let half = student_t_975(n as usize - 1) * (var / count).sqrt();
        [(mean - half).clamp(range.0, range.1), (mean + half).clamp(range.0, range.1)]
    });
    (mean, ci95)
}

/// One figure of two scenarios run on the same random numbers (common
/// random numbers), replication by replication: the values of A and of B
/// and their paired differences B − A, each rounded once to the grid, so
/// that identical values give a difference of exactly zero. Any sign is
/// allowed. Folding is exact integer addition, so the result does not
/// depend on the order or the thread count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paired {
    n: u64,
    sum_a: i128,
    sum_b: i128,
    /// Sum of the squared differences.
    sum_d_sq: i128,
}

impl Paired {
    /// Counts one replication's pair of values (finite).
    pub fn add(&mut self, a: f64, b: f64, scale: Scale) {
        let (qa, qb) = (scale.quantize(a), scale.quantize(b));
        let d = qb.saturating_sub(qa);
        self.n += 1;
        self.sum_a = self.sum_a.saturating_add(qa);
        self.sum_b = self.sum_b.saturating_add(qb);
        self.sum_d_sq = self.sum_d_sq.saturating_add(d.saturating_mul(d));
    }

    /// The means of A and B and the mean difference with its 95%
    /// Student-t interval from the paired sample, clamped to `range` (the
    /// range a difference can take); `None` when nothing was counted.
    pub fn summary(&self, scale: Scale, range: (f64, f64)) -> Option<Difference> {
        if self.n == 0 {
            return None;
        }
        let sum_d = self.sum_b.saturating_sub(self.sum_a);
        let (mean, ci95) = mean_and_ci(self.n, sum_d, self.sum_d_sq, scale, range);
        let f = scale.factor() * self.n as f64;
        Some(Difference { a: self.sum_a as f64 / f, b: self.sum_b as f64 / f, mean, ci95, n: self.n })
    }
}

/// `i128` as a decimal string in JSON, which cannot hold it as a number.
mod i128_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{percentile, summarize};
    use rand::{Rng, SeedableRng};

    const SHARE: Scale = Scale(40);

    #[test]
    fn the_summary_matches_the_exact_one_within_the_stated_accuracy() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut values: Vec<f64> = (0..1000).map(|_| 0.6 + 0.4 * rng.random::<f64>().powi(2)).collect();
        let mut t = Tally::default();
        for &v in &values {
            t.add(v, SHARE);
        }
        let s = t.summary(SHARE, (0.0, 1.0)).unwrap();
        let exact = summarize(&mut values).unwrap();
        assert!((s.mean - exact.mean).abs() < 1e-9);
        let (a, b) = (s.ci95.unwrap(), exact.ci95.unwrap());
        assert!((a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9);
        for (got, p) in [(s.p10, 0.10), (s.p90, 0.90)] {
            let want = percentile(&values, p);
            assert!((got / want - 1.0).abs() <= SKETCH_GAMMA - 1.0, "P{p}: {got} vs {want}");
        }
    }

    #[test]
    fn merged_parts_give_the_same_bits_as_one_pass_in_any_order() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let values: Vec<f64> = (0..500).map(|_| rng.random_range(0.0..3600.0)).collect();
        let scale = Scale(16);
        let mut whole = Tally::default();
        values.iter().for_each(|&v| whole.add(v, scale));
        let mut parts = [Tally::default(), Tally::default(), Tally::default()];
        for (i, &v) in values.iter().enumerate() {
            parts[i % 3].add(v, scale);
        }
        let mut merged = Tally::default();
        for p in [&parts[2], &parts[0], &parts[1]] {
            merged.merge(p);
        }
        assert_eq!(merged.summary(scale, (0.0, f64::INFINITY)), whole.summary(scale, (0.0, f64::INFINITY)));
        assert_eq!(merged.count(), 500);
    }

    #[test]
    fn paired_differences_match_the_exact_paired_t_interval_and_vanish_for_equal_sides() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let scale = Scale(16);
        let pairs: Vec<(f64, f64)> = (0..200)
            .map(|_| {
                let a = rng.random_range(0.0..60.0);
                (a, a + rng.random_range(-3.0..1.0))
            })
            .collect();
        let mut paired = Paired::default();
        pairs.iter().for_each(|&(a, b)| paired.add(a, b, scale));
        let d = paired.summary(scale, (f64::NEG_INFINITY, f64::INFINITY)).unwrap();
        let mut diffs: Vec<f64> = pairs.iter().map(|(a, b)| b - a).collect();
        let exact = summarize(&mut diffs).unwrap();
        assert!((d.mean - exact.mean).abs() < 1e-4 && d.mean < 0.0, "{} {}", d.mean, exact.mean);
        let (got, want) = (d.ci95.unwrap(), exact.ci95.unwrap());
        assert!((got[0] - want[0]).abs() < 1e-4 && (got[1] - want[1]).abs() < 1e-4, "{got:?} {want:?}");
        assert!(d.significant() && (d.b - d.a - d.mean).abs() < 1e-9);
        let mut same = Paired::default();
        pairs.iter().for_each(|&(a, _)| same.add(a, a, scale));
        let d = same.summary(scale, (-1.0, 1.0)).unwrap();
        assert_eq!((d.mean, d.ci95, d.significant()), (0.0, Some([0.0, 0.0]), false));
        assert_eq!(d.a, d.b);
        assert_eq!(Paired::default().summary(scale, (-1.0, 1.0)), None);
    }

    /// Tallies merged from a partial were taken as they came: negative
    /// sums, counts the sketch does not hold, values out of their range.
    #[test]
    fn a_tally_is_checked_against_the_values_it_claims() {
        let scale = Scale(16);
        let mut t = Tally::default();
        for v in [0.0, 3.5, 20.0, 20.0, 600.0] {
            t.add(v, scale);
        }
        assert_eq!(t.check(scale, (0.0, f64::MAX)), Ok(()));
        assert_eq!(Tally::default().check(scale, (0.0, 1.0)), Ok(()));
        let broken = |f: &dyn Fn(&mut Tally)| {
            let mut b = t.clone();
            f(&mut b);
            b.check(scale, (0.0, f64::MAX)).unwrap_err()
        };
        assert!(broken(&|b| b.sum = -b.sum).contains("sum -"));
        assert!(broken(&|b| b.sum += 1 << 40).contains("outside"));
        assert!(broken(&|b| b.sum_sq = 0).contains("sum of squares"));
        assert!(broken(&|b| b.n = 100_000_000).contains("sketch counts 5"));
        assert!(broken(&|b| b.sketch.bins[1].2 = -1.0).contains("holds"));
        assert!(broken(&|b| b.sketch.bins[1].3 = 1e6).contains("another bin"));
        assert!(broken(&|b| b.sketch.bins.swap(1, 2)).contains("out of order"));
        assert!(broken(&|b| b.sketch.bins[2].1 = 0).contains("holds 0 values"));
        let share = Scale(40);
        let mut s = Tally::default();
        s.add(1.0, share);
        assert!(s.check(share, (0.0, 0.5)).is_err());
    }

    #[test]
    fn the_grid_is_exactly_two_to_the_bits_and_rounds_as_before() {
        for bits in 0..=64 {
            assert_eq!(Scale(bits).factor(), (bits as f64).exp2(), "2^{bits}");
        }
        for v in [0.0, 0.4, 0.5, 1.5, 2.5, 8.99e18, 9.0e18, 1e19, 1e30, f64::MAX, -0.5, -9.1e18, f64::NAN] {
            assert_eq!(Scale(0).quantize(v), v.round() as i128, "{v}");
        }
    }

    #[test]
    fn equal_values_give_exact_percentiles() {
        let mut t = Tally::default();
        for _ in 0..50 {
            t.add(1.0, SHARE);
        }
        let s = t.summary(SHARE, (0.0, 1.0)).unwrap();
        assert_eq!((s.mean, s.p10, s.p90, s.ci95), (1.0, 1.0, 1.0, Some([1.0, 1.0])));
    }
}
