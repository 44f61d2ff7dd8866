//! The text kit: tables with aligned columns, and the lines every
//! readable report shares (provenance, what-ifs, an interval's label, a
//! KPI's mean).

use crate::kpi::{format_value, Kpi};
use crate::results::KpiSummaries;
use std::fmt::Write;

/// Rows of cells printed with aligned columns: the first column left
/// aligned, the others right aligned.
#[derive(Default)]
pub(crate) struct TextTable {
    rows: Vec<Vec<String>>,
}

impl TextTable {
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// A row of column names.
    pub(crate) fn header(&mut self, names: &[&str]) {
        self.rows.push(names.iter().map(|s| s.to_string()).collect());
    }

    pub(crate) fn render(&self, indent: &str, out: &mut String) {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| self.rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
            .collect();
        for row in &self.rows {
            let mut line = String::from(indent);
            for (c, cell) in row.iter().enumerate() {
                if c == 0 {
                    write!(line, "{cell:<w$}", w = widths[0]).expect("write to string");
                } else {
                    write!(line, "  {cell:>w$}", w = widths[c]).expect("write to string");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// The mean of a KPI, or "-" where undefined.
pub(crate) fn mean(kpis: &KpiSummaries, kpi: Kpi) -> String {
    kpis.get(kpi).map_or_else(|| "-".to_string(), |s| format_value(kpi, s.mean))
}

/// An interval's start as a table shows it, with the UTC offset: on a
/// fall-back day a local time happens twice.
pub(crate) fn interval_label(start: &str) -> String {
    format!("{} {}", &start[..16].replace('T', " "), &start[19..])
}

/// wfmsim's version, the scenario's hash (12 hex digits) and the what-ifs.
pub(crate) fn provenance_line(p: &crate::results::Provenance) -> String {
    let what_ifs = what_ifs(&p.what_ifs);
    let what_ifs = if what_ifs.is_empty() { String::new() } else { format!("; what-ifs {what_ifs}") };
    let hash = p.scenario_sha256.get(..12).unwrap_or("-");
    format!("wfmsim {}, scenario sha256 {hash}{what_ifs}", p.wfmsim_version)
}

/// The what-ifs as flags, ready to paste into a shell: `--set
/// 'team.Manila BPO.agents=+2' --volume-scale 1.2` (empty without any).
pub fn what_ifs(list: &[crate::results::Echo]) -> String {
    let quoted = |v: &str| {
        let plain = v.chars().all(|c| c.is_ascii_alphanumeric() || "+-*=._/:@,".contains(c));
        if plain {
            v.to_string()
        } else {
            format!("'{}'", v.replace('\'', "'\\''"))
        }
    };
    list.iter().map(|w| format!("--{} {}", w.flag, quoted(&w.value))).collect::<Vec<_>>().join(" ")
}

/// A text a person wrote, for an aligned table: control characters (line
/// breaks, tabs) as spaces, so a name keeps its row.
pub(crate) fn plain(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
