//! Streaming counters of one replication, and the KPIs they define: what
//! the engine writes as it runs, per queue, team and interval. What
//! happens across replications is [`crate::stats`].

use std::ops::Range;

use crate::kpi::{Kpi, KpiValues};
use crate::model::{Queue, ServiceLevelRule};

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
    /// Answered contacts whose handle time is known (voice and deferred
    /// work at the answer, chat at its end).
    pub handle_n: u32,
    /// Their total handle time (wall time), seconds.
    pub handle_s: f64,
    /// Deferred work: items finished within the target hours of arrival.
    pub responded_within: u32,
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
        self.handle_n += o.handle_n;
        self.handle_s += o.handle_s;
        self.responded_within += o.responded_within;
    }
}

/// Deferred work finished in one interval (by the time it was finished).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FlowCell {
    /// Items finished.
    pub handled: u32,
    /// Their total time from arrival to finish, seconds.
    pub response_s: f64,
}

/// A deferred queue at an interval boundary.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BacklogCell {
    /// Items open (waiting or in hand).
    pub open: u32,
    /// Age of the oldest item waiting (not yet taken), seconds; 0 when
    /// none waits.
    pub oldest_age_s: f64,
}

/// Agent time of one team over one interval, seconds.
///
/// In this order: what every answer writes (`busy_s`, `handled`) lies at
/// bytes 16 to 28, which no cell of 48 bytes laid end to end splits
/// across two cache lines.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[repr(C)]
pub struct TeamCell {
    /// Logged in and not on a break (including finishing a contact after
    /// the shift ended).
    pub staffed_s: f64,
    /// Chat slots in use, slot-seconds.
    pub slots_used_s: f64,
    /// Holding at least one contact.
    pub busy_s: f64,
    /// Contacts its agents took (answered calls and chats, deferred items
    /// started), by the interval they arrived in: what a per-contact price
    /// is paid on.
    pub handled: u32,
    /// Chat slots staffed (staffed time × the team's chat capacity),
    /// slot-seconds.
    pub slots_staffed_s: f64,
    /// Paid time of agents absent unplanned (absence), agent-seconds.
    pub absent_s: f64,
}

const _: () = assert!(
    std::mem::size_of::<TeamCell>() == 48
        && std::mem::offset_of!(TeamCell, busy_s) == 16
        && std::mem::offset_of!(TeamCell, handled) + 4 <= 32
);

impl TeamCell {
    fn add(&mut self, o: &TeamCell) {
        self.staffed_s += o.staffed_s;
        self.busy_s += o.busy_s;
        self.slots_used_s += o.slots_used_s;
        self.slots_staffed_s += o.slots_staffed_s;
        self.absent_s += o.absent_s;
        self.handled += o.handled;
    }
}

/// Response times of finished deferred items, in bins whose width grows
/// geometrically: bin 0 holds [0, 1 min), bin b ≥ 1 holds
/// [60 · r^(b−1), 60 · r^b) seconds with r = [`RESPONSE_BIN_RATIO`], and the
/// last bin everything beyond. A percentile read from it is within half a
/// bin (±3%) of the exact one, up to about 80 days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseHistogram(Vec<u32>);

/// Bins of a [`ResponseHistogram`].
pub const RESPONSE_BINS: usize = 200;
/// Ratio of the bounds of consecutive bins.
pub const RESPONSE_BIN_RATIO: f64 = 1.06;

impl ResponseHistogram {
    fn bin(seconds: f64) -> usize {
        if seconds < 60.0 {
            return 0;
        }
        let b = ((seconds / 60.0).ln() / RESPONSE_BIN_RATIO.ln()).floor() as usize + 1;
        b.min(RESPONSE_BINS - 1)
    }

    /// Counts one response time, seconds.
    pub fn add(&mut self, seconds: f64) {
        if self.0.is_empty() {
            self.0 = vec![0; RESPONSE_BINS];
        }
        self.0[Self::bin(seconds)] += 1;
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &ResponseHistogram) {
        if other.0.is_empty() {
            return;
        }
        if self.0.is_empty() {
            self.0 = vec![0; RESPONSE_BINS];
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }

    /// The `p` quantile (0..1), seconds: the geometric middle of the bin
    /// that holds it (half the first bin's width in bin 0). `None` when
    /// empty.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        let total: u64 = self.0.iter().map(|&c| c as u64).sum();
        if total == 0 {
            return None;
        }
        let rank = (p * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0u64;
        let b = self.0.iter().position(|&c| {
            seen += c as u64;
            seen >= rank
        })?;
        Some(if b == 0 { 30.0 } else { 60.0 * RESPONSE_BIN_RATIO.powf(b as f64 - 0.5) })
    }
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
    flow: Vec<FlowCell>,
    /// Per queue, `len + 1` boundaries.
    backlog: Vec<BacklogCell>,
    /// Per queue and reported day; empty in a window.
    days: usize,
    responses: Vec<ResponseHistogram>,
}

impl Counters {
    /// All zero, over every interval, with response histograms for `days`
    /// days.
    pub fn new(queues: usize, teams: usize, intervals: usize, days: usize) -> Self {
        let mut c = Self::window(queues, teams, 0, intervals);
        c.days = days;
        c.responses = vec![ResponseHistogram::default(); queues * days];
        c
    }

