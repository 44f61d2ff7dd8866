//! An interval history: one row per queue and interval (an ACD's interval
//! report), read, checked and kept per queue in time order. The interval
//! length is inferred from the data (5, 6, 10, 15, 30 or 60 minutes) and
//! every row must sit on it; a missing interval is a gap, left out of
//! every estimate (never read as zero), and reported.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use csv::ByteRecord;
use jiff::Timestamp;

use super::error::{HistoryError, Place, Problem, Problems};
use super::input::{self, Col, QueueNames, Source};
use super::mapping::{Aggregate, Field, Kind, Mapping};
use super::time::{Instant, TimeReader};
use super::{Series, Tally};

/// Interval lengths a history may have, minutes.
pub const INTERVAL_MINUTES: [u32; 6] = [5, 6, 10, 15, 30, 60];

/// How to read an interval history.
#[derive(Debug, Clone)]
pub struct IntervalOptions {
    /// Columns, units, aggregation.
    pub mapping: Mapping,
    /// Reads local times (IANA name beside the zone).
    pub times: TimeReader,
    /// The interval length, minutes, when the data cannot show it (one
    /// row per queue); checked against the data otherwise.
    pub interval_minutes: Option<u32>,
}

/// One queue's interval: counts and sums, `NaN` where the file had none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// Start, seconds since the Unix epoch (UTC).
    pub start: i64,
    /// Local minute of day of the start (0–1439).
    pub minute_of_day: u16,
    /// Line in the file.
    pub line: u32,
    /// Contacts offered.
    pub offered: f32,
    /// Contacts answered.
    pub answered: f32,
    /// Contacts abandoned.
    pub abandoned: f32,
    /// Handle time of the answered contacts, total, seconds.
    pub handle_s: f32,
    /// Answered within the threshold.
    pub answered_within: f32,
    /// The threshold, seconds.
    pub within_s: f32,
    /// Staffed agents (mean over the interval).
    pub agents: f32,
    /// Wait of the answered contacts, total, seconds.
    pub wait_answered_s: f32,
    /// Wait of the abandoned contacts before they hung up, total, seconds.
    pub wait_abandoned_s: f32,
}

/// A value, `None` when the file had none.
pub fn known(x: f32) -> Option<f64> {
    (!x.is_nan()).then_some(x as f64)
}

/// One queue's rows, in time order, no two at one start.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueIntervals {
    /// The queue's name as written.
    pub name: String,
    /// Its rows.
    pub rows: Vec<Row>,
}

impl QueueIntervals {
    /// The values `value` picks from each interval from this queue's first
    /// row to its last, `None` for a gap (or a value the row lacks).
    pub fn series(&self, interval_minutes: u32, value: impl Fn(&Row) -> Option<f64>) -> Series {
        let step = interval_minutes as i64 * 60;
        let first = self.rows.first().map_or(0, |r| r.start);
        let len = self.rows.last().map_or(0, |r| ((r.start - first) / step + 1) as usize);
        let mut values = vec![None; len];
        for r in &self.rows {
            values[((r.start - first) / step) as usize] = value(r);
        }
        Series { start: Timestamp::from_second(first).expect("a start read from the file"), interval_minutes, values }
    }
}

/// The optional columns a history has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Columns {
    /// `answered`.
    pub answered: bool,
    /// `abandoned`.
    pub abandoned: bool,
    /// `handle_time`.
    pub handle_time: bool,
    /// `answered_within`.
    pub answered_within: bool,
    /// `agents`.
    pub agents: bool,
    /// `wait_answered`.
    pub wait_answered: bool,
    /// `wait_abandoned`.
    pub wait_abandoned: bool,
}

/// An interval history, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalHistory {
    /// The file, as named.
    pub file: String,
    /// Interval length, minutes.
    pub interval_minutes: u32,
    /// Optional columns present.
    pub columns: Columns,
    /// Queues, by name.
    pub queues: Vec<QueueIntervals>,
    /// Rows read, used and skipped.
    pub tally: Tally,
    /// What was done about data that could still be used (gaps, order).
    pub warnings: Vec<Problem>,
}

impl IntervalHistory {
    /// The queue named `name`.
    pub fn queue(&self, name: &str) -> Option<&QueueIntervals> {
        self.queues.iter().find(|q| q.name == name)
    }

    /// Queue `name`'s offered contacts per interval from its first row to
    /// its last, `None` for a gap: what a forecast reads.
    pub fn offered(&self, name: &str) -> Option<Series> {
        Some(self.queue(name)?.series(self.interval_minutes, |r| known(r.offered)))
    }

