//! `wfmsim sweep`: the grid as a table, CSV (a row per point and queue)
//! and JSON.

use std::fmt::Write;

use crate::kpi::Kpi;
use crate::report::kit::csv::{quote, text};
use crate::report::kit::text::{mean, provenance_line, TextTable};
use crate::report::run::csv::{kpi_cells, kpi_header};
use crate::sweep::{CheapestBy, Point, Sweep};

/// Version of the sweep JSON layout; bumped on any incompatible change.
pub const SWEEP_VERSION: u32 = 1;

/// The KPIs a table shows per queue: those that can be better or worse
/// (the ones targets bound) among what the queues' channels report, in
/// report order.
fn table_kpis(sweep: &Sweep) -> Vec<Kpi> {
    let reported =
        |k: Kpi| sweep.points.iter().flat_map(|p| &p.queues).any(|q| Kpi::for_channel(q.channel).contains(&k));
    Kpi::ALL.into_iter().filter(|&k| k.better().is_some() && reported(k)).collect()
}

/// How a point's price is shown.
fn money(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |c| format!("{c:.0}"))
}

/// The sweep as a readable table, ending in a newline: a row per point and
/// queue, the cheapest point meeting every target starred.
pub fn table(sweep: &Sweep) -> String {
    let mut out = String::new();
    let axes: Vec<String> = sweep.axes.iter().map(|a| a.vary.clone()).collect();
    let p = &sweep.provenance;
    writeln!(
        out,
        "Sweep of {}: {} point(s), {}; {} replications per point, seed {} (common random numbers)",
        sweep.scenario,
        sweep.points.len(),
        axes.join(" × "),
        p.replications,
        p.seed
    )
    .expect("write to string");
    writeln!(out, "{}", provenance_line(p)).expect("write to string");
    let judged = match sweep.confidence {
        Some(c) => format!("on the mean and in at least {:.1}% of replications", c * 100.0),
        None => "on the mean".to_string(),
    };
    writeln!(
        out,
        "Targets judged as `check` judges them: {judged}, on the horizon and each day. KPIs: horizon means. Cost: paid hours × cost per hour. * the cheapest point meeting every target.\n"
    )
    .expect("write to string");
    let kpis = table_kpis(sweep);
    let mut t = TextTable::default();
    let mut header: Vec<&str> = vec!["point"];
    header.extend(sweep.axes.iter().map(|a| a.path.as_str()));
    let cost = crate::cost::heading("cost", sweep.currency.as_deref());
    header.extend(["targets met", "paid hours", &cost, "queue"]);
    header.extend(kpis.iter().map(|k| k.label()));
    t.header(&header);
    for point in &sweep.points {
        for (k, q) in point.queues.iter().enumerate() {
            let mut row = if k == 0 { point_cells(point) } else { vec![String::new(); 4 + point.values.len()] };
            row.push(q.name.clone());
            for &kpi in &kpis {
                let pending = kpi == Kpi::ServiceLevel && q.horizon.span.pending;
                let theirs = Kpi::for_channel(q.channel).contains(&kpi);
                row.push(match (theirs, pending) {
                    (false, _) => String::new(),
                    (true, true) => "pending".into(),
                    (true, false) => mean(&q.horizon.kpis, kpi),
                });
            }
            t.row(row);
        }
    }
    t.render("  ", &mut out);
    out.push('\n');
    out.push_str(&cheapest_line(sweep));
    out
}

/// A point's own cells: number (starred when cheapest), values, targets
/// met, paid hours and cost.
fn point_cells(point: &Point) -> Vec<String> {
    let mut cells = vec![format!("{}{}", if point.cheapest { "* " } else { "  " }, point.point)];
    cells.extend(point.values.iter().cloned());
    cells.push(format!("{}/{}", point.target_checks_met, point.target_checks));
    cells.push(format!("{:.1}", point.paid_hours));
    cells.push(money(point.cost));
    cells
}

/// The verdict in one line.
fn cheapest_line(sweep: &Sweep) -> String {
    let Some(best) = sweep.points.iter().find(|p| p.cheapest) else {
        let missed = sweep.points.iter().map(|p| p.target_checks - p.target_checks_met).min().unwrap_or(0);
        return format!("No point meets every target (the best misses {missed} target check(s)).\n");
    };
    let price = match sweep.cheapest_by {
        CheapestBy::Cost => format!("cost {} ({:.1} paid hours)", money(best.cost), best.paid_hours),
        CheapestBy::PaidHours => format!("{:.1} paid hours (no team is priced)", best.paid_hours),
    };
    let meeting = sweep.points.iter().filter(|p| p.targets_met).count();
    format!(
        "Cheapest point meeting every target: {} ({}), {price}; {meeting} of {} point(s) meet every target.\n",
        best.point,
        best.overrides.join(", "),
        sweep.points.len()
    )
}

/// The sweep as CSV: a row per point and queue with the point's values,
/// verdict, paid hours, cost and whether it is the cheapest, then the
/// queue's horizon KPIs as `run --format csv` writes them.
pub fn csv(sweep: &Sweep) -> String {
    let mut out = String::from("point");
    for a in &sweep.axes {
        write!(out, ",{}", text(&a.path)).expect("write to string");
    }
    out.push_str(",targets_met,target_checks,target_checks_met,paid_hours,cost,cheapest,queue,channel");
    kpi_header(&mut out);
    out.push_str(",what_ifs\n");
    let what_ifs = crate::report::kit::csv::what_ifs_cell(&sweep.provenance.what_ifs);
    for p in &sweep.points {
        for q in &p.queues {
            write!(out, "{}", p.point).expect("write to string");
            for v in &p.values {
                write!(out, ",{}", quote(v)).expect("write to string");
            }
            let cost = p.cost.map_or(String::new(), |c| c.to_string());
            write!(
                out,
                ",{},{},{},{},{cost},{},{},{}",
                p.targets_met,
                p.target_checks,
                p.target_checks_met,
                p.paid_hours,
                p.cheapest,
                text(&q.name),
                q.channel.name()
            )
            .expect("write to string");
            kpi_cells(&mut out, &q.horizon.kpis);
            writeln!(out, ",{what_ifs}").expect("write to string");
        }
    }
    out
}

/// The sweep as pretty JSON, ending in a newline.
pub fn json(sweep: &Sweep) -> String {
    crate::report::kit::json::versioned("sweep_version", SWEEP_VERSION, sweep)
}
