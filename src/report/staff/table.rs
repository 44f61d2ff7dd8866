//! The readable tables of `wfmsim staff`: per interval (live queues) or per
//! day (deferred work) the requirement and what it achieves, then hours,
//! FTE and cost per day and for the horizon.

use std::fmt::Write;

use crate::kpi::percent;
use crate::kpi::Kpi;
use crate::model::Model;
use crate::report::kit::text::provenance_line;
use crate::report::kit::text::{interval_label, mean, TextTable};
use crate::results::Provenance;
use crate::staffing::{QueueStaffing, Staffing};

/// A staffing plan as tables, ending in a newline.
pub fn render(model: &Model, provenance: &Provenance, plan: &Staffing) -> String {
    let mut out = String::new();
    let criterion = match plan.confidence {
        None => "mean over replications meets each target".to_string(),
        Some(p) => format!("mean meets each target and so do at least {} of replications", percent(p)),
    };
    writeln!(
        out,
        "{}: staffing per {}-minute interval in {}; {} replications per level, seed {}; criterion: {criterion}",
        model.name,
        model.interval_s / 60.0,
        model.timezone_name,
        plan.replications,
        plan.seed
    )
    .expect("write to string");
    writeln!(out, "{}", super::table::provenance_line(provenance)).expect("write to string");
    writeln!(
        out,
        "Agents on the queue (dedicated). Shrinkage {}, {} paid hours per full-time week.",
        percent(plan.shrinkage),
        plan.paid_hours_per_week
    )
    .expect("write to string");
    for (q, queue) in plan.queues.iter().enumerate() {
        let spec = &model.queues[q];
        writeln!(out, "\nQueue {} ({}; {})", queue.name, queue.channel, spec.targets.describe(spec.channel))
            .expect("write to string");
        if spec.channel.is_live() {
            live_table(queue, spec.channel.is_concurrent(), &mut out);
        } else {
            deferred_table(queue, &mut out);
        }
        writeln!(out).expect("write to string");
        totals_table(queue, &mut out);
    }
    out
}

fn level(v: Option<u32>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn live_table(queue: &QueueStaffing, chat: bool, out: &mut String) {
    let mut kpis = vec![Kpi::ServiceLevel, Kpi::Asa, Kpi::AbandonRate, Kpi::Occupancy];
    if chat {
        kpis.push(Kpi::SlotUtilization);
    }
    let mut t = TextTable::default();
    let mut header = vec!["interval", "rate/h", "Erlangs", "Erlang C", "Erlang A", "simulated"];
    header.extend(kpis.iter().map(|k| k.label()));
    header.push("note");
    t.header(&header);
    for i in &queue.intervals {
        let mut row = vec![
            interval_label(&i.start),
            format!("{:.1}", i.rate_per_hour),
            format!("{:.2}", i.load_erlangs),
            level(i.required.erlang_c),
            level(i.required.erlang_a),
            level(i.required.simulated),
        ];
        row.extend(kpis.iter().map(|&k| mean(&i.achieved.kpis, k)));
        row.push(if i.feasible { String::new() } else { format!("infeasible: capped at {}", i.achieved.agents) });
        t.row(row);
    }
    t.render("  ", out);
    for i in queue.intervals.iter().filter(|i| !i.feasible) {
        writeln!(out, "  {}: {}", &i.start[..16].replace('T', " "), i.reason.as_deref().unwrap_or(""))
            .expect("write to string");
    }
}

fn deferred_table(queue: &QueueStaffing, out: &mut String) {
    let kpis = [Kpi::ServiceLevel, Kpi::ResponseTime, Kpi::PeakBacklog, Kpi::BacklogEnd, Kpi::Occupancy];
    let mut t = TextTable::default();
    let mut header = vec!["day", "business hours", "expected arrivals", "agents"];
    header.extend(kpis.iter().map(|k| k.label()));
    header.push("note");
    t.header(&header);
    for d in &queue.deferred_days {
        let mut row = vec![
            d.start[..10].to_string(),
            format!("{:.1}", d.business_hours),
            format!("{:.1}", d.expected_arrivals),
            d.achieved.agents.to_string(),
        ];
        row.extend(kpis.iter().map(|&k| mean(&d.achieved.kpis, k)));
        row.push(if d.feasible { String::new() } else { format!("infeasible: capped at {}", d.achieved.agents) });
        t.row(row);
    }
    t.render("  ", out);
    for d in queue.deferred_days.iter().filter(|d| !d.feasible) {
        writeln!(out, "  {}: {}", &d.start[..10], d.reason.as_deref().unwrap_or("")).expect("write to string");
    }
}

fn totals_table(queue: &QueueStaffing, out: &mut String) {
    let money = |c: Option<f64>| c.map_or_else(|| "-".to_string(), |c| format!("{c:.0}"));
    let handled = if queue.deferred_days.is_empty() { "answered" } else { "arrived" };
    let per = format!("cost/{handled}");
    let mut t = TextTable::default();
    t.header(&["period", "method", "agent-hours", "paid hours", "FTE", "cost", handled, &per]);
    let periods =
        queue.days.iter().map(|d| (d.start[..10].to_string(), d)).chain([("horizon".to_string(), &queue.totals)]);
    for (name, d) in periods {
        let methods =
            [("Erlang C", d.erlang_c.as_ref()), ("Erlang A", d.erlang_a.as_ref()), ("simulated", Some(&d.simulated))];
        let mut first = true;
        for (method, c) in methods {
            let Some(c) = c else { continue };
            let simulated = method == "simulated";
            t.row(vec![
                if first { name.clone() } else { String::new() },
                method.to_string(),
                format!("{:.1}", c.agent_hours),
                format!("{:.1}", c.scheduled_hours),
                format!("{:.2}", c.fte),
                money(c.cost),
                if simulated { format!("{:.1}", d.answered) } else { String::new() },
                if simulated {
                    d.cost_per_answered.map_or_else(|| "-".into(), |c| format!("{c:.2}"))
                } else {
                    String::new()
                },
            ]);
            first = false;
        }
    }
    t.render("  ", out);
    let capped = queue.totals.simulated.intervals_without_answer;
    if capped > 0 {
        writeln!(
            out,
            "  Too low: {capped} interval(s) found no level up to the cap of agents (--max-agents, or 3 × the load + 50) meeting the targets; the simulated totals leave them out."
        )
        .expect("write to string");
    }
}
