#!/usr/bin/env python3
"""Reads every bundled capture with plain tshark (no coapjws plugin) and checks
what Wireshark itself sees: the number of records, valid IPv4, UDP and TCP
checksums in generated captures, and CoAP in exactly the frames the manifest
lists (over UDP, TCP, or DTLS/TLS decrypted with the manifest's
`dtls_psk`/`tls_psk`). This checks the generator's framing against an
independent dissector.

Over TCP, Wireshark is asked to put out-of-order segments back in order
(tcp.reassemble_out_of_order), as coapjws does; frames of a TCP stream whose
SYN is not in the capture are left out of the comparison, since Wireshark
4.0's CoAP dissector takes the first captured byte of such a stream for the
start of a message (coapjws looks for a boundary instead; pcaps/README.md).

usage: tshark_wire_check.py TSHARK PCAPS_DIR
"""
import glob
import json
import os
import subprocess
import sys

BAD = "0"  # Wireshark's PROTO_CHECKSUM_E_BAD


def check(tshark, manifest_path):
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    folder = os.path.dirname(manifest_path)
    capture = os.path.join(folder, manifest["capture"])
    ports = manifest["analysis"]["ports"]
    command = [tshark, "-n", "-r", capture,
               "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
               "-o", "tcp.check_checksum:TRUE", "-o", "tcp.reassemble_out_of_order:TRUE",
               "-T", "fields", "-E", "separator=|",
               "-e", "frame.number", "-e", "frame.protocols",
               "-e", "ip.checksum.status", "-e", "udp.checksum.status",
               "-e", "tcp.checksum.status", "-e", "tcp.stream", "-e", "tcp.flags.syn"]
    # Options go before "-r FILE" (index 1), never between them.
    transport = "tcp" if manifest.get("transport") == "tcp" else "udp"
    for port in ports:
        if port != 5683:
            command[1:1] = ["-d", "%s.port==%d,coap" % (transport, port)]
    # DTLS and TLS: CoAP is only visible once Wireshark decrypts the records.
    for member in ("dtls_psk", "tls_psk"):
        if manifest.get(member):
            command[1:1] = ["-o", "%s.psk:%s" % (member.split("_")[0], manifest[member])]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return ["tshark failed: " + result.stderr.strip()]
    problems = []
    rows = [line.split("|") for line in result.stdout.splitlines() if line]
    if len(rows) != manifest["frame_count"]:
        problems.append("tshark sees %d frames, the manifest says %d"
                        % (len(rows), manifest["frame_count"]))
    generated = manifest.get("source", "").startswith("scenarios/")
    coap_frames = set()
    stream_of = {}
    opened = set()  # TCP streams whose SYN is in the capture
    for number, protocols, ip_status, udp_status, tcp_status, stream, syn in rows:
        layers = protocols.split(":")
        if "coap" in layers:
            coap_frames.add(int(number))
        if stream:
            stream_of[int(number)] = stream
            if syn == "1":
                opened.add(stream)
        # Captures taken on loopback carry offloaded (unfinished) checksums;
        # only generated captures must have them right.
        statuses = ip_status.split(",") + udp_status.split(",") + tcp_status.split(",")
        if generated and BAD in statuses:
            problems.append("frame %s: bad IP, UDP or TCP checksum" % number)
    listed = {frame["frame"] for frame in manifest["frames"]}
    begun_before = {n for n, stream in stream_of.items() if stream not in opened}
    coap_frames -= begun_before
    listed -= begun_before
    if coap_frames != listed:
        problems.append("tshark finds CoAP in frames %s, the manifest lists %s"
                        % (sorted(coap_frames), sorted(listed)))
    return problems


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tshark, folder = sys.argv[1], sys.argv[2]
    manifests = sorted(glob.glob(os.path.join(folder, "*.expected.json")))
    if not manifests:
        print("no manifests in " + folder)
        return 1
    failures = 0
    for manifest in manifests:
        problems = check(tshark, manifest)
        name = os.path.basename(manifest)
        if problems:
            failures += 1
            for problem in problems:
                print("FAIL %s: %s" % (name, problem))
        else:
            print("ok   %s" % name)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
