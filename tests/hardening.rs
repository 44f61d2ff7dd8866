//! Regression tests for bad or extreme input and hostile surroundings: each
//! gives a clear error (exit 2 naming the field and what is allowed) or a
//! finite answer, never a panic, a hang or a huge allocation. Commands
//! that once ran for minutes run under a watchdog (`PATIENCE`) and fail
//! past it.
//!
//! Each defect of the hardening issue and the tests that guard it (here
//! unless a file or module is named; `engine::tests::…` and the like are
//! unit tests in `src/`):
//!
//! | defect | guarded by |
//! | --- | --- |
//! | `start = "9999-12-31"` (and year -9999) panicked validate | `a_start_outside_1900_to_2199_is_refused_with_the_range`, `days_running_past_2199_are_refused_on_scenario_days`, `the_first_and_last_days_allowed_compile_with_warmup_and_shifts` |
//! | a team name 65,536 characters long panicked the table | `a_name_over_200_characters_is_refused`, `a_200_character_team_name_renders_in_the_table` |
//! | arrival rate 1e9/h tried 12 GB; 1e308 passed validate, then aborted | `arrival_rates_above_a_million_per_hour_are_refused`, `volume_and_aht_scales_past_the_limits_exit_2_naming_the_flag` |
//! | `erlang` with patience 1e-300 s or a tiny load panicked | `erlang_flags_outside_their_range_exit_2_naming_flag_and_range`, `erlang_extremes_within_range_answer_with_finite_numbers`; `erlang::tests::a_vanishing_patience_gives_the_erlang_b_limit`, `erlang::tests::a_vanishing_load_gives_finite_kpis` |
//! | `erlang --agents` near u32::MAX, 1e9 s thresholds, 10,000 Erlangs with an hour's threshold ran for minutes | the same two (under the watchdog); `erlang::tests::billions_of_agents_on_a_small_load_return_at_once`, `erlang::tests::a_threshold_of_a_billion_seconds_counts_every_answer`, `erlang::tests::ten_thousand_erlangs_with_an_hour_threshold_staff_at_once` |
//! | `staff` with patience 1e-9 s, `--max-agents` u32::MAX or an 86,400 s threshold ran for minutes | `staff_with_a_vanishing_patience_the_largest_cap_or_a_day_long_threshold_answers_in_seconds`, `staff_with_max_agents_past_what_memory_allows_exits_2_naming_max_agents`; `staffing::tests::the_default_cap_saturates_instead_of_wrapping` |
//! | validate panicked when stdout is a closed pipe or a full disk | `a_closed_stdout_ends_every_command_quietly_with_exit_0`, `validate_with_a_closed_stdout_still_reports_bad_files`, `a_stdout_on_a_full_disk_fails_every_command_with_exit_1_naming_stdout` |
//! | a ten-year horizon with no agents kept every unserved contact (4 GB) | `a_queue_nobody_answers_for_ten_years_is_refused_under_the_default_limit`; `engine::tests::a_queue_no_team_serves_keeps_nothing_and_counts_as_a_team_of_no_agents` |
//! | ten years of 15-minute intervals at 150 replications (3 GB) | `a_ten_year_15_minute_run_at_150_replications_is_refused_under_max_memory` |
//! | 70,000 breaks on a shift (2.5 GB) | `a_shift_with_70000_breaks_is_refused_naming_the_limit` |
//! | callers whose patience ran out stayed queued behind a patient one | `engine::tests::expired_contacts_behind_a_patient_head_are_dropped_and_counted_the_same` |
//! | `run --output /dev/null` as root replaced the device (special files, pipes, symbolic links are written through) | `output_to_dev_null_keeps_the_character_device`, `output_to_a_fifo_writes_through_it`, `output_through_a_symlink_keeps_the_link_and_writes_its_target`, `output_to_a_full_disk_fails_with_exit_1_naming_it_and_no_space_left` |
//! | 70,000 breaks wrapped a 16-bit index | `a_shift_with_70000_breaks_is_refused_naming_the_limit`, `a_shift_at_the_agent_and_break_ceilings_sends_every_agent_on_each_break_once` |
//! | `staff` printed NaN across a day that does not exist (Pacific/Apia 2011-12-30) | `a_day_the_zone_skipped_is_left_out_with_a_warning_and_no_nan`, `a_horizon_of_only_a_skipped_day_is_refused_on_start` |
//! | a gamma handle time of cv 1e154 printed NaN | `handle_time_and_patience_means_and_cvs_outside_their_ranges_are_refused`; `dist::tests::means_and_cvs_outside_their_ranges_are_refused_and_the_corners_draw_finite_values` |
//! | paid hours quadratic in days | `paid_hours_and_mean_rates_over_ten_years_hour_by_hour_take_milliseconds`; `model::tests::paid_seconds_and_mean_rate_by_bisection_match_a_full_scan` |
//! | the file parsed again per unknown key | `model::parse::tests::many_unknown_keys_read_the_file_a_few_times_not_once_each` |
//! | a typo inside a skill entry (`priorty`) ignored | tests/errors.rs `skill_entries_refuse_unknown_keys_and_bad_values` |
//! | `start` with a time of day accepted silently | `a_start_with_a_time_of_day_is_refused` |
//! | `cost_per_hour` 1e308 printed inf | `costs_per_hour_above_a_million_are_refused` |
//! | the newer features (forecast error, events, sweeps, baselines, shards, limits, staffing with no target, fuzzing of every input kind: issue 24) | the table in [`new_features`] |
//!
//! Output files stay whole or absent: under Ctrl-C
//! (`ctrl_c_during_a_run_leaves_no_report_and_an_older_one_whole`), a full
//! disk (`output_to_a_full_disk_fails_with_exit_1_naming_it_and_no_space_left`),
//! a read-only directory
//! (`output_in_a_read_only_directory_fails_with_exit_1_and_leaves_nothing`),
//! a path that is a directory
//! (`output_that_is_a_directory_fails_with_exit_1_naming_it`) or a special
//! file (the write-through tests above); tests/cli.rs
//! `output_file_is_written_whole_and_matches_stdout` and
//! `an_unwritable_output_fails_with_exit_1_and_leaves_nothing`.

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{stderr, wfmsim, wfmsim_within};
use wfmsim::model::Model;

