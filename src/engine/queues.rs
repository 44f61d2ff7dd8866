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
//!
//! Per team, the places (in priority order) of its skills whose line holds
//! a contact are kept as lines empty and fill, so that a free agent looks
//! only at lines where someone waits.

use std::collections::VecDeque;

use super::routing::Takers;

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

/// Bytes of an empty line and its bookkeeping: its length when last
/// compacted, whether it is occupied (waiting contacts come on top,
/// [`Waiting`] each).
pub(super) const QUEUE_BYTES: usize =
    std::mem::size_of::<VecDeque<Waiting>>() + std::mem::size_of::<usize>() + std::mem::size_of::<bool>();

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
    /// Per queue, the skills that take it: (team, place).
    takers: Takers,
    /// Per team, the places of its skills whose line holds a contact,
    /// ascending.
    waiting: Vec<Vec<u32>>,
    /// Per line, whether it holds a contact: what an arrival asks first
    /// (most find their line empty), read from one dense byte per queue
    /// rather than from the line's header (32 bytes a queue, out of cache
    /// with many queues).
    occupied: Vec<bool>,
    /// Per team, whether its list in `waiting` is not empty: what a freed
    /// agent asks first, read from one dense byte per team rather than
    /// from the list's header (24 bytes a team, out of cache with many
    /// teams).
    someone_waits: Vec<bool>,
}

impl Lines {
    /// Empty lines for queues taken by `takers`, of `teams` teams.
    pub(super) fn new(takers: Takers, teams: usize) -> Self {
        let queues = takers.len();
        Lines {
            lines: vec![VecDeque::new(); queues],
            compacted: vec![0; queues],
            compact_from: COMPACT_FROM,
            takers,
            waiting: vec![Vec::new(); teams],
            occupied: vec![false; queues],
            someone_waits: vec![false; teams],
        }
    }

    /// Line `q` has just received its only contact: its skills join their
    /// teams' lists of skills with someone waiting.
    #[inline(never)]
    fn filled(&mut self, q: usize) {
        self.occupied[q] = true;
        for &(t, place) in self.takers[q].iter() {
            let list = &mut self.waiting[t as usize];
            match list.last() {
                Some(&last) if last > place => {
                    let at = list.partition_point(|&p| p < place);
                    list.insert(at, place);
                }
                _ => list.push(place),
            }
            self.someone_waits[t as usize] = true;
        }
    }

    /// Line `q` has just been emptied: its skills leave those lists.
    #[inline(never)]
    fn emptied(&mut self, q: usize) {
        self.occupied[q] = false;
        for &(t, place) in self.takers[q].iter() {
            let list = &mut self.waiting[t as usize];
            if list.last() == Some(&place) {
                list.pop();
            } else {
                let at = list.partition_point(|&p| p < place);
                debug_assert_eq!(list.get(at), Some(&place));
                list.remove(at);
            }
            self.someone_waits[t as usize] = !list.is_empty();
        }
    }

    /// The places, ascending, of team `t`'s skills whose line holds a
    /// contact (patient or not yet purged).
    #[inline]
    pub(super) fn waiting(&self, t: usize) -> &[u32] {
        &self.waiting[t]
    }

    /// Whether some line of team `t`'s skills holds a contact (patient or
    /// not yet purged): [`Lines::waiting`] is not empty.
    #[inline]
    pub(super) fn someone_waits(&self, t: usize) -> bool {
        self.someone_waits[t]
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
        if line.is_empty() {
            self.emptied(q);
        }
    }

    /// Never compact (tests compare against the lazy lines alone).
    #[cfg(test)]
    pub(super) fn never_compact(&mut self) {
        self.compact_from = usize::MAX;
    }

