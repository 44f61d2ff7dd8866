//! History in: the simulator's own history (`run --export-history`) as
//! the oracle of the importer and the fits, every bad input pinned with
//! its place, presets, and memory flat in the number of contact records.

use std::path::Path;
use std::process::Output;

use wfmsim::engine::{simulate, simulate_observed, ContactOutcome};
use wfmsim::fit::{self, handle::Family, intervals::IntervalPatience, patience::Verdict};
use wfmsim::history::intervals::{self, IntervalOptions};
use wfmsim::history::records::{self, RecordOptions};
use wfmsim::history::{presets, Kind, Mapping, TimeReader};
use wfmsim::model::Model;

use crate::common::{command, scratch, stderr, stdout};

/// The history of `model`'s first replication written into `dir`, as
/// `run --export-history DIR` writes it.
struct Written {
    intervals: std::path::PathBuf,
    contacts: std::path::PathBuf,
    interval_rows: u64,
    contact_rows: u64,
}

fn export(model: &Model, _replication: u32, dir: &Path) -> std::io::Result<Written> {
    std::fs::create_dir_all(dir)?;
    let (intervals, contacts) = (dir.join("intervals.csv"), dir.join("contacts.csv"));
    let e = wfmsim::report::history::export(
        model,
        0,
        std::fs::File::create(&intervals)?,
        std::fs::File::create(&contacts)?,
    )?;
    Ok(Written { intervals, contacts, interval_rows: e.interval_rows, contact_rows: e.contact_rows })
}

/// One voice queue, M/M/20+M with lognormal handle times (mean 300 s, CV
/// 0.8) and exponential patience (120 s), 240 calls an hour for a week:
/// about 40,000 calls, 4,000 of them abandoned.
const ROUND_TRIP: &str = r#"
[scenario]
name = "round trip"
start = "2026-03-02"
days = 7
interval_minutes = 15
timezone = "Europe/Berlin"
seed = 7
replications = 1

[[queue]]
name = "support"
handle_time = { distribution = "lognormal", mean_s = 300, cv = 0.8 }
patience = { distribution = "exponential", mean_s = 120 }
arrivals = { rate_per_hour = 240 }
target = { service_level = 0.8, within_s = 20 }

[[team]]
name = "T"
skills = ["support"]
agents = 20
"#;

fn model(src: &str) -> Model {
    wfmsim::input::compile(src, "round-trip.toml").unwrap().model
}

fn interval_options() -> IntervalOptions {
    IntervalOptions {
        mapping: Mapping::new(Kind::Intervals),
        times: TimeReader::new(None, None),
        interval_minutes: None,
    }
}

fn record_options() -> RecordOptions {
    RecordOptions { mapping: Mapping::new(Kind::Records), times: TimeReader::new(None, None), count_intervals: None }
}

#[test]
fn observing_contacts_changes_no_count_and_sees_every_contact_once() {
    let m = model(ROUND_TRIP);
    let mut seen = [0u32; 3];
    let observed = simulate_observed(&m, 0, &mut |c| {
        seen[match c.outcome {
            ContactOutcome::Answered => 0,
            ContactOutcome::Abandoned => 1,
            ContactOutcome::Unserved => 2,
        }] += 1;
        assert!(c.wait_s >= 0.0 || c.outcome == ContactOutcome::Unserved);
    });
    assert_eq!(observed, simulate(&m, 0));
    let t = observed.total(0);
    assert_eq!([t.answered, t.abandoned, t.unserved], seen);
}

