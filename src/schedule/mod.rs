//! Rosters: from a requirement (agents per team and interval) to shifts
//! that the teams' rules allow, at the least paid hours or cost, then
//! simulated until every target holds.
//!
//! Each round solves one covering problem per team with shift rules
//! ([`crate::cover`]): a candidate shift per allowed start × length × run
//! of days ([`candidates()`]), each covering the intervals it puts an agent
//! on duty in, each of its breaks placed by the solver at one of the starts
//! its window allows (the same start on every day of an agent's week; the
//! agents of one candidate may differ), the demand being the requirement
//! less what the team's fixed shifts cover. A candidate's agents become
//! one roster block per distinct placement of their breaks. The roster is then
//! simulated with the rest of the scenario; where a queue still misses a
//! target (judged as `staff` judges it), the first rostered team serving
//! it needs one more agent there (a twentieth more above 20), and the
//! round repeats up to the iteration limit, each team's roster extended
//! from the round before where the requirement rose ([`cover::extend`]:
//! nothing it covered is taken away), solved afresh only where the moves
//! cannot extend it.

pub mod candidates;
pub mod capped;
pub mod requirement_file;
pub mod trim;

use std::time::Instant;

use crate::cover::{self, gap, BreakGroup, Column, CoverError, Limit, Problem};
use crate::model::{Model, ShiftInstance, ShiftPattern};
use crate::montecarlo::ThreadsError;
use crate::staffing::teams::{misses, raise, simulate, Miss, TeamLevels};
use candidates::{candidates, coverage, Candidate};

/// What a roster minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    /// Paid hours within the horizon.
    #[default]
    PaidHours,
    /// Paid hours × each team's cost per hour.
    Cost,
}

/// How `schedule` works.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// What to minimise.
    pub objective: Objective,
    /// Judge targets in this share of replications as well as on the mean.
    pub confidence: Option<f64>,
    /// Most rounds of solving (and simulating) until every target holds.
    pub max_iterations: usize,
    /// Most trim rounds after a roster meets every target ([`trim`]; 0:
    /// none).
    pub trim_rounds: usize,
    /// Simulate the roster and repair it (false: roster the requirement
    /// as given).
    pub simulate: bool,
    /// Worker threads; all cores when `None`.
    pub threads: Option<usize>,
}

/// One block of the roster: `pattern.agents` agents of `team` on one shift.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterShift {
    /// The team.
    pub team: usize,
    /// The rule it comes from.
    pub rule: String,
    /// The shift, with its agents.
    pub pattern: ShiftPattern,
    /// Paid hours of the block within the horizon.
    pub paid_hours: f64,
}

/// One round: the roster solved and what the simulation found.
#[derive(Debug, Clone, PartialEq)]
pub struct Iteration {
    /// Paid hours of the roster (rostered teams' new shifts).
    pub paid_hours: f64,
    /// Its cost, when every rostered team has a price.
    pub cost: Option<f64>,
    /// Proven lower bound of the objective for this round's requirement.
    pub lower_bound: f64,
    /// (objective − bound) / objective.
    pub gap: f64,
    /// Seconds solving.
    pub solve_seconds: f64,
    /// Seconds simulating (0 when not simulated).
    pub simulate_seconds: f64,
    /// Periods missing a target after this round (none when not simulated).
    pub unmet: usize,
    /// What was done to the requirement before this round was solved.
    pub change: Change,
}

/// What a round did to the requirement before solving it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The requirement as asked (the first round).
    First,
    /// Raised in this many team-intervals, where the round before missed
    /// a target.
    Raised(usize),
    /// This many agents taken off the kept roster's blocks where service
    /// is far above target ([`trim`]; no solve).
    Trimmed(usize),
}

