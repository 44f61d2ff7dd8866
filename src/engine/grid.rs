//! Which reporting interval an instant falls in, for the counters: by a
//! multiply (`t × 1/interval`), and for the interval of the latest instant
//! asked about by two comparisons, since nearly every contact is counted
//! in the interval the clock is in.

/// The reporting grid: instants from 0 to the report's end, in intervals.
#[derive(Clone)]
pub(super) struct Grid {
    /// 1 / interval length, 1/seconds: a multiply is cheaper than a divide.
    per_interval: f64,
    intervals: usize,
    report_end: f64,
    /// The instants `from..to` are those of interval `index` (by
    /// [`Grid::compute`], exactly): the interval of the latest instant
    /// asked about.
    from: f64,
    to: f64,
    index: usize,
}

impl Grid {
    /// `intervals` intervals of `interval_s` seconds, the last one ending
    /// (or being cut) at `report_end` seconds.
    pub(super) fn new(interval_s: f64, intervals: usize, report_end: f64) -> Self {
        let per_interval = 1.0 / interval_s;
        Grid { per_interval, intervals, report_end, from: f64::INFINITY, to: f64::NEG_INFINITY, index: 0 }
    }

    /// The interval instant `t` (seconds) falls in; `None` outside the
    /// reported span.
    #[inline]
    pub(super) fn interval_of(&mut self, t: f64) -> Option<usize> {
        if t >= self.from && t < self.to {
            return Some(self.index);
        }
        self.look_up(t)
    }

    /// [`Grid::interval_of`] computed; an instant later than the one
    /// remembered moves the remembered interval to its own. Out of line:
    /// the remembered interval answers nearly every call.
    #[inline(never)]
    fn look_up(&mut self, t: f64) -> Option<usize> {
        let i = self.compute(t)?;
        if t >= self.to {
            self.from = self.first_reaching(i);
            let last = i + 1 == self.intervals;
            self.to = if last { self.report_end } else { self.first_reaching(i + 1).min(self.report_end) };
            self.index = i;
        }
        Some(i)
    }

    /// The interval of `t` by the multiply.
    #[inline]
    fn compute(&self, t: f64) -> Option<usize> {
        if t < 0.0 || t >= self.report_end {
            return None;
        }
        Some(self.raw(t).min(self.intervals - 1))
    }

    #[inline]
    fn raw(&self, t: f64) -> usize {
        (t * self.per_interval) as usize
    }

    /// The least instant `t ≥ 0` whose [`Grid::raw`] interval is at least
    /// `k`: near `k` intervals, found exactly by stepping one float at a
    /// time (`raw` never decreases as `t` grows).
    fn first_reaching(&self, k: usize) -> f64 {
        if k == 0 {
            return 0.0;
        }
        let (up, down) = (|t: f64| f64::from_bits(t.to_bits() + 1), |t: f64| f64::from_bits(t.to_bits() - 1));
        let mut t = k as f64 / self.per_interval;
        while self.raw(t) < k {
            t = up(t);
        }
        while t > 0.0 && self.raw(down(t)) >= k {
            t = down(t);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Instants at and around every boundary, and between them.
    fn instants(interval_s: f64, intervals: usize) -> Vec<f64> {
        let mut ts = vec![-1.0, -0.0, 0.0, f64::MIN_POSITIVE, f64::NAN];
        for k in 0..=intervals + 1 {
            let b = k as f64 * interval_s;
            for d in -3i64..=3 {
                ts.push(f64::from_bits((b.to_bits() as i64 + d).max(0) as u64));
            }
            ts.push(b + 0.37 * interval_s);
        }
        ts
    }

    #[test]
    fn the_remembered_interval_gives_what_the_multiply_gives() {
        for (interval_s, intervals, end) in
            [(1800.0, 48, 86_400.0), (900.0, 100, 89_999.0), (0.1, 1000, 100.0), (3.0, 7, 20.0)]
        {
            let mut ts = instants(interval_s, intervals);
            // Forward, as the clock goes, and in any order.
            let fresh = Grid::new(interval_s, intervals, end);
            let mut grid = fresh.clone();
            for order in 0..2 {
                for &t in &ts {
                    assert_eq!(grid.interval_of(t), fresh.compute(t), "{t} ({interval_s} s, order {order})");
                }
                ts.reverse();
                let third = ts.len() / 3;
                ts.rotate_left(third);
            }
        }
    }

    #[test]
    fn the_span_remembered_is_exactly_the_interval() {
        let mut grid = Grid::new(0.1, 1000, 100.0);
        for k in 1..1000 {
            let b = grid.first_reaching(k);
            assert!(grid.raw(b) >= k && grid.raw(f64::from_bits(b.to_bits() - 1)) < k, "{k}");
        }
        grid.interval_of(30.05);
        assert_eq!(grid.compute(grid.from), Some(grid.index));
        assert_eq!(grid.compute(f64::from_bits(grid.to.to_bits() - 1)), Some(grid.index));
        assert_eq!(grid.compute(grid.to), Some(grid.index + 1));
    }
}
