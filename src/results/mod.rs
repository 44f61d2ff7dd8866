//! Results as typed data: what a run reports, built once and rendered by
//! every format in `report`. A run folds each replication into tallies
//! ([`RunTally`]) laid out like its frame ([`Frame`]: the queues, teams and
//! periods reported, with everything that does not depend on the random
//! draws); [`finish`] turns frame and tallies into [`Results`]. A shard of
//! a run writes its frame and tallies as a [`Partial`]; partials merge by
//! adding tallies, which is exact, so merged shards give the same bytes as
//! one run.

use std::ops::Range;

pub mod judge;

use serde::ser::SerializeMap;

use serde::{Deserialize, Serialize};

use crate::channel::Channel;
use crate::cost::Tariff;
use crate::kpi::{ByKpi, Kpi, KpiValues, Target, Targets, Unit};
use crate::model::Model;
use crate::periods::PeriodKind;
use crate::stats::tally::{Scale, Tally};
use crate::stats::{summarize_in, wilson, Summary};

/// What JSON and CSV carry beside the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Detail {
    /// The horizon only.
    Horizon,
    /// The horizon and each roll-up period.
    #[default]
    Period,
    /// The horizon, each period and each interval.
    Interval,
}

impl Detail {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Horizon => "horizon",
            Self::Period => "period",
            Self::Interval => "interval",
        }
    }
}

/// A what-if applied to the scenario, echoed as given on the command line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Echo {
    /// The flag, without dashes (`volume-scale`).
    pub flag: String,
    /// Its value as given.
    pub value: String,
}

/// Where a report comes from, so that any figure can be traced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// wfmsim's version.
    pub wfmsim_version: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replications in the whole run.
    pub replications: u32,
    /// What-ifs applied, in the order applied.
    pub what_ifs: Vec<Echo>,
}

/// Everything a report says about the run as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The scenario's name.
    pub scenario: String,
    /// Where the figures come from.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// IANA zone of the report.
    pub timezone: String,
    /// Interval length, minutes.
    pub interval_minutes: f64,
    /// First reported day.
    pub first_day: String,
    /// Reported days.
    pub days: usize,
    /// The service-level rule's name.
    pub service_level_rule: String,
    /// What the report carries.
    pub detail: Detail,
    /// How days are grouped.
    pub period: PeriodKind,
    /// ISO 4217 code of every amount, if the scenario names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A reported span: its bounds and what does not depend on the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Period label (a day, `2026-W48`, `2026-11`, `2026-Q4`); absent for
    /// the horizon and intervals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Start, RFC 3339 in the reporting zone.
    pub start: String,
    /// End (exclusive), RFC 3339 in the reporting zone.
    pub end: String,
    /// The horizon covers only part of this calendar period.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub partial: bool,
    /// Deferred work whose arrivals' deadlines all lie past the horizon's
    /// end: its service level is pending, neither met nor missed.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub pending: bool,
    /// Names of the `[[event]]`s in force in a roll-up period that touch
    /// the queue or team (none for the horizon and intervals).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub events: Vec<String>,
    /// Its intervals.
    #[serde(skip)]
    pub intervals: Range<usize>,
    /// Its reported days, when made of whole days.
    #[serde(skip)]
    pub days: Option<Range<usize>>,
}

/// A team's span with its roster's paid hours and cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamSpan {
    /// The span.
    #[serde(flatten)]
    pub span: Span,
    /// Hours of the shifts worked in it (breaks included), agents × hours;
    /// the same in every replication.
    pub paid_hours: f64,
    /// Its cost ([`crate::cost`]), when priced: pay and overtime of the
    /// paid hours here; in a team's results, their mean with the contacts
    /// it handled (and absent hours not paid) across replications.
    pub cost: Option<f64>,
}

/// A queue as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueFrame {
    /// The queue.
    pub name: String,
    /// Its channel.
    pub channel: Channel,
    /// Its targets.
    pub targets: Targets,
    /// The whole reported span.
    pub horizon: Span,
    /// Each roll-up period.
    pub periods: Vec<Span>,
    /// Each interval (with `--detail interval`).
    pub intervals: Vec<Span>,
}

