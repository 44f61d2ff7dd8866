//! Trim rounds: after a roster that meets every target, take agents off
//! its blocks where the simulation says service is far above target, and
//! keep what still meets every target.
//!
//! The repair rounds only ever raise the requirement, and a roster solved
//! for a raised requirement is whole shifts that overshoot it in other
//! intervals; together they leave agents where service is far above any
//! target. Solving again for a lowered requirement does not remove them
//! reliably: the solver reshuffles the whole roster (within its gap) and
//! moves agents away from intervals the raises had protected. A trim
//! round therefore works on the roster itself, without solving:
//!
//! 1. An interval is **far above target** for a rostered team when every
//!    target of every queue the team serves is met in at least
//!    [`FAR_ABOVE`] of the replications there (deferred work judged on its
//!    day); its margin is the least over those targets of
//!    (value − target) / target on the meeting side.
//! 2. A block (agents on one shift pattern) can lose an agent when every
//!    interval it is on duty in is far above target. Blocks are taken
//!    furthest above target first (the least margin over their
//!    intervals, largest first; ties in roster order), one agent each,
//!    in each interval at most a twentieth of the team's agents on duty
//!    there (at least one), at most the round's budget of blocks (no limit
//!    at first).
//! 3. The trimmed roster is simulated with the scenario's seed, the same
//!    random numbers as every round before (common random numbers), so the
//!    difference is the roster's, not noise. If it meets every target it is
//!    kept and trimmed again. If not, the agents go back, the blocks on duty
//!    in a missed period are not trimmed again, and the next round tries
//!    half as many.
//!
//! A block whose rule has `min_agents`, or a full-time block of a team with
//! `max_part_time_share`, keeps its agents: taking one could break the
//! rule's limits.
//!
//! Trimming stops when no block can lose an agent, or after
//! `Options::trim_rounds` rounds. The requirement reported is lowered to
//! the trimmed roster where it went below it: the simulation showed those
//! agents were not needed.

use crate::model::Model;
use crate::results::judge::judge;
use crate::results::{Period, Results};
use crate::staffing::teams::Miss;

use super::candidates::coverage;
use super::RosterShift;

/// Share of replications that must meet every target of an interval for
/// it to count as far above target.
pub const FAR_ABOVE: f64 = 0.8;

/// The blocks that may still lose an agent, and how many at most next.
#[derive(Debug, Clone)]
pub(super) struct Trims {
    /// Per block of the kept roster, never to be trimmed again (a trim
    /// there made a target miss).
    frozen: Vec<bool>,
    /// Most blocks the next trim may take an agent from.
    budget: usize,
}

/// One trim tried: the roster with the agents taken, and which blocks.
pub(super) struct Tried {
    pub(super) shifts: Vec<RosterShift>,
    /// Indices of the blocks that lost an agent.
    pub(super) blocks: Vec<usize>,
    /// Per block in `blocks`, the intervals it was on duty in before the
    /// trim (a block trimmed to no agents is on duty nowhere after it).
    duties: Vec<Vec<usize>>,
}

impl Trims {
    pub(super) fn new(blocks: usize) -> Self {
        Trims { frozen: vec![false; blocks], budget: usize::MAX }
    }

