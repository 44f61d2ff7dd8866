//! The workforce Monte Carlo: each team's payroll day by day against its
//! requirement, priced month by month.
//!
//! Per replication and team (its own ChaCha8 stream from the seed, the
//! replication and the team): agents join in cohorts on their first day,
//! train (paid, not productive), then ramp by the team's curve; at each
//! month's end every agent leaves with the attrition probability (a
//! binomial draw per cohort). The fill-gap policy decides each day: hires
//! asked for today start after the lead time and are full agents
//! `days_to_full` later, so it compares the requirement of that day's
//! month with the heads expected then (today's payroll and the hires
//! already asked for, less the attrition expected), and asks for the
//! missing heads in whole classes; a hiring freeze stops hires starting
//! in its months. A partner's capacity follows its requirement.
//! Replications fold into exact tallies in index order; the results round
//! money to cents and counts to tenths, and every roll-up (quarter, year,
//! the whole plan; lines to a total; teams to all teams) adds up its
//! rounded parts exactly.

use crate::streams::{stream, Source};
use rand_distr::{Binomial, Distribution};

use super::service::Simulated;
use super::{
    round_to, spans, CostLines, Figure, Heads, Options, PlanResults, PlanRisk, QueuePlan, QueueRow, Requirement,
    RequirementInfo, ServiceInfo, Span, TeamPlan, TeamRow, TotalRow, COUNT, MONEY,
};
use crate::model::plan::{Hiring, Plan, PlanTeam};
use crate::model::Model;
use crate::montecarlo::{in_order, ThreadsError};
use crate::stats::tally::{Scale, Tally};

/// Fixed-point grid of every tallied figure (heads, hours, money).
const SCALE: Scale = Scale(10);

/// What one team's month came to in one replication.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MonthDraw {
    /// Heads on payroll at the month's end.
    pub headcount: f64,
    /// Productive heads at the month's end.
    pub available: f64,
    /// Overtime hours.
    pub overtime_hours: f64,
    /// Heads whose first day fell in the month.
    pub hires: f64,
    /// Heads who left at the month's end.
    pub leavers: f64,
    /// Pay (hours or FTE basis).
    pub pay: f64,
    /// Per-contact cost.
    pub contacts: f64,
    /// Overtime cost.
    pub overtime: f64,
    /// Hiring cost.
    pub hiring: f64,
    /// Training cost.
    pub training: f64,
    /// Agent-hours on the phones: the month's mean productive heads × FTE
    /// hours × (1 − shrinkage), plus overtime (not tallied).
    pub on_phones: f64,
}

/// Figures tallied, in [`MonthDraw`]'s order, then the total cost.
const FIGURES: usize = 11;
/// Indices of stocks (the span's last month) among [`FIGURES`].
const STOCKS: [usize; 2] = [0, 1];
/// Each figure's rounding: counts (heads, hours) to tenths, money to cents.
const UNIT: [f64; FIGURES] = [COUNT, COUNT, COUNT, COUNT, COUNT, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY];
/// Index of the total cost among [`FIGURES`]; the cost lines come before it.
const TOTAL: usize = 10;
/// The cost lines among [`FIGURES`].
const LINES: std::ops::Range<usize> = 5..TOTAL;

impl MonthDraw {
    fn values(&self) -> [f64; FIGURES] {
        let total = self.pay + self.contacts + self.overtime + self.hiring + self.training;
        [
            self.headcount,
            self.available,
            self.overtime_hours,
            self.hires,
            self.leavers,
            self.pay,
            self.contacts,
            self.overtime,
            self.hiring,
            self.training,
            total,
        ]
    }
}

/// Deterministic per team and month: what is required.
#[derive(Debug, Clone, PartialEq)]
pub struct Required {
    /// FTE required per month.
    pub fte: Vec<f64>,
    /// Heads required per month (FTE rounded up).
    pub heads: Vec<f64>,
}

