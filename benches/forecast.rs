//! Forecasting at the scale of a contact centre: 50 queues of 15-minute
//! history (Europe/Berlin, DST included), each a weekly pattern with a
//! yearly wave, gamma day factors and Poisson counts, drawn with a fixed
//! seed. Measures fitting and forecasting 28 days of every queue from a
//! year of history, the rolling backtest (52 weekly origins, 14 days ahead,
//! three methods) of every queue from 430 days, and the whole of
//! `forecast::run` (backtest, choice, forecast, `[uncertainty]`). Prints
//! each once with its wall time, the WAPE figures and the estimated
//! `[uncertainty]` (drawn: day factor CV 0.1, queues independent) before
//! criterion's samples. Run: `cargo bench --bench forecast`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use jiff::civil::date;
use jiff::tz::TimeZone;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson};
use rayon::prelude::*;
use wfmsim::forecast::{backtest, forecast, run, BacktestConfig, Calendar, Config, ForecastConfig, Method, Series};

const QUEUES: usize = 50;

/// `QUEUES` histories of `days` days from 2024-01-01.
fn histories(days: usize) -> Vec<Series> {
    let zone = TimeZone::get("Europe/Berlin").unwrap();
    let start = date(2024, 1, 1).to_zoned(zone.clone()).unwrap();
    let weekday = [1.25, 1.12, 1.06, 1.04, 0.98, 0.85, 0.70];
    let shape: Vec<f64> = (0..96)
        .map(|k| {
            let h = k as f64 / 4.0 + 0.125;
            if h < 6.0 {
                0.0
            } else {
                (-((h - 10.5) / 1.5).powi(2) / 2.0).exp() + 0.8 * (-((h - 15.0) / 2.0).powi(2) / 2.0).exp() + 0.1
            }
        })
        .collect();
    let total: f64 = shape.iter().sum();
    (0..QUEUES)
        .map(|q| {
            let mut rng = ChaCha8Rng::seed_from_u64(q as u64);
            let gamma = Gamma::new(100.0, 0.01).unwrap();
            let base = 500.0 + 100.0 * q as f64;
            let mut offered = Vec::new();
            let mut t = start.clone();
            let end = start.checked_add(jiff::Span::new().days(days as i64)).unwrap();
            let mut day = (t.date(), 0.0);
            while t < end {
                let d = t.date();
                if day.0 != d || offered.is_empty() {
                    let wave = 1.0 + 0.15 * (2.0 * std::f64::consts::PI * d.day_of_year() as f64 / 365.25).cos();
                    let w = weekday[d.weekday().to_monday_zero_offset() as usize];
                    day = (d, base * wave * w * gamma.sample(&mut rng));
                }
                let slot = (t.hour() as usize * 60 + t.minute() as usize) / 15;
                let mu = day.1 * shape[slot] / total;
                offered.push(Some(if mu > 0.0 { Poisson::new(mu).unwrap().sample(&mut rng) } else { 0.0 }));
                t = t.checked_add(jiff::Span::new().minutes(15)).unwrap();
            }
            Series {
                queue: format!("queue-{q:02}"),
                zone: zone.clone(),
                interval_minutes: 15,
                start: start.timestamp(),
                offered,
            }
        })
        .collect()
}

fn fit_all(year: &[Series]) -> usize {
    let config = ForecastConfig::default();
    year.par_iter().map(|s| forecast(s, &Calendar::new(), Method::Smoothing, &config).unwrap().days.len()).sum()
}

fn backtest_all(longer: &[Series]) -> Vec<wfmsim::forecast::QueueBacktest> {
    longer.par_iter().map(|s| backtest(s, &Calendar::new(), &BacktestConfig::default()).unwrap()).collect()
}

fn forecasting(c: &mut Criterion) {
    let year = histories(364);
    let longer = histories(430);
    let t = Instant::now();
    let days = fit_all(&year);
    println!(
        "fit and forecast {QUEUES} queues x 364 days of 15-minute history ({days} days forecast): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let b = backtest_all(&longer);
    println!(
        "backtest {QUEUES} queues x 430 days, {} origins x 14 days x 3 methods: {:.2} s",
        b[0].origins.len(),
        t.elapsed().as_secs_f64()
    );
    let ratio = |m: Method, day: bool| {
        let (mut err, mut act) = (0.0, 0.0);
        for x in &b {
            let a = &x.accuracy(m).unwrap().overall;
            let l = if day { a.days } else { a.intervals };
            err += l.abs_error;
            act += l.actual;
        }
        err / act
    };
    for m in Method::ALL {
        println!("  {m}: daily WAPE {:.2}%, interval WAPE {:.2}%", 100.0 * ratio(m, true), 100.0 * ratio(m, false));
    }
    let chosen = b.iter().filter(|x| x.chosen == Method::Smoothing).count();
    println!("  smoothing chosen for {chosen} of {QUEUES} queues");
    let t = Instant::now();
    let outcome = run(&longer, &Calendar::new(), &Config::default()).unwrap();
    let cvs: Vec<f64> = outcome.uncertainty.queues.iter().map(|q| q.volume_cv).collect();
    println!(
        "run (backtest, choose, forecast, [uncertainty]) {QUEUES} queues: {:.2} s; volume_cv {:.3} to {:.3} (mean {:.3}; drawn with 0.1 and the model's own error), correlation {:.3} (drawn independent)",
        t.elapsed().as_secs_f64(),
        cvs.iter().copied().fold(f64::INFINITY, f64::min),
        cvs.iter().copied().fold(0.0, f64::max),
        cvs.iter().sum::<f64>() / cvs.len() as f64,
        outcome.uncertainty.correlation
    );
    let mut group = c.benchmark_group("forecast");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("fit_forecast_50_queues_year", |bench| bench.iter(|| black_box(fit_all(&year))));
    group.measurement_time(Duration::from_secs(120));
    group
        .bench_function("backtest_52_origins_50_queues", |bench| bench.iter(|| black_box(backtest_all(&longer).len())));
    group.finish();
}

criterion_group!(benches, forecasting);
criterion_main!(benches);
