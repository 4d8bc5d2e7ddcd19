//! PERSON and LOCATION without a model: gazetteers plus context.
//!
//! The text is split into word tokens; places are matched first (longest
//! gazetteer n-gram), then runs of capitalised tokens are judged as person
//! names from what each token is (a known first or last name, an ordinary
//! English word, unknown) and from the context around the run: titles,
//! greetings, sign-offs, "my name is", sentence position. Names that are
//! also words ("Will", "Grace Hall") need a second name token or a cue;
//! names no list holds need a cue or a known name beside them.

use crate::Candidate;
use crate::context::{ascii_lowered, lower_slice};
use crate::gazetteer::{Gazetteer, Lex, PlaceKind, class};
use crate::validators::line_before;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::sync::LazyLock;
use veil_core::EntityType;

/// A fixed word list as a hash set, built on first use.
struct WordSet(LazyLock<HashSet<&'static str>>);

impl WordSet {
    fn contains(&self, w: &str) -> bool {
        self.0.contains(w)
    }
}

macro_rules! word_set {
    ($set:ident = $($list:ident)|+) => {
        static $set: WordSet = WordSet(LazyLock::new(|| {
            [$($list),+].iter().flat_map(|l| l.iter().copied()).collect()
        }));
    };
}

word_set!(PERSON_CUE_SET = PERSON_CUES_BEFORE | I_AM_CUES | MY_NAME_IS_CUES);
word_set!(PLACE_CUE_SET = PLACE_CUES_BEFORE);
word_set!(PLACE_STRONG_SET = PLACE_CUES_STRONG);
word_set!(STRONG_CUE_SET = STRONG_PERSON_CUES | I_AM_CUES | MY_NAME_IS_CUES);
/// The strong place cues of more than one word ("grew up in", not "in").
static PLACE_PHRASE_SET: WordSet = WordSet(LazyLock::new(|| {
    PLACE_CUES_STRONG
        .iter()
        .copied()
        .filter(|c| c.contains(' '))
        .collect()
}));
word_set!(NAMING_CUE_SET = NAMING_CUES | MY_NAME_IS_CUES);

/// "I am" in the languages support chats come in: person cues, strong
/// ones ([`STRONG_PERSON_CUES`], [`PERSON_CUES_BEFORE`]).
const I_AM_CUES: &[&str] = &["ich bin", "je suis", "ik ben"];

/// "My name is" in those languages: person cues, strong ones, and naming
/// cues ([`NAMING_CUES`]).
const MY_NAME_IS_CUES: &[&str] = &[
    "me llamo",
    "mi nombre es",
    "mi chiamo",
    "je m'appelle",
    "mein name ist",
    "meu nome é",
    "me chamo",
];

/// Cues that say the next word is what someone is called, even an
/// ordinary word ("her maiden name is Key", "call me Will").
const NAMING_CUES: &[&str] = &[
    "starring",
    "directed by",
    "my name is",
    "name is",
    "name's",
    "call me",
    "calls me",
    "named him",
    "named her",
    "says",
    "said",
    "this is",
    "name?",
];

/// Cues that make even a name that is also a word ("Will") a name.
const STRONG_PERSON_CUES: &[&str] = &[
    "my name is",
    "name is",
    "dear",
    "hi",
    "hello",
    "hey",
    "hola",
    "ciao",
    "salut",
    "bonjour",
    "hallo",
    "hej",
    "olá",
    "thanks",
    "regards",
    "sincerely",
    "cheers",
    "best",
    "i am",
    "i'm",
];

/// One word of the text, as the name recognizers see it.
#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    /// Byte offset of the first character.
    pub(crate) start: usize,
    /// Byte offset past the last character.
    pub(crate) end: usize,
    /// The word as written.
    pub(crate) text: &'a str,
    /// The word in lower case.
    pub(crate) lower: Cow<'a, str>,
    /// Capitalised (and not the pronoun "I'm").
    pub(crate) cap: bool,
    /// A single capital letter.
    pub(crate) initial: bool,
    /// First word of a sentence, line or quotation.
    pub(crate) sent_start: bool,
    /// What the lists say about `lower`: empty from [`tokenize`], filled
    /// by [`NameRecognizer::analyze`] (one lookup per token).
    pub(crate) lex: Lex,
}

impl Token<'_> {
    /// A surname particle written in lower case ("van", "de").
    pub(crate) fn is_particle(&self) -> bool {
        self.lex.is(class::PARTICLE) && self.text == self.lower.as_ref()
    }

    /// No capital after its first letter ("Ahtisaari", not "CMake") and
    /// spelt like a name ([`crate::spelling::spelt_like_a_name`]).
    fn spelt_like_a_name(&self) -> bool {
        self.text.chars().skip(1).all(char::is_lowercase)
            && crate::spelling::spelt_like_a_name(self.text)
    }

    /// A word no list holds, of letters only, standing as a word of prose
    /// in `text` ([`stands_in_prose`]): what text without capitals may
    /// take as a name by its spelling alone.
    fn unlisted_prose_word(&self, text: &str) -> bool {
        self.lex.is_unlisted()
            && self.text.chars().all(char::is_alphabetic)
            && stands_in_prose(text, self)
    }
}

/// Phrases before a name that mark it as a person's.
const PERSON_CUES_BEFORE: &[&str] = &[
    "says",
    "said",
    "directed by",
    "starring",
    "written by",
    "call me",
    "my name is",
    "name is",
    "name's",
    "i am",
    "i'm",
    "this is",
    "dear",
    "hi",
    "hello",
    "hey",
    "hola",
    "ciao",
    "salut",
    "bonjour",
    "bonsoir",
    "hallo",
    "hej",
    "olá",
    "moin",
    "servus",
    "thanks",
    "thank you",
    "regards",
    "sincerely",
    "cheers",
    "best",
    "yours",
    "love",
    "from",
    "by",
    "with",
    "contact",
    "ask for",
    "call",
    "met",
    "meet",
    "named",
    "called",
    "name:",
    "patient",
    "customer",
    "client",
    "author",
    "signed",
    "cc:",
    "to:",
    "attn",
    "wife",
    "husband",
    "son",
    "daughter",
    "friend",
    "mother",
    "father",
    "colleague",
    "manager",
    "boss",
    "and",
    "told",
    "asked",
    "tell",
    "ask",
    "thank",
    "welcome",
    "congratulations",
    "named him",
    "named her",
    "name?",
    "last name",
    "first name",
    "surname",
    "shouted at",
    "said to",
    "calls me",
];

/// Words after a name that mark it as a person's.
const PERSON_CUES_AFTER: &[&str] = &[
    "'s",
    "’s",
    " said",
    " says",
    " wrote",
    " writes",
    " told",
    " asked",
    " replied",
    " called",
    " is from",
    " spent",
    " shouted",
    " is very",
    " is so",
    " will be",
    " and his",
    " and her",
    " from ",
    " went",
    " loves",
    " likes",
    " has",
    " had",
    " will",
    " and his",
    " and her",
    " himself",
    " herself",
    " who",
    " listed",
    " thinks",
    " began",
    " lives",
    " lived",
    " was born",
    " grew up",
    " died",
    " married",
];

/// [`PERSON_CUES_AFTER`] in one automaton that only matches at the start.
static PERSON_CUES_AFTER_AC: LazyLock<Option<aho_corasick::AhoCorasick>> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .start_kind(aho_corasick::StartKind::Anchored)
        .build(PERSON_CUES_AFTER)
        .ok()
});

/// Whether `after` (lower-cased text after a name) opens with one of
/// [`PERSON_CUES_AFTER`]: one anchored automaton search, not one
/// comparison per cue.
fn opens_with_person_cue(after: &str) -> bool {
    match &*PERSON_CUES_AFTER_AC {
        Some(ac) => ac
            .find(aho_corasick::Input::new(after).anchored(aho_corasick::Anchored::Yes))
            .is_some(),
        None => PERSON_CUES_AFTER.iter().any(|c| after.starts_with(c)),
    }
}

/// Words that open a question or request after a name and a comma
/// ("Warrane, can I…"): the name is someone spoken to.
const ADDRESS_OPENERS: &[&str] = &[
    "can", "could", "would", "will", "please", "i", "you", "we", "do", "are", "have", "did",
];

/// Whether `after` (lower-cased text after a name at a sentence start)
/// is ", " and one of [`ADDRESS_OPENERS`] as a whole word.
fn opens_with_address(after: &str) -> bool {
    after.strip_prefix(", ").is_some_and(|rest| {
        let word = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        ADDRESS_OPENERS.contains(&word)
    })
}

/// Words before a place name that mark it as a place.
const PLACE_CUES_BEFORE: &[&str] = &[
    "in", "at", "from", "to", "near", "of", "visit", "visiting", "via", "into", "city", "town",
    "live", "lives", "moved", "born", "based", "around", "across",
    // "in", "from", "to" in the languages support chats come in: Spanish
    // and French "en", French "à", Portuguese "em", German "aus", "nach",
    // Dutch "uit" ("vivo en Madrid", "j'habite à Lyon").
    "en", "à", "em", "aus", "nach", "uit",
];

/// The [`crate::spelling::name_likeness`] that makes a word no list holds
/// a name candidate in text without capitals, where nothing else marks
/// names: stricter than mid-sentence capitals need (on 626 kB of package
/// documentation scanned line by line, 0.3 and 0.6 found "frotz", "gitk",
/// "schannels" in lines without capitals; 0.9 nothing).
const LOWERCASE_NAME_LIKE: f32 = 0.9;

/// Whether a token stands as a word of prose, not inside code, a path or
/// an identifier: after the start, whitespace, a quote or `(`; before the
/// end, whitespace, `, ; : ! ? " ' )` (not a macro's `!(`, `![`, `!{`),
/// or a full stop that ends a sentence.
fn stands_in_prose(text: &str, t: &Token<'_>) -> bool {
    let b = text.as_bytes();
    let before_ok = t.start == 0
        || matches!(
            b[t.start - 1],
            b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'('
        );
    let after_ok = match b.get(t.end) {
        None => true,
        Some(b'.') => b.get(t.end + 1).is_none_or(|c| c.is_ascii_whitespace()),
        // "json!(…)", "vec![…]": a macro's call.
        Some(b'!') => !matches!(b.get(t.end + 1), Some(b'(' | b'[' | b'{')),
        Some(c) => matches!(
            c,
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b';' | b':' | b'!' | b'?' | b'"' | b'\'' | b')'
        ),
    };
    before_ok && after_ok
}

/// Nouns after "the <Name>" that make the name a product's or a body's
/// ("the Debian package", "the Mozilla project"), singular.
const THING_NOUNS: &[&str] = &[
    "package",
    "project",
    "browser",
    "license",
    "licence",
    "foundation",
    "software",
    "library",
    "framework",
    "app",
    "application",
    "platform",
    "team",
    "community",
    "kernel",
    "distribution",
    "distro",
    "server",
    "client",
    "tool",
    "toolkit",
    "api",
    "sdk",
    "plugin",
    "extension",
    "language",
    "compiler",
    "system",
    "protocol",
    "format",
    "file",
    "code",
    "source",
    "version",
    "release",
    "repository",
    "repo",
    "website",
    "site",
    "page",
    "service",
    "product",
    "brand",
    "company",
    "group",
    "store",
    "shop",
    "office",
    "headquarter",
    "band",
    "song",
    "river",
    "valley",
    "mountain",
    "island",
    "region",
    "province",
    "district",
    "city",
    "town",
    "village",
];

/// Words that end a place's name ("Coominglah Forest", "Oamaru Central").
const PLACE_TAILS: &[&str] = &[
    "forest", "park", "village", "green", "central", "heights", "hill", "hills", "bay", "beach",
    "falls", "springs", "valley", "island", "islands", "city", "town", "creek", "ridge", "grove",
    "harbour", "harbor", "lake", "north", "south", "east", "west", "junction", "vale", "wood",
    "woods",
];

/// Works named after their author or maker ("the Tolkien novel", "the
/// Kubrick film").
const WORK_NOUNS: &[&str] = &[
    "novel",
    "novels",
    "book",
    "books",
    "film",
    "films",
    "movie",
    "movies",
    "album",
    "albums",
    "play",
    "plays",
    "poem",
    "poems",
    "biography",
    "memoir",
    "trilogy",
    "saga",
    "opera",
    "symphony",
    "painting",
    "paintings",
];

/// Street types that end a street's name written without a house number
/// ("on Marina Fort Street"), as written: capitalised, in full.
const STREET_WORDS: &[&str] = &["Street", "Road", "Avenue", "Lane", "Boulevard", "Drive"];

/// Phrases before an unknown capitalised word that make it a place.
const PLACE_CUES_STRONG: &[&str] = &[
    "flew to",
    "fly to",
    "flying to",
    "grew up in",
    "live in",
    "lives in",
    "living in",
    "lived in",
    "moved to",
    "born in",
    "based in",
    "located in",
    "i'm in",
    "i am in",
    "trip to",
    "travel to",
    "travelling to",
    "traveling to",
    "visit",
    "visiting",
    "city of",
    "town of",
    "originally from",
    "from",
    "in",
    "near",
    "where:",
    "arrived at",
    "arrived in",
    "stay in",
    "staying in",
    "hometown",
    "home city",
    "home town",
    "returned to",
    "return to",
    "went to",
    "drove to",
    "travelled to",
    "traveled to",
    "headed to",
    "relocated to",
    "moving to",
    "university of",
];

/// A text part-way through the name pass's stages
/// ([`NameRecognizer::start_pass`]): its words and what the later stages
/// read.
pub(crate) struct NamePass<'a> {
    text: &'a str,
    lowered: &'a str,
    /// The words outside blobs and attributes; none when the pass has
    /// nothing more to do.
    tokens: Vec<Token<'a>>,
    /// Blobs (encoded data, hashes) in the text.
    blobs: Vec<(usize, usize)>,
    /// The words a finding has taken.
    used: Vec<bool>,
    lowercase_text: bool,
    shouting: bool,
    /// Whether an institution's name may stand in the text.
    institutions: bool,
    /// Whether the text is German, which capitalises every noun: a
    /// capitalised word no list holds is then no name without more.
    nouns_capitalised: bool,
}

/// What the case of a text's words says of a run of capitalised words.
#[derive(Debug, Clone, Copy)]
struct Case {
    /// Text without capitals or shouted: case says little.
    weak: bool,
    /// German text: a capitalised word may be any noun.
    nouns_capitalised: bool,
}

/// The PERSON and LOCATION recognizer.
pub struct NameRecognizer {
    person: &'static str,
    location: &'static str,
    quasi: crate::quasi::QuasiRecognizer,
}

