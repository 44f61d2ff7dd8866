//! Rosters with breaks to place, without re-solving the large LP: the
//! relaxation's placement turned into each column's expected cover (its
//! break options weighted as the relaxation placed them, evenly where it
//! used no agent), a dive on that small break-free model for whole
//! counts, then the breaks of those counts placed (the relaxation's shares
//! rounded) and repaired by local moves: move one agent's break to another
//! option, or add the agent that best covers a row still short; then
//! agents dropped while the moves keep every row covered. Every step is a
//! count of work, so the same problem gives the same roster.

use std::collections::BTreeMap;

use super::lp::{self, Roster};
use super::verify::{self, members, COVER_TOL};
use super::{Column, Problem, Stats};

/// Break moves tried to cover the rows a dropped agent leaves short.
const DROP_MOVES: usize = 40;

/// Passes over the columns dropping agents.
const DROP_PASSES: usize = 4;

/// Moves and additions the repair may make, per agent of the start.
const REPAIR_PER_AGENT: u64 = 50;

/// Ruin-and-recreate rounds after the first drop.
const RUIN_ROUNDS: usize = 200;

/// A roster with breaks from the relaxation's columns `relaxed` and
/// placements `placed` (agents per group and option), found as described
/// in the module comment; `None` when it finds none that covers every row
/// and meets every limit.
pub(crate) fn roster(problem: &Problem, relaxed: &[f64], placed: &[Vec<f64>], stats: &mut Stats) -> Option<Roster> {
    let shares = option_shares(problem, relaxed, placed);
    let expected = expected_model(problem, &shares);
    let relaxation = lp::relax(&expected, stats).ok()?;
    let (x, _) = lp::dive(&expected, relaxation, stats)?;
    let y = rounded_placement(problem, &x, &shares);
    let mut state = State::new(problem, x, y);
    let budget = REPAIR_PER_AGENT * (state.x.iter().map(|&k| u64::from(k)).sum::<u64>() + 16);
    let repaired = state.limits_hold() && state.repair(budget);
    if repaired {
        state.drop_agents();
        state.improve(RUIN_ROUNDS);
    }
    stats.search_steps += state.moves;
    let State { x, y, .. } = state;
    (repaired && verify::feasible(problem, &x, &y)).then_some((x, y))
}

/// `start`, a roster of `problem`'s columns and break groups made for a
/// demand since raised, repaired until it covers every row: breaks moved
/// and agents added where rows are short, no agent taken off, so the
/// roster changes only where the new demand asks; `None` when the moves
/// cannot cover every row within the limits.
pub(crate) fn extend(problem: &Problem, (x, y): Roster, stats: &mut Stats) -> Option<Roster> {
    let mut state = State::new(problem, x, y);
    let budget = REPAIR_PER_AGENT * (state.x.iter().map(|&k| u64::from(k)).sum::<u64>() + 16);
    let repaired = state.limits_hold() && state.repair(budget);
    stats.search_steps += state.moves;
    let State { x, y, .. } = state;
    (repaired && verify::feasible(problem, &x, &y)).then_some((x, y))
}

/// Per break group, the share of its column's agents at each option: as
/// the relaxation placed them, or even where it put no agent on the column.
fn option_shares(problem: &Problem, relaxed: &[f64], placed: &[Vec<f64>]) -> Vec<Vec<f64>> {
    problem
        .breaks
        .iter()
        .zip(placed)
        .map(|(group, y)| {
            let total: f64 = y.iter().map(|v| v.max(0.0)).sum();
            if relaxed[group.column] > 1e-6 && total > 1e-9 {
                y.iter().map(|v| v.max(0.0) / total).collect()
            } else {
                vec![1.0 / group.options.len() as f64; group.options.len()]
            }
        })
        .collect()
}

