//! One replication: a discrete-event simulation of the operation.
//!
//! The loop here owns the clock and decides what happens next; each
//! concern lives in a component of its own that answers questions and
//! updates itself: `calendar` (timed events and completions),
//! `arrivals` (where contacts come from), `queues` (who waits, lazy
//! abandonment), `agents` (capacity: one call, one item or N chats),
//! `routing` (who takes what), `roster` (shifts and their members) and
//! `record` (streaming counters). No contact is remembered once it is
//! handled or abandoned.

mod absence;
mod agents;
mod arrivals;
mod calendar;
mod downtime;
mod forecast;
mod grid;
mod queues;
mod record;
mod roster;
mod routing;

pub use record::{Contact, ContactOutcome};

use absence::Absences;
use agents::{Agents, Chat, Held, Presence};
use arrivals::Arrivals;
use calendar::{Calendar, Completion, Completions, Event};
use downtime::Downtime;
use queues::{Lines, Waiting};
use record::Recorder;
use roster::{Members, Roster};
use routing::Routes;

use std::sync::Arc;

use crate::channel::Channel;
use crate::counters::{earlier, Counters};
use crate::model::Model;

/// Bytes the engine holds for one waiting contact (for [`crate::budget`]).
pub const WAITING_CONTACT_BYTES: usize = std::mem::size_of::<Waiting>();
/// Bytes for one agent on duty, with its entries on the lists of who is
/// free; its open chats come on top, [`OPEN_CHAT_BYTES`] each.
pub const AGENT_BYTES: usize = std::mem::size_of::<agents::Agent>() + 4 * std::mem::size_of::<(u32, u32)>();
/// Bytes of one open chat.
pub const OPEN_CHAT_BYTES: usize = std::mem::size_of::<Chat>();
/// Bytes of one timed event (a break, a logout) or completion on the
/// calendar.
pub const EVENT_BYTES: usize = calendar::SCHEDULED_BYTES;
/// Bytes one simulation holds per queue beside its counters and waiting
/// contacts: random streams, next arrival, line, routes, and (rounded up
/// to 96 bytes) overflow timers, the backlog clock, the service-level
/// threshold and the loop's dense profile of the queue.
pub const QUEUE_BYTES: usize = arrivals::QUEUE_BYTES + queues::QUEUE_BYTES + routing::QUEUE_BYTES + 96;
/// Bytes one simulation holds per skill (a team taking a queue).
pub const SKILL_BYTES: usize = routing::SKILL_BYTES;
/// Bytes one simulation holds per team beside its agents: its absence
/// stream and (rounded up to 256 bytes) its lists of who is free and of
/// skills with someone waiting (and whether that one is empty), clocks of
/// staffed time and outage state.
pub const TEAM_BYTES: usize = absence::TEAM_BYTES + 256;

/// Runs replication `replication` of `model` and returns its counters.
pub fn simulate(model: &Model, replication: u32) -> Counters {
    let mut engine = Simulation::new(model, replication);
    engine.run();
    engine.record.counters
}

/// Runs replication `replication` of `model` as [`simulate`] does and
/// hands every contact of the reported horizon to `observe` once its
/// outcome is known, a simulated day at a time (so what waits to be
/// handed over is at most a day's contacts); the counters are the same.
pub fn simulate_observed(model: &Model, replication: u32, observe: &mut dyn FnMut(&Contact)) -> Counters {
    let mut engine = Simulation::new(model, replication);
    engine.record.log = Some(Vec::new());
    let mut hand_over = |engine: &mut Simulation| {
        engine.record.log.iter_mut().flat_map(|log| log.drain(..)).for_each(|c| observe(&c));
    };
    let (mut until, end) = (0.0, model.report_end_s());
    while until < end {
        until = (until + 86_400.0).min(end);
        engine.run_until(until);
        hand_over(&mut engine);
    }
    engine.run();
    hand_over(&mut engine);
    engine.record.counters
}

/// The state of one replication, which can be run to the end ([`simulate`])
/// or stepped: run to an instant, change a team's agents, clone to try
/// alternatives on the same random numbers (the staffing search).
#[derive(Clone)]
pub struct Simulation<'m> {
    model: &'m Model,
    now: f64,
    calendar: Calendar,
    completions: Completions,
    arrivals: Arrivals,
    lines: Lines,
    agents: Agents,
    routes: Arc<Routes>,
    roster: Roster,
    downtime: Downtime,
    absences: Absences,
    record: Recorder<'m>,
    /// Per queue, what its contacts are (shared by clones).
    profiles: Arc<[Profile]>,
    /// Per queue and overflow level, the arrival of the oldest contact its
    /// timer is set for.
    armed: Vec<Vec<f64>>,
}

/// What the event loop asks of a queue at its contacts, copied out of the
/// model's queue (360 bytes, these fields on five of its cache lines) into
/// a few dense bytes.
#[derive(Clone, Copy)]
struct Profile {
    channel: Channel,
    /// Some team serves it.
    served: bool,
    /// Some team takes it only after a delay.
    overflows: bool,
    /// Its handle times change in windows (an `aht` event).
    timed_aht: bool,
    /// Its service-level threshold, seconds: read at every answer, beside
    /// the rest rather than on a line of its own.
    within_s: f64,
}

