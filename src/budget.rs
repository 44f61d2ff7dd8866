//! An estimate, made before anything runs, of the memory a `run` or a
//! `staff` holds at its peak: a formula over the compiled model, not a
//! trial run. A scenario whose estimate passes the limit (`--max-memory`)
//! is refused with the terms that make it up and the inputs to lower.
//!
//! The terms, each an upper estimate:
//!
//! - counters: per replication, queues × intervals × the counter cells,
//!   teams × intervals × the agent-time cells and queues × days × a
//!   response histogram; times the replications held at once
//!   ([`replications_held`]);
//! - results and report: every period (interval, day, horizon) of every
//!   queue and team summarised, and the report text (JSON, the largest);
//! - simulations in flight (one per thread; for `staff` also a snapshot per
//!   replication): the contacts that can be waiting at once, the agents on
//!   duty with their open chats, and the events on the calendar (every
//!   break of every agent of a shift is scheduled when the shift starts);
//! - the compiled scenario and the process itself.
//!
//! Contacts that can be waiting at once, per queue: with patience, about
//! twice the arrivals within a mean patience at the peak rate (lines are
//! compacted when they double); with none, the backlog a fluid model
//! leaves: interval by interval, arrivals less what the serving teams'
//! rostered agents can handle (each team's capacity shared evenly among its
//! skills), carried over. A queue whose teams have no agents keeps every
//! contact of the horizon; a queue no team serves keeps none.

use std::mem::size_of;

use crate::counters::{BacklogCell, FlowCell, QueueCell, ResponseHistogram, TeamCell, RESPONSE_BINS};
use crate::engine::{AGENT_BYTES, EVENT_BYTES, OPEN_CHAT_BYTES, WAITING_CONTACT_BYTES};
use crate::kpi::{Kpi, Target, KPI_COUNT};
use crate::model::{Model, Queue, RateSegment, ShiftInstance};
use crate::periods::PeriodKind;
use crate::results::{Detail, Period};
use crate::stats::tally::Tally;
use crate::stats::Summary;

/// The process before any scenario (code, runtime, thread stacks in use).
const BASELINE_BYTES: f64 = 8.0 * 1024.0 * 1024.0;
/// The term of [`BASELINE_BYTES`].
const PROGRAM: &str = "the program itself";
/// Contacts a line holds before it is first compacted (engine::queues).
const LINE_FLOOR: f64 = 1024.0;
/// Levels a staffing search keeps per interval, with their summaries.
const TRIALS_PER_INTERVAL: f64 = 4.0;

/// One part of an estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// What it is, with the figures it comes from.
    pub what: String,
    /// Bytes.
    pub bytes: f64,
    /// The inputs that make it smaller.
    pub lower: &'static [&'static str],
}

/// The memory a command holds at its peak, term by term.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// `run` or `staff`.
    pub command: &'static str,
    /// Its parts, largest first.
    pub terms: Vec<Term>,
}

impl Estimate {
    /// The whole estimate, bytes.
    pub fn total(&self) -> f64 {
        self.terms.iter().map(|t| t.bytes).sum()
    }

    /// `Ok` when the estimate is within `limit` bytes; else the reason,
    /// with each term and what to lower. `limit_how` says where the limit
    /// came from.
    pub fn check(&self, limit: u64, limit_how: &str) -> Result<(), OverBudget> {
        if self.total() <= limit as f64 {
            return Ok(());
        }
        Err(OverBudget { estimate: self.clone(), limit, limit_how: limit_how.to_string() })
    }

    /// The inputs to lower, from the terms that make up most of the
    /// estimate, largest first.
    fn to_lower(&self) -> Vec<&'static str> {
        let mut lower: Vec<&'static str> = Vec::new();
        let mut covered = 0.0;
        for t in &self.terms {
            if covered >= 0.8 * self.total() {
                break;
            }
            covered += t.bytes;
            for l in t.lower {
                if !lower.contains(l) {
                    lower.push(l);
                }
            }
        }
        lower
    }
}

