//! JSONL lines: any bytes give a record or a typed error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use veil_core::io::jsonl::JsonlReader;

fuzz_target!(|data: &[u8]| {
    for rec in JsonlReader::new(data, Path::new("fuzz.jsonl"), "text", "id", false) {
        let _ = rec;
    }
});
