#!/usr/bin/env python3
"""Rebuild crates/veil-detect/data/german_words.txt and spanish_words.txt:
the most frequent ordinary words of German and Spanish, which the name recognizer takes as
ordinary words in text written in another language than English (German
capitalises every noun: "Ich brauche Hilfe mit meiner Bestellung"). Run
from the repository root, after scripts/build_gazetteers.py:

    python3 scripts/build_foreign_words.py

It downloads (pip download, no install) PyPI `spacy-lookups-data` 1.0.5
(MIT licence, (c) ExplosionAI GmbH) and reads, for each language, its
word-frequency table (`<lang>_lexeme_prob.json.gz`) and its lemmatizer
table (`<lang>_lemma_lookup.json.gz`). A word is kept when the
lemmatizer table holds it, as a form or as a lemma, spelt as the frequency
table spells it (so proper names, which no lemmatizer table holds, stay
out: "Müller", "Berlin"; nor a lemma whose only other form is its
genitive: "Jürgen" of "Jürgens", "München" of "Münchens"), and, in Spanish, when the frequency
table holds it more often in lower case than capitalised ("García",
"José" stay out); the most frequent such words are kept, lower-cased,
leaving out
  - English words (words.txt already holds them), and
  - names the name lists hold as common ones (a first name given to 0.005%
    of people or more, a surname ranked 5,000 or better; as written: a
    word with diacritics is the dictionary's, "länge", not "Lange"), and
    the genitives of common first names (0.01%), and the commonest German
    surnames (GERMAN_SURNAMES: "müller", "schäfer"): "weber", "koch",
    "bauer", "andreas", "müller" stay names.

It also writes fr_it_pt_nl_words.txt: ordinary words of French, Italian,
Portuguese and Dutch, for which spaCy's lookups hold no frequency table,
only lemmatizer tables (form -> lemma). Per language, 60,000 words: up
to half of them the lemmas those tables hold, the rest their other forms,
each the shortest first (short words are the frequent ones: Zipf's law of
abbreviation; then alphabetical), in lower
case and alphabetic, leaving out English words, the German and Spanish
lists' words, the places list's names, and names the name lists hold at
all commonly (a first name given to 0.001% or more, a surname ranked
10,000 or better: the tables hold some proper names in lower case,
"bristol", "astrid"). The name pass reads this list only for a text that
may be written in one of those languages.

Output is sorted and deterministic; the files are committed, so users never
run this.
"""
import gzip, json, os, subprocess, sys, tempfile, zipfile, glob

DATA = os.path.join("crates", "veil-detect", "data")
# How many words each language gives (most frequent first): past these, a
# German list covers ~1% more capitalised words of real German text per
# 20,000 words (the rest are compounds no list holds).
KEEP = {"de": 30_000, "es": 20_000}
# The languages without a frequency table, and how many words each gives.
MORE = {"fr": 60_000, "it": 60_000, "pt": 60_000, "nl": 60_000}


# The commonest German surnames: those that are also words ("Müller",
# "Schäfer", "Krämer", "Kühn", "König") stay names, though the US lists
# know them only without their umlauts.
GERMAN_SURNAMES = {
    "müller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker", "schulz",
    "hoffmann", "schäfer", "koch", "bauer", "richter", "klein", "wolf", "schröder", "neumann",
    "schwarz", "zimmermann", "braun", "krüger", "hofmann", "hartmann", "lange", "schmitt", "werner",
    "schmitz", "krause", "meier", "lehmann", "schmid", "schulze", "maier", "köhler", "herrmann",
    "könig", "walter", "mayer", "huber", "kaiser", "fuchs", "peters", "lang", "scholz", "möller",
    "jung", "hahn", "schubert", "vogel", "friedrich", "keller", "günther", "frank",
    "berger", "winkler", "roth", "beck", "lorenz", "baumann", "franke", "albrecht", "schuster",
    "simon", "ludwig", "böhm", "winter", "kraus", "martin", "schumacher", "krämer", "vogt",
    "stein", "jäger", "otto", "sommer", "seidel", "heinrich", "brandt", "haas",
    "schreiber", "graf", "schulte", "dietrich", "ziegler", "kuhn", "kühn", "pohl", "engel",
    "horn", "busch", "bergmann", "thomas", "voigt", "sauer", "arnold", "wolff", "pfeiffer",
    "förster", "löwe", "bürger", "schüler",
}


