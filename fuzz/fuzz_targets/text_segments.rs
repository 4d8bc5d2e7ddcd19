//! Whole-file text segmentation: segments reassemble the input exactly
//! (valid UTF-8) or report the first invalid byte.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use veil_core::io::text::{SEGMENT_OVERLAP, SegmentReader};

fuzz_target!(|data: &[u8]| {
    let mut rebuilt = String::new();
    for seg in SegmentReader::new(data, Path::new("fuzz.txt"), false, 2 * SEGMENT_OVERLAP) {
        match seg {
            Ok(s) => rebuilt.push_str(&s.text[..s.keep_before.unwrap_or(s.text.len())]),
            Err(_) => return,
        }
    }
    assert_eq!(rebuilt.as_bytes(), data);
});