/// The break-free model whose columns cover what their agents are
/// expected to with the breaks at `shares`.
fn expected_model(problem: &Problem, shares: &[Vec<f64>]) -> Problem {
    let mut cover: Vec<BTreeMap<u32, f64>> =
        problem.columns.iter().map(|c| c.cover.iter().copied().collect()).collect();
    for (group, weights) in problem.breaks.iter().zip(shares) {
        for (option, &w) in group.options.iter().zip(weights) {
            for &(r, s) in option {
                *cover[group.column].entry(r).or_default() -= w * s;
            }
        }
    }
    let columns = problem
        .columns
        .iter()
        .zip(cover)
        .map(|(c, rows)| Column {
            cost: c.cost,
            cover: rows.into_iter().filter(|&(_, s)| s > 1e-9).map(|(r, s)| (r, s.min(1.0))).collect(),
            part_time: c.part_time,
        })
        .collect();
    Problem { demand: problem.demand.clone(), columns, limits: problem.limits.clone(), breaks: Vec::new() }
}

/// Each group's agents (its column's count in `x`) shared over its options
/// by `shares`, rounded by largest remainder (the earlier option first on
/// ties).
fn rounded_placement(problem: &Problem, x: &[u32], shares: &[Vec<f64>]) -> Vec<Vec<u32>> {
    problem
        .breaks
        .iter()
        .zip(shares)
        .map(|(group, weights)| {
            let n = x[group.column];
            let target: Vec<f64> = weights.iter().map(|w| w * f64::from(n)).collect();
            let mut y: Vec<u32> = target.iter().map(|t| (t + 1e-9).floor() as u32).collect();
            let mut left = n.saturating_sub(y.iter().sum());
            let mut order: Vec<usize> = (0..y.len()).collect();
            order.sort_by(|&a, &b| {
                let (fa, fb) = (target[a] - f64::from(y[a]), target[b] - f64::from(y[b]));
                fb.total_cmp(&fa).then(a.cmp(&b))
            });
            for &o in order.iter().cycle() {
                if left == 0 {
                    break;
                }
                y[o] += 1;
                left -= 1;
            }
            y
        })
        .collect()
}

/// A roster with placed breaks being changed, with its coverage.
struct State<'a> {
    problem: &'a Problem,
    x: Vec<u32>,
    y: Vec<Vec<u32>>,
    /// Agents on duty per row.
    coverage: Vec<f64>,
    /// Break groups of each column.
    groups: Vec<Vec<usize>>,
    /// Per row, the (group, option) whose break takes agents off it.
    off_in: Vec<Vec<(usize, usize)>>,
    /// Columns on duty in each row.
    row_columns: Vec<Vec<usize>>,
    /// Limits on each column.
    column_limits: Vec<Vec<usize>>,
    /// Break moves, agents added and agents removed so far.
    moves: u64,
}

impl<'a> State<'a> {
    fn new(problem: &'a Problem, x: Vec<u32>, y: Vec<Vec<u32>>) -> Self {
        let rows = problem.demand.len();
        let mut groups = vec![Vec::new(); problem.columns.len()];
        let mut off_in = vec![Vec::new(); rows];
        for (g, group) in problem.breaks.iter().enumerate() {
            groups[group.column].push(g);
            for (o, option) in group.options.iter().enumerate() {
                option.iter().for_each(|&(r, _)| off_in[r as usize].push((g, o)));
            }
        }
        let mut row_columns = vec![Vec::new(); rows];
        for (j, column) in problem.columns.iter().enumerate() {
            column.cover.iter().for_each(|&(r, _)| row_columns[r as usize].push(j));
        }
        let mut column_limits = vec![Vec::new(); problem.columns.len()];
        for (k, limit) in problem.limits.iter().enumerate() {
            members(limit).iter().for_each(|&j| column_limits[j].push(k));
        }
        let mut state =
            State { problem, x, y, coverage: vec![0.0; rows], groups, off_in, row_columns, column_limits, moves: 0 };
        state.recount();
        state
    }

