//! Phone numbers: a permissive candidate pattern, then validation against
//! libphonenumber's metadata (the `phonenumber` crate) for international
//! numbers and a list of likely regions for national ones.

use crate::context::{Context, Occurrences};
use crate::pattern::compile;
use crate::per_thread::{LazyCaches, LocalRegex as Regex, PerThread};
use crate::{Candidate, Error};
use phonenumber::country::Id;
use std::sync::LazyLock;
use veil_core::EntityType;

/// Regions tried, in order, for numbers written without a `+` prefix.
pub const DEFAULT_REGIONS: &[Id] = &[
    Id::US,
    Id::GB,
    Id::DE,
    Id::FR,
    Id::IN,
    Id::AU,
    Id::BE,
    Id::NL,
    Id::IT,
    Id::ES,
    Id::BR,
    Id::FI,
];

/// The fewest digits a phone candidate has (its national part, the
/// extension aside); the most is 15.
pub const MIN_DIGITS: usize = 7;

/// Score of a number that libphonenumber accepts.
pub const VALID_SCORE: f32 = 0.75;
/// Score of a phone-shaped string that fails validation but has context.
pub const CONTEXT_ONLY_SCORE: f32 = 0.6;

/// The phone number recognizer.
pub struct PhoneRecognizer {
    name: &'static str,
    regex: Regex,
    context: Context,
}

impl PhoneRecognizer {
    /// Build the recognizer.
    pub fn new() -> Result<Self, Error> {
        Ok(PhoneRecognizer {
            name: "phone",
            regex: compile(
                "phone",
                r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]?\d{1,6}){0,6}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?",
            )?,
            context: Context::new(
                [
                    "phone",
                    "tel",
                    "telephone",
                    "mobile",
                    "cell",
                    "call",
                    "fax",
                    "contact",
                    "reach",
                    "number",
                    "text me",
                    "whatsapp",
                    "landline",
                    "ph",
                    "mob",
                    "answering",
                    "dial",
                ]
                .iter()
                .map(|s| s.to_string()),
            ),
        })
    }

    /// Append phone-number candidates in `text` to `out`.
    pub fn analyze(&self, text: &str, out: &mut Vec<Candidate>) {
        self.analyze_window(text, (0, text.len()), out);
    }

    /// Append candidates inside `window` (a byte range of `text` cut at whitespace).
    pub fn analyze_window(&self, text: &str, window: (usize, usize), out: &mut Vec<Candidate>) {
        let lowered = crate::context::ascii_lowered(text);
        let none = Occurrences::none();
        self.analyze_window_skipping(text, &lowered, &none, window, &[], out);
    }

    /// Its context words, to register with the keyword pass
    /// ([`Context::register`]).
    pub fn context_mut(&mut self) -> &mut Context {
        &mut self.context
    }

    /// As [`PhoneRecognizer::analyze_window`], but candidates lying inside one
    /// of `claimed` (sorted byte spans already found by a stronger
    /// recognizer) are left out: they could not win overlap resolution.
    /// `lowered` is [`crate::context::ascii_lowered`]`(text)` and `found`
    /// the keyword pass's occurrences in `text` (for context words,
    /// [`Context::near`]).
    pub fn analyze_window_skipping(
        &self,
        text: &str,
        lowered: &str,
        found: &Occurrences,
        window: (usize, usize),
        claimed: &[(usize, usize)],
        out: &mut Vec<Candidate>,
    ) {
        let bytes = text.as_bytes();
        for run in phone_runs(&bytes[window.0..window.1]) {
            let run = (window.0 + run.0, window.0 + run.1);
            self.analyze_run(text, lowered, found, run, claimed, out);
        }
    }

    /// [`PhoneRecognizer::analyze_window_skipping`] in one of its [`phone_runs`].
    fn analyze_run(
        &self,
        text: &str,
        lowered: &str,
        found: &Occurrences,
        run: (usize, usize),
        claimed: &[(usize, usize)],
        out: &mut Vec<Candidate>,
    ) {
        let bytes = text.as_bytes();
        for m in self.regex.find_iter(&text[run.0..run.1]) {
            let (start, end) = (run.0 + m.start(), run.0 + m.end());
            if start > 0
                && (bytes[start - 1].is_ascii_alphanumeric()
                    || bytes[start - 1] == b'-'
                    || bytes[start - 1] == b'.'
                    || bytes[start - 1] == b'/')
            {
                continue;
            }
            if end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'/') {
                continue;
            }
            if crate::validators::in_number_table(text, start, end)
                || crate::validators::machine_constant(text, start, end)
            {
                continue; // a constant in a table of numbers, or a mask
            }
            let s = m.as_str();
            let main = s.split(['x', 'e']).next().unwrap_or(s);
            let ndigits = main.bytes().filter(u8::is_ascii_digit).count();
            if !(MIN_DIGITS..=15).contains(&ndigits) {
                continue;
            }
            let shaped = s.starts_with('+')
                || s.contains('(')
                || s.bytes().any(|b| b == b' ' || b == b'-' || b == b'.');
            let dots = s.bytes().filter(|&b| b == b'.').count();
            // "01.84.17.61.18": the French way, five pairs of digits.
            let pairs = s.len() == 14
                && s.split('.')
                    .all(|g| g.len() == 2 && g.bytes().all(|b| b.is_ascii_digit()));
            if !pairs
                && (dots >= 3
                    || (dots >= 1
                        && !s.contains(' ')
                        && s.bytes().filter(|&b| b == b'-').count() == 0
                        && dots != 2))
            {
                continue; // IP addresses and decimals
            }
            if is_ssn_shaped(s) || date_shaped(s) || byte_dump(s, &text[..start], &text[end..]) {
                continue;
            }
            let i = claimed.partition_point(|&(a, _)| a <= start);
            if claimed[..i].iter().rev().take(8).any(|&(_, b)| b >= end) {
                continue;
            }
            let ctx = self.context.near(text, lowered, start, end, found);
            // A copyright's years ("2014-2011", "2015-2015") are no phone,
            // context or not (context words are matched at word starts, so
            // "Ph" of "Philip Withnall" after the years would count; an
            // eight-digit number written so is given up).
            if crate::validators::year_range(s)
                || zip_plus_four_after_a_state(s, &text[..start])
                || (!ctx && house_numbers_before_a_street(s, &text[end..]))
            {
                continue;
            }
            // Unformatted digit strings that are not 10–12 digits long are
            // order numbers and ids far more often than phones: only
            // context can make them phones, so skip the costly validation.
            let plain = !shaped && !(10..=12).contains(&ndigits);
            let valid = !plain && is_valid_phone(s);
            let score = match (valid, ctx, shaped) {
                (true, true, _) => 0.9,
                (true, false, _) => VALID_SCORE,
                (false, true, true) => CONTEXT_ONLY_SCORE,
                (false, true, false) => 0.4,
                (false, false, true) if ndigits >= 9 => 0.4,
                _ => 0.2,
            };
            out.push(Candidate {
                entity: EntityType::PHONE_NUMBER,
                start,
                end,
                score,
                recognizer: self.name,
            });
        }
    }
}

/// Per byte, what the candidate pattern makes of it: 0 for a byte it
/// cannot match, 2 for an ASCII digit, 1 for the separators `+ . - ( )`
/// and space and the letters of `x` and `ext.`.
static PHONE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = 2;
        d += 1;
    }
    let others = b"+ .-()xet";
    let mut k = 0;
    while k < others.len() {
        t[others[k] as usize] = 1;
        k += 1;
    }
    t
};