#[test]
fn a_simulated_week_fits_back_to_the_distributions_it_was_drawn_from() {
    let dir = scratch("tests", "history-round-trip");
    let exported = export(&model(ROUND_TRIP), 0, &dir).unwrap();
    assert_eq!(exported.interval_rows, 7 * 96);
    let h = intervals::read_file(&exported.intervals, &interval_options()).unwrap();
    let r = records::read_file(&exported.contacts, &record_options()).unwrap();
    assert_eq!((h.interval_minutes, h.tally.read, h.tally.used), (15, 672, 672));
    assert!(h.warnings.is_empty() && h.tally.skipped.is_empty() && h.tally.left_out.is_empty(), "{:?}", h.warnings);
    assert_eq!((r.tally.read, r.tally.used), (exported.contact_rows, exported.contact_rows));
    let f = fit::fit(Some(&h), Some(&r));
    assert_eq!(f.queues.len(), 1);
    let q = &f.queues[0];
    assert!(q.not_estimated.is_empty(), "{:?}", q.not_estimated);

    // Handle time: the lognormal, its mean and CV within their 95% intervals.
    let handle = q.handle.as_ref().unwrap();
    assert!(handle.n > 35_000, "{}", handle.n);
    assert_eq!(handle.chosen, Family::Lognormal);
    assert!(handle.mean_s.holds(300.0), "{:?}", handle.mean_s);
    assert!(handle.cv.holds(0.8), "{:?}", handle.cv);
    assert!(handle.sample_mean_s.holds(300.0) && handle.sample_cv.holds(0.8), "{handle:?}");

    // Patience from censored waits: 120 s within its interval, and the
    // Kaplan–Meier curve within its bounds of exp(−t/120) at every point.
    let p = q.patience.as_ref().unwrap();
    assert!(p.abandoned > 4_000, "{}", p.abandoned);
    assert!(p.mean_s.holds(120.0), "{:?}", p.mean_s);
    assert_eq!(p.verdict, Verdict::Fits, "{p:?}");
    assert!(p.km.len() >= 4, "{:?}", p.km);
    for k in &p.km {
        let truth = (-k.t_s / 120.0).exp();
        assert!(k.low <= truth && truth <= k.high, "{k:?} against {truth}");
    }

    // From intervals alone: the same abandonment, AHT (per interval of day
    // too) and patience the records give.
    let i = q.intervals.as_ref().unwrap();
    let c = q.records.as_ref().unwrap();
    assert_eq!(i.abandon_share, c.abandon_share);
    let close = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol * b.abs();
    assert!(
        close(i.aht_s.unwrap(), handle.sample_mean_s.value, 1e-6),
        "{:?} vs {}",
        i.aht_s,
        handle.sample_mean_s.value
    );
    assert_eq!(i.by_time_of_day.len(), 96);
    assert_eq!(c.by_time_of_day.len(), 96);
    for (a, b) in i.by_time_of_day.iter().zip(&c.by_time_of_day) {
        assert_eq!(a.start, b.start);
        assert_eq!(a.abandon_share, b.abandon_share, "{}", a.start);
        assert!(close(a.aht_s.unwrap(), b.aht_s.unwrap(), 1e-5), "{}: {:?} vs {:?}", a.start, a.aht_s, b.aht_s);
        assert_eq!((a.offered_mean * a.intervals as f64).round(), b.offered as f64, "{}", a.start);
    }
    let Some(IntervalPatience::Mean(from_intervals)) = &i.patience else { panic!("{:?}", i.patience) };
    assert!(close(from_intervals.value, p.mean_s.value, 1e-5), "{from_intervals:?} vs {:?}", p.mean_s);
    assert!(i.agents_mean.is_some_and(|a| (a - 20.0).abs() < 1e-9), "{:?}", i.agents_mean);

    // The fragment pastes into the scenario it came from: that compiles.
    let fragment = fit::fragment::render(&f);
    let line = |key: &str| fragment.lines().find(|l| l.starts_with(key)).unwrap().to_string();
    let refitted: String = ROUND_TRIP
        .lines()
        .map(|l| match l {
            _ if l.starts_with("handle_time =") => line("handle_time ="),
            _ if l.starts_with("patience =") => line("patience ="),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(refitted.contains("handle_time = { distribution = \"lognormal\", mean_s = 29"), "{refitted}");
    let m = model(&refitted);
    assert!((m.queues[0].handle_time.mean_s() / 300.0 - 1.0).abs() < 0.01);

    // What a forecast reads: offered per interval, no gap.
    let series = h.offered("support").unwrap();
    assert_eq!((series.interval_minutes, series.values.len()), (15, 672));
    assert_eq!(series.start.to_string(), "2026-03-01T23:00:00Z");
    assert_eq!(series.values.iter().flatten().sum::<f64>(), c.offered as f64);
}

/// The fall-back day repeats 02:00–03:00 local: its intervals carry their
/// offsets, so none is a duplicate and the day has 100 quarter hours.
#[test]
fn a_history_across_the_clocks_going_back_reads_every_interval_once() {
    let dir = scratch("tests", "history-dst");
    let src = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/dst-fall-back-day.toml"))
        .unwrap();
    let m = wfmsim::input::compile(&src, "dst.toml").unwrap().model;
    let exported = export(&m, 0, &dir).unwrap();
    let h = intervals::read_file(&exported.intervals, &interval_options()).unwrap();
    assert!(h.warnings.is_empty(), "{:?}", h.warnings);
    for q in &h.queues {
        assert_eq!(q.rows.len(), m.n_intervals, "{}", q.name);
    }
}

/// Every channel's history reads back: chats (handle time known at their
/// end), email (no abandonment) and queues whose thresholds differ (a
/// `within_s` column then).
#[test]
fn the_omnichannel_week_s_history_reads_back_whole() {
    let dir = scratch("tests", "history-omnichannel");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/omnichannel-week.toml");
    let m = wfmsim::input::compile(&std::fs::read_to_string(path).unwrap(), "omnichannel.toml").unwrap().model;
    let exported = export(&m, 0, &dir).unwrap();
    let header = std::fs::read_to_string(&exported.intervals).unwrap().lines().next().unwrap().to_string();
    assert!(header.contains(",answered_within,within_s,"), "{header}");
    let h = intervals::read_file(&exported.intervals, &interval_options()).unwrap();
    let r = records::read_file(&exported.contacts, &record_options()).unwrap();
    assert!(h.warnings.is_empty(), "{:?}", h.warnings);
    assert_eq!(h.queues.len(), m.queues.len());
    let f = fit::fit(Some(&h), Some(&r));
    for q in &f.queues {
        let queue = m.queues.iter().find(|x| x.name == q.name).unwrap();
        let c = q.records.as_ref().unwrap();
        let i = q.intervals.as_ref().unwrap();
        assert_eq!(c.offered as f64, i.offered, "{}", q.name);
        assert_eq!(c.abandon_share, i.abandon_share, "{}", q.name);
        assert!(q.handle.is_some(), "{}: {:?}", q.name, q.not_estimated);
        assert_eq!(q.patience.is_some(), queue.patience.is_some() && c.abandoned > 0, "{}", q.name);
    }
}

/// Runs `wfmsim` in `dir` (so messages name files as given).
fn in_dir(dir: &Path, args: &[&str]) -> Output {
    command(args).current_dir(dir).output().expect("wfmsim runs")
}

/// `wfmsim fit` in a scratch directory holding `files`: refused (exit 2,
/// nothing on stdout); its message.
fn fit_refused(name: &str, files: &[(&str, &str)], args: &[&str]) -> String {
    let dir = scratch("tests", name);
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    let mut all = vec!["fit"];
    all.extend_from_slice(args);
    let o = in_dir(&dir, &all);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    stderr(&o)
}

const HEADER: &str = "start,queue,offered,answered,abandoned,handle_time_s\n";

fn history(rows: &[&str]) -> String {
    let mut s = HEADER.to_string();
    for r in rows {
        s += r;
        s += "\n";
    }
    s
}

#[test]
fn bad_interval_histories_are_refused_with_their_place() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "duplicated interval",
            &["2025-03-03T10:00:00Z,q,10,9,1,2700", "2025-03-03T10:15:00Z,q,10,9,1,2700", "2025-03-03T10:15:00Z,q,12,9,1,2700"],
            "h.csv:4:1: start: queue \"q\"'s interval 2025-03-03T10:15:00Z is given twice (lines 3 and 4)\n",
        ),
        (
            "negative count",
            &["2025-03-03T10:00:00Z,q,-4,0,0,0"],
            "h.csv:2:3: offered: \"-4\" is negative; allowed: a number ≥ 0\n",
        ),
        (
            "NaN count",
            &["2025-03-03T10:00:00Z,q,10,NaN,0,0"],
            "h.csv:2:4: answered: \"NaN\" is not a number; allowed: a number ≥ 0\n",
        ),
        (
            "answered and abandoned past offered",
            &["2025-03-03T10:00:00Z,q,10,9,2,2700"],
            "h.csv:2:5: abandoned: answered + abandoned = 11 is more than offered = 10\n",
        ),
        (
            "a timestamp that does not parse",
            &["2025-03-03T10:00:00Z,q,10,9,1,2700", "2025-03-03 25:00,q,10,9,1,2700"],
            "h.csv:3:1: start: \"2025-03-03 25:00\" is not a date and time; allowed: RFC 3339 such as 2025-03-02T10:00:00+01:00, or a local time such as 2025-03-02 10:00 with --timezone (or give a time_format)\n",
        ),
        (
            "a local time without a zone",
            &["2025-03-03 10:00,q,10,9,1,2700"],
            "h.csv:2:1: start: \"2025-03-03 10:00\" has no UTC offset; give one (such as 2025-03-03T10:00:00+01:00) or the zone with --timezone\n",
        ),
        (
            "off the grid",
            &["2025-03-03T10:00:00Z,q,10,9,1,2700", "2025-03-03T10:15:00Z,q,10,9,1,2700", "2025-03-03T10:35:00Z,q,10,9,1,2700"],
            "h.csv:4:1: start: 2025-03-03T10:35:00Z is not on queue \"q\"'s grid of 15 minutes (line 3 starts 20 minutes before it)\n",
        ),
        (
            "an interval length not allowed",
            &["2025-03-03T10:00:00Z,q,10,9,1,2700", "2025-03-03T10:07:00Z,q,10,9,1,2700"],
            "h.csv:3:1: start: rows of queue \"q\" at lines 2 and 3 are 7 minutes apart; intervals of 5, 6, 10, 15, 30 or 60 minutes are allowed\n",
        ),
        (
            "a row with a field too many",
            &["2025-03-03T10:00:00Z,q,10,9,1,2700,7"],
            "h.csv:2: has 7 fields, the header 6\n",
        ),
        (
            "an empty queue",
            &["2025-03-03T10:00:00Z,,10,9,1,2700"],
            "h.csv:2:2: queue: is empty; every row names its queue\n",
        ),
    ];
    for (what, rows, expected) in cases {
        let message = fit_refused("history-bad", &[("h.csv", &history(rows))], &["h.csv"]);
        assert_eq!(&message, expected, "{what}");
    }
}

