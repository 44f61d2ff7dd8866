//! The validated, compiled scenario: times are seconds from the first
//! reported instant (warm-up is negative), queues and teams are indices,
//! arrival rates are piecewise-constant segments and shifts are concrete
//! instances. The engine sees only this.

pub mod agents;
mod coverage;
mod events;
pub mod plan;
pub mod price;
mod shifts;
mod uncertainty;

use std::ops::Range;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::channel::Channel;
use crate::diagnostic::shown;
use crate::dist::{Duration, MAX_MEAN_S};
use crate::kpi::Targets;
pub use coverage::CoverageHole;
pub use events::{EventNote, FactorWindow, QueueOutage, Window, MAX_AHT_FACTOR, MAX_EVENTS, MAX_VOLUME_FACTOR};
pub use shifts::{Horizon, ShiftPattern};
pub use uncertainty::{Absence, Variation, MAX_FACTOR_CV, MIN_CORRELATION, MIN_FACTOR_CV};

/// Default service-level threshold of a live queue, seconds.
pub const DEFAULT_WITHIN_S: f64 = 20.0;
/// Default response-time threshold of deferred work, hours.
pub const DEFAULT_WITHIN_HOURS: f64 = 24.0;
/// Most chats one agent may hold at once.
pub const MAX_CONCURRENCY: i64 = 100;
/// Largest chat slowdown factor.
pub const MAX_SLOWDOWN: f64 = 10.0;
/// Most items of an initial backlog.
pub const MAX_BACKLOG_ITEMS: i64 = 1_000_000;
/// Default number of Monte Carlo replications.
pub const DEFAULT_REPLICATIONS: u32 = 100;
/// Most reported days of a scenario (`scenario.days`: ten years).
pub const MAX_DAYS: i64 = 3660;
/// Most Monte Carlo replications of a run (`scenario.replications`,
/// `--replications`); a baseline or a partial claiming more is refused.
pub const MAX_REPLICATIONS: u32 = 1_000_000;
/// Default master seed.
pub const DEFAULT_SEED: u64 = 1;
/// Most agents on one shift (teams with no shifts may have more).
pub const MAX_SHIFT_AGENTS: i64 = 65_535;
/// Longest shift, seconds (a shift's `hours` is at most 24).
pub const MAX_SHIFT_S: f64 = 86_400.0;
/// Most agents of a team with no shifts, on duty all the time.
pub const MAX_TEAM_AGENTS: i64 = 1_000_000;
/// Highest arrival rate of one queue at any time, contacts per hour (by
/// `rate_per_hour`, `rates_per_hour`, `daily` with `profile`, and after
/// `--volume-scale`).
pub const MAX_RATE_PER_HOUR: f64 = 1e6;
/// Largest weight of an arrival profile (weights are normalised).
pub const MAX_PROFILE_WEIGHT: f64 = 1e9;
/// Most breaks of one shift.
pub const MAX_BREAKS_PER_SHIFT: usize = 24;
/// Highest cost of one agent hour (`team.cost_per_hour`,
/// `[staffing].cost_per_hour`).
pub const MAX_COST_PER_HOUR: f64 = 1e6;
/// Most shift instances laid on the calendar: each shift pattern once per
/// day it starts on, over the horizon, the warm-up and the day before.
pub const MAX_SHIFT_INSTANCES: usize = 1_000_000;
/// Most queues × reported days: a queue's arrival rates are laid out
/// interval by interval over the whole horizon.
pub const MAX_QUEUE_DAYS: usize = 36_600;

