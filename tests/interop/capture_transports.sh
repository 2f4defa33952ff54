#!/usr/bin/env bash
# Records the real-traffic captures of CoAP over TCP and over DTLS for
# pcaps/ (their manifests are written by hand from the intent below; see
# pcaps/README.md):
#
#   libcoap-tcp.pcap                 coap-server-notls; three coap-client-notls
#                                    runs over coap+tcp:// with the JWS option
#                                    (client-hs256) under the elective number
#                                    65020: seq 0, the same signed request
#                                    again on a new connection (a replay), seq 1.
#                                    The server ignores the option: 2.05 without
#                                    JWS (unprotected-response).
#   libcoap-tcp-option-rejected.pcap the critical default 65021 over coap+tcp://:
#                                    4.02 echoing the option (option-rejected).
#   libcoap-dtls-psk.pcap            coap-server-gnutls / coap-client-gnutls over
#                                    coaps:// with the test PSK below, 65020,
#                                    seq 0 then seq 1 (two DTLS sessions).
#   libcoap-tls-psk.pcap             the same over coaps+tcp:// (CoAP over TLS,
#                                    RFC 8323), seq 0 then seq 1.
#
# DTLS: libcoap's OpenSSL build offers no cipher choice and OpenSSL 3.0 picks
# TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, whose ECDHE secret a PSK alone
# cannot recover, so Wireshark cannot decrypt it. The GnuTLS build honours
# GnuTLS's system priority file: disabling the ECDHE-PSK and DHE-PSK key
# exchanges leaves plain PSK (TLS_PSK_WITH_AES_256_GCM_SHA384), which
# `tshark -o dtls.psk:<hex>` (TLS: `-o tls.psk:<hex>`) decrypts.
#
# The PSK is a published TEST secret, the ASCII text "coapjws-test-psk"
# (hex 636f61706a77732d746573742d70736b), identity "coapjws-client".
#
# Needs root (tcpdump on lo), libcoap3-bin, and ports 5683/5684 free.
# usage: capture_transports.sh --gen build/tools/coapjws-gen --keys pcaps/keys.jwks --out DIR
set -euo pipefail

gen= keys= out=
while [ $# -gt 0 ]; do
  case "$1" in
    --gen) gen=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "capture_transports: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$gen" ] && [ -n "$keys" ] && [ -n "$out" ] || { echo "capture_transports: --gen, --keys and --out are required" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "capture_transports: tcpdump on lo needs root" >&2; exit 2; }
for tool in coap-server-notls coap-client-notls coap-server-gnutls coap-client-gnutls tcpdump; do
  command -v "$tool" >/dev/null || { echo "capture_transports: $tool not found" >&2; exit 2; }
done

psk_text=coapjws-test-psk
identity=coapjws-client
tmp=$(mktemp -d "${TMPDIR:-/tmp}/coapjws-transports.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

sign() {  # sign SEQ
  "$gen" sign --keys "$keys" --key client-hs256 --seq "$1" --uri "coap://127.0.0.1/time?ticks" --print hex
}

start_server() {  # start_server PROGRAM ARGS...
  "$@" -A 127.0.0.1 -p 5683 -v 0 >"$tmp/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  sleep 0.5
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

. "$(dirname "${BASH_SOURCE[0]}")/tcpdump_capture.sh"

uri="coap+tcp://127.0.0.1/time?ticks"
jws0=$(sign 0)
jws1=$(sign 1)

# CoAP over TCP, elective number: valid, replayed on a new connection, seq 1.
start_server coap-server-notls
start_capture tcp "tcp port 5683"
coap-client-notls -B 5 -O "65020,0x$jws0" "$uri" >/dev/null
sleep 0.2
coap-client-notls -B 5 -O "65020,0x$jws0" "$uri" >/dev/null
sleep 0.2
coap-client-notls -B 5 -O "65020,0x$jws1" "$uri" >/dev/null
stop_capture
stop_server

# CoAP over TCP, the critical default number: 4.02 echoing the option.
start_server coap-server-notls
start_capture tcp-critical "tcp port 5683"
coap-client-notls -B 5 -O "65021,0x$jws0" "$uri" >/dev/null || true
stop_capture
stop_server

# Two signed GETs (seq 0, then 1), each in its own PSK session, captured as
# $1 with filter $2 from scheme $3.
psk_exchange() {
  start_server coap-server-gnutls -k "$psk_text"
  start_capture "$1" "$2"
  coap-client-gnutls -B 5 -k "$psk_text" -u "$identity" -O "65020,0x$jws0" "$3://127.0.0.1/time?ticks" >/dev/null
  sleep 0.2
  coap-client-gnutls -B 5 -k "$psk_text" -u "$identity" -O "65020,0x$jws1" "$3://127.0.0.1/time?ticks" >/dev/null
  stop_capture
  stop_server
}

# CoAP over DTLS with plain PSK key exchange (see above).
printf '[overrides]\ntls-disabled-kx = ECDHE-PSK\ntls-disabled-kx = DHE-PSK\n' >"$tmp/gnutls.cfg"
export GNUTLS_SYSTEM_PRIORITY_FILE="$tmp/gnutls.cfg"
psk_exchange dtls "udp port 5684" coaps

# CoAP over TLS, the same plain PSK key exchange.
psk_exchange tls "tcp port 5684" coaps+tcp

cp "$tmp/tcp.pcap" "$out/libcoap-tcp.pcap"
cp "$tmp/tcp-critical.pcap" "$out/libcoap-tcp-option-rejected.pcap"
cp "$tmp/dtls.pcap" "$out/libcoap-dtls-psk.pcap"
cp "$tmp/tls.pcap" "$out/libcoap-tls-psk.pcap"
echo "capture_transports: wrote libcoap-tcp.pcap, libcoap-tcp-option-rejected.pcap, libcoap-dtls-psk.pcap and libcoap-tls-psk.pcap to $out"
