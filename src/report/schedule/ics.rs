//! The roster as iCalendar (RFC 5545): one `VEVENT` per shift, its times
//! in UTC (`DTSTART:20261123T140000Z`, so no `VTIMEZONE` is needed and
//! every calendar program places it right), the team-local times and the
//! breaks in its description. One calendar for everyone (each event names
//! its agent) or one per agent. Lines end in CRLF and are folded at 75
//! octets; text is escaped. `DTSTAMP` is the horizon's first instant, so
//! the same roster gives the same bytes.

use crate::assign::shifts::local;
use crate::assign::{Assignment, DayShift};
use crate::model::Model;
use crate::results::Provenance;

/// An instant as iCalendar's UTC form, `20261123T140000Z`.
fn utc(model: &Model, seconds: f64) -> String {
    let z = local(model, seconds, &jiff::tz::TimeZone::UTC);
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", z.year(), z.month(), z.day(), z.hour(), z.minute(), z.second())
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
    line(out, &format!("DTSTART:{}", utc(model, s.login_s)));
    line(out, &format!("DTEND:{}", utc(model, s.logout_s)));
    line(out, &format!("SUMMARY:{}", text(&format!("Shift {agent} ({})", team.name))));
    line(out, &format!("DESCRIPTION:{}", text(&description)));
    line(out, &format!("CATEGORIES:{}", text(&team.name)));
    line(out, "TRANSP:OPAQUE");
    line(out, "END:VEVENT");
}

fn calendar(model: &Model, name: &str, body: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:-//wfmsim//wfmsim {}//EN", env!("CARGO_PKG_VERSION")));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(&format!("{} — {name}", model.name))));
    out += body;
    line(&mut out, "END:VCALENDAR");
    out
}

/// One calendar with every agent's shifts, agent by agent.
pub fn all(model: &Model, provenance: &Provenance, a: &Assignment) -> String {
    let mut body = String::new();
    for (x, agent) in model.agents.iter().enumerate() {
        for s in a.shifts_of(x) {
            event(&mut body, model, provenance, &agent.id, &a.shifts[s]);
        }
    }
    calendar(model, "shifts", &body)
}

/// Agent `x`'s calendar (empty of events when it has no shift).
pub fn agent(model: &Model, provenance: &Provenance, a: &Assignment, x: usize) -> String {
    let id = &model.agents[x].id;
    let mut body = String::new();
    for s in a.shifts_of(x) {
        event(&mut body, model, provenance, id, &a.shifts[s]);
    }
    calendar(model, id, &body)
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
