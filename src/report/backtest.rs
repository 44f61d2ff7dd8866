//! A backtest (each queue's [`QueueBacktest`]) as an aligned table, CSV,
//! JSON, Markdown or one self-contained HTML page with actual-against-
//! forecast charts (the SVG kit of [`crate::report::kit::svg`]): per queue every method
//! measured, then the chosen one beside the baseline by horizon, by
//! weekday and by interval of day.

use std::fmt::Write;

use serde::Serialize;

use super::forecast::{local, num, pct, WEEKDAYS};
use crate::forecast::metrics::{Accuracy, Levels, Measures};
use crate::forecast::{Method, QueueBacktest};
use crate::report::kit::csv::text;
use crate::report::kit::html::{
    header, nav, page, table as html_table, tick_count, tick_percent, time_axis, Cell, COLOURS,
};
use crate::report::kit::markdown;
use crate::report::kit::svg::{escape, line_chart, thinned, Line, LineChart, Point, Reference, XAxis, YAxis};
use crate::report::kit::text::{plain, TextTable};

/// Version of the JSON layout.
pub const BACKTEST_VERSION: u32 = 1;

/// The lines above every format's body.
fn heading(backtests: &[QueueBacktest]) -> Vec<String> {
    let level = backtests.first().map_or(0.8, |b| b.level);
    let origins = backtests.iter().map(|b| b.origins.len()).max().unwrap_or(0);
    let horizon = backtests.iter().map(|b| b.horizon_days).max().unwrap_or(0);
    vec![
        format!(
            "Backtest of {} queue(s): up to {origins} rolling origins, {horizon} days ahead from each; {:.0}% intervals",
            backtests.len(),
            100.0 * level
        ),
        "WAPE = sum |A - F| / sum A; MAPE = mean |A - F| / A over A > 0; bias = sum (F - A) / sum A (above 0: \
         forecasts high); coverage = share of actuals inside their interval. Each method is fitted to the days \
         before each origin only; special days and missing values are left out."
            .to_string(),
    ]
}

/// A queue's title line.
fn title(b: &QueueBacktest) -> String {
    let (first, last) = (b.origins.first(), b.origins.last());
    let span = match (first, last) {
        (Some(f), Some(l)) => format!("{} origins from {f} to {l}", b.origins.len()),
        _ => "no origin".to_string(),
    };
    format!("Queue {}: chosen {} (least interval WAPE), baseline {}; {span}", plain(&b.queue), b.chosen, b.baseline)
}

fn method_label(b: &QueueBacktest, m: Method) -> String {
    match (m == b.chosen, m == b.baseline) {
        (true, true) => format!("{m} (chosen, baseline)"),
        (true, false) => format!("{m} (chosen)"),
        (false, true) => format!("{m} (baseline)"),
        _ => m.to_string(),
    }
}

const METHOD_HEAD: [&str; 9] = [
    "method",
    "day WAPE",
    "day MAPE",
    "day bias",
    "day coverage",
    "interval WAPE",
    "interval MAPE",
    "interval bias",
    "interval coverage",
];

fn method_rows(b: &QueueBacktest) -> Vec<Vec<String>> {
    b.methods
        .iter()
        .map(|(m, a)| {
            let (d, i) = (&a.overall.days, &a.overall.intervals);
            vec![
                method_label(b, *m),
                pct(d.wape()),
                pct(d.mape()),
                pct(d.bias()),
                pct(d.coverage()),
                pct(i.wape()),
                pct(i.mape()),
                pct(i.bias()),
                pct(i.coverage()),
            ]
        })
        .collect()
}

const BREAKDOWN_HEAD: [&str; 9] = [
    "day WAPE",
    "baseline",
    "day MAPE",
    "day bias",
    "day coverage",
    "interval WAPE",
    "baseline",
    "interval bias",
    "interval coverage",
];

/// Rows of the chosen method's `levels` beside the baseline's, keyed.
fn breakdown_rows(keys: &[String], chosen: &[Levels], baseline: &[Levels]) -> Vec<Vec<String>> {
    keys.iter()
        .zip(chosen.iter().zip(baseline))
        .filter(|(_, (c, _))| c.days.n + c.intervals.n > 0)
        .map(|(k, (c, b))| {
            vec![
                k.clone(),
                pct(c.days.wape()),
                pct(b.days.wape()),
                pct(c.days.mape()),
                pct(c.days.bias()),
                pct(c.days.coverage()),
                pct(c.intervals.wape()),
                pct(b.intervals.wape()),
                pct(c.intervals.bias()),
                pct(c.intervals.coverage()),
            ]
        })
        .collect()
}

