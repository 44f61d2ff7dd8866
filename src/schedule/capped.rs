//! Headcount-capped rosters: with the heads each team has (given, or its
//! named agents), the roster that serves best instead of the least-cost
//! roster that meets every target; and which targets it then misses, by
//! how much.
//!
//! One weekly column of the cover is one agent for the horizon, so a cap
//! of `heads` is [`Limit::AtMost`] over all of the team's candidates. The
//! requirement may then be out of reach: each interval that needs agents
//! gets a slack column covering only it, priced above anything the heads
//! could cost (`heads` × the dearest candidate, plus one), so the problem
//! is always feasible and its optimum is the least shortfall (agents short
//! × intervals, a proxy for least abandonment) first and the least cost
//! of that shortfall second.
//!
//! The method:
//!
//! 1. The least-cost roster ([`super::schedule_with_progress`], rounds of
//!    simulation and repair included). If every capped team's roster uses
//!    at most its heads, that roster is the answer, unchanged.
//! 2. Otherwise each team over its heads is solved again, capped, against
//!    the requirement that roster ended with (raised where simulation
//!    asked); the teams within their heads keep their shifts.
//!    [`Goal::Shortfall`] stops there. [`Goal::Periods`] (most periods
//!    meeting every target) reweights the slack of each interval by
//!    1 / (1 + its shortfall in the round before), which moves heads from
//!    intervals far short to those nearly covered (reweighted least
//!    shortfall, a heuristic for the fewest short intervals), for
//!    [`PERIOD_ROUNDS`] more rounds, and keeps the roster whose simulation
//!    misses the fewest periods (the fewest short intervals when not
//!    simulated).
//! 3. The final roster is simulated and each missed target reported per
//!    queue and period with its simulated value and the target.

use std::ops::Range;

use crate::cover::{self, Column, Limit};
use crate::kpi::Kpi;
use crate::model::Model;
use crate::results::Results;
use crate::staffing::teams::{misses, simulate, TeamLevels};

use super::{
    on_duty, problem, roster_cost, roster_of, schedule_and_simulation, solve_cover, team_cases, team_rate, with_roster,
    Options, RosterShift, Schedule, ScheduleError, Step, TeamCase,
};

/// Reweighted rounds of [`Goal::Periods`] after the first.
pub const PERIOD_ROUNDS: usize = 3;

/// The best capped round so far: its index, shifts, the capped teams'
/// solutions and its simulation.
type Kept = (usize, Vec<RosterShift>, Vec<TeamSolved>, Option<Results>);

/// What "best service" means for a capped roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Goal {
    /// Least shortfall of the requirement, in agent-intervals (a proxy
    /// for least abandonment).
    #[default]
    Shortfall,
    /// Most periods meeting every target.
    Periods,
}

impl Goal {
    /// Its name in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Goal::Shortfall => "shortfall",
            Goal::Periods => "periods",
        }
    }
}

/// The heads of each team of a model: `None` where the team is not capped.
#[derive(Debug, Clone, PartialEq)]
pub struct Heads {
    per_team: Vec<Option<u32>>,
}

/// Why heads were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HeadsError {
    /// A name that is no team's.
    #[error("--heads {name}={heads}: no team is named {name:?}; the teams: {teams}")]
    UnknownTeam {
        /// The name given.
        name: String,
        /// The heads given.
        heads: u32,
        /// The model's teams, quoted.
        teams: String,
    },
    /// A team without shift rules: nothing of it is rostered.
    #[error("--heads {name}={heads}: team {name:?} has no [[team.shift_rule]], so schedule rosters nothing of it; teams with rules: {rostered}")]
    NoRules {
        /// The team.
        name: String,
        /// The heads given.
        heads: u32,
        /// The teams with rules, quoted.
        rostered: String,
    },
    /// The same team twice.
    #[error("--heads names team {0:?} twice; give each team once")]
    Twice(String),
    /// Zero heads.
    #[error("--heads {0}=0: a team needs at least 1 head (to roster none of a team, remove its [[team.shift_rule]])")]
    Zero(String),
    /// Nothing to cap.
    #[error("a capped roster needs heads: give --heads TEAM=N, or agents (the scenario's [[agent]] or --agents FILE) of a team with [[team.shift_rule]]")]
    Nothing,
}

