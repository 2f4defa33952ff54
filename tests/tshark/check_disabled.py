#!/usr/bin/env python3
"""While the CoAP-JWS protocol is disabled (--disable-protocol coapjws, or
Analyze > Enabled Protocols) the plugin costs nothing it can avoid: it loads
no keys (a keys file that cannot be read is not even opened, so nothing is
said about it) and shows nothing. Enabled again, the same options report the
keys file and show verdicts. (That it also stops asking Wireshark for CoAP's
fields, which would make Wireshark build a protocol tree for every packet,
shows in speed only: bench/plugin_overhead.sh measures it.)

  COAPJWS_PLUGIN=build/plugin/coapjws.so check_disabled.py tests/tshark/run_tshark.sh CAPTURE
"""
import subprocess
import sys

MISSING_KEYS = "/nonexistent/coapjws-keys.jwks"


def run(runner, capture, extra):
    args = [runner, "-r", capture, "-n", "-o", "coapjws.keys_file:" + MISSING_KEYS, *extra,
            "-T", "fields", "-e", "frame.number", "-e", "coapjws.signature.status"]
    return subprocess.run(args, capture_output=True, text=True)


def main():
    runner, capture = sys.argv[1], sys.argv[2]
    failures = []
    disabled = run(runner, capture, ["--disable-protocol", "coapjws"])
    enabled = run(runner, capture, [])
    if disabled.returncode != 0:
        failures.append(f"disabled: tshark exited {disabled.returncode}: {disabled.stderr}")
    if MISSING_KEYS in disabled.stderr:
        failures.append(f"disabled, yet the keys file was read:\n{disabled.stderr}")
    if any(line.split("\t")[1:] != [""] for line in disabled.stdout.splitlines()):
        failures.append(f"disabled, yet verdicts were shown:\n{disabled.stdout}")
    if MISSING_KEYS not in enabled.stderr:
        failures.append(f"enabled: the missing keys file was not reported:\n{enabled.stderr}")
    if "unverified" not in enabled.stdout:
        failures.append(f"enabled: no verdicts shown:\n{enabled.stdout}")
    for failure in failures:
        print("FAIL " + failure)
    if not failures:
        print("ok   disabled: no keys loaded, nothing shown; enabled: keys reported, verdicts shown")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
