//! Recording: what happens is counted into per-interval cells as it
//! happens (contacts by the interval they arrived in, agent time by the
//! interval it is spent in, deferred work by when it is finished, the
//! backlog at every interval boundary). Nothing per contact is kept.

use super::agents::SlotUse;
use super::grid::Grid;
use super::queues::Waiting;
use crate::counters::{Counters, IntervalLength, QueueCell};
use crate::model::Model;

/// Time-weighted count (agents staffed) integrated into interval cells.
#[derive(Clone, Copy)]
struct StaffedClock {
    agents: u32,
    since: f64,
}

/// A deferred queue's open items, sampled at each interval boundary.
#[derive(Clone, Copy)]
struct BacklogClock {
    open: u32,
    /// Arrival of the oldest item waiting, seconds (infinite: none).
    oldest_arrival: f64,
    /// The next boundary to sample.
    next_boundary: usize,
}

/// What became of a contact of the reported horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactOutcome {
    /// An agent took it.
    Answered,
    /// Its patience ran out first.
    Abandoned,
    /// Never answered and never out of patience (no patience, or no team
    /// serves its queue).
    Unserved,
}

/// One contact, once its outcome is known: what an observer of a
/// replication sees ([`super::simulate_observed`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contact {
    /// Its queue, an index into the model's queues.
    pub queue: u32,
    /// When it arrived, seconds from the first reported instant.
    pub arrival_s: f64,
    /// What became of it.
    pub outcome: ContactOutcome,
    /// How long it waited, seconds: until answered, or until its patience
    /// ran out; `NaN` when unserved.
    pub wait_s: f64,
    /// Its handle time (a chat's wall time), seconds; `NaN` unless
    /// answered.
    pub handle_s: f64,
}

/// Appends `c` to `log`; out of line, so that the test of whether a
/// replication is observed is all the hot path carries.
#[cold]
#[inline(never)]
fn log_contact(log: &mut Vec<Contact>, c: Contact) {
    log.push(c);
}

#[derive(Clone)]
pub(super) struct Recorder<'m> {
    model: &'m Model,
    pub(super) counters: Counters,
    /// Every contact of the reported horizon once its outcome is known,
    /// when observed; checked once per contact, `None` otherwise.
    pub(super) log: Option<Vec<Contact>>,
    staffed: Vec<StaffedClock>,
    /// Per queue, its service-level threshold, seconds (the model's,
    /// dense: read at every abandonment and deferred item finished).
    within_s: Vec<f64>,
    /// Per team, the most chats one of its agents holds.
    chat_capacity: Vec<u32>,
    backlog: Vec<BacklogClock>,
    grid: Grid,
    interval: IntervalLength,
}

impl<'m> Recorder<'m> {
    pub(super) fn new(model: &'m Model, start: f64) -> Self {
        let (queues, teams) = (model.queues.len(), model.teams.len());
        Recorder {
            model,
            counters: Counters::new(queues, teams, model.n_intervals, model.days.len()),
            log: None,
            staffed: vec![StaffedClock { agents: 0, since: start }; teams],
            within_s: model.queues.iter().map(|q| q.targets.within_s).collect(),
            chat_capacity: model.teams.iter().map(|t| t.chat_capacity(&model.queues)).collect(),
            backlog: vec![BacklogClock { open: 0, oldest_arrival: f64::INFINITY, next_boundary: 0 }; queues],
            grid: Grid::new(model.interval_s, model.n_intervals, model.report_end_s()),
            interval: IntervalLength::new(model.interval_s),
        }
    }

    /// Counters from now on cover only intervals `first..first + len`.
    pub(super) fn restrict(&mut self, first: usize, len: usize) {
        let m = self.model;
        self.counters = Counters::window(m.queues.len(), m.teams.len(), first, len);
        for b in &mut self.backlog {
            b.next_boundary = b.next_boundary.max(first);
        }
    }

    #[inline]
    fn interval_of(&mut self, t: f64) -> Option<usize> {
        self.grid.interval_of(t)
    }

    #[inline]
    fn cell(&mut self, q: usize, t: f64) -> Option<&mut QueueCell> {
        let i = self.interval_of(t)?;
        self.counters.queue_cell(q, i)
    }

