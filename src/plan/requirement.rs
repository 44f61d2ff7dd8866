//! The requirement of each team, month by month, from the simulator.
//!
//! Every share of a queue a team takes is its own line of work (the
//! volume routed to it). For each month, that share is the scenario's
//! week with the queue's arrival rates × the month's volume factor and its
//! handle times × the month's AHT factor, staffed by the simulated
//! staffing search (`staffing::staff`: the least agents per interval
//! meeting every target, on a dedicated pool). Months whose factors agree
//! to 0.1% share one search. The agents the search chose, interval by
//! interval, are the requirement's profile: `service` scales it to the
//! agents a month has.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{Plan, PlanError};
use crate::model::Model;
use crate::montecarlo::with_threads;
use crate::staffing;

/// Factors are rounded to this (1/1000) to find months sharing a search.
const GRID: f64 = 1000.0;

/// A week to staff: the scenario's queue and team, and the volume and AHT
/// factors in thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WeekKey {
    /// The scenario's queue.
    pub queue: usize,
    /// The scenario's team.
    pub team: usize,
    /// Arrival rates × this / 1000.
    pub volume: i64,
    /// Handle times × this / 1000.
    pub aht: i64,
}

/// What one staffed week requires.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Need {
    /// Agent-hours on the work per day (the week's / its days), over the
    /// intervals where the search met the targets.
    pub agent_hours_per_day: f64,
    /// Agents per reported interval: the search's level (a deferred
    /// queue's level of the day in its business hours; the search's cap
    /// where no level met the targets).
    pub levels: Vec<u32>,
}

/// One share of one queue in one month: a line of work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slice {
    /// The plan's queue.
    pub queue: usize,
    /// The plan's team.
    pub team: usize,
    /// The month.
    pub month: usize,
    /// Contacts routed to the team in the month.
    pub volume: f64,
    /// The week that stands for it.
    pub week: WeekKey,
}

/// Each team's requirement per month.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// `agent_hours_per_day[team][month]`: agent-hours on the phones per day.
    pub agent_hours_per_day: Vec<Vec<f64>>,
    /// Shares × months with volume, in plan queue, team, month order.
    pub slices: Vec<Slice>,
    /// The distinct weeks staffed.
    pub weeks: BTreeMap<WeekKey, Need>,
}

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
    let mut slices: Vec<Slice> = Vec::new();
    for (pq, queue) in plan.queues.iter().enumerate() {
        let week = week_volume(model, queue.queue);
        for &(t, share) in &queue.shares {
            for (m, month) in plan.months.iter().enumerate() {
                let volume = queue.volume[m] * share;
                if volume <= 0.0 || week <= 0.0 {
                    continue;
                }
                let v = volume / (week * month.days as f64 / days);
                let key = WeekKey {
                    queue: queue.queue,
                    team: plan.teams[t].model_team,
                    volume: (v * GRID).round() as i64,
                    aht: (queue.aht_factor[m] * GRID).round() as i64,
                };
                slices.push(Slice { queue: pq, team: t, month: m, volume, week: key });
            }
        }
    }
    let keys: Vec<WeekKey> =
        slices.iter().map(|s| s.week).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let needs: Vec<Need> = with_threads(threads, || {
        keys.par_iter().map(|&k| staff_week(model, plan, k)).collect::<Result<Vec<_>, PlanError>>()
    })??;
    let weeks: BTreeMap<WeekKey, Need> = keys.iter().copied().zip(needs).collect();
    let mut agent_hours_per_day = vec![vec![0.0; n]; plan.teams.len()];
    for s in &slices {
        agent_hours_per_day[s.team][s.month] += weeks[&s.week].agent_hours_per_day;
    }
    Ok(Requirement { agent_hours_per_day, slices, weeks })
}

/// The scenario's week of one queue, scaled by `key`'s factors, served by
/// the scenario's team alone (which keeps its shifts: they set a deferred
/// queue's business hours), `replications` replications.
pub fn week_model(model: &Model, key: WeekKey, replications: u32) -> Result<Model, PlanError> {
    let mut queue = model.queues[key.queue].clone();
    queue.served_by = vec![key.team];
    let week = Model { queues: vec![queue], replications, ..model.clone() };
    let (v, a) = (key.volume as f64 / GRID, key.aht as f64 / GRID);
    let name = &model.queues[key.queue].name;
    let week =
        week.with_volume_scale(v).map_err(|error| PlanError::Scale { queue: name.clone(), what: "volume", error })?;
    week.with_aht_scale(a).map_err(|error| PlanError::Scale { queue: name.clone(), what: "AHT trend", error })
}

/// Staffs one week on a pool dedicated to it.
fn staff_week(model: &Model, plan: &Plan, key: WeekKey) -> Result<Need, PlanError> {
    let week = week_model(model, key, plan.requirement_replications)?;
    // Already inside the pool of `find`.
    let options = staffing::Options { confidence: None, max_agents: None, threads: None };
    let staffed = staffing::staff(&week, &options)?;
    let queue = &staffed.queues[0];
    let levels = queue.intervals.iter().map(|i| i.required.simulated.unwrap_or(i.achieved.agents)).collect();
    Ok(Need { agent_hours_per_day: queue.totals.simulated.agent_hours / model.days.len() as f64, levels })
}