/// A compiled scenario, ready to simulate.
#[derive(Debug, Clone)]
pub struct Model {
    /// The scenario's name.
    pub name: String,
    /// Master seed of every random stream.
    pub seed: u64,
    /// Monte Carlo replications.
    pub replications: u32,
    /// Zone in which intervals and days are reported.
    pub timezone: TimeZone,
    /// That zone's IANA name.
    pub timezone_name: String,
    /// Reporting interval, seconds.
    pub interval_s: f64,
    /// First reported instant (local midnight of the first day).
    pub report_start: Timestamp,
    /// Seconds simulated before `report_start` and not reported.
    pub warmup_s: f64,
    /// Reported intervals, all `interval_s` long, back to back.
    pub n_intervals: usize,
    /// Reported days in the reporting zone (23, 24 or 25 hours long), at
    /// least one; a day the zone skipped altogether (Pacific/Apia,
    /// 2011-12-30) is left out, so every day has at least one interval.
    pub days: Vec<Day>,
    /// Per reported interval, the index of its day.
    pub interval_day: Vec<u32>,
    /// The queues.
    pub queues: Vec<Queue>,
    /// The teams.
    pub teams: Vec<Team>,
    /// Every shift worked within the simulated span, sorted by login; each
    /// lasts at most [`MAX_SHIFT_S`], except a team's always on duty (no
    /// shifts), which logs in at the simulation's start and never out.
    pub shifts: Vec<ShiftInstance>,
    /// How service level is computed.
    pub service_level_rule: ServiceLevelRule,
    /// ISO 4217 code of the currency amounts are in, if the scenario names one.
    pub currency: Option<String>,
    /// How required agents turn into paid hours and cost.
    pub staffing: StaffingPolicy,
    /// The `[[event]]`s, as reports name them (their effects are compiled
    /// into the queues, teams and shifts).
    pub events: Vec<EventNote>,
    /// Correlation of every two queues' daily volume factors, in [0, 1].
    pub correlation: f64,
    /// The people who may work rostered shifts (`[[agent]]`, or
    /// `schedule --agents FILE`); the engine never reads them.
    pub agents: Vec<agents::Agent>,
}

/// One reported day.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// Its civil date in the reporting zone.
    pub date: Date,
    /// Index of its first interval.
    pub first_interval: usize,
    /// Number of its intervals (fewer or more on a DST change).
    pub intervals: usize,
}

impl Day {
    /// Its interval indices.
    pub fn interval_range(&self) -> Range<usize> {
        self.first_interval..self.first_interval + self.intervals
    }
}

/// A compiled queue.
#[derive(Debug, Clone)]
pub struct Queue {
    /// Its name.
    pub name: String,
    /// How its contacts reach agents.
    pub channel: Channel,
    /// Handle time, seconds: the work one contact takes of an agent
    /// holding nothing else.
    pub handle_time: Duration,
    /// Patience, seconds; `None` when nobody abandons (always for deferred
    /// work).
    pub patience: Option<Duration>,
    /// Chat: the most chats one agent holds at once, unless a team's skill
    /// sets its own; 1 for other channels.
    pub concurrency: u32,
    /// Chat: with k chats open each progresses at 1 / (1 + slowdown (k − 1)).
    pub slowdown: f64,
    /// Deferred work: ages of the items open when the simulation starts,
    /// seconds.
    pub initial_backlog: Vec<f64>,
    /// Its targets (thresholds in seconds).
    pub targets: Targets,
    /// Arrival rate, piecewise constant, covering the simulated span
    /// (`volume` and `closed` events included).
    pub arrivals: Vec<RateSegment>,
    /// Teams with this skill, in team order.
    pub served_by: Vec<usize>,
    /// `aht` events: handle times of contacts arriving in each window ×
    /// its factor (the product of the events in force over it); disjoint,
    /// in time order, usually empty.
    pub aht_windows: Vec<FactorWindow>,
    /// Forecast error of its volume and handle times.
    pub variation: Variation,
}

impl Queue {
    /// Mean arrival rate over `[start_s, end_s)`, per second (0 over an
    /// empty span). Looks only at the segments the span overlaps, found by
    /// bisection: the staffing search asks once per interval.
    pub fn mean_rate(&self, start_s: f64, end_s: f64) -> f64 {
        if end_s <= start_s {
            return 0.0;
        }
        let first = self.arrivals.partition_point(|seg| seg.end_s <= start_s);
        let volume = self.arrivals[first..]
            .iter()
            .take_while(|seg| seg.start_s < end_s)
            .map(|seg| (seg.end_s.min(end_s) - seg.start_s.max(start_s)).max(0.0) * seg.rate_per_s)
            .fold(0.0, |sum, v| sum + v);
        volume / (end_s - start_s)
    }
}

