//! Staffing: the least agents per interval, dedicated to each queue, that
//! meet every target of the queue, found three ways side by side:
//!
//! - `erlang_c`: Erlang C on the interval's mean rate and handle time;
//! - `erlang_a`: Erlang A with the queue's mean patience;
//! - `simulated`: the engine itself, with the real distributions and the
//!   queue carried over from earlier intervals.
//!
//! The simulated search runs in time order. Every replication keeps a
//! snapshot of its simulation at the start of the current interval, with
//! earlier intervals at their chosen levels. Each candidate level is tried
//! on clones of those snapshots, so all candidates see the same contacts
//! (common random numbers); it starts from the analytic answer, so few
//! levels are simulated. A candidate is judged on the contacts that arrived
//! in the interval, followed until each is answered or abandoned, through
//! the next intervals staffed at least as much (at least the next
//! interval's analytic level); then the snapshots advance one interval at
//! the level found.
//!
//! Deferred work (email, case) is staffed day by day instead
//! (`staffing/deferred.rs`): the least agents working the day's business hours such
//! that the day's arrivals are answered within the target hours.

mod deferred;
mod live;
pub mod teams;

use std::ops::Range;

use serde::Serialize;

use crate::kpi::{format_value, Bound, Kpi, KpiValues, Targets};
use crate::model::{Model, Skill, Team};
use crate::montecarlo::{with_threads, ThreadsError};
use crate::results::{rfc3339, KpiSummaries, TargetShares};

/// How long after its end an interval's contacts are followed to learn
/// their outcome. Only a contact still waiting a day later (an overload
/// with unlimited patience) is left as offered but neither answered nor
/// abandoned.
const FOLLOW_UP_S: f64 = 24.0 * 3600.0;

/// How the search judges a level.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Options {
    /// `None`: a target is met when its mean over replications meets it.
    /// `Some(p)`: it must also be met in at least a share `p` of the
    /// replications.
    pub confidence: Option<f64>,
    /// Most agents tried per interval; by default 3 × the load + 50.
    pub max_agents: Option<u32>,
    /// Worker threads; all cores when `None`.
    pub threads: Option<usize>,
}

/// Agents required by each method; `None` where the method has no answer
/// (no abandonment for Erlang A, or no level up to the cap).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Required {
    /// Erlang C (M/M/c).
    pub erlang_c: Option<u32>,
    /// Erlang A (M/M/c+M); absent when nobody abandons.
    pub erlang_a: Option<u32>,
    /// The simulation.
    pub simulated: Option<u32>,
}

/// What the simulation achieved at the level it chose (or at the cap).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Achieved {
    /// Agents simulated.
    pub agents: u32,
    /// The KPIs across replications.
    #[serde(flatten)]
    pub kpis: KpiSummaries,
    /// Share of replications meeting each target.
    pub targets: TargetShares,
}

/// One level the search simulated.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// Agents.
    pub agents: u32,
    /// Whether it met every target by the criterion.
    pub met: bool,
    /// Its KPIs across replications.
    pub kpis: KpiSummaries,
}

/// The staffing of one interval of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalStaffing {
    /// Start, RFC 3339 in the reporting zone.
    pub start: String,
    /// End, RFC 3339 in the reporting zone.
    pub end: String,
    /// Mean arrival rate over the interval, contacts per hour.
    pub rate_per_hour: f64,
    /// Offered load, Erlangs (rate × mean handle time).
    pub load_erlangs: f64,
    /// Agents required by each method.
    pub required: Required,
    /// Whether the simulation found a level meeting every target.
    pub feasible: bool,
    /// Why not, when infeasible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// KPIs at the simulated level.
    pub achieved: Achieved,
    /// Every level simulated, in ascending order of agents.
    #[serde(skip)]
    pub trials: Vec<Trial>,
}