impl Change {
    /// Its kind in reports and JSON: `first`, `raised`, `trimmed`.
    pub fn kind(self) -> &'static str {
        match self {
            Change::First => "first",
            Change::Raised(_) => "raised",
            Change::Trimmed(_) => "trimmed",
        }
    }

    /// Team-intervals raised, or agents trimmed (0 for the first round).
    pub fn count(self) -> usize {
        match self {
            Change::First => 0,
            Change::Raised(n) | Change::Trimmed(n) => n,
        }
    }
}

/// A roster and how it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// What was minimised.
    pub objective: Objective,
    /// The rostered teams, in scenario order.
    pub teams: Vec<usize>,
    /// Candidate shifts each rostered team's rules allow, in `teams` order.
    pub candidates: Vec<usize>,
    /// The roster's blocks, team by team.
    pub shifts: Vec<RosterShift>,
    /// The final requirement (raised where the simulation asked).
    pub required: TeamLevels,
    /// Agents on duty per rostered team and interval (fixed shifts
    /// included, their breaks spread over their windows; the roster's
    /// breaks where they were placed), in `teams` order.
    pub scheduled: Vec<Vec<f64>>,
    /// Every round.
    pub iterations: Vec<Iteration>,
    /// Paid hours of the roster.
    pub paid_hours: f64,
    /// Its cost, when every rostered team has a price.
    pub cost: Option<f64>,
    /// Proven lower bound of the paid hours for the final requirement.
    pub lower_bound_paid_hours: f64,
    /// Proven lower bound of the cost (objective cost only).
    pub lower_bound_cost: Option<f64>,
    /// (objective − bound) / objective of the final round.
    pub gap: f64,
    /// Whether the final roster was simulated.
    pub simulated: bool,
    /// Targets the final roster still misses (simulated only).
    pub unmet: Vec<Miss>,
    /// The round whose roster this is (0-based into `iterations`): the
    /// last, or the least objective meeting every target after trims.
    pub kept: usize,
    /// Every target of every queue against the roster's simulation
    /// (simulated only).
    pub service: Vec<crate::results::judge::Standing>,
    /// The roster against the problem first asked, before any repair.
    pub overshoot: Overshoot,
    /// The heads given and used, and the targets missed, when the roster
    /// was capped by heads ([`capped`]).
    pub capped: Option<capped::Capped>,
}

/// How far a roster lies above the problem first asked: the requirement
/// before the repair rounds raised it, and the first round's lower bound
/// (a bound of that original problem: the linear relaxation or better).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overshoot {
    /// Agent-hours the rostered teams' requirement asked before repair.
    pub required_hours: f64,
    /// Agent-hours on duty in the final roster (breaks out, fixed shifts
    /// in), over the same teams and intervals.
    pub staffed_hours: f64,
    /// Lower bound of the objective (paid hours, or cost) of the original
    /// requirement.
    pub original_bound: f64,
    /// (final objective − `original_bound`) / final objective; below 0
    /// when trim rounds took the roster under what the original
    /// requirement needs (the simulation showed it more than enough).
    pub original_gap: f64,
}

impl Overshoot {
    /// Staffed over required agent-hours, less one (0.1: 10 % above).
    pub fn ratio(&self) -> f64 {
        if self.required_hours > 0.0 {
            self.staffed_hours / self.required_hours - 1.0
        } else {
            0.0
        }
    }
}

/// Why no roster could be made.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// No team has shift rules.
    #[error("no team has [[team.shift_rule]]: add rules to the teams to roster")]
    NoRules,
    /// `--objective cost` with a team that has no price.
    #[error("team {0:?} has no price per hour (no cost_per_hour or cost_per_fte_month, nor [staffing].cost_per_hour): --objective cost needs one for every rostered team")]
    NoPrice(String),
    /// Intervals no allowed shift can cover.
    #[error("team {team:?}: no shift its rules allow covers {} interval(s) that need agents: {}", intervals.len(), shown_list(intervals))]
    Uncovered {
        /// The team.
        team: String,
        /// Their starts, RFC 3339.
        intervals: Vec<String>,
    },
    /// Limits that contradict.
    #[error("team {team:?}: {why}")]
    Infeasible {
        /// The team.
        team: String,
        /// Why.
        why: String,
    },
    /// The worker threads could not start.
    #[error(transparent)]
    Threads(#[from] ThreadsError),
}

