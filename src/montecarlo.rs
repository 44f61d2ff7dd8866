//! Monte Carlo: replications in parallel, then their KPIs summarised per
//! interval, per day and for the horizon.
//!
//! Replication *i* draws only from streams derived from (seed, i), runs on
//! whichever thread rayon gives it, and is collected in index order; the
//! reduction is sequential. The same seed therefore gives the same bytes
//! whatever the thread count.

use std::ops::Range;

use rayon::prelude::*;
use serde::ser::SerializeMap;
use serde::Serialize;

use crate::channel::Channel;
use crate::engine;
use crate::kpi::{Kpi, KpiValues, Target, Targets};
use crate::model::Model;
use crate::stats::{queue_kpis, summarize, summarize_in, Counters, PeriodCounts, Summary};

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

/// KPIs of a period, each summarised across replications (in its
/// reported unit: hours for [`crate::kpi::Unit::Hours`]), in the
/// channel's report order; `None` where the KPI is undefined in every
/// replication. JSON: an object keyed by [`Kpi::key`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KpiSummaries(Vec<(Kpi, Option<Summary>)>);

impl KpiSummaries {
    /// The summary of `kpi`, if reported and defined.
    pub fn get(&self, kpi: Kpi) -> Option<Summary> {
        self.0.iter().find(|(k, _)| *k == kpi).and_then(|(_, s)| *s)
    }

    /// Every KPI reported, with its summary.
    pub fn iter(&self) -> impl Iterator<Item = (Kpi, Option<Summary>)> + '_ {
        self.0.iter().copied()
    }
}

impl Serialize for KpiSummaries {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (kpi, summary) in &self.0 {
            map.serialize_entry(kpi.key(), summary)?;
        }
        map.end()
    }
}

/// A target and the share of replications that met it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TargetShare {
    /// The target value (share, seconds or items).
    pub target: f64,
    /// Share of replications in which the period met it.
    pub met_share: f64,
}

/// The targets of a queue over a period, each with the share of
/// replications meeting it; a period where the KPI is undefined (nothing
/// offered) does not miss. JSON: an object keyed by [`Target::key`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetShares(Vec<(Target, f64)>);

impl TargetShares {
    /// The share of replications meeting the target on `kpi`, if set.
    pub fn get(&self, kpi: Kpi) -> Option<TargetShare> {
        self.0.iter().find(|(t, _)| t.kpi == kpi).map(|(t, met)| TargetShare { target: t.value, met_share: *met })
    }

    /// Every target with the share of replications meeting it.
    pub fn iter(&self) -> impl Iterator<Item = (Target, f64)> + '_ {
        self.0.iter().copied()
    }
}

impl Serialize for TargetShares {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (t, met) in &self.0 {
            map.serialize_entry(t.key, &TargetShare { target: t.value, met_share: *met })?;
        }
        map.end()
    }
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
    /// Deferred work whose arrivals' deadlines all lie past the horizon's
    /// end: its service level is pending, neither met nor missed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
}

/// One queue's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueResults {
    /// The queue.
    pub name: String,
    /// Its channel.
    pub channel: &'static str,
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
    let queues = (0..model.queues.len()).map(|q| queue_results(model, runs, q)).collect();
    let teams = (0..model.teams.len())
        .map(|t| TeamResults {
            name: model.teams[t].name.clone(),
            horizon: team_period(model, runs, t, 0..model.n_intervals),
            days: model.days.iter().map(|d| team_period(model, runs, t, d.interval_range())).collect(),
        })
        .collect();
    Results { replications: runs.len() as u32, seed: model.seed, queues, teams }
}

fn queue_results(model: &Model, runs: &[Counters], q: usize) -> QueueResults {
    let queue = &model.queues[q];
    let period = |intervals: Range<usize>, days: Option<Range<usize>>| {
        let decided_until = decided_until(model, q);
        let pending = intervals.start >= decided_until;
        let samples: Vec<KpiValues> = runs
            .iter()
            .map(|counters| {
                let p = PeriodCounts { counters, q, intervals: intervals.clone(), days: days.clone(), decided_until };
                queue_kpis(queue, model.service_level_rule, &p)
            })
            .collect();
        Period {
            start: rfc3339(model, intervals.start),
            end: rfc3339(model, intervals.end),
            kpis: summarize_kpis(queue.channel, &samples),
            targets: target_shares(&queue.targets, &samples),
            pending,
        }
    };
    QueueResults {
        name: queue.name.clone(),
        channel: queue.channel.name(),
        horizon: period(0..model.n_intervals, Some(0..model.days.len())),
        days: model.days.iter().enumerate().map(|(d, day)| period(day.interval_range(), Some(d..d + 1))).collect(),
        intervals: (0..model.n_intervals).map(|i| period(i..i + 1, None)).collect(),
    }
}

/// The first interval of queue `q` whose arrivals' deadlines (the interval's
/// end plus the target hours) lie past the horizon's end, so that their
/// service level is not known; every interval is decided for live queues.
pub fn decided_until(model: &Model, q: usize) -> usize {
    let queue = &model.queues[q];
    if queue.channel.is_live() {
        return usize::MAX;
    }
    let last = ((model.report_end_s() - queue.targets.within_s) / model.interval_s).floor();
    (last.max(0.0) as usize).min(model.n_intervals)
}

fn team_period(model: &Model, runs: &[Counters], t: usize, range: Range<usize>) -> TeamPeriod {
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

/// Summarises each KPI of `channel` over the replications where it is
/// defined.
pub fn summarize_kpis(channel: Channel, samples: &[KpiValues]) -> KpiSummaries {
    let summaries = Kpi::for_channel(channel)
        .iter()
        .map(|&kpi| {
            let mut values: Vec<f64> = samples.iter().filter_map(|v| v.get(kpi)).map(|x| kpi.reported(x)).collect();
            (kpi, summarize_in(&mut values, kpi.unit().range()))
        })
        .collect();
    KpiSummaries(summaries)
}

/// Share of replications meeting each target; an undefined KPI (nothing
/// offered, nobody staffed) does not miss its target.
pub fn target_shares(targets: &Targets, samples: &[KpiValues]) -> TargetShares {
    let n = samples.len().max(1) as f64;
    let shares = targets
        .list()
        .into_iter()
        .map(|t| {
            let met = samples.iter().filter(|v| v.get(t.kpi).is_none_or(|x| t.met_by(x))).count();
            (t, met as f64 / n)
        })
        .collect();
    TargetShares(shares)
}