/// Arrivals at a constant rate over `[start_s, end_s)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateSegment {
    /// Start, seconds from `report_start`.
    pub start_s: f64,
    /// End, seconds from `report_start`.
    pub end_s: f64,
    /// Arrivals per second.
    pub rate_per_s: f64,
}

/// A compiled team.
#[derive(Debug, Clone)]
pub struct Team {
    /// Its name.
    pub name: String,
    /// Queues its agents take, grouped by priority, highest first.
    pub skills_by_priority: Vec<Vec<Skill>>,
    /// Its own price (`cost_per_hour`, `cost_per_contact` or
    /// `cost_per_fte_month`); [`price::Price::None`] when it gives none
    /// (`[staffing].cost_per_hour` then applies, see [`crate::cost`]).
    pub price: price::Price,
    /// A share of its paid hours worked as overtime at a premium.
    pub overtime: Option<price::PaidOvertime>,
    /// The zone its shifts' wall-clock times are in.
    pub timezone: TimeZone,
    /// Rules for the shifts `schedule` may roster.
    pub rules: Vec<ShiftRule>,
    /// Most share of rostered agents on part-time rules' shifts.
    pub max_part_time_share: Option<f64>,
    /// `outage` events: windows in which the team takes no new contacts.
    pub outages: Vec<Window>,
    /// `outage` events limited to queues or channels: windows in which
    /// the team takes no new contacts of those queues.
    pub queue_outages: Vec<QueueOutage>,
    /// `holiday` events: windows in which the team does not work (its
    /// shifts starting in them are gone; agents always on duty log out);
    /// disjoint (overlapping or touching holidays joined), in time order.
    pub holidays: Vec<Window>,
    /// Unplanned absence of its agents.
    pub absence: Absence,
}

/// A family of shifts `schedule` may roster for a team: each allowed start
/// × paid length × run of consecutive days on × first day of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftRule {
    /// A label for reports.
    pub name: String,
    /// Allowed starts, team-local, ascending.
    pub starts: Vec<Time>,
    /// Allowed paid lengths, hours, ascending.
    pub hours: Vec<f64>,
    /// Allowed runs of consecutive days on per week (1 to 7), ascending.
    pub days_on: Vec<u8>,
    /// Days a run may begin on, Monday first.
    pub first_days: [bool; 7],
    /// Breaks: each `minutes` long, starting in a window from the login.
    pub breaks: Vec<BreakRule>,
    /// Fewest agents on the rule's shifts.
    pub min_agents: Option<u32>,
    /// Most agents on the rule's shifts.
    pub max_agents: Option<u32>,
    /// Whether its shifts count as part-time.
    pub part_time: bool,
}

/// A break a rule's shifts take: `minutes` long, its agents' starts spread
/// over `[earliest_minutes, latest_minutes]` from the login.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakRule {
    /// Length, minutes.
    pub minutes: f64,
    /// Earliest start, minutes from the login.
    pub earliest_minutes: f64,
    /// Latest start, minutes from the login.
    pub latest_minutes: f64,
}

impl BreakRule {
    /// As a shift's break: the agents' starts staggered over the window.
    pub fn as_break(&self) -> Break {
        Break {
            start_s: self.earliest_minutes * 60.0,
            length_s: self.minutes * 60.0,
            window_s: (self.latest_minutes - self.earliest_minutes) * 60.0,
        }
    }
}

/// A team's skill: a queue it takes, when, and how many at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Skill {
    /// The queue.
    pub queue: usize,
    /// The team takes the queue's contacts only once they have waited this
    /// long, seconds (0: at once).
    pub after_s: f64,
    /// Chat: the most chats of this queue an agent of the team holds at once.
    pub concurrency: u32,
}

impl Team {
    /// Whether the team takes queue `q`.
    pub fn serves(&self, q: usize) -> bool {
        self.skill(q).is_some()
    }

    /// The team's skill for queue `q`, if it has one.
    pub fn skill(&self, q: usize) -> Option<&Skill> {
        self.skills_by_priority.iter().flatten().find(|s| s.queue == q)
    }

