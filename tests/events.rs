//! `[[event]]` and date overrides as a planner uses them: each effect
//! checked on what it must change (offered, staffed and busy time, handle
//! time) and on what it must leave alone, through the library (exact
//! counters of one replication) and the binary (reports with confidence
//! intervals, every format, any thread count).

use crate::common::{stderr, stdout, wfmsim};
use serde_json::Value;
use wfmsim::engine::simulate;
use wfmsim::model::Model;

/// Three weekdays in UTC, hourly intervals: one voice queue at 100 calls
/// an hour around the clock, team A always on duty (12 agents), team B
/// always on duty (4), both taking the queue.
const BASE: &str = r#"[scenario]
name = "events"
start = "2026-11-23"
days = 3
interval_minutes = 60
timezone = "UTC"
replications = 40
seed = 7

[[queue]]
name = "q"
handle_time = { distribution = "lognormal", mean_s = 240, cv = 0.6 }
patience = { distribution = "exponential", mean_s = 300 }
arrivals = { rate_per_hour = 100 }

[[team]]
name = "A"
skills = ["q"]
agents = 12

[[team]]
name = "B"
skills = ["q"]
agents = 4
"#;

fn model(src: &str) -> Model {
    wfmsim::input::compile(src, "events.toml").unwrap_or_else(|e| panic!("{e}")).model
}

/// Writes `src` to a file of its own under the target directory; its path.
fn scenario_file(name: &str, src: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("events");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, src).unwrap();
    path.to_str().unwrap().to_string()
}

