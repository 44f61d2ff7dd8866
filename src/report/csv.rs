//! `--format csv` for `wfmsim run`: one row per queue and interval.

use std::fmt::Write;

use crate::kpi::Kpi;
use crate::results::{KpiSummaries, Period, Results, WhatIf};

/// The results as CSV with a header row, one row per queue and reported
/// span (the horizon, then each period, then each interval, as `--detail`
/// asks): every KPI of every channel has its columns, empty where
/// undefined or not the queue's; the last column echoes the what-ifs.
pub fn render(results: &Results) -> String {
    let what_ifs = what_ifs_cell(&results.meta.provenance.what_ifs);
    let mut out = String::from("queue,channel,span,label,start,end,partial");
    kpi_header(&mut out);
    // A run with events has their names before the what-ifs (a run
    // without looks as it always did).
    let events = super::table::any_events(results.queues.iter().flat_map(|q| &q.periods).map(|p| &p.span));
    if events {
        out.push_str(",events");
    }
    out.push_str(",what_ifs\n");
    for q in &results.queues {
        let spans =
            [("horizon", std::slice::from_ref(&q.horizon)), ("period", &q.periods[..]), ("interval", &q.intervals[..])];
        for (kind, period) in spans.iter().flat_map(|(k, ps)| ps.iter().map(move |p: &Period| (*k, p))) {
            let s = &period.span;
            let label = s.label.as_deref().map(quote).unwrap_or_default();
            write!(out, "{},{},{kind},{label},{},{},{}", quote(&q.name), q.channel.name(), s.start, s.end, s.partial)
                .expect("write to string");
            kpi_cells(&mut out, &period.kpis);
            if events {
                write!(out, ",{}", quote(&s.events.join("; "))).expect("write to string");
            }
            writeln!(out, ",{what_ifs}").expect("write to string");
        }
    }
    out
}

/// The `what_ifs` cell every CSV report ends its rows with: the what-ifs
/// as flags ready to paste into a shell (empty without any), so a sheet
/// says which scenario variant it holds.
pub(crate) fn what_ifs_cell(list: &[WhatIf]) -> String {
    quote(&super::table::what_ifs(list))
}

/// Five header columns per KPI of every channel: `,<key>_mean`,
/// `_ci95_low`, `_ci95_high`, `_p10`, `_p90`.
pub(crate) fn kpi_header(out: &mut String) {
    for k in Kpi::ALL {
        for stat in ["mean", "ci95_low", "ci95_high", "p10", "p90"] {
            write!(out, ",{}_{stat}", k.key()).expect("write to string");
        }
    }
}

/// The cells under [`kpi_header`], empty where a KPI is undefined or not
/// the queue's.
pub(crate) fn kpi_cells(out: &mut String, kpis: &KpiSummaries) {
    for k in Kpi::ALL {
        match kpis.get(k) {
            Some(s) => {
                let (lo, hi) = s.ci95.map_or((String::new(), String::new()), |[l, h]| (l.to_string(), h.to_string()));
                write!(out, ",{},{lo},{hi},{},{}", s.mean, s.p10, s.p90).expect("write to string");
            }
            None => out.push_str(",,,,,"),
        }
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
pub(crate) fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A text a person wrote (a name, a label) as a CSV field: quoted like
/// [`quote`], and with a leading apostrophe where it starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return, so that a spreadsheet shows it
/// rather than running it as a formula (OWASP's advice on CSV injection).
/// Numbers are written as they are.
pub(crate) fn text(field: &str) -> String {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        quote(&format!("'{field}"))
    } else {
        quote(field)
    }
}

/// A staffing plan as CSV, one row per queue and interval. Undefined
/// values are empty; the last column echoes the what-ifs.
pub fn render_staffing(plan: &crate::staffing::StaffingPlan, what_ifs: &[WhatIf]) -> String {
    let what_ifs = what_ifs_cell(what_ifs);
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    let count = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
    let mut out = String::from(
        "queue,channel,start,end,rate_per_hour,load_erlangs,erlang_c,erlang_a,simulated,feasible,\
         service_level_mean,service_level_ci95_low,service_level_ci95_high,asa_s_mean,abandon_rate_mean,occupancy_mean,what_ifs\n",
    );
    for q in &plan.queues {
        for i in &q.intervals {
            let k = &i.achieved.kpis;
            let mean = |kpi: Kpi| opt(k.get(kpi).map(|s| s.mean));
            let ci = k.get(Kpi::ServiceLevel).and_then(|s| s.ci95);
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{what_ifs}",
                quote(&q.name),
                q.channel,
                i.start,
                i.end,
                i.rate_per_hour,
                i.load_erlangs,
                count(i.required.erlang_c),
                count(i.required.erlang_a),
                count(i.required.simulated),
                i.feasible,
                mean(Kpi::ServiceLevel),
                opt(ci.map(|c| c[0])),
                opt(ci.map(|c| c[1])),
                mean(Kpi::Asa),
                mean(Kpi::AbandonRate),
                mean(Kpi::Occupancy),
            )
            .expect("write to string");
        }
    }
    out
}
