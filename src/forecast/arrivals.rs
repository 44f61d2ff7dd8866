//! A forecast as the scenario's arrivals and the plan's monthly volumes.
//!
//! A queue's `arrivals` take the forecast's dates exactly: `daily` holds
//! the volume of the first forecast date of each weekday, `profile` the
//! weekdays' profiles averaged by those volumes (per mille of the day, per
//! interval of the scenario, summing the history's intervals), and every
//! date whose volume (to 0.1 contact) or, with [`ProfileMode::Weekday`],
//! whose shares differ get an `override`. Special days always get one,
//! with a comment naming them. The simulator lays `daily × profile` on
//! each local day exactly as the forecast's intervals are laid (see
//! [`super::days`]), so simulating the fragment offers the forecast.
//!
//! The renderers write TOML *fragments* (`[[queue]]` with `name`,
//! `uncertainty` and `[queue.arrivals]`; `[uncertainty]`; `[[plan.queue]]`
//! with `name` and `volume`) for merging into a copy of a scenario.

use std::fmt::Write;

use jiff::civil::Date;

use super::days::{add_days, days_between};
use super::outlook::{FactorSource, QueueForecast};
use super::uncertainty::UncertaintyEstimate;
use super::ForecastError;

/// Scenario interval lengths, minutes.
pub const SCENARIO_MINUTES: [u32; 3] = [15, 30, 60];

/// Which days carry their own profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileMode {
    /// Every date whose weekday's shares differ from the common profile
    /// gets them in its override (exact; longer).
    #[default]
    Weekday,
    /// One profile for every day but special days with a shape of their
    /// own (shorter; weekday shapes averaged).
    Common,
}

/// What to render.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrivalsOptions {
    /// The scenario's interval, minutes (15, 30 or 60; a multiple of the
    /// history's).
    pub interval_minutes: u32,
    /// Which days carry their own profile.
    pub profiles: ProfileMode,
    /// First date (default: the forecast's origin).
    pub from: Option<Date>,
    /// Dates (default: to the forecast's end).
    pub days: Option<usize>,
}

impl ArrivalsOptions {
    /// Options for a scenario of `interval_minutes`, every forecast date.
    pub fn new(interval_minutes: u32) -> Self {
        ArrivalsOptions { interval_minutes, profiles: ProfileMode::default(), from: None, days: None }
    }
}

/// One date's override.
#[derive(Debug, Clone, PartialEq)]
pub struct DateOverride {
    /// The callers' local date.
    pub date: Date,
    /// Its volume, where it differs from `daily`.
    pub volume: Option<f64>,
    /// Its weights (per mille), where they differ from `profile`.
    pub profile: Option<Vec<f64>>,
    /// Why (a special day's label and factor).
    pub note: Option<String>,
}

/// A queue's arrivals for a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueArrivals {
    /// The queue.
    pub queue: String,
    /// The callers' IANA zone (`None` for a zone without a name).
    pub timezone: Option<String>,
    /// The scenario's interval, minutes.
    pub interval_minutes: u32,
    /// First date covered.
    pub from: Date,
    /// Dates covered.
    pub days: usize,
    /// Monday-to-Sunday volumes.
    pub daily: [f64; 7],
    /// Weights per interval of a local day from 00:00, per mille.
    pub profile: Vec<f64>,
    /// Dates that differ.
    pub overrides: Vec<DateOverride>,
}

/// Rounds to `decimals` places.
fn round(x: f64, decimals: i32) -> f64 {
    let p = 10f64.powi(decimals);
    (x * p).round() / p
}

/// Shares per slot of the history summed `group` at a time, per mille,
/// rounded to 4 decimals.
fn weights(shares: &[f64], group: usize) -> Vec<f64> {
    shares.chunks(group).map(|c| round(1000.0 * c.iter().sum::<f64>(), 4)).collect()
}

