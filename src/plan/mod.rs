//! `wfmsim plan`: a long-range capacity plan and care-cost budget, month
//! by month.
//!
//! 1. `input::compile::plan` checks `[plan]` against the scenario: months, per queue a
//!    monthly volume, an AHT trend and the share each team or partner
//!    takes; per team its workforce (headcount, attrition, hiring,
//!    training, ramp, shrinkage, overtime) and price.
//! 2. `requirement` simulates, for every share of a queue a team takes
//!    and every month, the scenario's week scaled to that month's volume
//!    and AHT, and staffs it with the simulated staffing search (`staffing`),
//!    each distinct input once.
//! 3. `workforce` runs the Monte Carlo of each team's workforce day by
//!    day (attrition draws, hires, training, ramp) against that
//!    requirement, and prices it; replications fold into exact tallies in
//!    index order.
//!
//! The results are typed data ([`PlanResults`]); `report::plan` renders
//! them.

pub mod requirement;
pub mod workforce;

use serde::Serialize;

pub use requirement::Requirement;

use crate::model::plan::{Month, Plan};
use crate::model::Model;
use crate::montecarlo::ThreadsError;
use crate::results::Provenance;

/// A random figure across replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    /// Mean.
    pub mean: f64,
    /// 95% Student-t interval of the mean (none with one replication).
    pub ci95: Option<[f64; 2]>,
    /// 10th percentile across replications.
    pub p10: f64,
    /// Median across replications.
    pub p50: f64,
    /// 90th percentile across replications.
    pub p90: f64,
}

impl Figure {
    /// A figure that is the same in every replication.
    pub fn fixed(x: f64) -> Self {
        Figure { mean: x, ci95: Some([x, x]), p10: x, p50: x, p90: x }
    }

    /// `x` minus this figure (a constant less a random figure: bounds and
    /// percentiles swap).
    pub fn subtracted_from(self, x: f64) -> Self {
        Figure {
            mean: x - self.mean,
            ci95: self.ci95.map(|[a, b]| [x - b, x - a]),
            p10: x - self.p90,
            p50: x - self.p50,
            p90: x - self.p10,
        }
    }

    /// This figure divided by a constant `d` > 0.
    pub fn divided_by(self, d: f64) -> Self {
        Figure {
            mean: self.mean / d,
            ci95: self.ci95.map(|[a, b]| [a / d, b / d]),
            p10: self.p10 / d,
            p50: self.p50 / d,
            p90: self.p90 / d,
        }
    }
}

/// A cost split into its lines; `total`'s mean is the sum of the lines'
/// means, its interval and percentiles those of the replications' totals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CostLines {
    /// Pay: paid hours × price per hour, or heads × price per FTE-month.
    pub pay: Figure,
    /// Handled contacts × price per contact.
    pub contacts: Figure,
    /// Overtime hours × hourly price × premium.
    pub overtime: Figure,
    /// Hires × cost per hire.
    pub hiring: Figure,
    /// Hires × training cost per hire.
    pub training: Figure,
    /// The sum.
    pub total: Figure,
}

/// A reported span: a month, a calendar quarter or a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    /// "month", "quarter" or "year".
    pub kind: &'static str,
    /// "2027-01", "2027-Q1", "2027".
    pub label: String,
    /// The plan covers it in part.
    pub partial: bool,
    /// Indices of its months in the plan.
    #[serde(skip)]
    pub months: std::ops::Range<usize>,
}

/// Required against available heads over one span, for a team or every
/// team together. Headcount figures are at the end of the span.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Heads {
    /// Full-time equivalents required (the mean over the span's months).
    pub required_fte: f64,
    /// Heads required at the end: required FTE rounded up.
    pub required_headcount: f64,
    /// Heads on payroll at the end.
    pub headcount: Figure,
    /// Productive heads at the end: tenured + ramping × their curve.
    pub available: Figure,
    /// Required headcount − available (negative: a surplus).
    pub gap: Figure,
    /// Overtime hours worked.
    pub overtime_hours: Figure,
    /// Heads hired (first day in the span).
    pub hires: Figure,
}

/// One team's figures over one span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamRow {
    /// Required against available heads.
    #[serde(flatten)]
    pub heads: Heads,
    /// Heads who left.
    pub leavers: Figure,
    /// Contacts the team answered.
    pub handled: f64,
    /// Cost by line.
    pub cost: CostLines,
}

