//! The LP side, on microlp: the relaxation, the proven bound from its dual,
//! the dive to whole counts, branch and bound, and one row's capacity.

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, SolveOptions, Variable};

use super::verify::{self, members, COVER_TOL};
use super::{CoverError, Limit, Options, Problem, Stats};

/// Fractional parts within this of 0 or 1 count as whole.
const INT_TOL: f64 = 1e-6;

/// Fractional parts at or above this are rounded up together in one dive
/// step (with at least the largest one).
const DIVE_BATCH: f64 = 0.9;

/// The solved LP relaxation, kept for the dive's warm re-solves.
pub(crate) struct Relaxation {
    solution: microlp::Solution,
    vars: Vars,
}

impl Relaxation {
    /// The columns' values.
    pub(crate) fn columns(&self) -> Vec<f64> {
        values(&self.solution, &self.vars.x)
    }

    /// Per break group, the options' values.
    pub(crate) fn placements(&self) -> Vec<Vec<f64>> {
        self.vars.y.iter().map(|g| values(&self.solution, g)).collect()
    }

    /// The simplex's objective less a relative 1e-9: the bound used only if
    /// the dual cannot be solved.
    pub(crate) fn safe_objective(&self) -> f64 {
        let objective = self.solution.objective();
        (objective - 1e-9 * objective.abs()).max(0.0)
    }
}

/// The model's variables: one per column, and per break group one per
/// option.
pub(crate) struct Vars {
    /// Agents per column.
    pub x: Vec<Variable>,
    /// Agents per break group and option.
    pub y: Vec<Vec<Variable>>,
}

impl Vars {
    /// Whole counts and placements from a solution, `None` past `u32`.
    fn whole_of(&self, solution: &microlp::Solution) -> Option<(Vec<u32>, Vec<Vec<u32>>)> {
        let x = whole(&values(solution, &self.x))?;
        let y = self.y.iter().map(|g| whole(&values(solution, g))).collect::<Option<Vec<_>>>()?;
        Some((x, y))
    }
}

/// The primal model: one variable per column and per break option (integer
/// for branch and bound), one row per interval with demand, one per limit,
/// one per break group (its options' agents equal its column's).
fn primal(problem: &Problem, integer: bool) -> (microlp::Problem, Vars) {
    let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
    let add = |lp: &mut microlp::Problem, cost: f64| match integer {
        true => lp.add_integer_var(cost, (0, i32::MAX)),
        false => lp.add_var(cost, (0.0, f64::INFINITY)),
    };
    let x: Vec<Variable> = problem.columns.iter().map(|c| add(&mut lp, c.cost)).collect();
    let y: Vec<Vec<Variable>> =
        problem.breaks.iter().map(|g| g.options.iter().map(|_| add(&mut lp, 0.0)).collect()).collect();
    let vars = Vars { x, y };
    for (row, terms) in row_terms(problem, &vars).into_iter().enumerate() {
        if problem.demand[row] > 0 {
            lp.add_constraint(terms, ComparisonOp::Ge, f64::from(problem.demand[row]));
        }
    }
    for limit in &problem.limits {
        let (terms, op, rhs) = limit_row(problem, limit, &vars.x);
        lp.add_constraint(terms, op, rhs);
    }
    for (group, options) in problem.breaks.iter().zip(&vars.y) {
        let mut terms = LinearExpr::empty();
        options.iter().for_each(|&v| terms.add(v, 1.0));
        terms.add(vars.x[group.column], -1.0);
        lp.add_constraint(terms, ComparisonOp::Eq, 0.0);
    }
    (lp, vars)
}

/// Each row's (variable, share) terms: columns on duty, break options off.
fn row_terms(problem: &Problem, vars: &Vars) -> Vec<LinearExpr> {
    let mut rows: Vec<LinearExpr> = (0..problem.demand.len()).map(|_| LinearExpr::empty()).collect();
    for (column, &var) in problem.columns.iter().zip(&vars.x) {
        for &(row, share) in &column.cover {
            rows[row as usize].add(var, share);
        }
    }
    for (group, options) in problem.breaks.iter().zip(&vars.y) {
        for (option, &var) in group.options.iter().zip(options) {
            for &(row, share) in option {
                rows[row as usize].add(var, -share);
            }
        }
    }
    rows
}

