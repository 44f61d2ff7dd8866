//! Views of a [`Fit`]: a readable table, JSON, CSV (one figure a row) and
//! Markdown. Each ends with (or carries) the TOML fragment of the fitted
//! `[[queue]]` distributions.

use std::fmt::Write as _;

use serde::Serialize;

use crate::fit::fragment::{self, Distributions};
use crate::fit::handle::HandleFit;
use crate::fit::intervals::{IntervalFit, IntervalPatience};
use crate::fit::patience::{PatienceFit, Verdict};
use crate::fit::{Ci, Fit, QueueFit, Source};

/// Version of the JSON layout.
pub const SCHEMA_VERSION: u32 = 1;

fn s1(x: f64) -> String {
    format!("{x:.1}")
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn ci1(c: &Ci) -> String {
    format!("{:.1} [{:.1}, {:.1}]", c.value, c.low, c.high)
}

fn ci3(c: &Ci) -> String {
    format!("{:.3} [{:.3}, {:.3}]", c.value, c.low, c.high)
}

fn opt(x: Option<f64>, f: impl Fn(f64) -> String) -> String {
    x.map_or("—".to_string(), f)
}

fn verdict(p: &PatienceFit) -> String {
    match p.verdict {
        Verdict::Fits => {
            format!("the exponential fits (Weibull shape {:.2}, LR p = {:.2})", p.weibull_shape, p.p_value)
        }
        Verdict::CloseEnough => format!(
            "close enough: rejected against a Weibull (shape {:.2}, p = {:.1e}) but Kaplan–Meier stays within {:.3}",
            p.weibull_shape, p.p_value, p.km_distance
        ),
        Verdict::DoesNotFit => format!(
            "the exponential does not fit: Weibull shape {:.2} (p = {:.1e}), Kaplan–Meier {:.3} off at {:.0} s",
            p.weibull_shape, p.p_value, p.km_distance, p.km_distance_at_s
        ),
    }
}

fn source_lines(out: &mut String, s: &Source, indent: &str) {
    let skipped: u64 = s.tally.skipped.values().sum();
    let minutes = s.interval_minutes.map_or(String::new(), |m| format!(" ({m}-minute intervals)"));
    let _ = writeln!(
        out,
        "{indent}{}{minutes}: {} rows read, {} used, {} skipped",
        s.file, s.tally.read, s.tally.used, skipped
    );
    for (why, n) in &s.tally.skipped {
        let _ = writeln!(out, "{indent}  skipped {n}: {why}");
    }
    for (why, n) in &s.tally.left_out {
        let _ = writeln!(out, "{indent}  {n} × {why}");
    }
    for w in &s.warnings {
        let _ = writeln!(out, "{indent}  warning: {w}");
    }
}

fn handle_lines(out: &mut String, h: &HandleFit) {
    let _ = writeln!(out, "  Handle time ({} contacts, > 0 s):", h.n);
    let _ = writeln!(out, "    {:<13} {:>16} {:>7} {:>9} {:>7}", "family", "AIC", "KS", "mean s", "CV");
    for f in &h.families {
        let mark = if f.family == h.chosen { "*" } else { " " };
        let _ = writeln!(
            out,
            "    {:<11}{mark}  {:>16.1} {:>7.4} {:>9.1} {:>7.3}",
            f.family.name(),
            f.aic,
            f.ks,
            f.mean_s,
            f.cv
        );
    }
    let _ = writeln!(
        out,
        "    chosen by AIC: {}, mean {} s, CV {} (95%, asymptotic)",
        h.chosen.name(),
        ci1(&h.mean_s),
        ci3(&h.cv)
    );
    let _ = writeln!(
        out,
        "    sample: mean {} s, CV {} (95%, distribution-free); P50 {:.1} s, P90 {:.1} s",
        ci1(&h.sample_mean_s),
        ci3(&h.sample_cv),
        h.p50_s,
        h.p90_s
    );
}

fn patience_lines(out: &mut String, p: &PatienceFit) {
    let _ = writeln!(out, "  Patience ({} abandoned, {} answered = censored):", p.abandoned, p.censored);
    let _ = writeln!(out, "    exponential MLE: mean {} s (95%, chi-square)", ci1(&p.mean_s));
    let _ = writeln!(out, "    {:>8} {:>7} {:>17} {:>10} {:>9}", "t s", "KM S(t)", "95%", "exp(-t/θ)", "waiting");
    for k in &p.km {
        let _ = writeln!(
            out,
            "    {:>8.0} {:>7.3} {:>17} {:>10.3} {:>9}",
            k.t_s,
            k.survival,
            format!("[{:.3}, {:.3}]", k.low, k.high),
            k.exponential,
            k.at_risk
        );
    }
    let levels: Vec<String> =
        p.km_levels.iter().map(|l| format!("{} at {}", l.survival, opt(l.t_s, |t| format!("{t:.1} s")))).collect();
    let _ = writeln!(out, "    Kaplan–Meier falls to {}", levels.join(", "));
    let _ = writeln!(out, "    verdict: {}", verdict(p));
}

fn intervals_lines(out: &mut String, f: &IntervalFit) {
    let sl = match (f.service_level, f.within_s) {
        (Some(s), Some(t)) => format!(", SL {} within {t} s", pct(s)),
        (Some(s), None) => format!(", SL {}", pct(s)),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "  From intervals ({} intervals): offered {}, AHT {} s, abandoned {}{sl}, ASA {} s, agents {}",
        f.intervals,
        f.offered,
        opt(f.aht_s, s1),
        opt(f.abandon_share, pct),
        opt(f.asa_s, s1),
        opt(f.agents_mean, s1)
    );
    match &f.patience {
        Some(IntervalPatience::Mean(c)) => {
            let _ = writeln!(out, "    patience (total wait / abandoned): {} s", ci1(c));
        }
        Some(IntervalPatience::AtLeast(s)) => {
            let _ = writeln!(out, "    patience: at least {s:.1} s (answered waits / abandoned)");
        }
        None => {}
    }
    let range = |pick: &dyn Fn(&crate::fit::intervals::TimeOfDay) -> Option<f64>, show: &dyn Fn(f64) -> String| {
        let known: Vec<(f64, &str)> =
            f.by_time_of_day.iter().filter_map(|t| pick(t).map(|v| (v, t.start.as_str()))).collect();
        let lo = known.iter().min_by(|a, b| a.0.total_cmp(&b.0))?;
        let hi = known.iter().max_by(|a, b| a.0.total_cmp(&b.0))?;
        Some(format!("{} ({}) to {} ({})", show(lo.0), lo.1, show(hi.0), hi.1))
    };
    if let Some(r) = range(&|t| t.aht_s, &|v| format!("{v:.1} s")) {
        let _ = writeln!(out, "    AHT by interval of day: {r}");
    }
    if let Some(r) = range(&|t| t.abandon_share, &pct) {
        let _ = writeln!(out, "    abandoned by interval of day: {r}");
    }
}

fn queue_lines(out: &mut String, q: &QueueFit) {
    let _ = writeln!(out, "\nQueue {}", q.name);
    if let Some(r) = &q.records {
        let _ = writeln!(
            out,
            "  Records: {} offered, {} answered, {} abandoned ({}), {} other; ASA {} s{}",
            r.offered,
            r.answered,
            r.abandoned,
            opt(r.abandon_share, pct),
            r.other,
            opt(r.asa_s, s1),
            r.response_mean_s.map_or(String::new(), |m| format!(
                "; response mean {:.1} h, P90 {} h",
                m / 3600.0,
                opt(r.response_p90_s, |p| format!("{:.1}", p / 3600.0))
            ))
        );
    }
    if let Some(h) = &q.handle {
        handle_lines(out, h);
    }
    if let Some(p) = &q.patience {
        patience_lines(out, p);
    }
    if let Some(f) = &q.intervals {
        intervals_lines(out, f);
    }
    for n in &q.not_estimated {
        let _ = writeln!(out, "  not estimated: {}: {}", n.figure, n.reason);
    }
}

/// The readable report.
pub fn table(fit: &Fit) -> String {
    let mut out = String::from("wfmsim fit\n\nImport\n");
    for s in fit.interval_history.iter().chain(&fit.contact_records) {
        source_lines(&mut out, s, "  ");
    }
    for q in &fit.queues {
        queue_lines(&mut out, q);
    }
    out += "\nScenario fragment (TOML)\n\n";
    out += &fragment::render(fit);
    out
}

/// The report in Markdown: the table's text in a code block per queue,
/// and the fragment as TOML.
pub fn markdown(fit: &Fit) -> String {
    let mut out = String::from("# wfmsim fit\n\n## Import\n\n");
    for s in fit.interval_history.iter().chain(&fit.contact_records) {
        let skipped: u64 = s.tally.skipped.values().sum();
        let _ = writeln!(out, "- `{}`: {} rows read, {} used, {} skipped", s.file, s.tally.read, s.tally.used, skipped);
        for (why, n) in s.tally.skipped.iter().chain(&s.tally.left_out) {
            let _ = writeln!(out, "  - {n} × {why}");
        }
        for w in &s.warnings {
            let _ = writeln!(out, "  - warning: {w}");
        }
    }
    for q in &fit.queues {
        let _ = writeln!(out, "\n## Queue {}\n", q.name);
        if let Some(h) = &q.handle {
            out += "| handle time | AIC | KS | mean s | CV |\n|---|---:|---:|---:|---:|\n";
            for f in &h.families {
                let mark = if f.family == h.chosen { " (chosen)" } else { "" };
                let _ = writeln!(
                    out,
                    "| {}{mark} | {:.1} | {:.4} | {:.1} | {:.3} |",
                    f.family.name(),
                    f.aic,
                    f.ks,
                    f.mean_s,
                    f.cv
                );
            }
            let _ =
                writeln!(out, "\nMean {} s, CV {} (95%, asymptotic); {} contacts.\n", ci1(&h.mean_s), ci3(&h.cv), h.n);
        }
        if let Some(p) = &q.patience {
            let _ = writeln!(
                out,
                "Patience: exponential mean {} s from {} abandoned and {} censored waits; {}.\n",
                ci1(&p.mean_s),
                p.abandoned,
                p.censored,
                verdict(p)
            );
            out += "| t s | Kaplan–Meier | 95% | exp(−t/θ) | waiting |\n|---:|---:|---|---:|---:|\n";
            for k in &p.km {
                let _ = writeln!(
                    out,
                    "| {:.0} | {:.3} | [{:.3}, {:.3}] | {:.3} | {} |",
                    k.t_s, k.survival, k.low, k.high, k.exponential, k.at_risk
                );
            }
            out += "\n";
        }
        if let Some(f) = &q.intervals {
            let mut text = String::new();
            intervals_lines(&mut text, f);
            let _ = writeln!(out, "{}", text.trim().replace("\n    ", "\n- ").replacen("From", "- From", 1));
        }
        for n in &q.not_estimated {
            let _ = writeln!(out, "- not estimated: {}: {}", n.figure, n.reason);
        }
    }
    out += "\n## Scenario fragment\n\n```toml\n";
    out += &fragment::render(fit);
    out += "```\n";
    out
}

#[derive(Serialize)]
struct JsonQueue<'a> {
    #[serde(flatten)]
    fit: &'a QueueFit,
    scenario: Distributions,
}

