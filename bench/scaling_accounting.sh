#!/usr/bin/env bash
# Where the second core's time goes in a two-thread scan: CPU time of
# Veil's threads at one thread (pinned to one CPU) and at two, and, over the
# two-thread run's window, how long the two CPUs ran Veil, ran other
# processes, or idled (from `perf sched`, run as root). Work inflation
# (two-thread CPU / one-thread CPU) is what the code adds by running on two
# cores; the rest of the gap to 2x is the machine's.
#   bash bench/scaling_accounting.sh N FILE [veil scan flags...]
# e.g. bash bench/scaling_accounting.sh 5 bench/out/dense.txt
# (VEIL_BIN=path runs that binary instead of building target/release/veil.)
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1 file=$2
shift 2
bin=${VEIL_BIN:-target/release/veil}
[ -n "${VEIL_BIN:-}" ] || cargo build --release -q -p veil-cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq "$n"); do
  /usr/bin/time -f "%e %U %S" -o "$tmp/one" taskset -c 0 "$bin" scan --threads 1 "$@" "$file" >/dev/null 2>&1
  perf sched record -q -o "$tmp/sched.data" "$bin" scan --threads 2 "$@" "$file" >/dev/null 2>&1
  perf sched timehist -i "$tmp/sched.data" 2>/dev/null |
    awk -v one="$(cat "$tmp/one")" -v bin="$(basename "$bin")" '
      NR > 3 && NF >= 6 {
        if (first == "") first = $1
        last = $1
        rt = $NF
        if (index($3, bin "[") == 1) veil += rt
        else if ($3 == "<idle>") idle += rt
        else if ($3 ~ /^:-1/) veil += rt   # exited threads of the scan
        else other += rt
      }
      END {
        split(one, o, " ")
        w2 = last - first
        c1 = o[2] + o[3]
        c2 = veil / 1000
        printf "one thread: %.2f s wall, %.2f s CPU | two threads: %.2f s wall, %.2f s CPU of Veil, %.2f s other processes, %.2f s idle | scaling %.2fx, work inflation %+.1f%%, Veil share of the two CPUs %.1f%%\n",
          o[1], c1, w2, c2, other / 1000, idle / 1000, o[1] / w2, (c2 / c1 - 1) * 100, c2 / (2 * w2) * 100
      }'
done
