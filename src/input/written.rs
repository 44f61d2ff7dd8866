//! The scenario file as written: serde types for the TOML, nothing checked
//! beyond syntax and types. [`crate::input::compile()`] validates
//! and compiles it. Values that can be wrong are `Spanned`, so an error can
//! name the line and column.

pub mod agents;
pub mod plan;

use serde::Deserialize;
use toml::Spanned;

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Horizon, reporting and Monte Carlo settings.
    pub scenario: Header,
    /// The queues, one kind of contact each.
    #[serde(default)]
    pub queue: Vec<QueueSpec>,
    /// The teams (sites) of agents.
    #[serde(default)]
    pub team: Vec<TeamSpec>,
    /// Shrinkage, full-time hours and default cost for staffing reports.
    pub staffing: Option<StaffingSpec>,
    /// The long-range plan (`wfmsim plan`), checked by `input::compile::plan`.
    pub plan: Option<plan::PlanSpec>,
    /// Dated events: volume or handle-time factors, outages, closures,
    /// holidays.
    #[serde(default)]
    pub event: Vec<EventSpec>,
    /// Forecast error of every queue (see [`UncertaintySpec`]).
    pub uncertainty: Option<UncertaintySpec>,
    /// The people `wfmsim schedule` rosters, checked by
    /// `input::compile::agents`.
    #[serde(default)]
    pub agent: Vec<agents::AgentSpec>,
}

/// `[scenario]`: what is simulated and how it is reported.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// A name for reports.
    pub name: String,
    /// First reported day, a civil date (YYYY-MM-DD) in `timezone`.
    pub start: Spanned<String>,
    /// Days reported.
    pub days: Spanned<i64>,
    /// Reporting interval, minutes: 15, 30 or 60.
    pub interval_minutes: Spanned<i64>,
    /// IANA zone in which intervals and days are reported.
    pub timezone: Spanned<String>,
    /// Hours simulated before `start` and not reported, to fill the queues.
    pub warmup_hours: Option<Spanned<f64>>,
    /// Monte Carlo replications (default 100).
    pub replications: Option<Spanned<i64>>,
    /// Master seed of every random stream (default 1).
    pub seed: Option<Spanned<i64>>,
    /// How service level is computed: "offered" (default),
    /// "offered_less_short_abandons" or "answered".
    pub service_level: Option<Spanned<String>>,
    /// ISO 4217 code of the currency every amount is in ("EUR"); none by
    /// default.
    pub currency: Option<Spanned<String>>,
}

/// `[[queue]]`: one kind of contact.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    /// Unique name, referred to by team skills.
    pub name: Spanned<String>,
    /// "voice" (default), "chat", "email" or "case".
    pub channel: Option<Spanned<String>>,
    /// Chat: the most chats one agent holds at once (default 1).
    pub concurrency: Option<Spanned<i64>>,
    /// Chat: with k chats open each progresses at 1 / (1 + slowdown × (k − 1))
    /// (default 0).
    pub slowdown: Option<Spanned<f64>>,
    /// Email and case: the work on hand when the simulation starts.
    pub initial_backlog: Option<Spanned<BacklogSpec>>,
    /// Handle-time distribution.
    pub handle_time: Spanned<DurationSpec>,
    /// Patience distribution; absent when nobody abandons.
    pub patience: Option<Spanned<DurationSpec>>,
    /// Service targets.
    #[serde(default)]
    pub target: TargetSpec,
    /// Arrival pattern.
    pub arrivals: Spanned<ArrivalsSpec>,
    /// This queue's forecast error, overriding `[uncertainty]` key by key.
    pub uncertainty: Option<Spanned<QueueUncertaintySpec>>,
}

/// A duration distribution, seconds.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(tag = "distribution", rename_all = "lowercase", deny_unknown_fields)]
pub enum DurationSpec {
    /// Exponential by its mean.
    Exponential {
        /// Mean, seconds.
        mean_s: f64,
    },
    /// Lognormal by mean and coefficient of variation.
    Lognormal {
        /// Mean, seconds.
        mean_s: f64,
        /// Standard deviation / mean.
        cv: f64,
    },
    /// Gamma by mean and coefficient of variation.
    Gamma {
        /// Mean, seconds.
        mean_s: f64,
        /// Standard deviation / mean.
        cv: f64,
    },
    /// Always the same value.
    Constant {
        /// The value, seconds.
        value_s: f64,
    },
}

/// `target = { ... }`: what a queue must achieve; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// Least share answered within `within_s`, in (0, 1].
    pub service_level: Option<Spanned<f64>>,
    /// Service-level threshold of a live queue, seconds (default 20).
    pub within_s: Option<Spanned<f64>>,
    /// Response-time threshold of deferred work, hours (default 24).
    pub within_hours: Option<Spanned<f64>>,
    /// Most mean wait of answered contacts, seconds.
    pub max_asa_s: Option<Spanned<f64>>,
    /// Most abandoned / offered, in [0, 1].
    pub max_abandon: Option<Spanned<f64>>,
    /// Most occupancy, in (0, 1].
    pub max_occupancy: Option<Spanned<f64>>,
    /// Deferred work: most items open at any interval boundary.
    pub max_backlog: Option<Spanned<f64>>,
}

