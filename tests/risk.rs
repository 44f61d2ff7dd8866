//! Risk: forecast error (`[uncertainty]`), unplanned absence
//! (`absence_rate`) and risk as an answer (P(meet) with its Wilson
//! interval, the risk section, staffing at a confidence).
//!
//! The statistical checks use per-replication counters from the library
//! with fixed seeds: each estimate must lie within 4 of its own standard
//! errors of the value theory gives (a family of a dozen checks; 4 SE is
//! far past a 95% family-wise level, and a wrong construction misses by
//! tens of standard errors).

use crate::common::{stderr, stdout, wfmsim};
use serde_json::Value;
use wfmsim::engine::simulate;
use wfmsim::model::Model;

/// Reported days per replication.
const DAYS: usize = 5;
/// Contacts per hour of each queue (a day's mean λ is 24 × this).
const RATE: f64 = 100.0;

/// Two queues (`a` and `b`) served by no team (so only arrivals are
/// simulated, fast), with `uncertainty` lines at the top and per queue.
fn two_queues(uncertainty: &str, a: &str, b: &str) -> Model {
    let src = format!(
        r#"
[scenario]
name = "risk"
start = "2026-11-23"
days = {DAYS}
interval_minutes = 60
timezone = "UTC"
seed = 11

[uncertainty]
{uncertainty}

[[queue]]
name = "a"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
arrivals = {{ rate_per_hour = {RATE} }}
{a}

[[queue]]
name = "b"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
arrivals = {{ rate_per_hour = {RATE} }}
{b}

[[queue]]
name = "other"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
arrivals = {{ rate_per_hour = 0.001 }}

[[team]]
name = "T"
skills = ["other"]
agents = 1
"#
    );
    wfmsim::input::compile(&src, "risk.toml").unwrap().model
}

/// Each day's offered contacts of queues a and b, over `n` replications.
fn daily_offered(model: &Model, n: u32) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for r in 0..n {
        let c = simulate(model, r);
        for d in &model.days {
            let offered = |q: usize| c.queue_sum(q, d.interval_range()).offered as f64;
            out.push((offered(0), offered(1)));
        }
    }
    out
}

/// Mean, variance and the standard error of the variance (from the
/// fourth central moment) of `xs`.
fn moments(xs: &[f64]) -> (f64, f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let m4 = xs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n;
    (mean, var, ((m4 - var * var) / n).sqrt())
}

fn correlation(pairs: &[(f64, f64)]) -> f64 {
    let a: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let b: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let ((ma, va, _), (mb, vb, _)) = (moments(&a), moments(&b));
    let cov = pairs.iter().map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / (pairs.len() as f64 - 1.0);
    cov / (va * vb).sqrt()
}

#[test]
fn daily_offered_is_poisson_gamma_mean_lambda_variance_lambda_plus_cv2_lambda2() {
    let cv = 0.2;
    let model = two_queues(&format!("volume_cv = {cv}"), "", "uncertainty = { volume_cv = 0 }");
    let days = daily_offered(&model, 300);
    let lambda = 24.0 * RATE;
    let a: Vec<f64> = days.iter().map(|d| d.0).collect();
    let (mean, var, var_se) = moments(&a);
    let expected = lambda + cv * cv * lambda * lambda;
    assert!((mean - lambda).abs() < 4.0 * (var / a.len() as f64).sqrt(), "mean {mean} vs λ {lambda}");
    assert!((var - expected).abs() < 4.0 * var_se, "variance {var} ± {var_se} vs λ + cv²λ² = {expected}");
    // Queue b overrides the CV to 0: Poisson, variance λ.
    let b: Vec<f64> = days.iter().map(|d| d.1).collect();
    let (_, var_b, se_b) = moments(&b);
    assert!((var_b - lambda).abs() < 4.0 * se_b, "variance {var_b} ± {se_b} vs λ {lambda}");
}

#[test]
fn two_queues_daily_volumes_correlate_as_set_even_with_different_cvs() {
    let lambda = 24.0 * RATE;
    // The volumes' correlation: the factors' (ρ) diluted by Poisson noise.
    let expected = |rho: f64, ca: f64, cb: f64| {
        rho * lambda * lambda * ca * cb / ((lambda + (lambda * ca).powi(2)) * (lambda + (lambda * cb).powi(2))).sqrt()
    };
    for (rho, ca, cb) in [(0.6, 0.2, 0.2), (0.8, 0.1, 0.3), (0.0, 0.2, 0.2), (1.0, 0.15, 0.15)] {
        let model = two_queues(
            &format!("correlation = {rho}"),
            &format!("uncertainty = {{ volume_cv = {ca} }}"),
            &format!("uncertainty = {{ volume_cv = {cb} }}"),
        );
        let days = daily_offered(&model, 300);
        let r = correlation(&days);
        let e = expected(rho, ca, cb);
        let se = (1.0 - e * e) / (days.len() as f64).sqrt();
        assert!((r - e).abs() < 4.0 * se, "ρ {rho}, cvs {ca}/{cb}: correlation {r} vs {e} ± {se}");
    }
}

