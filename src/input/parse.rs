//! Reading the scenario text into [`Scenario`], with every unknown key and
//! wrong type found at once.
//!
//! serde stops at the first unknown key or wrong type. To report them all,
//! the line of each such `key = value` is blanked (offsets are kept, so
//! places stay right) and the text read again; a syntax error, or an error
//! on a line that cannot be blanked on its own, ends the search, and so
//! does a missing field that only blanking caused.
//!
//! Reading the whole text again for every problem would cost the file's
//! size once per problem (150 unknown keys in a 600 KB file: 5 seconds).
//! Instead, once the first read fails, the root of the document is read
//! for its own keys, then each `[scenario]`, `[[queue]]`, `[[team]]`, `[[event]]` and
//! `[staffing]` on its own text (from its header to the next element's),
//! in the order serde reads them, until it reads cleanly; one last read of
//! the whole text confirms the result. The problems found, their order and
//! where the search ends are those of reading the whole text each time
//! (checked against it on thousands of broken scenarios); the text read is
//! a few times the file, not once per problem. Where the elements cannot
//! be read on their own (one written inline, a sub-table written after
//! another element's header, a problem that ends the search at the root),
//! the whole text is read each time, as before.

use std::ops::Range;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use toml::Spanned;

use super::written::{EventSpec, Header, QueueSpec, Scenario, StaffingSpec, TeamSpec, UncertaintySpec};
use crate::diagnostic::{field_path_at, line_col, unknown_variant, Diagnostic};

/// Most problems listed before the search stops.
const MAX_PROBLEMS: usize = 100;

/// What reading the text found.
pub(super) struct Read {
    /// The scenario, with the blanked lines left out; `None` when the
    /// search ended before the text read cleanly.
    pub(super) scenario: Option<Scenario>,
    /// Unknown keys, wrong types and syntax errors, in the order found.
    pub(super) problems: Vec<Diagnostic>,
    /// Field paths of the lines blanked: their values are not checked again.
    pub(super) blanked: Vec<String>,
    /// Bytes of text parsed in all.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) parsed_bytes: usize,
}

/// Reads `source`, finding every unknown key and wrong type it can.
pub(super) fn read(source: &str) -> Read {
    let mut search = Search::new(source);
    if let Ok(s) = search.parse::<Scenario>(0..source.len()) {
        return search.into_read(Some(s));
    }
    // The parts, in serde's order, then the whole text once more. A part
    // that stops on a missing field may only miss a sub-table written away
    // from it: then, as on a restart, the whole text from the start.
    let scenario = match search.by_parts() {
        Ok(()) => search.whole().ok(),
        Err(Stopped::InPart(Stop { missing_field: false })) => None,
        Err(_) => {
            let parsed = search.parsed_bytes;
            search = Search::new(source);
            search.parsed_bytes = parsed;
            search.whole().ok()
        }
    };
    search.into_read(scenario)
}

/// The search ended: a problem that cannot be blanked, or too many.
/// `missing_field`: the problem was a missing field.
struct Stop {
    missing_field: bool,
}

/// Where [`Search::by_parts`] ended the search.
enum Stopped {
    /// Reading the root's own keys (a problem there, an unknown table
    /// say, may not be the first serde meets), or finding that the parts
    /// cannot be read on their own: the whole text again, from the start.
    Restart,
    /// Reading an element on its own, on a missing field or not.
    InPart(Stop),
}

/// The document's root, read for its own keys only: the same fields as
/// [`Scenario`], in the same order, each element left unread but placed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Root {
    scenario: Option<Spanned<IgnoredAny>>,
    queue: Option<Vec<Spanned<IgnoredAny>>>,
    team: Option<Vec<Spanned<IgnoredAny>>>,
    staffing: Option<Spanned<IgnoredAny>>,
    // Only known here: `[plan]` is read with the whole text (its part is
    // not read alone).
    #[allow(dead_code)]
    plan: Option<Spanned<IgnoredAny>>,
    event: Option<Vec<Spanned<IgnoredAny>>>,
    uncertainty: Option<Spanned<IgnoredAny>>,
    // Only known here, as `[plan]`: `[[agent]]` is read with the whole text.
    #[allow(dead_code)]
    agent: Option<Vec<Spanned<IgnoredAny>>>,
}

/// One part read on its own: the text of one element, from its header to
/// the next element's header. Other tables in it are ignored here and
/// left to the last read of the whole text.
#[derive(Deserialize)]
struct ScenarioPart {
    #[allow(dead_code)]
    scenario: Option<Header>,
}

#[derive(Deserialize)]
struct QueuePart {
    #[allow(dead_code)]
    queue: Option<Vec<QueueSpec>>,
}

