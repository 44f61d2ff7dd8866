//! A capped roster's heads and misses ([`crate::schedule::capped`]) in
//! every view of `schedule`: lines of the table, `capped` in JSON, two
//! tables after the CSV roster, a section of the HTML page and comment
//! lines of the TOML.

use std::fmt::Write as _;

use serde::Serialize;

use crate::kpi::{format_value, Kpi, Unit};
use crate::model::Model;
use crate::report::kit::html::{table, Cell};
use crate::report::kit::json::{round2, round4};
use crate::results::rfc3339;
use crate::schedule::capped::{Capped, TargetMiss, TeamHeads};

/// How far a value lies from its target, in the KPI's unit (shares in
/// percentage points).
fn how_far(kpi: Kpi, by: f64) -> String {
    match kpi.unit() {
        Unit::Share => format!("{:.1} pp", by * 100.0),
        _ => format_value(kpi, by),
    }
}

/// One missed target in words: `service level 67.7% against at least
/// 80.0% (12.3 pp short; met in 4% of replications)`.
fn miss_words(m: &TargetMiss) -> String {
    let value = m.value.map_or_else(|| "undefined".to_string(), |v| format_value(m.kpi, v));
    let side = if m.at_least { "at least" } else { "at most" };
    let far = m
        .by
        .map_or_else(String::new, |b| format!("{} {}; ", how_far(m.kpi, b), if m.at_least { "short" } else { "over" }));
    format!(
        "{} {value} against {side} {} ({far}met in {:.0}% of replications)",
        m.kpi.label(),
        format_value(m.kpi, m.target),
        m.met_share * 100.0
    )
}

fn team_words(model: &Model, h: &TeamHeads) -> String {
    let mut line = format!(
        "  {}: {} heads given, {} used (the least-cost roster needs {}); {:.1} agent-hours short in {} interval(s)",
        model.teams[h.team].name, h.given, h.used, h.least_cost, h.short_agent_hours, h.short_intervals
    );
    if let Some(bound) = h.cover_short_bound_agent_hours {
        let _ = write!(line, "; the cover's shortfall {:.1}, proven at least {bound:.1}", h.cover_short_agent_hours);
    }
    line
}

/// How many missed targets the table shows; JSON and CSV carry them all.
const SHOWN: usize = 10;

/// The capped roster's lines of the table.
pub fn table_lines(out: &mut String, model: &Model, c: &Capped) {
    let _ = writeln!(out, "\nCapped by heads (goal: {}):", c.goal.name());
    for h in &c.teams {
        let _ = writeln!(out, "{}", team_words(model, h));
    }
    if c.fits {
        out.push_str("  The least-cost roster fits the heads: it is the roster.\n");
    } else {
        out.push_str("  Round  Slack       Paid hours  Short agent-hours  Short intervals  Periods missing a target\n");
        for (k, r) in c.rounds.iter().enumerate() {
            let unmet = r.unmet.map_or_else(|| "not simulated".to_string(), |n| n.to_string());
            let kept = if c.kept == Some(k) { "  (kept)" } else { "" };
            let _ = writeln!(
                out,
                "  {:>5}  {:<10}  {:>10.1}  {:>17.1}  {:>15}  {unmet}{kept}",
                k + 1,
                if r.reweighted { "reweighted" } else { "uniform" },
                r.paid_hours,
                r.short_agent_hours,
                r.short_intervals
            );
        }
        out.push_str("  (the bound and gap above are those of the least-cost roster, which the heads do not allow)\n");
    }
    match c.missed.len() {
        0 => {}
        n => {
            let _ = writeln!(out, "Targets it cannot meet ({n}), by how far:");
            for m in c.missed.iter().take(SHOWN) {
                let _ = writeln!(
                    out,
                    "  {} {}: {}",
                    model.queues[m.queue].name,
                    rfc3339(model, m.intervals.start),
                    miss_words(m)
                );
            }
            if n > SHOWN {
                let _ = writeln!(out, "  and {} more (--format json or csv lists every one)", n - SHOWN);
            }
        }
    }
}

/// A capped team in JSON.
#[derive(Serialize)]
struct TeamJson<'a> {
    team: &'a str,
    heads_given: u32,
    heads_used: u32,
    heads_least_cost: u32,
    short_agent_hours: f64,
    short_intervals: usize,
    cover_short_agent_hours: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    cover_short_bound_agent_hours: Option<f64>,
}

/// A capped round in JSON.
#[derive(Serialize)]
struct RoundJson {
    reweighted: bool,
    paid_hours: f64,
    short_agent_hours: f64,
    short_intervals: usize,
    unmet: Option<usize>,
    kept: bool,
}

/// A missed target in JSON.
#[derive(Serialize)]
struct MissJson<'a> {
    queue: &'a str,
    start: String,
    end: String,
    target: &'static str,
    kpi: &'static str,
    bound: &'static str,
    value: Option<f64>,
    target_value: f64,
    by: Option<f64>,
    met_share: f64,
}

/// `capped` in the schedule's JSON.
#[derive(Serialize)]
pub struct CappedJson<'a> {
    goal: &'static str,
    least_cost_fits: bool,
    teams: Vec<TeamJson<'a>>,
    rounds: Vec<RoundJson>,
    missed_targets: Vec<MissJson<'a>>,
}

