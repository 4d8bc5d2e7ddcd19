//! Street addresses, as LOCATION: house number + street name + street type
//! (English and common European forms), unit designators (Apt., Suite),
//! military addresses (PSC … Box …, APO/FPO), and "City, ST 12345" tails.

use crate::pattern::{Rewrite, ascii_pattern, compile, compile_searcher, rewrite_escapes};
use crate::pattern_set::{Ends, MAX_PATTERNS, NO_BOUND, PatternSet, search_end};
use crate::per_thread::{LocalRegex as Regex, PerThread};
use crate::{Candidate, Error};
use regex_automata::{Input, meta};
use veil_core::EntityType;

/// Street types: the common abbreviations and long forms.
const STREET_TYPES: &str = "Street|St|Str|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Crescent|Cres|Close|Row|Trail|Trl|Alley|Plaza|Mews|Gardens|Grove|Hill|Park|Walk|Rise|Green|Loop|Pike|Heights|Crossing|Point|Ridge|Run|View|Vista|Path|Port|Glen|Knoll|Landing|Manor|Meadow|Meadows|Mill|Mills|Orchard|Pass|Spring|Springs|Station|Summit|Valley|Village|Wells|Junction|Expressway|Freeway|Turnpike|Causeway|Estate|Estates|Fields|Gate|Harbor|Harbour|Island|Lake|Lakes";
/// The other suffixes of USPS Publication 28 (appendix C1), plurals
/// included: read only after a house number ("42366 Miller Mission"),
/// not before one, where "Summer Camp 2019" or "Room Key 12" would be
/// streets.
const MORE_STREET_TYPES: &str = "Annex|Arcade|Bayou|Beach|Bend|Bluff|Bluffs|Bottom|Branch|Bridge|Bridges|Brook|Brooks|Burg|Burgs|Bypass|Camp|Canyon|Cape|Center|Centers|Circles|Cliff|Cliffs|Club|Common|Commons|Corner|Corners|Course|Courts|Cove|Coves|Creek|Crest|Crossroad|Crossroads|Curve|Dale|Dam|Divide|Drives|Extension|Extensions|Fall|Falls|Ferry|Field|Flat|Flats|Ford|Fords|Forest|Forge|Forges|Fork|Forks|Fort|Garden|Gateway|Glens|Greens|Groves|Harbors|Haven|Hills|Hollow|Inlet|Islands|Isle|Junctions|Key|Keys|Knolls|Land|Light|Lights|Loaf|Lock|Locks|Lodge|Mall|Manors|Mission|Motorway|Mount|Mountain|Mountains|Neck|Oval|Overpass|Parks|Parkways|Passage|Pine|Pines|Plain|Plains|Points|Ports|Prairie|Radial|Ramp|Ranch|Rapid|Rapids|Rest|Ridges|River|Roads|Route|Rue|Shoal|Shoals|Shore|Shores|Skyway|Spur|Spurs|Squares|Stravenue|Stream|Streets|Throughway|Trace|Track|Trafficway|Trailer|Tunnel|Underpass|Union|Unions|Valleys|Via|Viaduct|Views|Villages|Ville|Walks|Wall|Ways|Well";
const EURO_SUFFIX: &str = "strasse|straße|str\\.|gasse|weg|platz|allee|ring|damm|ufer|gatan|vägen|väg|gränd|torget|katu|tie|kuja|polku|vej|gade|straat|laan|plein|gracht|ulica|utca|cesta|ul\\.|veien|gata|sokak|caddesi|plads|vegen|stien|stræti|vei";
/// What stands between the lines of an address block: a line break or a
/// block separator (`>`, `???`, `•`, `|`), with the spaces around them.
const BLOCK_BREAK: &str = r"[ \t]*\n?[ \t]*(?:>|\?\?\?|•|\|)[ \t]*|[ \t]*\n[ \t\n]*";
const UNIT: &str = r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|Bldg|Building|#)\.?\s*#?\d{1,5}[A-Za-z]?";
/// [`UNIT`] named by a word ("Apt 5", "Suite #12"), not a bare "#5".
const UNIT_WORD: &str =
    r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|Bldg|Building)\.?\s*#?\d{1,5}[A-Za-z]?";

/// The name the street-address recognizer reports its findings under.
pub const RECOGNIZER: &str = "street_address";

/// A rule: its searcher (a meta regex, which a search can stop short of
/// the haystack's end while reading the bytes after it for look-ahead)
/// and the score of its matches.
type Rule = (PerThread<meta::Regex>, f32);

/// The street-address recognizer.
pub struct AddressRecognizer {
    name: &'static str,
    rules: Vec<Rule>,
    /// The rules after [`CORNER_RULE`] in one set (index `i` is rule
    /// `CORNER_RULE + 1 + i`): a window is searched once by it, then only
    /// by the rules it says match there.
    rule_set: PatternSet,
    /// The next part of an address block: a unit, a town, a region, a postcode,
    /// after a comma, a newline or a space.
    continuation: Regex,
    /// The same for text written without capitals: the parts after a line
    /// break or a block separator only (`??? suite 834 ??? montzen`), in
    /// lower case.
    continuation_lower: Regex,
    /// A romance street in text without capitals ("rue de genville 178"),
    /// looked for in such text only ("via email 24" in ordinary text is no
    /// street), outside the rule set.
    romance_lower: Rule,
    /// "Bygget 91 street": looked for, outside the rule set, in windows that
    /// hold " street" or " St." only.
    name_number_street: Rule,
}

/// Index of the "the corner of A and B" rule in the rule list.
const CORNER_RULE: usize = 0;

