//! A forecast and a fit written into a copy of a scenario: each queue's
//! `arrivals` (daily volumes, profile, date overrides) and `uncertainty`
//! (`volume_cv`, `intraday_cv` from the backtest), `[uncertainty]`'s
//! correlation, the fitted `handle_time` and `patience`, the reported
//! days (`[scenario]` `start` and `days`) and `[[plan.queue]]` monthly
//! volumes; teams, targets, shifts, comments and every other key are
//! kept. Through `toml_edit`, a TOML editor: the document is parsed and
//! the keys replaced, never scanned as text. The pieces come from the
//! fragments [`crate::forecast::arrivals::render_toml`],
//! [`crate::forecast::arrivals::render_plan_toml`] and
//! [`super::fragment::render`], so a fragment and a scenario say the same.

use jiff::civil::Date;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

/// Why a scenario could not take the forecast.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IntoError {
    /// The scenario is not TOML.
    #[error("{file}:{line}:{column}: not TOML: {message}")]
    Parse {
        /// The scenario, as named.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A table the edit needs is missing or of another shape.
    #[error("{file}: {what}")]
    Shape {
        /// The scenario, as named.
        file: String,
        /// What is missing.
        what: String,
    },
}

/// What to write into the scenario.
#[derive(Debug, Clone, Default)]
pub struct Edit<'a> {
    /// `[[queue]]` fragments with `arrivals` and `uncertainty`, and
    /// `[uncertainty]` (as [`crate::forecast::arrivals::render_toml`]
    /// writes them).
    pub arrivals: Option<&'a str>,
    /// `[[queue]]` fragments with `handle_time` and `patience` (as
    /// [`super::fragment::render`] writes them).
    pub distributions: Option<&'a str>,
    /// `[[plan.queue]]` fragments with `volume` (as
    /// [`crate::forecast::arrivals::render_plan_toml`] writes them).
    pub plan: Option<&'a str>,
    /// The reported days: `[scenario]` `start` and `days`.
    pub days: Option<(Date, usize)>,
}

/// What the edit did beside writing: queues of the fragments the
/// scenario lacks (left out).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edited {
    /// The scenario's new text.
    pub text: String,
    /// What was left out, and why.
    pub notes: Vec<String>,
}

fn parse(text: &str, file: &str) -> Result<DocumentMut, IntoError> {
    text.parse::<DocumentMut>().map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| {
            let before = &text[..s.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, column)
        });
        IntoError::Parse { file: file.to_string(), line, column, message: e.message().trim().replace('\n', " ") }
    })
}

/// A copy of `table` with no document position, so it renders right
/// after the table it is inserted into.
fn fresh(table: &Table) -> Table {
    let mut out = Table::new();
    *out.decor_mut() = table.decor().clone();
    for (key, item) in table.iter() {
        out.insert(key, fresh_item(item));
    }
    out
}

fn fresh_item(item: &Item) -> Item {
    match item {
        Item::Table(t) => Item::Table(fresh(t)),
        Item::ArrayOfTables(a) => {
            let mut out = ArrayOfTables::new();
            for t in a.iter() {
                out.push(fresh(t));
            }
            Item::ArrayOfTables(out)
        }
        other => other.clone(),
    }
}

/// The array of tables at `key` of `doc`'s root (or of `[plan]`).
fn tables<'d>(root: &'d mut Table, key: &str) -> Option<&'d mut ArrayOfTables> {
    root.get_mut(key).and_then(Item::as_array_of_tables_mut)
}

fn name_of(t: &Table) -> Option<&str> {
    t.get("name").and_then(Item::as_str)
}

/// Sets `keys` of the fragment's `[[queue]]`s (or `[[plan.queue]]`s) on
/// the scenario's table of the same name; notes the names it lacks.
fn merge_named(
    target: &mut ArrayOfTables,
    fragment: &ArrayOfTables,
    keys: &[&str],
    what: &str,
    notes: &mut Vec<String>,
) {
    for part in fragment.iter() {
        let Some(name) = name_of(part) else { continue };
        let Some(t) = target.iter_mut().find(|t| name_of(t) == Some(name)) else {
            notes.push(format!("{what} '{name}' of the history is not in the scenario: left out"));
            continue;
        };
        for key in keys {
            let Some(item) = part.get(key) else { continue };
            match (key, t.get_mut(key)) {
                // A queue's uncertainty overrides key by key: keep the
                // keys the forecast does not estimate (aht_cv).
                (&"uncertainty", Some(old)) if old.is_inline_table() || old.is_table() => {
                    let Some(new) = item.as_inline_table() else { continue };
                    if let Some(old) = old.as_inline_table_mut() {
                        for (k, v) in new.iter() {
                            old.insert(k, v.clone());
                        }
                        old.fmt();
                    } else if let Some(old) = old.as_table_like_mut() {
                        for (k, v) in new.iter() {
                            old.insert(k, Item::Value(v.clone()));
                        }
                    }
                }
                _ => {
                    t.insert(key, fresh_item(item));
                }
            }
        }
    }
}