impl<'m> Simulation<'m> {
    /// Replication `replication` of `model`, at the start of its warm-up.
    pub fn new(model: &'m Model, replication: u32) -> Self {
        let start = -model.warmup_s;
        let routes = Arc::new(Routes::new(model));
        let mut engine = Simulation {
            model,
            now: start,
            calendar: Calendar::default(),
            completions: Completions::default(),
            arrivals: Arrivals::new(
                &model.queues,
                forecast::perturbed(model, replication),
                model.seed,
                replication,
                start,
            ),
            lines: Lines::new(routes.takers.clone(), model.teams.len()),
            agents: Agents::new(model.teams.len()),
            armed: routes.levels.iter().map(|l| vec![f64::NAN; l.len()]).collect(),
            profiles: (model.queues.iter().zip(&routes.levels))
                .map(|(queue, levels)| Profile {
                    channel: queue.channel,
                    served: !queue.served_by.is_empty(),
                    overflows: !levels.is_empty(),
                    timed_aht: !queue.aht_windows.is_empty(),
                    within_s: queue.targets.within_s,
                })
                .collect(),
            routes,
            roster: Roster::new(model.shifts.len(), model.teams.len()),
            downtime: Downtime::new(model.teams.len(), model.queues.len()),
            absences: Absences::new(&model.teams, model.seed, replication),
            record: Recorder::new(model, start),
        };
        for (q, queue) in model.queues.iter().enumerate().filter(|(_, q)| !q.initial_backlog.is_empty()) {
            let items = arrivals::initial_backlog(queue, q, model.seed, replication, start);
            let n = items.len() as u32;
            for w in items {
                engine.lines.push(q, w);
            }
            engine.record.initial_backlog(q, n, engine.lines.head_arrival(q));
        }
        if let Some(first) = model.shifts.first() {
            engine.calendar.schedule(first.login_s, Event::ShiftStart(0));
        }
        for (time, event) in downtime::events(model, start) {
            engine.calendar.schedule(time, event);
        }
        engine
    }

    /// Runs until nothing is left to happen, then settles the counters.
    fn run(&mut self) {
        self.run_until(f64::INFINITY);
        self.finish();
    }

    /// The current time, seconds from the first reported instant.
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Processes everything that happens before `until` (seconds), then
    /// sets the clock to `until` (if finite). At one instant: timed events
    /// (roster changes) first, then completions, then arrivals.
    pub fn run_until(&mut self, until: f64) {
        loop {
            let (q, arrival) = self.arrivals.next();
            let timed = self.calendar.next_time();
            let done = self.completions.next_time();
            let first = earlier(earlier(arrival, timed), done);
            if first >= until || first == f64::INFINITY {
                break;
            }
            if timed == first {
                let (time, event) = self.calendar.pop().expect("an event is due");
                self.now = time;
                self.event(event);
            } else if done == first {
                let c = self.completions.pop().expect("a completion is due");
                self.now = c.time();
                self.completion(c);
            } else {
                self.now = arrival;
                self.arrival(q);
            }
        }
        if until.is_finite() {
            self.now = self.now.max(until);
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::ShiftStart(s) => self.shift_start(s as usize),
            Event::BreakStart(s, b, k) => self.break_due(s as usize, b as usize, k as usize),
            Event::BreakEnd(a, epoch) => self.break_end(a, epoch),
            Event::Logout(s) => self.logout(s as usize),
            Event::Overflow(q, l) => self.overflow(q as usize, l as usize),
            Event::Downtime(t, true, begins) => self.outage(t as usize, begins),
            Event::Downtime(t, false, begins) => self.holiday(t as usize, begins),
            Event::QueueOutage(t, k, begins) => self.queue_outage(t as usize, k as usize, begins),
            Event::AbsenceDay(s, d) => self.absence_day(s as usize, d as usize),
        }
    }

    /// Puts exactly `n` agents of team `team` on duty from now, beside any
    /// shifts: new agents start free; agents leaving are the free ones
    /// first (newest first), then those holding work, who finish it.
    pub fn set_agents(&mut self, team: usize, n: u32) {
        self.resize(Members::Pool(team), team, n);
    }

    /// Puts exactly `n` agents of team `team` on duty in `of` from now, as
    /// [`Simulation::set_agents`] does for the staffing search's pool.
    fn resize(&mut self, of: Members, team: usize, n: u32) {
        let current = self.roster.list(of).len() as u32;
        if n > current {
            self.record.staffed(team, self.now, (n - current) as i64);
            let fresh: Vec<u32> = (current..n).map(|_| self.agents.add(team as u32, self.now)).collect();
            self.roster.list(of).extend_from_slice(&fresh);
            for a in fresh {
                self.become_available(a);
            }
            return;
        }
        let mut excess = (current - n) as usize;
        for free in [true, false] {
            let mut k = self.roster.list(of).len();
            while excess > 0 && k > 0 {
                k -= 1;
                let a = self.roster.list(of)[k];
                if self.agents.get(a).is_free() != free {
                    continue;
                }
                self.roster.list(of).remove(k);
                excess -= 1;
                if free {
                    self.leave(a);
                } else {
                    self.agents.get_mut(a).pending_logout = true;
                    self.agents.touch(a);
                }
            }
        }
    }

    /// Counters from now on cover only intervals `first..first + len`;
    /// what was counted so far is dropped. Zero `len` counts nothing, which
    /// makes a state cheap to clone.
    pub fn restrict_counters(&mut self, first: usize, len: usize) {
        self.record.restrict(first, len);
    }

    /// The counters so far. Contacts that abandoned but that no agent has
    /// reached yet are counted only after [`Simulation::settle`].
    pub fn counters(&self) -> &Counters {
        &self.record.counters
    }

    /// Whether queue `q` still holds a contact that arrived before
    /// `before_s` and whose patience has not run out: one whose outcome is
    /// not known yet.
    pub fn has_pending_before(&self, q: usize, before_s: f64) -> bool {
        self.lines.has_pending_before(q, before_s, self.now)
    }

    /// Counts every waiting contact whose patience has run out as abandoned
    /// and brings agent time and backlog samples up to now, so the counters
    /// are complete for every contact resolved by now.
    pub fn settle(&mut self) {
        let now = self.now;
        for q in 0..self.model.queues.len() {
            let record = &mut self.record;
            self.lines.retain(q, |w| {
                let patient = w.still_patient(now);
                if !patient {
                    record.abandoned(q, w);
                }
                patient
            });
        }
        for used in self.agents.flush(now) {
            self.record.slots(&used);
        }
        self.record.flush(now);
    }

