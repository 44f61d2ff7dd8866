//! Two scenarios compared on common random numbers: replication *i* of A
//! and of B run on the same random streams (A's seed and replications for
//! both), so the same callers arrive with the same handle times and
//! patience wherever the scenarios agree, and the noise they share cancels
//! out of the difference. For every queue both have (matched by name), on
//! the horizon and each roll-up period, each KPI's paired differences
//! B − A are folded replication by replication into exact tallies
//! ([`Paired`]), giving the mean difference, its 95% Student-t interval
//! and whether it is significant (the interval excludes zero). Teams are
//! matched by name too; their paid hours and cost come from the roster,
//! the same in every replication, so their differences are exact.
//!
//! Nothing grows with replications: each replication's KPIs are folded in
//! index order and dropped ([`montecarlo::in_order`]), and the sums are
//! integers, so the result does not depend on the thread count.

use serde::Serialize;

use crate::channel::Channel;
use crate::engine;
use crate::kpi::{ByKpi, Kpi, KpiValues};
use crate::model::Model;
use crate::montecarlo::{self, span_kpis, ThreadsError};
use crate::periods::PeriodKind;
use crate::results::{kpi_scale, teams_total, Detail, Echo, Frame, Provenance, Span, TeamFrame, TeamSpan};
use crate::stats::tally::Paired;
use crate::stats::Difference;

/// Two scenarios whose reports cannot be set side by side.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "the scenarios cannot be paired: {what} is {a} in A and {b} in B; both must report the same intervals \
     (the same scenario.start, days, interval_minutes and timezone)"
)]
pub struct Unpairable {
    /// The field that differs.
    pub what: &'static str,
    /// Its value in A.
    pub a: String,
    /// Its value in B.
    pub b: String,
}

crate::fault::blame!(Input: Unpairable);

/// Why a comparison did not come out.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// The scenarios report different intervals.
    #[error(transparent)]
    Unpairable(#[from] Unpairable),
    /// The worker threads could not start.
    #[error(transparent)]
    Threads(#[from] ThreadsError),
}

impl crate::fault::Blame for CompareError {
    fn fault(&self) -> crate::fault::Fault {
        match self {
            CompareError::Unpairable(e) => crate::fault::Blame::fault(e),
            CompareError::Threads(e) => crate::fault::Blame::fault(e),
        }
    }
}

/// `Ok` when `a` and `b` report the same intervals and days, so that each
/// period of one is a period of the other.
pub fn pairable(a: &Model, b: &Model) -> Result<(), Unpairable> {
    let differs = |what, x: String, y: String| if x == y { Ok(()) } else { Err(Unpairable { what, a: x, b: y }) };
    differs("scenario.timezone", a.timezone_name.clone(), b.timezone_name.clone())?;
    differs("scenario.interval_minutes", (a.interval_s / 60.0).to_string(), (b.interval_s / 60.0).to_string())?;
    differs("scenario.start", a.days[0].date.to_string(), b.days[0].date.to_string())?;
    differs("scenario.days", a.days.len().to_string(), b.days.len().to_string())?;
    differs("the reporting grid", format!("{:?}", a.days), format!("{:?}", b.days))
}

/// One side of a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The compiled scenario, with any what-ifs applied.
    pub model: &'a Model,
    /// Where it was read from, as the user named it.
    pub file: &'a str,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: &'a str,
    /// What-ifs applied to this side only (`compare --set-a`/`--set-b`),
    /// in the order given.
    pub what_ifs: &'a [Echo],
}

/// How a comparison is run and what it reports.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// Worker threads; all cores when `None`.
    pub threads: Option<usize>,
    /// How days are grouped.
    pub period: PeriodKind,
    /// wfmsim's version, for the report.
    pub wfmsim_version: String,
    /// What-ifs applied to both sides, in the order given.
    pub what_ifs: Vec<Echo>,
}

