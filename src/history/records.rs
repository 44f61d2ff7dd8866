//! Contact records: one row per contact, streamed. Each row is folded into
//! its queue's accumulators as it is read and forgotten: counts, the
//! moments of handle times, log-binned summaries of handle times and of
//! waits ([`LogBins`]), counts and sums per local minute of day. Memory is
//! flat in the number of records (about 60 KiB a queue; with arrival
//! counts per interval, 40 bytes more per interval that had a contact).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use csv::ByteRecord;

use super::bins::LogBins;
use super::error::{HistoryError, Place, Problem, Problems};
use super::input::{self, Col, QueueNames, Source};
use super::mapping::{Field, Kind, Mapping, Outcome};
use super::moments::Moments;
use super::time::TimeReader;
use super::{Series, Tally};

/// How to read contact records.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// Columns, units, outcome values.
    pub mapping: Mapping,
    /// Reads local times.
    pub times: TimeReader,
    /// Count arrivals per interval of this many minutes (for a forecast);
    /// `None`: do not (memory then does not grow with the period either).
    pub count_intervals: Option<u32>,
}

/// Contacts of one local minute of day, over every day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MinuteCell {
    /// Arrived.
    pub offered: u32,
    /// Answered.
    pub answered: u32,
    /// Abandoned.
    pub abandoned: u32,
    /// Answered with a handle time.
    pub handle_n: u32,
    /// Their handle time, total, seconds.
    pub handle_s: f64,
}

/// One queue's accumulators.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueRecords {
    /// The queue's name as written.
    pub name: String,
    /// Contacts read.
    pub offered: u64,
    /// Answered.
    pub answered: u64,
    /// Abandoned.
    pub abandoned: u64,
    /// Other outcomes.
    pub other: u64,
    /// Handle times > 0 of answered contacts, seconds.
    pub handle: Moments,
    /// The same, log-binned.
    pub handle_bins: LogBins,
    /// Waits of answered contacts (lower bounds of their patience),
    /// seconds.
    pub answered_waits: LogBins,
    /// Waits of abandoned contacts (their patience), seconds.
    pub abandoned_waits: LogBins,
    /// Total wait of the contacts in `answered_waits` and
    /// `abandoned_waits`, seconds.
    pub wait_total_s: f64,
    /// Total wait of the answered ones, seconds.
    pub answered_wait_s: f64,
    /// Sum of ln(wait) over abandoned contacts, each wait at least
    /// [`LogBins::MIN_S`].
    pub abandoned_log_wait: f64,
    /// Times from arrival to end (a ticket solved), seconds.
    pub response: Option<LogBins>,
    /// Total of those, seconds.
    pub response_total_s: f64,
    /// Per local minute of day (1440).
    pub by_minute: Vec<MinuteCell>,
    /// Arrivals per interval (when counted), by interval index since the
    /// epoch.
    arrivals: BTreeMap<i64, u32>,
}

impl QueueRecords {
    pub(crate) fn new(name: &str, response: bool) -> Self {
        QueueRecords {
            name: name.to_string(),
            offered: 0,
            answered: 0,
            abandoned: 0,
            other: 0,
            handle: Moments::default(),
            handle_bins: LogBins::new(),
            answered_waits: LogBins::new(),
            abandoned_waits: LogBins::new(),
            wait_total_s: 0.0,
            answered_wait_s: 0.0,
            abandoned_log_wait: 0.0,
            response: response.then(LogBins::new),
            response_total_s: 0.0,
            by_minute: vec![MinuteCell::default(); 1440],
            arrivals: BTreeMap::new(),
        }
    }

    /// Bytes this queue's accumulators hold, heap included.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.name.capacity()
            + self.handle_bins.bytes()
            + self.answered_waits.bytes()
            + self.abandoned_waits.bytes()
            + self.response.as_ref().map_or(0, LogBins::bytes)
            + self.by_minute.capacity() * std::mem::size_of::<MinuteCell>()
            + self.arrivals.len() * (std::mem::size_of::<(i64, u32)>() + 16)
    }
}

