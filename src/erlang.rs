//! Exact analytic queueing formulas: Erlang B, Erlang C (M/M/c) and
//! Erlang A (M/M/c+M, exponential patience).
//!
//! These are the oracles the simulation is tested against and the starting
//! point of the staffing search. Every formula is computed with recursions
//! and ratios that stay finite for tens of thousands of agents: no factorials,
//! no powers of the load. Every loop is bounded: by the agents (and stopped
//! once the answer can no longer change), or by [`MAX_QUEUE_STATES`].

/// A stationary queue as the Erlang formulas see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Queue {
    /// Arrivals per second.
    pub arrival_rate: f64,
    /// Mean handle time, seconds.
    pub mean_handle_s: f64,
    /// Mean patience, seconds; `None` when nobody abandons (Erlang C).
    pub mean_patience_s: Option<f64>,
}

/// Steady-state KPIs of a queue with a given number of agents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kpis {
    /// Agents on the queue.
    pub agents: u32,
    /// Offered load in Erlangs (arrival rate × mean handle time).
    pub load: f64,
    /// Probability that an arriving contact waits at all.
    pub p_wait: f64,
    /// Answered within the threshold / offered.
    pub service_level: f64,
    /// Mean wait of answered contacts, seconds.
    pub asa_s: f64,
    /// Abandoned / offered.
    pub p_abandon: f64,
    /// Share of agent time spent handling contacts.
    pub occupancy: f64,
}

/// Why a queue has no steady state.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum Unstable {
    /// Without abandonment the queue grows without bound when load ≥ agents.
    #[error("load {load:.3} Erlangs needs more than {agents} agents: the queue grows without bound")]
    Overloaded {
        /// Agents offered to the queue.
        agents: u32,
        /// Offered load, Erlangs.
        load: f64,
    },
    /// With abandonment the queue settles where abandonment balances the
    /// excess, about (λ − cμ)/θ contacts, and spreads around that: with very
    /// patient callers over more states than the exact Erlang A evaluates.
    #[error(
        "load {load:.3} Erlangs on {agents} agents: the queue would reach beyond the {MAX_QUEUE_STATES} waiting \
         contacts the exact Erlang A evaluates (it settles near {waiting:.0}); add agents or shorten the patience"
    )]
    QueueTooLong {
        /// Agents offered to the queue.
        agents: u32,
        /// Offered load, Erlangs.
        load: f64,
        /// Where the queue settles, (λ − cμ)/θ, or 0 when it drains.
        waiting: f64,
    },
}

/// Most queue states the exact Erlang A evaluates: under 2 MB of masses and
/// a few milliseconds per level.
pub const MAX_QUEUE_STATES: usize = 100_000;

impl Queue {
    /// Offered load in Erlangs.
    pub fn load(&self) -> f64 {
        self.arrival_rate * self.mean_handle_s
    }

    /// KPIs with `agents` agents and a service-level threshold of `within_s`
    /// seconds. Erlang C when nobody abandons, Erlang A otherwise.
    pub fn kpis(&self, agents: u32, within_s: f64) -> Result<Kpis, Unstable> {
        match self.mean_patience_s {
            None => erlang_c_kpis(self, agents, within_s),
            Some(patience) => erlang_a_kpis(self, agents, within_s, patience),
        }
    }
}

/// Erlang B: probability that an arrival finds all `agents` busy in a loss
/// system with `load` Erlangs. Computed by the stable recursion
/// B(n) = a·B(n−1) / (n + a·B(n−1)), which stops once B underflows to zero
/// (it only falls further), so many agents on a small load cost no more than
/// the load needs.
pub fn erlang_b(agents: u32, load: f64) -> f64 {
    let mut b = 1.0;
    for n in 1..=agents {
        b = load * b / (n as f64 + load * b);
        if b == 0.0 {
            break;
        }
    }
    b
}

/// Past this, ln(1/B) is so large that every share relative to it rounds to
/// zero; the recursion stops there.
const LN_INVERSE_B_CEILING: f64 = 2000.0;

