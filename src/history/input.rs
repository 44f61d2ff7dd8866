//! Reading a history file as CSV within stated bounds: a record (row) of
//! at most [`MAX_RECORD_BYTES`], a file of at most a limit per kind, at
//! most [`MAX_QUEUES`] queues. `/dev/zero` or a 10 GB line stops at the
//! first bound with its place; memory never follows the input's whims.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

use csv::ByteRecord;

use super::error::{HistoryError, Place, Problem};
use super::mapping::{Column, Field, Kind, Mapping, Unit};

/// Longest record (row) read, bytes: 1 MiB.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;
/// Largest interval history read, bytes: 2 GiB (its rows are kept, about
/// 48 bytes each).
pub const MAX_INTERVALS_BYTES: u64 = 2 << 30;
/// Largest contact-record file read, bytes: 256 GiB (records are folded
/// as they are read: memory does not grow with them, time does).
pub const MAX_RECORDS_BYTES: u64 = 256 << 30;
/// Most queues in one file.
pub const MAX_QUEUES: usize = 1000;

/// Bytes read ahead of the record being parsed (ours and the csv
/// reader's buffers).
const READ_AHEAD: u64 = 64 * 1024 + 8 * 1024;

/// The largest file of `kind`, bytes.
pub fn max_bytes(kind: Kind) -> u64 {
    match kind {
        Kind::Intervals => MAX_INTERVALS_BYTES,
        Kind::Records => MAX_RECORDS_BYTES,
    }
}

/// Which bound a read crossed.
#[derive(Debug)]
enum Bound {
    Record,
    File(u64),
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Record => write!(f, "a record longer than 1 MiB"),
            Bound::File(limit) => write!(f, "larger than {} MiB", limit >> 20),
        }
    }
}

impl std::error::Error for Bound {}

/// A reader that refuses to run past a record's bound or the file's.
struct Bounded<R> {
    inner: R,
    delivered: u64,
    record_start: Rc<Cell<u64>>,
    limit: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.delivered - self.record_start.get() > MAX_RECORD_BYTES + READ_AHEAD {
            return Err(std::io::Error::other(Bound::Record));
        }
        if self.delivered > self.limit {
            return Err(std::io::Error::other(Bound::File(self.limit)));
        }
        let n = self.inner.read(buf)?;
        self.delivered += n as u64;
        Ok(n)
    }
}

/// A CSV file being read: its header and its records, one at a time.
pub(crate) struct Source<R: Read> {
    reader: csv::Reader<BufReader<Bounded<R>>>,
    record_start: Rc<Cell<u64>>,
    /// The file's name, for messages.
    pub(crate) file: String,
    /// The header's names, trimmed.
    pub(crate) header: Vec<String>,
    kind: Kind,
}

impl<R: Read> Source<R> {
    /// Opens `inner` (named `file`) as a `kind` file with `mapping`'s
    /// delimiter, or the one its header line uses (`,`, `;` or tab).
    pub(crate) fn new(inner: R, file: &str, kind: Kind, mapping: &Mapping) -> Result<Self, HistoryError> {
        let record_start = Rc::new(Cell::new(0));
        let bounded = Bounded { inner, delivered: 0, record_start: record_start.clone(), limit: max_bytes(kind) };
        let mut buffered = BufReader::with_capacity(64 * 1024, bounded);
        let delimiter = match mapping.delimiter {
            Some(d) => d,
            None => {
                let head = buffered.fill_buf().map_err(|e| io_problem(file, Place::line(1), &e))?;
                sniff(head)
            }
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(8 * 1024)
            .from_reader(buffered);
        let mut source = Source { reader, record_start, file: file.to_string(), header: Vec::new(), kind };
        let mut first = ByteRecord::new();
        if !source.next(&mut first)? {
            return Err(HistoryError::one(
                file,
                Place::file(),
                "",
                format!("is empty: a {} needs a header line", kind.noun()),
            ));
        }
        source.header = first
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
                let h = if i == 0 { h.trim_start_matches('\u{feff}') } else { &h };
                h.trim().to_string()
            })
            .collect();
        Ok(source)
    }

    /// Reads the next record into `record`; false at the end.
    pub(crate) fn next(&mut self, record: &mut ByteRecord) -> Result<bool, HistoryError> {
        let more = self.reader.read_byte_record(record).map_err(|e| self.csv_problem(e))?;
        self.record_start.set(self.reader.position().byte());
        Ok(more)
    }

    /// Reads the next data row of the header's width into `record`: its
    /// line, or `None` at the end or once `problems` is full. Every row is
    /// counted as read in `tally`; a row of another width goes into
    /// `problems` and is passed over.
    pub(crate) fn next_row(
        &mut self,
        record: &mut ByteRecord,
        tally: &mut super::Tally,
        problems: &mut super::error::Problems,
    ) -> Result<Option<u64>, HistoryError> {
        while !problems.is_full() && self.next(record)? {
            let line = record.position().map_or(0, |p| p.line());
            tally.read += 1;
            if record.len() == self.header.len() {
                return Ok(Some(line));
            }
            problems.push(Problem::new(
                &self.file,
                Place::line(line),
                "",
                format!("has {} fields, the header {}", record.len(), self.header.len()),
            ));
        }
        Ok(None)
    }

    fn csv_problem(&self, e: csv::Error) -> HistoryError {
        let line = e.position().map_or(self.reader.position().line(), |p| p.line());
        match e.into_kind() {
            csv::ErrorKind::Io(io) => io_problem(&self.file, Place::line(line), &io),
            other => HistoryError::one(&self.file, Place::line(line), "", format!("is not CSV ({other:?})")),
        }
    }

    /// The kind of file.
    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }
}