/// `forecast` as a scenario's arrivals (see the module's notes).
pub fn arrivals(forecast: &QueueForecast, options: &ArrivalsOptions) -> Result<QueueArrivals, ForecastError> {
    let (series, minutes) = (forecast.interval_minutes, options.interval_minutes);
    if !SCENARIO_MINUTES.contains(&minutes) || minutes % series != 0 {
        return Err(ForecastError::ProfileInterval { queue: forecast.queue.clone(), series, minutes });
    }
    let group = (minutes / series) as usize;
    let last = forecast.days.last().map_or(forecast.origin, |d| d.date);
    let from = options.from.unwrap_or(forecast.origin);
    let count = options.days.unwrap_or_else(|| (days_between(from, last) + 1).max(0) as usize);
    let outside =
        |what: String| ForecastError::NotForecast { queue: forecast.queue.clone(), what, first: forecast.origin, last };
    let days: Vec<_> = (0..count)
        .map(|k| {
            let date = add_days(from, k as i64);
            forecast.day(date).ok_or_else(|| outside(format!("{date}")))
        })
        .collect::<Result<_, _>>()?;
    if days.is_empty() {
        return Err(outside("an empty range of dates".to_string()));
    }
    // Each weekday's volume: its first normal date in the range (else in
    // the forecast), else 0.
    let daily: [f64; 7] = std::array::from_fn(|w| {
        let normal = |d: &&super::DayForecast| d.day.weekday == w && d.special.is_none();
        days.iter()
            .copied()
            .find(normal)
            .or_else(|| forecast.days.iter().find(normal))
            .map_or(0.0, |d| round(d.volume, 1))
    });
    let weekday_weights: Vec<Vec<f64>> = forecast.profiles.iter().map(|p| weights(p, group)).collect();
    let volume: f64 = daily.iter().sum();
    let slots = weekday_weights[0].len();
    let profile: Vec<f64> = if volume > 0.0 {
        (0..slots).map(|k| round((0..7).map(|w| daily[w] * weekday_weights[w][k]).sum::<f64>() / volume, 4)).collect()
    } else {
        vec![round(1000.0 / slots as f64, 4); slots]
    };
    let mut overrides = Vec::new();
    for d in &days {
        let w = d.day.weekday;
        let v = round(d.volume, 1);
        let shape = weights(&d.shares, group);
        let own_shape = d.special.as_ref().is_some_and(|s| s.own_shape);
        let reshaped = own_shape || (options.profiles == ProfileMode::Weekday && shape != profile);
        let note = d.special.as_ref().map(|s| {
            let source = match s.source {
                FactorSource::Known => "given".to_string(),
                FactorSource::Learned { days } => format!("learned from {days} past day(s)"),
                FactorSource::Assumed => "assumed: no factor given and no past day with this label".to_string(),
            };
            format!("{}: factor {:.3} ({source})", s.label, s.factor)
        });
        let volume = (v != daily[w] || note.is_some()).then_some(v);
        let profile = (reshaped && shape.iter().any(|x| *x > 0.0)).then_some(shape);
        if volume.is_some() || profile.is_some() {
            overrides.push(DateOverride { date: d.date, volume, profile, note });
        }
    }
    Ok(QueueArrivals {
        queue: forecast.queue.clone(),
        timezone: forecast.zone.iana_name().map(str::to_string),
        interval_minutes: minutes,
        from,
        days: days.len(),
        daily,
        profile,
        overrides,
    })
}

