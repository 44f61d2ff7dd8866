//! History import and fit at the scale of a year: 15-minute intervals for
//! 50 queues (35,040 × 50 = 1,752,000 rows, about 150 MB of CSV), and a
//! million contact records for 10 queues. The CSV is made in memory
//! (deterministic), so the bench times reading, checking and fitting,
//! not the disk.
//!
//! Run: `cargo bench --bench history`.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wfmsim::fit;
use wfmsim::history::intervals::{self, IntervalOptions};
use wfmsim::history::records::{self, RecordOptions};
use wfmsim::history::{Kind, Mapping, TimeReader};

const QUEUES: usize = 50;
const DAYS: usize = 365;
const RECORDS: usize = 1_000_000;

/// A year of 15-minute intervals for [`QUEUES`] queues, time-major (every
/// queue of one interval, then the next), as ACD exports come.
fn year_of_intervals() -> String {
    let mut s = String::with_capacity(160 << 20);
    s += "start,queue,offered,answered,abandoned,handle_time_s,answered_within_20s,agents,wait_answered_s,wait_abandoned_s\n";
    let start = jiff::Timestamp::from_second(1_735_689_600).unwrap(); // 2025-01-01T00:00Z
    for i in 0..DAYS * 96 {
        let at = start.checked_add(jiff::SignedDuration::from_secs(i as i64 * 900)).unwrap();
        let stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        for q in 0..QUEUES {
            let offered = 20 + (i * 7 + q * 13) % 60;
            let abandoned = offered / 12;
            let answered = offered - abandoned;
            let _ = writeln!(
                s,
                "{stamp},queue-{q:02},{offered},{answered},{abandoned},{},{},{},{},{}",
                answered * (240 + q),
                answered * 4 / 5,
                10 + q % 20,
                answered * 15,
                abandoned * 40
            );
        }
    }
    s
}

/// A million contacts over a month for 10 queues.
fn million_records() -> String {
    let mut s = String::with_capacity(80 << 20);
    s += "arrival,queue,outcome,wait_s,handle_time_s\n";
    let start = jiff::Timestamp::from_second(1_735_689_600).unwrap();
    for k in 0..RECORDS {
        let at = start.checked_add(jiff::SignedDuration::from_millis(k as i64 * 2_592)).unwrap();
        let wait = (k * 7919 % 3000) as f64 / 10.0;
        let (outcome, handle) =
            if k % 9 == 0 { ("abandoned", String::new()) } else { ("answered", format!("{}", 30 + k * 104_729 % 900)) };
        let _ = writeln!(s, "{},q{},{outcome},{wait},{handle}", at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"), k % 10);
    }
    s
}

fn bench(c: &mut Criterion) {
    let year = year_of_intervals();
    let options = IntervalOptions {
        mapping: Mapping::new(Kind::Intervals),
        times: TimeReader::new(None, None),
        interval_minutes: None,
    };
    let mut group = c.benchmark_group("history");
    group.sample_size(10);
    group.throughput(Throughput::Elements((DAYS * 96 * QUEUES) as u64));
    group.bench_function("year_15min_50_queues_import_and_fit", |b| {
        b.iter(|| {
            let h = intervals::read(year.as_bytes(), "year.csv", &options).unwrap();
            black_box(fit::fit(Some(&h), None))
        })
    });
    let contacts = million_records();
    let options = RecordOptions {
        mapping: Mapping::new(Kind::Records),
        times: TimeReader::new(None, None),
        count_intervals: None,
    };
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.bench_function("million_records_import_and_fit", |b| {
        b.iter(|| {
            let r = records::read(contacts.as_bytes(), "contacts.csv", &options).unwrap();
            black_box(fit::fit(None, Some(&r)))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