    /// All zero, over intervals `first..first + len` only (no response
    /// histograms).
    pub fn window(queues: usize, teams: usize, first: usize, len: usize) -> Self {
        Self {
            first,
            len,
            queue: vec![QueueCell::default(); queues * len],
            team: vec![TeamCell::default(); teams * len],
            flow: vec![FlowCell::default(); queues * len],
            backlog: vec![BacklogCell::default(); queues * (len + 1)],
            days: 0,
            responses: Vec::new(),
        }
    }

    /// The window's first interval and its length.
    pub fn span(&self) -> Range<usize> {
        self.first..self.first + self.len
    }

    fn slot(&self, i: usize) -> Option<usize> {
        i.checked_sub(self.first).filter(|k| *k < self.len)
    }

    /// Queue `q`'s counters of interval `i`, if the window holds it.
    #[inline]
    pub fn queue_cell(&mut self, q: usize, i: usize) -> Option<&mut QueueCell> {
        let k = self.slot(i)?;
        Some(&mut self.queue[q * self.len + k])
    }

    /// Queue `q`'s finished deferred work of interval `i`, if the window holds it.
    pub fn flow_cell(&mut self, q: usize, i: usize) -> Option<&mut FlowCell> {
        let k = self.slot(i)?;
        Some(&mut self.flow[q * self.len + k])
    }

    /// Queue `q`'s backlog at the start of interval `i` (`i` may be the
    /// window's end), if the window holds that boundary.
    pub fn backlog_cell(&mut self, q: usize, i: usize) -> Option<&mut BacklogCell> {
        let k = i.checked_sub(self.first).filter(|k| *k <= self.len)?;
        Some(&mut self.backlog[q * (self.len + 1) + k])
    }

    /// Queue `q`'s response histogram of day `d`, if kept.
    pub fn response_histogram(&mut self, q: usize, d: usize) -> Option<&mut ResponseHistogram> {
        (d < self.days).then(|| &mut self.responses[q * self.days + d])
    }

    /// Queue `q`'s counters, one per interval of the window.
    pub fn queue_cells(&self, q: usize) -> &[QueueCell] {
        &self.queue[q * self.len..(q + 1) * self.len]
    }

    /// Team `t`'s agent time, one per interval of the window.
    pub fn team_cells(&self, t: usize) -> &[TeamCell] {
        &self.team[t * self.len..(t + 1) * self.len]
    }

    /// Queue `q`'s finished deferred work, one per interval of the window.
    pub fn flow_cells(&self, q: usize) -> &[FlowCell] {
        &self.flow[q * self.len..(q + 1) * self.len]
    }

    /// Queue `q`'s backlog at each boundary of the window (`len + 1`).
    pub fn backlog_cells(&self, q: usize) -> &[BacklogCell] {
        &self.backlog[q * (self.len + 1)..(q + 1) * (self.len + 1)]
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
        self.queue_sum(q, self.span())
    }

    /// Team `t`'s counters of interval `i`, if the window holds it.
    #[inline]
    pub fn team_cell(&mut self, t: usize, i: usize) -> Option<&mut TeamCell> {
        let k = self.slot(i)?;
        Some(&mut self.team[t * self.len + k])
    }

    /// Agent time of `teams` summed over intervals `range` (inside the window).
    pub fn team_sum(&self, teams: &[usize], range: Range<usize>) -> TeamCell {
        let mut sum = TeamCell::default();
        for &t in teams {
            for c in &self.team_cells(t)[self.local(range.clone())] {
                sum.add(c);
            }
        }
        sum
    }

    /// Queue `q`'s finished deferred work over intervals `range`.
    pub fn flow_sum(&self, q: usize, range: Range<usize>) -> FlowCell {
        let mut sum = FlowCell::default();
        for c in &self.flow_cells(q)[self.local(range)] {
            sum.handled += c.handled;
            sum.response_s += c.response_s;
        }
        sum
    }

