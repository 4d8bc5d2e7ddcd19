#!/usr/bin/env bash
# Veil's DP benchmarks, side by side with Google's dp-accounting and
# PipelineDP on the same data in one run. Writes bench/out/dp_bench.md.
#   bash bench/dp_bench.sh            # full: 20 runs per tool
#   RUNS=3 bash bench/dp_bench.sh     # quicker
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-20}"
if [ ! -x bench/.venv-dp/bin/python ]; then
  python3 -m venv bench/.venv-dp
fi
bench/.venv-dp/bin/pip install -q dp-accounting==0.6.0 pipeline-dp==0.3.1 pyarrow
cargo build --release -q -p veil-cli -p veil-dp --examples
VEIL=target/release/veil
mkdir -p bench/out
OUT=bench/out/dp_bench.md
{
  echo "# veil dp benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
  echo
  echo "## Accountants: PLD and RDP vs dp-accounting 0.6.0"
  bench/.venv-dp/bin/python bench/dp_accounting_bench.py "$VEIL"
  echo
  echo "## Exact samplers (one thread unless stated)"
  echo '```'
  target/release/examples/sampler_throughput
  echo '```'
  echo
  echo "## DP aggregation vs PipelineDP (1M rows, 100k units, 1,000 partitions)"
  [ -f bench/out/dp_1m.parquet ] || bench/.venv-dp/bin/python bench/dp_make_data.py 1000000 100000 1000 bench/out/dp_1m
  bench/.venv-dp/bin/python bench/pipelinedp_bench.py bench/out/dp_1m "$VEIL" "$RUNS" "$RUNS"
  echo
  echo "## Throughput: COUNT and SUM by one key, Parquet, one core (taskset -c 0)"
  [ -f bench/out/dp_10m.parquet ] || bench/.venv-dp/bin/python bench/dp_make_data.py 10000000 1000000 1000 bench/out/dp_10m
  rm -f bench/out/dp_tp.sqlite*
  "$VEIL" dp budget init bench/out/dp_10m.parquet --ledger bench/out/dp_tp.sqlite --epsilon 100 --delta 0.1 > /dev/null
  for i in 1 2 3; do
    bench/.venv-dp/bin/python - "$VEIL" <<'PY'
import resource, subprocess, sys, time
veil = sys.argv[1]
t0 = time.perf_counter()
subprocess.run(["taskset", "-c", "0", veil, "dp", "query", "bench/out/dp_10m.parquet", "--ledger", "bench/out/dp_tp.sqlite",
                "--privacy-unit", "user_id", "--by", "partition", "--value", "value", "--metrics", "count,sum",
                "--lower", "0", "--upper", "100", "--max-partitions", "2", "--max-rows", "3", "--epsilon", "1",
                "--delta", "1e-6", "-o", "bench/out/dp_tp.csv"], check=True, capture_output=True)
wall = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"10,000,000 rows in {wall:.2f} s wall on one core, peak RSS {rss / 1024:.0f} MiB -> {10 / wall:.2f} M rows/s")
PY
  done
} | tee "$OUT"
