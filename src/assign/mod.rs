//! People on the roster: every shift of the anonymous cover
//! ([`crate::schedule`]) given to one named agent ([`crate::model::agents`]),
//! every hard rule kept ([`rules`]), the wishes and fairness met as far as
//! the cover allows ([`score`]).
//!
//! The method, team by team (agents work for one team; teams in
//! parallel) and week by week of the horizon:
//!
//! 1. **Whole weeks** ([`matching`]): each unit of the cover (one
//!    anonymous agent's shifts of the week) to one agent who may work all
//!    of it, by a least-cost assignment: most hours first, then the least
//!    soft cost. Exact: no other way of giving whole units to agents
//!    gives more hours (or as many at a lower soft cost).
//! 2. **Repair**: the units left over, by a second assignment to the
//!    agents still free, each agent taking the days of the unit it may
//!    (a unit split); then each shift still open, one by one in time
//!    order, to the agent who may add it at the least soft cost (those
//!    already working that week first). An agent who ends the week below
//!    its least hours gives its shifts back and is not asked again.
//! 3. **Search**: moves that keep every shift where it is covered — two
//!    agents swap their shifts of a day, or one gives its shift of a day
//!    to another free that day — taken while they lower the soft score,
//!    in a fixed order and within a count of moves (never a clock), then
//!    the repair's last step once more.
//! 4. **Bound** ([`bound`]): a maximum flow that every assignment keeping
//!    the rules is a flow of bounds the hours any assignment can give;
//!    the gap between it and the hours given is what is not proven.
//!
//! The same cover and agents give the same assignment on every machine
//! and thread count.

pub mod bound;
pub mod matching;
pub mod rules;
pub mod score;
pub mod shifts;

use std::collections::BTreeMap;

use crate::model::Model;
use crate::montecarlo::ThreadsError;
use crate::schedule::Schedule;
use matching::{hungarian, Costs};
use rules::{with, Rules, Why};
use score::Scorer;
pub use shifts::{DayShift, Unit};

/// How the assignment works.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Worker threads (teams in parallel); all cores when `None`.
    pub threads: Option<usize>,
    /// Most moves the search evaluates per team and week.
    pub max_moves: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { threads: None, max_moves: 4_000_000 }
    }
}

/// A phase of the assignment, as progress reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Whole weeks to agents.
    Matching,
    /// Units split, open shifts given.
    Repair,
    /// Swaps for wishes and fairness.
    Search,
    /// The flow bound.
    Bound,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 4] = [Phase::Matching, Phase::Repair, Phase::Search, Phase::Bound];

    /// Its name on a progress bar.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Matching => "whole weeks",
            Phase::Repair => "repair",
            Phase::Search => "search",
            Phase::Bound => "bound",
        }
    }
}

/// A shift no agent was given, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unassigned {
    /// The day shift (index into [`Assignment::shifts`]).
    pub shift: usize,
    /// Whether no agent of the team may work it at all (else every agent
    /// who may is at a limit of the contract).
    pub nobody: bool,
    /// Agents of the team by the first rule that keeps them from it.
    pub why: Vec<(Why, usize)>,
}

/// How evenly a kind of shift is spread over a team's agents who work.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Spread {
    /// Fewest such shifts of one agent.
    pub min: u32,
    /// Most.
    pub max: u32,
    /// Mean over the agents who work.
    pub mean: f64,
}

/// One team's people against its cover.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamTally {
    /// The team.
    pub team: usize,
    /// Agents listed for it.
    pub agents_given: usize,
    /// Agents with at least one shift.
    pub agents_used: usize,
    /// Agents the cover has (units).
    pub agents_cover: usize,
    /// Day shifts of the cover.
    pub shifts: usize,
    /// Of them given to an agent.
    pub shifts_assigned: usize,
    /// Units given whole to one agent.
    pub units_whole: usize,
    /// Paid hours of the cover's day shifts.
    pub hours_cover: f64,
    /// Of them given to agents.
    pub hours_assigned: f64,
    /// The flow bound on the hours any assignment can give.
    pub bound_hours: f64,
    /// Weekend shifts per agent who works.
    pub weekend: Spread,
    /// Late shifts per agent who works.
    pub late: Spread,
}

