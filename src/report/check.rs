//! Renders a `check` verdict: a table for a terminal or a CI log, JSON,
//! Markdown for a CI job summary and JUnit XML for CI servers (one test
//! case per scenario × queue × target, one per queue × KPI compared with a
//! baseline, one per scenario for `--staff`).

use std::fmt::Write;

use crate::kpi::percent;
use crate::report::kit::markdown::{header, row};
// XML text and attributes escape as HTML and SVG do.
use crate::kpi::{format_value, Bound};
use crate::report::kit::svg::escape as xml;
use crate::verdict::{Capped, KpiChange, ScenarioVerdict, StaffingCheck, TargetCheck, Tolerance, Verdict};

/// Version of the verdict's JSON layout; bumped on any incompatible change.
pub const VERDICT_VERSION: u32 = 1;

/// How targets and baselines were judged, in one sentence.
fn rules(v: &Verdict) -> String {
    let share = v.confidence.map_or_else(String::new, |c| format!(" and in at least {} of replications", percent(c)));
    format!(
        "Targets judged on the mean{share}, on the horizon and each day; a baseline KPI fails when worse by more \
         than {} and significant at 95% (Welch's t).",
        tolerance_words(&v.tolerance)
    )
}

fn tolerance_words(t: &Tolerance) -> String {
    let mut words = format!("{:.1} pp (shares) or {} (others)", t.share_points * 100.0, percent(t.relative));
    for &(kpi, x) in &t.absolute {
        let amount = match kpi.unit() {
            crate::kpi::Unit::Share => format!("{:.1} pp", x * 100.0),
            _ => format_value(kpi, x),
        };
        words += &format!(", {amount} ({})", kpi.label());
    }
    if t.targets_only {
        words += ", only KPIs with a target compared";
    }
    words
}

fn pass_word(passed: bool) -> &'static str {
    if passed {
        "PASS"
    } else {
        "FAIL"
    }
}

/// Where a missed target lies: `Omnichannel week: queue chat-en, 2026-11-24`.
fn place(s: &ScenarioVerdict, c: &TargetCheck) -> String {
    format!("{}: queue {}, {}", s.scenario, c.queue, c.period.label)
}

/// What `check --staff` found, in words.
fn staffing_words(s: &StaffingCheck) -> String {
    match s.capped.len() {
        0 => "every interval staffed within the cap of agents".to_string(),
        n => format!(
            "{n} interval(s) or deferred day(s) found no level up to the cap of agents meeting the targets: \
             the requirement's totals leave them out and are too low"
        ),
    }
}

/// Where staffing hit the cap and why: `queue support-en, 2026-11-23 09:30: no level …`.
fn capped_place(c: &Capped) -> String {
    format!("queue {}, {}: {}", c.queue, &c.start[..16].replace('T', " "), c.reason)
}

/// The verdict as text: a line per scenario, a line per target missed, KPI
/// regressed and period not judged, then the verdict.
pub fn table(v: &Verdict) -> String {
    let mut out = format!("wfmsim check: {} scenario(s). {}\n", v.scenarios.len(), rules(v));
    for s in &v.scenarios {
        let missed = s.misses().count();
        let what_ifs = match crate::report::kit::text::what_ifs(&s.provenance.what_ifs) {
            w if w.is_empty() => w,
            w => format!(", {w}"),
        };
        writeln!(
            out,
            "{}  {} ({}): {} of {} target checks met; {} replications, seed {}{what_ifs}",
            pass_word(s.passed),
            s.scenario,
            s.file,
            s.targets.len() - missed,
            s.targets.len(),
            s.provenance.replications,
            s.provenance.seed
        )
        .expect("write to string");
        for c in s.misses() {
            writeln!(out, "  missed: {}: {}", place(s, c), c.judged.describe()).expect("write to string");
        }
        for p in &s.pending {
            writeln!(
                out,
                "  not judged: {}: queue {}, {}: service level pending (deadlines past the horizon)",
                s.scenario, p.queue, p.period.label
            )
            .expect("write to string");
        }
        if let Some(b) = &s.baseline {
            let regressed = b.regressions().count();
            writeln!(out, "  baseline {}: {} KPI(s) compared, {regressed} regressed", b.file, b.changes.len())
                .expect("write to string");
            for c in b.regressions() {
                writeln!(out, "  regressed: {}: queue {}: {}", s.scenario, c.queue, c.describe())
                    .expect("write to string");
            }
            for n in &b.not_compared {
                writeln!(out, "  not compared: {}: queue {}: {}", s.scenario, n.queue, n.reason)
                    .expect("write to string");
            }
        }
        if let Some(staffing) = &s.staffing {
            writeln!(out, "  staffing: {}", staffing_words(staffing)).expect("write to string");
            for c in &staffing.capped {
                writeln!(out, "  capped: {}: {}", s.scenario, capped_place(c)).expect("write to string");
            }
        }
    }
    let failed = v.scenarios.iter().filter(|s| !s.passed).count();
    writeln!(out, "{}: {failed} of {} scenario(s) failed", pass_word(v.passed), v.scenarios.len())
        .expect("write to string");
    out
}

