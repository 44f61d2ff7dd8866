//! A valid small scenario whose every number comes from the fuzzer's bytes
//! (many plausible, some hostile): it compiles or names its problems, and
//! when small enough runs two replications, is staffed, and reports
//! without NaN or infinity.
#![no_main]

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

use fuzz_support::Bytes;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::numbers_scenario(&mut Bytes::new(data));
    if let Some(model) = fuzz_support::compile(&text) {
        if fuzz_support::small(&model) {
            fuzz_support::run_and_report(&model);
            if data.first().is_some_and(|b| b % 8 == 0) {
                fuzz_support::staff_and_report(&model);
            }
        }
    }
});