/// One side as the report names it, with its own seed and replications
/// (B's are not used: both sides run on A's).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideMeta {
    /// The scenario's name.
    pub scenario: String,
    /// The file, as named.
    pub file: String,
    /// SHA-256 of the file's bytes, hex.
    pub scenario_sha256: String,
    /// The seed it states (after `--seed`).
    pub seed: u64,
    /// The replications it states (after `--replications`).
    pub replications: u32,
    /// What-ifs applied to this side only, in the order given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub what_ifs: Vec<Echo>,
}

/// The comparison as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareMeta {
    /// wfmsim's version.
    pub wfmsim_version: String,
    /// The scenario compared against.
    pub a: SideMeta,
    /// The changed scenario.
    pub b: SideMeta,
    /// The seed both sides run on (A's).
    pub seed: u64,
    /// Replications, each run on both sides (A's).
    pub replications: u32,
    /// What-ifs applied to both sides.
    pub what_ifs: Vec<Echo>,
    /// IANA zone of the report.
    pub timezone: String,
    /// Interval length, minutes.
    pub interval_minutes: f64,
    /// ISO 4217 code of every amount (A's), if the scenario names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// First reported day.
    pub first_day: String,
    /// Reported days.
    pub days: usize,
    /// How days are grouped.
    pub period: PeriodKind,
}

/// The KPIs of one span, each as a paired difference (in the KPI's
/// reported unit), in the channel's report order; `None` where the KPI is
/// defined on both sides in no replication. JSON: an object keyed by
/// [`Kpi::key`].
pub type KpiDifferences = ByKpi<Difference>;

/// One span of one queue compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanDifference {
    /// Where it lies (pending when either side's service level is).
    #[serde(flatten)]
    pub span: Span,
    /// The KPIs.
    #[serde(flatten)]
    pub kpis: KpiDifferences,
}

/// One queue both scenarios have, compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueDifference {
    /// The queue.
    pub name: String,
    /// Its channel in A.
    pub channel: Channel,
    /// Its channel in B, when another (only the KPIs both report are
    /// compared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_b: Option<Channel>,
    /// The whole reported span.
    pub horizon: SpanDifference,
    /// Each roll-up period.
    pub periods: Vec<SpanDifference>,
}

/// A team's (or every team's) paid hours and cost over one span, A against
/// B: from the roster, the same in every replication, so exact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostDifference {
    /// Where it lies.
    #[serde(flatten)]
    pub span: Span,
    /// Paid hours.
    pub paid_hours: Difference,
    /// Cost; `None` when either side is unpriced.
    pub cost: Option<Difference>,
}

/// One team both scenarios have, compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamDifference {
    /// The team.
    pub name: String,
    /// The whole reported span.
    pub horizon: CostDifference,
    /// Each roll-up period.
    pub periods: Vec<CostDifference>,
}

/// Queues and teams only one side has: listed, not compared.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Unmatched {
    /// Queue names.
    pub queues: Vec<String>,
    /// Team names.
    pub teams: Vec<String>,
}

/// Two scenarios compared, as typed data every format renders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The comparison as a whole.
    #[serde(flatten)]
    pub meta: CompareMeta,
    /// Every queue both have, in A's order.
    pub queues: Vec<QueueDifference>,
    /// Every team both have, in A's order.
    pub teams: Vec<TeamDifference>,
    /// Every team of each side together: the horizon, then each period.
    pub all_teams: Vec<CostDifference>,
    /// Only in A.
    pub only_in_a: Unmatched,
    /// Only in B.
    pub only_in_b: Unmatched,
}

/// A queue both sides have: its indices and the KPIs compared.
struct QueuePair {
    a: usize,
    b: usize,
    kpis: Vec<Kpi>,
}

