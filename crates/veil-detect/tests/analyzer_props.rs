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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A batch takes its texts through the stages together: each text's
    /// findings are still its own, in input order, whatever its neighbours.
    #[test]
    fn a_batch_finds_in_each_text_what_the_text_alone_gives(
        texts in proptest::collection::vec("(\\PC|[ 0-9@.:/-]|John Smith|Oslo|\n){0,60}", 0..80)
    ) {
        let batch = ANALYZER.analyze_batch(&texts);
        prop_assert_eq!(batch.len(), texts.len());
        for (t, found) in texts.iter().zip(&batch) {
            prop_assert_eq!(found, &ANALYZER.analyze(t), "{:?}", t);
        }
    }

    /// The same for table cells read with their column's header before them.
    #[test]
    fn a_batch_of_cells_finds_in_each_what_the_cell_alone_gives(
        cells in proptest::collection::vec(
            ("(\\PC|[ 0-9@.:/-]|John Smith|\n){0,40}", "(|phone|name|email|city|notes)"),
            0..80,
        )
    ) {
        let (texts, contexts): (Vec<String>, Vec<String>) = cells.into_iter().unzip();
        let batch = ANALYZER.analyze_batch_in_context(&texts, &contexts);
        prop_assert_eq!(batch.len(), texts.len());
        for ((t, c), found) in texts.iter().zip(&contexts).zip(&batch) {
            prop_assert_eq!(found, &ANALYZER.analyze_in_context(t, c), "{:?} {:?}", c, t);
        }
    }
}

/// The same on the example support e-mails (each line a text: names,
/// addresses, phones, cards…), in batches longer than one stage run.
#[test]
fn a_batch_of_example_emails_finds_what_each_alone_gives() {
    let csv = include_str!("../../../examples/support/emails.csv");
    let texts: Vec<&str> = csv.lines().take(500).collect();
    let batch = ANALYZER.analyze_batch(&texts);
    assert_eq!(batch.len(), texts.len());
    let mut findings = 0;
    for (t, found) in texts.iter().zip(&batch) {
        assert_eq!(found, &ANALYZER.analyze(t), "{t:?}");
        findings += found.len();
    }
    assert!(findings > 300, "{findings} findings in 500 e-mail lines");
}