/// Hours, FTE and cost of one method's requirement over a period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cost {
    /// Agent-hours on the queue (required agents × interval hours).
    pub agent_hours: f64,
    /// Paid hours: agent-hours / (1 − shrinkage) / (1 − absence), the
    /// absence the mean `absence_rate` of the queue's teams
    /// ([`Model::queue_absence_rate`]).
    pub scheduled_hours: f64,
    /// Full-time equivalents: scheduled hours / paid hours of one
    /// full-time agent over the same period.
    pub fte: f64,
    /// Scheduled hours × the queue's cost per hour
    /// ([`crate::cost::queue_rate`]), when it is priced.
    pub cost: Option<f64>,
    /// Intervals without an answer from this method (left out of the sums).
    pub intervals_without_answer: usize,
}

/// Totals of a period (a day or the horizon).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Start, RFC 3339.
    pub start: String,
    /// End, RFC 3339.
    pub end: String,
    /// Erlang C requirement; absent for deferred work.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erlang_c: Option<Cost>,
    /// Erlang A requirement; absent when nobody abandons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erlang_a: Option<Cost>,
    /// Simulated requirement.
    pub simulated: Cost,
    /// Mean contacts answered at the simulated levels.
    pub answered: f64,
    /// Simulated cost / answered.
    pub cost_per_answered: Option<f64>,
}

/// One day of a deferred queue: the agents working its business hours.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeferredDay {
    /// Start, RFC 3339.
    pub start: String,
    /// End, RFC 3339.
    pub end: String,
    /// Hours in the day when a team serving the queue works (a fixed
    /// shift or a start its rules allow; all day when no team serves it).
    pub business_hours: f64,
    /// Deferred items expected to arrive in the day.
    pub expected_arrivals: f64,
    /// Whether the simulation found a level meeting every target.
    pub feasible: bool,
    /// Why not, when infeasible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Agents through the business hours, and what they achieve for the
    /// day's arrivals.
    pub achieved: Achieved,
}

/// One queue's staffing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueStaffing {
    /// The queue.
    pub name: String,
    /// Its channel.
    pub channel: &'static str,
    /// Cost of one paid hour used for the queue, if known: the
    /// share-weighted cost of the teams doing its work ([`crate::cost::queue_rate`]).
    pub cost_per_hour: Option<f64>,
    /// Price of one answered contact, the same way (partners paid per
    /// contact), when any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_per_contact: Option<f64>,
    /// The priced teams doing its work and their shares of it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cost_teams: Vec<crate::cost::TeamShare>,
    /// Per interval.
    pub intervals: Vec<IntervalStaffing>,
    /// Deferred work: the level of each day.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deferred_days: Vec<DeferredDay>,
    /// Per day.
    pub days: Vec<Totals>,
    /// The whole horizon.
    pub totals: Totals,
}

/// The staffing of every queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Staffing {
    /// Replications per level tried.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// Share of replications that must meet a target, beyond the mean; absent
    /// for the mean criterion.
    pub confidence: Option<f64>,
    /// Share of paid time off the phones.
    pub shrinkage: f64,
    /// Paid hours per week of one full-time agent.
    pub paid_hours_per_week: f64,
    /// Intervals, over every queue, where no level up to the cap met the
    /// targets (`feasible` false): when above 0 the simulated totals leave
    /// them out and are too low.
    pub capped_intervals: usize,
    /// ISO 4217 code of every amount, if the scenario names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// One entry per queue.
    pub queues: Vec<QueueStaffing>,
}

impl Staffing {
    /// Each queue with intervals where no level up to the cap met the
    /// targets, with how many.
    pub fn capped(&self) -> impl Iterator<Item = (&str, usize)> {
        self.queues
            .iter()
            .map(|q| (q.name.as_str(), q.totals.simulated.intervals_without_answer))
            .filter(|(_, n)| *n > 0)
    }
}

/// Why a staffing search cannot run.
#[derive(Debug, thiserror::Error)]
pub enum StaffingError {
    /// The worker threads could not start.
    #[error(transparent)]
    Threads(#[from] ThreadsError),
    /// A queue has no target: there is nothing to meet, so no level to
    /// search for (one agent "met" it, and at 100,000 contacts an hour the
    /// search simulated a queue that only grew for many minutes).
    #[error(
        "queue {queue:?} has no target, so staffing has nothing to meet; give it a target \
         (service_level with within_s, max_asa_s, max_abandon, max_occupancy or max_backlog)"
    )]
    NoTarget {
        /// The queue's name.
        queue: String,
    },
}

