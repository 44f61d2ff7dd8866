//! Staffing the shipped week-long follow-the-sun scenario (two queues,
//! 336 half-hour intervals each) at its default 100 replications per
//! level tried. Run: `cargo bench --bench staffing`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use wfmsim::staffing::{staff, Options};

fn staffing(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/follow-the-sun-week.toml");
    let model = wfmsim::input::compile(&std::fs::read_to_string(path).unwrap(), path).unwrap().model;
    let mut group = c.benchmark_group("staff");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("follow_the_sun_week", |b| b.iter(|| black_box(staff(&model, &Options::default()).unwrap())));
    group.finish();
}

criterion_group!(benches, staffing);
criterion_main!(benches);