/// A limit as one linear row. Part-time share s: Σ_pt (1 − s) x − Σ_ft s x ≤ 0.
fn limit_row(problem: &Problem, limit: &Limit, vars: &[Variable]) -> (LinearExpr, ComparisonOp, f64) {
    let mut terms = LinearExpr::empty();
    for (j, coefficient) in limit_coefficients(problem, limit) {
        terms.add(vars[j], coefficient);
    }
    match limit {
        Limit::AtMost { agents, .. } => (terms, ComparisonOp::Le, f64::from(*agents)),
        Limit::AtLeast { agents, .. } => (terms, ComparisonOp::Ge, f64::from(*agents)),
        Limit::PartTimeShare { .. } => (terms, ComparisonOp::Le, 0.0),
    }
}

/// (column, coefficient) of a limit's row, each column once (repeats summed).
fn limit_coefficients(problem: &Problem, limit: &Limit) -> Vec<(usize, f64)> {
    let mut columns = members(limit).to_vec();
    columns.sort_unstable();
    columns.dedup();
    let coefficient = |j: usize| match limit {
        Limit::PartTimeShare { share, .. } if problem.columns[j].part_time => 1.0 - share,
        Limit::PartTimeShare { share, .. } => -share,
        _ => 1.0,
    };
    columns.into_iter().map(|j| (j, coefficient(j))).collect()
}

/// Solves the LP relaxation.
///
/// # Errors
///
/// [`CoverError::Uncovered`] or [`CoverError::Infeasible`] when the LP has no
/// solution; [`CoverError::NotFound`] when microlp fails.
pub(crate) fn relax(problem: &Problem, stats: &mut Stats) -> Result<Relaxation, CoverError> {
    let (lp, vars) = primal(problem, false);
    stats.lp_solves += 1;
    match lp.solve().map(|outcome| outcome.into_solution()) {
        Ok(Ok(solution)) => Ok(Relaxation { solution, vars }),
        Err(microlp::Error::Infeasible) => Err(infeasible(problem)),
        Ok(Err(_)) => Err(CoverError::NotFound("the LP relaxation was interrupted".into())),
        Err(error) => Err(CoverError::NotFound(format!("the LP relaxation failed: {error}"))),
    }
}

/// Why an LP without solution has none: rows, or the limits together.
fn infeasible(problem: &Problem) -> CoverError {
    let rows = verify::exact_uncovered(problem);
    if !rows.is_empty() {
        return CoverError::Uncovered { rows };
    }
    CoverError::Infeasible(format!(
        "every interval can be covered on its own, but not all together under the {} limits",
        problem.limits.len()
    ))
}

/// A proven lower bound: the dual LP's solution, repaired to be exactly
/// feasible (each break group's multiplier recomputed from the rows', then
/// all scaled down where a column's reduced cost is negative by rounding),
/// and its value. `None` when microlp cannot solve the dual.
pub(crate) fn dual_bound(problem: &Problem, stats: &mut Stats) -> Option<f64> {
    let (lp, row_vars, limit_vars) = dual(problem);
    stats.lp_solves += 1;
    let solution = lp.solve().ok()?.into_solution().ok()?;
    let y: Vec<f64> = row_vars.iter().map(|v| v.map_or(0.0, |v| solution.var_value_raw(v).max(0.0))).collect();
    let u: Vec<f64> = limit_vars.iter().map(|&v| solution.var_value_raw(v).max(0.0)).collect();
    let lhs = dual_lhs(problem, &y, &u);
    let scale =
        problem.columns.iter().zip(&lhs).fold(1.0f64, |t, (c, &l)| if l > c.cost { t.min(c.cost / l) } else { t });
    let value = dual_value(problem, &y, &u) * scale * (1.0 - 1e-12);
    Some(value.max(0.0))
}