/// Address parts that may follow a street line.
const MAX_CONTINUATIONS: usize = 6;

impl AddressRecognizer {
    /// Build the recognizer.
    pub fn new() -> Result<Self, Error> {
        let tail = r"(?:,?[ \t]*\n?[ \t]*[A-Z][A-Za-z .'-]{1,30},?[ \t]*\n?[ \t]*(?:[A-Z]{2}|[A-Z][a-z]+)[ \t]+\d{5}(?:-\d{4})?)?";
        let us = format!(
            r"\b(?:\d{{1,6}}[ \t]+)?\d{{1,6}}[A-Za-z]?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:\d{{1,3}}(?:st|nd|rd|th)[ \t]+|[A-Z][\p{{L}}'.-]*[ \t]+){{1,4}}(?:{STREET_TYPES}|{MORE_STREET_TYPES})\b\.?(?:,?[ \t]*\n?[ \t]*{UNIT})?{tail}"
        );
        let euro_num_first = format!(
            r"\b\d{{1,6}}[ \t]+\p{{Lu}}[\p{{L}}'-]*(?:{EURO_SUFFIX})[ \t]+\d{{1,5}}[A-Za-z]?(?:,?[ \t]*{UNIT})?"
        );
        let euro_lower = format!(
            r"\b\d{{1,6}}[ \t]+\p{{Ll}}[\p{{L}}'-]{{2,}}(?:{EURO_SUFFIX})[ \t]+\d{{1,5}}[a-z]?\b"
        );
        let euro = format!(
            r"(?:^|[\s,(])(\p{{Lu}}[\p{{L}}'-]*(?:{EURO_SUFFIX})[ \t]+\d{{1,5}}[A-Za-z]?(?:,?[ \t]*{UNIT})?)"
        );
        let euro_spaced = format!(
            r"(?:^|[\s,(])(\p{{Lu}}[\p{{L}}'-]+[ \t]+(?i:{STREET_TYPES}|Rue|Via|Calle|Avenida|Rua|Viale|Piazza|Plaza|Carrer|Strasse|Straße|Gasse|Weg|Platz|Allee|Straat|Laan|Gracht|Plein|Vej|Gade|Gata|Gatan|Vägen|Veien)\b[ \t]+\d{{1,5}}[A-Za-z]?)"
        );
        // The street type in lower case only after a house number ("33
        // avenue de Provence", "119, chemin Françoise Rey"; not "took place
        // Monday").
        let romance = r"(?:^|[\s,(])((?:(?:\d{1,5},?[ \t]+){0,2}(?:Rue|Via|Viale|Piazza|Calle|Avenida|Av\.|Rua|Carrer|Corso|Boulevard|Chemin|Place|Allée|Plaza|Paseo|Avenue|Cours|Quai|Impasse|Travessa|Largo|Praça|Strada|rue|ul\.|Ul\.|C/)|(?:\d{1,5},?[ \t]+){1,2}(?:avenue|boulevard|chemin|place|allée|impasse|quai|cours|via|viale|calle|avenida|rua|corso|piazza|strada|largo|travessa|praça|paseo|carrer))[ \t]+(?:(?:de|del|della|di|da|do|dos|la|le|les|du|des)[ \t]+)*\p{Lu}[\p{L}'-]*(?:[ \t]+(?:(?:de|da|do|dos|das|di|del)[ \t]+)?\p{Lu}[\p{L}'-]*){0,3}(?:,?[ \t]+\d{1,5}[A-Za-z]?)?)";
        // Italian and Spanish street types that are also ordinary words or
        // names ("Borgo", "Ronda", "Camino"): only with the house number
        // after the name ("Borgo Bocca, 66", "Callejón de Carmen Guillén 97").
        let romance_numbered = r"(?:^|[\s,(])((?:Borgo|Canale|Contrada|Incrocio|Rotonda|Stretto|Vicolo|Piazzale|Lungomare|Callejón|Alameda|Cuesta|Camino|Pasaje|Ronda|Cañada|Glorieta|Travesía|Rambla|Urbanización|Carretera|Pasadizo|Acceso|Vial)[ \t]+(?:(?:de|del|della|di|da|do|dos|la|le|las|los|du|des)[ \t]+)*\p{Lu}[\p{L}'-]*(?:[ \t]+\p{Lu}[\p{L}'-]*){0,3},?[ \t]+\d{1,5}[A-Za-z]?)\b";
        // "Bygget 91 street", "Hedemannstasse 15 St.": a street's name and
        // number, then the word street.
        let name_number_street = r"(?:^|[\s,(])(\p{Lu}[\p{L}'-]*(?:[ \t]+\p{L}[\p{L}'-]*){0,2}[ \t]+\d{1,5}[A-Za-z]?\.?[ \t]+(?:street|St\.))";
        // Text without capitals: "rue de genville 178", "via raffaele
        // conforti 74", and "97 guildry street" (a number, one to three
        // words, a street type written in full).
        let romance_lower = r"(?:^|[\s,(])((?:rue|via|viale|calle|avenida|rua|rúa|ul\.|al\.|cours|corso|piazza)[ \t]+(?:(?:de|del|della|di|da|do|dos|la|le|les|du|des)[ \t]+)*\p{Ll}[\p{L}'-]*(?:[ \t]+\p{Ll}[\p{L}'-]*){0,3}[ \t]+\d{1,5}[a-z]?|\d{1,6}[ \t]+\p{Ll}[\p{L}'-]*(?:[ \t]+\p{Ll}[\p{L}'-]*){0,2}[ \t]+(?:street|road|avenue|lane|drive|boulevard))\b";
        // A unit alone: named by its word ("Suite 464"); a bare "#5" glued to
        // a word is an issue, a fragment or a standard ("node#1389",
        // "PKCS#1", "CHANGELOG.md#0"), and after a street it is read as a
        // part of the address (`continuation`).
        let unit = format!(r"\b({UNIT_WORD})\b");
        let military = r"(?i)\b(?:(?:PSC|Unit|CMR)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{3,5}(?:[ \t]*\n?[ \t]*(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5})?|(?:USNS|USNV|USS|USCGC)[ \t]+\p{Lu}\p{Ll}+(?:[ \t]*\n?[ \t]*FPO[ \t]+(?:AA|AE|AP)[ \t]+\d{5})?|(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5})\b";
        let state_zip = r",[ \t]*([A-Z]{2}[ \t]+\d{5}(?:-\d{4})?)\b";
        let po_box = r"(?i)\b(P\.?[ \t]?O\.?[ \t]+Box[ \t]+\d{1,6})\b";
        let num_words_num = r"\b(?:\d{1,6}[ \t]+)?\d{1,6}[ \t]+\p{Lu}[\p{L}'.-]*(?:[ \t]+[\p{L}'.-]+){0,3}[ \t]+\d{1,5}[A-RT-Za-rt-z]?\b\.?";
        let corner = r"(?i:the corner of)[ \t]+[^\n,;!?]{3,60}?[ \t]+and[ \t]+\p{Lu}[\p{L}'.-]*(?:[ \t]+\p{Lu}[\p{L}'.-]*){0,3}(?:[ \t]+(?:St|Street|Ave|Avenue|Road|Rd)\b\.?)?";
        let specs: Vec<(String, f32)> = vec![
            (corner.to_string(), 0.75),
            (us, 0.8),
            (num_words_num.to_string(), 0.6),
            (euro_num_first, 0.75),
            (euro, 0.7),
            (euro_spaced, 0.65),
            (romance.to_string(), 0.65),
            (romance_numbered.to_string(), 0.65),
            (military.to_string(), 0.8),
            (unit, 0.6),
            (state_zip.to_string(), 0.55),
            (po_box.to_string(), 0.75),
            // Text written without capitals ("16 salontie 6 apt. 523"): a
            // European street with numbers on both sides, a flat or suite.
            (euro_lower, 0.65),
            (
                r"\b(?:apt|suite)\.?[ \t]*#?\d{1,5}[a-z]?\b".to_string(),
                0.6,
            ),
        ];
        let continuation = compile(
            RECOGNIZER,
            &latin_letters(&format!(
                r"^(?:[ \t]*,[ \t]*\n?[ \t]*|{BLOCK_BREAK}|[ \t]+)({UNIT}|\p{{Lu}}[\p{{L}}'.∆-]*(?:[ \t]+(?:\p{{Lu}}[\p{{L}}'.∆-]*|de|del|di|la|le|am|an|im|bei|upon|on|sur|u|nad|pod|na|pri|\(\p{{Lu}}\p{{L}}*\)))*(?:[ \t]+\d{{4,6}})?|\d{{4,6}}|nan)(?:[^\p{{L}}\d]|$)"
            )),
        )?;
        let continuation_lower = compile(
            RECOGNIZER,
            &latin_letters(&format!(
                r"^(?:{BLOCK_BREAK})((?i:{UNIT})|\p{{Ll}}[\p{{Ll}}'.-]*(?:[ \t]+\p{{Ll}}[\p{{Ll}}'.-]*){{0,3}}(?:[ \t]+\d{{4,6}})?|\d{{4,6}}|nan)(?:[^\p{{L}}\d]|$)"
            )),
        )?;
        let romance_lower = (
            compile_searcher(RECOGNIZER, &latin_letters(romance_lower))?,
            0.65,
        );
        let name_number_street = (
            compile_searcher(RECOGNIZER, &latin_letters(name_number_street))?,
            0.65,
        );
        let patterns: Vec<(String, f32)> = specs
            .into_iter()
            .map(|(p, s)| (latin_letters(&p), s))
            .collect();
        let rules: Vec<Rule> = patterns
            .iter()
            .map(|(p, s)| compile_searcher(RECOGNIZER, p).map(|r| (r, *s)))
            .collect::<Result<_, _>>()?;
        // The rules after the corner rule, which reads the whole text on
        // its own: its lazy `[^\n,;!?]{3,60}?` multiplied the set's states.
        let ascii: Vec<String> = patterns[CORNER_RULE + 1..]
            .iter()
            .map(|(p, _)| ascii_pattern(p))
            .collect();
        let rule_set = PatternSet::new(RECOGNIZER, ascii.iter().map(String::as_str))?;
        Ok(AddressRecognizer {
            name: RECOGNIZER,
            rules,
            rule_set,
            continuation,
            continuation_lower,
            romance_lower,
            name_number_street,
        })
    }

