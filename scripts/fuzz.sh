#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan, assertions on) into build-fuzz/ and
# runs each for a bounded time. Seeds: fuzz/corpus/<target>/ (committed) plus,
# when pcaps/ exists, the CoAP payloads of pcaps/*.pcap* (scripts/pcap_seeds.py).
# New corpus entries go to build-fuzz/corpus/<target>/ (never into the repo);
# a crash, leak, timeout or sanitizer report leaves its input in
# build-fuzz/artifacts/<target>/ and makes the script exit non-zero.
#
#   scripts/fuzz.sh                   # every target, 30 s each
#   FUZZ_SECONDS=300 scripts/fuzz.sh session coap
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
build_dir=${COAPJWS_FUZZ_BUILD_DIR:-build-fuzz}
all_targets=(coap jws_option jose_header jwks jwk session tcp_streams ip_reassembly frame_decoder)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

generator=()
command -v ninja >/dev/null && [ ! -f "$build_dir/CMakeCache.txt" ] && generator=(-G Ninja)
CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S . -B "$build_dir" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DCOAPJWS_FUZZ=ON -DCOAPJWS_BUILD_TESTS=OFF \
  -DCOAPJWS_BUILD_BENCH=OFF -DCOAPJWS_BUILD_PLUGIN=OFF -DCOAPJWS_BUILD_ANALYZER=OFF \
  -DCOAPJWS_BUILD_TOOLS=OFF >/dev/null
cmake --build "$build_dir" -j "${COAPJWS_JOBS:-$(nproc)}" --target "${targets[@]/#/fuzz_}"

seed_dir="$build_dir/pcap-seeds"
if compgen -G "pcaps/*.pcap*" >/dev/null; then
  rm -rf "$seed_dir"
  python3 scripts/pcap_seeds.py --out "$seed_dir" pcaps/*.pcap*
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for target in "${targets[@]}"; do
  corpus="$build_dir/corpus/$target"
  artifacts="$build_dir/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  seeds=("fuzz/corpus/$target")
  [ -d "$seed_dir/$target" ] && seeds+=("$seed_dir/$target")
  dict=()
  case $target in jose_header | jwks | jwk) dict=(-dict=fuzz/json.dict) ;; esac
  echo "fuzz: $target for ${seconds}s"
  if ! "$build_dir/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=70000 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
      "$corpus" "${seeds[@]}" >"$build_dir/fuzz_$target.log" 2>&1; then
    failed+=("$target")
    tail -40 "$build_dir/fuzz_$target.log"
  fi
  grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$build_dir/fuzz_$target.log" | tail -2 || true
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $build_dir/artifacts/)"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash, leak or sanitizer report"
