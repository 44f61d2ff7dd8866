//! Merging shards: the partial results of `run --shard K/N` combined into
//! the report one run over all replications gives. Partials of different
//! runs (scenario, seed, version, what-ifs, replications, detail or
//! period), missing or duplicate shards, and files that are not partials
//! are refused with the reason.

use crate::periods::PeriodKind;
use crate::results::{finish, Detail, Partial, Results, PARTIAL_FORMAT};

/// Why shards cannot be merged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct MergeError(pub String);

crate::fault::blame!(Input: MergeError);

fn fail<T>(message: String) -> Result<T, MergeError> {
    Err(MergeError(message))
}

/// Merges `parts` (file name, text) into results carrying `detail` (`None`:
/// what the shards carry), grouped by `period` (which must be the shards'
/// own).
pub fn merge(parts: &[(String, String)], detail: Option<Detail>, period: PeriodKind) -> Result<Results, MergeError> {
    let partials = parts.iter().map(|(name, text)| read(name, text)).collect::<Result<Vec<_>, _>>()?;
    let Some(first) = partials.first() else { return fail("no partial to merge".into()) };
    for (i, p) in partials.iter().enumerate().skip(1) {
        same_run(&parts[0].0, first, &parts[i].0, p)?;
    }
    complete(parts, &partials)?;
    let frame = &first.frame;
    if frame.meta.period != period {
        return fail(format!(
            "the shards were run with --period {}; merge them with the same --period (or run the shards again)",
            frame.meta.period.name()
        ));
    }
    let detail = detail.unwrap_or(frame.meta.detail);
    if detail > frame.meta.detail {
        return fail(format!(
            "the shards were run with --detail {}; merge can give that or less, not --detail {}",
            frame.meta.detail.name(),
            detail.name()
        ));
    }
    let mut tally = first.tally.clone();
    for p in &partials[1..] {
        tally.merge(&p.tally);
    }
    Ok(finish(frame, &tally, detail))
}

/// One partial file, refused unless it is one.
fn read(name: &str, text: &str) -> Result<Partial, MergeError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| MergeError(format!("{name}: not a wfmsim partial: not valid JSON ({e}); it may be truncated")))?;
    if value.get("schema_version").is_some() {
        return fail(format!(
            "{name}: a report, not a partial; merge the files written by `run --shard K/N --output FILE`"
        ));
    }
    if value.get("format").and_then(|f| f.as_str()) != Some(PARTIAL_FORMAT) {
        return fail(format!("{name}: not a wfmsim partial (no \"format\": \"{PARTIAL_FORMAT}\")"));
    }
    let partial: Partial =
        serde_json::from_value(value).map_err(|e| MergeError(format!("{name}: a damaged wfmsim partial: {e}")))?;
    let version = env!("CARGO_PKG_VERSION");
    if partial.frame.meta.provenance.wfmsim_version != version {
        return fail(format!(
            "{name}: written by wfmsim {}, this is wfmsim {version}; merge with the version that ran the shards",
            partial.frame.meta.provenance.wfmsim_version
        ));
    }
    Ok(partial)
}

/// Refuses `b` unless it is a shard of the same run as `a`, naming the
/// first thing that differs.
fn same_run(a_name: &str, a: &Partial, b_name: &str, b: &Partial) -> Result<(), MergeError> {
    let (pa, pb) = (&a.frame.meta.provenance, &b.frame.meta.provenance);
    let differs = [
        ("scenario file (sha256)", pa.scenario_sha256 != pb.scenario_sha256),
        ("seed", pa.seed != pb.seed),
        ("replications", pa.replications != pb.replications),
        ("what-ifs", pa.what_ifs != pb.what_ifs),
        ("--detail", a.frame.meta.detail != b.frame.meta.detail),
        ("--period", a.frame.meta.period != b.frame.meta.period),
        ("number of shards", a.shard[1] != b.shard[1]),
        ("scenario", a.frame != b.frame),
    ];
    match differs.iter().find(|(_, d)| *d) {
        Some((what, _)) => fail(format!("{b_name} and {a_name} are shards of different runs: their {what} differ")),
        None => Ok(()),
    }
}

/// Refuses a set of shards with one missing or given twice, or whose
/// replications do not match their shard number.
fn complete(parts: &[(String, String)], partials: &[Partial]) -> Result<(), MergeError> {
    let n = partials[0].shard[1];
    let mut seen: Vec<Option<&str>> = vec![None; n as usize];
    for ((name, _), p) in parts.iter().zip(partials) {
        let k = p.shard[0];
        if k == 0 || k > n {
            return fail(format!("{name}: shard {k}/{n} does not exist"));
        }
        let want = crate::montecarlo::shard_range(p.frame.meta.provenance.replications, k, n);
        if p.replications != [want.start, want.end] {
            return fail(format!("{name}: shard {k}/{n} holds replications {:?}, not {want:?}", p.replications));
        }
        if let Some(other) = seen[k as usize - 1].replace(name) {
            return fail(format!("shard {k}/{n} is given twice: {other} and {name}"));
        }
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(k, _)| format!("{}/{n}", k + 1)).collect();
    if !missing.is_empty() {
        return fail(format!("shards missing: {}; merge every shard of the run", missing.join(", ")));
    }
    Ok(())
}
