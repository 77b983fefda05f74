//! `palisade.toml`, read and checked as a run reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        palisade::fuzz_config(text);
    }
});
