//! Staffing by team: the agents each team needs per interval so that every
//! queue's targets hold with the teams' skills, priorities, overflow and
//! costs, verified by simulating the whole operation.
//!
//! 1. Each queue's requirement (the simulated level of `staff`, per
//!    interval) goes to the team that serves it first: the lowest priority
//!    number for it, then no overflow delay before one, then the cheapest,
//!    then scenario order. A team's level is the sum of what it was given.
//! 2. The whole scenario is simulated with every team at those levels,
//!    agents staying on duty while a level keeps them ([`with_levels`];
//!    common random numbers: the same seed and streams each round). Where
//!    a queue that shares a team with another queue misses a target in an
//!    interval (a deferred queue: in a day), that queue's first team gets
//!    one more agent there (a twentieth more above 20), and the round
//!    repeats, up to [`MAX_ROUNDS`]. A queue whose teams serve nothing
//!    else was already simulated as the pool it is.
//! 3. Once every target holds, a partner paid per contact takes work
//!    from a dearer first team where it is on duty (`use_partners`), kept
//!    only while every target still holds.
//!
//! Deferred work that can wait is placed first in the time the live
//! levels leave idle ([`allocate`]). Pooled teams are staffed as one: two
//! teams with the same skills and cost need together what one of them
//! needs alone, and teams that share no queue need what each queue needs
//! alone.

use crate::model::price::Price;
use crate::model::{Model, ShiftInstance};
use crate::montecarlo::{self, RunOptions, ThreadsError};
use crate::periods::PeriodKind;
use crate::results::{Detail, Period, Results};

use super::{IntervalStaffing, Staffing};

/// Most simulated rounds of raising levels.
pub const MAX_ROUNDS: usize = 24;

/// Agents per team and reported interval.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamLevels {
    /// `levels[team][interval]`.
    pub levels: Vec<Vec<u32>>,
}

/// A queue that misses a target over some intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    /// The queue.
    pub queue: usize,
    /// The intervals of the period judged (one for live work, a day for
    /// deferred work).
    pub intervals: std::ops::Range<usize>,
    /// What is missed, in words.
    pub what: String,
    /// The lowest share of replications meeting one of its missed targets
    /// (0 to 1): the worst misses have the lowest.
    pub met_share: f64,
}

/// The requirement by team, with how it was verified.
#[derive(Debug, Clone, PartialEq)]
pub struct ByTeam {
    /// Agents each team needs per interval.
    pub required: TeamLevels,
    /// Simulated rounds.
    pub rounds: usize,
    /// Targets still missed after the last round (empty when all hold).
    pub unmet: Vec<Miss>,
}

/// Teams serving queue `q`, in the order they are given its work: lowest
/// priority number first, then no overflow delay, then cheapest, then
/// scenario order.
pub fn team_order(model: &Model, q: usize) -> Vec<usize> {
    let mut teams: Vec<(usize, usize, bool, f64)> = model
        .teams
        .iter()
        .enumerate()
        .filter_map(|(t, team)| {
            let level = team.skills_by_priority.iter().position(|l| l.iter().any(|s| s.queue == q))?;
            let skill = team.skill(q)?;
            let cost = crate::cost::paid_hour(model, t).unwrap_or(0.0);
            Some((t, level, skill.after_s > 0.0, cost))
        })
        .collect();
    teams.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)).then(a.3.total_cmp(&b.3)).then(a.0.cmp(&b.0)));
    teams.into_iter().map(|t| t.0).collect()
}

/// Per team and interval, whether the team can work then
/// ([`Model::can_work`]).
pub fn availability(model: &Model) -> Vec<Vec<bool>> {
    (0..model.teams.len()).map(|t| model.can_work(t)).collect()
}

/// The first team in `order` that can work in interval `i`.
fn first_open(order: &[usize], open: &[Vec<bool>], i: usize) -> Option<usize> {
    order.iter().copied().find(|&t| open[t][i])
}