    /// Nothing is left to happen: contacts still waiting either ran out of
    /// patience or were never served; staffed time runs to the end.
    fn finish(&mut self) {
        self.now = self.now.max(self.model.report_end_s());
        for q in 0..self.model.queues.len() {
            let record = &mut self.record;
            for w in self.lines.drain(q) {
                record.gone_unanswered(q, &w);
            }
        }
        self.record.flush(self.now);
    }

    // ---- contacts ----

    fn arrival(&mut self, q: usize) {
        let (queue, profile) = (&self.model.queues[q], self.profiles[q]);
        let mut w = self.arrivals.take(q, queue);
        if profile.timed_aht {
            w.handle_s *= queue.aht_factor(w.arrival_s);
        }
        self.record.offered(q, self.now);
        // A contact no team will ever take is counted now, as it would be
        // at the end (abandoned, or unserved), and not kept; a deferred
        // queue keeps its oldest item, whose age its backlog reports.
        let kept = profile.served || (!profile.channel.is_live() && self.lines.len(q) == 0);
        if !kept {
            self.record.gone_unanswered(q, &w);
        } else {
            self.purge(q);
            match self.find_agent(q, 0.0) {
                Some(a) => self.assign(a, q, w),
                None => {
                    let record = &mut self.record;
                    self.lines.compact(q, self.now, |gone| record.abandoned(q, &gone));
                    self.lines.push(q, w);
                    if self.lines.len(q) == 1 {
                        self.arm(q);
                    }
                }
            }
        }
        if !profile.channel.is_live() {
            self.record.backlog(q, self.now, 1, self.lines.head_arrival(q));
        }
    }

    /// Counts and drops the contacts at the head of queue `q` whose
    /// patience ran out; the new head's overflow timers are set.
    #[inline]
    fn purge(&mut self, q: usize) {
        let record = &mut self.record;
        let mut gone = 0;
        self.lines.purge(q, self.now, |w| {
            record.abandoned(q, &w);
            gone += 1;
        });
        if gone > 0 {
            self.arm(q);
        }
    }

    /// An agent free for a contact of queue `q` that has waited `waited`
    /// seconds: the longest idle, else (chat) the least loaded with a free
    /// slot; taken off its list.
    fn find_agent(&mut self, q: usize, waited: f64) -> Option<u32> {
        if self.downtime.any_partial() {
            return self.find_agent_in_partial_outage(q, waited);
        }
        let profile = self.profiles[q];
        // Without overflow every team takes the contact at once: their
        // list alone is read (a few dense bytes), not their routes.
        let idle = if profile.overflows {
            self.agents.take_longest_idle(self.routes.teams(q, waited))
        } else {
            self.agents.take_longest_idle(self.routes.all_teams(q))
        };
        if idle.is_some() {
            return idle;
        }
        if profile.channel.is_concurrent() {
            return self.agents.take_least_loaded(self.routes.chat_teams(q, waited));
        }
        None
    }

    /// [`Simulation::find_agent`] while an outage limited to queues is in
    /// force: the teams it stops for `q` are passed over.
    #[inline(never)]
    fn find_agent_in_partial_outage(&mut self, q: usize, waited: f64) -> Option<u32> {
        let downtime = &self.downtime;
        if let Some(a) = self.agents.take_longest_idle(self.routes.teams(q, waited).filter(|&t| !downtime.stops(t, q)))
        {
            return Some(a);
        }
        if self.profiles[q].channel.is_concurrent() {
            let teams = self.routes.chat_teams(q, waited).filter(|&(t, _)| !downtime.stops(t, q));
            return self.agents.take_least_loaded(teams);
        }
        None
    }

    /// Agent `a` takes contact `w` of queue `q` now.
    fn assign(&mut self, a: u32, q: usize, w: Waiting) {
        let now = self.now;
        let team = self.agents.get(a).team as usize;
        let profile = self.profiles[q];
        let held = Held { queue: q as u32, deferred: !profile.channel.is_live(), arrival_s: w.arrival_s };
        self.record.taken(team, w.arrival_s);
        if profile.channel == Channel::Chat {
            self.record.answered(q, profile.within_s, &w, now, false);
            let (cap, slowdown) = (self.routes.cap(team, q), self.model.queues[q].slowdown);
            let chat = Chat { held, start_s: now, remaining_s: w.handle_s, slowdown, cap };
            let used = self.agents.open_chat(a, chat, now);
            self.record.slots(&used);
            self.schedule_chat_end(a);
            self.fill_chat_slots(a);
        } else {
            self.record.answered(q, profile.within_s, &w, now, true);
            let end = now + w.handle_s;
            let version = self.agents.start_one(a, held);
            self.completions.push(end, a, version);
            self.record.busy(team, now, end);
        }
    }

    fn schedule_chat_end(&mut self, a: u32) {
        if let Some((end, version)) = self.agents.next_chat_end(a, self.now) {
            self.completions.push(end, a, version);
        }
    }

    fn completion(&mut self, c: Completion) {
        let a = c.agent();
        if self.agents.get(a).version != c.version() {
            return;
        }
        let now = self.now;
        if let Some(held) = self.agents.finish_one(a) {
            let q = held.queue as usize;
            if held.deferred {
                self.record.deferred_done(q, held.arrival_s, now);
                self.record.backlog(q, now, -1, self.lines.head_arrival(q));
            }
        } else {
            let (chat, used) = self.agents.close_chat(a, now);
            self.record.slots(&used);
            let (held, start_s) = (chat.held, chat.start_s);
            self.record.chat_handled(held.queue as usize, held.arrival_s, start_s, now - start_s);
            self.schedule_chat_end(a);
        }
        self.after_work(a);
    }