impl crate::fault::Blame for HeadsError {
    /// Every refusal is the input's.
    fn fault(&self) -> crate::fault::Fault {
        crate::fault::Fault::Input
    }
}

impl Heads {
    /// Heads from `given` (team name, heads), and for the teams with rules
    /// not named there, when `from_agents`, the number of the model's
    /// agents of that team (teams without agents are then not capped).
    ///
    /// # Errors
    ///
    /// A name that is no team's, a team without shift rules, a team named
    /// twice, zero heads, or nothing capped at all.
    pub fn new(model: &Model, given: &[(String, u32)], from_agents: bool) -> Result<Heads, HeadsError> {
        let quoted = |teams: &mut dyn Iterator<Item = &crate::model::Team>| {
            teams.map(|t| format!("{:?}", t.name)).collect::<Vec<_>>().join(", ")
        };
        let mut per_team = vec![None; model.teams.len()];
        for (name, heads) in given {
            let Some(t) = model.teams.iter().position(|team| &team.name == name) else {
                return Err(HeadsError::UnknownTeam {
                    name: name.clone(),
                    heads: *heads,
                    teams: quoted(&mut model.teams.iter()),
                });
            };
            if model.teams[t].rules.is_empty() {
                return Err(HeadsError::NoRules {
                    name: name.clone(),
                    heads: *heads,
                    rostered: quoted(&mut model.teams.iter().filter(|team| !team.rules.is_empty())),
                });
            }
            if per_team[t].is_some() {
                return Err(HeadsError::Twice(name.clone()));
            }
            if *heads == 0 {
                return Err(HeadsError::Zero(name.clone()));
            }
            per_team[t] = Some(*heads);
        }
        if from_agents {
            for (t, team) in model.teams.iter().enumerate() {
                let n = model.agents.iter().filter(|a| a.team == t).count();
                if per_team[t].is_none() && !team.rules.is_empty() && n > 0 {
                    per_team[t] = Some(u32::try_from(n).unwrap_or(u32::MAX));
                }
            }
        }
        if per_team.iter().all(Option::is_none) {
            return Err(HeadsError::Nothing);
        }
        Ok(Heads { per_team })
    }

    /// Team `t`'s heads, `None` when it is not capped.
    pub fn of(&self, t: usize) -> Option<u32> {
        self.per_team.get(t).copied().flatten()
    }
}

/// How a capped roster came out, in [`Schedule::capped`].
#[derive(Debug, Clone, PartialEq)]
pub struct Capped {
    /// What was maximised.
    pub goal: Goal,
    /// Whether the least-cost roster fitted the heads (and is the roster).
    pub fits: bool,
    /// The capped teams, in scenario order.
    pub teams: Vec<TeamHeads>,
    /// Each capped round (none when the least-cost roster fitted).
    pub rounds: Vec<Round>,
    /// Index into `rounds` of the roster kept.
    pub kept: Option<usize>,
    /// Every target the final roster misses, per queue and period
    /// (simulated rosters only).
    pub missed: Vec<TargetMiss>,
}

/// One capped team's heads and shortfall.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamHeads {
    /// The team.
    pub team: usize,
    /// Heads given.
    pub given: u32,
    /// Heads the roster uses (agents on its blocks).
    pub used: u32,
    /// Heads the least-cost roster used.
    pub least_cost: u32,
    /// Agent-hours on duty short of the requirement, summed over
    /// intervals (breaks placed, fixed shifts in).
    pub short_agent_hours: f64,
    /// Intervals short of the requirement.
    pub short_intervals: usize,
    /// The cover's shortfall, agent-hours in whole agent-intervals (0
    /// when the least-cost roster fitted).
    pub cover_short_agent_hours: f64,
    /// A proven lower bound of the cover's shortfall with these heads,
    /// agent-hours, from the uniform round (`None` when the roster kept
    /// is a reweighted one, or the least-cost roster fitted).
    pub cover_short_bound_agent_hours: Option<f64>,
}

