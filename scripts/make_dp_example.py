"""Deterministic synthetic purchases table for the `veil dp` examples.

Writes examples/dp/purchases.csv: 20,000 rows, 2,000 customers (the privacy
unit), each buying 1-20 times in one to three of 12 regions; amounts are
log-normal. No real person is described.
"""
import csv
import math
import random

rng = random.Random(20261125)
regions = ["north", "south", "east", "west", "central", "coast", "hills", "lakes",
           "plains", "valley", "islands", "metro"]
weights = [30, 25, 20, 18, 15, 10, 6, 5, 4, 3, 1, 40]
rows = []
cid = 0
while len(rows) < 20000:
    cid += 1
    home = rng.choices(regions, weights)[0]
    visited = [home] + [rng.choices(regions, weights)[0] for _ in range(rng.choice([0, 0, 1, 2]))]
    for _ in range(rng.randint(1, 20)):
        amount = round(math.exp(rng.gauss(3.2, 0.8)), 2)
        rows.append((f"c{cid:05d}", rng.choice(visited), amount))
rows = rows[:20000]
with open("examples/dp/purchases.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["customer_id", "region", "amount"])
    w.writerows(rows)
print(f"{len(rows)} rows, {cid} customers")
