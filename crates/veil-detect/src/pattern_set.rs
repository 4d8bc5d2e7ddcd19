//! Which of a few dozen patterns match somewhere in a short haystack (a
//! digit window, a word holding a trigger): one lazy DFA over all of them,
//! walked byte by byte.
//!
//! `regex::RegexSet::matches` answers the same question with the same kind
//! of automaton (a lazy DFA whose states track every pattern, `MatchKind::All`),
//! but through its overlapping search, which stops at every position where
//! a pattern matches and costs ~28 instructions a byte; the walk here only
//! follows transitions and reads the match states it passes (~20), and
//! allocates nothing. When the lazy DFA cannot answer (a byte it must quit
//! on, a cache it gave up on) the same patterns' `RegexSet` does (compiled
//! then, which start-up is spared), so the answer is always the set's.

use crate::Error;
use crate::per_thread::{LazyCaches, PerThread};
use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::{Input, MatchKind};

/// The most patterns one set holds (its answer is a 64-bit mask).
pub const MAX_PATTERNS: usize = 64;

/// Patterns searched together; [`PatternSet::matches`] says which match.
#[derive(Debug)]
pub struct PatternSet {
    dfa: DFA,
    /// One cache per worker thread.
    caches: LazyCaches,
    /// The patterns, as given.
    patterns: Vec<String>,
    /// The same patterns' `RegexSet`, compiled for the first haystack the
    /// lazy DFA cannot answer for (`None` if it does not compile, which
    /// the DFA's compiling them first rules out).
    fallback: std::sync::OnceLock<Option<PerThread<regex::RegexSet>>>,
}

/// Per pattern of a [`PatternSet`]: where its last match in a haystack
/// ends ([`PatternSet::matches_ending`]; [`NO_BOUND`] when unknown).
pub type Ends = [u32; MAX_PATTERNS];

/// An entry of [`Ends`] that bounds nothing.
pub const NO_BOUND: u32 = u32::MAX;

/// Where a search for pattern `k` of a haystack of `len` bytes may stop,
/// given the [`Ends`] of a walk that found it: every match of the pattern
/// ends there or before.
pub fn search_end(ends: &Ends, k: usize, len: usize) -> usize {
    match ends.get(k) {
        Some(&e) if e != NO_BOUND => (e as usize).min(len),
        _ => len,
    }
}

/// The patterns of a [`PatternSet`] that match in a haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Matched(u64);

impl Matched {
    /// Whether no pattern matched.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether pattern `k` (its index in the set) matched.
    pub fn contains(self, k: usize) -> bool {
        k < MAX_PATTERNS && self.0 >> k & 1 == 1
    }

    /// The patterns that matched, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..MAX_PATTERNS).filter(move |&k| self.contains(k))
    }
}

/// Why the walk stopped without an answer (the fallback answers).
struct NoAnswer;

impl From<regex_automata::MatchError> for NoAnswer {
    fn from(_: regex_automata::MatchError) -> NoAnswer {
        NoAnswer
    }
}

impl From<regex_automata::hybrid::CacheError> for NoAnswer {
    fn from(_: regex_automata::hybrid::CacheError) -> NoAnswer {
        NoAnswer
    }
}

