"""Write the compressed Parquet test files (customers_<codec>.parquet) with
pyarrow, the writer most exports come from, so that the tests read files
another implementation compressed:
    python3 -m venv /tmp/pa && /tmp/pa/bin/pip install pyarrow
    /tmp/pa/bin/python make_compressed.py
"""
import pyarrow as pa
import pyarrow.parquet as pq

table = pa.table({
    "id": [1, 2, 3],
    "name": ["John Smith", "Maria Garcia", "Wei Chen"],
    "email": ["john.smith@example.com", "maria@example.org", "wei.chen@example.net"],
})
for codec in ["gzip", "zstd", "lz4", "brotli"]:
    pq.write_table(table, f"customers_{codec}.parquet", compression=codec)
