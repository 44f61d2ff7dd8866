//! History out, forecast in, through the CLI: `forecast` (a scenario that
//! `run` takes as it is, fragments, the plan's months, the reforecast of
//! today), `backtest` in every format, and `calibrate` with the
//! simulator's own history as the oracle: the scenario that made a
//! history reproduces it; a planted change (AHT +20%) is found.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use crate::common::{command, scratch, stderr, stdout};

/// Eleven weeks of one queue, hourly, Monday first; weekdays 400
/// contacts, Saturday 150, Sunday 100; lognormal handle time (240 s, CV
/// 0.7), exponential patience (120 s); two shifts.
const SCENARIO: &str = r#"[scenario]
name = "History CLI"
start = "2026-01-05"
days = 77
interval_minutes = 60
timezone = "Europe/Berlin"
warmup_hours = 1
replications = 1
seed = 7

[[queue]]
name = "care"
handle_time = { distribution = "lognormal", mean_s = 240, cv = 0.7 }
patience = { distribution = "exponential", mean_s = 120 }
target = { service_level = 0.8, within_s = 20 }
arrivals = { timezone = "Europe/Berlin", daily = [400, 400, 400, 400, 400, 150, 100], profile = [0, 0, 0, 0, 0, 0, 0, 1, 3, 5, 6, 6, 5, 5, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0] }

[[team]]
name = "T"
timezone = "Europe/Berlin"
skills = ["care"]

[[team.shift]]
start = "07:00"
hours = 8
agents = 4

[[team.shift]]
start = "12:00"
hours = 8
agents = 3
"#;

fn in_dir(dir: &Path, args: &[&str]) -> Output {
    command(args).current_dir(dir).output().expect("wfmsim runs")
}

/// A scratch directory with `scenario.toml` and its exported history
/// (`h/intervals.csv`, `h/contacts.csv`), made once.
fn history() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("tests", "historycli");
        std::fs::write(dir.join("scenario.toml"), SCENARIO).unwrap();
        let o = in_dir(&dir, &["run", "scenario.toml", "--export-history", "h", "--output", "run.txt"]);
        assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
        dir
    })
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    stdout(o)
}

fn refused(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(2), "stdout: {}", stdout(o));
    stderr(o)
}

#[test]
fn forecast_into_a_scenario_gives_back_the_volumes_and_fits_and_run_takes_it_as_is() {
    let dir = history();
    let o = in_dir(
        dir,
        &[
            "forecast",
            "h/intervals.csv",
            "--records",
            "h/contacts.csv",
            "--horizon",
            "2w",
            "--into",
            "scenario.toml",
            "--output",
            "forecast.toml",
        ],
    );
    ok(&o);
    let text = std::fs::read_to_string(dir.join("forecast.toml")).unwrap();
    let v: toml::Table = text.parse().unwrap();
    // The day after the history, fourteen days; teams and shifts kept.
    assert_eq!(v["scenario"]["start"].as_str(), Some("2026-03-23"), "{text}");
    assert_eq!(v["scenario"]["days"].as_integer(), Some(14));
    assert_eq!(v["team"][0]["shift"][1]["agents"].as_integer(), Some(3));
    let q = &v["queue"][0];
    let daily: Vec<f64> = q["arrivals"]["daily"].as_array().unwrap().iter().map(|x| x.as_float().unwrap()).collect();
    for (got, want) in daily.iter().zip([400.0, 400.0, 400.0, 400.0, 400.0, 150.0, 100.0]) {
        assert!((got - want).abs() < 0.1 * want, "daily {daily:?}");
    }
    let h = &q["handle_time"];
    assert_eq!(h["distribution"].as_str(), Some("lognormal"), "{text}");
    assert!((h["mean_s"].as_float().unwrap() / 240.0 - 1.0).abs() < 0.05, "{text}");
    assert!((q["patience"]["mean_s"].as_float().unwrap() / 120.0 - 1.0).abs() < 0.2, "{text}");
    assert!(q["uncertainty"]["volume_cv"].as_float().is_some(), "{text}");
    // run takes it as it is.
    let o = in_dir(dir, &["run", "forecast.toml", "--replications", "2", "--format", "json"]);
    assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let offered = report["queues"][0]["horizon"]["offered"]["mean"].as_f64().unwrap();
    let expected: f64 = 2.0 * daily.iter().sum::<f64>();
    assert!((offered / expected - 1.0).abs() < 0.05, "offered {offered} vs {expected}");
}