def main():
    tmp = tempfile.mkdtemp()
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "spacy-lookups-data==1.0.5", "-d", tmp],
                   check=True, stdout=subprocess.DEVNULL)
    with zipfile.ZipFile(glob.glob(os.path.join(tmp, "spacy_lookups_data-*.whl"))[0]) as z:
        z.extractall(tmp)
    src = os.path.join(tmp, "spacy_lookups_data", "data")

    def read(name):
        return open(os.path.join(DATA, name), encoding="utf-8").read().splitlines()

    words = set(read("words.txt"))
    first = {l.split("\t")[0]: float(l.split("\t")[1]) for l in read("first_names.txt")}
    last = {l.split("\t")[0]: int(l.split("\t")[1]) for l in read("last_names.txt")}

    def common_name(w):
        # As written: the name lists are ASCII, and a word with diacritics
        # that folds to a name is the word the dictionary holds ("länge",
        # not "Lange"; no dictionary holds "Müller").
        # A genitive of a common first name ("andreas", "annas") is one too.
        genitive = w[:-1] if w.endswith("s") else None
        return (first.get(w, -1.0) >= 0.005 or last.get(w, 10**9) <= 5000
                or (genitive is not None and first.get(genitive, -1.0) >= 0.01))

    written = {}  # the German and Spanish lists, as written
    for lang, keep in KEEP.items():
        out = set()
        lookup = json.load(gzip.open(os.path.join(src, f"{lang}_lemma_lookup.json.gz")))
        forms = {}
        for k, v in lookup.items():
            for lemma in v if isinstance(v, list) else [v]:
                forms.setdefault(lemma, set()).add(k)
        # A lemma whose only other form is its genitive is a name as often
        # as a word ("Jürgens" -> "Jürgen", "Münchens" -> "München",
        # "Zeichens" -> "Zeichen"): left out (in German text a capitalised
        # word no list holds needs a cue to be a name or a place).
        dictionary = set(lookup) | {
            lemma for lemma, ks in forms.items() if any(k != lemma + "s" for k in ks)
        }
        prob = json.load(gzip.open(os.path.join(src, f"{lang}_lexeme_prob.json.gz")))
        # Spanish writes its ordinary words in lower case: a word the
        # frequency table holds more often capitalised is a name's.
        lower_first = lang != "de"
        seen, kept = set(), 0
        for w, _ in sorted(prob.items(), key=lambda kv: (-kv[1], kv[0])):
            if kept >= keep:
                break
            if not w.isalpha() or w not in dictionary:
                continue
            lw = w.lower()
            if lw in seen:
                continue
            if lower_first and prob.get(lw, -99.0) < max(prob.get(w, -99.0), prob.get(w.capitalize(), -99.0)):
                seen.add(lw)
                continue
            seen.add(lw)
            if lw in words or common_name(lw) or lw in GERMAN_SURNAMES:
                continue
            out.add(lw)
            kept += 1
        written[lang] = out
        name = {"de": "german", "es": "spanish"}[lang]
        with open(os.path.join(DATA, f"{name}_words.txt"), "w", encoding="utf-8") as f:
            f.write("".join(w + "\n" for w in sorted(out)))
        print(f"{name}: {len(out)} words")

    german, spanish = written["de"], written["es"]
    places = {l.split("\t")[0] for l in read("places.txt")}

    def more_word(w):
        return (w.isalpha() and w == w.lower() and len(w) >= 2 and w not in words
                and w not in german and w not in spanish and w not in places
                and first.get(w, -1.0) < 0.001 and last.get(w, 10**9) > 10_000
                and w not in GERMAN_SURNAMES)

    more = set()
    for lang, keep in MORE.items():
        table = json.load(gzip.open(os.path.join(src, f"{lang}_lemma_lookup.json.gz")))
        lemmas = set()
        for v in table.values():
            lemmas.update(v if isinstance(v, list) else [v])
        shortest = lambda ws: sorted((w for w in ws if more_word(w)), key=lambda w: (len(w), w))
        kept = shortest(lemmas)[:keep // 2]
        kept += shortest(set(table) - set(kept))[:keep - len(kept)]
        more.update(kept)
        print(f"{lang}: {len(kept)} words")
    with open(os.path.join(DATA, "fr_it_pt_nl_words.txt"), "w", encoding="utf-8") as f:
        f.write("".join(w + "\n" for w in sorted(more)))
    print(f"fr_it_pt_nl: {len(more)} words")


if __name__ == "__main__":
    main()