/// The maximal runs of bytes the candidate pattern can match in `hay`
/// ([`PHONE_CLASS`]) holding at least [`MIN_DIGITS`] digits, as byte
/// ranges. A candidate match holds only such bytes and the pattern looks
/// at nothing around its match, so searching each run finds the matches a
/// search of all of `hay` finds that have enough digits to be kept — while
/// a hex hash or base64 line, where letters cut every digit run short, is
/// never searched. One table lookup per byte and no branch on it but the
/// rare end of a long enough run.
fn phone_runs(hay: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut digits = 0;
    for (i, &b) in hay.iter().enumerate() {
        let class = PHONE_CLASS[usize::from(b)];
        let inside = usize::from(class != 0);
        // `&`, not `&&`: one branch, taken only at the end of a long run.
        if (inside == 0) & (digits >= MIN_DIGITS) {
            out.push((start, i));
        }
        digits = (digits + usize::from(class >> 1)) * inside;
        start = if inside == 1 { start } else { i + 1 };
    }
    if digits >= MIN_DIGITS {
        out.push((start, hay.len()));
    }
    out
}

/// Whether `s` is a US ZIP+4 code ("02110-1301": five digits, a dash,
/// four) after a state's two-letter abbreviation (`before`: the text
/// before it, "Boston, MA "): a postcode, never a phone, context or not.
fn zip_plus_four_after_a_state(s: &str, before: &str) -> bool {
    let b = s.as_bytes();
    let zip = b.len() == 10 && b[5] == b'-' && b[..5].iter().chain(&b[6..]).all(u8::is_ascii_digit);
    let state = before.trim_end_matches([' ', '\t']);
    let sb = state.as_bytes();
    zip && state.len() < before.len()
        && sb.len() >= 2
        && sb[sb.len() - 2..].iter().all(u8::is_ascii_uppercase)
        && sb
            .len()
            .checked_sub(3)
            .is_none_or(|k| !sb[k].is_ascii_alphanumeric())
}

/// Whether the phone-shaped `s`, digits in groups split by single spaces,
/// is followed by a word (`after`: the text after it): "9816 214 Pavlou
/// Drandaki", "70248 31 Rue de Tanger", "3747 3911 fourth avenue" are house
/// and street numbers before a street, not a phone (asked only where no
/// phone context stands near: "416 60 039 office" stays a phone).
fn house_numbers_before_a_street(s: &str, after: &str) -> bool {
    if !(s.contains(' ') && s.bytes().all(|b| b.is_ascii_digit() || b == b' ')) {
        return false;
    }
    let Some(rest) = after.strip_prefix(' ') else {
        return false;
    };
    let word = &rest[..rest
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(rest.len())];
    // A label after a number in a contact block: "96 228011 office".
    const LABELS_AFTER: &[&str] = &["office", "home", "work", "direct", "main", "desk"];
    !word.is_empty() && !LABELS_AFTER.iter().any(|l| l.eq_ignore_ascii_case(word))
}

/// Whether `s` is a calendar date written with one separator (`-`, `.`
/// or `/`), the year first ("2014.05.01", "2013-08-21") or last
/// ("23-08-2020", "08/23/2020"): a year from 1900 to 2099, a month from 1
/// to 12 and a day from 1 to 31, each of one or two digits.
fn date_shaped(s: &str) -> bool {
    // "1.5.1999" to "2014.05.01".
    if !(8..=10).contains(&s.len()) {
        return false;
    }
    let Some(sep) = s.chars().find(|c| !c.is_ascii_digit()) else {
        return false;
    };
    if !matches!(sep, '-' | '.' | '/') {
        return false;
    }
    let mut parts = s.split(sep);
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let number =
        |p: &str, len: std::ops::RangeInclusive<usize>, range: std::ops::RangeInclusive<u16>| {
            len.contains(&p.len())
                && p.bytes().all(|c| c.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| range.contains(&n))
        };
    let year = |p: &str| number(p, 4..=4, 1900..=2099);
    let month = |p: &str| number(p, 1..=2, 1..=12);
    let day = |p: &str| number(p, 1..=2, 1..=31);
    (year(a) && month(b) && day(c)) || (year(c) && ((day(a) && month(b)) || (month(a) && day(b))))
}

/// Whether `s`, groups of exactly two digits one space apart, is part of a
/// dump of bytes rather than a phone number: another two-character hex
/// group stands one space before or after it ("<Buffer 74 68 69 73 20 69
/// 73 20 61>": the pattern takes at most 15 digits of it), or its four or
/// more groups repeat one value or count up or down by one ("<Buffer 61
/// 61 61 61 61>", "01 02 03 04").
fn byte_dump(s: &str, before: &str, after: &str) -> bool {
    // "dd dd dd…": three groups or more of two digits, one space apart.
    let g = s.as_bytes();
    if g.get(2) != Some(&b' ') {
        return false;
    }
    let groups = (g.len() + 1) / 3;
    let shaped = g.len() >= 8
        && g.len() % 3 == 2
        && g.iter().enumerate().all(|(i, &c)| {
            if i % 3 == 2 {
                c == b' '
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return false;
    }
    let hex_pair = |p: &[u8]| p.len() == 2 && p.iter().all(u8::is_ascii_hexdigit);
    let (a, b) = (after.as_bytes(), before.as_bytes());
    let glued_after = a.len() >= 3
        && a[0] == b' '
        && hex_pair(&a[1..3])
        && a.get(3).is_none_or(|c| !c.is_ascii_alphanumeric());
    let n = b.len();
    let glued_before = n >= 3
        && b[n - 1] == b' '
        && hex_pair(&b[n - 3..n - 1])
        && (n == 3 || !b[n - 4].is_ascii_alphanumeric());
    let value = |k: usize| i16::from(g[3 * k] - b'0') * 10 + i16::from(g[3 * k + 1] - b'0');
    let step = value(1) - value(0);
    let counted = groups >= 4
        && (-1..=1).contains(&step)
        && (1..groups).all(|k| value(k) - value(k - 1) == step);
    glued_after || glued_before || counted
}

/// `ddd-dd-dddd`: the US SSN layout, never written for phone numbers.
fn is_ssn_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[3] == b'-'
        && b[6] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 3 || i == 6 || c.is_ascii_digit())
}

/// Whether `s` is a valid phone number: international numbers (`+…`) by
/// their own country code, others in any of [`DEFAULT_REGIONS`].
pub fn is_valid_phone(s: &str) -> bool {
    is_valid_with(&PROCESS_DB, s)
}

/// Load the process's phone database now rather than at the first phone
/// candidate (start-up work that can run beside other start-up work).
pub fn load_database() {
    LazyLock::force(&PROCESS_DB);
}

/// libphonenumber's metadata, the XML the `phonenumber` crate builds its
/// database from (same version; the tests check that it describes the
/// crate's database). Read here only for the region numbering and the tests.
static METADATA_XML: &str = include_str!("../data/PhoneNumberMetadata.xml");

/// The process's phone database: the `phonenumber` crate's own, which its
/// build script parsed from the same XML and stored in postcard form, so
/// start-up decodes it instead of parsing XML (18 M instructions less; the
/// patched regex-cache in vendor/ skips the syntax check of each pattern,
/// and `every_metadata_pattern_compiles` checks them in the tests). Threads
/// share it: validity is decided on patterns compiled here once per process
/// ([`valid_by_type`]), so only the crate's parser takes its regex-cache
/// lock. The crate compiles patterns lazily into a 100-entry LRU cache,
/// which thrashes with several regions in play; it is swapped for one that
/// holds every pattern.
static PROCESS_DB: LazyLock<&'static phonenumber::metadata::Database> = LazyLock::new(|| {
    let db: &'static phonenumber::metadata::Database = &phonenumber::metadata::DATABASE;
    if let Ok(mut cache) = db.cache().lock() {
        *cache = regex_cache::RegexCache::new(1 << 16);
    }
    db
});

