//! CSV tables: any bytes, read in blocks of any size, give the cells and
//! counted bad rows that one block of the whole input gives, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use veil_core::io::csv_blocks::{CsvTable, RowPart};

/// Cells (row in the table, column, text) and bad rows' messages, in order.
fn parse(data: &[u8], size: usize) -> Option<(Vec<(u64, usize, String)>, Vec<String>)> {
    let (table, blocks) = CsvTable::open(data, Path::new("fuzz.csv"), None, false, size).ok()?;
    let (mut cells, mut bad, mut rows) = (Vec::new(), Vec::new(), 0);
    for block in blocks {
        let block = block.ok()?;
        let before = rows;
        rows += table.parse(&block, |part| match part {
            RowPart::Cell { row, column, text } => cells.push((before + row, column, text.into())),
            RowPart::Bad(e) => bad.push(e.to_string()),
        });
    }
    Some((cells, bad))
}

fuzz_target!(|data: &[u8]| {
    let Some((&size, data)) = data.split_first() else {
        return;
    };
    // One block of the whole input, against blocks of 1-16 bytes.
    let whole = parse(data, data.len() + 1);
    assert_eq!(whole, parse(data, usize::from(size % 16) + 1));
});
