//! Where contacts come from: each queue's next arrival in its piecewise
//! constant rate, and each contact's handle time and patience, every source
//! on a random stream of its own. The earliest next arrival is found in a
//! tournament tree over the queues: O(1) to read, O(log queues) to update
//! when a queue's next arrival is drawn, so an arrival costs the same
//! whatever the number of queues.
//!
//! Each source's numbers are drawn a batch ahead ([`Ahead`]): the same
//! numbers in the same order, but an arrival reads them from a row or two
//! of memory instead of three generators' state (about 1 KB a queue, out
//! of cache when many queues take turns).

use std::sync::Arc;

use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};

use super::calendar::{key_time, time_key};
use super::forecast::Perturbed;
use super::queues::Waiting;
use crate::model::{Queue, RateSegment};
use crate::streams::{stream, Source};

/// One queue's contacts in one replication. An arrival reads the first
/// cache line (where the queue stands in its rates, the columns' places)
/// and a row of draws after it; the generators, last, only once a batch.
#[derive(Clone)]
#[repr(C, align(64))]
struct Stream {
    /// The rate segment the next arrival is drawn in (a copy of its
    /// plan's or queue's); `None` past the last.
    current: Option<RateSegment>,
    /// The factor on the handle time of contacts arriving in `current`
    /// (1 without forecast error: a product by 1 changes no bit).
    aht: f64,
    /// Index of `current` among the segments.
    segment: usize,
    /// The queue's rates in this replication, when it has forecast error.
    plan: Option<Arc<Perturbed>>,
    /// The next draws of the three generators below.
    ahead: Ahead,
    arrivals: ChaCha8Rng,
    handle: ChaCha8Rng,
    patience: ChaCha8Rng,
}

/// Draws made ahead per source.
const BATCH: usize = 16;
/// [`Ahead`]'s columns: a queue's sources.
const GAP: usize = 0;
const HANDLE: usize = 1;
const PATIENCE: usize = 2;

/// A queue's next draws of each source (unit-rate gaps between arrivals,
/// handle times, patience), [`BATCH`] at a time from its generator, one
/// column per source: each source's numbers are read in the order drawn,
/// so they are the numbers drawing one at a time gives. A contact reads
/// one row (its sources keep pace unless a gap falls past a rate
/// segment), so the generators are touched once a batch.
#[derive(Clone)]
#[repr(C)]
struct Ahead {
    /// Per column, the row read next ([`BATCH`]: the column is spent).
    next: [u8; 3],
    rows: [[f64; 3]; BATCH],
}

impl Ahead {
    /// Every column spent: the first read of each draws a batch.
    fn spent() -> Self {
        Ahead { next: [BATCH as u8; 3], rows: [[0.0; 3]; BATCH] }
    }

    /// Column `c`'s next draw; `draw` fills the column when it is spent.
    #[inline(always)]
    fn take(&mut self, c: usize, mut draw: impl FnMut() -> f64) -> f64 {
        let mut k = self.next[c] as usize;
        if k == BATCH {
            for row in &mut self.rows {
                row[c] = draw();
            }
            k = 0;
        }
        self.next[c] = k as u8 + 1;
        self.rows[k][c]
    }
}

/// Bytes per queue: its random streams and rates of this replication, and
/// its place in the tournament tree (a leaf and a third of a node above,
/// padded to a power of four: at most 16 / 3 nodes, a quarter of a cache
/// line each).
pub(super) const QUEUE_BYTES: usize = std::mem::size_of::<Stream>() + 6 * std::mem::size_of::<Siblings>() / 4;

/// Every queue's next arrival.
#[derive(Clone)]
pub(super) struct Arrivals {
    streams: Vec<Stream>,
    next: Earliest,
}

/// Per queue, when its next contact arrives (infinite when none will),
/// and which queue's is the earliest: a tournament tree of four-way games,
/// whose leaves are the queues (padded with infinity to a power of four)
/// and whose every other node holds the winner of its four children: its
/// time as [`time_key`] orders it, and its queue. A game goes to the
/// earliest, on ties to the leftmost, whose queue is the lowest, as a scan
/// in queue order gives. Four siblings fill one cache line, so that
/// replaying a leaf's games reads one line per level (half the levels of
/// two-way games).
#[derive(Clone)]
struct Earliest {
    /// The nodes by position: the root at 3 (0 to 2 unused), the children
    /// of the node at `p` at `4 (p − 2)` to `4 (p − 2) + 3`, one group.
    groups: Vec<Siblings>,
    /// Position of queue 0's leaf.
    first_leaf: usize,
}

