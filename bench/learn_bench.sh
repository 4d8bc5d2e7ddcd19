#!/usr/bin/env bash
# Veil's DP-SGD side by side with Opacus (DP-SGD), diffprivlib (DP logistic
# regression) and scikit-learn (non-private) on the same encoded Adult data,
# in one run. Writes bench/out/learn_bench.md.
#   bash bench/learn_bench.sh          # 10 seeds per tool
#   RUNS=3 bash bench/learn_bench.sh   # quicker
# Opacus pulls torch (several GB): it lives in bench/.venv-learn, never in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-10}"
if [ ! -x bench/.venv-learn/bin/python ]; then
  python3 -m venv bench/.venv-learn
fi
bench/.venv-learn/bin/pip install -q "numpy<2.3" scikit-learn==1.5.2 diffprivlib==0.6.6 opacus==1.6.0 torch==2.15.0
cargo build --release -q -p veil-cli
mkdir -p bench/out
OUT=bench/out/learn_bench.md
bench/.venv-learn/bin/python bench/learn_bench.py target/release/veil "$RUNS" | tee "$OUT"
echo "written to $OUT"
