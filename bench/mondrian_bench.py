"""Mondrian on Adult: Veil vs anonypy (PyPI; pandas Mondrian), same seven
quasi-identifiers, occupation sensitive, each output verified by pyCANON,
information loss computed from each output with one definition for both:
NCP = numeric (max - min) / range of age, categorical (values covered - 1) /
(distinct values - 1), averaged over all quasi-identifier cells. anonypy
releases a categorical group as the set of its values; Veil releases the
lowest hierarchy label covering them (examples/adult/anonymize.toml), or, when
that label covers values not present, the set of values present ({a, b}).

usage: mondrian_bench.py VEIL_BINARY
"""
import json, subprocess, sys, tempfile, time, tomllib
import pandas as pd
import pycanon
from pycanon import anonymity as _pycanon_anonymity  # noqa: F401  (loads the submodule)
from anonypy import anonypy

VEIL = sys.argv[1]
CFG = "examples/adult/anonymize.toml"
cfg = tomllib.load(open(CFG, "rb"))
cols = cfg["source"]["columns"]
A = cfg["anonymize"]
QI, SA = A["quasi_identifiers"], A["sensitive"]

rows = []
for line in open("examples/adult/adult.data"):
    if line.strip() and not line.startswith("|"):
        rows.append([c.strip() for c in line.split(",")])
data = pd.DataFrame(rows, columns=cols).drop(columns=A.get("drop", []))
n = len(data)
distinct = {q: sorted(data[q].unique()) for q in QI}
ages = data["age"].astype(float)
age_range = ages.max() - ages.min()

# label -> original values covered, from Veil's hierarchies
covers = {}
for q in QI:
    h = cfg["hierarchy"][q]
    m = {"*": set(distinct[q])}
    for v in distinct[q]:
        m.setdefault(v, set()).add(v)
    if h["kind"] == "tree":
        for v, path in h["values"].items():
            for lab in path:
                m.setdefault(lab, set()).add(v)
    covers[q] = m


def cat_loss(q, covered):
    return (covered - 1) / (len(distinct[q]) - 1)


def veil_ncp(df):
    total = 0.0
    for q in QI:
        col = df[q]
        if q == "age":
            def span(x):
                if x.startswith("["):
                    lo, hi = x.strip("[]").split(", ")
                    return (float(hi) - float(lo)) / age_range
                return 0.0
            total += col.map(span).sum()
        else:
            def covered(x):
                if x.startswith("{") and x not in covers[q]:
                    return len(x[1:-1].split(", "))  # a released set of values
                return len(covers[q][x])
            total += col.map(lambda x: cat_loss(q, covered(x))).sum()
    return total / (len(df) * len(QI))


def anonypy_rows(k, l):
    df = data.copy()
    df["age"] = df["age"].astype(int)
    for q in QI:
        if q != "age":
            df[q] = df[q].astype("category")
    p = anonypy.Preserver(df, QI, SA)
    t = time.perf_counter()
    out = p.anonymize_l_diversity(k, l) if l else p.anonymize_k_anonymity(k)
    secs = time.perf_counter() - t
    rows = []
    for r in out:
        val = lambda x: str(x[0]) if isinstance(x, list) else str(x)
        rows.extend([{c: val(r[c]) for c in QI + [SA]}] * int(r["count"]))
    return pd.DataFrame(rows), secs


def anonypy_ncp(df):
    total = 0.0
    for q in QI:
        col = df[q]
        if q == "age":
            def span(x):
                if "-" in x[1:]:
                    lo, hi = x.split("-", 1)
                    return (float(hi) - float(lo)) / age_range
                return 0.0
            total += col.map(span).sum()
        else:
            total += col.map(lambda x: cat_loss(q, len(x.split(",")))).sum()
    return total / (len(df) * len(QI))


def check(df, k, l):
    ok_k = pycanon.anonymity.k_anonymity(df, QI) >= k
    ok_l = l is None or pycanon.anonymity.l_diversity(df, QI, [SA]) >= l
    return ok_k and ok_l


print("| model | Veil NCP | Veil rows | Veil s (whole command s) | pyCANON Veil | anonypy NCP | anonypy rows | anonypy s | pyCANON anonypy | time ratio |")
print("|---|---|---|---|---|---|---|---|---|---|")
for k, l in [(5, None), (10, None), (5, 2)]:
    with tempfile.TemporaryDirectory() as d:
        o = f"{d}/out.csv"
        args = [VEIL, "anonymize", "--config", CFG, "--algorithm", "mondrian",
                "--k", str(k), "--output", o, "--json"]
        if l:
            args += ["--l", str(l)]
        t = time.perf_counter()
        r = json.loads(subprocess.run(args, check=True, capture_output=True).stdout)
        wall = time.perf_counter() - t
        vdf = pd.read_csv(o, dtype=str, keep_default_na=False)
    vn = veil_ncp(vdf)
    adf, asecs = anonypy_rows(k, l)
    an = anonypy_ncp(adf)
    m = f"k={k}" + (f", distinct l={l} (occupation)" if l else "")
    print(f"| {m} | {vn:.4f} | {len(vdf)} | {r['search_seconds']:.3f} ({wall:.2f}) | "
          f"{'pass' if check(vdf, k, l) else 'FAIL'} | {an:.4f} | {len(adf)} | {asecs:.2f} | "
          f"{'pass' if check(adf, k, l) else 'FAIL'} | {asecs / wall:.1f}x |", flush=True)
