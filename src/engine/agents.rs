//! Agents and their capacity: one call, one deferred item, or up to N
//! chats at once, each chat slowed while others are open. Who is free for
//! what: per team, idle agents longest-idle first, and agents with a free
//! chat slot by how many chats they hold, least loaded first.
//!
//! Every change to what an agent can take bumps its epoch; list entries
//! carry the epoch they were made at, so stale ones are skipped. The front
//! of each idle list is kept current, and with it, per team, who has been
//! idle longest and since when ([`Front`]): an arriving contact compares
//! the teams that take it on a few dense bytes each, and touches only the
//! list and agents of the team it goes to.

use std::collections::VecDeque;

/// Whether an agent is logged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Presence {
    Off,
    On,
    Break,
}

/// A contact in an agent's hands.
#[derive(Debug, Clone, Copy)]
pub(super) struct Held {
    pub(super) queue: u32,
    /// Its queue's work is deferred (email, tickets), not live: known
    /// here, in the padding beside the queue, so that a call's end need
    /// not read the queue's profile.
    pub(super) deferred: bool,
    pub(super) arrival_s: f64,
}

/// An open chat: when it was taken, its remaining work (seconds at full
/// speed), how much other open chats slow it, and the most chats its
/// queue allows at once.
#[derive(Debug, Clone, Copy)]
pub(super) struct Chat {
    pub(super) held: Held,
    pub(super) start_s: f64,
    pub(super) remaining_s: f64,
    pub(super) slowdown: f64,
    pub(super) cap: u32,
}

impl Chat {
    /// Its speed with `k` chats open: 1 / (1 + slowdown (k − 1)).
    fn rate(&self, k: usize) -> f64 {
        1.0 / (1.0 + self.slowdown * (k as f64 - 1.0))
    }
}

/// An agent. What a call's arrival and end read of it fills the first
/// cache line (fields in this order, aligned to a line), down to whether
/// it holds anything; its chats come after, read only by chat work.
#[derive(Debug, Clone)]
#[repr(C, align(64))]
pub(super) struct Agent {
    pub(super) team: u32,
    /// Bumped at every change of what the agent can take.
    pub(super) epoch: u32,
    /// Bumped at every new completion scheduled; older ones are stale.
    pub(super) version: u32,
    pub(super) presence: Presence,
    /// The shift ended while it held work: leave when done.
    pub(super) pending_logout: bool,
    /// How many chats it holds (`chats.len()`, at most
    /// [`crate::model::MAX_CONCURRENCY`]): on the first line, so that a
    /// call's end asks it there and not on the chats' line.
    open: u8,
    /// When it became idle, or reached its current number of chats.
    since: f64,
    /// A call or deferred item in hand.
    pub(super) one: Option<Held>,
    /// A break that fell due while it held work: its length, seconds.
    pub(super) pending_break: Option<f64>,
    /// Open chats.
    pub(super) chats: Vec<Chat>,
    /// When the chats' remaining work was last brought up to date.
    chats_updated: f64,
    /// Since when it has held at least one chat.
    busy_since: f64,
}

// What a call's arrival and end read lies on the agent's first line.
const _: () = assert!(
    std::mem::offset_of!(Agent, open) < 64
        && std::mem::offset_of!(Agent, one) + std::mem::size_of::<Option<Held>>() <= 64
        && std::mem::offset_of!(Agent, pending_break) + std::mem::size_of::<Option<f64>>() <= 64
);

impl Agent {
    /// Logged in with nothing due: it may take work.
    #[inline]
    pub(super) fn available(&self) -> bool {
        self.presence == Presence::On && self.pending_break.is_none() && !self.pending_logout
    }

    /// Holds nothing.
    #[inline]
    pub(super) fn is_free(&self) -> bool {
        self.one.is_none() && self.open == 0
    }

    /// Whether it may open another chat of a queue allowing `cap` at once.
    pub(super) fn has_chat_slot(&self, cap: u32) -> bool {
        let k = self.chats.len() as u32;
        self.one.is_none() && k < cap && self.chats.iter().all(|c| k < c.cap)
    }
}

/// Whether a list entry still stands for its agent.
#[inline]
fn is_current(all: &[Agent], (a, epoch): (u32, u32)) -> bool {
    let agent = &all[a as usize];
    agent.epoch == epoch && agent.available()
}

