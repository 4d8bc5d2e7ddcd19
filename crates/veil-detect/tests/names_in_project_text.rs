//! Names, places and addresses in the text that ships with software
//! (changelogs, copyright files, READMEs): what is and is not personal
//! data there, through the whole analyzer.

mod common;

use common::{analyzer, assert_finds, values};
use veil_core::EntityType;
use veil_detect::Analyzer;

#[test]
fn a_town_beside_a_name_is_part_of_it() {
    let a = analyzer();
    for (text, person) in [
        (
            "* util: escape lone surrogates (Ruben Bridgewater) [#41001]",
            "Ruben Bridgewater",
        ),
        ("* doc: fix typo (Chengzhong Wu) [#1234]", "Chengzhong Wu"),
        (
            "Copyright:\n 2017-2019 Kohei Takahashi\n",
            "Kohei Takahashi",
        ),
        ("Thanks to Barry Warsaw for the patch.", "Barry Warsaw"),
        // A town no surname list holds, spelt like a name.
        ("Copyright:\n 2006 Ilya Sokolov\n", "Ilya Sokolov"),
        ("Thanks to Gordon Irlam for the patch.", "Gordon Irlam"),
    ] {
        assert_finds(
            &a,
            text,
            &EntityType::PERSON,
            &[person],
            &[EntityType::LOCATION],
        );
    }
    // A town beside an ordinary word or another place stays a town.
    let text = "She moved from Bridgewater to Paris last year.";
    assert_finds(
        &a,
        text,
        &EntityType::LOCATION,
        &["Bridgewater", "Paris"],
        &[],
    );
}

#[test]
fn a_weekday_before_a_date_is_neither_town_nor_name() {
    let a = analyzer();
    for text in [
        " -- Torsten Werner <twerner@debian.org>  Mon, 25 Apr 2011 15:18:22 +0200",
        "  mtime: Thu, 10 Oct 2011 23:24:11 GMT,",
        // The C library's date: weekday, month, day.
        "(c) 1996 Andries Brouwer <aeb@cwi.nl>, Mon Oct 31 22:13:04 1996",
        "\t\tif (/^From ([0-9a-f]{40}) Mon Sep 17 00:00:00 2001$/) {",
    ] {
        let found = a.analyze(text);
        for t in [EntityType::LOCATION, EntityType::PERSON] {
            let v = values(text, &found, &t);
            assert!(
                !v.contains(&"Mon") && !v.contains(&"Thu"),
                "{text}: {found:?}"
            );
        }
    }
}

#[test]
fn files_and_acronyms_after_in_or_from_are_no_places() {
    let a = analyzer();
    for text in [
        "doc: remove Gitter badge from README (Rich Trott)",
        "doc: move the collaborator to the emeriti list in README.md.",
        "src: inform callback scopes about exceptions in HTTP parser",
        "fixed in REPL mode",
        "strings are stored in UTF-8 internally",
        "the change is documented in Makefile and CHANGELOG",
    ] {
        assert_finds(&a, text, &EntityType::LOCATION, &[], &[]);
    }
    // Places written in capitals after a cue stay places.
    for (text, place) in [
        ("I am in ISE for a business trip.", "ISE"),
        ("Alva flew to LEPPEN on Tuesday.", "LEPPEN"),
    ] {
        assert_finds(&a, text, &EntityType::LOCATION, &[place], &[]);
    }
}

