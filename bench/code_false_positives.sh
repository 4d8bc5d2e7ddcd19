#!/usr/bin/env bash
# Findings per entity type when a folder of code and configs is scanned as a
# user scans it (every recognizer on, then --no-names): on the generated
# secrets corpus, every planted credential is a secret and nothing else in it
# is personal data (git SHAs, UUIDs, versions, sha512 integrity strings,
# base64 images, random identifiers), so every PII finding is a false one.
#   bash bench/code_false_positives.sh
# (VEIL_BIN=path runs that binary instead of building target/release/veil.)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VEIL_BIN:-target/release/veil}
[ -n "${VEIL_BIN:-}" ] || cargo build --release -q -p veil-cli
[ -d bench/out/secrets_corpus ] || python3 bench/secrets_bench.py > /dev/null
for flags in "" "--no-names"; do
  "$bin" scan --threads 1 --format jsonl $flags bench/out/secrets_corpus 2>/dev/null |
    python3 -c '
import json, sys
from collections import Counter
secret = {"AWS_ACCESS_KEY", "AWS_SECRET_KEY", "GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_TOKEN", "STRIPE_KEY",
          "GOOGLE_API_KEY", "OPENAI_API_KEY", "JWT", "DATABASE_URL", "PRIVATE_KEY", "GENERIC_SECRET"}
c = Counter(f["entity_type"] for line in sys.stdin for f in json.loads(line)["findings"])
pii = {k: v for k, v in c.items() if k not in secret}
label = sys.argv[1] or "(every recognizer)"
print(f"veil scan {label}: secrets {sum(v for k, v in c.items() if k in secret)}, "
      f"personal-data findings {sum(pii.values())} (all false): {dict(sorted(pii.items(), key=lambda kv: -kv[1]))}")
' "$flags"
done
