//! Quasi-identifiers in free text: a person's age (AGE), nationality,
//! religion or political group (NRP), title — honorific or occupation —
//! (TITLE) and organisation (ORGANIZATION).
//!
//! None of these names a person alone; together with the rest of a record
//! they can, which is why Presidio's labelled sets mark them and why the
//! default redaction policy removes them. Each rule wants evidence beyond
//! the word itself, so ordinary prose keeps its words:
//! - AGE: a number of years with its phrase ("a 61 year old", "aged 64",
//!   "just turned 40", "i'm 58 y/o"), 1 to 125;
//! - NRP: a word from the nationality, religion and party lists;
//! - TITLE: an honorific before a capitalised name ("Dr. Kyle Kuefer"), or an
//!   occupation (a phrase ending in an occupational noun such as "engineer",
//!   "clerk", "nurse") where a cue says it is one: "work … as", "I am a",
//!   "the Publicist, said", or a line of its own in a signature block;
//! - ORGANIZATION: capitalised words ending in a company word ("Loqate Inc",
//!   "Rapid Cycle Solutions"), or after an employment cue ("I work for
//!   Karmadata", "a year at Inrix Traffic").

use crate::Candidate;
use crate::context::lower_slice;
use crate::gazetteer::class;
use crate::names::{self, Token};
use crate::per_thread::{LocalRegex, PerThread};
use regex::Regex;
use std::sync::LazyLock;
use veil_core::EntityType;

/// A number of years with the phrase that makes it an age; the age is
/// whichever group matched.
/// (ASCII word boundaries and classes only, so the lazy DFA never falls back
/// to the slow engine on non-ASCII text.)
static AGE: LazyLock<LocalRegex> = LazyLock::new(|| {
    PerThread::new(Regex::new(concat!(
        r"(?i)(?-u:\b)(?:([0-9]{1,3})[ \t\n-]?(?:years?|yrs?)[ \t\n-]old(?-u:\b)",
        r"|([0-9]{1,3}) ?(?:y/o|y\.o\.|yo)(?-u:\b)",
        r"|(?:aged|age of|age:?)[ \t\n]+([0-9]{1,3})(?-u:\b)",
        r"|(?:turn|turns|turned|turning)[ \t\n]+([0-9]{1,3})(?-u:\b)(?:[ \t\n]*(?:years|[.,;!?]|$))",
        r"|(?:he|she|i|they|we) (?:was|is|am|were)[ \t\n]+([0-9]{1,3})[ \t\n]*[.,;!?])"
    ))
    .unwrap_or_else(|e| unreachable!("built-in AGE pattern: {e}")))
});

/// The words [`AGE`] reads right before the whitespace ahead of an age
/// ("aged 30", "age of 30", "age: 30", "turned 30", "she was 30").
const AGE_CUES: &[&str] = &[
    "aged", "age", "age:", "of", "turn", "turns", "turned", "turning", "was", "is", "am", "were",
];

/// A necessary condition for an [`AGE`] match in `text`, checked without
/// the regex (which has no literal to skip text by: it reads every byte of
/// every text holding a digit). Every age the pattern reads is a run of
/// ASCII digits either followed (after at most one space, tab, newline or
/// hyphen) by a `y` or `Y` ("30 years old", "30yo"), or preceded by spaces,
/// tabs or newlines that one of [`AGE_CUES`] ends before (ASCII case aside;
/// a non-ASCII character right before the spaces counts as a cue, for the
/// pattern's Unicode case folding: "waſ" is "was"). Proptested: the
/// pattern finds nothing where this says no.
fn may_hold_age(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(start) = crate::pattern::next_digit(b, i) {
        let end = start + b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        let mut after = end;
        if matches!(b.get(after), Some(b' ' | b'\t' | b'\n' | b'-')) {
            after += 1;
        }
        if matches!(b.get(after), Some(b'y' | b'Y')) {
            return true;
        }
        let cue_end = start
            - b[..start]
                .iter()
                .rev()
                .take_while(|c| matches!(c, b' ' | b'\t' | b'\n'))
                .count();
        // Most digit runs after whitespace follow another number or a
        // word no cue ends like: one byte tells.
        let last = (cue_end < start).then(|| cue_end.checked_sub(1)).flatten();
        if let Some(at) = last
            && (!b[at].is_ascii()
                || (matches!(
                    b[at] | 0x20,
                    b'd' | b'e' | b'f' | b'g' | b'm' | b'n' | b's' | b':'
                ) && AGE_CUES.iter().any(|cue| {
                    let before = &b[..cue_end];
                    before.len() >= cue.len()
                        && before[before.len() - cue.len()..].eq_ignore_ascii_case(cue.as_bytes())
                })))
        {
            return true;
        }
        i = end;
    }
    false
}

/// Nationality words a capital does not make an NRP by itself: languages
/// and words with other common senses.
const NRP_AMBIGUOUS: &[&str] = &[
    "latin", "arabic", "hebrew", "turkey", "china", "democrat", "pole", "finn", "dane", "brit",
];

