#!/usr/bin/env bash
# Scan throughput side by side, one core: Veil (all recognizers; --no-names)
# and presidio-rs on the same 10 MB corpus, one run: whole process, steady
# state, and the engine in-process (criterion: crates/veil-detect/benches/
# engine_throughput.rs), as presidio-rs is timed. See throughput_bench.py.
#   bash bench/throughput_bench.sh
# Needs ../shared/datasets/pii beside the checkout. Installs presidio-rs
# into bench/.venv-rs (from PyPI) and builds Veil in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv bench/.venv-rs
bench/.venv-rs/bin/pip install -q "presidio-rs==0.1.11"
cargo build --release -q -p veil-cli
cargo bench -q -p veil-detect --bench engine_throughput
bench/.venv-rs/bin/python bench/throughput_bench.py ../shared/datasets/pii/synth_dataset_v2.json
