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
//!    requirement: first for the agent-hours each team has on the phones
//!    each month, then, priced, into exact tallies in index order.
//! 4. `service` simulates each share-month's week again at the agents its
//!    team has (the requirement's profile scaled to them): what each month
//!    handles, abandons and achieves, and its chance of meeting each
//!    target; per-contact prices and cost per handled contact follow from
//!    what was handled.
//!
//! The results are typed data ([`PlanResults`]), money rounded to cents
//! and counts to tenths, every roll-up adding its months up exactly;
//! `report::plan` renders them.

pub mod requirement;
pub mod service;
pub mod workforce;

use serde::Serialize;

pub use requirement::Requirement;

use crate::model::plan::{Month, Plan};
use crate::model::Model;
use crate::montecarlo::ThreadsError;
use crate::results::{Provenance, TargetShares};

/// Counts (heads, hours, contacts) are rounded to 1 / this: tenths.
pub const COUNT: f64 = 10.0;
/// Money is rounded to 1 / this: cents.
pub const MONEY: f64 = 100.0;

/// `x` rounded to 1 / `per_unit` (half away from zero), as the decimal it
/// prints as.
pub fn round_to(x: f64, per_unit: f64) -> f64 {
    (x * per_unit).round() / per_unit
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

    /// Every number of this figure rounded to 1 / `per_unit`.
    pub fn rounded(self, per_unit: f64) -> Self {
        let r = |x: f64| round_to(x, per_unit);
        Figure {
            mean: r(self.mean),
            ci95: self.ci95.map(|[a, b]| [r(a), r(b)]),
            p10: r(self.p10),
            p50: r(self.p50),
            p90: r(self.p90),
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

/// A reported span: a month, a calendar quarter, a year or the whole plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    /// "month", "quarter", "year" or "total" (every month of the plan).
    pub kind: &'static str,
    /// "2027-01", "2027-Q1", "2027", "total".
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
    /// Agent-hours on the phones (productive heads × paid hours × (1 −
    /// shrinkage) + overtime, the mean over replications) / agent-hours
    /// required; `None` where nothing is required.
    pub cover: Option<f64>,
    /// Contacts the team handled at the heads it had (simulated).
    pub handled: f64,
    /// Cost by line.
    pub cost: CostLines,
    /// Total cost / contacts handled.
    pub cost_per_contact: Option<Figure>,
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
    /// Its hiring policy: "none", "fill_gap" or "plan".
    pub hiring: &'static str,
    /// Its hiring freeze, first and last month, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freeze: Option<[String; 2]>,
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
    /// Contacts handled at the heads available (the service's mean).
    pub handled: f64,
    /// The service at the heads available; `None` when nothing is offered.
    pub service: Option<Service>,
}

/// A queue's service over one span, simulated at the heads its teams have
/// (see [`service`]). Each figure is `{mean, ci95, p10, p50, p90}` over
/// the simulated weeks' replications; `None` where the channel has no
/// such figure or it is undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    /// Contacts handled: answered (live) or finished (deferred, at most
    /// those that arrived).
    pub handled: Figure,
    /// Live contacts that abandoned.
    pub abandoned: Option<Figure>,
    /// Service level, by the scenario's rule (deferred: finished within
    /// the target hours / arrived).
    pub service_level: Option<Figure>,
    /// Mean wait of answered live contacts, seconds.
    pub asa_s: Option<Figure>,
    /// Abandoned / offered.
    pub abandon_rate: Option<Figure>,
    /// Time agents held contacts / time staffed.
    pub occupancy: Option<Figure>,
    /// Deferred: mean time from arrival to finish, seconds.
    pub response_time_s: Option<Figure>,
    /// Deferred: most items open at an interval boundary of the week.
    pub peak_backlog: Option<Figure>,
    /// Agent-hours staffed on the queue (simulated).
    pub agent_hours: Figure,
    /// Share of replications meeting each target (P(meet)), with its 95%
    /// Wilson interval.
    pub targets: TargetShares,
}

impl Service {
    /// The mean of the figure a target on `kpi` judges.
    pub fn mean_of(&self, kpi: crate::kpi::Kpi) -> Option<f64> {
        use crate::kpi::Kpi;
        let f = match kpi {
            Kpi::ServiceLevel => self.service_level,
            Kpi::Asa => self.asa_s,
            Kpi::AbandonRate => self.abandon_rate,
            Kpi::Occupancy => self.occupancy,
            Kpi::PeakBacklog => self.peak_backlog,
            Kpi::ResponseTime => self.response_time_s,
            _ => None,
        };
        f.map(|f| f.mean)
    }
}

/// A month whose mean misses a target of a queue: the plan's risk section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRisk {
    /// The queue.
    pub queue: String,
    /// The month, "2027-07".
    pub month: String,
    /// The target's key (`service_level`, `max_asa_s`, ...).
    pub target: &'static str,
    /// The target value (share, seconds or items).
    pub target_value: f64,
    /// The month's mean of the KPI judged.
    pub mean: f64,
    /// Share of replications meeting the target.
    pub met_share: f64,
    /// Its 95% Wilson interval.
    pub met_ci95: [f64; 2],
    /// The target itself.
    #[serde(skip)]
    pub judged: crate::kpi::Target,
}

