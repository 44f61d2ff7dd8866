//! Validation of `[[agent]]` (and of an agents CSV read into the same
//! types) against the compiled scenario: every problem collected with its
//! place, field, what was found and what is allowed. An unknown team,
//! queue or rule is named with the nearest known one; an impossible
//! contract (a minimum above the maximum, a maximum below the shortest
//! shift the allowed rules give, a minimum the days cannot reach, an
//! availability no allowed shift fits) and time off outside the horizon
//! are refused.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::ToSpan;
use toml::Spanned;

use super::{parse_time_of_day, parse_weekday};
use crate::diagnostic::{nearest, shown, Problems, ScenarioError};
use crate::input::written::agents::{AgentSpec, AvailabilitySpec, ContractSpec, PreferencesSpec};
use crate::model::agents::{Agent, Availability, Contract, DayWindow, Preferences, MAX_AGENTS};
use crate::model::agents::{DEFAULT_MAX_DAYS, DEFAULT_MIN_REST_HOURS};
use crate::model::Model;

/// Longest agent id, in characters.
pub const MAX_ID_CHARS: usize = 64;
/// Largest weight of a preference.
pub const MAX_WEIGHT: f64 = 100.0;
/// Longest rest a contract may ask for, hours.
pub const MAX_REST_HOURS: f64 = 48.0;
/// Hours in a week.
const WEEK_HOURS: f64 = 168.0;

/// How fields are named in messages: as the scenario's keys
/// (`agent[3].contract.max_hours`) or as an agents CSV's columns
/// (`max_hours`; the line names the row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `[[agent]]` in the scenario.
    Toml,
    /// A CSV file of agents, one per row.
    Csv,
}

/// The CSV column holding a field of the scenario's `[[agent]]`
/// (`contract.max_hours` → `max_hours`).
pub fn csv_column(path: &str) -> &str {
    match path {
        "preferences.start" => "preferred_start",
        "preferences.days_off" => "preferred_days_off",
        "preferences.weight" => "weight",
        p if p.starts_with("availability") => "availability",
        p => p.rsplit('.').next().unwrap_or(p).split('[').next().unwrap_or(p),
    }
}

/// Checks the agents `specs` (parsed from `source`, named `file` in
/// messages) against `model`.
pub fn check(
    specs: &[AgentSpec],
    model: &Model,
    source: &str,
    file: &str,
    naming: Naming,
) -> Result<Vec<Agent>, ScenarioError> {
    let mut p = Problems::new(source);
    let agents = Checker { p: &mut p, model, naming }.agents(specs);
    match p.into_error(file) {
        Some(e) => Err(e),
        None => Ok(agents),
    }
}

struct Checker<'a, 'b> {
    p: &'a mut Problems<'b>,
    model: &'a Model,
    naming: Naming,
}

impl Checker<'_, '_> {
    fn field(&self, i: usize, path: &str) -> String {
        match self.naming {
            Naming::Toml => format!("agent[{i}].{path}"),
            Naming::Csv => csv_column(path).to_string(),
        }
    }

