//! `--format csv` for `wfmsim run`: one row per queue and interval.

use std::fmt::Write;

use crate::kpi::Kpi;
use crate::report::kit::csv::{text, what_ifs_cell};
use crate::results::{KpiSummaries, Period, Results};

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
            let label = s.label.as_deref().map(text).unwrap_or_default();
            write!(out, "{},{},{kind},{label},{},{},{}", text(&q.name), q.channel.name(), s.start, s.end, s.partial)
                .expect("write to string");
            kpi_cells(&mut out, &period.kpis);
            if events {
                write!(out, ",{}", text(&s.events.join("; "))).expect("write to string");
            }
            writeln!(out, ",{what_ifs}").expect("write to string");
        }
    }
    out
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