#[test]
fn intraday_cv_spreads_an_interval_and_aht_cv_a_days_mean_handle_time() {
    // Intraday: an hour's offered has variance λh + cv²λh² on top of the
    // day's factor (none here).
    let cv = 0.3;
    let model = two_queues(&format!("intraday_cv = {cv}"), "", "");
    let mut hours = Vec::new();
    for r in 0..40 {
        let c = simulate(&model, r);
        hours.extend(c.queue_cells(0).iter().map(|cell| cell.offered as f64));
    }
    let (mean, var, se) = moments(&hours);
    let expected = RATE + cv * cv * RATE * RATE;
    assert!((mean - RATE).abs() < 4.0 * (var / hours.len() as f64).sqrt(), "{mean}");
    assert!((var - expected).abs() < 4.0 * se, "hourly variance {var} ± {se} vs {expected}");

    // AHT: a day's mean handle time varies by the day's factor (CV 0.1)
    // and by sampling (exponential handle times, CV 1, over the day's n).
    let src = r#"
[scenario]
name = "aht"
start = "2026-11-23"
days = 5
interval_minutes = 60
timezone = "UTC"
seed = 4

[uncertainty]
aht_cv = 0.1

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 180 }
arrivals = { rate_per_hour = 100 }

[[team]]
name = "T"
skills = ["q"]
agents = 40
"#;
    let model = wfmsim::input::compile(src, "aht.toml").unwrap().model;
    let (mut ratios, mut noise) = (Vec::new(), 0.0);
    for r in 0..60 {
        let c = simulate(&model, r);
        for d in &model.days {
            let cell = c.queue_sum(0, d.interval_range());
            ratios.push(cell.handle_s / cell.handle_n as f64 / 180.0);
            noise += 1.0 / cell.handle_n as f64;
        }
    }
    let (mean, var, se) = moments(&ratios);
    let expected = 0.1f64.powi(2) * (1.0 + noise / ratios.len() as f64) + noise / ratios.len() as f64;
    assert!((mean - 1.0).abs() < 4.0 * (var / ratios.len() as f64).sqrt(), "{mean}");
    assert!((var - expected).abs() < 4.0 * se, "daily AHT variance {var} ± {se} vs {expected}");
}

/// A team's absence at `rate`: always on duty (drawn per agent-day) or on
/// shifts (per agent-shift).
fn absence_model(team: &str) -> Model {
    let src = format!(
        r#"
[scenario]
name = "absence"
start = "2026-11-23"
days = 4
interval_minutes = 60
timezone = "UTC"
seed = 8

[[queue]]
name = "q"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
arrivals = {{ rate_per_hour = 0.001 }}

[[team]]
name = "T"
skills = ["q"]
{team}
"#
    );
    wfmsim::input::compile(&src, "absence.toml").unwrap().model
}

#[test]
fn staffed_hours_fall_by_the_absence_rate_and_absent_hours_make_up_the_rest() {
    let rate = 0.15;
    for team in [
        format!("agents = 20\nabsence_rate = {rate}"),
        format!("absence_rate = {rate}\n[[team.shift]]\nstart = \"08:00\"\nhours = 8\nagents = 30\n"),
    ] {
        let model = absence_model(&team);
        let paid = model.paid_seconds(0, 0.0, model.report_end_s());
        let mut shares = Vec::new();
        for r in 0..200 {
            let c = simulate(&model, r);
            let t = c.team_sum(&[0], 0..model.n_intervals);
            // Nobody is busy at the end of a day: staffed + absent is the
            // roster's paid time exactly.
            assert!((t.staffed_s + t.absent_s - paid).abs() < 1e-6 * paid, "{team}: {t:?} vs {paid}");
            shares.push(t.absent_s / paid);
        }
        let (mean, var, _) = moments(&shares);
        let se = (var / shares.len() as f64).sqrt();
        assert!((mean - rate).abs() < 4.0 * se, "{team}: absent share {mean} ± {se} vs {rate}");
        assert!(var > 0.0, "absence varies between replications");
    }
}

#[test]
fn a_scenario_without_uncertainty_draws_as_before_and_absence_leaves_other_teams_alone() {
    // Absence 0 written out is the same scenario as none written.
    let plain = absence_model("agents = 5");
    let zero = absence_model("agents = 5\nabsence_rate = 0");
    assert_eq!(simulate(&plain, 3), simulate(&zero, 3));
    let zero = two_queues("volume_cv = 0\ncorrelation = 0.5", "", "");
    let none = two_queues("", "", "");
    assert_eq!(simulate(&zero, 2), simulate(&none, 2));
}