    /// Queue `q`'s response histogram over days `days` (empty outside them).
    pub fn responses(&self, q: usize, days: Range<usize>) -> ResponseHistogram {
        let mut sum = ResponseHistogram::default();
        for d in days.filter(|d| *d < self.days) {
            sum.merge(&self.responses[q * self.days + d]);
        }
        sum
    }

    /// Adds to team `t` over `[start, end)`: `add` is called with each
    /// overlapped interval's cell and the seconds of overlap.
    #[inline]
    pub fn spread_team(
        &mut self,
        t: usize,
        start: f64,
        end: f64,
        interval: IntervalLength,
        add: impl FnMut(&mut TeamCell, f64),
    ) {
        let first = self.first;
        let cells = &mut self.team[t * self.len..(t + 1) * self.len];
        spread(cells, first, start, end, interval, add);
    }
}

/// An interval's length, with its inverse so that finding the interval of
/// an instant (for every contact) is a multiply, not a divide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalLength {
    seconds: f64,
    inverse: f64,
}

impl IntervalLength {
    /// An interval of `seconds` (> 0).
    pub fn new(seconds: f64) -> Self {
        Self { seconds, inverse: 1.0 / seconds }
    }

    /// The length, seconds.
    pub fn seconds(self) -> f64 {
        self.seconds
    }
}