/// Each team's required FTE and heads, month by month.
pub fn required(model: &Model, plan: &Plan, need: &Requirement) -> Vec<Required> {
    let week = model.staffing.paid_hours_per_week;
    plan.teams
        .iter()
        .enumerate()
        .map(|(t, team)| {
            let fte: Vec<f64> = plan
                .months
                .iter()
                .enumerate()
                .map(|(m, month)| need.agent_hours_per_day[t][m] * 7.0 / (week * (1.0 - team.shrinkage_in(month))))
                .collect();
            let heads = fte.iter().map(|f| (f - 1e-9).ceil().max(0.0)).collect();
            Required { fte, heads }
        })
        .collect()
}

/// A group of agents with the same first day.
#[derive(Debug, Clone, Copy)]
struct Cohort {
    /// First day, days from the plan's start.
    start: i64,
    heads: u32,
}

/// The plan's calendar in days.
struct Days {
    /// First day of each month, and the day after the plan last.
    starts: Vec<i64>,
}

impl Days {
    fn of(plan: &Plan) -> Self {
        let mut starts = vec![0i64];
        for m in &plan.months {
            starts.push(starts.last().copied().unwrap_or(0) + m.days as i64);
        }
        Days { starts }
    }

    fn total(&self) -> i64 {
        *self.starts.last().expect("at least one month")
    }

    fn month_of(&self, day: i64) -> usize {
        self.starts.partition_point(|&s| s <= day) - 1
    }

    /// Month ends (each month's last day) in `from..to`.
    fn month_ends(&self, from: i64, to: i64) -> i32 {
        let ends = &self.starts[1..];
        let count = |x: i64| ends.partition_point(|&s| s - 1 < x);
        (count(to) - count(from.max(0))) as i32
    }
}

/// One team's months in one replication; `handled[m]` contacts it
/// handles in month `m` (what a per-contact price is paid on).
pub fn simulate_team(
    model: &Model,
    plan: &Plan,
    t: usize,
    need: &Requirement,
    req: &Required,
    handled: &[f64],
    replication: u32,
) -> Vec<MonthDraw> {
    let team = &plan.teams[t];
    if team.partner {
        return partner_months(model, plan, t, need, req, handled);
    }
    let mut rng = stream(model.seed, replication, t, Source::Workforce);
    let days = Days::of(plan);
    let tenured = -(team.days_to_full() as i64) - 1;
    let mut cohorts = vec![Cohort { start: tenured, heads: team.headcount }];
    let mut out = Vec::with_capacity(plan.months.len());
    for (m, month) in plan.months.iter().enumerate() {
        let (first, end) = (days.starts[m], days.starts[m + 1]);
        if let Hiring::Planned(hires) = &team.hiring {
            if hires[m] > 0 && team.may_hire_in(m) {
                cohorts.push(Cohort { start: first, heads: hires[m] });
            }
        }
        let (mut payroll, mut productive) = (0.0, 0.0);
        for d in first..end {
            if let Hiring::FillGap { lead_days, class_size } = team.hiring {
                fill_gap(team, &days, req, &mut cohorts, d, lead_days, class_size);
            }
            for c in cohorts.iter().filter(|c| c.start <= d) {
                payroll += c.heads as f64;
                productive += c.heads as f64 * team.productivity(d - c.start);
            }
        }
        let hires: u32 = cohorts.iter().filter(|c| (first..end).contains(&c.start)).map(|c| c.heads).sum();
        let mut leavers = 0u32;
        if team.attrition > 0.0 {
            for c in cohorts.iter_mut().filter(|c| c.start < end && c.heads > 0) {
                let left = Binomial::new(c.heads as u64, team.attrition).map_or(0, |b| b.sample(&mut rng)) as u32;
                c.heads -= left;
                leavers += left;
            }
        }
        cohorts.retain(|c| c.heads > 0);
        let last = end - 1;
        let on_payroll = cohorts.iter().filter(|c| c.start <= last);
        let headcount: u32 = on_payroll.clone().map(|c| c.heads).sum();
        let available = on_payroll.map(|c| c.heads as f64 * team.productivity(last - c.start)).sum();
        let n = month.days as f64;
        let month_draw = MonthDraw {
            headcount: headcount as f64,
            available,
            hires: hires as f64,
            leavers: leavers as f64,
            ..Default::default()
        };
        out.push(priced(model, plan, t, m, need, handled[m], month_draw, (payroll / n, productive / n)));
    }
    out
}

