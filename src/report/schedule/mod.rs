//! The views of a roster (`wfmsim schedule`): `[[team.shift]]` TOML that
//! `run` accepts, a CSV roster, JSON, a readable table; and the
//! per-interval, per-team rows `staff --by team` shares with `schedule`.

pub mod agents;
pub mod capped;
pub mod html;
pub mod ics;
pub mod service;

use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{Model, ShiftPattern};
use crate::report::kit::json::{round2, round4};
use crate::report::staff::by_team::{team_intervals, unmet, TeamInterval, Unmet};
use crate::results::{Echo, Provenance};
use crate::schedule::{Iteration, Objective, RosterShift, Schedule};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The roster as `[[team.shift]]` blocks, team by team, each group headed
/// by a comment naming its team: paste a group inside that `[[team]]`.
pub fn toml(model: &Model, schedule: &Schedule) -> String {
    let mut out = schedule.capped.as_ref().map_or_else(String::new, |c| capped::toml_comment(model, c));
    for &t in &schedule.teams {
        let blocks: Vec<&RosterShift> = schedule.shifts.iter().filter(|s| s.team == t).collect();
        let hours: f64 = blocks.iter().map(|s| s.paid_hours).sum();
        let _ =
            writeln!(out, "# team {:?}: {} shift blocks, {:.1} paid hours", model.teams[t].name, blocks.len(), hours);
        out += &team_blocks(&blocks);
    }
    out
}

/// One team's blocks as TOML.
pub fn team_blocks(blocks: &[&RosterShift]) -> String {
    let mut out = String::new();
    for s in blocks {
        let p = &s.pattern;
        // The rule's name in a comment: escaped, so a line break in it
        // cannot end the comment and write TOML.
        let _ = writeln!(out, "\n[[team.shift]]  # {}", s.rule.escape_debug());
        let _ = writeln!(out, "start = \"{}\"", hhmm(p));
        let _ = writeln!(out, "hours = {}", number(p.length_s / 3600.0));
        let days: Vec<String> = days(p).iter().map(|d| format!("\"{d}\"")).collect();
        let _ = writeln!(out, "days = [{}]", days.join(", "));
        let _ = writeln!(out, "agents = {}", p.agents);
        if !p.breaks.is_empty() {
            let breaks: Vec<String> = p
                .breaks
                .iter()
                .map(|b| {
                    format!(
                        "{{ after_minutes = {}, minutes = {}, window_minutes = {} }}",
                        number(b.start_s / 60.0),
                        number(b.length_s / 60.0),
                        number(b.window_s / 60.0)
                    )
                })
                .collect();
            let _ = writeln!(out, "breaks = [{}]", breaks.join(", "));
        }
    }
    out
}

pub(crate) fn hhmm(p: &ShiftPattern) -> String {
    format!("{:02}:{:02}", p.start.hour(), p.start.minute())
}

pub(crate) fn days(p: &ShiftPattern) -> Vec<&'static str> {
    (0..7).filter(|&d| p.days[d]).map(|d| WEEKDAYS[d]).collect()
}

/// A number as TOML writes it: whole numbers without a fraction.
pub(crate) fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The roster as CSV: team, rule, start, hours, days, agents, breaks
/// (`after+minutes/window` in minutes, `;`-separated), paid hours, and
/// the what-ifs the roster was made under.
pub fn csv(model: &Model, provenance: &Provenance, schedule: &Schedule) -> String {
    let what_ifs = crate::report::kit::csv::what_ifs_cell(&provenance.what_ifs);
    let mut out = String::from("team,rule,start,hours,days,agents,breaks,paid_hours,what_ifs\n");
    for s in &schedule.shifts {
        let p = &s.pattern;
        let breaks: Vec<String> = p
            .breaks
            .iter()
            .map(|b| {
                format!("{}+{}/{}", number(b.start_s / 60.0), number(b.length_s / 60.0), number(b.window_s / 60.0))
            })
            .collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{:.2},{what_ifs}",
            crate::report::kit::csv::text(&model.teams[s.team].name),
            crate::report::kit::csv::text(&s.rule),
            hhmm(p),
            number(p.length_s / 3600.0),
            days(p).join(" "),
            p.agents,
            breaks.join(";"),
            s.paid_hours
        );
    }
    if let Some(c) = &schedule.capped {
        out += &capped::csv(model, c);
    }
    out
}