    /// The address `start..end` grown through the block parts that follow
    /// it, as byte ranges: a part after a comma or spaces grows the range
    /// it follows; a part after a line break or a block separator (`>`,
    /// `???`, `•`, `|`) starts a range of its own, so an address block
    /// keeps its layout and separators when redacted.
    fn extend(&self, text: &str, start: usize, end: usize, lower: bool) -> Vec<(usize, usize)> {
        let re = if lower {
            &self.continuation_lower
        } else {
            &self.continuation
        };
        let mut ranges = vec![(start, end)];
        for _ in 0..MAX_CONTINUATIONS {
            let at = ranges[ranges.len() - 1].1;
            let hay = &text[at..];
            let Some(part_end) = Self::part_end(re, hay) else {
                break;
            };
            let sep = hay[..part_end]
                .find(|c: char| {
                    !matches!(c, ' ' | '\t' | '\r' | '\n' | ',' | '>' | '?' | '•' | '|')
                })
                .unwrap_or(part_end);
            if hay[..sep].contains(['\n', '>', '?', '•', '|']) {
                // A line of its own in an address block (a town, a
                // region) goes on with no lower-case word after a space:
                // "I live here." after a street is prose ("ASKER nan 1386",
                // a table's empty cell, and a part with its postcode stay).
                let after = &hay[part_end..];
                let rest = after.trim_start_matches([' ', '\t']);
                if !lower
                    && rest.len() < after.len()
                    && rest.starts_with(char::is_lowercase)
                    && !rest.starts_with("nan")
                    && !hay[sep..part_end].bytes().any(|b| b.is_ascii_digit())
                {
                    break;
                }
                ranges.push((at + sep, at + part_end));
            } else if let Some(last) = ranges.last_mut() {
                last.1 = at + part_end;
            }
        }
        ranges
    }