    /// The most chats one of its agents can hold (0 without chat skills).
    pub fn chat_capacity(&self, queues: &[Queue]) -> u32 {
        self.skills_by_priority
            .iter()
            .flatten()
            .filter(|s| queues[s.queue].channel.is_concurrent())
            .map(|s| s.concurrency)
            .max()
            .unwrap_or(0)
    }
}

/// One concrete shift: `agents` agents of `team` log in together.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftInstance {
    /// The team.
    pub team: usize,
    /// Login, seconds from `report_start`.
    pub login_s: f64,
    /// Scheduled logout, seconds; infinite for a team always on duty.
    pub logout_s: f64,
    /// Agents on it.
    pub agents: u32,
    /// Breaks, in time order.
    pub breaks: Vec<Break>,
}

/// A break of every agent of a shift instance. Agent k of n starts it at
/// `start_s + window_s · k / n`, so breaks are staggered over the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    /// When the first agent goes, seconds from `report_start`.
    pub start_s: f64,
    /// Length, seconds.
    pub length_s: f64,
    /// Span over which the agents' starts are spread, seconds.
    pub window_s: f64,
}

impl Break {
    /// When member `k` of `n` agents starts this break, seconds.
    pub fn start_of(&self, k: usize, n: usize) -> f64 {
        self.start_s + self.window_s * k as f64 / n.max(1) as f64
    }
}

/// Which service-level formula a report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServiceLevelRule {
    /// Answered within T / offered.
    #[default]
    Offered,
    /// Answered within T / (offered − abandoned within T).
    OfferedLessShortAbandons,
    /// Answered within T / answered.
    Answered,
}

impl ServiceLevelRule {
    /// The name used in scenario files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Offered => "offered",
            Self::OfferedLessShortAbandons => "offered_less_short_abandons",
            Self::Answered => "answered",
        }
    }
}

/// `[staffing]`, compiled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StaffingPolicy {
    /// Share of paid time off the phones, in [0, 1).
    pub shrinkage: f64,
    /// Paid hours per week of one full-time agent.
    pub paid_hours_per_week: f64,
    /// Cost of one paid hour where no team gives one.
    pub cost_per_hour: Option<f64>,
}

impl Default for StaffingPolicy {
    fn default() -> Self {
        Self { shrinkage: 0.0, paid_hours_per_week: 40.0, cost_per_hour: None }
    }
}

/// A what-if factor (`--volume-scale`, `--aht-scale`, `--set volume=…`)
/// that would take the scenario outside the ranges a scenario may state.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScaleError {
    /// A queue's arrival rate would pass [`MAX_RATE_PER_HOUR`].
    #[error(
        "{} makes queue {queue:?} peak at {} contacts per hour; allowed: a factor that keeps every queue at most {MAX_RATE_PER_HOUR:e} per hour (here at most {})",
        shown(*factor), shown(peak.round()), shown_floor(*limit)
    )]
    Rate {
        /// The factor.
        factor: f64,
        /// The queue it would take too far.
        queue: String,
        /// Its peak rate with the factor, contacts per hour.
        peak: f64,
        /// The largest factor allowed.
        limit: f64,
    },
    /// A queue's mean handle time would pass [`MAX_MEAN_S`] (or reach 0).
    #[error(
        "{} makes queue {queue:?}'s mean handle time {} seconds; allowed: a factor that keeps every mean handle time more than 0 and at most {MAX_MEAN_S:e} seconds (here at most {})",
        shown(*factor), shown(*mean_s), shown_floor(*limit)
    )]
    HandleTime {
        /// The factor.
        factor: f64,
        /// The queue it would take too far.
        queue: String,
        /// Its mean handle time with the factor, seconds.
        mean_s: f64,
        /// The largest factor allowed.
        limit: f64,
    },
}

crate::fault::blame!(Input: ScaleError);

/// A largest allowed factor as a message quotes it: rounded down to six
/// decimals, so that the factor quoted is allowed too.
fn shown_floor(limit: f64) -> String {
    shown((limit * 1e6).floor() / 1e6)
}

impl Model {
    /// Start of interval `i` in the reporting zone.
    pub fn interval_start(&self, i: usize) -> Zoned {
        self.instant(i as f64 * self.interval_s)
    }

