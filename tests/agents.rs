//! People on the roster (`[[agent]]`, `schedule --agents FILE`): every
//! produced roster checked by an independent checker written here from
//! the documented rules (not the solver's bookkeeping): contracts, rest,
//! availability, time off, holidays and coverage; small instances against
//! brute force; bad agents refused with their places; the calendars.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use rand::{Rng, SeedableRng};
use serde_json::Value;

use crate::common::{hourly_queue_and_team, refused, stderr, stdout, wfmsim, write};

fn scratch(name: &str) -> std::path::PathBuf {
    crate::common::scratch("agents", name)
}

fn json(o: &std::process::Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).expect("JSON")
}

/// A scenario of `days` days from Monday 2026-11-23, hourly, in UTC, one
/// queue and one team `T` (in UTC) with two rules, `early` (8 h from
/// 06:00 or 14:00) and `mid` (6 h from 10:00), a holiday on `holiday`.
fn scenario(days: usize, holiday: Option<Date>) -> String {
    let head = hourly_queue_and_team("people", days, 10, 3);
    let mut text = format!(
        r#"{head}

[[team.shift_rule]]
name = "early"
starts = {{ from = "06:00", to = "14:00", every_minutes = 480 }}
hours = [8]
days_on = [1, 2, 3, 4, 5]

[[team.shift_rule]]
name = "mid"
starts = {{ from = "10:00", to = "10:00", every_minutes = 60 }}
hours = [6]
days_on = [1, 2, 3]
"#
    );
    if let Some(d) = holiday {
        text += &format!(
            "\n[[event]]\nname = \"holiday\"\nstart = \"{d}\"\nend = \"{}\"\nholiday = [\"T\"]\n",
            d.checked_add(1.day()).unwrap()
        );
    }
    text
}

/// One person, as the test wrote them (the checker's source of truth).
#[derive(Debug, Clone)]
struct Person {
    id: String,
    min_hours: f64,
    max_hours: f64,
    max_days: u32,
    min_rest_hours: f64,
    rules: Vec<&'static str>,
    /// Per weekday (Monday first): (from, to) minutes after midnight, or off.
    availability: [Option<(u32, u32)>; 7],
    off: Vec<Date>,
}

impl Person {
    fn csv_row(&self) -> String {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let hm = |m: u32| format!("{:02}:{:02}", m / 60 % 24, m % 60);
        let availability: Vec<String> = (0..7)
            .map(|d| match self.availability[d] {
                Some((0, 2880)) => format!("{} any", days[d]),
                Some((a, b)) => format!("{} {}-{}", days[d], hm(a), if b == 1440 { "24:00".into() } else { hm(b) }),
                None => format!("{} off", days[d]),
            })
            .collect();
        let off: Vec<String> = self.off.iter().map(|d| d.to_string()).collect();
        format!(
            "{},T,{},{},{},{},{},{},{}\n",
            self.id,
            self.min_hours,
            self.max_hours,
            self.max_days,
            self.min_rest_hours,
            self.rules.join(";"),
            availability.join("; "),
            off.join(";")
        )
    }
}

fn agents_csv(people: &[Person]) -> String {
    let mut out = String::from("id,team,min_hours,max_hours,max_days,min_rest_hours,rules,availability,time_off\n");
    people.iter().for_each(|p| out += &p.csv_row());
    out
}

/// One shift as a report gives it (UTC team: local = UTC).
#[derive(Debug, Clone, PartialEq)]
struct Held {
    rule: String,
    login: Timestamp,
    logout: Timestamp,
    hours: f64,
}

impl Held {
    fn from_json(v: &Value) -> Held {
        Held {
            rule: v["rule"].as_str().unwrap().to_string(),
            login: v["start"].as_str().unwrap().parse().unwrap(),
            logout: v["end"].as_str().unwrap().parse().unwrap(),
            hours: v["hours"].as_f64().unwrap(),
        }
    }

    fn date(&self) -> Date {
        self.login.to_zoned(jiff::tz::TimeZone::UTC).date()
    }