/// Contact records, folded per queue.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRecords {
    /// The file, as named.
    pub file: String,
    /// Queues, by name.
    pub queues: Vec<QueueRecords>,
    /// Arrival counts' interval, minutes, if counted.
    pub count_intervals: Option<u32>,
    /// Whether the file has handle times, waits and ends.
    pub has_handle_time: bool,
    /// Whether it has waits.
    pub has_wait: bool,
    /// Whether it has ends.
    pub has_end: bool,
    /// Rows read, used and skipped.
    pub tally: Tally,
}

impl ContactRecords {
    /// The queue named `name`.
    pub fn queue(&self, name: &str) -> Option<&QueueRecords> {
        self.queues.iter().find(|q| q.name == name)
    }

    /// Bytes every accumulator holds: what memory the records took.
    pub fn state_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.queues.iter().map(QueueRecords::bytes).sum::<usize>()
    }

    /// Queue `name`'s arrivals per interval from its first to its last,
    /// zero where none arrived (records see every contact: an interval
    /// without one had none), when counted.
    pub fn offered(&self, name: &str) -> Option<Series> {
        let minutes = self.count_intervals?;
        let q = self.queue(name)?;
        let (&first, _) = q.arrivals.first_key_value()?;
        let (&last, _) = q.arrivals.last_key_value()?;
        let mut values = vec![Some(0.0); (last - first + 1) as usize];
        for (&i, &n) in &q.arrivals {
            values[(i - first) as usize] = Some(n as f64);
        }
        let start = jiff::Timestamp::from_second(first * minutes as i64 * 60).ok()?;
        Some(Series { start, interval_minutes: minutes, values })
    }
}

/// Reads the contact records at `path`.
pub fn read_file(path: &Path, options: &RecordOptions) -> Result<ContactRecords, HistoryError> {
    let (file, name) = input::open(path)?;
    read(file, &name, options)
}