impl Default for NameRecognizer {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether the text between two words breaks a sentence (a line, a
/// quotation, a list item): one of these characters stands in it.
fn is_sentence_break(gap: &str) -> bool {
    gap.bytes().any(|c| {
        matches!(
            c,
            b'.' | b'!' | b'?' | b'\n' | b':' | b';' | b'"' | b'(' | b'[' | b'|' | b'\t'
        )
    }) || (!gap.is_ascii() && gap.contains(['“', '•']))
}

/// Split `text` into word tokens (letters, inner apostrophes and hyphens).
/// `lowered` is [`ascii_lowered`]`(text)`. The text is walked byte by byte,
/// characters decoded only at non-ASCII bytes; an ASCII word borrows its
/// lower-case form from `lowered` (no allocation per word), a word with
/// other letters is lower-cased on its own. Property-tested to give the
/// tokens of the character-by-character reference, `tokenize_chars`.
pub(crate) fn tokenize<'a>(text: &'a str, lowered: &'a str) -> Vec<Token<'a>> {
    let b = text.as_bytes();
    let borrow_lower = lowered.len() == text.len();
    let mut tokens = Vec::with_capacity(text.len() / 6 + 1);
    let mut prev_end = 0;
    let mut i = 0;
    while i < b.len() {
        let c = BYTE_CLASS[usize::from(b[i])];
        if c & LETTER == 0 {
            if c & NON_ASCII == 0 {
                i += 1;
                continue;
            }
            let ch = char_at(text, i);
            if !ch.is_alphabetic() {
                i += ch.len_utf8();
                continue;
            }
        }
        let start = i;
        let mut ascii = true;
        let mut end = i;
        // The case bits of the word's ASCII letters.
        let mut cases = 0u8;
        while end < b.len() {
            let d = b[end];
            let k = BYTE_CLASS[usize::from(d)];
            if k & LETTER != 0 {
                cases |= k;
                end += 1;
            } else if k & NON_ASCII == 0 {
                if (d == b'\'' || d == b'-') && inner_joiner(text, end + 1) {
                    end += 1;
                } else {
                    break;
                }
            } else {
                let ch = char_at(text, end);
                if ch.is_alphabetic() || (ch == '’' && inner_joiner(text, end + ch.len_utf8())) {
                    ascii = false;
                    end += ch.len_utf8();
                } else {
                    break;
                }
            }
        }
        let word = &text[start..end];
        // The same facts the character-by-character reference computes,
        // from the case bits for ASCII words (most of them): a first capital
        // adds no lower-case bit, so "no lower case after the first letter"
        // is "no lower case bit" whenever the first letter is a capital.
        let (first_upper, rest_upper, nchars, lower) = if ascii {
            (
                b[start].is_ascii_uppercase(),
                cases & LOWER == 0,
                end - start,
                if borrow_lower {
                    Cow::Borrowed(&lowered[start..end])
                } else if cases & UPPER != 0 {
                    Cow::Owned(word.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(word)
                },
            )
        } else {
            unicode_word_facts(word)
        };
        let sent_start = tokens.is_empty() || is_sentence_break(&text[prev_end..start]);
        tokens.push(Token {
            start,
            end,
            text: word,
            lower,
            // "I'm", "I'll", "I've", "I'd": the pronoun, never part of a name
            cap: first_upper
                && (nchars == 1 || !rest_upper || nchars >= 3)
                && !word.starts_with("I'")
                && !word.starts_with("I’"),
            initial: nchars == 1 && first_upper,
            sent_start,
            lex: Lex::default(),
        });
        prev_end = end;
        i = end;
    }
    tokens
}

/// `lower` (a lower-case word) with the diacritics of its Latin letters
/// taken off ("muñoz" → "munoz", "françois" → "francois", "łukasz" →
/// "lukasz", "jürgen" → "jurgen"); `None` when it holds another
/// non-ASCII character (another script: no list spells it) or none.
fn without_diacritics(lower: &str) -> Option<String> {
    let mut out = String::with_capacity(lower.len());
    let mut changed = false;
    for c in lower.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let plain = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'ð' | 'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'ĥ' | 'ħ' => "h",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ĵ' => "j",
            'ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'œ' => "oe",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'ß' => "ss",
            'ś' | 'ŝ' | 'ş' | 'š' => "s",
            'ţ' | 'ť' | 'ŧ' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            '’' => "'",
            _ => return None,
        };
        out.push_str(plain);
        changed = true;
    }
    changed.then_some(out)
}

/// Whether `word` is an identifier written in camel case ("HashMap",
/// "StateID", "DeserializeError", "KeyError", "ZipFile": a capital right
/// after a lower-case letter, with three letters or more before it —
/// names joined that way have a shorter first part or one of a few
/// three-letter ones: "McDonald", "DeShawn", "LaToya", "DiCaprio",
/// "MacArthur", "VanDyke", "LeeAnn"; "FitzGerald" is let through too),
/// one that opens with two capitals or more before a lower-case letter
/// ("OSError", "CPython", "ABCMeta", "SSLSocket"; not "ONeill", "DSouza"),
/// or an acronym's plural
/// ("DFAs", "APIs"). None is a name.
fn camel_case(word: &str) -> bool {
    /// The three-letter first parts of names joined in camel case.
    const NAME_HEADS: &[&[u8]] = &[
        b"mac", b"van", b"von", b"des", b"del", b"dal", b"den", b"der", b"ten", b"ter", b"lee",
        b"rae", b"kay", b"dee", b"jay", b"ann", b"may", b"sue", b"lou", b"mae", b"joy", b"lyn",
        b"ver",
    ];
    let b = word.as_bytes();
    if b.len() >= 3 && b[b.len() - 1] == b's' && b[..b.len() - 1].iter().all(u8::is_ascii_uppercase)
    {
        return true;
    }
    // Two capitals or more before a lower-case letter, but for an Irish or
    // Indian surname without its apostrophe ("ONeill", "DSouza").
    if b.len() > 2 && b[0].is_ascii_uppercase() && b[1].is_ascii_uppercase() {
        let caps = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
        if b.get(caps).is_some_and(u8::is_ascii_lowercase)
            && !(caps == 2 && matches!(b[0], b'O' | b'D'))
        {
            return true;
        }
    }
    // A three-letter first part counts before a word ("KeyError",
    // "RawIOBase"), not a last capital ("GmbH").
    (1..b.len()).any(|i| {
        b[i].is_ascii_uppercase()
            && b[i - 1].is_ascii_lowercase()
            && (i >= 4
                || (i == 3
                    && b.len() > 4
                    && !NAME_HEADS.iter().any(|h| b[..3].eq_ignore_ascii_case(h))))
            && !b[..i].eq_ignore_ascii_case(b"fitz")
    })
}

/// The word `lower` is the plural of, when it ends like one:
/// "redistributions" → "redistribution" (words of five letters or more;
/// not "-ss": "Voss"). Agent nouns are not read so: "Lankester" and
/// "Pallinger" are surnames, though "lankest" and "palling" are words.
fn inflected_stem(lower: &str) -> Option<&str> {
    if lower.len() < 5 || !lower.is_ascii() {
        return None;
    }
    lower.strip_suffix('s').filter(|stem| !stem.ends_with('s'))
}

/// Whether the words in capitals ending at `end` are an acronym naming
/// what follows, a constant of code or a word cut at the line's end rather
/// than a place ("in HTTP parser", "in UTF-8", "HTTP/2", "in CONNEC-\nTION",
/// "if c in OCTDIGITS:", "(x in WSP)"): before a bracket's close or a
/// block's `:` ending the line, glued to `-`
/// or `/` before a digit or a line break, or followed by one space and an
/// ordinary lower-case word that no place is followed by ("I am in ISE
/// for a business trip", "arrived at HART this morning" stay places).
fn acronym_before(text: &str, end: usize, g: &Gazetteer) -> bool {
    let after = &text[end..];
    // A constant of code: "if c in OCTDIGITS:", "for base in HKEYS:",
    // "f(x in WSP)".
    if matches!(
        after.as_bytes(),
        [b')' | b']', ..] | [b':'] | [b':', b'\n' | b'\r', ..]
    ) {
        return true;
    }
    if let [b'-' | b'/', c, ..] = after.as_bytes()
        && (c.is_ascii_digit() || *c == b'\n')
    {
        return true;
    }
    let Some(rest) = after.strip_prefix(' ') else {
        return false;
    };
    // (Before a product's name, "in WHATWG URL", its one caller's
    // `before_a_product` answers for every run.)
    let n = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    if n < 3
        || rest
            .as_bytes()
            .get(n)
            .is_some_and(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let word = &rest[..n];
    let lex = g.lex(word);
    lex.is(class::WORD)
        && !lex.is(class::QUASI_STOP | class::STOP)
        && !AFTER_A_PLACE.contains(&word)
}

/// Whether the words ending at `end` of `text` stand one space before the
/// name of a piece of software, a protocol or a format
/// ([`class::PRODUCT`]): they name a kind of it, not a place ("in WHATWG
/// URL errors", "in CLI REPL", "in Metadata XML database").
fn before_a_product(text: &str, end: usize, g: &Gazetteer) -> bool {
    let Some(rest) = text[end..].strip_prefix(' ') else {
        return false;
    };
    let word = rest
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    word.len() >= 2 && g.lex(&word.to_ascii_lowercase()).is(class::PRODUCT)
}

/// Lower-case words that follow a place's name in a sentence ("in Oslo
/// today", "from Bergen and", "in Oslo where").
const AFTER_A_PLACE: &[&str] = &[
    "and",
    "but",
    "nor",
    "yet",
    "so",
    "then",
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "now",
    "soon",
    "again",
    "last",
    "next",
    "since",
    "until",
    "till",
    "when",
    "where",
    "while",
    "because",
    "after",
    "before",
    "during",
    "which",
    "who",
    "whom",
    "whose",
    "are",
    "were",
    "has",
    "had",
    "have",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "did",
    "does",
    "right",
    "area",
    "city",
    "town",
    "region",
    "province",
    "county",
    "state",
    "country",
    "all",
    "alone",
    "too",
    "also",
    "though",
    "although",
    "once",
    "every",
    "each",
    "some",
    "many",
    "most",
    "recently",
    "already",
    "still",
    "early",
    "late",
    "later",
    "earlier",
    "over",
    "near",
    "into",
    "onto",
    "up",
    "down",
    "out",
    "off",
    "about",
    "around",
    "through",
    "via",
    "per",
    "than",
    "like",
    "unlike",
    "unless",
    "whereas",
    "whenever",
    "wherever",
];

/// Whether the one-word town `tokens[i]` is part of a person's name
/// written beside it (one space apart): after a listed first name (a rare
/// one only when it is no place or product itself) when the town is a
/// surname too ("Ruben Bridgewater", "Barry Warsaw", "Kohei Takahashi"), or
/// before a surname ("Chengzhong Wu"). Ordinary words, places and stop words beside it make no name
/// ("Houston Rockets", "Paris Texas").
fn beside_a_name(text: &str, tokens: &[Token<'_>], i: usize, g: &Gazetteer) -> bool {
    let adjacent = |a: &Token<'_>, b: &Token<'_>| &text[a.end..b.start] == " ";
    let plain =
        |t: &Token<'_>| t.cap && !t.initial && !t.lex.is(class::WORD | class::STOP | class::TITLE);
    let t = &tokens[i];
    let name_spelt = |t: &Token<'_>| {
        t.lex.is_unlisted() && !shouted(t) && crate::spelling::spelt_like_a_name(t.text)
    };
    let first_before = i > 0
        && adjacent(&tokens[i - 1], t)
        && plain(&tokens[i - 1])
        && ((tokens[i - 1].lex.first().is_some_and(|f| {
            f >= 0.01
                || !(tokens[i - 1].lex.is(class::PRODUCT)
                    || g.places.contains_key(tokens[i - 1].lower.as_ref()))
        }) && (t.lex.last().is_some() || name_spelt(t)))
            // "Yosuke Furukawa": a first name no list holds before a town
            // that is a listed surname.
            || (name_spelt(&tokens[i - 1])
                && !g.places.contains_key(tokens[i - 1].lower.as_ref())
                && t.lex.last().is_some()));
    let surname_after = tokens.get(i + 1).is_some_and(|n| {
        adjacent(t, n)
            && plain(n)
            && n.lex.first().is_none()
            && n.lex.last().is_some_and(|r| r <= 20000)
            && !t.lex.is(class::WORD)
            && !shouted(n)
            && !g.places.contains_key(n.lower.as_ref())
    });
    first_before || surname_after
}

/// Generational suffixes and degrees written after a name ("Jr.",
/// "PhD"), lower case: part of the name they follow, never a name alone.
const POSTNOMINALS: &[&str] = &["jr", "sr", "phd", "dds", "esq"];

/// Whether the one-word place `tokens[i]` of `text` stands beside its
/// region, one comma apart: a US state's abbreviation after it ("Boston,
/// MA 02110", "Austin, TX."), a country or a state named after it
/// ("Boston, Massachusetts", "Berkeley, California") or before it
/// ("University of California, Berkeley"); or, being a country or a state
/// itself, after a town ("Cambridge, England"): a place, not a person,
/// though its name is one too.
fn region_beside(text: &str, tokens: &[Token<'_>], i: usize, g: &Gazetteer) -> bool {
    let region = |t: &Token<'_>| {
        t.cap
            && matches!(
                g.places.get(t.lower.as_ref()),
                Some(PlaceKind::Country | PlaceKind::State)
            )
    };
    let t = &tokens[i];
    let own = g.places.get(t.lower.as_ref());
    if let Some(after) = text[t.end..].strip_prefix(", ") {
        let b = after.as_bytes();
        let abbreviation = b.len() >= 2
            && b[0].is_ascii_uppercase()
            && b[1].is_ascii_uppercase()
            && b.get(2).is_none_or(|c| !c.is_ascii_alphanumeric());
        if abbreviation
            || tokens
                .get(i + 1)
                .is_some_and(|n| n.start == t.end + 2 && region(n))
        {
            return true;
        }
    }
    i > 0 && {
        let p = &tokens[i - 1];
        &text[p.end..t.start] == ", "
            && (region(p)
                || (matches!(own, Some(PlaceKind::Country | PlaceKind::State))
                    && p.cap
                    && g.places.contains_key(p.lower.as_ref())))
    }
}

/// Whether `t` is a weekday's abbreviation before a date ("Mon, 10 Oct
/// 2011", and the C library's "Mon Oct 31 22:13:04 1996"): no town.
fn weekday_before_date(text: &str, t: &Token<'_>) -> bool {
    // "Oct 31": a month's three letters, capitalised, a space, a day.
    let month_day = |r: &str| {
        let b = r.as_bytes();
        b.len() > 4
            && b[0].is_ascii_uppercase()
            && b[1..3].iter().all(u8::is_ascii_lowercase)
            && crate::lexicon::MONTHS
                .iter()
                .any(|m| m[..3].eq_ignore_ascii_case(&r[..3]))
            && b[3] == b' '
            && r[4..]
                .trim_start_matches(' ')
                .starts_with(|c: char| c.is_ascii_digit())
    };
    t.text.len() == 3
        && matches!(
            t.text,
            "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun"
        )
        && text[t.end..]
            .strip_prefix(", ")
            .or_else(|| text[t.end..].strip_prefix(' '))
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()) || month_day(r))
}

/// Whether `before` ends with a capitalised word and one space ("…>Daniel "):
/// the word after it may be the second of a name.
fn after_a_capitalised_word(before: &[u8]) -> bool {
    let Some(rest) = before.strip_suffix(b" ") else {
        return false;
    };
    let word_start = rest
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |k| k + 1);
    let word = &rest[word_start..];
    word.len() >= 2 && word[0].is_ascii_uppercase() && word[1..].iter().all(u8::is_ascii_lowercase)
}

/// Whether token `t` of `text` is written as code: in Markdown's inline
/// code (a backtick beside it: "[`Regex`]"); beside code punctuation — a
/// path's `::`, a generic's `<`, an `_` or a `&` before it, a `(`, a
/// generic's opening `<` (or an HTML closing tag's `</`, unless a
/// capitalised word stands before: "Daniel Veillard</a>") or closing `>`,
/// a macro's `!(` or (after spaces) a block's `{`
/// after it ("Regex::new", "Vec<Config>", "&Regex", "Teddy(",
/// "E: Endian>", "Json![", "impl Memchr {"); or named by a declaration
/// keyword ("struct Teddy", "enum KeyType", "fn Build", "def Parse"); or
/// named by a statement or expression of code ([`named_by_code`]: a `use`
/// list's or an import line's item, a trait of a bound, an attribute, a
/// keyword argument, a quoted item among identifiers); or a month's or
/// weekday's short name in a list of them or a date ([`calendar_word`]).
/// The words of a Rust attribute never reach it ([`attribute_spans`]).
fn written_as_code(text: &str, t: &Token<'_>) -> bool {
    let b = text.as_bytes();
    let before = &b[..t.start];
    let after = &b[t.end..];
    if matches!(before.last(), Some(b'`' | b'<' | b'_' | b'&'))
        || before.ends_with(b"::")
        || matches!(after.first(), Some(b'`' | b'_' | b'(' | b'>'))
        // A generic's `<`; an HTML closing tag's only after a lone word
        // ("<h3>Hmac</h3>"; not "Daniel Veillard</a>").
        || (after.first() == Some(&b'<')
            && (after.get(1) != Some(&b'/') || !after_a_capitalised_word(before)))
        || after.starts_with(b"::")
        || matches!(after, [b'!', b'(' | b'[' | b'{', ..])
    {
        return true;
    }
    // A path's component after its first: "libs/geometry/doc/Jamfile",
    // "GNU/Linux" (the word before a slash may end a name: "CN=Aleksey
    // Sanin/emailAddress=…").
    if matches!(before, [.., c, b'/'] if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
    {
        return true;
    }
    // Glued to a digit: a version or a standard ("IPv6", "GPLv3", "Win32").
    if after.first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    // A project's conventional files, named bare: in capitals ("see
    // README", "NEWS"; not "News", nor the surname "Todo") or the build
    // files written capitalised ("in Makefile", "Jamroot"); and the
    // floating-point literal "NaN".
    let build_file = |l: &str| l.ends_with("file") || l == "jamroot";
    if (t.lex.is(class::FILE_NAME) && (shouted(t) || build_file(&t.lower))) || t.text == "NaN" {
        return true;
    }
    // A file's name: "README.md", "Makefile.am", "Node.js".
    if let [b'.', ext @ ..] = after {
        let n = ext.iter().take_while(|c| c.is_ascii_lowercase()).count();
        if (1..=5).contains(&n) && ext.get(n).is_none_or(|c| !c.is_ascii_alphanumeric()) {
            return true;
        }
    }
    // A block opened on the word's line: spaces or tabs, then `{`.
    if matches!(after.first(), Some(b' ' | b'\t' | b'{'))
        && after
            .iter()
            .find(|&&c| c != b' ' && c != b'\t')
            .is_some_and(|&c| c == b'{')
    {
        return true;
    }
    if named_by_code(before, after) || (t.text.len() == 3 && calendar_word(text, t)) {
        return true;
    }
    // The keyword before the word: the word before its one space (read
    // back no further than the longest keyword and one byte).
    if let [head @ .., b' '] = before {
        let head = &head[head.len().saturating_sub(10)..];
        let from = head
            .iter()
            .rposition(|c| !c.is_ascii_lowercase())
            .map_or(0, |i| i + 1);
        return declaration_keyword(&head[from..]);
    }
    false
}

/// Whether token `t` of `text` is joined to an identifier by `_`
/// ("week_starts_Mon", "Mon_first").
fn glued_to_identifier(text: &str, t: &Token<'_>) -> bool {
    let b = text.as_bytes();
    (t.start > 0 && b[t.start - 1] == b'_') || b.get(t.end) == Some(&b'_')
}

/// Whether token `t` of `text` is a month's or a weekday's three-letter
/// name inside a date ("01-Jan-0001") or beside another in a list, quoted
/// or not (`["Mon", "Tue", "Wed"]`, "'Jan', 'Feb',⏎ 'Mar'"): a date word,
/// no name nor place.
fn calendar_word(text: &str, t: &Token<'_>) -> bool {
    let short = crate::lexicon::is_short_month_or_weekday;
    let b = text.as_bytes();
    if !short(t.text.as_bytes()) {
        return false;
    }
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if t.start >= 2
        && b[t.start - 1] == b'-'
        && digit(t.start - 2)
        && b.get(t.end) == Some(&b'-')
        && digit(t.end + 1)
    {
        return true;
    }
    let quote = |c: &u8| matches!(c, b'"' | b'\'');
    // The next item: a closing quote, a comma, spaces or a line break, an
    // opening quote, three letters and no fourth.
    let rest = &b[t.end..b.len().min(t.end + 40)];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let next = rest.strip_prefix(b",").map(|r| {
        let r = r.trim_ascii_start();
        let r = r
            .strip_prefix(b"\"")
            .or_else(|| r.strip_prefix(b"'"))
            .unwrap_or(r);
        &r[..r.iter().take_while(|c| c.is_ascii_alphabetic()).count()]
    });
    if next.is_some_and(short) {
        return true;
    }
    // The item before, read backwards the same way.
    let back = &b[t.start.saturating_sub(40)..t.start];
    let back = match back.last() {
        Some(c) if quote(c) => &back[..back.len() - 1],
        _ => back,
    };
    let back = back.trim_ascii_end();
    let prev = back.strip_suffix(b",").map(|r| {
        let r = r.trim_ascii_end();
        let r = match r.last() {
            Some(c) if quote(c) => &r[..r.len() - 1],
            _ => r,
        };
        &r[r.len()
            - r.iter()
                .rev()
                .take_while(|c| c.is_ascii_alphabetic())
                .count()..]
    });
    prev.is_some_and(short)
}

/// Whether the word after `line` (its line up to the word,
/// [`line_before`]) is an item of a `use` list opened on it and not yet
/// closed ("use serde::{Deserialize, Serialize};", "wire::{self,
/// DeserializeError, Endian},").
fn in_use_list(line: &[u8]) -> bool {
    memchr::memrchr(b'{', line)
        .is_some_and(|k| line[..k].ends_with(b"::") && !line[k..].contains(&b'}'))
}

/// Whether the word between `before` and `after` is named by a statement
/// or an expression of code: an item of a `use` list or an import line, a
/// trait of a bound, an attribute or a keyword argument, a quoted item of
/// a list of identifiers ([`in_use_list`], [`in_import_line`],
/// [`in_trait_bound`], [`attribute_or_keyword`],
/// [`quoted_among_identifiers`]). Places are held to it too ("from typing
/// import Union").
fn named_by_code(before: &[u8], after: &[u8]) -> bool {
    attribute_or_keyword(before, after)
        || quoted_among_identifiers(before, after)
        || in_trait_bound(before, after)
        || ((matches!(before.last(), Some(b'{' | b','))
            || before.ends_with(b", ")
            || before.ends_with(b"import ")
            || before.last().is_some_and(u8::is_ascii_digit))
            && {
                // An item of a list (or a word glued to a digit in one:
                // "{sha256sig0, …}"): only then is its line read.
                let line = line_before(before);
                in_use_list(line) || in_import_line(line)
            })
}

/// Whether the word after `line` (its line up to the word,
/// [`line_before`]) is one a Python import line names ("from typing import
/// List, Optional, Union", "import Tkinter").
fn in_import_line(line: &[u8]) -> bool {
    let line = line.trim_ascii_start();
    (line.starts_with(b"from ") && memchr::memmem::find(line, b" import ").is_some())
        || line.starts_with(b"import ")
}

/// Whether the word between `before` and `after` is an attribute of a
/// lower-case name followed by code's punctuation ("pdb.Pdb)",
/// "context.Emax, Etop]", "abc.Iterable:"; not the run-on "paris.John is")
/// or a keyword argument's or setting's name ("Emax=999999"; not "==").
fn attribute_or_keyword(before: &[u8], after: &[u8]) -> bool {
    if let [b'=', c, ..] = after
        && *c != b'='
    {
        return true;
    }
    let Some(owner) = before.strip_suffix(b".") else {
        return false;
    };
    let from = owner
        .iter()
        .rposition(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'))
        .map_or(0, |k| k + 1);
    let name = &owner[from..];
    name.len() >= 2
        && (name[0].is_ascii_lowercase() || name[0] == b'_')
        && owner
            .get(from.wrapping_sub(1))
            .is_none_or(|c| !c.is_ascii_uppercase())
        && after
            .first()
            .is_none_or(|c| matches!(c, b'.' | b',' | b')' | b']' | b':' | b';' | b'\n' | b'\r'))
}

/// The longest quoted item [`quoted_among_identifiers`] reads beside a
/// word, in bytes.
const ITEM_REACH: usize = 64;

/// Whether the word between `before` and `after` is a quoted item of a
/// list, between two quoted items of which one is an identifier of code —
/// letters, digits and `_`, in lower case, with a digit or `_`, or in
/// camel case — as Python's `__all__` lists and sets of names are
/// ("'Emin', 'Emax', 'capitals'", "\"PicklingError\", \"Pickler\",
/// \"Unpickler\""); a list of people's names ("'Alice', 'Bob', 'Carol'")
/// has none, nor has a record's values ("\"Boston\", \"4628910\"").
fn quoted_among_identifiers(before: &[u8], after: &[u8]) -> bool {
    let Some(&q) = before.last().filter(|&&c| c == b'\'' || c == b'"') else {
        return false;
    };
    if after.first() != Some(&q) {
        return false;
    }
    let code = |item: &[u8]| {
        item.iter().any(u8::is_ascii_alphabetic)
            && item.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
            && (item[0].is_ascii_lowercase()
                || item.iter().any(|&c| c.is_ascii_digit() || c == b'_')
                || item
                    .windows(2)
                    .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase()))
    };
    // The item after: `, ` or a line break, the quote, the item, the quote
    // — and no `:` after it, which makes it a dictionary's key ("'name':
    // 'Ted', 'last': 'Jones'" is a record, not a list).
    let next = after[1..]
        .trim_ascii_start()
        .strip_prefix(b",")
        .map(<[u8]>::trim_ascii_start)
        .and_then(|r| r.strip_prefix(&[q][..]))
        .and_then(|r| {
            memchr::memchr(q, &r[..r.len().min(ITEM_REACH)]).map(|k| (&r[..k], &r[k + 1..]))
        })
        .filter(|(_, rest)| !rest.trim_ascii_start().starts_with(b":"))
        .map(|(item, _)| item);
    // The item before, read backwards the same way.
    let previous = before[..before.len() - 1]
        .trim_ascii_end()
        .strip_suffix(b",")
        .map(<[u8]>::trim_ascii_end)
        .and_then(|r| r.strip_suffix(&[q][..]))
        .and_then(|r| {
            let from = r.len().saturating_sub(ITEM_REACH);
            memchr::memrchr(q, &r[from..]).map(|k| &r[from + k + 1..])
        });
    // Both neighbours quoted items: a pair's second half ("(\"name\",
    // \"Alice\")", "(\"geor\", \"Georgian\")") and a list's first or
    // last item are read as they stand.
    match (next, previous) {
        (Some(n), Some(p)) => code(n) || code(p),
        _ => false,
    }
}

/// Whether the word between `before` and `after` is a trait of a bound: a
/// ` + ` joins it to a capitalised word, `?Sized` or a lifetime, on a line
/// that names what is bound (`T: `, `impl `, `dyn `, `where`): "Q: ?Sized +
/// Ord + Eq + Hash", "K: Eq + Ord,", "impl Iterator + Send" ("Tom + Jerry"
/// in prose has no bound before it).
fn in_trait_bound(before: &[u8], after: &[u8]) -> bool {
    let operand =
        |c: Option<&u8>| c.is_some_and(|&c| c.is_ascii_uppercase() || c == b'?' || c == b'\'');
    let next = after
        .strip_prefix(b" + ")
        .is_some_and(|r| operand(r.first()));
    let previous = before.strip_suffix(b" + ").is_some_and(|r| {
        let from = r
            .iter()
            .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
            .map_or(0, |k| k + 1);
        operand(r.get(from)) || (from > 0 && operand(r.get(from - 1)))
    });
    if !(next || previous) {
        return false;
    }
    let line = line_before(before);
    [&b": "[..], b"impl ", b"dyn ", b"where"]
        .iter()
        .any(|w| memchr::memmem::find(line, w).is_some())
}

/// Whether `word` is a keyword that declares a named item in the common
/// programming languages: the word after one (and a space) is an
/// identifier.
fn declaration_keyword(word: &[u8]) -> bool {
    matches!(
        word,
        b"struct"
            | b"enum"
            | b"impl"
            | b"trait"
            | b"union"
            | b"fn"
            | b"def"
            | b"func"
            | b"interface"
    )
}

/// The byte spans of `text` from a Rust attribute's `#[` to the end of the
/// line that closes it ("#[derive(Clone, Debug, PartialOrd, Ord)]", and
/// the attribute rustfmt wraps over lines: "#[derive(⏎    Clone, Copy,
/// Ord,⏎)]"): their words are code, and their tokens are dropped as those
/// of [`blob_spans`] are. An attribute not closed within
/// [`ATTRIBUTE_REACH`] bytes ends with its first line. In order, disjoint;
/// none (one search of the text) in text without `#[`.
fn attribute_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'#', &b[from..]) {
        let start = from + i;
        if b.get(start + 1) != Some(&b'[') {
            from = start + 1;
            continue;
        }
        let line_end = |k: usize| memchr::memchr(b'\n', &b[k..]).map_or(b.len(), |j| k + j);
        let end = line_end(attribute_close(b, start).unwrap_or(start));
        spans.push((start, end));
        from = end;
    }
    spans
}

