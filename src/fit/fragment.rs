//! The fitted distributions as the scenario writes them: one `[[queue]]`
//! block per queue with `handle_time` and `patience`, ready to paste into
//! a scenario (its arrivals, targets and channel are the scenario's own).
//! Each value says in a comment where it came from.

use serde::Serialize;

use super::intervals::IntervalPatience;
use super::patience::Verdict;
use super::{Fit, QueueFit};
use crate::dist::{MAX_CV, MAX_MEAN_S, MIN_CV};
use crate::input::written::DurationSpec;

/// `spec` as the scenario writes it inline, rounded (0.1 s, 3 decimals
/// of CV) and held within what a scenario accepts.
pub fn inline_toml(spec: &DurationSpec) -> String {
    let mean = |m: f64| format!("{:.1}", m.clamp(0.1, MAX_MEAN_S));
    let cv = |c: f64| format!("{:.3}", c.clamp(MIN_CV, MAX_CV));
    match *spec {
        DurationSpec::Exponential { mean_s } => {
            format!("{{ distribution = \"exponential\", mean_s = {} }}", mean(mean_s))
        }
        DurationSpec::Lognormal { mean_s, cv: c } => {
            format!("{{ distribution = \"lognormal\", mean_s = {}, cv = {} }}", mean(mean_s), cv(c))
        }
        DurationSpec::Gamma { mean_s, cv: c } => {
            format!("{{ distribution = \"gamma\", mean_s = {}, cv = {} }}", mean(mean_s), cv(c))
        }
        DurationSpec::Constant { value_s } => format!("{{ distribution = \"constant\", value_s = {} }}", mean(value_s)),
    }
}

/// `spec` in JSON: `{"distribution": ..., "mean_s": ..., "cv": ...}`.
fn json<S: serde::Serializer>(spec: &Option<DurationSpec>, s: S) -> Result<S::Ok, S::Error> {
    let value = spec.as_ref().map(|d| {
        let v: toml::Value = toml::from_str(&format!("d = {}", inline_toml(d))).expect("written above");
        v["d"].clone()
    });
    value.serialize(s)
}

/// A queue's distributions, each with where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Distributions {
    /// Handle time.
    #[serde(serialize_with = "json")]
    pub handle_time: Option<DurationSpec>,
    /// Where it came from.
    pub handle_time_source: String,
    /// Patience.
    #[serde(serialize_with = "json")]
    pub patience: Option<DurationSpec>,
    /// Where it came from.
    pub patience_source: String,
}

/// The distributions fitted for `q`: from records where they allow, else
/// from the interval history (handle time then exponential by its AHT).
pub fn distributions(q: &QueueFit) -> Distributions {
    let (handle_time, handle_time_source) = match (&q.handle, q.intervals.as_ref().and_then(|i| i.aht_s)) {
        (Some(h), _) => {
            let (m, c) = (h.mean_s, h.cv);
            let spec = match h.chosen {
                super::handle::Family::Exponential => DurationSpec::Exponential { mean_s: m.value },
                super::handle::Family::Lognormal => DurationSpec::Lognormal { mean_s: m.value, cv: c.value },
                super::handle::Family::Gamma => DurationSpec::Gamma { mean_s: m.value, cv: c.value },
            };
            let ks = h.families.iter().find(|f| f.family == h.chosen).map_or(f64::NAN, |f| f.ks);
            (
                Some(spec),
                format!(
                    "{} by AIC from {} records (KS {:.3}); mean {:.1} s [{:.1}, {:.1}], CV {:.3} [{:.3}, {:.3}]",
                    h.chosen.name(),
                    h.n,
                    ks,
                    m.value,
                    m.low,
                    m.high,
                    c.value,
                    c.low,
                    c.high
                ),
            )
        }
        (None, Some(aht)) => (
            Some(DurationSpec::Exponential { mean_s: aht }),
            "AHT from the interval history; its family is unknown without records: exponential assumed".into(),
        ),
        (None, None) => (None, "not estimated (no handle times)".into()),
    };
    let from_intervals = q.intervals.as_ref().and_then(|i| i.patience.as_ref());
    let (patience, patience_source) = match (&q.patience, from_intervals) {
        (Some(p), _) => {
            let verdict = match p.verdict {
                Verdict::Fits => "the exponential fits".to_string(),
                Verdict::CloseEnough => format!("rejected at 1% but Kaplan–Meier within {:.3} of it", p.km_distance),
                Verdict::DoesNotFit => format!(
                    "the exponential does NOT fit (Kaplan–Meier up to {:.3} off; Weibull shape {:.2})",
                    p.km_distance, p.weibull_shape
                ),
            };
            (
                Some(DurationSpec::Exponential { mean_s: p.mean_s.value }),
                format!(
                    "exponential MLE from {} abandoned and {} answered (censored) waits; 95% [{:.1}, {:.1}] s; {verdict}",
                    p.abandoned, p.censored, p.mean_s.low, p.mean_s.high
                ),
            )
        }
        (None, Some(IntervalPatience::Mean(ci))) => (
            Some(DurationSpec::Exponential { mean_s: ci.value }),
            format!(
                "exponential from the interval history (total wait / abandoned); 95% [{:.1}, {:.1}] s",
                ci.low, ci.high
            ),
        ),
        (None, Some(IntervalPatience::AtLeast(s))) => {
            (None, format!("not estimated: at least {s:.1} s (the abandoned contacts' waits are unknown)"))
        }
        (None, None) => (None, "not estimated (no abandoned contacts with waits)".into()),
    };
    Distributions { handle_time, handle_time_source, patience, patience_source }
}

/// `[[queue]]` blocks of every queue of `fit`, as TOML.
pub fn render(fit: &Fit) -> String {
    let mut out = String::from(
        "# Fitted by wfmsim fit: merge each block into the scenario's [[queue]] of that name\n\
         # (arrivals, channel and targets stay the scenario's own).\n",
    );
    for q in &fit.queues {
        let d = distributions(q);
        out += &format!("\n[[queue]]\nname = {}\n", toml_string(&q.name));
        out += &format!("# handle time: {}\n", d.handle_time_source);
        if let Some(s) = d.handle_time {
            out += &format!("handle_time = {}\n", inline_toml(&s));
        }
        out += &format!("# patience: {}\n", d.patience_source);
        if let Some(s) = d.patience {
            out += &format!("patience = {}\n", inline_toml(&s));
        }
    }
    out
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
