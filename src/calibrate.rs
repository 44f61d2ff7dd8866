//! Calibration: does the model reproduce what really happened? Past days
//! of an interval history are replayed with the staffing that actually
//! worked (the history's `agents` per interval) and the arrivals that
//! actually came (each interval's offered contacts as its rate), under
//! the scenario's handle time, patience, routing and events (no forecast
//! error, no absence: both are in the history already). Each queue's
//! simulated service level, ASA, abandonment, occupancy and AHT are then
//! set beside the actuals per day, per interval and over the whole span.
//!
//! An actual is one realisation, so it is judged against the spread of
//! single replications, not the CI of their mean: the **band** is the
//! simulated 2.5th to 97.5th percentile across replications, and an
//! actual outside it is off "by" its distance from the band's nearer
//! edge. A KPI differs **significantly** when the whole span's actual
//! lies outside its band, or when more days lie outside their bands than
//! 5% of days would by chance (a one-sided binomial test at 1%). The CI
//! of the simulated mean is reported beside.

use std::ops::Range;

use jiff::civil::Date;
use jiff::Timestamp;
use toml_edit::{DocumentMut, Item, Value};

use crate::history::intervals::{known, IntervalHistory, Row};
use crate::input::compile;
use crate::kpi::Kpi;
use crate::model::{Model, RateSegment, ServiceLevelRule, ShiftInstance};
use crate::montecarlo::{in_order, span_kpis, RunOptions};
use crate::periods::PeriodKind;
use crate::results::{Detail, Frame, Span};

/// The KPIs compared, in report order.
pub const KPIS: [Kpi; 5] = [Kpi::ServiceLevel, Kpi::Asa, Kpi::AbandonRate, Kpi::Occupancy, Kpi::Aht];

/// Share of single replications the band holds.
pub const BAND: f64 = 0.95;

/// Significance of the days-outside test.
pub const ALPHA: f64 = 0.01;

/// Most replications × spans × KPIs held at once (values kept to read
/// the band's percentiles).
pub const MAX_VALUES: usize = 50_000_000;

/// Why a calibration cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrateError {
    /// The scenario (or its copy over the history's days) does not
    /// compile.
    #[error("{0}")]
    Scenario(String),
    /// The history does not fit the scenario.
    #[error("{0}")]
    History(String),
    /// The threads could not be set up.
    #[error("{0}")]
    Threads(String),
}

impl crate::fault::Blame for CalibrateError {
    fn fault(&self) -> crate::fault::Fault {
        match self {
            CalibrateError::Threads(_) => crate::fault::Fault::Run,
            _ => crate::fault::Fault::Input,
        }
    }
}

/// Where an actual lies against its band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Inside the band.
    Inside,
    /// Above it, by this much (the KPI's unit).
    Above(f64),
    /// Below it, by this much.
    Below(f64),
    /// No actual, or nothing simulated, to compare.
    NotCompared,
}

/// One KPI over one span: the actual beside the simulation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// The KPI.
    pub kpi: Kpi,
    /// What happened (shares 0–1, seconds).
    pub actual: Option<f64>,
    /// Mean over replications.
    pub mean: Option<f64>,
    /// 95% CI of that mean.
    pub ci: Option<(f64, f64)>,
    /// The band of single replications.
    pub band: Option<(f64, f64)>,
    /// The actual against the band.
    pub verdict: Verdict,
}

/// A span (the whole history, a day or an interval) compared.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanComparison {
    /// The date, or the interval's start with its offset, or `all`.
    pub label: String,
    /// Contacts offered in it (the history's).
    pub offered: f64,
    /// Mean agents staffed (the history's).
    pub agents: f64,
    /// One per compared KPI, in [`KPIS`] order.
    pub kpis: Vec<Comparison>,
}

