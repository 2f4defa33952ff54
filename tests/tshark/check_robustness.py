#!/usr/bin/env python3
"""Bad input is a finding, never a crash: feeds tshark with the plugin a
capture of damaged CoAP messages (random bytes, truncations, bit flips,
random JWS option values and JOSE headers) and requires that tshark finishes,
shows every frame, reports no dissector bug and no exception in CoAP-JWS, and
gives the same output in one pass and in two.

The capture is made here from a fixed seed, with make_captures.py's building
blocks, so a failure can be reproduced.

Usage: check_robustness.py --runner run_tshark.sh --captures tests/plugin [--count N]
"""

import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def damaged_messages(mc, rng, count):
    secret = mc.SECRETS["client-1"]
    valid = [mc.request(0x100 + i, bytes([i]), {"alg": "HS256", "kid": "client-1", "seq": i},
                        secret) for i in range(8)]
    headers = [
        b'{"alg":"HS256","kid":"client-1","seq":-0}', b'{"alg":"HS256","kid":"client-1","seq":1e2}',
        b'{"alg":"HS256","kid":"client-1","seq":"5"}', b'{"alg":"HS256","alg":"none"}',
        b'{"alg":"HS256","kid":"\\u0000","seq":1}', b'[' * 40 + b']' * 40, b'{"alg":',
        b'\xff\xfe\xfd', b'{"alg":"HS256","kid":"k","seq":4294967296}',
        b'{"alg":"ES512","kid":"client-1","seq":3,"crit":[]}', b'{}', b'null',
        b'{"alg":"HS256","x5t#S256":"abc","seq":7,"isi":"99"}',
    ]
    # Well-formed headers, so that damaged signatures reach key lookup and
    # verification with every key type.
    for alg in ("HS256", "HS512", "ES256", "ES512", "EdDSA", "RS256", "PS384"):
        for kid in ("client-1", "ec-1", "server-1"):
            headers.append(json.dumps({"alg": alg, "kid": kid, "seq": 7}).encode())
    out = []
    for i in range(count):
        kind = rng.randrange(6)
        if kind == 0:  # random bytes
            out.append(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 80))))
        elif kind == 1:  # a valid message cut anywhere
            m = rng.choice(valid)
            out.append(m[:rng.randrange(0, len(m))])
        elif kind == 2:  # bit flips
            m = bytearray(rng.choice(valid))
            for _ in range(rng.randrange(1, 4)):
                m[rng.randrange(len(m))] ^= 1 << rng.randrange(8)
            out.append(bytes(m))
        else:  # a well-formed CoAP message with an odd JWS option value
            header = rng.choice(headers)
            size = rng.choice([0, 1, 31, 32, 64, 65, 96, 132, 256, 512])
            parts = [b64u(header), b"", b64u(bytes(rng.randrange(256) for _ in range(size)))]
            if kind == 4:
                parts.insert(rng.randrange(3), b"x")
            value = b".".join(parts)
            if kind == 5:
                value = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
            options = [(mc.URI_PATH, b"temp"), (mc.JWS_OPTION, value)]
            if rng.randrange(4) == 0:
                options.append((mc.JWS_OPTION, value))  # a second JWS option
            code = rng.choice([mc.GET, mc.CONTENT, mc.BAD_OPTION, 0x20, 0])
            out.append(mc.encode_coap(rng.randrange(4), code, rng.randrange(65536),
                                      bytes([rng.randrange(256)]), options,
                                      b"" if rng.randrange(2) else b"payload"))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runner", required=True)
    parser.add_argument("--captures", required=True)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    sys.path.insert(0, args.captures)
    import make_captures as mc  # noqa: E402

    rng = random.Random(args.seed)
    pcap = mc.Pcap()
    for i, coap in enumerate(damaged_messages(mc, rng, args.count)):
        src, dst = (mc.C4, mc.S4) if rng.randrange(2) else (mc.S4, mc.C4)
        sport, dport = (mc.CLIENT_PORT, mc.SERVER_PORT) if src == mc.C4 else \
            (mc.SERVER_PORT, mc.CLIENT_PORT)
        pcap.add(mc.T0 + i, mc.udp4(src, sport, dst, dport, coap))

    failures = []
    with tempfile.TemporaryDirectory(prefix="coapjws-robust.") as tmp:
        os.chmod(tmp, 0o755)
        capture = os.path.join(tmp, "damaged.pcap")
        pcap.write(capture)
        keys = os.path.join(tmp, "keys.jwks")
        shutil.copy(os.path.join(args.captures, "keys", "keys.jwks"), keys)
        for path in (capture, keys):
            os.chmod(path, 0o644)
        base = [args.runner, "-r", capture, "-n", "-o", "coapjws.keys_file:" + keys]
        fields = ["-T", "fields", "-e", "frame.number", "-e", "coapjws.signature.status",
                  "-e", "coapjws.finding", "-e", "coapjws.tid"]
        # The Info column as the packet list shows it (the _ws.col.info field
        # lacks a post-dissector's note from Wireshark 4.2 on).
        summary = ["-T", "tabs", "-o", 'gui.column.format:"No.","%m","Info","%i"']
        outputs = []
        for extra in (fields, ["-2"] + fields, ["-V"], summary, ["-2"] + summary):
            result = subprocess.run(base + extra, capture_output=True, text=True,
                                    errors="replace")
            if result.returncode != 0:
                failures.append(f"tshark {' '.join(extra[:2])} exited {result.returncode}: "
                                f"{result.stderr[-2000:]}")
                continue
            text = result.stdout + result.stderr
            for bad in ("Dissector bug", "Malformed Packet: CoAP-JWS", "coapjws.expert.internal_error",
                        "could not analyse"):
                if bad in text:
                    line = next(l for l in text.splitlines() if bad in l)
                    failures.append(f"tshark {' '.join(extra[:2])}: {line.strip()}")
            outputs.append(result.stdout)
        if len(outputs) == 5:
            if len(outputs[0].splitlines()) != args.count:
                failures.append(f"{len(outputs[0].splitlines())} frames shown, {args.count} sent")
            if outputs[0] != outputs[1]:
                failures.append("one-pass and two-pass fields differ")
            if "CoAP JSON Web Signature" not in outputs[2]:
                failures.append("the plugin showed nothing at all")
            if outputs[3] != outputs[4]:
                failures.append("one-pass and two-pass Info columns differ")
            if "JWS " not in outputs[3]:
                failures.append("no note of the plugin in the Info column")

    for failure in failures:
        print("FAIL " + failure)
    if not failures:
        print(f"ok   {args.count} damaged messages (seed {args.seed}): no crash, no internal "
              f"error, same output in one and two passes")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
