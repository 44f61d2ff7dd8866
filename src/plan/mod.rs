//! `wfmsim plan`: a long-range capacity plan and care-cost budget, month
//! by month.
//!
//! 1. `compile` checks `[plan]` against the scenario: months, per queue a
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

pub mod compile;
pub mod requirement;
pub mod spec;
pub mod workforce;

use jiff::civil::Date;
use serde::Serialize;

pub use compile::load;
pub use requirement::Requirement;

use crate::model::Model;
use crate::montecarlo::ThreadsError;
use crate::results::Provenance;

/// One month of the plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Month {
    /// Its first day.
    pub date: Date,
    /// Days in it.
    pub days: u32,
}

impl Month {
    /// 0 for January … 11 for December.
    pub fn calendar_index(&self) -> usize {
        self.date.month() as usize - 1
    }

    /// "2027-01".
    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.date.year(), self.date.month())
    }
}

/// `[plan]`, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The months planned, in order.
    pub months: Vec<Month>,
    /// Replications of the workforce Monte Carlo.
    pub replications: u32,
    /// Replications per level of the requirement search.
    pub requirement_replications: u32,
    /// The queues planned.
    pub queues: Vec<PlanQueue>,
    /// The teams and partners.
    pub teams: Vec<PlanTeam>,
}

/// A queue's months.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanQueue {
    /// Index of the scenario's queue.
    pub queue: usize,
    /// Contacts per month.
    pub volume: Vec<f64>,
    /// Handle time factor per month (1 = the scenario's).
    pub aht_factor: Vec<f64>,
    /// (plan team, share of the volume), by team.
    pub shares: Vec<(usize, f64)>,
}

/// How a team hires.
#[derive(Debug, Clone, PartialEq)]
pub enum Hiring {
    /// It does not.
    None,
    /// Keep the gap closed: each day, hire (in whole classes) the heads
    /// missing at the day hires made now become full agents.
    FillGap {
        /// Days from the decision to the hire's first day.
        lead_days: u32,
        /// Heads per class.
        class_size: u32,
    },
    /// Hires starting on the first day of each month.
    Planned(Vec<u32>),
}

/// Shrinkage by category, shares of paid time.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Shrinkage {
    /// Vacation, before its seasonality.
    pub vacation: f64,
    /// Sickness.
    pub sickness: f64,
    /// Training of tenured agents.
    pub training: f64,
    /// Meetings.
    pub meetings: f64,
    /// Coaching.
    pub coaching: f64,
    /// `[staffing].shrinkage`, when the team gives no categories.
    pub other: f64,
}

impl Shrinkage {
    /// The month's total with vacation × `seasonality`.
    pub fn total(&self, seasonality: f64) -> f64 {
        self.vacation * seasonality + self.sickness + self.training + self.meetings + self.coaching + self.other
    }
}

/// Overtime allowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overtime {
    /// Most overtime hours, a share of the team's paid hours.
    pub max_share: f64,
    /// Pay of an overtime hour / pay of a normal hour.
    pub premium: f64,
}

/// A team's price basis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Price {
    /// Unpriced.
    None,
    /// Per paid hour.
    PerHour(f64),
    /// Per handled contact.
    PerContact(f64),
    /// Per FTE (in-house: per head on payroll) per month.
    PerFteMonth(f64),
}

impl Price {
    /// The amount, whatever its basis.
    pub fn amount(self) -> f64 {
        match self {
            Price::None => 0.0,
            Price::PerHour(x) | Price::PerContact(x) | Price::PerFteMonth(x) => x,
        }
    }

    /// The basis in words.
    pub fn basis(self) -> &'static str {
        match self {
            Price::None => "unpriced",
            Price::PerHour(_) => "per hour",
            Price::PerContact(_) => "per contact",
            Price::PerFteMonth(_) => "per FTE-month",
        }
    }
}

/// A team's or partner's workforce and price.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanTeam {
    /// Its name.
    pub name: String,
    /// Index of the scenario's team.
    pub model_team: usize,
    /// A partner: capacity follows its requirement.
    pub partner: bool,
    /// Heads on payroll at the start.
    pub headcount: u32,
    /// Chance each agent leaves in a month.
    pub attrition: f64,
    /// How it hires.
    pub hiring: Hiring,
    /// Days a hire trains (paid, not productive).
    pub training_days: u32,
    /// Productivity by week after training (empty: full at once).
    pub ramp: Vec<f64>,
    /// Shrinkage by category.
    pub shrinkage: Shrinkage,
    /// Multipliers of vacation, January to December.
    pub vacation_seasonality: [f64; 12],
    /// Overtime allowed, if any.
    pub overtime: Option<Overtime>,
    /// Price.
    pub price: Price,
    /// Cost per hire.
    pub hiring_cost: f64,
    /// Training cost per hire.
    pub training_cost: f64,
}

impl PlanTeam {
    /// Share of a full agent's productivity `days` after the first day.
    pub fn productivity(&self, days: i64) -> f64 {
        let after = days - self.training_days as i64;
        if after < 0 {
            return 0.0;
        }
        self.ramp.get((after / 7) as usize).copied().unwrap_or(1.0)
    }

    /// Days from a hire's first day to full productivity.
    pub fn days_to_full(&self) -> u32 {
        self.training_days + 7 * self.ramp.len() as u32
    }

    /// Shrinkage in `month`.
    pub fn shrinkage_in(&self, month: &Month) -> f64 {
        self.shrinkage.total(self.vacation_seasonality[month.calendar_index()])
    }
}

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
    /// A month scales a queue past the scenario's limits (bad input).
    #[error("{0}")]
    Scale(String),
}

impl crate::fault::Blame for PlanError {
    fn fault(&self) -> crate::fault::Fault {
        match self {
            PlanError::Threads(e) => crate::fault::Blame::fault(e),
            PlanError::Scale(_) => crate::fault::Fault::Input,
        }
    }
}

/// The requirement, then the workforce Monte Carlo, into results.
pub fn run(model: &Model, plan: &Plan, options: &Options) -> Result<PlanResults, PlanError> {
    let required = requirement::find(model, plan, options.threads)?;
    Ok(workforce::run(model, plan, &required, options)?)
}
