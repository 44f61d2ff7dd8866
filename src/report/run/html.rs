//! `--format html`: one self-contained page (inline CSS and SVG; no
//! script, font or image fetched), readable on a laptop and printable.
//! For a run: per queue the horizon's KPIs, charts through the horizon
//! (the finest spans the results carry: intervals, else periods) with the
//! 95% CI band, the P10-P90 band and the target line, the chance of
//! missing each target per span and per period; then the teams' hours and
//! cost by period. `html_staffing` renders `staff` with the same parts.

use std::fmt::Write;

use crate::kpi::percent;
use crate::kpi::{format_value, Kpi, Target, Unit};
use crate::report::kit::html::short_number;
use crate::report::kit::html::{
    day_label, header, nav, page, point, table, target_words, tick_count, tick_percent, time_axis, Cell, COLOURS,
};
use crate::report::kit::svg::{self, escape, BarChart, Bars, Line, LineChart, Point, Reference, XAxis, YAxis};
use crate::report::kit::text::{interval_label, provenance_line};
use crate::report::run::table::{period_label, rule_words};
use crate::results::{Period, QueueResults, Results, Span, TeamPeriod};

/// A tooltip per span: its name, then `part` of each item, `; `-separated.
fn tooltips<T>(spans: &[Period], names: &[String], items: &[T], part: impl Fn(&Period, &T) -> String) -> Vec<String> {
    spans
        .iter()
        .zip(names)
        .map(|(p, name)| {
            let parts: Vec<String> = items.iter().map(|item| part(p, item)).collect();
            format!("{name}: {}", parts.join("; "))
        })
        .collect()
}

fn tick_seconds(x: f64) -> String {
    format!("{} s", short_number(x))
}

fn tick_hours(x: f64) -> String {
    format!("{} h", short_number(x))
}

fn tick_money(x: f64) -> String {
    short_number(x)
}

/// The vertical axis for values of `unit`: shares from 0 to 100%.
fn y_axis(unit: Unit) -> YAxis {
    match unit {
        Unit::Share => YAxis { format: tick_percent, max: Some(1.0) },
        Unit::Count => YAxis { format: tick_count, max: None },
        Unit::Seconds => YAxis { format: tick_seconds, max: None },
        Unit::Hours => YAxis { format: tick_hours, max: None },
    }
}

/// A category axis over periods, at most about ten labelled.
fn period_axis(labels: &[String], kind: &str) -> XAxis {
    XAxis { slots: labels.len(), ticks: svg::thinned(labels, 10), caption: kind.to_string(), centred: true }
}

/// A period's label on an axis: a day as `Mon 23`, others as they are.
fn axis_label(p: &Period) -> String {
    match &p.span.label {
        Some(l) if l.len() == 10 => day_label(l),
        Some(l) => l.clone(),
        None => p.span.start.get(..10).unwrap_or_default().to_string(),
    }
}

/// The spans a queue's charts run through, the finest the results carry:
/// (spans, axis, name of one span in tooltips).
fn series<'a>(q: &'a QueueResults, results: &Results) -> Option<(&'a [Period], XAxis, Vec<String>)> {
    if !q.intervals.is_empty() {
        let starts: Vec<&str> = q.intervals.iter().map(|p| p.span.start.as_str()).collect();
        let names = q.intervals.iter().map(|p| interval_label(&p.span.start)).collect();
        return Some((&q.intervals, time_axis(&starts, &results.meta.timezone), names));
    }
    if !q.periods.is_empty() {
        let labels: Vec<String> = q.periods.iter().map(axis_label).collect();
        let names = q.periods.iter().map(with_events).collect();
        return Some((&q.periods, period_axis(&labels, results.meta.period.name()), names));
    }
    None
}

/// What a chart of a queue shows: its title and KPIs (those the channel
/// does not report are left out).
struct ChartSpec {
    title: &'static str,
    kpis: &'static [Kpi],
}