impl PatternSet {
    /// The set of `patterns` (regex syntax, as `regex::RegexSet` reads
    /// them: as `pattern::compile` leaves them or `pattern::ascii_pattern`
    /// writes them), naming `name` on error; at most [`MAX_PATTERNS`]. A
    /// set gets larger program and lazy-DFA limits than one pattern.
    pub fn new<'a>(
        name: &str,
        patterns: impl IntoIterator<Item = &'a str>,
    ) -> Result<PatternSet, Error> {
        let patterns: Vec<&str> = patterns.into_iter().collect();
        let bad = |message: String| Error::BadPattern {
            recognizer: name.to_string(),
            message,
        };
        if patterns.len() > MAX_PATTERNS {
            return Err(bad(format!(
                "{} patterns in one set, more than {MAX_PATTERNS}",
                patterns.len()
            )));
        }
        // The lazy DFA `regex` builds for a set, without its prefilter:
        // same syntax, same limits, every pattern's matches tracked.
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(true)
                    .cache_capacity(1 << 24)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .thompson(
                thompson::Config::new()
                    .nfa_size_limit(Some(1 << 26))
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_many(&patterns)
            .map_err(|e| bad(e.to_string()))?;
        let caches = LazyCaches::new(&dfa);
        Ok(PatternSet {
            dfa,
            caches,
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            fallback: std::sync::OnceLock::new(),
        })
    }

    /// The patterns that match somewhere in `hay` (what
    /// `regex::RegexSet::matches` reports; every pattern in the case the
    /// fallback set does not compile, which a caller confirming each
    /// pattern in `hay` takes as well).
    pub fn matches(&self, hay: &str) -> Matched {
        self.matches_ending(hay, &mut [NO_BOUND; MAX_PATTERNS])
    }

    /// [`PatternSet::matches`], and in `ends`, for each pattern that
    /// matches, the end of its last match in `hay` (the search for it may
    /// stop there: [`search_end`]); the other entries are left as they are.
    pub fn matches_ending(&self, hay: &str, ends: &mut Ends) -> Matched {
        let walked = self.walk(&mut self.caches.lock(&self.dfa), hay.as_bytes(), ends);
        walked.unwrap_or_else(|NoAnswer| {
            let all = match self.fallback_set() {
                Some(set) => Matched(set.matches(hay).iter().fold(0, |m, k| m | 1 << k)),
                None => Matched((0..self.patterns.len()).fold(0, |m, k| m | 1 << k)),
            };
            for k in all.iter() {
                ends[k] = NO_BOUND;
            }
            all
        })
    }

    /// The `RegexSet` of the patterns, compiled at first use.
    fn fallback_set(&self) -> Option<&regex::RegexSet> {
        self.fallback
            .get_or_init(|| {
                regex::RegexSetBuilder::new(&self.patterns)
                    .size_limit(1 << 26)
                    .dfa_size_limit(1 << 24)
                    .build()
                    .ok()
                    .map(PerThread::new)
            })
            .as_deref()
    }

    /// The lazy DFA over `hay` from its unanchored start: every match state
    /// passed (a pattern's match is seen one byte after it ends, or at the
    /// end of input) adds its patterns, and sets their `ends` to where those
    /// matches end (`MatchKind::All`: the DFA reports every end of every
    /// pattern's matches, so the last one it reports is the last end).
    fn walk(&self, cache: &mut Cache, hay: &[u8], ends: &mut Ends) -> Result<Matched, NoAnswer> {
        let dfa = &self.dfa;
        cache.search_start(0);
        let mut sid = dfa.start_state_forward(cache, &Input::new(hay))?;
        let mut found = 0u64;
        for (at, &b) in hay.iter().enumerate() {
            sid = dfa.next_state(cache, sid, b)?;
            if sid.is_tagged() {
                if sid.is_match() {
                    found |= patterns_of(dfa, cache, sid, at, ends);
                } else if sid.is_dead() {
                    break;
                } else if sid.is_quit() {
                    cache.search_finish(hay.len());
                    return Err(NoAnswer);
                }
            }
        }
        if !sid.is_dead() {
            sid = dfa.next_eoi_state(cache, sid)?;
            if sid.is_match() {
                found |= patterns_of(dfa, cache, sid, hay.len(), ends);
            }
        }
        cache.search_finish(hay.len());
        Ok(Matched(found))
    }
}

