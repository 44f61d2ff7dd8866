//! The report of a run (`wfmsim run`, `merge`): KPIs with their
//! intervals per queue on the horizon, each period and (on request) each
//! interval, the teams' hours and cost, and the risk section; in every
//! format.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
mod risk;
pub mod table;

use super::Format;
use crate::results::Results;

/// The run's `results` in `format`.
pub fn render(results: &Results, format: Format) -> String {
    match format {
        Format::Table => table::render(results),
        Format::Json => json::render(results),
        Format::Csv => csv::render(results),
        Format::Markdown => markdown::render(results),
        Format::Html => html::render(results),
    }
}