/// ln(1/B(c, a)) by the same recursion, 1/B(n) = 1 + (n/a)·1/B(n−1),
/// from ln(a): finite where B itself underflows (thousands of agents on a
/// small load) and where the load underflows. Once the agents exceed the
/// load the value only grows; it is cut at [`LN_INVERSE_B_CEILING`].
fn ln_inverse_erlang_b(agents: u32, ln_load: f64) -> f64 {
    if ln_load < -300.0 {
        return ln_inverse_erlang_b_in_logs(agents, ln_load);
    }
    // 1/B(n) = u · e^scale, with u rescaled before it overflows; `one` is 1
    // on that scale.
    const RESCALE: f64 = 1e280;
    let inverse_load = (-ln_load).exp();
    let (mut u, mut one, mut scale) = (1.0f64, 1.0f64, 0.0f64);
    for n in 1..=agents {
        u = one + n as f64 * inverse_load * u;
        if u > RESCALE {
            (u, one, scale) = (u / RESCALE, one / RESCALE, scale + RESCALE.ln());
            if scale > LN_INVERSE_B_CEILING && (n as f64).ln() > ln_load {
                break;
            }
        }
    }
    scale + u.ln()
}

/// The same in log space, one logarithm per agent, for loads whose inverse
/// would overflow.
fn ln_inverse_erlang_b_in_logs(agents: u32, ln_load: f64) -> f64 {
    let mut l = 0.0f64;
    for n in 1..=agents {
        // ln(1 + e^x), without overflow for large x.
        let x = (n as f64).ln() - ln_load + l;
        l = if x > 0.0 { x + (-x).exp().ln_1p() } else { x.exp().ln_1p() };
        if l > LN_INVERSE_B_CEILING && (n as f64).ln() > ln_load {
            break;
        }
    }
    l
}

/// Erlang C: probability that an arrival waits in M/M/c, or `None` when
/// `load >= agents` (no steady state).
pub fn erlang_c(agents: u32, load: f64) -> Option<f64> {
    let c = agents as f64;
    if load >= c {
        return None;
    }
    if load <= 0.0 {
        return Some(0.0);
    }
    let b = erlang_b(agents, load);
    Some(c * b / (c - load * (1.0 - b)))
}

fn erlang_c_kpis(queue: &Queue, agents: u32, within_s: f64) -> Result<Kpis, Unstable> {
    let load = queue.load();
    let c = agents as f64;
    let p_wait = erlang_c(agents, load).ok_or(Unstable::Overloaded { agents, load })?;
    let h = queue.mean_handle_s;
    let (service_level, asa_s) = if p_wait == 0.0 {
        (1.0, 0.0)
    } else {
        (1.0 - p_wait * (-(c - load) * within_s / h).exp(), p_wait * h / (c - load))
    };
    Ok(Kpis {
        agents,
        load,
        p_wait,
        service_level,
        asa_s,
        p_abandon: 0.0,
        occupancy: if agents == 0 { 0.0 } else { load / c },
    })
}

/// Relative tail masses are dropped below this share of the total.
const TAIL_EPSILON: f64 = 1e-16;

/// Shortest mean patience Erlang A resolves, seconds. Shorter patience is
/// taken as this: callers who find every agent busy leave at once (the
/// Erlang B limit), and the KPIs move by less than rates × 1e-12 s.
const MIN_PATIENCE_S: f64 = 1e-12;

/// Callers this patient, relative to how fast an Erlang C queue drains
/// (θ / (cμ − λ)), abandon with a probability below this: Erlang C is then
/// the answer, and the chain, which would need ever more states, is not
/// evaluated.
const NEGLIGIBLE_ABANDONMENT: f64 = 1e-12;

/// Rates of the Erlang A chain once every agent is busy, per second.
#[derive(Debug, Clone, Copy)]
struct Rates {
    /// Arrivals, λ.
    lambda: f64,
    /// Service completions with every agent busy, cμ.
    service: f64,
    /// Abandonment of each waiting contact, θ.
    theta: f64,
}

