//! Every kind of bad scenario gets a message naming the file, the place,
//! the field, what was found and what is allowed. The texts are pinned: a
//! change to one is a deliberate, reviewed change.

const BASE: &str = r#"[scenario]
name = "errors"
start = "2026-11-23"
days = 1
interval_minutes = 30
timezone = "UTC"

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 180 }
arrivals = { rate_per_hour = 100 }

[[team]]
name = "T"
skills = ["q"]
agents = 10
"#;

/// `BASE` with `from` replaced by `to` (which must occur), compiled; the
/// error text.
fn error_of(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from:?} not in BASE");
    let src = BASE.replacen(from, to, 1);
    match wfmsim::input::compile(&src, "s.toml") {
        Ok(_) => panic!("{to:?} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_base_scenario_is_valid() {
    assert!(wfmsim::input::compile(BASE, "s.toml").is_ok());
}

#[test]
fn malformed_toml() {
    assert_eq!(error_of("name = \"errors\"", "name = \"errors"), "s.toml:2:15: scenario.name: invalid basic string");
}

/// toml gives no message where the file ends after a key's `=`; the
/// problem said only its place (found by tests/fuzz_properties.rs).
#[test]
fn a_file_ending_where_a_value_should_be_says_a_value_is_missing() {
    let missing = "a value is missing here; give a number, a \"string\", a [list] or an { inline = table }";
    let cut = &BASE[..BASE.find("mean_s = 180").unwrap() + "mean_s = ".len()];
    assert_eq!(
        wfmsim::input::compile(cut, "s.toml").unwrap_err().to_string(),
        format!("s.toml:10:56: queue[0].handle_time.mean_s: {missing}")
    );
}

#[test]
fn unknown_key() {
    assert_eq!(
        error_of("days = 1\n", "days = 1\nday = 2\n"),
        "s.toml:5:1: scenario.day: unknown field `day`, expected one of `name`, `start`, `days`, `interval_minutes`, `timezone`, `warmup_hours`, `replications`, `seed`, `service_level`, `currency`"
    );
}

#[test]
fn wrong_type() {
    assert_eq!(
        error_of("days = 1", "days = \"one\""),
        "s.toml:4:8: scenario.days: invalid type: string \"one\", expected a whole number"
    );
}

#[test]
fn unknown_time_zone() {
    assert_eq!(
        error_of("timezone = \"UTC\"", "timezone = \"Europe/Pariss\""),
        "s.toml:6:12: scenario.timezone: \"Europe/Pariss\" is not a known time zone; use an IANA name such as \"Europe/Paris\" or \"UTC\""
    );
}

#[test]
fn skill_naming_no_queue() {
    assert_eq!(
        error_of("skills = [\"q\"]", "skills = [\"q\", { queue = \"sales\", priority = 2 }]"),
        "s.toml:15:16: team[0].skills[1]: \"sales\" names no queue; queues are: \"q\""
    );
}

#[test]
fn negative_zero_and_nan_rates_and_times() {
    assert_eq!(
        error_of("rate_per_hour = 100", "rate_per_hour = -100"),
        "s.toml:11:30: queue[0].arrivals.rate_per_hour: -100 is not allowed; a finite number > 0 (contacts per hour)"
    );
    assert_eq!(
        error_of("rate_per_hour = 100", "rate_per_hour = 0"),
        "s.toml:11:30: queue[0].arrivals.rate_per_hour: 0 is not allowed; a finite number > 0 (contacts per hour)"
    );
    assert_eq!(
        error_of("rate_per_hour = 100", "rate_per_hour = nan"),
        "s.toml:11:30: queue[0].arrivals.rate_per_hour: NaN is not allowed; a finite number > 0 (contacts per hour)"
    );
    assert_eq!(
        error_of("mean_s = 180", "mean_s = 0"),
        "s.toml:10:15: queue[0].handle_time: mean_s is 0; a finite number > 0 is allowed"
    );
    assert_eq!(
        error_of("arrivals", "patience = { distribution = \"lognormal\", mean_s = 60, cv = -1 }\narrivals"),
        "s.toml:11:12: queue[0].patience: cv is -1; a finite number > 0 is allowed"
    );
}

#[test]
fn service_level_outside_zero_one() {
    assert_eq!(
        error_of("arrivals", "target = { service_level = 0 }\narrivals"),
        "s.toml:11:28: queue[0].target.service_level: 0 is out of range; allowed: a share in (0, 1]"
    );
    assert_eq!(
        error_of("arrivals", "target = { service_level = 1.2 }\narrivals"),
        "s.toml:11:28: queue[0].target.service_level: 1.2 is out of range; allowed: a share in (0, 1]"
    );
}

#[test]
fn interval_not_15_30_or_60() {
    assert_eq!(
        error_of("interval_minutes = 30", "interval_minutes = 45"),
        "s.toml:5:20: scenario.interval_minutes: 45 is not an interval; allowed: 15, 30, 60"
    );
}

#[test]
fn profile_length_not_matching_intervals_of_a_day() {
    assert_eq!(
        error_of("rate_per_hour = 100", "daily = [1, 1, 1, 1, 1, 1, 1], profile = [1, 2, 3]"),
        "s.toml:11:55: queue[0].arrivals.profile: has 3 values; allowed: exactly 48"
    );
    assert_eq!(
        error_of("rate_per_hour = 100", "rates_per_hour = [10, 20]"),
        "s.toml:11:31: queue[0].arrivals.rates_per_hour: has 2 values; allowed: exactly 48"
    );
}

#[test]
fn shift_longer_than_24_hours() {
    assert_eq!(
        error_of("agents = 10\n", "agents = 10\n[[team.shift]]\nstart = \"22:00\"\nhours = 25\n"),
        "s.toml:19:9: team[0].shift[0].hours: 25 is out of range; allowed: more than 0, at most 24 hours"
    );
}

#[test]
fn break_outside_its_shift() {
    assert_eq!(
        error_of(
            "agents = 10\n",
            "agents = 10\n[[team.shift]]\nstart = \"08:00\"\nhours = 8\nbreaks = [{ after_minutes = 470, minutes = 15 }]\n"
        ),
        "s.toml:20:11: team[0].shift[0].breaks[0]: ends 485 minutes into a shift of 480 minutes; a break (and its window) must lie inside its shift"
    );
}

#[test]
fn bad_time_of_day() {
    assert_eq!(
        error_of("agents = 10\n", "agents = 10\n[[team.shift]]\nstart = \"25:00\"\nhours = 8\n"),
        "s.toml:18:9: team[0].shift[0].start: \"25:00\" is not a time of day; use HH:MM, 00:00-23:59"
    );
}

#[test]
fn every_problem_is_reported_at_once_in_file_order() {
    let src = BASE
        .replace("interval_minutes = 30", "interval_minutes = 20")
        .replace("\"UTC\"", "\"Mars/Olympus\"")
        .replace("skills = [\"q\"]", "skills = [\"q\", \"r\"]")
        .replace("rate_per_hour = 100", "rate_per_hour = -1");
    let e = wfmsim::input::compile(&src, "s.toml").unwrap_err();
    assert_eq!(
        e.to_string(),
        "s.toml:5:20: scenario.interval_minutes: 20 is not an interval; allowed: 15, 30, 60\n\
         s.toml:6:12: scenario.timezone: \"Mars/Olympus\" is not a known time zone; use an IANA name such as \"Europe/Paris\" or \"UTC\"\n\
         s.toml:11:30: queue[0].arrivals.rate_per_hour: -1 is not allowed; a finite number > 0 (contacts per hour)\n\
         s.toml:15:16: team[0].skills[1]: \"r\" names no queue; queues are: \"q\""
    );
}

#[test]
fn a_queue_no_team_serves_is_a_warning_not_an_error() {
    let src = BASE.replace("[[team]]", "[[queue]]\nname = \"orphan\"\nhandle_time = { distribution = \"constant\", value_s = 60 }\narrivals = { rate_per_hour = 5 }\n\n[[team]]");
    let loaded = wfmsim::input::compile(&src, "s.toml").expect("a warning only");
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].field, "queue[1]");
    assert_eq!(loaded.warnings[0].line_col, Some((14, 8)));
    assert!(loaded.warnings[0].message.contains("no team has the skill \"orphan\""), "{:?}", loaded.warnings[0]);
}