    /// Minutes after the midnight of the login date.
    fn minutes(&self) -> (u32, u32) {
        let z = self.login.to_zoned(jiff::tz::TimeZone::UTC);
        let login = z.hour() as u32 * 60 + z.minute() as u32;
        (login, login + ((self.logout.as_second() - self.login.as_second()) / 60) as u32)
    }
}

/// The horizon as the checker sees it.
struct Facts {
    start: Date,
    days: usize,
    holidays: Vec<Date>,
}

impl Facts {
    fn dates(&self) -> Vec<Date> {
        (0..self.days).map(|k| self.start.checked_add((k as i64).days()).unwrap()).collect()
    }
}

/// Every hard rule `held` (one person's shifts, any order) breaks, in
/// words: the documented rules, implemented afresh.
fn violations(f: &Facts, p: &Person, held: &[Held]) -> Vec<String> {
    let mut out = Vec::new();
    let mut held: Vec<&Held> = held.iter().collect();
    held.sort_by_key(|h| h.login);
    for h in &held {
        let date = h.date();
        let (login, logout) = h.minutes();
        if !p.rules.contains(&h.rule.as_str()) {
            out.push(format!("{}: rule {} not in the contract", p.id, h.rule));
        }
        let weekday = date.weekday().to_monday_zero_offset() as usize;
        match p.availability[weekday] {
            Some((a, b)) if a <= login && logout <= b => {}
            _ => out.push(format!("{}: {date} {login}-{logout} outside availability", p.id)),
        }
        let last = h.logout.checked_sub(1.second()).unwrap().to_zoned(jiff::tz::TimeZone::UTC).date();
        if p.off.iter().any(|&d| d >= date && d <= last) {
            out.push(format!("{}: {date} on time off", p.id));
        }
        if f.holidays.contains(&date) {
            out.push(format!("{}: {date} on the team's holiday", p.id));
        }
        if date < f.start || !f.dates().contains(&date) {
            out.push(format!("{}: {date} outside the horizon", p.id));
        }
    }
    for pair in held.windows(2) {
        if pair[0].date() == pair[1].date() {
            out.push(format!("{}: two shifts on {}", p.id, pair[0].date()));
        }
        let rest = (pair[1].login.as_second() - pair[0].logout.as_second()) as f64 / 3600.0;
        if rest < p.min_rest_hours - 1e-9 {
            out.push(format!("{}: {rest} h rest before {}", p.id, pair[1].date()));
        }
    }
    let dates = f.dates();
    for (w, week) in dates.chunks(7).enumerate() {
        let mine: Vec<&&Held> = held.iter().filter(|h| week.contains(&h.date())).collect();
        let off = week.iter().filter(|d| p.off.contains(d)).count() as f64;
        let holidays = week.iter().filter(|d| !p.off.contains(d) && f.holidays.contains(d)).count() as f64;
        let share = 1.0 / p.max_days as f64;
        let max_days = p.max_days as f64 - off;
        let max_hours = p.max_hours * (1.0 - share * off);
        let min_hours = (p.min_hours * (week.len() as f64 / 7.0 - share * (off + holidays))).max(0.0);
        let hours: f64 = mine.iter().map(|h| h.hours).sum();
        if mine.len() as f64 > max_days {
            out.push(format!("{}: {} days in week {w}, at most {max_days}", p.id, mine.len()));
        }
        if hours > max_hours + 1e-6 {
            out.push(format!("{}: {hours} h in week {w}, at most {max_hours}", p.id));
        }
        if !mine.is_empty() && hours < min_hours - 1e-6 {
            out.push(format!("{}: {hours} h in week {w}, at least {min_hours}", p.id));
        }
    }
    out
}

