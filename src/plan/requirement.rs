//! The requirement of each team, month by month, from the simulator.
//!
//! Every share of a queue a team takes is its own line of work (the
//! volume routed to it). For each month, that share is the scenario's
//! week with the queue's arrival rates × the month's volume factor and its
//! handle times × the month's AHT factor, staffed by the simulated
//! staffing search (`staffing::staff`: the least agents per interval
//! meeting every target, on a dedicated pool). Months whose factors agree
//! to 0.1% share one search.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{Plan, PlanError};
use crate::model::Model;
use crate::montecarlo::with_threads;
use crate::staffing;

/// Factors are rounded to this (1/1000) to find months sharing a search.
const GRID: f64 = 1000.0;

/// What one share of one month requires and achieves.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Need {
    /// Agent-hours on the work per day (the week's / its days).
    pub agent_hours_per_day: f64,
    /// Answered / offered in the simulated week (1 for deferred work).
    pub answered_share: f64,
}

/// Each team's requirement per month.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// `agent_hours_per_day[team][month]`: agent-hours on the phones per day.
    pub agent_hours_per_day: Vec<Vec<f64>>,
    /// `handled[team][month]`: contacts the team answers.
    pub handled: Vec<Vec<f64>>,
    /// `handled_by_queue[plan queue][month]`.
    pub handled_by_queue: Vec<Vec<f64>>,
    /// Shares × months with volume.
    pub slices: usize,
    /// Distinct weeks staffed.
    pub weeks_simulated: usize,
}

/// A week to staff: (scenario queue, scenario team, volume factor, AHT
/// factor), factors in thousandths.
type Key = (usize, usize, i64, i64);

/// Contacts queue `q` expects over the scenario's reported span.
pub fn week_volume(model: &Model, q: usize) -> f64 {
    let end = model.report_end_s();
    model.queues[q]
        .arrivals
        .iter()
        .map(|s| (s.end_s.min(end) - s.start_s.max(0.0)).max(0.0) * s.rate_per_s)
        .fold(0.0, |a, b| a + b)
}

/// The requirement of every team and month of `plan`.
pub fn find(model: &Model, plan: &Plan, threads: Option<usize>) -> Result<Requirement, PlanError> {
    let days = model.days.len() as f64;
    let n = plan.months.len();
    // Every (share, month) with volume, and its key.
    let mut wanted: Vec<(usize, usize, usize, Key)> = Vec::new();
    for (pq, queue) in plan.queues.iter().enumerate() {
        let week = week_volume(model, queue.queue);
        for &(t, share) in &queue.shares {
            for (m, month) in plan.months.iter().enumerate() {
                let volume = queue.volume[m] * share;
                if volume <= 0.0 || week <= 0.0 {
                    continue;
                }
                let v = volume / (week * month.days as f64 / days);
                let key = (
                    queue.queue,
                    plan.teams[t].model_team,
                    (v * GRID).round() as i64,
                    (queue.aht_factor[m] * GRID).round() as i64,
                );
                wanted.push((pq, t, m, key));
            }
        }
    }
    let keys: Vec<Key> = wanted.iter().map(|w| w.3).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let needs: Vec<Need> = with_threads(threads, || {
        keys.par_iter().map(|&k| staff_week(model, plan, k)).collect::<Result<Vec<_>, PlanError>>()
    })??;
    let found: BTreeMap<Key, Need> = keys.iter().copied().zip(needs).collect();
    let mut r = Requirement {
        agent_hours_per_day: vec![vec![0.0; n]; plan.teams.len()],
        handled: vec![vec![0.0; n]; plan.teams.len()],
        handled_by_queue: vec![vec![0.0; n]; plan.queues.len()],
        slices: wanted.len(),
        weeks_simulated: keys.len(),
    };
    for &(pq, t, m, key) in &wanted {
        let need = found[&key];
        let share = plan.queues[pq].shares.iter().find(|s| s.0 == t).map_or(0.0, |s| s.1);
        let handled = plan.queues[pq].volume[m] * share * need.answered_share;
        r.agent_hours_per_day[t][m] += need.agent_hours_per_day;
        r.handled[t][m] += handled;
        r.handled_by_queue[pq][m] += handled;
    }
    Ok(r)
}

/// Staffs one week: the scenario's week of one queue, scaled, on a pool
/// dedicated to it (the scenario's team keeps its shifts, which set a
/// deferred queue's business hours).
fn staff_week(model: &Model, plan: &Plan, (q, t, v, a): Key) -> Result<Need, PlanError> {
    let mut queue = model.queues[q].clone();
    queue.served_by = vec![t];
    let week = Model { queues: vec![queue], replications: plan.requirement_replications, ..model.clone() };
    let (v, a) = (v as f64 / GRID, a as f64 / GRID);
    let name = &model.queues[q].name;
    let week =
        week.with_volume_scale(v).map_err(|error| PlanError::Scale { queue: name.clone(), what: "volume", error })?;
    let week =
        week.with_aht_scale(a).map_err(|error| PlanError::Scale { queue: name.clone(), what: "AHT trend", error })?;
    // Already inside the pool of `find`.
    let options = staffing::Options { confidence: None, max_agents: None, threads: None };
    let staffed = staffing::staff(&week, &options)?;
    let totals = &staffed.queues[0].totals;
    let expected = week_volume(&week, 0);
    let answered_share = match model.queues[q].channel.is_live() {
        true if expected > 0.0 => (totals.answered / expected).min(1.0),
        _ => 1.0,
    };
    Ok(Need { agent_hours_per_day: totals.simulated.agent_hours / model.days.len() as f64, answered_share })
}
