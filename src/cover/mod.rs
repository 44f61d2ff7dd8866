//! The shift-covering solver: the least-cost roster of candidate shifts
//! (columns) that puts enough agents on duty in every interval (row).
//!
//! For each row *i*, Σ_j share_ij · x_j ≥ demand_i, with x_j a whole number
//! of agents on column *j*; minimise Σ_j cost_j · x_j, under the [`Limit`]s.
//!
//! The method, in order (`lp` and `search` hold the parts):
//!
//! 1. Checks: numbers out of range are [`CoverError::Invalid`]; rows that
//!    no column (within the `AtMost` limits) can cover are
//!    [`CoverError::Uncovered`], named.
//! 2. The LP relaxation (microlp's simplex) and, separately, its dual. The
//!    dual solution is repaired to be exactly feasible and its value is the
//!    proven lower bound, raised to the next multiple of the costs' common
//!    granularity (every roster's cost is such a multiple).
//! 3. A dive: the LP's fractional counts are rounded up a few at a time and
//!    the LP solved again (warm), until the counts are whole.
//! 4. A weighted local search on whole counts (drop, remove-and-add moves
//!    with row weights that grow while rows are short), seeded, so the same
//!    input gives the same roster.
//! 5. microlp's branch and bound from the best roster, within a node limit;
//!    when it closes the tree the roster is proven optimal.
//!
//! Every limit is a count of work (nodes, moves), never a clock: the same
//! problem and options give the same roster on every machine. The seconds in
//! [`Stats`] are for reporting only.

mod check;
mod lp;
mod sample;
mod search;
#[cfg(test)]
mod tests;

pub use sample::sample_week;

use std::time::Instant;

/// One team's covering problem: rows are intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Agents needed on duty per row (interval).
    pub demand: Vec<u32>,
    /// The candidate shifts, whose counts are chosen.
    pub columns: Vec<Column>,
    /// Limits on the counts of groups of columns.
    pub limits: Vec<Limit>,
}

/// A candidate shift (one weekly pattern of one start and length), its count
/// to be chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Objective per agent on it (paid hours, or money); finite and > 0.
    pub cost: f64,
    /// (row, share of an agent on duty in that row, in (0, 1]), rows
    /// strictly ascending and below the number of rows.
    pub cover: Vec<(u32, f64)>,
    /// Whether the shift is part-time, for [`Limit::PartTimeShare`].
    pub part_time: bool,
}

/// A limit on the agents of a group of columns (indices into
/// [`Problem::columns`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Limit {
    /// At most `agents` agents on `columns` together.
    AtMost {
        /// Column indices.
        columns: Vec<usize>,
        /// Most agents allowed.
        agents: u32,
    },
    /// At least `agents` agents on `columns` together.
    AtLeast {
        /// Column indices.
        columns: Vec<usize>,
        /// Fewest agents allowed.
        agents: u32,
    },
    /// Part-time columns among `columns` hold at most this share of the
    /// agents on `columns`.
    PartTimeShare {
        /// Column indices.
        columns: Vec<usize>,
        /// Largest share of part-time agents, in [0, 1].
        share: f64,
    },
}

/// Deterministic work limits: the same input gives the same output.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Moves the local search tries on the whole-number roster.
    pub search_steps: u64,
    /// Branch-and-bound nodes microlp may solve after the local search (0
    /// skips it).
    pub nodes: u64,
    /// Stop improving once the gap is at most this (a share, 0 = use the
    /// whole budget unless the roster is proven optimal).
    pub target_gap: f64,
    /// Seed of the local search's random choices.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { search_steps: 30_000, nodes: 200, target_gap: 0.0, seed: 0 }
    }
}

/// Work done by [`solve`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// LP solves (the relaxation, its dual, each dive step).
    pub lp_solves: u64,
    /// Simplex pivots reported by microlp in branch and bound.
    pub lp_iterations: u64,
    /// Branch-and-bound nodes solved.
    pub nodes: u64,
    /// Local-search moves made.
    pub search_steps: u64,
    /// Wall-clock seconds taken (for reporting only; no limit depends on it).
    pub seconds: f64,
}

/// The roster found, its cost and how far from optimal it can be.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Agents per column.
    pub counts: Vec<u32>,
    /// Σ cost · count.
    pub objective: f64,
    /// Proven lower bound on any roster's objective: the LP relaxation (by
    /// its repaired dual), raised to the costs' granularity, or the objective
    /// itself when branch and bound proved optimality.
    pub lower_bound: f64,
    /// (objective − lower_bound) / objective; 0 when optimal.
    pub gap: f64,
    /// Whether the roster is proven optimal.
    pub optimal: bool,
    /// Work done.
    pub stats: Stats,
}

