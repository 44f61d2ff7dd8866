//! One replication: a discrete-event simulation of the operation.
//!
//! The clock jumps from event to event (arrivals, service completions,
//! shift logins, breaks, logouts). Statistics stream into per-interval
//! counters; no contact is remembered once it is answered or abandoned.
//!
//! Abandonment is lazy: a waiting contact carries its deadline (arrival +
//! patience) and is counted as abandoned when an agent reaches it too late,
//! which is exact for first-come-first-served queues and needs no event.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};

use crate::model::Model;
use crate::stats::{Counters, QueueCell};

/// Random sources of a queue; each gets its own stream so that changing one
/// (say, the patience distribution) leaves the others' draws unchanged.
#[derive(Clone, Copy)]
enum Source {
    Arrivals = 0,
    HandleTime = 1,
    Patience = 2,
}

/// The generator of one random source of one queue in one replication,
/// derived from (seed, replication, queue, source) alone.
pub fn stream(seed: u64, replication: u32, queue: usize, source: u8) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(((replication as u64) << 24) | ((queue as u64) << 4) | source as u64);
    rng
}

/// Runs replication `replication` of `model` and returns its counters.
pub fn simulate(model: &Model, replication: u32) -> Counters {
    let mut engine = Simulation::new(model, replication);
    engine.run();
    engine.counters
}

/// Roster events on the calendar. The two events every contact causes are
/// kept apart, each where it is cheapest: a queue's next arrival beside the
/// calendar, and service completions in a heap of their own with small
/// entries ([`Departure`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    ShiftStart(u32),
    /// Shift instance, break index, member of the shift.
    BreakStart(u32, u16, u16),
    /// Agent, its epoch when the break began.
    BreakEnd(u32, u32),
    Logout(u32),
}

/// An event on the calendar. Ties in time go to the earlier scheduled
/// (sequence number), so runs are reproducible and simultaneous events keep
/// the order they were scheduled in.
#[derive(Clone)]
struct Scheduled {
    time: f64,
    seq: u64,
    event: Event,
}

/// An agent finishing its contact. Simultaneous departures go in agent
/// order, so runs are reproducible.
#[derive(Clone, Copy)]
struct Departure {
    time: f64,
    agent: u32,
}

impl PartialEq for Departure {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Departure {}
impl PartialOrd for Departure {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Departure {
    /// Reversed, for the max-heap: the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.time.total_cmp(&self.time).then_with(|| other.agent.cmp(&self.agent))
    }
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    /// Reversed: `BinaryHeap` is a max-heap and the earliest must come first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.time.total_cmp(&self.time).then_with(|| other.seq.cmp(&self.seq))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AgentState {
    Off,
    Idle,
    Busy,
    Break,
}

#[derive(Debug, Clone)]
struct Agent {
    team: u32,
    state: AgentState,
    /// When it last became idle, seconds (longest-idle routing).
    idle_since: f64,
    /// Bumped at every state change; stale idle-list entries and break ends
    /// carry an old epoch and are ignored.
    epoch: u32,
    /// A break that fell due while busy: its length, seconds.
    pending_break: Option<f64>,
    /// The shift ended while busy: leave after this contact.
    pending_logout: bool,
}

/// A contact waiting for an agent.
#[derive(Debug, Clone, Copy)]
struct Waiting {
    arrival_s: f64,
    deadline_s: f64,
    handle_s: f64,
}

impl Waiting {
    /// Whether the contact still waits at `now`: its patience has not run
    /// out (a contact leaves only once its deadline has passed).
    fn still_patient(&self, now: f64) -> bool {
        self.deadline_s >= now
    }
}

#[derive(Clone)]
struct QueueState {
    waiting: VecDeque<Waiting>,
    arrivals: ChaCha8Rng,
    handle: ChaCha8Rng,
    patience: ChaCha8Rng,
    /// Index of the rate segment the next arrival is drawn in.
    segment: usize,
    /// When the next contact arrives; infinite when none will.
    next_arrival: f64,
}

/// Time-weighted count (agents staffed) integrated into interval cells.
#[derive(Clone, Copy)]
struct StaffedClock {
    agents: u32,
    since: f64,
}

/// The state of one replication, which can be run to the end ([`simulate`])
/// or stepped: run to an instant, change a team's agents, clone to try
/// alternatives on the same random numbers (the staffing search).
#[derive(Clone)]
pub struct Simulation<'m> {
    model: &'m Model,
    now: f64,
    seq: u64,
    calendar: BinaryHeap<Scheduled>,
    departures: BinaryHeap<Departure>,
    queues: Vec<QueueState>,
    agents: Vec<Agent>,
    free_agents: Vec<u32>,
    /// Per team, idle agents with the epoch they became idle at, longest idle first.
    idle: Vec<VecDeque<(u32, u32)>>,
    /// Per shift instance, its agents while it is on.
    shift_agents: Vec<Vec<u32>>,
    /// Per team, the agents put on duty by [`Simulation::set_agents`].
    pool: Vec<Vec<u32>>,
    staffed: Vec<StaffedClock>,
    report_end: f64,
    /// 1 / interval length, 1/seconds: a multiply is cheaper than a divide.
    per_interval: f64,
    counters: Counters,
}

