#!/usr/bin/env bash
# Mondrian: (1) Adult side by side with anonypy (verified by pyCANON, one NCP
# definition for both); (2) Veil alone on synthetic tables of 1 and 10 million
# rows (bench/synthetic/make_people.py), wall time and peak memory from
# /usr/bin/time, each output checked k-anonymous by an independent count.
# Writes bench/out/mondrian_bench.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x bench/.venv-anon/bin/python ]; then
  python3 -m venv bench/.venv-anon
fi
bench/.venv-anon/bin/pip install -q anjana==1.2.3 pycanon==1.3.5 anonypy==0.2.1
cargo build --release -q -p veil-cli
mkdir -p bench/out
{
  echo "## Adult (32,561 rows, 7 quasi-identifiers)"
  echo
  bench/.venv-anon/bin/python bench/mondrian_bench.py target/release/veil
  echo
  echo "## Synthetic people (bench/synthetic/people.toml: 5 quasi-identifiers, k = 10)"
  echo
  echo "| rows | wall s | peak RSS MB | NCP | out-of-core splits | smallest class (independent check) |"
  echo "|---|---|---|---|---|---|"
  for rows in 1000000 10000000; do
    data="bench/out/people-$rows.csv"
    [ -s "$data" ] || python3 bench/synthetic/make_people.py "$rows" "$data"
    /usr/bin/time -f "%e %M" -o bench/out/time.txt target/release/veil anonymize "$data" \
      --config bench/synthetic/people.toml --k 10 --output bench/out/people-out.csv --json > bench/out/people.json
    read -r wall rss < bench/out/time.txt
    smallest=$(python3 - <<'PY'
import csv, collections
c = collections.Counter()
with open("bench/out/people-out.csv") as f:
    r = csv.reader(f)
    h = next(r)
    idx = [h.index(q) for q in ["age", "sex", "zip", "education", "marital-status"]]
    for row in r:
        c[tuple(row[i] for i in idx)] += 1
print(min(c.values()))
PY
)
    python3 - "$rows" "$wall" "$rss" "$smallest" <<'PY'
import json, sys
rows, wall, rss, smallest = sys.argv[1:]
r = json.load(open("bench/out/people.json"))
print(f"| {int(rows):,} | {float(wall):.1f} | {int(rss) / 1024:.0f} | {r['loss']['ncp']:.4f} | {r['out_of_core_splits']} | {smallest} |")
PY
  done
  rm -f bench/out/people-out.csv
} | tee bench/out/mondrian_bench.md
