//! The roster as people read it (`wfmsim schedule` with agents): per
//! agent the shifts with their breaks, per team the headcount used
//! against the headcount given, the coverage given against the cover and
//! its bound, the wishes and fairness, and each shift left without an
//! agent with why. Views: a table, CSV, a JSON section, `[[team.shift]]`
//! blocks (one agent each); the calendars are in [`super::ics`].

use std::fmt::Write as _;

use serde::Serialize;

use crate::assign::rules::Why;
use crate::assign::shifts::local;
use crate::assign::{Assignment, DayShift, Spread, Unassigned};
use crate::model::agents::Agent;
use crate::model::{Break, Model, ShiftPattern};
use crate::report::kit::csv::{quote, what_ifs_cell};
use crate::report::kit::json::{round2, round4};
use crate::report::kit::text::TextTable;
use crate::results::Provenance;
use crate::schedule::RosterShift;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Minutes after a midnight as `HH:MM`, `+1` on the next day.
fn clock(minutes: u32) -> String {
    let day = minutes / 1440;
    let m = minutes % 1440;
    let next = if day > 0 { format!("+{day}") } else { String::new() };
    format!("{:02}:{:02}{next}", m / 60, m % 60)
}

/// A shift's span, team-local: `08:00-16:30`.
fn span(s: &DayShift) -> String {
    format!("{}-{}", clock(s.login_minute), clock(s.logout_minute))
}

/// Instant `seconds` in team `t`'s zone.
fn zoned(model: &Model, t: usize, seconds: f64) -> jiff::Zoned {
    local(model, seconds, &model.teams[t].timezone)
}

/// An instant as RFC 3339 with the team's offset.
fn rfc3339(model: &Model, t: usize, seconds: f64) -> String {
    let z = zoned(model, t, seconds);
    z.timestamp().display_with_offset(z.offset()).to_string()
}

/// A break, team-local: `09:30-09:45`.
fn break_span(model: &Model, t: usize, b: &Break) -> String {
    let (a, z) = (zoned(model, t, b.start_s), zoned(model, t, b.start_s + b.length_s));
    format!("{:02}:{:02}-{:02}:{:02}", a.hour(), a.minute(), z.hour(), z.minute())
}

/// A shift's breaks, team-local, space-separated.
fn breaks(model: &Model, s: &DayShift) -> String {
    s.breaks.iter().map(|b| break_span(model, s.team, b)).collect::<Vec<_>>().join(" ")
}

fn rule_name<'m>(model: &'m Model, s: &DayShift) -> &'m str {
    &model.teams[s.team].rules[s.rule].name
}

/// A contract in a few characters: `30-40h 5d`.
fn contract(model: &Model, a: &Agent) -> String {
    let c = &a.contract;
    let hours = if c.min_hours > 0.0 {
        format!("{}-{}h", crate::report::schedule::number(c.min_hours), crate::report::schedule::number(c.max_hours))
    } else {
        format!("≤{}h", crate::report::schedule::number(c.max_hours))
    };
    let rules = if c.rules.len() == model.teams[a.team].rules.len() {
        String::new()
    } else {
        let names: Vec<&str> = c.rules.iter().map(|&r| model.teams[a.team].rules[r].name.as_str()).collect();
        format!(" {}", names.join("+"))
    };
    format!("{hours} {}d{rules}", c.max_days)
}

/// Why a shift is open, in words.
pub fn reason(u: &Unassigned) -> String {
    let counts: Vec<String> = u.why.iter().map(|(w, n)| format!("{n} {}", w.words())).collect();
    let head = if u.why.is_empty() {
        "the team has no agents"
    } else if u.nobody {
        "no agent may work it"
    } else {
        "every agent who may work it is at a limit"
    };
    if counts.is_empty() {
        head.to_string()
    } else {
        format!("{head}: {}", counts.join(", "))
    }
}

fn spread(s: &Spread) -> String {
    format!("{}-{} (mean {:.1})", s.min, s.max, s.mean)
}

