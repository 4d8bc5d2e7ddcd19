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
    /// The list's bit in an [`Occurrences`] mask, once [`Context::register`]ed
    /// with the analyzer's keyword pass.
    id: Option<u32>,
}

/// Where the words of the registered context lists occur in one text:
/// found by the analyzer's keyword pass (`keywords.rs`), which walks every
/// text anyway, so that [`Context::near`] need not search its windows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Occurrences {
    /// Per occurrence of a registered word: its byte span and the lists
    /// (bits of [`Context::register`]ed ids) it is a word of, sorted by
    /// start.
    found: Vec<(usize, usize, u64)>,
    /// Whether `found` stands for the text: false when nothing was looked
    /// for, or when the text holds `İ` or the Kelvin sign (which lower-case
    /// to ASCII letters, so a window must be lower-cased in full).
    exact: bool,
}

impl Occurrences {
    /// Nothing looked for: every [`Context::near`] searches its windows.
    pub fn none() -> Occurrences {
        Occurrences::default()
    }

    /// The occurrences found in `text` (`found`: span and list mask, as the
    /// keyword automaton, ASCII case aside, reports every occurrence of
    /// every registered word).
    pub fn of(text: &str, mut found: Vec<(usize, usize, u64)>) -> Occurrences {
        // Reported by end; a window's are then found by binary search.
        found.sort_unstable_by_key(|&(s, _, _)| s);
        Occurrences {
            found,
            exact: !lowers_to_ascii(text.as_bytes()),
        }
    }

    /// Whether a word of list `id` occurs at a word start inside `lo..start`
    /// or `end..hi` of `text` (a word start: at the window's start, or after
    /// a character that is no letter or digit).
    fn near(
        &self,
        id: u32,
        text: &str,
        (lo, start): (usize, usize),
        (end, hi): (usize, usize),
    ) -> bool {
        let word_start = |s: usize, from: usize| s == from || ends_outside_word(&text[..s]);
        // Only the occurrences starting inside `lo..hi` can lie in either
        // window: found by binary search, so a long text's candidates do
        // not each walk all its occurrences.
        let first = self.found.partition_point(|&(s, _, _)| s < lo);
        self.found[first..]
            .iter()
            .take_while(|&&(s, _, _)| s < hi)
            .any(|&(s, e, lists)| {
                lists >> id & 1 == 1
                    && ((lo <= s && e <= start && word_start(s, lo))
                        || (end <= s && e <= hi && word_start(s, end)))
            })
    }
}

/// Whether a word starting right after `before` starts a word there: no
/// letter or digit ends `before`.
fn ends_outside_word(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether `w` holds `İ` (C4 B0 in UTF-8) or the Kelvin sign (E2 84 AA),
/// the characters whose lower case holds an ASCII letter.
fn lowers_to_ascii(w: &[u8]) -> bool {
    !w.is_ascii()
        && memchr::memchr2_iter(0xC4, 0xE2, w)
            .any(|i| matches!(&w[i..], [0xC4, 0xB0, ..] | [0xE2, 0x84, 0xAA, ..]))
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
            id: None,
        }
    }

    /// Have the keyword pass find this list's words, as list `id` (below
    /// 64) of its [`Occurrences`]; returns the words to add to it, none for
    /// a list it cannot stand for (empty, or with a non-ASCII word, which
    /// its ASCII case folding would not match as lower-casing does) or
    /// should not: one with a word of one or two bytes ("on", "at", "ph"),
    /// which stands inside so many words that the pass, stopping at each,
    /// lost more time than the lookups saved (the 10 MB records: 4.8%
    /// slower with every list, 2% faster without those; also without the
    /// three-byte words, 2% slower than with them).
    pub fn register(&mut self, id: u32) -> &[String] {
        if id >= 64
            || !self.ascii
            || self.words.is_empty()
            || self.words.iter().any(|w| w.len() < 3)
        {
            return &[];
        }
        self.id = Some(id);
        &self.words
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether a context word appears within the window around `start..end`
    /// of `text`; `lowered` is [`ascii_lowered`]`(text)`, computed once per
    /// text by the caller (the windows are borrowed from it when ASCII);
    /// `found` the occurrences the keyword pass found in `text`, looked up
    /// instead of searching the windows when they stand for this list.
    pub fn near(
        &self,
        text: &str,
        lowered: &str,
        start: usize,
        end: usize,
        found: &Occurrences,
    ) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let lo = floor_char(text, start.saturating_sub(WINDOW_BEFORE));
        let hi = floor_char(text, (end + WINDOW_AFTER).min(text.len()));
        if let Some(id) = self.id.filter(|_| found.exact) {
            return found.near(id, text, (lo, start), (end, hi));
        }
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
        let special = lowers_to_ascii(&text.as_bytes()[lo..hi]);
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
    ac.find_overlapping_iter(hay)
        .any(|m| ends_outside_word(&hay[..m.start()]))
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
            && hay.get(..p).is_some_and(ends_outside_word)
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
        if ends_outside_word(&hay[..at]) {
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
            let none = Occurrences::none();
            assert_eq!(c.near(text, &lowered, at, at + 3, &none), near, "{text}");
        }
    }

    #[test]
    fn matches_word_starts_only() {
        let c = Context::new(["phone".to_string(), "call me at".to_string()]);
        let none = Occurrences::none();
        let near = |t: &str, start: usize| c.near(t, &ascii_lowered(t), start, t.len(), &none);
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

        /// Looked up in the keyword pass's occurrences, a registered list
        /// is near a span exactly when its windows, searched, hold a word:
        /// ASCII words and phrases in any case, in text with other scripts,
        /// now and then `İ` or the Kelvin sign, spans anywhere.
        #[test]
        fn occurrences_from_the_keyword_pass_agree_with_searching(
            lists in proptest::collection::vec(
                proptest::collection::vec("(a|ab|aba|bab|a b|b-a|aab|kab|ia b)", 1..4), 1..4),
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    6 => "[xyXY .é1-]{0,6}",
                    3 => "(aba|bab|a b|b-a|aab|ab|ABA|kab|ia b)",
                    1 => "(İ|\u{212A}|\u{212A}ab|İa b)",
                ],
                0..16,
            ),
            span in (0usize..48, 0usize..8),
        ) {
            let text: String = parts.concat();
            let mut contexts: Vec<Context> =
                lists.iter().map(|l| Context::new(l.iter().cloned())).collect();
            let mut words: Vec<(String, u32)> = Vec::new();
            for (id, c) in contexts.iter_mut().enumerate() {
                words.extend(c.register(id as u32).iter().map(|w| (w.clone(), id as u32)));
            }
            let words: Vec<(&str, u32)> = words.iter().map(|(w, id)| (w.as_str(), *id)).collect();
            let keywords = crate::keywords::Keywords::new(&["@"], &[], 0, &words)
                .unwrap()
                .unwrap();
            let found = keywords.scan(&text).context;
            let lowered = ascii_lowered(&text);
            let start = floor_char(&text, span.0.min(text.len()));
            let end = floor_char(&text, (start + span.1).min(text.len()));
            for c in &contexts {
                proptest::prop_assert_eq!(
                    c.near(&text, &lowered, start, end, &found),
                    c.near(&text, &lowered, start, end, &Occurrences::none()),
                    "{:?} {:?} {}..{}", c.words, text, start, end
                );
            }
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
