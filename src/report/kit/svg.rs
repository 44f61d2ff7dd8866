//! A small SVG chart writer for the HTML report: a line chart (lines with
//! shaded bands, an optional target line, one tooltip per slot) and a
//! stacked bar chart, each with a title, a legend and labelled axes.
//!
//! Charts know nothing of KPIs: the caller gives values (`None` where
//! undefined, which breaks a line), labels and a tick format. Every chart
//! is [`WIDTH`] × [`HEIGHT`] pixels, scaled by CSS where the page is
//! narrower. Text is escaped; coordinates are written with one decimal and
//! are always finite (values that are not are treated as missing), so the
//! same data give the same bytes. The `<svg>` elements are meant to be
//! inlined in HTML, which needs no namespace declaration.

use std::fmt::Write;

/// Width of every chart, CSS pixels.
pub const WIDTH: f64 = 600.0;
/// Height of every chart, CSS pixels.
pub const HEIGHT: f64 = 250.0;

const LEFT: f64 = 62.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 30.0;
/// Approximate width of one character of the 11 px labels, pixels.
const CHAR_W: f64 = 6.2;
/// At most this many slots get a marker on every point.
const MARKERS_UP_TO: usize = 40;
/// A target more than this many times the data's highest value is named
/// in the legend, not drawn.
const OFF_SCALE: f64 = 3.0;

/// `text` escaped for a text node or a quoted attribute of HTML, SVG or
/// XML (JUnit reports use it too); characters XML 1.0 cannot hold are
/// dropped, tabs and carriage returns become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with one decimal (never `-0.0`).
fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".into()
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The horizontal axis: `slots` evenly spaced positions (intervals or
/// periods), labelled at `ticks` (slot, text).
#[derive(Debug, Clone, PartialEq)]
pub struct XAxis {
    /// Positions along the axis.
    pub slots: usize,
    /// Labelled slots, in order.
    pub ticks: Vec<(usize, String)>,
    /// What the axis counts, under it (`interval start, America/New_York`).
    pub caption: String,
    /// Labels at the slots' centres (periods, categories) rather than at
    /// their starts (intervals of time).
    pub centred: bool,
}

/// The vertical axis: from 0 to a round number above the data (or to
/// `max` when given), ticks written by `format`.
#[derive(Debug, Clone, Copy)]
pub struct YAxis {
    /// Writes a tick's value.
    pub format: fn(f64) -> String,
    /// A fixed top (1 for shares), else one rounded up from the data.
    pub max: Option<f64>,
}

/// One value of a line, with its bands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The value drawn.
    pub value: f64,
    /// The inner band (a confidence interval), low and high.
    pub band: Option<(f64, f64)>,
    /// The outer, lighter band (P10-P90), low and high.
    pub spread: Option<(f64, f64)>,
}

impl Point {
    /// A value without bands.
    pub fn plain(value: f64) -> Self {
        Point { value, band: None, spread: None }
    }

    fn finite(self) -> Option<Self> {
        let pair = |b: Option<(f64, f64)>| b.filter(|(lo, hi)| lo.is_finite() && hi.is_finite());
        self.value.is_finite().then(|| Point { value: self.value, band: pair(self.band), spread: pair(self.spread) })
    }
}

/// One line of a line chart: a value per slot, `None` where undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Its name in the legend.
    pub label: String,
    /// Its colour (CSS).
    pub colour: &'static str,
    /// An SVG dash pattern (`"6 3"`), or solid.
    pub dash: Option<&'static str>,
    /// One entry per slot.
    pub points: Vec<Option<Point>>,
}

/// A horizontal reference line (a target).
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Its value.
    pub value: f64,
    /// Its label, drawn at its right end.
    pub label: String,
}

/// A line chart.
#[derive(Debug, Clone)]
pub struct LineChart {
    /// Title, above the plot.
    pub title: String,
    /// Horizontal axis.
    pub x: XAxis,
    /// Vertical axis.
    pub y: YAxis,
    /// The lines, drawn in order over their bands.
    pub lines: Vec<Line>,
    /// A target line.
    pub target: Option<Reference>,
    /// A tooltip per slot (empty: none).
    pub hover: Vec<String>,
    /// Legend entries for the bands, when drawn: (inner, outer).
    pub band_labels: (Option<String>, Option<String>),
}

