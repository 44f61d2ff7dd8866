//! The shift-covering solver: the least-cost roster of candidate shifts
//! (columns) that puts enough agents on duty in every interval (row).
//!
//! For each row *i*, Σ_j share_ij · x_j − Σ_{g,o} off_goi · y_go ≥ demand_i,
//! with x_j a whole number of agents on column *j* and y_go the agents of
//! break group *g* (one break of one column) taking it at option *o*,
//! Σ_o y_go = x_(column of g); minimise Σ_j cost_j · x_j, under the
//! [`Limit`]s. Placing breaks in the model (Aykin's formulation, explicit
//! per column) lets them go where coverage allows, and keeps the coverage
//! of whole agents whole, so the relaxation stays close to the roster.
//!
//! The method, in order (`lp`, `breaks` and `search` hold the parts):
//!
//! 1. Checks: numbers out of range are [`CoverError::Invalid`]; rows that
//!    no column (within the `AtMost` limits) can cover are
//!    [`CoverError::Uncovered`], named.
//! 2. The LP relaxation (microlp's simplex) and, separately, its dual. The
//!    dual solution is repaired to be exactly feasible and its value is the
//!    proven lower bound, raised to the next multiple of the costs' common
//!    granularity (every roster's cost is such a multiple).
//! 3. Without break groups, a dive: the LP's fractional counts are rounded
//!    up a few at a time and the LP solved again (warm), until the counts
//!    are whole.
//! 4. With break groups (`breaks`), the large LP is not solved again: each
//!    column's cover is taken as its agents are expected to be on duty with
//!    their breaks where the relaxation placed them (shared evenly over the
//!    options on columns it left empty), and the dive of step 3 runs on
//!    that small break-free model. The breaks of its whole counts are
//!    placed by rounding the relaxation's shares, then local moves repair
//!    the rows left short (move one agent's break to another option, or add
//!    the agent that best covers the row) and drop agents whose loss break
//!    moves can absorb; then rounds of ruin and recreate (two agents taken
//!    off the columns on duty in one row, repair, drop; kept when no
//!    dearer). Should that find no roster meeting every limit, the dive of
//!    step 3 runs on the whole model instead, the breaks of its counts then
//!    placed by a small branch and bound (or, where none fits, rounded up
//!    too).
//! 5. Without break groups: a weighted local search on whole counts (drop,
//!    remove-and-add moves with row weights that grow while rows are
//!    short), seeded, so the same input gives the same roster; then
//!    microlp's branch and bound from the best roster, within a node limit;
//!    when it closes the tree the roster is proven optimal.
//! 6. With break groups, on problems of at most 1,000 variables (columns
//!    and break options): branch and bound from that roster on the
//!    neighbourhood of the columns the relaxation or the roster uses (the
//!    others held at 0), within five times the node limit. On larger ones
//!    every node would cost an LP of that size, and the local moves'
//!    roster is kept.
//!
//! [`extend`] starts from a roster instead, for a demand since raised:
//! the local moves of step 4 only (break moves, agents added where a row
//! is short, none taken off), no LP, the roster's bound kept.
//!
//! Every limit is a count of work (nodes, moves, rounds), never a clock: the same
//! problem and options give the same roster on every machine. The seconds in
//! [`Stats`] are for reporting only.

mod breaks;
mod lp;
mod sample;
mod search;
#[cfg(test)]
mod tests;
mod verify;

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
    /// Breaks whose placement is chosen with the counts: every agent on a
    /// group's column takes that break at exactly one of its options.
    pub breaks: Vec<BreakGroup>,
}

