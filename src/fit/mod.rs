//! Fitting: from history (see [`crate::history`]) to the distributions a
//! scenario takes. Per queue: handle time by maximum likelihood
//! ([`handle`]: exponential, lognormal, gamma, chosen by AIC), patience
//! from censored waits ([`patience`]: exponential MLE, Kaplan–Meier, a
//! test against Weibull), and what the interval history alone shows
//! ([`intervals`]). Every figure that cannot be estimated is named with
//! why ([`NotEstimated`]); [`fragment`] writes the scenario's `[[queue]]`
//! distributions.

pub mod fragment;
pub mod handle;
pub mod intervals;
pub mod patience;
mod special;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::history::records::QueueRecords;
use crate::history::{ContactRecords, IntervalHistory, Problem, Tally};

/// A figure with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ci {
    /// The estimate.
    pub value: f64,
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Ci {
    /// Whether `x` lies within the interval.
    pub fn holds(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// A figure that could not be estimated, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotEstimated {
    /// Which (`handle time`, `patience`, ...).
    pub figure: String,
    /// Why not.
    pub reason: String,
}

/// One file read: its name, what was read from it, its warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The file.
    pub file: String,
    /// Interval length, minutes (interval history only).
    pub interval_minutes: Option<u32>,
    /// Rows read, used, skipped.
    pub tally: Tally,
    /// What was done about data that could still be used.
    pub warnings: Vec<String>,
}

/// Records' figures of one interval of day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordsTimeOfDay {
    /// Local start, `HH:MM`.
    pub start: String,
    /// Contacts that arrived in it (all days).
    pub offered: u64,
    /// AHT, seconds.
    pub aht_s: Option<f64>,
    /// Abandoned / offered.
    pub abandon_share: Option<f64>,
}

/// Records' counts of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordCounts {
    /// Contacts.
    pub offered: u64,
    /// Answered.
    pub answered: u64,
    /// Abandoned.
    pub abandoned: u64,
    /// Other outcomes.
    pub other: u64,
    /// Abandoned / offered.
    pub abandon_share: Option<f64>,
    /// Mean wait of answered contacts with a wait, seconds.
    pub asa_s: Option<f64>,
    /// Mean time from arrival to end (tickets), seconds.
    pub response_mean_s: Option<f64>,
    /// Its 90th percentile, seconds (within 1%).
    pub response_p90_s: Option<f64>,
    /// By interval of day (the interval history's length, else 15 min).
    pub by_time_of_day: Vec<RecordsTimeOfDay>,
}

/// Everything fitted for one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueFit {
    /// The queue.
    pub name: String,
    /// Counts from the records.
    pub records: Option<RecordCounts>,
    /// Handle time from the records.
    pub handle: Option<handle::HandleFit>,
    /// Patience from the records.
    pub patience: Option<patience::PatienceFit>,
    /// Figures from the interval history.
    pub intervals: Option<intervals::IntervalFit>,
    /// What could not be estimated, and why.
    pub not_estimated: Vec<NotEstimated>,
}

/// The fit of a history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// The interval history, if one was read.
    pub interval_history: Option<Source>,
    /// The contact records, if read.
    pub contact_records: Option<Source>,
    /// Per queue, by name.
    pub queues: Vec<QueueFit>,
}

/// Interval of day of records without an interval history, minutes.
pub const RECORDS_TIME_OF_DAY_MINUTES: u32 = 15;

fn warnings(list: &[Problem]) -> Vec<String> {
    list.iter().map(Problem::to_string).collect()
}

