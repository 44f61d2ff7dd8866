//! A history laid on the local days of its zone: each day's intervals
//! stepped in real time from local midnight, as the simulator lays a
//! scenario's profile (`model::compile::piecewise_rates`), each with its
//! **slot**, the interval of a 24-hour local day its clock time falls in.
//! A 23-hour day has no value for the slots of the hour that did not
//! happen; on a 25-hour day the repeated hour's two intervals share their
//! slots, whose nominal value is their mean. A day's **nominal** values
//! (one per slot) are what profiles, daily totals and the scenario's
//! `daily` volume speak of.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::series::{Calendar, Series};
use super::ForecastError;

/// Weekday index, Monday 0.
pub(crate) fn weekday(date: Date) -> usize {
    date.weekday().to_monday_zero_offset() as usize
}

/// `date` plus `days` (saturating at jiff's range, which no checked
/// history or horizon reaches).
pub(crate) fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(days.days()).unwrap_or(date)
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    day_number(b) - day_number(a)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub(crate) fn day_number(d: Date) -> i64 {
    let (y, m, day) = (d.year() as i64, d.month() as i64, d.day() as i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One local day: its first instant and its intervals.
#[derive(Debug, Clone)]
pub struct Day {
    /// The local date.
    pub date: Date,
    /// Its weekday, Monday 0.
    pub weekday: usize,
    /// The day's first instant (local midnight, or the first instant after
    /// a gap over midnight).
    pub start: Timestamp,
    /// Intervals in the day: 24 hours' worth, fewer on a 23-hour day, more
    /// on a 25-hour one.
    pub len: usize,
    /// The slot of each interval where it is not simply its index (a day
    /// with a clock change).
    slots: Option<Vec<u16>>,
}

impl Day {
    /// The local day `date` of `zone` cut into `minutes`-minute intervals.
    pub fn new(date: Date, zone: &TimeZone, minutes: u32) -> Result<Day, ForecastError> {
        let out_of_range = || ForecastError::DateRange { date };
        let start = date.to_zoned(zone.clone()).map_err(|_| out_of_range())?;
        let next = add_days(date, 1).to_zoned(zone.clone()).map_err(|_| out_of_range())?;
        let step = minutes as i64 * 60;
        let (a, b) = (start.timestamp().as_second(), next.timestamp().as_second());
        let len = ((b - a).max(0) + step - 1) / step;
        let slot_of = |t: i64| {
            let local = Timestamp::from_second(t).unwrap_or(start.timestamp()).to_zoned(zone.clone());
            ((local.hour() as i64 * 60 + local.minute() as i64) / minutes as i64) as u16
        };
        let regular = b - a == 86_400 && slot_of(a) == 0 && start.offset() == next.offset();
        let slots = (!regular).then(|| (0..len).map(|j| slot_of(a + j * step)).collect());
        Ok(Day { date, weekday: weekday(date), start: start.timestamp(), len: len as usize, slots })
    }

    /// The slot (interval of a 24-hour local day) of interval `j`.
    pub fn slot(&self, j: usize) -> usize {
        match &self.slots {
            Some(s) => s[j] as usize,
            None => j,
        }
    }

    /// Start of interval `j`, `minutes` long.
    pub fn interval_start(&self, j: usize, minutes: u32) -> Timestamp {
        Timestamp::from_second(self.start.as_second() + j as i64 * minutes as i64 * 60).unwrap_or(self.start)
    }

    /// How many intervals of the day fall in each slot (2 for a repeated
    /// hour, 0 for a skipped one).
    pub fn occurrences(&self, slots: usize) -> Vec<u8> {
        let mut n = vec![0u8; slots];
        for j in 0..self.len {
            if let Some(c) = n.get_mut(self.slot(j)) {
                *c = c.saturating_add(1);
            }
        }
        n
    }
}

/// A checked series laid on its local days, with the calendar's special
/// days marked.
#[derive(Debug, Clone)]
pub(crate) struct History<'a> {
    /// The series.
    pub series: &'a Series,
    /// Slots in a 24-hour day (1440 / interval minutes).
    pub slots: usize,
    /// Every local day the history touches, in order, one per date.
    pub days: Vec<Day>,
    /// Series index of each day's first interval (negative when the
    /// history starts later in the day).
    first: Vec<i64>,
    /// Nominal values, days × slots; `None` where nothing was observed.
    nominal: Vec<Option<f64>>,
    /// Each day's nominal total where every slot was observed.
    totals: Vec<Option<f64>>,
    /// Whether each day is a special day of the calendar.
    pub special: Vec<bool>,
}

impl<'a> History<'a> {
    /// `series`, checked, on its local days, with `calendar`'s days marked.
    pub fn new(series: &'a Series, calendar: &Calendar) -> Result<History<'a>, ForecastError> {
        series.check()?;
        if series.offered.is_empty() {
            return Err(ForecastError::Empty { queue: series.queue.clone() });
        }
        let minutes = series.interval_minutes;
        let step = minutes as i64 * 60;
        let slots = (1440 / minutes) as usize;
        let zone = &series.zone;
        let first_date = series.start.to_zoned(zone.clone()).date();
        let last_date = series.interval_start(series.offered.len() - 1).to_zoned(zone.clone()).date();
        let n = days_between(first_date, last_date) as usize + 1;
        let mut days = Vec::with_capacity(n);
        let mut first = Vec::with_capacity(n);
        for i in 0..n {
            let day = Day::new(add_days(first_date, i as i64), zone, minutes)?;
            let offset = day.start.as_second() - series.start.as_second();
            if offset.rem_euclid(step) != 0 {
                return Err(ForecastError::Misaligned {
                    queue: series.queue.clone(),
                    date: day.date,
                    minutes,
                    start: series.start,
                });
            }
            first.push(offset.div_euclid(step));
            days.push(day);
        }
        let mut nominal = vec![None; n * slots];
        let mut sum = vec![0.0; slots];
        let mut count = vec![0u8; slots];
        for (d, day) in days.iter().enumerate() {
            sum.iter_mut().for_each(|s| *s = 0.0);
            count.iter_mut().for_each(|c| *c = 0);
            for j in 0..day.len {
                let idx = first[d] + j as i64;
                let value = usize::try_from(idx).ok().and_then(|i| series.offered.get(i).copied().flatten());
                if let (Some(v), Some(k)) = (value, Some(day.slot(j)).filter(|k| *k < slots)) {
                    sum[k] += v;
                    count[k] += 1;
                }
            }
            for k in 0..slots {
                if count[k] > 0 {
                    nominal[d * slots + k] = Some(sum[k] / count[k] as f64);
                }
            }
        }
        let special = days.iter().map(|d| calendar.get(d.date).is_some()).collect();
        let totals = nominal.chunks(slots).map(|day| day.iter().copied().sum()).collect();
        Ok(History { series, slots, days, first, nominal, totals, special })
    }

    /// The first local date.
    pub fn first_date(&self) -> Date {
        self.days[0].date
    }

    /// Day `d`'s nominal values, one per slot.
    pub fn nominal(&self, d: usize) -> &[Option<f64>] {
        &self.nominal[d * self.slots..(d + 1) * self.slots]
    }

    /// Day `d`'s nominal total, when every slot was observed; `None` for a
    /// day with a gap (23-hour days included: their skipped hour was not).
    pub fn full_total(&self, d: usize) -> Option<f64> {
        self.totals[d]
    }

    /// The value of interval `j` of day `d`, if observed.
    pub fn actual(&self, d: usize, j: usize) -> Option<f64> {
        let idx = self.first[d] + j as i64;
        usize::try_from(idx).ok().and_then(|i| self.series.offered.get(i).copied().flatten())
    }

    /// Whether day `d`'s intervals all lie inside the history (observed or
    /// missing): the day is not cut by the history's start or end.
    pub fn covered(&self, d: usize) -> bool {
        self.first[d] >= 0 && self.first[d] + self.days[d].len as i64 <= self.series.offered.len() as i64
    }

    /// The day index of `date`, if the history touches it.
    pub fn index_of(&self, date: Date) -> Option<usize> {
        usize::try_from(days_between(self.first_date(), date)).ok().filter(|d| *d < self.days.len())
    }
}
