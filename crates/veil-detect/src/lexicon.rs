//! The lexicon: what Veil's shipped word lists say about one lower-cased
//! word ([`Lex`]), the small word lists of the name and quasi-identifier
//! recognizers with the [`class`] each gives its words, and the binary
//! records the merged lexicon is shipped in.
//!
//! This file is compiled twice: into the crate, and into `build.rs`
//! (through `#[path]`), which merges the lists (US Census first and last
//! names, SCOWL's ordinary words, the lists below) with [`entries`] and
//! writes them with [`write_records`] to `$OUT_DIR`. The crate embeds the
//! records and [`crate::gazetteer`] fills its lookup tables from them with
//! [`records`]: start-up parses no text list, validates no word and merges
//! no entries. This
//! file therefore uses the standard library only.

use std::collections::HashMap;

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
    /// A function word or pronoun: it ends an occupation phrase on the
    /// left and starts no organisation.
    pub const QUASI_STOP: u32 = 1 << 12;
    /// A weekday name, singular or plural: never a person's name.
    pub const WEEKDAY: u32 = 1 << 13;
    /// An institution that is named by what it is "of" ("University of
    /// Chicago", "Bank of England", "Ministry of Health").
    pub const INSTITUTION: u32 = 1 << 14;
    /// A piece of software, a language, a standard or a typeface that the
    /// name lists also hold as a rare name ("perl", "arial") or that no
    /// English word list holds ("debian", "valgrind"): never a person's
    /// or a place's name on its own.
    pub const PRODUCT: u32 = 1 << 15;
    /// One of a source tree's conventional files ("readme", "makefile":
    /// see `names::written_as_code` for the forms it is read in).
    pub const FILE_NAME: u32 = 1 << 16;
    /// A word the name lists hold only when written without its
    /// diacritics ("muñoz" as "munoz"): set when a word is looked up, never
    /// by a list; after a place cue such a word may still be a place
    /// ("home city ROSSÖN", "Where: Castelló de Rugat").
    pub const FOLDED: u32 = 1 << 17;
    /// An ordinary German word that no English list holds
    /// (`data/german_words.txt`): it tells German text, and in text written
    /// in another language than English it is an ordinary word ("Hilfe",
    /// "Kündigung").
    pub const GERMAN_WORD: u32 = 1 << 18;
    /// A German function word that no English list holds ("und", "ich",
    /// "nicht"): it tells German text, and in text another language
    /// writes it is a stop word ("Sie", "Ihre").
    pub const GERMAN_FUNCTION: u32 = 1 << 19;
    /// A function word of French, Spanish, Italian, Portuguese or Dutch
    /// that no English list holds ("les", "para", "della", "não", "het"),
    /// a stop word in text another language writes.
    pub const FOREIGN_FUNCTION: u32 = 1 << 20;
    /// An English function word that the other languages' texts do not
    /// use ("the", "with"; not "in", "was", "on"): it tells English text.
    pub const ENGLISH_FUNCTION: u32 = 1 << 21;
    /// An ordinary Spanish word that no English list holds
    /// (`data/spanish_words.txt`), as [`GERMAN_WORD`] is German's ("pedido").
    pub const SPANISH_WORD: u32 = 1 << 22;
    /// An ordinary word of French, Italian, Portuguese or Dutch that no
    /// other list holds (`data/fr_it_pt_nl_words.txt`, read by
    /// `gazetteer::more_foreign_word`): set by the name pass, only in a
    /// text voted another language's (`language::LanguageVotes`), never by
    /// the lexicon ("désactiver", "valori", "saída", "waarde").
    pub const MORE_FOREIGN_WORD: u32 = 1 << 23;
    /// An ordinary word of another language than English.
    pub const FOREIGN_WORD: u32 = GERMAN_WORD | SPANISH_WORD | MORE_FOREIGN_WORD;
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

    /// An ordinary word that no list holds itself: the plural of one
    /// ("redistributions"; see `names::inflected_stem`).
    pub fn inflected_word() -> Lex {
        Lex {
            flags: class::WORD,
            ..Lex::default()
        }
    }

    /// This entry with the first-name share and surname rank of `other`,
    /// its own classes kept ([`class::FOLDED`] added when `other` names
    /// one): `other` is the entry of the same word written
    /// without its diacritics (the name lists are ASCII: "muñoz" ranks as
    /// "munoz").
    pub fn with_names_of(self, other: Lex) -> Lex {
        let named = other.first().is_some() || other.last().is_some();
        Lex {
            first: other.first,
            last: other.last,
            ..self
        }
        .with_classes(if named { class::FOLDED } else { 0 })
    }

    /// This entry with the classes `flags` added (what its place in a
    /// text says of the word: "Mac" before "OS" is a product).
    pub fn with_classes(self, flags: u32) -> Lex {
        Lex {
            flags: self.flags | flags,
            ..self
        }
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

    /// This entry as text written in another language than English reads
    /// it, of a word written `capitalised` inside a sentence or not, or
    /// capitalised `opening` one: an
    /// ordinary word of that language ([`class::FOREIGN_WORD`]) is an
    /// ordinary word ([`class::WORD`]; one that is also a first name stays
    /// one, as "will" does), and so is a word in lower case that no list
    /// holds (the language's words that no list of Veil's holds: "données");
    /// a function word ([`class::GERMAN_FUNCTION`],
    /// [`class::FOREIGN_FUNCTION`]) is a stop word, unless it is a common
    /// first name capitalised inside a sentence ("… dijo Ella", "… und Mia").
    ///
    /// A surname particle capitalised at a sentence's start (`opening`) is
    /// the article it spells there ("Le fichier …", "De waarde …").
    pub fn in_foreign_text(self, capitalised: bool, opening: bool) -> Lex {
        let mut flags = 0;
        if self.is(class::FOREIGN_WORD) || (!capitalised && !opening && self.is_unlisted()) {
            flags |= class::WORD;
        }
        if (self.is(class::GERMAN_FUNCTION | class::FOREIGN_FUNCTION)
            && !(capitalised && self.first().is_some_and(|f| f >= COMMON_FIRST_NAME)))
            || (opening && self.is(class::PARTICLE))
        {
            flags |= class::STOP;
        }
        self.with_classes(flags)
    }
}

