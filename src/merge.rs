//! Merging shards: the partial results of `run --shard K/N` combined into
//! the report one run over all replications gives. Partials of different
//! runs (scenario, seed, version, what-ifs, replications, detail or
//! period), missing or duplicate shards, and files that are not partials
//! are refused with the reason.
//!
//! Every number a partial carries is checked against what it claims
//! before anything is merged (`check`), so that a damaged or tampered
//! file is refused, naming the file and the JSON path, never merged into a
//! report that misstates the run (a shard relabelled 1 of 1 was reported
//! as 9 replications from 3), never a panic or a runaway allocation (a
//! shard count of 4294967295 asked for 64 GiB).

use std::ops::Range;

use crate::channel::Channel;
use crate::kpi::{Kpi, Unit};
use crate::model::{MAX_DAYS, MAX_REPLICATIONS};
use crate::montecarlo::{self, shard_range, MAX_SHARDS};
use crate::periods::PeriodKind;
use crate::results::{kpi_scale, Detail, Frame, Partial, PeriodTally, Results, TeamTally, PARTIAL_FORMAT};
use crate::results::{Span, TeamSpan, TEAM_SCALE};
use crate::stats::tally::{Scale, Tally};

/// Most shards named in a message about missing ones.
const MISSING_LISTED: usize = 10;

/// Why shards cannot be merged. Each names the file (as given) it is
/// about, where it is about one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    /// No file was given.
    #[error("no partial to merge")]
    Nothing,
    /// The file is not JSON (perhaps cut short).
    #[error("{file}: not a wfmsim partial: not valid JSON ({reason}); it may be truncated")]
    NotJson {
        /// The file.
        file: String,
        /// The JSON reader's words.
        reason: String,
    },
    /// The file is a report (it has a `schema_version`), not a partial.
    #[error("{file}: a report, not a partial; merge the files written by `run --shard K/N --output FILE`")]
    Report {
        /// The file.
        file: String,
    },
    /// The file is JSON but not a partial.
    #[error("{file}: not a wfmsim partial (no \"format\": \"{PARTIAL_FORMAT}\")")]
    NotPartial {
        /// The file.
        file: String,
    },
    /// The file says it is a partial but does not have a partial's layout.
    #[error("{file}: a damaged wfmsim partial: {reason}")]
    Damaged {
        /// The file.
        file: String,
        /// The JSON reader's words.
        reason: String,
    },
    /// The file was written by another version of wfmsim.
    #[error(
        "{file}: written by wfmsim {written}, this is wfmsim {current}; merge with the version that ran the shards"
    )]
    Version {
        /// The file.
        file: String,
        /// The version that wrote it.
        written: String,
        /// This version.
        current: String,
    },
    /// A number of the partial cannot be what it claims.
    #[error("{file}: {path}: {found}; allowed: {allowed}")]
    Figure {
        /// The file.
        file: String,
        /// Where in it, as a JSON path (`tally.queues[0].horizon.n`).
        path: String,
        /// What it holds.
        found: String,
        /// What it may hold.
        allowed: String,
    },
    /// Two files are shards of different runs.
    #[error("{file} and {first} are shards of different runs: their {what} differ")]
    DifferentRuns {
        /// The file that differs.
        file: String,
        /// The first file given.
        first: String,
        /// What differs (`seed`, `--detail`, …).
        what: &'static str,
    },
    /// A shard's replications are not the ones its number gives.
    #[error("{file}: shard {shard}/{shards} holds replications {holds:?}, not {want:?}")]
    Replications {
        /// The file.
        file: String,
        /// Its shard number, 1-based.
        shard: u32,
        /// The number of shards.
        shards: u32,
        /// The replications it says it holds.
        holds: [u32; 2],
        /// The replications shard `shard` of `shards` holds.
        want: Range<u32>,
    },
    /// The same shard is given twice.
    #[error("shard {shard}/{shards} is given twice: {first} and {second}")]
    Twice {
        /// The shard, 1-based.
        shard: u32,
        /// The number of shards.
        shards: u32,
        /// The first file holding it.
        first: String,
        /// The second.
        second: String,
    },
    /// Shards are missing.
    #[error("shards missing: {}; merge every shard of the run", listed(.missing, *.shards))]
    Missing {
        /// The shards missing, 1-based.
        missing: Vec<u32>,
        /// The number of shards.
        shards: u32,
    },
    /// The shards were run with another `--period`.
    #[error("the shards were run with --period {shards}; merge them with the same --period (or run the shards again)")]
    Period {
        /// The shards' period.
        shards: &'static str,
    },
    /// More detail is asked for than the shards carry.
    #[error("the shards were run with --detail {shards}; merge can give that or less, not --detail {asked}")]
    Detail {
        /// The shards' detail.
        shards: &'static str,
        /// The detail asked for.
        asked: &'static str,
    },
}