/// One break of one column whose position is chosen: each agent on
/// `column` takes it at one option, which takes that agent off duty in
/// its rows. The column's own `cover` then leaves the break out.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakGroup {
    /// The column (index into [`Problem::columns`]).
    pub column: usize,
    /// Per option, (row, share of an agent off duty in that row, in (0, 1]),
    /// rows strictly ascending; at least one option.
    pub options: Vec<Vec<(u32, f64)>>,
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
    /// Prove the lower bound by the repaired dual (an LP of its own, as
    /// costly as the rest); false takes the relaxation's value instead, a
    /// bound up to the simplex's tolerance, for rosters whose bound only
    /// steers the search (prove it afterwards with [`proven_bound`]).
    pub prove_bound: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { search_steps: 30_000, nodes: 200, target_gap: 0.0, seed: 0, prove_bound: true }
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
    /// Per break group, agents per option (summing to its column's count).
    pub placements: Vec<Vec<u32>>,
    /// Σ cost · count.
    pub objective: f64,
    /// Lower bound on any roster's objective: the LP relaxation (by its
    /// repaired dual, unless [`Options::prove_bound`] is false), raised to
    /// the costs' granularity, or the objective itself when branch and
    /// bound proved optimality.
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
    verify::validate(problem, options)?;
    verify::uncovered(problem)?;
    verify::contradictions(problem)?;
    let mut stats = Stats::default();
    if nothing_needed(problem) {
        let none = (vec![0; problem.columns.len()], problem.breaks.iter().map(|g| vec![0; g.options.len()]).collect());
        stats.seconds = started.elapsed().as_secs_f64();
        return Ok(finish(problem, none, 0.0, stats));
    }
    let relaxation = lp::relax(problem, &mut stats)?;
    let fallback = relaxation.safe_objective();
    let dual = if options.prove_bound { lp::dual_bound(problem, &mut stats) } else { None };
    let bound = verify::granular(problem, dual.unwrap_or(fallback));
    let support = relaxation.columns();
    let start = if problem.breaks.is_empty() {
        lp::dive(problem, relaxation, &mut stats)
    } else {
        let placed = relaxation.placements();
        breaks::roster(problem, &support, &placed, &mut stats).or_else(|| lp::dive(problem, relaxation, &mut stats))
    };
    let mut best = if problem.breaks.is_empty() {
        let start = start.map_or_else(|| vec![0; problem.columns.len()], |r| r.0);
        search::improve(problem, start, bound, options, &mut stats).map(|x| (x, Vec::new()))
    } else {
        start.filter(|(x, y)| verify::feasible(problem, x, y))
    };
    let mut lower_bound = bound;
    let placing = !problem.breaks.is_empty();
    if placing
        && neighbourhood_allowed(problem)
        && options.nodes > 0
        && !within(problem, best.as_ref(), bound, options.target_gap)
    {
        if let Some(found) = best.as_ref().and_then(|b| neighbourhood(problem, &support, b, options, &mut stats)) {
            if best.as_ref().is_none_or(|b| cost(problem, &found.0) < cost(problem, &b.0)) {
                best = Some(found);
            }
        }
    }
    if !placing && options.nodes > 0 && !within(problem, best.as_ref(), bound, options.target_gap) {
        let branched = lp::branch(problem, best.as_ref(), options, &mut stats)?;
        if let Some(roster) = branched.roster {
            if best.as_ref().is_none_or(|b| cost(problem, &roster.0) < cost(problem, &b.0)) {
                best = Some(roster);
            }
        }
        if branched.proven {
            lower_bound = lower_bound.max(best.as_ref().map_or(0.0, |b| cost(problem, &b.0)));
        }
    }
    let roster = best.ok_or_else(|| CoverError::NotFound(format!("{} nodes", options.nodes)))?;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(finish(problem, roster, lower_bound, stats))
}

/// `start`, a solution of `problem`'s columns and break groups for a lower
/// demand (a round before the requirement was raised), extended until it
/// covers `problem`: breaks moved and agents added only where rows are
/// short, none taken off, without an LP. The roster moves no more than
/// the new demand asks, so what it covered before it still covers; its
/// lower bound is `start`'s (a bound for a lower demand bounds a higher
/// one too).
///
/// # Errors
///
/// As [`solve`]; [`CoverError::Invalid`] when `start` does not fit
/// `problem`'s columns and break groups, [`CoverError::NotFound`] when
/// the moves cannot cover every row within the limits (solve afresh).
pub fn extend(problem: &Problem, start: &Solution) -> Result<Solution, CoverError> {
    let started = Instant::now();
    verify::validate(problem, &Options::default())?;
    verify::uncovered(problem)?;
    let fits = start.counts.len() == problem.columns.len()
        && start.placements.len() == problem.breaks.len()
        && start
            .placements
            .iter()
            .zip(&problem.breaks)
            .all(|(p, g)| p.len() == g.options.len() && p.iter().sum::<u32>() == start.counts[g.column]);
    if !fits {
        return Err(CoverError::Invalid("the roster to extend has other columns or break groups".into()));
    }
    let mut stats = Stats::default();
    let roster = breaks::extend(problem, (start.counts.clone(), start.placements.clone()), &mut stats)
        .ok_or_else(|| CoverError::NotFound("repair moves from the roster to extend".into()))?;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(finish(problem, roster, start.lower_bound, stats))
}

/// A proven lower bound on any roster of `problem` (as [`solve`] reports
/// it, without solving): the repaired dual of the LP relaxation, raised to
/// the costs' granularity (the relaxation's value if the dual cannot be
/// solved); 0 when nothing is needed.
pub fn proven_bound(problem: &Problem) -> f64 {
    if nothing_needed(problem) {
        return 0.0;
    }
    let mut stats = Stats::default();
    let bound = lp::dual_bound(problem, &mut stats)
        .or_else(|| lp::relax(problem, &mut stats).ok().map(|r| r.safe_objective()))
        .unwrap_or(0.0);
    verify::granular(problem, bound)
}

/// Branch-and-bound nodes on the neighbourhood, per node of
/// [`Options::nodes`].
const NEIGHBOURHOOD_NODES: u64 = 5;