/// A team as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamFrame {
    /// The team.
    pub name: String,
    /// Its unplanned absence rate (absent hours are reported only with
    /// one).
    #[serde(default)]
    pub absence_rate: f64,
    /// Share of absent hours not paid: cost falls by that share of them.
    #[serde(default)]
    pub absence_unpaid: f64,
    /// What it is paid ([`crate::cost`]), when priced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tariff: Option<Tariff>,
    /// The whole reported span.
    pub horizon: TeamSpan,
    /// Each roll-up period.
    pub periods: Vec<TeamSpan>,
}

/// Everything a run reports that does not depend on the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// The run as a whole.
    pub meta: Meta,
    /// The queues, in scenario order.
    pub queues: Vec<QueueFrame>,
    /// The teams, in scenario order.
    pub teams: Vec<TeamFrame>,
}

impl Frame {
    /// The frame of a run of `model`.
    pub fn of(model: &Model, provenance: Provenance, detail: Detail, period: PeriodKind) -> Self {
        let spans = crate::periods::spans(model, period);
        let whole = |days: Option<Range<usize>>, intervals: Range<usize>, label: Option<String>, partial| Span {
            label,
            start: rfc3339(model, intervals.start),
            end: rfc3339(model, intervals.end),
            partial,
            pending: false,
            events: Vec::new(),
            intervals,
            days,
        };
        let horizon = whole(Some(0..model.days.len()), 0..model.n_intervals, None, false);
        let periods: Vec<Span> = match detail {
            Detail::Horizon => Vec::new(),
            _ => spans
                .iter()
                .map(|s| whole(Some(s.days.clone()), s.intervals.clone(), Some(s.label.clone()), s.partial))
                .collect(),
        };
        let intervals: Vec<Span> = match detail {
            Detail::Interval => (0..model.n_intervals).map(|i| whole(None, i..i + 1, None, false)).collect(),
            _ => Vec::new(),
        };
        let queues = (0..model.queues.len())
            .map(|q| {
                let queue = &model.queues[q];
                let decided = decided_until(model, q);
                let mark = |s: &Span| Span { pending: s.intervals.start >= decided, ..s.clone() };
                let noted = |s: &Span| Span { events: model.events_in(s.intervals.clone(), Some(q), None), ..mark(s) };
                QueueFrame {
                    name: queue.name.clone(),
                    channel: queue.channel,
                    targets: queue.targets,
                    horizon: mark(&horizon),
                    periods: periods.iter().map(noted).collect(),
                    intervals: intervals.iter().map(noted).collect(),
                }
            })
            .collect();
        let teams = (0..model.teams.len())
            .map(|t| TeamFrame {
                name: model.teams[t].name.clone(),
                absence_rate: model.teams[t].absence.rate,
                absence_unpaid: 1.0 - model.teams[t].absence.paid,
                tariff: crate::cost::team_rate(model, t).map(|r| r.tariff(crate::cost::fte_month_hours(model))),
                horizon: team_span(model, t, &horizon),
                periods: periods
                    .iter()
                    .map(|s| {
                        team_span(
                            model,
                            t,
                            &Span { events: model.events_in(s.intervals.clone(), None, Some(t)), ..s.clone() },
                        )
                    })
                    .collect(),
            })
            .collect();
        let meta = Meta {
            scenario: model.name.clone(),
            provenance,
            timezone: model.timezone_name.clone(),
            interval_minutes: model.interval_s / 60.0,
            first_day: model.days[0].date.to_string(),
            days: model.days.len(),
            service_level_rule: model.service_level_rule.name().to_string(),
            detail,
            period,
            currency: model.currency.clone(),
        };
        Frame { meta, queues, teams }
    }
}

fn team_span(model: &Model, t: usize, span: &Span) -> TeamSpan {
    let (from, to) = (span.intervals.start as f64 * model.interval_s, span.intervals.end as f64 * model.interval_s);
    let paid_hours = model.paid_seconds(t, from, to) / 3600.0;
    let cost = crate::cost::team_lines(model, t, paid_hours, 0.0).map(|l| l.total());
    TeamSpan { span: span.clone(), paid_hours, cost }
}

/// The first interval of queue `q` whose arrivals' deadlines (the interval's
/// end plus the target hours) lie past the horizon's end, so that their
/// service level is not known; every interval is decided for live queues.
pub fn decided_until(model: &Model, q: usize) -> usize {
    let queue = &model.queues[q];
    if queue.channel.is_live() {
        return usize::MAX;
    }
    let last = ((model.report_end_s() - queue.targets.within_s) / model.interval_s).floor();
    (last.max(0.0) as usize).min(model.n_intervals)
}

