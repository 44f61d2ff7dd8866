//! `staff --format html` and `schedule --format html`: agents required
//! against agents scheduled, as self-contained pages. For `staff`, per
//! queue the agents required per interval by Erlang C, Erlang A and the
//! simulation, against the agents the scenario's roster schedules where
//! that is known (every team serving the queue serves it alone), the
//! service level the simulated level achieves, and hours, FTE and cost;
//! with `--by team`, each team's requirement against its roster. For
//! `schedule`, each rostered team's requirement against the roster made,
//! the rounds, the totals and the shifts.

use std::fmt::Write;

use crate::kpi::percent;
use crate::kpi::{format_value, Kpi};
use crate::model::Model;
use crate::report::kit::html::day_label;
use crate::report::kit::html::{
    header, nav, page, point, table, target_words, tick_count, tick_percent, time_axis, Cell, COLOURS,
};
use crate::report::kit::svg::{self, escape, BarChart, Bars, Line, LineChart, Point, Reference, XAxis, YAxis};
use crate::report::kit::text::{interval_label, provenance_line};
use crate::results::Provenance;
use crate::staffing::teams::ByTeam;
use crate::staffing::{QueueStaffing, Staffing, Totals};

/// Agents each of `teams` is paid for in each interval (shifts, breaks
/// included), summed; `None` when a team has no shift at all (a team
/// with shift rules only has no roster yet).
fn scheduled(model: &Model, teams: &[usize]) -> Option<Vec<f64>> {
    if teams.is_empty() || teams.iter().any(|&t| !model.shifts.iter().any(|s| s.team == t)) {
        return None;
    }
    let dt = model.interval_s;
    let agents = (0..model.n_intervals)
        .map(|i| teams.iter().map(|&t| model.paid_seconds(t, i as f64 * dt, (i + 1) as f64 * dt) / dt).sum())
        .collect();
    Some(agents)
}

/// The teams serving queue `q` when each serves only `q`.
fn dedicated_teams(model: &Model, q: usize) -> Vec<usize> {
    let queue = &model.queues[q];
    let alone = |t: usize| model.teams[t].skills_by_priority.iter().flatten().all(|s| s.queue == q);
    if queue.served_by.iter().all(|&t| alone(t)) {
        queue.served_by.clone()
    } else {
        Vec::new()
    }
}

/// A line of whole agents per interval.
fn agents_line(label: &str, colour: &'static str, dash: Option<&'static str>, levels: Vec<Option<f64>>) -> Line {
    Line { label: label.into(), colour, dash, points: levels.into_iter().map(|v| v.map(Point::plain)).collect() }
}

fn axis(model: &Model, queue: &QueueStaffing) -> XAxis {
    let starts: Vec<&str> = queue.intervals.iter().map(|i| i.start.as_str()).collect();
    time_axis(&starts, &model.timezone_name)
}

/// Required agents per interval by each method, and the roster's.
fn required_chart(model: &Model, q: usize, queue: &QueueStaffing) -> String {
    let level = |f: fn(&crate::staffing::Required) -> Option<u32>| -> Vec<Option<f64>> {
        queue.intervals.iter().map(|i| f(&i.required).map(f64::from)).collect()
    };
    let mut lines = vec![agents_line("simulated", COLOURS[0], None, level(|r| r.simulated))];
    lines.push(agents_line("Erlang C", COLOURS[1], Some("6 3"), level(|r| r.erlang_c)));
    if queue.intervals.iter().any(|i| i.required.erlang_a.is_some()) {
        lines.push(agents_line("Erlang A", COLOURS[2], Some("2 3"), level(|r| r.erlang_a)));
    }
    let roster = scheduled(model, &dedicated_teams(model, q));
    if let Some(s) = &roster {
        lines.push(agents_line("scheduled (roster)", COLOURS[6], None, s.iter().map(|&a| Some(a)).collect()));
    }
    let hover = queue
        .intervals
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let show = |v: Option<u32>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
            let r = &i.required;
            let mut text = format!(
                "{}: {:.1}/h, {:.2} Erlangs; required: simulated {}, Erlang C {}, Erlang A {}",
                interval_label(&i.start),
                i.rate_per_hour,
                i.load_erlangs,
                show(r.simulated),
                show(r.erlang_c),
                show(r.erlang_a)
            );
            if let Some(s) = &roster {
                write!(text, "; scheduled {:.1}", s[k]).expect("write to string");
            }
            text
        })
        .collect();
    svg::line_chart(&LineChart {
        title: "Agents required on the queue".into(),
        x: axis(model, queue),
        y: YAxis { format: tick_count, max: None },
        lines,
        target: None,
        hover,
        band_labels: (None, None),
    })
}