/// The cover's day shifts laid from the roster's blocks: (rule, login,
/// logout) for each date of the horizon the block works, holidays off.
fn cover(f: &Facts, doc: &Value) -> Vec<(String, Timestamp, Timestamp)> {
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut out = Vec::new();
    for block in doc["shifts"].as_array().unwrap() {
        let worked: Vec<&str> = block["days"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
        let start: jiff::civil::Time = block["start"].as_str().unwrap().parse().unwrap();
        let seconds = (block["hours"].as_f64().unwrap() * 3600.0) as i64;
        for date in f.dates() {
            let weekday = days[date.weekday().to_monday_zero_offset() as usize];
            if !worked.contains(&weekday) || f.holidays.contains(&date) {
                continue;
            }
            let login = date.to_datetime(start).to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp();
            let logout = login.checked_add(seconds.seconds()).unwrap();
            for _ in 0..block["agents"].as_u64().unwrap() {
                out.push((block["rule"].as_str().unwrap().to_string(), login, logout));
            }
        }
    }
    out.sort();
    out
}

/// Checks a produced roster: every agent's shifts keep every rule, and
/// the agents' shifts and those reported unassigned are the cover,
/// exactly. Returns (hours assigned, bound, cover hours).
fn check_roster(f: &Facts, people: &[Person], doc: &Value) -> (f64, f64, f64) {
    let a = &doc["assignment"];
    let mut given = Vec::new();
    let mut problems = Vec::new();
    for (p, agent) in people.iter().zip(a["agents"].as_array().unwrap()) {
        assert_eq!(agent["id"], p.id.as_str());
        let held: Vec<Held> = agent["shifts"].as_array().unwrap().iter().map(Held::from_json).collect();
        problems.extend(violations(f, p, &held));
        given.extend(held);
    }
    assert!(problems.is_empty(), "hard rules broken: {problems:#?}");
    let open: Vec<Held> = a["unassigned"].as_array().unwrap().iter().map(Held::from_json).collect();
    let mut all: Vec<(String, Timestamp, Timestamp)> =
        given.iter().chain(&open).map(|h| (h.rule.clone(), h.login, h.logout)).collect();
    all.sort();
    assert_eq!(all, cover(f, doc), "the agents' and the open shifts are not the cover");
    let hours: f64 = given.iter().map(|h| h.hours).sum();
    assert!((hours - a["hours_assigned"].as_f64().unwrap()).abs() < 0.01);
    let bound = a["bound_hours"].as_f64().unwrap();
    assert!(bound + 1e-6 >= hours, "bound {bound} below the hours given {hours}");
    (hours, bound, a["hours_cover"].as_f64().unwrap())
}

/// The most hours any assignment of `shifts` to `people` keeping every
/// rule gives: every shift to one person or to nobody.
fn brute_force(f: &Facts, people: &[Person], shifts: &[Held]) -> f64 {
    fn go(f: &Facts, people: &[Person], shifts: &[Held], k: usize, held: &mut Vec<Vec<Held>>, best: &mut f64) {
        if k == shifts.len() {
            let hours: f64 = held.iter().flatten().map(|h| h.hours).sum();
            if hours > *best && people.iter().zip(held.iter()).all(|(p, h)| violations(f, p, h).is_empty()) {
                *best = hours;
            }
            return;
        }
        // Prune: a person's set that already breaks a rule other than its
        // least hours never mends by adding shifts.
        for n in 0..=people.len() {
            if n < people.len() {
                held[n].push(shifts[k].clone());
                let broken = violations(f, &people[n], &held[n]).iter().any(|v| !v.contains("at least"));
                if !broken {
                    go(f, people, shifts, k + 1, held, best);
                }
                held[n].pop();
            } else {
                go(f, people, shifts, k + 1, held, best);
            }
        }
    }
    let mut best = 0.0;
    go(f, people, shifts, 0, &mut vec![Vec::new(); people.len()], &mut best);
    best
}

fn anyone(id: &str) -> Person {
    Person {
        id: id.into(),
        min_hours: 0.0,
        max_hours: 40.0,
        max_days: 5,
        min_rest_hours: 11.0,
        rules: vec!["early", "mid"],
        availability: [Some((0, 2880)); 7],
        off: Vec::new(),
    }
}

#[test]
fn small_instances_keep_every_rule_and_reach_the_brute_force_optimum() {
    let dir = scratch("brute");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(23);
    let start = Date::constant(2026, 11, 23);
    let (mut checked, mut optimal, mut misses) = (0, 0, Vec::new());
    for case in 0..150 {
        let days = rng.random_range(2..=4usize);
        let holiday = rng.random_bool(0.3).then(|| start.checked_add(rng.random_range(0..days as i64).days()).unwrap());
        let f = Facts { start, days, holidays: holiday.into_iter().collect() };
        let path = write(&dir, &format!("s{case}.toml"), &scenario(days, holiday));
        let mut req = String::from("start,team,agents\n");
        for d in 0..days {
            for h in 6..22 {
                let n = if rng.random_bool(0.5) { rng.random_range(0..=2) } else { 0 };
                req += &format!("2026-11-{:02}T{h:02}:00:00Z,T,{n}\n", 23 + d);
            }
        }
        let req = write(&dir, &format!("r{case}.csv"), &req);
        let people: Vec<Person> = (0..rng.random_range(2..=3))
            .map(|k| {
                let mut p = anyone(&format!("p{k}"));
                p.max_days = rng.random_range(1..=3);
                p.max_hours = [8.0, 14.0, 16.0, 24.0][rng.random_range(0..4)];
                p.min_hours = if rng.random_bool(0.3) { 8.0f64.min(p.max_hours) } else { 0.0 };
                p.min_rest_hours = [8.0, 11.0, 16.0][rng.random_range(0..3)];
                if rng.random_bool(0.3) {
                    p.rules = vec!["early"];
                }
                for d in 0..7 {
                    p.availability[d] = match rng.random_range(0..4) {
                        0 => None,
                        1 => Some((6 * 60, 16 * 60)),
                        _ => Some((0, 2880)),
                    };
                }
                if rng.random_bool(0.3) {
                    p.off.push(start.checked_add(rng.random_range(0..days as i64).days()).unwrap());
                }
                p
            })
            .collect();
        let agents = write(&dir, &format!("a{case}.csv"), &agents_csv(&people));
        let doc = json(&wfmsim(&["schedule", &path, "--requirement", &req, "--agents", &agents, "--format", "json"]));
        let (hours, bound, _) = check_roster(&f, &people, &doc);
        let shifts: Vec<Held> = cover(&f, &doc)
            .into_iter()
            .map(|(rule, login, logout)| Held {
                hours: (logout.as_second() - login.as_second()) as f64 / 3600.0,
                rule,
                login,
                logout,
            })
            .collect();
        if shifts.len() > 9 {
            continue;
        }
        let best = brute_force(&f, &people, &shifts);
        assert!(hours <= best + 1e-6, "case {case}: {hours} h given, the brute force's best {best}");
        assert!(best <= bound + 1e-6, "case {case}: the bound {bound} is below the optimum {best}");
        checked += 1;
        if hours >= best - 1e-6 {
            optimal += 1;
        } else {
            misses.push(format!("case {case}: {hours} h given of the optimum {best} (bound {bound})"));
        }
    }
    assert!(checked >= 20, "only {checked} instances small enough");
    // The assignment is a heuristic with a proven bound, not an exact
    // method: it must reach the optimum in at least 95% of the small
    // instances (75 of 76 when written), and the bound (checked above)
    // must always hold.
    assert!(optimal * 20 >= checked * 19, "the optimum in only {optimal} of {checked}: {misses:#?}");
}

/// A requirement of `n` agents every hour from 06:00 to 22:00 of `days`
/// days from 2026-11-23.
fn flat_requirement(days: usize, n: u32) -> String {
    let mut req = String::from("start,team,agents\n");
    for d in 0..days {
        for h in 6..22 {
            req += &format!("2026-11-{:02}T{h:02}:00:00Z,T,{n}\n", 23 + d);
        }
    }
    req
}

/// Twelve people with every kind of rule: part-timers, a night-averse
/// one, days off, time off, a long rest.
fn twelve() -> Vec<Person> {
    let start = Date::constant(2026, 11, 23);
    (0..12)
        .map(|k| {
            let mut p = anyone(&format!("agent-{k:02}"));
            match k % 4 {
                0 => {
                    p.max_hours = 24.0;
                    p.max_days = 3;
                    p.min_hours = 16.0;
                }
                1 => p.availability = [Some((6 * 60, 16 * 60)); 7],
                2 => {
                    p.availability[5] = None;
                    p.availability[6] = None;
                    p.min_rest_hours = 14.0;
                }
                _ => {
                    p.rules = vec!["early"];
                    p.min_hours = 32.0;
                }
            }
            if k % 5 == 0 {
                p.off = vec![start.checked_add((k as i64 % 7).days()).unwrap()];
            }
            p
        })
        .collect()
}

#[test]
fn a_week_of_people_keeps_every_rule_and_keeps_off_the_holiday() {
    let dir = scratch("week");
    let start = Date::constant(2026, 11, 23);
    let holiday = Date::constant(2026, 11, 26);
    let f = Facts { start, days: 7, holidays: vec![holiday] };
    let path = write(&dir, "s.toml", &scenario(7, Some(holiday)));
    let req = write(&dir, "r.csv", &flat_requirement(7, 3));
    let people = twelve();
    let agents = write(&dir, "a.csv", &agents_csv(&people));
    let doc = json(&wfmsim(&["schedule", &path, "--requirement", &req, "--agents", &agents, "--format", "json"]));
    let (hours, bound, cover_hours) = check_roster(&f, &people, &doc);
    assert!(hours > 0.0 && cover_hours > 0.0);
    assert!(bound <= cover_hours + 1e-6);
    // The cover itself keeps off the holiday (the checker's cover skips
    // it; no agent and no open shift is on it).
    let team = &doc["assignment"]["teams"][0];
    assert_eq!(team["agents_given"], 12);
    assert!(team["agents_used"].as_u64().unwrap() <= 12);
    // The same input gives the same bytes.
    let run = || stdout(&wfmsim(&["schedule", &path, "--requirement", &req, "--agents", &agents, "--format", "json"]));
    assert_eq!(run(), run());
    // Every format renders the people; CSV one row per agent shift.
    let csv = stdout(&wfmsim(&["schedule", &path, "--requirement", &req, "--agents", &agents, "--format", "csv"]));
    let held: usize =
        doc["assignment"]["agents"].as_array().unwrap().iter().map(|a| a["shifts"].as_array().unwrap().len()).sum();
    assert!(csv.lines().filter(|l| l.starts_with("agent-")).count() >= held, "{csv}");
    let table = stdout(&wfmsim(&["schedule", &path, "--requirement", &req, "--agents", &agents]));
    assert!(table.contains("agent-00") && table.contains("Bound:"), "{table}");
}

#[test]
fn the_emitted_scenario_with_people_runs_and_the_calendars_are_icalendar() {
    let dir = scratch("emit");
    let path = write(&dir, "s.toml", &scenario(7, None));
    let req = write(&dir, "r.csv", &flat_requirement(7, 2));
    let agents = write(&dir, "a.csv", &agents_csv(&twelve()));
    let emitted = dir.join("emitted.toml");
    let calendars = dir.join("calendars");
    let _ = std::fs::remove_dir_all(&calendars);
    let o = wfmsim(&[
        "schedule",
        &path,
        "--requirement",
        &req,
        "--agents",
        &agents,
        "--format",
        "ics",
        "--emit-scenario",
        emitted.to_str().unwrap(),
        "--calendars",
        calendars.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ics = stdout(&o);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{ics}");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.split("\r\n").all(|l| l.len() <= 75), "lines folded at 75 octets");
    assert!(!ics.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
    let events = ics.matches("BEGIN:VEVENT").count();
    assert_eq!(events, ics.matches("END:VEVENT").count());
    let doc = json(&wfmsim(&["schedule", &path, "--requirement", &req, "--agents", &agents, "--format", "json"]));
    let held: usize =
        doc["assignment"]["agents"].as_array().unwrap().iter().map(|a| a["shifts"].as_array().unwrap().len()).sum();
    assert_eq!(events, held, "an event per shift held");
    // DTSTART in UTC is the JSON's start; text commas escaped.
    let first = doc["assignment"]["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|a| a["shifts"].as_array().unwrap().first())
        .unwrap();
    let login: Timestamp = first["start"].as_str().unwrap().parse().unwrap();
    assert!(ics.contains(&format!("DTSTART:{}", login.strftime("%Y%m%dT%H%M%SZ"))), "{ics}");
    assert!(ics.contains("\\, "), "commas in DESCRIPTION are escaped");
    // One calendar per agent, its events that agent's.
    let per_agent: usize = (0..12)
        .map(|k| {
            let one = std::fs::read_to_string(calendars.join(format!("agent-{k:02}.ics"))).unwrap();
            one.matches("BEGIN:VEVENT").count()
        })
        .sum();
    assert_eq!(per_agent, events);
    // run accepts the emitted scenario, people included.
    let o = wfmsim(&["run", emitted.to_str().unwrap(), "--replications", "2", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_shift_past_the_end_of_a_short_horizon_is_priced_in_full() {
    // One day; the requirement is 22:00-24:00; a 16:00 and a 22:00 start
    // of 8 hours are allowed. Priced in full, both cost 8 hours an agent
    // (the 22:00 one used to cost 2 and be preferred).
    let dir = scratch("edge");
    let text = scenario(1, None).replace(
        "starts = { from = \"06:00\", to = \"14:00\", every_minutes = 480 }",
        "starts = { from = \"16:00\", to = \"22:00\", every_minutes = 360 }",
    );
    let path = write(&dir, "s.toml", &text);
    let req = write(&dir, "r.csv", "start,team,agents\n2026-11-23T22:00:00Z,T,2\n2026-11-23T23:00:00Z,T,2\n");
    let doc = json(&wfmsim(&["schedule", &path, "--requirement", &req, "--format", "json"]));
    assert_eq!(doc["paid_hours"], 16.0, "{doc:#}");
    for s in doc["shifts"].as_array().unwrap() {
        assert_eq!(s["paid_hours"].as_f64().unwrap(), 8.0 * s["agents"].as_f64().unwrap(), "{s}");
    }
}

#[test]
fn bad_people_are_refused_with_file_line_and_what_is_allowed() {
    let dir = scratch("bad");
    let mut text = scenario(7, None);
    text += "\n[[agent]]\nid = \"x\"\nteam = \"U\"\n";
    text += "\n[[agent]]\nid = \"y\"\nteam = \"T\"\ncontract = { min_hours = 50, max_hours = 40 }\ntime_off = [\"2026-12-24\"]\n";
    let path = write(&dir, "s.toml", &text);
    let message = refused(&["schedule", &path, "--requirement", &write(&dir, "r.csv", &flat_requirement(7, 1))]);
    let line = text.lines().position(|l| l == "team = \"U\"").unwrap() + 1;
    let at = format!("s.toml:{line}:8: agent[0].team: \"U\" is not a team of the scenario; nearest: \"T\"");
    for expected in [
        at.as_str(),
        "agent[1].contract.min_hours: 50 hours is more than max_hours 40; allowed: at most max_hours",
        "agent[1].time_off[0]: \"2026-12-24\" is outside the horizon (2026-11-23 to 2026-11-29); allowed: dates of the horizon",
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
    let plain = write(&dir, "plain.toml", &scenario(7, None));
    let csv = write(&dir, "a.csv", "id,team,max_days,time_off\nx1,T,9,2026-11-24\nx2,Nigth,3,2027-01-01\n");
    let message = refused(&["schedule", &plain, "--agents", &csv]);
    for expected in [
        "a.csv:2:6: max_days: 9 is out of range; allowed: a whole number of days from 1 to 7",
        "a.csv:3:4: team: \"Nigth\" is not a team of the scenario",
        "a.csv:3:12: time_off: \"2027-01-01\" is outside the horizon",
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
    // Calendars need people.
    let message = refused(&["schedule", &plain, "--format", "ics"]);
    assert!(message.contains("--format ics writes the agents' shifts, and there are none"), "{message}");
}

/// The VTIMEZONE observances of an iCalendar text, by TZID: (onset as a
/// UTC instant, offset from then on), read as RFC 5545 says: an onset's
/// DTSTART is a local time in its TZOFFSETFROM.
fn observances(lines: &[&str]) -> std::collections::BTreeMap<String, Vec<(Timestamp, jiff::tz::Offset)>> {
    let offset = |v: &str| {
        let sign = if v.starts_with('-') { -1 } else { 1 };
        let digits: Vec<i32> = (1..v.len()).step_by(2).map(|k| v[k..k + 2].parse().unwrap()).collect();
        let seconds = digits[0] * 3600 + digits[1] * 60 + digits.get(2).copied().unwrap_or(0);
        jiff::tz::Offset::from_seconds(sign * seconds).unwrap()
    };
    let mut out: std::collections::BTreeMap<String, Vec<(Timestamp, jiff::tz::Offset)>> = Default::default();
    let (mut zone, mut start, mut from, mut to) = (String::new(), None, None, None);
    for l in lines {
        match l.split_once(':').unwrap_or((l, "")) {
            ("TZID", id) => zone = id.to_string(),
            ("DTSTART", v) if !zone.is_empty() => {
                start = Some(jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", v).unwrap())
            }
            ("TZOFFSETFROM", v) => from = Some(offset(v)),
            ("TZOFFSETTO", v) => to = Some(offset(v)),
            ("END", "STANDARD" | "DAYLIGHT") => {
                let onset = from.unwrap().to_timestamp(start.take().unwrap()).unwrap();
                out.entry(zone.clone()).or_default().push((onset, to.unwrap()));
            }
            ("END", "VTIMEZONE") => zone.clear(),
            _ => {}
        }
    }
    out
}

/// The UTC instant of an iCalendar DATE-TIME value `name;TZID=z:local` or
/// `name:utcZ`, by the calendar's own VTIMEZONE observances.
fn instant(value: &str, zones: &std::collections::BTreeMap<String, Vec<(Timestamp, jiff::tz::Offset)>>) -> Timestamp {
    let (params, v) = value.split_once(':').unwrap();
    if let Some(utc) = v.strip_suffix('Z') {
        assert!(!params.contains("TZID"), "{value}");
        return jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", utc)
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .unwrap()
            .timestamp();
    }
    let zone = params.split_once(";TZID=").expect("a TZID or UTC").1;
    let local = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", v).unwrap();
    let onsets = &zones[zone];
    // The observance whose span holds local − its offset.
    let found: Vec<Timestamp> = onsets
        .iter()
        .enumerate()
        .map(|(k, &(onset, off))| (k, onset, off.to_timestamp(local).unwrap()))
        .filter(|&(k, onset, at)| onset <= at && onsets.get(k + 1).is_none_or(|&(next, _)| at < next))
        .map(|(_, _, at)| at)
        .collect();
    assert_eq!(found.len(), 1, "{value}: one observance must hold it, {found:?}");
    found[0]
}

#[test]
fn calendars_are_in_the_team_zone_with_its_vtimezone_across_a_dst_change() {
    // A team in Europe/Dublin (the scenario reports in UTC) over the weeks
    // whose Sundays move the clocks (29 March and 25 October 2026).
    for (monday, change) in [("2026-03-23", "20260329T010000"), ("2026-10-19", "20261025T020000")] {
        let dir = scratch(&format!("zone-{monday}"));
        let start: Date = monday.parse().unwrap();
        let text = scenario(7, None)
            .replace("2026-11-23", monday)
            .replace("name = \"T\"\nskills = [\"q\"]", "name = \"T\"\nskills = [\"q\"]\ntimezone = \"Europe/Dublin\"");
        assert!(text.contains("Europe/Dublin"));
        let path = write(&dir, "s.toml", &text);
        let mut req = String::from("start,team,agents\n");
        for d in 0..7 {
            for h in 7..21 {
                req += &format!("{}T{h:02}:00:00Z,T,2\n", start.checked_add(d.days()).unwrap());
            }
        }
        let req = write(&dir, "r.csv", &req);
        let people: Vec<Person> = (0..12).map(|k| anyone(&format!("p{k:02}"))).collect();
        let agents = write(&dir, "a.csv", &agents_csv(&people));
        let calendars = dir.join("calendars");
        let _ = std::fs::remove_dir_all(&calendars);
        let args = ["schedule", &path, "--requirement", &req, "--agents", &agents];
        let o = wfmsim(&[&args[..], &["--format", "ics", "--calendars", calendars.to_str().unwrap()]].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let ics = stdout(&o);
        assert!(ics.ends_with("\r\n") && !ics.replace("\r\n", "").contains(['\n', '\r']), "CRLF lines only");
        assert!(ics.split("\r\n").all(|l| l.len() <= 75), "lines folded at 75 octets");
        let unfolded = ics.replace("\r\n ", "");
        let lines: Vec<&str> = unfolded.split("\r\n").collect();
        let zones = observances(&lines);
        assert_eq!(zones.keys().collect::<Vec<_>>(), ["Europe/Dublin"], "one VTIMEZONE, the team's");
        assert!(
            lines.iter().any(|l| *l == format!("DTSTART:{change}")),
            "the transition of that Sunday is an onset: {unfolded}"
        );
        // Every event's start and end, read through the VTIMEZONE, is the
        // instant the JSON gives (in UTC) for that agent's shift.
        let mut from_ics: Vec<(Timestamp, Timestamp)> = Vec::new();
        let mut begin = None;
        for l in &lines {
            if l.starts_with("DTSTART;") || l.starts_with("DTSTART:") && l.ends_with('Z') && !l.starts_with("DTSTAMP") {
                begin = Some(instant(l, &zones));
            } else if l.starts_with("DTEND") {
                from_ics.push((begin.take().expect("DTSTART before DTEND"), instant(l, &zones)));
            }
        }
        let doc = json(&wfmsim(&[&args[..], &["--format", "json"]].concat()));
        let mut from_json: Vec<(Timestamp, Timestamp)> = doc["assignment"]["agents"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["shifts"].as_array().unwrap().iter().map(Held::from_json))
            .map(|h| (h.login, h.logout))
            .collect();
        from_ics.sort();
        from_json.sort();
        assert!(from_json.len() >= 14, "{} shifts", from_json.len());
        assert_eq!(from_ics, from_json);
        // Both sides of the change are rostered, so both offsets are read.
        let offsets: std::collections::BTreeSet<i32> = from_ics
            .iter()
            .map(|(t, _)| jiff::tz::TimeZone::get("Europe/Dublin").unwrap().to_offset(*t).seconds())
            .collect();
        assert_eq!(offsets.len(), 2, "{offsets:?}");
        // Local times written with the zone (none falls in a repeated hour).
        let local = lines.iter().filter(|l| l.starts_with("DTSTART;TZID=Europe/Dublin:")).count();
        assert_eq!(local, from_ics.len(), "every start written in the team's zone");
        assert!(unfolded.contains("Europe/Dublin\\, 8 h\\, rule"), "TEXT commas escaped: {unfolded}");
        // Each agent's own file carries the zone too.
        let own = std::fs::read_to_string(calendars.join("p01.ics")).unwrap();
        assert!(own.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Dublin\r\n"), "{own}");
    }
}