/// `initial_backlog = { ... }`: items open when the simulation starts,
/// either a count with a mean age (ages spread evenly from 0 to twice the
/// mean) or every item's age.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BacklogSpec {
    /// Number of items.
    pub items: Option<i64>,
    /// Their mean age, hours.
    pub mean_age_hours: Option<f64>,
    /// Each item's age, hours.
    pub ages_hours: Option<Vec<f64>>,
}

/// `arrivals = { ... }`: exactly one of `rate_per_hour`, `rates_per_hour`,
/// or `daily` with `profile`, in the callers' own time zone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalsSpec {
    /// IANA zone of the callers (default: the reporting zone).
    pub timezone: Option<Spanned<String>>,
    /// One constant rate, contacts per hour.
    pub rate_per_hour: Option<Spanned<f64>>,
    /// One rate per interval of a day, contacts per hour.
    pub rates_per_hour: Option<Spanned<Vec<f64>>>,
    /// Seven daily volumes, Monday to Sunday.
    pub daily: Option<Spanned<Vec<f64>>>,
    /// One weight per interval of a day, normalised to sum to one.
    pub profile: Option<Spanned<Vec<f64>>>,
    /// Dates whose volume or intraday shape differ from the pattern.
    #[serde(rename = "override", default)]
    pub overrides: Vec<Spanned<DateOverrideSpec>>,
}

/// `override = [{ date = "2026-12-24", volume = 900 }, ...]` in `arrivals`:
/// one local date of the callers with its own volume, its own intraday
/// profile, or both.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateOverrideSpec {
    /// The callers' civil date (YYYY-MM-DD).
    pub date: Spanned<String>,
    /// The day's contacts, spread by the day's profile.
    pub volume: Option<Spanned<f64>>,
    /// One weight per interval of the day, used that day instead.
    pub profile: Option<Spanned<Vec<f64>>>,
}

/// `[[event]]`: a dated change to the operation, `start` to `end` (end
/// exclusive), with exactly one effect.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// A name for reports.
    pub name: Spanned<String>,
    /// First instant: a date (its midnight) or a date and time.
    pub start: Spanned<String>,
    /// End, exclusive: a date (its midnight) or a date and time.
    pub end: Spanned<String>,
    /// IANA zone of `start` and `end` (default: the reporting zone; for a
    /// holiday, each team's zone).
    pub timezone: Option<Spanned<String>>,
    /// Arrival rates × this factor.
    pub volume: Option<Spanned<f64>>,
    /// Handle times of contacts arriving in the window × this factor.
    pub aht: Option<Spanned<f64>>,
    /// Queues a `volume` or `aht` factor or an `outage` applies to
    /// (default: all).
    pub queues: Option<Spanned<Vec<Spanned<String>>>>,
    /// Channels an `outage` applies to (`voice`, `chat`, `email`, `case`;
    /// default: all).
    pub channels: Option<Spanned<Vec<Spanned<String>>>>,
    /// Teams that take no new contacts.
    pub outage: Option<Spanned<Vec<Spanned<String>>>>,
    /// Queues that take no contacts.
    pub closed: Option<Spanned<Vec<Spanned<String>>>>,
    /// Teams whose shifts starting in the window are not worked.
    pub holiday: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[[team]]`: agents in one place and time zone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    /// Unique name.
    pub name: Spanned<String>,
    /// IANA zone of the team's shifts (default: the reporting zone).
    pub timezone: Option<Spanned<String>>,
    /// Queues the agents take: a queue name, or an inline table with
    /// `queue`, `priority` (1 = first), `after_s` (overflow delay) and
    /// `concurrency` (chat); read by the model compiler, which names any
    /// unknown key.
    pub skills: Spanned<Vec<Spanned<toml::Value>>>,
    /// Agents on duty all the time when the team has no shifts; otherwise
    /// the default size of each shift.
    pub agents: Option<Spanned<i64>>,
    /// Loaded cost of one agent hour, in the scenario's currency.
    pub cost_per_hour: Option<Spanned<f64>>,
    /// Price of one handled contact (a partner paid per contact), in the
    /// scenario's currency; instead of `cost_per_hour`.
    pub cost_per_contact: Option<Spanned<f64>>,
    /// Price of one full-time equivalent per month, in the scenario's
    /// currency; instead of `cost_per_hour`.
    pub cost_per_fte_month: Option<Spanned<f64>>,
    /// A share of the paid hours worked as overtime at a premium:
    /// `{ share, premium }`.
    pub overtime: Option<Spanned<PaidOvertimeSpec>>,
    /// Shifts; none means on duty all the time.
    #[serde(default)]
    pub shift: Vec<ShiftSpec>,
    /// Rules for the shifts `wfmsim schedule` may create for the team.
    #[serde(default)]
    pub shift_rule: Vec<ShiftRuleSpec>,
    /// Most share of the team's rostered agents on part-time rules' shifts,
    /// in [0, 1].
    pub max_part_time_share: Option<Spanned<f64>>,
    /// Share of agent-shifts (agent-days without shifts) missed unplanned,
    /// in [0, 1) (default 0).
    pub absence_rate: Option<Spanned<f64>>,
    /// Share of an absent agent's hours still paid (sick pay), in [0, 1]
    /// (default 1).
    pub absence_paid: Option<Spanned<f64>>,
}

/// `[[team]].overtime = { share, premium }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaidOvertimeSpec {
    /// Overtime hours / paid hours, in [0, 1].
    pub share: Spanned<f64>,
    /// Pay of an overtime hour / pay of a normal hour, 1 to 10 (default 1.5).
    pub premium: Option<Spanned<f64>>,
}

