//! The hostile pass over the newer features (issue 24): each defect found
//! and the test that guards it (here unless a module is named).
//!
//! | defect | guarded by |
//! | --- | --- |
//! | `volume_cv`, `intraday_cv`, `aht_cv` of 1e-200 panicked, 1e-160 hung, `aht_cv` 1e-160 gave AHTs of 1e33 s | `forecast_cvs_between_0_and_the_least_exact_one_are_refused_with_the_range`, `the_least_cv_and_correlation_allowed_run_with_finite_figures`; `engine::forecast::tests::vanishing_and_huge_cvs_draw_finite_factors_of_mean_one` |
//! | `correlation = 1e-308` with `volume_cv = 2` panicked | the same two; `engine::forecast::tests::a_vanishing_correlation_set_in_code_is_none` |
//! | an event starting in a DST gap inverted its window (a closed queue doubled its calls, aht, outage and holiday did nothing) | `an_event_starting_in_a_dst_gap_starts_when_the_gap_ends` |
//! | sweep values were rounded to the bounds' decimals (`1:1.2:5e-2` ran 1.1 three times) | `a_sweep_step_written_with_an_exponent_runs_each_value_once`; `sweep::tests::a_step_written_with_an_exponent_keeps_its_decimals` |
//! | a baseline CI of ±1e300 panicked `check`; 100,000,000 replications never finished | `a_tampered_baseline_is_refused_naming_the_figure`, `check_with_a_baseline_of_huge_intervals_or_replications_answers_at_once`; `stats::tests::the_t_quantile_of_a_hundred_million_replications_is_cheap_and_accurate`, `stats::tests::welch_answers_for_any_standard_errors` |
//! | merge: a shard count of 4294967295 aborted on 64 GiB, a relabelled shard was reported as 9 replications from 3, negative sums and tally counts of 1e8 were taken | `a_tampered_partial_is_refused_naming_the_file_and_the_figure`, `merge_of_a_partial_claiming_billions_of_shards_or_replications_answers_at_once`; `stats::tally::tests::a_tally_is_checked_against_the_values_it_claims` |
//! | 20,000 overlapping events compiled for over a minute | `twenty_thousand_overlapping_events_are_refused_and_ten_thousand_are_cheap` |
//! | 150 shift rules × 10,080 candidates ran for minutes | `a_team_of_150_rules_of_10080_candidates_is_refused_naming_the_limit` |
//! | a `[plan]` on a 3,660-day scenario ran for minutes | `a_plan_on_a_3660_day_scenario_is_refused_naming_the_limit` |
//! | `staff` on a queue with no target searched for minutes | `staff_on_a_queue_with_no_target_says_there_is_nothing_to_meet` |
//! | the files `check`, `merge` and `schedule` read were not fuzzed | `fuzz/fuzz_targets/{baseline_json,shard_json,requirement_csv}.rs`; tests/fuzz_properties.rs `broken_baselines_partials_and_requirements_are_read_or_refused_never_a_panic` |

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{stderr, wfmsim, wfmsim_within};
use wfmsim::periods::PeriodKind;

/// Long enough for any command here on a slow machine; what "never
/// finished" must fail rather than only slow the suite.
const PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("hardening-new", name)
}

/// A small scenario; `extra` goes before its first queue.
fn scenario(extra: &str) -> String {
    format!(
        r#"[scenario]
name = "s"
start = "2026-11-23"
days = 2
interval_minutes = 60
timezone = "UTC"
replications = 4

{extra}
[[queue]]
name = "a"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
patience = {{ distribution = "exponential", mean_s = 120 }}
target = {{ service_level = 0.8, within_s = 20 }}
arrivals = {{ rate_per_hour = 60 }}

[[queue]]
name = "b"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
arrivals = {{ rate_per_hour = 30 }}

[[team]]
name = "T"
skills = ["a", "b"]
agents = 8
"#
    )
}

fn error_of(text: &str) -> String {
    wfmsim::input::compile(text, "s.toml").err().map(|e| e.to_string()).unwrap_or_else(|| panic!("accepted:\n{text}"))
}

