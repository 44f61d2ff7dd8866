//! The special-days calendar (CSV): dates such as holidays, closures and
//! launches that forecasting leaves out of fitting and forecasts through
//! their own factor. Columns (header required, names matched ignoring
//! case): `date` (YYYY-MM-DD, the callers' local date), `label`, and
//! optionally `factor` (the day's volume against a normal day of its
//! weekday, 0 to 1000; empty: learned from past days of the same label).
//! Lines whose first cell starts with `#` are comments.

use jiff::civil::Date;

use super::error::{HistoryError, Place, Problem, Problems};
use crate::forecast::series::Calendar;

/// Most special days one calendar may hold.
pub const MAX_DAYS: usize = 100_000;

/// Reads a special-days calendar from `text`, named `file` in messages.
pub fn read(text: &str, file: &str) -> Result<Calendar, HistoryError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| HistoryError::one(file, Place::line(1), "", format!("the header does not read as CSV: {e}")))?
        .clone();
    let find = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(date_col), Some(label_col)) = (find("date"), find("label")) else {
        return Err(HistoryError::one(
            file,
            Place::line(1),
            "",
            format!(
                "header {:?} lacks {}; allowed columns: date, label, factor",
                header.iter().collect::<Vec<_>>().join(","),
                if find("date").is_none() { "date" } else { "label" }
            ),
        ));
    };
    let factor_col = find("factor");
    let mut calendar = Calendar::new();
    let mut problems = Problems::default();
    let mut count = 0usize;
    for (k, row) in reader.records().enumerate() {
        let line = row.as_ref().ok().and_then(|r| r.position()).map_or(k as u64 + 2, |p| p.line());
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new(file, Place::line(line), "", format!("not CSV: {e}")));
                continue;
            }
        };
        if row.get(0).is_some_and(|c| c.trim_start().starts_with('#')) || row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        count += 1;
        if count > MAX_DAYS {
            problems.push(Problem::new(file, Place::line(line), "", format!("more than {MAX_DAYS} special days")));
            break;
        }
        let cell = |c: usize| row.get(c).unwrap_or("").trim();
        let date = match cell(date_col).parse::<Date>() {
            Ok(d) => d,
            Err(_) => {
                problems.push(Problem::new(
                    file,
                    Place::at(line, date_col + 1),
                    "date",
                    format!("{:?} is not a date; allowed: YYYY-MM-DD", cell(date_col)),
                ));
                continue;
            }
        };
        let label = cell(label_col);
        if label.is_empty() {
            problems.push(Problem::new(
                file,
                Place::at(line, label_col + 1),
                "label",
                "empty; give a name (such as Christmas)",
            ));
            continue;
        }
        let factor = match factor_col.map(cell).filter(|c| !c.is_empty()) {
            None => None,
            Some(text) => match text.parse::<f64>() {
                Ok(x) if x.is_finite() && (0.0..=1000.0).contains(&x) => Some(x),
                _ => {
                    problems.push(Problem::new(
                        file,
                        Place::at(line, factor_col.unwrap_or(0) + 1),
                        "factor",
                        format!("{text:?}; allowed: a number from 0 to 1000, or empty (learned from past days)"),
                    ));
                    continue;
                }
            },
        };
        if calendar.get(date).is_some() {
            problems.push(Problem::new(
                file,
                Place::at(line, date_col + 1),
                "date",
                format!("{date} is given twice; allowed: one line per date"),
            ));
            continue;
        }
        if let Err(e) = calendar.insert(date, label, factor) {
            problems.push(Problem::new(file, Place::line(line), "", e.to_string()));
        }
        if problems.is_full() {
            break;
        }
    }
    problems.into_result()?;
    Ok(calendar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_reads_and_bad_lines_are_placed() {
        let c = read("date,label,factor\n2025-12-25,Christmas,0\n# a comment\n2026-01-08,Launch,\n", "s.csv").unwrap();
        assert_eq!(c.iter().count(), 2);
        assert_eq!(c.get(jiff::civil::date(2025, 12, 25)).unwrap().factor, Some(0.0));
        let e = read("date,label,factor\n2025-13-01,X,1\n2025-12-25,,1\n2025-12-26,Y,-1\n", "s.csv").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("s.csv:2:1: date: \"2025-13-01\" is not a date; allowed: YYYY-MM-DD"), "{text}");
        assert!(text.contains("s.csv:3:2: label: empty"), "{text}");
        assert!(text.contains("s.csv:4:3: factor: \"-1\"; allowed: a number from 0 to 1000"), "{text}");
        let e = read("day,label\n", "s.csv").unwrap_err();
        assert!(e.to_string().contains("s.csv:1: header \"day,label\" lacks date"), "{e}");
    }
}
