//! Accuracy measures of forecasts against actuals: WAPE (Σ|A − F| / ΣA),
//! MAPE (mean |A − F| / A over actuals above 0), bias (Σ(F − A) / ΣA,
//! positive when forecasts run high) and coverage (the share of actuals
//! inside their prediction interval, leaving out pairs where both forecast
//! and actual are 0: a closed interval is covered whatever the interval),
//! summed so that parts merge exactly.

/// Sums behind the measures of a set of (actual, forecast) pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measures {
    /// Pairs counted.
    pub n: usize,
    /// Σ actual.
    pub actual: f64,
    /// Σ forecast.
    pub forecast: f64,
    /// Σ |actual − forecast|.
    pub abs_error: f64,
    /// Σ |actual − forecast| / actual over actuals above 0.
    ape: f64,
    /// Actuals above 0.
    positive: usize,
    /// Pairs with an interval.
    with_interval: usize,
    /// Of those, actuals inside it (ends included).
    covered: usize,
}

impl Measures {
    /// Counts one pair, with the forecast's interval if it has one.
    pub fn add(&mut self, actual: f64, forecast: f64, interval: Option<(f64, f64)>) {
        self.n += 1;
        self.actual += actual;
        self.forecast += forecast;
        let e = (actual - forecast).abs();
        self.abs_error += e;
        if actual > 0.0 {
            self.ape += e / actual;
            self.positive += 1;
        }
        if let Some((lo, hi)) = interval.filter(|_| actual > 0.0 || forecast > 0.0) {
            self.with_interval += 1;
            if lo <= actual && actual <= hi {
                self.covered += 1;
            }
        }
    }

    /// Adds `other`'s pairs.
    pub fn merge(&mut self, other: &Measures) {
        self.n += other.n;
        self.actual += other.actual;
        self.forecast += other.forecast;
        self.abs_error += other.abs_error;
        self.ape += other.ape;
        self.positive += other.positive;
        self.with_interval += other.with_interval;
        self.covered += other.covered;
    }

    /// Σ|A − F| / ΣA; `None` without actual volume.
    pub fn wape(&self) -> Option<f64> {
        (self.actual > 0.0).then(|| self.abs_error / self.actual)
    }

    /// Mean |A − F| / A over actuals above 0.
    pub fn mape(&self) -> Option<f64> {
        (self.positive > 0).then(|| self.ape / self.positive as f64)
    }

    /// Σ(F − A) / ΣA: positive when forecasts run high.
    pub fn bias(&self) -> Option<f64> {
        (self.actual > 0.0).then(|| (self.forecast - self.actual) / self.actual)
    }

    /// Share of actuals inside their interval.
    pub fn coverage(&self) -> Option<f64> {
        (self.with_interval > 0).then(|| self.covered as f64 / self.with_interval as f64)
    }
}

/// Measures of daily totals and of intervals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Levels {
    /// Daily totals (days with every interval observed).
    pub days: Measures,
    /// Intervals observed.
    pub intervals: Measures,
}

impl Levels {
    fn merge(&mut self, other: &Levels) {
        self.days.merge(&other.days);
        self.intervals.merge(&other.intervals);
    }
}

/// A method's accuracy over a backtest, overall and broken down.
#[derive(Debug, Clone, PartialEq)]
pub struct Accuracy {
    /// Every horizon.
    pub overall: Levels,
    /// By horizon (index 0: one day ahead).
    pub by_horizon: Vec<Levels>,
    /// By the target day's weekday, Monday first.
    pub by_weekday: [Levels; 7],
    /// Intervals by slot (interval of the local day).
    pub by_slot: Vec<Measures>,
}

impl Accuracy {
    /// Empty, for `horizons` days and `slots` slots.
    pub fn new(horizons: usize, slots: usize) -> Accuracy {
        Accuracy {
            overall: Levels::default(),
            by_horizon: vec![Levels::default(); horizons],
            by_weekday: [Levels::default(); 7],
            by_slot: vec![Measures::default(); slots],
        }
    }

    /// A day's total at horizon `h` (1-based) on `weekday`.
    pub(crate) fn add_day(&mut self, h: usize, weekday: usize, actual: f64, forecast: f64, interval: (f64, f64)) {
        for m in [&mut self.overall.days, &mut self.by_horizon[h - 1].days, &mut self.by_weekday[weekday].days] {
            m.add(actual, forecast, Some(interval));
        }
    }

    /// An interval of slot `slot`.
    pub(crate) fn add_interval(
        &mut self,
        h: usize,
        weekday: usize,
        slot: usize,
        actual: f64,
        forecast: f64,
        interval: (f64, f64),
    ) {
        for m in [
            &mut self.overall.intervals,
            &mut self.by_horizon[h - 1].intervals,
            &mut self.by_weekday[weekday].intervals,
            &mut self.by_slot[slot],
        ] {
            m.add(actual, forecast, Some(interval));
        }
    }

    /// Adds `other`'s pairs (same horizons and slots).
    pub fn merge(&mut self, other: &Accuracy) {
        self.overall.merge(&other.overall);
        for (a, b) in self.by_horizon.iter_mut().zip(&other.by_horizon) {
            a.merge(b);
        }
        for (a, b) in self.by_weekday.iter_mut().zip(&other.by_weekday) {
            a.merge(b);
        }
        for (a, b) in self.by_slot.iter_mut().zip(&other.by_slot) {
            a.merge(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Measures;

    #[test]
    fn measures_from_their_definitions() {
        let mut m = Measures::default();
        m.add(100.0, 110.0, Some((90.0, 120.0)));
        m.add(50.0, 40.0, Some((41.0, 48.0)));
        m.add(0.0, 2.0, None);
        m.add(0.0, 0.0, Some((0.0, 0.0)));
        assert_eq!(m.wape(), Some(22.0 / 150.0));
        assert_eq!(m.mape(), Some((0.1 + 0.2) / 2.0));
        assert_eq!(m.bias(), Some(2.0 / 150.0));
        assert_eq!(m.coverage(), Some(0.5));
    }
}
