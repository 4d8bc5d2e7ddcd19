"""Adult logistic regression at (epsilon=1, delta=1e-5): Veil vs Opacus,
diffprivlib and scikit-learn on the same encoding (examples/adult/schema.toml:
104 features, numerics scaled to [0,1] with public bounds, log1p capital
columns, one-hot over adult.names categories, '?' all-zero) and the same
hyperparameters as examples/adult/dp-logreg.toml.

usage: learn_bench.py VEIL_BINARY RUNS
"""
import json, subprocess, sys, time, tomllib
import numpy as np

VEIL, RUNS = sys.argv[1], int(sys.argv[2])
ROOT = "examples/adult"
sch = tomllib.load(open(f"{ROOT}/schema.toml", "rb"))
cfg = tomllib.load(open(f"{ROOT}/dp-logreg.toml", "rb"))
cols = sch["source"]["columns"]


def load(path):
    X, y = [], []
    for line in open(path):
        if not line.strip() or line.startswith("|"):
            continue
        d = dict(zip(cols, (c.strip() for c in line.split(","))))
        row = []
        for f in sch["feature"]:
            v = d[f["column"]]
            if f["kind"] == "numeric":
                lo, hi = f["min"], f["max"]
                x = min(max(float(v), lo), hi)
                if f.get("transform") == "log1p":
                    x, lo, hi = np.log1p(x), np.log1p(lo), np.log1p(hi)
                row.append((x - lo) / (hi - lo))
            else:
                row += [1.0 if v == c else 0.0 for c in f["categories"]]
        X.append(row)
        y.append(1 if d["income"].rstrip(".") == ">50K" else 0)
    return np.array(X), np.array(y)


X, y = load(f"{ROOT}/adult.data")
Xt, yt = load(f"{ROOT}/adult.test")
T = cfg["training"]
P = cfg["privacy"]
EPS, DELTA, EPOCHS, BATCH, LR, CLIP = P["epsilon"], P["delta"], T["epochs"], T["batch_size"], T["learning_rate"], P["clip_norm"]
rows = []


def summary(name, accs, secs, note=""):
    a = np.array(accs)
    rows.append((name, a.mean(), a.std(ddof=1) if len(a) > 1 else 0.0, np.mean(secs), note))


# scikit-learn, non-private
from sklearn.linear_model import LogisticRegression

t = time.perf_counter()
m = LogisticRegression(max_iter=2000).fit(X, y)
summary("scikit-learn LogisticRegression (non-private)", [m.score(Xt, yt)], [time.perf_counter() - t], "lbfgs, deterministic")

# diffprivlib: pure epsilon-DP (delta = 0) objective perturbation
import warnings
from diffprivlib.models import LogisticRegression as DPLR

data_norm = float(np.sqrt(5 + 8))  # 5 numerics in [0,1] + 8 one-hot blocks: public bound on a row's norm
accs, secs = [], []
for s in range(RUNS):
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = DPLR(epsilon=EPS, data_norm=data_norm, random_state=s, max_iter=1000).fit(X, y)
    secs.append(time.perf_counter() - t)
    accs.append(m.score(Xt, yt))
summary(f"diffprivlib 0.6.6 LogisticRegression (eps={EPS}, delta=0)", accs, secs, f"data_norm={data_norm:.3f}")

# Opacus DP-SGD, same model / epochs / expected batch / lr / clip, PRV accountant
import torch
from opacus import PrivacyEngine

torch.set_num_threads(2)
Xtr, ytr = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
Xte = torch.tensor(Xt, dtype=torch.float32)
accs, secs, cal_secs, sigmas = [], [], [], []
for s in range(RUNS):
    torch.manual_seed(s)
    model = torch.nn.Linear(X.shape[1], 1)
    torch.nn.init.zeros_(model.weight); torch.nn.init.zeros_(model.bias)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=BATCH)
    t = time.perf_counter()
    engine = PrivacyEngine(accountant="prv")
    model, opt, loader = engine.make_private_with_epsilon(
        module=model, optimizer=opt, data_loader=loader, target_epsilon=EPS, target_delta=DELTA,
        epochs=EPOCHS, max_grad_norm=CLIP, poisson_sampling=True)
    cal_secs.append(time.perf_counter() - t)
    sigmas.append(opt.noise_multiplier)
    lossf = torch.nn.BCEWithLogitsLoss()
    t = time.perf_counter()
    for _ in range(EPOCHS):
        for xb, yb in loader:
            if len(xb) == 0:
                continue
            opt.zero_grad()
            lossf(model(xb).squeeze(1), yb).backward()
            opt.step()
    secs.append(time.perf_counter() - t)
    with torch.no_grad():
        accs.append(float(((model(Xte).squeeze(1) > 0).numpy() == yt).mean()))
summary(f"Opacus 1.6.0 DP-SGD (eps={EPS}, delta={DELTA}, PRV)", accs, secs,
        f"sigma={np.mean(sigmas):.4f}; calibration {np.mean(cal_secs):.2f} s per run, not in time")
opacus_train = np.mean(secs)
opacus_total = np.mean(np.array(secs) + np.array(cal_secs))

# Veil: logistic at eps=1, at eps=0.5, MLP at eps=1
veil = {}
for name, args in [
    ("logreg", ["--config", f"{ROOT}/dp-logreg.toml"]),
    ("logreg_half", ["--config", f"{ROOT}/dp-logreg.toml", "--epsilon", str(EPS / 2)]),
    ("mlp", ["--config", f"{ROOT}/dp-mlp.toml"]),
]:
    t = time.perf_counter()
    out = subprocess.run([VEIL, "train", "--json", "--runs", str(RUNS)] + args, check=True, capture_output=True).stdout
    wall = time.perf_counter() - t
    v = json.loads(out)
    v["wall"] = wall
    veil[name] = v
    rows.append((f"Veil `veil train` {name} (eps={v['epsilon']:.4f}, delta={v['delta']}, {v['accountant'].upper()})",
                 v["test_accuracy"], v["test_accuracy_sd"], v["train_seconds_per_run"],
                 f"sigma={v['noise_multiplier']:.4f}; calibration {v['calibration_seconds']:.2f} s once; whole command {wall:.2f} s for {RUNS} runs"))

print(f"# Adult DP logistic regression ({RUNS} seeds, {EPOCHS} epochs, expected batch {BATCH}, lr {LR}, clip {CLIP})\n")
print("| tool | test accuracy (mean ± sd) | train seconds per run | notes |")
print("|---|---|---|---|")
for name, m, sd, sec, note in rows:
    print(f"| {name} | {m:.4f} ± {sd:.4f} | {sec:.3f} | {note} |")
v = veil["logreg"]
print()
print(f"Speed, same model/data/epochs/batch: Opacus training loop {opacus_train:.2f} s vs Veil {v['train_seconds_per_run']:.3f} s "
      f"= {opacus_train / v['train_seconds_per_run']:.1f}x; including noise calibration: Opacus {opacus_total:.2f} s vs Veil "
      f"{v['train_seconds_per_run'] + v['calibration_seconds']:.3f} s = {opacus_total / (v['train_seconds_per_run'] + v['calibration_seconds']):.1f}x.")
print(f"Accuracy: Veil logreg - Opacus = {v['test_accuracy'] - rows[2][1]:+.4f}; MLP - logreg = {veil['mlp']['test_accuracy'] - v['test_accuracy']:+.4f}; "
      f"Veil at eps={EPS/2}: {veil['logreg_half']['test_accuracy']:.4f}.")
