//! The `wfmsim` binary as a user runs it.

use std::path::PathBuf;

use crate::common::{shipped_scenarios, stderr, stdout, wfmsim};

/// A scratch directory unique to one test.
fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("cli", name)
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
        assert_eq!(doc["schema_version"], 3);
        assert_eq!(doc["replications"], 4);
        assert_eq!(doc["scenario_sha256"].as_str().unwrap().len(), 64);
        let queues = doc["queues"].as_array().unwrap();
        assert!(!queues.is_empty());
        for q in queues {
            let key = if q["channel"] == "voice" || q["channel"] == "chat" { "offered" } else { "arrived" };
            let offered = q["horizon"][key]["mean"].as_f64().unwrap();
            assert!(offered > 0.0, "{p}: nothing offered");
            let days = q["periods"].as_array().unwrap();
            let sum: f64 = days.iter().map(|d| d[key]["mean"].as_f64().unwrap()).sum();
            assert!((sum - offered).abs() < 1e-6 * offered, "{p}: days add up to the horizon");
        }
    }
}

#[test]
fn the_dst_scenario_has_a_25_hour_day() {
    let o = wfmsim(&[
        "run",
        "scenarios/dst-fall-back-day.toml",
        "--replications",
        "2",
        "--format",
        "json",
        "--detail",
        "interval",
    ]);
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
        let args =
            ["run", "scenarios/follow-the-sun-week.toml", "--replications", "6", "--seed", "9", "--format", format];
        crate::common::same_bytes_whatever_the_threads(&args);
    }
    // Every interval's tallies, folded queue by queue in parallel.
    let args = [
        "run",
        "scenarios/follow-the-sun-week.toml",
        "--replications",
        "7",
        "--detail",
        "interval",
        "--format",
        "json",
    ];
    crate::common::same_bytes_whatever_the_threads(&args);
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
    assert_eq!(written.lines().count(), 1 + 1 + 1, "a header, the horizon and the day");
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