    /// An instant given in seconds from `report_start`, in the reporting zone.
    pub fn instant(&self, seconds: f64) -> Zoned {
        let ts = Timestamp::from_second(self.report_start.as_second() + seconds.round() as i64)
            .expect("instants of a compiled model are in range");
        ts.to_zoned(self.timezone.clone())
    }

    /// Agent-seconds team `t`'s shifts are paid for within `[from, to)`
    /// (seconds from `report_start`), breaks included. A team always on
    /// duty is paid throughout.
    ///
    /// Looks only at the shifts that can overlap the span, found by
    /// bisection on the logins (shifts last at most [`MAX_SHIFT_S`], and
    /// those always on duty log in first), so a report of every team and
    /// day costs time linear in the days, not quadratic.
    pub fn paid_seconds(&self, t: usize, from: f64, to: f64) -> f64 {
        let sim_start = -self.warmup_s;
        let at_start = self.shifts.partition_point(|s| s.login_s <= sim_start);
        let first = self.shifts.partition_point(|s| s.login_s < from - MAX_SHIFT_S).max(at_start);
        let last = self.shifts.partition_point(|s| s.login_s < to).max(first);
        // A team always on duty is not paid on its holidays.
        let away = |s: &ShiftInstance| match s.logout_s.is_infinite() {
            true => self.teams[t].holidays.iter().map(|h| h.overlap(from.max(s.login_s), to)).sum(),
            false => 0.0,
        };
        self.shifts[..at_start]
            .iter()
            .chain(&self.shifts[first..last])
            .filter(|s| s.team == t)
            .map(|s| ((s.logout_s.min(to) - s.login_s.max(from)).max(0.0) - away(s)).max(0.0) * s.agents as f64)
            .fold(0.0, |sum, paid| sum + paid)
    }

    /// Team `t`'s price: its own, else `[staffing].cost_per_hour` per hour
    /// ([`price::Price::None`] when neither is given). `cost` prices with it.
    pub fn team_price(&self, t: usize) -> price::Price {
        match (self.teams[t].price, self.staffing.cost_per_hour) {
            (price::Price::None, Some(x)) => price::Price::PerHour(x),
            (p, _) => p,
        }
    }

    /// Unplanned absence of the agents who would staff queue `q`: the mean
    /// `absence_rate` of the teams that serve it (0 when none does).
    pub fn queue_absence_rate(&self, q: usize) -> f64 {
        let served_by = &self.queues[q].served_by;
        if served_by.is_empty() {
            return 0.0;
        }
        served_by.iter().map(|&t| self.teams[t].absence.rate).sum::<f64>() / served_by.len() as f64
    }

    /// The reported intervals that `[from_s, to_s)` touches (clipped to the
    /// horizon; empty when it lies outside).
    pub fn intervals_touched(&self, from_s: f64, to_s: f64) -> Range<usize> {
        let (from, to) = (from_s.max(0.0), to_s.min(self.report_end_s()));
        if to <= from {
            return 0..0;
        }
        let first = (from / self.interval_s).floor() as usize;
        let last = ((to / self.interval_s).ceil() as usize).min(self.n_intervals);
        first.min(last)..last
    }

    /// The simulated span, as instants (to lay shift patterns on).
    pub fn horizon(&self) -> Horizon {
        let warmup = jiff::SignedDuration::from_secs(self.warmup_s.round() as i64);
        let length = jiff::SignedDuration::from_secs(self.report_end_s().round() as i64);
        Horizon {
            report_start: self.report_start,
            sim_start: self.report_start.checked_sub(warmup).unwrap_or(self.report_start),
            report_end: self.report_start.checked_add(length).unwrap_or(self.report_start),
        }
    }

    /// Start of reported day `day`, seconds from `report_start`.
    pub fn day_start_s(&self, day: &Day) -> f64 {
        day.first_interval as f64 * self.interval_s
    }

    /// End of the reported span, seconds from `report_start`.
    pub fn report_end_s(&self) -> f64 {
        self.n_intervals as f64 * self.interval_s
    }

