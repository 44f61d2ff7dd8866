//! Cost: the one definition of every cost line, for every command.
//!
//! A team is priced on one basis ([`Price`], from `[[team]]`'s
//! `cost_per_hour`, `cost_per_contact` or `cost_per_fte_month`; a team with
//! none takes `[staffing].cost_per_hour`), and may work a share of its paid
//! hours as overtime at a premium ([`PaidOvertime`], `[[team]].overtime`).
//! Its cost over any span is three lines ([`Lines`]):
//!
//! - **pay** = (paid hours − overtime hours) × price per hour, where a
//!   price per FTE-month is per hour ÷ the paid hours of one FTE-month
//!   (`paid_hours_per_week` × [`WEEKS_PER_MONTH`]; `plan` uses each
//!   calendar month's own days);
//! - **overtime** = overtime hours × price per hour × premium;
//! - **contacts** = handled contacts × price per contact (contacts answered
//!   by the team's agents, or deferred items they took);
//!
//! and their **total**. `run`, `check`, `compare` and `sweep` price the
//! roster's paid hours and the contacts each team handled in each
//! replication (a per-contact team's cost varies with the simulation);
//! `staff` prices a queue's requirement at the share-weighted rate of the
//! teams that would do the work ([`queue_rate`]); `schedule` prices the
//! shifts it rosters; `plan` prices each month's paid and overtime hours
//! and handled contacts with the same functions.

use serde::Serialize;

pub use crate::model::price::{PaidOvertime, Price};
use crate::model::Model;

/// Weeks in an average month: 365.25 / 7 / 12.
pub const WEEKS_PER_MONTH: f64 = 365.25 / 7.0 / 12.0;

/// A cost split into its lines, in the scenario's currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Lines {
    /// Normal paid hours × price per hour.
    pub pay: f64,
    /// Overtime hours × price per hour × premium.
    pub overtime: f64,
    /// Handled contacts × price per contact.
    pub contacts: f64,
}

impl Lines {
    /// Pay + overtime + contacts.
    pub fn total(&self) -> f64 {
        self.pay + self.overtime + self.contacts
    }
}

/// What one team is paid: its price and its overtime.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// The price basis.
    pub price: Price,
    /// The share of paid hours worked as overtime, and its premium.
    pub overtime: Option<PaidOvertime>,
}

impl Rate {
    /// Price of one paid hour (0 for a per-contact price), given the paid
    /// hours of one FTE-month.
    pub fn per_hour(&self, fte_month_hours: f64) -> f64 {
        match self.price {
            Price::PerHour(x) => x,
            Price::PerFteMonth(x) if fte_month_hours > 0.0 => x / fte_month_hours,
            _ => 0.0,
        }
    }

    /// Price of one handled contact (0 unless priced per contact).
    pub fn per_contact(&self) -> f64 {
        match self.price {
            Price::PerContact(x) => x,
            _ => 0.0,
        }
    }

    /// Cost of `paid_hours` (the overtime share among them) and `handled`
    /// contacts.
    pub fn lines(&self, paid_hours: f64, handled: f64, fte_month_hours: f64) -> Lines {
        self.tariff(fte_month_hours).lines(paid_hours, handled)
    }

    /// This rate in amounts per hour and per contact, given the paid hours
    /// of one FTE-month.
    pub fn tariff(&self, fte_month_hours: f64) -> Tariff {
        let (overtime_share, premium) = self.overtime.map_or((0.0, 1.0), |o| (o.share, o.premium));
        Tariff { per_hour: self.per_hour(fte_month_hours), per_contact: self.per_contact(), overtime_share, premium }
    }

    /// Cost of one paid hour with its share of overtime (0 for a
    /// per-contact price).
    pub fn per_paid_hour(&self, fte_month_hours: f64) -> f64 {
        self.lines(1.0, 0.0, fte_month_hours).total()
    }
}

/// A team's rate in amounts: what a run carries (and a shard stores) to
/// price each replication.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Tariff {
    /// Price of one paid hour (a price per FTE-month ÷ its hours).
    pub per_hour: f64,
    /// Price of one handled contact.
    pub per_contact: f64,
    /// Share of paid hours worked as overtime.
    pub overtime_share: f64,
    /// Pay of an overtime hour / pay of a normal hour.
    pub premium: f64,
}

impl Tariff {
    /// Cost of `paid_hours` (the overtime share among them) and `handled`
    /// contacts.
    pub fn lines(&self, paid_hours: f64, handled: f64) -> Lines {
        let overtime_hours = paid_hours * self.overtime_share;
        Lines {
            pay: (paid_hours - overtime_hours) * self.per_hour,
            overtime: overtime_hours * self.per_hour * self.premium,
            contacts: handled * self.per_contact,
        }
    }

    /// Whether the cost varies with the contacts handled.
    pub fn per_contact_priced(&self) -> bool {
        self.per_contact > 0.0
    }
}

/// Cost lines of `hours` normal paid hours, `overtime` (hours, premium)
/// and `handled` contacts at `price`: the definition every command uses.
pub fn priced(
    price: Price,
    hours: f64,
    (overtime_hours, premium): (f64, f64),
    handled: f64,
    fte_month_hours: f64,
) -> Lines {
    let t = Rate { price, overtime: None }.tariff(fte_month_hours);
    Lines {
        pay: hours * t.per_hour,
        overtime: overtime_hours * t.per_hour * premium,
        contacts: handled * t.per_contact,
    }
}

/// A column of money, named with its currency: `"cost"`, `"cost EUR"`.
pub fn heading(name: &str, currency: Option<&str>) -> String {
    match currency {
        Some(c) => format!("{name} {c}"),
        None => name.to_string(),
    }
}