crate::fault::blame!(Input: MergeError);

/// `2/4, 3/4`, the first [`MISSING_LISTED`] and how many more.
fn listed(missing: &[u32], shards: u32) -> String {
    let mut text: Vec<String> = missing.iter().take(MISSING_LISTED).map(|k| format!("{k}/{shards}")).collect();
    if missing.len() > MISSING_LISTED {
        text.push(format!("and {} more", missing.len() - MISSING_LISTED));
    }
    text.join(", ")
}

/// Merges `parts` (file name, text) into results carrying `detail` (`None`:
/// what the shards carry), grouped by `period` (which must be the shards'
/// own).
pub fn merge(parts: &[(String, String)], detail: Option<Detail>, period: PeriodKind) -> Result<Results, MergeError> {
    let partials = parts.iter().map(|(name, text)| read(name, text)).collect::<Result<Vec<_>, _>>()?;
    let Some(first) = partials.first() else { return Err(MergeError::Nothing) };
    for (i, p) in partials.iter().enumerate().skip(1) {
        same_run(&parts[0].0, first, &parts[i].0, p)?;
    }
    complete(parts, &partials)?;
    let frame = &first.frame;
    if frame.meta.period != period {
        return Err(MergeError::Period { shards: frame.meta.period.name() });
    }
    let detail = detail.unwrap_or(frame.meta.detail);
    if detail > frame.meta.detail {
        return Err(MergeError::Detail { shards: frame.meta.detail.name(), asked: detail.name() });
    }
    let mut tally = first.tally.clone();
    for p in &partials[1..] {
        tally.merge(&p.tally);
    }
    Ok(montecarlo::finish(frame, &tally, detail))
}

/// One partial file, refused unless it is one and every number in it is
/// what it claims.
fn read(name: &str, text: &str) -> Result<Partial, MergeError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| MergeError::NotJson { file: name.to_string(), reason: e.to_string() })?;
    if value.get("schema_version").is_some() {
        return Err(MergeError::Report { file: name.to_string() });
    }
    if value.get("format").and_then(|f| f.as_str()) != Some(PARTIAL_FORMAT) {
        return Err(MergeError::NotPartial { file: name.to_string() });
    }
    let partial: Partial = serde_json::from_value(value)
        .map_err(|e| MergeError::Damaged { file: name.to_string(), reason: e.to_string() })?;
    let version = env!("CARGO_PKG_VERSION");
    if partial.frame.meta.provenance.wfmsim_version != version {
        return Err(MergeError::Version {
            file: name.to_string(),
            written: partial.frame.meta.provenance.wfmsim_version.clone(),
            current: version.to_string(),
        });
    }
    check(&partial).map_err(|Wrong { path, found, allowed }| MergeError::Figure {
        file: name.to_string(),
        path,
        found,
        allowed,
    })?;
    Ok(partial)
}

/// A number of a partial that is not what it claims: where, what, and
/// what is allowed.
#[derive(Debug)]
struct Wrong {
    path: String,
    found: String,
    allowed: String,
}

fn wrong(path: impl Into<String>, found: impl Into<String>, allowed: impl Into<String>) -> Wrong {
    Wrong { path: path.into(), found: found.into(), allowed: allowed.into() }
}

/// Every number of `p` against what it claims:
///
/// - the shard `[K, N]` with 1 ≤ K ≤ N ≤ [`MAX_SHARDS`], the run's
///   replications from 1 to [`MAX_REPLICATIONS`], and the replications it
///   holds exactly those of shard K of N;
/// - the frame: whole days, a 15, 30 or 60-minute interval, spans with
///   RFC 3339 bounds, paid hours and costs finite and ≥ 0, absence shares
///   in range, targets in their ranges;
/// - the tallies laid out like the frame (one per queue, team, period and
///   interval; one per KPI of the channel and per target), each folding
///   exactly the replications the shard holds (a queue's period counts all
///   of them, a KPI at most as many, a target's met count at most as
///   many), each internally whole ([`Tally::check`]: no negative sum, no
///   count the sketch does not hold).
fn check(p: &Partial) -> Result<(), Wrong> {
    let [k, n] = p.shard;
    if !(1..=MAX_SHARDS).contains(&n) || !(1..=n).contains(&k) {
        return Err(wrong("shard", format!("shard {k}/{n}"), format!("K/N with 1 <= K <= N <= {MAX_SHARDS}")));
    }
    let total = p.frame.meta.provenance.replications;
    if !(1..=MAX_REPLICATIONS).contains(&total) {
        return Err(wrong(
            "frame.meta.replications",
            format!("{total} replications"),
            format!("a whole number from 1 to {MAX_REPLICATIONS}"),
        ));
    }
    let want = shard_range(total, k, n);
    if p.replications != [want.start, want.end] {
        // `complete` words this one; nothing else can be checked against it.
        return Ok(());
    }
    check_frame(&p.frame)?;
    check_tallies(p, u64::from(want.end - want.start))
}

