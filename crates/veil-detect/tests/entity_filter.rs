//! `AnalyzerConfig::entities` (the CLI's `--entities`): a scan restricted to
//! some types reports those types only, and finds what a full scan finds of
//! them — the quasi-identifiers the name pass reads (NRP, TITLE,
//! ORGANIZATION, AGE) included, and a contact block's TITLE, which needs
//! the PERSON before it.

use std::collections::HashSet;
use veil_core::{EntityType, Finding};
use veil_detect::{Analyzer, AnalyzerConfig};

/// Texts holding, among them, every type the name pass reports and some
/// pattern types beside them.
const TEXTS: &[&str] = &[
    "He is 45 years old and works at Acme Corp as a senior engineer.",
    "Best regards,\nKarin M. Beike\nLeasing consultant\nFritz-Armstrong",
    "My name is Maria Gonzalez and I live in Madrid, Spain.",
    "Dr. Kyle Lennox is a proud Canadian and a Buddhist.",
    "Email jane.doe@example.com or call +1 415 555 0132 (ZIP 94107).",
    "The address of Persint is 6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677",
    "Debra Stuit, the Publicist, said she turned 30 last week.",
];

fn analyzer(entities: Option<&[EntityType]>) -> Analyzer {
    Analyzer::new(AnalyzerConfig {
        entities: entities.map(|e| e.iter().cloned().collect()),
        ..AnalyzerConfig::default()
    })
    .expect("built-ins compile")
}

fn spans(findings: &[Finding], t: &EntityType) -> Vec<(usize, usize)> {
    findings
        .iter()
        .filter(|f| &f.entity_type == t)
        .map(|f| (f.start, f.end))
        .collect()
}

#[test]
fn each_type_asked_for_alone_is_found_as_a_full_scan_finds_it() {
    let full = analyzer(None);
    let found: Vec<Vec<Finding>> = TEXTS.iter().map(|t| full.analyze(t)).collect();
    let types: HashSet<EntityType> = found
        .iter()
        .flatten()
        .map(|f| f.entity_type.clone())
        .collect();
    // The texts exercise every type of the name pass.
    for t in veil_detect::analyzer::NAME_PASS_TYPES {
        assert!(types.contains(&t), "no {t} in the texts: {found:?}");
    }
    for t in &types {
        let alone = analyzer(Some(std::slice::from_ref(t)));
        for (text, all) in TEXTS.iter().zip(&found) {
            let only = alone.analyze(text);
            assert!(
                only.iter().all(|f| &f.entity_type == t),
                "--entities {t} reported another type in {text:?}: {only:?}"
            );
            let got = spans(&only, t);
            for span in spans(all, t) {
                assert!(
                    got.contains(&span),
                    "--entities {t} missed {span:?} in {text:?}: {only:?}"
                );
            }
        }
    }
}

#[test]
fn names_off_turns_off_every_type_of_the_name_pass() {
    let off = Analyzer::new(AnalyzerConfig {
        names: false,
        ..AnalyzerConfig::default()
    })
    .expect("built-ins compile");
    for text in TEXTS {
        for f in off.analyze(text) {
            assert!(
                !veil_detect::analyzer::NAME_PASS_TYPES.contains(&f.entity_type),
                "{f:?} in {text:?}"
            );
        }
    }
}
