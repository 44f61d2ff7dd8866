//! KPIs and targets, defined once: each KPI's name in reports and JSON,
//! its unit, its definition, its range, and which direction meets a
//! target. `stats` computes them, `montecarlo` and `staffing` judge them,
//! every report format shows them through this module; adding a KPI
//! touches this file and the function in `stats` that measures it.

use crate::channel::Channel;

/// A measure reported per queue and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kpi {
    /// Live contacts that arrived.
    Offered,
    /// Deferred items that arrived.
    Arrived,
    /// Live contacts an agent took.
    Answered,
    /// Live contacts whose patience ran out first.
    Abandoned,
    /// Deferred items finished in the period.
    Handled,
    /// Share answered in time (live: within the threshold, by the
    /// scenario's rule; deferred: the period's arrivals finished within
    /// the target hours).
    ServiceLevel,
    /// Mean wait of answered live contacts.
    Asa,
    /// Abandoned / offered.
    AbandonRate,
    /// Time agents held at least one contact / time staffed, over the
    /// teams serving the queue.
    Occupancy,
    /// Chat-slot time used / chat-slot time staffed, over the teams
    /// serving the queue.
    SlotUtilization,
    /// Mean handle time (wall time per contact).
    Aht,
    /// Deferred items open at the period's start.
    BacklogStart,
    /// Deferred items open at the period's end.
    BacklogEnd,
    /// Most deferred items open at any interval boundary of the period.
    PeakBacklog,
    /// Age of the oldest item waiting (not yet taken) at the period's end.
    OldestAge,
    /// Mean time from arrival to finish of the items finished in the period.
    ResponseTime,
    /// 90th percentile of the same.
    ResponseTimeP90,
}

impl serde::Serialize for Kpi {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

/// Number of KPIs.
pub const KPI_COUNT: usize = 17;

/// How a KPI's numbers are measured and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Contacts or items.
    Count,
    /// A share in [0, 1], written as a percentage.
    Share,
    /// Seconds.
    Seconds,
    /// Seconds, written in hours.
    Hours,
}

impl Unit {
    /// The range every value of this unit lies in; confidence bounds are
    /// clamped to it.
    pub fn range(self) -> (f64, f64) {
        match self {
            Self::Share => (0.0, 1.0),
            Self::Count | Self::Seconds | Self::Hours => (0.0, f64::INFINITY),
        }
    }
}

impl Kpi {
    /// Every KPI, in report order.
    pub const ALL: [Kpi; KPI_COUNT] = [
        Kpi::Offered,
        Kpi::Arrived,
        Kpi::Answered,
        Kpi::Abandoned,
        Kpi::Handled,
        Kpi::ServiceLevel,
        Kpi::Asa,
        Kpi::AbandonRate,
        Kpi::Occupancy,
        Kpi::SlotUtilization,
        Kpi::Aht,
        Kpi::BacklogStart,
        Kpi::BacklogEnd,
        Kpi::PeakBacklog,
        Kpi::OldestAge,
        Kpi::ResponseTime,
        Kpi::ResponseTimeP90,
    ];