/// Start of interval `interval`, RFC 3339 with the reporting zone's offset.
pub fn rfc3339(model: &Model, interval: usize) -> String {
    let start = model.interval_start(interval);
    start.timestamp().display_with_offset(start.offset()).to_string()
}

/// The fixed-point grid of a KPI's values (see [`Scale`]).
pub(crate) fn kpi_scale(kpi: Kpi) -> Scale {
    match kpi.unit() {
        Unit::Share => Scale(40),
        Unit::Seconds | Unit::Hours => Scale(16),
        Unit::Count => Scale(8),
    }
}

/// Team figures are tallied in seconds.
pub(crate) const TEAM_SCALE: Scale = Scale(4);
/// Contacts a team took: whole numbers.
const COUNT_SCALE: Scale = Scale(0);
/// Money: to 1/1024 of a unit.
const MONEY_SCALE: Scale = Scale(10);

/// One queue's period across the replications folded so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PeriodTally {
    /// Replications folded.
    pub n: u64,
    /// Per KPI of the channel, in its report order (measured units).
    pub kpis: Vec<Tally>,
    /// Per target of the queue, the replications meeting it.
    pub met: Vec<u64>,
}

impl PeriodTally {
    fn new(channel: Channel, targets: &Targets) -> Self {
        Self { n: 0, kpis: vec![Tally::default(); Kpi::for_channel(channel).len()], met: vec![0; targets.list().len()] }
    }

    /// Folds in one replication's KPIs.
    pub fn add(&mut self, channel: Channel, targets: &Targets, v: &KpiValues) {
        self.n += 1;
        for (t, &kpi) in self.kpis.iter_mut().zip(Kpi::for_channel(channel)) {
            if let Some(x) = v.get(kpi) {
                t.add(x, kpi_scale(kpi));
            }
        }
        for (m, target) in self.met.iter_mut().zip(targets.list()) {
            if v.get(target.kpi).is_none_or(|x| target.met_by(x)) {
                *m += 1;
            }
        }
    }

    fn merge(&mut self, o: &PeriodTally) {
        self.n += o.n;
        self.kpis.iter_mut().zip(&o.kpis).for_each(|(a, b)| a.merge(b));
        self.met.iter_mut().zip(&o.met).for_each(|(a, b)| *a += b);
    }

    fn finish(&self, channel: Channel, targets: &Targets) -> (KpiSummaries, TargetShares) {
        let kpis = Kpi::for_channel(channel)
            .iter()
            .zip(&self.kpis)
            .map(|(&kpi, t)| {
                let s = t.summary(kpi_scale(kpi), kpi.unit().range()).map(|s| reported(kpi, s));
                (kpi, s)
            })
            .collect();
        let shares = targets.list().into_iter().zip(&self.met).map(|(t, &m)| (t, share(m, self.n))).collect();
        (ByKpi(kpis), TargetShares(shares))
    }
}

/// The share of `n` replications meeting a target (`met` of them), with
/// its 95% Wilson interval.
fn share(met: u64, n: u64) -> TargetShare {
    TargetShare { target: f64::NAN, met_share: met as f64 / n.max(1) as f64, met_ci95: wilson(met, n) }
}

/// A summary in a KPI's reported unit (hours for [`Unit::Hours`]).
fn reported(kpi: Kpi, s: Summary) -> Summary {
    s.map(|x| kpi.reported(x))
}

/// One team's period across the replications folded so far (seconds).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamTally {
    /// Staffed agent-seconds.
    pub staffed: Tally,
    /// Busy agent-seconds.
    pub busy: Tally,
    /// Busy / staffed, where staffed.
    pub occupancy: Tally,
    /// Agent-seconds absent unplanned.
    #[serde(default)]
    pub absent: Tally,
    /// Contacts its agents took.
    #[serde(default)]
    pub handled: Tally,
    /// Its cost ([`crate::cost`]), when priced.
    #[serde(default)]
    pub cost: Tally,
}

