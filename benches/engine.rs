//! Engine throughput on a stationary M/M/100+M queue (1800 calls/h, AHT
//! 180 s exponential, patience 120 s exponential), beside a bare FCFS loop
//! of the same system as the yardstick for what the full engine costs.
//!
//! Run: `cargo bench --bench engine`. Criterion reports time per
//! replication; contacts per second = contacts / time (printed once).

use std::collections::{BinaryHeap, VecDeque};
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp};
use wfmsim::engine::simulate;
use wfmsim::model::Model;

const DAYS: u32 = 7;

fn mm100m() -> Model {
    let src = format!(
        r#"
[scenario]
name = "M/M/100+M"
start = "2026-11-23"
days = {DAYS}
interval_minutes = 30
timezone = "UTC"
replications = 1
seed = 1

[[queue]]
name = "q"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
patience = {{ distribution = "exponential", mean_s = 120 }}
target = {{ service_level = 0.8, within_s = 20 }}
arrivals = {{ rate_per_hour = 1800 }}

[[team]]
name = "T"
skills = ["q"]
agents = 100
"#
    );
    Model::from_toml(&src, "bench.toml").unwrap().model
}

/// The minimal FCFS M/M/c+M loop: one queue, lazy abandonment, a heap of
/// service completions, no intervals, shifts or statistics beyond counts.
fn bare_fcfs(contacts: u64, agents: usize, seed: u64) -> (u64, u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (arrive, handle, patience) =
        (Exp::new(0.5).unwrap(), Exp::new(1.0 / 180.0).unwrap(), Exp::new(1.0 / 120.0).unwrap());
    let mut busy: BinaryHeap<std::cmp::Reverse<u64>> = BinaryHeap::new(); // completion times, ns
    let mut queue: VecDeque<(f64, f64)> = VecDeque::new();
    let (mut t, mut answered, mut abandoned) = (0.0f64, 0u64, 0u64);
    for _ in 0..contacts {
        t += arrive.sample(&mut rng);
        // Free agents whose contacts ended before t take waiting contacts.
        while let Some(&std::cmp::Reverse(end)) = busy.peek() {
            let end = end as f64 * 1e-9;
            if end > t {
                break;
            }
            busy.pop();
            while let Some((_, deadline)) = queue.front().copied() {
                queue.pop_front();
                if deadline >= end {
                    answered += 1;
                    busy.push(std::cmp::Reverse(((end + handle.sample(&mut rng)) * 1e9) as u64));
                    break;
                }
                abandoned += 1;
            }
        }
        let deadline = t + patience.sample(&mut rng);
        if busy.len() < agents {
            answered += 1;
            busy.push(std::cmp::Reverse(((t + handle.sample(&mut rng)) * 1e9) as u64));
        } else {
            queue.push_back((t, deadline));
        }
    }
    (answered, abandoned)
}

fn engine(c: &mut Criterion) {
    let model = mm100m();
    let contacts = (1800 * 24 * DAYS) as u64;
    let mut group = c.benchmark_group("mm100m_week");
    group.throughput(Throughput::Elements(contacts));
    group.sample_size(20);
    group.bench_function("engine", |b| b.iter(|| black_box(simulate(&model, black_box(0)))));
    group.bench_function("bare_fcfs_loop", |b| b.iter(|| black_box(bare_fcfs(contacts, 100, 1))));
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
