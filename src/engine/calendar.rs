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
    /// Team, outage (else holiday), begins (else ends).
    Downtime(u32, bool, bool),
    /// Team, index of its outage limited to queues, begins (else ends).
    QueueOutage(u32, u32, bool),
    /// Shift instance always on duty, reported day: the day starts, and
    /// with it the day's absence.
    AbsenceDay(u32, u32),
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
///
/// Packed into one integer that orders as the heap needs, so that each of
/// the heap's comparisons is one integer comparison: time (as
/// `f64::total_cmp` orders it), then agent, then version, all inverted
/// because `BinaryHeap` is a max-heap and the earliest must come first.
/// (Entries equal in time and agent are one valid and stale ones, which
/// are skipped whatever their order.)
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Completion(u128);

/// The sign bit of an `f64`'s bits.
const SIGN: u64 = 1 << 63;

/// `total_cmp`'s flip: negative instants have their magnitude bits
/// inverted, after which the bits order as signed integers. The same flip
/// undoes it.
#[inline]
fn flip(bits: u64) -> u64 {
    bits ^ ((bits as i64 >> 63) as u64 >> 1)
}

/// An instant as an integer that orders as `f64::total_cmp` orders the
/// instant, so that games between instants are integer comparisons,
/// selected without a branch.
#[inline]
pub(super) fn time_key(time: f64) -> u64 {
    // Signed order to unsigned order: toggle the sign bit.
    flip(time.to_bits()) ^ SIGN
}

/// The instant of a [`time_key`].
#[inline]
pub(super) fn key_time(key: u64) -> f64 {
    f64::from_bits(flip(key ^ SIGN))
}

impl Completion {
    #[inline]
    fn new(time: f64, agent: u32, version: u32) -> Self {
        let key = time_key(time);
        Completion(!((key as u128) << 64 | (agent as u128) << 32 | version as u128))
    }

    /// When it happens.
    #[inline]
    pub(super) fn time(self) -> f64 {
        key_time((!self.0 >> 64) as u64)
    }

    #[inline]
    pub(super) fn agent(self) -> u32 {
        (!self.0 >> 32) as u32
    }

    #[inline]
    pub(super) fn version(self) -> u32 {
        !self.0 as u32
    }
}

/// Pending completions, earliest first.
#[derive(Clone, Default)]
pub(super) struct Completions {
    heap: BinaryHeap<Completion>,
}

impl Completions {
    pub(super) fn push(&mut self, time: f64, agent: u32, version: u32) {
        self.heap.push(Completion::new(time, agent, version));
    }

    pub(super) fn next_time(&self) -> f64 {
        self.heap.peek().map_or(f64::INFINITY, |c| c.time())
    }

    pub(super) fn pop(&mut self) -> Option<Completion> {
        self.heap.pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_pop_earliest_first_then_by_agent_and_give_their_fields_back() {
        let times = [f64::NEG_INFINITY, -1e300, -3.5, -f64::MIN_POSITIVE, -0.0, 0.0, 1e-300, 2.0, 7e9, f64::INFINITY];
        let agents = [0, 1, 7, u32::MAX];
        let all: Vec<(f64, u32)> = times.iter().flat_map(|&t| agents.iter().map(move |&a| (t, a))).collect();
        for &(t, a) in &all {
            let c = Completion::new(t, a, a ^ 5);
            assert_eq!((c.time().to_bits(), c.agent(), c.version()), (t.to_bits(), a, a ^ 5));
            for &(u, b) in &all {
                // Reversed: the earlier (then lower agent, then lower
                // version) is the greater.
                let expected = u.total_cmp(&t).then(b.cmp(&a)).then(3.cmp(&(a ^ 5)));
                assert_eq!(c.cmp(&Completion::new(u, b, 3)), expected, "{t} {a} vs {u} {b}");
            }
        }
    }
}