const CV: &str = "0 (none), or a coefficient of variation from 0.001 to 2";

/// CVs of 1e-200 (the gamma's scale underflowed: a panic), 1e-160 (its
/// shape overflowed: a hang, or handle times of 1e33 s) and a correlation
/// of 1e-308 (the shared factor's CV overflowed: a panic) passed
/// validation. A CV is now 0 or at least 0.001, a correlation 0 or at
/// least 0.01, where the gamma draws stay exact.
#[test]
fn forecast_cvs_between_0_and_the_least_exact_one_are_refused_with_the_range() {
    assert_eq!(
        error_of(&scenario("[uncertainty]\nvolume_cv = 1e-200\nintraday_cv = 1e-160\naht_cv = 0.0009\n")),
        format!(
            "s.toml:10:13: uncertainty.volume_cv: 1e-200 is out of range; allowed: {CV}\n\
             s.toml:11:15: uncertainty.intraday_cv: 1e-160 is out of range; allowed: {CV}\n\
             s.toml:12:10: uncertainty.aht_cv: 0.0009 is out of range; allowed: {CV}"
        )
    );
    assert_eq!(
        error_of(&scenario("[uncertainty]\nvolume_cv = 2\ncorrelation = 1e-308\n")),
        "s.toml:11:15: uncertainty.correlation: 1e-308 is out of range; allowed: 0 (none), or from 0.01 to 1 \
         (a shared factor cannot make queues' volumes move apart)"
    );
    let queue = scenario("").replace(
        "arrivals = { rate_per_hour = 30 }",
        "arrivals = { rate_per_hour = 30 }\nuncertainty = { volume_cv = 0.5, aht_cv = 1e-160 }",
    );
    assert_eq!(
        error_of(&queue),
        format!("s.toml:21:43: queue[1].uncertainty.aht_cv: 1e-160 is out of range; allowed: {CV}")
    );
}

/// The corners now allowed (the least CV, the least correlation beside
/// the largest CV) run and report finite figures, their AHT near the
/// scenario's.
#[test]
fn the_least_cv_and_correlation_allowed_run_with_finite_figures() {
    for extra in [
        "[uncertainty]\nvolume_cv = 0.001\nintraday_cv = 0.001\naht_cv = 0.001\n",
        "[uncertainty]\nvolume_cv = 2\ncorrelation = 0.01\naht_cv = 2\n",
        "[uncertainty]\nvolume_cv = 2\ncorrelation = 1\n",
    ] {
        let model = wfmsim::input::compile(&scenario(extra), "s.toml").unwrap().model;
        for r in 0..4 {
            let c = wfmsim::engine::simulate(&model, r);
            for q in 0..2 {
                for cell in c.queue_cells(q) {
                    assert!(cell.handle_s.is_finite() && cell.wait_answered_s.is_finite(), "{extra}: {cell:?}");
                }
            }
        }
    }
    let model = wfmsim::input::compile(&scenario("[uncertainty]\naht_cv = 0.001\n"), "s.toml").unwrap().model;
    let c = wfmsim::engine::simulate(&model, 0);
    let (handled, n) = c.queue_cells(1).iter().fold((0.0, 0u64), |(h, n), c| (h + c.handle_s, n + c.handle_n as u64));
    let aht = handled / n as f64;
    assert!((100.0..300.0).contains(&aht), "AHT {aht} s for a mean of 180 s");
}

/// `BASE`-like scenario in Europe/Berlin on the day it skips 02:00-03:00
/// (2026-03-29), with a shift starting at 03:00 and one event.
fn dst_gap(effect: &str) -> String {
    format!(
        r#"[scenario]
name = "gap"
start = "2026-03-29"
days = 1
interval_minutes = 15
timezone = "Europe/Berlin"

[[queue]]
name = "q"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
arrivals = {{ rate_per_hour = 100 }}

[[team]]
name = "T"
skills = ["q"]

[[team.shift]]
start = "03:00"
hours = 8
agents = 5

[[event]]
name = "e"
start = "2026-03-29T02:30"
end = "2026-03-29T03:10"
{effect}
"#
    )
}

