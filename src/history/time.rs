//! Instants in history files: RFC 3339 / ISO 8601 with a UTC offset
//! (`2025-03-02T10:00:00+01:00`, `...Z`), or a local time
//! (`2025-03-02 10:00`) read in the `--timezone` zone, or any layout a
//! strftime format describes. A local time that the zone skips (the clocks
//! go forward) or repeats (they go back) is an error unless the value
//! carries its offset: guessing would move an interval by an hour.

use jiff::civil::DateTime;
use jiff::fmt::temporal::Pieces;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::Timestamp;

/// An instant read from a file: when it is, and the local civil time of
/// day it stands for (in `--timezone` when given, else as written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant {
    /// The instant.
    pub at: Timestamp,
    /// Its local civil date and time.
    pub local: DateTime,
}

impl Instant {
    /// Minutes since local midnight, 0 to 1439.
    pub fn minute_of_day(&self) -> u16 {
        (self.local.hour() as u16) * 60 + self.local.minute() as u16
    }
}

/// Reads instants one way for a whole file.
#[derive(Debug, Clone)]
pub struct TimeReader {
    zone: Option<(TimeZone, String)>,
    format: Option<String>,
}

impl TimeReader {
    /// Reads RFC 3339 (or `format`, a strftime format), local times in
    /// `zone` (its IANA name beside it).
    pub fn new(zone: Option<(TimeZone, String)>, format: Option<String>) -> Self {
        TimeReader { zone, format }
    }

    /// The instant `text` stands for, or what is wrong with it.
    pub fn read(&self, text: &str) -> Result<Instant, String> {
        let text = text.trim();
        let (local, offset) = match &self.format {
            Some(f) => {
                let tm = jiff::fmt::strtime::parse(f, text)
                    .map_err(|e| format!("{text:?} does not match the time format {f:?} ({e})"))?;
                let dt = tm.to_datetime().map_err(|e| format!("{text:?} is not a date and time ({e})"))?;
                (dt, tm.offset())
            }
            None => {
                let pieces = Pieces::parse(text).map_err(|_| {
                    format!(
                        "{text:?} is not a date and time; allowed: RFC 3339 such as 2025-03-02T10:00:00+01:00, \
                         or a local time such as 2025-03-02 10:00 with --timezone (or give a time_format)"
                    )
                })?;
                let time = pieces.time().unwrap_or(jiff::civil::Time::midnight());
                (pieces.date().to_datetime(time), pieces.offset().map(|o| o.to_numeric_offset()))
            }
        };
        match offset {
            Some(offset) => self.with_offset(text, local, offset),
            None => self.in_zone(text, local),
        }
    }

    fn with_offset(&self, text: &str, written: DateTime, offset: Offset) -> Result<Instant, String> {
        let at = offset.to_timestamp(written).map_err(|e| format!("{text:?} is out of range ({e})"))?;
        let local = match &self.zone {
            Some((tz, _)) => tz.to_datetime(at),
            None => written,
        };
        Ok(Instant { at, local })
    }

    fn in_zone(&self, text: &str, local: DateTime) -> Result<Instant, String> {
        let Some((tz, name)) = &self.zone else {
            return Err(format!(
                "{text:?} has no UTC offset; give one (such as {}+01:00) or the zone with --timezone",
                local.strftime("%Y-%m-%dT%H:%M:%S")
            ));
        };
        let ambiguous = tz.to_ambiguous_timestamp(local);
        match ambiguous.offset() {
            AmbiguousOffset::Unambiguous { .. } => {
                let at = ambiguous.unambiguous().map_err(|e| format!("{text:?} is out of range ({e})"))?;
                Ok(Instant { at, local })
            }
            AmbiguousOffset::Gap { before, after } => Err(format!(
                "{text:?} does not exist in {name}: the clocks go forward from {before} to {after} then; \
                 give the offset or fix the time"
            )),
            AmbiguousOffset::Fold { before, after } => Err(format!(
                "{text:?} occurs twice in {name}: the clocks go back from {before} to {after} then; \
                 give the offset (such as {}{before})",
                local.strftime("%Y-%m-%dT%H:%M:%S")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> TimeReader {
        TimeReader::new(Some((TimeZone::get("Europe/Berlin").unwrap(), "Europe/Berlin".into())), None)
    }

    #[test]
    fn offsets_zones_and_formats_give_the_same_instant() {
        let plain = TimeReader::new(None, None);
        let a = plain.read("2025-03-03T10:15:00+01:00").unwrap();
        assert_eq!(a.at.to_string(), "2025-03-03T09:15:00Z");
        assert_eq!(a.minute_of_day(), 10 * 60 + 15);
        assert_eq!(plain.read("2025-03-03T09:15:00Z").unwrap().at, a.at);
        assert_eq!(plain.read("2025-03-03 10:15:00+0100").unwrap().at, a.at);
        let local = berlin().read("2025-03-03 10:15").unwrap();
        assert_eq!(local.at, a.at);
        let us = TimeReader::new(
            Some((TimeZone::get("Europe/Berlin").unwrap(), "Europe/Berlin".into())),
            Some("%m/%d/%Y %H:%M".into()),
        );
        assert_eq!(us.read("03/03/2025 10:15").unwrap().at, a.at);
    }

    #[test]
    fn a_local_time_the_zone_skips_or_repeats_is_refused_unless_its_offset_is_given() {
        let e = berlin().read("2025-03-30 02:30").unwrap_err();
        assert_eq!(e, "\"2025-03-30 02:30\" does not exist in Europe/Berlin: the clocks go forward from +01 to +02 then; give the offset or fix the time");
        let e = berlin().read("2025-10-26 02:30").unwrap_err();
        assert_eq!(e, "\"2025-10-26 02:30\" occurs twice in Europe/Berlin: the clocks go back from +02 to +01 then; give the offset (such as 2025-10-26T02:30:00+02)");
        let first = berlin().read("2025-10-26T02:30:00+02:00").unwrap();
        let second = berlin().read("2025-10-26T02:30:00+01:00").unwrap();
        assert_eq!(second.at.as_second() - first.at.as_second(), 3600);
        assert_eq!(first.minute_of_day(), second.minute_of_day());
        let e = TimeReader::new(None, None).read("2025-03-03 10:15").unwrap_err();
        assert!(e.contains("has no UTC offset"), "{e}");
        let e = TimeReader::new(None, None).read("yesterday").unwrap_err();
        assert!(e.starts_with("\"yesterday\" is not a date and time"), "{e}");
    }
}