/// A necessary condition for libphonenumber validity, exact and cheap: some
/// region of the number's country code has a general description (the
/// union of its number types, and the first thing the `phonenumber` crate
/// checks) that matches the national number, length included. Most
/// phone-shaped strings that are not phone numbers fail here, before the
/// crate's validation walks every region of the code (25 for +1) through
/// its locked regex cache. The general description is the region's own
/// [`RegionRules`] rule (compiled once, lock-free).
fn may_be_valid(db: &phonenumber::metadata::Database, n: &phonenumber::PhoneNumber) -> bool {
    let code = n.country().code();
    let Some(regions) = db.by_code(&code) else {
        return false;
    };
    let national = n.national().to_string();
    regions.iter().any(|meta| {
        rules_for(code, meta)
            .and_then(|rules| rules.general.matches(&national))
            // A region or pattern not known here: no shortcut.
            .unwrap_or(true)
    })
}

/// libphonenumber validity of `n`: decided by [`valid_by_type`] without the
/// crate's lock; where a pattern does not compile here, by the crate behind
/// the [`may_be_valid`] gate (which `valid_by_type` makes redundant: it
/// checks the general description itself).
fn valid_number(db: &phonenumber::metadata::Database, n: &phonenumber::PhoneNumber) -> bool {
    valid_by_type(db, n).unwrap_or_else(|| may_be_valid(db, n) && phonenumber::is_valid_with(db, n))
}

/// A national-number pattern with the lengths it allows (empty: any),
/// compiled at its first use ([`anchored_match`]).
struct TypeRule {
    lengths: Vec<u16>,
    source: String,
    re: std::sync::OnceLock<Option<MatchOnly>>,
}

/// A metadata pattern compiled as the crate matches it: anchored at the
/// start (the crate only uses matches that start there), whitespace
/// ignored (the patterns are written over several lines). National
/// numbers are ASCII digits, so ASCII classes match them as the Unicode
/// ones do, and compile several times faster. `None` when the `regex`
/// crate cannot compile it.
fn anchored(pattern: &str) -> Option<Regex> {
    regex::RegexBuilder::new(&format!("^(?:{pattern})"))
        .ignore_whitespace(true)
        .unicode(false)
        .build()
        .ok()
        .map(PerThread::new)
}

/// A metadata pattern only asked whether it matches at the start (type,
/// leading-digit and general patterns): as [`anchored`] — same syntax,
/// same answer to `is_match` — compiled as one forward lazy DFA, without
/// capture groups, and without the reverse NFA, the literal prefilter,
/// the full DFA and the other engines a `regex` compiles, none of which a
/// match test of a short number uses (a hundred or more are compiled per
/// process); the lazy DFA builds only the states the numbers met walk
/// through.
fn anchored_match(pattern: &str) -> Option<MatchOnly> {
    use regex_automata::hybrid::dfa::DFA;
    let dfa = DFA::builder()
        .syntax(
            regex_automata::util::syntax::Config::new()
                .ignore_whitespace(true)
                .unicode(false),
        )
        .thompson(
            regex_automata::nfa::thompson::Config::new()
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::None),
        )
        .build(&format!("^(?:{pattern})"))
        .ok()?;
    let caches = LazyCaches::new(&dfa);
    Some(MatchOnly { dfa, caches })
}

/// A pattern compiled by [`anchored_match`]: its lazy DFA and a cache per
/// worker.
struct MatchOnly {
    dfa: regex_automata::hybrid::dfa::DFA,
    caches: LazyCaches,
}

impl MatchOnly {
    /// Whether the pattern matches at the start of `s`; `None` should the
    /// lazy DFA fail (it has no byte to quit on and never gives up on its
    /// cache, so it does not).
    fn is_match(&self, s: &str) -> Option<bool> {
        let mut cache = self.caches.lock(&self.dfa);
        let input = regex_automata::Input::new(s)
            .anchored(regex_automata::Anchored::Yes)
            .earliest(true);
        self.dfa
            .try_search_fwd(&mut cache, &input)
            .ok()
            .map(|m| m.is_some())
    }
}

impl TypeRule {
    /// A descriptor's pattern and lengths (compiled when first matched).
    fn of(d: &phonenumber::metadata::Descriptor) -> TypeRule {
        TypeRule {
            lengths: d.possible_length().to_vec(),
            source: d.national_number().as_str().to_string(),
            re: std::sync::OnceLock::new(),
        }
    }

    /// As the crate's `Descriptor::is_match`: length, then a match at the
    /// start; `None` when the pattern does not compile here.
    fn matches(&self, national: &str) -> Option<bool> {
        if !(self.lengths.is_empty() || self.lengths.contains(&(national.len() as u16))) {
            return Some(false);
        }
        let re = self
            .re
            .get_or_init(|| anchored_match(&self.source))
            .as_ref()?;
        re.is_match(national)
    }
}

/// One region's number-type patterns as the crate's validator reads them
/// (its leading digits are apart, in [`LEADING`]: choosing among the
/// regions of a code needs only those).
struct RegionRules {
    general: TypeRule,
    /// Every number type that makes a number valid (premium rate, toll
    /// free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed
    /// line, mobile).
    types: Vec<TypeRule>,
}

impl RegionRules {
    /// The region's patterns, each compiled at its first use.
    fn new(meta: &phonenumber::metadata::Metadata) -> RegionRules {
        let d = meta.descriptors();
        // Whether any type matches does not depend on their order: the
        // common ones first, so most valid numbers compile only those.
        let types = [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ]
        .into_iter()
        .flatten()
        .map(TypeRule::of)
        .collect();
        RegionRules {
            general: TypeRule::of(d.general()),
            types,
        }
    }

    /// The crate's `number_type(..) != Unknown`; `None` when a pattern it
    /// needs does not compile here.
    fn has_type(&self, national: &str) -> Option<bool> {
        if !self.general.matches(national)? {
            return Some(false);
        }
        for t in &self.types {
            if t.matches(national)? {
                return Some(true);
            }
        }
        Some(false)
    }
}

/// Per (country code, region id): the region's number-type rules, each
/// pattern compiled at its first use, once per process, shared by all threads.
static RULES: RegionSlots<RegionRules> = RegionSlots::new();

/// Every (country code, region id) of the shipped metadata, numbered (the
/// non-geographic entities share the id "001"). Read-only once built.
static REGION_INDEX: LazyLock<rustc_hash::FxHashMap<(u16, u32), usize>> = LazyLock::new(|| {
    let mut index = rustc_hash::FxHashMap::default();
    for tag in METADATA_XML.split("<territory ").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let attr = |name: &str| tag.split(name).nth(1)?.split('"').next();
        let code = attr(" countryCode=\"").and_then(|c| c.parse::<u16>().ok());
        if let (Some(id), Some(code)) = (attr("id=\""), code) {
            let next = index.len();
            index.entry((code, region_key(id))).or_insert(next);
        }
    }
    index
});

/// One value per (country code, region id) of [`REGION_INDEX`], built on
/// first use and then read by every thread without a lock or a reference
/// count (two threads that miss together wait for one build).
struct RegionSlots<V>(LazyLock<Vec<std::sync::OnceLock<V>>>);

/// The empty slots of a [`RegionSlots`].
fn empty_slots<V>() -> Vec<std::sync::OnceLock<V>> {
    (0..REGION_INDEX.len())
        .map(|_| std::sync::OnceLock::new())
        .collect()
}

impl<V> RegionSlots<V> {
    const fn new() -> Self {
        RegionSlots(LazyLock::new(empty_slots::<V>))
    }

