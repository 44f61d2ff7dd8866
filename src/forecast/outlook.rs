//! A queue's forecast from an origin: each day's nominal volume (what a
//! scenario's `daily` means), its expected total over the day's real
//! intervals with an interval, its shares per slot, and special days with
//! their factor; intervals, ISO weeks and calendar months derived.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

use super::days::{add_days, days_between, Day, History};
use super::interval::ErrorModel;
use super::method::{Fitted, Method};
use super::series::{Calendar, Series};
use super::smoothing::Params;
use super::{ForecastConfig, ForecastError};

/// Fewest days of history before a forecast.
pub const MIN_HISTORY_DAYS: usize = 28;

/// Where a special day's factor comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FactorSource {
    /// Given in the calendar.
    Known,
    /// The mean, over past days with the same label, of actual / forecast
    /// a day ahead.
    Learned {
        /// Past days behind it.
        days: usize,
    },
    /// No factor given and no past day with its label: 1.
    Assumed,
}

/// A special day in the forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialForecast {
    /// Its label in the calendar.
    pub label: String,
    /// Its volume against a normal day's forecast.
    pub factor: f64,
    /// Where the factor comes from.
    pub source: FactorSource,
    /// Whether its shares come from past days with its label (else the
    /// weekday's).
    pub own_shape: bool,
}

/// One forecast day.
#[derive(Debug, Clone)]
pub struct DayForecast {
    /// The local date.
    pub date: Date,
    /// Days ahead: 1 for the origin.
    pub horizon: usize,
    /// The nominal volume of a 24-hour day (a scenario's `daily` or
    /// `override.volume`), contacts.
    pub volume: f64,
    /// Expected contacts over the day's real intervals (more on a 25-hour
    /// day, fewer on a 23-hour one).
    pub total: f64,
    /// Low end of the interval of `total`, contacts.
    pub low: f64,
    /// High end of the interval of `total`, contacts.
    pub high: f64,
    /// Each slot's share of `volume`.
    pub shares: Arc<[f64]>,
    /// The calendar's special day, if this is one.
    pub special: Option<SpecialForecast>,
    /// The day's intervals.
    pub day: Day,
}

/// One forecast interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalForecast {
    /// Its start.
    pub start: Timestamp,
    /// Its slot: the interval of a 24-hour local day its clock time is in.
    pub slot: usize,
    /// Expected contacts.
    pub mean: f64,
    /// Low end of its interval, contacts.
    pub low: f64,
    /// High end of its interval, contacts.
    pub high: f64,
}

/// A week's or month's total.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodTotal {
    /// `2026-W10` or `2026-03`.
    pub label: String,
    /// Its first forecast day.
    pub start: Date,
    /// Days forecast in it.
    pub days: usize,
    /// Whether the forecast covers the whole period.
    pub complete: bool,
    /// Expected contacts.
    pub total: f64,
    /// Sum of its days' low ends (as if their errors moved together: a
    /// wide bound).
    pub low: f64,
    /// Sum of its days' high ends.
    pub high: f64,
}

/// A queue's forecast.
#[derive(Debug, Clone)]
pub struct QueueForecast {
    /// The queue.
    pub queue: String,
    /// The callers' zone of its days and intervals.
    pub zone: TimeZone,
    /// Interval length, minutes.
    pub interval_minutes: u32,
    /// The method.
    pub method: Method,
    /// The first day forecast.
    pub origin: Date,
    /// Days of history trained on.
    pub history_days: usize,
    /// The days, from the origin.
    pub days: Vec<DayForecast>,
    /// Weekday profiles (shares per slot), Monday first.
    pub profiles: [Arc<[f64]>; 7],
    /// The smoothing model's weekday factors (mean 1 over open weekdays).
    pub weekday_factors: Option<[f64; 7]>,
    /// The smoothing model's parameters.
    pub params: Option<Params>,
    /// Whether a yearly index was fitted.
    pub yearly: bool,
    /// The fit's own errors, behind the intervals.
    pub errors: ErrorModel,
}

impl QueueForecast {
    /// The intervals of `day`: the day's volume spread by its shares, each
    /// with a negative-binomial interval (see [`super::interval`]).
    pub fn intervals(&self, day: &DayForecast) -> Vec<IntervalForecast> {
        let var = self.errors.day_var_at(day.horizon) + self.errors.interval_var;
        (0..day.day.len)
            .map(|j| {
                let slot = day.day.slot(j);
                let mean = day.volume * day.shares.get(slot).copied().unwrap_or(0.0);
                let (low, high) = self.errors.count_interval(mean, var);
                IntervalForecast { start: day.day.interval_start(j, self.interval_minutes), slot, mean, low, high }
            })
            .collect()
    }

    /// Totals by ISO week (Monday to Sunday).
    pub fn weeks(&self) -> Vec<PeriodTotal> {
        self.periods(|d| {
            let w = d.iso_week_date();
            (format!("{}-W{:02}", w.year(), w.week()), 7)
        })
    }

    /// Totals by calendar month.
    pub fn months(&self) -> Vec<PeriodTotal> {
        self.periods(|d| (format!("{}-{:02}", d.year(), d.month()), d.days_in_month() as usize))
    }

    fn periods(&self, key: impl Fn(Date) -> (String, usize)) -> Vec<PeriodTotal> {
        let mut out: BTreeMap<String, PeriodTotal> = BTreeMap::new();
        for d in &self.days {
            let (label, length) = key(d.date);
            let p = out.entry(label.clone()).or_insert(PeriodTotal {
                label,
                start: d.date,
                days: 0,
                complete: false,
                total: 0.0,
                low: 0.0,
                high: 0.0,
            });
            p.days += 1;
            p.complete = p.days == length;
            p.total += d.total;
            p.low += d.low;
            p.high += d.high;
        }
        let mut v: Vec<PeriodTotal> = out.into_values().collect();
        v.sort_by_key(|p| p.start);
        v
    }