/// The charts of a queue of a live or deferred channel.
fn chart_specs(live: bool) -> &'static [ChartSpec] {
    use Kpi::*;
    const LIVE: &[ChartSpec] = &[
        ChartSpec { title: "Service level", kpis: &[ServiceLevel] },
        ChartSpec { title: "ASA (mean wait of answered contacts)", kpis: &[Asa] },
        ChartSpec { title: "Offered and abandoned", kpis: &[Offered, Abandoned] },
        ChartSpec { title: "Occupancy", kpis: &[Occupancy, SlotUtilization] },
    ];
    const DEFERRED: &[ChartSpec] = &[
        ChartSpec { title: "Service level (by arrival)", kpis: &[ServiceLevel] },
        ChartSpec { title: "Backlog", kpis: &[PeakBacklog, BacklogEnd] },
        ChartSpec { title: "Arrived and handled", kpis: &[Arrived, Handled] },
        ChartSpec { title: "Response time", kpis: &[ResponseTime, ResponseTimeP90] },
        ChartSpec { title: "Occupancy", kpis: &[Occupancy] },
    ];
    if live {
        LIVE
    } else {
        DEFERRED
    }
}

/// The KPI's summary in a span, unless pending (deferred work whose
/// deadlines lie past the horizon).
fn summary(p: &Period, kpi: Kpi) -> Option<crate::stats::Summary> {
    p.kpis.get(kpi).filter(|_| !(kpi == Kpi::ServiceLevel && p.span.pending))
}

/// The line chart of `kpis` through `spans`; bands of P10-P90 only when
/// one KPI is drawn.
fn kpi_chart(
    spec: &ChartSpec,
    kpis: &[Kpi],
    (spans, axis, names): (&[Period], &XAxis, &[String]),
    (per, marks): (&str, &[svg::Mark]),
    target: Option<&Target>,
) -> String {
    // A KPI undefined throughout (a P90 of response times by interval) is
    // left out, unless every one is.
    let defined: Vec<Kpi> = kpis.iter().copied().filter(|&k| spans.iter().any(|p| summary(p, k).is_some())).collect();
    let kpis = if defined.is_empty() { kpis } else { &defined };
    let spread = kpis.len() == 1;
    let lines = kpis
        .iter()
        .zip(COLOURS)
        .map(|(&kpi, colour)| Line {
            label: kpi.label().to_string(),
            colour,
            dash: None,
            points: spans.iter().map(|p| summary(p, kpi).map(|s| point(s, spread))).collect(),
        })
        .collect();
    let hover = tooltips(spans, names, kpis, |p, &kpi| {
        let v = |x: f64| format_value(kpi, x);
        match summary(p, kpi) {
            Some(s) => match s.ci95 {
                Some([lo, hi]) => format!("{} {} (CI {} to {})", kpi.label(), v(s.mean), v(lo), v(hi)),
                None => format!("{} {}", kpi.label(), v(s.mean)),
            },
            None => format!("{} -", kpi.label()),
        }
    });
    svg::line_chart_marked(
        &LineChart {
            title: format!("{} ({})", spec.title, unit_words(kpis[0].unit(), per)),
            x: axis.clone(),
            y: y_axis(kpis[0].unit()),
            lines,
            target: target
                .map(|t| Reference { value: t.kpi.reported(t.value), label: format!("target {}", target_words(t)) }),
            hover,
            band_labels: (Some("95% CI".into()), spread.then(|| "P10-P90".to_string())),
        },
        marks,
    )
}

/// What a chart's vertical axis counts, in words: `contacts per 30 min`,
/// `% of contacts`, `seconds`; `per` names one span.
fn unit_words(unit: Unit, per: &str) -> String {
    match unit {
        Unit::Count => format!("contacts per {per}"),
        Unit::Share => "%".to_string(),
        Unit::Seconds => "seconds".to_string(),
        Unit::Hours => "hours".to_string(),
    }
}

/// The runs of consecutive spans with the same events in force, as marks
/// on a chart: `Launch (chat x2)`.
fn event_marks(spans: &[Period]) -> Vec<svg::Mark> {
    let mut out: Vec<svg::Mark> = Vec::new();
    for (i, p) in spans.iter().enumerate() {
        if p.span.events.is_empty() {
            continue;
        }
        let label = p.span.events.join("; ");
        match out.last_mut() {
            Some(m) if m.first + m.slots == i && m.label == label => m.slots += 1,
            _ => out.push(svg::Mark { first: i, slots: 1, label }),
        }
    }
    out
}

