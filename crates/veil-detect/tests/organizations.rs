//! Organisations the name pass reads from the shape of a name, through the
//! whole analyzer (overlaps resolved, as a scan reports them).

use veil_core::{EntityType, Finding};
use veil_detect::{Analyzer, AnalyzerConfig};

fn analyzer() -> Analyzer {
    Analyzer::new(AnalyzerConfig::default()).expect("built-ins compile")
}

fn values<'a>(text: &'a str, findings: &[Finding], t: &EntityType) -> Vec<&'a str> {
    findings
        .iter()
        .filter(|f| &f.entity_type == t)
        .map(|f| &text[f.start..f.end])
        .collect()
}

/// Analyse `text`, assert that its one ORGANIZATION is `firm`, and hand
/// back the findings.
fn assert_one_firm(a: &Analyzer, text: &str, firm: &str) -> Vec<Finding> {
    let found = a.analyze(text);
    assert_eq!(
        values(text, &found, &EntityType::ORGANIZATION),
        [firm],
        "{text}: {found:?}"
    );
    found
}

#[test]
fn three_surnames_joined_by_a_comma_and_and_name_one_firm() {
    let a = analyzer();
    for (text, firm) in [
        (
            "The Davis, Reynolds and Williamson Orchestra was founded in 1977.",
            "Davis, Reynolds and Williamson",
        ),
        (
            "Tomomi is from Hawkins, Richardson and Santana",
            "Hawkins, Richardson and Santana",
        ),
        (
            "Lopez, Santos & Coleman is a design agency.",
            "Lopez, Santos & Coleman",
        ),
        (
            "Barnett, Melton and Garcia songwriter Samantha Bašić wrote it.",
            "Barnett, Melton and Garcia",
        ),
    ] {
        let found = assert_one_firm(&a, text, firm);
        // None of the three is also reported as a person.
        let persons = values(text, &found, &EntityType::PERSON);
        assert!(
            persons.iter().all(|p| !firm.contains(p)),
            "{text}: {persons:?}"
        );
    }
}

#[test]
fn surnames_listed_with_a_first_name_a_title_a_group_or_no_comma_are_people() {
    let a = analyzer();
    for text in [
        "We met Kelly, Reynolds and Williamson.",
        "John Davis, Reynolds and Williamson came.",
        "Dr. Davis, Reynolds and Williamson came.",
        "Davis Reynolds and Williamson came.",
        "It is the brainchild of our 3 founders: Morrison, Rogers and Torres.",
    ] {
        let found = a.analyze(text);
        assert!(
            values(text, &found, &EntityType::ORGANIZATION).is_empty(),
            "{text}: {found:?}"
        );
        assert!(
            !values(text, &found, &EntityType::PERSON).is_empty(),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn a_name_and_sons_is_a_family_firm() {
    let a = analyzer();
    for (text, firm) in [
        (
            "Thomas and Sons is a Brazilian investment bank",
            "Thomas and Sons",
        ),
        ("I bought it at Kelly & Sons yesterday.", "Kelly & Sons"),
        ("John Smith and Sons Ltd won.", "John Smith and Sons Ltd"),
    ] {
        let found = assert_one_firm(&a, text, firm);
        assert!(
            values(text, &found, &EntityType::PERSON).is_empty(),
            "{text}: {found:?}"
        );
    }
    // A word no name list holds: a title, not a firm.
    let text = "She read Fathers and Sons twice.";
    let found = a.analyze(text);
    assert!(
        values(text, &found, &EntityType::ORGANIZATION).is_empty(),
        "{found:?}"
    );
}

#[test]
fn a_place_that_starts_a_firms_name_is_part_of_the_firm() {
    let a = analyzer();
    for (text, firm) in [
        ("He worked for Japan Airlines for years.", "Japan Airlines"),
        (
            "Copyright 1989 Carnegie Mellon University",
            "Carnegie Mellon University",
        ),
        (
            "Korea Information Security Agency released it.",
            "Korea Information Security Agency",
        ),
    ] {
        let found = assert_one_firm(&a, text, firm);
        assert!(
            values(text, &found, &EntityType::LOCATION).is_empty(),
            "{text}: {found:?}"
        );
    }
    // A place before words that name no firm stays a place.
    let text = "Send it by Canada Post please.";
    let found = a.analyze(text);
    assert_eq!(values(text, &found, &EntityType::LOCATION), ["Canada"]);
}
