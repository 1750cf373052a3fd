#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::order_by_and_fields(data));
