#!/usr/bin/env python3
"""The plugin in Wireshark's GUI (wireshark-qt on a virtual X server), which
loads a file differently from tshark: with a read filter (File > Open's read
filter, -R) Wireshark 4.0 and 4.4 dissect each frame first for the filter
alone, with only the filter's fields, and then for the packet list, with the
fields the taps' filters name but not those a post-dissector wants.
(Wireshark 4.6 hands the post-dissector its fields in both.)

gui_probe.lua, a tap loaded with -X lua_script, records what the plugin shows
for every frame as the GUI dissected it while loading. Checked, for each
capture:
  * without a read filter the GUI shows the verdicts tshark shows;
  * with a read filter (one that drops the frames from the first CoAP
    frame's source address) every remaining frame is analysed (none says
    coapjws.expert.not_analysed) and shows:
      - from 4.6 on, the verdict tshark -2 -R shows for it (the analysis saw
        every frame of the file, as tshark's first pass does);
      - before 4.6, the verdict tshark shows for the same frame in a file
        that holds only the frames the filter kept (the analysis could see
        only those: the dropped frames were never dissected with CoAP's
        fields).

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  check_gui.py --runner tests/tshark/run_tshark.sh --wireshark wireshark \\
               --xvfb-run xvfb-run --keys pcaps/keys.jwks CAPTURE...
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ["coapjws.signature.status", "coapjws.tid", "coapjws.finding", "coapjws.request_in",
          "coapjws.replay_of", "coapjws.retransmission_of", "coapjws.finding.related_frame",
          "coapjws.removed_frame"]
COLUMNS = ["number", *FIELDS, "not_analysed"]


def major_minor(program):
    text = subprocess.run([program, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"(\d+\.\d+)", text)
    if not found:
        raise RuntimeError(f"cannot read the version of {program}")
    return found.group(1)


def normalise(value):
    return ",".join(sorted(v for v in value.split(",") if v))


def parse(text):
    frames = {}
    for line in text.splitlines():
        values = line.split("\t")
        if len(values) != len(COLUMNS):
            raise RuntimeError(f"unexpected probe line {line!r}")
        row = {name: normalise(value) for name, value in zip(COLUMNS, values)}
        frames[int(row.pop("number"))] = row
    return frames


def run_gui(args, capture, keys, extra):
    """What the plugin showed in the GUI for each frame."""
    tmp = tempfile.mkdtemp(prefix="coapjws-gui.")
    session = None
    try:
        home = os.path.join(tmp, "home")
        plugin_dir = os.path.join(home, ".local/lib/wireshark/plugins",
                                  major_minor(args.wireshark), "epan")
        profile = os.path.join(home, ".config/wireshark")
        os.makedirs(plugin_dir)
        os.makedirs(profile)
        os.makedirs(os.path.join(tmp, "runtime"))
        shutil.copy(os.environ["COAPJWS_PLUGIN"], os.path.join(plugin_dir, "coapjws.so"))
        shutil.copy(capture, os.path.join(tmp, "capture.pcap"))
        shutil.copy(keys, os.path.join(tmp, "keys.jwks"))
        shutil.copy(os.path.join(HERE, "gui_probe.lua"), os.path.join(tmp, "probe.lua"))
        # No start-up dialogs, no update checks.
        with open(os.path.join(profile, "recent_common"), "w") as f:
            f.write("privs.warn_if_elevated: FALSE\nsys.warn_if_no_capture: FALSE\n")
        with open(os.path.join(profile, "preferences"), "w") as f:
            f.write("gui.update.enabled: FALSE\n")
        out = os.path.join(tmp, "probe.txt")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
               "XDG_CONFIG_HOME": os.path.join(home, ".config"),
               "XDG_RUNTIME_DIR": os.path.join(tmp, "runtime"), "QT_QPA_PLATFORM": "xcb",
               "WIRESHARK_EXTCAP_DIR": os.path.join(tmp, "extcap"),
               "COAPJWS_PROBE_OUT": out, "LANG": "C.UTF-8"}
        os.makedirs(env["WIRESHARK_EXTCAP_DIR"])
        command = [args.xvfb_run, "-a", "-s", "-screen 0 1280x800x24", args.wireshark,
                   "-X", "lua_script:" + os.path.join(tmp, "probe.lua"),
                   "-o", "coapjws.keys_file:" + os.path.join(tmp, "keys.jwks"),
                   "-r", os.path.join(tmp, "capture.pcap"), *extra]
        if os.geteuid() == 0:
            # Wireshark ignores personal plugins when run as root.
            for root, dirs, files in os.walk(tmp):
                for name in dirs + files:
                    os.chown(os.path.join(root, name), 65534, 65534)
            os.chown(tmp, 65534, 65534)
            os.chmod(env["XDG_RUNTIME_DIR"], 0o700)
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        log = open(os.path.join(tmp, "wireshark.log"), "w")
        session = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        deadline = time.monotonic() + 90
        text = None
        while time.monotonic() < deadline:
            if session.poll() is not None:
                break
            if os.path.exists(out):
                # The taps are drawn again while the window settles: take the
                # last drawing once it has stopped changing.
                time.sleep(2)
                text = open(out).read()
                time.sleep(1)
                if open(out).read() == text:
                    break
            time.sleep(0.5)
        if text is None:
            log.flush()
            raise RuntimeError("the GUI wrote no probe output:\n" +
                               open(os.path.join(tmp, "wireshark.log")).read()[-3000:])
        return parse(text)
    finally:
        if session is not None and session.poll() is None:
            os.killpg(session.pid, signal.SIGTERM)
            try:
                session.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(session.pid, signal.SIGKILL)
                session.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def run_tshark(args, capture, keys_copy, extra):
    command = [args.runner, "-r", capture, "-n", "-o", "coapjws.keys_file:" + keys_copy, *extra,
               "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
    command += [arg for field in FIELDS for arg in ("-e", field)]
    command += ["-e", "coapjws.expert.not_analysed", "-e", "coap"]
    command.insert(1, "-e")
    command.insert(2, "frame.number")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"tshark failed: {result.stderr}")
    frames = {}
    coap = set()
    for line in result.stdout.splitlines():
        values = line.split("\t")
        row = {name: normalise(value) for name, value in zip(COLUMNS, values)}
        number = int(row.pop("number"))
        row["not_analysed"] = "yes" if row["not_analysed"] else ""
        if values[-1]:
            coap.add(number)
        frames[number] = row
    return frames, coap


def first_source(args, capture, keys_copy):
    # (-c would count the frames read, not the ones the filter keeps: a TCP
    # capture starts with a handshake.)
    result = subprocess.run([args.runner, "-r", capture, "-n", "-Y", "coap",
                             "-T", "fields", "-e", "ip.src", "-e", "ipv6.src"],
                            capture_output=True, text=True)
    first = result.stdout.split("\n", 1)[0]
    ip, _, ipv6 = first.partition("\t")
    return f"ip.src == {ip}" if ip else f"ipv6.src == {ipv6}"


def check_capture(args, capture, keys_copy):
    errors = []
    name = os.path.basename(capture)
    expected, _ = run_tshark(args, capture, keys_copy, [])
    shown = run_gui(args, capture, args.keys, [])
    if shown != expected:
        for number in sorted(set(expected) | set(shown)):
            if shown.get(number) != expected.get(number):
                errors.append(f"{name} frame {number}: GUI {shown.get(number)}, "
                              f"tshark {expected.get(number)}")

    rfilter = "!(%s)" % first_source(args, capture, keys_copy)
    shown = run_gui(args, capture, args.keys, ["-R", rfilter])
    if version_at_least(major_minor(args.wireshark), (4, 6)):
        truth = "tshark -2 -R"
        expected, coap = run_tshark(args, capture, keys_copy, ["-2", "-R", rfilter])
    else:
        truth = "tshark on the kept frames"
        expected, coap = run_tshark_on_kept_frames(args, capture, keys_copy, rfilter)
    if sorted(shown) != sorted(expected):
        errors.append(f"{name} -R '{rfilter}': GUI frames {sorted(shown)}, "
                      f"{truth} frames {sorted(expected)}")
    analysed = 0
    for number in sorted(set(shown) & set(expected)):
        got, want = shown[number], expected[number]
        if got["not_analysed"]:
            errors.append(f"{name} -R '{rfilter}' frame {number}: not analysed")
            continue
        if got != want:
            errors.append(f"{name} -R '{rfilter}' frame {number}: GUI {got}, {truth} {want}")
        elif number in coap:
            analysed += 1
    if not coap:
        errors.append(f"{name} -R '{rfilter}': no CoAP frame is left to check")
    return errors, analysed, truth


def version_at_least(text, wanted):
    return tuple(int(part) for part in text.split(".")) >= wanted


def run_tshark_on_kept_frames(args, capture, keys_copy, rfilter):
    """tshark's verdicts on a file holding only the frames `rfilter` keeps.
    The tshark that writes that file does not run our protocol (it is loaded
    and disabled: a tshark that does not know it refuses the option from
    4.4 on)."""
    with tempfile.TemporaryDirectory(prefix="coapjws-kept.") as tmp:
        os.chmod(tmp, 0o777)  # the unprivileged tshark writes the file here
        kept = os.path.join(tmp, "kept.pcapng")
        result = subprocess.run([args.runner, "-r", capture, "-n", "--disable-protocol",
                                 "coapjws", "-Y", rfilter, "-w", kept],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"tshark could not write the kept frames: {result.stderr}")
        os.chmod(kept, 0o644)
        return run_tshark(args, kept, keys_copy, [])


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--wireshark", required=True)
    parser.add_argument("--xvfb-run", required=True)
    parser.add_argument("--keys", required=True)
    parser.add_argument("captures", nargs="+")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="coapjws-keys.") as keys_dir:
        os.chmod(keys_dir, 0o755)
        keys_copy = os.path.join(keys_dir, "keys.jwks")
        shutil.copy(args.keys, keys_copy)
        os.chmod(keys_copy, 0o644)
        for capture in args.captures:
            try:
                errors, analysed, truth = check_capture(args, capture, keys_copy)
            except RuntimeError as e:
                errors, analysed, truth = [str(e)], 0, ""
            for error in errors:
                print("FAIL " + error)
            failed = failed or bool(errors)
            if not errors:
                print(f"ok   {os.path.basename(capture)}: GUI = tshark without a read filter; "
                      f"with one, all {analysed} CoAP frames analysed and = {truth}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
