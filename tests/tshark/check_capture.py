#!/usr/bin/env python3
"""Runs tshark with the coapjws plugin over a capture and compares what it
shows with a hand-written expectation file (*.expect.json).

For each run of the expectation file (a set of tshark -o options):
  * -T fields: every field named for a frame must have that value (null:
    absent); `findings` is the multiset of coapjws.finding values;
  * -T pdml: the frame's expert infos coapjws.expert.<id> must be exactly its
    findings (plus `expert`, for the plugin's own ones such as truncated), and
    a frame given as null must have no coapjws protocol item at all;
  * `info_contains`: the Info column, as the packet list shows it, must
    contain that text; and for every frame with a warning or error finding
    the plugin's note names each such problem (its id in capitals, e.g.
    "BAD SIGNATURE") and never says "valid";
  * `key_kid` (coapjws.key.kid), the key that verified; `key_thumbprint_of`:
    coapjws.key.thumbprint must be the RFC 7638 thumbprint of that key of the
    keys file, computed here (None: no thumbprint, as for a shared secret);
  * `response_in` (coapjws.response_in): only known after the first pass,
    so checked in the -2 output;
  * the same -T fields output and the same note of the plugin in the Info
    column with -2 (two passes) as with one pass (response_in aside);
  * stderr must contain each `stderr_contains` string.

The Info column is read from tshark's packet summary (-T tabs with the
columns set to number and Info), which is made from the finished columns as
the packet list is. The `_ws.col.info` field is not used: from Wireshark 4.2
on it is filled before post-dissectors run, so it lacks their note.

Usage:
  check_capture.py --runner tests/tshark/run_tshark.sh --expect tests/plugin/basic.expect.json
                   [--capture-dir DIR] [--keys-dir DIR] [--run NAME ...]

The capture is looked up next to the expectation file unless --capture-dir
is given, so the same checker works for pcaps/*.pcap with their own
expectation files. Placeholders in options: {keys} (the keys folder, copied
to a folder the unprivileged tshark can read) and {secret:KID} (the hex
secret of KID from keys/secrets.txt).
"""

import argparse
import base64
import hashlib
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

FIELDS = {
    # expectation key -> tshark field
    "status": "coapjws.signature.status",
    "tid": "coapjws.tid",
    "key_id": "coapjws.key_id",
    "request_tid": "coapjws.request_tid",
    "request_in": "coapjws.request_in",
    "replay_of": "coapjws.replay_of",
    "retransmission_of": "coapjws.retransmission_of",
    "findings": "coapjws.finding",
    "related": "coapjws.finding.related_frame",
    "alg": "coapjws.alg",
    "kid": "coapjws.kid",
    "x5t": "coapjws.x5t",
    "x5t_s256": "coapjws.x5t_s256",
    "seq": "coapjws.seq",
    "isi": "coapjws.isi",
    "crit": "coapjws.crit",
    "header": "coapjws.header",
    "signature": "coapjws.signature",
    "signed_content": "coapjws.signed_content",
    "key_kid": "coapjws.key.kid",
    "key_thumbprint": "coapjws.key.thumbprint",
    "response_in": "coapjws.response_in",
}
# Known only once the first pass has seen the responses (as Wireshark's own
# "Response in"): compared in the two-pass output only.
TWO_PASS_ONLY = {"response_in"}
# Spec §6: the findings that are problems (warning or error); a frame with
# one of them must not be called "valid" in the Info column.
PROBLEMS = {"malformed", "alg-none", "alg-unsupported", "crit-unknown", "key-mismatch",
            "bad-signature", "replay", "out-of-window", "seq-exhausted", "response-replay",
            "unknown-key", "unverifiable", "unprotected-response", "option-rejected",
            "stripped", "isi-in-request"}
# The packet summary: frame number and Info column, tab-separated.
SUMMARY_COLUMNS = 'gui.column.format:"No.","%m","Info","%i"'
AGGREGATOR = "|"


class Failure(Exception):
    pass


