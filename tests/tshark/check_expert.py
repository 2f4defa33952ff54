#!/usr/bin/env python3
"""The plugin's expert infos as Wireshark's Expert Information dialog and
`tshark -q -z expert` group them: one line per finding, whatever frames,
addresses or sequence numbers its frames have — three replays are one line
counting 3 — under the group and severity README ("Expert information")
gives each finding.

For each capture (a *.expect.json run or a pcaps/ manifest), the number of
frames with each finding comes from the hand-written expectations, the
group and severity from the table below (README's), the summaries from
`tshark -G fields` (an expert info is listed there as a field named by its
summary).

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  check_expert.py --runner tests/tshark/run_tshark.sh \\
      --expect tests/plugin/basic.expect.json:keys --manifest pcaps/key-reuse.expected.json
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# README, "Expert information": finding -> (severity section, group).
GROUPS = {
    "malformed": ("Errors", "Malformed"),
    "alg-none": ("Errors", "Security"),
    "alg-unsupported": ("Errors", "Undecoded"),
    "crit-unknown": ("Errors", "Undecoded"),
    "key-mismatch": ("Errors", "Security"),
    "bad-signature": ("Errors", "Security"),
    "replay": ("Errors", "Security"),
    "out-of-window": ("Errors", "Security"),
    "seq-exhausted": ("Errors", "Security"),
    "response-replay": ("Errors", "Security"),
    "unknown-key": ("Warns", "Undecoded"),
    "unverifiable": ("Warns", "Undecoded"),
    "unprotected-response": ("Warns", "Security"),
    "option-rejected": ("Warns", "Response"),  # PI_RESPONSE_CODE, as tshark names it
    "stripped": ("Warns", "Security"),
    "isi-in-request": ("Warns", "Protocol"),
    "retransmission": ("Notes", "Sequence"),
}
# The plugin's own notes that a capture may carry besides its findings.
NOTES = {"coapjws.expert.no_keys": ("Notes", "Undecoded")}

LINE = re.compile(r"^\s*(\d+)\s+(\S.*?)\s+CoAP-JWS  (.*)$")
SECTION = re.compile(r"^(Errors|Warns|Notes|Chats|Comments) \(\d+\)$")


def run(runner, args):
    result = subprocess.run([runner, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("tshark %s: %s" % (" ".join(args), result.stderr.strip()))
    return result.stdout


def summaries(runner):
    """summary -> coapjws.expert.* name, from tshark -G fields."""
    out = {}
    for line in run(runner, ["-G", "fields"]).splitlines():
        cells = line.split("\t")
        if len(cells) > 2 and cells[0] == "F" and cells[2].startswith("coapjws.expert."):
            if cells[1] in out:
                raise RuntimeError("two expert infos share the summary %r" % cells[1])
            out[cells[1]] = cells[2]
    return out


def expert_lines(text):
    """[(section, count, group, summary)] of CoAP-JWS in tshark -z expert."""
    lines, section = [], None
    for line in text.splitlines():
        match = SECTION.match(line.strip())
        if match:
            section = match.group(1)
            continue
        match = LINE.match(line)
        if match and section:
            lines.append((section, int(match.group(1)), match.group(2), match.group(3)))
    return lines


def check(runner, capture, options, counts, names, notes):
    errors = []
    got = expert_lines(run(runner, ["-r", capture, "-n", *options, "-q", "-z", "expert"]))
    seen = {}
    for section, count, group, summary in got:
        name = names.get(summary)
        if name is None:
            errors.append("a line whose summary is no registered expert info: %r" % summary)
            continue
        if re.search(r"\d", summary.replace("4.02", "")):
            errors.append("%s: the summary %r has numbers in it" % (name, summary))
        if name in seen:
            errors.append("%s: on two lines (%s and %s): its summary is not constant"
                          % (name, seen[name], (section, group)))
        seen[name] = (section, group)
        finding = name[len("coapjws.expert."):].replace("_", "-")
        want = GROUPS.get(finding) or NOTES.get(name)
        if want and (section, group) != want:
            errors.append("%s: %s/%s, expected %s/%s" % (name, section, group, *want))
        want_count = counts.get(finding, notes.get(name))
        if want_count is None:
            errors.append("%s: %d frames, expected none" % (name, count))
        elif count != want_count:
            errors.append("%s: %d frames, expected %d" % (name, count, want_count))
    for finding, count in counts.items():
        name = "coapjws.expert." + finding.replace("-", "_")
        if count and name not in seen:
            errors.append("%s: no line for %d frames" % (name, count))
    return errors, len(got)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--expect", action="append", default=[], help="FILE.expect.json:RUN")
    parser.add_argument("--manifest", action="append", default=[], help="pcaps/*.expected.json")
    args = parser.parse_args()

    names = summaries(args.runner)
    failed = False
    tmp = tempfile.mkdtemp(prefix="coapjws-expert.")
    os.chmod(tmp, 0o755)
    try:
        cases = []
        for index, item in enumerate(args.expect):
            path, _, run_name = item.rpartition(":")
            spec = json.load(open(path))
            folder = os.path.dirname(os.path.abspath(path))
            keys_dir = os.path.join(tmp, "expect-%d" % index)
            os.makedirs(keys_dir, mode=0o755)
            keys = os.path.join(keys_dir, "keys.jwks")
            shutil.copy(os.path.join(folder, "keys", "keys.jwks"), keys)
            os.chmod(keys, 0o644)
            run_spec = spec["runs"][run_name]
            options = [o.replace("{keys}", keys_dir) for o in run_spec.get("options", [])]
            counts, notes = {}, {}
            for frame in run_spec["frames"].values():
                for finding in (frame or {}).get("findings", []):
                    counts[finding] = counts.get(finding, 0) + 1
                for note in (frame or {}).get("expert", []):
                    notes["coapjws.expert." + note] = notes.get("coapjws.expert." + note, 0) + 1
            cases.append(("%s [%s]" % (spec["capture"], run_name),
                          os.path.join(folder, spec["capture"]), options, counts, notes))
        for index, path in enumerate(args.manifest):
            manifest = json.load(open(path))
            folder = os.path.dirname(os.path.abspath(path))
            keys_dir = os.path.join(tmp, "manifest-%d" % index)
            os.makedirs(keys_dir, mode=0o755)
            keys = os.path.join(keys_dir, os.path.basename(manifest["keys"]))
            shutil.copy(os.path.join(folder, manifest["keys"]), keys)
            os.chmod(keys, 0o644)
            counts = {}
            for frame in manifest["frames"]:
                for finding in frame.get("findings", []):
                    counts[finding] = counts.get(finding, 0) + 1
            cases.append((manifest["capture"], os.path.join(folder, manifest["capture"]),
                          ["-o", "coapjws.keys_file:" + keys], counts, {}))
        for label, capture, options, counts, notes in cases:
            errors, lines = check(args.runner, capture, options, counts, names, notes)
            for error in errors:
                print("FAIL %s: %s" % (label, error))
            failed = failed or bool(errors)
            if not errors:
                print("ok   %s: %d CoAP-JWS lines for %d frames with findings"
                      % (label, lines, sum(counts.values())))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
