//! One keyword pass per text: the trigger strings of the text patterns and
//! the secret rules' keywords, found together by one Aho-Corasick automaton.
//!
//! Every match of a text pattern (e-mail, URL, domain, month or weekday
//! name) holds one of a few strings (`@`, `://`, `.com`, `june`…) and no
//! ASCII whitespace, so only the words (maximal runs without ASCII
//! whitespace) holding one need the text pattern set; a secret rule runs
//! only on a text holding one of its keywords. Both sets were searched by
//! an automaton of their own, each walking every byte of the text; one
//! automaton over the union walks it once.
//!
//! Every occurrence of a string is either reported by the automaton's
//! non-overlapping search (which resumes after each match and reports the
//! earliest-ending one) or overlaps an occurrence it reports; an
//! occurrence overlapping `[s, e)` lies within `[s - L + 1, e + L - 1)`
//! for strings of at most `L` bytes. So an overlapping search near each
//! reported match finds them all.

use crate::Error;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// The union of the trigger strings and the secret keywords, matched
/// ASCII case aside.
#[derive(Debug, Clone)]
pub struct Keywords {
    ac: AhoCorasick,
    /// Per automaton pattern: whether it is a text patterns' trigger.
    trigger: Vec<bool>,
    /// Per automaton pattern: the secret rules it is a keyword of.
    rules: Vec<Vec<usize>>,
    /// How many secret rules there are.
    rule_count: usize,
    /// The longest string's length less one, in bytes.
    reach: usize,
}

/// What one pass over a text found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The words holding a trigger string, in text order, as byte ranges
    /// cut at ASCII whitespace (which no text pattern's match holds and
    /// every `\b` reads as a non-word character, so a pattern finds in a
    /// word what it finds there in the whole text).
    pub words: Vec<(usize, usize)>,
    /// Per secret rule: whether one of its keywords occurs in the text.
    pub active: Vec<bool>,
}

