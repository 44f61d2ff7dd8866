//! What-if grids (`wfmsim sweep`): each `--vary PATH=FROM:TO:STEP` is an
//! axis of values, the grid every combination of them. Each point is the
//! scenario with that point's overrides (see [`crate::input::whatif`]), run on
//! the same seed as every other point (common random numbers: a change
//! between points is the what-if's, not the draws'), judged as `check`
//! judges a run ([`ScenarioVerdict::of`]) and priced as `run` prices it
//! (paid hours × each team's cost per hour). The cheapest point meeting
//! every target is marked.

use serde::Serialize;

use crate::input::WhatIf;
use crate::results::{Provenance, QueueResults, Results};
use crate::verdict::ScenarioVerdict;

/// Most points a sweep runs without being confirmed (`--yes`).
pub const CONFIRM_ABOVE: usize = 400;
/// Most points a sweep may have at all.
pub const MAX_POINTS: usize = 100_000;
/// Most decimals an axis value is written with.
const MAX_DECIMALS: usize = 12;

/// One `--vary PATH=FROM:TO:STEP`: a path and its values, FROM, FROM +
/// STEP, … up to TO; relative changes (`+0:+10:2`) when FROM and TO
/// carry a sign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Axis {
    /// The path varied.
    pub path: String,
    /// `PATH=FROM:TO:STEP` as given.
    pub vary: String,
    /// Its values in order, as the overrides take them (`0.8`, `+2`).
    pub values: Vec<String>,
}

impl Axis {
    /// Reads `PATH=FROM:TO:STEP`.
    pub fn parse(text: &str) -> Result<Axis, String> {
        let allowed = "give PATH=FROM:TO:STEP, such as volume=0.8:1.2:0.1, with signs for a relative change, such as team.Krakow.agents=+0:+10:2, or stars for factors, such as team.Krakow.headcount=*0.9:*1.1:0.1";
        let (path, range) =
            text.split_once('=').ok_or_else(|| format!("{text:?} is not PATH=FROM:TO:STEP; {allowed}"))?;
        let parts: Vec<&str> = range.split(':').map(str::trim).collect();
        let [from, to, step] = parts[..] else {
            return Err(format!("{text:?}: {range:?} is not FROM:TO:STEP; {allowed}"));
        };
        let signed = |s: &str| s.starts_with(['+', '-']);
        // `*F` factors: `*0.9:*1.1:*0.1` (the step's star optional).
        let factor = |s: &str| s.starts_with('*');
        if signed(from) != signed(to) || factor(from) != factor(to) {
            return Err(format!(
                "{text:?}: FROM and TO are both relative (+N, -N), both factors (*F) or both absolute; {from:?} and {to:?} are not"
            ));
        }
        let times = factor(from);
        let (from, to, step) = match times {
            true => (&from[1..], &to[1..], step.strip_prefix('*').unwrap_or(step)),
            false => (from, to, step),
        };
        let number = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
        let (Some(a), Some(b), Some(d)) = (number(from), number(to), number(step)) else {
            return Err(format!("{text:?}: FROM, TO and STEP are numbers; {allowed}"));
        };
        if !(d > 0.0 && a <= b) {
            return Err(format!("{text:?}: allowed: STEP more than 0 and FROM at most TO"));
        }
        let count = ((b - a) / d + 1e-9).floor() + 1.0;
        if count > MAX_POINTS as f64 {
            return Err(format!("{text:?} has {count} values; allowed: at most {MAX_POINTS}"));
        }
        let decimals = [from, to, step].iter().map(|s| decimals(s)).max().unwrap_or(0);
        if decimals > MAX_DECIMALS {
            return Err(format!(
                "{text:?}: FROM, TO and STEP need {decimals} decimals; allowed: at most {MAX_DECIMALS}"
            ));
        }
        let star = |v: String| if times { format!("*{v}") } else { v };
        let values: Vec<String> =
            (0..count as usize).map(|k| star(written(a + k as f64 * d, decimals, signed(from)))).collect();
        if let Some(w) = values.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!(
                "{text:?}: STEP is too small for numbers this large ({} twice); allowed: a STEP that gives distinct values",
                w[0]
            ));
        }
        let path = path.trim();
        Ok(Axis { path: path.to_string(), vary: format!("{path}={range}"), values })
    }

    /// The override of value `k`, named in messages by the `--vary` it
    /// comes from.
    pub fn what_if_at(&self, k: usize) -> Result<WhatIf, String> {
        let value = &self.values[k];
        let o = WhatIf::parse(&format!("{}={value}", self.path))?;
        Ok(o.with_origin(format!("--vary {} (at {value})", self.vary)))
    }
}