/// Why no roster was produced.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoverError {
    /// Rows with demand > 0 that no column covers, or that the `AtMost`
    /// limits keep from being covered.
    #[error("no shift can cover interval(s) {}", list(rows))]
    Uncovered {
        /// Row indices, ascending.
        rows: Vec<usize>,
    },
    /// Limits that contradict (e.g. `AtLeast` above `AtMost`), described.
    #[error("the limits cannot all hold: {0}")]
    Infeasible(String),
    /// A number or index out of range (NaN cost, share outside (0, 1], row
    /// past the demand, column index past the columns), described.
    #[error("invalid covering problem: {0}")]
    Invalid(String),
    /// The work limits ran out before any roster met every limit (the
    /// problem was not proven infeasible).
    #[error("no roster meeting every limit was found within the work limits ({0})")]
    NotFound(String),
}

/// Rows as `0, 5, 7` for messages, the first 20 then a count.
fn list(rows: &[usize]) -> String {
    let shown: Vec<String> = rows.iter().take(20).map(|r| r.to_string()).collect();
    match rows.len() {
        n if n > 20 => format!("{} and {} more", shown.join(", "), n - 20),
        _ => shown.join(", "),
    }
}

/// The least-cost roster covering `problem`, with a proven lower bound and
/// the gap to it.
///
/// # Errors
///
/// [`CoverError::Invalid`] for numbers out of range, [`CoverError::Uncovered`]
/// naming the rows that cannot be covered, [`CoverError::Infeasible`] for
/// contradicting limits, [`CoverError::NotFound`] when the work limits ran out
/// before a roster met every limit.
pub fn solve(problem: &Problem, options: &Options) -> Result<Solution, CoverError> {
    let started = Instant::now();
    check::validate(problem, options)?;
    check::uncovered(problem)?;
    check::contradictions(problem)?;
    let mut stats = Stats::default();
    if nothing_needed(problem) {
        stats.seconds = started.elapsed().as_secs_f64();
        return Ok(finish(problem, vec![0; problem.columns.len()], 0.0, stats));
    }
    let relaxation = lp::relax(problem, &mut stats)?;
    let fallback = relaxation.safe_objective();
    let bound = check::granular(problem, lp::dual_bound(problem, &mut stats).unwrap_or(fallback));
    let start = lp::dive(problem, relaxation, &mut stats).unwrap_or_else(|| vec![0; problem.columns.len()]);
    let mut best = search::improve(problem, start, bound, options, &mut stats);
    let mut lower_bound = bound;
    if options.nodes > 0 && !within(problem, best.as_deref(), bound, options.target_gap) {
        let branched = lp::branch(problem, best.as_deref(), options, &mut stats)?;
        if let Some(x) = branched.counts {
            if best.as_deref().is_none_or(|b| cost(problem, &x) < cost(problem, b)) {
                best = Some(x);
            }
        }
        if branched.proven {
            lower_bound = lower_bound.max(best.as_deref().map_or(0.0, |b| cost(problem, b)));
        }
    }
    let counts = best.ok_or_else(|| CoverError::NotFound(format!("{} nodes", options.nodes)))?;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(finish(problem, counts, lower_bound, stats))
}

/// Whether no row has demand and no `AtLeast` asks for agents: the empty
/// roster is optimal.
fn nothing_needed(problem: &Problem) -> bool {
    let asks = |l: &Limit| matches!(l, Limit::AtLeast { agents, .. } if *agents > 0);
    problem.demand.iter().all(|&d| d == 0) && !problem.limits.iter().any(asks)
}

/// Whether roster `x` is already within `target` of `bound`.
fn within(problem: &Problem, x: Option<&[u32]>, bound: f64, target: f64) -> bool {
    x.is_some_and(|x| gap(cost(problem, x), bound) <= target)
}

/// The solution record for roster `counts`.
fn finish(problem: &Problem, counts: Vec<u32>, bound: f64, stats: Stats) -> Solution {
    let objective = cost(problem, &counts);
    let lower_bound = bound.min(objective);
    let gap = gap(objective, lower_bound);
    Solution { counts, objective, lower_bound, gap, optimal: gap <= 0.0, stats }
}

/// (objective − bound) / objective, 0 for an objective of 0.
fn gap(objective: f64, bound: f64) -> f64 {
    if objective <= 0.0 {
        0.0
    } else {
        ((objective - bound) / objective).max(0.0)
    }
}

/// Σ cost · count of roster `x`.
pub(crate) fn cost(problem: &Problem, x: &[u32]) -> f64 {
    problem.columns.iter().zip(x).map(|(c, &k)| c.cost * f64::from(k)).sum()
}