    /// Coverage recomputed from the counts and placements.
    fn recount(&mut self) {
        self.coverage.iter_mut().for_each(|c| *c = 0.0);
        for (column, &k) in self.problem.columns.iter().zip(&self.x) {
            column.cover.iter().for_each(|&(r, s)| self.coverage[r as usize] += s * f64::from(k));
        }
        for (group, placed) in self.problem.breaks.iter().zip(&self.y) {
            for (option, &k) in group.options.iter().zip(placed) {
                option.iter().for_each(|&(r, s)| self.coverage[r as usize] -= s * f64::from(k));
            }
        }
    }

    /// Agents row `r` lacks at coverage `c`.
    fn short_by(&self, r: usize, c: f64) -> f64 {
        (f64::from(self.problem.demand[r]) - c - COVER_TOL).max(0.0)
    }

    /// The first row short of demand.
    fn first_short(&self) -> Option<usize> {
        (0..self.coverage.len()).find(|&r| self.short_by(r, self.coverage[r]) > 0.0)
    }

    /// Change in total shortfall when the shares `add` are added to the
    /// coverage and `remove` taken off it.
    fn shortfall_change(&self, add: &[(u32, f64)], remove: &[(u32, f64)]) -> f64 {
        let mut change = 0.0;
        let mut seen: Vec<u32> = Vec::with_capacity(add.len() + remove.len());
        for &(r, _) in add.iter().chain(remove) {
            if seen.contains(&r) {
                continue;
            }
            seen.push(r);
            let delta = share_at(add, r) - share_at(remove, r);
            let now = self.coverage[r as usize];
            change += self.short_by(r as usize, now + delta) - self.short_by(r as usize, now);
        }
        change
    }

    /// Moves one agent of group `g` from option `from` to `to`.
    fn shift(&mut self, g: usize, from: usize, to: usize) {
        let options = &self.problem.breaks[g].options;
        options[from].iter().for_each(|&(r, s)| self.coverage[r as usize] += s);
        options[to].iter().for_each(|&(r, s)| self.coverage[r as usize] -= s);
        self.y[g][from] -= 1;
        self.y[g][to] += 1;
        self.moves += 1;
    }

    /// The break move off short row `r` that most lowers the total
    /// shortfall: (group, from, to, change), the change below zero.
    fn best_shift(&self, r: usize) -> Option<(usize, usize, usize, f64)> {
        let mut best: Option<(usize, usize, usize, f64)> = None;
        for &(g, from) in &self.off_in[r] {
            if self.y[g][from] == 0 {
                continue;
            }
            let options = &self.problem.breaks[g].options;
            for to in (0..options.len()).filter(|&o| o != from) {
                let change = self.shortfall_change(&options[from], &options[to]);
                if change < -1e-9 && best.is_none_or(|b| change < b.3 - 1e-12) {
                    best = Some((g, from, to, change));
                }
            }
        }
        best
    }

    /// Adds (`sign` 1) or removes (−1) one agent of column `j` with breaks
    /// at `options` (one per group of `j`).
    fn change_agent(&mut self, j: usize, options: &[usize], sign: i32) {
        let k = f64::from(sign);
        let problem = self.problem;
        let column = &problem.columns[j];
        column.cover.iter().for_each(|&(r, s)| self.coverage[r as usize] += k * s);
        for (&g, &o) in self.groups[j].iter().zip(options) {
            problem.breaks[g].options[o].iter().for_each(|&(r, s)| self.coverage[r as usize] -= k * s);
            self.y[g][o] = self.y[g][o].checked_add_signed(sign).expect("a placed agent");
        }
        self.x[j] = self.x[j].checked_add_signed(sign).expect("an agent on the column");
        self.moves += 1;
    }

    /// Whether every limit holds.
    fn limits_hold(&self) -> bool {
        self.problem.limits.iter().all(|l| verify::limit_holds(self.problem, l, &self.x))
    }

