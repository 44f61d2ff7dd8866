//! Renders a `compare`: B − A per queue, KPI and span with its paired 95%
//! interval and significance, then the teams' paid hours and cost, as a
//! table, JSON, CSV (one row per figure) or Markdown.

use std::fmt::Write;

use crate::compare::{Comparison, CostDifference, QueueDifference, SpanDifference, Unmatched};
use crate::kpi::{format_value, Kpi, Unit};
use crate::report::kit::markdown::{header, row};
use crate::report::kit::text::TextTable;
use crate::report::run::table::label;
use crate::stats::Difference;

/// Version of the comparison's JSON layout; bumped on any incompatible
/// change.
pub const COMPARISON_VERSION: u32 = 1;

/// A difference in a KPI's reported unit, signed, a decimal finer than the
/// values themselves (differences are small): `+2.41 pp`, `-1.30 s`,
/// `+0.25 h`, `+12.0`, `0.0`.
pub fn signed(kpi: Kpi, x: f64) -> String {
    let x = x + 0.0; // −0 prints as 0
    let sign = if x > 0.0 { "+" } else { "" };
    match kpi.unit() {
        Unit::Share => format!("{sign}{:.2} pp", x * 100.0),
        Unit::Seconds => format!("{sign}{x:.2} s"),
        Unit::Hours => format!("{sign}{x:.2} h"),
        Unit::Count => format!("{sign}{x:.1}"),
    }
}

/// A sum of money or hours, signed: `+272`, `-8.5`.
fn signed_amount(x: f64, decimals: usize) -> String {
    let x = x + 0.0;
    let sign = if x > 0.0 { "+" } else { "" };
    format!("{sign}{x:.decimals$}")
}

fn yes(d: &Difference) -> &'static str {
    if d.significant() {
        "yes"
    } else {
        "no"
    }
}

/// The paired interval in the KPI's unit: `[+2.1 pp, +2.7 pp]`.
fn interval(kpi: Kpi, d: &Difference) -> String {
    d.ci95.map_or_else(|| "-".to_string(), |[lo, hi]| format!("[{}, {}]", signed(kpi, lo), signed(kpi, hi)))
}

/// What the figures are, in one paragraph.
const METHOD: &str = "B - A on common random numbers: replication i of both scenarios on the same random streams \
(A's seed), the difference taken replication by replication. Mean difference, its 95% CI from the paired \
differences (Student t), significant when the CI excludes 0; means of A and B over the replications where both \
define the KPI.";

/// The comparison as tables, ending in a newline.
pub fn table(c: &Comparison) -> String {
    let m = &c.meta;
    let mut out = format!("Compare B = {} ({}) against A = {} ({})\n", m.b.scenario, m.b.file, m.a.scenario, m.a.file);
    writeln!(out, "{}\n{}", grid(c), provenance(c)).expect("write to string");
    writeln!(
        out,
        "{METHOD} Period rows give the mean difference, * where significant (their CIs are in --format json or csv)."
    )
    .expect("write to string");
    for q in &c.queues {
        let channel = q
            .channel_b
            .map_or_else(|| q.channel.name().to_string(), |b| format!("{} in A, {} in B", q.channel.name(), b.name()));
        writeln!(out, "\nQueue {} ({channel})", q.name).expect("write to string");
        horizon_table(&q.horizon, &mut out);
        if !q.periods.is_empty() {
            writeln!(out).expect("write to string");
            period_table(q, m.period.name(), &mut out);
        }
    }
    teams_table(c, &mut out);
    for (side, u) in [("A", &c.only_in_a), ("B", &c.only_in_b)] {
        if let Some(list) = unmatched_words(u) {
            writeln!(out, "\nOnly in {side} (not compared): {list}").expect("write to string");
        }
    }
    out
}

/// The days, intervals, replications and seed compared.
fn grid(c: &Comparison) -> String {
    let m = &c.meta;
    format!(
        "{} day(s) from {}, {}-minute intervals in {}; {} paired replications, seed {}{}",
        m.days,
        m.first_day,
        m.interval_minutes,
        m.timezone,
        m.replications,
        m.seed,
        b_own(c)
    )
}

/// B's own seed and replications when they are not the ones used.
fn b_own(c: &Comparison) -> String {
    let m = &c.meta;
    if (m.b.seed, m.b.replications) == (m.seed, m.replications) {
        return String::new();
    }
    format!(" (A's; B's own seed {} and {} replications are not used)", m.b.seed, m.b.replications)
}

