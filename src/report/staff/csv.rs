//! `wfmsim staff --format csv`: a row per queue and interval (or day of
//! deferred work).

use std::fmt::Write;

use crate::kpi::Kpi;
use crate::report::kit::csv::{quote, what_ifs_cell};
use crate::results::Echo;

/// A staffing plan as CSV, one row per queue and interval. Undefined
/// values are empty; the last column echoes the what-ifs.
pub fn render_staffing(plan: &crate::staffing::Staffing, what_ifs: &[Echo]) -> String {
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
