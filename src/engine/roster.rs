//! The roster as the simulation lives it: which agents each shift instance
//! put on duty, which the staffing search put on duty, and the timed
//! events a shift instance brings (its breaks, member by member, and its
//! logout).

use super::calendar::Event;
use crate::model::ShiftInstance;

/// A list of agents on duty: a shift instance's or the staffing search's
/// pool of a team.
#[derive(Clone, Copy)]
pub(super) enum Members {
    /// Shift instance `s`'s agents.
    Shift(usize),
    /// Team `t`'s agents put on duty by the staffing search.
    Pool(usize),
}

#[derive(Clone)]
pub(super) struct Roster {
    /// Per shift instance, its agents while it is on.
    members: Vec<Vec<u32>>,
    /// Per team, the agents put on duty by the staffing search.
    pub(super) pool: Vec<Vec<u32>>,
}

impl Roster {
    pub(super) fn new(shifts: usize, teams: usize) -> Self {
        Roster { members: vec![Vec::new(); shifts], pool: vec![Vec::new(); teams] }
    }

    /// Shift instance `s` is on with these agents.
    pub(super) fn start(&mut self, s: usize, members: Vec<u32>) {
        self.members[s] = members;
    }

    /// The agents of list `of`.
    pub(super) fn list(&mut self, of: Members) -> &mut Vec<u32> {
        match of {
            Members::Shift(s) => &mut self.members[s],
            Members::Pool(t) => &mut self.pool[t],
        }
    }

    /// Member `k` of shift instance `s`, while the shift is on.
    pub(super) fn member(&self, s: usize, k: usize) -> Option<u32> {
        self.members[s].get(k).copied()
    }

    /// Shift instance `s` ends: its agents.
    pub(super) fn end(&mut self, s: usize) -> Vec<u32> {
        std::mem::take(&mut self.members[s])
    }
}

/// The timed events shift instance `s` brings: every member's breaks
/// (staggered over each break's window) and its logout.
pub(super) fn shift_events(s: usize, shift: &ShiftInstance) -> impl Iterator<Item = (f64, Event)> + '_ {
    let n = shift.agents as usize;
    let breaks = shift.breaks.iter().enumerate().flat_map(move |(b, brk)| {
        (0..n).map(move |k| (brk.start_of(k, n), Event::BreakStart(s as u32, b as u32, k as u32)))
    });
    let logout = shift.logout_s.is_finite().then_some((shift.logout_s, Event::Logout(s as u32)));
    breaks.chain(logout)
}