    /// Logs a contact whose outcome is now known, when observed: one
    /// test of an `Option` per contact otherwise.
    #[inline]
    fn observe(&mut self, q: usize, arrival_s: f64, outcome: ContactOutcome, wait_s: f64, handle_s: f64) {
        if let Some(log) = &mut self.log {
            log_contact(log, Contact { queue: q as u32, arrival_s, outcome, wait_s, handle_s });
        }
    }

    /// [`Recorder::observe`] out of line, for the paths the event loop
    /// inlines (abandonment, chats, unserved contacts): they keep their
    /// code as it was but for one call.
    #[inline(never)]
    fn observe_out_of_line(&mut self, q: usize, arrival_s: f64, outcome: ContactOutcome, wait_s: f64, handle_s: f64) {
        self.observe(q, arrival_s, outcome, wait_s, handle_s);
    }

    #[inline]
    pub(super) fn offered(&mut self, q: usize, now: f64) {
        if let Some(cell) = self.cell(q, now) {
            cell.offered += 1;
        }
    }

    /// An agent of team `team` takes a contact that arrived at `arrival_s`.
    #[inline]
    pub(super) fn taken(&mut self, team: usize, arrival_s: f64) {
        if let Some(i) = self.interval_of(arrival_s) {
            if let Some(cell) = self.counters.team_cell(team, i) {
                cell.handled += 1;
            }
        }
    }

    /// Contact `w` of queue `q`, whose service-level threshold is `within`
    /// seconds, is answered now; its handle time counts now unless it is a
    /// chat, whose wall time is known only at its end. (The loop passes
    /// the threshold from its dense copy of the queue, read at the
    /// arrival already.)
    #[inline]
    pub(super) fn answered(&mut self, q: usize, within: f64, w: &Waiting, now: f64, handle_known: bool) {
        let wait = now - w.arrival_s;
        if let Some(cell) = self.cell(q, w.arrival_s) {
            cell.answered += 1;
            cell.wait_answered_s += wait;
            if wait <= within {
                cell.answered_within += 1;
            }
            if handle_known {
                cell.handle_n += 1;
                cell.handle_s += w.handle_s;
                self.observe(q, w.arrival_s, ContactOutcome::Answered, wait, w.handle_s);
            }
        }
    }

    pub(super) fn abandoned(&mut self, q: usize, w: &Waiting) {
        let within = self.within_s[q];
        if let Some(cell) = self.cell(q, w.arrival_s) {
            cell.abandoned += 1;
            if w.deadline_s - w.arrival_s <= within {
                cell.abandoned_within += 1;
            }
            self.observe_out_of_line(q, w.arrival_s, ContactOutcome::Abandoned, w.deadline_s - w.arrival_s, f64::NAN);
        }
    }

    /// Contact `w` of queue `q` will never be answered: abandoned once its
    /// patience runs out, unserved when it has none.
    pub(super) fn gone_unanswered(&mut self, q: usize, w: &Waiting) {
        if w.deadline_s.is_finite() {
            self.abandoned(q, w);
        } else {
            self.unserved(q, w);
        }
    }

    fn unserved(&mut self, q: usize, w: &Waiting) {
        if let Some(cell) = self.cell(q, w.arrival_s) {
            cell.unserved += 1;
            self.observe_out_of_line(q, w.arrival_s, ContactOutcome::Unserved, f64::NAN, f64::NAN);
        }
    }

    /// A chat that arrived at `arrival_s` and was taken at `start_s` ends
    /// now after `wall_s` seconds.
    pub(super) fn chat_handled(&mut self, q: usize, arrival_s: f64, start_s: f64, wall_s: f64) {
        if let Some(cell) = self.cell(q, arrival_s) {
            cell.handle_n += 1;
            cell.handle_s += wall_s;
            self.observe_out_of_line(q, arrival_s, ContactOutcome::Answered, start_s - arrival_s, wall_s);
        }
    }