#[test]
fn unknown_keys_and_wrong_types_are_reported_together_with_value_problems() {
    let src = BASE
        .replace("days = 1\n", "days = 1\nwarmup = 2\n")
        .replace("\"UTC\"", "\"Mars/Olympus\"")
        .replace("agents = 10", "agents = 10\ncost_per_hour = \"cheap\"")
        .replace(
            "arrivals = { rate_per_hour = 100 }",
            "arrivals = { rate_per_hour = -3 }\ntarget = { service_lvl = 0.8 }",
        );
    let e = wfmsim::input::compile(&src, "s.toml").unwrap_err();
    assert_eq!(
        e.to_string(),
        "s.toml:5:1: scenario.warmup: unknown field `warmup`, expected one of `name`, `start`, `days`, `interval_minutes`, `timezone`, `warmup_hours`, `replications`, `seed`, `service_level`, `currency`\n\
         s.toml:7:12: scenario.timezone: \"Mars/Olympus\" is not a known time zone; use an IANA name such as \"Europe/Paris\" or \"UTC\"\n\
         s.toml:12:30: queue[0].arrivals.rate_per_hour: -3 is not allowed; a finite number > 0 (contacts per hour)\n\
         s.toml:13:12: queue[0].target.service_lvl: unknown field `service_lvl`, expected one of `service_level`, `within_s`, `within_hours`, `max_asa_s`, `max_abandon`, `max_occupancy`, `max_backlog`\n\
         s.toml:19:17: team[0].cost_per_hour: invalid type: string \"cheap\", expected a number"
    );
}

