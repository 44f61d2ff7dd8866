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
//! missing heads in whole classes. A partner's capacity follows its
//! requirement. Replications fold into exact tallies in index order.

use crate::streams::{stream, Source};
use rand_distr::{Binomial, Distribution};

use super::{
    spans, CostLines, Figure, Heads, Options, PlanResults, QueuePlan, QueueRow, Requirement, RequirementInfo, Span,
    TeamPlan, TeamRow, TotalRow,
};
use crate::model::plan::{Hiring, Plan, PlanTeam, Price};
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
}

/// Figures tallied, in [`MonthDraw`]'s order, then the total cost.
const FIGURES: usize = 11;
/// Indices of stocks (the span's last month) among [`FIGURES`].
const STOCKS: [usize; 2] = [0, 1];

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

/// One team's months in one replication.
pub fn simulate_team(
    model: &Model,
    plan: &Plan,
    t: usize,
    need: &Requirement,
    req: &Required,
    replication: u32,
) -> Vec<MonthDraw> {
    let team = &plan.teams[t];
    if team.partner {
        return partner_months(model, plan, t, need, req);
    }
    let mut rng = stream(model.seed, replication, t, Source::Workforce);
    let days = Days::of(plan);
    let tenured = -(team.days_to_full() as i64) - 1;
    let mut cohorts = vec![Cohort { start: tenured, heads: team.headcount }];
    let mut out = Vec::with_capacity(plan.months.len());
    for (m, month) in plan.months.iter().enumerate() {
        let (first, end) = (days.starts[m], days.starts[m + 1]);
        if let Hiring::Planned(hires) = &team.hiring {
            if hires[m] > 0 {
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
        out.push(priced(model, plan, t, m, need, month_draw, payroll / n, productive / n));
    }
    out
}

/// The fill-gap decision of day `d`.
fn fill_gap(team: &PlanTeam, days: &Days, req: &Required, cohorts: &mut Vec<Cohort>, d: i64, lead: u32, class: u32) {
    let full = d + lead as i64 + team.days_to_full() as i64;
    if full >= days.total() {
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

/// `draw` with overtime and cost: `payroll` and `productive` are the
/// month's mean heads on payroll and productive heads.
#[allow(clippy::too_many_arguments)]
fn priced(
    model: &Model,
    plan: &Plan,
    t: usize,
    m: usize,
    need: &Requirement,
    mut draw: MonthDraw,
    payroll: f64,
    productive: f64,
) -> MonthDraw {
    let team = &plan.teams[t];
    let hours = fte_hours(model, plan, m);
    let working = 1.0 - team.shrinkage_in(&plan.months[m]);
    let wanted = need.agent_hours_per_day[t][m] * plan.months[m].days as f64;
    let shortfall = (wanted - productive * hours * working).max(0.0);
    draw.overtime_hours = team.overtime.map_or(0.0, |o| shortfall.min(o.max_share * payroll * hours));
    let premium = team.overtime.map_or(1.0, |o| o.premium);
    match team.price {
        Price::None => {}
        Price::PerHour(rate) => {
            draw.pay = payroll * hours * rate;
            draw.overtime = draw.overtime_hours * rate * premium;
        }
        Price::PerFteMonth(rate) => {
            draw.pay = payroll * rate;
            draw.overtime = draw.overtime_hours * rate / hours * premium;
        }
        Price::PerContact(price) => draw.contacts = need.handled[t][m] * price,
    }
    draw.hiring = draw.hires * team.hiring_cost;
    draw.training = draw.hires * team.training_cost;
    draw
}

/// A partner's months: as many heads as required, paid by its basis.
fn partner_months(model: &Model, plan: &Plan, t: usize, need: &Requirement, req: &Required) -> Vec<MonthDraw> {
    let team = &plan.teams[t];
    (0..plan.months.len())
        .map(|m| {
            let hours = fte_hours(model, plan, m);
            let mut d = MonthDraw { headcount: req.heads[m], available: req.heads[m], ..Default::default() };
            match team.price {
                Price::None => {}
                Price::PerHour(rate) => d.pay = req.fte[m] * hours * rate,
                Price::PerFteMonth(rate) => d.pay = req.fte[m] * rate,
                Price::PerContact(price) => d.contacts = need.handled[t][m] * price,
            }
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

/// The workforce Monte Carlo of `plan` against `need`, into results.
pub fn run(model: &Model, plan: &Plan, need: &Requirement, options: &Options) -> Result<PlanResults, ThreadsError> {
    let req = required(model, plan, need);
    let spans = spans(&plan.months);
    let teams = plan.teams.len();
    let mut tallies = Tallies::new(teams + 1, spans.len());
    let replicate = |r: u32| -> Vec<Vec<MonthDraw>> {
        (0..teams).map(|t| simulate_team(model, plan, t, need, &req[t], r)).collect()
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
    Ok(results(model, plan, need, &req, &spans, &tallies, options))
}

/// Adds up `parts` in order (from +0).
fn sum(parts: impl IntoIterator<Item = f64>) -> f64 {
    parts.into_iter().fold(0.0, |a, b| a + b)
}

/// Cost lines of one cell, the total's mean the sum of the lines' means.
fn cost_lines(f: &[Figure; FIGURES]) -> CostLines {
    let mut total = f[10];
    total.mean = sum([f[5].mean, f[6].mean, f[7].mean, f[8].mean, f[9].mean]);
    CostLines { pay: f[5], contacts: f[6], overtime: f[7], hiring: f[8], training: f[9], total }
}

/// Figures of one cell, with the means of additive figures replaced by
/// the sums of their parts' means (`parts`), so that totals add up.
fn figures(cell: &[Tally; FIGURES], parts: &[[Figure; FIGURES]], flows_only: bool) -> [Figure; FIGURES] {
    let mut f: [Figure; FIGURES] = std::array::from_fn(|k| figure(&cell[k]));
    if !parts.is_empty() {
        for (k, fig) in f.iter_mut().enumerate().take(FIGURES - 1) {
            if !(flows_only && STOCKS.contains(&k)) {
                fig.mean = sum(parts.iter().map(|p| p[k].mean));
            }
        }
    }
    f
}

/// One team's figures per span: months from the tallies, then roll-ups
/// whose flows add up the months' means; a partner's are exact (the same
/// in every replication).
fn team_figures(
    model: &Model,
    plan: &Plan,
    need: &Requirement,
    t: usize,
    req: &Required,
    spans: &[Span],
    tallies: &Tallies,
) -> Vec<[Figure; FIGURES]> {
    let fixed: Option<Vec<[f64; FIGURES]>> = plan.teams[t]
        .partner
        .then(|| partner_months(model, plan, t, need, req).iter().map(MonthDraw::values).collect());
    let mut rows: Vec<[Figure; FIGURES]> = Vec::with_capacity(spans.len());
    for (s, span) in spans.iter().enumerate() {
        let parts: Vec<[Figure; FIGURES]> = match span.kind {
            "month" => Vec::new(),
            _ => span.months.clone().map(|m| rows[m]).collect(),
        };
        let mut row = figures(&tallies.cells[t][s], &parts, true);
        if let Some(months) = &fixed {
            for (f, fig) in row.iter_mut().enumerate() {
                *fig = Figure { mean: fig.mean, ..Figure::fixed(span_value(months, span, f)) };
                if span.kind == "month" || STOCKS.contains(&f) {
                    fig.mean = span_value(months, span, f);
                }
            }
        }
        rows.push(row);
    }
    rows
}

#[allow(clippy::too_many_arguments)]
fn results(
    model: &Model,
    plan: &Plan,
    need: &Requirement,
    req: &[Required],
    spans: &[Span],
    tallies: &Tallies,
    options: &Options,
) -> PlanResults {
    let teams = plan.teams.len();
    let fte_of = |t: usize, s: &Span| sum(s.months.clone().map(|m| req[t].fte[m])) / s.months.len() as f64;
    let heads_of = |t: usize, s: &Span| req[t].heads[s.months.end - 1];
    let handled_of = |t: usize, s: &Span| sum(s.months.clone().map(|m| need.handled[t][m]));
    let cells: Vec<Vec<[Figure; FIGURES]>> =
        req.iter().enumerate().map(|(t, r)| team_figures(model, plan, need, t, r, spans, tallies)).collect();
    let team_plans = plan
        .teams
        .iter()
        .enumerate()
        .map(|(t, team)| TeamPlan {
            name: team.name.clone(),
            partner: team.partner,
            price_basis: team.price.basis(),
            price: team.price.amount(),
            rows: spans
                .iter()
                .enumerate()
                .map(|(s, span)| team_row(&cells[t][s], fte_of(t, span), heads_of(t, span), handled_of(t, span)))
                .collect(),
        })
        .collect();
    let total = spans
        .iter()
        .enumerate()
        .map(|(s, span)| {
            let parts: Vec<[Figure; FIGURES]> = (0..teams).map(|t| cells[t][s]).collect();
            let f = figures(&tallies.cells[teams][s], &parts, false);
            let required = (sum((0..teams).map(|t| fte_of(t, span))), sum((0..teams).map(|t| heads_of(t, span))));
            let handled =
                sum((0..plan.queues.len()).map(|q| sum(span.months.clone().map(|m| need.handled_by_queue[q][m]))));
            let cost = cost_lines(&f);
            TotalRow {
                volume: sum(plan.queues.iter().map(|q| sum(span.months.clone().map(|m| q.volume[m])))),
                handled,
                heads: heads(&f, required.0, required.1),
                cost,
                cost_per_contact: (handled > 0.0).then(|| cost.total.divided_by(handled)),
            }
        })
        .collect();
    let queues = plan
        .queues
        .iter()
        .enumerate()
        .map(|(pq, q)| QueuePlan {
            name: model.queues[q.queue].name.clone(),
            rows: spans
                .iter()
                .map(|span| {
                    let volume = sum(span.months.clone().map(|m| q.volume[m]));
                    let base = model.queues[q.queue].handle_time.mean_s();
                    let weighted = sum(span.months.clone().map(|m| q.volume[m] * q.aht_factor[m]));
                    let aht_factor = match volume > 0.0 {
                        true => weighted / volume,
                        false => sum(span.months.clone().map(|m| q.aht_factor[m])) / span.months.len() as f64,
                    };
                    QueueRow {
                        volume,
                        aht_s: base * aht_factor,
                        handled: sum(span.months.clone().map(|m| need.handled_by_queue[pq][m])),
                    }
                })
                .collect(),
        })
        .collect();
    PlanResults {
        scenario: model.name.clone(),
        provenance: options.provenance.clone(),
        paid_hours_per_week: model.staffing.paid_hours_per_week,
        requirement: RequirementInfo {
            replications_per_level: plan.requirement_replications,
            slices: need.slices,
            weeks_simulated: need.weeks_simulated,
        },
        spans: spans.to_vec(),
        queues,
        teams: team_plans,
        total,
    }
}

fn team_row(f: &[Figure; FIGURES], required_fte: f64, required_headcount: f64, handled: f64) -> TeamRow {
    TeamRow { heads: heads(f, required_fte, required_headcount), leavers: f[4], handled, cost: cost_lines(f) }
}

/// The heads of figures `f` (headcount, available, overtime, hires first)
/// against what is required.
fn heads(f: &[Figure; FIGURES], required_fte: f64, required_headcount: f64) -> Heads {
    Heads {
        required_fte,
        required_headcount,
        headcount: f[0],
        available: f[1],
        gap: f[1].subtracted_from(required_headcount),
        overtime_hours: f[2],
        hires: f[3],
    }
}
