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
use crate::model::{MAX_AHT_FACTOR, MAX_EVENTS, MAX_RATE_PER_HOUR, MAX_VOLUME_FACTOR};

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
        if let Some(e) = s.event.get(MAX_EVENTS) {
            let message = format!(
                "the scenario has {} events; allowed: at most {MAX_EVENTS} (each queue's and team's events in force at once multiply the work of laying them)",
                s.event.len()
            );
            self.p.at(e.name.span(), format!("event[{MAX_EVENTS}]"), message);
            return None;
        }
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
    ///
    /// Every event is laid in one pass per queue and team, not one pass
    /// per event: 5,000 overlapping events took 39 s and 20,000 over a
    /// minute when each split and rescanned every rate segment, sorted the
    /// handle-time windows again and filtered every shift. The work is now
    /// the segments, shifts and events, times the events in force at once
    /// (their factors multiply), which [`MAX_EVENTS`] bounds.
    pub(super) fn lay_events(
        &mut self,
        s: &Scenario,
        checked: Vec<Checked>,
        grid: &Grid,
        parts: Parts<'_>,
    ) -> Option<Vec<EventNote>> {
        let Parts { queues, teams, shifts } = parts;
        let mut notes = Vec::new();
        let mut rates: Vec<Vec<Factor>> = vec![Vec::new(); queues.len()];
        let mut ahts: Vec<Vec<Factor>> = vec![Vec::new(); queues.len()];
        let mut holidays: Vec<Vec<Window>> = vec![Vec::new(); teams.len()];
        let mut ok = true;
        for c in checked {
            let spec = &s.event[c.index];
            let window =
                |zone: &TimeZone| Window { start_s: instant(grid, zone, c.start), end_s: instant(grid, zone, c.end) };
            let reporting = c.zone.clone().unwrap_or_else(|| grid.timezone.clone());
            let mut note =
                EventNote { name: c.name.clone(), window: window(&reporting), queues: Vec::new(), teams: Vec::new() };
            let mut partial = false;
            let factor = |factor: f64| Factor { window: note.window, factor, event: c.index };
            match &c.effect {
                Effect::Volume(x, qs) => {
                    qs.iter().for_each(|&q| rates[q].push(factor(*x)));
                    note.queues = qs.clone();
                }
                Effect::Closed(qs) => {
                    qs.iter().for_each(|&q| rates[q].push(factor(0.0)));
                    note.queues = qs.clone();
                }
                Effect::Aht(x, qs) => {
                    qs.iter().for_each(|&q| ahts[q].push(factor(*x)));
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
                    for &t in ts {
                        holidays[t].push(window(c.zone.as_ref().unwrap_or(&teams[t].timezone)));
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
        let mut blamed: Vec<usize> = Vec::new();
        for (q, factors) in rates.iter().enumerate() {
            if factors.is_empty() {
                continue;
            }
            let (segments, last) = scale_rates(&queues[q].arrivals, factors);
            queues[q].arrivals = segments;
            ok &= self.rates_within(s, &queues[q], &last, &mut blamed);
        }
        for (q, factors) in ahts.iter().enumerate() {
            if factors.is_empty() {
                continue;
            }
            let (windows, last) = factor_pieces(factors);
            queues[q].aht_windows = windows;
            ok &= self.aht_within(s, &queues[q], &last, &mut blamed);
        }
        for (t, windows) in holidays.into_iter().enumerate() {
            teams[t].holidays = union(windows);
        }
        if teams.iter().any(|t| !t.holidays.is_empty()) {
            let on_holiday = |sh: &ShiftInstance| {
                let h = &teams[sh.team].holidays;
                let i = h.partition_point(|w| w.start_s <= sh.login_s);
                i > 0 && h[i - 1].contains(sh.login_s)
            };
            shifts.retain(|sh| sh.logout_s.is_infinite() || !on_holiday(sh));
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

    /// Whether `queue`'s rates, events laid, stay at most
    /// [`MAX_RATE_PER_HOUR`]; else says so at the last volume event (in
    /// scenario order) in force at its peak, once per event. `last` holds
    /// that event per segment.
    fn rates_within(&mut self, s: &Scenario, queue: &Queue, last: &[Option<usize>], blamed: &mut Vec<usize>) -> bool {
        let rate = |k: usize| queue.arrivals[k].rate_per_s * 3600.0;
        let Some(peak) = (0..queue.arrivals.len()).max_by(|&a, &b| rate(a).total_cmp(&rate(b)).then(b.cmp(&a))) else {
            return true;
        };
        if rate(peak) <= MAX_RATE_PER_HOUR {
            return true;
        }
        // Without a volume event in force the peak is the scenario's own,
        // which its rates' checks bound.
        let Some(i) = last[peak] else { return true };
        if !blamed.contains(&i) {
            blamed.push(i);
            let v = s.event[i].volume.as_ref().expect("a volume event");
            let message = format!(
                "makes queue {:?} peak at {} contacts per hour; allowed: at most {MAX_RATE_PER_HOUR:e} contacts per hour per queue",
                queue.name,
                shown(rate(peak).round())
            );
            self.p.at(v.span(), format!("event[{i}].volume"), message);
        }
        false
    }

    /// Whether every mean handle time of `queue`, its aht events' factors
    /// multiplied where they overlap, stays at most [`MAX_MEAN_S`]; else
    /// says so at the last aht event in force where it is longest.
    fn aht_within(&mut self, s: &Scenario, queue: &Queue, last: &[usize], blamed: &mut Vec<usize>) -> bool {
        let mean = |k: usize| queue.handle_time.mean_s() * queue.aht_windows[k].factor;
        let Some(worst) = (0..queue.aht_windows.len()).max_by(|&a, &b| mean(a).total_cmp(&mean(b)).then(b.cmp(&a)))
        else {
            return true;
        };
        if mean(worst) <= MAX_MEAN_S {
            return true;
        }
        let i = last[worst];
        if !blamed.contains(&i) {
            blamed.push(i);
            let v = s.event[i].aht.as_ref().expect("an aht event");
            let message = format!(
                "makes queue {:?}'s mean handle time {} seconds; allowed: at most {MAX_MEAN_S:e} seconds",
                queue.name,
                shown(mean(worst))
            );
            self.p.at(v.span(), format!("event[{i}].aht"), message);
        }
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

/// A civil time in `zone` as seconds from the grid's first instant: a
/// time in a clock change's gap is the instant the gap ends (the first
/// time of day that exists after it); one in a fold is the earlier.
///
/// Moving a time in a gap forward by the gap's length (jiff's
/// "compatible" rule) put an event's start after its end: 02:30–03:10 on
/// the day Berlin skips 02:00–03:00 became 03:30–03:10, and the inverted
/// window doubled a closed queue's calls and left aht, outage and holiday
/// events without effect. The gap's end keeps every window's start at or
/// before its end, as the civil times are.
fn instant(grid: &Grid, zone: &TimeZone, at: DateTime) -> f64 {
    use jiff::tz::AmbiguousOffset;
    let ambiguous = zone.to_ambiguous_timestamp(at);
    let ts = match ambiguous.offset() {
        AmbiguousOffset::Gap { after, .. } => {
            // `at` read at the later offset lies before the transition;
            // the next transition from there is the gap's end.
            let before_gap = after.to_timestamp(at).ok();
            before_gap.and_then(|t| zone.following(t).next()).map(|tr| tr.timestamp())
        }
        _ => None,
    };
    let ts = ts.or_else(|| ambiguous.earlier().ok()).unwrap_or(grid.report_start);
    grid.seconds(ts)
}

/// A factor of one event on one queue: over `window`, rates (volume,
/// closed) or handle times (aht) × `factor`.
#[derive(Debug, Clone, Copy)]
struct Factor {
    window: Window,
    factor: f64,
    /// The event's index in the scenario.
    event: usize,
}

/// `segments` with every factor laid on them: split at each window bound
/// inside a segment, each piece's rate × the factors in force over it, in
/// scenario order (the same bits as laying the events one by one). An
/// empty window changes nothing. Also, per piece, the last volume event
/// (factor above 0) in force, to name in a message.
fn scale_rates(segments: &[RateSegment], factors: &[Factor]) -> (Vec<RateSegment>, Vec<Option<usize>>) {
    let mut sweep = Sweep::new(factors);
    let mut out = Vec::with_capacity(segments.len() + 2 * factors.len());
    let mut last = Vec::with_capacity(out.capacity());
    for seg in segments {
        let mut from = seg.start_s;
        for &cut in sweep.cuts_within(seg.start_s, seg.end_s).iter().chain([&seg.end_s]) {
            let active = sweep.active_at(from);
            let rate = active.iter().fold(seg.rate_per_s, |r, f| r * f.factor);
            out.push(RateSegment { start_s: from, end_s: cut, rate_per_s: rate });
            last.push(active.iter().rev().find(|f| f.factor > 0.0).map(|f| f.event));
            from = cut;
        }
    }
    (out, last)
}

/// Disjoint windows, in time order, each with the product of the factors
/// in force over it, multiplied in order of their windows' starts (then
/// scenario order), as [`Queue::aht_factor`] once folded them; and per
/// window the last event in force, to name in a message.
fn factor_pieces(factors: &[Factor]) -> (Vec<FactorWindow>, Vec<usize>) {
    let mut sweep = Sweep::new(factors);
    let cuts = sweep.cuts_within(f64::NEG_INFINITY, f64::INFINITY);
    let (mut out, mut last) = (Vec::new(), Vec::new());
    for pair in cuts.windows(2) {
        let mut active = sweep.active_at(pair[0]);
        if active.is_empty() {
            continue;
        }
        let named = active.iter().map(|f| f.event).max().expect("one in force");
        active.sort_by(|a, b| a.window.start_s.total_cmp(&b.window.start_s));
        let factor = active.iter().fold(1.0, |x, f| x * f.factor);
        out.push(FactorWindow { window: Window { start_s: pair[0], end_s: pair[1] }, factor });
        last.push(named);
    }
    (out, last)
}

/// The factors in force as time runs forward: each non-empty window
/// enters at its start and leaves at its end.
struct Sweep {
    /// Non-empty factors, by start (then scenario order).
    by_start: Vec<Factor>,
    /// Every window bound, sorted, each once.
    cuts: Vec<f64>,
    /// Next factor of `by_start` to enter.
    next: usize,
    /// In force, by position in `by_start` (scenario order within one
    /// start, which is the order they are multiplied in).
    active: Vec<(usize, Factor)>,
}

impl Sweep {
    fn new(factors: &[Factor]) -> Self {
        let mut by_start: Vec<Factor> = factors.iter().copied().filter(|f| f.window.start_s < f.window.end_s).collect();
        by_start.sort_by(|a, b| a.window.start_s.total_cmp(&b.window.start_s));
        let mut cuts: Vec<f64> = by_start.iter().flat_map(|f| [f.window.start_s, f.window.end_s]).collect();
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        Sweep { by_start, cuts, next: 0, active: Vec::new() }
    }

    /// The bounds strictly inside `(from, to)`.
    fn cuts_within(&self, from: f64, to: f64) -> Vec<f64> {
        let a = self.cuts.partition_point(|&c| c <= from);
        let b = self.cuts.partition_point(|&c| c < to);
        self.cuts[a..b.max(a)].to_vec()
    }

    /// The factors in force at `t` (≥ every earlier call's), in scenario
    /// order.
    fn active_at(&mut self, t: f64) -> Vec<Factor> {
        while self.next < self.by_start.len() && self.by_start[self.next].window.start_s <= t {
            self.active.push((self.next, self.by_start[self.next]));
            self.next += 1;
        }
        self.active.retain(|(_, f)| f.window.end_s > t);
        let mut now: Vec<Factor> = self.active.iter().map(|&(_, f)| f).collect();
        now.sort_by_key(|f| f.event);
        now
    }
}

/// `windows` as disjoint ones in time order: overlapping or touching
/// windows joined (two holidays on one day are one holiday; a day's paid
/// hours counted the overlap of two twice).
fn union(mut windows: Vec<Window>) -> Vec<Window> {
    windows.retain(|w| w.start_s < w.end_s);
    windows.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    let mut out: Vec<Window> = Vec::with_capacity(windows.len());
    for w in windows {
        match out.last_mut() {
            Some(last) if w.start_s <= last.end_s => last.end_s = last.end_s.max(w.end_s),
            _ => out.push(w),
        }
    }
    out
}
