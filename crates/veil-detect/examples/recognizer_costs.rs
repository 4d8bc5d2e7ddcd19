//! Time each recognizer family over a text file, single-threaded:
//! `cargo run --release -p veil-detect --example recognizer_costs -- FILE`.

mod common;

use std::time::Instant;
use veil_detect::address::AddressRecognizer;
use veil_detect::names::NameRecognizer;
use veil_detect::pattern::digit_windows;
use veil_detect::phone::PhoneRecognizer;
use veil_detect::secrets::SecretScanner;

fn main() {
    let text = common::text_from_args("recognizer_costs FILE");
    let mb = text.len() as f64 / 1e6;
    let t = Instant::now();
    let windows = digit_windows(&text);
    let covered: usize = windows.iter().map(|(a, b)| b - a).sum();
    println!(
        "digit windows: {:.3} s, cover {:.0}%",
        t.elapsed().as_secs_f64(),
        100.0 * covered as f64 / text.len() as f64
    );
    let lowered = veil_detect::context::ascii_lowered(&text);
    let none = veil_detect::context::Occurrences::none();
    let mut total = 0.0;
    for p in veil_detect::builtin::pii_recognizers().expect("built-ins compile") {
        let mut out = Vec::new();
        let t = Instant::now();
        for &w in &windows {
            p.analyze_window(&text, &lowered, &none, w, &mut out);
        }
        let s = t.elapsed().as_secs_f64();
        total += s;
        println!(
            "{:<20} {:>7.3} s {:>8.1} MB/s  {} candidates",
            p.name,
            s,
            mb / s,
            out.len()
        );
    }
    let mut out = Vec::new();
    let phone = PhoneRecognizer::new().expect("phone");
    let t = Instant::now();
    for &w in &windows {
        phone.analyze_window(&text, w, &mut out);
    }
    let s = t.elapsed().as_secs_f64();
    total += s;
    println!("{:<20} {:>7.3} s  {} candidates", "phone", s, out.len());
    for (name, f) in [
        (
            "names",
            Box::new(|t: &str, o: &mut Vec<_>| NameRecognizer::new().analyze(t, o))
                as Box<dyn Fn(&str, &mut Vec<_>)>,
        ),
        (
            "address",
            Box::new({
                let a = AddressRecognizer::new().expect("address");
                move |t: &str, o: &mut Vec<_>| a.analyze(t, o)
            }),
        ),
        (
            "secrets",
            Box::new({
                let s = SecretScanner::new().expect("secrets");
                move |t: &str, o: &mut Vec<_>| s.analyze(t, o)
            }),
        ),
    ] {
        let mut out = Vec::new();
        let t = Instant::now();
        f(&text, &mut out);
        let s = t.elapsed().as_secs_f64();
        total += s;
        println!(
            "{:<20} {:>7.3} s {:>8.1} MB/s  {} candidates",
            name,
            s,
            mb / s,
            out.len()
        );
    }
    println!("total {total:.3} s = {:.1} MB/s", mb / total);
}