/// A run or staffing that would pass `--max-memory`: what it needs, term
/// by term, and what to lower.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct OverBudget {
    /// What the command would need.
    pub estimate: Estimate,
    /// The limit, bytes.
    pub limit: u64,
    /// Where the limit came from (`--max-memory`, or the machine's memory).
    pub limit_how: String,
}

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = &self.estimate;
        write!(
            f,
            "{} needs an estimated {} of memory, more than --max-memory allows ({}, {}):",
            e.command,
            human(e.total()),
            human(self.limit as f64),
            self.limit_how
        )?;
        for t in e.terms.iter().filter(|t| t.bytes >= e.total() / 1000.0) {
            write!(f, "\n  {:>10}  {}", human(t.bytes), t.what)?;
        }
        let lower = e.to_lower();
        if lower.is_empty() {
            write!(f, "\nraise --max-memory")
        } else {
            write!(f, "\nlower {}, or raise --max-memory", lower.join(", "))
        }
    }
}

crate::fault::blame!(Input: OverBudget);

/// How many replications' counters are held at once: a chunk of
/// [`crate::montecarlo::CHUNK_PER_THREAD`] per thread is simulated, then
/// folded into the running summary and dropped.
pub fn replications_held(model: &Model, threads: usize) -> f64 {
    (model.replications as f64).min((threads.max(1) * crate::montecarlo::CHUNK_PER_THREAD) as f64)
}

/// The memory `wfmsim run` holds at its peak with `threads` threads,
/// reporting `detail` by `period` in a format taking `report_bytes` per
/// queue and period (`report::Format::bytes_per_period`).
pub fn for_run(model: &Model, threads: usize, detail: Detail, period: PeriodKind, report_bytes: f64) -> Estimate {
    let held = replications_held(model, threads);
    let counters = counters_bytes(model);
    let (queues, teams, days) = (model.queues.len(), model.teams.len(), model.days.len());
    let spans = match detail {
        Detail::Horizon => 1,
        Detail::Period => crate::periods::spans(model, period).len() + 1,
        Detail::Interval => crate::periods::spans(model, period).len() + 1 + model.n_intervals,
    };
    let periods = ((queues + teams) * spans) as f64;
    let waiting: Vec<f64> = (0..queues).map(|q| waiting_in_run(model, q)).collect();
    let (lines, biggest) = lines_bytes(model, &waiting);
    let roster = roster_bytes(model);
    let mut terms = vec![
        Term {
            what: format!(
                "counters: {held} replications × {} each ({} days of {} {}-minute intervals, {queues} queue(s), {teams} team(s))",
                human(counters),
                days,
                model.n_intervals / days.max(1),
                model.interval_s / 60.0,
            ),
            bytes: held * counters,
            lower: &["--replications", "scenario.days", "the intervals (scenario.interval_minutes = 60)"],
        },
        Term {
            what: format!(
                "results and report: {} periods summarised (intervals, days and horizon of {queues} queue(s) and {teams} team(s))",
                periods as u64
            ),
            bytes: periods * (period_bytes(model) + tally_bytes(model) + report_bytes),
            lower: &["scenario.days", "the intervals (scenario.interval_minutes = 60)"],
        },
        waiting_term(model, threads as f64 * lines, &waiting, biggest, threads, "at once in each of"),
        Term {
            what: format!(
                "agents and events: {threads} simulation(s) × {} (at most {} agents on duty and {} breaks and logouts scheduled at once)",
                human(roster.bytes),
                roster.agents as u64,
                roster.events as u64
            ),
            bytes: threads as f64 * roster.bytes,
            lower: &["the agents of shifts and teams", "the breaks per shift"],
        },
    ];
    let forecast: f64 = (0..queues).map(|q| forecast_bytes(model, q)).sum();
    if forecast > 0.0 {
        terms.push(Term {
            what: format!(
                "forecast error: {threads} simulation(s) × {} (the varying queues' rates laid out per interval)",
                human(forecast)
            ),
            bytes: threads as f64 * forecast,
            lower: &["scenario.days", "the intervals (scenario.interval_minutes = 60)"],
        });
    }
    terms.extend(fixed_terms(model));
    sorted(Estimate { command: "this run", terms })
}

