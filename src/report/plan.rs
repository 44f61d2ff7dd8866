//! A capacity plan ([`PlanResults`]) as a table, CSV, JSON, Markdown or an
//! HTML page (`plan/html.rs`): all teams, the service each queue gives at
//! the heads available, the months below target, each team's workforce.

mod html;

use std::fmt::Write;

pub use html::html;

use crate::kpi::{format_value, percent, Bound, Kpi, Target};
use crate::plan::{
    CostLines, Figure, Heads, PlanResults, PlanRisk, QueuePlan, QueueRow, Span, TeamPlan, TeamRow, TotalRow,
};
use crate::report::kit::csv::text;
use crate::report::kit::markdown;
use crate::report::kit::text::{provenance_line, TextTable};

/// Version of the JSON layout.
pub const PLAN_VERSION: u32 = 2;
/// Months below target the table, Markdown and HTML list (JSON and CSV
/// list them all).
pub const RISKS_SHOWN: usize = 10;

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
        provenance_line(p),
        format!(
            "Requirement: {} week(s) simulated and staffed for {} share-months ({} replications per level); {} paid hours per FTE-week.",
            r.requirement.weeks_simulated, r.requirement.slices, r.requirement.replications_per_level, r.paid_hours_per_week
        ),
        format!(
            "Service at the heads available: {} week(s) simulated ({} replications each), each share-month's requirement scaled to the agent-hours its team has on the phones (cover).",
            r.service.weeks_simulated, r.service.replications
        ),
        format!(
            "Means over replications, P10-P90 across them; headcount at the end of each period; gap = required headcount - available; money{}.",
            money_unit(r)
        ),
    ]
}