impl Keywords {
    /// The automaton of `triggers` and of `secret_keywords` (each a keyword
    /// and the index, below `rule_count`, of the rule it belongs to);
    /// `None` when both are empty; an error past the automaton's size
    /// limits (far beyond these few hundred bytes).
    pub fn new(
        triggers: &[&str],
        secret_keywords: &[(&str, usize)],
        rule_count: usize,
    ) -> Result<Option<Keywords>, Error> {
        // Each string once, lower-cased (triggers first), with what it is.
        let mut strings: Vec<String> = Vec::new();
        let mut trigger: Vec<bool> = Vec::new();
        let mut rules: Vec<Vec<usize>> = Vec::new();
        let entries = triggers.iter().map(|&t| (t, None));
        let entries = entries.chain(secret_keywords.iter().map(|&(k, r)| (k, Some(r))));
        for (s, rule) in entries.filter(|(s, _)| !s.is_empty()) {
            let s = s.to_ascii_lowercase();
            let i = match strings.iter().position(|t| *t == s) {
                Some(i) => i,
                None => {
                    strings.push(s);
                    trigger.push(false);
                    rules.push(Vec::new());
                    strings.len() - 1
                }
            };
            match rule {
                None => trigger[i] = true,
                Some(r) => rules[i].push(r),
            }
        }
        if strings.is_empty() {
            return Ok(None);
        }
        // A DFA, which the automaton picks by itself only up to 100
        // strings: the contiguous NFA it picks beyond walked the text
        // three times slower.
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&strings)
            .map_err(|e| Error::BadPattern {
                recognizer: "keyword automaton".into(),
                message: e.to_string(),
            })?;
        let reach = strings.iter().map(String::len).max().unwrap_or(1) - 1;
        Ok(Some(Keywords {
            ac,
            trigger,
            rules,
            rule_count,
            reach,
        }))
    }

    /// The trigger words of `text` and the secret rules it activates.
    pub fn scan(&self, text: &str) -> Found {
        let b = text.as_bytes();
        let mut active = vec![false; self.rule_count];
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for m in self.ac.find_iter(b) {
            let lo = m.start().saturating_sub(self.reach);
            let hi = (m.end() + self.reach).min(b.len());
            for k in self.ac.find_overlapping_iter(&b[lo..hi]) {
                let p = k.pattern().as_usize();
                if self.trigger[p] {
                    hits.push((lo + k.start(), lo + k.end()));
                }
                for &r in &self.rules[p] {
                    active[r] = true;
                }
            }
        }
        hits.sort_unstable();
        let mut words = Vec::new();
        let mut at = 0;
        for (start, end) in hits {
            if start < at {
                continue;
            }
            let (lo, hi) = crate::pattern::widen(b, start, end, |c| !c.is_ascii_whitespace());
            words.push((lo, hi));
            at = hi;
        }
        Found { words, active }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    /// The words holding a trigger, found by an automaton of the triggers
    /// alone, searched match after match (the analyzer's former way).
    fn words_alone(text: &str, triggers: &[&str]) -> Vec<(usize, usize)> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(triggers)
            .unwrap();
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(m) = ac.find(aho_corasick::Input::new(text).range(at..)) {
            let lo = b[..m.start()]
                .iter()
                .rposition(u8::is_ascii_whitespace)
                .map_or(0, |i| i + 1);
            let hi = b[m.end()..]
                .iter()
                .position(u8::is_ascii_whitespace)
                .map_or(b.len(), |i| m.end() + i);
            out.push((lo, hi));
            at = hi;
        }
        out
    }

    /// The rules whose keywords an overlapping walk over the whole text
    /// finds (also the secret scanner's reference).
    pub(crate) fn rules_alone(
        text: &str,
        keywords: &[(&str, usize)],
        rule_count: usize,
    ) -> Vec<bool> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(keywords.iter().map(|(k, _)| k))
            .unwrap();
        let mut active = vec![false; rule_count];
        for m in ac.find_overlapping_iter(text) {
            active[keywords[m.pattern().as_usize()].1] = true;
        }
        active
    }

    #[test]
    fn the_words_holding_a_trigger_and_the_rules_keywords_wake() {
        let k = Keywords::new(&["@", ".COM"], &[("key", 0), ("://", 1)], 2)
            .unwrap()
            .unwrap();
        let text = "mail bob@x.org or\tsee Acme.com/a.com now";
        let found = k.scan(text);
        let words: Vec<&str> = found.words.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(words, ["bob@x.org", "Acme.com/a.com"]);
        assert_eq!(found.active, [false, false]);
        let found = k.scan("no trigger, a KEY");
        assert!(found.words.is_empty());
        assert_eq!(found.active, [true, false]);
    }

    proptest::proptest! {
        /// One automaton finds the words an automaton of the triggers alone
        /// finds, and wakes the rules an overlapping walk with the keywords
        /// alone wakes, on texts dense with overlapping strings (a string
        /// both a trigger and a keyword; keywords inside triggers and
        /// across words).
        #[test]
        fn one_pass_agrees_with_two(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "@", "://", "www.", ".com", ".co", ".io", "Monday", "june", "JANUARY",
                        "key", "KEY=", "token", "sk-", "sk_live_", "private key", "hooks.slack.com",
                        "eyJ", "pass", "é",
                    ]).prop_map(str::to_string),
                    "[a-zA-Z_ .:/@=\t\n-]{0,4}",
                ],
                0..14,
            )
        ) {
            let triggers = ["@", "://", "www.", ".com", ".co", ".io", "monday", "june", "january"];
            let keywords = [
                ("key", 0), ("key=", 1), ("token", 1), ("sk-", 2), ("sk_live_", 2),
                ("private key", 3), ("hooks.slack.com", 4), ("://", 5), ("eyj", 6), ("pass", 7),
            ];
            let k = Keywords::new(&triggers, &keywords, 8).unwrap().unwrap();
            let text: String = parts.concat();
            let found = k.scan(&text);
            proptest::prop_assert_eq!(&found.words, &words_alone(&text, &triggers), "{:?}", text);
            proptest::prop_assert_eq!(&found.active, &rules_alone(&text, &keywords, 8), "{:?}", text);
        }
    }
}
