//! A capacity plan ([`PlanResults`]) as a table, CSV, JSON, Markdown or an
//! HTML page charting each team's headcount against its requirement.

use std::fmt::Write;

use crate::plan::{CostLines, Figure, Heads, PlanResults, Span, TeamPlan, TeamRow, TotalRow};
use crate::report::kit::csv::text;
use crate::report::kit::html::{header, page, table as html_table, tick_count, Cell};
use crate::report::kit::svg::{escape, line_chart, Line, LineChart, Point, XAxis, YAxis};

/// Version of the JSON layout.
pub const PLAN_VERSION: u32 = 1;

/// The lines above every format's body.
fn heading(r: &PlanResults) -> Vec<String> {
    let months = r.spans.iter().filter(|s| s.kind == "month").count();
    let first = r.spans.first().map_or("", |s| s.label.as_str());
    let p = &r.provenance;
    vec![
        format!(
            "{}: capacity plan, {months} months from {first}; workforce {} replications, seed {}",
            r.scenario, p.replications, p.seed
        ),
        format!("wfmsim {}, scenario sha256 {}{}", p.wfmsim_version, &p.scenario_sha256[..12.min(p.scenario_sha256.len())], what_ifs(r)),
        format!(
            "Requirement: {} week(s) simulated and staffed for {} share-months ({} replications per level); {} paid hours per FTE-week.",
            r.requirement.weeks_simulated, r.requirement.slices, r.requirement.replications_per_level, r.paid_hours_per_week
        ),
        "Means over replications, P10-P90 across them; headcount at the end of each period; gap = required headcount - available.".to_string(),
    ]
}

fn what_ifs(r: &PlanResults) -> String {
    let w: Vec<String> = r.provenance.what_ifs.iter().map(|w| format!("--{} {}", w.flag, w.value)).collect();
    if w.is_empty() {
        String::new()
    } else {
        format!("; what-ifs: {}", w.join(" "))
    }
}

fn label(s: &Span) -> String {
    if s.partial {
        format!("{}*", s.label)
    } else {
        s.label.clone()
    }
}

fn num(x: f64, decimals: usize) -> String {
    let v = if x.abs() < 0.5 * 10f64.powi(-(decimals as i32)) { 0.0 } else { x };
    format!("{v:.decimals$}")
}

fn spread(f: &Figure, decimals: usize) -> String {
    format!("{}-{}", num(f.p10, decimals), num(f.p90, decimals))
}

/// Writes aligned rows (the first is the header), right-aligned but the
/// first column.
fn aligned(out: &mut String, rows: &[Vec<String>]) {
    let widths: Vec<usize> =
        (0..rows[0].len()).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, x)| if c == 0 { format!("{x:<w$}", w = widths[c]) } else { format!("{x:>w$}", w = widths[c]) })
            .collect();
        writeln!(out, "  {}", cells.join("  ").trim_end()).expect("write to string");
    }
}

/// The cells of `h` the tables show, from required FTE to hires.
fn heads_cells(h: &Heads) -> [String; 8] {
    [
        num(h.required_fte, 1),
        num(h.required_headcount, 0),
        num(h.headcount.mean, 1),
        spread(&h.headcount, 0),
        num(h.available.mean, 1),
        num(h.gap.mean, 1),
        num(h.overtime_hours.mean, 0),
        num(h.hires.mean, 1),
    ]
}

fn total_cells(s: &Span, t: &TotalRow) -> Vec<String> {
    let mut cells = vec![label(s), num(t.volume, 0), num(t.handled, 0)];
    cells.extend(heads_cells(&t.heads));
    cells.extend([
        num(t.cost.total.mean, 0),
        spread(&t.cost.total, 0),
        t.cost_per_contact.map_or("-".into(), |c| num(c.mean, 2)),
    ]);
    cells
}

const TOTAL_HEAD: [&str; 14] = [
    "period",
    "volume",
    "handled",
    "req FTE",
    "req HC",
    "headcount",
    "P10-P90",
    "available",
    "gap",
    "overtime h",
    "hires",
    "cost",
    "P10-P90",
    "cost/contact",
];

fn team_cells(s: &Span, t: &TeamRow) -> Vec<String> {
    let c = &t.cost;
    let mut cells = vec![label(s)];
    cells.extend(heads_cells(&t.heads));
    cells.extend([
        num(t.leavers.mean, 1),
        num(t.handled, 0),
        num(c.pay.mean + c.contacts.mean, 0),
        num(c.overtime.mean, 0),
        num(c.hiring.mean + c.training.mean, 0),
        num(c.total.mean, 0),
    ]);
    cells
}

const TEAM_HEAD: [&str; 15] = [
    "period",
    "req FTE",
    "req HC",
    "headcount",
    "P10-P90",
    "available",
    "gap",
    "overtime h",
    "hires",
    "leavers",
    "handled",
    "pay/contacts",
    "overtime",
    "hire+train",
    "cost",
];

fn team_title(t: &TeamPlan) -> String {
    let kind = if t.partner { "partner" } else { "in-house" };
    format!("{} {} ({kind}, {} {})", if t.partner { "Partner" } else { "Team" }, t.name, t.price_basis, t.price)
}

