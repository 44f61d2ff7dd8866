//! The roster as iCalendar (RFC 5545): one `VEVENT` per shift, its times
//! in the agent's team's zone (`DTSTART;TZID=Europe/Dublin:20260329T080000`)
//! with a `VTIMEZONE` for each zone used, taken from the model's time-zone
//! data (jiff's tzdb): one `STANDARD` or `DAYLIGHT` onset for the offset in
//! force when the calendar's first shift starts and one per transition up
//! to its last shift's end. A team in UTC keeps UTC times
//! (`DTSTART:20261123T140000Z`), as does a login or logout in the hour
//! that a zone repeats when its clocks go back (a local time there would
//! read as the first of the two). The team-local times and the breaks are
//! in the description. One calendar for everyone (each event names its
//! agent) or one per agent. Lines end in CRLF and are folded at 75
//! octets; text is escaped. `DTSTAMP` is the horizon's first instant, so
//! the same roster gives the same bytes.

use std::collections::BTreeMap;

use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

use crate::assign::shifts::local;
use crate::assign::{Assignment, DayShift};
use crate::model::Model;
use crate::results::Provenance;

/// An instant as iCalendar's UTC form, `20261123T140000Z`.
fn utc(model: &Model, seconds: f64) -> String {
    let z = local(model, seconds, &jiff::tz::TimeZone::UTC);
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", z.year(), z.month(), z.day(), z.hour(), z.minute(), z.second())
}

/// A civil date and time as iCalendar's local form, `20260329T080000`.
fn civil(dt: jiff::civil::DateTime) -> String {
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}", dt.year(), dt.month(), dt.day(), dt.hour(), dt.minute(), dt.second())
}

/// The `TZID` of team `t`'s zone, or `None` when its times are written in
/// UTC: a zone named for UTC, or one without an IANA name.
fn zone_id(model: &Model, t: usize) -> Option<&str> {
    const UTC: [&str; 8] = ["UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"];
    model.teams[t].timezone.iana_name().filter(|name| !UTC.contains(name))
}

/// `DTSTART`/`DTEND` of instant `seconds` for team `t`: `;TZID=zone:local`,
/// or `:utcZ` for a team in UTC and for a local time the zone repeats.
fn when(model: &Model, t: usize, seconds: f64) -> String {
    let Some(id) = zone_id(model, t) else {
        return format!(":{}", utc(model, seconds));
    };
    let tz = &model.teams[t].timezone;
    let z = local(model, seconds, tz);
    let dt = z.datetime();
    // A calendar reads a repeated local time as its first occurrence.
    match tz.to_ambiguous_timestamp(dt).earlier() {
        Ok(first) if first == z.timestamp() => format!(";TZID={id}:{}", civil(dt)),
        _ => format!(":{}", utc(model, seconds)),
    }
}

/// An offset as iCalendar's `UTC-OFFSET`, `+0100` (`+002521` with seconds).
fn utc_offset(offset: Offset) -> String {
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let s = total.unsigned_abs();
    match s % 60 {
        0 => format!("{sign}{:02}{:02}", s / 3600, s / 60 % 60),
        r => format!("{sign}{:02}{:02}{r:02}", s / 3600, s / 60 % 60),
    }
}

/// The `VTIMEZONE` of zone `tz` (named `id`) covering the instants
/// `from..=to`: the onset in force at `from` (the zone's last transition
/// before it, or the Unix epoch for a zone that never changed) and every
/// transition after it up to `to`, each a `STANDARD` or `DAYLIGHT`
/// component whose `DTSTART` is the onset's local time before it.
fn vtimezone(out: &mut String, id: &str, tz: &TimeZone, from: Timestamp, to: Timestamp) {
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{id}"));
    let onset = |out: &mut String, at: Timestamp, before: Offset, info: jiff::tz::TimeZoneOffsetInfo<'_>| {
        let kind = if info.dst().is_dst() { "DAYLIGHT" } else { "STANDARD" };
        line(out, &format!("BEGIN:{kind}"));
        line(out, &format!("DTSTART:{}", civil(before.to_datetime(at))));
        line(out, &format!("TZOFFSETFROM:{}", utc_offset(before)));
        line(out, &format!("TZOFFSETTO:{}", utc_offset(info.offset())));
        if !info.abbreviation().is_empty() {
            line(out, &format!("TZNAME:{}", text(info.abbreviation())));
        }
        line(out, &format!("END:{kind}"));
    };
    let before = |at: Timestamp| tz.to_offset(at.checked_sub(jiff::SignedDuration::from_secs(1)).unwrap_or(at));
    // Transitions strictly before `from + 1 s`: the one in force at `from`.
    let next = from.checked_add(jiff::SignedDuration::from_secs(1)).unwrap_or(from);
    match tz.preceding(next).next() {
        Some(t) => onset(out, t.timestamp(), before(t.timestamp()), tz.to_offset_info(t.timestamp())),
        None => {
            let epoch = Timestamp::UNIX_EPOCH.min(from);
            onset(out, epoch, tz.to_offset(from), tz.to_offset_info(from));
        }
    }
    for t in tz.following(from).take_while(|t| t.timestamp() <= to) {
        onset(out, t.timestamp(), before(t.timestamp()), tz.to_offset_info(t.timestamp()));
    }
    line(out, "END:VTIMEZONE");
}

