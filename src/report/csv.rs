//! `--format csv` for `wfmsim run`: one row per queue and interval.

use std::fmt::Write;

use crate::montecarlo::{KpiSummaries, Results};
use crate::stats::Summary;

const KPIS: [&str; 8] =
    ["offered", "answered", "abandoned", "service_level", "asa_s", "abandon_rate", "occupancy", "aht_s"];

fn kpi_values(k: &KpiSummaries) -> [Option<Summary>; 8] {
    [k.offered, k.answered, k.abandoned, k.service_level, k.asa_s, k.abandon_rate, k.occupancy, k.aht_s]
}

/// The interval results as CSV with a header row. Undefined values are empty.
pub fn render(results: &Results) -> String {
    let mut out = String::from("queue,start,end");
    for k in KPIS {
        for stat in ["mean", "ci95_low", "ci95_high", "p10", "p90"] {
            write!(out, ",{k}_{stat}").expect("write to string");
        }
    }
    out.push('\n');
    for q in &results.queues {
        for period in &q.intervals {
            write!(out, "{},{},{}", quote(&q.name), period.start, period.end).expect("write to string");
            for s in kpi_values(&period.kpis) {
                match s {
                    Some(s) => {
                        let (lo, hi) =
                            s.ci95.map_or((String::new(), String::new()), |[l, h]| (l.to_string(), h.to_string()));
                        write!(out, ",{},{lo},{hi},{},{}", s.mean, s.p10, s.p90).expect("write to string");
                    }
                    None => out.push_str(",,,,,"),
                }
            }
            out.push('\n');
        }
    }
    out
}

/// A CSV field, quoted when it holds a comma, quote or newline.
pub(crate) fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A staffing plan as CSV, one row per queue and interval. Undefined
/// values are empty.
pub fn render_staffing(plan: &crate::staffing::StaffingPlan) -> String {
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    let count = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
    let mut out = String::from(
        "queue,start,end,rate_per_hour,load_erlangs,erlang_c,erlang_a,simulated,feasible,\
         service_level_mean,service_level_ci95_low,service_level_ci95_high,asa_s_mean,abandon_rate_mean,occupancy_mean\n",
    );
    for q in &plan.queues {
        for i in &q.intervals {
            let k = &i.achieved.kpis;
            let ci = k.service_level.and_then(|s| s.ci95);
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                quote(&q.name),
                i.start,
                i.end,
                i.rate_per_hour,
                i.load_erlangs,
                count(i.required.erlang_c),
                count(i.required.erlang_a),
                count(i.required.simulated),
                i.feasible,
                opt(k.service_level.map(|s| s.mean)),
                opt(ci.map(|c| c[0])),
                opt(ci.map(|c| c[1])),
                opt(k.asa_s.map(|s| s.mean)),
                opt(k.abandon_rate.map(|s| s.mean)),
                opt(k.occupancy.map(|s| s.mean)),
            )
            .expect("write to string");
        }
    }
    out
}
