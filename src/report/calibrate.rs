//! A calibration (see [`crate::calibrate`]) as an aligned table, CSV,
//! JSON or Markdown: per queue the verdict per KPI, the whole span and
//! each day (each interval on request; always in CSV and JSON) with the
//! actual, the simulated mean and its CI, the band of single
//! replications and where the actual lies.

use serde::Serialize;

use crate::calibrate::{Calibration, Comparison, SpanComparison, Verdict, BAND};
use crate::kpi::{Kpi, Unit};
use crate::report::forecast::num;
use crate::report::kit::csv::text as csv_text;
use crate::report::kit::json::versioned;
use crate::report::kit::markdown;
use crate::report::kit::text::{plain, TextTable};

/// Version of the JSON layout.
pub const CALIBRATE_VERSION: u32 = 1;

/// `x` in the KPI's unit for people: a share as a percentage, seconds
/// with one decimal.
fn value(kpi: Kpi, x: Option<f64>) -> String {
    match (x, kpi.unit()) {
        (None, _) => "-".to_string(),
        (Some(x), Unit::Share) => format!("{}%", num(100.0 * x, 1)),
        (Some(x), _) => format!("{} s", num(x, 1)),
    }
}

fn verdict(c: &Comparison) -> String {
    match c.verdict {
        Verdict::Inside => "inside".to_string(),
        Verdict::Above(by) => format!("above by {}", value(c.kpi, Some(by))),
        Verdict::Below(by) => format!("below by {}", value(c.kpi, Some(by))),
        Verdict::NotCompared => "not compared".to_string(),
    }
}

fn pair(kpi: Kpi, p: Option<(f64, f64)>) -> String {
    p.map_or_else(|| "-".to_string(), |(a, b)| format!("[{}, {}]", value(kpi, Some(a)), value(kpi, Some(b))))
}

fn heading(c: &Calibration) -> Vec<String> {
    vec![
        format!(
            "Calibration of {}: {} day(s) from {}, {}-minute intervals, replayed with the history's arrivals and agents; {} replications, seed {}",
            plain(&c.scenario),
            c.days,
            c.first_day,
            c.interval_minutes,
            c.replications,
            c.seed
        ),
        format!(
            "band: {:.0}% of single replications (an actual is one day as it happened, so it is judged against the band, not the CI of the mean); \
             a KPI differs significantly when the whole span's actual is outside its band or more days are outside theirs than chance allows (binomial, 1%)",
            100.0 * BAND
        ),
    ]
}

const SPAN_HEAD: [&str; 8] = ["period", "offered", "agents", "KPI", "actual", "simulated (95% CI)", "band", "verdict"];

fn span_rows(spans: &[&SpanComparison]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for s in spans {
        for (k, c) in s.kpis.iter().enumerate() {
            let first = k == 0;
            rows.push(vec![
                if first { s.label.clone() } else { String::new() },
                if first { num(s.offered, 0) } else { String::new() },
                if first { num(s.agents, 1) } else { String::new() },
                c.kpi.label().to_string(),
                value(c.kpi, c.actual),
                format!("{} {}", value(c.kpi, c.mean), pair(c.kpi, c.ci)),
                pair(c.kpi, c.band),
                verdict(c),
            ]);
        }
    }
    rows
}

const VERDICT_HEAD: [&str; 5] = ["KPI", "whole span", "days outside", "p", "verdict"];

/// The parts of the report: per queue a title, its verdicts, then spans.
/// A table: its header and rows.
type Table = (&'static [&'static str], Vec<Vec<String>>);

fn sections(c: &Calibration, intervals: bool) -> Vec<(String, Vec<Table>)> {
    c.queues
        .iter()
        .map(|q| {
            let verdicts = q
                .verdicts
                .iter()
                .zip(&q.whole.kpis)
                .map(|(v, w)| {
                    vec![
                        v.kpi.label().to_string(),
                        verdict(w),
                        format!("{} of {}", v.outside, v.days),
                        num(v.p_value, 3),
                        if v.significant { "DIFFERS".to_string() } else { "reproduced".to_string() },
                    ]
                })
                .collect();
            let mut spans: Vec<&SpanComparison> = std::iter::once(&q.whole).chain(&q.days).collect();
            if intervals {
                spans.extend(&q.intervals);
            }
            (
                format!("Queue {}", plain(&q.queue)),
                vec![(&VERDICT_HEAD[..], verdicts), (&SPAN_HEAD[..], span_rows(&spans))],
            )
        })
        .collect()
}

/// The calibration as aligned text (intervals when `intervals`).
pub fn table(c: &Calibration, intervals: bool) -> String {
    let mut out = heading(c).join("\n") + "\n";
    for n in &c.notes {
        out += &format!("note: {}\n", plain(n));
    }
    for (title, tables) in sections(c, intervals) {
        out += &format!("\n{title}\n");
        for (head, rows) in tables {
            let mut t = TextTable::default();
            t.header(head);
            for r in rows {
                t.row(r);
            }
            t.render("  ", &mut out);
            out.push('\n');
        }
    }
    out
}

