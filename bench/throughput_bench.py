"""Scan throughput, one core, side by side: Veil (every recognizer, and
--no-names) and presidio-rs on the same corpus in one run.

The corpus is Presidio's synth_dataset_v2 texts repeated to ~10 MB, one JSONL
record each (~86 bytes a record: the dense, per-record-cost-bound case).
Veil's CPU time is its whole process (start-up included) on 10 MB, best of five; its
steady-state rate is the difference between 20 MB and 10 MB runs (start-up
cancels). presidio-rs is timed in-process on the same texts (its import and
set-up excluded, best of three), as it has no command line.

Veil's engine is also timed that way, in the same run
(crates/veil-detect/benches/engine_throughput.rs, which the shell script
runs first): `Analyzer::analyze_batch` on one worker thread over the same
texts, in-process, set-up excluded, warm (criterion's median) — no file
reading, JSON parsing or output. Both ways are reported.

    bash bench/throughput_bench.sh
"""
import json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from presidio_bench import OUT, VEIL, child_cpu, cpu as self_cpu  # noqa: E402


def veil_cpu(path, extra, runs=5):
    """Best of `runs` (this machine is shared: the minimum is the least disturbed)."""
    best = None
    for _ in range(runs):
        t0 = child_cpu()
        subprocess.run([VEIL, "scan", "--threads", "1", *extra, "--format", "jsonl",
                        "--output", os.path.join(OUT, "tp.jsonl"), path],
                       check=True, stderr=subprocess.DEVNULL)
        dt = child_cpu() - t0
        best = dt if best is None else min(best, dt)
    return best


def engine_rates():
    """Veil's engine (criterion, run by throughput_bench.sh): MB per second
    of one thread, in-process, warm, per configuration."""
    rates = {}
    for label, key in [("veil", "every_recognizer"), ("veil --no-names", "no_names")]:
        d = os.path.join("target", "criterion", "engine", key, "new")
        bench = json.load(open(os.path.join(d, "benchmark.json")))
        est = json.load(open(os.path.join(d, "estimates.json")))
        rates[label] = bench["throughput"]["BytesDecimal"] / est["median"]["point_estimate"] * 1e3
    return rates


def main():
    os.makedirs(OUT, exist_ok=True)
    texts = [r["full_text"] for r in json.load(open(sys.argv[1]))]
    corpus, n = [], 0
    while n < 10_000_000:
        for t in texts:
            corpus.append(t)
            n += len(t.encode())
    p10 = os.path.join(OUT, "throughput10.jsonl")
    p20 = os.path.join(OUT, "throughput20.jsonl")
    with open(p10, "w") as f:
        for i, t in enumerate(corpus):
            f.write(json.dumps({"id": i, "text": t}) + "\n")
    with open(p20, "w") as f:
        for i, t in enumerate(corpus + corpus):
            f.write(json.dumps({"id": i, "text": t}) + "\n")
    mb = n / 1e6
    rows = {}
    for label, extra in [("veil", []), ("veil --no-names", ["--no-names"])]:
        c10 = veil_cpu(p10, extra)
        c20 = veil_cpu(p20, extra)
        rows[label] = (mb / c10, mb / max(c20 - c10, 1e-9), c10)
    import presidio_rs
    prs = presidio_rs.Analyzer()
    best = None
    for _ in range(3):
        t0 = self_cpu()
        for t in corpus:
            prs.analyze(t)
        dt = self_cpu() - t0
        best = dt if best is None else min(best, dt)
    rs = mb / best
    engine = engine_rates()
    print(f"Corpus: {mb:.1f} MB, {len(corpus):,} records (synth_dataset_v2 texts repeated)\n")
    print("| tool | MB per CPU-second (whole process, 10 MB) | steady state (20 MB - 10 MB) | engine in-process, warm (as presidio-rs is timed) | ÷ presidio-rs (whole / steady / engine) |")
    print("|---|---:|---:|---:|---:|")
    for label, (whole, steady, c10) in rows.items():
        e = engine[label]
        print(f"| {label} | {whole:.2f} ({c10:.2f} s) | {steady:.2f} | {e:.2f} | {whole / rs:.1f}× / {steady / rs:.1f}× / {e / rs:.1f}× |")
    print(f"| presidio-rs 0.1.11 (in-process, regex only) | — | — | {rs:.2f} ({best:.2f} s) | 1 |")
    json.dump({"mb": mb, "veil": rows, "veil_engine_mb_s": engine, "presidio_rs_mb_s": rs},
              open(os.path.join(OUT, "throughput.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
