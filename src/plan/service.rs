//! The service each month gives at the heads it has, from the simulator.
//!
//! The requirement staffs every share-month's week (`requirement`); the
//! workforce Monte Carlo says how many agent-hours each team has on the
//! phones in each month (productive heads after ramp and shrinkage, and
//! overtime). A team's **cover** in a month is those agent-hours over the
//! agent-hours its shares require. Each share's week is then simulated
//! again with the requirement's agents per interval × the cover (rounded
//! interval by interval so that the week's agent-hours match), on the same
//! random numbers as its requirement, and what it counts (offered,
//! answered, abandoned, answered in time, waits, agent time) is scaled to
//! the month's contacts and pooled over the queue's shares, replication by
//! replication. Months whose week and cover (to 1%) agree share one
//! simulated week.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::requirement::{week_model, Requirement, WeekKey};
use super::{Figure, PlanError, Service, Span, COUNT};
use crate::counters::{service_level_base, Counters};
use crate::engine::Simulation;
use crate::kpi::{Kpi, KpiValues, Targets};
use crate::model::plan::Plan;
use crate::model::Model;
use crate::montecarlo::with_threads;
use crate::results::target_shares;
use crate::staffing::dedicated;
use crate::stats::{percentile, summarize_in};

/// Cover is rounded to 1 / this (1%) to find months sharing a week.
pub const COVER_GRID: u32 = 100;
/// Most cover simulated, in [`COVER_GRID`] units: 10 × the requirement.
const MAX_COVER: u32 = 10 * COVER_GRID;
/// Live contacts still waiting when the week ends are followed at most
/// this long, seconds (as the staffing search follows them).
const FOLLOW_UP_S: f64 = 86_400.0;

/// What a simulated week (or a month, scaled; or a span, pooled) counts
/// in one replication.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// Contacts that arrived.
    pub offered: f64,
    /// Live: answered. Deferred: finished, at most the arrivals.
    pub handled: f64,
    /// Live contacts that abandoned.
    pub abandoned: f64,
    /// Answered (live) or finished (deferred) in time.
    pub sl_hits: f64,
    /// The service level's denominator (the scenario's rule).
    pub sl_base: f64,
    /// Total wait of answered live contacts, seconds.
    pub wait_s: f64,
    /// Deferred items finished (backlog items included).
    pub finished: f64,
    /// Their total response time, seconds.
    pub response_s: f64,
    /// Agent time holding contacts, seconds.
    pub busy_s: f64,
    /// Agent time staffed, seconds.
    pub staffed_s: f64,
    /// Deferred: most items open at an interval boundary (a stock: the
    /// shares' peaks add up, a span keeps its highest month's).
    pub peak_backlog: f64,
}

impl Counts {
    /// Adds `o`'s flows × `w` and its stock.
    fn add_scaled(&mut self, o: &Counts, w: f64) {
        self.offered += w * o.offered;
        self.handled += w * o.handled;
        self.abandoned += w * o.abandoned;
        self.sl_hits += w * o.sl_hits;
        self.sl_base += w * o.sl_base;
        self.wait_s += w * o.wait_s;
        self.finished += w * o.finished;
        self.response_s += w * o.response_s;
        self.busy_s += w * o.busy_s;
        self.staffed_s += w * o.staffed_s;
        self.peak_backlog += o.peak_backlog;
    }

    /// Adds a later month: flows add up, the stock is the highest.
    fn add_month(&mut self, o: &Counts) {
        let peak = self.peak_backlog.max(o.peak_backlog);
        self.add_scaled(o, 1.0);
        self.peak_backlog = peak;
    }

