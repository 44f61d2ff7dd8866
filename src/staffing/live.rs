//! Staffing a live queue (voice, chat) interval by interval: Erlang C and
//! Erlang A side by side with the simulated requirement, found on
//! snapshots of every replication with common random numbers.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{
    dedicated, default_cap, infeasible_reason, least_meeting, meets, queue_staffing, Achieved, IntervalStaffing,
    Options, QueueStaffing, Required, Trial, FOLLOW_UP_S,
};
use crate::counters::{queue_kpis, PeriodCounts};
use crate::engine::Simulation;
use crate::erlang;
use crate::kpi::{KpiValues, Targets};
use crate::model::{Model, Queue};
use crate::results::{rfc3339, summarize_kpis, target_shares};

/// Staffs live queue `q` of `model`.
pub(super) fn staff(model: &Model, q: usize, options: &Options, on_interval: &(dyn Fn() + Sync)) -> QueueStaffing {
    let sub = dedicated(model, q);
    let queue = &sub.queues[0];
    let len = model.interval_s;

    // Analytic answers first: they are the search's starting points.
    let analytic: Vec<Analytic> =
        (0..model.n_intervals).map(|i| Analytic::of(queue, i as f64 * len, len, options)).collect();

    // One snapshot per replication, at the start of interval 0 after warm-up.
    let mut snapshots: Vec<Simulation> = (0..model.replications)
        .into_par_iter()
        .map(|r| {
            let mut s = Simulation::new(&sub, r);
            s.restrict_counters(0, 0);
            s.set_agents(0, analytic[0].guess());
            s.run_until(0.0);
            s
        })
        .collect();

    let mut intervals = Vec::with_capacity(model.n_intervals);
    for i in 0..model.n_intervals {
        let next_floor = analytic.get(i + 1).map_or(0, Analytic::guess);
        let staffed = staff_interval(&sub, &snapshots, i, &analytic[i], next_floor, options);
        // Advance every replication one interval at the level found.
        let chosen = staffed.achieved.agents;
        snapshots.par_iter_mut().for_each(|s| {
            s.set_agents(0, chosen);
            s.run_until((i + 1) as f64 * len);
        });
        intervals.push(staffed);
        on_interval();
    }
    queue_staffing(model, q, intervals, Vec::new())
}

/// The least agents meeting the targets in interval `i`, tried on clones of
/// `snapshots` (taken at the interval's start).
fn staff_interval(
    sub: &Model,
    snapshots: &[Simulation],
    i: usize,
    analytic: &Analytic,
    next_floor: u32,
    options: &Options,
) -> IntervalStaffing {
    let queue = &sub.queues[0];
    let mut trials: BTreeMap<u32, (bool, Vec<KpiValues>)> = BTreeMap::new();
    let mut judge = |agents: u32| -> bool {
        trials
            .entry(agents)
            .or_insert_with(|| {
                let samples = simulate_level(sub, snapshots, i, agents, next_floor);
                (meets(&queue.targets, &samples, options.confidence), samples)
            })
            .0
    };
    // Whenever anyone calls, or still waits from earlier intervals,
    // someone must be there to answer: with no agent every ASA or
    // occupancy target would hold vacuously, and callers would wait forever.
    let start = i as f64 * sub.interval_s;
    let eq = analytic.queue;
    let least = u32::from(eq.arrival_rate > 0.0 || snapshots.iter().any(|s| s.has_pending_before(0, start)));
    let found = least_meeting(analytic.guess(), least, analytic.cap, &mut judge);
    let chosen = found.unwrap_or(analytic.cap);
    judge(chosen);
    let achieved = achieved(queue, chosen, &trials[&chosen].1);
    let trials: Vec<Trial> = trials
        .into_iter()
        .map(|(agents, (met, samples))| Trial { agents, met, kpis: summarize_kpis(queue.channel, &samples) })
        .collect();
    IntervalStaffing {
        start: rfc3339(sub, i),
        end: rfc3339(sub, i + 1),
        rate_per_hour: eq.arrival_rate * 3600.0,
        load_erlangs: eq.load(),
        required: Required { erlang_c: analytic.erlang_c, erlang_a: analytic.erlang_a, simulated: found },
        feasible: found.is_some(),
        reason: found.is_none().then(|| infeasible_reason(&queue.targets, &achieved.kpis, chosen)),
        achieved,
        trials,
    }
}