/// Most variables (columns and break options) for which the neighbourhood
/// is searched by branch and bound: on larger problems each node costs an
/// LP of their size, and the local moves' roster is kept.
const NEIGHBOURHOOD_VARS: usize = 1_000;

/// Whether the neighbourhood of a break problem is small enough to search.
fn neighbourhood_allowed(problem: &Problem) -> bool {
    problem.columns.len() + problem.breaks.iter().map(|g| g.options.len()).sum::<usize>() <= NEIGHBOURHOOD_VARS
}

/// Branch and bound on the columns the relaxation or `roster` uses (the
/// others held at 0), from `roster`: a smaller problem that the node limit
/// searches further. `None` when it finds nothing.
fn neighbourhood(
    problem: &Problem,
    relaxed: &[f64],
    roster: &lp::Roster,
    options: &Options,
    stats: &mut Stats,
) -> Option<lp::Roster> {
    let keep: Vec<usize> = (0..problem.columns.len()).filter(|&j| relaxed[j] > 1e-6 || roster.0[j] > 0).collect();
    let mut index = vec![usize::MAX; problem.columns.len()];
    keep.iter().enumerate().for_each(|(k, &j)| index[j] = k);
    let remap =
        |columns: &[usize]| columns.iter().filter(|&&j| index[j] != usize::MAX).map(|&j| index[j]).collect::<Vec<_>>();
    let limits = problem
        .limits
        .iter()
        .map(|l| match l {
            Limit::AtMost { columns, agents } => Limit::AtMost { columns: remap(columns), agents: *agents },
            Limit::AtLeast { columns, agents } => Limit::AtLeast { columns: remap(columns), agents: *agents },
            Limit::PartTimeShare { columns, share } => Limit::PartTimeShare { columns: remap(columns), share: *share },
        })
        .collect();
    let groups: Vec<usize> =
        (0..problem.breaks.len()).filter(|&g| index[problem.breaks[g].column] != usize::MAX).collect();
    let sub = Problem {
        demand: problem.demand.clone(),
        columns: keep.iter().map(|&j| problem.columns[j].clone()).collect(),
        limits,
        breaks: groups
            .iter()
            .map(|&g| BreakGroup {
                column: index[problem.breaks[g].column],
                options: problem.breaks[g].options.clone(),
            })
            .collect(),
    };
    let start = (keep.iter().map(|&j| roster.0[j]).collect(), groups.iter().map(|&g| roster.1[g].clone()).collect());
    let wider = Options { nodes: options.nodes.saturating_mul(NEIGHBOURHOOD_NODES), ..options.clone() };
    let (x, y) = lp::branch(&sub, Some(&start), &wider, stats).ok()?.roster?;
    let mut counts = vec![0; problem.columns.len()];
    keep.iter().zip(&x).for_each(|(&j, &k)| counts[j] = k);
    let mut placements: Vec<Vec<u32>> = problem.breaks.iter().map(|g| vec![0; g.options.len()]).collect();
    groups.iter().zip(y).for_each(|(&g, p)| placements[g] = p);
    verify::feasible(problem, &counts, &placements).then_some((counts, placements))
}

/// Whether no row has demand and no `AtLeast` asks for agents: the empty
/// roster is optimal.
fn nothing_needed(problem: &Problem) -> bool {
    let asks = |l: &Limit| matches!(l, Limit::AtLeast { agents, .. } if *agents > 0);
    problem.demand.iter().all(|&d| d == 0) && !problem.limits.iter().any(asks)
}

/// Whether roster `x` is already within `target` of `bound`.
fn within(problem: &Problem, x: Option<&lp::Roster>, bound: f64, target: f64) -> bool {
    x.is_some_and(|x| gap(cost(problem, &x.0), bound) <= target)
}

/// The solution record for `roster`.
fn finish(problem: &Problem, (counts, placements): lp::Roster, bound: f64, stats: Stats) -> Solution {
    let objective = cost(problem, &counts);
    let lower_bound = bound.min(objective);
    let gap = gap(objective, lower_bound);
    Solution { counts, placements, objective, lower_bound, gap, optimal: gap <= 0.0, stats }
}

/// (objective − bound) / objective, at least 0; 0 for an objective of 0.
pub(crate) fn gap(objective: f64, bound: f64) -> f64 {
    signed_gap(objective, bound).max(0.0)
}

/// (objective − bound) / objective, below 0 when the objective is under
/// the bound (a bound of another problem); 0 for an objective of 0.
pub(crate) fn signed_gap(objective: f64, bound: f64) -> f64 {
    if objective <= 0.0 {
        0.0
    } else {
        (objective - bound) / objective
    }
}

/// Σ cost · count of roster `x`.
pub(crate) fn cost(problem: &Problem, x: &[u32]) -> f64 {
    problem.columns.iter().zip(x).map(|(c, &k)| c.cost * f64::from(k)).sum()
}