/// Erlang A (Palm's M/M/c+M). The number in system is a birth–death chain
/// with birth rate λ and death rate min(n,c)·μ + (n−c)⁺·θ. An arrival that
/// finds k contacts ahead of it in queue is served after k+1 "advances",
/// each at rate c·μ + j·θ, while its own patience runs at rate θ.
fn erlang_a_kpis(queue: &Queue, agents: u32, within_s: f64, mean_patience_s: f64) -> Result<Kpis, Unstable> {
    let load = queue.load();
    let r = Rates {
        lambda: queue.arrival_rate,
        service: agents as f64 / queue.mean_handle_s,
        theta: 1.0 / mean_patience_s.max(MIN_PATIENCE_S),
    };
    if r.lambda <= 0.0 {
        return Ok(Kpis { agents, load, p_wait: 0.0, service_level: 1.0, asa_s: 0.0, p_abandon: 0.0, occupancy: 0.0 });
    }
    if r.lambda < r.service && r.theta <= NEGLIGIBLE_ABANDONMENT * (r.service - r.lambda) {
        return erlang_c_kpis(queue, agents, within_s);
    }
    let waiting = ((r.lambda - r.service) / r.theta).max(0.0);
    let too_long = Unstable::QueueTooLong { agents, load, waiting };
    if waiting > MAX_QUEUE_STATES as f64 {
        return Err(too_long);
    }
    let ln_load = r.lambda.ln() + queue.mean_handle_s.ln();
    let chain = Stationary::new(agents, ln_load, r).ok_or(too_long)?;
    let p_abandon = (r.theta * chain.mean_queue() / r.lambda).min(1.0);
    let (p_served_waiting, wait_served) = served_after_waiting(&chain.queue, r);
    let p_served = chain.p_immediate + p_served_waiting;
    let asa_s = if p_served > 0.0 { wait_served / p_served } else { 0.0 };
    let served_within = served_within(&chain.queue, r, within_s);
    Ok(Kpis {
        agents,
        load,
        p_wait: chain.queue.iter().sum::<f64>().min(1.0),
        service_level: (chain.p_immediate + served_within).min(1.0),
        asa_s,
        p_abandon,
        occupancy: if agents == 0 { 0.0 } else { (r.lambda * (1.0 - p_abandon) / r.service).min(1.0) },
    })
}

/// What an arrival finds in Erlang A's steady state (PASTA).
struct Stationary {
    /// Probability that an agent is free.
    p_immediate: f64,
    /// Probability that every agent is busy with k contacts waiting, for
    /// k = 0, 1, … until the rest is negligible.
    queue: Vec<f64>,
}

impl Stationary {
    /// Masses relative to π_c, in logs so that neither the states below c
    /// (1/B(c, a) − 1 of them, huge with many agents and a small load) nor
    /// the queue (whose masses grow until λ = cμ + kθ, a long way out in an
    /// overload with patient callers) overflows; then scaled by the largest
    /// mass. `None` when the queue's mass still matters beyond
    /// [`MAX_QUEUE_STATES`].
    fn new(agents: u32, ln_load: f64, r: Rates) -> Option<Self> {
        let ln_inverse_b = ln_inverse_erlang_b(agents, ln_load);
        let ln_below = ln_inverse_b + (-(-ln_inverse_b).exp_m1()).ln();
        let mut ln_tail = vec![0.0];
        let mut ln_term = 0.0;
        let mut ln_max = ln_below.max(0.0);
        for k in 1..=MAX_QUEUE_STATES {
            let ratio = r.lambda / (r.service + k as f64 * r.theta);
            ln_term += ratio.ln();
            ln_tail.push(ln_term);
            ln_max = ln_max.max(ln_term);
            // Past the mode the masses fall ever faster: stop once negligible.
            if ratio < 1.0 && ln_term < ln_max + TAIL_EPSILON.ln() {
                let below = (ln_below - ln_max).exp();
                let tail: Vec<f64> = ln_tail.iter().map(|l| (l - ln_max).exp()).collect();
                let total = below + tail.iter().sum::<f64>();
                return Some(Self { p_immediate: below / total, queue: tail.iter().map(|t| t / total).collect() });
            }
        }
        None
    }

    /// Mean number waiting.
    fn mean_queue(&self) -> f64 {
        self.queue.iter().enumerate().map(|(k, p)| k as f64 * p).sum()
    }
}