/// Compares `b` with `a`, replication by replication on common random
/// numbers (A's seed and replications for both), calling `on_done` after
/// each pair of replications.
pub fn compare(
    a: Side,
    b: Side,
    options: &CompareOptions,
    on_done: &(dyn Fn() + Sync),
) -> Result<Comparison, CompareError> {
    pairable(a.model, b.model)?;
    let paired_b = Model { seed: a.model.seed, replications: a.model.replications, ..b.model.clone() };
    let frame = |m: &Model| {
        let provenance = Provenance {
            wfmsim_version: options.wfmsim_version.clone(),
            scenario_sha256: String::new(),
            seed: m.seed,
            replications: m.replications,
            what_ifs: Vec::new(),
        };
        Frame::of(m, provenance, Detail::Period, options.period)
    };
    let (frame_a, frame_b) = (frame(a.model), frame(&paired_b));
    let pairs = queue_pairs(a.model, b.model);
    let mut tallies: Vec<Vec<Vec<Paired>>> =
        pairs.iter().map(|p| spans(&frame_a, p.a).map(|_| vec![Paired::default(); p.kpis.len()]).collect()).collect();
    // Teams priced per contact cost what each replication handled: their
    // differences are paired like the KPIs' (the rest are exact).
    let team_pairs = team_pairs(&frame_a, &frame_b);
    let spans_n = 1 + frame_a.teams.first().map_or(0, |t| t.periods.len());
    let mut cost_tallies: Vec<Vec<Paired>> = vec![vec![Paired::default(); spans_n]; team_pairs.len() + 1];
    let replicate = |r| {
        let (ca, cb) = (engine::simulate(a.model, r), engine::simulate(&paired_b, r));
        on_done();
        let costs = |f: &Frame, c: &crate::counters::Counters, t: usize| -> Vec<f64> {
            (0..spans_n)
                .map(|i| {
                    let span = team_span(&f.teams[t], i);
                    let cell = c.team_sum(&[t], span.span.intervals.clone());
                    montecarlo::replication_cost(&f.teams[t], span, &cell).unwrap_or(0.0)
                })
                .collect()
        };
        let mut team_costs: Vec<Vec<(f64, f64)>> = team_pairs
            .iter()
            .map(|&(ta, tb)| costs(&frame_a, &ca, ta).into_iter().zip(costs(&frame_b, &cb, tb)).collect())
            .collect();
        let all = |f: &Frame, c: &crate::counters::Counters| {
            (0..f.teams.len())
                .map(|t| costs(f, c, t))
                .fold(vec![0.0; spans_n], |s, x| s.iter().zip(x).map(|(a, b)| a + b).collect())
        };
        team_costs.push(all(&frame_a, &ca).into_iter().zip(all(&frame_b, &cb)).collect());
        let values: Vec<Vec<(KpiValues, KpiValues)>> = pairs
            .iter()
            .map(|p| {
                let side = |m: &Model, f: &Frame, c, q| spans(f, q).map(|s| span_kpis(m, c, q, s)).collect::<Vec<_>>();
                side(a.model, &frame_a, &ca, p.a).into_iter().zip(side(&paired_b, &frame_b, &cb, p.b)).collect()
            })
            .collect();
        (values, team_costs)
    };
    let fold = |(values, team_costs): &Replicated| {
        for (tallies, costs) in cost_tallies.iter_mut().zip(team_costs) {
            for (tally, &(x, y)) in tallies.iter_mut().zip(costs) {
                tally.add(x, y, COST_SCALE);
            }
        }
        for ((p, t), v) in pairs.iter().zip(&mut tallies).zip(values) {
            for (span, (va, vb)) in t.iter_mut().zip(v) {
                for (tally, &kpi) in span.iter_mut().zip(&p.kpis) {
                    if let (Some(x), Some(y)) = (va.get(kpi), vb.get(kpi)) {
                        tally.add(x, y, kpi_scale(kpi));
                    }
                }
            }
        }
    };
    montecarlo::in_order(0..a.model.replications, options.threads, replicate, fold)?;
    let queues = pairs.iter().zip(&tallies).map(|(p, t)| queue_difference(&frame_a, &frame_b, p, t)).collect();
    let n = u64::from(a.model.replications);
    let (mut teams, mut all_teams) = team_differences(&frame_a, &frame_b, n);
    let per_contact = |f: &Frame, t: usize| f.teams[t].tariff.is_some_and(|x| x.per_contact_priced());
    let paired = |d: &mut CostDifference, tally: &Paired| {
        if d.cost.is_some() {
            d.cost = tally.summary(COST_SCALE, (f64::NEG_INFINITY, f64::INFINITY));
        }
    };
    for (k, &(ta, tb)) in team_pairs.iter().enumerate() {
        if per_contact(&frame_a, ta) || per_contact(&frame_b, tb) {
            let d = &mut teams[k];
            paired(&mut d.horizon, &cost_tallies[k][0]);
            for (p, tally) in d.periods.iter_mut().zip(&cost_tallies[k][1..]) {
                paired(p, tally);
            }
        }
    }
    let any = |f: &Frame| (0..f.teams.len()).any(|t| per_contact(f, t));
    if any(&frame_a) || any(&frame_b) {
        for (d, tally) in all_teams.iter_mut().zip(&cost_tallies[team_pairs.len()]) {
            paired(d, tally);
        }
    }
    Ok(Comparison {
        meta: meta(a, b, &paired_b, options),
        queues,
        teams,
        all_teams,
        only_in_a: unmatched(a.model, b.model),
        only_in_b: unmatched(b.model, a.model),
    })
}

