//! Operations of many queues and teams, generated as the scale bench's
//! (`benches/scale/scenario.rs`, shared): the memory estimate made before
//! a run (`budget`) against the peak the run really holds, and the load
//! the generator promises.

#[path = "../benches/scale/scenario.rs"]
mod scenario;

use std::process::Stdio;

use scenario::Floor;
use wfmsim::budget;
use wfmsim::engine::simulate;
use wfmsim::periods::PeriodKind;
use wfmsim::report::Format;
use wfmsim::results::Detail;

use crate::common::{command, scratch};

/// The peak resident memory of `wfmsim` run with `args`, bytes: the
/// child's `VmHWM` (`/proc/PID/status`, its own high-water mark since
/// `exec`), read every millisecond until it exits. Not `wait4`'s
/// `ru_maxrss`: Linux carries into it the resident size of the process
/// that spawned the child (this test binary, a hundred MiB and more while
/// the suite runs), so it measures the suite, not the run.
fn peak_resident_bytes(args: &[&str]) -> u64 {
    let mut child = command(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("wfmsim runs");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_path) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak_kib = peak_kib.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().expect("wait for wfmsim") {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    assert!(status.success(), "wfmsim {args:?}: {status}");
    assert!(peak_kib > 0, "no VmHWM read from {status_path}");
    peak_kib * 1024
}

/// The estimate bounds the peak on operations of many queues: one team
/// serving 500 queues (20 replications of a day, the horizon reported),
/// and 50 queues and 50 teams each serving four (a day, every interval
/// reported), on two threads.
#[test]
fn the_memory_estimate_bounds_the_peak_of_runs_with_many_queues() {
    let dir = scratch("scale", "memory");
    let cases = [
        (Floor { replications: 20, ..Floor::one_team(500) }, Detail::Horizon, "horizon"),
        (Floor { days: 1, replications: 4, ..Floor::square(50, 4) }, Detail::Interval, "interval"),
    ];
    for (floor, detail, detail_name) in cases {
        let path = dir.join(format!("{}.toml", floor.id()));
        std::fs::write(&path, floor.toml()).unwrap();
        let estimate = budget::for_run(&floor.model(), 2, detail, PeriodKind::Day, Format::Json.bytes_per_period());
        let path = path.to_str().unwrap();
        let args = ["run", path, "--threads", "2", "--format", "json", "--detail", detail_name];
        let peak = peak_resident_bytes(&args);
        assert!(
            estimate.total() >= peak as f64,
            "{}: estimated {} < measured peak {}\n{estimate:#?}",
            floor.label(),
            budget::human(estimate.total()),
            budget::human(peak as f64)
        );
    }
}

/// The generated operations load their agents as the bench says: with
/// patience of a day (nobody abandons), busy time / staffed time is
/// [`scenario::LOAD`], whatever the queues, teams and skills.
#[test]
fn generated_operations_occupy_their_agents_at_the_stated_load() {
    let day = |floor: Floor| Floor { days: 1, ..floor };
    for floor in [day(Floor::square(1, 1)), day(Floor::square(10, 3)), Floor { days: 20, ..Floor::one_team(50) }] {
        let floor = Floor { patience_s: 86_400.0, ..floor };
        let model = floor.model();
        let c = simulate(&model, 0);
        let teams: Vec<usize> = (0..model.teams.len()).collect();
        let agents = c.team_sum(&teams, c.span());
        let occupancy = agents.busy_s / agents.staffed_s;
        let offered: u64 = (0..model.queues.len()).map(|q| c.total(q).offered as u64).sum();
        assert!((offered as f64 / floor.contacts_per_replication() - 1.0).abs() < 0.02, "{}: {offered}", floor.label());
        assert!((occupancy - scenario::LOAD).abs() < 0.02, "{}: occupancy {occupancy:.3}", floor.label());
    }
}
