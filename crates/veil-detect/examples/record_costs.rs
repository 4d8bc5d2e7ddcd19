//! Time the analyzer and each recognizer family over many short records
//! (one per line of a text file), single-threaded, where per-call costs
//! dominate: `cargo run --release -p veil-detect --example record_costs -- FILE`.

mod common;

use std::time::Instant;
use veil_detect::address::AddressRecognizer;
use veil_detect::analyzer::{Analyzer, AnalyzerConfig};
use veil_detect::names::NameRecognizer;
use veil_detect::pattern::digit_windows;
use veil_detect::phone::PhoneRecognizer;
use veil_detect::secrets::SecretScanner;

fn time(name: &str, lines: &[&str], mb: f64, mut f: impl FnMut(&str) -> usize) {
    let t = Instant::now();
    let n: usize = lines.iter().map(|l| f(l)).sum();
    let s = t.elapsed().as_secs_f64();
    println!("{name:<24} {s:>7.3} s {:>8.1} MB/s  {n} results", mb / s);
}

fn main() {
    let text = common::text_from_args("record_costs FILE");
    let lines: Vec<&str> = text.lines().collect();
    let mb = text.len() as f64 / 1e6;
    println!("{} records, {mb:.1} MB", lines.len());
    let all = Analyzer::new(AnalyzerConfig::default()).expect("analyzer");
    // Warm up (lazy gazetteers, per-thread databases, DFA caches).
    for l in lines.iter().take(2000) {
        all.analyze(l);
    }
    time("analyzer, all", &lines, mb, |l| all.analyze(l).len());
    let no_names = Analyzer::new(AnalyzerConfig {
        names: false,
        ..AnalyzerConfig::default()
    })
    .expect("analyzer");
    time("analyzer, --no-names", &lines, mb, |l| {
        no_names.analyze(l).len()
    });
    time("digit windows", &lines, mb, |l| digit_windows(l).len());
    let patterns = veil_detect::builtin::pii_recognizers().expect("built-ins compile");
    time("every pattern, alone", &lines, mb, |l| {
        let mut out = Vec::new();
        for p in &patterns {
            p.analyze(l, &mut out);
        }
        out.len()
    });
    let phone = PhoneRecognizer::new().expect("phone");
    time("phone", &lines, mb, |l| {
        let mut out = Vec::new();
        for w in digit_windows(l) {
            phone.analyze_window(l, w, &mut out);
        }
        out.len()
    });
    let names = NameRecognizer::new();
    time("names + quasi", &lines, mb, |l| {
        let mut out = Vec::new();
        names.analyze(l, &mut out);
        out.len()
    });
    let address = AddressRecognizer::new().expect("address");
    time("address", &lines, mb, |l| {
        let mut out = Vec::new();
        address.analyze(l, &mut out);
        out.len()
    });
    let secrets = SecretScanner::new().expect("secrets");
    time("secrets", &lines, mb, |l| {
        let mut out = Vec::new();
        secrets.analyze(l, &mut out);
        out.len()
    });
}
