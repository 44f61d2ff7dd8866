//! A bounded, mergeable summary of durations: counts in bins 1% wide on
//! a log scale from [`LogBins::MIN_S`] to [`LogBins::MAX_S`], with one bin
//! below (zero included) and one above. Its size never depends on how many
//! values it holds (about 8 KiB), so contact records fold into it as they
//! stream by.
//!
//! Accuracy: a value is known to within its bin, 1% of itself. The
//! empirical CDF is exact at every bin edge; between edges it is bounded
//! by its values at the two edges. Statistics that need the values
//! between edges (the Kolmogorov–Smirnov distance, Kaplan–Meier with
//! censoring inside a bin) are computed as bounds from these edges and
//! reported with the width of their bounds.

/// Log-binned counts of non-negative durations, seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct LogBins {
    /// `counts[0]`: below [`LogBins::MIN_S`]; `counts[1 + j]`: bin `j`,
    /// `[edge(j), edge(j + 1))`; the last: at or above [`LogBins::MAX_S`].
    counts: Vec<u32>,
    total: u64,
}

/// Bins from `MIN_S` to `MAX_S`: ln(MAX/MIN) / WIDTH.
const BINS: usize = 2073;

impl Default for LogBins {
    fn default() -> Self {
        Self::new()
    }
}

impl LogBins {
    /// Lower edge of the first bin, seconds: shorter values share the
    /// bottom bin with zero.
    pub const MIN_S: f64 = 0.01;
    /// Upper edge of the last bin, seconds (about 116 days): longer values
    /// share the top bin.
    pub const MAX_S: f64 = 1e7;
    /// Width of a bin in ln(seconds): each is 1% wider than the last.
    pub const WIDTH: f64 = 0.01;

    /// An empty summary.
    pub fn new() -> Self {
        LogBins { counts: vec![0; BINS + 2], total: 0 }
    }

