//! `[[event]]`: dated changes to the operation, validated and compiled
//! into what the engine already reads. A `volume` factor or a `closed`
//! queue multiplies the queue's rate segments inside the window (split at
//! its bounds); an `aht` factor becomes a window on the queue that the
//! engine looks up by arrival time; a `holiday` removes the team's shifts
//! that start in it (a team always on duty logs out for it); an `outage`
//! becomes a window on the team, in which the engine routes nothing to it
//! (with `queues` or `channels`, a window on the team and those queues, in
//! which the engine routes it nothing of theirs).

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use toml::Spanned;

use super::{Compiler, Grid};
use crate::channel::Channel;
use crate::diagnostic::{line_col, shown, Diagnostic};
use crate::dist::MAX_MEAN_S;
use crate::input::written::{EventSpec, Scenario};
use crate::model::{EventNote, FactorWindow, Queue, QueueOutage, RateSegment, ShiftInstance, Team, Window};
use crate::model::{MAX_AHT_FACTOR, MAX_RATE_PER_HOUR, MAX_VOLUME_FACTOR};

/// The effects an event may have, as its keys.
const EFFECTS: &str = "volume, aht, outage, closed, holiday";

/// What one event does.
#[derive(Debug, Clone, PartialEq)]
enum Effect {
    Volume(f64, Vec<usize>),
    Aht(f64, Vec<usize>),
    Closed(Vec<usize>),
    /// Teams, and what it stops of theirs.
    Outage(Vec<usize>, Stops),
    Holiday(Vec<usize>),
}

/// What of a team an outage stops.
#[derive(Debug, Clone, PartialEq)]
enum Stops {
    /// Every contact.
    All,
    /// Contacts of these queues.
    Queues(Vec<usize>),
    /// Contacts of the queues of these channels.
    Channels(Vec<Channel>),
}

/// A validated event: its effect and its bounds as civil times, laid on
/// the calendar once the grid is known.
pub(super) struct Checked {
    index: usize,
    name: String,
    zone: Option<TimeZone>,
    start: DateTime,
    end: DateTime,
    effect: Effect,
}

