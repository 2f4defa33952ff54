#!/usr/bin/env python3
"""coapjws-scan and tshark with the coapjws plugin, compared with each other
frame by frame on the bundled captures (their compressed copies included):
every message either tool reports, on the same frame, in the same order,
with the same signature status, TID, findings and related frames. The
manifest checks hold each tool to what the scenario's author expects; this
one also covers what a manifest does not list, and needs no manifest's word
for where a message completes (fragments, TCP segments).

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  compare_scan_tshark.py COAPJWS_SCAN tests/tshark/run_tshark.sh MANIFEST...

Settings (keys, option number, window, signed options, ports) come from each
manifest. Captures the scanner cannot read by design (DTLS/TLS: it does not
decrypt) are skipped. Exit 0 when the tools agree everywhere, 1 otherwise.
"""
import json
import os
import shutil
import sys
import tempfile

import check_with_scan
import check_with_tshark


def scan_view(scanner, manifest, folder, capture):
    """frame -> [(status, tid, findings, related)] for the messages the plugin
    would show too (anything to do with JWS), in order."""
    out = {}
    for frame, messages in check_with_scan.scan(scanner, manifest, folder, capture).items():
        for m in messages:
            if m["signature"] == "none" and not m["findings"] and m["tid"] is None:
                continue
            out.setdefault(frame, []).append(
                (m["signature"], m["tid"], sorted(m["findings"]),
                 {f: m["related"].get(f) for f in m["findings"]}))
    return out


def plugin_view(runner, manifest, folder, keys_dir, capture):
    out = {}
    root = check_with_tshark.pdml(runner, manifest, folder, keys_dir, capture)
    for frame, entries in check_with_tshark.shown(root).items():
        for status, tid, _, findings in entries:
            names = sorted(name for name, _ in findings)
            related = dict(findings)
            out.setdefault(frame, []).append(
                (status, tid, names, {name: related.get(name) for name in names}))
    return out


def compare(scanner, runner, path, keys_dir):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("transport", "udp") not in ("udp", "tcp"):
        return []
    folder = os.path.dirname(os.path.abspath(path))
    problems = []
    for capture in [manifest["capture"]] + manifest.get("copies", []):
        scan = scan_view(scanner, manifest, folder, capture)
        plugin = plugin_view(runner, manifest, folder, keys_dir, capture)
        for frame in sorted(set(scan) | set(plugin)):
            a, b = scan.get(frame, []), plugin.get(frame, [])
            if a != b:
                problems.append("%s frame %d:\n  scan   %s\n  plugin %s" % (capture, frame, a, b))
        if not scan:
            problems.append("%s: no message with JWS in it: nothing was compared" % capture)
    return problems


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    scanner, runner = sys.argv[1], sys.argv[2]
    keys_dir = tempfile.mkdtemp(prefix="coapjws-keys.")
    os.chmod(keys_dir, 0o755)
    failed = False
    try:
        for path in sys.argv[3:]:
            problems = compare(scanner, runner, path, keys_dir)
            for problem in problems:
                print("FAIL " + problem)
            failed = failed or bool(problems)
            print(("FAIL " if problems else "ok   ") + os.path.basename(path))
    finally:
        shutil.rmtree(keys_dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
