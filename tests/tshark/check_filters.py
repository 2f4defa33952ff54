#!/usr/bin/env python3
"""Display filters and statistics over the plugin's fields and expert infos
on basic.pcap (with all keys): which frames each filter selects follows from
the scenario in tests/plugin/basic.expect.json. Also checks that -Y works the
same in one pass and in two passes (-2), and that `-z expert` lists the
findings.

Usage: check_filters.py --runner run_tshark.sh --captures tests/plugin
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

FILTERS = [
    ("coapjws.expert.replay", ["5"]),
    ("coapjws.expert.out_of_window", ["7"]),
    ("coapjws.expert.retransmission", ["4"]),
    ('coapjws.finding == "stripped"', ["16"]),
    ('coapjws.signature.status == "invalid"', ["8", "10", "11", "12", "15"]),
    ('coapjws.signature.status == "unverified"', ["9", "22"]),
    ("coapjws.replay_of == 1", ["5"]),
    ("coapjws.request_in == 19", ["20", "21"]),
    ('coapjws.tid == "client-2:0"', ["28"]),
    ("coapjws.seq >= 4294967295", ["27"]),
    ('coapjws.kid == "ec-1"', ["31"]),
    # The severities the colouring rules use: warnings are frames 9 14 16 18
    # 22 24 (see EXPERT_COUNTS).
    ('coapjws.finding.severity == "warning"', ["9", "14", "16", "18", "22", "24"]),
    # The key that verified: only ec-1 is a public key, with a thumbprint.
    ('coapjws.key.kid == "server-1"', ["2", "20", "21", "26"]),
    ("coapjws.key.thumbprint", ["31"]),
    # The responses binding request TID client-1:47 sign it as REQUEST-TID.
    ("coapjws.signed.request_seq == 47", ["20", "21"]),
    # Wireshark's "Response in", known from the second pass on.
    ("coapjws.response_in == 20", ["19"]),
    # Every message with a JWS option or a finding, i.e. all but the ICMP
    # error (29) and the empty ACK (30).
    ("coapjws", [str(n) for n in range(1, 32) if n not in (29, 30)]),
    ("icmp && coapjws", []),
]


# -z expert with all keys, summed per (section, group) for CoAP-JWS, with
# the groups README ("Expert information") gives: errors are frames 5 7 8
# 10 15 21 28 (security), 11 12 (undecoded: alg and crit not supported) and
# 13 (malformed); warnings 16 18 (security), 9 22 (undecoded: no key, no
# request), 14 (protocol) and 24 (response code); the one note is the
# retransmission in frame 4, under Sequence as CoAP and TCP file theirs.
EXPERT_COUNTS = {
    ("Errors", "Security"): 7,
    ("Errors", "Undecoded"): 2,
    ("Errors", "Malformed"): 1,
    ("Warns", "Security"): 2,
    ("Warns", "Undecoded"): 2,
    ("Warns", "Protocol"): 1,
    ("Warns", "Response"): 1,
    ("Notes", "Sequence"): 1,
}


def expert_counts(text):
    """Sums tshark's `-z expert` frequencies of protocol CoAP-JWS per section and group."""
    counts = {}
    section = None
    for line in text.splitlines():
        words = line.split()
        if len(words) == 2 and words[1].startswith("(") and words[0] in (
                "Errors", "Warns", "Notes", "Chats", "Comments"):
            section = words[0]
        elif len(words) >= 3 and words[0].isdigit() and words[2] == "CoAP-JWS":
            key = (section, words[1])
            counts[key] = counts.get(key, 0) + int(words[0])
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runner", required=True)
    parser.add_argument("--captures", required=True)
    args = parser.parse_args()

    failures = []
    with tempfile.TemporaryDirectory(prefix="coapjws-keys.") as tmp:
        os.chmod(tmp, 0o755)
        keys = os.path.join(tmp, "keys.jwks")
        shutil.copy(os.path.join(args.captures, "keys", "keys.jwks"), keys)
        os.chmod(keys, 0o644)
        base = [args.runner, "-r", os.path.join(args.captures, "basic.pcap"), "-n",
                "-o", "coapjws.keys_file:" + keys]

        def frames(extra):
            out = subprocess.run(base + extra + ["-T", "fields", "-e", "frame.number"],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                raise RuntimeError(out.stderr)
            return out.stdout.split()

        for expression, want in FILTERS:
            # (check_capture.py compares every field in one and two passes;
            # here two passes only for a filter on a stateful finding and one
            # on the protocol.)
            two_pass = expression in ("coapjws.expert.replay", "coapjws")
            only_two_pass = expression.startswith("coapjws.response_in")
            for passes in ([["-2"]] if only_two_pass else
                           ([], ["-2"]) if two_pass else ([],)):
                got = frames(passes + ["-Y", expression])
                if got != want:
                    failures.append(f"-Y '{expression}' {' '.join(passes)}: frames {got}, "
                                    f"expected {want}")

        out = subprocess.run(base + ["-q", "-z", "expert"], capture_output=True, text=True)
        got = expert_counts(out.stdout)
        if got != EXPERT_COUNTS:
            failures.append(f"-z expert: CoAP-JWS counts {got}, expected {EXPERT_COUNTS}:\n"
                            + out.stdout)

    for failure in failures:
        print("FAIL " + failure)
    if not failures:
        print(f"ok   {len(FILTERS)} display filters, -z expert")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