    /// Its position in [`Kpi::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The KPIs a queue of `channel` reports, in report order.
    pub fn for_channel(channel: Channel) -> &'static [Kpi] {
        use Kpi::*;
        match channel {
            Channel::Voice => &[Offered, Answered, Abandoned, ServiceLevel, Asa, AbandonRate, Occupancy, Aht],
            Channel::Chat => {
                &[Offered, Answered, Abandoned, ServiceLevel, Asa, AbandonRate, Occupancy, SlotUtilization, Aht]
            }
            Channel::Email | Channel::Case => &[
                Arrived,
                Handled,
                BacklogStart,
                BacklogEnd,
                PeakBacklog,
                OldestAge,
                ServiceLevel,
                ResponseTime,
                ResponseTimeP90,
                Occupancy,
                Aht,
            ],
        }
    }

    /// Its key in JSON and CSV (with the unit where it is not a count or share).
    pub fn key(self) -> &'static str {
        match self {
            Self::Offered => "offered",
            Self::Arrived => "arrived",
            Self::Answered => "answered",
            Self::Abandoned => "abandoned",
            Self::Handled => "handled",
            Self::ServiceLevel => "service_level",
            Self::Asa => "asa_s",
            Self::AbandonRate => "abandon_rate",
            Self::Occupancy => "occupancy",
            Self::SlotUtilization => "slot_utilization",
            Self::Aht => "aht_s",
            Self::BacklogStart => "backlog_start",
            Self::BacklogEnd => "backlog_end",
            Self::PeakBacklog => "peak_backlog",
            Self::OldestAge => "oldest_age_hours",
            Self::ResponseTime => "response_time_hours",
            Self::ResponseTimeP90 => "response_time_p90_hours",
        }
    }

    /// Its name in tables.
    pub fn label(self) -> &'static str {
        match self {
            Self::Offered => "offered",
            Self::Arrived => "arrived",
            Self::Answered => "answered",
            Self::Abandoned => "abandoned",
            Self::Handled => "handled",
            Self::ServiceLevel => "service level",
            Self::Asa => "ASA",
            Self::AbandonRate => "abandon rate",
            Self::Occupancy => "occupancy",
            Self::SlotUtilization => "slot utilization",
            Self::Aht => "AHT",
            Self::BacklogStart => "backlog start",
            Self::BacklogEnd => "backlog end",
            Self::PeakBacklog => "peak backlog",
            Self::OldestAge => "oldest age",
            Self::ResponseTime => "response time",
            Self::ResponseTimeP90 => "response P90",
        }
    }

    /// Its unit.
    pub fn unit(self) -> Unit {
        match self {
            Self::Offered
            | Self::Arrived
            | Self::Answered
            | Self::Abandoned
            | Self::Handled
            | Self::BacklogStart
            | Self::BacklogEnd
            | Self::PeakBacklog => Unit::Count,
            Self::ServiceLevel | Self::AbandonRate | Self::Occupancy | Self::SlotUtilization => Unit::Share,
            Self::Asa | Self::Aht => Unit::Seconds,
            Self::OldestAge | Self::ResponseTime | Self::ResponseTimeP90 => Unit::Hours,
        }
    }

    /// The side on which a value of this KPI is better: the direction its
    /// target bounds it in, and what `check --baseline` calls worse (the
    /// other way). `None` for volumes and times that are neither good nor
    /// bad (offered, AHT, slot utilization).
    pub fn better(self) -> Option<Bound> {
        match self {
            Self::ServiceLevel => Some(Bound::AtLeast),
            Self::Asa
            | Self::AbandonRate
            | Self::Occupancy
            | Self::PeakBacklog
            | Self::BacklogEnd
            | Self::OldestAge
            | Self::ResponseTime
            | Self::ResponseTimeP90 => Some(Bound::AtMost),
            _ => None,
        }
    }

    /// The KPI whose [`Kpi::key`] is `key`.
    pub fn from_key(key: &str) -> Option<Kpi> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The value as reported: hours for [`Unit::Hours`], else as measured.
    pub fn reported(self, measured: f64) -> f64 {
        match self.unit() {
            Unit::Hours => measured / 3600.0,
            _ => measured,
        }
    }
}

/// Which side of a target meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The KPI must be at least the target.
    AtLeast,
    /// The KPI must be at most the target.
    AtMost,
}

impl Bound {
    /// How far `value` lies on the meeting side of `target` (negative: on
    /// the missing side), in their unit.
    pub fn margin(self, value: f64, target: f64) -> f64 {
        match self {
            Bound::AtLeast => value - target,
            Bound::AtMost => target - value,
        }
    }
}

/// One target: a KPI, a bound and a value (in the KPI's measured unit).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Target {
    /// Its key in scenario files and JSON.
    pub key: &'static str,
    /// The KPI it judges.
    pub kpi: Kpi,
    /// Which side meets it.
    pub bound: Bound,
    /// The target value.
    pub value: f64,
}