/// Probability that an arrival waits and is then served, and the expected
/// wait of the answered over all arrivals, seconds. With k ahead, stage j ≤ k ends at rate
/// cμ + jθ + θ (an advance or its own abandonment); the contact is served
/// if every stage ends in an advance.
fn served_after_waiting(queue: &[f64], r: Rates) -> (f64, f64) {
    let mut p_served = 0.0;
    let mut wait_served = 0.0;
    let mut survive = 1.0;
    let mut mean_stage_sum = 0.0;
    for (k, p) in queue.iter().enumerate() {
        let advance = r.service + k as f64 * r.theta;
        let out = advance + r.theta;
        survive *= advance / out;
        mean_stage_sum += 1.0 / out;
        p_served += p * survive;
        wait_served += p * survive * mean_stage_sum;
    }
    (p_served, wait_served)
}

/// Probability that an arrival waits and is then served within `within_s`
/// seconds, in closed form. With k ahead the wait is a sum of exponential
/// stages at rates a, a+θ, …, a+kθ (a = cμ), whose density is
/// C·e^{−at}(1 − e^{−θt})^k; weighing by the patience e^{−θt} and
/// integrating to T gives a/(a + (k+1)θ) · P(N > k), where N is negative
/// binomial with shape a/θ + 1 and success probability y = 1 − e^{−θT}:
/// P(N = 0) = e^{−(a+θ)T}, P(N = j+1) = P(N = j) · y · (j + a/θ + 1)/(j + 1).
/// One pass over the queue, whatever T and the rates are.
fn served_within(queue: &[f64], r: Rates, within_s: f64) -> f64 {
    if within_s <= 0.0 || r.service <= 0.0 {
        return 0.0;
    }
    let shape = r.service / r.theta + 1.0;
    let ln_y = (-(-r.theta * within_s).exp_m1()).ln();
    // ln P(N = k), summed with compensation: it may start far below zero.
    let mut ln_pmf = CompensatedSum::new(-(r.service + r.theta) * within_s);
    let mut at_most_k = 0.0;
    let mut result = 0.0;
    for (k, p) in queue.iter().enumerate() {
        let k = k as f64;
        at_most_k += ln_pmf.value().exp();
        let p_more = (1.0 - at_most_k).max(0.0);
        result += p * r.service / (r.service + (k + 1.0) * r.theta) * p_more;
        ln_pmf.add(ln_y + ((k + shape) / (k + 1.0)).ln());
    }
    result
}

/// Neumaier's compensated sum: a long run of additions to a large value
/// without the rounding errors piling up.
struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    fn new(start: f64) -> Self {
        Self { sum: start, compensation: 0.0 }
    }

    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.compensation += if self.sum.abs() >= x.abs() { (self.sum - t) + x } else { (x - t) + self.sum };
        self.sum = t;
    }

    fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

pub use crate::kpi::Targets;

impl Kpis {
    /// Whether these analytic KPIs meet every target that applies to a
    /// live queue.
    pub fn meet(&self, targets: &Targets) -> bool {
        targets.service_level.is_none_or(|t| self.service_level >= t)
            && targets.max_asa_s.is_none_or(|t| self.asa_s <= t)
            && targets.max_abandon.is_none_or(|t| self.p_abandon <= t)
            && targets.max_occupancy.is_none_or(|t| self.occupancy <= t)
    }
}

