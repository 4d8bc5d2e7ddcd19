//! JSONL lines: any bytes give a record or a typed error, never a panic;
//! the hand-written fast path and serde_json give the same answer, and so
//! do JSON Pointers to the same top-level fields.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use veil_core::io::jsonl::{JsonlReader, parse_line, parse_line_serde};

fuzz_target!(|data: &[u8]| {
    for rec in JsonlReader::new(data, Path::new("fuzz.jsonl"), "text", "id", false) {
        let _ = rec;
    }
    if let Ok(line) = std::str::from_utf8(data) {
        let p = Path::new("fuzz.jsonl");
        let fast = parse_line(line, 1, p, "text", "id").map_err(|e| e.to_string());
        let slow = parse_line_serde(line, 1, p, "text", "id").map_err(|e| e.to_string());
        assert_eq!(fast, slow, "{line:?}");
        // JSON Pointers to top-level fields read what the keys read.
        let by_key = parse_line(line, 1, p, "text", "id");
        let by_pointer = parse_line(line, 1, p, "/text", "/id");
        match (by_key, by_pointer) {
            (Ok(a), Ok(b)) => assert_eq!((a.text, a.id), (b.text, b.id), "{line:?}"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{line:?}: by key {a:?}, by pointer {b:?}"),
        }
        // A pattern with `*`: its parts start inside the joined text, in order.
        if let Ok(r) = parse_line(line, 1, p, "/*/text", "id") {
            let mut last = 0;
            for (pointer, start) in &r.parts {
                assert!(*start >= last && *start <= r.text.len(), "{line:?}: {pointer}");
                assert!(r.text.is_char_boundary(*start), "{line:?}: {pointer}");
                last = *start;
            }
        }
    }
});