impl Target {
    /// Whether `value` of its KPI meets it.
    pub fn met_by(&self, value: f64) -> bool {
        match self.bound {
            Bound::AtLeast => value >= self.value,
            Bound::AtMost => value <= self.value,
        }
    }
}

/// Targets a queue must meet; `None` means no such target.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Targets {
    /// Least service level (share answered within `within_s`).
    pub service_level: Option<f64>,
    /// Service-level threshold, seconds (for deferred work, the target
    /// hours in seconds).
    pub within_s: f64,
    /// Most mean wait of answered contacts, seconds.
    pub max_asa_s: Option<f64>,
    /// Most abandoned / offered.
    pub max_abandon: Option<f64>,
    /// Most occupancy.
    pub max_occupancy: Option<f64>,
    /// Most deferred items open at any interval boundary.
    pub max_backlog: Option<f64>,
}

impl Targets {
    /// The targets that are set, in report order.
    pub fn list(&self) -> Vec<Target> {
        let entries = [
            ("service_level", Kpi::ServiceLevel, self.service_level),
            ("max_asa_s", Kpi::Asa, self.max_asa_s),
            ("max_abandon", Kpi::AbandonRate, self.max_abandon),
            ("max_occupancy", Kpi::Occupancy, self.max_occupancy),
            ("max_backlog", Kpi::PeakBacklog, self.max_backlog),
        ];
        entries
            .into_iter()
            .filter_map(|(key, kpi, value)| {
                let bound = kpi.better().expect("a KPI with a target has a better side");
                value.map(|value| Target { key, kpi, bound, value })
            })
            .collect()
    }

    /// The targets in a planner's words: `SL 80.0% in 20 s, ASA ≤ 30 s`.
    pub fn describe(&self, channel: Channel) -> String {
        let parts: Vec<String> = self.list().iter().map(|t| describe_target(t, self.within_s, channel)).collect();
        if parts.is_empty() {
            "no targets".to_string()
        } else {
            parts.join(", ")
        }
    }
}

fn describe_target(t: &Target, within_s: f64, channel: Channel) -> String {
    let within = if channel.is_live() { format!("{within_s} s") } else { format!("{} h", within_s / 3600.0) };
    match t.kpi {
        Kpi::ServiceLevel => format!("SL {} in {within}", percent(t.value)),
        kpi if kpi.unit() == Unit::Count => format!("{} ≤ {}", short_label(kpi), t.value),
        kpi if kpi.unit() == Unit::Seconds => format!("{} ≤ {} s", short_label(kpi), t.value),
        kpi => format!("{} ≤ {}", short_label(kpi), format_value(kpi, t.value)),
    }
}

fn short_label(kpi: Kpi) -> &'static str {
    match kpi {
        Kpi::AbandonRate => "abandon",
        Kpi::PeakBacklog => "backlog",
        other => other.label(),
    }
}

/// A share as a percentage with one decimal: `81.2%`.
pub fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A KPI value, in its reported unit (hours for [`Unit::Hours`]), as a
/// table shows it.
pub fn format_value(kpi: Kpi, reported: f64) -> String {
    match kpi.unit() {
        Unit::Count => format!("{reported:.1}"),
        Unit::Share => percent(reported),
        Unit::Seconds => format!("{reported:.1} s"),
        Unit::Hours => format!("{reported:.1} h"),
    }
}

/// A figure per KPI (a summary across replications, a paired difference),
/// in the channel's report order; `None` where the KPI is undefined. JSON:
/// an object keyed by [`Kpi::key`].
#[derive(Debug, Clone, PartialEq)]
pub struct ByKpi<T>(pub Vec<(Kpi, Option<T>)>);

impl<T> Default for ByKpi<T> {
    fn default() -> Self {
        ByKpi(Vec::new())
    }
}

impl<T: Copy> ByKpi<T> {
    /// The figure of `kpi`, if reported and defined.
    pub fn get(&self, kpi: Kpi) -> Option<T> {
        self.0.iter().find(|(k, _)| *k == kpi).and_then(|(_, s)| *s)
    }

    /// Every KPI reported, with its figure.
    pub fn iter(&self) -> impl Iterator<Item = (Kpi, Option<T>)> + '_ {
        self.0.iter().copied()
    }
}