    /// Drops the contacts at the head of line `q` whose patience ran out
    /// before `now`, handing each to `gone`. Always inlined: at an arrival
    /// its first test is all that runs, and left to itself the optimiser
    /// made a call of it (30 instructions a contact more).
    #[inline(always)]
    pub(super) fn purge(&mut self, q: usize, now: f64, mut gone: impl FnMut(Waiting)) {
        if !self.occupied[q] {
            return;
        }
        let line = &mut self.lines[q];
        let Some(&first) = line.front() else { return };
        if first.still_patient(now) {
            return;
        }
        while let Some(&w) = line.front() {
            if w.still_patient(now) {
                return;
            }
            line.pop_front();
            gone(w);
        }
        self.emptied(q);
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

    #[inline(always)]
    pub(super) fn pop(&mut self, q: usize) -> Option<Waiting> {
        let line = &mut self.lines[q];
        let w = line.pop_front();
        if w.is_some() && line.is_empty() {
            self.emptied(q);
        }
        w
    }

    #[inline(always)]
    pub(super) fn push(&mut self, q: usize, w: Waiting) {
        let line = &mut self.lines[q];
        line.push_back(w);
        if line.len() == 1 {
            self.filled(q);
        }
    }

    pub(super) fn len(&self, q: usize) -> usize {
        self.lines[q].len()
    }

    /// Whether line `q` holds a contact that arrived before `before_s` and
    /// whose patience has not run out at `now`.
    pub(super) fn has_pending_before(&self, q: usize, before_s: f64, now: f64) -> bool {
        self.lines[q].iter().take_while(|w| w.arrival_s < before_s).any(|w| w.still_patient(now))
    }

    /// Keeps the contacts of line `q` for which `keep` says so.
    pub(super) fn retain(&mut self, q: usize, mut keep: impl FnMut(&Waiting) -> bool) {
        let line = &mut self.lines[q];
        if line.is_empty() {
            return;
        }
        line.retain(|w| keep(w));
        if line.is_empty() {
            self.emptied(q);
        }
    }

    /// Empties line `q`, oldest first.
    pub(super) fn drain(&mut self, q: usize) -> impl Iterator<Item = Waiting> + '_ {
        if !self.lines[q].is_empty() {
            self.emptied(q);
        }
        self.lines[q].drain(..)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn contact(arrival_s: f64, deadline_s: f64) -> Waiting {
        Waiting { arrival_s, deadline_s, handle_s: 60.0 }
    }

    /// Whatever happens to the lines, each team's list of places with
    /// someone waiting is exactly its skills whose line is not empty, in
    /// place order.
    #[test]
    fn each_team_lists_exactly_its_skills_whose_line_holds_a_contact() {
        // 6 queues, 3 teams: (team, place) per queue, places in order.
        let takers: Vec<Box<[(u32, u32)]>> = vec![
            Box::new([(0, 0), (1, 2)]),
            Box::new([(0, 1)]),
            Box::new([(1, 0), (2, 1)]),
            Box::new([]),
            Box::new([(0, 2), (1, 1), (2, 0)]),
            Box::new([(2, 2)]),
        ];
        let takers: Takers = takers.into();
        let mut lines = Lines::new(takers.clone(), 3);
        lines.compact_from = 4;
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut now = 0.0;
        for step in 0..20_000 {
            now += 1.0;
            let q = rng.random_range(0..6);
            match rng.random_range(0..8) {
                0..=2 => lines.push(q, contact(now, now + rng.random_range(0.0..40.0))),
                3 => drop(lines.pop(q)),
                4 => lines.purge(q, now, |_| {}),
                5 => {
                    // As the loop does: the head purged first.
                    lines.purge(q, now, |_| {});
                    lines.compact(q, now, |_| {});
                }
                6 => lines.retain(q, |w| w.still_patient(now)),
                _ if step % 50 == 0 => drop(lines.drain(q).count()),
                _ => {}
            }
            for t in 0..3u32 {
                let mut expected: Vec<u32> = (0..6)
                    .filter(|&q| lines.len(q) > 0)
                    .flat_map(|q| takers[q].iter().filter(|(team, _)| *team == t).map(|&(_, p)| p))
                    .collect();
                expected.sort_unstable();
                assert_eq!(lines.waiting(t as usize), expected, "step {step}, team {t}");
                assert_eq!(lines.someone_waits(t as usize), !expected.is_empty(), "step {step}, team {t}");
                assert!((0..6).all(|q| lines.occupied[q] == (lines.len(q) > 0)), "step {step}");
            }
        }
    }
}