    /// The forecast day of `date`.
    pub fn day(&self, date: Date) -> Option<&DayForecast> {
        usize::try_from(days_between(self.origin, date)).ok().and_then(|i| self.days.get(i))
    }
}

/// Forecasts `series` with `method` (see [`ForecastConfig`] for the
/// origin and horizon), the calendar's special days left out of fitting
/// and forecast with their factors.
pub fn forecast(
    series: &Series,
    calendar: &Calendar,
    method: Method,
    config: &ForecastConfig,
) -> Result<QueueForecast, ForecastError> {
    config.check()?;
    let h = History::new(series, calendar)?;
    let last_covered = (0..h.days.len()).rev().find(|d| h.covered(*d));
    let default_origin = last_covered.map_or(0, |d| d + 1);
    let end = match config.origin {
        Some(date) => {
            let i = days_between(h.first_date(), date);
            if i < 0 || i as usize > default_origin {
                return Err(ForecastError::Origin {
                    queue: series.queue.clone(),
                    origin: date,
                    first: h.first_date(),
                    last: add_days(h.first_date(), default_origin as i64),
                });
            }
            i as usize
        }
        None => default_origin,
    };
    if end < MIN_HISTORY_DAYS {
        return Err(ForecastError::TooShort { queue: series.queue.clone(), days: end, needed: MIN_HISTORY_DAYS });
    }
    let fitted = Fitted::fit(&h, end, method, &config.fit).ok_or_else(|| ForecastError::TooShort {
        queue: series.queue.clone(),
        days: end,
        needed: MIN_HISTORY_DAYS,
    })?;
    let origin = add_days(h.first_date(), end as i64);
    let specials = SpecialLessons::learn(&h, &fitted, calendar);
    let days = (0..config.horizon_days)
        .map(|k| {
            let date = add_days(origin, k as i64);
            let target = end + k;
            let day = Day::new(date, &series.zone, series.interval_minutes)?;
            let mut volume = fitted.total(&h, end, target);
            let mut shares = fitted.shares(&h, end, target);
            let special = calendar.get(date).map(|s| {
                let lesson = specials.get(&s.label);
                let (factor, source) = match (s.factor, lesson) {
                    (Some(f), _) => (f, FactorSource::Known),
                    (None, Some(l)) if l.days > 0 => (l.factor, FactorSource::Learned { days: l.days }),
                    _ => (1.0, FactorSource::Assumed),
                };
                let own = lesson.and_then(|l| l.shares.clone());
                volume *= factor;
                if let Some(own) = &own {
                    shares = own.clone();
                }
                SpecialForecast { label: s.label.clone(), factor, source, own_shape: own.is_some() }
            });
            let total: f64 = (0..day.len).map(|j| volume * shares.get(day.slot(j)).copied().unwrap_or(0.0)).sum();
            let (lo, hi) = fitted.errors.ratio_at(k + 1);
            Ok(DayForecast {
                date,
                horizon: k + 1,
                volume,
                total,
                low: total * lo,
                high: total * hi,
                shares,
                special,
                day,
            })
        })
        .collect::<Result<Vec<_>, ForecastError>>()?;
    let smoothing = fitted.smoothing();
    Ok(QueueForecast {
        queue: series.queue.clone(),
        zone: series.zone.clone(),
        interval_minutes: series.interval_minutes,
        method,
        origin,
        history_days: end,
        days,
        profiles: fitted.profiles.weekday.clone(),
        weekday_factors: smoothing.map(|s| s.weekday_factors()),
        params: smoothing.map(|s| s.params),
        yearly: smoothing.is_some_and(|s| s.yearly.is_some()),
        errors: fitted.errors.clone(),
    })
}

/// What past special days teach about future ones with the same label.
struct Lesson {
    /// Mean of actual / forecast a day ahead.
    factor: f64,
    /// Past days behind `factor`.
    days: usize,
    /// Mean shares of the complete ones.
    shares: Option<Arc<[f64]>>,
}

struct SpecialLessons(BTreeMap<String, Lesson>);

impl SpecialLessons {
    fn learn(h: &History, fitted: &Fitted, calendar: &Calendar) -> SpecialLessons {
        let mut ratios: BTreeMap<String, (f64, usize, Vec<f64>, usize)> = BTreeMap::new();
        for (date, special) in calendar.iter() {
            let Some(d) = h.index_of(date).filter(|d| *d < fitted.end) else {
                continue;
            };
            let entry = ratios.entry(special.label.clone()).or_insert((0.0, 0, vec![0.0; h.slots], 0));
            let forecast = fitted.total(h, d, d);
            if let (Some(actual), true) = (fitted.profiles.day_total(h, d), forecast > 0.0) {
                entry.0 += actual / forecast;
                entry.1 += 1;
            }
            if let Some(total) = h.full_total(d).filter(|t| *t > 0.0) {
                for (s, v) in entry.2.iter_mut().zip(h.nominal(d)) {
                    *s += v.unwrap_or(0.0) / total;
                }
                entry.3 += 1;
            }
        }
        SpecialLessons(
            ratios
                .into_iter()
                .map(|(label, (sum, n, shares, complete))| {
                    let shares = (complete > 0).then(|| shares.iter().map(|s| s / complete as f64).collect());
                    (label, Lesson { factor: sum / n.max(1) as f64, days: n, shares })
                })
                .collect(),
        )
    }

    fn get(&self, label: &str) -> Option<&Lesson> {
        self.0.get(label)
    }
}
