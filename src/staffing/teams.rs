//! Staffing by team: the agents each team needs per interval so that every
//! queue's targets hold with the teams' skills, priorities, overflow and
//! costs, verified by simulating the whole operation.
//!
//! 1. Each queue's requirement (the simulated level of `staff`, per
//!    interval) goes to the team that serves it first: the lowest priority
//!    number for it, then no overflow delay before one, then the cheapest,
//!    then scenario order. A team's level is the sum of what it was given.
//! 2. The whole scenario is simulated with every team at those levels
//!    (common random numbers: the same seed and streams each round). Where
//!    a queue that shares a team with another queue misses a target in an
//!    interval (a deferred queue: in a day), that queue's first team gets
//!    one more agent there (a twentieth more above 20), and the round
//!    repeats, up to [`MAX_ROUNDS`]. A queue whose teams serve nothing
//!    else was already simulated as the pool it is.
//!
//! Pooled teams are therefore staffed as one: two teams with the same
//! skills and cost need together what one of them needs alone, and teams
//! that share no queue need what each queue needs alone.

use crate::model::{Model, ShiftInstance};
use crate::montecarlo::{self, RunOptions, ThreadsError};
use crate::periods::PeriodKind;
use crate::results::{Detail, Period, Results};

use super::Staffing;

/// Most simulated rounds of raising levels.
pub const MAX_ROUNDS: usize = 12;

/// Agents per team and reported interval.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamLevels {
    /// `levels[team][interval]`.
    pub levels: Vec<Vec<u32>>,
}

/// A queue that misses a target over some intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    /// The queue.
    pub queue: usize,
    /// The intervals of the period judged (one for live work, a day for
    /// deferred work).
    pub intervals: std::ops::Range<usize>,
    /// What is missed, in words.
    pub what: String,
    /// The lowest share of replications meeting one of its missed targets
    /// (0 to 1): the worst misses have the lowest.
    pub met_share: f64,
}

/// The requirement by team, with how it was verified.
#[derive(Debug, Clone, PartialEq)]
pub struct ByTeam {
    /// Agents each team needs per interval.
    pub required: TeamLevels,
    /// Simulated rounds.
    pub rounds: usize,
    /// Targets still missed after the last round (empty when all hold).
    pub unmet: Vec<Miss>,
}

/// Teams serving queue `q`, in the order they are given its work: lowest
/// priority number first, then no overflow delay, then cheapest, then
/// scenario order.
pub fn team_order(model: &Model, q: usize) -> Vec<usize> {
    let mut teams: Vec<(usize, usize, bool, f64)> = model
        .teams
        .iter()
        .enumerate()
        .filter_map(|(t, team)| {
            let level = team.skills_by_priority.iter().position(|l| l.iter().any(|s| s.queue == q))?;
            let skill = team.skill(q)?;
            let cost = crate::cost::paid_hour(model, t).unwrap_or(0.0);
            Some((t, level, skill.after_s > 0.0, cost))
        })
        .collect();
    teams.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)).then(a.3.total_cmp(&b.3)).then(a.0.cmp(&b.0)));
    teams.into_iter().map(|t| t.0).collect()
}

/// Per team and interval, whether the team can work then
/// ([`Model::can_work`]).
pub fn availability(model: &Model) -> Vec<Vec<bool>> {
    (0..model.teams.len()).map(|t| model.can_work(t)).collect()
}

/// The first team in `order` that can work in interval `i`.
fn first_open(order: &[usize], open: &[Vec<bool>], i: usize) -> Option<usize> {
    order.iter().copied().find(|&t| open[t][i])
}

/// Whether queue `q` shares no team with another queue: its requirement
/// from `staff` (a dedicated pool) is then final, whichever of its teams
/// takes it.
pub fn self_contained(model: &Model, q: usize) -> bool {
    model.queues[q].served_by.iter().all(|&t| model.teams[t].skills_by_priority.iter().flatten().all(|s| s.queue == q))
}

/// Each queue's simulated level per interval given to its first team that
/// can work then, else to its first team on holiday then (whose roster
/// leaves it: the team is off), else to its first team (whose roster must
/// then say it cannot cover it).
pub fn allocate(model: &Model, plan: &Staffing, open: &[Vec<bool>]) -> TeamLevels {
    let mut levels = vec![vec![0u32; model.n_intervals]; model.teams.len()];
    for (q, queue) in plan.queues.iter().enumerate() {
        let order = team_order(model, q);
        for (i, row) in queue.intervals.iter().enumerate().take(model.n_intervals) {
            let (a, b) = (i as f64 * model.interval_s, (i + 1) as f64 * model.interval_s);
            let off = |t: &usize| model.teams[*t].holidays.iter().any(|h| h.overlap(a, b) > 0.0);
            let on_holiday = || order.iter().copied().find(off);
            if let Some(t) = first_open(&order, open, i).or_else(on_holiday).or(order.first().copied()) {
                levels[t][i] = levels[t][i].saturating_add(row.achieved.agents);
            }
        }
    }
    TeamLevels { levels }
}