/// The chance of missing each target through `spans`: the share of
/// replications in which the span missed it.
fn risk_chart(q: &QueueResults, spans: &[Period], axis: &XAxis, names: &[String], marks: &[svg::Mark]) -> String {
    let targets: Vec<Target> = q.horizon.targets.iter().map(|(t, _)| t).collect();
    let miss = |p: &Period, t: &Target| {
        let pending = t.kpi == Kpi::ServiceLevel && p.span.pending;
        p.targets.get(t.kpi).filter(|_| !pending).map(|s| 1.0 - s.met_share)
    };
    let lines = targets
        .iter()
        .zip(COLOURS)
        .map(|(t, colour)| Line {
            label: target_words(t),
            colour,
            dash: None,
            points: spans.iter().map(|p| miss(p, t).map(Point::plain)).collect(),
        })
        .collect();
    let hover = tooltips(spans, names, &targets, |p, t| {
        format!("{} missed in {}", target_words(t), miss(p, t).map_or_else(|| "-".into(), percent))
    });
    svg::line_chart_marked(
        &LineChart {
            title: "Chance of missing each target (share of replications)".into(),
            x: axis.clone(),
            y: y_axis(Unit::Share),
            lines,
            target: None,
            hover,
            band_labels: (None, None),
        },
        marks,
    )
}

/// The horizon's KPIs: mean, interval, percentiles, target and share met.
fn horizon_table(out: &mut String, p: &Period) {
    let rows = p
        .kpis
        .iter()
        .map(|(kpi, _)| {
            let v = |x: f64| format_value(kpi, x);
            let target = p.targets.iter().find(|(t, _)| t.kpi == kpi);
            let goal = target.map_or_else(String::new, |(t, _)| target_words(&t));
            let met = match target {
                Some((_, m)) => Cell::risk(percent(m), 1.0 - m),
                None => Cell::new(""),
            };
            let s = summary(p, kpi);
            let mean = match s {
                Some(s) => v(s.mean),
                None if kpi == Kpi::ServiceLevel && p.span.pending => "pending".into(),
                None => "-".into(),
            };
            let ci = s.and_then(|s| s.ci95).map_or_else(|| "-".into(), |[lo, hi]| format!("{} to {}", v(lo), v(hi)));
            let pct = |f: fn(&crate::stats::Summary) -> f64| s.map_or_else(|| "-".into(), |s| v(f(&s)));
            vec![
                kpi.label().into(),
                mean.into(),
                ci.into(),
                pct(|s| s.p10).into(),
                pct(|s| s.p90).into(),
                goal.into(),
                met,
            ]
        })
        .collect();
    table(out, &["KPI", "mean", "95% CI", "P10", "P90", "target", "met in"], rows);
}

/// A period's label, with the events in it: `2026-12-25 (Christmas Day)`.
fn with_events(p: &Period) -> String {
    match p.span.events.is_empty() {
        true => period_label(p),
        false => format!("{} ({})", period_label(p), super::table::event_names(&p.span)),
    }
}

/// Per period and for the horizon, the chance of missing each target.
fn risk_table(out: &mut String, q: &QueueResults, period: &str) {
    let targets: Vec<Target> = q.horizon.targets.iter().map(|(t, _)| t).collect();
    let words: Vec<String> = targets.iter().map(target_words).collect();
    let mut head = vec![period];
    head.extend(words.iter().map(String::as_str));
    let spans = q.periods.iter().map(|p| (with_events(p), p)).chain([("horizon".to_string(), &q.horizon)]);
    let rows = spans
        .map(|(name, p)| {
            let mut row = vec![Cell::new(name)];
            for t in &targets {
                let pending = t.kpi == Kpi::ServiceLevel && p.span.pending;
                row.push(match p.targets.get(t.kpi) {
                    _ if pending => Cell::new("pending"),
                    Some(s) => Cell::risk(percent(1.0 - s.met_share), 1.0 - s.met_share),
                    None => Cell::new("-"),
                });
            }
            row
        })
        .collect();
    table(out, &head, rows);
}