/// The fill-gap decision of day `d`.
fn fill_gap(team: &PlanTeam, days: &Days, req: &Required, cohorts: &mut Vec<Cohort>, d: i64, lead: u32, class: u32) {
    let full = d + lead as i64 + team.days_to_full() as i64;
    if full >= days.total() || !team.may_hire_in(days.month_of(d + lead as i64)) {
        return;
    }
    let wanted = req.heads[days.month_of(full)];
    let keep = 1.0 - team.attrition;
    let expected: f64 = cohorts.iter().map(|c| c.heads as f64 * keep.powi(days.month_ends(d.max(c.start), full))).sum();
    let gap = wanted - expected;
    if gap > 1e-9 {
        let heads = (gap / class as f64).ceil() as u32 * class;
        cohorts.push(Cohort { start: d + lead as i64, heads });
    }
}

/// Paid hours of one FTE in month `m`.
fn fte_hours(model: &Model, plan: &Plan, m: usize) -> f64 {
    model.staffing.paid_hours_per_week * plan.months[m].days as f64 / 7.0
}

/// `draw` with overtime, agent-hours on the phones and cost: `payroll`
/// and `productive` are the month's mean heads on payroll and productive
/// heads, `handled` its contacts handled.
#[allow(clippy::too_many_arguments)]
fn priced(
    model: &Model,
    plan: &Plan,
    t: usize,
    m: usize,
    need: &Requirement,
    handled: f64,
    mut draw: MonthDraw,
    (payroll, productive): (f64, f64),
) -> MonthDraw {
    let team = &plan.teams[t];
    let hours = fte_hours(model, plan, m);
    let working = 1.0 - team.shrinkage_in(&plan.months[m]);
    let wanted = need.agent_hours_per_day[t][m] * plan.months[m].days as f64;
    let shortfall = (wanted - productive * hours * working).max(0.0);
    draw.overtime_hours = team.overtime.map_or(0.0, |o| shortfall.min(o.max_share * payroll * hours));
    draw.on_phones = productive * hours * working + draw.overtime_hours;
    let premium = team.overtime.map_or(1.0, |o| o.premium);
    let lines = crate::cost::priced(team.price, payroll * hours, (draw.overtime_hours, premium), handled, hours);
    (draw.pay, draw.overtime, draw.contacts) = (lines.pay, lines.overtime, lines.contacts);
    draw.hiring = draw.hires * team.hiring_cost;
    draw.training = draw.hires * team.training_cost;
    draw
}

/// A partner's months: as many heads as required, paid by its basis.
fn partner_months(
    model: &Model,
    plan: &Plan,
    t: usize,
    need: &Requirement,
    req: &Required,
    handled: &[f64],
) -> Vec<MonthDraw> {
    let team = &plan.teams[t];
    (0..plan.months.len())
        .map(|m| {
            let hours = fte_hours(model, plan, m);
            let on_phones = need.agent_hours_per_day[t][m] * plan.months[m].days as f64;
            let mut d = MonthDraw { headcount: req.heads[m], available: req.heads[m], on_phones, ..Default::default() };
            let lines = crate::cost::priced(team.price, req.fte[m] * hours, (0.0, 1.0), handled[m], hours);
            (d.pay, d.contacts) = (lines.pay, lines.contacts);
            d
        })
        .collect()
}

/// Tallies per team (then all teams) × span × figure.
struct Tallies {
    /// `[team or all][span][figure]`.
    cells: Vec<Vec<[Tally; FIGURES]>>,
}

impl Tallies {
    fn new(groups: usize, spans: usize) -> Self {
        Tallies { cells: vec![vec![std::array::from_fn(|_| Tally::default()); spans]; groups] }
    }

    fn add(&mut self, group: usize, spans: &[Span], months: &[[f64; FIGURES]]) {
        for (s, span) in spans.iter().enumerate() {
            for (f, cell) in self.cells[group][s].iter_mut().enumerate() {
                cell.add(span_value(months, span, f), SCALE);
            }
        }
    }
}

