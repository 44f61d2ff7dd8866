//! The checks the fuzz targets (`fuzz/`, nightly, libFuzzer) and the
//! property tests (`tests/fuzz_properties.rs`, stable, a fixed-seed
//! generator) share: each takes whatever bytes or text it is given and
//! asserts what must hold for any input. A broken invariant panics; the
//! callers treat a panic as the finding.

#![allow(dead_code)]

use wfmsim::budget;
use wfmsim::diagnostic::ScenarioError;
use wfmsim::engine::simulate;
use wfmsim::erlang;
use wfmsim::kpi::Targets;
use wfmsim::model::Model;
use wfmsim::montecarlo::{self, RunOptions};
use wfmsim::periods::PeriodKind;
use wfmsim::report::{self, Format};
use wfmsim::results::Detail;
use wfmsim::staffing;

/// Reads bytes as the values of a test case, a little at a time; zeros
/// once they run out.
pub struct Bytes<'a> {
    data: &'a [u8],
    /// Out of 256, how often a number is hostile.
    hostility: u8,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, hostility: 48 }
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    pub fn u64(&mut self) -> u64 {
        (0..8).fold(0u64, |x, _| (x << 8) | self.byte() as u64)
    }

    /// A number in `[lo, hi]`.
    pub fn f64_in(&mut self, lo: f64, hi: f64) -> f64 {
        let u = (self.u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + u * (hi - lo)
    }

    /// One of `choices`.
    pub fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[self.byte() as usize % choices.len()]
    }
}

/// Numbers that break parsers and formulas: zero, signs, the ends of
/// every range, NaN and the infinities, the smallest subnormal.
pub const HOSTILE: [f64; 20] = [
    0.0,
    -0.0,
    -1.0,
    1.0,
    0.5,
    1e-320,
    1e-9,
    1e-3,
    59.999,
    86_400.0,
    1e6,
    1e7,
    1e9,
    1e15,
    1e300,
    f64::MAX,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    4_294_967_296.0,
];

/// A number as TOML writes it (`nan`, `inf`, `-inf`, else Rust's own
/// shortest form, always with a point or an exponent).
pub fn toml_float(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        format!("{x:?}")
    }
}

/// A value for a numeric field: plausible (in `[lo, hi]`), or hostile as
/// often as the case says.
pub fn number(b: &mut Bytes, lo: f64, hi: f64) -> f64 {
    if b.byte() >= b.hostility {
        return b.f64_in(lo, hi);
    }
    match b.byte() % 2 {
        0 => b.pick(&HOSTILE),
        _ => f64::from_bits(b.u64()),
    }
}

/// A value for a whole-number field: plausible (in `[lo, hi]`), or
/// hostile as often as the case says.
pub fn whole(b: &mut Bytes, lo: i64, hi: i64) -> i64 {
    if b.byte() >= b.hostility {
        return lo + (b.u64() % (hi - lo + 1) as u64) as i64;
    }
    match b.byte() % 2 {
        0 => b.pick(&[0, -1, 1, i64::MIN, i64::MAX, 65_536, 1_000_001, 4_294_967_296]),
        _ => b.u64() as i64,
    }
}

