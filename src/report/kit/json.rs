//! The JSON kit: every document as pretty JSON whose first field names
//! its layout's version (`schema_version`, `plan_version`, …).

use serde::Serialize;

/// `body` as pretty JSON with `key: version` as its first field, ending in
/// a newline. `body` serializes as a JSON object.
pub(crate) fn versioned(key: &'static str, version: u32, body: &impl Serialize) -> String {
    let text = serde_json::to_string_pretty(body).expect("reports serialize");
    let fields = text.strip_prefix('{').filter(|rest| rest.starts_with('\n')).expect("a document is a JSON object");
    format!("{{\n  \"{key}\": {version},{fields}\n")
}

/// `x` to two decimals (hours, money, agents), as reports show it.
pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `x` to four decimals (shares, gaps).
pub(crate) fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same bytes a struct with the version field first and the body
    /// flattened gives.
    #[test]
    fn the_version_comes_first_as_a_flattened_struct_would_put_it() {
        #[derive(Serialize)]
        struct Body {
            name: &'static str,
            list: Vec<u32>,
        }
        #[derive(Serialize)]
        struct Flat<'a> {
            thing_version: u32,
            #[serde(flatten)]
            body: &'a Body,
        }
        let body = Body { name: "a \"b\"", list: vec![1, 2] };
        let flat = serde_json::to_string_pretty(&Flat { thing_version: 7, body: &body }).unwrap() + "\n";
        assert_eq!(versioned("thing_version", 7, &body), flat);
    }
}
