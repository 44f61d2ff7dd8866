//! Output of the `wfmsim erlang` calculator.

use std::fmt::Write;

use serde::Serialize;

use crate::erlang::{Kpis, Unstable};
use crate::kpi::percent;
use crate::report::kit::text::TextTable;

/// What the calculator found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    /// KPIs at a given or found number of agents.
    Kpis(Kpis),
    /// No steady state: the load needs more agents (Erlang C only).
    Unstable(Unstable),
    /// No level up to the cap meets the targets.
    Infeasible {
        /// The cap searched up to.
        max_agents: u32,
        /// Offered load, Erlangs.
        load: f64,
    },
}

#[derive(Serialize)]
struct Json {
    schema_version: u32,
    model: &'static str,
    within_s: f64,
    load: f64,
    stable: bool,
    feasible: bool,
    agents: Option<u32>,
    service_level: Option<f64>,
    p_wait: Option<f64>,
    asa_s: Option<f64>,
    p_abandon: Option<f64>,
    occupancy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

fn model_name(abandonment: bool) -> &'static str {
    if abandonment {
        "erlang_a"
    } else {
        "erlang_c"
    }
}

/// The answer as JSON, ending in a newline.
pub fn json(answer: &Answer, within_s: f64, abandonment: bool) -> String {
    let base = Json {
        schema_version: 1,
        model: model_name(abandonment),
        within_s,
        load: 0.0,
        stable: true,
        feasible: true,
        agents: None,
        service_level: None,
        p_wait: None,
        asa_s: None,
        p_abandon: None,
        occupancy: None,
        message: None,
    };
    let doc = match *answer {
        Answer::Kpis(k) => Json {
            load: k.load,
            agents: Some(k.agents),
            service_level: Some(k.service_level),
            p_wait: Some(k.p_wait),
            asa_s: Some(k.asa_s),
            p_abandon: Some(k.p_abandon),
            occupancy: Some(k.occupancy),
            ..base
        },
        Answer::Unstable(u @ Unstable::Overloaded { agents, load }) => {
            Json { load, agents: Some(agents), stable: false, message: Some(u.to_string()), ..base }
        }
        // Stable, with a steady state out of the exact formula's reach.
        Answer::Unstable(u @ Unstable::QueueTooLong { agents, load, .. }) => {
            Json { load, agents: Some(agents), feasible: false, message: Some(u.to_string()), ..base }
        }
        Answer::Infeasible { max_agents, load } => Json {
            load,
            feasible: false,
            message: Some(format!("no number of agents up to {max_agents} meets the targets")),
            ..base
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("serializes");
    out.push('\n');
    out
}

/// The answer as a short table, ending in a newline.
pub fn table(answer: &Answer, within_s: f64, abandonment: bool) -> String {
    let model = if abandonment { "Erlang A (with abandonment)" } else { "Erlang C (no abandonment)" };
    let mut out = String::new();
    match *answer {
        Answer::Kpis(k) => {
            writeln!(out, "{model}: {:.2} Erlangs offered to {} agents", k.load, k.agents).expect("write to string");
            let mut t = TextTable::default();
            t.row(vec![format!("service level (answered within {within_s} s / offered)"), percent(k.service_level)]);
            t.row(vec!["probability of waiting".into(), percent(k.p_wait)]);
            t.row(vec!["ASA (mean wait of answered)".into(), format!("{:.1} s", k.asa_s)]);
            t.row(vec!["abandonment".into(), percent(k.p_abandon)]);
            t.row(vec!["occupancy".into(), percent(k.occupancy)]);
            t.render("  ", &mut out);
        }
        Answer::Unstable(u @ Unstable::Overloaded { .. }) => {
            writeln!(out, "{model}: unstable: {u}").expect("write to string")
        }
        Answer::Unstable(u) => writeln!(out, "{model}: {u}").expect("write to string"),
        Answer::Infeasible { max_agents, load } => writeln!(
            out,
            "{model}: {load:.2} Erlangs offered; no number of agents up to {max_agents} meets the targets"
        )
        .expect("write to string"),
    }
    out
}