/// A small valid scenario (a voice, a chat and an email queue; a team with
/// shifts and breaks, a partner taking overflow; a staffing table) whose
/// every number comes from `b`: none, a few or many of them hostile.
pub fn numbers_scenario(b: &mut Bytes) -> String {
    b.hostility = b.pick(&[0, 0, 1, 2, 4, 8, 32]);
    let f = |b: &mut Bytes, lo: f64, hi: f64| toml_float(number(b, lo, hi));
    let i = |b: &mut Bytes, lo: i64, hi: i64| whole(b, lo, hi).to_string();
    let interval = match b.byte() < b.hostility {
        true => b.pick(&[45, 0, -15, 1440]),
        false => b.pick(&[15, 30, 60]),
    };
    let per_day = if interval > 0 { (1440 / interval) as usize } else { 48 };
    let dist = b.pick(&["lognormal", "gamma", "exponential"]);
    let cv = match dist {
        "exponential" => String::new(),
        _ => format!(", cv = {}", f(b, 0.1, 3.0)),
    };
    format!(
        r#"[scenario]
name = "fuzz"
start = "2026-03-28"
days = {days}
interval_minutes = {interval}
timezone = "Europe/London"
warmup_hours = {warmup}
replications = {replications}
seed = {seed}

[[queue]]
name = "voice"
handle_time = {{ distribution = "{dist}", mean_s = {mean}{cv} }}
patience = {{ distribution = "exponential", mean_s = {patience} }}
target = {{ service_level = {sl}, within_s = {within}, max_asa_s = {asa}, max_abandon = {abandon}, max_occupancy = {occupancy} }}
arrivals = {{ rate_per_hour = {rate} }}

[[queue]]
name = "chat"
channel = "chat"
concurrency = {concurrency}
slowdown = {slowdown}
handle_time = {{ distribution = "gamma", mean_s = {chat_mean}, cv = {chat_cv} }}
arrivals = {{ daily = [{daily}], profile = [{profile}] }}

[[queue]]
name = "mail"
channel = "email"
handle_time = {{ distribution = "constant", value_s = {mail_handle} }}
initial_backlog = {{ items = {items}, mean_age_hours = {age} }}
target = {{ service_level = 0.9, within_hours = {within_hours}, max_backlog = {max_backlog} }}
arrivals = {{ rates_per_hour = [{rates}] }}

[[team]]
name = "Site"
timezone = "America/New_York"
skills = [{{ queue = "voice", priority = {priority} }}, {{ queue = "chat", concurrency = {skill_concurrency} }}, "mail"]
cost_per_hour = {cost}

[[team.shift]]
start = "{hh:02}:{mm:02}"
hours = {hours}
agents = {agents}
breaks = [{{ after_minutes = {after}, minutes = {minutes}, window_minutes = {window} }}]

[[team]]
name = "Partner"
skills = [{{ queue = "voice", after_s = {after_s} }}]
agents = {partner_agents}

[staffing]
shrinkage = {shrinkage}
paid_hours_per_week = {paid}
cost_per_hour = {staff_cost}
"#,
        days = i(b, 1, 2),
        warmup = f(b, 0.0, 6.0),
        replications = i(b, 1, 3),
        seed = i(b, 0, 1000),
        mean = f(b, 1.0, 600.0),
        patience = f(b, 1.0, 600.0),
        sl = f(b, 0.1, 1.0),
        within = f(b, 0.0, 60.0),
        asa = f(b, 1.0, 60.0),
        abandon = f(b, 0.0, 1.0),
        occupancy = f(b, 0.1, 1.0),
        rate = f(b, 1.0, 300.0),
        concurrency = i(b, 1, 4),
        slowdown = f(b, 0.0, 1.0),
        chat_mean = f(b, 1.0, 600.0),
        chat_cv = f(b, 0.1, 3.0),
        daily = (0..7).map(|_| f(b, 0.0, 2000.0)).collect::<Vec<_>>().join(", "),
        profile = (0..per_day).map(|_| f(b, 0.0, 10.0)).collect::<Vec<_>>().join(", "),
        mail_handle = f(b, 1.0, 900.0),
        items = i(b, 0, 200),
        age = f(b, 0.0, 48.0),
        within_hours = f(b, 0.0, 48.0),
        max_backlog = f(b, 0.0, 1000.0),
        rates = (0..per_day).map(|_| f(b, 0.0, 50.0)).collect::<Vec<_>>().join(", "),
        priority = i(b, 1, 3),
        skill_concurrency = i(b, 1, 4),
        cost = f(b, 0.0, 100.0),
        hh = b.byte() % 24,
        mm = b.pick(&[0, 15, 30, 45]),
        hours = f(b, 4.0, 12.0),
        agents = i(b, 0, 30),
        after = f(b, 0.0, 120.0),
        minutes = f(b, 1.0, 30.0),
        window = f(b, 0.0, 30.0),
        after_s = f(b, 0.0, 120.0),
        partner_agents = i(b, 0, 10),
        shrinkage = f(b, 0.0, 0.5),
        paid = f(b, 1.0, 168.0),
        staff_cost = f(b, 0.0, 100.0),
    )
}

/// Compiles `text`: any text gives a model or a scenario error, and every
/// problem of an error is placed (a line, or a field path) and says
/// something.
pub fn compile(text: &str) -> Option<Model> {
    match wfmsim::input::compile(text, "fuzz.toml") {
        Ok(loaded) => Some(loaded.model),
        Err(e) => {
            check_error(&e);
            None
        }
    }
}

