#!/usr/bin/env bash
# Veil's main job on the shipped example: scan the support e-mails, redact
# them with examples/support/policy.toml (a demo key is made on first run),
# and write the reports. Outputs go to target/support-demo/.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -q -p veil-cli
V=target/release/veil
OUT=target/support-demo
mkdir -p "$OUT"
[ -f "$OUT/demo.key" ] || "$V" keygen --output "$OUT/demo.key"
echo "== scan =="
"$V" scan examples/support/emails.csv
echo
echo "== redact =="
"$V" redact examples/support/emails.csv --policy examples/support/policy.toml \
  --key-file "$OUT/demo.key" --output "$OUT/emails.redacted.csv" \
  --quarantine "$OUT/emails.quarantine.jsonl" \
  --report "$OUT/report.json" --html "$OUT/report.html" --strict
echo
echo "outputs:"
echo "  redacted table     $OUT/emails.redacted.csv"
echo "  quarantined rows   $OUT/emails.quarantine.jsonl (raw records: restrict access)"
echo "  report             $OUT/report.json, $OUT/report.html"
echo "  key                $OUT/demo.key (demo only: keep real keys out of the repository)"