/// Whether queue `q` shares no team with another queue: its requirement
/// from `staff` (a dedicated pool) is then final, whichever of its teams
/// takes it.
pub fn self_contained(model: &Model, q: usize) -> bool {
    model.queues[q].served_by.iter().all(|&t| model.teams[t].skills_by_priority.iter().flatten().all(|s| s.queue == q))
}

/// Each queue's simulated level per interval given to its first team that
/// can work then, else to its first team on holiday then (whose roster
/// leaves it: the team is off), else to its first team (whose roster must
/// then say it cannot cover it).
///
/// Deferred work that waits within a deadline (a service-level target
/// in hours) and shares its team with live work is flexible: it is first
/// placed, oldest first, in the time the live levels leave idle (level
/// less offered load, in agents) before its deadline, and only the share
/// of each day's work that does not fit adds its level (scaled by that
/// share, rounded up). The rounds of [`by_team`] then check the backlog
/// and response times in simulation and raise where they miss.
pub fn allocate(model: &Model, plan: &Staffing, open: &[Vec<bool>]) -> TeamLevels {
    let mut levels = vec![vec![0u32; model.n_intervals]; model.teams.len()];
    // Per team and interval, the offered live load given to it, agents.
    let mut load = vec![vec![0.0f64; model.n_intervals]; model.teams.len()];
    let (live, deferred): (Vec<usize>, Vec<usize>) =
        (0..plan.queues.len()).partition(|&q| model.queues[q].channel.is_live());
    for q in live {
        let per_agent = f64::from(model.queues[q].concurrency.max(1));
        for (i, t, row) in given(model, plan, open, q) {
            levels[t][i] = levels[t][i].saturating_add(row.achieved.agents);
            load[t][i] += row.load_erlangs / per_agent;
        }
    }
    // Idle agent-seconds the live levels leave, per team and interval.
    let mut idle: Vec<Vec<f64>> = levels
        .iter()
        .zip(&load)
        .map(|(l, a)| l.iter().zip(a).map(|(&n, &a)| (f64::from(n) - a).max(0.0) * model.interval_s).collect())
        .collect();
    for q in deferred {
        let share = match flexible(model, q) {
            true => unplaced_share(model, plan, open, q, &mut idle),
            false => vec![1.0; model.days.len()],
        };
        for (i, t, row) in given(model, plan, open, q) {
            let day = model.interval_day[i] as usize;
            // Rounded up, less a hair: a share left over by rounding in the
            // placement must not add an agent to every interval of a day.
            let agents = (f64::from(row.achieved.agents) * share[day] - 1e-6).ceil().max(0.0) as u32;
            levels[t][i] = levels[t][i].saturating_add(agents);
        }
    }
    TeamLevels { levels }
}

