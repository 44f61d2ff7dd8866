//! Outages and holidays as the simulation lives them: per team, how many
//! outages and holidays are in force now, and the timed events that begin
//! and end them. During an outage a team takes no new contacts (its agents
//! stay logged in and finish what they hold); a holiday of a team always
//! on duty logs its agents out until it ends (a team with shifts has lost
//! those shifts in the model already). An outage limited to queues stops
//! only those queues' contacts reaching the team.

use super::calendar::Event;
use crate::model::Model;

#[derive(Clone)]
pub(super) struct Downtime {
    /// Per team, outages in force.
    out: Vec<u32>,
    /// Per team, holidays in force.
    away: Vec<u32>,
    /// Per team and queue (`team × queues + queue`), outages limited to
    /// queues in force that stop it.
    stopped: Vec<u32>,
    /// Queues of the model.
    queues: usize,
    /// Outages limited to queues in force, all teams together: while 0,
    /// routing looks at none of `stopped`.
    partial: u32,
    /// Teams with an outage in force: while 0, a freed agent's team is
    /// known to take work without reading `out` (a line a team out of
    /// cache with many teams).
    teams_out: u32,
}

impl Downtime {
    pub(super) fn new(teams: usize, queues: usize) -> Self {
        Downtime {
            out: vec![0; teams],
            away: vec![0; teams],
            stopped: vec![0; teams * queues],
            queues,
            partial: 0,
            teams_out: 0,
        }
    }

    /// Whether some outage limited to queues is in force.
    #[inline]
    pub(super) fn any_partial(&self) -> bool {
        self.partial > 0
    }

    /// Whether team `t` takes no new contacts of queue `q` now (an outage
    /// limited to queues; a whole outage is [`Downtime::is_out`]).
    #[inline]
    pub(super) fn stops(&self, t: usize, q: usize) -> bool {
        self.partial > 0 && self.stopped[t * self.queues + q] > 0
    }

    /// An outage limited to `queues` of team `t` begins or ends.
    pub(super) fn change_queues(&mut self, t: usize, queues: &[usize], begins: bool) {
        for &q in queues {
            let count = &mut self.stopped[t * self.queues + q];
            *count = if begins { *count + 1 } else { count.saturating_sub(1) };
        }
        self.partial = if begins { self.partial + 1 } else { self.partial.saturating_sub(1) };
    }

    /// Whether team `t` takes no new contacts now.
    #[inline]
    pub(super) fn is_out(&self, t: usize) -> bool {
        self.teams_out > 0 && self.out[t] > 0
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
        let was = *count;
        *count = if begins { was + 1 } else { was.saturating_sub(1) };
        let now = *count;
        if outage && (was == 0) != (now == 0) {
            self.teams_out = if now == 0 { self.teams_out - 1 } else { self.teams_out + 1 };
        }
        if begins {
            now == 1
        } else {
            now == 0
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
        for (k, o) in team.queue_outages.iter().enumerate() {
            if o.window.end_s > start {
                out.push((o.window.start_s.max(start), Event::QueueOutage(t as u32, k as u32, true)));
                out.push((o.window.end_s, Event::QueueOutage(t as u32, k as u32, false)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A team is out from its first outage's start to its last one's end,
    /// however outages of several teams overlap; a holiday is no outage.
    #[test]
    fn a_team_is_out_while_any_of_its_outages_is_in_force() {
        let mut d = Downtime::new(3, 2);
        let out = |d: &Downtime| (0..3).map(|t| d.is_out(t)).collect::<Vec<_>>();
        assert_eq!(out(&d), [false, false, false]);
        assert!(d.change(1, true, true));
        assert!(!d.change(1, true, true));
        assert!(d.change(2, true, true));
        assert!(d.change(0, false, true));
        assert_eq!(out(&d), [false, true, true]);
        assert!(!d.change(1, true, false));
        assert_eq!(out(&d), [false, true, true]);
        assert!(d.change(1, true, false));
        assert_eq!(out(&d), [false, false, true]);
        // An end with none in force changes nothing.
        assert!(d.change(1, true, false));
        assert_eq!(out(&d), [false, false, true]);
        assert!(d.change(2, true, false));
        assert_eq!(out(&d), [false, false, false]);
        assert!(d.is_away(0));
    }
}
