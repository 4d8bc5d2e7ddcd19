//! Properties of the analyzer on arbitrary text: findings are well-formed,
//! sorted and disjoint, and a finding's value is found again on its own.

use proptest::prelude::*;
use std::sync::LazyLock;
use veil_detect::{Analyzer, AnalyzerConfig};

static ANALYZER: LazyLock<Analyzer> =
    LazyLock::new(|| Analyzer::new(AnalyzerConfig::default()).expect("built-ins compile"));

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn findings_are_well_formed(text in "(\\PC|[ 0-9@.:/-]){0,200}") {
        let findings = ANALYZER.analyze(&text);
        let mut last_end = 0;
        for f in &findings {
            prop_assert!(f.start < f.end && f.end <= text.len());
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            prop_assert!(f.start >= last_end);
            prop_assert!(f.score >= ANALYZER.min_score() && f.score <= 1.0);
            last_end = f.end;
        }
    }

    #[test]
    fn planted_email_is_found_in_any_surrounding(prefix in "[a-z ]{0,40}", suffix in "[a-z ]{0,40}", user in "[a-z]{1,10}", host in "[a-z]{2,10}") {
        let email = format!("{user}@{host}.org");
        let text = format!("{prefix} {email} {suffix}");
        let findings = ANALYZER.analyze(&text);
        let start = prefix.len() + 1;
        prop_assert!(findings.iter().any(|f| f.entity_type == veil_core::EntityType::EMAIL_ADDRESS && f.start == start && f.end == start + email.len()), "{:?}", findings);
    }
}
