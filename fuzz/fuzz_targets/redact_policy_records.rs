//! Untrusted redaction policy and records through veil-redact: policy TOML
//! parsing and checks, JSONL records (raw-value round trip), CSV tables
//! (column plan, whole-cell operators), text lines, quarantine, the re-scan
//! and `restore` over what was written. Must never panic; errors are fine.
//! The first line is the policy (`|` for newlines), the rest the records.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veil_redact::job::{Fields, redact_file, restore_file};
use veil_redact::keys::Key;
use veil_redact::policy::Policy;
use veil_redact::redact::Redactor;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (policy_line, records) = text.split_once('\n').unwrap_or((text, ""));
    let dir = tempfile::tempdir().expect("temp dir");
    let pp = dir.path().join("p.toml");
    std::fs::write(&pp, policy_line.replace('|', "\n")).expect("write");
    let Ok(policy) = Policy::from_file(&pp) else { return };
    let Ok(key) = Key::from_hex(&"5a".repeat(32)) else { return };
    let Ok(analyzer) = veil_detect::Analyzer::new(veil_detect::AnalyzerConfig::default()) else { return };
    let Ok(r) = Redactor::new(&analyzer, &policy, Some(&key)) else { return };
    for ext in ["jsonl", "csv", "txt"] {
        let input = dir.path().join(format!("in.{ext}"));
        let out = dir.path().join(format!("out.{ext}"));
        std::fs::write(&input, records).expect("write");
        let q = dir.path().join(format!("q.{ext}.jsonl"));
        if redact_file(&r, &policy, Some(&key), &input, &out, &q, &Fields::default(), false).is_ok() {
            let _ = restore_file(&key, &out, &dir.path().join(format!("back.{ext}")), &Fields::default());
        }
        // Nested fields named by JSON Pointer, one or every match of `*`.
        for text in ["/m/0/text", "/m/*/text"] {
            let nested = Fields {
                text: text.into(),
                id: "/id".into(),
            };
            if redact_file(&r, &policy, Some(&key), &input, &out, &q, &nested, false).is_ok() {
                let _ = restore_file(&key, &out, &dir.path().join(format!("back.{ext}")), &nested);
            }
        }
    }
});
