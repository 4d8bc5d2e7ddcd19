//! The name and place lists shipped inside Veil (see `data/LICENSES.md`):
//! US Census first and last names, GeoNames countries, states and cities,
//! and ordinary English words from SCOWL (Debian `wamerican`). Loaded once,
//! on first use, into hash maps keyed by the lower-cased form (the lists
//! are stored lower-cased; keys borrow from the embedded text, so loading
//! allocates no string per entry).

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// A sovereign country or territory.
    Country,
    /// A US state.
    State,
    /// A continent.
    Continent,
    /// A city or town of 15,000 or more inhabitants.
    City,
}

/// The word classes a [`Lex`] can carry (bits of [`Lex::flags`]): the
/// ordinary-word list, and the small word lists of the name and
/// quasi-identifier recognizers, so that one lookup per token answers every
/// membership question those recognizers ask about it.
pub mod class {
    /// An ordinary lower-case English word (SCOWL).
    pub const WORD: u32 = 1;
    /// An ordinary word that is also a common first name ("will", "grace").
    pub const COMMON_WORD_NAME: u32 = 1 << 1;
    /// A title before a name ("mr", "dr", "professor").
    pub const TITLE: u32 = 1 << 2;
    /// A surname particle ("van", "de", "bin"), matched on lower-case text only.
    pub const PARTICLE: u32 = 1 << 3;
    /// A word that makes a capitalised run an organisation's name.
    pub const ORG: u32 = 1 << 4;
    /// A function word the name recognizer trims ("the", "thanks").
    pub const STOP: u32 = 1 << 5;
    /// A nationality.
    pub const NATIONALITY: u32 = 1 << 6;
    /// A nationality, religion or political group (NRP).
    pub const NRP: u32 = 1 << 7;
    /// The plural of an NRP word ("germans"; not of those ending in -ese, -ish).
    pub const NRP_PLURAL: u32 = 1 << 8;
    /// An honorific that precedes a name.
    pub const HONORIFIC: u32 = 1 << 9;
    /// An occupation (the head of a TITLE phrase).
    pub const OCCUPATION: u32 = 1 << 10;
    /// A company or institution word that ends an organisation's name.
    pub const ORG_SUFFIX: u32 = 1 << 11;
    /// A function word that ends an occupation phrase on the left.
    pub const QUASI_STOP: u32 = 1 << 12;
}

/// What the shipped lists say about one lower-cased word (12 bytes, so
/// that the lexicon's ~190,000 entries stay compact).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lex {
    /// Frequency as a first name (percent of the population); negative: none.
    first: f32,
    /// Frequency rank as a last name (1 = most common); 0: none.
    last: u32,
    /// The word's [`class`] bits.
    flags: u32,
}

impl Default for Lex {
    /// A word no list holds.
    fn default() -> Self {
        Lex {
            first: -1.0,
            last: 0,
            flags: 0,
        }
    }
}

impl Lex {
    /// Whether the word is in any of the classes in `flags`.
    pub fn is(&self, flags: u32) -> bool {
        self.flags & flags != 0
    }

    /// Whether no list holds the word.
    pub fn is_unlisted(&self) -> bool {
        self.flags == 0 && self.first().is_none() && self.last().is_none()
    }

    /// Frequency as a first name (percent of the population), if one.
    pub fn first(&self) -> Option<f32> {
        (self.first >= 0.0).then_some(self.first)
    }

    /// Frequency rank as a last name (1 = most common), if one.
    pub fn last(&self) -> Option<u32> {
        (self.last > 0).then_some(self.last)
    }
}

