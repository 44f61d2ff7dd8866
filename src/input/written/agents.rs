//! `[[agent]]` as written: the people `wfmsim schedule` rosters, nothing
//! checked beyond syntax and types (`input::compile::agents` checks the
//! values, with their places). An agents CSV (`schedule --agents FILE`,
//! read by `input::agents`) is read into the same types, each cell's
//! place kept, so both are checked by one compiler.

use serde::Deserialize;
use toml::Spanned;

/// `[[agent]]`: one person.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    /// Unique id.
    pub id: Spanned<String>,
    /// The team's name.
    pub team: Spanned<String>,
    /// Queues the agent takes, where they differ from the team's skills.
    pub skills: Option<Spanned<Vec<Spanned<String>>>>,
    /// Hours, days, rest and allowed rules (every key optional).
    pub contract: Option<Spanned<ContractSpec>>,
    /// Windows by weekday; days not listed are days off (default: any
    /// day, any time).
    pub availability: Option<Spanned<AvailabilitySpec>>,
    /// Dates off, "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" (both included).
    pub time_off: Option<Spanned<Vec<Spanned<String>>>>,
    /// Wishes, met as far as coverage allows.
    pub preferences: Option<Spanned<PreferencesSpec>>,
}

/// `contract = { ... }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractSpec {
    /// Least paid hours in a week worked (default 0).
    pub min_hours: Option<Spanned<f64>>,
    /// Most paid hours in a week (default `[staffing].paid_hours_per_week`).
    pub max_hours: Option<Spanned<f64>>,
    /// Most days with a shift in a week (default 5).
    pub max_days: Option<Spanned<i64>>,
    /// Least rest between two shifts, hours (default 11).
    pub min_rest_hours: Option<Spanned<f64>>,
    /// Names of the team's rules the agent may work (default: all).
    pub rules: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `availability = { Mon = "06:00-18:00", Sat = "off", ... }`: per weekday
/// a window "HH:MM-HH:MM" a shift starting that day must lie in, or "off".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilitySpec {
    /// Monday.
    #[serde(rename = "Mon")]
    pub mon: Option<Spanned<String>>,
    /// Tuesday.
    #[serde(rename = "Tue")]
    pub tue: Option<Spanned<String>>,
    /// Wednesday.
    #[serde(rename = "Wed")]
    pub wed: Option<Spanned<String>>,
    /// Thursday.
    #[serde(rename = "Thu")]
    pub thu: Option<Spanned<String>>,
    /// Friday.
    #[serde(rename = "Fri")]
    pub fri: Option<Spanned<String>>,
    /// Saturday.
    #[serde(rename = "Sat")]
    pub sat: Option<Spanned<String>>,
    /// Sunday.
    #[serde(rename = "Sun")]
    pub sun: Option<Spanned<String>>,
}

impl AvailabilitySpec {
    /// The days as written, Monday first.
    pub fn days(&self) -> [&Option<Spanned<String>>; 7] {
        [&self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun]
    }

    /// Day `d` (Monday = 0), to fill.
    pub fn day_mut(&mut self, d: usize) -> &mut Option<Spanned<String>> {
        match d {
            0 => &mut self.mon,
            1 => &mut self.tue,
            2 => &mut self.wed,
            3 => &mut self.thu,
            4 => &mut self.fri,
            5 => &mut self.sat,
            _ => &mut self.sun,
        }
    }
}

/// `preferences = { start = "07:00-10:00", days_off = ["Sat"], weight = 2 }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferencesSpec {
    /// Preferred logins, "HH:MM-HH:MM", both ends included.
    pub start: Option<Spanned<String>>,
    /// Weekdays preferred off.
    pub days_off: Option<Spanned<Vec<Spanned<String>>>>,
    /// Cost of each broken wish in the soft score (default 1).
    pub weight: Option<Spanned<f64>>,
}