/// The verdict as pretty JSON, ending in a newline.
pub fn json(v: &Verdict) -> String {
    crate::report::kit::json::versioned("verdict_version", VERDICT_VERSION, v)
}

/// The verdict as Markdown (a CI job summary): a row per scenario, then
/// the targets missed, the KPIs regressed and the periods not judged.
pub fn markdown(v: &Verdict) -> String {
    let mut out = format!("# wfmsim check: {}\n\n{}\n\n", if v.passed { "passed" } else { "failed" }, rules(v));
    header(&mut out, &["scenario", "file", "target checks", "missed", "regressed", "verdict"]);
    for s in &v.scenarios {
        let regressed = s.baseline.as_ref().map_or_else(|| "-".to_string(), |b| b.regressions().count().to_string());
        let cells = [&s.scenario, &s.file, &s.targets.len().to_string(), &s.misses().count().to_string()];
        let mut cells: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        cells.extend([regressed, pass_word(s.passed).to_string()]);
        row(&mut out, &cells);
    }
    let misses: Vec<_> = v.scenarios.iter().flat_map(|s| s.misses().map(move |c| (s, c))).collect();
    if !misses.is_empty() {
        out.push_str("\n## Targets missed\n\n");
        header(&mut out, &["scenario", "queue", "period", "KPI", "value", "target", "met in"]);
        for (s, c) in misses {
            let j = &c.judged;
            let (kpi, op) = (j.target.kpi, if j.target.bound == Bound::AtLeast { "≥" } else { "≤" });
            let value = j.value.map_or_else(|| "-".to_string(), |x| format_value(kpi, x));
            let target = format!("{op} {}", format_value(kpi, kpi.reported(j.target.value)));
            let cells = [&s.scenario, &c.queue, &c.period.label, kpi.label(), &value, &target, &percent(j.met_share)];
            row(&mut out, &cells.map(|c| c.to_string()));
        }
    }
    let regressions: Vec<_> = v
        .scenarios
        .iter()
        .filter_map(|s| Some((s, s.baseline.as_ref()?)))
        .flat_map(|(s, b)| b.regressions().map(move |c| (s, c)))
        .collect();
    if !regressions.is_empty() {
        out.push_str("\n## KPIs worse than the baseline\n\n");
        header(&mut out, &["scenario", "queue", "change"]);
        for (s, c) in regressions {
            row(&mut out, &[s.scenario.clone(), c.queue.clone(), c.describe()]);
        }
    }
    let capped: Vec<_> = v
        .scenarios
        .iter()
        .filter_map(|s| Some((s, s.staffing.as_ref()?)))
        .flat_map(|(s, st)| st.capped.iter().map(move |c| (s, c)))
        .collect();
    if !capped.is_empty() {
        out.push_str("\n## Staffing capped (totals too low)\n\n");
        header(&mut out, &["scenario", "queue", "start", "reason"]);
        for (s, c) in capped {
            row(&mut out, &[s.scenario.clone(), c.queue.clone(), c.start.clone(), c.reason.clone()]);
        }
    }
    let pending: Vec<String> = v
        .scenarios
        .iter()
        .flat_map(|s| s.pending.iter().map(move |p| format!("- {}: queue {}, {}", s.scenario, p.queue, p.period.label)))
        .collect();
    if !pending.is_empty() {
        writeln!(out, "\nNot judged (service level pending, deadlines past the horizon):\n\n{}", pending.join("\n"))
            .expect("write to string");
    }
    out
}

/// The verdict as one HTML page: a row per scenario, then per scenario
/// every target checked (queue, period, value, share of replications
/// meeting it), the baseline's KPIs compared and the periods not judged.
pub fn html(v: &Verdict) -> String {
    use crate::report::kit::html::{header, page, table, target_words, Cell};
    let title = format!("wfmsim check: {}", if v.passed { "passed" } else { "failed" });
    let mut body = String::new();
    header(&mut body, &title, &[rules(v)]);
    let rows = v
        .scenarios
        .iter()
        .map(|s| {
            let regressed =
                s.baseline.as_ref().map_or_else(|| "-".to_string(), |b| b.regressions().count().to_string());
            vec![
                Cell::new(s.scenario.as_str()),
                Cell::new(s.file.as_str()),
                Cell::new(s.targets.len().to_string()),
                Cell::new(s.misses().count().to_string()),
                Cell::new(regressed),
                Cell::verdict(pass_word(s.passed), s.passed),
            ]
        })
        .collect();
    table(&mut body, &["scenario", "file", "target checks", "missed", "regressed", "verdict"], rows);
    for s in &v.scenarios {
        writeln!(
            body,
            "<section>\n<h2>{}</h2>\n<p class=\"meta\">{}; {} replications, seed {}</p>",
            xml(&s.scenario),
            xml(&s.file),
            s.provenance.replications,
            s.provenance.seed
        )
        .expect("write to string");
        let rows = s
            .targets
            .iter()
            .map(|c| {
                let j = &c.judged;
                vec![
                    Cell::new(c.queue.as_str()),
                    Cell::new(c.period.label.as_str()),
                    Cell::new(target_words(&j.target)),
                    Cell::new(j.value.map_or_else(|| "-".to_string(), |x| format_value(j.target.kpi, x))),
                    Cell::new(percent(j.met_share)),
                    Cell::verdict(if j.met { "met" } else { "missed" }, j.met),
                ]
            })
            .collect();
        table(&mut body, &["queue", "period", "target", "mean", "met in", "verdict"], rows);
        if let Some(b) = &s.baseline {
            writeln!(body, "<h3>Against the baseline {}</h3>", xml(&b.file)).expect("write to string");
            let rows = b
                .changes
                .iter()
                .map(|c| {
                    vec![
                        Cell::new(c.queue.as_str()),
                        Cell::new(c.describe()),
                        Cell::verdict(if c.regressed { "regressed" } else { "ok" }, !c.regressed),
                    ]
                })
                .chain(b.not_compared.iter().map(|n| {
                    vec![Cell::new(n.queue.as_str()), Cell::new(n.reason.as_str()), Cell::new("not compared")]
                }))
                .collect();
            table(&mut body, &["queue", "change", "verdict"], rows);
        }
        if !s.pending.is_empty() {
            let pending: Vec<String> =
                s.pending.iter().map(|p| format!("queue {}, {}", p.queue, p.period.label)).collect();
            writeln!(
                body,
                "<p class=\"note\">Not judged (service level pending, deadlines past the horizon): {}.</p>",
                xml(&pending.join("; "))
            )
            .expect("write to string");
        }
        body.push_str("</section>\n");
    }
    page(&title, &body)
}

