//! Daily totals by exponential smoothing: Holt-Winters with a damped
//! additive trend and a multiplicative weekday season (period 7), on daily
//! totals divided by the yearly index (wave and, with two years, steady
//! growth) where there is a year of history.
//! The smoothing parameters come from a fixed grid, the combination with
//! the least absolute error over forecasts 1, 7 and 14 days ahead across
//! the training days (the measure the backtest ranks by): no optimiser, so
//! the same history gives the same model on every machine.
//!
//! Updates are robust: a day further from its forecast than
//! [`CLIP`] × the running mean absolute relative error updates the state
//! as if it had been at that bound, so an unlabelled outage or promotion
//! does not drag level and weekday factors. Missing and special days
//! (`None`) update nothing; the state rolls forward by its trend.

use super::yearly::Yearly;

/// Relative errors beyond this many running mean absolute errors are
/// clipped for the update.
pub const CLIP: f64 = 4.0;

/// Days that set the initial state (and are not scored).
const WARM_UP: usize = 28;

/// Horizons the parameter search scores, days ahead.
const SCORED: [usize; 3] = [1, 7, 14];

/// Smoothing parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Level, 0 to 1.
    pub alpha: f64,
    /// Trend, 0 to 1 (0: no trend).
    pub beta: f64,
    /// Weekday season, 0 to 1.
    pub gamma: f64,
    /// Damping of the trend per day, 0 to 1.
    pub phi: f64,
}

/// The grid the parameters are chosen from.
fn grid() -> Vec<Params> {
    let mut out = Vec::new();
    for alpha in [0.05, 0.1, 0.2, 0.35, 0.5] {
        for gamma in [0.02, 0.05, 0.1, 0.2] {
            out.push(Params { alpha, beta: 0.0, gamma, phi: 1.0 });
            for beta in [0.005, 0.02] {
                for phi in [0.98, 1.0] {
                    out.push(Params { alpha, beta, gamma, phi });
                }
            }
        }
    }
    out
}

/// Level, trend and weekday factors before a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct State {
    level: f64,
    trend: f64,
    season: [f64; 7],
    /// Running mean absolute relative error of one-day forecasts.
    scale: f64,
}

/// The training days as the model sees them.
pub(crate) struct Input<'a> {
    /// Each day's total (already divided by the yearly index), `None`
    /// where missing or special.
    pub totals: &'a [Option<f64>],
    /// Weekday of day 0, Monday 0.
    pub weekday0: usize,
}

impl Input<'_> {
    fn weekday(&self, t: usize) -> usize {
        (self.weekday0 + t) % 7
    }
}

/// A fitted smoothing model: its parameters and its state before every
/// training day and after the last.
#[derive(Debug, Clone)]
pub(crate) struct Smoothing {
    /// The chosen parameters.
    pub params: Params,
    /// The yearly index the totals were divided by, if any.
    pub yearly: Option<Yearly>,
    /// Day number of day 0.
    day0: i64,
    weekday0: usize,
    /// Weekdays never open in the training days (their forecast is 0).
    closed: [bool; 7],
    /// State before day t, for t = 0..=n.
    states: Vec<State>,
}

impl Smoothing {
    /// Fits the model to `totals` (nominal daily totals, `None` where
    /// missing or special) of days from day number `day0`, whose weekday
    /// is `weekday0`; `None` with fewer than two weeks of them observed.
    pub fn fit(totals: &[Option<f64>], day0: i64, weekday0: usize, yearly: Option<Yearly>) -> Option<Smoothing> {
        if totals.iter().filter(|t| t.is_some()).count() < 14 {
            return None;
        }
        let adjusted: Vec<Option<f64>> = match &yearly {
            Some(y) => totals.iter().enumerate().map(|(t, x)| x.map(|x| x / y.index(day0 + t as i64))).collect(),
            None => totals.to_vec(),
        };
        let input = Input { totals: &adjusted, weekday0 };
        let mut closed = [true; 7];
        for (t, x) in adjusted.iter().enumerate() {
            if x.is_some_and(|x| x > 0.0) {
                closed[input.weekday(t)] = false;
            }
        }
        let start = initial(&input, &closed);
        let mut best: Option<(f64, Params)> = None;
        for p in grid() {
            let loss = run(&input, &closed, start, p, None);
            if best.is_none_or(|(b, _)| loss < b) {
                best = Some((loss, p));
            }
        }
        let params = best.map(|b| b.1)?;
        let mut states = Vec::with_capacity(adjusted.len() + 1);
        run(&input, &closed, start, params, Some(&mut states));
        Some(Smoothing { params, yearly, day0, weekday0, closed, states })
    }

    /// Days the model was trained on.
    pub fn len(&self) -> usize {
        self.states.len() - 1
    }

    /// The total of day `target` forecast from the state before day
    /// `origin` (`origin` ≤ `target`; `origin` at most [`Self::len`]):
    /// (level + damped trend) × weekday factor × yearly index.
    pub fn predict(&self, origin: usize, target: usize) -> f64 {
        let s = &self.states[origin.min(self.len())];
        let w = (self.weekday0 + target) % 7;
        if self.closed[w] {
            return 0.0;
        }
        let h = (target + 1).saturating_sub(origin);
        let base = s.level + damped(self.params.phi, h) * s.trend;
        let yearly = self.yearly.as_ref().map_or(1.0, |y| y.index(self.day0 + target as i64));
        base.max(0.0) * s.season[w] * yearly
    }

