//! The user guide (`docs/`, an mdBook) and README.md as tested documents.
//!
//! - Every page under `docs/src` is linked from `SUMMARY.md`, and every
//!   relative link of the book, README, CONTRIBUTING and CHANGELOG leads to
//!   a file that exists and, for a page's `#anchor`, to one of its headings.
//! - Every command in a `console` block runs as shown. The convention:
//!   a line `$ wfmsim ARGS` is a command, run with the built binary in a
//!   scratch directory that links the repository's `scenarios/`,
//!   `examples/` and `schema/` (so paths read as from the repository root,
//!   and what a command writes stays out of the work tree; the directory
//!   of an `-o`/`--output` file is created first); the commands of one
//!   block run in order in one directory, so a later command may read what
//!   an earlier one wrote. The lines after a command, up to the next `$`
//!   line or the block's end, are its output (stdout, then stderr), compared
//!   line by line with trailing spaces ignored; a line `...` stands for any
//!   number of lines. A command must exit 0 unless its line ends in a
//!   comment `# exits N`; a command whose comment is `# not run ...: REASON`
//!   is not run, and the reason must be given (they are listed when the
//!   test runs with `--nocapture`). A `wfmsim` command outside a `console`
//!   block fails the test: nothing escapes it by its fence.
//! - The reference's tables are held to the code: the scenario keys to the
//!   keys the parser accepts (from `wfmsim validate`'s own error for an
//!   unknown key, both ways), the KPI table to `wfmsim::kpi`, the command
//!   reference to `wfmsim --help` and each command's `--help`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use wfmsim::channel::Channel;
use wfmsim::kpi::{self, Bound, Kpi, Unit};

use crate::common::{command, stderr, stdout, wfmsim};

/// The repository root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The text of a file under the repository root.
fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The book's pages, as `SUMMARY.md` lists them (paths under `docs/src`).
fn summary_pages() -> Vec<String> {
    let summary = read("docs/src/SUMMARY.md");
    links(&summary).into_iter().map(|(_, target)| target).collect()
}

/// Every Markdown file under `docs/src` but `SUMMARY.md`, relative to it.
fn files_in_book() -> BTreeSet<String> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if path.extension().is_some_and(|x| x == "md") {
                out.insert(path.strip_prefix(base).unwrap().to_str().unwrap().to_string());
            }
        }
    }
    let base = root().join("docs/src");
    let mut files = BTreeSet::new();
    walk(&base, &base, &mut files);
    files.remove("SUMMARY.md");
    files
}

/// Every document checked: README.md and the book's pages, as paths from
/// the repository root.
fn documents() -> Vec<String> {
    let mut docs = vec!["README.md".to_string()];
    docs.extend(summary_pages().into_iter().map(|p| format!("docs/src/{p}")));
    docs
}

/// A document's lines outside fenced code blocks, with their numbers
/// (1-based).
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push((i + 1, line));
        }
    }
    out
}

/// A line without its inline code spans.
fn without_code(line: &str) -> String {
    let mut out = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        }
    }
    out
}

/// The inline links `[text](target)` of a text outside code, in order.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in prose(text) {
        let line = without_code(line);
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            out.push((n, after[..end].to_string()));
            rest = &after[end..];
        }
    }
    out
}

/// A heading's anchor as mdBook (and GitHub) make it: the text without
/// code and emphasis marks, lowercased, spaces to `-`, other punctuation
/// dropped.
fn anchor_of(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The anchors of a page's headings, a repeated one with `-1`, `-2`, ….
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (_, line) in prose(text) {
        let Some(title) = line.strip_prefix('#').map(|t| t.trim_start_matches('#')) else { continue };
        if !title.starts_with(' ') {
            continue;
        }
        let id = anchor_of(title.trim());
        let n = seen.entry(id.clone()).or_insert(0);
        out.insert(if *n == 0 { id.clone() } else { format!("{id}-{n}") });
        *n += 1;
    }
    out
}

