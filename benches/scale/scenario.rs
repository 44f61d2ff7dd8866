//! Generated scenarios of many queues and teams, for the scale bench
//! (`benches/scale.rs`) and the memory-estimate test (`tests/scale.rs`),
//! which include this file: scenario text built in code, compiled by
//! [`wfmsim::input::compile`] as any user's file is.
//!
//! The shape: `queues` voice queues, each with lognormal handle times and
//! exponential patience, arriving at a constant rate; `teams` teams of
//! `agents` agents always on duty, team `t` serving the `skills` queues
//! from queue `t × queues / teams` on (wrapping), its j-th skill at
//! priority 1 + ⌊10 j / skills⌋ (each skill its own priority up to ten
//! skills, ten tiers beyond).
//!
//! The rows of [`table`] are one operation (2,000 agents, 21,600 contacts
//! an hour, 90 % load) split into more and more queues and teams, so that
//! they differ in nothing but the routing: the cost per contact should not
//! depend on the split.

#![allow(dead_code)]

use wfmsim::model::Model;

/// A generated operation.
#[derive(Debug, Clone, Copy)]
pub struct Floor {
    /// Voice queues.
    pub queues: usize,
    /// Teams.
    pub teams: usize,
    /// Queues each team serves.
    pub skills: usize,
    /// Agents of each team, always on duty.
    pub agents: u32,
    /// Arrivals of each queue, per hour.
    pub rate_per_hour: f64,
    /// Mean handle time, seconds (lognormal, CV 0.8).
    pub aht_s: f64,
    /// Mean patience, seconds (exponential).
    pub patience_s: f64,
    /// Days simulated.
    pub days: u32,
    /// Replications of a run.
    pub replications: u32,
}

/// Agents of the operation that [`Floor::square`] splits.
const AGENTS: u32 = 2000;
/// Handle time of [`Floor::square`], seconds.
const AHT_S: f64 = 300.0;
/// Load of every generated operation: offered work / agents.
pub const LOAD: f64 = 0.9;

impl Floor {
    /// 2,000 agents split into `n` teams (`n` divides 2,000), serving `n`
    /// queues, each team `skills` of them, for a week, one replication;
    /// every queue gets the arrivals that load the agents to [`LOAD`]
    /// (21,600 an hour in all at 300 s).
    pub fn square(n: usize, skills: usize) -> Self {
        let agents = AGENTS / n as u32;
        Floor {
            queues: n,
            teams: n,
            skills,
            agents,
            rate_per_hour: LOAD * 3600.0 * agents as f64 / AHT_S,
            aht_s: AHT_S,
            patience_s: 180.0,
            days: 7,
            replications: 1,
        }
    }

    /// `queues` queues of one contact an hour each served by one team of
    /// 50 agents, handle times set for [`LOAD`], 100 replications of a
    /// day.
    pub fn one_team(queues: usize) -> Self {
        let agents = 50;
        Floor {
            queues,
            teams: 1,
            skills: queues,
            agents,
            rate_per_hour: 1.0,
            aht_s: LOAD * 3600.0 * agents as f64 / queues as f64,
            patience_s: 180.0,
            days: 1,
            replications: 100,
        }
    }

    /// A short label: `200x200 (5)`.
    pub fn label(&self) -> String {
        format!("{}x{} ({})", self.queues, self.teams, self.skills)
    }

    /// A benchmark id: `q200_t200_k5`, with `_r100` for replications.
    pub fn id(&self) -> String {
        let id = format!("q{}_t{}_k{}", self.queues, self.teams, self.skills);
        match self.replications {
            1 => id,
            r => format!("{id}_r{r}"),
        }
    }

    /// Contacts expected in one replication.
    pub fn contacts_per_replication(&self) -> f64 {
        self.queues as f64 * self.rate_per_hour * 24.0 * self.days as f64
    }

    /// The scenario's text.
    pub fn toml(&self) -> String {
        let mut s = format!(
            "[scenario]\nname = \"{}\"\nstart = \"2026-11-23\"\ndays = {}\ninterval_minutes = 30\ntimezone = \"UTC\"\nreplications = {}\nseed = 1\n\n",
            self.label(),
            self.days,
            self.replications
        );
        for q in 0..self.queues {
            s += &format!(
                "[[queue]]\nname = \"q{q}\"\nhandle_time = {{ distribution = \"lognormal\", mean_s = {}, cv = 0.8 }}\n\
                 patience = {{ distribution = \"exponential\", mean_s = {} }}\n\
                 target = {{ service_level = 0.8, within_s = 20 }}\narrivals = {{ rate_per_hour = {} }}\n\n",
                self.aht_s, self.patience_s, self.rate_per_hour
            );
        }
        for t in 0..self.teams {
            let first = t * self.queues / self.teams;
            let skills: Vec<String> = (0..self.skills.min(self.queues))
                .map(|j| {
                    let q = (first + j) % self.queues;
                    format!("{{ queue = \"q{q}\", priority = {} }}", 1 + 10 * j / self.skills)
                })
                .collect();
            s += &format!("[[team]]\nname = \"t{t}\"\nskills = [{}]\nagents = {}\n\n", skills.join(", "), self.agents);
        }
        s
    }

    /// The compiled scenario.
    pub fn model(&self) -> Model {
        wfmsim::input::compile(&self.toml(), "scale.toml").expect("a generated scenario compiles").model
    }
}

/// The rows of the scale table: queues × teams (skills per team).
pub fn table() -> Vec<Floor> {
    vec![Floor::square(1, 1), Floor::square(10, 3), Floor::square(50, 4), Floor::square(50, 12), Floor::square(200, 5)]
}
