//! A forecast (each queue's [`QueueForecast`] and the `[uncertainty]`
//! estimate) as an aligned table, CSV, JSON or Markdown. Tables show days,
//! ISO weeks and months; CSV and JSON add every interval on request.

use std::fmt::Write;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

use crate::forecast::outlook::{FactorSource, PeriodTotal};
use crate::forecast::{QueueForecast, UncertaintyEstimate};
use crate::report::kit::csv::text;
use crate::report::kit::markdown;
use crate::report::kit::text::{plain, TextTable};

/// Version of the JSON layout.
pub const FORECAST_VERSION: u32 = 1;

/// Weekday names, Monday first.
pub(crate) const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `t` as local time with its offset (`2026-03-29T03:00:00+02:00`).
pub(crate) fn local(t: Timestamp, zone: &TimeZone) -> String {
    t.display_with_offset(zone.to_offset(t)).to_string()
}

/// `x` with `decimals` places, never `-0`.
pub(crate) fn num(x: f64, decimals: usize) -> String {
    let x = if x.abs() < 0.5 * 10f64.powi(-(decimals as i32)) { 0.0 } else { x };
    format!("{x:.decimals$}")
}

/// A share as a percentage with one decimal.
pub(crate) fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{}%", num(100.0 * x, 1)))
}

/// The lines above every format's body.
fn heading(forecasts: &[QueueForecast]) -> Vec<String> {
    let level = forecasts.first().map_or(0.8, |f| f.errors.level);
    let span = match (forecasts.iter().map(|f| f.origin).min(), forecasts.iter().map(|f| f.days.len()).max()) {
        (Some(o), Some(n)) => format!("{n} days from {o}"),
        _ => "nothing".to_string(),
    };
    vec![
        format!("Forecast of {} queue(s): {span}; {:.0}% intervals", forecasts.len(), 100.0 * level),
        "volume: a 24-hour local day's contacts (a scenario's daily); expected: over the day's real intervals \
         (a DST day has one hour more or less); low-high: the interval; * a period covered in part"
            .to_string(),
    ]
}

/// A queue's title line.
fn title(f: &QueueForecast) -> String {
    format!(
        "Queue {} ({}; {} days of history; {}; {}-minute intervals)",
        plain(&f.queue),
        f.method,
        f.history_days,
        f.zone.iana_name().unwrap_or("fixed offset"),
        f.interval_minutes
    )
}

/// What the model learned, in a line, where it says something.
fn model_line(f: &QueueForecast) -> Option<String> {
    let factors = f.weekday_factors?;
    let days: Vec<String> = WEEKDAYS.iter().zip(factors).map(|(d, x)| format!("{d} {}", num(x, 3))).collect();
    let p = f.params?;
    Some(format!(
        "weekday factors {}; yearly index {}; smoothing alpha {} beta {} gamma {} phi {}",
        days.join(" "),
        if f.yearly { "yes" } else { "no (less than a year of history)" },
        p.alpha,
        p.beta,
        p.gamma,
        p.phi
    ))
}

fn special_cell(f: &crate::forecast::DayForecast) -> String {
    f.special.as_ref().map_or_else(String::new, |s| {
        let source = match s.source {
            FactorSource::Known => "given".to_string(),
            FactorSource::Learned { days } => format!("learned, {days} day(s)"),
            FactorSource::Assumed => "assumed".to_string(),
        };
        format!("{} x{} ({source})", plain(&s.label), num(s.factor, 3))
    })
}

const DAY_HEAD: [&str; 8] = ["date", "day", "ahead", "volume", "expected", "low", "high", "special day"];

fn day_rows(f: &QueueForecast) -> Vec<Vec<String>> {
    f.days
        .iter()
        .map(|d| {
            vec![
                d.date.to_string(),
                WEEKDAYS[d.day.weekday].to_string(),
                d.horizon.to_string(),
                num(d.volume, 1),
                num(d.total, 1),
                num(d.low, 1),
                num(d.high, 1),
                special_cell(d),
            ]
        })
        .collect()
}

fn period_rows(periods: &[PeriodTotal]) -> Vec<Vec<String>> {
    periods
        .iter()
        .map(|p| {
            let label = if p.complete { p.label.clone() } else { format!("{}*", p.label) };
            vec![label, p.days.to_string(), num(p.total, 0), num(p.low, 0), num(p.high, 0)]
        })
        .collect()
}

const UNCERTAINTY_HEAD: [&str; 7] = ["queue", "volume_cv", "95% CI", "intraday_cv", "at", "bias", "days"];

