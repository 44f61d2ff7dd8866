//! `[plan]` as written: serde types for the long-range layer of a
//! scenario, nothing checked beyond syntax and types (the compiler in
//! `plan/compile.rs` checks the values, with their places).

use serde::Deserialize;
use toml::Spanned;

/// `[plan]`: months ahead, per queue its monthly volume, AHT trend and
/// shares, per team its workforce and cost.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    /// First month, "YYYY-MM".
    pub start: Spanned<String>,
    /// Months planned, 12 to 36.
    pub months: Spanned<i64>,
    /// Replications of the workforce Monte Carlo (default: the scenario's).
    pub replications: Option<Spanned<i64>>,
    /// Replications per level of the requirement search (default 20).
    pub requirement_replications: Option<Spanned<i64>>,
    /// The queues' volumes and shares.
    #[serde(default)]
    pub queue: Vec<PlanQueueSpec>,
    /// The teams' workforce and cost.
    #[serde(default)]
    pub team: Vec<PlanTeamSpec>,
}

/// `[[plan.queue]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanQueueSpec {
    /// A `[[queue]]` of the scenario.
    pub name: Spanned<String>,
    /// Contacts per month.
    pub volume: Spanned<VolumeSpec>,
    /// Handle time × (1 + trend)^m in month m (0 = the first); default 0.
    pub aht_trend_per_month: Option<Spanned<f64>>,
    /// Share of the volume given to each `[[plan.team]]`, by name.
    pub shares: Spanned<toml::Table>,
}

/// `volume = { monthly = [...] }` or `{ base, growth_per_month,
/// seasonality }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeSpec {
    /// One volume per month of the plan.
    pub monthly: Option<Spanned<Vec<f64>>>,
    /// Contacts in a month of seasonality index 1, at the plan's start.
    pub base: Option<Spanned<f64>>,
    /// Compound growth per month (default 0).
    pub growth_per_month: Option<Spanned<f64>>,
    /// Twelve indexes, January to December (default all 1).
    pub seasonality: Option<Spanned<Vec<f64>>>,
}

/// `[[plan.team]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTeamSpec {
    /// A `[[team]]` of the scenario.
    pub name: Spanned<String>,
    /// A partner: capacity follows its requirement (no headcount kept).
    pub partner: Option<bool>,
    /// Agents on payroll at the start.
    pub headcount: Option<Spanned<i64>>,
    /// Chance each agent leaves in a month, in [0, 1).
    pub attrition_per_month: Option<Spanned<f64>>,
    /// `{ policy = "fill_gap", lead_time_weeks, class_size }` or
    /// `{ policy = "plan", hires = [...] }`.
    pub hiring: Option<Spanned<HiringSpec>>,
    /// Weeks a hire trains, paid and not productive.
    pub training_weeks: Option<Spanned<i64>>,
    /// Share of a full agent's productivity by week after training.
    pub ramp: Option<Spanned<Vec<f64>>>,
    /// Shrinkage by category (shares of paid time).
    pub shrinkage: Option<Spanned<ShrinkageSpec>>,
    /// Twelve multipliers of vacation, January to December.
    pub vacation_seasonality: Option<Spanned<Vec<f64>>>,
    /// Overtime allowed.
    pub overtime: Option<Spanned<OvertimeSpec>>,
    /// Price basis.
    pub cost: Option<Spanned<CostSpec>>,
    /// Cost of one hire (recruiting).
    pub hiring_cost: Option<Spanned<f64>>,
    /// Cost of training one hire (beyond the trainee's pay).
    pub training_cost: Option<Spanned<f64>>,
}

/// How a team hires.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HiringSpec {
    /// "fill_gap" or "plan".
    pub policy: Spanned<String>,
    /// fill_gap: weeks from deciding to hire to the hire's first day.
    pub lead_time_weeks: Option<Spanned<i64>>,
    /// fill_gap: hires come in classes of this size (default 1).
    pub class_size: Option<Spanned<i64>>,
    /// plan: hires starting on the first day of each month.
    pub hires: Option<Spanned<Vec<i64>>>,
}

/// Shrinkage by category, shares of paid time.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShrinkageSpec {
    /// Vacation (scaled by `vacation_seasonality`).
    pub vacation: Option<f64>,
    /// Sickness.
    pub sickness: Option<f64>,
    /// Training of tenured agents.
    pub training: Option<f64>,
    /// Meetings.
    pub meetings: Option<f64>,
    /// Coaching.
    pub coaching: Option<f64>,
}

/// `overtime = { max_share, premium }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OvertimeSpec {
    /// Most overtime, a share of the team's paid hours.
    pub max_share: f64,
    /// Pay of an overtime hour / pay of a normal hour (default 1.5).
    pub premium: Option<f64>,
}

/// Exactly one of the three price bases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostSpec {
    /// Per paid hour.
    pub per_hour: Option<f64>,
    /// Per handled contact.
    pub per_contact: Option<f64>,
    /// Per FTE per month.
    pub per_fte_month: Option<f64>,
}
