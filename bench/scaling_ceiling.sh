#!/usr/bin/env bash
# How close a two-thread scan comes to what this machine's two cores give.
# Each round runs, one after another: a one-thread scan pinned to CPU 0
# (solo), two independent one-thread scans at once pinned to CPUs 0 and 1
# (pair), and a two-thread scan. The machine's ceiling is the pair's
# throughput over the solo's (2.00 when two cores run two copies of the
# same work at the speed one core runs one); Veil's scaling is the solo
# wall time over the two-thread one. Medians over the rounds.
#   bash bench/scaling_ceiling.sh N FILE [veil scan flags...]
# (VEIL_BIN=path runs that binary instead of building target/release/veil.)
# e.g. bash bench/scaling_ceiling.sh 7 bench/out/throughput20.jsonl --no-names
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1 file=$2
shift 2
bin=${VEIL_BIN:-target/release/veil}
[ -n "${VEIL_BIN:-}" ] || cargo build --release -q -p veil-cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wall() { /usr/bin/time -f "%e" -o "$1" "${@:2}" >/dev/null 2>&1; }
for i in $(seq "$n"); do
  wall "$tmp/solo" taskset -c 0 "$bin" scan --threads 1 --format jsonl "$@" "$file"
  wall "$tmp/a" taskset -c 0 "$bin" scan --threads 1 --format jsonl "$@" "$file" &
  wall "$tmp/b" taskset -c 1 "$bin" scan --threads 1 --format jsonl "$@" "$file"
  wait
  wall "$tmp/two" "$bin" scan --threads 2 --format jsonl "$@" "$file"
  echo "$(cat "$tmp/solo") $(cat "$tmp/a") $(cat "$tmp/b") $(cat "$tmp/two")"
done | awk '
  { s[NR] = $1; c[NR] = $1 / $2 + $1 / $3; v[NR] = $1 / $4; t[NR] = $4
    printf "round %d: solo %.2f s, pair %.2f s + %.2f s, two threads %.2f s\n", NR, $1, $2, $3, $4 }
  function median(a, n,   i, j, x) {
    for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    ms = median(s, NR); mt = median(t, NR); mc = median(c, NR); mv = median(v, NR)
    printf "medians: solo %.2f s, two threads %.2f s | machine ceiling %.2fx, Veil scaling %.2fx = %.0f%% of the ceiling\n", ms, mt, mc, mv, 100 * mv / mc
  }'
