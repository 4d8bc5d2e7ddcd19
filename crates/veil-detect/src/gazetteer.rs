//! The name and place lists shipped inside Veil (see `data/LICENSES.md`):
//! US Census first and last names, GeoNames countries, states and cities,
//! and ordinary English words from SCOWL (Debian `wamerican`). The word
//! lists are merged at build time into [`crate::lexicon`] records. Loaded
//! once, on first use, into hash maps keyed by the lower-cased form (the
//! lists are stored lower-cased; keys borrow from the embedded data, so
//! loading allocates no string per entry).

pub use crate::lexicon::{Lex, class};
use crate::lexicon::{RECORD, SHORT, packed};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
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

/// The loaded gazetteers.
pub struct Gazetteer {
    /// Every listed word (first names, last names, ordinary words, and the
    /// recognizers' small word lists) longer than [`SHORT`] bytes,
    /// lower-cased, with what the lists say.
    long: HashMap<&'static str, Lex>,
    /// The lexicon's words of at most [`SHORT`] bytes, keyed by [`packed`]:
    /// a probe compares one integer instead of following the key to its
    /// bytes and comparing them (most tokens are short words).
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

/// The merged lexicon, as `build.rs` wrote it with
/// [`crate::lexicon::write_records`]: one record per word, and the words.
static LEXICON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.bin"));
static LEXICON_WORDS: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon_words.txt"));
static PLACES: &str = include_str!("../data/places.txt");

/// Country names the GeoNames list writes another way: ISO 3166 and UN
/// short forms ("Syrian Arab Republic", "Brunei Darussalam", "Côte
/// d'Ivoire"), older and other usual names ("Burma", "Swaziland", "Cape
/// Verde", "Korea"), and the countries of the United Kingdom, which it
/// does not list ("England", "Scotland", "Wales", "Northern Ireland").
const EXTRA_COUNTRIES: &[&str] = &[
    "britain",
    "brunei darussalam",
    "burma",
    "cape verde",
    "cote d'ivoire",
    "cote d\u{2019}ivoire",
    "côte d'ivoire",
    "côte d\u{2019}ivoire",
    "curaçao",
    "england",
    "great britain",
    "holy see",
    "korea",
    "kyrgyz republic",
    "lao people's democratic republic",
    "lao pdr",
    "northern ireland",
    "libyan arab jamahiriya",
    "pitcairn islands",
    "republic of korea",
    "republic of moldova",
    "réunion",
    "russian federation",
    "scotland",
    "slovak republic",
    "state of palestine",
    "swaziland",
    "syrian arab republic",
    "timor-leste",
    "united republic of tanzania",
    "united states virgin islands",
    "us virgin islands",
    "vatican city state",
    "viet nam",
    "virgin islands",
    "wales",
];

/// Cities' names in their own language (and usual other spellings) where
/// GeoNames' list carries the English one: "Wien", "München", "København",
/// "Warszawa", "Den Haag".
const EXTRA_CITIES: &[&str] = &[
    "antwerpen",
    "athína",
    "beograd",
    "bruxelles",
    "brussel",
    "bucuresti",
    "bucurești",
    "chisinau",
    "chişinău",
    "den bosch",
    "den haag",
    "donostia",
    "firenze",
    "genova",
    "genève",
    "goteborg",
    "göteborg",
    "kiev",
    "kobenhavn",
    "krakow",
    "københavn",
    "lisboa",
    "milano",
    "moskva",
    "muenchen",
    "münchen",
    "napoli",
    "nürnberg",
    "praha",
    "sankt peterburg",
    "sao paulo",
    "torino",
    "venezia",
    "warszawa",
    "wien",
    "zurich",
];

/// The extra lists with the kind of place each gives its names (a name
/// the shipped list already holds keeps its kind there).
const EXTRA: [(&[&str], PlaceKind); 3] = [
    (EXTRA_PLACES, PlaceKind::State),
    (EXTRA_COUNTRIES, PlaceKind::Country),
    (EXTRA_CITIES, PlaceKind::City),
];

/// Extra place names, demonyms excluded, that the city list lacks (common
/// short forms and regions).
const EXTRA_PLACES: &[&str] = &[
    "usa",
    "u.s.",
    "u.s.a.",
    "uk",
    "u.k.",
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

/// log2 of the slots of a thread's [`Recent`] cache.
const RECENT_BITS: u32 = 14;

/// The key of an empty [`Recent`] slot: no word's [`packed`] key (its top
/// byte is a length of at most [`SHORT`]).
const NO_WORD: u64 = u64::MAX;

/// log2 of the slots of a thread's [`Recent`] cache of longer words.
const RECENT_LONG_BITS: u32 = 13;

/// The longest word the [`Recent`] cache of longer words holds.
const LONG_CACHED: usize = 16;

/// The slots of a thread's [`Recent`] caches: short words by [`packed`]
/// key; words of more than [`SHORT`] and at most [`LONG_CACHED`] bytes by
/// [`packed_long`] key.
struct RecentSlots {
    short: Vec<(u64, Lex)>,
    long: Vec<((u64, u64), Lex)>,
}

thread_local! {
    /// Each thread's slots of its [`Recent`] cache.
    static RECENT: std::cell::RefCell<RecentSlots> = std::cell::RefCell::new(RecentSlots {
        short: vec![(NO_WORD, Lex::default()); 1 << RECENT_BITS],
        long: vec![((NO_WORD, NO_WORD), Lex::default()); 1 << RECENT_LONG_BITS],
    });
}

/// A word of more than [`SHORT`] and at most [`LONG_CACHED`] bytes as two
/// integers: its first eight bytes, then the rest with the word's length
/// in the top byte (no two such words share a key, and none is the empty
/// slot's); `None` for other words.
fn packed_long(word: &str) -> Option<(u64, u64)> {
    let b = word.as_bytes();
    if b.len() <= SHORT || b.len() > LONG_CACHED {
        return None;
    }
    let mut head = [0u8; 8];
    head.copy_from_slice(&b[..8]);
    let mut tail = (b.len() as u64) << 56;
    for (i, &c) in b[8..].iter().enumerate() {
        tail |= u64::from(c) << (8 * i);
    }
    Some((u64::from_le_bytes(head), tail))
}

/// The lexicon seen through small direct-mapped caches of the words a
/// thread looked up last: short words (16,384 slots, 384 kB: they stay in
/// the core's own cache, where the lexicon's tables do not; common words
/// repeat from text to text. 10 MB of short records, every recognizer:
/// 1,099 -> 1,087 ms CPU), and words of up to [`LONG_CACHED`] bytes (8,192
/// slots, 256 kB), whose table lookup hashes and compares the whole word.
/// The caches hold copies of entries of the immutable lexicon under their
/// exact keys, so [`Recent::lex`] answers as [`Gazetteer::lex`].
pub struct Recent<'g> {
    gazetteer: &'g Gazetteer,
    slots: Option<&'g mut RecentSlots>,
}

impl Recent<'_> {
    /// What the lists say about `lower`: [`Gazetteer::lex`]'s answer, from
    /// the cache when the word is at most [`LONG_CACHED`] bytes long and
    /// was looked up last in its slot.
    pub fn lex(&mut self, lower: &str) -> Lex {
        let Some(slots) = self.slots.as_deref_mut() else {
            return self.gazetteer.lex(lower);
        };
        if let Some(key) = packed(lower) {
            let i = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - RECENT_BITS)) as usize;
            let Some(slot) = slots.short.get_mut(i) else {
                return self.gazetteer.lex(lower);
            };
            if slot.0 != key {
                let lex = self.gazetteer.short.get(&key).copied().unwrap_or_default();
                *slot = (key, lex);
            }
            return slot.1;
        }
        let Some(key) = packed_long(lower) else {
            return self.gazetteer.lex(lower);
        };
        let mixed = (key.0 ^ key.1.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let i = (mixed >> (64 - RECENT_LONG_BITS)) as usize;
        let Some(slot) = slots.long.get_mut(i) else {
            return self.gazetteer.lex(lower);
        };
        if slot.0 != key {
            let lex = self.gazetteer.long.get(lower).copied().unwrap_or_default();
            *slot = (key, lex);
        }
        slot.1
    }
}

