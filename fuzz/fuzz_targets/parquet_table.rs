//! Parquet files: arbitrary bytes on disk give an error or string cells, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use veil_core::io::table::{ParquetSource, TableSource};

fuzz_target!(|data: &[u8]| {
    let Ok(mut f) = tempfile::NamedTempFile::new() else { return };
    if std::io::Write::write_all(&mut f, data).is_err() {
        return;
    }
    if let Ok(mut src) = ParquetSource::open(f.path(), None, 128) {
        while let Ok(Some(_chunk)) = src.next_chunk(64) {}
    }
});
