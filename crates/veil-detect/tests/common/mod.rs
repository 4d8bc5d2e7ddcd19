//! Helpers shared by the analyzer's integration tests (each test file
//! includes this module with `mod common;`).

use veil_core::{EntityType, Finding};
use veil_detect::{Analyzer, AnalyzerConfig};

/// The analyzer with its default configuration (every built-in recognizer).
pub fn analyzer() -> Analyzer {
    Analyzer::new(AnalyzerConfig::default()).expect("built-ins compile")
}

/// The texts of the findings of type `t`, in the order found.
pub fn values<'a>(text: &'a str, findings: &[Finding], t: &EntityType) -> Vec<&'a str> {
    findings
        .iter()
        .filter(|f| &f.entity_type == t)
        .map(|f| &text[f.start..f.end])
        .collect()
}

/// Analyses `text` with `a`, asserts that its findings of type `t` are
/// exactly `expected` (in text order) and that none is of a type in
/// `absent`, and hands back the findings.
pub fn assert_finds(
    a: &Analyzer,
    text: &str,
    t: &EntityType,
    expected: &[&str],
    absent: &[EntityType],
) -> Vec<Finding> {
    let found = a.analyze(text);
    assert_eq!(values(text, &found, t), expected, "{text}: {found:?}");
    for other in absent {
        assert!(
            values(text, &found, other).is_empty(),
            "{other:?} in {text}: {found:?}"
        );
    }
    found
}
