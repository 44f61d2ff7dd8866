//! Any text as a `schedule --requirement` CSV: read or refused with a message, never a panic, a hang or a
//! runaway allocation (see `fuzz_support::requirement_csv`).
#![no_main]

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        fuzz_support::requirement_csv(text);
    }
});