#[derive(Serialize)]
struct ShiftJson<'a> {
    team: &'a str,
    rule: &'a str,
    start: String,
    hours: f64,
    days: Vec<&'static str>,
    agents: u32,
    breaks: Vec<BreakJson>,
    paid_hours: f64,
}

#[derive(Serialize)]
struct TeamCandidates<'a> {
    team: &'a str,
    candidate_shifts: usize,
}

#[derive(Serialize)]
struct BreakJson {
    after_minutes: f64,
    minutes: f64,
    window_minutes: f64,
}

#[derive(Serialize)]
struct IterationJson {
    paid_hours: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<f64>,
    /// `null` for a trim round that is not kept: it solves nothing, and
    /// its roster covers no requirement of its own.
    lower_bound: Option<f64>,
    gap: Option<f64>,
    unmet: usize,
    /// What was done to the requirement before the round: `first`,
    /// `raised` or `trimmed`.
    change: &'static str,
    /// Team-intervals raised, or agents trimmed.
    changed: usize,
    /// Whether this round's roster is the one reported.
    kept: bool,
}

#[derive(Serialize)]
struct ScheduleJson<'a> {
    schema_version: u32,
    scenario: &'a str,
    wfmsim_version: &'a str,
    scenario_sha256: &'a str,
    seed: u64,
    replications: u32,
    what_ifs: &'a [Echo],
    timezone: &'a str,
    interval_minutes: f64,
    objective: &'static str,
    candidates: Vec<TeamCandidates<'a>>,
    paid_hours: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'a str>,
    lower_bound_paid_hours: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    lower_bound_cost: Option<f64>,
    gap: f64,
    overshoot: OvershootJson,
    simulated: bool,
    targets_met: Option<bool>,
    iterations: Vec<IterationJson>,
    /// The reported roster's round, from 1.
    kept_round: usize,
    unmet: Vec<Unmet>,
    /// Every target against the kept roster's simulation.
    service: Vec<service::StandingJson<'a>>,
    shifts: Vec<ShiftJson<'a>>,
    intervals: Vec<TeamInterval>,
    /// The people roster ([`agents::json_value`]), when there are agents.
    #[serde(skip_serializing_if = "Option::is_none")]
    assignment: Option<serde_json::Value>,
    /// The heads given and used and the targets missed, when capped.
    #[serde(skip_serializing_if = "Option::is_none")]
    capped: Option<capped::CappedJson<'a>>,
}

/// The roster against the problem first asked (`overshoot` in JSON).
#[derive(Serialize)]
struct OvershootJson {
    /// Agent-hours asked before repair.
    required_hours: f64,
    /// Agent-hours on duty in the roster.
    staffed_hours: f64,
    /// Staffed over required, less one.
    above_required: f64,
    /// Lower bound of the objective for the original requirement.
    original_bound: f64,
    /// (objective − original bound) / objective.
    original_gap: f64,
}

/// The objective's name in reports.
pub fn objective_name(o: Objective) -> &'static str {
    match o {
        Objective::PaidHours => "paid_hours",
        Objective::Cost => "cost",
    }
}

/// The schedule as pretty JSON, ending in a newline.
pub fn json(model: &Model, provenance: &Provenance, schedule: &Schedule) -> String {
    json_with(model, provenance, schedule, None)
}

