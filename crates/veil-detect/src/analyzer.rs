//! The analyzer: runs every enabled recognizer over a text, applies the
//! allow-list and the score threshold, and resolves overlaps.

use crate::address::AddressRecognizer;
use crate::custom::CustomRules;
use crate::keywords::Keywords;
use crate::names::NameRecognizer;
use crate::pattern::{Needs, PatternRecognizer};
use crate::pattern_set::PatternSet;
use crate::per_thread::{LocalRegex, PerThread};
use crate::phone::PhoneRecognizer;
use crate::secrets::SecretScanner;
use crate::{Candidate, Error};
use rayon::prelude::*;
use std::collections::HashSet;
use veil_core::{EntityType, Family, Finding};

/// Default score threshold: what Presidio's weak patterns need context to reach.
pub const DEFAULT_MIN_SCORE: f32 = 0.5;

/// The entity types the name pass (`names.rs`, `quasi.rs`) reports: it
/// runs when any of them is wanted, and reads its words once for all.
pub const NAME_PASS_TYPES: [EntityType; 6] = [
    EntityType::PERSON,
    EntityType::LOCATION,
    EntityType::NRP,
    EntityType::TITLE,
    EntityType::ORGANIZATION,
    EntityType::AGE,
];

/// What to detect and how sure to be.
#[derive(Debug, Clone)]
pub struct AnalyzerConfig {
    /// Findings scoring below this are not reported.
    pub min_score: f32,
    /// Only these entity types (all when `None`).
    pub entities: Option<HashSet<EntityType>>,
    /// Run the gazetteer recognizers: PERSON and LOCATION, and the
    /// quasi-identifiers found with the same words (NRP, TITLE,
    /// ORGANIZATION, AGE); see [`NAME_PASS_TYPES`].
    pub names: bool,
    /// Custom recognizers, deny-lists and allow-lists.
    pub custom: CustomRules,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig {
            min_score: DEFAULT_MIN_SCORE,
            entities: None,
            names: true,
            custom: CustomRules::default(),
        }
    }
}

impl AnalyzerConfig {
    /// Whether findings of type `e` are wanted.
    fn wants(&self, e: &EntityType) -> bool {
        self.entities.as_ref().is_none_or(|s| s.contains(e))
    }

    /// Whether the names pass runs: names on and one of its types wanted.
    fn runs_name_pass(&self) -> bool {
        self.names && NAME_PASS_TYPES.iter().any(|e| self.wants(e))
    }
}

/// A ready-to-run set of recognizers. Cheap to share across threads.
pub struct Analyzer {
    patterns: Vec<PatternRecognizer>,
    /// The digit patterns (indices into `patterns`) and one set of all of
    /// them: a window is searched once by the set, then only by the
    /// patterns the set says match in it.
    digit_patterns: Vec<usize>,
    digit_set: PatternSet,
    /// The same for the patterns that need no digit (e-mail, URL, domain,
    /// month and weekday names), searched in the words holding one of
    /// their trigger strings ([`Keywords`]).
    text_patterns: Vec<usize>,
    text_set: PatternSet,
    /// Some text pattern declares no trigger strings: the text set reads
    /// the whole text.
    text_everywhere: bool,
    /// The text patterns' trigger strings (ASCII case aside) and the
    /// secret rules' keywords, found in one pass per text.
    keywords: Option<Keywords>,
    phone: Option<PhoneRecognizer>,
    names: Option<NameRecognizer>,
    address: Option<AddressRecognizer>,
    secrets: Option<SecretScanner>,
    custom: CustomRules,
    min_score: f32,
    entities: Option<HashSet<EntityType>>,
}

impl Analyzer {
    /// Build the recognizers the configuration enables. The gazetteers and
    /// the phone database load while the patterns compile (on another
    /// worker when rayon's pool has one): the three make most of start-up.
    pub fn new(config: AnalyzerConfig) -> Result<Analyzer, Error> {
        let load_names = config.runs_name_pass();
        let load_phone = config.wants(&EntityType::PHONE_NUMBER);
        let (analyzer, ()) = rayon::join(
            || Analyzer::build(config),
            || {
                if load_names {
                    crate::gazetteer::Gazetteer::get();
                }
                if load_phone {
                    crate::phone::load_database();
                }
            },
        );
        analyzer
    }

    fn build(config: AnalyzerConfig) -> Result<Analyzer, Error> {
        let mut patterns: Vec<PatternRecognizer> = crate::builtin::pii_recognizers()?
            .into_iter()
            .filter(|p| config.wants(&p.entity))
            .collect();
        let digit_patterns: Vec<usize> = (0..patterns.len())
            .filter(|&i| patterns[i].needs == Needs::Digit)
            .collect();
        let text_patterns: Vec<usize> = (0..patterns.len())
            .filter(|&i| patterns[i].needs != Needs::Digit)
            .collect();
        let mut phone = if config.wants(&EntityType::PHONE_NUMBER) {
            Some(PhoneRecognizer::new()?)
        } else {
            None
        };
        // Every context list the keyword pass can stand for gets an id and
        // its words into the pass (`context::Occurrences`).
        let mut context_words: Vec<(String, u32)> = Vec::new();
        let lists = patterns
            .iter_mut()
            .map(|p| &mut p.context)
            .chain(phone.as_mut().map(PhoneRecognizer::context_mut));
        for (id, list) in (0u32..).zip(lists) {
            context_words.extend(list.register(id).iter().map(|w| (w.clone(), id)));
        }
        let context_words: Vec<(&str, u32)> = context_words
            .iter()
            .map(|(w, id)| (w.as_str(), *id))
            .collect();
        let set_of = |which: &[usize], name: &str| {
            PatternSet::new(name, which.iter().map(|&i| patterns[i].pattern.as_str()))
        };
        // The automata are built side by side (on two workers when the
        // pool has them): start-up is serial time in a scan.
        let ((digit_set, text_set), ((names, address), keyword_pass)) = rayon::join(
            || {
                rayon::join(
                    || set_of(&digit_patterns, "digit pattern set"),
                    || set_of(&text_patterns, "text pattern set"),
                )
            },
            || {
                rayon::join(
                    || {
                        let names = config.runs_name_pass().then(NameRecognizer::new);
                        let address = (config.names && config.wants(&EntityType::LOCATION))
                            .then(AddressRecognizer::new)
                            .transpose();
                        (names, address)
                    },
                    || keyword_pass(&config, &patterns, &text_patterns, &context_words),
                )
            },
        );
        let (digit_set, text_set, address) = (digit_set?, text_set?, address?);
        let (text_everywhere, secrets, keywords) = keyword_pass?;
        Ok(Analyzer {
            patterns,
            digit_patterns,
            digit_set,
            text_patterns,
            text_set,
            text_everywhere,
            keywords,
            phone,
            names,
            address,
            secrets,
            custom: config.custom,
            min_score: config.min_score,
            entities: config.entities,
        })
    }