    /// Bytes the rows hold.
    pub fn bytes(&self) -> usize {
        self.queues.iter().map(|q| q.rows.capacity() * std::mem::size_of::<Row>() + q.name.capacity()).sum()
    }
}

/// Reads the interval history at `path`.
pub fn read_file(path: &Path, options: &IntervalOptions) -> Result<IntervalHistory, HistoryError> {
    let (file, name) = input::open(path)?;
    read(file, &name, options)
}

/// The columns of one file, found from its header.
struct Layout {
    /// By the field's place in [`Field::INTERVALS`].
    cols: [Option<Col>; Field::INTERVALS.len()],
    /// The threshold of `answered_within` when no column gives it per row.
    within_s: Option<f64>,
}

impl Layout {
    fn new(mut found: BTreeMap<Field, Col>, within_s: Option<f64>) -> Self {
        Layout { cols: Field::INTERVALS.map(|f| found.remove(&f)), within_s }
    }

    #[inline]
    fn col(&self, f: Field) -> Option<&Col> {
        self.cols[Field::INTERVALS.iter().position(|&g| g == f).expect("a field of an interval history")].as_ref()
    }
}

/// Reads an interval history from `reader`, named `file` in messages.
pub fn read(reader: impl Read, file: &str, options: &IntervalOptions) -> Result<IntervalHistory, HistoryError> {
    let mapping = &options.mapping;
    let mut source = Source::new(reader, file, Kind::Intervals, mapping)?;
    debug_assert_eq!(source.kind(), Kind::Intervals);
    let cols = input::resolve(&source.header, mapping, file)?;
    let within_s = cols.get(&Field::AnsweredWithin).and_then(|c| c.threshold_s).or(mapping.within_s);
    let layout = Layout::new(cols, within_s);
    if layout.col(Field::AnsweredWithin).is_some() && layout.col(Field::Within).is_none() && layout.within_s.is_none() {
        let col = layout.col(Field::AnsweredWithin).expect("present");
        return Err(HistoryError::one(
            file,
            Place::at(1, col.column()),
            "answered_within",
            format!(
                "{:?} gives no threshold; name the column answered_within_20s, add a within_s column, \
                 or give --within-s SECONDS",
                col.header
            ),
        ));
    }
    let columns = Columns {
        answered: layout.col(Field::Answered).is_some(),
        abandoned: layout.col(Field::Abandoned).is_some(),
        handle_time: layout.col(Field::HandleTime).is_some(),
        answered_within: layout.col(Field::AnsweredWithin).is_some(),
        agents: layout.col(Field::Agents).is_some(),
        wait_answered: layout.col(Field::WaitAnswered).is_some(),
        wait_abandoned: layout.col(Field::WaitAbandoned).is_some(),
    };

    let mut problems = Problems::default();
    let mut tally = Tally::default();
    let mut names = QueueNames::default();
    let mut queues: Vec<QueueIntervals> = Vec::new();
    let mut record = ByteRecord::new();
    let mut last_start: Option<(Vec<u8>, Instant)> = None;
    let start_col = layout.col(Field::Start).expect("required").clone();
    while let Some(line) = source.next_row(&mut record, &mut tally, &mut problems)? {
        let mut row_problems = Vec::new();
        let mut fail = |col: &Col, field: Field, message: String| {
            row_problems.push(Problem::new(file, Place::at(line, col.column()), field.name(), message));
        };
        // The start, read once for every row of one instant.
        let start_bytes = record.get(start_col.idx[0]).unwrap_or(b"");
        let start = match &last_start {
            Some((bytes, instant)) if start_col.idx.len() == 1 && bytes.as_slice() == start_bytes => Some(*instant),
            _ => match start_col.text(&record).and_then(|t| {
                if t.is_empty() {
                    Err("is empty; every row needs its interval's start".to_string())
                } else {
                    options.times.read(&t)
                }
            }) {
                Ok(instant) => {
                    last_start = Some((start_bytes.to_vec(), instant));
                    Some(instant)
                }
                Err(m) => {
                    fail(&start_col, Field::Start, m);
                    None
                }
            },
        };
        let queue_col = layout.col(Field::Queue).expect("required");
        let queue = match queue_col.text(&record) {
            Ok(q) if q.is_empty() => {
                fail(queue_col, Field::Queue, "is empty; every row names its queue".into());
                None
            }
            Ok(q) => Some(q),
            Err(m) => {
                fail(queue_col, Field::Queue, m);
                None
            }
        };
        let mut value = |field: Field| -> f64 {
            let Some(col) = layout.col(field) else { return f64::NAN };
            match col.value(&record, field.is_duration()) {
                Ok(v) => v.unwrap_or(f64::NAN),
                Err(m) => {
                    fail(col, field, m);
                    f64::NAN
                }
            }
        };
        let offered = value(Field::Offered);
        let answered = value(Field::Answered);
        let abandoned = value(Field::Abandoned);
        let handle = value(Field::HandleTime);
        let within = value(Field::AnsweredWithin);
        let within_s = value(Field::Within);
        let agents = value(Field::Agents);
        let wait_answered = value(Field::WaitAnswered);
        let wait_abandoned = value(Field::WaitAbandoned);
        let place = |f: Field| Place::at(line, layout.col(f).map_or(0, Col::column));
        if answered + abandoned.max(0.0) > offered + 1e-6 || abandoned > offered + 1e-6 {
            let f = if abandoned.is_nan() { Field::Answered } else { Field::Abandoned };
            row_problems.push(Problem::new(
                file,
                place(f),
                f.name(),
                format!(
                    "answered + abandoned = {} is more than offered = {}",
                    shown(answered.max(0.0) + abandoned.max(0.0)),
                    shown(offered)
                ),
            ));
        }
        if within > answered + 1e-6 {
            row_problems.push(Problem::new(
                file,
                place(Field::AnsweredWithin),
                "answered_within",
                format!("{} is more than answered = {}", shown(within), shown(answered)),
            ));
        }
        if !row_problems.is_empty() {
            for p in row_problems {
                problems.push(p);
            }
            continue;
        }
        let (Some(start), Some(queue)) = (start, queue) else { unreachable!("a row without problems") };
        if offered.is_nan() {
            *tally
                .skipped
                .entry("offered empty: the interval is a gap, left out (not read as zero)".into())
                .or_default() += 1;
            continue;
        }
        let per = |total: f64, aggregate: Aggregate, count: f64| match aggregate {
            Aggregate::Sum => total,
            Aggregate::Mean if count == 0.0 && !total.is_nan() => 0.0,
            Aggregate::Mean => total * count,
        };
        let row = Row {
            start: start.at.as_second(),
            minute_of_day: start.minute_of_day(),
            line: line.min(u32::MAX as u64) as u32,
            offered: offered as f32,
            answered: answered as f32,
            abandoned: abandoned as f32,
            handle_s: per(handle, mapping.handle_time, answered) as f32,
            answered_within: within as f32,
            within_s: if within_s.is_nan() { layout.within_s.unwrap_or(f64::NAN) } else { within_s } as f32,
            agents: agents as f32,
            wait_answered_s: per(wait_answered, mapping.waits, answered) as f32,
            wait_abandoned_s: per(wait_abandoned, mapping.waits, abandoned) as f32,
        };
        for (present, v, what) in [
            (columns.answered, row.answered, "answered empty"),
            (columns.abandoned, row.abandoned, "abandoned empty"),
            (columns.handle_time, row.handle_s, "handle_time empty"),
            (columns.answered_within, row.answered_within, "answered_within empty"),
            (columns.agents, row.agents, "agents empty"),
            (columns.wait_answered, row.wait_answered_s, "wait_answered empty"),
            (columns.wait_abandoned, row.wait_abandoned_s, "wait_abandoned empty"),
        ] {
            if present && v.is_nan() {
                *tally.left_out.entry(format!("{what}: the interval is left out of what needs it")).or_default() += 1;
            }
        }
        let q = match names.number(&queue, file, Place::at(line, queue_col.column())) {
            Ok((q, true)) => {
                queues.push(QueueIntervals { name: queue.to_string(), rows: Vec::new() });
                q
            }
            Ok((q, false)) => q,
            Err(p) => {
                problems.push(p);
                break;
            }
        };
        queues[q].rows.push(row);
        tally.used += 1;
    }
    problems.into_result()?;
    if tally.used == 0 {
        return Err(HistoryError::one(file, Place::file(), "", "has no interval with offered contacts"));
    }
    queues.sort_by(|a, b| a.name.cmp(&b.name));
    let mut warnings = Vec::new();
    for q in &mut queues {
        q.rows.shrink_to_fit();
        if let Some(k) = (1..q.rows.len()).find(|&k| q.rows[k].start < q.rows[k - 1].start) {
            warnings.push(Problem::new(
                file,
                Place::line(q.rows[k].line as u64),
                "start",
                format!(
                    "rows of queue {:?} are not in time order (this one starts before line {}); read in time order",
                    q.name,
                    q.rows[k - 1].line
                ),
            ));
            q.rows.sort_by_key(|r| (r.start, r.line));
        }
    }
    let interval_minutes = interval_length(&queues, options.interval_minutes, file, &start_col)?;
    check_grid(&queues, interval_minutes, file, &start_col)?;
    warnings.extend(gaps(&queues, interval_minutes, file));
    Ok(IntervalHistory { file: file.to_string(), interval_minutes, columns, queues, tally, warnings })
}

