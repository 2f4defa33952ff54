#!/usr/bin/env python3
"""Runs tshark with the coapjws plugin over captures and compares what it
shows with their manifests (pcaps/*.expected.json): for every CoAP frame the
signature status, TID, findings, the related frames the manifest names and
the request a response answers, message by message where a frame completes
several (CoAP over TCP). (The plugin does not show a message's kind, nor
anything for a message that has nothing to do with JWS — no option, no
finding, no signed request — so neither is compared; the engine and
coapjws-scan checks cover them.) A manifest's compressed `copies` are read
as well.

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  check_with_tshark.py tests/tshark/run_tshark.sh MANIFEST...

The plugin's preferences are set from the manifest (keys file, option number,
window, signed options); ports other than 5683 are decoded as CoAP with -d,
and a DTLS or TLS capture's `dtls_psk`/`tls_psk` is given to Wireshark
(-o dtls.psk, -o tls.psk) so that it decrypts the records and dissects the
CoAP inside.
Frames listed in tests/pcaps/known-discrepancies.json are reported but do
not fail. Exit 0 when everything agrees, 1 otherwise.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from discrepancies import file_mismatch, load_known


def wireshark_options(manifest):
    """What Wireshark itself needs to see the capture's CoAP."""
    options = []
    for member in ("dtls_psk", "tls_psk"):
        if manifest.get(member):
            options += ["-o", "%s.psk:%s" % (member.split("_")[0], manifest[member])]
    return options


def plugin_options(manifest, folder, keys_dir):
    """tshark's options for the capture: the plugin's preferences from the
    manifest (the keys file copied into keys_dir, which the unprivileged
    tshark can read) and what Wireshark needs to see the capture's CoAP."""
    a = manifest["analysis"]
    args = ["-n",
            "-o", "coapjws.option_number:%d" % a["option"],
            "-o", "coapjws.window:%d" % a["window"]]
    if a.get("signed_options", "default") != "default":
        args += ["-o", "coapjws.signed_options:" + a["signed_options"]]
    if manifest.get("keys"):
        # The unprivileged tshark must be able to read the key file.
        keys = os.path.join(keys_dir, os.path.basename(manifest["keys"]))
        shutil.copyfile(os.path.join(folder, manifest["keys"]), keys)
        os.chmod(keys, 0o644)
        args += ["-o", "coapjws.keys_file:" + keys]
    transport = "tcp" if manifest.get("transport") == "tcp" else "udp"
    for port in a["ports"]:
        if port != 5683:
            args += ["-d", "%s.port==%d,coap" % (transport, port)]
    args += wireshark_options(manifest)
    return args


def pdml(runner, manifest, folder, keys_dir, capture):
    args = ["-r", os.path.join(folder, capture),
            *plugin_options(manifest, folder, keys_dir), "-T", "pdml"]
    result = subprocess.run([runner, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("tshark failed (%d): %s" % (result.returncode, result.stderr.strip()))
    return ET.fromstring(result.stdout)


def shown(root):
    """frame number -> [(status, tid, request_in, [(finding, related)])], one
    entry per coapjws tree, in order"""
    out = {}
    for packet in root.iter("packet"):
        number = None
        for field in packet.iter("field"):
            if field.get("name") == "frame.number":
                number = int(field.get("show"))
                break
        entries = out.setdefault(number, [])
        for proto in packet.findall("proto"):
            if proto.get("name") != "coapjws":
                continue
            status, tid, request_in, findings = "none", None, None, []
            for field in proto.iter("field"):
                name = field.get("name")
                if name == "coapjws.signature.status":
                    status = field.get("show")
                elif name == "coapjws.tid":
                    tid = field.get("show")
                elif name == "coapjws.request_in":
                    request_in = int(field.get("show"))
                elif name == "coapjws.finding":
                    related = None
                    for child in field.iter("field"):
                        if child.get("name") == "coapjws.finding.related_frame":
                            related = int(child.get("show"))
                    findings.append((field.get("show"), related))
            # A tree with only an expert note (a message cut short) says
            # nothing about a message.
            if status != "none" or tid or findings or request_in:
                entries.append((status, tid, request_in, findings))
    return out


def describe(status, tid, findings, rel, request):
    text = "tid=%s signature=%s findings=[%s]" % (tid, status, ",".join(findings))
    for finding, frame in sorted(rel.items()):
        text += " %s->%s" % (finding, frame)
    if request is not None:
        text += " request=%s" % request
    return text


def check(runner, path, known, keys_dir):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    problems, notes = [], []
    for capture in [manifest["capture"]] + manifest.get("copies", []):
        check_capture(runner, path, manifest, capture, known, keys_dir, problems, notes)
    return problems, notes


def relevant(e):
    """Whether the plugin shows anything for a manifest entry: a message with
    nothing to do with JWS gets no coapjws tree."""
    return not (e["signature"] == "none" and not e["findings"] and e["tid"] is None)


def check_capture(runner, path, manifest, capture, known, keys_dir, problems, notes):
    folder = os.path.dirname(os.path.abspath(path))
    frames = shown(pdml(runner, manifest, folder, keys_dir, capture))
    expected = {}
    for e in manifest["frames"]:
        expected.setdefault(e["frame"], []).append(e)
    for number, entries in sorted(frames.items()):
        if number not in expected and entries:
            problems.append("%s frame %d: the plugin reports on it, the manifest does not list it"
                            % (capture, number))
    for frame, entries in sorted(expected.items()):
        want_entries = [e for e in entries if relevant(e)]
        got_entries = frames.get(frame, [])
        if len(want_entries) != len(got_entries):
            problems.append("%s frame %d: the plugin shows %d message(s), the manifest %d"
                            % (capture, frame, len(got_entries), len(want_entries)))
            continue
        for e, (status, tid, request_in, findings) in zip(want_entries, got_entries):
            where = "%s frame %d%s" % (capture, frame, " (%s)" % e["label"] if e.get("label") else "")
            want_rel = e.get("related", {})
            got_rel = {name: dict(findings).get(name) for name in want_rel}
            want = describe(e["signature"], e["tid"], sorted(e["findings"]), want_rel,
                            e.get("request"))
            got = describe(status, tid, sorted(name for name, _ in findings), got_rel,
                           request_in if "request" in e else None)
            if want != got:
                text = "%s\n  expected %s\n  plugin   %s" % (where, want, got)
                file_mismatch(text, capture, frame, known, problems, notes)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    runner = sys.argv[1]
    known = load_known()
    keys_dir = tempfile.mkdtemp(prefix="coapjws-keys.")
    os.chmod(keys_dir, 0o755)
    failed = False
    try:
        for path in sys.argv[2:]:
            problems, notes = check(runner, path, known, keys_dir)
            for note in notes:
                print(note)
            for problem in problems:
                print("FAIL " + problem)
            failed = failed or bool(problems)
            print(("FAIL " if problems else "ok   ") + os.path.basename(path))
    finally:
        shutil.rmtree(keys_dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