fn io_problem(file: &str, place: Place, e: &std::io::Error) -> HistoryError {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<Bound>()) {
        Some(Bound::Record) => HistoryError::one(
            file,
            place,
            "",
            format!("{}: is this a CSV file? (a row may hold at most {} bytes)", Bound::Record, MAX_RECORD_BYTES),
        ),
        Some(b @ Bound::File(limit)) => HistoryError::one(
            file,
            Place::file(),
            "",
            format!("is {b}, the most this kind of file may be ({limit} bytes); split it by date"),
        ),
        None => HistoryError::one(file, place, "", format!("could not be read: {e}")),
    }
}

/// Opens the file at `path`; its name as given, for messages.
pub(crate) fn open(path: &std::path::Path) -> Result<(std::fs::File, String), HistoryError> {
    let name = path.display().to_string();
    match std::fs::File::open(path) {
        Ok(f) => Ok((f, name)),
        Err(e) => Err(HistoryError::one(&name, Place::file(), "", format!("could not be opened: {e}"))),
    }
}

/// Queue names met in a file, each numbered in order of first
/// appearance; at most [`MAX_QUEUES`].
#[derive(Debug, Default)]
pub(crate) struct QueueNames {
    index: std::collections::HashMap<String, usize>,
}

impl QueueNames {
    /// The number of queue `name` and whether it is new; a problem at
    /// `place` of `file` when it would be one too many.
    pub(crate) fn number(&mut self, name: &str, file: &str, place: Place) -> Result<(usize, bool), Problem> {
        if let Some(&q) = self.index.get(name) {
            return Ok((q, false));
        }
        let q = self.index.len();
        if q == MAX_QUEUES {
            return Err(Problem::new(
                file,
                place,
                "queue",
                format!("{name:?} would be queue {}; at most {MAX_QUEUES} are read (is this the queue column?)", q + 1),
            ));
        }
        self.index.insert(name.to_string(), q);
        Ok((q, true))
    }
}

/// The delimiter a header line uses: the most frequent of `,`, `;` and
/// tab (`,` on a tie or none).
fn sniff(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    let (comma, semi, tab) = (count(b','), count(b';'), count(b'\t'));
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// A field's column(s) in a file.
#[derive(Debug, Clone)]
pub(crate) struct Col {
    /// The indices of its header names, in order; joined with a space.
    pub(crate) idx: Vec<usize>,
    /// Unit of plain numbers.
    pub(crate) unit: Unit,
    /// The header as written, for messages.
    pub(crate) header: String,
    /// The threshold, seconds, a `{N}` in the column's name gave.
    pub(crate) threshold_s: Option<f64>,
}

impl Col {
    /// The 1-based column of the field (its first header), for places.
    pub(crate) fn column(&self) -> usize {
        self.idx[0] + 1
    }

    /// The field's number in `record` (a duration in seconds when
    /// `duration`); empty is `None`. Plain decimals of up to 15 digits
    /// are read straight from the bytes (the same correctly rounded value
    /// `str::parse` gives); anything else as text.
    #[inline]
    pub(crate) fn value(&self, record: &ByteRecord, duration: bool) -> Result<Option<f64>, String> {
        if let [i] = self.idx[..] {
            let bytes = record.get(i).unwrap_or(b"").trim_ascii();
            if let Some(x) = plain_decimal(bytes) {
                return Ok(Some(if duration { x * self.unit.seconds() } else { x }));
            }
        }
        let text = self.text(record)?;
        if duration {
            self::duration(&text, self.unit)
        } else {
            number(&text)
        }
    }

    /// The field's text in `record` (joined with spaces when several);
    /// a cell a spreadsheet guard was put on (`'=x`, as wfmsim's CSV
    /// exports write a text starting with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return) read without it.
    pub(crate) fn text<'r>(&self, record: &'r ByteRecord) -> Result<Cow<'r, str>, String> {
        let one = |i: usize| -> Result<&'r str, String> {
            let bytes = record.get(i).unwrap_or(b"");
            let text = std::str::from_utf8(bytes)
                .map_err(|_| format!("{:?} is not UTF-8 text", String::from_utf8_lossy(bytes)))?;
            Ok(match text.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
                _ => text,
            })
        };
        if self.idx.len() == 1 {
            return Ok(Cow::Borrowed(one(self.idx[0])?.trim()));
        }
        let parts: Result<Vec<&str>, String> = self.idx.iter().map(|&i| one(i).map(str::trim)).collect();
        Ok(Cow::Owned(parts?.join(" ")))
    }
}

