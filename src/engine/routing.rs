//! Routing rules: which agent an arriving contact goes to, and which
//! waiting contact a free agent takes.
//!
//! - An arriving contact goes to the longest-idle agent of a team with the
//!   skill and no overflow delay; a chat, failing that, to an agent with a
//!   free chat slot, fewest chats first.
//! - A free agent takes its highest-priority skill with anyone waiting long
//!   enough for it (a skill's `after_s`), live contacts before deferred
//!   ones of the same priority, then the contact that waited longest across
//!   the level's queues.
//! - A contact that has waited a skill's `after_s` becomes eligible for that
//!   team (overflow).
//!
//! Work per contact is bounded by the skills involved: an arriving contact
//! looks at the teams that take its queue; a free agent at its team's
//! skills whose line holds a contact (`queues::Lines` keeps, per team, a
//! bit per place of those skills, read in priority order), never at every
//! queue or team.

use std::mem::size_of;
use std::sync::Arc;

use crate::model::Model;

/// A team that takes a queue: after how long, and how many at once.
#[derive(Debug, Clone, Copy)]
pub(super) struct Route {
    pub(super) after_s: f64,
    pub(super) team: u32,
    pub(super) cap: u32,
}

/// A skill of a team, at its place among the team's skills in priority
/// order.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    pub(super) queue: usize,
    /// The team takes the queue's contacts once they have waited this
    /// long, seconds.
    pub(super) after_s: f64,
    /// Chat: the most chats of the queue an agent holds at once.
    pub(super) concurrency: u32,
    /// Its priority level, 0 first.
    pub(super) level: u32,
}

/// Per queue, the skills that take its contacts: (team, the skill's place
/// among the team's skills in priority order).
pub(super) type Takers = Arc<[Box<[(u32, u32)]>]>;

/// Bytes of the routes per queue: where its routes start, its lists of
/// overflow delays and of takers.
pub(super) const QUEUE_BYTES: usize = size_of::<u32>() + size_of::<Vec<f64>>() + size_of::<Box<[(u32, u32)]>>();
/// Bytes of the routes per skill: its route and its team's entry among
/// the routes' teams, its entry among the chat teams and overflow
/// delays, its place and taker entries, and its place on its team's list
/// of skills with someone waiting (`queues`).
pub(super) const SKILL_BYTES: usize = size_of::<Route>()
    + size_of::<u32>()
    + size_of::<(usize, u32)>()
    + size_of::<f64>()
    + size_of::<Placed>()
    + size_of::<(u32, u32)>()
    + size_of::<u32>();

/// Per queue, the teams that take it; per team, its skills in priority
/// order. Fixed for a replication and shared by its clones.
pub(super) struct Routes {
    /// Every queue's routes, queue after queue, each queue's by team.
    routes: Vec<Route>,
    /// Per queue, where its routes start in `routes`; one more entry
    /// marks the end of the last queue's.
    starts: Vec<u32>,
    /// Every route's team, in `routes`' order: what an arriving contact
    /// of a queue without overflow reads (4 bytes a team, not a route's
    /// 16).
    teams: Vec<u32>,
    /// Per queue, the distinct positive overflow delays, ascending.
    pub(super) levels: Vec<Vec<f64>>,
    /// Per team, its skills in priority order, levels in order.
    skills: Vec<Vec<Placed>>,
    pub(super) takers: Takers,
}

