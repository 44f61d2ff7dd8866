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

use crate::model::{Model, Queue, Skill, Team};

/// A team that takes a queue: after how long, and how many at once.
#[derive(Debug, Clone, Copy)]
pub(super) struct Route {
    pub(super) team: usize,
    pub(super) after_s: f64,
    pub(super) cap: u32,
}

/// Per queue, the teams that take it.
#[derive(Clone)]
pub(super) struct Routes {
    routes: Vec<Vec<Route>>,
    /// Per chat queue, (team, cap) of the teams that take it at once.
    chat_at_once: Vec<Vec<(usize, u32)>>,
    /// Per queue, the distinct positive overflow delays, ascending.
    pub(super) levels: Vec<Vec<f64>>,
    /// Per team and queue, the chats its agents hold at once.
    caps: Vec<u32>,
    /// Per team, the queues it takes.
    taken: Vec<Vec<usize>>,
    queues: usize,
}

impl Routes {
    pub(super) fn new(model: &Model) -> Self {
        let nq = model.queues.len();
        let mut routes = vec![Vec::new(); nq];
        let mut caps = vec![0; model.teams.len() * nq];
        for (t, team) in model.teams.iter().enumerate() {
            for skill in team.skills_by_priority.iter().flatten() {
                routes[skill.queue].push(Route { team: t, after_s: skill.after_s, cap: skill.concurrency });
                caps[t * nq + skill.queue] = skill.concurrency;
            }
        }
        for r in &mut routes {
            r.sort_by_key(|r| r.team);
        }
        let taken =
            model.teams.iter().map(|t| t.skills_by_priority.iter().flatten().map(|s| s.queue).collect()).collect();
        let chat_at_once = (0..nq)
            .map(|q| {
                let chat = model.queues[q].channel.is_concurrent();
                routes[q].iter().filter(|r| chat && r.after_s == 0.0).map(|r| (r.team, r.cap)).collect()
            })
            .collect();
        let levels = routes
            .iter()
            .map(|rs| {
                let mut l: Vec<f64> = rs.iter().map(|r| r.after_s).filter(|a| *a > 0.0).collect();
                l.sort_by(f64::total_cmp);
                l.dedup();
                l
            })
            .collect();
        Routes { routes, chat_at_once, levels, caps, taken, queues: nq }
    }

    /// Teams that take queue `q`'s contacts once they have waited `waited`.
    pub(super) fn teams(&self, q: usize, waited: f64) -> impl Iterator<Item = usize> + '_ {
        self.routes[q].iter().filter(move |r| r.after_s <= waited).map(|r| r.team)
    }

    /// (team, cap) of the teams that take chats of queue `q` once they have
    /// waited `waited`.
    pub(super) fn chat_teams(&self, q: usize, waited: f64) -> std::borrow::Cow<'_, [(usize, u32)]> {
        if waited == 0.0 {
            return std::borrow::Cow::Borrowed(&self.chat_at_once[q]);
        }
        self.routes[q].iter().filter(|r| r.after_s <= waited).map(|r| (r.team, r.cap)).collect()
    }

    /// The chats of queue `q` one agent of team `t` holds at once.
    pub(super) fn cap(&self, t: usize, q: usize) -> u32 {
        self.caps[t * self.queues + q]
    }

    /// The queues team `t` takes.
    #[inline]
    pub(super) fn taken_by(&self, t: usize) -> &[usize] {
        &self.taken[t]
    }

    /// Whether some team takes `q` only after a delay.
    pub(super) fn has_overflow(&self, q: usize) -> bool {
        !self.levels[q].is_empty()
    }
}

/// The queue whose oldest contact a free agent of `team` takes at `now`,
/// if any: `eligible` says which skills the agent's load allows,
/// `head_arrival` when each queue's oldest contact arrived (infinite when
/// none waits), asked only of the eligible skills of the levels looked at.
pub(super) fn pick(
    team: &Team,
    queues: &[Queue],
    now: f64,
    eligible: impl Fn(&Skill) -> bool,
    mut head_arrival: impl FnMut(usize) -> f64,
) -> Option<usize> {
    for level in &team.skills_by_priority {
        let mut best: Option<(bool, f64, usize)> = None;
        for skill in level.iter().filter(|s| eligible(s)) {
            let arrival = head_arrival(skill.queue);
            if arrival + skill.after_s > now {
                continue;
            }
            let deferred = !queues[skill.queue].channel.is_live();
            if best.is_none_or(|(d, a, _)| (deferred, arrival) < (d, a)) {
                best = Some((deferred, arrival, skill.queue));
            }
        }
        if let Some((_, _, q)) = best {
            return Some(q);
        }
    }
    None
}
