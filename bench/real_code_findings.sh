#!/usr/bin/env bash
# Findings per entity type when real code is scanned with every recognizer
# on: the sources of six crates Veil itself builds with, as the cargo
# registry holds them (8.1 MB of Rust, Markdown, TOML and licences).
# Unlike bench/code_false_positives.sh, real code holds some real personal
# data (authors in Cargo.toml, people in examples and licences), so the
# counts show where the noise is rather than a false-positive rate; the
# most frequent values of the noisiest types are listed to read.
#   bash bench/real_code_findings.sh
# (VEIL_BIN=path runs that binary instead of building target/release/veil.)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VEIL_BIN:-target/release/veil}
[ -n "${VEIL_BIN:-}" ] || cargo build --release -q -p veil-cli
cargo fetch -q
registry=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/index.crates.io-*/ | head -1)
crates=(regex-automata-0.4.19 serde_json-1.0.154 aho-corasick-1.1.5 memchr-2.8.3 clap_builder-4.6.7 hashbrown-0.16.1)
paths=()
for c in "${crates[@]}"; do paths+=("$registry$c"); done
"$bin" scan --threads 2 --format jsonl --show-values --no-progress "${paths[@]}" 2>/dev/null |
  python3 bench/findings_by_type.py PERSON URL PHONE_NUMBER
