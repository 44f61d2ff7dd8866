//! Verdicts for CI (`wfmsim check`): every target of a run judged on the
//! horizon and on each roll-up period ([`crate::results::judge`]), and the
//! run compared with a baseline report, as typed data that
//! `report::check` renders.
//!
//! A target is **met** when the mean over replications meets it and, with
//! a confidence P, when at least P of the replications meet it too; a KPI
//! undefined in every replication (nothing offered) does not miss, as in
//! the run report. A deferred queue's pending periods (every arrival's
//! deadline past the horizon's end) are not judged: they are listed.
//!
//! A KPI is **worse** than its baseline when it moved away from its better
//! side ([`Kpi::better`]); it **regressed** when it is worse by more than
//! the tolerance ([`Tolerance`]) and the difference is significant at 95%
//! (Welch's t from both reports' means and 95% intervals), so noise alone
//! never fails a build.
//!
//! With `--staff`, a scenario also fails when its staffing search finds no
//! level up to the cap of agents in some interval ([`StaffingCheck`]): the
//! requirement's totals would leave it out and be too low.

use serde::Serialize;

use crate::diagnostic::shown;
use crate::kpi::{format_value, Bound, Kpi, Unit};
use crate::model::MAX_REPLICATIONS;
use crate::results::judge::{judge, Judged};
use crate::results::{Period, Provenance, Results};
use crate::staffing::Staffing;
use crate::stats::{welch_p_value, Estimate, Summary};

/// Significance level of the baseline comparison (two-sided).
pub const SIGNIFICANCE: f64 = 0.05;

/// A period as a verdict names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodName {
    /// `horizon`, or the period's label (a day, `2026-W48`, …).
    pub label: String,
    /// Start, RFC 3339 in the reporting zone.
    pub start: String,
    /// End (exclusive).
    pub end: String,
}

impl PeriodName {
    fn of(p: &Period) -> Self {
        let label = p.span.label.clone().unwrap_or_else(|| "horizon".to_string());
        PeriodName { label, start: p.span.start.clone(), end: p.span.end.clone() }
    }
}

/// One target of one queue judged over one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetCheck {
    /// The queue.
    pub queue: String,
    /// The period.
    pub period: PeriodName,
    /// The judgement.
    #[serde(flatten)]
    pub judged: Judged,
}

/// A deferred queue's period left unjudged: its service level is pending.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pending {
    /// The queue.
    pub queue: String,
    /// The period.
    pub period: PeriodName,
}

/// One scenario's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioVerdict {
    /// The scenario's name.
    pub scenario: String,
    /// The file it was read from.
    pub file: String,
    /// Where its figures come from.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// Whether every target holds and nothing regressed.
    pub passed: bool,
    /// Every target of every queue over the horizon and each period, in
    /// queue, target, period order.
    pub targets: Vec<TargetCheck>,
    /// Periods not judged.
    pub pending: Vec<Pending>,
    /// The comparison with a baseline, when one was given.
    pub baseline: Option<Comparison>,
    /// The staffing check, with `--staff`.
    pub staffing: Option<StaffingCheck>,
}

impl ScenarioVerdict {
    /// The checks of `results` (read from `file`): every target of every
    /// queue on the horizon and each period, pending periods left out.
    pub fn of(results: &Results, file: &str, confidence: Option<f64>) -> Self {
        let mut targets = Vec::new();
        let mut pending = Vec::new();
        for q in &results.queues {
            let spans = std::iter::once(&q.horizon).chain(&q.periods);
            let (open, decided): (Vec<&Period>, Vec<&Period>) = spans.partition(|p| p.span.pending);
            pending.extend(open.iter().map(|p| Pending { queue: q.name.clone(), period: PeriodName::of(p) }));
            let judged = decided.iter().flat_map(|p| {
                judge(p, confidence).map(|judged| TargetCheck {
                    queue: q.name.clone(),
                    period: PeriodName::of(p),
                    judged,
                })
            });
            let mut by_target: Vec<TargetCheck> = judged.collect();
            by_target.sort_by_key(|c| c.judged.target.kpi);
            targets.extend(by_target);
        }
        let mut verdict = ScenarioVerdict {
            scenario: results.meta.scenario.clone(),
            file: file.to_string(),
            provenance: results.meta.provenance.clone(),
            passed: true,
            targets,
            pending,
            baseline: None,
            staffing: None,
        };
        let passed = verdict.misses().next().is_none();
        verdict.passed = passed;
        verdict
    }

