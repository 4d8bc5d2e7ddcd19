//! One keyword pass per text: the trigger strings of the text patterns, the
//! secret rules' keywords and the words of the context lists registered
//! with it ([`crate::context::Context::register`]), found together by one
//! Aho-Corasick automaton.
//!
//! Every match of a text pattern (e-mail, URL, domain, month or weekday
//! name) holds one of a few strings (`@`, `://`, `.com`, `june`…) and no
//! ASCII whitespace, so only the words (maximal runs without ASCII
//! whitespace) holding one need the text pattern set; a secret rule runs
//! only on a text holding one of its keywords. Both sets were searched by
//! an automaton of their own, each walking every byte of the text; one
//! automaton over the union walks it once.
//!
//! The automaton is walked byte by byte over the text ([`Keywords::scan`]):
//! each match state it passes names every string ending there (its
//! overlapping matches), so one pass finds every occurrence of every string.
//! A long enough text is walked as two overlapping halves in step.

use crate::Error;
use crate::context::Occurrences;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

/// The union of the trigger strings, the secret keywords and the
/// registered context lists' words, matched ASCII case aside.
#[derive(Debug, Clone)]
pub struct Keywords {
    /// Every string, unanchored, without a prefilter (so the only special
    /// states are the dead state, which an unanchored walk never reaches,
    /// and the match states).
    dfa: DFA,
    /// Per automaton pattern: whether it is a text patterns' trigger.
    trigger: Vec<bool>,
    /// Per automaton pattern: the secret rules it is a keyword of.
    rules: Vec<Vec<usize>>,
    /// Per automaton pattern: the context lists it is a word of (a mask of
    /// their ids, [`crate::context::Context::register`]).
    lists: Vec<u64>,
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
    /// Where the registered context lists' words occur.
    pub context: Occurrences,
}

impl Keywords {
    /// The automaton of `triggers`, of `secret_keywords` (each a keyword
    /// and the index, below `rule_count`, of the rule it belongs to) and of
    /// `context_words` (each an ASCII word and the id, below 64, of the
    /// context list it belongs to); `None` when all are empty; an error
    /// past the automaton's size limits (far beyond these few hundred
    /// strings).
    pub fn new(
        triggers: &[&str],
        secret_keywords: &[(&str, usize)],
        rule_count: usize,
        context_words: &[(&str, u32)],
    ) -> Result<Option<Keywords>, Error> {
        /// What one string of the automaton is.
        enum Role {
            Trigger,
            Keyword(usize),
            Word(u32),
        }
        // Each string once, lower-cased (triggers first), with what it is.
        let mut strings: Vec<String> = Vec::new();
        let mut trigger: Vec<bool> = Vec::new();
        let mut rules: Vec<Vec<usize>> = Vec::new();
        let mut lists: Vec<u64> = Vec::new();
        let entries = triggers.iter().map(|&t| (t, Role::Trigger));
        let entries = entries.chain(secret_keywords.iter().map(|&(k, r)| (k, Role::Keyword(r))));
        let entries = entries.chain(context_words.iter().map(|&(w, id)| (w, Role::Word(id))));
        for (s, role) in entries.filter(|(s, _)| !s.is_empty()) {
            let s = s.to_ascii_lowercase();
            let i = match strings.iter().position(|t| *t == s) {
                Some(i) => i,
                None => {
                    strings.push(s);
                    trigger.push(false);
                    rules.push(Vec::new());
                    lists.push(0);
                    strings.len() - 1
                }
            };
            match role {
                Role::Trigger => trigger[i] = true,
                Role::Keyword(r) => rules[i].push(r),
                Role::Word(id) if id < 64 => lists[i] |= 1 << id,
                Role::Word(_) => {}
            }
        }
        if strings.is_empty() {
            return Ok(None);
        }
        // A DFA: the contiguous NFA the automaton picks by itself beyond
        // 100 strings walked the text three times slower.
        let dfa = aho_corasick::dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .start_kind(aho_corasick::StartKind::Unanchored)
            .build(&strings)
            .map_err(|e| Error::BadPattern {
                recognizer: "keyword automaton".into(),
                message: e.to_string(),
            })?;
        let reach = strings.iter().map(String::len).max().unwrap_or(1) - 1;
        Ok(Some(Keywords {
            dfa,
            trigger,
            rules,
            lists,
            rule_count,
            reach,
        }))
    }