/// Reads contact records from `reader`, named `file` in messages.
pub fn read(reader: impl Read, file: &str, options: &RecordOptions) -> Result<ContactRecords, HistoryError> {
    let mapping = &options.mapping;
    let mut source = Source::new(reader, file, Kind::Records, mapping)?;
    let cols = input::resolve(&source.header, mapping, file)?;
    let col = |f: Field| cols.get(&f);
    let (arrival_col, queue_col, outcome_col) = (
        col(Field::Arrival).expect("required").clone(),
        col(Field::Queue).expect("required").clone(),
        col(Field::Outcome).expect("required").clone(),
    );
    let (wait_col, handle_col, end_col) = (col(Field::Wait), col(Field::HandleTime), col(Field::End));
    let mut problems = Problems::default();
    let mut tally = Tally::default();
    let mut names = QueueNames::default();
    let mut queues: Vec<QueueRecords> = Vec::new();
    let mut record = ByteRecord::new();
    while let Some(line) = source.next_row(&mut record, &mut tally, &mut problems)? {
        let mut bad = Vec::new();
        let mut fail =
            |c: &Col, f: Field, m: String| bad.push(Problem::new(file, Place::at(line, c.column()), f.name(), m));
        let text = |c: &Col, f: Field, fail: &mut dyn FnMut(&Col, Field, String)| match c.text(&record) {
            Ok(t) => Some(t),
            Err(m) => {
                fail(c, f, m);
                None
            }
        };
        let arrival_text = text(&arrival_col, Field::Arrival, &mut fail);
        let queue = text(&queue_col, Field::Queue, &mut fail);
        let outcome_text = text(&outcome_col, Field::Outcome, &mut fail);
        let (Some(arrival_text), Some(queue), Some(outcome_text)) = (arrival_text, queue, outcome_text) else {
            bad.into_iter().for_each(|p| problems.push(p));
            continue;
        };
        if arrival_text.is_empty() {
            skip(&mut tally, "arrival empty");
            continue;
        }
        if queue.is_empty() {
            skip(&mut tally, "queue empty");
            continue;
        }
        let arrival = match options.times.read(&arrival_text) {
            Ok(a) => Some(a),
            Err(m) => {
                fail(&arrival_col, Field::Arrival, m);
                None
            }
        };
        let outcome = match mapping.outcomes.of(&outcome_text) {
            Some(o) => Some(o),
            None => {
                fail(
                    &outcome_col,
                    Field::Outcome,
                    format!(
                        "{outcome_text:?} is not an outcome; allowed: {} (map others in a mapping file's [records.outcomes])",
                        mapping.outcomes.allowed()
                    ),
                );
                None
            }
        };
        let mut duration = |c: Option<&Col>, f: Field| -> Option<f64> {
            let c = c?;
            let t = text(c, f, &mut fail)?;
            input::duration(&t, c.unit).unwrap_or_else(|m| {
                fail(c, f, m);
                None
            })
        };
        let wait = duration(wait_col, Field::Wait);
        let handle = duration(handle_col, Field::HandleTime);
        let end = end_col.and_then(|c| {
            let t = text(c, Field::End, &mut fail)?;
            if t.is_empty() {
                return None;
            }
            options.times.read(&t).map_err(|m| fail(c, Field::End, m)).ok()
        });
        let response = match (arrival, end) {
            (Some(a), Some(e)) => {
                let r = e.at.duration_since(a.at).as_secs_f64();
                if r < 0.0 {
                    fail(
                        end_col.expect("an end was read"),
                        Field::End,
                        format!("{} is before the arrival {}", e.at, a.at),
                    );
                }
                Some(r)
            }
            _ => None,
        };
        if !bad.is_empty() {
            bad.into_iter().for_each(|p| problems.push(p));
            continue;
        }
        let (Some(arrival), Some(outcome)) = (arrival, outcome) else { unreachable!("a row without problems") };
        let q = match names.number(&queue, file, Place::at(line, queue_col.column())) {
            Ok((q, true)) => {
                queues.push(QueueRecords::new(&queue, end_col.is_some()));
                q
            }
            Ok((q, false)) => q,
            Err(p) => {
                problems.push(p);
                break;
            }
        };
        let acc = &mut queues[q];
        tally.used += 1;
        acc.offered += 1;
        let cell = &mut acc.by_minute[arrival.minute_of_day() as usize];
        cell.offered += 1;
        if let Some(minutes) = options.count_intervals {
            *acc.arrivals.entry(arrival.at.as_second().div_euclid(minutes as i64 * 60)).or_default() += 1;
        }
        if let Some(r) = response {
            if let Some(bins) = &mut acc.response {
                bins.add(r);
                acc.response_total_s += r;
            }
        }
        match outcome {
            Outcome::Answered => {
                acc.answered += 1;
                cell.answered += 1;
                match handle {
                    Some(h) if h > 0.0 => {
                        acc.handle.add(h);
                        acc.handle_bins.add(h);
                        cell.handle_n += 1;
                        cell.handle_s += h;
                    }
                    Some(_) => left_out(&mut tally, "answered with handle time 0: left out of the handle-time fit"),
                    None if handle_col.is_some() => {
                        left_out(&mut tally, "answered without handle time: left out of the handle-time fit")
                    }
                    None => {}
                }
                match wait {
                    Some(w) => {
                        acc.answered_waits.add(w);
                        acc.wait_total_s += w;
                        acc.answered_wait_s += w;
                    }
                    None if wait_col.is_some() => left_out(&mut tally, "answered without wait: left out of patience"),
                    None => {}
                }
            }
            Outcome::Abandoned => {
                acc.abandoned += 1;
                cell.abandoned += 1;
                match wait {
                    Some(w) => {
                        acc.abandoned_waits.add(w);
                        acc.wait_total_s += w;
                        acc.abandoned_log_wait += w.max(LogBins::MIN_S).ln();
                    }
                    None if wait_col.is_some() => left_out(&mut tally, "abandoned without wait: left out of patience"),
                    None => {}
                }
            }
            Outcome::Other => {
                acc.other += 1;
                left_out(&mut tally, "outcome other: counted as offered only");
            }
        }
    }
    problems.into_result()?;
    queues.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(ContactRecords {
        file: file.to_string(),
        queues,
        count_intervals: options.count_intervals,
        has_handle_time: handle_col.is_some(),
        has_wait: wait_col.is_some(),
        has_end: end_col.is_some(),
        tally,
    })
}

fn skip(tally: &mut Tally, why: &str) {
    *tally.skipped.entry(why.to_string()).or_default() += 1;
}

fn left_out(tally: &mut Tally, why: &str) {
    *tally.left_out.entry(why.to_string()).or_default() += 1;
}
