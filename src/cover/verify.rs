//! Checks before solving (numbers in range, rows that cannot be covered,
//! limits that contradict), the roster feasibility test and the costs'
//! granularity.

use super::{lp, CoverError, Limit, Options, Problem};

/// Slack allowed on a row's coverage for floating-point sums of shares
/// (agents).
pub(crate) const COVER_TOL: f64 = 1e-9;

/// Rejects NaN, infinite or out-of-range numbers and indices.
pub(crate) fn validate(problem: &Problem, options: &Options) -> Result<(), CoverError> {
    if !options.target_gap.is_finite() || options.target_gap < 0.0 {
        return Err(invalid(format!("options.target_gap {} is not a share >= 0", options.target_gap)));
    }
    let rows = problem.demand.len();
    for (j, column) in problem.columns.iter().enumerate() {
        validate_column(j, column, rows)?;
    }
    for (k, limit) in problem.limits.iter().enumerate() {
        validate_limit(k, limit, problem.columns.len())?;
    }
    for (g, group) in problem.breaks.iter().enumerate() {
        validate_group(g, group, problem.columns.len(), rows)?;
    }
    countable(problem)
}

/// Rejects a row whose demand even `u32::MAX` agents on every column over
/// it would not cover (a roster's counts are `u32`).
fn countable(problem: &Problem) -> Result<(), CoverError> {
    let mut most = vec![0.0; problem.demand.len()];
    for column in &problem.columns {
        column.cover.iter().for_each(|&(r, s)| most[r as usize] += s * f64::from(u32::MAX));
    }
    match problem.demand.iter().zip(&most).position(|(&d, &m)| m > 0.0 && f64::from(d) > m) {
        Some(i) => {
            Err(invalid(format!("row {i}: demand {} needs more agents than a count can hold", problem.demand[i])))
        }
        None => Ok(()),
    }
}

/// One column's cost and cover.
fn validate_column(j: usize, column: &super::Column, rows: usize) -> Result<(), CoverError> {
    if !column.cost.is_finite() || column.cost <= 0.0 {
        return Err(invalid(format!("columns[{j}].cost {} is not a finite number > 0", column.cost)));
    }
    validate_shares(&format!("columns[{j}].cover"), &column.cover, rows)
}

/// One break group's column and options.
fn validate_group(g: usize, group: &super::BreakGroup, columns: usize, rows: usize) -> Result<(), CoverError> {
    if group.column >= columns {
        return Err(invalid(format!("breaks[{g}].column {} is past the {columns} columns", group.column)));
    }
    if group.options.is_empty() {
        return Err(invalid(format!("breaks[{g}] has no option")));
    }
    group
        .options
        .iter()
        .enumerate()
        .try_for_each(|(o, option)| validate_shares(&format!("breaks[{g}].options[{o}]"), option, rows))
}

/// (row, share) pairs: rows ascending and in range, shares in (0, 1].
fn validate_shares(what: &str, shares: &[(u32, f64)], rows: usize) -> Result<(), CoverError> {
    let mut previous: Option<u32> = None;
    for &(row, share) in shares {
        if row as usize >= rows {
            return Err(invalid(format!("{what}: row {row} is past the {rows} rows of demand")));
        }
        if previous.is_some_and(|p| p >= row) {
            return Err(invalid(format!("{what}: row {row} is not after the row before it")));
        }
        if !(share > 0.0 && share <= 1.0) {
            return Err(invalid(format!("{what}: share {share} at row {row} is not in (0, 1]")));
        }
        previous = Some(row);
    }
    Ok(())
}

/// One limit's column indices and share.
fn validate_limit(k: usize, limit: &Limit, columns: usize) -> Result<(), CoverError> {
    if let Some(&j) = members(limit).iter().find(|&&j| j >= columns) {
        return Err(invalid(format!("limits[{k}]: column {j} is past the {columns} columns")));
    }
    let mut sorted = members(limit).to_vec();
    sorted.sort_unstable();
    if let Some(pair) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(invalid(format!("limits[{k}]: column {} is listed twice", pair[0])));
    }
    match limit {
        Limit::PartTimeShare { share, .. } if !(0.0..=1.0).contains(share) => {
            Err(invalid(format!("limits[{k}]: part-time share {share} is not in [0, 1]")))
        }
        _ => Ok(()),
    }
}

