//! Coverage holes: intervals in which a live queue expects arrivals and
//! no team that serves it has an agent on duty, so every contact of them
//! waits or abandons whatever the staffing elsewhere. `validate` and
//! `run` warn of them; the rostering commands name them before spending
//! rounds.

use super::Model;

/// A live queue's intervals with arrivals and nobody on duty to take them.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageHole {
    /// The queue, an index into the model's queues.
    pub queue: usize,
    /// The reported intervals concerned, in time order.
    pub intervals: Vec<usize>,
}

impl Model {
    /// Per live queue (voice, chat) with a hole, the reported intervals in
    /// which its arrival rate is above zero and no shift of a team serving
    /// it is logged in (outages and breaks aside: a planned outage is no
    /// hole of the roster). Deferred work (email, case) waits for the next
    /// shift by design and is left out.
    pub fn coverage_holes(&self) -> Vec<CoverageHole> {
        let mut on_duty = vec![vec![false; self.n_intervals]; self.teams.len()];
        for shift in self.shifts.iter().filter(|s| s.agents > 0) {
            for i in self.intervals_within(shift.login_s, shift.logout_s) {
                on_duty[shift.team][i] = true;
            }
        }
        self.holes_where(&on_duty)
    }

    /// Per live queue with a hole, the reported intervals in which its
    /// arrival rate is above zero and no team serving it is on duty by
    /// `on_duty` (per team, per reported interval): with the teams'
    /// availability (a fixed shift or a start their rules allow), what no
    /// roster can cover.
    pub fn holes_where(&self, on_duty: &[Vec<bool>]) -> Vec<CoverageHole> {
        let n = self.n_intervals;
        let mut holes = Vec::new();
        for (q, queue) in self.queues.iter().enumerate() {
            if !queue.channel.is_live() {
                continue;
            }
            let mut arrivals = vec![false; n];
            for seg in queue.arrivals.iter().filter(|s| s.rate_per_s > 0.0) {
                for i in self.intervals_within(seg.start_s, seg.end_s) {
                    arrivals[i] = true;
                }
            }
            let serving: Vec<usize> = (0..self.teams.len()).filter(|&t| self.teams[t].serves(q)).collect();
            let intervals: Vec<usize> =
                (0..n).filter(|&i| arrivals[i] && !serving.iter().any(|&t| on_duty[t][i])).collect();
            if !intervals.is_empty() {
                holes.push(CoverageHole { queue: q, intervals });
            }
        }
        holes
    }

    /// The reported intervals that `[start_s, end_s)` (seconds) overlaps.
    fn intervals_within(&self, start_s: f64, end_s: f64) -> std::ops::Range<usize> {
        let n = self.n_intervals;
        let first = (start_s / self.interval_s).floor().clamp(0.0, n as f64) as usize;
        let last = if end_s.is_finite() { (end_s / self.interval_s).ceil().clamp(0.0, n as f64) as usize } else { n };
        first..last.max(first)
    }
}