/// Appends `entry` to `list`. Entries go stale as agents change and are
/// dropped when they reach the front; a list that is rarely taken from
/// (idle agents always found first) is compacted once it holds twice as
/// many entries as there are agents, so its length never grows with the
/// number of contacts.
#[inline]
fn push_entry(list: &mut VecDeque<(u32, u32)>, entry: (u32, u32), all: &[Agent]) {
    if list.len() >= 2 * all.len() + 16 {
        list.retain(|&e| is_current(all, e));
    }
    list.push_back(entry);
}

/// Chat-slot time of one agent to record: `slots` chats were open over
/// `[from, to)`; `busy_from` is set when the agent has just become free,
/// with when its busy spell began.
pub(super) struct SlotUse {
    pub(super) team: usize,
    pub(super) from: f64,
    pub(super) to: f64,
    pub(super) slots: u32,
    pub(super) busy_from: Option<f64>,
}

/// A team's longest-idle agent and since when it has been idle; `since`
/// is infinite (and `agent` [`Front::NONE`]) when none is.
#[derive(Clone, Copy)]
struct Front {
    since: f64,
    agent: u32,
}

impl Front {
    const NONE: Front = Front { since: f64::INFINITY, agent: u32::MAX };
}

/// Every agent of the replication, with who is free for what.
#[derive(Clone)]
pub(super) struct Agents {
    all: Vec<Agent>,
    /// Agents gone home, whose slots can be reused.
    unused: Vec<u32>,
    /// Per team, idle agents with their epoch, longest idle first; the
    /// first entry is current.
    idle: Vec<VecDeque<(u32, u32)>>,
    /// Per team, the agent of its idle list's first entry.
    fronts: Vec<Front>,
    /// Per team and number of open chats k, agents with a free slot, in
    /// the order they reached k.
    ready: Vec<Vec<VecDeque<(u32, u32)>>>,
}

impl Agents {
    pub(super) fn new(teams: usize) -> Self {
        Agents {
            all: Vec::new(),
            unused: Vec::new(),
            idle: vec![VecDeque::new(); teams],
            fronts: vec![Front::NONE; teams],
            ready: vec![Vec::new(); teams],
        }
    }

    #[inline]
    pub(super) fn get(&self, a: u32) -> &Agent {
        &self.all[a as usize]
    }

    #[inline]
    pub(super) fn get_mut(&mut self, a: u32) -> &mut Agent {
        &mut self.all[a as usize]
    }

    /// A new agent of `team`, logged in and holding nothing, not yet on any
    /// list.
    pub(super) fn add(&mut self, team: u32, now: f64) -> u32 {
        let fresh = Agent {
            team,
            presence: Presence::On,
            epoch: 0,
            version: 0,
            since: now,
            pending_break: None,
            pending_logout: false,
            open: 0,
            one: None,
            chats: Vec::new(),
            chats_updated: now,
            busy_since: now,
        };
        match self.unused.pop() {
            Some(a) => {
                let old = &mut self.all[a as usize];
                let (epoch, version) = (old.epoch.wrapping_add(1), old.version.wrapping_add(1));
                let chats = std::mem::take(&mut old.chats);
                *old = Agent { epoch, version, chats, ..fresh };
                a
            }
            None => {
                self.all.push(fresh);
                (self.all.len() - 1) as u32
            }
        }
    }

    /// Something changed what `a` can take: its list entries go stale.
    pub(super) fn touch(&mut self, a: u32) {
        self.bump(a);
    }

    /// Bumps `a`'s epoch; when `a` was its team's longest idle, the next
    /// current entry of the idle list takes the front.
    #[inline]
    fn bump(&mut self, a: u32) -> &mut Agent {
        let agent = &mut self.all[a as usize];
        agent.epoch = agent.epoch.wrapping_add(1);
        let team = agent.team as usize;
        if self.fronts[team].agent == a {
            self.refront(team);
        }
        &mut self.all[a as usize]
    }

    /// Drops the stale entries at the head of team `t`'s idle list and
    /// records its first current one as the team's front.
    fn refront(&mut self, t: usize) {
        let list = &mut self.idle[t];
        while let Some(&entry) = list.front() {
            if is_current(&self.all, entry) {
                self.fronts[t] = Front { since: self.all[entry.0 as usize].since, agent: entry.0 };
                return;
            }
            list.pop_front();
        }
        self.fronts[t] = Front::NONE;
    }

