#!/usr/bin/env bash
# Builds the engine and its tests with AddressSanitizer + UndefinedBehaviorSanitizer
# into build-asan/ (or $COAPJWS_ASAN_BUILD_DIR) and runs the whole ctest suite there.
# Any sanitizer report fails the run: UBSan is built with -fno-sanitize-recover,
# and ASan/LSan abort on their first error.
# Extra arguments go to ctest (e.g. `scripts/sanitize.sh -L core`).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${COAPJWS_ASAN_BUILD_DIR:-build-asan}
generator=()
command -v ninja >/dev/null && [ ! -f "$build_dir/CMakeCache.txt" ] && generator=(-G Ninja)
# The front ends are built when their sources exist; the benchmarks are not
# (they measure speed, which a sanitizer build cannot tell).
# -O1 -g without NDEBUG: assertions (Result::value() on an error, LruMap
# preconditions) are checked too.
cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCOAPJWS_SANITIZE=ON -DCOAPJWS_BUILD_BENCH=OFF >/dev/null
jobs=${COAPJWS_JOBS:-$(nproc)}
cmake --build "$build_dir" -j "$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
start=$(date +%s)
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" "$@"
echo "sanitize: ctest took $(( $(date +%s) - start )) s"