mod new_features;

const BASE: &str = r#"[scenario]
name = "hardening"
start = "2026-11-23"
days = 1
interval_minutes = 30
timezone = "UTC"

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 180 }
arrivals = { rate_per_hour = 100 }

[[team]]
name = "T"
skills = ["q"]
agents = 10
"#;

/// `BASE` with each `(from, to)` replaced (each `from` must occur), compiled.
fn compile(edits: &[(&str, &str)]) -> Result<Model, String> {
    let mut src = BASE.to_string();
    for (from, to) in edits {
        assert!(src.contains(from), "{from:?} not in the scenario");
        src = src.replacen(from, to, 1);
    }
    wfmsim::input::compile(&src, "s.toml").map(|l| l.model).map_err(|e| e.to_string())
}

fn error_of(edits: &[(&str, &str)]) -> String {
    compile(edits).err().unwrap_or_else(|| panic!("{edits:?} was accepted"))
}

/// A scratch directory unique to one test.
fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("hardening", name)
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A quick `run` that writes its CSV report to `output`.
fn run_to(output: &Path) -> Output {
    wfmsim(&[
        "run",
        "scenarios/single-queue-day.toml",
        "--replications",
        "2",
        "--format",
        "csv",
        "--output",
        output.to_str().unwrap(),
    ])
}

/// Long enough for any command these tests give on a slow machine; the
/// defects that "ran for minutes" must fail rather than only slow the suite.
const PATIENCE: Duration = Duration::from_secs(60);

fn erlang(args: &[&str]) -> Output {
    wfmsim_within(&[&["erlang"], args].concat(), PATIENCE)
}

/// Every KPI of a calculator's JSON answer is a finite number.
fn assert_finite_answer(o: &Output) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    for key in ["service_level", "p_wait", "asa_s", "p_abandon", "occupancy"] {
        assert!(doc[key].as_f64().is_some_and(f64::is_finite), "{key}: {doc}");
    }
}

