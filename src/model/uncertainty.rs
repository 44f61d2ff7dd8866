//! What makes the Monte Carlo spread real, as compiled: a queue's
//! forecast error ([`Variation`]) and a team's unplanned absence
//! ([`Absence`]). `input::compile::uncertainty` validates them.

/// Largest coefficient of variation of a forecast factor.
pub const MAX_FACTOR_CV: f64 = 2.0;

/// Smallest coefficient of variation of a forecast factor other than 0
/// (none): a gamma of shape 1 / cv² up to 10⁶, whose draws stay exact.
/// Below it the shape ran to infinity (a CV of 1e-160 hung the engine, one
/// of 1e-200 panicked it); a CV that small is no forecast error anyway.
pub const MIN_FACTOR_CV: f64 = 0.001;

/// Smallest correlation of the queues' daily factors other than 0 (none):
/// the shared factor's CV is the largest `volume_cv` / √correlation, so at
/// most 20 (a gamma of shape 1/400, drawn exactly). A correlation of
/// 1e-308 made it 2e154, whose square overflowed and panicked the engine.
pub const MIN_CORRELATION: f64 = 0.01;

/// A queue's forecast error: coefficients of variation of random factors
/// with mean 1, drawn per replication.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Variation {
    /// CV of the daily busyness factor on the arrival rates.
    pub volume_cv: f64,
    /// CV of the factor per interval on top of the day's (independent).
    pub intraday_cv: f64,
    /// CV of the daily factor on handle times.
    pub aht_cv: f64,
}

impl Variation {
    /// Whether any factor varies.
    pub fn any(&self) -> bool {
        self.volume_cv > 0.0 || self.intraday_cv > 0.0 || self.aht_cv > 0.0
    }
}

/// A team's unplanned absence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Absence {
    /// Chance that an agent misses a shift (an agent-day for a team with no
    /// shifts), in [0, 1).
    pub rate: f64,
    /// Share of an absent agent's hours still paid, in [0, 1].
    pub paid: f64,
}

impl Default for Absence {
    fn default() -> Self {
        Absence { rate: 0.0, paid: 1.0 }
    }
}