/// `scenario` (its text, named `file`) with `edit` written in.
pub fn write_into(scenario: &str, file: &str, edit: &Edit) -> Result<Edited, IntoError> {
    let mut doc = parse(scenario, file)?;
    let shape = |what: &str| IntoError::Shape { file: file.to_string(), what: what.to_string() };
    let mut notes = Vec::new();
    if let Some((start, days)) = edit.days {
        let s =
            doc.get_mut("scenario").and_then(Item::as_table_like_mut).ok_or_else(|| shape("no [scenario] table"))?;
        s.insert("start", Item::Value(Value::from(start.to_string())));
        s.insert("days", Item::Value(Value::from(days as i64)));
    }
    for (fragment, keys) in
        [(edit.arrivals, &["uncertainty", "arrivals"][..]), (edit.distributions, &["handle_time", "patience"][..])]
    {
        let Some(fragment) = fragment else { continue };
        let part = parse(fragment, "the forecast's fragment").map_err(|e| shape(&e.to_string()))?;
        let Some(queues) = part.get("queue").and_then(Item::as_array_of_tables) else { continue };
        let target = tables(doc.as_table_mut(), "queue").ok_or_else(|| shape("no [[queue]] tables"))?;
        merge_named(target, queues, keys, "queue", &mut notes);
        if let Some(c) = part.get("uncertainty").and_then(|u| u.get("correlation")) {
            let u = doc.entry("uncertainty").or_insert(Item::Table(Table::new()));
            let u = u.as_table_like_mut().ok_or_else(|| shape("[uncertainty] is not a table"))?;
            u.insert("correlation", c.clone());
        }
    }
    if let Some(fragment) = edit.plan {
        let part = parse(fragment, "the plan's fragment").map_err(|e| shape(&e.to_string()))?;
        if let Some(queues) = part.get("plan").and_then(|p| p.get("queue")).and_then(Item::as_array_of_tables) {
            let plan = doc
                .get_mut("plan")
                .and_then(Item::as_table_mut)
                .ok_or_else(|| shape("--plan needs a [plan] table with [[plan.queue]] for the queues"))?;
            let target = tables(plan, "queue").ok_or_else(|| shape("[plan] has no [[plan.queue]] tables"))?;
            merge_named(target, queues, &["volume"], "plan queue", &mut notes);
        }
    }
    Ok(Edited { text: doc.to_string(), notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = "# kept\n[scenario]\nname = \"x\"\nstart = \"2026-01-05\"\ndays = 1\n\n\
        [[queue]]\nname = \"a\"\nhandle_time = { distribution = \"exponential\", mean_s = 100 }\n\
        uncertainty = { aht_cv = 0.1 }\narrivals = { daily = [1, 1, 1, 1, 1, 1, 1], profile = [1] }\n\
        target = { service_level = 0.8, within_s = 20 }\n\n[[team]]\nname = \"t\" # kept too\nskills = [\"a\"]\nagents = 3\n";

    #[test]
    fn the_arrivals_replace_the_queue_s_and_everything_else_stays() {
        let fragment = "[[queue]]\nname = \"a\"\nuncertainty = { volume_cv = 0.1, intraday_cv = 0.05 }\n\n\
            [queue.arrivals]\ndaily = [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]\nprofile = [1.0]\n\n\
            # Launch\n[[queue.arrivals.override]]\ndate = \"2026-01-06\"\nvolume = 3.0\n\n\
            [[queue]]\nname = \"b\"\n\n[queue.arrivals]\ndaily = [1.0]\n\n[uncertainty]\ncorrelation = 0.2\n";
        let date = jiff::civil::date(2026, 1, 5);
        let edit = Edit { arrivals: Some(fragment), days: Some((date, 14)), ..Edit::default() };
        let out = write_into(SCENARIO, "s.toml", &edit).unwrap();
        assert_eq!(out.notes, vec!["queue 'b' of the history is not in the scenario: left out".to_string()]);
        let t = &out.text;
        assert!(t.starts_with("# kept\n") && t.contains("name = \"t\" # kept too"), "{t}");
        assert!(t.contains("days = 14"), "{t}");
        assert!(t.contains("uncertainty = { aht_cv = 0.1, volume_cv = 0.1, intraday_cv = 0.05 }"), "{t}");
        assert!(t.contains("# Launch\n[[queue.arrivals.override]]"), "{t}");
        let v: toml::Table = t.parse().unwrap();
        assert_eq!(v["queue"][0]["arrivals"]["daily"][0].as_float(), Some(2.0));
        assert_eq!(v["queue"][0]["target"]["within_s"].as_integer(), Some(20));
        assert_eq!(v["uncertainty"]["correlation"].as_float(), Some(0.2));
        let e = write_into("[scenario\n", "s.toml", &edit).unwrap_err();
        assert!(e.to_string().starts_with("s.toml:1:"), "{e}");
    }
}