    /// The score threshold in force.
    pub fn min_score(&self) -> f32 {
        self.min_score
    }

    /// Every candidate from every recognizer, before thresholding.
    pub fn candidates(&self, text: &str) -> Vec<Candidate> {
        let mut p = Pending::new(text);
        self.pattern_stage(&mut p);
        self.name_stage(&mut p);
        self.last_stage(&mut p);
        p.out
    }

    /// The first stage of [`Analyzer::candidates`]: the keyword pass, the
    /// digit windows and the patterns (digit, text, phone) in them.
    fn pattern_stage(&self, p: &mut Pending<'_>) {
        let text = p.text;
        if text.is_empty() {
            return;
        }
        p.windows = crate::pattern::digit_windows(text);
        p.found = self.keywords.as_ref().map(|k| k.scan(text));
        // None found without the pass: every context list searches.
        if let Some(f) = p.found.as_mut() {
            p.occurrences = std::mem::take(&mut f.context);
        }
        let Pending {
            out,
            windows,
            found,
            occurrences,
            lowered: lowered_cell,
            ..
        } = p;
        // The text with its ASCII capitals lowered, once: the context-word
        // and cue windows of every recognizer are borrowed from it.
        // Made at first use: a scan for secrets alone never needs it.
        let lowered =
            || -> &str { lowered_cell.get_or_init(|| crate::context::ascii_lowered(text)) };
        // Each pattern's search in a window stops where its last match
        // there ends, which the set's walk saw.
        let mut ends = [crate::pattern_set::NO_BOUND; crate::pattern_set::MAX_PATTERNS];
        for &w in windows.iter() {
            let hay = &text[w.0..w.1];
            for k in self.digit_set.matches_ending(hay, &mut ends).iter() {
                let until = w.0 + crate::pattern_set::search_end(&ends, k, hay.len());
                self.patterns[self.digit_patterns[k]].analyze_window_until(
                    text,
                    lowered(),
                    occurrences,
                    w,
                    until,
                    out,
                );
            }
        }
        if !self.text_patterns.is_empty() {
            // The words holding a trigger (the whole text when a pattern
            // declares none); each searched once by the set. Candidates are
            // appended pattern by pattern, each in text order.
            let words = match found {
                _ if self.text_everywhere => vec![(0, text.len())],
                Some(f) => std::mem::take(&mut f.words),
                // Text patterns declaring no strings at all: none can match.
                None => Vec::new(),
            };
            let hits: Vec<((usize, usize), crate::pattern_set::Matched)> = words
                .into_iter()
                .map(|w| (w, self.text_set.matches(&text[w.0..w.1])))
                .filter(|(_, m)| !m.is_empty())
                .collect();
            for (k, &i) in self.text_patterns.iter().enumerate() {
                for (w, m) in &hits {
                    if m.contains(k) {
                        self.patterns[i].analyze_window(text, lowered(), occurrences, *w, out);
                    }
                }
            }
        }
        if let Some(ph) = &self.phone {
            // Spans already claimed by a validated identifier (card, IBAN,
            // SSN, date…) need no costly phone validation.
            let mut strong: Vec<(usize, usize)> = out
                .iter()
                .filter(|c| c.score >= 0.8)
                .map(|c| (c.start, c.end))
                .collect();
            strong.sort_unstable();
            for &w in windows.iter() {
                ph.analyze_window_skipping(text, lowered(), occurrences, w, &strong, out);
            }
        }
    }

    /// The second stage of [`Analyzer::candidates`]: the name pass.
    fn name_stage(&self, p: &mut Pending<'_>) {
        if let Some(n) = &self.names
            && !p.text.is_empty()
        {
            let text = p.text;
            let lowered = p
                .lowered
                .get_or_init(|| crate::context::ascii_lowered(text));
            n.analyze_lowered(text, lowered, &mut p.out);
        }
    }

    /// The last stage of [`Analyzer::candidates`]: street addresses in the
    /// digit windows, secrets, custom rules.
    fn last_stage(&self, p: &mut Pending<'_>) {
        let text = p.text;
        if text.is_empty() {
            return;
        }
        if !p.windows.is_empty()
            && let Some(a) = &self.address
        {
            a.analyze_windows(text, &p.windows, &mut p.out);
        }
        if let Some(s) = &self.secrets {
            // Secrets on: their keywords are in the pass.
            if let Some(f) = &p.found {
                s.analyze_active(text, &f.active, &mut p.out);
            }
        }
        self.custom.analyze(text, &mut p.out);
    }

    /// Findings in `text`: at or above the threshold, not allow-listed, of a
    /// wanted type, non-overlapping (higher score wins, then longer span),
    /// sorted by start offset.
    pub fn analyze(&self, text: &str) -> Vec<Finding> {
        self.findings_of(text, self.candidates(text))
    }

    /// The findings of `text` among `all`, its candidates ([`Analyzer::analyze`]).
    fn findings_of(&self, text: &str, all: Vec<Candidate>) -> Vec<Finding> {
        // An allow-listed value silences every candidate inside it too (the
        // domain inside an allowed e-mail address).
        let allowed: Vec<(usize, usize)> = all
            .iter()
            .filter(|c| self.custom.allowed(&text[c.start..c.end]))
            .map(|c| (c.start, c.end))
            .collect();
        let mut cands: Vec<Candidate> = all
            .into_iter()
            .filter(|c| c.score >= self.min_score && c.end > c.start)
            .filter(|c| !allowed.iter().any(|&(s, e)| s <= c.start && c.end <= e))
            .collect();
        extend_places_over_numbers(text, &mut cands);
        if self.names.is_some() {
            // The contact-block passes share one split of the text. They
            // read every candidate (a block's TITLE follows its PERSON),
            // whichever types are wanted.
            let parts = block_parts(text);
            let mut more = Vec::new();
            block_titles(text, &parts, &cands, &mut more);
            cands.extend(more);
            let mut more = Vec::new();
            block_organizations(text, &parts, &cands, &mut more);
            cands.extend(more);
        }
        if let Some(wanted) = &self.entities {
            cands.retain(|c| wanted.contains(&c.entity));
        }
        let mut cands = merge_same_type(cands);
        drop_names_inside_places(&mut cands);
        resolve_overlaps(&mut cands)
    }

