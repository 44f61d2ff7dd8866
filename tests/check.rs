//! `wfmsim check` as a CI job runs it: verdicts, exit codes, JUnit,
//! Markdown and baselines. Fixed seeds throughout: every verdict here is
//! the same on every run.

use std::path::{Path, PathBuf};

use crate::common::{shipped_scenarios, stderr, stdout, wfmsim};
use serde_json::Value;

fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("check", name)
}

const SINGLE: &str = "scenarios/single-queue-day.toml";
const DST: &str = "scenarios/dst-fall-back-day.toml";

/// `single-queue-day` with fewer agents on its day shifts, written to `dir`.
fn understaffed(dir: &Path) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SINGLE)).unwrap();
    let text = text.replace("agents = 16", "agents = 9").replace("agents = 14", "agents = 8");
    let path = dir.join("understaffed.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// The KPI key and whether it must be at least the target, for a target key.
fn kpi_of(target: &str) -> (&'static str, bool) {
    match target {
        "service_level" => ("service_level", true),
        "max_asa_s" => ("asa_s", false),
        "max_abandon" => ("abandon_rate", false),
        "max_occupancy" => ("occupancy", false),
        "max_backlog" => ("peak_backlog", false),
        other => panic!("unknown target {other}"),
    }
}

/// Whether a `run --format json` report meets every target on the mean,
/// horizon and days, pending periods aside: the verdict `check` must give.
fn report_meets_targets(report: &Value) -> bool {
    report["queues"].as_array().unwrap().iter().all(|q| {
        let periods = std::iter::once(&q["horizon"]).chain(q["periods"].as_array().unwrap());
        periods.filter(|p| p["pending"] != true).all(|p| {
            p["targets"].as_object().unwrap().iter().all(|(key, t)| {
                let (kpi, at_least) = kpi_of(key);
                let Some(mean) = p[kpi]["mean"].as_f64() else { return true };
                let target = t["target"].as_f64().unwrap();
                if at_least {
                    mean >= target
                } else {
                    mean <= target
                }
            })
        })
    })
}

#[test]
fn every_shipped_scenario_passes_or_fails_as_its_run_report_says() {
    let mut verdicts = Vec::new();
    for path in shipped_scenarios() {
        let p = path.to_str().unwrap();
        let run = wfmsim(&["run", p, "--format", "json"]);
        assert!(run.status.success(), "{p}: {}", stderr(&run));
        let expected = report_meets_targets(&serde_json::from_slice(&run.stdout).unwrap());
        let check = wfmsim(&["check", p]);
        assert_eq!(check.status.code(), Some(if expected { 0 } else { 1 }), "{p}: {}", stdout(&check));
        verdicts.push((path.file_name().unwrap().to_str().unwrap().to_string(), expected));
    }
    // What the shipped scenarios do today: the rostered week has shift
    // rules and no shifts (it is for `schedule`), the two multi-site weeks
    // miss some days; the plan's week has agents on duty around the clock.
    let passing: Vec<&str> = verdicts.iter().filter(|v| v.1).map(|v| v.0.as_str()).collect();
    assert_eq!(passing, ["dst-fall-back-day.toml", "plan-2027.toml", "single-queue-day.toml"]);
}

#[test]
fn an_understaffed_scenario_exits_1_naming_scenario_queue_period_kpi_value_and_target() {
    let dir = scratch("understaffed");
    let path = understaffed(&dir);
    let o = wfmsim(&["check", &path, "--replications", "20"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.contains("missed:") && l.contains("2026-11-23") && l.contains("service level"))
        .unwrap_or_else(|| panic!("no missed day:\n{out}"));
    assert!(line.contains("Support EN, one weekday"), "{line}");
    assert!(line.contains("queue support-en"), "{line}");
    assert!(line.contains("< 80.0%"), "{line}");
    assert!(out.lines().any(|l| l.contains("missed:") && l.contains("horizon")), "{out}");
    assert!(out.starts_with("wfmsim check: 1 scenario(s)"), "{out}");
    assert!(out.contains("FAIL  Support EN, one weekday"), "{out}");
    assert!(stderr(&o).contains("check failed:"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("baseline"), "no baseline was given: {}", stderr(&o));

    let json = wfmsim(&["check", &path, "--replications", "20", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["passed"], false);
    let s = &v["scenarios"][0];
    assert_eq!(s["scenario"], "Support EN, one weekday");
    let missed: Vec<&Value> = s["targets"].as_array().unwrap().iter().filter(|t| t["met_on_mean"] == false).collect();
    let sl = missed.iter().find(|t| t["target"]["key"] == "service_level" && t["period"]["label"] == "2026-11-23");
    let sl = sl.expect("the day's service level is missed");
    assert_eq!(sl["queue"], "support-en");
    assert_eq!(sl["target"]["kpi"], "service_level");
    assert_eq!(sl["target"]["bound"], "at_least");
    assert_eq!(sl["target"]["value"], 0.8);
    assert!(sl["value"].as_f64().unwrap() < 0.8);
}

#[test]
fn a_confidence_stricter_than_the_mean_fails_where_the_mean_passes() {
    // The fall-back night's billing line abandons 6.6% on average (target
    // 8%), at most 8% in 91% of replications.
    let on_mean = wfmsim(&["check", DST]);
    assert_eq!(on_mean.status.code(), Some(0), "{}", stdout(&on_mean));
    assert_eq!(wfmsim(&["check", DST, "--confidence", "0.9"]).status.code(), Some(0));
    let strict = wfmsim(&["check", DST, "--confidence", "0.95"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stdout(&strict));
    let out = stdout(&strict);
    assert!(out.contains("in at least 95.0% of replications"), "{out}");
    assert!(
        out.contains("queue billing, horizon: abandon rate 6.6% <= 8.0% (met in 91% of replications, 95% required)"),
        "{out}"
    );
}

/// The start tags, end tags and self-closing tags of an XML document, in
/// order, checked to nest; panics on a malformed document.
fn xml_elements(doc: &str) -> Vec<(String, Vec<(String, String)>)> {
    let body = doc.strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").expect("an XML declaration");
    let mut open: Vec<String> = Vec::new();
    let mut elements = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find('<') {
        assert!(!rest[..at].contains(['<', '>']), "stray markup: {}", &rest[..at]);
        let end = rest[at..].find('>').expect("a closed tag") + at;
        let tag = &rest[at + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "tags nest");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name = tag.split_whitespace().next().unwrap().to_string();
        let attrs = attributes(&tag[name.len()..]);
        if !self_closing {
            open.push(name.clone());
        }
        elements.push((name, attrs));
    }
    assert!(open.is_empty() && rest.trim().is_empty(), "unclosed: {open:?}");
    elements
}

/// `name="value"` pairs, as written.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (name, after) = rest.split_once("=\"").expect("name=\"value\"");
        let (value, after) = after.split_once('"').expect("a closing quote");
        assert!(!value.contains('<'), "{value}");
        out.push((name.trim().to_string(), value.to_string()));
        rest = after.trim();
    }
    out
}

fn attr<'a>(e: &'a (String, Vec<(String, String)>), name: &str) -> &'a str {
    &e.1.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{} has no {name}", e.0)).1
}

#[test]
fn junit_has_a_test_case_per_scenario_queue_and_target_and_a_failure_per_target_missed() {
    let dir = scratch("junit");
    let junit = dir.join("check.xml");
    let scenarios = ["scenarios/follow-the-sun-week.toml", DST, SINGLE];
    let mut args = vec!["check", "--replications", "30", "--format", "json", "--junit", junit.to_str().unwrap()];
    args.extend(scenarios);
    let o = wfmsim(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let verdict: Value = serde_json::from_slice(&o.stdout).unwrap();
    let (mut cases, mut failing) = (0, 0);
    for s in verdict["scenarios"].as_array().unwrap() {
        let mut keys: Vec<(String, String, bool)> = Vec::new();
        for t in s["targets"].as_array().unwrap() {
            let key = (t["queue"].to_string(), t["target"]["key"].to_string());
            let met = t["met_on_mean"] == true;
            match keys.iter_mut().find(|k| (&k.0, &k.1) == (&key.0, &key.1)) {
                Some(k) => k.2 &= met,
                None => keys.push((key.0, key.1, met)),
            }
        }
        cases += keys.len();
        failing += keys.iter().filter(|k| !k.2).count();
    }
    assert!(failing > 0 && failing < cases, "{failing} of {cases}");

    let doc = std::fs::read_to_string(&junit).unwrap();
    let elements = xml_elements(&doc);
    let count = |name: &str| elements.iter().filter(|e| e.0 == name).count();
    assert_eq!(count("testsuites"), 1);
    assert_eq!(count("testsuite"), scenarios.len());
    assert_eq!(count("testcase"), cases);
    assert_eq!(count("failure"), failing);
    assert_eq!(attr(&elements[0], "tests"), cases.to_string());
    assert_eq!(attr(&elements[0], "failures"), failing.to_string());
    let suites: Vec<_> = elements.iter().filter(|e| e.0 == "testsuite").collect();
    assert_eq!(attr(suites[0], "name"), "Follow the sun, one week");
    assert_eq!(attr(suites[2], "failures"), "0");
    let case = elements.iter().find(|e| e.0 == "testcase").unwrap();
    assert_eq!(attr(case, "classname"), "Follow the sun, one week.support-en");
    assert_eq!(attr(case, "name"), "service_level");
    assert!(doc.contains("missed in "), "{doc}");
}

#[test]
fn markdown_is_a_job_summary_with_a_row_per_scenario_and_per_target_missed() {
    let dir = scratch("markdown");
    let path = understaffed(&dir);
    let o = wfmsim(&["check", SINGLE, &path, "--replications", "20", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.starts_with("# wfmsim check: failed\n\nTargets judged on the mean, on the horizon and each day"),
        "{md}"
    );
    assert!(md.contains("| scenario | file | target checks | missed | regressed | verdict |"), "{md}");
    assert!(md.contains(&format!("| Support EN, one weekday | {SINGLE} | 8 | 0 | - | PASS |")), "{md}");
    assert!(
        md.contains("\n## Targets missed\n\n| scenario | queue | period | KPI | value | target | met in |"),
        "{md}"
    );
    let row = md.lines().find(|l| l.contains("| horizon | service level |")).expect("the horizon's service level");
    assert!(row.starts_with("| Support EN, one weekday | support-en | horizon | service level | "), "{row}");
    assert!(row.contains("| ≥ 80.0% |"), "{row}");
    let passing = wfmsim(&["check", SINGLE, "--replications", "20", "--format", "markdown"]);
    assert_eq!(passing.status.code(), Some(0));
    assert!(stdout(&passing).starts_with("# wfmsim check: passed"), "{}", stdout(&passing));
    assert!(!stdout(&passing).contains("## Targets missed"));
}

#[test]
fn a_scenario_passes_against_its_own_baseline_even_on_other_random_numbers() {
    let dir = scratch("own-baseline");
    let base = dir.join("base.json");
    let run = wfmsim(&["run", SINGLE, "--format", "json", "--output", base.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    for seed in ["42", "7", "1234"] {
        let o = wfmsim(&["check", SINGLE, "--seed", seed, "--baseline", base.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "seed {seed}: {}", stdout(&o));
        assert!(stdout(&o).contains("4 KPI(s) compared, 0 regressed"), "{}", stdout(&o));
    }
}

#[test]
fn a_worse_scenario_fails_against_its_baseline_naming_the_kpi() {
    let dir = scratch("worse");
    let base = dir.join("base.json");
    assert!(wfmsim(&["run", SINGLE, "--format", "json", "-o", base.to_str().unwrap()]).status.success());
    let b = base.to_str().unwrap();
    let o = wfmsim(&["check", SINGLE, "--volume-scale", "1.15", "--baseline", b]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let line = out.lines().find(|l| l.contains("regressed: ") && l.contains("service level")).expect("SL regressed");
    assert!(
        line.starts_with("  regressed: Support EN, one weekday: queue support-en: service level 92.6% -> "),
        "{line}"
    );
    assert!(line.contains("tolerance 2.0 pp, p = 0.000)"), "{line}");
    // A looser tolerance lets the same change through.
    let loose = wfmsim(&[
        "check",
        SINGLE,
        "--volume-scale",
        "1.15",
        "--baseline",
        b,
        "--tolerance",
        "20pp",
        "--tolerance",
        "200%",
    ]);
    assert!(!stdout(&loose).contains("regressed: "), "{}", stdout(&loose));

    let json = wfmsim(&["check", SINGLE, "--volume-scale", "1.15", "--baseline", b, "--format", "json"]);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    let changes = v["scenarios"][0]["baseline"]["changes"].as_array().unwrap();
    let sl = changes.iter().find(|c| c["kpi"] == "service_level").unwrap();
    assert_eq!(sl["regressed"], true);
    assert!(sl["worse_by"].as_f64().unwrap() > 0.02 && sl["p_value"].as_f64().unwrap() < 0.05);
    assert_eq!(v["tolerance"]["share_points"], 0.02);
}

#[test]
fn a_baseline_of_another_scenario_or_schema_is_bad_input_naming_both() {
    let dir = scratch("other-baseline");
    let base = dir.join("base.json");
    assert!(wfmsim(&["run", SINGLE, "--format", "json", "-o", base.to_str().unwrap()]).status.success());
    let o = wfmsim(&["check", DST, "--baseline", base.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a report of scenario \"Support EN, one weekday\", not of \"Fall-back night, New York\""),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty(), "nothing runs before the baseline is read");

    let text = std::fs::read_to_string(&base).unwrap().replacen("\"schema_version\": 3", "\"schema_version\": 2", 1);
    let old = dir.join("old.json");
    std::fs::write(&old, text).unwrap();
    let o = wfmsim(&["check", SINGLE, "--baseline", old.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a report of schema_version 2, this wfmsim writes 3"), "{}", stderr(&o));

    std::fs::write(&old, "{\"format\": \"wfmsim-partial-1\"}").unwrap();
    let o = wfmsim(&["check", SINGLE, "--baseline", old.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a `wfmsim run --format json` report"), "{}", stderr(&o));
}

#[test]
fn bad_flags_are_bad_input() {
    let two = wfmsim(&["check", SINGLE, DST, "--baseline", "scenarios/x.json"]);
    assert_eq!(two.status.code(), Some(2));
    assert!(stderr(&two).contains("give one per scenario, in the same order (2 scenario(s), 1 baseline(s))"));
    let tol = wfmsim(&["check", SINGLE, "--tolerance", "2"]);
    assert_eq!(tol.status.code(), Some(2));
    assert!(stderr(&tol).contains("\"2\" is not a tolerance"), "{}", stderr(&tol));
    assert_eq!(wfmsim(&["check", SINGLE, "--update-baseline"]).status.code(), Some(2));
    assert_eq!(wfmsim(&["check", "scenarios/examples/broken.toml"]).status.code(), Some(2));
}

#[test]
fn update_baseline_writes_a_report_that_later_passes() {
    let dir = scratch("update");
    let base = dir.join("base.json");
    let b = base.to_str().unwrap();
    let o = wfmsim(&["check", SINGLE, "--replications", "40", "--baseline", b, "--update-baseline"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&std::fs::read(&base).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 3);
    assert_eq!(report["replications"], 40);
    let run = wfmsim(&["run", SINGLE, "--replications", "40", "--format", "json"]);
    assert_eq!(std::fs::read(&base).unwrap(), run.stdout, "the baseline is the run's JSON report");
    let again = wfmsim(&["check", SINGLE, "--replications", "40", "--seed", "5", "--baseline", b]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "written atomically, no temporary left: {leftovers:?}");
}

#[test]
fn the_guide_shows_what_check_prints() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/src/ci-gate.md")).unwrap();
    let o = wfmsim(&["check", SINGLE, DST, "--confidence", "0.95"]);
    assert_eq!(o.status.code(), Some(1));
    let shown = format!("$ wfmsim check {SINGLE} {DST} --confidence 0.95  # exits 1\n{}{}", stdout(&o), stderr(&o));
    assert!(page.contains(&shown), "docs/src/ci-gate.md's check example is out of date; it prints:\n{shown}");
}

/// `check --staff` staffs each scenario as `staff` does and fails it when
/// an interval finds no level up to the cap of agents (the requirement's
/// totals would be too low), listing each such interval in every format.
#[test]
fn staff_fails_a_scenario_whose_staffing_hits_the_cap_of_agents() {
    let dir = scratch("staff");
    let junit = dir.join("check.xml");
    let capped = ["check", SINGLE, "--replications", "5", "--staff", "--max-agents", "8"];
    let o = wfmsim(&capped);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    let lines =
        text.lines().filter(|l| l.starts_with("  capped: Support EN, one weekday: queue support-en, 2026-11-23 "));
    let n = lines.count();
    let staff = wfmsim(&["staff", SINGLE, "--replications", "5", "--max-agents", "8", "--format", "json"]);
    let plan: Value = serde_json::from_slice(&staff.stdout).unwrap();
    assert!(n > 0 && plan["capped_intervals"] == n, "{n} {text}");
    assert!(text.contains(&format!("  staffing: {n} interval(s) or deferred day(s) found no level")), "{text}");
    assert!(stderr(&o).contains(&format!("0 target check(s) missed, {n} interval(s) staffed at the cap")));
    let json = wfmsim(&[&capped[..], &["--format", "json", "--junit", junit.to_str().unwrap()]].concat());
    let verdict: Value = serde_json::from_slice(&json.stdout).unwrap();
    let listed = verdict["scenarios"][0]["staffing"]["capped"].as_array().unwrap();
    assert_eq!(listed.len(), n);
    assert!(listed[0]["reason"].as_str().unwrap().starts_with("no level up to the cap of 8 agents"));
    let doc = std::fs::read_to_string(&junit).unwrap();
    let case = xml_elements(&doc).into_iter().find(|e| e.0 == "testcase" && attr(e, "name") == "staffing");
    assert!(case.is_some() && doc.contains("found no level up to the cap"), "{doc}");
    let md = stdout(&wfmsim(&[&capped[..], &["--format", "markdown"]].concat()));
    assert!(md.contains("## Staffing capped (totals too low)"), "{md}");
    let fine = wfmsim(&["check", SINGLE, "--replications", "5", "--staff"]);
    assert_eq!(fine.status.code(), Some(0), "{}", stdout(&fine));
    assert!(stdout(&fine).contains("  staffing: every interval staffed within the cap of agents\n"));
    assert_eq!(wfmsim(&["check", SINGLE, "--max-agents", "8"]).status.code(), Some(2), "--max-agents needs --staff");
}