    fn agents(&mut self, specs: &[AgentSpec]) -> Vec<Agent> {
        if specs.len() > MAX_AGENTS {
            let place = specs[MAX_AGENTS].id.span();
            let message = format!("{} agents are listed; allowed: at most {MAX_AGENTS}", specs.len());
            self.p.at(place, self.field(MAX_AGENTS, "id"), message);
            return Vec::new();
        }
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut out = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            if let Some(&first) = seen.get(spec.id.get_ref().as_str()) {
                let first = match self.naming {
                    Naming::Toml => format!("agent[{first}]"),
                    Naming::Csv => format!("row {}", first + 1),
                };
                let message = format!("{:?} is already the id of {first}; ids must be unique", spec.id.get_ref());
                self.p.at(spec.id.span(), self.field(i, "id"), message);
            } else {
                seen.insert(spec.id.get_ref(), i);
            }
            if let Some(agent) = self.agent(i, spec) {
                out.push(agent);
            }
        }
        out
    }

    fn agent(&mut self, i: usize, s: &AgentSpec) -> Option<Agent> {
        let id = self.id(i, &s.id);
        let team = self.team(i, &s.team);
        let skills = team.and_then(|t| self.skills(i, s.skills.as_ref(), t));
        let contract = team.and_then(|t| self.contract(i, s.contract.as_ref(), t, s.id.span()));
        let availability = self.availability(i, s.availability.as_ref());
        if let (Some(t), Some(c), Some(a), Some(spec)) = (team, &contract, &availability, &s.availability) {
            self.fits_some_shift(i, t, c, a, spec);
        }
        let time_off = self.time_off(i, s.time_off.as_ref());
        let preferences = self.preferences(i, s.preferences.as_ref());
        Some(Agent {
            id: id?,
            team: team?,
            skills: skills?,
            contract: contract?,
            availability: availability?,
            time_off: time_off?,
            preferences: preferences?,
        })
    }

    /// An id of letters, digits, `-`, `_`, `.` and `@` (it names the
    /// agent's calendar file), at most [`MAX_ID_CHARS`].
    fn id(&mut self, i: usize, v: &Spanned<String>) -> Option<String> {
        let id = v.get_ref();
        let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@');
        let problem = if id.is_empty() {
            "is empty".to_string()
        } else if id.chars().count() > MAX_ID_CHARS {
            format!("{id:?} is {} characters long", id.chars().count())
        } else if !id.chars().all(fine) || id.starts_with('.') {
            format!("{id:?} holds a character an id may not")
        } else {
            return Some(id.clone());
        };
        let allowed =
            format!("allowed: 1 to {MAX_ID_CHARS} letters, digits, '-', '_', '.' or '@', not starting with '.'");
        self.p.at(v.span(), self.field(i, "id"), format!("{problem}; {allowed}"));
        None
    }

    /// The team by name; it must have shift rules.
    fn team(&mut self, i: usize, v: &Spanned<String>) -> Option<usize> {
        let teams = &self.model.teams;
        let name = v.get_ref();
        match teams.iter().position(|t| &t.name == name) {
            Some(t) if !teams[t].rules.is_empty() => Some(t),
            Some(_) => {
                let ruled: Vec<String> =
                    teams.iter().filter(|t| !t.rules.is_empty()).map(|t| format!("{:?}", t.name)).collect();
                let message = format!(
                    "team {name:?} has no [[team.shift_rule]]: agents work the shifts schedule rosters from rules; allowed: {}",
                    if ruled.is_empty() { "a team with rules (none has any)".to_string() } else { ruled.join(", ") }
                );
                self.p.at(v.span(), self.field(i, "team"), message);
                None
            }
            None => {
                let message = match nearest(name, teams.iter().map(|t| &t.name)) {
                    Some(near) => format!("{name:?} is not a team of the scenario; nearest: {near:?}"),
                    None => format!("{name:?} is not a team of the scenario"),
                };
                self.p.at(v.span(), self.field(i, "team"), message);
                None
            }
        }
    }

    /// The agent's queues, or `None` where they are the team's.
    fn skills(&mut self, i: usize, v: Option<&Spanned<Vec<Spanned<String>>>>, t: usize) -> Option<Option<Vec<usize>>> {
        let Some(list) = v else { return Some(None) };
        let field = self.field(i, "skills");
        if list.get_ref().is_empty() {
            self.p.at(list.span(), field, "is empty; name at least one queue (or leave skills out: the team's)");
            return None;
        }
        let names: Vec<&String> = self.model.queues.iter().map(|q| &q.name).collect();
        let (mut out, mut ok) = (Vec::new(), true);
        for (k, name) in list.get_ref().iter().enumerate() {
            match names.iter().position(|n| *n == name.get_ref()) {
                Some(q) if !out.contains(&q) => out.push(q),
                Some(_) => {}
                None => {
                    ok = false;
                    let message = match nearest(name.get_ref(), names.iter().copied()) {
                        Some(near) => format!("{:?} is not a queue of the scenario; nearest: {near:?}", name.get_ref()),
                        None => format!("{:?} is not a queue of the scenario", name.get_ref()),
                    };
                    let at = if self.naming == Naming::Toml { format!("{field}[{k}]") } else { field.clone() };
                    self.p.at(name.span(), at, message);
                }
            }
        }
        if !ok {
            return None;
        }
        out.sort_unstable();
        let team = &self.model.teams[t];
        let mut own: Vec<usize> = team.skills_by_priority.iter().flatten().map(|s| s.queue).collect();
        own.sort_unstable();
        own.dedup();
        Some((out != own).then_some(out))
    }

    /// The contract; a problem with a default value is placed at
    /// `fallback` (the agent's id).
    fn contract(
        &mut self,
        i: usize,
        v: Option<&Spanned<ContractSpec>>,
        t: usize,
        fallback: std::ops::Range<usize>,
    ) -> Option<Contract> {
        let default = ContractSpec::default();
        let c = v.map_or(&default, |v| v.get_ref());
        let f = |name: &str| self.field(i, &format!("contract.{name}"));
        let (f_min, f_max, f_days, f_rest, f_rules) =
            (f("min_hours"), f("max_hours"), f("max_days"), f("min_rest_hours"), f("rules"));
        let hours = "hours from 0 to 168";
        let min_hours = match &c.min_hours {
            Some(x) => self.p.number_where(x, &f_min, |x| (0.0..=WEEK_HOURS).contains(&x), hours),
            None => Some(0.0),
        };
        let max_hours = match &c.max_hours {
            Some(x) => self.p.number_where(x, &f_max, |x| x > 0.0 && x <= WEEK_HOURS, "hours more than 0, at most 168"),
            None => Some(self.model.staffing.paid_hours_per_week),
        };
        let max_days = match &c.max_days {
            Some(x) => self.p.int_in(x, &f_days, 1, 7, "a whole number of days from 1 to 7").map(|d| d as u8),
            None => Some(DEFAULT_MAX_DAYS),
        };
        let min_rest_hours = match &c.min_rest_hours {
            Some(x) => self.p.number_where(x, &f_rest, |x| (0.0..=MAX_REST_HOURS).contains(&x), "hours from 0 to 48"),
            None => Some(DEFAULT_MIN_REST_HOURS),
        };
        let rules = self.rules(c.rules.as_ref(), t, &f_rules);
        let (min_hours, max_hours, max_days, min_rest_hours, rules) =
            (min_hours?, max_hours?, max_days?, min_rest_hours?, rules?);
        let team = &self.model.teams[t];
        let shortest = rules.iter().map(|&r| team.rules[r].hours[0]).fold(f64::INFINITY, f64::min);
        let longest =
            rules.iter().map(|&r| *team.rules[r].hours.last().expect("a rule has a length")).fold(0.0, f64::max);
        let mut ok = true;
        let min_place = c.min_hours.as_ref().map(|x| x.span());
        let max_place =
            c.max_hours.as_ref().map(|x| x.span()).or_else(|| v.map(|v| v.span())).unwrap_or(fallback.clone());
        let min_place = min_place.unwrap_or(fallback);
        if min_hours > max_hours {
            let message = format!(
                "{} hours is more than max_hours {}; allowed: at most max_hours",
                shown(min_hours),
                shown(max_hours)
            );
            self.p.at(min_place.clone(), f_min.clone(), message);
            ok = false;
        } else if min_hours > f64::from(max_days) * longest {
            let message = format!(
                "{} hours cannot be worked in max_days {max_days} of shifts at most {} hours long (the allowed rules' longest); allowed: at most {}",
                shown(min_hours),
                shown(longest),
                shown(f64::from(max_days) * longest)
            );
            self.p.at(min_place, f_min.clone(), message);
            ok = false;
        }
        if max_hours < shortest {
            let message = format!(
                "{} hours is below the shortest shift the allowed rules give ({} hours): no shift fits; allowed: at least {}",
                shown(max_hours),
                shown(shortest),
                shown(shortest)
            );
            self.p.at(max_place, f_max, message);
            ok = false;
        }
        ok.then_some(Contract { min_hours, max_hours, max_days, min_rest_s: min_rest_hours * 3600.0, rules })
    }

    /// The named rules of team `t` (every one when none is named).
    fn rules(&mut self, v: Option<&Spanned<Vec<Spanned<String>>>>, t: usize, field: &str) -> Option<Vec<usize>> {
        let team = &self.model.teams[t];
        let Some(list) = v else { return Some((0..team.rules.len()).collect()) };
        if list.get_ref().is_empty() {
            self.p.at(list.span(), field, "is empty; name at least one of the team's rules (or leave rules out: all)");
            return None;
        }
        let names: Vec<String> = team.rules.iter().map(|r| r.name.clone()).collect();
        let (mut out, mut ok) = (Vec::new(), true);
        for (k, name) in list.get_ref().iter().enumerate() {
            let matching: Vec<usize> = (0..names.len()).filter(|&r| names[r] == *name.get_ref()).collect();
            if matching.is_empty() {
                ok = false;
                let listed: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
                let message = format!(
                    "{:?} is not a shift rule of team {:?}; allowed: {}",
                    name.get_ref(),
                    team.name,
                    listed.join(", ")
                );
                let at = if self.naming == Naming::Toml { format!("{field}[{k}]") } else { field.to_string() };
                self.p.at(name.span(), at, message);
            }
            out.extend(matching);
        }
        out.sort_unstable();
        out.dedup();
        ok.then_some(out)
    }

    fn availability(&mut self, i: usize, v: Option<&Spanned<AvailabilitySpec>>) -> Option<Availability> {
        let Some(spec) = v else { return Some(Availability::ANY) };
        let mut days = [None; 7];
        let mut ok = true;
        for (d, day) in spec.get_ref().days().into_iter().enumerate() {
            let Some(text) = day else { continue };
            let field = self.field(i, &format!("availability.{}", WEEKDAYS[d]));
            match text.get_ref().as_str() {
                "off" => continue,
                "any" => {
                    days[d] = Some(DayWindow::ANY);
                    continue;
                }
                _ => {}
            }
            match window(text.get_ref(), true) {
                Some((from, to)) => days[d] = Some(DayWindow { from_minutes: from, to_minutes: to }),
                None => {
                    ok = false;
                    let message = format!(
                        "{:?} is not a window; allowed: \"HH:MM-HH:MM\" (from 00:00 to 24:00; an end at or before the start runs past midnight), \"any\" or \"off\"",
                        text.get_ref()
                    );
                    self.p.at(text.span(), field, message);
                }
            }
        }
        ok.then_some(Availability { days })
    }

    /// Refuses an availability in which no shift the contract's rules give
    /// fits on any day.
    fn fits_some_shift(&mut self, i: usize, t: usize, c: &Contract, a: &Availability, v: &Spanned<AvailabilitySpec>) {
        let team = &self.model.teams[t];
        let fits = a.days.iter().flatten().any(|w| {
            c.rules.iter().map(|&r| &team.rules[r]).any(|rule| {
                rule.starts.iter().any(|s| {
                    let login = s.hour() as u32 * 60 + s.minute() as u32;
                    rule.hours.iter().any(|&h| h <= c.max_hours && w.holds(login, login + (h * 60.0).round() as u32))
                })
            })
        });
        if !fits {
            let message = "no shift the allowed rules give (start, length) fits in any of its windows: the agent could never work; allowed: windows that hold at least one allowed shift";
            self.p.at(v.span(), self.field(i, "availability"), message);
        }
    }

    /// Dates off, each inside the horizon, ascending and once each.
    fn time_off(&mut self, i: usize, v: Option<&Spanned<Vec<Spanned<String>>>>) -> Option<Vec<Date>> {
        let Some(list) = v else { return Some(Vec::new()) };
        let first = self.model.days.first().expect("a model has a day").date;
        let last = self.model.days.last().expect("a model has a day").date;
        let field = self.field(i, "time_off");
        let (mut out, mut ok) = (Vec::new(), true);
        for (k, item) in list.get_ref().iter().enumerate() {
            let at = if self.naming == Naming::Toml { format!("{field}[{k}]") } else { field.clone() };
            let text = item.get_ref();
            let (a, b) = text.split_once("..").unwrap_or((text, text));
            let range = match (date(a), date(b)) {
                (Some(a), Some(b)) if a <= b => Some((a, b)),
                (Some(_), Some(_)) => {
                    self.p.at(
                        item.span(),
                        at,
                        format!("{text:?} ends before it starts; allowed: FROM..TO with FROM at or before TO"),
                    );
                    ok = false;
                    continue;
                }
                _ => None,
            };
            let Some((a, b)) = range else {
                let message = format!(
                    "{text:?} is not a date or a range of dates; allowed: \"YYYY-MM-DD\" or \"YYYY-MM-DD..YYYY-MM-DD\""
                );
                self.p.at(item.span(), at, message);
                ok = false;
                continue;
            };
            if a < first || b > last {
                let message =
                    format!("{text:?} is outside the horizon ({first} to {last}); allowed: dates of the horizon");
                self.p.at(item.span(), at, message);
                ok = false;
                continue;
            }
            let mut d = a;
            while d <= b {
                out.push(d);
                d = d.checked_add(1.days()).expect("a date of the horizon has a next");
            }
        }
        out.sort_unstable();
        out.dedup();
        ok.then_some(out)
    }

    fn preferences(&mut self, i: usize, v: Option<&Spanned<PreferencesSpec>>) -> Option<Preferences> {
        let Some(spec) = v else { return Some(Preferences::NONE) };
        let s = spec.get_ref();
        let mut ok = true;
        let start = match &s.start {
            None => None,
            Some(text) => match window(text.get_ref(), false) {
                Some(w) => Some(w),
                None => {
                    let message = format!(
                        "{:?} is not a window of logins; allowed: \"HH:MM-HH:MM\", from 00:00 to 23:59, the end at or after the start",
                        text.get_ref()
                    );
                    self.p.at(text.span(), self.field(i, "preferences.start"), message);
                    ok = false;
                    None
                }
            },
        };
        let mut days_off = [false; 7];
        if let Some(list) = &s.days_off {
            let field = self.field(i, "preferences.days_off");
            for (k, day) in list.get_ref().iter().enumerate() {
                match parse_weekday(day.get_ref()) {
                    Some(d) => days_off[d] = true,
                    None => {
                        let at = if self.naming == Naming::Toml { format!("{field}[{k}]") } else { field.clone() };
                        let message =
                            format!("{:?} is not a day of the week; allowed: \"Mon\" … \"Sun\"", day.get_ref());
                        self.p.at(day.span(), at, message);
                        ok = false;
                    }
                }
            }
        }
        let weight = match &s.weight {
            Some(w) => self.p.number_where(
                w,
                &self.field(i, "preferences.weight"),
                |x| (0.0..=MAX_WEIGHT).contains(&x),
                "0 to 100",
            ),
            None => Some(1.0),
        };
        let weight = weight?;
        ok.then_some(Preferences { start, days_off, weight })
    }
}