/// What money is counted in (the currency, once the scenario names one).
fn money_unit(r: &PlanResults) -> String {
    match &r.currency {
        Some(c) => format!(" in {c}"),
        None => " in the scenario's unit of cost".to_string(),
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

/// A share as a whole percentage: `96%`.
fn share(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn or_dash<T>(x: Option<T>, f: impl Fn(T) -> String) -> String {
    x.map_or_else(|| "-".to_string(), f)
}

/// The cells of `h` the tables show, from required FTE to the gap.
fn heads_cells(h: &Heads) -> [String; 6] {
    [
        num(h.required_fte, 1),
        num(h.required_headcount, 0),
        num(h.headcount.mean, 1),
        spread(&h.headcount, 0),
        num(h.available.mean, 1),
        num(h.gap.mean, 1),
    ]
}

const TOTAL_HEAD: [&str; 16] = [
    "period",
    "volume",
    "handled",
    "handled %",
    "req FTE",
    "req HC",
    "headcount",
    "P10-P90",
    "available",
    "gap",
    "cover",
    "overtime h",
    "hires",
    "cost",
    "P10-P90",
    "cost/handled",
];

fn total_cells(s: &Span, t: &TotalRow) -> Vec<String> {
    let mut cells = vec![label(s), num(t.volume, 0), num(t.handled, 0), or_dash(t.handled_share, percent)];
    cells.extend(heads_cells(&t.heads));
    cells.extend([
        or_dash(t.cover, share),
        num(t.heads.overtime_hours.mean, 0),
        num(t.heads.hires.mean, 1),
        num(t.cost.total.mean, 0),
        spread(&t.cost.total, 0),
        or_dash(t.cost_per_contact, |c| num(c.mean, 2)),
    ]);
    cells
}

const TEAM_HEAD: [&str; 17] = [
    "period",
    "req FTE",
    "req HC",
    "headcount",
    "P10-P90",
    "available",
    "gap",
    "cover",
    "overtime h",
    "hires",
    "leavers",
    "handled",
    "pay/contacts",
    "overtime",
    "hire+train",
    "cost",
    "cost/handled",
];

fn team_cells(s: &Span, t: &TeamRow) -> Vec<String> {
    let c = &t.cost;
    let mut cells = vec![label(s)];
    cells.extend(heads_cells(&t.heads));
    cells.extend([
        or_dash(t.cover, share),
        num(t.heads.overtime_hours.mean, 0),
        num(t.heads.hires.mean, 1),
        num(t.leavers.mean, 1),
        num(t.handled, 0),
        num(c.pay.mean + c.contacts.mean, 0),
        num(c.overtime.mean, 0),
        num(c.hiring.mean + c.training.mean, 0),
        num(c.total.mean, 0),
        or_dash(t.cost_per_contact, |c| num(c.mean, 2)),
    ]);
    cells
}

fn team_title(t: &TeamPlan) -> String {
    let kind = if t.partner { "partner" } else { "in-house" };
    let hiring = match (&t.freeze, t.partner) {
        (_, true) => String::new(),
        (Some([from, to]), false) => format!("; hiring {}, frozen {from} to {to}", t.hiring),
        (None, false) => format!("; hiring {}", t.hiring),
    };
    format!("{} {} ({kind}, {} {}{hiring})", if t.partner { "Partner" } else { "Team" }, t.name, t.price_basis, t.price)
}

/// A target in a planner's words: `SL >= 80.0%`, `ASA <= 30 s`.
fn target_words(t: &Target) -> String {
    let op = if t.bound == Bound::AtLeast { ">=" } else { "<=" };
    let name = if t.kpi == Kpi::ServiceLevel { "SL" } else { t.kpi.label() };
    format!("{name} {op} {}", format_value(t.kpi, t.kpi.reported(t.value)))
}

/// A target's column heading: `P(SL)`, `P(abandon)`.
fn target_column(t: &Target) -> String {
    let name = match t.kpi {
        Kpi::ServiceLevel => "SL",
        Kpi::Asa => "ASA",
        Kpi::AbandonRate => "abandon",
        Kpi::Occupancy => "occupancy",
        Kpi::PeakBacklog => "backlog",
        other => other.label(),
    };
    format!("P({name})")
}

fn queue_title(q: &QueuePlan) -> String {
    let targets: Vec<String> = q.targets.iter().map(target_words).collect();
    let targets = if targets.is_empty() { "no targets".to_string() } else { targets.join(", ") };
    format!("Queue {} ({}; {targets}): service at the heads available", q.name, q.channel)
}

fn live(q: &QueuePlan) -> bool {
    matches!(q.channel, "voice" | "chat")
}

fn queue_head(q: &QueuePlan) -> Vec<String> {
    let names: &[&str] = match live(q) {
        true => &["period", "volume", "AHT s", "handled", "abandoned", "SL", "95% CI", "ASA s", "abandon"],
        false => &["period", "volume", "AHT s", "handled", "SL", "95% CI", "response h", "peak backlog"],
    };
    let mut head: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    head.extend(q.targets.iter().map(target_column));
    head
}

fn queue_cells(q: &QueuePlan, s: &Span, row: &QueueRow) -> Vec<String> {
    let mut cells = vec![label(s), num(row.volume, 0), num(row.aht_s, 1), num(row.handled, 0)];
    let Some(x) = &row.service else {
        let blanks = queue_head(q).len() - cells.len();
        cells.extend(std::iter::repeat_n("-".to_string(), blanks));
        return cells;
    };
    let ci = |f: Option<Figure>| or_dash(f.and_then(|f| f.ci95), |[a, b]| format!("{}-{}", percent(a), percent(b)));
    let sl = or_dash(x.service_level, |f| percent(f.mean));
    if live(q) {
        cells.extend([
            or_dash(x.abandoned, |f| num(f.mean, 0)),
            sl,
            ci(x.service_level),
            or_dash(x.asa_s, |f| num(f.mean, 1)),
            or_dash(x.abandon_rate, |f| percent(f.mean)),
        ]);
    } else {
        cells.extend([
            sl,
            ci(x.service_level),
            or_dash(x.response_time_s, |f| num(f.mean / 3600.0, 1)),
            or_dash(x.peak_backlog, |f| num(f.mean, 0)),
        ]);
    }
    for t in &q.targets {
        cells.push(or_dash(x.targets.get(t.kpi), |s| share(s.met_share)));
    }
    cells
}

/// The risk section's title.
fn risk_title() -> &'static str {
    "Risk: months below target (the month's mean misses it), lowest P(meet) first"
}

const RISK_HEAD: [&str; 6] = ["queue", "month", "target", "mean", "P(meet)", "95% CI"];

fn risk_cells(r: &PlanRisk) -> Vec<String> {
    let t = r.judged;
    vec![
        r.queue.clone(),
        r.month.clone(),
        target_words(&t),
        format_value(t.kpi, t.kpi.reported(r.mean)),
        share(r.met_share),
        format!("{}-{}", share(r.met_ci95[0]), share(r.met_ci95[1])),
    ]
}

/// The line under the risks listed: how many more there are, or that
/// none is below target.
fn risk_tail(r: &PlanResults) -> Option<String> {
    match r.risks.len() {
        0 => Some("Every month meets every target on average.".to_string()),
        n if n > RISKS_SHOWN => {
            Some(format!("... and {} more (every one in --format json and --format csv)", n - RISKS_SHOWN))
        }
        _ => None,
    }
}

/// The plan's tables, each a title and rows (the first the header).
fn sections(r: &PlanResults) -> Vec<(String, Vec<Vec<String>>, Option<String>)> {
    // Money columns carry the currency: "cost EUR".
    let money = ["cost", "cost/handled", "pay/contacts", "overtime", "hire+train"];
    let currency = r.currency.as_deref();
    let head = |h: &[&str]| {
        h.iter()
            .map(|s| if money.contains(s) { crate::cost::heading(s, currency) } else { s.to_string() })
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    let mut rows = vec![head(&TOTAL_HEAD)];
    rows.extend(r.spans.iter().zip(&r.total).map(|(s, t)| total_cells(s, t)));
    out.push(("All teams (* a period the plan covers in part)".to_string(), rows, None));
    for q in &r.queues {
        let mut rows = vec![queue_head(q)];
        rows.extend(r.spans.iter().zip(&q.rows).map(|(s, x)| queue_cells(q, s, x)));
        out.push((queue_title(q), rows, None));
    }
    let mut rows = vec![head(&RISK_HEAD)];
    rows.extend(r.risks.iter().take(RISKS_SHOWN).map(risk_cells));
    out.push((risk_title().to_string(), rows, risk_tail(r)));
    for team in &r.teams {
        let mut rows = vec![head(&TEAM_HEAD)];
        rows.extend(r.spans.iter().zip(&team.rows).map(|(s, t)| team_cells(s, t)));
        out.push((team_title(team), rows, None));
    }
    out
}

/// The plan as aligned text.
pub fn table(r: &PlanResults) -> String {
    let mut out = heading(r).join("\n") + "\n";
    for (title, rows, tail) in sections(r) {
        writeln!(out, "\n{title}").expect("write to string");
        let mut t = TextTable::default();
        if rows.len() > 1 {
            rows.into_iter().for_each(|row| t.row(row));
            t.render("  ", &mut out);
        }
        if let Some(tail) = tail {
            writeln!(out, "  {tail}").expect("write to string");
        }
    }
    out
}

/// The plan as Markdown tables.
pub fn markdown(r: &PlanResults) -> String {
    let lines = heading(r);
    let mut out = format!("## {}\n\n", markdown::inline(&lines[0]));
    for l in &lines[1..] {
        writeln!(out, "{}  ", markdown::inline(l)).expect("write to string");
    }
    for (title, rows, tail) in sections(r) {
        writeln!(out, "\n### {}\n", markdown::inline(&title)).expect("write to string");
        if rows.len() > 1 {
            let names: Vec<&str> = rows[0].iter().map(String::as_str).collect();
            markdown::header(&mut out, &names);
            rows[1..].iter().for_each(|row| markdown::row(&mut out, row));
        }
        if let Some(tail) = tail {
            writeln!(out, "\n{tail}").expect("write to string");
        }
    }
    out
}

/// The plan as JSON (`plan_version` 2).
pub fn json(r: &PlanResults) -> String {
    crate::report::kit::json::versioned("plan_version", PLAN_VERSION, r)
}

/// Random figures of a CSV row: `_mean`, `_ci95_low`, `_ci95_high`,
/// `_p10`, `_p50`, `_p90`, empty where absent.
fn figure_columns(out: &mut Vec<String>, f: Option<&Figure>) {
    match f {
        Some(f) => {
            let (lo, hi) = f.ci95.map_or((String::new(), String::new()), |[a, b]| (a.to_string(), b.to_string()));
            out.extend([f.mean.to_string(), lo, hi, f.p10.to_string(), f.p50.to_string(), f.p90.to_string()]);
        }
        None => out.extend(std::iter::repeat_n(String::new(), 6)),
    }
}

/// The workforce's random figures, in CSV order.
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

/// The service's random figures, in CSV order.
const CSV_SERVICE: [&str; 9] = [
    "service_handled",
    "abandoned",
    "service_level",
    "asa_s",
    "abandon_rate",
    "occupancy",
    "response_time_s",
    "peak_backlog",
    "agent_hours",
];

/// Target keys with a P(meet) column each.
const CSV_TARGETS: [&str; 5] = ["service_level", "max_asa_s", "max_abandon", "max_occupancy", "max_backlog"];

/// The risk columns (filled on `risk` rows).
const CSV_RISK: [&str; 6] =
    ["risk_target", "risk_target_value", "risk_mean", "risk_met_share", "risk_met_ci95_low", "risk_met_ci95_high"];

fn cost_figures(c: &CostLines) -> [Option<&Figure>; 6] {
    [Some(&c.pay), Some(&c.contacts), Some(&c.overtime), Some(&c.hiring), Some(&c.training), Some(&c.total)]
}

/// One CSV row's cells, column by column.
#[derive(Default)]
struct CsvRow<'a> {
    fixed: [String; 5],
    volume: Option<f64>,
    aht_s: Option<f64>,
    handled: Option<f64>,
    handled_share: Option<f64>,
    cover: Option<f64>,
    heads: Option<&'a Heads>,
    leavers: Option<&'a Figure>,
    cost: Option<&'a CostLines>,
    cost_per_contact: Option<&'a Figure>,
    service: Option<&'a crate::plan::Service>,
    risk: Option<&'a PlanRisk>,
}

impl CsvRow<'_> {
    fn cells(&self) -> Vec<String> {
        let opt = |x: Option<f64>| x.map_or(String::new(), |x| x.to_string());
        let mut cells: Vec<String> = self.fixed.to_vec();
        cells.extend([self.volume, self.aht_s, self.handled, self.handled_share, self.cover].map(opt));
        cells.extend([self.heads.map(|h| h.required_fte), self.heads.map(|h| h.required_headcount)].map(opt));
        let of_heads = self.heads.map_or([None; 5], |h| {
            [Some(&h.headcount), Some(&h.available), Some(&h.gap), Some(&h.overtime_hours), Some(&h.hires)]
        });
        let cost = self.cost.map_or([None; 6], cost_figures);
        for f in of_heads.into_iter().chain([self.leavers]).chain(cost).chain([self.cost_per_contact]) {
            figure_columns(&mut cells, f);
        }
        let s = self.service;
        let service = [
            s.map(|s| s.handled),
            s.and_then(|s| s.abandoned),
            s.and_then(|s| s.service_level),
            s.and_then(|s| s.asa_s),
            s.and_then(|s| s.abandon_rate),
            s.and_then(|s| s.occupancy),
            s.and_then(|s| s.response_time_s),
            s.and_then(|s| s.peak_backlog),
            s.map(|s| s.agent_hours),
        ];
        for f in service {
            figure_columns(&mut cells, f.as_ref());
        }
        for key in CSV_TARGETS {
            let share = s.and_then(|s| s.targets.shares().find(|(t, _)| t.key == key).map(|x| x.1));
            cells.extend([
                opt(share.map(|x| x.met_share)),
                opt(share.map(|x| x.met_ci95[0])),
                opt(share.map(|x| x.met_ci95[1])),
            ]);
        }
        match self.risk {
            Some(r) => cells.extend([
                r.target.to_string(),
                r.target_value.to_string(),
                r.mean.to_string(),
                r.met_share.to_string(),
                r.met_ci95[0].to_string(),
                r.met_ci95[1].to_string(),
            ]),
            None => cells.extend(std::iter::repeat_n(String::new(), CSV_RISK.len())),
        }
        cells
    }
}

/// The plan as CSV: a row per group (queue, team, partner, all teams) and
/// period, then one per month and target below it (`risk`); random
/// figures as `_mean`, `_ci95_low`, `_ci95_high`, `_p10`, `_p50`, `_p90`.
pub fn csv(r: &PlanResults) -> String {
    let mut head: Vec<String> =
        ["group", "name", "kind", "period", "partial", "volume", "aht_s", "handled", "handled_share", "cover"]
            .iter()
            .chain(&["required_fte", "required_headcount"])
            .map(|s| s.to_string())
            .collect();
    let stats = ["mean", "ci95_low", "ci95_high", "p10", "p50", "p90"];
    for f in CSV_FIGURES.iter().chain(&CSV_SERVICE) {
        head.extend(stats.map(|x| format!("{f}_{x}")));
    }
    for key in CSV_TARGETS {
        head.extend(["share", "ci95_low", "ci95_high"].map(|x| format!("met_{key}_{x}")));
    }
    head.extend(CSV_RISK.map(String::from));
    let mut out = head.join(",") + "\n";
    let mut push = |row: CsvRow| {
        out.push_str(&row.cells().join(","));
        out.push('\n');
    };
    let fixed = |group: &str, name: &str, s: &Span| {
        [group.to_string(), text(name), s.kind.to_string(), s.label.clone(), s.partial.to_string()]
    };
    for q in &r.queues {
        for (s, x) in r.spans.iter().zip(&q.rows) {
            push(CsvRow {
                fixed: fixed("queue", &q.name, s),
                volume: Some(x.volume),
                aht_s: Some(x.aht_s),
                handled: Some(x.handled),
                service: x.service.as_ref(),
                ..CsvRow::default()
            });
        }
    }
    for t in &r.teams {
        let group = if t.partner { "partner" } else { "team" };
        for (s, x) in r.spans.iter().zip(&t.rows) {
            push(CsvRow {
                fixed: fixed(group, &t.name, s),
                handled: Some(x.handled),
                cover: x.cover,
                heads: Some(&x.heads),
                leavers: Some(&x.leavers),
                cost: Some(&x.cost),
                cost_per_contact: x.cost_per_contact.as_ref(),
                ..CsvRow::default()
            });
        }
    }
    for (s, x) in r.spans.iter().zip(&r.total) {
        push(CsvRow {
            fixed: fixed("all", "all teams", s),
            volume: Some(x.volume),
            handled: Some(x.handled),
            handled_share: x.handled_share,
            cover: x.cover,
            heads: Some(&x.heads),
            cost: Some(&x.cost),
            cost_per_contact: x.cost_per_contact.as_ref(),
            ..CsvRow::default()
        });
    }
    for risk in &r.risks {
        let fixed = ["risk".to_string(), text(&risk.queue), "month".to_string(), risk.month.clone(), "false".into()];
        push(CsvRow { fixed, risk: Some(risk), ..CsvRow::default() });
    }
    // A named currency: one more column, beside every amount.
    if let Some(c) = &r.currency {
        let mut lines: Vec<String> = out.lines().map(String::from).collect();
        for (k, line) in lines.iter_mut().enumerate() {
            line.push(',');
            line.push_str(if k == 0 { "currency" } else { c });
        }
        out = lines.join("\n") + "\n";
    }
    out
}
