//! Validation and compilation of what makes the Monte Carlo spread real:
//! forecast error (`[uncertainty]` and each queue's `uncertainty`) and
//! unplanned absence (each team's `absence_rate`, `absence_paid`).

use toml::Spanned;

use super::Compiler;
use crate::input::written::{QueueUncertaintySpec, Scenario, TeamSpec, UncertaintySpec};
use crate::model::{Absence, Model, Variation, MAX_FACTOR_CV, MIN_CORRELATION, MIN_FACTOR_CV};

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

/// What a forecast factor's CV may be: 0, or where its gamma draws stay
/// exact.
fn cv_allowed() -> String {
    format!("0 (none), or a coefficient of variation from {MIN_FACTOR_CV} to {MAX_FACTOR_CV}")
}

/// Whether `x` is an allowed CV (see [`MIN_FACTOR_CV`]).
fn cv_ok(x: f64) -> bool {
    x == 0.0 || (MIN_FACTOR_CV..=MAX_FACTOR_CV).contains(&x)
}

impl Compiler<'_> {
    /// Every queue's variation and every team's absence, all checked.
    pub(super) fn risk(&mut self, s: &Scenario) -> Option<Risk> {
        let default = UncertaintySpec::default();
        let u = s.uncertainty.as_ref().unwrap_or(&default);
        let mut cv = |v: &Option<Spanned<f64>>, key: &str| match v {
            Some(v) => self.p.number_where(v, &format!("uncertainty.{key}"), cv_ok, &cv_allowed()),
            None => Some(0.0),
        };
        let base = (cv(&u.volume_cv, "volume_cv"), cv(&u.intraday_cv, "intraday_cv"), cv(&u.aht_cv, "aht_cv"));
        let correlation = match &u.correlation {
            Some(v) => self.p.number_where(
                v,
                "uncertainty.correlation",
                |x| x == 0.0 || (MIN_CORRELATION..=1.0).contains(&x),
                &format!(
                    "0 (none), or from {MIN_CORRELATION} to 1 (a shared factor cannot make queues' volumes move apart)"
                ),
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
        let mut one = |v: &Option<Spanned<f64>>, key: &str, base: f64| match v {
            Some(v) => self.p.number_where(v, &format!("queue[{i}].uncertainty.{key}"), cv_ok, &cv_allowed()),
            None => Some(base),
        };
        let s = spec.get_ref();
        let volume_cv = one(&s.volume_cv, "volume_cv", base.volume_cv);
        let intraday_cv = one(&s.intraday_cv, "intraday_cv", base.intraday_cv);
        let aht_cv = one(&s.aht_cv, "aht_cv", base.aht_cv);
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
