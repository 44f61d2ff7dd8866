//! Validation and compilation of a parsed scenario into a [`Model`] (and
//! its `[plan]` into a [`Plan`]): every problem is collected with its
//! place; civil times become seconds from the first reported instant, in
//! the zone each part of the scenario names.

use std::collections::BTreeMap;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use toml::Spanned;

pub mod agents;
mod dates;
mod events;
pub mod plan;
mod queues;
mod rules;
mod teams;
mod uncertainty;

use events::Parts;

use super::parse::{read, Read};

use super::written::{Header, Scenario, ShiftSpec, TeamSpec};
use crate::diagnostic::{line_col, shown, Diagnostic, Problems, ScenarioError};
use crate::model::plan::Plan;
use crate::model::{Break, Day, Horizon, Model, Queue, RateSegment, ServiceLevelRule, ShiftInstance, ShiftPattern};
use crate::model::{StaffingPolicy, Team, DEFAULT_REPLICATIONS, DEFAULT_SEED, MAX_BREAKS_PER_SHIFT};
use crate::model::{MAX_COST_PER_HOUR, MAX_QUEUE_DAYS, MAX_SHIFT_AGENTS, MAX_SHIFT_INSTANCES, MAX_SHIFT_S};
use crate::model::{MAX_DAYS, MAX_REPLICATIONS, MAX_TEAM_AGENTS};

/// A scenario compiled: the model, its `[plan]` if it has one, and the
/// warnings it raised.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The model the engine simulates.
    pub model: Model,
    /// `[plan]`, checked against the model.
    pub plan: Option<Plan>,
    /// Things that are allowed but probably not meant.
    pub warnings: Vec<Diagnostic>,
}

/// Parses, validates and compiles scenario text, `[plan]` included.
/// `file` names the source in messages.
///
/// Every unknown key and wrong type is found at once (see `parse`: the
/// line of each is blanked and the text read again, part by part); the
/// value checks then run on what parsed, leaving out the fields that were
/// blanked. `[plan]` is checked once the rest compiles (it names the
/// scenario's queues and teams).
pub fn compile(source: &str, file: &str) -> Result<Compiled, ScenarioError> {
    let Read { scenario, problems: structural, blanked, .. } = read(source);
    let error = |diagnostics: Vec<Diagnostic>| {
        let mut p = Problems::new(source);
        p.items = diagnostics;
        p.into_error(file).expect("at least one problem")
    };
    let Some(scenario) = scenario else { return Err(error(structural)) };
    match compile_parsed(&scenario, source, file) {
        Ok(compiled) if structural.is_empty() => Ok(compiled),
        Ok(_) => Err(error(structural)),
        Err(semantic) => {
            let mut all = structural;
            all.extend(
                semantic.diagnostics.into_iter().filter(|d| !blanked.iter().any(|b| d.field.starts_with(b.as_str()))),
            );
            Err(error(all))
        }
    }
}

/// Validates and compiles a parsed scenario; `source` is the text it was
/// parsed from, for line and column.
fn compile_parsed(scenario: &Scenario, source: &str, file: &str) -> Result<Compiled, ScenarioError> {
    let mut c = Compiler { p: Problems::new(source), warnings: Vec::new() };
    let model = c.compile(scenario);
    let risk = c.risk(scenario);
    let model = model.zip(risk).map(|(m, r)| r.apply(m));
    if let Some(e) = c.p.into_error(file) {
        return Err(e);
    }
    let mut model = model.expect("no problems means a model");
    let plan = match &scenario.plan {
        Some(spec) => plan::check(spec, &scenario.scenario.days, &model, source, file)?,
        None => None,
    };
    model.agents = agents::check(&scenario.agent, &model, source, file, agents::Naming::Toml)?;
    Ok(Compiled { model, plan, warnings: c.warnings })
}

/// First day a scenario may report: the calendar arithmetic around it
/// (warm-up, shifts from the day before) stays far inside jiff's range.
const FIRST_DATE: Date = jiff::civil::date(1900, 1, 1);
/// Last day a scenario may report.
const LAST_DATE: Date = jiff::civil::date(2199, 12, 31);
/// Longest queue or team name, in characters: names are table cells, and a
/// cell 65,536 characters wide is more than Rust's formatter pads.
const MAX_NAME_CHARS: usize = 200;

pub(super) struct Compiler<'a> {
    pub(super) p: Problems<'a>,
    pub(super) warnings: Vec<Diagnostic>,
}

