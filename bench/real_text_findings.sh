#!/usr/bin/env bash
# Findings per entity type when the text a Debian system ships is scanned
# with every recognizer on: the licences (/usr/share/common-licenses), the
# packages' documentation and copyright files (/usr/share/doc) and Python's
# standard library (/usr/lib/python3.N), as folders, one finding list per
# file. Real text holds real personal data (authors and maintainers in
# copyright files and changelogs), so the counts show where the noise is
# rather than a false-positive rate; the most frequent values of the
# noisiest types are listed to read. The folders differ from one system to
# the next: compare binaries on the same machine (VEIL_BIN=path).
#   bash bench/real_text_findings.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VEIL_BIN:-target/release/veil}
[ -n "${VEIL_BIN:-}" ] || cargo build --release -q -p veil-cli
py=$(ls -d /usr/lib/python3.[0-9]* 2>/dev/null | head -1)
for dir in /usr/share/common-licenses /usr/share/doc ${py:+"$py"}; do
  [ -d "$dir" ] || continue
  # Exit status 2 is taken: a system's folders hold files no one may read
  # and links that lead nowhere (the scan goes on and counts them).
  { "$bin" scan --threads 2 --format jsonl --show-values --no-progress "$dir" 2>/dev/null || [ $? -eq 2 ]; } |
    python3 bench/findings_by_type.py --label "$dir" PERSON LOCATION PHONE_NUMBER NRP ORGANIZATION
done