/// (interval, team, row) of each interval of queue `q`'s staffing, with
/// the team its level goes to ([`allocate`]).
fn given<'p>(
    model: &'p Model,
    plan: &'p Staffing,
    open: &'p [Vec<bool>],
    q: usize,
) -> impl Iterator<Item = (usize, usize, &'p IntervalStaffing)> + 'p {
    let order = team_order(model, q);
    plan.queues[q].intervals.iter().enumerate().take(model.n_intervals).filter_map(move |(i, row)| {
        let (a, b) = (i as f64 * model.interval_s, (i + 1) as f64 * model.interval_s);
        let off = |t: &usize| model.teams[*t].holidays.iter().any(|h| h.overlap(a, b) > 0.0);
        let on_holiday = || order.iter().copied().find(off);
        let team = first_open(&order, open, i).or_else(on_holiday).or(order.first().copied());
        team.map(|t| (i, t, row))
    })
}

/// Whether deferred queue `q`'s work may wait for idle live time: it has a
/// deadline (a service-level target) and shares a team with other queues.
fn flexible(model: &Model, q: usize) -> bool {
    let queue = &model.queues[q];
    !queue.channel.is_live() && queue.targets.service_level.is_some() && !self_contained(model, q)
}

/// Per day, the share of deferred queue `q`'s arriving work that does not
/// fit, oldest first, in `idle` (agent-seconds per team and interval, of
/// the team its level would go to) before its deadline; what fits is
/// taken from `idle`. Work still open at the horizon's end does not fit.
fn unplaced_share(model: &Model, plan: &Staffing, open: &[Vec<bool>], q: usize, idle: &mut [Vec<f64>]) -> Vec<f64> {
    let deadline = (model.queues[q].targets.within_s / model.interval_s).floor() as usize;
    let rows: Vec<(usize, usize, f64)> =
        given(model, plan, open, q).map(|(i, t, row)| (i, t, row.load_erlangs * model.interval_s)).collect();
    let work: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let mut room: Vec<f64> = rows.iter().map(|&(i, t, _)| idle[t][i]).collect();
    let unplaced = fit_oldest_first(&work, &mut room, deadline);
    let (mut arrived, mut late) = (vec![0.0; model.days.len()], vec![0.0; model.days.len()]);
    for (k, &(i, t, w)) in rows.iter().enumerate() {
        idle[t][i] = room[k];
        let day = model.interval_day[i] as usize;
        arrived[day] += w;
        late[day] += unplaced[k];
    }
    arrived.iter().zip(&late).map(|(&a, &u)| if a > 0.0 { (u / a).min(1.0) } else { 1.0 }).collect()
}

/// Places the work arriving in each interval (`work[i]`), oldest first,
/// in the room of that interval and the `deadline − 1` after it, taking
/// what it uses from `room`; returns per interval of arrival the work that
/// found no room by its deadline (or by the last interval).
fn fit_oldest_first(work: &[f64], room: &mut [f64], deadline: usize) -> Vec<f64> {
    /// Agent-seconds too few to count (rounding in the sums).
    const EMPTY: f64 = 1e-6;
    let mut unplaced = vec![0.0; work.len()];
    // Open work, oldest first: (interval it arrived in, amount left).
    let mut open: std::collections::VecDeque<(usize, f64)> = std::collections::VecDeque::new();
    for i in 0..work.len() {
        open.push_back((i, work[i]));
        while room[i] > EMPTY {
            let Some(front) = open.front_mut() else { break };
            let used = front.1.min(room[i]);
            front.1 -= used;
            room[i] -= used;
            if front.1 <= EMPTY {
                open.pop_front();
            }
        }
        // Work of interval `from` is due by the end of interval
        // `from + deadline − 1`.
        while let Some(&(from, left)) = open.front().filter(|(from, _)| from + deadline <= i + 1) {
            unplaced[from] += left;
            open.pop_front();
        }
    }
    for (from, left) in open {
        unplaced[from] += left;
    }
    unplaced
}

/// The requirement by team, from `plan` (the per-queue staffing of
/// `model`), raised where the whole operation still misses a target.
pub fn by_team(
    model: &Model,
    plan: &Staffing,
    confidence: Option<f64>,
    threads: Option<usize>,
    on_round: &(dyn Fn() + Sync),
) -> Result<ByTeam, ThreadsError> {
    let open = availability(model);
    let mut levels = allocate(model, plan, &open);
    let mut rounds = 0;
    let unmet = loop {
        let unmet = missed_at(model, &levels, confidence, threads)?;
        rounds += 1;
        on_round();
        // Misses where no team serving the queue can work cannot be
        // raised: another round would change nothing.
        if unmet.is_empty() || rounds >= MAX_ROUNDS || raise(model, &mut levels.levels, &unmet, &open) == 0 {
            break unmet;
        }
    };
    if unmet.is_empty() {
        rounds += use_partners(model, &mut levels, &open, confidence, threads, on_round)?;
    }
    Ok(ByTeam { required: levels, rounds, unmet })
}

/// The targets the whole operation misses with every team at `levels`,
/// simulated, but those of queues whose teams serve nothing else (their
/// requirement is final).
fn missed_at(
    model: &Model,
    levels: &TeamLevels,
    confidence: Option<f64>,
    threads: Option<usize>,
) -> Result<Vec<Miss>, ThreadsError> {
    let mut unmet = misses(&simulate(&with_levels(model, levels), threads)?, confidence);
    unmet.retain(|m| !self_contained(model, m.queue));
    Ok(unmet)
}

/// Most rounds of [`use_partners`].
const PARTNER_ROUNDS: usize = 4;

/// Where a partner paid per handled contact is on duty for a queue whose
/// first team costs more per contact (its hourly rate × the queue's mean
/// handle time: the least an agent of it can cost per contact), that team
/// gives the work to the partner: one agent fewer there (a twentieth above
/// 20), kept while the whole operation, simulated with the same random
/// numbers, still meets every target; when a round misses, its levels go
/// back, the intervals of its missed periods are left alone and the next
/// round tries half as many. Returns the rounds simulated.
fn use_partners(
    model: &Model,
    levels: &mut TeamLevels,
    open: &[Vec<bool>],
    confidence: Option<f64>,
    threads: Option<usize>,
    on_round: &(dyn Fn() + Sync),
) -> Result<usize, ThreadsError> {
    let mut candidates = dearer_than_a_partner(model, levels, open);
    let mut rounds = 0;
    while !candidates.is_empty() && rounds < PARTNER_ROUNDS {
        let mut tried = levels.clone();
        for &(t, i) in &candidates {
            let level = &mut tried.levels[t][i];
            *level = level.saturating_sub(step(*level));
        }
        let unmet = missed_at(model, &tried, confidence, threads)?;
        rounds += 1;
        on_round();
        if unmet.is_empty() {
            *levels = tried;
            candidates.retain(|&(t, i)| levels.levels[t][i] > 0);
        } else {
            let missed = |i: usize| unmet.iter().any(|m| m.intervals.contains(&i));
            candidates.retain(|&(_, i)| !missed(i));
            candidates.truncate(candidates.len() / 2);
        }
    }
    Ok(rounds)
}

/// (team, interval) where `levels` has agents that a partner paid per
/// contact, on duty then for a queue the team is first for, would answer
/// more cheaply; most saved per contact first, then team and interval.
fn dearer_than_a_partner(model: &Model, levels: &TeamLevels, open: &[Vec<bool>]) -> Vec<(usize, usize)> {
    // Per team, the intervals its own shifts put agents on duty in.
    let mut duty = vec![vec![false; model.n_intervals]; model.teams.len()];
    for s in model.shifts.iter().filter(|s| s.agents > 0) {
        duty[s.team][model.intervals_touched(s.login_s, s.logout_s)].iter_mut().for_each(|d| *d = true);
    }
    let on_duty = |p: usize, i: usize| duty[p][i];
    let mut found: Vec<(f64, usize, usize)> = Vec::new();
    for (q, queue) in model.queues.iter().enumerate().filter(|(_, q)| q.channel.is_live()) {
        let partners: Vec<(usize, f64)> = queue
            .served_by
            .iter()
            .filter_map(|&p| match model.team_price(p) {
                Price::PerContact(price) if keeps_own_shifts(model, levels, p) => Some((p, price)),
                _ => None,
            })
            .collect();
        if partners.is_empty() {
            continue;
        }
        let order = team_order(model, q);
        for i in 0..model.n_intervals {
            let Some(t) = first_open(&order, open, i) else { continue };
            let Some(rate) = crate::cost::paid_hour(model, t) else { continue };
            let in_house = rate * queue.handle_time.mean_s() / 3600.0;
            let cheapest =
                partners.iter().filter(|&&(p, _)| on_duty(p, i)).map(|&(_, price)| price).fold(f64::INFINITY, f64::min);
            if levels.levels[t][i] > 0 && cheapest < in_house {
                found.push((in_house - cheapest, t, i));
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut cells: Vec<(usize, usize)> = found.into_iter().map(|(_, t, i)| (t, i)).collect();
    let mut seen = std::collections::BTreeSet::new();
    cells.retain(|c| seen.insert(*c));
    cells
}

/// Whether team `t` keeps its own fixed shifts in the by-team simulation:
/// a partner paid per handled contact that is given no requirement (its
/// contracted agents cost only what they answer, so they stay on duty).
fn keeps_own_shifts(model: &Model, levels: &TeamLevels, t: usize) -> bool {
    matches!(model.team_price(t), Price::PerContact(_)) && levels.levels[t].iter().all(|&n| n == 0)
}

/// The agents a round adds to or takes from `level`: one, a twentieth
/// above 20.
fn step(level: u32) -> u32 {
    (level / 20).max(1)
}

/// One more agent (a twentieth more above 20) in each missed period, on
/// the first team that serves the queue and can work then (`open`: per
/// team and interval); returns the team-intervals raised.
pub fn raise(model: &Model, levels: &mut [Vec<u32>], unmet: &[Miss], open: &[Vec<bool>]) -> usize {
    let mut raised = 0;
    for m in unmet {
        let order = team_order(model, m.queue);
        for i in m.intervals.clone() {
            if let Some(t) = first_open(&order, open, i) {
                let level = &mut levels[t][i];
                *level = level.saturating_add(step(*level));
                raised += 1;
            }
        }
    }
    raised
}

/// `model` with every team on duty at `levels`, interval by interval (the
/// warm-up at the first interval's level), as a roster would put them
/// ([`on_duty_at`]); a partner paid per contact and given no requirement
/// keeps its own shifts.
pub fn with_levels(model: &Model, levels: &TeamLevels) -> Model {
    let keeps: Vec<bool> = (0..model.teams.len()).map(|t| keeps_own_shifts(model, levels, t)).collect();
    let mut shifts: Vec<ShiftInstance> = model.shifts.iter().filter(|s| keeps[s.team]).cloned().collect();
    for (t, row) in levels.levels.iter().enumerate() {
        shifts.extend(on_duty_at(model, t, row));
    }
    shifts.sort_by(|a, b| a.login_s.total_cmp(&b.login_s).then(a.team.cmp(&b.team)));
    Model { shifts, ..model.clone() }
}

/// Team `t`'s agents on duty at `levels` (one per interval) as shifts: an
/// agent stays on duty while the level keeps it, as on a roster; where the
/// level rises the new agents log in, where it falls the latest to have
/// logged in log out (finishing what they hold). Cutting the levels into
/// a shift per interval instead would log every agent out at each
/// interval's end and a fresh one in, free at once while the leaving ones
/// finish their work: a hand-over at every interval that no roster gives,
/// and a requirement found with it too low for any roster to meet.
fn on_duty_at(model: &Model, t: usize, levels: &[u32]) -> Vec<ShiftInstance> {
    let mut out = Vec::new();
    // Agents on duty, as (login, agents) groups, latest last.
    let mut open: Vec<(f64, u32)> = Vec::new();
    let mut on = 0;
    let end = std::iter::once(0);
    for (i, n) in levels.iter().copied().chain(end).enumerate() {
        let at = if i == 0 { -model.warmup_s } else { i as f64 * model.interval_s };
        if n > on {
            open.push((at, n - on));
        }
        let mut leaving = on.saturating_sub(n);
        while leaving > 0 {
            let (login_s, group) = open.last_mut().expect("agents on duty to leave");
            let agents = (*group).min(leaving);
            out.push(ShiftInstance { team: t, login_s: *login_s, logout_s: at, agents, breaks: Vec::new() });
            *group -= agents;
            leaving -= agents;
            if *group == 0 {
                open.pop();
            }
        }
        on = n;
    }
    out
}

/// Every interval of `model` (and day, for deferred work) simulated.
pub fn simulate(model: &Model, threads: Option<usize>) -> Result<Results, ThreadsError> {
    let options =
        RunOptions { threads, detail: Detail::Interval, period: PeriodKind::Day, ..RunOptions::for_model(model) };
    montecarlo::run(model, &options, &|| {})
}

/// The targets `results` miss, judged as `staff` judges them: on the mean
/// over replications and, at `confidence`, in that share of them. Live
/// queues are judged per interval, deferred work per day (a pending day is
/// not judged).
pub fn misses(results: &Results, confidence: Option<f64>) -> Vec<Miss> {
    let mut out = Vec::new();
    for (q, queue) in results.queues.iter().enumerate() {
        for p in queue.judged_periods().iter().filter(|p| !p.span.pending) {
            if let Some((what, met_share)) = missed(p, confidence) {
                out.push(Miss { queue: q, intervals: p.span.intervals.clone(), what, met_share });
            }
        }
    }
    out
}

/// The targets period `p` misses, in words, with the lowest share of
/// replications meeting one of them; `None` when all hold.
fn missed(p: &Period, confidence: Option<f64>) -> Option<(String, f64)> {
    let missed: Vec<_> = crate::results::judge::judge(p, confidence).filter(|j| !j.met).collect();
    let share = missed.iter().map(|j| j.met_share).fold(f64::INFINITY, f64::min);
    let words: Vec<String> = missed.iter().map(|j| j.describe()).collect();
    (!words.is_empty()).then(|| (words.join(", "), share))
}

#[cfg(test)]
mod tests {
    use super::{fit_oldest_first, with_levels, TeamLevels};
    use crate::engine::simulate;

    fn model(team: &str) -> crate::model::Model {
        let patience = "patience = { distribution = \"exponential\", mean_s = 120 }";
        crate::engine::tests::model(team, "rate_per_hour = 80", patience)
    }

    #[test]
    fn a_level_that_holds_keeps_its_agents_on_duty_as_one_shift_does() {
        // Eight agents the whole day, as levels, run exactly as one shift
        // of eight: nobody logs out and in again at each interval's end.
        let shift = model("[[team.shift]]\nstart = \"00:00\"\nhours = 24\nagents = 8\n");
        let levels = TeamLevels { levels: vec![vec![8; shift.n_intervals]] };
        let held = with_levels(&model("agents = 0"), &levels);
        assert_eq!(held.shifts.len(), 1, "{:?}", held.shifts);
        assert_eq!(simulate(&held, 1), simulate(&shift, 1));
    }

    #[test]
    fn levels_rise_with_new_agents_and_fall_with_the_latest_logged_in() {
        let m = model("agents = 0");
        let mut row = vec![0; m.n_intervals];
        row[..6].copy_from_slice(&[2, 5, 5, 3, 0, 1]);
        let on = with_levels(&m, &TeamLevels { levels: vec![row] });
        let len = m.interval_s;
        let spans: Vec<(f64, f64, u32)> =
            on.shifts.iter().map(|s| (s.login_s / len, s.logout_s / len, s.agents)).collect();
        let warmup = -m.warmup_s / len;
        // The first two from the warm-up until interval 4; of the three
        // from interval 1, two leave at 3, one at 4; one more from 5 to 6.
        assert_eq!(spans, vec![(warmup, 4.0, 2), (1.0, 3.0, 2), (1.0, 4.0, 1), (5.0, 6.0, 1)]);
    }

    #[test]
    fn work_waits_for_room_until_its_deadline_oldest_first() {
        // 4 arrive first; 1 of room per interval; due within 2 intervals:
        // 2 fit, 2 are late; the 1 arriving third fits in its own interval.
        let mut room = vec![1.0, 1.0, 1.0, 0.5];
        let late = fit_oldest_first(&[4.0, 0.0, 1.0, 0.0], &mut room, 2);
        assert_eq!(late, vec![2.0, 0.0, 0.0, 0.0]);
        assert_eq!(room, vec![0.0, 0.0, 0.0, 0.5]);
        // Older work first: the first interval's work takes the room of the
        // second before the second's own.
        let mut room = vec![0.0, 2.0, 0.0];
        assert_eq!(fit_oldest_first(&[1.0, 2.0, 0.0], &mut room, 3), vec![0.0, 1.0, 0.0]);
        // Work still open at the end did not fit; none is lost or made up.
        let mut room = vec![1.0, 1.0];
        let late = fit_oldest_first(&[0.0, 3.0], &mut room, 48);
        assert_eq!(late, vec![0.0, 2.0]);
        assert_eq!(room, vec![1.0, 0.0]);
    }
}
