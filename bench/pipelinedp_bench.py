"""Veil `dp query` vs PipelineDP (local backend), side by side, same data.

usage: pipelinedp_bench.py DATA_PREFIX VEIL_BIN RUNS_VEIL RUNS_PIPELINEDP
Both tools get ε = 1, δ = 1e-6, max 2 partitions per unit, max 3 rows per
unit per partition, values clamped to [0, 100], Laplace noise, metrics
PRIVACY_ID_COUNT, COUNT, SUM, MEAN. Reported per tool: RMSE of each metric
against the exact (non-private, unbounded) per-partition value over the
partitions it released, the number of partitions released, and wall time
per run (mean over runs). Prints a markdown table.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pipeline_dp
import pyarrow.csv as pacsv

prefix, veil, runs_veil, runs_pdp = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
EPS, DELTA, MAXP, MAXR, LO, HI = 1.0, 1e-6, 2, 3, 0.0, 100.0
table = pacsv.read_csv(prefix + ".csv")
users = table.column("user_id").to_pylist()
parts = table.column("partition").to_pylist()
values = table.column("value").to_pylist()

# Exact per-partition values (no bounding, no noise).
truth = {}
seen = {}
for u, p, v in zip(users, parts, values):
    t = truth.setdefault(p, [0, 0.0, set()])
    t[0] += 1
    t[1] += v
    t[2].add(u)
exact = {p: {"count": t[0], "sum": t[1], "mean": t[1] / t[0], "privacy_id_count": len(t[2])}
         for p, t in truth.items()}
METRICS = ["privacy_id_count", "count", "sum", "mean"]


def rmse(results):
    out = {}
    for m in METRICS:
        errs = [(r[m] - exact[p][m]) ** 2 for p, r in results.items()]
        out[m] = (sum(errs) / len(errs)) ** 0.5 if errs else float("nan")
    return out


def run_pipelinedp():
    rows = list(zip(users, parts, values))
    t0 = time.perf_counter()
    backend = pipeline_dp.LocalBackend()
    acc = pipeline_dp.NaiveBudgetAccountant(total_epsilon=EPS, total_delta=DELTA)
    engine = pipeline_dp.DPEngine(acc, backend)
    params = pipeline_dp.AggregateParams(
        noise_kind=pipeline_dp.NoiseKind.LAPLACE,
        metrics=[pipeline_dp.Metrics.PRIVACY_ID_COUNT, pipeline_dp.Metrics.COUNT,
                 pipeline_dp.Metrics.SUM, pipeline_dp.Metrics.MEAN],
        max_partitions_contributed=MAXP, max_contributions_per_partition=MAXR,
        min_value=LO, max_value=HI)
    ex = pipeline_dp.DataExtractors(privacy_id_extractor=lambda r: r[0],
                                    partition_extractor=lambda r: r[1],
                                    value_extractor=lambda r: r[2])
    res = engine.aggregate(rows, params, ex)
    acc.compute_budgets()
    out = {p: {m: getattr(v, m) for m in METRICS} for p, v in res}
    return out, time.perf_counter() - t0


def run_veil(tmp):
    ledger = os.path.join(tmp, "ledger.sqlite")
    if not os.path.exists(ledger):
        subprocess.run([veil, "dp", "budget", "init", prefix + ".csv", "--ledger", ledger,
                        "--epsilon", "1000000", "--delta", "0.5"], check=True, capture_output=True)
    t0 = time.perf_counter()
    p = subprocess.run([veil, "dp", "query", prefix + ".csv", "--ledger", ledger,
                        "--privacy-unit", "user_id", "--by", "partition", "--value", "value",
                        "--metrics", "count_distinct,count,sum,mean", "--lower", str(LO), "--upper", str(HI),
                        "--max-partitions", str(MAXP), "--max-rows", str(MAXR),
                        "--epsilon", str(EPS), "--delta", str(DELTA), "--json"],
                       check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rel = json.loads(p.stdout)
    out = {}
    for row in rel["partitions"]:
        cells = {c["column"]: c["value"] for c in row["cells"]}
        out[row["key"][0]] = {"privacy_id_count": cells["count_distinct"], "count": cells["count"],
                              "sum": cells["sum"], "mean": cells["mean"]}
    return out, wall


def summarise(name, runs):
    errs = [rmse(r) for r, _ in runs]
    return {"tool": name, "runs": len(runs),
            "rmse": {m: statistics.mean(e[m] for e in errs) for m in METRICS},
            "partitions": statistics.mean(len(r) for r, _ in runs),
            "seconds": statistics.mean(t for _, t in runs)}


with tempfile.TemporaryDirectory() as tmp:
    veil_runs = [run_veil(tmp) for _ in range(runs_veil)]
pdp_runs = [run_pipelinedp() for _ in range(runs_pdp)]
v, p = summarise("veil", veil_runs), summarise("pipeline-dp 0.3.1", pdp_runs)
print(f"data: {len(users)} rows, {len(set(users))} units, {len(exact)} partitions; "
      f"ε={EPS}, δ={DELTA}, max_partitions={MAXP}, max_rows={MAXR}, bounds=[{LO}, {HI}]")
print("| tool | runs | RMSE count_distinct | RMSE count | RMSE sum | RMSE mean | partitions kept | seconds/run |")
print("|---|---|---|---|---|---|---|---|")
for s in (v, p):
    r = s["rmse"]
    print(f"| {s['tool']} | {s['runs']} | {r['privacy_id_count']:.2f} | {r['count']:.2f} | {r['sum']:.1f} | "
          f"{r['mean']:.3f} | {s['partitions']:.1f} | {s['seconds']:.3f} |")
print(f"| ratio veil/pipeline-dp | | {v['rmse']['privacy_id_count']/p['rmse']['privacy_id_count']:.2f} | "
      f"{v['rmse']['count']/p['rmse']['count']:.2f} | {v['rmse']['sum']/p['rmse']['sum']:.2f} | "
      f"{v['rmse']['mean']/p['rmse']['mean']:.2f} | {v['partitions']/p['partitions']:.3f} | "
      f"speed-up {p['seconds']/v['seconds']:.1f}x |")
