//! The Slurm example run for real: `examples/scale/slurm-array.sh`
//! submitted with `sbatch --array=1-4`, `examples/scale/slurm-merge.sh` as a
//! job that waits for the array (`--dependency=afterok`), and the merged
//! report compared with the single run's bytes.
//!
//! Needs `sbatch` on PATH and a cluster that answers `sinfo`: `.ci/slurm-up`
//! starts one on this machine (`SLURM_CONF` names its configuration). The
//! jobs run in a directory under the build's target directory with the
//! binary the suite built, so every node must see that filesystem (one node
//! does). Without a cluster the test says it was skipped, unless
//! `WFMSIM_REQUIRE_SLURM=1` (as `.ci/run` sets), which makes its absence a
//! failure.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{files_ending, output_within, stderr, stdout, Watchdog};

const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/omnichannel-week.toml");
const SHARDS_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scale/slurm-array.sh");
const MERGE_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scale/slurm-merge.sh");

/// Array tasks, one shard each.
const TASKS: usize = 4;
/// Replications of the whole run: two per task.
const REPLICATIONS: &str = "8";
/// Run flags the tasks and the single run share, a what-if included.
const RUN_FLAGS: [&str; 4] = ["--seed", "11", "--set", "volume=*1.1"];
/// How long the five jobs may take, queueing included (on the 2-CPU CI
/// machine they take under ten seconds); past it the test fails with the
/// jobs' state and logs.
const JOBS_LIMIT: Duration = Duration::from_secs(90);
/// How long `sinfo` may take to say whether a cluster answers.
const PROBE_LIMIT: Duration = Duration::from_secs(20);
/// How long one Slurm command may take.
const COMMAND_LIMIT: Duration = Duration::from_secs(30);

/// Runs the Slurm command `args` (sinfo, sbatch, scontrol, ...) from `dir`.
fn slurm(args: &[&str], dir: &Path) -> Output {
    let mut command = Command::new(args[0]);
    command.args(&args[1..]).current_dir(dir);
    output_within(command, COMMAND_LIMIT)
}

/// Whether a cluster was asked for (`SLURM_CONF` or
/// `WFMSIM_REQUIRE_SLURM` set) and answers; when not, says why on stderr,
/// or panics when `WFMSIM_REQUIRE_SLURM=1`.
fn cluster() -> bool {
    let on_path = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("sbatch").is_file()));
    let asked = std::env::var_os("SLURM_CONF").is_some() || std::env::var_os("WFMSIM_REQUIRE_SLURM").is_some();
    let why_not = if !asked {
        // On a cluster's login node `cargo test` submits nothing unasked.
        Some("neither SLURM_CONF nor WFMSIM_REQUIRE_SLURM is set".to_string())
    } else if !on_path {
        Some("no sbatch on PATH".to_string())
    } else {
        // sinfo retries for a minute when its configuration file is
        // missing: one that has not answered by the limit is no cluster.
        let child = Command::new("sinfo")
            .args(["--noheader", "--format=%N %T"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sinfo starts");
        let watchdog = Watchdog::new(child.id(), PROBE_LIMIT);
        let o = child.wait_with_output().expect("sinfo ends");
        if watchdog.disarm() {
            Some(format!("sinfo did not answer within {PROBE_LIMIT:?}"))
        } else if !o.status.success() {
            let last = stderr(&o).lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default().to_string();
            Some(format!("no cluster answers sinfo ({})", last.trim()))
        } else if stdout(&o).trim().is_empty() {
            Some("sinfo lists no node".to_string())
        } else {
            None
        }
    };
    match why_not {
        None => true,
        Some(why) if std::env::var("WFMSIM_REQUIRE_SLURM").is_ok_and(|v| v == "1") => {
            panic!("WFMSIM_REQUIRE_SLURM=1 but {why}; .ci/slurm-up starts a cluster on this machine")
        }
        Some(why) => {
            // Straight to stderr: the test harness keeps what eprintln! says.
            let line = format!("SKIPPED: {why}; `.ci/slurm-up` (as root or through sudo) starts a one-node cluster for the Slurm test\n");
            let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
            false
        }
    }
}

/// A job's id from `sbatch --parsable` (`ID` or `ID;CLUSTER`).
fn submitted(o: &Output, what: &str) -> String {
    assert!(o.status.success(), "sbatch {what}: {}", stderr(o));
    let id = stdout(o).trim().split(';').next().unwrap_or_default().to_string();
    assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()), "sbatch {what} printed no job id: {}", stdout(o));
    id
}

/// Jobs the test submitted, cancelled when it ends (passing or not) so that
/// nothing it started is left in the queue.
struct Jobs<'a> {
    dir: &'a Path,
    ids: Vec<String>,
}

impl Drop for Jobs<'_> {
    fn drop(&mut self) {
        if !self.ids.is_empty() {
            let mut command = Command::new("scancel");
            command.args(&self.ids).current_dir(self.dir);
            let _ = command.output();
        }
    }
}

/// One job (or array task) as `scontrol show job --oneliner` describes it.
struct JobState {
    task: String,
    state: String,
    reason: String,
}

