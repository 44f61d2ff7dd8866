//! `wfmsim forecast`: reads an interval history, chooses each queue's
//! method by a rolling-origin backtest, forecasts daily volumes and
//! intraday profiles for a horizon (hours, days, weeks or months), and
//! prints the forecast or writes it as a scenario: into a copy of a given
//! scenario (`--into`), or as a fragment (`--format toml`). With
//! `--actuals-until` the history's last day is today so far: the rest of
//! today is reforecast from it.

use std::path::{Path, PathBuf};

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use wfmsim::fit;
use wfmsim::forecast::arrivals::{self, ArrivalsOptions, MonthlyVolumes, ProfileMode};
use wfmsim::forecast::reforecast::{reforecast, Reforecast};
use wfmsim::forecast::{self, BacktestConfig, Calendar, Config, ForecastConfig, QueueForecast, Series};
use wfmsim::history::intervals::IntervalHistory;
use wfmsim::report;

use super::history::{self as hist, ReadArgs};
use super::output::{emit, say};
use super::{Failure, Result};

/// Output formats of `forecast`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ForecastFormat {
    /// Aligned tables: days, weeks, months and the [uncertainty] estimate.
    Table,
    /// JSON, with a schema_version.
    Json,
    /// CSV: one row per queue and day; per interval too with --intervals.
    Csv,
    /// Markdown.
    Markdown,
    /// A scenario fragment (TOML): [[queue]] arrivals and uncertainty,
    /// fitted distributions with --records, [uncertainty], and
    /// [[plan.queue]] volumes with --plan.
    Toml,
}

/// Which days carry their own profile in the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProfilesArg {
    /// Every date whose weekday's shape differs gets its own (exact).
    Weekday,
    /// One common profile; only special days keep their own (shorter).
    Common,
}

#[derive(clap::Args)]
pub struct Args {
    /// Interval history (CSV): one row per queue and interval.
    history: PathBuf,
    /// Contact records (CSV): their fitted handle time and patience go
    /// into the scenario (--into or --format toml).
    #[arg(long, value_name = "FILE")]
    records: Option<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
    /// How far to forecast: a number and a unit, h (hours from the end
    /// of the history), d (days), w (weeks) or m (whole calendar months),
    /// such as 6h, 14d, 8w, 18m.
    #[arg(long, default_value = "28d", value_parser = parse_horizon)]
    horizon: Horizon,
    /// The first day forecast (YYYY-MM-DD) [default: the day the history
    /// ends in: the day after its last full day].
    #[arg(long, value_name = "DATE")]
    from: Option<Date>,
    /// Special days (CSV: date,label,factor): left out of fitting and
    /// forecast through date overrides.
    #[arg(long, value_name = "FILE")]
    special_days: Option<PathBuf>,
    /// Rolling origins of the backtest that chooses each queue's method
    /// (1 to 520).
    #[arg(long, default_value_t = 52, value_parser = clap::value_parser!(u32).range(1..=520))]
    origins: u32,
    /// Today's actuals end here: the history's rows up to this time are
    /// today so far, and the rest of today is reforecast from them. HH:MM
    /// (local time of the history's last day) or RFC 3339.
    #[arg(long, value_name = "TIME")]
    actuals_until: Option<String>,
    /// Write the forecast into a copy of this scenario (its teams,
    /// targets and shifts kept) and print that scenario.
    #[arg(long, value_name = "SCENARIO", conflicts_with = "format")]
    into: Option<PathBuf>,
    /// Also the capacity plan's monthly volumes: into the scenario's
    /// [[plan.queue]] (--into; for its [plan] months), or as
    /// [[plan.queue]] fragments (--format toml; for the horizon's whole
    /// months).
    #[arg(long)]
    plan: bool,
    /// The scenario's interval, minutes (15, 30 or 60) [default: the
    /// scenario's with --into, else the least that the history's divides].
    #[arg(long, value_name = "MINUTES", value_parser = scenario_minutes, conflicts_with = "into")]
    scenario_interval: Option<u32>,
    /// Which dates carry their own intraday profile in the scenario.
    #[arg(long, value_enum, default_value_t = ProfilesArg::Weekday)]
    profiles: ProfilesArg,
    /// CSV and JSON: every interval, not only days.
    #[arg(long)]
    intervals: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ForecastFormat::Table)]
    format: ForecastFormat,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// A forecast's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Horizon {
    /// Hours from the end of the history.
    Hours(u32),
    /// Days from the first day forecast.
    Days(u32),
    /// Whole calendar months (the first day forecast's month when it is
    /// its first day, else the next).
    Months(u32),
}