/// The first-name share (percent) from which a function word of another
/// language stays a name in text of that language ("Mia", "Ella").
pub const COMMON_FIRST_NAME: f32 = 0.01;

/// Every word list the lexicon marks, with the [`class`] it gives its words
/// (the name recognizer's, the quasi-identifier recognizer's, and the
/// names that are everyday words; NRP words and their plurals are added
/// from [`nrp_words`]).
pub const WORD_CLASSES: &[(&[&str], u32)] = &[
    (TITLES, class::TITLE),
    (PARTICLES, class::PARTICLE),
    (ORG_WORDS, class::ORG),
    (STOP_WORDS, class::STOP),
    (GREETINGS, class::STOP),
    (SIGN_OFFS, class::STOP),
    (CHAT_WORDS, class::STOP),
    (NATIONALITIES, class::NATIONALITY),
    (HONORIFICS, class::HONORIFIC),
    (OTHER_LANGUAGE_HONORIFICS, class::TITLE | class::HONORIFIC),
    (OCCUPATIONS, class::OCCUPATION),
    (ORG_SUFFIXES, class::ORG_SUFFIX),
    (INSTITUTIONS, class::INSTITUTION),
    (STOPS, class::QUASI_STOP),
    (COMMON_WORD_NAMES, class::COMMON_WORD_NAME),
    (PRODUCTS, class::PRODUCT),
    (CONVENTIONAL_FILES, class::FILE_NAME),
    (GERMAN_FUNCTION_WORDS, class::GERMAN_FUNCTION),
    (FOREIGN_FUNCTION_WORDS, class::FOREIGN_FUNCTION),
    (ENGLISH_FUNCTION_WORDS, class::ENGLISH_FUNCTION),
];

/// German function words that no English list holds ("was", "will" are
/// English words), and the articles ("der", "die", "das", "den": surname
/// particles or English words, but in lower case in German text these):
/// see [`class::GERMAN_FUNCTION`].
pub const GERMAN_FUNCTION_WORDS: &[&str] = &[
    "der", "die", "das", "den", "aber", "auch", "auf", "aus", "bei", "beim", "bitte", "danke",
    "dann", "dass", "dein", "deine", "dem", "des", "dich", "diese", "diesem", "diesen", "dieser",
    "dieses", "dir", "doch", "durch", "ein", "eine", "einem", "einen", "einer", "er", "euch",
    "für", "gegen", "geht", "gibt", "habe", "haben", "hatte", "hier", "ich", "ihm", "ihn", "ihnen",
    "ihr", "ihre", "ihrem", "ihren", "ihrer", "im", "ist", "ja", "jetzt", "kann", "kein", "keine",
    "keinen", "können", "könnten", "mein", "meine", "meinem", "meinen", "meiner", "mich", "mir",
    "mit", "möchte", "müssen", "nach", "nein", "nicht", "noch", "nur", "oder", "ohne", "schon",
    "sehr", "sein", "seine", "seinen", "sich", "sie", "sind", "soll", "sollte", "und", "uns",
    "unser", "unsere", "vom", "weil", "wenn", "wer", "werden", "wie", "wir", "wird", "wo", "wurde",
    "wurden", "wäre", "würde", "zu", "zum", "zur", "über",
];