/// A run of slots marked behind a chart's lines (an event in force), with
/// its name on hover.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// First slot marked.
    pub first: usize,
    /// Slots marked (at least one).
    pub slots: usize,
    /// What it is, in the tooltip and a legend entry.
    pub label: String,
}

/// One series of a stacked bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    /// Its name in the legend.
    pub label: String,
    /// Its colour (CSS).
    pub colour: &'static str,
    /// One value per category (negative or non-finite values count as 0).
    pub values: Vec<f64>,
}

/// A stacked bar chart.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Title, above the plot.
    pub title: String,
    /// One label per bar.
    pub categories: Vec<String>,
    /// What the categories are, under the axis.
    pub caption: String,
    /// Writes tick and tooltip values.
    pub format: fn(f64) -> String,
    /// The series, stacked bottom up in order.
    pub stacks: Vec<Bars>,
}

/// The plot area and its scales.
struct Plot {
    slots: usize,
    top: f64,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Plot {
    fn new(slots: usize, top: f64) -> Self {
        Plot { slots: slots.max(1), top, x0: LEFT, x1: WIDTH - RIGHT, y0: HEIGHT - BOTTOM, y1: TOP }
    }

    /// The plot below a legend of `rows` rows (one row leaves it as it is).
    fn below_legend(self, rows: usize) -> Self {
        Plot { y1: TOP + LEGEND_ROW * rows.saturating_sub(1) as f64, ..self }
    }

    fn slot_width(&self) -> f64 {
        (self.x1 - self.x0) / self.slots as f64
    }

    /// The centre of slot `i`.
    fn x(&self, i: usize) -> f64 {
        self.x0 + (i as f64 + 0.5) * self.slot_width()
    }

    fn y(&self, v: f64) -> f64 {
        let v = v.clamp(0.0, self.top);
        self.y0 - v / self.top * (self.y0 - self.y1)
    }
}

/// A round step giving about `ticks` steps over `span`: 1, 2 or 5 × 10^k.
pub fn nice_step(span: f64, ticks: f64) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / ticks;
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let factor = match norm {
        n if n <= 1.0 => 1.0,
        n if n <= 2.0 => 2.0,
        n if n <= 5.0 => 5.0,
        _ => 10.0,
    };
    factor * magnitude
}

/// The top of an axis from 0 showing `max`: a multiple of a round step,
/// and its step.
pub fn nice_top(max: f64) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 { max } else { 1.0 };
    let step = nice_step(max, 5.0);
    let top = (max / step - 1e-9).ceil().max(1.0) * step;
    (top, step)
}

