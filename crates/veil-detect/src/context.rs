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
    /// once per word (`None` when there are no words).
    finder: Option<aho_corasick::AhoCorasick>,
}

impl Context {
    /// Build from words or phrases (lower-cased here).
    pub fn new(words: impl IntoIterator<Item = String>) -> Self {
        let words: Vec<String> = words
            .into_iter()
            .map(|w| w.to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        // Building fails only past the automaton's size limits, far beyond
        // a context list; without it, `near` searches word by word.
        let finder = (!words.is_empty())
            .then(|| aho_corasick::AhoCorasick::new(&words).ok())
            .flatten();
        Context { words, finder }
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
        let before = lower_slice(text, lowered, lo, start);
        let after = lower_slice(text, lowered, end, hi);
        match &self.finder {
            Some(ac) => any_at_word_start(ac, &before) || any_at_word_start(ac, &after),
            None => self
                .words
                .iter()
                .any(|w| has_word_start(&before, w) || has_word_start(&after, w)),
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
    if lowered.len() == text.len() && text[lo..hi].is_ascii() {
        std::borrow::Cow::Borrowed(&lowered[lo..hi])
    } else {
        lowercase(&text[lo..hi])
    }
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
            words in proptest::collection::vec("[ab ]{1,3}", 1..5),
            hay in "[abAB É.]{0,24}",
        ) {
            let c = Context::new(words.clone());
            let lower = lowercase(&hay);
            let by_word = c.words.iter().any(|w| has_word_start(&lower, w));
            let ac = c.finder.as_ref().expect("small lists build");
            proptest::prop_assert_eq!(any_at_word_start(ac, &lower), by_word);
            proptest::prop_assert_eq!(lower.as_ref(), hay.to_lowercase());
        }
    }
}