/// The capped roster as the JSON's `capped` object.
pub fn json<'a>(model: &'a Model, c: &Capped) -> CappedJson<'a> {
    CappedJson {
        goal: c.goal.name(),
        least_cost_fits: c.fits,
        teams: c
            .teams
            .iter()
            .map(|h| TeamJson {
                team: &model.teams[h.team].name,
                heads_given: h.given,
                heads_used: h.used,
                heads_least_cost: h.least_cost,
                short_agent_hours: round2(h.short_agent_hours),
                short_intervals: h.short_intervals,
                cover_short_agent_hours: round2(h.cover_short_agent_hours),
                cover_short_bound_agent_hours: h.cover_short_bound_agent_hours.map(round2),
            })
            .collect(),
        rounds: c
            .rounds
            .iter()
            .enumerate()
            .map(|(k, r)| RoundJson {
                reweighted: r.reweighted,
                paid_hours: round2(r.paid_hours),
                short_agent_hours: round2(r.short_agent_hours),
                short_intervals: r.short_intervals,
                unmet: r.unmet,
                kept: c.kept == Some(k),
            })
            .collect(),
        missed_targets: c
            .missed
            .iter()
            .map(|m| MissJson {
                queue: &model.queues[m.queue].name,
                start: rfc3339(model, m.intervals.start),
                end: rfc3339(model, m.intervals.end),
                target: m.key,
                kpi: m.kpi.label(),
                bound: if m.at_least { "at_least" } else { "at_most" },
                value: m.value.map(round4),
                target_value: round4(m.target),
                by: m.by.map(round4),
                met_share: round4(m.met_share),
            })
            .collect(),
    }
}

/// The two tables a capped roster adds after the CSV roster, each after a
/// blank line with its own header: the heads per team, and every missed
/// target (`value`, `target_value` and `by` in the KPI's reported unit).
pub fn csv(model: &Model, c: &Capped) -> String {
    use crate::report::kit::csv::text;
    let mut out = String::from("\nteam,heads_given,heads_used,heads_least_cost,short_agent_hours,short_intervals\n");
    for h in &c.teams {
        let _ = writeln!(
            out,
            "{},{},{},{},{:.2},{}",
            text(&model.teams[h.team].name),
            h.given,
            h.used,
            h.least_cost,
            h.short_agent_hours,
            h.short_intervals
        );
    }
    out += "\nqueue,start,end,target,bound,value,target_value,by,met_share\n";
    let number = |x: Option<f64>| x.map_or_else(String::new, |v| format!("{}", round4(v)));
    for m in &c.missed {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            text(&model.queues[m.queue].name),
            rfc3339(model, m.intervals.start),
            rfc3339(model, m.intervals.end),
            m.key,
            if m.at_least { "at_least" } else { "at_most" },
            number(m.value),
            number(Some(m.target)),
            number(m.by),
            number(Some(m.met_share))
        );
    }
    out
}

/// The capped roster's section of the HTML page.
pub fn html_section(out: &mut String, model: &Model, c: &Capped) {
    let _ = writeln!(out, "<section id=\"capped\">\n<h2>Capped by heads (goal: {})</h2>", c.goal.name());
    if c.fits {
        out.push_str("<p>The least-cost roster fits the heads: it is the roster.</p>\n");
    } else {
        out.push_str("<p class=\"note\">The bound and gap above are those of the least-cost roster, which the heads do not allow.</p>\n");
    }
    let rows = c
        .teams
        .iter()
        .map(|h| {
            vec![
                Cell::new(model.teams[h.team].name.as_str()),
                Cell::new(h.given.to_string()),
                Cell::verdict(h.used.to_string(), h.used <= h.given),
                Cell::new(h.least_cost.to_string()),
                Cell::verdict(format!("{:.1}", h.short_agent_hours), h.short_agent_hours <= 0.0),
                Cell::new(h.short_intervals.to_string()),
            ]
        })
        .collect();
    table(
        out,
        &["team", "heads given", "heads used", "least-cost roster's heads", "short agent-hours", "short intervals"],
        rows,
    );
    if !c.missed.is_empty() {
        let _ = writeln!(out, "<h3>Targets it cannot meet ({})</h3>", c.missed.len());
        let rows = c
            .missed
            .iter()
            .map(|m| {
                vec![
                    Cell::new(model.queues[m.queue].name.as_str()),
                    Cell::new(rfc3339(model, m.intervals.start)),
                    Cell::new(m.kpi.label()),
                    Cell::new(m.value.map_or_else(|| "undefined".to_string(), |v| format_value(m.kpi, v))),
                    Cell::new(format!("{} {}", if m.at_least { "≥" } else { "≤" }, format_value(m.kpi, m.target))),
                    Cell::risk(m.by.map_or_else(String::new, |b| how_far(m.kpi, b)), 1.0 - m.met_share),
                ]
            })
            .collect();
        table(out, &["queue", "period", "KPI", "simulated", "target", "how far"], rows);
    }
    out.push_str("</section>\n");
}

/// The capped roster's comment lines at the head of the TOML.
pub fn toml_comment(model: &Model, c: &Capped) -> String {
    let mut out = format!("# capped by heads (goal: {})\n", c.goal.name());
    for h in &c.teams {
        let _ = writeln!(out, "# {}", team_words(model, h).trim_start().replace(['\n', '\r'], " "));
    }
    out
}
