//! An agents CSV (`wfmsim schedule --agents FILE`): one agent per row,
//! columns named by a header row, read into the scenario's `[[agent]]`
//! types with each cell's place, then checked by the same compiler
//! (`compile::agents`), so a problem names the file, line, column, the
//! column and what is allowed.
//!
//! Columns (any order; only `id` and `team` required; an empty cell takes
//! the default): `id`, `team`, `skills`, `min_hours`, `max_hours`,
//! `max_days`, `min_rest_hours`, `rules`, `availability`, `time_off`,
//! `preferred_start`, `preferred_days_off`, `weight`. Lists are
//! `;`-separated; `availability` is `Mon 06:00-18:00; Sat off; ...` (days
//! not listed are days off). Cells may be quoted as RFC 4180 has it; lines
//! starting with `#` and blank lines are skipped.

use std::ops::Range;

use toml::Spanned;

use super::compile::agents::{check, Naming, WEEKDAYS};
use super::written::agents::{AgentSpec, AvailabilitySpec, ContractSpec, PreferencesSpec};
use crate::diagnostic::{line_col, Diagnostic, ScenarioError};
use crate::model::agents::Agent;
use crate::model::Model;

/// The columns an agents CSV may have, in the order the docs list them.
pub const COLUMNS: [&str; 13] = [
    "id",
    "team",
    "skills",
    "min_hours",
    "max_hours",
    "max_days",
    "min_rest_hours",
    "rules",
    "availability",
    "time_off",
    "preferred_start",
    "preferred_days_off",
    "weight",
];

/// Reads and checks the agents CSV `text` (named `file` in messages)
/// against `model`.
pub fn read_csv(text: &str, file: &str, model: &Model) -> Result<Vec<Agent>, ScenarioError> {
    let mut problems = Vec::new();
    let rows = records(text);
    let mut specs = Vec::new();
    if let Some((header, rows)) = rows.split_first() {
        let mut columns: Vec<Option<usize>> = Vec::new();
        for cell in header {
            let known = COLUMNS.iter().position(|c| *c == cell.text.trim());
            match known {
                Some(k) if columns.contains(&Some(k)) => note(
                    &mut problems,
                    text,
                    cell.span.start,
                    "header",
                    format!("column {:?} is given twice; allowed: each column once", COLUMNS[k]),
                ),
                Some(_) => {}
                None => note(
                    &mut problems,
                    text,
                    cell.span.start,
                    "header",
                    format!("{:?} is not a column of an agents file; allowed: {}", cell.text, COLUMNS.join(", ")),
                ),
            }
            columns.push(known);
        }
        for required in ["id", "team"] {
            let k = COLUMNS.iter().position(|c| *c == required).expect("a column");
            if !columns.contains(&Some(k)) {
                note(&mut problems, text, 0, "header", format!("has no column {required:?}; required: id, team"));
            }
        }
        if problems.is_empty() {
            for row in rows {
                if row.len() != header.len() {
                    let message = format!("the row has {} cells; the header has {} columns", row.len(), header.len());
                    note(&mut problems, text, row[0].span.start, "row", message);
                    continue;
                }
                let cell = |name: &str| {
                    let k = COLUMNS.iter().position(|c| *c == name).expect("a column");
                    columns.iter().position(|c| *c == Some(k)).map(|at| &row[at]).filter(|c| !c.text.trim().is_empty())
                };
                let mut number = |name: &str| -> Option<Spanned<f64>> {
                    let c = cell(name)?;
                    match c.text.trim().parse::<f64>() {
                        Ok(x) => Some(Spanned::new(c.span.clone(), x)),
                        Err(_) => {
                            note(&mut problems, text, c.span.start, name, format!("{:?} is not a number", c.text));
                            None
                        }
                    }
                };
                let min_hours = number("min_hours");
                let max_hours = number("max_hours");
                let min_rest_hours = number("min_rest_hours");
                let weight = number("weight");
                let max_days = match cell("max_days") {
                    None => None,
                    Some(c) => match c.text.trim().parse::<i64>() {
                        Ok(x) => Some(Spanned::new(c.span.clone(), x)),
                        Err(_) => {
                            note(
                                &mut problems,
                                text,
                                c.span.start,
                                "max_days",
                                format!("{:?} is not a whole number", c.text),
                            );
                            None
                        }
                    },
                };
                let Some(first) = row.first() else { continue };
                let whole = first.span.start..row.last().map_or(first.span.end, |c| c.span.end);
                let id = cell("id").map_or_else(|| Spanned::new(whole.clone(), String::new()), |c| c.spanned());
                let team = cell("team").map_or_else(|| Spanned::new(whole.clone(), String::new()), |c| c.spanned());
                let contract = ContractSpec {
                    min_hours,
                    max_hours,
                    max_days,
                    min_rest_hours,
                    rules: cell("rules").map(Cell::list),
                };
                let availability = cell("availability").and_then(|c| match c.availability() {
                    Ok(a) => Some(Spanned::new(c.span.clone(), a)),
                    Err((at, message)) => {
                        note(&mut problems, text, at, "availability", message);
                        None
                    }
                });
                let preferences = PreferencesSpec {
                    start: cell("preferred_start").map(Cell::spanned),
                    days_off: cell("preferred_days_off").map(Cell::list),
                    weight,
                };
                specs.push(AgentSpec {
                    id,
                    team,
                    skills: cell("skills").map(Cell::list),
                    contract: Some(Spanned::new(whole.clone(), contract)),
                    availability,
                    time_off: cell("time_off").map(Cell::list),
                    preferences: Some(Spanned::new(whole, preferences)),
                });
            }
        }
    } else {
        problems.push(Diagnostic {
            line_col: None,
            field: "header".into(),
            message: format!("the file has no header row; required: a row naming the columns ({})", COLUMNS.join(", ")),
        });
    }
    let mut all = problems;
    let agents = match check(&specs, model, text, file, Naming::Csv) {
        Ok(agents) => agents,
        Err(e) => {
            all.extend(e.diagnostics);
            Vec::new()
        }
    };
    if all.is_empty() {
        return Ok(agents);
    }
    all.sort_by_key(|d| d.line_col.unwrap_or((usize::MAX, 0)));
    Err(ScenarioError { file: file.to_string(), diagnostics: all })
}

