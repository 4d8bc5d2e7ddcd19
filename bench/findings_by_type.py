#!/usr/bin/env python3
"""Counts `veil scan --format jsonl --show-values` findings read on stdin:
one line with the total and the count per entity type (after LABEL, when
one is given), then the eight most frequent values of each TYPE named.

    veil scan … | python3 bench/findings_by_type.py [--label LABEL] TYPE…

Used by real_code_findings.sh and real_text_findings.sh."""
import argparse
import json
import sys
from collections import Counter


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", default="")
    ap.add_argument("types", nargs="+")
    args = ap.parse_args()
    types, values = Counter(), {}
    for line in sys.stdin:
        for f in json.loads(line)["findings"]:
            types[f["entity_type"]] += 1
            values.setdefault(f["entity_type"], Counter())[f["value"]] += 1
    head = f"{args.label}: " if args.label else ""
    print(f"{head}findings {sum(types.values())}: {dict(types.most_common())}")
    for t in args.types:
        print(f"  {t} most frequent: {values.get(t, Counter()).most_common(8)}")


if __name__ == "__main__":
    main()
