//! JSONL and line input read in blocks: the blocks reassemble the input
//! exactly, never split a line, and their lines are the ones `LineReader`
//! reads, numbered alike, whatever the block size (the first byte).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use veil_core::io::text::{LineBlocks, LineReader, block_lines};

fuzz_target!(|data: &[u8]| {
    let Some((&size, input)) = data.split_first() else {
        return;
    };
    let mut rebuilt = Vec::new();
    let mut lines = Vec::new();
    for block in LineBlocks::new(input, Path::new("fuzz.jsonl"), usize::from(size) + 1) {
        let block = block.expect("reading a slice cannot fail");
        assert_eq!(block.offset, rebuilt.len() as u64);
        for (i, (start, line)) in block_lines(&block.bytes).enumerate() {
            assert_eq!(block.bytes[start..].get(..line.len()), Some(line));
            lines.push((block.first_line + i as u64, line.to_vec()));
        }
        rebuilt.extend_from_slice(&block.bytes);
        assert!(rebuilt.len() == input.len() || rebuilt.ends_with(b"\n"));
    }
    assert_eq!(rebuilt, input);
    let want: Vec<(u64, Vec<u8>)> = LineReader::new(input, Path::new("fuzz.jsonl"), true)
        .map(|l| l.expect("lossy lines cannot fail"))
        .map(|l| (l.number, l.text.into_bytes()))
        .collect();
    let got: Vec<(u64, Vec<u8>)> = lines
        .into_iter()
        .map(|(n, l)| (n, String::from_utf8_lossy(&l).into_owned().into_bytes()))
        .collect();
    assert_eq!(got, want);
});
