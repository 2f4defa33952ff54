#!/usr/bin/env python3
"""Checks the byte-level fields (coapjws.header, coapjws.signature,
coapjws.signed_content, coapjws.option_number) of basic.pcap against values
recomputed here from the capture generator's own building blocks: the JOSE
header as written, the signed content of spec §3 and HMAC-SHA256 (RFC 2104)
over the signing input of spec §4. None of it comes from the engine.

The same values must be the plugin's data sources (tabs in Wireshark's
bytes pane: "Decoded JOSE header", "Decoded JWS signature", "Signed
content", as tshark -V -x prints them), each header member must point at
its value's bytes there (the PDML `value` of coapjws.alg is the hex of
"HS256" with its quotes), and each signed item at its TLV item.

Usage: check_values.py --runner run_tshark.sh --captures tests/plugin
"""

import argparse
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def check_highlight(args, mc):
    """The option value is highlighted where it is: in frame 1, after the
    Ethernet, IPv4 and UDP headers (42 bytes), the CoAP header and 1-byte
    token (5), Uri-Path "temp" (1 + 4) and the JWS option's own header (1
    byte, 2 bytes of extended delta 65021 - 11, 1 byte of extended length):
    offset 56. The same in one pass and in two (where CoAP's items are not
    in the tree and the plugin uses the offsets stored on the first pass)."""
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


SOURCES = ("Decoded JOSE header", "Decoded JWS signature", "Signed content")


def data_sources(text):
    """name -> bytes of each data source tshark -x printed (one frame)."""
    sources, current = {}, None
    for line in text.splitlines():
        title = re.match(r"^(.+) \(\d+ bytes\):$", line)
        if title:
            current = bytearray()
            sources[title.group(1)] = current
            continue
        row = re.match(r"^[0-9a-f]{4}  ((?:[0-9a-f]{2} ){1,16})", line)
        if row and current is not None:
            current.extend(bytes.fromhex(row.group(1).replace(" ", "")))
        elif not row:
            current = None
    return {name: bytes(b) for name, b in sources.items()}


def check_sources(args, keys, number, header, signature, content, items):
    """Frame `number`'s data sources and where its items point in them."""
    base = [args.runner, "-r", os.path.join(args.captures, "basic.pcap"), "-n",
            "-o", "coapjws.keys_file:" + keys, "-Y", f"frame.number == {number}"]
    failures = []
    out = subprocess.run(base + ["-V", "-x"], capture_output=True, text=True)
    sources = data_sources(out.stdout)
    for name, want in zip(SOURCES, (header, signature, content)):
        if sources.get(name) != want:
            failures.append(f"frame {number}: data source {name!r} is {sources.get(name)!r}, "
                            f"expected {want!r}")
    pdml = subprocess.run(base + ["-T", "pdml"], capture_output=True, text=True)
    fields = {}
    for field in ET.fromstring(pdml.stdout).iter("field"):
        fields.setdefault(field.get("name"), []).append(field)
    # Each member points at its value token in the decoded header.
    tokens = {"coapjws.alg": b'"HS256"', "coapjws.kid": json.dumps(
        json.loads(header)["kid"]).encode()}
    if "seq" in json.loads(header):
        tokens["coapjws.seq"] = str(json.loads(header)["seq"]).encode()
    for name, token in tokens.items():
        found = fields.get(name, [])
        member = b'"' + name.split(".")[1].encode() + b'":'
        at = header.find(member) + len(member)  # the generator writes no spaces
        got = [(f.get("value"), f.get("pos"), f.get("size")) for f in found]
        if got != [(token.hex(), str(at), str(len(token)))]:
            failures.append(f"frame {number}: {name} at {got}, expected {token!r} at {at}")
    # Each signed item covers its TLV item, in order.
    got = [(int(f.get("pos")), int(f.get("size")), f.get("value"))
           for f in fields.get("coapjws.signed.item", [])]
    want = [(offset, length, content[offset:offset + length].hex()) for offset, length in items]
    if got != want:
        failures.append(f"frame {number}: signed items {got}, expected {want}")
    return failures


def check_header_json(args, keys):
    """The header_json preference: Wireshark's JSON view of frame 1's header
    is in the -V tree by default and with TRUE, and gone with FALSE, where
    the plugin's own header fields stay (-V and -T fields). The view is looked
    for in -V only: with tshark 4.4 and 4.6 it never appears under -T fields
    (the plugin adds it only to a tree marked visible), whatever the
    preference says."""
    failures = []
    for setting, want_json in ((None, True), ("TRUE", True), ("FALSE", False)):
        pref = [] if setting is None else ["-o", "coapjws.header_json:" + setting]
        base = [args.runner, "-r", os.path.join(args.captures, "basic.pcap"), "-n",
                "-o", "coapjws.keys_file:" + keys, *pref]
        fields = ["-T", "fields", "-e", "coapjws.alg", "-e", "coapjws.kid", "-e", "coapjws.seq"]
        mine = subprocess.run(base + ["-Y", "frame.number == 1"] + fields,
                              capture_output=True, text=True)
        want = "HS256\tclient-1\t0"
        got_mine = mine.stdout.rstrip("\n")
        if mine.returncode != 0 or got_mine != want:
            failures.append(f"header_json {setting}: -T fields gave {got_mine!r} (exit "
                            f"{mine.returncode}: {mine.stderr.strip()}), expected {want!r}")
        verbose = subprocess.run(base + ["-Y", "frame.number == 1", "-V"],
                                 capture_output=True, text=True).stdout
        shown = "Object" in verbose and "Member: alg" in verbose
        if shown != want_json or "Algorithm: HS256" not in verbose:
            failures.append(f"header_json {setting}: -V shows the JSON view: {shown}, "
                            f"expected {want_json}, with the plugin's own alg item")
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
        # The items of frame 2's content as the hand-written layout has them.
        failures += check_sources(args, keys, 2, header_text(h2).encode(),
                                  expected["2"][1], c2, [(0, 6), (6, 7), (13, 9), (22, 17)])
        failures += check_sources(args, keys, 1, header_text(h1).encode(),
                                  expected["1"][1], c1, [(0, 6), (6, 11)])
        failures += check_header_json(args, keys)
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