/// An [`CoverError::Invalid`] with this description.
fn invalid(message: String) -> CoverError {
    CoverError::Invalid(message)
}

/// The columns a limit is on.
pub(crate) fn members(limit: &Limit) -> &[usize] {
    match limit {
        Limit::AtMost { columns, .. } | Limit::AtLeast { columns, .. } | Limit::PartTimeShare { columns, .. } => {
            columns
        }
    }
}

/// Most agents each column can hold under the limits taken one at a time
/// (infinite where none binds): the smallest `AtMost` on it, and 0 for a
/// part-time column under a share that leaves part-timers no room.
pub(crate) fn caps(problem: &Problem) -> Vec<f64> {
    let mut caps = vec![f64::INFINITY; problem.columns.len()];
    for limit in &problem.limits {
        match limit {
            Limit::AtMost { columns, agents } => {
                for &j in columns {
                    caps[j] = caps[j].min(f64::from(*agents));
                }
            }
            Limit::PartTimeShare { columns, share } => {
                let full_time = columns.iter().any(|&j| !problem.columns[j].part_time);
                if *share <= 0.0 || (*share < 1.0 && !full_time) {
                    columns.iter().filter(|&&j| problem.columns[j].part_time).for_each(|&j| caps[j] = 0.0);
                }
            }
            Limit::AtLeast { .. } => {}
        }
    }
    caps
}

/// Rows with demand that the columns, each at its cap, still fall short of.
fn short_rows(problem: &Problem) -> Vec<usize> {
    let caps = caps(problem);
    let mut capacity = vec![0.0; problem.demand.len()];
    for (column, cap) in problem.columns.iter().zip(&caps) {
        for &(row, share) in &column.cover {
            capacity[row as usize] += share * cap;
        }
    }
    let short = |(i, &d): (usize, &u32)| (d > 0 && capacity[i] < f64::from(d) - COVER_TOL).then_some(i);
    problem.demand.iter().enumerate().filter_map(short).collect()
}

/// Whether a limit can make a row uncoverable beyond the per-column caps.
fn limits_restrict(problem: &Problem) -> bool {
    problem.limits.iter().any(|l| !matches!(l, Limit::AtLeast { .. }))
}

/// [`CoverError::Uncovered`] if some row cannot be covered.
pub(crate) fn uncovered(problem: &Problem) -> Result<(), CoverError> {
    let rows = short_rows(problem);
    if rows.is_empty() {
        return Ok(());
    }
    let rows = if limits_restrict(problem) { exact_uncovered(problem) } else { rows };
    Err(CoverError::Uncovered { rows })
}

/// Every row that cannot be covered on its own under the `AtMost` and
/// part-time limits, each found by a small LP (only on the error path).
pub(crate) fn exact_uncovered(problem: &Problem) -> Vec<usize> {
    let short = short_rows(problem);
    let restricted = limits_restrict(problem);
    let mut rows = Vec::new();
    for (i, &d) in problem.demand.iter().enumerate() {
        let capacity_short = short.binary_search(&i).is_ok();
        if d > 0 && (capacity_short || (restricted && lp::row_capacity(problem, i) < f64::from(d) - 1e-7)) {
            rows.push(i);
        }
    }
    rows
}