impl crate::fault::Blame for ScheduleError {
    /// No rules, or no price for `--objective cost`, are the scenario's
    /// fault; a roster that cannot be found is the run's.
    fn fault(&self) -> crate::fault::Fault {
        match self {
            ScheduleError::NoRules | ScheduleError::NoPrice(_) => crate::fault::Fault::Input,
            _ => crate::fault::Fault::Run,
        }
    }
}

fn shown_list(items: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > SHOWN {
        text += &format!(" and {} more", items.len() - SHOWN);
    }
    text
}

/// A team's candidates and what its fixed shifts already cover.
struct TeamCase {
    team: usize,
    candidates: Vec<Candidate>,
    fixed: Vec<f64>,
    price: Option<f64>,
    /// Per interval, whether its demand is dropped: no allowed shift or
    /// fixed shift covers it and none of the team's queues has arrivals
    /// then (agents asked only to clear what earlier intervals left), or
    /// it lies in one of the team's holidays.
    dropped: Vec<bool>,
}

/// Rosters `required` for `model`'s teams with shift rules.
/// Where a schedule's rounds stand, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// Round `round` (from 1) of at most `of` is solving the cover.
    Solving { round: usize, of: usize },
    /// Round `round` is extending the last roster where the requirement
    /// rose (solving afresh a team whose roster cannot be extended).
    Extending { round: usize, of: usize },
    /// Round `round` is simulating its roster.
    Simulating { round: usize, of: usize },
    /// Round `round` ended with `unmet` periods missing a target.
    Missed { round: usize, of: usize, unmet: usize },
    /// Round `round` simulates the kept roster less one agent on each of
    /// `agents` blocks far above target.
    Trimming { round: usize, of: usize, agents: usize },
    /// The kept round's lower bound is being proven.
    Proving,
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Step::Solving { round, of } => write!(f, "round {round} of at most {of}: solving the cover"),
            Step::Extending { round, of } => {
                write!(f, "round {round} of at most {of}: extending the roster where the requirement rose")
            }
            Step::Simulating { round, of } => write!(f, "round {round} of at most {of}: simulating the roster"),
            Step::Missed { round, of, unmet } => {
                write!(f, "round {round} of at most {of}: {unmet} period(s) missed, raising the requirement")
            }
            Step::Trimming { round, of, agents } => {
                write!(
                    f,
                    "round {round} of at most {of}: simulating the roster less {agents} agent(s) far above target"
                )
            }
            Step::Proving => write!(f, "proving the kept round's lower bound"),
        }
    }
}

/// [`schedule_with_progress`] with no progress display.
pub fn schedule(model: &Model, required: TeamLevels, options: &Options) -> Result<Schedule, ScheduleError> {
    schedule_with_progress(model, required, options, &|_| {})
}

/// The least-cost roster of the rostered teams covering `required`,
/// simulated and repaired round by round (when `options.simulate`) until
/// every target holds or `options.max_iterations` rounds are spent, then
/// trimmed ([`trim`]); `progress` hears each step as it starts.
pub fn schedule_with_progress(
    model: &Model,
    required: TeamLevels,
    options: &Options,
    progress: &(dyn Fn(Step) + Sync),
) -> Result<Schedule, ScheduleError> {
    schedule_and_simulation(model, required, options, progress).map(|(schedule, _)| schedule)
}