impl TeamTally {
    /// Folds in one replication's agent time (seconds), contacts taken and
    /// cost (when priced).
    pub fn add(&mut self, (staffed_s, busy_s, absent_s): (f64, f64, f64), handled: u32, cost: Option<f64>) {
        self.handled.add(handled as f64, COUNT_SCALE);
        if let Some(c) = cost {
            self.cost.add(c.max(0.0), MONEY_SCALE);
        }
        self.staffed.add(staffed_s, TEAM_SCALE);
        self.busy.add(busy_s, TEAM_SCALE);
        if staffed_s > 0.0 {
            self.occupancy.add(busy_s / staffed_s, Scale(40));
        }
        self.absent.add(absent_s, TEAM_SCALE);
    }

    fn merge(&mut self, o: &TeamTally) {
        self.staffed.merge(&o.staffed);
        self.busy.merge(&o.busy);
        self.occupancy.merge(&o.occupancy);
        self.absent.merge(&o.absent);
        self.handled.merge(&o.handled);
        self.cost.merge(&o.cost);
    }
}

/// One queue's tallies, laid out like its frame.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueTally {
    /// The horizon.
    pub horizon: PeriodTally,
    /// Each roll-up period.
    pub periods: Vec<PeriodTally>,
    /// Each interval, with `--detail interval`.
    pub intervals: Vec<PeriodTally>,
}

/// One team's tallies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamTallies {
    /// The horizon.
    pub horizon: TeamTally,
    /// Each roll-up period.
    pub periods: Vec<TeamTally>,
}

/// Every tally of a run, laid out like its frame.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunTally {
    /// Per queue.
    pub queues: Vec<QueueTally>,
    /// Per team.
    pub teams: Vec<TeamTallies>,
}

impl RunTally {
    /// Empty tallies for `frame`.
    pub fn new(frame: &Frame) -> Self {
        let queues = frame
            .queues
            .iter()
            .map(|q| {
                let p = || PeriodTally::new(q.channel, &q.targets);
                QueueTally {
                    horizon: p(),
                    periods: q.periods.iter().map(|_| p()).collect(),
                    intervals: q.intervals.iter().map(|_| p()).collect(),
                }
            })
            .collect();
        let teams = frame
            .teams
            .iter()
            .map(|t| TeamTallies {
                horizon: TeamTally::default(),
                periods: vec![TeamTally::default(); t.periods.len()],
            })
            .collect();
        RunTally { queues, teams }
    }

    /// Adds another run's tallies (a shard) of the same frame.
    pub fn merge(&mut self, o: &RunTally) {
        for (a, b) in self.queues.iter_mut().zip(&o.queues) {
            a.horizon.merge(&b.horizon);
            a.periods.iter_mut().zip(&b.periods).for_each(|(x, y)| x.merge(y));
            a.intervals.iter_mut().zip(&b.intervals).for_each(|(x, y)| x.merge(y));
        }
        for (a, b) in self.teams.iter_mut().zip(&o.teams) {
            a.horizon.merge(&b.horizon);
            a.periods.iter_mut().zip(&b.periods).for_each(|(x, y)| x.merge(y));
        }
    }
}

/// KPIs of a period, each summarised across replications (in its
/// reported unit: hours for [`crate::kpi::Unit::Hours`]), in the
/// channel's report order; `None` where the KPI is undefined in every
/// replication. JSON: an object keyed by [`Kpi::key`].
pub type KpiSummaries = ByKpi<Summary>;

/// A target and the share of replications that met it (P(meet)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TargetShare {
    /// The target value (share, seconds or items).
    pub target: f64,
    /// Share of replications in which the period met it.
    pub met_share: f64,
    /// 95% Wilson score interval of that share.
    pub met_ci95: [f64; 2],
}

/// The targets of a queue over a period, each with the share of
/// replications meeting it; a period where the KPI is undefined (nothing
/// offered) does not miss. JSON: an object keyed by [`Target::key`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetShares(Vec<(Target, TargetShare)>);

impl TargetShares {
    /// The share of replications meeting the target on `kpi`, if set.
    pub fn get(&self, kpi: Kpi) -> Option<TargetShare> {
        self.shares().find(|(t, _)| t.kpi == kpi).map(|(_, s)| s)
    }

    /// Every target with the share of replications meeting it.
    pub fn iter(&self) -> impl Iterator<Item = (Target, f64)> + '_ {
        self.shares().map(|(t, s)| (t, s.met_share))
    }

    /// Every target with its share and the share's interval.
    pub fn shares(&self) -> impl Iterator<Item = (Target, TargetShare)> + '_ {
        self.0.iter().map(|&(t, s)| (t, TargetShare { target: t.value, ..s }))
    }
}

