//! Local search on whole counts: repair, drop redundant agents, then a
//! weighted remove-and-add search (rows short of demand gain weight each
//! step, so the search is drawn to the rows that are hard to cover), keeping
//! the cheapest roster that covers every row and meets every limit.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::verify::{self, members, COVER_TOL};
use super::{cost, Limit, Options, Problem, Stats};

/// A roster being changed one agent at a time, with what the moves need.
struct State<'a> {
    problem: &'a Problem,
    x: Vec<u32>,
    cost: f64,
    /// Agents on duty per row (shares summed).
    coverage: Vec<f64>,
    /// Row weights: 1, plus 1 for each step the row ended short.
    weight: Vec<f64>,
    /// Rows short of demand, and each row's place in that list.
    short: Vec<usize>,
    place: Vec<Option<usize>>,
    /// Per limit, agents on its columns and part-time agents among them.
    total: Vec<i64>,
    part: Vec<i64>,
    /// Limits on each column; columns covering each row.
    column_limits: Vec<Vec<usize>>,
    row_columns: Vec<Vec<usize>>,
}

impl<'a> State<'a> {
    /// The state of roster `x`.
    fn new(problem: &'a Problem, x: Vec<u32>) -> Self {
        let rows = problem.demand.len();
        let mut column_limits = vec![Vec::new(); problem.columns.len()];
        for (k, limit) in problem.limits.iter().enumerate() {
            members(limit).iter().for_each(|&j| column_limits[j].push(k));
        }
        let mut row_columns = vec![Vec::new(); rows];
        for (j, column) in problem.columns.iter().enumerate() {
            column.cover.iter().for_each(|&(r, _)| row_columns[r as usize].push(j));
        }
        let n = problem.limits.len();
        let mut state = State {
            problem,
            x: vec![0; x.len()],
            cost: 0.0,
            coverage: vec![0.0; rows],
            weight: vec![1.0; rows],
            short: Vec::new(),
            place: vec![None; rows],
            total: vec![0; n],
            part: vec![0; n],
            column_limits,
            row_columns,
        };
        (0..rows).for_each(|i| state.update_short(i));
        for (j, &k) in x.iter().enumerate() {
            state.add_many(j, k);
        }
        state
    }

    /// Adds `k` agents to column `j` at once.
    fn add_many(&mut self, j: usize, k: u32) {
        if k == 0 {
            return;
        }
        let column = &self.problem.columns[j];
        self.x[j] += k;
        self.cost += column.cost * f64::from(k);
        for &(r, s) in &column.cover {
            self.coverage[r as usize] += s * f64::from(k);
            self.update_short(r as usize);
        }
        self.count_limits(j, i64::from(k));
    }

    /// Moves one agent onto (`up`) or off column `j`.
    fn step(&mut self, j: usize, up: bool) {
        if up {
            return self.add_many(j, 1);
        }
        let column = &self.problem.columns[j];
        self.x[j] -= 1;
        self.cost -= column.cost;
        for &(r, s) in &column.cover {
            self.coverage[r as usize] -= s;
            self.update_short(r as usize);
        }
        self.count_limits(j, -1);
    }

    /// The limits' counts after `delta` agents on column `j`.
    fn count_limits(&mut self, j: usize, delta: i64) {
        let part_time = self.problem.columns[j].part_time;
        for &k in &self.column_limits[j] {
            self.total[k] += delta;
            if part_time {
                self.part[k] += delta;
            }
        }
    }

    /// Agents row `i` lacks at coverage `coverage`.
    fn deficit(&self, i: usize, coverage: f64) -> f64 {
        (f64::from(self.problem.demand[i]) - coverage - COVER_TOL).max(0.0)
    }

    /// Keeps row `i`'s membership of the short list current.
    fn update_short(&mut self, i: usize) {
        let is_short = self.deficit(i, self.coverage[i]) > 0.0;
        match (is_short, self.place[i]) {
            (true, None) => {
                self.place[i] = Some(self.short.len());
                self.short.push(i);
            }
            (false, Some(p)) => {
                self.short.swap_remove(p);
                if let Some(&moved) = self.short.get(p) {
                    self.place[moved] = Some(p);
                }
                self.place[i] = None;
            }
            _ => {}
        }
    }

