//! Monte Carlo: replications in parallel, then their KPIs summarised per
//! interval, per day and for the horizon.
//!
//! Replication *i* draws only from streams derived from (seed, i), runs on
//! whichever thread rayon gives it, and is collected in index order; the
//! reduction is sequential. The same seed therefore gives the same bytes
//! whatever the thread count.

use rayon::prelude::*;
use serde::Serialize;

use crate::engine;
use crate::erlang::Targets;
use crate::model::Model;
use crate::stats::{summarize, Counters, Kpis, Summary};

/// A thread pool could not be built.
#[derive(Debug, thiserror::Error)]
#[error("could not start {threads} worker threads: {source}")]
pub struct ThreadsError {
    threads: usize,
    #[source]
    source: rayon::ThreadPoolBuildError,
}

/// Runs every replication of `model` on `threads` threads (all cores when
/// `None`), calling `on_done` after each, and returns their counters in
/// replication order.
pub fn replicate(
    model: &Model,
    threads: Option<usize>,
    on_done: &(dyn Fn() + Sync),
) -> Result<Vec<Counters>, ThreadsError> {
    with_threads(threads, || {
        (0..model.replications)
            .into_par_iter()
            .map(|r| {
                let counters = engine::simulate(model, r);
                on_done();
                counters
            })
            .collect()
    })
}

/// Runs `work` with rayon on `threads` threads, or on rayon's global pool
/// (all cores) when `None`.
pub fn with_threads<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> Result<T, ThreadsError> {
    match threads {
        None => Ok(work()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|source| ThreadsError { threads: n, source })?;
            Ok(pool.install(work))
        }
    }
}

/// KPIs of a period, each summarised across replications; `None` where the
/// KPI is undefined in every replication.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiSummaries {
    /// Contacts that arrived.
    pub offered: Option<Summary>,
    /// Contacts answered.
    pub answered: Option<Summary>,
    /// Contacts abandoned.
    pub abandoned: Option<Summary>,
    /// Service level by the scenario's rule (share).
    pub service_level: Option<Summary>,
    /// Mean wait of answered contacts, seconds.
    pub asa_s: Option<Summary>,
    /// Abandoned / offered.
    pub abandon_rate: Option<Summary>,
    /// Busy / staffed time of the serving teams.
    pub occupancy: Option<Summary>,
    /// Mean handle time of answered contacts, seconds.
    pub aht_s: Option<Summary>,
}

/// A target and the share of replications that met it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TargetShare {
    /// The target value (share or seconds).
    pub target: f64,
    /// Share of replications in which the period met it.
    pub met_share: f64,
}

/// The targets of a queue over a period; a period with nothing offered
/// meets every contact target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct TargetShares {
    /// Service level ≥ target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_level: Option<TargetShare>,
    /// ASA ≤ target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_asa_s: Option<TargetShare>,
    /// Abandonment rate ≤ target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_abandon: Option<TargetShare>,
    /// Occupancy ≤ target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_occupancy: Option<TargetShare>,
}

/// One reported period (an interval, a day or the horizon) of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// Start, RFC 3339 in the reporting zone.
    pub start: String,
    /// End (exclusive), RFC 3339 in the reporting zone.
    pub end: String,
    /// The KPIs.
    #[serde(flatten)]
    pub kpis: KpiSummaries,
    /// The targets met.
    pub targets: TargetShares,
}

/// One queue's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueResults {
    /// The queue.
    pub name: String,
    /// The whole reported span.
    pub horizon: Period,
    /// Each reported day.
    pub days: Vec<Period>,
    /// Each reported interval.
    pub intervals: Vec<Period>,
}

/// One team over one period: its roster's paid hours and cost, and how the
/// agents' time was used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamPeriod {
    /// Start, RFC 3339 in the reporting zone.
    pub start: String,
    /// End (exclusive), RFC 3339.
    pub end: String,
    /// Hours of the shifts worked in the period (breaks included), agents ×
    /// hours; the same in every replication.
    pub paid_hours: f64,
    /// Paid hours × the team's cost per hour (or `[staffing].cost_per_hour`).
    pub cost: Option<f64>,
    /// Agent-hours logged in and not on a break (with time spent finishing
    /// a contact after a shift ended).
    pub staffed_hours: Option<Summary>,
    /// Agent-hours handling contacts.
    pub busy_hours: Option<Summary>,
    /// Busy / staffed.
    pub occupancy: Option<Summary>,
}

/// One team's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamResults {
    /// The team.
    pub name: String,
    /// The whole reported span.
    pub horizon: TeamPeriod,
    /// Each reported day.
    pub days: Vec<TeamPeriod>,
}

/// Every queue's and team's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// Replications summarised.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// One entry per queue, in scenario order.
    pub queues: Vec<QueueResults>,
    /// One entry per team, in scenario order.
    pub teams: Vec<TeamResults>,
}

