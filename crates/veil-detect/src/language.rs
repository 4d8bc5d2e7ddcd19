//! Which language a text is written in, as its words vote
//! ([`LanguageVotes`]): the name pass reads text of another language than
//! English as that language (its ordinary and function words are no names;
//! in German, every noun is capitalised), see `names::NameRecognizer`.

use crate::lexicon::class;
use crate::names::Token;

/// The language a text is written in, as its words vote. A function word
/// weighs three votes, an ordinary word one: English's
/// ([`class::ENGLISH_FUNCTION`], [`class::WORD`]) against German's
/// ([`class::GERMAN_FUNCTION`], [`class::GERMAN_WORD`]) and the other
/// languages' ([`class::FOREIGN_FUNCTION`], [`class::SPANISH_WORD`], the
/// Romance articles, any word no list holds spelt with diacritics). Words
/// in lower case vote; a capitalised one only when it is a function word
/// opening a sentence and no common first name ("Ich …", not "Ella H.
/// Snider"); a function word in capitals is an abbreviation ("NI").
#[derive(Debug, Default)]
pub(crate) struct LanguageVotes {
    english: u32,
    german: u32,
    other: u32,
    /// Whether another language's function word voted.
    function_words: bool,
    /// Whether one that is no article did ("les", "nel", "não"; not "de",
    /// "la", which addresses abroad hold: "29 Rue de Tanger").
    sentence_words: bool,
}

impl LanguageVotes {
    /// Count the vote of `t`, a word of `text`; none for a part of an
    /// address, a path or a file name ("rhyta.com", "/usr/lib").
    #[inline]
    pub(crate) fn count(&mut self, text: &str, t: &Token<'_>) {
        /// The classes of lower-case words that vote for another
        /// language than English.
        const FOREIGN: u32 = class::PARTICLE | class::GERMAN_WORD | class::SPANISH_WORD;
        let lex = t.lex;
        if t.cap
            && (!t.sent_start
                || lex
                    .first()
                    .is_some_and(|f| f >= crate::lexicon::COMMON_FIRST_NAME))
        {
            return;
        }
        // An abbreviation is no function word: "NI" (a region's code) is
        // no "ni" (a word of two capitals is not `cap`).
        if lex.is(class::GERMAN_FUNCTION | class::FOREIGN_FUNCTION)
            && t.text.len() > 1
            && !t.text.chars().any(char::is_lowercase)
        {
            return;
        }
        if lex.is(class::ENGLISH_FUNCTION) {
            // Not inside a command's option ("--files-with-matches"); "i"
            // in lower case is Italian's article as often as a sloppy "I".
            if !Self::glued(text, t) {
                self.english += if t.text == "i" { 1 } else { 3 };
            }
            return;
        }
        if lex.is(class::GERMAN_FUNCTION) {
            self.german_vote(text, t, 3);
            self.sentence_words |= !Self::glued(text, t);
            return;
        }
        if lex.is(class::FOREIGN_FUNCTION) {
            self.foreign_vote(text, t, 3, true);
            self.sentence_words |= !Self::glued(text, t);
            return;
        }
        // Past the function words, only words in lower case vote.
        if t.cap {
            return;
        }
        if !lex.is(FOREIGN) {
            // Most words of English text end here.
            if lex.is(class::WORD) {
                if !Self::glued(text, t) {
                    self.english += 1;
                }
            } else if !t.lower.is_ascii() && lex.is_unlisted() {
                // "données", "saída": a word with diacritics that no list
                // holds is another language's.
                self.foreign_vote(text, t, 1, false);
            }
            return;
        }
        if lex.is(class::PARTICLE) && ROMANCE_ARTICLES.contains(&t.text) {
            // "el", "la", "de": articles and prepositions, and surname
            // particles ("Juan de la Cruz"), which weigh less.
            self.foreign_vote(text, t, 2, true);
        } else if lex.is(class::GERMAN_WORD) {
            self.german_vote(text, t, 1);
        } else if lex.is(class::SPANISH_WORD) {
            self.foreign_vote(text, t, 1, false);
        } else if lex.is(class::WORD) && !Self::glued(text, t) {
            self.english += 1;
        }
    }

    /// Whether `t` is a part of an address, a path or a file name
    /// ("rhyta.com", "/usr/lib"), which votes for no language.
    fn glued(text: &str, t: &Token<'_>) -> bool {
        text.as_bytes()[..t.start]
            .last()
            .is_some_and(|b| matches!(b, b'.' | b'@' | b'/' | b'\\' | b'_' | b'-'))
    }

