//! One cost model everywhere (src/cost.rs): a team priced per hour with
//! paid overtime and a partner priced per handled contact cost the same
//! in `run`, `staff` and `plan`, to the cent; the currency travels with
//! every amount; bad prices and currencies are refused with file, line,
//! column and what is allowed.

use serde_json::Value;

use crate::common::{scratch, stderr, wfmsim};

/// One queue, team A (30 an hour, 10% of its hours overtime at 1.5) and a
/// partner P paid 2.50 per contact it answers (EN overflow after 20 s).
const PRICED: &str = r#"
[scenario]
name = "priced"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
replications = 20
seed = 5
currency = "EUR"

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 240 }
patience = { distribution = "exponential", mean_s = 120 }
target = { service_level = 0.8, within_s = 20 }
arrivals = { rate_per_hour = 60 }

[[team]]
name = "A"
skills = ["q"]
agents = 4
cost_per_hour = 30.0
overtime = { share = 0.1, premium = 1.5 }

[[team]]
name = "P"
skills = [{ queue = "q", after_s = 20 }]
agents = 2
cost_per_contact = 2.5
"#;

fn json(name: &str, text: &str, args: &[&str]) -> Value {
    let dir = scratch("cost", name);
    let path = dir.join("s.toml");
    std::fs::write(&path, text).unwrap();
    let mut all = vec![args[0], path.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(&args[1..]);
    let o = wfmsim(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn run_prices_paid_hours_with_overtime_and_the_partners_handled_contacts() {
    let doc = json("run", PRICED, &["run"]);
    assert_eq!(doc["currency"], "EUR");
    let a = &doc["teams"][0]["horizon"];
    // 96 paid hours: 86.4 at 30, 9.6 at 30 × 1.5.
    assert_eq!(f(&a["paid_hours"]), 96.0);
    assert_eq!(cents(f(&a["cost"])), cents(86.4 * 30.0 + 9.6 * 45.0));
    assert_eq!(cents(f(&a["cost_lines"]["overtime"])), cents(9.6 * 45.0));
    let p = &doc["teams"][1]["horizon"];
    let handled = f(&p["handled"]["mean"]);
    assert!(handled > 100.0, "the partner answers the overflow: {handled}");
    assert_eq!(cents(f(&p["cost"])), cents(handled * 2.5));
    // Its cost varies with the contacts it answered.
    let spread = &p["cost_percentiles"];
    assert!(f(&spread["p10"]) < f(&spread["p90"]), "{spread}");
    assert_eq!(cents(f(&doc["all_teams"][0]["cost"])), cents(f(&a["cost"]) + f(&p["cost"])));
}

#[test]
fn staff_prices_a_queue_at_the_share_weighted_rate_of_its_teams_and_names_them() {
    let doc = json("staff", PRICED, &["staff", "--replications", "4"]);
    assert_eq!(doc["currency"], "EUR");
    let q = &doc["queues"][0];
    // A works 96 of the 144 paid hours on the queue, P 48.
    assert_eq!(
        q["cost_teams"],
        serde_json::json!([{ "team": "A", "share": 2.0 / 3.0 }, { "team": "P", "share": 1.0 / 3.0 }])
    );
    assert_eq!(cents(f(&q["cost_per_hour"])), cents(2.0 / 3.0 * 31.5));
    assert_eq!(cents(f(&q["cost_per_contact"])), cents(2.5 / 3.0));
    let t = &q["totals"];
    let s = &t["simulated"];
    let expected = f(&s["scheduled_hours"]) * f(&q["cost_per_hour"]) + f(&t["answered"]) * f(&q["cost_per_contact"]);
    assert_eq!(cents(f(&s["cost"])), cents(expected));
}

#[test]
fn plan_prices_with_the_teams_own_price_and_the_same_lines() {
    let plan = "[plan]\nstart = \"2027-01\"\nmonths = 12\nreplications = 4\nrequirement_replications = 2\n\
        [[plan.queue]]\nname = \"q\"\nvolume = { base = 40000 }\nshares = { A = 0.8, P = 0.2 }\n\
        [[plan.team]]\nname = \"A\"\nheadcount = 30\nhiring = { policy = \"none\" }\n\
        [[plan.team]]\nname = \"P\"\npartner = true\n";
    let doc = json("plan", &format!("{PRICED}\n{plan}"), &["plan"]);
    assert_eq!(doc["currency"], "EUR");
    let a = &doc["teams"][0];
    assert_eq!((a["price_basis"].as_str(), f(&a["price"])), (Some("per hour"), 30.0));
    // January: 30 heads on payroll all month (no attrition, no hires), 40
    // paid hours a week each, at 30 an hour.
    let jan = &a["rows"][0]["cost"]["pay"]["mean"];
    assert_eq!(cents(f(jan)), cents(30.0 * 40.0 * 31.0 / 7.0 * 30.0));
    let p = &doc["teams"][1];
    assert_eq!(p["price_basis"], "per contact");
    for row in p["rows"].as_array().unwrap() {
        let contacts = &row["cost"]["contacts"];
        assert_eq!(cents(f(&contacts["mean"])), cents(f(&row["handled"]) * 2.5), "{row}");
    }
    // The partner's cost varies with the simulated weeks.
    let jan = &p["rows"][0]["cost"]["contacts"];
    assert!(f(&jan["p10"]) < f(&jan["p90"]), "{jan}");
}

fn refused(from: &str, to: &str) -> String {
    assert!(PRICED.contains(from), "{from:?}");
    let dir = scratch("cost", "bad");
    let path = dir.join("s.toml");
    std::fs::write(&path, PRICED.replacen(from, to, 1)).unwrap();
    let o = wfmsim(&["validate", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    stderr(&o).replace(path.to_str().unwrap(), "s.toml")
}

#[test]
fn bad_prices_overtime_and_currencies_are_refused_with_file_line_column_and_what_is_allowed() {
    let e = refused("cost_per_contact = 2.5", "cost_per_contact = -2.5");
    assert!(e.contains("s.toml:30:20: team[1].cost_per_contact: -2.5 is out of range; allowed: an amount per contact from 0 to 1e6"), "{e}");
    let e = refused("cost_per_contact = 2.5", "cost_per_contact = nan");
    assert!(
        e.contains("s.toml:30:20: team[1].cost_per_contact: NaN is out of range; allowed: an amount per contact"),
        "{e}"
    );
    let e = refused("cost_per_hour = 30.0", "cost_per_hour = 30.0\ncost_per_fte_month = 4000");
    assert!(
        e.contains("team[0].cost_per_fte_month: a second price (cost_per_hour and cost_per_fte_month); allowed: one of cost_per_hour, cost_per_contact, cost_per_fte_month"),
        "{e}"
    );
    let e = refused("share = 0.1", "share = 1.5");
    assert!(e.contains("team[0].overtime.share: 1.5 is out of range; allowed: a share from 0 to 1"), "{e}");
    let e = refused("currency = \"EUR\"", "currency = \"eur\"");
    assert!(
        e.contains("s.toml:10:12: scenario.currency: \"eur\" is not an ISO 4217 currency code; allowed: three upper-case letters"),
        "{e}"
    );
    let e = refused("currency = \"EUR\"", "currency = \"EUX\"");
    assert!(e.contains("scenario.currency: \"EUX\" is not an ISO 4217 currency code"), "{e}");
}

/// A day team with shift rules (for `schedule`), paid 30 an hour with 10%
/// of its hours overtime at 1.5, and the partner.
const RULED: &str = r#"
[scenario]
name = "ruled"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
replications = 10
seed = 7
currency = "EUR"

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 300 }
patience = { distribution = "exponential", mean_s = 200 }
target = { service_level = 0.8, within_s = 20 }
arrivals = { rates_per_hour = [0, 0, 0, 0, 0, 0, 60, 80, 100, 120, 120, 120, 120, 120, 120, 120, 100, 100, 80, 80, 60, 60, 0, 0] }

[[team]]
name = "Day"
skills = ["q"]
cost_per_hour = 30
overtime = { share = 0.1, premium = 1.5 }

[[team.shift_rule]]
name = "day"
starts = { from = "05:00", to = "14:00", every_minutes = 60 }
hours = [8]
days_on = [7]
"#;

#[test]
fn schedule_prices_its_roster_as_run_prices_the_emitted_scenario_to_the_cent() {
    let dir = scratch("cost", "schedule");
    let path = dir.join("s.toml");
    std::fs::write(&path, RULED).unwrap();
    let emitted = dir.join("rostered.toml");
    let o = wfmsim(&[
        "schedule",
        path.to_str().unwrap(),
        "--objective",
        "cost",
        "--format",
        "json",
        "--emit-scenario",
        emitted.to_str().unwrap(),
    ]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let roster: Value = serde_json::from_slice(&o.stdout).unwrap();
    let paid = f(&roster["paid_hours"]);
    assert_eq!(cents(f(&roster["cost"])), cents(paid * 0.9 * 30.0 + paid * 0.1 * 45.0));
    let run = json("schedule-run", &std::fs::read_to_string(&emitted).unwrap(), &["run"]);
    let team = &run["teams"][0]["horizon"];
    assert_eq!(f(&team["paid_hours"]), paid);
    assert_eq!(cents(f(&team["cost"])), cents(f(&roster["cost"])));
}

#[test]
fn compare_and_sweep_price_the_partner_on_what_each_replication_handled() {
    let dir = scratch("cost", "compare");
    let (a, b) = (dir.join("a.toml"), dir.join("b.toml"));
    std::fs::write(&a, PRICED).unwrap();
    std::fs::write(&b, PRICED.replacen("cost_per_contact = 2.5", "cost_per_contact = 3.0", 1)).unwrap();
    let o = wfmsim(&["compare", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["currency"], "EUR");
    let run = json("compare-run", PRICED, &["run"]);
    let handled = f(&run["teams"][1]["horizon"]["handled"]["mean"]);
    let p = &doc["teams"][1]["horizon"]["cost"];
    // Same random numbers: the partner handles the same contacts on both
    // sides, so B − A is 0.50 × what it handled.
    assert_eq!(cents(f(&p["a"])), cents(handled * 2.5));
    assert_eq!(cents(f(&p["difference"])), cents(handled * 0.5));
    let sweep = json("sweep", PRICED, &["sweep", "--vary", "team.P.cost_per_contact=2:3:1"]);
    assert_eq!(sweep["currency"], "EUR");
    let points = sweep["points"].as_array().unwrap();
    assert_eq!(cents(f(&points[1]["cost"]) - f(&points[0]["cost"])), cents(handled));
}