/// The service level at the simulated level, with its target.
fn achieved_chart(model: &Model, q: usize, queue: &QueueStaffing) -> String {
    let kpi = Kpi::ServiceLevel;
    let points = queue.intervals.iter().map(|i| i.achieved.kpis.get(kpi).map(|s| point(s, true))).collect();
    let hover = queue
        .intervals
        .iter()
        .map(|i| {
            let sl = i.achieved.kpis.get(kpi).map_or_else(|| "-".into(), |s| format_value(kpi, s.mean));
            format!("{}: {} agents, service level {sl}", interval_label(&i.start), i.achieved.agents)
        })
        .collect();
    let target = model.queues[q].targets.list().into_iter().find(|t| t.kpi == kpi);
    svg::line_chart(&LineChart {
        title: "Service level at the simulated level".into(),
        x: axis(model, queue),
        y: YAxis { format: tick_percent, max: Some(1.0) },
        lines: vec![Line { label: "service level".into(), colour: COLOURS[0], dash: None, points }],
        target: target.map(|t| Reference { value: t.value, label: format!("target {}", target_words(&t)) }),
        hover,
        band_labels: (Some("95% CI".into()), Some("P10-P90".into())),
    })
}

/// Deferred work: the agents through each day's business hours.
fn deferred_chart(queue: &QueueStaffing) -> String {
    svg::bar_chart(&BarChart {
        title: "Agents through each day's business hours".into(),
        categories: queue.deferred_days.iter().map(|d| super::html::day_label(&d.start[..10])).collect(),
        caption: "day".into(),
        format: tick_count,
        stacks: vec![Bars {
            label: "agents".into(),
            colour: COLOURS[0],
            values: queue.deferred_days.iter().map(|d| f64::from(d.achieved.agents)).collect(),
        }],
    })
}

/// Hours, FTE and cost per day and for the horizon, by method.
fn totals_table(out: &mut String, queue: &QueueStaffing) {
    let money = |c: Option<f64>| c.map_or_else(|| "-".to_string(), |c| format!("{c:.0}"));
    let handled = if queue.deferred_days.is_empty() { "answered" } else { "arrived" };
    let per = format!("cost/{handled}");
    let mut rows = Vec::new();
    let periods: Vec<(String, &Totals)> = queue
        .days
        .iter()
        .map(|d| (d.start[..10].to_string(), d))
        .chain([("horizon".to_string(), &queue.totals)])
        .collect();
    for (name, d) in periods {
        let methods =
            [("Erlang C", d.erlang_c.as_ref()), ("Erlang A", d.erlang_a.as_ref()), ("simulated", Some(&d.simulated))];
        for (k, (method, c)) in methods.into_iter().filter_map(|(m, c)| c.map(|c| (m, c))).enumerate() {
            let simulated = method == "simulated";
            rows.push(vec![
                Cell::new(if k == 0 { name.clone() } else { String::new() }),
                Cell::new(method),
                Cell::new(format!("{:.1}", c.agent_hours)),
                Cell::new(format!("{:.1}", c.scheduled_hours)),
                Cell::new(format!("{:.2}", c.fte)),
                Cell::new(money(c.cost)),
                Cell::new(if simulated { format!("{:.1}", d.answered) } else { String::new() }),
                Cell::new(match (simulated, d.cost_per_answered) {
                    (true, Some(c)) => format!("{c:.2}"),
                    (true, None) => "-".into(),
                    _ => String::new(),
                }),
            ]);
        }
    }
    table(out, &["period", "method", "agent-hours", "paid hours", "FTE", "cost", handled, &per], rows);
}

fn queue_section(out: &mut String, model: &Model, q: usize, queue: &QueueStaffing) {
    let spec = &model.queues[q];
    writeln!(
        out,
        "<section id=\"queue-{q}\">\n<h2>Queue {} <span class=\"note\">({}; {})</span></h2>\n<div class=\"charts\">",
        escape(&queue.name),
        queue.channel,
        escape(&spec.targets.describe(spec.channel))
    )
    .expect("write to string");
    if spec.channel.is_live() {
        out.push_str(&required_chart(model, q, queue));
        out.push('\n');
        out.push_str(&achieved_chart(model, q, queue));
    } else {
        out.push_str(&deferred_chart(queue));
    }
    out.push_str("\n</div>\n");
    if spec.channel.is_live() && scheduled(model, &dedicated_teams(model, q)).is_none() {
        out.push_str("<p class=\"note\">Scheduled agents are shown where every team serving the queue serves it alone and has shifts; see <code>--by team</code> for teams that share queues.</p>\n");
    }
    let infeasible: Vec<String> = queue
        .intervals
        .iter()
        .filter(|i| !i.feasible)
        .map(|i| format!("{}: {}", interval_label(&i.start), i.reason.as_deref().unwrap_or("")))
        .chain(
            queue
                .deferred_days
                .iter()
                .filter(|d| !d.feasible)
                .map(|d| format!("{}: {}", &d.start[..10], d.reason.as_deref().unwrap_or(""))),
        )
        .collect();
    if !infeasible.is_empty() {
        writeln!(
            out,
            "<p><strong>No level up to the cap meets every target in {} interval(s) or day(s):</strong></p><ul>",
            infeasible.len()
        )
        .expect("write to string");
        for line in infeasible.iter().take(20) {
            writeln!(out, "<li>{}</li>", escape(line)).expect("write to string");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h3>Hours, FTE and cost</h3>\n");
    totals_table(out, queue);
    out.push_str("</section>\n");
}

/// The start of every interval of `model`.
pub(crate) fn interval_starts(model: &Model) -> Vec<String> {
    (0..model.n_intervals).map(|i| crate::results::rfc3339(model, i)).collect()
}

/// A team's agents per interval: required, and on duty where known.
pub(crate) struct TeamAgents<'a> {
    pub(crate) team: usize,
    pub(crate) required: &'a [u32],
    pub(crate) roster: Option<Vec<f64>>,
}

/// One chart per team: the agents it requires per interval against those
/// it has on duty (`scheduled`, when known), named `on_duty`.
pub(crate) fn team_charts(out: &mut String, model: &Model, teams: &[TeamAgents], on_duty: &str) {
    let starts = interval_starts(model);
    let starts: Vec<&str> = starts.iter().map(String::as_str).collect();
    let axis = time_axis(&starts, &model.timezone_name);
    out.push_str("<div class=\"charts\">\n");
    for TeamAgents { team, required, roster } in teams {
        let mut lines =
            vec![agents_line("required", COLOURS[0], None, required.iter().map(|&n| Some(f64::from(n))).collect())];
        if let Some(s) = roster {
            lines.push(agents_line(on_duty, COLOURS[6], None, s.iter().map(|&a| Some(a)).collect()));
        }
        let hover = starts
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let scheduled = roster.as_ref().map_or_else(String::new, |r| format!(", {on_duty} {:.1}", r[i]));
                format!("{}: required {}{scheduled}", interval_label(s), required[i])
            })
            .collect();
        out.push_str(&svg::line_chart(&LineChart {
            title: format!("Team {}: agents", model.teams[*team].name),
            x: axis.clone(),
            y: YAxis { format: tick_count, max: None },
            lines,
            target: None,
            hover,
            band_labels: (None, None),
        }));
        out.push('\n');
    }
    out.push_str("</div>\n");
}