#[test]
fn forecast_fragments_plan_months_and_reports() {
    let dir = history();
    let berlin = ["--timezone", "Europe/Berlin"];
    let forecast = |more: &[&str]| {
        let args: Vec<&str> = ["forecast", "h/intervals.csv"].iter().chain(&berlin).chain(more).copied().collect();
        ok(&in_dir(dir, &args))
    };
    let toml = forecast(&["--format", "toml", "--plan", "--horizon", "3m"]);
    let v: toml::Table = toml.parse().unwrap();
    assert_eq!(v["queue"][0]["name"].as_str(), Some("care"), "{toml}");
    let months = v["plan"]["queue"][0]["volume"]["monthly"].as_array().unwrap();
    assert_eq!(months.len(), 3, "{toml}");
    // April 2026: 22 weekdays, 4 Saturdays, 4 Sundays.
    let april = months[0].as_float().unwrap();
    assert!((april / (22.0 * 400.0 + 4.0 * 150.0 + 4.0 * 100.0) - 1.0).abs() < 0.1, "{toml}");
    let table = forecast(&["--horizon", "7d"]);
    assert!(table.starts_with("Forecast of 1 queue(s): 7 days from 2026-03-23"), "{table}");
    let csv = forecast(&["--horizon", "1d", "--format", "csv", "--intervals"]);
    assert!(csv.lines().count() > 24, "{csv}");
    let json = forecast(&["--horizon", "1d", "--format", "json"]);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
}

#[test]
fn forecast_actuals_until_reforecasts_the_rest_of_today() {
    let dir = history();
    let out = ok(&in_dir(
        dir,
        &["forecast", "h/intervals.csv", "--timezone", "Europe/Berlin", "--actuals-until", "12:00", "--horizon", "6h"],
    ));
    assert!(out.starts_with("Reforecast of today from its actuals so far"), "{out}");
    let row: Vec<&str> = out.lines().nth(2).unwrap().split_whitespace().collect();
    assert_eq!(row[..3], ["care", "2026-03-22", "12"], "{out}");
    let o = in_dir(
        dir,
        &[
            "forecast",
            "h/intervals.csv",
            "--actuals-until",
            "2026-03-22T12:00:00+01:00",
            "--horizon",
            "6h",
            "--into",
            "scenario.toml",
        ],
    );
    let scenario = ok(&o);
    assert!(stderr(&o).contains("12 interval(s) of the history after --actuals-until"), "{}", stderr(&o));
    let v: toml::Table = scenario.parse().unwrap();
    assert_eq!(v["scenario"]["start"].as_str(), Some("2026-03-22"));
    assert_eq!(v["scenario"]["days"].as_integer(), Some(1));
}