/// One round of the capped search.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Whether its slack was reweighted (false: uniform).
    pub reweighted: bool,
    /// Paid hours of its roster.
    pub paid_hours: f64,
    /// Agent-hours short of the requirement (the capped teams').
    pub short_agent_hours: f64,
    /// Intervals short, over the capped teams.
    pub short_intervals: usize,
    /// Periods missing a target in simulation (`None`: not simulated).
    pub unmet: Option<usize>,
}

/// One target missed over one period of one queue.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetMiss {
    /// The queue.
    pub queue: usize,
    /// The intervals judged (one for live work, a day for deferred work).
    pub intervals: Range<usize>,
    /// The target's key (`service_level`, `max_asa_s`, ...).
    pub key: &'static str,
    /// Its KPI.
    pub kpi: Kpi,
    /// The simulated mean, reported unit (share, seconds, hours, count);
    /// `None` where undefined in every replication.
    pub value: Option<f64>,
    /// The target, same unit.
    pub target: f64,
    /// Whether the target is a least value (service level) rather than
    /// a most (waits, abandonment, backlog).
    pub at_least: bool,
    /// How far the value is on the wrong side of the target, same unit.
    pub by: Option<f64>,
    /// Share of replications meeting it.
    pub met_share: f64,
}

/// Every target `results` miss, per queue and period, judged as
/// [`misses`] judges them (live queues per interval, deferred work per day).
pub fn target_misses(results: &Results, confidence: Option<f64>) -> Vec<TargetMiss> {
    let mut out = Vec::new();
    for (q, queue) in results.queues.iter().enumerate() {
        for p in queue.judged_periods().iter().filter(|p| !p.span.pending) {
            for j in crate::results::judge::judge(p, confidence).filter(|j| !j.met) {
                let target = j.target.kpi.reported(j.target.value);
                out.push(TargetMiss {
                    queue: q,
                    intervals: p.span.intervals.clone(),
                    key: j.target.key,
                    kpi: j.target.kpi,
                    value: j.value,
                    target,
                    at_least: j.target.bound == crate::kpi::Bound::AtLeast,
                    by: j.value.map(|v| (v - target).abs()),
                    met_share: j.met_share,
                });
            }
        }
    }
    out
}

/// [`capped_with_progress`] with no progress display.
pub fn capped(
    model: &Model,
    required: TeamLevels,
    options: &Options,
    heads: &Heads,
    goal: Goal,
) -> Result<Schedule, ScheduleError> {
    capped_with_progress(model, required, options, heads, goal, &|_| {})
}

