//! Shift patterns as written (a start, a length, the days it starts on,
//! its breaks) and how they are laid on the calendar as concrete
//! [`ShiftInstance`]s, in the team's zone. The compiler lays a scenario's
//! shifts this way; `schedule` lays its candidate shifts the same way.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::{Break, ShiftInstance};

/// A recurring shift: `agents` agents log in at `start` (team-local wall
/// clock) on each day of `days` and work `length_s` real seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftPattern {
    /// Login, local time of day.
    pub start: Time,
    /// Paid length, seconds.
    pub length_s: f64,
    /// Days of the week it starts on, Monday first.
    pub days: [bool; 7],
    /// Agents on it.
    pub agents: u32,
    /// Breaks with starts relative to the login.
    pub breaks: Vec<Break>,
}

/// The simulated span, as instants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Horizon {
    /// First reported instant; times are seconds from it.
    pub report_start: Timestamp,
    /// Start of the warm-up (or `report_start`).
    pub sim_start: Timestamp,
    /// End of the reported span.
    pub report_end: Timestamp,
}

impl Horizon {
    fn seconds(&self, ts: Timestamp) -> f64 {
        (ts.as_second() - self.report_start.as_second()) as f64
    }
}

impl ShiftPattern {
    /// Its instances that overlap the simulated span, each starting at the
    /// local wall-clock time on its local date (DST-correct: an 8-hour shift
    /// lasts 8 real hours on the night clocks change).
    pub fn instances(&self, team: usize, tz: &TimeZone, horizon: &Horizon) -> Vec<ShiftInstance> {
        let mut out = Vec::new();
        let sim_start = horizon.seconds(horizon.sim_start);
        let end = horizon.seconds(horizon.report_end);
        let first = horizon.sim_start.to_zoned(tz.clone()).date().checked_sub(1.days()).expect("date in range");
        let last = horizon.report_end.to_zoned(tz.clone()).date();
        let mut date = first;
        while date <= last {
            if let Some(login_s) = self.login_on(date, tz, horizon) {
                let logout_s = login_s + self.length_s;
                if logout_s > sim_start && login_s < end && self.agents > 0 {
                    out.push(ShiftInstance {
                        team,
                        login_s: login_s.max(sim_start),
                        logout_s,
                        agents: self.agents,
                        breaks: self
                            .breaks
                            .iter()
                            .map(|b| Break { start_s: login_s + b.start_s, ..*b })
                            .filter(|b| b.start_s >= sim_start)
                            .collect(),
                    });
                }
            }
            date = date.checked_add(1.days()).expect("date in range");
        }
        out
    }

    /// Its login on `date`, seconds, when it starts that day. A day the
    /// zone skipped has no shift (its start would move to the next day,
    /// beside that day's own).
    fn login_on(&self, date: Date, tz: &TimeZone, horizon: &Horizon) -> Option<f64> {
        let exists = date.to_zoned(tz.clone()).is_ok_and(|z| z.date() == date);
        if !exists || !self.days[date.weekday().to_monday_zero_offset() as usize] {
            return None;
        }
        let login = date.to_datetime(self.start).to_zoned(tz.clone()).ok()?;
        Some(horizon.seconds(login.timestamp()))
    }
}

impl super::Model {
    /// `pattern` laid on the calendar for team `t`, less the instances
    /// that start in one of the team's holidays (not worked, as the
    /// compiler drops the scenario's own shifts then).
    pub fn lay(&self, t: usize, pattern: &ShiftPattern) -> Vec<ShiftInstance> {
        let mut out = pattern.instances(t, &self.teams[t].timezone, &self.horizon());
        let holidays = &self.teams[t].holidays;
        if !holidays.is_empty() {
            out.retain(|s| !holidays.iter().any(|w| w.contains(s.login_s)));
        }
        out
    }

    /// Per reported interval, whether team `t` can have agents on duty in
    /// it: a fixed shift (or the team's always-on agents) covers it, or a
    /// shift its rules allow would (any allowed start, the longest length,
    /// any day but the team's holidays).
    pub fn can_work(&self, t: usize) -> Vec<bool> {
        let mut open = vec![false; self.n_intervals];
        let team = &self.teams[t];
        let ruled = team.rules.iter().flat_map(|rule| {
            let longest = rule.hours.last().copied().unwrap_or(0.0);
            rule.starts.iter().map(move |&start| ShiftPattern {
                start,
                length_s: longest * 3600.0,
                days: [true; 7],
                agents: 1,
                breaks: Vec::new(),
            })
        });
        let ruled: Vec<ShiftInstance> = ruled.flat_map(|p| self.lay(t, &p)).collect();
        let fixed = self.shifts.iter().filter(|s| s.team == t && s.agents > 0);
        for s in fixed.chain(&ruled) {
            open[self.intervals_touched(s.login_s, s.logout_s)].iter_mut().for_each(|x| *x = true);
        }
        open
    }
}
