//! What wfmsim writes, whatever it is given: `validate` on a file with
//! very many problems, `--threads` past what is useful, a stderr that
//! cannot be written, files that never end (`/dev/zero`), and names that
//! try to inject structure into every command's every format.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::common::{command, stderr, wfmsim, write};

/// A scratch directory unique to one test.
fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("outputs", name)
}

/// `scenarios/single-queue-day.toml` with its first shift's days replaced
/// by `n` names that are not days (`"Xyz"`), on one line: `n` problems.
/// (400,000 of them make the file of issue 24's measurement.)
fn bad_weekdays(n: usize) -> String {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/single-queue-day.toml")).unwrap();
    let days = r#"days = ["Mon", "Tue", "Wed", "Thu", "Fri"]"#;
    let bad = format!("days = [{}]", vec![r#""Xyz""#; n].join(", "));
    text.replacen(days, &bad, 1)
}

/// validate listed every problem of a file, each placed by counting from
/// the start of the file (400,000 problems took 203 s); now the first 100
/// are listed, in file order with their places, and the rest counted.
#[test]
fn validate_lists_the_first_hundred_problems_and_counts_the_rest() {
    let dir = scratch("many-problems");
    let path = write(&dir, "bad.toml", &bad_weekdays(1000));
    let o = wfmsim(&["validate", &path]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 101, "{err}");
    let first_column = lines[0].split(':').nth(2).unwrap().parse::<usize>().unwrap();
    for (k, line) in lines[..100].iter().enumerate() {
        // `"Xyz", ` is 7 characters: problem k is 7k columns on.
        let expected = format!(
            "{path}:36:{}: team[0].shift[0].days[{k}]: \"Xyz\" is not a day; allowed: Mon, Tue, Wed, Thu, Fri, Sat, Sun",
            first_column + 7 * k
        );
        assert_eq!(*line, expected);
    }
    assert_eq!(lines[100], format!("{path}: and 900 more problems"));
}

/// `run --threads 10000` tried to start them all (35 s, then exit 1); the
/// threads are capped at the replications and the cores, said once, and
/// the report is the one a single thread gives.
#[test]
fn threads_past_the_replications_are_capped_and_said_once() {
    let day = "scenarios/single-queue-day.toml";
    let many = wfmsim(&["run", day, "--replications", "2", "--threads", "10000", "--format", "json"]);
    let one = wfmsim(&["run", day, "--replications", "2", "--threads", "1", "--format", "json"]);
    assert!(many.status.success(), "{}", stderr(&many));
    assert_eq!(many.stdout, one.stdout);
    let err = stderr(&many);
    assert_eq!(err.matches("--threads 10000 capped at ").count(), 1, "{err}");
    assert!(err.contains("capped at 2, the scenario's 2 replication(s)") || err.contains("core(s)"), "{err}");
    assert!(stderr(&one).is_empty(), "{}", stderr(&one));
}

/// `validate` with its stderr on a full disk panicked (exit 101); a stderr
/// that cannot be written loses its lines and nothing else: the exit code
/// is the one a writable stderr gives.
#[test]
fn a_stderr_on_a_full_disk_never_panics_and_keeps_the_exit_code() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full here");
        return;
    };
    let dir = scratch("stderr-full");
    let bad = write(&dir, "bad.toml", &bad_weekdays(3));
    let cases: [(&[&str], i32); 4] = [
        (&["validate", &bad], 2),
        (&["validate", "scenarios/single-queue-day.toml"], 0),
        (&["run", "scenarios/single-queue-day.toml", "--replications", "2", "--threads", "10000"], 0),
        (&["run", "--no-such-flag"], 2),
    ];
    for (args, code) in cases {
        let o = command(args)
            .stdout(Stdio::null())
            .stderr(Stdio::from(full.try_clone().unwrap()))
            .output()
            .expect("wfmsim runs");
        assert_eq!(o.status.code(), Some(code), "{args:?}");
    }
}

/// `merge /dev/zero`, `check --baseline /dev/zero`, `schedule
/// --requirement /dev/zero`, `validate /dev/zero` and `fit --mapping
/// /dev/zero` allocated until memory ran out; every file read whole is
/// bounded (256 MiB), and one past it refused naming it and the limit.
#[test]
fn files_that_never_end_are_refused_at_the_stated_limit() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("skipped: no /dev/zero here");
        return;
    }
    let day = "scenarios/single-queue-day.toml";
    let cases: [(&[&str], &str); 5] = [
        (&["merge", "/dev/zero"], "partial"),
        (&["check", day, "--replications", "2", "--baseline", "/dev/zero"], "baseline"),
        (&["schedule", "scenarios/rosters-week.toml", "--requirement", "/dev/zero"], "requirement"),
        (&["validate", "/dev/zero"], "scenario"),
        (&["fit", "--records", "/dev/null", "--mapping", "/dev/zero"], "mapping file"),
    ];
    for (args, what) in cases {
        let o = wfmsim(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "/dev/zero: could not read the {what}: it holds more than 268435456 bytes (256.0 MiB), the most wfmsim reads of a {what}"
            )),
            "{args:?}: {err}"
        );
    }
}

