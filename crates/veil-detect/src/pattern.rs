//! Pattern recognizers: a regular expression proposes candidates, an
//! optional validator accepts or rejects each, and context words near a
//! candidate raise its score.

use crate::context::{Context, Occurrences};
use crate::per_thread::{LocalRegex, PerThread};
use crate::{Candidate, Error};
use veil_core::EntityType;

/// How [`rewrite_escapes`] rewrites one escape.
#[derive(Debug, Clone, Copy)]
pub enum Rewrite {
    /// A class: its body inside brackets, the body in brackets elsewhere.
    Class(&'static str),
    /// Replaced by this text outside brackets, kept inside them.
    Outside(&'static str),
}

/// `p` with each escape of `table` (e.g. `\d`, `\p{L}`) rewritten as the
/// table says, inside a character class or standing alone; every other
/// escape is copied with the character it escapes, so `\\d` stays.
pub fn rewrite_escapes(p: &str, table: &[(&str, Rewrite)]) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut in_class = false;
    let mut rest = p;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            if let Some((name, how)) = table.iter().find(|(name, _)| rest.starts_with(name)) {
                match (*how, in_class) {
                    (Rewrite::Class(body), true) => out.push_str(body),
                    (Rewrite::Class(body), false) => {
                        out.push('[');
                        out.push_str(body);
                        out.push(']');
                    }
                    (Rewrite::Outside(text), false) => out.push_str(text),
                    (Rewrite::Outside(_), true) => out.push_str(name),
                }
                rest = &rest[name.len()..];
                continue;
            }
            // Another escape: copied with the character it escapes.
            let next = rest[1..]
                .chars()
                .next()
                .map_or(rest.len(), |ch| 1 + ch.len_utf8());
            out.push_str(&rest[..next]);
            rest = &rest[next..];
            continue;
        }
        if c == '[' && !in_class {
            in_class = true;
        } else if c == ']' && in_class {
            in_class = false;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Rewrite a pattern so that `\b`, `\d` and `\w` mean their ASCII forms.
/// The lazy DFA of the `regex` crate cannot run Unicode word boundaries on
/// non-ASCII text and falls back to a much slower engine; identifiers are
/// ASCII anyway.
pub fn ascii_pattern(p: &str) -> String {
    rewrite_escapes(
        p,
        &[
            (r"\b", Rewrite::Outside(r"(?-u:\b)")),
            (r"\B", Rewrite::Outside(r"(?-u:\B)")),
            (r"\d", Rewrite::Class("0-9")),
            (r"\w", Rewrite::Class("A-Za-z0-9_")),
        ],
    )
}

/// Compile a pattern with [`ascii_pattern`], naming the recognizer on error.
pub fn compile(name: &str, pattern: &str) -> Result<LocalRegex, Error> {
    regex::RegexBuilder::new(&ascii_pattern(pattern))
        .size_limit(1 << 24)
        .build()
        .map(PerThread::new)
        .map_err(|e| Error::BadPattern {
            recognizer: name.to_string(),
            message: e.to_string(),
        })
}

/// As [`compile`], as a meta regex (the engine `regex` runs on, with the
/// same configuration): it finds the same matches, and a search of it can
/// stop before the haystack's end ([`regex_automata::Input::range`]) while
/// still reading the bytes after that end for look-ahead (`\b`).
pub fn compile_searcher(
    name: &str,
    pattern: &str,
) -> Result<PerThread<regex_automata::meta::Regex>, Error> {
    compile_meta(name, pattern, regex_automata::meta::Config::new())
}

/// As [`compile`], as a meta regex (the engine `regex` runs on) that
/// searches without a literal prefilter: the digit patterns start with a
/// digit, so a prefilter stopped at nearly every digit of a window, and how
/// often it ran depended on the order in which each thread's lazy DFA had
/// built its states (two threads made up to 2.5 times one thread's calls).
/// Nor with a full DFA, which `regex` builds for a small pattern at start-up
/// (17 M of 57 M instructions for the built-in patterns): the lazy DFA
/// builds only the states the windows reach, and scans no slower.
/// Same syntax and limits as [`compile`], so it finds the same matches.
pub fn compile_unfiltered(
    name: &str,
    pattern: &str,
) -> Result<PerThread<regex_automata::meta::Regex>, Error> {
    compile_meta(
        name,
        pattern,
        regex_automata::meta::Config::new()
            .auto_prefilter(false)
            .dfa(false),
    )
}

/// `pattern` with [`ascii_pattern`] as a meta regex configured by `config`
/// with [`compile`]'s size limit, naming the recognizer `name` on error.
fn compile_meta(
    name: &str,
    pattern: &str,
    config: regex_automata::meta::Config,
) -> Result<PerThread<regex_automata::meta::Regex>, Error> {
    regex_automata::meta::Regex::builder()
        .configure(config.nfa_size_limit(Some(1 << 24)))
        .build(&ascii_pattern(pattern))
        .map(PerThread::new)
        .map_err(|e| Error::BadPattern {
            recognizer: name.to_string(),
            // The syntax error itself says where and what (as `regex` does).
            message: e
                .syntax_error()
                .map_or_else(|| e.to_string(), ToString::to_string),
        })
}

/// Bytes a digit window reaches on each side of a digit before snapping to whitespace.
pub const DIGIT_REACH: usize = 48;

/// The regions of `text` that can hold a match of a pattern that needs a
/// digit: from about [`DIGIT_REACH`] bytes before each digit to as far
/// after, widened to the nearest whitespace, overlapping regions merged.
/// Prose without numbers yields nothing, so the many digit patterns skip it.
/// Digits are looked for eight bytes at a time ([`next_digit`]).
pub fn digit_windows(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(i) = next_digit(b, from) {
        // Extend over the run of digits each within DIGIT_REACH of the last.
        let mut last_digit = i;
        while let Some(d) = next_digit(
            &b[..b.len().min(last_digit + DIGIT_REACH + 1)],
            last_digit + 1,
        ) {
            last_digit = d;
        }
        let hi = add_window(b, i, last_digit, &mut out);
        from = hi.max(i + 1);
    }
    out
}

/// Add the window around the digits `first..=last` of `b` to `out`
/// (merged with the last window when they overlap), widened to whitespace;
/// returns where it ends.
fn add_window(b: &[u8], first: usize, last: usize, out: &mut Vec<(usize, usize)>) -> usize {
    let (lo, hi) = widen(
        b,
        first.saturating_sub(DIGIT_REACH),
        (last + DIGIT_REACH).min(b.len()),
        |c| !c.is_ascii_whitespace(),
    );
    match out.last_mut() {
        Some(prev) if lo <= prev.1 => prev.1 = prev.1.max(hi),
        _ => out.push((lo, hi)),
    }
    hi
}

/// `lo..hi` of `b` grown on each side over the bytes `keep` takes.
pub(crate) fn widen(b: &[u8], lo: usize, hi: usize, keep: impl Fn(u8) -> bool) -> (usize, usize) {
    let mut lo = lo;
    while lo > 0 && keep(b[lo - 1]) {
        lo -= 1;
    }
    let mut hi = hi;
    while hi < b.len() && keep(b[hi]) {
        hi += 1;
    }
    (lo, hi)
}

/// The index of the first ASCII digit of `b` at or after `from`.
pub fn next_digit(b: &[u8], from: usize) -> Option<usize> {
    let mut k = from;
    while k + 8 <= b.len() {
        let mut word = [0; 8];
        word.copy_from_slice(&b[k..k + 8]);
        let m = digit_mask(u64::from_le_bytes(word));
        if m != 0 {
            return Some(k + m.trailing_zeros() as usize / 8);
        }
        k += 8;
    }
    (k..b.len()).find(|&j| b[j].is_ascii_digit())
}

/// Bit 7 of each byte of `x` set where that byte is an ASCII digit, the
/// others clear. With bit 7 of each byte cleared first, adding 0x50 to a
/// byte sets its bit 7 exactly when it is at least `0`, adding 0x46
/// exactly when it is past `9`, and neither carries into the next byte.
fn digit_mask(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let low = x & !HIGH;
    let at_least_0 = low.wrapping_add(ONES * (0x80 - u64::from(b'0')));
    let past_9 = low.wrapping_add(ONES * (0x80 - u64::from(b'9') - 1));
    at_least_0 & !past_9 & !x & HIGH
}

/// A validator: given the candidate's text, is it well-formed?
pub type ValidatorFn = fn(&str) -> bool;

/// A test of a match's surroundings (`text`, the match's `start..end`)
/// that, when true, says the match is not the entity (a version number
/// that reads as a date).
pub type RefuteFn = fn(&str, usize, usize) -> bool;

/// What every match of a pattern is known to contain: lets the analyzer
/// skip text that cannot hold one.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Needs {
    /// Nothing known: the pattern is searched everywhere.
    #[default]
    Nothing,
    /// An ASCII digit: searched in the [`digit_windows`] only.
    Digit,
    /// One of these strings, ASCII case aside, and no ASCII whitespace:
    /// searched only in the words (runs without whitespace) holding one.
    OneOf(Vec<String>),
}

/// A recognizer defined by a regular expression.
pub struct PatternRecognizer {
    /// Name reported with each finding.
    pub name: &'static str,
    /// The entity type it reports.
    pub entity: EntityType,
    /// Candidate pattern, as [`compile_unfiltered`] builds it. When it has
    /// a capture group 1, that group is the span.
    pub regex: PerThread<regex_automata::meta::Regex>,
    /// The pattern as compiled (ASCII classes: [`ascii_pattern`]), for sets.
    pub pattern: String,
    /// Score of a candidate with no validator, or one whose validator passed.
    pub score: f32,
    /// Score when a context word stands near the candidate (never lower than `score`).
    pub context_score: f32,
    /// Optional validator; a candidate it rejects is dropped.
    pub validator: Option<ValidatorFn>,
    /// Context words and phrases (lower case).
    pub context: Context,
    /// What every match contains ([`Needs::Nothing`] unless set with
    /// [`PatternRecognizer::needing`]).
    pub needs: Needs,
    /// Tests of the surroundings; a candidate any of them refutes is
    /// dropped (set with [`PatternRecognizer::refuted_by`]; none by default).
    pub refute: &'static [RefuteFn],
}

impl PatternRecognizer {
    /// Build a recognizer; the pattern is compiled with ASCII classes.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: &str,
        entity: EntityType,
        pattern: &str,
        score: f32,
        context_score: f32,
        validator: Option<ValidatorFn>,
        context: &[&str],
    ) -> Result<Self, Error> {
        Ok(PatternRecognizer {
            name: veil_core::intern(name),
            entity,
            regex: compile_unfiltered(name, pattern)?,
            pattern: ascii_pattern(pattern),
            score,
            context_score: context_score.max(score),
            validator,
            context: Context::new(context.iter().map(|s| s.to_string())),
            needs: Needs::Nothing,
            refute: &[],
        })
    }