#[derive(Deserialize)]
struct TeamPart {
    #[allow(dead_code)]
    team: Option<Vec<TeamSpec>>,
}

#[derive(Deserialize)]
struct StaffingPart {
    #[allow(dead_code)]
    staffing: Option<StaffingSpec>,
}

#[derive(Deserialize)]
struct EventPart {
    #[allow(dead_code)]
    event: Option<Vec<EventSpec>>,
}

#[derive(Deserialize)]
struct UncertaintyPart {
    #[allow(dead_code)]
    uncertainty: Option<UncertaintySpec>,
}

/// Which element a part holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scenario,
    Queue,
    Team,
    Staffing,
    Event,
    Uncertainty,
}

impl Kind {
    /// Its key in the document's root.
    fn key(self) -> &'static str {
        match self {
            Kind::Scenario => "scenario",
            Kind::Queue => "queue",
            Kind::Team => "team",
            Kind::Staffing => "staffing",
            Kind::Event => "event",
            Kind::Uncertainty => "uncertainty",
        }
    }
}

struct Search<'a> {
    source: &'a str,
    /// The source with the blanked lines turned into spaces.
    text: String,
    problems: Vec<Diagnostic>,
    blanked: Vec<String>,
    parsed_bytes: usize,
}

impl<'a> Search<'a> {
    fn new(source: &'a str) -> Self {
        Search { source, text: source.to_string(), problems: Vec::new(), blanked: Vec::new(), parsed_bytes: 0 }
    }

    fn into_read(self, scenario: Option<Scenario>) -> Read {
        Read { scenario, problems: self.problems, blanked: self.blanked, parsed_bytes: self.parsed_bytes }
    }

    /// Parses `range` of the text as a `T`.
    fn parse<T: DeserializeOwned>(&mut self, range: Range<usize>) -> Result<T, toml::de::Error> {
        self.parsed_bytes += range.len();
        toml::from_str(&self.text[range])
    }

    /// Reads `range` as a `T` until it reads cleanly, blanking the line of
    /// each problem found (placed `range.start` into the text).
    fn clean<T: DeserializeOwned>(&mut self, range: Range<usize>) -> Result<T, Stop> {
        loop {
            match self.parse::<T>(range.clone()) {
                Ok(t) => return Ok(t),
                Err(e) => self.blank(&e, range.start)?,
            }
        }
    }

    /// The whole text, read again after each problem: the search as it
    /// always was, from wherever the parts left it.
    fn whole(&mut self) -> Result<Scenario, Stop> {
        let all = 0..self.text.len();
        self.clean(all)
    }

    /// Records problem `e`, found reading the text from `offset` on, and
    /// blanks its line; stops when the line cannot be blanked, when the
    /// problem is only a field blanked before, or after [`MAX_PROBLEMS`].
    fn blank(&mut self, e: &toml::de::Error, offset: usize) -> Result<(), Stop> {
        let d = toml_diagnostic(self.source, e, offset);
        let stop = Stop { missing_field: d.message.starts_with("missing field") };
        if caused_by_blanking(&d, &self.blanked) {
            return Err(stop);
        }
        self.problems.push(d);
        match e.span().and_then(|span| blankable_line(&self.text, offset + span.start)) {
            Some(line) if self.problems.len() < MAX_PROBLEMS => {
                self.blanked.push(field_path_at(self.source, line.start));
                self.text.replace_range(line.clone(), &" ".repeat(line.len()));
                Ok(())
            }
            _ => Err(stop),
        }
    }