/// [`schedule_with_progress`], with the simulation of the roster returned
/// (none when not simulated), for a caller that judges it further.
fn schedule_and_simulation(
    model: &Model,
    mut required: TeamLevels,
    options: &Options,
    progress: &(dyn Fn(Step) + Sync),
) -> Result<(Schedule, Option<crate::results::Results>), ScheduleError> {
    let cases = team_cases(model, options.objective)?;
    let rostered: Vec<usize> = cases.iter().map(|c| c.team).collect();
    for case in &cases {
        for (level, _) in required.levels[case.team].iter_mut().zip(&case.dropped).filter(|(_, &d)| d) {
            *level = 0;
        }
    }
    // Repairs go to rostered teams that can work then; fixed teams keep
    // their shifts.
    let open: Vec<Vec<bool>> = (0..model.teams.len())
        .map(|t| if rostered.contains(&t) { model.can_work(t) } else { vec![false; model.n_intervals] })
        .collect();
    let interval_hours = model.interval_s / 3600.0;
    let required_hours: f64 =
        rostered.iter().map(|&t| required.levels[t].iter().map(|&n| f64::from(n)).sum::<f64>()).sum::<f64>()
            * interval_hours;
    let mut iterations: Vec<Iteration> = Vec::new();
    let trim_rounds = if options.simulate { options.trim_rounds } else { 0 };
    let of = options.max_iterations.max(1) + trim_rounds;
    let mut change = Change::First;
    let mut previous: Option<Solved> = None;
    let mut kept = loop {
        let round = iterations.len() + 1;
        let extend_from = previous.as_ref().filter(|_| matches!(change, Change::Raised(_)));
        progress(match extend_from {
            Some(_) => Step::Extending { round, of },
            None => Step::Solving { round, of },
        });
        let started = Instant::now();
        let (shifts, bound, solutions) = solve_round(model, &cases, &required, extend_from, options)?;
        previous = Some(solutions);
        let solve_seconds = started.elapsed().as_secs_f64();
        let paid_hours: f64 = shifts.iter().map(|s| s.paid_hours).sum();
        let cost = roster_cost(&cases, &shifts);
        let objective = objective_of(options, paid_hours, cost);
        let mut iteration = Iteration {
            paid_hours,
            cost,
            lower_bound: bound.objective,
            gap: gap(objective, bound.objective),
            solve_seconds,
            simulate_seconds: 0.0,
            unmet: 0,
            change,
        };
        let mut unmet = Vec::new();
        let mut results = None;
        if options.simulate {
            progress(Step::Simulating { round, of });
            let started = Instant::now();
            let r = simulate(&with_roster(model, &rostered, &shifts), options.threads)?;
            iteration.simulate_seconds = started.elapsed().as_secs_f64();
            unmet = misses(&r, options.confidence);
            iteration.unmet = unmet.len();
            results = Some(r);
        }
        iterations.push(iteration);
        let this = Kept { round: iterations.len() - 1, shifts, required: required.clone(), unmet, results };
        if this.unmet.is_empty() || iterations.len() >= options.max_iterations {
            break this;
        }
        let count = raise(model, &mut required.levels, &this.unmet, &open);
        // Misses no rostered team can work in cannot be raised: another
        // round would solve the same roster again.
        if count == 0 {
            break this;
        }
        progress(Step::Missed { round, of, unmet: this.unmet.len() });
        change = Change::Raised(count);
    };
    // Trim rounds ([`trim`]): agents taken off the roster where service is
    // far above target, kept while every target holds.
    if kept.unmet.is_empty() {
        let mut trims = trim::Trims::new(kept.shifts.len());
        for _ in 0..trim_rounds {
            let Some(results) = kept.results.as_ref() else { break };
            let Some(tried) = trims.try_trim(model, &kept.shifts, results, options.confidence) else { break };
            let round = iterations.len() + 1;
            progress(Step::Trimming { round, of, agents: tried.blocks.len() });
            let started = Instant::now();
            let r = simulate(&with_roster(model, &rostered, &tried.shifts), options.threads)?;
            let unmet = misses(&r, options.confidence);
            let paid_hours: f64 = tried.shifts.iter().map(|s| s.paid_hours).sum();
            let cost = roster_cost(&cases, &tried.shifts);
            let before = &iterations[kept.round];
            iterations.push(Iteration {
                paid_hours,
                cost,
                lower_bound: before.lower_bound,
                gap: gap(objective_of(options, paid_hours, cost), before.lower_bound),
                solve_seconds: 0.0,
                simulate_seconds: started.elapsed().as_secs_f64(),
                unmet: unmet.len(),
                change: Change::Trimmed(tried.blocks.len()),
            });
            if unmet.is_empty() {
                kept = Kept {
                    round: iterations.len() - 1,
                    shifts: trims.accept(tried),
                    required: kept.required,
                    unmet,
                    results: Some(r),
                };
            } else {
                trims.reject(model, &tried, &unmet);
            }
        }
        // Where a kept trim took the roster below the requirement, the
        // requirement is what the simulation showed enough.
        let trimmed = matches!(iterations[kept.round].change, Change::Trimmed(_));
        for case in cases.iter().filter(|_| trimmed) {
            let duty = on_duty(model, case, &kept.shifts);
            for (level, &d) in kept.required.levels[case.team].iter_mut().zip(&duty) {
                *level = (*level).min((d + 1e-9).floor() as u32);
            }
        }
    }
    // The kept roster's bound is proven (the rounds only needed the
    // relaxation's value to steer the search).
    progress(Step::Proving);
    let started = Instant::now();
    let bound = proven_bound(model, &cases, &kept.required, options)?;
    let paid_hours: f64 = kept.shifts.iter().map(|s| s.paid_hours).sum();
    let cost = roster_cost(&cases, &kept.shifts);
    let objective = objective_of(options, paid_hours, cost);
    let it = &mut iterations[kept.round];
    it.solve_seconds += started.elapsed().as_secs_f64();
    it.lower_bound = bound.objective;
    it.gap = gap(objective, bound.objective);
    let scheduled: Vec<Vec<f64>> = cases.iter().map(|c| on_duty(model, c, &kept.shifts)).collect();
    let original_bound = iterations[0].lower_bound;
    let overshoot = Overshoot {
        required_hours,
        staffed_hours: scheduled.iter().flatten().sum::<f64>() * interval_hours,
        original_bound,
        original_gap: cover::signed_gap(objective, original_bound),
    };
    let service =
        kept.results.as_ref().map_or_else(Vec::new, |r| crate::results::judge::standings(r, options.confidence));
    let schedule = Schedule {
        objective: options.objective,
        teams: rostered,
        candidates: cases.iter().map(|c| c.candidates.len()).collect(),
        paid_hours,
        cost,
        shifts: kept.shifts,
        required: kept.required,
        scheduled,
        lower_bound_paid_hours: bound.paid_hours,
        lower_bound_cost: (options.objective == Objective::Cost).then_some(bound.objective),
        gap: iterations[kept.round].gap,
        iterations,
        simulated: options.simulate,
        unmet: kept.unmet,
        kept: kept.round,
        service,
        overshoot,
        capped: None,
    };
    Ok((schedule, kept.results))
}

