//! `--set PATH=VALUE` as a planner uses it: absolute and relative changes,
//! virtual paths, the echo in every report, and the bad input it refuses.

use crate::common::{refused, stderr, stdout, wfmsim};
use serde_json::Value;

const DAY: &str = "scenarios/single-queue-day.toml";
const WEEK: &str = "scenarios/follow-the-sun-week.toml";

/// `run --format json` of `scenario` with `args`, parsed.
fn run_json(scenario: &str, args: &[&str]) -> Value {
    let mut all = vec!["run", scenario, "--format", "json", "--detail", "horizon"];
    all.extend_from_slice(args);
    let o = wfmsim(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

/// A report without its echo of the what-ifs.
fn without_echo(mut doc: Value) -> Value {
    doc.as_object_mut().unwrap().remove("what_ifs");
    doc
}

#[test]
fn a_set_of_a_scale_gives_the_bytes_of_the_scale_flag() {
    let flags = run_json(DAY, &["--replications", "20", "--volume-scale", "1.3", "--aht-scale", "0.9"]);
    let all = run_json(DAY, &["--replications", "20", "--set", "volume=1.3", "--set", "aht=0.9"]);
    let one =
        run_json(DAY, &["--replications", "20", "--set", "queue.support-en.arrivals.scale=1.3", "--set", "aht=*0.9"]);
    let base = run_json(DAY, &["--replications", "20"]);
    assert_ne!(without_echo(base.clone()), without_echo(flags.clone()), "the scales change the run");
    assert_eq!(without_echo(all.clone()), without_echo(flags.clone()));
    assert_eq!(without_echo(one.clone()), without_echo(flags.clone()));
    assert_eq!(
        all["what_ifs"],
        serde_json::json!([{"flag": "set", "value": "volume=1.3"}, {"flag": "set", "value": "aht=0.9"}])
    );
    assert_eq!(flags["what_ifs"][0], serde_json::json!({"flag": "volume-scale", "value": "1.3"}));
}

#[test]
fn absolute_and_relative_sets_change_what_they_name() {
    let base = run_json(DAY, &["--replications", "10"]);
    let absolute = run_json(DAY, &["--replications", "10", "--set", "team.Dallas.cost_per_hour=40"]);
    let relative = run_json(DAY, &["--replications", "10", "--set", "team.Dallas.cost_per_hour=+8"]);
    assert_eq!(without_echo(absolute.clone()), without_echo(relative));
    let team = |doc: &Value, key: &str| doc["teams"][0]["horizon"][key].as_f64().unwrap();
    assert_eq!(team(&base, "cost"), team(&base, "paid_hours") * 32.0);
    assert_eq!(team(&absolute, "cost"), team(&absolute, "paid_hours") * 40.0);
    // The queue's KPIs do not depend on the price.
    assert_eq!(base["queues"], absolute["queues"]);

    // Every shift of the team twice as large: twice the paid hours, a
    // better service level.
    let doubled = run_json(DAY, &["--replications", "10", "--set", "team.Dallas.agents=*2"]);
    assert_eq!(team(&doubled, "paid_hours"), 2.0 * team(&base, "paid_hours"));
    let sl = |doc: &Value| doc["queues"][0]["horizon"]["service_level"]["mean"].as_f64().unwrap();
    assert!(sl(&doubled) > sl(&base), "{} <= {}", sl(&doubled), sl(&base));
    // Nights without agents: fewer paid hours, a worse service level.
    let nights = ["--set", "team.Dallas.shift[2].agents=-3", "--set", "team.Dallas.shift[3].agents=0"];
    let mut args = vec!["--replications", "10"];
    args.extend(nights);
    let short = run_json(DAY, &args);
    assert!(team(&short, "paid_hours") < team(&base, "paid_hours"));
    assert!(sl(&short) < sl(&base));
}

#[test]
fn every_report_echoes_the_overrides() {
    let set = ["--set", "team.Dallas.cost_per_hour=40", "--set", "volume=*1.1", "--replications", "5"];
    let with = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(set);
        let o = wfmsim(&all);
        assert!(o.status.success() || o.status.code() == Some(1), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let echo = "--set team.Dallas.cost_per_hour=40 --set volume=*1.1";
    let table = with(&["run", DAY]);
    assert!(table.lines().nth(1).unwrap().ends_with(&format!("; what-ifs {echo}")), "{table}");
    assert!(with(&["run", DAY, "--format", "markdown"]).contains(&format!("; what-ifs `{echo}`.")));
    let staff: Value = serde_json::from_str(&with(&["staff", DAY, "--format", "json"])).unwrap();
    assert_eq!(staff["what_ifs"][1], serde_json::json!({"flag": "set", "value": "volume=*1.1"}));
    assert!(with(&["staff", DAY]).contains(echo));
    assert!(with(&["check", DAY]).contains(&format!("seed 42, {echo}")));
    // CSV: the last column of every row, so a sheet says what it holds
    // (behind an apostrophe: a cell starting with `-` is a formula to a
    // spreadsheet).
    let sweep = ["sweep", DAY, "--vary", "aht=0.9:1:0.1"];
    for args in [&["run", DAY][..], &["staff", DAY], &["compare", DAY, DAY], &sweep] {
        let command = args[0];
        let csv = with(&[args, &["--format", "csv"]].concat());
        let mut lines = csv.lines();
        assert!(lines.next().unwrap().ends_with(",what_ifs"), "{command}: {csv}");
        assert!(lines.all(|row| row.ends_with(&format!(",'{echo}"))), "{command}: {csv}");
    }
    // A name with a space is quoted, ready to paste into a shell.
    let o = wfmsim(&["run", WEEK, "--replications", "2", "--set", "team.Manila BPO.agents=+1"]);
    assert!(stdout(&o).contains("what-ifs --set 'team.Manila BPO.agents=+1'"), "{}", stdout(&o));
}

#[test]
fn an_unknown_path_names_the_nearest_valid_paths() {
    assert_eq!(
        refused(&["run", WEEK, "--set", "team.Krakw.agents=+2"]),
        "scenarios/follow-the-sun-week.toml: --set team.Krakw.agents=+2: no such path in the scenario; nearest: team.Krakow.agents, team.Austin.agents, team.Krakow.name\n"
    );
    // A key the schema does not have, where the file could add one.
    let e = refused(&["staff", DAY, "--set", "queue.support-en.target.max_asa=30"]);
    assert!(e.contains("nearest: queue.support-en.target.max_asa_s, "), "{e}");
    let e = refused(&["check", DAY, "--set", "volumes=1.2"]);
    assert!(e.contains("--set volumes=1.2: no such path in the scenario; nearest: volume, "), "{e}");
}

#[test]
fn a_value_of_the_wrong_type_is_refused() {
    assert_eq!(
        refused(&["run", DAY, "--set", "team.Dallas.cost_per_hour=cheap"]),
        "scenarios/single-queue-day.toml: --set team.Dallas.cost_per_hour=cheap: team.Dallas.cost_per_hour holds a number; \"cheap\" is not one\n"
    );
    let e = refused(&["run", DAY, "--set", "team.Dallas.agents=+1.5"]);
    assert!(e.contains("holds a whole number; +1.5 would make it a fraction"), "{e}");
    let e = refused(&["run", DAY, "--set", "scenario.timezone=*2"]);
    assert!(e.contains("scenario.timezone holds a string; a relative change (+N, -N, *F) needs a number"), "{e}");
    let e = refused(&["run", DAY, "--set", "team.Dallas.cost_per_hour"]);
    assert!(e.contains("is not PATH=VALUE"), "{e}");
}

#[test]
fn a_value_the_file_may_not_hold_is_refused_naming_the_set() {
    assert_eq!(
        refused(&["run", DAY, "--set", "scenario.interval_minutes=20"]),
        "scenarios/single-queue-day.toml: --set scenario.interval_minutes=20: scenario.interval_minutes: 20 is not an interval; allowed: 15, 30, 60\n"
    );
    let e = refused(&["run", DAY, "--set", "queue.support-en.target.service_level=1.5"]);
    assert!(
        e.contains("--set queue.support-en.target.service_level=1.5: queue.support-en.target.service_level: "),
        "{e}"
    );
    let e = refused(&["run", DAY, "--set", "volume=1e9"]);
    assert!(e.contains("--set volume=1e9: 1000000000 makes queue \"support-en\" peak at"), "{e}");
    // The file's own problems keep their places.
    let e = refused(&["run", "scenarios/examples/broken.toml", "--set", "volume=2"]);
    assert!(e.starts_with("scenarios/examples/broken.toml:5:20: scenario.interval_minutes:"), "{e}");
}

#[test]
fn a_split_moves_a_share_of_a_queue_to_a_copy_the_team_alone_takes() {
    let args = ["--replications", "10"];
    let base = run_json(WEEK, &args);
    let split = run_json(WEEK, &["--replications", "10", "--set", "queue.support-de.split.Manila BPO=0.3"]);
    let names: Vec<&str> = split["queues"].as_array().unwrap().iter().map(|q| q["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["support-en", "support-de", "support-de@Manila BPO"]);
    let offered = |doc: &Value, q: usize| doc["queues"][q]["horizon"]["offered"]["mean"].as_f64().unwrap();
    let whole = offered(&base, 1);
    assert!((offered(&split, 2) / whole - 0.3).abs() < 0.02, "{} of {whole}", offered(&split, 2));
    assert!((offered(&split, 1) / whole - 0.7).abs() < 0.02, "{} of {whole}", offered(&split, 1));
    // English is untouched, and Manila now works German contacts too.
    assert_eq!(base["queues"][0]["horizon"]["offered"], split["queues"][0]["horizon"]["offered"]);
    let busy = |doc: &Value| doc["teams"][2]["horizon"]["busy_hours"]["mean"].as_f64().unwrap();
    assert!(busy(&split) > busy(&base));
    let e = refused(&["run", WEEK, "--set", "queue.support-de.split.Manila BPO=1.2"]);
    assert!(e.contains("allowed: a share from 0 to 1"), "{e}");
}