/// The local clock time a slot starts at, `HH:MM`.
fn slot_time(slot: usize, minutes: u32) -> String {
    let m = slot * minutes as usize;
    format!("{:02}:{:02}", m / 60, m % 60)
}

const SLOT_HEAD: [&str; 5] = ["interval", "WAPE", "baseline", "bias", "coverage"];

fn slot_rows(b: &QueueBacktest, chosen: &Accuracy, baseline: &Accuracy) -> Vec<Vec<String>> {
    chosen
        .by_slot
        .iter()
        .zip(&baseline.by_slot)
        .enumerate()
        .filter(|(_, (c, _))| c.actual > 0.0)
        .map(|(k, (c, base))| {
            vec![slot_time(k, b.interval_minutes), pct(c.wape()), pct(base.wape()), pct(c.bias()), pct(c.coverage())]
        })
        .collect()
}

/// The chosen method's and the baseline's accuracy.
fn pair(b: &QueueBacktest) -> (&Accuracy, &Accuracy) {
    let chosen = b.accuracy(b.chosen).expect("the chosen method is measured");
    let baseline = b.accuracy(b.baseline).expect("the baseline is measured");
    (chosen, baseline)
}

fn horizon_keys(b: &QueueBacktest) -> Vec<String> {
    (1..=b.horizon_days).map(|h| h.to_string()).collect()
}

fn weekday_keys() -> Vec<String> {
    WEEKDAYS.iter().map(|d| d.to_string()).collect()
}

/// One table of a report: its title, column names and rows.
type Section = (String, Vec<&'static str>, Vec<Vec<String>>);

/// Every table of a queue, in order.
fn sections(b: &QueueBacktest) -> Vec<Section> {
    let (chosen, baseline) = pair(b);
    let head = |first: &'static str| std::iter::once(first).chain(BREAKDOWN_HEAD).collect::<Vec<_>>();
    vec![
        ("Methods".to_string(), METHOD_HEAD.to_vec(), method_rows(b)),
        (
            format!("{} beside {} by days ahead", b.chosen, b.baseline),
            head("ahead"),
            breakdown_rows(&horizon_keys(b), &chosen.by_horizon, &baseline.by_horizon),
        ),
        (
            format!("{} beside {} by weekday", b.chosen, b.baseline),
            head("day"),
            breakdown_rows(&weekday_keys(), &chosen.by_weekday, &baseline.by_weekday),
        ),
        (
            format!("{} beside {} by interval of day (local clock)", b.chosen, b.baseline),
            SLOT_HEAD.to_vec(),
            slot_rows(b, chosen, baseline),
        ),
    ]
}

/// The backtest as aligned text.
pub fn table(backtests: &[QueueBacktest]) -> String {
    let mut out = heading(backtests).join("\n") + "\n";
    for b in backtests {
        writeln!(out, "\n{}", title(b)).expect("write to string");
        for (name, head, rows) in sections(b) {
            writeln!(out, "\n  {name}").expect("write to string");
            let mut t = TextTable::default();
            t.header(&head);
            for r in rows {
                t.row(r);
            }
            t.render("  ", &mut out);
        }
    }
    out
}

/// The backtest as Markdown tables.
pub fn markdown(backtests: &[QueueBacktest]) -> String {
    let lines = heading(backtests);
    let mut out = format!(
        "## {}\n\n{}\n",
        crate::report::kit::markdown::inline(&lines[0]),
        crate::report::kit::markdown::inline(&lines[1])
    );
    for b in backtests {
        writeln!(out, "\n### {}", crate::report::kit::markdown::inline(&title(b))).expect("write to string");
        for (name, head, rows) in sections(b) {
            writeln!(out, "\n#### {}\n", crate::report::kit::markdown::inline(&name.to_string()))
                .expect("write to string");
            markdown::header(&mut out, &head);
            for r in rows {
                markdown::row(&mut out, &r);
            }
        }
    }
    out
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| x.to_string())
}

