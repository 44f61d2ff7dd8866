//! Reading the files a command is given, each bounded: a scenario, a
//! baseline, a partial, a requirement or a mapping is read whole, up to
//! [`MAX_FILE_BYTES`]; history CSVs are streamed by the library, which
//! bounds each row.

use std::io::Read;
use std::path::Path;

use super::{Failure, Result};

/// The most bytes a file read whole may hold: 256 MiB, far above any
/// scenario, baseline or partial wfmsim writes, far below the memory a
/// device such as `/dev/zero` would take.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// The text of the `what` (a noun: "scenario", "baseline") at `path`;
/// exit 2 naming the file when it cannot be read, is not UTF-8, or passes
/// [`MAX_FILE_BYTES`].
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    read_text_within(path, what, MAX_FILE_BYTES)
}

/// [`read_text`] with a limit of `limit` bytes.
fn read_text_within(path: &Path, what: &str, limit: u64) -> Result<String> {
    let name = path.display();
    let bad = |why: String| Failure::bad_input(format!("{name}: could not read the {what}: {why}"));
    let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| bad(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(bad(format!(
            "it holds more than {} bytes ({}), the most wfmsim reads of a {what}",
            limit,
            wfmsim::budget::human(limit as f64)
        )));
    }
    String::from_utf8(bytes).map_err(|e| bad(format!("it is not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_past_the_limit_is_refused_naming_it_and_the_limit() {
        let dir = std::env::temp_dir().join(format!("wfmsim-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.toml");
        std::fs::write(&path, "x".repeat(101)).unwrap();
        let e = read_text_within(&path, "scenario", 100).unwrap_err().message();
        assert!(
            e.starts_with(&format!("{}: could not read the scenario: it holds more than 100 bytes", path.display())),
            "{e}"
        );
        std::fs::write(&path, "x".repeat(100)).unwrap();
        assert_eq!(read_text_within(&path, "scenario", 100).unwrap().len(), 100);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