/// The memory `wfmsim compare` holds at its peak with `threads` threads:
/// each replication simulates both scenarios, so about a run of each at
/// once (their counters, summaries and simulations in flight), and the
/// program once.
pub fn for_compare(a: &Model, b: &Model, threads: usize, period: PeriodKind, report_bytes: f64) -> Estimate {
    let side = |name: &'static str, m: &Model| {
        let run = for_run(m, threads, Detail::Period, period, report_bytes).terms.into_iter();
        run.filter(|t| t.what != PROGRAM).map(move |t| Term { what: format!("{name}: {}", t.what), ..t })
    };
    let mut terms: Vec<Term> = side("A", a).chain(side("B", b)).collect();
    terms.push(Term { what: PROGRAM.into(), bytes: BASELINE_BYTES, lower: &[] });
    sorted(Estimate { command: "this comparison", terms })
}

/// The memory `wfmsim staff` holds at its peak with `threads` threads,
/// the search capped at `max_agents` per interval (`None`: 3 × the load +
/// 50), reporting `report_bytes` per queue and interval.
pub fn for_staff(model: &Model, threads: usize, max_agents: Option<u32>, report_bytes: f64) -> Estimate {
    let replications = model.replications as f64;
    let threads_f = threads as f64;
    let (queues, days) = (model.queues.len(), model.days.len());
    let intervals = (queues * model.n_intervals) as f64;
    // Queues are staffed one after another: the largest one counts.
    let mut snapshot = 0.0f64;
    let mut trial = 0.0f64;
    let mut waiting_snapshot = vec![0.0; queues];
    let mut waiting_trial = vec![0.0; queues];
    for (q, queue) in model.queues.iter().enumerate() {
        let load = peak_rate(queue) * queue.handle_time.mean_s() * stretch(queue);
        let per_agent = queue.concurrency.max(1) as f64;
        let guess = load / per_agent + 1.0;
        let cap = max_agents.map_or(3.0 * load / per_agent + 50.0, f64::from);
        let agent =
            AGENT_BYTES as f64 + per_agent * OPEN_CHAT_BYTES as f64 + 2.0 * (per_agent + 1.0) * EVENT_BYTES as f64;
        let (rest, followed) = waiting_in_staff(queue);
        waiting_snapshot[q] = rest;
        waiting_trial[q] = followed;
        let line = |n: f64| 2.0 * n * WAITING_CONTACT_BYTES as f64;
        snapshot = snapshot.max(guess.min(cap) * agent + line(rest));
        trial = trial.max(cap * agent + line(followed));
    }
    let biggest = (0..queues).max_by(|&a, &b| waiting_trial[a].total_cmp(&waiting_trial[b])).unwrap_or(0);
    let mut terms = vec![
        Term {
            what: format!(
                "snapshots: {replications} replications × {} (agents at the analytic level and the contacts waiting, for the largest queue)",
                human(snapshot)
            ),
            bytes: replications * snapshot,
            lower: &["--replications"],
        },
        Term {
            what: format!(
                "levels tried: {threads} at once × {} (up to the cap of agents, contacts followed up to a day, for the largest queue)",
                human(trial)
            ),
            bytes: threads_f * trial,
            lower: &["--max-agents", "the arrival rates or handle times"],
        },
        Term {
            what: format!(
                "plan and report: {} intervals × {queues} queue(s) ({} days of {}-minute intervals)",
                model.n_intervals,
                days,
                model.interval_s / 60.0
            ),
            bytes: intervals * (TRIALS_PER_INTERVAL * period_bytes(model) + report_bytes)
                + ((queues * (days + 1)) as f64) * period_bytes(model),
            lower: &["scenario.days", "the intervals (scenario.interval_minutes = 60)"],
        },
    ];
    if waiting_trial[biggest] > 1e6 {
        let queue = &model.queues[biggest];
        terms[1].what +=
            &format!("; queue {:?} can hold {} contacts waiting", queue.name, waiting_trial[biggest] as u64);
    }
    let forecast = (0..queues).map(|q| forecast_bytes(model, q)).fold(0.0, f64::max);
    if forecast > 0.0 {
        terms.push(Term {
            what: format!(
                "forecast error: {replications} replications × {} (the largest varying queue's rates laid out per interval)",
                human(forecast)
            ),
            bytes: replications * forecast,
            lower: &["--replications", "scenario.days", "the intervals (scenario.interval_minutes = 60)"],
        });
    }
    terms.extend(fixed_terms(model));
    sorted(Estimate { command: "this staffing", terms })
}

