//! The hard rules an agent's shifts must keep: the team, the contract's
//! rules, availability, time off, the team's holidays, one shift a day,
//! the rest between shifts, and per week the days, the most hours and —
//! in a week the agent works at all — the least hours.
//!
//! A date of time off counts as a day of the contract: in its week the
//! agent may work one day fewer (`max_days` − 1), `max_hours / max_days`
//! fewer hours, and needs `min_hours / max_days` fewer. A date the team
//! has a holiday on (any part of the day; the agent may still work what
//! is open of it) lowers only the least hours, by the same share. The
//! least hours of a week cut short by the horizon are also × its reported
//! days / 7, and never below 0.

use jiff::civil::Date;
use jiff::ToSpan;

use super::shifts::DayShift;
use crate::model::agents::Agent;
use crate::model::Model;

/// Why an agent cannot hold a shift (or a set of shifts), in the order
/// the rules are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Why {
    /// The shift belongs to another team.
    Team,
    /// The contract does not allow the shift's rule.
    Rule,
    /// The shift does not fit the agent's availability that weekday.
    Availability,
    /// The shift touches a date the agent has off.
    TimeOff,
    /// The shift starts in one of the team's holidays.
    Holiday,
    /// The shift alone is longer than the most hours of its week (the
    /// contract's, less time off).
    Length,
    /// The agent already works that date.
    SameDay,
    /// Too little rest before or after another of the agent's shifts.
    Rest,
    /// More days in the week than the contract allows.
    MaxDays,
    /// More hours in the week than the contract allows.
    MaxHours,
    /// Fewer hours in a week worked than the contract's minimum.
    MinHours,
}

impl Why {
    /// In words, for a count of agents (`3 on time off`).
    pub fn words(self) -> &'static str {
        match self {
            Why::Team => "of another team",
            Why::Rule => "not contracted for the shift's rule",
            Why::Availability => "not available then",
            Why::TimeOff => "on time off",
            Why::Holiday => "on the team's holiday",
            Why::Length => "with max_hours below the shift's length",
            Why::SameDay => "already working that day",
            Why::Rest => "short of rest next to another shift",
            Why::MaxDays => "at max_days",
            Why::MaxHours => "at max_hours",
            Why::MinHours => "unable to reach min_hours that week",
        }
    }

    /// As a key in JSON and CSV.
    pub fn key(self) -> &'static str {
        match self {
            Why::Team => "team",
            Why::Rule => "rule",
            Why::Availability => "availability",
            Why::TimeOff => "time_off",
            Why::Holiday => "holiday",
            Why::Length => "length",
            Why::SameDay => "same_day",
            Why::Rest => "rest",
            Why::MaxDays => "max_days",
            Why::MaxHours => "max_hours",
            Why::MinHours => "min_hours",
        }
    }
}

/// What the rules need to know about the horizon and the agents.
pub struct Rules<'a> {
    /// The model (teams, holidays).
    pub model: &'a Model,
    /// The cover's day shifts.
    pub shifts: &'a [DayShift],
    /// The agents.
    pub agents: &'a [Agent],
    /// Per agent and week, what the contract allows that week.
    pub weeks: Vec<Vec<Week>>,
}

/// What an agent's contract allows in one week of the horizon, its time
/// off and the team's holidays counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Week {
    /// Least paid hours, if the agent works that week at all.
    pub min_hours: f64,
    /// Most paid hours.
    pub max_hours: f64,
    /// Most days with a shift.
    pub max_days: u8,
}

/// Hours a sum may pass a limit by and still keep it (rounding).
const EPS_HOURS: f64 = 1e-6;

impl<'a> Rules<'a> {
    /// The rules of `agents` on `shifts`.
    pub fn new(model: &'a Model, shifts: &'a [DayShift], agents: &'a [Agent]) -> Self {
        let weeks = agents.iter().map(|a| weeks(model, a)).collect();
        Rules { model, shifts, agents, weeks }
    }

    /// Why agent `a` may never hold shift `s`, whatever else it holds.
    pub fn alone(&self, a: usize, s: usize) -> Option<Why> {
        let (agent, shift) = (&self.agents[a], &self.shifts[s]);
        if agent.team != shift.team {
            return Some(Why::Team);
        }
        if agent.contract.rules.binary_search(&shift.rule).is_err() {
            return Some(Why::Rule);
        }
        match agent.availability.days[shift.weekday] {
            Some(w) if w.holds(shift.login_minute, shift.logout_minute) => {}
            _ => return Some(Why::Availability),
        }
        if touches_time_off(agent, shift) {
            return Some(Why::TimeOff);
        }
        if self.model.teams[shift.team].holidays.iter().any(|h| h.contains(shift.login_s)) {
            return Some(Why::Holiday);
        }
        if shift.hours > self.weeks[a][shift.week].max_hours + EPS_HOURS {
            return Some(Why::Length);
        }
        None
    }

