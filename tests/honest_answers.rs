//! Answers a planner can act on (issue 21): exit codes that tell the
//! truth, lists of missed periods never cut silently, coverage holes
//! named, what-ifs on one side of `compare`, headcount what-ifs, outages
//! limited to queues, absolute tolerances in `check` and events on the
//! run's charts.

use crate::common::{refused, stderr, stdout, wfmsim, write};
use serde_json::Value;

fn scratch(name: &str) -> std::path::PathBuf {
    crate::common::scratch("answers", name)
}

/// One voice queue over two days of hourly intervals in UTC, busy from
/// 06:00 to 22:00, and one team always on duty; `EXTRA` follows.
const HEAD: &str = r#"
[scenario]
name = "answers"
start = "2026-11-23"
days = 2
interval_minutes = 60
timezone = "UTC"
replications = 10
seed = 7

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 300 }
patience = { distribution = "exponential", mean_s = 200 }
target = { service_level = 0.8, within_s = 20 }
arrivals = { rates_per_hour = [0, 0, 0, 0, 0, 0, 60, 80, 100, 120, 120, 120, 120, 120, 120, 120, 100, 100, 80, 80, 60, 60, 0, 0] }

[[team]]
name = "Day"
skills = ["q"]
agents = 12
cost_per_hour = 30
"#;

/// The team takes nothing from 08:00 to 20:00 on the first day: no level
/// of agents can mend those twelve hours.
const OUTAGE: &str = r#"
[[event]]
name = "power cut"
start = "2026-11-23T08:00"
end = "2026-11-23T20:00"
outage = ["Day"]
"#;