    /// Adds the comparison with a baseline.
    pub fn with_baseline(mut self, comparison: Comparison) -> Self {
        self.passed &= comparison.regressions().next().is_none();
        self.baseline = Some(comparison);
        self
    }

    /// Adds the staffing check: the scenario fails when an interval hit
    /// the cap of agents.
    pub fn with_staffing(mut self, staffing: StaffingCheck) -> Self {
        self.passed &= staffing.capped.is_empty();
        self.staffing = Some(staffing);
        self
    }

    /// The targets missed.
    pub fn misses(&self) -> impl Iterator<Item = &TargetCheck> {
        self.targets.iter().filter(|c| !c.judged.met)
    }
}

/// Where the staffing search found no level up to the cap of agents
/// meeting the targets: an interval of a live queue, a day of deferred
/// work. The requirement's totals leave it out, so they are too low.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capped {
    /// The queue.
    pub queue: String,
    /// Start of the interval (live work) or the day (deferred work), RFC
    /// 3339.
    pub start: String,
    /// The targets still missed at the cap, in words.
    pub reason: String,
}

/// `check --staff`: the scenario staffed as `wfmsim staff` does it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffingCheck {
    /// Intervals (or deferred days) that hit the cap of agents.
    pub capped: Vec<Capped>,
}

impl StaffingCheck {
    /// Every interval of a live queue and day of a deferred queue of
    /// `plan` that hit the cap.
    pub fn of(plan: &Staffing) -> Self {
        let mut capped = Vec::new();
        for q in &plan.queues {
            let spans: Vec<(&str, bool, &Option<String>)> = match q.deferred_days.is_empty() {
                true => q.intervals.iter().map(|i| (i.start.as_str(), i.feasible, &i.reason)).collect(),
                false => q.deferred_days.iter().map(|d| (d.start.as_str(), d.feasible, &d.reason)).collect(),
            };
            capped.extend(spans.into_iter().filter(|(_, feasible, _)| !feasible).map(|(start, _, reason)| Capped {
                queue: q.name.clone(),
                start: start.to_string(),
                reason: reason.clone().unwrap_or_default(),
            }));
        }
        StaffingCheck { capped }
    }
}

/// Every scenario's verdict and how they were judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Whether every scenario passed.
    pub passed: bool,
    /// The share of replications each target must be met in, besides on
    /// the mean.
    pub confidence: Option<f64>,
    /// How much worse than its baseline a KPI may get.
    pub tolerance: Tolerance,
    /// One entry per scenario, in the order given.
    pub scenarios: Vec<ScenarioVerdict>,
}

impl Verdict {
    /// The verdict of `scenarios`.
    pub fn of(scenarios: Vec<ScenarioVerdict>, confidence: Option<f64>, tolerance: Tolerance) -> Self {
        Verdict { passed: scenarios.iter().all(|s| s.passed), confidence, tolerance, scenarios }
    }
}

/// How much worse than its baseline a KPI may get before it fails: shares
/// (service level, abandonment, occupancy) by percentage points, every
/// other KPI (times, backlogs) by a share of the baseline's mean; a KPI
/// given its own absolute tolerance by that instead; with `targets_only`,
/// only the KPIs a queue has a target on are compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tolerance {
    /// Shares: an absolute change (0.02 = 2 percentage points).
    pub share_points: f64,
    /// Other KPIs: a change relative to the baseline (0.10 = 10%).
    pub relative: f64,
    /// Per KPI, an absolute change in its reported unit (a share, seconds,
    /// hours or a count) that replaces the two above for that KPI.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub absolute: Vec<(Kpi, f64)>,
    /// Compare only the KPIs each queue has a target on.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub targets_only: bool,
}

impl Default for Tolerance {
    /// 2 percentage points for shares, 10% for the rest, every KPI with a
    /// better side compared.
    fn default() -> Self {
        Tolerance { share_points: 0.02, relative: 0.10, absolute: Vec::new(), targets_only: false }
    }
}

impl Tolerance {
    /// The worsening of `kpi` allowed from a baseline mean of `baseline`
    /// (reported unit).
    pub fn allowed(&self, kpi: Kpi, baseline: f64) -> f64 {
        if let Some(&(_, x)) = self.absolute.iter().find(|(k, _)| *k == kpi) {
            return x;
        }
        match kpi.unit() {
            Unit::Share => self.share_points,
            _ => self.relative * baseline.abs(),
        }
    }