#[test]
fn a_wrong_type_in_a_required_field_is_reported_without_follow_on_noise() {
    let src = BASE.replace("days = 1", "days = \"one\"").replace("day = 1", "");
    let e = wfmsim::input::compile(&src, "s.toml").unwrap_err();
    assert_eq!(e.to_string(), "s.toml:4:8: scenario.days: invalid type: string \"one\", expected a whole number");
}

// ---- omnichannel keys ----

const QUEUE_LINE: &str = "name = \"q\"\n";

#[test]
fn chat_concurrency_and_slowdown_have_stated_ranges() {
    let chat = |extra: &str| error_of(QUEUE_LINE, &format!("name = \"q\"\nchannel = \"chat\"\n{extra}\n"));
    assert_eq!(
        chat("concurrency = 0"),
        "s.toml:11:15: queue[0].concurrency: 0 is out of range; allowed: a whole number of chats from 1 to 100"
    );
    assert_eq!(
        chat("concurrency = 101"),
        "s.toml:11:15: queue[0].concurrency: 101 is out of range; allowed: a whole number of chats from 1 to 100"
    );
    assert_eq!(
        chat("slowdown = -0.1"),
        "s.toml:11:12: queue[0].slowdown: -0.1 is out of range; allowed: a number from 0 to 10"
    );
    assert_eq!(
        chat("slowdown = nan"),
        "s.toml:11:12: queue[0].slowdown: NaN is out of range; allowed: a number from 0 to 10"
    );
}

#[test]
fn channel_options_are_refused_on_channels_they_do_not_fit() {
    assert_eq!(
        error_of(QUEUE_LINE, "name = \"q\"\nconcurrency = 3\n"),
        "s.toml:10:15: queue[0].concurrency: applies to chat queues only; this queue's channel is \"voice\""
    );
    assert_eq!(
        error_of(QUEUE_LINE, "name = \"q\"\ninitial_backlog = { items = 5, mean_age_hours = 2 }\n"),
        "s.toml:10:19: queue[0].initial_backlog: applies to email and case queues only; a voice queue starts empty"
    );
    assert_eq!(
        error_of(QUEUE_LINE, "name = \"q\"\nchannel = \"fax\"\n"),
        "s.toml:10:11: queue[0].channel: \"fax\" is not a channel; allowed: \"voice\", \"chat\", \"email\", \"case\""
    );
}

#[test]
fn thresholds_must_fit_the_channel() {
    assert_eq!(
        error_of(QUEUE_LINE, "name = \"q\"\ntarget = { within_hours = 24 }\n"),
        "s.toml:10:27: queue[0].target.within_hours: is not a target of voice queues; use within_s (seconds) on voice and chat queues"
    );
    assert_eq!(
        error_of(QUEUE_LINE, "name = \"q\"\nchannel = \"email\"\ntarget = { within_s = 20 }\n"),
        "s.toml:11:23: queue[0].target.within_s: is not a target of email queues; use within_hours on email and case queues"
    );
    assert_eq!(
        error_of(
            QUEUE_LINE,
            "name = \"q\"\nchannel = \"case\"\npatience = { distribution = \"exponential\", mean_s = 60 }\n"
        ),
        "s.toml:11:12: queue[0].patience: is not allowed on a case queue: deferred work does not abandon; remove it"
    );
}

#[test]
fn a_bad_initial_backlog_says_what_is_allowed() {
    let e = error_of(
        QUEUE_LINE,
        "name = \"q\"\nchannel = \"email\"\ninitial_backlog = { items = -4, mean_age_hours = 2 }\n",
    );
    assert!(
        e.starts_with("s.toml:11:19: queue[0].initial_backlog: is not allowed as written; give either items"),
        "{e}"
    );
    let e = error_of(QUEUE_LINE, "name = \"q\"\nchannel = \"email\"\ninitial_backlog = { itemz = 4 }\n");
    assert!(e.contains("unknown field `itemz`, expected one of `items`, `mean_age_hours`, `ages_hours`"), "{e}");
}