/// A KPI's verdict over the whole history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiVerdict {
    /// The KPI.
    pub kpi: Kpi,
    /// Days compared.
    pub days: usize,
    /// Days outside their band.
    pub outside: usize,
    /// P(at least that many outside | the model is right).
    pub p_value: f64,
    /// Whether the model differs significantly (see the module's notes).
    pub significant: bool,
}

/// One queue's calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueCalibration {
    /// The queue.
    pub queue: String,
    /// The whole history.
    pub whole: SpanComparison,
    /// Each day.
    pub days: Vec<SpanComparison>,
    /// Each interval.
    pub intervals: Vec<SpanComparison>,
    /// Per KPI, whether the model reproduces the history.
    pub verdicts: Vec<KpiVerdict>,
}

/// A calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The scenario's name.
    pub scenario: String,
    /// The first day replayed.
    pub first_day: Date,
    /// Days replayed.
    pub days: usize,
    /// Interval, minutes.
    pub interval_minutes: u32,
    /// Replications.
    pub replications: u32,
    /// The master seed.
    pub seed: u64,
    /// Per queue of the scenario.
    pub queues: Vec<QueueCalibration>,
    /// What was left out, and why.
    pub notes: Vec<String>,
}

impl Calibration {
    /// Whether any KPI of any queue differs significantly.
    pub fn differs(&self) -> bool {
        self.queues.iter().any(|q| q.verdicts.iter().any(|v| v.significant))
    }
}

/// Settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Options {
    /// Replications (default: the scenario's).
    pub replications: Option<u32>,
    /// Master seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    pub threads: Option<usize>,
}

/// The scenario `text` (named `file`) over the days of `history`: its
/// `[scenario]` `start`, `days` and `interval_minutes` set to them.
fn over_history(text: &str, file: &str, history: &IntervalHistory) -> Result<(Model, Vec<String>), CalibrateError> {
    let scenario = |e: String| CalibrateError::Scenario(e);
    let original = compile(text, file).map_err(|e| scenario(e.to_string()))?.model;
    let minutes = history.interval_minutes;
    if ![15, 30, 60].contains(&minutes) {
        return Err(CalibrateError::History(format!(
            "{}: {minutes}-minute intervals; calibrate replays 15, 30 or 60-minute intervals (a scenario's)",
            history.file
        )));
    }
    let rows = history.queues.iter().flat_map(|q| q.rows.iter());
    let (first, last) = rows.fold((i64::MAX, i64::MIN), |(a, b), r| (a.min(r.start), b.max(r.start)));
    if first > last {
        return Err(CalibrateError::History(format!("{}: no intervals", history.file)));
    }
    let zone = original.timezone.clone();
    let date = |s: i64| Timestamp::from_second(s).map(|t| t.to_zoned(zone.clone()).date());
    let (Ok(d0), Ok(d1)) = (date(first), date(last + minutes as i64 * 60 - 1)) else {
        return Err(CalibrateError::History(format!("{}: dates out of range", history.file)));
    };
    let days = d0.until(d1).map_or(0, |s| s.get_days() as i64) + 1;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| scenario(e.to_string()))?;
    let s = doc
        .get_mut("scenario")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| scenario(format!("{file}: no [scenario] table")))?;
    s.insert("start", Item::Value(Value::from(d0.to_string())));
    s.insert("days", Item::Value(Value::from(days)));
    s.insert("interval_minutes", Item::Value(Value::from(minutes as i64)));
    let model = compile(&doc.to_string(), file).map_err(|e| scenario(e.to_string()))?.model;
    let mut notes = Vec::new();
    for q in &history.queues {
        if !model.queues.iter().any(|m| m.name == q.name) {
            notes.push(format!("queue '{}' of the history is not in the scenario: left out", q.name));
        }
    }
    Ok((model, notes))
}

