//! Problems found in a scenario file, each with its place, the field path,
//! what was found and what is allowed.

use std::fmt;
use std::ops::Range;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// 1-based line and column, where the TOML gives a place.
    pub line_col: Option<(usize, usize)>,
    /// Dotted field path, e.g. `team[1].shift[0].start`.
    pub field: String,
    /// What was found and what is allowed.
    pub message: String,
}

/// Every problem found in one scenario file; displays one per line as
/// `FILE:LINE:COL: field: message`, the first [`SHOWN_PROBLEMS`] of them
/// and then how many more there are.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ScenarioError {
    /// The file as the user named it.
    pub file: String,
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

crate::fault::blame!(Input: ScenarioError);

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().take(SHOWN_PROBLEMS).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match d.line_col {
                Some((line, col)) => write!(f, "{}:{line}:{col}: ", self.file)?,
                None => write!(f, "{}: ", self.file)?,
            }
            if d.field.is_empty() {
                write!(f, "{}", d.message)?;
            } else {
                write!(f, "{}: {}", d.field, d.message)?;
            }
        }
        let more = self.diagnostics.len().saturating_sub(SHOWN_PROBLEMS);
        if more > 0 {
            let s = if more == 1 { "" } else { "s" };
            write!(f, "\n{}: and {more} more problem{s}", self.file)?;
        }
        Ok(())
    }
}

/// How many of a file's problems are displayed; the rest are counted.
pub const SHOWN_PROBLEMS: usize = 100;

/// Collects diagnostics against one source text, turning byte spans into
/// line and column.
pub(crate) struct Problems<'a> {
    source: &'a str,
    pub(crate) items: Vec<Diagnostic>,
    /// Where each line starts, built at the first problem placed.
    lines: Option<LineIndex<'a>>,
}

impl<'a> Problems<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Self { source, items: Vec::new(), lines: None }
    }

    /// The text the spans point into.
    pub(crate) fn source(&self) -> &'a str {
        self.source
    }

    /// A problem at a byte span of the source.
    pub(crate) fn at(&mut self, span: Range<usize>, field: impl Into<String>, message: impl Into<String>) {
        let source = self.source;
        let lines = self.lines.get_or_insert_with(|| LineIndex::new(source));
        self.items.push(Diagnostic {
            line_col: Some(lines.line_col(span.start)),
            field: field.into(),
            message: message.into(),
        });
    }

    /// Whole number `v` of `field` when in `lo..=hi`; else a problem at its
    /// place, saying what is `allowed`.
    pub(crate) fn int_in(
        &mut self,
        v: &toml::Spanned<i64>,
        field: &str,
        lo: i64,
        hi: i64,
        allowed: &str,
    ) -> Option<i64> {
        let x = *v.get_ref();
        if (lo..=hi).contains(&x) {
            return Some(x);
        }
        self.at(v.span(), field, format!("{x} is out of range; allowed: {allowed}"));
        None
    }

    /// Number `v` of `field` when finite and `ok`; else a problem at its
    /// place, saying what is `allowed`.
    pub(crate) fn number_where(
        &mut self,
        v: &toml::Spanned<f64>,
        field: &str,
        ok: impl Fn(f64) -> bool,
        allowed: &str,
    ) -> Option<f64> {
        let x = *v.get_ref();
        if x.is_finite() && ok(x) {
            return Some(x);
        }
        self.at(v.span(), field, format!("{} is out of range; allowed: {allowed}", shown(x)));
        None
    }

    /// A problem with no place in the source.
    pub(crate) fn nowhere(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.items.push(Diagnostic { line_col: None, field: field.into(), message: message.into() });
    }

    pub(crate) fn into_error(mut self, file: &str) -> Option<ScenarioError> {
        if self.items.is_empty() {
            return None;
        }
        // File order; problems without a place last. The sort is stable, so
        // problems at one place keep the order they were found in.
        self.items.sort_by_key(|d| d.line_col.unwrap_or((usize::MAX, 0)));
        Some(ScenarioError { file: file.to_string(), diagnostics: self.items })
    }
}