#[derive(Serialize)]
struct Json<'a> {
    schema_version: u32,
    interval_history: &'a Option<Source>,
    contact_records: &'a Option<Source>,
    queues: Vec<JsonQueue<'a>>,
    scenario_toml: String,
}

/// The report as JSON (numbers that could not be computed are null).
pub fn json(fit: &Fit) -> String {
    let doc = Json {
        schema_version: SCHEMA_VERSION,
        interval_history: &fit.interval_history,
        contact_records: &fit.contact_records,
        queues: fit.queues.iter().map(|q| JsonQueue { fit: q, scenario: fragment::distributions(q) }).collect(),
        scenario_toml: fragment::render(fit),
    };
    serde_json::to_string_pretty(&doc).expect("serialisable") + "\n"
}

/// The report as CSV: `queue,source,figure,value,low,high`, one figure a
/// row (`low` and `high` where it has an interval).
pub fn csv(fit: &Fit) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["queue", "source", "figure", "value", "low", "high"]).expect("in memory");
    let mut row = |queue: &str, source: &str, figure: &str, value: f64, ci: Option<&Ci>| {
        let num = |x: f64| if x.is_finite() { format!("{x}") } else { String::new() };
        let (lo, hi) = ci.map_or((String::new(), String::new()), |c| (num(c.low), num(c.high)));
        w.write_record([queue, source, figure, &num(value), &lo, &hi]).expect("in memory");
    };
    for s in fit.interval_history.iter().chain(&fit.contact_records) {
        row("", &s.file, "rows read", s.tally.read as f64, None);
        row("", &s.file, "rows used", s.tally.used as f64, None);
        for (why, n) in s.tally.skipped.iter() {
            row("", &s.file, &format!("skipped: {why}"), *n as f64, None);
        }
        for (why, n) in s.tally.left_out.iter() {
            row("", &s.file, &format!("left out: {why}"), *n as f64, None);
        }
    }
    for q in &fit.queues {
        let name = q.name.as_str();
        if let Some(r) = &q.records {
            for (figure, v) in
                [("offered", r.offered), ("answered", r.answered), ("abandoned", r.abandoned), ("other", r.other)]
            {
                row(name, "records", figure, v as f64, None);
            }
            for t in &r.by_time_of_day {
                row(name, "records", &format!("offered@{}", t.start), t.offered as f64, None);
                row(name, "records", &format!("aht_s@{}", t.start), t.aht_s.unwrap_or(f64::NAN), None);
                row(name, "records", &format!("abandon_share@{}", t.start), t.abandon_share.unwrap_or(f64::NAN), None);
            }
        }
        if let Some(h) = &q.handle {
            for f in &h.families {
                row(name, "records", &format!("handle_time.{}.aic", f.family.name()), f.aic, None);
                row(name, "records", &format!("handle_time.{}.ks", f.family.name()), f.ks, None);
            }
            row(name, "records", &format!("handle_time.mean_s ({})", h.chosen.name()), h.mean_s.value, Some(&h.mean_s));
            row(name, "records", &format!("handle_time.cv ({})", h.chosen.name()), h.cv.value, Some(&h.cv));
            row(name, "records", "handle_time.sample_mean_s", h.sample_mean_s.value, Some(&h.sample_mean_s));
            row(name, "records", "handle_time.sample_cv", h.sample_cv.value, Some(&h.sample_cv));
        }
        if let Some(p) = &q.patience {
            row(name, "records", "patience.mean_s (exponential)", p.mean_s.value, Some(&p.mean_s));
            for k in &p.km {
                let ci = Ci { value: k.survival, low: k.low, high: k.high };
                row(name, "records", &format!("patience.km@{:.0}s", k.t_s), k.survival, Some(&ci));
            }
            row(name, "records", "patience.km_distance", p.km_distance, None);
            row(name, "records", "patience.weibull_shape", p.weibull_shape, None);
            row(name, "records", "patience.lr_p_value", p.p_value, None);
        }
        if let Some(f) = &q.intervals {
            row(name, "intervals", "intervals", f.intervals as f64, None);
            row(name, "intervals", "offered", f.offered, None);
            for (figure, v) in [
                ("aht_s", f.aht_s),
                ("abandon_share", f.abandon_share),
                ("service_level", f.service_level),
                ("asa_s", f.asa_s),
                ("agents_mean", f.agents_mean),
            ] {
                row(name, "intervals", figure, v.unwrap_or(f64::NAN), None);
            }
            match &f.patience {
                Some(IntervalPatience::Mean(c)) => row(name, "intervals", "patience.mean_s", c.value, Some(c)),
                Some(IntervalPatience::AtLeast(s)) => row(name, "intervals", "patience.at_least_s", *s, None),
                None => {}
            }
            for t in &f.by_time_of_day {
                row(name, "intervals", &format!("offered_mean@{}", t.start), t.offered_mean, None);
                row(name, "intervals", &format!("aht_s@{}", t.start), t.aht_s.unwrap_or(f64::NAN), None);
                row(
                    name,
                    "intervals",
                    &format!("abandon_share@{}", t.start),
                    t.abandon_share.unwrap_or(f64::NAN),
                    None,
                );
            }
        }
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8")
}
