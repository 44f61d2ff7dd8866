//! Helpers for the tests that run the `wfmsim` binary as a user does.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The `wfmsim` command with `args`, to be run from the project root.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wfmsim"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Runs `wfmsim` with `args` from the project root.
pub fn wfmsim(args: &[&str]) -> Output {
    command(args).output().expect("wfmsim runs")
}

/// Runs `wfmsim` with `args` from the project root; a run still going
/// after `limit` is killed and fails the test (a hang is a finding, not a
/// slow suite).
pub fn wfmsim_within(args: &[&str], limit: Duration) -> Output {
    output_within(command(args), limit)
}

/// Runs `command`, its output captured; one still going after `limit` is
/// killed and fails the test.
pub fn output_within(mut command: Command, limit: Duration) -> Output {
    let child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the command starts");
    let watchdog = Watchdog::new(child.id(), limit);
    let output = child.wait_with_output().expect("the command ends");
    assert!(!watchdog.disarm(), "{command:?} ran past {limit:?} and was killed");
    output
}

/// Kills a process with SIGKILL once a time limit has passed, unless
/// disarmed first.
pub struct Watchdog {
    disarm: mpsc::Sender<()>,
    fired: std::thread::JoinHandle<bool>,
}

impl Watchdog {
    /// Watches process `pid` for `limit`.
    pub fn new(pid: u32, limit: Duration) -> Self {
        let (disarm, disarmed) = mpsc::channel();
        let fired = std::thread::spawn(move || {
            let late = disarmed.recv_timeout(limit) == Err(mpsc::RecvTimeoutError::Timeout);
            if late {
                let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            }
            late
        });
        Watchdog { disarm, fired }
    }

    /// Stops watching (call it once the process has ended); whether the
    /// limit had passed and the process was killed.
    pub fn disarm(self) -> bool {
        let _ = self.disarm.send(());
        self.fired.join().expect("the watchdog ends")
    }
}

/// Its standard output, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

/// Its standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `wfmsim` with `args` as bad input: asserts exit 2 and nothing on
/// stdout; returns the message on stderr.
pub fn refused(args: &[&str]) -> String {
    let o = wfmsim(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    stderr(&o)
}

/// A fresh scratch directory, unique to this call: tests run in parallel in
/// one process, and two of them (or two calls of one helper) asking for the
/// same name must not share, and race on, one directory.
pub fn scratch(binary: &str, name: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("wfmsim-{binary}-{}-{call}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The head of a scenario of `days` days from Monday 2026-11-23, hourly,
/// in UTC: one queue `q` (exponential handle time of 300 s and patience of
/// 200 s, 80 % answered within 20 s, 20–30 calls an hour from 06:00 to
/// 22:00) and team `T` serving it at 20 an hour; its shift rules follow.
pub fn hourly_queue_and_team(name: &str, days: usize, replications: u32, seed: u64) -> String {
    format!(
        r#"
[scenario]
name = "{name}"
start = "2026-11-23"
days = {days}
interval_minutes = 60
timezone = "UTC"
replications = {replications}
seed = {seed}

[[queue]]
name = "q"
handle_time = {{ distribution = "exponential", mean_s = 300 }}
patience = {{ distribution = "exponential", mean_s = 200 }}
target = {{ service_level = 0.8, within_s = 20 }}
arrivals = {{ rates_per_hour = [0, 0, 0, 0, 0, 0, 20, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 20, 20, 0, 0] }}

[[team]]
name = "T"
skills = ["q"]
cost_per_hour = 20
"#
    )
}

/// Writes `text` to `dir/name`; the path, as the command line takes it.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// The scenario files shipped in `scenarios/` (not `scenarios/examples/`),
/// sorted.
pub fn shipped_scenarios() -> Vec<PathBuf> {
    let files = files_ending(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"), "toml");
    assert!(files.len() >= 3, "scenarios/ ships at least three examples");
    files
}

/// The files in `dir` whose extension is `extension`, sorted.
pub fn files_ending(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    files.sort();
    files
}

/// Runs `wfmsim ARGS --threads T` for T of 1, 2 and 3 and asserts that
/// each succeeds with the same bytes on stdout (the determinism every
/// command promises); those bytes.
pub fn same_bytes_whatever_the_threads(args: &[&str]) -> Vec<u8> {
    let run = |threads: &str| {
        let mut all = args.to_vec();
        all.extend(["--threads", threads]);
        let o = wfmsim(&all);
        assert!(o.status.success(), "{}: {}", all.join(" "), stderr(&o));
        o.stdout
    };
    let one = run("1");
    for threads in ["2", "3"] {
        assert!(one == run(threads), "{}: 1 and {threads} threads give other bytes", args.join(" "));
    }
    one
}
