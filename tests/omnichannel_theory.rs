//! Chat and overflow routing against queueing theory, with fixed seeds.
//!
//! - A chat queue with `c` agents each holding up to `N` chats, no slowdown
//!   and exponential handle time is an M/M/(c·N) queue: every chat slot is
//!   a server. Its service level, ASA and slot utilization agree with
//!   Erlang C for c·N servers, and with exponential patience its service
//!   level, ASA, abandonment and slot utilization agree with Erlang A.
//! - Slowdown only ever slows chats down; with one chat per agent it
//!   changes nothing.
//! - Two voice queues whose teams take each other's contacts at once (same
//!   priority, `after_s = 0`) are one pooled M/M/(c₁+c₂) queue; with an
//!   overflow delay longer than any wait they are two dedicated M/M/c.
//!
//! As in `tests/theory.rs`, each check asks that the exact value lies in
//! the run's own 95% interval widened to a family-wise 95% level
//! (Bonferroni over every check in this file): the half-width is the
//! Student-t quantile at 1 − 0.05/(2·checks) times the run's standard
//! error, recovered from the report's ci95 as (hi − lo) / (2·t₀.₉₇₅).

use statrs::distribution::{ContinuousCDF, StudentsT};
use wfmsim::engine::simulate;
use wfmsim::erlang::{Kpis, Queue};
use wfmsim::kpi::Kpi;
use wfmsim::model::Model;
use wfmsim::montecarlo::RunOptions;
use wfmsim::results::{KpiSummaries, QueueResults};
use wfmsim::stats::{student_t_975, Summary};

const REPLICATIONS: u32 = 40;

/// Chat cases against Erlang C (service level, ASA, slot utilization).
const ERLANG_C_CHAT: [ChatCase; 4] = [
    ChatCase { agents: 10, chats: 1, by_skill: false, load: 0.85, patience: false },
    ChatCase { agents: 4, chats: 3, by_skill: false, load: 0.85, patience: false },
    ChatCase { agents: 20, chats: 2, by_skill: true, load: 0.90, patience: false },
    ChatCase { agents: 1, chats: 6, by_skill: false, load: 0.80, patience: false },
];

/// Chat cases against Erlang A (service level, ASA, abandonment, slot
/// utilization), one of them overloaded.
const ERLANG_A_CHAT: [ChatCase; 3] = [
    ChatCase { agents: 10, chats: 1, by_skill: false, load: 0.90, patience: true },
    ChatCase { agents: 5, chats: 4, by_skill: false, load: 1.10, patience: true },
    ChatCase { agents: 8, chats: 2, by_skill: true, load: 0.95, patience: true },
];

/// Every check in this file: the Erlang C chat cases × 3 KPIs, the
/// Erlang A chat cases × 4 KPIs, occupancy in the cases with one chat per
/// agent, and the two overflow set-ups (pooled, dedicated) × 2 queues × 2
/// KPIs.
const CHECKS: f64 = (ERLANG_C_CHAT.len() * 3
    + ERLANG_A_CHAT.len() * 4
    + one_chat_cases(&ERLANG_C_CHAT)
    + one_chat_cases(&ERLANG_A_CHAT)
    + 2 * 2 * 2) as f64;