/// Function words of French, Spanish, Italian, Portuguese and Dutch that
/// no English list holds, nor [`PARTICLES`] ("com", Portuguese "with", is
/// left out: the last part of addresses): see [`class::FOREIGN_FUNCTION`].
pub const FOREIGN_FUNCTION_WORDS: &[&str] = &[
    // French
    "au", "aussi", "aux", "avec", "avez", "avoir", "avons", "ce", "ceci", "cela", "ces", "cette",
    "chez", "dans", "des", "déjà", "elle", "elles", "entre", "faire", "fait", "il", "ils", "je",
    "les", "leur", "leurs", "lui", "mais", "merci", "mon", "ne", "ni", "notre", "ou", "où", "peut",
    "peux", "que", "qui", "sa", "se", "sommes", "sont", "sous", "suis", "ta", "toujours", "très",
    "tu", "une", "veux", "vos", "votre", "vous", "ça", "été", "êtes", "être",
    // Spanish
    "como", "cuando", "desde", "donde", "ella", "ellos", "eres", "esa", "ese", "eso", "esta",
    "estas", "este", "esto", "estos", "estoy", "está", "están", "fue", "gracias", "hasta", "las",
    "los", "mis", "muy", "más", "nosotros", "nuestra", "nuestro", "para", "pero", "por", "porque",
    "puede", "pues", "qué", "ser", "sobre", "somos", "su", "sus", "también", "te", "tengo",
    "tiene", "tus", "una", "unas", "unos", "usted", "ustedes", "ya", "él", "durante", "han", "un",
    "debe", "deben", "pueden", "hace", // Italian
    "agli", "ai", "alla", "alle", "anche", "ancora", "avere", "che", "ci", "dal", "dalla", "degli",
    "dei", "delle", "essere", "fra", "già", "gli", "grazie", "hanno", "io", "loro", "mia", "mio",
    "molto", "negli", "nei", "nel", "nella", "nelle", "noi", "nostro", "ogni", "perché", "più",
    "può", "quando", "quella", "quello", "questa", "questo", "sempre", "senza", "si", "sono",
    "sua", "sul", "sulla", "suo", "tra", "tua", "tuo", "tutti", "tutto", "uno", "voi", "vostro",
    "è", // Portuguese
    "ao", "aos", "ela", "elas", "ele", "eles", "essa", "esse", "estão", "eu", "foi", "há", "isso",
    "isto", "já", "mais", "meu", "minha", "muito", "na", "nas", "nossa", "nosso", "não", "nós",
    "obrigada", "obrigado", "onde", "os", "pela", "pelo", "sem", "seu", "seus", "sou", "suas",
    "são", "tem", "uma", "você", "vocês", "é", // Dutch
    "aan", "alleen", "als", "bedankt", "ben", "bij", "dan", "deze", "dit", "een", "geen", "graag",
    "haar", "hebben", "heeft", "het", "hij", "hun", "ik", "je", "jij", "jouw", "kunnen", "maar",
    "mijn", "moet", "moeten", "naar", "niet", "nog", "om", "omdat", "ons", "onze", "ook", "uit",
    "uw", "voor", "waar", "wat", "wie", "wij", "worden", "wordt", "zal", "ze", "zij", "zijn",
    "zou",
];

/// English function words that the other languages' texts do not use
/// (not "in", "an", "am", "so", "was", "will", "also", "die": German; "is":
/// Dutch; "on", "me", "do", "a": French, Spanish, Portuguese): see
/// [`class::ENGLISH_FUNCTION`].
pub const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "and", "of", "to", "are", "were", "you", "your", "with", "for", "this", "that", "it",
    "be", "have", "has", "had", "not", "or", "at", "by", "from", "we", "i", "my", "he", "she",
    "they", "his", "her", "their", "our", "would", "can", "please", "thanks", "what", "which",
    "who", "there", "been", "does", "did", "if", "but", "about", "just", "should", "could", "us",
    "them",
];

/// A source tree's conventional files, lower case (see [`class::FILE_NAME`]).
pub const CONVENTIONAL_FILES: &[&str] = &[
    "readme",
    "changelog",
    "changes",
    "license",
    "licence",
    "copying",
    "authors",
    "contributors",
    "contributing",
    "maintainers",
    "codeowners",
    "install",
    "news",
    "notice",
    "todo",
    "makefile",
    "dockerfile",
    "jamfile",
    "jamroot",
    "rakefile",
    "gemfile",
    "vagrantfile",
    "procfile",
];

/// Software, languages, formats, typefaces and binary units that read as
/// a name in the text software ships with, and programming languages'
/// literals and docstring words ("if name is None", "Args:") (lower case;
/// see [`class::PRODUCT`]). Words that are also names of people ("ruby",
/// "julia", "pascal", "haskell", "lua", "nan") are left out.
pub const PRODUCTS: &[&str] = &[
    "none",
    "null",
    "nil",
    "args",
    "kwargs",
    "tuple",
    "perl",
    "python",
    "java",
    "javascript",
    "typescript",
    "ecmascript",
    "golang",
    "kotlin",
    "fortran",
    "cobol",
    "lisp",
    "scheme",
    "erlang",
    "elixir",
    "clojure",
    "tcl",
    "php",
    "linux",
    "unix",
    "solaris",
    "debian",
    "ubuntu",
    "fedora",
    "gentoo",
    "centos",
    "alpine",
    "android",
    "macos",
    "freebsd",
    "openbsd",
    "netbsd",
    "minix",
    "git",
    "github",
    "gitlab",
    "bitbucket",
    "valgrind",
    "memcheck",
    "cachegrind",
    "callgrind",
    "helgrind",
    "massif",
    "expat",
    "autoconf",
    "automake",
    "libtool",
    "cmake",
    "doxygen",
    "kerberos",
    "openssl",
    "gnutls",
    "libressl",
    "unicode",
    "utf",
    "ascii",
    "arial",
    "helvetica",
    "verdana",
    "tahoma",
    "calibri",
    "garamond",
    "nodejs",
    "npm",
    "webkit",
    "chromium",
    "firefox",
    "mozilla",
    "nginx",
    "postgres",
    "postgresql",
    "mysql",
    "sqlite",
    "redis",
    "docker",
    "kubernetes",
    "xcode",
    "gnome",
    "wayland",
    "systemd",
    "busybox",
    "glibc",
    "llvm",
    "clang",
    "emacs",
    "vim",
    "bash",
    "zsh",
    "jquery",
    "libxml",
    "libxslt",
    "zlib",
    "brotli",
    "corepack",
    "serde",
    "tokio",
    "regex",
    "json",
    "yaml",
    "toml",
    "xpath",
    "xslt",
    "docbook",
    "texinfo",
    "latex",
    "markdown",
    "wikipedia",
    "youtube",
    "twitter",
    "facebook",
    "slack",
    "jsdoc",
    "eslint",
    "webassembly",
    "wget",
    "tex",
    "setuptools",
    "pango",
    "cygwin",
    "readline",
    "coverity",
    "gdkpixbuf",
    // Protocols, standards and formats written in capitals ("described in
    // RFC 1952", "in HTTP", "if name in SQL"), and the debugger and
    // interpreter loop of a language ("in REPL", "pdb.Pdb").
    "rfc",
    "http",
    "https",
    "tcp",
    "udp",
    "ftp",
    "smtp",
    "imap",
    "ssh",
    "tls",
    "ssl",
    "dns",
    "html",
    "xml",
    "css",
    "sql",
    "csv",
    "pdf",
    "url",
    "posix",
    "ieee",
    "ansi",
    "mime",
    "nss",
    "repl",
    "pdb",
    // IEC binary units ("1.5 GiB")
    "kib",
    "mib",
    "gib",
    "tib",
];

