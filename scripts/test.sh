#!/usr/bin/env bash
# Builds coapjws and runs the whole test suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
scripts/check-test-labels.sh "${COAPJWS_BUILD_DIR:-build}"  # every test selectable by label
ctest --test-dir "${COAPJWS_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
