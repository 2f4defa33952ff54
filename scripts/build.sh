#!/usr/bin/env bash
# Configures (once) and builds coapjws in build/ (or $COAPJWS_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${COAPJWS_BUILD_DIR:-build}
generator=()
command -v ninja >/dev/null && [ ! -f "$build_dir/CMakeCache.txt" ] && generator=(-G Ninja)
# The benchmarks are off by default in CMake; the test suite runs their smoke tests.
cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCOAPJWS_BUILD_BENCH=ON "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
