#!/usr/bin/env bash
# Fails when a test of the configured build has no ctest label, so that
# `ctest -L core|plugin|analyzer|pcaps|interop|tshark|bench|slow` selects every
# test (DEVELOPERS.md lists the labels).
#   scripts/check-test-labels.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-${COAPJWS_BUILD_DIR:-build}}
ctest --test-dir "$build_dir" --show-only=json-v1 | python3 -c '
import json, sys
tests = json.load(sys.stdin)["tests"]
unlabelled = [t["name"] for t in tests
              if not any(p["name"] == "LABELS" and p["value"] for p in t.get("properties", []))]
for name in unlabelled:
    print("unlabelled test: " + name, file=sys.stderr)
print(f"{len(tests)} tests, {len(unlabelled)} without a label", file=sys.stderr)
sys.exit(1 if unlabelled or not tests else 0)
'