fn check_error(e: &ScenarioError) {
    assert!(!e.diagnostics.is_empty(), "an error with no problem");
    for d in &e.diagnostics {
        assert!(!d.message.trim().is_empty(), "a problem that says nothing: {d:?}");
        assert!(d.line_col.is_some() || !d.field.is_empty(), "a problem with no place and no field: {d:?}");
    }
    let _ = e.to_string();
}

/// Whether a run of `model` is small enough for a check: a budget of a
/// few megabytes, a few thousand contacts and agents.
pub fn small(model: &Model) -> bool {
    let contacts: f64 =
        model.queues.iter().flat_map(|q| q.arrivals.iter()).map(|s| s.rate_per_s * (s.end_s - s.start_s)).sum::<f64>()
            + model.queues.iter().map(|q| q.initial_backlog.len() as f64).sum::<f64>();
    let agents: u64 = model.shifts.iter().map(|s| s.agents as u64 * (1 + s.breaks.len() as u64)).sum();
    contacts <= 20_000.0
        && agents <= 2_000
        && budget::for_run(model, 1, Detail::Interval, PeriodKind::Day, Format::Json.bytes_per_period()).total() < 64e6
}

/// Simulates two replications of a small `model` and renders every report:
/// counts balance in every interval, agent time is never negative nor
/// busier than staffed, and no report holds NaN or an infinity.
pub fn run_and_report(model: &Model) {
    let runs = [simulate(model, 0), simulate(model, 1)];
    for counters in &runs {
        for q in 0..model.queues.len() {
            for c in counters.queue_cells(q) {
                assert_eq!(c.offered, c.answered + c.abandoned + c.unserved, "{c:?}");
                assert!(c.wait_answered_s.is_finite() && c.wait_answered_s >= 0.0, "{c:?}");
                assert!(c.handle_s.is_finite() && c.handle_s >= 0.0, "{c:?}");
            }
        }
        for t in 0..model.teams.len() {
            for c in counters.team_cells(t) {
                assert!(c.staffed_s >= 0.0 && c.busy_s <= c.staffed_s + 1e-6, "{c:?}");
            }
        }
    }
    let mut two = model.clone();
    two.replications = 2;
    let options = RunOptions { threads: Some(1), ..RunOptions::for_model(&two) };
    let results = montecarlo::run(&two, &options, &|| {}).expect("one thread starts");
    for text in [
        report::run::table::render(&results),
        report::run::json::render(&results),
        report::run::csv::render(&results),
        report::run::markdown::render(&results),
        report::run::html::render(&results),
    ] {
        assert_finite_report(&text, &user_names(&two));
    }
}

/// Staffs a small `model` (a short horizon, few agents) and renders it.
pub fn staff_and_report(model: &Model) {
    let options = staffing::Options { confidence: Some(0.5), max_agents: Some(40), threads: Some(1) };
    let plan = match staffing::staff(model, &options) {
        Ok(plan) => plan,
        // Nothing to meet: refused before any search.
        Err(staffing::StaffingError::NoTarget { queue }) => {
            assert!(model.queues.iter().any(|q| q.name == queue && q.targets.list().is_empty()));
            return;
        }
        Err(e) => panic!("one thread starts: {e}"),
    };
    let provenance = RunOptions::for_model(model).provenance;
    for text in [
        report::staff::table::render(model, &provenance, &plan),
        report::staff::json::render_staffing(model, &provenance, &plan),
        report::staff::csv::render_staffing(&plan, &[]),
        report::staff::html::render(model, &provenance, &plan, None),
    ] {
        assert_finite_report(&text, &user_names(model));
    }
}

/// Every name the scenario of `model` gives, as reports may quote it.
fn user_names(model: &Model) -> Vec<&str> {
    let mut names = vec![model.name.as_str()];
    names.extend(model.queues.iter().map(|q| q.name.as_str()));
    names.extend(model.teams.iter().map(|t| t.name.as_str()));
    names.extend(model.events.iter().map(|e| e.name.as_str()));
    names
}

/// No word of `text` is NaN or an infinity.
pub fn assert_finite_text(text: &str) {
    assert_finite_report(text, &[]);
}