#[test]
fn run_reports_p_meet_with_wilson_intervals_risks_absent_hours_and_cost_spread() {
    let o = wfmsim(&["run", "scenarios/risk-week.toml", "--replications", "40", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let sl = &doc["queues"][0]["horizon"]["targets"]["service_level"];
    let (share, ci) = (sl["met_share"].as_f64().unwrap(), sl["met_ci95"].as_array().unwrap());
    let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
    assert!(lo <= share && share <= hi && hi - lo > 0.0, "{sl}");
    // The risk list: below 95%, lowest first, at most 5, each as its day reports it.
    let risk = doc["risk"].as_array().unwrap();
    assert!(!risk.is_empty() && risk.len() <= 5, "{risk:?}");
    let shares: Vec<f64> = risk.iter().map(|r| r["met_share"].as_f64().unwrap()).collect();
    assert!(shares.windows(2).all(|w| w[0] <= w[1]) && shares.iter().all(|s| *s < 0.95), "{shares:?}");
    let first = &risk[0];
    let queue = doc["queues"].as_array().unwrap().iter().find(|q| q["name"] == first["queue"]).unwrap();
    let day = queue["periods"].as_array().unwrap().iter().find(|p| p["label"] == first["label"]).unwrap();
    assert_eq!(day["targets"][first["target"].as_str().unwrap()]["met_share"], first["met_share"]);
    // Teams: absent hours; Manila's unpaid absence makes its cost vary.
    for team in doc["teams"].as_array().unwrap() {
        let h = &team["horizon"];
        let (paid, staffed, absent) = (
            h["paid_hours"].as_f64().unwrap(),
            h["staffed_hours"]["mean"].as_f64().unwrap(),
            h["absent_hours"]["mean"].as_f64().unwrap(),
        );
        assert!(absent > 0.02 * paid && absent < 0.15 * paid, "{}: {absent} of {paid}", team["name"]);
        assert!(staffed < paid - absent + 1.0, "{}", team["name"]);
        let spread = &h["cost_percentiles"];
        if team["name"] == "Manila BPO" {
            let p = |k: &str| spread[k].as_f64().unwrap();
            let cost = h["cost"].as_f64().unwrap();
            assert!(p("p10") < p("p90") && p("p10") <= cost && cost <= p("p90"), "{spread}");
            assert!(cost < 14.0 * paid, "unpaid absence lowers cost: {cost}");
        } else {
            assert!(spread.is_null(), "paid absence: cost does not vary");
            assert_eq!(
                h["cost"].as_f64().unwrap(),
                h["paid_hours"].as_f64().unwrap() * if team["name"] == "Austin" { 34.0 } else { 24.0 }
            );
        }
    }
    let table = wfmsim(&["run", "scenarios/risk-week.toml", "--replications", "40"]);
    let text = stdout(&table);
    assert!(text.contains("\nRisk (the days most likely to miss a target"), "{text}");
    assert!(text.contains("absent hours") && text.contains("cost P10 / P50 / P90"), "{text}");
    let safe = stdout(&wfmsim(&["run", "scenarios/single-queue-day.toml", "--replications", "20"]));
    assert!(safe.contains("every day met every target in at least 95.0% of replications"), "{safe}");
    assert!(!safe.contains("absent hours"), "no absence, no column");
}

#[test]
fn uncertain_runs_are_identical_whatever_the_thread_count_and_shards() {
    crate::common::same_bytes_whatever_the_threads(&[
        "run",
        "scenarios/risk-week.toml",
        "--replications",
        "6",
        "--format",
        "json",
    ]);
}

/// The least agents `staff` requires for queue `support` over its day
/// (summed over intervals), with `extra` arguments.
fn staff_total(cv: f64, confidence: &str) -> f64 {
    let dir = crate::common::scratch("risk", &format!("staff-{cv}-{confidence}"));
    let path = dir.join("s.toml");
    let src = format!(
        r#"
[scenario]
name = "staff"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
replications = 60
seed = 3

[uncertainty]
volume_cv = {cv}

[[queue]]
name = "support"
handle_time = {{ distribution = "exponential", mean_s = 180 }}
patience = {{ distribution = "exponential", mean_s = 120 }}
target = {{ service_level = 0.8, within_s = 20 }}
arrivals = {{ rates_per_hour = [20, 20, 20, 20, 20, 20, 60, 120, 200, 240, 240, 220, 200, 220, 240, 220, 180, 140, 100, 60, 40, 30, 20, 20] }}

[[team]]
name = "T"
skills = ["support"]
agents = 10
"#
    );
    std::fs::write(&path, src).unwrap();
    let o = wfmsim(&["staff", path.to_str().unwrap(), "--confidence", confidence, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let q = &doc["queues"][0];
    q["intervals"].as_array().unwrap().iter().map(|i| i["required"]["simulated"].as_f64().unwrap()).sum()
}

#[test]
fn staffing_at_a_confidence_covers_forecast_error() {
    let (certain, half, ninety) = (staff_total(0.0, "0.9"), staff_total(0.2, "0.5"), staff_total(0.2, "0.9"));
    assert!(ninety > half, "0.9 needs more than 0.5 with forecast error: {ninety} vs {half}");
    assert!(ninety > certain + 10.0, "forecast error needs more at 0.9: {ninety} vs {certain}");
}