#[test]
fn erlang_calculator_gives_kpis_for_a_number_of_agents() {
    // Westbay's worked example: 720 calls/h, 240 s, 55 agents, 15 s.
    let o = wfmsim(&[
        "erlang",
        "--rate-per-hour",
        "720",
        "--aht",
        "240",
        "--within",
        "15",
        "--agents",
        "55",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["agents"], 55);
    assert!((doc["p_wait"].as_f64().unwrap() - 0.2387).abs() < 5e-5);
    assert!((doc["asa_s"].as_f64().unwrap() - 8.184).abs() < 5e-4);
    assert!((doc["service_level"].as_f64().unwrap() - 0.8459).abs() < 5e-5);
    assert_eq!(doc["p_abandon"], 0.0);
    let table =
        stdout(&wfmsim(&["erlang", "--rate-per-hour", "720", "--aht", "240", "--within", "15", "--agents", "55"]));
    assert!(table.contains("84.6%") && table.contains("23.9%") && table.contains("8.2 s"), "{table}");
}

#[test]
fn erlang_calculator_finds_the_least_agents_for_targets() {
    let o = wfmsim(&[
        "erlang",
        "--rate-per-hour",
        "250",
        "--aht",
        "330",
        "--within",
        "30",
        "--target-sl",
        "0.8",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["agents"], 28);
    let with_patience = wfmsim(&[
        "erlang",
        "--rate-per-hour",
        "250",
        "--aht",
        "330",
        "--within",
        "30",
        "--target-sl",
        "0.8",
        "--patience",
        "120",
        "--max-abandon",
        "0.05",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&with_patience.stdout).unwrap();
    assert_eq!(doc["model"], "erlang_a");
    assert!(doc["p_abandon"].as_f64().unwrap() <= 0.05);
}

#[test]
fn erlang_calculator_reports_an_overloaded_queue_as_unstable_and_stays_finite_at_scale() {
    let o = wfmsim(&["erlang", "--rate-per-hour", "200", "--aht", "180", "--agents", "10", "--format", "json"]);
    assert!(o.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["stable"], false);
    assert!(doc["service_level"].is_null());
    // 10,000 Erlangs on 10,000 agents with abandonment: finite numbers.
    let big = wfmsim(&[
        "erlang",
        "--rate-per-hour",
        "200000",
        "--aht",
        "180",
        "--agents",
        "10000",
        "--patience",
        "300",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&big.stdout).unwrap();
    for key in ["service_level", "p_wait", "asa_s", "p_abandon", "occupancy"] {
        assert!(doc[key].as_f64().is_some_and(f64::is_finite), "{key}: {}", doc[key]);
    }
}

#[test]
fn erlang_calculator_rejects_bad_flags_with_exit_2() {
    for args in [
        vec!["erlang", "--rate-per-hour", "-5", "--aht", "180", "--agents", "3"],
        vec!["erlang", "--rate-per-hour", "100", "--aht", "180", "--target-sl", "1.5"],
        vec!["erlang", "--rate-per-hour", "100", "--aht", "180"],
    ] {
        let o = wfmsim(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn staff_reports_three_methods_per_interval_with_totals() {
    let o = wfmsim(&["staff", "scenarios/single-queue-day.toml", "--replications", "20", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["schema_version"], 3);
    let q = &doc["queues"][0];
    let intervals = q["intervals"].as_array().unwrap();
    assert_eq!(intervals.len(), 48);
    for i in intervals {
        for method in ["erlang_c", "erlang_a", "simulated"] {
            assert!(i["required"][method].as_u64().is_some(), "{method} in {i}");
        }
        assert_eq!(i["feasible"], true);
        assert!(i["achieved"]["service_level"]["mean"].as_f64().is_some());
        assert!(i["start"].as_str().unwrap().starts_with("2026-11-23T"));
    }
    let totals = &q["totals"]["simulated"];
    assert!(totals["agent_hours"].as_f64().unwrap() > 0.0);
    assert!(totals["cost"].as_f64().unwrap() > 0.0, "Dallas prices its hours");
}

#[test]
fn staff_what_ifs_move_the_requirement_the_right_way() {
    let hours = |extra: &[&str]| {
        let mut args = vec!["staff", "scenarios/single-queue-day.toml", "--replications", "20", "--format", "json"];
        args.extend_from_slice(extra);
        let o = wfmsim(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        doc["queues"][0]["totals"]["simulated"]["agent_hours"].as_f64().unwrap()
    };
    let base = hours(&[]);
    assert!(hours(&["--volume-scale", "1.2"]) > base);
    assert!(hours(&["--aht-scale", "0.9"]) < base);
    assert!(hours(&["--confidence", "0.9"]) >= base);
}

#[test]
fn staff_csv_has_a_row_per_interval() {
    let o = wfmsim(&["staff", "scenarios/dst-fall-back-day.toml", "--replications", "10", "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 1 + 50, "a header and one row per interval of the 25-hour day");
    assert!(text.starts_with("queue,channel,start,end,rate_per_hour,load_erlangs,erlang_c,erlang_a,simulated,feasible"));
}

#[test]
fn staffing_is_identical_whatever_the_thread_count() {
    let args = ["staff", "scenarios/follow-the-sun-week.toml", "--replications", "8", "--format", "json"];
    crate::common::same_bytes_whatever_the_threads(&args);
}

#[test]
fn run_reports_each_teams_paid_hours_cost_and_occupancy() {
    let o = wfmsim(&["run", "scenarios/single-queue-day.toml", "--replications", "4", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let dallas = &doc["teams"][0];
    assert_eq!(dallas["name"], "Dallas");
    // The New York day is 23:00-23:00 in Chicago: Sunday's 23:00 shift (3 × 8 h),
    // the last 2 h of Sunday's 17:00 shift (3 × 2 h), Monday's 06:00 and 10:00
    // shifts (16 × 8.5 h, 14 × 8.5 h) and 6 h of Monday's 17:00 shift (3 × 6 h).
    let paid = dallas["horizon"]["paid_hours"].as_f64().unwrap();
    assert!((paid - 303.0).abs() < 1e-9, "{paid}");
    assert!((dallas["horizon"]["cost"].as_f64().unwrap() - 303.0 * 32.0).abs() < 1e-6);
    let staffed = dallas["horizon"]["staffed_hours"]["mean"].as_f64().unwrap();
    let busy = dallas["horizon"]["busy_hours"]["mean"].as_f64().unwrap();
    assert!(busy < staffed && staffed < paid, "busy {busy} < staffed {staffed} < paid {paid}");
    let table = stdout(&wfmsim(&["run", "scenarios/single-queue-day.toml", "--replications", "4"]));
    assert!(table.contains("Teams (paid hours") && table.contains("303.0"), "{table}");
}

#[test]
fn staff_gives_deferred_work_a_level_per_day_beside_live_intervals() {
    let o = wfmsim(&["staff", "scenarios/omnichannel-week.toml", "--replications", "4", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for q in doc["queues"].as_array().unwrap() {
        let intervals = q["intervals"].as_array().unwrap();
        assert_eq!(intervals.len(), 7 * 48);
        if q["channel"] == "email" {
            let days = q["deferred_days"].as_array().unwrap();
            assert_eq!(days.len(), 7, "{}", q["name"]);
            assert!(days.iter().all(|d| d["business_hours"].as_f64().unwrap() > 0.0));
            assert!(q["totals"].get("erlang_c").is_none(), "no Erlang answer for deferred work");
            // The agents of each interval are the day's level in business hours, 0 outside.
            let levels: Vec<u64> = intervals.iter().map(|i| i["required"]["simulated"].as_u64().unwrap()).collect();
            assert!(levels.iter().any(|&l| l > 0));
        } else {
            assert!(q.get("deferred_days").is_none());
            assert!(intervals.iter().all(|i| i["required"]["erlang_c"].as_u64().is_some()));
        }
    }
}

/// The guide's `validate` example (docs/src/reference/errors.md) is the
/// shipped broken scenario, and its output is printed there as the command
/// prints it.
#[test]
fn the_guides_validate_example_prints_what_the_page_shows() {
    let o = wfmsim(&["validate", "scenarios/examples/broken.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/src/reference/errors.md")).unwrap();
    let shown = page
        .split("$ wfmsim validate scenarios/examples/broken.toml  # exits 2\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/src/reference/errors.md shows the validate example");
    assert_eq!(stderr(&o), shown);
}

#[test]
fn completions_are_printed_for_each_shell_and_name_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let o = wfmsim(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        for command in ["run", "staff", "schedule", "erlang", "merge", "validate"] {
            assert!(script.contains(command), "{shell}: {command}");
        }
    }
    assert_eq!(wfmsim(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn erlang_strict_exits_1_on_an_unstable_queue_or_no_level_up_to_the_cap() {
    let unstable = ["erlang", "--rate-per-hour", "2000", "--aht", "300", "--agents", "100"];
    assert_eq!(wfmsim(&unstable).status.code(), Some(0));
    let o = wfmsim(&[&unstable[..], &["--strict"]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("unstable"), "the answer is still printed");
    assert!(stderr(&o).contains("--strict: the queue has no steady state"), "{}", stderr(&o));
    let capped =
        ["erlang", "--rate-per-hour", "2000", "--aht", "300", "--target-sl", "0.8", "--max-agents", "50", "--strict"];
    let o = wfmsim(&capped);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--strict: no level up to 50 agents meets the targets"), "{}", stderr(&o));
    let fine = ["erlang", "--rate-per-hour", "200", "--aht", "300", "--agents", "30", "--strict"];
    assert_eq!(wfmsim(&fine).status.code(), Some(0));
}

/// An interval that meets no target up to the cap has no simulated answer:
/// the totals leave it out, every format says they are too low (JSON
/// `capped_intervals`, CSV `feasible`), and `staff` exits 1 after writing
/// its report, saying why.
#[test]
fn staff_says_its_totals_are_too_low_when_intervals_hit_the_cap() {
    let args = ["staff", "scenarios/single-queue-day.toml", "--replications", "5", "--max-agents", "8"];
    let o = wfmsim(&args);
    let text = stdout(&o);
    assert!(text.contains("infeasible: capped at 8"), "{text}");
    let line = text.lines().find(|l| l.contains("Too low: ")).expect("a too-low line");
    let n: usize = line.trim().trim_start_matches("Too low: ").split(' ').next().unwrap().parse().unwrap();
    assert_eq!(n, text.matches("infeasible: capped at 8").count());
    assert_eq!(o.status.code(), Some(1));
    let said = format!("error: the requirement is too low: {n} interval(s) found no level up to the cap of agents");
    assert!(stderr(&o).contains(&said) && stderr(&o).contains("(support-en: "), "{}", stderr(&o));
    let json = wfmsim(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(json.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["capped_intervals"], n);
    let csv = wfmsim(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!((csv.status.code(), stdout(&csv).matches(",false,").count()), (Some(1), n));
    let full = wfmsim(&["staff", "scenarios/single-queue-day.toml", "--replications", "5", "--format", "json"]);
    assert_eq!(full.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&full.stdout).unwrap();
    assert_eq!(doc["capped_intervals"], 0);
}

/// One definition of cost: `run` prices each team's paid hours at its
/// `cost_per_hour`, else `[staffing].cost_per_hour`; `staff` prices a
/// queue's paid hours at the same prices weighted by each team's share of
/// the work (its paid hours, here: both serve only this queue). `staff`
/// once priced an unpriced team at nothing, not at the `[staffing]`
/// default, and then at the plain mean of the prices (issue 21).
#[test]
fn run_and_staff_price_an_hour_by_the_same_definition() {
    let dir = scratch("cost");
    let text = std::fs::read_to_string("scenarios/single-queue-day.toml").unwrap();
    let partner =
        "[[team]]\nname = \"Partner\"\nskills = [\"support-en\"]\nagents = 2\n\n[staffing]\ncost_per_hour = 20.0";
    let path = dir.join("two-teams.toml");
    std::fs::write(&path, text.replacen("[staffing]", partner, 1)).unwrap();
    let path = path.to_str().unwrap();
    let run = wfmsim(&["run", path, "--replications", "2", "--format", "json"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let run: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let per_hour =
        |t: &serde_json::Value| t["horizon"]["cost"].as_f64().unwrap() / t["horizon"]["paid_hours"].as_f64().unwrap();
    let (dallas, partner) = (per_hour(&run["teams"][0]), per_hour(&run["teams"][1]));
    let hours = |t: &serde_json::Value| t["horizon"]["paid_hours"].as_f64().unwrap();
    let (h_dallas, h_partner) = (hours(&run["teams"][0]), hours(&run["teams"][1]));
    let weighted = (dallas * h_dallas + partner * h_partner) / (h_dallas + h_partner);
    assert!((dallas - 32.0).abs() < 1e-9 && (partner - 20.0).abs() < 1e-9, "{dallas} {partner}");
    let staff = wfmsim(&["staff", path, "--replications", "2", "--format", "json"]);
    assert!(staff.status.success(), "{}", stderr(&staff));
    let staff: serde_json::Value = serde_json::from_slice(&staff.stdout).unwrap();
    let queue = &staff["queues"][0];
    assert!((queue["cost_per_hour"].as_f64().unwrap() - weighted).abs() < 1e-9, "{queue}");
    assert_eq!(queue["cost_teams"][0]["team"], "Dallas");
    let totals = &queue["totals"]["simulated"];
    let cost = totals["scheduled_hours"].as_f64().unwrap() * weighted;
    assert!((totals["cost"].as_f64().unwrap() - cost).abs() < 1e-6 * cost, "{totals}");
}

/// A flag a command would accept and not honour is refused, naming it:
/// a simulation's flags on `schedule --requirement` (which simulates
/// nothing), targets beside `erlang --agents` (which reports KPIs, judging nothing), and
/// `--tolerance` beside `--update-baseline` (which compares nothing).
#[test]
fn flags_a_command_would_not_honour_are_refused_naming_them() {
    let day = "scenarios/single-queue-day.toml";
    let cases: [(&[&str], &str); 5] = [
        (
            &["schedule", "scenarios/rosters-week.toml", "--requirement", "r.csv", "--replications", "5"],
            "--replications",
        ),
        (
            &["schedule", "scenarios/rosters-week.toml", "--requirement", "r.csv", "--max-iterations", "3"],
            "--max-iterations",
        ),
        (&["erlang", "--rate-per-hour", "100", "--aht", "180", "--agents", "10", "--target-sl", "0.8"], "--target-sl"),
        (&["erlang", "--rate-per-hour", "100", "--aht", "180", "--agents", "10", "--max-agents", "50"], "--max-agents"),
        (&["check", day, "--baseline", "b.json", "--update-baseline", "--tolerance", "1pp"], "--tolerance"),
    ];
    for (args, flag) in cases {
        let o = wfmsim(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("cannot be used with") && stderr(&o).contains(flag), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
}

/// `--help` of each command lists exactly the formats it renders.
#[test]
fn each_command_lists_only_the_formats_it_renders() {
    let formats = |command: &str| {
        let help = stdout(&wfmsim(&[command, "--help"]));
        let line =
            help.lines().skip_while(|l| !l.trim_start().starts_with("--format")).nth(1).unwrap_or("").to_string();
        let listed: Vec<String> = help
            .split("--format <FORMAT>")
            .nth(1)
            .unwrap()
            .lines()
            .skip_while(|l| !l.contains("Possible values:"))
            .skip(1)
            .take_while(|l| l.trim_start().starts_with("- "))
            .map(|l| l.trim_start()[2..].split(':').next().unwrap().trim().to_string())
            .collect();
        assert!(!listed.is_empty(), "{command}: {line}");
        listed
    };
    assert_eq!(formats("run"), ["table", "json", "csv", "markdown", "html"]);
    assert_eq!(formats("merge"), ["table", "json", "csv", "markdown", "html"]);
    assert_eq!(formats("plan"), ["table", "json", "csv", "markdown", "html"]);
    assert_eq!(formats("staff"), ["table", "json", "csv", "html"]);
    assert_eq!(formats("compare"), ["table", "json", "csv", "markdown"]);
    assert_eq!(formats("check"), ["table", "json", "markdown", "html"]);
    assert_eq!(formats("sweep"), ["table", "json", "csv"]);
    assert_eq!(formats("schedule"), ["table", "json", "csv", "toml", "html", "ics"]);
    assert_eq!(formats("erlang"), ["table", "json"]);
}

#[test]
fn the_manual_pages_list_every_command_and_each_command_s_flags() {
    let dir = crate::common::scratch("cli", "man");
    let o = crate::common::command(&["man", "--dir", "man1"]).current_dir(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let commands: Vec<String> = stdout(&wfmsim(&["--help"]))
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 13, "{commands:?}");
    let mut expected: Vec<String> = commands.iter().map(|c| format!("wfmsim-{c}.1")).collect();
    expected.push("wfmsim.1".into());
    expected.sort();
    let mut written: Vec<String> =
        std::fs::read_dir(dir.join("man1")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    written.sort();
    assert_eq!(written, expected);
    let main = std::fs::read_to_string(dir.join("man1/wfmsim.1")).unwrap();
    assert_eq!(main, stdout(&wfmsim(&["man"])), "`wfmsim man` prints wfmsim.1");
    for c in &commands {
        assert!(main.contains(&format!("wfmsim\\-{}(1)", c.replace('-', "\\-"))), "wfmsim.1 names {c}");
        let page = std::fs::read_to_string(dir.join(format!("man1/wfmsim-{c}.1"))).unwrap();
        assert!(page.contains(&format!(".TH wfmsim-{c} 1")), "{c}: {page:.200}");
        let help = stdout(&wfmsim(&[c, "--help"]));
        for flag in help.split_whitespace().filter(|w| w.starts_with("--")) {
            let flag = flag.trim_end_matches([',', '.', ')', '=']).split('=').next().unwrap();
            if flag.len() > 2 && flag[2..].chars().all(|ch| ch.is_ascii_lowercase() || ch == '-') {
                assert!(page.contains(&flag.replace('-', "\\-")), "the page of {c} lacks {flag}");
            }
        }
    }
}
