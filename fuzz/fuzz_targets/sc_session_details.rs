#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::sc_session_details(data));