/// Fits every queue of `history` and `records` (either may be absent).
pub fn fit(history: Option<&IntervalHistory>, records: Option<&ContactRecords>) -> Fit {
    let names: BTreeSet<&str> = history
        .iter()
        .flat_map(|h| h.queues.iter().map(|q| q.name.as_str()))
        .chain(records.iter().flat_map(|r| r.queues.iter().map(|q| q.name.as_str())))
        .collect();
    let minutes = history.map_or(RECORDS_TIME_OF_DAY_MINUTES, |h| h.interval_minutes);
    let queues = names
        .into_iter()
        .map(|name| {
            let mut not = Vec::new();
            let mut missing = |figure: &str, reason: String| {
                not.push(NotEstimated { figure: figure.to_string(), reason });
            };
            let from_intervals = history.and_then(|h| h.queue(name)).map(|q| intervals::fit(q, minutes));
            let q = records.and_then(|r| r.queue(name));
            let (mut handle, mut patience) = (None, None);
            match (records, q) {
                (None, _) => {
                    missing("handle-time distribution", "no contact records (--records): interval sums give only the mean".into());
                    missing("patience curve (Kaplan–Meier)", "no contact records (--records)".into());
                }
                (Some(_), None) => missing("handle time and patience from records", "the records have no contact of this queue".into()),
                (Some(r), Some(q)) => {
                    handle = handle::fit(&q.handle, &q.handle_bins);
                    if handle.is_none() {
                        missing(
                            "handle-time distribution",
                            if r.has_handle_time {
                                format!("{} answered contact(s) with a handle time > 0; at least two that differ are needed", q.handle.n())
                            } else {
                                "the records have no handle-time column".into()
                            },
                        );
                    }
                    patience = patience::fit(q);
                    if patience.is_none() {
                        missing(
                            "patience",
                            if !r.has_wait {
                                "the records have no wait column".into()
                            } else {
                                "no abandoned contact with a wait: patience is only bounded below".into()
                            },
                        );
                    }
                }
            }
            if let Some(f) = &from_intervals {
                let h = history.expect("intervals came from it");
                if f.aht_s.is_none() {
                    missing("AHT from intervals", if h.columns.handle_time { "no interval has both handle time and answered > 0".into() } else { "the interval history has no handle_time column".into() });
                }
                if f.abandon_share.is_none() {
                    missing("abandonment share from intervals", "the interval history has no abandoned column".into());
                }
                match &f.patience {
                    Some(intervals::IntervalPatience::Mean(_)) => {}
                    Some(intervals::IntervalPatience::AtLeast(_)) => missing(
                        "patience from intervals",
                        "only a lower bound: the history has the answered contacts' wait but not the abandoned ones' (wait_abandoned)".into(),
                    ),
                    None => missing(
                        "patience from intervals",
                        if h.columns.abandoned && (h.columns.wait_answered || h.columns.wait_abandoned) {
                            "no abandoned contact in an interval with its waits".into()
                        } else {
                            "the abandonment–wait relation needs abandoned and waiting-time columns (wait_answered, wait_abandoned)".into()
                        },
                    ),
                }
            }
            QueueFit {
                name: name.to_string(),
                records: q.map(|q| counts(q, minutes)),
                handle,
                patience,
                intervals: from_intervals,
                not_estimated: not,
            }
        })
        .collect();
    Fit {
        interval_history: history.map(|h| Source {
            file: h.file.clone(),
            interval_minutes: Some(h.interval_minutes),
            tally: h.tally.clone(),
            warnings: warnings(&h.warnings),
        }),
        contact_records: records.map(|r| Source {
            file: r.file.clone(),
            interval_minutes: None,
            tally: r.tally.clone(),
            warnings: Vec::new(),
        }),
        queues,
    }
}

/// Records' counts of `q`, by interval of day of `minutes`.
fn counts(q: &QueueRecords, minutes: u32) -> RecordCounts {
    let waits = q.answered_waits.total();
    let by_time_of_day = q
        .by_minute
        .chunks(minutes as usize)
        .enumerate()
        .filter_map(|(i, cells)| {
            let offered: u64 = cells.iter().map(|c| c.offered as u64).sum();
            (offered > 0).then(|| {
                let (n, s) = cells.iter().fold((0u64, 0.0), |(n, s), c| (n + c.handle_n as u64, s + c.handle_s));
                let abandoned: u64 = cells.iter().map(|c| c.abandoned as u64).sum();
                let minute = i * minutes as usize;
                RecordsTimeOfDay {
                    start: format!("{:02}:{:02}", minute / 60, minute % 60),
                    offered,
                    aht_s: (n > 0).then(|| s / n as f64),
                    abandon_share: Some(abandoned as f64 / offered as f64),
                }
            })
        })
        .collect();
    let responses = q.response.as_ref().filter(|r| r.total() > 0);
    RecordCounts {
        offered: q.offered,
        answered: q.answered,
        abandoned: q.abandoned,
        other: q.other,
        abandon_share: (q.offered > 0).then(|| q.abandoned as f64 / q.offered as f64),
        asa_s: (waits > 0).then(|| q.answered_wait_s / waits as f64),
        response_mean_s: responses.map(|r| q.response_total_s / r.total() as f64),
        response_p90_s: responses.and_then(|r| r.quantile(0.9)),
        by_time_of_day,
    }
}
