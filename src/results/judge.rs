//! Whether a target is **met** over a period: on the mean over
//! replications and, with a confidence P, in at least P of the
//! replications too; a KPI undefined in every replication (nothing
//! offered) does not miss. `check`, `sweep` and the staffing by team all
//! judge with this one rule.

use serde::Serialize;

use super::Period;
use crate::kpi::{format_value, Bound, Target};

/// One target judged over one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged {
    /// The target.
    pub target: Target,
    /// The mean over replications (reported unit); `None` where the KPI is
    /// undefined in every replication.
    pub value: Option<f64>,
    /// Share of replications meeting the target.
    pub met_share: f64,
    /// Whether the mean meets it (an undefined KPI does not miss).
    pub met_on_mean: bool,
    /// The share of replications required to meet it, besides the mean.
    pub confidence: Option<f64>,
    /// Whether at least that share meets it; `None` without a confidence.
    pub met_at_confidence: Option<bool>,
    /// Met on the mean and, if asked, at the confidence.
    pub met: bool,
}

impl Judged {
    /// What is judged, in words: `service level 72.1% < 80.0% (met in 3% of
    /// replications, 90% required)`.
    pub fn describe(&self) -> String {
        let t = &self.target;
        let op = match (t.bound, self.met_on_mean) {
            (Bound::AtLeast, true) => ">=",
            (Bound::AtLeast, false) => "<",
            (Bound::AtMost, true) => "<=",
            (Bound::AtMost, false) => ">",
        };
        let value = self.value.map_or_else(|| "undefined".to_string(), |v| format_value(t.kpi, v));
        let required = self.confidence.map_or_else(String::new, |c| format!(", {:.0}% required", c * 100.0));
        format!(
            "{} {value} {op} {} (met in {:.0}% of replications{required})",
            t.kpi.label(),
            format_value(t.kpi, t.kpi.reported(t.value)),
            self.met_share * 100.0
        )
    }
}

/// Every target of period `p`, judged on the mean and, with `confidence`,
/// in at least that share of the replications.
pub fn judge(p: &Period, confidence: Option<f64>) -> impl Iterator<Item = Judged> + '_ {
    p.targets.iter().map(move |(target, met_share)| {
        let value = p.kpis.get(target.kpi).map(|s| s.mean);
        // Targets are on shares, seconds and counts: reported as measured.
        let met_on_mean = value.is_none_or(|v| target.met_by(v));
        let met_at_confidence = confidence.map(|c| met_share >= c);
        let met = met_on_mean && met_at_confidence != Some(false);
        Judged { target, value, met_share, met_on_mean, confidence, met_at_confidence, met }
    })
}

/// One target of one queue against a simulation: where the whole horizon
/// stands and how many of its periods meet it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// The queue's index.
    #[serde(skip)]
    pub queue: usize,
    /// The target.
    pub target: Target,
    /// The horizon's mean over replications (reported unit); `None` where
    /// nothing was offered.
    pub horizon: Option<f64>,
    /// How far the horizon lies on the meeting side of the target
    /// (reported unit; negative: on the missing side).
    pub margin: Option<f64>,
    /// Periods judged: each interval of live work, each day of deferred
    /// work, where the KPI is defined and the period is not pending.
    pub periods: usize,
    /// Of those, the periods that meet it.
    pub met: usize,
    /// The worst period's value (reported unit).
    pub worst: Option<f64>,
}

/// Every target of every queue of `results` against the simulation, each
/// period judged as [`judge`] judges it: live queues per interval
/// (`intervals`), deferred work per day (`periods`), as the staffing by
/// team and the roster's repair rounds judge them.
pub fn standings(results: &super::Results, confidence: Option<f64>) -> Vec<Standing> {
    let mut out = Vec::new();
    for (q, queue) in results.queues.iter().enumerate() {
        let periods = queue.judged_periods();
        for horizon in judge(&queue.horizon, confidence) {
            let t = horizon.target;
            let (mut judged, mut met, mut worst) = (0, 0, None::<f64>);
            for p in periods.iter().filter(|p| !p.span.pending) {
                let Some(j) = judge(p, confidence).find(|j| j.target.kpi == t.kpi) else { continue };
                let Some(v) = j.value else { continue };
                judged += 1;
                met += usize::from(j.met);
                // The worse of the two: `v` unless it meets a target of `w`.
                let meets = |w: f64| Target { value: w, ..t }.met_by(v);
                worst = Some(worst.map_or(v, |w| if meets(w) { w } else { v }));
            }
            let reported = |v: f64| t.kpi.reported(v);
            let margin = horizon.value.map(|v| t.bound.margin(reported(v), reported(t.value)));
            out.push(Standing {
                queue: q,
                target: t,
                horizon: horizon.value.map(reported),
                margin,
                periods: judged,
                met,
                worst: worst.map(reported),
            });
        }
    }
    out
}