/// The lines of `s` as [`str::lines`] gives them (cut at `\n`, a `\r`
/// just before it dropped, no empty last line after a final `\n`), found with
/// `memchr` (the lines of the place list; when the word lists were read
/// at start-up too, `str::lines` was a third of loading them).
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
        // Each table sized for its entries up front: no rehashing while
        // ~220,000 entries go in. A record's first byte is its word's length.
        let n_short = LEXICON
            .chunks_exact(RECORD)
            .filter(|r| usize::from(r[0]) <= SHORT)
            .count();
        let n_long = LEXICON.len() / RECORD - n_short;
        let mut short: HashMap<u64, Lex> =
            HashMap::with_capacity_and_hasher(n_short, Default::default());
        let mut long: HashMap<&'static str, Lex> =
            HashMap::with_capacity_and_hasher(n_long, Default::default());
        for (w, lex) in crate::lexicon::records(LEXICON_WORDS, LEXICON) {
            match packed(w) {
                Some(key) => short.insert(key, lex),
                None => long.insert(w, lex),
            };
        }
        let lines = |list: &str| memchr::memchr_iter(b'\n', list.as_bytes()).count() + 1;
        let mut places: HashMap<&'static str, PlaceKind> = HashMap::with_capacity_and_hasher(
            lines(PLACES) + EXTRA.iter().map(|(list, _)| list.len()).sum::<usize>(),
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
        for (list, kind) in EXTRA {
            for p in list {
                places.entry(p).or_insert(kind);
            }
        }
        let max_place_words = places
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1)
            .min(5);
        let mut place_starts: HashMap<String, usize> =
            HashMap::with_capacity_and_hasher(places.len(), Default::default());
        for &key in places.keys() {
            // A name of lower-case ASCII letters and spaces splits at its
            // spaces (as the tokenizer splits it); others go through it.
            let (first, n) = if key.bytes().all(|b| b.is_ascii_lowercase() || b == b' ') {
                let mut words = key.split(' ').filter(|w| !w.is_empty());
                (words.next().map(Cow::Borrowed), 1 + words.count())
            } else {
                let lowered = crate::context::ascii_lowered(key);
                let tokens = crate::names::tokenize(key, &lowered);
                let first = tokens.first().map(|t| Cow::Owned(t.lower.to_string()));
                (first, tokens.len())
            };
            if let Some(first) = first {
                match place_starts.get_mut(first.as_ref()) {
                    Some(most) => *most = (*most).max(n),
                    None => {
                        place_starts.insert(first.into_owned(), n);
                    }
                }
            }
        }
        Gazetteer {
            long,
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
            None => self.long.get(lower),
        }
        .copied()
        .unwrap_or_default()
    }

    /// Runs `f` with this thread's [`Recent`] cache of short words (or,
    /// should `f` itself ask for the cache again, with none).
    pub fn with_recent<R>(&self, f: impl FnOnce(&mut Recent<'_>) -> R) -> R {
        RECENT.with(|cell| match cell.try_borrow_mut() {
            Ok(mut slots) => f(&mut Recent {
                gazetteer: self,
                slots: Some(&mut slots),
            }),
            Err(_) => f(&mut Recent {
                gazetteer: self,
                slots: None,
            }),
        })
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
        crate::lexicon::records(LEXICON_WORDS, LEXICON).filter_map(|(w, l)| Some((w, l.first()?)))
    }

    /// Every last name with its frequency rank (in no particular order).
    pub fn last_names(&self) -> impl Iterator<Item = (&str, u32)> {
        crate::lexicon::records(LEXICON_WORDS, LEXICON).filter_map(|(w, l)| Some((w, l.last()?)))
    }
}