#[test]
fn skill_entries_refuse_unknown_keys_and_bad_values() {
    let skill = |entry: &str| error_of("skills = [\"q\"]", &format!("skills = [{entry}]"));
    assert_eq!(
        skill("{ queue = \"q\", prioity = 2 }"),
        "s.toml:15:11: team[0].skills[0]: unknown key \"prioity\" in a skill; allowed: queue, priority, after_s, concurrency"
    );
    assert_eq!(
        skill("{ queue = \"q\", after_s = -5 }"),
        "s.toml:15:11: team[0].skills[0]: after_s -5 is not allowed; seconds from 0 to 604800"
    );
    assert_eq!(
        skill("{ queue = \"q\", after_s = nan }"),
        "s.toml:15:11: team[0].skills[0]: after_s NaN is not allowed; seconds from 0 to 604800"
    );
    assert_eq!(
        skill("{ queue = \"q\", concurrency = 2 }"),
        "s.toml:15:11: team[0].skills[0]: concurrency 2 applies to chat queues only; \"q\" is a voice queue"
    );
    assert_eq!(
        skill("{ queue = \"q\", priority = \"high\" }"),
        "s.toml:15:11: team[0].skills[0]: priority is a string; allowed: a whole number"
    );
    assert_eq!(
        skill("{ priority = 2 }"),
        "s.toml:15:11: team[0].skills[0]: the skill names no queue; allowed keys: queue, priority, after_s, concurrency, with queue required"
    );
    assert_eq!(
        skill("3"),
        "s.toml:15:11: team[0].skills[0]: found integer; a skill is a queue name or an inline table with queue, priority, after_s, concurrency"
    );
}

/// `BASE` with `event` appended as an `[[event]]`, compiled; the error
/// text.
fn event_error(event: &str) -> String {
    error_of("agents = 10\n", &format!("agents = 10\n\n[[event]]\n{event}"))
}

#[test]
fn an_event_naming_an_unknown_team_or_queue_suggests_the_nearest() {
    assert_eq!(
        event_error("name = \"Down\"\nstart = \"2026-11-23T10:00\"\nend = \"2026-11-23T11:00\"\noutage = [\"Tt\"]\n"),
        "s.toml:22:11: event[0].outage[0]: \"Tt\" is not a team of the scenario; nearest: \"T\""
    );
    assert_eq!(
        event_error("name = \"Shut\"\nstart = \"2026-11-23\"\nend = \"2026-11-24\"\nclosed = [\"qq\"]\n"),
        "s.toml:22:11: event[0].closed[0]: \"qq\" is not a queue of the scenario; nearest: \"q\""
    );
}

#[test]
fn an_event_ending_before_it_starts() {
    assert_eq!(
        event_error("name = \"Back\"\nstart = \"2026-11-23T12:00\"\nend = \"2026-11-23T09:00\"\nvolume = 1.5\n"),
        "s.toml:21:7: event[0].end: \"2026-11-23T09:00\" is not after start \"2026-11-23T12:00\"; an event ends after it starts (end exclusive)"
    );
}

#[test]
fn an_event_with_no_effect_or_several_or_a_misplaced_key() {
    assert_eq!(
        event_error("name = \"Both\"\nstart = \"2026-11-23\"\nend = \"2026-11-24\"\nvolume = 1.5\naht = 1.2\n"),
        "s.toml:19:8: event[0]: gives none or several effects; allowed: exactly one of volume, aht, outage, closed, holiday"
    );
    assert_eq!(
        event_error("name = \"Shut\"\nstart = \"2026-11-23\"\nend = \"2026-11-24\"\nclosed = [\"q\"]\nqueues = [\"q\"]\n"),
        "s.toml:23:10: event[0].queues: applies to volume, aht and outage only; name the queues in closed, the teams in holiday"
    );
    assert_eq!(
        event_error(
            "name = \"Down\"\nstart = \"2026-11-23\"\nend = \"2026-11-24\"\nvolume = 2\nchannels = [\"voice\"]\n"
        ),
        "s.toml:23:12: event[0].channels: applies to outage only; name the queues of a volume or aht event in queues"
    );
}

