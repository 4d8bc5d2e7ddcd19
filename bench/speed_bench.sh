#!/usr/bin/env bash
# Throughput of `veil scan` on one and two cores, on three corpora:
#  - dense: Presidio's synth_dataset_v2 texts, one per line, repeated to 20 MB
#    (an entity every ~40 bytes: the worst case for Veil);
#  - prose: a 100 MB single line of ordinary words with 1% PII tokens
#    (also the long-line / linear-time check, with peak memory);
#  - code: the secrets benchmark corpus (bench/secrets_bench.py makes it).
#   bash bench/speed_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p veil-cli
mkdir -p bench/out
python3 - <<'PY'
import json, random
texts = [r["full_text"].replace("\n", " ") for r in json.load(open("../shared/datasets/pii/synth_dataset_v2.json"))]
with open("bench/out/dense.txt", "w") as f:
    n = 0
    while n < 20_000_000:
        for t in texts:
            f.write(t + "\n"); n += len(t.encode()) + 1
r = random.Random(1)
words = "the order was shipped to our customer and the refund is pending for review today".split()
pii = ["alice@example.com", "(212) 736-5000", "4111 1111 1111 1111", "Paris", "John Smith"]
parts, n = [], 0
while n < 100_000_000:
    w = r.choice(words) if r.random() > 0.01 else r.choice(pii)
    parts.append(w); n += len(w) + 1
open("bench/out/prose_line.txt", "w").write(" ".join(parts))
PY
[ -d bench/out/secrets_corpus ] || python3 bench/secrets_bench.py > /dev/null
# One core means one: the one-thread run is pinned to a single CPU (its
# reading and writing thread included), so the two-core figure divided by
# it is the scaling a second core brings.
for corpus in bench/out/dense.txt bench/out/prose_line.txt bench/out/secrets_corpus; do
  for flags in "" "--no-names"; do
    for t in 1 2; do
      pin=""
      [ "$t" = 1 ] && command -v taskset >/dev/null && pin="taskset -c 0"
      printf '%s %s threads=%s%s: ' "$corpus" "${flags:-all}" "$t" "${pin:+ (pinned to one CPU)}"
      /usr/bin/time -f "%e s wall, %U s user, peak RSS %M KB" $pin target/release/veil scan --threads "$t" $flags "$corpus" 2>&1 >/dev/null | tail -1
      $pin target/release/veil scan --threads "$t" $flags "$corpus" 2>/dev/null | head -1
    done
  done
done