/// The roster that serves best (`goal`) with at most `heads` agents per
/// capped team: the least-cost roster when it fits the heads, else the
/// capped search of the module's method; [`Schedule::capped`] says which
/// and what it misses.
pub fn capped_with_progress(
    model: &Model,
    required: TeamLevels,
    options: &Options,
    heads: &Heads,
    goal: Goal,
    progress: &(dyn Fn(Step) + Sync),
) -> Result<Schedule, ScheduleError> {
    let (mut least, simulated) = schedule_and_simulation(model, required, options, progress)?;
    let least_used = heads_used(model, &least.shifts);
    let capped_teams: Vec<(usize, u32)> = least.teams.iter().filter_map(|&t| Some((t, heads.of(t)?))).collect();
    let fits = capped_teams.iter().all(|&(t, h)| least_used[t] <= h);
    let interval_hours = model.interval_s / 3600.0;
    if fits {
        let missed = match (&simulated, least.unmet.is_empty()) {
            (Some(results), false) => target_misses(results, options.confidence),
            _ => Vec::new(),
        };
        let teams = capped_teams
            .iter()
            .map(|&(t, h)| {
                let duty = &least.scheduled[least.teams.iter().position(|&r| r == t).expect("a rostered team")];
                let (short, n) = shortfall(&least.required.levels[t], duty);
                TeamHeads {
                    team: t,
                    given: h,
                    used: least_used[t],
                    least_cost: least_used[t],
                    short_agent_hours: short * interval_hours,
                    short_intervals: n,
                    cover_short_agent_hours: 0.0,
                    cover_short_bound_agent_hours: None,
                }
            })
            .collect();
        least.capped = Some(Capped { goal, fits: true, teams, rounds: Vec::new(), kept: None, missed });
        return Ok(least);
    }
    let cases = team_cases(model, options.objective)?;
    let over: Vec<(usize, u32)> = capped_teams.iter().copied().filter(|&(t, h)| least_used[t] > h).collect();
    let n_rounds = match goal {
        Goal::Shortfall => 1,
        Goal::Periods => 1 + PERIOD_ROUNDS,
    };
    let before = least.iterations.len();
    let of = before + n_rounds;
    let mut rounds: Vec<Round> = Vec::new();
    let mut best: Option<Kept> = None;
    let mut weights: Vec<Option<Vec<u32>>> = vec![None; over.len()];
    for k in 0..n_rounds {
        progress(Step::Solving { round: before + k + 1, of });
        let solve = |(&(t, h), w): (&(usize, u32), &Option<Vec<u32>>)| {
            let case = cases.iter().find(|c| c.team == t).expect("a case per rostered team");
            solve_capped(model, case, &least.required.levels[t], options.objective, h, w.as_deref())
        };
        let solved: Vec<TeamSolved> = crate::montecarlo::with_threads(options.threads, || {
            use rayon::prelude::*;
            over.par_iter().zip(weights.par_iter()).map(solve).collect::<Vec<_>>()
        })?
        .into_iter()
        .collect::<Result<_, _>>()?;
        let mut shifts: Vec<RosterShift> =
            least.shifts.iter().filter(|s| !over.iter().any(|&(t, _)| t == s.team)).cloned().collect();
        for s in &solved {
            shifts.extend(s.shifts.iter().cloned());
        }
        shifts.sort_by_key(|s| s.team);
        let duty: Vec<(usize, Vec<f64>)> =
            capped_teams.iter().map(|&(t, _)| (t, on_duty(model, case_of(&cases, t), &shifts))).collect();
        let (short, short_intervals) = duty.iter().fold((0.0, 0), |(s, n), (t, d)| {
            let (a, b) = shortfall(&least.required.levels[*t], d);
            (s + a, n + b)
        });
        let mut round = Round {
            reweighted: k > 0,
            paid_hours: shifts.iter().map(|s| s.paid_hours).sum(),
            short_agent_hours: short * interval_hours,
            short_intervals,
            unmet: None,
        };
        let mut results = None;
        if options.simulate {
            progress(Step::Simulating { round: before + k + 1, of });
            let r = simulate(&with_roster(model, &least.teams, &shifts), options.threads)?;
            round.unmet = Some(misses(&r, options.confidence).len());
            results = Some(r);
        }
        let score = |r: &Round| (r.unmet.unwrap_or(0), r.short_intervals);
        let better = match (goal, &best) {
            (_, None) => true,
            (Goal::Periods, Some((b, ..))) => score(&round) < score(&rounds[*b]),
            (Goal::Shortfall, Some(_)) => false,
        };
        rounds.push(round);
        // The next round's weights: 1 / (1 + this round's shortfall), scaled
        // so that the cheapest interval keeps the penalty; done when no
        // interval is short or the weights repeat (so would the roster).
        let next: Vec<Option<Vec<u32>>> = solved
            .iter()
            .map(|s| {
                let most = s.slack.iter().map(|&(_, n)| n).max().unwrap_or(0);
                Some(s.slack.iter().map(|&(_, n)| (1 + most).div_ceil(1 + n)).collect())
            })
            .collect();
        let done = solved.iter().all(|s| s.slack.iter().all(|&(_, n)| n == 0)) || next == weights;
        weights = next;
        if better {
            best = Some((k, shifts, solved, results));
        }
        if done {
            break;
        }
    }
    let (kept, shifts, solved, results) = best.expect("at least one round");
    let missed = results.as_ref().map_or_else(Vec::new, |r| target_misses(r, options.confidence));
    let unmet = results.as_ref().map_or_else(Vec::new, |r| misses(r, options.confidence));
    let used = heads_used(model, &shifts);
    let teams = capped_teams
        .iter()
        .map(|&(t, h)| {
            let duty = on_duty(model, case_of(&cases, t), &shifts);
            let (short, n) = shortfall(&least.required.levels[t], &duty);
            let own = over.iter().position(|&(o, _)| o == t).map(|k| &solved[k]);
            TeamHeads {
                team: t,
                given: h,
                used: used[t],
                least_cost: least_used[t],
                short_agent_hours: short * interval_hours,
                short_intervals: n,
                cover_short_agent_hours: own.map_or(0.0, |s| f64::from(s.short) * interval_hours),
                cover_short_bound_agent_hours: own.and_then(|s| s.bound).map(|b| f64::from(b) * interval_hours),
            }
        })
        .collect();
    least.scheduled = cases.iter().map(|c| on_duty(model, c, &shifts)).collect();
    least.paid_hours = shifts.iter().map(|s| s.paid_hours).sum();
    least.cost = roster_cost(&cases, &shifts);
    least.overshoot.staffed_hours = least.scheduled.iter().flatten().sum::<f64>() * interval_hours;
    least.shifts = shifts;
    least.unmet = unmet;
    least.capped = Some(Capped { goal, fits: false, teams, rounds, kept: Some(kept), missed });
    Ok(least)
}

