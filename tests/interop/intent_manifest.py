#!/usr/bin/env python3
"""Writes the manifest of an interop capture from what the test did (its
intent), in the format of pcaps/*.expected.json. Plain tshark (no plugin)
only says which frame is which message; every verdict comes from the intent:

  critical: two client runs sent GET with the same JWS option (client-hs256,
            seq 0) under the critical number 65021. The first request is
            valid; the second is a replay of the first. libcoap answers each
            with 4.02 echoing the option: option-rejected, status none.
  elective: two runs with seq 0 and 1 under the elective number 65020: both
            requests valid; libcoap answers 2.05 without JWS:
            unprotected-response.

usage: intent_manifest.py --capture X.pcap --keys KEYS --port N --option N
                          --scenario critical|elective > X.expected.json
"""
import argparse
import json
import os
import subprocess
import sys


def frames(capture, port):
    result = subprocess.run(
        ["tshark", "-n", "-r", capture, "-d", "udp.port==%d,coap" % port,
         "-T", "fields", "-E", "separator=|",
         "-e", "frame.number", "-e", "udp.srcport", "-e", "udp.dstport",
         "-e", "coap.code", "-e", "coap.token"],
        capture_output=True, text=True, check=True)
    rows = []
    for line in result.stdout.splitlines():
        number, src, dst, code, token = line.split("|")
        rows.append({"frame": int(number), "src": int(src), "dst": int(dst),
                     "code": int(code) if code else None, "token": token})
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--capture", required=True)
    p.add_argument("--keys", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--option", type=int, required=True)
    p.add_argument("--scenario", choices=["critical", "elective"], required=True)
    a = p.parse_args()

    rows = frames(a.capture, a.port)
    requests = [r for r in rows if r["dst"] == a.port and r["code"] == 1]
    responses = [r for r in rows if r["src"] == a.port and r["code"] is not None and r["code"] >= 64]
    others = [r for r in rows if r not in requests and r not in responses]
    problems = []
    if len(requests) != 2:
        problems.append("expected 2 GET requests, found %d" % len(requests))
    for r in others:
        if r["code"] != 0:
            problems.append("unexpected frame %d (code %s)" % (r["frame"], r["code"]))
    if problems:
        for problem in problems:
            print("intent_manifest: " + problem, file=sys.stderr)
        return 1

    expected = []
    for i, r in enumerate(requests):
        seq = 0 if a.scenario == "critical" else i
        e = {"frame": r["frame"], "label": "request-%d" % (i + 1), "from": "client",
             "to": "server", "kind": "request", "tid": "client-hs256:%d" % seq,
             "signature": "valid", "findings": []}
        if a.scenario == "critical" and i == 1:
            e["findings"] = ["replay"]
            e["related"] = {"replay": requests[0]["frame"]}
        expected.append(e)
    for r in responses:
        request = next((q for q in requests if q["src"] == r["dst"] and q["token"] == r["token"]), None)
        e = {"frame": r["frame"], "from": "server", "to": "client", "kind": "response",
             "tid": None, "signature": "none",
             "findings": ["option-rejected" if a.scenario == "critical" else "unprotected-response"]}
        if request:
            e["request"] = request["frame"]
        expected.append(e)
    for r in others:  # empty messages: no verdict
        expected.append({"frame": r["frame"], "from": "?", "to": "?", "kind": "empty", "tid": None,
                         "signature": "none", "findings": []})
    expected.sort(key=lambda e: e["frame"])

    manifest = {
        "capture": os.path.basename(a.capture),
        "description": "libcoap interop (%s), written from the test's intent" % a.scenario,
        "source": "tests/interop/intent_manifest.py",
        "deterministic": False,
        "link": "ethernet",
        "analysis": {"option": a.option, "window": 32, "signed_options": "default", "ports": [a.port]},
        "keys": os.path.abspath(a.keys),
        "frame_count": len(rows),
        "frames": expected,
    }
    json.dump(manifest, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
