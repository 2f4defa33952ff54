#!/usr/bin/env bash
# Instructions per Session::analyze() call, counted by callgrind, for each
# kind of traffic in bench/instructions.cpp. Unlike timings, the counts do not
# depend on what else the machine is doing. Needs valgrind and build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${COAPJWS_BUILD_DIR:-build}/bench/coapjws_instructions
[ -x "$bin" ] || { echo "instructions: build $bin first (scripts/build.sh)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for kind in unsigned signed_no_keys hs256_keys; do
  for reports in fresh reused; do
    valgrind --tool=callgrind --toggle-collect='measured_loop*' \
      --callgrind-out-file="$out/cg" "$bin" "$kind" "$reports" >/dev/null 2>&1
    total=$(callgrind_annotate "$out/cg" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    echo "$kind, $reports reports: $((total / 100000)) instructions per message"
  done
done