    /// The KPIs these counts define (those the plan reports and judges).
    fn kpis(&self, live: bool) -> KpiValues {
        let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b);
        let mut v = KpiValues::default();
        v.set(Kpi::ServiceLevel, ratio(self.sl_hits, self.sl_base));
        v.set(Kpi::Occupancy, ratio(self.busy_s, self.staffed_s));
        if live {
            v.set(Kpi::Offered, Some(self.offered));
            v.set(Kpi::Answered, Some(self.handled));
            v.set(Kpi::Abandoned, Some(self.abandoned));
            v.set(Kpi::Asa, ratio(self.wait_s, self.handled));
            v.set(Kpi::AbandonRate, ratio(self.abandoned, self.offered));
        } else {
            v.set(Kpi::Arrived, Some(self.offered));
            v.set(Kpi::Handled, Some(self.handled));
            v.set(Kpi::ResponseTime, ratio(self.response_s, self.finished));
            v.set(Kpi::PeakBacklog, Some(self.peak_backlog));
        }
        v
    }
}

/// The weeks simulated at the agents each month has.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulated {
    /// `available[team][month]`: agent-hours on the phones (a partner's:
    /// those it requires).
    pub available: Vec<Vec<f64>>,
    /// `required[team][month]`: agent-hours required.
    pub required: Vec<Vec<f64>>,
    /// Per slice of the requirement: the week standing for it.
    slice_week: Vec<usize>,
    /// Per slice: the month's contacts per contact the week offers (its
    /// volume / the week's mean offered over the replications).
    weight: Vec<f64>,
    /// Per distinct week, per replication.
    weeks: Vec<Vec<Counts>>,
    /// Replications of each week.
    pub replications: u32,
}

/// Agents per interval: `levels` × `cover` / [`COVER_GRID`], rounded so
/// that the running total is the running total of the exact products
/// rounded (half up): the week's agent-intervals are the exact ones
/// rounded, and no interval is a whole agent off its exact share.
pub fn scaled(levels: &[u32], cover: u32) -> Vec<u32> {
    let grid = COVER_GRID as u64;
    let mut exact: u64 = 0;
    let mut given: u64 = 0;
    levels
        .iter()
        .map(|&l| {
            exact += l as u64 * cover as u64;
            let total = (exact + grid / 2) / grid;
            let now = total - given;
            given = total;
            now as u32
        })
        .collect()
}

/// Simulates every share-month's week at the agents its team has:
/// `available[team][month]` agent-hours on the phones (the workforce
/// Monte Carlo's mean; a partner has what it requires).
pub fn simulate(
    model: &Model,
    plan: &Plan,
    need: &Requirement,
    available: &[Vec<f64>],
    threads: Option<usize>,
) -> Result<Simulated, PlanError> {
    let required: Vec<Vec<f64>> = (0..plan.teams.len())
        .map(|t| {
            plan.months
                .iter()
                .enumerate()
                .map(|(m, month)| need.agent_hours_per_day[t][m] * month.days as f64)
                .collect()
        })
        .collect();
    let available: Vec<Vec<f64>> = plan
        .teams
        .iter()
        .enumerate()
        .map(|(t, team)| if team.partner { required[t].clone() } else { available[t].clone() })
        .collect();
    let on_grid = |t: usize, m: usize| match required[t][m] > 0.0 {
        true => ((available[t][m] / required[t][m] * COVER_GRID as f64).round().max(0.0) as u32).min(MAX_COVER),
        false => COVER_GRID,
    };
    let keys: Vec<(WeekKey, u32)> = need.slices.iter().map(|s| (s.week, on_grid(s.team, s.month))).collect();
    let distinct: Vec<(WeekKey, u32)> = keys.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    let replications = plan.requirement_replications;
    let weeks: Vec<Vec<Counts>> = with_threads(threads, || {
        distinct
            .par_iter()
            .map(|&(key, c)| {
                let week = week_model(model, key, replications)?;
                let sub = dedicated(&week, 0);
                let levels = scaled(&need.weeks[&key].levels, c);
                Ok((0..replications).into_par_iter().map(|r| run_week(&sub, &levels, r)).collect())
            })
            .collect::<Result<Vec<_>, PlanError>>()
    })??;
    let slice_week: Vec<usize> =
        keys.iter().map(|k| distinct.binary_search(k).expect("every key is simulated")).collect();
    let weight = need
        .slices
        .iter()
        .zip(&slice_week)
        .map(|(s, &w)| {
            let offered = sum(weeks[w].iter().map(|c| c.offered)) / replications as f64;
            if offered > 0.0 {
                s.volume / offered
            } else {
                0.0
            }
        })
        .collect();
    Ok(Simulated { available, required, slice_week, weight, weeks, replications })
}