    /// The same recognizer, dropping the candidates one of `refute` refutes.
    pub fn refuted_by(mut self, refute: &'static [RefuteFn]) -> Self {
        self.refute = refute;
        self
    }

    /// The same recognizer, declaring what every one of its matches contains.
    /// The declaration must be true (the analyzer skips text without it).
    pub fn needing(mut self, needs: Needs) -> Self {
        self.needs = needs;
        self
    }

    /// Append this recognizer's candidates in `text` to `out`.
    pub fn analyze(&self, text: &str, out: &mut Vec<Candidate>) {
        let lowered = crate::context::ascii_lowered(text);
        let none = crate::context::Occurrences::none();
        self.analyze_window(text, &lowered, &none, (0, text.len()), out);
    }

    /// Append candidates found inside `window` (byte range of `text`, cut at
    /// whitespace); context words are looked up in the whole text, lower-cased
    /// as `lowered` ([`crate::context::ascii_lowered`]`(text)`), or in
    /// `found`, the occurrences the keyword pass found in `text`
    /// ([`Context::near`]).
    pub fn analyze_window(
        &self,
        text: &str,
        lowered: &str,
        found: &Occurrences,
        window: (usize, usize),
        out: &mut Vec<Candidate>,
    ) {
        self.analyze_window_until(text, lowered, found, window, window.1, out);
    }