    /// Agent `a` has just finished something: it takes more work, or goes
    /// on a break or home when one fell due while it was busy.
    fn after_work(&mut self, a: u32) {
        let agent = self.agents.get(a);
        if !agent.is_free() {
            if agent.available() {
                self.fill_chat_slots(a);
            }
            return;
        }
        if agent.pending_logout {
            self.leave(a);
        } else if let Some(len) = agent.pending_break {
            self.agents.get_mut(a).pending_break = None;
            self.go_on_break(a, len);
        } else {
            self.become_available(a);
        }
    }

    /// Agent `a` holds nothing and is free now: it takes waiting work or
    /// goes idle; during its team's outage it waits off every list.
    fn become_available(&mut self, a: u32) {
        if self.downtime.is_out(self.agents.get(a).team as usize) {
            return;
        }
        match self.next_contact(a) {
            Some((q, w)) => self.assign(a, q, w),
            None => self.agents.make_idle(a, self.now),
        }
    }

    /// Agent `a` holds chats: it opens waiting chats while it has a free
    /// slot, then waits for more.
    fn fill_chat_slots(&mut self, a: u32) {
        let agent = self.agents.get(a);
        if !agent.available() || self.downtime.is_out(agent.team as usize) {
            return;
        }
        match self.next_contact(a) {
            // `assign` comes back here while a slot is left.
            Some((q, w)) => self.assign(a, q, w),
            None if self.has_any_chat_slot(a) => self.agents.make_ready(a, self.now),
            None => self.agents.touch(a),
        }
    }

    fn has_any_chat_slot(&self, a: u32) -> bool {
        let agent = self.agents.get(a);
        let skills = self.routes.skills(agent.team as usize);
        skills.iter().any(|s| self.profiles[s.queue].channel.is_concurrent() && agent.has_chat_slot(s.concurrency))
    }

    /// The waiting contact agent `a` takes now, if any, removed from its
    /// line: by [`routing::Best`]'s rule, level by level, each skill's
    /// line purged of contacts whose patience ran out before its head is
    /// looked at. Only the skills whose line holds a contact are looked
    /// at: the others would be purged of nothing and offer nothing.
    #[inline]
    fn next_contact(&mut self, a: u32) -> Option<(usize, Waiting)> {
        // Most often nobody waits (an agent freed goes idle): then purging
        // and picking would change nothing.
        let team = self.agents.get(a).team as usize;
        if !self.lines.someone_waits(team) {
            return None;
        }
        self.pick_waiting(a)
    }

    /// [`Simulation::next_contact`] when some line of the agent's team holds
    /// a contact; kept out of line so that the common case pays nothing
    /// for it.
    #[inline(never)]
    fn pick_waiting(&mut self, a: u32) -> Option<(usize, Waiting)> {
        let agent = self.agents.get(a);
        let team = agent.team as usize;
        // When it holds chats, only queues it may open another chat of.
        let free = agent.is_free();
        let now = self.now;
        let partial = self.downtime.any_partial();
        let mut best = routing::Best::default();
        let mut level = u32::MAX;
        let mut from = 0;
        while let Some(place) = self.lines.next_waiting(team, from) {
            from = place + 1;
            let skill = self.routes.skills(team)[place as usize];
            if skill.level != level {
                if best.queue().is_some() {
                    break;
                }
                level = skill.level;
            }
            let (q, channel) = (skill.queue, self.profiles[skill.queue].channel);
            // An outage limited to some queues stops the team on those only.
            let stopped = partial && self.downtime.stops(team, q);
            let may_take =
                !stopped && (free || (channel.is_concurrent() && self.agents.get(a).has_chat_slot(skill.concurrency)));
            if !may_take {
                continue;
            }
            self.purge(q);
            // Emptied by the purge, its place has left the team's words.
            let Some(head) = self.lines.head(q) else { continue };
            best.offer(&skill, head.arrival_s, !channel.is_live(), now);
        }
        let q = best.queue()?;
        Some((q, self.take_head(q)))
    }

    /// Removes queue `q`'s oldest contact; the next one's timers are set.
    fn take_head(&mut self, q: usize) -> Waiting {
        let w = self.lines.pop(q).expect("the line has a head");
        self.arm(q);
        if !self.profiles[q].channel.is_live() {
            self.record.backlog(q, self.now, 0, self.lines.head_arrival(q));
        }
        w
    }

    // ---- overflow ----

    /// Sets queue `q`'s overflow timers for its oldest contact: when it will
    /// have waited each delay after which another team takes it.
    fn arm(&mut self, q: usize) {
        if !self.profiles[q].overflows {
            return;
        }
        let head = self.lines.head_arrival(q);
        if !head.is_finite() {
            return;
        }
        for (l, &after) in self.routes.levels[q].iter().enumerate() {
            if self.armed[q][l] != head {
                self.armed[q][l] = head;
                self.calendar.schedule(self.now.max(head + after), Event::Overflow(q as u32, l as u32));
            }
        }
    }

    /// Queue `q`'s oldest contact may now have waited overflow level `l`'s
    /// delay: teams further out may take it.
    fn overflow(&mut self, q: usize, l: usize) {
        self.purge(q);
        let Some(head) = self.lines.head(q) else { return };
        let after = self.routes.levels[q][l];
        // The timer fired at arrival + delay; `now − arrival` may round to
        // just below the delay, which must still count as reached.
        let reached = self.now >= head.arrival_s + after;
        let waited = if reached { (self.now - head.arrival_s).max(after) } else { self.now - head.arrival_s };
        if let Some(a) = self.find_agent(q, waited) {
            let w = self.take_head(q);
            self.assign(a, q, w);
        }
        self.arm(q);
    }

    // ---- roster ----