/// The plan as aligned text.
pub fn table(r: &PlanResults) -> String {
    let mut out = heading(r).join("\n") + "\n";
    out.push_str("\nAll teams (* a period the plan covers in part)\n");
    let mut rows = vec![TOTAL_HEAD.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    rows.extend(r.spans.iter().zip(&r.total).map(|(s, t)| total_cells(s, t)));
    aligned(&mut out, &rows);
    for team in &r.teams {
        writeln!(out, "\n{}", team_title(team)).expect("write to string");
        let mut rows = vec![TEAM_HEAD.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        rows.extend(r.spans.iter().zip(&team.rows).map(|(s, t)| team_cells(s, t)));
        aligned(&mut out, &rows);
    }
    out.push_str("\nQueues (volume, mean handle time, handled)\n");
    let mut head = vec!["period".to_string()];
    for q in &r.queues {
        head.extend([format!("{} volume", q.name), "AHT s".into(), "handled".into()]);
    }
    let mut rows = vec![head];
    for (k, s) in r.spans.iter().enumerate() {
        let mut row = vec![label(s)];
        for q in &r.queues {
            let x = &q.rows[k];
            row.extend([num(x.volume, 0), num(x.aht_s, 1), num(x.handled, 0)]);
        }
        rows.push(row);
    }
    aligned(&mut out, &rows);
    out
}

/// Random figures of a CSV row, by column name.
fn figure_columns(out: &mut Vec<String>, f: Option<&Figure>) {
    match f {
        Some(f) => {
            let (lo, hi) = f.ci95.map_or((String::new(), String::new()), |[a, b]| (a.to_string(), b.to_string()));
            out.extend([f.mean.to_string(), lo, hi, f.p10.to_string(), f.p50.to_string(), f.p90.to_string()]);
        }
        None => out.extend(std::iter::repeat_n(String::new(), 6)),
    }
}

const CSV_FIGURES: [&str; 13] = [
    "headcount",
    "available",
    "gap",
    "overtime_hours",
    "hires",
    "leavers",
    "cost_pay",
    "cost_contacts",
    "cost_overtime",
    "cost_hiring",
    "cost_training",
    "cost_total",
    "cost_per_contact",
];

fn cost_figures(c: &CostLines) -> [Option<&Figure>; 6] {
    [Some(&c.pay), Some(&c.contacts), Some(&c.overtime), Some(&c.hiring), Some(&c.training), Some(&c.total)]
}

/// The plan as CSV: a row per group (queue, team, partner, all teams) and
/// period; random figures as `_mean`, `_ci95_low`, `_ci95_high`, `_p10`,
/// `_p50`, `_p90`.
pub fn csv(r: &PlanResults) -> String {
    let mut head: Vec<String> = [
        "group",
        "name",
        "kind",
        "period",
        "partial",
        "volume",
        "aht_s",
        "handled",
        "required_fte",
        "required_headcount",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for f in CSV_FIGURES {
        head.extend(["mean", "ci95_low", "ci95_high", "p10", "p50", "p90"].map(|x| format!("{f}_{x}")));
    }
    let mut out = head.join(",") + "\n";
    // Per row: kind to handled; the heads (required, then their figures);
    // leavers, the cost lines and cost per contact.
    let mut row = |fixed: [String; 8], heads: Option<&Heads>, rest: [Option<&Figure>; 8]| {
        let mut cells: Vec<String> = fixed.to_vec();
        let required = |f: fn(&Heads) -> f64| heads.map_or(String::new(), |h| f(h).to_string());
        cells.extend([required(|h| h.required_fte), required(|h| h.required_headcount)]);
        let of_heads = heads.map_or([None; 5], |h| {
            [Some(&h.headcount), Some(&h.available), Some(&h.gap), Some(&h.overtime_hours), Some(&h.hires)]
        });
        for f in of_heads.into_iter().chain(rest) {
            figure_columns(&mut cells, f);
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    };
    let span_cells = |s: &Span| [s.kind.to_string(), s.label.clone(), s.partial.to_string()];
    for q in &r.queues {
        for (s, x) in r.spans.iter().zip(&q.rows) {
            let [k, l, p] = span_cells(s);
            let fixed = [
                "queue".into(),
                text(&q.name),
                k,
                l,
                p,
                x.volume.to_string(),
                x.aht_s.to_string(),
                x.handled.to_string(),
            ];
            row(fixed, None, [None; 8]);
        }
    }
    for t in &r.teams {
        let group = if t.partner { "partner" } else { "team" };
        for (s, x) in r.spans.iter().zip(&t.rows) {
            let [k, l, p] = span_cells(s);
            let c = cost_figures(&x.cost);
            let fixed = [group.into(), text(&t.name), k, l, p, String::new(), String::new(), x.handled.to_string()];
            row(fixed, Some(&x.heads), [Some(&x.leavers), c[0], c[1], c[2], c[3], c[4], c[5], None]);
        }
    }
    for (s, x) in r.spans.iter().zip(&r.total) {
        let [k, l, p] = span_cells(s);
        let c = cost_figures(&x.cost);
        let fixed =
            ["all".into(), "all teams".into(), k, l, p, x.volume.to_string(), String::new(), x.handled.to_string()];
        row(fixed, Some(&x.heads), [None, c[0], c[1], c[2], c[3], c[4], c[5], x.cost_per_contact.as_ref()]);
    }
    out
}

/// The plan as JSON (`plan_version` 1).
pub fn json(r: &PlanResults) -> String {
    crate::report::kit::json::versioned("plan_version", PLAN_VERSION, r)
}

fn markdown_table(out: &mut String, rows: &[Vec<String>]) {
    for (k, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| crate::report::kit::markdown::inline(c)).collect();
        writeln!(out, "| {} |", cells.join(" | ")).expect("write to string");
        if k == 0 {
            writeln!(out, "|{}", " --- |".repeat(row.len())).expect("write to string");
        }
    }
}

/// The plan as Markdown tables (means; P10-P90 of headcount and cost).
pub fn markdown(r: &PlanResults) -> String {
    let lines = heading(r);
    let md = crate::report::kit::markdown::inline;
    let mut out = format!("## {}\n\n", md(&lines[0]));
    for l in &lines[1..] {
        writeln!(out, "{}  ", md(l)).expect("write to string");
    }
    out.push_str("\n### All teams\n\n");
    let mut rows = vec![TOTAL_HEAD.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    rows.extend(r.spans.iter().zip(&r.total).map(|(s, t)| total_cells(s, t)));
    markdown_table(&mut out, &rows);
    for team in &r.teams {
        writeln!(out, "\n### {}\n", md(&team_title(team))).expect("write to string");
        let mut rows = vec![TEAM_HEAD.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        rows.extend(r.spans.iter().zip(&team.rows).map(|(s, t)| team_cells(s, t)));
        markdown_table(&mut out, &rows);
    }
    out
}

/// One team's headcount against its requirement, month by month.
fn headcount_chart(r: &PlanResults, team: &TeamPlan) -> String {
    let months: Vec<(usize, &Span)> = r.spans.iter().enumerate().filter(|(_, s)| s.kind == "month").collect();
    let band = |f: &Figure| Point { value: f.mean, band: f.ci95.map(|[a, b]| (a, b)), spread: Some((f.p10, f.p90)) };
    let line = |label: &str, colour: &'static str, dash, pick: &dyn Fn(&TeamRow) -> Point| Line {
        label: label.to_string(),
        colour,
        dash,
        points: months.iter().map(|&(k, _)| Some(pick(&team.rows[k]))).collect(),
    };
    let chart = LineChart {
        title: format!("{}: headcount against requirement", team.name),
        x: XAxis {
            slots: months.len(),
            ticks: months.iter().enumerate().map(|(k, (_, s))| (k, s.label.clone())).collect(),
            caption: "end of month".to_string(),
            centred: true,
        },
        y: YAxis { format: tick_count, max: None },
        lines: vec![
            line("required headcount", "#b91c1c", Some("6 3"), &|x| Point::plain(x.heads.required_headcount)),
            line("available (productive)", "#1d4ed8", None, &|x| band(&x.heads.available)),
            line("on payroll", "#15803d", None, &|x| Point::plain(x.heads.headcount.mean)),
        ],
        target: None,
        hover: months
            .iter()
            .map(|&(k, s)| {
                let x = &team.rows[k];
                format!(
                    "{}: required {}, available {} (P10-P90 {}), on payroll {}",
                    s.label,
                    num(x.heads.required_headcount, 0),
                    num(x.heads.available.mean, 1),
                    spread(&x.heads.available, 0),
                    num(x.heads.headcount.mean, 1)
                )
            })
            .collect(),
        band_labels: (Some("95% CI".into()), Some("P10-P90".into())),
    };
    line_chart(&chart)
}

/// The plan as one self-contained HTML page: per team a chart of
/// headcount against the requirement, then the tables.
pub fn html(r: &PlanResults) -> String {
    let lines = heading(r);
    let mut body = String::new();
    header(&mut body, &lines[0], &lines[1..]);
    body.push_str("<section>\n<h2>All teams</h2>\n");
    let rows =
        r.spans.iter().zip(&r.total).map(|(s, t)| total_cells(s, t).into_iter().map(Cell::new).collect()).collect();
    html_table(&mut body, &TOTAL_HEAD, rows);
    body.push_str("</section>\n");
    for team in &r.teams {
        writeln!(body, "<section>\n<h2>{}</h2>", escape(&team_title(team))).expect("write to string");
        body.push_str(&headcount_chart(r, team));
        let rows = r
            .spans
            .iter()
            .zip(&team.rows)
            .map(|(s, t)| team_cells(s, t).into_iter().map(Cell::new).collect())
            .collect();
        html_table(&mut body, &TEAM_HEAD, rows);
        body.push_str("</section>\n");
    }
    page(&format!("{}: capacity plan", r.scenario), &body)
}