/// The loaded gazetteers.
pub struct Gazetteer {
    /// Every listed word (first names, last names, ordinary words, and the
    /// recognizers' small word lists), lower-cased, with what the lists say.
    lexicon: HashMap<&'static str, Lex>,
    /// The lexicon's entries of at most [`SHORT`] bytes again, keyed by
    /// [`packed`]: a probe compares one integer instead of following the
    /// key to its bytes and comparing them (most tokens are short words;
    /// this is where [`Gazetteer::lex`] looks them up).
    short: HashMap<u64, Lex>,
    /// Places by lower-cased name.
    pub places: HashMap<&'static str, PlaceKind>,
    /// The longest place name, in words.
    pub max_place_words: usize,
    /// Per word that starts a place name (as the tokenizer splits the
    /// lower-cased name): the most words of a place name starting with it.
    /// A token not here starts no place, and no longer span need be tried.
    pub place_starts: HashMap<String, usize>,
}

static FIRST: &str = include_str!("../data/first_names.txt");
/// The plurals of the NRP words ("germans"; not of those ending in -ese or
/// -ish), one per line: the lexicon's keys borrow from it.
static NRP_PLURALS: LazyLock<String> = LazyLock::new(|| {
    crate::quasi::nrp_words()
        .filter(|w| !w.ends_with("ese") && !w.ends_with("ish"))
        .map(|w| format!("{w}s\n"))
        .collect()
});
static LAST: &str = include_str!("../data/last_names.txt");
static WORDS: &str = include_str!("../data/words.txt");
static PLACES: &str = include_str!("../data/places.txt");

/// Extra place names, demonyms excluded, that the city list lacks (common
/// short forms and regions).
const EXTRA_PLACES: &[&str] = &[
    "usa",
    "u.s.",
    "u.s.a.",
    "uk",
    "u.k.",
    "england",
    "scotland",
    "wales",
    "northern ireland",
    "great britain",
    "britain",
    "holland",
    "the netherlands",
    "netherlands",
    "kingdom of the netherlands",
    "east timor",
    "europe",
    "asia",
    "africa",
    "new england",
    "silicon valley",
    "the bay area",
    "california",
    "texas",
    "bavaria",
    "catalonia",
    "siberia",
    "patagonia",
    "tasmania",
    "queensland",
    "ontario",
    "quebec",
    "british columbia",
    "czech republic",
    "the czech republic",
    "slovak republic",
    "united states",
    "united states of america",
    "the united states",
    "russia",
    "south korea",
    "north korea",
    "vietnam",
    "iran",
    "syria",
    "laos",
    "bolivia",
    "venezuela",
    "tanzania",
    "moldova",
    "ivory coast",
    "macedonia",
    "north macedonia",
    "the uk",
    "the us",
    "alberta",
    "manitoba",
    "new brunswick",
    "newfoundland",
    "nova scotia",
    "saskatchewan",
    "yukon",
    "new south wales",
    "western australia",
    "south australia",
    "northern territory",
    "dominican republic",
    "central african republic",
    "republic of ireland",
    "hong kong",
    "taiwan",
    "palestine",
];

/// Names that are everyday English words (sorted).
const COMMON_WORD_NAMES: &[&str] = &[
    "amber", "angel", "april", "art", "august", "autumn", "baker", "bell", "bill", "black", "bob",
    "brown", "bush", "carter", "case", "chance", "chase", "cherry", "chip", "clay", "cook",
    "crystal", "daisy", "dawn", "dean", "dell", "destiny", "dot", "early", "faith", "fields",
    "fisher", "ford", "frank", "gay", "gene", "ginger", "glen", "gold", "grace", "gray", "green",
    "grey", "guy", "hall", "heather", "hill", "holly", "honey", "hope", "hunter", "iris", "ivy",
    "jack", "jade", "jean", "joy", "june", "king", "lane", "lily", "little", "long", "major",
    "march", "mark", "marsh", "mason", "may", "miles", "miller", "moon", "music", "noble", "olive",
    "page", "park", "pat", "pearl", "penny", "pink", "price", "rich", "rose", "ruby", "sage",
    "savannah", "shepherd", "sky", "smith", "son", "spring", "stone", "storm", "sue", "summer",
    "sunny", "taylor", "trinity", "violet", "wade", "walker", "ward", "waters", "weaver", "wells",
    "white", "will", "winter", "wood", "woods", "young",
];