    fn shift_start(&mut self, s: usize) {
        let model = self.model;
        let shift = &model.shifts[s];
        if let Some(next) = model.shifts.get(s + 1) {
            self.calendar.schedule(next.login_s, Event::ShiftStart(s as u32 + 1));
        }
        for (time, event) in roster::shift_events(s, shift) {
            self.calendar.schedule(time, event);
        }
        let always_on = shift.logout_s.is_infinite();
        if always_on && self.absences.any(shift.team) {
            // Always on duty: absence is drawn again each reported day.
            if let Some(d) = model.days.iter().position(|d| model.day_start_s(d) > self.now) {
                self.calendar.schedule(model.day_start_s(&model.days[d]), Event::AbsenceDay(s as u32, d as u32));
            }
        }
        // A team always on duty that is on holiday logs in when it ends.
        if !(always_on && self.downtime.is_away(shift.team)) {
            self.log_in(s);
        }
    }

    /// Shift instance `s`'s agents log in now and take work, less those
    /// absent (drawn now, for the shift, or for the reported day when it
    /// is always on duty).
    fn log_in(&mut self, s: usize) {
        let model = self.model;
        let shift = &model.shifts[s];
        let absent = self.absences.absent(shift.team, shift.agents);
        let present = shift.agents - absent;
        if shift.logout_s.is_finite() {
            self.record.absent(shift.team, self.now, shift.logout_s, absent);
        } else if self.absences.any(shift.team) {
            let next = model.days.iter().find(|d| model.day_start_s(d) > self.now);
            let until = next.map_or(model.report_end_s(), |d| model.day_start_s(d));
            self.record.absent(shift.team, self.now, until, absent);
        }
        self.record.staffed(shift.team, self.now, present as i64);
        let members: Vec<u32> = (0..present).map(|_| self.agents.add(shift.team as u32, self.now)).collect();
        for &a in &members {
            self.become_available(a);
        }
        self.roster.start(s, members);
    }

    /// An outage of team `t` begins (its agents leave the lists of who is
    /// free; those holding work finish it) or ends (its free agents take
    /// waiting work, those holding chats fill their slots).
    fn outage(&mut self, t: usize, begins: bool) {
        if !self.downtime.change(t, true, begins) {
            return;
        }
        for a in self.agents.on_duty(t) {
            let agent = self.agents.get(a);
            // An agent on a break is on no list, and its break's end
            // carries its epoch: left alone.
            match (begins, agent.presence == Presence::On, agent.available(), agent.is_free()) {
                (_, false, _, _) => {}
                (true, true, _, _) => self.agents.touch(a),
                (false, true, true, true) => self.become_available(a),
                (false, true, true, false) => self.fill_chat_slots(a),
                (false, true, false, _) => {}
            }
        }
    }

    /// Outage `k` of team `t` limited to queues begins (its agents take no
    /// new contacts of them; the others as before) or ends (its free
    /// agents, and those with a free chat slot, take waiting work).
    fn queue_outage(&mut self, t: usize, k: usize, begins: bool) {
        let model = self.model;
        self.downtime.change_queues(t, &model.teams[t].queue_outages[k].queues, begins);
        if begins || self.downtime.is_out(t) {
            return;
        }
        for a in self.agents.on_duty(t) {
            let agent = self.agents.get(a);
            if agent.presence != Presence::On || !agent.available() {
                continue;
            }
            let may_take = agent.is_free() || self.has_any_chat_slot(a);
            if may_take {
                if let Some((q, w)) = self.next_contact(a) {
                    self.assign(a, q, w);
                }
            }
        }
    }

    /// A holiday of team `t` begins (the agents of its instances always on
    /// duty log out, finishing what they hold) or ends (they log in again).
    fn holiday(&mut self, t: usize, begins: bool) {
        if !self.downtime.change(t, false, begins) {
            return;
        }
        let now = self.now;
        let always_on = self.model.shifts.iter().enumerate().filter(|(_, s)| s.team == t && s.logout_s.is_infinite());
        let started: Vec<usize> = always_on.filter(|(_, s)| s.login_s <= now).map(|(s, _)| s).collect();
        for s in started {
            match (begins, self.roster.member(s, 0).is_some()) {
                (true, true) => self.logout(s),
                (false, false) => self.log_in(s),
                _ => {}
            }
        }
    }

    /// Reported day `d` starts for shift instance `s`, always on duty:
    /// the day after is set and, unless the team is on holiday, its absent
    /// agents are drawn again.
    fn absence_day(&mut self, s: usize, d: usize) {
        let model = self.model;
        let shift = &model.shifts[s];
        let until = model.days.get(d + 1).map_or(model.report_end_s(), |next| model.day_start_s(next));
        if d + 1 < model.days.len() {
            self.calendar.schedule(until, Event::AbsenceDay(s as u32, d as u32 + 1));
        }
        if self.downtime.is_away(shift.team) {
            return;
        }
        let absent = self.absences.absent(shift.team, shift.agents);
        self.record.absent(shift.team, self.now, until, absent);
        self.resize(Members::Shift(s), shift.team, shift.agents - absent);
    }

    /// Member `k` of shift `s` is due for break `b`: now if free, after its
    /// work if not.
    fn break_due(&mut self, s: usize, b: usize, k: usize) {
        let Some(a) = self.roster.member(s, k) else { return };
        let len = self.model.shifts[s].breaks[b].length_s;
        let agent = self.agents.get(a);
        if agent.presence != Presence::On {
            return;
        }
        if agent.is_free() {
            self.go_on_break(a, len);
        } else {
            self.agents.get_mut(a).pending_break = Some(len);
            self.agents.touch(a);
        }
    }

    /// Agent `a` takes a break of `len` seconds from now: the whole break,
    /// even when work delayed it.
    fn go_on_break(&mut self, a: u32, len: f64) {
        let team = self.agents.get(a).team as usize;
        self.record.staffed(team, self.now, -1);
        self.agents.get_mut(a).presence = Presence::Break;
        self.agents.touch(a);
        let epoch = self.agents.get(a).epoch;
        self.calendar.schedule(self.now + len, Event::BreakEnd(a, epoch));
    }