    /// Whether the limits on column `j` hold with its count changed by
    /// `sign`.
    fn allowed(&mut self, j: usize, sign: i32) -> bool {
        let Some(changed) = self.x[j].checked_add_signed(sign) else { return false };
        let before = std::mem::replace(&mut self.x[j], changed);
        let holds =
            self.column_limits[j].iter().all(|&k| verify::limit_holds(self.problem, &self.problem.limits[k], &self.x));
        self.x[j] = before;
        holds
    }

    /// One more agent on the column that best covers short row `r` (most
    /// shortfall removed per cost), its breaks each at the option that
    /// costs the coverage least. False when no agent lowers the shortfall.
    fn add_for(&mut self, r: usize) -> bool {
        let problem = self.problem;
        let mut best: Option<(usize, Vec<usize>, f64)> = None;
        for j in self.row_columns[r].clone() {
            if !self.allowed(j, 1) {
                continue;
            }
            let column = &problem.columns[j];
            let mut change = self.shortfall_change(&column.cover, &[]);
            column.cover.iter().for_each(|&(r, s)| self.coverage[r as usize] += s);
            let mut options = Vec::new();
            for &g in &self.groups[j] {
                let group = &problem.breaks[g];
                let (o, c) = (0..group.options.len())
                    .map(|o| (o, self.shortfall_change(&[], &group.options[o])))
                    .fold((0, f64::INFINITY), |b, (o, c)| if c < b.1 - 1e-12 { (o, c) } else { b });
                group.options[o].iter().for_each(|&(r, s)| self.coverage[r as usize] -= s);
                change += c;
                options.push(o);
            }
            // Undo the trial.
            column.cover.iter().for_each(|&(r, s)| self.coverage[r as usize] -= s);
            for (&g, &o) in self.groups[j].iter().zip(&options) {
                self.problem.breaks[g].options[o].iter().for_each(|&(r, s)| self.coverage[r as usize] += s);
            }
            let score = change / column.cost;
            if change < -1e-9 && best.as_ref().is_none_or(|b| score < b.2 - 1e-12) {
                best = Some((j, options, score));
            }
        }
        let Some((j, options, _)) = best else { return false };
        self.change_agent(j, &options, 1);
        true
    }

    /// Break moves, then added agents, until no row is short (true) or
    /// `budget` steps are spent or nothing helps (false).
    fn repair(&mut self, budget: u64) -> bool {
        for _ in 0..budget {
            let Some(r) = self.first_short() else { return true };
            if let Some((g, from, to, _)) = self.best_shift(r) {
                self.shift(g, from, to);
            } else if !self.add_for(r) {
                return false;
            }
        }
        self.first_short().is_none()
    }

    /// Break moves only, at most `moves`, until no row is short; the moves
    /// made are pushed on `made`.
    fn reshuffle(&mut self, moves: usize, made: &mut Vec<(usize, usize, usize)>) -> bool {
        for _ in 0..moves {
            let Some(r) = self.first_short() else { return true };
            let Some((g, from, to, _)) = self.best_shift(r) else { return false };
            self.shift(g, from, to);
            made.push((g, from, to));
        }
        self.first_short().is_none()
    }

    /// For removing one agent of column `j`: per group, the option whose
    /// agents' break lies most in rows that removal leaves short.
    fn removal_options(&mut self, j: usize) -> Vec<usize> {
        let problem = self.problem;
        let column = &problem.columns[j];
        column.cover.iter().for_each(|&(r, s)| self.coverage[r as usize] -= s);
        let mut chosen = Vec::new();
        for &g in &self.groups[j] {
            let group = &problem.breaks[g];
            let (o, _) = (0..group.options.len())
                .filter(|&o| self.y[g][o] > 0)
                .map(|o| (o, self.shortfall_change(&group.options[o], &[])))
                .fold((usize::MAX, f64::INFINITY), |b, (o, c)| if c < b.1 - 1e-12 { (o, c) } else { b });
            group.options[o].iter().for_each(|&(r, s)| self.coverage[r as usize] += s);
            chosen.push(o);
        }
        column.cover.iter().for_each(|&(r, s)| self.coverage[r as usize] += s);
        for (&g, &o) in self.groups[j].iter().zip(&chosen) {
            self.problem.breaks[g].options[o].iter().for_each(|&(r, s)| self.coverage[r as usize] -= s);
        }
        chosen
    }

