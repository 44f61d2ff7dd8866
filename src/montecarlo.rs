//! Monte Carlo: replications in parallel, folded into tallies as they
//! finish, then summarised per interval, per roll-up period and for the
//! horizon.
//!
//! Replication *i* draws only from streams derived from (seed, i) and runs
//! on whichever thread rayon gives it. Replications run in chunks; each
//! chunk's counters are collected in index order and folded into the
//! tallies one by one, so memory holds one chunk of counters, never all
//! replications. The tallies are exact fixed-point sums (see `summary`),
//! so the same seed gives the same bytes whatever the thread count, the
//! chunking or the sharding.

use std::ops::Range;

use rayon::prelude::*;

use crate::counters::{queue_kpis, Counters, PeriodCounts};
use crate::engine;
use crate::kpi::KpiValues;
use crate::model::Model;
use crate::periods::PeriodKind;
use crate::results::{
    self, Detail, Frame, Partial, PeriodTally, Provenance, QueueTally, Results, RunTally, Span, PARTIAL_FORMAT,
};

/// A thread pool could not be built.
#[derive(Debug, thiserror::Error)]
#[error("could not start {threads} worker threads: {source}")]
pub struct ThreadsError {
    threads: usize,
    #[source]
    source: rayon::ThreadPoolBuildError,
}

crate::fault::blame!(Run: ThreadsError);

/// How a run is carried out and what it reports.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// Worker threads; all cores when `None`.
    pub threads: Option<usize>,
    /// What the results carry.
    pub detail: Detail,
    /// How days are grouped.
    pub period: PeriodKind,
    /// Where the run comes from (version, scenario hash, what-ifs).
    pub provenance: Provenance,
}

impl RunOptions {
    /// Every interval and day, on all cores, with `model`'s seed and
    /// replications and no scenario file (tests and library use).
    pub fn for_model(model: &Model) -> Self {
        RunOptions {
            threads: None,
            detail: Detail::Interval,
            period: PeriodKind::Day,
            provenance: Provenance {
                wfmsim_version: env!("CARGO_PKG_VERSION").to_string(),
                scenario_sha256: String::new(),
                seed: model.seed,
                replications: model.replications,
                what_ifs: Vec::new(),
            },
        }
    }
}

/// Replications simulated at once per worker thread before their counters
/// are folded: memory holds about this many counters per thread.
pub const CHUNK_PER_THREAD: usize = 2;

/// Runs every replication of `model` and summarises them, calling
/// `on_done` after each replication.
pub fn run(model: &Model, options: &RunOptions, on_done: &(dyn Fn() + Sync)) -> Result<Results, ThreadsError> {
    let frame = Frame::of(model, options.provenance.clone(), options.detail, options.period);
    let tally = run_range(model, &frame, 0..model.replications, options.threads, on_done)?;
    with_threads(options.threads, || finish(&frame, &tally, options.detail))
}

/// The results of `tally` over `frame`, carrying what `detail` asks for,
/// the queues summarised in parallel (on the current rayon pool): with
/// thousands of queues and every interval, the summaries are a good part
/// of a run.
pub fn finish(frame: &Frame, tally: &RunTally, detail: Detail) -> Results {
    let finish_queue = |(f, t)| results::finish_queue(f, t, detail);
    let queues = frame.queues.par_iter().zip(&tally.queues).map(finish_queue).collect();
    results::finish(frame, tally, detail, queues)
}

/// Runs shard `shard` of `shards` (1-based): the `shard`-th of `shards`
/// contiguous, disjoint slices of the replications, on the same streams as
/// the whole run.
pub fn run_shard(
    model: &Model,
    options: &RunOptions,
    shard: u32,
    shards: u32,
    on_done: &(dyn Fn() + Sync),
) -> Result<Partial, ThreadsError> {
    let frame = Frame::of(model, options.provenance.clone(), options.detail, options.period);
    let range = shard_range(model.replications, shard, shards);
    let tally = run_range(model, &frame, range.clone(), options.threads, on_done)?;
    Ok(Partial {
        format: PARTIAL_FORMAT.to_string(),
        shard: [shard, shards],
        replications: [range.start, range.end],
        frame,
        tally,
    })
}

/// Most shards a run may be split into (`run --shard K/N`, and what
/// `merge` accepts).
pub const MAX_SHARDS: u32 = 100_000;

/// The replications of shard `shard` (1-based) of `shards`.
pub fn shard_range(replications: u32, shard: u32, shards: u32) -> Range<u32> {
    let cut = |k: u32| (replications as u64 * k as u64 / shards as u64) as u32;
    cut(shard - 1)..cut(shard)
}

/// Folds replications `range` of `model` into tallies laid out like `frame`.
fn run_range(
    model: &Model,
    frame: &Frame,
    range: Range<u32>,
    threads: Option<usize>,
    on_done: &(dyn Fn() + Sync),
) -> Result<RunTally, ThreadsError> {
    let mut tally = RunTally::new(frame);
    let simulate = |r| {
        let c = engine::simulate(model, r);
        on_done();
        c
    };
    in_chunks(range, threads, simulate, |chunk| fold(model, frame, &mut tally, chunk))?;
    Ok(tally)
}