fn case_of(cases: &[TeamCase], t: usize) -> &TeamCase {
    cases.iter().find(|c| c.team == t).expect("a case per rostered team")
}

/// Agents on the roster's blocks, per team of the model (one block's
/// agents are its heads for the horizon).
pub fn heads_used(model: &Model, shifts: &[RosterShift]) -> Vec<u32> {
    let mut used = vec![0; model.teams.len()];
    for s in shifts {
        used[s.team] += s.pattern.agents;
    }
    used
}

/// Agents short of `required` summed over intervals (agent-intervals),
/// and the intervals short, for `duty` agents on duty.
fn shortfall(required: &[u32], duty: &[f64]) -> (f64, usize) {
    let short: Vec<f64> = required.iter().zip(duty).map(|(&r, &d)| (f64::from(r) - d).max(0.0)).collect();
    (short.iter().sum(), short.iter().filter(|&&s| s > 1e-9).count())
}

/// One capped team's roster and its slack.
struct TeamSolved {
    shifts: Vec<RosterShift>,
    /// (interval, agents short) per interval with demand.
    slack: Vec<(usize, u32)>,
    /// Agent-intervals short in the cover.
    short: u32,
    /// A proven lower bound of `short` (uniform slack only).
    bound: Option<u32>,
}

/// Team `case` rostered for `required` with at most `heads` agents: the
/// covering problem with a cap over every candidate and a slack column
/// per interval with demand, priced above all the heads could cost
/// (times `weights`, one per such interval, when given).
fn solve_capped(
    model: &Model,
    case: &TeamCase,
    required: &[u32],
    objective: super::Objective,
    heads: u32,
    weights: Option<&[u32]>,
) -> Result<TeamSolved, ScheduleError> {
    let rate = team_rate(case, objective);
    let mut problem = problem(case, required, rate, &model.teams[case.team]);
    let n = problem.columns.len();
    problem.limits.push(Limit::AtMost { columns: (0..n).collect(), agents: heads });
    let dearest = problem.columns.iter().map(|c| c.cost).fold(0.0, f64::max);
    let most = f64::from(heads) * dearest;
    let penalty = (most + 1.0).ceil();
    let rows: Vec<usize> = (0..problem.demand.len()).filter(|&i| problem.demand[i] > 0).collect();
    for (k, &i) in rows.iter().enumerate() {
        let weight = weights.map_or(1, |w| w[k]);
        let row = u32::try_from(i).expect("rows fit u32");
        problem.columns.push(Column { cost: penalty * f64::from(weight), cover: vec![(row, 1.0)], part_time: false });
    }
    let solution = solve_cover(model, case, &problem, &cover::Options::default())?;
    let slack: Vec<(usize, u32)> = rows.iter().enumerate().map(|(k, &i)| (i, solution.counts[n + k])).collect();
    let short = slack.iter().map(|&(_, s)| s).sum();
    // objective = penalty × short + cost of at most `most`, so any roster's
    // short ≥ (bound − most) / penalty.
    let bound = weights.is_none().then(|| ((solution.lower_bound - most) / penalty - 1e-9).ceil().max(0.0) as u32);
    Ok(TeamSolved { shifts: roster_of(model, case, &solution), slack, short, bound })
}
