//! TEMPORARY greedy stand-in for the covering solver (replaced on merge).

/// One team's covering problem: rows are intervals.
#[derive(Debug, Clone, Default)]
pub struct Problem {
    /// Agents needed per row.
    pub demand: Vec<u32>,
    /// Candidate shifts.
    pub columns: Vec<Column>,
    /// Limits on the counts.
    pub limits: Vec<Limit>,
}

/// A candidate shift.
#[derive(Debug, Clone, Default)]
pub struct Column {
    /// Objective per agent.
    pub cost: f64,
    /// (row, share on duty), rows ascending.
    pub cover: Vec<(u32, f64)>,
    /// Part-time.
    pub part_time: bool,
}

/// A limit on counts.
#[derive(Debug, Clone)]
pub enum Limit {
    /// At most.
    AtMost {
        /// Columns.
        columns: Vec<usize>,
        /// Agents.
        agents: u32,
    },
    /// At least.
    AtLeast {
        /// Columns.
        columns: Vec<usize>,
        /// Agents.
        agents: u32,
    },
    /// Part-time share.
    PartTimeShare {
        /// Columns.
        columns: Vec<usize>,
        /// Share.
        share: f64,
    },
}

/// Work limits.
#[derive(Debug, Clone, Default)]
pub struct Options {}

/// Counters.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Seconds.
    pub seconds: f64,
}

/// A solution.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Agents per column.
    pub counts: Vec<u32>,
    /// Objective.
    pub objective: f64,
    /// Lower bound.
    pub lower_bound: f64,
    /// Gap.
    pub gap: f64,
    /// Optimal.
    pub optimal: bool,
    /// Stats.
    pub stats: Stats,
}

/// Why not.
#[derive(Debug, Clone)]
pub enum CoverError {
    /// Rows not coverable.
    Uncovered {
        /// Rows.
        rows: Vec<usize>,
    },
    /// Limits contradict.
    Infeasible(String),
}

/// Greedy.
pub fn solve(problem: &Problem, _options: &Options) -> Result<Solution, CoverError> {
    let n = problem.demand.len();
    let mut short: Vec<f64> = problem.demand.iter().map(|&d| d as f64).collect();
    let uncovered: Vec<usize> = (0..n)
        .filter(|&i| short[i] > 0.0 && !problem.columns.iter().any(|c| c.cover.iter().any(|&(r, _)| r as usize == i)))
        .collect();
    if !uncovered.is_empty() {
        return Err(CoverError::Uncovered { rows: uncovered });
    }
    let mut counts = vec![0u32; problem.columns.len()];
    loop {
        let best = (0..problem.columns.len())
            .map(|j| {
                let c = &problem.columns[j];
                let gain: f64 = c.cover.iter().map(|&(r, s)| s.min(short[r as usize].max(0.0))).sum();
                (j, gain / c.cost)
            })
            .filter(|&(_, g)| g > 1e-9)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((j, _)) = best else { break };
        counts[j] += 1;
        for &(r, s) in &problem.columns[j].cover {
            short[r as usize] -= s;
        }
        if short.iter().all(|&x| x <= 1e-9) {
            break;
        }
    }
    let objective = counts.iter().zip(&problem.columns).map(|(&k, c)| k as f64 * c.cost).sum();
    Ok(Solution { counts, objective, lower_bound: 0.0, gap: 1.0, optimal: false, stats: Stats::default() })
}