    /// Findings in `text` read as if `context` (e.g. a column header such as
    /// "phone") stood before it: context words in it count, findings in it
    /// are not reported. Offsets are relative to `text`.
    pub fn analyze_in_context(&self, text: &str, context: &str) -> Vec<Finding> {
        let (joined, shift) = in_context(text, context);
        unshifted(self.analyze(&joined), shift)
    }

    /// [`Analyzer::analyze_in_context`] over many (context, text) pairs in
    /// parallel (rayon); results in input order, through the stages as
    /// [`Analyzer::analyze_batch`] takes its texts.
    pub fn analyze_batch_in_context<S: AsRef<str> + Sync, C: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        contexts: &[C],
    ) -> Vec<Vec<Finding>> {
        if self.names.is_none() {
            return texts
                .par_iter()
                .zip(contexts.par_iter())
                .map(|(t, c)| self.analyze_in_context(t.as_ref(), c.as_ref()))
                .collect();
        }
        texts
            .par_chunks(STAGE_RUN)
            .zip(contexts.par_chunks(STAGE_RUN))
            .flat_map_iter(|(run, contexts)| {
                let joined: Vec<(std::borrow::Cow<'_, str>, usize)> = run
                    .iter()
                    .zip(contexts)
                    .map(|(t, c)| in_context(t.as_ref(), c.as_ref()))
                    .collect();
                let found = self.analyze_run(joined.iter().map(|(j, _)| j.as_ref()));
                found
                    .into_iter()
                    .zip(&joined)
                    .map(|(f, &(_, shift))| unshifted(f, shift))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// [`Analyzer::analyze`] over many texts in parallel (rayon); results in
    /// input order, each text's the same as [`Analyzer::analyze`]'s.
    ///
    /// Without the name pass (most of the code) the stages are not worth
    /// keeping each text's state between them: the texts go one by one.
    pub fn analyze_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<Finding>> {
        if self.names.is_none() {
            return texts.par_iter().map(|t| self.analyze(t.as_ref())).collect();
        }
        texts
            .par_chunks(STAGE_RUN)
            .flat_map_iter(|run| self.analyze_run(run.iter().map(AsRef::as_ref)))
            .collect()
    }

    /// [`Analyzer::analyze`] of each of a few texts ([`STAGE_RUN`]), taken
    /// through the analysis one stage at a time (the patterns of every
    /// text, then the name pass of every text, …), not one text through
    /// every stage: a stage's code then stays in the core's instruction
    /// cache from one text to the next, where one short text's walk
    /// through all the recognizers touched more code than that cache holds.
    fn analyze_run<'t>(&self, texts: impl Iterator<Item = &'t str>) -> Vec<Vec<Finding>> {
        let mut pending: Vec<Pending<'t>> = texts.map(Pending::new).collect();
        for p in &mut pending {
            self.pattern_stage(p);
        }
        if let Some(n) = &self.names {
            // The name pass in its own stages: its code alone is more than
            // the instruction cache holds. The candidates are taken out of
            // the texts' states while the passes read those texts.
            let mut outs: Vec<Vec<Candidate>> = (pending.iter_mut())
                .map(|p| std::mem::take(&mut p.out))
                .collect();
            let mut passes: Vec<_> = (pending.iter().zip(&mut outs))
                .filter(|(p, _)| !p.text.is_empty())
                .map(|(p, out)| {
                    let lowered = p
                        .lowered
                        .get_or_init(|| crate::context::ascii_lowered(p.text));
                    (n.start_pass(p.text, lowered, out), out)
                })
                .collect();
            for (pass, out) in &mut passes {
                n.persons_stage(pass, out);
            }
            for (pass, out) in &mut passes {
                n.quasi_stage(pass, out);
            }
            for (pass, out) in &mut passes {
                n.last_stage(pass, out);
            }
            drop(passes);
            for (p, out) in pending.iter_mut().zip(outs) {
                p.out = out;
            }
        }
        for p in &mut pending {
            self.last_stage(p);
        }
        pending
            .into_iter()
            .map(|p| self.findings_of(p.text, p.out))
            .collect()
    }
}

/// `text` with `context` and ": " before it (`text` itself when `context`
/// is empty), and the length of what was put before it.
fn in_context<'t>(text: &'t str, context: &str) -> (std::borrow::Cow<'t, str>, usize) {
    if context.is_empty() {
        return (std::borrow::Cow::Borrowed(text), 0);
    }
    let joined = format!("{context}: {text}");
    let shift = joined.len() - text.len();
    (std::borrow::Cow::Owned(joined), shift)
}

/// The findings of a text found with `shift` bytes put before it
/// ([`in_context`]): those inside the text, with its offsets.
fn unshifted(findings: Vec<Finding>, shift: usize) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| f.start >= shift)
        .map(|mut f| {
            f.start -= shift;
            f.end -= shift;
            f
        })
        .collect()
}

impl<'t> Pending<'t> {
    /// `text` before the first stage.
    fn new(text: &'t str) -> Pending<'t> {
        Pending {
            text,
            // Room for a short text's candidates at once (not grown 4, 8, 16).
            out: Vec::with_capacity(16),
            windows: Vec::new(),
            found: None,
            occurrences: crate::context::Occurrences::default(),
            lowered: std::cell::OnceCell::new(),
        }
    }
}

/// How many texts [`Analyzer::analyze_batch`] takes through its stages
/// together.
const STAGE_RUN: usize = 64;

/// A text part-way through [`Analyzer::candidates`]'s stages: what the
/// later stages read.
struct Pending<'t> {
    /// The text.
    text: &'t str,
    /// Its candidates so far, in the order the stages found them.
    out: Vec<Candidate>,
    /// Its digit windows ([`crate::pattern::digit_windows`]).
    windows: Vec<(usize, usize)>,
    /// The keyword pass's answer (its context occurrences moved out).
    found: Option<crate::keywords::Found>,
    /// Where the context lists' words occur.
    occurrences: crate::context::Occurrences,
    /// The text with its ASCII capitals lowered, made at first use.
    lowered: std::cell::OnceCell<std::borrow::Cow<'t, str>>,
}

