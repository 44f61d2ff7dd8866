//! `wfmsim compare A B` as a planner runs it: a scenario against itself
//! gives exactly zero, a known change gives a paired interval far
//! narrower than two separate runs', the output does not depend on the
//! thread count, queues and teams only one side has are listed, and
//! scenarios that cannot be paired are bad input.

use std::path::{Path, PathBuf};

use crate::common::{stderr, stdout, wfmsim};
use serde_json::Value;

const SINGLE: &str = "scenarios/single-queue-day.toml";
const OMNI: &str = "scenarios/omnichannel-week.toml";
/// `single-queue-day` with one more agent on the 10:00 shift (14 → 15,
/// 8.5 paid hours more).
const ONE_MORE: &str = "scenarios/examples/one-more-agent.toml";

/// `base` with `edit` applied to its text, written to a scratch directory
/// as `name`.
fn variant_of(base: &str, name: &str, edit: impl Fn(String) -> String) -> String {
    let dir: PathBuf = crate::common::scratch("compare", name);
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(base)).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, edit(text)).unwrap();
    path.to_str().unwrap().to_string()
}

/// `single-queue-day` with `edit` applied.
fn variant(name: &str, edit: impl Fn(String) -> String) -> String {
    variant_of(SINGLE, name, edit)
}