/// Digits after the decimal point of a number as written, its exponent
/// counted: `0.05` and `5e-2` both have 2, `1.5e1` none.
///
/// Reading only the mantissa's digits gave `5e-2` none, so
/// `volume=1:1.2:5e-2` rounded 1.05 and 1.15 to 1.1 and ran 1.1 three times.
fn decimals(s: &str) -> usize {
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (s, 0),
    };
    let digits = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i64;
    (digits.saturating_sub(exponent)).clamp(0, 1 << 20) as usize
}

/// `x` with `decimals` decimals, with its sign when `signed`.
fn written(x: f64, decimals: usize, signed: bool) -> String {
    let text = format!("{x:.decimals$}");
    let zero = text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.');
    let text = if zero { text.trim_start_matches('-').to_string() } else { text };
    if signed && !text.starts_with('-') {
        format!("+{text}")
    } else {
        text
    }
}

/// Points of the grid of `axes` (saturating).
pub fn points(axes: &[Axis]) -> usize {
    axes.iter().fold(1usize, |n, a| n.saturating_mul(a.values.len()))
}

/// Point `p` of the grid (0-based, the last axis varying fastest): the
/// index of each axis's value.
pub fn point(axes: &[Axis], mut p: usize) -> Vec<usize> {
    let mut at = vec![0; axes.len()];
    for (slot, axis) in at.iter_mut().zip(axes).rev() {
        *slot = p % axis.values.len();
        p /= axis.values.len();
    }
    at
}

/// One point of a sweep, run and judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Its number, from 1, in grid order.
    pub point: usize,
    /// Each axis's value at it.
    pub values: Vec<String>,
    /// Its overrides, `PATH=VALUE`, one per axis.
    pub overrides: Vec<String>,
    /// Whether every target judged holds.
    pub targets_met: bool,
    /// Targets judged (queue × target × period).
    pub target_checks: usize,
    /// Of those, the ones met.
    pub target_checks_met: usize,
    /// Each target missed, in words.
    pub missed: Vec<String>,
    /// Paid hours of every team over the horizon.
    pub paid_hours: f64,
    /// Their cost (`None` when no team is priced).
    pub cost: Option<f64>,
    /// ISO 4217 code of the cost, if the scenario names one.
    #[serde(skip)]
    pub currency: Option<String>,
    /// Whether it is the cheapest point meeting every target.
    pub cheapest: bool,
    /// Each queue's KPIs over the horizon.
    pub queues: Vec<QueueResults>,
}

impl Point {
    /// Point `number` with `values` and `overrides`, judged from its run's
    /// `results` as `check` judges them (with `confidence`, if given).
    pub fn of(
        number: usize,
        values: Vec<String>,
        overrides: Vec<String>,
        results: Results,
        confidence: Option<f64>,
    ) -> Self {
        let verdict = ScenarioVerdict::of(&results, "", confidence);
        let missed: Vec<String> = verdict
            .misses()
            .map(|c| format!("queue {}, {}: {}", c.queue, c.period.label, c.judged.describe()))
            .collect();
        let horizon = results.all_teams.first().cloned();
        let horizon = horizon.as_ref();
        let queues = results
            .queues
            .into_iter()
            .map(|q| QueueResults { periods: Vec::new(), intervals: Vec::new(), ..q })
            .collect();
        Point {
            point: number,
            values,
            overrides,
            targets_met: verdict.passed,
            target_checks: verdict.targets.len(),
            target_checks_met: verdict.targets.len() - missed.len(),
            missed,
            paid_hours: horizon.map_or(0.0, |a| a.paid_hours),
            cost: horizon.and_then(|a| a.cost),
            currency: results.meta.currency.clone(),
            cheapest: false,
            queues,
        }
    }
}

/// How the cheapest point is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheapestBy {
    /// The least cost.
    Cost,
    /// The least paid hours, where no team is priced.
    PaidHours,
}

