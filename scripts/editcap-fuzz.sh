#!/usr/bin/env bash
# Capture fuzzing as Wireshark's own fuzz test does it: `editcap -E` mutates
# random packet bytes of every capture in pcaps/ (or of the files given), and
# each mutated copy goes through tshark with the coapjws plugin and through
# coapjws-scan, both from the ASan + UBSan build (build-asan/, as
# scripts/sanitize.sh makes it; built here when missing). Any signal, abort,
# sanitizer report, hang, dissector bug in CoAP-JWS, unexpected exit status or
# non-JSON output fails the run; the inputs are kept under
# $out/failures/<iteration>-<capture>-E<prob>-seed<seed>/.
#
#   scripts/editcap-fuzz.sh                          # 120 s, a fresh seed
#   EDITCAP_FUZZ_SECONDS=600 EDITCAP_FUZZ_SEED=42 scripts/editcap-fuzz.sh
#   EDITCAP_FUZZ_SEED=42 EDITCAP_FUZZ_ONLY=17 scripts/editcap-fuzz.sh   # replay one
#
# Environment:
#   EDITCAP_FUZZ_SECONDS     time budget (default 120; 0 = none)
#   EDITCAP_FUZZ_ITERATIONS  iteration budget (default 0 = none)
#   EDITCAP_FUZZ_SEED        base seed (default: from the clock, printed)
#   EDITCAP_FUZZ_FIRST       first iteration (default 0), to continue a run
#   EDITCAP_FUZZ_ONLY        replay just this iteration
#   EDITCAP_FUZZ_PROBS       editcap -E probabilities, comma-separated
#                            (default 0.02,0.005,0.05,0.1)
#   EDITCAP_FUZZ_JOBS        iterations at once (default: COAPJWS_JOBS or nproc)
#   EDITCAP_FUZZ_OUT         failures and summary.json (default $build_dir/editcap-fuzz)
#   COAPJWS_ASAN_BUILD_DIR   sanitizer build (default build-asan)
#   EDITCAP_FUZZ_REBUILD=0   use the binaries there as they are (default: bring
#                            coapjws-scan and the plugin up to date first)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${COAPJWS_ASAN_BUILD_DIR:-build-asan}
scan=$build_dir/analyzer/coapjws-scan
plugin=$build_dir/plugin/coapjws.so

command -v editcap >/dev/null || { echo "editcap-fuzz: editcap not found (apt-get install tshark)" >&2; exit 2; }
command -v tshark >/dev/null || { echo "editcap-fuzz: tshark not found" >&2; exit 2; }

if [ ! -x "$scan" ] || [ ! -f "$plugin" ] || [ "${EDITCAP_FUZZ_REBUILD:-1}" = 1 ]; then
  generator=()
  command -v ninja >/dev/null && [ ! -f "$build_dir/CMakeCache.txt" ] && generator=(-G Ninja)
  # Same configuration as scripts/sanitize.sh, so the two share one build.
  cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DCOAPJWS_SANITIZE=ON -DCOAPJWS_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build_dir" -j "${COAPJWS_JOBS:-$(nproc)}" --target coapjws-scan coapjws_plugin
fi
grep -q '^COAPJWS_SANITIZE:BOOL=ON' "$build_dir/CMakeCache.txt" ||
  { echo "editcap-fuzz: $build_dir is not a sanitizer build" >&2; exit 2; }

# tshark is not built with the sanitizers: the plugin needs their runtimes
# loaded first (the compiler's own copies, as tests/tshark/CMakeLists.txt does).
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
preload=()
for runtime in libasan.so libubsan.so libclang_rt.asan-x86_64.so; do
  path=$("$compiler" -print-file-name="$runtime")
  case $path in /*) [ -e "$path" ] && preload+=("$path") ;; esac
done
[ ${#preload[@]} -gt 0 ] || { echo "editcap-fuzz: no sanitizer runtime to preload into tshark" >&2; exit 2; }

captures=("$@")
if [ ${#captures[@]} -eq 0 ]; then
  shopt -s nullglob
  captures=(pcaps/*.pcap pcaps/*.pcapng)
  shopt -u nullglob
fi
[ ${#captures[@]} -gt 0 ] || { echo "editcap-fuzz: no captures" >&2; exit 2; }

seed=${EDITCAP_FUZZ_SEED:-$(( $(date +%s) % 1000000 * 1000 ))}
out=${EDITCAP_FUZZ_OUT:-$build_dir/editcap-fuzz}
echo "editcap-fuzz: seed $seed (replay with EDITCAP_FUZZ_SEED=$seed), ${#captures[@]} captures," \
  "budget ${EDITCAP_FUZZ_SECONDS:-120} s / ${EDITCAP_FUZZ_ITERATIONS:-0} iterations"
only=()
[ -n "${EDITCAP_FUZZ_ONLY:-}" ] && only=(--only "$EDITCAP_FUZZ_ONLY")
exec python3 scripts/editcap_fuzz.py --scan "$scan" --plugin "$plugin" --keys pcaps/keys.jwks \
  --out "$out" --seed "$seed" --seconds "${EDITCAP_FUZZ_SECONDS:-120}" \
  --iterations "${EDITCAP_FUZZ_ITERATIONS:-0}" --first "${EDITCAP_FUZZ_FIRST:-0}" "${only[@]}" \
  --jobs "${EDITCAP_FUZZ_JOBS:-${COAPJWS_JOBS:-$(nproc)}}" \
  --probabilities "${EDITCAP_FUZZ_PROBS:-0.02,0.005,0.05,0.1}" --preload "${preload[*]}" \
  "${captures[@]}"
