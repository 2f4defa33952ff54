#!/usr/bin/env bash
# Real libcoap traffic carrying JWS options made by `coapjws-gen sign`:
#
#   1. coap-server-notls on 127.0.0.1; tcpdump captures on lo.
#   2. coap-client-notls sends GET /time?ticks with -O 65021,0x<JWS>. The
#      server does not implement the option, which is critical, so it answers
#      4.02 (Bad Option) and echoes the option: option-rejected (spec §6).
#      A second client run sends the same signed request again from a new
#      port: a replay made by a real stack.
#   3. A second capture uses the elective number 65020 (analysis --option
#      65020): the server ignores the option and answers 2.05 without JWS:
#      unprotected-response.
#   4. Each capture gets a manifest written from that intent (which frames are
#      the requests and responses comes from plain tshark), and is checked with
#      the engine (manifest_check), with coapjws-scan and with tshark + the
#      plugin when those are given.
#
# Skips (exit 77) with a reason when libcoap is not installed or when not
# running as root (tcpdump needs root to capture on lo); with
# COAPJWS_REQUIRE_INTEROP=1 (CI) it fails instead. The server listens on a
# free port the kernel picks, decoded as CoAP by port (-d, --port); only
# --save, which makes the committed captures, uses 5683.
#
# usage: run_interop.sh --gen coapjws-gen --checker manifest_check --keys pcaps/keys.jwks
#                       [--scan-check CMD...] [--plugin-check CMD...] [--save DIR]
#   --scan-check/--plugin-check: a command run with the manifest paths appended
#   --save DIR: keep the captures as DIR/libcoap-*.pcap (for pcaps/)
set -euo pipefail

gen= checker= keys= save=
scan_check=() plugin_check=()
while [ $# -gt 0 ]; do
  case "$1" in
    --gen) gen=$2; shift 2 ;;
    --checker) checker=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --save) save=$2; shift 2 ;;
    --scan-check) IFS=' ' read -r -a scan_check <<< "$2"; shift 2 ;;
    --plugin-check) IFS=' ' read -r -a plugin_check <<< "$2"; shift 2 ;;
    *) echo "run_interop: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$gen" ] && [ -n "$checker" ] && [ -n "$keys" ] || { echo "run_interop: --gen, --checker and --keys are required" >&2; exit 2; }

skip() {
  # CI sets COAPJWS_REQUIRE_INTEROP=1: there, a test that cannot run is a failure.
  if [ "${COAPJWS_REQUIRE_INTEROP:-0}" = 1 ]; then
    echo "FAIL: COAPJWS_REQUIRE_INTEROP=1 but the test cannot run: $*"
    exit 1
  fi
  echo "SKIP: $*"
  exit 77
}
command -v coap-server-notls >/dev/null && command -v coap-client-notls >/dev/null ||
  skip "libcoap is not installed (apt-get install libcoap3-bin); no real-stack interop test"
[ "$(id -u)" -eq 0 ] || skip "capturing on lo with tcpdump needs root; run ctest as root for the interop test"
command -v tcpdump >/dev/null || { echo "run_interop: tcpdump not found (apt-get install tcpdump)" >&2; exit 2; }
command -v tshark >/dev/null || { echo "run_interop: tshark not found (apt-get install tshark)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "run_interop: python3 not found" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
keys=$(cd "$(dirname "$keys")" && pwd)/$(basename "$keys")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/coapjws-interop.XXXXXX")
chmod 755 "$tmp"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${COAPJWS_INTEROP_KEEP:-}" ]; then echo "interop: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# Any free port, so the test runs beside anything on 5683; the captures for
# pcaps/ (--save) are made on 5683, CoAP's own port.
if [ -n "$save" ]; then
  port=$(python3 "$here/udp_port.py" free 5683)
else
  port=$(python3 "$here/udp_port.py" any)
fi
echo "interop: libcoap $(coap-client-notls 2>&1 | sed -n 's/.*\(v[0-9][0-9.]*\).*/\1/p' | head -1), port $port"

start_server() {
  coap-server-notls -A 127.0.0.1 -p "$port" -v 0 >"$tmp/server-$1.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  python3 "$here/udp_port.py" wait-bound "$port" || { cat "$tmp/server-$1.log" >&2; exit 1; }
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

. "$(dirname "${BASH_SOURCE[0]}")/tcpdump_capture.sh"

client() {  # client NUMBER HEX URI
  coap-client-notls -B 5 -O "$1,0x$2" "$3" >"$tmp/client.out" 2>&1 || true
}

uri="coap://127.0.0.1:$port/time?ticks"
sign() {  # sign SEQ
  "$gen" sign --keys "$keys" --key client-hs256 --seq "$1" --uri "coap://127.0.0.1/time?ticks" --print hex
}

# 1. The default, critical option number: 4.02 with the option echoed; then a replay.
start_server critical
start_capture critical "udp port $port"
jws0=$(sign 0)
client 65021 "$jws0" "$uri"
client 65021 "$jws0" "$uri"   # second run, new port: the same signed request again
stop_capture critical
stop_server

# 2. An elective option number: the server ignores it and answers without JWS.
start_server elective
start_capture elective "udp port $port"
client 65020 "$(sign 0)" "$uri"
client 65020 "$(sign 1)" "$uri"
stop_capture elective
stop_server

# Manifests from intent: which frame is which comes from plain tshark.
python3 "$here/intent_manifest.py" --capture "$tmp/critical.pcap" --keys "$keys" --port "$port" \
  --option 65021 --scenario critical >"$tmp/critical.expected.json"
python3 "$here/intent_manifest.py" --capture "$tmp/elective.pcap" --keys "$keys" --port "$port" \
  --option 65020 --scenario elective >"$tmp/elective.expected.json"

status=0
"$checker" "$tmp/critical.expected.json" "$tmp/elective.expected.json" || status=1
if [ ${#scan_check[@]} -gt 0 ]; then
  "${scan_check[@]}" "$tmp/critical.expected.json" "$tmp/elective.expected.json" || status=1
fi
if [ ${#plugin_check[@]} -gt 0 ]; then
  "${plugin_check[@]}" "$tmp/critical.expected.json" "$tmp/elective.expected.json" || status=1
fi

if [ -n "$save" ]; then
  [ "$port" = 5683 ] || { echo "run_interop: --save needs port 5683 (busy here)" >&2; exit 2; }
  cp "$tmp/critical.pcap" "$save/libcoap-option-rejected.pcap"
  cp "$tmp/elective.pcap" "$save/libcoap-elective.pcap"
  echo "interop: saved $save/libcoap-option-rejected.pcap and $save/libcoap-elective.pcap"
fi
exit $status
