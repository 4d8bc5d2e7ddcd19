"""Synthetic DP-aggregation benchmark data (deterministic).

usage: dp_make_data.py ROWS UNITS PARTITIONS OUT_PREFIX
Each unit has a home partition and up to two others (Zipf-like partition
popularity); every row picks one of its unit's partitions. Values are
log-normal amounts, mostly inside [0, 100]. Writes OUT_PREFIX.csv and
OUT_PREFIX.parquet with columns user_id (int64), partition (string), value.
"""
import sys

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

rows, units, parts = (int(x) for x in sys.argv[1:4])
prefix = sys.argv[4]
rng = np.random.default_rng(20261125)
weights = 1.0 / np.arange(1, parts + 1) ** 0.8
weights /= weights.sum()
unit_parts = rng.choice(parts, size=(units, 3), p=weights)
user = rng.integers(0, units, size=rows)
which = rng.choice(3, size=rows, p=[0.7, 0.2, 0.1])
part = unit_parts[user, which]
value = np.round(np.exp(rng.normal(3.0, 0.7, size=rows)), 2)
names = np.array([f"p{i:04d}" for i in range(parts)])
table = pa.table({"user_id": pa.array(user, pa.int64()),
                  "partition": pa.array(names[part]),
                  "value": pa.array(value)})
pq.write_table(table, prefix + ".parquet", compression="snappy")
if rows <= 5_000_000:
    pacsv.write_csv(table, prefix + ".csv")
print(f"{rows} rows, {units} units, {parts} partitions -> {prefix}.parquet", file=sys.stderr)