    /// [`PatternRecognizer::analyze_window`], knowing that every match in
    /// the window ends at `until` or before (a [`crate::pattern_set::PatternSet`]'s
    /// `search_end`): the search stops there, still reading the bytes after
    /// it for look-ahead (`\b`), so it finds the same matches.
    pub fn analyze_window_until(
        &self,
        text: &str,
        lowered: &str,
        found: &Occurrences,
        window: (usize, usize),
        until: usize,
        out: &mut Vec<Candidate>,
    ) {
        let base = window.0;
        let hay = regex_automata::Input::new(&text[window.0..window.1])
            .range(..until.clamp(window.0, window.1) - window.0);
        // Capture groups cost a second engine per match: only patterns that
        // have one use them.
        if self.regex.captures_len() > 1 {
            for caps in self.regex.captures_iter(hay) {
                if let Some(m) = caps.get_group(1).or_else(|| caps.get_group(0)) {
                    self.consider(text, lowered, found, (base + m.start, base + m.end), out);
                }
            }
        } else {
            for m in self.regex.find_iter(hay) {
                self.consider(
                    text,
                    lowered,
                    found,
                    (base + m.start(), base + m.end()),
                    out,
                );
            }
        }
    }

    /// Validate and score one match at `start..end` of `text`.
    fn consider(
        &self,
        text: &str,
        lowered: &str,
        found: &Occurrences,
        (start, end): (usize, usize),
        out: &mut Vec<Candidate>,
    ) {
        if end == start {
            return;
        }
        if let Some(v) = self.validator
            && !v(&text[start..end])
        {
            return;
        }
        if self.refute.iter().any(|r| r(text, start, end)) {
            return;
        }
        let score = if self.context_score > self.score
            && self.context.near(text, lowered, start, end, found)
        {
            self.context_score
        } else {
            self.score
        };
        out.push(Candidate {
            entity: self.entity.clone(),
            start,
            end,
            score,
            recognizer: self.name,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_windows_cover_digits_and_snap_to_whitespace() {
        assert!(digit_windows("no numbers here").is_empty());
        let t = format!(
            "{} card 4111 1111 1111 1111 {}",
            "word ".repeat(40),
            "tail ".repeat(40)
        );
        let w = digit_windows(&t);
        assert_eq!(w.len(), 1);
        let (a, b) = w[0];
        assert!(t[a..b].contains("card 4111 1111 1111 1111"));
        assert!(a == 0 || t.as_bytes()[a - 1] == b' ');
        assert!(b == t.len() || t.as_bytes()[b] == b' ');
        assert!(b - a < t.len());
    }

    /// The byte-by-byte walk for digits `digit_windows` was (the reference;
    /// the windows around them are made the same way, `add_window`).
    fn digit_windows_by_bytes(text: &str) -> Vec<(usize, usize)> {
        let b = text.as_bytes();
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let mut last_digit = i;
            let mut j = i;
            while j < b.len() && j <= last_digit + DIGIT_REACH {
                if b[j].is_ascii_digit() {
                    last_digit = j;
                }
                j += 1;
            }
            let hi = add_window(b, i, last_digit, &mut out);
            i = hi.max(i + 1);
        }
        out
    }

    #[test]
    fn digit_mask_marks_exactly_the_digits_in_every_lane() {
        for lane in 0..8 {
            for v in 0..=255u8 {
                let mut bytes = [b'a'; 8];
                bytes[lane] = v;
                // The other lanes hold a byte on each side of the range too.
                bytes[(lane + 1) % 8] = if v % 2 == 0 { b'/' } else { b':' };
                let m = digit_mask(u64::from_le_bytes(bytes));
                let want: u64 = (0..8)
                    .filter(|&l| bytes[l].is_ascii_digit())
                    .map(|l| 0x80u64 << (8 * l))
                    .sum();
                assert_eq!(m, want, "lane {lane} byte {v:#x}");
            }
        }
    }

    proptest::proptest! {
        /// Eight bytes at a time finds the windows the walk byte by byte found.
        #[test]
        fn digit_windows_agree_with_the_byte_walk(
            text in "([0-9]{1,3}|[a-z]{1,9}|[a-z]{44,50}| |\n|é|€|/|:|[ -~]){0,60}",
            pad in 0usize..70,
        ) {
            let text = format!("{}{text}", "x".repeat(pad));
            proptest::prop_assert_eq!(digit_windows(&text), digit_windows_by_bytes(&text), "{:?}", text);
        }
    }

    #[test]
    fn digits_just_within_and_just_past_reach_of_each_other() {
        for gap in DIGIT_REACH - 2..DIGIT_REACH + 3 {
            for lead in 0..10 {
                let text = format!(
                    "{}1{}2 {} end",
                    "a".repeat(lead),
                    "b".repeat(gap),
                    "c".repeat(60)
                );
                assert_eq!(
                    digit_windows(&text),
                    digit_windows_by_bytes(&text),
                    "{gap} {lead}"
                );
            }
        }
    }

    #[test]
    fn ascii_rewrite() {
        assert_eq!(
            ascii_pattern(r"\b\d[\d ]\w\b"),
            r"(?-u:\b)[0-9][0-9 ][A-Za-z0-9_](?-u:\b)"
        );
        // An escaped backslash is no escape of what follows it; `\b` in a
        // class (a backspace) stays.
        assert_eq!(ascii_pattern(r"\\d[\d\b]"), r"\\d[0-9\b]");
    }

    #[test]
    fn context_raises_score_and_validator_filters() {
        let r = PatternRecognizer::new(
            "t",
            EntityType::US_SSN,
            r"\b\d{3}-\d{2}-\d{4}\b",
            0.5,
            0.9,
            Some(crate::validators::us_ssn),
            &["ssn"],
        )
        .unwrap();
        let mut out = Vec::new();
        r.analyze("my ssn is 514-69-0360, not 666-12-3456", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].score, 0.9);
        out.clear();
        r.analyze("number 514-69-0360", &mut out);
        assert_eq!(out[0].score, 0.5);
    }
}