fn json(args: &[&str]) -> Value {
    let o = wfmsim(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

/// Every span of every queue: the horizon, then each period.
fn spans(queue: &Value) -> impl Iterator<Item = &Value> {
    std::iter::once(&queue["horizon"]).chain(queue["periods"].as_array().unwrap())
}

#[test]
fn a_scenario_against_itself_differs_by_exactly_zero_with_intervals_of_no_width() {
    let doc = json(&["compare", OMNI, OMNI, "--replications", "8", "--format", "json"]);
    let mut compared = 0;
    for q in doc["queues"].as_array().unwrap() {
        for span in spans(q) {
            for (key, d) in span.as_object().unwrap().iter().filter(|(_, d)| d.get("difference").is_some()) {
                assert_eq!(d["difference"], 0.0, "{} {key}", q["name"]);
                assert_eq!(d["ci95"], serde_json::json!([0.0, 0.0]), "{} {key}", q["name"]);
                assert_eq!(d["significant"], false);
                assert_eq!(d["a"], d["b"]);
                compared += 1;
            }
        }
    }
    // 8 queues, a horizon and 7 days each, 8 to 11 KPIs: every one compared.
    assert!(compared > 8 * 8 * 8, "{compared}");
    for d in doc["teams"].as_array().unwrap().iter().map(|t| &t["horizon"]).chain(doc["all_teams"].as_array().unwrap())
    {
        assert_eq!((&d["paid_hours"]["difference"], &d["cost"]["difference"]), (&0.0.into(), &0.0.into()));
    }
    assert_eq!(doc["only_in_a"], serde_json::json!({"queues": [], "teams": []}));
}

/// The paired interval of a known change is far narrower than the one two
/// separate runs give (their own intervals combined), and the means of A
/// and B are those runs' means: the pairs are the runs' replications.
#[test]
fn a_known_change_gives_a_paired_interval_far_narrower_than_unpaired_runs() {
    let cmp = json(&["compare", SINGLE, ONE_MORE, "--format", "json"]);
    let (run_a, run_b) = (json(&["run", SINGLE, "--format", "json"]), json(&["run", ONE_MORE, "--format", "json"]));
    let half = |s: &Value| (s["ci95"][1].as_f64().unwrap() - s["ci95"][0].as_f64().unwrap()) / 2.0;
    let horizon = &cmp["queues"][0]["horizon"];
    for kpi in ["service_level", "asa_s", "abandon_rate", "occupancy", "answered"] {
        let (a, b) = (&run_a["queues"][0]["horizon"][kpi], &run_b["queues"][0]["horizon"][kpi]);
        let unpaired = (half(a).powi(2) + half(b).powi(2)).sqrt();
        let d = &horizon[kpi];
        assert!(half(d) < unpaired / 3.0, "{kpi}: paired ±{} against unpaired ±{unpaired}", half(d));
        let (mean_a, mean_b) = (a["mean"].as_f64().unwrap(), b["mean"].as_f64().unwrap());
        assert!((d["a"].as_f64().unwrap() - mean_a).abs() <= 1e-9 * mean_a.abs().max(1.0), "{kpi}");
        assert!((d["b"].as_f64().unwrap() - mean_b).abs() <= 1e-9 * mean_b.abs().max(1.0), "{kpi}");
        assert_eq!(d["significant"], true, "{kpi}: {d}");
    }
    assert!(horizon["service_level"]["ci95"][0].as_f64().unwrap() > 0.0, "one more agent answers sooner");
    assert!(horizon["asa_s"]["ci95"][1].as_f64().unwrap() < 0.0);
    // The same callers arrive on both sides: offered differs by nothing.
    assert_eq!(horizon["offered"]["ci95"], serde_json::json!([0.0, 0.0]));
    assert_eq!(horizon["offered"]["significant"], false);
    // 8.5 paid hours more at 32 an hour, exactly.
    let cost = &cmp["all_teams"][0];
    assert_eq!(cost["paid_hours"]["difference"], 8.5);
    assert_eq!(cost["cost"]["difference"], 272.0);
    assert_eq!(cost["cost"]["significant"], true);
}

#[test]
fn every_format_shows_the_difference_and_its_significance() {
    let b = ONE_MORE;
    let o = wfmsim(&["compare", SINGLE, b, "--replications", "20"]);
    let text = stdout(&o);
    let line = text.lines().find(|l| l.trim_start().starts_with("service level")).expect("a service level row");
    assert!(line.contains(" pp  [+") && line.trim_end().ends_with("yes"), "{line}");
    assert!(text.contains("all teams") && text.contains("+272"), "{text}");
    let csv = stdout(&wfmsim(&["compare", SINGLE, b, "--replications", "20", "--format", "csv"]));
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("kind,name,span,label,start,end,partial,measure,a,b,difference,ci95_low,ci95_high,significant,what_ifs")
    );
    let sl = csv.lines().find(|r| r.starts_with("queue,support-en,horizon,") && r.contains(",service_level,")).unwrap();
    assert!(sl.ends_with(",true,"), "{sl}");
    // A horizon and a day, 8 voice KPIs; a team and all teams, paid hours and cost, twice.
    assert_eq!(rows.count(), 2 * 8 + 2 * 2 * 2);
    let md = stdout(&wfmsim(&["compare", SINGLE, b, "--replications", "20", "--format", "markdown"]));
    assert!(md.starts_with("# Support EN, one more agent at 10:00 against Support EN, one weekday\n"), "{md}");
    assert!(md.contains("| service level |") && md.contains("| yes |"), "{md}");
}

#[test]
fn the_comparison_is_the_same_bytes_whatever_the_thread_count() {
    let b = variant_of(OMNI, "omni-more-agents", |t| t.replace("agents = 55", "agents = 60"));
    for format in ["table", "json"] {
        let run = |threads| {
            let args = ["compare", OMNI, &b, "--replications", "9", "--threads", threads, "--format", format];
            let o = wfmsim(&args);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            o.stdout
        };
        assert_eq!(run("1"), run("2"), "{format}");
    }
}

#[test]
fn queues_and_teams_only_one_side_has_are_listed_not_compared() {
    let b = variant("renamed", |t| t.replace("support-en", "support-us").replace("\"Dallas\"", "\"Dallas TX\""));
    let o = wfmsim(&["compare", SINGLE, &b, "--replications", "5"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("Only in A (not compared): queue(s) support-en; team(s) Dallas\n"), "{text}");
    assert!(text.contains("Only in B (not compared): queue(s) support-us; team(s) Dallas TX\n"), "{text}");
    assert!(!text.contains("Queue "), "no queue is compared: {text}");
    let doc = json(&["compare", SINGLE, &b, "--replications", "5", "--format", "json"]);
    assert_eq!(doc["queues"], serde_json::json!([]));
    assert_eq!(doc["all_teams"][0]["cost"]["difference"], 0.0, "the same roster under another name");
}

#[test]
fn scenarios_that_cannot_be_paired_or_read_are_bad_input() {
    let two_days = variant("two-days", |t| t.replace("days = 1", "days = 2"));
    let o = wfmsim(&["compare", SINGLE, &two_days]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert!(
        err.contains("cannot be paired: scenario.days is 1 in A and 2 in B; both must report the same intervals"),
        "{err}"
    );
    let utc = variant("utc", |t| t.replace("timezone = \"America/New_York\"\nwarmup", "timezone = \"UTC\"\nwarmup"));
    let err = stderr(&wfmsim(&["compare", SINGLE, &utc]));
    assert!(err.contains("scenario.timezone is America/New_York in A and UTC in B"), "{err}");
    let o = wfmsim(&["compare", SINGLE, "scenarios/no-such-file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("scenarios/no-such-file.toml: could not read the scenario"), "{}", stderr(&o));
    let o = wfmsim(&["compare", SINGLE]);
    assert_eq!(o.status.code(), Some(2), "B is required");
}

#[test]
fn the_guide_shows_what_compare_prints() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/src/compare.md")).unwrap();
    let o = wfmsim(&["compare", SINGLE, ONE_MORE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let shown = format!("$ wfmsim compare {SINGLE} {ONE_MORE}\n{}", stdout(&o));
    assert!(page.contains(&shown), "docs/src/compare.md's compare example is out of date; it prints:\n{shown}");
}
