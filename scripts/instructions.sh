#!/usr/bin/env bash
# Instructions per Session::analyze() call, counted by callgrind, for each
# kind of traffic in bench/instructions.cpp. Unlike timings, the counts do not
# depend on what else the machine is doing. Needs valgrind and a build with
# the benchmarks (-DCOAPJWS_BUILD_BENCH=ON, as scripts/build.sh configures).
#
#   scripts/instructions.sh [BUILD_DIR...]
# With several build folders (say, one of main and one of a branch), each
# kind is counted in each, side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=("${COAPJWS_BUILD_DIR:-build}")
for dir in "${dirs[@]}"; do
  [ -x "$dir/bench/coapjws_instructions" ] ||
    { echo "instructions: build $dir/bench/coapjws_instructions first (scripts/build.sh)" >&2; exit 2; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for kind in unsigned signed_no_keys hs256_keys replays; do
  for dir in "${dirs[@]}"; do
    valgrind --tool=callgrind --toggle-collect='measured_loop*' \
      --callgrind-out-file="$out/cg" "$dir/bench/coapjws_instructions" "$kind" >/dev/null 2>&1
    total=$(callgrind_annotate "$out/cg" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    echo "$kind ($dir): $((total / 100000)) instructions per message"
  done
done