/// How far past its `#[` an attribute's closing `]` is looked for.
const ATTRIBUTE_REACH: usize = 2_000;

/// Where the attribute opened by the `#[` at `start` of `b` closes: the
/// `]` that balances its `[` (round and square brackets counted, within
/// [`ATTRIBUTE_REACH`] bytes), or `None`.
fn attribute_close(b: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let stop = b.len().min(start + ATTRIBUTE_REACH);
    for (k, &c) in b.iter().enumerate().take(stop).skip(start + 1) {
        match c {
            b'[' | b'(' => depth += 1,
            b')' => depth = depth.checked_sub(1)?,
            b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// The shortest run of bytes [`blob_spans`] takes for encoded data.
const BLOB_MIN: usize = 16;

/// The byte spans of `text` that hold encoded data rather than words:
/// runs of at least [`BLOB_MIN`] printable ASCII bytes without whitespace
/// that hold a digit — base64 and hex blobs, keys, hashes, integrity
/// strings, identifiers and URLs with numbers. The letters between their
/// digits and symbols ("…P/F4ADbPi26ZuK2asSYJ…") are no names, places or
/// shouting. In order, disjoint.
pub(crate) fn blob_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    // From each digit (found eight bytes at a time) out to the ends of its
    // run; the search goes on past the run.
    let mut from = 0;
    while let Some(d) = crate::pattern::next_digit(b, from) {
        let (lo, hi) = crate::pattern::widen(b, d, d + 1, |c| c.is_ascii_graphic());
        if hi - lo >= BLOB_MIN {
            spans.push((lo, hi));
        }
        from = hi;
    }
    spans
}

/// Remove the tokens inside one of `blobs` ([`blob_spans`]; tokens and
/// blobs both in text order).
fn drop_blob_tokens(blobs: &[(usize, usize)], tokens: &mut Vec<Token<'_>>) {
    if blobs.is_empty() {
        return;
    }
    let mut k = 0;
    tokens.retain(|t| {
        while k < blobs.len() && blobs[k].1 <= t.start {
            k += 1;
        }
        !(k < blobs.len() && blobs[k].0 <= t.start && t.end <= blobs[k].1)
    });
}

/// Drops the words of Unicode characters' names written in capitals, as
/// code-page tables and character databases write them ("LATIN CAPITAL
/// LETTER S WITH CARON", "CYRILLIC SMALL LETTER KA", "THAI CHARACTER KO
/// KAI"): a run of three or more words of capitals and hyphens, one space
/// apart, holding CAPITAL LETTER or SMALL LETTER, or holding LETTER,
/// CHARACTER, LIGATURE or SYLLABLE after a table's `->`, `;` or `\N{`.
/// So is any run of words in capitals right after a code point's `->` or
/// `#` ([`after_code_point`]: "0xA1 -> GREEK TONOS", "0x03b2,  #  GREEK
/// SMALL BETA"), and a name's qualifier in brackets ("(ICELANDIC)").
/// Their words are no names, places, nationalities or organisations.
fn drop_character_names(text: &str, tokens: &mut Vec<Token<'_>>) {
    let capitals = |t: &Token<'_>| t.text.bytes().all(|c| c.is_ascii_uppercase() || c == b'-');
    let key = |t: &Token<'_>| matches!(t.text, "LETTER" | "CHARACTER" | "LIGATURE" | "SYLLABLE");
    let joined = |a: &Token<'_>, b: &Token<'_>| &text[a.end..b.start] == " ";
    // The end of the run of words in capitals, one space apart, from `i`.
    let run_end = |i: usize| {
        let mut hi = i + 1;
        while hi < tokens.len() && capitals(&tokens[hi]) && joined(&tokens[hi - 1], &tokens[hi]) {
            hi += 1;
        }
        hi
    };
    // A name ending before `hi`, with its qualifier in brackets after it
    // ("(ICELANDIC)", "(Icelandic)") if one follows.
    let qualified = |hi: usize| {
        let bracketed = hi < tokens.len()
            && &text[tokens[hi - 1].end..tokens[hi].start] == " ("
            && text[tokens[hi].end..].starts_with(')');
        hi + usize::from(bracketed)
    };
    let first = tokens.iter().position(key);
    let framed_tables = memchr::memchr2(b'>', b'#', text.as_bytes()).is_some();
    if first.is_none() && !framed_tables {
        return;
    }
    let mut drop = vec![false; tokens.len()];
    let mut any = false;
    // Any name in capitals right after a code point's `->` or `#`
    // ("0xA1 -> GREEK TONOS", "0x03b2,  #  GREEK SMALL BETA", "0xDF ->
    // THAI CURRENCY SYMBOL BAHT"), with a qualifier in brackets after it
    // ("LATIN SMALL LETTER ETH (ICELANDIC)").
    if framed_tables {
        let mut i = 0;
        while i < tokens.len() {
            if !(capitals(&tokens[i]) && after_code_point(text, tokens[i].start)) {
                i += 1;
                continue;
            }
            let hi = qualified(run_end(i));
            drop[i..hi].iter_mut().for_each(|d| *d = true);
            any = true;
            i = hi;
        }
    }
    let mut i = first.unwrap_or(tokens.len());
    while i < tokens.len() {
        if !key(&tokens[i]) {
            i += 1;
            continue;
        }
        let mut lo = i;
        while lo > 0 && capitals(&tokens[lo - 1]) && joined(&tokens[lo - 1], &tokens[lo]) {
            lo -= 1;
        }
        let hi = run_end(i);
        // "… CAPITAL LETTER …", or a name where tables put one ("0xA1 ->
        // THAI CHARACTER KO KAI", "\N{…}", "0E01;THAI CHARACTER KO KAI"):
        // not "THIS LETTER FROM FRANCE" in shouted prose.
        let case_letter = tokens[i].text == "LETTER"
            && i > lo
            && matches!(tokens[i - 1].text, "CAPITAL" | "SMALL");
        let before = text[..tokens[lo].start].trim_end_matches(' ');
        let framed = before.ends_with("->") || before.ends_with("N{") || before.ends_with(';');
        if hi - lo >= 3 && (case_letter || framed) {
            let hi = qualified(hi);
            drop[lo..hi].iter_mut().for_each(|d| *d = true);
            any = true;
            i = hi;
        } else {
            i = hi;
        }
    }
    if any {
        let mut k = 0;
        tokens.retain(|_| {
            k += 1;
            !drop[k - 1]
        });
    }
}

/// Whether the word at `start` of `text` follows a code point written in
/// hexadecimal and a table's `->` or a comment's `#` ("0xA1 -> ", "0x03b2,
/// #  ", "U+00C6 -> "): a character's name starts there.
fn after_code_point(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    let Some(before) = before
        .strip_suffix("->")
        .or_else(|| before.strip_suffix('#'))
    else {
        return false;
    };
    let word = before
        .trim_end()
        .rsplit([' ', '\t', '\n'])
        .next()
        .unwrap_or("");
    let word = word.strip_suffix(',').unwrap_or(word);
    word.strip_prefix("0x")
        .or_else(|| word.strip_prefix("U+"))
        .is_some_and(|h| (2..=8).contains(&h.len()) && h.bytes().all(|c| c.is_ascii_hexdigit()))
}

/// [`tokenize`]'s byte classes: an ASCII letter and its case, a byte of a
/// non-ASCII character, or (0) any other ASCII byte.
const LETTER: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 4;
const NON_ASCII: u8 = 8;
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c >= 0x80 {
            NON_ASCII
        } else if c.is_ascii_uppercase() {
            LETTER | UPPER
        } else if c.is_ascii_lowercase() {
            LETTER | LOWER
        } else {
            0
        };
        i += 1;
    }
    t
};

/// A word with non-ASCII letters: whether its first letter is a capital,
/// whether none of the others is lower-case, its length in characters, and
/// its lower-case form (borrowed when it has no capital).
fn unicode_word_facts(word: &str) -> (bool, bool, usize, Cow<'_, str>) {
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    (
        first.is_uppercase(),
        chars.all(|c| !c.is_lowercase()),
        word.chars().count(),
        if word.chars().any(char::is_uppercase) {
            Cow::Owned(word.to_lowercase())
        } else {
            Cow::Borrowed(word)
        },
    )
}

/// The character starting at byte `i` of `text` (a char boundary).
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or('\0')
}

/// Whether an apostrophe or hyphen ending just before byte `after` joins
/// two parts of one word: a letter follows, and it is not the possessive "'s".
fn inner_joiner(text: &str, after: usize) -> bool {
    let rest = &text[after..];
    rest.chars().next().is_some_and(char::is_alphabetic)
        && !rest.starts_with("s ")
        && !rest.starts_with("s.")
        && !rest.starts_with("s,")
        && rest != "s"
}

/// [`tokenize`] character by character, lower-casing each word on its own
/// (any text): the reference the tests hold `tokenize` to.
#[cfg(test)]
fn tokenize_chars(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut iter = text.char_indices().peekable();
    let mut prev_end = 0;
    while let Some((i, c)) = iter.next() {
        if !c.is_alphabetic() {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if d.is_alphabetic() {
                end = j + d.len_utf8();
                iter.next();
            } else if matches!(d, '\'' | '’' | '-') {
                let rest = &text[j + d.len_utf8()..];
                if rest.chars().next().is_some_and(char::is_alphabetic)
                    && !rest.starts_with("s ")
                    && !rest.starts_with("s.")
                    && !rest.starts_with("s,")
                    && rest != "s"
                {
                    iter.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let word = &text[start..end];
        // The same four facts, byte by byte for ASCII words (most of them).
        let (first_upper, rest_upper, nchars, lower) = if word.is_ascii() {
            let b = word.as_bytes();
            (
                b[0].is_ascii_uppercase(),
                !b[1..].iter().any(u8::is_ascii_lowercase),
                b.len(),
                if b.iter().any(u8::is_ascii_uppercase) {
                    Cow::Owned(word.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(word)
                },
            )
        } else {
            unicode_word_facts(word)
        };
        let initial = nchars == 1 && first_upper;
        let gap = &text[prev_end..start];
        let sent_start = tokens.is_empty() || is_sentence_break(gap);
        tokens.push(Token {
            start,
            end,
            text: word,
            lower,
            // "I'm", "I'll", "I've", "I'd": the pronoun, never part of a name
            cap: first_upper
                && (nchars == 1 || !rest_upper || nchars >= 3)
                && !word.starts_with("I'")
                && !word.starts_with("I’"),
            initial,
            sent_start,
            lex: Lex::default(),
        });
        prev_end = end;
    }
    tokens
}

/// Whether a known first name stands next to this word in a list
/// ("Gaetane, Hannah", "Marrero and Murphy").
fn beside_first_name(text: &str, start: usize, end: usize, g: &Gazetteer) -> bool {
    let is_first = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.chars().next().is_some_and(char::is_uppercase) && {
            let lex = g.lex(&w.to_lowercase());
            lex.first().is_some_and(|f| f >= 0.01) && !lex.is(class::WORD)
        }
    };
    let after = &text[end..];
    let next = after
        .strip_prefix(", ")
        .or_else(|| after.strip_prefix(" and "))
        .or_else(|| after.strip_prefix(" & "));
    if next
        .and_then(|n| n.split_whitespace().next())
        .is_some_and(is_first)
    {
        return true;
    }
    let before = &text[..start];
    let prev = before
        .strip_suffix(", ")
        .or_else(|| before.strip_suffix(" and "))
        .or_else(|| before.strip_suffix(" & "));
    prev.and_then(|p| p.split_whitespace().next_back())
        .is_some_and(is_first)
}

/// Form labels that say the value after them is a person's name ("Name:",
/// "Surname:"; a column header `last_name` reads "last name: " before its
/// cells). "name" alone ([`NAME_LABEL_QUALIFIERS`]) may name anything.
const NAME_LABELS: &[&str] = &[
    "surname",
    "surnames",
    "forename",
    "forenames",
    "firstname",
    "lastname",
    "fullname",
    "givenname",
    "familyname",
    "middlename",
    "maidenname",
];

/// The rarest surname (by its rank in the US Census list) that an
/// ordinary word after a name field's label is taken for: the 2,000
/// commonest hold Smith, Baker and Young (about half of people by
/// frequency) and none of the words code puts after `name:` (String 67,450,
/// Show 24,218, Cargo 16,599, Rust 3,101).
const LABELLED_SURNAME_RANK: u32 = 2000;

/// The words that make "… name:" a person's name ("last name:", "her
/// name:", and the [`PERSON_ROLES`]: "patient name:"); "file name:",
/// "company name:" are not.
const NAME_LABEL_QUALIFIERS: &[&str] = &[
    "first",
    "last",
    "full",
    "given",
    "family",
    "middle",
    "maiden",
    "birth",
    "legal",
    "real",
    "my",
    "your",
    "his",
    "her",
    "their",
    "patient's",
    "customer's",
    "client's",
    "mother's",
    "father's",
    "parent's",
    "person's",
];

/// Labels that name a person by their role: alone ("Customer: Baker", a
/// `customer` column's cells) or before "name".
const PERSON_ROLES: &[&str] = &[
    "patient",
    "customer",
    "client",
    "contact",
    "employee",
    "member",
    "guest",
    "student",
    "applicant",
    "holder",
    "cardholder",
    "owner",
    "sender",
    "recipient",
    "passenger",
    "spouse",
    "parent",
    "doctor",
    "physician",
    "beneficiary",
    "subscriber",
    "caller",
    "tenant",
    "person",
    "author",
];

/// Whether a form label naming a person's name field ends the 32 bytes
/// before `start`, then a colon and spaces: [`NAME_LABELS`] ("Surname:"),
/// or "name" or one of [`PERSON_ROLES`] where the label starts (the text's
/// start, punctuation or a line break before it) or after one of
/// [`NAME_LABEL_QUALIFIERS`] or [`PERSON_ROLES`] ("Last name:", "Patient
/// name:"). "Name: Smith", "Customer: Baker", the cells of a `surname`
/// column.
fn name_label_before(text: &str, lowered: &str, start: usize) -> bool {
    read_label_before(text, lowered, start, |label, at_text_start| {
        is_name_label(label, at_text_start).then_some(())
    })
    .is_some()
}

/// The form label ending the 32 bytes before `start` (then a colon and
/// spaces or tabs), lower-cased, without its colon and the spaces before
/// it, given to `read` with whether the window reaches back to the text's
/// start; `None` where no colon ends the text before `start` (checked
/// before the window is lower-cased).
fn read_label_before<T>(
    text: &str,
    lowered: &str,
    start: usize,
    read: impl FnOnce(&str, bool) -> Option<T>,
) -> Option<T> {
    if !text[..start].trim_end_matches([' ', '\t']).ends_with(':') {
        return None;
    }
    let lo = crate::context::floor_char(text, start.saturating_sub(32));
    let before = lower_slice(text, lowered, lo, start);
    let label = before
        .trim_end_matches([' ', '\t'])
        .strip_suffix(':')?
        .trim_end_matches(' ');
    read(label, lo == 0)
}

/// [`name_label_before`] of a label read by [`read_label_before`].
fn is_name_label(label: &str, at_text_start: bool) -> bool {
    let word_start = |s: &str| {
        s.char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphanumeric() || c == '\'')
            .last()
            .map_or(s.len(), |(i, _)| i)
    };
    let w = word_start(label);
    let last = &label[w..];
    if NAME_LABELS.contains(&last) {
        return true;
    }
    let role = PERSON_ROLES.contains(&last);
    if !role && last != "name" && last != "names" {
        return false;
    }
    let spaced = label[..w].trim_end_matches([' ', '_', '-']);
    match spaced.chars().next_back() {
        // The window's start: the label's if it is the text's.
        None => at_text_start,
        Some(c) if c.is_alphanumeric() || c == '\'' => {
            let word = &spaced[word_start(spaced)..];
            !role && (NAME_LABEL_QUALIFIERS.contains(&word) || PERSON_ROLES.contains(&word))
        }
        // Punctuation or a line break before it.
        Some(_) => true,
    }
}

/// Where a label may end before token `i` of `text`: past the last colon
/// between it and the token before it; `None` where no colon stands there.
/// Gaps are short (most a space), so they are read byte by byte.
#[inline]
fn label_end_before(text: &str, tokens: &[Token<'_>], i: usize) -> Option<usize> {
    let from = if i == 0 { 0 } else { tokens[i - 1].end };
    let gap = &text.as_bytes()[from..tokens[i].start];
    Some(from + gap.iter().rposition(|&b| b == b':')? + 1)
}

/// Marks the tokens from `i` on that start before `end` used.
fn mark_used_until(tokens: &[Token<'_>], used: &mut [bool], i: usize, end: usize) {
    for (t, u) in tokens[i..].iter().zip(&mut used[i..]) {
        if t.start >= end {
            break;
        }
        *u = true;
    }
}

/// What a form label says its value is ([`field_label_before`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// A person's name ([`name_label_before`]).
    Person,
    /// A place: "City:", "Country:", "Home town:", "Place of birth:".
    Place,
    /// An organisation: "Company:", "Employer:", "Company name:".
    Organization,
    /// An occupation (TITLE): "Job:", "Job title:", "Occupation:".
    Occupation,
    /// A street address: "Address:", "Street:", "Address line 1:".
    Address,
}

/// Words that make a line without a house number a street ("boulevard
/// Regnier", "Calle Mayor"), lower-cased: English, French, Spanish,
/// Portuguese, Italian, German and Dutch street types.
const STREET_WORDS_ANY: &[&str] = &[
    "street",
    "road",
    "avenue",
    "boulevard",
    "lane",
    "drive",
    "way",
    "place",
    "square",
    "terrace",
    "close",
    "court",
    "crescent",
    "rue",
    "chemin",
    "allée",
    "impasse",
    "quai",
    "route",
    "avenida",
    "calle",
    "camino",
    "paseo",
    "plaza",
    "ronda",
    "travesía",
    "rua",
    "travessa",
    "largo",
    "via",
    "viale",
    "piazza",
    "corso",
    "vicolo",
    "contrada",
    "strada",
    "straße",
    "strasse",
    "weg",
    "platz",
    "gasse",
    "allee",
    "straat",
    "laan",
    "plein",
];

/// The line of an address field's value from `start`: where its text ends
/// (trailing spaces, commas and full stops left out) and where the line
/// ends (a line break, `;`, `|`, a tab or the text's end); `None` when it
/// is no address text — longer than 120 bytes, or holding `<>{}="` `` ` ``
/// or `@` (markup, code, an e-mail address).
fn address_line(text: &str, start: usize) -> Option<(usize, usize)> {
    let (end, line_end) = field_line(text, start);
    let value = &text[start..end];
    (value.len() <= 120 && !value.contains(['<', '>', '{', '}', '=', '"', '`', '@']))
        .then_some((end, line_end))
}

/// The line of a field's value from `start`: where its text ends (trailing
/// spaces, commas and full stops left out) and where the line ends (a line
/// break, `;`, `|`, a tab or the text's end).
fn field_line(text: &str, start: usize) -> (usize, usize) {
    let line = &text[start..];
    let len = line
        .find(['\n', '\r', ';', '|', '\t'])
        .unwrap_or(line.len());
    let value = line[..len].trim_end_matches([' ', '.', ',']);
    (start + value.len(), start + len)
}

/// Whether the value of an address field, `text[start..end]`, is a street
/// address: it holds a digit (a house number) or a street word
/// ([`STREET_WORDS_ANY`]); an address block's first line, its addressee's
/// name, holds neither.
fn is_street_value(value: &str) -> bool {
    value.bytes().any(|b| b.is_ascii_digit())
        || value
            .split(|c: char| !c.is_alphabetic())
            .any(|w| STREET_WORDS_ANY.contains(&crate::context::lowercase(w).as_ref()))
}

/// The first words of place names that are otherwise words or first names
/// ("East Mark", "Port John", "Lake Derrick").
const PLACE_PREFIXES: &[&str] = &[
    "North", "South", "East", "West", "New", "Port", "Lake", "Mount", "Fort", "Saint", "St",
    "Upper", "Lower", "Great", "Little",
];

/// Labels whose value is an occupation ("title" alone may be a document's).
const OCCUPATION_LABELS: &[&str] = &["job", "occupation", "profession", "position"];

/// Where the value of a field that starts at `start` ends: the rest of its
/// line (to a line break, `;`, `|` or a tab), trailing spaces, commas and
/// full stops left out, when that is a name — letters, digits, spaces and
/// `,.&'-()/`, 80 bytes at most; `None` otherwise.
fn line_value_end(text: &str, start: usize) -> Option<usize> {
    let (end, _) = field_line(text, start);
    let value = &text[start..end];
    (value.len() <= 80
        && value.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | ',' | '.' | '&' | '\'' | '-' | '(' | ')' | '/')
        }))
    .then_some(end)
}