/// The queues both models have, matched by name, in A's order, with the
/// KPIs both channels report (in A's order).
fn queue_pairs(a: &Model, b: &Model) -> Vec<QueuePair> {
    a.queues
        .iter()
        .enumerate()
        .filter_map(|(qa, queue)| {
            let qb = b.queues.iter().position(|x| x.name == queue.name)?;
            let theirs = Kpi::for_channel(b.queues[qb].channel);
            let kpis = Kpi::for_channel(queue.channel).iter().copied().filter(|k| theirs.contains(k)).collect();
            Some(QueuePair { a: qa, b: qb, kpis })
        })
        .collect()
}

/// Queue `q`'s spans in `frame`: the horizon, then each period.
fn spans(frame: &Frame, q: usize) -> impl Iterator<Item = &Span> {
    let f = &frame.queues[q];
    std::iter::once(&f.horizon).chain(&f.periods)
}

fn queue_difference(frame_a: &Frame, frame_b: &Frame, p: &QueuePair, tallies: &[Vec<Paired>]) -> QueueDifference {
    let (fa, fb) = (&frame_a.queues[p.a], &frame_b.queues[p.b]);
    let mut compared = spans(frame_a, p.a).zip(spans(frame_b, p.b)).zip(tallies).map(|((sa, sb), t)| {
        let kpis = p.kpis.iter().zip(t).map(|(&kpi, tally)| (kpi, kpi_difference(kpi, tally))).collect();
        SpanDifference { span: Span { pending: sa.pending || sb.pending, ..sa.clone() }, kpis: ByKpi(kpis) }
    });
    let horizon = compared.next().expect("a horizon");
    QueueDifference {
        name: fa.name.clone(),
        channel: fa.channel,
        channel_b: (fb.channel != fa.channel).then_some(fb.channel),
        horizon,
        periods: compared.collect(),
    }
}

/// A KPI's paired difference in its reported unit, its interval clamped to
/// the range a difference of two values in the KPI's range can take.
fn kpi_difference(kpi: Kpi, tally: &Paired) -> Option<Difference> {
    let (low, high) = kpi.unit().range();
    let d = tally.summary(kpi_scale(kpi), (low - high, high - low))?;
    Some(d.map(|x| kpi.reported(x)))
}

/// One replication of both sides: per queue pair and span, the KPIs of A
/// and B; per team pair (then all teams) and span, the costs of A and B.
type Replicated = (Vec<Vec<(KpiValues, KpiValues)>>, Vec<Vec<(f64, f64)>>);

/// Money on the paired tallies' grid: 1/1024 of a unit.
const COST_SCALE: crate::stats::tally::Scale = crate::stats::tally::Scale(10);