    /// The trigger words of `text`, the secret rules it activates and
    /// where the context lists' words occur.
    pub fn scan(&self, text: &str) -> Found {
        let b = text.as_bytes();
        let mut active = vec![false; self.rule_count];
        let mut hits: Vec<(usize, usize)> = Vec::new();
        let mut occurrences: Vec<(usize, usize, u64)> = Vec::new();
        let dfa = &self.dfa;
        // An unanchored start state always exists (built so above).
        let Ok(start) = dfa.start_state(Anchored::No) else {
            return Found {
                words: Vec::new(),
                active,
                context: Occurrences::none(),
            };
        };
        // Each match state entered names the strings ending there.
        let mut record = |sid: StateID, end: usize| {
            for k in 0..dfa.match_len(sid) {
                let pid = dfa.match_pattern(sid, k);
                let p = pid.as_usize();
                let start = end - dfa.pattern_len(pid);
                if self.trigger[p] {
                    hits.push((start, end));
                }
                for &r in &self.rules[p] {
                    active[r] = true;
                }
                if self.lists[p] != 0 {
                    occurrences.push((start, end, self.lists[p]));
                }
            }
        };
        // Two walks at once, over the first half and over the second from
        // `reach` bytes before it (every string ending in the second half
        // starts there or later): each byte's step waits on the step
        // before it, so two chains run in the time of about one. A string
        // found by both is recorded twice, which the words below, the rules
        // and the context lookups do not mind.
        let (mut x, mut y) = if b.len() >= 4 * self.reach.max(8) {
            let mid = b.len() / 2;
            (
                Walk::new(start, 0, mid),
                Walk::new(start, mid - self.reach, b.len()),
            )
        } else {
            (Walk::new(start, 0, b.len()), Walk::new(start, 0, 0))
        };
        loop {
            let (in_x, in_y) = match (x.at < x.end, y.at < y.end) {
                (true, true) => to_special_both(dfa, b, &mut x, &mut y),
                (true, false) => (to_special(dfa, b, &mut x), false),
                (false, true) => (false, to_special(dfa, b, &mut y)),
                (false, false) => break,
            };
            for (entered, w) in [(in_x, &x), (in_y, &y)] {
                if entered && dfa.is_match(w.sid) {
                    record(w.sid, w.at);
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
        Found {
            words,
            active,
            context: Occurrences::of(text, occurrences),
        }
    }
}

/// A walk of the automaton over `at..end` of a text: its state after the
/// bytes before `at`.
struct Walk {
    sid: StateID,
    at: usize,
    end: usize,
}

impl Walk {
    fn new(sid: StateID, at: usize, end: usize) -> Walk {
        Walk { sid, at, end }
    }
}

/// `w` walked on over `b` up to the first special (match) state, which it
/// is left in (returns true), or to its end (false). Apart from
/// [`Keywords::scan`], so that the walk keeps its state in registers
/// (inlined, the state went through the stack at every byte).
#[inline(never)]
fn to_special(dfa: &DFA, b: &[u8], w: &mut Walk) -> bool {
    let mut sid = w.sid;
    for (i, &c) in b[..w.end].iter().enumerate().skip(w.at) {
        sid = dfa.next_state(Anchored::No, sid, c);
        if dfa.is_special(sid) {
            (w.sid, w.at) = (sid, i + 1);
            return true;
        }
    }
    (w.sid, w.at) = (sid, w.end);
    false
}

/// [`to_special`] on two walks in step, while both have bytes left: stops
/// after the step in which either enters a special state (saying which).
#[inline(never)]
fn to_special_both(dfa: &DFA, b: &[u8], x: &mut Walk, y: &mut Walk) -> (bool, bool) {
    let n = (x.end - x.at).min(y.end - y.at);
    let (mut sx, mut sy) = (x.sid, y.sid);
    let pairs = b[x.at..x.at + n].iter().zip(&b[y.at..y.at + n]);
    for (k, (&cx, &cy)) in pairs.enumerate() {
        sx = dfa.next_state(Anchored::No, sx, cx);
        sy = dfa.next_state(Anchored::No, sy, cy);
        let (ex, ey) = (dfa.is_special(sx), dfa.is_special(sy));
        if ex | ey {
            (x.sid, x.at, y.sid, y.at) = (sx, x.at + k + 1, sy, y.at + k + 1);
            return (ex, ey);
        }
    }
    (x.sid, x.at, y.sid, y.at) = (sx, x.at + n, sy, y.at + n);
    (false, false)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;
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
        let k = Keywords::new(&["@", ".COM"], &[("key", 0), ("://", 1)], 2, &[])
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
        /// across words), short ones walked whole and long ones in halves.
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
                0..40,
            )
        ) {
            let triggers = ["@", "://", "www.", ".com", ".co", ".io", "monday", "june", "january"];
            let keywords = [
                ("key", 0), ("key=", 1), ("token", 1), ("sk-", 2), ("sk_live_", 2),
                ("private key", 3), ("hooks.slack.com", 4), ("://", 5), ("eyj", 6), ("pass", 7),
            ];
            let k = Keywords::new(&triggers, &keywords, 8, &[]).unwrap().unwrap();
            let text: String = parts.concat();
            let found = k.scan(&text);
            proptest::prop_assert_eq!(&found.words, &words_alone(&text, &triggers), "{:?}", text);
            proptest::prop_assert_eq!(&found.active, &rules_alone(&text, &keywords, 8), "{:?}", text);
        }
    }
}
