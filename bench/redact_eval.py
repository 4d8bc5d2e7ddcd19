"""Redaction bars: share of labelled PII values that survive `veil redact`
with the default policy, and share of the text that is not PII left
unchanged. Data: the support-email example (examples/support, labels from
its generator) and Presidio's labelled synthetic sets (../shared/datasets/pii).

survive: the labelled value still appears verbatim in the redacted text.
unchanged: the non-PII segments between labelled spans, searched in order in
the redacted text; characters of the segments found / all non-PII characters.

usage: redact_eval.py VEIL_BINARY
"""
import csv, json, subprocess, sys, tempfile, collections, os

VEIL = sys.argv[1]
csv.field_size_limit(1 << 30)


def measure(pairs):
    """pairs: (original text, redacted text, [(start, end, type)])"""
    total = survived = 0
    by_type = collections.defaultdict(lambda: [0, 0])
    keep_total = keep_found = 0
    for orig, red, spans in pairs:
        for s, e, t in spans:
            v = orig[s:e]
            hit = v.strip() != "" and v in red
            total += 1
            survived += hit
            by_type[t][0] += 1
            by_type[t][1] += hit
        cuts = sorted((s, e) for s, e, _ in spans)
        segs, at = [], 0
        for s, e in cuts:
            if s > at:
                segs.append(orig[at:s])
            at = max(at, e)
        segs.append(orig[at:])
        pos = 0
        for seg in segs:
            keep_total += len(seg)
            i = red.find(seg, pos)
            if i >= 0:
                keep_found += len(seg)
                pos = i + len(seg)
    return total, survived, by_type, keep_total, keep_found


def run(args):
    subprocess.run([VEIL, "redact", *args], check=True, capture_output=True)


def report(name, cmd, res):
    total, survived, by_type, kt, kf = res
    print(f"### {name}\n")
    print(f"`{cmd}`\n")
    print(f"- labelled PII values: {total:,}; surviving redaction: {survived:,} ({100 * survived / max(total, 1):.2f}%)")
    print(f"- non-PII text unchanged: {100 * kf / max(kt, 1):.2f}% of {kt:,} characters\n")
    print("| entity type (labels) | values | survived | share |")
    print("|---|---|---|---|")
    for t, (n, s) in sorted(by_type.items(), key=lambda x: -x[1][0]):
        print(f"| {t} | {n} | {s} | {100 * s / n:.1f}% |")
    print(flush=True)


with tempfile.TemporaryDirectory() as d:
    # 1. support emails (CSV): the body column, plus the name and e-mail columns
    out = f"{d}/emails.csv"
    run(["examples/support/emails.csv", "--output", out])
    labels = [json.loads(l) for l in open("examples/support/emails.labels.jsonl")]
    orig = list(csv.DictReader(open("examples/support/emails.csv", newline="")))
    red = {r["ticket_id"]: r for r in csv.DictReader(open(out, newline=""))}
    pairs = []
    for o, l in zip(orig, labels):
        r = red.get(o["ticket_id"])
        if r is None:
            continue  # quarantined: nothing of it is in the output
        pairs.append((o["body"], r["body"], [(s["start"], s["end"], s["entity"]) for s in l["spans"]]))
        for col, t in [("customer_name", "PERSON (column)"), ("customer_email", "EMAIL_ADDRESS (column)")]:
            pairs.append((o[col], r.get(col, ""), [(0, len(o[col]), t)]))
    report("Support e-mails (examples/support/emails.csv, 10,000 tickets)",
           "veil redact examples/support/emails.csv --output OUT.csv", measure(pairs))

    # 2. Presidio's labelled sets (JSONL contract)
    for f in ["synth_dataset_v2.json", "generated_large.json"]:
        data = json.load(open(os.path.join("..", "shared", "datasets", "pii", f)))
        src = f"{d}/{f}.jsonl"
        with open(src, "w") as w:
            for i, r in enumerate(data):
                w.write(json.dumps({"id": i, "text": r["full_text"]}) + "\n")
        dst = f"{d}/{f}.out.jsonl"
        run([src, "--output", dst])
        outs = {}
        for line in open(dst):
            j = json.loads(line)
            outs[j["id"]] = j["text"]
        pairs = []
        for i, r in enumerate(data):
            if i in outs:
                pairs.append((r["full_text"], outs[i],
                              [(s["start_position"], s["end_position"], s["entity_type"]) for s in r["spans"]]))
        report(f"Presidio {f} ({len(data):,} records)",
               f"veil redact {f}.jsonl --output OUT.jsonl", measure(pairs))