impl Routes {
    pub(super) fn new(model: &Model) -> Self {
        let nq = model.queues.len();
        let mut routes = vec![Vec::new(); nq];
        let mut takers = vec![Vec::new(); nq];
        let mut skills = Vec::with_capacity(model.teams.len());
        for (t, team) in model.teams.iter().enumerate() {
            let mut placed = Vec::new();
            for (level, skills) in team.skills_by_priority.iter().enumerate() {
                for skill in skills {
                    routes[skill.queue].push(Route { after_s: skill.after_s, team: t as u32, cap: skill.concurrency });
                    takers[skill.queue].push((t as u32, placed.len() as u32));
                    let (queue, after_s, concurrency) = (skill.queue, skill.after_s, skill.concurrency);
                    placed.push(Placed { queue, after_s, concurrency, level: level as u32 });
                }
            }
            skills.push(placed);
        }
        for r in &mut routes {
            r.sort_by_key(|r| r.team);
        }
        let takers = takers.into_iter().map(Vec::into_boxed_slice).collect();
        let levels = routes
            .iter()
            .map(|rs| {
                let mut l: Vec<f64> = rs.iter().map(|r| r.after_s).filter(|a| *a > 0.0).collect();
                l.sort_by(f64::total_cmp);
                l.dedup();
                l
            })
            .collect();
        let starts = std::iter::once(0).chain(routes.iter().scan(0, |end, r| {
            *end += r.len() as u32;
            Some(*end)
        }));
        let starts = starts.collect();
        let routes = routes.concat();
        let teams = routes.iter().map(|r| r.team).collect();
        Routes { routes, starts, teams, levels, skills, takers }
    }

    /// Where queue `q`'s routes lie in `routes` (and their teams in
    /// `teams`).
    #[inline]
    fn span(&self, q: usize) -> std::ops::Range<usize> {
        self.starts[q] as usize..self.starts[q + 1] as usize
    }

    /// Queue `q`'s routes.
    #[inline]
    fn of(&self, q: usize) -> &[Route] {
        &self.routes[self.span(q)]
    }

    /// Teams that take queue `q`'s contacts once they have waited `waited`.
    pub(super) fn teams(&self, q: usize, waited: f64) -> impl Iterator<Item = usize> + '_ {
        self.of(q).iter().filter(move |r| r.after_s <= waited).map(|r| r.team as usize)
    }

    /// Every team that takes queue `q`'s contacts, whatever their wait:
    /// [`Routes::teams`] for a queue without overflow delays.
    #[inline]
    pub(super) fn all_teams(&self, q: usize) -> impl Iterator<Item = usize> + '_ {
        self.teams[self.span(q)].iter().map(|&t| t as usize)
    }

    /// (team, cap) of the teams that take chats of queue `q` once they have
    /// waited `waited`.
    pub(super) fn chat_teams(&self, q: usize, waited: f64) -> impl Iterator<Item = (usize, u32)> + Clone + '_ {
        self.of(q).iter().filter(move |r| r.after_s <= waited).map(|r| (r.team as usize, r.cap))
    }

    /// The chats of queue `q` one agent of team `t` holds at once (0 when
    /// the team does not take it).
    pub(super) fn cap(&self, t: usize, q: usize) -> u32 {
        self.of(q).iter().find(|r| r.team as usize == t).map_or(0, |r| r.cap)
    }

    /// Team `t`'s skills in priority order.
    #[inline]
    pub(super) fn skills(&self, t: usize) -> &[Placed] {
        &self.skills[t]
    }
}

/// The contact a free agent takes among one priority level's skills with
/// someone waiting, offered in the level's order: live contacts before
/// deferred ones, then the longest waiting, then the first offered; a
/// skill's contacts only once they have waited its `after_s`.
#[derive(Default)]
pub(super) struct Best(Option<(bool, f64, usize)>);

impl Best {
    /// The oldest contact of `skill`'s queue arrived at `arrival`
    /// (seconds) and is `deferred` work or not.
    #[inline]
    pub(super) fn offer(&mut self, skill: &Placed, arrival: f64, deferred: bool, now: f64) {
        if arrival + skill.after_s > now {
            return;
        }
        if self.0.is_none_or(|(d, a, _)| (deferred, arrival) < (d, a)) {
            self.0 = Some((deferred, arrival, skill.queue));
        }
    }

    /// The queue of the contact to take, if any was offered.
    #[inline]
    pub(super) fn queue(&self) -> Option<usize> {
        self.0.map(|(_, _, q)| q)
    }
}