impl Serialize for TargetShares {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (t, share) in self.shares() {
            map.serialize_entry(t.key, &share)?;
        }
        map.end()
    }
}

/// A period of a queue likely to miss a target: listed in a run's risk
/// section (see [`risks`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    /// The queue.
    pub queue: String,
    /// The period's label (a day, a week, ...).
    pub label: String,
    /// The target's key ([`Target::key`]).
    pub target: &'static str,
    /// The target value (share, seconds or items).
    pub target_value: f64,
    /// Share of replications in which the period met it.
    pub met_share: f64,
    /// 95% Wilson score interval of that share.
    pub met_ci95: [f64; 2],
    /// The target itself.
    #[serde(skip)]
    pub judged: Target,
}

/// Periods whose share meeting a target is below this are risks.
pub const RISK_BELOW: f64 = 0.95;
/// Most risks listed.
pub const RISKS_LISTED: usize = 5;

/// The periods most likely to miss a target: every (queue, period, target)
/// whose share of replications meeting it is below [`RISK_BELOW`], lowest
/// first (ties in scenario, period and target order), at most
/// [`RISKS_LISTED`]. A pending period of deferred work is left out.
pub fn risks(queues: &[QueueResults]) -> Vec<Risk> {
    let mut all: Vec<Risk> = queues
        .iter()
        .flat_map(|q| {
            q.periods.iter().flat_map(move |p| {
                p.targets
                    .shares()
                    .filter(move |(t, s)| s.met_share < RISK_BELOW && !(p.span.pending && t.kpi == Kpi::ServiceLevel))
                    .map(move |(t, share)| Risk {
                        queue: q.name.clone(),
                        label: p.span.label.clone().unwrap_or_else(|| p.span.start[..10].to_string()),
                        target: t.key,
                        target_value: t.value,
                        met_share: share.met_share,
                        met_ci95: share.met_ci95,
                        judged: t,
                    })
            })
        })
        .collect();
    all.sort_by(|a, b| a.met_share.total_cmp(&b.met_share));
    all.truncate(RISKS_LISTED);
    all
}

/// One reported span of one queue with its KPIs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// Where it lies.
    #[serde(flatten)]
    pub span: Span,
    /// The KPIs.
    #[serde(flatten)]
    pub kpis: KpiSummaries,
    /// The targets met.
    pub targets: TargetShares,
}

/// One queue's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueResults {
    /// The queue.
    pub name: String,
    /// Its channel.
    pub channel: Channel,
    /// Its targets in a planner's words.
    pub targets: String,
    /// The whole reported span.
    pub horizon: Period,
    /// Each roll-up period (`--period`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<Period>,
    /// Each interval (`--detail interval`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub intervals: Vec<Period>,
}

impl QueueResults {
    /// The periods the staffing by team and the rosters judge its targets
    /// on: each interval of live work, each roll-up period (a day) of
    /// deferred work, whose targets span its deadline.
    pub fn judged_periods(&self) -> &[Period] {
        if self.channel.is_live() {
            &self.intervals
        } else {
            &self.periods
        }
    }
}

/// One team over one span: its roster's paid hours and cost, and how the
/// agents' time was used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamPeriod {
    /// Where it lies, paid hours and cost.
    #[serde(flatten)]
    pub span: TeamSpan,
    /// Agent-hours logged in and not on a break (with time spent finishing
    /// work after a shift ended).
    pub staffed_hours: Option<Summary>,
    /// Agent-hours holding at least one contact.
    pub busy_hours: Option<Summary>,
    /// Busy / staffed.
    pub occupancy: Option<Summary>,
    /// Agent-hours of shifts missed unplanned (absence), apart from planned
    /// shrinkage; only for a team with an absence rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absent_hours: Option<Summary>,
    /// Contacts its agents took (answered calls and chats, deferred items
    /// started), when it is priced per contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handled: Option<Summary>,
    /// The cost's lines (means), when overtime or contacts are priced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_lines: Option<crate::cost::Lines>,
    /// P10, P50 and P90 of cost across replications, where it varies (absent
    /// hours not paid, contacts priced).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_percentiles: Option<CostPercentiles>,
}

