#!/usr/bin/env bash
# Veil's k-anonymisation on Adult side by side with anjana (verified by pyCANON).
# Writes bench/out/anonymize_bench.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x bench/.venv-anon/bin/python ]; then
  python3 -m venv bench/.venv-anon
fi
bench/.venv-anon/bin/pip install -q anjana==1.2.3 pycanon==1.3.5 anonypy==0.2.1
cargo build --release -q -p veil-cli
mkdir -p bench/out
bench/.venv-anon/bin/python bench/anonymize_bench.py target/release/veil | tee bench/out/anonymize_bench.md