/// The soft score, its parts and the wishes behind it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Score {
    /// All of it: preferences + skills + fairness + stability + idle
    /// (lower is better).
    pub total: f64,
    /// Weighted broken wishes.
    pub preferences: f64,
    /// Shifts held by agents lacking a team skill × [`score::SKILL_WEIGHT`].
    pub skills: f64,
    /// [`score::FAIRNESS_WEIGHT`] × Σ (weekend shifts)² + (late shifts)².
    pub fairness: f64,
    /// [`score::STABILITY_WEIGHT`] × login times beyond the first in each
    /// agent's week.
    pub stability: f64,
    /// [`score::IDLE_WEIGHT`] × `idle_hours`.
    pub idle: f64,
    /// Hours the agents' weeks fall short of their contracts' least hours
    /// (weeks they are given no shift).
    pub idle_hours: f64,
    /// Agents given no shift at all.
    pub agents_idle: usize,
    /// Wishes the agents made that the roster could touch: each shift's
    /// login against a preferred window, each preferred day off in the
    /// horizon.
    pub wishes: usize,
    /// Of them broken.
    pub wishes_broken: usize,
    /// Shifts held by agents lacking one of the team's skills.
    pub skill_shifts: usize,
}

/// Every shift of the cover given to an agent, or said why not.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The cover's day shifts (those starting in the horizon).
    pub shifts: Vec<DayShift>,
    /// Its units (anonymous agents).
    pub units: Vec<Unit>,
    /// Per day shift, its agent (index into the model's agents).
    pub agent_of: Vec<Option<usize>>,
    /// The shifts no agent holds, by login.
    pub unassigned: Vec<Unassigned>,
    /// Per rostered team with units or agents, in scenario order.
    pub teams: Vec<TeamTally>,
    /// Weeks of the horizon.
    pub weeks: usize,
    /// Per agent and week, what the contract allows that week (time off
    /// and holidays counted).
    pub limits: Vec<Vec<rules::Week>>,
    /// Paid hours of the cover's day shifts.
    pub hours_cover: f64,
    /// Of them given to agents.
    pub hours_assigned: f64,
    /// Proven most hours any assignment can give.
    pub bound_hours: f64,
    /// The soft score.
    pub score: Score,
}

impl Assignment {
    /// (bound − assigned) / cover hours: the share of the cover an
    /// assignment might still give that this one does not (0 when the
    /// cover is all given).
    pub fn gap(&self) -> f64 {
        if self.hours_cover > 0.0 {
            ((self.bound_hours - self.hours_assigned) / self.hours_cover).max(0.0)
        } else {
            0.0
        }
    }

    /// Agent `a`'s shifts, by login.
    pub fn shifts_of(&self, a: usize) -> Vec<usize> {
        let mut out: Vec<usize> = (0..self.shifts.len()).filter(|&s| self.agent_of[s] == Some(a)).collect();
        out.sort_by(|&x, &y| self.shifts[x].login_s.total_cmp(&self.shifts[y].login_s).then(x.cmp(&y)));
        out
    }
}

/// Progress steps [`assign`] reports: one per phase, team and week.
pub fn steps(model: &Model, schedule: &Schedule) -> u64 {
    let teams = (0..model.teams.len())
        .filter(|&t| schedule.shifts.iter().any(|s| s.team == t) || model.agents.iter().any(|a| a.team == t))
        .count();
    (teams * shifts::weeks(model) * Phase::ALL.len()) as u64
}

