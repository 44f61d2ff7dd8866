//! The forecasting methods and a method fitted to the days before an
//! origin. Every method forecasts a day's nominal total and its shares per
//! slot; an interval's forecast is their product.

use std::sync::Arc;

use serde::Serialize;

use super::days::{day_number, History};
use super::interval::ErrorModel;
use super::profile::Profiles;
use super::smoothing::Smoothing;
use super::yearly::Yearly;
use super::FitConfig;

/// Weeks the weekly mean averages.
const WEEKLY_MEAN_WEEKS: usize = 4;

/// How a queue's days and intervals are forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The baseline: each interval as on the last normal, complete day of
    /// the same weekday before the origin (a week before, for the first
    /// week ahead).
    SeasonalNaive,
    /// Each interval the mean of the last four normal, complete days of the
    /// same weekday before the origin.
    WeeklyMean,
    /// Daily totals by Holt-Winters (damped trend, weekday season, yearly
    /// index with a year of history) times the weekday's intraday profile.
    Smoothing,
}

impl Method {
    /// Every method, the richest first (a tie in the backtest goes to the
    /// earlier).
    pub const ALL: [Method; 3] = [Method::Smoothing, Method::WeeklyMean, Method::SeasonalNaive];

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Method::SeasonalNaive => "seasonal-naive",
            Method::WeeklyMean => "weekly-mean",
            Method::Smoothing => "smoothing",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a method learned.
#[derive(Debug, Clone)]
enum Kind {
    Smoothing(Smoothing),
    /// Seasonal naive or weekly mean: the days each forecast copies.
    Copies,
}

/// A method fitted to the days before day `end` of a history.
#[derive(Debug, Clone)]
pub(crate) struct Fitted {
    /// The method.
    pub method: Method,
    /// The first day not trained on (the origin).
    pub end: usize,
    kind: Kind,
    /// The weekday profiles as of the origin.
    pub profiles: Profiles,
    /// Each day's nominal total (profile-completed), `None` where unknown
    /// or special; days before `end` only.
    totals: Vec<Option<f64>>,
    /// Per day, the latest usable day (normal, complete) of its weekday at
    /// or before it.
    last_usable: Vec<Option<usize>>,
    /// The fit's own errors.
    pub errors: ErrorModel,
}

impl Fitted {
    /// Fits `method` to days `0..end` of `h`; `None` where it cannot (too
    /// few days).
    pub fn fit(h: &History, end: usize, method: Method, config: &FitConfig) -> Option<Fitted> {
        let profiles = Profiles::estimate(h, end, config.profile_weeks);
        let totals: Vec<Option<f64>> =
            (0..end).map(|d| if h.special[d] { None } else { profiles.day_total(h, d) }).collect();
        let mut last_usable: Vec<Option<usize>> = Vec::with_capacity(end);
        for d in 0..end {
            let usable = !h.special[d] && h.full_total(d).is_some();
            let before = d.checked_sub(7).and_then(|e| last_usable[e]);
            last_usable.push(if usable { Some(d) } else { before });
        }
        let kind = match method {
            Method::Smoothing => {
                let day0 = day_number(h.first_date());
                let normal: Vec<(i64, usize, f64)> = totals
                    .iter()
                    .enumerate()
                    .filter_map(|(d, t)| t.filter(|t| *t > 0.0).map(|t| (day0 + d as i64, h.days[d].weekday, t)))
                    .collect();
                let yearly = Yearly::fit(&normal);
                Kind::Smoothing(Smoothing::fit(&totals, day0, h.days[0].weekday, yearly)?)
            }
            Method::SeasonalNaive | Method::WeeklyMean => Kind::Copies,
        };
        let mut fitted = Fitted {
            method,
            end,
            kind,
            profiles,
            totals,
            last_usable,
            errors: ErrorModel::from_ratios(config.level, &[], 0.0),
        };
        if matches!(fitted.kind, Kind::Copies) && fitted.copies(end, end).is_empty() {
            return None;
        }
        fitted.errors = fitted.measure_errors(h, config);
        Some(fitted)
    }