#[test]
fn staff_by_team_exits_1_after_printing_when_targets_remain_missed_and_allow_miss_keeps_0() {
    let dir = scratch("exit");
    // Staffing by team simulates queues that share a team: a voice and a
    // chat queue.
    let path = write(&dir, "s.toml", &voice_and_chat(OUTAGE));
    let o = wfmsim(&["staff", &path, "--by", "team", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("the report is written before the exit");
    let unmet = doc["by_team"]["unmet"].as_array().expect("unmet");
    assert!(unmet.len() >= 12, "{}", unmet.len());
    assert!(stderr(&o).contains(&format!("{} period(s) still miss a target", unmet.len())), "{}", stderr(&o));
    assert!(stderr(&o).contains("--allow-miss"), "{}", stderr(&o));

    let allowed = wfmsim(&["staff", &path, "--by", "team", "--allow-miss"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    // The table shows the worst ten and says how many more there are.
    let table = stdout(&allowed);
    assert!(table.contains(&format!("{} period(s) still miss a target", unmet.len())), "{table}");
    assert!(table.contains(&format!("and {} more", unmet.len() - 10)), "{table}");
    let listed = table.lines().filter(|l| l.starts_with("  q 2026-11-2") || l.starts_with("  c 2026-11-2")).count();
    assert_eq!(listed, 10, "{table}");
}

#[test]
fn allow_miss_needs_by_team_and_a_scenario_that_meets_its_targets_exits_0() {
    let dir = scratch("exit-ok");
    let path = write(&dir, "s.toml", HEAD);
    let o = wfmsim(&["staff", &path, "--by", "team", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let message = refused(&["staff", &path, "--allow-miss"]);
    assert!(message.contains("--by"), "{message}");
}

const RULES: &str = r#"
[[team.shift_rule]]
name = "day"
starts = { from = "05:00", to = "14:00", every_minutes = 60 }
hours = [8]
days_on = [7]
"#;

#[test]
fn schedule_exits_1_after_writing_the_roster_when_targets_remain_missed() {
    let dir = scratch("schedule-exit");
    let src = HEAD.replace("agents = 12\n", "") + RULES + OUTAGE;
    let path = write(&dir, "s.toml", &src);
    let o = wfmsim(&["schedule", &path, "--format", "json", "--max-iterations", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("the roster is written before the exit");
    assert_eq!(doc["targets_met"], false);
    assert!(!doc["shifts"].as_array().unwrap().is_empty());
    let ok = wfmsim(&["schedule", &path, "--max-iterations", "2", "--allow-miss"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("worst first"), "{}", stdout(&ok));
}

const SINGLE: &str = "scenarios/single-queue-day.toml";

#[test]
fn compare_with_a_what_if_on_one_side_needs_one_file_and_says_which_side_carries_it() {
    let o = wfmsim(&["compare", SINGLE, "--set-b", "volume=*1.15", "--replications", "20", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["b"]["what_ifs"][0]["flag"], "set-b");
    assert_eq!(doc["b"]["what_ifs"][0]["value"], "volume=*1.15");
    assert!(doc["a"].get("what_ifs").is_none(), "{}", doc["a"]);
    let offered = &doc["queues"][0]["horizon"]["offered"];
    let (a, b) = (offered["a"].as_f64().unwrap(), offered["b"].as_f64().unwrap());
    assert!(b > 1.1 * a && b < 1.2 * a, "offered {a} -> {b}");
    // The same comparison with B named: the same bytes but B's file.
    let named = wfmsim(&["compare", SINGLE, SINGLE, "--set-b", "volume=*1.15", "--replications", "20"]);
    let table = stdout(&named);
    assert!(table.contains("what-ifs on B only --set-b volume=*1.15"), "{table}");
    // An unknown path is refused as --set refuses it, naming the flag.
    let message = refused(&["compare", SINGLE, "--set-b", "volum=*1.15"]);
    assert!(message.contains("--set-b volum=*1.15: "), "{message}");
    let message = refused(&["compare", SINGLE, "--set-a", "team.Dalas.agents=+1"]);
    assert!(
        message.contains("--set-a team.Dalas.agents=+1: no such path in the scenario; nearest: team.Dallas.agents"),
        "{message}"
    );
    let message = refused(&["compare", SINGLE]);
    assert!(message.contains("give scenario B, or what-ifs on one side"), "{message}");
}

#[test]
fn check_takes_absolute_tolerances_per_kpi_and_targets_only() {
    let dir = scratch("tolerance");
    let base = dir.join("base.json");
    let b = base.to_str().unwrap();
    assert!(wfmsim(&["run", SINGLE, "--replications", "40", "--format", "json", "-o", b]).status.success());
    let worse = ["check", SINGLE, "--replications", "40", "--volume-scale", "1.15", "--baseline", b];
    // By default ASA (2.7 s -> 4.2 s) regresses at 10%.
    let strict = wfmsim(&worse);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains("queue support-en: ASA"), "{}", stdout(&strict));
    // 5 s of ASA and 10 pp of shares let the change through.
    let loose = wfmsim(&[&worse[..], &["--tolerance", "asa=5s", "--tolerance", "10pp", "--format", "json"]].concat());
    let v: Value = serde_json::from_slice(&loose.stdout).unwrap();
    let changes = v["scenarios"][0]["baseline"]["changes"].as_array().unwrap();
    let asa = changes.iter().find(|c| c["kpi"] == "asa_s").unwrap();
    assert_eq!(asa["allowed"], 5.0);
    assert_eq!(asa["regressed"], false);
    assert_eq!(v["tolerance"]["absolute"][0][0], "asa_s");
    assert_eq!(loose.status.code(), Some(0), "{}", stdout(&loose));
    // abandon=1pp is 0.01 of a share; response_time in hours.
    let o = wfmsim(&[&worse[..], &["--tolerance", "abandon=1pp", "--format", "json"]].concat());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes = v["scenarios"][0]["baseline"]["changes"].as_array().unwrap();
    let abandon = changes.iter().find(|c| c["kpi"] == "abandon_rate").unwrap();
    assert!((abandon["allowed"].as_f64().unwrap() - 0.01).abs() < 1e-12, "{abandon}");
    // --targets-only compares the KPIs with a target only: a copy whose
    // queue has a service-level target alone.
    let text = std::fs::read_to_string(SINGLE).unwrap().replace(
        "target = { service_level = 0.80, within_s = 20, max_asa_s = 30, max_abandon = 0.05, max_occupancy = 0.90 }",
        "target = { service_level = 0.80, within_s = 20 }",
    );
    let sl_only = write(&dir, "sl-only.toml", &text);
    let o = wfmsim(&[
        "check",
        &sl_only,
        "--replications",
        "40",
        "--volume-scale",
        "1.15",
        "--baseline",
        b,
        "--targets-only",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let kpis: Vec<&str> = v["scenarios"][0]["baseline"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kpi"].as_str().unwrap())
        .collect();
    assert_eq!(kpis, ["service_level"]);
    // Bad units and names are refused naming what is allowed.
    let message = refused(&["check", SINGLE, "--baseline", b, "--tolerance", "asa=5kg"]);
    assert!(message.contains("\"kg\" is not a unit of ASA; allowed: ms, s, min, h"), "{message}");
    let message = refused(&["check", SINGLE, "--baseline", b, "--tolerance", "speed=5s"]);
    assert!(
        message.contains("\"speed\" is not a KPI a baseline compares; allowed: abandon, service_level"),
        "{message}"
    );
    let message = refused(&["check", SINGLE, "--targets-only"]);
    assert!(message.contains("--baseline"), "{message}");
}

/// A voice queue and a chat queue served by one team, with `EVENT` laid
/// on the first day.
fn voice_and_chat(event: &str) -> String {
    let chat = r#"
[[queue]]
name = "c"
channel = "chat"
concurrency = 2
handle_time = { distribution = "exponential", mean_s = 400 }
patience = { distribution = "exponential", mean_s = 300 }
target = { service_level = 0.8, within_s = 60 }
arrivals = { rates_per_hour = [0, 0, 0, 0, 0, 0, 20, 30, 40, 40, 40, 40, 40, 40, 40, 40, 30, 30, 20, 20, 20, 20, 0, 0] }
"#;
    let head = HEAD.replace("skills = [\"q\"]\nagents = 12", "skills = [\"q\", \"c\"]\nagents = 22");
    let (queues, team) = head.split_at(head.find("[[team]]").unwrap());
    format!("{queues}{chat}{team}{event}")
}

/// Day 1's answered contacts of each queue (q, c), from `run --format json`.
fn day_one_answered(path: &str) -> (f64, f64) {
    let o = wfmsim(&["run", path, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let answered = |k: usize| doc["queues"][k]["periods"][0]["answered"]["mean"].as_f64().unwrap();
    (answered(0), answered(1))
}

#[test]
fn an_outage_limited_to_a_channel_stops_the_calls_and_not_the_chats() {
    let dir = scratch("channel-outage");
    let window = "[[event]]\nname = \"telephony\"\nstart = \"2026-11-23T08:00\"\nend = \"2026-11-23T20:00\"\noutage = [\"Day\"]\n";
    let none = day_one_answered(&write(&dir, "none.toml", &voice_and_chat("")));
    let all = day_one_answered(&write(&dir, "all.toml", &voice_and_chat(window)));
    let voice =
        day_one_answered(&write(&dir, "voice.toml", &voice_and_chat(&format!("{window}channels = [\"voice\"]\n"))));
    let by_queue =
        day_one_answered(&write(&dir, "queue.toml", &voice_and_chat(&format!("{window}queues = [\"q\"]\n"))));
    assert_eq!(voice, by_queue, "channels = [voice] and queues = [q] are the same outage here");
    // Twelve of sixteen busy hours without calls: most calls go unanswered.
    assert!(voice.0 < 0.45 * none.0, "calls {none:?} -> {voice:?}");
    assert!((all.0 - voice.0).abs() < 0.1 * none.0, "calls stop alike: {all:?} {voice:?}");
    // Chats go on being answered under the telephony outage, not under a
    // whole outage.
    assert!(voice.1 > 0.95 * none.1, "chats {none:?} -> {voice:?}");
    assert!(all.1 < 0.45 * none.1, "chats stop in a whole outage: {all:?}");

    // Unknown names are placed with line and column.
    let bad = write(&dir, "bad.toml", &voice_and_chat(&format!("{window}channels = [\"phone\"]\n")));
    let message = refused(&["validate", &bad]);
    assert!(
        message.contains("event[0].channels[0]: \"phone\" is not a channel; allowed: voice, chat, email, case"),
        "{message}"
    );
    assert!(message.contains(&format!("{bad}:")), "{message}");
    let bad = write(&dir, "bad2.toml", &voice_and_chat(&format!("{window}queues = [\"qq\"]\n")));
    let message = refused(&["validate", &bad]);
    assert!(message.contains("event[0].queues[0]: \"qq\" is not a queue of the scenario; nearest: \"q\""), "{message}");
    let bad = write(&dir, "bad3.toml", &voice_and_chat(&format!("{window}queues = [\"q\"]\nchannels = [\"voice\"]\n")));
    assert!(refused(&["validate", &bad]).contains("give queues or channels, not both"));
}

#[test]
fn validate_and_run_warn_of_a_queue_with_arrivals_and_nobody_on_duty() {
    let dir = scratch("holes");
    // A day shift from 08:00 to 16:00: the queue has arrivals from 06:00
    // to 22:00, so 06:00-08:00 and 16:00-22:00 are holes, 8 hours a day.
    let src = HEAD.replace(
        "agents = 12\ncost_per_hour = 30\n",
        "cost_per_hour = 30\n\n[[team.shift]]\nstart = \"08:00\"\nhours = 8\ndays = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\", \"Sat\", \"Sun\"]\nagents = 12\n",
    );
    let path = write(&dir, "s.toml", &src);
    let line = src.lines().position(|l| l == "name = \"q\"").unwrap() + 1;
    let expected = format!(
        "{path}:{line}:8: warning: queue[0]: q: 16 hours with arrivals and no agent on duty, first 2026-11-23 06:00 UTC"
    );
    let o = wfmsim(&["validate", &path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(&expected), "{}", stderr(&o));
    let o = wfmsim(&["run", &path, "--replications", "2"]);
    assert!(stderr(&o).contains(&expected), "{}", stderr(&o));
    // A scenario whose teams are always on duty has no hole.
    let o = wfmsim(&["validate", &write(&dir, "ok.toml", HEAD)]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

#[test]
fn the_run_page_marks_events_on_its_time_charts_and_states_each_axis_unit() {
    let o = wfmsim(&["run", "scenarios/launch-and-outage.toml", "--replications", "2", "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = stdout(&o);
    assert!(html.contains("Offered and abandoned (contacts per 30 min)"), "the unit of the axis is stated");
    assert!(html.contains("Service level (%)"));
    let marks = html.matches("<rect class=\"event\"").count();
    assert!(marks > 0, "events shaded");
    assert!(html.contains("<title>Launch (chat x2)</title>"), "the launch is named on the chats' charts");
    // The launch doubles chat for three days: 144 half-hours on chat-en's
    // charts, one shaded run each.
    let chat = html.split("<section id=\"queue-2\">").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(chat.contains("<title>Launch (chat x2)</title>"));
    // By period the marks cover days.
    let o = wfmsim(&[
        "run",
        "scenarios/launch-and-outage.toml",
        "--replications",
        "2",
        "--format",
        "html",
        "--detail",
        "period",
    ]);
    assert!(stdout(&o).contains("(contacts per day)"), "per day when charted by day");
}

#[test]
fn staff_by_team_and_schedule_name_the_intervals_no_allowed_shift_covers_before_their_rounds() {
    let dir = scratch("uncoverable");
    // Starts from 08:00 to 10:00, eight hours: 06:00-08:00 and 18:00-22:00
    // have calls and no allowed shift, six hours a day.
    let rules = RULES.replace("from = \"05:00\", to = \"14:00\"", "from = \"08:00\", to = \"10:00\"");
    let path = write(&dir, "s.toml", &(HEAD.replace("agents = 12\n", "") + &rules));
    let expected = "warning: queue[0]: q: 12 hours with arrivals and no shift of a team serving it (fixed or allowed by its rules) on duty, first 2026-11-23 06:00 UTC";
    let o = wfmsim(&["schedule", &path, "--max-iterations", "1"]);
    assert!(stderr(&o).contains(expected), "{}", stderr(&o));
    let o = wfmsim(&["staff", &path, "--by", "team", "--allow-miss", "--format", "json"]);
    assert!(stderr(&o).contains(expected), "{}", stderr(&o));
    // A run of such a file has no agent at all: every busy hour is a hole;
    // validate leaves a rostered team's queues to schedule.
    let o = wfmsim(&["run", &path, "--replications", "2"]);
    assert!(stderr(&o).contains("q: 32 hours with arrivals and no agent on duty"), "{}", stderr(&o));
    let o = wfmsim(&["validate", &path]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}
