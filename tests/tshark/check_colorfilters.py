#!/usr/bin/env python3
"""The colouring rules users import (plugin/coapjws.colorfilters): Wireshark
must accept the file, and each rule must colour exactly the frames whose
worst finding has its severity.

The file is installed as a profile's colorfilters (what View > Coloring
Rules > Import adds to) in run_tshark.sh's temporary HOME and read by
tshark --color, which uses the GUI's colouring code: it must report no rule
it cannot compile, and its PSML output gives each frame's colours. With only
these rules in the profile, a frame without findings has no colour. Which
frames have which findings comes from tests/plugin/basic.expect.json, the
severities from spec §6 (spelled out below).

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  check_colorfilters.py --runner tests/tshark/run_tshark.sh \\
      --rules plugin/coapjws.colorfilters --expect tests/plugin/basic.expect.json
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SEVERITY = {
    "malformed": "error", "alg-none": "error", "alg-unsupported": "error",
    "crit-unknown": "error", "key-mismatch": "error", "bad-signature": "error",
    "replay": "error", "out-of-window": "error", "seq-exhausted": "error",
    "response-replay": "error", "unknown-key": "warning", "unverifiable": "warning",
    "unprotected-response": "warning", "option-rejected": "warning", "stripped": "warning",
    "isi-in-request": "warning", "retransmission": "info",
}
RANK = {"error": 0, "warning": 1, "info": 2}
RULE = re.compile(r"^@([^@]+)@([^@]+)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]$")


def read_rules(path):
    """[(name, filter, background "#rrggbb", foreground)], every line checked."""
    rules = []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        match = RULE.match(line)
        if not match:
            raise SystemExit("FAIL %s:%d is not a colouring rule: %r" % (path, number, line))
        colour = [int(v) >> 8 for v in match.groups()[2:]]
        rules.append((match.group(1), match.group(2), "#%02x%02x%02x" % tuple(colour[:3]),
                      "#%02x%02x%02x" % tuple(colour[3:])))
    return rules


def severity_of_rule(filter_text):
    match = re.search(r'coapjws\.finding\.severity == "(\w+)"', filter_text)
    return match.group(1) if match else None


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--expect", required=True)
    args = parser.parse_args()

    rules = read_rules(args.rules)
    by_severity = {severity_of_rule(f): (name, f, bg, fg) for name, f, bg, fg in rules}
    failures = []
    if set(by_severity) != set(RANK):
        failures.append("rules for severities %s, expected one each for %s"
                        % (sorted(by_severity, key=str), sorted(RANK)))

    spec = json.load(open(args.expect))
    frames = spec["runs"]["keys"]["frames"]
    worst = {}
    for number, frame in frames.items():
        severities = [SEVERITY[f] for f in (frame or {}).get("findings", [])]
        if severities:
            worst[number] = min(severities, key=RANK.get)

    folder = os.path.dirname(os.path.abspath(args.expect))
    tmp = tempfile.mkdtemp(prefix="coapjws-colours.")
    try:
        os.chmod(tmp, 0o755)
        keys = os.path.join(tmp, "keys.jwks")
        shutil.copy(os.path.join(folder, "keys", "keys.jwks"), keys)
        os.chmod(keys, 0o644)
        base = [args.runner, "-r", os.path.join(folder, spec["capture"]), "-n",
                "-o", "coapjws.keys_file:" + keys]
        env = dict(os.environ, COAPJWS_TSHARK_COLORFILTERS=os.path.abspath(args.rules))
        out = subprocess.run(base + ["--color", "-T", "psml"], capture_output=True, text=True,
                             env=env)
        if out.returncode != 0 or "colorfilters" in out.stderr or "compile" in out.stderr:
            failures.append("tshark does not accept the rules (exit %d):\n%s"
                            % (out.returncode, out.stderr))
        else:
            for packet in ET.fromstring(out.stdout).iter("packet"):
                number = packet.find("section").text
                got = packet.get("background")
                severity = worst.get(number)
                want = by_severity[severity][2] if severity in by_severity else None
                if got != want:
                    failures.append("frame %s (worst finding: %s) coloured %s, expected %s"
                                    % (number, severity, got, want))
        # Each rule's filter selects the frames of its severity and those
        # with a worse one that also have it: -Y shows which.
        for severity, (name, filter_text, _, _) in by_severity.items():
            want = sorted((n for n, frame in frames.items()
                           if severity in {SEVERITY[f] for f in (frame or {}).get("findings", [])}),
                          key=int)
            got = subprocess.run(base + ["-Y", filter_text, "-T", "fields", "-e", "frame.number"],
                                 capture_output=True, text=True).stdout.split()
            if got != want:
                failures.append("rule %r (-Y '%s'): frames %s, expected %s"
                                % (name, filter_text, got, want))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for failure in failures:
        print("FAIL " + failure)
    if not failures:
        print("ok   %d rules accepted; frames coloured by their worst finding" % len(rules))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