/// A round's roster, kept while it may be the answer.
struct Kept {
    /// Its index among the rounds.
    round: usize,
    shifts: Vec<RosterShift>,
    /// The requirement it was solved for.
    required: TeamLevels,
    unmet: Vec<Miss>,
    /// Its simulation (none when not simulated).
    results: Option<crate::results::Results>,
}

/// The objective of a roster of `paid_hours` and `cost`.
fn objective_of(options: &Options, paid_hours: f64, cost: Option<f64>) -> f64 {
    if options.objective == Objective::Cost {
        cost.unwrap_or(0.0)
    } else {
        paid_hours
    }
}

/// The proven lower bound of every rostered team's problem for
/// `required`, summed (teams in parallel).
fn proven_bound(
    model: &Model,
    cases: &[TeamCase],
    required: &TeamLevels,
    options: &Options,
) -> Result<Bound, ScheduleError> {
    use rayon::prelude::*;
    let one = |case: &TeamCase| {
        let rate = team_rate(case, options.objective);
        let objective = cover::proven_bound(&problem(case, &required.levels[case.team], rate, &model.teams[case.team]));
        Bound::of(objective, rate)
    };
    let bounds = crate::montecarlo::with_threads(options.threads, || cases.par_iter().map(one).collect::<Vec<_>>())?;
    Ok(bounds.into_iter().fold(Bound::ZERO, Bound::plus))
}