    /// The value of `key`, built by `make` on first use; `None` for a key
    /// the shipped metadata does not have.
    fn get_or_make(&'static self, key: (u16, u32), make: impl FnOnce() -> V) -> Option<&'static V> {
        let &i = REGION_INDEX.get(&key)?;
        Some(self.0.get(i)?.get_or_init(make))
    }
}

/// A region id as one number (its bytes, at most four).
fn region_key(id: &str) -> u32 {
    id.bytes().take(4).fold(0, |k, b| (k << 8) | u32::from(b))
}

/// The rules of `meta` (a region of `code`); `None` for a region the
/// shipped metadata lacks. One lookup (the caller tries a code's regions in turn).
fn rules_for(code: u16, meta: &phonenumber::metadata::Metadata) -> Option<&'static RegionRules> {
    RULES.get_or_make((code, region_key(meta.id())), || RegionRules::new(meta))
}

/// The `phonenumber` crate's `is_valid_with`, step for step (the region a
/// number belongs to among those sharing its code: the first whose leading
/// digits match, or without leading digits the first where it has a type;
/// then whether it has a type there), on patterns compiled here, so
/// no call takes the crate's regex-cache lock. `None` when a pattern does
/// not compile here: the caller asks the crate.
fn valid_by_type(
    db: &phonenumber::metadata::Database,
    n: &phonenumber::PhoneNumber,
) -> Option<bool> {
    valid_national(db, n.country().code(), &n.national().to_string())
}

/// [`valid_by_type`] of the number with country code `code` and national
/// (significant) number `national`, as the crate prints it.
fn valid_national(db: &phonenumber::metadata::Database, code: u16, national: &str) -> Option<bool> {
    match source_meta(db, code, national)? {
        None => Some(false),
        Some(meta) => rules_for(code, meta)?.has_type(national),
    }
}

fn is_valid_with(db: &phonenumber::metadata::Database, s: &str) -> bool {
    let main = without_extension(s);
    if s.trim_start().starts_with('+') {
        let parsed = plain_digits(&main[1..])
            .then(|| parse_international(db, main, main.len() == s.len()))
            .flatten();
        return valid_parsed(db, parsed, || {
            phonenumber::parse_with(db, None, s).is_ok_and(|n| valid_number(db, &n))
        });
    }
    // Pick the regions whose national numbers can look like this one, so that
    // libphonenumber (costly per call) runs on few of them.
    let digits: String = s
        .chars()
        .take_while(|&c| c != 'x' && c != 'e')
        .filter(char::is_ascii_digit)
        .collect();
    let candidates: &[Id] = match (digits.as_bytes().first(), digits.len()) {
        (Some(b'0'), _) => &[
            Id::GB,
            Id::DE,
            Id::FR,
            Id::AU,
            Id::BE,
            Id::NL,
            Id::IT,
            Id::FI,
            Id::IN,
            Id::BR,
        ],
        (Some(b'1'), 11) => &[Id::US],
        (_, 10) => &[Id::US, Id::IN, Id::IT],
        (_, 9) => &[Id::ES, Id::IT, Id::FR],
        _ => &[Id::DE, Id::IT, Id::BR],
    };
    let plain = plain_digits(main);
    candidates
        .iter()
        .filter(|r| DEFAULT_REGIONS.contains(r))
        .any(|&r| {
            let parsed = plain.then(|| parse_national(db, r, &digits)).flatten();
            valid_parsed(db, parsed, || {
                phonenumber::parse_with(db, Some(r), s).is_ok_and(|n| valid_number(db, &n))
            })
        })
}

/// Validity of what [`parse_national`] or [`parse_international`] read
/// (`None`: they could not tell), or of `crate_says` where a pattern it
/// needs does not compile here.
fn valid_parsed(
    db: &phonenumber::metadata::Database,
    parsed: Option<Option<(u16, String)>>,
    crate_says: impl FnOnce() -> bool,
) -> bool {
    let fast = match parsed {
        Some(Some((code, national))) => valid_national(db, code, &national),
        Some(None) => Some(false),
        None => None,
    };
    fast.unwrap_or_else(crate_says)
}

/// `s` without the extension the crate's parser cuts off before it reads
/// the number, where that extension is `x` and one to seven ASCII digits
/// at the end, straight after a digit (`463-612-6138x036`: libphonenumber
/// reads extensions of up to seven digits, and validity does not depend on
/// them); `s` itself otherwise. The crate then reads what is left as it
/// reads that text alone, but that the `x` keeps it from trying the RFC
/// 3966 reading first (`extensions_do_not_change_the_crates_parse`), so the
/// lock-free parsers read it too, instead of the crate's parser (~70,000
/// instructions a number).
fn without_extension(s: &str) -> &str {
    let b = s.as_bytes();
    let ext = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    let x = b.len() - ext;
    match (x.checked_sub(2).and_then(|i| b.get(i..x)), ext) {
        (Some([d, b'x']), 1..=7) if d.is_ascii_digit() => &s[..x - 1],
        _ => s,
    }
}

/// The ASCII digits of `s`, in order.
fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `s` holds only ASCII digits and the separators ` .-()`: the
/// numbers [`parse_national`] and [`parse_international`] read.
fn plain_digits(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || b" .-()".contains(&b))
}

/// What the `phonenumber` crate's parser needs of one region, compiled
/// here (each pattern anchored at the start, as the crate only uses its
/// matches there) so that parsing takes no lock and runs no parser
/// combinators.
struct ParseRules {
    code: u16,
    code_digits: String,
    /// The international dialling prefix ("011", "00").
    idd: Option<Regex>,
    national_prefix: Option<String>,
    /// The national prefix as written when parsing (carrier codes included).
    for_parsing: Option<Regex>,
    transform: Option<String>,
    general: TypeRule,
    general_local: Vec<u16>,
}

impl ParseRules {
    /// `None` when a pattern does not compile with the `regex` crate.
    fn new(meta: &phonenumber::metadata::Metadata) -> Option<ParseRules> {
        let general = meta.descriptors().general();
        Some(ParseRules {
            code: meta.country_code(),
            code_digits: meta.country_code().to_string(),
            idd: match meta.international_prefix() {
                Some(r) => Some(anchored(r.as_str())?),
                None => None,
            },
            national_prefix: meta.national_prefix().map(str::to_string),
            for_parsing: match meta.national_prefix_for_parsing() {
                Some(r) => Some(anchored(r.as_str())?),
                None => None,
            },
            transform: meta.national_prefix_transform_rule().map(str::to_string),
            general: TypeRule::of(general),
            general_local: general.possible_local_length().to_vec(),
        })
    }

    /// The crate's `validator::length(meta, number, Type::Unknown)` for a
    /// national number of `len` digits.
    fn length(&self, len: usize) -> phonenumber::Validation {
        use phonenumber::Validation as V;
        let possible = &self.general.lengths;
        let (Some(&min), Some(&max)) = (possible.first(), possible.last()) else {
            return V::InvalidLength;
        };
        let len = len as u16;
        if self.general_local.contains(&len) {
            V::IsPossibleLocalOnly
        } else if len == min {
            V::IsPossible
        } else if len < min {
            V::TooShort
        } else if len > max {
            V::TooLong
        } else if possible.contains(&len) {
            V::IsPossible
        } else {
            V::InvalidLength
        }
    }