    /// The smoothing model, for its weekday factors and parameters.
    pub fn smoothing(&self) -> Option<&Smoothing> {
        match &self.kind {
            Kind::Smoothing(s) => Some(s),
            Kind::Copies => None,
        }
    }

    /// The usable days a copying method copies for day `target` forecast
    /// from `origin` (the latest first).
    fn copies(&self, origin: usize, target: usize) -> Vec<usize> {
        let weeks = if self.method == Method::WeeklyMean { WEEKLY_MEAN_WEEKS } else { 1 };
        let back = 7 * (target + 1 - origin).div_ceil(7);
        let Some(mut c) = target.checked_sub(back) else {
            return Vec::new();
        };
        // Targets past the training days map back into them week by week.
        while c >= self.last_usable.len() {
            c -= 7;
        }
        let mut out = Vec::new();
        let mut at = Some(c);
        while let Some(u) = at.and_then(|a| self.last_usable[a]) {
            out.push(u);
            if out.len() == weeks {
                break;
            }
            at = u.checked_sub(7);
        }
        out
    }

    /// The nominal total of day `target` forecast from `origin` (≤
    /// `target`), days indexed from the history's first.
    pub fn total(&self, h: &History, origin: usize, target: usize) -> f64 {
        match &self.kind {
            Kind::Smoothing(s) => s.predict(origin, target),
            Kind::Copies => {
                let days = self.copies(origin, target);
                days.iter().filter_map(|d| h.full_total(*d)).sum::<f64>() / days.len().max(1) as f64
            }
        }
    }

    /// The shares per slot of day `target` forecast from `origin`.
    pub fn shares(&self, h: &History, origin: usize, target: usize) -> Arc<[f64]> {
        let weekday = h.days.get(target).map_or((h.days[0].weekday + target) % 7, |d| d.weekday);
        let profile = || self.profiles.weekday[weekday].clone();
        match &self.kind {
            Kind::Smoothing(_) => profile(),
            Kind::Copies => {
                let mut sums = vec![0.0; h.slots];
                for d in self.copies(origin, target) {
                    for (s, v) in sums.iter_mut().zip(h.nominal(d)) {
                        *s += v.unwrap_or(0.0);
                    }
                }
                let total: f64 = sums.iter().sum();
                if total > 0.0 {
                    sums.iter().map(|s| s / total).collect()
                } else {
                    profile()
                }
            }
        }
    }

    /// Ratios of actual to forecast daily totals from origins over the
    /// last `error_window_days` training days, per horizon, and the
    /// interval factor's variance over the last `profile_weeks` weeks.
    fn measure_errors(&self, h: &History, config: &FitConfig) -> ErrorModel {
        let horizons = config.error_horizon_days;
        let mut per_horizon: Vec<Vec<(f64, f64)>> = vec![Vec::new(); horizons];
        let first = self.end.saturating_sub(config.error_window_days).max(28);
        for origin in first..self.end {
            for (k, pairs) in per_horizon.iter_mut().enumerate() {
                let target = origin + k;
                let Some(actual) = self.totals.get(target).copied().flatten() else {
                    continue;
                };
                let forecast = self.total(h, origin, target);
                if forecast > 0.0 {
                    pairs.push((actual / forecast, forecast));
                }
            }
        }
        // The interval factor: each recent normal complete day against its
        // own total spread by the shares forecast for it a day ahead.
        let (mut excess, mut squares) = (0.0, 0.0);
        let start = self.end.saturating_sub(7 * config.profile_weeks).max(7);
        for d in start..self.end {
            let Some(total) = self.totals[d].filter(|_| h.full_total(d).is_some()) else {
                continue;
            };
            let shares = self.shares(h, d, d);
            for (v, s) in h.nominal(d).iter().zip(shares.iter()) {
                let (Some(c), mu) = (v, total * s) else {
                    continue;
                };
                excess += (c - mu).powi(2) - mu;
                squares += mu * mu;
            }
        }
        let interval_var = if squares > 0.0 { excess / squares } else { 0.0 };
        ErrorModel::from_ratios(config.level, &per_horizon, interval_var)
    }
}
