#!/usr/bin/env python3
"""Writes the manifest of a capture made by capture_transports.sh from what
the script did (its intent), in the format of pcaps/*.expected.json. Plain
tshark (no plugin; the test PSK for TLS and DTLS) only says which frame is
which message; every verdict comes from the intent:

  tcp:          three GETs under 65020 signed by client-hs256 with seq 0, 0
                again (a replay of the first, on a new connection), 1; each
                answered 2.05 without JWS (unprotected-response); CSMs.
  tcp-critical: one GET under 65021 (seq 0), answered 4.02 echoing the option
                (option-rejected); CSMs and an empty message.
  tls, dtls:    two GETs under 65020 (seq 0, 1), each answered 2.05 without
                JWS (unprotected-response); CSMs over TLS.

usage: transport_manifest.py --capture X.pcap --scenario tcp|tcp-critical|tls|dtls > X.expected.json
"""
import argparse
import json
import os
import subprocess
import sys

PSK = "636f61706a77732d746573742d70736b"  # "coapjws-test-psk", a published test secret
SCENARIOS = {
    # scenario: (transport, option, server port, seqs of the GETs, response finding)
    "tcp": ("tcp", 65020, 5683, [0, 0, 1], "unprotected-response"),
    "tcp-critical": ("tcp", 65021, 5683, [0], "option-rejected"),
    "tls": ("tls", 65020, 5684, [0, 1], "unprotected-response"),
    "dtls": ("dtls", 65020, 5684, [0, 1], "unprotected-response"),
}


def coap_frames(capture, transport):
    layer = "udp" if transport == "dtls" else "tcp"
    command = ["tshark", "-n", "-r", capture, "-o", "%s.psk:%s" % (transport, PSK)] \
        if transport in ("tls", "dtls") else ["tshark", "-n", "-r", capture]
    command += ["-T", "fields", "-E", "separator=|", "-e", "frame.number",
                "-e", layer + ".srcport", "-e", layer + ".dstport",
                "-e", "coap.code", "-e", "coap.token"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    rows = []
    for line in result.stdout.splitlines():
        number, src, dst, code, token = line.split("|")
        rows.append({"frame": int(number), "src": int(src or 0), "dst": int(dst or 0),
                     "code": int(code) if code else None, "token": token})
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--capture", required=True)
    p.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    a = p.parse_args()
    transport, option, port, seqs, answer = SCENARIOS[a.scenario]

    rows = coap_frames(a.capture, transport)
    coap = [r for r in rows if r["code"] is not None]
    requests = [r for r in coap if r["dst"] == port and r["code"] == 1]
    if len(requests) != len(seqs):
        print("transport_manifest: expected %d GET requests, found %d" % (len(seqs), len(requests)),
              file=sys.stderr)
        return 1
    frames = []
    for i, r in enumerate(requests):
        e = {"frame": r["frame"], "kind": "request", "tid": "client-hs256:%d" % seqs[i],
             "signature": "valid", "findings": []}
        first = next(q for j, q in enumerate(requests) if seqs[j] == seqs[i])
        if first is not r:
            e["findings"] = ["replay"]
            e["related"] = {"replay": first["frame"]}
        frames.append(e)
    for r in coap:
        if r in requests:
            continue
        if r["code"] == 0:
            frames.append({"frame": r["frame"], "kind": "empty", "tid": None, "signature": "none",
                           "findings": []})
        elif r["code"] >> 5 == 7:
            frames.append({"frame": r["frame"], "kind": "signalling", "tid": None,
                           "signature": "none", "findings": []})
        elif r["src"] == port and r["code"] >= 64:
            request = next(q for q in requests if q["src"] == r["dst"] and q["token"] == r["token"])
            e = {"frame": r["frame"], "kind": "response", "tid": None, "signature": "none",
                 "findings": [answer], "request": request["frame"]}
            if answer == "option-rejected":
                e["related"] = {answer: request["frame"]}
            frames.append(e)
        else:
            print("transport_manifest: unexpected frame %d (code %s)" % (r["frame"], r["code"]),
                  file=sys.stderr)
            return 1
    frames.sort(key=lambda e: e["frame"])
    manifest = {
        "capture": os.path.basename(a.capture),
        "description": "libcoap over %s (%s), written from the test's intent" % (transport, a.scenario),
        "source": "tests/interop/transport_manifest.py",
        "deterministic": False,
        "link": "ethernet",
        "transport": transport,
        "analysis": {"option": option, "window": 32, "signed_options": "default", "ports": [5683]},
        "keys": "keys.jwks",
        "frame_count": len(rows),
        "frames": frames,
    }
    if transport in ("tls", "dtls"):
        manifest[transport + "_psk"] = PSK
    json.dump(manifest, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
