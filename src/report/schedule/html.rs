//! `wfmsim schedule --format html`: each rostered team's requirement
//! against the roster made, the rounds, the totals and the shifts.

use std::fmt::Write;

use crate::model::Model;
use crate::report::kit::html::{header, page, table, Cell};
use crate::report::kit::text::provenance_line;
use crate::report::staff::html::{team_charts, unmet_table, TeamAgents};
use crate::results::Provenance;
use crate::schedule::Schedule;

/// A roster made by `schedule` as one HTML page, ending in a newline:
/// per rostered team the requirement against the agents on duty, then
/// the rounds, the totals and the shifts.
pub fn render_schedule(model: &Model, provenance: &Provenance, schedule: &Schedule) -> String {
    render_schedule_with(model, provenance, schedule, None)
}

/// [`render_schedule`], with the people roster (`people`) in a section of
/// its own when there are agents.
pub fn render_schedule_with(
    model: &Model,
    provenance: &Provenance,
    schedule: &Schedule,
    people: Option<&crate::assign::Assignment>,
) -> String {
    let objective = crate::report::schedule::objective_name(schedule.objective).replace('_', " ");
    let mut body = String::new();
    let lines = [
        format!("Objective: {objective}. Per {}-minute interval in {}.", model.interval_s / 60.0, model.timezone_name),
        provenance_line(provenance),
    ];
    header(&mut body, &format!("{}: roster", model.name), &lines);
    let cost = crate::cost::amount(schedule.cost, model.currency.as_deref());
    writeln!(
        body,
        "<p>Paid hours <strong>{:.1}</strong> (lower bound {:.1}, gap {:.2}%), cost {cost}.</p>",
        schedule.paid_hours,
        schedule.lower_bound_paid_hours,
        schedule.gap * 100.0
    )
    .expect("write to string");
    match (schedule.simulated, schedule.unmet.len()) {
        (false, _) => body.push_str("<p>Not simulated: the requirement was rostered as given.</p>\n"),
        (true, 0) => body.push_str("<p>Simulated: every target holds.</p>\n"),
        (true, n) => writeln!(
            body,
            "<p><strong>Simulated: {n} period(s) still miss a target after {} rounds.</strong></p>",
            schedule.iterations.len()
        )
        .expect("write to string"),
    }
    unmet_table(&mut body, model, &schedule.unmet);
    crate::report::schedule::service::html_section(&mut body, model, &schedule.service);
    if let Some(c) = &schedule.capped {
        crate::report::schedule::capped::html_section(&mut body, model, c);
    }
    body.push_str("<section id=\"teams\">\n<h2>Required against rostered</h2>\n<p class=\"note\">On duty: the roster's agents, breaks spread over their windows.</p>\n");
    let teams: Vec<TeamAgents> = schedule
        .teams
        .iter()
        .zip(&schedule.scheduled)
        .map(|(&t, on_duty)| TeamAgents {
            team: t,
            required: &schedule.required.levels[t],
            roster: Some(on_duty.clone()),
        })
        .collect();
    team_charts(&mut body, model, &teams, "on duty (roster)");
    body.push_str("<h3>Rounds</h3>\n");
    let rows = schedule
        .iterations
        .iter()
        .enumerate()
        .map(|(n, it)| {
            let missing = if schedule.simulated { it.unmet.to_string() } else { "not simulated".into() };
            let kept = if n == schedule.kept && schedule.iterations.len() > 1 { " (kept)" } else { "" };
            vec![
                Cell::new(format!("{}{kept}", n + 1)),
                Cell::new(super::change_cell(it.change)),
                Cell::new(format!("{:.1}", it.paid_hours)),
                Cell::new(match super::has_bound(it, n == schedule.kept) {
                    true => format!("{:.1}", it.lower_bound),
                    false => "no solve".to_string(),
                }),
                Cell::new(match super::has_bound(it, n == schedule.kept) {
                    true => format!("{:.2}%", it.gap * 100.0),
                    false => "—".to_string(),
                }),
                Cell::new(missing),
            ]
        })
        .collect();
    table(
        &mut body,
        &["round", "requirement", "paid hours", &format!("bound ({objective})"), "gap", "periods missing a target"],
        rows,
    );
    body.push_str("<h3>Shifts</h3>\n");
    let rows = schedule
        .shifts
        .iter()
        .map(|s| {
            let p = &s.pattern;
            vec![
                Cell::new(model.teams[s.team].name.as_str()),
                Cell::new(s.rule.as_str()),
                Cell::new(crate::report::schedule::hhmm(p)),
                Cell::new(crate::report::schedule::number(p.length_s / 3600.0)),
                Cell::new(crate::report::schedule::days(p).join(" ")),
                Cell::new(p.agents.to_string()),
                Cell::new(format!("{:.1}", s.paid_hours)),
            ]
        })
        .collect();
    table(&mut body, &["team", "rule", "start", "hours", "days", "agents", "paid hours"], rows);
    body.push_str("</section>\n");
    if let Some(people) = people {
        crate::report::schedule::agents::html_section(&mut body, model, people);
    }
    body.push_str("<footer>Written by wfmsim; the same run gives the same bytes.</footer>\n");
    page(&format!("wfmsim schedule: {}", model.name), &body)
}