/// `wfmsim run FILE --format json ARGS…`, parsed.
fn run_json(file: &str, args: &[&str]) -> Value {
    let mut all = vec!["run", file, "--format", "json"];
    all.extend_from_slice(args);
    let o = wfmsim(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A KPI's mean and the half width of its 95% interval.
fn mean_and_half_width(kpi: &Value) -> (f64, f64) {
    let ci = kpi["ci95"].as_array().unwrap();
    (kpi["mean"].as_f64().unwrap(), (ci[1].as_f64().unwrap() - ci[0].as_f64().unwrap()) / 2.0)
}

#[test]
fn a_volume_factor_of_two_doubles_the_days_offered() {
    let src =
        format!("{BASE}\n[[event]]\nname = \"Launch\"\nstart = \"2026-11-24\"\nend = \"2026-11-25\"\nvolume = 2\n");
    let report = run_json(&scenario_file("volume.toml", &src), &[]);
    let days = report["queues"][0]["periods"].as_array().unwrap();
    let (usual, usual_hw) = mean_and_half_width(&days[0]["offered"]);
    let (doubled, doubled_hw) = mean_and_half_width(&days[1]["offered"]);
    assert!((usual - 2400.0).abs() < 3.0 * usual_hw, "{usual} ± {usual_hw}");
    // The ratio's error, from both intervals (twice their sum: two checks).
    assert!((doubled - 2.0 * usual).abs() < 2.0 * (doubled_hw + 2.0 * usual_hw), "{doubled} vs 2 × {usual}");
    assert_eq!(days[1]["events"], serde_json::json!(["Launch"]));
    assert!(days[0].get("events").is_none() && days[2].get("events").is_none());
    assert!(report["queues"][0]["horizon"].get("events").is_none());
}

#[test]
fn a_closed_queue_receives_nothing_in_its_window_and_as_usual_around_it() {
    let src = format!(
        "{BASE}\n[[event]]\nname = \"Closed\"\nstart = \"2026-11-24T09:00\"\nend = \"2026-11-24T12:00\"\nclosed = [\"q\"]\n"
    );
    let m = model(&src);
    for replication in 0..5 {
        let c = simulate(&m, replication);
        let cells = c.queue_cells(0);
        // Day 2 starts at interval 24: 09:00 to 12:00 are 33, 34 and 35.
        assert!((33..36).all(|i| cells[i].offered == 0), "{:?}", &cells[33..36]);
        assert!(cells[32].offered > 50 && cells[36].offered > 50);
    }
}

#[test]
fn a_holiday_leaves_a_team_unpaid_and_unstaffed_that_day_in_its_own_zone() {
    // Team S works 08:00 to 16:00 in Berlin (07:00 to 15:00 UTC): the
    // holiday is its Berlin day. B is always on duty, in UTC.
    let shifts = "[[team]]\nname = \"S\"\ntimezone = \"Europe/Berlin\"\nskills = [\"q\"]\n\
                  [[team.shift]]\nstart = \"08:00\"\nhours = 8\nagents = 5\n";
    let src = format!(
        "{BASE}{shifts}\n[[event]]\nname = \"Holiday\"\nstart = \"2026-11-24\"\nend = \"2026-11-25\"\nholiday = [\"S\", \"B\"]\n"
    );
    let report = run_json(&scenario_file("holiday.toml", &src), &["--replications", "5"]);
    let team = |name: &str| report["teams"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap().clone();
    let (s, b) = (team("S"), team("B"));
    let hours = |t: &Value, d: usize, key: &str| t["periods"][d][key]["mean"].as_f64().unwrap();
    assert_eq!(s["periods"][1]["paid_hours"], 0.0);
    assert_eq!(hours(&s, 1, "staffed_hours"), 0.0);
    assert_eq!(s["periods"][0]["paid_hours"], 40.0);
    // Staffed until the call in hand at 15:00 ends.
    assert!((40.0..42.5).contains(&hours(&s, 0, "staffed_hours")), "{}", hours(&s, 0, "staffed_hours"));
    assert_eq!(s["periods"][1]["events"], serde_json::json!(["Holiday"]));
    // B logs out at midnight (a call in hand is finished first) and in
    // again a day later.
    assert_eq!(b["periods"][0]["paid_hours"], 96.0);
    assert_eq!(b["periods"][1]["paid_hours"], 0.0);
    assert!(hours(&b, 1, "staffed_hours") < 4.0 * 0.5, "{}", hours(&b, 1, "staffed_hours"));
    assert_eq!(b["periods"][2]["paid_hours"], 96.0);
    assert!((hours(&b, 2, "staffed_hours") - 96.0).abs() < 1e-6);
    // A works on: no event in its rows.
    assert!(team("A")["periods"][1].get("events").is_none());
    // The queue's day names it: its teams lose a day's work.
    assert_eq!(report["queues"][0]["periods"][1]["events"], serde_json::json!(["Holiday"]));
}

#[test]
fn an_outage_stops_new_work_at_once_lets_calls_in_hand_finish_and_others_take_the_overflow() {
    let constant = BASE.replace(
        "{ distribution = \"lognormal\", mean_s = 240, cv = 0.6 }",
        "{ distribution = \"constant\", value_s = 300 }",
    );
    let outage = format!(
        "{constant}\n[[event]]\nname = \"Phones down\"\nstart = \"2026-11-23T10:00\"\nend = \"2026-11-23T12:00\"\noutage = [\"A\"]\n"
    );
    let (with, without) = (model(&outage), model(&constant));
    for replication in 0..5 {
        let (c, usual) = (simulate(&with, replication), simulate(&without, replication));
        let (a, b) = (c.team_cells(0), c.team_cells(1));
        // 10:00 to 11:00: only the calls in hand at 10:00, at most 300 s each.
        assert!(a[10].busy_s > 0.0 && a[10].busy_s <= 12.0 * 300.0 + 1e-6, "{}", a[10].busy_s);
        assert_eq!(a[11].busy_s, 0.0);
        assert!(a[12].busy_s > 0.5 * usual.team_cells(0)[12].busy_s, "A works again after 12:00");
        // Staffed all the while: the outage is lost capacity, not time off.
        assert_eq!(a[11].staffed_s, 12.0 * 3600.0);
        // B takes what A would have: busier than without the outage.
        let b_usual = usual.team_cells(1);
        assert!(b[11].busy_s > b_usual[11].busy_s + 600.0, "{} vs {}", b[11].busy_s, b_usual[11].busy_s);
        assert!(b[11].busy_s > 0.95 * 4.0 * 3600.0, "B is swamped: {}", b[11].busy_s);
        let total = c.total(0);
        assert_eq!(total.offered, total.answered + total.abandoned + total.unserved);
        // Before the outage, nothing differs.
        assert_eq!(&c.queue_cells(0)[..10], &usual.queue_cells(0)[..10]);
    }
}

/// The outage's start made the breaks under way never end: their end is
/// only honoured for the epoch the agent had, which the outage bumped.
#[test]
fn breaks_taken_during_an_outage_end_as_usual() {
    let shift = "[[team]]\nname = \"S\"\nskills = [\"q\"]\n[[team.shift]]\nstart = \"08:00\"\nhours = 8\nagents = 10\n\
                 breaks = [{ after_minutes = 120, minutes = 30, window_minutes = 60 }]\n";
    let usual = format!("{BASE}{shift}");
    let outage = format!(
        "{usual}\n[[event]]\nname = \"Down\"\nstart = \"2026-11-23T10:30\"\nend = \"2026-11-23T12:00\"\noutage = [\"S\"]\n"
    );
    let (with, without) = (model(&outage), model(&usual));
    for replication in 0..3 {
        let staffed =
            |m: &Model| -> f64 { simulate(m, replication).team_cells(2)[..24].iter().map(|c| c.staffed_s).sum() };
        let (a, b) = (staffed(&with), staffed(&without));
        // 80 paid hours less 5 of breaks; calls in hand at 16:00 add a little.
        assert!((75.0 * 3600.0..76.0 * 3600.0).contains(&a), "{}", a / 3600.0);
        assert!((a - b).abs() < 3600.0, "{} vs {}", a / 3600.0, b / 3600.0);
    }
}

#[test]
fn an_aht_factor_multiplies_the_handle_time_of_the_days_contacts() {
    let src =
        format!("{BASE}\n[[event]]\nname = \"Slow CRM\"\nstart = \"2026-11-23\"\nend = \"2026-11-24\"\naht = 1.5\n");
    let report = run_json(&scenario_file("aht.toml", &src), &[]);
    let days = report["queues"][0]["periods"].as_array().unwrap();
    let (slow, slow_hw) = mean_and_half_width(&days[0]["aht_s"]);
    let (usual, usual_hw) = mean_and_half_width(&days[2]["aht_s"]);
    assert!((usual - 240.0).abs() < 3.0 * usual_hw, "{usual} ± {usual_hw}");
    assert!((slow - 1.5 * usual).abs() < 2.0 * (slow_hw + 1.5 * usual_hw), "{slow} vs 1.5 × {usual}");
    assert_eq!(days[0]["events"], serde_json::json!(["Slow CRM"]));
}

#[test]
fn date_overrides_set_a_days_volume_or_its_profile() {
    let profile = (0..24).map(|h| if h == 12 { "1" } else { "0" }).collect::<Vec<_>>().join(", ");
    let src = BASE.replace(
        "arrivals = { rate_per_hour = 100 }",
        &format!(
            "arrivals = {{ rate_per_hour = 100, override = [{{ date = \"2026-11-24\", volume = 600 }}, {{ date = \"2026-11-25\", profile = [{profile}] }}] }}"
        ),
    );
    let m = model(&src);
    let day_rate = |d: usize| m.queues[0].mean_rate(d as f64 * 86_400.0, (d + 1) as f64 * 86_400.0) * 86_400.0;
    assert!((day_rate(0) - 2400.0).abs() < 1e-6);
    assert!((day_rate(1) - 600.0).abs() < 1e-6, "{}", day_rate(1));
    assert!((day_rate(2) - 2400.0).abs() < 1e-6, "the day's usual volume, reshaped");
    let c = simulate(&m, 0);
    let cells = c.queue_cells(0);
    assert!((48..72).filter(|&i| i != 60).all(|i| cells[i].offered == 0));
    assert!(cells[60].offered > 2000);
}

#[test]
fn runs_with_events_are_the_same_bytes_whatever_the_thread_count() {
    let src = format!(
        "{BASE}\n[[event]]\nname = \"Launch\"\nstart = \"2026-11-23T08:00\"\nend = \"2026-11-23T20:00\"\nvolume = 1.5\nqueues = [\"q\"]\n\
         [[event]]\nname = \"Slow CRM\"\nstart = \"2026-11-24\"\nend = \"2026-11-25\"\naht = 1.3\n\
         [[event]]\nname = \"Phones down\"\nstart = \"2026-11-24T10:00\"\nend = \"2026-11-24T11:30\"\noutage = [\"A\"]\n\
         [[event]]\nname = \"Holiday\"\nstart = \"2026-11-25\"\nend = \"2026-11-26\"\nholiday = [\"B\"]\n"
    );
    let file = scenario_file("threads.toml", &src);
    for format in ["json", "table", "csv", "markdown"] {
        crate::common::same_bytes_whatever_the_threads(&["run", &file, "--replications", "8", "--format", format]);
    }
    // Each format names the events in the day rows.
    let csv = stdout(&wfmsim(&["run", &file, "--replications", "2", "--format", "csv"]));
    assert!(csv.lines().next().unwrap().ends_with(",events,what_ifs"));
    assert!(csv.lines().any(|l| l.contains(",period,2026-11-24,") && l.ends_with(",Slow CRM; Phones down,")), "{csv}");
    let markdown = stdout(&wfmsim(&["run", &file, "--replications", "2", "--format", "markdown"]));
    assert!(markdown.contains("| events |") && markdown.contains("| Slow CRM, Phones down |"), "{markdown}");
    let table = stdout(&wfmsim(&["run", &file, "--replications", "2"]));
    assert!(table.lines().any(|l| l.starts_with("  2026-11-25") && l.ends_with("Holiday")), "{table}");
}

#[test]
fn an_event_outside_the_horizon_is_a_warning_and_changes_nothing() {
    let src = format!(
        "{BASE}\n[[event]]\nname = \"Next year\"\nstart = \"2027-11-24\"\nend = \"2027-11-25\"\nclosed = [\"q\"]\n"
    );
    let file = scenario_file("outside.toml", &src);
    let o = wfmsim(&["run", &file, "--replications", "3", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).trim(),
        format!("{file}:28:9: warning: event[0]: \"Next year\" (2027-11-24 to 2027-11-25) lies outside the horizon (2026-11-23 to 2026-11-26): it changes nothing reported")
    );
    let plain = scenario_file("plain.toml", BASE);
    let without = wfmsim(&["run", &plain, "--replications", "3", "--format", "json"]);
    let strip = |v: &[u8]| {
        let mut v: Value = serde_json::from_slice(v).unwrap();
        v["scenario_sha256"] = Value::Null;
        v
    };
    assert_eq!(strip(&o.stdout), strip(&without.stdout));
}
