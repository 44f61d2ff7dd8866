//! Which column holds which field, in which unit, and how interval values
//! are aggregated: wfmsim's own column names by default (what
//! `wfmsim run --export-history` writes), changed by a preset, a mapping
//! file or `--map FIELD=COLUMN`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::error::{HistoryError, Place};

/// The two kinds of history file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One row per queue and interval (an ACD's interval report).
    Intervals,
    /// One row per contact (a call log, chat transcripts, tickets).
    Records,
}

impl Kind {
    /// How the kind is named in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Intervals => "interval history",
            Kind::Records => "contact records",
        }
    }
}

/// A field wfmsim reads from a history file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Intervals: when the interval starts.
    Start,
    /// Both: the queue (skill, split, group) the row belongs to.
    Queue,
    /// Intervals: contacts offered (arrived).
    Offered,
    /// Intervals: contacts answered.
    Answered,
    /// Intervals: contacts abandoned.
    Abandoned,
    /// Both: handle time, seconds (intervals: a sum or a mean, see
    /// [`Mapping::handle_time`]).
    HandleTime,
    /// Intervals: contacts answered within the service-level threshold.
    AnsweredWithin,
    /// Intervals: the threshold of `answered_within`, seconds, per row.
    Within,
    /// Intervals: staffed agents (mean over the interval).
    Agents,
    /// Intervals: wait of the answered contacts, seconds (sum or mean).
    WaitAnswered,
    /// Intervals: wait of the abandoned contacts before they hung up,
    /// seconds (sum or mean).
    WaitAbandoned,
    /// Records: when the contact arrived.
    Arrival,
    /// Records: answered, abandoned or other.
    Outcome,
    /// Records: how long the contact waited, seconds.
    Wait,
    /// Records: when the contact's work was finished (a ticket solved).
    End,
}

impl Field {
    /// Fields of an interval history, in the order of wfmsim's columns.
    pub const INTERVALS: [Field; 11] = [
        Field::Start,
        Field::Queue,
        Field::Offered,
        Field::Answered,
        Field::Abandoned,
        Field::HandleTime,
        Field::AnsweredWithin,
        Field::Within,
        Field::Agents,
        Field::WaitAnswered,
        Field::WaitAbandoned,
    ];
    /// Fields of contact records, in the order of wfmsim's columns.
    pub const RECORDS: [Field; 6] =
        [Field::Arrival, Field::Queue, Field::Outcome, Field::Wait, Field::HandleTime, Field::End];

    /// The fields of `kind`.
    pub fn of(kind: Kind) -> &'static [Field] {
        match kind {
            Kind::Intervals => &Self::INTERVALS,
            Kind::Records => &Self::RECORDS,
        }
    }

    /// The field's name (in `--map` and messages).
    pub fn name(self) -> &'static str {
        match self {
            Field::Start => "start",
            Field::Queue => "queue",
            Field::Offered => "offered",
            Field::Answered => "answered",
            Field::Abandoned => "abandoned",
            Field::HandleTime => "handle_time",
            Field::AnsweredWithin => "answered_within",
            Field::Within => "within",
            Field::Agents => "agents",
            Field::WaitAnswered => "wait_answered",
            Field::WaitAbandoned => "wait_abandoned",
            Field::Arrival => "arrival",
            Field::Outcome => "outcome",
            Field::Wait => "wait",
            Field::End => "end",
        }
    }

    /// The field named `name`, if any.
    pub fn parse(name: &str) -> Option<Field> {
        Self::INTERVALS.iter().chain(&Self::RECORDS).copied().find(|f| f.name() == name)
    }

    /// The column wfmsim writes for it (and reads by default); `{N}` in
    /// `answered_within_{N}s` stands for the threshold, seconds.
    pub fn default_column(self) -> &'static str {
        match self {
            Field::HandleTime => "handle_time_s",
            Field::AnsweredWithin => "answered_within_{N}s",
            Field::Within => "within_s",
            Field::WaitAnswered => "wait_answered_s",
            Field::WaitAbandoned => "wait_abandoned_s",
            Field::Wait => "wait_s",
            other => other.name(),
        }
    }

    /// Whether a file of `kind` must have it.
    pub fn required(self, kind: Kind) -> bool {
        match kind {
            Kind::Intervals => matches!(self, Field::Start | Field::Queue | Field::Offered),
            Kind::Records => matches!(self, Field::Arrival | Field::Queue | Field::Outcome),
        }
    }

    /// Whether its values are durations (seconds, or a unit, or H:MM:SS).
    pub fn is_duration(self) -> bool {
        matches!(self, Field::HandleTime | Field::Within | Field::WaitAnswered | Field::WaitAbandoned | Field::Wait)
    }

    /// Whether its values are instants.
    pub fn is_time(self) -> bool {
        matches!(self, Field::Start | Field::Arrival | Field::End)
    }
}

