//! The CSV kit: quoting a cell, and the what-ifs cell every CSV row ends
//! with.

use crate::results::Echo;

/// The `what_ifs` cell every CSV report ends its rows with: the what-ifs
/// as flags ready to paste into a shell (empty without any), so a sheet
/// says which scenario variant it holds.
pub(crate) fn what_ifs_cell(list: &[Echo]) -> String {
    quote(&crate::report::kit::text::what_ifs(list))
}

/// A CSV field, quoted when it holds a comma, quote or newline.
pub(crate) fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}