/// Every NRP word (nationalities, religions, parties), singular.
pub fn nrp_words() -> impl Iterator<Item = &'static str> {
    NATIONALITIES.iter().chain(MORE_NRP).copied()
}

/// Month names, lower case, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether `word` names a month in any case: in full ("April"), by its
/// first three letters ("Nov", "oct") or as "Sept".
pub fn is_month(word: &str) -> bool {
    word.eq_ignore_ascii_case("sept")
        || MONTHS
            .iter()
            .any(|m| m.eq_ignore_ascii_case(word) || m[..3].eq_ignore_ascii_case(word))
}

/// Weekday names, lower case (the date pattern reads them in any case,
/// plural allowed; the lexicon marks both forms [`class::WEEKDAY`]).
pub const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether `w` is the first three letters of one of [`MONTHS`] or
/// [`WEEKDAYS`], in any case ("Jan", "mon", "THU"): one match on the
/// lower-cased bytes, cheap enough to ask of every capitalised word
/// ("The", "And"). Tested against the two lists.
pub fn is_short_month_or_weekday(w: &[u8]) -> bool {
    w.len() == 3
        && w.iter().all(u8::is_ascii_alphabetic)
        && matches!(
            [w[0] | 0x20, w[1] | 0x20, w[2] | 0x20],
            [b'j', b'a', b'n']
                | [b'f', b'e', b'b']
                | [b'm', b'a', b'r']
                | [b'a', b'p', b'r']
                | [b'm', b'a', b'y']
                | [b'j', b'u', b'n']
                | [b'j', b'u', b'l']
                | [b'a', b'u', b'g']
                | [b's', b'e', b'p']
                | [b'o', b'c', b't']
                | [b'n', b'o', b'v']
                | [b'd', b'e', b'c']
                | [b'm', b'o', b'n']
                | [b't', b'u', b'e']
                | [b'w', b'e', b'd']
                | [b't', b'h', b'u']
                | [b'f', b'r', b'i']
                | [b's', b'a', b't']
                | [b's', b'u', b'n']
        )
}

/// Titles that introduce a person's name.
pub const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "madam",
    "dame",
    "lord",
    "lady",
    "rev",
    "reverend",
    "fr",
    "father",
    "sister",
    "brother",
    "capt",
    "captain",
    "sgt",
    "officer",
    "judge",
    "senator",
    "president",
    "mister",
    "uncle",
    "aunt",
    "coach",
    "agent",
    // Italian titles that are no honorifics (see [`OTHER_LANGUAGE_HONORIFICS`]).
    "dottore",
    "dottoressa",
];

/// The honorifics of German, French, Spanish, Italian, Portuguese and Dutch
/// ("Frau Hinterhuber", "Madame Lefebvre", "la señora Fernández"; not
/// "Sr", an English suffix, nor "Don", a first name): titles
/// ([`class::TITLE`]) and honorifics ([`class::HONORIFIC`]) both, as
/// [`TITLES`] and [`HONORIFICS`] are English's.
pub const OTHER_LANGUAGE_HONORIFICS: &[&str] = &[
    "herr",
    "herrn",
    "frau",
    "monsieur",
    "madame",
    "mme",
    "mlle",
    "mademoiselle",
    "señor",
    "señora",
    "señorita",
    "sra",
    "srta",
    "signor",
    "signora",
    "signorina",
    "dott",
    "senhor",
    "senhora",
    "meneer",
    "mevrouw",
    "dhr",
    "mevr",
];

/// Lower-case particles allowed inside a name ("Ludwig van Beethoven").
pub const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "di", "del", "della", "la", "le", "du", "bin", "ibn",
    "al", "el", "dos", "das", "ter", "ten", "y",
];

/// Function words and labels that are never names, whatever the lists say
/// (German "ich" too: with "bin", "am" but also a name particle, it opened a
/// name, "Ich bin Jens Weber"). [`GREETINGS`] are stop words as well.
pub const STOP_WORDS: &[&str] = &[
    "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "it",
    "its", "they", "them", "their", "the", "a", "an", "this", "that", "these", "those", "hi",
    "hello", "hey", "dear", "yes", "no", "not", "e-mail", "email", "iban", "ssn", "dob", "fax",
    "tel", "re", "fwd", "ok", "ps", "faq", "url", "id", "pin", "all", "ich",
];