/// The price of one paid hour of team `case` under `objective`.
fn team_rate(case: &TeamCase, objective: Objective) -> f64 {
    if objective == Objective::Cost {
        case.price.unwrap_or(1.0)
    } else {
        1.0
    }
}

fn team_cases(model: &Model, objective: Objective) -> Result<Vec<TeamCase>, ScheduleError> {
    let mut cases = Vec::new();
    for (t, team) in model.teams.iter().enumerate().filter(|(_, team)| !team.rules.is_empty()) {
        let price = crate::cost::paid_hour(model, t);
        if objective == Objective::Cost && price.is_none() {
            return Err(ScheduleError::NoPrice(team.name.clone()));
        }
        let own: Vec<ShiftInstance> = model.shifts.iter().filter(|s| s.team == t && s.agents > 0).cloned().collect();
        let mut fixed = vec![0.0; model.n_intervals];
        for s in &own {
            for (i, share) in coverage(model, std::slice::from_ref(s)) {
                fixed[i as usize] += share * s.agents as f64;
            }
        }
        let candidates = candidates(model, t);
        let dropped = spill_only(model, t, &candidates, &fixed);
        cases.push(TeamCase { team: t, candidates, fixed, price, dropped });
    }
    if cases.is_empty() {
        return Err(ScheduleError::NoRules);
    }
    Ok(cases)
}

/// Intervals team `t` cannot cover in which none of its queues has
/// arrivals, or which lie in one of its holidays (the team is off).
fn spill_only(model: &Model, t: usize, candidates: &[Candidate], fixed: &[f64]) -> Vec<bool> {
    let mut covered: Vec<bool> = fixed.iter().map(|&f| f > 0.0).collect();
    for c in candidates {
        for &(i, _) in &c.cover {
            covered[i as usize] = true;
        }
    }
    let queues: Vec<usize> = model.teams[t].skills_by_priority.iter().flatten().map(|s| s.queue).collect();
    (0..model.n_intervals)
        .map(|i| {
            let (a, b) = (i as f64 * model.interval_s, (i + 1) as f64 * model.interval_s);
            let off = model.teams[t].holidays.iter().any(|h| h.overlap(a, b) > 0.0);
            !covered[i] && (off || queues.iter().all(|&q| model.queues[q].mean_rate(a, b) == 0.0))
        })
        .collect()
}

/// Lower bounds of a round, summed over teams.
struct Bound {
    objective: f64,
    paid_hours: f64,
}

impl Bound {
    /// No team's.
    const ZERO: Bound = Bound { objective: 0.0, paid_hours: 0.0 };

    /// A bound on the objective of a team priced at `rate` per paid hour.
    fn of(objective: f64, rate: f64) -> Self {
        Bound { objective, paid_hours: if rate > 0.0 { objective / rate } else { 0.0 } }
    }

    /// Two teams' bounds together.
    fn plus(self, other: Bound) -> Self {
        Bound { objective: self.objective + other.objective, paid_hours: self.paid_hours + other.paid_hours }
    }
}

/// One round's rosters: per team (in `cases` order), its cover solution.
type Solved = Vec<cover::Solution>;