impl crate::fault::Blame for StaffingError {
    fn fault(&self) -> crate::fault::Fault {
        match self {
            StaffingError::Threads(e) => crate::fault::Blame::fault(e),
            StaffingError::NoTarget { .. } => crate::fault::Fault::Input,
        }
    }
}

/// Refuses a model with a queue that has no target, naming the first,
/// before any search starts.
pub fn something_to_meet(model: &Model) -> Result<(), StaffingError> {
    match model.queues.iter().find(|q| q.targets.list().is_empty()) {
        Some(q) => Err(StaffingError::NoTarget { queue: q.name.clone() }),
        None => Ok(()),
    }
}

/// Staffs every queue of `model`; refuses one with no target
/// ([`something_to_meet`]).
pub fn staff(model: &Model, options: &Options) -> Result<Staffing, StaffingError> {
    staff_with_progress(model, options, &|| {})
}

/// [`staff`], calling `on_interval` after each interval of each queue is
/// staffed (queues × intervals calls in all).
pub fn staff_with_progress(
    model: &Model,
    options: &Options,
    on_interval: &(dyn Fn() + Sync),
) -> Result<Staffing, StaffingError> {
    something_to_meet(model)?;
    let queues = with_threads(options.threads, || {
        (0..model.queues.len())
            .map(|q| match model.queues[q].channel.is_live() {
                true => live::staff(model, q, options, on_interval),
                false => deferred::staff(model, q, options, on_interval),
            })
            .collect::<Vec<_>>()
    })?;
    let capped_intervals = queues.iter().map(|q| q.totals.simulated.intervals_without_answer).sum();
    Ok(Staffing {
        capped_intervals,
        replications: model.replications,
        seed: model.seed,
        confidence: options.confidence,
        shrinkage: model.staffing.shrinkage,
        paid_hours_per_week: model.staffing.paid_hours_per_week,
        currency: model.currency.clone(),
        queues,
    })
}

/// `model` reduced to queue `q` and one dedicated team with no shifts,
/// whose agents the search sets interval by interval (and `plan` sets to
/// the agents a month has).
pub fn dedicated(model: &Model, q: usize) -> Model {
    let mut queue = model.queues[q].clone();
    queue.served_by = vec![0];
    let skill = Skill { queue: 0, after_s: 0.0, concurrency: queue.concurrency };
    Model {
        queues: vec![queue],
        teams: vec![Team {
            name: format!("{} (dedicated)", model.queues[q].name),
            skills_by_priority: vec![vec![skill]],
            price: crate::model::price::Price::None,
            overtime: None,
            timezone: model.timezone.clone(),
            rules: Vec::new(),
            max_part_time_share: None,
            outages: Vec::new(),
            queue_outages: Vec::new(),
            holidays: Vec::new(),
            absence: crate::model::Absence::default(),
        }],
        shifts: Vec::new(),
        events: Vec::new(),
        ..model.clone()
    }
}

/// Most agents tried where `--max-agents` is not given: 3 × the load (in
/// agents) + 50, saturating at the largest count rather than wrapping
/// past it (it wrapped to 49 for loads over 1.4e9 Erlangs).
fn default_cap(load_agents: f64) -> u32 {
    ((3.0 * load_agents).ceil() as u32).saturating_add(50)
}

/// The least level in `least..=cap` that `meets`, assuming more agents
/// never do worse: gallop from `guess` in the direction it points, then
/// bisect.
fn least_meeting(guess: u32, least: u32, cap: u32, meets: &mut impl FnMut(u32) -> bool) -> Option<u32> {
    if least > cap {
        return None;
    }
    let guess = guess.clamp(least, cap);
    let mut step = 1u32;
    if meets(guess) {
        let mut ok = guess;
        while ok > least {
            let candidate = ok.saturating_sub(step).max(least);
            if !meets(candidate) {
                return Some(bisect(candidate, ok, meets));
            }
            ok = candidate;
            step = step.saturating_mul(2);
        }
        Some(least)
    } else {
        let mut fail = guess;
        while fail < cap {
            let candidate = fail.saturating_add(step).min(cap);
            if meets(candidate) {
                return Some(bisect(fail, candidate, meets));
            }
            fail = candidate;
            step = step.saturating_mul(2);
        }
        None
    }
}

