#!/usr/bin/env bash
# Redaction's cost over scanning alone, and its memory on a 1 GB CSV.
#   bash bench/redact_overhead.sh          # overhead (100 MB) and 1 GB memory
#   SKIP_1GB=1 bash bench/redact_overhead.sh
# Overhead: the example support e-mails repeated to ~100 MB; `veil scan`
# (JSONL findings to a file) and `veil redact` (default policy: rewrite,
# quarantine check, re-scan, report) on the same file, 1 and 2 threads, two
# runs each. 1 GB: bench/out/big.csv (bench/memory_bench.sh builds it),
# redacted on both cores; wall time and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p veil-cli
VEIL=target/release/veil
mkdir -p bench/out
mid=bench/out/emails-100mb.csv
if [ ! -f "$mid" ]; then
  head -1 examples/support/emails.csv > "$mid"
  body=$(tail -n +2 examples/support/emails.csv)
  while [ "$(stat -c %s "$mid")" -lt 100000000 ]; do printf '%s\n' "$body" >> "$mid"; done
fi
ls -l "$mid"
for t in 1 2; do
  for run in 1 2; do
    /usr/bin/time -f "scan   threads=$t run=$run: wall %e s, user %U s, peak RSS %M KB" \
      "$VEIL" scan "$mid" --threads "$t" --no-progress --format jsonl --output bench/out/overhead_scan.jsonl > /dev/null
    /usr/bin/time -f "redact threads=$t run=$run: wall %e s, user %U s, peak RSS %M KB" \
      "$VEIL" redact "$mid" --threads "$t" -o bench/out/overhead_redact.csv > /dev/null
  done
done
rm -f bench/out/overhead_redact.csv bench/out/overhead_redact.csv.* bench/out/overhead_scan.jsonl
if [ -z "${SKIP_1GB:-}" ]; then
  [ -f bench/out/big.csv ] || bash bench/memory_bench.sh
  ls -l bench/out/big.csv
  /usr/bin/time -f "redact 1 GB, 2 threads: wall %e s, user %U s, peak RSS %M KB" \
    "$VEIL" redact bench/out/big.csv -o bench/out/big_redacted.csv > /dev/null
  ls -l bench/out/big_redacted.csv
  rm -f bench/out/big_redacted.csv bench/out/big_redacted.csv.*
fi
