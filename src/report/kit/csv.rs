//! The CSV kit: quoting a cell, and the what-ifs cell every CSV row ends
//! with.

use crate::results::Echo;

/// The `what_ifs` cell every CSV report ends its rows with: the what-ifs
/// as flags ready to paste into a shell (empty without any), so a sheet
/// says which scenario variant it holds.
pub(crate) fn what_ifs_cell(list: &[Echo]) -> String {
    quote(&crate::report::kit::text::what_ifs(list))
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