/// The least level in `fail + 1..=ok` that `meets`, given that `fail`
/// does not and `ok` does.
fn bisect(mut fail: u32, mut ok: u32, meets: &mut impl FnMut(u32) -> bool) -> u32 {
    while ok - fail > 1 {
        let mid = fail + (ok - fail) / 2;
        if meets(mid) {
            ok = mid;
        } else {
            fail = mid;
        }
    }
    ok
}

/// Whether replications `samples` of one interval meet every target:
/// the mean over the replications where the KPI is defined must meet it,
/// and with `confidence = Some(p)` so must at least a share `p` of all
/// replications (an undefined KPI does not miss).
pub fn meets(targets: &Targets, samples: &[KpiValues], confidence: Option<f64>) -> bool {
    targets.list().iter().all(|t| {
        let defined: Vec<f64> = samples.iter().filter_map(|v| v.get(t.kpi)).collect();
        let mean_ok = defined.is_empty() || t.met_by(defined.iter().sum::<f64>() / defined.len() as f64);
        let share_ok = confidence.is_none_or(|p| {
            let met = samples.iter().filter(|v| v.get(t.kpi).is_none_or(|x| t.met_by(x))).count();
            met as f64 >= p * samples.len() as f64
        });
        mean_ok && share_ok
    })
}

/// Which targets the cap still misses, in words.
fn infeasible_reason(targets: &Targets, kpis: &KpiSummaries, cap: u32) -> String {
    let mut misses: Vec<String> = targets
        .list()
        .iter()
        .filter_map(|t| {
            let v = kpis.get(t.kpi)?.mean;
            let op = match t.bound {
                Bound::AtLeast => "<",
                Bound::AtMost => ">",
            };
            (!t.met_by(v))
                .then(|| format!("{} {} {op} {}", t.kpi.label(), format_value(t.kpi, v), format_value(t.kpi, t.value)))
        })
        .collect();
    if misses.is_empty() {
        misses.push("targets are met on average but not in enough replications".to_string());
    }
    format!("no level up to the cap of {cap} agents meets the targets; at {cap}: {}", misses.join(", "))
}

/// A queue's staffing with its totals per day and over the horizon.
fn queue_staffing(
    model: &Model,
    q: usize,
    intervals: Vec<IntervalStaffing>,
    deferred_days: Vec<DeferredDay>,
) -> QueueStaffing {
    let rate = crate::cost::queue_rate(model, q);
    let answered = |range: Range<usize>| -> f64 {
        match deferred_days.is_empty() {
            true => intervals[range]
                .iter()
                .filter_map(|i| i.achieved.kpis.get(Kpi::Answered).map(|s| s.mean))
                .fold(0.0, |a, b| a + b),
            false => {
                let days = model.days.iter().enumerate().filter(|(_, d)| range.contains(&d.first_interval));
                days.filter_map(|(d, _)| deferred_days[d].achieved.kpis.get(Kpi::Arrived).map(|s| s.mean))
                    .fold(0.0, |a, b| a + b)
            }
        }
    };
    let absence = model.queue_absence_rate(q);
    let totals_over = |range: Range<usize>| {
        totals(model, &intervals[range.clone()], range.clone(), (rate.as_ref(), absence), answered(range))
    };
    let queue = &model.queues[q];
    QueueStaffing {
        name: queue.name.clone(),
        channel: queue.channel.name(),
        cost_per_hour: rate.as_ref().map(|r| r.per_hour),
        cost_per_contact: rate.as_ref().map(|r| r.per_contact).filter(|c| *c > 0.0),
        cost_teams: rate.as_ref().map_or_else(Vec::new, |r| r.teams.clone()),
        days: model.days.iter().map(|d| totals_over(d.interval_range())).collect(),
        totals: totals_over(0..model.n_intervals),
        intervals,
        deferred_days,
    }
}