    /// The kept roster `shifts`, whose simulation is `results`, with one
    /// agent taken from each block chosen (step 2 of the module's
    /// method); `None` when no block can lose one.
    pub(super) fn try_trim(
        &self,
        model: &Model,
        shifts: &[RosterShift],
        results: &Results,
        confidence: Option<f64>,
    ) -> Option<Tried> {
        let slack = far_above(model, results, confidence);
        let duties: Vec<Vec<usize>> = shifts.iter().map(|s| footprint(model, s)).collect();
        let mut candidates: Vec<(f64, usize)> = Vec::new();
        for (b, s) in shifts.iter().enumerate().filter(|(b, s)| !self.frozen[*b] && s.pattern.agents > 0) {
            if locked(model, s) {
                continue;
            }
            let serves: Vec<usize> =
                (0..model.queues.len()).filter(|&q| model.teams[s.team].skill(q).is_some()).collect();
            let margin = duties[b].iter().try_fold(f64::INFINITY, |least, &i| {
                serves.iter().try_fold(least, |least, &q| slack[q][i].map(|m| least.min(m)))
            });
            if let Some(m) = margin.filter(|_| !duties[b].is_empty()) {
                candidates.push((m, b));
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        // Per team and interval, agents that may still go: a twentieth of
        // those on duty, at least one.
        let mut left: Vec<Vec<u32>> = vec![vec![0; model.n_intervals]; model.teams.len()];
        for (s, duty) in shifts.iter().zip(&duties) {
            duty.iter().for_each(|&i| left[s.team][i] += s.pattern.agents);
        }
        left.iter_mut().flatten().for_each(|n| *n = (*n / 20).max(1));
        let mut blocks = Vec::new();
        for (_, b) in candidates {
            if blocks.len() >= self.budget {
                break;
            }
            let team = &mut left[shifts[b].team];
            if duties[b].iter().any(|&i| team[i] == 0) {
                continue;
            }
            duties[b].iter().for_each(|&i| team[i] -= 1);
            blocks.push(b);
        }
        if blocks.is_empty() {
            return None;
        }
        let mut trimmed = shifts.to_vec();
        for &b in &blocks {
            let s = &mut trimmed[b];
            s.paid_hours -= s.paid_hours / f64::from(s.pattern.agents);
            s.pattern.agents -= 1;
        }
        let duties = blocks.iter().map(|&b| duties[b].clone()).collect();
        Some(Tried { shifts: trimmed, blocks, duties })
    }

    /// The trim `tried` met every target: its roster is kept, emptied
    /// blocks dropped.
    pub(super) fn accept(&mut self, tried: Tried) -> Vec<RosterShift> {
        let mut frozen = self.frozen.iter();
        let keep: Vec<bool> = tried.shifts.iter().map(|s| s.pattern.agents > 0).collect();
        self.frozen = keep.iter().zip(&mut frozen).filter(|(k, _)| **k).map(|(_, &f)| f).collect();
        tried.shifts.into_iter().filter(|s| s.pattern.agents > 0).collect()
    }

    /// The trim `tried` missed the targets of `misses`: its blocks on duty
    /// in a missed period are frozen, and the next trim takes at most half
    /// as many blocks.
    pub(super) fn reject(&mut self, model: &Model, tried: &Tried, misses: &[Miss]) {
        for (&b, duty) in tried.blocks.iter().zip(&tried.duties) {
            let s = &tried.shifts[b];
            let hit = misses
                .iter()
                .any(|m| model.teams[s.team].skill(m.queue).is_some() && duty.iter().any(|i| m.intervals.contains(i)));
            self.frozen[b] |= hit;
        }
        self.budget = tried.blocks.len() / 2;
    }
}

/// Whether block `s` must keep its agents whatever the service: its rule
/// has a least number of agents, or its team a most share of part-time
/// agents and the block is full-time (taking it would raise the share).
fn locked(model: &Model, s: &RosterShift) -> bool {
    let team = &model.teams[s.team];
    let rule = team.rules.iter().find(|r| r.name == s.rule);
    rule.is_none_or(|r| r.min_agents.is_some())
        || (team.max_part_time_share.is_some() && !rule.is_some_and(|r| r.part_time))
}

/// The intervals block `s` puts an agent on duty in (breaks aside).
fn footprint(model: &Model, s: &RosterShift) -> Vec<usize> {
    let mut duty: Vec<usize> =
        coverage(model, &model.lay(s.team, &s.pattern)).into_iter().map(|(i, _)| i as usize).collect();
    duty.sort_unstable();
    duty.dedup();
    duty
}

/// Per queue and interval, how far above target it is: `Some(margin)`
/// where every target is met in at least [`FAR_ABOVE`] of the replications
/// (and at `confidence`), the margin being the least over its targets of
/// (value − target) / target on the meeting side (infinite where nothing
/// is judged: nothing there asks for agents); `None` where not far above.
/// Live queues are judged per interval, deferred work on the day holding
/// the interval.
fn far_above(model: &Model, results: &Results, confidence: Option<f64>) -> Vec<Vec<Option<f64>>> {
    let share = confidence.map_or(FAR_ABOVE, |c| c.max(FAR_ABOVE));
    let margin = |p: &Period| {
        if p.span.pending {
            return Some(f64::INFINITY);
        }
        judge(p, confidence).try_fold(f64::INFINITY, |least, j| {
            if !j.met || j.met_share < share {
                return None;
            }
            let Some(v) = j.value else { return Some(least) };
            let t = j.target.value;
            Some(least.min(j.target.bound.margin(v, t) / t.abs().max(f64::MIN_POSITIVE)))
        })
    };
    results
        .queues
        .iter()
        .map(|queue| {
            let mut slack = vec![Some(f64::INFINITY); model.n_intervals];
            for p in queue.judged_periods() {
                let m = margin(p);
                for i in p.span.intervals.clone().filter(|&i| i < model.n_intervals) {
                    slack[i] = match (slack[i], m) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        _ => None,
                    };
                }
            }
            slack
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ShiftPattern;

    #[test]
    fn a_block_trimmed_to_no_agents_is_frozen_where_its_trim_missed() {
        let model = crate::engine::tests::model("agents = 0", "rate_per_hour = 10", "");
        let block = |agents| RosterShift {
            team: 0,
            rule: "r".into(),
            pattern: ShiftPattern {
                start: jiff::civil::time(9, 0, 0, 0),
                length_s: 7200.0,
                days: [true; 7],
                agents,
                breaks: Vec::new(),
            },
            paid_hours: 2.0 * f64::from(agents),
        };
        // The block's one agent taken: on duty nowhere after the trim.
        assert!(footprint(&model, &block(0)).is_empty());
        let tried = || Tried { shifts: vec![block(0)], blocks: vec![0], duties: vec![footprint(&model, &block(1))] };
        let miss = |i: usize| Miss { queue: 0, intervals: i..i + 1, what: String::new(), met_share: 0.0 };
        // A miss where the block was not on duty leaves it free to try.
        let mut trims = Trims::new(1);
        trims.reject(&model, &tried(), &[miss(3)]);
        assert!(!trims.frozen[0]);
        // A miss where it was freezes it, though it has no agents left.
        trims.reject(&model, &tried(), &[miss(10)]);
        assert!(trims.frozen[0]);
    }
}
