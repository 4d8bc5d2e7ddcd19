#!/usr/bin/env bash
# Peak memory of `veil scan` on a 1 GB CSV (the example support tickets
# repeated), all cores, all recognizers. Prints wall time and peak RSS.
#   bash bench/memory_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p veil-cli
mkdir -p bench/out
big=bench/out/big.csv
if [ ! -f "$big" ]; then
  head -1 examples/support_tickets.csv > "$big"
  body=$(tail -n +2 examples/support_tickets.csv)
  while [ "$(stat -c %s "$big")" -lt 1000000000 ]; do printf '%s\n' "$body" >> "$big"; done
fi
ls -l "$big"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" target/release/veil scan "$big" --format jsonl --output bench/out/big_findings.jsonl
