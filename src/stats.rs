//! Streaming counters of one replication, the KPIs they define, and the
//! summary of a KPI across replications (mean, Student-t interval,
//! percentiles).

use std::ops::Range;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::model::ServiceLevelRule;

/// Counts for one queue over one interval, by the interval the contacts
/// arrived in.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueueCell {
    /// Contacts that arrived.
    pub offered: u32,
    /// Contacts an agent took.
    pub answered: u32,
    /// Contacts whose patience ran out first.
    pub abandoned: u32,
    /// Answered with a wait of at most the threshold.
    pub answered_within: u32,
    /// Abandoned with a patience of at most the threshold.
    pub abandoned_within: u32,
    /// Still waiting, with no patience limit, when the simulation ended.
    pub unserved: u32,
    /// Total wait of answered contacts, seconds.
    pub wait_answered_s: f64,
    /// Total handle time of answered contacts, seconds.
    pub handle_s: f64,
}

impl QueueCell {
    fn add(&mut self, o: &QueueCell) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.answered_within += o.answered_within;
        self.abandoned_within += o.abandoned_within;
        self.unserved += o.unserved;
        self.wait_answered_s += o.wait_answered_s;
        self.handle_s += o.handle_s;
    }
}

/// Agent time of one team over one interval, seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TeamCell {
    /// Logged in and not on a break (including finishing a contact after
    /// the shift ended).
    pub staffed_s: f64,
    /// Handling contacts.
    pub busy_s: f64,
}

/// Every counter of one replication: per queue and per team, per interval,
/// over a window of intervals (all of them unless the staffing search asks
/// for fewer). Its size depends on queues, teams and intervals, never on
/// contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Counters {
    /// First interval counted.
    first: usize,
    /// Intervals counted.
    len: usize,
    queue: Vec<QueueCell>,
    team: Vec<TeamCell>,
}

impl Counters {
    /// All zero, over every interval.
    pub fn new(queues: usize, teams: usize, intervals: usize) -> Self {
        Self::window(queues, teams, 0, intervals)
    }

    /// All zero, over intervals `first..first + len` only.
    pub fn window(queues: usize, teams: usize, first: usize, len: usize) -> Self {
        Self {
            first,
            len,
            queue: vec![QueueCell::default(); queues * len],
            team: vec![TeamCell::default(); teams * len],
        }
    }

    /// Queue `q`'s counters of interval `i`, if the window holds it.
    pub fn queue_cell(&mut self, q: usize, i: usize) -> Option<&mut QueueCell> {
        let k = i.checked_sub(self.first).filter(|k| *k < self.len)?;
        Some(&mut self.queue[q * self.len + k])
    }

    /// Queue `q`'s counters, one per interval of the window.
    pub fn queue_cells(&self, q: usize) -> &[QueueCell] {
        &self.queue[q * self.len..(q + 1) * self.len]
    }

    /// Team `t`'s agent time, one per interval of the window.
    pub fn team_cells(&self, t: usize) -> &[TeamCell] {
        &self.team[t * self.len..(t + 1) * self.len]
    }

    fn local(&self, range: Range<usize>) -> Range<usize> {
        range.start - self.first..range.end - self.first
    }

    /// Queue `q`'s counters summed over intervals `range` (inside the window).
    pub fn queue_sum(&self, q: usize, range: Range<usize>) -> QueueCell {
        let mut sum = QueueCell::default();
        for c in &self.queue_cells(q)[self.local(range)] {
            sum.add(c);
        }
        sum
    }

    /// Queue `q`'s counters over the whole window.
    pub fn total(&self, q: usize) -> QueueCell {
        self.queue_sum(q, self.first..self.first + self.len)
    }

    /// Staffed and busy seconds of `teams` summed over intervals `range`
    /// (inside the window).
    pub fn team_sum(&self, teams: &[usize], range: Range<usize>) -> TeamCell {
        let mut sum = TeamCell::default();
        for &t in teams {
            for c in &self.team_cells(t)[self.local(range.clone())] {
                sum.staffed_s += c.staffed_s;
                sum.busy_s += c.busy_s;
            }
        }
        sum
    }

    /// Adds team `t`'s busy time over `[start, end)` to the intervals it covers.
    pub fn add_busy(&mut self, t: usize, start: f64, end: f64, interval_s: f64) {
        let first = self.first;
        let cells = &mut self.team[t * self.len..(t + 1) * self.len];
        spread(cells, first, start, end, interval_s, |c, s| c.busy_s += s);
    }