/// Greetings, English and of the languages support chats come in: never a
/// place of one word ("Hola" is a town in the place lists), and, marked
/// [`class::STOP`] as the stop words are, never part of a name.
pub const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
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
    "buongiorno",
    "buonasera",
    "namaste",
];

/// Sign-offs of the languages support mail comes in ("Mit freundlichen
/// Grüßen, Jens Weber", "Cordialement, Marie Dupont"): marked
/// [`class::STOP`], never part of a name (English ones are ordinary words:
/// "Regards", "Cheers").
pub const SIGN_OFFS: &[&str] = &[
    "grüße",
    "grüßen",
    "gruß",
    "mfg",
    "cordialement",
    "salutations",
    "amicalement",
    "saludos",
    "atentamente",
    "cordiales",
    "saluti",
    "cordiali",
    "distinti",
    "cumprimentos",
    "atenciosamente",
    "abraços",
    "groeten",
    "groet",
    "dank",
];

/// Chat words and abbreviations no English word list holds, some spelt
/// like names ("gonna", "lmao"): in text without capitals, never a name.
pub const CHAT_WORDS: &[&str] = &[
    "gonna", "wanna", "gotta", "kinda", "sorta", "dunno", "lemme", "gimme", "yall", "y'all",
    "yeah", "yea", "yep", "yup", "nope", "nah", "okay", "lol", "lmao", "lmfao", "rofl", "omg",
    "omfg", "wtf", "btw", "fyi", "idk", "imo", "imho", "tbh", "smh", "asap", "thx", "thanx", "pls",
    "plz", "brb", "afk", "irl", "haha", "hahaha", "hehe", "lulz", "ugh", "hmm", "umm", "uhh",
    "meh", "yay", "woah", "whoa", "bday", "convo", "selfie", "emoji", "cuz", "coz", "tho", "thru",
    "gr8", "l8r", "cya", "xoxo",
];

/// Nationalities and languages: capitalised, never a person's name here.
pub const NATIONALITIES: &[&str] = &[
    "american",
    "british",
    "english",
    "scottish",
    "welsh",
    "irish",
    "french",
    "german",
    "spanish",
    "italian",
    "portuguese",
    "dutch",
    "belgian",
    "swiss",
    "austrian",
    "swedish",
    "norwegian",
    "danish",
    "finnish",
    "icelandic",
    "polish",
    "czech",
    "slovak",
    "hungarian",
    "romanian",
    "bulgarian",
    "greek",
    "turkish",
    "russian",
    "ukrainian",
    "chinese",
    "japanese",
    "korean",
    "vietnamese",
    "thai",
    "indian",
    "pakistani",
    "mexican",
    "brazilian",
    "argentinian",
    "canadian",
    "australian",
    "african",
    "european",
    "asian",
    "latin",
    "arabic",
    "hebrew",
    "jewish",
    "muslim",
    "christian",
    "catholic",
    "hindu",
    "buddhist",
    "democrat",
    "republican",
    "israeli",
    "iranian",
    "egyptian",
    "nigerian",
    "kenyan",
    "cypriot",
    "estonian",
    "latvian",
    "lithuanian",
    "croatian",
    "serbian",
    "slovenian",
    "maltese",
    "moroccan",
    "algerian",
    "tunisian",
];

/// Capitalised words that end an organisation's name, so the run is not a person.
pub const ORG_WORDS: &[&str] = &[
    "inc",
    "ltd",
    "llc",
    "corp",
    "corporation",
    "company",
    "co",
    "group",
    "bank",
    "university",
    "college",
    "school",
    "institute",
    "foundation",
    "association",
    "society",
    "hospital",
    "clinic",
    "agency",
    "department",
    "ministry",
    "council",
    "church",
    "club",
    "team",
    "magazine",
    "weekly",
    "times",
    "news",
    "press",
    "records",
    "airlines",
    "airways",
    "motors",
    "systems",
    "solutions",
    "technologies",
    "labs",
    "partners",
    "gmbh",
    "ag",
    "sa",
    "plc",
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "lane",
    "drive",
    "boulevard",
    "blvd",
    "square",
    "park",
    "hotel",
    "orchestra",
    "office",
    "offices",
    "insurance",
    "global",
    "holdings",
    "industries",
    "international",
    "enterprises",
    "ventures",
    "capital",
    "consulting",
    "services",
    "studios",
    "media",
    "networks",
    "software",
    "pharmaceuticals",
    "country",
    "republic",
    "kingdom",
    "county",
    "province",
    "state",
    "city",
    "town",
    "village",
    "island",
    "islands",
];