/// `[[team.shift_rule]]`: a family of shifts `schedule` may roster: every
/// allowed start, paid length, and run of consecutive days on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftRuleSpec {
    /// A label for reports (default: "rule N").
    pub name: Option<Spanned<String>>,
    /// Allowed starts, team-local: `{ from, to, every_minutes }`, both ends
    /// included.
    pub starts: Spanned<StartsSpec>,
    /// Allowed paid lengths, hours.
    pub hours: Spanned<Vec<Spanned<f64>>>,
    /// Allowed runs of consecutive days on per week, 1 to 7, wrapping
    /// around the week (default `[5]`).
    pub days_on: Option<Spanned<Vec<Spanned<i64>>>>,
    /// Days a run may begin on (default: every day).
    pub first_days: Option<Spanned<Vec<Spanned<String>>>>,
    /// Breaks, each somewhere in a window from the shift start.
    #[serde(default)]
    pub breaks: Vec<Spanned<BreakRuleSpec>>,
    /// Fewest agents on this rule's shifts.
    pub min_agents: Option<Spanned<i64>>,
    /// Most agents on this rule's shifts.
    pub max_agents: Option<Spanned<i64>>,
    /// Whether its shifts count as part-time (default false).
    pub part_time: Option<bool>,
}

/// `starts = { from = "06:00", to = "10:00", every_minutes = 30 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartsSpec {
    /// Earliest start, "HH:MM".
    pub from: String,
    /// Latest start, "HH:MM", at or after `from`.
    pub to: String,
    /// Step between starts, minutes (default 30).
    pub every_minutes: Option<i64>,
}

/// A break rule: `minutes` long, starting between `earliest_minutes` and
/// `latest_minutes` after the shift start.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakRuleSpec {
    /// Length, minutes.
    pub minutes: f64,
    /// Earliest start, minutes from the shift start.
    pub earliest_minutes: f64,
    /// Latest start, minutes from the shift start.
    pub latest_minutes: f64,
}

/// `[[team.shift]]`: a recurring working period in the team's zone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftSpec {
    /// Start, team-local time of day ("HH:MM").
    pub start: Spanned<String>,
    /// Paid length, hours (at most 24).
    pub hours: Spanned<f64>,
    /// Days of week the shift starts on ("Mon".."Sun"); default every day.
    pub days: Option<Spanned<Vec<Spanned<String>>>>,
    /// Agents on this shift (default: the team's `agents`).
    pub agents: Option<Spanned<i64>>,
    /// Breaks, each inside the shift.
    #[serde(default)]
    pub breaks: Vec<Spanned<BreakSpec>>,
}

/// A break: starts `after_minutes` into the shift, lasts `minutes`; with
/// `window_minutes` the agents' starts are spread evenly over that window.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakSpec {
    /// Minutes from the shift start.
    pub after_minutes: f64,
    /// Length, minutes.
    pub minutes: f64,
    /// Minutes over which the agents' break starts are staggered (default 0:
    /// all at once).
    pub window_minutes: Option<f64>,
}

/// `[staffing]`: how required agents turn into paid hours and cost.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffingSpec {
    /// Share of paid time not available for contacts, in [0, 1).
    pub shrinkage: Option<Spanned<f64>>,
    /// Paid hours per week of one full-time agent (default 40).
    pub paid_hours_per_week: Option<Spanned<f64>>,
    /// Cost of one paid agent hour, for queues no team prices.
    pub cost_per_hour: Option<Spanned<f64>>,
}

/// `[uncertainty]`: forecast error, drawn per replication. Each factor has
/// mean 1 and the coefficient of variation given.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertaintySpec {
    /// CV of a queue's daily busyness factor on its arrival rates (default 0).
    pub volume_cv: Option<Spanned<f64>>,
    /// Correlation of every two queues' daily factors, in [0, 1] (default 0).
    pub correlation: Option<Spanned<f64>>,
    /// CV of an independent factor per interval on top of the day's (default 0).
    pub intraday_cv: Option<Spanned<f64>>,
    /// CV of a queue's daily factor on its handle times (default 0).
    pub aht_cv: Option<Spanned<f64>>,
}

/// `uncertainty = { ... }` of one queue: overrides `[uncertainty]` key by key.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueUncertaintySpec {
    /// CV of the queue's daily busyness factor.
    pub volume_cv: Option<Spanned<f64>>,
    /// CV of its factor per interval.
    pub intraday_cv: Option<Spanned<f64>>,
    /// CV of its daily handle-time factor.
    pub aht_cv: Option<Spanned<f64>>,
}
