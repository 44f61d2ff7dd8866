//! Who waits: each queue's contacts in arrival order. Abandonment is lazy:
//! a waiting contact carries its deadline (arrival + patience) and is
//! counted as abandoned when the head of the line is looked at after it,
//! which is exact for first-come-first-served lines and costs no event.
//!
//! Behind a patient head, contacts whose patience has run out would wait
//! to be counted for as long as the head waits (a starved low-priority
//! queue could hold millions). Each time a line has doubled since it was
//! last compacted, every such contact is dropped and counted then, as it
//! would have been later: amortised O(1) per contact, and the line holds
//! at most about twice the contacts still patient.

use std::collections::VecDeque;

/// A contact waiting for an agent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Waiting {
    /// When it arrived, seconds.
    pub(super) arrival_s: f64,
    /// When its patience runs out, seconds (infinite: never).
    pub(super) deadline_s: f64,
    /// The work it takes of an agent holding nothing else, seconds.
    pub(super) handle_s: f64,
}

impl Waiting {
    /// Whether the contact still waits at `now`: its patience has not run
    /// out (a contact leaves only once its deadline has passed).
    pub(super) fn still_patient(&self, now: f64) -> bool {
        self.deadline_s >= now
    }
}

/// Shortest line that is compacted: shorter ones are left to the purge.
const COMPACT_FROM: usize = 1024;

/// Every queue's waiting line.
#[derive(Clone)]
pub(super) struct Lines {
    lines: Vec<VecDeque<Waiting>>,
    /// Per line, its length after it was last compacted.
    compacted: Vec<usize>,
    /// Lines shorter than this are not compacted (tests lower or raise it).
    compact_from: usize,
}

impl Lines {
    pub(super) fn new(queues: usize) -> Self {
        Lines { lines: vec![VecDeque::new(); queues], compacted: vec![0; queues], compact_from: COMPACT_FROM }
    }

    /// When line `q` has doubled since it was last compacted (and holds at
    /// least [`COMPACT_FROM`]), drops every contact whose patience ran out
    /// before `now`, handing each to `gone`, in line order. The caller has
    /// just purged the head, which is therefore still patient and stays.
    #[inline]
    pub(super) fn compact(&mut self, q: usize, now: f64, mut gone: impl FnMut(Waiting)) {
        let line = &mut self.lines[q];
        if line.len() < self.compact_from.max(2 * self.compacted[q]) {
            return;
        }
        debug_assert!(line.front().is_none_or(|w| w.still_patient(now)));
        line.retain(|w| {
            let patient = w.still_patient(now);
            if !patient {
                gone(*w);
            }
            patient
        });
        self.compacted[q] = line.len();
    }

    /// Never compact (tests compare against the lazy lines alone).
    #[cfg(test)]
    pub(super) fn never_compact(&mut self) {
        self.compact_from = usize::MAX;
    }

    /// Drops the contacts at the head of line `q` whose patience ran out
    /// before `now`, handing each to `gone`.
    #[inline]
    pub(super) fn purge(&mut self, q: usize, now: f64, mut gone: impl FnMut(Waiting)) {
        let line = &mut self.lines[q];
        while let Some(&w) = line.front() {
            if w.still_patient(now) {
                break;
            }
            line.pop_front();
            gone(w);
        }
    }

    /// The contact that has waited longest in line `q`.
    pub(super) fn head(&self, q: usize) -> Option<&Waiting> {
        self.lines[q].front()
    }

    /// When the head of line `q` arrived; infinite for an empty line.
    #[inline]
    pub(super) fn head_arrival(&self, q: usize) -> f64 {
        self.lines[q].front().map_or(f64::INFINITY, |w| w.arrival_s)
    }

    #[inline]
    pub(super) fn pop(&mut self, q: usize) -> Option<Waiting> {
        self.lines[q].pop_front()
    }

    #[inline]
    pub(super) fn push(&mut self, q: usize, w: Waiting) {
        self.lines[q].push_back(w);
    }

    /// Whether every line of `queues` is empty.
    #[inline]
    pub(super) fn all_empty(&self, queues: &[usize]) -> bool {
        queues.iter().all(|&q| self.lines[q].is_empty())
    }

    pub(super) fn len(&self, q: usize) -> usize {
        self.lines[q].len()
    }

    /// Whether line `q` holds a contact that arrived before `before_s` and
    /// whose patience has not run out at `now`.
    pub(super) fn has_pending_before(&self, q: usize, before_s: f64, now: f64) -> bool {
        self.lines[q].iter().take_while(|w| w.arrival_s < before_s).any(|w| w.still_patient(now))
    }

    /// Removes every contact of line `q` for which `gone` says so.
    pub(super) fn retain(&mut self, q: usize, mut keep: impl FnMut(&Waiting) -> bool) {
        self.lines[q].retain(|w| keep(w));
    }

    /// Empties line `q`, oldest first.
    pub(super) fn drain(&mut self, q: usize) -> impl Iterator<Item = Waiting> + '_ {
        self.lines[q].drain(..)
    }
}
