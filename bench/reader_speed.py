#!/usr/bin/env python3
"""Capture readers side by side (docs/PERFORMANCE.md, "Capture readers").

Makes one capture of signed CoAP messages (coapjws_bulk_capture), its pcapng
form (editcap) and gzip, zstd and lz4 copies (the command-line tools at their
default levels), then times on each file, in turns, --repeat times:

  libpcap       coapjws_capture_read libpcap: libpcap over stdio (the raw read
                of the whole-process benchmark); compressed files through
                zlib / libzstd / liblz4 behind a stdio stream
  wiretap       coapjws_capture_read wiretap: libwiretap's wtap_read() loop
  scan-reader   coapjws_capture_read scan-reader: coapjws-scan's CaptureReader
  scan          coapjws-scan --quiet -j 1 (no keys): the whole analyzer
  scan-libpcap  the same, built on libpcap (--scan-libpcap PATH: a coapjws-scan
                from before libwiretap; pcap and pcapng only, it reads no other)

Every reader sums every byte of every record, and the sums must agree. The
median wall time of the repeats is kept; rates are records per second.

  bench/reader_speed.py --build-dir build --work-dir build-bench/readers
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

READERS = ["libpcap", "wiretap", "scan-reader", "scan"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build-dir", required=True)
    p.add_argument("--work-dir", required=True)
    p.add_argument("--messages", type=int, default=1_000_000)
    p.add_argument("--streams", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--json", help="write the results here too")
    p.add_argument("--scan-libpcap", help="a coapjws-scan built on libpcap, to run beside")
    return p.parse_args()


def run_timed(command):
    """Wall seconds, CPU seconds and peak MiB of one run (wait4). Output goes
    to temporary files: a report can be far larger than a pipe holds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        first_line = out.readline().decode()
        error = err.read(4096).decode()
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code, first_line, error


def make_files(args, build, work):
    os.makedirs(work, exist_ok=True)
    base = os.path.join(work, "bulk-%d.pcap" % args.messages)
    if not os.path.exists(base):
        subprocess.run([os.path.join(build, "bench", "coapjws_bulk_capture"), "--alg", "HS256",
                        "--messages", str(args.messages), "--streams", str(args.streams),
                        "--out", base, "--keys", base + ".jwks"], check=True)
    files = {"pcap": base}
    pcapng = base + "ng"
    if not os.path.exists(pcapng):
        subprocess.run(["editcap", "-F", "pcapng", base, pcapng], check=True)
    files["pcapng"] = pcapng
    for name, suffix, command in [("pcap.gz", ".gz", ["gzip", "-kf"]),
                                  ("pcap.zst", ".zst", ["zstd", "-qf", "-k"]),
                                  ("pcap.lz4", ".lz4", ["lz4", "-qf"])]:
        target = base + suffix
        if not os.path.exists(target):
            extra = [target] if name == "pcap.lz4" else []
            subprocess.run(command + [base] + extra, check=True)
        files[name] = target
    return files


def command_for(reader, build, path, args):
    if reader == "scan-libpcap":
        return [args.scan_libpcap, "--quiet", "-j", "1", "--fail-on", "never", path]
    if reader == "scan":
        return [os.path.join(build, "analyzer", "coapjws-scan"), "--quiet", "-j", "1",
                "--fail-on", "never", path]
    return [os.path.join(build, "bench", "coapjws_capture_read"), reader, path]


def main():
    args = parse_args()
    build = os.path.abspath(args.build_dir)
    files = make_files(args, build, os.path.abspath(args.work_dir))
    readers = READERS + (["scan-libpcap"] if args.scan_libpcap else [])
    def runs(f):
        return [r for r in readers if r != "scan-libpcap" or f in ("pcap", "pcapng")]
    times = {(f, r): [] for f in files for r in runs(f)}
    cpu = {(f, r): [] for f in files for r in runs(f)}
    peak = {(f, r): 0.0 for f in files for r in runs(f)}
    sums = {}
    for _ in range(args.repeat):
        for f, path in files.items():
            for r in runs(f):
                wall, cpu_s, mib, code, out, err = run_timed(command_for(r, build, path, args))
                if code not in (0, 1):
                    sys.exit("%s on %s failed (%d): %s" % (r, f, code, err.strip()))
                if not r.startswith("scan") or r == "scan-reader":
                    sums.setdefault(f, set()).add(out.strip())
                times[(f, r)].append(wall)
                cpu[(f, r)].append(cpu_s)
                peak[(f, r)] = max(peak[(f, r)], mib)
    for f, seen in sums.items():
        if len(seen) != 1:
            sys.exit("the readers disagree on %s: %s" % (f, seen))

    results = []
    print("%-10s %-12s %8s %8s %12s %9s %8s" % ("file", "reader", "wall s", "CPU s",
                                               "records/s", "÷libpcap", "peak MiB"))
    for f in files:
        base_rate = None
        for r in runs(f):
            wall = statistics.median(times[(f, r)])
            rate = args.messages / wall
            if r == "libpcap":
                base_rate = rate
            ratio = rate / base_rate if base_rate else 0.0
            # Below the Python parent's size, wait4's peak is the fork's, not the program's.
            shown_peak = "%8.1f" % peak[(f, r)] if r.startswith("scan") and r != "scan-reader" else "       -"
            print("%-10s %-12s %8.3f %8.3f %12.0f %8.1f%% %s" % (
                f, r, wall, statistics.median(cpu[(f, r)]), rate, 100 * ratio, shown_peak))
            results.append({"file": f, "reader": r, "wall_s": wall,
                            "cpu_s": statistics.median(cpu[(f, r)]), "records_per_s": rate,
                            "of_libpcap": ratio, "peak_mib": peak[(f, r)]})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"messages": args.messages, "repeat": args.repeat,
                       "machine": platform.platform(), "results": results}, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