#[test]
fn backtest_renders_every_format() {
    let dir = history();
    let table = ok(&in_dir(dir, &["backtest", "h/intervals.csv", "--origins", "4"]));
    assert!(table.contains("baseline seasonal-naive"), "{table}");
    let csv = ok(&in_dir(dir, &["backtest", "h/intervals.csv", "--origins", "4", "--format", "csv"]));
    assert!(csv.lines().count() > 10, "{csv}");
    let json = ok(&in_dir(dir, &["backtest", "h/intervals.csv", "--origins", "4", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["backtest_version"], 1);
    let md = ok(&in_dir(dir, &["backtest", "h/intervals.csv", "--origins", "4", "--format", "markdown"]));
    assert!(md.contains("| "), "{md}");
    let html = ok(&in_dir(dir, &["backtest", "h/intervals.csv", "--origins", "4", "--format", "html"]));
    assert!(html.contains("<svg") && html.ends_with("</html>\n"), "{}", &html[html.len() - 100..]);
}

/// A fortnight of `SCENARIO` (with `mean_s` 240 replaced by `aht`) and
/// its history in `dir/name`.
fn fortnight(dir: &Path, name: &str, aht: &str) {
    let text = SCENARIO.replace("days = 77", "days = 14").replace("mean_s = 240", &format!("mean_s = {aht}"));
    std::fs::write(dir.join(format!("{name}.toml")), text).unwrap();
    let o = in_dir(dir, &["run", &format!("{name}.toml"), "--export-history", name, "--output", "run.txt"]);
    assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
}

#[test]
fn calibration_reproduces_its_own_history_and_finds_a_planted_aht_change() {
    let dir = scratch("tests", "historycli-calibrate");
    fortnight(&dir, "base", "240");
    fortnight(&dir, "slower", "288");
    let o = in_dir(&dir, &["calibrate", "base.toml", "base/intervals.csv", "--replications", "60"]);
    let table = ok(&o);
    assert_eq!(table.matches("reproduced").count(), 5, "{table}");
    let o =
        in_dir(&dir, &["calibrate", "base.toml", "slower/intervals.csv", "--replications", "60", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("the model does not reproduce the history: care"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let q = &v["queues"][0];
    assert_eq!(q["verdicts"]["aht_s"]["significant"], true);
    assert_eq!(q["verdicts"]["occupancy"]["significant"], true);
    assert_eq!(q["whole"]["kpis"]["aht_s"]["verdict"], "above");
    // The actual AHT is the planted 288 s, give or take its noise.
    let actual = q["whole"]["kpis"]["aht_s"]["actual"].as_f64().unwrap();
    assert!((actual / 288.0 - 1.0).abs() < 0.05, "{actual}");
    let csv =
        ok(&in_dir(&dir, &["calibrate", "base.toml", "base/intervals.csv", "--replications", "10", "--format", "csv"]));
    assert!(csv.starts_with(
        "queue,level,period,offered,agents,kpi,actual,mean,ci_low,ci_high,band_low,band_high,verdict,by\n"
    ));
    assert!(csv.contains("\ncare,interval,2026-01-05T09:00:00+01:00,"), "{}", &csv[..400]);
}

#[test]
fn bad_input_is_refused_with_its_place_and_what_is_allowed() {
    let dir = history();
    let e = refused(&in_dir(dir, &["forecast", "h/intervals.csv", "--horizon", "3x"]));
    assert!(e.contains("\"3x\"; allowed: a number and h, d, w or m (6h, 14d, 8w, 18m)"), "{e}");
    std::fs::write(dir.join("special.csv"), "date,label,factor\n2026-12-25,Christmas,0\n2026-02-30,Bad,1\n").unwrap();
    let e = refused(&in_dir(dir, &["forecast", "h/intervals.csv", "--special-days", "special.csv"]));
    assert!(e.contains("special.csv:3:1: date: \"2026-02-30\" is not a date; allowed: YYYY-MM-DD"), "{e}");
    let e = refused(&in_dir(dir, &["forecast", "h/intervals.csv", "--records", "h/contacts.csv"]));
    assert!(e.contains("--records gives the scenario its fitted handle time and patience"), "{e}");
    let e = refused(&in_dir(dir, &["forecast", "h/intervals.csv", "--into", "scenario.toml", "--format", "json"]));
    assert!(e.contains("--into") && e.contains("--format"), "{e}");
    let e = refused(&in_dir(dir, &["forecast", "h/intervals.csv", "--actuals-until", "25:00"]));
    assert!(e.contains("--actuals-until \"25:00\"; allowed: HH:MM"), "{e}");
    let e = refused(&in_dir(dir, &["forecast", "h/intervals.csv", "--format", "toml", "--plan", "--horizon", "10d"]));
    assert!(e.contains("holds no whole month"), "{e}");
    let e = refused(&in_dir(dir, &["backtest", "h/intervals.csv", "--origins", "0"]));
    assert!(e.contains("--origins"), "{e}");
    // A history without agents cannot be replayed.
    let text = std::fs::read_to_string(dir.join("h/intervals.csv")).unwrap();
    let stripped: String = text
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let keep: Vec<&str> = cells.iter().enumerate().filter(|(i, _)| *i != 7).map(|(_, c)| *c).collect();
            keep.join(",") + "\n"
        })
        .collect();
    assert!(text.lines().next().unwrap().split(',').nth(7) == Some("agents"));
    std::fs::write(dir.join("noagents.csv"), stripped).unwrap();
    let e = refused(&in_dir(dir, &["calibrate", "scenario.toml", "noagents.csv"]));
    assert!(e.contains("noagents.csv: no agents column; calibrate replays the staffing that worked"), "{e}");
    let e = refused(&in_dir(dir, &["calibrate", "missing.toml", "h/intervals.csv"]));
    assert!(e.contains("missing.toml: could not read the scenario"), "{e}");
}