/// Hours count this much more than any soft cost in the assignments.
const HOUR: f64 = 1e6;
/// Cost of a pair that may not be: never taken over a dummy column.
const NEVER: f64 = 1e13;

/// Gives the cover `schedule` of `model` to `model.agents`; `progress` is
/// called after each phase of each team and week (from worker threads).
pub fn assign(
    model: &Model,
    schedule: &Schedule,
    options: &Options,
    progress: &(dyn Fn(Phase) + Sync),
) -> Result<Assignment, ThreadsError> {
    use rayon::prelude::*;
    let (shifts, units) = shifts::day_shifts(model, schedule);
    let agents = &model.agents;
    let rules = Rules::new(model, &shifts, agents);
    let scorer = Scorer::new(model, &shifts, agents, &rules.weeks);
    let weeks = shifts::weeks(model);
    let teams: Vec<usize> = (0..model.teams.len())
        .filter(|&t| units.iter().any(|u| u.team == t) || agents.iter().any(|a| a.team == t))
        .collect();
    let solve = |&t: &usize| {
        let case = Case {
            rules: &rules,
            scorer: &scorer,
            units: units.iter().enumerate().filter(|(_, u)| u.team == t).map(|(k, _)| k).collect(),
            all_units: &units,
            agents: (0..agents.len()).filter(|&a| agents[a].team == t).collect(),
            options,
            progress,
            weeks,
        };
        case.solve()
    };
    let solved = crate::montecarlo::with_threads(options.threads, || teams.par_iter().map(solve).collect::<Vec<_>>())?;
    let mut agent_of = vec![None; shifts.len()];
    let mut unassigned = Vec::new();
    let mut tallies = Vec::new();
    for (&t, team) in teams.iter().zip(solved) {
        for &(s, a) in &team.given {
            agent_of[s] = Some(a);
        }
        unassigned.extend(team.open);
        tallies.push(tally(model, &shifts, &units, &agent_of, t, team.bound_hours, team.units_whole));
    }
    unassigned.sort_by(|x, y| shifts[x.shift].login_s.total_cmp(&shifts[y.shift].login_s).then(x.shift.cmp(&y.shift)));
    let score = total_score(&scorer, &shifts, &agent_of, agents, model);
    Ok(Assignment {
        hours_cover: tallies.iter().map(|t| t.hours_cover).fold(0.0, |x, y| x + y),
        hours_assigned: tallies.iter().map(|t| t.hours_assigned).fold(0.0, |x, y| x + y),
        bound_hours: tallies.iter().map(|t| t.bound_hours).fold(0.0, |x, y| x + y),
        limits: rules.weeks.clone(),
        shifts,
        units,
        agent_of,
        unassigned,
        teams: tallies,
        weeks,
        score,
    })
}

/// One team's assignment.
struct Solved {
    /// (day shift, agent) pairs.
    given: Vec<(usize, usize)>,
    /// Shifts left open, with why.
    open: Vec<Unassigned>,
    /// The flow bound, hours.
    bound_hours: f64,
    /// Units given whole.
    units_whole: usize,
}

/// One team's problem.
struct Case<'a> {
    rules: &'a Rules<'a>,
    scorer: &'a Scorer<'a>,
    /// The team's units (indices into `all_units`).
    units: Vec<usize>,
    all_units: &'a [Unit],
    /// The team's agents (indices into the model's agents).
    agents: Vec<usize>,
    options: &'a Options,
    progress: &'a (dyn Fn(Phase) + Sync),
    weeks: usize,
}

/// The team's agents' shifts while the assignment is built.
struct State {
    /// Per agent of the team (as in [`Case::agents`]), its shifts by login.
    held: Vec<Vec<usize>>,
    /// Agents who fell short of their least hours in the repair, per week.
    barred: Vec<bool>,
}