    /// The same operation with arrival rates multiplied by `factor`
    /// (finite, > 0), refused when a queue's rate would pass
    /// [`MAX_RATE_PER_HOUR`].
    pub fn with_volume_scale(self, factor: f64) -> Result<Self, ScaleError> {
        let all: Vec<usize> = (0..self.queues.len()).collect();
        self.with_volume_scale_of(&all, factor)
    }

    /// [`Model::with_volume_scale`] for the queues `of` only.
    pub fn with_volume_scale_of(mut self, of: &[usize], factor: f64) -> Result<Self, ScaleError> {
        let peak = |q: &Queue| q.arrivals.iter().map(|s| s.rate_per_s * 3600.0).fold(0.0, f64::max);
        let limit = of.iter().map(|&q| MAX_RATE_PER_HOUR / peak(&self.queues[q])).fold(f64::INFINITY, f64::min);
        if let Some(q) = of.iter().map(|&q| &self.queues[q]).find(|q| peak(q) * factor > MAX_RATE_PER_HOUR) {
            return Err(ScaleError::Rate { factor, queue: q.name.clone(), peak: peak(q) * factor, limit });
        }
        for &q in of {
            for seg in &mut self.queues[q].arrivals {
                seg.rate_per_s *= factor;
            }
        }
        Ok(self)
    }

    /// The same operation with handle times multiplied by `factor`
    /// (finite, > 0), refused when a queue's mean handle time would pass
    /// [`crate::dist::MAX_MEAN_S`].
    pub fn with_aht_scale(self, factor: f64) -> Result<Self, ScaleError> {
        let all: Vec<usize> = (0..self.queues.len()).collect();
        self.with_aht_scale_of(&all, factor)
    }

