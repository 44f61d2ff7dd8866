//! Dated events as the engine and the reports read them: windows of
//! time, factors in force over a window, and each event's note for the
//! reports. `input::compile::events` validates `[[event]]` and lays it on
//! the rate segments, handle-time windows, outages and shifts.

use std::ops::Range;

use super::{Model, Queue};

/// Largest `volume` factor of an event.
pub const MAX_VOLUME_FACTOR: f64 = 1000.0;
/// Largest `aht` factor of an event.
pub const MAX_AHT_FACTOR: f64 = 100.0;
/// Most `[[event]]`s of a scenario: decades of daily events. Laying them
/// costs the segments, shifts and events times the events in force at
/// once (their factors multiply), and reports name the events of every
/// period; 20,000 overlapping events once took over a minute to compile.
pub const MAX_EVENTS: usize = 10_000;

/// An outage of some of a team's queues only (an `outage` event with
/// `queues` or `channels`): in its window the team takes no new contacts
/// of those queues and goes on taking the others.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueOutage {
    /// When.
    pub window: Window,
    /// The queues it stops, indices into the model's queues.
    pub queues: Vec<usize>,
}

/// A span of time, seconds from `report_start`, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Start, seconds.
    pub start_s: f64,
    /// End (exclusive), seconds.
    pub end_s: f64,
}

impl Window {
    /// Whether instant `t` (seconds) lies inside.
    #[inline]
    pub fn contains(&self, t: f64) -> bool {
        self.start_s <= t && t < self.end_s
    }

    /// Seconds of `[from, to)` inside the window.
    pub fn overlap(&self, from: f64, to: f64) -> f64 {
        (self.end_s.min(to) - self.start_s.max(from)).max(0.0)
    }
}

/// A factor in force over a window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactorWindow {
    /// When.
    pub window: Window,
    /// The factor.
    pub factor: f64,
}

/// An event as reports show it: its name, its window as written (in its
/// zone, else the reporting zone, even for a holiday whose effect is laid
/// in each team's zone) and what it touches.
#[derive(Debug, Clone, PartialEq)]
pub struct EventNote {
    /// Its name.
    pub name: String,
    /// When, seconds from `report_start`.
    pub window: Window,
    /// Queues it changes: named ones, or those the named teams serve.
    pub queues: Vec<usize>,
    /// Teams it changes (outage, holiday).
    pub teams: Vec<usize>,
}

impl Queue {
    /// The factor on the handle time of a contact arriving at `t`
    /// (seconds): the product of the `aht` events in force then, read by
    /// bisection from [`Queue::aht_windows`] (disjoint, in time order, each
    /// with the product over it). Scanning every window begun before `t`
    /// cost each contact the number of aht events.
    #[inline]
    pub fn aht_factor(&self, t: f64) -> f64 {
        let started = self.aht_windows.partition_point(|w| w.window.start_s <= t);
        match started.checked_sub(1).map(|i| &self.aht_windows[i]) {
            Some(w) if w.window.contains(t) => w.factor,
            _ => 1.0,
        }
    }
}

impl Model {
    /// Names of the events in force during intervals `intervals` that touch
    /// queue `q` (`Some`) or team `t`, in scenario order, each once.
    pub fn events_in(&self, intervals: Range<usize>, q: Option<usize>, t: Option<usize>) -> Vec<String> {
        let (from, to) = (intervals.start as f64 * self.interval_s, intervals.end as f64 * self.interval_s);
        let mut names: Vec<String> = Vec::new();
        // A set beside the list: thousands of events in one period made
        // the search of the list quadratic.
        let mut seen = std::collections::BTreeSet::new();
        for e in &self.events {
            let touches = q.is_some_and(|q| e.queues.contains(&q)) || t.is_some_and(|t| e.teams.contains(&t));
            if touches && e.window.overlap(from, to) > 0.0 && seen.insert(e.name.as_str()) {
                names.push(e.name.clone());
            }
        }
        names
    }
}