/// wfmsim's version, both files' hashes (12 hex digits) and the what-ifs.
fn provenance(c: &Comparison) -> String {
    let m = &c.meta;
    let hash = |h: &str| h.get(..12).unwrap_or("-").to_string();
    let words = |list: &[crate::results::Echo]| {
        list.iter().map(|w| format!("--{} {}", w.flag, w.value)).collect::<Vec<_>>().join(" ")
    };
    let mut what_ifs = String::new();
    for (whose, list) in [("both", &m.what_ifs), ("A only", &m.a.what_ifs), ("B only", &m.b.what_ifs)] {
        if !list.is_empty() {
            what_ifs += &format!("; what-ifs on {whose} {}", words(list));
        }
    }
    format!(
        "wfmsim {}, A sha256 {}, B sha256 {}{what_ifs}",
        m.wfmsim_version,
        hash(&m.a.scenario_sha256),
        hash(&m.b.scenario_sha256)
    )
}

fn unmatched_words(u: &Unmatched) -> Option<String> {
    let mut parts = Vec::new();
    if !u.queues.is_empty() {
        parts.push(format!("queue(s) {}", u.queues.join(", ")));
    }
    if !u.teams.is_empty() {
        parts.push(format!("team(s) {}", u.teams.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn horizon_table(h: &SpanDifference, out: &mut String) {
    writeln!(out, "  horizon {} to {}", &h.span.start[..16].replace('T', " "), &h.span.end[..16].replace('T', " "))
        .expect("write to string");
    let mut t = TextTable::default();
    t.header(&["KPI", "A", "B", "B - A", "95% CI of B - A", "significant"]);
    for (kpi, d) in h.kpis.iter() {
        t.row(kpi_cells(kpi, d, h.span.pending).to_vec());
    }
    t.render("  ", out);
}

/// A KPI's row: label, A, B, B − A, its interval and significance.
fn kpi_cells(kpi: Kpi, d: Option<Difference>, pending: bool) -> [String; 6] {
    match d {
        Some(d) => [
            kpi.label().to_string(),
            format_value(kpi, d.a),
            format_value(kpi, d.b),
            signed(kpi, d.mean),
            interval(kpi, &d),
            yes(&d).to_string(),
        ],
        None => {
            let none = if kpi == Kpi::ServiceLevel && pending { "pending" } else { "-" };
            [kpi.label().into(), none.into(), none.into(), "-".into(), "-".into(), String::new()]
        }
    }
}

/// Paid hours and cost of A and B and their differences.
fn cost_cells(d: &CostDifference) -> [String; 6] {
    let money = |f: fn(&Difference) -> String| d.cost.as_ref().map_or_else(|| "-".to_string(), f);
    let h = &d.paid_hours;
    [
        format!("{:.1}", h.a),
        format!("{:.1}", h.b),
        signed_amount(h.mean, 1),
        money(|c| format!("{:.0}", c.a)),
        money(|c| format!("{:.0}", c.b)),
        money(|c| signed_amount(c.mean, 0)),
    ]
}

/// One row per period: each KPI's mean difference, starred when
/// significant.
fn period_table(q: &QueueDifference, period: &str, out: &mut String) {
    let kpis: Vec<Kpi> = q.horizon.kpis.iter().map(|(k, _)| k).collect();
    let mut t = TextTable::default();
    let mut names = vec![format!("{period} (B - A)")];
    names.extend(kpis.iter().map(|k| k.label().to_string()));
    t.row(names);
    for p in &q.periods {
        let mut cells = vec![label(&p.span)];
        for &kpi in &kpis {
            cells.push(match p.kpis.get(kpi) {
                Some(d) => format!("{}{}", signed(kpi, d.mean), if d.significant() { "*" } else { " " }),
                None if kpi == Kpi::ServiceLevel && p.span.pending => "pending ".into(),
                None => "- ".into(),
            });
        }
        t.row(cells);
    }
    t.render("  ", out);
}

/// Per team and every team together: paid hours and cost of A and B and
/// the difference, per period then the horizon.
/// A money column's heading with the currency, if named.
fn money_heading(c: &Comparison, name: &str) -> String {
    crate::cost::heading(name, c.meta.currency.as_deref())
}

fn teams_table(c: &Comparison, out: &mut String) {
    let paired = c.all_teams.iter().any(|d| d.cost.as_ref().is_some_and(|x| x.ci95.is_some_and(|[lo, hi]| lo != hi)));
    let how = match paired {
        false => "paid hours and cost from each roster, the same in every replication: the differences are exact",
        true => {
            "paid hours from each roster; cost of teams priced per contact on what each replication handled, paired"
        }
    };
    writeln!(out, "\nTeams ({how})").expect("write to string");
    let mut t = TextTable::default();
    let (cost_a, cost_b) = (money_heading(c, "cost A"), money_heading(c, "cost B"));
    t.header(&["team", "period", "paid hours A", "paid hours B", "B - A", &cost_a, &cost_b, "B - A"]);
    let mut rows = |name: &str, periods: &[CostDifference], horizon: &CostDifference| {
        let spans = periods.iter().map(|p| (label(&p.span), p)).chain([("horizon".to_string(), horizon)]);
        for (k, (period, d)) in spans.enumerate() {
            let mut cells = vec![if k == 0 { name.to_string() } else { String::new() }, period];
            cells.extend(cost_cells(d));
            t.row(cells);
        }
    };
    for team in &c.teams {
        rows(&team.name, &team.periods, &team.horizon);
    }
    if let Some((horizon, periods)) = c.all_teams.split_first() {
        rows("all teams", periods, horizon);
    }
    t.render("  ", out);
}

/// The comparison as pretty JSON, ending in a newline.
pub fn json(c: &Comparison) -> String {
    crate::report::kit::json::versioned("comparison_version", COMPARISON_VERSION, c)
}

/// The comparison as CSV with a header row: one row per queue × span ×
/// KPI, then per team (and `all teams`) × span × `paid_hours`/`cost`;
/// the last column echoes the what-ifs both sides ran with.
pub fn csv(c: &Comparison) -> String {
    use crate::report::kit::csv::text;
    let what_ifs = crate::report::kit::csv::what_ifs_cell(&c.meta.what_ifs);
    let mut out = String::from(
        "kind,name,span,label,start,end,partial,measure,a,b,difference,ci95_low,ci95_high,significant,what_ifs\n",
    );
    let mut line = |kind: &str, name: &str, s: &crate::results::Span, measure: &str, d: Option<&Difference>| {
        let span = if s.label.is_some() { "period" } else { "horizon" };
        let label = s.label.as_deref().map(text).unwrap_or_default();
        write!(out, "{kind},{},{span},{label},{},{},{},{measure}", text(name), s.start, s.end, s.partial)
            .expect("write to string");
        match d {
            Some(d) => {
                let (lo, hi) = d.ci95.map_or((String::new(), String::new()), |[l, h]| (l.to_string(), h.to_string()));
                writeln!(out, ",{},{},{},{lo},{hi},{},{what_ifs}", d.a, d.b, d.mean, d.significant())
            }
            None => writeln!(out, ",,,,,,,{what_ifs}"),
        }
        .expect("write to string");
    };
    for q in &c.queues {
        for p in std::iter::once(&q.horizon).chain(&q.periods) {
            for (kpi, d) in p.kpis.iter() {
                line("queue", &q.name, &p.span, kpi.key(), d.as_ref());
            }
        }
    }
    let teams = c.teams.iter().map(|t| (t.name.as_str(), std::iter::once(&t.horizon).chain(&t.periods).collect()));
    for (name, spans) in teams.chain([("all teams", c.all_teams.iter().collect::<Vec<_>>())]) {
        for d in spans {
            line("team", name, &d.span, "paid_hours", Some(&d.paid_hours));
            line("team", name, &d.span, "cost", d.cost.as_ref());
        }
    }
    out
}

/// The comparison as Markdown (a CI job summary, a wiki page): each
/// queue's horizon differences, then the teams' cost over the horizon.
pub fn markdown(c: &Comparison) -> String {
    let m = &c.meta;
    let md = crate::report::kit::markdown::inline;
    let mut out = format!("# {} against {}\n\n", md(&m.b.scenario), md(&m.a.scenario));
    writeln!(out, "B = `{}`, A = `{}`; {}. {}\n\n{METHOD}", m.b.file, m.a.file, grid(c), provenance(c))
        .expect("write to string");
    for q in &c.queues {
        writeln!(out, "\n## Queue {} ({}), horizon\n", md(&q.name), q.channel.name()).expect("write to string");
        header(&mut out, &["KPI", "A", "B", "B - A", "95% CI", "significant"]);
        for (kpi, d) in q.horizon.kpis.iter() {
            row(&mut out, &kpi_cells(kpi, d, q.horizon.span.pending));
        }
    }
    out.push_str("\n## Teams, horizon (exact: from the rosters)\n\n");
    let (cost_a, cost_b) = (money_heading(c, "cost A"), money_heading(c, "cost B"));
    header(&mut out, &["team", "paid hours A", "paid hours B", "B - A", &cost_a, &cost_b, "B - A"]);
    let teams = c.teams.iter().map(|t| (t.name.as_str(), &t.horizon));
    for (name, d) in teams.chain(c.all_teams.first().map(|d| ("all teams", d))) {
        let mut cells = vec![name.to_string()];
        cells.extend(cost_cells(d));
        row(&mut out, &cells);
    }
    for (side, u) in [("A", &c.only_in_a), ("B", &c.only_in_b)] {
        if let Some(list) = unmatched_words(u) {
            writeln!(out, "\nOnly in {side} (not compared): {}", md(&list)).expect("write to string");
        }
    }
    out
}
