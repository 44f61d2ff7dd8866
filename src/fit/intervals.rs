//! What an interval history alone tells, per queue: AHT (total handle
//! time over answered contacts), the abandonment share, the service level,
//! ASA, and each by interval of day; and patience from the abandonment–
//! wait relation. For exponential patience of mean θ, every second a
//! contact waits it abandons with rate 1/θ, so θ = total waiting time (of
//! answered and abandoned contacts) / abandoned: the same estimate the
//! records give, from interval sums. Without the abandoned contacts' wait
//! only a lower bound follows (answered waits / abandoned); without waits,
//! nothing. Only intervals that have every figure a ratio needs enter it.

use serde::Serialize;

use super::special::chi2_quantile;
use super::Ci;
use crate::history::intervals::{known, QueueIntervals, Row};

/// Figures of one interval of day (over every day of the history).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeOfDay {
    /// Local start, `HH:MM`.
    pub start: String,
    /// Intervals (days) with data.
    pub intervals: u64,
    /// Mean offered.
    pub offered_mean: f64,
    /// AHT, seconds.
    pub aht_s: Option<f64>,
    /// Abandoned / offered.
    pub abandon_share: Option<f64>,
    /// Mean staffed agents.
    pub agents_mean: Option<f64>,
}

/// Patience from interval sums.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalPatience {
    /// Exponential mean, seconds, with its 95% interval (chi-square on 2 ×
    /// abandoned degrees of freedom).
    Mean(Ci),
    /// At least this many seconds (the abandoned contacts' waits unknown).
    AtLeast(f64),
}

/// One queue's figures from its interval history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalFit {
    /// Intervals read.
    pub intervals: u64,
    /// Contacts offered.
    pub offered: f64,
    /// AHT, seconds.
    pub aht_s: Option<f64>,
    /// Abandoned / offered.
    pub abandon_share: Option<f64>,
    /// Answered within the threshold / offered.
    pub service_level: Option<f64>,
    /// The threshold, seconds (when one for every interval).
    pub within_s: Option<f64>,
    /// Mean wait of answered contacts, seconds.
    pub asa_s: Option<f64>,
    /// Mean staffed agents.
    pub agents_mean: Option<f64>,
    /// Patience, where the waits allow.
    pub patience: Option<IntervalPatience>,
    /// By interval of day.
    pub by_time_of_day: Vec<TimeOfDay>,
}

/// A ratio of sums over the rows where both parts are known.
#[derive(Debug, Clone, Copy, Default)]
struct Ratio {
    num: f64,
    den: f64,
}

impl Ratio {
    fn add(&mut self, num: Option<f64>, den: Option<f64>) {
        if let (Some(n), Some(d)) = (num, den) {
            self.num += n;
            self.den += d;
        }
    }

    fn value(&self) -> Option<f64> {
        (self.den > 0.0).then(|| self.num / self.den)
    }
}

/// Sums of one group of rows.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    intervals: u64,
    offered: f64,
    aht: Ratio,
    abandon: Ratio,
    service: Ratio,
    asa: Ratio,
    agents: Ratio,
}

impl Sums {
    fn add(&mut self, r: &Row) {
        self.intervals += 1;
        self.offered += r.offered as f64;
        let offered = known(r.offered);
        self.aht.add(known(r.handle_s), known(r.answered));
        self.abandon.add(known(r.abandoned), offered);
        self.service.add(known(r.answered_within), offered);
        self.asa.add(known(r.wait_answered_s), known(r.answered));
        self.agents.add(known(r.agents), Some(1.0).filter(|_| !r.agents.is_nan()));
    }
}

/// The figures of queue `q`, intervals `interval_minutes` long.
pub fn fit(q: &QueueIntervals, interval_minutes: u32) -> IntervalFit {
    let mut all = Sums::default();
    let slots = (1440 / interval_minutes) as usize;
    let mut by_slot = vec![Sums::default(); slots];
    let (mut waits, mut abandoned, mut answered_waits) = (0.0, 0.0, Ratio::default());
    let mut thresholds: Option<Option<f32>> = None;
    for r in &q.rows {
        all.add(r);
        by_slot[(r.minute_of_day as usize / interval_minutes as usize).min(slots - 1)].add(r);
        if let (Some(wa), Some(wb), Some(ab)) =
            (known(r.wait_answered_s), known(r.wait_abandoned_s), known(r.abandoned))
        {
            waits += wa + wb;
            abandoned += ab;
        }
        answered_waits.add(known(r.wait_answered_s), known(r.abandoned));
        if !r.answered_within.is_nan() {
            thresholds = match thresholds {
                None => Some(Some(r.within_s)),
                Some(Some(t)) if t == r.within_s => Some(Some(t)),
                _ => Some(None),
            };
        }
    }
    let patience = if abandoned > 0.0 {
        let (theta, df) = (waits / abandoned, 2.0 * abandoned);
        Some(IntervalPatience::Mean(Ci {
            value: theta,
            low: df * theta / chi2_quantile(0.975, df),
            high: df * theta / chi2_quantile(0.025, df),
        }))
    } else {
        answered_waits.value().filter(|v| v.is_finite()).map(IntervalPatience::AtLeast)
    };
    let by_time_of_day = by_slot
        .iter()
        .enumerate()
        .filter(|(_, s)| s.intervals > 0)
        .map(|(i, s)| {
            let minute = i * interval_minutes as usize;
            TimeOfDay {
                start: format!("{:02}:{:02}", minute / 60, minute % 60),
                intervals: s.intervals,
                offered_mean: s.offered / s.intervals as f64,
                aht_s: s.aht.value(),
                abandon_share: s.abandon.value(),
                agents_mean: s.agents.value(),
            }
        })
        .collect();
    IntervalFit {
        intervals: all.intervals,
        offered: all.offered,
        aht_s: all.aht.value(),
        abandon_share: all.abandon.value(),
        service_level: all.service.value(),
        within_s: thresholds.flatten().filter(|t| !t.is_nan()).map(f64::from),
        asa_s: all.asa.value(),
        agents_mean: all.agents.value(),
        patience,
        by_time_of_day,
    }
}