/// A TOML string, quoted and escaped.
fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML float with `decimals` places (always with a point).
fn number(x: f64, decimals: usize) -> String {
    let x = if x.is_finite() && x.abs() >= 0.5 * 10f64.powi(-(decimals as i32)) { x } else { 0.0 };
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

/// A TOML array of numbers, `per_line` to a line when long.
fn array(values: &[f64], decimals: usize, per_line: usize) -> String {
    let cells: Vec<String> = values.iter().map(|v| number(*v, decimals)).collect();
    if cells.len() <= per_line {
        return format!("[{}]", cells.join(", "));
    }
    let lines: Vec<String> = cells.chunks(per_line).map(|c| format!("  {},", c.join(", "))).collect();
    format!("[\n{}\n]", lines.join("\n"))
}

/// A comment line, on one line whatever the text.
fn comment(text: &str) -> String {
    format!("# {}\n", text.replace(['\n', '\r'], " "))
}

/// `queues` as `[[queue]]` fragments (name, `uncertainty` from
/// `uncertainty` where it has the queue, `[queue.arrivals]` with its
/// overrides), then `[uncertainty]` with the correlation.
pub fn render_toml(queues: &[QueueArrivals], uncertainty: Option<&UncertaintyEstimate>) -> String {
    let mut out = String::new();
    out.push_str("# Arrivals forecast by wfmsim, to merge into a scenario's [[queue]] tables of the same name.\n");
    for q in queues {
        let last = add_days(q.from, q.days as i64 - 1);
        out.push('\n');
        out.push_str(&comment(&format!("{}: {} days from {} to {last}", q.queue, q.days, q.from)));
        writeln!(out, "[[queue]]\nname = {}", string(&q.queue)).expect("write to string");
        if let Some(u) = uncertainty.and_then(|u| u.queues.iter().find(|x| x.queue == q.queue)) {
            writeln!(
                out,
                "uncertainty = {{ volume_cv = {}, intraday_cv = {} }}",
                number(u.volume_cv.min(2.0), 4),
                number(u.intraday_cv.min(2.0), 4)
            )
            .expect("write to string");
        }
        out.push_str("\n[queue.arrivals]\n");
        if let Some(tz) = &q.timezone {
            writeln!(out, "timezone = {}", string(tz)).expect("write to string");
        }
        out.push_str("# Monday to Sunday: each weekday's first forecast date; other dates differ below\n");
        writeln!(out, "daily = {}", array(&q.daily, 1, 7)).expect("write to string");
        out.push_str(&comment(&format!(
            "per mille of the day per {}-minute interval from 00:00 local time",
            q.interval_minutes
        )));
        writeln!(out, "profile = {}", array(&q.profile, 4, 8)).expect("write to string");
        for o in &q.overrides {
            out.push('\n');
            if let Some(note) = &o.note {
                out.push_str(&comment(note));
            }
            writeln!(out, "[[queue.arrivals.override]]\ndate = \"{}\"", o.date).expect("write to string");
            if let Some(v) = o.volume {
                writeln!(out, "volume = {}", number(v, 1)).expect("write to string");
            }
            if let Some(p) = &o.profile {
                writeln!(out, "profile = {}", array(p, 4, 8)).expect("write to string");
            }
        }
    }
    if let Some(u) = uncertainty {
        out.push_str("\n[uncertainty]\n");
        out.push_str(&comment(&format!("between every two queues' daily factors, from {} pair(s)", u.pairs)));
        writeln!(out, "correlation = {}", number(u.correlation, 3)).expect("write to string");
    }
    out
}

/// A queue's volume per calendar month, for `[plan]`.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyVolumes {
    /// The queue.
    pub queue: String,
    /// The first month's first day.
    pub start: Date,
    /// Contacts per month.
    pub volumes: Vec<f64>,
}

/// `months` calendar months of `forecast` from the month of `start`, each
/// of which the forecast must cover whole.
pub fn monthly(forecast: &QueueForecast, start: Date, months: usize) -> Result<MonthlyVolumes, ForecastError> {
    let first = start.first_of_month();
    let last = forecast.days.last().map_or(forecast.origin, |d| d.date);
    let mut volumes = Vec::new();
    let mut month = first;
    for _ in 0..months {
        let days = month.days_in_month() as usize;
        let total: Option<f64> = (0..days).map(|k| forecast.day(add_days(month, k as i64)).map(|d| d.total)).sum();
        let total = total.ok_or_else(|| ForecastError::NotForecast {
            queue: forecast.queue.clone(),
            what: format!("month {}-{:02}", month.year(), month.month()),
            first: forecast.origin,
            last,
        })?;
        volumes.push(total);
        month = add_days(month, days as i64);
    }
    Ok(MonthlyVolumes { queue: forecast.queue.clone(), start: first, volumes })
}

/// `volumes` as `[[plan.queue]]` fragments (name and `volume = { monthly
/// = [...] }`).
pub fn render_plan_toml(volumes: &[MonthlyVolumes]) -> String {
    let mut out =
        String::from("# Monthly volumes forecast by wfmsim, to merge into [[plan.queue]] tables of the same name.\n");
    for v in volumes {
        out.push('\n');
        out.push_str(&comment(&format!(
            "{}: {} months from {}-{:02}",
            v.queue,
            v.volumes.len(),
            v.start.year(),
            v.start.month()
        )));
        writeln!(
            out,
            "[[plan.queue]]\nname = {}\nvolume = {{ monthly = {} }}",
            string(&v.queue),
            array(&v.volumes, 1, 6)
        )
        .expect("write to string");
    }
    out
}