/// [`CoverError::Infeasible`] for an `AtLeast` that an `AtMost` on a superset
/// of its columns, or caps of 0, rule out.
pub(crate) fn contradictions(problem: &Problem) -> Result<(), CoverError> {
    let caps = caps(problem);
    for (k, limit) in problem.limits.iter().enumerate() {
        let Limit::AtLeast { columns, agents } = limit else { continue };
        if *agents == 0 {
            continue;
        }
        if columns.iter().all(|&j| caps[j] <= 0.0) {
            return Err(CoverError::Infeasible(format!(
                "limits[{k}] asks at least {agents} agents on columns that other limits hold at 0 (or on no column)"
            )));
        }
        if let Some((m, most)) = superset_at_most(problem, columns, *agents) {
            return Err(CoverError::Infeasible(format!(
                "limits[{k}] asks at least {agents} agents where limits[{m}] allows at most {most}"
            )));
        }
    }
    Ok(())
}

/// An `AtMost` below `agents` whose columns include all of `columns`.
fn superset_at_most(problem: &Problem, columns: &[usize], agents: u32) -> Option<(usize, u32)> {
    problem.limits.iter().enumerate().find_map(|(m, limit)| match limit {
        Limit::AtMost { columns: most_columns, agents: most }
            if *most < agents && columns.iter().all(|j| most_columns.contains(j)) =>
        {
            Some((m, *most))
        }
        _ => None,
    })
}

/// Whether roster `x` with break placement `y` (agents per break group and
/// option, empty when the problem has no break groups) covers every row,
/// places every agent's breaks and meets every limit.
pub(crate) fn feasible(problem: &Problem, x: &[u32], y: &[Vec<u32>]) -> bool {
    let mut coverage = vec![0.0; problem.demand.len()];
    for (column, &k) in problem.columns.iter().zip(x) {
        for &(row, share) in &column.cover {
            coverage[row as usize] += share * f64::from(k);
        }
    }
    if y.len() != problem.breaks.len() {
        return false;
    }
    for (group, placed) in problem.breaks.iter().zip(y) {
        if placed.len() != group.options.len()
            || placed.iter().map(|&k| u64::from(k)).sum::<u64>() != u64::from(x[group.column])
        {
            return false;
        }
        for (option, &k) in group.options.iter().zip(placed) {
            option.iter().for_each(|&(row, share)| coverage[row as usize] -= share * f64::from(k));
        }
    }
    let covered = problem.demand.iter().zip(&coverage).all(|(&d, &c)| c >= f64::from(d) - COVER_TOL);
    covered && problem.limits.iter().all(|limit| limit_holds(problem, limit, x))
}

/// Whether roster `x` meets `limit`.
pub(crate) fn limit_holds(problem: &Problem, limit: &Limit, x: &[u32]) -> bool {
    let total: u64 = members(limit).iter().map(|&j| u64::from(x[j])).sum();
    match limit {
        Limit::AtMost { agents, .. } => total <= u64::from(*agents),
        Limit::AtLeast { agents, .. } => total >= u64::from(*agents),
        Limit::PartTimeShare { columns, share } => {
            let part: u64 = columns.iter().filter(|&&j| problem.columns[j].part_time).map(|&j| u64::from(x[j])).sum();
            part as f64 <= share * total as f64 + COVER_TOL
        }
    }
}

/// `bound` raised to the next multiple of the costs' common step, when all
/// costs are whole multiples of one (in units of 1, 1/2, 1/4, 1/10 or 1/100):
/// every roster costs such a multiple.
pub(crate) fn granular(problem: &Problem, bound: f64) -> f64 {
    let Some(step) = cost_step(problem) else { return bound };
    let steps = (bound / step - 1e-6).ceil();
    (steps * step).max(bound)
}

/// The largest step every cost is a whole multiple of, if any.
fn cost_step(problem: &Problem) -> Option<f64> {
    [1.0, 2.0, 4.0, 10.0, 100.0].into_iter().find_map(|scale| {
        let mut step: u64 = 0;
        for column in &problem.columns {
            let scaled = column.cost * scale;
            if (scaled - scaled.round()).abs() > 1e-9 * scaled.max(1.0) || scaled > 1e15 {
                return None;
            }
            step = gcd(step, scaled.round() as u64);
        }
        (step > 0).then(|| step as f64 / scale)
    })
}

/// Greatest common divisor.
fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}