fn parse_horizon(s: &str) -> std::result::Result<Horizon, String> {
    let bad = || format!("{s:?}; allowed: a number and h, d, w or m (6h, 14d, 8w, 18m), up to 1200 days");
    let t = s.trim();
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: u32 = n.parse().map_err(|_| bad())?;
    let h = match unit {
        "h" if (1..=28_800).contains(&n) => Horizon::Hours(n),
        "d" if (1..=1200).contains(&n) => Horizon::Days(n),
        "w" if (1..=171).contains(&n) => Horizon::Days(7 * n),
        "m" if (1..=36).contains(&n) => Horizon::Months(n),
        _ => return Err(bad()),
    };
    Ok(h)
}

fn scenario_minutes(s: &str) -> std::result::Result<u32, String> {
    match s.parse::<u32>() {
        Ok(m) if arrivals::SCENARIO_MINUTES.contains(&m) => Ok(m),
        _ => Err(format!("{s:?} is not allowed; allowed: 15, 30 or 60")),
    }
}

/// Each queue's offered contacts as forecasting reads them, days local to
/// `zone`.
pub fn series(history: &IntervalHistory, zone: &TimeZone) -> Vec<Series> {
    history
        .queues
        .iter()
        .map(|q| {
            let s = q.series(history.interval_minutes, |r| wfmsim::history::intervals::known(r.offered));
            Series {
                queue: q.name.clone(),
                zone: zone.clone(),
                interval_minutes: s.interval_minutes,
                start: s.start,
                offered: s.values,
            }
        })
        .collect()
}

/// The special-days calendar of `path`, or an empty one.
pub fn calendar(path: Option<&Path>) -> Result<Calendar> {
    let Some(path) = path else { return Ok(Calendar::new()) };
    let name = path.display().to_string();
    let text = super::input::read_text(path, "special days")?;
    wfmsim::history::calendar::read(&text, &name).map_err(Failure::bad_input)
}

/// The zone of the history's days: `--timezone`, else the scenario's,
/// else UTC (said on stderr).
pub fn zone(read: &hist::Read, scenario: Option<&TimeZone>) -> TimeZone {
    match (&read.zone, scenario) {
        (Some(z), _) | (None, Some(z)) => z.clone(),
        (None, None) => {
            say("note: days and intervals of day are UTC's; give --timezone for the callers' local days");
            TimeZone::UTC
        }
    }
}

/// The end of the history (the end of its last interval).
fn history_end(series: &[Series]) -> Option<Timestamp> {
    series
        .iter()
        .map(|s| s.start.as_second() + s.offered.len() as i64 * s.interval_minutes as i64 * 60)
        .max()
        .and_then(|t| Timestamp::from_second(t).ok())
}

/// `--actuals-until`: an instant, from HH:MM on the history's last day or
/// RFC 3339.
fn until(text: &str, end: Timestamp, zone: &TimeZone) -> Result<Timestamp> {
    let bad = || {
        Failure::bad_input(format!(
            "--actuals-until {text:?}; allowed: HH:MM (local time of the history's last day) or RFC 3339 (2026-03-02T11:30:00+01:00)"
        ))
    };
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let time: Time = text.parse().map_err(|_| bad())?;
    let last = Timestamp::from_second(end.as_second() - 1).map_err(|_| bad())?.to_zoned(zone.clone()).date();
    last.to_datetime(time).to_zoned(zone.clone()).map(|z| z.timestamp()).map_err(|_| bad())
}