/// Each model interval's row of `rows`, `None` where the history has none.
fn by_interval<'a>(model: &Model, rows: &'a [Row]) -> Vec<Option<&'a Row>> {
    let mut out = vec![None; model.n_intervals];
    let start = model.report_start.as_second();
    for r in rows {
        let k = (r.start - start) as f64 / model.interval_s;
        if k >= 0.0 && k.fract() == 0.0 && (k as usize) < out.len() {
            out[k as usize] = Some(r);
        }
    }
    out
}

/// Each queue's history row per model interval, `None` for none.
type Rows = Vec<Vec<Option<Row>>>;

/// `model` replaying `history`: arrivals at the offered counts, every
/// team on duty at its queues' staffed agents (a fraction of an agent as
/// one agent for that share of the interval), no forecast error, no
/// absence.
fn replay(mut model: Model, history: &IntervalHistory) -> Result<(Model, Rows), CalibrateError> {
    let bad = CalibrateError::History;
    if !history.columns.agents {
        return Err(bad(format!(
            "{}: no agents column; calibrate replays the staffing that worked (agents per interval)",
            history.file
        )));
    }
    let n = model.n_intervals;
    let step = model.interval_s;
    let mut rows_of = Vec::with_capacity(model.queues.len());
    let mut levels = vec![vec![0.0f64; n]; model.teams.len()];
    for q in 0..model.queues.len() {
        let name = model.queues[q].name.clone();
        let Some(h) = history.queue(&name) else {
            return Err(bad(format!("{}: queue '{name}' of the scenario is not in the history", history.file)));
        };
        let rows: Vec<Option<Row>> = by_interval(&model, &h.rows).into_iter().map(|r| r.copied()).collect();
        let served = &model.queues[q].served_by;
        if served.len() != 1 {
            return Err(bad(format!(
                "queue '{name}' is served by {} teams; calibrate gives each queue's agents to its one team (a team may serve several queues)",
                served.len()
            )));
        }
        let t = served[0];
        let rate = |r: Option<&Row>| r.and_then(|r| known(r.offered)).unwrap_or(0.0) / step;
        let mut segments =
            vec![RateSegment { start_s: -model.warmup_s, end_s: 0.0, rate_per_s: rate(rows[0].as_ref()) }];
        for (i, r) in rows.iter().enumerate() {
            segments.push(RateSegment {
                start_s: i as f64 * step,
                end_s: (i + 1) as f64 * step,
                rate_per_s: rate(r.as_ref()),
            });
            let agents = r.as_ref().and_then(|r| known(r.agents)).unwrap_or(0.0);
            levels[t][i] = levels[t][i].max(agents);
        }
        let queue = &mut model.queues[q];
        queue.arrivals = segments;
        queue.variation = Default::default();
        rows_of.push(rows);
    }
    let mut shifts = Vec::new();
    for (t, row) in levels.iter().enumerate() {
        model.teams[t].absence.rate = 0.0;
        shifts.extend(on_duty(t, row, step, model.warmup_s));
    }
    shifts.sort_by(|a, b| a.login_s.total_cmp(&b.login_s).then(a.team.cmp(&b.team)));
    model.shifts = shifts;
    model.correlation = 0.0;
    Ok((model, rows_of))
}

