//! What the history commands share (`fit`, `forecast`, `backtest`,
//! `calibrate`): the flags that say how to read an interval history and
//! contact records ([`ReadArgs`]), their checks, and the reading itself.

use std::path::{Path, PathBuf};

use wfmsim::history::intervals::{self, IntervalHistory, IntervalOptions, INTERVAL_MINUTES};
use wfmsim::history::records::{self, ContactRecords, RecordOptions};
use wfmsim::history::{presets, Aggregate, Field, Kind, Mapping, TimeReader};

use super::output::say;
use super::{Failure, Result};

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

/// How to read the history files: columns, presets, times and units.
#[derive(clap::Args, Debug, Clone)]
pub struct ReadArgs {
    /// Columns of a known export: amazon-connect (interval history),
    /// zendesk or five9 (contact records); once per file.
    #[arg(long = "preset", value_name = "NAME")]
    pub presets: Vec<String>,
    /// A field's column: FIELD=COLUMN, comma-separated or repeated
    /// (offered=Calls Offered,answered=Handled); prefix intervals. or
    /// records. to map one file's field only.
    #[arg(long = "map", value_name = "FIELD=COLUMN,...", value_parser = map_pairs)]
    pub map: Vec<Vec<(String, String)>>,
    /// A mapping file (TOML) with [intervals] and [records] sections
    /// (see docs/src/history.md).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// IANA time zone of times written without a UTC offset (e.g.
    /// Europe/Berlin); also the zone of the interval of day.
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
    /// Whether the history's handle_time is a total per interval or a
    /// mean per answered contact [default: sum].
    #[arg(long, value_enum)]
    pub handle_time: Option<AggregateArg>,
    /// Whether the history's wait_answered and wait_abandoned are totals
    /// or means per contact [default: sum].
    #[arg(long, value_enum)]
    pub waits: Option<AggregateArg>,
    /// Threshold of the history's answered_within column, seconds (0 to
    /// 86400), when its name (answered_within_20s) does not give it.
    #[arg(long, value_parser = within)]
    pub within_s: Option<f64>,
    /// Interval length, minutes (5, 6, 10, 15, 30 or 60), when the
    /// history has one row per queue; otherwise checked against it.
    #[arg(long, value_parser = interval_minutes)]
    pub interval_minutes: Option<u32>,
    /// strftime format of the times (e.g. "%m/%d/%Y %H:%M") when they are
    /// not RFC 3339 / ISO 8601.
    #[arg(long, value_name = "FORMAT")]
    pub time_format: Option<String>,
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

/// The files read.
pub struct Read {
    /// The interval history, where given.
    pub history: Option<IntervalHistory>,
    /// The contact records, where given.
    pub records: Option<ContactRecords>,
    /// The zone of `--timezone`, where given.
    pub zone: Option<jiff::tz::TimeZone>,
}

impl ReadArgs {
    /// The mapping of `kind`: wfmsim's own columns, then the presets for
    /// it, the mapping file's section, `--map` and the flags.
    fn mapping(&self, kind: Kind, file_text: Option<&(String, String)>) -> Result<Mapping> {
        let mut m = Mapping::new(kind);
        for name in &self.presets {
            if let Ok(p) = presets::find(name, kind) {
                m = p;
            }
        }
        if let Some((name, text)) = file_text {
            m.apply_file(text, name).map_err(Failure::bad_input)?;
        }
        let pairs: Vec<(String, String)> = self.map.iter().flatten().cloned().collect();
        m.apply_map(&pairs).map_err(Failure::bad_input)?;
        if let Some(a) = self.handle_time {
            m.handle_time = a.aggregate();
        }
        if let Some(a) = self.waits {
            m.waits = a.aggregate();
        }
        if let Some(w) = self.within_s {
            m.within_s = Some(w);
        }
        if let Some(f) = &self.time_format {
            m.time_format = Some(f.clone());
        }
        Ok(m)
    }

    /// Checks that every flag given has its file, then reads `history`
    /// and `records` (warnings on stderr).
    pub fn read(&self, history: Option<&Path>, records: Option<&Path>) -> Result<Read> {
        if history.is_none() && records.is_none() {
            return Err(Failure::bad_input("give an interval history (HISTORY.csv), --records FILE, or both"));
        }
        let given = |k: Kind| match k {
            Kind::Intervals => history.is_some(),
            Kind::Records => records.is_some(),
        };
        for name in &self.presets {
            let kind = presets::PRESETS.iter().find(|p| p.name == name).map(|p| p.kind).ok_or_else(|| {
                Failure::bad_input(format!("--preset {}", presets::find(name, Kind::Intervals).unwrap_err()))
            })?;
            if !given(kind) {
                let what = if kind == Kind::Records { "--records FILE" } else { "an interval history (HISTORY.csv)" };
                return Err(Failure::bad_input(format!("--preset {name} reads {}: give {what}", kind.noun())));
            }
        }
        for (flag, set) in [
            ("--handle-time", self.handle_time.is_some()),
            ("--waits", self.waits.is_some()),
            ("--within-s", self.within_s.is_some()),
            ("--interval-minutes", self.interval_minutes.is_some()),
        ] {
            if set && history.is_none() {
                return Err(Failure::bad_input(format!("{flag} is for an interval history; give HISTORY.csv")));
            }
        }
        for (key, column) in self.map.iter().flatten() {
            let (only, name) = match key.split_once('.') {
                Some(("intervals", f)) => (Some(Kind::Intervals), f),
                Some(("records", f)) => (Some(Kind::Records), f),
                _ => (None, key.as_str()),
            };
            let Some(field) = Field::parse(name) else { continue };
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
        if self.presets.iter().filter(|n| presets::find(n, Kind::Intervals).is_ok()).count() > 1
            || self.presets.iter().filter(|n| presets::find(n, Kind::Records).is_ok()).count() > 1
        {
            return Err(Failure::bad_input("--preset: one preset per file"));
        }
        let zone = match &self.timezone {
            Some(name) => Some((
                jiff::tz::TimeZone::get(name).map_err(|_| {
                    Failure::bad_input(format!("--timezone {name:?} is not an IANA time zone (such as Europe/Berlin)"))
                })?,
                name.clone(),
            )),
            None => None,
        };
        let file_text = match &self.mapping {
            Some(p) => {
                let name = p.display().to_string();
                let text = super::input::read_text(p, "mapping file")?;
                Some((name, text))
            }
            None => None,
        };
        let history = match history {
            Some(path) => {
                let mapping = self.mapping(Kind::Intervals, file_text.as_ref())?;
                let times = TimeReader::new(zone.clone(), mapping.time_format.clone());
                let options = IntervalOptions { mapping, times, interval_minutes: self.interval_minutes };
                let h = intervals::read_file(path, &options).map_err(Failure::bad_input)?;
                for w in &h.warnings {
                    say(&format!("warning: {w}"));
                }
                Some(h)
            }
            None => None,
        };
        let records = match records {
            Some(path) => {
                let mapping = self.mapping(Kind::Records, file_text.as_ref())?;
                let times = TimeReader::new(zone.clone(), mapping.time_format.clone());
                let options = RecordOptions { mapping, times, count_intervals: None };
                Some(records::read_file(path, &options).map_err(Failure::bad_input)?)
            }
            None => None,
        };
        Ok(Read { history, records, zone: zone.map(|(z, _)| z) })
    }
}
