//! Engine throughput on the other channels: a stationary chat queue (40
//! agents holding up to 3 chats, with and without slowdown) for a week, and
//! an email queue worked in day shifts for a month (backlog building every
//! night and worked down every day).
//!
//! Run: `cargo bench --bench channels`. Criterion reports time per
//! replication and contacts per second.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wfmsim::engine::simulate;
use wfmsim::model::Model;

const CHAT_RATE_PER_HOUR: u64 = 900;
const EMAIL_PER_DAY: u64 = 2400;

fn chat_week(slowdown: f64) -> Model {
    let src = format!(
        r#"
[scenario]
name = "chat"
start = "2026-11-23"
days = 7
interval_minutes = 30
timezone = "UTC"
replications = 1

[[queue]]
name = "chat"
channel = "chat"
concurrency = 3
slowdown = {slowdown}
handle_time = {{ distribution = "exponential", mean_s = 360 }}
patience = {{ distribution = "exponential", mean_s = 180 }}
arrivals = {{ rate_per_hour = {CHAT_RATE_PER_HOUR} }}

[[team]]
name = "T"
skills = ["chat"]
agents = 40
"#
    );
    wfmsim::input::compile(&src, "bench.toml").unwrap().model
}

fn email_month() -> Model {
    let src = format!(
        r#"
[scenario]
name = "email"
start = "2026-11-02"
days = 30
interval_minutes = 30
timezone = "UTC"
replications = 1

[[queue]]
name = "email"
channel = "email"
handle_time = {{ distribution = "gamma", mean_s = 420, cv = 0.6 }}
target = {{ service_level = 0.9, within_hours = 24 }}
initial_backlog = {{ items = 500, mean_age_hours = 10 }}
arrivals = {{ rate_per_hour = {} }}

[[team]]
name = "T"
skills = ["email"]

[[team.shift]]
start = "08:00"
hours = 9
agents = 24
breaks = [{{ after_minutes = 240, minutes = 30, window_minutes = 60 }}]
"#,
        EMAIL_PER_DAY as f64 / 24.0
    );
    wfmsim::input::compile(&src, "bench.toml").unwrap().model
}

fn channels(c: &mut Criterion) {
    let mut group = c.benchmark_group("chat_c40_n3_week");
    group.throughput(Throughput::Elements(CHAT_RATE_PER_HOUR * 24 * 7));
    group.sample_size(20);
    for slowdown in [0.0, 0.2] {
        let model = chat_week(slowdown);
        group.bench_function(format!("slowdown_{slowdown}"), |b| b.iter(|| black_box(simulate(&model, 0))));
    }
    group.finish();

    let model = email_month();
    let mut group = c.benchmark_group("email_month");
    group.throughput(Throughput::Elements(EMAIL_PER_DAY * 30));
    group.sample_size(20);
    group.bench_function("engine", |b| b.iter(|| black_box(simulate(&model, 0))));
    group.finish();
}

criterion_group!(benches, channels);
criterion_main!(benches);
