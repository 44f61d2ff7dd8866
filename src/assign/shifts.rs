//! The anonymous cover as day shifts: each roster block of `n` agents is
//! `n` units (one anonymous agent's weeks), each unit the block's shifts
//! laid on the calendar (less the team's holidays), one per day it starts
//! on, with the team-local facts the rules need: date, weekday, minutes
//! after that date's midnight, the week of the horizon, weekend and late.

use jiff::civil::Date;
use jiff::Timestamp;

use crate::model::agents::LATE_END_MINUTES;
use crate::model::{Break, Model, ShiftPattern};
use crate::schedule::Schedule;

/// One shift of one day, to be given to one agent.
#[derive(Debug, Clone, PartialEq)]
pub struct DayShift {
    /// The team.
    pub team: usize,
    /// Its rule (index into the team's rules).
    pub rule: usize,
    /// The roster block it comes from (index into [`Schedule::shifts`]).
    pub block: usize,
    /// The unit (one anonymous agent of the block) it comes from.
    pub unit: usize,
    /// Login, seconds from the first reported instant.
    pub login_s: f64,
    /// Logout, seconds.
    pub logout_s: f64,
    /// Its breaks, starts in seconds from the first reported instant.
    pub breaks: Vec<Break>,
    /// Team-local date of the login.
    pub date: Date,
    /// Team-local weekday of the login, Monday = 0.
    pub weekday: usize,
    /// Login, team-local minutes after the midnight of `date`.
    pub login_minute: u32,
    /// Logout, team-local minutes after the midnight of `date` (past 1440
    /// on the next day).
    pub logout_minute: u32,
    /// Week of the horizon (7 reported days from the first), from 0.
    pub week: usize,
    /// Paid hours (the whole shift, breaks included).
    pub hours: f64,
    /// Whether it starts on a team-local Saturday or Sunday.
    pub weekend: bool,
    /// Whether it ends after [`LATE_END_MINUTES`] (or on a later date).
    pub late: bool,
}

/// One anonymous agent of the cover: the day shifts of one agent of a
/// block, by login.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The team.
    pub team: usize,
    /// The block (index into [`Schedule::shifts`]).
    pub block: usize,
    /// Its day shifts (indices), by login.
    pub shifts: Vec<usize>,
}

/// Weeks of the horizon: its reported days in sevens, the last maybe
/// shorter.
pub fn weeks(model: &Model) -> usize {
    model.days.len().div_ceil(7)
}

/// The week of the horizon instant `seconds` falls in (reporting zone),
/// clamped to the horizon's weeks.
pub fn week_of(model: &Model, seconds: f64) -> usize {
    let date = model.instant(seconds).date();
    let first = model.days[0].date;
    let days = first.until(date).map_or(0, |s| s.get_days().max(0) as usize);
    (days / 7).min(weeks(model) - 1)
}

/// The cover's day shifts (those starting inside the reported horizon)
/// and its units, block by block in roster order.
pub fn day_shifts(model: &Model, schedule: &Schedule) -> (Vec<DayShift>, Vec<Unit>) {
    let mut shifts = Vec::new();
    let mut units = Vec::new();
    let end = model.report_end_s();
    for (b, block) in schedule.shifts.iter().enumerate() {
        let team = &model.teams[block.team];
        let rule = team.rules.iter().position(|r| r.name == block.rule).unwrap_or(0);
        let one = ShiftPattern { agents: 1, ..block.pattern.clone() };
        let laid: Vec<_> =
            model.lay(block.team, &one).into_iter().filter(|s| s.login_s >= 0.0 && s.login_s < end).collect();
        for _ in 0..block.pattern.agents {
            let unit = units.len();
            let mut own = Vec::with_capacity(laid.len());
            for s in &laid {
                let login = local(model, s.login_s, &team.timezone);
                let logout = local(model, s.logout_s, &team.timezone);
                let date = login.date();
                let after = |z: &jiff::Zoned| {
                    let days = date.until(z.date()).map_or(0, |d| d.get_days().max(0) as u32);
                    days * 1440 + z.hour() as u32 * 60 + z.minute() as u32
                };
                let (login_minute, logout_minute) = (after(&login), after(&logout));
                let weekday = date.weekday().to_monday_zero_offset() as usize;
                own.push(shifts.len());
                shifts.push(DayShift {
                    team: block.team,
                    rule,
                    block: b,
                    unit,
                    login_s: s.login_s,
                    logout_s: s.logout_s,
                    breaks: s.breaks.clone(),
                    date,
                    weekday,
                    login_minute,
                    logout_minute,
                    week: week_of(model, s.login_s),
                    hours: (s.logout_s - s.login_s) / 3600.0,
                    weekend: weekday >= 5,
                    late: logout_minute > LATE_END_MINUTES,
                });
            }
            units.push(Unit { team: block.team, block: b, shifts: own });
        }
    }
    (shifts, units)
}

/// Instant `seconds` (from the first reported instant) in zone `tz`.
pub fn local(model: &Model, seconds: f64, tz: &jiff::tz::TimeZone) -> jiff::Zoned {
    let ts = Timestamp::from_second(model.report_start.as_second() + seconds.round() as i64)
        .expect("instants of a compiled model are in range");
    ts.to_zoned(tz.clone())
}
