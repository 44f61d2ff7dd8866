//! What a team costs, as compiled: its price basis and its overtime.
//! `cost` turns them into cost lines; this module only holds them.

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

    /// Whether it is priced at all.
    pub fn is_priced(self) -> bool {
        self != Price::None
    }
}

/// A share of a team's paid hours worked as overtime, at a premium
/// (`[[team]].overtime`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaidOvertime {
    /// Overtime hours / paid hours, in [0, 1].
    pub share: f64,
    /// Pay of an overtime hour / pay of a normal hour, from 1 to 10.
    pub premium: f64,
}
