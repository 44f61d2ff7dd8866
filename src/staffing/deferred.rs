//! Staffing deferred work (email, case) day by day: the least agents who,
//! working the day's business hours (the intervals in which a team serving
//! the queue is rostered), answer the day's arrivals within the target
//! hours and keep the backlog under its cap. Each level is simulated on
//! snapshots of every replication at the day's start (common random
//! numbers), the backlog carried over from earlier days at their levels;
//! the day's arrivals are followed to their deadline, later intervals
//! staffed at the same level in their business hours (and throughout past
//! the horizon's end).

use rayon::prelude::*;

use super::live::achieved;
use super::{
    dedicated, default_cap, infeasible_reason, least_meeting, meets, queue_staffing, DeferredDay, IntervalStaffing,
};
use super::{Achieved, Options, QueueStaffing, Required};
use crate::counters::{queue_kpis, PeriodCounts};
use crate::engine::Simulation;
use crate::kpi::KpiValues;
use crate::model::{Day, Model};
use crate::results::{rfc3339, KpiSummaries, TargetShares};

/// Staffs deferred queue `q` of `model`.
pub(super) fn staff(model: &Model, q: usize, options: &Options, on_interval: &(dyn Fn() + Sync)) -> QueueStaffing {
    let sub = dedicated(model, q);
    let business = business_intervals(model, q);
    let first_guess = model.days.first().map_or(0, |d| guess(&sub, d, &business));
    let mut snapshots: Vec<Simulation> = (0..model.replications)
        .into_par_iter()
        .map(|r| {
            let mut s = Simulation::new(&sub, r);
            s.restrict_counters(0, 0);
            s.set_agents(0, first_guess);
            s.run_until(0.0);
            s
        })
        .collect();
    let mut days = Vec::with_capacity(model.days.len());
    let mut intervals = Vec::with_capacity(model.n_intervals);
    for day in &model.days {
        let staffed = staff_day(&sub, &snapshots, day, &business, options);
        let level = |i: usize| if business[i] { staffed.achieved.agents } else { 0 };
        snapshots.par_iter_mut().for_each(|s| run_levels(s, day.interval_range(), &level, sub.interval_s));
        for i in day.interval_range() {
            intervals.push(interval_row(&sub, i, staffed.feasible.then(|| level(i))));
            on_interval();
        }
        days.push(staffed);
    }
    queue_staffing(model, q, intervals, days)
}

/// The least agents through day `day`'s business hours that meet the
/// targets for the day's arrivals.
fn staff_day(sub: &Model, snapshots: &[Simulation], day: &Day, business: &[bool], options: &Options) -> DeferredDay {
    let queue = &sub.queues[0];
    let range = day.interval_range();
    let hours = range.clone().filter(|&i| business[i]).count() as f64 * sub.interval_s / 3600.0;
    let (start_s, end_s) = (range.start as f64 * sub.interval_s, range.end as f64 * sub.interval_s);
    let expected = queue.mean_rate(start_s, end_s) * (end_s - start_s);
    let mut tried: std::collections::BTreeMap<u32, (bool, Vec<KpiValues>)> = Default::default();
    let mut judge = |agents: u32| {
        tried
            .entry(agents)
            .or_insert_with(|| {
                let samples = simulate_day(sub, snapshots, day, business, agents);
                (meets(&queue.targets, &samples, options.confidence), samples)
            })
            .0
    };
    let work_waits = expected > 0.0 || snapshots.iter().any(|s| s.has_pending_before(0, start_s));
    let least = u32::from(hours > 0.0 && work_waits);
    let guess = guess(sub, day, business).max(least);
    let cap = if hours > 0.0 { options.max_agents.unwrap_or_else(|| default_cap(guess as f64)) } else { 0 };
    let found = least_meeting(guess, least, cap, &mut judge);
    let chosen = found.unwrap_or(cap);
    judge(chosen);
    let achieved = achieved(queue, chosen, &tried[&chosen].1);
    DeferredDay {
        start: rfc3339(sub, range.start),
        end: rfc3339(sub, range.end),
        business_hours: hours,
        expected_arrivals: expected,
        feasible: found.is_some(),
        reason: found.is_none().then(|| infeasible_reason(&queue.targets, &achieved.kpis, chosen)),
        achieved,
    }
}

