//! A long-range plan's `[plan]` as compiled: its months, the volume and
//! handle-time trend of each queue, and each team's workforce and price.
//! `input::compile::plan` validates it against the scenario; `plan`
//! simulates it.

use jiff::civil::Date;

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