/// A `VTIMEZONE` for each zone that `shifts` are written in, by name,
/// each covering the first login to the last logout in that zone.
fn vtimezones(model: &Model, shifts: &[&DayShift]) -> String {
    let mut spans: BTreeMap<&str, (usize, f64, f64)> = BTreeMap::new();
    for s in shifts {
        if let Some(id) = zone_id(model, s.team) {
            let span = spans.entry(id).or_insert((s.team, s.login_s, s.logout_s));
            span.1 = span.1.min(s.login_s);
            span.2 = span.2.max(s.logout_s);
        }
    }
    let mut out = String::new();
    for (id, (t, from, to)) in spans {
        let tz = &model.teams[t].timezone;
        vtimezone(&mut out, id, tz, local(model, from, tz).timestamp(), local(model, to, tz).timestamp());
    }
    out
}

/// TEXT escaped (RFC 5545 3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out += "\\\\",
            ';' => out += "\\;",
            ',' => out += "\\,",
            '\n' => out += "\\n",
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character),
/// ending in CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// Team-local `HH:MM` of instant `seconds`.
fn hhmm(model: &Model, t: usize, seconds: f64) -> String {
    let z = local(model, seconds, &model.teams[t].timezone);
    format!("{:02}:{:02}", z.hour(), z.minute())
}

fn event(out: &mut String, model: &Model, provenance: &Provenance, agent: &str, s: &DayShift) {
    let team = &model.teams[s.team];
    let zone = team.timezone.iana_name().unwrap_or("the team's zone");
    let hash = provenance.scenario_sha256.get(..12).unwrap_or("-");
    let breaks: Vec<String> = s
        .breaks
        .iter()
        .map(|b| format!("{}-{}", hhmm(model, s.team, b.start_s), hhmm(model, s.team, b.start_s + b.length_s)))
        .collect();
    let mut description = format!(
        "{}-{} {zone}, {} h, rule {}",
        hhmm(model, s.team, s.login_s),
        hhmm(model, s.team, s.logout_s),
        crate::report::schedule::number(s.hours),
        team.rules[s.rule].name
    );
    if !breaks.is_empty() {
        description += &format!("\nBreaks: {}", breaks.join(", "));
    }
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{agent}-{}-{hash}@wfmsim", utc(model, s.login_s)));
    line(out, &format!("DTSTAMP:{}", utc(model, 0.0)));
    line(out, &format!("DTSTART{}", when(model, s.team, s.login_s)));
    line(out, &format!("DTEND{}", when(model, s.team, s.logout_s)));
    line(out, &format!("SUMMARY:{}", text(&format!("Shift {agent} ({})", team.name))));
    line(out, &format!("DESCRIPTION:{}", text(&description)));
    line(out, &format!("CATEGORIES:{}", text(&team.name)));
    line(out, "TRANSP:OPAQUE");
    line(out, "END:VEVENT");
}

/// The calendar named `name` with `shifts`' zones and `body` (their events).
fn calendar(model: &Model, name: &str, shifts: &[&DayShift], body: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:-//wfmsim//wfmsim {}//EN", env!("CARGO_PKG_VERSION")));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(&format!("{} — {name}", model.name))));
    out += &vtimezones(model, shifts);
    out += body;
    line(&mut out, "END:VCALENDAR");
    out
}

/// One calendar with every agent's shifts, agent by agent.
pub fn all(model: &Model, provenance: &Provenance, a: &Assignment) -> String {
    let mut body = String::new();
    let mut shifts = Vec::new();
    for (x, agent) in model.agents.iter().enumerate() {
        for s in a.shifts_of(x) {
            event(&mut body, model, provenance, &agent.id, &a.shifts[s]);
            shifts.push(&a.shifts[s]);
        }
    }
    calendar(model, "shifts", &shifts, &body)
}

/// Agent `x`'s calendar (empty of events when it has no shift).
pub fn agent(model: &Model, provenance: &Provenance, a: &Assignment, x: usize) -> String {
    let id = &model.agents[x].id;
    let mut body = String::new();
    let shifts: Vec<&DayShift> = a.shifts_of(x).into_iter().map(|s| &a.shifts[s]).collect();
    for s in &shifts {
        event(&mut body, model, provenance, id, s);
    }
    calendar(model, id, &shifts, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        let content = format!("DESCRIPTION:{}", "é".repeat(60));
        line(&mut out, &content);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{content}\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