/// The requirement by team, from `plan` (the per-queue staffing of
/// `model`), raised where the whole operation still misses a target.
pub fn by_team(
    model: &Model,
    plan: &Staffing,
    confidence: Option<f64>,
    threads: Option<usize>,
    on_round: &(dyn Fn() + Sync),
) -> Result<ByTeam, ThreadsError> {
    let open = availability(model);
    let mut levels = allocate(model, plan, &open);
    let mut rounds = 0;
    loop {
        let results = simulate(&with_levels(model, &levels), threads)?;
        rounds += 1;
        on_round();
        let mut unmet = misses(&results, confidence);
        unmet.retain(|m| !self_contained(model, m.queue));
        if unmet.is_empty() || rounds >= MAX_ROUNDS {
            return Ok(ByTeam { required: levels, rounds, unmet });
        }
        raise(model, &mut levels.levels, &unmet, &open);
    }
}

/// One more agent (a twentieth more above 20) in each missed period, on
/// the first team that serves the queue and can work then (`open`: per
/// team and interval); returns the team-intervals raised.
pub fn raise(model: &Model, levels: &mut [Vec<u32>], unmet: &[Miss], open: &[Vec<bool>]) -> usize {
    let mut raised = 0;
    for m in unmet {
        let order = team_order(model, m.queue);
        for i in m.intervals.clone() {
            if let Some(t) = first_open(&order, open, i) {
                let level = &mut levels[t][i];
                *level = level.saturating_add((*level / 20).max(1));
                raised += 1;
            }
        }
    }
    raised
}

/// `model` with every team on duty at `levels`, interval by interval (the
/// warm-up at the first interval's level).
pub fn with_levels(model: &Model, levels: &TeamLevels) -> Model {
    let mut shifts = Vec::new();
    for (t, row) in levels.levels.iter().enumerate() {
        for (i, &agents) in row.iter().enumerate() {
            let from = if i == 0 { -model.warmup_s } else { i as f64 * model.interval_s };
            if agents > 0 {
                let to = (i + 1) as f64 * model.interval_s;
                shifts.push(ShiftInstance { team: t, login_s: from, logout_s: to, agents, breaks: Vec::new() });
            }
        }
    }
    shifts.sort_by(|a, b| a.login_s.total_cmp(&b.login_s).then(a.team.cmp(&b.team)));
    Model { shifts, ..model.clone() }
}

/// Every interval of `model` (and day, for deferred work) simulated.
pub fn simulate(model: &Model, threads: Option<usize>) -> Result<Results, ThreadsError> {
    let options =
        RunOptions { threads, detail: Detail::Interval, period: PeriodKind::Day, ..RunOptions::for_model(model) };
    montecarlo::run(model, &options, &|| {})
}

/// The targets `results` miss, judged as `staff` judges them: on the mean
/// over replications and, at `confidence`, in that share of them. Live
/// queues are judged per interval, deferred work per day (a pending day is
/// not judged).
pub fn misses(results: &Results, confidence: Option<f64>) -> Vec<Miss> {
    let mut out = Vec::new();
    for (q, queue) in results.queues.iter().enumerate() {
        for p in queue.judged_periods().iter().filter(|p| !p.span.pending) {
            if let Some((what, met_share)) = missed(p, confidence) {
                out.push(Miss { queue: q, intervals: p.span.intervals.clone(), what, met_share });
            }
        }
    }
    out
}

/// The targets period `p` misses, in words, with the lowest share of
/// replications meeting one of them; `None` when all hold.
fn missed(p: &Period, confidence: Option<f64>) -> Option<(String, f64)> {
    let missed: Vec<_> = crate::results::judge::judge(p, confidence).filter(|j| !j.met).collect();
    let share = missed.iter().map(|j| j.met_share).fold(f64::INFINITY, f64::min);
    let words: Vec<String> = missed.iter().map(|j| j.describe()).collect();
    (!words.is_empty()).then(|| (words.join(", "), share))
}