/// The schedule as pretty JSON with the people roster as `assignment`
/// (when given), ending in a newline.
pub fn json_with(
    model: &Model,
    provenance: &Provenance,
    schedule: &Schedule,
    assignment: Option<&crate::assign::Assignment>,
) -> String {
    let shifts = schedule
        .shifts
        .iter()
        .map(|s| ShiftJson {
            team: &model.teams[s.team].name,
            rule: &s.rule,
            start: hhmm(&s.pattern),
            hours: s.pattern.length_s / 3600.0,
            days: days(&s.pattern),
            agents: s.pattern.agents,
            breaks: s
                .pattern
                .breaks
                .iter()
                .map(|b| BreakJson {
                    after_minutes: b.start_s / 60.0,
                    minutes: b.length_s / 60.0,
                    window_minutes: b.window_s / 60.0,
                })
                .collect(),
            paid_hours: round2(s.paid_hours),
        })
        .collect();
    let doc = ScheduleJson {
        schema_version: crate::report::run::json::SCHEMA_VERSION,
        scenario: &model.name,
        wfmsim_version: &provenance.wfmsim_version,
        scenario_sha256: &provenance.scenario_sha256,
        seed: model.seed,
        replications: model.replications,
        what_ifs: &provenance.what_ifs,
        timezone: &model.timezone_name,
        interval_minutes: model.interval_s / 60.0,
        objective: objective_name(schedule.objective),
        candidates: schedule
            .teams
            .iter()
            .zip(&schedule.candidates)
            .map(|(&t, &n)| TeamCandidates { team: &model.teams[t].name, candidate_shifts: n })
            .collect(),
        paid_hours: round2(schedule.paid_hours),
        cost: schedule.cost.map(round2),
        currency: model.currency.as_deref(),
        lower_bound_paid_hours: round2(schedule.lower_bound_paid_hours),
        lower_bound_cost: schedule.lower_bound_cost.map(round2),
        overshoot: OvershootJson {
            required_hours: round2(schedule.overshoot.required_hours),
            staffed_hours: round2(schedule.overshoot.staffed_hours),
            above_required: round4(schedule.overshoot.ratio()),
            original_bound: round2(schedule.overshoot.original_bound),
            original_gap: round4(schedule.overshoot.original_gap),
        },
        gap: round4(schedule.gap),
        simulated: schedule.simulated,
        targets_met: schedule.simulated.then_some(schedule.unmet.is_empty()),
        iterations: schedule
            .iterations
            .iter()
            .enumerate()
            .map(|(k, it)| iteration_json(it, k == schedule.kept))
            .collect(),
        kept_round: schedule.kept + 1,
        unmet: unmet(model, &schedule.unmet),
        service: service::json(model, &schedule.service),
        shifts,
        intervals: team_intervals(model, &schedule.teams, &schedule.required, Some(&schedule.scheduled)),
        assignment: assignment.map(|a| agents::json_value(model, a)),
        capped: schedule.capped.as_ref().map(|c| capped::json(model, c)),
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("schedule serializes");
    out.push('\n');
    out
}

fn iteration_json(it: &Iteration, kept: bool) -> IterationJson {
    IterationJson {
        paid_hours: round2(it.paid_hours),
        cost: it.cost.map(round2),
        lower_bound: has_bound(it, kept).then(|| round2(it.lower_bound)),
        gap: has_bound(it, kept).then(|| round4(it.gap)),
        unmet: it.unmet,
        change: it.change.kind(),
        changed: it.change.count(),
        kept,
    }
}

/// The schedule as a readable table.
pub fn table(model: &Model, provenance: &Provenance, schedule: &Schedule) -> String {
    let mut out = String::new();
    let what_ifs = crate::report::kit::text::what_ifs(&provenance.what_ifs);
    let _ = writeln!(
        out,
        "Roster for {} (objective: {}){}",
        model.name,
        objective_name(schedule.objective).replace('_', " "),
        if what_ifs.is_empty() { String::new() } else { format!("; what-ifs {what_ifs}") }
    );
    for (&t, &n) in schedule.teams.iter().zip(&schedule.candidates) {
        let _ = writeln!(out, "  {}: {n} candidate shifts", model.teams[t].name);
    }
    let _ = writeln!(
        out,
        "\nRound  Requirement     Paid hours  Bound ({})  Gap     Periods missing a target",
        objective_name(schedule.objective).replace('_', " ")
    );
    for (n, it) in schedule.iterations.iter().enumerate() {
        let missing = if schedule.simulated { it.unmet.to_string() } else { "not simulated".into() };
        let kept = if n == schedule.kept && schedule.iterations.len() > 1 { "  (kept)" } else { "" };
        let (bound, gap) = match has_bound(it, n == schedule.kept) {
            true => (format!("{:.1}", it.lower_bound), format!("{:.2}%", it.gap * 100.0)),
            false => ("no solve".to_string(), "—".to_string()),
        };
        let _ = writeln!(
            out,
            "{:>5}  {:<14}  {:>10.1}  {bound:>17}  {gap:>6}  {missing}{kept}",
            n + 1,
            change_cell(it.change),
            it.paid_hours,
        );
    }
    let cost = crate::cost::amount(schedule.cost, model.currency.as_deref());
    let _ = writeln!(
        out,
        "\nPaid hours {:.1} (lower bound {:.1}, gap {:.2}%), cost {cost}",
        schedule.paid_hours,
        schedule.lower_bound_paid_hours,
        schedule.gap * 100.0
    );
    let o = &schedule.overshoot;
    let against = if o.original_gap < 0.0 {
        format!(
            "{:.2}% below that problem's bound {:.1} (trims took agents off where the simulation showed more than enough)",
            -o.original_gap * 100.0,
            o.original_bound
        )
    } else {
        format!("gap to that problem's bound {:.1}: {:.2}%", o.original_bound, o.original_gap * 100.0)
    };
    let _ = writeln!(
        out,
        "Against the requirement before repair: {:.1} agent-hours asked, {:.1} on duty ({:+.1}%); {against}",
        o.required_hours,
        o.staffed_hours,
        o.ratio() * 100.0,
    );
    match (schedule.simulated, schedule.unmet.len()) {
        (false, _) => out += "Not simulated: the requirement was rostered as given.\n",
        (true, 0) => out += "Simulated: every target holds.\n",
        (true, n) => {
            let _ = writeln!(
                out,
                "Simulated: {n} period(s) still miss a target after {} rounds, worst first:",
                schedule.iterations.len()
            );
            crate::report::staff::by_team::unmet_lines(&mut out, model, &schedule.unmet);
        }
    }
    service::table_lines(&mut out, model, &schedule.service);
    if let Some(c) = &schedule.capped {
        capped::table_lines(&mut out, model, c);
    }
    let _ = writeln!(
        out,
        "\nTeam                  Rule              Start  Hours  Days                         Agents  Breaks"
    );
    for s in &schedule.shifts {
        let _ = writeln!(
            out,
            "{:<20}  {:<16}  {}  {:>5}  {:<27}  {:>6}  {}",
            model.teams[s.team].name,
            s.rule,
            hhmm(&s.pattern),
            number(s.pattern.length_s / 3600.0),
            days(&s.pattern).join(" "),
            s.pattern.agents,
            break_times(&s.pattern)
        );
    }
    out
}

/// Whether round `it` has a bound to show: every solved round, and the
/// kept roster (its bound proven for the requirement it meets); a trim
/// round solves nothing.
pub(super) fn has_bound(it: &Iteration, kept: bool) -> bool {
    kept || !matches!(it.change, crate::schedule::Change::Trimmed(_))
}

/// A round's change to the requirement in a cell: `as asked`,
/// `+12 raised`, `-30 trimmed`.
pub(super) fn change_cell(change: crate::schedule::Change) -> String {
    use crate::schedule::Change;
    match change {
        Change::First => "as asked".into(),
        Change::Raised(n) => format!("+{n} raised"),
        Change::Trimmed(n) => format!("-{n} trimmed"),
    }
}

/// A shift's breaks as local start times and lengths, `10:15 15m`; a
/// staggered break as its window, `10:15-11:15 15m`.
fn break_times(p: &ShiftPattern) -> String {
    let at = |offset_s: f64| {
        let minutes =
            (p.start.hour() as i64 * 60 + p.start.minute() as i64 + (offset_s / 60.0).round() as i64).rem_euclid(1440);
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    };
    let one = |b: &crate::model::Break| match b.window_s > 0.0 {
        true => format!("{}-{} {}m", at(b.start_s), at(b.start_s + b.window_s), number(b.length_s / 60.0)),
        false => format!("{} {}m", at(b.start_s), number(b.length_s / 60.0)),
    };
    p.breaks.iter().map(one).collect::<Vec<_>>().join(", ")
}