fn check_frame(f: &Frame) -> Result<(), Wrong> {
    let meta = &f.meta;
    if meta.days == 0 || meta.days > MAX_DAYS as usize {
        return Err(wrong("frame.days", format!("{} days", meta.days), format!("from 1 to {MAX_DAYS}")));
    }
    if ![15.0, 30.0, 60.0].contains(&meta.interval_minutes) {
        return Err(wrong("frame.interval_minutes", format!("{}", meta.interval_minutes), "15, 30 or 60"));
    }
    let spans = |path: &str, horizon: &Span, periods: &mut dyn Iterator<Item = &Span>| -> Result<(), Wrong> {
        check_span(&format!("{path}.horizon"), horizon)?;
        periods.enumerate().try_for_each(|(i, s)| check_span(&format!("{path}.periods[{i}]"), s))
    };
    for (q, queue) in f.queues.iter().enumerate() {
        let path = format!("frame.queues[{q}]");
        spans(&path, &queue.horizon, &mut queue.periods.iter().chain(&queue.intervals))?;
        let t = &queue.targets;
        let shares =
            [("service_level", t.service_level), ("max_abandon", t.max_abandon), ("max_occupancy", t.max_occupancy)];
        for (key, v) in shares {
            if v.is_some_and(|x| !(0.0..=1.0).contains(&x)) {
                return Err(wrong(format!("{path}.targets.{key}"), format!("{v:?}"), "a share from 0 to 1"));
            }
        }
        let amounts = [("within_s", Some(t.within_s)), ("max_asa_s", t.max_asa_s), ("max_backlog", t.max_backlog)];
        for (key, v) in amounts {
            if v.is_some_and(|x| !(x.is_finite() && x >= 0.0)) {
                return Err(wrong(format!("{path}.targets.{key}"), format!("{v:?}"), "a finite number ≥ 0"));
            }
        }
    }
    for (t, team) in f.teams.iter().enumerate() {
        let path = format!("frame.teams[{t}]");
        if !(0.0..1.0).contains(&team.absence_rate) || !(0.0..=1.0).contains(&team.absence_unpaid) {
            return Err(wrong(
                format!("{path}.absence_rate"),
                format!("absence rate {}, unpaid share {}", team.absence_rate, team.absence_unpaid),
                "a rate from 0 to below 1 and a share from 0 to 1",
            ));
        }
        let all = std::iter::once(&team.horizon).chain(&team.periods);
        for (i, s) in all.enumerate() {
            let at = if i == 0 { format!("{path}.horizon") } else { format!("{path}.periods[{}]", i - 1) };
            check_team_span(&at, s)?;
        }
    }
    Ok(())
}

/// A span's bounds are RFC 3339 instants (reports cut dates out of them).
fn check_span(path: &str, s: &Span) -> Result<(), Wrong> {
    for (key, text) in [("start", &s.start), ("end", &s.end)] {
        if text.parse::<jiff::Timestamp>().is_err() {
            return Err(wrong(format!("{path}.{key}"), format!("{text:?}"), "an RFC 3339 instant"));
        }
    }
    Ok(())
}

fn check_team_span(path: &str, s: &TeamSpan) -> Result<(), Wrong> {
    check_span(path, &s.span)?;
    let ok = |x: f64| x.is_finite() && x >= 0.0;
    if !ok(s.paid_hours) || s.cost.is_some_and(|c| !ok(c)) {
        return Err(wrong(
            format!("{path}.paid_hours"),
            format!("paid hours {}, cost {:?}", s.paid_hours, s.cost),
            "finite numbers ≥ 0",
        ));
    }
    Ok(())
}

/// The range a KPI's measured values lie in: shares from 0 to 1 (with a
/// little room for ratios of sums of seconds), the rest finite and ≥ 0.
fn measured_range(kpi: Kpi) -> (f64, f64) {
    match kpi.unit() {
        Unit::Share => (0.0, 1.001),
        _ => (0.0, f64::MAX),
    }
}