/// The reporting grid: where intervals start and how days split them.
pub(super) struct Grid {
    pub(super) timezone: TimeZone,
    pub(super) interval_s: i64,
    pub(super) report_start: Timestamp,
    pub(super) report_end: Timestamp,
    pub(super) sim_start: Timestamp,
    pub(super) days: Vec<Day>,
}

impl Grid {
    pub(super) fn seconds(&self, ts: Timestamp) -> f64 {
        (ts.as_second() - self.report_start.as_second()) as f64
    }

    pub(super) fn horizon(&self) -> Horizon {
        Horizon { report_start: self.report_start, sim_start: self.sim_start, report_end: self.report_end }
    }
}

impl Compiler<'_> {
    pub(super) fn compile(&mut self, s: &Scenario) -> Option<Model> {
        let h = &s.scenario;
        let interval_minutes = self.interval_minutes(&h.interval_minutes);
        let timezone = self.zone(&h.timezone, "scenario.timezone");
        let start = self.date(&h.start, "scenario.start");
        let days =
            self.int_in(&h.days, "scenario.days", 1, MAX_DAYS, &format!("a whole number of days from 1 to {MAX_DAYS}"));
        let days = match (start, days) {
            (Some(start), Some(days)) => self.days_in_calendar(start, days, &h.days),
            _ => days,
        };
        let warmup_h = match &h.warmup_hours {
            Some(w) => self.number_in(w, "scenario.warmup_hours", 0.0, 168.0, "hours from 0 to 168"),
            None => Some(0.0),
        };
        let replications = match &h.replications {
            Some(r) => self.int_in(
                r,
                "scenario.replications",
                1,
                MAX_REPLICATIONS as i64,
                &format!("a whole number from 1 to {MAX_REPLICATIONS}"),
            ),
            None => Some(DEFAULT_REPLICATIONS as i64),
        };
        let seed = match &h.seed {
            Some(v) => self.int_in(v, "scenario.seed", 0, i64::MAX, "a whole number ≥ 0").map(|v| v as u64),
            None => Some(DEFAULT_SEED),
        };
        let service_level_rule = match &h.service_level {
            None => Some(ServiceLevelRule::Offered),
            Some(v) => match v.get_ref().as_str() {
                "offered" => Some(ServiceLevelRule::Offered),
                "offered_less_short_abandons" => Some(ServiceLevelRule::OfferedLessShortAbandons),
                "answered" => Some(ServiceLevelRule::Answered),
                other => {
                    self.p.at(
                        v.span(),
                        "scenario.service_level",
                        format!("{other:?} is not a service-level rule; allowed: \"offered\", \"offered_less_short_abandons\", \"answered\""),
                    );
                    None
                }
            },
        };
        let currency = match &h.currency {
            None => Some(None),
            Some(v) if crate::model::price::ISO_4217.contains(&v.get_ref().as_str()) => Some(Some(v.get_ref().clone())),
            Some(v) => {
                self.p.at(
                    v.span(),
                    "scenario.currency",
                    format!(
                        "{:?} is not an ISO 4217 currency code; allowed: three upper-case letters of a currency in use, such as \"EUR\", \"USD\", \"GBP\", \"PHP\", \"MXN\"",
                        v.get_ref()
                    ),
                );
                None
            }
        };
        let staffing = self.staffing(s);

        let grid = match (&timezone, start, days, interval_minutes, warmup_h) {
            (Some(tz), Some(start), Some(days), Some(minutes), Some(warmup_h)) => {
                self.grid(tz, start, days, minutes, warmup_h, h)
            }
            _ => None,
        };

        // Everything is validated; it is laid on the calendar only when its
        // size is within bounds.
        let layout = grid.as_ref().filter(|g| self.layout_fits(s, g, &h.days));
        let queue_names = self.queue_names(s);
        let queues: Vec<Option<Queue>> =
            s.queue.iter().enumerate().map(|(i, q)| self.queue(i, q, layout, interval_minutes)).collect();
        let mut teams = Vec::new();
        let mut shifts = Vec::new();
        let mut seen_teams = BTreeMap::new();
        for (i, t) in s.team.iter().enumerate() {
            self.name_length(&t.name, &format!("team[{i}].name"));
            if let Some(first) = seen_teams.insert(t.name.get_ref().clone(), i) {
                self.p.at(
                    t.name.span(),
                    format!("team[{i}].name"),
                    format!("{:?} is already the name of team[{first}]; team names must be unique", t.name.get_ref()),
                );
            }
            let tz = self.team_zone(i, t, grid.as_ref());
            let rules = self.shift_rules(i, t);
            let share = self.part_time_share(i, t);
            let team = self.team(i, t, &queue_names, &queues).map(|team| Team {
                timezone: tz.clone().unwrap_or(TimeZone::UTC),
                rules,
                max_part_time_share: share,
                ..team
            });
            teams.push(team);
            shifts.extend(self.shifts(i, t, layout, tz.as_ref()));
        }
        let events = self.events(s, &queue_names, &seen_teams);
        if s.queue.is_empty() {
            self.p.nowhere("queue", "the scenario has no [[queue]]; at least one is needed");
        }
        if s.team.is_empty() {
            self.p.nowhere("team", "the scenario has no [[team]]; at least one is needed");
        }
        if !self.p.items.is_empty() {
            return None;
        }

        let Some(grid) = grid else {
            // Only if the calendar itself failed; the date checks prevent it.
            self.p.at(h.start.span(), "scenario.start", "does not fit the calendar with these days and warm-up");
            return None;
        };
        let mut teams: Vec<Team> = teams.into_iter().collect::<Option<_>>()?;
        let mut queues: Vec<Queue> = queues.into_iter().collect::<Option<_>>()?;
        for (qi, q) in queues.iter_mut().enumerate() {
            q.served_by = (0..teams.len()).filter(|&t| teams[t].serves(qi)).collect();
            if q.served_by.is_empty() {
                self.warnings.push(Diagnostic {
                    line_col: Some(line_col(self.p.source(), s.queue[qi].name.span().start)),
                    field: format!("queue[{qi}]"),
                    message: format!(
                        "no team has the skill {:?}: every contact will abandon or wait unanswered",
                        q.name
                    ),
                });
            }
        }
        shifts.sort_by(|a: &ShiftInstance, b| a.login_s.total_cmp(&b.login_s).then(a.team.cmp(&b.team)));
        let parts = Parts { queues: &mut queues, teams: &mut teams, shifts: &mut shifts };
        let events = self.lay_events(s, events?, &grid, parts)?;
        let n_intervals = grid.days.iter().map(|d| d.intervals).sum();
        Some(Model {
            name: h.name.clone(),
            seed: seed?,
            replications: replications? as u32,
            timezone: grid.timezone.clone(),
            timezone_name: h.timezone.get_ref().clone(),
            interval_s: grid.interval_s as f64,
            report_start: grid.report_start,
            warmup_s: grid.seconds(grid.report_start) - grid.seconds(grid.sim_start),
            n_intervals,
            interval_day: grid.days.iter().enumerate().flat_map(|(d, day)| vec![d as u32; day.intervals]).collect(),
            days: grid.days,
            queues,
            teams,
            shifts,
            service_level_rule: service_level_rule?,
            currency: currency?,
            staffing: staffing?,
            events,
            correlation: 0.0,
            agents: Vec::new(),
        })
    }

    /// Whether the arrival rates (per queue and interval) and the shift
    /// instances (per shift pattern and day) fit [`MAX_QUEUE_DAYS`] and
    /// [`MAX_SHIFT_INSTANCES`]; says which does not.
    fn layout_fits(&mut self, s: &Scenario, grid: &Grid, days: &Spanned<i64>) -> bool {
        let n_days = grid.days.len();
        let queue_days = s.queue.len() * n_days;
        let mut fits = true;
        if queue_days > MAX_QUEUE_DAYS {
            let message = format!(
                "{n_days} days × {} queues are {queue_days} queue-days; allowed: at most {MAX_QUEUE_DAYS} (fewer days or queues)",
                s.queue.len()
            );
            self.p.at(days.span(), "scenario.days", message);
            fits = false;
        }
        // Every day simulated, with the warm-up and the day before it.
        let span_days = (grid.seconds(grid.report_end) - grid.seconds(grid.sim_start)) / 86_400.0;
        let patterns: usize = s.team.iter().map(|t| t.shift.len()).sum();
        let instances = patterns.saturating_mul(span_days.ceil() as usize + 2);
        if instances > MAX_SHIFT_INSTANCES {
            let message = format!(
                "{n_days} days × {patterns} [[team.shift]] patterns lay out about {instances} shift instances; allowed: at most {MAX_SHIFT_INSTANCES} (fewer days or shift patterns)"
            );
            self.p.at(days.span(), "scenario.days", message);
            fits = false;
        }
        fits
    }

    fn interval_minutes(&mut self, v: &Spanned<i64>) -> Option<i64> {
        match *v.get_ref() {
            m @ (15 | 30 | 60) => Some(m),
            other => {
                self.p.at(
                    v.span(),
                    "scenario.interval_minutes",
                    format!("{other} is not an interval; allowed: 15, 30, 60"),
                );
                None
            }
        }
    }

    pub(super) fn zone(&mut self, v: &Spanned<String>, field: &str) -> Option<TimeZone> {
        match TimeZone::get(v.get_ref()) {
            Ok(tz) => Some(tz),
            Err(_) => {
                self.p.at(
                    v.span(),
                    field,
                    format!(
                        "{:?} is not a known time zone; use an IANA name such as \"Europe/Paris\" or \"UTC\"",
                        v.get_ref()
                    ),
                );
                None
            }
        }
    }

    /// A civil date, YYYY-MM-DD, from [`FIRST_DATE`] to [`LAST_DATE`].
    pub(super) fn date(&mut self, v: &Spanned<String>, field: &str) -> Option<Date> {
        let text = v.get_ref();
        let has_time = matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' '));
        let problem = match text.parse::<Date>() {
            Ok(_) if has_time => format!("{text:?} has a time of day; only a date is allowed (YYYY-MM-DD)"),
            Ok(d) if d.to_string() == *text && (FIRST_DATE..=LAST_DATE).contains(&d) => return Some(d),
            Ok(d) if d.to_string() == *text => {
                format!("{text:?} is out of range; allowed: a date from {FIRST_DATE} to {LAST_DATE} (YYYY-MM-DD)")
            }
            _ => format!("{text:?} is not a date; use YYYY-MM-DD"),
        };
        self.p.at(v.span(), field, problem);
        None
    }

    /// `days` when the last of them is no later than [`LAST_DATE`].
    fn days_in_calendar(&mut self, start: Date, days: i64, v: &Spanned<i64>) -> Option<i64> {
        let room = start.until(LAST_DATE).map_or(0, |span| span.get_days() as i64 + 1);
        if days <= room {
            return Some(days);
        }
        let message = format!("{days} days from {start} run past {LAST_DATE}; allowed: at most {room} from this start");
        self.p.at(v.span(), "scenario.days", message);
        None
    }

    /// Reports a name longer than [`MAX_NAME_CHARS`], quoting its start.
    pub(super) fn name_length(&mut self, v: &Spanned<String>, field: &str) {
        let chars = v.get_ref().chars().count();
        if chars > MAX_NAME_CHARS {
            let start: String = v.get_ref().chars().take(20).chain(['…']).collect();
            let message =
                format!("{start:?} ({chars} characters) is too long; allowed: at most {MAX_NAME_CHARS} characters");
            self.p.at(v.span(), field, message);
        }
    }

    pub(super) fn int_in(&mut self, v: &Spanned<i64>, field: &str, lo: i64, hi: i64, allowed: &str) -> Option<i64> {
        self.p.int_in(v, field, lo, hi, allowed)
    }

    pub(super) fn number_in(&mut self, v: &Spanned<f64>, field: &str, lo: f64, hi: f64, allowed: &str) -> Option<f64> {
        self.p.number_where(v, field, |x| x >= lo && x <= hi, allowed)
    }

    /// A cost of one agent hour, from 0 to [`MAX_COST_PER_HOUR`].
    pub(super) fn cost_per_hour(&mut self, v: &Spanned<f64>, field: &str) -> Option<f64> {
        self.number_in(v, field, 0.0, MAX_COST_PER_HOUR, &format!("an amount per hour from 0 to {MAX_COST_PER_HOUR:e}"))
    }

    /// A shift's paid length, hours: more than 0, at most 24.
    pub(super) fn shift_hours(&mut self, v: &Spanned<f64>, field: &str) -> Option<f64> {
        self.p.number_where(v, field, |x| x > 0.0 && x * 3600.0 <= MAX_SHIFT_S, "more than 0, at most 24 hours")
    }

    /// A price of one unit (an hour, a contact, an FTE-month), from 0 to
    /// [`MAX_COST_PER_HOUR`]; a negative or NaN price is refused.
    pub(super) fn cost_per_unit(&mut self, v: &Spanned<f64>, field: &str) -> Option<f64> {
        let unit = field.rsplit("cost_per_").next().unwrap_or("unit").replace('_', " ").replace("fte", "FTE");
        let unit = unit.replace("FTE month", "FTE-month");
        self.number_in(
            v,
            field,
            0.0,
            MAX_COST_PER_HOUR,
            &format!("an amount per {unit} from 0 to {MAX_COST_PER_HOUR:e}"),
        )
    }

    pub(super) fn positive(&mut self, v: &Spanned<f64>, field: &str, unit: &str) -> Option<f64> {
        let x = *v.get_ref();
        if x.is_finite() && x > 0.0 {
            Some(x)
        } else {
            self.p.at(v.span(), field, format!("{} is not allowed; a finite number > 0 ({unit})", shown(x)));
            None
        }
    }

    fn grid(&mut self, tz: &TimeZone, start: Date, days: i64, minutes: i64, warmup_h: f64, h: &Header) -> Option<Grid> {
        let interval_s = minutes * 60;
        let midnight = |d: Date| d.to_zoned(tz.clone()).ok().map(|z| z.timestamp());
        let report_start = midnight(start)?;
        let mut day_list = Vec::new();
        let mut first = 0;
        for n in 0..days {
            let date = start.checked_add(n.days()).ok()?;
            let next = date.checked_add(1.days()).ok()?;
            let length = midnight(next)?.as_second() - midnight(date)?.as_second();
            if length == 0 {
                // The zone skipped the whole day (Pacific/Apia, 2011-12-30):
                // it has no interval to report.
                self.warnings.push(Diagnostic {
                    line_col: Some(line_col(self.p.source(), h.start.span().start)),
                    field: "scenario.days".into(),
                    message: format!(
                        "{date} does not exist in {} (the zone skipped it): it has no intervals and is left out of every report",
                        h.timezone.get_ref()
                    ),
                });
                continue;
            }
            if length % interval_s != 0 {
                self.p.at(
                    h.interval_minutes.span(),
                    "scenario.interval_minutes",
                    format!(
                        "{minutes} minutes does not divide {date}, which lasts {:.2} h in the reporting zone; use 15",
                        length as f64 / 3600.0
                    ),
                );
                return None;
            }
            let intervals = (length / interval_s) as usize;
            day_list.push(Day { date, first_interval: first, intervals });
            first += intervals;
        }
        if day_list.is_empty() {
            let message = format!(
                "{start} does not exist in {} (the zone skipped it) and the horizon has no other day; allowed: a horizon with at least one day that exists in the zone",
                h.timezone.get_ref()
            );
            self.p.at(h.start.span(), "scenario.start", message);
            return None;
        }
        let end_date = start.checked_add(days.days()).ok()?;
        let report_end = midnight(end_date)?;
        let sim_start = Timestamp::from_second(report_start.as_second() - (warmup_h * 3600.0).round() as i64).ok()?;
        Some(Grid { timezone: tz.clone(), interval_s, report_start, report_end, sim_start, days: day_list })
    }

    fn staffing(&mut self, s: &Scenario) -> Option<StaffingPolicy> {
        let mut policy = StaffingPolicy::default();
        let Some(spec) = &s.staffing else { return Some(policy) };
        let mut ok = true;
        if let Some(v) = &spec.shrinkage {
            match self.p.number_where(v, "staffing.shrinkage", |x| (0.0..1.0).contains(&x), "a share from 0 to below 1")
            {
                Some(x) => policy.shrinkage = x,
                None => ok = false,
            }
        }
        if let Some(v) = &spec.paid_hours_per_week {
            match self.number_in(v, "staffing.paid_hours_per_week", 1.0, 168.0, "hours from 1 to 168") {
                Some(x) => policy.paid_hours_per_week = x,
                None => ok = false,
            }
        }
        if let Some(v) = &spec.cost_per_hour {
            match self.cost_per_hour(v, "staffing.cost_per_hour") {
                Some(x) => policy.cost_per_hour = Some(x),
                None => ok = false,
            }
        }
        ok.then_some(policy)
    }

    fn queue_names(&mut self, s: &Scenario) -> BTreeMap<String, usize> {
        let mut names = BTreeMap::new();
        for (i, q) in s.queue.iter().enumerate() {
            let name = q.name.get_ref();
            self.name_length(&q.name, &format!("queue[{i}].name"));
            if name.trim().is_empty() {
                self.p.at(q.name.span(), format!("queue[{i}].name"), "the name is empty; give the queue a name");
            } else if let Some(first) = names.insert(name.clone(), i) {
                self.p.at(
                    q.name.span(),
                    format!("queue[{i}].name"),
                    format!("{name:?} is already the name of queue[{first}]; queue names must be unique"),
                );
                names.insert(name.clone(), first);
            }
        }
        names
    }

    /// The zone of team `i`'s shifts: its own, else the reporting zone.
    fn team_zone(&mut self, i: usize, t: &TeamSpec, grid: Option<&Grid>) -> Option<TimeZone> {
        match &t.timezone {
            Some(z) => self.zone(z, &format!("team[{i}].timezone")),
            None => grid.map(|g| g.timezone.clone()),
        }
    }

    /// Concrete shift instances of team `i` that touch the simulated span.
    /// Validates them all; lays them on the calendar only when the grid and
    /// the team's zone are valid.
    fn shifts(&mut self, i: usize, t: &TeamSpec, grid: Option<&Grid>, tz: Option<&TimeZone>) -> Vec<ShiftInstance> {
        let team_agents = t.agents.as_ref().map(|a| *a.get_ref());
        let patterns: Vec<ShiftPattern> =
            t.shift.iter().enumerate().filter_map(|(k, s)| self.shift_pattern(i, k, s, team_agents)).collect();
        let (Some(grid), Some(tz)) = (grid, tz) else { return Vec::new() };
        let tz = tz.clone();
        if t.shift.is_empty() {
            let agents = team_agents.unwrap_or(0).clamp(0, MAX_TEAM_AGENTS) as u32;
            return vec![ShiftInstance {
                team: i,
                login_s: grid.seconds(grid.sim_start),
                logout_s: f64::INFINITY,
                agents,
                breaks: Vec::new(),
            }];
        }
        let horizon = grid.horizon();
        patterns.iter().flat_map(|p| p.instances(i, &tz, &horizon)).collect()
    }

    fn shift_pattern(&mut self, i: usize, k: usize, s: &ShiftSpec, team_agents: Option<i64>) -> Option<ShiftPattern> {
        let f = |name: &str| format!("team[{i}].shift[{k}].{name}");
        let start = parse_time_of_day(s.start.get_ref());
        if start.is_none() {
            self.p.at(
                s.start.span(),
                f("start"),
                format!("{:?} is not a time of day; use HH:MM, 00:00-23:59", s.start.get_ref()),
            );
        }
        let hours = self.shift_hours(&s.hours, &f("hours"));
        let hours_ok = hours.is_some();
        let hours = hours.unwrap_or(0.0);
        let mut days = [true; 7];
        let mut days_ok = true;
        if let Some(list) = &s.days {
            days = [false; 7];
            for (n, d) in list.get_ref().iter().enumerate() {
                match parse_weekday(d.get_ref()) {
                    Some(w) => days[w] = true,
                    None => {
                        self.p.at(
                            d.span(),
                            format!("team[{i}].shift[{k}].days[{n}]"),
                            format!("{:?} is not a day; allowed: Mon, Tue, Wed, Thu, Fri, Sat, Sun", d.get_ref()),
                        );
                        days_ok = false;
                    }
                }
            }
        }
        let agents = match (&s.agents, team_agents) {
            (Some(a), _) => {
                let allowed = format!("0 to {MAX_SHIFT_AGENTS}");
                self.p.int_in(a, &f("agents"), 0, MAX_SHIFT_AGENTS, &allowed).map(|x| x as u32)
            }
            // The team's own `agents` is checked with the team; here only
            // its use as a shift size.
            (None, Some(x)) if x > MAX_SHIFT_AGENTS => {
                self.p.at(
                    s.start.span(),
                    f("agents"),
                    format!("defaults to the team's {x} agents, more than a shift may have; allowed: 0 to {MAX_SHIFT_AGENTS}"),
                );
                None
            }
            (None, Some(x)) => Some(x.max(0) as u32),
            (None, None) => {
                self.p.at(
                    s.start.span(),
                    f("agents"),
                    "is missing and the team gives no agents; say how many agents work this shift",
                );
                None
            }
        };
        if let Some(extra) = s.breaks.get(MAX_BREAKS_PER_SHIFT) {
            let message = format!("has {} breaks; allowed: at most {MAX_BREAKS_PER_SHIFT} per shift", s.breaks.len());
            self.p.at(extra.span(), f("breaks"), message);
            return None;
        }
        let mut breaks = Vec::new();
        let mut breaks_ok = true;
        for (n, b) in s.breaks.iter().enumerate() {
            let spec = *b.get_ref();
            let field = format!("team[{i}].shift[{k}].breaks[{n}]");
            let window = spec.window_minutes.unwrap_or(0.0);
            let valid = spec.after_minutes.is_finite()
                && spec.after_minutes >= 0.0
                && spec.minutes.is_finite()
                && spec.minutes > 0.0
                && window.is_finite()
                && window >= 0.0;
            if !valid {
                self.p.at(
                    b.span(),
                    &field,
                    format!(
                        "after_minutes {}, minutes {}, window_minutes {} are not allowed; after_minutes ≥ 0, minutes > 0, window_minutes ≥ 0",
                        shown(spec.after_minutes), shown(spec.minutes), shown(window)
                    ),
                );
                breaks_ok = false;
            } else if hours_ok && spec.after_minutes + window + spec.minutes > hours * 60.0 {
                self.p.at(
                    b.span(),
                    &field,
                    format!(
                        "ends {} minutes into a shift of {} minutes; a break (and its window) must lie inside its shift",
                        spec.after_minutes + window + spec.minutes,
                        hours * 60.0
                    ),
                );
                breaks_ok = false;
            } else {
                breaks.push(Break {
                    start_s: spec.after_minutes * 60.0,
                    length_s: spec.minutes * 60.0,
                    window_s: window * 60.0,
                });
            }
        }
        breaks.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
        if breaks.windows(2).any(|w| w[0].start_s + w[0].window_s + w[0].length_s > w[1].start_s) {
            self.p.at(
                s.start.span(),
                f("breaks"),
                "breaks overlap; each break (and its window) must end before the next starts",
            );
            breaks_ok = false;
        }
        if !(hours_ok && days_ok && breaks_ok) {
            return None;
        }
        Some(ShiftPattern { start: start?, length_s: hours * 3600.0, days, agents: agents?, breaks })
    }
}