/// The dual: max Σ d y + Σ rhs u over y, u ≥ 0 and free break multipliers
/// m with Aᵀ(y, u) − Σ m ≤ c per column and m ≤ (the option's rows' y) per
/// break option; the variables of rows without demand are `None`. An
/// `AtMost` row enters as −Σ x ≥ −agents, a part-time row as
/// Σ_ft s x − Σ_pt (1 − s) x ≥ 0.
fn dual(problem: &Problem) -> (microlp::Problem, Vec<Option<Variable>>, Vec<Variable>) {
    let mut lp = microlp::Problem::new(OptimizationDirection::Maximize);
    let rows: Vec<Option<Variable>> =
        problem.demand.iter().map(|&d| (d > 0).then(|| lp.add_var(f64::from(d), (0.0, f64::INFINITY)))).collect();
    let limits: Vec<Variable> = problem.limits.iter().map(|l| lp.add_var(limit_rhs(l), (0.0, f64::INFINITY))).collect();
    let groups: Vec<Variable> =
        problem.breaks.iter().map(|_| lp.add_var(0.0, (f64::NEG_INFINITY, f64::INFINITY))).collect();
    let on_rows = |cover: &[(u32, f64)], sign: f64, expr: &mut LinearExpr| {
        cover.iter().filter_map(|&(r, s)| rows[r as usize].map(|v| (v, s))).for_each(|(v, s)| expr.add(v, sign * s));
    };
    let mut columns: Vec<LinearExpr> = problem.columns.iter().map(|_| LinearExpr::empty()).collect();
    for (j, column) in problem.columns.iter().enumerate() {
        on_rows(&column.cover, 1.0, &mut columns[j]);
    }
    for (limit, &var) in problem.limits.iter().zip(&limits) {
        for (j, a) in limit_coefficients(problem, limit) {
            columns[j].add(var, ge_sign(limit) * a);
        }
    }
    for (group, &m) in problem.breaks.iter().zip(&groups) {
        columns[group.column].add(m, -1.0);
        for option in &group.options {
            let mut expr = LinearExpr::empty();
            expr.add(m, 1.0);
            on_rows(option, -1.0, &mut expr);
            lp.add_constraint(expr, ComparisonOp::Le, 0.0);
        }
    }
    for (expr, column) in columns.into_iter().zip(&problem.columns) {
        lp.add_constraint(expr, ComparisonOp::Le, column.cost);
    }
    (lp, rows, limits)
}

/// +1 for limits already in ≥ form, −1 for those written as ≤.
fn ge_sign(limit: &Limit) -> f64 {
    match limit {
        Limit::AtLeast { .. } => 1.0,
        Limit::AtMost { .. } | Limit::PartTimeShare { .. } => -1.0,
    }
}

/// A limit's right-hand side in ≥ form.
fn limit_rhs(limit: &Limit) -> f64 {
    match limit {
        Limit::AtLeast { agents, .. } => f64::from(*agents),
        Limit::AtMost { agents, .. } => -f64::from(*agents),
        Limit::PartTimeShare { .. } => 0.0,
    }
}

/// Aᵀ(y, u) − Σ m per column, recomputed here rather than trusted from the
/// solver, each break group's multiplier m the largest its options allow:
/// the least off-duty value of an option.
fn dual_lhs(problem: &Problem, y: &[f64], u: &[f64]) -> Vec<f64> {
    let value = |cover: &[(u32, f64)]| cover.iter().map(|&(r, s)| s * y[r as usize]).sum::<f64>();
    let mut lhs: Vec<f64> = problem.columns.iter().map(|c| value(&c.cover)).collect();
    for (limit, &multiplier) in problem.limits.iter().zip(u) {
        for (j, a) in limit_coefficients(problem, limit) {
            lhs[j] += ge_sign(limit) * a * multiplier;
        }
    }
    for group in &problem.breaks {
        lhs[group.column] -= group.options.iter().map(|o| value(o)).fold(f64::INFINITY, f64::min);
    }
    lhs
}

/// Σ d y + Σ rhs u.
fn dual_value(problem: &Problem, y: &[f64], u: &[f64]) -> f64 {
    let rows: f64 = problem.demand.iter().zip(y).map(|(&d, &v)| f64::from(d) * v).sum();
    rows + problem.limits.iter().zip(u).map(|(l, &v)| limit_rhs(l) * v).sum::<f64>()
}

/// Rounds the relaxation to whole counts: the fractional counts at or
/// above [`DIVE_BATCH`] (at least the largest) get a lower bound at their
/// ceiling and the LP is solved again, warm, until none is fractional. With
/// break groups the break options are then placed with the counts fixed
/// ([`place`]), or, where no placement exists, rounded up like the columns.
/// `None` when the limits make a step infeasible both ways or the counts
/// exceed `u32`.
pub(crate) fn dive(problem: &Problem, relaxation: Relaxation, stats: &mut Stats) -> Option<Roster> {
    let Relaxation { mut solution, vars } = relaxation;
    let fragile = problem.limits.iter().any(|l| !matches!(l, Limit::AtLeast { .. }));
    solution = round_up(solution, &vars.x, fragile, stats)?;
    if !problem.breaks.is_empty() {
        let x = whole(&values(&solution, &vars.x))?;
        if let Some(y) = place(problem, &x, PLACE_NODES, stats) {
            return Some((x, y));
        }
        let placed: Vec<Variable> = vars.y.iter().flatten().copied().collect();
        solution = round_up(solution, &placed, fragile, stats)?;
    }
    vars.whole_of(&solution)
}

