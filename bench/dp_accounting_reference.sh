#!/usr/bin/env bash
# Regenerates the accountant reference fixture with Google's dp-accounting.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x bench/.venv-dp/bin/python ]; then
  python3 -m venv bench/.venv-dp
  bench/.venv-dp/bin/pip install -q dp-accounting==0.6.0 pipeline-dp==0.3.1
fi
bench/.venv-dp/bin/python bench/dp_accounting_reference.py "$@"
