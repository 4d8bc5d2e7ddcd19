//! The spelling model's features and training sets, shared by `build.rs`
//! (which trains the table at build time) and [`crate::spelling`] (which
//! reads it): one definition, so that the two cannot disagree.
//!
//! Standard library only: `build.rs` compiles this file on its own.

/// The table has `1 << BUCKET_BITS` hashed n-gram buckets.
pub const BUCKET_BITS: u32 = 18;
/// A bucket stores `round(log-ratio * SCALE)` as a little-endian `i16`.
pub const SCALE: f32 = 1024.0;

/// Whether entry `i` of a sorted training list is held out of training
/// (kept for the generalisation test): every tenth.
#[allow(dead_code)] // build.rs and the tests use it, the library does not
pub fn held_out(i: usize) -> bool {
    i.is_multiple_of(10)
}

/// Lower-cases `c` and folds the Latin letters with diacritics to ASCII
/// ("Ä" → "a", "ß" → "ss", "Ł" → "l"), giving each resulting character to
/// `out`; other characters are kept lower-cased.
pub fn fold_char(c: char, mut out: impl FnMut(char)) {
    for l in c.to_lowercase() {
        let f: &str = match l {
            'à'..='å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ǟ' | 'ǡ' | 'ǻ' | 'ȁ' | 'ȃ' | 'ȧ' => {
                "a"
            }
            'æ' => "ae",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'ð' | 'ď' | 'đ' => "d",
            'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ȅ' | 'ȇ' | 'ȩ' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'ǧ' | 'ǵ' => "g",
            'ĥ' | 'ħ' | 'ȟ' => "h",
            'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ȉ' | 'ȋ' => "i",
            'ĵ' | 'ǰ' => "j",
            'ķ' | 'ĸ' | 'ǩ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' | 'ŋ' | 'ǹ' => "n",
            'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ơ' | 'ǒ' | 'ǫ' | 'ǭ' | 'ȍ' | 'ȏ' => {
                "o"
            }
            'œ' => "oe",
            'ŕ' | 'ŗ' | 'ř' | 'ȑ' | 'ȓ' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
            'ß' => "ss",
            'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
            'þ' => "th",
            'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ư' | 'ǔ' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => {
                "u"
            }
            'ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' | 'ȳ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            _ => {
                out(l);
                continue;
            }
        };
        f.chars().for_each(&mut out);
    }
}

/// The most characters of a folded word the n-grams are taken from (the
/// rest is left out: no name is that long).
pub const MAX_CHARS: usize = 48;

/// Calls `f` with the bucket of each character 2-, 3- and 4-gram of the
/// folded word (its first [`MAX_CHARS`] characters) framed as `^word$`
/// (FNV-1a over the n-gram's UTF-8 bytes). Allocates nothing.
pub fn for_each_bucket(word: &str, mut f: impl FnMut(usize)) {
    // The framed word's UTF-8 bytes, and where each character starts.
    let mut bytes = [0u8; 4 * MAX_CHARS + 2];
    let mut starts = [0u8; MAX_CHARS + 3];
    bytes[0] = b'^';
    let (mut len, mut chars) = (1usize, 1usize);
    for c in word.chars() {
        fold_char(c, |l| {
            if chars <= MAX_CHARS {
                starts[chars] = len as u8;
                len += l.encode_utf8(&mut bytes[len..]).len();
                chars += 1;
            }
        });
    }
    starts[chars] = len as u8;
    bytes[len] = b'$';
    len += 1;
    chars += 1;
    starts[chars] = len as u8;
    for n in 2..=4 {
        for s in 0..(chars + 1).saturating_sub(n) {
            let gram = &bytes[usize::from(starts[s])..usize::from(starts[s + n])];
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for &b in gram {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            f((h & ((1 << BUCKET_BITS) - 1)) as usize);
        }
    }
}

/// The training sets from the shipped lists (each line's first tab-separated
/// field): names (first and last names, and the words of place names of
/// three letters or more) that are no English word, and English words that
/// are no name. Both sorted and without repeats.
#[allow(dead_code)] // build.rs and the tests use it, the library does not
pub fn training_sets(
    first: &str,
    last: &str,
    places: &str,
    words: &str,
) -> (Vec<String>, Vec<String>) {
    use std::collections::BTreeSet;
    let field = |l: &str| l.split('\t').next().unwrap_or("").trim().to_string();
    let english: BTreeSet<String> = words.lines().map(field).filter(|w| !w.is_empty()).collect();
    let mut names: BTreeSet<String> = first
        .lines()
        .chain(last.lines())
        .map(field)
        .filter(|w| !w.is_empty())
        .collect();
    for place in places.lines().map(field) {
        for w in place.split_whitespace() {
            if w.chars().count() > 2 && w.chars().all(char::is_alphabetic) {
                names.insert(w.to_string());
            }
        }
    }
    let positive = names.difference(&english).cloned().collect();
    let negative = english.difference(&names).cloned().collect();
    (positive, negative)
}
