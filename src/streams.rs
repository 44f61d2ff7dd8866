//! Every random source of wfmsim and the stream it draws from, in one
//! table. A stream is ChaCha8 seeded with the run's seed and set to a
//! stream id derived from (replication, owner, source) alone, so that
//! changing one source (say, the patience distribution) leaves every other
//! source's draws unchanged, and replication *i* draws the same numbers on
//! any thread and any machine.
//!
//! Stream ids of the simulation: bits 0–3 the source, bits 4–23 the owner
//! (a queue's index; a team's for absence), bits 24 and up the
//! replication. The workforce of a capacity plan draws from the run's seed
//! salted (`"plan"`), its stream id the replication (bits 24 and up) and
//! the team (bits 0–23).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A random source: what its draws decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A queue's arrival times.
    Arrivals,
    /// A queue's handle times.
    HandleTime,
    /// A queue's patience (abandonment).
    Patience,
    /// Handle times of a queue's initial backlog.
    Backlog,
    /// A queue's own daily volume factor (forecast error).
    Volume,
    /// A queue's volume factor per interval (forecast error).
    Intraday,
    /// A queue's daily handle-time factor (forecast error).
    Aht,
    /// The daily volume factor every queue shares (forecast error; owner
    /// 0).
    SharedVolume,
    /// A team's missed shifts (absence; the team is the owner).
    Absence,
    /// A capacity plan's workforce: attrition draws (the team is the
    /// owner).
    Workforce,
}

impl Source {
    /// Every source, in the order of their ids.
    pub const ALL: [Source; 10] = [
        Source::Arrivals,
        Source::HandleTime,
        Source::Patience,
        Source::Backlog,
        Source::Volume,
        Source::Intraday,
        Source::Aht,
        Source::SharedVolume,
        Source::Absence,
        Source::Workforce,
    ];

    /// The source's number in a stream id (below 16).
    pub const fn id(self) -> u8 {
        match self {
            Source::Arrivals => 0,
            Source::HandleTime => 1,
            Source::Patience => 2,
            Source::Backlog => 3,
            Source::Volume => 4,
            Source::Intraday => 5,
            Source::Aht => 6,
            Source::SharedVolume => 7,
            Source::Absence => 8,
            Source::Workforce => 9,
        }
    }
}

/// Most owners (queues, teams) whose streams stay apart: the owner has 20
/// bits of the stream id.
pub const MAX_OWNERS: usize = 1 << 20;

/// Salt of the workforce's seed (`"plan"`).
const WORKFORCE_SALT: u64 = 0x706c_616e;

/// The generator of `source` for `owner` (a queue or a team) in
/// replication `replication` of a run seeded `seed`.
pub fn stream(seed: u64, replication: u32, owner: usize, source: Source) -> ChaCha8Rng {
    debug_assert!(owner < MAX_OWNERS, "owner {owner} past the stream id's 20 bits");
    let (seed, id) = match source {
        Source::Workforce => (seed ^ WORKFORCE_SALT, ((replication as u64) << 24) | owner as u64),
        _ => (seed, ((replication as u64) << 24) | ((owner as u64) << 4) | source.id() as u64),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(id);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    /// Each source has its own number, and every (replication, owner,
    /// source) of the simulation its own stream.
    #[test]
    fn every_source_has_its_own_stream() {
        let ids: std::collections::BTreeSet<u8> = Source::ALL.iter().map(|s| s.id()).collect();
        assert_eq!(ids.len(), Source::ALL.len(), "two sources share a number");
        assert!(ids.iter().all(|&i| i < 16), "a source's number fits its 4 bits");
        for (k, s) in Source::ALL.iter().enumerate() {
            assert_eq!(s.id() as usize, k, "ALL lists the sources in the order of their ids");
        }
        let mut seen = std::collections::BTreeMap::new();
        for replication in [0, 1, 7, u32::MAX] {
            for owner in [0, 1, 15, 16, MAX_OWNERS - 1] {
                for source in Source::ALL {
                    let first = stream(3, replication, owner, source).next_u64();
                    if let Some(other) = seen.insert(first, (replication, owner, source)) {
                        panic!("{other:?} and {:?} draw the same numbers", (replication, owner, source));
                    }
                }
            }
        }
    }
}
