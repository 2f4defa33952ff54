#!/usr/bin/env python3
"""Runs tshark with the coapjws plugin over captures and compares what it
shows with their manifests (pcaps/*.expected.json): for every CoAP frame the
signature status, TID, findings, the related frames the manifest names and
the request a response answers. (The plugin does not show a message's kind,
nor anything for a message that has nothing to do with JWS — no option, no
finding, no signed request — so neither is compared; the engine and
coapjws-scan checks cover them.)

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
    for port in a["ports"]:
        if port != 5683:
            args += ["-d", "udp.port==%d,coap" % port]
    args += wireshark_options(manifest)
    return args


def pdml(runner, manifest, folder, keys_dir):
    args = ["-r", os.path.join(folder, manifest["capture"]),
            *plugin_options(manifest, folder, keys_dir), "-T", "pdml"]
    result = subprocess.run([runner, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("tshark failed (%d): %s" % (result.returncode, result.stderr.strip()))
    return ET.fromstring(result.stdout)


def shown(root):
    """frame number -> (status, tid, request_in, [(finding, related)])"""
    out = {}
    for packet in root.iter("packet"):
        number = None
        for field in packet.iter("field"):
            if field.get("name") == "frame.number":
                number = int(field.get("show"))
                break
        status, tid, request_in, findings = "none", None, None, []
        for proto in packet.findall("proto"):
            if proto.get("name") != "coapjws":
                continue
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
        present = any(proto.get("name") == "coapjws" for proto in packet.findall("proto"))
        out[number] = (status, tid, request_in, findings, present)
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
    folder = os.path.dirname(os.path.abspath(path))
    frames = shown(pdml(runner, manifest, folder, keys_dir))
    capture = manifest["capture"]
    problems, notes = [], []
    listed = {e["frame"] for e in manifest["frames"]}
    for number, (status, tid, _, findings, _) in sorted(frames.items()):
        if number not in listed and (status != "none" or tid or findings):
            problems.append("%s frame %d: the plugin reports on it, the manifest does not list it"
                            % (capture, number))
    for e in manifest["frames"]:
        where = "%s frame %d%s" % (capture, e["frame"], " (%s)" % e["label"] if e.get("label") else "")
        status, tid, request_in, findings, present = frames.get(
            e["frame"], ("none", None, None, [], False))
        want_rel = e.get("related", {})
        got_rel = {name: dict(findings).get(name) for name in want_rel}
        # A message unrelated to JWS gets no coapjws tree, so no "request in".
        unrelated = e["signature"] == "none" and not e["findings"] and e["tid"] is None
        check_request = "request" in e and not (unrelated and not present)
        want = describe(e["signature"], e["tid"], sorted(e["findings"]), want_rel,
                        e.get("request") if check_request else None)
        got = describe(status, tid, sorted(name for name, _ in findings), got_rel,
                       request_in if check_request else None)
        if want != got:
            text = "%s\n  expected %s\n  plugin   %s" % (where, want, got)
            file_mismatch(text, capture, e["frame"], known, problems, notes)
    return problems, notes


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