    /// `kpi`'s own absolute tolerance (reported unit), replacing any given
    /// before.
    pub fn with_absolute(mut self, kpi: Kpi, amount: f64) -> Self {
        self.absolute.retain(|(k, _)| *k != kpi);
        self.absolute.push((kpi, amount));
        self
    }
}

/// A previous `run --format json` report, as far as a comparison reads it:
/// each queue's horizon KPIs.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// The scenario's name.
    pub scenario: String,
    /// Replications behind its figures.
    pub replications: u32,
    /// Each queue's name and horizon KPIs (reported units).
    pub queues: Vec<(String, Vec<(Kpi, Summary)>)>,
}

/// A baseline that cannot be compared with the run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BaselineError {
    /// The file is not a `run --format json` report.
    #[error("not a `wfmsim run --format json` report: {0}")]
    NotAReport(String),
    /// The report's layout is another version's.
    #[error(
        "a report of schema_version {baseline}, this wfmsim writes {current}; write it again with --update-baseline"
    )]
    SchemaVersion {
        /// The baseline's `schema_version`.
        baseline: u64,
        /// What this wfmsim writes.
        current: u32,
    },
    /// The report is of another scenario.
    #[error("a report of scenario \"{baseline}\", not of \"{current}\"")]
    Scenario {
        /// The baseline's scenario name.
        baseline: String,
        /// The scenario checked.
        current: String,
    },
    /// A figure of the report is not what a report of its kind can hold
    /// (a tampered or damaged file).
    #[error("{path}: {found}; allowed: {allowed}")]
    Figure {
        /// Where in the report, as a JSON path (`queues[0].horizon.asa`).
        path: String,
        /// What it holds.
        found: String,
        /// What it may hold.
        allowed: String,
    },
}

crate::fault::blame!(Input: BaselineError);

/// One queue's KPI compared with its baseline on the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiChange {
    /// The queue.
    pub queue: String,
    /// The KPI.
    pub kpi: Kpi,
    /// The baseline's mean (reported unit).
    pub baseline: f64,
    /// This run's mean.
    pub current: f64,
    /// How much worse this run is (negative: better), in the KPI's unit.
    pub worse_by: f64,
    /// How much worse it may be ([`Tolerance::allowed`]).
    pub allowed: f64,
    /// Welch's two-sided p-value of the difference; `None` when either
    /// report has fewer than two replications (then it cannot regress).
    pub p_value: Option<f64>,
    /// Worse by more than allowed and significant.
    pub regressed: bool,
}

impl KpiChange {
    /// The change in words: `abandon rate 3.0% -> 5.6% (worse by 2.6 pp,
    /// tolerance 2.0 pp, p = 0.000)`.
    pub fn describe(&self) -> String {
        let (by, allowed) = match self.kpi.unit() {
            Unit::Share => (format!("{:.1} pp", self.worse_by * 100.0), format!("{:.1} pp", self.allowed * 100.0)),
            _ => (format_value(self.kpi, self.worse_by), format_value(self.kpi, self.allowed)),
        };
        let p = self.p_value.map_or_else(|| "not tested".to_string(), |p| format!("p = {p:.3}"));
        let how = if self.worse_by > 0.0 { "worse" } else { "not worse" };
        format!(
            "{} {} -> {} ({how} by {by}, tolerance {allowed}, {p})",
            self.kpi.label(),
            format_value(self.kpi, self.baseline),
            format_value(self.kpi, self.current)
        )
    }
}

/// A queue or KPI only one side has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotCompared {
    /// The queue.
    pub queue: String,
    /// Why.
    pub reason: String,
}

/// The run compared with its baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The baseline file.
    pub file: String,
    /// Every queue × KPI with a better side that both reports carry.
    pub changes: Vec<KpiChange>,
    /// What could not be compared.
    pub not_compared: Vec<NotCompared>,
}

impl Comparison {
    /// The KPIs that regressed.
    pub fn regressions(&self) -> impl Iterator<Item = &KpiChange> {
        self.changes.iter().filter(|c| c.regressed)
    }
}

