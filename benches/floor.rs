//! The engine against its floor: the simplest correct loop for the same
//! case, one stationary FCFS M/M/100+M queue (1800 calls/h, AHT 180 s,
//! patience 120 s, exponential) for a week — a binary heap of events
//! (arrivals and service completions), exponential draws, lazy
//! abandonment, counts only. Both run in one `cargo bench --bench floor`;
//! engine / floor is the price of everything the engine does besides
//! (intervals, shifts, routing, channels, statistics).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp};
use wfmsim::engine::simulate;
use wfmsim::model::Model;

const DAYS: u32 = 7;
const AGENTS: usize = 100;

fn mm100m() -> Model {
    wfmsim::input::compile(&mm100m_source(""), "bench.toml").unwrap().model
}

/// The same operation with forecast error (daily, intraday and handle-time
/// factors) and absence redrawn every day: what the risk features cost.
fn mm100m_uncertain() -> Model {
    let risk = "[uncertainty]\nvolume_cv = 0.1\nintraday_cv = 0.05\naht_cv = 0.05\n";
    let src = mm100m_source(risk).replace("agents = 100\n", "agents = 105\nabsence_rate = 0.05\n");
    wfmsim::input::compile(&src, "bench.toml").unwrap().model
}

fn mm100m_source(extra: &str) -> String {
    format!(
        r#"
[scenario]
name = "M/M/100+M"
start = "2026-11-23"
days = {DAYS}
interval_minutes = 30
timezone = "UTC"
replications = 1
seed = 1

{extra}
[[queue]]
name = "q"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
patience = {{ distribution = "exponential", mean_s = 120 }}
target = {{ service_level = 0.8, within_s = 20 }}
arrivals = {{ rate_per_hour = 1800 }}

[[team]]
name = "T"
skills = ["q"]
agents = {AGENTS}
"#
    )
}

/// An event of the floor loop: time in nanoseconds (integer keys keep the
/// heap simple), and whether it is an arrival.
type Event = Reverse<(u64, bool)>;

/// The floor: FCFS M/M/c+M with a binary heap of events, lazy abandonment
/// and counts only. Returns (answered, abandoned) over `horizon_s`.
fn floor(horizon_s: f64, agents: usize, seed: u64) -> (u64, u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (arrive, handle, patience) =
        (Exp::new(0.5).unwrap(), Exp::new(1.0 / 180.0).unwrap(), Exp::new(1.0 / 120.0).unwrap());
    let ns = |t: f64| (t * 1e9) as u64;
    let mut events: BinaryHeap<Event> = BinaryHeap::new();
    events.push(Reverse((ns(arrive.sample(&mut rng)), true)));
    let mut waiting: VecDeque<f64> = VecDeque::new(); // deadlines
    let (mut free, mut answered, mut abandoned) = (agents, 0u64, 0u64);
    while let Some(Reverse((at, is_arrival))) = events.pop() {
        let t = at as f64 * 1e-9;
        if is_arrival {
            if t < horizon_s {
                events.push(Reverse((ns(t + arrive.sample(&mut rng)), true)));
            }
            let deadline = t + patience.sample(&mut rng);
            if free > 0 {
                free -= 1;
                answered += 1;
                events.push(Reverse((ns(t + handle.sample(&mut rng)), false)));
            } else {
                waiting.push_back(deadline);
            }
            continue;
        }
        // A completion: the agent takes the first waiting caller still there.
        free += 1;
        while let Some(deadline) = waiting.pop_front() {
            if deadline >= t {
                free -= 1;
                answered += 1;
                events.push(Reverse((ns(t + handle.sample(&mut rng)), false)));
                break;
            }
            abandoned += 1;
        }
    }
    (answered, abandoned + waiting.len() as u64)
}

fn engine_and_floor(c: &mut Criterion) {
    let model = mm100m();
    let contacts = (1800 * 24 * DAYS) as u64;
    let mut group = c.benchmark_group("mm100m_week");
    group.throughput(Throughput::Elements(contacts));
    group.sample_size(20);
    group.bench_function("engine", |b| b.iter(|| black_box(simulate(&model, black_box(0)))));
    let horizon_s = DAYS as f64 * 86_400.0;
    group.bench_function("floor", |b| b.iter(|| black_box(floor(horizon_s, AGENTS, 1))));
    group.finish();
    // Per contact: replication 0's factors put its volume off the mean.
    let uncertain = mm100m_uncertain();
    let offered = simulate(&uncertain, 0).total(0).offered as u64;
    let mut group = c.benchmark_group("mm100m_week_uncertain");
    group.throughput(Throughput::Elements(offered));
    group.sample_size(20);
    group.bench_function("engine", |b| b.iter(|| black_box(simulate(&uncertain, black_box(0)))));
    group.finish();
}

criterion_group!(benches, engine_and_floor);
criterion_main!(benches);
