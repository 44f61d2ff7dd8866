//! Validation and compilation of what makes the Monte Carlo spread real:
//! forecast error (`[uncertainty]` and each queue's `uncertainty`) and
//! unplanned absence (each team's `absence_rate`, `absence_paid`).

use toml::Spanned;

use super::compile::Compiler;
use super::Model;
use crate::diagnostic::shown;
use crate::scenario::{QueueUncertaintySpec, Scenario, TeamSpec, UncertaintySpec};

/// Largest coefficient of variation of a forecast factor.
pub const MAX_FACTOR_CV: f64 = 2.0;

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

/// Forecast error and absence as compiled, before they are put on the model.
pub(super) struct Risk {
    correlation: f64,
    queues: Vec<Variation>,
    teams: Vec<Absence>,
}

impl Risk {
    /// `model` with these settings on its queues and teams.
    pub(super) fn apply(self, mut model: Model) -> Model {
        model.correlation = self.correlation;
        for (q, v) in model.queues.iter_mut().zip(self.queues) {
            q.variation = v;
        }
        for (t, a) in model.teams.iter_mut().zip(self.teams) {
            t.absence = a;
        }
        model
    }
}

const CV_ALLOWED: &str = "a coefficient of variation from 0 to 2";

impl Compiler<'_> {
    /// Every queue's variation and every team's absence, all checked.
    pub(super) fn risk(&mut self, s: &Scenario) -> Option<Risk> {
        let default = UncertaintySpec::default();
        let u = s.uncertainty.as_ref().unwrap_or(&default);
        let mut cv = |v: &Option<Spanned<f64>>, key: &str| match v {
            Some(v) => self.number_in(v, &format!("uncertainty.{key}"), 0.0, MAX_FACTOR_CV, CV_ALLOWED),
            None => Some(0.0),
        };
        let base = (cv(&u.volume_cv, "volume_cv"), cv(&u.intraday_cv, "intraday_cv"), cv(&u.aht_cv, "aht_cv"));
        let correlation = match &u.correlation {
            Some(v) => self.number_in(
                v,
                "uncertainty.correlation",
                0.0,
                1.0,
                "0 to 1 (a shared factor cannot make queues' volumes move apart)",
            ),
            None => Some(0.0),
        };
        let base = match base {
            (Some(volume_cv), Some(intraday_cv), Some(aht_cv)) => Some(Variation { volume_cv, intraday_cv, aht_cv }),
            _ => None,
        };
        let queues: Vec<Option<Variation>> = s
            .queue
            .iter()
            .enumerate()
            .map(|(i, q)| match (&q.uncertainty, base) {
                (Some(spec), Some(base)) => self.queue_variation(i, spec, base),
                (Some(spec), None) => self.queue_variation(i, spec, Variation::default()).and(None),
                (None, base) => base,
            })
            .collect();
        let teams: Vec<Option<Absence>> = s.team.iter().enumerate().map(|(i, t)| self.absence(i, t)).collect();
        Some(Risk {
            correlation: correlation?,
            queues: queues.into_iter().collect::<Option<_>>()?,
            teams: teams.into_iter().collect::<Option<_>>()?,
        })
    }

    /// Queue `i`'s `uncertainty`, each key given overriding `base`.
    fn queue_variation(
        &mut self,
        i: usize,
        spec: &Spanned<QueueUncertaintySpec>,
        base: Variation,
    ) -> Option<Variation> {
        let mut one = |v: Option<f64>, key: &str, base: f64| match v {
            Some(x) if x.is_finite() && (0.0..=MAX_FACTOR_CV).contains(&x) => Some(x),
            Some(x) => {
                let field = format!("queue[{i}].uncertainty.{key}");
                self.p.at(spec.span(), field, format!("{} is out of range; allowed: {CV_ALLOWED}", shown(x)));
                None
            }
            None => Some(base),
        };
        let s = spec.get_ref();
        let volume_cv = one(s.volume_cv, "volume_cv", base.volume_cv);
        let intraday_cv = one(s.intraday_cv, "intraday_cv", base.intraday_cv);
        let aht_cv = one(s.aht_cv, "aht_cv", base.aht_cv);
        Some(Variation { volume_cv: volume_cv?, intraday_cv: intraday_cv?, aht_cv: aht_cv? })
    }

    /// Team `i`'s `absence_rate` and `absence_paid`.
    fn absence(&mut self, i: usize, t: &TeamSpec) -> Option<Absence> {
        let rate = match &t.absence_rate {
            Some(v) => self.p.number_where(
                v,
                &format!("team[{i}].absence_rate"),
                |x| (0.0..1.0).contains(&x),
                "a share from 0 to below 1",
            ),
            None => Some(0.0),
        };
        let paid = match &t.absence_paid {
            Some(v) => self.number_in(v, &format!("team[{i}].absence_paid"), 0.0, 1.0, "a share from 0 to 1"),
            None => Some(1.0),
        };
        Some(Absence { rate: rate?, paid: paid? })
    }
}
