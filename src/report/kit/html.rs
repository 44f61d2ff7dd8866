//! The HTML kit: one self-contained page (inline CSS, no script), its
//! header and navigation, tables of cells, colours and axis ticks shared by
//! every document's page.

use std::fmt::Write;

use crate::kpi::Kpi;
use crate::kpi::{format_value, Bound, Target, Unit};
use crate::report::kit::svg::{escape, Point, XAxis};

/// Colours told apart by colour-blind readers (Okabe and Ito), in the
/// order series take them.
pub(crate) const COLOURS: [&str; 7] = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"];

/// The page's style sheet: screen first, then print (A4, a section per
/// page, one chart per row at its own size, colours kept).
const STYLE: &str = "
:root{--ink:#1d232a;--muted:#5b6672;--line:#d5dbe1;--head:#eef1f4;--ok:#dcf1e4;--warn:#fcecc8;--bad:#f8d3c8}
*{box-sizing:border-box}
body{margin:0;background:#eef1f4;color:var(--ink);font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}
main{max-width:1280px;margin:0 auto;padding:20px 28px 36px;background:#fff}
h1{font-size:24px;margin:0 0 6px}
h2{font-size:19px;margin:26px 0 8px;padding-top:14px;border-top:2px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px}
p{margin:4px 0}
.meta,.note{color:var(--muted)}
code{font-size:13px}
nav{margin:10px 0 0;padding:6px 10px;background:var(--head);border-radius:4px}
nav a{color:#0b5394;margin-right:14px}
.charts{display:flex;flex-wrap:wrap;gap:14px 20px;margin:10px 0}
svg.chart{display:block;max-width:100%;height:auto;font-family:inherit;box-shadow:0 0 0 1px var(--line);border-radius:4px;background:#fff}
svg .title{font-size:13px;font-weight:600;fill:var(--ink)}
svg .legend,svg .tick{font-size:11px;fill:#3d4650}
svg .caption,svg .empty{font-size:10.5px;fill:var(--muted)}
svg .grid{stroke:#e4e8ec;stroke-width:1}
svg .axis{stroke:#8a949e;stroke-width:1}
svg .hover rect:hover{fill-opacity:.08}
table{border-collapse:collapse;margin:6px 0 12px;font-variant-numeric:tabular-nums}
th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
thead th{background:var(--head);font-weight:600}
td.ok{background:var(--ok)}td.warn{background:var(--warn)}td.bad{background:var(--bad)}
.scroll{max-width:100%;overflow-x:auto}
footer{margin-top:28px;padding-top:10px;border-top:1px solid var(--line);color:var(--muted);font-size:12.5px}
@page{size:A4;margin:12mm}
@media print{
body{background:#fff;font-size:10pt}
main{max-width:none;padding:0}
nav{display:none}
h2{border-top:none;padding-top:0}
section+section h2{break-before:page}
h2,h3{break-after:avoid}
.charts{display:block}
svg.chart{margin:0 0 8px;box-shadow:none;break-inside:avoid}
svg .hover{display:none}
.scroll{overflow:visible}
tr{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
";

/// A whole page with `title`, ending in a newline.
pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title)
    )
}

/// One table cell: its text and how it is shaded.
pub(crate) struct Cell {
    text: String,
    class: Option<&'static str>,
}

impl Cell {
    /// A plain cell.
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Cell { text: text.into(), class: None }
    }

    /// A cell shaded green when `good`, red when not.
    pub(crate) fn verdict(text: impl Into<String>, good: bool) -> Self {
        Cell { text: text.into(), class: Some(if good { "ok" } else { "bad" }) }
    }

    /// A cell shaded by the chance of missing a target (see [`risk_class`]).
    pub(crate) fn risk(text: impl Into<String>, miss: f64) -> Self {
        Cell { text: text.into(), class: Some(risk_class(miss)) }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::new(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::new(text)
    }
}

/// A table with a header row; every text is escaped.
pub(crate) fn table(out: &mut String, head: &[&str], rows: Vec<Vec<Cell>>) {
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    for h in head {
        write!(out, "<th>{}</th>", escape(h)).expect("write to string");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for c in row {
            match c.class {
                Some(class) => write!(out, "<td class=\"{class}\">{}</td>", escape(&c.text)),
                None => write!(out, "<td>{}</td>", escape(&c.text)),
            }
            .expect("write to string");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// The page's header: `title` and a line of small print per entry of
/// `lines` (text, escaped here).
pub(crate) fn header(out: &mut String, title: &str, lines: &[String]) {
    writeln!(out, "<header>\n<h1>{}</h1>", escape(title)).expect("write to string");
    for line in lines {
        writeln!(out, "<p class=\"meta\">{}</p>", escape(line)).expect("write to string");
    }
    out.push_str("</header>\n");
}

/// Links to the page's sections: (id, label).
pub(crate) fn nav(out: &mut String, links: &[(String, String)]) {
    out.push_str("<nav>");
    for (id, label) in links {
        write!(out, "<a href=\"#{id}\">{}</a>", escape(label)).expect("write to string");
    }
    out.push_str("</nav>\n");
}

/// A KPI's summary as a point: its mean, the 95% CI as the inner band
/// and, with `spread`, P10-P90 as the outer one.
pub(crate) fn point(s: crate::stats::Summary, spread: bool) -> Point {
    Point { value: s.mean, band: s.ci95.map(|[lo, hi]| (lo, hi)), spread: spread.then_some((s.p10, s.p90)) }
}

/// A share as an axis tick: `80%`.
pub(crate) fn tick_percent(x: f64) -> String {
    format!("{}%", short_number(x * 100.0))
}

/// A count as an axis tick.
pub(crate) fn tick_count(x: f64) -> String {
    short_number(x)
}

/// `Mon 23` for `2026-11-23` (the text itself if it is not a date).
pub(crate) fn day_label(date: &str) -> String {
    match date.parse::<jiff::civil::Date>() {
        Ok(d) => {
            let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
            format!("{} {}", names[d.weekday().to_monday_zero_offset() as usize], d.day())
        }
        Err(_) => date.to_string(),
    }
}

/// A time axis over interval starts (RFC 3339 in the reporting zone):
/// each day's start when the intervals span several days (at most about
/// ten labelled), else every third hour.
pub(crate) fn time_axis(starts: &[&str], timezone: &str) -> XAxis {
    let date = |s: &str| s.get(..10).unwrap_or(s).to_string();
    let several_days = starts.first().map(|s| date(s)) != starts.last().map(|s| date(s));
    let ticks: Vec<(usize, String)> = if several_days {
        let firsts: Vec<usize> =
            (0..starts.len()).filter(|&i| i == 0 || date(starts[i]) != date(starts[i - 1])).collect();
        let every = firsts.len().div_ceil(10).max(1);
        firsts.iter().step_by(every).map(|&i| (i, day_label(&date(starts[i])))).collect()
    } else {
        let on_the_hour = |s: &str| {
            s.get(14..16) == Some("00") && s.get(11..13).and_then(|h| h.parse::<u32>().ok()).is_some_and(|h| h % 3 == 0)
        };
        (0..starts.len()).filter(|&i| on_the_hour(starts[i])).map(|i| (i, starts[i][11..16].to_string())).collect()
    };
    XAxis { slots: starts.len(), ticks, caption: format!("interval start, {timezone}"), centred: false }
}

/// A target in words: `SL ≥ 80.0%`, `peak backlog ≤ 2500`.
pub(crate) fn target_words(t: &Target) -> String {
    let op = if t.bound == Bound::AtLeast { "≥" } else { "≤" };
    let name = if t.kpi == Kpi::ServiceLevel { "SL" } else { t.kpi.label() };
    let value = match t.kpi.unit() {
        Unit::Count => short_number(t.value),
        _ => format_value(t.kpi, t.kpi.reported(t.value)),
    };
    format!("{name} {op} {value}")
}

/// How a chance of missing a target is shaded: green when met in at least
/// 90% of replications, amber in at least half, red in fewer.
pub(crate) fn risk_class(miss: f64) -> &'static str {
    if miss <= 0.1 {
        "ok"
    } else if miss <= 0.5 {
        "warn"
    } else {
        "bad"
    }
}

/// A number with at most two decimals and none trailing.
pub(crate) fn short_number(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}