#[test]
fn a_missing_column_names_what_the_header_has() {
    let message =
        fit_refused("history-column", &[("h.csv", "start,queue,calls\n2025-03-03T10:00:00Z,q,10\n")], &["h.csv"]);
    assert_eq!(
        message,
        "h.csv:1: offered: no column \"offered\" (wfmsim's own name); the header has: start, queue, calls; map it with --map offered=COLUMN\n"
    );
    // Mapped, it reads; a mapped column not there is named as mapped.
    let dir = scratch("tests", "history-column-mapped");
    std::fs::write(dir.join("h.csv"), "start,queue,calls\n2025-03-03T10:00:00Z,q,10\n").unwrap();
    let o = in_dir(&dir, &["fit", "h.csv", "--map", "offered=calls", "--interval-minutes", "15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let message = fit_refused(
        "history-column",
        &[("h.csv", "start,queue,calls\n")],
        &["h.csv", "--map", "offered=Calls Offered"],
    );
    assert_eq!(
        message,
        "h.csv:1: offered: no column \"Calls Offered\" (as mapped); the header has: start, queue, calls; map it with --map offered=COLUMN\n"
    );
}

#[test]
fn a_service_level_count_needs_its_threshold() {
    let text = "start,queue,offered,answered_within\n2025-03-03T10:00:00Z,q,10,8\n";
    let message = fit_refused("history-within", &[("h.csv", text)], &["h.csv", "--interval-minutes", "15"]);
    assert_eq!(
        message,
        "h.csv:1:4: answered_within: \"answered_within\" gives no threshold; name the column answered_within_20s, \
         add a within_s column, or give --within-s SECONDS\n"
    );
    let dir = scratch("tests", "history-within-given");
    std::fs::write(dir.join("h.csv"), text).unwrap();
    let o = in_dir(&dir, &["fit", "h.csv", "--interval-minutes", "15", "--within-s", "30", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["queues"][0]["intervals"]["service_level"], 0.8);
    assert_eq!(json["queues"][0]["intervals"]["within_s"], 30.0);
}

#[test]
fn a_local_time_the_clocks_skip_is_refused_unless_its_offset_is_given() {
    let rows = ["2025-03-30 01:45,q,10,9,1,2700", "2025-03-30 02:00,q,10,9,1,2700"];
    let message =
        fit_refused("history-dst-gap", &[("h.csv", &history(&rows))], &["h.csv", "--timezone", "Europe/Berlin"]);
    assert_eq!(
        message,
        "h.csv:3:1: start: \"2025-03-30 02:00\" does not exist in Europe/Berlin: the clocks go forward from +01 to +02 then; give the offset or fix the time\n"
    );
    let rows = ["2025-10-26 01:45,q,10,9,1,2700", "2025-10-26 02:00,q,10,9,1,2700"];
    let message =
        fit_refused("history-dst-fold", &[("h.csv", &history(&rows))], &["h.csv", "--timezone", "Europe/Berlin"]);
    assert_eq!(
        message,
        "h.csv:3:1: start: \"2025-10-26 02:00\" occurs twice in Europe/Berlin: the clocks go back from +02 to +01 then; give the offset (such as 2025-10-26T02:00:00+02)\n"
    );
}

#[test]
fn gaps_and_unsorted_rows_are_used_with_a_warning_saying_what_was_done() {
    let dir = scratch("tests", "history-warnings");
    let rows = [
        "2025-03-03T10:15:00Z,q,10,9,1,2700",
        "2025-03-03T10:00:00Z,q,10,9,1,2700",
        "2025-03-03T11:00:00Z,q,10,9,1,2700",
        "2025-03-03T11:15:00Z,q,,,,",
    ];
    std::fs::write(dir.join("h.csv"), history(&rows)).unwrap();
    let o = in_dir(&dir, &["fit", "h.csv", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "warning: h.csv:3: start: rows of queue \"q\" are not in time order (this one starts before line 2); read in time order\n\
         warning: h.csv:4: start: queue \"q\" has 1 gap(s), 2 interval(s) missing (the first from 2025-03-03T10:30:00Z to 2025-03-03T11:00:00Z, between lines 2 and 4): left out of fitting, not filled with zeros\n"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let tally = &json["interval_history"]["tally"];
    assert_eq!(tally["read"], 4);
    assert_eq!(tally["used"], 3);
    assert_eq!(tally["skipped"]["offered empty: the interval is a gap, left out (not read as zero)"], 1);
    let q = &json["queues"][0]["intervals"];
    assert_eq!(q["intervals"], 3);
    assert_eq!(q["abandon_share"], 0.1);
}

#[test]
fn endless_input_stops_at_its_bound() {
    let message = fit_refused("history-zero", &[], &["/dev/zero"]);
    assert_eq!(
        message,
        "/dev/zero:1: a record longer than 1 MiB: is this a CSV file? (a row may hold at most 1048576 bytes)\n"
    );
    let message = fit_refused("history-zero", &[], &["--records", "/dev/zero"]);
    assert_eq!(
        message,
        "/dev/zero:1: a record longer than 1 MiB: is this a CSV file? (a row may hold at most 1048576 bytes)\n"
    );
}

#[test]
fn bad_contact_records_are_refused_with_their_place() {
    let header = "arrival,queue,outcome,wait_s,handle_time_s\n";
    let cases: &[(&str, &str, &str)] = &[
        (
            "an unknown outcome",
            "2025-03-03T10:00:00Z,q,transferred,3,100\n",
            "r.csv:2:3: outcome: \"transferred\" is not an outcome; allowed: answered, handled, abandoned, abandon, other, unserved (map others in a mapping file's [records.outcomes])\n",
        ),
        ("a negative wait", "2025-03-03T10:00:00Z,q,answered,-3,100\n", "r.csv:2:4: wait: \"-3\" is negative; allowed: seconds ≥ 0 or H:MM:SS\n"),
        (
            "an arrival that does not parse",
            "03/03/2025,q,answered,3,100\n",
            "r.csv:2:1: arrival: \"03/03/2025\" is not a date and time; allowed: RFC 3339 such as 2025-03-02T10:00:00+01:00, or a local time such as 2025-03-02 10:00 with --timezone (or give a time_format)\n",
        ),
    ];
    for (what, row, expected) in cases {
        let message =
            fit_refused("history-records-bad", &[("r.csv", &format!("{header}{row}"))], &["--records", "r.csv"]);
        assert_eq!(&message, expected, "{what}");
    }
}

#[test]
fn flags_that_are_not_honoured_or_not_valid_are_refused() {
    let h = history(&["2025-03-03T10:00:00Z,q,10,9,1,2700", "2025-03-03T10:15:00Z,q,10,9,1,2700"]);
    let files = [("h.csv", h.as_str())];
    let cases: &[(&[&str], &str)] = &[
        (&[], "give an interval history (HISTORY.csv), --records FILE, or both\n"),
        (&["h.csv", "--preset", "zendesk"], "--preset zendesk reads contact records: give --records FILE\n"),
        (
            &["h.csv", "--preset", "genesis"],
            "--preset \"genesis\" is not a preset; allowed: amazon-connect (interval history), zendesk (contact records), five9 (contact records)\n",
        ),
        (&["h.csv", "--timezone", "Mars/Olympus"], "--timezone \"Mars/Olympus\" is not an IANA time zone (such as Europe/Berlin)\n"),
        (&["h.csv", "--map", "wait=Queue Wait"], "--map wait=Queue Wait: contact records' field, but no --records FILE is given\n"),
        (&["--records", "h.csv", "--handle-time", "mean"], "--handle-time is for an interval history; give HISTORY.csv\n"),
    ];
    for (args, expected) in cases {
        let mut all = args.to_vec();
        if all.is_empty() {
            all = vec![];
        }
        let message = fit_refused("history-flags", &files, &all);
        assert_eq!(&message, expected, "{args:?}");
    }
    for args in [
        &["h.csv", "--format", "html"][..],
        &["h.csv", "--within-s", "-1"],
        &["h.csv", "--interval-minutes", "7"],
        &["h.csv", "--map", "offered"],
        &["h.csv", "--handle-time", "median"],
    ] {
        let message = fit_refused("history-flags", &files, args);
        assert!(message.contains(args[2]), "{args:?}: {message}");
    }
}

#[test]
fn presets_read_their_exports() {
    // Amazon Connect: averages as H:MM:SS, turned into totals.
    let connect = "StartInterval,EndInterval,Queue,Contacts queued,Contacts handled,Contacts abandoned,Average handle time,Average queue answer time,Average queue abandon time\n\
                   2025-03-03T10:00:00Z,2025-03-03T10:15:00Z,Billing,20,18,2,00:05:00,00:00:10,00:01:00\n\
                   2025-03-03T10:15:00Z,2025-03-03T10:30:00Z,Billing,10,10,0,00:04:00,00:00:20,\n";
    let mapping = presets::find("amazon-connect", Kind::Intervals).unwrap();
    let options = IntervalOptions { mapping, times: TimeReader::new(None, None), interval_minutes: None };
    let h = intervals::read(connect.as_bytes(), "connect.csv", &options).unwrap();
    let f = fit::intervals::fit(h.queue("Billing").unwrap(), h.interval_minutes);
    assert_eq!(f.aht_s, Some((18.0 * 300.0 + 10.0 * 240.0) / 28.0));
    assert_eq!(f.asa_s, Some((18.0 * 10.0 + 10.0 * 20.0) / 28.0));
    // Patience: total wait (answered and abandoned) over abandoned, from
    // the interval that has both waits.
    let Some(IntervalPatience::Mean(p)) = f.patience else { panic!("{:?}", f.patience) };
    assert_eq!(p.value, (18.0 * 10.0 + 2.0 * 60.0) / 2.0);

    // Zendesk: tickets, minutes, solved or not.
    let zendesk = "Id,Created at,Group,Status,First reply time in minutes,Solved at\n\
                   1,2025-03-03T09:00:00Z,Email,solved,90,2025-03-03T13:00:00Z\n\
                   2,2025-03-03T09:30:00Z,Email,open,,\n\
                   3,2025-03-03T10:00:00Z,Email,closed,30,2025-03-03T12:00:00Z\n";
    let mapping = presets::find("zendesk", Kind::Records).unwrap();
    let options = RecordOptions { mapping, times: TimeReader::new(None, None), count_intervals: Some(60) };
    let r = records::read(zendesk.as_bytes(), "tickets.csv", &options).unwrap();
    let q = r.queue("Email").unwrap();
    assert_eq!((q.offered, q.answered, q.other), (3, 2, 1));
    assert_eq!(q.answered_wait_s, 120.0 * 60.0);
    assert_eq!(q.response_total_s, 6.0 * 3600.0);
    let series = r.offered("Email").unwrap();
    assert_eq!(series.values, vec![Some(2.0), Some(1.0)]);
    let f = fit::fit(None, Some(&r));
    let figures: Vec<&str> = f.queues[0].not_estimated.iter().map(|n| n.figure.as_str()).collect();
    assert_eq!(figures, ["handle-time distribution", "patience"]);

    // Five9: a date column and a time column joined; H:MM:SS durations.
    let five9 = "CALL ID,DATE,TIME,SKILL,DISPOSITION,QUEUE WAIT TIME,HANDLE TIME\n\
                 1,2025-03-03,10:00:05,Sales,Sale Made,0:00:12,0:04:10\n\
                 2,2025-03-03,10:01:00,Sales,Abandon,0:01:30,0:00:00\n";
    let mapping = presets::find("five9", Kind::Records).unwrap();
    let zone = jiff::tz::TimeZone::get("America/New_York").unwrap();
    let options = RecordOptions {
        mapping,
        times: TimeReader::new(Some((zone, "America/New_York".into())), None),
        count_intervals: None,
    };
    let r = records::read(five9.as_bytes(), "calls.csv", &options).unwrap();
    let q = r.queue("Sales").unwrap();
    assert_eq!((q.answered, q.abandoned), (1, 1));
    assert_eq!(q.handle.mean(), 250.0);
    assert_eq!(q.wait_total_s, 102.0);
    assert_eq!(q.by_minute[10 * 60].offered, 1);
}

/// Contact records fold into accumulators whose size does not depend on
/// how many records stream by: ten times the records, the same bytes.
#[test]
fn memory_is_flat_in_the_number_of_contact_records() {
    let records = |per_minute: usize| {
        let mut s = String::from("arrival,queue,outcome,wait_s,handle_time_s\n");
        for day in 0..7 {
            for minute in 0..1440 {
                for k in 0..per_minute {
                    let outcome = if k % 10 == 0 { "abandoned" } else { "answered" };
                    let handle = if outcome == "answered" {
                        format!("{}", 60 + (minute * 7 + k * 13) % 600)
                    } else {
                        String::new()
                    };
                    s += &format!(
                        "2025-03-{:02}T{:02}:{:02}:{:02}Z,q{},{outcome},{},{handle}\n",
                        3 + day,
                        minute / 60,
                        minute % 60,
                        k % 60,
                        k % 3,
                        (minute + k) % 300
                    );
                }
            }
        }
        s
    };
    let (small, large) = (records(3), records(30));
    let read = |text: &str| records::read(text.as_bytes(), "r.csv", &record_options()).unwrap();
    let (a, b) = (read(&small), read(&large));
    assert_eq!(b.tally.read, 10 * a.tally.read);
    assert_eq!(a.queues.len(), 3);
    assert_eq!(a.state_bytes(), b.state_bytes());
    assert!(a.state_bytes() < 3 * 100_000, "{}", a.state_bytes());
}

#[test]
fn run_exports_the_history_fit_reads_and_fit_prints_the_fragment() {
    let dir = scratch("tests", "history-cli");
    std::fs::write(dir.join("rt.toml"), ROUND_TRIP).unwrap();
    let o = in_dir(&dir, &["run", "rt.toml", "--export-history", "out", "--output", "report.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("history of replication 1: out/intervals.csv (672 rows), out/contacts.csv ("),
        "{}",
        stderr(&o)
    );
    let o = in_dir(&dir, &["fit", "out/intervals.csv", "--records", "out/contacts.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("out/intervals.csv (15-minute intervals): 672 rows read, 672 used, 0 skipped\n"), "{text}");
    assert!(text.contains("\n[[queue]]\nname = \"support\"\n"), "{text}");
    assert!(text.contains("handle_time = { distribution = \"lognormal\", mean_s = "), "{text}");
    assert!(text.contains("patience = { distribution = \"exponential\", mean_s = "), "{text}");
    // The fragment is a scenario's [[queue]] as written: it parses.
    let fragment = &text[text.find("\n[[queue]]").unwrap()..];
    let value: toml::Value = toml::from_str(fragment).unwrap();
    let queue = &value["queue"][0];
    assert_eq!(queue["handle_time"]["distribution"].as_str(), Some("lognormal"));
    for format in ["json", "csv", "markdown"] {
        let o = in_dir(
            &dir,
            &["fit", "out/intervals.csv", "--records", "out/contacts.csv", "--format", format, "-o", "fit.out"],
        );
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        assert!(std::fs::metadata(dir.join("fit.out")).unwrap().len() > 1000, "{format}");
    }
    let message = {
        let o = in_dir(&dir, &["run", "rt.toml", "--export-history", "out", "--shard", "1/2", "-o", "p.json"]);
        assert_eq!(o.status.code(), Some(2));
        stderr(&o)
    };
    assert!(message.contains("'--export-history <DIR>' cannot be used with '--shard <SHARD>'"), "{message}");
}