/// The state of job `id` (each task of an array); empty once slurmctld has
/// forgotten it.
fn job_states(id: &str, dir: &Path) -> Vec<JobState> {
    let o = slurm(&["scontrol", "show", "job", "--oneliner", id], dir);
    if !o.status.success() {
        assert!(stderr(&o).contains("Invalid job id"), "scontrol show job {id}: {}", stderr(&o));
        return Vec::new();
    }
    stdout(&o)
        .lines()
        .map(|line| {
            let field =
                |key: &str| line.split_whitespace().find_map(|w| w.strip_prefix(key)).unwrap_or_default().to_string();
            JobState { task: field("ArrayTaskId="), state: field("JobState="), reason: field("Reason=") }
        })
        .collect()
}

/// Everything there is to see about the jobs: their state, the node's and
/// each job's output; for the message of a failed test.
fn jobs_report(jobs: &Jobs, dir: &Path) -> String {
    let mut report = String::new();
    for id in &jobs.ids {
        let o = slurm(&["scontrol", "show", "job", id], dir);
        report += &format!("--- scontrol show job {id}\n{}{}", stdout(&o), stderr(&o));
    }
    let o = slurm(&["sinfo", "--Node", "--long"], dir);
    report += &format!("--- sinfo --Node --long\n{}{}", stdout(&o), stderr(&o));
    for log in files_ending(dir, "out") {
        report += &format!("--- {}\n{}", log.display(), std::fs::read_to_string(&log).unwrap_or_default());
    }
    report
}

#[test]
fn the_slurm_array_and_its_dependent_merge_give_the_single_runs_bytes() {
    if !cluster() {
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("slurm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut jobs = Jobs { dir: &dir, ids: Vec::new() };

    // As examples/scale/README.md says, plus what this test's cluster
    // needs: one CPU a task (a CI machine has two), a memory limit (the
    // tasks pass it to --max-memory), a short time limit, the suite's binary.
    let sbatch = |args: &[&str]| {
        let mut command = Command::new("sbatch");
        command
            .args(["--parsable", "--time=00:05:00", "--cpus-per-task=1", "--mem=1G"])
            .args(args)
            .current_dir(&dir)
            .env("WFMSIM", env!("CARGO_BIN_EXE_wfmsim"))
            .env("WFMSIM_REPLICATIONS", REPLICATIONS)
            .env_remove("WFMSIM_PERIOD")
            .env_remove("WFMSIM_PARTS")
            .env_remove("WFMSIM_SHARDS");
        output_within(command, COMMAND_LIMIT)
    };
    let array = format!("--array=1-{TASKS}");
    let mut shards = vec![array.as_str(), SHARDS_SCRIPT, SCENARIO];
    shards.extend(RUN_FLAGS);
    let array_id = submitted(&sbatch(&shards), "the array");
    jobs.ids.push(array_id.clone());
    let after = format!("--dependency=afterok:{array_id}");
    let merge_id = submitted(&sbatch(&[&after, MERGE_SCRIPT, "report.json"]), "the merge");
    jobs.ids.push(merge_id.clone());

    // Waits for the merge, which starts once every task has succeeded.
    let start = Instant::now();
    loop {
        let merge = job_states(&merge_id, &dir);
        let (state, reason) = merge.first().map(|j| (j.state.as_str(), j.reason.as_str())).unwrap_or(("FORGOTTEN", ""));
        match (state, reason) {
            ("COMPLETED" | "FORGOTTEN", _) => break,
            ("PENDING" | "CONFIGURING" | "RUNNING" | "COMPLETING", r) if r != "DependencyNeverSatisfied" => {}
            _ => panic!("the merge job is {state} ({reason}):\n{}", jobs_report(&jobs, &dir)),
        }
        assert!(
            start.elapsed() < JOBS_LIMIT,
            "the jobs had not finished after {JOBS_LIMIT:?}; merge {state} ({reason}):\n{}",
            jobs_report(&jobs, &dir)
        );
        std::thread::sleep(Duration::from_millis(250));
    }

    let tasks = job_states(&array_id, &dir);
    let mut done: Vec<&str> = tasks.iter().filter(|t| t.state == "COMPLETED").map(|t| t.task.as_str()).collect();
    done.sort();
    assert_eq!(done, ["1", "2", "3", "4"], "every array task completed:\n{}", jobs_report(&jobs, &dir));
    let mut parts: Vec<String> =
        std::fs::read_dir(dir.join("parts")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    parts.sort();
    assert_eq!(parts, ["part-1.json", "part-2.json", "part-3.json", "part-4.json"]);

    let single = dir.join("single.json");
    let mut run = crate::common::command(&["run", SCENARIO, "--replications", REPLICATIONS]);
    run.args(RUN_FLAGS).args(["--period", "month", "--format", "json", "--output", single.to_str().unwrap()]);
    let o = output_within(run, COMMAND_LIMIT);
    assert!(o.status.success(), "{}", stderr(&o));
    let merged = std::fs::read(dir.join("report.json"))
        .unwrap_or_else(|e| panic!("the merge job wrote no report.json ({e}):\n{}", jobs_report(&jobs, &dir)));
    assert!(merged == std::fs::read(&single).unwrap(), "the merged report differs from the single run's");
    assert!(String::from_utf8_lossy(&merged).contains("\"volume=*1.1\""), "the tasks ran with the run flags");
    // Every job has ended: nothing to cancel, and the directory can go.
    jobs.ids.clear();
    let _ = std::fs::remove_dir_all(&dir);
}