/// An event from 02:30 (inside the hour Berlin skips) to 03:10 was laid
/// from 03:30 (moved forward by the gap) to 03:10: the inverted window
/// doubled a closed queue's calls in 03:15-03:30, and aht, outage and
/// holiday events did nothing. A time in a gap is now the gap's end, so
/// the event holds from 03:00 to 03:10 (01:00-01:10 UTC, 7,200-7,800 s
/// after the day's start at 23:00 UTC).
#[test]
fn an_event_starting_in_a_dst_gap_starts_when_the_gap_ends() {
    let window = wfmsim::model::Window { start_s: 7200.0, end_s: 7800.0 };
    let compile = |effect: &str| wfmsim::input::compile(&dst_gap(effect), "s.toml").unwrap().model;
    for effect in ["closed = [\"q\"]", "volume = 3.0", "aht = 2.0", "outage = [\"T\"]", "holiday = [\"T\"]"] {
        let model = compile(effect);
        assert_eq!(model.events[0].window, window, "{effect}");
        let q = &model.queues[0];
        // The rate segments tile the horizon, none inverted or overlapping.
        for w in q.arrivals.windows(2) {
            assert!(w[0].start_s <= w[0].end_s && w[0].end_s == w[1].start_s, "{effect}: {w:?}");
        }
        let rate = |from: f64, to: f64| q.mean_rate(from, to) * 3600.0;
        let base = 100.0;
        let inside = match effect {
            "closed = [\"q\"]" => 0.0,
            "volume = 3.0" => 300.0,
            _ => base,
        };
        assert!((rate(7200.0, 7800.0) - inside).abs() < 1e-9, "{effect}: {}", rate(7200.0, 7800.0));
        assert!((rate(7800.0, 9000.0) - base).abs() < 1e-9, "{effect}: 03:10-03:30 at {}", rate(7800.0, 9000.0));
        assert!((rate(0.0, 7200.0) - base).abs() < 1e-9, "{effect}");
        let aht = if effect == "aht = 2.0" { 2.0 } else { 1.0 };
        assert_eq!((q.aht_factor(7500.0), q.aht_factor(7100.0), q.aht_factor(7800.0)), (aht, 1.0, 1.0), "{effect}");
        let outages = if effect == "outage = [\"T\"]" { vec![window] } else { vec![] };
        assert_eq!(model.teams[0].outages, outages, "{effect}");
        let shift_at_three = model.shifts.iter().any(|s| s.team == 0 && s.login_s == 7200.0);
        assert_eq!(shift_at_three, effect != "holiday = [\"T\"]", "{effect}: the 03:00 shift");
    }
}