/// Computes `replicate(r)` for every replication `r` of `range` in
/// parallel, on `threads` threads (all cores when `None`), and passes the
/// results to `fold` one by one in index order. Replications run in chunks
/// of [`CHUNK_PER_THREAD`] per thread, so memory holds one chunk of
/// results, never all replications; whatever `fold` builds does not depend
/// on the thread count.
pub fn in_order<T: Send>(
    range: Range<u32>,
    threads: Option<usize>,
    replicate: impl Fn(u32) -> T + Sync,
    mut fold: impl FnMut(&T) + Send,
) -> Result<(), ThreadsError> {
    in_chunks(range, threads, replicate, |chunk| chunk.iter().for_each(&mut fold))
}

/// As [`in_order`], but passes each chunk's results at once, in index
/// order, to `fold`, which runs on the same threads (so it may itself work
/// in parallel, as long as what it builds does not depend on how).
pub fn in_chunks<T: Send>(
    range: Range<u32>,
    threads: Option<usize>,
    replicate: impl Fn(u32) -> T + Sync,
    mut fold: impl FnMut(&[T]) + Send,
) -> Result<(), ThreadsError> {
    with_threads(threads, || {
        let chunk = (rayon::current_num_threads() * CHUNK_PER_THREAD).max(1) as u32;
        let mut start = range.start;
        while start < range.end {
            let end = start.saturating_add(chunk).min(range.end);
            let results: Vec<T> = (start..end).into_par_iter().map(&replicate).collect();
            fold(&results);
            start = end;
        }
    })
}

/// One replication's KPIs of queue `q` over `span`, from its counters.
pub fn span_kpis(model: &Model, c: &Counters, q: usize, span: &Span) -> KpiValues {
    let p = PeriodCounts {
        counters: c,
        q,
        intervals: span.intervals.clone(),
        days: span.days.clone(),
        decided_until: crate::results::decided_until(model, q),
    };
    queue_kpis(&model.queues[q], model.service_level_rule, &p)
}

/// Folds a chunk of replications' counters (in index order) into the
/// tallies. Queues are folded in parallel, each on its own tallies, and
/// each tally takes the chunk's replications one after another while it
/// is in cache: with thousands of queues and every interval summarised,
/// the tallies outgrow the caches and folding them one replication at a
/// time on one thread was most of a run (see docs/src/performance.md).
/// A tally's value does not depend on the order of its additions, nor
/// on the thread that made them.
fn fold(model: &Model, frame: &Frame, tally: &mut RunTally, chunk: &[Counters]) {
    let queues = frame.queues.par_iter().zip(&mut tally.queues).enumerate();
    queues.for_each(|(q, (f, t))| {
        let add = |span: &Span, pt: &mut PeriodTally| {
            for c in chunk {
                pt.add(f.channel, &f.targets, &span_kpis(model, c, q, span));
            }
        };
        let QueueTally { horizon, periods, intervals } = t;
        add(&f.horizon, horizon);
        f.periods.iter().zip(periods).for_each(|(s, pt)| add(s, pt));
        f.intervals.iter().zip(intervals).for_each(|(s, pt)| add(s, pt));
    });
    for c in chunk {
        for (tm, (f, t)) in frame.teams.iter().zip(&mut tally.teams).enumerate() {
            let agent_time = |span: &crate::results::TeamSpan| c.team_sum(&[tm], span.span.intervals.clone());
            let cost = |span: &crate::results::TeamSpan, a: &crate::counters::TeamCell| replication_cost(f, span, a);
            let h = agent_time(&f.horizon);
            t.horizon.add((h.staffed_s, h.busy_s, h.absent_s), h.handled, cost(&f.horizon, &h));
            for (s, pt) in f.periods.iter().zip(&mut t.periods) {
                let a = agent_time(s);
                pt.add((a.staffed_s, a.busy_s, a.absent_s), a.handled, cost(s, &a));
            }
        }
    }
}

/// One replication's cost of team `team` over `span` ([`crate::cost`]),
/// from its agent time `a`: the paid hours less the unpaid share of absent
/// hours, and the contacts its agents took; `None` when unpriced.
pub fn replication_cost(
    team: &crate::results::TeamFrame,
    span: &crate::results::TeamSpan,
    a: &crate::counters::TeamCell,
) -> Option<f64> {
    let paid = span.paid_hours - team.absence_unpaid * a.absent_s / 3600.0;
    team.tariff.map(|x| x.lines(paid, a.handled as f64).total())
}

/// Runs `work` with rayon on `threads` threads, or on rayon's global pool
/// (all cores) when `None`.
pub fn with_threads<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> Result<T, ThreadsError> {
    match threads {
        None => Ok(work()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|source| ThreadsError { threads: n, source })?;
            Ok(pool.install(work))
        }
    }
}