/// A number as a message quotes it: as written for everyday magnitudes,
/// in exponent form (`1e300`, `2.5e-9`) where the plain form would run to
/// hundreds of digits.
pub fn shown(x: f64) -> String {
    if x.is_finite() && x != 0.0 && !(1e-4..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The name of `known` nearest to `name` by edit distance (the first of
/// equals), to suggest for an unknown name; `None` when nothing is known.
pub(crate) fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    known.min_by_key(|k| strsim::levenshtein(name, k)).map(String::as_str)
}

/// Line and column of byte offsets in one text, each found in time
/// independent of how many were found before: the lines' starts are
/// indexed once (a binary search finds an offset's line), and a column is
/// counted from the line's start, or on from the last offset asked on the
/// same line (so many problems on one long line cost one pass over it).
pub(crate) struct LineIndex<'a> {
    source: &'a str,
    /// Byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    /// The last offset asked, its line (0-based) and column (1-based).
    last: (usize, usize, usize),
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        let starts = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { source, starts, last: (0, 0, 1) }
    }

    /// 1-based line and column (in characters) of byte `offset`, as
    /// [`line_col`] gives it.
    pub(crate) fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (last_offset, last_line, last_col) = self.last;
        let (from, col) =
            if last_line == line && last_offset <= offset { (last_offset, last_col) } else { (self.starts[line], 1) };
        let col = col + self.source[from..offset].chars().count();
        self.last = (offset, line, col);
        (line + 1, col)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// The dotted path of the key at a byte offset, found from the table
/// headers above it: `queue[1].arrivals`. Used for toml's own errors, which
/// give a place but not a path.
pub(crate) fn field_path_at(source: &str, offset: usize) -> String {
    let offset = offset.min(source.len());
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut table = String::new();
    for line in source[..offset].split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("[[").and_then(|s| s.split("]]").next()) {
            let name = name.trim().to_string();
            let n = counts.entry(name.clone()).or_insert(0);
            *n += 1;
            // Nested arrays of tables (team.shift) restart per parent.
            let prefix = format!("{name}.");
            counts.retain(|k, _| !k.starts_with(&prefix));
            table = array_path(&name, &counts);
        } else if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.split(']').next()) {
            // A table inside an array entry (`[queue.handle_time]`) belongs to its last entry.
            table = array_path(name.trim(), &counts);
        }
    }
    // The key on the line of the offset, if the offset is inside one.
    let current_line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = source[current_line_start..].lines().next().unwrap_or("");
    let key = line.split_once('=').map(|(k, _)| k.trim()).filter(|k| !k.is_empty() && !k.starts_with('['));
    // A key inside an inline table, at the offset (`target = { service_lvl =
    // 0.8 }`) or just before a value there (`{ distribution = "weibull" }`).
    let rest = &source[offset..];
    let inner_len = rest.find(|c: char| !is_key_char(c)).unwrap_or(rest.len());
    let inner = &rest[..inner_len];
    let inner_is_key = !inner.is_empty() && rest[inner_len..].trim_start().starts_with('=');
    let inner = if inner_is_key { Some(inner) } else { key_before_value(&source[current_line_start..offset]) };
    // Inline tables nested on the line (`hiring = { freeze = { until = 1 } }`)
    // name the keys between.
    let nested = inline_tables_open(&source[current_line_start..offset]);
    let key = key.map(|k| {
        let inside = nested.iter().skip(usize::from(nested.first() == Some(&Some(k))));
        inside.flatten().fold(k.to_string(), |path, t| format!("{path}.{t}"))
    });
    let key = match (key, inner) {
        (Some(k), Some(inner)) if k.rsplit('.').next() != Some(inner) => Some(format!("{k}.{inner}")),
        (other, _) => other,
    };
    match (table.is_empty(), key) {
        (true, Some(k)) => k,
        (false, Some(k)) => format!("{table}.{k}"),
        (_, None) => table,
    }
}

