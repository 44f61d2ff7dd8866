//! Roll-up periods: the reported days grouped into days, ISO weeks
//! (Monday to Sunday), calendar months or calendar quarters of the
//! reporting zone. A period the horizon covers only in part (a month
//! starting mid-month) is flagged as partial.

use std::ops::Range;

use jiff::civil::Date;

use crate::model::Model;

/// How reported days are grouped for roll-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// Each reported day.
    #[default]
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
    /// Calendar quarters (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec).
    Quarter,
}

impl PeriodKind {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Quarter => "quarter",
        }
    }

    /// The period a date falls in, as a label: `2026-11-23`, `2026-W48`,
    /// `2026-11`, `2026-Q4`.
    fn label(self, d: Date) -> String {
        match self {
            Self::Day => d.to_string(),
            Self::Week => {
                let w = d.iso_week_date();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Self::Month => format!("{}-{:02}", d.year(), d.month()),
            Self::Quarter => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
        }
    }

    /// Days in the whole calendar period that holds `d`.
    fn full_days(self, d: Date) -> usize {
        match self {
            Self::Day => 1,
            Self::Week => 7,
            Self::Month => d.days_in_month() as usize,
            Self::Quarter => {
                let first = (d.month() - 1) / 3 * 3 + 1;
                (first..first + 3).map(|m| Date::new(d.year(), m, 1).map_or(30, |x| x.days_in_month() as usize)).sum()
            }
        }
    }
}

/// One roll-up period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodSpan {
    /// Its label (see [`PeriodKind`]).
    pub label: String,
    /// Its reported days (indices into `Model::days`).
    pub days: Range<usize>,
    /// Its intervals.
    pub intervals: Range<usize>,
    /// Whether the horizon covers only part of it.
    pub partial: bool,
}

/// The model's reported days grouped by `kind`, in time order.
pub fn spans(model: &Model, kind: PeriodKind) -> Vec<PeriodSpan> {
    let mut out: Vec<PeriodSpan> = Vec::new();
    for (d, day) in model.days.iter().enumerate() {
        let label = kind.label(day.date);
        match out.last_mut() {
            Some(last) if last.label == label => {
                last.days.end = d + 1;
                last.intervals.end = day.first_interval + day.intervals;
            }
            _ => out.push(PeriodSpan { label, days: d..d + 1, intervals: day.interval_range(), partial: false }),
        }
    }
    for span in &mut out {
        let first = model.days[span.days.start].date;
        span.partial = span.days.len() < kind.full_days(first);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(start: &str, days: u32) -> Model {
        let src = format!(
            "[scenario]\nname = \"p\"\nstart = \"{start}\"\ndays = {days}\ninterval_minutes = 60\ntimezone = \"Europe/Paris\"\n\
             [[queue]]\nname = \"q\"\nhandle_time = {{ distribution = \"constant\", value_s = 60 }}\narrivals = {{ rate_per_hour = 1 }}\n\
             [[team]]\nname = \"T\"\nskills = [\"q\"]\nagents = 1\n"
        );
        crate::input::compile(&src, "p.toml").unwrap().model
    }

    #[test]
    fn months_and_quarters_are_calendar_ones_and_partial_ends_are_flagged() {
        let m = model("2026-11-15", 80);
        let months = spans(&m, PeriodKind::Month);
        let labels: Vec<_> = months.iter().map(|s| (s.label.as_str(), s.days.len(), s.partial)).collect();
        assert_eq!(
            labels,
            [("2026-11", 16, true), ("2026-12", 31, false), ("2027-01", 31, false), ("2027-02", 2, true)]
        );
        let quarters = spans(&m, PeriodKind::Quarter);
        let labels: Vec<_> = quarters.iter().map(|s| (s.label.as_str(), s.days.len(), s.partial)).collect();
        assert_eq!(labels, [("2026-Q4", 47, true), ("2027-Q1", 33, true)]);
        // Intervals follow the days, a 25-hour day included (2026-10-25 in Paris).
        let m = model("2026-10-25", 2);
        let d = spans(&m, PeriodKind::Day);
        assert_eq!(d[0].intervals, 0..25);
        assert_eq!(d[1].intervals, 25..49);
    }

    #[test]
    fn iso_weeks_run_monday_to_sunday() {
        let m = model("2026-11-25", 12); // a Wednesday
        let weeks = spans(&m, PeriodKind::Week);
        let labels: Vec<_> = weeks.iter().map(|s| (s.label.as_str(), s.days.len(), s.partial)).collect();
        assert_eq!(labels, [("2026-W48", 5, true), ("2026-W49", 7, false)]);
    }
}
