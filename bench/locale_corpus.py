"""Text in other languages than English, from the system's own
translations: the messages of every gettext catalogue (.mo) under
/usr/share/locale/LANG/LC_MESSAGES for German, French, Spanish, Italian,
Brazilian Portuguese and Dutch — user-interface sentences written by
translators, which name almost no one. Each message of 40 characters or
more with a space (no format string, no markup) is one JSONL record.

    python3 bench/locale_corpus.py write OUT_DIR   # OUT_DIR/LANG.jsonl
    python3 bench/locale_corpus.py count OUT_DIR   # reads OUT_DIR/LANG.findings.jsonl

`count` prints, per language, the records, the PERSON and LOCATION
findings (nearly all false: the catalogues hold a few translators' names)
and the most frequent PERSON values. The catalogues differ from one
system to the next: compare binaries on the same machine.
"""
import collections, gettext, glob, json, os, sys

LANGS = ["de", "fr", "es", "it", "pt_BR", "nl"]


def messages(lang):
    out = set()
    for mo in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
        try:
            with open(mo, "rb") as f:
                catalogue = gettext.GNUTranslations(f)
        except Exception:
            continue
        for key, value in catalogue._catalog.items():
            if (key and isinstance(value, str) and len(value) >= 40 and " " in value
                    and "%" not in value and "<" not in value):
                out.add(value.replace("\n", " "))
    return sorted(out)


def write(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for lang in LANGS:
        texts = messages(lang)
        with open(os.path.join(out_dir, f"{lang}.jsonl"), "w", encoding="utf-8") as f:
            for i, t in enumerate(texts):
                f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")


def count(out_dir):
    print("| language | records | MB | PERSON | LOCATION | most frequent PERSON values |")
    print("|---|---:|---:|---:|---:|---|")
    total = collections.Counter()
    for lang in LANGS:
        texts = {}
        for line in open(os.path.join(out_dir, f"{lang}.jsonl"), encoding="utf-8"):
            r = json.loads(line)
            texts[r["id"]] = r["text"]
        kinds, people = collections.Counter(), collections.Counter()
        for line in open(os.path.join(out_dir, f"{lang}.findings.jsonl"), encoding="utf-8"):
            r = json.loads(line)
            for f in r["findings"]:
                kinds[f["entity_type"]] += 1
                if f["entity_type"] == "PERSON":
                    people[texts[r["id"]][f["start"]:f["end"]]] += 1
        mb = sum(len(t.encode()) for t in texts.values()) / 1e6
        top = ", ".join(f"{v} {n}" for v, n in people.most_common(5))
        print(f"| {lang} | {len(texts):,} | {mb:.2f} | {kinds['PERSON']:,} | {kinds['LOCATION']:,} | {top} |")
        total["records"] += len(texts)
        total["PERSON"] += kinds["PERSON"]
        total["LOCATION"] += kinds["LOCATION"]
    print(f"| all | {total['records']:,} | | {total['PERSON']:,} | {total['LOCATION']:,} | |")


if __name__ == "__main__":
    {"write": write, "count": count}[sys.argv[1]](sys.argv[2])
