//! The plan as one self-contained HTML page: the cost per month by line
//! and by team (stacked, with the total's P10-P90), each queue's service
//! level per month against its target, the months below target, each
//! team's headcount against its requirement, and the tables (their first
//! column stays in view when they scroll).

use std::fmt::Write;

use super::{
    heading, num, queue_cells, queue_head, queue_title, risk_cells, risk_tail, risk_title, sections, spread,
    team_title, RISKS_SHOWN, RISK_HEAD,
};
use crate::kpi::{percent, Kpi};
use crate::plan::{Figure, PlanResults, QueuePlan, Span, TeamPlan, TeamRow};
use crate::report::kit::html::{
    header, nav, page_with_style, short_number, table as html_table, tick_count, tick_percent, Cell, COLOURS,
};
use crate::report::kit::svg::{
    bar_chart_with_spread, escape, line_chart, BarChart, Bars, Line, LineChart, Point, Reference, XAxis, YAxis, WIDTH,
};

/// The plan's own style: tables a little tighter, their first column
/// pinned while they scroll sideways.
const STYLE: &str = "
.plan th,.plan td{padding:3px 7px}
.plan .scroll th:first-child,.plan .scroll td:first-child{position:sticky;left:0;z-index:1;background:#fff;box-shadow:1px 0 0 var(--line)}
.plan .scroll thead th:first-child{background:var(--head)}
";

/// Width of the plot area of a chart (its width less the axis margins),
/// pixels, and of one character of a tick label.
const PLOT_W: f64 = WIDTH - 78.0;
const CHAR_W: f64 = 6.2;

/// Money as an axis tick: `850k`, `1.2M`.
fn tick_money(x: f64) -> String {
    match x.abs() {
        a if a >= 1e6 => format!("{}M", short_number(x / 1e6)),
        a if a >= 1e4 => format!("{}k", short_number(x / 1e3)),
        _ => short_number(x),
    }
}

/// The plan's months: (index among the spans, span).
fn months(r: &PlanResults) -> Vec<(usize, &Span)> {
    r.spans.iter().enumerate().filter(|(_, s)| s.kind == "month").collect()
}

/// The month axis: labels every 1, 3, 6 or 12 months (on calendar
/// quarters and years), the fewest that keep them apart.
fn month_axis(r: &PlanResults) -> XAxis {
    let months = months(r);
    let slot = PLOT_W / months.len().max(1) as f64;
    let label_w = 7.0 * CHAR_W + 10.0;
    let every = [1, 3, 6, 12].into_iter().find(|k| *k as f64 * slot >= label_w).unwrap_or(12);
    let ticks = months
        .iter()
        .enumerate()
        .filter(|(_, (_, s))| s.label[5..].parse::<usize>().is_ok_and(|m| (m - 1) % every == 0))
        .map(|(k, (_, s))| (k, s.label.clone()))
        .collect();
    XAxis { slots: months.len(), ticks, caption: "month".to_string(), centred: true }
}

fn band(f: &Figure) -> Point {
    Point { value: f.mean, band: f.ci95.map(|[a, b]| (a, b)), spread: Some((f.p10, f.p90)) }
}

/// Cost per month, stacked by line or by team, with the total's P10-P90.
fn cost_chart(r: &PlanResults, by_team: bool) -> String {
    let months = months(r);
    let per_month = |pick: &dyn Fn(usize) -> f64| months.iter().map(|&(k, _)| pick(k)).collect::<Vec<f64>>();
    let stacks: Vec<Bars> = if by_team {
        r.teams
            .iter()
            .enumerate()
            .map(|(t, team)| Bars {
                label: team.name.clone(),
                colour: COLOURS[t % COLOURS.len()],
                values: per_month(&|k| team.rows[k].cost.total.mean),
            })
            .collect()
    } else {
        type Line = (&'static str, fn(&crate::plan::CostLines) -> f64);
        let lines: [Line; 5] = [
            ("pay", |c| c.pay.mean),
            ("per contact", |c| c.contacts.mean),
            ("overtime", |c| c.overtime.mean),
            ("hiring", |c| c.hiring.mean),
            ("training", |c| c.training.mean),
        ];
        lines
            .iter()
            .enumerate()
            .filter(|(_, (_, pick))| months.iter().any(|&(k, _)| pick(&r.total[k].cost) > 0.0))
            .map(|(l, (label, pick))| Bars {
                label: label.to_string(),
                colour: COLOURS[l % COLOURS.len()],
                values: per_month(&|k| pick(&r.total[k].cost)),
            })
            .collect()
    };
    let chart = BarChart {
        title: format!(
            "Cost per month{}, by {}",
            r.currency.as_deref().map_or_else(String::new, |c| format!(" ({c})")),
            if by_team { "team" } else { "line" }
        ),
        categories: months.iter().map(|(_, s)| s.label.clone()).collect(),
        caption: "month".to_string(),
        format: tick_money,
        stacks,
    };
    let spread: Vec<Option<(f64, f64)>> =
        months.iter().map(|&(k, _)| Some((r.total[k].cost.total.p10, r.total[k].cost.total.p90))).collect();
    bar_chart_with_spread(&chart, &spread, "total P10-P90")
}

/// One queue's service level per month against its target.
fn service_chart(r: &PlanResults, q: &QueuePlan) -> String {
    let months = months(r);
    let target = q.targets.iter().find(|t| t.kpi == Kpi::ServiceLevel);
    let chart = LineChart {
        title: format!("{}: service level at the heads available", q.name),
        x: month_axis(r),
        y: YAxis { format: tick_percent, max: Some(1.0) },
        lines: vec![Line {
            label: "service level".to_string(),
            colour: COLOURS[0],
            dash: None,
            points: months
                .iter()
                .map(|&(k, _)| q.rows[k].service.as_ref().and_then(|s| s.service_level).map(|f| band(&f)))
                .collect(),
        }],
        target: target.map(|t| Reference { value: t.value, label: format!("target {}", percent(t.value)) }),
        hover: months
            .iter()
            .map(|&(k, s)| {
                let row = &q.rows[k];
                let Some(x) = &row.service else { return format!("{}: nothing offered", s.label) };
                let mut text = format!("{}: handled {} of {}", s.label, num(row.handled, 0), num(row.volume, 0));
                if let Some(a) = x.abandoned {
                    write!(text, ", abandoned {}", num(a.mean, 0)).expect("write to string");
                }
                if let Some(sl) = x.service_level {
                    write!(text, ", SL {}", percent(sl.mean)).expect("write to string");
                }
                for (t, share) in x.targets.shares() {
                    write!(text, ", P({} met) {}", t.key, percent(share.met_share)).expect("write to string");
                }
                text
            })
            .collect(),
        band_labels: (Some("95% CI".into()), Some("P10-P90".into())),
    };
    line_chart(&chart)
}

/// One team's headcount against its requirement, month by month.
fn headcount_chart(r: &PlanResults, team: &TeamPlan) -> String {
    let months = months(r);
    let line = |label: &str, colour: &'static str, dash, pick: &dyn Fn(&TeamRow) -> Point| Line {
        label: label.to_string(),
        colour,
        dash,
        points: months.iter().map(|&(k, _)| Some(pick(&team.rows[k]))).collect(),
    };
    let chart = LineChart {
        title: format!("{}: headcount against requirement", team.name),
        x: month_axis(r),
        y: YAxis { format: tick_count, max: None },
        lines: vec![
            line("required headcount", "#b91c1c", Some("6 3"), &|x| Point::plain(x.heads.required_headcount)),
            line("available (productive)", "#1d4ed8", None, &|x| band(&x.heads.available)),
            line("on payroll", "#15803d", None, &|x| Point::plain(x.heads.headcount.mean)),
        ],
        target: None,
        hover: months
            .iter()
            .map(|&(k, s)| {
                let x = &team.rows[k];
                format!(
                    "{}: required {}, available {} (P10-P90 {}), on payroll {}, cover {}",
                    s.label,
                    num(x.heads.required_headcount, 0),
                    num(x.heads.available.mean, 1),
                    spread(&x.heads.available, 0),
                    num(x.heads.headcount.mean, 1),
                    x.cover.map_or("-".to_string(), percent)
                )
            })
            .collect(),
        band_labels: (Some("95% CI".into()), Some("P10-P90".into())),
    };
    line_chart(&chart)
}

/// A section's table from rows whose first is the header.
fn rows_table(out: &mut String, rows: Vec<Vec<String>>) {
    let head: Vec<String> = rows[0].clone();
    let names: Vec<&str> = head.iter().map(String::as_str).collect();
    let body = rows.into_iter().skip(1).map(|r| r.into_iter().map(Cell::new).collect()).collect();
    html_table(out, &names, body);
}

/// The plan as one self-contained HTML page.
pub fn html(r: &PlanResults) -> String {
    let lines = heading(r);
    let mut body = String::from("<div class=\"plan\">\n");
    header(&mut body, &lines[0], &lines[1..]);
    let mut links = vec![("all".to_string(), "All teams".to_string())];
    links.extend(r.queues.iter().enumerate().map(|(k, q)| (format!("queue-{k}"), q.name.clone())));
    links.push(("risk".to_string(), "Risk".to_string()));
    links.extend(r.teams.iter().enumerate().map(|(k, t)| (format!("team-{k}"), t.name.clone())));
    nav(&mut body, &links);
    let sections = sections(r);
    body.push_str("<section id=\"all\">\n<h2>All teams</h2>\n<div class=\"charts\">");
    body.push_str(&cost_chart(r, false));
    body.push_str(&cost_chart(r, true));
    body.push_str("</div>\n");
    rows_table(&mut body, sections[0].1.clone());
    body.push_str("</section>\n");
    for (k, q) in r.queues.iter().enumerate() {
        writeln!(body, "<section id=\"queue-{k}\">\n<h2>{}</h2>", escape(&queue_title(q))).expect("write to string");
        body.push_str(&service_chart(r, q));
        let mut rows = vec![queue_head(q)];
        rows.extend(r.spans.iter().zip(&q.rows).map(|(s, x)| queue_cells(q, s, x)));
        rows_table(&mut body, rows);
        body.push_str("</section>\n");
    }
    writeln!(body, "<section id=\"risk\">\n<h2>{}</h2>", escape(risk_title())).expect("write to string");
    if !r.risks.is_empty() {
        let mut rows = vec![RISK_HEAD.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        rows.extend(r.risks.iter().take(RISKS_SHOWN).map(risk_cells));
        rows_table(&mut body, rows);
    }
    if let Some(tail) = risk_tail(r) {
        writeln!(body, "<p class=\"note\">{}</p>", escape(&tail)).expect("write to string");
    }
    body.push_str("</section>\n");
    for (k, team) in r.teams.iter().enumerate() {
        writeln!(body, "<section id=\"team-{k}\">\n<h2>{}</h2>", escape(&team_title(team))).expect("write to string");
        body.push_str(&headcount_chart(r, team));
        let section = sections.iter().find(|s| s.0 == team_title(team)).expect("a section per team");
        rows_table(&mut body, section.1.clone());
        body.push_str("</section>\n");
    }
    body.push_str("</div>\n");
    page_with_style(&format!("{}: capacity plan", r.scenario), STYLE, &body)
}