/// One queue's plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueuePlan {
    /// Its name.
    pub name: String,
    /// Its channel: "voice", "chat", "email" or "case".
    pub channel: &'static str,
    /// Its targets (the scenario's), which each month's service is judged by.
    pub targets: Vec<crate::kpi::Target>,
    /// One row per span.
    pub rows: Vec<QueueRow>,
}

/// Every team together over one span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalRow {
    /// Contacts offered, all queues.
    pub volume: f64,
    /// Contacts handled at the heads available, all queues.
    pub handled: f64,
    /// Handled / volume.
    pub handled_share: Option<f64>,
    /// Agent-hours on the phones / agent-hours required, all teams.
    pub cover: Option<f64>,
    /// Required against available heads, all teams (required: the sums
    /// of the teams').
    #[serde(flatten)]
    pub heads: Heads,
    /// Cost by line, all teams.
    pub cost: CostLines,
    /// Total cost / contacts handled.
    pub cost_per_contact: Option<Figure>,
}

/// How the service at the heads available was simulated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceInfo {
    /// Replications of each simulated week.
    pub replications: u32,
    /// Distinct weeks simulated (share-months of equal week and cover, to
    /// 1%, share one).
    pub weeks_simulated: usize,
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
    /// The currency money is in, once the scenario names one (none yet:
    /// amounts are in the scenario's unit of `cost`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The requirement search.
    pub requirement: RequirementInfo,
    /// The service simulation.
    pub service: ServiceInfo,
    /// Months, then quarters, then years, then the whole plan.
    pub spans: Vec<Span>,
    /// Per queue.
    pub queues: Vec<QueuePlan>,
    /// Per team or partner.
    pub teams: Vec<TeamPlan>,
    /// All teams.
    pub total: Vec<TotalRow>,
    /// Every month and target whose mean misses it, worst first (lowest
    /// P(meet), then furthest from the target).
    pub risks: Vec<PlanRisk>,
}

/// The months, calendar quarters, years and the whole of `months`.
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
    spans.push(Span { kind: "total", label: "total".to_string(), partial: false, months: 0..months.len() });
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

/// The requirement, the agent-hours each team has, the service they
/// give, then the priced workforce Monte Carlo, into results.
pub fn run(model: &Model, plan: &Plan, options: &Options) -> Result<PlanResults, PlanError> {
    let required = requirement::find(model, plan, options.threads)?;
    let available = workforce::available_hours(model, plan, &required, options.threads)?;
    let served = service::simulate(model, plan, &required, &available, options.threads)?;
    Ok(workforce::run(model, plan, &required, &served, options)?)
}