impl<'m> Simulation<'m> {
    /// Replication `replication` of `model`, at the start of its warm-up.
    pub fn new(model: &'m Model, replication: u32) -> Self {
        let queues = (0..model.queues.len())
            .map(|q| QueueState {
                waiting: VecDeque::new(),
                arrivals: stream(model.seed, replication, q, Source::Arrivals as u8),
                handle: stream(model.seed, replication, q, Source::HandleTime as u8),
                patience: stream(model.seed, replication, q, Source::Patience as u8),
                segment: 0,
                next_arrival: f64::INFINITY,
            })
            .collect();
        let start = -model.warmup_s;
        let mut engine = Simulation {
            model,
            now: start,
            seq: 0,
            calendar: BinaryHeap::with_capacity(1024),
            departures: BinaryHeap::with_capacity(1024),
            queues,
            agents: Vec::new(),
            free_agents: Vec::new(),
            idle: vec![VecDeque::new(); model.teams.len()],
            shift_agents: vec![Vec::new(); model.shifts.len()],
            pool: vec![Vec::new(); model.teams.len()],
            staffed: vec![StaffedClock { agents: 0, since: start }; model.teams.len()],
            report_end: model.report_end_s(),
            per_interval: 1.0 / model.interval_s,
            counters: Counters::new(model.queues.len(), model.teams.len(), model.n_intervals),
        };
        for q in 0..model.queues.len() {
            let first = model.queues[q].arrivals.first().map_or(start, |s| s.start_s);
            engine.schedule_arrival(q, first);
        }
        if !model.shifts.is_empty() {
            engine.schedule(model.shifts[0].login_s, Event::ShiftStart(0));
        }
        engine
    }

    fn schedule(&mut self, time: f64, event: Event) {
        self.seq += 1;
        self.calendar.push(Scheduled { time, seq: self.seq, event });
    }