fn open_svg(out: &mut String, kind: &str, title: &str) {
    write!(
        out,
        r#"<svg class="chart" data-chart="{kind}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{t}">"#,
        w = num(WIDTH),
        h = num(HEIGHT),
        t = escape(title)
    )
    .expect("write to string");
    write!(out, r#"<text class="title" x="{}" y="17">{}</text>"#, num(LEFT), escape(title)).expect("write to string");
}

/// A legend entry: a swatch (line, dashed line or box) and its label.
enum Swatch {
    Line(&'static str, Option<&'static str>),
    Box(&'static str, f64),
}

/// Height of a row of the legend, pixels.
const LEGEND_ROW: f64 = 14.0;

/// Writes the legend, its entries in rows that stay inside the chart; the
/// number of rows.
fn legend(out: &mut String, entries: &[(Swatch, String)]) -> usize {
    let (mut x, mut y, mut rows) = (LEFT, 36.0, 1);
    for (swatch, label) in entries {
        let width = 22.0 + label.chars().count() as f64 * CHAR_W;
        if x > LEFT && x + width > WIDTH - RIGHT {
            (x, y, rows) = (LEFT, y + LEGEND_ROW, rows + 1);
        }
        match swatch {
            Swatch::Line(colour, dash) => {
                let dash = dash.map_or_else(String::new, |d| format!(r#" stroke-dasharray="{d}""#));
                write!(
                    out,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="2.5"{dash}/>"#,
                    num(x),
                    num(y - 4.0),
                    num(x + 18.0),
                    num(y - 4.0)
                )
            }
            Swatch::Box(colour, opacity) => write!(
                out,
                r#"<rect x="{}" y="{}" width="18" height="9" fill="{colour}" fill-opacity="{opacity}"/>"#,
                num(x),
                num(y - 9.0)
            ),
        }
        .expect("write to string");
        write!(out, r#"<text class="legend" x="{}" y="{}">{}</text>"#, num(x + 22.0), num(y), escape(label))
            .expect("write to string");
        x += width + 14.0;
    }
    rows
}

/// Gridlines and labels of the vertical axis, from 0 to the top.
fn y_axis(out: &mut String, plot: &Plot, step: f64, format: fn(f64) -> String) {
    let steps = (plot.top / step).round() as usize;
    for k in 0..=steps {
        let v = k as f64 * step;
        let y = num(plot.y(v));
        write!(
            out,
            r#"<line class="grid" x1="{}" y1="{y}" x2="{}" y2="{y}"/><text class="tick" x="{}" y="{y}" dy="4" text-anchor="end">{}</text>"#,
            num(plot.x0),
            num(plot.x1),
            num(plot.x0 - 6.0),
            escape(&format(v))
        )
        .expect("write to string");
    }
}

/// The horizontal axis line, ticks and labels, and its caption.
fn x_axis(out: &mut String, plot: &Plot, ticks: &[(usize, String)], caption: &str, centred: bool) {
    write!(
        out,
        r#"<line class="axis" x1="{}" y1="{y}" x2="{}" y2="{y}"/>"#,
        num(plot.x0),
        num(plot.x1),
        y = num(plot.y0)
    )
    .expect("write to string");
    for (slot, label) in ticks.iter().filter(|(s, _)| *s < plot.slots) {
        // A tick marks where its slot starts, or its centre for categories.
        let x = if centred { plot.x(*slot) } else { plot.x0 + *slot as f64 * plot.slot_width() };
        write!(
            out,
            r#"<line class="axis" x1="{x}" y1="{y0}" x2="{x}" y2="{y1}"/><text class="tick" x="{x}" y="{y2}" text-anchor="middle">{}</text>"#,
            escape(label),
            x = num(x),
            y0 = num(plot.y0),
            y1 = num(plot.y0 + 4.0),
            y2 = num(plot.y0 + 15.0),
        )
        .expect("write to string");
    }
    write!(
        out,
        r#"<text class="caption" x="{}" y="{}" text-anchor="end">{}</text>"#,
        num(plot.x1),
        num(HEIGHT - 3.0),
        escape(caption)
    )
    .expect("write to string");
}

/// Runs of consecutive defined points: (first slot, points).
fn runs<T: Copy>(values: &[Option<T>]) -> Vec<(usize, Vec<T>)> {
    let mut runs: Vec<(usize, Vec<T>)> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match (v, runs.last_mut()) {
            (Some(v), Some((start, run))) if *start + run.len() == i => run.push(*v),
            (Some(v), _) => runs.push((i, vec![*v])),
            (None, _) => {}
        }
    }
    runs
}

/// A shaded band between low and high over each run of defined slots.
fn band(out: &mut String, plot: &Plot, values: &[Option<(f64, f64)>], colour: &str, opacity: f64) {
    for (start, run) in runs(values) {
        let d = if run.len() == 1 {
            let (lo, hi) = run[0];
            let half = (plot.slot_width() * 0.3).clamp(1.0, 6.0);
            let (x, y) = (plot.x(start), plot.y(hi));
            format!("M{} {}h{}V{}h-{}Z", num(x - half), num(y), num(2.0 * half), num(plot.y(lo)), num(2.0 * half))
        } else {
            let upper =
                run.iter().enumerate().map(|(k, (_, hi))| format!("{} {}", num(plot.x(start + k)), num(plot.y(*hi))));
            let lower = run
                .iter()
                .enumerate()
                .rev()
                .map(|(k, (lo, _))| format!("{} {}", num(plot.x(start + k)), num(plot.y(*lo))));
            format!("M{}Z", upper.chain(lower).collect::<Vec<_>>().join("L"))
        };
        write!(out, r#"<path class="band" d="{d}" fill="{colour}" fill-opacity="{opacity}"/>"#)
            .expect("write to string");
    }
}

/// A line through each run of defined slots, with markers where the
/// slots are few (or a run is a single point).
fn polyline(out: &mut String, plot: &Plot, line: &Line, values: &[Option<f64>]) {
    let dash = line.dash.map_or_else(String::new, |d| format!(r#" stroke-dasharray="{d}""#));
    for (start, run) in runs(values) {
        let d: Vec<String> =
            run.iter().enumerate().map(|(k, v)| format!("{} {}", num(plot.x(start + k)), num(plot.y(*v)))).collect();
        if run.len() > 1 {
            write!(
                out,
                r#"<path class="series" d="M{}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round"{dash}/>"#,
                d.join("L"),
                line.colour
            )
            .expect("write to string");
        }
        if run.len() == 1 || plot.slots <= MARKERS_UP_TO {
            for (k, v) in run.iter().enumerate() {
                write!(
                    out,
                    r#"<circle class="series" cx="{}" cy="{}" r="3" fill="{}"/>"#,
                    num(plot.x(start + k)),
                    num(plot.y(*v)),
                    line.colour
                )
                .expect("write to string");
            }
        }
    }
}

/// "no data" in the middle of an empty plot.
fn no_data(out: &mut String, plot: &Plot) {
    write!(
        out,
        r#"<text class="empty" x="{}" y="{}" text-anchor="middle">no data</text>"#,
        num((plot.x0 + plot.x1) / 2.0),
        num((plot.y0 + plot.y1) / 2.0)
    )
    .expect("write to string");
}

/// Invisible columns, one per slot, each with its tooltip.
fn hover_columns(out: &mut String, plot: &Plot, hover: &[String]) {
    if hover.is_empty() {
        return;
    }
    // Transparent but painted, so each column catches the pointer.
    out.push_str(r##"<g class="hover" fill="#000" fill-opacity="0">"##);
    let w = num(plot.slot_width());
    for (i, text) in hover.iter().enumerate().take(plot.slots) {
        write!(
            out,
            r#"<rect x="{}" y="{}" width="{w}" height="{}"><title>{}</title></rect>"#,
            num(plot.x0 + i as f64 * plot.slot_width()),
            num(plot.y1),
            num(plot.y0 - plot.y1),
            escape(text)
        )
        .expect("write to string");
    }
    out.push_str("</g>");
}

/// The line chart as an `<svg>` element.
pub fn line_chart(chart: &LineChart) -> String {
    line_chart_marked(chart, &[])
}

/// Shaded columns behind the lines, one per mark, each with its tooltip.
fn marks(out: &mut String, plot: &Plot, marks: &[Mark]) {
    for m in marks.iter().filter(|m| m.first < plot.slots) {
        let slots = m.slots.clamp(1, plot.slots - m.first);
        write!(
            out,
            r##"<rect class="event" x="{}" y="{}" width="{}" height="{}" fill="#e69f00" fill-opacity="0.18"><title>{}</title></rect>"##,
            num(plot.x0 + m.first as f64 * plot.slot_width()),
            num(plot.y1),
            num(slots as f64 * plot.slot_width()),
            num(plot.y0 - plot.y1),
            escape(&m.label)
        )
        .expect("write to string");
    }
}

/// [`line_chart`] with `marked` runs of slots shaded behind the lines (the
/// events in force), named in the legend as "events".
pub fn line_chart_marked(chart: &LineChart, marked: &[Mark]) -> String {
    let lines: Vec<Vec<Option<Point>>> =
        chart.lines.iter().map(|l| l.points.iter().map(|p| p.and_then(Point::finite)).collect()).collect();
    let highest = lines
        .iter()
        .flatten()
        .flatten()
        .flat_map(|p| [Some(p.value), p.band.map(|b| b.1), p.spread.map(|s| s.1)])
        .flatten()
        .fold(0.0f64, f64::max);
    // A target far above the data would flatten it: it is named, not drawn.
    let target = chart.target.as_ref().filter(|t| t.value.is_finite());
    let (target, off_scale) = match (target, chart.y.max) {
        (Some(t), None) if highest > 0.0 && t.value > OFF_SCALE * highest => (None, target),
        (Some(t), Some(max)) if t.value > max => (None, target),
        _ => (target, None),
    };
    let (top, step) = match chart.y.max {
        Some(max) if max.is_finite() && max > 0.0 => (max, nice_step(max, 5.0)),
        _ => nice_top(highest.max(target.map_or(0.0, |t| t.value))),
    };
    let mut out = String::new();
    open_svg(&mut out, "line", &chart.title);
    let mut entries: Vec<(Swatch, String)> =
        chart.lines.iter().map(|l| (Swatch::Line(l.colour, l.dash), l.label.clone())).collect();
    let first = chart.lines.first().map_or("#0072b2", |l| l.colour);
    let has = |f: fn(&Point) -> bool| lines.iter().flatten().flatten().any(f);
    if let (Some(label), true) = (&chart.band_labels.0, has(|p| p.band.is_some())) {
        entries.push((Swatch::Box(first, 0.35), label.clone()));
    }
    if let (Some(label), true) = (&chart.band_labels.1, has(|p| p.spread.is_some())) {
        entries.push((Swatch::Box(first, 0.13), label.clone()));
    }
    if let Some(t) = target {
        entries.push((Swatch::Line("#222", Some("6 4")), t.label.clone()));
    }
    if let Some(t) = off_scale {
        entries.push((Swatch::Line("#222", Some("6 4")), format!("{} (above the scale)", t.label)));
    }
    if !marked.is_empty() {
        entries.push((Swatch::Box("#e69f00", 0.18), "events".to_string()));
    }
    let plot = Plot::new(chart.x.slots, top).below_legend(legend(&mut out, &entries));
    marks(&mut out, &plot, marked);
    y_axis(&mut out, &plot, step, chart.y.format);
    for (line, points) in chart.lines.iter().zip(&lines) {
        let spread: Vec<Option<(f64, f64)>> = points.iter().map(|p| p.and_then(|p| p.spread)).collect();
        band(&mut out, &plot, &spread, line.colour, 0.13);
        let inner: Vec<Option<(f64, f64)>> = points.iter().map(|p| p.and_then(|p| p.band)).collect();
        band(&mut out, &plot, &inner, line.colour, 0.35);
    }
    if let Some(t) = target {
        let y = num(plot.y(t.value));
        write!(
            out,
            r##"<line class="target" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#222" stroke-width="1.5" stroke-dasharray="6 4"/>"##,
            num(plot.x0),
            num(plot.x1)
        )
        .expect("write to string");
    }
    for (line, points) in chart.lines.iter().zip(&lines) {
        let values: Vec<Option<f64>> = points.iter().map(|p| p.map(|p| p.value)).collect();
        polyline(&mut out, &plot, line, &values);
    }
    if lines.iter().flatten().all(Option::is_none) {
        no_data(&mut out, &plot);
    }
    x_axis(&mut out, &plot, &chart.x.ticks, &chart.x.caption, chart.x.centred);
    hover_columns(&mut out, &plot, &chart.hover);
    out.push_str("</svg>");
    out
}

/// Labels for at most about `most` of `n` categories: every k-th.
pub fn thinned(labels: &[String], most: usize) -> Vec<(usize, String)> {
    let every = labels.len().div_ceil(most.max(1)).max(1);
    labels.iter().enumerate().filter(|(i, _)| i % every == 0).map(|(i, l)| (i, l.clone())).collect()
}

/// The stacked bar chart as an `<svg>` element.
pub fn bar_chart(chart: &BarChart) -> String {
    bars(chart, None)
}

/// The stacked bar chart with a whisker on each bar from a low to a high
/// value (`spread`, one per category: the total's P10-P90, say), named
/// `label` in the legend.
pub fn bar_chart_with_spread(chart: &BarChart, spread: &[Option<(f64, f64)>], label: &str) -> String {
    bars(chart, Some((spread, label)))
}

/// Per category, a (low, high) whisker, if any, and the whiskers' legend.
type Whiskers<'a> = (&'a [Option<(f64, f64)>], &'a str);

fn bars(chart: &BarChart, spread: Option<Whiskers>) -> String {
    let n = chart.categories.len();
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let totals: Vec<f64> =
        (0..n).map(|i| chart.stacks.iter().map(|s| clean(s.values.get(i).copied().unwrap_or(0.0))).sum()).collect();
    let whiskers: Vec<Option<(f64, f64)>> = (0..n)
        .map(|i| {
            let (lo, hi) = spread.and_then(|(s, _)| s.get(i).copied().flatten())?;
            (lo.is_finite() && hi.is_finite()).then(|| (clean(lo), clean(hi)))
        })
        .collect();
    let highest = whiskers.iter().flatten().map(|w| w.1).chain(totals.iter().copied()).fold(0.0, f64::max);
    let (top, step) = nice_top(highest);
    let mut out = String::new();
    open_svg(&mut out, "bar", &chart.title);
    let mut entries: Vec<(Swatch, String)> =
        chart.stacks.iter().map(|s| (Swatch::Box(s.colour, 1.0), s.label.clone())).collect();
    if let Some((_, label)) = spread.filter(|_| whiskers.iter().any(Option::is_some)) {
        entries.push((Swatch::Line("#222", None), label.to_string()));
    }
    let plot = Plot::new(n, top).below_legend(legend(&mut out, &entries));
    y_axis(&mut out, &plot, step, chart.format);
    let width = (plot.slot_width() * 0.7).min(48.0);
    for i in 0..n {
        let mut base = 0.0;
        for s in &chart.stacks {
            let v = clean(s.values.get(i).copied().unwrap_or(0.0));
            if v > 0.0 {
                let (y_top, y_base) = (plot.y(base + v), plot.y(base));
                write!(
                    out,
                    r#"<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>"#,
                    num(plot.x(i) - width / 2.0),
                    num(y_top),
                    num(width),
                    num((y_base - y_top).max(0.5)),
                    s.colour,
                    escape(&chart.categories[i]),
                    escape(&s.label),
                    escape(&(chart.format)(v))
                )
                .expect("write to string");
            }
            base += v;
        }
    }
    for (i, w) in whiskers.iter().enumerate() {
        let Some((lo, hi)) = *w else { continue };
        let (x, cap) = (plot.x(i), (width / 4.0).clamp(2.0, 6.0));
        let (y_lo, y_hi) = (num(plot.y(lo)), num(plot.y(hi)));
        write!(
            out,
            r##"<path class="whisker" d="M{x} {y_lo}V{y_hi}M{l} {y_lo}H{r}M{l} {y_hi}H{r}" stroke="#222" stroke-width="1.2" fill="none"><title>{}: {} {}-{}</title></path>"##,
            escape(&chart.categories[i]),
            escape(spread.map_or("", |s| s.1)),
            escape(&(chart.format)(lo)),
            escape(&(chart.format)(hi)),
            x = num(x),
            l = num(x - cap),
            r = num(x + cap),
        )
        .expect("write to string");
    }
    if totals.iter().all(|&t| t == 0.0) {
        no_data(&mut out, &plot);
    }
    x_axis(&mut out, &plot, &thinned(&chart.categories, 10), &chart.caption, true);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percent(x: f64) -> String {
        format!("{:.0}%", x * 100.0)
    }

    fn axis(slots: usize) -> XAxis {
        XAxis {
            slots,
            ticks: vec![(0, "00:00".into()), (slots / 2, "12:00".into())],
            caption: "time".into(),
            centred: false,
        }
    }

    fn chart(lines: Vec<Line>, target: Option<Reference>) -> LineChart {
        LineChart {
            title: "Service level".into(),
            x: axis(48),
            y: YAxis { format: percent, max: Some(1.0) },
            lines,
            target,
            hover: Vec::new(),
            band_labels: (Some("95% CI".into()), Some("P10-P90".into())),
        }
    }

    fn line(points: Vec<Option<Point>>) -> Line {
        Line { label: "mean".into(), colour: "#0072b2", dash: None, points }
    }

    /// Every number in the output (coordinates, values) parses and is finite.
    fn assert_finite_numbers(svg: &str) {
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        for attr in [" x=\"", " y=\"", " cx=\"", " cy=\"", " width=\"", " height=\"", " x1=\"", " y2=\""] {
            for part in svg.split(attr).skip(1) {
                let value = &part[..part.find('"').unwrap()];
                let x: f64 = value.parse().unwrap_or_else(|_| panic!("{attr}{value}"));
                assert!(x.is_finite() && (-1.0..=WIDTH + 1.0).contains(&x), "{attr}{value}");
            }
        }
    }

    #[test]
    fn text_is_escaped_in_titles_labels_and_tooltips() {
        let mut c = chart(vec![line(vec![Some(Point::plain(0.5)); 48])], None);
        c.title = "<script>alert('x')</script> & \"q\"".into();
        c.lines[0].label = "a<b".into();
        c.hover = vec!["</title><b>".into(); 48];
        let svg = line_chart(&c);
        assert!(!svg.contains("<script") && !svg.contains("<b>") && !svg.contains("a<b"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;"));
        assert!(svg.contains("a&lt;b") && svg.contains("&lt;/title&gt;&lt;b&gt;"));
        assert_eq!(escape("plain text"), "plain text");
    }

    #[test]
    fn scales_put_values_where_they_belong() {
        let plot = Plot::new(4, 1.0);
        assert_eq!(plot.y(0.0), HEIGHT - BOTTOM);
        assert_eq!(plot.y(1.0), TOP);
        assert_eq!(plot.y(0.5), (HEIGHT - BOTTOM + TOP) / 2.0);
        let w = (WIDTH - RIGHT - LEFT) / 4.0;
        assert_eq!(plot.x(0), LEFT + w / 2.0);
        assert_eq!(plot.x(3), WIDTH - RIGHT - w / 2.0);
        assert_eq!(nice_step(100.0, 5.0), 20.0);
        assert_eq!(nice_step(7.0, 5.0), 2.0);
        assert_eq!(nice_top(93.0), (100.0, 20.0));
        assert_eq!(nice_top(0.0), (1.0, 0.2));
        assert_eq!(nice_top(f64::NAN), (1.0, 0.2));
        assert_eq!(nice_top(1234.0), (1500.0, 500.0));
        // The target line of 80% lies at 80% of the plot's height.
        let svg = line_chart(&chart(
            vec![line(vec![Some(Point::plain(0.9)); 48])],
            Some(Reference { value: 0.8, label: "target 80%".into() }),
        ));
        let y = num(plot.y(0.8));
        assert!(svg.contains(&format!(r#"class="target" x1="62" y1="{y}""#)), "{svg}");
        assert!(svg.contains(">target 80%<") && svg.contains(">100%<") && svg.contains(">0%<"));
    }

    #[test]
    fn a_target_far_above_the_data_is_named_not_drawn() {
        let mut c = chart(
            vec![line(vec![Some(Point::plain(20.0)); 48])],
            Some(Reference { value: 2500.0, label: "target 2500".into() }),
        );
        c.y = YAxis { format: |x| format!("{x}"), max: None };
        let svg = line_chart(&c);
        assert!(!svg.contains(r#"class="target""#) && svg.contains(">target 2500 (above the scale)<"), "{svg}");
        assert!(svg.contains(">20<") && !svg.contains(">2500<"), "the axis fits the data: {svg}");
        c.target = Some(Reference { value: 50.0, label: "target 50".into() });
        let svg = line_chart(&c);
        assert!(svg.contains(r#"class="target""#) && svg.contains(">50<"), "{svg}");
    }

    #[test]
    fn gaps_break_the_line_and_a_lone_point_gets_a_marker() {
        let mut points = vec![Some(Point::plain(0.5)); 48];
        points[10] = None;
        points[12] = None;
        let svg = line_chart(&chart(vec![line(points)], None));
        // Two runs of several points, and a marker for slot 11 alone.
        assert_eq!(svg.matches(r#"<path class="series""#).count(), 2, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 1);
    }

    #[test]
    fn empty_and_non_finite_series_draw_axes_and_no_numbers_that_are_not() {
        let empty = line_chart(&chart(vec![line(vec![None; 48])], None));
        assert!(empty.contains("no data") && !empty.contains(r#"class="series""#));
        assert_finite_numbers(&empty);
        let none = line_chart(&chart(Vec::new(), None));
        assert!(none.contains("no data"));
        let mut hostile = vec![Some(Point { value: f64::NAN, band: None, spread: None }); 48];
        hostile[1] = Some(Point { value: f64::INFINITY, band: Some((f64::NEG_INFINITY, 1.0)), spread: None });
        hostile[2] = Some(Point { value: 2.0e300, band: Some((0.0, f64::NAN)), spread: Some((1.0, 3.0e300)) });
        hostile[3] = Some(Point { value: -5.0, band: None, spread: None });
        let mut c = chart(vec![line(hostile)], Some(Reference { value: f64::NAN, label: "t".into() }));
        c.y.max = None;
        let svg = line_chart(&c);
        assert_finite_numbers(&svg);
        let zero = XAxis { slots: 0, ticks: Vec::new(), caption: String::new(), centred: false };
        assert_finite_numbers(&line_chart(&LineChart { x: zero, ..chart(Vec::new(), None) }));
        let bars = bar_chart(&BarChart {
            title: "cost".into(),
            categories: vec!["a".into(), "b".into()],
            caption: "day".into(),
            format: percent,
            stacks: vec![Bars { label: "x".into(), colour: "#000", values: vec![f64::NAN, -1.0] }],
        });
        assert!(bars.contains("no data") && !bars.contains(r#"class="bar""#));
        assert_finite_numbers(&bars);
    }

    #[test]
    fn bands_span_low_to_high_and_are_drawn_under_the_line() {
        let p = Point { value: 0.5, band: Some((0.4, 0.6)), spread: Some((0.2, 0.8)) };
        let svg = line_chart(&chart(vec![line(vec![Some(p); 48])], None));
        let plot = Plot::new(48, 1.0);
        let (band_at, line_at) = (svg.find(r#"class="band""#).unwrap(), svg.find(r#"class="series""#).unwrap());
        assert!(band_at < line_at);
        assert_eq!(svg.matches(r#"class="band""#).count(), 2);
        assert!(svg.contains(&format!("M{} {}", num(plot.x(0)), num(plot.y(0.8)))));
        assert!(svg.contains(&format!("L{} {}Z", num(plot.x(0)), num(plot.y(0.4)))));
        assert!(svg.contains(">95% CI<") && svg.contains(">P10-P90<"));
        assert!(svg.starts_with(r#"<svg class="chart" data-chart="line""#) && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"width="600" height="250" viewBox="0 0 600 250""#));
    }

    #[test]
    fn bars_stack_in_order_and_reach_the_total() {
        let c = BarChart {
            title: "Cost by team".into(),
            categories: vec!["Mon".into(), "Tue".into()],
            caption: "day".into(),
            format: |x| format!("{x:.0}"),
            stacks: vec![
                Bars { label: "Dallas".into(), colour: "#0072b2", values: vec![300.0, 100.0] },
                Bars { label: "Manila".into(), colour: "#e69f00", values: vec![100.0, 0.0] },
            ],
        };
        let svg = bar_chart(&c);
        assert_eq!(svg.matches(r#"class="bar""#).count(), 3, "a zero value draws no bar");
        let plot = Plot::new(2, 400.0);
        // Manila's bar on Monday starts at Dallas's top and reaches 400.
        assert!(svg.contains(&format!(r#"y="{}" width"#, num(plot.y(400.0)))));
        assert!(svg.contains("<title>Mon: Manila 100</title>") && svg.contains("<title>Tue: Dallas 100</title>"));
        assert!(svg.contains(">400<"), "{svg}");
    }

    #[test]
    fn a_long_legend_wraps_inside_the_chart_and_the_plot_moves_down() {
        let lines: Vec<Line> = ["required headcount", "available (productive)", "on payroll", "overtime hours"]
            .iter()
            .map(|l| Line { label: l.to_string(), ..line(vec![Some(Point::plain(0.5)); 48]) })
            .collect();
        let svg = line_chart(&chart(lines, None));
        let xs: Vec<f64> = svg
            .split(r#"<text class="legend" x=""#)
            .skip(1)
            .map(|p| p[..p.find('"').unwrap()].parse().unwrap())
            .collect();
        assert!(xs.iter().all(|&x| x < WIDTH - RIGHT), "{xs:?}");
        assert!(svg.contains(r#"<text class="legend" x="84" y="50">"#), "a second row: {svg}");
        // The grid's top line sits below the second row.
        assert!(svg.contains(&format!(r#"y1="{}""#, num(TOP + LEGEND_ROW))), "{svg}");
    }

    #[test]
    fn whiskers_reach_from_low_to_high_and_the_axis_covers_them() {
        let c = BarChart {
            title: "Cost".into(),
            categories: vec!["Jan".into(), "Feb".into()],
            caption: "month".into(),
            format: |x| format!("{x:.0}"),
            stacks: vec![Bars { label: "pay".into(), colour: "#0072b2", values: vec![300.0, 100.0] }],
        };
        let svg = bar_chart_with_spread(&c, &[Some((280.0, 450.0)), None], "P10-P90 of the total");
        assert_eq!(svg.matches(r#"class="whisker""#).count(), 1);
        assert!(svg.contains("<title>Jan: P10-P90 of the total 280-450</title>"), "{svg}");
        assert!(svg.contains(">500<") && svg.contains(">P10-P90 of the total<"), "{svg}");
        assert_eq!(bar_chart(&c), bar_chart_with_spread(&c, &[], "unused"));
    }

    #[test]
    fn labels_are_thinned_to_at_most_about_the_number_asked() {
        let labels: Vec<String> = (0..31).map(|d| format!("d{d}")).collect();
        let kept = thinned(&labels, 10);
        assert_eq!(kept.len(), 8);
        assert_eq!(kept[1], (4, "d4".into()));
        assert_eq!(thinned(&labels[..3], 10).len(), 3);
    }
}