/// The people roster as a readable table.
pub fn table(model: &Model, provenance: &Provenance, a: &Assignment) -> String {
    let mut out = String::new();
    let given: usize = a.teams.iter().map(|t| t.agents_given).sum();
    let used: usize = a.teams.iter().map(|t| t.agents_used).sum();
    let _ = writeln!(
        out,
        "People for {}: {given} agents listed, {used} working ({})",
        model.name,
        crate::report::kit::text::provenance_line(provenance)
    );
    let shifts = a.shifts.len();
    let _ = writeln!(
        out,
        "Cover: {shifts} shifts, {:.1} paid hours; given to agents: {} shifts, {:.1} hours ({:.1}%)",
        a.hours_cover,
        shifts - a.unassigned.len(),
        a.hours_assigned,
        if a.hours_cover > 0.0 { 100.0 * a.hours_assigned / a.hours_cover } else { 100.0 }
    );
    let _ = writeln!(
        out,
        "Bound: no assignment keeping every rule gives more than {:.1} hours (gap {:.2}% of the cover)",
        a.bound_hours,
        100.0 * a.gap()
    );
    let s = &a.score;
    let _ = writeln!(
        out,
        "Soft score {:.1}: wishes broken {} of {} (weighted {:.1}), fairness {:.1}, stability {:.1}, skills {:.1} ({} shifts to agents lacking a team skill), idle {:.1} ({} agents without a shift, {:.1} contract hours not given)",
        s.total,
        s.wishes_broken,
        s.wishes,
        s.preferences,
        s.fairness,
        s.stability,
        s.skills,
        s.skill_shifts,
        s.idle,
        s.agents_idle,
        s.idle_hours
    );
    out.push('\n');
    let mut t = TextTable::default();
    t.header(&[
        "Team",
        "Agents listed",
        "Working",
        "In the cover",
        "Shifts",
        "Given",
        "Whole weeks",
        "Hours given",
        "Cover hours",
        "Bound",
        "Weekend shifts",
        "Late shifts",
    ]);
    for team in &a.teams {
        t.row(vec![
            model.teams[team.team].name.clone(),
            team.agents_given.to_string(),
            team.agents_used.to_string(),
            team.agents_cover.to_string(),
            team.shifts.to_string(),
            team.shifts_assigned.to_string(),
            team.units_whole.to_string(),
            format!("{:.1}", team.hours_assigned),
            format!("{:.1}", team.hours_cover),
            format!("{:.1}", team.bound_hours),
            spread(&team.weekend),
            spread(&team.late),
        ]);
    }
    t.render("", &mut out);
    for team in &a.teams {
        let t = team.team;
        let agents: Vec<usize> = (0..model.agents.len()).filter(|&x| model.agents[x].team == t).collect();
        for w in 0..a.weeks {
            let mut dates: Vec<jiff::civil::Date> = model.days.iter().skip(7 * w).take(7).map(|d| d.date).collect();
            for s in a.shifts.iter().filter(|s| s.team == t && s.week == w) {
                if !dates.contains(&s.date) {
                    dates.push(s.date);
                }
            }
            dates.sort_unstable();
            let week = if a.weeks > 1 { format!(", week {}", w + 1) } else { String::new() };
            let _ = writeln!(
                out,
                "\n{} ({}{week})",
                model.teams[t].name,
                model.teams[t].timezone.iana_name().unwrap_or("-")
            );
            let mut grid = TextTable::default();
            let mut head = vec!["Agent".to_string(), "Contract".into(), "Hours".into(), "Days".into()];
            head.extend(
                dates
                    .iter()
                    .map(|d| format!("{} {:02}", WEEKDAYS[d.weekday().to_monday_zero_offset() as usize], d.day())),
            );
            grid.row(head);
            let mut lines = Vec::new();
            for &x in &agents {
                let held: Vec<usize> = a.shifts_of(x).into_iter().filter(|&s| a.shifts[s].week == w).collect();
                let hours: f64 = held.iter().map(|&s| a.shifts[s].hours).fold(0.0, |x, y| x + y);
                let mut row = vec![
                    model.agents[x].id.clone(),
                    contract(model, &model.agents[x]),
                    format!("{hours:.1}"),
                    held.len().to_string(),
                ];
                for d in &dates {
                    let cell = match held.iter().find(|&&s| a.shifts[s].date == *d) {
                        Some(&s) => span(&a.shifts[s]),
                        None if model.agents[x].time_off.contains(d) => "off".into(),
                        None => "-".into(),
                    };
                    row.push(cell);
                }
                grid.row(row);
                let with_breaks: Vec<String> = held
                    .iter()
                    .filter(|&&s| !a.shifts[s].breaks.is_empty())
                    .map(|&s| format!("{} {}", WEEKDAYS[a.shifts[s].weekday], breaks(model, &a.shifts[s])))
                    .collect();
                if !with_breaks.is_empty() {
                    lines.push(format!("  {}  {}", model.agents[x].id, with_breaks.join("; ")));
                }
            }
            grid.render("", &mut out);
            if !lines.is_empty() {
                out += "Breaks (team-local):\n";
                for l in lines {
                    out += &l;
                    out.push('\n');
                }
            }
        }
    }
    if a.unassigned.is_empty() {
        out += "\nEvery shift of the cover has an agent.\n";
    } else {
        let _ = writeln!(out, "\nShifts without an agent ({}):", a.unassigned.len());
        for u in &a.unassigned {
            let s = &a.shifts[u.shift];
            let _ = writeln!(
                out,
                "  {}  {} {}  {}  {}  {} h: {}",
                model.teams[s.team].name,
                WEEKDAYS[s.weekday],
                s.date,
                span(s),
                rule_name(model, s),
                crate::report::schedule::number(s.hours),
                reason(u)
            );
        }
    }
    out
}

