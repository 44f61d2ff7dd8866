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
    teams_table(results, &mut out);
    out
}

/// Per team and period: the roster's paid hours and cost, and the agents'
/// time as simulated (means across replications).
fn teams_table(results: &Results, out: &mut String) {
    writeln!(out, "\nTeams (paid hours: the roster's shifts, breaks included; staffed: logged in and not on a break)")
        .expect("write to string");
    let mut t = TextTable::default();
    t.row(
        ["team", "period", "paid hours", "staffed hours", "busy hours", "occupancy", "cost"].map(String::from).to_vec(),
    );
    for team in &results.teams {
        let periods =
            team.days.iter().map(|d| (d.start[..10].to_string(), d)).chain([("horizon".to_string(), &team.horizon)]);
        for (k, (name, p)) in periods.enumerate() {
            t.row(vec![
                if k == 0 { team.name.clone() } else { String::new() },
                name,
                format!("{:.1}", p.paid_hours),
                mean(p.staffed_hours, Unit::Count),
                mean(p.busy_hours, Unit::Count),
                mean(p.occupancy, Unit::Share),
                p.cost.map_or_else(|| "-".to_string(), |c| format!("{c:.0}")),
            ]);
        }
    }
    t.render("  ", out);
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

/// A staffing plan as tables, ending in a newline: per interval the three
/// requirements and what the simulated level achieves, then per-day and
/// horizon hours, FTE and cost.
pub fn render_staffing(model: &Model, plan: &crate::staffing::StaffingPlan) -> String {
    let mut out = String::new();
    let criterion = match plan.confidence {
        None => "mean over replications meets each target".to_string(),
        Some(p) => format!("mean meets each target and so do at least {} of replications", percent(p)),
    };
    writeln!(
        out,
        "{}: staffing per {}-minute interval in {}; {} replications per level, seed {}; criterion: {criterion}",
        model.name,
        model.interval_s / 60.0,
        model.timezone_name,
        plan.replications,
        plan.seed
    )
    .expect("write to string");
    writeln!(
        out,
        "Agents on the queue (dedicated). Shrinkage {}, {} paid hours per full-time week.",
        percent(plan.shrinkage),
        plan.paid_hours_per_week
    )
    .expect("write to string");
    for (q, queue) in plan.queues.iter().enumerate() {
        writeln!(out, "\nQueue {} ({})", queue.name, describe_targets(&model.queues[q].targets))
            .expect("write to string");
        let mut t = TextTable::default();
        t.row(
            [
                "interval",
                "rate/h",
                "Erlangs",
                "Erlang C",
                "Erlang A",
                "simulated",
                "SL",
                "ASA",
                "abandon",
                "occupancy",
                "note",
            ]
            .map(String::from)
            .to_vec(),
        );
        let level = |v: Option<u32>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
        for i in &queue.intervals {
            let k = &i.achieved.kpis;
            t.row(vec![
                format!("{} {}", &i.start[..16].replace('T', " "), &i.start[19..]),
                format!("{:.1}", i.rate_per_hour),
                format!("{:.2}", i.load_erlangs),
                level(i.required.erlang_c),
                level(i.required.erlang_a),
                level(i.required.simulated),
                mean(k.service_level, Unit::Share),
                mean(k.asa_s, Unit::Seconds),
                mean(k.abandon_rate, Unit::Share),
                mean(k.occupancy, Unit::Share),
                if i.feasible { String::new() } else { format!("infeasible: capped at {}", i.achieved.agents) },
            ]);
        }
        t.render("  ", &mut out);
        for i in queue.intervals.iter().filter(|i| !i.feasible) {
            writeln!(out, "  {}: {}", &i.start[..16].replace('T', " "), i.reason.as_deref().unwrap_or(""))
                .expect("write to string");
        }
        writeln!(out).expect("write to string");
        let money = |c: Option<f64>| c.map_or_else(|| "-".to_string(), |c| format!("{c:.0}"));
        let mut t = TextTable::default();
        t.row(
            ["period", "method", "agent-hours", "paid hours", "FTE", "cost", "answered", "cost/answered"]
                .map(String::from)
                .to_vec(),
        );
        let periods =
            queue.days.iter().map(|d| (d.start[..10].to_string(), d)).chain([("horizon".to_string(), &queue.totals)]);
        for (name, d) in periods {
            let methods =
                [("Erlang C", Some(&d.erlang_c)), ("Erlang A", d.erlang_a.as_ref()), ("simulated", Some(&d.simulated))];
            for (method, c) in methods {
                let Some(c) = c else { continue };
                let simulated = method == "simulated";
                t.row(vec![
                    if method == "Erlang C" { name.clone() } else { String::new() },
                    method.to_string(),
                    format!("{:.1}", c.agent_hours),
                    format!("{:.1}", c.scheduled_hours),
                    format!("{:.2}", c.fte),
                    money(c.cost),
                    if simulated { format!("{:.1}", d.answered) } else { String::new() },
                    if simulated {
                        d.cost_per_answered.map_or_else(|| "-".into(), |c| format!("{c:.2}"))
                    } else {
                        String::new()
                    },
                ]);
            }
        }
        t.render("  ", &mut out);
    }
    out
}