/// A number as messages show it.
fn shown(x: f64) -> String {
    crate::diagnostic::shown(x)
}

/// The interval length, minutes: the least distance between two rows of
/// a queue (or as given), one of [`INTERVAL_MINUTES`].
fn interval_length(
    queues: &[QueueIntervals],
    given: Option<u32>,
    file: &str,
    start: &Col,
) -> Result<u32, HistoryError> {
    let mut least: Option<(i64, u32, u32, &str)> = None;
    for q in queues {
        for w in q.rows.windows(2) {
            let d = w[1].start - w[0].start;
            if d > 0 && least.is_none_or(|(l, ..)| d < l) {
                least = Some((d, w[0].line, w[1].line, &q.name));
            }
        }
    }
    let allowed = "intervals of 5, 6, 10, 15, 30 or 60 minutes are allowed";
    match (least, given) {
        (None, None) => Err(HistoryError::one(
            file,
            Place::file(),
            "",
            "has one row per queue: the interval length cannot be seen; give --interval-minutes",
        )),
        (None, Some(m)) => Ok(m),
        (Some((d, a, b, q)), given) => {
            let minutes = given.unwrap_or((d / 60) as u32);
            if let Some(m) = given {
                if d % (m as i64 * 60) == 0 {
                    return Ok(m);
                }
            } else if d % 60 == 0 && INTERVAL_MINUTES.contains(&minutes) {
                return Ok(minutes);
            }
            let what = match given {
                Some(m) => format!("not a multiple of the {m} minutes given"),
                None => allowed.to_string(),
            };
            Err(HistoryError::one(
                file,
                Place::at(b as u64, start.column()),
                "start",
                format!("rows of queue {q:?} at lines {a} and {b} are {} apart; {what}", span(d)),
            ))
        }
    }
}

