//! Context words: does a word or phrase from a list stand near a span?

/// How many bytes before a candidate the context window reaches.
pub const WINDOW_BEFORE: usize = 64;
/// How many bytes after a candidate the context window reaches.
pub const WINDOW_AFTER: usize = 32;

/// A list of context words or phrases, matched case-insensitively at word
/// starts: `phone` matches "Phone:" and "phones", not "xylophone".
#[derive(Debug, Clone, Default)]
pub struct Context {
    words: Vec<String>,
    /// All the words in one automaton, so a window is searched once, not
    /// once per word (`None` when there are no words, or when `firsts`
    /// searches instead).
    finder: Option<aho_corasick::AhoCorasick>,
    /// The bytes the words start with, when they are at most three: a
    /// window is then searched for those bytes (`memchr`) and the words
    /// compared where one stands ([`few_starts_at_word_start`]).
    firsts: Option<Vec<u8>>,
    /// Every word is ASCII: windows need only their ASCII capitals lowered
    /// ([`Context::window`]).
    ascii: bool,
}

impl Context {
    /// Build from words or phrases (lower-cased here).
    pub fn new(words: impl IntoIterator<Item = String>) -> Self {
        let words: Vec<String> = words
            .into_iter()
            .map(|w| w.to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let firsts = Some(first_bytes(&words)).filter(|f| f.len() <= 3);
        // Building fails only past the automaton's size limits, far beyond
        // a context list; without it, `near` searches word by word.
        let finder = (!words.is_empty() && firsts.is_none())
            .then(|| aho_corasick::AhoCorasick::new(&words).ok())
            .flatten();
        let ascii = words.iter().all(|w| w.is_ascii());
        Context {
            words,
            finder,
            firsts,
            ascii,
        }
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether a context word appears within the window around `start..end`
    /// of `text`; `lowered` is [`ascii_lowered`]`(text)`, computed once per
    /// text by the caller (the windows are borrowed from it when ASCII).
    pub fn near(&self, text: &str, lowered: &str, start: usize, end: usize) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let lo = floor_char(text, start.saturating_sub(WINDOW_BEFORE));
        let hi = floor_char(text, (end + WINDOW_AFTER).min(text.len()));
        let before = self.window(text, lowered, lo, start);
        let after = self.window(text, lowered, end, hi);
        if let Some(firsts) = &self.firsts {
            return few_starts_at_word_start(firsts, &self.words, &before)
                || few_starts_at_word_start(firsts, &self.words, &after);
        }
        match &self.finder {
            Some(ac) => any_at_word_start(ac, &before) || any_at_word_start(ac, &after),
            None => self
                .words
                .iter()
                .any(|w| has_word_start(&before, w) || has_word_start(&after, w)),
        }
    }
}

impl Context {
    /// `text[lo..hi]` lowered as far as finding this list's words needs.
    /// For ASCII words that is its ASCII capitals, borrowed from `lowered`:
    /// no other character lower-cases to anything holding an ASCII letter
    /// but `İ` and the Kelvin sign (windows holding one are lower-cased in
    /// full), and lower-casing never changes whether the character before
    /// a word is a letter or digit — both checked over every character in
    /// the tests.
    fn window<'a>(
        &self,
        text: &'a str,
        lowered: &'a str,
        lo: usize,
        hi: usize,
    ) -> std::borrow::Cow<'a, str> {
        let w = &text.as_bytes()[lo..hi];
        // `İ` is C4 B0 in UTF-8, the Kelvin sign E2 84 AA.
        let special = !w.is_ascii()
            && memchr::memchr2_iter(0xC4, 0xE2, w)
                .any(|i| matches!(&w[i..], [0xC4, 0xB0, ..] | [0xE2, 0x84, 0xAA, ..]));
        if self.ascii && lowered.len() == text.len() && !special {
            std::borrow::Cow::Borrowed(&lowered[lo..hi])
        } else {
            lower_slice(text, lowered, lo, hi)
        }
    }
}