/// Summarises the counters of every replication.
pub fn summarize_runs(model: &Model, runs: &[Counters]) -> Results {
    let queues = model
        .queues
        .iter()
        .enumerate()
        .map(|(q, queue)| {
            let period = |range: std::ops::Range<usize>| {
                let samples: Vec<Kpis> = runs
                    .iter()
                    .map(|c| {
                        Kpis::from_counts(
                            &c.queue_sum(q, range.clone()),
                            &c.team_sum(&queue.served_by, range.clone()),
                            model.service_level_rule,
                        )
                    })
                    .collect();
                Period {
                    start: rfc3339(model, range.start),
                    end: rfc3339(model, range.end),
                    kpis: summarize_kpis(&samples),
                    targets: target_shares(&queue.targets, &samples),
                }
            };
            QueueResults {
                name: queue.name.clone(),
                horizon: period(0..model.n_intervals),
                days: model.days.iter().map(|d| period(d.interval_range())).collect(),
                intervals: (0..model.n_intervals).map(|i| period(i..i + 1)).collect(),
            }
        })
        .collect();
    let teams = (0..model.teams.len())
        .map(|t| TeamResults {
            name: model.teams[t].name.clone(),
            horizon: team_period(model, runs, t, 0..model.n_intervals),
            days: model.days.iter().map(|d| team_period(model, runs, t, d.interval_range())).collect(),
        })
        .collect();
    Results { replications: runs.len() as u32, seed: model.seed, queues, teams }
}

fn team_period(model: &Model, runs: &[Counters], t: usize, range: std::ops::Range<usize>) -> TeamPeriod {
    let (from, to) = (range.start as f64 * model.interval_s, range.end as f64 * model.interval_s);
    let paid_hours = model.paid_seconds(t, from, to) / 3600.0;
    let cost_per_hour = model.teams[t].cost_per_hour.or(model.staffing.cost_per_hour);
    let cells: Vec<_> = runs.iter().map(|c| c.team_sum(&[t], range.clone())).collect();
    let mut staffed: Vec<f64> = cells.iter().map(|c| c.staffed_s / 3600.0).collect();
    let mut busy: Vec<f64> = cells.iter().map(|c| c.busy_s / 3600.0).collect();
    let mut occupancy: Vec<f64> = cells.iter().filter(|c| c.staffed_s > 0.0).map(|c| c.busy_s / c.staffed_s).collect();
    TeamPeriod {
        start: rfc3339(model, range.start),
        end: rfc3339(model, range.end),
        paid_hours,
        cost: cost_per_hour.map(|c| c * paid_hours),
        staffed_hours: summarize(&mut staffed),
        busy_hours: summarize(&mut busy),
        occupancy: summarize(&mut occupancy),
    }
}

/// Start of interval `interval`, RFC 3339 with the reporting zone's offset.
pub(crate) fn rfc3339(model: &Model, interval: usize) -> String {
    let start = model.interval_start(interval);
    start.timestamp().display_with_offset(start.offset()).to_string()
}

/// Summarises each KPI over the replications where it is defined.
pub fn summarize_kpis(samples: &[Kpis]) -> KpiSummaries {
    let of = |f: fn(&Kpis) -> Option<f64>| {
        let mut values: Vec<f64> = samples.iter().filter_map(f).collect();
        summarize(&mut values)
    };
    KpiSummaries {
        offered: of(|k| Some(k.offered)),
        answered: of(|k| Some(k.answered)),
        abandoned: of(|k| Some(k.abandoned)),
        service_level: of(|k| k.service_level),
        asa_s: of(|k| k.asa_s),
        abandon_rate: of(|k| k.abandon_rate),
        occupancy: of(|k| k.occupancy),
        aht_s: of(|k| k.aht_s),
    }
}

/// Share of replications meeting each target; an undefined KPI (nothing
/// offered, nobody staffed) does not miss its target.
pub fn target_shares(targets: &Targets, samples: &[Kpis]) -> TargetShares {
    let n = samples.len().max(1) as f64;
    let share = |target: Option<f64>, met: &dyn Fn(&Kpis, f64) -> bool| {
        target.map(|t| TargetShare { target: t, met_share: samples.iter().filter(|k| met(k, t)).count() as f64 / n })
    };
    TargetShares {
        service_level: share(targets.service_level, &|k, t| k.service_level.is_none_or(|v| v >= t)),
        max_asa_s: share(targets.max_asa_s, &|k, t| k.asa_s.is_none_or(|v| v <= t)),
        max_abandon: share(targets.max_abandon, &|k, t| k.abandon_rate.is_none_or(|v| v <= t)),
        max_occupancy: share(targets.max_occupancy, &|k, t| k.occupancy.is_none_or(|v| v <= t)),
    }
}