/// What the chosen level achieved.
pub(super) fn achieved(queue: &Queue, agents: u32, samples: &[KpiValues]) -> Achieved {
    Achieved { agents, kpis: summarize_kpis(queue.channel, samples), targets: target_shares(&queue.targets, samples) }
}

/// Each replication's KPIs of interval `i` with `agents` agents, its
/// contacts followed to their outcome through later intervals staffed at
/// least as much (and at least at the next interval's analytic level).
fn simulate_level(sub: &Model, snapshots: &[Simulation], i: usize, agents: u32, next_floor: u32) -> Vec<KpiValues> {
    let len = sub.interval_s;
    let (t1, t2) = ((i + 1) as f64 * len, (i + 2) as f64 * len);
    snapshots
        .par_iter()
        .map(|snap| {
            let mut s = snap.clone();
            s.restrict_counters(i, 1);
            s.set_agents(0, agents);
            s.run_until(t1);
            s.set_agents(0, agents.max(next_floor));
            s.run_until(t2);
            let mut until = t2;
            while s.has_pending_before(0, t1) && until < t1 + FOLLOW_UP_S {
                until += len;
                s.run_until(until);
            }
            s.settle();
            let p = PeriodCounts {
                counters: s.counters(),
                q: 0,
                intervals: i..i + 1,
                days: None,
                decided_until: usize::MAX,
            };
            queue_kpis(&sub.queues[0], sub.service_level_rule, &p)
        })
        .collect()
}

/// One interval as the Erlang formulas see it. A chat agent counts as
/// `concurrency` servers, each chat taking the handle time stretched by
/// the slowdown at full concurrency.
#[derive(Clone, Copy)]
pub(super) struct Analytic {
    /// Mean rate and handle time per server over the interval, and the mean
    /// patience.
    pub(super) queue: erlang::Queue,
    /// Servers per agent.
    per_agent: u32,
    /// Most agents tried.
    pub(super) cap: u32,
    /// Erlang C's requirement, agents.
    pub(super) erlang_c: Option<u32>,
    /// Erlang A's requirement (with abandonment only), agents.
    pub(super) erlang_a: Option<u32>,
}

impl Analytic {
    pub(super) fn of(queue: &Queue, start_s: f64, len_s: f64, options: &Options) -> Self {
        let n = queue.concurrency.max(1);
        let stretch = 1.0 + queue.slowdown * (n as f64 - 1.0);
        let eq = erlang::Queue {
            arrival_rate: queue.mean_rate(start_s, start_s + len_s),
            mean_handle_s: queue.handle_time.mean_s() * stretch,
            mean_patience_s: queue.patience.map(|p| p.mean_s()),
        };
        let per_agent_load = eq.load() / n as f64;
        let cap = options.max_agents.unwrap_or_else(|| default_cap(per_agent_load));
        let least = |q: &erlang::Queue| least_agents(q, &queue.targets, cap, n);
        Analytic {
            queue: eq,
            per_agent: n,
            cap,
            erlang_c: least(&erlang::Queue { mean_patience_s: None, ..eq }),
            erlang_a: eq.mean_patience_s.and_then(|_| least(&eq)),
        }
    }

    /// Where the simulated search starts: Erlang A where it applies, else
    /// Erlang C, else the load.
    pub(super) fn guess(&self) -> u32 {
        let load = (self.queue.load() / self.per_agent as f64).ceil() as u32;
        self.erlang_a.or(self.erlang_c).unwrap_or(load).min(self.cap)
    }
}

/// The least agents, each worth `per_agent` servers, meeting `targets`
/// analytically, up to `cap` agents.
fn least_agents(queue: &erlang::Queue, targets: &Targets, cap: u32, per_agent: u32) -> Option<u32> {
    let servers = erlang::required_agents(queue, targets, cap.saturating_mul(per_agent))?.agents;
    Some(servers.div_ceil(per_agent))
}