/// Every rostered team's roster for `required` and their lower bound,
/// with each team's cover solution. With the solutions of the round before
/// (`previous`, whose requirement was lower), each team's roster is that
/// round's extended where the requirement rose ([`cover::extend`]) rather
/// than solved afresh, so what it already covered stays covered.
fn solve_round(
    model: &Model,
    cases: &[TeamCase],
    required: &TeamLevels,
    previous: Option<&Solved>,
    options: &Options,
) -> Result<(Vec<RosterShift>, Bound, Solved), ScheduleError> {
    use rayon::prelude::*;
    let solve = |(k, case): (usize, &TeamCase)| {
        let before = previous.map(|p| &p[k]);
        solve_team(model, case, &required.levels[case.team], before, options.objective)
    };
    let solved = crate::montecarlo::with_threads(options.threads, || {
        cases.par_iter().enumerate().map(solve).collect::<Vec<_>>()
    })?;
    let mut shifts = Vec::new();
    let mut bound = Bound::ZERO;
    let mut solutions = Vec::with_capacity(cases.len());
    for team in solved {
        let (team_shifts, team_bound, solution) = team?;
        shifts.extend(team_shifts);
        bound = bound.plus(team_bound);
        solutions.push(solution);
    }
    Ok((shifts, bound, solutions))
}

/// One team's roster for `required`, its lower bound and its cover
/// solution: `before` extended when given and the moves cover the
/// requirement, else solved afresh.
fn solve_team(
    model: &Model,
    case: &TeamCase,
    required: &[u32],
    before: Option<&cover::Solution>,
    objective: Objective,
) -> Result<(Vec<RosterShift>, Bound, cover::Solution), ScheduleError> {
    let rate = team_rate(case, objective);
    let problem = problem(case, required, rate, &model.teams[case.team]);
    let extended = before.and_then(|b| cover::extend(&problem, b).ok());
    let solution = match extended {
        Some(solution) => solution,
        None => {
            let options = cover::Options { prove_bound: false, ..cover::Options::default() };
            solve_cover(model, case, &problem, &options)?
        }
    };
    Ok((roster_of(model, case, &solution), Bound::of(solution.lower_bound, rate), solution))
}

/// Team `case`'s covering `problem` solved, its errors named for the team.
fn solve_cover(
    model: &Model,
    case: &TeamCase,
    problem: &Problem,
    options: &cover::Options,
) -> Result<cover::Solution, ScheduleError> {
    let team = &model.teams[case.team];
    cover::solve(problem, options).map_err(|e| match e {
        CoverError::Uncovered { rows } => ScheduleError::Uncovered {
            team: team.name.clone(),
            intervals: rows.iter().map(|&i| crate::results::rfc3339(model, i)).collect(),
        },
        other => ScheduleError::Infeasible { team: team.name.clone(), why: other.to_string() },
    })
}

/// The roster blocks of `solution` for team `case` (its first columns are
/// the team's candidates, in order; any after them are not shifts).
fn roster_of(model: &Model, case: &TeamCase, solution: &cover::Solution) -> Vec<RosterShift> {
    let team = &model.teams[case.team];
    let mut shifts = Vec::new();
    let mut placements = solution.placements.iter();
    for (c, &agents) in case.candidates.iter().zip(&solution.counts) {
        let placed: Vec<&Vec<u32>> =
            c.breaks.iter().map(|_| placements.next().expect("a placement per break")).collect();
        if agents == 0 {
            continue;
        }
        for (pattern, agents) in blocks(c, agents, &placed) {
            shifts.push(RosterShift {
                team: case.team,
                rule: team.rules[c.rule].name.clone(),
                paid_hours: c.paid_hours * agents as f64,
                pattern,
            });
        }
    }
    shifts
}

