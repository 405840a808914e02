#!/usr/bin/env bash
# Smoke test of an installed unspun (a wheel, non-editable), run from outside the checkout:
# the installed copy must be the one imported, analyse the example article, import fact-checks and
# search them with the shipped reranker.   Usage: scripts/smoke_installed.sh VENV
set -euo pipefail
venv="$1"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export UNSPUN_STORE="$work/factchecks.db"
"$venv/bin/python" - <<'PY'
import unspun
assert "site-packages" in unspun.__file__, f"imported {unspun.__file__}, not the installed copy"
from unspun.factcheck.matching import load_weights
assert load_weights().get("coef"), "the shipped reranker did not load"
PY
"$venv/bin/unspun" --version
"$venv/bin/unspun" analyze "$repo/examples/ministry-claims.txt" -f json -o report.json
"$venv/bin/python" -c "import json; r = json.load(open('report.json')); assert r['techniques'] and r['claims'] and r['entities'], sorted(r)"
"$venv/bin/unspun" factcheck import -f claimreview "$repo/tests/fixtures/factcheck/claimreview_array.json" || [ $? -eq 1 ]
"$venv/bin/unspun" factcheck search "vaccines" -k 2 | tee search.txt
grep -q . search.txt
"$venv/bin/unspun" analyze "$repo/examples/ministry-claims.txt" -f json -o with-store.json
"$venv/bin/python" -c "import json; r = json.load(open('with-store.json')); assert r['factchecks']['records'] >= 1, r.get('skipped')"
echo "smoke test of the installed unspun: ok"