/// The compiled scenario and the process itself.
fn fixed_terms(model: &Model) -> Vec<Term> {
    vec![
        Term {
            what: format!(
                "the compiled scenario ({} shift instances, {} arrival-rate segments)",
                model.shifts.len(),
                model.queues.iter().map(|q| q.arrivals.len()).sum::<usize>()
            ),
            bytes: model_bytes(model),
            lower: &["scenario.days", "the queues and shift patterns"],
        },
        Term { what: PROGRAM.into(), bytes: BASELINE_BYTES, lower: &[] },
    ]
}

fn sorted(mut e: Estimate) -> Estimate {
    e.terms.sort_by(|a, b| b.bytes.total_cmp(&a.bytes));
    e
}

/// Bytes of one replication's counters.
pub fn counters_bytes(model: &Model) -> f64 {
    let (q, t, i, d) = (model.queues.len(), model.teams.len(), model.n_intervals, model.days.len());
    let deferred = model.queues.iter().filter(|q| !q.channel.is_live()).count();
    let cells = q * i * (size_of::<QueueCell>() + size_of::<FlowCell>())
        + q * (i + 1) * size_of::<BacklogCell>()
        + t * i * size_of::<TeamCell>()
        + q * d * size_of::<ResponseHistogram>()
        + deferred * d * RESPONSE_BINS * size_of::<u32>();
    cells as f64
}

/// Bytes of one summarised period of one queue of `model` (the channel
/// reporting the most KPIs), KPIs and targets included.
fn period_bytes(model: &Model) -> f64 {
    let kpis = model.queues.iter().map(|q| Kpi::for_channel(q.channel).len()).max().unwrap_or(KPI_COUNT);
    // Start and end, RFC 3339, each in an allocation of 32 bytes.
    let strings = 2 * 32;
    (size_of::<Period>() + kpis * size_of::<(Kpi, Option<Summary>)>() + 5 * size_of::<(Target, f64)>() + strings) as f64
}

/// Bytes of one queue's period folded across replications: per KPI an
/// exact sum and a sketch of 1% bins, which holds at most one bin per
/// replication; 256 bins span a 13-fold spread of a KPI across
/// replications, more than a period's KPIs show outside a collapse.
fn tally_bytes(model: &Model) -> f64 {
    let kpis = model.queues.iter().map(|q| Kpi::for_channel(q.channel).len()).max().unwrap_or(KPI_COUNT);
    let bins = (model.replications as f64).min(256.0);
    (kpis * size_of::<Tally>()) as f64 + kpis as f64 * bins * size_of::<(i32, u64, f64, f64)>() as f64
}

fn model_bytes(model: &Model) -> f64 {
    let shifts: usize = model
        .shifts
        .iter()
        .map(|s| size_of::<ShiftInstance>() + s.breaks.len() * size_of::<crate::model::Break>())
        .sum();
    let segments: usize = model.queues.iter().map(|q| q.arrivals.len() * size_of::<RateSegment>()).sum();
    (shifts + segments + model.n_intervals * size_of::<u32>()) as f64
}

/// Bytes of queue `q`'s forecast-error plan in one simulation: its rate
/// segments split at every interval, each with a handle-time factor (0
/// without forecast error).
fn forecast_bytes(model: &Model, q: usize) -> f64 {
    let queue = &model.queues[q];
    match queue.variation.any() {
        true => ((model.n_intervals + queue.arrivals.len()) * (size_of::<RateSegment>() + size_of::<f64>())) as f64,
        false => 0.0,
    }
}

/// Chat: how much longer a chat takes at full concurrency.
fn stretch(queue: &Queue) -> f64 {
    1.0 + queue.slowdown * (queue.concurrency.max(1) as f64 - 1.0)
}

/// The highest arrival rate of `queue`, per second.
fn peak_rate(queue: &Queue) -> f64 {
    queue.arrivals.iter().map(|s| s.rate_per_s).fold(0.0, f64::max)
}

/// Bytes of every line of a simulation, given the contacts each can hold,
/// and the queue that holds the most.
fn lines_bytes(model: &Model, waiting: &[f64]) -> (f64, usize) {
    let total: f64 = waiting.iter().sum();
    let biggest = (0..model.queues.len()).max_by(|&a, &b| waiting[a].total_cmp(&waiting[b])).unwrap_or(0);
    // A line's buffer grows by doubling.
    (2.0 * total * WAITING_CONTACT_BYTES as f64, biggest)
}

