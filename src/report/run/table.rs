//! The readable table of `wfmsim run`: horizon and per-day KPIs per queue,
//! per-interval on request, then the teams' hours and cost.

use std::fmt::Write;

use crate::kpi::percent;
use crate::kpi::{format_value, Bound, Kpi};
use crate::report::kit::text::{interval_label, mean, provenance_line, TextTable};
use crate::results::{Period, QueueResults, Results};
use crate::stats::Summary;

/// The run results as a table, ending in a newline.
pub fn render(results: &Results) -> String {
    let mut out = String::new();
    let m = &results.meta;
    let p = &m.provenance;
    writeln!(
        out,
        "{}: {} day(s) from {}, {}-minute intervals in {}; {} replications, seed {}",
        m.scenario, m.days, m.first_day, m.interval_minutes, m.timezone, p.replications, p.seed
    )
    .expect("write to string");
    writeln!(out, "{}", provenance_line(p)).expect("write to string");
    writeln!(out, "Service level = {}. Means over replications, 95% CI of the mean (clamped to the KPI's range), P10-P90 across replications; \"met\" = share of replications meeting the target.", rule_words(&m.service_level_rule)).expect("write to string");
    for queue in &results.queues {
        writeln!(out, "\nQueue {} ({}; {})", queue.name, queue.channel.name(), queue.targets).expect("write to string");
        horizon_table(&queue.horizon, &mut out);
        if !queue.periods.is_empty() {
            writeln!(out).expect("write to string");
            period_table(queue, m.period.name(), &queue.periods, period_label, &mut out);
        }
        if !queue.intervals.is_empty() {
            writeln!(out).expect("write to string");
            period_table(queue, "interval", &queue.intervals, |p| interval_label(&p.span.start), &mut out);
        }
    }
    risk_section(results, &mut out);
    teams_table(results, &mut out);
    out
}

/// The periods most likely to miss a target (see [`crate::results::risks`]).
fn risk_section(results: &Results, out: &mut String) {
    if !super::risk::applies(results) {
        return;
    }
    writeln!(out, "\n{}", super::risk::title(results)).expect("write to string");
    let rows = super::risk::rows(results);
    if rows.is_empty() {
        writeln!(out, "  {}", super::risk::none_line(results)).expect("write to string");
        return;
    }
    let mut t = TextTable::default();
    t.header(&super::risk::HEADER);
    rows.into_iter().for_each(|r| t.row(r));
    t.render("  ", out);
}

/// A span's label, starred when the horizon covers only part of it.
pub(crate) fn label(s: &crate::results::Span) -> String {
    let l = s.label.clone().unwrap_or_default();
    if s.partial {
        format!("{l}*")
    } else {
        l
    }
}

/// A roll-up period's label, starred when the horizon covers only part of it.
pub(crate) fn period_label(p: &Period) -> String {
    let label = p.span.label.clone().unwrap_or_else(|| p.span.start[..10].to_string());
    if p.span.partial {
        format!("{label}*")
    } else {
        label
    }
}

/// Whether any of `spans` names an event: then tables show an `events`
/// column (a run without events looks as it always did).
pub(crate) fn any_events<'a>(mut spans: impl Iterator<Item = &'a crate::results::Span>) -> bool {
    spans.any(|s| !s.events.is_empty())
}

/// The events of a span, as a table cell.
pub(crate) fn event_names(s: &crate::results::Span) -> String {
    s.events.join(", ")
}