/// "We are proud ecuadoreans", "I am belizian": a word no list holds,
/// shaped like a demonym (-an, -ans, -ese, -ish, -i, -is, -man, -mans),
/// right after a statement of who one is.
fn demonym_after_identity(tokens: &[Token<'_>], i: usize) -> bool {
    const IDENTITY: &[&[&str]] = &[
        &["we", "are", "proud"],
        &["we", "are"],
        &["i", "am", "proud"],
        &["i", "am"],
        &["they", "are"],
    ];
    const SUFFIXES: &[&str] = &["an", "ans", "ese", "eses", "ish", "i", "is", "man", "mans"];
    let t = &tokens[i];
    t.lex.is_unlisted()
        && t.text.chars().count() >= 4
        && t.text.chars().all(char::is_alphabetic)
        && SUFFIXES.iter().any(|x| t.lower.ends_with(x))
        && IDENTITY.iter().any(|cue| {
            i >= cue.len()
                && tokens[i - cue.len()..i]
                    .iter()
                    .zip(cue.iter())
                    .all(|(a, b)| a.lower == *b)
        })
}

/// Words before an occupation that mark it as someone's job.
const OCCUPATION_CUES: &[&str] = &[
    " as",
    " as a",
    " as an",
    " i am a",
    " i am an",
    " i'm a",
    " i'm an",
    " is a",
    " is an",
    " was a",
    " was an",
    " works as",
    " worked as",
    " job title",
    " occupation",
    " position",
    " profession",
    " title",
];

/// Suffixes that follow an organisation's name without being part of it
/// ("The Garmin Orchestra" names Garmin).
const ENSEMBLES: &[&str] = &["orchestra", "band", "choir", "ensemble"];

/// Phrases after which capitalised words name an employer.
const ORG_CUES: &[&str] = &[
    "work for",
    "works for",
    "worked for",
    "working for",
    "work at",
    "works at",
    "worked at",
    "working at",
    "employed by",
    "employed at",
    "job at",
    "year at",
    "years at",
    "joined",
    "joining",
    "recorded for",
    "later became",
    "looking to support",
    "employer",
    "company",
    "address of",
];

/// What a company is said to be and no person is ("… is the brainchild of").
const BRAINCHILD: &str = " is the brainchild";

/// Phrases after a capitalised word that make it an organisation.
const ORG_CUES_AFTER: &[&str] = &[
    BRAINCHILD,
    " office",
    " headquarters",
    " website",
    " invested heavily",
];

/// Nouns that make "X is a(n) …" or "X is a(n) <one word> …" a company
/// ("is a German multinational", "is a design agency").
const ORG_NOUNS: &[&str] = &[
    "multinational",
    "agency",
    "company",
    "firm",
    "startup",
    "bank",
    "corporation",
    "501(c)3",
    "501(c)(3)",
    "nonprofit",
    "non-profit",
    "charity",
];

/// Whether `b` ends with one of [`ORG_CUES`] at a word start. A cue that
/// `b` ends with ends with `b`'s last word, so that word is compared first
/// (most cues fail there, without the full comparison).
fn org_cue_before(b: &str) -> bool {
    let from = b
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let last_word = &b[from..];
    ORG_CUE_LAST_WORDS
        .iter()
        .any(|&(c, w)| w.eq_ignore_ascii_case(last_word) && ends_with_word_ci(b, c))
}

/// Each of [`ORG_CUES`] with its last word.
static ORG_CUE_LAST_WORDS: LazyLock<Vec<(&str, &str)>> = LazyLock::new(|| {
    ORG_CUES
        .iter()
        .map(|&c| (c, c.rfind(' ').map_or(c, |i| &c[i + 1..])))
        .collect()
});

/// Whether `b` ends with the words `cue` (ASCII case-insensitive), at a word start.
fn ends_with_word_ci(b: &str, cue: &str) -> bool {
    let n = cue.len();
    b.len() >= n
        && b.is_char_boundary(b.len() - n)
        && b[b.len() - n..].eq_ignore_ascii_case(cue)
        && b[..b.len() - n]
            .chars()
            .next_back()
            .is_none_or(|ch| !ch.is_alphanumeric())
}

/// Whether `after` (lower case, what follows a capitalised run) says the run
/// is an organisation: "… is the brainchild", "… office", "… is a German
/// multinational".
fn org_cue_after(after: &str) -> bool {
    if ORG_CUES_AFTER.iter().any(|c| after.starts_with(c)) {
        return true;
    }
    let Some(rest) = said_to_be_a(after) else {
        return false;
    };
    let mut words = rest.split_whitespace();
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    ORG_NOUNS.contains(&first) || ORG_NOUNS.iter().any(|n| second.starts_with(n))
}

/// What `after` (lower case, what follows a capitalised run) says the run
/// is, after " is a " or " is an ".
fn said_to_be_a(after: &str) -> Option<&str> {
    after
        .strip_prefix(" is an ")
        .or_else(|| after.strip_prefix(" is a "))
}

/// Whether `after` (lower case, what follows a capitalised run) says the
/// run *is* a company, which no person is: "… is the brainchild", "… is a
/// design agency based in", "… is a German multinational." — the company
/// noun ends the phrase (not "… is a bank manager").
fn said_to_be_a_firm(after: &str) -> bool {
    if after.starts_with(BRAINCHILD) {
        return true;
    }
    let Some(rest) = said_to_be_a(after) else {
        return false;
    };
    let words: Vec<&str> = rest.split(' ').take(3).collect();
    (0..words.len().min(2)).any(|k| {
        let noun = words[k].trim_end_matches(['.', ',', ';', '!']);
        ORG_NOUNS.contains(&noun)
            && (noun.len() < words[k].len()
                || words.get(k + 1).is_none_or(|next| {
                    [
                        "based",
                        "that",
                        "in",
                        "which",
                        "founded",
                        "headquartered",
                        "with",
                        "from",
                    ]
                    .contains(next)
                }))
    })
}

/// Lower-case words that may stand inside an organisation's name.
const ORG_INNER: &[&str] = &["and", "&"];

/// Company words that make an organisation even in all-lower-case text.
const STRONG_ORG_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "ltd",
    "llc",
    "llp",
    "corp",
    "plc",
    "gmbh",
];

/// Words around a nationality word that make it a language or an
/// institution, not a person's group: "studying English", "European Union".
const LANGUAGE_BEFORE: &[&str] = &[
    "speak", "speaks", "spoke", "speaking", "study", "studies", "studying", "studied", "learn",
    "learning", "learned", "teach", "teaches", "taught", "fluent", "in", "than", "into", "plain",
    "us",
];
const LANGUAGE_AFTER: &[&str] = &[
    "union",
    "language",
    "languages",
    "classes",
    "lessons",
    "course",
    "translation",
    "translations",
    "word",
    "words",
    "text",
    "texts",
    "only",
    "version",
    "locale",
    "documentation",
];

/// The AGE, NRP, TITLE and ORGANIZATION recognizer.
pub struct QuasiRecognizer {
    age: &'static str,
    nrp: &'static str,
    pub(crate) title: &'static str,
    pub(crate) org: &'static str,
}