    /// Bytes this summary holds, heap included.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.counts.capacity() * std::mem::size_of::<u32>()
    }

    /// The slot of a value: 0 below `MIN_S`, `1 + j` for bin `j`, the last
    /// at or above `MAX_S`.
    #[inline]
    fn slot(x: f64) -> usize {
        if x < Self::MIN_S {
            0
        } else {
            let j = ((x / Self::MIN_S).ln() / Self::WIDTH) as usize;
            1 + j.min(BINS)
        }
    }

    /// Adds one value, seconds (≥ 0, finite: the caller checks).
    #[inline]
    pub fn add(&mut self, x: f64) {
        let s = Self::slot(x);
        self.counts[s] = self.counts[s].saturating_add(1);
        self.total += 1;
    }

    /// Adds every count of `other` to this one.
    pub fn merge(&mut self, other: &LogBins) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a = a.saturating_add(*b);
        }
        self.total += other.total;
    }

    /// Values held.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Slots: the bottom bin, 2,073 log bins and the top bin.
    pub fn slots(&self) -> usize {
        self.counts.len()
    }

    /// Values in slot `s`.
    pub fn count(&self, s: usize) -> u64 {
        self.counts[s] as u64
    }

    /// Lower edge of slot `s`, seconds (0 for the bottom slot).
    pub fn lower(s: usize) -> f64 {
        if s == 0 {
            0.0
        } else {
            Self::MIN_S * ((s - 1) as f64 * Self::WIDTH).exp()
        }
    }

    /// Upper edge of slot `s`, seconds (infinite for the top slot).
    pub fn upper(s: usize) -> f64 {
        if s > BINS {
            f64::INFINITY
        } else {
            Self::MIN_S * (s as f64 * Self::WIDTH).exp()
        }
    }

    /// A value standing for slot `s`, seconds: the geometric middle of a
    /// log bin, `MIN_S / 2` for the bottom, `MAX_S` for the top.
    pub fn middle(s: usize) -> f64 {
        if s == 0 {
            Self::MIN_S / 2.0
        } else if s > BINS {
            Self::MAX_S
        } else {
            Self::MIN_S * (((s - 1) as f64 + 0.5) * Self::WIDTH).exp()
        }
    }

    /// The slots holding a value, with their counts, lowest first.
    pub fn occupied(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.counts.iter().enumerate().filter(|(_, &c)| c > 0).map(|(s, &c)| (s, c as u64))
    }

    /// The `p`-quantile (0 < p < 1), seconds, interpolated on a log scale
    /// within its bin (within 1% of the exact one); `None` when empty.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let target = p * self.total as f64;
        let mut below = 0.0;
        for (s, c) in self.occupied() {
            let c = c as f64;
            if below + c >= target {
                let f = ((target - below) / c).clamp(0.0, 1.0);
                let (lo, hi) = (Self::lower(s), Self::upper(s));
                return Some(if s == 0 {
                    hi * f
                } else if hi.is_infinite() {
                    lo
                } else {
                    lo * (hi / lo).powf(f)
                });
            }
            below += c;
        }
        Some(Self::lower(self.counts.len() - 1))
    }

    /// The Kolmogorov–Smirnov distance between these values and `cdf`, as
    /// bounds `(low, high)`: the exact distance lies between them.
    /// `low` compares at the bin edges only; `high` lets every bin's
    /// values sit wherever within it is worst.
    pub fn ks_bounds(&self, cdf: impl Fn(f64) -> f64) -> (f64, f64) {
        if self.total == 0 {
            return (0.0, 0.0);
        }
        let n = self.total as f64;
        let (mut low, mut high) = (0.0f64, 0.0f64);
        let (mut f_lo, mut e_lo) = (0.0, 0.0);
        let mut below = 0u64;
        let last = self.counts.len() - 1;
        for s in 0..=last {
            let c = self.counts[s] as u64;
            let f_hi = if s == last { 1.0 } else { cdf(Self::upper(s)) };
            let e_hi = (below + c) as f64 / n;
            if c > 0 || s == last {
                low = low.max((e_hi - f_hi).abs());
                high = high.max(e_hi - f_lo).max(f_hi - e_lo);
            } else {
                // No value inside: the empirical CDF is flat across the bin.
                low = low.max((e_hi - f_hi).abs());
                high = high.max((e_hi - f_hi).abs()).max((e_lo - f_lo).abs());
            }
            below += c;
            f_lo = f_hi;
            e_lo = e_hi;
        }
        (low, high.max(low))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_land_in_the_bin_whose_edges_hold_them() {
        for x in [0.0, 0.005, 0.01, 0.0101, 1.0, 59.99, 60.0, 300.0, 9.99e6, 1e7, 1e9] {
            let s = LogBins::slot(x);
            assert!(LogBins::lower(s) <= x * (1.0 + 1e-12), "{x}: slot {s} from {}", LogBins::lower(s));
            assert!(x < LogBins::upper(s) * (1.0 + 1e-12), "{x}: slot {s} to {}", LogBins::upper(s));
        }
    }

    #[test]
    fn quantiles_are_within_a_bin_of_the_exact_ones() {
        let mut b = LogBins::new();
        for i in 1..=10_000 {
            b.add(i as f64);
        }
        for p in [0.1, 0.5, 0.9, 0.99] {
            let q = b.quantile(p).unwrap();
            let exact = p * 10_000.0;
            assert!((q / exact - 1.0).abs() < 0.011, "{p}: {q} vs {exact}");
        }
    }

    #[test]
    fn ks_bounds_hold_the_exact_distance() {
        // Uniform values 1..=1000 against the uniform CDF on (0, 1000].
        let mut b = LogBins::new();
        for i in 1..=1000 {
            b.add(i as f64);
        }
        let (low, high) = b.ks_bounds(|x| (x / 1000.0).min(1.0));
        let exact = 0.001;
        assert!(low <= exact + 1e-12 && exact <= high + 1e-12, "{low} {high}");
        assert!(high < 0.02, "{high}");
        // Against a CDF far off, both bounds see it.
        let (low, high) = b.ks_bounds(|x| (x / 2000.0).min(1.0));
        assert!(low > 0.49 && high < 0.52, "{low} {high}");
    }

    #[test]
    fn merging_adds_the_counts() {
        let (mut a, mut b) = (LogBins::new(), LogBins::new());
        a.add(1.0);
        b.add(1.0);
        b.add(100.0);
        a.merge(&b);
        assert_eq!(a.total(), 3);
        assert_eq!(a.count(LogBins::slot(1.0)), 2);
    }
}
