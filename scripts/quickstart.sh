#!/usr/bin/env bash
# Fresh Debian 12 to results: installs dependencies, builds, and runs the
# main job on the bundled captures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# Until the front ends exist, the main job is the engine's test binary.
build/tests/core_tests --gtest_brief=1