/// Drops every interval of `s` not over by `t`; returns how many held a
/// value.
fn cut(s: &mut Series, t: Timestamp) -> usize {
    let step = s.interval_minutes as i64 * 60;
    let keep = ((t.as_second() - s.start.as_second()) / step).clamp(0, s.offered.len() as i64) as usize;
    s.offered.drain(keep..).filter(Option::is_some).count()
}

/// The days forecast from `origin` for `horizon` (hours from `end`).
fn horizon_days(horizon: Horizon, origin: Date, end: Timestamp, zone: &TimeZone) -> Result<usize> {
    let days = match horizon {
        Horizon::Days(n) => n as i64,
        Horizon::Hours(n) => {
            let last = Timestamp::from_second(end.as_second() + n as i64 * 3600 - 1)
                .map_err(|_| Failure::bad_input("--horizon runs past the year 9999"))?;
            days_since(origin, last.to_zoned(zone.clone()).date()) + 1
        }
        Horizon::Months(n) => {
            let first = if origin.day() == 1 { origin } else { next_month(origin) };
            let mut end = first;
            for _ in 0..n {
                end = next_month(end);
            }
            days_since(origin, end)
        }
    };
    if !(1..=forecast::MAX_HORIZON_DAYS as i64).contains(&days) {
        return Err(Failure::bad_input(format!(
            "--horizon: {days} days from {origin}; allowed: 1 to {} days",
            forecast::MAX_HORIZON_DAYS
        )));
    }
    Ok(days as usize)
}

fn days_since(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |s| s.get_days() as i64)
}

fn next_month(d: Date) -> Date {
    d.first_of_month().checked_add(1.month()).unwrap_or(d)
}

/// A scenario's interval, minutes: the least of 15, 30 and 60 that the
/// history's interval divides.
fn default_minutes(history_minutes: u32) -> u32 {
    arrivals::SCENARIO_MINUTES.into_iter().find(|m| m % history_minutes == 0).unwrap_or(60)
}

/// The scenario given with `--into`: its text and compiled model.
struct Target {
    source: wfmsim::input::Source,
    model: wfmsim::model::Model,
    plan: Option<wfmsim::model::plan::Plan>,
}

