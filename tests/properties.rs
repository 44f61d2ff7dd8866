//! Invariants that must hold in every replication of every scenario,
//! checked over many randomly drawn scenarios (fixed seed, so the same ones
//! every run).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wfmsim::engine::simulate;

/// A random but valid scenario: 1–3 queues of any channel (voice, chat with
/// concurrency and slowdown, email with an initial backlog), 1–3 teams with
/// random skills, priorities and overflow delays, shifts with staggered
/// breaks or always-on agents, any distribution.
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
        let channel = ["voice", "chat", "email"][rng.random_range(0..3)];
        let patience = if channel != "email" && rng.random_bool(0.6) {
            format!("patience = {{ distribution = \"exponential\", mean_s = {} }}\n", rng.random_range(10..400))
        } else {
            String::new()
        };
        let options = match channel {
            "chat" => format!(
                "concurrency = {}\nslowdown = {:.2}\ntarget = {{ within_s = {} }}\n",
                rng.random_range(1..5),
                rng.random_range(0.0..0.6),
                rng.random_range(0..60)
            ),
            "email" => format!(
                "target = {{ within_hours = {} }}\ninitial_backlog = {{ items = {}, mean_age_hours = {} }}\n",
                rng.random_range(1..48),
                rng.random_range(0..200),
                rng.random_range(0..30)
            ),
            _ => format!("target = {{ within_s = {} }}\n", rng.random_range(0..60)),
        };
        s += &format!(
            "[[queue]]\nname = \"q{q}\"\nchannel = \"{channel}\"\nhandle_time = {dist}\n{patience}{options}arrivals = {{ timezone = \"Europe/London\", rate_per_hour = {} }}\n",
            rng.random_range(1..400)
        );
    }
    for t in 0..rng.random_range(1..=3) {
        let mut skills = Vec::new();
        for q in 0..queues {
            if rng.random_bool(0.7) {
                let after = if rng.random_bool(0.3) { rng.random_range(1..120) } else { 0 };
                skills
                    .push(format!("{{ queue = \"q{q}\", priority = {}, after_s = {after} }}", rng.random_range(1..3)));
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
fn counts_balance_backlog_is_conserved_and_agents_are_never_busier_than_staffed() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    for case in 0..60 {
        let src = random_scenario(&mut rng);
        let model =
            wfmsim::input::compile(&src, "random.toml").unwrap_or_else(|e| panic!("case {case}: {e}\n{src}")).model;
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
            if !model.queues[q].channel.is_live() {
                // Backlog in = backlog out, interval by interval.
                let (cells, flow, backlog) =
                    (counters.queue_cells(q), counters.flow_cells(q), counters.backlog_cells(q));
                for i in 0..cells.len() {
                    assert_eq!(
                        backlog[i].open + cells[i].offered,
                        flow[i].handled + backlog[i + 1].open,
                        "case {case} queue {q} interval {i}\n{src}"
                    );
                }
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
                assert!(
                    c.slots_used_s <= c.slots_staffed_s + 1e-6,
                    "case {case} team {t} interval {i}: chat slots used {} > staffed {}\n{src}",
                    c.slots_used_s,
                    c.slots_staffed_s
                );
            }
        }
        // Reproducible: the same replication gives the same counters.
        assert_eq!(counters, simulate(&model, case), "case {case}");
    }
}