    /// `weight` votes for German, of a function word or an ordinary word.
    fn german_vote(&mut self, text: &str, t: &Token<'_>, weight: u32) {
        if !Self::glued(text, t) {
            self.german += weight;
            self.function_words |= weight > 1;
        }
    }

    /// `weight` votes for another language than English or German, of a
    /// `function` word or not.
    fn foreign_vote(&mut self, text: &str, t: &Token<'_>, weight: u32, function: bool) {
        if !Self::glued(text, t) {
            self.other += weight;
            self.function_words |= function;
        }
    }

    /// Whether another language's function word that is no article voted
    /// ("nel", "les"; not "de" of "Rue de Tanger"): only then does the name
    /// pass look the text's words up in the list of French, Italian,
    /// Portuguese and Dutch words (`gazetteer::more_foreign_word`), which
    /// holds words that are names as well ("mazzi", "tzigane").
    pub(crate) fn another_languages_sentence(&self) -> bool {
        self.sentence_words
    }

    /// Whether `more` more votes for another language could make the text
    /// another language's ([`LanguageVotes::foreign`]): when not, looking
    /// words up for them is wasted (a long English document holds a few
    /// function words of other languages and many more English words).
    pub(crate) fn could_turn_foreign(&self, more: u32) -> bool {
        self.function_words && self.german + self.other + more > self.english
    }

    /// Count the vote of `t`, found in the list of French, Italian,
    /// Portuguese and Dutch words after [`LanguageVotes::count`] counted
    /// it: one for another language, for a word in lower case that did not
    /// vote for one already (a word with diacritics no list holds did:
    /// "données").
    pub(crate) fn count_more_foreign_word(&mut self, text: &str, t: &Token<'_>) {
        if t.cap || (!t.lower.is_ascii() && t.lex.is_unlisted()) {
            return;
        }
        self.foreign_vote(text, t, 1, false);
    }

    /// Whether the text is written in another language than English: a
    /// function word of one among its votes ("kvaløyvågvegen 140, suite
    /// 763" is an address), which outvote English's.
    pub(crate) fn foreign(&self) -> bool {
        self.function_words && self.german + self.other > self.english
    }

    /// Whether the text is German: foreign, with more German votes than
    /// other languages'.
    pub(crate) fn german(&self) -> bool {
        self.foreign() && self.german > self.other
    }
}

/// The surname particles that are the commonest words of the Romance
/// languages ([`LanguageVotes`]).
const ROMANCE_ARTICLES: &[&str] = &["el", "la", "le", "de", "du", "del", "della", "da", "di"];

#[cfg(test)]
mod tests {
    use super::LanguageVotes;
    use crate::context::ascii_lowered;
    use crate::gazetteer::Gazetteer;
    use crate::names::tokenize;

    /// The votes of `text`'s words, looked up as the name pass does.
    fn votes(text: &str) -> LanguageVotes {
        let lowered = ascii_lowered(text);
        let g = Gazetteer::get();
        let mut v = LanguageVotes::default();
        for mut t in tokenize(text, &lowered) {
            t.lex = g.lex(&t.lower);
            v.count(text, &t);
        }
        v
    }

    #[test]
    fn the_words_of_a_text_tell_its_language() {
        for (text, foreign, german) in [
            ("Ich brauche Hilfe mit meiner Bestellung.", true, true),
            ("Die Lieferung ist nicht angekommen.", true, true),
            ("Bonjour, je voudrais annuler ma commande.", true, false),
            (
                "Hola, necesito ayuda con mi pedido para una devolución.",
                true,
                false,
            ),
            ("Ik heb mijn bestelling niet ontvangen.", true, false),
            (
                "Thanks to Marco Rossi for the patch, muchas gracias!",
                false,
                false,
            ),
            (
                "I need help with my order, it has not arrived.",
                false,
                false,
            ),
            // Words of an address abroad, but no function word of its language.
            (
                "joshua gavrilov 49 reykjarhóli 70 suite 770 fljót",
                false,
                false,
            ),
            // "com", Portuguese "with", in an e-mail address: no vote.
            (
                "leone mazzi, e-mail: leone@rhyta.com, phone 0393",
                false,
                false,
            ),
            // A common first name opening a sentence does not vote.
            ("Ella Snider called us.", false, false),
            // Nor does a function word in capitals ("NI": a region's code).
            ("Zizi Kónya\n, NI\n Cyprus (Greek) 78891", false, false),
            ("", false, false),
        ] {
            let v = votes(text);
            assert_eq!(
                (v.foreign(), v.german()),
                (foreign, german),
                "{text}: {v:?}"
            );
        }
    }
}