    /// The crate's `helper::national_number` followed by the national
    /// prefix strip of its `parse_with`; `None` where the crate would panic.
    fn strip_national_prefix(&self, national: &str) -> Option<String> {
        let mut out = national.to_string();
        match &self.for_parsing {
            None => {
                if let Some(p) = &self.national_prefix
                    && out.starts_with(p.as_str())
                {
                    out.drain(..p.len());
                }
            }
            Some(parsing) => {
                if let Some(caps) = parsing.captures(national) {
                    let end = caps.get(0).map_or(0, |m| m.end());
                    let viable = self.general.matches(national)?;
                    let last = caps.get(caps.len() - 1);
                    match &self.transform {
                        Some(rule) if last.is_some() => {
                            caps.get(1)?;
                            let transformed = parsing.replace(national, rule.as_str()).into_owned();
                            if !viable || self.general.matches(&transformed)? {
                                out = transformed;
                            }
                        }
                        // The crate compares the general pattern with the
                        // number itself here (`national[start..]`, start 0),
                        // so its "keep the prefix" test never holds.
                        _ => {
                            out.drain(..end);
                        }
                    }
                }
            }
        }
        if let Some(p) = &self.national_prefix
            && out.starts_with(p.as_str())
        {
            out.drain(..p.len());
        }
        Some(out)
    }
}

/// Per (country code, region id): the region's [`ParseRules`], `None`
/// where they do not compile. Compiled on first use, once per process,
/// shared by all threads.
static PARSE_RULES: RegionSlots<Option<ParseRules>> = RegionSlots::new();

/// The [`ParseRules`] of `meta`; `None` if they do not compile.
fn parse_rules(meta: &phonenumber::metadata::Metadata) -> Option<&'static ParseRules> {
    PARSE_RULES
        .get_or_make((meta.country_code(), region_key(meta.id())), || {
            ParseRules::new(meta)
        })?
        .as_ref()
}

/// The crate's `validator::source_for`: the region whose rules read a
/// number of country code `code` (national number `national`, leading
/// zeros removed) — `Some(None)` for none, `None` where a pattern does not
/// compile here.
fn source_meta<'a>(
    db: &'a phonenumber::metadata::Database,
    code: u16,
    national: &str,
) -> Option<Option<&'a phonenumber::metadata::Metadata>> {
    let Some(regions) = db.region(&code) else {
        return Some(None);
    };
    if regions.len() == 1 {
        return Some(if regions[0] == "001" {
            db.by_code(&code).and_then(|m| m.into_iter().next())
        } else if regions[0].parse::<Id>().is_ok() {
            db.by_id(regions[0])
        } else {
            None
        });
    }
    for region in &regions {
        let meta = db.by_id(*region)?;
        let hit = match leading_for(code, meta)? {
            Some(l) => l.is_match(national)?,
            None => rules_for(code, meta)?.has_type(national)?,
        };
        if hit {
            return Some(Some(meta));
        }
    }
    Some(None)
}

/// Per (country code, region id): the region's leading-digits pattern —
/// `None` where it does not compile, `Some(None)` for a region without one.
static LEADING: RegionSlots<Option<Option<MatchOnly>>> = RegionSlots::new();

/// The leading-digits pattern of `meta` (a region of `code`): `None` if it
/// does not compile, `Some(None)` if the region has none.
fn leading_for(
    code: u16,
    meta: &phonenumber::metadata::Metadata,
) -> Option<Option<&'static MatchOnly>> {
    LEADING
        .get_or_make((code, region_key(meta.id())), || {
            match meta.leading_digits() {
                Some(l) => anchored_match(l.as_str()).map(Some),
                None => Some(None),
            }
        })?
        .as_ref()
        .map(Option::as_ref)
}

/// The `phonenumber` crate's `parse_with(db, None, s)` for `s` written as
/// `+` then ASCII digits and ` .-()` only, step for step (answers as
/// [`parse_national`]'s). Proptested against the crate. `rfc3966`: whether
/// the crate tries its RFC 3966 reading first, as it does for the whole
/// text; it does not for what is left of a text whose extension
/// [`without_extension`] cut off (the `x` fails that reading).
fn parse_international(
    db: &phonenumber::metadata::Database,
    s: &str,
    rfc3966: bool,
) -> Option<Option<(u16, String)>> {
    let rest = &s[1..];
    // Read as RFC 3966 when it has no spaces: the country code is the
    // first group, up to a separator, if the number goes on after it.
    let rfc_code = (rfc3966 && !s.contains(' '))
        .then(|| rest.find(['-', '.', '(', ')']))
        .flatten()
        .filter(|&cut| cut > 0);
    let (code, national) = match rfc_code {
        Some(cut) => {
            let national = digits_of(&rest[cut..]);
            if national.len() < 3 {
                return Some(None);
            }
            match rest[..cut].parse::<u16>() {
                Ok(code) if db.by_code(&code).is_some() => (code, national),
                _ => return Some(None),
            }
        }
        None => {
            let all = digits_of(rest);
            if all.len() < 3 || all.starts_with('0') {
                return Some(None);
            }
            let found = (1..=3).find_map(|len| {
                let c: u16 = all[..len].parse().ok()?;
                db.by_code(&c).map(|_| (c, len))
            });
            let Some((code, len)) = found else {
                return Some(None);
            };
            (code, all[len..].to_string())
        }
    };
    let rules = match source_meta(db, code, national.trim_start_matches('0'))? {
        Some(meta) => Some(parse_rules(meta)?),
        None => None,
    };
    finish_parse(rules, code, &national)
}

/// The end of the crate's `parse_with`: the national prefix stripped where
/// what is left is long enough, then its length and `NationalNumber` checks.
fn finish_parse(
    rules: Option<&ParseRules>,
    code: u16,
    national: &str,
) -> Option<Option<(u16, String)>> {
    let national = match rules {
        Some(rules) => {
            let potential = rules.strip_national_prefix(national)?;
            if rules.length(potential.len()) != phonenumber::Validation::TooShort {
                potential
            } else {
                national.to_string()
            }
        }
        None => national.to_string(),
    };
    if !(2..=17).contains(&national.len()) {
        return Some(None);
    }
    // `NationalNumber`: leading zeros counted, the rest a number < 2^56.
    let rest = national.trim_start_matches('0');
    match rest.parse::<u64>() {
        Ok(v) if v < 1 << 56 => Some(Some((code, national))),
        _ => Some(None),
    }
}