/// `--vary volume=1:1.2:5e-2` ran 1.1 three times (values rounded to the
/// bounds' one decimal); each value now runs once, as written.
#[test]
fn a_sweep_step_written_with_an_exponent_runs_each_value_once() {
    let o = wfmsim(&[
        "sweep",
        "scenarios/single-queue-day.toml",
        "--vary",
        "volume=1:1.2:5e-2",
        "--replications",
        "2",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let values: Vec<&str> =
        text.lines().skip(1).filter(|l| !l.starts_with('#')).filter_map(|l| l.split(',').nth(1)).collect();
    assert_eq!(values, ["1.00", "1.05", "1.10", "1.15", "1.20"], "{text}");
}

/// A `run --format json` report of the single-queue day, as a baseline.
fn baseline(dir: &Path) -> (PathBuf, Value) {
    let path = dir.join("baseline.json");
    let o = wfmsim(&[
        "run",
        "scenarios/single-queue-day.toml",
        "--replications",
        "3",
        "--format",
        "json",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    (path, value)
}

fn read_baseline(v: &Value) -> Result<wfmsim::verdict::Baseline, String> {
    wfmsim::verdict::read_baseline(&v.to_string(), wfmsim::report::run::json::SCHEMA_VERSION).map_err(|e| e.to_string())
}

/// A baseline is a file anyone can edit: a CI of ±1e300 panicked `check`
/// (Welch's degrees of freedom NaN) and 100,000,000 replications never
/// finished (the t quantile). Every figure is checked against what a
/// report can hold, and one that cannot is refused, naming its path.
#[test]
fn a_tampered_baseline_is_refused_naming_the_figure() {
    let (_, good) = baseline(&scratch("baseline"));
    assert!(read_baseline(&good).is_ok());
    let tampered = |edit: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        edit(&mut v);
        read_baseline(&v).unwrap_err()
    };
    let sl = "/queues/0/horizon/service_level";
    assert_eq!(
        tampered(&|v| v["replications"] = json!(100_000_000)),
        "replications: 100000000 replications; allowed: a whole number from 1 to 1000000"
    );
    assert_eq!(
        tampered(&|v| v["replications"] = json!(0)),
        "replications: 0 replications; allowed: a whole number from 1 to 1000000"
    );
    assert_eq!(
        tampered(&|v| *v.pointer_mut(&format!("{sl}/ci95")).unwrap() = json!([-1e300, 1e300])),
        format!(
            "queues[0].horizon.service_level: ci95 [-1e300, 1e300] around mean {}; allowed: an interval holding its mean, from 0 to 1",
            v_at(&good, &format!("{sl}/mean"))
        )
    );
    assert_eq!(
        tampered(&|v| *v.pointer_mut(&format!("{sl}/mean")).unwrap() = json!(-0.5)),
        "queues[0].horizon.service_level: mean -0.5; allowed: a service level from 0 to 1"
    );
    assert_eq!(
        tampered(&|v| {
            *v.pointer_mut(&format!("{sl}/p10")).unwrap() = json!(1.0);
            *v.pointer_mut(&format!("{sl}/p90")).unwrap() = json!(0.5);
        }),
        "queues[0].horizon.service_level: p10 1 above p90 0.5; allowed: p10 at most p90"
    );
    assert!(tampered(&|v| *v.pointer_mut(sl).unwrap() = json!("high")).starts_with(
        "queues[0].horizon.service_level: not a summary (invalid type: string \"high\", expected struct Summary); allowed:"
    ));
    let one = tampered(&|v| v["replications"] = json!(1));
    assert!(
        one.starts_with("queues[0].horizon.")
            && one.ends_with(": a 95% interval from 1 replication; allowed: none (null) below 2 replications"),
        "{one}"
    );
    // A time's interval may be as wide as it likes: the comparison then
    // finds nothing significant rather than panicking.
    let mut wide = good.clone();
    *wide.pointer_mut("/queues/0/horizon/asa_s/ci95").unwrap() = json!([0.0, 1e300]);
    assert!(read_baseline(&wide).is_ok());
}

fn v_at(v: &Value, pointer: &str) -> String {
    let x = v.pointer(pointer).unwrap().as_f64().unwrap();
    wfmsim::diagnostic::shown(x)
}

/// `check` against a baseline whose time intervals run to 1e300 (the
/// comparison's degrees of freedom went NaN: a panic) answers; against
/// one of 100,000,000 replications (the t quantile ran for ever) it is
/// refused at once, with exit 2.
#[test]
fn check_with_a_baseline_of_huge_intervals_or_replications_answers_at_once() {
    let dir = scratch("check-baseline");
    let (path, good) = baseline(&dir);
    let mut wide = good.clone();
    *wide.pointer_mut("/queues/0/horizon/asa_s/ci95").unwrap() = json!([0.0, 1e300]);
    std::fs::write(&path, wide.to_string()).unwrap();
    let check = |path: &Path| {
        wfmsim_within(
            &[
                "check",
                "scenarios/single-queue-day.toml",
                "--replications",
                "3",
                "--baseline",
                path.to_str().unwrap(),
                "--format",
                "json",
            ],
            PATIENCE,
        )
    };
    let o = check(&path);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let verdict: Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes = verdict["scenarios"][0]["baseline"]["changes"].as_array().unwrap();
    let asa = changes.iter().find(|c| c["kpi"] == "asa_s").unwrap();
    assert_eq!((asa["p_value"].as_f64(), asa["regressed"].as_bool()), (Some(1.0), Some(false)), "{asa}");
    let mut many = good.clone();
    many["replications"] = json!(100_000_000u64);
    std::fs::write(&path, many.to_string()).unwrap();
    let o = check(&path);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "--baseline {}: replications: 100000000 replications; allowed: a whole number from 1 to 1000000",
            path.display()
        )),
        "{}",
        stderr(&o)
    );
}