/// The backtest as CSV, one row per queue, method, breakdown (overall,
/// horizon, weekday, slot), key and level (day or interval). Names are
/// guarded against spreadsheet formulas.
pub fn csv(backtests: &[QueueBacktest]) -> String {
    let mut out = String::from("queue,method,chosen,breakdown,key,level,n,actual,forecast,wape,mape,bias,coverage\n");
    for b in backtests {
        let q = text(&b.queue);
        for (m, a) in &b.methods {
            let mut row = |breakdown: &str, key: String, level: &str, x: &Measures| {
                if x.n == 0 {
                    return;
                }
                writeln!(
                    out,
                    "{q},{m},{},{breakdown},{key},{level},{},{},{},{},{},{},{}",
                    *m == b.chosen,
                    x.n,
                    x.actual,
                    x.forecast,
                    opt(x.wape()),
                    opt(x.mape()),
                    opt(x.bias()),
                    opt(x.coverage())
                )
                .expect("write to string");
            };
            let mut levels = |breakdown: &str, key: String, l: &Levels| {
                row(breakdown, key.clone(), "day", &l.days);
                row(breakdown, key, "interval", &l.intervals);
            };
            levels("overall", String::new(), &a.overall);
            for (h, l) in a.by_horizon.iter().enumerate() {
                levels("horizon", (h + 1).to_string(), l);
            }
            for (w, l) in a.by_weekday.iter().enumerate() {
                levels("weekday", WEEKDAYS[w].to_string(), l);
            }
            for (k, x) in a.by_slot.iter().enumerate() {
                row("slot", slot_time(k, b.interval_minutes), "interval", x);
            }
        }
    }
    out
}

#[derive(Serialize)]
struct Json<'a> {
    backtest_version: u32,
    queues: Vec<QueueJson<'a>>,
}

#[derive(Serialize)]
struct QueueJson<'a> {
    queue: &'a str,
    zone: Option<&'a str>,
    interval_minutes: u32,
    horizon_days: usize,
    level: f64,
    origins: Vec<String>,
    chosen: Method,
    baseline: Method,
    methods: Vec<MethodJson>,
    days: Vec<DayJson>,
}

#[derive(Serialize)]
struct MethodJson {
    method: Method,
    overall: LevelsJson,
    by_horizon: Vec<LevelsJson>,
    by_weekday: Vec<LevelsJson>,
    by_slot: Vec<SlotJson>,
}

#[derive(Serialize)]
struct LevelsJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    horizon: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weekday: Option<&'static str>,
    day: MeasuresJson,
    interval: MeasuresJson,
}

#[derive(Serialize)]
struct SlotJson {
    start: String,
    #[serde(flatten)]
    measures: MeasuresJson,
}

#[derive(Serialize)]
struct MeasuresJson {
    n: usize,
    actual: f64,
    forecast: f64,
    wape: Option<f64>,
    mape: Option<f64>,
    bias: Option<f64>,
    coverage: Option<f64>,
}

#[derive(Serialize)]
struct DayJson {
    origin: String,
    date: String,
    horizon: usize,
    actual: Option<f64>,
    forecast: f64,
    low: f64,
    high: f64,
    baseline: f64,
}

fn measures_json(m: &Measures) -> MeasuresJson {
    MeasuresJson {
        n: m.n,
        actual: m.actual,
        forecast: m.forecast,
        wape: m.wape(),
        mape: m.mape(),
        bias: m.bias(),
        coverage: m.coverage(),
    }
}

fn levels_json(l: &Levels, horizon: Option<usize>, weekday: Option<&'static str>) -> LevelsJson {
    LevelsJson { horizon, weekday, day: measures_json(&l.days), interval: measures_json(&l.intervals) }
}