    /// Where the block part that `hay` opens with ends (the end of the
    /// continuation `re`'s group 1), if it opens with one. The pattern ends with
    /// one character that is no letter or digit, or the end of `hay`; so a
    /// match ending before the end of `hay` ended with that one character,
    /// and the part ends just before it. A match reaching the end of `hay`
    /// whose last character is an ASCII letter or digit cannot have ended
    /// with the closing character: the part runs to the end. Only a match
    /// reaching the end with another last character may have used either
    /// ending: there (once per text at most) the capture engine decides. The
    /// lazy DFA's match alone answers the rest (tested against the captures).
    fn part_end(re: &Regex, hay: &str) -> Option<usize> {
        let m = re.find(hay)?;
        let last = hay[..m.end()].chars().next_back()?;
        if m.end() < hay.len() {
            return Some(m.end() - last.len_utf8());
        }
        if last.is_ascii_alphanumeric() {
            return Some(m.end());
        }
        Some(re.captures(hay)?.get(1)?.end())
    }

    /// Append street-address candidates in `text` to `out`; overlapping or
    /// touching parts of one address are merged into one candidate.
    pub fn analyze(&self, text: &str, out: &mut Vec<Candidate>) {
        self.analyze_windows(text, &[(0, text.len())], out);
    }

    /// [`AddressRecognizer::analyze`] restricted to `windows` (see [`AddressRecognizer::parts_in`]).
    pub fn analyze_windows(
        &self,
        text: &str,
        windows: &[(usize, usize)],
        out: &mut Vec<Candidate>,
    ) {
        let mut parts = Vec::new();
        // Text without capitals continues its address blocks in lower case
        // (looked at once, when a block first grows).
        let lower = std::cell::OnceCell::new();
        self.parts_in(text, windows, &lower, &mut parts);
        parts.sort_by_key(|c| (c.start, c.end));
        let mut merged: Vec<Candidate> = Vec::new();
        for c in parts {
            if let Some(last) = merged.last_mut()
                && c.start <= last.end
            {
                last.end = last.end.max(c.end);
                last.score = last.score.max(c.score);
                continue;
            }
            merged.push(c);
        }
        let mut prev_end = 0;
        for c in &mut merged {
            c.start = house_number_before(text, c.start)
                .max(prev_end)
                .min(c.start);
            prev_end = c.end;
        }
        out.extend(merged);
    }

    /// Address parts inside `windows` (byte ranges of `text` cut at
    /// whitespace, e.g. [`crate::pattern::digit_windows`]); the "corner of"
    /// rule, which need not hold a digit, reads the whole text.
    fn parts_in(
        &self,
        text: &str,
        windows: &[(usize, usize)],
        lower: &std::cell::OnceCell<bool>,
        out: &mut Vec<Candidate>,
    ) {
        if text.contains("orner of") {
            self.rule_in(
                text,
                &self.rules[CORNER_RULE],
                (0, text.len()),
                text.len(),
                lower,
                any_part,
                out,
            );
        }
        let mut ends: Ends = [NO_BOUND; MAX_PATTERNS];
        for &w in windows {
            let hay = &text[w.0..w.1];
            // Each rule the set finds is searched up to the end of its
            // last match there, which the set's walk saw.
            for i in self.rule_set.matches_ending(hay, &mut ends).iter() {
                let rule = &self.rules[CORNER_RULE + 1 + i];
                let until = w.0 + search_end(&ends, i, hay.len());
                self.rule_in(text, rule, w, until, lower, any_part, out);
            }
            if hay.contains(" street") || hay.contains(" St.") {
                let from = out.len();
                self.rule_in(text, &self.name_number_street, w, w.1, lower, any_part, out);
                // The word street is the rule's anchor, not part of the street's name.
                for c in &mut out[from..] {
                    let part = &text[c.start..c.end];
                    if let Some(name) = part
                        .strip_suffix("street")
                        .or_else(|| part.strip_suffix("St."))
                    {
                        c.end = c.start + name.trim_end_matches([' ', '\t']).len();
                    }
                }
            }
            if *lower.get_or_init(|| !text.chars().any(char::is_uppercase)) {
                self.rule_in(
                    text,
                    &self.romance_lower,
                    w,
                    w.1,
                    lower,
                    names_a_street,
                    out,
                );
            }
        }
    }