/// The calibration as Markdown (intervals when `intervals`).
pub fn markdown(c: &Calibration, intervals: bool) -> String {
    let mut out = format!("# Calibration\n\n{}\n", heading(c).join("\n\n"));
    for n in &c.notes {
        out += &format!("\n- {}", plain(n));
    }
    for (title, tables) in sections(c, intervals) {
        out += &format!("\n\n## {}\n", crate::report::kit::markdown::inline(&title));
        for (head, rows) in tables {
            out.push('\n');
            markdown::header(&mut out, head);
            for r in rows {
                markdown::row(&mut out, &r);
            }
        }
    }
    out
}

/// The calibration as CSV: one row per queue, span and KPI.
pub fn csv(c: &Calibration) -> String {
    let mut out = String::from(
        "queue,level,period,offered,agents,kpi,actual,mean,ci_low,ci_high,band_low,band_high,verdict,by\n",
    );
    let cell = |x: Option<f64>| x.map_or_else(String::new, |x| format!("{x}"));
    for q in &c.queues {
        let levels = std::iter::once(("all", &q.whole))
            .chain(q.days.iter().map(|d| ("day", d)))
            .chain(q.intervals.iter().map(|i| ("interval", i)));
        for (level, s) in levels {
            for k in &s.kpis {
                let (v, by) = match k.verdict {
                    Verdict::Inside => ("inside", None),
                    Verdict::Above(b) => ("above", Some(b)),
                    Verdict::Below(b) => ("below", Some(b)),
                    Verdict::NotCompared => ("not_compared", None),
                };
                let row = [
                    csv_text(&q.queue),
                    level.to_string(),
                    csv_text(&s.label),
                    format!("{}", s.offered),
                    format!("{}", s.agents),
                    k.kpi.key().to_string(),
                    cell(k.actual),
                    cell(k.mean),
                    cell(k.ci.map(|c| c.0)),
                    cell(k.ci.map(|c| c.1)),
                    cell(k.band.map(|c| c.0)),
                    cell(k.band.map(|c| c.1)),
                    v.to_string(),
                    cell(by),
                ];
                out += &row.join(",");
                out.push('\n');
            }
        }
    }
    out
}

#[derive(Serialize)]
struct KpiJson {
    actual: Option<f64>,
    mean: Option<f64>,
    ci: Option<[f64; 2]>,
    band: Option<[f64; 2]>,
    verdict: &'static str,
    by: Option<f64>,
}

#[derive(Serialize)]
struct SpanJson<'a> {
    period: &'a str,
    offered: f64,
    agents: f64,
    kpis: std::collections::BTreeMap<&'static str, KpiJson>,
}

#[derive(Serialize)]
struct VerdictJson {
    days: usize,
    outside: usize,
    p_value: f64,
    significant: bool,
}

#[derive(Serialize)]
struct QueueJson<'a> {
    queue: &'a str,
    verdicts: std::collections::BTreeMap<&'static str, VerdictJson>,
    whole: SpanJson<'a>,
    days: Vec<SpanJson<'a>>,
    intervals: Vec<SpanJson<'a>>,
}

#[derive(Serialize)]
struct CalibrationJson<'a> {
    scenario: &'a str,
    first_day: String,
    days: usize,
    interval_minutes: u32,
    replications: u32,
    seed: u64,
    band: f64,
    differs: bool,
    notes: &'a [String],
    queues: Vec<QueueJson<'a>>,
}

fn span_json(s: &SpanComparison) -> SpanJson<'_> {
    let kpis = s
        .kpis
        .iter()
        .map(|k| {
            let (verdict, by) = match k.verdict {
                Verdict::Inside => ("inside", None),
                Verdict::Above(b) => ("above", Some(b)),
                Verdict::Below(b) => ("below", Some(b)),
                Verdict::NotCompared => ("not_compared", None),
            };
            let arr = |p: Option<(f64, f64)>| p.map(|(a, b)| [a, b]);
            (k.kpi.key(), KpiJson { actual: k.actual, mean: k.mean, ci: arr(k.ci), band: arr(k.band), verdict, by })
        })
        .collect();
    SpanJson { period: &s.label, offered: s.offered, agents: s.agents, kpis }
}

/// The calibration as JSON (`calibrate_version` 1), every interval
/// included.
pub fn json(c: &Calibration) -> String {
    let queues = c
        .queues
        .iter()
        .map(|q| QueueJson {
            queue: &q.queue,
            verdicts: q
                .verdicts
                .iter()
                .map(|v| {
                    (
                        v.kpi.key(),
                        VerdictJson {
                            days: v.days,
                            outside: v.outside,
                            p_value: v.p_value,
                            significant: v.significant,
                        },
                    )
                })
                .collect(),
            whole: span_json(&q.whole),
            days: q.days.iter().map(span_json).collect(),
            intervals: q.intervals.iter().map(span_json).collect(),
        })
        .collect();
    let body = CalibrationJson {
        scenario: &c.scenario,
        first_day: c.first_day.to_string(),
        days: c.days,
        interval_minutes: c.interval_minutes,
        replications: c.replications,
        seed: c.seed,
        band: BAND,
        differs: c.differs(),
        notes: &c.notes,
        queues,
    };
    versioned("calibrate_version", CALIBRATE_VERSION, &body)
}
