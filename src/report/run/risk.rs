//! The risk section of `run`'s reports (table, Markdown, HTML): the periods
//! most likely to miss a target, with the share of replications meeting it
//! and its 95% Wilson interval; and the cells every format shares for
//! absence and the spread of cost.

use crate::kpi::percent;
use crate::kpi::{format_value, Bound};
use crate::results::{Results, TeamPeriod, RISKS_LISTED, RISK_BELOW};

/// The section's title.
pub(crate) fn title(results: &Results) -> String {
    format!(
        "Risk (the {}s most likely to miss a target: share of replications meeting it (P(meet)), 95% Wilson interval; below {}, worst {RISKS_LISTED})",
        results.meta.period.name(),
        percent(RISK_BELOW)
    )
}

/// Whether the section has anything to say: some queue has targets and
/// periods.
pub(crate) fn applies(results: &Results) -> bool {
    results.queues.iter().any(|q| !q.periods.is_empty() && q.horizon.targets.iter().next().is_some())
}

/// The section's header.
pub(crate) const HEADER: [&str; 5] = ["queue", "period", "target", "P(meet)", "95% CI"];

/// One row per risk listed.
pub(crate) fn rows(results: &Results) -> Vec<Vec<String>> {
    results
        .risk
        .iter()
        .map(|r| {
            let t = r.judged;
            let op = if t.bound == Bound::AtLeast { ">=" } else { "<=" };
            vec![
                r.queue.clone(),
                r.label.clone(),
                format!("{} {op} {}", t.kpi.label(), format_value(t.kpi, t.value)),
                percent(r.met_share),
                interval(r.met_ci95),
            ]
        })
        .collect()
}

/// What the section says when nothing is at risk.
pub(crate) fn none_line(results: &Results) -> String {
    format!("every {} met every target in at least {} of replications", results.meta.period.name(), percent(RISK_BELOW))
}

/// A share's 95% Wilson interval, `[lo, hi]`.
pub(crate) fn interval([lo, hi]: [f64; 2]) -> String {
    format!("[{}, {}]", percent(lo), percent(hi))
}

/// Whether any team reports absence (then the team tables show it).
pub(crate) fn any_absence(results: &Results) -> bool {
    results.teams.iter().any(|t| t.horizon.absent_hours.is_some())
}

/// Whether any team's cost varies across replications.
pub(crate) fn any_cost_spread(results: &Results) -> bool {
    results.teams.iter().any(|t| t.horizon.cost_percentiles.is_some())
}

/// A team period's mean absent hours, or "-".
pub(crate) fn absent_cell(p: &TeamPeriod) -> String {
    p.absent_hours.map_or_else(|| "-".to_string(), |s| format!("{:.1}", s.mean))
}

/// A team period's cost P10 / P50 / P90, or "-".
pub(crate) fn cost_spread_cell(p: &TeamPeriod) -> String {
    p.cost_percentiles.map_or_else(|| "-".to_string(), |c| format!("{:.0} / {:.0} / {:.0}", c.p10, c.p50, c.p90))
}
