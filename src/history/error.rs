//! What went wrong in a history file, and where: every problem names the
//! file, the line, the column (the CSV field, counted from 1 as a
//! spreadsheet counts them), the field, the bad value and what is allowed.

use std::fmt;

/// Most problems collected from one file before reading stops.
pub const MAX_PROBLEMS: usize = 20;

/// Where in a file: line (from 1; the header is line 1) and column (the
/// CSV field, from 1), either unknown for problems of the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Place {
    /// Line, from 1.
    pub line: Option<u64>,
    /// CSV field, from 1.
    pub column: Option<usize>,
}

impl Place {
    /// A line and column.
    pub fn at(line: u64, column: usize) -> Self {
        Place { line: Some(line), column: Some(column) }
    }

    /// A whole line.
    pub fn line(line: u64) -> Self {
        Place { line: Some(line), column: None }
    }

    /// The whole file.
    pub fn file() -> Self {
        Place::default()
    }
}

/// One problem (or warning) with its place: `FILE:LINE:COL: FIELD: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the user named it.
    pub file: String,
    /// Where in it.
    pub place: Place,
    /// The field (`offered`, `start`, ...) or a column name; empty when
    /// the problem is the file's.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.file)?;
        if let Some(l) = self.place.line {
            write!(f, "{l}:")?;
            if let Some(c) = self.place.column {
                write!(f, "{c}:")?;
            }
        }
        if self.field.is_empty() {
            write!(f, " {}", self.message)
        } else {
            write!(f, " {}: {}", self.field, self.message)
        }
    }
}

/// A file that cannot be used: its problems, in file order (at most
/// [`MAX_PROBLEMS`]; `more` says whether reading stopped with more).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct HistoryError {
    /// The problems found.
    pub problems: Vec<Problem>,
    /// Whether reading stopped at [`MAX_PROBLEMS`].
    pub more: bool,
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        if self.more {
            write!(f, "\n(stopped after {MAX_PROBLEMS} problems; mend these first)")?;
        }
        Ok(())
    }
}

impl HistoryError {
    /// One problem.
    pub fn one(file: &str, place: Place, field: &str, message: impl Into<String>) -> Self {
        HistoryError { problems: vec![Problem::new(file, place, field, message)], more: false }
    }
}

impl Problem {
    /// A problem at `place` of `file`.
    pub fn new(file: &str, place: Place, field: &str, message: impl Into<String>) -> Self {
        Problem { file: file.to_string(), place, field: field.to_string(), message: message.into() }
    }
}

/// Problems collected while a file is read.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    more: bool,
}

impl Problems {
    /// Adds one, or notes that there are more than [`MAX_PROBLEMS`].
    pub(crate) fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.more = true;
        }
    }

    pub(crate) fn is_full(&self) -> bool {
        self.list.len() >= MAX_PROBLEMS
    }

    /// The error, if any problem was found.
    pub(crate) fn into_result(mut self) -> Result<(), HistoryError> {
        if self.list.is_empty() {
            Ok(())
        } else {
            self.list.sort_by_key(|a| a.place);
            Err(HistoryError { problems: self.list, more: self.more })
        }
    }
}