/// Demonyms and adjectives of nationality beyond the name recognizer's list,
/// religions and political groups.
pub const MORE_NRP: &[&str] = &[
    "afghan",
    "albanian",
    "andorran",
    "angolan",
    "armenian",
    "azerbaijani",
    "bahraini",
    "bangladeshi",
    "belarusian",
    "bolivian",
    "bosnian",
    "botswanan",
    "bruneian",
    "burmese",
    "cambodian",
    "cameroonian",
    "chilean",
    "colombian",
    "congolese",
    "cuban",
    "dominican",
    "ecuadorian",
    "emirati",
    "eritrean",
    "ethiopian",
    "fijian",
    "filipino",
    "georgian",
    "ghanaian",
    "greenlander",
    "guatemalan",
    "haitian",
    "honduran",
    "indonesian",
    "iraqi",
    "jamaican",
    "jordanian",
    "kazakh",
    "kuwaiti",
    "kyrgyz",
    "lao",
    "lebanese",
    "liberian",
    "libyan",
    "luxembourgish",
    "macedonian",
    "malagasy",
    "malaysian",
    "malian",
    "mongolian",
    "montenegrin",
    "mozambican",
    "namibian",
    "nepalese",
    "nepali",
    "nicaraguan",
    "omani",
    "palestinian",
    "panamanian",
    "paraguayan",
    "peruvian",
    "qatari",
    "rwandan",
    "salvadoran",
    "saudi",
    "senegalese",
    "singaporean",
    "somali",
    "sudanese",
    "syrian",
    "taiwanese",
    "tajik",
    "tanzanian",
    "tibetan",
    "turkmen",
    "ugandan",
    "uruguayan",
    "uzbek",
    "venezuelan",
    "yemeni",
    "zambian",
    "zimbabwean",
    "faroese",
    "basque",
    "catalan",
    "flemish",
    "kurdish",
    "bavarian",
    "texan",
    "hispanic",
    "latino",
    "latina",
    "arab",
    "persian",
    "swede",
    "dane",
    "finn",
    "pole",
    "scot",
    "briton",
    "brit",
    "sikh",
    "protestant",
    "orthodox",
    "mormon",
    "evangelical",
    "lutheran",
    "baptist",
    "methodist",
    "anglican",
    "presbyterian",
    "quaker",
    "shia",
    "sunni",
    "atheist",
    "agnostic",
    "democrats",
    "republicans",
    "socialist",
    "communist",
    "libertarian",
    "tory",
    "labour",
];

/// Honorifics that precede a name.
pub const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "madam",
    "rev",
];

/// The [`OTHER_LANGUAGE_HONORIFICS`] that Spanish, Italian, Portuguese,
/// French and Dutch write in lower case inside a sentence ("el señor Ortega", "la signora
/// Bianchi"): titles there too.
pub const LOWER_CASE_HONORIFICS: &[&str] = &[
    "señor",
    "señora",
    "señorita",
    "signor",
    "signora",
    "signorina",
    "senhor",
    "senhora",
    "monsieur",
    "madame",
    "meneer",
    "mevrouw",
];

/// Nouns that end the name of an occupation.
pub const OCCUPATIONS: &[&str] = &[
    "accountant",
    "actor",
    "actuary",
    "adjuster",
    "administrator",
    "advisor",
    "adviser",
    "agent",
    "aide",
    "analyst",
    "architect",
    "archivist",
    "artist",
    "assembler",
    "assistant",
    "attendant",
    "attorney",
    "auditor",
    "baker",
    "banker",
    "barber",
    "bartender",
    "biologist",
    "bookkeeper",
    "broker",
    "builder",
    "butcher",
    "buyer",
    "carpenter",
    "cashier",
    "chef",
    "chemist",
    "cleaner",
    "clerk",
    "coach",
    "controller",
    "cook",
    "coordinator",
    "counselor",
    "counsellor",
    "courier",
    "curator",
    "dancer",
    "dentist",
    "designer",
    "detective",
    "developer",
    "dietitian",
    "director",
    "dispatcher",
    "doctor",
    "drafter",
    "driver",
    "economist",
    "editor",
    "electrician",
    "engineer",
    "estimator",
    "examiner",
    "executive",
    "farmer",
    "firefighter",
    "fitter",
    "gardener",
    "geologist",
    "geographer",
    "guard",
    "hairdresser",
    "handler",
    "hygienist",
    "inspector",
    "installer",
    "instructor",
    "interpreter",
    "investigator",
    "janitor",
    "journalist",
    "judge",
    "laborer",
    "labourer",
    "lawyer",
    "lecturer",
    "librarian",
    "lineman",
    "locksmith",
    "machinist",
    "maker",
    "manager",
    "mason",
    "mechanic",
    "merchandiser",
    "midwife",
    "miner",
    "musician",
    "nurse",
    "nutritionist",
    "officer",
    "operator",
    "optician",
    "optometrist",
    "packager",
    "painter",
    "paralegal",
    "paramedic",
    "pharmacist",
    "photographer",
    "physician",
    "physicist",
    "physiotherapist",
    "pilot",
    "planner",
    "platemaker",
    "plumber",
    "porter",
    "producer",
    "professor",
    "programmer",
    "psychologist",
    "psychiatrist",
    "publicist",
    "radiographer",
    "receptionist",
    "repairer",
    "reporter",
    "representative",
    "researcher",
    "roofer",
    "salesman",
    "saleswoman",
    "salesperson",
    "scientist",
    "secretary",
    "setter",
    "soldier",
    "specialist",
    "statistician",
    "supervisor",
    "surgeon",
    "surveyor",
    "tailor",
    "teacher",
    "technician",
    "technologist",
    "tender",
    "teller",
    "tester",
    "therapist",
    "trainer",
    "translator",
    "tutor",
    "typist",
    "underwriter",
    "veterinarian",
    "waiter",
    "waitress",
    "welder",
    "worker",
    "writer",
];

