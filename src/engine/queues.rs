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
//! Per team, a bit per place (in priority order) of its skills is set
//! while the skill's line holds a contact, kept as lines empty and fill,
//! so that a free agent looks only at lines where someone waits.

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
    /// Per team, a bit per place of its skills, set while the skill's
    /// line holds a contact: team `t`'s place `p` is bit `p % 64` of word
    /// `starts[t] + p / 64`. A line that fills or empties sets or clears
    /// one bit per team that takes it, where a sorted list of places had
    /// a search and a shift, on two lines a team.
    waiting: Vec<u64>,
    /// Per team, its first word in `waiting`; then the end of the last.
    starts: Vec<u32>,
    /// Per line, whether it holds a contact: what an arrival asks first
    /// (most find their line empty), read from one dense byte per queue
    /// rather than from the line's header (32 bytes a queue, out of cache
    /// with many queues).
    occupied: Vec<bool>,
    /// Per team, whether a bit of its words in `waiting` is set: what a
    /// freed agent asks first, read from one dense byte per team (a team
    /// of more than 64 skills has more than one word).
    someone_waits: Vec<bool>,
}

impl Lines {
    /// Empty lines for queues taken by `takers`, of `teams` teams.
    pub(super) fn new(takers: Takers, teams: usize) -> Self {
        let queues = takers.len();
        let mut places = vec![0u32; teams];
        for &(t, place) in takers.iter().flat_map(|list| list.iter()) {
            places[t as usize] = places[t as usize].max(place + 1);
        }
        let mut starts = Vec::with_capacity(teams + 1);
        let mut words = 0;
        for n in places {
            starts.push(words);
            words += n.div_ceil(64);
        }
        starts.push(words);
        Lines {
            lines: vec![VecDeque::new(); queues],
            compacted: vec![0; queues],
            compact_from: COMPACT_FROM,
            takers,
            waiting: vec![0; words as usize],
            starts,
            occupied: vec![false; queues],
            someone_waits: vec![false; teams],
        }
    }

    /// Team `t`'s words in `waiting`.
    #[inline(always)]
    fn words(&self, t: usize) -> std::ops::Range<usize> {
        self.starts[t] as usize..self.starts[t + 1] as usize
    }

    /// Team `t`'s word holding place `place`, and the place's bit in it.
    #[inline(always)]
    fn bit(&self, t: u32, place: u32) -> (usize, u64) {
        (self.starts[t as usize] as usize + place as usize / 64, 1 << (place % 64))
    }

    /// Line `q` has just received its only contact: its skills' bits are
    /// set in their teams' words.
    #[inline(never)]
    fn filled(&mut self, q: usize) {
        self.occupied[q] = true;
        for &(t, place) in self.takers[q].iter() {
            let (w, bit) = self.bit(t, place);
            self.waiting[w] |= bit;
            self.someone_waits[t as usize] = true;
        }
    }

    /// Line `q` has just been emptied: its skills' bits are cleared.
    #[inline(never)]
    fn emptied(&mut self, q: usize) {
        self.occupied[q] = false;
        for &(t, place) in self.takers[q].iter() {
            let (w, bit) = self.bit(t, place);
            debug_assert!(self.waiting[w] & bit != 0);
            self.waiting[w] &= !bit;
            if self.waiting[w] == 0 {
                self.someone_waits[t as usize] = self.waiting[self.words(t as usize)].iter().any(|&x| x != 0);
            }
        }
    }

    /// The first place at or after `from` of team `t`'s skills whose line
    /// holds a contact (patient or not yet purged): the places in
    /// ascending order, one call each.
    #[inline]
    pub(super) fn next_waiting(&self, t: usize, from: u32) -> Option<u32> {
        let std::ops::Range { start, end } = self.words(t);
        let mut w = start + from as usize / 64;
        if w >= end {
            return None;
        }
        let mut word = self.waiting[w] & (!0u64 << (from % 64));
        loop {
            if word != 0 {
                return Some(((w - start) * 64) as u32 + word.trailing_zeros());
            }
            w += 1;
            if w >= end {
                return None;
            }
            word = self.waiting[w];
        }
    }

    /// Whether some line of team `t`'s skills holds a contact (patient or
    /// not yet purged): [`Lines::next_waiting`] finds a place.
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

    /// Team `t`'s places with someone waiting, as a freed agent walks them.
    fn walked(lines: &Lines, t: u32) -> Vec<u32> {
        std::iter::successors(lines.next_waiting(t as usize, 0), |&p| lines.next_waiting(t as usize, p + 1)).collect()
    }

    /// Team `t`'s places whose line is not empty, ascending, from the
    /// lines themselves.
    fn expected(lines: &Lines, takers: &Takers, t: u32) -> Vec<u32> {
        let mut places: Vec<u32> = (0..takers.len())
            .filter(|&q| lines.len(q) > 0)
            .flat_map(|q| takers[q].iter().filter(|(team, _)| *team == t).map(|&(_, p)| p))
            .collect();
        places.sort_unstable();
        places
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
                let expected = expected(&lines, &takers, t);
                assert_eq!(walked(&lines, t), expected, "step {step}, team {t}");
                assert_eq!(lines.someone_waits(t as usize), !expected.is_empty(), "step {step}, team {t}");
                assert!((0..6).all(|q| lines.occupied[q] == (lines.len(q) > 0)), "step {step}");
            }
        }
    }

    /// A team of more skills than a word holds: its places in order across
    /// words, and whether any waits, through lines filling and emptying.
    #[test]
    fn a_team_of_many_skills_finds_its_waiting_places_across_words() {
        // 150 queues: team 0 takes queue q at place q, team 1 every third
        // at place q / 3.
        let takers: Vec<Box<[(u32, u32)]>> = (0..150u32)
            .map(|q| if q % 3 == 0 { vec![(0, q), (1, q / 3)] } else { vec![(0, q)] }.into_boxed_slice())
            .collect();
        let takers: Takers = takers.into();
        let mut lines = Lines::new(takers.clone(), 2);
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        for step in 0..5_000 {
            let q = rng.random_range(0..150);
            if rng.random_bool(0.5) {
                lines.push(q, contact(step as f64, f64::INFINITY));
            } else {
                let _ = lines.pop(q);
            }
            for t in 0..2u32 {
                let expected = expected(&lines, &takers, t);
                assert_eq!(walked(&lines, t), expected, "step {step}, team {t}");
                assert_eq!(lines.someone_waits(t as usize), !expected.is_empty(), "step {step}, team {t}");
            }
        }
    }
}