/// The least agents (at least one when anyone calls) at which `queue`
/// meets `targets`, with the KPIs there,
/// searching up to `max_agents`. `None` when no level up to the cap meets
/// them.
pub fn required_agents(queue: &Queue, targets: &Targets, max_agents: u32) -> Option<Kpis> {
    if queue.arrival_rate <= 0.0 {
        // Nobody calls: no agent is needed and every target holds.
        return Some(Kpis {
            agents: 0,
            load: 0.0,
            p_wait: 0.0,
            service_level: 1.0,
            asa_s: 0.0,
            p_abandon: 0.0,
            occupancy: 0.0,
        });
    }
    let start = match queue.mean_patience_s {
        // Below the load Erlang C has no steady state.
        None => (queue.load().floor() as u32).saturating_add(1),
        // Someone calls, so someone must answer: with no agent every
        // caller abandons and an ASA target would hold vacuously.
        Some(_) => 1,
    };
    if start > max_agents {
        return None;
    }
    // KPIs improve monotonically with agents: gallop up, then bisect.
    let meets = |agents: u32| queue.kpis(agents, targets.within_s).ok().filter(|k| k.meet(targets));
    if let Some(k) = meets(start) {
        return Some(k);
    }
    let mut low = start; // fails
    let mut step = 1u32;
    let mut high = loop {
        let candidate = low.saturating_add(step).min(max_agents);
        if meets(candidate).is_some() {
            break candidate;
        }
        if candidate >= max_agents {
            return None;
        }
        low = candidate;
        step = step.saturating_mul(2);
    };
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if meets(mid).is_some() {
            high = mid;
        } else {
            low = mid;
        }
    }
    meets(high)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn erlang_b_matches_direct_formula_for_small_systems() {
        // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
        assert!(close(erlang_b(2, 1.0), 0.2, 1e-12));
        assert_eq!(erlang_b(0, 3.0), 1.0);
    }

    #[test]
    fn erlang_c_is_none_when_overloaded() {
        assert_eq!(erlang_c(10, 10.0), None);
        assert!(erlang_c(11, 10.0).unwrap() > 0.6);
    }

    #[test]
    fn erlang_c_stays_finite_for_ten_thousand_agents() {
        let p = erlang_c(10_050, 10_000.0).unwrap();
        assert!(p.is_finite() && p > 0.0 && p < 1.0, "{p}");
        let q = Queue { arrival_rate: 10_000.0 / 180.0, mean_handle_s: 180.0, mean_patience_s: Some(300.0) };
        let k = q.kpis(10_000, 20.0).unwrap();
        for v in [k.p_wait, k.service_level, k.asa_s, k.p_abandon, k.occupancy] {
            assert!(v.is_finite() && v >= 0.0, "{k:?}");
        }
    }

    /// Three times the load the agents can carry, with callers patient for
    /// two hours: the queue builds to about (λ − cμ)/θ = 1,600 before
    /// abandonment balances it, far beyond where the masses relative to
    /// π_c overflow a float. The fluid limit gives P(abandon) = 1 − cμ/λ
    /// and, for the served, a wait of ln(λ/(cμ))/θ.
    #[test]
    fn erlang_a_stays_finite_in_an_overload_of_patient_callers() {
        let q = Queue { arrival_rate: 1200.0 / 3600.0, mean_handle_s: 180.0, mean_patience_s: Some(7200.0) };
        let k = q.kpis(20, 20.0).unwrap();
        assert!(close(k.p_abandon, 2.0 / 3.0, 0.01), "{k:?}");
        assert!(close(k.asa_s, 3f64.ln() * 7200.0, 0.01 * 7200.0), "{k:?}");
        assert!(k.service_level < 1e-6 && close(k.p_wait, 1.0, 1e-9), "{k:?}");
    }

    /// With near-infinite patience an overload would queue hundreds of
    /// millions: refused with a reason rather than exhausting memory, while
    /// the staffing search steps past such levels to Erlang C's answer.
    #[test]
    fn erlang_a_refuses_a_queue_beyond_its_reach_and_staffing_steps_past_it() {
        let a = Queue { arrival_rate: 1200.0 / 3600.0, mean_handle_s: 180.0, mean_patience_s: Some(1e9) };
        let err = a.kpis(20, 20.0).unwrap_err();
        assert!(matches!(err, Unstable::QueueTooLong { agents: 20, waiting, .. } if waiting > 2e8), "{err:?}");
        let t = Targets { service_level: Some(0.8), within_s: 20.0, ..Default::default() };
        let c = Queue { mean_patience_s: None, ..a };
        assert_eq!(required_agents(&a, &t, 1000).unwrap().agents, required_agents(&c, &t, 1000).unwrap().agents);
    }

    /// With no agent every caller abandons and no answered wait exists, so
    /// an ASA target alone would hold vacuously at zero agents.
    #[test]
    fn required_agents_staffs_someone_whenever_anyone_calls() {
        let q = Queue { arrival_rate: 1200.0 / 3600.0, mean_handle_s: 180.0, mean_patience_s: Some(7200.0) };
        let t = Targets { max_asa_s: Some(30.0), within_s: 20.0, ..Default::default() };
        let k = required_agents(&q, &t, 1000).unwrap();
        assert!(k.agents > 60 && k.asa_s <= 30.0, "{k:?}");
    }

    #[test]
    fn erlang_a_stays_finite_for_ten_thousand_agents_on_a_small_load() {
        // 1/B(10 000, 10) overflows a float; its logarithm does not.
        let q = Queue { arrival_rate: 10.0 / 180.0, mean_handle_s: 180.0, mean_patience_s: Some(300.0) };
        let k = q.kpis(10_000, 20.0).unwrap();
        assert_eq!((k.p_wait, k.service_level, k.asa_s, k.p_abandon), (0.0, 1.0, 0.0, 0.0), "{k:?}");
        assert!(close(k.occupancy, 0.001, 1e-12));
        assert!(ln_inverse_erlang_b(10_000, 10f64.ln()).is_finite());
        assert!(close(ln_inverse_erlang_b(2, 0.0), (1.0 / erlang_b(2, 1.0)).ln(), 1e-12));
        for (agents, load) in [(1, 0.5f64), (30, 25.0), (10_000, 10.0), (100_000, 99_000.0)] {
            let (linear, logs) =
                (ln_inverse_erlang_b(agents, load.ln()), ln_inverse_erlang_b_in_logs(agents, load.ln()));
            // Past the ceiling each form stops where it notices.
            let agree = close(linear, logs, 1e-9 * logs.max(1.0))
                || (linear > LN_INVERSE_B_CEILING && logs > LN_INVERSE_B_CEILING);
            assert!(agree, "{agents}, {load}: {linear} vs {logs}");
        }
    }

    #[test]
    fn erlang_a_tends_to_erlang_c_as_patience_grows() {
        let c = Queue { arrival_rate: 200.0 / 3600.0, mean_handle_s: 180.0, mean_patience_s: None };
        let a = Queue { mean_patience_s: Some(1e9), ..c };
        let kc = c.kpis(12, 20.0).unwrap();
        let ka = a.kpis(12, 20.0).unwrap();
        assert!(close(kc.p_wait, ka.p_wait, 1e-6), "{kc:?} {ka:?}");
        assert!(close(kc.service_level, ka.service_level, 1e-6), "{kc:?} {ka:?}");
        assert!(close(kc.asa_s, ka.asa_s, 1e-4), "{kc:?} {ka:?}");
        assert!(ka.p_abandon < 1e-6);
    }

    #[test]
    fn required_agents_is_the_least_level_meeting_targets() {
        let q = Queue { arrival_rate: 200.0 / 3600.0, mean_handle_s: 180.0, mean_patience_s: None };
        let t = Targets { service_level: Some(0.8), within_s: 20.0, ..Default::default() };
        let k = required_agents(&q, &t, 1000).unwrap();
        assert!(k.service_level >= 0.8);
        assert!(q.kpis(k.agents - 1, 20.0).map_or(true, |b| b.service_level < 0.8));
        assert_eq!(required_agents(&q, &t, k.agents - 1), None, "the cap is respected");
        assert_eq!(required_agents(&q, &t, 5), None, "below the load there is no answer");
    }

    fn assert_finite(k: &Kpis) {
        for v in [k.load, k.p_wait, k.service_level, k.asa_s, k.p_abandon, k.occupancy] {
            assert!(v.is_finite() && v >= 0.0, "{k:?}");
        }
        assert!(k.service_level <= 1.0 && k.p_wait <= 1.0 && k.p_abandon <= 1.0, "{k:?}");
    }

    fn call_center(rate_per_hour: f64, handle_s: f64, patience_s: Option<f64>) -> Queue {
        Queue { arrival_rate: rate_per_hour / 3600.0, mean_handle_s: handle_s, mean_patience_s: patience_s }
    }

    /// `erlang --patience 1e-300` indexed an empty uniformization vector.
    /// Callers that leave at once make a loss system: Erlang B.
    #[test]
    fn a_vanishing_patience_gives_the_erlang_b_limit() {
        for patience in [1e-300, 1e-320, 1e-12] {
            let k = call_center(200.0, 180.0, Some(patience)).kpis(14, 20.0).unwrap();
            assert_finite(&k);
            let b = erlang_b(14, 10.0);
            assert!(close(k.p_wait, b, 1e-9) && close(k.p_abandon, b, 1e-9), "{k:?} vs B = {b}");
            assert!(close(k.service_level, 1.0 - b, 1e-9) && k.asa_s < 1e-9, "{k:?}");
        }
    }

    /// A load that underflows (1e-300 calls per hour, or handle times of
    /// 1e-300 s) made ln(load) infinite and the masses NaN.
    #[test]
    fn a_vanishing_load_gives_finite_kpis() {
        let t = Targets { service_level: Some(0.8), within_s: 20.0, ..Default::default() };
        for (rate, handle) in [(1e-300, 180.0), (1e-300, 1e-300), (200.0, 1e-300), (1e-300, 1e-10)] {
            for patience in [None, Some(100.0), Some(1e-300)] {
                let q = call_center(rate, handle, patience);
                assert_finite(&q.kpis(14, 20.0).unwrap());
                assert_eq!(required_agents(&q, &t, 100_000).unwrap().agents, 1, "{q:?}");
            }
        }
    }

    /// `--agents 4000000000` ran the Erlang B recursion four billion times.
    #[test]
    fn billions_of_agents_on_a_small_load_return_at_once() {
        for patience in [None, Some(100.0)] {
            let q = call_center(200.0, 180.0, patience);
            let k = q.kpis(4_000_000_000, 20.0).unwrap();
            assert_finite(&k);
            assert_eq!((k.p_wait, k.service_level), (0.0, 1.0), "{k:?}");
            // A target no level meets: the search gallops to the cap.
            let t = Targets { max_occupancy: Some(1e-12), within_s: 20.0, ..Default::default() };
            assert_eq!(required_agents(&q, &t, 4_000_000_000), None);
        }
    }

    /// `--within 1e9` made the uniformization take billions of jumps. Within
    /// a threshold that long, every contact that is answered counts.
    #[test]
    fn a_threshold_of_a_billion_seconds_counts_every_answer() {
        let k = call_center(200.0, 180.0, Some(100.0)).kpis(14, 1e9).unwrap();
        assert_finite(&k);
        assert!(close(k.service_level, 1.0 - k.p_abandon, 1e-12), "{k:?}");
    }

    /// 10,000 Erlangs with a one-hour threshold took minutes to staff.
    #[test]
    fn ten_thousand_erlangs_with_an_hour_threshold_staff_at_once() {
        let q = call_center(200_000.0, 180.0, Some(300.0));
        let t = Targets { service_level: Some(0.8), within_s: 3600.0, ..Default::default() };
        let k = required_agents(&q, &t, 100_000).unwrap();
        assert_finite(&k);
        assert!(k.service_level >= 0.8 && k.agents < 10_000, "{k:?}");
        assert_finite(&q.kpis(10_100, 3600.0).unwrap());
    }

    /// Callers patient for 1e300 s at a load within 1e-10 of the agents:
    /// the chain's tail would need billions of states; Erlang C answers.
    #[test]
    fn near_infinite_patience_on_a_nearly_critical_queue_is_erlang_c() {
        let a = call_center(200.0, 179.999_999_99, Some(1e300));
        let c = Queue { mean_patience_s: None, ..a };
        assert_eq!(a.kpis(10, 20.0), c.kpis(10, 20.0));
        assert_finite(&a.kpis(10, 20.0).unwrap());
    }

    /// A stable queue whose tail spreads past the states evaluated is
    /// refused with the reason, after a bounded number of states.
    #[test]
    fn a_queue_spreading_past_the_states_evaluated_is_refused() {
        let q = call_center(200.0, 179.999_999_99, Some(1e12));
        let err = q.kpis(10, 20.0).unwrap_err();
        assert!(matches!(err, Unstable::QueueTooLong { agents: 10, waiting, .. } if waiting == 0.0), "{err:?}");
        assert!(err.to_string().contains("beyond the 100000 waiting contacts"), "{err}");
    }
}
