//! Invariants that must hold in every replication of every scenario,
//! checked over many randomly drawn scenarios (fixed seed, so the same ones
//! every run).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wfmsim::engine::simulate;
use wfmsim::model::Model;

/// A random but valid scenario: 1–3 queues, 1–3 teams with random skills,
/// shifts with staggered breaks or always-on agents, any distribution.
fn random_scenario(rng: &mut ChaCha8Rng) -> String {
    let queues = rng.random_range(1..=3);
    let mut s = format!(
        "[scenario]\nname = \"random\"\nstart = \"2026-03-07\"\ndays = 2\ninterval_minutes = {}\ntimezone = \"America/New_York\"\nwarmup_hours = {}\nseed = {}\n",
        [15, 30, 60][rng.random_range(0..3)],
        rng.random_range(0..4),
        rng.random_range(0..1000)
    );
    for q in 0..queues {
        let dist = match rng.random_range(0..4) {
            0 => format!("{{ distribution = \"exponential\", mean_s = {} }}", rng.random_range(30..600)),
            1 => format!(
                "{{ distribution = \"lognormal\", mean_s = {}, cv = {:.2} }}",
                rng.random_range(30..600),
                rng.random_range(0.2..2.0)
            ),
            2 => format!(
                "{{ distribution = \"gamma\", mean_s = {}, cv = {:.2} }}",
                rng.random_range(30..600),
                rng.random_range(0.2..2.0)
            ),
            _ => format!("{{ distribution = \"constant\", value_s = {} }}", rng.random_range(30..600)),
        };
        let patience = if rng.random_bool(0.6) {
            format!("patience = {{ distribution = \"exponential\", mean_s = {} }}\n", rng.random_range(10..400))
        } else {
            String::new()
        };
        s += &format!(
            "[[queue]]\nname = \"q{q}\"\nhandle_time = {dist}\n{patience}target = {{ within_s = {} }}\narrivals = {{ timezone = \"Europe/London\", rate_per_hour = {} }}\n",
            rng.random_range(0..60),
            rng.random_range(1..400)
        );
    }
    for t in 0..rng.random_range(1..=3) {
        let mut skills = Vec::new();
        for q in 0..queues {
            if rng.random_bool(0.7) {
                skills.push(format!("{{ queue = \"q{q}\", priority = {} }}", rng.random_range(1..3)));
            }
        }
        let skills = if skills.is_empty() { vec!["\"q0\"".to_string()] } else { skills };
        s += &format!("[[team]]\nname = \"t{t}\"\ntimezone = \"Asia/Kolkata\"\nskills = [{}]\n", skills.join(", "));
        if rng.random_bool(0.3) {
            s += &format!("agents = {}\n", rng.random_range(0..20));
        } else {
            for _ in 0..rng.random_range(1..4) {
                let hours = rng.random_range(2..12);
                s += &format!(
                    "[[team.shift]]\nstart = \"{:02}:{:02}\"\nhours = {hours}\nagents = {}\nbreaks = [{{ after_minutes = 60, minutes = 15, window_minutes = {} }}]\n",
                    rng.random_range(0..24),
                    [0, 15, 30, 45][rng.random_range(0..4)],
                    rng.random_range(1..15),
                    rng.random_range(0..45)
                );
            }
        }
    }
    s
}

#[test]
fn counts_balance_and_agents_are_never_busier_than_staffed() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    for case in 0..60 {
        let src = random_scenario(&mut rng);
        let model = Model::from_toml(&src, "random.toml").unwrap_or_else(|e| panic!("case {case}: {e}\n{src}")).model;
        let counters = simulate(&model, case);
        for q in 0..model.queues.len() {
            for (i, c) in counters.queue_cells(q).iter().enumerate() {
                assert_eq!(
                    c.offered,
                    c.answered + c.abandoned + c.unserved,
                    "case {case} queue {q} interval {i}\n{src}"
                );
                assert!(c.answered_within <= c.answered && c.abandoned_within <= c.abandoned, "case {case}");
                assert!(c.wait_answered_s >= 0.0 && c.handle_s >= 0.0, "case {case}");
            }
        }
        for t in 0..model.teams.len() {
            for (i, c) in counters.team_cells(t).iter().enumerate() {
                assert!(
                    c.busy_s <= c.staffed_s + 1e-6,
                    "case {case} team {t} interval {i}: busy {} > staffed {}\n{src}",
                    c.busy_s,
                    c.staffed_s
                );
                assert!(c.staffed_s >= 0.0, "case {case}");
            }
        }
        // Reproducible: the same replication gives the same counters.
        assert_eq!(counters, simulate(&model, case), "case {case}");
    }
}