    /// Reads the root, then each element on its own, in serde's order.
    /// Leaves the rest to [`Search::whole`] where the elements are not all
    /// tables with headers of their own.
    fn by_parts(&mut self) -> Result<(), Stopped> {
        let root: Root = self.whole_root().map_err(|_| Stopped::Restart)?;
        let mut parts: Vec<(Kind, usize)> = Vec::new();
        parts.extend(root.scenario.iter().map(|s| (Kind::Scenario, s.span().start)));
        parts.extend(root.queue.iter().flatten().map(|s| (Kind::Queue, s.span().start)));
        parts.extend(root.team.iter().flatten().map(|s| (Kind::Team, s.span().start)));
        parts.extend(root.staffing.iter().map(|s| (Kind::Staffing, s.span().start)));
        parts.extend(root.event.iter().flatten().map(|s| (Kind::Event, s.span().start)));
        parts.extend(root.uncertainty.iter().map(|s| (Kind::Uncertainty, s.span().start)));
        let has_header = |&(kind, start): &(Kind, usize)| {
            let opening = if matches!(kind, Kind::Queue | Kind::Team | Kind::Event) { "[[" } else { "[" };
            self.text[start..].starts_with(opening) && line_start(&self.text, start) == start
        };
        if !parts.iter().all(has_header) {
            return Ok(());
        }
        // Each part runs to the next header of an element.
        let mut starts: Vec<usize> = parts.iter().map(|p| p.1).collect();
        starts.sort_unstable();
        let len = self.text.len();
        let end_of = |start: usize| starts.iter().copied().find(|s| *s > start).unwrap_or(len);
        // serde reads the root's keys in the order they first appear, and
        // each array in order.
        let mut order = parts.clone();
        let first = |kind: Kind| parts.iter().filter(|p| p.0 == kind).map(|p| p.1).min().unwrap_or(usize::MAX);
        order.sort_by_key(|&(kind, start)| (first(kind), start));
        let ranges: Vec<(Kind, Range<usize>)> =
            order.iter().map(|&(kind, start)| (kind, start..end_of(start))).collect();
        // A part must hold its element alone: a sub-table written away from
        // its element (after another's header) would be read with the wrong
        // one.
        for (kind, range) in &ranges {
            self.parsed_bytes += range.len();
            let alone = toml::from_str::<toml::Table>(&self.text[range.clone()])
                .is_ok_and(|t| t.keys().all(|k| k == kind.key()));
            if !alone {
                return Err(Stopped::Restart);
            }
        }
        for (kind, range) in ranges {
            let read = match kind {
                Kind::Scenario => self.clean::<ScenarioPart>(range).map(drop),
                Kind::Queue => self.clean::<QueuePart>(range).map(drop),
                Kind::Team => self.clean::<TeamPart>(range).map(drop),
                Kind::Staffing => self.clean::<StaffingPart>(range).map(drop),
                Kind::Event => self.clean::<EventPart>(range).map(drop),
                Kind::Uncertainty => self.clean::<UncertaintyPart>(range).map(drop),
            };
            read.map_err(Stopped::InPart)?;
        }
        Ok(())
    }

    /// The root's own keys, read on the whole text.
    fn whole_root(&mut self) -> Result<Root, Stop> {
        let all = 0..self.text.len();
        self.clean(all)
    }
}

/// Where the line holding `offset` starts.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// A toml error found reading the text from `offset` on, as a diagnostic
/// placed in `source`.
fn toml_diagnostic(source: &str, e: &toml::de::Error, offset: usize) -> Diagnostic {
    let (line_col, field) = match e.span() {
        Some(span) => (Some(line_col(source, offset + span.start)), field_path_at(source, offset + span.start)),
        None => (None, String::new()),
    };
    // serde speaks of Rust types; a scenario author knows TOML's.
    let message = e
        .message()
        .trim()
        .replace('\n', " ")
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected u64", "expected a whole number ≥ 0");
    let message = unknown_variant(&message, &field).unwrap_or(message);
    // toml says nothing where a key has no value (`days = ` at the end of
    // a line or of the file).
    let message = match message.is_empty() {
        true => "a value is missing here; give a number, a \"string\", a [list] or an { inline = table }".into(),
        false => message,
    };
    Diagnostic { line_col, field, message }
}

/// Whether `d` only says that a field we blanked is now missing.
fn caused_by_blanking(d: &Diagnostic, blanked: &[String]) -> bool {
    let Some(name) = d.message.strip_prefix("missing field `").and_then(|m| m.split('`').next()) else {
        return false;
    };
    blanked.iter().any(|b| b.rsplit('.').next() == Some(name))
}