/// `--patience 1e-300`, `--agents 4000000000`, `--max-agents 4000000000`
/// and `--within 1e9` panicked or ran for minutes; each flag now has a range.
#[test]
fn erlang_flags_outside_their_range_exit_2_naming_flag_and_range() {
    let cases: [(&[&str], &str, &str); 7] = [
        (&["--rate-per-hour", "200", "--aht", "180", "--agents", "4000000000"], "--agents", "0..=100000"),
        (
            &["--rate-per-hour", "200", "--aht", "180", "--target-sl", "0.8", "--max-agents", "4000000000"],
            "--max-agents",
            "1..=100000",
        ),
        (&["--rate-per-hour", "200", "--aht", "180", "--agents", "14", "--within", "1e9"], "--within", "0 to 86400"),
        (
            &["--rate-per-hour", "200", "--aht", "180", "--agents", "14", "--patience", "1e-300"],
            "--patience",
            "allowed: seconds from 0.001 to 1e9",
        ),
        (
            &["--rate-per-hour", "200", "--aht", "180", "--agents", "14", "--patience", "nan"],
            "--patience",
            "allowed: seconds from 0.001 to 1e9",
        ),
        (&["--rate-per-hour", "1e10", "--aht", "180", "--agents", "14"], "--rate-per-hour", "at most 1e9"),
        (&["--rate-per-hour", "200", "--aht", "0", "--agents", "14"], "--aht", "more than 0 and at most 86400"),
    ];
    for (args, flag, allowed) in cases {
        let o = erlang(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(flag) && err.contains(allowed), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// The far corners of the ranges answer at once with finite numbers: a
/// vanishing load (it panicked), the shortest patience, the most agents,
/// the longest threshold, and 10,000 Erlangs staffed for an hour's
/// threshold (minutes before).
#[test]
fn erlang_extremes_within_range_answer_with_finite_numbers() {
    let json = ["--format", "json"];
    let cases: [&[&str]; 7] = [
        &["--rate-per-hour", "1e-300", "--aht", "180", "--agents", "14", "--patience", "100"],
        &["--rate-per-hour", "1e-300", "--aht", "0.001", "--target-sl", "0.8", "--patience", "0.001"],
        &["--rate-per-hour", "200", "--aht", "180", "--agents", "14", "--patience", "0.001"],
        &["--rate-per-hour", "200", "--aht", "180", "--agents", "100000", "--patience", "100"],
        &["--rate-per-hour", "200", "--aht", "180", "--agents", "14", "--within", "86400", "--patience", "100"],
        &["--rate-per-hour", "200000", "--aht", "180", "--target-sl", "0.8", "--within", "3600", "--patience", "300"],
        &["--rate-per-hour", "1e9", "--aht", "86400", "--agents", "100000", "--patience", "0.001"],
    ];
    for args in cases {
        assert_finite_answer(&erlang(&[args, &json].concat()));
    }
}

/// `BASE` with callers of mean patience `patience_s` and a service-level
/// target within `within_s`, written to a file in `dir`.
fn staff_scenario(dir: &Path, patience_s: &str, within_s: &str) -> PathBuf {
    let queue = format!(
        "patience = {{ distribution = \"exponential\", mean_s = {patience_s} }}\n\
         target = {{ service_level = 0.8, within_s = {within_s} }}\narrivals"
    );
    let path = dir.join(format!("patience-{patience_s}-within-{within_s}.toml"));
    std::fs::write(&path, BASE.replacen("arrivals", &queue, 1)).unwrap();
    path
}

/// `staff` with callers of patience 1e-9 s, `--max-agents 4294967295` or
/// a threshold of a day ran for minutes. Each answers within seconds with
/// finite figures (the cap past what memory allows needs --max-memory
/// raised: see the next test).
#[test]
fn staff_with_a_vanishing_patience_the_largest_cap_or_a_day_long_threshold_answers_in_seconds() {
    let dir = scratch("staff-extremes");
    for (patience, within) in [("1e-9", "20"), ("60", "86400"), ("1e-9", "86400")] {
        let scenario = staff_scenario(&dir, patience, within);
        let cap = ["--max-agents", "4294967295", "--max-memory", "100TiB"];
        let args = [&["staff", scenario.to_str().unwrap(), "--replications", "20", "--format", "json"][..], &cap];
        let o = wfmsim_within(&args.concat(), PATIENCE);
        assert_eq!(o.status.code(), Some(0), "{patience} {within}: {}", stderr(&o));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        let mut numbers = Vec::new();
        json_numbers(&doc, "", &mut numbers);
        assert!(numbers.len() > 100 && numbers.iter().all(|(_, x)| x.is_finite()), "{patience} {within}");
    }
}

/// Trying up to 4294967295 agents an interval could hold terabytes: under
/// the default memory limit `staff` refuses it up front, naming the flag.
#[test]
fn staff_with_max_agents_past_what_memory_allows_exits_2_naming_max_agents() {
    let scenario = staff_scenario(&scratch("staff-cap"), "60", "20");
    let o = wfmsim_within(&["staff", scenario.to_str().unwrap(), "--max-agents", "4294967295"], PATIENCE);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert!(
        err.contains("levels tried: ") && err.contains("lower --max-agents, the arrival rates or handle times"),
        "{err}"
    );
}

/// `erlang --format csv` printed the table as if it were CSV.
#[test]
fn erlang_refuses_csv_with_exit_2_and_the_formats_it_has() {
    let o = erlang(&["--rate-per-hour", "200", "--aht", "180", "--agents", "14", "--format", "csv"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert!(err.contains("'csv' for '--format") && err.contains("[possible values: table, json]"), "{err}");
}

/// A directory as output: exit 1 naming it, the directory untouched and no
/// temporary file beside it.
#[test]
fn output_that_is_a_directory_fails_with_exit_1_naming_it() {
    let dir = scratch("output-dir");
    let out = dir.join("reports");
    std::fs::create_dir(&out).unwrap();
    let o = run_to(&out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("could not write report '{}': it is a directory", out.display())), "{err}");
    assert!(out.is_dir() && names_in(&out).is_empty());
    assert_eq!(names_in(&dir), ["reports"], "no temporary file left behind");
    // A path ending in '/' names a directory, whether there is one or not.
    let slashed = format!("{}/", dir.join("new").display());
    let o = run_to(Path::new(&slashed));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("could not write report '{slashed}': it ends in '/', naming a directory; name a file")),
        "{err}"
    );
    assert_eq!(names_in(&dir), ["reports"], "nothing written");
}

/// A run of minutes (a million replications on one thread) writing its
/// report to `out`, its stderr kept. Its SIGINT has the default action
/// whatever this process inherited: a suite started in the background
/// (`nohup cargo test … &`) has SIGINT ignored, and a child would inherit
/// that and never stop on Ctrl-C.
fn long_run(out: &Path) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    let out = out.to_str().unwrap();
    let args = ["run", "scenarios/single-queue-day.toml", "--replications", "1000000", "--threads", "1"];
    let mut command = crate::common::command(&[&args[..], &["--format", "csv", "--output", out]].concat());
    // SAFETY: between fork and exec only `signal`, which is
    // async-signal-safe, runs.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("wfmsim runs")
}

/// Ctrl-C (SIGINT) while a run works: no report and no temporary file
/// beside it, and a report written before stays whole.
#[test]
fn ctrl_c_during_a_run_leaves_no_report_and_an_older_one_whole() {
    use std::os::unix::process::ExitStatusExt;
    let dir = scratch("ctrl-c");
    let out = dir.join("report.csv");
    for old in [None, Some("old report, whole\n")] {
        if let Some(text) = old {
            std::fs::write(&out, text).unwrap();
        }
        let mut child = long_run(&out);
        std::thread::sleep(Duration::from_millis(500));
        assert!(child.try_wait().unwrap().is_none(), "the run ended before Ctrl-C");
        let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill runs");
        assert!(sent.success());
        let watchdog = crate::common::Watchdog::new(child.id(), PATIENCE);
        let o = child.wait_with_output().expect("wfmsim ends");
        assert!(!watchdog.disarm(), "Ctrl-C did not stop the run");
        assert_eq!(o.status.signal(), Some(2), "ended by SIGINT: {:?} {}", o.status, stderr(&o));
        match old {
            None => assert!(names_in(&dir).is_empty(), "{:?}", names_in(&dir)),
            Some(text) => {
                assert_eq!(names_in(&dir), ["report.csv"], "no temporary file left behind");
                assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
            }
        }
    }
}

/// `/dev/full` (writes fail with ENOSPC), opened for writing; `None` where
/// there is none.
fn dev_full() -> Option<std::fs::File> {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    if full.is_err() {
        eprintln!("skipped: no /dev/full here");
    }
    full.ok()
}

/// A report to a full disk, through a device written into (`/dev/full`):
/// exit 1 naming the path and the reason; the device stays a device.
#[test]
fn output_to_a_full_disk_fails_with_exit_1_naming_it_and_no_space_left() {
    if dev_full().is_none() {
        return;
    }
    for command in ["run", "staff"] {
        let o = wfmsim(&[command, "scenarios/single-queue-day.toml", "--replications", "2", "--output", "/dev/full"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{command}: {err}");
        assert!(err.starts_with("error: could not write report '/dev/full': No space left on device"), "{err}");
        assert!(std::fs::symlink_metadata("/dev/full").unwrap().file_type().is_char_device());
    }
}

/// `validate` panicked printing to a full disk; every command that prints
/// now exits 1 saying it could not write to stdout, and why.
#[test]
fn a_stdout_on_a_full_disk_fails_every_command_with_exit_1_naming_stdout() {
    let dir = scratch("stdout-full");
    let part = dir.join("part.json");
    let day = "scenarios/single-queue-day.toml";
    let shard = wfmsim(&["run", day, "--replications", "2", "--shard", "1/1", "--output", part.to_str().unwrap()]);
    assert_eq!(shard.status.code(), Some(0), "{}", stderr(&shard));
    let commands: [&[&str]; 5] = [
        &["validate", day],
        &["run", day, "--replications", "2"],
        &["staff", day, "--replications", "2"],
        &["erlang", "--rate-per-hour", "200", "--aht", "180", "--agents", "14"],
        &["merge", part.to_str().unwrap()],
    ];
    for args in commands {
        let Some(full) = dev_full() else { return };
        let o = crate::common::command(args).stdout(Stdio::from(full)).output().expect("wfmsim runs");
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "error: could not write to stdout: No space left on device (os error 28)\n", "{args:?}");
    }
}

/// A symbolic link as output stays a link; the report lands in the file it
/// names, written atomically beside that file.
#[test]
fn output_through_a_symlink_keeps_the_link_and_writes_its_target() {
    let dir = scratch("output-symlink");
    std::fs::create_dir(dir.join("real")).unwrap();
    let (target, link) = (dir.join("real").join("report.csv"), dir.join("latest.csv"));
    std::fs::write(&target, "old report\n").unwrap();
    std::os::unix::fs::symlink("real/report.csv", &link).unwrap();
    let o = run_to(&link);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert!(std::fs::read_to_string(&target).unwrap().starts_with("queue,channel,span,label,start,end,"));
    assert_eq!(names_in(&dir.join("real")), ["report.csv"], "no temporary file left behind");
}

/// `--output /dev/null` run as root renamed a regular file over the device.
#[test]
fn output_to_dev_null_keeps_the_character_device() {
    let is_char_device = || std::fs::symlink_metadata("/dev/null").unwrap().file_type().is_char_device();
    assert!(is_char_device());
    let o = run_to(Path::new("/dev/null"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(is_char_device(), "/dev/null is no longer a character device");
}

/// A FIFO as output is written through, not replaced by a file.
#[test]
fn output_to_a_fifo_writes_through_it() {
    let dir = scratch("output-fifo");
    let fifo = dir.join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = run_to(&fifo);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(reader.join().unwrap().starts_with("queue,channel,span,label,start,end,"));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(names_in(&dir), ["pipe"]);
}

/// Whether a file can be created in `dir` (a probe, removed at once).
fn can_create_in(dir: &Path) -> bool {
    let probe = dir.join(format!("wfmsim-probe-{}", std::process::id()));
    let made = std::fs::write(&probe, "").is_ok();
    let _ = std::fs::remove_file(&probe);
    made
}

/// A report into a directory that refuses new files: exit 1 naming the
/// report, no report and no temporary file, and a report already there
/// whole. A mode of 0555 does not bind root (CI runs as root); there sysfs,
/// which refuses new files to root too, stands in, for the new report.
#[test]
fn output_in_a_read_only_directory_fails_with_exit_1_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("output-read-only");
    let old = dir.join("old.csv");
    std::fs::write(&old, "old report, whole\n").unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let sys = Path::new("/sys");
    let (reports, before) = if !can_create_in(&dir) {
        (vec![dir.join("new.csv"), old.clone()], names_in(&dir))
    } else if sys.is_dir() && !can_create_in(sys) {
        eprintln!("permissions do not bind here (root): /sys stands in for a read-only directory");
        (vec![sys.join(format!("wfmsim-report-{}.csv", std::process::id()))], names_in(sys))
    } else {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: permissions do not bind here and /sys takes new files");
        return;
    };
    let outcomes: Vec<Output> = reports.iter().map(|r| run_to(r)).collect();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    for (report, o) in reports.iter().zip(&outcomes) {
        let err = stderr(o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.starts_with(&format!("error: could not write report '{}': ", report.display())), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let parent = reports[0].parent().unwrap();
    assert_eq!(names_in(parent), before, "no report and no temporary file in {}", parent.display());
    if parent == dir {
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "old report, whole\n");
    }
}

/// Runs wfmsim with its stdout a pipe whose reading end is already closed
/// (as in `wfmsim validate x.toml | head -0`). Dropping the reading end
/// just after spawning would race with the child's first write; here the
/// pipe's only reader, `true`, has exited before wfmsim starts.
fn with_stdout_closed(args: &[&str]) -> Output {
    let mut reader = Command::new("true").stdin(Stdio::piped()).spawn().expect("true runs");
    let write_end = reader.stdin.take().expect("a pipe");
    reader.wait().expect("true ends");
    crate::common::command(args).stdout(Stdio::from(write_end)).output().expect("wfmsim runs")
}

/// `validate` printed with println!, which panics on a closed pipe. Every
/// command now ends quietly with exit 0 when its reader has gone.
#[test]
fn a_closed_stdout_ends_every_command_quietly_with_exit_0() {
    let day = "scenarios/single-queue-day.toml";
    let commands: [&[&str]; 6] = [
        &["validate", day, "scenarios/dst-fall-back-day.toml"],
        &["run", day, "--replications", "2"],
        &["staff", day, "--replications", "2"],
        &["erlang", "--rate-per-hour", "200", "--aht", "180", "--agents", "14"],
        &["--help"],
        &["--version"],
    ];
    for args in commands {
        let o = with_stdout_closed(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

/// A closed stdout ends only the listing: a bad file still exits 2 with its
/// problems on stderr.
#[test]
fn validate_with_a_closed_stdout_still_reports_bad_files() {
    let dir = scratch("validate-closed");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[scenario]\nname = 1\n").unwrap();
    let o = with_stdout_closed(&["validate", "scenarios/single-queue-day.toml", bad.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("bad.toml:2:8: scenario.name: invalid type") && !err.contains("panicked"), "{err}");
}

/// Dates near the ends of jiff's calendar (9999-12-31, year -9999, days
/// running past 9999, a warm-up before -9999) panicked in validation.
#[test]
fn a_start_outside_1900_to_2199_is_refused_with_the_range() {
    let allowed = "allowed: a date from 1900-01-01 to 2199-12-31 (YYYY-MM-DD)";
    for date in ["9999-12-31", "-009999-01-01", "1899-12-31", "2200-01-01"] {
        assert_eq!(
            error_of(&[("2026-11-23", date)]),
            format!("s.toml:3:9: scenario.start: {date:?} is out of range; {allowed}")
        );
    }
    let warmup_before_minus_9999 = [("2026-11-23", "-009999-01-01"), ("days = 1\n", "days = 1\nwarmup_hours = 168\n")];
    assert!(error_of(&warmup_before_minus_9999).contains("is out of range"));
}

#[test]
fn days_running_past_2199_are_refused_on_scenario_days() {
    assert_eq!(
        error_of(&[("2026-11-23", "2199-01-01"), ("days = 1", "days = 3660")]),
        "s.toml:4:8: scenario.days: 3660 days from 2199-01-01 run past 2199-12-31; allowed: at most 365 from this start"
    );
}

/// The first and last days allowed compile, with a week of warm-up before
/// the first and shifts from the day before, in zones far from UTC.
#[test]
fn the_first_and_last_days_allowed_compile_with_warmup_and_shifts() {
    let shifts = "agents = 10\ntimezone = \"Pacific/Kiritimati\"\n[[team.shift]]\nstart = \"23:00\"\nhours = 24\n";
    for date in ["1900-01-01", "2199-12-31"] {
        let model = compile(&[
            ("2026-11-23", date),
            ("days = 1\n", "days = 1\nwarmup_hours = 168\n"),
            ("\"UTC\"", "\"Etc/GMT+12\""),
            ("agents = 10\n", shifts),
        ])
        .unwrap();
        assert_eq!(model.days[0].date.to_string(), date);
        assert!(!model.shifts.is_empty());
        let last = model.interval_start(model.n_intervals - 1);
        assert!(last.date().to_string() == date, "{last}");
    }
}

/// `start = "2026-11-23T10:00"` was taken as the date, dropping the time.
#[test]
fn a_start_with_a_time_of_day_is_refused() {
    for start in ["2026-11-23T10:00", "2026-11-23 10:00"] {
        assert_eq!(
            error_of(&[("2026-11-23", start)]),
            format!("s.toml:3:9: scenario.start: {start:?} has a time of day; only a date is allowed (YYYY-MM-DD)")
        );
    }
    assert_eq!(
        error_of(&[("2026-11-23", "20261123")]),
        "s.toml:3:9: scenario.start: \"20261123\" is not a date; use YYYY-MM-DD"
    );
}

/// An unknown distribution named neither the key nor, in the scenario's
/// words, the values allowed.
#[test]
fn an_unknown_distribution_names_the_key_and_the_allowed_values() {
    let allowed = "allowed: \"exponential\", \"lognormal\", \"gamma\", \"constant\"";
    assert_eq!(
        error_of(&[("distribution = \"exponential\", mean_s = 180", "distribution = \"weibull\", mean_s = 10")]),
        format!("s.toml:10:32: queue[0].handle_time.distribution: \"weibull\" is not a distribution; {allowed}")
    );
    let patience = "patience = { distribution = \"Exponential\", mean_s = 60 }\narrivals";
    assert_eq!(
        error_of(&[("arrivals", patience)]),
        format!("s.toml:11:29: queue[0].patience.distribution: \"Exponential\" is not a distribution; {allowed}")
    );
    // The same as a table of its own.
    let table = "[queue.handle_time]\ndistribution = \"weibull\"\nmean_s = 10\n\n[[team]]";
    assert_eq!(
        error_of(&[("handle_time = { distribution = \"exponential\", mean_s = 180 }\n", ""), ("[[team]]", table)]),
        format!("s.toml:13:16: queue[0].handle_time.distribution: \"weibull\" is not a distribution; {allowed}")
    );
}

/// A team name 65,536 characters long panicked the table report: Rust's
/// formatter pads to at most 65,535 characters.
#[test]
fn a_name_over_200_characters_is_refused() {
    let long = "T".repeat(65_536);
    let allowed = "(65536 characters) is too long; allowed: at most 200 characters";
    assert_eq!(
        error_of(&[("name = \"T\"", &format!("name = \"{long}\""))]),
        format!("s.toml:14:8: team[0].name: \"TTTTTTTTTTTTTTTTTTTT…\" {allowed}")
    );
    let queue = format!("name = \"{}\"", "q".repeat(65_536));
    let skill = format!("skills = [\"{}\"]", "q".repeat(65_536));
    assert_eq!(
        error_of(&[("name = \"q\"", &queue), ("skills = [\"q\"]", &skill)]),
        format!("s.toml:9:8: queue[0].name: \"qqqqqqqqqqqqqqqqqqqq…\" {allowed}")
    );
}

/// Names of up to 200 characters, in any script, go through the table.
#[test]
fn a_200_character_team_name_renders_in_the_table() {
    let dir = scratch("long-name");
    let scenario = dir.join("s.toml");
    let name = "é".repeat(200);
    std::fs::write(&scenario, BASE.replace("name = \"T\"", &format!("name = \"{name}\""))).unwrap();
    let o = wfmsim(&["run", scenario.to_str().unwrap(), "--replications", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8(o.stdout).unwrap().contains(&format!("  {name}  ")));
}

/// `rate_per_hour = 1e300` (or a profile that piles a day's volume into one
/// interval) ran for ever or overflowed; a queue's rate now has a ceiling
/// of a million contacts per hour, however it is given.
#[test]
fn arrival_rates_above_a_million_per_hour_are_refused() {
    assert_eq!(
        error_of(&[("rate_per_hour = 100", "rate_per_hour = 2e6")]),
        "s.toml:11:30: queue[0].arrivals.rate_per_hour: 2000000 is out of range; allowed: at most 1e6 contacts per hour per queue"
    );
    let rates = format!("rates_per_hour = [{}2e6]", "1, ".repeat(47));
    assert_eq!(
        error_of(&[("rate_per_hour = 100", &rates)]),
        "s.toml:11:31: queue[0].arrivals.rates_per_hour: contains 2000000; allowed: every rate per hour from 0 to 1e6"
    );
    let one_interval = format!("daily = [1e6, 0, 0, 0, 0, 0, 0], profile = [1{}]", ", 0".repeat(47));
    assert_eq!(
        error_of(&[("rate_per_hour = 100", &one_interval)]),
        "s.toml:11:22: queue[0].arrivals.daily: with this profile peaks at 2000000 contacts per hour; allowed: at most 1e6 contacts per hour per queue"
    );
    let huge_weights = format!("daily = [1, 1, 1, 1, 1, 1, 1], profile = [1e300{}]", ", 1e300".repeat(47));
    assert_eq!(
        error_of(&[("rate_per_hour = 100", &huge_weights)]),
        "s.toml:11:55: queue[0].arrivals.profile: contains 1e300; allowed: every profile weight from 0 to 1e9"
    );
    // 1e9 an hour tried to allocate 12 GB; 1e308 passed and aborted.
    for (rate, shown) in [("1e9", "1000000000"), ("1e308", "1e308")] {
        assert_eq!(
            error_of(&[("rate_per_hour = 100", &format!("rate_per_hour = {rate}"))]),
            format!("s.toml:11:30: queue[0].arrivals.rate_per_hour: {shown} is out of range; allowed: at most 1e6 contacts per hour per queue")
        );
    }
    // The ceiling itself is allowed.
    assert!(compile(&[("rate_per_hour = 100", "rate_per_hour = 1e6")]).is_ok());
}

/// A shift with 70,000 breaks scheduled 70,000 events per agent and
/// printed a problem per break; a shift now has at most 24.
#[test]
fn a_shift_with_70000_breaks_is_refused_naming_the_limit() {
    let breaks: Vec<String> =
        (0..70_000).map(|k| format!("{{ after_minutes = {}, minutes = 0.001 }}", k as f64 * 0.006)).collect();
    let shift = format!("[[team.shift]]\nstart = \"08:00\"\nhours = 8\nbreaks = [{}]\n", breaks.join(", "));
    // One problem, at the 25th break, not one per break.
    assert_eq!(
        error_of(&[("agents = 10\n", &format!("agents = 10\n{shift}"))]),
        "s.toml:20:1117: team[0].shift[0].breaks: has 70000 breaks; allowed: at most 24 per shift"
    );
}

/// Breaks are scheduled by (shift, break, agent) index; 70,000 breaks
/// wrapped a 16-bit index and sent the wrong agents on break. Both counts
/// have a ceiling now (24 breaks, above; 65,535 agents on a shift), and a
/// shift at both sends every agent on each break once.
#[test]
fn a_shift_at_the_agent_and_break_ceilings_sends_every_agent_on_each_break_once() {
    let breaks: Vec<String> =
        (0..24).map(|k| format!("{{ after_minutes = {}, minutes = 5, window_minutes = 10 }}", 20 * k + 5)).collect();
    let shift = |agents: u32| {
        format!(
            "agents = 10\n[[team.shift]]\nstart = \"08:00\"\nhours = 8\nagents = {agents}\nbreaks = [{}]\n",
            breaks.join(", ")
        )
    };
    assert_eq!(
        error_of(&[("agents = 10\n", &shift(65_536))]),
        "s.toml:20:10: team[0].shift[0].agents: 65536 is out of range; allowed: 0 to 65535"
    );
    // Nobody calls while the shift is on (a queue must have some calls).
    let nobody_calls = format!("rates_per_hour = [{}1]", "0, ".repeat(47));
    let model = compile(&[("rate_per_hour = 100", &nobody_calls), ("agents = 10\n", &shift(65_535))]).unwrap();
    let counters = wfmsim::engine::simulate(&model, 0);
    let staffed: f64 = counters.team_cells(0).iter().map(|c| c.staffed_s).sum();
    // 8 hours less 24 breaks of 5 minutes: 6 hours each.
    assert!((staffed - 65_535.0 * 6.0 * 3600.0).abs() < 1.0, "{} agent-hours", staffed / 3600.0);
}

/// Paid hours scanned every shift instance, and the mean arrival rate
/// every rate segment, on every call: quadratic in the days. Ten years
/// asked hour by hour (87,840 calls over 43,000 shifts and 87,840 rate
/// segments: billions of steps by the scan) now take milliseconds.
#[test]
fn paid_hours_and_mean_rates_over_ten_years_hour_by_hour_take_milliseconds() {
    let shifts: String =
        (0..12).map(|h| format!("[[team.shift]]\nstart = \"{:02}:00\"\nhours = 8\nagents = 2\n", 2 * h)).collect();
    let rates: Vec<String> = (1..=24).map(|r| r.to_string()).collect();
    let model = compile(&[
        ("days = 1\ninterval_minutes = 30", "days = 3660\ninterval_minutes = 60"),
        ("rate_per_hour = 100", &format!("rates_per_hour = [{}]", rates.join(", "))),
        ("agents = 10\n", &format!("agents = 10\n{shifts}")),
    ])
    .unwrap();
    let started = Instant::now();
    let (mut paid, mut arrivals) = (0.0, 0.0);
    for i in 0..model.n_intervals {
        let (from, to) = (i as f64 * model.interval_s, (i + 1) as f64 * model.interval_s);
        paid += model.paid_seconds(0, from, to);
        arrivals += model.queues[0].mean_rate(from, to) * model.interval_s;
    }
    let took = started.elapsed();
    let end = model.report_end_s();
    let whole: f64 =
        model.shifts.iter().map(|s| (s.logout_s.min(end) - s.login_s.max(0.0)).max(0.0) * s.agents as f64).sum();
    assert!((paid - whole).abs() <= 1e-9 * whole, "{paid} against {whole}");
    assert!((arrivals - 3660.0 * 300.0).abs() < 1e-6 * arrivals, "{arrivals}");
    assert!(took < Duration::from_secs(1), "{took:?}");
}

/// `cost_per_hour = 1e308` (or 1e300) made every cost in the report infinite.
#[test]
fn costs_per_hour_above_a_million_are_refused() {
    assert_eq!(
        error_of(&[("agents = 10", "agents = 10\ncost_per_hour = 2e6")]),
        "s.toml:17:17: team[0].cost_per_hour: 2000000 is out of range; allowed: an amount per hour from 0 to 1e6"
    );
    assert_eq!(
        error_of(&[("agents = 10", "agents = 10\ncost_per_hour = 1e308")]),
        "s.toml:17:17: team[0].cost_per_hour: 1e308 is out of range; allowed: an amount per hour from 0 to 1e6"
    );
    let staffing = format!("{BASE}\n[staffing]\ncost_per_hour = 1e300\n");
    assert_eq!(
        error_of(&[(BASE, &staffing)]),
        "s.toml:19:17: staffing.cost_per_hour: 1e300 is out of range; allowed: an amount per hour from 0 to 1e6"
    );
}

/// A gamma handle time of cv 1e154 printed NaN everywhere; a mean of 1e300
/// seconds kept agents busy past the end of time.
#[test]
fn handle_time_and_patience_means_and_cvs_outside_their_ranges_are_refused() {
    assert_eq!(
        error_of(&[("distribution = \"exponential\", mean_s = 180", "distribution = \"gamma\", mean_s = 180, cv = 1e154")]),
        "s.toml:10:15: queue[0].handle_time: cv is 1e154; allowed: from 0.001 to 10 (use the constant distribution for none)"
    );
    assert_eq!(
        error_of(&[("mean_s = 180", "mean_s = 1e300")]),
        "s.toml:10:15: queue[0].handle_time: mean_s is 1e300; allowed: seconds, more than 0 and at most 1e7"
    );
    let patience = "patience = { distribution = \"constant\", value_s = 2e7 }\narrivals";
    assert_eq!(
        error_of(&[("arrivals", patience)]),
        "s.toml:11:12: queue[0].patience: value_s is 20000000; allowed: seconds, more than 0 and at most 1e7"
    );
}

/// `--volume-scale 1e300` and `--aht-scale 1e300` took a valid scenario
/// past every range the scenario itself is held to.
#[test]
fn volume_and_aht_scales_past_the_limits_exit_2_naming_the_flag() {
    let day = "scenarios/single-queue-day.toml";
    for command in ["run", "staff"] {
        let o = wfmsim(&[command, day, "--volume-scale", "1e300"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.starts_with(
                "scenarios/single-queue-day.toml: --volume-scale 1e300: 1e300 makes queue \"support-en\" peak at "
            ) && err
                .contains("allowed: a factor that keeps every queue at most 1e6 per hour (here at most 5416.666666)"),
            "{err}"
        );
        let o = wfmsim(&[command, day, "--aht-scale", "1e300"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.starts_with("scenarios/single-queue-day.toml: --aht-scale 1e300: 1e300 makes queue \"support-en\"'s mean handle time ")
                && err.contains("at most 1e7 seconds (here at most 41666.666666)"),
            "{err}"
        );
    }
}

/// A ten-year horizon with hundreds of queues or shift patterns laid out
/// gigabytes of rates and shift instances before anything was checked.
#[test]
fn a_layout_past_the_queue_day_and_shift_instance_limits_is_refused_on_days() {
    let days = [("days = 1", "days = 3660")];
    let queues: String = (1..20).map(|k| format!("[[queue]]\nname = \"q{k}\"\nhandle_time = {{ distribution = \"exponential\", mean_s = 180 }}\narrivals = {{ rate_per_hour = 1 }}\n")).collect();
    assert_eq!(
        error_of(&[days[0], ("[[team]]", &format!("{queues}[[team]]"))]),
        "s.toml:4:8: scenario.days: 3660 days × 20 queues are 73200 queue-days; allowed: at most 36600 (fewer days or queues)"
    );
    let shifts = "[[team.shift]]\nstart = \"08:00\"\nhours = 8\n".repeat(300);
    assert_eq!(
        error_of(&[days[0], ("agents = 10\n", &format!("agents = 10\n{shifts}"))]),
        "s.toml:4:8: scenario.days: 3660 days × 300 [[team.shift]] patterns lay out about 1098600 shift instances; allowed: at most 1000000 (fewer days or shift patterns)"
    );
}

/// Pacific/Apia skipped 2011-12-30 (it jumped across the date line).
const APIA: &str = r#"[scenario]
name = "Apia"
start = "2011-12-29"
days = 3
interval_minutes = 60
timezone = "Pacific/Apia"
replications = 4

[[queue]]
name = "voice"
handle_time = { distribution = "exponential", mean_s = 180 }
arrivals = { rate_per_hour = 60 }
target = { service_level = 0.8, within_s = 20 }

[[queue]]
name = "mail"
channel = "email"
handle_time = { distribution = "exponential", mean_s = 180 }
arrivals = { rate_per_hour = 10 }
target = { service_level = 0.9, within_hours = 24 }

[[team]]
name = "Phones"
skills = ["voice"]
agents = 5
cost_per_hour = 20

[[team]]
name = "Inbox"
skills = ["mail"]
[[team.shift]]
start = "09:00"
hours = 8
agents = 2
"#;

/// Every number in a JSON document, with its path.
fn json_numbers(v: &serde_json::Value, path: &str, out: &mut Vec<(String, f64)>) {
    match v {
        serde_json::Value::Number(n) => out.push((path.to_string(), n.as_f64().unwrap())),
        serde_json::Value::Array(a) => {
            a.iter().enumerate().for_each(|(i, x)| json_numbers(x, &format!("{path}[{i}]"), out))
        }
        serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| json_numbers(x, &format!("{path}.{k}"), out)),
        _ => {}
    }
}

/// `staff` printed FTE NaN (and `expected arrivals` NaN) for 2011-12-30 in
/// Pacific/Apia, a day of no length, and labelled it 2011-12-31 beside the
/// real 2011-12-31; the shift of the missing day moved onto the next one,
/// doubling its paid hours. The day is now left out with a warning.
#[test]
fn a_day_the_zone_skipped_is_left_out_with_a_warning_and_no_nan() {
    let dir = scratch("apia");
    let scenario = dir.join("apia.toml");
    std::fs::write(&scenario, APIA).unwrap();
    let path = scenario.to_str().unwrap();
    let warning = format!(
        "{path}:3:9: warning: scenario.days: 2011-12-30 does not exist in Pacific/Apia (the zone skipped it): it has no intervals and is left out of every report"
    );
    for command in ["run", "staff"] {
        for format in ["table", "json", "csv"] {
            let o = wfmsim(&[command, path, "--format", format]);
            let (out, err) = (String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap());
            assert_eq!(o.status.code(), Some(0), "{command} {format}: {err}");
            assert_eq!(err.trim_end(), warning, "{command} {format}");
            let words: Vec<&str> = out.split(|c: char| !c.is_alphanumeric()).collect();
            assert!(
                !words.iter().any(|w| matches!(*w, "NaN" | "nan" | "inf" | "Infinity")),
                "{command} {format}:\n{out}"
            );
            assert!(!out.contains("2011-12-30"), "{command} {format}:\n{out}");
            if format == "json" {
                let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                let mut numbers = Vec::new();
                json_numbers(&doc, "", &mut numbers);
                assert!(numbers.iter().all(|(_, x)| x.is_finite()));
                // `run` reports roll-up periods (days by default); `staff` days.
                let key = if command == "run" { "periods" } else { "days" };
                let days = &doc["queues"][0][key];
                assert_eq!(days.as_array().unwrap().len(), 2, "{command}");
                if command == "staff" {
                    for day in days.as_array().unwrap() {
                        assert!(day["simulated"]["fte"].as_f64().is_some_and(f64::is_finite), "{day}");
                    }
                } else {
                    let inbox: Vec<f64> = doc["teams"][1]["periods"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|d| d["paid_hours"].as_f64().unwrap())
                        .collect();
                    assert_eq!(inbox, [16.0, 16.0], "one 8-hour shift of 2 agents a day");
                }
            }
        }
    }
}

/// A horizon whose only day the zone skipped had no interval at all:
/// `staff` panicked indexing the first one.
#[test]
fn a_horizon_of_only_a_skipped_day_is_refused_on_start() {
    let src = APIA.replace("2011-12-29", "2011-12-30").replace("days = 3", "days = 1");
    assert_eq!(
        wfmsim::input::compile(&src, "s.toml").unwrap_err().to_string(),
        "s.toml:3:9: scenario.start: 2011-12-30 does not exist in Pacific/Apia (the zone skipped it) and the horizon has no other day; allowed: a horizon with at least one day that exists in the zone"
    );
}

/// `BASE` over ten years of 15-minute intervals (351,360 a replication),
/// at 150 replications, its callers patient for two minutes on average.
fn ten_years() -> String {
    let patience = "patience = { distribution = \"exponential\", mean_s = 120 }\narrivals";
    let header = "days = 3660\ninterval_minutes = 15\nreplications = 150";
    BASE.replace("days = 1\ninterval_minutes = 30", header).replacen("arrivals", patience, 1)
}

/// A ten-year 15-minute run at 150 replications held 5.5 GiB of counters
/// before it summarised them. Replications are now folded as they finish
/// (two per thread held at once), so the estimate names those in flight;
/// per-interval detail over ten years is what stays large, and it is
/// refused up front, naming what to lower.
#[test]
fn a_ten_year_15_minute_run_at_150_replications_is_refused_under_max_memory() {
    let dir = scratch("ten-years");
    let scenario = dir.join("ten-years.toml");
    std::fs::write(&scenario, ten_years()).unwrap();
    let path = scenario.to_str().unwrap();
    let o = wfmsim(&["run", path, "--threads", "2", "--max-memory", "100MiB"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert!(
        err.starts_with(&format!("{path}: this run needs an estimated "))
            && err.contains("more than --max-memory allows (100.0 MiB, as given):")
            && err.contains("counters: 4 replications × 43.0 MiB each (3660 days of 96 15-minute intervals, 1 queue(s), 1 team(s))")
            && err.contains("lower scenario.days, the intervals (scenario.interval_minutes = 60), --replications, or raise --max-memory"),
        "{err}"
    );
    let o = wfmsim(&["run", path, "--threads", "2", "--detail", "interval", "--max-memory", "4GiB"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("results and report: 710042 periods summarised"), "{err}");
    let o = wfmsim(&["staff", path, "--max-memory", "512MiB", "--format", "json"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(&format!("{path}: this staffing needs an estimated "))
            && err.contains("plan and report: 351360 intervals × 1 queue(s) (3660 days of 15-minute intervals)")
            && err.contains("lower scenario.days, the intervals (scenario.interval_minutes = 60)"),
        "{err}"
    );
}

/// A queue whose only team has no agents, with unlimited patience, kept
/// every caller of ten years waiting: hundreds of gigabytes. The default
/// limit (half the machine's memory) refuses it, naming the queue.
#[test]
fn a_queue_nobody_answers_for_ten_years_is_refused_under_the_default_limit() {
    let dir = scratch("nobody-answers");
    let scenario = dir.join("s.toml");
    let src = ten_years()
        .replace("patience = { distribution = \"exponential\", mean_s = 120 }\n", "")
        .replace("rate_per_hour = 100", "rate_per_hour = 100000")
        .replace("agents = 10", "agents = 0")
        .replace("replications = 150", "replications = 2");
    std::fs::write(&scenario, src).unwrap();
    let o = wfmsim(&["run", scenario.to_str().unwrap(), "--threads", "1"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("(see --max-memory)):"), "{err}");
    assert!(
        err.contains("waiting contacts: up to 8784001024 at once in each of 1 simulation(s); queue \"q\" (unlimited patience) can hold 8784001024: its teams' agents cannot keep up with its arrivals"),
        "{err}"
    );
    assert!(err.contains("lower the backlog no agent answers (give that queue agents or patience)"), "{err}");
}

#[test]
fn max_memory_takes_sizes_with_units_and_refuses_others_with_exit_2() {
    let day = "scenarios/single-queue-day.toml";
    let o = wfmsim(&["run", day, "--replications", "2", "--max-memory", "64MiB"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for bad in ["4XB", "0", "-1G", "lots"] {
        let o = wfmsim(&["run", day, &format!("--max-memory={bad}")]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{bad}: {err}");
        assert!(err.contains("--max-memory") && err.contains("allowed: a size such as 4GiB, 512MiB or 1.5GB"), "{err}");
    }
}

/// A character of several bytes before a key's `=` panicked while the
/// problem was being placed (found by `cargo fuzz run scenario`).
#[test]
fn a_multibyte_character_before_an_equals_sign_is_a_placed_error_not_a_panic() {
    let crash = b"'\xd8\xbe9gents =\x1e4\nbd\0\0\0 f\"waendo_wmi nup\0\0\0tes te,'";
    let text = std::str::from_utf8(crash).unwrap();
    let e = wfmsim::input::compile(text, "s.toml").unwrap_err().to_string();
    assert!(e.starts_with("s.toml:1:"), "{e}");
}