/// The unit of a duration column whose values are plain numbers (values
/// written `H:MM:SS` or `MM:SS` are read as such whatever the unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Seconds.
    #[default]
    Seconds,
    /// Milliseconds.
    Milliseconds,
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
}

impl Unit {
    /// Seconds in one of it.
    pub fn seconds(self) -> f64 {
        match self {
            Unit::Seconds => 1.0,
            Unit::Milliseconds => 0.001,
            Unit::Minutes => 60.0,
            Unit::Hours => 3600.0,
        }
    }
}

/// How an interval's duration column aggregates its contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// The total over the interval's contacts, seconds.
    #[default]
    Sum,
    /// The mean per contact (per answered contact for handle time and
    /// answered waits, per abandoned one for abandoned waits), seconds.
    Mean,
}

/// A contact's outcome in contact records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// An agent took it: its wait is a lower bound of its patience.
    Answered,
    /// The customer gave up waiting: its wait is its patience.
    Abandoned,
    /// Anything else (transferred out, callback, voicemail, a ticket
    /// still open): counted as offered only.
    Other,
}

/// The column of a field: one header, or several whose values are joined
/// with a space (a date column and a time column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header names, compared ignoring case and surrounding spaces.
    pub names: Vec<String>,
    /// Unit of a duration given as a plain number.
    pub unit: Unit,
}

impl Column {
    /// One header, seconds.
    pub fn named(name: &str) -> Self {
        Column { names: vec![name.to_string()], unit: Unit::Seconds }
    }
}

/// Which values of the outcome column mean what (compared ignoring case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcomes {
    /// Values meaning answered.
    pub answered: Vec<String>,
    /// Values meaning abandoned.
    pub abandoned: Vec<String>,
    /// Values meaning other.
    pub other: Vec<String>,
    /// What any other value means; `None`: it is an error.
    pub otherwise: Option<Outcome>,
}

impl Default for Outcomes {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        Outcomes {
            answered: v(&["answered", "handled"]),
            abandoned: v(&["abandoned", "abandon"]),
            other: v(&["other", "unserved"]),
            otherwise: None,
        }
    }
}

impl Outcomes {
    /// The outcome `value` means, if any.
    pub fn of(&self, value: &str) -> Option<Outcome> {
        let value = value.trim();
        let is = |list: &[String]| list.iter().any(|v| v.eq_ignore_ascii_case(value));
        if is(&self.answered) {
            Some(Outcome::Answered)
        } else if is(&self.abandoned) {
            Some(Outcome::Abandoned)
        } else if is(&self.other) {
            Some(Outcome::Other)
        } else {
            self.otherwise
        }
    }

    /// The values allowed, for messages.
    pub fn allowed(&self) -> String {
        let all: Vec<&str> =
            self.answered.iter().chain(&self.abandoned).chain(&self.other).map(String::as_str).collect();
        all.join(", ")
    }
}

/// How to read one kind of history file.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// The kind of file.
    pub kind: Kind,
    /// Fields whose column is not wfmsim's own.
    pub columns: BTreeMap<Field, Column>,
    /// Intervals: whether `handle_time` is a sum or a mean.
    pub handle_time: Aggregate,
    /// Intervals: whether `wait_answered` and `wait_abandoned` are sums or
    /// means.
    pub waits: Aggregate,
    /// Intervals: the threshold of `answered_within`, seconds, when
    /// neither its column name nor a `within` column gives it.
    pub within_s: Option<f64>,
    /// Records: what the outcome column's values mean.
    pub outcomes: Outcomes,
    /// A strftime format for instants (e.g. `%m/%d/%Y %H:%M`); `None`:
    /// RFC 3339 / ISO 8601.
    pub time_format: Option<String>,
    /// The field delimiter; `None`: found from the header line (`,`, `;`
    /// or tab).
    pub delimiter: Option<u8>,
    /// The preset this mapping started from, if any.
    pub preset: Option<&'static str>,
}