    /// The matches of the rule `re` (reported with `score`) inside `window`
    /// of `text` that `accept` takes, grown over the block parts that
    /// follow them. Every match of the rule in the window ends at `until`
    /// or before: the search stops there (reading the bytes after it for
    /// look-ahead), so it finds the matches a search of the whole window
    /// finds.
    #[allow(clippy::too_many_arguments)]
    fn rule_in(
        &self,
        text: &str,
        (re, score): &Rule,
        (lo, hi): (usize, usize),
        until: usize,
        lower: &std::cell::OnceCell<bool>,
        accept: fn(&str) -> bool,
        out: &mut Vec<Candidate>,
    ) {
        let window = &text[lo..hi];
        let input = Input::new(window).range(..until.clamp(lo, hi) - lo);
        for m in re.find_iter(input) {
            // The reported part: without the separator some rules match
            // before it (see `reported_part`); no capture engine needed.
            let part = reported_part(&window[m.range()]);
            if !accept(part) || a_date(part) || cut_from_a_number(window, m.end()) {
                continue;
            }
            let start = lo + m.end() - part.len();
            let end = start + part.trim_end_matches([',', ' ', '\n', '\t']).len();
            if end <= start || copyright_year(text, start) {
                continue;
            }
            let ranges = if *score >= 0.6 {
                let lower = *lower.get_or_init(|| !text.chars().any(char::is_uppercase));
                self.extend(text, start, end, lower)
            } else {
                vec![(start, end)]
            };
            for (start, end) in ranges {
                out.push(Candidate {
                    entity: EntityType::LOCATION,
                    start,
                    end,
                    score: *score,
                    recognizer: self.name,
                });
            }
        }
    }
}

/// Whether the address part at `start` opens with a year of a copyright
/// notice ("Copyright:\n 2009 Neil Groves", "(C) 2022 Anthony Green"): a
/// number from 1970 to 2039 with "copyright", "(c)" or "©" in the 300
/// bytes before it.
pub(crate) fn copyright_year(text: &str, start: usize) -> bool {
    let b = &text.as_bytes()[start..];
    let year = b.len() > 4
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(b[4], b' ' | b'\t')
        && (b"1970".as_slice()..=b"2039".as_slice()).contains(&&b[..4]);
    if !year {
        return false;
    }
    let before =
        &text.as_bytes()[crate::context::floor_char(text, start.saturating_sub(300))..start];
    before
        .windows(9)
        .any(|w| w.eq_ignore_ascii_case(b"copyright"))
        || before.windows(3).any(|w| w.eq_ignore_ascii_case(b"(c)"))
        || before.windows(2).any(|w| w == "©".as_bytes())
}

/// Whether `part` is a day, a month's name and a year ("1 April 1989",
/// "29 June 2007", "3 Nov. 2008"): a date, not a house number, a street
/// and a flat.
fn a_date(part: &str) -> bool {
    // "31 September 2019." is the longest.
    if part.len() > 20 || !part.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut words = part.split_whitespace();
    let (Some(day), Some(month), Some(year), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return false;
    };
    let digits = |w: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&w.len()) && w.bytes().all(|c| c.is_ascii_digit())
    };
    let month = month.trim_end_matches('.');
    digits(day, 1..=2)
        && digits(year.trim_end_matches('.'), 4..=4)
        && crate::lexicon::is_month(month)
}

/// Whether the match ending at `end` of `window` ends inside a number:
/// its last number's point is followed by more digits ("48 C.F.R. 2.101",
/// a section of a code of regulations, is no house number).
fn cut_from_a_number(window: &str, end: usize) -> bool {
    let b = window.as_bytes();
    end > 0 && b[end - 1] == b'.' && b.get(end).is_some_and(u8::is_ascii_digit)
}

/// Every match is an address part.
fn any_part(_: &str) -> bool {
    true
}

/// A street in text without capitals names a street, not "3 the long
/// road": the word after its leading numbers is no article, pronoun or
/// preposition ("and" may be: "the corner of hochstrasse 63 and henriksen
/// street").
fn names_a_street(part: &str) -> bool {
    const NOT_A_NAME: &[&str] = &[
        "the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "from", "with", "my", "your",
        "his", "her", "its", "our", "their", "this", "that", "these", "those",
    ];
    let first = part
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '\t')
        .split([' ', '\t'])
        .next()
        .unwrap_or("");
    !NOT_A_NAME.contains(&first)
}

/// Where an address starting at `start` starts when the house or building
/// numbers written before it on the same line belong to it ("at 9383 ul.
/// Chrzanowska 61", "71 34 Avenue des Tuileries"): up to two numbers of one
/// to six digits, each followed by spaces or tabs and preceded by the start
/// of the text, whitespace, `>`, `:`, `(` or `,` (never across a comma, a
/// dot or a line break between the number and the address). Also how a
/// place found by name takes the number before it
/// ([`crate::analyzer::extend_places_over_numbers`]).
pub(crate) fn house_number_before(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut at = start;
    for _ in 0..2 {
        let mut i = at;
        while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        if i == at {
            break;
        }
        let digits_end = i;
        while i > 0 && b[i - 1].is_ascii_digit() {
            i -= 1;
        }
        let n = digits_end - i;
        let opens = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'>' | b':' | b'(' | b',');
        if n == 0 || n > 6 || !opens {
            break;
        }
        at = i;
    }
    at
}

/// Letters of the Latin, Greek and Cyrillic scripts (with Latin Extended
/// Additional), as the body of a character class.
const LATIN_LETTER: &str = r"A-Za-z\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{24F}\x{1E00}-\x{1EFF}\x{370}-\x{3FF}\x{400}-\x{4FF}";
/// Their capitals (Latin Extended-A and -B and Latin Extended Additional,
/// where capitals and small letters alternate, count whole).
const LATIN_UPPER: &str =
    r"A-Z\x{C0}-\x{D6}\x{D8}-\x{DE}\x{100}-\x{24F}\x{1E00}-\x{1EFF}\x{386}-\x{3AB}\x{400}-\x{42F}";