    fn break_end(&mut self, a: u32, epoch: u32) {
        let agent = self.agents.get(a);
        if agent.epoch != epoch || agent.presence != Presence::Break {
            return;
        }
        self.record.staffed(agent.team as usize, self.now, 1);
        self.agents.get_mut(a).presence = Presence::On;
        self.become_available(a);
    }

    fn logout(&mut self, s: usize) {
        for a in self.roster.end(s) {
            let agent = self.agents.get(a);
            match agent.presence {
                Presence::On if agent.is_free() => self.leave(a),
                // Already off the staffed count.
                Presence::Break => self.agents.retire(a),
                Presence::On => {
                    let agent = self.agents.get_mut(a);
                    agent.pending_logout = true;
                    agent.pending_break = None;
                    self.agents.touch(a);
                }
                Presence::Off => {}
            }
        }
    }

    /// A staffed agent goes home.
    fn leave(&mut self, a: u32) {
        let team = self.agents.get(a).team as usize;
        self.record.staffed(team, self.now, -1);
        self.agents.retire(a);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Model;

    /// A day of one queue (exponential handle times of 180 s, arrivals
    /// `rate`, `patience`) and one team `T` (with `extra_team`), in hourly
    /// intervals.
    pub(crate) fn model(extra_team: &str, rate: &str, patience: &str) -> Model {
        let src = format!(
            r#"
[scenario]
name = "t"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
seed = 3

[[queue]]
name = "q"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
{patience}
arrivals = {{ {rate} }}

[[team]]
name = "T"
skills = ["q"]
{extra_team}
"#
        );
        crate::input::compile(&src, "t.toml").unwrap().model
    }

    #[test]
    fn offered_equals_answered_plus_abandoned_plus_unserved() {
        let m =
            model("agents = 5", "rate_per_hour = 150", "patience = { distribution = \"exponential\", mean_s = 60 }");
        let c = simulate(&m, 0);
        let total = c.total(0);
        assert!(total.offered > 3000, "{total:?}");
        assert!(total.abandoned > 0);
        assert_eq!(total.offered, total.answered + total.abandoned + total.unserved);
    }

    #[test]
    fn nobody_is_answered_when_no_shift_is_on() {
        let m = model("[[team.shift]]\nstart = \"09:00\"\nhours = 1\nagents = 2\n", "rate_per_hour = 60", "");
        let c = simulate(&m, 0);
        // Before 09:00 contacts wait; agents log in at 09:00 and clear the queue.
        let before: u32 = (0..9).map(|i| c.queue_cells(0)[i].answered_within).sum();
        assert_eq!(before, 0);
        let staffed: Vec<f64> = c.team_cells(0).iter().map(|t| t.staffed_s).collect();
        assert_eq!(staffed[8], 0.0);
        assert!((staffed[9] - 7200.0).abs() < 1e-6, "{:?}", &staffed[8..11]);
        assert_eq!(staffed[11], 0.0);
    }

    #[test]
    fn a_break_takes_agents_off_the_phones_for_its_length() {
        let m = model(
            "[[team.shift]]\nstart = \"00:00\"\nhours = 24\nagents = 1\nbreaks = [{ after_minutes = 600, minutes = 60 }]\n",
            "rate_per_hour = 0.001",
            "",
        );
        let c = simulate(&m, 0);
        let staffed: Vec<f64> = c.team_cells(0).iter().map(|t| t.staffed_s).collect();
        assert_eq!(staffed[10], 0.0);
        assert_eq!(staffed[9], 3600.0);
        assert_eq!(staffed[11], 3600.0);
    }

    #[test]
    fn agents_set_at_the_start_behave_as_a_team_of_that_size() {
        let fixed = model("agents = 5", "rate_per_hour = 80", "");
        let empty = model("agents = 0", "rate_per_hour = 80", "");
        let mut stepped = Simulation::new(&empty, 2);
        stepped.set_agents(0, 5);
        stepped.run();
        assert_eq!(stepped.counters(), &simulate(&fixed, 2));
    }

    #[test]
    fn a_clone_continues_exactly_as_the_original() {
        let m =
            model("agents = 0", "rate_per_hour = 150", "patience = { distribution = \"exponential\", mean_s = 60 }");
        let mut a = Simulation::new(&m, 1);
        a.set_agents(0, 6);
        a.run_until(7200.0);
        let mut b = a.clone();
        for s in [&mut a, &mut b] {
            s.set_agents(0, 3);
            s.run_until(10_800.0);
            s.set_agents(0, 8);
            s.run();
        }
        assert_eq!(a.counters(), b.counters());
        // Fewer agents for an hour shows in that hour's abandonment.
        let hour = |s: &Simulation, i: usize| s.counters().queue_cells(0)[i].abandoned;
        assert!(hour(&a, 2) > hour(&a, 1), "{} vs {}", hour(&a, 2), hour(&a, 1));
    }

    #[test]
    fn removing_agents_lets_busy_ones_finish_their_contact() {
        let m = model("agents = 0", "rate_per_hour = 400", "");
        let mut s = Simulation::new(&m, 0);
        s.set_agents(0, 10);
        s.run_until(3600.0);
        s.set_agents(0, 0);
        s.run();
        let cells = s.counters().queue_cells(0);
        // Everything answered before 01:00 was handled; later contacts wait forever.
        assert!(cells[0].answered > 0);
        assert!(cells[2].unserved > 0 && cells[2].answered == 0);
        let staffed: Vec<f64> = s.counters().team_cells(0).iter().map(|t| t.staffed_s).collect();
        assert!((staffed[0] - 36_000.0).abs() < 1e-6);
        assert!(staffed[1] > 0.0 && staffed[1] < 3600.0, "busy agents stay until their contact ends: {}", staffed[1]);
    }

    fn two_queues(teams: &str) -> Model {
        let src = format!(
            r#"
[scenario]
name = "routing"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"

[[queue]]
name = "a"
handle_time = {{ distribution = "constant", value_s = 60 }}
arrivals = {{ rate_per_hour = 0.0001 }}

[[queue]]
name = "b"
handle_time = {{ distribution = "constant", value_s = 60 }}
arrivals = {{ rate_per_hour = 0.0001 }}
{teams}
"#
        );
        crate::input::compile(&src, "t.toml").unwrap().model
    }

    fn waiting(arrival_s: f64) -> Waiting {
        Waiting { arrival_s, deadline_s: f64::INFINITY, handle_s: 60.0 }
    }

    #[test]
    fn a_free_agent_takes_its_highest_priority_skill_first_then_the_longest_waiting() {
        let prioritised =
            two_queues("[[team]]\nname = \"T\"\nskills = [{ queue = \"a\", priority = 1 }, { queue = \"b\", priority = 2 }]\nagents = 0\n");
        let mut s = Simulation::new(&prioritised, 0);
        let a = s.agents.add(0, 0.0);
        s.now = 10.0;
        s.lines.push(1, waiting(0.0));
        s.lines.push(0, waiting(5.0));
        assert_eq!(s.next_contact(a).map(|(q, _)| q), Some(0), "priority 1 goes first even if it waited less");
        assert_eq!(s.next_contact(a).map(|(q, _)| q), Some(1));
        assert!(s.next_contact(a).is_none());

        let equal = two_queues("[[team]]\nname = \"T\"\nskills = [\"a\", \"b\"]\nagents = 0\n");
        let mut s = Simulation::new(&equal, 0);
        let a = s.agents.add(0, 0.0);
        s.now = 10.0;
        s.lines.push(1, waiting(0.0));
        s.lines.push(0, waiting(5.0));
        assert_eq!(s.next_contact(a).map(|(q, _)| q), Some(1), "same priority: the longest waiting");
    }

    /// A team of 40 skills in four priorities, some taken only after an
    /// overflow delay, with contacts waiting in some lines: the free agent
    /// takes, one after another, what a scan of every skill by the rule
    /// gives (highest priority with a contact waiting long enough, then
    /// the longest waiting, then the first skill), though it looks only at
    /// the lines where someone waits.
    #[test]
    fn a_free_agent_takes_what_a_scan_of_every_skill_gives() {
        use rand::{Rng, SeedableRng};
        let n = 40;
        let mut src = String::from(
            "[scenario]\nname = \"many\"\nstart = \"2026-11-23\"\ndays = 1\ninterval_minutes = 60\ntimezone = \"UTC\"\n",
        );
        let mut skills = Vec::new();
        for q in 0..n {
            src += &format!(
                "[[queue]]\nname = \"q{q}\"\nhandle_time = {{ distribution = \"constant\", value_s = 60 }}\narrivals = {{ rate_per_hour = 0.0001 }}\n"
            );
            let after = if q % 5 == 0 { 30 } else { 0 };
            skills.push(format!("{{ queue = \"q{q}\", priority = {}, after_s = {after} }}", 1 + (q * 7) % 4));
        }
        src += &format!("[[team]]\nname = \"T\"\nskills = [{}]\nagents = 0\n", skills.join(", "));
        let model = crate::input::compile(&src, "t.toml").unwrap().model;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        for round in 0..20 {
            let mut s = Simulation::new(&model, 0);
            let a = s.agents.add(0, 0.0);
            s.now = 100.0;
            // Each line's contacts in arrival order, some lines empty.
            let mut expected_lines: Vec<Vec<f64>> = vec![Vec::new(); n];
            for (q, line) in expected_lines.iter_mut().enumerate() {
                let mut times: Vec<f64> =
                    (0..rng.random_range(0..3)).map(|_| rng.random_range(0..100) as f64).collect();
                times.sort_by(f64::total_cmp);
                for &t in &times {
                    s.lines.push(q, waiting(t));
                }
                *line = times;
            }
            loop {
                let team = &model.teams[0];
                let scan = team.skills_by_priority.iter().find_map(|level| {
                    let mut best: Option<(f64, usize)> = None;
                    for skill in level {
                        let Some(&arrival) = expected_lines[skill.queue].first() else { continue };
                        if arrival + skill.after_s <= s.now && best.is_none_or(|(b, _)| arrival < b) {
                            best = Some((arrival, skill.queue));
                        }
                    }
                    best.map(|(_, q)| q)
                });
                let took = s.next_contact(a).map(|(q, _)| q);
                assert_eq!(took, scan, "round {round}");
                match took {
                    Some(q) => drop(expected_lines[q].remove(0)),
                    None => break,
                }
            }
            // What is left waits for its overflow delay.
            assert!(expected_lines.iter().enumerate().all(|(q, l)| l.is_empty() || q % 5 == 0), "round {round}");
        }
    }

    #[test]
    fn an_arriving_contact_goes_to_the_longest_idle_agent_with_the_skill() {
        let m = two_queues(
            "[[team]]\nname = \"B only\"\nskills = [\"b\"]\nagents = 0\n\
             [[team]]\nname = \"Early\"\nskills = [\"a\"]\nagents = 0\n\
             [[team]]\nname = \"Late\"\nskills = [\"a\"]\nagents = 0\n",
        );
        let mut s = Simulation::new(&m, 0);
        s.set_agents(2, 1);
        s.run_until(10.0);
        s.set_agents(1, 1);
        s.set_agents(0, 1);
        s.run_until(20.0);
        let a = s.find_agent(0, 0.0).unwrap();
        assert_eq!(s.agents.get(a).team, 2, "idle since 0 beats idle since 10");
        let a = s.find_agent(0, 0.0).unwrap();
        assert_eq!(s.agents.get(a).team, 1);
        assert!(s.find_agent(0, 0.0).is_none(), "team 0 lacks the skill");
    }

    #[test]
    fn same_replication_same_counters_other_replication_differs() {
        let m = model("agents = 5", "rate_per_hour = 80", "");
        assert_eq!(simulate(&m, 4), simulate(&m, 4));
        assert_ne!(simulate(&m, 4), simulate(&m, 5));
    }

    /// A starved low-priority queue whose callers are sometimes very
    /// patient kept every caller whose patience had run out behind such a
    /// head: the line grew with the arrivals while that head waited. Now it
    /// stays near the callers still patient, and every count is what the
    /// lazy line alone gives.
    #[test]
    fn expired_contacts_behind_a_patient_head_are_dropped_and_counted_the_same() {
        let src = r#"
[scenario]
name = "starved"
start = "2026-11-23"
days = 20
interval_minutes = 60
timezone = "UTC"

[[queue]]
name = "hi"
handle_time = { distribution = "exponential", mean_s = 180 }
patience = { distribution = "exponential", mean_s = 60 }
arrivals = { rate_per_hour = 400 }

[[queue]]
name = "lo"
handle_time = { distribution = "exponential", mean_s = 180 }
patience = { distribution = "lognormal", mean_s = 3600, cv = 10 }
arrivals = { rate_per_hour = 600 }

[[team]]
name = "T"
skills = [{ queue = "hi", priority = 1 }, { queue = "lo", priority = 2 }]
agents = 5
"#;
        let m = crate::input::compile(src, "t.toml").unwrap().model;
        let mut lazy = Simulation::new(&m, 0);
        lazy.lines.never_compact();
        let mut compacted = Simulation::new(&m, 0);
        let (mut lazy_longest, mut longest) = (0, 0);
        for hour in 1..=20 * 24 {
            lazy.run_until(hour as f64 * 3600.0);
            compacted.run_until(hour as f64 * 3600.0);
            lazy_longest = lazy_longest.max(lazy.lines.len(1));
            longest = longest.max(compacted.lines.len(1));
        }
        // 28,300 against 1,048 here.
        assert!(lazy_longest > 20_000, "the lazy line alone grows: {lazy_longest}");
        assert!(longest < 4_000 && 10 * longest < lazy_longest, "{longest} vs {lazy_longest}");
        lazy.run();
        compacted.run();
        assert_eq!(compacted.counters(), lazy.counters());
        let lo = compacted.counters().total(1);
        assert!(lo.abandoned > 100_000 && lo.answered > 0, "{lo:?}");
    }

    /// A queue no team serves, with unlimited patience, kept every contact
    /// until the end (4 GB over ten years). Now nothing is kept but a
    /// deferred queue's oldest item, and every count is what a team of no
    /// agents gives.
    #[test]
    fn a_queue_no_team_serves_keeps_nothing_and_counts_as_a_team_of_no_agents() {
        for queue in [
            "channel = \"voice\"",
            "channel = \"chat\"\npatience = { distribution = \"exponential\", mean_s = 600 }",
            "channel = \"email\"\ninitial_backlog = { items = 50, mean_age_hours = 3 }",
            "channel = \"email\"",
        ] {
            let scenario = |zero_team: &str| {
                let src = format!(
                    "[scenario]\nname = \"t\"\nstart = \"2026-11-23\"\ndays = 30\ninterval_minutes = 60\ntimezone = \"UTC\"\n\
                     [[queue]]\nname = \"q\"\n{queue}\nhandle_time = {{ distribution = \"exponential\", mean_s = 60 }}\narrivals = {{ rate_per_hour = 300 }}\n\
                     [[queue]]\nname = \"other\"\nhandle_time = {{ distribution = \"exponential\", mean_s = 60 }}\narrivals = {{ rate_per_hour = 30 }}\n\
                     [[team]]\nname = \"T\"\nskills = [\"other\"]\nagents = 2\n{zero_team}"
                );
                crate::input::compile(&src, "t.toml").unwrap().model
            };
            let (unserved, idle) = (scenario(""), scenario("[[team]]\nname = \"Z\"\nskills = [\"q\"]\nagents = 0\n"));
            assert!(unserved.queues[0].served_by.is_empty() && !idle.queues[0].served_by.is_empty());
            let mut s = Simulation::new(&unserved, 3);
            s.run_until(30.0 * 86_400.0);
            assert!(s.lines.len(0) <= 50, "{queue}: {}", s.lines.len(0));
            s.run();
            let t = simulate(&idle, 3);
            let c = s.counters();
            assert!(c.total(0).offered > 200_000, "{queue}");
            assert_eq!(c.queue_cells(0), t.queue_cells(0), "{queue}");
            assert_eq!(c.backlog_cells(0), t.backlog_cells(0), "{queue}");
            assert_eq!(c.flow_cells(0), t.flow_cells(0), "{queue}");
            assert_eq!(c.queue_cells(1), t.queue_cells(1), "{queue}");
        }
    }

    #[test]
    fn agent_lists_do_not_grow_with_contacts() {
        // 50 chat agents for 5 Erlangs of work: an idle agent is always
        // found, so the lists of agents with a free slot are never taken
        // from, yet every chat puts an agent on one.
        let src = r#"
[scenario]
name = "lists"
start = "2026-11-23"
days = 3
interval_minutes = 60
timezone = "UTC"

[[queue]]
name = "chat"
channel = "chat"
concurrency = 3
handle_time = { distribution = "exponential", mean_s = 60 }
arrivals = { rate_per_hour = 300 }

[[team]]
name = "T"
skills = ["chat"]
agents = 50
"#;
        let m = crate::input::compile(src, "t.toml").unwrap().model;
        let mut s = Simulation::new(&m, 0);
        s.run_until(3.0 * 86_400.0);
        assert!(s.record.counters.total(0).answered > 20_000);
        assert!(s.agents.longest_list() <= 2 * 50 + 16, "{}", s.agents.longest_list());
    }
}