/// Shards `1/n` … `n/n` of a 9-replication run of the single-queue day.
fn shards(dir: &Path, n: u32) -> Vec<(String, Value)> {
    (1..=n)
        .map(|k| {
            let path = dir.join(format!("part-{k}.json"));
            let spec = format!("{k}/{n}");
            let o = wfmsim(&[
                "run",
                "scenarios/single-queue-day.toml",
                "--replications",
                "9",
                "--shard",
                &spec,
                "--output",
                path.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            let text = std::fs::read_to_string(&path).unwrap();
            (format!("part-{k}.json"), serde_json::from_str(&text).unwrap())
        })
        .collect()
}

fn merge(parts: &[(String, Value)]) -> Result<wfmsim::results::Results, String> {
    let texts: Vec<(String, String)> = parts.iter().map(|(n, v)| (n.clone(), v.to_string())).collect();
    wfmsim::merge::merge(&texts, None, PeriodKind::Day).map_err(|e| e.to_string())
}

/// A partial is a file anyone can edit. Each number is checked against
/// what it claims: the shard against the replications it holds, every
/// tally's count against the shard's replications, its sums against its
/// values; one that cannot be is refused, naming the file and the path.
#[test]
fn a_tampered_partial_is_refused_naming_the_file_and_the_figure() {
    let parts = shards(&scratch("partials"), 3);
    assert_eq!(merge(&parts).unwrap().meta.provenance.replications, 9);
    let first = |edit: &dyn Fn(&mut Value)| {
        let mut p = parts[0].clone();
        edit(&mut p.1);
        merge(&[p]).unwrap_err()
    };
    assert_eq!(
        first(&|v| v["shard"] = json!([1, 4_294_967_295u32])),
        "part-1.json: shard: shard 1/4294967295; allowed: K/N with 1 <= K <= N <= 100000"
    );
    // Shard 1 of 3 (replications 0-3) relabelled as the whole run.
    assert_eq!(
        first(&|v| {
            v["shard"] = json!([1, 1]);
            v["replications"] = json!([0, 9]);
        }),
        "part-1.json: tally.queues[0].horizon.n: 3 replications; allowed: 9, the shard's"
    );
    assert_eq!(
        first(&|v| v["tally"]["queues"][0]["horizon"]["kpis"][0]["n"] = json!(100_000_000)),
        "part-1.json: tally.queues[0].horizon.kpis.offered.n: 100000000 values; allowed: at most 3, the shard's"
    );
    let negative = first(&|v| {
        let sum = &mut v["tally"]["queues"][0]["horizon"]["kpis"][0]["sum"];
        *sum = json!(format!("-{}", sum.as_str().unwrap()));
    });
    assert!(
        negative.starts_with("part-1.json: tally.queues[0].horizon.kpis.offered: sum -")
            && negative.ends_with("what its values give; allowed: a tally of the values it counts"),
        "{negative}"
    );
    assert_eq!(
        first(&|v| v["frame"]["queues"][0]["horizon"]["start"] = json!("é")),
        "part-1.json: frame.queues[0].horizon.start: \"é\"; allowed: an RFC 3339 instant"
    );
    assert_eq!(
        first(&|v| v["frame"]["meta"]["replications"] = json!(4_000_000_000u32)),
        "part-1.json: frame.meta.replications: 4000000000 replications; allowed: a whole number from 1 to 1000000"
    );
    let mut all = parts.clone();
    all.truncate(1);
    assert_eq!(merge(&all).unwrap_err(), "shards missing: 2/3, 3/3; merge every shard of the run");
}

/// `merge` of a partial claiming 4294967295 shards aborted on a 64 GiB
/// allocation, and one whose tallies counted 100,000,000 values ran the t
/// quantile for ever: both are refused at once, with exit 2.
#[test]
fn merge_of_a_partial_claiming_billions_of_shards_or_replications_answers_at_once() {
    let dir = scratch("merge-huge");
    let parts = shards(&dir, 1);
    let mut huge = parts[0].1.clone();
    huge["shard"] = json!([1, 4_294_967_295u32]);
    let many_shards = dir.join("shards.json");
    std::fs::write(&many_shards, huge.to_string()).unwrap();
    let mut counted = parts[0].1.clone();
    for kpi in counted["tally"]["queues"][0]["horizon"]["kpis"].as_array_mut().unwrap() {
        kpi["n"] = json!(100_000_000);
    }
    let many_values = dir.join("values.json");
    std::fs::write(&many_values, counted.to_string()).unwrap();
    for (file, says) in [(&many_shards, "shard 1/4294967295"), (&many_values, "100000000 values")] {
        let o = wfmsim_within(&["merge", file.to_str().unwrap()], PATIENCE);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
    }
}

/// `scenario("")` with `events` overlapping events, each closing queue b
/// from 01:00 to 02:00 of the first day and scaling queue a by 1.0001.
fn with_events(events: usize) -> String {
    let mut text = scenario("");
    for k in 0..events {
        let queue = if k % 2 == 0 { "closed = [\"b\"]" } else { "volume = 1.0001\nqueues = [\"a\"]" };
        text += &format!(
            "\n[[event]]\nname = \"e{k}\"\nstart = \"2026-11-23T01:00\"\nend = \"2026-11-23T{:02}:{:02}\"\n{queue}\n",
            2 + k % 20,
            k % 60
        );
    }
    text
}

/// 20,000 overlapping events compiled for over a minute (each split and
/// rescanned every rate segment): more than 10,000 are refused naming the
/// limit, and 10,000 overlapping ones, laid in one pass, compile and run.
#[test]
fn twenty_thousand_overlapping_events_are_refused_and_ten_thousand_are_cheap() {
    let e = error_of(&with_events(10_001));
    assert!(
        e.contains("event[10000]: the scenario has 10001 events; allowed: at most 10000"),
        "{}",
        &e[..e.len().min(400)]
    );
    let dir = scratch("events");
    let file = dir.join("events.toml");
    std::fs::write(&file, with_events(10_000)).unwrap();
    let o = wfmsim_within(&["run", file.to_str().unwrap(), "--replications", "2", "--format", "json"], PATIENCE);
    assert!(o.status.success(), "{}", stderr(&o));
    let model = wfmsim::input::compile(&with_events(10_000), "s.toml").unwrap().model;
    // Queue b is closed over 01:00-02:00 and after, up to the last event's end.
    let b = &model.queues[1];
    assert_eq!(b.mean_rate(3600.0, 7200.0), 0.0);
    assert!((b.mean_rate(0.0, 3600.0) * 3600.0 - 30.0).abs() < 1e-9);
    let a = &model.queues[0];
    let factor = 1.0001f64.powi(5000);
    assert!((a.mean_rate(3600.0, 7200.0) * 3600.0 - 60.0 * factor).abs() < 1e-6 * factor);
}

/// `staff` on a queue with no target "met" it with one agent, and at
/// 100,000 contacts an hour searched behind a queue that only grew for
/// many minutes: it now says at once there is nothing to meet, naming the
/// queue, with exit 2 (and so does `plan`'s requirement, through the
/// same search).
#[test]
fn staff_on_a_queue_with_no_target_says_there_is_nothing_to_meet() {
    let dir = scratch("no-target");
    let file = dir.join("s.toml");
    let text = scenario("").replace("arrivals = { rate_per_hour = 30 }", "arrivals = { rate_per_hour = 100000 }");
    std::fs::write(&file, &text).unwrap();
    for extra in [&[][..], &["--by", "team"][..]] {
        let mut args = vec!["staff", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = wfmsim_within(&args, PATIENCE);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("queue \"b\" has no target, so staffing has nothing to meet; give it a target"),
            "{}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty());
    }
    let model = wfmsim::input::compile(&text, "s.toml").unwrap().model;
    let e = wfmsim::staffing::staff(&model, &wfmsim::staffing::Options::default()).unwrap_err();
    assert!(matches!(e, wfmsim::staffing::StaffingError::NoTarget { ref queue } if queue == "b"), "{e}");
}

/// 150 shift rules of 10,080 candidates each (1.5 million shifts to
/// price and cover) ran for minutes: a team's rules together describe at
/// most 20,000 candidates, and the rule that passes it is named.
#[test]
fn a_team_of_150_rules_of_10080_candidates_is_refused_naming_the_limit() {
    let rules: String = (0..150)
        .map(|k| {
            format!(
                "\n[[team.shift_rule]]\nname = \"r{k}\"\nstarts = {{ from = \"00:00\", to = \"23:59\", every_minutes = 1 }}\nhours = [8]\n"
            )
        })
        .collect();
    let text = scenario("") + &rules;
    let e = error_of(&text);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.contains(
            "team[0].shift_rule[1].starts: with the rules before it the team's rules describe 20160 shifts; \
             allowed: at most 20000 per team"
        ),
        "{e}"
    );
    // One such rule (10,080 candidates) is within the limit.
    let one: String = rules.split("\n[[team.shift_rule]]").take(2).collect::<Vec<_>>().join("\n[[team.shift_rule]]");
    assert!(wfmsim::input::compile(&(scenario("") + &one), "s.toml").is_ok());
}

/// A `[plan]` on a scenario of 3,660 days staffed ten years for every
/// queue, team and month (minutes): with a plan the scenario's horizon,
/// its representative period, is at most 31 days.
#[test]
fn a_plan_on_a_3660_day_scenario_is_refused_naming_the_limit() {
    let text = std::fs::read_to_string("scenarios/plan-2027.toml").unwrap();
    assert!(text.contains("\ndays = 7\n"));
    let long = text.replace("\ndays = 7\n", "\ndays = 3660\n");
    let Err(e) = wfmsim::input::compile(&long, "plan.toml") else { panic!("a 3,660-day plan compiled") };
    let e = e.to_string();
    assert!(
        e.contains("scenario.days: 3660 days with a [plan]; allowed: at most 31 (the scenario's horizon is the plan's representative period"),
        "{e}"
    );
    let month = text.replace("\ndays = 7\n", "\ndays = 31\n");
    assert!(wfmsim::input::compile(&month, "plan.toml").is_ok());
}

/// Found by the `history_csv` fuzz target's stable twin: an interval
/// history's wait of 1e300 s was read into an `f32` as infinity, and
/// `fit` printed the patience interval `[inf, inf]` s. A value above 1e15
/// is refused, placed on its line and column.
#[test]
fn a_history_value_of_1e300_is_refused_not_read_as_infinity() {
    use wfmsim::history::{intervals, IntervalOptions, Kind, Mapping, TimeReader};
    let options = IntervalOptions {
        mapping: Mapping::new(Kind::Intervals),
        times: TimeReader::new(None, None),
        interval_minutes: None,
    };
    let file = |wait: &str| {
        format!(
            "start,queue,offered,answered,abandoned,handle_time_s,wait_answered_s,wait_abandoned_s\n\
             2026-11-23T00:00:00Z,q,14,11,3,3845,{wait},223\n\
             2026-11-23T00:30:00Z,q,10,9,1,2500,100,50\n"
        )
    };
    let e = intervals::read(file("1e300").as_bytes(), "h.csv", &options).unwrap_err().to_string();
    assert!(e.contains("h.csv:2:") && e.contains("\"1e300\" is more than 1e15"), "{e}");
    let h = intervals::read(file("1e15").as_bytes(), "h.csv", &options).unwrap();
    let fitted = wfmsim::fit::fit(Some(&h), None);
    let text = wfmsim::fit::fragment::render(&fitted);
    assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
}