/// Lays a rate shape (per hour, by local date and interval of the local
/// day) on the simulated span. Intervals are stepped in real time from each
/// local midnight, so a 23-hour day skips the hour that did not happen and a
/// 25-hour day repeats the hour that happened twice.
pub(super) fn piecewise_rates(grid: &Grid, tz: &TimeZone, minutes: i64, shape: dates::DatedShape) -> Vec<RateSegment> {
    let step = minutes * 60;
    let sim_start = grid.seconds(grid.sim_start);
    let end = grid.seconds(grid.report_end);
    let mut date = grid.sim_start.to_zoned(tz.clone()).date();
    let mut out: Vec<RateSegment> = Vec::new();
    loop {
        let day_start = date.to_zoned(tz.clone()).expect("date in range").timestamp();
        if grid.seconds(day_start) >= end {
            break;
        }
        let next = date.checked_add(1.days()).expect("date in range");
        let day_end = next.to_zoned(tz.clone()).expect("date in range").timestamp();
        let mut t = day_start.as_second();
        while t < day_end.as_second() {
            let local = Timestamp::from_second(t).expect("in range").to_zoned(tz.clone());
            let k = ((local.hour() as i64 * 60 + local.minute() as i64) / minutes) as usize;
            let seg_end = (t + step).min(day_end.as_second());
            let (a, b) = (
                grid.seconds(Timestamp::from_second(t).expect("in range")),
                (seg_end - grid.report_start.as_second()) as f64,
            );
            let (a, b) = (a.max(sim_start), b.min(end));
            if a < b {
                let rate = shape(date, k) / 3600.0;
                match out.last_mut() {
                    Some(last) if last.rate_per_s == rate && last.end_s == a => last.end_s = b,
                    _ => out.push(RateSegment { start_s: a, end_s: b, rate_per_s: rate }),
                }
            }
            t = seg_end;
        }
        date = next;
    }
    out
}

pub(super) fn parse_time_of_day(s: &str) -> Option<Time> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    Time::new(h, m, 0, 0).ok()
}

pub(super) fn parse_weekday(s: &str) -> Option<usize> {
    let days = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];
    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let lower = s.to_ascii_lowercase();
    names.iter().position(|n| *n == lower).map(|i| days[i].to_monday_zero_offset() as usize)
}
