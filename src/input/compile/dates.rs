//! Date overrides of a queue's arrival pattern: `override = [{ date,
//! volume, profile }]` in `arrivals` gives one local date of the callers
//! its own volume (spread by the day's usual shape), its own intraday
//! profile (with the day's usual volume), or both, without copying the
//! pattern.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::Compiler;
use crate::diagnostic::shown;
use crate::input::written::ArrivalsSpec;
use crate::model::{MAX_PROFILE_WEIGHT, MAX_RATE_PER_HOUR};

/// A rate per hour by weekday (Monday = 0) and interval of the local day.
pub(super) type WeeklyShape = Box<dyn Fn(usize, usize) -> f64>;
/// A rate per hour by local date and interval of that day.
pub(super) type DatedShape = Box<dyn Fn(Date, usize) -> f64>;

/// Most contacts of one day: a day at the highest rate, 25 hours long.
const MAX_DAY_VOLUME: f64 = MAX_RATE_PER_HOUR * 25.0;

/// One date's override: its volume, its profile, or both.
type DayOverride = (Option<f64>, Option<Vec<f64>>);

impl Compiler<'_> {
    /// The weekly shape with queue `i`'s date overrides laid over it;
    /// `None` when an override has a problem.
    pub(super) fn date_overrides(
        &mut self,
        i: usize,
        spec: &ArrivalsSpec,
        base: WeeklyShape,
        minutes: Option<i64>,
    ) -> Option<DatedShape> {
        let weekday = |d: Date| d.weekday().to_monday_zero_offset() as usize;
        let days = self.override_days(i, spec, minutes)?;
        if days.is_empty() {
            return Some(Box::new(move |d, k| base(weekday(d), k)));
        }
        let hours = minutes? as f64 / 60.0;
        let per_day = (1440 / minutes?) as usize;
        // The pattern's own volume of each weekday, over its nominal intervals.
        let usual: Vec<f64> = (0..7).map(|w| (0..per_day).map(|k| base(w, k)).sum::<f64>() * hours).collect();
        for (k, (date, o)) in days.iter().enumerate() {
            if matches!(o, (Some(v), None) if *v > 0.0 && usual[weekday(*date)] == 0.0) {
                let message = format!(
                    "scales a {:?} with no contacts in the pattern; give the day's profile too",
                    date.weekday()
                );
                self.p.at(spec.overrides[k].span(), format!("queue[{i}].arrivals.override[{k}]"), message);
                return None;
            }
        }
        let rate = move |d: Date, k: usize, o: &DayOverride| -> f64 {
            let w = weekday(d);
            match o {
                (Some(v), None) if usual[w] > 0.0 => base(w, k) * v / usual[w],
                (Some(_), None) => 0.0,
                (v, Some(p)) => v.unwrap_or(usual[w]) * p[k] / p.iter().sum::<f64>() / hours,
                (None, None) => base(w, k),
            }
        };
        for (k, (date, o)) in days.iter().enumerate() {
            let peak = (0..per_day).map(|j| rate(*date, j, o)).fold(0.0, f64::max);
            if peak > MAX_RATE_PER_HOUR {
                let message = format!(
                    "peaks at {} contacts per hour on {date}; allowed: at most {MAX_RATE_PER_HOUR:e} contacts per hour per queue",
                    shown(peak.round())
                );
                self.p.at(spec.overrides[k].span(), format!("queue[{i}].arrivals.override[{k}]"), message);
                return None;
            }
        }
        let by_date: BTreeMap<Date, DayOverride> = days.into_iter().collect();
        Some(Box::new(move |d, k| match by_date.get(&d) {
            Some(o) => rate(d, k, o),
            None => rate(d, k, &(None, None)),
        }))
    }

    /// The overrides as written, in file order, each date once.
    fn override_days(
        &mut self,
        i: usize,
        spec: &ArrivalsSpec,
        minutes: Option<i64>,
    ) -> Option<Vec<(Date, DayOverride)>> {
        let per_day = minutes.map(|m| (1440 / m) as usize);
        let mut out: Vec<(Date, DayOverride)> = Vec::new();
        let mut ok = true;
        for (k, o) in spec.overrides.iter().enumerate() {
            let f = |key: &str| format!("queue[{i}].arrivals.override[{k}].{key}");
            let spec = o.get_ref();
            let date = self.date(&spec.date, &f("date"));
            let volume = match &spec.volume {
                Some(v) => {
                    let allowed = format!("contacts from 0 to {MAX_DAY_VOLUME:e}");
                    self.number_in(v, &f("volume"), 0.0, MAX_DAY_VOLUME, &allowed).map(Some)
                }
                None => Some(None),
            };
            let profile = match &spec.profile {
                Some(p) => self.rates(p, &f("profile"), per_day, "profile weight", MAX_PROFILE_WEIGHT).map(Some),
                None => Some(None),
            };
            if spec.volume.is_none() && spec.profile.is_none() {
                let message = "gives neither volume nor profile; give the day's volume, its profile, or both";
                self.p.at(o.span(), format!("queue[{i}].arrivals.override[{k}]"), message);
                ok = false;
                continue;
            }
            match (date, volume, profile) {
                (Some(d), Some(_), Some(_)) if out.iter().any(|(seen, _)| *seen == d) => {
                    let message = format!("{d} is overridden twice; give each date once");
                    self.p.at(spec.date.span(), f("date"), message);
                    ok = false;
                }
                (Some(d), Some(v), Some(p)) => out.push((d, (v, p))),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }
}
