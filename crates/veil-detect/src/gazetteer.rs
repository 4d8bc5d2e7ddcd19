//! The name and place lists shipped inside Veil (see `data/LICENSES.md`):
//! US Census first and last names, GeoNames countries, states and cities,
//! and ordinary English words from SCOWL (Debian `wamerican`). Loaded once,
//! on first use, into hash maps keyed by the lower-cased form (the lists
//! are stored lower-cased; keys borrow from the embedded text, so loading
//! allocates no string per entry).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
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
    /// First names with their frequency (percent of the population).
    pub first: HashMap<&'static str, f32>,
    /// Last names with their frequency rank (1 = most common).
    pub last: HashMap<&'static str, u32>,
    /// Ordinary lower-case English words.
    pub words: HashSet<&'static str>,
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
    "savannah", "scott", "shepherd", "sky", "smith", "son", "spring", "stone", "storm", "sue",
    "summer", "sunny", "taylor", "trinity", "violet", "wade", "walker", "ward", "waters", "weaver",
    "wells", "white", "will", "winter", "wood", "woods", "young",
];

impl Gazetteer {
    fn load() -> Gazetteer {
        // Each table sized for its list up front (one line an entry): no
        // rehashing while ~230,000 entries go in.
        let lines = |list: &str| memchr::memchr_iter(b'\n', list.as_bytes()).count() + 1;
        let mut first = HashMap::with_capacity_and_hasher(lines(FIRST), Default::default());
        first.extend(FIRST.lines().filter_map(|l| {
            let (n, f) = l.split_once('\t')?;
            Some((n, f.parse().unwrap_or(0.0)))
        }));
        let mut last = HashMap::with_capacity_and_hasher(lines(LAST), Default::default());
        last.extend(LAST.lines().filter_map(|l| {
            let (n, r) = l.split_once('\t')?;
            Some((n, r.parse().unwrap_or(u32::MAX)))
        }));
        let mut words = HashSet::with_capacity_and_hasher(lines(WORDS), Default::default());
        words.extend(WORDS.lines());
        let mut places: HashMap<&'static str, PlaceKind> = HashMap::with_capacity_and_hasher(
            lines(PLACES) + EXTRA_PLACES.len(),
            Default::default(),
        );
        places.extend(PLACES.lines().filter_map(|l| {
            let (n, k) = l.split_once('\t')?;
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
            let lowered = crate::names::ascii_lowered(key);
            let tokens = crate::names::tokenize(key, &lowered);
            if let Some(t) = tokens.first() {
                let n = place_starts.entry(t.lower.to_string()).or_default();
                *n = (*n).max(tokens.len());
            }
        }
        Gazetteer {
            first,
            last,
            words,
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

    /// Whether `lower` is an ordinary word that is also a common name, so
    /// that a capitalised occurrence needs support to count as a name.
    pub fn is_common_word_name(&self, lower: &str) -> bool {
        static SET: LazyLock<HashSet<&str>> =
            LazyLock::new(|| COMMON_WORD_NAMES.iter().copied().collect());
        SET.contains(lower)
    }

    /// Whether `lower` is an ordinary English word.
    pub fn is_word(&self, lower: &str) -> bool {
        self.words.contains(lower)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load() {
        let g = Gazetteer::get();
        assert!(g.first.contains_key("john"));
        assert!(g.last.get("smith") == Some(&1));
        assert!(g.is_word("will"));
        assert!(!g.is_word("krisztina"));
        assert_eq!(g.places.get("uruguay"), Some(&PlaceKind::Country));
        assert_eq!(
            g.places.get("new york city").or(g.places.get("new york")),
            Some(&PlaceKind::City).or(Some(&PlaceKind::State))
        );
    }
}
