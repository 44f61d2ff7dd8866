//! Presets: mappings for common exports, from the exporters' public
//! descriptions of their reports (see docs/src/history.md). Headers
//! differ between versions, languages and report templates: a preset is a
//! starting point, and `--map FIELD=COLUMN` or a mapping file mends the
//! rest.

use super::mapping::{Aggregate, Column, Field, Kind, Mapping, Outcome, Outcomes, Unit};

/// A preset: its name, the kind of file it reads and what it is.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Its name (`--preset NAME`).
    pub name: &'static str,
    /// The kind of file.
    pub kind: Kind,
    /// The export it reads.
    pub source: &'static str,
    build: fn() -> Mapping,
}

impl Preset {
    /// The mapping.
    pub fn mapping(&self) -> Mapping {
        let mut m = (self.build)();
        m.preset = Some(self.name);
        m
    }
}

/// Every preset.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "amazon-connect",
        kind: Kind::Intervals,
        source: "Amazon Connect historical metrics report (queues, by interval), downloaded as CSV",
        build: amazon_connect,
    },
    Preset {
        name: "zendesk",
        kind: Kind::Records,
        source: "Zendesk Support ticket export (CSV): one row per ticket",
        build: zendesk,
    },
    Preset {
        name: "five9",
        kind: Kind::Records,
        source: "Five9 Call Log report (CSV): one row per call",
        build: five9,
    },
];

/// The preset named `name` for files of `kind`.
pub fn find(name: &str, kind: Kind) -> Result<Mapping, String> {
    match PRESETS.iter().find(|p| p.name == name) {
        Some(p) if p.kind == kind => Ok(p.mapping()),
        Some(p) => Err(format!("preset {name:?} reads {}, not {}", p.kind.noun(), kind.noun())),
        None => Err(format!(
            "{name:?} is not a preset; allowed: {}",
            PRESETS.iter().map(|p| format!("{} ({})", p.name, p.kind.noun())).collect::<Vec<_>>().join(", ")
        )),
    }
}

fn col(name: &str) -> Column {
    Column { names: vec![name.to_string()], unit: Unit::Seconds }
}

fn set(m: &mut Mapping, field: Field, column: Column) {
    m.set(field, column).expect("a preset names fields of its kind");
}

/// Amazon Connect: the UI names of the historical metrics (`Contacts
/// queued`, `Contacts handled`, `Contacts abandoned`, `Average handle
/// time`, `Average queue answer time`, `Average queue abandon time`);
/// averages per contact.
fn amazon_connect() -> Mapping {
    let mut m = Mapping::new(Kind::Intervals);
    set(&mut m, Field::Start, col("StartInterval"));
    set(&mut m, Field::Queue, col("Queue"));
    set(&mut m, Field::Offered, col("Contacts queued"));
    set(&mut m, Field::Answered, col("Contacts handled"));
    set(&mut m, Field::Abandoned, col("Contacts abandoned"));
    set(&mut m, Field::HandleTime, col("Average handle time"));
    set(&mut m, Field::WaitAnswered, col("Average queue answer time"));
    set(&mut m, Field::WaitAbandoned, col("Average queue abandon time"));
    m.handle_time = Aggregate::Mean;
    m.waits = Aggregate::Mean;
    m
}

/// Zendesk: a ticket's `Created at` is its arrival, its `Group` the queue,
/// `Status` solved or closed counts as answered (others stay open: other),
/// `First reply time in minutes` its wait and `Solved at` its end.
fn zendesk() -> Mapping {
    let mut m = Mapping::new(Kind::Records);
    set(&mut m, Field::Arrival, col("Created at"));
    set(&mut m, Field::Queue, col("Group"));
    set(&mut m, Field::Outcome, col("Status"));
    set(&mut m, Field::Wait, Column { names: vec!["First reply time in minutes".into()], unit: Unit::Minutes });
    set(&mut m, Field::End, col("Solved at"));
    let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
    m.outcomes = Outcomes {
        answered: v(&["solved", "closed"]),
        abandoned: vec![],
        other: v(&["new", "open", "pending", "hold", "on-hold", "deleted"]),
        otherwise: None,
    };
    m
}

/// Five9: `DATE` and `TIME` (joined) are the arrival, `SKILL` the queue,
/// `DISPOSITION` Abandon counts as abandoned and every other disposition
/// as answered; `QUEUE WAIT TIME` and `HANDLE TIME` as H:MM:SS.
fn five9() -> Mapping {
    let mut m = Mapping::new(Kind::Records);
    set(&mut m, Field::Arrival, Column { names: vec!["DATE".into(), "TIME".into()], unit: Unit::Seconds });
    set(&mut m, Field::Queue, col("SKILL"));
    set(&mut m, Field::Outcome, col("DISPOSITION"));
    set(&mut m, Field::Wait, col("QUEUE WAIT TIME"));
    set(&mut m, Field::HandleTime, col("HANDLE TIME"));
    m.outcomes = Outcomes {
        answered: vec![],
        abandoned: vec!["Abandon".into(), "Abandoned".into()],
        other: vec!["Voicemail".into(), "No Disposition".into()],
        otherwise: Some(Outcome::Answered),
    };
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_builds_and_a_wrong_kind_is_refused() {
        for p in PRESETS {
            assert_eq!(find(p.name, p.kind).unwrap().preset, Some(p.name));
        }
        let e = find("zendesk", Kind::Intervals).unwrap_err();
        assert_eq!(e, "preset \"zendesk\" reads contact records, not interval history");
        assert!(find("genesis", Kind::Intervals).unwrap_err().starts_with("\"genesis\" is not a preset; allowed: "));
    }
}
