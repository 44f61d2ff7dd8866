//! Exact analytic queueing formulas: Erlang B, Erlang C (M/M/c) and
//! Erlang A (M/M/c+M, exponential patience).
//!
//! These are the oracles the simulation is tested against and the starting
//! point of the staffing search. Every formula is computed with recursions
//! and ratios that stay finite for tens of thousands of agents: no factorials,
//! no powers of the load.

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
    /// excess, about (λ − cμ)/θ contacts: with very patient callers that is
    /// more states than the exact Erlang A evaluates.
    #[error(
        "load {load:.3} Erlangs on {agents} agents: the queue would settle near {waiting:.0} waiting contacts, \
         beyond the {MAX_QUEUE_STATES} the exact Erlang A evaluates; add agents or shorten the patience"
    )]
    QueueTooLong {
        /// Agents offered to the queue.
        agents: u32,
        /// Offered load, Erlangs.
        load: f64,
        /// Where the queue settles, (λ − cμ)/θ.
        waiting: f64,
    },
}

/// Most queue states the exact Erlang A evaluates (80 MB of masses).
pub const MAX_QUEUE_STATES: usize = 10_000_000;

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
/// B(n) = a·B(n−1) / (n + a·B(n−1)).
pub fn erlang_b(agents: u32, load: f64) -> f64 {
    let mut b = 1.0;
    for n in 1..=agents {
        b = load * b / (n as f64 + load * b);
    }
    b
}