/// The keyword pass (text-pattern triggers, secret-rule keywords and
/// context words in one automaton), the secret scanner it serves, and
/// whether text patterns must run on every text (some declares no trigger).
fn keyword_pass(
    config: &AnalyzerConfig,
    patterns: &[PatternRecognizer],
    text_patterns: &[usize],
    context_words: &[(&str, u32)],
) -> Result<(bool, Option<SecretScanner>, Option<Keywords>), Error> {
    let triggers = text_triggers(patterns, text_patterns);
    let secrets = EntityType::BUILTIN
        .iter()
        .any(|e| e.family() == Family::Secret && config.wants(e))
        .then(SecretScanner::new)
        .transpose()?;
    let (secret_keywords, rule_count) = secrets
        .as_ref()
        .map_or((Vec::new(), 0), |s| (s.keywords(), s.rules().len()));
    let keywords = Keywords::new(
        triggers.as_deref().unwrap_or_default(),
        &secret_keywords,
        rule_count,
        context_words,
    )?;
    Ok((triggers.is_none(), secrets, keywords))
}

/// Every string one of which each text pattern's matches contain
/// ([`Needs::OneOf`]); `None` if a text pattern declares nothing. Text
/// patterns' matches hold no whitespace, so they lie inside the words
/// holding one ([`Keywords`]).
fn text_triggers<'p>(patterns: &'p [PatternRecognizer], text: &[usize]) -> Option<Vec<&'p str>> {
    let mut words: Vec<&str> = Vec::new();
    for &i in text {
        match &patterns[i].needs {
            Needs::OneOf(w) => words.extend(w.iter().map(String::as_str)),
            _ => return None,
        }
    }
    Some(words)
}

/// Merge overlapping candidates of the same entity type into their union
/// (an address and the country inside it are one LOCATION), keeping the
/// higher score and its recognizer.
pub fn merge_same_type(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        a.entity
            .cmp(&b.entity)
            .then(a.start.cmp(&b.start))
            .then(b.end.cmp(&a.end))
    });
    // Merged in place: `kept` candidates stand first, each later one either
    // grows the last kept or moves up behind it.
    let mut kept = 0;
    for i in 0..cands.len() {
        if kept > 0 {
            let (done, rest) = cands.split_at_mut(i);
            let (last, c) = (&mut done[kept - 1], &rest[0]);
            if last.entity == c.entity && c.start < last.end {
                last.end = last.end.max(c.end);
                if c.score > last.score {
                    last.score = c.score;
                    last.recognizer = c.recognizer;
                }
                continue;
            }
        }
        cands.swap(kept, i);
        kept += 1;
    }
    cands.truncate(kept);
    cands
}

/// Calls `f(k, part, c)` for each candidate `c` and each block part `k` it
/// overlaps (`parts` sorted and disjoint, as [`block_parts`] gives them):
/// one pass over the candidates, each looking only at its own parts.
fn for_each_part_overlap(
    parts: &[(usize, usize)],
    cands: &[Candidate],
    mut f: impl FnMut(usize, (usize, usize), &Candidate),
) {
    for c in cands {
        let first = parts.partition_point(|&(_, e)| e <= c.start);
        for (k, &part) in parts.iter().enumerate().skip(first) {
            if part.0 >= c.end {
                break;
            }
            f(k, part, c);
        }
    }
}

/// Separators between the parts of a contact block: lines, and the `>`,
/// `•`, `|` or `???` (a mis-decoded bullet) that some exports put between them.
fn block_parts(text: &str) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut push = |from: usize, to: usize| parts.extend(trimmed(text, from, to));
    // By bytes: every separator starts with an ASCII byte or with 0xE2, the
    // lead byte of '•', and neither occurs inside another character. The
    // next of each kind is found with memchr and kept until passed.
    let b = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut next_line = memchr::memchr3(b'\n', b'>', b'|', b);
    let mut next_other = memchr::memchr2(b'?', 0xE2, b);
    loop {
        if next_line.is_some_and(|p| p < i) {
            next_line = memchr::memchr3(b'\n', b'>', b'|', &b[i..]).map(|p| p + i);
        }
        if next_other.is_some_and(|p| p < i) {
            next_other = memchr::memchr2(b'?', 0xE2, &b[i..]).map(|p| p + i);
        }
        let Some(p) = [next_line, next_other].into_iter().flatten().min() else {
            break;
        };
        let len = match b[p] {
            b'\n' | b'>' | b'|' => 1,
            b'?' if b[p..].starts_with(b"???") => 3,
            0xE2 if b[p..].starts_with("•".as_bytes()) => 3,
            _ => {
                i = p + 1;
                continue;
            }
        };
        push(start, p);
        start = p + len;
        i = start;
    }
    push(start, text.len());
    parts
}

/// `text[from..to]` without its surrounding whitespace, if anything is left.
fn trimmed(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let seg = &text[from..to];
    let s = from + (seg.len() - seg.trim_start().len());
    let e = from + seg.trim_end().len();
    (e > s).then_some((s, e))
}

/// In a contact block ("Karin M. Beike⏎Leasing consultant⏎Fritz-Armstrong"),
/// a part of one to eight words, the first capitalised, without digits and
/// with no candidate on it, right after a part that is a found PERSON, and
/// ending in an occupation word or, written in sentence case, an agent noun
/// ("-er", "-or", "-ist", "-ian", "-ant", "-ent": "Leasing consultant",
/// "Power distributor"), is the person's job title (TITLE, score 0.6).
/// `parts`: the text's [`block_parts`].
pub fn block_titles(
    text: &str,
    parts: &[(usize, usize)],
    cands: &[Candidate],
    out: &mut Vec<Candidate>,
) {
    if parts.len() < 2 {
        return;
    }
    // Per part: whether any candidate touches it, and whether a PERSON
    // candidate is the whole part.
    let mut touched = vec![false; parts.len()];
    let mut person = vec![false; parts.len()];
    for_each_part_overlap(parts, cands, |k, (s, e), c| {
        touched[k] = true;
        person[k] |= c.entity == EntityType::PERSON && c.start == s && c.end == e;
    });
    let lex = crate::gazetteer::Gazetteer::get();
    for k in 1..parts.len() {
        if !person[k - 1] || touched[k] {
            continue;
        }
        let (s, e) = parts[k];
        let seg = &text[s..e];
        let words: Vec<&str> = seg.split_whitespace().collect();
        let Some(last) = words.last() else {
            continue;
        };
        // An agent noun only in a title written in sentence case ("Leasing
        // consultant"): a capitalised one ends firms' names too ("Experian",
        // "Adobe Digital Government").
        let sentence_case = words.len() >= 2 && last.starts_with(char::is_lowercase);
        let last = crate::context::lowercase(last.trim_end_matches(['.', ',']));
        let agent = sentence_case
            && last.chars().count() >= 5
            && ["er", "or", "ist", "ian", "ant", "ent"]
                .iter()
                .any(|x| last.ends_with(x));
        let shaped = words.len() <= 8
            && seg.starts_with(char::is_uppercase)
            && !seg.contains(|c: char| c.is_ascii_digit() || c == '@' || c == ':');
        if shaped && (agent || lex.lex(&last).is(crate::gazetteer::class::OCCUPATION)) {
            out.push(Candidate {
                entity: EntityType::TITLE,
                start: s,
                end: e,
                score: 0.6,
                recognizer: "title_recognizer",
            });
        }
    }
}