fn totals(
    model: &Model,
    intervals: &[IntervalStaffing],
    range: Range<usize>,
    (rate, absence): (Option<&crate::cost::QueueRate>, f64),
    answered: f64,
) -> Totals {
    let interval_h = model.interval_s / 3600.0;
    let period_h = intervals.len() as f64 * interval_h;
    let policy = model.staffing;
    let cost = |levels: &dyn Fn(&IntervalStaffing) -> Option<u32>, answered: f64| {
        // A fold from +0: an empty f64 sum is −0, which would print as "-0.0".
        let agent_hours = intervals.iter().filter_map(levels).fold(0.0, |h, a| h + a as f64 * interval_h);
        // Agents on duty are those present: the paid hours also cover
        // those who will be absent, on average.
        let scheduled_hours = agent_hours / (1.0 - policy.shrinkage) / (1.0 - absence);
        // One full-time agent is paid paid_hours_per_week over 168 hours
        // (every period has at least one interval; 0 guards 0 / 0 all the same).
        let fte = match period_h > 0.0 {
            true => scheduled_hours / (policy.paid_hours_per_week * period_h / 168.0),
            false => 0.0,
        };
        Cost {
            agent_hours,
            scheduled_hours,
            fte,
            cost: rate.map(|r| r.cost(scheduled_hours, answered)),
            intervals_without_answer: intervals.iter().filter(|i| levels(i).is_none()).count(),
        }
    };
    let simulated = cost(&|i| i.required.simulated, answered);
    let has_erlang_c = intervals.iter().any(|i| i.required.erlang_c.is_some());
    let has_patience = intervals.iter().any(|i| i.required.erlang_a.is_some());
    Totals {
        start: rfc3339(model, range.start),
        end: rfc3339(model, range.end),
        erlang_c: has_erlang_c.then(|| cost(&|i| i.required.erlang_c, answered)),
        erlang_a: has_patience.then(|| cost(&|i| i.required.erlang_a, answered)),
        simulated,
        answered,
        cost_per_answered: simulated.cost.filter(|_| answered > 0.0).map(|c| c / answered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `3 × load + 50` overflowed a u32 for loads a scenario may state
    /// (1e6 calls an hour of 1e7 seconds): the cap wrapped to 49.
    #[test]
    fn the_default_cap_saturates_instead_of_wrapping() {
        assert_eq!(default_cap(5.0), 65);
        assert_eq!(default_cap(0.0), 50);
        assert_eq!(default_cap(2.8e9), u32::MAX);
        assert_eq!(default_cap(f64::from(u32::MAX)), u32::MAX);
    }

    #[test]
    fn least_meeting_finds_the_boundary_from_either_side() {
        for boundary in [0u32, 1, 7, 40, 99] {
            for guess in [0u32, 5, 39, 41, 100] {
                let mut calls = 0;
                let found = least_meeting(guess, 0, 100, &mut |n| {
                    calls += 1;
                    n >= boundary
                });
                assert_eq!(found, Some(boundary), "guess {guess}");
                assert!(calls <= 16, "guess {guess} boundary {boundary}: {calls} levels tried");
            }
        }
        assert_eq!(least_meeting(10, 0, 50, &mut |n| n > 60), None);
        // A floor is never gone below, even when every level meets.
        assert_eq!(least_meeting(5, 1, 50, &mut |_| true), Some(1));
        assert_eq!(least_meeting(0, 1, 50, &mut |n| n >= 3), Some(3));
        assert_eq!(least_meeting(0, 2, 1, &mut |_| true), None);
    }

    #[test]
    fn the_confidence_criterion_is_never_weaker_than_the_mean() {
        let targets = Targets { service_level: Some(0.8), within_s: 20.0, ..Default::default() };
        let k = |sl: f64| {
            let mut v = KpiValues::default();
            v.set(Kpi::ServiceLevel, Some(sl));
            v
        };
        // Mean 0.82 meets; only 60% of replications reach 0.8.
        let samples = [k(0.9), k(0.9), k(0.9), k(0.7), k(0.71)];
        assert!(meets(&targets, &samples, None));
        assert!(!meets(&targets, &samples, Some(0.9)));
        assert!(meets(&targets, &samples, Some(0.6)));
    }
}