/// Branch-and-bound nodes for placing the breaks of whole counts.
const PLACE_NODES: u64 = 2000;

/// The LP re-solved until variables `vars` are whole (see [`dive`]); a
/// variable an earlier raise of the same step made whole is left alone.
fn round_up(
    mut solution: microlp::Solution,
    vars: &[Variable],
    fragile: bool,
    stats: &mut Stats,
) -> Option<microlp::Solution> {
    for _ in 0..(4 * vars.len() + 16) {
        let chosen = to_round_up(&values(&solution, vars));
        if chosen.is_empty() {
            return Some(solution);
        }
        for j in chosen {
            let value = solution.var_value_raw(vars[j]);
            if value - value.floor() <= INT_TOL || value.ceil() - value <= INT_TOL {
                continue;
            }
            stats.lp_solves += 1;
            solution = raise(solution, vars[j], value.ceil(), fragile, stats)?;
        }
    }
    None
}

/// Fractional variables to round up this step, largest fraction first.
fn to_round_up(x: &[f64]) -> Vec<usize> {
    let mut fractional: Vec<(f64, usize)> = x
        .iter()
        .enumerate()
        .map(|(j, &v)| (v - v.floor(), j))
        .filter(|&(f, _)| f > INT_TOL && f < 1.0 - INT_TOL)
        .collect();
    fractional.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let top = fractional.first().map_or(0.0, |f| f.0);
    fractional.into_iter().filter(|&(f, _)| f >= DIVE_BATCH.min(top)).map(|(_, j)| j).collect()
}

/// The LP again with x ≥ `bound` (or, where limits make that infeasible,
/// x ≤ `bound` − 1).
fn raise(
    solution: microlp::Solution,
    var: Variable,
    bound: f64,
    fragile: bool,
    stats: &mut Stats,
) -> Option<microlp::Solution> {
    let backup = fragile.then(|| solution.clone());
    match solution.add_constraint([(var, 1.0)], ComparisonOp::Ge, bound) {
        Ok(outcome) => outcome.into_solution().ok(),
        Err(_) => {
            stats.lp_solves += 1;
            backup?.add_constraint([(var, 1.0)], ComparisonOp::Le, bound - 1.0).ok()?.into_solution().ok()
        }
    }
}

/// The values of `vars` in `solution`.
fn values(solution: &microlp::Solution, vars: &[Variable]) -> Vec<f64> {
    vars.iter().map(|&v| solution.var_value_raw(v)).collect()
}

/// Counts rounded to whole numbers, `None` past `u32`.
fn whole(x: &[f64]) -> Option<Vec<u32>> {
    x.iter().map(|&v| (v.round() <= f64::from(u32::MAX)).then(|| v.round().max(0.0) as u32)).collect()
}

/// A roster: agents per column and, per break group, per option.
pub(crate) type Roster = (Vec<u32>, Vec<Vec<u32>>);

/// What branch and bound found.
pub(crate) struct Branched {
    /// The best roster, checked feasible, if any.
    pub roster: Option<Roster>,
    /// Whether the search closed the tree (the roster is optimal).
    pub proven: bool,
}

/// Demands from which branch and bound is skipped: microlp's integer
/// variables stop at `i32::MAX`.
const BRANCH_DEMAND: f64 = 1e8;

/// microlp's branch and bound from roster `start`, within `options.nodes`
/// (skipped for demands of [`BRANCH_DEMAND`] agents or more).
///
/// # Errors
///
/// [`CoverError::Infeasible`] when the search closed the tree without a
/// roster (the limits cannot hold together with whole counts).
pub(crate) fn branch(
    problem: &Problem,
    start: Option<&Roster>,
    options: &Options,
    stats: &mut Stats,
) -> Result<Branched, CoverError> {
    if problem.demand.iter().any(|&d| f64::from(d) >= BRANCH_DEMAND) {
        return Ok(Branched { roster: None, proven: false });
    }
    let (lp, vars) = primal(problem, true);
    let mut settings = SolveOptions::default();
    settings.node_limit = Some(options.nodes);
    settings.mip_gap = options.target_gap;
    settings.warm_start = start.map(|(x, y)| {
        let columns = vars.x.iter().zip(x);
        let placed = vars.y.iter().flatten().zip(y.iter().flatten());
        columns.chain(placed).map(|(&v, &k)| (v, f64::from(k))).collect()
    });
    let outcome = match lp.solve_with(settings) {
        Ok(outcome) => outcome,
        Err(microlp::Error::Infeasible) => return Err(infeasible_whole(problem)),
        Err(_) => return Ok(Branched { roster: None, proven: false }),
    };
    stats.nodes += outcome.stats().nodes_solved;
    stats.lp_iterations += outcome.stats().lp_iterations;
    let proven = outcome.termination_reason() == microlp::TerminationReason::ProvenOptimal;
    let roster = outcome.solution().and_then(|s| vars.whole_of(s)).filter(|(x, y)| verify::feasible(problem, x, y));
    Ok(Branched { proven: proven && roster.is_some(), roster })
}

