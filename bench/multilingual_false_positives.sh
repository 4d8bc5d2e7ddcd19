#!/usr/bin/env bash
# False names and places in text written in other languages than English:
# the system's own gettext translations (German, French, Spanish, Italian,
# Brazilian Portuguese, Dutch; see bench/locale_corpus.py), scanned with
# every recognizer. Prints PERSON and LOCATION findings per language.
#   bash bench/multilingual_false_positives.sh      (VEIL_BIN=path to compare)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VEIL_BIN:-target/release/veil}
[ -n "${VEIL_BIN:-}" ] || cargo build --release -q -p veil-cli
out=bench/out/locale
python3 bench/locale_corpus.py write "$out"
for lang in de fr es it pt_BR nl; do
  "$bin" scan --threads 2 --format jsonl --no-progress --output "$out/$lang.findings.jsonl" "$out/$lang.jsonl" 2>/dev/null
done
python3 bench/locale_corpus.py count "$out"