/// Words that end an organisation's name.
pub const ORG_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "corp",
    "corporation",
    "company",
    "co",
    "group",
    "plc",
    "gmbh",
    "holdings",
    "industries",
    "enterprises",
    "ventures",
    "technologies",
    "technology",
    "solutions",
    "systems",
    "partners",
    "associates",
    "consulting",
    "consultants",
    "services",
    "labs",
    "laboratories",
    "analytics",
    "software",
    "networks",
    "media",
    "studios",
    "logistics",
    "energy",
    "insurance",
    "capital",
    "bank",
    "research",
    "pharmaceuticals",
    "foundation",
    "institute",
    "university",
    "college",
    "hospital",
    "clinic",
    "agency",
    "association",
    "airlines",
    "motors",
    "foods",
    "brands",
    "communications",
    "financial",
    "investments",
    "management",
    "marketing",
    "realty",
    "properties",
    "construction",
    "engineering",
    "electronics",
    "manufacturing",
    "sciences",
    "innovation",
    "innovations",
    "international",
    "appraisals",
    "movers",
    "orchestra",
    "band",
    "choir",
    "ensemble",
];

/// Institutions named by what they are "of": capitalised and followed by
/// "of" (or "of the") and a capitalised word, they start an organisation's
/// name ("University of Chicago", "Royal Bank of Canada", "Department of
/// Health"). Not "board" ("Board of Directors"), "state", "city",
/// "republic" or "kingdom" (places: "Republic of Korea").
pub const INSTITUTIONS: &[&str] = &[
    "university",
    "bank",
    "institute",
    "college",
    "school",
    "academy",
    "conservatory",
    "seminary",
    "department",
    "ministry",
    "office",
    "bureau",
    "agency",
    "authority",
    "commission",
    "council",
    "government",
    "museum",
    "library",
    "hospital",
    "society",
    "association",
    "federation",
    "foundation",
    "chamber",
    "church",
];

/// Function words and pronouns: they end an occupation phrase on the left,
/// and no organisation starts with one ("It is the brainchild of…").
pub const STOPS: &[&str] = &[
    "a", "an", "the", "as", "for", "to", "of", "is", "was", "am", "are", "my", "his", "her",
    "their", "our", "your", "i", "he", "she", "we", "they", "and", "or", "at", "in", "on", "with",
    "by", "from", "former", "new", "this", "that", "be", "been", "being", "not", "no", "very",
    "it", "its", "you", "him", "them", "these", "those", "what", "which", "who",
];

/// Names that are everyday English words (sorted).
pub const COMMON_WORD_NAMES: &[&str] = &[
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

/// Every word of the lists with what they say about it: the first-name list
/// (`word<TAB>percent` a line), the last-name list (`word<TAB>rank`), the
/// ordinary-word list (a word a line), the German and Spanish ordinary
/// words (a word a line each: [`class::GERMAN_WORD`],
/// [`class::SPANISH_WORD`]), [`WORD_CLASSES`], and the NRP words and their
/// plurals (not of those ending in -ese or -ish). A word listed twice keeps
/// its last frequency and rank and all its classes.
pub fn entries(
    first: &str,
    last: &str,
    words: &str,
    [german, spanish]: [&str; 2],
) -> HashMap<String, Lex> {
    let mut lexicon: HashMap<String, Lex> = HashMap::new();
    for l in first.lines() {
        if let Some((n, f)) = l.split_once('\t') {
            lexicon.entry(n.to_string()).or_default().first =
                f.parse::<f32>().unwrap_or(0.0).max(0.0);
        }
    }
    for l in last.lines() {
        if let Some((n, r)) = l.split_once('\t') {
            lexicon.entry(n.to_string()).or_default().last =
                r.parse::<u32>().unwrap_or(u32::MAX).max(1);
        }
    }
    let mut mark = |word: &str, flag: u32| {
        lexicon.entry(word.to_string()).or_default().flags |= flag;
    };
    for w in words.lines() {
        mark(w, class::WORD);
    }
    for w in german.lines() {
        mark(w, class::GERMAN_WORD);
    }
    for w in spanish.lines() {
        mark(w, class::SPANISH_WORD);
    }
    for (list, flag) in WORD_CLASSES {
        for w in *list {
            mark(w, *flag);
        }
    }
    for w in WEEKDAYS {
        mark(w, class::WEEKDAY);
        mark(&format!("{w}s"), class::WEEKDAY);
    }
    for w in nrp_words() {
        mark(w, class::NRP);
        if !w.ends_with("ese") && !w.ends_with("ish") {
            mark(&format!("{w}s"), class::NRP_PLURAL);
        }
    }
    lexicon
}

/// Bytes of a record: the word's length, then its [`Lex`] (first-name
/// share as `f32` bits, last-name rank, class bits, each a little-endian
/// `u32`).
pub const RECORD: usize = 13;

/// `lexicon` as [`records`] reads it: its words, joined into one text, and
/// one [`RECORD`] per word, in the same order — sorted by `order` (then by
/// the word, so every build writes the same bytes). The text is embedded
/// with `include_str!`, which checks it is UTF-8 once, at compile time:
/// start-up validates no word. Fails, naming the word, if a word is longer
/// than 255 bytes.
pub fn write_records(
    lexicon: &HashMap<String, Lex>,
    order: impl Fn(&str) -> u64,
) -> Result<(String, Vec<u8>), String> {
    let mut words: Vec<(u64, &String, &Lex)> =
        lexicon.iter().map(|(w, l)| (order(w), w, l)).collect();
    words.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut text = String::new();
    let mut out = Vec::new();
    for (_, w, lex) in words {
        text.push_str(w);
        out.push(u8::try_from(w.len()).map_err(|_| format!("word too long: {w}"))?);
        out.extend_from_slice(&lex.first.to_bits().to_le_bytes());
        out.extend_from_slice(&lex.last.to_le_bytes());
        out.extend_from_slice(&lex.flags.to_le_bytes());
    }
    Ok((text, out))
}

/// The longest word [`packed`] packs.
pub const SHORT: usize = 7;

/// A word of at most [`SHORT`] bytes as one integer: its bytes, then its
/// length in the top byte (so no two words share a key); `None` for longer
/// words.
pub fn packed(word: &str) -> Option<u64> {
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

/// The words and entries [`write_records`] wrote (`text`, `records`), in
/// their order; reading stops at the first record that is cut short or
/// whose word does not end on a character boundary of `text` (none, in
/// what `write_records` writes).
pub fn records<'a>(text: &'a str, records: &'a [u8]) -> impl Iterator<Item = (&'a str, Lex)> {
    let mut at = 0;
    records.chunks_exact(RECORD).map_while(move |r| {
        let end = at + usize::from(r[0]);
        let word = text.get(at..end)?;
        at = end;
        let u32_at = |i: usize| u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]);
        let lex = Lex {
            first: f32::from_bits(u32_at(1)),
            last: u32_at(5),
            flags: u32_at(9),
        };
        Some((word, lex))
    })
}