/// The columns of every field found in `header`; a required field
/// without one, or an explicit column not in the header, is an error.
pub(crate) fn resolve(
    header: &[String],
    mapping: &Mapping,
    file: &str,
) -> Result<std::collections::BTreeMap<Field, Col>, HistoryError> {
    let mut found = std::collections::BTreeMap::new();
    let mut problems = super::error::Problems::default();
    for &field in Field::of(mapping.kind) {
        let column = mapping.column(field);
        let explicit = mapping.is_explicit(field);
        let plain =
            || (field == Field::AnsweredWithin && !explicit).then(|| find(header, &Column::named("answered_within")));
        match find(header, &column).or_else(|| plain().flatten()) {
            Some(col) => {
                found.insert(field, col);
            }
            None if explicit || field.required(mapping.kind) => {
                let looked = column.names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(" + ");
                let how = if explicit { "as mapped" } else { "wfmsim's own name" };
                problems.push(super::error::Problem::new(
                    file,
                    Place::line(1),
                    field.name(),
                    format!(
                        "no column {looked} ({how}); the header has: {}; map it with --map {}=COLUMN{}",
                        header.join(", "),
                        field.name(),
                        if field.required(mapping.kind) { "" } else { " or leave it out of the mapping" }
                    ),
                ));
            }
            None => {}
        }
    }
    problems.into_result().map(|()| found)
}

/// The column of `column`'s names in `header`, ignoring case and spaces
/// around; `{N}` in a name matches a number (the threshold, seconds).
fn find(header: &[String], column: &Column) -> Option<Col> {
    let mut idx = Vec::new();
    let mut threshold_s = None;
    for name in &column.names {
        let i = header.iter().position(|h| h.eq_ignore_ascii_case(name.trim())).or_else(|| {
            let (pre, post) = name.split_once("{N}")?;
            header.iter().position(|h| {
                let lower = h.to_ascii_lowercase();
                let (pre, post) = (pre.to_ascii_lowercase(), post.to_ascii_lowercase());
                lower.len() > pre.len() + post.len()
                    && lower.starts_with(&pre)
                    && lower.ends_with(&post)
                    && lower[pre.len()..lower.len() - post.len()].parse::<f64>().is_ok_and(|n| {
                        threshold_s = Some(n);
                        (0.0..=86_400.0).contains(&n)
                    })
            })
        });
        idx.push(i?);
    }
    if idx.is_empty() {
        return None;
    }
    let header_text = idx.iter().map(|&i| header[i].as_str()).collect::<Vec<_>>().join(" + ");
    Some(Col { idx, unit: column.unit, header: header_text, threshold_s })
}

/// Powers of ten exact in an f64.
const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// `digits` or `digits.digits`, at most 15 digits in all: the mantissa
/// and the power of ten are exact, so their quotient is the correctly
/// rounded value. Anything else (signs, exponents, more digits): `None`.
#[inline]
fn plain_decimal(bytes: &[u8]) -> Option<f64> {
    let (mut mantissa, mut digits, mut fraction) = (0u64, 0usize, None::<usize>);
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + (b - b'0') as u64;
                digits += 1;
                if let Some(f) = &mut fraction {
                    *f += 1;
                }
                if digits > 15 {
                    return None;
                }
            }
            b'.' if fraction.is_none() && digits > 0 => fraction = Some(0),
            _ => return None,
        }
    }
    match fraction {
        _ if digits == 0 => None,
        Some(0) => None,
        f => Some(mantissa as f64 / POW10[f.unwrap_or(0)]),
    }
}

/// Largest value a history file may hold (a count, or seconds before a
/// unit): rows keep values as `f32`, in which 1e300 read as infinity and
/// printed a patience interval of `[inf, inf]` s.
pub const MAX_VALUE: f64 = 1e15;