#[test]
fn an_event_time_or_factor_out_of_range() {
    assert_eq!(
        event_error("name = \"Odd\"\nstart = \"2026-11-23 25:00\"\nend = \"2026-11-24\"\nvolume = 2\n"),
        "s.toml:20:9: event[0].start: \"2026-11-23 25:00\" is not a date or a date and time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM, from 1900 to 2199"
    );
    assert_eq!(
        event_error("name = \"None\"\nstart = \"2026-11-23\"\nend = \"2026-11-24\"\nvolume = 0\n"),
        "s.toml:22:10: event[0].volume: 0 is out of range; allowed: a factor more than 0 and at most 1000 (closed: no contacts)"
    );
}

#[test]
fn an_event_outside_the_horizon_is_a_warning_not_an_error() {
    let src = BASE.replacen(
        "agents = 10\n",
        "agents = 10\n\n[[event]]\nname = \"Later\"\nstart = \"2026-12-23\"\nend = \"2026-12-24\"\nvolume = 2\n",
        1,
    );
    let loaded = wfmsim::input::compile(&src, "s.toml").unwrap();
    let w: Vec<String> =
        loaded.warnings.iter().map(|w| format!("{:?}: {}: {}", w.line_col.unwrap(), w.field, w.message)).collect();
    assert_eq!(
        w,
        ["(20, 9): event[0]: \"Later\" (2026-12-23 to 2026-12-24) lies outside the horizon (2026-11-23 to 2026-11-24): it changes nothing reported"]
    );
}

#[test]
fn a_date_override_with_nothing_to_change_or_twice() {
    let arrivals = "arrivals = { rate_per_hour = 100 }";
    assert_eq!(
        error_of(arrivals, "arrivals = { rate_per_hour = 100, override = [{ date = \"2026-11-23\" }] }"),
        "s.toml:11:47: queue[0].arrivals.override[0]: gives neither volume nor profile; give the day's volume, its profile, or both"
    );
    assert_eq!(
        error_of(
            arrivals,
            "arrivals = { rate_per_hour = 100, override = [{ date = \"2026-11-23\", volume = 5 }, { date = \"2026-11-23\", volume = 6 }] }"
        ),
        "s.toml:11:93: queue[0].arrivals.override[1].date: 2026-11-23 is overridden twice; give each date once"
    );
    assert_eq!(
        error_of(
            arrivals,
            "arrivals = { rate_per_hour = 100, override = [{ date = \"2026-11-23\", profile = [1, 2] }] }"
        ),
        "s.toml:11:80: queue[0].arrivals.override[0].profile: has 2 values; allowed: exactly 48"
    );
}

#[test]
fn forecast_error_and_absence_out_of_range_say_what_is_allowed() {
    let cv = "0 (none), or a coefficient of variation from 0.001 to 2";
    assert_eq!(
        error_of("[[queue]]", "[uncertainty]\nvolume_cv = -0.1\n\n[[queue]]"),
        format!("s.toml:9:13: uncertainty.volume_cv: -0.1 is out of range; allowed: {cv}")
    );
    assert_eq!(
        error_of("[[queue]]", "[uncertainty]\nintraday_cv = nan\naht_cv = 3\n\n[[queue]]"),
        format!(
            "s.toml:9:15: uncertainty.intraday_cv: NaN is out of range; allowed: {cv}\n\
             s.toml:10:10: uncertainty.aht_cv: 3 is out of range; allowed: {cv}"
        )
    );
    assert_eq!(
        error_of("[[queue]]", "[uncertainty]\ncorrelation = -0.5\n\n[[queue]]"),
        "s.toml:9:15: uncertainty.correlation: -0.5 is out of range; allowed: 0 (none), or from 0.01 to 1 (a shared factor cannot make queues' volumes move apart)"
    );
    assert_eq!(
        error_of(
            "arrivals = { rate_per_hour = 100 }",
            "arrivals = { rate_per_hour = 100 }\nuncertainty = { volume_cv = inf }"
        ),
        format!("s.toml:12:29: queue[0].uncertainty.volume_cv: inf is out of range; allowed: {cv}")
    );
    assert_eq!(
        error_of("arrivals = { rate_per_hour = 100 }", "arrivals = { rate_per_hour = 100 }\nuncertainty = { correlation = 0.5 }"),
        "s.toml:12:17: queue[0].uncertainty.correlation: unknown field `correlation`, expected one of `volume_cv`, `intraday_cv`, `aht_cv`"
    );
    assert_eq!(
        error_of("agents = 10", "agents = 10\nabsence_rate = 1\nabsence_paid = 1.5"),
        "s.toml:17:16: team[0].absence_rate: 1 is out of range; allowed: a share from 0 to below 1\n\
         s.toml:18:16: team[0].absence_paid: 1.5 is out of range; allowed: a share from 0 to 1"
    );
}