/// Replication `r` of the week `sub` (one queue, one dedicated pool) with
/// `levels[i]` agents in interval `i`. The warm-up has the first
/// interval's agents; contacts still open at the week's end are followed
/// through the week's first intervals again (the month repeats its week),
/// a live contact until answered or abandoned (at most a day), a deferred
/// item until its deadline.
fn run_week(sub: &Model, levels: &[u32], r: u32) -> Counts {
    let n = levels.len();
    let len = sub.interval_s;
    let level = |i: usize| if n == 0 { 0 } else { levels[i % n] };
    let mut s = Simulation::new(sub, r);
    s.set_agents(0, level(0));
    s.run_until(0.0);
    for i in 0..n {
        s.set_agents(0, level(i));
        s.run_until((i + 1) as f64 * len);
    }
    let queue = &sub.queues[0];
    let end = n as f64 * len;
    let follow = if queue.channel.is_live() { FOLLOW_UP_S } else { queue.targets.within_s };
    let mut i = n;
    while s.has_pending_before(0, end) && (i as f64) * len < end + follow {
        s.set_agents(0, level(i));
        i += 1;
        s.run_until(i as f64 * len);
    }
    s.settle();
    counts(sub, s.counters(), n)
}

/// What replication's `c` counted over the week's `n` intervals.
fn counts(sub: &Model, c: &Counters, n: usize) -> Counts {
    let q = c.queue_sum(0, 0..n);
    let agents = c.team_sum(&[0], 0..n);
    let offered = q.offered as f64;
    let base = Counts { offered, busy_s: agents.busy_s, staffed_s: agents.staffed_s, ..Counts::default() };
    if sub.queues[0].channel.is_live() {
        Counts {
            handled: q.answered as f64,
            abandoned: q.abandoned as f64,
            sl_hits: q.answered_within as f64,
            sl_base: service_level_base(&q, sub.service_level_rule),
            wait_s: q.wait_answered_s,
            ..base
        }
    } else {
        let flow = c.flow_sum(0, 0..n);
        let peak = c.backlog_cells(0).iter().take(n + 1).map(|b| b.open).max().unwrap_or(0);
        Counts {
            handled: (flow.handled as f64).min(offered),
            sl_hits: q.responded_within as f64,
            sl_base: offered,
            finished: flow.handled as f64,
            response_s: flow.response_s,
            peak_backlog: peak as f64,
            ..base
        }
    }
}

/// Adds up `parts` in order (from +0).
fn sum(parts: impl IntoIterator<Item = f64>) -> f64 {
    parts.into_iter().fold(0.0, |a, b| a + b)
}

/// Samples summarised: mean, Student-t interval (clamped to `range`),
/// P10, P50 and P90.
fn figure_of(mut samples: Vec<f64>, range: (f64, f64)) -> Option<Figure> {
    let s = summarize_in(&mut samples, range)?;
    Some(Figure { mean: s.mean, ci95: s.ci95, p10: s.p10, p50: percentile(&samples, 0.5), p90: s.p90 })
}

impl Simulated {
    /// Distinct weeks simulated.
    pub fn weeks_simulated(&self) -> usize {
        self.weeks.len()
    }