/// No word of `text`, outside the names a user wrote (`names`: a scenario,
/// queue, team or event may well be called "nan"), is NaN or an infinity.
pub fn assert_finite_report(text: &str, names: &[&str]) {
    let mut text = text.to_string();
    let mut names: Vec<&str> = names.iter().copied().filter(|n| !n.is_empty()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        text = text.replace(name, " ");
    }
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        let w = word.trim_start_matches('-').to_ascii_lowercase();
        assert!(!matches!(w.as_str(), "nan" | "inf" | "infinity"), "{word:?} in a report:\n{text}");
    }
}

/// The calculator on values within its documented bounds (the ranges of
/// `wfmsim erlang`'s flags): it answers, or says the queue is unstable,
/// with every KPI finite and in its range.
pub fn erlang(b: &mut Bytes) {
    let rate_per_hour = match b.byte() % 4 {
        0 => b.pick(&[1e-300, 1e-9, 1.0, 1e9]),
        _ => b.f64_in(1e-6, 1e4),
    };
    let queue = erlang::Queue {
        arrival_rate: rate_per_hour / 3600.0,
        mean_handle_s: match b.byte() % 4 {
            0 => b.pick(&[1e-9, 0.001, 86_400.0]),
            _ => b.f64_in(0.01, 3600.0),
        },
        mean_patience_s: match b.byte() % 3 {
            0 => None,
            1 => Some(b.pick(&[0.001, 1e-3, 1e9, 86_400.0])),
            _ => Some(b.f64_in(0.001, 7200.0)),
        },
    };
    let within_s = match b.byte() % 4 {
        0 => b.pick(&[0.0, 86_400.0]),
        _ => b.f64_in(0.0, 120.0),
    };
    let agents = match b.byte() % 4 {
        0 => b.pick(&[0, 1, 100_000]),
        _ => (b.u64() % 2_000) as u32,
    };
    if let Ok(k) = queue.kpis(agents, within_s) {
        check_kpis(&k);
    }
    let share = |b: &mut Bytes| b.f64_in(0.01, 1.0);
    let targets = Targets {
        service_level: (b.byte() % 2 == 0).then(|| share(b)),
        within_s,
        max_asa_s: (b.byte() % 2 == 0).then(|| b.f64_in(0.1, 300.0)),
        max_abandon: (b.byte() % 2 == 0).then(|| share(b)),
        max_occupancy: (b.byte() % 2 == 0).then(|| share(b)),
        max_backlog: None,
    };
    let max_agents = match b.byte() % 4 {
        0 => b.pick(&[1, 100_000]),
        _ => 1 + (b.u64() % 3_000) as u32,
    };
    if let Some(k) = erlang::required_agents(&queue, &targets, max_agents) {
        check_kpis(&k);
        assert!(k.agents <= max_agents, "{k:?}");
    }
}

fn check_kpis(k: &erlang::Kpis) {
    for share in [k.p_wait, k.service_level, k.p_abandon, k.occupancy] {
        assert!(share.is_finite() && (-1e-9..=1.0 + 1e-9).contains(&share), "{k:?}");
    }
    assert!(k.asa_s.is_finite() && k.asa_s >= 0.0, "{k:?}");
    assert!(k.load.is_finite() && k.load >= 0.0, "{k:?}");
}

/// A small scenario of two queues and two teams (a week of 30-minute
/// intervals, shift rules, events, forecast error): the model the file
/// targets read their files against.
pub const FILES_SCENARIO: &str = include_str!("../../scenarios/rosters-week.toml");

/// [`FILES_SCENARIO`] compiled once.
pub fn files_model() -> &'static Model {
    static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        let mut model = wfmsim::input::compile(FILES_SCENARIO, "rosters-week.toml").expect("a shipped scenario").model;
        model.replications = 2;
        model
    })
}

/// Two replications of [`files_model`], run once: what a baseline is
/// compared with.
fn files_results() -> &'static wfmsim::results::Results {
    static RESULTS: std::sync::OnceLock<wfmsim::results::Results> = std::sync::OnceLock::new();
    RESULTS.get_or_init(|| {
        let model = files_model();
        let options = RunOptions { threads: Some(1), ..RunOptions::for_model(model) };
        montecarlo::run(model, &options, &|| {}).expect("one thread starts")
    })
}

