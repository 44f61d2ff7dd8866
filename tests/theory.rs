//! The simulation against queueing theory: stationary M/M/c against Erlang
//! C and M/M/c+M against Erlang A, with fixed seeds.
//!
//! Each check asks that the exact value lies within the run's own
//! confidence interval. One test file makes many checks, so each interval
//! is the run's 95% interval widened to a family-wise 95% level
//! (Bonferroni over every check in the file): the half-width is the
//! Student-t quantile at 1 − 0.05/(2·checks) times the run's standard error,
//! which the report's ci95 gives as (hi − lo) / (2·t₀.₉₇₅).

use statrs::distribution::{ContinuousCDF, StudentsT};
use wfmsim::erlang::Queue;
use wfmsim::kpi::Kpi;
use wfmsim::model::Model;
use wfmsim::montecarlo::{run, RunOptions};
use wfmsim::stats::{student_t_975, Summary};

const REPLICATIONS: u32 = 40;
/// Every check in this file: 12 Erlang C cases × 3 KPIs, 9 Erlang A cases
/// × 3 KPIs, and 2 pooling set-ups × 2 queues × 2 KPIs.
const CHECKS: f64 = 12.0 * 3.0 + 9.0 * 3.0 + 8.0;

fn scenario(agents: u32, rate_per_hour: f64, aht_s: f64, within_s: f64, patience_s: Option<f64>, seed: u64) -> Model {
    let patience =
        patience_s.map_or(String::new(), |p| format!("patience = {{ distribution = \"exponential\", mean_s = {p} }}"));
    let src = format!(
        r#"
[scenario]
name = "theory"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
warmup_hours = 24
replications = {REPLICATIONS}
seed = {seed}

[[queue]]
name = "q"
handle_time = {{ distribution = "exponential", mean_s = {aht_s} }}
{patience}
target = {{ within_s = {within_s} }}
arrivals = {{ rate_per_hour = {rate_per_hour} }}

[[team]]
name = "all-day"
skills = ["q"]
agents = {agents}
"#
    );
    wfmsim::input::compile(&src, "theory.toml").expect("valid scenario").model
}

/// Asserts that `exact` lies in the family-wise widened interval of `s`.
///
/// When an event is so rare that no replication saw it (no contact waited
/// beyond the threshold among `offered` contacts), every replication gives
/// the same value and the interval has no width; the rule of three then
/// bounds the probability of the unseen event by 3/offered, in units of
/// `scale` (1 for shares, the handle time for waits).
fn assert_agrees(what: &str, case: &str, s: Option<Summary>, exact: f64, offered: f64, scale: f64) {
    let s = s.unwrap_or_else(|| panic!("{case}: {what} undefined"));
    let [lo, hi] = s.ci95.expect("several replications");
    let se = (hi - lo) / (2.0 * student_t_975(REPLICATIONS as usize - 1));
    let t = StudentsT::new(0.0, 1.0, (REPLICATIONS - 1) as f64).unwrap().inverse_cdf(1.0 - 0.05 / (2.0 * CHECKS));
    let half = (t * se).max(3.0 / offered * scale);
    assert!(
        (s.mean - exact).abs() <= half,
        "{case}: {what} simulated {:.5} ± {:.5} (95% CI [{lo:.5}, {hi:.5}]), exact {exact:.5}",
        s.mean,
        half
    );
}

/// Runs `model` and returns the horizon KPIs of its one queue.
fn horizon(model: &Model) -> wfmsim::results::KpiSummaries {
    run(model, &RunOptions::for_model(model), &|| {}).unwrap().queues[0].horizon.kpis.clone()
}

/// Handle time per case, short where few agents make the queue slow to mix,
/// so a day of simulated time holds enough independent busy periods. The
/// threshold scales with it, which leaves the exact answer's shape alike.
fn aht_for(agents: u32) -> f64 {
    match agents {
        0..=5 => 20.0,
        6..=50 => 60.0,
        _ => 180.0,
    }
}

