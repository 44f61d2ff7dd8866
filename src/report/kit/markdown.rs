//! The Markdown kit: table rows and headers.

use std::fmt::Write;

/// A Markdown table row of `cells` (`|` escaped, line breaks as spaces).
pub(crate) fn row(out: &mut String, cells: &[String]) {
    let escaped: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|").replace(['\n', '\r'], " ")).collect();
    writeln!(out, "| {} |", escaped.join(" | ")).expect("write to string");
}

/// A Markdown table's header: `names`, the first column left-aligned, the
/// rest right-aligned.
pub(crate) fn header(out: &mut String, names: &[&str]) {
    row(out, &names.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let rule: Vec<&str> = names.iter().enumerate().map(|(i, _)| if i == 0 { "---" } else { "---:" }).collect();
    writeln!(out, "| {} |", rule.join(" | ")).expect("write to string");
}
