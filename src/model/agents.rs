//! Agents as people: who works a rostered team's shifts, under what
//! contract, when they can work, their time off and their wishes. Compiled
//! from `[[agent]]` (or `schedule --agents FILE`) by
//! `input::compile::agents`; `crate::assign` gives each of the anonymous
//! cover's shifts to one of them. Times of day are the team's local wall
//! clock, dates its local civil dates.

use jiff::civil::Date;

/// Most agents one scenario (or agents file) may list.
pub const MAX_AGENTS: usize = 100_000;
/// Default longest paid week when a contract names none: `[staffing]
/// paid_hours_per_week` (40 by default).
pub const DEFAULT_MAX_DAYS: u8 = 5;
/// Default least rest between two shifts, hours (the EU working-time
/// directive's daily rest).
pub const DEFAULT_MIN_REST_HOURS: f64 = 11.0;
/// A shift ending after this time of day (team-local, minutes after
/// midnight of its login date), or on a later date, is a late shift for
/// fairness.
pub const LATE_END_MINUTES: u32 = 20 * 60;

/// One person who may be rostered.
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    /// Unique id (letters, digits, `-`, `_`, `.`, `@`), as reports and
    /// calendar file names give it.
    pub id: String,
    /// The team (index into the model's teams).
    pub team: usize,
    /// Queues the agent takes, ascending, when they differ from the
    /// team's; `None`: the team's.
    pub skills: Option<Vec<usize>>,
    /// Hours, days, rest and the rules whose shifts the agent may work.
    pub contract: Contract,
    /// When the agent can work, by team-local weekday.
    pub availability: Availability,
    /// Whole team-local dates off, ascending, each once.
    pub time_off: Vec<Date>,
    /// Wishes, met as far as coverage allows.
    pub preferences: Preferences,
}

/// What an agent's contract allows in each week of the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    /// Least paid hours in a week the agent works at all (lowered for
    /// time off, holidays and a week cut short by the horizon; see
    /// `assign`).
    pub min_hours: f64,
    /// Most paid hours in a week.
    pub max_hours: f64,
    /// Most days with a shift in a week, 1 to 7.
    pub max_days: u8,
    /// Least time between the end of one shift and the start of the next,
    /// seconds.
    pub min_rest_s: f64,
    /// The team's rules whose shifts the agent may work (indices into the
    /// team's rules), ascending.
    pub rules: Vec<usize>,
}

/// When an agent can work: per weekday (Monday first), the window a
/// shift starting that day must lie in, or `None` for a day off.
#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    /// Per weekday, the window; `None`: not available that day.
    pub days: [Option<DayWindow>; 7],
}

impl Availability {
    /// Every day, any time (a shift may run into the next day).
    pub const ANY: Availability = Availability { days: [Some(DayWindow::ANY); 7] };
}

/// A window of one day, in minutes after the team-local midnight of the
/// day a shift starts; `to_minutes` may pass 1440 (the next day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayWindow {
    /// Earliest login, minutes after midnight, 0 to 1439.
    pub from_minutes: u32,
    /// Latest logout, minutes after the same midnight, more than
    /// `from_minutes`, at most 2880.
    pub to_minutes: u32,
}

impl DayWindow {
    /// The whole day and the next: no limit.
    pub const ANY: DayWindow = DayWindow { from_minutes: 0, to_minutes: 2880 };

    /// Whether a shift from `login` to `logout` minutes (after the
    /// midnight of its login date) lies inside.
    pub fn holds(&self, login: u32, logout: u32) -> bool {
        self.from_minutes <= login && logout <= self.to_minutes
    }
}

/// An agent's wishes, each broken wish costing `weight` in the soft score.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    /// Preferred logins, team-local minutes after midnight, both ends
    /// included; `None`: no wish.
    pub start: Option<(u32, u32)>,
    /// Weekdays (Monday first) the agent would rather have off.
    pub days_off: [bool; 7],
    /// Cost of one broken wish in the soft score, 0 to 100.
    pub weight: f64,
}

impl Preferences {
    /// No wishes.
    pub const NONE: Preferences = Preferences { start: None, days_off: [false; 7], weight: 1.0 };
}