/// The targets still missed, as a table.
pub(crate) fn unmet_table(out: &mut String, model: &Model, misses: &[crate::staffing::teams::Miss]) {
    let rows = crate::report::staff::by_team::unmet(model, misses)
        .into_iter()
        .map(|u| vec![Cell::new(u.queue), Cell::new(interval_label(&u.start)), Cell::new(u.missed)])
        .collect::<Vec<_>>();
    if !rows.is_empty() {
        table(out, &["queue", "from", "missed"], rows);
    }
}

/// `--by team`: each team's requirement against its roster.
fn by_team_section(out: &mut String, model: &Model, by_team: &ByTeam) {
    out.push_str("<section id=\"teams\">\n<h2>Requirement by team</h2>\n<p class=\"note\">Every queue's targets holding with skills, priorities, overflow and costs (simulated); scheduled: the scenario's shifts, breaks included.</p>\n");
    let teams: Vec<TeamAgents> = (0..model.teams.len())
        .map(|t| TeamAgents { team: t, required: &by_team.required.levels[t], roster: scheduled(model, &[t]) })
        .collect();
    team_charts(out, model, &teams, "scheduled (roster)");
    match by_team.unmet.len() {
        0 => writeln!(out, "<p>Every target holds at these levels ({} simulated round(s)).</p>", by_team.rounds),
        n => {
            writeln!(out, "<p><strong>{n} period(s) still miss a target after {} rounds.</strong></p>", by_team.rounds)
        }
    }
    .expect("write to string");
    unmet_table(out, model, &by_team.unmet);
    out.push_str("</section>\n");
}

/// A staffing plan (and the requirement by team, when asked) as one HTML
/// page, ending in a newline.
pub fn render(model: &Model, provenance: &Provenance, plan: &Staffing, by_team: Option<&ByTeam>) -> String {
    let mut body = String::new();
    let criterion = match plan.confidence {
        None => "the mean over replications meets each target".to_string(),
        Some(p) => format!("the mean meets each target and so do at least {} of replications", percent(p)),
    };
    let lines = [
        format!(
            "Per {}-minute interval in {}; {} replications per level, seed {}; criterion: {criterion}.",
            model.interval_s / 60.0,
            model.timezone_name,
            plan.replications,
            plan.seed
        ),
        provenance_line(provenance),
        format!(
            "Agents on the queue (dedicated). Shrinkage {}, {} paid hours per full-time week. Scheduled agents: the scenario's shifts, breaks included.",
            percent(plan.shrinkage),
            plan.paid_hours_per_week
        ),
    ];
    header(&mut body, &format!("{}: staffing", model.name), &lines);
    let mut links: Vec<(String, String)> =
        plan.queues.iter().enumerate().map(|(q, queue)| (format!("queue-{q}"), queue.name.clone())).collect();
    if by_team.is_some() {
        links.push(("teams".into(), "By team".into()));
    }
    nav(&mut body, &links);
    for (q, queue) in plan.queues.iter().enumerate() {
        queue_section(&mut body, model, q, queue);
    }
    if let Some(b) = by_team {
        by_team_section(&mut body, model, b);
    }
    body.push_str("<footer>Written by wfmsim; the same run gives the same bytes.</footer>\n");
    page(&format!("wfmsim staff: {}", model.name), &body)
}