    /// The queue with the earliest next arrival (the first on ties).
    fn next_arrival(&self) -> (usize, f64) {
        let mut best = (0, f64::INFINITY);
        for (q, state) in self.queues.iter().enumerate() {
            if state.next_arrival < best.1 {
                best = (q, state.next_arrival);
            }
        }
        best
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
    /// sets the clock to `until` (if finite).
    pub fn run_until(&mut self, until: f64) {
        loop {
            let (q, arrival) = self.next_arrival();
            let roster = self.calendar.peek().map_or(f64::INFINITY, |e| e.time);
            let departure = self.departures.peek().map_or(f64::INFINITY, |d| d.time);
            let first = arrival.min(roster).min(departure);
            if first >= until || first == f64::INFINITY {
                break;
            }
            // At one instant: roster changes, then departures, then arrivals.
            if roster == first {
                let Scheduled { time, event, .. } = self.calendar.pop().expect("peeked");
                self.now = time;
                match event {
                    Event::ShiftStart(s) => self.shift_start(s as usize),
                    Event::BreakStart(s, b, k) => self.break_start(s as usize, b as usize, k as usize),
                    Event::BreakEnd(a, epoch) => self.break_end(a, epoch),
                    Event::Logout(s) => self.logout(s as usize),
                }
            } else if departure == first {
                let Departure { time, agent } = self.departures.pop().expect("peeked");
                self.now = time;
                self.done(agent);
            } else {
                self.now = arrival;
                self.arrival(q);
            }
        }
        if until.is_finite() {
            self.now = self.now.max(until);
        }
    }

    /// Puts exactly `n` agents of team `team` on duty from now, beside any
    /// shifts: new agents start idle; agents leaving are the idle ones
    /// first (newest first), then busy ones, who finish their contact.
    pub fn set_agents(&mut self, team: usize, n: u32) {
        let current = self.pool[team].len() as u32;
        if n > current {
            self.set_staffed(team, (n - current) as i64);
            let fresh: Vec<u32> = (current..n).map(|_| self.new_agent(team as u32)).collect();
            self.pool[team].extend_from_slice(&fresh);
            for a in fresh {
                self.become_available(a);
            }
            return;
        }
        let mut excess = (current - n) as usize;
        for state in [AgentState::Idle, AgentState::Busy] {
            let mut k = self.pool[team].len();
            while excess > 0 && k > 0 {
                k -= 1;
                let a = self.pool[team][k];
                if self.agents[a as usize].state != state {
                    continue;
                }
                self.pool[team].remove(k);
                excess -= 1;
                match state {
                    AgentState::Idle => self.leave(a),
                    _ => self.agents[a as usize].pending_logout = true,
                }
            }
        }
    }

    /// Counters from now on cover only intervals `first..first + len`;
    /// what was counted so far is dropped. Zero `len` counts nothing, which
    /// makes a state cheap to clone.
    pub fn restrict_counters(&mut self, first: usize, len: usize) {
        self.counters = Counters::window(self.model.queues.len(), self.model.teams.len(), first, len);
    }

    /// The counters so far. Contacts that abandoned but that no agent has
    /// reached yet are counted only after [`Simulation::settle`].
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Whether queue `q` still holds a contact that arrived before
    /// `before_s` and whose patience has not run out: one whose outcome is
    /// not known yet. Waiting contacts are in arrival order.
    pub fn has_pending_before(&self, q: usize, before_s: f64) -> bool {
        let now = self.now;
        self.queues[q].waiting.iter().take_while(|w| w.arrival_s < before_s).any(|w| w.still_patient(now))
    }

    /// Counts every waiting contact whose patience has run out as abandoned
    /// and brings staffed time up to now, so the counters are complete for
    /// every contact resolved by now.
    pub fn settle(&mut self) {
        let now = self.now;
        for q in 0..self.queues.len() {
            let within = self.model.queues[q].targets.within_s;
            let mut waiting = std::mem::take(&mut self.queues[q].waiting);
            waiting.retain(|w| {
                let gone = !w.still_patient(now);
                if gone {
                    self.count_abandon(q, *w, within);
                }
                !gone
            });
            self.queues[q].waiting = waiting;
        }
        for t in 0..self.staffed.len() {
            self.set_staffed(t, 0);
        }
    }

    /// Draws the next arrival of queue `q` after `from` in its piecewise
    /// constant rate: exact, since the exponential is memoryless at segment
    /// boundaries. Infinite once past the reported span.
    fn schedule_arrival(&mut self, q: usize, from: f64) {
        let segments = &self.model.queues[q].arrivals;
        let state = &mut self.queues[q];
        let mut t = from;
        state.next_arrival = f64::INFINITY;
        while let Some(seg) = segments.get(state.segment) {
            if seg.rate_per_s > 0.0 {
                let gap: f64 = Exp1.sample(&mut state.arrivals);
                let candidate = t.max(seg.start_s) + gap / seg.rate_per_s;
                if candidate < seg.end_s {
                    state.next_arrival = candidate;
                    return;
                }
            }
            t = seg.end_s;
            state.segment += 1;
        }
    }

    fn interval_of(&self, t: f64) -> Option<usize> {
        if t < 0.0 || t >= self.report_end {
            return None;
        }
        Some(((t * self.per_interval) as usize).min(self.model.n_intervals - 1))
    }

    fn cell(&mut self, q: usize, t: f64) -> Option<&mut QueueCell> {
        let i = self.interval_of(t)?;
        self.counters.queue_cell(q, i)
    }

    fn arrival(&mut self, q: usize) {
        let now = self.now;
        self.schedule_arrival(q, now);
        let queue = &self.model.queues[q];
        let state = &mut self.queues[q];
        let handle_s = queue.handle_time.sample(&mut state.handle);
        let deadline_s = match &queue.patience {
            Some(p) => now + p.sample(&mut state.patience),
            None => f64::INFINITY,
        };
        if let Some(cell) = self.cell(q, now) {
            cell.offered += 1;
        }
        self.purge_abandoned(q);
        let contact = Waiting { arrival_s: now, deadline_s, handle_s };
        match self.longest_idle_agent(q) {
            Some(agent) => self.answer(agent, q, contact),
            None => self.queues[q].waiting.push_back(contact),
        }
    }

    /// The longest-idle agent of any team with the skill, removed from its
    /// idle list.
    fn longest_idle_agent(&mut self, q: usize) -> Option<u32> {
        let mut best: Option<(f64, usize)> = None;
        for &t in &self.model.queues[q].served_by {
            let idle = &mut self.idle[t];
            // Drop entries made stale by a break or logout.
            while let Some(&(a, epoch)) = idle.front() {
                let agent = &self.agents[a as usize];
                if agent.epoch == epoch && agent.state == AgentState::Idle {
                    break;
                }
                idle.pop_front();
            }
            if let Some(&(a, _)) = idle.front() {
                let since = self.agents[a as usize].idle_since;
                if best.is_none_or(|(b, _)| since < b) {
                    best = Some((since, t));
                }
            }
        }
        let (_, t) = best?;
        self.idle[t].pop_front().map(|(a, _)| a)
    }

    /// Counts and drops the contacts at the head of queue `q` whose patience
    /// ran out before now.
    fn purge_abandoned(&mut self, q: usize) {
        let now = self.now;
        let within = self.model.queues[q].targets.within_s;
        while let Some(&w) = self.queues[q].waiting.front() {
            if w.still_patient(now) {
                break;
            }
            self.queues[q].waiting.pop_front();
            self.count_abandon(q, w, within);
        }
    }

    fn count_abandon(&mut self, q: usize, w: Waiting, within: f64) {
        if let Some(cell) = self.cell(q, w.arrival_s) {
            cell.abandoned += 1;
            if w.deadline_s - w.arrival_s <= within {
                cell.abandoned_within += 1;
            }
        }
    }

    /// Agent `a` starts on contact `w` of queue `q` now.
    fn answer(&mut self, a: u32, q: usize, w: Waiting) {
        let now = self.now;
        let wait = now - w.arrival_s;
        let within = self.model.queues[q].targets.within_s;
        if let Some(cell) = self.cell(q, w.arrival_s) {
            cell.answered += 1;
            cell.wait_answered_s += wait;
            cell.handle_s += w.handle_s;
            if wait <= within {
                cell.answered_within += 1;
            }
        }
        let agent = &mut self.agents[a as usize];
        agent.state = AgentState::Busy;
        agent.epoch = agent.epoch.wrapping_add(1);
        let team = agent.team as usize;
        let end = now + w.handle_s;
        self.counters.add_busy(team, now, end, self.model.interval_s);
        self.departures.push(Departure { time: end, agent: a });
    }

    /// The next contact for a free agent of team `t`: its highest-priority
    /// skill with anyone waiting, then the longest-waiting contact there.
    fn next_contact(&mut self, t: usize) -> Option<(usize, Waiting)> {
        let model = self.model;
        for level in &model.teams[t].skills_by_priority {
            let mut best: Option<(f64, usize)> = None;
            for &q in level {
                self.purge_abandoned(q);
                if let Some(w) = self.queues[q].waiting.front() {
                    if best.is_none_or(|(b, _)| w.arrival_s < b) {
                        best = Some((w.arrival_s, q));
                    }
                }
            }
            if let Some((_, q)) = best {
                let w = self.queues[q].waiting.pop_front().expect("head seen above");
                return Some((q, w));
            }
        }
        None
    }

    /// Agent `a` is free now: take waiting work or go idle.
    fn become_available(&mut self, a: u32) {
        let t = self.agents[a as usize].team as usize;
        match self.next_contact(t) {
            Some((q, w)) => self.answer(a, q, w),
            None => {
                let agent = &mut self.agents[a as usize];
                agent.state = AgentState::Idle;
                agent.idle_since = self.now;
                agent.epoch = agent.epoch.wrapping_add(1);
                self.idle[t].push_back((a, agent.epoch));
            }
        }
    }

    fn done(&mut self, a: u32) {
        let agent = &mut self.agents[a as usize];
        if agent.pending_logout {
            self.leave(a);
        } else if let Some(len) = agent.pending_break.take() {
            self.go_on_break(a, len);
        } else {
            self.become_available(a);
        }
    }

    fn set_staffed(&mut self, team: usize, delta: i64) {
        let clock = &mut self.staffed[team];
        self.counters.add_staffed(team, clock.since, self.now, clock.agents as f64, self.model.interval_s);
        clock.since = self.now;
        clock.agents = (clock.agents as i64 + delta) as u32;
    }

    fn shift_start(&mut self, s: usize) {
        let model = self.model;
        let shift = &model.shifts[s];
        if let Some(next) = model.shifts.get(s + 1) {
            self.schedule(next.login_s, Event::ShiftStart(s as u32 + 1));
        }
        let n = shift.agents as usize;
        for (b, brk) in shift.breaks.iter().enumerate() {
            for k in 0..n {
                self.schedule(brk.start_of(k, n), Event::BreakStart(s as u32, b as u16, k as u16));
            }
        }
        if shift.logout_s.is_finite() {
            self.schedule(shift.logout_s, Event::Logout(s as u32));
        }
        self.set_staffed(shift.team, shift.agents as i64);
        let mut members = Vec::with_capacity(shift.agents as usize);
        for _ in 0..shift.agents {
            let a = self.new_agent(shift.team as u32);
            members.push(a);
        }
        for &a in &members {
            self.become_available(a);
        }
        self.shift_agents[s] = members;
    }

    fn new_agent(&mut self, team: u32) -> u32 {
        let fresh = Agent {
            team,
            state: AgentState::Idle,
            idle_since: self.now,
            epoch: 0,
            pending_break: None,
            pending_logout: false,
        };
        match self.free_agents.pop() {
            Some(a) => {
                let epoch = self.agents[a as usize].epoch.wrapping_add(1);
                self.agents[a as usize] = Agent { epoch, ..fresh };
                a
            }
            None => {
                self.agents.push(fresh);
                (self.agents.len() - 1) as u32
            }
        }
    }

    /// Member `k` of shift `s` is due for break `b`: now if idle, after its
    /// contact if busy.
    fn break_start(&mut self, s: usize, b: usize, k: usize) {
        let Some(&a) = self.shift_agents[s].get(k) else { return };
        let len = self.model.shifts[s].breaks[b].length_s;
        match self.agents[a as usize].state {
            AgentState::Idle => self.go_on_break(a, len),
            AgentState::Busy => self.agents[a as usize].pending_break = Some(len),
            AgentState::Break | AgentState::Off => {}
        }
    }

    /// Agent `a` takes a break of `len` seconds from now: the whole break,
    /// even when a contact delayed it.
    fn go_on_break(&mut self, a: u32, len: f64) {
        let team = self.agents[a as usize].team as usize;
        self.set_staffed(team, -1);
        let agent = &mut self.agents[a as usize];
        agent.state = AgentState::Break;
        agent.epoch = agent.epoch.wrapping_add(1);
        let epoch = agent.epoch;
        self.schedule(self.now + len, Event::BreakEnd(a, epoch));
    }

    fn break_end(&mut self, a: u32, epoch: u32) {
        let agent = &self.agents[a as usize];
        if agent.epoch != epoch || agent.state != AgentState::Break {
            return;
        }
        let team = agent.team as usize;
        self.set_staffed(team, 1);
        self.become_available(a);
    }

    fn logout(&mut self, s: usize) {
        let members = std::mem::take(&mut self.shift_agents[s]);
        for a in members {
            let agent = &mut self.agents[a as usize];
            match agent.state {
                AgentState::Idle => self.leave(a),
                AgentState::Break => {
                    // Already off the staffed count.
                    agent.state = AgentState::Off;
                    agent.epoch = agent.epoch.wrapping_add(1);
                    self.free_agents.push(a);
                }
                AgentState::Busy => {
                    agent.pending_logout = true;
                    agent.pending_break = None;
                }
                AgentState::Off => {}
            }
        }
    }

    /// A staffed agent goes home.
    fn leave(&mut self, a: u32) {
        let team = self.agents[a as usize].team as usize;
        self.set_staffed(team, -1);
        let agent = &mut self.agents[a as usize];
        agent.state = AgentState::Off;
        agent.epoch = agent.epoch.wrapping_add(1);
        self.free_agents.push(a);
    }

    /// The calendar is empty: contacts still waiting either ran out of
    /// patience or were never served; staffed time runs to the end.
    fn finish(&mut self) {
        self.now = self.now.max(self.report_end);
        for q in 0..self.queues.len() {
            let within = self.model.queues[q].targets.within_s;
            while let Some(w) = self.queues[q].waiting.pop_front() {
                if w.deadline_s.is_finite() {
                    self.count_abandon(q, w, within);
                } else if let Some(cell) = self.cell(q, w.arrival_s) {
                    cell.unserved += 1;
                }
            }
        }
        for t in 0..self.staffed.len() {
            self.set_staffed(t, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    fn model(extra_team: &str, rate: &str, patience: &str) -> Model {
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
        Model::from_toml(&src, "t.toml").unwrap().model
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
        assert_eq!(stepped.counters, simulate(&fixed, 2));
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
        assert_eq!(a.counters, b.counters);
        // Fewer agents for an hour shows in that hour's abandonment.
        let hour = |s: &Simulation, i: usize| s.counters.queue_cells(0)[i].abandoned;
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
        let cells = s.counters.queue_cells(0);
        // Everything answered before 01:00 was handled; later contacts wait forever.
        assert!(cells[0].answered > 0);
        assert!(cells[2].unserved > 0 && cells[2].answered == 0);
        let staffed: Vec<f64> = s.counters.team_cells(0).iter().map(|t| t.staffed_s).collect();
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
        Model::from_toml(&src, "t.toml").unwrap().model
    }

    fn waiting(arrival_s: f64) -> Waiting {
        Waiting { arrival_s, deadline_s: f64::INFINITY, handle_s: 60.0 }
    }

    #[test]
    fn a_free_agent_takes_its_highest_priority_skill_first_then_the_longest_waiting() {
        let prioritised =
            two_queues("[[team]]\nname = \"T\"\nskills = [{ queue = \"a\", priority = 1 }, { queue = \"b\", priority = 2 }]\nagents = 0\n");
        let mut s = Simulation::new(&prioritised, 0);
        s.queues[1].waiting.push_back(waiting(0.0));
        s.queues[0].waiting.push_back(waiting(5.0));
        assert_eq!(s.next_contact(0).map(|(q, _)| q), Some(0), "priority 1 goes first even if it waited less");
        assert_eq!(s.next_contact(0).map(|(q, _)| q), Some(1));
        assert!(s.next_contact(0).is_none());

        let equal = two_queues("[[team]]\nname = \"T\"\nskills = [\"a\", \"b\"]\nagents = 0\n");
        let mut s = Simulation::new(&equal, 0);
        s.queues[1].waiting.push_back(waiting(0.0));
        s.queues[0].waiting.push_back(waiting(5.0));
        assert_eq!(s.next_contact(0).map(|(q, _)| q), Some(1), "same priority: the longest waiting");
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
        let a = s.longest_idle_agent(0).unwrap();
        assert_eq!(s.agents[a as usize].team, 2, "idle since 0 beats idle since 10");
        let a = s.longest_idle_agent(0).unwrap();
        assert_eq!(s.agents[a as usize].team, 1);
        assert!(s.longest_idle_agent(0).is_none(), "team 0 lacks the skill");
    }

    #[test]
    fn same_replication_same_counters_other_replication_differs() {
        let m = model("agents = 5", "rate_per_hour = 80", "");
        assert_eq!(simulate(&m, 4), simulate(&m, 4));
        assert_ne!(simulate(&m, 4), simulate(&m, 5));
    }
}