/// A sweep's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// The scenario's name.
    pub scenario: String,
    /// Where the figures come from; `what_ifs` are those every point
    /// shares (`--set` and the scale flags).
    #[serde(flatten)]
    pub provenance: Provenance,
    /// The share of replications each target must be met in, besides on
    /// the mean.
    pub confidence: Option<f64>,
    /// The axes, in the order given.
    pub axes: Vec<Axis>,
    /// How the cheapest point is found.
    pub cheapest_by: CheapestBy,
    /// The cheapest point meeting every target (its number), if any does;
    /// ties go to the first in grid order.
    pub cheapest: Option<usize>,
    /// ISO 4217 code of every amount, if the scenario names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Every point, in grid order.
    pub points: Vec<Point>,
}

impl Sweep {
    /// The sweep of `points`, with the cheapest point meeting every target
    /// marked: by cost where the teams are priced, else by paid hours.
    pub fn new(
        scenario: String,
        provenance: Provenance,
        confidence: Option<f64>,
        axes: Vec<Axis>,
        mut points: Vec<Point>,
    ) -> Self {
        let cheapest_by =
            if points.iter().any(|p| p.cost.is_some()) { CheapestBy::Cost } else { CheapestBy::PaidHours };
        let price = |p: &Point| match cheapest_by {
            CheapestBy::Cost => p.cost.unwrap_or(f64::INFINITY),
            CheapestBy::PaidHours => p.paid_hours,
        };
        let cheapest = points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.targets_met)
            .min_by(|(i, a), (j, b)| price(a).total_cmp(&price(b)).then(i.cmp(j)))
            .map(|(i, _)| i);
        if let Some(i) = cheapest {
            points[i].cheapest = true;
        }
        Sweep {
            currency: points.first().and_then(|p| p.currency.clone()),
            scenario,
            provenance,
            confidence,
            axes,
            cheapest_by,
            cheapest: cheapest.map(|i| points[i].point),
            points,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_run_from_from_to_to_in_steps_written_as_given() {
        let a = Axis::parse("volume=0.8:1.2:0.1").unwrap();
        assert_eq!(a.values, ["0.8", "0.9", "1.0", "1.1", "1.2"]);
        let r = Axis::parse("team.Krakow.agents=+0:+10:2").unwrap();
        assert_eq!(r.values, ["+0", "+2", "+4", "+6", "+8", "+10"]);
        let n = Axis::parse("team.Krakow.agents=-4:+4:4").unwrap();
        assert_eq!(n.values, ["-4", "+0", "+4"]);
        assert_eq!(Axis::parse("x=1:2:0.3").unwrap().values, ["1.0", "1.3", "1.6", "1.9"]);
        assert_eq!(r.what_if_at(1).unwrap().value(), "team.Krakow.agents=+2");
        for bad in ["volume", "volume=1:2", "volume=2:1:0.1", "volume=1:2:0", "volume=+1:2:1", "volume=a:b:c"] {
            assert!(Axis::parse(bad).is_err(), "{bad}");
        }
        assert!(Axis::parse("volume=0:1:1e-9").unwrap_err().contains("at most 100000"));
    }

    /// A step written with an exponent was rounded to the bounds' decimals:
    /// `volume=1:1.2:5e-2` ran 1.1 three times.
    #[test]
    fn a_step_written_with_an_exponent_keeps_its_decimals() {
        assert_eq!(Axis::parse("volume=1:1.2:5e-2").unwrap().values, ["1.00", "1.05", "1.10", "1.15", "1.20"]);
        assert_eq!(Axis::parse("volume=1e-1:3e-1:1e-1").unwrap().values, ["0.1", "0.2", "0.3"]);
        assert_eq!(Axis::parse("a=0:20:1.0e1").unwrap().values, ["0", "10", "20"]);
        assert_eq!(Axis::parse("a=+0:+0.2:1E-1").unwrap().values, ["+0.0", "+0.1", "+0.2"]);
        assert_eq!((decimals("5e-2"), decimals("1.25e1"), decimals("2.5"), decimals("1e3")), (2, 1, 1, 0));
        let e = Axis::parse("volume=1:1.000000000000002:1e-15").unwrap_err();
        assert!(e.contains("need 15 decimals; allowed: at most 12"), "{e}");
        let e = Axis::parse("volume=1e17:100000000000000032:1").unwrap_err();
        assert!(e.contains("distinct"), "{e}");
    }

    #[test]
    fn the_grid_varies_the_last_axis_fastest() {
        let axes = [Axis::parse("a=1:2:1").unwrap(), Axis::parse("b=1:3:1").unwrap()];
        assert_eq!(points(&axes), 6);
        let all: Vec<Vec<usize>> = (0..6).map(|p| point(&axes, p)).collect();
        assert_eq!(all, [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
    }
}