    /// Adds `agents` staffed agents over `[start, end)` to team `t`.
    pub fn add_staffed(&mut self, t: usize, start: f64, end: f64, agents: f64, interval_s: f64) {
        if agents == 0.0 {
            return;
        }
        let first = self.first;
        let cells = &mut self.team[t * self.len..(t + 1) * self.len];
        spread(cells, first, start, end, interval_s, |c, s| c.staffed_s += agents * s);
    }
}

/// Splits `[start, end)` (seconds from the first reported instant) over the
/// intervals of the window starting at interval `first` that it overlaps,
/// calling `add` with each overlap in seconds.
fn spread(
    cells: &mut [TeamCell],
    first: usize,
    start: f64,
    end: f64,
    interval_s: f64,
    mut add: impl FnMut(&mut TeamCell, f64),
) {
    let origin = first as f64 * interval_s;
    let window_end = origin + cells.len() as f64 * interval_s;
    let (mut a, b) = (start.max(origin), end.min(window_end));
    while a < b {
        let i = (((a - origin) / interval_s) as usize).min(cells.len() - 1);
        let cell_end = (origin + (i + 1) as f64 * interval_s).min(b);
        add(&mut cells[i], cell_end - a);
        a = cell_end;
    }
}

/// The KPIs of one queue over one span of one replication. Ratios are
/// `None` where undefined (nothing offered, no agent staffed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kpis {
    /// Contacts that arrived.
    pub offered: f64,
    /// Contacts answered.
    pub answered: f64,
    /// Contacts abandoned.
    pub abandoned: f64,
    /// Service level by the scenario's rule.
    pub service_level: Option<f64>,
    /// Mean wait of answered contacts, seconds.
    pub asa_s: Option<f64>,
    /// Abandoned / offered.
    pub abandon_rate: Option<f64>,
    /// Busy / staffed time of the teams that serve the queue.
    pub occupancy: Option<f64>,
    /// Mean handle time of answered contacts, seconds.
    pub aht_s: Option<f64>,
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

impl Kpis {
    /// KPIs from summed counters and the agent time of the serving teams.
    pub fn from_counts(c: &QueueCell, agents: &TeamCell, rule: ServiceLevelRule) -> Self {
        let sl_base = match rule {
            ServiceLevelRule::Offered => c.offered as f64,
            ServiceLevelRule::OfferedLessShortAbandons => (c.offered - c.abandoned_within) as f64,
            ServiceLevelRule::Answered => c.answered as f64,
        };
        Self {
            offered: c.offered as f64,
            answered: c.answered as f64,
            abandoned: c.abandoned as f64,
            service_level: ratio(c.answered_within as f64, sl_base),
            asa_s: ratio(c.wait_answered_s, c.answered as f64),
            abandon_rate: ratio(c.abandoned as f64, c.offered as f64),
            occupancy: ratio(agents.busy_s, agents.staffed_s),
            aht_s: ratio(c.handle_s, c.answered as f64),
        }
    }
}

/// One KPI across replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
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

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
pub fn student_t_975(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64).expect("df ≥ 1").inverse_cdf(0.975)
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
    fn spread_splits_time_across_interval_boundaries_and_clips_the_span() {
        let mut c = Counters::new(0, 1, 3);
        c.add_busy(0, -10.0, 25.0, 10.0);
        c.add_busy(0, 28.0, 40.0, 10.0);
        let busy: Vec<f64> = c.team_cells(0).iter().map(|t| t.busy_s).collect();
        assert_eq!(busy, vec![10.0, 10.0, 7.0]);
    }

    #[test]
    fn a_window_counts_only_its_intervals() {
        let mut c = Counters::window(1, 1, 2, 2);
        assert!(c.queue_cell(0, 1).is_none());
        c.queue_cell(0, 3).unwrap().offered = 5;
        assert!(c.queue_cell(0, 4).is_none());
        c.add_busy(0, 0.0, 100.0, 10.0);
        let busy: Vec<f64> = c.team_cells(0).iter().map(|t| t.busy_s).collect();
        assert_eq!(busy, vec![10.0, 10.0]);
        assert_eq!(c.queue_sum(0, 3..4).offered, 5);
        assert_eq!(c.total(0).offered, 5);
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
    fn service_level_rules_use_their_denominators() {
        let c = QueueCell {
            offered: 10,
            answered: 8,
            abandoned: 2,
            answered_within: 6,
            abandoned_within: 1,
            ..Default::default()
        };
        let sl = |rule| Kpis::from_counts(&c, &TeamCell::default(), rule).service_level.unwrap();
        assert_eq!(sl(ServiceLevelRule::Offered), 0.6);
        assert!((sl(ServiceLevelRule::OfferedLessShortAbandons) - 6.0 / 9.0).abs() < 1e-12);
        assert_eq!(sl(ServiceLevelRule::Answered), 0.75);
    }
}