/// Reads a `run --format json` report of `schema_version` (what this
/// wfmsim writes: [`crate::report::run::json::SCHEMA_VERSION`]) as a
/// baseline: its scenario, replications and each queue's horizon KPIs. A
/// report of another version is refused, naming both.
///
/// Every figure it carries is checked against what it claims, so that a
/// tampered or damaged file is refused, naming the JSON path, rather than
/// compared: replications from 1 to [`MAX_REPLICATIONS`] (100,000,000 once
/// sent the t quantile into a loop); each KPI a summary within its unit's
/// range, its 95% interval (none from one replication) holding its mean,
/// P10 at most P90.
pub fn read_baseline(text: &str, schema_version: u32) -> Result<Baseline, BaselineError> {
    #[derive(serde::Deserialize)]
    struct Report {
        scenario: String,
        replications: u64,
        queues: Vec<QueueReport>,
    }
    #[derive(serde::Deserialize)]
    struct QueueReport {
        name: String,
        horizon: serde_json::Map<String, serde_json::Value>,
    }
    let not_a_report = |e: serde_json::Error| BaselineError::NotAReport(e.to_string());
    let value: serde_json::Value = serde_json::from_str(text).map_err(not_a_report)?;
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v != u64::from(schema_version) => {
            return Err(BaselineError::SchemaVersion { baseline: v, current: schema_version })
        }
        _ => {}
    }
    let report: Report = serde_json::from_value(value).map_err(not_a_report)?;
    let replications = match u32::try_from(report.replications) {
        Ok(n) if (1..=MAX_REPLICATIONS).contains(&n) => n,
        _ => {
            return Err(BaselineError::Figure {
                path: "replications".into(),
                found: format!("{} replications", report.replications),
                allowed: format!("a whole number from 1 to {MAX_REPLICATIONS}"),
            })
        }
    };
    let mut queues = Vec::with_capacity(report.queues.len());
    for (i, q) in report.queues.into_iter().enumerate() {
        let mut kpis = Vec::new();
        for (key, v) in &q.horizon {
            let Some(kpi) = Kpi::from_key(key) else { continue };
            if v.is_null() {
                continue;
            }
            let path = format!("queues[{i}].horizon.{key}");
            let summary: Summary = serde_json::from_value(v.clone()).map_err(|e| BaselineError::Figure {
                path: path.clone(),
                found: format!("not a summary ({e})"),
                allowed: "null or { mean, ci95, p10, p90 }".into(),
            })?;
            check_summary(kpi, &summary, replications).map_err(|(found, allowed)| BaselineError::Figure {
                path,
                found,
                allowed,
            })?;
            kpis.push((kpi, summary));
        }
        queues.push((q.name, kpis));
    }
    Ok(Baseline { scenario: report.scenario, replications, queues })
}

/// Whether `s` can be a report's summary of `kpi` over `replications`:
/// `Err((found, allowed))` naming the first figure that cannot.
fn check_summary(kpi: Kpi, s: &Summary, replications: u32) -> Result<(), (String, String)> {
    let (lo, hi) = kpi.unit().range();
    // Means come from exact sums divided once: an ulp past a bound is theirs.
    let slack = |x: f64| 1e-9 * x.abs().max(1.0);
    let range = || match hi.is_finite() {
        true => format!("from {} to {}", shown(lo), shown(hi)),
        false => format!("at least {}", shown(lo)),
    };
    let within = |x: f64| x >= lo - slack(x) && x <= hi + slack(x);
    for (name, x) in [("mean", s.mean), ("p10", s.p10), ("p90", s.p90)] {
        if !within(x) {
            return Err((format!("{name} {}", shown(x)), format!("a {} {}", kpi.label(), range())));
        }
    }
    if s.p10 > s.p90 + slack(s.p90) {
        return Err((format!("p10 {} above p90 {}", shown(s.p10), shown(s.p90)), "p10 at most p90".into()));
    }
    let Some([a, b]) = s.ci95 else { return Ok(()) };
    if replications < 2 {
        return Err(("a 95% interval from 1 replication".into(), "none (null) below 2 replications".into()));
    }
    if !(within(a) && within(b)) || a > s.mean + slack(s.mean) || b < s.mean - slack(s.mean) {
        return Err((
            format!("ci95 [{}, {}] around mean {}", shown(a), shown(b), shown(s.mean)),
            format!("an interval holding its mean, {}", range()),
        ));
    }
    Ok(())
}