    /// The weekday factors after the last day, Monday first, normalised to
    /// a mean of 1 over the weekdays open.
    pub fn weekday_factors(&self) -> [f64; 7] {
        let s = self.states[self.len()].season;
        let open: Vec<f64> = (0..7).filter(|w| !self.closed[*w]).map(|w| s[w]).collect();
        let mean = open.iter().sum::<f64>() / open.len().max(1) as f64;
        std::array::from_fn(|w| if self.closed[w] || mean <= 0.0 { 0.0 } else { s[w] / mean })
    }
}

/// φ + φ² + … + φ^h.
fn damped(phi: f64, h: usize) -> f64 {
    if phi == 1.0 {
        return h as f64;
    }
    phi * (1.0 - phi.powi(h as i32)) / (1.0 - phi)
}

/// The state before day 0: each weekday's mean over the first four weeks
/// against their overall mean, no trend.
fn initial(input: &Input, closed: &[bool; 7]) -> State {
    let mut sum = [0.0; 7];
    let mut n = [0usize; 7];
    for (t, x) in input.totals.iter().enumerate().take(WARM_UP.max(14)) {
        if let Some(x) = x {
            sum[input.weekday(t)] += x;
            n[input.weekday(t)] += 1;
        }
    }
    let means: Vec<Option<f64>> = (0..7).map(|w| (n[w] > 0 && !closed[w]).then(|| sum[w] / n[w] as f64)).collect();
    let known: Vec<f64> = means.iter().flatten().copied().collect();
    let level = known.iter().sum::<f64>() / known.len().max(1) as f64;
    let season = std::array::from_fn(|w| match (closed[w], means[w]) {
        (true, _) => 0.0,
        (false, Some(m)) if level > 0.0 => m / level,
        _ => 1.0,
    });
    State { level, trend: 0.0, season, scale: 0.1 }
}

/// Runs the filter with `p` from `start` over every day; returns the
/// absolute error summed over the scored horizons past the warm-up, and
/// with `keep` records the state before each day and after the last.
fn run(input: &Input, closed: &[bool; 7], start: State, p: Params, mut keep: Option<&mut Vec<State>>) -> f64 {
    let n = input.totals.len();
    let most = SCORED[SCORED.len() - 1];
    // The states of the last `most` days, to score multi-day forecasts.
    let mut ring = vec![start; most + 1];
    let mut s = start;
    let mut loss = 0.0;
    let damps: Vec<f64> = SCORED.iter().map(|h| damped(p.phi, *h)).collect();
    for t in 0..n {
        ring[t % (most + 1)] = s;
        if let Some(k) = keep.as_deref_mut() {
            k.push(s);
        }
        let w = input.weekday(t);
        let x = input.totals[t];
        if t >= WARM_UP {
            if let (Some(x), false) = (x, closed[w]) {
                for (h, d) in SCORED.iter().zip(&damps) {
                    if *h <= t + 1 {
                        let o = &ring[(t + 1 - h) % (most + 1)];
                        loss += (x - (o.level + d * o.trend).max(0.0) * o.season[w]).abs();
                    }
                }
            }
        }
        s = step(s, x.filter(|_| !closed[w]), w, p, t >= 14);
    }
    if let Some(k) = keep {
        k.push(s);
    }
    loss
}

/// The state after a day of weekday `w` with total `x` (none: missing).
fn step(s: State, x: Option<f64>, w: usize, p: Params, clip: bool) -> State {
    let trended = s.level + p.phi * s.trend;
    let Some(x) = x else {
        return State { level: trended, trend: p.phi * s.trend, ..s };
    };
    let pred = trended * s.season[w];
    let mut next = s;
    let x = if pred > 0.0 {
        let u = x / pred - 1.0;
        next.scale = 0.95 * s.scale + 0.05 * u.abs().min(1.0);
        let bound = CLIP * s.scale;
        if clip {
            pred * (1.0 + u.clamp(-bound, bound))
        } else {
            x
        }
    } else {
        x
    };
    let season = if s.season[w] > 0.0 { s.season[w] } else { 1.0 };
    let level = (p.alpha * x / season + (1.0 - p.alpha) * trended).max(0.0);
    next.level = level;
    next.trend = p.beta * (level - s.level) + (1.0 - p.beta) * p.phi * s.trend;
    if level > 0.0 {
        next.season[w] = p.gamma * x / level + (1.0 - p.gamma) * s.season[w];
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_level_trend_and_weekdays_of_a_clean_series() {
        let factors = [1.2, 1.1, 1.0, 1.0, 0.9, 0.5, 0.3];
        let mean: f64 = factors.iter().sum::<f64>() / 7.0;
        let truth = |t: usize| (1000.0 + 2.0 * t as f64) * factors[t % 7] / mean;
        let totals: Vec<Option<f64>> = (0..200).map(|t| Some(truth(t))).collect();
        let m = Smoothing::fit(&totals, 0, 0, None).unwrap();
        for t in 200..214 {
            let f = m.predict(200, t);
            assert!((f / truth(t) - 1.0).abs() < 0.01, "day {t}: {f} vs {}", truth(t));
        }
        let w = m.weekday_factors();
        for d in 0..7 {
            assert!((w[d] - factors[d] / mean).abs() < 0.01, "{w:?}");
        }
    }

    #[test]
    fn a_closed_weekday_forecasts_zero_and_gaps_roll_forward() {
        let totals: Vec<Option<f64>> = (0..60)
            .map(|t| {
                if t % 7 == 6 {
                    Some(0.0)
                } else if t % 10 == 3 {
                    None
                } else {
                    Some(500.0)
                }
            })
            .collect();
        let m = Smoothing::fit(&totals, 0, 0, None).unwrap();
        assert_eq!(m.predict(60, 62), 0.0);
        assert!((m.predict(60, 60) - 500.0).abs() < 1.0);
    }
}
