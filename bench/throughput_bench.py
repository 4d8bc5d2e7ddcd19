"""Scan throughput, one core, side by side: Veil (every recognizer, and
--no-names) and presidio-rs on the same corpus in one run.

The corpus is Presidio's synth_dataset_v2 texts repeated to ~10 MB, one JSONL
record each (~86 bytes a record: the dense, per-record-cost-bound case).
Veil's CPU time is its whole process (start-up included) on 10 MB, best of five; its
steady-state rate is the difference between 20 MB and 10 MB runs (start-up
cancels). presidio-rs is timed in-process on the same texts (its import and
set-up excluded, best of three), as it has no command line.

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
    print(f"Corpus: {mb:.1f} MB, {len(corpus):,} records (synth_dataset_v2 texts repeated)\n")
    print("| tool | MB per CPU-second (whole process, 10 MB) | steady state (20 MB - 10 MB) | ÷ presidio-rs (whole / steady) |")
    print("|---|---:|---:|---:|")
    for label, (whole, steady, c10) in rows.items():
        print(f"| {label} | {whole:.2f} ({c10:.2f} s) | {steady:.2f} | {whole / rs:.1f}× / {steady / rs:.1f}× |")
    print(f"| presidio-rs 0.1.11 (in-process, regex only) | {rs:.2f} ({best:.2f} s) | — | 1 |")
    json.dump({"mb": mb, "veil": rows, "presidio_rs_mb_s": rs},
              open(os.path.join(OUT, "throughput.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