/// The earlier of two instants, neither NaN: one instruction, where
/// `f64::min` spends more to handle NaN (this runs for every event).
#[inline]
pub(crate) fn earlier(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// The later of two instants, neither NaN (see [`earlier`]).
#[inline]
fn later(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Splits `[start, end)` (seconds from the first reported instant) over the
/// intervals of the window starting at interval `first` that it overlaps,
/// calling `add` with each overlap in seconds.
#[inline]
fn spread(
    cells: &mut [TeamCell],
    first: usize,
    start: f64,
    end: f64,
    interval: IntervalLength,
    mut add: impl FnMut(&mut TeamCell, f64),
) {
    let interval_s = interval.seconds;
    let origin = first as f64 * interval_s;
    let window_end = origin + cells.len() as f64 * interval_s;
    let (mut a, b) = (later(start, origin), earlier(end, window_end));
    if a >= b {
        return;
    }
    // A multiply by the inverse instead of a divide (this runs for every
    // contact); the product may land one ulp short of a boundary, so step
    // over a cell that ends where the span starts.
    let mut i = (((a - origin) * interval.inverse) as usize).min(cells.len() - 1);
    if i + 1 < cells.len() && origin + (i + 1) as f64 * interval_s <= a {
        i += 1;
    }
    loop {
        let cell_end = earlier(origin + (i + 1) as f64 * interval_s, b);
        add(&mut cells[i], cell_end - a);
        a = cell_end;
        i += 1;
        if a >= b || i == cells.len() {
            break;
        }
    }
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// What a queue's KPIs over a period are computed from.
pub struct PeriodCounts<'a> {
    /// The replication's counters.
    pub counters: &'a Counters,
    /// The queue's index.
    pub q: usize,
    /// Its intervals.
    pub intervals: Range<usize>,
    /// Its reported days, when the period is made of whole days.
    pub days: Option<Range<usize>>,
    /// Deferred work: the intervals before this one have their arrivals'
    /// deadlines within the horizon; a later arrival's outcome is pending
    /// and left out of the service level (`usize::MAX`: none pending).
    pub decided_until: usize,
}

/// One replication's KPIs of `queue` over a period.
pub fn queue_kpis(queue: &Queue, rule: ServiceLevelRule, p: &PeriodCounts) -> KpiValues {
    let c = p.counters.queue_sum(p.q, p.intervals.clone());
    let agents = p.counters.team_sum(&queue.served_by, p.intervals.clone());
    let mut v = KpiValues::default();
    v.set(Kpi::Occupancy, ratio(agents.busy_s, agents.staffed_s));
    v.set(Kpi::Aht, ratio(c.handle_s, c.handle_n as f64));
    if queue.channel.is_live() {
        live_kpis(&mut v, &c, &agents, rule, queue.channel.is_concurrent());
    } else {
        deferred_kpis(&mut v, &c, p);
    }
    v
}

/// The denominator of a live queue's service level under `rule`.
pub fn service_level_base(c: &QueueCell, rule: ServiceLevelRule) -> f64 {
    match rule {
        ServiceLevelRule::Offered => c.offered as f64,
        ServiceLevelRule::OfferedLessShortAbandons => (c.offered - c.abandoned_within) as f64,
        ServiceLevelRule::Answered => c.answered as f64,
    }
}

fn live_kpis(v: &mut KpiValues, c: &QueueCell, agents: &TeamCell, rule: ServiceLevelRule, chat: bool) {
    let sl_base = service_level_base(c, rule);
    v.set(Kpi::Offered, Some(c.offered as f64));
    v.set(Kpi::Answered, Some(c.answered as f64));
    v.set(Kpi::Abandoned, Some(c.abandoned as f64));
    v.set(Kpi::ServiceLevel, ratio(c.answered_within as f64, sl_base));
    v.set(Kpi::Asa, ratio(c.wait_answered_s, c.answered as f64));
    v.set(Kpi::AbandonRate, ratio(c.abandoned as f64, c.offered as f64));
    if chat {
        v.set(Kpi::SlotUtilization, ratio(agents.slots_used_s, agents.slots_staffed_s));
    }
}

fn deferred_kpis(v: &mut KpiValues, c: &QueueCell, p: &PeriodCounts) {
    let flow = p.counters.flow_sum(p.q, p.intervals.clone());
    let boundaries = p.counters.backlog_cells(p.q);
    let local = p.intervals.start - p.counters.span().start..p.intervals.end - p.counters.span().start;
    let (start, end) = (boundaries[local.start], boundaries[local.end]);
    let peak = boundaries[local.start..=local.end].iter().map(|b| b.open).max().unwrap_or(0);
    v.set(Kpi::Arrived, Some(c.offered as f64));
    v.set(Kpi::Handled, Some(flow.handled as f64));
    v.set(Kpi::BacklogStart, Some(start.open as f64));
    v.set(Kpi::BacklogEnd, Some(end.open as f64));
    v.set(Kpi::PeakBacklog, Some(peak as f64));
    v.set(Kpi::OldestAge, Some(end.oldest_age_s));
    let decided = p.intervals.start..p.intervals.end.min(p.decided_until);
    if !decided.is_empty() {
        let cohort = p.counters.queue_sum(p.q, decided);
        v.set(Kpi::ServiceLevel, ratio(cohort.responded_within as f64, cohort.offered as f64));
    }
    v.set(Kpi::ResponseTime, ratio(flow.response_s, flow.handled as f64));
    let p90 = p.days.clone().and_then(|d| p.counters.responses(p.q, d).quantile(0.9));
    v.set(Kpi::ResponseTimeP90, p90);
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn spread_splits_time_across_interval_boundaries_and_clips_the_span() {
        let mut c = Counters::new(0, 1, 3, 0);
        c.spread_team(0, -10.0, 25.0, IntervalLength::new(10.0), |c, s| c.busy_s += s);
        c.spread_team(0, 28.0, 40.0, IntervalLength::new(10.0), |c, s| c.busy_s += s);
        let busy: Vec<f64> = c.team_cells(0).iter().map(|t| t.busy_s).collect();
        assert_eq!(busy, vec![10.0, 10.0, 7.0]);
    }

    #[test]
    fn a_window_counts_only_its_intervals() {
        let mut c = Counters::window(1, 1, 2, 2);
        assert!(c.queue_cell(0, 1).is_none());
        c.queue_cell(0, 3).unwrap().offered = 5;
        assert!(c.queue_cell(0, 4).is_none());
        c.spread_team(0, 0.0, 100.0, IntervalLength::new(10.0), |c, s| c.busy_s += s);
        let busy: Vec<f64> = c.team_cells(0).iter().map(|t| t.busy_s).collect();
        assert_eq!(busy, vec![10.0, 10.0]);
        assert_eq!(c.queue_sum(0, 3..4).offered, 5);
        assert_eq!(c.total(0).offered, 5);
    }

    #[test]
    fn response_quantiles_are_within_half_a_bin() {
        let mut h = ResponseHistogram::default();
        assert_eq!(h.quantile(0.9), None);
        // 1..=1000 minutes: the exact P90 is 900 minutes.
        for m in 1..=1000 {
            h.add(m as f64 * 60.0);
        }
        let p90 = h.quantile(0.9).unwrap() / 60.0;
        assert!((p90 / 900.0 - 1.0).abs() < 0.03, "{p90}");
        let mut both = ResponseHistogram::default();
        both.merge(&h);
        both.merge(&h);
        assert_eq!(both.quantile(0.9), h.quantile(0.9));
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
        let sl = |rule| {
            let mut v = KpiValues::default();
            live_kpis(&mut v, &c, &TeamCell::default(), rule, false);
            v.get(Kpi::ServiceLevel).unwrap()
        };
        assert_eq!(sl(ServiceLevelRule::Offered), 0.6);
        assert!((sl(ServiceLevelRule::OfferedLessShortAbandons) - 6.0 / 9.0).abs() < 1e-12);
        assert_eq!(sl(ServiceLevelRule::Answered), 0.75);
    }
}
