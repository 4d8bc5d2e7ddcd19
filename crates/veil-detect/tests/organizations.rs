//! Organisations the name pass reads from the shape of a name, through the
//! whole analyzer (overlaps resolved, as a scan reports them).

mod common;

use common::{analyzer, assert_finds, values};
use veil_core::{EntityType, Finding};
use veil_detect::Analyzer;

/// Analyse `text`, assert that its one ORGANIZATION is `firm`, and hand
/// back the findings.
fn assert_one_firm(a: &Analyzer, text: &str, firm: &str) -> Vec<Finding> {
    assert_finds(a, text, &EntityType::ORGANIZATION, &[firm], &[])
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
        assert_finds(
            &a,
            text,
            &EntityType::ORGANIZATION,
            &[firm],
            &[EntityType::PERSON],
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
        assert_finds(
            &a,
            text,
            &EntityType::ORGANIZATION,
            &[firm],
            &[EntityType::LOCATION],
        );
    }
    // A place before words that name no firm stays a place.
    let text = "Send it by Canada Post please.";
    let found = a.analyze(text);
    assert_eq!(values(text, &found, &EntityType::LOCATION), ["Canada"]);
}

#[test]
fn institutions_named_by_what_they_are_of_are_one_organisation() {
    let a = analyzer();
    for (text, firm) in [
        (
            "She studied at the University of Chicago last year.",
            "University of Chicago",
        ),
        (
            "He works at Massachusetts Institute of Technology now.",
            "Massachusetts Institute of Technology",
        ),
        (
            "Copyright (C) 1994 by the University of Southern California",
            "University of Southern California",
        ),
        (
            "Rates were set by the Bank of England today.",
            "Bank of England",
        ),
        (
            "She is a professor at the London School of Economics.",
            "London School of Economics",
        ),
        (
            "In Bank of America's report the figures were revised.",
            "Bank of America",
        ),
        (
            "A loan from Bank of the West was refused.",
            "Bank of the West",
        ),
        (
            "Contact the Department of Health and Human Services.",
            "Department of Health and Human Services",
        ),
        (
            "Copyright 1998 the University of Michigan LDAP team",
            "University of Michigan",
        ),
        // A name written in title case.
        (
            "Laura Gorski\nMinistry Of Agriculture\n07 57 avenue Jules Ferry",
            "Ministry Of Agriculture",
        ),
    ] {
        let found = assert_one_firm(&a, text, firm);
        // The place or name after "of" is not reported on its own.
        for t in [EntityType::LOCATION, EntityType::PERSON] {
            let other = values(text, &found, &t);
            assert!(other.iter().all(|p| !firm.contains(p)), "{text}: {other:?}");
        }
    }
}

#[test]
fn an_institution_of_a_name_ends_where_another_starts() {
    let a = analyzer();
    let text = "I bought shares of Bank of America and Royal Bank of Canada.";
    assert_finds(
        &a,
        text,
        &EntityType::ORGANIZATION,
        &["Bank of America", "Royal Bank of Canada"],
        &[],
    );
}

#[test]
fn what_is_no_institution_of_a_place_keeps_its_place() {
    let a = analyzer();
    // No institution word before "of"; a board is no organisation.
    for (text, place) in [
        ("The city of Chicago is cold.", "Chicago"),
        ("The Board of Directors met in Chicago.", "Chicago"),
        // A name in capitals after a head that is not: the place alone.
        ("She studied at the University of PORVOO.", "PORVOO"),
    ] {
        let found = a.analyze(text);
        assert!(
            values(text, &found, &EntityType::LOCATION).contains(&place),
            "{text}: {found:?}"
        );
        assert!(
            values(text, &found, &EntityType::ORGANIZATION)
                .iter()
                .all(|o| !o.contains(" of ")),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn a_company_word_takes_its_period_only_when_written_short() {
    let a = analyzer();
    assert_one_firm(&a, "We bought it from Loqate Inc. last week", "Loqate Inc.");
    assert_one_firm(
        &a,
        "Copyright by the Free Software Foundation. All rights reserved.",
        "Free Software Foundation",
    );
}

#[test]
fn a_lone_occupation_beside_an_organisation_is_no_partner_of_it() {
    let a = analyzer();
    assert_one_firm(
        &a,
        "William Hoskins\nDirector, Office of Technology Licensing\n",
        "Office of Technology Licensing",
    );
}

#[test]
fn a_name_said_to_be_a_company_is_the_company_not_a_person() {
    let a = analyzer();
    for (text, firm) in [
        (
            "Berkshire Hathaway is a design agency based in Pelhrimov.",
            "Berkshire Hathaway",
        ),
        ("Coden is a design agency based in Naantali.", "Coden"),
        (
            "Standard And Poors is a German multinational.",
            "Standard And Poors",
        ),
    ] {
        assert_finds(
            &a,
            text,
            &EntityType::ORGANIZATION,
            &[firm],
            &[EntityType::PERSON],
        );
    }
    // A person said to work at a bank stays a person.
    let text = "Kelly Smith is a bank manager in Leeds.";
    let found = a.analyze(text);
    assert_eq!(values(text, &found, &EntityType::PERSON), ["Kelly Smith"]);
    assert!(values(text, &found, &EntityType::ORGANIZATION).is_empty());
}

#[test]
fn a_legal_form_after_a_comma_ends_the_firms_name() {
    let a = analyzer();
    for (text, firm) in [
        (
            "Copyright (C) 1991-2015 Free Software Foundation, Inc.",
            "Free Software Foundation, Inc.",
        ),
        (
            "Copyright 2004 Acme Widgets, Inc. All rights reserved.",
            "Acme Widgets, Inc.",
        ),
        ("The code is owned by Initech, LLC today.", "Initech, LLC"),
        // A name wrapped at the end of a line of prose.
        (
            "if not, write to the Free Software\n  Foundation, Inc., 51 Franklin Street",
            "Free Software\n  Foundation, Inc.",
        ),
    ] {
        assert_one_firm(&a, text, firm);
    }
    // A person before "and" is no part of the firm.
    let text = "Copyright (C) 2022 Anthony Green and Red Hat, Inc.";
    let found = assert_one_firm(&a, text, "Red Hat, Inc.");
    assert_eq!(values(text, &found, &EntityType::PERSON), ["Anthony Green"]);
    // A name alone on the line before is no part of it, nor are the
    // shouted words before a line break.
    let text = "Jane Doe\nAcme, Inc.";
    let found = a.analyze(text);
    assert!(
        values(text, &found, &EntityType::ORGANIZATION).contains(&"Acme, Inc."),
        "{found:?}"
    );
    assert_one_firm(
        &a,
        "AND NONINFRINGEMENT. IN NO EVENT SHALL\n SILICON GRAPHICS, INC. BE LIABLE FOR ANY CLAIM",
        "SILICON GRAPHICS, INC.",
    );
}

#[test]
fn a_licences_shouted_disclaimer_names_no_firm() {
    let a = analyzer();
    for text in [
        "THIS SOFTWARE IS PROVIDED BY THE AUTHOR \"AS IS\" AND ANY EXPRESS OR\n IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES\n OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED.",
        "Permission is hereby granted.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY.",
        "Permission is hereby granted.\n\nWHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN\nCONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.",
    ] {
        let found = a.analyze(text);
        assert!(
            values(text, &found, &EntityType::ORGANIZATION).is_empty(),
            "{text}: {found:?}"
        );
    }
    // A firm in capitals still is one.
    assert_one_firm(
        &a,
        "Copyright 1999 FUJITSU LIMITED. All rights reserved.",
        "FUJITSU LIMITED",
    );
}