/// Their small letters (the same alternating blocks count whole).
const LATIN_LOWER: &str =
    r"a-z\x{DF}-\x{F6}\x{F8}-\x{24F}\x{1E00}-\x{1EFF}\x{3AC}-\x{3FF}\x{430}-\x{4FF}";

/// `p` with `\p{L}`, `\p{Lu}` and `\p{Ll}` narrowed to the Latin, Greek and
/// Cyrillic letters ([`LATIN_LETTER`], [`LATIN_UPPER`], [`LATIN_LOWER`]),
/// inside a character class or standing alone. Addresses in the scripts
/// the rules know need no more; the full Unicode classes make automata
/// several times larger, slow to build and to determinise lazily.
fn latin_letters(p: &str) -> String {
    rewrite_escapes(
        p,
        &[
            (r"\p{Lu}", Rewrite::Class(LATIN_UPPER)),
            (r"\p{Ll}", Rewrite::Class(LATIN_LOWER)),
            (r"\p{L}", Rewrite::Class(LATIN_LETTER)),
        ],
    )
}

/// A rule's match without the separator that opens it: the rules whose
/// address part is a capture group open with `(?:^|[\s,(])` or
/// `,[ \t]*` before a part that starts with a letter or digit, and the
/// others start with a word. So the part is the match without its leading
/// whitespace, commas and parentheses: the same span as the group, found
/// by the fast search alone.
fn reported_part(m: &str) -> &str {
    m.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '(')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The part end by the capture engine, as `extend` used to find it.
    fn part_end_by_captures(re: &Regex, hay: &str) -> Option<usize> {
        Some(re.captures(hay)?.get(1)?.end())
    }

    #[test]
    fn part_ends_agree_with_captures_on_known_blocks() {
        let a = AddressRecognizer::new().unwrap();
        for hay in [
            ", Springfield, IL 62704",
            ", Springfield.",
            ", Springfield",
            " >Suite 960 >Schuld",
            "\n> Apt. 022\n> ESPOO",
            " ??? Suite 952",
            ", nan, 1234",
            ", Saint-Étienne-du-Rouvray",
            ", Saint-Étienne-",
            ", Köln 50667.",
            " | Paris (Île-de-France)",
            "  Berlin-5",
            ", 75001",
            ", lowercase town",
        ] {
            assert_eq!(
                AddressRecognizer::part_end(&a.continuation, hay),
                part_end_by_captures(&a.continuation, hay),
                "{hay:?}"
            );
        }
    }

    proptest::proptest! {
        /// The part end from the lazy DFA's match is the capture group's end.
        #[test]
        fn part_ends_agree_with_captures(hay in "([ ,\n>|•-]|\\?\\?\\?|Apt\\.? ?[0-9]{1,3}|Suite|[A-Z][a-zé'.-]{0,6}|[0-9]{1,6}|de|nan|É|\\(|\\)|x){0,8}") {
            static A: std::sync::LazyLock<AddressRecognizer> =
                std::sync::LazyLock::new(|| AddressRecognizer::new().unwrap());
            proptest::prop_assert_eq!(
                AddressRecognizer::part_end(&A.continuation, &hay),
                part_end_by_captures(&A.continuation, &hay),
                "{:?}", hay
            );
        }

        /// The same for the lower-case continuation.
        #[test]
        fn lower_part_ends_agree_with_captures(hay in "([ ,\n>|•-]|\\?\\?\\?|apt\\.? ?[0-9]{1,3}|suite|[a-zé'.-]{1,6}|[0-9]{1,6}|nan|\\(|x){0,8}") {
            static A: std::sync::LazyLock<AddressRecognizer> =
                std::sync::LazyLock::new(|| AddressRecognizer::new().unwrap());
            proptest::prop_assert_eq!(
                AddressRecognizer::part_end(&A.continuation_lower, &hay),
                part_end_by_captures(&A.continuation_lower, &hay),
                "{:?}", hay
            );
        }
    }

    /// The parts of `text`'s windows with every rule the set finds
    /// searched to the window's end (the search before it was bounded).
    fn parts_unbounded(a: &AddressRecognizer, text: &str) -> Vec<(usize, usize, u32)> {
        let lower = std::cell::OnceCell::new();
        let mut out = Vec::new();
        let w = (0, text.len());
        for i in a.rule_set.matches(text).iter() {
            let rule = &a.rules[CORNER_RULE + 1 + i];
            a.rule_in(text, rule, w, w.1, &lower, any_part, &mut out);
        }
        out.iter()
            .map(|c| (c.start, c.end, c.score.to_bits()))
            .collect()
    }

    proptest::proptest! {
        /// A rule's search stopped at the end of its last match the set
        /// saw finds what a search of the whole window finds.
        #[test]
        fn bounded_rule_searches_find_what_whole_windows_do(
            text in "([ ,\n]|[0-9]{1,5}|Main|Street|St\\.|Rue|de|la|Paix|Hauptstraße|Apt|Suite|#|PSC|Box|APO|AA|IL|MA|Springfield|P\\.O\\.|x){0,14}"
        ) {
            static A: std::sync::LazyLock<AddressRecognizer> =
                std::sync::LazyLock::new(|| AddressRecognizer::new().unwrap());
            let lower = std::cell::OnceCell::new();
            let mut out = Vec::new();
            // The corner rule and the rules outside the set are searched
            // whole either way: only the set's rules are compared.
            let mut ends: Ends = [NO_BOUND; MAX_PATTERNS];
            for i in A.rule_set.matches_ending(&text, &mut ends).iter() {
                let until = search_end(&ends, i, text.len());
                A.rule_in(&text, &A.rules[CORNER_RULE + 1 + i], (0, text.len()), until, &lower, any_part, &mut out);
            }
            let bounded: Vec<(usize, usize, u32)> =
                out.iter().map(|c| (c.start, c.end, c.score.to_bits())).collect();
            proptest::prop_assert_eq!(bounded, parts_unbounded(&A, &text), "{:?}", text);
        }
    }

    fn found(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        AddressRecognizer::new().unwrap().analyze(text, &mut out);
        out.iter()
            .map(|c| text[c.start..c.end].to_string())
            .collect()
    }

    #[test]
    fn every_usps_street_suffix_follows_a_house_number() {
        for street in [
            "42366 Miller Mission",
            "931 Hunt Fall",
            "570 Bridges Dam",
            "58108 Delgado Tunnel",
            "162 Ortiz Crossroad",
            "3837 Browning Ports",
        ] {
            assert_eq!(found(&format!("Ship to {street} today")), vec![street]);
        }
        // Not before a number, where they name other things.
        for text in ["Summer Camp 2019 was fun", "Room Key 12 is lost"] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn a_block_keeps_its_lines_as_parts() {
        let text = "Jerome Barbosa\n??? 78 Laugarvegur 66\n??? Suite 952\n??? Reykjavík\n??? Luxembourg 95333";
        assert_eq!(
            found(text),
            vec![
                "78 Laugarvegur 66",
                "Suite 952",
                "Reykjavík",
                "Luxembourg 95333"
            ]
        );
        // A comma continues the same part.
        assert_eq!(
            found("Send it to 12 Main Street, Springfield, IL 62704 please"),
            vec!["12 Main Street, Springfield, IL 62704"]
        );
    }

    #[test]
    fn a_line_of_prose_after_a_street_is_no_part_of_it() {
        for text in [
            "Send it to 12 Main Street\nWe live here.",
            "Send it to 12 Main Street, Boston.\nI live here.",
        ] {
            assert_eq!(found(text).len(), 1, "{text}: {:?}", found(text));
        }
        // A town's line with its postcode, or a table's empty cell, stays.
        assert_eq!(
            found("12 Main Street\nTAVELSJÖ\nIsrael 74749 for this card"),
            vec!["12 Main Street", "TAVELSJÖ", "Israel 74749"]
        );
        assert_eq!(
            found("5720 Skoanveien 226\nFAUSKE nan 8200"),
            vec!["5720 Skoanveien 226", "FAUSKE nan 8200"]
        );
    }

    #[test]
    fn towns_named_with_lower_case_words_of_their_language() {
        assert_eq!(
            found("55 Školní 645\nSuite 992\nKámen u Pacova\nMyanmar 02386"),
            vec![
                "55 Školní 645",
                "Suite 992",
                "Kámen u Pacova",
                "Myanmar 02386"
            ]
        );
        assert_eq!(
            found("Lori lives at 06 Slovenčeva 51, Črni Vrh nad Idrijo"),
            vec!["06 Slovenčeva 51, Črni Vrh nad Idrijo"]
        );
    }

    #[test]
    fn addresses_written_without_capitals() {
        let has = |text: &str, part: &str| found(text).iter().any(|f| f.contains(part));
        assert!(has(
            "jared paavolainen  16 salontie 6  apt. 523  urjala",
            "salontie 6"
        ));
        assert!(has(
            "jared paavolainen  16 salontie 6  apt. 523  urjala",
            "apt. 523"
        ));
        assert!(has(
            "change my address to unit 9456 box 8731 dpo ap 71610",
            "unit 9456 box 8731"
        ));
        assert!(has("send it to p.o. box 15, uummannaq", "p.o. box 15"));
        // A lower-case block goes on over its separators, in lower case.
        let block =
            "emily pottinger ??? 12 kirkegade 7 ??? apt. 818 ??? galmisdale ??? costa rica 67775";
        assert_eq!(
            found(block),
            [
                "12 kirkegade 7",
                "apt. 818",
                "galmisdale",
                "costa rica 67775"
            ]
        );
        // Not over plain spaces: "and then" is no part of the address.
        assert_eq!(found("apt. 818 and then we went home"), ["apt. 818"]);
        assert!(found("we ran 3 miles on the ring road and 12 tests in the suite").is_empty());
        // An English street type written in full after the street's name.
        assert_eq!(
            found("he lives at 35 97 guildry street now"),
            ["35 97 guildry street"]
        );
        assert!(found("chapter 3 the long road is great").is_empty());
    }

    #[test]
    fn unicode_letter_classes_narrow_in_and_out_of_brackets() {
        assert_eq!(
            latin_letters(r"\p{Lu}[\p{L}'-]*\[\p{Ll}\]"),
            format!(r"[{LATIN_UPPER}][{LATIN_LETTER}'-]*\[[{LATIN_LOWER}]\]")
        );
        let re = compile(RECOGNIZER, &latin_letters(r"^\p{Lu}[\p{L}'-]*$")).unwrap();
        for w in [
            "Łódź",
            "Αλεξανδρούπολης",
            "Москва",
            "Grössgstötten",
            "O'Neil",
        ] {
            assert!(re.is_match(w), "{w}");
        }
        assert!(!re.is_match("ébène"));
    }

    #[test]
    fn house_numbers_before_a_street_belong_to_it() {
        let has = |text: &str, part: &str| found(text).iter().any(|f| f.starts_with(part));
        assert!(has(
            "The bus drops you off at 9383 ul. Chrzanowska 61 St.",
            "9383 ul. Chrzanowska 61"
        ));
        assert!(has(
            "his address: 71 34 Avenue des Tuileries",
            "71 34 Avenue des Tuileries"
        ));
        // Not over other punctuation or onto the line before.
        assert!(has(
            "Box 12\n34 Avenue des Tuileries",
            "34 Avenue des Tuileries"
        ));
        assert!(has(
            "Item 5. 34 Avenue des Tuileries",
            "34 Avenue des Tuileries"
        ));
    }

    #[test]
    fn streets_named_before_their_number_and_the_word_street() {
        let has = |text: &str, part: &str| found(text).iter().any(|f| f.contains(part));
        assert!(has(
            "The title refers to Bygget 91 street in ANNERSTAD.",
            "Bygget 91"
        ));
        assert!(has(
            "Pedestrians must enter on Hedemannstasse 15 St. the first months",
            "Hedemannstasse 15"
        ));
        // Romance streets in text without capitals, with their number.
        assert!(has(
            "67 rue de genville 178  suite 790  perk",
            "rue de genville 178"
        ));
        assert!(has(
            "state farm insurance ??? 46 via raffaele conforti 74 ???",
            "via raffaele conforti 74"
        ));
        // In ordinary text "via" is a preposition.
        assert!(found("Sent via email 24 times, Bob.").is_empty());
    }

    #[test]
    fn street_forms() {
        assert!(
            found("I live at 90 Whitchurch Road, near the park")
                .contains(&"90 Whitchurch Road".to_string())
        );
        assert!(
            found("Send it to Friedhofstrasse 33 please")
                .contains(&"Friedhofstrasse 33".to_string())
        );
        // The street type as a word of its own: "Villacher Strasse 89".
        for street in [
            "Villacher Strasse 89",
            "Berliner Straße 5a",
            "Lange Laan 12",
            "Nørre Gade 7",
        ] {
            assert!(
                found(&format!("The bus station is on {street}, they said"))
                    .contains(&street.to_string()),
                "{street}"
            );
        }
        assert!(
            found("PSC 3294, Box 9168\nAPO AA 61487")
                .contains(&"PSC 3294, Box 9168\nAPO AA 61487".to_string())
        );
        assert!(found("room at Suite 464 now").contains(&"Suite 464".to_string()));
        // A bare "#" number is a unit only after a street.
        assert_eq!(
            found("Ship to 123 Main Street #5 today"),
            vec!["123 Main Street #5"]
        );
        for text in [
            "fixed in nodejs/node#1389 last week",
            "the PKCS#1 padding scheme",
            "see CHANGELOG_V012.md#0.12.14 for more",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
        // A ship named with letters beyond ASCII.
        assert!(
            found("sent to USS Sörös\nFPO AE 18956")
                .contains(&"USS Sörös\nFPO AE 18956".to_string())
        );
        // "Str." as a street type.
        assert!(
            found("lives at 08 251 Charilaou Trikoupi Str. now")
                .contains(&"08 251 Charilaou Trikoupi Str.".to_string())
        );
        // Romance street types in lower case after a house number; Italian
        // and Spanish types that are also words or names, with a number.
        for street in [
            "33 avenue de Provence",
            "119, chemin Françoise Rey",
            "Borgo Bocca, 66",
            "Callejón de Carmen Guillén 97",
            "Acceso Fortunato Boix 96",
            // A name with its particles inside.
            "52 Rua Joaquim de Oliveira Cruz 1615",
        ] {
            assert_eq!(
                found(&format!("Please send it to {street} tomorrow.")),
                vec![street],
                "{street}"
            );
        }
        for text in [
            "The meeting took place Monday in the hall",
            "Ronda Rousey won the fight",
            "We walked the Camino Real last May",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }

    /// `reported_part` of each match is exactly the span the rule's capture
    /// group (or the whole match, without one) gives, for every rule.
    #[test]
    fn reported_part_is_the_capture_group() {
        let a = AddressRecognizer::new().unwrap();
        let texts = [
            "I live at 90 Whitchurch Road, near the park",
            "Send it to Friedhofstrasse 33 please, (Hauptstraße 5a) and Rue de la Paix 12",
            "PSC 3294, Box 9168\nAPO AA 61487 or USNS Comfort FPO AE 09573",
            "room at Suite 464 now,Apt. 3 and #12, Unit 7",
            "meet at the corner of Main Street and Oak Avenue",
            "Via Roma 1, 00100 Roma; Calle Mayor 23, 28013 Madrid; 12, Rue Lepic",
            "Springfield, IL 62704-1234 and P.O. Box 1234, Boston, MA 02101",
            "ship to 1600 Amphitheatre Pkwy\nMountain View, CA 94043",
            "\u{a0}Marktplatz 7 and\tKönigsallee 92a, Düsseldorf",
            "12 Long Acre Lane 45 and 3 Elm St. Apt 4B",
        ];
        for (i, (re, _)) in a.rules.iter().enumerate() {
            for t in texts {
                let by_caps: Vec<(usize, usize)> = re
                    .captures_iter(t)
                    .filter_map(|c| c.get_group(1).or_else(|| c.get_group(0)))
                    .map(|m| (m.start, m.end))
                    .collect();
                let by_find: Vec<(usize, usize)> = re
                    .find_iter(t)
                    .map(|m| {
                        let part = reported_part(&t[m.range()]);
                        (m.end() - part.len(), m.end())
                    })
                    .collect();
                assert_eq!(by_caps, by_find, "rule {i} on {t:?}");
            }
        }
    }
}