    /// [`Model::with_aht_scale`] for the queues `of` only.
    pub fn with_aht_scale_of(mut self, of: &[usize], factor: f64) -> Result<Self, ScaleError> {
        let mean = |q: usize| self.queues[q].handle_time.mean_s();
        let limit = of.iter().map(|&q| MAX_MEAN_S / mean(q)).fold(f64::INFINITY, f64::min);
        for &q in of {
            let q = &mut self.queues[q];
            q.handle_time = q.handle_time.scaled(factor).map_err(|_| ScaleError::HandleTime {
                factor,
                queue: q.name.clone(),
                mean_s: q.handle_time.mean_s() * factor,
                limit,
            })?;
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_QUEUE: &str = r#"
[scenario]
name = "t"
start = "2026-11-23"
days = 1
interval_minutes = 30
timezone = "UTC"

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 180 }
arrivals = { rate_per_hour = 100 }

[[team]]
name = "T"
skills = ["q"]
agents = 10
"#;

    #[test]
    fn compiles_a_minimal_scenario() {
        let m = crate::input::compile(ONE_QUEUE, "t.toml").unwrap().model;
        assert_eq!(m.n_intervals, 48);
        assert_eq!(
            m.queues[0].arrivals,
            vec![RateSegment { start_s: 0.0, end_s: 86_400.0, rate_per_s: 100.0 / 3600.0 }]
        );
        assert_eq!(m.shifts.len(), 1);
        assert_eq!(m.queues[0].served_by, vec![0]);
        assert_eq!(m.interval_start(1).to_string(), "2026-11-23T00:30:00+00:00[UTC]");
    }

    #[test]
    fn a_spring_forward_day_has_46_half_hours_and_skips_the_lost_hour() {
        let src = ONE_QUEUE.replace("2026-11-23", "2026-03-08").replace("\"UTC\"", "\"America/New_York\"").replace(
            "{ rate_per_hour = 100 }",
            &format!("{{ rates_per_hour = [{}] }}", (0..48).map(|k| k.to_string()).collect::<Vec<_>>().join(", ")),
        );
        let m = crate::input::compile(&src, "t.toml").unwrap().model;
        assert_eq!(m.days[0].intervals, 46);
        // 02:00 and 02:30 (indices 4, 5) did not happen: rate of interval 6 follows 3.
        let rates: Vec<f64> = m.queues[0].arrivals.iter().map(|s| (s.rate_per_s * 3600.0).round()).collect();
        assert_eq!(&rates[..5], &[0.0, 1.0, 2.0, 3.0, 6.0]);
    }

    #[test]
    fn shifts_follow_the_team_zone_across_dst() {
        let src = ONE_QUEUE.replace("2026-11-23", "2026-03-08").replace("days = 1", "days = 2").replace(
            "agents = 10",
            "timezone = \"America/New_York\"\n[[team.shift]]\nstart = \"08:00\"\nhours = 8\nagents = 3\n",
        );
        let m = crate::input::compile(&src, "t.toml").unwrap().model;
        // 2026-03-07 08:00 EST = 13:00 UTC; from 2026-03-08, 08:00 EDT = 12:00 UTC.
        let logins: Vec<f64> = m.shifts.iter().map(|s| s.login_s / 3600.0).collect();
        assert_eq!(logins, vec![12.0, 36.0]);
    }

    /// `paid_seconds` scanned every shift for every team and period, and
    /// `mean_rate` every segment for every interval: quadratic in the days.
    /// Bisection must find exactly the same figures as the full scan.
    #[test]
    fn paid_seconds_and_mean_rate_by_bisection_match_a_full_scan() {
        let rates: Vec<String> = (0..48).map(|k| (k * 7 % 13).to_string()).collect();
        let src = ONE_QUEUE
            .replace("days = 1", "days = 120\nwarmup_hours = 30")
            .replace("\"UTC\"", "\"Europe/Berlin\"")
            .replace("{ rate_per_hour = 100 }", &format!("{{ rates_per_hour = [{}] }}", rates.join(", ")))
            .replace(
                "agents = 10\n",
                "agents = 10\n[[team]]\nname = \"Night\"\nskills = [\"q\"]\n\
                 [[team.shift]]\nstart = \"22:00\"\nhours = 10\nagents = 3\n\
                 [[team.shift]]\nstart = \"02:30\"\nhours = 24\nagents = 2\ndays = [\"Sat\"]\n",
            );
        let m = crate::input::compile(&src, "t.toml").unwrap().model;
        let full_paid = |t: usize, from: f64, to: f64| -> f64 {
            m.shifts
                .iter()
                .filter(|s| s.team == t)
                .map(|s| (s.logout_s.min(to) - s.login_s.max(from)).max(0.0) * s.agents as f64)
                .fold(0.0, |a, b| a + b)
        };
        let q = &m.queues[0];
        let full_rate = |a: f64, b: f64| -> f64 {
            let v = q.arrivals.iter().map(|s| (s.end_s.min(b) - s.start_s.max(a)).max(0.0) * s.rate_per_s);
            v.fold(0.0, |x, y| x + y) / (b - a)
        };
        let spans = m
            .days
            .iter()
            .map(|d| (d.first_interval, d.first_interval + d.intervals))
            .chain((0..m.n_intervals).step_by(7).map(|i| (i, i + 1)))
            .chain([(0, m.n_intervals), (3, 2000)]);
        for (a, b) in spans {
            let (from, to) = (a as f64 * m.interval_s, b as f64 * m.interval_s);
            for t in 0..2 {
                assert_eq!(m.paid_seconds(t, from, to).to_bits(), full_paid(t, from, to).to_bits(), "{t} {a}..{b}");
            }
            assert_eq!(q.mean_rate(from, to).to_bits(), full_rate(from, to).to_bits(), "{a}..{b}");
        }
        // Around the warm-up, too.
        assert_eq!(m.paid_seconds(1, -m.warmup_s, 0.0), full_paid(1, -m.warmup_s, 0.0));
        assert_eq!(m.paid_seconds(0, 0.0, 86_400.0), 10.0 * 86_400.0);
        assert_eq!(q.mean_rate(5.0, 5.0), 0.0);
    }

    #[test]
    fn scaling_rescales_rates_and_handle_times() {
        let m = crate::input::compile(ONE_QUEUE, "t.toml").unwrap().model.with_volume_scale(1.2).unwrap();
        let m = m.with_aht_scale(0.9).unwrap();
        assert!((m.queues[0].arrivals[0].rate_per_s * 3600.0 - 120.0).abs() < 1e-9);
        assert!((m.queues[0].handle_time.mean_s() - 162.0).abs() < 1e-9);
    }
}
