#!/usr/bin/env python3
"""The link type of each of the plugin's frame-number fields, as Wireshark
registered it (field_links asks libwireshark with the plugin loaded): the
type Wireshark defines for what the link means (epan/ftypes/ftypes.h), which
decides the icon the packet list draws beside the related frame. A replay or
a retransmission points back at an earlier copy (RETRANS_PREV, not the
duplicate-ACK type); a response at its request (REQUEST); a request at its
responses (RESPONSE); the frame a finding names is a plain link
(NONE). CoAP's own coap.response_to and
coap.response_in are checked too, so a Wireshark that registered no types
would fail here rather than pass by accident.

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  check_links.py --runner tests/tshark/run_tshark.sh --field-links build/tests/tshark/field_links
"""
import argparse
import os
import subprocess
import sys

LINKS = {
    "coapjws.replay_of": "FT_FRAMENUM_RETRANS_PREV",
    "coapjws.retransmission_of": "FT_FRAMENUM_RETRANS_PREV",
    "coapjws.request_in": "FT_FRAMENUM_REQUEST",
    "coapjws.response_in": "FT_FRAMENUM_RESPONSE",
    "coapjws.finding.related_frame": "FT_FRAMENUM_NONE",
    "coap.response_to": "FT_FRAMENUM_REQUEST",
    "coap.response_in": "FT_FRAMENUM_RESPONSE",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--field-links", required=True)
    args = parser.parse_args()

    env = dict(os.environ, TSHARK=os.path.abspath(args.field_links))
    out = subprocess.run([args.runner, *LINKS], capture_output=True, text=True, env=env)
    got = dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
    failures = []
    if out.returncode != 0:
        failures.append("field_links failed (exit %d): %s" % (out.returncode, out.stderr.strip()))
    for name, want in LINKS.items():
        if got.get(name) != want:
            failures.append("%s: %s, expected %s" % (name, got.get(name), want))
    for failure in failures:
        print("FAIL " + failure)
    if not failures:
        print("ok   %d frame-number fields have their link types" % len(LINKS))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
