#!/usr/bin/env bash
# The whole-process benchmark of coapjws-scan against the raw libpcap read
# and tshark (docs/PERFORMANCE.md, "Whole process"). Builds what it needs in
# an optimised build folder, then runs bench/whole_process.py.
#
#   bench/whole_process.sh                    # 1M messages, 3 repeats (long)
#   bench/whole_process.sh --quick            # 100k messages
#   bench/whole_process.sh --messages 2000 --repeat 1 --algs HS256 --no-tshark
#
# Options of its own (the rest go to whole_process.py, see --help there):
#   --build-dir DIR   build folder (default: build/, the project's usual
#                     RelWithDebInfo build; configured so if it does not
#                     exist; refused if it is a Debug or sanitizer build)
#   --no-build        use the build folder as it is
#   --work-dir DIR    captures (cached by parameters), results
#                     (default: $COAPJWS_BENCH_DIR or build-bench/)
# Captures of 1M signed messages take a minute each to make; they are kept in
# the work folder and reused by later runs with the same parameters.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build_dir=$root/build
work_dir=${COAPJWS_BENCH_DIR:-$root/build-bench}
do_build=1
rest=()
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --work-dir) work_dir=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    *) rest+=("$1"); shift ;;
  esac
done

if [ "$do_build" -eq 1 ]; then
  if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOAPJWS_BUILD_BENCH=ON >&2
  fi
  cache=$build_dir/CMakeCache.txt
  if grep -Eq '^CMAKE_BUILD_TYPE:[A-Z]+=(Debug)?$' "$cache" ||
     grep -Eq '^COAPJWS_(SANITIZE|FUZZ):BOOL=ON' "$cache"; then
    echo "whole_process: $build_dir is a Debug or sanitizer build; timing it means nothing" >&2
    exit 2
  fi
  cmake --build "$build_dir" -j2 --target coapjws-scan coapjws_plugin coapjws_bulk_capture \
    coapjws_pcap_read >&2
fi

exec python3 "$here/whole_process.py" --build-dir "$build_dir" --work-dir "$work_dir" "${rest[@]}"
