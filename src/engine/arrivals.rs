//! Where contacts come from: each queue's next arrival in its piecewise
//! constant rate, and each contact's handle time and patience, every source
//! on a random stream of its own.

use std::sync::Arc;

use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};

use super::forecast::Perturbed;
use super::queues::Waiting;
use crate::model::{Queue, RateSegment};
use crate::streams::{stream, Source};

/// One queue's contacts in one replication.
#[derive(Clone)]
struct Stream {
    arrivals: ChaCha8Rng,
    handle: ChaCha8Rng,
    patience: ChaCha8Rng,
    /// Index of the rate segment the next arrival is drawn in.
    segment: usize,
    /// When the next contact arrives; infinite when none will.
    next: f64,
}

/// Every queue's next arrival.
#[derive(Clone)]
pub(super) struct Arrivals {
    streams: Vec<Stream>,
    /// Per queue with forecast error, its rates in this replication.
    plans: Vec<Option<Arc<Perturbed>>>,
}

/// The rate segments queue `queue` arrives by: its plan's, else its own.
fn segments<'a>(plan: &'a Option<Arc<Perturbed>>, queue: &'a Queue) -> &'a [RateSegment] {
    plan.as_ref().map_or(&queue.arrivals, |p| &p.segments)
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
        let streams = (0..queues.len())
            .map(|q| Stream {
                arrivals: stream(seed, replication, q, Source::Arrivals),
                handle: stream(seed, replication, q, Source::HandleTime),
                patience: stream(seed, replication, q, Source::Patience),
                segment: 0,
                next: f64::INFINITY,
            })
            .collect();
        let mut a = Arrivals { streams, plans };
        for (q, queue) in queues.iter().enumerate() {
            let segments = segments(&a.plans[q], queue);
            let first = segments.first().map_or(start, |s| s.start_s);
            advance(&mut a.streams[q], segments, first);
        }
        a
    }

    /// The queue with the earliest next arrival (the first on ties), and when.
    pub(super) fn next(&self) -> (usize, f64) {
        let mut best = (0, f64::INFINITY);
        for (q, s) in self.streams.iter().enumerate() {
            if s.next < best.1 {
                best = (q, s.next);
            }
        }
        best
    }

    /// The contact arriving now at queue `q` (its next arrival), with its
    /// handle time and patience drawn; the queue's following arrival is
    /// drawn too.
    pub(super) fn take(&mut self, q: usize, queue: &Queue) -> Waiting {
        let s = &mut self.streams[q];
        let plan = &self.plans[q];
        let now = s.next;
        let mut handle_s = queue.handle_time.sample(&mut s.handle);
        if let Some(p) = plan {
            handle_s *= p.aht[s.segment];
        }
        let deadline_s = match &queue.patience {
            Some(p) => now + p.sample(&mut s.patience),
            None => f64::INFINITY,
        };
        advance(s, segments(plan, queue), now);
        Waiting { arrival_s: now, deadline_s, handle_s }
    }
}

/// Draws stream `s`'s next arrival after `from` in its piecewise constant
/// rate `segments`: exact, since the exponential is memoryless at segment
/// boundaries. Infinite once past the last segment.
fn advance(s: &mut Stream, segments: &[RateSegment], from: f64) {
    let mut t = from;
    s.next = f64::INFINITY;
    while let Some(seg) = segments.get(s.segment) {
        if seg.rate_per_s > 0.0 {
            let gap: f64 = Exp1.sample(&mut s.arrivals);
            let candidate = t.max(seg.start_s) + gap / seg.rate_per_s;
            if candidate < seg.end_s {
                s.next = candidate;
                return;
            }
        }
        t = seg.end_s;
        s.segment += 1;
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
