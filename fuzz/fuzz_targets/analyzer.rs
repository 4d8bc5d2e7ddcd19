//! The analyzer on arbitrary text: findings lie on char boundaries, inside
//! the text, sorted and non-overlapping.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use veil_detect::{Analyzer, AnalyzerConfig};

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| Analyzer::new(AnalyzerConfig::default()).expect("built-ins compile"));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let findings = ANALYZER.analyze(&text);
    let mut last_end = 0;
    for f in &findings {
        assert!(f.start < f.end && f.end <= text.len());
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert!(f.start >= last_end);
        last_end = f.end;
    }
});