/// The term of the contacts waiting, naming the queue that holds the most.
fn waiting_term(model: &Model, bytes: f64, waiting: &[f64], biggest: usize, threads: usize, how: &str) -> Term {
    let total: f64 = waiting.iter().sum();
    let mut what = format!("waiting contacts: up to {} {how} {threads} simulation(s)", total as u64);
    let queue = &model.queues[biggest];
    if waiting[biggest] > 1e6 {
        let patience = if queue.patience.is_some() { "patience" } else { "unlimited patience" };
        what += &format!(
            "; queue {:?} ({patience}) can hold {}: its teams' agents cannot keep up with its arrivals",
            queue.name, waiting[biggest] as u64
        );
    }
    Term { what, bytes, lower: &["the backlog no agent answers (give that queue agents or patience)", "scenario.days"] }
}

/// Contacts queue `q` can hold waiting at once in a run.
fn waiting_in_run(model: &Model, q: usize) -> f64 {
    let queue = &model.queues[q];
    if queue.served_by.is_empty() {
        // Counted at arrival; a deferred queue keeps its oldest item.
        return queue.initial_backlog.len() as f64 + 1.0;
    }
    let fluid = fluid_backlog_peak(model, q);
    let held = match &queue.patience {
        // Compaction keeps a line under about twice its patient contacts.
        Some(p) => fluid.min(2.0 * peak_rate(queue) * p.mean_s()),
        None => fluid,
    };
    held + LINE_FLOOR
}

/// Contacts a dedicated staffing simulation of `queue` holds: in a
/// snapshot (at levels meeting the targets) and in a level being tried
/// (perhaps too few agents, contacts followed up to a day).
fn waiting_in_staff(queue: &Queue) -> (f64, f64) {
    let rate = peak_rate(queue);
    let backlog = queue.initial_backlog.len() as f64;
    let within = if queue.channel.is_live() { 600.0 } else { queue.targets.within_s + 86_400.0 };
    let followed = match &queue.patience {
        Some(p) => (2.0 * p.mean_s()).min(86_400.0 + 3600.0),
        None => 86_400.0 + 3600.0 + within,
    };
    (backlog + rate * within + LINE_FLOOR, backlog + rate * followed + LINE_FLOOR)
}

/// The largest backlog of queue `q` in a fluid model of the run: each
/// span's arrivals less what the serving teams' rostered agents can handle
/// in it (a team's capacity shared evenly among its skills), carried over.
fn fluid_backlog_peak(model: &Model, q: usize) -> f64 {
    let queue = &model.queues[q];
    let handled_per_agent_s: Vec<(usize, f64)> = queue
        .served_by
        .iter()
        .map(|&t| {
            let team = &model.teams[t];
            let skills = team.skills_by_priority.iter().flatten().count().max(1) as f64;
            let cap = team.skill(q).map_or(1, |s| s.concurrency.max(1)) as f64;
            let per_chat = queue.handle_time.mean_s() * (1.0 + queue.slowdown * (cap - 1.0));
            (t, cap / per_chat / skills)
        })
        .collect();
    let spans = std::iter::once((-model.warmup_s, 0.0))
        .filter(|(a, b)| a < b)
        .chain((0..model.n_intervals).map(|i| (i as f64 * model.interval_s, (i + 1) as f64 * model.interval_s)));
    let mut backlog = queue.initial_backlog.len() as f64;
    let mut peak = backlog;
    for (a, b) in spans {
        let arrivals = queue.mean_rate(a, b) * (b - a);
        let handled: f64 = handled_per_agent_s.iter().map(|&(t, per_s)| model.paid_seconds(t, a, b) * per_s).sum();
        backlog = (backlog + arrivals - handled).max(0.0);
        peak = peak.max(backlog);
    }
    peak
}

/// Agents on duty and events scheduled at once, at most, and their bytes.
struct Roster {
    agents: f64,
    events: f64,
    bytes: f64,
}

