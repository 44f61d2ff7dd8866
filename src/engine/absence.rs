//! Unplanned absence as one replication lives it: how many of the agents a
//! shift instance (or, for a team always on duty, a day) puts on duty miss
//! it, each independently with the team's `absence_rate`, drawn on a
//! stream of the team's own.

use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};

use crate::model::Team;
use crate::streams::{stream, Source};

/// Each team's absence draws in one replication.
#[derive(Clone)]
pub(super) struct Absences {
    /// Per team, its rate and stream; `None` for a team nobody misses.
    teams: Vec<Option<(f64, ChaCha8Rng)>>,
}

impl Absences {
    pub(super) fn new(teams: &[Team], seed: u64, replication: u32) -> Self {
        let teams = teams
            .iter()
            .enumerate()
            .map(|(t, team)| {
                (team.absence.rate > 0.0).then(|| (team.absence.rate, stream(seed, replication, t, Source::Absence)))
            })
            .collect();
        Absences { teams }
    }

    /// Whether team `t` has absence at all.
    pub(super) fn any(&self, t: usize) -> bool {
        self.teams[t].is_some()
    }

    /// How many of `agents` agents of team `t` miss their shift (or day).
    pub(super) fn absent(&mut self, t: usize, agents: u32) -> u32 {
        match &mut self.teams[t] {
            Some((rate, rng)) if agents > 0 => {
                let draw = Binomial::new(agents as u64, *rate).expect("a rate in [0, 1) is a probability");
                draw.sample(rng) as u32
            }
            _ => 0,
        }
    }
}