/// Cost across replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CostPercentiles {
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// One team's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamResults {
    /// The team.
    pub name: String,
    /// The whole reported span.
    pub horizon: TeamPeriod,
    /// Each roll-up period.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<TeamPeriod>,
}

/// Every team together over one span: what finance budgets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllTeams {
    /// Where it lies.
    #[serde(flatten)]
    pub span: Span,
    /// Paid hours of every team.
    pub paid_hours: f64,
    /// Cost of the teams that are priced (`None` when none is).
    pub cost: Option<f64>,
}

/// Every queue's and team's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// The run as a whole.
    #[serde(flatten)]
    pub meta: Meta,
    /// One entry per queue, in scenario order.
    pub queues: Vec<QueueResults>,
    /// One entry per team, in scenario order.
    pub teams: Vec<TeamResults>,
    /// Every team together: the horizon, then each roll-up period.
    pub all_teams: Vec<AllTeams>,
    /// The periods most likely to miss a target ([`risks`]).
    pub risk: Vec<Risk>,
}

/// Paid hours and cost of every team over each span (the horizon first,
/// then the periods).
fn all_teams(teams: &[TeamResults]) -> Vec<AllTeams> {
    let Some(first) = teams.first() else { return Vec::new() };
    let spans = std::iter::once(&first.horizon).chain(&first.periods).map(|p| &p.span.span);
    spans
        .enumerate()
        .map(|(i, span)| {
            fn at(t: &TeamResults, i: usize) -> &TeamSpan {
                if i == 0 {
                    &t.horizon.span
                } else {
                    &t.periods[i - 1].span
                }
            }
            let (paid_hours, cost) = teams_total(teams.iter().map(|t| at(t, i)));
            AllTeams { span: Span { events: Vec::new(), ..span.clone() }, paid_hours, cost }
        })
        .collect()
}

/// Paid hours and cost of several teams together over one span: the sum
/// of their paid hours, and of the costs of those that are priced (`None`
/// when none is).
pub fn teams_total<'a>(spans: impl IntoIterator<Item = &'a TeamSpan>) -> (f64, Option<f64>) {
    // Folds from +0: an empty f64 sum is −0, which would print as "-0".
    let (mut hours, mut cost) = (0.0, None);
    for s in spans {
        hours += s.paid_hours;
        if let Some(c) = s.cost {
            cost = Some(cost.unwrap_or(0.0) + c);
        }
    }
    (hours, cost)
}

/// One queue's results from its tallies, carrying what `detail` asks for.
pub fn finish_queue(f: &QueueFrame, t: &QueueTally, detail: Detail) -> QueueResults {
    let period = |span: &Span, pt: &PeriodTally| {
        let (kpis, targets) = pt.finish(f.channel, &f.targets);
        Period { span: span.clone(), kpis, targets }
    };
    let periods = |spans: &[Span], ts: &[PeriodTally]| spans.iter().zip(ts).map(|(s, t)| period(s, t)).collect();
    QueueResults {
        name: f.name.clone(),
        channel: f.channel,
        targets: f.targets.describe(f.channel),
        horizon: period(&f.horizon, &t.horizon),
        periods: if detail >= Detail::Period { periods(&f.periods, &t.periods) } else { Vec::new() },
        intervals: if detail >= Detail::Interval { periods(&f.intervals, &t.intervals) } else { Vec::new() },
    }
}

/// The results of `tally` over `frame`, carrying what `detail` asks for,
/// with the queues' results made by [`finish_queue`], in the frame's order
/// (`montecarlo::finish` makes them in parallel).
pub fn finish(frame: &Frame, tally: &RunTally, detail: Detail, queues: Vec<QueueResults>) -> Results {
    let teams: Vec<TeamResults> = frame
        .teams
        .iter()
        .zip(&tally.teams)
        .map(|(f, t)| TeamResults {
            name: f.name.clone(),
            horizon: team_period(f, &f.horizon, &t.horizon),
            periods: match detail >= Detail::Period {
                true => f.periods.iter().zip(&t.periods).map(|(s, t)| team_period(f, s, t)).collect(),
                false => Vec::new(),
            },
        })
        .collect();
    let all_teams = all_teams(&teams);
    let risk = risks(&queues);
    Results { meta: Meta { detail, ..frame.meta.clone() }, queues, teams, all_teams, risk }
}

