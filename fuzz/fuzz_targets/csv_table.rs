//! CSV tables: any bytes give cells and counted bad rows, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use veil_core::io::table::{CsvSource, TableSource};

fuzz_target!(|data: &[u8]| {
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    if let Ok(mut src) = CsvSource::from_reader(reader, Path::new("fuzz.csv"), None, false) {
        while let Ok(Some(_chunk)) = src.next_chunk(64) {}
    }
});
