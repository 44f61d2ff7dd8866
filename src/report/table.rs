//! The readable table of `wfmsim run`: horizon and per-day KPIs per queue,
//! per-interval on request.

use std::fmt::Write;

use super::{describe_targets, percent};
use crate::model::Model;
use crate::montecarlo::{Period, Results, TargetShare};
use crate::stats::Summary;

/// Rows of cells printed with aligned columns: the first column left
/// aligned, the others right aligned.
#[derive(Default)]
pub(crate) struct TextTable {
    rows: Vec<Vec<String>>,
}

impl TextTable {
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub(crate) fn render(&self, indent: &str, out: &mut String) {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| self.rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
            .collect();
        for row in &self.rows {
            let mut line = String::from(indent);
            for (c, cell) in row.iter().enumerate() {
                if c == 0 {
                    write!(line, "{cell:<w$}", w = widths[0]).expect("write to string");
                } else {
                    write!(line, "  {cell:>w$}", w = widths[c]).expect("write to string");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// How a KPI's numbers are written.
#[derive(Clone, Copy)]
enum Unit {
    Count,
    Share,
    Seconds,
}

fn value(x: f64, unit: Unit) -> String {
    match unit {
        Unit::Count => format!("{x:.1}"),
        Unit::Share => percent(x),
        Unit::Seconds => format!("{x:.1} s"),
    }
}

fn mean(s: Option<Summary>, unit: Unit) -> String {
    s.map_or_else(|| "-".to_string(), |s| value(s.mean, unit))
}

fn met(t: Option<TargetShare>) -> String {
    t.map_or_else(String::new, |t| percent(t.met_share))
}

/// The run results as a table, ending in a newline.
pub fn render(model: &Model, results: &Results, intervals: bool) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "{}: {} day(s) from {}, {}-minute intervals in {}; {} replications, seed {}",
        model.name,
        model.days.len(),
        model.days[0].date,
        model.interval_s / 60.0,
        model.timezone_name,
        results.replications,
        results.seed
    )
    .expect("write to string");
    writeln!(out, "Service level = {}. Means over replications, 95% CI of the mean, P10-P90 across replications; \"met\" = share of replications meeting the target.", rule_words(model)).expect("write to string");
    for (q, queue) in results.queues.iter().enumerate() {
        let targets = &model.queues[q].targets;
        writeln!(out, "\nQueue {} ({})", queue.name, describe_targets(targets)).expect("write to string");
        horizon_table(&queue.horizon, &mut out);
        writeln!(out).expect("write to string");
        period_table("day", &queue.days, |p| p.start[..10].to_string(), &mut out);
        if intervals {
            writeln!(out).expect("write to string");
            // With the UTC offset: on a fall-back day a local time happens twice.
            period_table(
                "interval",
                &queue.intervals,
                |p| format!("{} {}", &p.start[..16].replace('T', " "), &p.start[19..]),
                &mut out,
            );
        }
    }
    out
}

fn rule_words(model: &Model) -> &'static str {
    match model.service_level_rule {
        crate::model::ServiceLevelRule::Offered => "answered within threshold / offered",
        crate::model::ServiceLevelRule::OfferedLessShortAbandons => {
            "answered within threshold / (offered - abandoned within threshold)"
        }
        crate::model::ServiceLevelRule::Answered => "answered within threshold / answered",
    }
}

fn horizon_table(p: &Period, out: &mut String) {
    let k = &p.kpis;
    let t = &p.targets;
    let mut table = TextTable::default();
    table.row(["KPI", "mean", "95% CI", "P10", "P90", "target", "met"].map(String::from).to_vec());
    // (KPI, summary, unit, target with its comparison, share meeting it)
    let rows = [
        ("offered", k.offered, Unit::Count, None, ">="),
        ("answered", k.answered, Unit::Count, None, ">="),
        ("abandoned", k.abandoned, Unit::Count, None, ">="),
        ("service level", k.service_level, Unit::Share, t.service_level, ">="),
        ("ASA", k.asa_s, Unit::Seconds, t.max_asa_s, "<="),
        ("abandon rate", k.abandon_rate, Unit::Share, t.max_abandon, "<="),
        ("occupancy", k.occupancy, Unit::Share, t.max_occupancy, "<="),
        ("AHT", k.aht_s, Unit::Seconds, None, ">="),
    ];
    for (name, s, unit, share, comparison) in rows {
        let target = share.map_or_else(String::new, |t| format!("{comparison} {}", value(t.target, unit)));
        let cells = match s {
            Some(s) => vec![
                name.to_string(),
                value(s.mean, unit),
                s.ci95
                    .map_or_else(|| "-".to_string(), |[lo, hi]| format!("[{}, {}]", value(lo, unit), value(hi, unit))),
                value(s.p10, unit),
                value(s.p90, unit),
                target,
                met(share),
            ],
            None => vec![name.to_string(), "-".into(), "-".into(), "-".into(), "-".into(), target, met(share)],
        };
        table.row(cells);
    }
    writeln!(out, "  horizon {} to {}", &p.start[..16].replace('T', " "), &p.end[..16].replace('T', " "))
        .expect("write to string");
    table.render("  ", out);
}

fn period_table(label: &str, periods: &[Period], name: impl Fn(&Period) -> String, out: &mut String) {
    let mut table = TextTable::default();
    table.row(
        [label, "offered", "answered", "abandoned", "SL", "SL met", "ASA", "abandon", "occupancy", "AHT"]
            .map(String::from)
            .to_vec(),
    );
    for p in periods {
        let k = &p.kpis;
        table.row(vec![
            name(p),
            mean(k.offered, Unit::Count),
            mean(k.answered, Unit::Count),
            mean(k.abandoned, Unit::Count),
            mean(k.service_level, Unit::Share),
            met(p.targets.service_level),
            mean(k.asa_s, Unit::Seconds),
            mean(k.abandon_rate, Unit::Share),
            mean(k.occupancy, Unit::Share),
            mean(k.aht_s, Unit::Seconds),
        ]);
    }
    table.render("  ", out);
}
