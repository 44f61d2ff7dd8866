//! The clock's to-do lists: timed events (roster changes, overflow
//! timers) on a calendar with ties broken by insertion order, and contact
//! completions in a heap of their own with small entries.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A timed event other than a completion or an arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    /// Shift instance logs in.
    ShiftStart(u32),
    /// Shift instance, break index, member of the shift: that member is due
    /// for that break.
    BreakStart(u32, u32, u32),
    /// Agent, its epoch when the break began.
    BreakEnd(u32, u32),
    /// Shift instance logs out.
    Logout(u32),
    /// Queue, overflow level: the queue's oldest contact may have waited
    /// long enough for the teams of that level.
    Overflow(u32, u32),
}

/// An event on the calendar. Ties in time go to the earlier scheduled, so
/// runs are reproducible.
#[derive(Clone, Copy)]
struct Scheduled {
    time: f64,
    seq: u64,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    /// Reversed: `BinaryHeap` is a max-heap and the earliest must come first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.time.total_cmp(&self.time).then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Bytes of one event on the calendar.
pub(super) const SCHEDULED_BYTES: usize = std::mem::size_of::<Scheduled>();

/// Timed events in time order, then insertion order.
#[derive(Clone, Default)]
pub(super) struct Calendar {
    heap: BinaryHeap<Scheduled>,
    seq: u64,
}

impl Calendar {
    pub(super) fn schedule(&mut self, time: f64, event: Event) {
        self.seq += 1;
        self.heap.push(Scheduled { time, seq: self.seq, event });
    }

    /// When the next event happens; infinite when none is left.
    pub(super) fn next_time(&self) -> f64 {
        self.heap.peek().map_or(f64::INFINITY, |e| e.time)
    }

    pub(super) fn pop(&mut self) -> Option<(f64, Event)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }
}

/// An agent finishing a contact, valid while the agent's completion
/// version is still `version` (a chat agent's next completion moves when
/// its number of chats changes).
#[derive(Clone, Copy)]
pub(super) struct Completion {
    pub(super) time: f64,
    pub(super) agent: u32,
    pub(super) version: u32,
}

impl PartialEq for Completion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Completion {}
impl PartialOrd for Completion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Completion {
    /// Reversed, earliest first; simultaneous completions in agent order.
    fn cmp(&self, other: &Self) -> Ordering {
        other.time.total_cmp(&self.time).then_with(|| other.agent.cmp(&self.agent))
    }
}

/// Pending completions, earliest first.
#[derive(Clone, Default)]
pub(super) struct Completions {
    heap: BinaryHeap<Completion>,
}

impl Completions {
    pub(super) fn push(&mut self, time: f64, agent: u32, version: u32) {
        self.heap.push(Completion { time, agent, version });
    }

    pub(super) fn next_time(&self) -> f64 {
        self.heap.peek().map_or(f64::INFINITY, |c| c.time)
    }

    pub(super) fn pop(&mut self) -> Option<Completion> {
        self.heap.pop()
    }
}