#[cfg(test)]
mod tests {
    use super::{GREETINGS, MONTHS, WEEKDAYS, is_short_month_or_weekday};

    /// The function words that tell another language are no English words
    /// (but for the German articles, listed on purpose), and the English
    /// ones are English words; no list repeats a word.
    #[test]
    fn function_words_tell_their_language() {
        use super::{ENGLISH_FUNCTION_WORDS, FOREIGN_FUNCTION_WORDS, GERMAN_FUNCTION_WORDS, class};
        let g = crate::gazetteer::Gazetteer::get();
        let articles = ["der", "die", "das", "den"];
        for w in GERMAN_FUNCTION_WORDS.iter().chain(FOREIGN_FUNCTION_WORDS) {
            if !articles.contains(w) {
                assert!(!g.lex(w).is(class::WORD | class::PARTICLE), "{w}");
            }
        }
        for w in ENGLISH_FUNCTION_WORDS {
            assert!(g.lex(w).is(class::WORD) || *w == "i", "{w}");
            assert!(!g.lex(w).is(class::FOREIGN_WORD), "{w}");
        }
        for list in [GERMAN_FUNCTION_WORDS, ENGLISH_FUNCTION_WORDS] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len());
        }
    }

    /// In text of another language, its ordinary words are ordinary words
    /// and its function words stop words, but a common first name
    /// capitalised inside a sentence stays a name; a particle opening a
    /// sentence is an article.
    #[test]
    fn entries_as_text_of_another_language_reads_them() {
        use super::class;
        let g = crate::gazetteer::Gazetteer::get();
        assert!(g.lex("hilfe").in_foreign_text(true, false).is(class::WORD));
        assert!(!g.lex("hilfe").is(class::WORD));
        assert!(g.lex("sie").in_foreign_text(true, false).is(class::STOP));
        let ella = g.lex("ella");
        assert!(!ella.in_foreign_text(true, false).is(class::STOP));
        assert!(ella.in_foreign_text(false, true).is(class::STOP));
        assert!(ella.in_foreign_text(false, false).is(class::STOP));
        assert!(g.lex("le").in_foreign_text(false, true).is(class::STOP));
        assert!(!g.lex("le").in_foreign_text(false, false).is(class::STOP));
        // A word no list holds: an ordinary word in lower case only.
        let unknown = g.lex("qzxv");
        assert!(unknown.in_foreign_text(false, false).is(class::WORD));
        assert!(!unknown.in_foreign_text(true, false).is(class::WORD));
        assert!(!unknown.in_foreign_text(false, true).is(class::WORD));
        // The name lists still speak: "Weber" stays a surname.
        assert!(g.lex("weber").last().is_some());
        assert!(!g.lex("weber").is(class::FOREIGN_WORD));
    }

    #[test]
    fn every_greeting_is_a_stop_word() {
        let g = crate::gazetteer::Gazetteer::get();
        for w in GREETINGS {
            assert!(g.lex(w).is(crate::lexicon::class::STOP), "{w}");
        }
    }

    #[test]
    fn short_months_and_weekdays_are_the_lists_first_three_letters() {
        let short: Vec<&str> = MONTHS.iter().chain(WEEKDAYS).map(|w| &w[..3]).collect();
        for a in b'a'..=b'z' {
            for b in b'a'..=b'z' {
                for c in b'a'..=b'z' {
                    let w = [a, b, c];
                    let listed = short.contains(&std::str::from_utf8(&w).unwrap());
                    assert_eq!(is_short_month_or_weekday(&w), listed, "{w:?}");
                    let upper = [a.to_ascii_uppercase(), b, c.to_ascii_uppercase()];
                    assert_eq!(is_short_month_or_weekday(&upper), listed, "{upper:?}");
                }
            }
        }
        assert!(!is_short_month_or_weekday(b"Ja1"));
        assert!(!is_short_month_or_weekday(b"June"));
    }
}