#[test]
fn every_page_is_in_the_summary_and_every_link_resolves() {
    let pages = summary_pages();
    let listed: BTreeSet<String> = pages.iter().cloned().collect();
    assert_eq!(listed.len(), pages.len(), "SUMMARY.md lists a page twice: {pages:?}");
    let files = files_in_book();
    let unlisted: Vec<_> = files.difference(&listed).collect();
    assert!(unlisted.is_empty(), "pages not linked from docs/src/SUMMARY.md: {unlisted:?}");
    let missing: Vec<_> = listed.difference(&files).collect();
    assert!(missing.is_empty(), "SUMMARY.md links pages that do not exist: {missing:?}");

    let mut docs = documents();
    docs.extend(["CONTRIBUTING.md".to_string(), "CHANGELOG.md".to_string()]);
    let mut broken = Vec::new();
    for doc in &docs {
        let text = read(doc);
        let dir = Path::new(doc).parent().unwrap();
        for (line, target) in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() { PathBuf::from(doc) } else { normalize(&dir.join(path)) };
            let rel = file.to_str().unwrap();
            if !root().join(&file).exists() {
                broken.push(format!("{doc}:{line}: {target}: no such file {rel}"));
                continue;
            }
            if let Some(anchor) = anchor {
                if rel.ends_with(".md") && !anchors(&read(rel)).contains(anchor) {
                    broken.push(format!("{doc}:{line}: {target}: {rel} has no heading #{anchor}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// `a/b/../c` as `a/c`, for a path relative to the repository root.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                assert!(out.pop(), "{} leaves the repository", path.display());
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// One `$ wfmsim ...` line of a console block and what follows it.
#[derive(Debug)]
struct Example {
    /// Where: `FILE:LINE`.
    place: String,
    /// The command line as written, without the `$ `.
    line: String,
    /// Its arguments after `wfmsim`.
    args: Vec<String>,
    /// The exit status it must end with.
    exit: i32,
    /// Why it is not run, when it is not.
    not_run: Option<String>,
    /// The output shown (empty: none shown, not checked).
    shown: Vec<String>,
}

/// Splits a command line as a POSIX shell would for the quoting the book
/// uses (spaces, '...' and "..."), up to an unquoted `#`; the words and the
/// comment.
fn shell_words(line: &str) -> (Vec<String>, Option<String>) {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '#' if word.is_none() => return (words, Some(chars.as_str().trim().to_string())),
            '\'' | '"' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    w.push(q);
                }
            }
            other => word.get_or_insert_with(String::new).push(other),
        }
    }
    words.extend(word);
    (words, None)
}

/// The console blocks of a document: each a list of examples, in order.
fn console_blocks(doc: &str, text: &str) -> Vec<Vec<Example>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<Example>> = None;
    for (i, line) in text.lines().enumerate() {
        let place = format!("{doc}:{}", i + 1);
        if let Some(block) = current.as_mut() {
            if line.trim_start().starts_with("```") {
                blocks.push(current.take().unwrap());
            } else if let Some(command) = line.strip_prefix("$ ") {
                let (words, comment) = shell_words(command);
                assert_eq!(words.first().map(String::as_str), Some("wfmsim"), "{place}: a console command runs wfmsim");
                let mut example = Example {
                    place,
                    line: command.to_string(),
                    args: words[1..].to_vec(),
                    exit: 0,
                    not_run: None,
                    shown: Vec::new(),
                };
                match comment.as_deref() {
                    Some(c) if c.starts_with("not run") => {
                        let reason = c.split_once(':').map(|(_, r)| r.trim()).unwrap_or("");
                        assert!(!reason.is_empty(), "{}: `# not run` needs `: REASON`", example.place);
                        example.not_run = Some(reason.to_string());
                    }
                    Some(c) if c.starts_with("exits ") => {
                        example.exit = c["exits ".len()..].trim().parse().expect("# exits N");
                    }
                    _ => {}
                }
                block.push(example);
            } else if let Some(last) = block.last_mut() {
                last.shown.push(line.to_string());
            } else {
                panic!("{place}: a console block starts with a `$ wfmsim` line");
            }
        } else if line.trim() == "```console" {
            current = Some(Vec::new());
        } else if line.trim_start().starts_with("```") {
            current = None;
        }
    }
    blocks
}

/// The `wfmsim` command lines outside console blocks (in other fenced
/// blocks), which would escape the test.
fn commands_outside_console(doc: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            fence = if fence.is_some() { None } else { Some(info.trim()) };
        } else if fence.is_some_and(|f| f != "console") {
            let command = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
            if command.starts_with("wfmsim ") {
                out.push(format!("{doc}:{}: {line}", i + 1));
            }
        }
    }
    out
}