/// One team's plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamPlan {
    /// Its name.
    pub name: String,
    /// A partner.
    pub partner: bool,
    /// Its price basis, in words.
    pub price_basis: &'static str,
    /// Its price.
    pub price: f64,
    /// One row per span, in the order of [`PlanResults::spans`].
    pub rows: Vec<TeamRow>,
}

/// One queue's months.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueRow {
    /// Contacts offered.
    pub volume: f64,
    /// Mean handle time, seconds (the mean over the span's months, by volume).
    pub aht_s: f64,
    /// Contacts answered.
    pub handled: f64,
}

/// One queue's plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueuePlan {
    /// Its name.
    pub name: String,
    /// One row per span.
    pub rows: Vec<QueueRow>,
}

/// Every team together over one span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalRow {
    /// Contacts offered, all queues.
    pub volume: f64,
    /// Contacts answered, all queues.
    pub handled: f64,
    /// Required against available heads, all teams (required: the sums
    /// of the teams').
    #[serde(flatten)]
    pub heads: Heads,
    /// Cost by line, all teams.
    pub cost: CostLines,
    /// Total cost / handled contacts.
    pub cost_per_contact: Option<Figure>,
}

/// How the requirement was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementInfo {
    /// Replications per level of the staffing search.
    pub replications_per_level: u32,
    /// Shares × months needing a requirement.
    pub slices: usize,
    /// Distinct weeks staffed (the rest reused one of them).
    pub weeks_simulated: usize,
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanResults {
    /// The scenario's name.
    pub scenario: String,
    /// Where the figures come from.
    pub provenance: Provenance,
    /// Paid hours per week of one FTE.
    pub paid_hours_per_week: f64,
    /// The requirement search.
    pub requirement: RequirementInfo,
    /// Months, then quarters, then years.
    pub spans: Vec<Span>,
    /// Per queue.
    pub queues: Vec<QueuePlan>,
    /// Per team or partner.
    pub teams: Vec<TeamPlan>,
    /// All teams.
    pub total: Vec<TotalRow>,
}

/// The months, calendar quarters and years of `months`.
pub fn spans(months: &[Month]) -> Vec<Span> {
    let mut spans: Vec<Span> = months
        .iter()
        .enumerate()
        .map(|(m, month)| Span { kind: "month", label: month.label(), partial: false, months: m..m + 1 })
        .collect();
    let group =
        |key: &dyn Fn(&Month) -> (i16, i8), size: usize, kind: &'static str, label: &dyn Fn(i16, i8) -> String| {
            let mut out: Vec<Span> = Vec::new();
            for (m, month) in months.iter().enumerate() {
                let k = key(month);
                match out.last_mut() {
                    Some(last) if key(&months[last.months.start]) == k => last.months.end = m + 1,
                    _ => out.push(Span { kind, label: label(k.0, k.1), partial: false, months: m..m + 1 }),
                }
            }
            for s in &mut out {
                s.partial = s.months.len() < size;
            }
            out
        };
    spans
        .extend(group(&|m| (m.date.year(), (m.date.month() - 1) / 3), 3, "quarter", &|y, q| format!("{y}-Q{}", q + 1)));
    spans.extend(group(&|m| (m.date.year(), 0), 12, "year", &|y, _| format!("{y}")));
    spans
}

/// Options of a plan run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads; all cores when `None`.
    pub threads: Option<usize>,
    /// Where the figures come from.
    pub provenance: Provenance,
}

/// Why a plan could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The worker threads could not start.
    #[error(transparent)]
    Threads(#[from] ThreadsError),
    /// A queue's week cannot be staffed (no target, or no threads).
    #[error(transparent)]
    Staffing(#[from] crate::staffing::StaffingError),
    /// A month scales a queue past the scenario's limits (bad input).
    #[error("plan.queue {queue:?}: a month's {what} {error}")]
    Scale {
        /// The plan's queue.
        queue: String,
        /// What scales it: `volume` or `AHT trend`.
        what: &'static str,
        /// Why the scale is refused.
        error: crate::model::ScaleError,
    },
}

impl crate::fault::Blame for PlanError {
    fn fault(&self) -> crate::fault::Fault {
        match self {
            PlanError::Threads(e) => crate::fault::Blame::fault(e),
            PlanError::Staffing(e) => crate::fault::Blame::fault(e),
            PlanError::Scale { .. } => crate::fault::Fault::Input,
        }
    }
}

/// The requirement, then the workforce Monte Carlo, into results.
pub fn run(model: &Model, plan: &Plan, options: &Options) -> Result<PlanResults, PlanError> {
    let required = requirement::find(model, plan, options.threads)?;
    Ok(workforce::run(model, plan, &required, options)?)
}