/// Four nodes with the same parent, on one cache line: each one's time
/// key and queue.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Siblings {
    keys: [u64; 4],
    queues: [u32; 4],
}

/// A node: its winner's time key and queue.
type Node = (u64, u32);

/// The winner of a game between `left` and `right`: the earlier, `left`
/// on ties.
#[inline(always)]
fn game(left: Node, right: Node) -> Node {
    if right.0 < left.0 {
        right
    } else {
        left
    }
}

impl Earliest {
    fn new(queues: usize) -> Self {
        let (mut leaves, mut above) = (1, 0);
        while leaves < queues {
            above += leaves;
            leaves *= 4;
        }
        let first_leaf = 3 + above;
        let empty = Siblings { keys: [0; 4], queues: [0; 4] };
        let mut tree = Earliest { groups: vec![empty; (first_leaf + leaves).div_ceil(4)], first_leaf };
        for q in 0..leaves {
            tree.put(first_leaf + q, (time_key(f64::INFINITY), q as u32));
        }
        for p in (4..first_leaf + leaves).step_by(4).rev() {
            let g = p / 4;
            tree.put(g + 2, tree.winner(g));
        }
        tree
    }

    /// The node at position `p`.
    #[inline(always)]
    fn get(&self, p: usize) -> Node {
        let g = &self.groups[p / 4];
        (g.keys[p % 4], g.queues[p % 4])
    }

    /// Sets the node at position `p`.
    #[inline(always)]
    fn put(&mut self, p: usize, (key, q): Node) {
        let g = &mut self.groups[p / 4];
        g.keys[p % 4] = key;
        g.queues[p % 4] = q;
    }

    /// The winner of group `g`'s game.
    #[inline(always)]
    fn winner(&self, g: usize) -> Node {
        let Siblings { keys: k, queues: q } = self.groups[g];
        game(game((k[0], q[0]), (k[1], q[1])), game((k[2], q[2]), (k[3], q[3])))
    }

    /// Queue `q`'s next arrival is now at `time`: the games on its path to
    /// the root are played again.
    #[inline(always)]
    fn set(&mut self, q: usize, time: f64) {
        let mut p = self.first_leaf + q;
        self.put(p, (time_key(time), q as u32));
        while p > 3 {
            let g = p / 4;
            p = g + 2;
            self.put(p, self.winner(g));
        }
    }

    /// Queue `q`'s next arrival.
    #[inline]
    fn time(&self, q: usize) -> f64 {
        key_time(self.get(self.first_leaf + q).0)
    }

    /// The queue with the earliest next arrival, and when.
    #[inline]
    fn first(&self) -> (usize, f64) {
        let (key, q) = self.get(3);
        (q as usize, key_time(key))
    }
}

impl Stream {
    /// The rate segments queue `queue` arrives by: its plan's, else its own.
    fn segments<'a>(&'a self, queue: &'a Queue) -> &'a [RateSegment] {
        self.plan.as_ref().map_or(&queue.arrivals, |p| &p.segments)
    }

    /// Moves to segment `k` of queue `queue`'s rates.
    fn enter(&mut self, k: usize, queue: &Queue) {
        self.segment = k;
        self.current = self.segments(queue).get(k).copied();
        self.aht = self.plan.as_ref().and_then(|p| p.aht.get(k)).map_or(1.0, |&f| f);
    }

    /// Draws the next arrival of queue `queue` after `from` in its
    /// piecewise constant rates: exact, since the exponential is
    /// memoryless at segment boundaries. Infinite once past the last
    /// segment.
    fn advance(&mut self, queue: &Queue, from: f64) -> f64 {
        let mut t = from;
        while let Some(seg) = self.current {
            if seg.rate_per_s > 0.0 {
                let arrivals = &mut self.arrivals;
                let gap: f64 = self.ahead.take(GAP, || Exp1.sample(arrivals));
                let candidate = t.max(seg.start_s) + gap / seg.rate_per_s;
                if candidate < seg.end_s {
                    return candidate;
                }
            }
            t = seg.end_s;
            self.enter(self.segment + 1, queue);
        }
        f64::INFINITY
    }
}