impl Mapping {
    /// wfmsim's own columns.
    pub fn new(kind: Kind) -> Self {
        Mapping {
            kind,
            columns: BTreeMap::new(),
            handle_time: Aggregate::Sum,
            waits: Aggregate::Sum,
            within_s: None,
            outcomes: Outcomes::default(),
            time_format: None,
            delimiter: None,
            preset: None,
        }
    }

    /// The column of `field`, explicit or wfmsim's own.
    pub fn column(&self, field: Field) -> Column {
        self.columns.get(&field).cloned().unwrap_or_else(|| Column::named(field.default_column()))
    }

    /// Whether `field`'s column was given (by a preset, a file or `--map`).
    pub fn is_explicit(&self, field: Field) -> bool {
        self.columns.contains_key(&field)
    }

    /// Sets `field`'s column; refused for a field this kind lacks.
    pub fn set(&mut self, field: Field, column: Column) -> Result<(), String> {
        if !Field::of(self.kind).contains(&field) {
            return Err(format!(
                "{} has no field {:?}; its fields: {}",
                self.kind.noun(),
                field.name(),
                names(self.kind)
            ));
        }
        self.columns.insert(field, column);
        Ok(())
    }

    /// Applies `FIELD=COLUMN` pairs (from `--map`): a field of this kind,
    /// or `intervals.FIELD` / `records.FIELD` for one kind only. Pairs
    /// naming the other kind's fields are left for it.
    pub fn apply_map(&mut self, pairs: &[(String, String)]) -> Result<(), String> {
        for (key, column) in pairs {
            let (kind, name) = match key.split_once('.') {
                Some(("intervals", f)) => (Some(Kind::Intervals), f),
                Some(("records", f)) => (Some(Kind::Records), f),
                Some((k, _)) => {
                    return Err(format!("--map {key}={column}: {k:?} is not a kind; allowed: intervals, records"))
                }
                None => (None, key.as_str()),
            };
            let Some(field) = Field::parse(name) else {
                return Err(format!(
                    "--map {key}={column}: {name:?} is not a field; interval history: {}; contact records: {}",
                    names(Kind::Intervals),
                    names(Kind::Records)
                ));
            };
            let mine = kind.is_none_or(|k| k == self.kind) && Field::of(self.kind).contains(&field);
            if mine {
                self.columns.insert(field, Column::named(column));
            }
        }
        Ok(())
    }

    /// Reads a mapping file's section for this kind (`[intervals]` or
    /// `[records]`) over this mapping.
    pub fn apply_file(&mut self, text: &str, file: &str) -> Result<(), HistoryError> {
        let parsed: MappingFile = toml::from_str(text).map_err(|e| {
            let place = e.span().map_or(Place::file(), |s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() as u64 + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                Place::at(line, column)
            });
            HistoryError::one(file, place, "", e.message().to_string())
        })?;
        let section = match self.kind {
            Kind::Intervals => parsed.intervals,
            Kind::Records => parsed.records,
        };
        let Some(section) = section else { return Ok(()) };
        let bad = |m: String| HistoryError::one(file, Place::file(), "", m);
        if let Some(p) = &section.preset {
            let preset = super::presets::find(p, self.kind).map_err(bad)?;
            *self = preset;
        }
        for (name, spec) in section.columns {
            let field = Field::parse(&name).ok_or_else(|| {
                bad(format!("[{}.columns] {name:?} is not a field; allowed: {}", kind_key(self.kind), names(self.kind)))
            })?;
            let column = match spec {
                ColumnSpec::Name(n) => Column::named(&n),
                ColumnSpec::Joined(names) if !names.is_empty() => Column { names, unit: Unit::Seconds },
                ColumnSpec::Joined(_) => {
                    return Err(bad(format!("[{}.columns] {name}: an empty list", kind_key(self.kind))))
                }
                ColumnSpec::Full { column, unit } => Column {
                    names: match column {
                        OneOrMore::One(n) => vec![n],
                        OneOrMore::More(v) => v,
                    },
                    unit: unit.unwrap_or_default(),
                },
            };
            self.set(field, column).map_err(bad)?;
        }
        if let Some(a) = section.handle_time {
            self.handle_time = a;
        }
        if let Some(a) = section.waits {
            self.waits = a;
        }
        if let Some(w) = section.within_s {
            self.within_s = Some(threshold(w).map_err(|m| bad(format!("within_s: {m}")))?);
        }
        if let Some(f) = section.time_format {
            self.time_format = Some(f);
        }
        if let Some(d) = section.delimiter {
            self.delimiter = Some(delimiter(&d).map_err(|m| bad(format!("delimiter: {m}")))?);
        }
        if let Some(o) = section.outcomes {
            if let Some(v) = o.answered {
                self.outcomes.answered = v;
            }
            if let Some(v) = o.abandoned {
                self.outcomes.abandoned = v;
            }
            if let Some(v) = o.other {
                self.outcomes.other = v;
            }
            if o.otherwise.is_some() {
                self.outcomes.otherwise = o.otherwise;
            }
        }
        Ok(())
    }
}

fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Intervals => "intervals",
        Kind::Records => "records",
    }
}

/// The field names of `kind`, for messages.
pub fn names(kind: Kind) -> String {
    Field::of(kind).iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
}

/// A service-level threshold, seconds: 0 to 86400.
pub fn threshold(s: f64) -> Result<f64, String> {
    if s.is_finite() && (0.0..=86_400.0).contains(&s) {
        Ok(s)
    } else {
        Err(format!("{s} is out of range; allowed: seconds from 0 to 86400"))
    }
}

/// A delimiter: one ASCII character (`\t` or `tab` for a tab).
pub fn delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\t" | "tab" | "\\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" => Ok(s.as_bytes()[0]),
        _ => Err(format!("{s:?} is not a delimiter; allowed: one ASCII character such as , ; | or tab")),
    }
}

/// A mapping file: `[intervals]` and `[records]`, each optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    intervals: Option<Section>,
    records: Option<Section>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    preset: Option<String>,
    #[serde(default)]
    columns: BTreeMap<String, ColumnSpec>,
    handle_time: Option<Aggregate>,
    waits: Option<Aggregate>,
    within_s: Option<f64>,
    time_format: Option<String>,
    delimiter: Option<String>,
    outcomes: Option<OutcomesSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ColumnSpec {
    Name(String),
    Joined(Vec<String>),
    Full { column: OneOrMore, unit: Option<Unit> },
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMore {
    One(String),
    More(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomesSpec {
    answered: Option<Vec<String>>,
    abandoned: Option<Vec<String>>,
    other: Option<Vec<String>>,
    otherwise: Option<Outcome>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_pair_goes_to_the_kind_that_has_the_field() {
        let pairs = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        let mut i = Mapping::new(Kind::Intervals);
        let mut r = Mapping::new(Kind::Records);
        let map = pairs(&[("offered", "Calls Offered"), ("wait", "Queue Wait"), ("records.queue", "Skill")]);
        i.apply_map(&map).unwrap();
        r.apply_map(&map).unwrap();
        assert_eq!(i.column(Field::Offered).names, ["Calls Offered"]);
        assert_eq!(i.column(Field::Queue).names, ["queue"]);
        assert_eq!(r.column(Field::Wait).names, ["Queue Wait"]);
        assert_eq!(r.column(Field::Queue).names, ["Skill"]);
        let e = i.apply_map(&pairs(&[("offerd", "x")])).unwrap_err();
        assert!(e.contains("\"offerd\" is not a field"), "{e}");
    }

    #[test]
    fn a_mapping_file_sets_columns_units_and_options() {
        let mut m = Mapping::new(Kind::Records);
        let text = r#"
[records]
time_format = "%m/%d/%Y %H:%M"
delimiter = ";"
[records.columns]
arrival = ["Date", "Time"]
wait = { column = "Wait (min)", unit = "minutes" }
[records.outcomes]
answered = ["done"]
otherwise = "other"
"#;
        m.apply_file(text, "map.toml").unwrap();
        assert_eq!(m.column(Field::Arrival).names, ["Date", "Time"]);
        assert_eq!(m.column(Field::Wait).unit, Unit::Minutes);
        assert_eq!(m.delimiter, Some(b';'));
        assert_eq!(m.outcomes.of("DONE"), Some(Outcome::Answered));
        assert_eq!(m.outcomes.of("weird"), Some(Outcome::Other));
        let e = m.apply_file("[records.columns]\nofered = \"x\"\n", "map.toml").unwrap_err();
        assert!(e.to_string().contains("\"ofered\" is not a field"), "{e}");
    }
}
