//! The simulator's history: one replication's realised operation written
//! in exactly the formats `wfmsim fit` reads, so that what was simulated
//! can be imported and fitted back (the round-trip oracle of the importer
//! and the fits).
//!
//! `intervals.csv`, one row per queue and reported interval (by arrival):
//! `start` (RFC 3339 in the scenario's zone), `queue`, `offered`,
//! `answered`, `abandoned`, `handle_time_s` (total handle time of the
//! answered contacts, seconds), `answered_within_{T}s` (answered within
//! the queue's threshold T; when queues differ, `answered_within` and a
//! `within_s` column), `agents` (mean staffed agents of the teams serving
//! the queue; a team serving several queues counts under each),
//! `wait_answered_s` and `wait_abandoned_s` (total waits, seconds).
//!
//! `contacts.csv`, one row per contact of the reported horizon, in the
//! order outcomes became known: `arrival` (RFC 3339, milliseconds),
//! `queue`, `outcome` (answered, abandoned or other: never served),
//! `wait_s` (until answered, or the patience of an abandoned contact),
//! `handle_time_s` (answered only; a chat's wall time).
//!
//! The caller writes the bytes (the binary: each file whole or not at
//! all).

use std::io::BufWriter;

use jiff::Timestamp;

use crate::engine::{simulate_observed, Contact, ContactOutcome};
use crate::model::Model;

/// Rows an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    /// Rows of `intervals.csv`.
    pub interval_rows: u64,
    /// Rows of `contacts.csv`.
    pub contact_rows: u64,
}

/// Simulates replication `replication` (0-based) of `model` and writes its
/// history: the interval rows to `intervals`, the contact rows to
/// `contacts` (as the contacts' outcomes become known, so nothing grows
/// with the contacts simulated). The caller decides where the bytes go.
pub fn export(
    model: &Model,
    replication: u32,
    intervals: impl std::io::Write,
    contacts: impl std::io::Write,
) -> std::io::Result<Exported> {
    let mut contacts = ::csv::Writer::from_writer(BufWriter::new(contacts));
    contacts.write_record(["arrival", "queue", "outcome", "wait_s", "handle_time_s"])?;
    let (n_queues, n_intervals) = (model.queues.len(), model.n_intervals);
    let mut abandoned_wait = vec![0.0f64; n_queues * n_intervals];
    let (mut contact_rows, mut failed) = (0u64, None::<::csv::Error>);
    let counters = simulate_observed(model, replication, &mut |c: &Contact| {
        let i = ((c.arrival_s / model.interval_s) as usize).min(n_intervals.saturating_sub(1));
        if c.outcome == ContactOutcome::Abandoned {
            abandoned_wait[c.queue as usize * n_intervals + i] += c.wait_s;
        }
        if failed.is_none() {
            let row = contact_row(model, c);
            match contacts.write_record(&row) {
                Ok(()) => contact_rows += 1,
                Err(e) => failed = Some(e),
            }
        }
    });
    if let Some(e) = failed {
        return Err(e.into());
    }
    finish(contacts)?;

    let mut intervals = ::csv::Writer::from_writer(BufWriter::new(intervals));
    let thresholds: Vec<f64> = model.queues.iter().map(|q| q.targets.within_s).collect();
    let shared = thresholds.windows(2).all(|w| w[0] == w[1]).then(|| thresholds.first().copied()).flatten();
    let within_header = shared.map_or("answered_within".to_string(), |t| format!("answered_within_{}s", number(t)));
    let mut header = vec!["start", "queue", "offered", "answered", "abandoned", "handle_time_s", &within_header];
    if shared.is_none() {
        header.push("within_s");
    }
    header.extend(["agents", "wait_answered_s", "wait_abandoned_s"]);
    intervals.write_record(&header)?;
    let mut interval_rows = 0u64;
    for i in 0..n_intervals {
        let start = model.interval_start(i).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
        for (q, queue) in model.queues.iter().enumerate() {
            let c = &counters.queue_cells(q)[i];
            let agents: f64 =
                queue.served_by.iter().map(|&t| counters.team_cells(t)[i].staffed_s).sum::<f64>() / model.interval_s;
            let mut row = vec![
                start.clone(),
                queue.name.clone(),
                c.offered.to_string(),
                c.answered.to_string(),
                c.abandoned.to_string(),
                number(c.handle_s),
                c.answered_within.to_string(),
            ];
            if shared.is_none() {
                row.push(number(queue.targets.within_s));
            }
            row.extend([number(agents), number(c.wait_answered_s), number(abandoned_wait[q * n_intervals + i])]);
            intervals.write_record(&row)?;
            interval_rows += 1;
        }
    }
    finish(intervals)?;
    Ok(Exported { interval_rows, contact_rows })
}

/// Flushes a writer to its file and the file to disk.
fn finish<W: std::io::Write>(w: ::csv::Writer<BufWriter<W>>) -> std::io::Result<()> {
    w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?.into_inner().map_err(|e| e.into_error())?;
    Ok(())
}

/// One row of `contacts.csv`.
fn contact_row(model: &Model, c: &Contact) -> [String; 5] {
    let millis = (c.arrival_s * 1000.0).round() as i64;
    let at = Timestamp::from_millisecond(model.report_start.as_millisecond() + millis).expect("in the horizon");
    let arrival = at.to_zoned(model.timezone.clone()).strftime("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string();
    let outcome = match c.outcome {
        ContactOutcome::Answered => "answered",
        ContactOutcome::Abandoned => "abandoned",
        ContactOutcome::Unserved => "other",
    };
    let opt = |x: f64| if x.is_nan() { String::new() } else { format!("{x:.3}") };
    [arrival, model.queues[c.queue as usize].name.clone(), outcome.to_string(), opt(c.wait_s), opt(c.handle_s)]
}

/// A number as the files write it: integers bare, others to the
/// millisecond (or milli-agent).
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.3}")
    }
}