def run_tshark(runner, args):
    result = subprocess.run([runner, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"tshark {' '.join(args)} exited with {result.returncode}:\n{result.stderr}")
    return result.stdout, result.stderr


def fields_args(capture, options, two_pass=False):
    args = ["-r", capture, "-n"]
    if two_pass:
        args.append("-2")
    args += options
    args += ["-T", "fields", "-E", "header=n", "-E", "occurrence=a", "-E",
             "aggregator=" + AGGREGATOR, "-e", "frame.number"]
    for field in FIELDS.values():
        args += ["-e", field]
    return args


def parse_fields(output):
    frames = {}
    names = list(FIELDS.keys())
    for line in output.splitlines():
        columns = line.split("\t")
        if len(columns) != len(names) + 1:
            raise Failure(f"unexpected -T fields line: {line!r}")
        frames[columns[0]] = dict(zip(names, columns[1:]))
    return frames


def summary_args(capture, options, two_pass=False):
    return ["-r", capture, "-n", *(["-2"] if two_pass else []), *options,
            "-T", "tabs", "-o", SUMMARY_COLUMNS]


def parse_summary(output):
    """frame number -> Info column"""
    frames = {}
    for line in output.splitlines():
        number, _, info = line.strip().partition("\t")
        frames[number] = info
    return frames


def parse_pdml(output):
    """frame number -> (has coapjws item, set of coapjws.expert.* suffixes as a sorted list)"""
    result = {}
    root = ET.fromstring(output)
    for packet in root.iter("packet"):
        number = None
        has_proto = False
        experts = []
        for proto in packet.iter("proto"):
            if proto.get("name") == "coapjws":
                has_proto = True
        for field in packet.iter("field"):
            name = field.get("name", "")
            if name == "frame.number":
                number = field.get("show")
            elif name.startswith("coapjws.expert."):
                experts.append(name[len("coapjws.expert."):])
        result[number] = (has_proto, sorted(experts))
    return result


def plugin_note(info):
    """The plugin's note at the end of the Info column ("JWS kid=... valid")."""
    at = info.find("JWS ")
    return info[at:] if at >= 0 else ""


def expand(option, keys_dir, secrets):
    option = option.replace("{keys}", keys_dir)
    for kid, secret in secrets.items():
        option = option.replace("{secret:%s}" % kid, secret)
    return option


def read_secrets(keys_dir):
    secrets = {}
    path = os.path.join(keys_dir, "secrets.txt")
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if line and not line.startswith("#"):
                kid, secret = line.split()
                secrets[kid] = secret
    return secrets


def rfc7638_thumbprint(jwk):
    """RFC 7638 §3: the required members in lexicographic order, no spaces."""
    required = {"EC": ["crv", "kty", "x", "y"], "RSA": ["e", "kty", "n"],
                "OKP": ["crv", "kty", "x"]}[jwk["kty"]]
    text = "{" + ",".join(f'"{m}":"{jwk[m]}"' for m in required) + "}"
    digest = hashlib.sha256(text.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def check_note(where, expected, info, errors):
    problems = [f for f in expected.get("findings", []) if f in PROBLEMS]
    if not problems:
        return
    note = plugin_note(info)
    if re.search(r"\bvalid\b", note):
        errors.append(f"{where}: Info note {note!r} says valid despite {problems}")
    for finding in problems:
        label = finding.upper().replace("-", " ")
        if label not in note:
            errors.append(f"{where}: Info note {note!r} does not name {label}")


def check_frame(number, expected, got_fields, got_pdml, got_info, errors, keys=None,
                two_pass_fields=None):
    where = f"frame {number}"
    fields = dict(got_fields.get(number) or {})
    if fields and two_pass_fields:
        for key in TWO_PASS_ONLY:
            fields[key] = (two_pass_fields.get(number) or {}).get(key, "")
    if not got_fields.get(number):
        fields = None
    has_proto, experts = got_pdml.get(number, (False, []))
    if fields is None:
        errors.append(f"{where}: not in tshark's output")
        return
    if expected is None:
        if has_proto:
            errors.append(f"{where}: expected no coapjws item, got one (experts {experts})")
        for key, value in fields.items():
            if value:
                errors.append(f"{where}: expected no {FIELDS[key]}, got {value!r}")
        return
    if not has_proto:
        errors.append(f"{where}: no coapjws protocol item")
    for key, want in expected.items():
        if key in ("expert",):
            continue
        if key == "info_contains":
            info = got_info.get(number, "")
            if want not in info:
                errors.append(f"{where}: Info {info!r} lacks {want!r}")
            continue
        if key == "key_thumbprint_of":
            got = fields["key_thumbprint"]
            jwk = (keys or {}).get(want) if want else None
            if want and not jwk:
                errors.append(f"{where}: no key {want!r} in the keys file")
            elif (rfc7638_thumbprint(jwk) if jwk else "") != got:
                errors.append(f"{where}: coapjws.key.thumbprint = {got!r}, expected "
                              f"{rfc7638_thumbprint(jwk) if jwk else None!r}")
            continue
        got = fields[key]
        if key in ("findings", "related"):
            got_list = sorted(v for v in got.split(AGGREGATOR) if v)
            if got_list != sorted(want):
                errors.append(f"{where}: {FIELDS[key]} {got_list}, expected {sorted(want)}")
            continue
        if want is None:
            if got:
                errors.append(f"{where}: expected no {FIELDS[key]}, got {got!r}")
        elif got != want:
            errors.append(f"{where}: {FIELDS[key]} = {got!r}, expected {want!r}")
    check_note(where, expected, got_info.get(number, ""), errors)
    if "findings" in expected:
        want_experts = sorted([f.replace("-", "_") for f in expected["findings"]] +
                              expected.get("expert", []))
        if experts != want_experts:
            errors.append(f"{where}: expert infos {experts}, expected {want_experts}")


def check_run(runner, capture, name, run, keys_dir, secrets):
    options = [expand(o, keys_dir, secrets) for o in run.get("options", [])]
    errors = []

    one_pass, stderr = run_tshark(runner, fields_args(capture, options))
    two_pass, _ = run_tshark(runner, fields_args(capture, options, two_pass=True))
    summary_one, _ = run_tshark(runner, summary_args(capture, options))
    summary_two, _ = run_tshark(runner, summary_args(capture, options, two_pass=True))
    pdml, _ = run_tshark(runner, ["-r", capture, "-n", *options, "-T", "pdml"])

    for text in run.get("stderr_contains", []):
        if text not in stderr:
            errors.append(f"stderr lacks {text!r}:\n{stderr}")
    got_fields = parse_fields(one_pass)
    two_fields = parse_fields(two_pass)

    def without_two_pass_only(frames):
        return {n: {k: v for k, v in f.items() if k not in TWO_PASS_ONLY}
                for n, f in frames.items()}
    for n, f in got_fields.items():
        for key in TWO_PASS_ONLY:
            if f[key]:
                errors.append(f"frame {n}: {FIELDS[key]} {f[key]!r} on the first pass, "
                              "which has not seen the responses yet")
    if without_two_pass_only(got_fields) != without_two_pass_only(two_fields):
        two = two_fields
        diff = [f"  frame {n}:\n    1-pass: {got_fields[n]}\n    2-pass: {two.get(n)}"
                for n in got_fields if got_fields[n] != two.get(n)]
        errors.append("one-pass and two-pass fields differ:\n" + "\n".join(diff[:10]))
    # Other dissectors may write more into Info with two passes ("Reassembled
    # in #6"); the plugin's own note must not differ.
    got_info = parse_summary(summary_one)
    notes_one = {n: plugin_note(i) for n, i in got_info.items()}
    notes_two = {n: plugin_note(i) for n, i in parse_summary(summary_two).items()}
    if notes_one != notes_two:
        diff = [f"  frame {n}: 1-pass {notes_one[n]!r}, 2-pass {notes_two.get(n)!r}"
                for n in notes_one if notes_one[n] != notes_two.get(n)]
        errors.append("one-pass and two-pass Info notes differ:\n" + "\n".join(diff[:10]))

    got_pdml = parse_pdml(pdml)
    if "CoAP-JWS" in pdml and ("Dissector bug, protocol CoAP-JWS" in pdml
                               or "Malformed Packet: CoAP-JWS" in pdml):
        errors.append("the plugin raised a dissector bug or malformed-packet exception")
    for passes, text in (("1-pass", one_pass), ("2-pass", two_pass)):
        if "Dissector bug, protocol CoAP-JWS" in text:
            errors.append(f"{passes}: the plugin raised a dissector bug")
    keys = {}
    keys_file = os.path.join(keys_dir, "keys.jwks")
    if os.path.exists(keys_file):
        keys = {k.get("kid"): k for k in json.load(open(keys_file)).get("keys", [])}
    for number, expected in run["frames"].items():
        check_frame(number, expected, got_fields, got_pdml, got_info, errors, keys, two_fields)
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner", required=True, help="run_tshark.sh")
    parser.add_argument("--expect", required=True, help="the *.expect.json file")
    parser.add_argument("--capture-dir", help="where the capture is (default: next to --expect)")
    parser.add_argument("--keys-dir", help="the keys folder (default: keys/ next to --expect)")
    parser.add_argument("--run", action="append", help="only these runs (default: all)")
    args = parser.parse_args()

    spec = json.load(open(args.expect))
    base = os.path.dirname(os.path.abspath(args.expect))
    capture = os.path.join(args.capture_dir or base, spec["capture"])
    source_keys = args.keys_dir or os.path.join(base, "keys")

    failed = False
    with tempfile.TemporaryDirectory(prefix="coapjws-keys.") as tmp:
        # The unprivileged tshark must be able to read the keys.
        keys_dir = os.path.join(tmp, "keys")
        if os.path.isdir(source_keys):
            shutil.copytree(source_keys, keys_dir)
        else:
            os.makedirs(keys_dir)
        for root, dirs, files in os.walk(tmp):
            os.chmod(root, 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        secrets = read_secrets(keys_dir)

        for name, run in spec["runs"].items():
            if args.run and name not in args.run:
                continue
            try:
                errors = check_run(args.runner, capture, name, run, keys_dir, secrets)
            except Failure as e:
                errors = [str(e)]
            if errors:
                failed = True
                print(f"FAIL {spec['capture']} [{name}]")
                for error in errors:
                    print("  " + error)
            else:
                print(f"ok   {spec['capture']} [{name}]: {len(run['frames'])} frames")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