/// The people roster as CSV: one row per shift of the cover, its agent
/// (empty where none) and why none.
pub fn csv(model: &Model, provenance: &Provenance, a: &Assignment) -> String {
    let what_ifs = what_ifs_cell(&provenance.what_ifs);
    let mut out =
        String::from("agent,team,rule,date,day,start,end,hours,breaks,login,logout,unassigned_because,what_ifs\n");
    let mut rows: Vec<usize> = (0..a.shifts.len()).collect();
    let key = |s: usize| a.agent_of[s].map_or((1, usize::MAX), |x| (0, x));
    rows.sort_by(|&x, &y| {
        key(x).cmp(&key(y)).then(a.shifts[x].login_s.total_cmp(&a.shifts[y].login_s)).then(x.cmp(&y))
    });
    for s in rows {
        let shift = &a.shifts[s];
        let why = a.unassigned.iter().find(|u| u.shift == s).map(reason).unwrap_or_default();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{what_ifs}",
            a.agent_of[s].map_or(String::new(), |x| quote(&model.agents[x].id)),
            quote(&model.teams[shift.team].name),
            quote(rule_name(model, shift)),
            shift.date,
            WEEKDAYS[shift.weekday],
            clock(shift.login_minute),
            clock(shift.logout_minute),
            crate::report::schedule::number(shift.hours),
            breaks(model, shift),
            rfc3339(model, shift.team, shift.login_s),
            rfc3339(model, shift.team, shift.logout_s),
            quote(&why)
        );
    }
    out
}

#[derive(Serialize)]
struct ContractJson<'a> {
    min_hours: f64,
    max_hours: f64,
    max_days: u8,
    min_rest_hours: f64,
    rules: Vec<&'a str>,
}

#[derive(Serialize)]
struct BreakJson {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct ShiftJson<'a> {
    date: String,
    day: &'static str,
    start: String,
    end: String,
    hours: f64,
    rule: &'a str,
    breaks: Vec<BreakJson>,
}

