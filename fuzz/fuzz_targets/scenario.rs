//! Any bytes, read as scenario text, give a model or placed problems;
//! never a panic. A model small enough is run and reported too.
#![no_main]

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(model) = fuzz_support::compile(text) {
        if fuzz_support::small(&model) {
            fuzz_support::run_and_report(&model);
        }
    }
});