/// The inline tables still open at the end of `line`, outermost first:
/// each its key (`key = {`), or `None` for one opened another way (in an
/// array); what quotes hold is skipped.
fn inline_tables_open(line: &str) -> Vec<Option<&str>> {
    let mut open: Vec<Option<&str>> = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{') => open.push(key_before_value(&line[..i])),
            (None, '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    open
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The key whose value starts right after `before` (`… distribution = `).
fn key_before_value(before: &str) -> Option<&str> {
    let before = before.trim_end().strip_suffix('=')?.trim_end();
    let start = before.char_indices().rev().find(|&(_, c)| !is_key_char(c)).map_or(0, |(i, c)| i + c.len_utf8());
    let key = &before[start..];
    (!key.is_empty()).then_some(key)
}

/// serde's `unknown variant `x`, expected one of `a`, `b`` in a scenario
/// author's words, naming what the key (the last part of `field`) holds:
/// `"x" is not a distribution; allowed: "a", "b"`.
pub(crate) fn unknown_variant(message: &str, field: &str) -> Option<String> {
    let (found, expected) = message.strip_prefix("unknown variant `")?.split_once("`, ")?;
    let allowed: Vec<String> = expected.split('`').skip(1).step_by(2).map(|v| format!("{v:?}")).collect();
    let what = field.rsplit('.').next().filter(|k| !k.is_empty())?.replace('_', " ");
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    Some(format!("{found:?} is not {article} {what}; allowed: {}", allowed.join(", ")))
}

fn array_path(name: &str, counts: &std::collections::BTreeMap<String, usize>) -> String {
    let mut path = String::new();
    let mut so_far = String::new();
    for part in name.split('.') {
        if !so_far.is_empty() {
            so_far.push('.');
            path.push('.');
        }
        so_far.push_str(part);
        path.push_str(part);
        if let Some(n) = counts.get(&so_far) {
            path.push_str(&format!("[{}]", n - 1));
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_shown_plainly_unless_they_would_run_to_many_digits() {
        assert_eq!(shown(2e6), "2000000");
        assert_eq!(shown(-1.5), "-1.5");
        assert_eq!(shown(0.0), "0");
        assert_eq!(shown(1e300), "1e300");
        assert_eq!(shown(-2.5e-9), "-2.5e-9");
        assert_eq!(shown(f64::NAN), "NaN");
        assert_eq!(shown(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn the_line_index_places_offsets_as_line_col_does_in_any_order() {
        let src = "a = 1\nbé = [\"x\", \"ü\", \"y\"]\n\nlast";
        let mut index = LineIndex::new(src);
        let offsets: Vec<usize> = (0..=src.len()).filter(|&o| src.is_char_boundary(o)).collect();
        for &o in offsets.iter().chain(offsets.iter().rev()).chain(offsets.iter().step_by(3)) {
            assert_eq!(index.line_col(o), line_col(src, o), "offset {o}");
        }
    }

    #[test]
    fn a_files_problems_past_the_hundredth_are_counted_not_listed() {
        let d = |n: usize| Diagnostic { line_col: Some((n, 1)), field: "f".into(), message: format!("m{n}") };
        let e = ScenarioError { file: "s.toml".into(), diagnostics: (1..=250).map(d).collect() };
        let text = e.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), SHOWN_PROBLEMS + 1);
        assert_eq!(lines[99], "s.toml:100:1: f: m100");
        assert_eq!(lines[100], "s.toml: and 150 more problems");
    }

    #[test]
    fn line_col_counts_from_one_in_characters() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, src.find('=').unwrap()), (1, 3));
        let second = src.rfind('=').unwrap();
        assert_eq!(line_col(src, second), (2, 4));
    }

    #[test]
    fn field_path_names_array_entries_and_keys() {
        let src = "[scenario]\nname = 'x'\n[[queue]]\nname='a'\n[[queue]]\nhandle_tim = 3\n[[team]]\n[[team.shift]]\n[[team]]\n[[team.shift]]\n[[team.shift]]\nstart = 'x'\n";
        assert_eq!(field_path_at(src, src.find("handle_tim").unwrap()), "queue[1].handle_tim");
        assert_eq!(field_path_at(src, src.find("start").unwrap()), "team[1].shift[1].start");
        assert_eq!(field_path_at(src, src.find("name = 'x'").unwrap()), "scenario.name");
        let inline = "[[queue]]\ntarget = { service_lvl = 0.8 }\n";
        assert_eq!(field_path_at(inline, inline.find("service_lvl").unwrap()), "queue[0].target.service_lvl");
    }

    #[test]
    fn field_path_names_the_key_of_a_value_in_an_inline_table() {
        let src = "[[queue]]\nhandle_time = { distribution = \"weibull\", mean_s = 10 }\ndays = \"one\"\n";
        assert_eq!(field_path_at(src, src.find("\"weibull").unwrap()), "queue[0].handle_time.distribution");
        assert_eq!(field_path_at(src, src.find("\"one").unwrap()), "queue[0].days");
    }

    /// A character of several bytes just before a value's `=` panicked:
    /// the key was cut one byte after its start (found by fuzzing).
    #[test]
    fn field_path_names_every_inline_table_nested_on_the_line() {
        let src =
            "[[plan.team]]\nname = \"A\"\nhiring = { policy = \"fill_gap\", freeze = { from = \"{x}\", until = 1 } }\n";
        assert_eq!(field_path_at(src, src.find("until").unwrap()), "plan.team[0].hiring.freeze.until");
        assert_eq!(field_path_at(src, src.find("\"fill_gap").unwrap()), "plan.team[0].hiring.policy");
        let closed = "[[plan.team]]\nhiring = { freeze = { from = \"a\" }, extra = 1 }\n";
        assert_eq!(field_path_at(closed, closed.find("extra").unwrap()), "plan.team[0].hiring.extra");
        let listed = "team = [{ name = \"p\", skills = [{ queue = \"q\", zzz = 1 }] }]\n";
        assert_eq!(field_path_at(listed, listed.find("zzz").unwrap()), "team.zzz");
    }

    #[test]
    fn field_path_takes_a_multibyte_character_before_a_value_whole() {
        assert_eq!(key_before_value("aé ="), None);
        assert_eq!(key_before_value("ؾkey ="), Some("key"));
        let src = "[[queue]]\n'ؾ9gents =\u{1e}4\n";
        assert!(field_path_at(src, src.find('\u{1e}').unwrap()).starts_with("queue[0]."));
    }

    #[test]
    fn field_path_puts_a_table_under_its_array_entry() {
        let src = "[[queue]]\n[[queue]]\n[queue.handle_time]\ndistribution = 'weibull'\n";
        assert_eq!(field_path_at(src, src.find("'weibull").unwrap()), "queue[1].handle_time.distribution");
    }

    #[test]
    fn unknown_variants_name_what_was_found_and_what_is_allowed() {
        let serde = "unknown variant `weibull`, expected one of `exponential`, `lognormal`, `gamma`, `constant`";
        assert_eq!(
            unknown_variant(serde, "queue[0].patience.distribution").unwrap(),
            "\"weibull\" is not a distribution; allowed: \"exponential\", \"lognormal\", \"gamma\", \"constant\""
        );
        let two = "unknown variant `x`, expected `a` or `b`";
        assert_eq!(unknown_variant(two, "q.algorithm").unwrap(), "\"x\" is not an algorithm; allowed: \"a\", \"b\"");
        assert_eq!(unknown_variant("invalid type: string", "q.distribution"), None);
    }

    #[test]
    fn errors_display_one_per_line_in_file_order() {
        let mut p = Problems::new("a = 1\nb = 2\n");
        p.at(6..7, "b", "second");
        p.nowhere("", "no place");
        p.at(0..1, "a", "first");
        let e = p.into_error("f.toml").unwrap();
        assert_eq!(e.to_string(), "f.toml:1:1: a: first\nf.toml:2:1: b: second\nf.toml: no place");
    }
}
