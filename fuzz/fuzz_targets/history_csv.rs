//! Any bytes as a history file (interval history or contact records, in
//! wfmsim's own columns or a preset's): read and fitted, or refused with a
//! message, never a panic (see `fuzz_support::history_csv`).
#![no_main]

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_support::history_csv(data));
