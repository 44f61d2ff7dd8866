//! The fuzz targets' checks on stable, from a fixed-seed generator (CI has
//! no nightly for `fuzz/`): thousands of broken scenario texts, valid
//! scenarios with hostile numbers in every field, and calculator inputs.
//! Any text gives a model or placed problems, never a panic; any model
//! small enough runs and reports without NaN or infinity; the calculator
//! answers finitely within its bounds.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::fuzz_support::{
    baseline_json, compile, erlang, files_model, history_csv, numbers_scenario, requirement_csv, run_and_report,
    shard_json, small, staff_and_report, toml_float, Bytes,
};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Every shipped scenario (the broken example too), and the smallest
/// valid one.
fn seeds() -> Vec<String> {
    let dirs =
        [concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"), concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/examples")];
    let mut seeds: Vec<String> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    seeds.sort();
    seeds.push(
        "[scenario]\nname = \"s\"\nstart = \"2026-11-23\"\ndays = 1\ninterval_minutes = 60\ntimezone = \"UTC\"\n\
         [[queue]]\nname = \"q\"\nhandle_time = { distribution = \"exponential\", mean_s = 180 }\narrivals = { rate_per_hour = 20 }\n\
         [[team]]\nname = \"T\"\nskills = [\"q\"]\nagents = 2\n"
            .into(),
    );
    seeds
}

/// Numbers written the way that breaks readers: out of every range, not
/// numbers at all, too long for any integer.
const HOSTILE_TEXT: [&str; 16] = [
    "-1",
    "0",
    "nan",
    "inf",
    "-inf",
    "1e300",
    "-1e300",
    "1e-320",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "4294967296",
    "65536",
    "0.0000001",
    "1_000_000_000",
    "\"12\"",
];

/// The byte offsets of the numbers in `text` (runs of digits).
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            spans.push((start, i));
        } else {
            i += 1;
        }
    }
    spans
}

/// `text` broken one way or several: cut short, bytes flipped, a number
/// made hostile, a line dropped or repeated, deep nesting, a long string.
fn mutate(rng: &mut ChaCha8Rng, text: &str) -> String {
    let mut text = text.to_string();
    for _ in 0..rng.random_range(1..4) {
        match rng.random_range(0..8) {
            0 if !text.is_empty() => {
                let mut at = rng.random_range(0..text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.truncate(at);
            }
            1 => {
                let mut bytes = text.into_bytes();
                for _ in 0..rng.random_range(1..6) {
                    if !bytes.is_empty() {
                        let at = rng.random_range(0..bytes.len());
                        bytes[at] = rng.random_range(0x20..0x7f);
                    }
                }
                text = String::from_utf8_lossy(&bytes).into_owned();
            }
            2 | 3 => {
                let spans = number_spans(&text);
                if !spans.is_empty() {
                    let (a, b) = spans[rng.random_range(0..spans.len())];
                    let value = if rng.random_bool(0.5) {
                        HOSTILE_TEXT[rng.random_range(0..HOSTILE_TEXT.len())].to_string()
                    } else {
                        toml_float(f64::from_bits(rng.next_u64()))
                    };
                    text.replace_range(a..b, &value);
                }
            }
            4 => {
                let lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let at = rng.random_range(0..lines.len());
                    let mut out: Vec<&str> = lines.clone();
                    if rng.random_bool(0.5) {
                        out.remove(at);
                    } else {
                        out.insert(at, lines[at]);
                    }
                    text = out.join("\n");
                }
            }
            5 => {
                let depth = rng.random_range(10..5000);
                let nested = match rng.random_bool(0.5) {
                    true => format!("deep = {}1{}\n", "[".repeat(depth), "]".repeat(depth)),
                    false => format!("deep = {}1{}\n", "{ a = ".repeat(depth), " }".repeat(depth)),
                };
                let at = text.find("\n[[team]]").map_or(text.len(), |i| i + 1);
                text.insert_str(at, &nested);
            }
            6 => {
                let long = "x".repeat(rng.random_range(1..200_000));
                let key = ["name", "timezone", "start", "skills", "distribution"][rng.random_range(0..5)];
                if let Some(at) = text.find(&format!("{key} = \"")) {
                    text.insert_str(at + key.len() + 4, &long);
                }
            }
            _ => {
                let header = ["[[queue]]\n", "[[team]]\n", "[scenario]\n", "[[team.shift]]\n", "[staffing]\n"];
                let at = text.find('\n').map_or(0, |i| i + 1);
                text.insert_str(at, header[rng.random_range(0..header.len())]);
            }
        }
    }
    text
}

/// Runs `check`, turning a panic into a failure that shows `input`.
fn no_panic(case: usize, input: &str, check: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(check)).is_err() {
        if let Ok(dir) = std::env::var("FUZZ_DUMP") {
            std::fs::write(format!("{dir}/case-{case}.toml"), input).unwrap();
        }
        panic!("case {case} panicked on:\n{}", input.chars().take(4000).collect::<String>());
    }
}

#[test]
fn broken_scenario_texts_give_a_model_or_placed_problems_never_a_panic() {
    let seeds = seeds();
    let mut rng = ChaCha8Rng::seed_from_u64(2027);
    for case in 0..3000 {
        let text = mutate(&mut rng, &seeds[case % seeds.len()]);
        no_panic(case, &text, || {
            if let Some(model) = compile(&text) {
                if case % 10 == 0 && small(&model) {
                    run_and_report(&model);
                }
            }
        });
    }
}