impl Arrivals {
    /// The streams of replication `replication`, each queue's first arrival
    /// drawn from `start` (seconds), on the rates of `plans` where given.
    pub(super) fn new(
        queues: &[Queue],
        plans: Vec<Option<Arc<Perturbed>>>,
        seed: u64,
        replication: u32,
        start: f64,
    ) -> Self {
        let mut next = Earliest::new(queues.len());
        let streams = plans
            .into_iter()
            .zip(queues)
            .enumerate()
            .map(|(q, (plan, queue))| {
                let mut s = Stream {
                    current: None,
                    aht: 1.0,
                    segment: 0,
                    plan,
                    ahead: Ahead::spent(),
                    arrivals: stream(seed, replication, q, Source::Arrivals),
                    handle: stream(seed, replication, q, Source::HandleTime),
                    patience: stream(seed, replication, q, Source::Patience),
                };
                s.enter(0, queue);
                let first = s.current.map_or(start, |seg| seg.start_s);
                next.set(q, s.advance(queue, first));
                s
            })
            .collect();
        Arrivals { streams, next }
    }

    /// The queue with the earliest next arrival (the first on ties), and when.
    #[inline]
    pub(super) fn next(&self) -> (usize, f64) {
        self.next.first()
    }

    /// The contact arriving now at queue `q` (its next arrival), with its
    /// handle time and patience drawn (infinite patience when it has
    /// none: `now` + infinity); the queue's following arrival is drawn
    /// too.
    pub(super) fn take(&mut self, q: usize, queue: &Queue) -> Waiting {
        let s = &mut self.streams[q];
        let now = self.next.time(q);
        let handle = &mut s.handle;
        let handle_s = s.ahead.take(HANDLE, || queue.handle_time.sample(handle)) * s.aht;
        let patience = &mut s.patience;
        let patience_s =
            s.ahead.take(PATIENCE, || queue.patience.as_ref().map_or(f64::INFINITY, |p| p.sample(patience)));
        let next = s.advance(queue, now);
        self.next.set(q, next);
        Waiting { arrival_s: now, deadline_s: now + patience_s, handle_s }
    }
}

/// The initial backlog of deferred queue `queue` (index `q`): one item per
/// age, oldest first, arrived that long before `start`, each with its
/// handle time drawn from a stream of its own. An item of age 0 with no
/// warm-up is still placed just before the first reported instant: the
/// backlog is work on hand, never one of the horizon's arrivals.
pub(super) fn initial_backlog(queue: &Queue, q: usize, seed: u64, replication: u32, start: f64) -> Vec<Waiting> {
    let mut rng = stream(seed, replication, q, Source::Backlog);
    let mut ages = queue.initial_backlog.clone();
    ages.sort_by(|a, b| b.total_cmp(a));
    ages.into_iter()
        .map(|age| Waiting {
            arrival_s: (start - age).min(-f64::MIN_POSITIVE),
            deadline_s: f64::INFINITY,
            handle_s: queue.handle_time.sample(&mut rng),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// The tree's first is what a scan in queue order finds (the earliest,
    /// the lowest queue on ties), through any sequence of updates.
    #[test]
    fn the_earliest_is_the_first_queue_a_scan_finds() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for queues in [1, 2, 3, 5, 8, 13, 64, 100] {
            let mut tree = Earliest::new(queues);
            let mut times = vec![f64::INFINITY; queues];
            for _ in 0..2000 {
                let q = rng.random_range(0..queues);
                // Few distinct values, so that ties are common; negative
                // ones as a warm-up's are.
                let time = match rng.random_range(0..4) {
                    0 => f64::INFINITY,
                    _ => rng.random_range(-3..6) as f64 * 0.75,
                };
                tree.set(q, time);
                times[q] = time;
                assert_eq!(tree.time(q).to_bits(), time.to_bits());
                let mut scan = (0, f64::INFINITY);
                for (q, &t) in times.iter().enumerate() {
                    if t < scan.1 {
                        scan = (q, t);
                    }
                }
                assert_eq!(tree.first(), scan, "{queues} queues: {times:?}");
            }
        }
    }
}