/// The ordinary words of French, Italian, Portuguese and Dutch that no
/// other list holds (`data/fr_it_pt_nl_words.txt`, built by
/// `scripts/build_foreign_words.py`; lower case, one a line, sorted by
/// their bytes), searched where they lie in the binary: no start-up cost,
/// and only a text another language's function word stands in asks.
static MORE_FOREIGN_WORDS: &str = include_str!("../data/fr_it_pt_nl_words.txt");

/// Whether `lower` is one of the ordinary words of French, Italian,
/// Portuguese and Dutch that no other list holds ([`MORE_FOREIGN_WORDS`];
/// see `lexicon::class::MORE_FOREIGN_WORD`).
pub fn more_foreign_word(lower: &str) -> bool {
    sorted_lines_contain(MORE_FOREIGN_WORDS, lower)
}

/// Whether `sorted` (lines ending in `\n`, in increasing byte order)
/// holds the line `word`: a binary search over its bytes (each probe
/// backs up to the start of the line it lands in), about 17 probes for
/// 150,000 lines.
fn sorted_lines_contain(sorted: &str, word: &str) -> bool {
    let b = sorted.as_bytes();
    // `lo` is a line's start; `hi` a line's start or the end.
    let (mut lo, mut hi) = (0, b.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = memchr::memrchr(b'\n', &b[lo..mid]).map_or(lo, |i| lo + i + 1);
        let end = memchr::memchr(b'\n', &b[start..hi]).map_or(hi, |i| start + i);
        match b[start..end].cmp(word.as_bytes()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = (end + 1).min(hi),
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
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

    static FIRST: &str = include_str!("../data/first_names.txt");
    static LAST: &str = include_str!("../data/last_names.txt");
    static WORDS: &str = include_str!("../data/words.txt");
    static GERMAN: &str = include_str!("../data/german_words.txt");
    static SPANISH: &str = include_str!("../data/spanish_words.txt");

    #[test]
    fn the_shipped_lists_split_as_the_standard_library_splits_them() {
        for list in [FIRST, LAST, WORDS, GERMAN, SPANISH, PLACES] {
            assert!(lines_of(list).eq(list.lines()));
        }
    }

    #[test]
    fn the_more_foreign_words_are_sorted_lower_case_lines() {
        let lines: Vec<&str> = MORE_FOREIGN_WORDS.lines().collect();
        assert!(lines.len() > 100_000, "{}", lines.len());
        assert!(lines.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
        assert!(MORE_FOREIGN_WORDS.ends_with('\n'));
        assert!(
            lines
                .iter()
                .all(|w| !w.is_empty() && w.to_lowercase() == *w)
        );
        for w in ["désactiver", "valori", "saída", "waarde"] {
            assert!(more_foreign_word(w), "{w}");
        }
        // English words, common names and places stay out.
        for w in [
            "file", "the", "maria", "john", "paris", "milan", "", "zzzzzz",
        ] {
            assert!(!more_foreign_word(w), "{w}");
        }
    }

    proptest::proptest! {
        /// The search over the sorted lines answers as a set of them does,
        /// for words in the list, beside it and not in it.
        #[test]
        fn sorted_lines_are_searched_as_a_set(
            mut words in proptest::collection::vec("[a-dé]{0,4}", 0..40),
            probe in "[a-dé]{0,4}",
        ) {
            words.retain(|w| !w.is_empty());
            words.sort();
            words.dedup();
            let text: String = words.iter().map(|w| format!("{w}\n")).collect();
            for w in words.iter().map(String::as_str).chain([probe.as_str()]) {
                proptest::prop_assert_eq!(
                    sorted_lines_contain(&text, w),
                    words.iter().any(|x| x == w),
                    "{:?} in {:?}", w, words
                );
            }
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

    /// Every place name's first word starts a place, with the most words
    /// any place starting with it has (as the name pass splits them); no
    /// other word does.
    #[test]
    fn place_starts_hold_each_first_words_longest_place() {
        let g = Gazetteer::get();
        let mut want: std::collections::HashMap<String, usize> = Default::default();
        for key in g.places.keys() {
            let tokens = crate::names::tokenize(key, key);
            if let Some(t) = tokens.first() {
                let n = want.entry(t.lower.to_string()).or_default();
                *n = (*n).max(tokens.len());
            }
        }
        assert_eq!(g.place_starts.len(), want.len());
        for (w, n) in &want {
            assert_eq!(g.place_starts.get(w.as_str()), Some(n), "{w}");
        }
        assert_eq!(g.place_starts.get("new"), want.get("new"));
        assert!(want.get("new").is_some_and(|&n| n >= 2));
    }

    /// The cache of recent short words answers as the lexicon does, on a
    /// word's first lookup and on its repeats, for listed words, unlisted
    /// ones, and words whose slots collide; asked for again inside itself,
    /// it answers without the cache.
    #[test]
    fn recent_words_answer_as_the_lexicon() {
        let g = Gazetteer::get();
        let mut words: Vec<&str> = crate::lexicon::records(LEXICON_WORDS, LEXICON)
            .map(|(w, _)| w)
            .collect();
        words.extend([
            "qzxv",
            "smith\0",
            "",
            "a",
            "zzzzzzz",
            "internationally",
            "internationally\0",
            "zzzzzzzz",
            "zzzzzzzzzzzzzzzz",
            "zzzzzzzzzzzzzzzzz",
            "abcdefgh\0",
            "abcdefgh",
        ]);
        g.with_recent(|recent| {
            for round in 0..2 {
                for w in &words {
                    assert_eq!(recent.lex(w), g.lex(w), "{w} (round {round})");
                }
            }
            g.with_recent(|inner| assert_eq!(inner.lex("john"), g.lex("john")));
        });
    }

    /// The embedded records hold exactly the entries merged from the
    /// shipped lists, each found through `lex` as the lists say, short and
    /// long; words that differ only past their end or by a NUL byte get
    /// different keys.
    #[test]
    fn the_records_hold_exactly_the_lists_entries() {
        let g = Gazetteer::get();
        let lists = crate::lexicon::entries(FIRST, LAST, WORDS, [GERMAN, SPANISH]);
        assert!(lists.len() > 230_000);
        for (w, l) in &lists {
            assert_eq!(g.lex(w), *l, "{w}");
        }
        let mut n = 0;
        for (w, l) in crate::lexicon::records(LEXICON_WORDS, LEXICON) {
            assert_eq!(lists.get(w), Some(&l), "{w}");
            n += 1;
        }
        assert_eq!(n, lists.len());
        assert_eq!(g.short.len() + g.long.len(), n);
        assert_ne!(packed("a"), packed("a\0"));
        assert_ne!(packed(""), packed("\0"));
        assert_eq!(packed("abcdefgh"), None);
        assert_eq!(g.lex("smith\0"), Lex::default());
        assert_eq!(g.lex("internationally\0"), Lex::default());
        assert!(g.lex("internationally").is(class::WORD));
    }
}