/// The most agents on duty and breaks and logouts scheduled at once, from
/// the shift instances (each shift schedules every member's breaks and its
/// logout when it starts).
fn roster_bytes(model: &Model) -> Roster {
    let mut changes: Vec<(f64, f64, f64)> = Vec::with_capacity(2 * model.shifts.len());
    for s in &model.shifts {
        let (agents, events) = (s.agents as f64, s.agents as f64 * s.breaks.len() as f64 + 1.0);
        changes.push((s.login_s, agents, events));
        if s.logout_s.is_finite() {
            changes.push((s.logout_s, -agents, -events));
        }
    }
    // Logouts before logins at the same instant.
    changes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let (mut agents, mut events, mut most_agents, mut most_events) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (_, a, e) in changes {
        agents += a;
        events += e;
        most_agents = most_agents.max(agents);
        most_events = most_events.max(events);
    }
    let chats = model.teams.iter().map(|t| t.chat_capacity(&model.queues)).max().unwrap_or(0) as f64;
    let per_agent = AGENT_BYTES as f64 + chats * OPEN_CHAT_BYTES as f64 + 2.0 * (chats + 1.0) * EVENT_BYTES as f64;
    // Heaps grow by doubling.
    let bytes = most_agents * per_agent + 2.0 * most_events * EVENT_BYTES as f64;
    Roster { agents: most_agents, events: most_events, bytes }
}

/// Bytes as people read them: `512 B`, `3.2 MiB`, `1.5 GiB`.
pub fn human(bytes: f64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = bytes;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} B")
    } else if value >= 1e5 {
        format!("{value:.2e} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A memory size as given on the command line: a number with an optional
/// unit, `B`, `K`/`KiB`, `M`/`MiB`, `G`/`GiB`, `T`/`TiB` (powers of 1024)
/// or `KB`, `MB`, `GB`, `TB` (powers of 1000), e.g. `4GiB`, `512M`,
/// `1.5GB`; more than 0, at most 1 PiB.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let allowed = "a size such as 4GiB, 512MiB or 1.5GB (units B, K/KiB, M/MiB, G/GiB, T/TiB, KB, MB, GB, TB), more than 0 and at most 1024TiB";
    let trimmed = text.trim();
    let split = trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kib" => 1024.0,
        "m" | "mib" => 1024f64.powi(2),
        "g" | "gib" => 1024f64.powi(3),
        "t" | "tib" => 1024f64.powi(4),
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        _ => return Err(format!("{text:?} has an unknown unit; allowed: {allowed}")),
    };
    match number.parse::<f64>() {
        Ok(x) if x * factor >= 1.0 && x * factor <= 1024f64.powi(5) => Ok((x * factor) as u64),
        _ => Err(format!("{text:?} is not allowed; allowed: {allowed}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_binary_and_decimal_units() {
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("4g"), Ok(4 << 30));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size(" 2 TiB "), Ok(2 << 40));
        for bad in ["", "0", "-1GiB", "4XB", "GiB", "nan", "1e400", "2048TiB", "0.1"] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
        assert!(parse_size("4XB").unwrap_err().contains("unknown unit; allowed: a size such as 4GiB"));
    }

    /// Every shipped scenario stays far below any machine's default limit,
    /// run or staffed, in every format, on 64 threads.
    #[test]
    fn shipped_scenarios_are_estimated_well_under_a_gigabyte() {
        use crate::report::Format;
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "toml") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let model = crate::input::compile(&source, "s.toml").unwrap().model;
            for format in [Format::Table, Format::Json, Format::Csv] {
                for e in [
                    for_run(&model, 64, Detail::Interval, PeriodKind::Day, format.bytes_per_period()),
                    for_staff(&model, 64, None, format.bytes_per_period()),
                ] {
                    // The largest: two weeks of eight omnichannel queues at
                    // interval detail (launch-and-outage, ~400 MiB).
                    assert!(e.total() < 512.0 * 1024.0 * 1024.0, "{path:?}: {e:?}");
                    assert!(e.check(1 << 30, "as given").is_ok());
                }
            }
        }
    }

    #[test]
    fn bytes_read_as_people_read_them() {
        assert_eq!(human(512.0), "512 B");
        assert_eq!(human(1536.0), "1.5 KiB");
        assert_eq!(human(3.0 * 1024.0 * 1024.0 * 1024.0), "3.0 GiB");
    }
}