/// Whether `actual` is what `shown` shows: the shown lines in order, a
/// `...` line standing for any number of lines.
fn matches(shown: &[String], actual: &[&str]) -> bool {
    let shown: Vec<&str> = shown.iter().map(|l| l.trim_end()).collect();
    let segments: Vec<&[&str]> = shown.split(|l| l.trim() == "...").collect();
    let last = segments.len() - 1;
    let mut at = 0;
    for (i, segment) in segments.iter().enumerate() {
        let found = if i == last {
            let start = actual.len().checked_sub(segment.len());
            start.filter(|&s| s >= at && actual[s..] == **segment && (i > 0 || s == 0))
        } else if i == 0 {
            (actual.len() >= segment.len() && actual[..segment.len()] == **segment).then_some(0)
        } else {
            (at..=actual.len().saturating_sub(segment.len())).find(|&s| actual[s..s + segment.len()] == **segment)
        };
        match found {
            Some(s) => at = s + segment.len(),
            None => return false,
        }
    }
    true
}

/// A scratch directory for one console block: the repository's input
/// folders linked in, so paths read as from the repository root.
fn block_dir(name: &str) -> PathBuf {
    let dir = crate::common::scratch("docs", name);
    for folder in ["scenarios", "examples", "schema"] {
        std::os::unix::fs::symlink(root().join(folder), dir.join(folder)).unwrap();
    }
    dir
}

/// Runs an example in `dir`; what went wrong, if anything.
fn run_example(example: &Example, dir: &Path) -> Option<String> {
    let args: Vec<&str> = example.args.iter().map(String::as_str).collect();
    for pair in args.windows(2) {
        if pair[0] == "-o" || pair[0] == "--output" {
            if let Some(parent) = Path::new(pair[1]).parent() {
                std::fs::create_dir_all(dir.join(parent)).unwrap();
            }
        }
    }
    let o = command(&args).current_dir(dir).output().expect("wfmsim runs");
    let code = o.status.code().unwrap_or(-1);
    let text = format!("{}{}", stdout(&o), stderr(&o));
    let mut actual: Vec<&str> = text.lines().map(str::trim_end).collect();
    while actual.last() == Some(&"") {
        actual.pop();
    }
    let mut shown = example.shown.clone();
    while shown.last().is_some_and(|l| l.trim().is_empty()) {
        shown.pop();
    }
    let mut wrong = Vec::new();
    if code != example.exit {
        wrong.push(format!("exit {code}, the page says {}", example.exit));
    }
    if !shown.is_empty() && !matches(&shown, &actual) {
        wrong.push("output differs from the page".to_string());
    }
    (!wrong.is_empty()).then(|| {
        format!(
            "{}: $ {}\n  {}\n--- it prints:\n{}\n---",
            example.place,
            example.line,
            wrong.join("; "),
            actual.join("\n")
        )
    })
}