/// Any text as a `schedule --requirement` CSV of [`files_model`]: levels
/// for every team and interval, written back by `staff --by team --format
/// csv` to the same levels; or an error placed on a line that says what
/// is allowed.
pub fn requirement_csv(text: &str) {
    let model = files_model();
    match wfmsim::schedule::requirement_file::parse(model, text, "fuzz.csv") {
        Ok(levels) => {
            assert_eq!(levels.levels.len(), model.teams.len());
            assert!(levels.levels.iter().all(|l| l.len() == model.n_intervals));
            let again = report::staff::by_team::requirement_csv(model, &levels, &[]);
            let back =
                wfmsim::schedule::requirement_file::parse(model, &again, "again.csv").expect("its own output reads");
            assert_eq!(back.levels, levels.levels);
        }
        Err(e) => {
            assert!(!e.message.trim().is_empty(), "{e:?}");
            let _ = e.to_string();
        }
    }
}

/// Any text as a `check --baseline` file: refused with a message, or read
/// and compared with a run of [`files_model`] giving p-values in [0, 1]
/// and finite changes; never a panic or a hang (a CI of ±1e300 panicked,
/// 1e8 replications never finished).
pub fn baseline_json(text: &str) {
    let version = report::run::json::SCHEMA_VERSION;
    let baseline = match wfmsim::verdict::read_baseline(text, version) {
        Ok(b) => b,
        Err(e) => {
            assert!(!e.to_string().trim().is_empty());
            return;
        }
    };
    let tolerance = wfmsim::verdict::Tolerance::default();
    if let Ok(c) = wfmsim::verdict::compare_with_baseline(&baseline, "fuzz.json", files_results(), &tolerance) {
        for change in &c.changes {
            let p = change.p_value;
            assert!(p.is_none_or(|p| (0.0..=1.0).contains(&p)), "{change:?}");
        }
    }
}

/// Any text as `merge` input, NUL bytes separating files: refused with a
/// message naming what is wrong, or merged into results whose reports
/// hold no NaN or infinity (a shard count of 4294967295 aborted on 64
/// GiB; a relabelled shard was merged).
pub fn shard_json(text: &str) {
    let parts: Vec<(String, String)> =
        text.split('\0').enumerate().map(|(k, t)| (format!("part-{k}.json"), t.to_string())).collect();
    match wfmsim::merge::merge(&parts, None, PeriodKind::Day) {
        Ok(results) => {
            assert!(results.meta.provenance.replications >= 1);
            for text in [report::run::table::render(&results), report::run::json::render(&results)] {
                assert_finite_text(&text);
            }
        }
        Err(e) => assert!(!e.to_string().trim().is_empty()),
    }
}

/// Any bytes as a history file (`src/history`): the first byte picks
/// interval history or contact records, and wfmsim's own columns or a
/// preset of that kind; the rest is the file. It is read (every row used
/// or skipped with a reason) and fitted, or refused with a message; never
/// a panic, and the fit's figures are finite where given.
pub fn history_csv(data: &[u8]) {
    use wfmsim::history::{self, intervals, presets, records, IntervalOptions, Kind, Mapping, RecordOptions};
    let Some((&pick, file)) = data.split_first() else { return };
    let kind = if pick % 2 == 0 { Kind::Intervals } else { Kind::Records };
    let presets: Vec<&presets::Preset> = presets::PRESETS.iter().filter(|p| p.kind == kind).collect();
    let mapping = match usize::from(pick / 2) % (presets.len() + 1) {
        0 => Mapping::new(kind),
        k => presets[k - 1].mapping(),
    };
    let times = history::TimeReader::new(None, None);
    let fitted = match kind {
        Kind::Intervals => {
            let options = IntervalOptions { mapping, times, interval_minutes: None };
            match intervals::read(file, "fuzz.csv", &options) {
                Ok(h) => {
                    assert!(h.tally.read >= h.tally.used, "{:?}", h.tally);
                    wfmsim::fit::fit(Some(&h), None)
                }
                Err(e) => return assert!(!e.to_string().trim().is_empty()),
            }
        }
        Kind::Records => {
            let options = RecordOptions { mapping, times, count_intervals: Some(30) };
            match records::read(file, "fuzz.csv", &options) {
                Ok(r) => {
                    assert!(r.tally.read >= r.tally.used, "{:?}", r.tally);
                    wfmsim::fit::fit(None, Some(&r))
                }
                Err(e) => return assert!(!e.to_string().trim().is_empty()),
            }
        }
    };
    assert_finite_text(&wfmsim::fit::fragment::render(&fitted));
}