    /// Weighted deficit one more (`up`) or one fewer agent on `j` changes:
    /// the gain of adding, or the loss of removing.
    fn weighted_change(&self, j: usize, up: bool) -> f64 {
        let sign = if up { 1.0 } else { -1.0 };
        let change = |&(r, s): &(u32, f64)| {
            let (i, now) = (r as usize, self.coverage[r as usize]);
            self.weight[i] * (self.deficit(i, now) - self.deficit(i, now + sign * s)).abs()
        };
        self.problem.columns[j].cover.iter().map(change).sum()
    }

    /// Whether one more (`up`) or one fewer agent on `j` leaves no limit
    /// worse off than it holds now or holding.
    fn allowed(&self, j: usize, up: bool) -> bool {
        if (!up && self.x[j] == 0) || (up && self.x[j] == u32::MAX) {
            return false;
        }
        let delta = if up { 1 } else { -1 };
        let part_time = self.problem.columns[j].part_time;
        self.column_limits[j].iter().all(|&k| {
            let part = self.part[k] + if part_time { delta } else { 0 };
            let after = holds(&self.problem.limits[k], self.total[k] + delta, part);
            after || !holds(&self.problem.limits[k], self.total[k], self.part[k]) && improves(part_time, up, k, self)
        })
    }

    /// Whether every limit holds now.
    fn limits_hold(&self) -> bool {
        self.problem.limits.iter().enumerate().all(|(k, l)| holds(l, self.total[k], self.part[k]))
    }

    /// Whether removing one agent of `j` leaves every row covered.
    fn redundant(&self, j: usize) -> bool {
        let columns = &self.problem.columns[j];
        columns.cover.iter().all(|&(r, s)| self.deficit(r as usize, self.coverage[r as usize] - s) <= 0.0)
    }

    /// Removes agents no row needs, most expensive columns first.
    fn drop_redundant(&mut self) {
        let mut order: Vec<usize> = (0..self.x.len()).collect();
        order.sort_by(|&a, &b| self.problem.columns[b].cost.total_cmp(&self.problem.columns[a].cost).then(a.cmp(&b)));
        for j in order {
            while self.allowed(j, false) && self.redundant(j) {
                self.step(j, false);
            }
        }
    }

    /// The agent to remove: least weighted loss per cost, not `tabu`.
    fn pick_remove(&self, tabu: usize) -> Option<usize> {
        let candidates = (0..self.x.len()).filter(|&j| j != tabu && self.allowed(j, false));
        let score = |j: usize| self.weighted_change(j, false) / self.problem.columns[j].cost;
        best_by(candidates, score, |a, b| a < b)
    }

    /// The column to add an agent to for short row `row`: most weighted gain
    /// per cost, costing at most `room`, not `tabu`.
    fn pick_add(&self, row: usize, tabu: usize, room: f64) -> Option<usize> {
        let fits = |j: usize| j != tabu && self.problem.columns[j].cost <= room && self.allowed(j, true);
        let candidates = self.row_columns[row].iter().copied().filter(|&j| fits(j));
        let score = |j: usize| self.weighted_change(j, true) / self.problem.columns[j].cost;
        best_by(candidates, score, |a, b| a > b)
    }

    /// Adds agents greedily until no row is short (or no column may grow):
    /// enough at once to cover the row where no limit is on the column, one
    /// at a time (at most [`REPAIR_STEPS`]) where one is.
    fn repair(&mut self) {
        for _ in 0..REPAIR_STEPS {
            let Some(&row) = self.short.first() else { return };
            let Some(j) = self.pick_add(row, usize::MAX, f64::INFINITY) else { return };
            let share = self.problem.columns[j].cover.iter().find(|c| c.0 as usize == row).map_or(1.0, |c| c.1);
            let needed = (self.deficit(row, self.coverage[row]) / share).ceil().min(f64::from(u32::MAX - self.x[j]));
            let agents = if self.column_limits[j].is_empty() { (needed as u32).max(1) } else { 1 };
            self.add_many(j, agents);
        }
    }
}

