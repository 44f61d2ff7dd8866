//! Regression tests for bad or extreme input and hostile surroundings: each
//! gives a clear error (exit 2 naming the field and what is allowed) or a
//! finite answer, never a panic, a hang or a huge allocation.

use std::process::{Command, Output};

fn wfmsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfmsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("wfmsim runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

fn erlang(args: &[&str]) -> Output {
    wfmsim(&[&["erlang"], args].concat())
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

/// `erlang --format csv` printed the table as if it were CSV.
#[test]
fn erlang_refuses_csv_with_exit_2_and_the_formats_it_has() {
    let o = erlang(&["--rate-per-hour", "200", "--aht", "180", "--agents", "14", "--format", "csv"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert!(err.contains("'csv' for '--format") && err.contains("[possible values: table, json]"), "{err}");
}
