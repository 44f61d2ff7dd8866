//! The kept roster's simulated service against each target
//! ([`crate::results::judge::standings`]) in the views of `schedule`:
//! lines of the table, `service` in JSON, a table of the HTML page.

use std::fmt::Write as _;

use serde::Serialize;

use crate::kpi::{format_value, Bound, Kpi, Unit};
use crate::model::Model;
use crate::report::kit::html::{table, Cell};
use crate::report::kit::json::round4;
use crate::results::judge::Standing;

/// How far on the meeting side of its target a value lies, signed:
/// `+13.1 pp`, `-4.0 s`.
fn margin_words(kpi: Kpi, margin: f64) -> String {
    match kpi.unit() {
        Unit::Share => format!("{:+.1} pp", margin * 100.0),
        _ => format!("{}{}", if margin < 0.0 { "-" } else { "+" }, format_value(kpi, margin.abs())),
    }
}

/// `at least 80.0%`, `at most 20.0 s`.
fn target_words(s: &Standing) -> String {
    let side = match s.target.bound {
        Bound::AtLeast => "at least",
        Bound::AtMost => "at most",
    };
    format!("{side} {}", format_value(s.target.kpi, s.target.kpi.reported(s.target.value)))
}

/// What a period is for queue `q`: an interval of live work, a day of
/// deferred work.
fn period_word(model: &Model, q: usize) -> &'static str {
    if model.queues[q].channel.is_live() {
        "intervals"
    } else {
        "days"
    }
}

/// The lines of the table: one per queue and target.
pub fn table_lines(out: &mut String, model: &Model, standings: &[Standing]) {
    if standings.is_empty() {
        return;
    }
    out.push_str("Service against each target (the kept roster, simulated; margin: how far on the meeting side):\n");
    for s in standings {
        let kpi = s.target.kpi;
        let horizon = s.horizon.map_or_else(|| "nothing offered".to_string(), |v| format_value(kpi, v));
        let margin = s.margin.map_or_else(String::new, |m| format!(" ({})", margin_words(kpi, m)));
        let worst = s.worst.map_or_else(String::new, |w| format!(", the worst {}", format_value(kpi, w)));
        let _ = writeln!(
            out,
            "  {} {} {horizon} against {}{margin}; {} of {} {} meet it{worst}",
            model.queues[s.queue].name,
            kpi.label(),
            target_words(s),
            s.met,
            s.periods,
            period_word(model, s.queue),
        );
    }
}

/// One target in JSON (`service`), values in the KPI's reported unit.
#[derive(Serialize)]
pub(super) struct StandingJson<'a> {
    queue: &'a str,
    target: &'static str,
    bound: Bound,
    target_value: f64,
    horizon: Option<f64>,
    margin: Option<f64>,
    /// `intervals` (live work) or `days` (deferred work).
    judged_per: &'static str,
    periods: usize,
    periods_met: usize,
    worst: Option<f64>,
}

/// Every standing in JSON.
pub(super) fn json<'a>(model: &'a Model, standings: &[Standing]) -> Vec<StandingJson<'a>> {
    standings
        .iter()
        .map(|s| StandingJson {
            queue: &model.queues[s.queue].name,
            target: s.target.key,
            bound: s.target.bound,
            target_value: round4(s.target.kpi.reported(s.target.value)),
            horizon: s.horizon.map(round4),
            margin: s.margin.map(round4),
            judged_per: period_word(model, s.queue),
            periods: s.periods,
            periods_met: s.met,
            worst: s.worst.map(round4),
        })
        .collect()
}

/// The section of the HTML page.
pub fn html_section(out: &mut String, model: &Model, standings: &[Standing]) {
    if standings.is_empty() {
        return;
    }
    out.push_str("<section id=\"service\">\n<h2>Service against each target</h2>\n<p class=\"note\">The kept roster, simulated; margin: how far on the meeting side of the target.</p>\n");
    let rows = standings
        .iter()
        .map(|s| {
            let kpi = s.target.kpi;
            let value = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format_value(kpi, v));
            vec![
                Cell::new(model.queues[s.queue].name.as_str()),
                Cell::new(kpi.label()),
                Cell::new(target_words(s)),
                Cell::new(value(s.horizon)),
                Cell::verdict(
                    s.margin.map_or_else(|| "—".to_string(), |m| margin_words(kpi, m)),
                    s.margin.is_none_or(|m| m >= 0.0),
                ),
                Cell::verdict(
                    format!("{} of {} {}", s.met, s.periods, period_word(model, s.queue)),
                    s.met == s.periods,
                ),
                Cell::new(value(s.worst)),
            ]
        })
        .collect();
    table(out, &["queue", "KPI", "target", "horizon", "margin", "periods meeting it", "worst period"], rows);
    out.push_str("</section>\n");
}