fn queue_section(out: &mut String, i: usize, q: &QueueResults, results: &Results) {
    writeln!(
        out,
        "<section id=\"queue-{i}\">\n<h2>Queue {} <span class=\"note\">({}; {})</span></h2>",
        escape(&q.name),
        q.channel.name(),
        escape(&q.targets)
    )
    .expect("write to string");
    writeln!(
        out,
        "<p class=\"note\">Horizon {} to {}.</p>",
        escape(&q.horizon.span.start[..16].replace('T', " ")),
        escape(&q.horizon.span.end[..16].replace('T', " "))
    )
    .expect("write to string");
    horizon_table(out, &q.horizon);
    let reported: Vec<Kpi> = q.horizon.kpis.iter().map(|(k, _)| k).collect();
    let targets: Vec<Target> = q.horizon.targets.iter().map(|(t, _)| t).collect();
    match series(q, results) {
        Some((spans, axis, names)) => {
            let by = if q.intervals.is_empty() { results.meta.period.name() } else { "interval" };
            let per = match q.intervals.is_empty() {
                true => results.meta.period.name().to_string(),
                false => format!("{} min", results.meta.interval_minutes),
            };
            let marks = event_marks(spans);
            writeln!(out, "<h3>Through the horizon, by {by}</h3>\n<div class=\"charts\">").expect("write to string");
            for spec in chart_specs(q.channel.is_live()) {
                let kpis: Vec<Kpi> = spec.kpis.iter().copied().filter(|k| reported.contains(k)).collect();
                if kpis.is_empty() {
                    continue;
                }
                let target = targets.iter().find(|t| kpis.contains(&t.kpi));
                out.push_str(&kpi_chart(spec, &kpis, (spans, &axis, &names), (&per, &marks), target));
                out.push('\n');
            }
            if !targets.is_empty() {
                out.push_str(&risk_chart(q, spans, &axis, &names, &marks));
                out.push('\n');
            }
            out.push_str("</div>\n");
        }
        None => out.push_str(
            "<p class=\"note\">No charts: the report carries the horizon only (run with --detail period or interval).</p>\n",
        ),
    }
    if !targets.is_empty() {
        writeln!(
            out,
            "<h3>Chance of missing each target, by {}</h3>\n<p class=\"note\">Share of replications in which the {0} missed the target; green: met in at least 90% of replications, amber: in at least half, red: in fewer.</p>",
            results.meta.period.name()
        )
        .expect("write to string");
        risk_table(out, q, results.meta.period.name());
    }
    out.push_str("</section>\n");
}

/// A span's name in the teams' table and chart.
fn span_name(s: &Span) -> String {
    let l = s.label.clone().unwrap_or_else(|| "horizon".into());
    if s.partial {
        format!("{l}*")
    } else {
        l
    }
}

fn teams_section(out: &mut String, results: &Results) {
    if results.teams.is_empty() {
        return;
    }
    let period = results.meta.period.name();
    writeln!(out, "<section id=\"teams\">\n<h2>Teams: hours and cost</h2>").expect("write to string");
    let priced = results.teams.iter().any(|t| t.horizon.span.cost.is_some());
    let periods: Vec<(String, Vec<&TeamPeriod>)> = match results.teams[0].periods.is_empty() {
        true => vec![("horizon".into(), results.teams.iter().map(|t| &t.horizon).collect())],
        false => (0..results.teams[0].periods.len())
            .map(|k| {
                (
                    span_name(&results.teams[0].periods[k].span.span),
                    results.teams.iter().map(|t| &t.periods[k]).collect(),
                )
            })
            .collect(),
    };
    let categories: Vec<String> = periods.iter().map(|(name, _)| name.clone()).collect();
    let stacks = results
        .teams
        .iter()
        .enumerate()
        .map(|(t, team)| Bars {
            label: team.name.clone(),
            colour: COLOURS[t % COLOURS.len()],
            values: periods
                .iter()
                .map(|(_, ps)| if priced { ps[t].span.cost.unwrap_or(0.0) } else { ps[t].span.paid_hours })
                .collect(),
        })
        .collect();
    let title = if priced { format!("Cost by team and {period}") } else { format!("Paid hours by team and {period}") };
    out.push_str("<div class=\"charts\">");
    out.push_str(&svg::bar_chart(&BarChart { title, categories, caption: period.into(), format: tick_money, stacks }));
    out.push_str("</div>\n");
    let hours = |s: Option<crate::stats::Summary>| s.map_or_else(|| "-".to_string(), |s| format!("{:.1}", s.mean));
    let (absence, spread) = (super::risk::any_absence(results), super::risk::any_cost_spread(results));
    let mut rows = Vec::new();
    for team in &results.teams {
        for (k, p) in team.periods.iter().chain([&team.horizon]).enumerate() {
            let mut row = vec![
                Cell::new(if k == 0 { team.name.clone() } else { String::new() }),
                Cell::new(span_name(&p.span.span)),
                Cell::new(format!("{:.1}", p.span.paid_hours)),
                Cell::new(hours(p.staffed_hours)),
                Cell::new(hours(p.busy_hours)),
                Cell::new(p.occupancy.map_or_else(|| "-".to_string(), |s| percent(s.mean))),
            ];
            row.extend(absence.then(|| Cell::new(super::risk::absent_cell(p))));
            row.push(Cell::new(p.span.cost.map_or_else(|| "-".to_string(), |c| format!("{c:.0}"))));
            row.extend(spread.then(|| Cell::new(super::risk::cost_spread_cell(p))));
            rows.push(row);
        }
    }
    let all = results.all_teams.iter().skip(1).chain(results.all_teams.first());
    for (k, a) in all.enumerate() {
        let mut row = vec![
            Cell::new(if k == 0 { "all teams" } else { "" }),
            Cell::new(span_name(&a.span)),
            Cell::new(format!("{:.1}", a.paid_hours)),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
        ];
        row.extend(absence.then(|| Cell::new("")));
        row.push(Cell::new(a.cost.map_or_else(|| "-".to_string(), |c| format!("{c:.0}"))));
        row.extend(spread.then(|| Cell::new("")));
        rows.push(row);
    }
    let mut head = vec!["team", period, "paid hours", "staffed hours", "busy hours", "occupancy"];
    head.extend(absence.then_some("absent hours"));
    let cost = crate::cost::heading("cost", results.meta.currency.as_deref());
    head.push(&cost);
    head.extend(spread.then_some("cost P10 / P50 / P90"));
    table(out, &head, rows);
    out.push_str("<p class=\"note\">Paid hours: the roster's shifts, breaks included; cost = paid hours × the team's cost per hour; staffed: logged in and not on a break (mean over replications); * a period the horizon covers in part.</p>\n</section>\n");
}