impl Compiler<'_> {
    /// Every `[[event]]`, validated; `None` when any has a problem.
    pub(super) fn events(
        &mut self,
        s: &Scenario,
        queues: &BTreeMap<String, usize>,
        teams: &BTreeMap<String, usize>,
    ) -> Option<Vec<Checked>> {
        let checked: Vec<Option<Checked>> =
            s.event.iter().enumerate().map(|(i, e)| self.event(i, e, queues, teams)).collect();
        checked.into_iter().collect()
    }

    fn event(
        &mut self,
        i: usize,
        e: &EventSpec,
        queues: &BTreeMap<String, usize>,
        teams: &BTreeMap<String, usize>,
    ) -> Option<Checked> {
        let f = |key: &str| format!("event[{i}].{key}");
        self.name_length(&e.name, &f("name"));
        if e.name.get_ref().trim().is_empty() {
            self.p.at(e.name.span(), f("name"), "the name is empty; give the event a name");
        }
        let zone = match &e.timezone {
            Some(z) => Some(self.zone(z, &f("timezone"))?),
            None => None,
        };
        let start = self.civil_time(&e.start, &f("start"));
        let end = self.civil_time(&e.end, &f("end"));
        let effect = self.effect(i, e, queues, teams);
        let (start, end) = (start?, end?);
        if end <= start {
            self.p.at(
                e.end.span(),
                f("end"),
                format!(
                    "{:?} is not after start {:?}; an event ends after it starts (end exclusive)",
                    e.end.get_ref(),
                    e.start.get_ref()
                ),
            );
            return None;
        }
        Some(Checked { index: i, name: e.name.get_ref().clone(), zone, start, end, effect: effect? })
    }

    /// A date (its midnight) or a date and time, `YYYY-MM-DD` or
    /// `YYYY-MM-DDTHH:MM[:SS]`.
    fn civil_time(&mut self, v: &Spanned<String>, field: &str) -> Option<DateTime> {
        let text = v.get_ref();
        if text.len() == 10 {
            return self.date(v, field).map(|d: Date| d.to_datetime(jiff::civil::Time::midnight()));
        }
        match text.parse::<DateTime>() {
            Ok(dt) if (1900..=2199).contains(&dt.year()) => Some(dt),
            _ => {
                let message = format!(
                    "{text:?} is not a date or a date and time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM, from 1900 to 2199"
                );
                self.p.at(v.span(), field, message);
                None
            }
        }
    }

    /// The event's one effect, with the queues or teams it names.
    fn effect(
        &mut self,
        i: usize,
        e: &EventSpec,
        queues: &BTreeMap<String, usize>,
        teams: &BTreeMap<String, usize>,
    ) -> Option<Effect> {
        let f = |key: &str| format!("event[{i}].{key}");
        let given = [e.volume.is_some(), e.aht.is_some(), e.outage.is_some(), e.closed.is_some(), e.holiday.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            let message = format!("gives none or several effects; allowed: exactly one of {EFFECTS}");
            self.p.at(e.name.span(), format!("event[{i}]"), message);
            return None;
        }
        let factor_queues = e.volume.is_some() || e.aht.is_some() || e.outage.is_some();
        let listed = match (&e.queues, factor_queues) {
            (Some(list), true) => Some(self.names(list, &f("queues"), queues, "queue")?),
            (Some(list), false) => {
                let message = "applies to volume, aht and outage only; name the queues in closed, the teams in holiday";
                self.p.at(list.span(), f("queues"), message);
                return None;
            }
            (None, _) => None,
        };
        if let Some(list) = &e.channels {
            if e.outage.is_none() {
                self.p.at(
                    list.span(),
                    f("channels"),
                    "applies to outage only; name the queues of a volume or aht event in queues",
                );
                return None;
            }
            if e.queues.is_some() {
                self.p.at(list.span(), f("channels"), "give queues or channels, not both");
                return None;
            }
        }
        let all_queues = || listed.clone().unwrap_or_else(|| queues.values().copied().collect());
        if let Some(v) = &e.volume {
            let allowed = format!("a factor more than 0 and at most {MAX_VOLUME_FACTOR} (closed: no contacts)");
            return self.factor(v, &f("volume"), MAX_VOLUME_FACTOR, &allowed).map(|x| Effect::Volume(x, all_queues()));
        }
        if let Some(v) = &e.aht {
            let allowed = format!("a factor more than 0 and at most {MAX_AHT_FACTOR}");
            return self.factor(v, &f("aht"), MAX_AHT_FACTOR, &allowed).map(|x| Effect::Aht(x, all_queues()));
        }
        if let Some(list) = &e.closed {
            return self.names(list, &f("closed"), queues, "queue").map(Effect::Closed);
        }
        if let Some(list) = &e.outage {
            let stopped = match (&e.channels, listed) {
                (Some(channels), _) => Stops::Channels(self.channels(channels, &f("channels"))?),
                (None, Some(qs)) => Stops::Queues(qs),
                (None, None) => Stops::All,
            };
            return self.names(list, &f("outage"), teams, "team").map(|ts| Effect::Outage(ts, stopped));
        }
        let list = e.holiday.as_ref().expect("one effect is given");
        self.names(list, &f("holiday"), teams, "team").map(Effect::Holiday)
    }

    /// A non-empty list of channel names.
    fn channels(&mut self, list: &Spanned<Vec<Spanned<String>>>, field: &str) -> Option<Vec<Channel>> {
        if list.get_ref().is_empty() {
            self.p.at(list.span(), field, "is empty; name at least one channel");
            return None;
        }
        let (mut out, mut ok) = (Vec::new(), true);
        for (k, name) in list.get_ref().iter().enumerate() {
            match Channel::parse(name.get_ref()) {
                Some(c) if !out.contains(&c) => out.push(c),
                Some(_) => {}
                None => {
                    ok = false;
                    let allowed: Vec<&str> = Channel::ALL.iter().map(|c| c.name()).collect();
                    let message = format!("{:?} is not a channel; allowed: {}", name.get_ref(), allowed.join(", "));
                    self.p.at(name.span(), format!("{field}[{k}]"), message);
                }
            }
        }
        ok.then_some(out)
    }

    fn factor(&mut self, v: &Spanned<f64>, field: &str, most: f64, allowed: &str) -> Option<f64> {
        self.p.number_where(v, field, |x| x > 0.0 && x <= most, allowed)
    }

    /// A non-empty list of queue or team names, as indices; an unknown name
    /// is placed and the nearest known one suggested.
    fn names(
        &mut self,
        list: &Spanned<Vec<Spanned<String>>>,
        field: &str,
        known: &BTreeMap<String, usize>,
        what: &str,
    ) -> Option<Vec<usize>> {
        if list.get_ref().is_empty() {
            self.p.at(list.span(), field, format!("is empty; name at least one {what}"));
            return None;
        }
        let (mut out, mut ok) = (Vec::new(), true);
        for (k, name) in list.get_ref().iter().enumerate() {
            match known.get(name.get_ref()) {
                Some(&x) if !out.contains(&x) => out.push(x),
                Some(_) => {}
                None => {
                    ok = false;
                    let message = match crate::diagnostic::nearest(name.get_ref(), known.keys()) {
                        Some(near) => {
                            format!("{:?} is not a {what} of the scenario; nearest: {near:?}", name.get_ref())
                        }
                        None => format!("{:?} is not a {what} of the scenario", name.get_ref()),
                    };
                    self.p.at(name.span(), format!("{field}[{k}]"), message);
                }
            }
        }
        ok.then_some(out)
    }

    /// Lays the events on the compiled queues, teams and shifts; warns of an
    /// event outside the horizon. Returns what reports show.
    pub(super) fn lay_events(
        &mut self,
        s: &Scenario,
        checked: Vec<Checked>,
        grid: &Grid,
        parts: Parts<'_>,
    ) -> Option<Vec<EventNote>> {
        let Parts { queues, teams, shifts } = parts;
        let mut notes = Vec::new();
        let mut ok = true;
        for c in checked {
            let spec = &s.event[c.index];
            let window =
                |zone: &TimeZone| Window { start_s: instant(grid, zone, c.start), end_s: instant(grid, zone, c.end) };
            let reporting = c.zone.clone().unwrap_or_else(|| grid.timezone.clone());
            let mut note =
                EventNote { name: c.name.clone(), window: window(&reporting), queues: Vec::new(), teams: Vec::new() };
            let mut partial = false;
            match &c.effect {
                Effect::Volume(x, qs) => {
                    for &q in qs {
                        scale_rates(&mut queues[q].arrivals, note.window, *x);
                    }
                    ok &= self.rates_within(spec, c.index, qs, queues);
                    note.queues = qs.clone();
                }
                Effect::Closed(qs) => {
                    qs.iter().for_each(|&q| scale_rates(&mut queues[q].arrivals, note.window, 0.0));
                    note.queues = qs.clone();
                }
                Effect::Aht(x, qs) => {
                    for &q in qs {
                        queues[q].aht_windows.push(FactorWindow { window: note.window, factor: *x });
                        queues[q].aht_windows.sort_by(|a, b| a.window.start_s.total_cmp(&b.window.start_s));
                    }
                    ok &= self.aht_within(spec, c.index, *x, qs, queues);
                    note.queues = qs.clone();
                }
                Effect::Outage(ts, Stops::All) => {
                    ts.iter().for_each(|&t| teams[t].outages.push(note.window));
                    note.teams = ts.clone();
                }
                Effect::Outage(ts, stops) => {
                    let stopped: Vec<usize> = match stops {
                        Stops::Queues(qs) => qs.clone(),
                        Stops::Channels(cs) => (0..queues.len()).filter(|&q| cs.contains(&queues[q].channel)).collect(),
                        Stops::All => unreachable!("matched above"),
                    };
                    for &t in ts {
                        let mine: Vec<usize> = stopped.iter().copied().filter(|&q| teams[t].serves(q)).collect();
                        for &q in &mine {
                            if !note.queues.contains(&q) {
                                note.queues.push(q);
                            }
                        }
                        if !mine.is_empty() {
                            teams[t].queue_outages.push(QueueOutage { window: note.window, queues: mine });
                        }
                    }
                    note.queues.sort_unstable();
                    ok &= self.outage_stops_something(spec, c.index, &note);
                    // The note names the queues it stops, not every queue
                    // of its teams.
                    partial = true;
                    note.teams = ts.clone();
                }
                Effect::Holiday(ts) => {
                    let windows: Vec<Window> =
                        ts.iter().map(|&t| window(c.zone.as_ref().unwrap_or(&teams[t].timezone))).collect();
                    for (&t, &w) in ts.iter().zip(&windows) {
                        teams[t].holidays.push(w);
                        shifts.retain(|sh| sh.team != t || sh.logout_s.is_infinite() || !w.contains(sh.login_s));
                    }
                    note.teams = ts.clone();
                }
            }
            if !note.teams.is_empty() && !partial {
                note.queues = (0..queues.len()).filter(|&q| note.teams.iter().any(|&t| teams[t].serves(q))).collect();
            }
            self.warn_outside(spec, c.index, &note, grid);
            notes.push(note);
        }
        ok.then_some(notes)
    }

    /// Whether an outage limited to queues or channels stops a queue one
    /// of its teams serves; says so when it stops nothing.
    fn outage_stops_something(&mut self, spec: &EventSpec, i: usize, note: &EventNote) -> bool {
        if !note.queues.is_empty() {
            return true;
        }
        let (span, field) = match (&spec.channels, &spec.queues) {
            (Some(c), _) => (c.span(), "channels"),
            (None, Some(q)) => (q.span(), "queues"),
            (None, None) => return true,
        };
        let message = "stops nothing: none of the outage's teams serves these queues; name queues its teams serve";
        self.p.at(span, format!("event[{i}].{field}"), message);
        false
    }

    /// Whether every queue a volume event scales stays at most
    /// [`MAX_RATE_PER_HOUR`]; says which does not.
    fn rates_within(&mut self, spec: &EventSpec, i: usize, qs: &[usize], queues: &[Queue]) -> bool {
        let peak = |q: &Queue| q.arrivals.iter().map(|s| s.rate_per_s * 3600.0).fold(0.0, f64::max);
        let Some(q) = qs.iter().map(|&q| &queues[q]).find(|q| peak(q) > MAX_RATE_PER_HOUR) else { return true };
        let v = spec.volume.as_ref().expect("a volume event");
        let message = format!(
            "makes queue {:?} peak at {} contacts per hour; allowed: at most {MAX_RATE_PER_HOUR:e} contacts per hour per queue",
            q.name,
            shown(peak(q).round())
        );
        self.p.at(v.span(), format!("event[{i}].volume"), message);
        false
    }

    /// Whether every mean handle time an aht event scales stays at most
    /// [`MAX_MEAN_S`].
    fn aht_within(&mut self, spec: &EventSpec, i: usize, x: f64, qs: &[usize], queues: &[Queue]) -> bool {
        let Some(q) = qs.iter().map(|&q| &queues[q]).find(|q| q.handle_time.mean_s() * x > MAX_MEAN_S) else {
            return true;
        };
        let v = spec.aht.as_ref().expect("an aht event");
        let message = format!(
            "makes queue {:?}'s mean handle time {} seconds; allowed: at most {MAX_MEAN_S:e} seconds",
            q.name,
            shown(q.handle_time.mean_s() * x)
        );
        self.p.at(v.span(), format!("event[{i}].aht"), message);
        false
    }

    /// A warning for an event that lies wholly outside the reported span.
    fn warn_outside(&mut self, spec: &EventSpec, i: usize, note: &EventNote, grid: &Grid) {
        let end = grid.seconds(grid.report_end);
        if note.window.end_s > 0.0 && note.window.start_s < end {
            return;
        }
        let first = grid.report_start.to_zoned(grid.timezone.clone()).date();
        let last = grid.report_end.to_zoned(grid.timezone.clone()).date();
        self.warnings.push(Diagnostic {
            line_col: Some(line_col(self.p.source(), spec.start.span().start)),
            field: format!("event[{i}]"),
            message: format!(
                "{:?} ({} to {}) lies outside the horizon ({first} to {last}): it changes nothing reported",
                note.name,
                spec.start.get_ref(),
                spec.end.get_ref()
            ),
        });
    }
}