    /// Drops agents, the most expensive columns first, each kept out when
    /// at most [`DROP_MOVES`] break moves cover every row again.
    fn drop_agents(&mut self) {
        let mut order: Vec<usize> = (0..self.x.len()).collect();
        let columns = &self.problem.columns;
        order.sort_by(|&a, &b| columns[b].cost.total_cmp(&columns[a].cost).then(a.cmp(&b)));
        let mut made = Vec::new();
        for _ in 0..DROP_PASSES {
            let mut dropped = false;
            for &j in &order {
                while self.x[j] > 0 && self.allowed(j, -1) {
                    let options = self.removal_options(j);
                    self.change_agent(j, &options, -1);
                    made.clear();
                    if self.reshuffle(DROP_MOVES, &mut made) {
                        dropped = true;
                        continue;
                    }
                    made.iter().rev().for_each(|&(g, from, to)| self.shift(g, to, from));
                    self.change_agent(j, &options, 1);
                    break;
                }
            }
            if !dropped {
                break;
            }
            self.recount();
        }
    }
}

impl State<'_> {
    /// Total cost of the roster.
    fn cost(&self) -> f64 {
        super::cost(self.problem, &self.x)
    }

    /// Ruin and recreate, `rounds` times: take up to [`RUIN_AGENTS`]
    /// agents off the columns on duty in one row (the ones whose loss
    /// leaves the least short), repair, drop; keep the roster when it
    /// costs no more.
    fn improve(&mut self, rounds: usize) {
        let rows: Vec<usize> = (0..self.coverage.len()).filter(|&r| self.problem.demand[r] > 0).collect();
        if rows.is_empty() {
            return;
        }
        let mut best = (self.x.clone(), self.y.clone(), self.coverage.clone(), self.cost());
        let budget = REPAIR_PER_AGENT * 16;
        for round in 0..rounds {
            let r = rows[(round * 7919) % rows.len()];
            for _ in 0..RUIN_AGENTS {
                let Some(j) = self.least_missed(r) else { break };
                let options = self.removal_options(j);
                self.change_agent(j, &options, -1);
            }
            let repaired = self.repair(budget);
            if repaired {
                self.drop_agents();
            }
            let cost = self.cost();
            if repaired && cost <= best.3 + 1e-9 {
                best = (self.x.clone(), self.y.clone(), self.coverage.clone(), cost);
            } else {
                (self.x, self.y, self.coverage) = (best.0.clone(), best.1.clone(), best.2.clone());
            }
        }
    }

    /// The column on duty in row `r` with an agent whose removal leaves
    /// the least shortfall (per cost saved).
    fn least_missed(&mut self, r: usize) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for j in self.row_columns[r].clone() {
            if self.x[j] == 0 || !self.allowed(j, -1) {
                continue;
            }
            let options = self.removal_options(j);
            let before: f64 = self.shortfall();
            self.change_agent(j, &options, -1);
            let missed = (self.shortfall() - before) / self.problem.columns[j].cost;
            self.change_agent(j, &options, 1);
            if best.is_none_or(|b| missed < b.1 - 1e-12) {
                best = Some((j, missed));
            }
        }
        best.map(|b| b.0)
    }

    /// Total shortfall over the rows.
    fn shortfall(&self) -> f64 {
        (0..self.coverage.len()).map(|r| self.short_by(r, self.coverage[r])).sum()
    }
}

/// Agents a ruin takes off.
const RUIN_AGENTS: usize = 2;

/// The share at row `r` in sorted (row, share) pairs, 0 if absent.
fn share_at(shares: &[(u32, f64)], r: u32) -> f64 {
    shares.binary_search_by_key(&r, |s| s.0).map_or(0.0, |i| shares[i].1)
}