fn check_tallies(p: &Partial, runs: u64) -> Result<(), Wrong> {
    let (frame, tally) = (&p.frame, &p.tally);
    let count = |path: &str, what: &str, got: usize, want: usize| match got == want {
        true => Ok(()),
        false => Err(wrong(path, format!("{got} {what}"), format!("{want}, as the frame has"))),
    };
    count("tally.queues", "queues", tally.queues.len(), frame.queues.len())?;
    count("tally.teams", "teams", tally.teams.len(), frame.teams.len())?;
    for (q, (f, t)) in frame.queues.iter().zip(&tally.queues).enumerate() {
        let path = format!("tally.queues[{q}]");
        count(&format!("{path}.periods"), "periods", t.periods.len(), f.periods.len())?;
        count(&format!("{path}.intervals"), "intervals", t.intervals.len(), f.intervals.len())?;
        let all = std::iter::once(("horizon".to_string(), &t.horizon))
            .chain(t.periods.iter().enumerate().map(|(i, pt)| (format!("periods[{i}]"), pt)))
            .chain(t.intervals.iter().enumerate().map(|(i, pt)| (format!("intervals[{i}]"), pt)));
        for (at, pt) in all {
            check_period(&format!("{path}.{at}"), pt, f.channel, f.targets.list().len(), runs)?;
        }
    }
    for (tm, (f, t)) in frame.teams.iter().zip(&tally.teams).enumerate() {
        let path = format!("tally.teams[{tm}]");
        count(&format!("{path}.periods"), "periods", t.periods.len(), f.periods.len())?;
        let all = std::iter::once(("horizon".to_string(), &t.horizon))
            .chain(t.periods.iter().enumerate().map(|(i, tt)| (format!("periods[{i}]"), tt)));
        for (at, tt) in all {
            check_team(&format!("{path}.{at}"), tt, runs)?;
        }
    }
    Ok(())
}

fn check_period(path: &str, pt: &PeriodTally, channel: Channel, targets: usize, runs: u64) -> Result<(), Wrong> {
    if pt.n != runs {
        return Err(wrong(format!("{path}.n"), format!("{} replications", pt.n), format!("{runs}, the shard's")));
    }
    let kpis = Kpi::for_channel(channel);
    if pt.kpis.len() != kpis.len() || pt.met.len() != targets {
        return Err(wrong(
            path,
            format!("{} KPIs and {} targets", pt.kpis.len(), pt.met.len()),
            format!("{} KPIs and {targets} targets, as the frame has", kpis.len()),
        ));
    }
    for (t, &kpi) in pt.kpis.iter().zip(kpis) {
        check_tally(&format!("{path}.kpis.{}", kpi.key()), t, kpi_scale(kpi), measured_range(kpi), runs)?;
    }
    if let Some(m) = pt.met.iter().find(|&&m| m > runs) {
        return Err(wrong(
            format!("{path}.met"),
            format!("{m} replications meeting a target"),
            format!("at most {runs}"),
        ));
    }
    Ok(())
}

fn check_team(path: &str, t: &TeamTally, runs: u64) -> Result<(), Wrong> {
    let seconds = (0.0, f64::MAX);
    for (key, tally) in [("staffed", &t.staffed), ("busy", &t.busy), ("absent", &t.absent)] {
        check_tally(&format!("{path}.{key}"), tally, TEAM_SCALE, seconds, runs)?;
        if tally.count() != runs {
            return Err(wrong(
                format!("{path}.{key}.n"),
                format!("{} replications", tally.count()),
                format!("{runs}, the shard's"),
            ));
        }
    }
    check_tally(&format!("{path}.occupancy"), &t.occupancy, Scale(40), (0.0, 1.001), runs)
}

/// One tally: at most `runs` values, each in `range`, whole.
fn check_tally(path: &str, t: &Tally, scale: Scale, range: (f64, f64), runs: u64) -> Result<(), Wrong> {
    if t.count() > runs {
        return Err(wrong(
            format!("{path}.n"),
            format!("{} values", t.count()),
            format!("at most {runs}, the shard's"),
        ));
    }
    t.check(scale, range).map_err(|found| wrong(path, found, "a tally of the values it counts"))
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
        Some(&(what, _)) => {
            Err(MergeError::DifferentRuns { file: b_name.to_string(), first: a_name.to_string(), what })
        }
        None => Ok(()),
    }
}

/// Refuses a set of shards with one missing or given twice, or whose
/// replications do not match their shard number.
fn complete(parts: &[(String, String)], partials: &[Partial]) -> Result<(), MergeError> {
    // `check` has bounded the number of shards by MAX_SHARDS.
    let n = partials[0].shard[1];
    let mut seen: Vec<Option<&str>> = vec![None; n as usize];
    for ((name, _), p) in parts.iter().zip(partials) {
        let k = p.shard[0];
        let want = shard_range(p.frame.meta.provenance.replications, k, n);
        if p.replications != [want.start, want.end] {
            return Err(MergeError::Replications {
                file: name.clone(),
                shard: k,
                shards: n,
                holds: p.replications,
                want,
            });
        }
        if let Some(other) = seen[k as usize - 1].replace(name) {
            return Err(MergeError::Twice { shard: k, shards: n, first: other.to_string(), second: name.clone() });
        }
    }
    let missing: Vec<u32> = seen.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(k, _)| k as u32 + 1).collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing, shards: n });
    }
    Ok(())
}