/// Most single additions [`State::repair`] makes.
const REPAIR_STEPS: usize = 100_000;

/// Whether a limit holds with `total` agents on its columns, `part` of them
/// part-time.
fn holds(limit: &Limit, total: i64, part: i64) -> bool {
    match limit {
        Limit::AtMost { agents, .. } => total <= i64::from(*agents),
        Limit::AtLeast { agents, .. } => total >= i64::from(*agents),
        Limit::PartTimeShare { share, .. } => part as f64 <= share * total as f64 + COVER_TOL,
    }
}

/// Whether the move brings broken limit `k` closer to holding.
fn improves(part_time: bool, up: bool, k: usize, state: &State) -> bool {
    match &state.problem.limits[k] {
        Limit::AtMost { .. } => !up,
        Limit::AtLeast { .. } => up,
        Limit::PartTimeShare { .. } => part_time != up,
    }
}

/// The candidate whose score is `better` than all others (first on ties).
fn best_by(
    candidates: impl Iterator<Item = usize>,
    score: impl Fn(usize) -> f64,
    better: impl Fn(f64, f64) -> bool,
) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for j in candidates {
        let s = score(j);
        if best.is_none_or(|(_, b)| better(s, b)) {
            best = Some((j, s));
        }
    }
    best.map(|(j, _)| j)
}

/// The cheapest roster found from `start` (which may be short or break
/// limits): repair, drop, then `options.search_steps` weighted moves.
/// Stops early once the gap to `bound` is at most `options.target_gap`.
/// `None` if no roster met every limit.
pub(crate) fn improve(
    problem: &Problem,
    start: Vec<u32>,
    bound: f64,
    options: &Options,
    stats: &mut Stats,
) -> Option<Vec<u32>> {
    let mut state = State::new(problem, start);
    state.repair();
    let mut best = record(&mut state, None);
    let cheapest = problem.columns.iter().map(|c| c.cost).fold(f64::INFINITY, f64::min);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let (mut tabu_add, mut tabu_remove) = (usize::MAX, usize::MAX);
    for _ in 0..options.search_steps {
        if best.as_ref().is_some_and(|(_, c)| (c - bound) <= options.target_gap * c) {
            break;
        }
        stats.search_steps += 1;
        if state.short.is_empty() {
            best = record(&mut state, best);
        }
        let target = best.as_ref().map_or(f64::INFINITY, |b| b.1 - 1e-7 * b.1.max(1.0));
        while state.short.is_empty() || state.cost + cheapest > target {
            let Some(j) = state.pick_remove(tabu_remove) else { return best.map(|b| b.0) };
            state.step(j, false);
            tabu_add = j;
        }
        state.short.clone().into_iter().for_each(|i| state.weight[i] += 1.0);
        let row = state.short[rng.random_range(0..state.short.len())];
        match state.pick_add(row, tabu_add, target - state.cost) {
            Some(j) => {
                state.step(j, true);
                tabu_remove = j;
            }
            None => {
                let Some(j) = state.pick_remove(tabu_remove) else { return best.map(|b| b.0) };
                state.step(j, false);
            }
        }
    }
    best.map(|b| b.0)
}

/// Drops redundant agents and keeps the roster if it is feasible and
/// cheaper than `best`.
fn record(state: &mut State, best: Option<(Vec<u32>, f64)>) -> Option<(Vec<u32>, f64)> {
    if !state.short.is_empty() || !state.limits_hold() {
        return best;
    }
    state.drop_redundant();
    let better = best.as_ref().is_none_or(|(_, c)| state.cost < c - 1e-9);
    if better && verify::feasible(state.problem, &state.x, &[]) {
        let exact = cost(state.problem, &state.x);
        return Some((state.x.clone(), exact));
    }
    best
}