impl<T: serde::Serialize> serde::Serialize for ByKpi<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (kpi, figure) in &self.0 {
            map.serialize_entry(kpi.key(), figure)?;
        }
        map.end()
    }
}

/// One replication's KPIs over one period, `None` where undefined (nothing
/// offered, nobody staffed) or not applicable to the channel.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct KpiValues([Option<f64>; KPI_COUNT]);

impl KpiValues {
    /// The value of `kpi`, in its measured unit.
    pub fn get(&self, kpi: Kpi) -> Option<f64> {
        self.0[kpi.index()]
    }

    /// Sets `kpi` to `value`.
    pub fn set(&mut self, kpi: Kpi, value: Option<f64>) {
        self.0[kpi.index()] = value;
    }

    /// Whether every target is met; an undefined KPI does not miss.
    pub fn meets(&self, targets: &Targets) -> bool {
        targets.list().iter().all(|t| self.get(t.kpi).is_none_or(|v| t.met_by(v)))
    }
}

/// The KPI definitions as README states them, one line each, for tests
/// that keep README and code in step.
pub fn definition(kpi: Kpi) -> &'static str {
    match kpi {
        Kpi::Offered => "live contacts that arrived",
        Kpi::Arrived => "deferred items that arrived",
        Kpi::Answered => "live contacts an agent took",
        Kpi::Abandoned => "live contacts whose patience ran out before an answer",
        Kpi::Handled => "deferred items finished in the period",
        Kpi::ServiceLevel => "live: answered within the threshold by the scenario's rule; deferred: share of the period's arrivals finished within the target hours",
        Kpi::Asa => "mean wait of answered live contacts",
        Kpi::AbandonRate => "abandoned / offered",
        Kpi::Occupancy => "time agents held at least one contact / time staffed, over the serving teams",
        Kpi::SlotUtilization => "chat-slot time used / chat-slot time staffed, over the serving teams",
        Kpi::Aht => "mean handle time, wall time from answer to end",
        Kpi::BacklogStart => "deferred items open at the period's start",
        Kpi::BacklogEnd => "deferred items open at the period's end",
        Kpi::PeakBacklog => "most deferred items open at any interval boundary of the period",
        Kpi::OldestAge => "age of the oldest item not yet taken at the period's end",
        Kpi::ResponseTime => "mean time from arrival to finish of the items finished in the period",
        Kpi::ResponseTimeP90 => "90th percentile of that time",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kpi_is_listed_once_in_index_order() {
        for (i, k) in Kpi::ALL.iter().enumerate() {
            assert_eq!(k.index(), i, "{k:?}");
        }
        let mut keys: Vec<_> = Kpi::ALL.iter().map(|k| k.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), KPI_COUNT);
    }

    #[test]
    fn targets_judge_in_their_direction_and_undefined_values_do_not_miss() {
        let t = Targets { service_level: Some(0.8), max_asa_s: Some(30.0), within_s: 20.0, ..Default::default() };
        let mut v = KpiValues::default();
        v.set(Kpi::ServiceLevel, Some(0.8));
        v.set(Kpi::Asa, Some(30.0));
        assert!(v.meets(&t));
        v.set(Kpi::Asa, Some(30.1));
        assert!(!v.meets(&t));
        v.set(Kpi::Asa, None);
        assert!(v.meets(&t));
        v.set(Kpi::ServiceLevel, Some(0.79));
        assert!(!v.meets(&t));
    }

    #[test]
    fn targets_read_as_a_planner_writes_them() {
        let t =
            Targets { service_level: Some(0.9), within_s: 86_400.0, max_backlog: Some(500.0), ..Default::default() };
        assert_eq!(t.describe(Channel::Email), "SL 90.0% in 24 h, backlog ≤ 500");
        let v = Targets { service_level: Some(0.8), within_s: 20.0, max_abandon: Some(0.05), ..Default::default() };
        assert_eq!(v.describe(Channel::Voice), "SL 80.0% in 20 s, abandon ≤ 5.0%");
    }
}