#[derive(Serialize)]
struct AgentJson<'a> {
    id: &'a str,
    team: &'a str,
    contract: ContractJson<'a>,
    hours_by_week: Vec<f64>,
    min_hours_by_week: Vec<f64>,
    max_hours_by_week: Vec<f64>,
    max_days_by_week: Vec<u8>,
    days_by_week: Vec<usize>,
    shifts: Vec<ShiftJson<'a>>,
}

#[derive(Serialize)]
struct SpreadJson {
    min: u32,
    max: u32,
    mean: f64,
}

#[derive(Serialize)]
struct TeamJson<'a> {
    team: &'a str,
    agents_given: usize,
    agents_used: usize,
    agents_cover: usize,
    shifts: usize,
    shifts_assigned: usize,
    units_whole: usize,
    hours_cover: f64,
    hours_assigned: f64,
    bound_hours: f64,
    weekend_shifts: SpreadJson,
    late_shifts: SpreadJson,
}

#[derive(Serialize)]
struct OpenJson<'a> {
    team: &'a str,
    rule: &'a str,
    date: String,
    day: &'static str,
    start: String,
    end: String,
    hours: f64,
    nobody: bool,
    why: std::collections::BTreeMap<&'static str, usize>,
    reason: String,
}

#[derive(Serialize)]
struct ScoreJson {
    total: f64,
    preferences: f64,
    fairness: f64,
    stability: f64,
    skills: f64,
    idle: f64,
    idle_hours: f64,
    agents_idle: usize,
    wishes: usize,
    wishes_broken: usize,
    skill_shifts: usize,
}

#[derive(Serialize)]
struct AssignmentJson<'a> {
    weeks: usize,
    hours_cover: f64,
    hours_assigned: f64,
    bound_hours: f64,
    gap: f64,
    score: ScoreJson,
    teams: Vec<TeamJson<'a>>,
    agents: Vec<AgentJson<'a>>,
    unassigned: Vec<OpenJson<'a>>,
}

fn spread_json(s: &Spread) -> SpreadJson {
    SpreadJson { min: s.min, max: s.max, mean: round2(s.mean) }
}