    /// Team `t`'s cover over `months`: agent-hours on the phones / those
    /// required (`None` where none are).
    pub fn cover(&self, t: usize, months: std::ops::Range<usize>) -> Option<f64> {
        let required = sum(months.clone().map(|m| self.required[t][m]));
        (required > 0.0).then(|| sum(months.map(|m| self.available[t][m])) / required)
    }

    /// Contacts team `t` handled in month `m` (the mean over replications).
    pub fn team_handled(&self, need: &Requirement, t: usize, m: usize) -> f64 {
        let n = self.replications as f64;
        sum(need
            .slices
            .iter()
            .enumerate()
            .filter(|(_, s)| s.team == t && s.month == m)
            .map(|(k, _)| self.weight[k] * sum(self.weeks[self.slice_week[k]].iter().map(|c| c.handled)) / n))
    }

    /// Contacts team `t` handled in month `m` in replication `r` of its
    /// simulated weeks: what a per-contact price is paid on, so that its
    /// cost varies as the simulation does.
    pub fn team_handled_in(&self, need: &Requirement, t: usize, m: usize, r: usize) -> f64 {
        sum(need
            .slices
            .iter()
            .enumerate()
            .filter(|(_, s)| s.team == t && s.month == m)
            .map(|(k, _)| self.weight[k] * self.weeks[self.slice_week[k]][r].handled))
    }

    /// Plan queue `pq`'s counts over `months`, per replication: each
    /// share's week scaled to its month, the shares added up, the months
    /// added up.
    fn pooled(&self, need: &Requirement, pq: usize, months: std::ops::Range<usize>) -> Vec<Counts> {
        (0..self.replications as usize)
            .map(|r| {
                let mut span = Counts::default();
                for m in months.clone() {
                    let mut month = Counts::default();
                    for (k, _) in need.slices.iter().enumerate().filter(|(_, s)| s.queue == pq && s.month == m) {
                        month.add_scaled(&self.weeks[self.slice_week[k]][r], self.weight[k]);
                    }
                    span.add_month(&month);
                }
                span
            })
            .collect()
    }

    /// Plan queue `pq`'s service per span (`None` where it offers
    /// nothing): a month's figures from its replications; a roll-up's
    /// contacts are its months' sums, its ratios its months' means
    /// weighted (service level and abandon rate by contacts offered, ASA
    /// and response time by contacts handled, occupancy by agent-hours),
    /// its intervals, percentiles and P(meet) those of its replications
    /// pooled. `volume[s]` is the queue's volume over span `s`.
    pub fn queue_rows(
        &self,
        model: &Model,
        plan: &Plan,
        need: &Requirement,
        pq: usize,
        spans: &[Span],
        volume: &[f64],
    ) -> Vec<Option<Service>> {
        let queue = &model.queues[plan.queues[pq].queue];
        let live = queue.channel.is_live();
        let mut rows: Vec<Option<Service>> = Vec::with_capacity(spans.len());
        for (s, span) in spans.iter().enumerate() {
            if volume[s] <= 0.0 {
                rows.push(None);
                continue;
            }
            let samples = self.pooled(need, pq, span.months.clone());
            let mut row = service_of(&samples, live, &queue.targets);
            if span.kind != "month" {
                let months: Vec<(&Service, f64)> =
                    span.months.clone().filter_map(|m| rows[m].as_ref().map(|r| (r, volume[m]))).collect();
                rolled_up(&mut row, &months);
            }
            rows.push(Some(row));
        }
        rows
    }
}

