#!/usr/bin/env python3
"""The plugin's verdicts under a read filter and in an export of the
displayed packets, over the bundled captures (pcaps/*.expected.json).

Read filters (tshark -2 -R): Wireshark dissects every frame of the file on
the first pass and keeps the frames that pass, numbered anew. Each capture is
read without a filter and with two filters that split it by the source
endpoint (address and port) of its first CoAP frame (one keeps that side,
the other drops it).
Every frame that remains must show the verdict it has without the filter:
signature status, TID, key, request TID and findings exactly; every related
frame (coapjws.request_in, replay_of, retransmission_of,
finding.related_frame) must name the same frame by its new number, or, when
the filter removed that frame, appear as coapjws.removed_frame with its
number in the file.

Exports (tshark -2 -Y FILTER -w): for each finding that names a related
frame, the frames with that finding are exported; the plugin marks the
frames their verdicts rest on as depended upon, so the export keeps them.
Re-opened, every exported frame that matched the filter must show the same
verdict, its related frames renumbered within the export.

The exports are only checked with a tshark that keeps depended-upon frames
in -w exports at all, which a control capture shows: an IPv4 datagram in
two fragments, exported with a filter for the second (Wireshark's own IP
reassembly marks the first as depended upon). tshark 4.0 keeps it; tshark
4.4 and 4.6 drop it (their exports keep only the frames that pass), so
there the exports are reported as not checked, and the read filters still
are. Wireshark's GUI (File > Export Specified Packets, displayed) keeps the
marked frames.

Exports of DTLS or TLS captures are not checked: Wireshark can only decrypt
an export that holds the handshake, and its DTLS and TLS dissectors do not
mark the handshake as depended upon (a limit of the export, not of the
verdicts).

Frames are matched between runs by time and length, in order (an export
keeps the order of the file).

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  check_views.py tests/tshark/run_tshark.sh MANIFEST...
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps"))
from check_with_tshark import plugin_options  # noqa: E402

RELATED = ("coapjws.request_in", "coapjws.replay_of", "coapjws.retransmission_of")


class Failure(Exception):
    pass


def tshark(runner, args):
    result = subprocess.run([runner, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure("tshark %s exited with %d: %s"
                      % (" ".join(args), result.returncode, result.stderr.strip()))
    return result.stdout


def frames_of(pdml_text):
    """[frame] in order; frame = dict(number, identity, source, verdict)"""
    frames = []
    for packet in ET.fromstring(pdml_text).iter("packet"):
        frame = {"number": None, "time": None, "len": None, "source": None, "port": None,
                 "coap": False,
                 "status": None, "tid": None, "key_id": None, "request_tid": None,
                 "findings": [], "related": {}, "removed": [], "not_analysed": False}
        for field in packet.iter("field"):
            name, show = field.get("name"), field.get("show")
            if name == "frame.number":
                frame["number"] = int(show)
            elif name == "frame.time_epoch":
                frame["time"] = show
            elif name == "frame.len":
                frame["len"] = show
            elif name in ("ip.src", "ipv6.src") and frame["source"] is None:
                frame["source"] = (name, show)
            elif name in ("udp.srcport", "tcp.srcport") and frame["port"] is None:
                frame["port"] = (name, show)
        for proto in packet.findall("proto"):
            if proto.get("name") == "coap":
                frame["coap"] = True
            if proto.get("name") != "coapjws":
                continue
            for field in proto.iter("field"):
                name, show = field.get("name"), field.get("show")
                if name == "coapjws.signature.status":
                    frame["status"] = show
                elif name in ("coapjws.tid", "coapjws.key_id", "coapjws.request_tid"):
                    frame[name.split(".")[1]] = show
                elif name in RELATED:
                    frame["related"][name] = int(show)
                elif name == "coapjws.removed_frame" and field.get("show"):
                    frame["removed"].append(int(show))
                elif name == "coapjws.expert.not_analysed":
                    frame["not_analysed"] = True
                elif name == "coapjws.finding":
                    related = None
                    removed = None
                    for child in field.iter("field"):
                        if child.get("name") == "coapjws.finding.related_frame":
                            related = int(child.get("show"))
                        elif child.get("name") == "coapjws.removed_frame":
                            removed = int(child.get("show"))
                    frame["findings"].append((show, related, removed))
        frames.append(frame)
    return frames


def read(runner, capture, options, extra=()):
    return frames_of(tshark(runner, ["-r", capture, *options, *extra, "-T", "pdml"]))


def match(base, view):
    """Original frame number of each frame in `view` (a subsequence of
    `base`), matched by time and length in order."""
    numbers = {}
    at = 0
    for frame in view:
        while at < len(base) and (base[at]["time"], base[at]["len"]) != (frame["time"], frame["len"]):
            at += 1
        if at == len(base):
            raise Failure("frame %d of the view is not in the file" % frame["number"])
        numbers[frame["number"]] = base[at]["number"]
        at += 1
    return numbers


def expected_in_view(original, new_number_of):
    """The verdict `original` should show in a view that numbers the file's
    frames by new_number_of (absent: removed)."""
    def place(number):
        return ("frame", new_number_of[number]) if number in new_number_of else ("removed", number)

    related = {name: place(number) for name, number in original["related"].items()}
    findings = sorted((name, place(rel) if rel is not None else None)
                      for name, rel, _ in original["findings"])
    return verdict(original, related, findings)


def shown_in_view(frame):
    related = {name: ("frame", number) for name, number in frame["related"].items()}
    # A removed related frame of the message itself is listed under the
    # message; the plugin says which field it stands for only by its place,
    # so compare the multiset of removed numbers.
    findings = sorted((name, ("frame", rel) if rel is not None else
                       ("removed", removed) if removed is not None else None)
                      for name, rel, removed in frame["findings"])
    return verdict(frame, related, findings, frame["removed"])


def verdict(frame, related, findings, removed=None):
    if removed is None:
        removed_numbers = sorted([n for kind, n in related.values() if kind == "removed"] +
                                 [p[1] for _, p in findings if p and p[0] == "removed"])
        related = {k: v for k, v in related.items() if v[0] == "frame"}
    else:
        removed_numbers = sorted(removed)
    return {"status": frame["status"], "tid": frame["tid"], "key_id": frame["key_id"],
            "request_tid": frame["request_tid"], "related": related,
            "findings": findings, "removed": removed_numbers,
            "not_analysed": frame["not_analysed"]}


def compare(where, base, view, numbers, checked, errors):
    new_number_of = {original: new for new, original in numbers.items()}
    by_number = {f["number"]: f for f in base}
    for frame in view:
        if checked is not None and frame["number"] not in checked:
            continue
        original = by_number[numbers[frame["number"]]]
        want = expected_in_view(original, new_number_of)
        got = shown_in_view(frame)
        if want != got:
            errors.append("%s: frame %d (frame %d of the file)\n    expected %s\n    shown    %s"
                          % (where, frame["number"], original["number"], want, got))


def fragments_capture(path):
    """A pcap of one UDP datagram in two IPv4 fragments."""
    def checksum(data):
        total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
        total = (total >> 16) + (total & 0xFFFF)
        return ~(total + (total >> 16)) & 0xFFFF

    payload = bytes(range(256)) * 4
    udp = struct.pack("!HHHH", 40000, 9, 8 + len(payload), 0) + payload

    def ipv4(offset, more, data):
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), 77,
                             (0x2000 if more else 0) | offset // 8, 64, 17, 0,
                             bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
        header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
        return b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00" + header + data

    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate((ipv4(0, True, udp[:512]), ipv4(512, False, udp[512:]))):
            f.write(struct.pack("<IIII", 1000 + i, 0, len(frame), len(frame)) + frame)


def tshark_keeps_depended_upon(runner, work):
    capture = os.path.join(work, "fragments.pcap")
    out = os.path.join(work, "fragments-export.pcapng")
    fragments_capture(capture)
    tshark(runner, ["-r", capture, "-n", "-2", "-Y", "frame.number == 2", "-w", out])
    os.chmod(out, 0o644)
    count = len(tshark(runner, ["-r", out, "-n"]).splitlines())
    os.remove(out)
    return count == 2


def read_filters(base):
    """Two filters that split the capture by the source endpoint (address
    and port) of its first CoAP frame: one keeps that side, one drops it."""
    first = next((f for f in base if f["coap"] and f["source"] and f["port"]), None)
    if first is None:
        return []
    keep = "%s == %s && %s == %s" % (*first["source"], *first["port"])
    return [keep, "!(%s)" % keep]


def check(runner, path, keys_dir, work, check_exports):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    folder = os.path.dirname(os.path.abspath(path))
    capture = os.path.join(folder, manifest["capture"])
    options = plugin_options(manifest, folder, keys_dir)
    base = read(runner, capture, options)
    if any(f["not_analysed"] for f in base):
        return ["%s: frames not analysed without a read filter" % manifest["capture"]], 0
    errors = []
    views = 0

    for rfilter in read_filters(base):
        view = read(runner, capture, options, ["-2", "-R", rfilter])
        if len(view) in (0, len(base)):
            continue  # the filter does not split this capture
        views += 1
        compare("%s -R '%s'" % (manifest["capture"], rfilter), base, view,
                match(base, view), None, errors)

    encrypted = manifest.get("dtls_psk") or manifest.get("tls_psk")
    related_findings = [] if encrypted or not check_exports else sorted(
        {name for f in base for name, rel, _ in f["findings"] if rel is not None})
    for finding in related_findings:
        dfilter = 'coapjws.finding == "%s"' % finding
        out = os.path.join(work, "export.pcapng")
        tshark(runner, ["-r", capture, *options, "-2", "-Y", dfilter, "-w", out])
        os.chmod(out, 0o644)
        export = read(runner, out, options)
        numbers = match(base, export)
        by_number = {f["number"]: f for f in base}
        # The frames that matched the filter in the file must all be there.
        matched = {n for n, f in by_number.items() if any(x[0] == finding for x in f["findings"])}
        missing = matched - set(numbers.values())
        if missing:
            errors.append("%s export of %s: frames %s missing"
                          % (manifest["capture"], dfilter, sorted(missing)))
        checked = {new for new, original in numbers.items() if original in matched}
        views += 1
        compare("%s export of %s" % (manifest["capture"], dfilter), base, export, numbers,
                checked, errors)
        for frame in export:
            if frame["number"] in checked and frame["removed"]:
                errors.append("%s export of %s: frame %d depends on frames %s the export lacks"
                              % (manifest["capture"], dfilter, frame["number"], frame["removed"]))
    return errors, views


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    runner = sys.argv[1]
    work = tempfile.mkdtemp(prefix="coapjws-views.")
    os.chmod(work, 0o777)  # the unprivileged tshark writes the exports here
    failed = False
    try:
        check_exports = tshark_keeps_depended_upon(runner, work)
        if not check_exports:
            print("NOTE exports not checked: this tshark drops depended-upon frames from -w "
                  "exports (control: Wireshark's own IP reassembly); read filters checked")
        for path in sys.argv[2:]:
            try:
                errors, views = check(runner, path, work, work, check_exports)
            except Failure as e:
                errors, views = [str(e)], 0
            for error in errors:
                print("FAIL " + error)
            failed = failed or bool(errors)
            print("%s %s: %d views" % ("FAIL" if errors else "ok  ", os.path.basename(path), views))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
