//! The Markdown kit: table rows and headers.

use std::fmt::Write;

/// A Markdown table row of `cells`, each [`inline`].
pub(crate) fn row(out: &mut String, cells: &[String]) {
    let escaped: Vec<String> = cells.iter().map(|c| inline(c)).collect();
    writeln!(out, "| {} |", escaped.join(" | ")).expect("write to string");
}

/// A text a person wrote (a name) for a Markdown line or table cell: `|`
/// escaped (it cannot end a cell), `<`, `>` and `&` as HTML entities (no
/// live markup: Markdown passes HTML through), line breaks and other
/// control characters as spaces (it cannot start a line of its own).
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown table's header: `names`, the first column left-aligned, the
/// rest right-aligned.
pub(crate) fn header(out: &mut String, names: &[&str]) {
    row(out, &names.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let rule: Vec<&str> = names.iter().enumerate().map(|(i, _)| if i == 0 { "---" } else { "---:" }).collect();
    writeln!(out, "| {} |", rule.join(" | ")).expect("write to string");
}
