//! The soft score of an assignment (lower is better): each broken wish
//! costs its agent's `weight` (a login outside the preferred window, a
//! shift on a preferred day off); each shift held by an agent who lacks
//! one of the team's skills costs [`SKILL_WEIGHT`]; and fairness costs
//! [`FAIRNESS_WEIGHT`] × Σ over agents of (weekend shifts)² + (late
//! shifts)², which for a given number of such shifts is least when they
//! are spread evenly; and a week with logins at several times of day
//! costs [`STABILITY_WEIGHT`] for each login time beyond the first (people
//! like to start at the same time each day); and each hour an agent's
//! week falls short of the contract's least hours (only in a week the
//! agent does not work at all: a week worked must reach them) costs
//! [`IDLE_WEIGHT`]: an agent paid for hours it is not given.

use super::rules::Week;
use super::shifts::DayShift;
use crate::model::agents::Agent;
use crate::model::Model;

/// Weight of fairness: the cost of one more unit of an agent's squared
/// count of weekend (or late) shifts.
pub const FAIRNESS_WEIGHT: f64 = 1.0;
/// Cost of one shift held by an agent lacking one of its team's skills.
pub const SKILL_WEIGHT: f64 = 2.0;
/// Cost of each login time of day beyond the first in an agent's week.
pub const STABILITY_WEIGHT: f64 = 1.0;
/// Cost of each hour a week falls short of the contract's least hours.
pub const IDLE_WEIGHT: f64 = 1.0;

/// Scores agents' shifts.
pub struct Scorer<'a> {
    shifts: &'a [DayShift],
    agents: &'a [Agent],
    /// Per agent and week, what its contract allows.
    weeks: &'a [Vec<Week>],
    /// Per agent, whether it lacks one of its team's queues.
    lacks_skill: Vec<bool>,
}

impl<'a> Scorer<'a> {
    /// The scorer of `agents` on `shifts`.
    pub fn new(model: &Model, shifts: &'a [DayShift], agents: &'a [Agent], weeks: &'a [Vec<Week>]) -> Self {
        let lacks_skill = agents
            .iter()
            .map(|a| match &a.skills {
                None => false,
                Some(own) => model.teams[a.team].skills_by_priority.iter().flatten().any(|s| !own.contains(&s.queue)),
            })
            .collect();
        Scorer { shifts, agents, weeks, lacks_skill }
    }

    /// Whether agent `a` lacks one of its team's skills.
    pub fn lacks_skill(&self, a: usize) -> bool {
        self.lacks_skill[a]
    }

    /// Wishes of agent `a` that shift `s` breaks: (login outside the
    /// preferred window, on a preferred day off).
    pub fn broken(&self, a: usize, s: usize) -> (bool, bool) {
        let (p, shift) = (&self.agents[a].preferences, &self.shifts[s]);
        let start = p.start.is_some_and(|(from, to)| shift.login_minute < from || shift.login_minute > to);
        (start, p.days_off[shift.weekday])
    }

    /// Cost of agent `a` holding `s`, fairness left out.
    pub fn shift(&self, a: usize, s: usize) -> f64 {
        let (start, day) = self.broken(a, s);
        let wishes = (start as u8 + day as u8) as f64 * self.agents[a].preferences.weight;
        wishes + if self.lacks_skill[a] { SKILL_WEIGHT } else { 0.0 }
    }

    /// Cost of agent `a` holding `held` (by login), fairness and
    /// stability included.
    pub fn agent(&self, a: usize, held: &[usize]) -> f64 {
        let (mut cost, mut weekend, mut late) = (0.0, 0.0, 0.0);
        for &s in held {
            cost += self.shift(a, s);
            weekend += self.shifts[s].weekend as u8 as f64;
            late += self.shifts[s].late as u8 as f64;
        }
        cost + FAIRNESS_WEIGHT * (weekend * weekend + late * late)
            + STABILITY_WEIGHT * self.extra_starts(held) as f64
            + IDLE_WEIGHT * self.short_hours(a, held)
    }

    /// Hours agent `a`'s weeks fall short of their least hours with
    /// `held`, summed over the weeks.
    pub fn short_hours(&self, a: usize, held: &[usize]) -> f64 {
        let weeks = &self.weeks[a];
        let mut hours = vec![0.0; weeks.len()];
        for &s in held {
            hours[self.shifts[s].week] += self.shifts[s].hours;
        }
        weeks.iter().zip(hours).map(|(w, h)| (w.min_hours - h).max(0.0)).fold(0.0, |x, y| x + y)
    }

    /// Login times of day beyond the first in each week of `held` (by
    /// login), summed over the weeks.
    pub fn extra_starts(&self, held: &[usize]) -> usize {
        let mut extra = 0;
        let mut seen: Vec<(usize, u32)> = Vec::with_capacity(held.len());
        for &s in held {
            let key = (self.shifts[s].week, self.shifts[s].login_minute);
            if !seen.contains(&key) {
                if seen.iter().any(|k| k.0 == key.0) {
                    extra += 1;
                }
                seen.push(key);
            }
        }
        extra
    }
}