/// The blocks of `agents` agents on candidate `c`, breaks placed as
/// `placed` (agents per option of each break): the k-th agent takes the
/// k-th earliest start of every break, and agents with the same starts
/// form one block.
fn blocks(c: &Candidate, agents: u32, placed: &[&Vec<u32>]) -> Vec<(ShiftPattern, u32)> {
    let starts: Vec<Vec<f64>> = c
        .breaks
        .iter()
        .zip(placed)
        .map(|(b, counts)| {
            b.options.iter().zip(counts.iter()).flat_map(|(o, &k)| std::iter::repeat_n(o.0, k as usize)).collect()
        })
        .collect();
    let combo = |k: usize| -> Vec<crate::model::Break> {
        c.breaks
            .iter()
            .zip(&starts)
            .map(|(b, s)| crate::model::Break { start_s: s[k], length_s: b.length_s, window_s: 0.0 })
            .collect()
    };
    let mut out: Vec<(ShiftPattern, u32)> = Vec::new();
    for k in 0..agents as usize {
        let breaks = combo(k);
        match out.last_mut() {
            Some((p, n)) if p.breaks == breaks => *n += 1,
            _ => out.push((ShiftPattern { breaks, agents: 0, ..c.pattern.clone() }, 1)),
        }
    }
    out.into_iter().map(|(p, n)| (ShiftPattern { agents: n, ..p }, n)).collect()
}

/// Team `case`'s covering problem for `required`, each candidate priced at
/// its paid hours × `rate`.
fn problem(case: &TeamCase, required: &[u32], rate: f64, team: &crate::model::Team) -> Problem {
    let demand =
        required.iter().zip(&case.fixed).map(|(&r, &f)| (r as f64 - f - 1e-9).ceil().max(0.0) as u32).collect();
    let columns = case
        .candidates
        .iter()
        .map(|c| Column { cost: c.paid_hours * rate, cover: c.cover.clone(), part_time: team.rules[c.rule].part_time })
        .collect();
    let mut limits = Vec::new();
    for (r, rule) in team.rules.iter().enumerate() {
        let columns: Vec<usize> = (0..case.candidates.len()).filter(|&j| case.candidates[j].rule == r).collect();
        if let Some(agents) = rule.max_agents {
            limits.push(Limit::AtMost { columns: columns.clone(), agents });
        }
        if let Some(agents) = rule.min_agents {
            limits.push(Limit::AtLeast { columns, agents });
        }
    }
    if let Some(share) = team.max_part_time_share {
        limits.push(Limit::PartTimeShare { columns: (0..case.candidates.len()).collect(), share });
    }
    let breaks = case
        .candidates
        .iter()
        .enumerate()
        .flat_map(|(j, c)| c.breaks.iter().map(move |b| (j, b)))
        .map(|(column, b)| BreakGroup { column, options: b.options.iter().map(|o| o.1.clone()).collect() })
        .collect();
    Problem { demand, columns, limits, breaks }
}

fn roster_cost(cases: &[TeamCase], shifts: &[RosterShift]) -> Option<f64> {
    shifts.iter().try_fold(0.0, |sum, s| Some(sum + s.paid_hours * cases.iter().find(|c| c.team == s.team)?.price?))
}

/// Agents on duty per interval of team `case`: fixed shifts and roster.
fn on_duty(model: &Model, case: &TeamCase, shifts: &[RosterShift]) -> Vec<f64> {
    let mut duty = case.fixed.clone();
    for s in shifts.iter().filter(|s| s.team == case.team) {
        let instances = model.lay(s.team, &s.pattern);
        for (i, share) in coverage(model, &instances) {
            duty[i as usize] += share * s.pattern.agents as f64;
        }
    }
    duty
}

/// `model` with the roster's shifts added to the teams' fixed ones (a
/// rostered team with no fixed shifts loses its always-on agents).
pub fn with_roster(model: &Model, rostered: &[usize], shifts: &[RosterShift]) -> Model {
    let mut all: Vec<ShiftInstance> =
        model.shifts.iter().filter(|s| !(rostered.contains(&s.team) && s.logout_s.is_infinite())).cloned().collect();
    for s in shifts {
        // Not worked on the team's holidays, as in the emitted scenario.
        all.extend(model.lay(s.team, &s.pattern));
    }
    all.sort_by(|a, b| a.login_s.total_cmp(&b.login_s).then(a.team.cmp(&b.team)));
    Model { shifts: all, ..model.clone() }
}
