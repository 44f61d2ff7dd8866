//! `wfmsim fit`: reads an interval history and/or contact records, fits
//! handle time and patience per queue, and prints the fits with the
//! `[[queue]]` distributions to paste into a scenario.

use std::path::PathBuf;

use wfmsim::fit;
use wfmsim::history::intervals::{self, IntervalOptions, INTERVAL_MINUTES};
use wfmsim::history::records::{self, RecordOptions};
use wfmsim::history::{presets, Aggregate, Field, Kind, Mapping, TimeReader};
use wfmsim::report;

use super::output::{emit, say};
use super::{Failure, Result};

/// Output formats of `fit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FitFormat {
    /// A readable report ending with the TOML fragment.
    Table,
    /// JSON, with a schema_version.
    Json,
    /// CSV: one figure a row (queue, source, figure, value, low, high).
    Csv,
    /// Markdown.
    Markdown,
}

/// How an interval's duration column aggregates its contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AggregateArg {
    /// The total over the interval's contacts, seconds.
    Sum,
    /// The mean per contact (per answered contact for handle time and
    /// answered waits, per abandoned one for abandoned waits), seconds.
    Mean,
}

impl AggregateArg {
    /// The library's name for it.
    fn aggregate(self) -> Aggregate {
        match self {
            AggregateArg::Sum => Aggregate::Sum,
            AggregateArg::Mean => Aggregate::Mean,
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// Interval history (CSV): one row per queue and interval.
    history: Option<PathBuf>,
    /// Contact records (CSV): one row per contact (arrival, queue,
    /// outcome, wait, handle time).
    #[arg(long, value_name = "FILE")]
    records: Option<PathBuf>,
    /// Columns of a known export: amazon-connect (interval history),
    /// zendesk or five9 (contact records); once per file.
    #[arg(long = "preset", value_name = "NAME")]
    presets: Vec<String>,
    /// A field's column: FIELD=COLUMN, comma-separated or repeated
    /// (offered=Calls Offered,answered=Handled); prefix intervals. or
    /// records. to map one file's field only.
    #[arg(long = "map", value_name = "FIELD=COLUMN,...", value_parser = map_pairs)]
    map: Vec<Vec<(String, String)>>,
    /// A mapping file (TOML) with [intervals] and [records] sections
    /// (see docs/src/history.md).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// IANA time zone of times written without a UTC offset (e.g.
    /// Europe/Berlin); also the zone of the interval of day.
    #[arg(long, value_name = "TZ")]
    timezone: Option<String>,
    /// Whether the history's handle_time is a total per interval or a
    /// mean per answered contact [default: sum].
    #[arg(long, value_enum)]
    handle_time: Option<AggregateArg>,
    /// Whether the history's wait_answered and wait_abandoned are totals
    /// or means per contact [default: sum].
    #[arg(long, value_enum)]
    waits: Option<AggregateArg>,
    /// Threshold of the history's answered_within column, seconds (0 to
    /// 86400), when its name (answered_within_20s) does not give it.
    #[arg(long, value_parser = within)]
    within_s: Option<f64>,
    /// Interval length, minutes (5, 6, 10, 15, 30 or 60), when the
    /// history has one row per queue; otherwise checked against it.
    #[arg(long, value_parser = interval_minutes)]
    interval_minutes: Option<u32>,
    /// strftime format of the times (e.g. "%m/%d/%Y %H:%M") when they are
    /// not RFC 3339 / ISO 8601.
    #[arg(long, value_name = "FORMAT")]
    time_format: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FitFormat::Table)]
    format: FitFormat,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

fn map_pairs(s: &str) -> std::result::Result<Vec<(String, String)>, String> {
    s.split(',')
        .map(|pair| match pair.split_once('=') {
            Some((f, c)) if !f.trim().is_empty() && !c.trim().is_empty() => {
                Ok((f.trim().to_string(), c.trim().to_string()))
            }
            _ => Err(format!("{pair:?} is not FIELD=COLUMN (such as offered=Calls Offered)")),
        })
        .collect()
}

fn within(s: &str) -> std::result::Result<f64, String> {
    let x: f64 = s.parse().map_err(|_| format!("{s:?} is not a number; allowed: seconds from 0 to 86400"))?;
    wfmsim::history::mapping::threshold(x)
}

fn interval_minutes(s: &str) -> std::result::Result<u32, String> {
    match s.parse::<u32>() {
        Ok(m) if INTERVAL_MINUTES.contains(&m) => Ok(m),
        _ => Err(format!("{s:?} is not allowed; allowed: 5, 6, 10, 15, 30 or 60")),
    }
}

/// The mapping of `kind`: wfmsim's own columns, then the presets for it,
/// the mapping file's section, `--map` and the flags.
fn mapping(args: &Args, kind: Kind, file_text: Option<&(String, String)>) -> Result<Mapping> {
    let mut m = Mapping::new(kind);
    for name in &args.presets {
        if let Ok(p) = presets::find(name, kind) {
            m = p;
        }
    }
    if let Some((name, text)) = file_text {
        m.apply_file(text, name).map_err(Failure::bad_input)?;
    }
    let pairs: Vec<(String, String)> = args.map.iter().flatten().cloned().collect();
    m.apply_map(&pairs).map_err(Failure::bad_input)?;
    if let Some(a) = args.handle_time {
        m.handle_time = a.aggregate();
    }
    if let Some(a) = args.waits {
        m.waits = a.aggregate();
    }
    if let Some(w) = args.within_s {
        m.within_s = Some(w);
    }
    if let Some(f) = &args.time_format {
        m.time_format = Some(f.clone());
    }
    Ok(m)
}

/// `wfmsim fit`.
pub fn run(args: &Args) -> Result {
    if args.history.is_none() && args.records.is_none() {
        return Err(Failure::bad_input("give an interval history (HISTORY.csv), --records FILE, or both"));
    }
    for name in &args.presets {
        let kind = presets::PRESETS.iter().find(|p| p.name == name).map(|p| p.kind).ok_or_else(|| {
            Failure::bad_input(format!("--preset {}", presets::find(name, Kind::Intervals).unwrap_err()))
        })?;
        let given = match kind {
            Kind::Intervals => args.history.is_some(),
            Kind::Records => args.records.is_some(),
        };
        if !given {
            let what = if kind == Kind::Records { "--records FILE" } else { "an interval history (HISTORY.csv)" };
            return Err(Failure::bad_input(format!("--preset {name} reads {}: give {what}", kind.noun())));
        }
    }
    for (flag, given) in [
        ("--handle-time", args.handle_time.is_some()),
        ("--waits", args.waits.is_some()),
        ("--within-s", args.within_s.is_some()),
        ("--interval-minutes", args.interval_minutes.is_some()),
    ] {
        if given && args.history.is_none() {
            return Err(Failure::bad_input(format!("{flag} is for an interval history; give HISTORY.csv")));
        }
    }
    for (key, column) in args.map.iter().flatten() {
        let (only, name) = match key.split_once('.') {
            Some(("intervals", f)) => (Some(Kind::Intervals), f),
            Some(("records", f)) => (Some(Kind::Records), f),
            _ => (None, key.as_str()),
        };
        let Some(field) = Field::parse(name) else { continue };
        let given = |k: Kind| match k {
            Kind::Intervals => args.history.is_some(),
            Kind::Records => args.records.is_some(),
        };
        let kinds: Vec<Kind> = [Kind::Intervals, Kind::Records]
            .into_iter()
            .filter(|&k| only.is_none_or(|o| o == k) && Field::of(k).contains(&field))
            .collect();
        if !kinds.is_empty() && !kinds.iter().any(|&k| given(k)) {
            let missing = match kinds[0] {
                Kind::Intervals => "interval history's field, but no interval history (HISTORY.csv) is given",
                Kind::Records => "contact records' field, but no --records FILE is given",
            };
            return Err(Failure::bad_input(format!("--map {key}={column}: {missing}")));
        }
    }
    if args.presets.iter().filter(|n| presets::find(n, Kind::Intervals).is_ok()).count() > 1
        || args.presets.iter().filter(|n| presets::find(n, Kind::Records).is_ok()).count() > 1
    {
        return Err(Failure::bad_input("--preset: one preset per file"));
    }
    let zone = match &args.timezone {
        Some(name) => Some((
            jiff::tz::TimeZone::get(name).map_err(|_| {
                Failure::bad_input(format!("--timezone {name:?} is not an IANA time zone (such as Europe/Berlin)"))
            })?,
            name.clone(),
        )),
        None => None,
    };
    let file_text = match &args.mapping {
        Some(p) => {
            let name = p.display().to_string();
            let text = std::fs::read_to_string(p)
                .map_err(|e| Failure::bad_input(format!("{name}: could not read the mapping file: {e}")))?;
            Some((name, text))
        }
        None => None,
    };
    let history = match &args.history {
        Some(path) => {
            let mapping = mapping(args, Kind::Intervals, file_text.as_ref())?;
            let times = TimeReader::new(zone.clone(), mapping.time_format.clone());
            let options = IntervalOptions { mapping, times, interval_minutes: args.interval_minutes };
            let h = intervals::read_file(path, &options).map_err(Failure::bad_input)?;
            for w in &h.warnings {
                say(&format!("warning: {w}"));
            }
            Some(h)
        }
        None => None,
    };
    let records = match &args.records {
        Some(path) => {
            let mapping = mapping(args, Kind::Records, file_text.as_ref())?;
            let times = TimeReader::new(zone.clone(), mapping.time_format.clone());
            let options = RecordOptions { mapping, times, count_intervals: None };
            Some(records::read_file(path, &options).map_err(Failure::bad_input)?)
        }
        None => None,
    };
    let fitted = fit::fit(history.as_ref(), records.as_ref());
    let text = match args.format {
        FitFormat::Table => report::fit::table(&fitted),
        FitFormat::Json => report::fit::json(&fitted),
        FitFormat::Csv => report::fit::csv(&fitted),
        FitFormat::Markdown => report::fit::markdown(&fitted),
    };
    emit(&text, args.output.as_deref())
}