/// The periods most likely to miss a target (see [`crate::results::risks`]).
fn risk_section(out: &mut String, results: &Results) {
    if !super::risk::applies(results) {
        return;
    }
    writeln!(
        out,
        "<section id=\"risk\">\n<h2>Risk</h2>\n<p class=\"note\">{}</p>",
        escape(&super::risk::title(results))
    )
    .expect("write to string");
    let rows: Vec<Vec<Cell>> = results
        .risk
        .iter()
        .zip(super::risk::rows(results))
        .map(|(r, cells)| {
            let miss = 1.0 - r.met_share;
            cells
                .into_iter()
                .enumerate()
                .map(|(c, text)| if c == 3 { Cell::risk(text, miss) } else { Cell::new(text) })
                .collect()
        })
        .collect();
    match rows.is_empty() {
        true => writeln!(out, "<p>{}.</p>", escape(&super::risk::none_line(results))).expect("write to string"),
        false => table(out, &super::risk::HEADER, rows),
    }
    out.push_str("</section>\n");
}

/// The run's results as one HTML page, ending in a newline.
pub fn render(results: &Results) -> String {
    let m = &results.meta;
    let p = &m.provenance;
    let mut body = String::new();
    let lines = [
        format!(
            "{} day(s) from {}, {}-minute intervals in {}; {} replications, seed {}",
            m.days, m.first_day, m.interval_minutes, m.timezone, p.replications, p.seed
        ),
        provenance_line(p),
        format!(
            "Service level = {}. Means over replications; in the charts the dark band is the 95% confidence interval of the mean, the light band P10 to P90 across replications, the dashed line the target. Hover over a chart for the figures.",
            rule_words(&m.service_level_rule)
        ),
    ];
    header(&mut body, &m.scenario, &lines);
    let mut links: Vec<(String, String)> =
        results.queues.iter().enumerate().map(|(i, q)| (format!("queue-{i}"), q.name.clone())).collect();
    if super::risk::applies(results) {
        links.push(("risk".into(), "Risk".into()));
    }
    if !results.teams.is_empty() {
        links.push(("teams".into(), "Teams".into()));
    }
    nav(&mut body, &links);
    for (i, q) in results.queues.iter().enumerate() {
        queue_section(&mut body, i, q, results);
    }
    risk_section(&mut body, results);
    teams_section(&mut body, results);
    body.push_str("<footer>Written by wfmsim; the same run gives the same bytes. Definitions of every KPI: the project's README.</footer>\n");
    page(&format!("wfmsim: {}", m.scenario), &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::{run, RunOptions};
    use crate::results::Detail;

    const SCENARIO: &str = r#"
[scenario]
name = "Two <queues> & one team"
start = "2026-11-23"
days = 2
interval_minutes = 60
timezone = "Europe/Paris"
replications = 4

[[queue]]
name = "calls"
handle_time = { distribution = "exponential", mean_s = 180 }
patience = { distribution = "exponential", mean_s = 120 }
target = { service_level = 0.8, within_s = 20, max_abandon = 0.05 }
arrivals = { rate_per_hour = 60 }

[[queue]]
name = "mail"
channel = "email"
handle_time = { distribution = "exponential", mean_s = 300 }
target = { service_level = 0.9, within_hours = 8, max_backlog = 4000 }
arrivals = { rate_per_hour = 5 }

[[team]]
name = "Lyon \"A\""
skills = ["calls", "mail"]
agents = 6
cost_per_hour = 30.0
"#;

    fn results(detail: Detail) -> Results {
        let model = crate::input::compile(SCENARIO, "t.toml").unwrap().model;
        let options = RunOptions { detail, ..RunOptions::for_model(&model) };
        run(&model, &options, &|| {}).unwrap()
    }

    #[test]
    fn a_run_is_one_page_with_a_section_and_charts_per_queue_and_nothing_fetched() {
        let html = render(&results(Detail::Interval));
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
        assert!(
            !html.contains("<script") && !html.contains("http") && !html.contains("url("),
            "nothing to run or fetch"
        );
        assert!(!html.contains("<img") && !html.contains("<link") && !html.contains("@import"));
        assert!(!html.contains("NaN") && !html.contains("inf<"));
        assert_eq!(html.matches("<section id=\"queue-").count(), 2);
        assert!(html.contains("<title>wfmsim: Two &lt;queues&gt; &amp; one team</title>"));
        assert!(html.contains("Lyon &quot;A&quot;") && !html.contains("Lyon \"A\""));
        // Per queue: its KPI charts and the chance of missing each target;
        // then the teams' cost.
        let queue = |i: usize| {
            let start = html.find(&format!("<section id=\"queue-{i}\">")).unwrap();
            let end = start + html[start..].find("</section>").unwrap();
            &html[start..end]
        };
        assert_eq!(queue(0).matches("<svg class=\"chart\" data-chart=\"line\"").count(), 5);
        assert_eq!(queue(1).matches("<svg class=\"chart\" data-chart=\"line\"").count(), 6);
        assert_eq!(html.matches("<svg class=\"chart\" data-chart=\"bar\"").count(), 1);
        assert!(
            html.contains(">Cost by team and day<")
                && html.contains("<title>2026-11-24: Lyon &quot;A&quot; 4320</title>")
        );
        // The target lines and the words naming them.
        assert!(queue(0).contains(">target SL ≥ 80.0%<") && queue(0).contains(">abandon rate ≤ 5.0%<"));
        assert!(queue(1).contains("peak backlog ≤ 4000"));
        assert_eq!(queue(0).matches("class=\"target\"").count(), 1, "SL's; abandon rate has no chart of its own");
        // 48 hourly points, a tooltip each, labelled by day.
        assert!(queue(0).contains(">Mon 23<") && queue(0).contains(">Tue 24<"));
        assert!(queue(0).contains("<title>2026-11-24 23:00 +01:00: service level"));
        assert!(queue(0).contains("Chance of missing each target, by day"));
    }

    #[test]
    fn without_intervals_the_charts_run_by_period_and_without_periods_there_are_none() {
        let html = render(&results(Detail::Period));
        assert!(html.contains("Through the horizon, by day"));
        assert!(html.contains(r#"<text class="tick" x="192.5" y="235" text-anchor="middle">Mon 23</text>"#), "{html}");
        let html = render(&results(Detail::Horizon));
        assert!(html.contains("No charts: the report carries the horizon only"));
        assert_eq!(html.matches("data-chart=\"line\"").count(), 0);
    }

    #[test]
    fn the_same_results_give_the_same_bytes() {
        assert_eq!(render(&results(Detail::Interval)), render(&results(Detail::Interval)));
    }

    #[test]
    fn days_and_hours_label_the_time_axis() {
        assert_eq!(day_label("2026-11-29"), "Sun 29");
        assert_eq!(day_label("week 3"), "week 3");
        let starts: Vec<String> = (0..8).map(|h| format!("2026-11-01T0{h}:00:00-05:00")).collect();
        let starts: Vec<&str> = starts.iter().map(String::as_str).collect();
        let axis = time_axis(&starts, "America/New_York");
        assert_eq!(axis.ticks, vec![(0, "00:00".to_string()), (3, "03:00".to_string()), (6, "06:00".to_string())]);
        assert_eq!(short_number(2.50), "2.5");
        assert_eq!(short_number(-0.001), "0");
        assert_eq!(tick_percent(0.8), "80%");
    }
}
