//! The `wfmsim` binary as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn wfmsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfmsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("wfmsim runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

fn shipped_scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "scenarios/ ships at least three examples");
    files
}

/// A scratch directory unique to one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wfmsim-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_shipped_scenario_validates_and_runs_end_to_end() {
    for path in shipped_scenarios() {
        let p = path.to_str().unwrap();
        let v = wfmsim(&["validate", p]);
        assert!(v.status.success(), "{p}: {}", stderr(&v));
        assert!(stdout(&v).contains(": ok ("), "{}", stdout(&v));

        let table = wfmsim(&["run", p, "--replications", "4"]);
        assert!(table.status.success(), "{p}: {}", stderr(&table));
        assert!(stdout(&table).contains("service level"), "{}", stdout(&table));

        let json = wfmsim(&["run", p, "--replications", "4", "--format", "json"]);
        assert!(json.status.success(), "{p}: {}", stderr(&json));
        let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
        assert_eq!(doc["schema_version"], 1);
        assert_eq!(doc["replications"], 4);
        let queues = doc["queues"].as_array().unwrap();
        assert!(!queues.is_empty());
        for q in queues {
            let offered = q["horizon"]["offered"]["mean"].as_f64().unwrap();
            assert!(offered > 0.0, "{p}: nothing offered");
            let days = q["days"].as_array().unwrap();
            let sum: f64 = days.iter().map(|d| d["offered"]["mean"].as_f64().unwrap()).sum();
            assert!((sum - offered).abs() < 1e-6 * offered, "{p}: days add up to the horizon");
        }
    }
}

#[test]
fn the_dst_scenario_has_a_25_hour_day() {
    let o = wfmsim(&["run", "scenarios/dst-fall-back-day.toml", "--replications", "2", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let intervals = doc["queues"][0]["intervals"].as_array().unwrap();
    assert_eq!(intervals.len(), 50);
    assert_eq!(intervals[2]["start"], "2026-11-01T01:00:00-04:00");
    assert_eq!(intervals[4]["start"], "2026-11-01T01:00:00-05:00");
}

#[test]
fn same_seed_gives_identical_bytes_whatever_the_thread_count() {
    for format in ["json", "csv", "table"] {
        let run = |threads: &str| {
            let o = wfmsim(&[
                "run",
                "scenarios/follow-the-sun-week.toml",
                "--replications",
                "6",
                "--seed",
                "9",
                "--threads",
                threads,
                "--format",
                format,
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            o.stdout
        };
        let one = run("1");
        assert_eq!(one, run("3"), "{format}: 1 vs 3 threads");
        assert_eq!(one, run("2"), "{format}: 1 vs 2 threads");
    }
}

#[test]
fn another_seed_gives_other_results() {
    let run = |seed: &str| {
        wfmsim(&["run", "scenarios/single-queue-day.toml", "--replications", "3", "--seed", seed, "--format", "csv"])
            .stdout
    };
    assert_ne!(run("1"), run("2"));
}

#[test]
fn output_file_is_written_whole_and_matches_stdout() {
    let dir = scratch("output");
    let out = dir.join("report.csv");
    let o = wfmsim(&[
        "run",
        "scenarios/single-queue-day.toml",
        "--replications",
        "3",
        "--format",
        "csv",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    let printed =
        stdout(&wfmsim(&["run", "scenarios/single-queue-day.toml", "--replications", "3", "--format", "csv"]));
    assert_eq!(written, printed);
    assert_eq!(written.lines().count(), 1 + 48, "a header and one row per interval");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("report.csv")], "no temporary file left behind");
}

#[test]
fn an_unwritable_output_fails_with_exit_1_and_leaves_nothing() {
    let dir = scratch("unwritable");
    let out = dir.join("no-such-dir").join("report.json");
    let o =
        wfmsim(&["run", "scenarios/single-queue-day.toml", "--replications", "2", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("could not write report"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn bad_scenarios_exit_2_with_every_problem_and_its_place() {
    let dir = scratch("bad");
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[scenario]\nname = \"x\"\nstart = \"2026-11-23\"\ndays = 1\ninterval_minutes = 20\ntimezone = \"Nowhere/City\"\n\
         [[queue]]\nname = \"q\"\nhandle_time = { distribution = \"exponential\", mean_s = 60 }\narrivals = { rate_per_hour = 10 }\n\
         [[team]]\nname = \"T\"\nskills = [\"q\"]\nagents = 1\n",
    )
    .unwrap();
    let b = bad.to_str().unwrap();
    for args in [vec!["validate", b], vec!["run", b]] {
        let o = wfmsim(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(&format!("{b}:5:20: scenario.interval_minutes: 20 is not an interval")), "{err}");
        assert!(
            err.contains(&format!("{b}:6:12: scenario.timezone: \"Nowhere/City\" is not a known time zone")),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_missing_scenario_file_exits_2() {
    let o = wfmsim(&["run", "scenarios/does-not-exist.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("scenarios/does-not-exist.toml: could not read the scenario"), "{}", stderr(&o));
}

#[test]
fn intervals_flag_lists_every_interval() {
    let o = wfmsim(&["run", "scenarios/single-queue-day.toml", "--replications", "2", "--intervals"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("2026-11-23 23:30 -05:00"), "{text}");
}