    /// `a` holds nothing and waits for work from now.
    #[inline]
    pub(super) fn make_idle(&mut self, a: u32, now: f64) {
        let agent = self.bump(a);
        agent.since = now;
        let entry = (a, agent.epoch);
        let team = agent.team as usize;
        push_entry(&mut self.idle[team], entry, &self.all);
        if self.fronts[team].agent == Front::NONE.agent {
            self.fronts[team] = Front { since: now, agent: a };
        }
    }

    /// `a` holds chats and has a free slot: it waits for another chat.
    pub(super) fn make_ready(&mut self, a: u32, now: f64) {
        let agent = self.bump(a);
        agent.since = now;
        let (k, entry, team) = (agent.open as usize, (a, agent.epoch), agent.team as usize);
        let lists = &mut self.ready[team];
        if lists.len() <= k {
            lists.resize(k + 1, VecDeque::new());
        }
        push_entry(&mut lists[k], entry, &self.all);
    }

    /// The longest of the idle and free-slot lists (for tests).
    #[cfg(test)]
    pub(super) fn longest_list(&self) -> usize {
        let idle = self.idle.iter().map(VecDeque::len);
        let ready = self.ready.iter().flatten().map(VecDeque::len);
        idle.chain(ready).max().unwrap_or(0)
    }

    /// The agents of team `t` logged in (on or off a break), in index order.
    pub(super) fn on_duty(&self, t: usize) -> Vec<u32> {
        let of_team = |a: &&Agent| a.team as usize == t && a.presence != Presence::Off;
        self.all.iter().enumerate().filter(|(_, a)| of_team(a)).map(|(k, _)| k as u32).collect()
    }

    /// Goes home; its slot is reused by a later agent.
    pub(super) fn retire(&mut self, a: u32) {
        self.all[a as usize].presence = Presence::Off;
        self.bump(a);
        self.unused.push(a);
    }

    /// The longest-idle agent of `teams` (the first team's on ties), taken
    /// off its idle list.
    #[inline]
    pub(super) fn take_longest_idle(&mut self, teams: impl Iterator<Item = usize>) -> Option<u32> {
        let mut best = (f64::INFINITY, usize::MAX);
        for t in teams {
            let since = self.fronts[t].since;
            if since < best.0 {
                best = (since, t);
            }
        }
        let t = best.1;
        if t == usize::MAX {
            return None;
        }
        let a = self.fronts[t].agent;
        self.idle[t].pop_front();
        self.refront(t);
        Some(a)
    }

    /// An agent of `teams` (team, chats its skill allows) with a free chat
    /// slot: the fewest chats open first, then the one that reached that
    /// number first; taken off its list. `teams` is walked once per number
    /// of chats, so a filtered view of a route costs no allocation.
    pub(super) fn take_least_loaded(&mut self, teams: impl Iterator<Item = (usize, u32)> + Clone) -> Option<u32> {
        let most = teams.clone().map(|(_, cap)| cap as usize).max().unwrap_or(0);
        for k in 1..most {
            let mut best: Option<(f64, usize)> = None;
            for (t, cap) in teams.clone() {
                if k >= cap as usize {
                    continue;
                }
                if let Some(a) = self.front(t, k) {
                    let since = self.all[a as usize].since;
                    if best.is_none_or(|(b, _)| since < b) {
                        best = Some((since, t));
                    }
                }
            }
            if let Some((_, t)) = best {
                return self.ready[t][k].pop_front().map(|(a, _)| a);
            }
        }
        None
    }

    /// The first valid agent of team `t`'s list of agents with `k` chats
    /// open, dropping stale entries on the way.
    #[inline]
    fn front(&mut self, t: usize, k: usize) -> Option<u32> {
        let list = self.ready[t].get_mut(k)?;
        while let Some(&entry) = list.front() {
            if is_current(&self.all, entry) {
                return Some(entry.0);
            }
            list.pop_front();
        }
        None
    }