/// Refuses a baseline of a scenario other than `scenario` (by name).
pub fn same_scenario(baseline: &Baseline, scenario: &str) -> Result<(), BaselineError> {
    if baseline.scenario == scenario {
        Ok(())
    } else {
        Err(BaselineError::Scenario { baseline: baseline.scenario.clone(), current: scenario.to_string() })
    }
}

/// `results` compared with `baseline` (read from `file`) on each queue's
/// horizon: every KPI with a better side. A baseline of another scenario
/// is refused.
pub fn compare_with_baseline(
    baseline: &Baseline,
    file: &str,
    results: &Results,
    tolerance: &Tolerance,
) -> Result<Comparison, BaselineError> {
    same_scenario(baseline, &results.meta.scenario)?;
    let mut changes = Vec::new();
    let mut not_compared = Vec::new();
    for q in &results.queues {
        let Some((_, before)) = baseline.queues.iter().find(|(name, _)| *name == q.name) else {
            not_compared.push(NotCompared { queue: q.name.clone(), reason: "not in the baseline".into() });
            continue;
        };
        let targeted = |kpi: Kpi| !tolerance.targets_only || q.horizon.targets.iter().any(|(t, _)| t.kpi == kpi);
        for (kpi, now) in q.horizon.kpis.iter().filter(|(k, _)| k.better().is_some() && targeted(*k)) {
            let then = before.iter().find(|(k, _)| *k == kpi).map(|(_, s)| s);
            if let (Some(then), Some(now)) = (then, now) {
                let runs = (baseline.replications, results.meta.provenance.replications);
                changes.push(change(&q.name, kpi, (then, now), runs, tolerance));
            }
        }
    }
    for (name, _) in &baseline.queues {
        if !results.queues.iter().any(|q| q.name == *name) {
            not_compared.push(NotCompared { queue: name.clone(), reason: "no longer in the scenario".into() });
        }
    }
    Ok(Comparison { file: file.to_string(), changes, not_compared })
}

/// One KPI's change from `then` to `now` (summaries of `runs`
/// replications each).
fn change(queue: &str, kpi: Kpi, (then, now): (&Summary, Summary), runs: (u32, u32), tol: &Tolerance) -> KpiChange {
    let sign = if kpi.better() == Some(Bound::AtLeast) { -1.0 } else { 1.0 };
    let worse_by = sign * (now.mean - then.mean);
    let allowed = tol.allowed(kpi, then.mean);
    let p_value = Estimate::from_summary(then, runs.0)
        .zip(Estimate::from_summary(&now, runs.1))
        .map(|(a, b)| welch_p_value(a, b));
    let regressed = worse_by > allowed && p_value.is_some_and(|p| p < SIGNIFICANCE);
    KpiChange {
        queue: queue.to_string(),
        kpi,
        baseline: then.mean,
        current: now.mean,
        worse_by,
        allowed,
        p_value,
        regressed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(mean: f64, half: f64) -> Summary {
        Summary { mean, ci95: Some([mean - half, mean + half]), p10: mean, p90: mean }
    }

    #[test]
    fn a_share_regresses_only_past_the_points_and_beyond_noise() {
        let tol = Tolerance::default();
        let sl = |now: f64, half: f64| {
            change("q", Kpi::ServiceLevel, (&summary(0.90, half), summary(now, half)), (100, 100), &tol)
        };
        assert!(sl(0.85, 0.005).regressed, "5 points worse, tight intervals");
        assert!(!sl(0.89, 0.001).regressed, "1 point is within the tolerance");
        assert!(!sl(0.85, 0.2).regressed, "5 points within the noise");
        assert!(!sl(0.95, 0.001).regressed, "better is never a regression");
        assert!((sl(0.85, 0.005).worse_by - 0.05).abs() < 1e-12);
    }

    #[test]
    fn a_time_regresses_by_a_share_of_its_baseline() {
        let tol = Tolerance::default();
        let asa = |now: f64| change("q", Kpi::Asa, (&summary(20.0, 0.5), summary(now, 0.5)), (100, 100), &tol);
        assert!(!asa(21.9).regressed);
        assert!(asa(22.5).regressed);
        assert_eq!(asa(22.5).allowed, 2.0);
    }

    #[test]
    fn one_replication_cannot_regress() {
        let one = Summary { ci95: None, ..summary(0.5, 0.0) };
        let c = change("q", Kpi::AbandonRate, (&summary(0.01, 0.001), one), (100, 1), &Tolerance::default());
        assert!(c.p_value.is_none() && !c.regressed);
    }
}