fn team_period(team: &TeamFrame, span: &TeamSpan, t: &TeamTally) -> TeamPeriod {
    let hours = |s: Option<Summary>| s.map(|s| s.map(|x| x / 3600.0));
    let range = (0.0, f64::INFINITY);
    let absent_hours = hours(t.absent.summary(TEAM_SCALE, range)).filter(|_| team.absence_rate > 0.0);
    // Cost ([`crate::cost`]): the paid hours less the unpaid share of
    // absent hours, and the contacts taken. Its mean follows from theirs
    // (the lines are linear); it varies where absence is unpaid (its P10
    // from absence's P90) or contacts are priced (percentiles of the
    // replications' costs).
    let handled = t.handled.summary(COUNT_SCALE, range);
    let tariff = team.tariff.filter(|_| span.cost.is_some());
    let absent_mean = absent_hours.map_or(0.0, |a| a.mean);
    let lines = tariff.map(|x| {
        let unpaid = if team.absence_rate > 0.0 { team.absence_unpaid * absent_mean } else { 0.0 };
        x.lines(span.paid_hours - unpaid, handled.map_or(0.0, |h| h.mean))
    });
    let per_contact = tariff.is_some_and(|x| x.per_contact_priced());
    let unpaid_absence = team.absence_rate > 0.0 && team.absence_unpaid > 0.0;
    let cost_percentiles = match tariff {
        Some(_) if per_contact => t.cost.summary(MONEY_SCALE, range).map(|c| CostPercentiles {
            p10: c.p10,
            p50: t.cost.percentile(0.5).unwrap_or(c.mean),
            p90: c.p90,
        }),
        Some(x) if unpaid_absence && x.per_hour > 0.0 => {
            let cost_at = |absent_h: f64| x.lines(span.paid_hours - team.absence_unpaid * absent_h, 0.0).total();
            let p = |q: f64| t.absent.percentile(q).unwrap_or(0.0) / 3600.0;
            Some(CostPercentiles { p10: cost_at(p(0.9)), p50: cost_at(p(0.5)), p90: cost_at(p(0.1)) })
        }
        _ => None,
    };
    let cost = match (lines, unpaid_absence || per_contact) {
        (Some(l), true) => Some(l.total()),
        _ => span.cost,
    };
    let cost_lines = lines.filter(|_| tariff.is_some_and(|x| per_contact || x.overtime_share > 0.0));
    TeamPeriod {
        span: TeamSpan { cost, ..span.clone() },
        staffed_hours: hours(t.staffed.summary(TEAM_SCALE, range)),
        busy_hours: hours(t.busy.summary(TEAM_SCALE, range)),
        occupancy: t.occupancy.summary(Scale(40), (0.0, 1.0)),
        absent_hours,
        handled: handled.filter(|_| per_contact),
        cost_lines,
        cost_percentiles,
    }
}

/// A shard's share of a run, written by `run --shard K/N` and read by
/// `merge`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Always [`PARTIAL_FORMAT`]: tells a partial from a report.
    pub format: String,
    /// This shard, 1-based, and the number of shards.
    pub shard: [u32; 2],
    /// The replications it ran.
    pub replications: [u32; 2],
    /// The run's frame (identical in every shard of the run).
    pub frame: Frame,
    /// Its tallies.
    pub tally: RunTally,
}

/// The `format` of a partial file.
pub const PARTIAL_FORMAT: &str = "wfmsim-partial-1";

/// Summarises each KPI of `channel` over the replications where it is
/// defined.
pub fn summarize_kpis(channel: Channel, samples: &[KpiValues]) -> KpiSummaries {
    let summaries = Kpi::for_channel(channel)
        .iter()
        .map(|&kpi| {
            let mut values: Vec<f64> = samples.iter().filter_map(|v| v.get(kpi)).map(|x| kpi.reported(x)).collect();
            (kpi, summarize_in(&mut values, kpi.unit().range()))
        })
        .collect();
    ByKpi(summaries)
}

/// Share of replications meeting each target; an undefined KPI (nothing
/// offered, nobody staffed) does not miss its target.
pub fn target_shares(targets: &Targets, samples: &[KpiValues]) -> TargetShares {
    let shares = targets
        .list()
        .into_iter()
        .map(|t| {
            let met = samples.iter().filter(|v| v.get(t.kpi).is_none_or(|x| t.met_by(x))).count();
            (t, share(met as u64, samples.len() as u64))
        })
        .collect();
    TargetShares(shares)
}