/// The backtest as JSON (`backtest_version` 1): per queue every method's
/// measures and every day forecast.
pub fn json(backtests: &[QueueBacktest]) -> String {
    let queues = backtests
        .iter()
        .map(|b| QueueJson {
            queue: &b.queue,
            zone: b.zone.iana_name(),
            interval_minutes: b.interval_minutes,
            horizon_days: b.horizon_days,
            level: b.level,
            origins: b.origins.iter().map(|d| d.to_string()).collect(),
            chosen: b.chosen,
            baseline: b.baseline,
            methods: b
                .methods
                .iter()
                .map(|(m, a)| MethodJson {
                    method: *m,
                    overall: levels_json(&a.overall, None, None),
                    by_horizon: a
                        .by_horizon
                        .iter()
                        .enumerate()
                        .map(|(h, l)| levels_json(l, Some(h + 1), None))
                        .collect(),
                    by_weekday: a
                        .by_weekday
                        .iter()
                        .enumerate()
                        .map(|(w, l)| levels_json(l, None, Some(WEEKDAYS[w])))
                        .collect(),
                    by_slot: a
                        .by_slot
                        .iter()
                        .enumerate()
                        .map(|(k, x)| SlotJson { start: slot_time(k, b.interval_minutes), measures: measures_json(x) })
                        .collect(),
                })
                .collect(),
            days: b
                .days
                .iter()
                .map(|d| DayJson {
                    origin: d.origin.to_string(),
                    date: d.date.to_string(),
                    horizon: d.horizon,
                    actual: d.actual,
                    forecast: d.forecast,
                    low: d.low,
                    high: d.high,
                    baseline: d.baseline,
                })
                .collect(),
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&Json { backtest_version: BACKTEST_VERSION, queues })
        .expect("backtest serializes");
    s.push('\n');
    s
}

/// A category axis over `labels`, at most about ten labelled.
fn category_axis(labels: &[String], caption: &str) -> XAxis {
    XAxis { slots: labels.len(), ticks: thinned(labels, 10), caption: caption.to_string(), centred: true }
}

/// One point of an actual-against-forecast chart.
struct Versus {
    /// Its name in the tooltip.
    name: String,
    actual: Option<f64>,
    forecast: f64,
    low: f64,
    high: f64,
    baseline: f64,
}

/// The actual line, the chosen method's with its interval and the
/// baseline's, dashed.
fn versus_chart(b: &QueueBacktest, title: String, x: XAxis, points: &[Versus], decimals: usize) -> String {
    let chart = LineChart {
        title,
        x,
        y: YAxis { format: tick_count, max: None },
        lines: vec![
            Line {
                label: "actual".into(),
                colour: COLOURS[6],
                dash: None,
                points: points.iter().map(|p| p.actual.map(Point::plain)).collect(),
            },
            Line {
                label: b.chosen.to_string(),
                colour: COLOURS[0],
                dash: None,
                points: points
                    .iter()
                    .map(|p| Some(Point { value: p.forecast, band: Some((p.low, p.high)), spread: None }))
                    .collect(),
            },
            Line {
                label: b.baseline.to_string(),
                colour: COLOURS[1],
                dash: Some("6 3"),
                points: points.iter().map(|p| Some(Point::plain(p.baseline))).collect(),
            },
        ],
        target: None,
        hover: points
            .iter()
            .map(|p| {
                format!(
                    "{}: actual {}, {} {} ({}-{}), {} {}",
                    p.name,
                    p.actual.map_or("-".to_string(), |a| num(a, 0)),
                    b.chosen,
                    num(p.forecast, decimals),
                    num(p.low, 0),
                    num(p.high, 0),
                    b.baseline,
                    num(p.baseline, decimals)
                )
            })
            .collect(),
        band_labels: (Some(format!("{:.0}% interval", 100.0 * b.level)), None),
    };
    line_chart(&chart)
}

/// Actual against forecast, one day ahead, over the origins.
fn daily_chart(b: &QueueBacktest) -> String {
    let points: Vec<Versus> = b
        .days
        .iter()
        .filter(|d| d.horizon == 1)
        .map(|d| Versus {
            name: d.date.to_string(),
            actual: d.actual,
            forecast: d.forecast,
            low: d.low,
            high: d.high,
            baseline: d.baseline,
        })
        .collect();
    let labels: Vec<String> = points.iter().map(|p| p.name.clone()).collect();
    let mut axis = category_axis(&labels, "first day forecast from each origin");
    axis.ticks = thinned(&labels, 6);
    versus_chart(b, "Daily contacts one day ahead: actual against forecast".to_string(), axis, &points, 0)
}

/// A measure of the chosen method and the baseline along `keys`.
fn measure_chart(
    title: &str,
    caption: &str,
    keys: Vec<String>,
    values: Vec<(Option<f64>, Option<f64>)>,
    names: (Method, Method),
    target: Option<Reference>,
) -> String {
    let chart = LineChart {
        title: title.to_string(),
        x: category_axis(&keys, caption),
        y: YAxis { format: tick_percent, max: if target.is_some() { Some(1.0) } else { None } },
        lines: vec![
            Line {
                label: names.0.to_string(),
                colour: COLOURS[0],
                dash: None,
                points: values.iter().map(|v| v.0.map(Point::plain)).collect(),
            },
            Line {
                label: names.1.to_string(),
                colour: COLOURS[1],
                dash: Some("6 3"),
                points: values.iter().map(|v| v.1.map(Point::plain)).collect(),
            },
        ],
        target,
        hover: keys
            .iter()
            .zip(&values)
            .map(|(k, (a, b))| format!("{k}: {} {}, {} {}", names.0, pct(*a), names.1, pct(*b)))
            .collect(),
        band_labels: (None, None),
    };
    line_chart(&chart)
}

/// The last origin's first day, interval by interval.
fn intraday_chart(b: &QueueBacktest) -> Option<String> {
    let (date, records) = b.first_days.last()?;
    let starts: Vec<String> = records.iter().map(|r| local(r.start, &b.zone)).collect();
    let refs: Vec<&str> = starts.iter().map(String::as_str).collect();
    let x = time_axis(&refs, b.zone.iana_name().unwrap_or("local time"));
    let points: Vec<Versus> = records
        .iter()
        .zip(&starts)
        .map(|(r, s)| Versus {
            name: s[11..16].to_string(),
            actual: r.actual,
            forecast: r.forecast,
            low: r.low,
            high: r.high,
            baseline: r.baseline,
        })
        .collect();
    let title = format!("{date}, one day ahead: actual against forecast by interval");
    Some(versus_chart(b, title, x, &points, 1))
}

/// A queue's charts.
fn charts(b: &QueueBacktest) -> String {
    let (chosen, baseline) = pair(b);
    let names = (b.chosen, b.baseline);
    let horizons: Vec<(Option<f64>, Option<f64>)> =
        chosen.by_horizon.iter().zip(&baseline.by_horizon).map(|(c, x)| (c.days.wape(), x.days.wape())).collect();
    let coverage: Vec<(Option<f64>, Option<f64>)> =
        chosen.by_horizon.iter().map(|c| (c.days.coverage(), c.intervals.coverage())).collect();
    let slots: Vec<usize> = (0..chosen.by_slot.len()).filter(|k| chosen.by_slot[*k].actual > 0.0).collect();
    let slot_values = slots.iter().map(|k| (chosen.by_slot[*k].wape(), baseline.by_slot[*k].wape())).collect();
    let slot_keys = slots.iter().map(|k| slot_time(*k, b.interval_minutes)).collect();
    let mut out = String::from("<div class=\"charts\">\n");
    out.push_str(&daily_chart(b));
    out.push_str(&measure_chart("Daily WAPE by days ahead", "days ahead", horizon_keys(b), horizons, names, None));
    out.push_str(&measure_chart(
        "Interval WAPE by interval of day",
        "interval of day (local clock)",
        slot_keys,
        slot_values,
        names,
        None,
    ));
    if let Some(c) = intraday_chart(b) {
        out.push_str(&c);
    }
    // Coverage of the chosen method: days (first line) and intervals.
    let chart = LineChart {
        title: format!("{}: share of actuals inside the interval by days ahead", b.chosen),
        x: category_axis(&horizon_keys(b), "days ahead"),
        y: YAxis { format: tick_percent, max: Some(1.0) },
        lines: vec![
            Line {
                label: "days".into(),
                colour: COLOURS[0],
                dash: None,
                points: coverage.iter().map(|c| c.0.map(Point::plain)).collect(),
            },
            Line {
                label: "intervals".into(),
                colour: COLOURS[2],
                dash: None,
                points: coverage.iter().map(|c| c.1.map(Point::plain)).collect(),
            },
        ],
        target: Some(Reference { value: b.level, label: format!("{:.0}% aimed at", 100.0 * b.level) }),
        hover: horizon_keys(b)
            .iter()
            .zip(&coverage)
            .map(|(h, (d, i))| format!("{h} day(s) ahead: days {}, intervals {}", pct(*d), pct(*i)))
            .collect(),
        band_labels: (None, None),
    };
    out.push_str(&line_chart(&chart));
    out.push_str("</div>\n");
    out
}

/// The backtest as one self-contained HTML page: per queue its charts
/// (actual against forecast one day ahead and by interval, WAPE by days
/// ahead and by interval of day, coverage) and tables.
pub fn html(backtests: &[QueueBacktest]) -> String {
    let lines = heading(backtests);
    let mut body = String::new();
    header(&mut body, &lines[0], &lines[1..]);
    let links: Vec<(String, String)> =
        backtests.iter().enumerate().map(|(i, b)| (format!("q{i}"), b.queue.clone())).collect();
    nav(&mut body, &links);
    for (i, b) in backtests.iter().enumerate() {
        writeln!(body, "<section id=\"q{i}\">\n<h2>{}</h2>", escape(&title(b))).expect("write to string");
        body.push_str(&charts(b));
        for (name, head, rows) in sections(b) {
            writeln!(body, "<h3>{}</h3>", escape(&name)).expect("write to string");
            html_table(&mut body, &head, rows.into_iter().map(|r| r.into_iter().map(Cell::new).collect()).collect());
        }
        body.push_str("</section>\n");
    }
    page("wfmsim backtest", &body)
}
