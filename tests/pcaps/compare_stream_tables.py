#!/usr/bin/env python3
"""The per-stream table of coapjws-scan (its JSON `stream` lines) and the
plugin's `tshark -q -z coapjws,streams` (Statistics > CoAP-JWS Streams),
compared row by row on the bundled captures (compressed copies included):
the same (receiver, key id) rows with the same messages, valid, invalid,
unverified, highest seq accepted into the window and finding counts; and
`tshark -z help` lists the statistic.

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  compare_stream_tables.py COAPJWS_SCAN tests/tshark/run_tshark.sh MANIFEST...

Settings come from each manifest, as for compare_scan_tshark.py. Captures
the scanner cannot read by design (DTLS/TLS) are skipped and said so. The
row order is not compared: the scanner sorts its rows, the plugin's table
lists streams as they first appear (the GUI sorts by any column). Exit 0
when the tables agree everywhere and at least one row was compared.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import check_with_tshark

COLUMNS = ["Receiver", "Key ID", "Messages", "Valid", "Invalid", "Unverified", "Highest seq",
           "Findings"]


def display(key_id):
    """The plugin shows control characters of a key id as \\xNN (its
    display_text()); JSON gives them as they are."""
    return "".join("\\x%02x" % ord(c) if ord(c) < 0x20 or ord(c) == 0x7f else c for c in key_id)


def scan_rows(scanner, manifest, folder, capture):
    a = manifest["analysis"]
    command = [scanner, "--format", "json", "--fail-on", "never", "--quiet",
               "--option", str(a["option"]), "--window", str(a["window"])]
    if a.get("signed_options", "default") != "default":
        command += ["--signed-options", a["signed_options"]]
    for port in a["ports"]:
        command += ["--port", str(port)]
    if manifest.get("keys"):
        command += ["--keys", os.path.join(folder, manifest["keys"])]
    command.append(os.path.join(folder, capture))
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode not in (0, 1, 3):
        raise RuntimeError("%s exited with %d: %s" % (" ".join(command), result.returncode,
                                                     result.stderr.strip()))
    rows = []
    for line in result.stdout.splitlines():
        record = json.loads(line)
        if record.get("type") != "stream":
            continue
        if record["overflow"]:
            raise RuntimeError("%s: more streams than --max-streams" % capture)
        rows.append((record["receiver"],
                     display(record["key_id"]) if record["key_id"] is not None else "-",
                     record["messages"], record["valid"], record["invalid"],
                     record["unverified"],
                     str(record["highest_seq"]) if record["highest_seq"] is not None else "-",
                     tuple(sorted(record["findings"].items()))))
    return sorted(rows)


def findings_of(text):
    """ "replay 2, bad-signature 1" -> (("bad-signature", 2), ...) """
    if text == "-":
        return ()
    counts = {}
    for part in text.split(", "):
        name, _, count = part.rpartition(" ")
        counts[name] = int(count)
    return tuple(sorted(counts.items()))


def plugin_rows(runner, manifest, folder, keys_dir, capture):
    args = ["-r", os.path.join(folder, capture),
            *check_with_tshark.plugin_options(manifest, folder, keys_dir),
            "-q", "-z", "coapjws,streams"]
    result = subprocess.run([runner, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("tshark failed (%d): %s" % (result.returncode, result.stderr.strip()))
    lines = result.stdout.splitlines()
    header = " |".join(COLUMNS) + " |"
    if header not in lines:
        raise RuntimeError("%s: no CoAP-JWS Streams table in tshark's output:\n%s"
                           % (capture, result.stdout))
    rows = []
    # The header, the table's title, then one line per row up to the rule.
    for line in lines[lines.index(header) + 2:]:
        if line.startswith("====="):
            break
        cells = line.split(" |")
        if len(cells) != len(COLUMNS) + 1 or cells[-1] != "":
            raise RuntimeError("%s: cannot read the row %r" % (capture, line))
        receiver, key_id, messages, valid, invalid, unverified, seq, findings = cells[:-1]
        rows.append((receiver, key_id, int(messages), int(valid), int(invalid),
                     int(unverified), seq, findings_of(findings)))
    return sorted(rows)


def compare(scanner, runner, path, keys_dir):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("transport", "udp") not in ("udp", "tcp"):
        return [], 0, True
    folder = os.path.dirname(os.path.abspath(path))
    problems, compared = [], 0
    for capture in [manifest["capture"]] + manifest.get("copies", []):
        scan = scan_rows(scanner, manifest, folder, capture)
        plugin = plugin_rows(runner, manifest, folder, keys_dir, capture)
        for row in sorted(set(scan) | set(plugin)):
            if row not in plugin:
                problems.append("%s: scan has %s, the plugin not" % (capture, row))
            elif row not in scan:
                problems.append("%s: the plugin has %s, scan not" % (capture, row))
        compared += len(scan)
    return problems, compared, False


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    scanner, runner = sys.argv[1], sys.argv[2]
    failed, total = False, 0
    # tshark -z help (on standard error) lists the statistic, as Wireshark's own.
    listed = subprocess.run([runner, "-z", "help"], capture_output=True, text=True)
    if "coapjws,streams" not in (listed.stdout + listed.stderr).split():
        print("FAIL tshark -z help does not list coapjws,streams")
        failed = True
    keys_dir = tempfile.mkdtemp(prefix="coapjws-keys.")
    os.chmod(keys_dir, 0o755)
    try:
        for path in sys.argv[3:]:
            problems, compared, skipped = compare(scanner, runner, path, keys_dir)
            for problem in problems:
                print("FAIL " + problem)
            failed = failed or bool(problems)
            total += compared
            name = os.path.basename(path)
            if skipped:
                print("skip %s: encrypted (the scanner does not decrypt)" % name)
            else:
                print("%s %s: %d rows" % ("FAIL" if problems else "ok  ", name, compared))
    finally:
        shutil.rmtree(keys_dir, ignore_errors=True)
    if total == 0:
        print("FAIL no stream row was compared")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