/// Labels whose value is a place ("Address:" is not one: an address
/// block opens with its addressee's name; the address recognizer reads
/// the street).
const PLACE_LABELS: &[&str] = &[
    "city",
    "town",
    "village",
    "country",
    "state",
    "county",
    "province",
    "region",
    "district",
    "suburb",
    "municipality",
    "birthplace",
    "hometown",
];

/// Labels whose value is an organisation (also before "name").
const ORG_LABELS: &[&str] = &[
    "company",
    "employer",
    "organization",
    "organisation",
    "business",
    "firm",
    "agency",
    "institution",
];

/// What the form label ending the 32 bytes before `start` (then a colon and
/// spaces) says its value is: a person's name ([`name_label_before`]), a
/// place ([`PLACE_LABELS`], after any words: "Billing city:"; "… of
/// birth", "… of residence") or an organisation
/// ([`ORG_LABELS`], alone or before "name") or an occupation
/// ([`OCCUPATION_LABELS`], "job title").
fn field_label_before(text: &str, lowered: &str, start: usize) -> Option<Field> {
    read_label_before(text, lowered, start, field_of_label)
}

/// [`field_label_before`] of a label read by [`read_label_before`].
fn field_of_label(label: &str, at_text_start: bool) -> Option<Field> {
    if is_name_label(label, at_text_start) {
        return Some(Field::Person);
    }
    // Code: a path (`State::Union`), a field (`trie_state: RefCell`).
    if label.ends_with(':')
        || label.ends_with(|c: char| c.is_alphanumeric()) && {
            let w = label.trim_end_matches(|c: char| c.is_alphanumeric() || c == '-');
            w.ends_with('_')
        }
    {
        return None;
    }
    let mut words = label
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty());
    let last = words.next()?;
    let previous = words.next().unwrap_or("");
    if PLACE_LABELS.contains(&last) {
        return Some(Field::Place);
    }
    if matches!(last, "birth" | "residence") && label.ends_with(&format!(" of {last}")) {
        return Some(Field::Place);
    }
    if ORG_LABELS.contains(&last) || (last == "name" && ORG_LABELS.contains(&previous)) {
        return Some(Field::Organization);
    }
    if OCCUPATION_LABELS.contains(&last) || (last == "title" && previous == "job") {
        return Some(Field::Occupation);
    }
    // "Address:", "Street:", "Address line 1:", "address1:", not an
    // e-mail, IP or web address.
    let (last, previous) = match (last, previous) {
        (n, "line") if n.bytes().all(|b| b.is_ascii_digit()) => {
            (words.next()?, words.next().unwrap_or(""))
        }
        (a, p) => (a.trim_end_matches(|c: char| c.is_ascii_digit()), p),
    };
    if matches!(last, "address" | "street")
        && !matches!(
            previous,
            "email"
                | "e-mail"
                | "ip"
                | "mac"
                | "web"
                | "wallet"
                | "memory"
                | "bitcoin"
                | "server"
                | "host"
        )
    {
        return Some(Field::Address);
    }
    None
}

/// Whether a title ("Mr", "Dr.", "Professor") ends the 12 bytes before
/// `start`. Titles are single alphabetic words, so "ends with a title that
/// starts a word" is "the trailing alphanumeric run is a title": one lookup.
fn titled_before(text: &str, lowered: &str, start: usize) -> bool {
    let lo = crate::context::floor_char(text, start.saturating_sub(12));
    if lowered.len() == text.len() && text.as_bytes()[lo..start].is_ascii() {
        // The same steps on the bytes of the lowered window.
        let b = &lowered.as_bytes()[lo..start];
        let mut end = b.len();
        while end > 0 && matches!(b[end - 1], b'.' | b' ') {
            end -= 1;
        }
        let mut word = end;
        while word > 0 && b[word - 1].is_ascii_alphanumeric() {
            word -= 1;
        }
        let g = Gazetteer::get();
        return g
            .with_recent(|recent| recent.lex(&lowered[lo + word..lo + end]))
            .is(class::TITLE);
    }
    titled_before_by_chars(text, lowered, start)
}

/// [`titled_before`] character by character (any text): what it does
/// where the window is not ASCII, and the reference its byte path is
/// tested against.
fn titled_before_by_chars(text: &str, lowered: &str, start: usize) -> bool {
    let before = lower_window(text, lowered, start, 12);
    let b = before.trim_end_matches(['.', ' ']);
    let word = b
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric())
        .last()
        .map_or(b.len(), |(i, _)| i);
    Gazetteer::get().lex(&b[word..]).is(class::TITLE)
}

/// The first-name frequency (per cent of people) from which a country
/// needs a place cue to be the country: "France", "India", "Ireland"
/// (0.002–0.006%) are the countries wherever written with their capital;
/// "Kenya", "Israel", "Jordan", "Georgia", "Chad" (0.011–0.165%) may be
/// people ("Chad said hello").
const COUNTRY_FIRST_NAME_FREQ: f32 = 0.01;

/// A French elided article or preposition before a capitalised word, as
/// one token: "d'Ivoire" ("Côte d'Ivoire"), "l’Est".
fn elided_capital(word: &str) -> bool {
    ["d'", "l'", "d\u{2019}", "l\u{2019}"]
        .iter()
        .filter_map(|p| word.strip_prefix(p))
        .any(|rest| rest.starts_with(char::is_uppercase))
}

/// Whether `word` is hyphenated and each of its parts an ordinary word
/// that no list names a person by ("Upstream-Name", "Documentation-only";
/// not "Jean-Pierre", "Baker-Smith", "Rose-Marie").
fn hyphenated_words(word: &str, g: &Gazetteer) -> bool {
    word.contains('-')
        && word.split('-').all(|part| {
            let lex = g.lex(&part.to_lowercase());
            lex.is(class::WORD)
                && lex.first().is_none_or(|f| f < 0.01)
                && lex.last().is_none_or(|r| r > 5000)
        })
}

/// Whether `word` is hyphenated with an acronym beside a word that is not
/// in capitals ("Node-API", "Wi-Fi-SSID", "Two-Way-TLS"): a product's or a
/// standard's name, not a person's ("Jean-Pierre"; a name written all in
/// capitals, "JEAN-PIERRE", "SAINT-DIÉ", holds no lower-case part).
fn hyphenated_acronym(word: &str) -> bool {
    let shouted = |p: &str| p.len() >= 2 && p.bytes().all(|c| c.is_ascii_uppercase());
    word.as_bytes().contains(&b'-')
        && word.split('-').any(shouted)
        && word.split('-').any(|p| p.chars().any(char::is_lowercase))
}

/// Whether `tokens[j]` is the "of" of an institution's name: a
/// capitalised [`class::INSTITUTION`] word right before it, and a
/// capitalised word right after it or after "the" ("University of
/// Chicago", "Bank of the West"; one space between each). Such a name is
/// the organisation pass's: the place or person after "of" is part of it.
pub(crate) fn institution_of(text: &str, tokens: &[Token<'_>], j: usize) -> bool {
    let spaced = |a: usize, b: usize| &text[tokens[a].end..tokens[b].start] == " ";
    // "of", or "Of" in a name written in title case ("Ministry Of Agriculture").
    if j == 0 || j + 1 >= tokens.len() || !matches!(tokens[j].text, "of" | "Of") {
        return false;
    }
    let head = &tokens[j - 1];
    if !(head.cap && head.lex.is(class::INSTITUTION) && spaced(j - 1, j) && spaced(j, j + 1)) {
        return false;
    }
    let next = &tokens[j + 1];
    let name = if next.text == "the" {
        tokens.get(j + 2).filter(|_| spaced(j + 1, j + 2))
    } else {
        Some(next)
    };
    // "University of VIERHÖF": a word in capitals after a head that is
    // not is no part of its name.
    name.is_some_and(|n| n.cap && (!shouted(n) || shouted(head)))
}

/// A word of two or more letters written in capitals ("LDAP", "MAKES").
pub(crate) fn shouted(t: &Token<'_>) -> bool {
    t.text.len() > 1 && !t.text.chars().any(char::is_lowercase)
}

/// Whether the capitalised word `tokens[i]` is among the capitalised
/// words (one space apart, up to four) after an institution's "of" or "of
/// the" ("University of Southern California": see [`institution_of`]).
fn after_institution_of(text: &str, tokens: &[Token<'_>], i: usize) -> bool {
    let mut k = i;
    for _ in 0..4 {
        if (k >= 1 && institution_of(text, tokens, k - 1))
            || (k >= 2 && tokens[k - 1].text == "the" && institution_of(text, tokens, k - 2))
        {
            return true;
        }
        if k == 0 || !tokens[k - 1].cap || &text[tokens[k - 1].end..tokens[k].start] != " " {
            return false;
        }
        k -= 1;
    }
    false
}

/// A word list's first-name frequency (per cent of people) from which a
/// word counts as a first name where a rule asks whether a person could be
/// meant ("Kelly" 0.28: yes; "Davis" 0.01, "Jordan" 0.06: no).
const FIRM_FIRST_NAME_FREQ: f32 = 0.1;

/// Plural nouns for people: before three surnames ("the founders:
/// Morrison, Rogers and Torres") they name people, not a firm.
const PEOPLE_GROUPS: &[&str] = &[
    "authors",
    "brothers",
    "candidates",
    "children",
    "co-founders",
    "cofounders",
    "colleagues",
    "defendants",
    "directors",
    "doctors",
    "editors",
    "employees",
    "founders",
    "friends",
    "judges",
    "members",
    "officers",
    "parents",
    "players",
    "plaintiffs",
    "siblings",
    "sisters",
    "speakers",
    "students",
    "suspects",
    "winners",
];

/// The span of "A, B and C" / "A, B & C" holding the word at `start..end`,
/// where the three are capitalised single words, each among the 5,000
/// commonest surnames and none a first name, and the word before the
/// three is no first name ("John Davis, Reynolds and Williamson" is a
/// list of people): a firm ("Marshall, Hernandez and Simpson").
fn firm_triple(text: &str, start: usize, end: usize, g: &Gazetteer) -> Option<(usize, usize)> {
    // The word is the first of the three (a comma after it), the second
    // (" and " after it) or the third (" and " before it).
    let (after, before) = (&text[end..], &text[..start]);
    let joined_after = |s: &str| s.starts_with(" and ") || s.starts_with(" & ");
    let joined_before = |s: &str| s.ends_with(" and ") || s.ends_with(" & ");
    let first = after
        .strip_prefix(", ")
        .is_some_and(|b| joined_after(b.trim_start_matches(char::is_alphabetic)));
    let second = before.ends_with(", ") && joined_after(after);
    let third = joined_before(before);
    if !(first || second || third) {
        return None;
    }
    let lo = crate::context::floor_char(text, start.saturating_sub(40));
    let hi = crate::context::floor_char(text, (end + 40).min(text.len()));
    let window = &text[lo..hi];
    let rel = start - lo;
    let words: Vec<(usize, &str)> = window
        .split_inclusive(|c: char| c.is_whitespace())
        .scan(0usize, |pos, w| {
            let at = *pos;
            *pos += w.len();
            Some((at, w.trim_end()))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    let is_first = |w: &str| {
        g.first(&w.to_lowercase())
            .is_some_and(|f| f >= FIRM_FIRST_NAME_FREQ)
    };
    for i in 0..words.len().saturating_sub(3) {
        let (a, b, and, c) = (words[i].1, words[i + 1].1, words[i + 2].1, words[i + 3].1);
        if !(a.ends_with(',') && (and == "and" || and == "&")) || b.ends_with(',') {
            continue;
        }
        // Quoting marks before the first (">Marshall,"), punctuation or a
        // possessive after the last ("Oneal's") are not part of the names.
        let not_alnum = |ch: char| !ch.is_alphanumeric();
        let first = a.trim_end_matches(',').trim_start_matches(not_alnum);
        let last = c.trim_end_matches(not_alnum);
        let last = last
            .strip_suffix("'s")
            .or_else(|| last.strip_suffix("\u{2019}s"))
            .unwrap_or(last);
        let names = [first, b, last];
        let first_at = words[i].0 + (a.len() - a.trim_start_matches(not_alnum).len());
        let covers = first_at <= rel && rel < words[i + 3].0 + names[2].len();
        if !covers {
            continue;
        }
        let caps = names.iter().all(|n| {
            n.chars().next().is_some_and(char::is_uppercase) && n.chars().all(char::is_alphabetic)
        });
        let surnames = caps
            && names
                .iter()
                .all(|n| g.last(&n.to_lowercase()).is_some_and(|r| r <= 5000));
        if !surnames || names.iter().any(|n| is_first(n)) {
            return None;
        }
        // A first name right before the three ("John Davis, …") makes them
        // people, and so does a group of people ("our founders: Morrison,
        // Rogers and Torres").
        if i > 0 {
            let prev = words[i - 1].1;
            if is_first(prev) {
                return None;
            }
            let group = prev.trim_end_matches([':', ',']).to_lowercase();
            if PEOPLE_GROUPS.contains(&group.as_str()) {
                return None;
            }
        }
        return Some((lo + first_at, lo + words[i + 3].0 + names[2].len()));
    }
    None
}

/// The span of "X and Sons" / "X & Sons" holding the capitalised run
/// `start..end` (which ends before " and Sons" or is "Sons" itself): a
/// family firm ("Thomas and Sons", "Kelly & Sons"), where the word before
/// " and Sons" is a name a list knows (not "Fathers and Sons").
fn and_sons(text: &str, start: usize, end: usize, g: &Gazetteer) -> Option<(usize, usize)> {
    // The capitalised word ending at `at`, if a list knows it as a name.
    let name_before = |at: usize| -> Option<usize> {
        let head = &text[..at];
        let word = head
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphabetic())
            .last()
            .map(|(i, _)| i)?;
        let lex = g.lex(&head[word..].to_lowercase());
        let known = lex.first().is_some() || lex.last().is_some_and(|r| r <= 60000);
        (head[word..].starts_with(char::is_uppercase) && known).then_some(word)
    };
    for joiner in [" and Sons", " & Sons"] {
        if let Some(rest) = text[end..].strip_prefix(joiner)
            && !rest.starts_with(|c: char| c.is_alphanumeric())
        {
            return name_before(end).map(|_| (start, end + joiner.len()));
        }
        if &text[start..end] == "Sons"
            && let Some(head) = text[..start].strip_suffix(&joiner[..joiner.len() - "Sons".len()])
        {
            return name_before(head.len()).map(|word| (word, end));
        }
    }
    None
}

/// A gap inside a place's name as the place list spells it: one space, a
/// hyphen or ". " as written, and a line break with the spaces and tabs
/// around it (a name wrapped onto the next line: "the United⏎    States
/// of America") as one space; `None` for any other gap.
fn place_gap(gap: &str) -> Option<&str> {
    match gap {
        " " | "-" | ". " => Some(gap),
        _ => {
            let wrapped = gap.matches('\n').count() == 1
                && gap
                    .bytes()
                    .all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'));
            wrapped.then_some(" ")
        }
    }
}

/// Whether `before` (lower case) ends with one of the cue phrases (one to
/// three words), ignoring trailing spaces and `,:-.` (a cue that ends with
/// a colon, such as "where:", matches with its colon).
fn ends_with_cue(before: &str, cues: &WordSet) -> bool {
    // Cues written with their colon ("where:", "to:") first.
    let spaced = before.trim_end();
    if spaced.ends_with(':') && last_words_are_cue(spaced, cues) {
        return true;
    }
    last_words_are_cue(
        spaced.trim_end_matches(|c: char| {
            c.is_whitespace() || c == ',' || c == ':' || c == '-' || c == '.'
        }),
        cues,
    )
}

/// Whether the last one, two or three words of `b` are one of `cues`.
fn last_words_are_cue(b: &str, cues: &WordSet) -> bool {
    let bytes = b.as_bytes();
    let is_sep = |c: u8| c.is_ascii_whitespace() || c == b'(' || c == b'"' || c == b'>';
    // The last one, two and three words, as slices of `b` (so a phrase
    // matches when its words are separated by one space, as cues are).
    let mut i = bytes.len();
    for _ in 0..3 {
        while i > 0 && is_sep(bytes[i - 1]) {
            i -= 1;
        }
        if i == 0 {
            return false;
        }
        while i > 0 && !is_sep(bytes[i - 1]) {
            i -= 1;
        }
        if cues.contains(&b[i..]) {
            return true;
        }
    }
    false
}

/// The about `back` bytes of `text` before `start`, lower-cased. `lowered`
/// is [`ascii_lowered`]`(text)`: an ASCII window is borrowed from it (no
/// allocation), any other is lower-cased on its own.
fn lower_window<'a>(text: &'a str, lowered: &'a str, start: usize, back: usize) -> Cow<'a, str> {
    let lo = crate::context::floor_char(text, start.saturating_sub(back));
    lower_slice(text, lowered, lo, start)
}

/// The words no list holds that `text` writes right after "the" (or
/// "The"), capitalised ("the Valgrind gdbserver", "The Licensor", "the
/// Unicode standard"): in that text a product's or a defined term's name,
/// no person's — unless a work or a family named after a person follows
/// ("the Takuda novel", "the Okafor family"). Sorted, each once (looked
/// up by binary search: a long document may hold thousands).
fn things_after_the<'a>(text: &str, tokens: &[Token<'a>]) -> Vec<&'a str> {
    let mut things = Vec::new();
    for w in tokens.windows(2) {
        let [the, t] = w else { continue };
        if t.cap
            && matches!(the.text, "the" | "The")
            && t.lex.is_unlisted()
            && &text[the.end..t.start] == " "
        {
            let noun = text[t.end..].strip_prefix(' ').map(|r| {
                r.split(|c: char| !c.is_ascii_lowercase())
                    .next()
                    .unwrap_or("")
            });
            if !noun.is_some_and(|n| WORK_NOUNS.contains(&n) || PERSONAL_NOUNS.contains(&n)) {
                things.push(t.text);
            }
        }
    }
    things.sort_unstable();
    things.dedup();
    things
}