#[test]
fn every_console_command_in_the_book_runs_as_shown() {
    let mut failures = Vec::new();
    let mut not_run = Vec::new();
    let mut ran = 0;
    for doc in documents() {
        let text = read(&doc);
        failures.extend(commands_outside_console(&doc, &text).into_iter().map(|l| {
            format!("{l}\n  a wfmsim command outside a console block (write it as `$ wfmsim ...` in ```console)")
        }));
        for (b, block) in console_blocks(&doc, &text).into_iter().enumerate() {
            let name = format!("{}-{b}", doc.replace('/', "-").trim_end_matches(".md"));
            let dir = block_dir(&name);
            for example in &block {
                if let Some(reason) = &example.not_run {
                    let command = example.line.split(" #").next().unwrap_or_default().trim_end();
                    not_run.push(format!("{}: $ {command} — {reason}", example.place));
                    continue;
                }
                ran += 1;
                failures.extend(run_example(example, &dir));
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    println!("{ran} command(s) of the book run; not run, each with its reason on its page:");
    for line in &not_run {
        println!("  {line}");
    }
    assert!(ran >= 30, "only {ran} commands found: is the console convention still in use?");
    assert!(failures.is_empty(), "{} example(s) of the book fail:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn the_example_matcher_reads_dots_as_any_lines() {
    let shown = |s: &str| s.lines().map(String::from).collect::<Vec<_>>();
    let actual = ["a", "b", "c", "d"];
    assert!(matches(&shown("a\nb\nc\nd"), &actual));
    assert!(matches(&shown("a\n...\nd"), &actual));
    assert!(matches(&shown("...\nc\n..."), &actual));
    assert!(matches(&shown("a\n...\nb\n...\nd"), &actual));
    assert!(!matches(&shown("a\nc\n..."), &actual), "lines between are not skipped without dots");
    assert!(!matches(&shown("a\nb"), &actual), "the end is the end without dots");
    assert!(!matches(&shown("...\nd\n...\na"), &actual), "in order");
    assert_eq!(
        shell_words("wfmsim sweep s.toml --vary 'a b=1' --set \"x\"  # exits 1"),
        (
            ["wfmsim", "sweep", "s.toml", "--vary", "a b=1", "--set", "x"].map(String::from).to_vec(),
            Some("exits 1".to_string())
        )
    );
}

/// The rows of the Markdown tables under each `##` heading of a page:
/// heading → rows of cells (header and rule rows left out).
fn tables_by_heading(text: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let mut out: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    for (_, line) in prose(text) {
        if let Some(h) = line.strip_prefix("## ") {
            out.push((h.trim().to_string(), Vec::new()));
        } else if line.starts_with('|') {
            let Some((_, rows)) = out.last_mut() else { continue };
            let cells = split_row(line);
            if cells.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ':')) {
                rows.pop(); // the header row above the rule
                continue;
            }
            rows.push(cells);
        }
    }
    out
}

/// The cells of a table row, `\|` kept as `|`.
fn split_row(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => cells.last_mut().unwrap().push(chars.next().unwrap()),
            '|' => cells.push(String::new()),
            other => cells.last_mut().unwrap().push(other),
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The code spans of a text, in order.
fn code_spans(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(String::from).collect()
}

/// The scenario reference: table (`""` for the top level) → key → type.
fn documented_keys() -> BTreeMap<String, BTreeMap<String, String>> {
    let mut sections = BTreeMap::new();
    for (heading, rows) in tables_by_heading(&read("docs/src/reference/scenario.md")) {
        let names = if heading == "Top level" { vec![String::new()] } else { code_spans(&heading) };
        let keys: BTreeMap<String, String> = rows
            .iter()
            .map(|r| {
                let key = code_spans(&r[0]);
                assert_eq!(key.len(), 1, "scenario.md, {heading}: a row names one key: {r:?}");
                (key[0].clone(), r[1].clone())
            })
            .collect();
        for name in names {
            assert!(sections.insert(name.clone(), keys.clone()).is_none(), "scenario.md documents {name} twice");
        }
    }
    sections
}

/// A valid scenario's top-level tables; a probe of a table leaves the
/// file's own out.
const BASE: &[(&str, &str)] = &[
    (
        "scenario",
        "[scenario]\nname = \"probe\"\nstart = \"2026-11-23\"\ndays = 1\ninterval_minutes = 30\ntimezone = \"UTC\"\n",
    ),
    ("queue", "[[queue]]\nname = \"q\"\nhandle_time = { distribution = \"exponential\", mean_s = 100 }\narrivals = { rate_per_hour = 10 }\n"),
    ("team", "[[team]]\nname = \"t\"\nskills = [\"q\"]\nagents = 1\n"),
];

/// The unknown key every probe writes.
const PROBE: &str = "zzz_probe";

/// Tables read by the model compiler rather than serde: the probe needs
/// the rest of its table to parse (a skill needs a team with a name).
const IN_CONTEXT: &[(&str, &str)] =
    &[("team.skills", "team = [{ name = \"p\", agents = 1, skills = [{ queue = \"q\", zzz_probe = 1 }] }]\n")];

/// `wfmsim validate` on `probe` (written before the base's tables but the
/// one it replaces); the message of the problem that names the probe key
/// or, for a tagged table that reads the tag first, the missing tag.
fn validate_probe(section: &str, probe: &str) -> String {
    let top = section.split('.').next().unwrap();
    let mut text = probe.to_string();
    for (name, table) in BASE {
        if *name != top {
            text.push_str(table);
        }
    }
    let dir = crate::common::scratch("docs", &format!("probe-{section}"));
    let file = dir.join("probe.toml");
    std::fs::write(&file, &text).unwrap();
    let o = wfmsim(&["validate", file.to_str().unwrap()]);
    let err = stderr(&o);
    let _ = std::fs::remove_dir_all(&dir);
    err.lines()
        .find(|l| l.contains(PROBE) || l.contains("missing field `"))
        .unwrap_or_else(|| {
            panic!("{section}: no problem names the probe key; the file:\n{text}\nvalidate says:\n{err}")
        })
        .to_string()
}

/// The names a message lists after `expected` or `allowed:` (in backticks,
/// in quotes or bare, comma-separated).
fn listed(message: &str) -> BTreeSet<String> {
    let tail = ["expected ", "allowed: "]
        .iter()
        .filter_map(|w| message.rfind(w).map(|at| &message[at + w.len()..]))
        .next()
        .unwrap_or_else(|| panic!("no list of keys in: {message}"));
    let quoted = code_spans(tail);
    if !quoted.is_empty() {
        return quoted.into_iter().collect();
    }
    tail.split(',').map(|k| k.trim().trim_matches('"').to_string()).filter(|k| !k.is_empty()).collect()
}

/// The keys the parser accepts in `section`, from its errors: a table
/// written with the probe key alone (inside the tables above it, each a
/// table or a list of tables as the reference types them). A tagged table
/// (one whose first error is its missing tag) is probed once per variant
/// the tag allows, and its keys are the tag and every variant's.
fn parser_keys(section: &str, documented: &BTreeMap<String, BTreeMap<String, String>>) -> BTreeSet<String> {
    if let Some((_, probe)) = IN_CONTEXT.iter().find(|(s, _)| *s == section) {
        return listed(&validate_probe(section, probe));
    }
    if section.is_empty() {
        return listed(&validate_probe("", &format!("{PROBE} = 1\n")));
    }
    let wrap = |inner: &str| -> String {
        let parts: Vec<&str> = section.split('.').collect();
        let mut value = inner.to_string();
        for depth in (0..parts.len()).rev() {
            let parent = parts[..depth].join(".");
            let ty = &documented[&parent][parts[depth]];
            value = if ty.starts_with("list") { format!("[{value}]") } else { value };
            if depth > 0 {
                value = format!("{{ {} = {value} }}", parts[depth]);
            }
        }
        format!("{} = {value}\n", parts[0])
    };
    let message = validate_probe(section, &wrap(&format!("{{ {PROBE} = 1 }}")));
    let tag = message.split("missing field `").nth(1).and_then(|t| t.split('`').next());
    let Some(tag) = tag else { return listed(&message) };
    let variants = listed(&validate_probe(section, &wrap(&format!("{{ {tag} = \"{PROBE}\" }}"))));
    let mut keys = BTreeSet::from([tag.to_string()]);
    for v in variants {
        keys.extend(listed(&validate_probe(section, &wrap(&format!("{{ {tag} = \"{v}\", {PROBE} = 1 }}")))));
    }
    keys
}

#[test]
fn the_scenario_reference_lists_exactly_the_keys_the_parser_accepts() {
    let documented = documented_keys();
    let mut wrong = Vec::new();
    // A key typed as a table (or a list of tables) is a table of its own
    // with a section here, and each section is such a key of its parent.
    for (section, keys) in &documented {
        for (key, ty) in keys {
            let is_table = ty.contains("table") && !ty.starts_with("table of");
            let sub = if section.is_empty() { key.clone() } else { format!("{section}.{key}") };
            if is_table != documented.contains_key(&sub) {
                wrong.push(format!("{sub}: typed {ty:?}, but it has {} section", if is_table { "no" } else { "a" }));
            }
        }
    }
    for (section, keys) in &documented {
        let rows: BTreeSet<String> = keys.keys().cloned().collect();
        let accepted = parser_keys(section, &documented);
        let name = if section.is_empty() { "the top level" } else { section };
        for key in accepted.difference(&rows) {
            wrong.push(format!("{name}: the parser accepts `{key}`; docs/src/reference/scenario.md has no row for it"));
        }
        for key in rows.difference(&accepted) {
            wrong.push(format!("{name}: docs/src/reference/scenario.md lists `{key}`; the parser refuses it"));
        }
    }
    assert!(wrong.is_empty(), "the scenario reference and the parser disagree:\n{}", wrong.join("\n"));
}

#[test]
fn the_kpi_table_gives_every_kpi_its_one_definition() {
    let page = read("docs/src/reference/kpis.md");
    let rows: Vec<Vec<String>> = tables_by_heading(&page)
        .into_iter()
        .find(|(h, _)| h == "Every KPI at a glance")
        .expect("kpis.md has the table")
        .1;
    let keys: Vec<String> = rows.iter().map(|r| code_spans(&r[0]).concat()).collect();
    let expected: Vec<&str> = Kpi::ALL.iter().map(|k| k.key()).collect();
    assert_eq!(keys, expected, "a row per KPI, in report order");
    for (k, row) in Kpi::ALL.iter().zip(&rows) {
        let unit = match k.unit() {
            Unit::Count => "count",
            Unit::Share => "share",
            Unit::Seconds => "seconds",
            Unit::Hours => "hours",
        };
        let channels: Vec<&str> =
            Channel::ALL.iter().filter(|c| Kpi::for_channel(**c).contains(k)).map(|c| c.name()).collect();
        let channels = if channels.len() == Channel::ALL.len() { "all".to_string() } else { channels.join(", ") };
        let better = match k.better() {
            Some(Bound::AtLeast) => "higher",
            Some(Bound::AtMost) => "lower",
            None => "—",
        };
        assert_eq!(row[1], k.label(), "{}: name in tables", k.key());
        assert_eq!(row[2], unit, "{}: unit", k.key());
        assert_eq!(row[3], channels, "{}: channels", k.key());
        assert!(row[4].starts_with(better), "{}: better is {better}, the page says {}", k.key(), row[4]);
        assert_eq!(row[5], kpi::definition(*k), "{}: the one definition", k.key());
    }
}

/// The long flags (and `-o`) a `--help` text lists.
fn flags_in_help(help: &str) -> BTreeSet<String> {
    let mut flags = BTreeSet::new();
    for line in help.lines() {
        let line = line.trim_start();
        if !line.starts_with('-') {
            continue;
        }
        for word in line.split([' ', ',']) {
            if word.starts_with('-')
                && word.len() > 1
                && word != "-h"
                && word != "--help"
                && word != "-V"
                && word != "--version"
            {
                flags.insert(word.to_string());
            }
        }
    }
    flags
}

#[test]
fn the_command_reference_lists_every_command_and_flag() {
    let page = read("docs/src/reference/commands.md");
    let sections: BTreeMap<String, Vec<Vec<String>>> = tables_by_heading(&page)
        .into_iter()
        .filter_map(|(h, rows)| {
            h.strip_prefix("`wfmsim ").and_then(|c| c.strip_suffix('`')).map(|c| (c.to_string(), rows))
        })
        .collect();
    let help = stdout(&wfmsim(&["--help"]));
    let commands: BTreeSet<String> = help
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("wfmsim --help lists the commands")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect();
    let documented: BTreeSet<String> = sections.keys().cloned().collect();
    assert_eq!(documented, commands, "a section `wfmsim COMMAND` per command of wfmsim --help");
    let mut wrong = Vec::new();
    for (command, rows) in &sections {
        let accepted = flags_in_help(&stdout(&wfmsim(&[command.as_str(), "--help"])));
        let in_page: BTreeSet<String> = rows
            .iter()
            .flat_map(|r| code_spans(&r[0]))
            .filter_map(|span| span.split_whitespace().next().map(String::from))
            .filter(|f| f.starts_with('-'))
            .collect();
        for flag in accepted.difference(&in_page) {
            wrong.push(format!("wfmsim {command}: {flag} is in --help, not in the reference"));
        }
        for flag in in_page.difference(&accepted) {
            wrong.push(format!("wfmsim {command}: the reference lists {flag}, which --help does not"));
        }
    }
    assert!(wrong.is_empty(), "docs/src/reference/commands.md and the binary disagree:\n{}", wrong.join("\n"));
}

/// CONTRIBUTING's list of benches had lost two of them: it is held to the
/// files in `benches/`.
#[test]
fn contributing_lists_every_bench() {
    let page = read("CONTRIBUTING.md");
    let listed: BTreeSet<String> = page
        .lines()
        .filter_map(|l| l.strip_prefix("cargo bench --bench "))
        .filter_map(|rest| rest.split_whitespace().next().map(String::from))
        .collect();
    let benches: BTreeSet<String> = std::fs::read_dir(root().join("benches"))
        .expect("benches/ is readable")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".rs").map(String::from))
        .collect();
    assert_eq!(listed, benches, "`cargo bench --bench NAME` in CONTRIBUTING.md, one per file in benches/");
}
