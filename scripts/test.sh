#!/usr/bin/env bash
# Builds coapjws and runs the whole test suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir "${COAPJWS_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