/// The verdict as JUnit XML: a test suite per scenario, a test case per
/// queue × target (failing when any period misses it, each period missed a
/// line of the failure) and per queue × KPI compared with a baseline.
pub fn junit(v: &Verdict) -> String {
    let suites: Vec<(String, Vec<Case>)> = v.scenarios.iter().map(|s| (s.scenario.clone(), cases(s))).collect();
    let count = |f: fn(&Case) -> bool| suites.iter().flat_map(|(_, c)| c).filter(|c| f(c)).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    writeln!(
        out,
        "<testsuites name=\"wfmsim check\" tests=\"{}\" failures=\"{}\">",
        count(|_| true),
        count(|c| c.failure.is_some())
    )
    .expect("write to string");
    for (name, cases) in &suites {
        let failures = cases.iter().filter(|c| c.failure.is_some()).count();
        writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
            xml(name),
            cases.len()
        )
        .expect("write to string");
        for c in cases {
            c.write(&mut out);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// A JUnit test case.
struct Case {
    classname: String,
    name: String,
    /// The failure's message and its lines.
    failure: Option<(String, Vec<String>)>,
}

impl Case {
    fn write(&self, out: &mut String) {
        let open = format!("    <testcase classname=\"{}\" name=\"{}\"", xml(&self.classname), xml(&self.name));
        match &self.failure {
            None => writeln!(out, "{open}/>").expect("write to string"),
            Some((message, lines)) => writeln!(
                out,
                "{open}>\n      <failure message=\"{}\" type=\"wfmsim.check\">{}</failure>\n    </testcase>",
                xml(message),
                xml(&lines.join("\n"))
            )
            .expect("write to string"),
        }
    }
}

/// One scenario's test cases: each queue × target, then each queue × KPI
/// compared.
fn cases(s: &ScenarioVerdict) -> Vec<Case> {
    let mut out: Vec<Case> = s
        .targets
        .chunk_by(|a, b| a.queue == b.queue && a.judged.target.key == b.judged.target.key)
        .map(|group| target_case(s, group))
        .collect();
    if let Some(b) = &s.baseline {
        out.extend(b.changes.iter().map(|c| baseline_case(s, c)));
    }
    if let Some(staffing) = &s.staffing {
        out.push(staffing_case(s, staffing));
    }
    out
}

fn staffing_case(s: &ScenarioVerdict, staffing: &StaffingCheck) -> Case {
    let lines: Vec<String> = staffing.capped.iter().map(capped_place).collect();
    let failure = (!lines.is_empty()).then(|| (staffing_words(staffing), lines));
    Case { classname: s.scenario.clone(), name: "staffing".to_string(), failure }
}

fn target_case(s: &ScenarioVerdict, group: &[TargetCheck]) -> Case {
    let first = &group[0];
    let missed: Vec<String> =
        group.iter().filter(|c| !c.judged.met).map(|c| format!("{}: {}", place(s, c), c.judged.describe())).collect();
    let failure =
        (!missed.is_empty()).then(|| (format!("missed in {} of {} period(s)", missed.len(), group.len()), missed));
    Case { classname: format!("{}.{}", s.scenario, first.queue), name: first.judged.target.key.to_string(), failure }
}

fn baseline_case(s: &ScenarioVerdict, c: &KpiChange) -> Case {
    let failure = c.regressed.then(|| ("worse than the baseline".to_string(), vec![c.describe()]));
    Case { classname: format!("{}.{}", s.scenario, c.queue), name: format!("baseline {}", c.kpi.key()), failure }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(xml("a<b & \"c\" 'd'>\u{1}"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    }
}
