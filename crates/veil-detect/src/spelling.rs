//! How much a word is spelt like a name rather than an English word.
//!
//! A character n-gram naive Bayes model (2- to 4-grams of the word folded to
//! lower-case ASCII, hashed into 2^18 buckets), trained at build time by
//! `build.rs` from the shipped lists: first and last names and the words of
//! place names against the English word list, every tenth entry of each held
//! out for the test below. It is used only on capitalised words no list
//! holds: "Ryhänen", "Ogasahara", "Khadzhiyev" read as names, "Licensor",
//! "Makefile", "Texinfo" as words. On the held-out entries, 77% of names and
//! 4% of words score at least [`NAME_LIKE`].

use crate::spelling_model::{SCALE, for_each_bucket};

/// The trained table: one little-endian `i16` log-ratio per bucket.
static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/spelling.bin"));

/// The score from which a word counts as spelt like a name.
pub const NAME_LIKE: f32 = 0.3;

/// The mean log-likelihood ratio (name over English word) of the word's
/// n-grams: above zero reads as a name, below as a word. 0 for an empty word.
pub fn name_likeness(word: &str) -> f32 {
    let (mut sum, mut grams) = (0i64, 0i64);
    for_each_bucket(word, |b| {
        sum += i64::from(i16::from_le_bytes([TABLE[2 * b], TABLE[2 * b + 1]]));
        grams += 1;
    });
    if grams == 0 {
        0.0
    } else {
        sum as f32 / grams as f32 / SCALE
    }
}

/// A capitalised word no list holds that is spelt like a name: four letters
/// or more, and either a Latin letter with a diacritic (English words have
/// almost none: "Šušulić", "Pudičmouth") or a [`name_likeness`] of at least
/// [`NAME_LIKE`].
pub fn spelt_like_a_name(word: &str) -> bool {
    spelt_like_a_name_from(word, NAME_LIKE)
}

/// [`spelt_like_a_name`] with the [`name_likeness`] required given.
pub fn spelt_like_a_name_from(word: &str, likeness: f32) -> bool {
    word.chars().count() >= 4
        && word.chars().all(char::is_alphabetic)
        && (word
            .chars()
            .any(|c| ('\u{c0}'..='\u{24f}').contains(&c) && c != '\u{d7}' && c != '\u{f7}')
            || name_likeness(word) >= likeness)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spelling_model::{held_out, training_sets};

    #[test]
    fn held_out_names_read_as_names_and_held_out_words_as_words() {
        let data = |f: &str| {
            std::fs::read_to_string(format!("{}/data/{f}.txt", env!("CARGO_MANIFEST_DIR")))
        };
        let (names, words) = training_sets(
            &data("first_names").unwrap(),
            &data("last_names").unwrap(),
            &data("places").unwrap(),
            &data("words").unwrap(),
        );
        let share = |list: &[String]| {
            let held: Vec<&String> = list
                .iter()
                .enumerate()
                .filter(|(i, _)| held_out(*i))
                .map(|(_, w)| w)
                .collect();
            held.iter()
                .filter(|w| name_likeness(w) >= NAME_LIKE)
                .count() as f64
                / held.len() as f64
        };
        let (n, w) = (share(&names), share(&words));
        assert!(n > 0.7, "held-out names read as names: {n}");
        assert!(w < 0.06, "held-out words read as names: {w}");
    }

    #[test]
    fn names_no_list_holds_and_technical_words() {
        for name in [
            "Ryhänen",
            "Ogasahara",
            "Khadzhiyev",
            "Ahtisaari",
            "Šušulić",
            "Monjeau",
        ] {
            assert!(spelt_like_a_name(name), "{name}");
        }
        for word in [
            "Licensor",
            "Texinfo",
            "Licensable",
            "Gnomovision",
            "Iconv",
            "Git",
            "FreeBSD",
        ] {
            assert!(!spelt_like_a_name(word), "{word}");
        }
    }

    #[test]
    fn folding_maps_latin_diacritics_to_ascii() {
        let fold = |w: &str| {
            let mut s = String::new();
            w.chars()
                .for_each(|c| crate::spelling_model::fold_char(c, |l| s.push(l)));
            s
        };
        assert_eq!(fold("ÆsÅßŁÐÞœ"), "aesassldthoe");
        assert_eq!(fold("Κώστας"), "κώστας");
        assert_eq!(name_likeness("Ryhänen"), name_likeness("Ryhanen"));
    }
}