/// The longest word [`packed`] packs.
const SHORT: usize = 7;

/// A word of at most [`SHORT`] bytes as one integer: its bytes, then its
/// length in the top byte (so no two words share a key); `None` for longer
/// words.
fn packed(word: &str) -> Option<u64> {
    let b = word.as_bytes();
    if b.len() > SHORT {
        return None;
    }
    // Byte by byte: a copy of a slice this short was a call to `memcpy`.
    let mut key = (b.len() as u64) << 56;
    for (i, &c) in b.iter().enumerate() {
        key |= u64::from(c) << (8 * i);
    }
    Some(key)
}

/// The lines of `s` as [`str::lines`] gives them (cut at `\n`, a `\r`
/// just before it dropped, no empty last line after a final `\n`), found with
/// `memchr`: the 230,000 lines of the lists were a third of loading them.
fn lines_of(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => {
                let line = &rest[..i];
                rest = &rest[i + 1..];
                Some(line.strip_suffix('\r').unwrap_or(line))
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

/// `l` split at its first tab, as `l.split_once('\t')`.
fn tab_split(l: &str) -> Option<(&str, &str)> {
    let i = memchr::memchr(b'\t', l.as_bytes())?;
    Some((&l[..i], &l[i + 1..]))
}

impl Gazetteer {
    fn load() -> Gazetteer {
        // Each table sized for its list up front (one line an entry): no
        // rehashing while ~230,000 entries go in.
        let lines = |list: &str| memchr::memchr_iter(b'\n', list.as_bytes()).count() + 1;
        let mut lexicon: HashMap<&'static str, Lex> = HashMap::with_capacity_and_hasher(
            lines(FIRST) + lines(LAST) + lines(WORDS),
            Default::default(),
        );
        for l in lines_of(FIRST) {
            if let Some((n, f)) = tab_split(l) {
                lexicon.entry(n).or_default().first = f.parse::<f32>().unwrap_or(0.0).max(0.0);
            }
        }
        for l in lines_of(LAST) {
            if let Some((n, r)) = tab_split(l) {
                lexicon.entry(n).or_default().last = r.parse::<u32>().unwrap_or(u32::MAX).max(1);
            }
        }
        let mut mark = |word: &'static str, flag: u32| {
            lexicon.entry(word).or_default().flags |= flag;
        };
        for w in lines_of(WORDS) {
            mark(w, class::WORD);
        }
        for w in COMMON_WORD_NAMES {
            mark(w, class::COMMON_WORD_NAME);
        }
        for (list, flag) in crate::names::WORD_CLASSES
            .iter()
            .chain(crate::quasi::WORD_CLASSES)
        {
            for w in *list {
                mark(w, *flag);
            }
        }
        for w in crate::quasi::nrp_words() {
            mark(w, class::NRP);
        }
        for w in lines_of(&NRP_PLURALS) {
            mark(w, class::NRP_PLURAL);
        }
        let mut places: HashMap<&'static str, PlaceKind> = HashMap::with_capacity_and_hasher(
            lines(PLACES) + EXTRA_PLACES.len(),
            Default::default(),
        );
        places.extend(lines_of(PLACES).filter_map(|l| {
            let (n, k) = tab_split(l)?;
            let kind = match k {
                "country" => PlaceKind::Country,
                "state" => PlaceKind::State,
                "continent" => PlaceKind::Continent,
                _ => PlaceKind::City,
            };
            Some((n, kind))
        }));
        for p in EXTRA_PLACES {
            places.entry(p).or_insert(PlaceKind::State);
        }
        let max_place_words = places
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1)
            .min(5);
        let mut place_starts: HashMap<String, usize> = HashMap::default();
        for key in places.keys() {
            let lowered = crate::context::ascii_lowered(key);
            let tokens = crate::names::tokenize(key, &lowered);
            if let Some(t) = tokens.first() {
                let n = place_starts.entry(t.lower.to_string()).or_default();
                *n = (*n).max(tokens.len());
            }
        }
        let short = lexicon
            .iter()
            .filter_map(|(w, l)| Some((packed(w)?, *l)))
            .collect();
        Gazetteer {
            lexicon,
            short,
            places,
            max_place_words,
            place_starts,
        }
    }

    /// The shared instance (loaded on first call, then reused).
    pub fn get() -> &'static Gazetteer {
        static G: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::load);
        &G
    }

    /// What the lists say about `lower` (one hash lookup; a word no list
    /// holds gets the empty [`Lex`]).
    pub fn lex(&self, lower: &str) -> Lex {
        match packed(lower) {
            Some(key) => self.short.get(&key),
            None => self.lexicon.get(lower),
        }
        .copied()
        .unwrap_or_default()
    }

    /// Frequency of `lower` as a first name (percent of the population).
    pub fn first(&self, lower: &str) -> Option<f32> {
        self.lex(lower).first()
    }

    /// Frequency rank of `lower` as a last name (1 = most common).
    pub fn last(&self, lower: &str) -> Option<u32> {
        self.lex(lower).last()
    }

    /// Whether `lower` is an ordinary English word.
    pub fn is_word(&self, lower: &str) -> bool {
        self.lex(lower).is(class::WORD)
    }

    /// Every first name with its frequency (in no particular order).
    pub fn first_names(&self) -> impl Iterator<Item = (&str, f32)> {
        self.lexicon
            .iter()
            .filter_map(|(&w, l)| Some((w, l.first()?)))
    }

    /// Every last name with its frequency rank (in no particular order).
    pub fn last_names(&self) -> impl Iterator<Item = (&str, u32)> {
        self.lexicon
            .iter()
            .filter_map(|(&w, l)| Some((w, l.last()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The lines and tab splits found with memchr are those of the
        /// standard library.
        #[test]
        fn lines_and_tabs_as_the_standard_library_finds_them(s in "(a|é|\t|\n|\r|\r\n| ){0,24}") {
            let ours: Vec<&str> = lines_of(&s).collect();
            let std: Vec<&str> = s.lines().collect();
            proptest::prop_assert_eq!(&ours, &std);
            for l in std {
                proptest::prop_assert_eq!(tab_split(l), l.split_once('\t'));
            }
        }
    }

    #[test]
    fn the_shipped_lists_split_as_the_standard_library_splits_them() {
        for list in [FIRST, LAST, WORDS, PLACES, NRP_PLURALS.as_str()] {
            assert!(lines_of(list).eq(list.lines()));
        }
    }

    #[test]
    fn lists_load() {
        let g = Gazetteer::get();
        assert!(g.first("john").is_some());
        assert_eq!(g.last("smith"), Some(1));
        assert!(g.lex("will").is(class::COMMON_WORD_NAME | class::WORD));
        assert!(g.lex("german").is(class::NRP) && g.lex("germans").is(class::NRP_PLURAL));
        assert!(!g.lex("chineses").is(class::NRP_PLURAL));
        assert_eq!(g.lex("qzxv"), Lex::default());
        assert!(g.is_word("will"));
        assert!(!g.is_word("krisztina"));
        assert_eq!(g.places.get("uruguay"), Some(&PlaceKind::Country));
        assert_eq!(
            g.places.get("new york city").or(g.places.get("new york")),
            Some(&PlaceKind::City).or(Some(&PlaceKind::State))
        );
    }

    /// Every entry is found through `lex` as it is in the lexicon, short
    /// and long; words that differ only past their end or by a NUL byte
    /// get different keys.
    #[test]
    fn packed_lookups_agree_with_the_lexicon() {
        let g = Gazetteer::get();
        for (w, l) in &g.lexicon {
            assert_eq!(g.lex(w), *l, "{w}");
        }
        assert_ne!(packed("a"), packed("a\0"));
        assert_ne!(packed(""), packed("\0"));
        assert_eq!(packed("abcdefgh"), None);
        assert_eq!(g.lex("smith\0"), Lex::default());
    }
}