impl Default for QuasiRecognizer {
    fn default() -> Self {
        QuasiRecognizer {
            age: "age_recognizer",
            nrp: "nrp_recognizer",
            title: "title_recognizer",
            org: "organization_recognizer",
        }
    }
}

fn push(
    out: &mut Vec<Candidate>,
    entity: EntityType,
    start: usize,
    end: usize,
    score: f32,
    r: &'static str,
) {
    out.push(Candidate {
        entity,
        start,
        end,
        score,
        recognizer: r,
    });
}

/// Whether the capitalised words from `tokens[k]` (one space apart, up to
/// four) hold an institution's "of" ("Royal Bank of Canada").
fn starts_institution(text: &str, tokens: &[Token<'_>], k: usize) -> bool {
    (k..tokens.len().min(k + 4))
        .take_while(|&n| {
            tokens[n].cap && (n == k || &text[tokens[n - 1].end..tokens[n].start] == " ")
        })
        .any(|n| names::institution_of(text, tokens, n + 1))
}

/// Company words written short, which take the period after them ("Inc.",
/// "Ltd."); a full word before a period ends the sentence ("… Human
/// Services.").
const ABBREVIATED_SUFFIXES: &[&str] = &["inc", "ltd", "llc", "llp", "corp", "co", "plc", "bros"];

/// Legal forms written after a comma at a company name's end ("Acme
/// Widgets, Inc.", "Initech, LLC").
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "ltd",
    "llc",
    "llp",
    "plc",
    "corp",
    "gmbh",
];