/// Shift instances that keep team `t` at `levels` agents per interval
/// (the warm-up at the first interval's): the k-th agent works each run
/// of intervals with more than k agents as one shift, so nobody logs out
/// at an interval's end to be replaced; a fraction of an agent is one
/// agent for that share of the interval, from its start.
fn on_duty(t: usize, levels: &[f64], step: f64, warmup_s: f64) -> Vec<ShiftInstance> {
    let whole: Vec<u32> = levels.iter().map(|x| x.max(0.0).floor().min(u32::MAX as f64) as u32).collect();
    let at = |i: usize| if i == 0 { -warmup_s } else { i as f64 * step };
    let mut out = Vec::new();
    let instance = |login_s, logout_s, agents| ShiftInstance { team: t, login_s, logout_s, agents, breaks: Vec::new() };
    // Runs of at least `k + 1` agents, for every level change: each run
    // of intervals at or above a level starts one shift of the agents
    // between it and the level below.
    let mut open: Vec<(usize, u32)> = Vec::new(); // (first interval, level) of the open runs, levels rising
    for i in 0..=whole.len() {
        let n = whole.get(i).copied().unwrap_or(0);
        let mut below = 0;
        while let Some(&(from, level)) = open.last() {
            if level <= n {
                below = level;
                break;
            }
            open.pop();
            let floor = open.last().map_or(0, |&(_, l)| l).max(n);
            out.push(instance(at(from), i as f64 * step, level - floor));
            if floor > below && floor == n {
                // The agents from n up to `floor` stay on: their run began
                // with this one.
                open.push((from, n));
                below = n;
                break;
            }
        }
        if n > below && i < whole.len() {
            open.push((i, n));
        }
    }
    for (i, x) in levels.iter().enumerate() {
        let part = x.max(0.0) - x.max(0.0).floor();
        if part > 1e-9 {
            out.push(instance(at(i), i as f64 * step + part * step, 1));
        }
    }
    out
}

/// The actual KPIs of `rows` over `range` (with the service level by
/// `rule` at `within_s`).
fn actuals(
    rows: &[Option<Row>],
    range: Range<usize>,
    step: f64,
    rule: ServiceLevelRule,
    within_s: f64,
) -> (f64, f64, [Option<f64>; 5]) {
    let (mut offered, mut answered, mut abandoned, mut within, mut handle, mut wait, mut staffed) =
        (0.0, 0.0, 0.0, Some(0.0), Some(0.0), Some(0.0), 0.0);
    let add = |acc: &mut Option<f64>, x: f32| *acc = acc.and_then(|a| known(x).map(|x| a + x));
    for r in rows[range.clone()].iter().flatten() {
        offered += known(r.offered).unwrap_or(0.0);
        answered += known(r.answered).unwrap_or(0.0);
        abandoned += known(r.abandoned).unwrap_or(0.0);
        if (r.within_s as f64 - within_s).abs() > 1e-6 {
            within = None;
        }
        add(&mut within, r.answered_within);
        add(&mut handle, r.handle_s);
        add(&mut wait, r.wait_answered_s);
        staffed += known(r.agents).unwrap_or(0.0) * step;
    }
    let ratio = |a: Option<f64>, b: f64| a.filter(|_| b > 0.0).map(|a| a / b);
    let sl = match rule {
        ServiceLevelRule::Offered => ratio(within, offered),
        ServiceLevelRule::Answered => ratio(within, answered),
        ServiceLevelRule::OfferedLessShortAbandons => None,
    };
    let values = [
        sl,
        ratio(wait, answered),
        ratio(Some(abandoned), offered),
        ratio(handle, staffed).map(|x| x.min(1.0)),
        ratio(handle, answered),
    ];
    (offered, staffed / step / range.len().max(1) as f64, values)
}

/// The `p` quantile of sorted `v`, interpolated.
fn quantile(v: &[f64], p: f64) -> f64 {
    let x = p * (v.len() - 1) as f64;
    let (i, f) = (x.floor() as usize, x - x.floor());
    if i + 1 < v.len() {
        v[i] + f * (v[i + 1] - v[i])
    } else {
        v[i]
    }
}