/// A name for each kind of thing a scenario names, each trying every
/// injection at once: a spreadsheet formula (the first character), a
/// Markdown cell break, live HTML, a line break that writes a TOML table,
/// and a terminal escape sequence. As TOML basic strings.
const HOSTILE: [(&str, &str); 4] = [
    ("queue", r#""=cmd|' /C calc'!A0 a|b <script>alert(1)</script>\r\n[[event]]\u001b[31m q""#),
    ("team", r#""@SUM(1+1) a|b <script>alert(2)</script>\r\n[[event]]\u001b[31m t""#),
    ("rule", r#""-2+3 a|b <script>alert(3)</script>\r\n[[event]]\u001b[31m r""#),
    ("event", r#""+1 a|b <script>alert(4)</script>\r\n[[event]]\u001b[31m e""#),
];

fn hostile(kind: &str) -> &'static str {
    HOSTILE.iter().find(|h| h.0 == kind).unwrap().1
}

/// A small ruled scenario whose queue, team, shift rule and event carry
/// the hostile names.
fn hostile_scenario() -> String {
    format!(
        r#"
[scenario]
name = {event}
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"
replications = 4
seed = 7

[[queue]]
name = {queue}
handle_time = {{ distribution = "exponential", mean_s = 300 }}
patience = {{ distribution = "exponential", mean_s = 200 }}
target = {{ service_level = 0.8, within_s = 20 }}
arrivals = {{ rates_per_hour = [0, 0, 0, 0, 0, 0, 60, 80, 100, 120, 120, 120, 120, 120, 120, 120, 100, 100, 80, 80, 60, 60, 0, 0] }}

[[team]]
name = {team}
skills = [{queue}]
cost_per_hour = 30
agents = 20

[[team.shift_rule]]
name = {rule}
starts = {{ from = "05:00", to = "14:00", every_minutes = 60 }}
hours = [8]
days_on = [7]
breaks = [{{ minutes = 30, earliest_minutes = 180, latest_minutes = 300 }}]

[[event]]
name = {event}
start = "2026-11-23T10:00"
end = "2026-11-23T11:00"
volume = 1.2
"#,
        queue = hostile("queue"),
        team = hostile("team"),
        rule = hostile("rule"),
        event = hostile("event"),
    )
}

/// Checks one output of `what`, in `format`, for every injection.
fn assert_defanged(what: &str, format: &str, bytes: &[u8]) {
    assert!(!bytes.contains(&0x1b), "{what}: an escape sequence from a name reached the output");
    let text = String::from_utf8_lossy(bytes);
    if format == "html" {
        assert!(!text.contains("<script>alert"), "{what}: live markup from a name: {text}");
    }
    match format {
        "csv" => {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
            let mut width = None;
            for record in reader.records() {
                let record = record.unwrap_or_else(|e| panic!("{what}: not CSV: {e}"));
                assert_eq!(*width.get_or_insert(record.len()), record.len(), "{what}: a row split: {record:?}");
                for cell in record.iter() {
                    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err();
                    assert!(!formula, "{what}: a cell a spreadsheet runs: {cell:?}");
                }
            }
        }
        "markdown" => {
            // Markup is live outside fenced code blocks.
            let mut fenced = false;
            for line in text.lines() {
                fenced ^= line.starts_with("```");
                assert!(fenced || !line.contains("<script>alert"), "{what}: live markup from a name: {line}");
                assert!(!line.starts_with("[[event]]"), "{what}: a name broke its line: {text}");
                if line.starts_with('|') {
                    assert!(!line.contains("a|b"), "{what}: a `|` from a name splits a cell: {line}");
                }
            }
        }
        "toml" => {
            let doc: toml::Table = text.parse().unwrap_or_else(|e| panic!("{what}: not TOML: {e}\n{text}"));
            let events = doc.get("event").and_then(|e| e.as_array()).map_or(0, Vec::len);
            let expected = usize::from(what.contains("emit-scenario"));
            assert_eq!(events, expected, "{what}: a name wrote an [[event]]:\n{text}");
        }
        "json" => {
            serde_json::from_slice::<serde_json::Value>(bytes).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
        }
        _ => {}
    }
}

/// A hostile name (a spreadsheet formula, `|`, `<script>`, a line break
/// writing `[[event]]`, an ESC sequence) in a scenario's queue, team,
/// shift rule and event names: every command in every format it renders
/// writes it as data, never as structure, markup, formula or terminal
/// control; the scenario `--emit-scenario` writes holds the one event it
/// had and validates.
#[test]
fn hostile_names_reach_no_output_as_structure_markup_formula_or_control() {
    let dir = scratch("hostile");
    let s = write(&dir, "s.toml", &hostile_scenario());
    let v = wfmsim(&["validate", &s]);
    assert!(v.status.success(), "{}", stderr(&v));
    let sim = ["--replications", "2"];
    let runs: Vec<(Vec<&str>, &[&str])> = vec![
        (vec!["run", &s], &["table", "json", "csv", "markdown", "html"]),
        (vec!["staff", &s], &["table", "json", "csv", "html"]),
        (vec!["staff", &s, "--by", "team"], &["table", "json", "csv", "html"]),
        (vec!["schedule", &s], &["table", "json", "csv", "toml", "html"]),
        (vec!["check", &s], &["table", "json", "markdown", "html"]),
        (vec!["compare", &s, &s], &["table", "json", "csv", "markdown"]),
        (vec!["sweep", &s, "--vary", "volume=1:1.1:0.1"], &["table", "json", "csv"]),
    ];
    for (args, formats) in &runs {
        for format in *formats {
            let mut all = args.clone();
            all.extend(sim);
            all.extend(["--format", format]);
            let o = wfmsim(&all);
            let what = all.join(" ");
            assert!(matches!(o.status.code(), Some(0 | 1)), "{what}: {}", stderr(&o));
            assert_defanged(&what, format, &o.stdout);
        }
    }
    // The roster written into the scenario.
    let emitted = dir.join("emitted.toml");
    let e = emitted.to_str().unwrap();
    let o = wfmsim(&["schedule", &s, "--replications", "2", "--allow-miss", "--emit-scenario", e]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_defanged("schedule --emit-scenario", "toml", &std::fs::read(&emitted).unwrap());
    let v = wfmsim(&["validate", e]);
    assert!(v.status.success(), "{}", stderr(&v));
    // History exported and fitted.
    let history = dir.join("history");
    let h = history.to_str().unwrap();
    let o = wfmsim(&["run", &s, "--replications", "1", "--export-history", h]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&history).unwrap().map(|f| f.unwrap().path()).collect();
    files.sort();
    for path in &files {
        assert_defanged(&path.display().to_string(), "csv", &std::fs::read(path).unwrap());
    }
    // The guard's apostrophe is read back off: fit finds the queue by its name.
    let [contacts, intervals] = [&files[0], &files[1]].map(|p| p.to_str().unwrap());
    for format in ["table", "json", "csv", "markdown"] {
        let args = ["fit", intervals, "--records", contacts, "--format", format];
        let o = wfmsim(&args);
        let what = args.join(" ");
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        assert_defanged(&what, format, &o.stdout);
        if format == "json" {
            let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            let name = doc["queues"][0]["name"].as_str().unwrap_or_default().to_string();
            assert!(name.starts_with("=cmd|"), "{name:?}");
        }
    }
}

/// `--emit-scenario` scanned the text for the end of a team's section, and
/// failed on valid scenarios: a team name written as a multi-line string
/// (a line in it looking like a table header), and teams given as an
/// inline array. Written through a TOML editor, both hold the roster.
#[test]
fn emit_scenario_writes_into_multi_line_names_and_inline_teams() {
    let dir = scratch("emit-shapes");
    let head = hostile_scenario();
    let (head, _) = head.split_once("[[team]]").unwrap();
    let whole = hostile_scenario();
    let (_, event) = whole.rsplit_once("\n[[event]]\n").unwrap();
    let rule = r#"{ name = "day", starts = { from = "05:00", to = "14:00", every_minutes = 60 }, hours = [8], days_on = [7] }"#;
    let multi_line = format!(
        "{head}[[team]]\nname = \"\"\"Day\n[[queue]]\nteam\"\"\"\nskills = [{q}]\ncost_per_hour = 30\nshift_rule = [{rule}]\n\n[[event]]\n{event}",
        q = hostile("queue")
    );
    let inline = format!(
        "team = [{{ name = \"Day\", skills = [{q}], cost_per_hour = 30, shift_rule = [{rule}] }}]\n{head}\n[[event]]\n{event}",
        q = hostile("queue")
    );
    for (name, text) in [("multi-line.toml", multi_line), ("inline.toml", inline)] {
        let s = write(&dir, name, &text);
        let v = wfmsim(&["validate", &s]);
        assert!(v.status.success(), "{name}: {}", stderr(&v));
        let out = dir.join(format!("emitted-{name}"));
        let o = wfmsim(&["schedule", &s, "--replications", "2", "--emit-scenario", out.to_str().unwrap()]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let emitted = std::fs::read_to_string(&out).unwrap();
        let doc: toml::Table = emitted.parse().unwrap();
        let team = &doc["team"].as_array().unwrap()[0];
        assert!(!team["shift"].as_array().unwrap().is_empty(), "{name}: no shifts:\n{emitted}");
        assert_eq!(doc["event"].as_array().unwrap().len(), 1, "{name}");
        let v = wfmsim(&["validate", out.to_str().unwrap()]);
        assert!(v.status.success(), "{name}: {}", stderr(&v));
    }
}
