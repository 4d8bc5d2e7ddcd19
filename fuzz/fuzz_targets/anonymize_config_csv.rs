//! Untrusted anonymisation configuration and CSV through veil-anonymize:
//! TOML parsing and contradiction checks, hierarchy building over the data's
//! values, the lattice search, out-of-core Mondrian and the output writers. Must never panic;
//! errors are fine. The first line is the configuration (`|` for newlines),
//! the rest the CSV.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veil_anonymize::config::AnonymizeConfig;
use veil_anonymize::job;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (cfg_line, csv) = text.split_once('\n').unwrap_or((text, ""));
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg_path = dir.path().join("c.toml");
    let input = dir.path().join("in.csv");
    std::fs::write(&cfg_path, cfg_line.replace('|', "\n")).expect("write");
    std::fs::write(&input, csv).expect("write");
    let Ok(cfg) = AnonymizeConfig::from_file(&cfg_path) else { return };
    if let Ok(a) = veil_detect::Analyzer::new(veil_detect::AnalyzerConfig::default()) {
        let _ = job::audit(Some(&cfg), &input, &a, None);
        let _ = job::audit(None, &input, &a, None);
    }
    let _ = job::anonymize(&cfg, &input, &dir.path().join("out.csv"));
    // the out-of-core Mondrian path, with tiny limits
    let mut m = cfg.clone();
    m.anonymize.algorithm = veil_anonymize::config::Algorithm::Mondrian;
    m.anonymize.t = None;
    let small = veil_anonymize::spill::SpillLimits { memory_rows: 4, bucket_rows: 8 };
    let _ = job::anonymize_with(&m, &input, &dir.path().join("m.csv"), small);
});