/// In a contact block ("Benito Bianchi > Locavore > 040 Snellmaninkatu
/// 55"), a part of one to five capitalised words (any words in text without
/// capitals), without digits and with no candidate on it, standing after a
/// part that is a found PERSON or TITLE and before a part that starts with
/// a found address, phone, e-mail or name, is the person's organisation
/// (ORGANIZATION, score 0.6). So is such a part that opens the text, right
/// before a part that starts with a found street address ("Mapquest⏎⏎39
/// Laugarvegur 77").
/// `parts`: the text's [`block_parts`].
pub fn block_organizations(
    text: &str,
    parts: &[(usize, usize)],
    cands: &[Candidate],
    out: &mut Vec<Candidate>,
) {
    if parts.len() < 2 {
        return;
    }
    let lowercase_text = !text.chars().any(char::is_uppercase);
    // Per part: whether any candidate touches it, whether one of the "next
    // part" types starts it, and the PERSON/TITLE spans on it.
    let mut touched = vec![false; parts.len()];
    let mut led = vec![false; parts.len()];
    let mut address_led = vec![false; parts.len()];
    let mut named: Vec<Vec<(usize, usize)>> = vec![Vec::new(); parts.len()];
    for_each_part_overlap(parts, cands, |k, (s, _), c| {
        touched[k] = true;
        let t = c.entity.as_str();
        if c.start == s && matches!(t, "LOCATION" | "PERSON" | "PHONE_NUMBER" | "EMAIL_ADDRESS") {
            led[k] = true;
            address_led[k] |= c.recognizer == crate::address::RECOGNIZER;
        }
        if matches!(t, "PERSON" | "TITLE") {
            named[k].push((c.start, c.end));
        }
    });
    // Part `k` holds a PERSON or TITLE candidate and every letter of it
    // lies in one (a part of punctuation alone, the ") -" of code's
    // "FnMut(Range<u64>) -> Fut", names nobody).
    let covered = |k: usize| {
        let (s, e) = parts[k];
        !named[k].is_empty()
            && text[s..e]
                .char_indices()
                .filter(|(_, c)| c.is_alphanumeric())
                .all(|(i, _)| named[k].iter().any(|&(a, b)| a <= s + i && s + i < b))
    };
    for k in 0..parts.len() - 1 {
        if touched[k] {
            continue;
        }
        let (s, e) = parts[k];
        let seg = &text[s..e];
        // One to five words, the first capitalised, no digit, '@' or ':'.
        let mut words = seg.split_whitespace();
        let shaped = words.next().is_some_and(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || (lowercase_text && c.is_alphabetic()))
        }) && words.count() < 5
            && !seg.contains(|c: char| c.is_ascii_digit() || c == '@' || c == ':');
        if !shaped {
            continue;
        }
        let opens = k == 0
            && text[..s]
                .trim_start_matches(['?', ' ', '>', '|'])
                .is_empty();
        let person_before = k > 0 && covered(k - 1);
        let next = led[k + 1] || text[parts[k + 1].0..].starts_with(|c: char| c.is_ascii_digit());
        if (person_before && next) || (opens && address_led[k + 1]) {
            out.push(Candidate {
                entity: EntityType::ORGANIZATION,
                start: s,
                end: e,
                score: 0.6,
                recognizer: "organization_recognizer",
            });
        }
    }
}

/// A postcode or house number written beside a place is part of the
/// address: a LOCATION candidate (score 0.6 or more) grows over a number of
/// 3 to 6 digits (or "340 12", "7412 SL") that follows it after one space
/// ("Germany 10069", "Acquapendente 1021"), and over the house numbers just
/// before it ("255 hersnapvej 18"; [`crate::address::house_number_before`]),
/// unless that number is a copyright notice's year.
pub fn extend_places_over_numbers(text: &str, cands: &mut [Candidate]) {
    static AFTER: std::sync::LazyLock<LocalRegex> = std::sync::LazyLock::new(|| {
        PerThread::new(
            regex::Regex::new(r"^ \d{3,6}(?: \d{2}| [A-Z]{2})?\b")
                .unwrap_or_else(|e| unreachable!("built-in pattern: {e}")),
        )
    });
    for c in cands
        .iter_mut()
        .filter(|c| c.entity == EntityType::LOCATION && c.score >= 0.6)
    {
        if let Some(m) = AFTER.find(&text[c.end..]) {
            let digits = m.as_str().trim();
            let year = digits.len() == 4
                && digits
                    .parse::<u32>()
                    .is_ok_and(|y| (1900..2040).contains(&y));
            if !year {
                c.end += m.end();
            }
        }
        // Not a copyright notice's year ("Copyright:⏎ 2008 Hailin Jin").
        let start = crate::address::house_number_before(text, c.start);
        if !crate::address::copyright_year(text, start) {
            c.start = start;
        }
    }
}

