#!/usr/bin/env bash
# Two-core scaling of `veil scan` as the median of adjacent pairs: a
# one-thread run pinned to one CPU, then a two-thread run, N times; each
# time is veil's own (start-up excluded). Single runs move by ±20% on a
# shared machine; alternating pairs see the same machine state.
#   bash bench/scaling_pairs.sh N FILE [veil scan flags...]
# e.g. bash bench/scaling_pairs.sh 8 bench/out/dense.txt --no-names
# (bench/speed_bench.sh makes the corpora).
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1 file=$2
shift 2
cargo build --release -q -p veil-cli
secs() { sed -n '1s/.* in \([0-9.]*\) s.*/\1/p'; }
for _ in $(seq "$n"); do
  one=$(taskset -c 0 target/release/veil scan --threads 1 "$@" "$file" 2>/dev/null | secs)
  two=$(target/release/veil scan --threads 2 "$@" "$file" 2>/dev/null | secs)
  echo "$one $two"
done | python3 -c '
import statistics, sys
pairs = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
r = sorted(a / b for a, b in pairs)
print("pairs (1 core / 2 cores, s):", " ".join(f"{a:.2f}/{b:.2f}" for a, b in pairs))
print(f"scaling: median {statistics.median(r):.2f}x, min {r[0]:.2f}x, max {r[-1]:.2f}x")'