/// Figure `f` over `span` from its months: a stock's last month, a
/// flow's sum.
fn span_value(months: &[[f64; FIGURES]], span: &Span, f: usize) -> f64 {
    match STOCKS.contains(&f) {
        true => months[span.months.end - 1][f],
        false => sum(span.months.clone().map(|m| months[m][f])),
    }
}

fn figure(t: &Tally) -> Figure {
    let s = t.summary(SCALE, (0.0, f64::INFINITY)).expect("every replication is counted");
    Figure { mean: s.mean, ci95: s.ci95, p10: s.p10, p50: t.percentile(0.5).unwrap_or(s.mean), p90: s.p90 }
}

/// The agent-hours each team has on the phones each month (`[team][month]`),
/// the mean over the workforce Monte Carlo's replications (the same draws
/// [`run`] prices).
pub fn available_hours(
    model: &Model,
    plan: &Plan,
    need: &Requirement,
    threads: Option<usize>,
) -> Result<Vec<Vec<f64>>, ThreadsError> {
    let req = required(model, plan, need);
    let none = vec![0.0; plan.months.len()];
    let mut total = vec![vec![0.0; plan.months.len()]; plan.teams.len()];
    let replicate = |r: u32| -> Vec<Vec<f64>> {
        (0..plan.teams.len())
            .map(|t| simulate_team(model, plan, t, need, &req[t], &none, r).iter().map(|d| d.on_phones).collect())
            .collect()
    };
    in_order(0..plan.replications, threads, replicate, |teams| {
        for (sums, months) in total.iter_mut().zip(teams) {
            for (s, x) in sums.iter_mut().zip(months) {
                *s += x;
            }
        }
    })?;
    let n = plan.replications as f64;
    Ok(total.into_iter().map(|months| months.into_iter().map(|s| s / n).collect()).collect())
}