/// Each replication's KPIs of day `day` with `agents` agents in business
/// hours, the day's arrivals followed to their deadline.
fn simulate_day(sub: &Model, snapshots: &[Simulation], day: &Day, business: &[bool], agents: u32) -> Vec<KpiValues> {
    let range = day.interval_range();
    let len = sub.interval_s;
    let deadline = range.end as f64 * len + sub.queues[0].targets.within_s;
    let follow_up = range.end..(deadline / len).ceil() as usize;
    let level = |i: usize| if business.get(i).copied().unwrap_or(true) { agents } else { 0 };
    snapshots
        .par_iter()
        .map(|snap| {
            let mut s = snap.clone();
            s.restrict_counters(range.start, range.len());
            run_levels(&mut s, range.start..follow_up.end.max(range.end), &level, len);
            s.settle();
            let p = PeriodCounts {
                counters: s.counters(),
                q: 0,
                intervals: range.clone(),
                days: None,
                decided_until: usize::MAX,
            };
            queue_kpis(&sub.queues[0], sub.service_level_rule, &p)
        })
        .collect()
}

/// Runs `s` through intervals `range`, with `level(i)` agents in interval `i`.
fn run_levels(s: &mut Simulation, range: std::ops::Range<usize>, level: &dyn Fn(usize) -> u32, len: f64) {
    for i in range {
        s.set_agents(0, level(i));
        s.run_until((i + 1) as f64 * len);
    }
}

/// Where the search starts: the day's expected work (arrivals × mean
/// handle time) spread over its business hours.
fn guess(sub: &Model, day: &Day, business: &[bool]) -> u32 {
    let queue = &sub.queues[0];
    let range = day.interval_range();
    let open_s = range.clone().filter(|&i| business[i]).count() as f64 * sub.interval_s;
    if open_s == 0.0 {
        return 0;
    }
    let (start_s, end_s) = (range.start as f64 * sub.interval_s, range.end as f64 * sub.interval_s);
    let work_s = queue.mean_rate(start_s, end_s) * (end_s - start_s) * queue.handle_time.mean_s();
    (work_s / open_s).ceil() as u32
}

/// Per reported interval, whether a team serving queue `q` works in it: a
/// fixed shift, or a start its shift rules allow ([`Model::can_work`]; a
/// team that is only rostered has no fixed shift). Every interval when no
/// team serves it.
fn business_intervals(model: &Model, q: usize) -> Vec<bool> {
    let served_by = &model.queues[q].served_by;
    if served_by.is_empty() {
        return vec![true; model.n_intervals];
    }
    let mut open = vec![false; model.n_intervals];
    for &t in served_by {
        open.iter_mut().zip(model.can_work(t)).for_each(|(o, w)| *o |= w);
    }
    open
}

/// The per-interval row of a deferred queue: its arrival rate and the
/// agents of its day in business hours (`None` on an infeasible day).
fn interval_row(sub: &Model, i: usize, agents: Option<u32>) -> IntervalStaffing {
    let queue = &sub.queues[0];
    let (start_s, len) = (i as f64 * sub.interval_s, sub.interval_s);
    let rate = queue.mean_rate(start_s, start_s + len);
    IntervalStaffing {
        start: rfc3339(sub, i),
        end: rfc3339(sub, i + 1),
        rate_per_hour: rate * 3600.0,
        load_erlangs: rate * queue.handle_time.mean_s(),
        required: Required { erlang_c: None, erlang_a: None, simulated: agents },
        feasible: agents.is_some(),
        reason: None,
        achieved: Achieved {
            agents: agents.unwrap_or(0),
            kpis: KpiSummaries::default(),
            targets: TargetShares::default(),
        },
        trials: Vec::new(),
    }
}