/// `text` with its ASCII capitals lowered (other bytes as they are, so
/// offsets into it are offsets into `text`); borrowed when there is
/// nothing to lower. Computed once per text, it gives the lower-cased
/// windows of [`lower_slice`] without an allocation each.
pub fn ascii_lowered(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `text[lo..hi]` lower-cased, where `lowered` is [`ascii_lowered`]`(text)`:
/// borrowed from `lowered` when the slice is ASCII (no allocation), else
/// lower-cased on its own (as [`lowercase`]).
pub fn lower_slice<'a>(
    text: &'a str,
    lowered: &'a str,
    lo: usize,
    hi: usize,
) -> std::borrow::Cow<'a, str> {
    if lowered.len() != text.len() {
        return lowercase(&text[lo..hi]);
    }
    let slice = &text[lo..hi];
    if slice.is_ascii() {
        return std::borrow::Cow::Borrowed(&lowered[lo..hi]);
    }
    // Greek capital sigma lowers by its context ('ς' at a word's end): the
    // standard library decides it.
    if slice.contains('Σ') {
        return std::borrow::Cow::Owned(slice.to_lowercase());
    }
    // The ASCII runs copied from `lowered` (same bytes, lowered), each
    // other character lowered on its own: `str::to_lowercase` maps every
    // character but 'Σ' as `char::to_lowercase` does, but takes the slow
    // path for every character after the first non-ASCII one.
    let (b, low) = (slice.as_bytes(), &lowered[lo..hi]);
    let mut out = String::with_capacity(slice.len() + 8);
    let mut i = 0;
    while i < b.len() {
        let run = b[i..]
            .iter()
            .position(|c| !c.is_ascii())
            .map_or(b.len(), |k| i + k);
        out.push_str(&low[i..run]);
        i = run;
        if let Some(c) = slice[i..].chars().next() {
            out.extend(c.to_lowercase());
            i += c.len_utf8();
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `s` lower-cased, borrowed when it has nothing to lower (ASCII without
/// capitals), so the common window costs no allocation.
pub fn lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Whether some word of the automaton occurs in `hay` at a word start
/// (every occurrence of every word is looked at, as [`has_word_start`] does).
fn any_at_word_start(ac: &aho_corasick::AhoCorasick, hay: &str) -> bool {
    ac.find_overlapping_iter(hay).any(|m| {
        hay[..m.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The distinct bytes `words` start with, in order.
fn first_bytes(words: &[String]) -> Vec<u8> {
    let mut firsts: Vec<u8> = words.iter().filter_map(|w| w.bytes().next()).collect();
    firsts.sort_unstable();
    firsts.dedup();
    firsts
}

/// Whether one of `words`, which all start with one of the (at most
/// three) bytes `firsts`, occurs in `hay` at a word start: each place one
/// of those bytes stands (found with `memchr`) is a char boundary (no
/// word starts with a UTF-8 continuation byte, and no lead byte is one),
/// and the words are compared there. Every occurrence of every word starts
/// at such a place, so this is [`has_word_start`] over the words.
fn few_starts_at_word_start(firsts: &[u8], words: &[String], hay: &str) -> bool {
    let b = hay.as_bytes();
    let hit = |p: usize| {
        hay.get(p..)
            .is_some_and(|rest| words.iter().any(|w| rest.starts_with(w.as_str())))
            && hay.get(..p).is_some_and(|before| {
                before
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
    };
    match *firsts {
        [a] => memchr::memchr_iter(a, b).any(hit),
        [a, c] => memchr::memchr2_iter(a, c, b).any(hit),
        [a, c, d] => memchr::memchr3_iter(a, c, d, b).any(hit),
        _ => words.iter().any(|w| has_word_start(hay, w)),
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether `w` occurs in `hay` at a word start; every occurrence counts,
/// overlapping ones included (as the automaton's overlapping search finds them).
fn has_word_start(hay: &str, w: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = hay[from..].find(w) {
        let at = from + pos;
        let prev_ok = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if prev_ok {
            return true;
        }
        // The next occurrence may overlap this one: step one character.
        match hay[at..].chars().next() {
            Some(c) => from = at + c.len_utf8(),
            None => break,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_two_characters_lower_case_to_ascii_and_none_changes_letterhood() {
        let mut to_ascii = Vec::new();
        for c in (0x80u32..=0x10FFFF).filter_map(char::from_u32) {
            let lower: Vec<char> = c.to_lowercase().collect();
            if lower.iter().any(char::is_ascii) {
                to_ascii.push(c);
                continue;
            }
            let last = lower.last().copied().unwrap_or(c);
            assert_eq!(c.is_alphanumeric(), last.is_alphanumeric(), "{c:?}");
        }
        assert_eq!(to_ascii, ['\u{130}', '\u{212A}']);
    }

    #[test]
    fn ascii_words_are_found_in_windows_with_other_scripts() {
        let c = Context::new(["phone".to_string(), "ssn".to_string()]);
        for (text, near) in [
            ("ÉCRIRE AU PHONE: 555", true),
            ("Ünïcödé xphone 555", false),
            ("ÄPHONE 555", false),
            ("\u{212A}PHONE 555", false),
            ("SSN İ: 555", true),
        ] {
            let lowered = ascii_lowered(text);
            let at = text.find("555").unwrap();
            assert_eq!(c.near(text, &lowered, at, at + 3), near, "{text}");
        }
    }

    #[test]
    fn matches_word_starts_only() {
        let c = Context::new(["phone".to_string(), "call me at".to_string()]);
        let near = |t: &str, start: usize| c.near(t, &ascii_lowered(t), start, t.len());
        assert!(near("Phones: 555-0100", 8));
        assert!(!near("xylophone 555-0100", 10));
        assert!(near("please call me at 555-0100", 18));
        assert!(near("PLEASE CALL ME AT 555-0100", 18));
        assert!(near("Téléphone, call me at 555-0100", 24));
        assert!(!near("Téléphone: 555-0100", 13));
    }

    proptest::proptest! {
        /// One automaton over all words finds context exactly when some
        /// word, searched on its own, is found at a word start.
        #[test]
        fn automaton_agrees_with_word_by_word(
            words in proptest::collection::vec("[abé ]{1,3}", 1..5),
            hay in "[abAB Éé.1]{0,24}",
        ) {
            let c = Context::new(words.clone());
            let lower = lowercase(&hay);
            let by_word = c.words.iter().any(|w| has_word_start(&lower, w));
            // Both searches, whichever `Context::new` picked for the list.
            let ac = aho_corasick::AhoCorasick::new(&c.words).expect("small lists build");
            proptest::prop_assert_eq!(any_at_word_start(&ac, &lower), by_word);
            let firsts = first_bytes(&c.words);
            proptest::prop_assert_eq!(few_starts_at_word_start(&firsts, &c.words, &lower), by_word);
            proptest::prop_assert_eq!(lower.as_ref(), hay.to_lowercase());
        }

        /// A window lowered from the text's ASCII-lowered form is the
        /// window lower-cased on its own, whatever the scripts, the
        /// characters that lower to two, and the Greek final sigma.
        #[test]
        fn windows_lower_as_the_standard_library_lowers_them(
            text in "[aZ .,ÉéİΣσΑßẞﬀ\u{10400}Ж’'-]{0,32}",
            cut in (0usize..40, 0usize..40),
        ) {
            let lowered = ascii_lowered(&text);
            let lo = floor_char(&text, cut.0.min(text.len()));
            let hi = floor_char(&text, cut.1.min(text.len())).max(lo);
            let window = lower_slice(&text, &lowered, lo, hi);
            proptest::prop_assert_eq!(window.as_ref(), text[lo..hi].to_lowercase());
        }
    }
}