impl Case<'_> {
    fn solve(&self) -> Solved {
        let mut state = State { held: vec![Vec::new(); self.agents.len()], barred: vec![false; self.agents.len()] };
        let mut open_all = Vec::new();
        let mut bound_hours = 0.0;
        let mut units_whole = 0;
        for w in 0..self.weeks {
            state.barred.iter_mut().for_each(|b| *b = false);
            let units: Vec<Vec<usize>> = self
                .units
                .iter()
                .map(|&u| {
                    self.all_units[u].shifts.iter().copied().filter(|&s| self.rules.shifts[s].week == w).collect()
                })
                .filter(|s: &Vec<usize>| !s.is_empty())
                .collect();
            let left = self.whole(&mut state, &units);
            units_whole += units.len() - left.len();
            (self.progress)(Phase::Matching);
            let mut open = self.split(&mut state, &units, &left, w);
            self.one_by_one(&mut state, &mut open, w);
            (self.progress)(Phase::Repair);
            self.search(&mut state, w);
            self.one_by_one(&mut state, &mut open, w);
            self.augment(&mut state, &mut open, w);
            (self.progress)(Phase::Search);
            let week_shifts: Vec<usize> = units.iter().flatten().copied().collect();
            bound_hours += bound::bound_hours(self.rules, &week_shifts, &self.agents);
            (self.progress)(Phase::Bound);
            open_all.extend(open.into_iter().map(|s| self.why_open(&state, s)));
        }
        let given = state.held.iter().enumerate().flat_map(|(n, h)| h.iter().map(move |&s| (s, n))).collect::<Vec<_>>();
        Solved {
            given: given.into_iter().map(|(s, n)| (s, self.agents[n])).collect(),
            open: open_all,
            bound_hours,
            units_whole,
        }
    }

    fn hours(&self, shifts: &[usize]) -> f64 {
        shifts.iter().map(|&s| self.rules.shifts[s].hours).fold(0.0, |x, y| x + y)
    }

    /// Soft cost of agent `n` holding `held`.
    fn cost(&self, n: usize, held: &[usize]) -> f64 {
        self.scorer.agent(self.agents[n], held)
    }

    /// Whether agent `n` (of the team) may hold `held` after adding
    /// `added` (each checked alone) — with its least hours when `least`.
    fn may(&self, n: usize, held: &[usize], added: &[usize], least: bool) -> bool {
        let a = self.agents[n];
        added.iter().all(|&s| self.rules.alone(a, s).is_none()) && self.rules.together(a, held, least).is_none()
    }

    /// Phase 1: whole units to agents; returns the units (indices into
    /// `units`) left.
    fn whole(&self, state: &mut State, units: &[Vec<usize>]) -> Vec<usize> {
        let (rows, m) = (units.len(), self.agents.len());
        if rows == 0 {
            return Vec::new();
        }
        let mut costs = Costs::new(rows, m + rows, 0.0);
        for (r, unit) in units.iter().enumerate() {
            let hours = self.hours(unit);
            for n in 0..m {
                let set = with(self.rules.shifts, &state.held[n], unit, &[]);
                let cost = if self.may(n, &set, unit, true) {
                    -HOUR * hours + self.cost(n, &set) - self.cost(n, &state.held[n])
                } else {
                    NEVER
                };
                costs.set(r, n, cost);
            }
        }
        let mut left = Vec::new();
        for (r, &c) in hungarian(&costs).iter().enumerate() {
            if c < m && costs.at(r, c) < NEVER / 2.0 {
                state.held[c] = with(self.rules.shifts, &state.held[c], &units[r], &[]);
            } else {
                left.push(r);
            }
        }
        left
    }

    /// Phase 2, first step: the units left to the agents free in week `w`,
    /// each taking the days it may; returns the shifts still open.
    fn split(&self, state: &mut State, units: &[Vec<usize>], left: &[usize], w: usize) -> Vec<usize> {
        let free: Vec<usize> = (0..self.agents.len()).filter(|&n| !self.works_in(state, n, w)).collect();
        let rows = left.len();
        let mut open = Vec::new();
        if rows == 0 {
            return open;
        }
        let mut costs = Costs::new(rows, free.len() + rows, 0.0);
        let mut subsets = vec![Vec::new(); rows * free.len()];
        for (r, &u) in left.iter().enumerate() {
            for (k, &n) in free.iter().enumerate() {
                let mut set = state.held[n].clone();
                let mut taken = Vec::new();
                for &s in &units[u] {
                    if self.rules.adding(self.agents[n], &set, s, false).is_none() {
                        set = with(self.rules.shifts, &set, &[s], &[]);
                        taken.push(s);
                    }
                }
                let cost = if !taken.is_empty() && self.rules.together(self.agents[n], &set, true).is_none() {
                    -HOUR * self.hours(&taken) + self.cost(n, &set) - self.cost(n, &state.held[n])
                } else {
                    NEVER
                };
                costs.set(r, k, cost);
                subsets[r * free.len() + k] = taken;
            }
        }
        for (r, &c) in hungarian(&costs).iter().enumerate() {
            let unit = &units[left[r]];
            if c < free.len() && costs.at(r, c) < NEVER / 2.0 {
                let taken = &subsets[r * free.len() + c];
                let n = free[c];
                state.held[n] = with(self.rules.shifts, &state.held[n], taken, &[]);
                open.extend(unit.iter().copied().filter(|s| !taken.contains(s)));
            } else {
                open.extend(unit.iter().copied());
            }
        }
        open.sort_by(|&x, &y| self.rules.shifts[x].login_s.total_cmp(&self.rules.shifts[y].login_s).then(x.cmp(&y)));
        open
    }

    /// Whether agent `n` works in week `w`.
    fn works_in(&self, state: &State, n: usize, w: usize) -> bool {
        state.held[n].iter().any(|&s| self.rules.shifts[s].week == w)
    }

    /// Hours agent `n` works in week `w`.
    fn hours_in(&self, state: &State, n: usize, w: usize) -> f64 {
        state.held[n]
            .iter()
            .filter(|&&s| self.rules.shifts[s].week == w)
            .map(|&s| self.rules.shifts[s].hours)
            .fold(0.0, |x, y| x + y)
    }

    /// Phase 2, second step: each open shift of week `w` (by login) to
    /// the agent who may add it at the least soft cost, agents already
    /// working that week first; an agent short of its least hours takes
    /// more open shifts or gives its shifts of the week back and is
    /// barred for the week. `open` keeps what no agent takes.
    fn one_by_one(&self, state: &mut State, open: &mut Vec<usize>, w: usize) {
        loop {
            let mut still = Vec::new();
            for &s in open.iter() {
                let mut best: Option<(bool, f64, usize)> = None;
                for n in 0..self.agents.len() {
                    if state.barred[n] || self.rules.adding(self.agents[n], &state.held[n], s, false).is_some() {
                        continue;
                    }
                    let set = with(self.rules.shifts, &state.held[n], &[s], &[]);
                    let key = (!self.works_in(state, n, w), self.cost(n, &set) - self.cost(n, &state.held[n]), n);
                    if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                        best = Some(key);
                    }
                }
                match best {
                    Some((_, _, n)) => state.held[n] = with(self.rules.shifts, &state.held[n], &[s], &[]),
                    None => still.push(s),
                }
            }
            *open = still;
            // Agents short of their least hours: more open shifts, or back.
            let mut barred_any = false;
            for n in 0..self.agents.len() {
                let a = self.agents[n];
                if !self.works_in(state, n, w) || self.rules.together(a, &state.held[n], true).is_none() {
                    continue;
                }
                let mut by_length = open.clone();
                by_length.sort_by(|&x, &y| {
                    self.rules.shifts[y].hours.total_cmp(&self.rules.shifts[x].hours).then(x.cmp(&y))
                });
                for s in by_length {
                    if self.rules.adding(a, &state.held[n], s, false).is_none() {
                        state.held[n] = with(self.rules.shifts, &state.held[n], &[s], &[]);
                        open.retain(|&o| o != s);
                        if self.hours_in(state, n, w) >= self.rules.weeks[a][w].min_hours - 1e-6 {
                            break;
                        }
                    }
                }
                if self.rules.together(a, &state.held[n], true).is_some() {
                    let back: Vec<usize> =
                        state.held[n].iter().copied().filter(|&s| self.rules.shifts[s].week == w).collect();
                    state.held[n].retain(|&s| self.rules.shifts[s].week != w);
                    open.extend(back);
                    state.barred[n] = true;
                    barred_any = true;
                }
            }
            open.sort_by(|&x, &y| {
                self.rules.shifts[x].login_s.total_cmp(&self.rules.shifts[y].login_s).then(x.cmp(&y))
            });
            if !barred_any {
                return;
            }
        }
    }

    /// Phase 3: swaps and hand-overs within week `w` that lower the soft
    /// score and keep every rule, until none does or the move budget is
    /// spent.
    fn search(&self, state: &mut State, w: usize) {
        let m = self.agents.len();
        let mut moves = 0usize;
        let mut improved = true;
        let shifts = self.rules.shifts;
        while improved && moves < self.options.max_moves {
            improved = false;
            for x in 0..m {
                for y in x + 1..m {
                    if !self.works_in(state, x, w) && !self.works_in(state, y, w) {
                        continue;
                    }
                    // Each date either works in week w.
                    let mut days: BTreeMap<jiff::civil::Date, (Option<usize>, Option<usize>)> = BTreeMap::new();
                    for &s in state.held[x].iter().filter(|&&s| shifts[s].week == w) {
                        days.entry(shifts[s].date).or_default().0 = Some(s);
                    }
                    for &s in state.held[y].iter().filter(|&&s| shifts[s].week == w) {
                        days.entry(shifts[s].date).or_default().1 = Some(s);
                    }
                    for (sx, sy) in days.into_values() {
                        moves += 1;
                        // Both work the day: they swap; one does: it hands over.
                        let (give_x, give_y): (Vec<usize>, Vec<usize>) =
                            (sx.into_iter().collect(), sy.into_iter().collect());
                        improved |= self.try_move(state, x, y, &give_x, &give_y);
                    }
                }
            }
        }
    }

    /// Phase 3, last step: augmenting moves for the shifts still open in
    /// week `w`. An open shift goes to an agent who gives up one of its
    /// shifts of the week for it, that shift going to another agent who
    /// may add it (all hours kept, one more shift given) or, when shorter,
    /// back to the open ones (more hours given). An agent without a shift
    /// that week takes open shifts, by login, when together they reach its
    /// least hours. Repeated while any move gives more hours, each at most
    /// once per shift and agent pair (a fixed count of moves).
    fn augment(&self, state: &mut State, open: &mut Vec<usize>, w: usize) {
        let shifts = self.rules.shifts;
        let m = self.agents.len();
        let mut rounds = 0;
        let mut improved = true;
        while improved && !open.is_empty() && rounds < 8 {
            improved = false;
            rounds += 1;
            // Idle agents take a set of open shifts reaching their least hours.
            for n in 0..m {
                if self.works_in(state, n, w) {
                    continue;
                }
                let mut set = state.held[n].clone();
                let mut taken = Vec::new();
                for &s in open.iter() {
                    if self.rules.adding(self.agents[n], &set, s, false).is_none() {
                        set = with(shifts, &set, &[s], &[]);
                        taken.push(s);
                    }
                }
                if !taken.is_empty() && self.rules.together(self.agents[n], &set, true).is_none() {
                    state.held[n] = set;
                    open.retain(|s| !taken.contains(s));
                    state.barred[n] = false;
                    improved = true;
                }
            }
            let mut k = 0;
            while k < open.len() {
                let s = open[k];
                if self.eject_for(state, s, w, open) {
                    improved = true;
                } else {
                    k += 1;
                }
            }
        }
    }

    /// Gives open shift `s` to an agent that hands one of its shifts of
    /// week `w` on (to another agent, or back to `open` when shorter);
    /// whether it did (`s` then leaves `open`).
    fn eject_for(&self, state: &mut State, s: usize, w: usize, open: &mut Vec<usize>) -> bool {
        let shifts = self.rules.shifts;
        for n in 0..self.agents.len() {
            let a = self.agents[n];
            if self.rules.alone(a, s).is_some() {
                continue;
            }
            let mine: Vec<usize> = state.held[n].iter().copied().filter(|&t| shifts[t].week == w).collect();
            for t in mine {
                let mut new_n = with(shifts, &state.held[n], &[s], &[t]);
                if self.rules.together(a, &new_n, false).is_some() {
                    continue;
                }
                // More open shifts the agent may add beside `s` (by login).
                let mut also = Vec::new();
                for &u in open.iter().filter(|&&u| u != s) {
                    if self.rules.adding(a, &new_n, u, false).is_none() {
                        new_n = with(shifts, &new_n, &[u], &[]);
                        also.push(u);
                    }
                }
                if self.rules.together(a, &new_n, true).is_some() {
                    continue;
                }
                let gained = shifts[s].hours + self.hours(&also);
                let taker = (0..self.agents.len())
                    .find(|&o| o != n && self.rules.adding(self.agents[o], &state.held[o], t, true).is_none());
                match taker {
                    Some(o) => {
                        state.held[o] = with(shifts, &state.held[o], &[t], &[]);
                        state.held[n] = new_n;
                        open.retain(|&x| x != s && !also.contains(&x));
                        return true;
                    }
                    None if gained > shifts[t].hours + 1e-9 => {
                        state.held[n] = new_n;
                        open.retain(|&x| x != s && !also.contains(&x));
                        let at = open.partition_point(|&x| (shifts[x].login_s, x) < (shifts[t].login_s, t));
                        open.insert(at, t);
                        return true;
                    }
                    None => {}
                }
            }
        }
        false
    }

    /// Agent `x` gives `give_x` to `y` and takes `give_y` from it, if both
    /// may and the soft score falls.
    fn try_move(&self, state: &mut State, x: usize, y: usize, give_x: &[usize], give_y: &[usize]) -> bool {
        let shifts = self.rules.shifts;
        let new_x = with(shifts, &state.held[x], give_y, give_x);
        let new_y = with(shifts, &state.held[y], give_x, give_y);
        let before = self.cost(x, &state.held[x]) + self.cost(y, &state.held[y]);
        let after = self.cost(x, &new_x) + self.cost(y, &new_y);
        if after >= before - 1e-9 || !self.may(x, &new_x, give_y, true) || !self.may(y, &new_y, give_x, true) {
            return false;
        }
        state.held[x] = new_x;
        state.held[y] = new_y;
        true
    }

    /// Why open shift `s` has no agent: the first rule that keeps each
    /// agent of the team from it.
    fn why_open(&self, state: &State, s: usize) -> Unassigned {
        let mut why: BTreeMap<Why, usize> = BTreeMap::new();
        let mut nobody = true;
        for n in 0..self.agents.len() {
            let a = self.agents[n];
            let reason = match self.rules.alone(a, s) {
                Some(w) => w,
                None => {
                    nobody = false;
                    self.rules.adding(a, &state.held[n], s, false).unwrap_or(Why::MinHours)
                }
            };
            *why.entry(reason).or_default() += 1;
        }
        Unassigned { shift: s, nobody, why: why.into_iter().collect() }
    }
}

