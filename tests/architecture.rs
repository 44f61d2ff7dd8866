//! The house's invariants (ARCHITECTURE.md names this module for each),
//! read from the source as text: imports only point down the floors of
//! the library, the engine never sees the scenario's formats or the
//! machine, only the binary prints or exits, every random stream comes
//! from one table, and the binary's `main` only dispatches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's top-level modules by floor, lowest first. A module may
/// import only from lower floors: "no import runs back up the house".
const FLOORS: &[&[&str]] = &[
    // Vocabulary, formulas and inputs that need no model.
    &["fault", "channel", "streams", "stats", "cover", "forecast"],
    &["diagnostic", "kpi"],
    &["dist", "erlang", "history"],
    // The compiled scenario.
    &["model"],
    // What reads into it, and what one replication counts.
    &["input", "periods", "counters"],
    // One replication; fits from history into the scenario's terms.
    &["engine", "fit"],
    // Results of many replications.
    &["results"],
    &["montecarlo"],
    // What drives the Monte Carlo.
    &["budget", "merge", "compare", "staffing"],
    &["verdict", "schedule", "plan"],
    // The roster's shifts given to people.
    &["sweep", "assign"],
    // Every document, in every format.
    &["report"],
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A file's code: comments dropped and its test module cut off.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap();
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// The library's files by top-level module (`src/input/whatif.rs` is
/// `input`); the binary's (`main.rs`, `commands/`) left out.
fn library() -> BTreeMap<String, Vec<PathBuf>> {
    let src = root().join("src");
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for path in rust_files(&src) {
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_str().unwrap().trim_end_matches(".rs").to_string();
        if ["main", "lib", "commands"].contains(&first.as_str()) {
            continue;
        }
        modules.entry(first).or_default().push(path);
    }
    modules
}

/// `crate::X` paths a module's code names, X other than itself.
fn imports(files: &[PathBuf], module: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in files {
        let text = code(f);
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name != module && !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn imports_only_point_down_the_floors_of_the_library() {
    let floor_of: BTreeMap<&str, usize> =
        FLOORS.iter().enumerate().flat_map(|(f, ms)| ms.iter().map(move |m| (*m, f))).collect();
    let modules = library();
    let unplaced: Vec<&String> = modules.keys().filter(|m| !floor_of.contains_key(m.as_str())).collect();
    assert!(unplaced.is_empty(), "modules with no floor in tests/architecture.rs (place them): {unplaced:?}");
    let mut upward = Vec::new();
    for (module, files) in &modules {
        let own = floor_of[module.as_str()];
        for used in imports(files, module) {
            match floor_of.get(used.as_str()) {
                Some(&f) if f < own => {}
                Some(&f) => upward.push(format!("{module} (floor {own}) imports {used} (floor {f})")),
                None => upward.push(format!("{module} imports crate::{used}, which is no module")),
            }
        }
    }
    assert!(upward.is_empty(), "imports that run up the house:\n{}", upward.join("\n"));
}

#[test]
fn the_engine_never_sees_toml_serde_threads_or_the_command_line() {
    for path in rust_files(&root().join("src/engine")) {
        let text = code(&path);
        for word in ["toml", "serde", "rayon", "clap", "indicatif", "crate::input", "crate::report"] {
            assert!(!text.contains(word), "{}: the engine names {word}", path.display());
        }
    }
}

#[test]
fn only_the_binary_prints_exits_or_parses_the_command_line() {
    for files in library().values() {
        for path in files {
            let text = code(path);
            for word in ["println!", "eprintln!", "print!(", "eprint!(", "process::exit", "clap::", "indicatif"] {
                assert!(!text.contains(word), "{}: the library uses {word}", path.display());
            }
        }
    }
}

/// Every generator of the simulation and the plan comes from
/// `streams::stream`: no module seeds one of its own, so each random
/// source keeps its own stream (`streams::tests` checks the table).
#[test]
fn every_random_stream_comes_from_the_one_table() {
    for (module, files) in library() {
        for path in files {
            let text = code(&path);
            // The covering solver's local search seeds its own generator
            // from its options (it draws no simulation's numbers).
            let own_seed = module == "streams" || path.ends_with("cover/search.rs") || path.ends_with("tests.rs");
            if !own_seed {
                assert!(!text.contains("set_stream"), "{}: sets a stream outside streams.rs", path.display());
                assert!(!text.contains("seed_from_u64"), "{}: seeds a generator outside streams.rs", path.display());
            }
        }
    }
}

#[test]
fn main_parses_and_dispatches_only() {
    let main = std::fs::read_to_string(root().join("src/main.rs")).unwrap();
    let lines = main.lines().count();
    assert!(lines < 200, "src/main.rs has {lines} lines; a command's work belongs in src/commands/");
    let functions = main.matches("\nfn ").count();
    assert_eq!(functions, 1, "src/main.rs defines only `main`");
    for path in rust_files(&root().join("src/commands")) {
        assert!(!code(&path).contains("crate::main"), "{}: a command reaches back into main.rs", path.display());
    }
}
