//! `--format markdown`: the run's results as Markdown tables, for a CI job
//! summary or a wiki page. Horizon KPIs per queue with targets and the
//! share of replications meeting them, then the roll-up periods' means,
//! then the teams' hours and cost.

use std::fmt::Write;

use crate::kpi::percent;
use crate::kpi::{format_value, Bound};
use crate::report::kit::markdown::{header, inline, row};
use crate::report::kit::text::mean;
use crate::report::run::table::{any_events, event_names, period_label};
use crate::results::Results;

/// The results as Markdown, ending in a newline.
pub fn render(results: &Results) -> String {
    let mut out = String::new();
    let m = &results.meta;
    let p = &m.provenance;
    writeln!(out, "# {}\n", inline(&m.scenario)).expect("write to string");
    writeln!(
        out,
        "{} day(s) from {}, {}-minute intervals in {}; {} replications, seed {}; wfmsim {}, scenario sha256 `{}`{}.\n",
        m.days,
        m.first_day,
        m.interval_minutes,
        m.timezone,
        p.replications,
        p.seed,
        p.wfmsim_version,
        p.scenario_sha256.get(..12).unwrap_or("-"),
        match crate::report::kit::text::what_ifs(&p.what_ifs) {
            w if w.is_empty() => w,
            w => format!("; what-ifs `{w}`"),
        }
    )
    .expect("write to string");
    for q in &results.queues {
        writeln!(out, "## {} ({})\n\nTargets: {}.\n", inline(&q.name), q.channel.name(), q.targets)
            .expect("write to string");
        header(&mut out, &["KPI", "mean", "95% CI", "P10", "P90", "target", "met"]);
        for (kpi, s) in q.horizon.kpis.iter() {
            let v = |x: f64| format_value(kpi, x);
            let target = q.horizon.targets.shares().find(|(t, _)| t.kpi == kpi);
            let goal = target.map_or_else(String::new, |(t, _)| {
                format!("{} {}", if t.bound == Bound::AtLeast { "≥" } else { "≤" }, v(t.value))
            });
            let met = target.map_or_else(String::new, |(_, m)| {
                format!("{} {}", percent(m.met_share), super::risk::interval(m.met_ci95))
            });
            let cells = match s {
                Some(s) => {
                    let ci = s.ci95.map_or_else(|| "-".to_string(), |[a, b]| format!("{} – {}", v(a), v(b)));
                    vec![kpi.label().into(), v(s.mean), ci, v(s.p10), v(s.p90), goal, met]
                }
                None => vec![kpi.label().into(), "-".into(), "-".into(), "-".into(), "-".into(), goal, met],
            };
            row(&mut out, &cells);
        }
        if !q.periods.is_empty() {
            writeln!(out).expect("write to string");
            let kpis: Vec<_> = q.horizon.kpis.iter().map(|(k, _)| k).collect();
            let mut names = vec![m.period.name()];
            names.extend(kpis.iter().map(|k| k.label()));
            let events = any_events(q.periods.iter().map(|p| &p.span));
            if events {
                names.push("events");
            }
            header(&mut out, &names);
            for p in &q.periods {
                let mut cells = vec![period_label(p)];
                cells.extend(kpis.iter().map(|&k| mean(&p.kpis, k)));
                if events {
                    cells.push(event_names(&p.span));
                }
                row(&mut out, &cells);
            }
        }
        writeln!(out).expect("write to string");
    }
    risk_section(results, &mut out);
    writeln!(out, "## Teams\n").expect("write to string");
    let (absence, spread) = (super::risk::any_absence(results), super::risk::any_cost_spread(results));
    let mut names = vec!["team", "paid hours", "staffed hours", "busy hours", "occupancy"];
    names.extend(absence.then_some("absent hours"));
    let cost = crate::cost::heading("cost", results.meta.currency.as_deref());
    names.push(&cost);
    names.extend(spread.then_some("cost P10 / P50 / P90"));
    header(&mut out, &names);
    for t in &results.teams {
        let h = |s: Option<crate::stats::Summary>| s.map_or_else(|| "-".to_string(), |s| format!("{:.1}", s.mean));
        let mut cells = vec![
            t.name.clone(),
            format!("{:.1}", t.horizon.span.paid_hours),
            h(t.horizon.staffed_hours),
            h(t.horizon.busy_hours),
            t.horizon.occupancy.map_or_else(|| "-".to_string(), |s| percent(s.mean)),
        ];
        cells.extend(absence.then(|| super::risk::absent_cell(&t.horizon)));
        cells.push(t.horizon.span.cost.map_or_else(|| "-".to_string(), |c| format!("{c:.0}")));
        cells.extend(spread.then(|| super::risk::cost_spread_cell(&t.horizon)));
        row(&mut out, &cells);
    }
    if let Some(all) = results.all_teams.first() {
        let cost = all.cost.map_or_else(|| "-".to_string(), |c| format!("{c:.0}"));
        let mut cells =
            vec!["all teams".into(), format!("{:.1}", all.paid_hours), String::new(), String::new(), String::new()];
        cells.extend(absence.then(String::new));
        cells.push(cost);
        cells.extend(spread.then(String::new));
        row(&mut out, &cells);
    }
    out
}

/// The periods most likely to miss a target, as a Markdown section.
fn risk_section(results: &Results, out: &mut String) {
    if !super::risk::applies(results) {
        return;
    }
    writeln!(out, "## {}\n", super::risk::title(results)).expect("write to string");
    let rows = super::risk::rows(results);
    if rows.is_empty() {
        writeln!(out, "{}.\n", super::risk::none_line(results)).expect("write to string");
        return;
    }
    header(out, &super::risk::HEADER);
    for r in rows {
        row(out, &r);
    }
    writeln!(out).expect("write to string");
}
