//! A run split into shards and merged gives the bytes of the single run;
//! merging refuses anything that is not every shard of one run.

use crate::common::{stderr, wfmsim};

fn scratch(name: &str) -> std::path::PathBuf {
    crate::common::scratch("shards", name)
}

const SCENARIO: &str = "scenarios/omnichannel-week.toml";

/// Runs shard `k/n` with `extra` flags into `dir`; the partial's path.
fn shard(dir: &std::path::Path, k: u32, n: u32, extra: &[&str]) -> String {
    let path = dir.join(format!("part-{k}-of-{n}.json")).to_str().unwrap().to_string();
    let spec = format!("{k}/{n}");
    let mut args = vec!["run", SCENARIO, "--replications", "10", "--shard", &spec, "--output", &path];
    args.extend_from_slice(extra);
    let o = wfmsim(&args);
    assert!(o.status.success(), "shard {spec}: {}", stderr(&o));
    path
}

#[test]
fn merged_shards_give_the_single_runs_bytes_in_any_order() {
    let dir = scratch("bytes");
    for format in ["json", "csv", "table", "markdown"] {
        let single = wfmsim(&["run", SCENARIO, "--replications", "10", "--format", format, "--period", "week"]);
        assert!(single.status.success(), "{}", stderr(&single));
        for n in [1u32, 3, 4] {
            let mut parts: Vec<String> = (1..=n).map(|k| shard(&dir, k, n, &["--period", "week"])).collect();
            parts.reverse();
            let mut args = vec!["merge", "--format", format, "--period", "week"];
            args.extend(parts.iter().map(String::as_str));
            let merged = wfmsim(&args);
            assert!(merged.status.success(), "{}", stderr(&merged));
            assert!(merged.stdout == single.stdout, "{format}, {n} shards: merged output differs from the single run");
        }
    }
}

#[test]
fn merge_can_give_less_detail_than_the_shards_carry_but_not_more() {
    let dir = scratch("detail");
    let parts: Vec<String> = (1..=2).map(|k| shard(&dir, k, 2, &["--detail", "interval"])).collect();
    let single = wfmsim(&["run", SCENARIO, "--replications", "10", "--format", "json", "--detail", "horizon"]);
    let merged = wfmsim(&["merge", "--format", "json", "--detail", "horizon", &parts[0], &parts[1]]);
    assert_eq!(merged.stdout, single.stdout);

    let parts: Vec<String> = (1..=2).map(|k| shard(&dir, k, 2, &[])).collect();
    let o = wfmsim(&["merge", "--detail", "interval", &parts[0], &parts[1]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the shards were run with --detail period"), "{}", stderr(&o));
    let o = wfmsim(&["merge", "--period", "month", &parts[0], &parts[1]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the shards were run with --period day"), "{}", stderr(&o));
}

#[test]
fn merge_refuses_missing_duplicate_foreign_and_damaged_shards() {
    let dir = scratch("refuse");
    let parts: Vec<String> = (1..=3).map(|k| shard(&dir, k, 3, &[])).collect();
    let refused = |args: &[&str], says: &str| {
        let mut all = vec!["merge"];
        all.extend_from_slice(args);
        let o = wfmsim(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "nothing printed");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    };
    refused(&[&parts[0], &parts[2]], "shards missing: 2/3");
    refused(&[&parts[0], &parts[1], &parts[1], &parts[2]], "shard 2/3 is given twice");

    let other_seed = dir.join("seed.json");
    let o = wfmsim(&[
        "run",
        SCENARIO,
        "--replications",
        "10",
        "--seed",
        "9",
        "--shard",
        "2/3",
        "--output",
        other_seed.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    refused(&[&parts[0], other_seed.to_str().unwrap(), &parts[2]], "their seed differ");

    let what_if = dir.join("whatif.json");
    let o = wfmsim(&[
        "run",
        SCENARIO,
        "--replications",
        "10",
        "--volume-scale",
        "1.1",
        "--shard",
        "2/3",
        "--output",
        what_if.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    refused(&[&parts[0], what_if.to_str().unwrap(), &parts[2]], "their what-ifs differ");

    let report = dir.join("report.json");
    let o = wfmsim(&["run", SCENARIO, "--replications", "2", "--format", "json", "--output", report.to_str().unwrap()]);
    assert!(o.status.success());
    refused(&[report.to_str().unwrap()], "a report, not a partial");

    let truncated = dir.join("truncated.json");
    let text = std::fs::read_to_string(&parts[0]).unwrap();
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    refused(&[truncated.to_str().unwrap(), &parts[1], &parts[2]], "not valid JSON");

    let foreign = dir.join("foreign.json");
    std::fs::write(&foreign, "{\"hello\": 1}").unwrap();
    refused(&[foreign.to_str().unwrap()], "not a wfmsim partial");
}

#[test]
fn bad_shard_and_report_flags_are_refused_before_running() {
    let dir = scratch("flags");
    let out = dir.join("p.json");
    for (args, says) in [
        (vec!["run", SCENARIO, "--shard", "0/4", "--output", out.to_str().unwrap()], "is not a shard"),
        (vec!["run", SCENARIO, "--shard", "5/4", "--output", out.to_str().unwrap()], "is not a shard"),
        (vec!["run", SCENARIO, "--shard", "1/4"], "give --output FILE"),
        (vec!["run", SCENARIO, "--period", "fortnight"], "invalid value 'fortnight'"),
        (vec!["run", SCENARIO, "--detail", "everything"], "invalid value 'everything'"),
    ] {
        let o = wfmsim(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "nothing written");
    }
}

#[test]
fn the_slurm_example_runs_each_task_as_a_shard_and_merge_reassembles_them() {
    let dir = scratch("slurm");
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_wfmsim")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scale/slurm-array.sh");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/single-queue-day.toml");
    for k in ["1", "2"] {
        let o = std::process::Command::new("bash")
            .args([script, scenario])
            .current_dir(&dir)
            .env("PATH", &path)
            .env("SLURM_ARRAY_TASK_COUNT", "2")
            .env("SLURM_ARRAY_TASK_ID", k)
            .env("WFMSIM_REPLICATIONS", "6")
            .output()
            .unwrap();
        assert!(o.status.success(), "task {k}: {}", stderr(&o));
    }
    let parts = [dir.join("parts/part-1.json"), dir.join("parts/part-2.json")];
    let merged = wfmsim(&["merge", "--period", "month", parts[0].to_str().unwrap(), parts[1].to_str().unwrap()]);
    let single = wfmsim(&["run", "scenarios/single-queue-day.toml", "--replications", "6", "--period", "month"]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    assert_eq!(merged.stdout, single.stdout);
}