/// The workforce Monte Carlo of `plan` against `need`, priced on what
/// `served` handled, into results.
pub fn run(
    model: &Model,
    plan: &Plan,
    need: &Requirement,
    served: &Simulated,
    options: &Options,
) -> Result<PlanResults, ThreadsError> {
    let req = required(model, plan, need);
    let spans = spans(&plan.months);
    let teams = plan.teams.len();
    let handled: Vec<Vec<f64>> = (0..teams)
        .map(|t| (0..plan.months.len()).map(|m| round_to(served.team_handled(need, t, m), COUNT)).collect())
        .collect();
    // Workforce replication r is priced on what replication r mod n of
    // the simulated weeks handled (a per-contact price varies with them),
    // scaled so that their mean over the workforce replications is the
    // month's handled contacts as reported: contacts × price to the cent.
    let n = served.replications.max(1) as usize;
    let reps = plan.replications.max(1) as usize;
    let handled_in: Vec<Vec<Vec<f64>>> = (0..teams)
        .map(|t| {
            let raw: Vec<Vec<f64>> = (0..n)
                .map(|k| (0..plan.months.len()).map(|m| served.team_handled_in(need, t, m, k)).collect())
                .collect();
            let used: Vec<f64> =
                (0..plan.months.len()).map(|m| sum((0..reps).map(|r| raw[r % n][m])) / reps as f64).collect();
            raw.iter()
                .map(|week| {
                    week.iter()
                        .enumerate()
                        .map(|(m, x)| if used[m] > 0.0 { x * handled[t][m] / used[m] } else { 0.0 })
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut tallies = Tallies::new(teams + 1, spans.len());
    let replicate = |r: u32| -> Vec<Vec<MonthDraw>> {
        (0..teams).map(|t| simulate_team(model, plan, t, need, &req[t], &handled_in[t][r as usize % n], r)).collect()
    };
    in_order(0..plan.replications, options.threads, replicate, |draws| {
        let mut all = vec![[0.0; FIGURES]; plan.months.len()];
        for (t, months) in draws.iter().enumerate() {
            let values: Vec<[f64; FIGURES]> = months.iter().map(MonthDraw::values).collect();
            for (sum, v) in all.iter_mut().zip(&values) {
                for f in 0..FIGURES {
                    sum[f] += v[f];
                }
            }
            tallies.add(t, &spans, &values);
        }
        tallies.add(teams, &spans, &all);
    })?;
    let frame = Frame { model, plan, need, served, req: &req, handled: &handled, spans: &spans };
    Ok(frame.results(&tallies, options))
}

/// Adds up `parts` in order (from +0).
fn sum(parts: impl IntoIterator<Item = f64>) -> f64 {
    parts.into_iter().fold(0.0, |a, b| a + b)
}

/// Adds up `parts`, each rounded to 1 / `per_unit`, exactly (in whole
/// units): the decimal sum of the decimals the parts print as.
pub fn exact_sum(parts: impl IntoIterator<Item = f64>, per_unit: f64) -> f64 {
    parts.into_iter().map(|x| (x * per_unit).round() as i64).sum::<i64>() as f64 / per_unit
}

/// Figures of one cell, each rounded to its unit, the total cost's mean
/// the exact sum of the lines' means.
fn rounded(cell: &[Figure; FIGURES]) -> [Figure; FIGURES] {
    let mut f: [Figure; FIGURES] = std::array::from_fn(|k| cell[k].rounded(UNIT[k]));
    f[TOTAL].mean = exact_sum(LINES.map(|k| f[k].mean), MONEY);
    f
}

/// Figures of one cell from its tally, rounded; with `parts` (rounded
/// already), the means of additive figures (every figure, or the flows
/// only) are the exact sums of the parts' means.
fn figures(cell: &[Tally; FIGURES], parts: &[[Figure; FIGURES]], flows_only: bool) -> [Figure; FIGURES] {
    let mut f: [Figure; FIGURES] = rounded(&std::array::from_fn(|k| figure(&cell[k])));
    if !parts.is_empty() {
        for (k, fig) in f.iter_mut().enumerate().take(TOTAL) {
            if !(flows_only && STOCKS.contains(&k)) {
                fig.mean = exact_sum(parts.iter().map(|p| p[k].mean), UNIT[k]);
            }
        }
        f[TOTAL].mean = exact_sum(LINES.map(|k| f[k].mean), MONEY);
    }
    f
}

/// Cost lines of one (rounded) cell.
fn cost_lines(f: &[Figure; FIGURES]) -> CostLines {
    CostLines { pay: f[5], contacts: f[6], overtime: f[7], hiring: f[8], training: f[9], total: f[TOTAL] }
}

/// Everything the results are made of.
struct Frame<'a> {
    model: &'a Model,
    plan: &'a Plan,
    need: &'a Requirement,
    served: &'a Simulated,
    req: &'a [Required],
    /// `handled[team][month]`, rounded.
    handled: &'a [Vec<f64>],
    spans: &'a [Span],
}

impl Frame<'_> {
    /// One team's figures per span: months from the tallies, then roll-ups
    /// whose flows add up the months' means; a partner's are exact (the
    /// same in every replication).
    fn team_figures(&self, t: usize, tallies: &Tallies) -> Vec<[Figure; FIGURES]> {
        let (model, plan) = (self.model, self.plan);
        let fixed: Option<Vec<[f64; FIGURES]>> = plan.teams[t].partner.then(|| {
            partner_months(model, plan, t, self.need, &self.req[t], &self.handled[t])
                .iter()
                .map(MonthDraw::values)
                .collect()
        });
        let per_contact = matches!(plan.teams[t].price, crate::model::plan::Price::PerContact(_));
        let mut rows: Vec<[Figure; FIGURES]> = Vec::with_capacity(self.spans.len());
        for (s, span) in self.spans.iter().enumerate() {
            let parts: Vec<[Figure; FIGURES]> = match span.kind {
                "month" => Vec::new(),
                _ => span.months.clone().map(|m| rows[m]).collect(),
            };
            let mut row = figures(&tallies.cells[t][s], &parts, true);
            if let Some(months) = &fixed {
                // The same in every replication: the mean, everywhere;
                // but a price per contact is paid on what each replication
                // of the simulated weeks handled, so its cost varies.
                let varies = |f: usize| per_contact && (LINES.contains(&f) || f == TOTAL);
                for (f, fig) in row.iter_mut().enumerate().filter(|(f, _)| !varies(*f)) {
                    let exact = match span.kind == "month" || STOCKS.contains(&f) {
                        true => round_to(span_value(months, span, f), UNIT[f]),
                        false => fig.mean,
                    };
                    *fig = Figure::fixed(exact);
                }
                if !per_contact {
                    row[TOTAL] = Figure::fixed(exact_sum(LINES.map(|k| row[k].mean), MONEY));
                }
            }
            rows.push(row);
        }
        rows
    }

    fn required_fte(&self, t: usize, s: &Span) -> f64 {
        round_to(sum(s.months.clone().map(|m| self.req[t].fte[m])) / s.months.len() as f64, COUNT)
    }

    fn required_heads(&self, t: usize, s: &Span) -> f64 {
        self.req[t].heads[s.months.end - 1]
    }

    fn team_handled(&self, t: usize, s: &Span) -> f64 {
        exact_sum(s.months.clone().map(|m| self.handled[t][m]), COUNT)
    }

    fn results(&self, tallies: &Tallies, options: &Options) -> PlanResults {
        let (model, plan, spans) = (self.model, self.plan, self.spans);
        let teams = plan.teams.len();
        let cells: Vec<Vec<[Figure; FIGURES]>> = (0..teams).map(|t| self.team_figures(t, tallies)).collect();
        let team_plans = plan
            .teams
            .iter()
            .enumerate()
            .map(|(t, team)| TeamPlan {
                name: team.name.clone(),
                partner: team.partner,
                price_basis: team.price.basis(),
                price: team.price.amount(),
                hiring: team.hiring.name(),
                freeze: team.freeze.as_ref().map(|f| [plan.months[f.start].label(), plan.months[f.end - 1].label()]),
                rows: spans
                    .iter()
                    .enumerate()
                    .map(|(s, span)| {
                        let f = &cells[t][s];
                        let handled = self.team_handled(t, span);
                        TeamRow {
                            heads: heads(f, self.required_fte(t, span), self.required_heads(t, span)),
                            leavers: f[4],
                            cover: self.served.cover(t, span.months.clone()),
                            handled,
                            cost: cost_lines(f),
                            cost_per_contact: per_contact(&f[TOTAL], handled),
                        }
                    })
                    .collect(),
            })
            .collect();
        let queues: Vec<QueuePlan> = (0..plan.queues.len()).map(|pq| self.queue_plan(pq)).collect();
        let total = spans
            .iter()
            .enumerate()
            .map(|(s, span)| {
                let parts: Vec<[Figure; FIGURES]> = (0..teams).map(|t| cells[t][s]).collect();
                let f = figures(&tallies.cells[teams][s], &parts, false);
                let required_fte = exact_sum((0..teams).map(|t| self.required_fte(t, span)), COUNT);
                let required_heads = sum((0..teams).map(|t| self.required_heads(t, span)));
                let volume = exact_sum(queues.iter().map(|q| q.rows[s].volume), COUNT);
                let handled = exact_sum(queues.iter().map(|q| q.rows[s].handled), COUNT);
                let (available, required) = (0..teams).fold((0.0, 0.0), |(a, r), t| {
                    let months = span.months.clone();
                    (
                        a + sum(months.clone().map(|m| self.served.available[t][m])),
                        r + sum(months.map(|m| self.served.required[t][m])),
                    )
                });
                TotalRow {
                    volume,
                    handled,
                    handled_share: (volume > 0.0).then(|| handled / volume),
                    cover: (required > 0.0).then(|| available / required),
                    heads: heads(&f, required_fte, required_heads),
                    cost: cost_lines(&f),
                    cost_per_contact: per_contact(&f[TOTAL], handled),
                }
            })
            .collect();
        PlanResults {
            scenario: model.name.clone(),
            provenance: options.provenance.clone(),
            paid_hours_per_week: model.staffing.paid_hours_per_week,
            currency: model.currency.clone(),
            requirement: RequirementInfo {
                replications_per_level: plan.requirement_replications,
                slices: self.need.slices.len(),
                weeks_simulated: self.need.weeks.len(),
            },
            service: ServiceInfo {
                replications: self.served.replications,
                weeks_simulated: self.served.weeks_simulated(),
            },
            risks: risks(&queues, spans),
            spans: spans.to_vec(),
            queues,
            teams: team_plans,
            total,
        }
    }

    /// Plan queue `pq`'s rows: volume, handle time and the service at the
    /// heads available.
    fn queue_plan(&self, pq: usize) -> QueuePlan {
        let (model, plan, spans) = (self.model, self.plan, self.spans);
        let q = &plan.queues[pq];
        let month_volume: Vec<f64> = q.volume.iter().map(|v| round_to(*v, COUNT)).collect();
        let volume: Vec<f64> =
            spans.iter().map(|s| exact_sum(s.months.clone().map(|m| month_volume[m]), COUNT)).collect();
        let service = self.served.queue_rows(model, plan, self.need, pq, spans, &volume);
        let base = model.queues[q.queue].handle_time.mean_s();
        let queue = &model.queues[q.queue];
        QueuePlan {
            name: queue.name.clone(),
            channel: queue.channel.name(),
            targets: queue.targets.list(),
            rows: spans
                .iter()
                .zip(volume)
                .zip(service)
                .map(|((span, volume), service)| {
                    let weighted = sum(span.months.clone().map(|m| q.volume[m] * q.aht_factor[m]));
                    let raw = sum(span.months.clone().map(|m| q.volume[m]));
                    let aht_factor = match raw > 0.0 {
                        true => weighted / raw,
                        false => sum(span.months.clone().map(|m| q.aht_factor[m])) / span.months.len() as f64,
                    };
                    QueueRow {
                        volume,
                        aht_s: round_to(base * aht_factor, COUNT),
                        handled: service.as_ref().map_or(0.0, |s| s.handled.mean),
                        service,
                    }
                })
                .collect(),
        }
    }
}

/// Cost per handled contact, to the cent.
fn per_contact(total: &Figure, handled: f64) -> Option<Figure> {
    (handled > 0.0).then(|| total.divided_by(handled).rounded(MONEY))
}

/// Every month and target whose mean misses it, worst first.
fn risks(queues: &[QueuePlan], spans: &[Span]) -> Vec<PlanRisk> {
    let mut all: Vec<(usize, usize, PlanRisk)> = Vec::new();
    for (q, queue) in queues.iter().enumerate() {
        for (s, (span, row)) in spans.iter().zip(&queue.rows).enumerate().filter(|(_, (s, _))| s.kind == "month") {
            let Some(service) = &row.service else { continue };
            for (target, share) in service.targets.shares() {
                let Some(mean) = service.mean_of(target.kpi) else { continue };
                if target.met_by(mean) {
                    continue;
                }
                all.push((
                    s,
                    q,
                    PlanRisk {
                        queue: queue.name.clone(),
                        month: span.label.clone(),
                        target: target.key,
                        target_value: target.value,
                        mean,
                        met_share: share.met_share,
                        met_ci95: share.met_ci95,
                        judged: target,
                    },
                ));
            }
        }
    }
    // Lowest P(meet) first, then the furthest from the target (relative),
    // then month and queue order.
    let miss = |r: &PlanRisk| (r.mean - r.target_value).abs() / r.target_value.abs().max(1e-9);
    all.sort_by(|a, b| {
        a.2.met_share
            .total_cmp(&b.2.met_share)
            .then(miss(&b.2).total_cmp(&miss(&a.2)))
            .then((a.0, a.1).cmp(&(b.0, b.1)))
    });
    all.into_iter().map(|(_, _, r)| r).collect()
}

/// The heads of (rounded) figures `f` (headcount, available, overtime,
/// hires first) against what is required.
fn heads(f: &[Figure; FIGURES], required_fte: f64, required_headcount: f64) -> Heads {
    Heads {
        required_fte,
        required_headcount,
        headcount: f[0],
        available: f[1],
        gap: f[1].subtracted_from(required_headcount).rounded(COUNT),
        overtime_hours: f[2],
        hires: f[3],
    }
}
