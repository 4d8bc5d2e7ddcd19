"""Adult k-anonymisation: Veil's optimal full-domain search vs anjana
(PyPI; greedy full-domain generalisation over the same hierarchies), each
output verified by pyCANON, information loss computed with one definition for
both (NCP as Veil reports it: numeric = span of merged values / range,
categorical = (values merged - 1) / (distinct - 1), a suppressed row costs 1
per cell), same suppression limit (1%).

usage: anonymize_bench.py VEIL_BINARY
"""
import json, subprocess, sys, tempfile, time, tomllib, math, contextlib, io
import pandas as pd
import pycanon
from anjana.anonymity import k_anonymity, l_diversity

VEIL = sys.argv[1]
CFG = "examples/adult/anonymize.toml"
cfg = tomllib.load(open(CFG, "rb"))
cols = cfg["source"]["columns"]
A = cfg["anonymize"]
QI, SA = A["quasi_identifiers"], A["sensitive"]
LIMIT = A["suppression_limit"]

rows = []
for line in open("examples/adult/adult.data"):
    if line.strip() and not line.startswith("|"):
        rows.append([c.strip() for c in line.split(",")])
data = pd.DataFrame(rows, columns=cols)
data = data.drop(columns=A.get("drop", []))


def num(x):
    return str(int(x)) if float(x).is_integer() else str(x)


# hierarchy tables (value -> label per level), exactly Veil's labels
tables = {}
for q in QI:
    h = cfg["hierarchy"][q]
    vals = sorted(data[q].unique())
    levels = [vals]
    if h["kind"] == "interval":
        for w in h["widths"]:
            o = h.get("origin", 0)
            levels.append([f"[{num(o + math.floor((float(v) - o) / w) * w)}, {num(o + math.floor((float(v) - o) / w) * w + w)})" for v in vals])
    elif h["kind"] == "tree":
        depth = len(next(iter(h["values"].values())))
        for d in range(depth):
            lv = [h["values"][v][d] for v in vals]
            if all(x == "*" for x in lv):
                break
            levels.append(lv)
    levels.append(["*"] * len(vals))
    tables[q] = levels
numeric = {q: cfg["hierarchy"][q]["kind"] in ("interval", "breakpoints") for q in QI}


def level_of(q, series):
    present = set(series.unique())
    for i, lv in enumerate(tables[q]):
        if present <= set(lv):
            return i
    raise ValueError(q)


def ncp(levels, kept, n):
    total = 0.0
    for q in QI:
        t = tables[q]
        orig, lab = t[0], t[levels[q]]
        groups = {}
        for o, g in zip(orig, lab):
            groups.setdefault(g, []).append(o)
        if numeric[q]:
            xs = [float(v) for v in orig]
            rng = max(xs) - min(xs)
            loss = {g: (max(map(float, m)) - min(map(float, m))) / rng for g, m in groups.items()}
        else:
            loss = {g: (len(m) - 1) / (len(orig) - 1) for g, m in groups.items()}
        per_value = {o: loss[g] for o, g in zip(orig, lab)}
        total += sum(per_value[v] for v in kept[q]) + (n - len(kept))
    return total / (n * len(QI))


def check(df, k, l):
    ok_k = pycanon.anonymity.k_anonymity(df, QI) >= k
    ok_l = l is None or pycanon.anonymity.l_diversity(df, QI, [SA]) >= l
    return ok_k and ok_l


out = []
n = len(data)
for k, l in [(2, None), (5, None), (10, None), (5, 2)]:
    with tempfile.TemporaryDirectory() as d:
        o = f"{d}/out.csv"
        args = [VEIL, "anonymize", "--config", CFG, "--k", str(k), "--output", o, "--json"]
        if l:
            args += ["--l", str(l)]
        t = time.perf_counter()
        r = json.loads(subprocess.run(args, check=True, capture_output=True).stdout)
        veil_wall = time.perf_counter() - t
        vdf = pd.read_csv(o, dtype=str, keep_default_na=False)
    veil_ok = check(vdf, k, l)
    # anjana on the same hierarchies
    hier = {q: {i: pd.Series(lv) for i, lv in enumerate(tables[q])} for q in QI}
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        if l:
            adf = l_diversity(data.copy(), [], QI, SA, k, l, LIMIT * 100, hier)
        else:
            adf = k_anonymity(data.copy(), [], QI, k, LIMIT * 100, hier)
    anj_wall = time.perf_counter() - t
    if len(adf):
        alev = {q: level_of(q, adf[q]) for q in QI}
        # map kept rows back to original values: anjana keeps the row index
        idx = adf["index"] if "index" in adf.columns else adf.index
        kept = {q: data[q].values[list(idx)] for q in QI}
        anj_ncp = ncp(alev, pd.DataFrame(kept), n)
        anj_ok = check(adf, k, l)
        anj_supp = n - len(adf)
    else:
        anj_ncp, anj_ok, anj_supp = float("nan"), False, n
    out.append((k, l, r["loss"]["ncp"], r["rows_suppressed"], r["search_seconds"], veil_wall, veil_ok,
                anj_ncp, anj_supp, anj_wall, anj_ok))

print("| model | Veil NCP | Veil suppressed | Veil search s (whole command s) | pyCANON check Veil | anjana NCP | anjana suppressed | anjana s | pyCANON check anjana | time ratio |")
print("|---|---|---|---|---|---|---|---|---|---|")
for k, l, vn, vs, vsec, vwall, vok, an, asup, awall, aok in out:
    m = f"k={k}" + (f", distinct l={l} (occupation)" if l else "")
    print(f"| {m} | {vn:.4f} | {vs} | {vsec:.3f} ({vwall:.2f}) | {'pass' if vok else 'FAIL'} | {an:.4f} | {asup} | {awall:.2f} | {'pass' if aok else 'FAIL'} | {awall / vwall:.1f}x |")