#[test]
fn mmc_agrees_with_erlang_c_for_loads_70_85_95_percent_and_3_to_500_agents() {
    let mut seed = 100;
    for agents in [3u32, 20, 100, 500] {
        for rho in [0.70, 0.85, 0.95] {
            let aht = aht_for(agents);
            let within = aht / 9.0;
            let rate_per_hour = rho * agents as f64 / aht * 3600.0;
            seed += 1;
            let model = scenario(agents, rate_per_hour, aht, within, None, seed);
            let exact = Queue { arrival_rate: rate_per_hour / 3600.0, mean_handle_s: aht, mean_patience_s: None }
                .kpis(agents, within)
                .unwrap();
            let sim = horizon(&model);
            let offered = sim.get(Kpi::Offered).unwrap().mean * REPLICATIONS as f64;
            let case = format!("M/M/{agents} at {:.0}% load", rho * 100.0);
            assert_agrees("service level", &case, sim.get(Kpi::ServiceLevel), exact.service_level, offered, 1.0);
            assert_agrees("ASA", &case, sim.get(Kpi::Asa), exact.asa_s, offered, aht);
            assert_agrees("occupancy", &case, sim.get(Kpi::Occupancy), exact.occupancy, offered, 1.0);
        }
    }
}

#[test]
fn mmc_plus_m_agrees_with_erlang_a_including_overload() {
    let mut seed = 200;
    for agents in [10u32, 100, 300] {
        for rho in [0.90, 1.10, 1.30] {
            let aht = aht_for(agents);
            let within = aht / 9.0;
            let patience = aht * 2.0 / 3.0;
            let rate_per_hour = rho * agents as f64 / aht * 3600.0;
            seed += 1;
            let model = scenario(agents, rate_per_hour, aht, within, Some(patience), seed);
            let exact =
                Queue { arrival_rate: rate_per_hour / 3600.0, mean_handle_s: aht, mean_patience_s: Some(patience) }
                    .kpis(agents, within)
                    .unwrap();
            let sim = horizon(&model);
            let offered = sim.get(Kpi::Offered).unwrap().mean * REPLICATIONS as f64;
            let case = format!("M/M/{agents}+M at {:.0}% load", rho * 100.0);
            assert_agrees("P(abandon)", &case, sim.get(Kpi::AbandonRate), exact.p_abandon, offered, 1.0);
            assert_agrees("service level", &case, sim.get(Kpi::ServiceLevel), exact.service_level, offered, 1.0);
            assert_agrees("ASA", &case, sim.get(Kpi::Asa), exact.asa_s, offered, aht);
        }
    }
}

#[test]
fn the_check_can_fail_a_wrong_formula() {
    // Guards the tolerance: Erlang C with one agent fewer must be rejected.
    let (agents, aht) = (20u32, 60.0);
    let rate_per_hour = 0.85 * agents as f64 / aht * 3600.0;
    let model = scenario(agents, rate_per_hour, aht, aht / 9.0, None, 7);
    let wrong = Queue { arrival_rate: rate_per_hour / 3600.0, mean_handle_s: aht, mean_patience_s: None }
        .kpis(agents - 1, aht / 9.0)
        .unwrap();
    let sim = horizon(&model);
    let offered = sim.get(Kpi::Offered).unwrap().mean * REPLICATIONS as f64;
    let result = std::panic::catch_unwind(|| {
        assert_agrees("service level", "wrong", sim.get(Kpi::ServiceLevel), wrong.service_level, offered, 1.0)
    });
    assert!(result.is_err(), "a formula for {} agents passed for {agents}", agents - 1);
}