/// A problem at byte `at` of `text`.
fn note(problems: &mut Vec<Diagnostic>, text: &str, at: usize, field: &str, message: String) {
    problems.push(Diagnostic { line_col: Some(line_col(text, at)), field: field.to_string(), message });
}

/// One cell: its text (quotes removed) and where it lies in the file.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    text: String,
    span: Range<usize>,
}

impl Cell {
    fn spanned(&self) -> Spanned<String> {
        Spanned::new(self.span.clone(), self.text.trim().to_string())
    }

    /// The `;`-separated items, each placed (exactly for an unquoted cell;
    /// at the cell for a quoted one).
    fn list(&self) -> Spanned<Vec<Spanned<String>>> {
        let items = self.items().into_iter().map(|(text, span)| Spanned::new(span, text.to_string())).collect();
        Spanned::new(self.span.clone(), items)
    }

    fn items(&self) -> Vec<(&str, Range<usize>)> {
        let exact = self.span.len() == self.text.len();
        let mut out = Vec::new();
        let mut at = 0;
        for part in self.text.split(';') {
            let lead = part.len() - part.trim_start().len();
            let item = part.trim();
            if !item.is_empty() {
                let span = if exact {
                    self.span.start + at + lead..self.span.start + at + lead + item.len()
                } else {
                    self.span.clone()
                };
                out.push((item, span));
            }
            at += part.len() + 1;
        }
        out
    }

    /// `Mon 06:00-18:00; Sat off` as the scenario's table.
    fn availability(&self) -> Result<AvailabilitySpec, (usize, String)> {
        let mut spec = AvailabilitySpec::default();
        for (item, span) in self.items() {
            let (day, window) = item.split_once(char::is_whitespace).unwrap_or((item, ""));
            let Some(d) = WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(day)) else {
                return Err((
                    span.start,
                    format!("{item:?} does not start with a day; allowed: \"DAY HH:MM-HH:MM\" or \"DAY off\", DAY one of Mon … Sun, items separated by ';'"),
                ));
            };
            let slot = spec.day_mut(d);
            if slot.is_some() {
                return Err((span.start, format!("{} is given twice; allowed: each day once", WEEKDAYS[d])));
            }
            let window = window.trim();
            let offset = item.len() - window.len();
            let at = if span.len() == item.len() { span.start + offset..span.end } else { span };
            *slot = Some(Spanned::new(at, window.to_string()));
        }
        Ok(spec)
    }
}

/// The records of `text`, each a list of cells; blank lines and lines
/// starting with `#` skipped. Quoted cells may hold commas, doubled
/// quotes and line breaks.
fn records(text: &str) -> Vec<Vec<Cell>> {
    let bytes = text.as_bytes();
    let mut rows = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // A line to skip?
        let line_end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
        let line = text[i..line_end].trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            i = line_end + 1;
            continue;
        }
        let mut row = Vec::new();
        loop {
            let start = i;
            let mut value = String::new();
            if bytes.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => break,
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                            value.push('"');
                            i += 2;
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => {
                            let c = text[i..].chars().next().expect("a char");
                            value.push(c);
                            i += c.len_utf8();
                        }
                    }
                }
                // Anything after the closing quote, up to the separator, is kept.
                while let Some(&b) = bytes.get(i) {
                    if matches!(b, b',' | b'\n' | b'\r') {
                        break;
                    }
                    let c = text[i..].chars().next().expect("a char");
                    value.push(c);
                    i += c.len_utf8();
                }
                row.push(Cell { text: value, span: start..i });
            } else {
                let end = text[i..].find([',', '\n', '\r']).map_or(bytes.len(), |n| i + n);
                row.push(Cell { text: text[i..end].to_string(), span: i..end });
                i = end;
            }
            match bytes.get(i) {
                Some(b',') => i += 1,
                Some(b'\r') => {
                    i += 1;
                    if bytes.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    break;
                }
                Some(b'\n') => {
                    i += 1;
                    break;
                }
                _ => break,
            }
        }
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_places_and_quotes_are_undone() {
        let text = "id,rules\n# a comment\n\nA1,\"early, late\";x\r\nB2,\"say \"\"hi\"\"\"\n";
        let rows = records(text);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1][0].text, "A1");
        assert_eq!(&text[rows[1][0].span.clone()], "A1");
        assert_eq!(rows[1][1].text, "early, late;x");
        assert_eq!(rows[2][1].text, "say \"hi\"");
    }

    #[test]
    fn list_items_are_placed_inside_an_unquoted_cell() {
        let text = "x,Mon 06:00-18:00; Sat off\n";
        let rows = records(text);
        let items = rows[0][1].items();
        assert_eq!(items.len(), 2);
        assert_eq!(&text[items[1].1.clone()], "Sat off");
        let a = rows[0][1].availability().unwrap();
        assert_eq!(a.sat.as_ref().unwrap().get_ref(), "off");
        assert_eq!(&text[a.mon.as_ref().unwrap().span()], "06:00-18:00");
    }
}