/// An amount with its currency: `"3024.00 EUR"` (two decimals), or
/// `unpriced` when there is none.
pub fn amount(x: Option<f64>, currency: Option<&str>) -> String {
    match (x, currency) {
        (None, _) => "unpriced".to_string(),
        (Some(x), None) => format!("{x:.2}"),
        (Some(x), Some(c)) => format!("{x:.2} {c}"),
    }
}

/// Paid hours of one FTE in an average month of `model`'s staffing policy.
pub fn fte_month_hours(model: &Model) -> f64 {
    model.staffing.paid_hours_per_week * WEEKS_PER_MONTH
}

/// Team `t`'s rate: its own price, else `[staffing].cost_per_hour` per
/// hour; `None` when neither prices it.
pub fn team_rate(model: &Model, t: usize) -> Option<Rate> {
    let price = model.team_price(t);
    price.is_priced().then_some(Rate { price, overtime: model.teams[t].overtime })
}

/// Cost of one paid hour of team `t`, overtime included; `None` when it is
/// unpriced or priced per contact only (what `schedule` weighs shifts by).
pub fn paid_hour(model: &Model, t: usize) -> Option<f64> {
    team_rate(model, t)
        .filter(|r| !matches!(r.price, Price::PerContact(_)))
        .map(|r| r.per_paid_hour(fte_month_hours(model)))
}

/// Team `t`'s cost of `paid_hours` and `handled` contacts; `None` when
/// unpriced.
pub fn team_lines(model: &Model, t: usize, paid_hours: f64, handled: f64) -> Option<Lines> {
    team_rate(model, t).map(|r| r.lines(paid_hours, handled, fte_month_hours(model)))
}

/// A team's share of a queue's work.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamShare {
    /// The team.
    pub team: String,
    /// Its share, from 0 to 1.
    pub share: f64,
}

/// The rate of a queue's work: the teams that would do it, with their
/// shares, and the share-weighted prices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueRate {
    /// The priced teams and their shares of the queue's work, in team order.
    pub teams: Vec<TeamShare>,
    /// Σ share × the team's cost of one paid hour (overtime included).
    pub per_hour: f64,
    /// Σ share × the team's price per handled contact.
    pub per_contact: f64,
}

impl QueueRate {
    /// Cost of `paid_hours` of the queue's work and `handled` contacts.
    pub fn cost(&self, paid_hours: f64, handled: f64) -> f64 {
        paid_hours * self.per_hour + handled * self.per_contact
    }
}

/// The rate of queue `q`'s work: the priced teams that serve it, each
/// weighted by its share of the work: its paid hours over the horizon
/// split over the queues it serves in proportion to their workload
/// (arrivals × mean handle time ÷ concurrency). A queue no priced team
/// serves takes `[staffing].cost_per_hour`; `None` when nothing prices it.
pub fn queue_rate(model: &Model, q: usize) -> Option<QueueRate> {
    let end = model.report_end_s();
    let workload = |q: usize| {
        let queue = &model.queues[q];
        queue.mean_rate(0.0, end) * end * queue.handle_time.mean_s() / queue.concurrency.max(1) as f64
    };
    let fte = fte_month_hours(model);
    let priced: Vec<(usize, Rate, f64)> = model.queues[q]
        .served_by
        .iter()
        .filter_map(|&t| {
            let rate = team_rate(model, t)?;
            let team = &model.teams[t];
            let served: f64 = (0..model.queues.len()).filter(|&o| team.serves(o)).map(workload).sum();
            let hours = model.paid_seconds(t, 0.0, end) / 3600.0;
            let weight = if served > 0.0 { hours * workload(q) / served } else { 0.0 };
            Some((t, rate, weight))
        })
        .collect();
    let total: f64 = priced.iter().map(|p| p.2).sum();
    if priced.is_empty() {
        let x = model.staffing.cost_per_hour?;
        return Some(QueueRate { teams: Vec::new(), per_hour: x, per_contact: 0.0 });
    }
    // No roster to weigh by: the priced teams share alike.
    let share = |w: f64| if total > 0.0 { w / total } else { 1.0 / priced.len() as f64 };
    Some(QueueRate {
        teams: priced
            .iter()
            .map(|(t, _, w)| TeamShare { team: model.teams[*t].name.clone(), share: share(*w) })
            .collect(),
        per_hour: priced.iter().map(|(_, r, w)| share(*w) * r.per_paid_hour(fte)).sum(),
        per_contact: priced.iter().map(|(_, r, w)| share(*w) * r.per_contact()).sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_basis_prices_its_own_line_and_overtime_pays_its_premium() {
        let fte = 40.0 * WEEKS_PER_MONTH;
        let hourly = Rate { price: Price::PerHour(20.0), overtime: Some(PaidOvertime { share: 0.1, premium: 1.5 }) };
        let l = hourly.lines(100.0, 7.0, fte);
        assert_eq!((l.pay, l.overtime, l.contacts), (90.0 * 20.0, 10.0 * 20.0 * 1.5, 0.0));
        assert_eq!(hourly.per_paid_hour(fte), l.total() / 100.0);
        let contact = Rate { price: Price::PerContact(2.5), overtime: None };
        assert_eq!(contact.lines(100.0, 7.0, fte), Lines { pay: 0.0, overtime: 0.0, contacts: 17.5 });
        let monthly = Rate { price: Price::PerFteMonth(4000.0), overtime: None };
        assert!((monthly.lines(fte, 0.0, fte).total() - 4000.0).abs() < 1e-9);
    }
}