/// The terms `text` defines in straight quotes, as licences and contracts
/// do: up to four capitalised words, then "means", "shall mean" or "refers
/// to" after spaces or a line break ("\"Covered Software\" means",
/// "\"Licensor\" shall mean"), or alone in a parenthesis of prose ("(the
/// \"Affirmer\")", " (\"Licensee\")"; not a call: `escape("Moe")`). Sorted,
/// each once.
fn defined_terms(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut terms = Vec::new();
    let mut at = 0;
    while let Some(open) = memchr::memchr(b'"', &b[at..]).map(|k| at + k) {
        let Some(close) = memchr::memchr(b'"', &b[open + 1..]).map(|k| open + 1 + k) else {
            break;
        };
        at = close + 1;
        let term = &text[open + 1..close];
        let words = || term.split(' ');
        if term.is_empty()
            || term.len() > 48
            || words().count() > 4
            || !words().all(|w| {
                w.starts_with(|c: char| c.is_uppercase())
                    && w.chars().all(|c| c.is_alphabetic() || c == '-')
            })
        {
            continue;
        }
        let (before, after) = (&text[..open], &text[close + 1..]);
        let spaced = after.trim_start_matches([' ', '\t', '\n', '\r']);
        let defined = (spaced.len() < after.len()
            && ["means", "shall mean", "refers to"]
                .iter()
                .any(|d| spaced.starts_with(d)))
            // A parenthesis of prose, not a call: `escape("Moe")`.
            || (after.starts_with(')')
                && ["(", "(the ", "(the\n", "(hereinafter ", "(hereafter "]
                    .iter()
                    .filter_map(|p| before.strip_suffix(p))
                    .any(|b| b.is_empty() || b.ends_with([' ', '\n', '\t'])));
        if defined {
            terms.push(term);
        }
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// Nouns after a surname that make "the X …" a person's ("the Okafor family").
const PERSONAL_NOUNS: &[&str] = &[
    "family",
    "families",
    "household",
    "brothers",
    "sisters",
    "twins",
    "couple",
    "case",
    "estate",
    "trial",
    "murder",
    "affair",
    "administration",
    "era",
    "years",
];

/// Other mentions of a name already found in the same text ("directed by
/// Philip Latourelle and starring Latourelle", "Mr. Spears … Spears said"):
/// each capitalised word of at least three letters of a PERSON candidate in
/// `found` that is not an ordinary word or a title, where it stands again
/// outside any PERSON candidate, becomes a PERSON candidate (score 0.7,
/// never above the mention it copies). Appended to `out`. `lowercase_text`:
/// `text` holds no capital letter; `things` (sorted): words that name a
/// thing in this text ([`things_after_the`], [`defined_terms`]), never copied.
pub(crate) fn other_mentions(
    text: &str,
    lowercase_text: bool,
    tokens: &[Token<'_>],
    things: &[&str],
    found: &[Candidate],
    out: &mut Vec<Candidate>,
) {
    let persons: Vec<&Candidate> = found
        .iter()
        .filter(|c| c.entity == EntityType::PERSON && c.score >= crate::analyzer::DEFAULT_MIN_SCORE)
        .collect();
    if persons.is_empty() {
        return;
    }
    // Per token: inside a found name, or touching one. Tokens are sorted
    // and disjoint, so each name looks at its own tokens only (linear time
    // on long documents with many names).
    let mut inside = vec![false; tokens.len()];
    // Per token: the best score of a found name holding it (0 if none).
    let mut held = vec![0.0f32; tokens.len()];
    let mut touched = vec![false; tokens.len()];
    let mut words: HashMap<&str, (f32, &'static str)> = HashMap::default();
    for c in &persons {
        let first = tokens.partition_point(|t| t.end <= c.start);
        for (k, t) in tokens.iter().enumerate().skip(first) {
            if t.start >= c.end {
                break;
            }
            touched[k] = true;
            if c.start <= t.start && t.end <= c.end {
                inside[k] = true;
                held[k] = held[k].max(c.score);
                if t.cap
                    && t.text.chars().count() >= 3
                    && !t.lex.is(class::WORD | class::TITLE | class::STOP)
                    && things.binary_search(&t.text).is_err()
                {
                    words
                        .entry(t.text)
                        .or_insert_with(|| (c.score.min(0.7), c.recognizer));
                }
            }
        }
    }
    // Partners are looked for twice, so that a list is followed along
    // ("Mazzi, Bowman and Hill": Bowman beside Hill, then Mazzi beside Bowman).
    for _ in 0..2 {
        for i in 0..tokens.len() {
            if !touched[i] && is_partner(text, lowercase_text, tokens, &held, i) {
                touched[i] = true;
                held[i] = 0.6;
                out.push(Candidate {
                    entity: EntityType::PERSON,
                    start: tokens[i].start,
                    end: tokens[i].end,
                    score: 0.6,
                    recognizer: persons[0].recognizer,
                });
            }
        }
    }
    if words.is_empty() {
        return;
    }
    for (i, t) in tokens.iter().enumerate() {
        // Every key was a capitalised word, and whether a word is
        // capitalised depends on its text alone: other words need no lookup.
        if touched[i] || !t.cap || written_as_code(text, t) {
            continue;
        }
        let Some((score, recognizer)) = words.get(t.text) else {
            continue;
        };
        out.push(Candidate {
            entity: EntityType::PERSON,
            start: t.start,
            end: t.end,
            score: *score,
            recognizer,
        });
    }
}

/// "Sousa and Ball were precision engineers": two words joined by "and"
/// that open a sentence as the subject of "were", "are", "have" or "had",
/// at least one of them a name and no ordinary word (a listed first or last
/// name, or a word no list holds spelt like a name), are two people
/// (PERSON, 0.6 each; capitalised, or in text without capitals).
/// Words inside a reported PERSON candidate of `found` or `out` are left
/// as they are.
fn subject_pairs(
    text: &str,
    tokens: &[Token<'_>],
    lowercase_text: bool,
    found: &[Candidate],
    out: &mut Vec<Candidate>,
) {
    let person = "person_gazetteer";
    let shaped = |t: &Token<'_>| {
        (t.cap || lowercase_text)
            && t.text.chars().count() >= 3
            && t.text.chars().all(char::is_alphabetic)
            && !t
                .lex
                .is(class::TITLE | class::STOP | class::NATIONALITY | class::ORG)
    };
    let pure_name = |t: &Token<'_>| {
        !t.lex.is(class::WORD)
            && (t.lex.first().is_some()
                || t.lex.last().is_some()
                || (t.lex.is_unlisted() && crate::spelling::spelt_like_a_name(t.text)))
    };
    for w in tokens.windows(4) {
        let [a, and, b, verb] = w else { continue };
        if a.sent_start
            && and.lower == "and"
            && matches!(verb.lower.as_ref(), "were" | "are" | "have" | "had")
            && [(a, and), (and, b), (b, verb)]
                .iter()
                .all(|(x, y)| &text[x.end..y.start] == " ")
            && shaped(a)
            && shaped(b)
            && (pure_name(a) || pure_name(b))
        {
            for t in [a, b] {
                let known = found.iter().chain(out.iter()).any(|c| {
                    c.entity == EntityType::PERSON
                        && c.score >= crate::analyzer::DEFAULT_MIN_SCORE
                        && c.start <= t.start
                        && t.end <= c.end
                });
                if known {
                    continue;
                }
                out.push(Candidate {
                    entity: EntityType::PERSON,
                    start: t.start,
                    end: t.end,
                    score: 0.6,
                    recognizer: person,
                });
            }
        }
    }
}

/// Whether token `i` is a name by the found name it is listed with
/// (`held`: per token, the best score of a found name holding it).
fn is_partner(
    text: &str,
    lowercase_text: bool,
    tokens: &[Token<'_>],
    held: &[f32],
    i: usize,
) -> bool {
    let t = &tokens[i];
    {
        // The word beside `a` on the far side of ", ", " & " or " and ", if `b` is it.
        let joined = |a: &Token<'_>, b: &Token<'_>, and: Option<&Token<'_>>| match and {
            Some(m) => {
                m.lower == "and" && &text[a.end..m.start] == " " && &text[m.end..b.start] == " "
            }
            None => matches!(&text[a.end..b.start], ", " | " & "),
        };
        // The best score of a found name coordinated with this word.
        let partner_score = || {
            let mut best = 0.0f32;
            if tokens.get(i + 1).is_some_and(|n| joined(t, n, None)) {
                best = best.max(held[i + 1]);
            }
            if tokens
                .get(i + 2)
                .is_some_and(|n| joined(t, n, tokens.get(i + 1)))
            {
                best = best.max(held[i + 2]);
            }
            if let Some(k) = i.checked_sub(1).filter(|&k| joined(&tokens[k], t, None)) {
                best = best.max(held[k]);
            }
            if let Some(k) = i
                .checked_sub(2)
                .filter(|&k| joined(&tokens[k], t, tokens.get(k + 1)))
            {
                best = best.max(held[k]);
            }
            best
        };
        // Every outcome needs a found name coordinated with this word: where
        // there is none, the word's own shape need not be looked at. A
        // suffix after a name is none ("Filemonsen DDS, Yuito Hirai").
        let p = partner_score();
        if p == 0.0 || POSTNOMINALS.contains(&t.lower.as_ref()) {
            return false;
        }
        // "Usamov and Bowers were…": a capitalised word no list knows,
        // coordinated with a found name, is a name too.
        // (In text without capitals, any word no list knows.)
        let unknown = (t.cap || lowercase_text)
            && !camel_case(t.text)
            && !written_as_code(text, t)
            && t.text.chars().all(char::is_alphabetic)
            && t.text.chars().count() >= 3
            && t.lex.first().is_none()
            && t.lex.last().is_none_or(|r| r > 20000)
            && !t
                .lex
                .is(class::WORD | class::TITLE | class::STOP | class::NATIONALITY);
        // "Marrero and Murphy", "Park and Mann": beside a confident name,
        // a known surname or a capitalised ordinary word is a name too.
        let name_shaped = t.cap
            && !camel_case(t.text)
            && !written_as_code(text, t)
            && t.text.chars().count() >= 3
            && !t
                .lex
                .is(class::TITLE | class::STOP | class::NATIONALITY | class::ORG);
        // In text without capitals, a listed name ("crystal, omar and brandy").
        let listed = lowercase_text
            && (t.lex.first().is_some() || t.lex.last().is_some())
            && !t
                .lex
                .is(class::TITLE | class::STOP | class::NATIONALITY | class::ORG);
        (unknown && p > 0.0) || ((name_shaped || listed) && p >= 0.75) || (listed && p >= 0.6)
    }
}

impl NameRecognizer {
    /// Build the recognizer (the gazetteers load on first use).
    pub fn new() -> Self {
        NameRecognizer {
            person: "person_gazetteer",
            location: "location_gazetteer",
            quasi: crate::quasi::QuasiRecognizer::default(),
        }
    }

    /// Append PERSON and LOCATION candidates in `text` to `out`, and the
    /// quasi-identifiers (AGE, NRP, TITLE, ORGANIZATION) found with the same tokens.
    pub fn analyze(&self, text: &str, out: &mut Vec<Candidate>) {
        self.analyze_lowered(text, &ascii_lowered(text), out);
    }

    /// As [`NameRecognizer::analyze`], with `lowered` =
    /// [`ascii_lowered`]`(text)` computed by the caller.
    pub fn analyze_lowered(&self, text: &str, lowered: &str, out: &mut Vec<Candidate>) {
        let mut pass = self.start_pass(text, lowered, out);
        self.persons_stage(&mut pass, out);
        self.quasi_stage(&mut pass, out);
        self.last_stage(&mut pass, out);
    }

    /// The first stage of [`NameRecognizer::analyze_lowered`], whose
    /// stages a caller may run over several texts in turn (each text's
    /// stages in order, on its own `out`): the words and what the lists
    /// say of them, the values of name fields, the places.
    pub(crate) fn start_pass<'a>(
        &self,
        text: &'a str,
        lowered: &'a str,
        out: &mut Vec<Candidate>,
    ) -> NamePass<'a> {
        let g = Gazetteer::get();
        let mut tokens = tokenize(text, lowered);
        let blobs = blob_spans(text);
        drop_blob_tokens(&blobs, &mut tokens);
        drop_blob_tokens(&attribute_spans(text), &mut tokens);
        drop_character_names(text, &mut tokens);
        let mut pass = NamePass {
            text,
            lowered,
            tokens: Vec::new(),
            blobs,
            used: Vec::new(),
            lowercase_text: false,
            shouting: false,
            institutions: false,
            nouns_capitalised: false,
        };
        if tokens.is_empty() {
            return pass;
        }
        // Whether an institution's name may stand in the text ("University
        // of …"): most texts hold none, and the rules that read one are skipped.
        let mut institutions = false;
        let mut votes = crate::language::LanguageVotes::default();
        g.with_recent(|recent| {
            for t in &mut tokens {
                t.lex = recent.lex(&t.lower);
                // "Muñoz", "José": the name lists spell names without
                // diacritics (not UTF-8 read as Latin-1: "TomÃ©").
                if !t.lower.is_ascii()
                    && t.lex.first().is_none()
                    && t.lex.last().is_none()
                    && !t.text.contains(['Ã', 'Â'])
                    && let Some(plain) = without_diacritics(&t.lower)
                {
                    t.lex = t.lex.with_names_of(recent.lex(&plain));
                }
                // "Redistributions": the plural of an ordinary word is one.
                if t.lex.is_unlisted()
                    && inflected_stem(&t.lower).is_some_and(|s| recent.lex(s).is(class::WORD))
                {
                    t.lex = Lex::inflected_word();
                }
                institutions |= t.cap && t.lex.is(class::INSTITUTION);
                votes.count(text, t);
            }
        });
        // "Désactiver la limite", "valori non validi": where another
        // language's function word (no article) stands, the words of
        // French, Italian, Portuguese and Dutch that no other list holds
        // are looked up (never in most English text) and vote; they are
        // ordinary words only if the text is voted another language's (in
        // English text they stay what the lists say: "mazzi" a name).
        let mut more_foreign = Vec::new();
        if votes.another_languages_sentence() {
            /// The words the lists know already, or that vote as function
            /// words and articles.
            const NOT_LOOKED_UP: u32 = class::WORD
                | class::FOREIGN_WORD
                | class::STOP
                | class::PARTICLE
                | class::GERMAN_FUNCTION
                | class::FOREIGN_FUNCTION
                | class::ENGLISH_FUNCTION;
            // Each word in lower case may add one vote; capitalised ones
            // none, and they are marked only in text voted another
            // language's.
            let voters = tokens
                .iter()
                .filter(|t| !t.cap && !t.lex.is(NOT_LOOKED_UP))
                .count();
            if votes.could_turn_foreign(u32::try_from(voters).unwrap_or(u32::MAX)) {
                for (k, t) in tokens.iter().enumerate() {
                    if !t.lex.is(NOT_LOOKED_UP) && crate::gazetteer::more_foreign_word(&t.lower) {
                        votes.count_more_foreign_word(text, t);
                        more_foreign.push(k);
                    }
                }
            }
        }
        // "Ich brauche Hilfe mit meiner Bestellung": in text written in
        // another language, its ordinary words are ordinary words, its
        // function words stop words.
        if votes.foreign() {
            // Those languages write their ordinary words in lower case: a
            // listed word capitalised inside a sentence is a name ("ik ben
            // Daan Bakker", "moro em Lisboa"), and so is one opening a
            // sentence before another capitalised word ("Daan Bakker
            // belde"; not "Stampa solo i nomi"). A column of a table or of
            // a command's help opens one too ("-l, --list   Mostra i file").
            for k in more_foreign {
                let t = &tokens[k];
                let opens = t.sent_start
                    || k.checked_sub(1).is_some_and(|p| {
                        let gap = &text[tokens[p].end..t.start];
                        gap.contains("  ") || gap.contains('\t')
                    });
                if !t.cap || (opens && !tokens.get(k + 1).is_some_and(|n| n.cap)) {
                    tokens[k].lex = tokens[k].lex.with_classes(class::MORE_FOREIGN_WORD);
                }
            }
            for t in &mut tokens {
                t.lex = t
                    .lex
                    .in_foreign_text(t.cap && !t.sent_start, t.cap && t.sent_start);
            }
        }
        // "Mac OS X", "Palm OS": the word before "OS" names an operating
        // system, a product.
        for k in 1..tokens.len() {
            if tokens[k].text == "OS"
                && text[tokens[k - 1].end..tokens[k].start]
                    .chars()
                    .all(char::is_whitespace)
                && tokens[k - 1].end < tokens[k].start
            {
                tokens[k - 1].lex = tokens[k - 1].lex.with_classes(class::PRODUCT);
            }
        }
        let lowercase_text = !text.chars().any(char::is_uppercase);
        let caps_share = tokens
            .iter()
            .filter(|t| t.text.chars().all(|c| !c.is_lowercase()))
            .count() as f32
            / tokens.len() as f32;
        let shouting = caps_share > 0.6;
        let mut used = vec![false; tokens.len()];
        // The value of a person's name field is no place ("Customer name:
        // Sakura Takahashi"): hidden from the gazetteer places, then judged
        // as names.
        // Every label ends with a colon: most texts hold none.
        let labels = memchr::memchr(b':', text.as_bytes()).is_some();
        let mut name_values = if labels {
            self.name_field_values(text, lowered, &tokens, &mut used, out)
        } else {
            Vec::new()
        };
        // Those found without capitals stay found.
        name_values.retain(|&k| !used[k]);
        for &k in &name_values {
            used[k] = true;
        }
        self.places(
            text,
            lowered,
            &tokens,
            g,
            lowercase_text,
            shouting,
            institutions,
            &mut used,
            out,
        );
        for &k in &name_values {
            used[k] = false;
        }
        if labels && !lowercase_text && !shouting {
            self.field_values(text, lowered, &tokens, &mut used, out);
        }
        pass.tokens = tokens;
        pass.used = used;
        pass.lowercase_text = lowercase_text;
        pass.shouting = shouting;
        pass.institutions = institutions;
        pass.nouns_capitalised = votes.german();
        pass
    }

    /// The second stage: the people.
    pub(crate) fn persons_stage(&self, pass: &mut NamePass<'_>, out: &mut Vec<Candidate>) {
        if pass.tokens.is_empty() {
            return;
        }
        self.persons(
            pass.text,
            pass.lowered,
            &pass.tokens,
            Gazetteer::get(),
            pass.lowercase_text,
            pass.shouting,
            pass.institutions,
            pass.nouns_capitalised,
            &pass.used,
            out,
        );
    }

    /// The third stage: the quasi-identifiers (ages, NRP, titles,
    /// organisations).
    pub(crate) fn quasi_stage(&self, pass: &mut NamePass<'_>, out: &mut Vec<Candidate>) {
        if pass.tokens.is_empty() {
            return;
        }
        self.quasi.analyze(
            pass.text,
            pass.lowered,
            &pass.tokens,
            &pass.used,
            &pass.blobs,
            pass.lowercase_text || pass.shouting,
            pass.institutions,
            out,
        );
    }

    /// The last stage: things named after "the" and defined terms taken
    /// out, other mentions of found names, pairs of subjects.
    pub(crate) fn last_stage(&self, pass: &mut NamePass<'_>, out: &mut Vec<Candidate>) {
        if pass.tokens.is_empty() {
            return;
        }
        let (text, tokens, lowercase_text) = (pass.text, &pass.tokens, pass.lowercase_text);
        let mut more = Vec::new();
        // "the Valgrind gdbserver", "the Licensor": a word no list holds
        // that the text writes after "the" names a thing there, neither a
        // person nor (after "from", "in") an unlisted place; a term a legal
        // text defines in quotes ("Covered Software" means …, (the
        // "Affirmer")) is no firm either ("The Avalara office" stays one).
        let mut things = things_after_the(text, tokens);
        let terms = defined_terms(text);
        let holds = |list: &[&str], v: &str| list.binary_search(&v).is_ok();
        if !things.is_empty() || !terms.is_empty() {
            out.retain(|c| {
                let named =
                    c.score < 0.8 && (c.recognizer == self.person || c.recognizer == self.location);
                let firm = !named && c.score < 0.9 && c.recognizer == self.quasi.org;
                if !(named || firm) {
                    return true;
                }
                let value = &text[c.start..c.end];
                !(holds(&terms, value) || (named && holds(&things, value)))
            });
        }
        things.extend(terms);
        things.sort_unstable();
        other_mentions(text, lowercase_text, tokens, &things, out, &mut more);
        subject_pairs(text, tokens, lowercase_text, out, &mut more);
        out.append(&mut more);
    }

    /// The values of person's name fields ([`name_label_before`]: "Name:",
    /// "Last name:", "Customer:"), each label read once, in one walk of
    /// the tokens after a colon.
    ///
    /// A value written without capitals or all in capitals ("name: john
    /// smith", "NAME: JOHN SMITH", "last name: brown") is a PERSON here,
    /// its tokens marked `used`: the first word a first name of some
    /// frequency (0.05% or more) or one of the [`LABELLED_SURNAME_RANK`]
    /// commonest surnames, up to two more words one space apart, each such
    /// a name or a listed surname no ordinary word, and the value ends the
    /// field. Words no list holds as a name stay out (`name: build`, `name:
    /// rust`, `name: self.name.to_string()`: code and configuration keep
    /// their values).
    ///
    /// Returned: the tokens of capitalised values (the capitalised words
    /// right after the label, joined by single spaces, hyphens or an
    /// initial's ". "), hidden from the gazetteer places and judged as
    /// names by the caller.
    fn name_field_values(
        &self,
        text: &str,
        lowered: &str,
        tokens: &[Token<'_>],
        used: &mut [bool],
        out: &mut Vec<Candidate>,
    ) -> Vec<usize> {
        let uncased = |t: &Token<'_>| !t.cap || shouted(t);
        let common_first = |t: &Token<'_>| t.lex.first().is_some_and(|f| f >= 0.05);
        let common_last = |t: &Token<'_>| t.lex.last().is_some_and(|r| r <= LABELLED_SURNAME_RANK);
        let mut values = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            // Cheapest first: most words are neither capitalised nor a
            // common name, and most follow no colon.
            let opens_uncased = (common_first(t) || common_last(t))
                && !used[i]
                && uncased(t)
                && t.text.chars().all(char::is_alphabetic);
            let Some(label_end) = (t.cap || opens_uncased)
                .then(|| label_end_before(text, tokens, i))
                .flatten()
            else {
                i += 1;
                continue;
            };
            let gap = &text[label_end..t.start];
            // An uncased value stands on the label's line; a capitalised
            // one may start the next.
            let uncased_here = opens_uncased && gap.trim_start_matches([' ', '\t']).is_empty();
            let cased_here = t.cap && gap.trim_start().is_empty();
            if !(uncased_here || cased_here) || !name_label_before(text, lowered, label_end) {
                i += 1;
                continue;
            }
            if cased_here {
                values.push(i);
                let mut j = i + 1;
                while j < tokens.len()
                    && tokens[j].cap
                    && matches!(&text[tokens[j - 1].end..tokens[j].start], " " | "-" | ". ")
                {
                    values.push(j);
                    j += 1;
                }
            }
            if !uncased_here {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < tokens.len()
                && j < i + 3
                && !used[j]
                && &text[tokens[j - 1].end..tokens[j].start] == " "
                && uncased(&tokens[j])
                && tokens[j].text.chars().all(char::is_alphabetic)
                && (common_first(&tokens[j])
                    || common_last(&tokens[j])
                    || (tokens[j].lex.last().is_some() && !tokens[j].lex.is(class::WORD)))
            {
                j += 1;
            }
            // The value ends the field: `name: self.name.to_string()` is code.
            let after = &text[tokens[j - 1].end..];
            let ends = match after.chars().next() {
                None => true,
                Some('.') => after[1..].chars().next().is_none_or(char::is_whitespace),
                Some(c) => c.is_whitespace() || matches!(c, ',' | ';' | ')' | '"' | '\''),
            };
            if ends {
                out.push(Candidate {
                    entity: EntityType::PERSON,
                    start: t.start,
                    end: tokens[j - 1].end,
                    score: 0.8,
                    recognizer: self.person,
                });
                for u in &mut used[i..j] {
                    *u = true;
                }
            }
            i = j;
        }
        values
    }

    /// The values of place, organisation and occupation fields ([`field_label_before`]:
    /// "City: Dunnberg", "Company: Fowler, Watson and Kelley", the cells of
    /// a `city` or `company` column) that the gazetteers did not find, as
    /// LOCATION and ORGANIZATION; their tokens are marked `used`.
    /// - A place: the capitalised words right after the label, one of them
    ///   no ordinary word and none naming a body ("West Jasonhaven"; "State:
    ///   Active", "City: Infocommerce Group" are no places).
    /// - A place may also be words that open with a place's prefix ("East
    ///   Mark", "Port John": [`PLACE_PREFIXES`]).
    /// - An organisation or an occupation (TITLE): the rest of the line
    ///   ([`line_value_end`]).
    fn field_values(
        &self,
        text: &str,
        lowered: &str,
        tokens: &[Token<'_>],
        used: &mut [bool],
        out: &mut Vec<Candidate>,
    ) {
        for i in 0..tokens.len() {
            let t = &tokens[i];
            let Some(label_end) = label_end_before(text, tokens, i) else {
                continue;
            };
            if used[i] || camel_case(t.text) || written_as_code(text, t) {
                continue;
            }
            // Only an address's value may hold more than spaces before its
            // first word.
            let after_colon = &text[label_end..t.start];
            let field = field_label_before(text, lowered, label_end);
            if field != Some(Field::Address) && !(t.cap && after_colon.trim_start().is_empty()) {
                continue;
            }
            match field {
                Some(Field::Place) => {
                    let mut j = i + 1;
                    while j < tokens.len()
                        && !used[j]
                        && tokens[j].cap
                        && matches!(&text[tokens[j - 1].end..tokens[j].start], " " | "-")
                    {
                        j += 1;
                    }
                    let value = &tokens[i..j];
                    let prefixed = value.len() > 1 && PLACE_PREFIXES.contains(&t.text);
                    if (prefixed
                        || value
                            .iter()
                            .any(|v| !v.lex.is(class::WORD | class::STOP | class::TITLE)))
                        && !value.iter().any(|v| v.lex.is(class::ORG))
                    {
                        out.push(Candidate {
                            entity: EntityType::LOCATION,
                            start: t.start,
                            end: value[value.len() - 1].end,
                            score: 0.7,
                            recognizer: self.location,
                        });
                        used[i..j].fill(true);
                    }
                }
                Some(Field::Address) => {
                    // From the first byte after the colon's spaces ("8,
                    // boulevard de Gay") to the end of the line.
                    let start = t.start - after_colon.trim_start().len();
                    let Some((first, mut line_end)) = address_line(text, start) else {
                        continue;
                    };
                    if !is_street_value(&text[start..first]) {
                        continue;
                    }
                    let mut parts = vec![(start, first)];
                    // The block's next lines, each its own finding (as the
                    // address recognizer keeps a block's layout): up to
                    // three, to an empty line or one holding a colon.
                    while parts.len() < 4 {
                        let rest = &text[line_end..];
                        let Some(next) = rest
                            .strip_prefix("\r\n")
                            .or_else(|| rest.strip_prefix('\n'))
                            .map(|r| line_end + (rest.len() - r.len()))
                        else {
                            break;
                        };
                        let from = next
                            + (text[next..].len()
                                - text[next..].trim_start_matches([' ', '\t', ',']).len());
                        match address_line(text, from) {
                            Some((e, le))
                                if e > from && e - from <= 60 && !text[from..e].contains(':') =>
                            {
                                parts.push((from, e));
                                line_end = le;
                            }
                            _ => break,
                        }
                    }
                    let end = parts[parts.len() - 1].1;
                    for &(s, e) in &parts {
                        out.push(Candidate {
                            entity: EntityType::LOCATION,
                            start: s,
                            end: e,
                            score: 0.8,
                            recognizer: self.location,
                        });
                    }
                    mark_used_until(tokens, used, i, end);
                }
                Some(field @ (Field::Organization | Field::Occupation)) => {
                    let Some(end) = line_value_end(text, t.start) else {
                        continue;
                    };
                    let (entity, recognizer) = if field == Field::Organization {
                        (EntityType::ORGANIZATION, self.quasi.org)
                    } else {
                        (EntityType::TITLE, self.quasi.title)
                    };
                    out.push(Candidate {
                        entity,
                        start: t.start,
                        end,
                        score: 0.8,
                        recognizer,
                    });
                    mark_used_until(tokens, used, i, end);
                }
                Some(Field::Person) | None => {}
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn places(
        &self,
        text: &str,
        lowered: &str,
        tokens: &[Token<'_>],
        g: &Gazetteer,
        lowercase_text: bool,
        shouting: bool,
        institutions: bool,
        used: &mut [bool],
        out: &mut Vec<Candidate>,
    ) {
        let mut i = 0;
        let mut key = String::new();
        while i < tokens.len() {
            // A place name starts with a capital (outside all-lower-case text).
            if !lowercase_text && !tokens[i].cap {
                i += 1;
                continue;
            }
            let Some(&longest) = g.place_starts.get(tokens[i].lower.as_ref()) else {
                i += 1;
                continue;
            };
            let mut matched = 0;
            for n in (1..=g.max_place_words.min(longest).min(tokens.len() - i)).rev() {
                let span = &tokens[i..i + n];
                if span
                    .windows(2)
                    .any(|w| place_gap(&text[w[0].end..w[1].start]).is_none())
                {
                    continue;
                }
                if !lowercase_text
                    && !span.iter().all(|t| {
                        t.cap
                            || (n > 1 && elided_capital(t.text))
                            || (n > 1
                                && matches!(
                                    t.lower.as_ref(),
                                    "of" | "and"
                                        | "de"
                                        | "la"
                                        | "upon"
                                        | "on"
                                        | "the"
                                        | "del"
                                        | "do"
                                        | "da"
                                        | "am"
                                        | "an"
                                        | "der"
                                        | "sur"
                                        | "en"
                                        | "di"
                                        | "nad"
                                        | "pod"
                                        | "na"
                                        | "bei"
                                        | "im"
                                        | "op"
                                        | "aan"
                                        | "les"
                                ))
                    })
                {
                    continue;
                }
                key.clear();
                for (k, t) in span.iter().enumerate() {
                    if k > 0 {
                        let gap = &text[span[k - 1].end..t.start];
                        key.push_str(place_gap(gap).unwrap_or(gap));
                    }
                    key.push_str(t.lower.as_ref());
                }
                if let Some(kind) = g.places.get(key.as_str())
                    && !(n == 1 && crate::lexicon::GREETINGS.contains(&key.as_str()))
                {
                    matched = n;
                    let t0 = &span[0];
                    let before = lower_window(text, lowered, t0.start, 24);
                    let word = n == 1 && t0.lex.is(class::WORD);
                    let name_like = n == 1
                        && (t0.lex.first().is_some_and(|f| f >= 0.001)
                            || t0.lex.last().is_some_and(|r| r < 5000));
                    let place_cue = ends_with_cue(&before, &PLACE_CUE_SET)
                        || (!name_like && before.trim_end().ends_with(','))
                        || field_label_before(text, lowered, t0.start) == Some(Field::Place)
                        || (n == 1 && name_like && region_beside(text, tokens, i, g));
                    let next_is_cap = tokens
                        .get(i + n)
                        .is_some_and(|t| t.cap && &text[span[n - 1].end..t.start] == " ");
                    let all_caps = n == 1 && t0.text.chars().all(|c| !c.is_lowercase());
                    // "Japan Airlines", "Korea Information Security Agency":
                    // the place starts a firm's name (capitalised words, one
                    // space apart, up to a company word), left to the
                    // organisation pass.
                    let starts_firm = next_is_cap && {
                        let mut j = i + n;
                        let mut firm = false;
                        while j < tokens.len()
                            && j < i + n + 4
                            && tokens[j].cap
                            && &text[tokens[j - 1].end..tokens[j].start] == " "
                        {
                            if tokens[j].lex.is(class::ORG_SUFFIX)
                                || (institutions && institution_of(text, tokens, j + 1))
                            {
                                firm = true;
                                break;
                            }
                            j += 1;
                        }
                        firm
                    };
                    // "Tiszabög Country Club": a place of ordinary words only,
                    // right after a capitalised word that is no ordinary
                    // word ("In United States" is the country), ends a longer name.
                    let tail_of_name = n > 1
                        && span.iter().all(|t| t.lex.is(class::WORD | class::ORG))
                        && i > 0
                        && tokens[i - 1].cap
                        && !tokens[i - 1].lex.is(class::WORD | class::STOP)
                        && &text[tokens[i - 1].end..t0.start] == " ";
                    // A country written with its capital mid-sentence is the
                    // country even when it is also a word ("I love Japan") or
                    // a surname ("Spain leader") or a rare first name
                    // ("France"); a first name ("Chad", "Jordan") still
                    // needs a cue.
                    let country = matches!(kind, PlaceKind::Country)
                        && n == 1
                        && !shouting
                        && !lowercase_text
                        && !all_caps
                        && t0.lex.first().is_none_or(|f| f < COUNTRY_FIRST_NAME_FREQ)
                        && (!t0.sent_start || !t0.lex.is(class::WORD));
                    // "University of Chicago", "Royal Bank of Canada": the
                    // end of an institution's name, left to the
                    // organisation pass.
                    let of_institution = institutions && after_institution_of(text, tokens, i);
                    let score = match kind {
                        _ if tail_of_name || starts_firm || of_institution => 0.0,
                        _ if n == 1 && !place_cue && beside_a_name(text, tokens, i, g) => 0.0,
                        _ if n == 1 && weekday_before_date(text, t0) => 0.0,
                        // "para", "este", "como": a function word (in text
                        // of its language) is no place of one word.
                        _ if n == 1 && t0.lex.is(class::STOP) => 0.0,
                        _ if n == 1
                            && (named_by_code(
                                &text.as_bytes()[..t0.start],
                                &text.as_bytes()[t0.end..],
                            ) || glued_to_identifier(text, t0)
                                || (t0.text.len() == 3 && calendar_word(text, t0))) =>
                        {
                            0.0
                        }
                        _ if country => 0.85,
                        _ if word && !place_cue => 0.0,
                        _ if all_caps && !place_cue && !shouting => 0.0,
                        _ if word => 0.6,
                        _ if name_like && !place_cue => 0.0,
                        _ if name_like && next_is_cap => 0.0,
                        PlaceKind::Country | PlaceKind::State | PlaceKind::Continent => 0.85,
                        PlaceKind::City if n > 1 => 0.8,
                        PlaceKind::City => {
                            if place_cue {
                                0.8
                            } else {
                                0.7
                            }
                        }
                    };
                    let score = if lowercase_text || shouting {
                        score * 0.9
                    } else {
                        score
                    };
                    if score > 0.0 {
                        out.push(Candidate {
                            entity: EntityType::LOCATION,
                            start: t0.start,
                            end: span[n - 1].end,
                            score,
                            recognizer: self.location,
                        });
                        for u in used.iter_mut().skip(i).take(n) {
                            *u = true;
                        }
                    } else {
                        matched = 0;
                    }
                    break;
                }
            }
            i += matched.max(1);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn persons(
        &self,
        text: &str,
        lowered: &str,
        tokens: &[Token<'_>],
        g: &Gazetteer,
        lowercase_text: bool,
        shouting: bool,
        institutions: bool,
        nouns_capitalised: bool,
        used: &[bool],
        out: &mut Vec<Candidate>,
    ) {
        let shaped = |t: &Token<'_>| -> bool {
            if lowercase_text || shouting {
                // A listed name, unless written as code ("fn main() {
                // json!(…)": a file of code may have no capitals at all).
                (t.lex.first().is_some() || t.lex.last().is_some())
                    && !t.lex.is(class::WORD | class::PRODUCT)
                    && !written_as_code(text, t)
                    || t.cap && !shouting
                    // In text without capitals, a word no list holds that
                    // is spelt like a name ("why is yulan so impulsive?"),
                    // or follows a place phrase ("grew up in lubbeek").
                    || (lowercase_text
                        && t.unlisted_prose_word(text)
                        && (crate::spelling::spelt_like_a_name_from(t.text, LOWERCASE_NAME_LIKE)
                            || ends_with_cue(
                                &lower_window(text, lowered, t.start, 24),
                                &PLACE_PHRASE_SET,
                            )))
            } else {
                (t.cap || t.initial)
                    && !(t.lex.is(class::PRODUCT)
                        || camel_case(t.text)
                        || written_as_code(text, t)
                        || weekday_before_date(text, t)
                        || (t.lex.is_unlisted()
                            && (hyphenated_words(t.text, g) || hyphenated_acronym(t.text))))
            }
        };
        // In text without case, a word right after a title ("mr. martin"),
        // or one that is no ordinary word after a naming cue ("my name is
        // mieszko"), starts a name.
        let cued = |k: usize| -> bool {
            (lowercase_text || shouting)
                && !tokens[k]
                    .lex
                    .is(class::STOP | class::TITLE | class::PRODUCT)
                && k > 0
                && ((tokens[k - 1].lex.is(class::TITLE)
                    && matches!(&text[tokens[k - 1].end..tokens[k].start], " " | ". "))
                    || (!tokens[k].lex.is(class::WORD)
                        && ends_with_cue(
                            &lower_window(text, lowered, tokens[k].start, 24),
                            &NAMING_CUE_SET,
                        )))
        };
        let mut i = 0;
        while i < tokens.len() {
            if used[i] || !(shaped(&tokens[i]) || cued(i)) || tokens[i].is_particle() {
                i += 1;
                continue;
            }
            if institutions && tokens[i].cap && after_institution_of(text, tokens, i) {
                // "Bank of America": the organisation pass's, to its last
                // capitalised word.
                i += 1;
                while i < tokens.len()
                    && tokens[i].cap
                    && &text[tokens[i - 1].end..tokens[i].start] == " "
                {
                    i += 1;
                }
                continue;
            }
            // Grow a run of name-shaped tokens separated by single spaces (or ". " after an initial).
            let mut j = i + 1;
            while j < tokens.len() && j - i < 5 && !used[j] {
                let gap = &text[tokens[j - 1].end..tokens[j].start];
                let prev_initial = tokens[j - 1].initial || tokens[j - 1].text.chars().count() <= 2;
                let gap_ok =
                    gap == " " || (prev_initial && (gap == ". " || gap == ".")) || gap == "-";
                if !gap_ok {
                    break;
                }
                let t = &tokens[j];
                let particle_inside = t.is_particle()
                    && tokens
                        .get(j + 1)
                        .is_some_and(|n| n.cap && &text[t.end..n.start] == " ");
                // In text without capitals, a second unlisted word joins a
                // name at the usual spelling threshold ("guðgeir bergsveinsson").
                let joins = lowercase_text
                    && t.unlisted_prose_word(text)
                    && crate::spelling::spelt_like_a_name(t.text);
                if shaped(t) || particle_inside || joins {
                    j += 1;
                } else {
                    break;
                }
            }
            self.judge_run(
                text,
                lowered,
                &tokens[i..j],
                g,
                Case {
                    weak: lowercase_text || shouting,
                    nouns_capitalised,
                },
                out,
            );
            i = j;
        }
    }

    fn judge_run(
        &self,
        text: &str,
        lowered: &str,
        run: &[Token<'_>],
        g: &Gazetteer,
        case: Case,
        out: &mut Vec<Candidate>,
    ) {
        let weak_case = case.weak;
        #[derive(Clone, Copy, PartialEq, Debug)]
        enum Class {
            Title,
            First,
            Last,
            WordName,
            Unknown,
            Word,
            Initial,
            Particle,
            Org,
        }
        let classify = |t: &Token<'_>| -> Class {
            let lex = t.lex;
            if lex.is(class::TITLE) {
                return Class::Title;
            }
            if t.initial {
                let pronoun = t.text == "I" && !text[t.end..].starts_with('.');
                return if pronoun { Class::Word } else { Class::Initial };
            }
            if t.is_particle() {
                return Class::Particle;
            }
            // "You're", "They'll", "Don't": a contraction is no name.
            if t.lower
                .rsplit_once(['\'', '’'])
                .is_some_and(|(_, tail)| matches!(tail, "re" | "ve" | "ll" | "d" | "m" | "t"))
            {
                return Class::Word;
            }
            if lex.is(class::ORG) {
                return Class::Org;
            }
            if lex.is(class::PRODUCT) {
                return Class::Word;
            }
            // "We'll meet Monday at Corelogic": a weekday is the date pattern's.
            if lex.is(class::WEEKDAY) {
                return Class::Word;
            }
            let acronym = t.text.chars().count() >= 2 && t.text.chars().all(|c| !c.is_lowercase());
            if lex.is(class::STOP) || (acronym && !weak_case && t.text.chars().count() <= 5) {
                return Class::Word;
            }
            if lex.is(class::COMMON_WORD_NAME) {
                return Class::WordName;
            }
            let (first, last) = (lex.first(), lex.last());
            if lex.is(class::WORD) {
                return if first.is_some_and(|f| f >= 0.03) {
                    Class::First
                } else if first.is_some() {
                    Class::WordName
                } else {
                    Class::Word
                };
            }
            if lex.is(class::NATIONALITY) {
                return Class::Word;
            }
            match (first, last) {
                (Some(_), _) => Class::First,
                (None, Some(r)) if r <= 60000 => Class::Last,
                _ if acronym && !weak_case => Class::Word,
                _ => Class::Unknown,
            }
        };
        // Words no list knows, after a place cue ("flew to Loeches", "grew up in SUND"), are places.
        {
            let unknown = |t: &Token<'_>| {
                ((t.lex.first().is_none() && t.lex.last().is_none_or(|r| r > 20000))
                    || t.lex.is(class::FOLDED))
                    && !t.lex.is(class::WORD | class::TITLE | class::PRODUCT)
            };
            // "Where: Tiszabög Country Club": the place, then the venue's words.
            let k = run
                .iter()
                .position(|t| !(unknown(t) || t.is_particle()))
                .unwrap_or(run.len());
            if k > 0 {
                // "lives in COOMINGLAH FOREST", "arrived at Oamaru Central":
                // words that end a place's name belong to it.
                let tail = run[k..]
                    .iter()
                    .take_while(|t| PLACE_TAILS.contains(&t.lower.as_ref()))
                    .count();
                if run[k + tail..].iter().all(|t| t.lex.is(class::ORG))
                    && !(run[..k].iter().all(shouted)
                        && acronym_before(text, run[run.len() - 1].end, g))
                    && !before_a_product(text, run[run.len() - 1].end, g)
                    && ends_with_cue(
                        &lower_window(text, lowered, run[0].start, 24),
                        &PLACE_STRONG_SET,
                    )
                    && !run[..k].iter().all(|t| t.initial)
                {
                    let end = run[k + tail - 1].end;
                    out.push(Candidate {
                        entity: EntityType::LOCATION,
                        start: run[0].start,
                        end,
                        score: 0.65,
                        recognizer: self.location,
                    });
                    return;
                }
            }
        }
        // "on Marina Fort Street", "Baker Street": capitalised words before a
        // street type name a street (a number before them is the address
        // recognizer's).
        if let Some(k) = run.iter().position(|t| STREET_WORDS.contains(&t.text))
            && k > 0
            && run[..k]
                .iter()
                .all(|t| t.cap && !t.initial && !t.lex.is(class::STOP | class::TITLE))
        {
            out.push(Candidate {
                entity: EntityType::LOCATION,
                start: run[0].start,
                end: run[k].end,
                score: 0.7,
                recognizer: self.location,
            });
            if k + 1 < run.len() {
                self.judge_run(text, lowered, &run[k + 1..], g, case, out);
            }
            return;
        }
        let mut classes: Vec<Class> = run.iter().map(classify).collect();
        // "Charles E. Campbell, Jr.": a suffix opening a run is no name of
        // its own (after a name, in its run, it is part of it: "Terry
        // Cardoso PhD").
        if POSTNOMINALS.contains(&run[0].lower.as_ref()) {
            classes[0] = Class::Word;
        }
        // "Ronald Wright", "Jane Hunt": a common surname that is also a word
        // is the surname after a first name.
        for k in 1..run.len() {
            if classes[k] == Class::Word
                && classes[k - 1] == Class::First
                && run[k].cap
                && !run[k].lex.is(class::STOP)
                && run[k]
                    .lex
                    .last()
                    .is_some_and(|r| r <= LABELLED_SURNAME_RANK)
            {
                classes[k] = Class::WordName;
            }
        }
        // "Christian Dywan", "Christian Kastner": a nationality or faith
        // word that is also a common first name is the first name before a
        // surname or a word no list holds (not before an ordinary word:
        // "Christian Church", "Christian Science"; nor before another NRP
        // word: "Christian Arabs").
        for k in 0..run.len().saturating_sub(1) {
            if classes[k] == Class::Word
                && run[k].cap
                && run[k].lex.is(class::NATIONALITY)
                && run[k].lex.first().is_some_and(|f| f >= 0.03)
                && matches!(classes[k + 1], Class::Last | Class::Unknown | Class::First)
                && run[k + 1].cap
                && !run[k + 1].lex.is(class::NRP | class::NRP_PLURAL)
                && &text[run[k].end..run[k + 1].start] == " "
            {
                classes[k] = Class::First;
            }
        }
        // Whether a title stands before the run (looked up at most once).
        let titled_run = std::cell::LazyCell::new(|| titled_before(text, lowered, run[0].start));
        // "Marshall, Hernandez and Simpson": three surnames (no first name)
        // name a firm; each of the three pushes the whole (merged as one),
        // and words after the last are judged on their own ("… Orchestra").
        // "Thomas and Sons": the run and its sons are one firm.
        if let Some((start, end)) = and_sons(text, run[0].start, run[run.len() - 1].end, g) {
            out.push(Candidate {
                entity: EntityType::ORGANIZATION,
                start,
                end,
                score: 0.8,
                recognizer: self.quasi.org,
            });
            return;
        }
        if run[0].lex.first().is_none_or(|f| f < FIRM_FIRST_NAME_FREQ)
            && let Some((start, end)) = firm_triple(text, run[0].start, run[0].end, g)
            && !*titled_run
        {
            out.push(Candidate {
                entity: EntityType::ORGANIZATION,
                start,
                end,
                score: 0.7,
                recognizer: self.quasi.org,
            });
            if run.len() > 1 {
                self.judge_run(text, lowered, &run[1..], g, case, out);
            }
            return;
        }
        if classes.contains(&Class::Org) {
            return;
        }
        // Titles: whatever name-shaped tokens follow are the name.
        let mut lo = 0;
        let mut titled = false;
        while lo < run.len() && classes[lo] == Class::Title {
            titled = true;
            lo += 1;
        }
        if !titled {
            titled = *titled_run;
        }
        // Whether a name field's label stands before the run ("Surname:
        // Baker", the cells of a `last_name` column; looked up at most once).
        let labelled = std::cell::LazyCell::new(|| name_label_before(text, lowered, run[0].start));
        // "Mr. Spears", "her maiden name is Key": after a title or a naming
        // cue an ordinary capitalised word is the name itself; so is a
        // common surname after a name field's label ("Name: Smith").
        if lo < run.len()
            && classes[lo] == Class::Word
            && !run[lo].initial
            && !run[lo].lex.is(class::STOP)
            && (titled
                || (run[lo].cap
                    && !run[lo].sent_start
                    && ends_with_cue(
                        &lower_window(text, lowered, run[lo].start, 24),
                        &NAMING_CUE_SET,
                    ))
                || (lo == 0
                    && run[0]
                        .lex
                        .last()
                        .is_some_and(|r| r <= LABELLED_SURNAME_RANK)
                    && *labelled))
        {
            classes[lo] = Class::WordName;
        }
        // Trim ordinary words at both ends: "Thanks John", "John Tomorrow".
        while lo < run.len() && classes[lo] == Class::Word {
            lo += 1;
        }
        // "Rufen Sie Frau Hinterhuber an": a title after them titles the rest.
        if lo > 0 {
            while lo < run.len() && classes[lo] == Class::Title {
                titled = true;
                lo += 1;
            }
        }
        // "Ich bin Jens Weber": a particle after a trimmed pronoun is the
        // verb it spells ("bin", "am"), not the start of a surname.
        if lo > 0
            && lo < run.len()
            && classes[lo] == Class::Particle
            && run[lo - 1].lex.is(class::STOP)
        {
            lo += 1;
        }
        let mut hi = run.len();
        let words_after = matches!(classes[run.len() - 1], Class::Word);
        while hi > lo
            && matches!(
                classes[hi - 1],
                Class::Word | Class::Particle | Class::Title
            )
        {
            hi -= 1;
        }
        if lo >= hi {
            return;
        }
        let cls = &classes[lo..hi];
        let toks = &run[lo..hi];
        // A sentence-initial ordinary word capitalised by position ("Will you…") is not a name start.
        let (cls, toks) = if !titled
            && cls.len() > 1
            && cls[0] == Class::WordName
            && toks[0].sent_start
            && !(lo == 0 && *labelled)
            && !cls[1..].iter().any(|c| {
                matches!(
                    c,
                    Class::First | Class::Last | Class::Unknown | Class::Initial
                )
            }) {
            (&cls[1..], &toks[1..])
        } else {
            (cls, toks)
        };
        if cls.is_empty() || cls.iter().all(|c| *c == Class::Initial) {
            return;
        }
        let start = toks[0].start;
        let end = toks[toks.len() - 1].end;
        let before = lower_window(text, lowered, start, 24);
        // "The Propublica office", "the Packager": an article before means a thing, not a person.
        let b_trim = before.trim_end();
        let article = b_trim.ends_with(" the")
            || b_trim == "the"
            || b_trim.ends_with(" a")
            || b_trim.ends_with(" an");
        // "The Princess Royal": after an article, ordinary words only are a thing too.
        // But a surname before a common noun is a person's ("the Castro
        // novel", "the Nielsen family").
        // So is a word no list holds that is spelt like a name ("the
        // Takuda novel"), unless the noun says it is a product or a body
        // ("the Debian packages", "the Mozilla project").
        let noun_after = text[end..]
            .strip_prefix(' ')
            .filter(|r| r.starts_with(|c: char| c.is_ascii_lowercase()))
            .map(|r| {
                r.split(|c: char| !c.is_ascii_alphabetic())
                    .next()
                    .unwrap_or("")
            });
        let surname_before_noun = toks.len() == 1
            && noun_after.is_some_and(|noun| {
                cls[0] == Class::Last
                    || (cls[0] == Class::Unknown
                        && !THING_NOUNS.contains(&noun.strip_suffix('s').unwrap_or(noun))
                        && toks[0].spelt_like_a_name())
            });
        // "Unlike the Vizirov novel": a name before a work named after its
        // author is the author's, however it is spelt.
        if !titled
            && article
            && toks.len() == 1
            && noun_after.is_some_and(|n| WORK_NOUNS.contains(&n))
            && matches!(
                cls[0],
                Class::Last | Class::Unknown | Class::WordName | Class::First
            )
            // Not a proper adjective ("the Gothic novel", "the Victorian
            // novel") unless it is spelt like a name.
            && (!["ic", "ese", "ish", "esque", "ian", "ean"]
                .iter()
                .any(|x| toks[0].lower.ends_with(x))
                || crate::spelling::spelt_like_a_name(toks[0].text))
        {
            out.push(Candidate {
                entity: EntityType::PERSON,
                start,
                end,
                score: if weak_case { 0.6 * 0.85 } else { 0.6 },
                recognizer: self.person,
            });
            return;
        }
        if !titled
            && article
            && !surname_before_noun
            && ((toks.len() == 1 && cls[0] != Class::First)
                || toks.iter().all(|t| t.lex.is(class::WORD)))
        {
            return;
        }
        let next_word = crate::context::lowercase(
            text[end..]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_matches(|c: char| !c.is_alphanumeric()),
        );
        if !titled
            && g.with_recent(|recent| recent.lex(&next_word))
                .is(class::ORG)
        {
            return;
        }

        let after_hi = crate::context::floor_char(text, (end + 16).min(text.len()));
        let after = lower_slice(text, lowered, end, after_hi);
        let speaker = toks[0].sent_start
            && after.starts_with(':')
            && text[..start]
                .trim_end_matches([' ', '\t', '>'])
                .ends_with(['\n'])
            || (start == 0 && after.starts_with(':'))
            // A line of dialogue: `Amber: "I'm Cynthia's daughter"`.
            || after.strip_prefix(':').is_some_and(|a| {
                a.trim_start_matches(' ')
                    .trim_start_matches('\\')
                    .starts_with(['"', '“'])
            });
        // Someone spoken to: "Don't go to town, Mark!", "Warrane, can I…".
        let vocative = (before.ends_with(", ") && after.starts_with(['!', '?']))
            || (toks[0].sent_start && opens_with_address(&after));
        // Looked for only where the score depends on it.
        let labelled_here = || toks[0].start == run[0].start && *labelled;
        let cue = std::cell::LazyCell::new(|| {
            titled
                || speaker
                || vocative
                || labelled_here()
                || ends_with_cue(&before, &PERSON_CUE_SET)
                || opens_with_person_cue(&after)
                || beside_first_name(text, start, end, g)
        });
        let count = |c: Class| cls.iter().filter(|x| **x == c).count();
        let (first, last, wordname, unknown, initials) = (
            count(Class::First),
            count(Class::Last),
            count(Class::WordName),
            count(Class::Unknown),
            count(Class::Initial),
        );
        let names = first + last + wordname + unknown;
        let score: f32 = if titled {
            0.9
        } else if names >= 2 || (names >= 1 && initials >= 1 && cls.len() >= 2) {
            if first + last >= 1 {
                0.9
            } else if *cue {
                0.8
            } else if wordname >= 1 && unknown >= 1 {
                0.7
            } else if unknown >= 2 {
                // Where case says nothing, neither does a sentence start.
                if case.nouns_capitalised {
                    // "Kundenkonto Einstellungen": German nouns.
                    0.0
                } else if toks[0].sent_start && !weak_case {
                    0.55
                } else {
                    0.65
                }
            } else {
                0.6
            }
        } else if first == 1 {
            // "2. Grant of Copyright License", "3. License Grant.": a first
            // name that is an ordinary word, capitalised by a heading's
            // title case (after a capitalised word, before its end; or
            // opening a sentence before "of" and a capital), is the word
            // ("John wrote", "Ani Peter <…>" stay names).
            let heading_of = || {
                text[end..]
                    .strip_prefix(" of ")
                    .is_some_and(|r| r.starts_with(|c: char| c.is_uppercase()))
            };
            let heading_end = || text[end..].starts_with(['.', ':']) || heading_of();
            let word_by_position = toks.len() == 1
                && toks[0].lex.is(class::WORD)
                && ((lo > 0 && heading_end()) || (toks[0].sent_start && heading_of()));
            if *cue {
                0.9
            } else if word_by_position {
                0.45
            } else {
                0.75
            }
        } else if last == 1 {
            if *cue {
                0.85
            } else if toks[0].sent_start {
                0.4
            } else {
                0.55
            }
        } else if wordname == 1 {
            if *cue
                && (!toks[0].sent_start
                    || speaker
                    || vocative
                    || labelled_here()
                    || ends_with_cue(&before, &STRONG_CUE_SET))
            {
                0.75
            } else {
                0.0
            }
        } else if unknown == 1 {
            let spelt = || {
                !words_after
                    && toks
                        .iter()
                        .zip(cls)
                        .any(|(t, c)| *c == Class::Unknown && t.spelt_like_a_name())
            };
            if *cue {
                0.7
            } else if case.nouns_capitalised
                || toks[0].sent_start
                || text[end..].starts_with('(')
                || before_a_product(text, end, g)
            {
                // A German noun; a sentence start; or code, a function's
                // name called or defined ("func Foynvdzy(ctx",
                // "Zekyrozo()"); or a kind of a format or protocol
                // ("Metadata XML database").
                0.0
            } else if spelt() {
                0.6
            } else {
                0.45
            }
        } else {
            0.0
        };
        let score = if weak_case { score * 0.85 } else { score };
        if score > 0.0 {
            out.push(Candidate {
                entity: EntityType::PERSON,
                start,
                end,
                score,
                recognizer: self.person,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{OTHER_LANGUAGE_HONORIFICS, TITLES};

    #[test]
    fn use_lists_and_import_lines_are_read_off_a_words_line() {
        assert!(in_use_list(b"    wire::{self, "));
        assert!(!in_use_list(b"    wire::{self}, "));
        assert!(!in_use_list(b"let x = {a, "));
        assert!(in_import_line(b"  from typing import List, "));
        assert!(!in_import_line(b"I came from Paris, "));
    }

    #[test]
    fn diacritics_come_off_latin_letters_only() {
        assert_eq!(without_diacritics("muñoz").as_deref(), Some("munoz"));
        assert_eq!(without_diacritics("łukasz").as_deref(), Some("lukasz"));
        assert_eq!(without_diacritics("straße").as_deref(), Some("strasse"));
        assert_eq!(without_diacritics("d’arcy").as_deref(), Some("d'arcy"));
        // Nothing to take off; another script, which no list spells.
        assert_eq!(without_diacritics("smith"), None);
        assert_eq!(without_diacritics("соколов"), None);
        assert_eq!(without_diacritics("josé山"), None);
    }

    fn found(text: &str, entity: &EntityType, min: f32) -> Vec<String> {
        let mut out = Vec::new();
        NameRecognizer::new().analyze(text, &mut out);
        out.iter()
            .filter(|c| &c.entity == entity && c.score >= min)
            .map(|c| text[c.start..c.end].to_string())
            .collect()
    }

    #[test]
    fn a_title_is_a_whole_word_before_the_name() {
        // `titled_before` looks up one trailing word: titles must be single words.
        assert!(
            TITLES
                .iter()
                .chain(OTHER_LANGUAGE_HONORIFICS)
                .all(|t| t.chars().all(char::is_alphabetic))
        );
        for (text, titled) in [
            ("Dr. Smith", true),
            ("ask Mrs Smith", true),
            ("the PROFESSOR  Smith", true),
            ("Hmr Smith", false),
            ("Mr2 Smith", false),
            ("drop Smith", false),
            ("Smith", false),
        ] {
            let start = text.rfind("Smith").unwrap_or(0);
            assert_eq!(
                titled_before(text, &ascii_lowered(text), start),
                titled,
                "{text}"
            );
        }
    }

    proptest::proptest! {
        /// The one-lookup test says what testing every title's suffix said.
        #[test]
        fn title_lookup_agrees_with_suffix_scan(before in "(Mr|Dr|Mrs|sir|x|2|É| |\\.|professor){0,5}") {
            let text = format!("{before}Smith");
            let start = before.len();
            let lower = crate::context::lowercase(
                &text[crate::context::floor_char(&text, start.saturating_sub(12))..start],
            );
            let b = lower.trim_end_matches(['.', ' ']);
            let by_suffix = TITLES.iter().chain(OTHER_LANGUAGE_HONORIFICS).any(|t| {
                b.ends_with(t)
                    && b[..b.len() - t.len()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric())
            });
            proptest::prop_assert_eq!(titled_before(&text, &ascii_lowered(&text), start), by_suffix, "{}", text);
        }

        /// The byte path of the title lookup says what the character path says.
        #[test]
        fn title_lookup_bytes_agree_with_chars(
            before in "(Mr|Dr|MRS|sir|Prof|x|2|É|-| |\\t|\\n|\\.|professor|Mr\\.)*",
            start in 0usize..40,
        ) {
            let text = format!("{before}Smith");
            let start = crate::context::floor_char(&text, start.min(text.len()));
            let lowered = ascii_lowered(&text);
            proptest::prop_assert_eq!(
                titled_before(&text, &lowered, start),
                titled_before_by_chars(&text, &lowered, start),
                "{:?} at {}", text, start
            );
        }

        /// The anchored automaton says what comparing with every cue says.
        #[test]
        fn person_cue_after_agrees_with_each_cue(after in "( said| is| from |'s|’s| and h| |er|i|s|x|\\.){0,4}") {
            proptest::prop_assert_eq!(
                opens_with_person_cue(&after),
                PERSON_CUES_AFTER.iter().any(|c| after.starts_with(c))
            );
        }

        /// A window borrowed from the lowered text is the window lower-cased.
        #[test]
        fn lower_windows_agree(text in "(\\PC|[A-Z])*", start in 0usize..40, back in 0usize..30) {
            let start = crate::context::floor_char(&text, start.min(text.len()));
            let lowered = ascii_lowered(&text);
            let lo = crate::context::floor_char(&text, start.saturating_sub(back));
            proptest::prop_assert_eq!(
                lower_window(&text, &lowered, start, back),
                crate::context::lowercase(&text[lo..start])
            );
        }
    }

    /// What tokens say: span, lower-case form and the three flags.
    type Facts = Vec<(usize, usize, String, bool, bool, bool)>;

    fn facts(tokens: Vec<Token<'_>>) -> Facts {
        tokens
            .into_iter()
            .map(|t| {
                (
                    t.start,
                    t.end,
                    t.lower.into_owned(),
                    t.cap,
                    t.initial,
                    t.sent_start,
                )
            })
            .collect()
    }

    /// The tokens as the character-by-character tokenizer finds them.
    fn slow_tokens(text: &str) -> Facts {
        facts(tokenize_chars(text))
    }

    proptest::proptest! {
        /// The byte-by-byte tokenizer of ASCII text finds what the
        /// character-by-character one finds (apostrophes, hyphens, the
        /// possessive "'s", "I'm", initials, sentence starts).
        #[test]
        fn ascii_tokens_agree_with_char_tokens(text in "([A-Za-z]{1,4}|I'm|'s|'|-|s|S| |\\.|,|\n|!|[0-9])*") {
            let lowered = ascii_lowered(&text);
            proptest::prop_assert_eq!(facts(tokenize(&text, &lowered)), slow_tokens(&text), "{:?}", text);
        }

        /// And on any text: accented and non-Latin letters, the typographic
        /// apostrophe, letters whose lower case is longer, marks and digits.
        #[test]
        fn tokens_agree_with_char_tokens(text in "([A-Za-zÉéÖößİıŞçÇ]{1,4}|[\\p{L}\\p{M}\\p{N}]{1,3}|I’m|’s|’|'s|'|-|s|S| |\\.|,|\n|!|€|[0-9]|\\PC)*") {
            let lowered = ascii_lowered(&text);
            proptest::prop_assert_eq!(facts(tokenize(&text, &lowered)), slow_tokens(&text), "{:?}", text);
        }
    }

    #[test]
    fn non_ascii_text_is_tokenized_by_characters() {
        let text = "Dr. Szöllösy and O'Neil-Smith met ÉMILE's friend";
        let lowered = ascii_lowered(text);
        let got = facts(tokenize(text, &lowered));
        assert_eq!(got, slow_tokens(text));
        assert_eq!(got[1].2, "szöllösy");
        assert_eq!(got[3].2, "o'neil-smith");
    }

    proptest::proptest! {
        /// The runs found from each digit are the runs of printable ASCII,
        /// cut by any other byte, that are long enough and hold a digit.
        #[test]
        fn blobs_agree_with_splitting_the_text(text in "([a-zA-Z]{1,9}|[0-9]{1,4}|[+/=_.-]| |\n|\t|é|\u{a0}){0,40}") {
            let mut runs = Vec::new();
            let mut start = 0;
            for (i, c) in text.bytes().enumerate().chain([(text.len(), b' ')]) {
                if !c.is_ascii_graphic() {
                    let run = &text.as_bytes()[start..i];
                    if run.len() >= BLOB_MIN && run.iter().any(u8::is_ascii_digit) {
                        runs.push((start, i));
                    }
                    start = i + 1;
                }
            }
            proptest::prop_assert_eq!(blob_spans(&text), runs);
        }
    }

    #[test]
    fn a_path_component_is_no_name() {
        for text in [
            "libs/geometry/doc/index/Jamfile",
            "On Debian GNU/Linux systems",
        ] {
            let persons = found(text, &EntityType::PERSON, 0.0);
            assert!(
                persons.iter().all(|p| p != "Jamfile" && p != "Linux"),
                "{text}: {persons:?}"
            );
        }
        // The word before a slash may end a name.
        assert_eq!(
            found("CN=Aleksey Sanin/emailAddress=x", &EntityType::PERSON, 0.5),
            vec!["Aleksey Sanin"]
        );
    }

    #[test]
    fn hyphenated_ordinary_words_are_no_names() {
        for text in [
            "Upstream-Name: libfoo",
            "This is a Documentation-only change.",
            "See the Command-line options below.",
        ] {
            assert!(found(text, &EntityType::PERSON, 0.0).is_empty(), "{text}");
        }
        // Names with a hyphen stay names.
        assert_eq!(
            found("We met Jean-Pierre yesterday.", &EntityType::PERSON, 0.5),
            vec!["Jean-Pierre"]
        );
        assert_eq!(
            found(
                "He talked to Mary Lloyd-Jones today.",
                &EntityType::PERSON,
                0.5
            ),
            vec!["Mary Lloyd-Jones"]
        );
    }

    #[test]
    fn camel_case_identifiers_are_no_names() {
        for w in [
            "HashMap",
            "StateID",
            "DeserializeError",
            "PikeVM",
            "BTreeSet",
            "MatchError",
            "KeyError",
            "ZipFile",
            "RawIOBase",
            "OSError",
            "CPython",
            "ABCMeta",
            "SSLSocket",
        ] {
            assert!(camel_case(w), "{w}");
        }
        for w in [
            "McDonald",
            "MacArthur",
            "DeShawn",
            "LaToya",
            "DiCaprio",
            "VanDyke",
            "FitzGerald",
            "O'Neil",
            "Ross",
            "Smith",
            "JoAnn",
            "LeeAnn",
            "VonTrapp",
            "DesJardins",
            "RaeLynn",
            "VerWeire",
            "ONeill",
            "DSouza",
            "GmbH",
        ] {
            assert!(!camel_case(w), "{w}");
        }
        let code = found(
            "let is_start: BTreeSet<StateID> = BTreeSet::new(); // StateID, PatternID and HashMap",
            &EntityType::PERSON,
            0.5,
        );
        assert!(code.is_empty(), "{code:?}");
        assert_eq!(
            found(
                "We met Ronald McDonald and DeShawn Jones there.",
                &EntityType::PERSON,
                0.5
            ),
            ["Ronald McDonald", "DeShawn Jones"]
        );
    }

    #[test]
    fn words_written_as_code_are_no_names() {
        for text in [
            "/// Returns a [`Regex`] built from the pattern.",
            "let re = Regex::new(pattern)?; let v: Vec<Teddy> = Vec::new();",
            "fn build(config: &Config) -> Samwise_impl",
            "pub(crate) struct Teddy {\n    mask: u8,\n}",
            "impl Memchr {\n    fn new() -> Memchr {",
            "enum Holmes { A }",
            "#[derive(Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]",
            "    #[cfg(feature = \"Teddy\")] Samwise\n",
            "pub fn write_to<E: Endian>(&self)",
            "def Parse(self):",
            "fn main() {\n    json!({ \"a\": 1 });\n}",
            "let v = Samwise![1, 2];",
        ] {
            let names = found(text, &EntityType::PERSON, 0.5);
            assert!(names.is_empty(), "{text}: {names:?}");
        }
        // Names in prose beside ordinary punctuation stay names.
        assert_eq!(
            found(
                "Dear John: the report (by Maria Gonzalez) is late.",
                &EntityType::PERSON,
                0.5
            ),
            ["John", "Maria Gonzalez"]
        );
        assert_eq!(
            found(
                "Mary met Teddy.\nTeddy and Mary left, said Grace\n{quoted}",
                &EntityType::PERSON,
                0.5
            ),
            ["Mary", "Teddy", "Teddy", "Mary", "Grace"]
        );
    }

    #[test]
    fn an_unlisted_word_called_as_a_function_is_code() {
        assert!(
            found(
                "func Foynvdzy(ctx context.Context) error {",
                &EntityType::PERSON,
                0.5
            )
            .is_empty()
        );
        assert!(found("then Zekyrozo() returns", &EntityType::PERSON, 0.5).is_empty());
        // The same word in prose.
        assert_eq!(
            found("I met Foynvdzy yesterday.", &EntityType::PERSON, 0.5),
            ["Foynvdzy"]
        );
    }

    #[test]
    fn blobs_are_long_printable_runs_holding_a_digit() {
        let t =
            "key AKIAZ3MSJV4WWNQTQH7X, hash deadbeefdeadbeefdead and F4ADbPi26ZuK2asSYJP6\tdone";
        let blobs: Vec<&str> = blob_spans(t).iter().map(|&(a, b)| &t[a..b]).collect();
        // A run without a digit is no blob, however long; a short one neither.
        assert_eq!(blobs, ["AKIAZ3MSJV4WWNQTQH7X,", "F4ADbPi26ZuK2asSYJP6"]);
        // A non-ASCII character ends a run (the letters of other scripts are words).
        assert_eq!(blob_spans("Zoë2024abcdefghijklmnopq"), [(4, 25)]);
        assert_eq!(blob_spans("x 0123456789abcdef"), [(2, 18)]);
        assert!(blob_spans("0123456789abcde").is_empty());
    }

    #[test]
    fn no_names_inside_encoded_data() {
        for text in [
            "<img src=\"data:image/png;base64,h2xZB7Gizu+pV1LsxUFZnvH7h+t0xjxzrJWuehbPTUqm6oe+9A\">",
            "\"integrity\": \"sha512-DQONd4Cj6zVhn3hAEsQPka4ndM5tuj64PklcetXKDTWyeJv+\"",
            "aws AKIAZ3MSJV4WWNQTQH7X key",
        ] {
            assert!(found(text, &EntityType::PERSON, 0.5).is_empty(), "{text}");
            assert!(found(text, &EntityType::LOCATION, 0.5).is_empty(), "{text}");
        }
        // A name beside such data is still found.
        assert_eq!(
            found(
                "Ask Maria Gonzalez for the key AKIAZ3MSJV4WWNQTQH7X",
                &EntityType::PERSON,
                0.5
            ),
            ["Maria Gonzalez"]
        );
    }

    #[test]
    fn a_word_after_a_title_or_naming_cue_is_the_name() {
        assert_eq!(
            found(
                "a film directed by Steven Abril and starring Bang",
                &EntityType::PERSON,
                0.5
            ),
            vec!["Steven Abril", "Bang"]
        );
        let p = |t| found(t, &EntityType::PERSON, 0.5);
        assert_eq!(p("Mr. Spears is a 61 year old man."), vec!["Spears"]);
        assert_eq!(p("Her maiden name is Key"), vec!["Key"]);
        assert_eq!(p("The Key is under the mat."), Vec::<String>::new());
        // Text without case: the word after a title or a naming cue.
        assert_eq!(p("mr. martin is a 50 year old man"), vec!["martin"]);
        assert_eq!(p("my name is mieszko"), vec!["mieszko"]);
        assert_eq!(p("the spears were sharp"), Vec::<String>::new());
    }

    #[test]
    fn a_listed_surname_after_a_name_field_label_is_the_name() {
        let p = |t| found(t, &EntityType::PERSON, 0.5);
        // Surnames that are also words, after a person's name field (a
        // form, or a table cell read after its header: `last_name` reads
        // "last name: ").
        assert_eq!(p("Name: Smith"), vec!["Smith"]);
        assert_eq!(p("Surname: Young"), vec!["Young"]);
        assert_eq!(p("last name: White"), vec!["White"]);
        assert_eq!(p("Patient name: Hill"), vec!["Hill"]);
        assert_eq!(p("firstname: Dawn"), vec!["Dawn"]);
        assert_eq!(p("Ticket 4411\nName: Baker"), vec!["Baker"]);
        assert_eq!(p("Customer: Brown"), vec!["Brown"]);
        // A capitalised word starting the value is no sentence start there.
        assert_eq!(p("Name: Grace Hall"), vec!["Grace Hall"]);
        assert_eq!(p("full name: Will Baker"), vec!["Will Baker"]);
        // Names that are also places are names in a name field.
        assert_eq!(
            p("Customer name: Sakura Takahashi"),
            vec!["Sakura Takahashi"]
        );
        assert_eq!(
            crate::analyzer::tests::spans("Customer name: Aoi Kobayashi", &EntityType::LOCATION),
            Vec::<String>::new()
        );
        assert_eq!(
            found("I flew to Sakura in May", &EntityType::LOCATION, 0.5),
            vec!["Sakura"]
        );
        // Names of things are not names of people.
        for text in [
            "File name: Report",
            "Company name: Apple",
            "Product name: Stone",
            "Host name: Mercury",
            "filename: Baker",
            "file_name: Baker",
            "Subject: Will you come?",
            "Name Stone",
            // Code: a field's type, a CI step (rare surnames, if listed).
            "pub name: String,",
            "  - name: Rust",
            "name: Cargo",
        ] {
            assert_eq!(p(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn place_and_organisation_fields_give_their_values_type() {
        let loc = |t| found(t, &EntityType::LOCATION, 0.5);
        let org = |t| found(t, &EntityType::ORGANIZATION, 0.5);
        let person = |t| found(t, &EntityType::PERSON, 0.5);
        // Places no list holds, and listed ones that are also words or names.
        assert_eq!(loc("City: Dunnberg"), vec!["Dunnberg"]);
        assert_eq!(loc("city: West Jasonhaven"), vec!["West Jasonhaven"]);
        assert_eq!(person("city: West Jasonhaven"), Vec::<String>::new());
        assert_eq!(loc("Place of birth: Perezton"), vec!["Perezton"]);
        assert_eq!(loc("Country: Turkey"), vec!["Turkey"]);
        assert_eq!(loc("state: Nevada"), vec!["Nevada"]);
        assert_eq!(person("state: Nevada"), Vec::<String>::new());
        // An organisation is the rest of its line when that is a name.
        assert_eq!(
            org("Company: Fowler, Watson and Kelley"),
            vec!["Fowler, Watson and Kelley"]
        );
        assert_eq!(
            person("Company: Fowler, Watson and Kelley"),
            Vec::<String>::new()
        );
        assert_eq!(
            org("Employer: Young and Sons; since 2019"),
            vec!["Young and Sons"]
        );
        assert_eq!(org("company name: Hansen-Burton"), vec!["Hansen-Burton"]);
        // Place names of ordinary words or first names after a prefix.
        assert_eq!(loc("City: East Mark"), vec!["East Mark"]);
        assert_eq!(loc("town: Port John"), vec!["Port John"]);
        assert_eq!(person("town: Port John"), Vec::<String>::new());
        // An occupation is the rest of its line.
        let title = |t| found(t, &EntityType::TITLE, 0.5);
        assert_eq!(title("Job: Video editor"), vec!["Video editor"]);
        assert_eq!(
            crate::analyzer::tests::spans(
                "Job title: Production designer, theatre/television/film",
                &EntityType::TITLE
            ),
            vec!["Production designer, theatre/television/film"]
        );
        assert_eq!(title("Title: Annual Report"), Vec::<String>::new());
        // A street address is the rest of its line when it holds a house
        // number or a street word, streets named after people included.
        for (text, street) in [
            (
                "street address: 119, chemin Françoise Rey",
                "119, chemin Françoise Rey",
            ),
            ("Address: boulevard Regnier", "boulevard Regnier"),
            (
                "Street address: Canale Manunta, 648 Piano 0",
                "Canale Manunta, 648 Piano 0",
            ),
            (
                "Address line 1: Jobst-Steinberg-Straße 7/9",
                "Jobst-Steinberg-Straße 7/9",
            ),
        ] {
            assert_eq!(loc(text), vec![street], "{text}");
            assert_eq!(person(text), Vec::<String>::new(), "{text}");
        }
        // A block's next lines are its parts, to an empty line or a field.
        assert_eq!(
            loc("Address: Flat 5\nPauline Green\n, SW1A 1AA\n\nThanks, Ann"),
            vec!["Flat 5", "Pauline Green", "SW1A 1AA"]
        );
        assert_eq!(
            loc("Address: 12 Main Street\nPhone: 555 0100"),
            vec!["12 Main Street"]
        );
        for text in [
            "IP address: 10.0.0.1",
            "Email address: Jo Smith <jo@example.com>",
        ] {
            assert_eq!(loc(text), Vec::<String>::new(), "{text}");
        }
        // Not places: ordinary words, code, an address block's addressee.
        for text in [
            "State: Active",
            "match s { State::Union { .. } => {} }",
            "trie_state: RefCell<RangeTrie>,",
            "state: AtomicU8,",
        ] {
            assert_eq!(loc(text), Vec::<String>::new(), "{text}");
        }
        assert_eq!(
            person("Billing address: Sara Schwarz\n 12 Main Street"),
            vec!["Sara Schwarz"]
        );
        assert_eq!(org("company: Arc<Company>,"), Vec::<String>::new());
    }

    #[test]
    fn name_field_labels_are_read_back_to_their_first_word() {
        let labelled = |t: &str| name_label_before(t, &ascii_lowered(t), t.len());
        for text in [
            "Name: ",
            "name:",
            "Name:\t",
            "x\nName: ",
            "(name: ",
            "Customer Name: ",
            "last_name: ",
            "Surname: ",
            "LastName: ",
            "emergency contact name: ",
            "Customer: ",
            "| patient: ",
            "client_name: ",
        ] {
            assert!(labelled(text), "{text:?}");
        }
        for text in [
            "",
            "Name ",
            "Name - ",
            "File name: ",
            "filename: ",
            "company-name: ",
            "Title: ",
            "Product owner: ",
            "customer contact: ",
        ] {
            assert!(!labelled(text), "{text:?}");
        }
        // The window (32 bytes) holds only spaces before "name": the word
        // before them is unseen, so nothing is assumed.
        let far = format!("Company{}name: ", " ".repeat(30));
        assert!(!labelled(&far));
        assert!(labelled(&far[30..]));
    }

    #[test]
    fn name_fields_without_capitals_or_in_capitals() {
        for (text, name) in [
            ("name: john smith", "john smith"),
            ("NAME: JOHN SMITH", "JOHN SMITH"),
            ("patient name: mary brown, dob 1980-02-03", "mary brown"),
            ("Last name: brown", "brown"),
            ("customer: robert young", "robert young"),
            ("PATIENT NAME: JOHN SMITH, DOB 1980", "JOHN SMITH"),
        ] {
            assert_eq!(found(text, &EntityType::PERSON, 0.5), vec![name], "{text}");
        }
        // Values no list holds as a name, code, and labels that name no person.
        for text in [
            "name: build",
            "- name: cargo test",
            "name: rust",
            "name: self.name.to_string(),",
            "filename: john",
        ] {
            assert!(found(text, &EntityType::PERSON, 0.0).is_empty(), "{text}");
        }
    }

    #[test]
    fn cities_written_in_their_own_language() {
        for (text, city) in [
            ("I'm in Den Haag, at the conference", "Den Haag"),
            ("She flew to Wien last week", "Wien"),
            ("We moved to København in May", "København"),
            // Listed names with their own language's lower-case words.
            ("Her office is in Ústí nad Labem now", "Ústí nad Labem"),
            ("We drove to Ústí nad Orlicí in May", "Ústí nad Orlicí"),
        ] {
            assert_eq!(
                found(text, &EntityType::LOCATION, 0.5),
                vec![city],
                "{text}"
            );
            assert!(found(text, &EntityType::PERSON, 0.0).is_empty(), "{text}");
        }
    }

    #[test]
    fn weekdays_are_no_names() {
        for text in [
            "We'll meet Monday at Corelogic",
            "Sunday was fun",
            "Mondays are hard, Anna",
        ] {
            let persons = found(text, &EntityType::PERSON, 0.0);
            assert!(
                persons.iter().all(|p| !p.contains("day")),
                "{text}: {persons:?}"
            );
        }
    }

    #[test]
    fn countries_written_with_their_capital() {
        let loc = |t| found(t, &EntityType::LOCATION, 0.5);
        assert_eq!(
            loc("In United States they have company songs"),
            vec!["United States"]
        );
        assert_eq!(loc("I love Japan"), vec!["Japan"]);
        assert_eq!(loc("Spain leader gives an order"), vec!["Spain"]);
        assert_eq!(
            loc("Blink-182 pay tribute here to the Netherlands."),
            vec!["Netherlands"]
        );
        // A country that is a rare first name is the country ("France"
        // 0.002%, "India" 0.006%); a common first name needs a cue.
        assert_eq!(loc("France was super fun to visit!"), vec!["France"]);
        assert_eq!(loc("We flew over India last year"), vec!["India"]);
        assert!(loc("Chad said hello").is_empty());
        assert!(loc("Kenya said hello").is_empty());
        // Names joined by "and", official forms, French elision.
        for country in [
            "Trinidad and Tobago",
            "Bosnia and Herzegovina",
            "Saint Kitts and Nevis",
            "Syrian Arab Republic",
            "United States Virgin Islands",
            "Côte d'Ivoire",
            "Côte d\u{2019}Ivoire",
        ] {
            let text = format!("She moved to {country} in May");
            assert_eq!(found(&text, &EntityType::LOCATION, 0.5), vec![country]);
        }
        assert_eq!(loc("She moved to Chad"), vec!["Chad"]);
    }

    #[test]
    fn venues_and_things_are_not_places_or_people() {
        assert_eq!(
            found("Where: Tiszabög Country Club.", &EntityType::LOCATION, 0.5),
            vec!["Tiszabög"],
            "the town before the venue's words, not the venue's words"
        );
        assert_eq!(
            found(
                "The Princess Royal arrived this morning.",
                &EntityType::PERSON,
                0.5
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            found(
                "Unlike the Castro novel, it is short.",
                &EntityType::PERSON,
                0.5
            ),
            vec!["Castro"],
            "a surname before a common noun is a person's"
        );
        assert_eq!(
            found("To: Rubija\nSubject: hello", &EntityType::PERSON, 0.5),
            vec!["Rubija"],
            "a cue written with its colon"
        );
    }

    #[test]
    fn names_coordinated_with_a_name_are_names() {
        let p = |t| found(t, &EntityType::PERSON, 0.5);
        let mut got = p("Marrero and Murphy were precision engineers.");
        got.sort();
        assert_eq!(got, vec!["Marrero", "Murphy"]);
        // An ordinary word beside a name stays a word.
        assert_eq!(p("I asked Murphy and the others."), vec!["Murphy"]);
        // Two people opening a sentence as its subject.
        let mut got = p("On this list? Sousa and Ball were precision engineers.");
        got.sort();
        assert_eq!(got, vec!["Ball", "Sousa"]);
        assert!(p("Bread and Butter were on the table.").is_empty());
        // In text without capitals, listed names that are also words.
        let mut got = p("they had 6: natalina, thomas, crystal, omar and brandy.");
        got.sort();
        assert_eq!(got, vec!["brandy", "crystal", "natalina", "omar", "thomas"]);
        // In text without capitals, any unlisted word in the list.
        let mut got = p("they had 6: leonti, terrence, pamela, donna, and more");
        got.sort();
        assert_eq!(got, vec!["donna", "leonti", "pamela", "terrence"]);
        // A list is followed along, even when the confident name is also
        // an ordinary word.
        let mut got = p("It is the brainchild of our 3 founders: Mazzi, Bowman and Hill.");
        got.sort();
        assert_eq!(got, vec!["Bowman", "Hill", "Mazzi"]);
    }

    #[test]
    fn people_spoken_to_and_speaking_are_names() {
        let p = |t| found(t, &EntityType::PERSON, 0.5);
        assert_eq!(
            p("Warrane, can I please speak to your boss?"),
            vec!["Warrane"]
        );
        assert_eq!(p("Don't go to town, Mark!"), vec!["Mark"]);
        assert_eq!(
            p("Kubernetes, the scheduler, runs it."),
            Vec::<String>::new()
        );
        assert!(
            p(r#"Emma: "Who are you?" Amber:"I'm Cynthia's daughter"."#)
                .contains(&"Amber".to_string())
        );
        assert_eq!(p("Rintanen began writing as a teenager."), vec!["Rintanen"]);
        assert_eq!(
            found(
                "Guilty Pleasures: 5 Musicians You're Supposed To Hate",
                &EntityType::PERSON,
                0.3
            ),
            Vec::<String>::new(),
            "a contraction is no name"
        );
    }

    #[test]
    fn names_that_are_words_need_support() {
        assert_eq!(
            found("Will you send it?", &EntityType::PERSON, 0.5),
            Vec::<String>::new()
        );
        assert_eq!(
            found("I met Grace Hall yesterday.", &EntityType::PERSON, 0.5),
            vec!["Grace Hall"]
        );
        assert_eq!(
            found("Thanks,\nWill", &EntityType::PERSON, 0.5),
            vec!["Will"]
        );
        assert_eq!(
            found("My name is Rubija", &EntityType::PERSON, 0.5),
            vec!["Rubija"]
        );
        assert_eq!(
            found("Please ask Dr. Szöllösy about it", &EntityType::PERSON, 0.5),
            vec!["Szöllösy"]
        );
        assert_eq!(
            found("Hi, I'm Grace Hall, call me.", &EntityType::PERSON, 0.5),
            vec!["Grace Hall"],
            "the pronoun is not part of the name"
        );
    }

    #[test]
    fn an_unlisted_word_spelt_like_a_name_is_one_mid_sentence() {
        let p = |t| found(t, &EntityType::PERSON, 0.5);
        assert_eq!(
            p("This song by ex-Zombie Ahtisaari is a perfect example."),
            vec!["Ahtisaari"]
        );
        assert_eq!(p("We asked Siddharthan about it."), vec!["Siddharthan"]);
        // Spelt like a word, camel-cased, or the head of a capitalised
        // phrase of ordinary words: not a person.
        assert!(p("Then run Texinfo on the manual.").is_empty());
        assert!(p("Then CMake builds the manual.").is_empty());
        assert!(p("Under the GNU Affero General Public License.").is_empty());
        // Sentence-initial, an unlisted word needs a cue as before.
        assert!(p("Ahtisaari is a perfect example.").is_empty());
        // After "the", before a common noun, as a surname would be; but
        // not before a product's or a body's noun.
        assert_eq!(p("Unlike the Takuda novel, it is short."), vec!["Takuda"]);
        assert!(p("We use the Debian packages.").is_empty());
        assert!(p("Install the Mozilla browser.").is_empty());
        // Before a work named after its author, however it is spelt; not a
        // proper adjective.
        assert_eq!(p("Unlike the Vizirov novel, it is short."), vec!["Vizirov"]);
        assert!(p("Unlike the Gothic novel, it is short.").is_empty());
    }

    #[test]
    fn in_text_without_capitals_spelling_and_place_phrases_mark_names() {
        assert_eq!(
            found("why is haajanen so impulsive?", &EntityType::PERSON, 0.5),
            vec!["haajanen"]
        );
        assert_eq!(
            found("he grew up in lubbeek.", &EntityType::LOCATION, 0.5),
            vec!["lubbeek"]
        );
        // A second unlisted word joins at the usual spelling threshold.
        assert_eq!(
            found(
                "i met guðgeir bergsveinsson today",
                &EntityType::PERSON,
                0.5
            ),
            vec!["guðgeir bergsveinsson"]
        );
        // Chat words, identifiers and paths are no names.
        assert!(found("i'm gonna call you lmao", &EntityType::PERSON, 0.5).is_empty());
        assert!(found("set michek_dir=/tmp first", &EntityType::PERSON, 0.5).is_empty());
        assert!(found("it lives in contrib/ now", &EntityType::LOCATION, 0.5).is_empty());
    }

    #[test]
    fn a_common_first_name_that_is_no_english_word_needs_no_cue() {
        assert_eq!(
            found(
                "Scott is a very sympathetic person.",
                &EntityType::PERSON,
                0.5
            ),
            vec!["Scott"]
        );
    }

    #[test]
    fn streets_named_without_a_number() {
        assert_eq!(
            found(
                "These early shows on Marina Fort Street were important.",
                &EntityType::LOCATION,
                0.5
            ),
            vec!["Marina Fort Street"]
        );
        assert!(found("The Street was empty.", &EntityType::LOCATION, 0.5).is_empty());
    }

    #[test]
    fn places() {
        // Words that end a place's name belong to it, after a place cue.
        assert_eq!(
            found(
                "My friend lives in COOMINGLAH FOREST",
                &EntityType::LOCATION,
                0.5
            ),
            vec!["COOMINGLAH FOREST"]
        );
        assert_eq!(
            found(
                "He moved from Uruguay to New York last year.",
                &EntityType::LOCATION,
                0.5
            ),
            vec!["Uruguay", "New York"]
        );
    }
}