/// Where a company name that opens a line at `tokens[first]` begins when
/// the line before was wrapped inside it ("write to the Free Software\n
/// Foundation, Inc."): the capitalised words (up to three) ending that
/// line, when a lower-case word stands before them there; else `first`
/// (a name alone on its line, "Jane Doe\nAcme, Inc.", is no part of it).
fn wrapped_name_start(text: &str, tokens: &[Token<'_>], used: &[bool], first: usize) -> usize {
    let gap = |k: usize| &text[tokens[k - 1].end..tokens[k].start];
    if first == 0 || gap(first).trim_matches([' ', '\t']) != "\n" {
        return first;
    }
    let mut k = first;
    while k > 0 && first - k < 3 {
        let p = &tokens[k - 1];
        if (k < first && gap(k) != " ") || !p.cap || used[k - 1] || p.lex.is(class::QUASI_STOP) {
            break;
        }
        k -= 1;
    }
    let prose_before =
        k < first && k > 0 && gap(k) == " " && tokens[k - 1].text.chars().all(char::is_lowercase);
    if prose_before { k } else { first }
}

/// Whether `t` is a function word or a modal of obligation written in
/// capitals ("BUT", "NOT", "WITH", "SHALL"), other than those inside
/// organisations' names ("AND", "OF", "THE", "FOR", "NEW").
fn shouted_function_word(t: &Token<'_>) -> bool {
    (t.lex.is(class::QUASI_STOP)
        && !matches!(t.lower.as_ref(), "and" | "of" | "the" | "for" | "new")
        && names::shouted(t))
        || shouted_modal(t)
}

/// Whether `t` is "SHALL", "MUST" or "SHOULD" in capitals: a licence's
/// shouted prose ("IN NO EVENT SHALL THE FOUNDATION BE LIABLE"), which
/// neither starts nor continues a name.
fn shouted_modal(t: &Token<'_>) -> bool {
    matches!(t.lower.as_ref(), "shall" | "must" | "should") && names::shouted(t)
}

/// The end of the company word `t`, past its period when it is written
/// short ("Inc.", "Ltd.") and not when the period ends the sentence ("…
/// Human Services.").
fn suffix_end(text: &str, t: &Token<'_>) -> usize {
    if ABBREVIATED_SUFFIXES.contains(&t.lower.as_ref()) {
        with_period(text, t.end)
    } else {
        t.end
    }
}

/// The end of a token, past a period that belongs to it ("Dr.", "Inc.").
fn with_period(text: &str, end: usize) -> usize {
    if text[end..].starts_with('.') {
        end + 1
    } else {
        end
    }
}

/// Words that make one of [`COMPONENT_HEADS`] after them a part of a
/// program ("context manager", "signal handler", "device driver", "modulo
/// operator", "web server", "type guard"): no job title. Words before a
/// job of the same name are left out ("network manager", "process server",
/// "event manager", "state controller", "garbage collector", "test
/// runner").
const COMPONENT_MODIFIERS: &[&str] = &[
    "context",
    "package",
    "window",
    "memory",
    "task",
    "file",
    "display",
    "session",
    "password",
    "connection",
    "download",
    "device",
    "boot",
    "cache",
    "lock",
    "transaction",
    "signal",
    "exception",
    "error",
    "interrupt",
    "request",
    "modulo",
    "bitwise",
    "logical",
    "comparison",
    "assignment",
    "unary",
    "binary",
    "ternary",
    "type",
    "line-oriented",
    "bytecode",
    "template",
    "query",
    "thread",
    "socket",
    "stream",
    "buffer",
    "protocol",
    "dependency",
    "plugin",
    "module",
    "web",
    "class",
    "background",
    "http",
    "proxy",
];

/// Occupation words that name a part of a program after one of
/// [`COMPONENT_MODIFIERS`].
const COMPONENT_HEADS: &[&str] = &[
    "manager",
    "handler",
    "operator",
    "interpreter",
    "guard",
    "driver",
    "server",
    "worker",
    "runner",
    "collector",
    "loader",
    "scheduler",
    "dispatcher",
    "controller",
    "monitor",
    "writer",
    "reader",
    "builder",
];

/// Keywords that open a line of code ("await waiter", "return maker",
/// "import operator"): no part of a job title.
const CODE_KEYWORDS: &[&str] = &[
    "await",
    "return",
    "import",
    "yield",
    "raise",
    "throw",
    "assert",
    "del",
    "def",
    "async",
    "const",
    "let",
    "var",
    "new",
    "typeof",
    "instanceof",
];

impl QuasiRecognizer {
    /// Append AGE, NRP, TITLE and ORGANIZATION candidates in `text` (already
    /// split into `tokens`, their lexicon entries filled) to `out`;
    /// `used[i]` marks tokens a place claimed; `blobs` are the text's
    /// encoded data ([`crate::names::blob_spans`]), where no age is read;
    /// `institutions`: whether a capitalised [`class::INSTITUTION`] word
    /// stands among the tokens (else no "University of …" name is looked for).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn analyze(
        &self,
        text: &str,
        lowered: &str,
        tokens: &[Token<'_>],
        used: &[bool],
        blobs: &[(usize, usize)],
        weak_case: bool,
        institutions: bool,
        out: &mut Vec<Candidate>,
    ) {
        self.ages(text, blobs, out);
        self.nrps(text, tokens, weak_case, out);
        self.titles(text, lowered, tokens, out);
        self.organizations(text, lowered, tokens, used, weak_case, institutions, out);
    }

    fn ages(&self, text: &str, blobs: &[(usize, usize)], out: &mut Vec<Candidate>) {
        if !may_hold_age(text) {
            return;
        }
        for c in AGE.captures_iter(text) {
            // "…/6Yo+jS2…": base64, not "6 yo".
            if c.get(0)
                .is_some_and(|m| blobs.iter().any(|&(s, e)| s <= m.start() && m.end() <= e))
            {
                continue;
            }
            let Some((i, m)) = c
                .iter()
                .enumerate()
                .skip(1)
                .find_map(|(i, m)| m.map(|m| (i, m)))
            else {
                continue;
            };
            let years: u32 = m.as_str().parse().unwrap_or(0);
            if !(1..=125).contains(&years) {
                continue;
            }
            let score = match i {
                1 | 2 => 0.85,
                3 => 0.75,
                _ => 0.65,
            };
            push(out, EntityType::AGE, m.start(), m.end(), score, self.age);
        }
    }

    fn nrps(&self, text: &str, tokens: &[Token<'_>], weak_case: bool, out: &mut Vec<Candidate>) {
        // The people the name pass found, by start (sorted at the first
        // NRP word: a long text's candidates are not each compared with
        // every such word).
        let mut people: Option<Vec<(usize, usize)>> = None;
        for (i, t) in tokens.iter().enumerate() {
            if !t.lex.is(class::NRP | class::NRP_PLURAL) {
                if demonym_after_identity(tokens, i) {
                    push(out, EntityType::NRP, t.start, t.end, 0.6, self.nrp);
                }
                continue;
            }
            // "Christian Dywan": the first name of a person the name pass found.
            let people = people.get_or_insert_with(|| {
                let mut p: Vec<(usize, usize)> = out
                    .iter()
                    .filter(|c| c.entity == EntityType::PERSON)
                    .map(|c| (c.start, c.end))
                    .collect();
                p.sort_unstable();
                p
            });
            let from = people.partition_point(|&(s, _)| s < t.start);
            if people[from..]
                .iter()
                .take_while(|&&(s, _)| s == t.start)
                .any(|&(_, e)| e > t.end)
            {
                continue;
            }
            let l = t.lower.as_ref();
            let ambiguous = NRP_AMBIGUOUS.contains(&l);
            let prev = i.checked_sub(1).map(|k| tokens[k].lower.as_ref());
            let next = tokens.get(i + 1).map(|n| n.lower.as_ref());
            if prev.is_some_and(|p| LANGUAGE_BEFORE.contains(&p))
                || next.is_some_and(|n| LANGUAGE_AFTER.contains(&n))
            {
                continue;
            }
            // "strategies/agnostic/": a path's component; "engine agnostic":
            // independent of the noun before it, no belief.
            let b = text.as_bytes();
            if (t.start > 0 && b[t.start - 1] == b'/') || b.get(t.end) == Some(&b'/') {
                continue;
            }
            if l == "agnostic"
                && i.checked_sub(1).is_some_and(|k| {
                    let p = &tokens[k];
                    &text[p.end..t.start] == " "
                        && !p.text.chars().any(char::is_uppercase)
                        && !p.lex.is(class::QUASI_STOP)
                })
            {
                continue;
            }
            let score = if t.cap && !ambiguous {
                0.65
            } else if weak_case || (!ambiguous && !t.cap) {
                0.55
            } else {
                continue;
            };
            push(out, EntityType::NRP, t.start, t.end, score, self.nrp);
        }
    }

    fn titles(&self, text: &str, lowered: &str, tokens: &[Token<'_>], out: &mut Vec<Candidate>) {
        let lowercase_text = !text.chars().any(char::is_uppercase);
        for (i, t) in tokens.iter().enumerate() {
            // Honorific + capitalised name: "Dr. Kyle", "Mrs Lennox".
            // In text without capitals, "mr. martin": the name the name
            // pass found stands right after it.
            if t.lex.is(class::HONORIFIC)
                && (t.text.chars().next().is_some_and(char::is_uppercase)
                    || lowercase_text
                    || crate::lexicon::LOWER_CASE_HONORIFICS.contains(&t.lower.as_ref()))
                && let Some(n) = tokens.get(i + 1)
            {
                // "Meneer de Vries", "Herr von Weizsäcker": a particle
                // before the capitalised name.
                let n = match tokens.get(i + 2) {
                    Some(m)
                        if n.is_particle()
                            && m.cap
                            && &text[n.end..m.start] == " "
                            && !lowercase_text =>
                    {
                        m
                    }
                    _ => n,
                };
                let gap = &text[t.end..tokens[i + 1].start];
                let name_after = n.cap
                    || (lowercase_text
                        && out
                            .iter()
                            .any(|c| c.entity == EntityType::PERSON && c.start == n.start));
                if (gap == " " || gap == ". ") && name_after {
                    let end = with_period(text, t.end);
                    push(out, EntityType::TITLE, t.start, end, 0.7, self.title);
                    continue;
                }
            }
            if t.lex.is(class::OCCUPATION) {
                self.occupation(text, lowered, tokens, i, out);
            }
        }
    }

    /// An occupation phrase ending at `tokens[head]`, when a cue says it is one.
    fn occupation(
        &self,
        text: &str,
        lowered: &str,
        tokens: &[Token<'_>],
        head: usize,
        out: &mut Vec<Candidate>,
    ) {
        // "a context manager", "the signal handler": a part of a program.
        if head > 0
            && matches!(&text[tokens[head - 1].end..tokens[head].start], " " | "-")
            && COMPONENT_MODIFIERS.contains(&tokens[head - 1].lower.as_ref())
            && COMPONENT_HEADS.contains(&tokens[head].lower.as_ref())
        {
            return;
        }
        // Grow left over content words on the same line, one space apart;
        // a capitalised title over capitalised words only ("As between
        // Initial Developer and the Contributors": not "between").
        let mut lo = head;
        while lo > 0 && head - lo < 4 {
            let p = &tokens[lo - 1];
            let gap = &text[p.end..tokens[lo].start];
            if !(gap == " " || gap == ", ")
                || p.lex.is(class::QUASI_STOP)
                || (tokens[head].cap && !p.cap)
                || CODE_KEYWORDS.contains(&p.text)
            {
                break;
            }
            if gap == ", " && !p.lower.ends_with("ing") {
                break;
            }
            lo -= 1;
        }
        let start = tokens[lo].start;
        let end = tokens[head].end;
        // The line around the phrase, looked for within 200 bytes (a long
        // line is not a signature line, and the cues are short).
        let lo_bound = crate::context::floor_char(text, start.saturating_sub(200));
        let hi_bound = crate::context::floor_char(text, (end + 200).min(text.len()));
        let line_lo = text[lo_bound..start]
            .rfind('\n')
            .map_or(lo_bound, |p| lo_bound + p + 1);
        let line_hi = text[end..hi_bound].find('\n').map_or(hi_bound, |p| end + p);
        let before = lower_slice(text, lowered, line_lo, start);
        let after = &text[end..line_hi];
        let b = format!(" {}", before.trim_end_matches([' ', ',', ':']));
        let cued = OCCUPATION_CUES.iter().any(|c| b.ends_with(c))
            // "Debra Stuit, the Publicist, said"
            || (b.ends_with(", the") && after.starts_with(','))
            // A line of its own (signature blocks).
            || (before.trim().is_empty() && after.trim().is_empty());
        // "Taylor Millar, the Liquid waste treatment plant and system
        // operator, said": the whole apposition, its inner "and" included.
        let apposition = after.starts_with(',')
            && text[line_lo..start].rfind(", the ").is_some_and(|p| {
                let seg = &text[line_lo + p + 6..start];
                !seg.is_empty()
                    && seg.split_whitespace().count() <= 6
                    && seg
                        .chars()
                        .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
            });
        if apposition && let Some(p) = text[line_lo..start].rfind(", the ") {
            push(
                out,
                EntityType::TITLE,
                line_lo + p + 6,
                end,
                0.6,
                self.title,
            );
        } else if cued {
            push(out, EntityType::TITLE, start, end, 0.6, self.title);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn organizations(
        &self,
        text: &str,
        lowered: &str,
        tokens: &[Token<'_>],
        used: &[bool],
        weak_case: bool,
        institutions: bool,
        out: &mut Vec<Candidate>,
    ) {
        let capital = |t: &Token<'_>| {
            t.cap
                || (weak_case
                    && !t.lex.is(class::QUASI_STOP)
                    && (!t.lex.is(class::WORD) || t.lex.is(class::ORG_SUFFIX)))
        };
        // Organisations found, and the other capitalised runs (list partners).
        let mut found: Vec<(usize, usize)> = Vec::new();
        // The people the name pass found (it runs first) by more than one
        // name: a firm is named beside them ("Abby Holloway of Opencounter",
        // "Pave's Irena Bílá"; not "Grant of Copyright License").
        // Their starts and their ends, each sorted (binary search per run).
        let (mut people_starts, mut people_ends): (Vec<usize>, Vec<usize>) = out
            .iter()
            .filter(|c| {
                c.entity == EntityType::PERSON
                    && c.score >= 0.6
                    && text[c.start..c.end].contains(' ')
            })
            .map(|c| (c.start, c.end))
            .unzip();
        people_starts.sort_unstable();
        people_ends.sort_unstable();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if used[i] || !capital(t) || shouted_modal(t) {
                i += 1;
                continue;
            }
            // A run of capitalised words (lower-case joiners inside), one
            // space apart; an institution's "of" (and "the" after it) joins
            // too ("Royal Bank of Canada", "Bank of the West").
            let mut j = i + 1;
            let mut of_at = None;
            while j < tokens.len() && j - i < if of_at.is_some() { 8 } else { 6 } && !used[j] {
                if institutions && of_at.is_none() && names::institution_of(text, tokens, j) {
                    of_at = Some(j);
                    j += 1;
                    continue;
                }
                if of_at == Some(j - 1) && tokens[j].text == "the" {
                    j += 1; // `institution_of` saw a capital after it
                    continue;
                }
                // "University of Michigan LDAP", "… California MAKES": a
                // word in capitals after a name that is not ends it.
                if let Some(m) = of_at
                    && names::shouted(&tokens[j])
                    && !names::shouted(&tokens[m - 1])
                {
                    break;
                }
                // "INCLUDING BUT NOT LIMITED", "IN CONNECTION WITH THE
                // SOFTWARE": a function word in capitals is shouted prose,
                // which no name goes on through ("BANK OF THE WEST" does).
                if shouted_function_word(&tokens[j]) {
                    break;
                }
                let gap = &text[tokens[j - 1].end..tokens[j].start];
                // "and" before an institution's name ends the run ("Bank of
                // America and Royal Bank of Canada"); else it may go on
                // ("Department of Health and Human Services").
                let joiner = ORG_INNER.contains(&tokens[j].lower.as_ref())
                    && tokens
                        .get(j + 1)
                        .is_some_and(|n| n.cap && &text[tokens[j].end..n.start] == " ")
                    && !(institutions && starts_institution(text, tokens, j + 1))
                    // "Anthony Green and Red Hat, Inc.": a person before "and".
                    && people_ends.binary_search(&tokens[j - 1].end).is_err();
                if !(gap == " " || gap == " & " || gap == "-") || !(capital(&tokens[j]) || joiner) {
                    break;
                }
                j += 1;
            }
            // A run the length limit cut after a joiner ends before it.
            while j > i + 1 && !capital(&tokens[j - 1]) {
                j -= 1;
            }
            if let Some(m) = of_at.filter(|&m| m + 1 < j) {
                // The institution's name, from its first word that is no
                // function word ("In Bank of America's report").
                let first = (i..m - 1)
                    .find(|&k| !tokens[k].lex.is(class::QUASI_STOP) || tokens[k].lower == "new")
                    .unwrap_or(m - 1);
                let start = tokens[first].start;
                let last = &tokens[j - 1];
                let end = if last.lex.is(class::ORG_SUFFIX) {
                    suffix_end(text, last)
                } else {
                    last.end
                };
                push(out, EntityType::ORGANIZATION, start, end, 0.8, self.org);
                found.push((start, end));
                i = j;
                continue;
            }
            // "The Avalara office", "The Garmin Orchestra": the article is not part of the name.
            let lead = usize::from(j - i > 1 && tokens[i].lower == "the");
            let run = &tokens[i + lead..j];
            let start = run[0].start;
            let end = run[run.len() - 1].end;
            // Suffix: the run's last word is a company word.
            // "The X" or "Our X" is no name; "New Media Parents" is.
            let stop_first = run[0].lex.is(class::QUASI_STOP) && run[0].lower != "new";
            // "Free Software Foundation, Inc.", "Acme Widgets, Inc.": a legal
            // form after a comma is the name's end.
            if let Some(form) = tokens.get(j).filter(|n| {
                &text[end..n.start] == ", "
                    && n.cap
                    && !used[j]
                    && LEGAL_FORMS.contains(&n.lower.as_ref())
            }) && !stop_first
            {
                let start = tokens[wrapped_name_start(text, tokens, used, i + lead)].start;
                let end = suffix_end(text, form);
                push(out, EntityType::ORGANIZATION, start, end, 0.8, self.org);
                found.push((start, end));
                i = j + 1;
                continue;
            }
            // "THE FONT SOFTWARE IS PROVIDED", "THE DATA FILES AND
            // SOFTWARE": a licence's shouted subject, ordinary words before
            // "SOFTWARE" after "THE", is no firm ("THE OPEN GROUP" is one).
            let shouted_subject = lead == 1
                && run[run.len() - 1].lower == "software"
                && run
                    .iter()
                    .all(|t| names::shouted(t) && (t.lex.is(class::WORD) || t.lower == "and"));
            if let Some(k) = run.iter().rposition(|t| t.lex.is(class::ORG_SUFFIX))
                && k > 0
                && !stop_first
                && !shouted_subject
                && (!weak_case || STRONG_ORG_SUFFIXES.contains(&run[k].lower.as_ref()))
            {
                let end = if ENSEMBLES.contains(&run[k].lower.as_ref()) {
                    run[k - 1].end
                } else {
                    suffix_end(text, &run[k])
                };
                push(out, EntityType::ORGANIZATION, start, end, 0.8, self.org);
                found.push((start, end));
                i = j;
                continue;
            }
            // Not a person: no known first name among the words. A person's
            // name or a stop word first ("The X") settles it before any cue
            // is looked for.
            let personal = run
                .iter()
                .any(|t| t.lex.first().is_some_and(|f| f >= 0.03) && !t.lex.is(class::WORD));
            if !personal
                && !stop_first
                && self.org_cued(text, lowered, run, start, end, &people_starts, &people_ends)
            {
                // Said to be a company: it, not a person the lists name
                // ("Berkshire Hathaway is a design agency based in …").
                let after_hi = crate::context::floor_char(text, (end + 48).min(text.len()));
                let score = if said_to_be_a_firm(&lower_slice(text, lowered, end, after_hi)) {
                    0.95
                } else {
                    0.65
                };
                push(out, EntityType::ORGANIZATION, start, end, score, self.org);
                found.push((start, end));
            } else if !(run.len() == 1 && run[0].lex.is(class::OCCUPATION | class::TITLE)) {
                // A lone occupation or title is no list partner ("Director,
                // Office of Technology Licensing").
                runs.push((start, end));
            }
            i = j;
        }
        self.list_partners(text, &found, &runs, out);
    }

    /// Whether what stands around the capitalised run `start..end` names
    /// an organisation: a cue before or after it, a business with its
    /// address, someone's employer ("is from"), or the firm of a person the
    /// name pass found ("Abby Holloway of Opencounter", "Pave's Irena Bílá";
    /// `people_starts`/`people_ends` sorted).
    #[allow(clippy::too_many_arguments)]
    fn org_cued(
        &self,
        text: &str,
        lowered: &str,
        run: &[Token<'_>],
        start: usize,
        end: usize,
        people_starts: &[usize],
        people_ends: &[usize],
    ) -> bool {
        let b = text[crate::context::floor_char(text, start.saturating_sub(24))..start].trim_end();
        // Room for the longest cue after: " is an <nationality> multinational".
        let after_hi = crate::context::floor_char(text, (end + 48).min(text.len()));
        let after = &text[end..after_hi];
        // The cheap tests first; each is decided on its own.
        // "Abby Holloway of Opencounter": a person's employer.
        (start >= 4
            && text[..start].ends_with(" of ")
            && people_ends.binary_search(&(start - 4)).is_ok())
            // "Pave's Irena Bílá": the firm whose person it is.
            || ["'s ", "’s "]
                .iter()
                .find(|p| after.starts_with(**p))
                .is_some_and(|p| people_starts.binary_search(&(end + p.len())).is_ok())
            // "Ludwig is from Solar Census": someone is from a place or an
            // employer; ordinary words that no gazetteer place holds name the employer.
            || (b.len() >= 4
                && b.as_bytes()[b.len() - 4..].eq_ignore_ascii_case(b"from")
                && run.iter().any(|t| t.lex.is(class::WORD))
                && ["is from", "are from", "am from", "i'm from"]
                    .iter()
                    .any(|c| ends_with_word_ci(b, c)))
            // "meet Monday at Corelogic, 0896 69 Farnell Street": a business with its address.
            || ((ends_with_word_ci(b, "at") || ends_with_word_ci(b, "of"))
                && after
                    .strip_prefix(", ")
                    .or_else(|| after.strip_prefix(" is "))
                    .is_some_and(|r| {
                        r.starts_with(|c: char| c.is_ascii_digit())
                            || ["PSC", "Unit", "USNS", "USS"]
                                .iter()
                                .any(|p| r.starts_with(p))
                    }))
            || org_cue_before(b)
            || (after.starts_with(' ')
                && org_cue_after(&lower_slice(text, lowered, end, after_hi)))
    }

    /// In a list of names ("Citigroup, Infocommerce Group and 3 Round
    /// Stones Inc."), the partners of an organisation found by its suffix or
    /// a cue are organisations too: capitalised runs joined to it, directly
    /// or through other partners, by ", ", " and ", ", and " or " & ".
    fn list_partners(
        &self,
        text: &str,
        found: &[(usize, usize)],
        runs: &[(usize, usize)],
        out: &mut Vec<Candidate>,
    ) {
        if found.is_empty() || runs.is_empty() {
            return;
        }
        let joined = |a: (usize, usize), b: (usize, usize)| -> bool {
            let (x, y) = if a.1 <= b.0 { (a, b) } else { (b, a) };
            x.1 <= y.0
                && matches!(
                    text[x.1..y.0].trim_start_matches("'s"),
                    ", " | " and " | ", and " | " & " | ", & "
                )
        };
        // Joined items stand next to each other once all are sorted by
        // start (the text between them is only a separator), so the lists
        // are chains of neighbours: one pass over the sorted items.
        let mut items: Vec<((usize, usize), bool)> = found
            .iter()
            .map(|&f| (f, true))
            .chain(runs.iter().map(|&r| (r, false)))
            .collect();
        items.sort_unstable();
        let mut chain_start = 0;
        for k in 1..=items.len() {
            if k < items.len() && joined(items[k - 1].0, items[k].0) {
                continue;
            }
            let chain = &items[chain_start..k];
            if chain.iter().any(|&(_, is_found)| is_found) {
                for &((s, e), _) in chain.iter().filter(|(_, is_found)| !is_found) {
                    push(out, EntityType::ORGANIZATION, s, e, 0.6, self.org);
                }
            }
            chain_start = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analyzer::tests::spans as found;
    use veil_core::EntityType;

    proptest::proptest! {
        /// Where the age gate says no, the AGE pattern finds nothing.
        #[test]
        fn the_age_gate_never_hides_an_age(
            pre in "(|x|é|ſ|the|\\(|, )",
            cue in "(|aged|Age|AGE:|age of|age:|turned|TURNS|turning|turn|she was|I am|we WERE|he is|she waſ|he iſ|turnſ|of|the)",
            space in "( |\t|\n|  |\r|)",
            digits in "[0-9]{1,4}",
            sep in "(| |-|\t|  )",
            post in "(years old|yrs old|YEARS OLD|Yr old|yo|y/o|Y.O.x|\\.|!|,|| x|years|Years\\.)",
            tail in "(|x| |\\.)",
        ) {
            let text = format!("{pre}{cue}{space}{digits}{sep}{post}{tail}");
            if !super::may_hold_age(&text) {
                proptest::prop_assert!(super::AGE.find(&text).is_none(), "{:?}", text);
            }
        }

        /// The last-word shortcut answers as trying every cue does.
        #[test]
        fn org_cue_shortcut_agrees_with_every_cue(b in "(Works|works|AT|at|for|For|joined|company|of|address|years|x|é| |,|-|2){0,6}") {
            let every = super::ORG_CUES.iter().any(|c| super::ends_with_word_ci(&b, c));
            proptest::prop_assert_eq!(super::org_cue_before(&b), every, "{:?}", b);
        }
    }

    #[test]
    fn org_cues_before_a_name() {
        assert!(super::org_cue_before("she works for"));
        assert!(super::org_cue_before("Joined"));
        assert!(super::org_cue_before("10 YEARS AT"));
        assert!(!super::org_cue_before("networks for"));
        assert!(!super::org_cue_before("works for,"));
    }

    #[test]
    fn no_age_inside_encoded_data() {
        assert!(
            found(
                "data:image/png;base64,8vHJA1D5J3N+b//5yO/vit0wwkmu0ZdmiQ",
                &EntityType::AGE
            )
            .is_empty()
        );
        assert_eq!(found("my son is 5yo now", &EntityType::AGE), ["5"]);
    }

    #[test]
    fn ages_need_their_phrase() {
        assert_eq!(
            found("Mr. Spears is a 61 year old man.", &EntityType::AGE),
            ["61"]
        );
        assert_eq!(
            found("Patient is a 33-year-old male.", &EntityType::AGE),
            ["33"]
        );
        assert_eq!(
            found("He just turned 46 years old", &EntityType::AGE),
            ["46"]
        );
        assert_eq!(found("I'll turn 40.", &EntityType::AGE), ["40"]);
        assert_eq!(
            found("from Križe, and i'm 58 y/o.", &EntityType::AGE),
            ["58"]
        );
        assert_eq!(
            found("She retired at the age of 64", &EntityType::AGE),
            ["64"]
        );
        assert!(
            found(
                "Order 61 shipped in 3 boxes; turn 180 degrees.",
                &EntityType::AGE
            )
            .is_empty()
        );
        assert!(found("He was 300 years old", &EntityType::AGE).is_empty());
    }

    #[test]
    fn nationalities_religions_and_parties() {
        assert_eq!(
            found("a nice new Czech place downtown", &EntityType::NRP),
            ["Czech"]
        );
        assert_eq!(
            found("the paraguayans won", &EntityType::NRP),
            ["paraguayans"]
        );
        assert!(found("I read it in Latin class", &EntityType::NRP).is_empty());
        assert!(found("while studying English and journalism", &EntityType::NRP).is_empty());
        assert!(found("the Treaty on European Union", &EntityType::NRP).is_empty());
        // An unlisted demonym after a statement of who one is.
        assert_eq!(
            found("I am belizian but I live here", &EntityType::NRP),
            ["belizian"]
        );
        assert_eq!(
            found("We are proud ecuadoreans", &EntityType::NRP),
            ["ecuadoreans"]
        );
        assert!(found("I am frustrated", &EntityType::NRP).is_empty());
        assert!(found("the ecuadoreans won", &EntityType::NRP).is_empty());
    }

    #[test]
    fn honorifics_and_cued_occupations() {
        // The whole apposition, its inner "and" included.
        assert_eq!(
            found(
                "Ashlee Yoshimura, the Time and attendance clerk, said: hi",
                &EntityType::TITLE
            ),
            ["Time and attendance clerk"]
        );
        // In text without capitals, before a name the name pass found.
        assert_eq!(
            found("mr. martin is a 50 year old man", &EntityType::TITLE),
            ["mr."]
        );
        assert_eq!(
            found("Hello, this is Dr. Kyle Kuefer.", &EntityType::TITLE),
            ["Dr."]
        );
        assert_eq!(
            found(
                "I used to work for Transparagov as Dairy scientist, but quit.",
                &EntityType::TITLE
            ),
            ["Dairy scientist"]
        );
        assert_eq!(
            found("Debra Stuit, the Publicist, said: yes", &EntityType::TITLE),
            ["Publicist"]
        );
        assert_eq!(
            found(
                "Ann Lee\n\nNetwork systems administrator\n\nPersonal Info",
                &EntityType::TITLE
            ),
            ["Network systems administrator"]
        );
        // An occupation word in ordinary prose is not a title.
        assert!(found("The engineer fixed the printer today.", &EntityType::TITLE).is_empty());
        // Nor is a part of a program named like one; a job of the same
        // shape stays a title.
        for text in [
            "It can be used as a context manager.",
            "Install it as a signal handler.",
            "Use % as a modulo operator here.",
            "This is a line-oriented interpreter.",
        ] {
            assert!(found(text, &EntityType::TITLE).is_empty(), "{text}");
        }
        assert_eq!(
            found("She works as a network manager.", &EntityType::TITLE),
            ["network manager"]
        );
        // "Miss" as a verb is not an honorific.
        assert!(found("I miss Paris.", &EntityType::TITLE).is_empty());
    }

    #[test]
    fn organizations_by_suffix_and_cue() {
        assert_eq!(
            found(
                "which later became Loqate Inc in 2004.",
                &EntityType::ORGANIZATION
            ),
            ["Loqate Inc"]
        );
        assert_eq!(
            found(
                "I work for Rapid Cycle Solutions",
                &EntityType::ORGANIZATION
            ),
            ["Rapid Cycle Solutions"]
        );
        assert_eq!(
            found("I work for Karmadata now", &EntityType::ORGANIZATION),
            ["Karmadata"]
        );
        assert_eq!(
            found(
                "Civinomics is the brainchild of our 3 founders",
                &EntityType::ORGANIZATION
            ),
            ["Civinomics"]
        );
        assert!(found("I work for John on Fridays", &EntityType::ORGANIZATION).is_empty());
        // What a firm is said to be, however long the nationality.
        assert_eq!(
            found(
                "Persint is an German multinational in the food industry",
                &EntityType::ORGANIZATION
            ),
            ["Persint"]
        );
        assert_eq!(
            found("Telenav is a design agency", &EntityType::ORGANIZATION),
            ["Telenav"]
        );
        assert!(found("Sarah is a travel agent", &EntityType::ORGANIZATION).is_empty());
        // Named beside a person: the employer, the firm whose person it is,
        // a firm's website.
        assert_eq!(
            found(
                "Abby Holloway of Opencounter, and Pave's Irena Bílá.",
                &EntityType::ORGANIZATION
            ),
            ["Opencounter", "Pave"]
        );
        assert_eq!(
            found(
                "according to the Roadify Transit website",
                &EntityType::ORGANIZATION
            ),
            ["Roadify Transit"]
        );
        assert!(found("2. Grant of Copyright License.", &EntityType::ORGANIZATION).is_empty());
        assert_eq!(
            found(
                "During the 1990s, Deloitte invested heavily in chips",
                &EntityType::ORGANIZATION
            ),
            ["Deloitte"]
        );
        assert_eq!(
            found("Ludwig is from Solar Census", &EntityType::ORGANIZATION),
            ["Solar Census"]
        );
        assert!(found("Ludwig is from Uppsala", &EntityType::ORGANIZATION).is_empty());
        assert_eq!(
            found(
                "Maha spent a year at New Media Parents",
                &EntityType::ORGANIZATION
            ),
            ["New Media"]
        );
        // The sentence's full stop is no part of the name ("Inc." keeps its own).
        assert_eq!(
            found("She joined Impaq International.", &EntityType::ORGANIZATION),
            ["Impaq International"]
        );
        assert_eq!(
            found(
                "The Avalara office is at 12 Main Street",
                &EntityType::ORGANIZATION
            ),
            ["Avalara"]
        );
        assert_eq!(
            found(
                "The Garmin Orchestra was founded in 1971.",
                &EntityType::ORGANIZATION
            ),
            ["Garmin"]
        );
        assert_eq!(
            found(
                "We'll meet Monday at Corelogic, 0896 69 Farnell Street",
                &EntityType::ORGANIZATION
            ),
            ["Corelogic"]
        );
        // List partners of an organisation are organisations.
        assert_eq!(
            found(
                "home city: Infocommerce Group, Citigroup and 3 Round Stones Inc.",
                &EntityType::ORGANIZATION
            ),
            ["Infocommerce Group", "Citigroup", "Round Stones Inc."]
        );
        // Lower-case text: ordinary words with a company word are not a company.
        assert!(
            found(
                "but the riff and building energy is a rock masterpiece",
                &EntityType::ORGANIZATION
            )
            .is_empty()
        );
    }
}
