//! History in: a contact centre's past as its ACD, chat or ticketing
//! platform exports it. An **interval history** (one row per queue and
//! interval: offered, answered, abandoned, handle time, service level,
//! agents) is read and kept per queue ([`intervals`]); **contact records**
//! (one row per contact: arrival, outcome, wait, handle time) are streamed
//! into bounded per-queue accumulators ([`records`]). Columns are wfmsim's
//! own names (what `wfmsim run --export-history` writes) or mapped
//! ([`mapping`], [`presets`]). Every problem names its file, line and
//! column ([`error`]); every row read is counted as used or skipped, with
//! why ([`Tally`]). [`crate::fit`] turns them into distributions.

pub mod bins;
pub mod calendar;
pub mod error;
mod input;
pub mod intervals;
pub mod mapping;
pub mod moments;
pub mod presets;
pub mod records;
pub mod time;

use std::collections::BTreeMap;

pub use error::{HistoryError, Place, Problem};
pub use input::{MAX_INTERVALS_BYTES, MAX_QUEUES, MAX_RECORDS_BYTES, MAX_RECORD_BYTES, MAX_VALUE};
pub use intervals::{IntervalHistory, IntervalOptions};
pub use mapping::{Aggregate, Field, Kind, Mapping};
pub use records::{ContactRecords, RecordOptions};
pub use time::TimeReader;

/// One queue's values per interval: what a forecast reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Start of the first interval.
    pub start: jiff::Timestamp,
    /// Interval length, minutes.
    pub interval_minutes: u32,
    /// One value per interval, `None` for a gap.
    pub values: Vec<Option<f64>>,
}

/// Rows read from a file: used, skipped (by reason), and values left out
/// of one estimate though the row was used (by reason). `read` = `used` +
/// every skipped count.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Data rows read (the header not counted).
    pub read: u64,
    /// Rows used.
    pub used: u64,
    /// Rows skipped, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Values left out of an estimate, by reason.
    pub left_out: BTreeMap<String, u64>,
}