/// A count or quantity: empty is `None`; otherwise a number from 0 to
/// [`MAX_VALUE`].
pub(crate) fn number(text: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && x > MAX_VALUE => {
            Err(format!("{text:?} is more than {MAX_VALUE:e}; allowed: a number ≥ 0 up to {MAX_VALUE:e}"))
        }
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
        Ok(x) if x.is_nan() => Err(format!("{text:?} is not a number; allowed: a number ≥ 0")),
        Ok(x) if x < 0.0 => Err(format!("{text:?} is negative; allowed: a number ≥ 0")),
        Ok(_) => Err(format!("{text:?} is not finite; allowed: a number ≥ 0")),
        Err(_) => Err(format!("{text:?} is not a number; allowed: a number ≥ 0")),
    }
}

/// A duration, seconds: empty is `None`; `H:MM:SS`, `MM:SS` (seconds may
/// have a fraction), or a number ≥ 0 in `unit`.
pub(crate) fn duration(text: &str, unit: Unit) -> Result<Option<f64>, String> {
    if !text.contains(':') {
        return Ok(number(text)
            .map_err(|m| m.replace("a number ≥ 0", &format!("{} ≥ 0 or H:MM:SS", unit_name(unit))))?
            .map(|x| x * unit.seconds()));
    }
    let bad = || format!("{text:?} is not a duration; allowed: H:MM:SS, MM:SS or {} ≥ 0", unit_name(unit));
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 {
        return Err(bad());
    }
    let mut seconds = 0.0;
    for (k, part) in parts.iter().enumerate() {
        let last = k + 1 == parts.len();
        let v: f64 = part.trim().parse().map_err(|_| bad())?;
        if !v.is_finite() || v < 0.0 || (!last && v.fract() != 0.0) || (k > 0 && v >= 60.0) {
            return Err(bad());
        }
        seconds = seconds * 60.0 + v;
    }
    if seconds > MAX_VALUE {
        return Err(bad());
    }
    Ok(Some(seconds))
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Seconds => "seconds",
        Unit::Milliseconds => "milliseconds",
        Unit::Minutes => "minutes",
        Unit::Hours => "hours",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_numbers_in_their_unit_and_clock_times() {
        assert_eq!(duration("90", Unit::Seconds), Ok(Some(90.0)));
        assert_eq!(duration("1.5", Unit::Minutes), Ok(Some(90.0)));
        assert_eq!(duration("1:30", Unit::Minutes), Ok(Some(90.0)));
        assert_eq!(duration("0:01:30.5", Unit::Seconds), Ok(Some(90.5)));
        assert_eq!(duration("", Unit::Seconds), Ok(None));
        assert_eq!(duration("-3", Unit::Seconds), Err("\"-3\" is negative; allowed: seconds ≥ 0 or H:MM:SS".into()));
        assert_eq!(
            duration("1:75", Unit::Seconds),
            Err("\"1:75\" is not a duration; allowed: H:MM:SS, MM:SS or seconds ≥ 0".into())
        );
        assert_eq!(number("NaN"), Err("\"NaN\" is not a number; allowed: a number ≥ 0".into()));
        assert_eq!(number("inf"), Err("\"inf\" is not finite; allowed: a number ≥ 0".into()));
    }

    #[test]
    fn plain_decimals_read_from_bytes_equal_the_parsed_ones() {
        for s in ["0", "7", "12345", "0.5", "18659.271", "396.308", "123456789012345", "1.00000000000001", "0.000"] {
            assert_eq!(plain_decimal(s.as_bytes()), Some(s.parse::<f64>().unwrap()), "{s}");
        }
        for s in ["", ".5", "5.", "-1", "1e3", "1.2.3", "1234567890123456", "NaN", " 1"] {
            assert_eq!(plain_decimal(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn the_delimiter_is_the_header_line_s_most_frequent() {
        assert_eq!(sniff(b"a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff(b"a\tb\tc"), b'\t');
        assert_eq!(sniff(b"a,b;c"), b',');
        assert_eq!(sniff(b"single"), b',');
    }

    #[test]
    fn a_line_without_end_stops_at_the_record_bound() {
        let zeros = std::io::repeat(0).take(3 << 20);
        let e = match Source::new(zeros, "zero.csv", Kind::Records, &Mapping::new(Kind::Records)) {
            Err(e) => e,
            Ok(_) => panic!("3 MiB of NUL read as a header"),
        };
        assert_eq!(
            e.to_string(),
            "zero.csv:1: a record longer than 1 MiB: is this a CSV file? (a row may hold at most 1048576 bytes)"
        );
    }
}