    /// Why agent `a` may not hold exactly `held` (shift indices by login,
    /// each allowed [`Rules::alone`]); with `least` the weeks worked must
    /// reach their least hours too.
    pub fn together(&self, a: usize, held: &[usize], least: bool) -> Option<Why> {
        let c = &self.agents[a].contract;
        let limits = &self.weeks[a];
        for pair in held.windows(2) {
            let (x, y) = (&self.shifts[pair[0]], &self.shifts[pair[1]]);
            if x.date == y.date {
                return Some(Why::SameDay);
            }
            if y.login_s - x.logout_s < c.min_rest_s - 1e-6 {
                return Some(Why::Rest);
            }
        }
        let mut k = 0;
        while k < held.len() {
            let week = self.shifts[held[k]].week;
            let (mut days, mut hours) = (0u8, 0.0);
            while k < held.len() && self.shifts[held[k]].week == week {
                days += 1;
                hours += self.shifts[held[k]].hours;
                k += 1;
            }
            if days > limits[week].max_days {
                return Some(Why::MaxDays);
            }
            if hours > limits[week].max_hours + EPS_HOURS {
                return Some(Why::MaxHours);
            }
            if least && hours < limits[week].min_hours - EPS_HOURS {
                return Some(Why::MinHours);
            }
        }
        None
    }

    /// Why agent `a`, holding `held`, may not also hold `s` (`least` as in
    /// [`Rules::together`]).
    pub fn adding(&self, a: usize, held: &[usize], s: usize, least: bool) -> Option<Why> {
        self.alone(a, s).or_else(|| self.together(a, &with(self.shifts, held, &[s], &[]), least))
    }
}

/// `held` with `add` added and `drop` taken out, by login.
pub fn with(shifts: &[DayShift], held: &[usize], add: &[usize], drop: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = held.iter().copied().filter(|s| !drop.contains(s)).chain(add.iter().copied()).collect();
    out.sort_by(|&x, &y| shifts[x].login_s.total_cmp(&shifts[y].login_s).then(x.cmp(&y)));
    out
}

/// Whether `shift` overlaps any of `agent`'s dates off (team-local).
fn touches_time_off(agent: &Agent, shift: &DayShift) -> bool {
    let last_day = (shift.logout_minute.saturating_sub(1) / 1440) as i64;
    (0..=last_day).any(|k| shift.date.checked_add(k.days()).is_ok_and(|d| agent.time_off.binary_search(&d).is_ok()))
}

/// What agent `a`'s contract allows in each week of the horizon.
fn weeks(model: &Model, a: &Agent) -> Vec<Week> {
    let c = &a.contract;
    let share = 1.0 / f64::from(c.max_days);
    model
        .days
        .chunks(7)
        .map(|days| {
            let off = days.iter().filter(|d| a.time_off.binary_search(&d.date).is_ok()).count();
            let holidays = days
                .iter()
                .filter(|d| a.time_off.binary_search(&d.date).is_err() && holiday(model, a.team, d.date))
                .count();
            let cut = days.len() as f64 / 7.0;
            Week {
                min_hours: (c.min_hours * (cut - share * (off + holidays) as f64)).max(0.0),
                max_hours: (c.max_hours * (1.0 - share * off as f64)).max(0.0),
                max_days: c.max_days.saturating_sub(off.min(255) as u8),
            }
        })
        .collect()
}

/// Whether team `t` has a holiday on any part of its local `date`.
pub fn holiday(model: &Model, t: usize, date: Date) -> bool {
    let team = &model.teams[t];
    if team.holidays.is_empty() {
        return false;
    }
    let tz = &team.timezone;
    let start =
        |d: Date| d.to_zoned(tz.clone()).ok().map(|z| z.timestamp().as_second() - model.report_start.as_second());
    let (Some(a), Some(b)) = (start(date), date.checked_add(1.days()).ok().and_then(start)) else { return false };
    team.holidays.iter().any(|h| h.overlap(a as f64, b as f64) > 0.0)
}
