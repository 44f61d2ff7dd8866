//! The calculator on values within its documented bounds answers, or says
//! the queue is unstable, with every KPI finite and in its range.
#![no_main]

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fuzz_support::erlang(&mut fuzz_support::Bytes::new(data));
});