/// `wfmsim forecast`.
pub fn run(args: &Args) -> Result {
    let toml_out = args.into.is_some() || args.format == ForecastFormat::Toml;
    if args.records.is_some() && !toml_out {
        return Err(Failure::bad_input(
            "--records gives the scenario its fitted handle time and patience: use it with --into or --format toml",
        ));
    }
    if args.plan && !toml_out {
        return Err(Failure::bad_input("--plan writes [[plan.queue]] volumes: use it with --into or --format toml"));
    }
    if args.intervals && !matches!(args.format, ForecastFormat::Csv | ForecastFormat::Json) {
        return Err(Failure::bad_input("--intervals is for --format csv or json"));
    }
    let target = match &args.into {
        Some(path) => {
            let source = super::scenario::read(path)?;
            let compiled = source.compile(&[])?;
            super::scenario::print_warnings(&source.name, &compiled.warnings);
            Some(Target { source, model: compiled.model, plan: compiled.plan })
        }
        None => None,
    };
    let read = args.read.read(Some(&args.history), args.records.as_deref())?;
    let history = read.history.as_ref().expect("a history is always read");
    let zone = zone(&read, target.as_ref().map(|t| &t.model.timezone));
    let calendar = calendar(args.special_days.as_deref())?;
    let mut series = series(history, &zone);
    let end = history_end(&series).ok_or_else(|| Failure::bad_input("the history has no intervals"))?;
    let today = match &args.actuals_until {
        Some(text) => {
            let t = until(text, end, &zone)?;
            let dropped: usize = series.iter_mut().map(|s| cut(s, t)).sum();
            if dropped > 0 {
                say(&format!("note: {dropped} interval(s) of the history after --actuals-until {text} left out"));
            }
            Some((t, t.to_zoned(zone.clone()).date()))
        }
        None => None,
    };
    let end = today.map_or(end, |(t, _)| t);
    let origin = match (args.from, today) {
        (Some(d), Some((_, day))) if d != day => {
            return Err(Failure::bad_input(format!(
                "--from {d}: with --actuals-until the forecast starts on today, {day}"
            )))
        }
        (Some(d), _) => d,
        (None, Some((_, day))) => day,
        (None, None) => end.to_zoned(zone.clone()).date(),
    };
    let mut days = horizon_days(args.horizon, origin, end, &zone)?;
    // The plan's months must be forecast whole.
    if let (true, Some(plan)) = (args.plan, target.as_ref().and_then(|t| t.plan.as_ref())) {
        let last = plan.months.last().map(|m| m.date.checked_add((m.days as i64 - 1).days()).unwrap_or(m.date));
        if let Some(last) = last {
            if plan.months[0].date < origin {
                return Err(Failure::bad_input(format!(
                    "--plan: the scenario's [plan] starts {}, before the forecast's first day {origin}",
                    plan.months[0].date
                )));
            }
            days = days.max(days_since(origin, last) as usize + 1);
        }
    }
    let minutes = match (&target, args.scenario_interval) {
        (Some(t), _) => (t.model.interval_s / 60.0).round() as u32,
        (None, Some(m)) => m,
        (None, None) => default_minutes(history.interval_minutes),
    };
    let config = Config {
        forecast: ForecastConfig { horizon_days: days, origin: Some(origin), ..ForecastConfig::default() },
        backtest: BacktestConfig { origins: args.origins as usize, ..BacktestConfig::default() },
        scenario_interval_minutes: (minutes % history.interval_minutes == 0).then_some(minutes),
    };
    let mut outcome = forecast::run(&series, &calendar, &config).map_err(Failure::bad_input)?;
    let reforecasts = match today {
        Some((t, day)) => Some(update_today(&mut outcome.forecasts, &series, t, day)?),
        None => None,
    };
    let text = if toml_out {
        let queues: Vec<_> = outcome
            .forecasts
            .iter()
            .map(|f| {
                let options = ArrivalsOptions {
                    profiles: match args.profiles {
                        ProfilesArg::Weekday => ProfileMode::Weekday,
                        ProfilesArg::Common => ProfileMode::Common,
                    },
                    ..ArrivalsOptions::new(minutes)
                };
                arrivals::arrivals(f, &options)
            })
            .collect::<std::result::Result<_, _>>()
            .map_err(Failure::bad_input)?;
        let mut fragment = arrivals::render_toml(&queues, Some(&outcome.uncertainty));
        let distributions = read.records.as_ref().map(|r| fit::fragment::render(&fit::fit(None, Some(r))));
        let plan = if args.plan { Some(plan_volumes(&outcome.forecasts, target.as_ref(), origin)?) } else { None };
        match &target {
            Some(t) => {
                let edit = fit::scenario::Edit {
                    arrivals: Some(&fragment),
                    distributions: distributions.as_deref(),
                    plan: plan.as_deref(),
                    days: Some((origin, days)),
                };
                let edited =
                    fit::scenario::write_into(&t.source.text, &t.source.name, &edit).map_err(Failure::bad_input)?;
                for n in &edited.notes {
                    say(&format!("note: {n}"));
                }
                // What is written must run as it is.
                wfmsim::input::compile(&edited.text, &t.source.name).map_err(|e| {
                    Failure::run(anyhow::anyhow!("the scenario with the forecast does not compile: {e}"))
                })?;
                edited.text
            }
            None => {
                if let Some(d) = distributions {
                    fragment.push('\n');
                    fragment.push_str(&d);
                }
                if let Some(p) = plan {
                    fragment.push('\n');
                    fragment.push_str(&p);
                }
                fragment
            }
        }
    } else {
        let f = &outcome.forecasts;
        let u = Some(&outcome.uncertainty);
        let mut text = match args.format {
            ForecastFormat::Table => report::forecast::table(f, u),
            ForecastFormat::Markdown => report::forecast::markdown(f, u),
            ForecastFormat::Csv => report::forecast::csv(f, args.intervals),
            ForecastFormat::Json => report::forecast::json(f, u, args.intervals),
            ForecastFormat::Toml => unreachable!("written above"),
        };
        if let (Some(r), ForecastFormat::Table | ForecastFormat::Markdown) = (&reforecasts, args.format) {
            text = format!("{}\n{text}", report::reforecast::table(r));
        }
        text
    };
    emit(&text, args.output.as_deref())
}