#[test]
fn a_copyright_years_holder_is_no_street() {
    let a = analyzer();
    let text = "Copyright:\n 2010 Ilya Muravjov\n 2014 Neil Groves\nLicense: BSL-1.0\n";
    let found = a.analyze(text);
    assert!(
        values(text, &found, &EntityType::LOCATION).is_empty(),
        "{found:?}"
    );
    assert_eq!(
        values(text, &found, &EntityType::PERSON),
        ["Ilya Muravjov", "Neil Groves"]
    );
    // A house number that is no year, or a year outside a copyright
    // notice, still opens an address.
    for (text, street) in [
        (
            "Copyright 2001 Acme. Send mail to 51 Franklin Street, Boston.",
            "51 Franklin Street",
        ),
        (
            "Please send it to 2014 Elm Street tomorrow.",
            "2014 Elm Street",
        ),
    ] {
        let found = a.analyze(text);
        assert!(
            values(text, &found, &EntityType::LOCATION)
                .iter()
                .any(|v| v.starts_with(street)),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn a_word_the_text_writes_after_the_names_a_thing() {
    let a = analyzer();
    for text in [
        "Unless agreed to in writing, Licensor provides the Work on an \"AS IS\" basis. \
         In no event shall the Licensor be liable; contact Licensor by mail.",
        "To use this tool, run it with Valgrind. Hardware watchpoints are supported \
         by the Valgrind gdbserver, and Valgrind will report them.",
    ] {
        assert_finds(&a, text, &EntityType::PERSON, &[], &[]);
    }
    // A person's name before a work or a family stays a person's; so do
    // other people in the same text.
    let text = "Unlike the Takuda novel, this one was written by Zekyrozo Takuda.";
    assert_finds(
        &a,
        text,
        &EntityType::PERSON,
        &["Takuda", "Zekyrozo Takuda"],
        &[],
    );
}

#[test]
fn versions_and_acronyms_joined_to_a_word_are_no_names() {
    let a = analyzer();
    for text in [
        "The maximum size of an IPv4/v6 datagram depends on the MTU.",
        "Licensed under GPLv3 or later; TLSv1.2 is required.",
        "The Node-API version is 9. Ask Jean-Pierre Dupont about it.",
    ] {
        let found = a.analyze(text);
        let persons = values(text, &found, &EntityType::PERSON);
        assert!(
            persons.iter().all(|p| p.starts_with("Jean-Pierre")),
            "{text}: {found:?}"
        );
    }
    let text = "Ask Jean-Pierre Dupont about it.";
    assert_eq!(
        values(text, &a.analyze(text), &EntityType::PERSON),
        ["Jean-Pierre Dupont"]
    );
}

#[test]
fn software_and_plurals_of_words_are_no_names() {
    let a = analyzer();
    for text in [
        "It may be used, redistributed and/or modified under the same terms as Perl itself.",
        "H1 {font-family: Verdana,Arial,Helvetica}",
        "This package was put together by Dirk Eddelbuettel from the previous Debian package.",
        "Contributions are welcome on GitHub; see the Git history.",
        "notice, this list of conditions.\n2. Redistributions in binary form must reproduce it.",
    ] {
        let found = a.analyze(text);
        let persons = values(text, &found, &EntityType::PERSON);
        assert!(
            persons.iter().all(|p| *p == "Dirk Eddelbuettel"),
            "{text}: {found:?}"
        );
    }
    // Surnames shaped like an agent noun or a plural stay names.
    for (text, person) in [
        (
            "1993 Branko Lankester <branko@example.nl>",
            "Branko Lankester",
        ),
        ("Thanks to Peter Pallinger for the fix.", "Peter Pallinger"),
    ] {
        assert_finds(&a, text, &EntityType::PERSON, &[person], &[]);
    }
}

#[test]
fn a_term_a_licence_defines_in_quotes_is_no_name_nor_firm() {
    let a = analyzer();
    for (text, term, entity) in [
        (
            "1.5. \"Covered Software\"\n    means Source Code Form. Covered Software is provided as is.",
            "Covered Software",
            EntityType::ORGANIZATION,
        ),
        (
            "the person associating CC0 with a Work (the \"Affirmer\"), to the extent. \
             Affirmer makes the Waiver for the benefit of the public.",
            "Affirmer",
            EntityType::PERSON,
        ),
    ] {
        let found = a.analyze(text);
        assert!(
            !values(text, &found, &entity).contains(&term),
            "{text}: {found:?}"
        );
    }
    // A name passed to a function in quotes is no defined term, and a
    // person named in quotes stays a person.
    let text = "_.escape(\"Moe\") returns the name; greet Curly, Larry and Moe Howard.";
    let found = a.analyze(text);
    assert!(
        values(text, &found, &EntityType::PERSON).contains(&"Moe Howard"),
        "{found:?}"
    );
    let text = "x = 0.0 / 0.0 gives NaN, as Samantha Reyes noted.";
    assert_eq!(
        values(text, &a.analyze(text), &EntityType::PERSON),
        ["Samantha Reyes"]
    );
}

#[test]
fn a_first_name_that_is_a_word_in_a_heading_is_the_word() {
    let a = analyzer();
    for text in [
        "2. Grant of Copyright License. Subject to the terms of this License,",
        "3. License Grant. Subject to the terms and conditions of this License,",
    ] {
        assert_finds(&a, text, &EntityType::PERSON, &[], &[]);
    }
    // A first name that is a word stays a name in a sentence.
    for (text, person) in [
        ("Grant wrote the first version in 2004.", "Grant"),
        ("Copyright (C) 2006 Ani Peter <apeter@example.com>", "Peter"),
    ] {
        let found = a.analyze(text);
        assert!(
            values(text, &found, &EntityType::PERSON)
                .iter()
                .any(|p| p.contains(person)),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn a_range_of_years_is_no_phone_number() {
    let a = analyzer();
    let text =
        "Copyright:\t2011 Rhys Ulerich\n \t\t2014-2015 Philip Withnall\nLicense: public-domain";
    let found = a.analyze(text);
    assert!(
        values(text, &found, &EntityType::PHONE_NUMBER).is_empty(),
        "{found:?}"
    );
    assert!(
        values(text, &found, &EntityType::DATE_TIME).contains(&"2015"),
        "{found:?}"
    );
    let text = "Call me at 212-555-0143 after six.";
    assert_eq!(
        values(text, &a.analyze(text), &EntityType::PHONE_NUMBER),
        ["212-555-0143"]
    );
}

#[test]
fn a_faith_word_that_is_a_first_name_starts_a_name_before_a_surname() {
    let a = analyzer();
    for (text, person) in [
        ("Copyright: 2010 Christian Dywan", "Christian Dywan"),
        (
            "2010-2012 Christian Perrier <bubulle@debian.org>",
            "Christian Perrier",
        ),
        ("Christian Kastner wrote the patch.", "Christian Kastner"),
    ] {
        assert_finds(&a, text, &EntityType::PERSON, &[person], &[EntityType::NRP]);
    }
    // The faith itself stays NRP: alone, before an ordinary word or
    // another group's name.
    for text in [
        "He is a devout Christian and lives in Ohio.",
        "She reads the Christian Science Monitor.",
        "Christian Arabs live there.",
    ] {
        let found = a.analyze(text);
        assert_eq!(
            values(text, &found, &EntityType::NRP).first(),
            Some(&"Christian"),
            "{text}: {found:?}"
        );
        assert!(
            !values(text, &found, &EntityType::PERSON)
                .iter()
                .any(|p| p.contains("Christian")),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn names_written_with_diacritics_are_the_listed_names() {
    let a = analyzer();
    for (text, person) in [
        (
            "Copyright:\n Joaquín M López Muñoz\n",
            "Joaquín M López Muñoz",
        ),
        ("Thanks to James Marín for the review.", "James Marín"),
        ("* fix the parser (Kat Marchán)", "Kat Marchán"),
    ] {
        assert_finds(
            &a,
            text,
            &EntityType::PERSON,
            &[person],
            &[EntityType::LOCATION, EntityType::DATE_TIME],
        );
    }
    // After a place cue, such a word is still the place.
    let text = "When: 1988-05-19\nWhere: Castelló de Rugat Country Club.";
    let found = a.analyze(text);
    assert!(
        values(text, &found, &EntityType::LOCATION).contains(&"Castelló de Rugat"),
        "{found:?}"
    );
}

#[test]
fn software_and_binary_units_are_no_people() {
    let a = analyzer();
    let text = "Documented with JSDoc, built to WebAssembly, fetched with Wget; it needs 1.5 GiB and TeX. It runs on Mac OS X.";
    assert_finds(&a, text, &EntityType::PERSON, &[], &[EntityType::LOCATION]);
}

#[test]
fn a_town_beside_its_region_is_a_place_though_also_a_name() {
    let a = analyzer();
    for (text, places) in [
        (
            "51 Franklin Street, Fifth Floor, Boston, MA 02110-1301, USA.",
            &["Boston", "USA"][..],
        ),
        (
            "developed by the University of California, Berkeley.",
            &["Berkeley"][..],
        ),
        (
            "copyright by the University of Cambridge, England.",
            &["England"][..],
        ),
    ] {
        let found = a.analyze(text);
        let located = values(text, &found, &EntityType::LOCATION);
        for p in places {
            assert!(
                located.iter().any(|l| l.contains(p)),
                "{p} in {text}: {found:?}"
            );
        }
        assert!(
            values(text, &found, &EntityType::PERSON).is_empty(),
            "{found:?}"
        );
        // A ZIP+4 after a state is a postcode, not a phone.
        assert!(
            values(text, &found, &EntityType::PHONE_NUMBER).is_empty(),
            "{found:?}"
        );
    }
    // The same names as people, without a region beside them.
    let text = "Thanks to Tom Boston for the patch.";
    assert_finds(&a, text, &EntityType::PERSON, &["Tom Boston"], &[]);
}

#[test]
fn a_suffix_or_a_notice_after_a_name_is_no_name() {
    let a = analyzer();
    for (text, person) in [
        (
            "1999-2021 Charles E. Campbell, Jr. <drchip@example.org>",
            "Charles E. Campbell",
        ),
        (
            "Copyright: 2011-2012 Howard Chu, All rights reserved.",
            "Howard Chu",
        ),
    ] {
        assert_finds(&a, text, &EntityType::PERSON, &[person], &[]);
    }
}

#[test]
fn a_licence_shouted_subject_is_no_firm() {
    let a = analyzer();
    for text in [
        "THE FONT SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND.",
        "THE DATA FILES AND SOFTWARE ARE PROVIDED \"AS IS\".",
        "PURPOSE ARE DISCLAIMED.  IN NO EVENT SHALL THE FOUNDATION OR CONTRIBUTORS BE LIABLE",
    ] {
        assert_finds(&a, text, &EntityType::ORGANIZATION, &[], &[]);
    }
    // A firm named in the same shouted prose stays one.
    let text = "Permission to use, copy and modify this software for any purpose is hereby \
                granted, provided that the notice above appears in all copies of it. \
                IN NO EVENT SHALL SONY CORPORATION BE LIABLE.";
    assert_finds(
        &a,
        text,
        &EntityType::ORGANIZATION,
        &["SONY CORPORATION"],
        &[],
    );
}

#[test]
fn an_unlisted_first_name_before_a_town_that_is_a_surname_is_a_name() {
    let a = analyzer();
    for (text, person) in [
        (
            "net: check close callback is function (Yosuke Furukawa)",
            "Yosuke Furukawa",
        ),
        ("* doc: fix typo (Yoshiki Kurihara)", "Yoshiki Kurihara"),
    ] {
        assert_finds(
            &a,
            text,
            &EntityType::PERSON,
            &[person],
            &[EntityType::LOCATION],
        );
    }
}

#[test]
fn a_language_or_a_path_is_no_nationality_or_belief() {
    let a = analyzer();
    for text in [
        "* test: make test-tls-external-accessor agnostic (Rich Trott)",
        " libs/geometry/include/boost/geometry/strategies/agnostic/simplify.hpp",
        "doc: use US English for consistency",
        "In plain English: we don't promise that this software works.",
        "the character that translates into the English word 'example'",
    ] {
        assert_finds(&a, text, &EntityType::NRP, &[], &[]);
    }
    // A belief or a nationality stated stays one.
    for (text, nrp) in [
        ("I am agnostic and my wife is Catholic.", "agnostic"),
        ("She is English and lives in Leeds.", "English"),
    ] {
        let found = a.analyze(text);
        assert!(
            values(text, &found, &EntityType::NRP).contains(&nrp),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn a_name_before_an_html_closing_tag_is_whole() {
    let a = analyzer();
    let text = "<p><a href=\"bugs.html\">Daniel Veillard</a></p>";
    assert_finds(&a, text, &EntityType::PERSON, &["Daniel Veillard"], &[]);
    // A lone word in a tag is a heading or an identifier, no name.
    let text = "<h3>Hmac</h3><p>Vec<Config> holds the settings.</p>";
    assert_finds(&a, text, &EntityType::PERSON, &[], &[]);
}

#[test]
fn licence_texts_wrapped_places_dates_and_sections_are_read_as_written() {
    let a = analyzer();
    // A country's name wrapped onto the next line is the country, not a
    // person's first name ("America").
    let text = "registered to do business in the United\n     States of America, any litigation";
    assert_finds(
        &a,
        text,
        &EntityType::LOCATION,
        &["United\n     States of America"],
        &[EntityType::PERSON],
    );
    // A day, a month and a year are a date, not a house number and a
    // street (nor is the signature line under it an address).
    let text = "written by James Hacker.\n\n  <signature of Ty Coon>, 1 April 1989\n  Ty Coon, President of Vice\n";
    let found = assert_finds(&a, text, &EntityType::LOCATION, &[], &[]);
    assert_eq!(
        values(text, &found, &EntityType::DATE_TIME),
        ["1 April 1989"]
    );
    // A section of a code of regulations is no house number and street.
    let text = "as that term is defined in 48 C.F.R. 2.101 (Oct. 1995), consisting of";
    assert_finds(&a, text, &EntityType::LOCATION, &[], &[]);
    // A capitalised title does not take the lower-case word before it.
    let text = "As between Initial Developer and the Contributors, each party is responsible";
    assert_finds(&a, text, &EntityType::TITLE, &[], &[]);
    // Addresses and titles these rules leave alone.
    let text = "Send it to 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301, USA.";
    let found = a.analyze(text);
    assert!(
        values(text, &found, &EntityType::LOCATION)
            .iter()
            .any(|v| v.starts_with("51 Franklin Street")),
        "{found:?}"
    );
    let text = "She works as Senior Developer at the bank.";
    assert_finds(&a, text, &EntityType::TITLE, &["Senior Developer"], &[]);
}

#[test]
fn dates_year_ranges_and_byte_dumps_in_docs_are_no_phones() {
    let a = analyzer();
    for text in [
        "// Prints: <Buffer 74 68 69 73 20 69 73 20 61 20 74 65 73 74>",
        "// Prints: <Buffer 61 61 61 61 61>",
        "## 2014.05.01, Version 0.11.13 (Unstable)",
        "Copyright (C) 2005-2020 by H.Merijn Brand (m)'20 [23-08-2020]",
        " 2014-2011, Helmut Grohne <helmutg@debian.org>",
    ] {
        assert_finds(&a, text, &EntityType::PHONE_NUMBER, &[], &[]);
    }
    assert_finds(
        &a,
        "Call me at 06 12 34 56 78 tomorrow.",
        &EntityType::PHONE_NUMBER,
        &["06 12 34 56 78"],
        &[],
    );
}

#[test]
fn a_copyright_year_is_no_house_number_of_a_place_after_it() {
    let a = analyzer();
    let text = "Files:\n libs/gil/test/legacy/error_if.cpp\nCopyright:\n 2008 Hailin Jin\n";
    let found = a.analyze(text);
    let places = values(text, &found, &EntityType::LOCATION);
    assert!(places.iter().all(|p| !p.contains("2008")), "{found:?}");
    // A house number before a place still belongs to it.
    let text = "Our office: 255 Hersnapvej 18, 8000 Aarhus";
    let found = a.analyze(text);
    let places = values(text, &found, &EntityType::LOCATION);
    assert!(places.iter().any(|p| p.starts_with("255")), "{found:?}");
}

#[test]
fn unicode_character_names_in_code_page_tables_are_no_names_nor_groups() {
    let a = analyzer();
    for text in [
        "decoding_table = (\n    '\\u0160'   #  0x8A -> LATIN CAPITAL LETTER S WITH CARON\n    '\\u043a'   #  0xEA -> CYRILLIC SMALL LETTER KA\n    '\\u0e01'   #  0xA1 -> THAI CHARACTER KO KAI\n)\n",
        // Names of any length after a code point, and their qualifiers.
        "    '\\u0385'   #  0xA1 -> GREEK DIALYTIKA TONOS\n    '\\u0e3f'   #  0xDF -> THAI CURRENCY SYMBOL BAHT\n",
        "    0x0090: 0x03b2,     #  GREEK SMALL BETA\n    0x0092: 0x00c6,     #  LATIN CAPITAL LIGATURE AE\n",
        "    '\\xf0'     #  0x8C -> LATIN SMALL LETTER ETH (ICELANDIC)\n    '\\xdf'     #  0x59 -> LATIN SMALL LETTER SHARP S (German)\n",
    ] {
        let found = a.analyze(text);
        for t in [
            EntityType::PERSON,
            EntityType::LOCATION,
            EntityType::NRP,
            EntityType::ORGANIZATION,
        ] {
            assert!(values(text, &found, &t).is_empty(), "{t:?}: {found:?}");
        }
    }
    // A nationality in brackets elsewhere stays one.
    assert_finds(
        &a,
        "Our new colleague (German) starts on Monday.",
        &EntityType::NRP,
        &["German"],
        &[],
    );
    // Shouted prose that names no character keeps its places.
    let text = "I SENT THIS LETTER FROM FRANCE";
    let found = a.analyze(text);
    assert_eq!(
        values(text, &found, &EntityType::LOCATION),
        ["FRANCE"],
        "{found:?}"
    );
}

#[test]
fn code_literals_and_docstring_words_are_no_names() {
    let a = analyzer();
    for text in [
        "def visit(self, node):\n        name = node.name\n        if name is None:\n            name = \"_\"\n",
        "Run a function.\n\n    Args:\n        coro_fns: an iterable of coroutine functions.\n",
        "currently only used by Tuple and Callable. All subscripted types",
    ] {
        assert_finds(&a, text, &EntityType::PERSON, &[], &[]);
    }
}

#[test]
fn identifiers_and_lines_of_code_are_no_names_nor_titles() {
    let a = analyzer();
    let text = "    def remove(self, value):\n        \"\"\"Remove an element. If not a member, raise a KeyError.\"\"\"\n        if value not in self:\n            raise KeyError(value)\n        self.discard(value)\n\n    def pop(self):\n        \"\"\"Return the popped value.  Raise KeyError if empty.\"\"\"\n        it = iter(self)\n        try:\n            value = next(it)\n        except StopIteration:\n            raise KeyError from None\n";
    assert_finds(&a, text, &EntityType::PERSON, &[], &[]);
    let text = "class Waiters:\n    async def wait(self):\n        waiter = self.create_future()\n        self._waiters.append(waiter)\n        await waiter\n";
    assert_finds(&a, text, &EntityType::TITLE, &[], &[]);
    // Names joined in camel case stay names.
    assert_finds(
        &a,
        "Thanks to LeeAnn Jones and Ronald MacArthur for the review.",
        &EntityType::PERSON,
        &["LeeAnn Jones", "Ronald MacArthur"],
        &[],
    );
}

#[test]
fn firms_and_surnames_written_in_camel_case_keep_their_type() {
    let a = analyzer();
    assert_finds(
        &a,
        "# /O=Deutscher Sparkassen Verlag GmbH/L=Stuttgart/C=DE",
        &EntityType::ORGANIZATION,
        &["Deutscher Sparkassen Verlag GmbH"],
        &[EntityType::PERSON],
    );
    assert_finds(
        &a,
        "* fs: add an example (Conor ONeill) [#31552]",
        &EntityType::PERSON,
        &["Conor ONeill"],
        &[],
    );
}

#[test]
fn traits_in_bounds_use_lists_and_wrapped_attributes_are_no_names() {
    let a = analyzer();
    for text in [
        "#[derive(\n    Clone, Copy, Debug, Default, Eq, Hash, PartialEq, PartialOrd, Ord,\n)]\npub struct Span;\n",
        "fn get<Q>(&self, k: &Q) -> Option<&V>\nwhere\n    K: Borrow<Q>,\n    Q: ?Sized + Ord + Eq + Hash,\n{\n",
        "impl<K: Eq + Ord, V> Map<K, V> {}\n",
        "use crate::{\n    wire::{self, DeserializeError, Endian, SerializeError},\n};\n",
    ] {
        assert_finds(&a, text, &EntityType::PERSON, &[], &[]);
    }
    // A bound after `->` is no firm of a contact block ("> Fut + Send,").
    let text = "where\n    F: FnMut(Range<u64>) -> Fut + Send,\n    Fut: Future<Output = Result<()>> + Send,\n{\n";
    assert_finds(&a, text, &EntityType::ORGANIZATION, &[], &[]);
    // The same words in prose stay names.
    assert_finds(
        &a,
        "Thanks to Adam Ord for the patch.",
        &EntityType::PERSON,
        &["Adam Ord"],
        &[],
    );
}

/// The words of code and standards that
/// `python_imports_attributes_and_identifier_lists_are_no_names_nor_places`
/// reads.
const CODE_WORDS: &[&str] = &[
    "Union",
    "Call",
    "Attr",
    "Pdb",
    "Emax",
    "Emin",
    "Etop",
    "Maildir",
    "Mailbox",
    "OCTDIGITS",
    "HKEYS",
    "RFC",
    "RFC 3492",
    "REPL",
    "WHATWG",
    "Metadata",
];

#[test]
fn python_imports_attributes_and_identifier_lists_are_no_names_nor_places() {
    let a = analyzer();
    for text in [
        "from typing import List, Mapping, Optional, Union\n",
        "from ..fixer_util import Name, Call, Attr, ArgList, is_tuple\n",
        "class _OutputRedirectingPdb(pdb.Pdb):\n    pass\n",
        "exp_max = [context.Emax, context.Etop()][context.clamp]\n",
        "ctx = Context(prec=28, Emax=999999, Emin=-999999)\n",
        "__all__ = ['Mailbox', 'Maildir', 'mbox', 'MH', 'Babyl']\n",
        "_context_attributes = frozenset(['prec', 'Emin', 'Emax', 'capitals'])\n",
        "        if c in OCTDIGITS:\n            pass\n",
        "    for base in HKEYS:\n        pass\n",
        "This file is derived from RFC 3492 written by Adam M. Costello.\n",
        "* Surrogate pair in REPL can freeze terminal.\n",
        "* url: preserve null char in WHATWG URL errors\n",
        "/// Malformed integer in Metadata XML database\n",
    ] {
        let found = a.analyze(text);
        for t in [EntityType::PERSON, EntityType::LOCATION] {
            let v = values(text, &found, &t);
            assert!(
                v.iter().all(|v| !CODE_WORDS.contains(v)),
                "{t:?} {v:?} in {text:?}"
            );
        }
    }
    // Records and lists of people keep their names; a place with a cue
    // stays a place.
    assert_finds(
        &a,
        "rows = [{'id': 2, 'name': 'Ted', 'last': 'White'}]\n",
        &EntityType::PERSON,
        &["Ted"],
        &[],
    );
    assert_finds(
        &a,
        "names = ['Alice Smith', 'Bob Jones']\n",
        &EntityType::PERSON,
        &["Alice Smith", "Bob Jones"],
        &[],
    );
    assert_finds(
        &a,
        "She was born in Paris: a lovely city.",
        &EntityType::LOCATION,
        &["Paris"],
        &[],
    );
}

#[test]
fn month_and_weekday_abbreviations_in_lists_and_dates_are_no_names_nor_places() {
    let a = analyzer();
    for text in [
        "_DAYNAMES = [None, \"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\", \"Sat\", \"Sun\"]\n",
        "_MONTHNAMES = [None, 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun',\n               'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']\n",
        "    \"year, month, day -> ordinal, considering 01-Jan-0001 as day 1.\"\n",
        "# [JNZ] Modified 21-Jun-2013\n",
        "    if not week_starts_Mon:\n        pass\n",
    ] {
        let found = a.analyze(text);
        for t in [EntityType::PERSON, EntityType::LOCATION] {
            assert!(
                values(text, &found, &t).is_empty(),
                "{t:?} in {text:?}: {found:?}"
            );
        }
    }
    // The same short words as names in prose stay names.
    assert_finds(
        &a,
        "Thanks to Jan Kowalski for the patch.",
        &EntityType::PERSON,
        &["Jan Kowalski"],
        &[],
    );
}

#[test]
fn greetings_of_other_languages_open_a_name_and_are_no_part_of_it() {
    let a = analyzer();
    for (text, person) in [
        ("Ciao Marco, come stai?", "Marco"),
        ("Hola Maria, gracias por todo", "Maria"),
        ("Salut Pierre, merci", "Pierre"),
        ("Hallo Jens, danke schön", "Jens"),
        ("Olá João, tudo bem?", "João"),
        ("Hej Sven, tack", "Sven"),
        ("Hi Grace, thanks", "Grace"),
    ] {
        assert_finds(
            &a,
            text,
            &EntityType::PERSON,
            &[person],
            &[EntityType::LOCATION],
        );
    }
}

#[test]
fn names_and_places_after_the_cues_of_other_languages() {
    let a = analyzer();
    for (text, person, place) in [
        (
            "Hola, me llamo Carlos Ruiz y vivo en Madrid",
            "Carlos Ruiz",
            "Madrid",
        ),
        ("Ich bin Jens Weber aus Hamburg", "Jens Weber", "Hamburg"),
        (
            "Je suis Marie Lefèvre, j'habite à Lyon",
            "Marie Lefèvre",
            "Lyon",
        ),
        (
            "Meu nome é João Silva e moro em Lisboa",
            "João Silva",
            "Lisboa",
        ),
        (
            "Ik ben Sanne de Vries uit Utrecht",
            "Sanne de Vries",
            "Utrecht",
        ),
    ] {
        assert_people_and_places(&a, text, &[person], &[place]);
    }
}

/// Asserts that `a` finds exactly `people` (PERSON) and `places`
/// (LOCATION) in `text`, in text order.
fn assert_people_and_places(a: &Analyzer, text: &str, people: &[&str], places: &[&str]) {
    let found = assert_finds(a, text, &EntityType::PERSON, people, &[]);
    assert_eq!(
        values(text, &found, &EntityType::LOCATION),
        places,
        "{text}"
    );
}

/// Support mail in German, French, Spanish, Italian, Portuguese and Dutch:
/// its capitalised nouns ("Hilfe", "Bestellung"), pronouns ("Sie",
/// "Ihre"), sign-offs ("Cordialement") and function words ("para",
/// "una") are no names and no places; its people and places are.
#[test]
fn text_in_other_languages_names_only_its_people_and_places() {
    let a = analyzer();
    for (text, people, places) in [
        (
            "Sehr geehrte Damen und Herren, ich brauche Hilfe mit meiner Bestellung. \
             Die Lieferung ist nicht angekommen und die Rechnung stimmt nicht. \
             Mit freundlichen Grüßen, Jens Weber",
            &["Jens Weber"][..],
            &[][..],
        ),
        (
            "Guten Tag, können Sie mir bitte die Kündigung bestätigen? Vielen Dank \
             für Ihre Unterstützung. Grüße aus Hamburg, Petra",
            &["Petra"],
            &["Hamburg"],
        ),
        (
            "Die Zahlung ist fehlgeschlagen. Vielen Dank, Heike",
            &["Heike"],
            &[],
        ),
        (
            "Bonjour, je voudrais annuler ma Commande. Merci pour votre Aide. \
             Cordialement, Marie Dupont",
            &["Marie Dupont"],
            &[],
        ),
        (
            "Hola, necesito ayuda con mi Pedido para una devolución. Gracias por su \
             Atención. Saludos, Carlos García",
            &["Carlos García"],
            &[],
        ),
        (
            "Buongiorno, vorrei sapere quando arriva il mio ordine. Grazie per \
             l'aiuto, Giulia Rossi",
            &["Giulia Rossi"],
            &[],
        ),
        (
            "Olá, não recebi a minha encomenda e preciso de ajuda. Obrigado, \
             João Silva",
            &["João Silva"],
            &[],
        ),
        (
            "Goedemiddag, ik heb mijn bestelling niet ontvangen. Met vriendelijke \
             groet, Sanne de Vries",
            &["Sanne de Vries"],
            &[],
        ),
    ] {
        assert_people_and_places(&a, text, people, places);
    }
}

/// French, Italian, Portuguese and Dutch text: their ordinary words (the
/// list of those languages' words, read where one of their function words
/// stands) are no names — in lower case, or capitalised opening a sentence
/// or a column of a command's help — while a capitalised word inside a
/// sentence, or opening one before another capitalised word, stays a name
/// ("Daan Bakker", "Lisboa").
#[test]
fn words_of_french_italian_portuguese_and_dutch_are_no_names() {
    let a = analyzer();
    for (text, people, places) in [
        (
            "Crée une base de données simple à partir des entrées textuelles.",
            &[][..],
            &[][..],
        ),
        (
            "     --no-recurse-limit  Désactiver la limite sur la récursivité des décorations",
            &[],
            &[],
        ),
        (
            "  -l, --files-with-matches  Stampa solo i nomi dei FILE con righe selezionate",
            &[],
            &[],
        ),
        ("i valori oltre le 24 ore non sono gestiti", &[], &[]),
        (
            "Hallo, ik ben Daan Bakker en ik heb mijn bestelling niet ontvangen.",
            &["Daan Bakker"],
            &[],
        ),
        (
            "Lotte Visser heeft gisteren gebeld over de waarde van haar bestelling.",
            &["Lotte Visser"],
            &[],
        ),
        (
            "Olá, meu nome é Rui Costa e moro em Lisboa, não recebi a encomenda.",
            &["Rui Costa"],
            &["Lisboa"],
        ),
    ] {
        assert_people_and_places(&a, text, people, places);
    }
}

/// In German text a capitalised word no list holds is a noun, unless a
/// cue or a first name beside it makes it a name: "Frau Hinterhuber",
/// "Jens Hinterhuber", "mein Name ist Hinterhuber".
#[test]
fn in_german_text_a_name_no_list_holds_needs_a_cue() {
    let a = analyzer();
    for (text, people) in [
        (
            "Die Schlüsseltabelleneinträge werden im Arbeitsverzeichnis gespeichert.",
            &[][..],
        ),
        (
            "Ich habe mit Jens Hinterhuber über die Rechnung gesprochen.",
            &["Jens Hinterhuber"],
        ),
        // A first name no list holds beside a German surname that is also
        // a word ("Müller": miller).
        ("Uwe Müller hat gestern angerufen.", &["Uwe Müller"]),
        (
            "Mein Name ist Hinterhuber und ich brauche eine neue Rechnung.",
            &["Hinterhuber"],
        ),
    ] {
        assert_finds(&a, text, &EntityType::PERSON, people, &[]);
    }
}

/// English text with a few words of another language, or an address
/// abroad, is read as English: its names stay names.
#[test]
fn english_text_with_foreign_words_stays_english() {
    let a = analyzer();
    for (text, people) in [
        (
            "Ella Snider called us, and Una Byrne too.",
            &["Ella Snider", "Una Byrne"][..],
        ),
        (
            "joshua gavrilov\n49 reykjarhóli 70\nsuite 770\nfljót\nnauru 25389",
            &["joshua gavrilov"],
        ),
        (
            "Thanks to Marco Rossi for the patch, muchas gracias!",
            &["Marco Rossi"],
        ),
    ] {
        assert_finds(&a, text, &EntityType::PERSON, people, &[]);
    }
}

/// The titles of other languages title a name as "Mr" does, and a title
/// after trimmed words ("Thanks Dr. Smith", "Rufen Sie Frau …") as well:
/// the name is the person, the title its own finding.
#[test]
fn titles_of_other_languages_and_after_trimmed_words() {
    let a = analyzer();
    for (text, person) in [
        ("Bitte rufen Sie Frau Hinterhuber zurück.", "Hinterhuber"),
        (
            "Herr Obermaier hat die Rechnung nicht bezahlt.",
            "Obermaier",
        ),
        (
            "Veuillez contacter Madame Lefebvre demain matin.",
            "Lefebvre",
        ),
        ("El señor Ortega pidió un reembolso.", "Ortega"),
        (
            "La signora Bianchi ha chiamato per il suo ordine.",
            "Bianchi",
        ),
        ("A senhora Figueiredo ligou sobre o pedido.", "Figueiredo"),
        ("Meneer Jansen heeft gebeld over zijn bestelling.", "Jansen"),
        ("Meneer de Vries heeft gebeld.", "de Vries"),
        ("Thanks Dr. Smith for the help.", "Smith"),
    ] {
        let found = assert_finds(&a, text, &EntityType::PERSON, &[person], &[]);
        let before = &text[..text.find(person).unwrap_or(0)];
        let title = values(text, &found, &EntityType::TITLE);
        assert_eq!(title.len(), 1, "{text}: {found:?}");
        assert!(before.trim_end().ends_with(title[0]), "{text}: {title:?}");
    }
}