/// Places the breaks of roster `x` (whole counts): agents per break option
/// such that every row stays covered, by microlp's branch and bound on the
/// options alone. `None` when no placement within `nodes` was found.
pub(crate) fn place(problem: &Problem, x: &[u32], nodes: u64, stats: &mut Stats) -> Option<Vec<Vec<u32>>> {
    if problem.breaks.is_empty() {
        return Some(Vec::new());
    }
    let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
    let y: Vec<Vec<Variable>> = problem
        .breaks
        .iter()
        .map(|g| g.options.iter().map(|_| lp.add_integer_var(0.0, (0, i32::MAX))).collect())
        .collect();
    let mut on_duty = vec![0.0; problem.demand.len()];
    for (column, &k) in problem.columns.iter().zip(x) {
        column.cover.iter().for_each(|&(r, s)| on_duty[r as usize] += s * f64::from(k));
    }
    let mut off: Vec<LinearExpr> = (0..problem.demand.len()).map(|_| LinearExpr::empty()).collect();
    let mut touched = vec![false; problem.demand.len()];
    for (group, vars) in problem.breaks.iter().zip(&y) {
        let mut total = LinearExpr::empty();
        for (option, &v) in group.options.iter().zip(vars) {
            total.add(v, 1.0);
            for &(r, s) in option {
                off[r as usize].add(v, s);
                touched[r as usize] = true;
            }
        }
        lp.add_constraint(total, ComparisonOp::Eq, f64::from(x[group.column]));
    }
    for (r, expr) in off.into_iter().enumerate().filter(|&(r, _)| touched[r] && problem.demand[r] > 0) {
        lp.add_constraint(expr, ComparisonOp::Le, on_duty[r] - f64::from(problem.demand[r]) + COVER_TOL);
    }
    let mut settings = SolveOptions::default();
    settings.node_limit = Some(nodes);
    let outcome = lp.solve_with(settings).ok()?;
    stats.nodes += outcome.stats().nodes_solved;
    stats.lp_iterations += outcome.stats().lp_iterations;
    let solution = outcome.solution()?;
    let placed = y.iter().map(|g| whole(&values(solution, g))).collect::<Option<Vec<_>>>()?;
    verify::feasible(problem, x, &placed).then_some(placed)
}

/// The limits rule out whole counts.
fn infeasible_whole(problem: &Problem) -> CoverError {
    CoverError::Infeasible(format!(
        "no roster of whole agents meets the {} limits together with the coverage",
        problem.limits.len()
    ))
}

/// The most coverage row `row` can get under the `AtMost` and part-time
/// limits (capped at its demand), by a small LP; 0 if microlp fails.
pub(crate) fn row_capacity(problem: &Problem, row: usize) -> f64 {
    let mut lp = microlp::Problem::new(OptimizationDirection::Maximize);
    let share = |j: usize| problem.columns[j].cover.iter().find(|c| c.0 as usize == row).map_or(0.0, |c| c.1);
    let vars: Vec<Variable> = (0..problem.columns.len()).map(|j| lp.add_var(share(j), (0.0, f64::INFINITY))).collect();
    let mut total = LinearExpr::empty();
    (0..vars.len()).filter(|&j| share(j) > 0.0).for_each(|j| total.add(vars[j], share(j)));
    lp.add_constraint(total, ComparisonOp::Le, f64::from(problem.demand[row]));
    for limit in problem.limits.iter().filter(|l| !matches!(l, Limit::AtLeast { .. })) {
        let (terms, op, rhs) = limit_row(problem, limit, &vars);
        lp.add_constraint(terms, op, rhs);
    }
    lp.solve().ok().and_then(|o| o.into_solution().ok()).map_or(0.0, |s| s.objective() + COVER_TOL)
}
