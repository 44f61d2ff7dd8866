//! The shift-covering solver on a realistic week: 336 half-hour rows, 406
//! candidate shifts (8 h and 4 h, every 30 minutes from 06:00 to 20:00, on
//! 5-consecutive-day patterns), demand a daily bell peaking at 60 agents;
//! and three such teams (peaks 30, 60, 120) solved one after another, the
//! `schedule` command's loop. Prints each roster's gap once. Run:
//! `cargo bench --bench cover`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use wfmsim::cover::{sample_week, solve, Options};

fn cover(c: &mut Criterion) {
    let teams: Vec<_> = [30.0, 60.0, 120.0].into_iter().map(sample_week).collect();
    for (peak, problem) in [30, 60, 120].iter().zip(&teams) {
        let s = solve(problem, &Options::default()).unwrap();
        println!(
            "peak {peak}: paid hours {} lower bound {} gap {:.2}% ({:.2} s, {} LP solves, {} nodes)",
            s.objective,
            s.lower_bound,
            100.0 * s.gap,
            s.stats.seconds,
            s.stats.lp_solves,
            s.stats.nodes
        );
    }
    let mut group = c.benchmark_group("cover");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("week_peak_60", |b| b.iter(|| black_box(solve(&teams[1], &Options::default()).unwrap())));
    group.bench_function("three_teams", |b| {
        b.iter(|| teams.iter().map(|p| black_box(solve(p, &Options::default()).unwrap().objective)).sum::<f64>())
    });
    group.finish();
}

criterion_group!(benches, cover);
criterion_main!(benches);