/// The `phonenumber` crate's `parse_with(db, Some(region), s)` for `s`
/// written with ASCII digits and ` .-()` only (no `+`, no extension), step
/// for step, given `digits`, the digits of `s`: both of the crate's readings
/// of such a string (RFC 3966 without spaces, "natural" with them)
/// normalise to them. `Some(Some((country code, national number)))` where
/// the crate parses it, `Some(None)` where it fails, `None` where a pattern
/// does not compile here (ask the crate). Proptested against the crate.
fn parse_national(
    db: &phonenumber::metadata::Database,
    region: Id,
    digits: &str,
) -> Option<Option<(u16, String)>> {
    let meta = db.by_id(region.as_ref())?;
    let rules = parse_rules(meta)?;
    // Viable by the crate's test when it has three digits (fewer: ask it).
    if digits.len() < 3 {
        return None;
    }
    let mut national: &str = digits;
    let mut code = rules.code;
    let after_idd = rules
        .idd
        .as_ref()
        .and_then(|re| re.find(national))
        .map(|m| m.end())
        .filter(|&end| !national[end..].starts_with('0'));
    if let Some(end) = after_idd {
        // Dialled from abroad: the country code follows the prefix.
        national = &national[end..];
        if national.len() <= 2 {
            return Some(None);
        }
        let found = (1..=3).find_map(|len| {
            let c: u16 = national[..len].parse().ok()?;
            db.by_code(&c).map(|_| (c, len))
        });
        let Some((c, len)) = found else {
            return Some(None);
        };
        code = c;
        national = &national[len..];
    } else if national.starts_with(rules.code_digits.as_str())
        && (!rules.general.matches(national)? || !rules.length(national.len()).is_possible())
    {
        national = &national[rules.code_digits.len()..];
    }
    finish_parse(Some(rules), code, national)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_plus_four_after_a_state_is_no_phone() {
        assert!(zip_plus_four_after_a_state("02110-1301", "Boston, MA "));
        assert!(zip_plus_four_after_a_state("02110-1301", "MA  "));
        // Not after a state's abbreviation, or not a ZIP+4.
        assert!(!zip_plus_four_after_a_state("02110-1301", "call "));
        assert!(!zip_plus_four_after_a_state("02110-1301", "CALL "));
        assert!(!zip_plus_four_after_a_state("02110-1301", "MA"));
        assert!(!zip_plus_four_after_a_state("617-555-0143", "MA "));
    }

    #[test]
    fn dates_year_ranges_and_byte_dumps_are_no_phones() {
        for d in [
            "2014.05.01",
            "2013-08-21",
            "23-08-2020",
            "08/23/2020",
            "1.5.1999",
        ] {
            assert!(date_shaped(d), "{d}");
        }
        // Not a date: a month or day out of range, a phone's groups.
        for p in [
            "2014.13.01",
            "23-08-2200",
            "555.123.4567",
            "202-555-1999",
            "06-12-3456",
        ] {
            assert!(!date_shaped(p), "{p}");
        }
        for r in ["2011-2014", "2014-2011", "2015-2015"] {
            assert!(crate::validators::year_range(r), "{r}");
        }
        assert!(!crate::validators::year_range("2345-6789"));
        // Bytes: another hex group beside them, or a count.
        assert!(byte_dump("74 68 69 73 20 69 73", "<Buffer ", " 20 61>"));
        assert!(byte_dump("20 61 20 74", "<Buffer 6a ", ">"));
        assert!(byte_dump("61 61 61 61 61", "<Buffer ", ">"));
        assert!(byte_dump("01 02 03 04", "<Buffer ", ">"));
        assert!(byte_dump("08 07 06 05 04 03 02", "", ""));
        // A French number, and groups beside words that are no hex.
        assert!(!byte_dump("01 23 45 67 89", "appelez le ", " ou"));
        assert!(!byte_dump("06 12 34 56 78", "tel: ", " et 10h"));
        assert!(!byte_dump("22 33 44 55", "ring ", "."));
        assert!(!byte_dump("617-555-0143", " ", " 20"));
    }

    #[test]
    fn every_region_of_the_database_has_a_slot() {
        let db = &*phonenumber::metadata::DATABASE;
        let ids: Vec<String> = METADATA_XML
            .split("<territory id=\"")
            .skip(1)
            .filter_map(|t| t.split('"').next().map(str::to_string))
            .collect();
        for id in &ids {
            if let Some(meta) = db.by_id(id) {
                let key = (meta.country_code(), region_key(meta.id()));
                assert!(REGION_INDEX.contains_key(&key), "{id}");
            }
        }
        assert!(REGION_INDEX.len() >= 250);
        assert!(parse_rules(db.by_id("GB").unwrap()).is_some());
        let us = db.by_id("US").unwrap();
        assert!(std::ptr::eq(
            rules_for(1, us).unwrap(),
            rules_for(1, us).unwrap()
        ));
    }

    #[test]
    fn region_keys_are_distinct() {
        let ids: Vec<String> = METADATA_XML
            .split("<territory id=\"")
            .skip(1)
            .filter_map(|t| t.split('"').next().map(str::to_string))
            .collect();
        assert!(ids.len() > 200, "{} regions", ids.len());
        assert!(ids.iter().all(|id| id.len() <= 4), "ids fit a key");
        let keys: std::collections::HashSet<(u32, &str)> =
            ids.iter().map(|id| (region_key(id), id.as_str())).collect();
        let distinct: std::collections::HashSet<u32> = keys.iter().map(|k| k.0).collect();
        assert_eq!(distinct.len(), keys.len());
    }

    /// Every regex the `phonenumber` crate builds from the metadata, for both
    /// databases it can use here (ours from the shipped XML, the crate's own).
    fn metadata_patterns(db: &phonenumber::metadata::Database) -> Vec<String> {
        let codes: std::collections::BTreeSet<u16> = METADATA_XML
            .split("countryCode=\"")
            .skip(1)
            .filter_map(|t| t.split('"').next()?.parse().ok())
            .collect();
        let mut out = Vec::new();
        for code in codes {
            for meta in db.by_code(&code).unwrap_or_default() {
                let d = meta.descriptors();
                let descriptors = [
                    Some(d.general()),
                    d.fixed_line(),
                    d.mobile(),
                    d.toll_free(),
                    d.premium_rate(),
                    d.shared_cost(),
                    d.personal_number(),
                    d.voip(),
                    d.pager(),
                    d.uan(),
                    d.emergency(),
                    d.voicemail(),
                    d.short_code(),
                    d.standard_rate(),
                    d.carrier(),
                    d.no_international(),
                ];
                out.extend(
                    descriptors
                        .into_iter()
                        .flatten()
                        .map(|d| d.national_number().as_str().to_string()),
                );
                let singles = [
                    meta.international_prefix(),
                    meta.national_prefix_for_parsing(),
                    meta.leading_digits(),
                ];
                out.extend(
                    singles
                        .into_iter()
                        .flatten()
                        .map(|r| r.as_str().to_string()),
                );
                for f in meta.formats().iter().chain(meta.international_formats()) {
                    out.push(f.pattern().as_str().to_string());
                    out.extend(f.leading_digits().iter().map(|r| r.as_str().to_string()));
                }
            }
        }
        out
    }

    /// The database in use (the crate's, decoded from its build-time
    /// postcard form) is the one the shipped XML describes: same regions,
    /// same patterns in the same order, same possible lengths.
    #[test]
    fn the_crates_database_is_the_shipped_metadata() {
        let ours = phonenumber::metadata::Database::parse(METADATA_XML).unwrap();
        let used: &phonenumber::metadata::Database = &PROCESS_DB;
        assert_eq!(metadata_patterns(&ours), metadata_patterns(used));
        let lengths = |db: &phonenumber::metadata::Database| -> Vec<String> {
            let mut out = Vec::new();
            for &(code, _) in REGION_INDEX.keys() {
                for meta in db.by_code(&code).unwrap_or_default() {
                    let g = meta.descriptors().general();
                    out.push(format!(
                        "{code} {} {:?} {:?}",
                        meta.id(),
                        g.possible_length(),
                        g.possible_local_length()
                    ));
                }
            }
            out.sort();
            out
        };
        assert_eq!(lengths(&ours), lengths(used));
        assert!(lengths(used).len() > 250);
    }

    /// The patched regex-cache (vendor/regex-cache) no longer checks each
    /// pattern's syntax when the database loads; a pattern that did not
    /// compile would fail at match time instead. This proves none can: each
    /// compiles with the `regex` crate under the crate's flags.
    #[test]
    fn every_metadata_pattern_compiles() {
        let ours = phonenumber::metadata::Database::parse(METADATA_XML).unwrap();
        for db in [&ours, &*phonenumber::metadata::DATABASE] {
            let patterns = metadata_patterns(db);
            assert!(patterns.len() > 4_000, "{} patterns", patterns.len());
            for p in &patterns {
                let built = regex::RegexBuilder::new(p).ignore_whitespace(true).build();
                assert!(built.is_ok(), "{p:?}: {built:?}");
            }
        }
    }

    /// The match-only compilation gives every metadata pattern the answer
    /// of the full one ([`anchored`]) on digit strings of every length a
    /// national number has, and compiles exactly the patterns it compiles.
    #[test]
    fn match_only_patterns_agree_with_full_ones() {
        let ours = phonenumber::metadata::Database::parse(METADATA_XML).unwrap();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut numbers: Vec<String> = (0..300)
            .map(|i| {
                (0..1 + i % 17)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        char::from(b'0' + (state % 10) as u8)
                    })
                    .collect()
            })
            .collect();
        numbers.extend(["", "0", "1", "2025550173", "7911123456", "0612345678"].map(String::from));
        for p in metadata_patterns(&ours) {
            let (full, only) = (anchored(&p), anchored_match(&p));
            assert_eq!(full.is_some(), only.is_some(), "{p:?}");
            if let (Some(full), Some(only)) = (full, only) {
                for n in &numbers {
                    assert_eq!(Some(full.is_match(n)), only.is_match(n), "{p:?} on {n:?}");
                }
            }
        }
    }

    #[test]
    fn validates_real_formats() {
        assert!(is_valid_phone("+1-202-555-0173") || is_valid_phone("+1 212 736 5000"));
        assert!(is_valid_phone("+44 20 7946 0958"));
        assert!(is_valid_phone("(212) 736-5000"));
        assert!(!is_valid_phone("123"));
    }

    #[test]
    fn finds_numbers_with_context() {
        let r = PhoneRecognizer::new().unwrap();
        let mut out = Vec::new();
        let t = "Call me at (212) 736-5000 tomorrow";
        r.analyze(t, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(&t[out[0].start..out[0].end], "(212) 736-5000");
        assert!(out[0].score >= 0.9);
        // A local number no region validates: context alone makes it one.
        let mut out = Vec::new();
        r.analyze("They're not answering at 329 7730", &mut out);
        assert!(out.iter().any(|c| c.score >= CONTEXT_ONLY_SCORE));
        let mut out = Vec::new();
        r.analyze("We counted 329 7730 grains", &mut out);
        assert!(out.iter().all(|c| c.score < 0.5));
    }

    /// The phone numbers `r` reports in `t` (scoring 0.5 or more).
    fn reported(r: &PhoneRecognizer, t: &str) -> Vec<String> {
        let mut out = Vec::new();
        r.analyze(t, &mut out);
        out.into_iter()
            .filter(|c| c.score >= 0.5)
            .map(|c| t[c.start..c.end].to_string())
            .collect()
    }

    #[test]
    fn house_numbers_before_a_street_are_no_phone() {
        let r = PhoneRecognizer::new().unwrap();
        let found = |t: &str| reported(&r, t);
        // Each of these numbers is a valid phone number on its own.
        assert_eq!(found("The restaurant is at 9816 214"), ["9816 214"]);
        assert!(found("The restaurant is at 9816 214 Pavlou Drandaki").is_empty());
        assert!(found("The bus drops you off at 70248 31 Rue de Tanger").is_empty());
        assert!(found("naomi ryan, 3747 3911 fourth avenue").is_empty());
        // With a phone context, or a contact block's label after it, a phone.
        assert_eq!(found("Call 9816 214 Pavlou today"), ["9816 214"]);
        assert_eq!(found("96 228011 office\n"), ["96 228011"]);
        assert_eq!(found("96 228011 Office"), ["96 228011"]);
    }

    #[test]
    fn french_numbers_in_dotted_pairs_are_phones_and_ip_addresses_are_not() {
        let r = PhoneRecognizer::new().unwrap();
        let found = |t: &str| reported(&r, t);
        assert_eq!(
            found("Can someone call me on 01.84.17.61.18? I have questions"),
            ["01.84.17.61.18"]
        );
        assert!(found("the host 10.84.17.61 answered").is_empty());
        assert!(found("version 12.84.17.61.18.3 shipped").is_empty());
    }

    /// `digits` parsed as a national number in every default region, or
    /// with a `+` in front (the code is then the number's first digits),
    /// with a label saying which.
    fn parsed(
        db: &phonenumber::metadata::Database,
        digits: &str,
        international: bool,
    ) -> Vec<(String, phonenumber::PhoneNumber)> {
        let candidates: Vec<(Option<Id>, String)> = if international {
            vec![(None, format!("+{digits}"))]
        } else {
            DEFAULT_REGIONS
                .iter()
                .map(|&r| (Some(r), digits.to_string()))
                .collect()
        };
        candidates
            .into_iter()
            .filter_map(|(region, s)| {
                let n = phonenumber::parse_with(db, region, &s).ok()?;
                Some((format!("{s} in {region:?}"), n))
            })
            .collect()
    }

    #[test]
    fn phone_runs_skip_letters_and_short_runs() {
        let hay = b"sha 3f9a2b7c41d0e5 call (555) 123-4567 ext. 89 or 12.34";
        let runs: Vec<&str> = phone_runs(hay)
            .iter()
            .map(|&(a, b)| std::str::from_utf8(&hay[a..b]).unwrap())
            .collect();
        assert_eq!(runs, [" (555) 123-4567 ext. 89 "]);
    }

    proptest::proptest! {
        /// Searching the runs keeps every candidate a search of the whole
        /// window keeps (same spans, same scores, same order).
        #[test]
        fn runs_find_what_the_whole_window_finds(text in "([0-9]{1,4}|[ .()+-]|x|ext\\.?|[a-z]{1,3}|é|\\n)*") {
            let p = PhoneRecognizer::new().unwrap();
            let lowered = crate::context::ascii_lowered(&text);
            let mut runs = Vec::new();
            p.analyze_window_skipping(&text, &lowered, &Occurrences::none(), (0, text.len()), &[], &mut runs);
            let mut whole = Vec::new();
            p.analyze_run(&text, &lowered, &Occurrences::none(), (0, text.len()), &[], &mut whole);
            let key = |c: &Vec<Candidate>| c.iter().map(|c| (c.start, c.end, c.score.to_bits())).collect::<Vec<_>>();
            proptest::prop_assert_eq!(key(&runs), key(&whole), "{:?}", text);
        }
    }

    proptest::proptest! {
        /// The gate is exact as a necessary condition: whatever the
        /// `phonenumber` crate calls valid passes it, national or international.
        #[test]
        fn gate_never_rejects_a_valid_number(digits in "[0-9]{6,13}", plus in 0usize..4) {
            let db = &*phonenumber::metadata::DATABASE;
            for (s, n) in parsed(db, &digits, plus != 0) {
                if phonenumber::is_valid_with(db, &n) {
                    proptest::prop_assert!(may_be_valid(db, &n), "{}", s);
                }
            }
        }
    }

    proptest::proptest! {
        /// The lock-free validator says what the `phonenumber` crate says,
        /// national numbers in every default region and international ones.
        #[test]
        fn validator_agrees_with_the_crate(digits in "[0-9]{5,13}", plus in 0usize..3) {
            let db = &*phonenumber::metadata::DATABASE;
            for (s, n) in parsed(db, &digits, plus != 0) {
                proptest::prop_assert_eq!(
                    valid_by_type(db, &n),
                    Some(phonenumber::is_valid_with(db, &n)),
                    "{}", s
                );
            }
        }
    }

    proptest::proptest! {
        /// What [`without_extension`] cuts off changes nothing the crate's
        /// parser reads: a national number with the extension parses
        /// (country code, national number, validity) or fails as the number
        /// without it does, in every default region; an international one
        /// is read by [`parse_international`] without the RFC 3966 reading
        /// as the crate reads it whole, and judged valid as the crate does.
        #[test]
        fn extensions_do_not_change_the_crates_parse(
            plus in proptest::bool::ANY,
            head in "(|0|1|44|49|33|39|91|61|55)",
            groups in proptest::collection::vec(("[0-9]{1,5}", "(| |-|\\.)"), 1..5),
            paren in proptest::bool::ANY,
            ext in "[0-9]{1,7}",
        ) {
            let db = &*phonenumber::metadata::DATABASE;
            let mut s = String::from(if plus { "+" } else { "" });
            for (k, (g, sep)) in groups.iter().enumerate() {
                if k == 0 && paren && groups.len() > 1 {
                    s.push_str(&format!("({head}{g}) "));
                } else {
                    s.push_str(if k == 0 { &head } else { sep });
                    s.push_str(g);
                }
            }
            let with = format!("{s}x{ext}");
            proptest::prop_assert_eq!(without_extension(&with), s.as_str());
            let read = |r: Option<Id>, text: &str| {
                phonenumber::parse_with(db, r, text)
                    .ok()
                    .map(|n| (n.country().code(), n.national().to_string(), valid_number(db, &n)))
            };
            if plus {
                // The crate's reading of the whole text, and ours of what
                // is left without the extension.
                let crate_says = phonenumber::parse_with(db, None, &with)
                    .ok()
                    .map(|n| (n.country().code(), n.national().to_string()));
                proptest::prop_assert_eq!(
                    parse_international(db, &s, false),
                    Some(crate_says),
                    "{:?}", with
                );
            } else {
                for &r in DEFAULT_REGIONS {
                    let r = Some(r);
                    proptest::prop_assert_eq!(read(r, &with), read(r, &s), "{:?} in {:?}", with, r);
                }
            }
            if plus {
                let by_crate = read(None, &with).is_some_and(|x| x.2);
                proptest::prop_assert_eq!(is_valid_phone(&with), by_crate, "{:?}", with);
            }
        }
    }

    /// Only an `x` and one to seven digits after a digit are cut off.
    #[test]
    fn only_short_x_extensions_are_cut_off() {
        assert_eq!(without_extension("463-612-6138x036"), "463-612-6138");
        assert_eq!(
            without_extension("+1-903-140-4508x7690123"),
            "+1-903-140-4508"
        );
        for kept in [
            "463-612-6138x12345678",
            "463-612-6138 x036",
            "463-612-6138x",
            "463-612-6138ext036",
            "463-612-6138X036",
            "x036",
            "4x",
            "",
        ] {
            assert_eq!(without_extension(kept), kept);
        }
        assert!(is_valid_phone("(212) 736-5000x12"));
        assert!(!is_valid_phone("1234x56"));
    }

    proptest::proptest! {
        /// The lock-free parser reads national numbers as the crate does:
        /// the same country code and national number, or the same failure.
        #[test]
        fn national_parser_agrees_with_the_crate(
            head in "(|0|00|011|1|44|49|33|39|91|61|55|0044|0049|01144)",
            groups in proptest::collection::vec(("[0-9]{1,5}", "(| |-|\\.)"), 1..6),
            paren in proptest::bool::ANY,
        ) {
            let db = &*phonenumber::metadata::DATABASE;
            let mut s = String::new();
            for (k, (g, sep)) in groups.iter().enumerate() {
                if k == 0 && paren {
                    s.push_str(&format!("({head}{g}) "));
                } else {
                    s.push_str(if k == 0 { &head } else { sep });
                    s.push_str(g);
                }
            }
            for &r in DEFAULT_REGIONS {
                let crate_says = phonenumber::parse_with(db, Some(r), &s)
                    .ok()
                    .map(|n| (n.country().code(), n.national().to_string()));
                let ours = parse_national(db, r, &digits_of(&s));
                if ours.is_some() || s.bytes().filter(u8::is_ascii_digit).count() >= 3 {
                    proptest::prop_assert_eq!(ours, Some(crate_says), "{:?} in {:?}", s, r);
                }
            }
        }
    }

    proptest::proptest! {
        /// International numbers too: the same country code and national
        /// number as the crate, or the same failure.
        #[test]
        fn international_parser_agrees_with_the_crate(
            code in "(|1|7|20|33|39|44|49|61|91|0|00|800|882|979|1268|441)",
            groups in proptest::collection::vec(("[0-9]{1,5}", "(| |-|\\.)"), 1..6),
            paren in proptest::bool::ANY,
            sep in "(| |-|\\.)",
        ) {
            let db = &*phonenumber::metadata::DATABASE;
            let mut s = format!("+{code}{sep}");
            for (k, (g, gsep)) in groups.iter().enumerate() {
                if k == 0 && paren {
                    s.push_str(&format!("({g}) "));
                } else {
                    if k > 0 {
                        s.push_str(gsep);
                    }
                    s.push_str(g);
                }
            }
            let crate_says = phonenumber::parse_with(db, None, &s)
                .ok()
                .map(|n| (n.country().code(), n.national().to_string()));
            proptest::prop_assert_eq!(parse_international(db, &s, true), Some(crate_says), "{:?}", s);
        }
    }

    #[test]
    fn national_parser_reads_real_numbers() {
        let db = &*phonenumber::metadata::DATABASE;
        for (region, s, code, national) in [
            (Id::US, "(212) 736-5000", 1, "2127365000"),
            (Id::US, "1-212-736-5000", 1, "2127365000"),
            (Id::US, "011 44 20 7946 0958", 44, "2079460958"),
            (Id::GB, "07912 345678", 44, "7912345678"),
            (Id::DE, "030 901820", 49, "30901820"),
            (Id::FR, "06 31 96 65 43", 33, "631966543"),
            (Id::IT, "02 3661 8300", 39, "0236618300"),
            (Id::BR, "0 21 2555-1234", 55, "2125551234"),
        ] {
            assert_eq!(
                parse_national(db, region, &digits_of(s)),
                Some(Some((code, national.to_string()))),
                "{s}"
            );
        }
        for (s, code, national) in [
            ("+1-212-736-5000", 1, "2127365000"),
            ("+44 20 7946 0958", 44, "2079460958"),
            ("+39 02 3661 8300", 39, "0236618300"),
            ("+800 1234 5678", 800, "12345678"),
        ] {
            assert_eq!(
                parse_international(db, s, true),
                Some(Some((code, national.to_string()))),
                "{s}"
            );
        }
    }

    #[test]
    fn validator_agrees_on_real_numbers() {
        let db = &*phonenumber::metadata::DATABASE;
        for (region, s) in [
            (None, "+1 650 253 0000"),
            (None, "+44 20 7946 0958"),
            (None, "+800 1234 5678"),
            (None, "+39 02 3661 8300"),
            (None, "+1 268 464 1234"),
            (Some(Id::US), "(212) 736-5000"),
            (Some(Id::GB), "07912 345678"),
            (Some(Id::DE), "030 901820"),
            (Some(Id::FR), "06 31 96 65 43"),
            (Some(Id::US), "027-066-1551"),
        ] {
            let n = phonenumber::parse_with(db, region, s).unwrap();
            assert_eq!(
                valid_by_type(db, &n),
                Some(phonenumber::is_valid_with(db, &n)),
                "{s}"
            );
        }
    }

    #[test]
    fn gate_rejects_impossible_numbers_and_passes_real_ones() {
        let db = &*phonenumber::metadata::DATABASE;
        let de = phonenumber::parse_with(db, Some(Id::DE), "2270-66-1551").unwrap();
        assert!(phonenumber::is_valid_with(db, &de) && may_be_valid(db, &de));
        // No +1 region has ten-digit numbers starting with 0.
        let us = phonenumber::parse_with(db, Some(Id::US), "027-066-1551").unwrap();
        assert!(!may_be_valid(db, &us) && !phonenumber::is_valid_with(db, &us));
        let intl = phonenumber::parse_with(db, None, "+44 20 7946 0958").unwrap();
        assert!(may_be_valid(db, &intl));
    }
}