#[test]
fn a_pooled_team_serving_two_queues_behaves_as_one_erlang_c_queue() {
    // Two identical queues, each λ at 85% of 10 agents. Separate teams of 10
    // agents are two M/M/10 systems; one team of 20 agents with both skills
    // at one priority is a single M/M/20 with 2λ (FCFS across the queues).
    let (aht, within, agents) = (60.0, 60.0 / 9.0, 10u32);
    let rate = 0.85 * agents as f64 / aht * 3600.0;
    let build = |teams: &str, seed: u64| {
        let src = format!(
            r#"
[scenario]
name = "pooling"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
warmup_hours = 24
replications = {REPLICATIONS}
seed = {seed}

[[queue]]
name = "a"
handle_time = {{ distribution = "exponential", mean_s = {aht} }}
target = {{ within_s = {within} }}
arrivals = {{ rate_per_hour = {rate} }}

[[queue]]
name = "b"
handle_time = {{ distribution = "exponential", mean_s = {aht} }}
target = {{ within_s = {within} }}
arrivals = {{ rate_per_hour = {rate} }}
{teams}
"#
        );
        wfmsim::input::compile(&src, "pooling.toml").unwrap().model
    };
    let separate = build(
        "[[team]]\nname = \"A\"\nskills = [\"a\"]\nagents = 10\n[[team]]\nname = \"B\"\nskills = [\"b\"]\nagents = 10\n",
        301,
    );
    let pooled = build("[[team]]\nname = \"AB\"\nskills = [\"a\", \"b\"]\nagents = 20\n", 302);
    let one = Queue { arrival_rate: rate / 3600.0, mean_handle_s: aht, mean_patience_s: None };
    let both = Queue { arrival_rate: 2.0 * rate / 3600.0, ..one };
    let exact_separate = one.kpis(10, within).unwrap();
    let exact_pooled = both.kpis(20, within).unwrap();
    assert!(exact_pooled.service_level > exact_separate.service_level + 0.05, "pooling must matter in this case");

    for (model, exact, name) in [(&separate, exact_separate, "separate"), (&pooled, exact_pooled, "pooled")] {
        let results = run(model, &RunOptions::for_model(model), &|| {}).unwrap();
        for q in &results.queues {
            let k = &q.horizon.kpis;
            let offered = k.get(Kpi::Offered).unwrap().mean * REPLICATIONS as f64;
            let case = format!("{name} queue {}", q.name);
            assert_agrees("service level", &case, k.get(Kpi::ServiceLevel), exact.service_level, offered, 1.0);
            assert_agrees("ASA", &case, k.get(Kpi::Asa), exact.asa_s, offered, aht);
        }
    }
}

/// A published Erlang A example (pyworkforce's ErlangA tests): 200
/// contacts an hour, AHT 3 min, mean patience 5 min, 14 agents, 20 s.
/// Their "ASA" of 0.069919 min is the mean time in queue over all
/// arrivals, abandoners included (= P(abandon) × mean patience, 4.195 s);
/// ours is the mean wait of answered contacts, a different quantity.
#[test]
fn erlang_a_matches_pyworkforces_published_example() {
    let queue = Queue { arrival_rate: 200.0 / 3600.0, mean_handle_s: 180.0, mean_patience_s: Some(300.0) };
    let k = queue.kpis(14, 20.0).expect("stable");
    for (what, ours, theirs) in [
        ("P(wait)", k.p_wait, 0.14526),
        ("P(abandon)", k.p_abandon, 0.013984),
        ("occupancy", k.occupancy, 0.704297),
        ("service level", k.service_level, 0.916792),
    ] {
        assert!((ours - theirs).abs() < 5e-6, "{what}: {ours} against {theirs}");
    }
    let wait_all_arrivals = k.p_abandon * 300.0;
    assert!((wait_all_arrivals - 0.069919 * 60.0).abs() < 0.01, "{wait_all_arrivals}");
    assert!(k.asa_s < wait_all_arrivals && (k.asa_s - 3.88).abs() < 0.01, "{}", k.asa_s);
}