/// A PERSON inside a longer LOCATION ("04862 Victor Hugo 12, Paris") is
/// part of the address: street names are often people's names. So is one
/// that is a whole line of an address block ("Suite 100⏎Dolores⏎Uruguay"). So are the
/// quasi-identifiers (NRP, TITLE, ORGANIZATION, ZIP_CODE, AGE) inside one
/// ("Qasigiannguit, Greenlander 07609"). A place that overlap resolution
/// will drop for an overlapping candidate of another kind with a higher
/// score (a date: "During 2017, Acme Group" read as a street and its
/// number) takes nothing with it.
pub fn drop_names_inside_places(cands: &mut Vec<Candidate>) {
    let part_of_address = |c: &Candidate| {
        matches!(
            c.entity.as_str(),
            "PERSON" | "NRP" | "TITLE" | "ORGANIZATION" | "ZIP_CODE" | "AGE"
        )
    };
    // The candidates that can beat a place: by start.
    let mut others: Vec<(usize, usize, f32)> = cands
        .iter()
        .filter(|c| c.entity != EntityType::LOCATION && !part_of_address(c))
        .map(|c| (c.start, c.end, c.score))
        .collect();
    others.sort_unstable_by_key(|o| o.0);
    // One starting before the place is looked for this far back.
    const REACH: usize = 256;
    let beaten = |s: usize, e: usize, score: f32| {
        let hi = others.partition_point(|o| o.0 < e);
        others[..hi]
            .iter()
            .rev()
            .take_while(|o| o.0 + REACH >= s)
            .any(|o| o.1 > s && o.2 > score)
    };
    // After merge_same_type, LOCATION candidates do not overlap: sorted by
    // start, the only one that can contain a span is the last starting at or
    // before it.
    let mut places: Vec<(usize, usize, bool)> = cands
        .iter()
        .filter(|c| c.entity == EntityType::LOCATION && c.score >= 0.6)
        .filter(|c| !beaten(c.start, c.end, c.score))
        .map(|c| (c.start, c.end, c.recognizer == crate::address::RECOGNIZER))
        .collect();
    if places.is_empty() {
        return;
    }
    places.sort_unstable();
    cands.retain(|c| {
        if !part_of_address(c) {
            return true;
        }
        let i = places.partition_point(|&(s, _, _)| s <= c.start);
        !(i > 0 && {
            let (s, e, address) = places[i - 1];
            c.end <= e && (e - s > c.end - c.start || (address && s == c.start))
        })
    });
}

/// Greedy overlap resolution: best candidates first (score, then length,
/// then position); a candidate overlapping one already kept is dropped.
/// O(n log n) in the number of candidates.
pub fn resolve_overlaps(cands: &mut [Candidate]) -> Vec<Finding> {
    let kept = if cands.len() <= FEW_CANDIDATES {
        Kept::Few(Vec::with_capacity(cands.len()))
    } else {
        Kept::Many(std::collections::BTreeMap::new())
    };
    resolve_overlaps_keeping(cands, kept)
}

/// Up to how many candidates [`resolve_overlaps`] keeps its spans in a
/// sorted vector (a short text's few: faster than a map), past which in an
/// ordered map (a long text's thousands: an insertion into the vector
/// moved all the spans after it, quadratic in the text's length).
const FEW_CANDIDATES: usize = 256;

/// The spans [`resolve_overlaps`] has kept, by start, one per start (a
/// later one replaces an earlier one of the same start).
enum Kept {
    /// A sorted vector.
    Few(Vec<(usize, usize)>),
    /// An ordered map from start to end.
    Many(std::collections::BTreeMap<usize, usize>),
}

impl Kept {
    /// Whether a kept span starting before `end` ends after `start`.
    fn clashes(&self, start: usize, end: usize) -> bool {
        match self {
            Kept::Few(v) => {
                let before = v.partition_point(|&(s, _)| s < end);
                before > 0 && v[before - 1].1 > start
            }
            Kept::Many(m) => m.range(..end).next_back().is_some_and(|(_, &e)| e > start),
        }
    }

    /// Keep `start..end`.
    fn keep(&mut self, start: usize, end: usize) {
        match self {
            Kept::Few(v) => {
                let at = v.partition_point(|&(s, _)| s < start);
                match v.get_mut(at) {
                    Some(k) if k.0 == start => k.1 = end,
                    _ => v.insert(at, (start, end)),
                }
            }
            Kept::Many(m) => {
                m.insert(start, end);
            }
        }
    }
}