#[test]
fn hostile_numbers_in_every_field_compile_run_staff_and_report_finitely() {
    let mut rng = ChaCha8Rng::seed_from_u64(2028);
    let (mut compiled, mut ran) = (0, 0);
    for case in 0..2000 {
        let mut data = vec![0u8; 4096];
        rng.fill_bytes(&mut data);
        let text = numbers_scenario(&mut Bytes::new(&data));
        no_panic(case, &text, || {
            let Some(model) = compile(&text) else { return };
            compiled += 1;
            if small(&model) {
                ran += 1;
                run_and_report(&model);
                if case % 25 == 0 {
                    staff_and_report(&model);
                }
            }
        });
    }
    // The generator must reach the engine, not only the validator.
    assert!(ran > 50 && compiled >= ran, "{compiled} compiled, {ran} ran");
}

#[test]
fn the_calculator_answers_finitely_within_its_bounds() {
    let mut rng = ChaCha8Rng::seed_from_u64(2029);
    for case in 0..5000 {
        let mut data = vec![0u8; 96];
        rng.fill_bytes(&mut data);
        no_panic(case, &format!("{data:?}"), || erlang(&mut Bytes::new(&data)));
    }
}

/// The files `check --baseline`, `merge` and `schedule --requirement`
/// read, whole and broken (the `fuzz/` targets `baseline_json`,
/// `shard_json`, `requirement_csv` on stable): each is read, or refused
/// with a message, never a panic. Seeds: what wfmsim writes for the
/// shipped roster week (a report, the partials of two shards, a
/// requirement), and the tampering the hostile pass found.
#[test]
fn broken_baselines_partials_and_requirements_are_read_or_refused_never_a_panic() {
    use wfmsim::montecarlo::{run_shard, RunOptions};
    let model = files_model();
    let options = RunOptions { threads: Some(1), ..RunOptions::for_model(model) };
    let report = wfmsim::report::run::json::render(&wfmsim::montecarlo::run(model, &options, &|| {}).unwrap());
    let part = |k| wfmsim::report::run::json::render_partial(&run_shard(model, &options, k, 2, &|| {}).unwrap());
    let partials = format!("{}\0{}", part(1), part(2));
    let levels = wfmsim::staffing::teams::TeamLevels { levels: vec![vec![3; model.n_intervals]; model.teams.len()] };
    let requirement = wfmsim::report::staff::by_team::requirement_csv(model, &levels, &[]);
    let tampered = [
        report.replacen("\"replications\": 2", "\"replications\": 100000000", 1),
        report.replacen("\"ci95\": [", "\"ci95\": [-1e300, 1e300, ", 1),
        partials.replacen("\"shard\": [\n    1,\n    2\n  ]", "\"shard\": [1, 4294967295]", 1),
        partials.replacen("\"n\": 1", "\"n\": 100000000", 1),
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(2029);
    type Check = fn(&str);
    let seeds: [(&str, Check); 3] =
        [(&report, baseline_json), (&partials, shard_json), (&requirement, requirement_csv)];
    for (k, (seed, check)) in seeds.iter().enumerate() {
        no_panic(k, seed, || check(seed));
        for case in 0..150 {
            let text = mutate(&mut rng, seed);
            no_panic(case, &text, || check(&text));
        }
    }
    for (case, text) in tampered.iter().enumerate() {
        no_panic(case, text, || {
            baseline_json(text);
            shard_json(text);
        });
    }
}

/// History files (the `fuzz/` target `history_csv` on stable): the
/// simulator's own export of a day, whole and broken, as interval
/// history and as contact records, each read and fitted or refused with a
/// message, never a panic.
#[test]
fn broken_history_files_are_read_and_fitted_or_refused_never_a_panic() {
    let day = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/single-queue-day.toml")).unwrap();
    let mut model = wfmsim::input::compile(&day, "single-queue-day.toml").unwrap().model;
    model.replications = 1;
    let (mut intervals, mut contacts) = (Vec::new(), Vec::new());
    wfmsim::report::history::export(&model, 0, &mut intervals, &mut contacts).unwrap();
    let contacts: String = String::from_utf8(contacts).unwrap().lines().take(400).collect::<Vec<_>>().join("\n");
    let seeds = [(0u8, String::from_utf8(intervals).unwrap()), (1u8, contacts)];
    let mut rng = ChaCha8Rng::seed_from_u64(2030);
    for (pick, seed) in &seeds {
        let with = |text: &str| [&[*pick][..], text.as_bytes()].concat();
        no_panic(usize::from(*pick), seed, || history_csv(&with(seed)));
        for case in 0..150 {
            let text = mutate(&mut rng, seed);
            let preset = *pick + 2 * rng.random_range(0..3u8);
            no_panic(case, &text, || history_csv(&[&[preset][..], text.as_bytes()].concat()));
        }
    }
}

/// Found by the `scenario` fuzz target: a scenario named "Support nan one
/// weekday" ran and reported finitely, but the harness took the user's
/// word "nan" for a NaN figure. Names are the user's; figures are checked
/// around them.
#[test]
fn a_scenario_named_nan_is_a_name_not_a_nan_figure() {
    let text = std::fs::read_to_string("scenarios/single-queue-day.toml")
        .unwrap()
        .replacen("name = \"Support", "name = \"Support nan", 1)
        .replace("replications = 100", "replications = 2");
    let model = crate::fuzz_support::compile(&text).expect("a valid scenario");
    assert!(model.name.contains(" nan "), "{}", model.name);
    crate::fuzz_support::run_and_report(&model);
}
