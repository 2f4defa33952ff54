#!/usr/bin/env python3
"""Checks the byte-level fields (coapjws.header, coapjws.signature,
coapjws.signed_content, coapjws.option_number) of basic.pcap against values
recomputed here from the capture generator's own building blocks: the JOSE
header as written, the signed content of spec §3 and HMAC-SHA256 (RFC 2104)
over the signing input of spec §4. None of it comes from the engine.

Usage: check_values.py --runner run_tshark.sh --captures tests/plugin
"""

import argparse
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile


def check_highlight(args, mc):
    """The option value is highlighted where it is: in frame 1, after the
    Ethernet, IPv4 and UDP headers (42 bytes), the CoAP header and 1-byte
    token (5), Uri-Path "temp" (1 + 4) and the JWS option's own header (1
    byte, 2 bytes of extended delta 65021 - 11, 1 byte of extended length):
    offset 56. The same in one pass and in two (where CoAP's items are not
    in the tree and the plugin uses the offsets stored on the first pass)."""
    import xml.etree.ElementTree as ET
    frame1 = mc.request(0x1001, b"\xa1", {"alg": "HS256", "kid": "client-1", "seq": 0},
                        mc.SECRETS["client-1"])
    value = dict(mc.parse_options(frame1))[mc.JWS_OPTION]
    failures = []
    for passes in ([], ["-2"]):
        out = subprocess.run(
            [args.runner, "-r", os.path.join(args.captures, "basic.pcap"), "-n", *passes,
             "-Y", "frame.number == 1", "-T", "pdml"], capture_output=True, text=True)
        found = False
        for field in ET.fromstring(out.stdout).iter("field"):
            if field.get("name") == "coapjws.option":
                found = True
                got = (field.get("pos"), field.get("size"), field.get("show"))
                want = ("56", str(len(value)), value.decode())
                if got != want:
                    failures.append(f"coapjws.option {' '.join(passes)}: {got}, expected {want}")
        if not found:
            failures.append(f"no coapjws.option in frame 1 {' '.join(passes)}")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runner", required=True)
    parser.add_argument("--captures", required=True, help="folder of make_captures.py")
    args = parser.parse_args()
    sys.path.insert(0, args.captures)
    import make_captures as mc  # noqa: E402

    def header_text(header):
        return json.dumps(header, separators=(",", ":"))

    def hs256(kid, header, content):
        signing_input = (mc.b64u(header_text(header).encode()) + "." + mc.b64u(content)).encode()
        return hmac.new(mc.SECRETS[kid], signing_input, hashlib.sha256).digest()

    expected = {}
    h1 = {"alg": "HS256", "kid": "client-1", "seq": 0}
    c1 = mc.signed_content(mc.GET, [(mc.URI_PATH, b"temp")], b"")
    expected["1"] = (h1, hs256("client-1", h1, c1), c1)
    h2 = {"alg": "HS256", "kid": "server-1"}
    c2 = mc.signed_content(mc.CONTENT, [(mc.CONTENT_FORMAT, b"")], b"21.5",
                           request_tid=(0, "client-1"))
    expected["2"] = (h2, hs256("server-1", h2, c2), c2)
    h26 = {"alg": "HS256", "kid": "server-1", "seq": 0, "isi": "10"}
    c26 = mc.signed_content(mc.CONTENT, [], b"19.0")
    expected["26"] = (h26, hs256("server-1", h26, c26), c26)

    # Spell out the TLV items of frame 2 once by hand, so the generator's
    # signed_content() is itself checked against spec §3.
    by_hand = bytes.fromhex(
        "01 00000001 45"                        # CODE 2.05
        "02 00000002 000c"                      # OPTION 12 (Content-Format), empty value
        "03 00000004 32312e35"                  # PAYLOAD "21.5"
        "04 0000000c 00000000 636c69656e742d31"  # REQUEST-TID seq 0, "client-1"
        .replace(" ", ""))
    failures = []
    if by_hand != c2:
        failures.append(f"generator's signed content {c2.hex()} != hand-written {by_hand.hex()}")

    with tempfile.TemporaryDirectory(prefix="coapjws-keys.") as tmp:
        os.chmod(tmp, 0o755)
        keys = os.path.join(tmp, "keys.jwks")
        shutil.copy(os.path.join(args.captures, "keys", "keys.jwks"), keys)
        os.chmod(keys, 0o644)
        out = subprocess.run(
            [args.runner, "-r", os.path.join(args.captures, "basic.pcap"), "-n",
             "-o", "coapjws.keys_file:" + keys, "-Y", "frame.number == 1 || frame.number == 2 || frame.number == 26",
             "-T", "fields", "-E", "occurrence=f", "-e", "frame.number", "-e", "coapjws.header",
             "-e", "coapjws.signature", "-e", "coapjws.signed_content",
             "-e", "coapjws.option_number", "-e", "coapjws.signature.status"],
            capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr)
        return 1
    seen = set()
    for line in out.stdout.splitlines():
        number, header, signature, content, option_number, status = line.split("\t")
        seen.add(number)
        want_header, want_signature, want_content = expected[number]
        checks = [
            ("coapjws.header", header, header_text(want_header)),
            ("coapjws.signature", signature.replace(":", ""), want_signature.hex()),
            ("coapjws.signed_content", content.replace(":", ""), want_content.hex()),
            ("coapjws.option_number", option_number, "65021"),
            ("coapjws.signature.status", status, "valid"),
        ]
        for name, got, want in checks:
            if got != want:
                failures.append(f"frame {number}: {name} = {got!r}, expected {want!r}")
    if seen != set(expected):
        failures.append(f"frames shown: {sorted(seen)}, expected {sorted(expected)}")
    failures += check_highlight(args, mc)
    for failure in failures:
        print("FAIL " + failure)
    if not failures:
        print(f"ok   header, signature and signed content of frames {sorted(expected)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