/// Team `t`'s tally.
fn tally(
    model: &Model,
    shifts: &[DayShift],
    units: &[Unit],
    agent_of: &[Option<usize>],
    t: usize,
    bound_hours: f64,
    units_whole: usize,
) -> TeamTally {
    let agents: Vec<usize> = (0..model.agents.len()).filter(|&a| model.agents[a].team == t).collect();
    let own: Vec<usize> = (0..shifts.len()).filter(|&s| shifts[s].team == t).collect();
    let used: Vec<usize> = agents.iter().copied().filter(|&a| own.iter().any(|&s| agent_of[s] == Some(a))).collect();
    let spread = |kind: fn(&DayShift) -> bool| {
        let counts: Vec<u32> = used
            .iter()
            .map(|&a| own.iter().filter(|&&s| agent_of[s] == Some(a) && kind(&shifts[s])).count() as u32)
            .collect();
        if counts.is_empty() {
            return Spread::default();
        }
        Spread {
            min: *counts.iter().min().expect("agents"),
            max: *counts.iter().max().expect("agents"),
            mean: counts.iter().sum::<u32>() as f64 / counts.len() as f64,
        }
    };
    TeamTally {
        team: t,
        agents_given: agents.len(),
        agents_used: used.len(),
        agents_cover: units.iter().filter(|u| u.team == t).count(),
        shifts: own.len(),
        shifts_assigned: own.iter().filter(|&&s| agent_of[s].is_some()).count(),
        units_whole,
        hours_cover: own.iter().map(|&s| shifts[s].hours).fold(0.0, |x, y| x + y),
        hours_assigned: own
            .iter()
            .filter(|&&s| agent_of[s].is_some())
            .map(|&s| shifts[s].hours)
            .fold(0.0, |x, y| x + y),
        bound_hours: bound_hours.min(own.iter().map(|&s| shifts[s].hours).fold(0.0, |x, y| x + y)),
        weekend: spread(|s| s.weekend),
        late: spread(|s| s.late),
    }
}