/// Cases with one chat per agent, where occupancy (time holding at least
/// one chat) is slot utilization too and is checked as well.
const fn one_chat_cases(cases: &[ChatCase]) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < cases.len() {
        if cases[i].chats == 1 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// A stationary chat queue: `agents` agents always on duty, each holding up
/// to `chats` chats (set on the queue, or by the team's skill when
/// `by_skill`), offered `load` × agents × chats Erlangs.
#[derive(Debug, Clone, Copy)]
struct ChatCase {
    agents: u32,
    chats: u32,
    by_skill: bool,
    /// Offered load per chat slot (Erlangs / (agents × chats)).
    load: f64,
    /// Exponential patience of 2/3 of the handle time (Erlang A).
    patience: bool,
}

impl ChatCase {
    fn slots(&self) -> u32 {
        self.agents * self.chats
    }

    /// Handle time: short where few slots make the queue slow to mix, so a
    /// simulated day holds many independent busy periods (as `aht_for` in
    /// `tests/theory.rs`).
    fn aht_s(&self) -> f64 {
        if self.slots() <= 5 {
            20.0
        } else {
            60.0
        }
    }

    fn within_s(&self) -> f64 {
        self.aht_s() / 9.0
    }

    fn patience_s(&self) -> Option<f64> {
        self.patience.then(|| self.aht_s() * 2.0 / 3.0)
    }

    fn rate_per_hour(&self) -> f64 {
        self.load * self.slots() as f64 / self.aht_s() * 3600.0
    }

    fn name(&self) -> String {
        format!(
            "chat {} agents × {} chats{} at {:.0}% load{}",
            self.agents,
            self.chats,
            if self.by_skill { " (skill concurrency)" } else { "" },
            self.load * 100.0,
            if self.patience { " with patience" } else { "" }
        )
    }

    /// The scenario, with chat slowdown `slowdown`.
    fn scenario(&self, slowdown: f64, seed: u64) -> ChatScenario {
        let (queue_chats, skill_chats) = if self.by_skill { (1, Some(self.chats)) } else { (self.chats, None) };
        ChatScenario {
            agents: self.agents,
            queue_chats,
            skill_chats,
            slowdown,
            aht_s: self.aht_s(),
            within_s: self.within_s(),
            patience_s: self.patience_s(),
            rate_per_hour: self.rate_per_hour(),
            seed,
        }
    }

    fn model(&self, slowdown: f64, seed: u64) -> Model {
        self.scenario(slowdown, seed).model()
    }

    /// Erlang C or A for `agents × chats` servers.
    fn exact(&self) -> Kpis {
        Queue {
            arrival_rate: self.rate_per_hour() / 3600.0,
            mean_handle_s: self.aht_s(),
            mean_patience_s: self.patience_s(),
        }
        .kpis(self.slots(), self.within_s())
        .expect("a steady state")
    }
}

/// One chat queue served by one team always on duty, as a scenario file
/// writes it.
#[derive(Debug, Clone, Copy)]
struct ChatScenario {
    agents: u32,
    /// The queue's `concurrency`.
    queue_chats: u32,
    /// The team's skill `concurrency`, overriding the queue's.
    skill_chats: Option<u32>,
    slowdown: f64,
    aht_s: f64,
    within_s: f64,
    patience_s: Option<f64>,
    rate_per_hour: f64,
    seed: u64,
}

impl ChatScenario {
    fn model(&self) -> Model {
        let skill = match self.skill_chats {
            Some(n) => format!("{{ queue = \"chat\", concurrency = {n} }}"),
            None => "\"chat\"".to_string(),
        };
        let patience = self
            .patience_s
            .map_or(String::new(), |p| format!("patience = {{ distribution = \"exponential\", mean_s = {p} }}"));
        let src = format!(
            r#"
[scenario]
name = "chat theory"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
warmup_hours = 24
replications = {REPLICATIONS}
seed = {seed}

[[queue]]
name = "chat"
channel = "chat"
concurrency = {queue_chats}
slowdown = {slowdown}
handle_time = {{ distribution = "exponential", mean_s = {aht} }}
{patience}
target = {{ within_s = {within} }}
arrivals = {{ rate_per_hour = {rate} }}

[[team]]
name = "all-day"
skills = [{skill}]
agents = {agents}
"#,
            seed = self.seed,
            queue_chats = self.queue_chats,
            slowdown = self.slowdown,
            aht = self.aht_s,
            within = self.within_s,
            rate = self.rate_per_hour,
            agents = self.agents,
        );
        wfmsim::input::compile(&src, "chat.toml").expect("valid scenario").model
    }
}

/// Asserts that `exact` lies in the family-wise widened interval of `s`.
///
/// When an event is so rare that no replication saw it, every replication
/// gives the same value and the interval has no width; the rule of three
/// then bounds the probability of the unseen event by 3/offered, in units
/// of `scale` (1 for shares, the handle time for waits).
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

/// Runs every replication of `model` and returns its queues' results.
fn run(model: &Model) -> Vec<QueueResults> {
    wfmsim::montecarlo::run(model, &RunOptions::for_model(model), &|| {}).unwrap().queues
}

/// Contacts offered over every replication.
fn offered(k: &KpiSummaries) -> f64 {
    k.get(Kpi::Offered).expect("contacts were offered").mean * REPLICATIONS as f64
}

// ---- chat against Erlang C and Erlang A ----

#[test]
fn chat_without_slowdown_is_erlang_c_with_a_server_per_chat_slot() {
    for (k, case) in ERLANG_C_CHAT.iter().enumerate() {
        let exact = case.exact();
        let sim = run(&case.model(0.0, 400 + k as u64)).remove(0).horizon.kpis;
        let (name, n, aht) = (case.name(), offered(&sim), case.aht_s());
        assert_agrees("service level", &name, sim.get(Kpi::ServiceLevel), exact.service_level, n, 1.0);
        assert_agrees("ASA", &name, sim.get(Kpi::Asa), exact.asa_s, n, aht);
        assert_agrees("slot utilization", &name, sim.get(Kpi::SlotUtilization), exact.occupancy, n, 1.0);
        if case.chats == 1 {
            assert_agrees("occupancy", &name, sim.get(Kpi::Occupancy), exact.occupancy, n, 1.0);
        }
    }
}

#[test]
fn chat_with_patience_and_without_slowdown_is_erlang_a_with_a_server_per_chat_slot() {
    for (k, case) in ERLANG_A_CHAT.iter().enumerate() {
        let exact = case.exact();
        let sim = run(&case.model(0.0, 500 + k as u64)).remove(0).horizon.kpis;
        let (name, n, aht) = (case.name(), offered(&sim), case.aht_s());
        assert_agrees("service level", &name, sim.get(Kpi::ServiceLevel), exact.service_level, n, 1.0);
        assert_agrees("ASA", &name, sim.get(Kpi::Asa), exact.asa_s, n, aht);
        assert_agrees("abandon rate", &name, sim.get(Kpi::AbandonRate), exact.p_abandon, n, 1.0);
        assert_agrees("slot utilization", &name, sim.get(Kpi::SlotUtilization), exact.occupancy, n, 1.0);
        if case.chats == 1 {
            assert_agrees("occupancy", &name, sim.get(Kpi::Occupancy), exact.occupancy, n, 1.0);
        }
    }
}

#[test]
fn the_chat_check_can_fail_a_wrong_formula() {
    // Guards the tolerance: Erlang C for one slot fewer (11 instead of 4 × 3)
    // must be rejected.
    let case = ERLANG_C_CHAT[1];
    let wrong =
        Queue { arrival_rate: case.rate_per_hour() / 3600.0, mean_handle_s: case.aht_s(), mean_patience_s: None }
            .kpis(case.slots() - 1, case.within_s())
            .unwrap();
    let sim = run(&case.model(0.0, 7)).remove(0).horizon.kpis;
    let n = offered(&sim);
    let result = std::panic::catch_unwind(|| {
        assert_agrees("service level", "wrong", sim.get(Kpi::ServiceLevel), wrong.service_level, n, 1.0)
    });
    assert!(result.is_err(), "Erlang C for {} slots passed for {}", case.slots() - 1, case.slots());
}

// ---- slowdown ----

#[test]
fn slowdown_lengthens_chats_and_lowers_the_service_level() {
    // 4 agents × 3 chats at half load: with slowdown 0.3 three open chats
    // each run at 1/1.6 of full speed, so the queue works much harder.
    let case = ChatCase { agents: 4, chats: 3, by_skill: false, load: 0.5, patience: false };
    let (fast, slow) = (case.model(0.0, 600), case.model(0.3, 600));
    let most_slowdown = 1.0 + 0.3 * (case.chats as f64 - 1.0);

    // Same seed, same arrivals and work: chat by chat, the wall time lies
    // between the work and the work × (1 + s(N − 1)), so the same holds for
    // the mean over the same chats, in every replication (no patience: every
    // chat is answered and ends).
    for r in 0..4 {
        let (f, s) = (simulate(&fast, r).total(0), simulate(&slow, r).total(0));
        assert_eq!(f.offered, s.offered, "same arrivals");
        assert_eq!((f.handle_n, s.handle_n), (f.offered, s.offered), "every chat ends");
        let (work, wall) = (f.handle_s / f.handle_n as f64, s.handle_s / s.handle_n as f64);
        assert!(wall >= work && wall <= work * most_slowdown * (1.0 + 1e-12), "replication {r}: {wall} vs {work}");
    }

    let (f, s) = (run(&fast).remove(0).horizon.kpis, run(&slow).remove(0).horizon.kpis);
    let ci = |k: &KpiSummaries, kpi| k.get(kpi).and_then(|s| s.ci95).expect("defined");
    let (f_aht, s_aht) = (ci(&f, Kpi::Aht), ci(&s, Kpi::Aht));
    assert!(s_aht[0] > f_aht[1] * 1.15, "AHT: slowdown {s_aht:?} vs none {f_aht:?}");
    let (f_sl, s_sl) = (ci(&f, Kpi::ServiceLevel), ci(&s, Kpi::ServiceLevel));
    assert!(s_sl[1] < f_sl[0] - 0.05, "service level: slowdown {s_sl:?} vs none {f_sl:?}");
    let (f_asa, s_asa) = (ci(&f, Kpi::Asa), ci(&s, Kpi::Asa));
    assert!(s_asa[0] > f_asa[1], "ASA: slowdown {s_asa:?} vs none {f_asa:?}");
}

#[test]
fn slowdown_changes_nothing_when_agents_hold_one_chat_at_a_time() {
    // k is never above 1, so every chat runs at full speed: the counters,
    // not just the summaries, are the same, with the queue's concurrency of
    // 1 and with a team's skill that brings a concurrency-3 queue down to 1.
    let one = ChatCase { agents: 6, chats: 1, by_skill: false, load: 0.85, patience: true };
    let (plain, slowed) = (one.model(0.0, 700), one.model(0.6, 700));
    for r in 0..3 {
        assert_eq!(simulate(&plain, r), simulate(&slowed, r), "replication {r}");
    }
    assert_eq!(run(&plain), run(&slowed));

    // The same queue allowing 3 chats at once, which the team's skill
    // brings down to 1.
    let capped = ChatScenario { queue_chats: 3, skill_chats: Some(1), ..one.scenario(0.6, 700) }.model();
    for r in 0..3 {
        assert_eq!(simulate(&capped, r), simulate(&plain, r), "replication {r}");
    }
}

// ---- overflow between two voice teams ----

/// Two voice queues, "a" (λa) and "b" (λb), with teams "A" (`agents_a`) and
/// "B" (`agents_b`): each team takes its own queue at once and the other's
/// once a contact has waited `after_s` (both at priority 1).
struct Overflow {
    agents_a: u32,
    agents_b: u32,
    rate_a_per_hour: f64,
    rate_b_per_hour: f64,
}

const AHT_S: f64 = 60.0;
const WITHIN_S: f64 = 10.0;

impl Overflow {
    fn model(&self, after_s: f64, seed: u64) -> Model {
        self.build(Some(after_s), seed)
    }

    /// The same queues and teams with no overflow: each team has its own
    /// skill only.
    fn dedicated(&self, seed: u64) -> Model {
        self.build(None, seed)
    }

    fn build(&self, after_s: Option<f64>, seed: u64) -> Model {
        let other = |q: &str| {
            after_s
                .map_or(String::new(), |after_s| format!(", {{ queue = \"{q}\", priority = 1, after_s = {after_s} }}"))
        };
        let src = format!(
            r#"
[scenario]
name = "overflow"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
warmup_hours = 24
replications = {REPLICATIONS}
seed = {seed}

[[queue]]
name = "a"
handle_time = {{ distribution = "exponential", mean_s = {AHT_S} }}
target = {{ within_s = {WITHIN_S} }}
arrivals = {{ rate_per_hour = {ra} }}

[[queue]]
name = "b"
handle_time = {{ distribution = "exponential", mean_s = {AHT_S} }}
target = {{ within_s = {WITHIN_S} }}
arrivals = {{ rate_per_hour = {rb} }}

[[team]]
name = "A"
skills = [{{ queue = "a", priority = 1 }}{other_b}]
agents = {na}

[[team]]
name = "B"
skills = [{{ queue = "b", priority = 1 }}{other_a}]
agents = {nb}
"#,
            ra = self.rate_a_per_hour,
            rb = self.rate_b_per_hour,
            na = self.agents_a,
            nb = self.agents_b,
            other_a = other("a"),
            other_b = other("b"),
        );
        wfmsim::input::compile(&src, "overflow.toml").expect("valid scenario").model
    }

    fn erlang_c(rate_per_hour: f64, agents: u32) -> Kpis {
        Queue { arrival_rate: rate_per_hour / 3600.0, mean_handle_s: AHT_S, mean_patience_s: None }
            .kpis(agents, WITHIN_S)
            .expect("a steady state")
    }
}

/// Queue "a" is loaded to 90% of its own 8 agents, "b" to 73% of its own
/// 12: together 16 Erlangs on 20 agents (80%).
const TWO_TEAMS: Overflow = Overflow {
    agents_a: 8,
    agents_b: 12,
    rate_a_per_hour: 7.2 / AHT_S * 3600.0,
    rate_b_per_hour: 8.8 / AHT_S * 3600.0,
};

#[test]
fn overflow_at_once_pools_two_teams_into_one_erlang_c_queue() {
    // Both teams take both queues at once at one priority: one M/M/20 with
    // the summed arrivals, first come first served across the queues, so
    // each queue's callers see the pooled queue's wait.
    let o = &TWO_TEAMS;
    let pooled = Overflow::erlang_c(o.rate_a_per_hour + o.rate_b_per_hour, o.agents_a + o.agents_b);
    let own_a = Overflow::erlang_c(o.rate_a_per_hour, o.agents_a);
    assert!(pooled.service_level > own_a.service_level + 0.1, "pooling must matter for queue a");
    for q in run(&o.model(0.0, 801)) {
        let k = &q.horizon.kpis;
        let case = format!("pooled, queue {}", q.name);
        assert_agrees("service level", &case, k.get(Kpi::ServiceLevel), pooled.service_level, offered(k), 1.0);
        assert_agrees("ASA", &case, k.get(Kpi::Asa), pooled.asa_s, offered(k), AHT_S);
    }
}

#[test]
fn overflow_after_longer_than_any_wait_leaves_two_dedicated_erlang_c_queues() {
    // after_s = 1e5 s (28 hours): no contact waits that long at these
    // loads, so each team only ever takes its own queue.
    let o = &TWO_TEAMS;
    let exact = [Overflow::erlang_c(o.rate_a_per_hour, o.agents_a), Overflow::erlang_c(o.rate_b_per_hour, o.agents_b)];
    for (q, exact) in run(&o.model(1e5, 802)).iter().zip(exact) {
        let k = &q.horizon.kpis;
        let case = format!("dedicated, queue {}", q.name);
        assert_agrees("service level", &case, k.get(Kpi::ServiceLevel), exact.service_level, offered(k), 1.0);
        assert_agrees("ASA", &case, k.get(Kpi::Asa), exact.asa_s, offered(k), AHT_S);
    }
}

#[test]
fn an_overflow_that_never_fires_changes_nothing() {
    // With after_s beyond any wait the other team never takes a contact:
    // every counter is the one of two teams with their own skill only.
    let o = &TWO_TEAMS;
    let (never, dedicated) = (o.model(1e5, 804), o.dedicated(804));
    for r in 0..4 {
        assert_eq!(simulate(&never, r), simulate(&dedicated, r), "replication {r}");
    }
}

#[test]
fn overflow_after_a_while_lies_between_dedicated_and_pooled() {
    // No exact formula here, an ordering: queue a, the busier, is answered
    // sooner when team B helps with contacts that waited 20 s than when it
    // never does, and later than when it helps at once. Even its service
    // level in 10 s rises, as the contacts B takes shorten the line. The
    // gaps are tens of points and many ASAs apart, far beyond noise.
    let o = &TWO_TEAMS;
    let queue_a = |after_s: f64| {
        let k = run(&o.model(after_s, 803)).remove(0).horizon.kpis;
        let ci = |kpi| k.get(kpi).and_then(|s| s.ci95).expect("defined");
        (ci(Kpi::ServiceLevel), ci(Kpi::Asa))
    };
    let (at_once, after_20, never) = (queue_a(0.0), queue_a(20.0), queue_a(1e5));
    let all = format!("(SL, ASA) CIs at once {at_once:?}, after 20 s {after_20:?}, never {never:?}");
    assert!(at_once.0[0] > after_20.0[1] + 0.05 && after_20.0[0] > never.0[1] + 0.05, "{all}");
    assert!(at_once.1[1] < after_20.1[0] && after_20.1[1] * 2.0 < never.1[0], "{all}");
}

/// One agent whose only skill takes queue "a" after `after_s`; six
/// contacts an hour of one minute each, so the agent is nearly always free
/// when a contact has waited `after_s`.
fn late_team(after_s: f64) -> Model {
    let src = format!(
        r#"
[scenario]
name = "overflow timer"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
seed = 5

[[queue]]
name = "a"
handle_time = {{ distribution = "constant", value_s = 60 }}
target = {{ within_s = 40 }}
arrivals = {{ rate_per_hour = 6 }}

[[team]]
name = "late"
skills = [{{ queue = "a", after_s = {after_s} }}]
agents = 1
"#
    );
    wfmsim::input::compile(&src, "late.toml").expect("valid scenario").model
}

#[test]
fn a_team_taking_a_queue_after_whole_seconds_answers_every_contact() {
    for after_s in [1.0, 30.0] {
        let c = simulate(&late_team(after_s), 0).total(0);
        assert!(c.offered > 100, "{c:?}");
        assert_eq!((c.answered, c.unserved), (c.offered, 0), "after_s = {after_s}: {c:?}");
        assert!(c.wait_answered_s >= after_s * c.answered as f64, "every contact waits at least after_s: {c:?}");
    }
}

#[test]
fn a_team_taking_a_queue_after_a_fraction_of_a_second_answers_every_contact() {
    // The timer fires at arrival + after_s; the elapsed wait recomputed as
    // now − arrival is then a rounding error short of after_s for about
    // half of all arrival times, so no team qualifies, the same head is not
    // re-armed, and the idle agent never learns of the contact: it and
    // everything behind it wait until the end.
    for after_s in [0.1, 0.001, 7.3] {
        let c = simulate(&late_team(after_s), 0).total(0);
        assert!(c.offered > 100, "{c:?}");
        assert_eq!((c.answered, c.unserved), (c.offered, 0), "after_s = {after_s}: {c:?}");
    }
}