fn uncertainty_rows(u: &UncertaintyEstimate) -> Vec<Vec<String>> {
    u.queues
        .iter()
        .map(|q| {
            vec![
                plain(&q.queue),
                num(q.volume_cv, 4),
                format!("{}-{}", num(q.volume_cv_ci.0, 4), num(q.volume_cv_ci.1, 4)),
                num(q.intraday_cv, 4),
                format!("{} min", q.interval_minutes),
                pct(Some(q.bias)),
                q.days.to_string(),
            ]
        })
        .collect()
}

fn uncertainty_line(u: &UncertaintyEstimate) -> String {
    format!(
        "Forecast error as [uncertainty] (one day ahead in the backtest, Poisson part removed); correlation {} from {} pair(s)",
        num(u.correlation, 3),
        u.pairs
    )
}

/// A part of the report: a title, a line of notes, tables.
struct Section {
    title: String,
    note: Option<String>,
    tables: Vec<(&'static [&'static str], Vec<Vec<String>>)>,
}

const WEEK_HEAD: [&str; 5] = ["week", "days", "expected", "low", "high"];
const MONTH_HEAD: [&str; 5] = ["month", "days", "expected", "low", "high"];

/// Per queue its days, weeks and months; then the `[uncertainty]`
/// estimate.
fn sections(forecasts: &[QueueForecast], uncertainty: Option<&UncertaintyEstimate>) -> Vec<Section> {
    let mut out: Vec<Section> = forecasts
        .iter()
        .map(|f| Section {
            title: title(f),
            note: model_line(f),
            tables: vec![
                (&DAY_HEAD, day_rows(f)),
                (&WEEK_HEAD, period_rows(&f.weeks())),
                (&MONTH_HEAD, period_rows(&f.months())),
            ],
        })
        .collect();
    if let Some(u) = uncertainty {
        out.push(Section {
            title: uncertainty_line(u),
            note: None,
            tables: vec![(&UNCERTAINTY_HEAD, uncertainty_rows(u))],
        });
    }
    out
}

/// The forecast as aligned text: per queue its days, weeks and months;
/// then the `[uncertainty]` estimate.
pub fn table(forecasts: &[QueueForecast], uncertainty: Option<&UncertaintyEstimate>) -> String {
    let mut out = heading(forecasts).join("\n") + "\n";
    for s in sections(forecasts, uncertainty) {
        writeln!(out, "\n{}", s.title).expect("write to string");
        if let Some(note) = s.note {
            writeln!(out, "  {note}").expect("write to string");
        }
        for (k, (head, rows)) in s.tables.into_iter().enumerate() {
            if k > 0 {
                out.push('\n');
            }
            let mut t = TextTable::default();
            t.header(head);
            rows.into_iter().for_each(|r| t.row(r));
            t.render("  ", &mut out);
        }
    }
    out
}

/// The forecast as Markdown: per queue its days, weeks and months; then
/// the `[uncertainty]` estimate.
pub fn markdown(forecasts: &[QueueForecast], uncertainty: Option<&UncertaintyEstimate>) -> String {
    let lines = heading(forecasts);
    let mut out = format!(
        "## {}\n\n{}\n",
        crate::report::kit::markdown::inline(&lines[0]),
        crate::report::kit::markdown::inline(&lines[1])
    );
    for s in sections(forecasts, uncertainty) {
        writeln!(out, "\n### {}\n", crate::report::kit::markdown::inline(&s.title)).expect("write to string");
        if let Some(note) = s.note {
            writeln!(out, "{note}\n").expect("write to string");
        }
        for (k, (head, rows)) in s.tables.into_iter().enumerate() {
            if k > 0 {
                out.push('\n');
            }
            markdown::header(&mut out, head);
            rows.iter().for_each(|r| markdown::row(&mut out, r));
        }
    }
    out
}

/// The forecast as CSV: a row per queue and day, ISO week and month (and
/// interval, with `intervals`); `level` says which. Names are guarded
/// against spreadsheet formulas.
pub fn csv(forecasts: &[QueueForecast], intervals: bool) -> String {
    let mut out = String::from("queue,method,level,period,start,horizon,volume,expected,low,high,special_day\n");
    for f in forecasts {
        let (q, m) = (text(&f.queue), f.method.name());
        for d in &f.days {
            let special = d.special.as_ref().map_or_else(String::new, |s| text(&s.label));
            writeln!(
                out,
                "{q},{m},day,{},{},{},{},{},{},{},{special}",
                d.date,
                local(d.day.start, &f.zone),
                d.horizon,
                d.volume,
                d.total,
                d.low,
                d.high
            )
            .expect("write to string");
            if intervals {
                for i in f.intervals(d) {
                    writeln!(
                        out,
                        "{q},{m},interval,{},{},{},,{},{},{},",
                        d.date,
                        local(i.start, &f.zone),
                        d.horizon,
                        i.mean,
                        i.low,
                        i.high
                    )
                    .expect("write to string");
                }
            }
        }
        for (level, periods) in [("week", f.weeks()), ("month", f.months())] {
            for p in periods {
                writeln!(out, "{q},{m},{level},{},{},,,{},{},{},", p.label, p.start, p.total, p.low, p.high)
                    .expect("write to string");
            }
        }
    }
    out
}