/// `d` seconds as minutes (and seconds).
fn span(d: i64) -> String {
    if d % 60 == 0 {
        format!("{} minutes", d / 60)
    } else {
        format!("{} minutes {} seconds", d / 60, d % 60)
    }
}

/// Every row sits on its queue's grid of `minutes`, and no interval is
/// given twice.
fn check_grid(queues: &[QueueIntervals], minutes: u32, file: &str, start: &Col) -> Result<(), HistoryError> {
    let step = minutes as i64 * 60;
    let mut problems = Problems::default();
    for q in queues {
        for w in q.rows.windows(2) {
            let d = w[1].start - w[0].start;
            let place = Place::at(w[1].line as u64, start.column());
            let at = Timestamp::from_second(w[1].start).expect("read from the file");
            if d == 0 {
                problems.push(Problem::new(
                    file,
                    place,
                    "start",
                    format!(
                        "queue {:?}'s interval {at} is given twice (lines {} and {})",
                        q.name, w[0].line, w[1].line
                    ),
                ));
            } else if d % step != 0 {
                problems.push(Problem::new(
                    file,
                    place,
                    "start",
                    format!(
                        "{at} is not on queue {:?}'s grid of {minutes} minutes (line {} starts {} before it)",
                        q.name,
                        w[0].line,
                        span(d)
                    ),
                ));
            }
            if problems.is_full() {
                break;
            }
        }
    }
    problems.into_result()
}

/// A warning per queue with gaps: how many, how many intervals, the first.
fn gaps(queues: &[QueueIntervals], minutes: u32, file: &str) -> Vec<Problem> {
    let step = minutes as i64 * 60;
    let mut warnings = Vec::new();
    for q in queues {
        let (mut count, mut missing, mut first) = (0u64, 0i64, None);
        for w in q.rows.windows(2) {
            let d = w[1].start - w[0].start;
            if d > step {
                count += 1;
                missing += d / step - 1;
                first.get_or_insert((w[0], w[1]));
            }
        }
        if let Some((a, b)) = first {
            let from = Timestamp::from_second(a.start + step).expect("in range");
            let to = Timestamp::from_second(b.start).expect("in range");
            warnings.push(Problem::new(
                file,
                Place::line(b.line as u64),
                "start",
                format!(
                    "queue {:?} has {count} gap(s), {missing} interval(s) missing (the first from {from} to {to}, \
                     between lines {} and {}): left out of fitting, not filled with zeros",
                    q.name, a.line, b.line
                ),
            ));
        }
    }
    warnings
}