/// The soft score of the whole assignment, and the wishes behind it.
fn total_score(
    scorer: &Scorer,
    shifts: &[DayShift],
    agent_of: &[Option<usize>],
    agents: &[crate::model::agents::Agent],
    model: &Model,
) -> Score {
    let mut score = Score::default();
    for (a, agent) in agents.iter().enumerate() {
        let mut held: Vec<usize> = (0..shifts.len()).filter(|&s| agent_of[s] == Some(a)).collect();
        held.sort_by(|&x, &y| shifts[x].login_s.total_cmp(&shifts[y].login_s).then(x.cmp(&y)));
        let total = scorer.agent(a, &held);
        let own: f64 = held.iter().map(|&s| scorer.shift(a, s)).fold(0.0, |x, y| x + y);
        let skills = if scorer.lacks_skill(a) { score::SKILL_WEIGHT * held.len() as f64 } else { 0.0 };
        let stability = score::STABILITY_WEIGHT * scorer.extra_starts(&held) as f64;
        let short = scorer.short_hours(a, &held);
        let idle = score::IDLE_WEIGHT * short;
        score.total += total;
        score.skills += skills;
        score.preferences += own - skills;
        score.stability += stability;
        score.idle += idle;
        score.idle_hours += short;
        score.agents_idle += held.is_empty() as usize;
        score.fairness += total - own - stability - idle;
        score.skill_shifts += if scorer.lacks_skill(a) { held.len() } else { 0 };
        let p = &agent.preferences;
        if p.start.is_some() {
            score.wishes += held.len();
            score.wishes_broken += held.iter().filter(|&&s| scorer.broken(a, s).0).count();
        }
        for day in model.days.iter().filter(|d| p.days_off[d.date.weekday().to_monday_zero_offset() as usize]) {
            score.wishes += 1;
            score.wishes_broken += held.iter().any(|&s| shifts[s].date == day.date) as usize;
        }
    }
    score
}