#[derive(Serialize)]
struct Json<'a> {
    forecast_version: u32,
    level: f64,
    queues: Vec<QueueJson<'a>>,
    uncertainty: Option<UncertaintyJson<'a>>,
}

#[derive(Serialize)]
struct QueueJson<'a> {
    queue: &'a str,
    zone: Option<&'a str>,
    interval_minutes: u32,
    method: crate::forecast::Method,
    origin: String,
    history_days: usize,
    yearly: bool,
    weekday_factors: Option<[f64; 7]>,
    days: Vec<DayJson<'a>>,
    weeks: Vec<PeriodJson>,
    months: Vec<PeriodJson>,
}

#[derive(Serialize)]
struct DayJson<'a> {
    date: String,
    weekday: &'static str,
    horizon: usize,
    volume: f64,
    expected: f64,
    low: f64,
    high: f64,
    special: Option<SpecialJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    intervals: Option<Vec<IntervalJson>>,
}

#[derive(Serialize)]
struct SpecialJson<'a> {
    label: &'a str,
    factor: f64,
    source: FactorSource,
    own_shape: bool,
}

#[derive(Serialize)]
struct IntervalJson {
    start: String,
    slot: usize,
    expected: f64,
    low: f64,
    high: f64,
}

#[derive(Serialize)]
struct PeriodJson {
    period: String,
    start: String,
    days: usize,
    complete: bool,
    expected: f64,
    low: f64,
    high: f64,
}

#[derive(Serialize)]
struct UncertaintyJson<'a> {
    correlation: f64,
    pairs: usize,
    queues: Vec<QueueUncertaintyJson<'a>>,
}

#[derive(Serialize)]
struct QueueUncertaintyJson<'a> {
    queue: &'a str,
    volume_cv: f64,
    volume_cv_ci95: [f64; 2],
    intraday_cv: f64,
    interval_minutes: u32,
    bias: f64,
    days: usize,
}

fn periods_json(periods: Vec<PeriodTotal>) -> Vec<PeriodJson> {
    periods
        .into_iter()
        .map(|p| PeriodJson {
            period: p.label,
            start: p.start.to_string(),
            days: p.days,
            complete: p.complete,
            expected: p.total,
            low: p.low,
            high: p.high,
        })
        .collect()
}

/// The forecast as JSON (`forecast_version` 1), every interval with
/// `intervals`.
pub fn json(forecasts: &[QueueForecast], uncertainty: Option<&UncertaintyEstimate>, intervals: bool) -> String {
    let queues = forecasts
        .iter()
        .map(|f| QueueJson {
            queue: &f.queue,
            zone: f.zone.iana_name(),
            interval_minutes: f.interval_minutes,
            method: f.method,
            origin: f.origin.to_string(),
            history_days: f.history_days,
            yearly: f.yearly,
            weekday_factors: f.weekday_factors,
            days: f
                .days
                .iter()
                .map(|d| DayJson {
                    date: d.date.to_string(),
                    weekday: WEEKDAYS[d.day.weekday],
                    horizon: d.horizon,
                    volume: d.volume,
                    expected: d.total,
                    low: d.low,
                    high: d.high,
                    special: d.special.as_ref().map(|s| SpecialJson {
                        label: &s.label,
                        factor: s.factor,
                        source: s.source,
                        own_shape: s.own_shape,
                    }),
                    intervals: intervals.then(|| {
                        f.intervals(d)
                            .into_iter()
                            .map(|i| IntervalJson {
                                start: local(i.start, &f.zone),
                                slot: i.slot,
                                expected: i.mean,
                                low: i.low,
                                high: i.high,
                            })
                            .collect()
                    }),
                })
                .collect(),
            weeks: periods_json(f.weeks()),
            months: periods_json(f.months()),
        })
        .collect();
    let uncertainty = uncertainty.map(|u| UncertaintyJson {
        correlation: u.correlation,
        pairs: u.pairs,
        queues: u
            .queues
            .iter()
            .map(|q| QueueUncertaintyJson {
                queue: &q.queue,
                volume_cv: q.volume_cv,
                volume_cv_ci95: [q.volume_cv_ci.0, q.volume_cv_ci.1],
                intraday_cv: q.intraday_cv,
                interval_minutes: q.interval_minutes,
                bias: q.bias,
                days: q.days,
            })
            .collect(),
    });
    let level = forecasts.first().map_or(0.8, |f| f.errors.level);
    let mut s = serde_json::to_string_pretty(&Json { forecast_version: FORECAST_VERSION, level, queues, uncertainty })
        .expect("forecast serializes");
    s.push('\n');
    s
}
