#!/usr/bin/env python3
"""CoAP over plain TCP put together by the plugin from several segments: the
"Reassembled CoAP over TCP" data source and the JWS option's place in it are
the same whether tshark shows the first pass (one pass) or a later one (-2),
where the streams are not fed again and the plugin rebuilds the data source
from the bytes the first pass kept.

For each capture: tshark -P -x (one pass) and tshark -2 -P -x must show the
same reassembled data sources, byte for byte, on the same frames, and at
least one; and their PDML the same coapjws.option items (the JWS option
value, shown only where its bytes are known), each covering the option's
bytes (highlighted).

The plugin's settings come from each capture's manifest
(pcaps/*.expected.json), as in check_with_tshark.py.

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  check_reassembled.py tests/tshark/run_tshark.sh MANIFEST...
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps"))
from check_with_tshark import plugin_options  # noqa: E402

SOURCE = "Reassembled CoAP over TCP"
SUMMARY = re.compile(r"^\s*(\d+)\s+-?\d+\.\d+\s")
HEX = re.compile(r"^[0-9a-f]{4,}  ((?:[0-9a-f]{2} ?)+)")


def tshark(runner, args):
    result = subprocess.run([runner, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("tshark %s: %s" % (" ".join(args), result.stderr.strip()))
    return result.stdout


def reassembled_sources(text):
    """frame number -> [bytes of each reassembled data source]"""
    sources, frame, current = {}, None, None
    for line in text.splitlines():
        match = SUMMARY.match(line)
        if match and not HEX.match(line):
            frame, current = int(match.group(1)), None
            continue
        if line.startswith(SOURCE + " ("):
            current = bytearray()
            sources.setdefault(frame, []).append(current)
            continue
        hex_line = HEX.match(line)
        if hex_line and current is not None:
            current.extend(bytes.fromhex(hex_line.group(1).replace(" ", "")))
        elif not hex_line:
            current = None
    return {frame: [bytes(b) for b in blocks] for frame, blocks in sources.items()}


def option_items(pdml):
    """frame number -> [(size, value) of each coapjws.option item]"""
    items = {}
    for packet in ET.fromstring(pdml).iter("packet"):
        number = None
        for field in packet.iter("field"):
            if field.get("name") == "frame.number":
                number = int(field.get("show"))
            elif field.get("name") == "coapjws.option":
                items.setdefault(number, []).append((int(field.get("size")), field.get("show")))
    return items


def check(runner, path, keys_dir):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    folder = os.path.dirname(os.path.abspath(path))
    capture = os.path.join(folder, manifest["capture"])
    options = ["-r", capture, *plugin_options(manifest, folder, keys_dir)]
    one_pass = reassembled_sources(tshark(runner, [*options, "-P", "-x"]))
    two_pass = reassembled_sources(tshark(runner, [*options, "-2", "-P", "-x"]))
    errors = []
    if not one_pass:
        errors.append("no %s data source on the first pass" % SOURCE)
    for frame in sorted(set(one_pass) | set(two_pass)):
        if one_pass.get(frame) != two_pass.get(frame):
            errors.append("frame %s: %d reassembled source(s) on the first pass, %d on a later "
                          "one, or other bytes" % (frame, len(one_pass.get(frame, [])),
                                                   len(two_pass.get(frame, []))))
    first = option_items(tshark(runner, [*options, "-T", "pdml"]))
    later = option_items(tshark(runner, [*options, "-2", "-T", "pdml"]))
    for frame in sorted(set(first) | set(later)):
        if first.get(frame) != later.get(frame):
            errors.append("frame %s: JWS option items %s on the first pass, %s on a later one"
                          % (frame, first.get(frame), later.get(frame)))
        for size, value in later.get(frame, []):
            if size != len(value.encode()):
                errors.append("frame %s: the JWS option item does not cover its bytes" % frame)
    return errors, sum(len(blocks) for blocks in one_pass.values())


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    runner = sys.argv[1]
    failed = False
    keys_dir = tempfile.mkdtemp(prefix="coapjws-keys.")
    os.chmod(keys_dir, 0o755)  # the unprivileged tshark reads the keys here
    try:
        for path in sys.argv[2:]:
            errors, count = check(runner, path, keys_dir)
            for error in errors:
                print("FAIL %s: %s" % (os.path.basename(path), error))
            failed = failed or bool(errors)
            if not errors:
                print("ok   %s: %d reassembled messages, the same on a later pass"
                      % (os.path.basename(path), count))
    finally:
        shutil.rmtree(keys_dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
