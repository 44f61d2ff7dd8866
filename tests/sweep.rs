//! `wfmsim sweep` as a planner runs it: each point is the run of its
//! overrides, judged as `check` judges it, the cheapest point meeting
//! every target marked; the points cap; the same bytes whatever the
//! thread count.

use crate::common::{refused, stderr, stdout, wfmsim};
use serde_json::Value;

const DAY: &str = "scenarios/single-queue-day.toml";

#[test]
fn each_point_is_the_run_of_its_overrides_and_the_cheapest_meeting_every_target_is_marked() {
    let o = wfmsim(&[
        "sweep",
        DAY,
        "--vary",
        "team.Dallas.shift[0].agents=-6:+0:2",
        "--vary",
        "team.Dallas.shift[1].agents=-6:+0:2",
        "--replications",
        "20",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["sweep_version"], 1);
    let points = doc["points"].as_array().unwrap();
    assert_eq!(points.len(), 16);
    assert_eq!(points[1]["values"], serde_json::json!(["-6", "-4"]));
    for p in points {
        let overrides: Vec<&str> = p["overrides"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let mut args = vec!["--replications", "20"];
        for o in &overrides {
            args.extend(["--set", o]);
        }
        // The same KPIs as `run` with the same overrides (same seed).
        let mut run = vec!["run", DAY, "--format", "json", "--detail", "horizon"];
        run.extend(&args);
        let r = wfmsim(&run);
        let report: Value = serde_json::from_slice(&r.stdout).unwrap();
        assert_eq!(p["queues"], report["queues"], "{overrides:?}");
        assert_eq!(p["cost"], report["all_teams"][0]["cost"]);
        // The same verdict as `check`.
        let mut check = vec!["check", DAY];
        check.extend(&args);
        let c = wfmsim(&check);
        assert_eq!(p["targets_met"].as_bool().unwrap(), c.status.success(), "{overrides:?}: {}", stdout(&c));
    }
    let met: Vec<&Value> = points.iter().filter(|p| p["targets_met"] == true).collect();
    assert!(!met.is_empty() && met.len() < points.len(), "some points meet every target, some do not");
    let least = met.iter().map(|p| p["cost"].as_f64().unwrap()).fold(f64::INFINITY, f64::min);
    let first = met.iter().find(|p| p["cost"].as_f64().unwrap() == least).unwrap();
    assert_eq!(doc["cheapest"], first["point"]);
    let marked: Vec<&Value> = points.iter().filter(|p| p["cheapest"] == true).collect();
    assert_eq!(marked, [*first]);
    assert_eq!(doc["cheapest_by"], "cost");
}

#[test]
fn the_table_stars_the_cheapest_point_and_says_so() {
    let o = wfmsim(&["sweep", DAY, "--vary", "team.Dallas.agents=-1:+1:1", "--replications", "10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let starred: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("* ")).collect();
    assert_eq!(starred.len(), 1, "{text}");
    assert!(starred[0].trim_start().starts_with("* 2 "), "{text}");
    assert!(text.contains("Cheapest point meeting every target: 2 (team.Dallas.agents=+0), cost "), "{text}");
}

#[test]
fn a_sweep_past_the_cap_needs_yes_and_runs_nothing() {
    let e = refused(&["sweep", DAY, "--vary", "volume=0.5:1.5:0.05", "--vary", "team.Dallas.agents=+0:+20:1"]);
    assert_eq!(e, "the sweep has 441 points (21 × 21); more than 400 run only with --yes\n");
    let e = refused(&["sweep", DAY, "--vary", "volume=0.001:100:0.0001"]);
    assert!(e.contains("has 999991 values; allowed: at most 100000"), "{e}");
}

#[test]
fn bad_paths_and_values_in_vary_are_refused_before_anything_runs() {
    let e = refused(&["sweep", DAY, "--vary", "team.Dalas.agents=+0:+2:1"]);
    assert_eq!(
        e,
        "scenarios/single-queue-day.toml: --vary team.Dalas.agents=+0:+2:1 (at +0): no such path in the scenario; nearest: team.Dallas.agents, team.Dallas.name, team.Dallas.skills\n"
    );
    let e = refused(&["sweep", DAY, "--vary", "team.Dallas.agents=-4:+0:4"]);
    assert!(
        e.contains("--vary team.Dallas.agents=-4:+0:4 (at -4): team.Dallas.shift[2].agents: -1 is out of range"),
        "{e}"
    );
    let e = refused(&["sweep", DAY, "--vary", "volume=1.2:0.8:0.1"]);
    assert!(e.contains("allowed: STEP more than 0 and FROM at most TO"), "{e}");
    let e = refused(&["sweep", DAY, "--vary", "volume=0.9:1.1:0.1", "--set", "volume=cheap"]);
    assert!(e.contains("--set volume=cheap: \"cheap\" is not a number"), "{e}");
}

#[test]
fn a_sweep_gives_the_same_bytes_whatever_the_thread_count() {
    for format in ["json", "csv", "table"] {
        let sweep = |threads: &str| {
            let o = wfmsim(&[
                "sweep",
                "scenarios/follow-the-sun-week.toml",
                "--vary",
                "volume=0.9:1.0:0.1",
                "--vary",
                "queue.support-de.split.Manila BPO=0:0.2:0.2",
                "--replications",
                "4",
                "--threads",
                threads,
                "--format",
                format,
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            o.stdout
        };
        let one = sweep("1");
        assert_eq!(one, sweep("2"), "{format}");
        if format == "csv" {
            let text = String::from_utf8(one).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert!(
                lines[0].starts_with("point,volume,queue.support-de.split.Manila BPO,targets_met,"),
                "{}",
                lines[0]
            );
            // Two queues at the points without a split, three with one.
            assert_eq!(lines.len(), 1 + 2 + 3 + 2 + 3);
            assert!(lines[5].contains(",support-de@Manila BPO,voice,"), "{}", lines[5]);
        }
    }
}

#[test]
fn the_guide_shows_what_sweep_prints() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/src/sweeps.md")).unwrap();
    let (a, b) = ("team.Dallas.shift[0].agents=-6:+0:2", "team.Dallas.shift[1].agents=-6:+0:2");
    let o = wfmsim(&["sweep", DAY, "--vary", a, "--vary", b]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = format!("$ wfmsim sweep {DAY} --vary '{a}' --vary '{b}'\n{}", stdout(&o));
    assert!(page.contains(&shown), "docs/src/sweeps.md's sweep example is out of date; it prints:\n{shown}");
}
