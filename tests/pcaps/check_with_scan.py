#!/usr/bin/env python3
"""Runs coapjws-scan over captures and compares its per-message output with
their manifests (pcaps/*.expected.json): for every CoAP frame the kind, TID,
signature status, findings and the related frames the manifest names.

  check_with_scan.py COAPJWS_SCAN MANIFEST...

Uses `coapjws-scan --format json --messages` with the settings the manifest
names (keys, option number, window, signed options, ports). CoAP over UDP
(`"transport": "udp"`, the default) and over TCP (`"tcp"`, RFC 8323) are
checked frame by frame, each message on the frame that completes it. A
capture whose manifest says `"tls"` or `"dtls"` carries only encrypted
records (coapjws-scan does not decrypt, spec §7): coapjws-scan must report
no message at all, must count the records (the CoAPs port 5684 is watched
for DTLS and TLS even when it is not a CoAP port) and must exit with 3
(nothing analysed is never a pass), with the manifest's ports and with
--port 5684. A
manifest's `"copies"` (the same capture compressed) are checked the same
way. Frames listed in
tests/pcaps/known-discrepancies.json are reported but do not fail.
Exit 0 when everything agrees, 1 otherwise.
"""
import json
import os
import subprocess
import sys

from discrepancies import file_mismatch, load_known


def scan(scanner, manifest, folder, capture):
    a = manifest["analysis"]
    command = [scanner, "--format", "json", "--messages", "--fail-on", "never", "--quiet",
               "--option", str(a["option"]), "--window", str(a["window"])]
    if a.get("signed_options", "default") != "default":
        command += ["--signed-options", a["signed_options"]]
    for port in a["ports"]:
        command += ["--port", str(port)]
    if manifest.get("keys"):
        command += ["--keys", os.path.join(folder, manifest["keys"])]
    command.append(os.path.join(folder, capture))
    result = subprocess.run(command, capture_output=True, text=True)
    # 3: traffic that could not be analysed fails the run (all of a DTLS
    # capture, say); any other status is a problem.
    if result.returncode not in (0, 1, 3):
        raise RuntimeError("%s exited with %d: %s" % (" ".join(command), result.returncode,
                                                     result.stderr.strip()))
    transport = manifest.get("transport")
    if transport in ("dtls", "tls"):
        # Encrypted CoAP that cannot be analysed, with nothing else in the
        # capture: not a pass, whether 5684 is one of the CoAP ports or not.
        counter = "dtls_records" if transport == "dtls" else "tls_streams"
        for label, ports in (("its manifest's ports", []), ("--port 5684", ["--port", "5684"])):
            encrypted = subprocess.run(command[:-1] + ports + [command[-1]],
                                       capture_output=True, text=True)
            if encrypted.returncode != 3:
                raise RuntimeError("%s: %s only, with %s, exited with %d, not 3 (nothing "
                                   "analysed is never a pass)"
                                   % (capture, transport.upper(), label, encrypted.returncode))
            summary = [json.loads(line) for line in encrypted.stdout.splitlines()
                       if json.loads(line).get("type") == "summary"]
            if not summary or summary[0].get(counter, 0) == 0:
                raise RuntimeError("%s: with %s, %s is not counted" % (capture, label, counter))
    # frame -> its messages in order (a TCP segment may complete several);
    # a message's finding lines follow its message line.
    messages = {}
    last = None
    for line in result.stdout.splitlines():
        record = json.loads(line)
        if record.get("type") == "message":
            last = dict(record, related={})
            messages.setdefault(record["frame"], []).append(last)
        elif record.get("type") == "finding" and last is not None:
            last["related"][record["id"]] = record.get("related_frame")
    return messages


def describe(kind, tid, signature, findings, rel):
    text = "kind=%s tid=%s signature=%s findings=[%s]" % (kind, tid, signature, ",".join(findings))
    for finding, frame in sorted(rel.items()):
        text += " %s->%s" % (finding, frame)
    return text


def check(scanner, path, known):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    problems, notes = [], []
    for capture in [manifest["capture"]] + manifest.get("copies", []):
        check_capture(scanner, path, manifest, capture, known, problems, notes)
    return problems, notes


def check_capture(scanner, path, manifest, capture, known, problems, notes):
    folder = os.path.dirname(os.path.abspath(path))
    messages = scan(scanner, manifest, folder, capture)
    transport = manifest.get("transport", "udp")
    if transport not in ("udp", "tcp"):
        for frame in sorted(messages):
            problems.append("%s frame %d: coapjws-scan reports a message in a %s capture, "
                            "whose records it cannot decrypt" % (capture, frame, transport))
        return
    expected = {}
    for e in manifest["frames"]:
        expected.setdefault(e["frame"], []).append(e)
    for frame in sorted(set(messages) - set(expected)):
        problems.append("%s frame %d: coapjws-scan reports it, the manifest does not list it"
                        % (capture, frame))
    for frame, entries in sorted(expected.items()):
        got_list = messages.get(frame, [])
        if len(got_list) != len(entries):
            problems.append("%s frame %d: coapjws-scan reports %d message(s), the manifest %d"
                            % (capture, frame, len(got_list), len(entries)))
            continue
        for e, m in zip(entries, got_list):
            where = "%s frame %d%s" % (capture, frame, " (%s)" % e["label"] if e.get("label") else "")
            want_rel = e.get("related", {})
            got_rel = {f: m["related"].get(f) for f in want_rel}
            want = describe(e["kind"], e["tid"], e["signature"], sorted(e["findings"]), want_rel)
            got = describe(m["kind"], m["tid"], m["signature"], sorted(m["findings"]), got_rel)
            if want != got:
                text = "%s\n  expected %s\n  scan     %s" % (where, want, got)
                file_mismatch(text, capture, frame, known, problems, notes)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    scanner = sys.argv[1]
    known = load_known()
    failed = False
    for path in sys.argv[2:]:
        problems, notes = check(scanner, path, known)
        for note in notes:
            print(note)
        for problem in problems:
            print("FAIL " + problem)
        failed = failed or bool(problems)
        print(("FAIL " if problems else "ok   ") + os.path.basename(path))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
