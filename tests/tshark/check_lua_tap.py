#!/usr/bin/env python3
"""The "coapjws" tap as a Lua script sees it (README, "Taps"): a
Listener.new("coapjws") is called once for each message the plugin shows
(basic.pcap has one CoAP message per frame), and there reads the message's
signature status and findings.
The frames, statuses and findings come from the hand-written expectations
(tests/plugin/basic.expect.json); frames the plugin has nothing to say about
get no call.

  COAPJWS_PLUGIN=build/plugin/coapjws.so \\
  check_lua_tap.py --runner tests/tshark/run_tshark.sh \\
      --script tests/tshark/tap_messages.lua \\
      --expect tests/plugin/basic.expect.json:keys --expect tests/plugin/basic.expect.json:no-keys
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--expect", action="append", required=True, help="FILE.expect.json:RUN")
    args = parser.parse_args()

    failed = False
    tmp = tempfile.mkdtemp(prefix="coapjws-lua-tap.")
    try:
        os.chmod(tmp, 0o755)
        script = os.path.join(tmp, "tap_messages.lua")
        shutil.copy(args.script, script)
        os.chmod(script, 0o644)
        for item in args.expect:
            path, _, run_name = item.rpartition(":")
            spec = json.load(open(path))
            folder = os.path.dirname(os.path.abspath(path))
            keys_dir = os.path.join(tmp, run_name)
            os.makedirs(keys_dir, mode=0o755)
            shutil.copy(os.path.join(folder, "keys", "keys.jwks"), keys_dir)
            os.chmod(os.path.join(keys_dir, "keys.jwks"), 0o644)
            run_spec = spec["runs"][run_name]
            options = [o.replace("{keys}", keys_dir) for o in run_spec.get("options", [])]
            out = subprocess.run([args.runner, "-r", os.path.join(folder, spec["capture"]), "-n",
                                  *options, "-q", "-X", "lua_script:" + script],
                                 capture_output=True, text=True)
            errors = []
            if out.returncode != 0 or "Lua" in out.stderr:
                errors.append("tshark failed (exit %d): %s" % (out.returncode, out.stderr.strip()))
            calls = {}
            for line in out.stdout.splitlines():
                cells = line.split("\t")
                if cells[0] == "tap" and len(cells) == 4:
                    calls.setdefault(cells[1], []).append((cells[2], cells[3]))
            want = {}
            for number, frame in run_spec["frames"].items():
                if frame is not None:
                    want[number] = [(frame.get("status") or "", ",".join(frame["findings"]))]
            for number in sorted(set(calls) | set(want), key=int):
                if calls.get(number) != want.get(number):
                    errors.append("frame %s: tap calls %s, expected %s"
                                  % (number, calls.get(number), want.get(number)))
            label = "%s [%s]" % (spec["capture"], run_name)
            for error in errors:
                print("FAIL %s: %s" % (label, error))
            if not errors:
                print("ok   %s: %d tap calls as expected" % (label, len(calls)))
            failed = failed or bool(errors) or not calls
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