/// The people roster as a JSON value (the `assignment` of `schedule`'s
/// JSON).
pub fn json_value(model: &Model, a: &Assignment) -> serde_json::Value {
    let shift_json = |s: &DayShift| ShiftJson {
        date: s.date.to_string(),
        day: WEEKDAYS[s.weekday],
        start: rfc3339(model, s.team, s.login_s),
        end: rfc3339(model, s.team, s.logout_s),
        hours: s.hours,
        rule: rule_name(model, s),
        breaks: s
            .breaks
            .iter()
            .map(|b| BreakJson {
                start: rfc3339(model, s.team, b.start_s),
                end: rfc3339(model, s.team, b.start_s + b.length_s),
            })
            .collect(),
    };
    let agents = model
        .agents
        .iter()
        .enumerate()
        .map(|(x, agent)| {
            let held = a.shifts_of(x);
            let by_week = |f: &dyn Fn(&[usize]) -> f64| -> Vec<f64> {
                (0..a.weeks)
                    .map(|w| f(&held.iter().copied().filter(|&s| a.shifts[s].week == w).collect::<Vec<_>>()))
                    .collect()
            };
            let c = &agent.contract;
            AgentJson {
                id: &agent.id,
                team: &model.teams[agent.team].name,
                contract: ContractJson {
                    min_hours: c.min_hours,
                    max_hours: c.max_hours,
                    max_days: c.max_days,
                    min_rest_hours: c.min_rest_s / 3600.0,
                    rules: c.rules.iter().map(|&r| model.teams[agent.team].rules[r].name.as_str()).collect(),
                },
                hours_by_week: by_week(&|h| round2(h.iter().map(|&s| a.shifts[s].hours).fold(0.0, |x, y| x + y))),
                min_hours_by_week: a.limits[x].iter().map(|l| round2(l.min_hours)).collect(),
                max_hours_by_week: a.limits[x].iter().map(|l| round2(l.max_hours)).collect(),
                max_days_by_week: a.limits[x].iter().map(|l| l.max_days).collect(),
                days_by_week: by_week(&|h| h.len() as f64).into_iter().map(|d| d as usize).collect(),
                shifts: held.iter().map(|&s| shift_json(&a.shifts[s])).collect(),
            }
        })
        .collect();
    let doc = AssignmentJson {
        weeks: a.weeks,
        hours_cover: round2(a.hours_cover),
        hours_assigned: round2(a.hours_assigned),
        bound_hours: round2(a.bound_hours),
        gap: round4(a.gap()),
        score: ScoreJson {
            total: round2(a.score.total),
            preferences: round2(a.score.preferences),
            fairness: round2(a.score.fairness),
            stability: round2(a.score.stability),
            idle: round2(a.score.idle),
            idle_hours: round2(a.score.idle_hours),
            agents_idle: a.score.agents_idle,
            skills: round2(a.score.skills),
            wishes: a.score.wishes,
            wishes_broken: a.score.wishes_broken,
            skill_shifts: a.score.skill_shifts,
        },
        teams: a
            .teams
            .iter()
            .map(|t| TeamJson {
                team: &model.teams[t.team].name,
                agents_given: t.agents_given,
                agents_used: t.agents_used,
                agents_cover: t.agents_cover,
                shifts: t.shifts,
                shifts_assigned: t.shifts_assigned,
                units_whole: t.units_whole,
                hours_cover: round2(t.hours_cover),
                hours_assigned: round2(t.hours_assigned),
                bound_hours: round2(t.bound_hours),
                weekend_shifts: spread_json(&t.weekend),
                late_shifts: spread_json(&t.late),
            })
            .collect(),
        agents,
        unassigned: a
            .unassigned
            .iter()
            .map(|u| {
                let s = &a.shifts[u.shift];
                OpenJson {
                    team: &model.teams[s.team].name,
                    rule: rule_name(model, s),
                    date: s.date.to_string(),
                    day: WEEKDAYS[s.weekday],
                    start: rfc3339(model, s.team, s.login_s),
                    end: rfc3339(model, s.team, s.logout_s),
                    hours: s.hours,
                    nobody: u.nobody,
                    why: u.why.iter().map(|&(w, n): &(Why, usize)| (w.key(), n)).collect(),
                    reason: reason(u),
                }
            })
            .collect(),
    };
    serde_json::to_value(doc).expect("the assignment serializes")
}

/// The people roster as a section of the HTML page: the teams'
/// headcount and coverage, each agent's shifts, the shifts without an
/// agent.
pub(crate) fn html_section(out: &mut String, model: &Model, a: &Assignment) {
    use crate::report::kit::html::{table, Cell};
    out.push_str("<section id=\"people\">\n<h2>People</h2>\n");
    let _ = writeln!(
        out,
        "<p>Given to agents: {:.1} of the cover's {:.1} paid hours; no assignment keeping every rule gives more than {:.1} (gap {:.2}%). Wishes broken: {} of {}.</p>",
        a.hours_assigned,
        a.hours_cover,
        a.bound_hours,
        100.0 * a.gap(),
        a.score.wishes_broken,
        a.score.wishes
    );
    let rows = a
        .teams
        .iter()
        .map(|t| {
            vec![
                Cell::new(model.teams[t.team].name.as_str()),
                Cell::new(t.agents_given.to_string()),
                Cell::new(t.agents_used.to_string()),
                Cell::new(t.agents_cover.to_string()),
                Cell::verdict(format!("{} of {}", t.shifts_assigned, t.shifts), t.shifts_assigned == t.shifts),
                Cell::new(format!("{:.1}", t.hours_assigned)),
                Cell::new(spread(&t.weekend)),
                Cell::new(spread(&t.late)),
            ]
        })
        .collect();
    let head = [
        "team",
        "agents listed",
        "working",
        "in the cover",
        "shifts given",
        "hours given",
        "weekend shifts",
        "late shifts",
    ];
    table(out, &head, rows);
    let rows = model
        .agents
        .iter()
        .enumerate()
        .map(|(x, agent)| {
            let held = a.shifts_of(x);
            let shifts: Vec<String> = held
                .iter()
                .map(|&s| format!("{} {} {}", WEEKDAYS[a.shifts[s].weekday], a.shifts[s].date, span(&a.shifts[s])))
                .collect();
            vec![
                Cell::new(agent.id.as_str()),
                Cell::new(model.teams[agent.team].name.as_str()),
                Cell::new(contract(model, agent)),
                Cell::new(format!("{:.1}", held.iter().map(|&s| a.shifts[s].hours).fold(0.0, |x, y| x + y))),
                Cell::new(shifts.join(", ")),
            ]
        })
        .collect();
    out.push_str("<h3>Agents</h3>\n");
    table(out, &["agent", "team", "contract", "hours", "shifts (team-local)"], rows);
    if !a.unassigned.is_empty() {
        out.push_str("<h3>Shifts without an agent</h3>\n");
        let rows = a
            .unassigned
            .iter()
            .map(|u| {
                let s = &a.shifts[u.shift];
                vec![
                    Cell::new(model.teams[s.team].name.as_str()),
                    Cell::new(format!("{} {}", WEEKDAYS[s.weekday], s.date)),
                    Cell::new(span(s)),
                    Cell::new(rule_name(model, s)),
                    Cell::new(reason(u)),
                ]
            })
            .collect();
        table(out, &["team", "day", "shift", "rule", "why"], rows);
    }
    out.push_str("</section>\n");
}