/// The patterns a match state entered at `end` holds (their matches end
/// there), as a mask; their `ends` set to `end` (past `u32` bounds nothing).
fn patterns_of(dfa: &DFA, cache: &Cache, sid: LazyStateID, end: usize, ends: &mut Ends) -> u64 {
    let end = u32::try_from(end)
        .ok()
        .filter(|&e| e != NO_BOUND)
        .unwrap_or(NO_BOUND);
    (0..dfa.match_len(cache, sid)).fold(0, |m, i| {
        let k = dfa.match_pattern(cache, sid, i).as_usize();
        ends[k] = end;
        m | 1 << k
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(patterns: &[&str]) -> PatternSet {
        PatternSet::new("test", patterns.iter().copied()).unwrap()
    }

    #[test]
    fn reports_every_pattern_matching_anywhere() {
        let s = of(&[r"\b\d{3}\b", r"(?-u:\b)ab", r"x$", r"\d{2}-\d{2}"]);
        assert_eq!(
            s.matches("ab 123 12-34").iter().collect::<Vec<_>>(),
            [0, 1, 3]
        );
        // A match ending at the end of input, and one seen only there.
        assert_eq!(s.matches("zx").iter().collect::<Vec<_>>(), [2]);
        assert_eq!(s.matches("123").iter().collect::<Vec<_>>(), [0]);
        assert!(s.matches("").is_empty());
        assert!(s.matches("1234 cab").is_empty());
    }

    #[test]
    fn a_unicode_word_boundary_on_non_ascii_text_is_answered_by_the_set() {
        // The lazy DFA quits on non-ASCII bytes for a Unicode `\b`.
        let s = of(&[r"\bété\b", r"\d"]);
        assert_eq!(s.matches("en été 2").iter().collect::<Vec<_>>(), [0, 1]);
        assert!(s.matches("étés").is_empty());
    }

    #[test]
    fn too_many_patterns_are_refused_with_the_sets_name() {
        let many: Vec<String> = (0..=MAX_PATTERNS).map(|i| format!("a{i}")).collect();
        let err = PatternSet::new("big set", many.iter().map(String::as_str)).unwrap_err();
        assert!(err.to_string().contains("big set"), "{err}");
    }

    /// The built-in digit patterns and text patterns, each as a
    /// [`PatternSet`] and as the `RegexSet` it must agree with.
    static BUILTIN: std::sync::LazyLock<Vec<(PatternSet, regex::RegexSet)>> =
        std::sync::LazyLock::new(|| {
            let all = crate::builtin::pii_recognizers().unwrap();
            [true, false]
                .into_iter()
                .map(|digit| {
                    let patterns: Vec<&str> = all
                        .iter()
                        .filter(|p| (p.needs == crate::pattern::Needs::Digit) == digit)
                        .map(|p| p.pattern.as_str())
                        .collect();
                    (of(&patterns), regex::RegexSet::new(&patterns).unwrap())
                })
                .collect()
        });

    /// The built-in digit patterns, their set, and each pattern's regex.
    static DIGITS: std::sync::LazyLock<(PatternSet, Vec<crate::pattern::PatternRecognizer>)> =
        std::sync::LazyLock::new(|| {
            let digit: Vec<_> = crate::builtin::pii_recognizers()
                .unwrap()
                .into_iter()
                .filter(|p| p.needs == crate::pattern::Needs::Digit)
                .collect();
            (
                of(&digit.iter().map(|p| p.pattern.as_str()).collect::<Vec<_>>()),
                digit,
            )
        });

    proptest::proptest! {
        /// A built-in digit pattern's search, stopped where the set's walk
        /// saw its last match end, finds every match the whole window's
        /// search finds (look-ahead past the stop included).
        #[test]
        fn searches_stopped_at_the_last_end_find_every_match(
            text in "([0-9]{1,5}|[a-zA-Z]{1,6}|[ .,:/_+-]|January|Sept|1st|th|am|p\\.m\\.|bc1|é)*",
        ) {
            let (set, patterns) = &*DIGITS;
            let mut ends = [NO_BOUND; MAX_PATTERNS];
            let matched = set.matches_ending(&text, &mut ends);
            for (k, p) in patterns.iter().enumerate() {
                let whole: Vec<(usize, usize)> =
                    p.regex.find_iter(text.as_str()).map(|m| (m.start(), m.end())).collect();
                proptest::prop_assert_eq!(matched.contains(k), !whole.is_empty(), "{}", p.name);
                if matched.contains(k) {
                    let end = search_end(&ends, k, text.len());
                    let input = Input::new(text.as_str()).range(..end);
                    let stopped: Vec<(usize, usize)> =
                        p.regex.find_iter(input).map(|m| (m.start(), m.end())).collect();
                    proptest::prop_assert_eq!(&stopped, &whole, "{} stopped at {} in {:?}", p.name, end, text);
                }
            }
        }

        /// The built-in digit and text patterns: the same answer as the
        /// `RegexSet` of the same patterns, on text of their pieces.
        #[test]
        fn answers_as_the_regex_set_does(text in "([0-9]{1,5}|[a-zA-Z]{1,6}|[ .,:/@_\t\n+-]|January|june|Sept|mondays|1st|th|am|p\\.m\\.|bc1|www\\.|\\.com|://|\u{a0}|é|ſ|K)*") {
            for (ours, set) in BUILTIN.iter() {
                let want: Vec<usize> = set.matches(&text).iter().collect();
                proptest::prop_assert_eq!(ours.matches(&text).iter().collect::<Vec<_>>(), want, "{:?}", text);
            }
        }
    }
}