    /// `a` takes a call or deferred item ending at `end`; returns the
    /// completion's version.
    #[inline]
    pub(super) fn start_one(&mut self, a: u32, held: Held) -> u32 {
        let agent = self.bump(a);
        agent.one = Some(held);
        agent.version = agent.version.wrapping_add(1);
        agent.version
    }

    /// `a` finishes its call or deferred item.
    #[inline]
    pub(super) fn finish_one(&mut self, a: u32) -> Option<Held> {
        self.bump(a).one.take()
    }

    /// `a` opens a chat now; returns the slot time to record.
    pub(super) fn open_chat(&mut self, a: u32, chat: Chat, now: f64) -> SlotUse {
        let used = self.bring_up_to_date(a, now);
        let agent = self.bump(a);
        if agent.chats.is_empty() {
            agent.busy_since = now;
        }
        agent.chats.push(chat);
        agent.open += 1;
        used
    }

    /// `a` finishes the chat that ends first (the one due now); returns it
    /// and the slot time to record.
    pub(super) fn close_chat(&mut self, a: u32, now: f64) -> (Chat, SlotUse) {
        let mut used = self.bring_up_to_date(a, now);
        let agent = &mut self.all[a as usize];
        let k = agent.chats.len();
        let due = (0..k)
            .min_by(|&i, &j| {
                let t = |c: &Chat| c.remaining_s / c.rate(k);
                t(&agent.chats[i]).total_cmp(&t(&agent.chats[j]))
            })
            .expect("a chat completion is for an agent holding chats");
        let chat = agent.chats.remove(due);
        agent.open -= 1;
        let agent = self.bump(a);
        if agent.chats.is_empty() {
            used.busy_from = Some(agent.busy_since);
        }
        (chat, used)
    }

    /// When `a`'s next chat ends at the current speeds, with the version of
    /// that completion; `None` when it holds no chat.
    pub(super) fn next_chat_end(&mut self, a: u32, now: f64) -> Option<(f64, u32)> {
        let agent = &mut self.all[a as usize];
        let k = agent.chats.len();
        let end = agent.chats.iter().map(|c| now + c.remaining_s.max(0.0) / c.rate(k)).min_by(f64::total_cmp)?;
        agent.version = agent.version.wrapping_add(1);
        Some((end, agent.version))
    }

    /// Each open chat of `a` progresses from its last update to `now` at
    /// the speed its number of chats allowed.
    fn bring_up_to_date(&mut self, a: u32, now: f64) -> SlotUse {
        let agent = &mut self.all[a as usize];
        let (from, k) = (agent.chats_updated, agent.chats.len());
        for c in &mut agent.chats {
            c.remaining_s -= (now - from) * c.rate(k);
        }
        agent.chats_updated = now;
        SlotUse { team: agent.team as usize, from, to: now, slots: k as u32, busy_from: None }
    }

    /// Brings every chat agent's open chats up to `now` and returns the slot
    /// and busy time to record so far (their spells go on from `now`).
    pub(super) fn flush(&mut self, now: f64) -> Vec<SlotUse> {
        let holding: Vec<u32> =
            (0..self.all.len() as u32).filter(|&a| !self.all[a as usize].chats.is_empty()).collect();
        holding
            .into_iter()
            .map(|a| {
                let mut used = self.bring_up_to_date(a, now);
                let agent = &mut self.all[a as usize];
                used.busy_from = Some(agent.busy_since);
                agent.busy_since = now;
                used
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agent_holds_something_while_a_call_or_any_chat_is_open() {
        let mut agents = Agents::new(1);
        let a = agents.add(0, 0.0);
        assert!(agents.get(a).is_free());
        let held = Held { queue: 0, deferred: false, arrival_s: 0.0 };
        let chat = Chat { held, start_s: 0.0, remaining_s: 10.0, slowdown: 0.0, cap: 3 };
        agents.open_chat(a, chat, 0.0);
        agents.open_chat(a, Chat { remaining_s: 20.0, ..chat }, 1.0);
        assert!(!agents.get(a).is_free());
        agents.close_chat(a, 10.0);
        assert!(!agents.get(a).is_free(), "one chat still open");
        agents.close_chat(a, 20.0);
        assert!(agents.get(a).is_free());
        agents.start_one(a, held);
        assert!(!agents.get(a).is_free());
        agents.finish_one(a);
        assert!(agents.get(a).is_free());
    }
}