/// Reforecasts `day` of every forecast from its actuals before `until`
/// and lays the day's new volume on the forecast (the rest of the day's
/// intervals as the reforecast says; the day's total and interval its).
fn update_today(
    forecasts: &mut [QueueForecast],
    series: &[Series],
    until: Timestamp,
    day: Date,
) -> Result<Vec<Reforecast>> {
    let mut out = Vec::with_capacity(forecasts.len());
    for (f, s) in forecasts.iter_mut().zip(series) {
        let Some(d) = f.day(day) else { continue };
        let step = s.interval_minutes as i64 * 60;
        let actuals: Vec<Option<f64>> = (0..d.day.len)
            .map(|j| d.day.interval_start(j, s.interval_minutes))
            .take_while(|start| start.as_second() + step <= until.as_second())
            .map(|start| {
                let i = (start.as_second() - s.start.as_second()).div_euclid(step);
                usize::try_from(i).ok().and_then(|i| s.offered.get(i).copied().flatten())
            })
            .collect();
        let r = reforecast(f, day, &actuals).map_err(Failure::bad_input)?;
        if let Some(d) = f.days.iter_mut().find(|d| d.date == day) {
            d.volume *= r.factor;
            d.total = r.total;
            d.low = r.low;
            d.high = r.high;
        }
        out.push(r);
    }
    Ok(out)
}

/// The plan's monthly volumes as `[[plan.queue]]` fragments: the
/// scenario's [plan] months, else every whole month of the forecast.
fn plan_volumes(forecasts: &[QueueForecast], target: Option<&Target>, origin: Date) -> Result<String> {
    let (start, months) = match target {
        Some(t) => {
            let plan = t.plan.as_ref().ok_or_else(|| {
                Failure::bad_input(format!("--plan: {} has no [plan] to take the monthly volumes", t.source.name))
            })?;
            (plan.months[0].date, plan.months.len())
        }
        None => {
            let first = if origin.day() == 1 { origin } else { next_month(origin) };
            let last = forecasts.iter().filter_map(|f| f.days.last().map(|d| d.date)).min().unwrap_or(origin);
            let mut n = 0;
            let mut m = first;
            while next_month(m).checked_sub(1.day()).is_ok_and(|e| e <= last) {
                n += 1;
                m = next_month(m);
            }
            if n == 0 {
                return Err(Failure::bad_input(format!(
                    "--plan: the forecast from {origin} to {last} holds no whole month; give a longer --horizon (such as 12m)"
                )));
            }
            (first, n)
        }
    };
    let volumes: Vec<MonthlyVolumes> = forecasts
        .iter()
        .map(|f| arrivals::monthly(f, start, months))
        .collect::<std::result::Result<_, _>>()
        .map_err(Failure::bad_input)?;
    Ok(arrivals::render_plan_toml(&volumes))
}