fn compare(kpi: Kpi, actual: Option<f64>, mut values: Vec<f64>) -> Comparison {
    values.retain(|x| x.is_finite());
    if values.is_empty() {
        return Comparison { kpi, actual, mean: None, ci: None, band: None, verdict: Verdict::NotCompared };
    }
    values.sort_by(f64::total_cmp);
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = if values.len() > 1 { values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    let half = 1.96 * (var / n).sqrt();
    let tail = (1.0 - BAND) / 2.0;
    let band = (quantile(&values, tail), quantile(&values, 1.0 - tail));
    // A tolerance of a millionth of the KPI's scale: a share exactly at
    // the band's edge is inside.
    let eps = 1e-9 * band.1.abs().max(1.0);
    let verdict = match actual {
        None => Verdict::NotCompared,
        Some(a) if a > band.1 + eps => Verdict::Above(a - band.1),
        Some(a) if a < band.0 - eps => Verdict::Below(band.0 - a),
        Some(_) => Verdict::Inside,
    };
    Comparison { kpi, actual, mean: Some(mean), ci: Some((mean - half, mean + half)), band: Some(band), verdict }
}

/// P(X ≥ k) for X ~ Binomial(n, p).
fn binomial_tail(n: usize, k: usize, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    let mut term = (1.0 - p).powi(n as i32);
    let mut below = 0.0;
    for i in 0..k {
        below += term;
        term *= (n - i) as f64 / (i + 1) as f64 * p / (1.0 - p);
    }
    (1.0 - below).clamp(0.0, 1.0)
}

/// Replays `history` under the scenario `text` (named `file`) and
/// compares (see the module's notes).
pub fn calibrate(
    text: &str,
    file: &str,
    history: &IntervalHistory,
    options: &Options,
) -> Result<Calibration, CalibrateError> {
    let (model, mut notes) = over_history(text, file, history)?;
    let (mut model, rows) = replay(model, history)?;
    if let Some(r) = options.replications {
        model.replications = r;
    }
    if let Some(s) = options.seed {
        model.seed = s;
    }
    let frame = Frame::of(&model, RunOptions::for_model(&model).provenance, Detail::Interval, PeriodKind::Day);
    let spans_of = |q: usize| -> Vec<&Span> {
        let f = &frame.queues[q];
        std::iter::once(&f.horizon).chain(&f.periods).chain(&f.intervals).collect()
    };
    let per_rep = (0..model.queues.len()).map(|q| spans_of(q).len()).sum::<usize>() * KPIS.len();
    if per_rep.saturating_mul(model.replications as usize) > MAX_VALUES {
        return Err(CalibrateError::History(format!(
            "{} replications of {} days at {}-minute intervals hold {} values; at most {MAX_VALUES}: fewer replications or a shorter history",
            model.replications,
            model.days.len(),
            history.interval_minutes,
            per_rep.saturating_mul(model.replications as usize)
        )));
    }
    // values[q][span][kpi] = one value per replication.
    let mut values: Vec<Vec<Vec<Vec<f64>>>> = (0..model.queues.len())
        .map(|q| vec![vec![Vec::with_capacity(model.replications as usize); KPIS.len()]; spans_of(q).len()])
        .collect();
    in_order(
        0..model.replications,
        options.threads,
        |r| crate::engine::simulate(&model, r),
        |c| {
            for (q, per_span) in values.iter_mut().enumerate() {
                for (span, cell) in spans_of(q).into_iter().zip(per_span.iter_mut()) {
                    let k = span_kpis(&model, c, q, span);
                    for (kpi, v) in KPIS.iter().zip(cell.iter_mut()) {
                        if let Some(x) = k.get(*kpi) {
                            v.push(x);
                        }
                    }
                }
            }
        },
    )
    .map_err(|e| CalibrateError::Threads(e.to_string()))?;
    let mut queues = Vec::with_capacity(model.queues.len());
    for (q, per_span) in values.into_iter().enumerate() {
        let queue = &model.queues[q];
        let within_s = queue.targets.within_s;
        let spans = spans_of(q);
        let mut compared: Vec<SpanComparison> = spans
            .iter()
            .zip(per_span)
            .map(|(span, cells)| {
                let (offered, agents, actual) =
                    actuals(&rows[q], span.intervals.clone(), model.interval_s, model.service_level_rule, within_s);
                let kpis = KPIS.iter().zip(cells).zip(actual).map(|((k, v), a)| compare(*k, a, v)).collect();
                let label = span.label.clone().unwrap_or_else(|| {
                    if span.intervals.len() == 1 {
                        span.start.clone()
                    } else {
                        "all".to_string()
                    }
                });
                SpanComparison { label, offered, agents, kpis }
            })
            .collect();
        let n_days = frame.queues[q].periods.len();
        let intervals = compared.split_off(1 + n_days);
        let days = compared.split_off(1);
        let whole = compared.pop().expect("the whole span");
        let verdicts = KPIS
            .iter()
            .enumerate()
            .map(|(k, kpi)| {
                let judged: Vec<Verdict> =
                    days.iter().map(|d| d.kpis[k].verdict).filter(|v| *v != Verdict::NotCompared).collect();
                let outside = judged.iter().filter(|v| **v != Verdict::Inside).count();
                let p_value = binomial_tail(judged.len(), outside, 1.0 - BAND);
                let whole_outside = matches!(whole.kpis[k].verdict, Verdict::Above(_) | Verdict::Below(_));
                KpiVerdict {
                    kpi: *kpi,
                    days: judged.len(),
                    outside,
                    p_value,
                    significant: whole_outside || p_value < ALPHA,
                }
            })
            .collect();
        if rows[q].iter().any(Option::is_none) {
            let gaps = rows[q].iter().filter(|r| r.is_none()).count();
            notes.push(format!(
                "queue '{}': {gaps} interval(s) of the replayed days have no row in the history (no arrivals, no agents replayed)",
                queue.name
            ));
        }
        queues.push(QueueCalibration { queue: queue.name.clone(), whole, days, intervals, verdicts });
    }
    Ok(Calibration {
        scenario: model.name.clone(),
        first_day: model.days[0].date,
        days: model.days.len(),
        interval_minutes: (model.interval_s / 60.0).round() as u32,
        replications: model.replications,
        seed: model.seed,
        queues,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binomial_tail_and_quantiles_are_right() {
        assert!((binomial_tail(10, 0, 0.05) - 1.0).abs() < 1e-12);
        // P(X >= 1) = 1 - 0.95^10.
        assert!((binomial_tail(10, 1, 0.05) - (1.0 - 0.95f64.powi(10))).abs() < 1e-12);
        assert!(binomial_tail(30, 6, 0.05) < 0.01);
        assert_eq!(quantile(&[1.0, 2.0, 3.0], 0.5), 2.0);
        let c = compare(Kpi::Asa, Some(10.0), vec![1.0, 2.0, 3.0]);
        assert!(matches!(c.verdict, Verdict::Above(by) if (by - 7.05).abs() < 1e-12), "{c:?}");
    }

    /// Staffed agent-seconds per interval of `shifts`.
    fn staffed(shifts: &[ShiftInstance], n: usize, step: f64) -> Vec<f64> {
        (0..n)
            .map(|i| {
                let (a, b) = (i as f64 * step, (i + 1) as f64 * step);
                shifts.iter().map(|s| s.agents as f64 * (s.logout_s.min(b) - s.login_s.max(a)).max(0.0)).sum()
            })
            .collect()
    }

    #[test]
    fn the_replayed_roster_staffs_each_interval_as_given_without_relogging() {
        let levels = [2.0, 5.0, 5.0, 3.5, 3.0, 0.0, 4.0, 6.25];
        let shifts = on_duty(0, &levels, 100.0, 50.0);
        let got = staffed(&shifts, levels.len(), 100.0);
        for (g, l) in got.iter().zip(levels) {
            assert!((g - l * 100.0).abs() < 1e-9, "{got:?}");
        }
        // Two agents work from the warm-up to the 5th interval's end in
        // one shift: the level never falls below 2 before it.
        assert!(shifts.iter().any(|s| s.login_s == -50.0 && s.logout_s == 500.0 && s.agents == 2), "{shifts:?}");
        assert!(shifts.iter().all(|s| s.logout_s > s.login_s));
    }
}
