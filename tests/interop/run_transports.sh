#!/usr/bin/env bash
# Real libcoap traffic over TCP, TLS and DTLS, analysed by the plugin:
# capture_transports.sh records it (JWS options made by `coapjws-gen sign`),
# transport_manifest.py writes each capture's manifest from that intent, and
# check_with_tshark.py holds the plugin to it; check_with_scan.py holds
# coapjws-scan to it over TCP and checks that it reports no message over TLS
# and DTLS, which it does not decrypt.
#
# With COAPJWS_REQUIRE_INTEROP=1 (CI) each of these skips is a failure.
# Skips (exit 77) with a reason when not root, when libcoap's notls or GnuTLS
# tools are missing, or when the CoAP ports 5683/5684 are taken (the
# capture needs the default ports, which Wireshark dissects as CoAP).
#
# usage: run_transports.sh --gen coapjws-gen --keys pcaps/keys.jwks
#                          --plugin-check CMD [--scan-check CMD]
set -euo pipefail

gen= keys=
scan_check=() plugin_check=()
while [ $# -gt 0 ]; do
  case "$1" in
    --gen) gen=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --scan-check) IFS=' ' read -r -a scan_check <<< "$2"; shift 2 ;;
    --plugin-check) IFS=' ' read -r -a plugin_check <<< "$2"; shift 2 ;;
    *) echo "run_transports: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$gen" ] && [ -n "$keys" ] && [ ${#plugin_check[@]} -gt 0 ] ||
  { echo "run_transports: --gen, --keys and --plugin-check are required" >&2; exit 2; }

skip() {
  # CI sets COAPJWS_REQUIRE_INTEROP=1: there, a test that cannot run is a failure.
  if [ "${COAPJWS_REQUIRE_INTEROP:-0}" = 1 ]; then
    echo "FAIL: COAPJWS_REQUIRE_INTEROP=1 but the test cannot run: $*"
    exit 1
  fi
  echo "SKIP: $*"
  exit 77
}
[ "$(id -u)" -eq 0 ] || skip "capturing on lo with tcpdump needs root; run ctest as root for this test"
for tool in coap-server-notls coap-client-notls coap-server-gnutls coap-client-gnutls; do
  command -v "$tool" >/dev/null || skip "$tool not found (apt-get install libcoap3-bin)"
done
python3 - <<'PY' || skip "port 5683 or 5684 (UDP or TCP) on 127.0.0.1 is in use"
import socket, sys
for port in (5683, 5684):
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            sys.exit(1)
        finally:
            s.close()
PY

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/coapjws-transports-test.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

"$here/capture_transports.sh" --gen "$gen" --keys "$keys" --out "$tmp"
cp "$keys" "$tmp/keys.jwks"
manifests=()
for pair in tcp:libcoap-tcp tcp-critical:libcoap-tcp-option-rejected tls:libcoap-tls-psk dtls:libcoap-dtls-psk; do
  name=${pair#*:}
  python3 "$here/transport_manifest.py" --capture "$tmp/$name.pcap" --scenario "${pair%%:*}" \
    >"$tmp/$name.expected.json"
  manifests+=("$tmp/$name.expected.json")
done
chmod -R a+rX "$tmp"

status=0
"${plugin_check[@]}" "${manifests[@]}" || status=1
if [ ${#scan_check[@]} -gt 0 ]; then
  "${scan_check[@]}" "${manifests[@]}" || status=1
fi
exit $status