/// ln(1/B(c, a)) by the same recursion, 1/B(n) = 1 + (n/a)·1/B(n−1), in
/// log space: finite where B itself underflows (thousands of agents on a
/// small load).
fn ln_inverse_erlang_b(agents: u32, load: f64) -> f64 {
    let ln_load = load.ln();
    let mut l = 0.0f64;
    for n in 1..=agents {
        // ln(1 + e^x), without overflow for large x.
        let x = (n as f64).ln() - ln_load + l;
        l = if x > 0.0 { x + (-x).exp().ln_1p() } else { x.exp().ln_1p() };
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

/// Erlang A (Palm's M/M/c+M). The number in system is a birth–death chain
/// with birth rate λ and death rate min(n,c)·μ + (n−c)⁺·θ. An arrival that
/// finds k contacts ahead of it in queue is served after k+1 "advances",
/// each at rate c·μ + j·θ, while its own patience runs at rate θ.
fn erlang_a_kpis(queue: &Queue, agents: u32, within_s: f64, mean_patience_s: f64) -> Result<Kpis, Unstable> {
    let lambda = queue.arrival_rate;
    let mu = 1.0 / queue.mean_handle_s;
    let theta = 1.0 / mean_patience_s;
    let c = agents as f64;
    let load = queue.load();
    if lambda <= 0.0 {
        return Ok(Kpis { agents, load, p_wait: 0.0, service_level: 1.0, asa_s: 0.0, p_abandon: 0.0, occupancy: 0.0 });
    }
    let service_rate = c * mu;
    let waiting = (lambda - service_rate) / theta;
    if waiting > MAX_QUEUE_STATES as f64 {
        return Err(Unstable::QueueTooLong { agents, load, waiting });
    }

    // Stationary masses relative to π_c, in logs so that neither the states
    // below c (1/B(c, a) − 1 of them, huge with many agents and a small
    // load) nor the queue (whose masses grow until λ = cμ + kθ, a long way
    // out in an overload with patient callers) overflows: ln_tail[k] =
    // ln(π_{c+k}/π_c). Everything is then scaled by the largest mass.
    let ln_inverse_b = ln_inverse_erlang_b(agents, load);
    let ln_below = ln_inverse_b + (-(-ln_inverse_b).exp_m1()).ln();
    let mut ln_tail = vec![0.0];
    let mut ln_term = 0.0;
    let mut ln_max = ln_below.max(0.0);
    for k in 1.. {
        let ratio = lambda / (service_rate + k as f64 * theta);
        ln_term += ratio.ln();
        ln_tail.push(ln_term);
        ln_max = ln_max.max(ln_term);
        // Past the mode the masses fall ever faster: stop once negligible.
        if ratio < 1.0 && ln_term < ln_max + TAIL_EPSILON.ln() {
            break;
        }
    }
    let below = (ln_below - ln_max).exp();
    let tail: Vec<f64> = ln_tail.iter().map(|l| (l - ln_max).exp()).collect();
    let tail_sum: f64 = tail.iter().sum();
    let total = below + tail_sum;
    let p_immediate = below / total;
    let p_wait = tail_sum / total;

    let mean_queue: f64 = tail.iter().enumerate().map(|(k, t)| k as f64 * t).sum::<f64>() / total;
    let p_abandon = (theta * mean_queue / lambda).min(1.0);

    // Served probability and mean wait for an arrival with k ahead.
    let mut p_served_waiting = 0.0;
    let mut wait_served = 0.0;
    let mut survive = 1.0;
    let mut mean_stage_sum = 0.0;
    for (k, t) in tail.iter().enumerate() {
        let advance = service_rate + k as f64 * theta;
        let out = advance + theta;
        survive *= advance / out;
        mean_stage_sum += 1.0 / out;
        let weight = t / total;
        p_served_waiting += weight * survive;
        wait_served += weight * survive * mean_stage_sum;
    }
    let p_served = p_immediate + p_served_waiting;
    let asa_s = if p_served > 0.0 { wait_served / p_served } else { 0.0 };

    let served_within = served_within(&tail, total, service_rate, theta, within_s);
    Ok(Kpis {
        agents,
        load,
        p_wait,
        service_level: (p_immediate + served_within).min(1.0),
        asa_s,
        p_abandon,
        occupancy: if agents == 0 { 0.0 } else { (lambda * (1.0 - p_abandon) / (c * mu)).min(1.0) },
    })
}

/// Probability that an arrival waits, and is then served within `within_s`
/// seconds, by uniformization of the tagged contact's position in queue.
fn served_within(tail: &[f64], total: f64, service_rate: f64, theta: f64, within_s: f64) -> f64 {
    if within_s <= 0.0 {
        return 0.0;
    }
    let uniform_rate = service_rate + tail.len() as f64 * theta;
    if uniform_rate <= 0.0 {
        return 0.0;
    }
    let mean_jumps = uniform_rate * within_s;
    let last = (mean_jumps + 12.0 * mean_jumps.sqrt() + 30.0).ceil() as usize;
    // A contact with k ahead needs k + 1 advances, one per jump at most:
    // those further back than `last` cannot be served in time, nor can
    // anything they pass on.
    let positions = tail.len().min(last + 1);
    // Probability mass of the tagged contact by number ahead, still waiting.
    let mut waiting: Vec<f64> = tail[..positions].iter().map(|t| t / total).collect();
    let mut served = 0.0;
    let mut result = 0.0;
    // Poisson(mean_jumps) weights in log space: e^{-mean} underflows beyond ~745.
    let ln_mean = mean_jumps.ln();
    let mut ln_pmf = -mean_jumps;
    let mut poisson_mass = 0.0;
    for m in 0..=last {
        if m > 0 {
            ln_pmf += ln_mean - (m as f64).ln();
            // One uniformized step: advance, abandon, or stay.
            served += waiting[0] * service_rate / uniform_rate;
            for k in 0..positions {
                let here = waiting[k];
                let advance = (service_rate + k as f64 * theta) / uniform_rate;
                let stay = 1.0 - advance - theta / uniform_rate;
                waiting[k] = here * stay
                    + waiting
                        .get(k + 1)
                        .map_or(0.0, |next| next * (service_rate + (k + 1) as f64 * theta) / uniform_rate);
            }
        }
        let pmf = ln_pmf.exp();
        poisson_mass += pmf;
        result += pmf * served;
    }
    // Mass beyond the last jump considered has served at least as much.
    result + (1.0 - poisson_mass).max(0.0) * served
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
        assert!(ln_inverse_erlang_b(10_000, 10.0).is_finite());
        assert!(close(ln_inverse_erlang_b(2, 1.0), (1.0 / erlang_b(2, 1.0)).ln(), 1e-12));
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
}