/// The teams both frames have, matched by name: (A's index, B's), in A's
/// order (as [`team_differences`] lists them).
fn team_pairs(frame_a: &Frame, frame_b: &Frame) -> Vec<(usize, usize)> {
    frame_a
        .teams
        .iter()
        .enumerate()
        .filter_map(|(ta, t)| Some((ta, frame_b.teams.iter().position(|x| x.name == t.name)?)))
        .collect()
}

/// Each team both frames have, and every team of each side together, over
/// the horizon and each period.
fn team_differences(frame_a: &Frame, frame_b: &Frame, n: u64) -> (Vec<TeamDifference>, Vec<CostDifference>) {
    let spans = 1 + frame_a.teams[0].periods.len();
    let teams = frame_a
        .teams
        .iter()
        .filter_map(|ta| {
            let tb = frame_b.teams.iter().find(|t| t.name == ta.name)?;
            let mut periods = (0..spans).map(|i| {
                let (a, b) = (team_span(ta, i), team_span(tb, i));
                cost_difference(&a.span, [a], [b], n)
            });
            let horizon = periods.next().expect("a horizon");
            Some(TeamDifference { name: ta.name.clone(), horizon, periods: periods.collect() })
        })
        .collect();
    let all_teams = (0..spans)
        .map(|i| {
            let (a, b) = (frame_a.teams.iter(), frame_b.teams.iter());
            let span = &team_span(&frame_a.teams[0], i).span;
            cost_difference(span, a.map(|t| team_span(t, i)), b.map(|t| team_span(t, i)), n)
        })
        .collect();
    (teams, all_teams)
}

/// A team's `i`-th span: 0 the horizon, then each period.
fn team_span(t: &TeamFrame, i: usize) -> &TeamSpan {
    if i == 0 {
        &t.horizon
    } else {
        &t.periods[i - 1]
    }
}

/// Paid hours and cost of teams `a` against teams `b` over `span`
/// ([`teams_total`]): a cost only when both sides have a priced team.
fn cost_difference<'a>(
    span: &Span,
    a: impl IntoIterator<Item = &'a TeamSpan>,
    b: impl IntoIterator<Item = &'a TeamSpan>,
    n: u64,
) -> CostDifference {
    let ((hours_a, cost_a), (hours_b, cost_b)) = (teams_total(a), teams_total(b));
    CostDifference {
        span: span.clone(),
        paid_hours: Difference::exact(hours_a, hours_b, n),
        cost: cost_a.zip(cost_b).map(|(x, y)| Difference::exact(x, y, n)),
    }
}

/// The names of `ours`' queues and teams that `theirs` lacks.
fn unmatched(ours: &Model, theirs: &Model) -> Unmatched {
    fn lacking<'a>(ours: impl Iterator<Item = &'a String>, theirs: impl Iterator<Item = &'a String>) -> Vec<String> {
        let theirs: Vec<&String> = theirs.collect();
        ours.filter(|name| !theirs.contains(name)).cloned().collect()
    }
    Unmatched {
        queues: lacking(ours.queues.iter().map(|q| &q.name), theirs.queues.iter().map(|q| &q.name)),
        teams: lacking(ours.teams.iter().map(|t| &t.name), theirs.teams.iter().map(|t| &t.name)),
    }
}

fn meta(a: Side, b: Side, paired_b: &Model, options: &CompareOptions) -> CompareMeta {
    let side = |s: Side| SideMeta {
        scenario: s.model.name.clone(),
        file: s.file.to_string(),
        scenario_sha256: s.scenario_sha256.to_string(),
        seed: s.model.seed,
        replications: s.model.replications,
        what_ifs: s.what_ifs.to_vec(),
    };
    let m = paired_b;
    CompareMeta {
        wfmsim_version: options.wfmsim_version.clone(),
        a: side(a),
        b: side(b),
        seed: m.seed,
        replications: m.replications,
        what_ifs: options.what_ifs.clone(),
        timezone: m.timezone_name.clone(),
        interval_minutes: m.interval_s / 60.0,
        currency: a.model.currency.clone(),
        first_day: m.days[0].date.to_string(),
        days: m.days.len(),
        period: options.period,
    }
}