/// The byte range of the line holding `offset`, when that line is a whole
/// `key = value` on its own (so blanking it leaves valid TOML).
fn blankable_line(text: &str, offset: usize) -> Option<Range<usize>> {
    let start = line_start(text, offset.min(text.len()));
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..end];
    let is_key_value = !line.trim_start().starts_with('[') && line.contains('=');
    (is_key_value && toml::from_str::<toml::Table>(line).is_ok()).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The search as it was: the whole text read again after each problem.
    fn read_whole_each_time(source: &str) -> Read {
        let mut search = Search::new(source);
        let scenario = search.whole().ok();
        search.into_read(scenario)
    }

    const PARTS: [&str; 8] = [
        "[scenario]\nname = \"p\"\nstart = \"2026-11-23\"\ndays = 1\ninterval_minutes = 30\ntimezone = \"UTC\"\n",
        "[[queue]]\nname = \"a\"\nhandle_time = { distribution = \"exponential\", mean_s = 180 }\narrivals = { rate_per_hour = 100 }\n",
        "[[queue]]\nname = \"b\"\nchannel = \"email\"\narrivals = { rate_per_hour = 5 }\n[queue.handle_time]\ndistribution = \"gamma\"\nmean_s = 300\ncv = 0.5\n",
        "[[team]]\nname = \"T\"\nskills = [\"a\", { queue = \"b\", priority = 2 }]\nagents = 3\n",
        "[[team]]\nname = \"U\"\nskills = [\"a\"]\n[[team.shift]]\nstart = \"08:00\"\nhours = 8\nagents = 2\nbreaks = [\n  { after_minutes = 60, minutes = 15 },\n]\n",
        "[staffing]\nshrinkage = 0.3\n",
        "[[queue]]\nname = \"c\"\nhandle_time = { distribution = \"constant\", value_s = 60 }\narrivals = { rate_per_hour = 1 }\ntarget = { service_level = 0.8, within_s = 20 }\n",
        "[[team]]\nname = \"V\"\nskills = [\"c\"]\nagents = 1\n",
    ];

    /// Lines that break a scenario in every way the search meets: unknown
    /// keys, wrong types, duplicates, syntax errors, lines that cannot be
    /// blanked, unknown tables, root keys, a sub-table away from its
    /// element, an element written inline.
    const FAULTS: [&str; 16] = [
        "bogus = 1\n",
        "days = \"one\"\n",
        "name = 5\n",
        "agents = \"many\"\n",
        "target = { service_lvl = 0.8 }\n",
        "handle_tim = { distribution = \"exponential\", mean_s = 1 }\n",
        "name = \"dup\"\n",
        "x = 1, y = 2\n",
        "breaks = [ { after_minutes = 1,\n  minute = 2 } ]\n",
        "[extra]\nk = 1\n",
        "[queue.target]\nservice_level = 0.9\n",
        "[[team.shift]]\nstart = \"09:00\"\nhourz = 3\n",
        "unterminated = \"oops\n",
        "seed = -1\n",
        "cost_per_hour = \"cheap\"\n",
        "replications = 1.5\n",
    ];

    fn mutated(rng: &mut ChaCha8Rng) -> String {
        let mut parts: Vec<String> = PARTS.iter().map(|p| p.to_string()).collect();
        if rng.random_bool(0.1) {
            parts.swap(1, 3);
        }
        if rng.random_bool(0.05) {
            parts.insert(0, "queue = [{ name = \"inline\" }]\n".to_string());
        }
        if rng.random_bool(0.05) {
            parts.insert(0, "rooty = 1\n".to_string());
        }
        for _ in 0..rng.random_range(1..8) {
            let part = rng.random_range(0..parts.len());
            let lines: Vec<&str> = parts[part].lines().collect();
            let at = rng.random_range(1..=lines.len());
            let fault = FAULTS[rng.random_range(0..FAULTS.len())];
            let mut text: String = lines[..at].iter().map(|l| format!("{l}\n")).collect();
            text.push_str(fault);
            text.extend(lines[at..].iter().map(|l| format!("{l}\n")));
            parts[part] = text;
        }
        parts.concat()
    }

    /// Reading part by part finds the same problems, in the same order,
    /// ends where reading the whole text each time ended, and gives the
    /// same scenario.
    #[test]
    fn reading_by_parts_finds_what_reading_the_whole_text_each_time_finds() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let valid = PARTS.concat();
        assert!(read(&valid).scenario.is_some());
        for case in 0..3000 {
            let text = mutated(&mut rng);
            let (fast, slow) = (read(&text), read_whole_each_time(&text));
            assert_eq!(fast.problems, slow.problems, "case {case}:\n{text}");
            assert_eq!(fast.blanked, slow.blanked, "case {case}:\n{text}");
            assert_eq!(fast.scenario.is_some(), slow.scenario.is_some(), "case {case}:\n{text}");
        }
    }

    /// Each unknown key read the whole file again: 150 of them in a 600 KB
    /// file took 5 seconds. Now the text read is a few times the file.
    #[test]
    fn many_unknown_keys_read_the_file_a_few_times_not_once_each() {
        let mut text = PARTS[0].to_string();
        for q in 0..2000 {
            text += &format!(
                "[[queue]]\nname = \"q{q}\"\nhandle_time = {{ distribution = \"exponential\", mean_s = 180 }}\narrivals = {{ rate_per_hour = 1 }}\n"
            );
            if q % 13 == 0 {
                text += "unknown_key = 1\n";
            }
        }
        let fast = read(&text);
        assert_eq!(fast.problems.len(), MAX_PROBLEMS);
        assert!(fast.parsed_bytes <= 4 * text.len(), "{} bytes parsed of {}", fast.parsed_bytes, text.len());
        let slow = read_whole_each_time(&text);
        assert_eq!(fast.problems, slow.problems);
        assert!(slow.parsed_bytes > 90 * text.len());
    }
}