/// The agents' blocks as TOML, team by team, each group headed by a
/// comment naming its team: paste a group inside that `[[team]]`.
pub fn toml(model: &Model, blocks: &[RosterShift]) -> String {
    let mut out = String::new();
    let mut teams: Vec<usize> = blocks.iter().map(|b| b.team).collect();
    teams.dedup();
    for t in teams {
        let own: Vec<&RosterShift> = blocks.iter().filter(|b| b.team == t).collect();
        let hours: f64 = own.iter().map(|b| b.paid_hours).fold(0.0, |x, y| x + y);
        let _ = writeln!(out, "# team {:?}: {} agent blocks, {:.1} paid hours", model.teams[t].name, own.len(), hours);
        out += &crate::report::schedule::team_blocks(&own);
    }
    out
}

/// Each agent's shifts as `[[team.shift]]` blocks of one agent (same
/// start, length and breaks on several days: one block), per rostered
/// team, to write into the team's section. Only for a horizon of one
/// week (a block repeats every week).
pub fn blocks(model: &Model, a: &Assignment) -> Vec<RosterShift> {
    let mut out: Vec<RosterShift> = Vec::new();
    for (x, agent) in model.agents.iter().enumerate() {
        let first = out.len();
        for s in a.shifts_of(x) {
            let shift = &a.shifts[s];
            let login = zoned(model, shift.team, shift.login_s);
            let pattern = ShiftPattern {
                start: login.time(),
                length_s: shift.logout_s - shift.login_s,
                days: [false; 7],
                agents: 1,
                breaks: shift
                    .breaks
                    .iter()
                    .map(|b| Break { start_s: b.start_s - shift.login_s, length_s: b.length_s, window_s: 0.0 })
                    .collect(),
            };
            let label = format!("agent {} ({})", agent.id, rule_name(model, shift));
            let same = out[first..].iter_mut().find(|r| {
                r.rule == label
                    && r.pattern.start == pattern.start
                    && r.pattern.length_s == pattern.length_s
                    && r.pattern.breaks == pattern.breaks
            });
            let block = match same {
                Some(block) => block,
                None => {
                    out.push(RosterShift { team: shift.team, rule: label, pattern, paid_hours: 0.0 });
                    out.last_mut().expect("just pushed")
                }
            };
            block.pattern.days[shift.weekday] = true;
            block.paid_hours += shift.hours;
        }
    }
    out.sort_by_key(|r| r.team);
    out
}
