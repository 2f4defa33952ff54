#!/usr/bin/env bash
# Fresh Debian 12 to results: installs dependencies, builds, and runs the
# main job — coapjws-scan on the bundled captures in pcaps/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir=${COAPJWS_BUILD_DIR:-build}
scan="$build_dir/analyzer/coapjws-scan"

shopt -s nullglob
captures=(pcaps/*.pcap pcaps/*.pcapng)
keys=(pcaps/*.jwks)
if [ ${#captures[@]} -eq 0 ]; then
  # No bundled captures yet: the analyzer's own sample conversation.
  sample_dir="$build_dir/sample"
  mkdir -p "$sample_dir"
  "$build_dir/tests/analyzer/analyzer_sample" "$sample_dir"
  captures=("$sample_dir/sample.pcapng")
  keys=("$sample_dir/sample.jwks")
fi

key_args=()
for k in "${keys[@]}"; do key_args+=(--keys "$k"); done

echo "+ coapjws-scan ${key_args[*]} ${captures[*]}"
status=0
"$scan" "${key_args[@]}" "${captures[@]}" || status=$?
case $status in
  0) echo "coapjws-scan: exit 0 (no finding at error level)" ;;
  1) echo "coapjws-scan: exit 1 (findings at error level, see above)" ;;
  3) # pcaps/ holds CoAP over DTLS and TLS, which the scanner counts but
     # cannot decrypt (the plugin can, with the PSK): that is the 3.
     echo "coapjws-scan: exit 3 (a capture with nothing the scanner could analyse, see \"not analysed\" above; findings as listed)" ;;
  *) echo "coapjws-scan: exit $status (usage or input error)"; exit "$status" ;;
esac