    /// A deferred item that arrived at `arrival_s` is finished now.
    pub(super) fn deferred_done(&mut self, q: usize, arrival_s: f64, now: f64) {
        let response = now - arrival_s;
        if response <= self.within_s[q] {
            if let Some(cell) = self.cell(q, arrival_s) {
                cell.responded_within += 1;
            }
        }
        let Some(i) = self.interval_of(now) else { return };
        if let Some(flow) = self.counters.flow_cell(q, i) {
            flow.handled += 1;
            flow.response_s += response;
        }
        let day = self.model.interval_day[i] as usize;
        if let Some(h) = self.counters.response_histogram(q, day) {
            h.add(response);
        }
    }

    /// Deferred queue `q` changes at `now`: `open_delta` items opened (+)
    /// or finished (−), and the oldest waiting item arrived at
    /// `oldest_arrival`. Boundaries up to now are sampled first, as they
    /// were before the change.
    pub(super) fn backlog(&mut self, q: usize, now: f64, open_delta: i32, oldest_arrival: f64) {
        self.sample_boundaries(q, now);
        let b = &mut self.backlog[q];
        b.open = b.open.saturating_add_signed(open_delta);
        b.oldest_arrival = oldest_arrival;
    }

    /// Deferred queue `q` starts with `items` open, the oldest arrived at
    /// `oldest_arrival`: the state at the simulation's start (and so at
    /// the first boundary when there is no warm-up).
    pub(super) fn initial_backlog(&mut self, q: usize, items: u32, oldest_arrival: f64) {
        let b = &mut self.backlog[q];
        b.open = items;
        b.oldest_arrival = oldest_arrival;
    }

    fn sample_boundaries(&mut self, q: usize, now: f64) {
        let b = self.backlog[q];
        let mut next = b.next_boundary;
        let interval_s = self.model.interval_s;
        while next <= self.model.n_intervals && next as f64 * interval_s <= now {
            let at = next as f64 * interval_s;
            if let Some(cell) = self.counters.backlog_cell(q, next) {
                cell.open = b.open;
                cell.oldest_age_s = if b.oldest_arrival.is_finite() { at - b.oldest_arrival } else { 0.0 };
            }
            next += 1;
        }
        self.backlog[q].next_boundary = next;
    }

    /// Team `team`'s agents are busy with a call or deferred item over
    /// `[start, end)`.
    #[inline]
    pub(super) fn busy(&mut self, team: usize, start: f64, end: f64) {
        self.counters.spread_team(team, start, end, self.interval, |c, s| c.busy_s += s);
    }

    /// Chat-slot (and, when a spell ended, busy) time of one agent.
    pub(super) fn slots(&mut self, used: &SlotUse) {
        if used.slots > 0 {
            let k = used.slots as f64;
            self.counters.spread_team(used.team, used.from, used.to, self.interval, |c, s| c.slots_used_s += k * s);
        }
        if let Some(from) = used.busy_from {
            self.busy(used.team, from, used.to);
        }
    }

    /// `agents` agents of team `team` miss `[from, to)` (unplanned absence).
    pub(super) fn absent(&mut self, team: usize, from: f64, to: f64, agents: u32) {
        if agents > 0 {
            let n = agents as f64;
            self.counters.spread_team(team, from, to, self.interval, |c, s| c.absent_s += n * s);
        }
    }

    /// Team `team`'s staffed agents change by `delta` now.
    pub(super) fn staffed(&mut self, team: usize, now: f64, delta: i64) {
        let clock = self.staffed[team];
        if clock.agents > 0 {
            let (n, slots) = (clock.agents as f64, clock.agents as f64 * self.chat_capacity[team] as f64);
            self.counters.spread_team(team, clock.since, now, self.interval, |c, s| {
                c.staffed_s += n * s;
                c.slots_staffed_s += slots * s;
            });
        }
        self.staffed[team] = StaffedClock { agents: (clock.agents as i64 + delta) as u32, since: now };
    }

    /// Brings staffed time and the backlog boundaries up to `now`.
    pub(super) fn flush(&mut self, now: f64) {
        for t in 0..self.staffed.len() {
            self.staffed(t, now, 0);
        }
        for q in 0..self.backlog.len() {
            self.sample_boundaries(q, now);
        }
    }
}