/// A span's service from its replications' pooled counts.
fn service_of(samples: &[Counts], live: bool, targets: &Targets) -> Service {
    let values: Vec<KpiValues> = samples.iter().map(|c| c.kpis(live)).collect();
    let of = |kpi: Kpi| figure_of(values.iter().filter_map(|v| v.get(kpi)).collect(), kpi.unit().range());
    let count = |f: fn(&Counts) -> f64| {
        figure_of(samples.iter().map(f).collect(), (0.0, f64::INFINITY)).map(|x| x.rounded(COUNT))
    };
    Service {
        handled: count(|c| c.handled).unwrap_or(Figure::fixed(0.0)),
        abandoned: if live { count(|c| c.abandoned) } else { None },
        service_level: of(Kpi::ServiceLevel),
        asa_s: of(Kpi::Asa),
        abandon_rate: of(Kpi::AbandonRate),
        occupancy: of(Kpi::Occupancy),
        response_time_s: of(Kpi::ResponseTime),
        peak_backlog: of(Kpi::PeakBacklog),
        agent_hours: count(|c| c.staffed_s / 3600.0).unwrap_or(Figure::fixed(0.0)),
        targets: target_shares(targets, &values),
    }
}

/// Means of a roll-up from its months (`(service, volume)`): sums of
/// contacts and agent-hours, weighted means of ratios, the highest peak.
fn rolled_up(row: &mut Service, months: &[(&Service, f64)]) {
    let tenths = |f: &dyn Fn(&Service) -> f64| {
        months.iter().map(|(s, _)| (f(s) * COUNT).round() as i64).sum::<i64>() as f64 / COUNT
    };
    row.handled.mean = tenths(&|s| s.handled.mean);
    if let Some(a) = row.abandoned.as_mut() {
        a.mean = tenths(&|s| s.abandoned.map_or(0.0, |x| x.mean));
    }
    row.agent_hours.mean = tenths(&|s| s.agent_hours.mean);
    let weighted = |pick: fn(&Service) -> Option<Figure>, weight: &dyn Fn(&Service, f64) -> f64| {
        let defined: Vec<(f64, f64)> =
            months.iter().filter_map(|(s, v)| pick(s).map(|f| (f.mean, weight(s, *v)))).collect();
        let total = sum(defined.iter().map(|d| d.1));
        (total > 0.0).then(|| sum(defined.iter().map(|(x, w)| x * w)) / total)
    };
    let set = |f: &mut Option<Figure>, mean: Option<f64>| {
        if let (Some(f), Some(mean)) = (f.as_mut(), mean) {
            f.mean = mean;
        }
    };
    set(&mut row.service_level, weighted(|s| s.service_level, &|_, v| v));
    set(&mut row.abandon_rate, weighted(|s| s.abandon_rate, &|_, v| v));
    set(&mut row.asa_s, weighted(|s| s.asa_s, &|s, _| s.handled.mean));
    set(&mut row.response_time_s, weighted(|s| s.response_time_s, &|s, _| s.handled.mean));
    set(&mut row.occupancy, weighted(|s| s.occupancy, &|s, _| s.agent_hours.mean));
    let peak = months
        .iter()
        .filter_map(|(s, _)| s.peak_backlog.map(|p| p.mean))
        .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))));
    set(&mut row.peak_backlog, peak);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_levels_keep_the_weeks_agent_intervals_and_the_shape() {
        assert_eq!(scaled(&[10, 20, 30], COVER_GRID), vec![10, 20, 30]);
        assert_eq!(scaled(&[10, 20, 30], 50), vec![5, 10, 15]);
        // 0.75 × [1, 1, 1, 1] = 3 agent-intervals, none more than one off.
        assert_eq!(scaled(&[1, 1, 1, 1], 75), vec![1, 1, 0, 1]);
        let levels = [3, 7, 12, 12, 9, 4, 0, 0, 5];
        for cover in [0, 1, 33, 67, 99, 100, 101, 150, 1000] {
            let out = scaled(&levels, cover);
            let exact: u64 = levels.iter().map(|&l| l as u64 * cover as u64).sum();
            assert_eq!(out.iter().map(|&a| a as u64).sum::<u64>(), (exact + 50) / 100, "cover {cover}");
            for (a, l) in out.iter().zip(levels) {
                let x = l as f64 * cover as f64 / 100.0;
                assert!((*a as f64 - x).abs() < 1.0, "cover {cover}: {a} for {x}");
            }
        }
    }
}