/// The compiled parts events change.
pub(super) struct Parts<'a> {
    pub(super) queues: &'a mut [Queue],
    pub(super) teams: &'a mut [Team],
    pub(super) shifts: &'a mut Vec<ShiftInstance>,
}

/// A civil time in `zone` as seconds from the grid's first instant (a time
/// in a DST gap moves forward by the gap; one in a fold is the earlier).
fn instant(grid: &Grid, zone: &TimeZone, at: DateTime) -> f64 {
    let ts = at.to_zoned(zone.clone()).map_or(grid.report_start, |z| z.timestamp());
    grid.seconds(ts)
}

/// Multiplies the rate of `segments` inside `w` by `factor`, splitting the
/// segments that cross its bounds.
pub(super) fn scale_rates(segments: &mut Vec<RateSegment>, w: Window, factor: f64) {
    let mut out = Vec::with_capacity(segments.len() + 2);
    for seg in segments.drain(..) {
        if seg.end_s <= w.start_s || seg.start_s >= w.end_s {
            out.push(seg);
            continue;
        }
        if seg.start_s < w.start_s {
            out.push(RateSegment { end_s: w.start_s, ..seg });
        }
        let (start_s, end_s) = (seg.start_s.max(w.start_s), seg.end_s.min(w.end_s));
        out.push(RateSegment { start_s, end_s, rate_per_s: seg.rate_per_s * factor });
        if seg.end_s > w.end_s {
            out.push(RateSegment { start_s: w.end_s, ..seg });
        }
    }
    *segments = out;
}
