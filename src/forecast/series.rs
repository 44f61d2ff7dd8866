//! What forecasting reads: one queue's offered contacts per interval
//! ([`Series`]) and the special days left out of fitting ([`Calendar`]).

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::ForecastError;

/// Interval lengths a history may have, minutes (each divides an hour, so
/// a day's intervals and a DST shift of an hour line up).
pub const INTERVAL_MINUTES: [u32; 6] = [5, 6, 10, 15, 30, 60];

/// Most values one series may hold: 20 years of 5-minute intervals.
pub const MAX_VALUES: usize = 20 * 366 * 288;

/// Most contacts offered in one interval.
pub const MAX_OFFERED: f64 = 1e9;

/// One queue's offered contacts per interval.
#[derive(Debug, Clone)]
pub struct Series {
    /// The queue's name, as the scenario names it.
    pub queue: String,
    /// The callers' zone: days, weekdays and intervals of day are local to
    /// it (a 23-hour day skips the hour that did not happen, a 25-hour day
    /// repeats one).
    pub zone: TimeZone,
    /// Length of an interval, minutes: 5, 6, 10, 15, 30 or 60.
    pub interval_minutes: u32,
    /// Start of the first interval, on the zone's local grid of intervals
    /// (a local time that is a whole number of intervals after midnight).
    pub start: Timestamp,
    /// Contacts offered in each interval, in order; `None` where missing (a
    /// gap: left out of fitting, never read as 0).
    pub offered: Vec<Option<f64>>,
}

impl Series {
    /// Checks the interval length, the values and the length, naming the
    /// queue and the first bad value.
    pub fn check(&self) -> Result<(), ForecastError> {
        if !INTERVAL_MINUTES.contains(&self.interval_minutes) {
            return Err(ForecastError::IntervalMinutes { queue: self.queue.clone(), minutes: self.interval_minutes });
        }
        if self.offered.len() > MAX_VALUES {
            return Err(ForecastError::TooLong {
                queue: self.queue.clone(),
                values: self.offered.len(),
                most: MAX_VALUES,
            });
        }
        if let Some((i, v)) = self
            .offered
            .iter()
            .enumerate()
            .find_map(|(i, v)| v.filter(|x| !(0.0..=MAX_OFFERED).contains(x)).map(|x| (i, x)))
        {
            return Err(ForecastError::BadValue { queue: self.queue.clone(), at: self.local_time(i), value: v });
        }
        Ok(())
    }

    /// Start of interval `i` as local time with its offset
    /// (`2026-03-29T03:00:00+02:00`).
    pub fn local_time(&self, i: usize) -> String {
        let t = self.interval_start(i);
        t.display_with_offset(self.zone.to_offset(t)).to_string()
    }

    /// Start of interval `i`.
    pub fn interval_start(&self, i: usize) -> Timestamp {
        let seconds = self.start.as_second() + i as i64 * self.interval_minutes as i64 * 60;
        Timestamp::from_second(seconds).unwrap_or(self.start)
    }
}

/// A special day: a holiday, closure or launch, left out of fitting.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialDay {
    /// What it is (`Christmas Day`); past days with the same label teach a
    /// future one its factor and shape.
    pub label: String,
    /// The day's volume against a normal day's forecast, when known (0 for
    /// a closure, 1.3 for a launch). Without it a future day takes the mean
    /// factor of past days with the same label, else 1.
    pub factor: Option<f64>,
}

/// Special days by local date: left out of fitting and of accuracy
/// measures; a future one is forecast through a date override.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calendar {
    days: BTreeMap<Date, SpecialDay>,
}

impl Calendar {
    /// An empty calendar.
    pub fn new() -> Self {
        Calendar::default()
    }

    /// Marks `date` as `label`, with a known volume `factor` (finite, 0 to
    /// 1000) or none; a date given twice keeps the last.
    pub fn insert(&mut self, date: Date, label: impl Into<String>, factor: Option<f64>) -> Result<(), ForecastError> {
        let label = label.into();
        if let Some(f) = factor.filter(|f| !(f.is_finite() && (0.0..=1000.0).contains(f))) {
            return Err(ForecastError::BadFactor { date, label, factor: f });
        }
        self.days.insert(date, SpecialDay { label, factor });
        Ok(())
    }

    /// The special day on `date`, if any.
    pub fn get(&self, date: Date) -> Option<&SpecialDay> {
        self.days.get(&date)
    }

    /// Every special day, by date.
    pub fn iter(&self) -> impl Iterator<Item = (Date, &SpecialDay)> {
        self.days.iter().map(|(d, s)| (*d, s))
    }
}