/// [`resolve_overlaps`] with its kept spans in `kept` (empty).
fn resolve_overlaps_keeping(cands: &mut [Candidate], mut kept: Kept) -> Vec<Finding> {
    cands.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut out = Vec::with_capacity(cands.len());
    for c in cands.iter() {
        if kept.clashes(c.start, c.end) {
            continue;
        }
        kept.keep(c.start, c.end);
        out.push(Finding {
            entity_type: c.entity.clone(),
            start: c.start,
            end: c.end,
            score: c.score,
            recognizer: c.recognizer,
        });
    }
    out.sort_by_key(|f| (f.start, f.end));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn overlaps_prefer_higher_score_then_longer() {
        let c = |e: EntityType, s, t, sc| Candidate {
            entity: e,
            start: s,
            end: t,
            score: sc,
            recognizer: "t",
        };
        let mut v = vec![
            c(EntityType::URL, 0, 20, 0.6),
            c(EntityType::EMAIL_ADDRESS, 5, 20, 0.95),
            c(EntityType::PERSON, 25, 30, 0.7),
            c(EntityType::LOCATION, 22, 35, 0.7),
        ];
        let out = resolve_overlaps(&mut v);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].entity_type, EntityType::EMAIL_ADDRESS);
        assert_eq!(out[1].entity_type, EntityType::LOCATION);
    }

    /// [`resolve_overlaps`] as first written, with its kept spans in an
    /// ordered map: the reference the vector version is held to.
    fn resolve_overlaps_with_a_map(cands: &mut [Candidate]) -> Vec<Finding> {
        cands.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then((b.end - b.start).cmp(&(a.end - a.start)))
                .then(a.start.cmp(&b.start))
        });
        let mut kept = std::collections::BTreeMap::new();
        let mut out = Vec::new();
        for c in cands.iter() {
            if kept
                .range(..c.end)
                .next_back()
                .is_some_and(|(_, &e)| e > c.start)
            {
                continue;
            }
            kept.insert(c.start, c.end);
            out.push(Finding {
                entity_type: c.entity.clone(),
                start: c.start,
                end: c.end,
                score: c.score,
                recognizer: c.recognizer,
            });
        }
        out.sort_by_key(|f| (f.start, f.end));
        out
    }

    /// [`merge_same_type`] as first written (into a new vector): the
    /// reference the in-place version is held to.
    fn merge_same_type_into_new(mut cands: Vec<Candidate>) -> Vec<Candidate> {
        cands.sort_by(|a, b| {
            a.entity
                .cmp(&b.entity)
                .then(a.start.cmp(&b.start))
                .then(b.end.cmp(&a.end))
        });
        let mut out: Vec<Candidate> = Vec::with_capacity(cands.len());
        for c in cands {
            if let Some(last) = out.last_mut()
                && last.entity == c.entity
                && c.start < last.end
            {
                last.end = last.end.max(c.end);
                if c.score > last.score {
                    last.score = c.score;
                    last.recognizer = c.recognizer;
                }
                continue;
            }
            out.push(c);
        }
        out
    }

    /// Candidates from `(start, length, score in quarters, k)`, of type
    /// `types[k]` found by `recognizers[k]`.
    fn candidates_of(
        spans: &[(usize, usize, u8, usize)],
        types: &[EntityType],
        recognizers: &[&'static str],
    ) -> Vec<Candidate> {
        spans
            .iter()
            .map(|&(start, len, score, k)| Candidate {
                entity: types[k].clone(),
                start,
                end: start + len,
                score: f32::from(score) / 4.0,
                recognizer: recognizers[k],
            })
            .collect()
    }

    proptest::proptest! {
        /// Same-type candidates merge in place as into a new vector, with
        /// types named by shared constants and by equal strings elsewhere.
        #[test]
        fn same_type_merges_as_into_a_new_vector(
            spans in proptest::collection::vec((0usize..40, 0usize..8, 0u8..4, 0usize..4), 0..24)
        ) {
            let types = [
                EntityType::PERSON,
                EntityType::LOCATION,
                EntityType::new("PERSON"),
                EntityType::new("CUSTOM_ID"),
            ];
            let cands = candidates_of(&spans, &types, &["a", "b", "c", "d"]);
            let (a, b) = (merge_same_type(cands.clone()), merge_same_type_into_new(cands));
            proptest::prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
    }

    proptest::proptest! {
        /// Overlaps resolve as with an ordered map of the kept spans, empty
        /// spans and equal starts included.
        #[test]
        fn overlaps_resolve_as_with_a_map(
            spans in proptest::collection::vec((0usize..40, 0usize..8, 0u8..4, 0usize..3), 0..24)
        ) {
            let types = [EntityType::PERSON, EntityType::LOCATION, EntityType::URL];
            let cands = candidates_of(&spans, &types, &["t"; 3]);
            let (mut a, mut b, mut c) = (cands.clone(), cands.clone(), cands);
            let (a, b) = (resolve_overlaps(&mut a), resolve_overlaps_with_a_map(&mut b));
            proptest::prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
            // The map a long text's candidates are kept in, on the same.
            let c = resolve_overlaps_keeping(&mut c, Kept::Many(std::collections::BTreeMap::new()));
            proptest::prop_assert_eq!(format!("{c:?}"), format!("{b:?}"));
        }
    }

    /// The texts of the findings of type `entity` in `text`, default analyzer.
    pub(crate) fn spans(text: &str, entity: &EntityType) -> Vec<String> {
        let a = Analyzer::new(AnalyzerConfig::default()).expect("analyzer");
        a.analyze(text)
            .into_iter()
            .filter(|f| &f.entity_type == entity)
            .map(|f| text[f.start..f.end].to_string())
            .collect()
    }

    #[test]
    fn nothing_inside_a_uuid_or_a_version_is_personal_data() {
        // UUIDs whose hex groups pass a Luhn, mod-97 or year test.
        for (text, entity) in [
            (
                "\"id\": \"9e1c4e14-a216-4bee-a650-181893613891\",",
                EntityType::CREDIT_CARD,
            ),
            (
                "\"id\": \"69730518-6186-4943-ac38-53a51f662309\",",
                EntityType::CREDIT_CARD,
            ),
            (
                "\"id\": \"055be5ef-ad92-417f-aa56-2250cebf6343\",",
                EntityType::IBAN_CODE,
            ),
            (
                "\"id\": \"cb3b362d-2032-44d6-a7d1-0d0c78749167\",",
                EntityType::DATE_TIME,
            ),
            ("    version: \"9.6.15\"", EntityType::DATE_TIME),
            ("\"lodash\": \"^4.17.21\"", EntityType::DATE_TIME),
            ("impl core::fmt::Debug for u64::MAX", EntityType::IP_ADDRESS),
            ("if self.it == 0 { self.imp.info(); }", EntityType::URL),
        ] {
            assert!(spans(text, &entity).is_empty(), "{entity} in {text}");
        }
        // The same digits outside those shapes still are.
        assert_eq!(
            spans("card 181893613891 on file", &EntityType::CREDIT_CARD),
            ["181893613891"]
        );
        assert_eq!(
            spans("born on 9.6.15 in Oslo", &EntityType::DATE_TIME),
            ["9.6.15"]
        );
        assert_eq!(
            spans(
                "server at 2001:db8::ff00:42:8329 and ::1",
                &EntityType::IP_ADDRESS
            ),
            ["2001:db8::ff00:42:8329", "::1"]
        );
        assert_eq!(
            spans("the year 2032 will tell", &EntityType::DATE_TIME),
            ["2032"]
        );
        assert_eq!(
            spans("IBAN GB82 WEST 1234 5698 7654 32", &EntityType::IBAN_CODE),
            ["GB82 WEST 1234 5698 7654 32"]
        );
    }

    #[test]
    fn numbers_in_a_table_of_constants_are_no_identifiers() {
        // Rows of serde_json's tables of powers (each item passed a phone,
        // card or ITIN check by chance) and a card number among them.
        let table = "const POW5: [u64; 10] = [\n    2168622213, 2717674390, 3616636027, 905620390,\n    \
                     1530129217, 5503284107318959, 1461057425, 35, 2406, 7,\n];";
        for entity in [
            EntityType::PHONE_NUMBER,
            EntityType::CREDIT_CARD,
            EntityType::US_ITIN,
        ] {
            assert!(spans(table, &entity).is_empty(), "{entity}: {table}");
        }
        // The same numbers in prose, or listed with others of their length.
        assert_eq!(
            spans("call 2168622213 or 2717674390", &EntityType::PHONE_NUMBER),
            ["2168622213", "2717674390"]
        );
        assert_eq!(
            spans(
                "phones: 2168622213, 2717674390, 3616636027, 3211403009",
                &EntityType::PHONE_NUMBER
            )
            .len(),
            4
        );
        assert_eq!(
            spans("card 5503284107318959 on file", &EntityType::CREDIT_CARD),
            ["5503284107318959"]
        );
    }

    #[test]
    fn places_take_their_postcode_but_not_a_year() {
        let loc = &EntityType::LOCATION;
        assert_eq!(
            spans("She moved to Germany 10069 last year", loc),
            ["Germany 10069"]
        );
        assert_eq!(
            spans("We went to Germany 2019 and loved it", loc),
            ["Germany"]
        );
        // House numbers before a place found by name, as before a street.
        assert_eq!(
            spans("tamara chmielewski  36 19 folkestone road  suite 482", loc)
                .first()
                .map(|s| s.starts_with("36 19 ")),
            Some(true)
        );
    }

    #[test]
    fn a_place_that_loses_to_a_date_takes_no_name_with_it() {
        // "During 2017, Acme Group" reads as a street, its number and a
        // town, but the year beats that place: the firm stays.
        assert_eq!(
            spans(
                "During 2017, Acme Group invested heavily.",
                &EntityType::ORGANIZATION
            ),
            ["Acme Group"]
        );
        // A name inside a place that stands is still part of the address.
        assert!(spans("I live at 04862 Victor Hugo 12, Paris", &EntityType::PERSON).is_empty());
    }

    #[test]
    fn address_blocks_continue_over_separators() {
        let v = spans(
            "Mr. Rizzo >03220 Augsburger Strasse 36 >Suite 960 >Schuld",
            &EntityType::LOCATION,
        );
        // Each part of the block, the separators between them left as text.
        assert_eq!(v, ["03220 Augsburger Strasse 36", "Suite 960", "Schuld"]);
    }

    #[test]
    fn a_name_found_once_is_found_at_every_mention() {
        let v = spans(
            "A comedy directed by Philip Latourelle and starring Latourelle himself.",
            &EntityType::PERSON,
        );
        assert_eq!(v, ["Philip Latourelle", "Latourelle"]);
        let v = spans(
            "Is there a better pop song? Lamovec and Morales were precision engineers.",
            &EntityType::PERSON,
        );
        assert_eq!(v, ["Lamovec", "Morales"]);
    }

    /// `block_parts` character by character, as it was first written.
    fn block_parts_by_chars(text: &str) -> Vec<(usize, usize)> {
        let mut parts = Vec::new();
        let mut push = |from: usize, to: usize| parts.extend(trimmed(text, from, to));
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let len = match c {
                '\n' | '>' | '|' | '•' => c.len_utf8(),
                '?' if text[i..].starts_with("???") => 3,
                _ => continue,
            };
            push(start, i);
            start = i + len;
            while chars.peek().is_some_and(|&(j, _)| j < start) {
                chars.next();
            }
        }
        push(start, text.len());
        parts
    }

    proptest::proptest! {
        /// Searching the trigger words finds every match a search of the
        /// whole text finds, for every text pattern.
        #[test]
        fn text_patterns_find_the_same_in_trigger_words(text in "(@|://|www\\.|\\.(com|c|io|in|info)|[a-zA-Z]{1,6}|[0-9]{1,4}|Monday|June|january|Sept|[ .,:/@_\t\n-]|https?|\u{a0}|é)*") {
            let patterns = crate::builtin::pii_recognizers().unwrap();
            let text_patterns: Vec<usize> = (0..patterns.len())
                .filter(|&i| patterns[i].needs != Needs::Digit)
                .collect();
            let triggers = text_triggers(&patterns, &text_patterns).unwrap();
            let words = Keywords::new(&triggers, &[], 0, &[]).unwrap().unwrap().scan(&text).words;
            for &i in &text_patterns {
                let whole: Vec<(usize, usize)> =
                    patterns[i].regex.find_iter(&text).map(|m| (m.start(), m.end())).collect();
                let in_words: Vec<(usize, usize)> = words
                    .iter()
                    .flat_map(|&(a, b)| patterns[i].regex.find_iter(&text[a..b]).map(move |m| (a + m.start(), a + m.end())))
                    .collect();
                proptest::prop_assert_eq!(whole, in_words, "{} in {:?}", patterns[i].name, text);
            }
        }
    }

    proptest::proptest! {
        /// Separators found byte by byte are those found character by character.
        #[test]
        fn block_parts_agree_with_chars(text in "([a-zA-Z ]|\n|>|\\||•|\\?|é|—|€|\\?\\?\\?){0,24}") {
            proptest::prop_assert_eq!(block_parts(&text), block_parts_by_chars(&text), "{:?}", text);
        }
    }

    #[test]
    fn the_organisation_line_of_a_contact_block() {
        let text = "> Benito Bianchi\n> Locavore\n> 040 Snellmaninkatu 55\n> Apt. 022\n> ESPOO";
        assert_eq!(spans(text, &EntityType::ORGANIZATION), ["Locavore"]);
        assert_eq!(
            spans(text, &EntityType::LOCATION),
            ["040 Snellmaninkatu 55", "Apt. 022", "ESPOO"]
        );
        let text = "??? Mr. Jerome Barbosa ??? Atsite ??? 78 Laugarvegur 66 ??? Suite 952";
        assert_eq!(spans(text, &EntityType::ORGANIZATION), ["Atsite"]);
        // In text without capitals, any words.
        let text = "??? natasha higuchi\n??? better technology\n??? 42 machelsesteenweg 197";
        assert_eq!(
            spans(text, &EntityType::ORGANIZATION),
            ["better technology"]
        );
        // A block that opens with the organisation, right before its street.
        let text = "Mapquest\n\n39 Laugarvegur 77 Apt. 787 Reykjavík";
        assert_eq!(spans(text, &EntityType::ORGANIZATION), ["Mapquest"]);
        // The job title on the line after the person's.
        let text = "Karin M. Beike\nLeasing consultant\nFritz-Armstrong";
        assert_eq!(spans(text, &EntityType::TITLE), ["Leasing consultant"]);
        let text = "Dreux Joly\nPaxata\nPSC 3294, Box 9168";
        assert!(spans(text, &EntityType::TITLE).is_empty());
        // A heading before a numbered line is no organisation.
        assert!(
            spans(
                "Introduction\n1. Overview of the tool",
                &EntityType::ORGANIZATION
            )
            .is_empty()
        );
    }
}