/// Per team and period: the roster's paid hours and cost, and the agents'
/// time as simulated (means across replications).
fn teams_table(results: &Results, out: &mut String) {
    writeln!(out, "\nTeams (paid hours: the roster's shifts, breaks included; staffed: logged in and not on a break; * a period the horizon covers in part)")
        .expect("write to string");
    let mut t = TextTable::default();
    let (absence, spread) = (super::risk::any_absence(results), super::risk::any_cost_spread(results));
    let events = any_events(results.teams.iter().flat_map(|t| &t.periods).map(|p| &p.span.span));
    let mut header = vec!["team", "period", "paid hours", "staffed hours", "busy hours", "occupancy"];
    header.extend(absence.then_some("absent hours"));
    header.push("cost");
    header.extend(spread.then_some("cost P10 / P50 / P90"));
    header.extend(events.then_some("events"));
    t.header(&header);
    let hours = |s: Option<Summary>| s.map_or_else(|| "-".to_string(), |s| format!("{:.1}", s.mean));
    for team in &results.teams {
        let label = |s: &crate::results::Span| {
            let l = s.label.clone().unwrap_or_default();
            if s.partial {
                format!("{l}*")
            } else {
                l
            }
        };
        let periods =
            team.periods.iter().map(|d| (label(&d.span.span), d)).chain([("horizon".to_string(), &team.horizon)]);
        for (k, (name, p)) in periods.enumerate() {
            let mut row = vec![
                if k == 0 { team.name.clone() } else { String::new() },
                name,
                format!("{:.1}", p.span.paid_hours),
                hours(p.staffed_hours),
                hours(p.busy_hours),
                p.occupancy.map_or_else(|| "-".to_string(), |s| percent(s.mean)),
            ];
            row.extend(absence.then(|| super::risk::absent_cell(p)));
            row.push(p.span.cost.map_or_else(|| "-".to_string(), |c| format!("{c:.0}")));
            row.extend(spread.then(|| super::risk::cost_spread_cell(p)));
            row.extend(events.then(|| event_names(&p.span.span)));
            t.row(row);
        }
    }
    // Periods first, then the horizon, as for each team.
    let all = results.all_teams.iter().skip(1).map(|a| (label(&a.span), a));
    for (k, (period, all)) in all.chain(results.all_teams.first().map(|a| ("horizon".to_string(), a))).enumerate() {
        let mut row = vec![
            if k == 0 { "all teams".to_string() } else { String::new() },
            period,
            format!("{:.1}", all.paid_hours),
            String::new(),
            String::new(),
            String::new(),
        ];
        row.extend(absence.then(String::new));
        row.push(all.cost.map_or_else(|| "-".to_string(), |c| format!("{c:.0}")));
        t.row(row);
    }
    t.render("  ", out);
}

pub(crate) fn rule_words(rule: &str) -> &'static str {
    match rule {
        "offered_less_short_abandons" => "answered within threshold / (offered - abandoned within threshold)",
        "answered" => "answered within threshold / answered",
        _ => "answered within threshold / offered",
    }
}

fn horizon_table(p: &Period, out: &mut String) {
    let mut table = TextTable::default();
    table.header(&["KPI", "mean", "95% CI", "P10", "P90", "target", "met", "met 95% CI"]);
    for (kpi, s) in p.kpis.iter() {
        let target = p.targets.shares().find(|(t, _)| t.kpi == kpi);
        let target_cell = target.map_or_else(String::new, |(t, _)| {
            let op = if t.bound == Bound::AtLeast { ">=" } else { "<=" };
            format!("{op} {}", format_value(kpi, t.value))
        });
        let met = target.map_or_else(String::new, |(_, m)| percent(m.met_share));
        let met_ci = target.map_or_else(String::new, |(_, m)| super::risk::interval(m.met_ci95));
        let v = |x: f64| format_value(kpi, x);
        let cells = match s {
            Some(s) => vec![
                kpi.label().to_string(),
                v(s.mean),
                s.ci95.map_or_else(|| "-".to_string(), |[lo, hi]| format!("[{}, {}]", v(lo), v(hi))),
                v(s.p10),
                v(s.p90),
                target_cell,
                met,
                met_ci,
            ],
            None if kpi == Kpi::ServiceLevel && p.span.pending => {
                vec![kpi.label().into(), "pending".into(), "-".into(), "-".into(), "-".into(), target_cell, met, met_ci]
            }
            None => vec![kpi.label().into(), "-".into(), "-".into(), "-".into(), "-".into(), target_cell, met, met_ci],
        };
        table.row(cells);
    }
    writeln!(out, "  horizon {} to {}", &p.span.start[..16].replace('T', " "), &p.span.end[..16].replace('T', " "))
        .expect("write to string");
    table.render("  ", out);
}

/// One row per period: each KPI's mean, with the share of replications
/// meeting the service-level target beside the service level.
fn period_table(
    queue: &QueueResults,
    label: &str,
    periods: &[Period],
    name: impl Fn(&Period) -> String,
    out: &mut String,
) {
    let kpis: Vec<Kpi> = queue.horizon.kpis.iter().map(|(k, _)| k).collect();
    let mut header = vec![label.to_string()];
    for &kpi in &kpis {
        header.push(kpi.label().to_string());
        if kpi == Kpi::ServiceLevel {
            header.push("SL met".into());
        }
    }
    let events = any_events(periods.iter().map(|p| &p.span));
    if events {
        header.push("events".into());
    }
    let mut table = TextTable::default();
    table.row(header);
    for p in periods {
        let mut row = vec![name(p)];
        for &kpi in &kpis {
            let pending = kpi == Kpi::ServiceLevel && p.span.pending;
            row.push(if pending { "pending".into() } else { mean(&p.kpis, kpi) });
            if kpi == Kpi::ServiceLevel {
                let met = p.targets.get(Kpi::ServiceLevel).filter(|_| !pending);
                row.push(met.map_or_else(String::new, |t| percent(t.met_share)));
            }
        }
        if events {
            row.push(event_names(&p.span));
        }
        table.row(row);
    }
    table.render("  ", out);
}