/// The weekdays as keys, Monday first.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// "HH:MM-HH:MM" as minutes after midnight. With `wraps` (availability)
/// the end may be 24:00, and an end at or before the start runs past
/// midnight (+1440); without (preferred logins) the end is at or after
/// the start.
fn window(text: &str, wraps: bool) -> Option<(u32, u32)> {
    let (a, b) = text.split_once('-')?;
    let minutes = |t: &str| parse_time_of_day(t.trim()).map(|t| t.hour() as u32 * 60 + t.minute() as u32);
    let from = minutes(a)?;
    let to = match (minutes(b), b.trim()) {
        (Some(to), _) => to,
        (None, "24:00") if wraps => 1440,
        _ => return None,
    };
    match (wraps, to > from) {
        (_, true) => Some((from, to)),
        (true, false) => Some((from, to + 1440)),
        (false, false) if to == from => Some((from, to)),
        (false, false) => None,
    }
}

/// A civil date written exactly as YYYY-MM-DD.
fn date(text: &str) -> Option<Date> {
    text.trim().parse::<Date>().ok().filter(|d| d.to_string() == text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_wrap_past_midnight_only_for_availability() {
        assert_eq!(window("06:00-18:00", true), Some((360, 1080)));
        assert_eq!(window("22:00-06:00", true), Some((1320, 1800)));
        assert_eq!(window("00:00-24:00", true), Some((0, 1440)));
        assert_eq!(window("22:00-06:00", false), None);
        assert_eq!(window("08:00-08:00", false), Some((480, 480)));
        assert_eq!(window("8:00-10:00", true), None);
    }

    #[test]
    fn csv_columns_name_the_scenario_keys() {
        assert_eq!(csv_column("contract.max_hours"), "max_hours");
        assert_eq!(csv_column("availability.Mon"), "availability");
        assert_eq!(csv_column("preferences.days_off"), "preferred_days_off");
        assert_eq!(csv_column("time_off"), "time_off");
    }
}
