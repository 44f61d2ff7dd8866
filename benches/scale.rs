//! Engine cost per contact against the size of the operation: generated
//! operations (`scale/scenario.rs`) from one queue and one team to 200
//! queues and 200 teams, every team of ten agents loaded to 90 % and
//! serving a few queues by priority, a week each; and 2,000 queues served
//! by one team of 50 agents, 100 replications of a day on all cores (the
//! whole run, summaries included).
//!
//! Run: `cargo bench --bench scale`. Criterion reports contacts per
//! second; the work per contact depends on the skills involved, not on
//! how many queues and teams exist, so the rows should stay close.

#[path = "scale/scenario.rs"]
mod scenario;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scenario::Floor;
use wfmsim::engine::simulate;
use wfmsim::montecarlo::{self, RunOptions};

/// Contacts offered in replication 0 of `model`.
fn offered(model: &wfmsim::model::Model) -> u64 {
    let c = simulate(model, 0);
    (0..model.queues.len()).map(|q| c.total(q).offered as u64).sum()
}

fn one_replication(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale_week");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    for floor in scenario::table() {
        let model = floor.model();
        group.throughput(Throughput::Elements(offered(&model)));
        group.bench_function(floor.id(), |b| b.iter(|| black_box(simulate(&model, black_box(0)))));
    }
    group.finish();
}

fn many_queues_one_team(c: &mut Criterion) {
    let floor = Floor::one_team(2000);
    let model = floor.model();
    let options = RunOptions::for_model(&model);
    let contacts = floor.contacts_per_replication() * floor.replications as f64;
    let mut group = c.benchmark_group("scale_run");
    group.sample_size(10).measurement_time(Duration::from_secs(60));
    group.throughput(Throughput::Elements(contacts as u64));
    group.bench_function(floor.id(), |b| {
        b.iter(|| black_box(montecarlo::run(&model, &options, &|| {}).expect("threads start")))
    });
    group.finish();
}

criterion_group!(benches, one_replication, many_queues_one_team);
criterion_main!(benches);
