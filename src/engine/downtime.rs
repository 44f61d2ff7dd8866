//! Outages and holidays as the simulation lives them: per team, how many
//! outages and holidays are in force now, and the timed events that begin
//! and end them. During an outage a team takes no new contacts (its agents
//! stay logged in and finish what they hold); a holiday of a team always
//! on duty logs its agents out until it ends (a team with shifts has lost
//! those shifts in the model already).

use super::calendar::Event;
use crate::model::Model;

#[derive(Clone)]
pub(super) struct Downtime {
    /// Per team, outages in force.
    out: Vec<u32>,
    /// Per team, holidays in force.
    away: Vec<u32>,
}

impl Downtime {
    pub(super) fn new(teams: usize) -> Self {
        Downtime { out: vec![0; teams], away: vec![0; teams] }
    }

    /// Whether team `t` takes no new contacts now.
    #[inline]
    pub(super) fn is_out(&self, t: usize) -> bool {
        self.out[t] > 0
    }

    /// Whether team `t` is on holiday now.
    pub(super) fn is_away(&self, t: usize) -> bool {
        self.away[t] > 0
    }

    /// An outage (`outage`) or holiday of team `t` begins or ends; returns
    /// whether that changed the team's state (the first to begin, the last
    /// to end).
    pub(super) fn change(&mut self, t: usize, outage: bool, begins: bool) -> bool {
        let count = if outage { &mut self.out[t] } else { &mut self.away[t] };
        if begins {
            *count += 1;
            *count == 1
        } else {
            *count = count.saturating_sub(1);
            *count == 0
        }
    }
}

/// The timed events of every team's outages and (for a team always on
/// duty) holidays that end after `start` (seconds): each window's start
/// (not before `start`) and end.
pub(super) fn events(model: &Model, start: f64) -> Vec<(f64, Event)> {
    let mut out = Vec::new();
    for (t, team) in model.teams.iter().enumerate() {
        let always_on =
            !team.holidays.is_empty() && model.shifts.iter().any(|s| s.team == t && s.logout_s.is_infinite());
        let holidays = team.holidays.iter().filter(|_| always_on).map(|w| (w, false));
        for (w, outage) in team.outages.iter().map(|w| (w, true)).chain(holidays) {
            if w.end_s > start {
                out.push((w.start_s.max(start), Event::Downtime(t as u32, outage, true)));
                out.push((w.end_s, Event::Downtime(t as u32, outage, false)));
            }
        }
    }
    out
}
