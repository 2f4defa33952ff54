#!/usr/bin/env python3
"""The whole-process benchmark (docs/PERFORMANCE.md, part two).

Run through bench/whole_process.sh, which builds the programs first. For each
capture (algorithm x number of streams) it times, side by side and in turns:

  raw            coapjws_pcap_read: pcap_next_ex over the file, every byte summed
  floor          (HS256 only) coapjws_pcap_read --hmac: the same read plus one
                 HMAC-SHA-256 per record, the floor of HMAC traffic
  scan           coapjws-scan --quiet -j 1, no keys
  scan-keys-j1   coapjws-scan --quiet -j 1 -k KEYS
  scan-keys-j2   coapjws-scan --quiet -j 2 -k KEYS
  tshark         tshark -T fields (frame number, CoAP MID), no coapjws plugin
  tshark-plugin  the same with the plugin loaded, plus two coapjws fields
  tshark-plugin-keys   the same with the keys file set

Each run's wall time and peak resident memory come from wait4(); the median
of --repeat runs is kept. Rates and ratios are printed per capture, then the
issue's targets as PASS/MISS, and everything goes into a JSON file.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

MIB = 1024 * 1024

# The targets (ratios on the same capture, in the same run).
SCAN_VS_TSHARK = 40.0
SCAN_VS_RAW = 0.30
HS256_VS_TSHARK = 20.0
VERIFY_VS_OPENSSL = 0.90
SCALING_2_CORES = 1.8
PLUGIN_OVERHEAD = 1.25
PEAK_MIB = 64.0
HS256_VS_FLOOR = 0.60  # the read plus one HMAC per message (coapjws_pcap_read --hmac)
HMAC_SCALING_2_CORES = 1.6


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build-dir", required=True)
    p.add_argument("--work-dir", required=True,
                   help="captures (cached by parameters), tshark homes, results")
    p.add_argument("--messages", type=int, default=1_000_000)
    p.add_argument("--quick", action="store_true", help="100 000 messages")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--algs", default="HS256,ES256,EdDSA",
                   help="HS256, ES256, EdDSA, and unsigned (the same traffic without JWS)")
    p.add_argument("--streams", default="1,10000")
    p.add_argument("--no-tshark", action="store_true")
    p.add_argument("--tshark-algs", default="HS256",
                   help="algorithms whose captures also get the tshark runs (tshark's cost "
                        "does not depend on the signature algorithm); 'all' or 'none'")
    p.add_argument("--tshark-keys-algs", default="HS256",
                   help="algorithms whose captures also get the tshark-plugin-keys run "
                        "(each ES256/EdDSA one verifies every signature in tshark: slow); "
                        "'all' or 'none'")
    p.add_argument("--openssl-seconds", type=int, default=3)
    p.add_argument("--json", help="results file (default: WORK_DIR/results-<time>.json)")
    p.add_argument("--tshark", default="tshark")
    args = p.parse_args()
    if args.quick:
        args.messages = 100_000
    args.algs = [a for a in args.algs.split(",") if a]
    args.streams = [int(s) for s in args.streams.split(",") if s]
    args.tshark_algs = alg_subset(args.tshark_algs, args.algs)
    args.tshark_keys_algs = alg_subset(args.tshark_keys_algs, args.algs)
    return args


def alg_subset(text, algs):
    """An --tshark-*algs value: 'all', 'none' or a comma-separated list."""
    if text == "all":
        return list(algs)
    if text == "none":
        return []
    return [a for a in text.split(",") if a]


def log(text):
    print(text, file=sys.stderr, flush=True)


def timed(argv, stdout=subprocess.DEVNULL, env=None, cwd=None):
    """Runs argv under GNU time; returns (wall s, peak RSS bytes, user+sys s, exit, stderr).

    Peak RSS comes from /usr/bin/time (%M): a child forked from this Python
    process would count Python's own resident memory in its ru_maxrss (the
    kernel keeps the high-water mark across exec); time's is a few hundred KiB.
    """
    stats = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"coapjws-time.{os.getpid()}")
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-o", stats, "-f", "%M %U %S"] + argv, stdout=stdout,
                          stderr=subprocess.PIPE, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    err = proc.stderr.decode(errors="replace")
    fields = open(stats).read().split()
    os.unlink(stats)
    # time writes "Command exited with non-zero status N" before the values.
    peak_kib, user, system = int(fields[-3]), float(fields[-2]), float(fields[-1])
    return wall, peak_kib * 1024, user + system, proc.returncode, err


class Tshark:
    """tshark with and without our plugin, as an unprivileged user when root
    (Wireshark ignores personal plugins for root), like tests/tshark/run_tshark.sh."""

    def __init__(self, tshark, plugin, work):
        self.path = shutil.which(tshark)
        if not self.path:
            sys.exit(f"whole_process: {tshark} not found (use --no-tshark)")
        out = subprocess.run([self.path, "--version"], capture_output=True, text=True).stdout
        self.version = out.splitlines()[0] if out else "?"
        m = re.search(r"(\d+\.\d+)", self.version)
        major_minor = m.group(1)
        self.homes = {}
        for name in ("plain", "plugin"):
            home = os.path.join(work, "tshark-home", name)
            shutil.rmtree(home, ignore_errors=True)
            os.makedirs(os.path.join(home, ".config"))
            if name == "plugin":
                plugin_dir = os.path.join(home, ".local/lib/wireshark/plugins", major_minor, "epan")
                os.makedirs(plugin_dir)
                shutil.copy(plugin, os.path.join(plugin_dir, "coapjws.so"))
            self.homes[name] = home
        self.extcap = os.path.join(work, "tshark-home", "extcap")  # none: tshark starts faster
        os.makedirs(self.extcap, exist_ok=True)
        chmod_tree(os.path.join(work, "tshark-home"))

    def argv(self, home, args):
        env = ["env", "-i", "PATH=/usr/bin:/bin", f"HOME={self.homes[home]}",
               f"XDG_CONFIG_HOME={self.homes[home]}/.config", f"WIRESHARK_EXTCAP_DIR={self.extcap}"]
        prefix = []
        if os.geteuid() == 0:
            prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        return prefix + env + [self.path] + args


def chmod_tree(path):
    """Readable (and folders enterable) by everyone, for tshark as nobody."""
    for root, dirs, files in os.walk(path):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)


def make_capture(args, alg, streams):
    base = os.path.join(args.work_dir, "captures", f"{alg}-m{args.messages}-s{streams}")
    pcap, keys, stamp_path = base + ".pcap", base + ".jwks", base + ".made-by"
    generator = os.path.join(args.build_dir, "bench/coapjws_bulk_capture")
    # A capture is reused while the generator's source is unchanged (a
    # rebuild against a changed engine makes the same traffic).
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bulk_capture.cpp")
    stamp = hashlib.sha256(open(source, "rb").read()).hexdigest() + "\n"
    if (os.path.exists(pcap) and os.path.exists(keys) and os.path.exists(stamp_path)
            and open(stamp_path).read() == stamp):
        return pcap, keys
    os.makedirs(os.path.dirname(base), exist_ok=True)
    log(f"  making {os.path.basename(pcap)} ...")
    start = time.perf_counter()
    subprocess.run([generator, "--alg", alg,
                    "--messages", str(args.messages), "--streams", str(streams),
                    "--out", pcap + ".tmp", "--keys", keys + ".tmp", "--threads", "2"],
                   check=True)
    os.replace(keys + ".tmp", keys)
    os.replace(pcap + ".tmp", pcap)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    log(f"  made in {time.perf_counter() - start:.1f} s")
    return pcap, keys


def openssl_speed(seconds):
    """Single-core verifications per second from `openssl speed`."""
    if seconds <= 0:
        return {}
    out = subprocess.run(["openssl", "speed", "-seconds", str(seconds), "ecdsap256", "ed25519"],
                         capture_output=True, text=True, check=True).stdout
    rates = {}
    for line in out.splitlines():
        m = re.match(r"\s*\d+ bits (ecdsa|EdDSA) \((\w+)\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)",
                     line)
        if m:
            rates["ES256" if m.group(2) == "nistp256" else "EdDSA"] = float(m.group(4))
    return {"verify_per_s": rates, "version": subprocess.run(
        ["openssl", "version"], capture_output=True, text=True).stdout.strip()}


def scan_summary_ok(text, messages, keys):
    """The scan's summary must account for every message: all valid with keys."""
    m = re.search(r"(\d+) packets?, (\d+) CoAP messages?", text)
    if not m or int(m.group(2)) != messages:
        return False
    if keys:
        v = re.search(r"\((\d+) valid", text)
        return bool(v) and int(v.group(1)) == messages
    return True


def check_tshark(ts, home, pcap, extra, expect_status):
    """Untimed: the first frames through tshark must have the expected status,
    so the plugin really ran (and verified, with keys)."""
    argv = ts.argv(home, ["-r", pcap, "-c", "200", "-T", "fields", "-e", "coapjws.signature.status"]
                   + extra)
    out = subprocess.run(argv, capture_output=True, text=True)
    statuses = set(out.stdout.split())
    if statuses != {expect_status}:
        sys.exit(f"whole_process: tshark {home} on {pcap}: statuses {statuses or '{}'}, "
                 f"expected only {expect_status}\n{out.stderr}")


def measure_capture(args, ts, alg, streams):
    pcap, keys = make_capture(args, alg, streams)
    chmod_tree(os.path.join(args.work_dir, "captures"))
    build = args.build_dir
    scan = os.path.join(build, "analyzer/coapjws-scan")
    runs = {
        "raw": [os.path.join(build, "bench/coapjws_pcap_read"), pcap],
        "scan": [scan, "--quiet", "-j", "1", pcap],
    }
    signed = alg != "unsigned"  # --algs unsigned: the same exchanges as plain CoAP
    if signed:
        runs["scan-keys-j1"] = [scan, "--quiet", "-j", "1", "-k", keys, pcap]
        runs["scan-keys-j2"] = [scan, "--quiet", "-j", "2", "-k", keys, pcap]
    if alg == "HS256":
        runs = {"raw": runs["raw"],
                "floor": [os.path.join(build, "bench/coapjws_pcap_read"), "--hmac", pcap],
                **{k: v for k, v in runs.items() if k != "raw"}}
    homes = {}
    if ts and alg in args.tshark_algs:
        fields = ["-T", "fields", "-e", "frame.number", "-e", "coap.mid"]
        ours = ["-e", "coapjws.signature.status", "-e", "coapjws.finding"]
        runs["tshark"] = ts.argv("plain", ["-r", pcap] + fields)
        runs["tshark-plugin"] = ts.argv("plugin", ["-r", pcap] + fields + ours)
        homes = {"tshark": "plain", "tshark-plugin": "plugin"}
        if signed:
            check_tshark(ts, "plugin", pcap, [], "unverified")
        if signed and alg in args.tshark_keys_algs:
            keys_pref = ["-o", f"coapjws.keys_file:{keys}"]
            runs["tshark-plugin-keys"] = ts.argv("plugin", ["-r", pcap] + fields + ours + keys_pref)
            check_tshark(ts, "plugin", pcap, keys_pref, "valid")

    samples = {name: [] for name in runs}
    load_before = os.getloadavg()
    for r in range(args.repeat):
        for name, argv in runs.items():
            out_path = os.path.join(args.work_dir, "scan-output.txt")
            keyed = name.startswith("scan-keys")
            # Scans with keys print only the summary (no findings): keep it to
            # check it. Everything else writes a line per message: to /dev/null.
            reads = name in ("raw", "floor")
            with open(out_path, "w") if keyed or reads else open(os.devnull, "w") as out:
                wall, rss, cpu, rc, err = timed(argv, stdout=out)
            text = open(out_path).read() if keyed or reads else ""
            ok_rc = rc == 0 if (keyed or reads or name.startswith("tshark")) else rc in (0, 1)
            if not ok_rc:
                sys.exit(f"whole_process: {name} failed (exit {rc}): {' '.join(argv)}\n{err}")
            if keyed and not scan_summary_ok(text, args.messages, True):
                sys.exit(f"whole_process: {name}: summary does not show {args.messages} valid "
                         f"messages:\n{text}")
            if reads and not text.startswith(f"{args.messages} records"):
                sys.exit(f"whole_process: {name} read: {text}")
            samples[name].append({"wall_s": wall, "peak_rss_bytes": rss, "cpu_s": cpu})
            log(f"  [{r + 1}/{args.repeat}] {name:20s} {wall:8.2f} s  {rss / MIB:7.1f} MiB"
                f"  cpu {cpu:7.2f} s")
    load_after = os.getloadavg()

    result = {"alg": alg, "streams": streams, "messages": args.messages,
              "capture_bytes": os.path.getsize(pcap), "load_before": load_before,
              "load_after": load_after, "runs": {}}
    for name, s in samples.items():
        wall = statistics.median(x["wall_s"] for x in s)
        result["runs"][name] = {
            "wall_s": wall,
            "messages_per_s": args.messages / wall,
            "peak_rss_mib": max(x["peak_rss_bytes"] for x in s) / MIB,
            "cpu_s": statistics.median(x["cpu_s"] for x in s),
            "samples": s,
            "argv": runs[name],
        }
    return result


def ratio(result, a, b):
    ra, rb = result["runs"].get(a), result["runs"].get(b)
    if not ra or not rb:
        return None
    return ra["messages_per_s"] / rb["messages_per_s"]


def print_capture(result):
    runs = result["runs"]
    print(f"\n## {result['alg']}, {result['streams']} stream(s), {result['messages']} messages "
          f"({result['capture_bytes'] / MIB:.0f} MiB), load {result['load_before'][0]:.2f} -> "
          f"{result['load_after'][0]:.2f}")
    print(f"{'run':20s} {'wall s':>8s} {'msgs/s':>12s} {'x tshark':>9s} {'of raw':>8s} "
          f"{'peak MiB':>9s} {'cpu s':>7s}")
    for name, r in runs.items():
        vs_tshark = ratio(result, name, "tshark")
        vs_raw = ratio(result, name, "raw")
        print(f"{name:20s} {r['wall_s']:8.2f} {r['messages_per_s']:12,.0f} "
              f"{'' if vs_tshark is None else f'{vs_tshark:9.2f}':>9s} "
              f"{'' if vs_raw is None else f'{vs_raw * 100:7.1f}%':>8s} "
              f"{r['peak_rss_mib']:9.1f} {r['cpu_s']:7.2f}")


def targets(results, speed):
    """(target, capture, value, wanted, PASS/MISS) rows."""
    rows = []

    def add(name, res, value, wanted, ok):
        if value is None:
            return
        rows.append({"target": name, "capture": f"{res['alg']}/{res['streams']}",
                     "value": value, "wanted": wanted, "pass": bool(ok)})

    verify = speed.get("verify_per_s", {}) if speed else {}
    for res in results:
        v = ratio(res, "scan", "tshark")
        add("scan, no keys vs tshark", res, v, f">= {SCAN_VS_TSHARK:g}x",
            v is not None and v >= SCAN_VS_TSHARK)
        v = ratio(res, "scan", "raw")
        add("scan, no keys vs raw libpcap read", res, v, f">= {SCAN_VS_RAW:.0%}",
            v is not None and v >= SCAN_VS_RAW)
        if res["alg"] == "HS256":
            v = ratio(res, "scan-keys-j1", "tshark")
            add("scan, HS256 keys vs tshark", res, v, f">= {HS256_VS_TSHARK:g}x",
                v is not None and v >= HS256_VS_TSHARK)
            v = ratio(res, "scan-keys-j1", "floor")
            add("scan, HS256 keys vs floor (read + HMAC)", res, v, f">= {HS256_VS_FLOOR:.0%}",
                v is not None and v >= HS256_VS_FLOOR)
            v = ratio(res, "scan-keys-j2", "scan-keys-j1")
            add("scan, HS256 keys, -j 2 vs -j 1", res, v, f">= {HMAC_SCALING_2_CORES:g}x",
                v is not None and v >= HMAC_SCALING_2_CORES)
        elif res["alg"] != "unsigned":
            if res["alg"] in verify:
                # `openssl speed` divides by its CPU (user) time; so do we:
                # messages per CPU second of the -j 1 scan (one signature each).
                j1 = res["runs"]["scan-keys-j1"]
                v = res["messages"] / j1["cpu_s"] / verify[res["alg"]]
                add(f"scan, {res['alg']} keys, -j 1 vs openssl speed verify (CPU)", res, v,
                    f">= {VERIFY_VS_OPENSSL:.0%}", v >= VERIFY_VS_OPENSSL)
                v = j1["messages_per_s"] / verify[res["alg"]]
                add(f"scan, {res['alg']} keys, -j 1 vs openssl speed verify (wall)", res, v,
                    f">= {VERIFY_VS_OPENSSL:.0%}", v >= VERIFY_VS_OPENSSL)
            v = ratio(res, "scan-keys-j2", "scan-keys-j1")
            add("scan with keys, -j 2 vs -j 1", res, v, f">= {SCALING_2_CORES:g}x",
                v is not None and v >= SCALING_2_CORES)
        for run in ("tshark-plugin", "tshark-plugin-keys"):
            v = ratio(res, "tshark", run)  # time with plugin / time without
            add(f"{run} vs tshark (time)", res, v, f"<= {PLUGIN_OVERHEAD:g}x",
                v is not None and v <= PLUGIN_OVERHEAD)
        peak = max(r["peak_rss_mib"] for n, r in res["runs"].items() if n.startswith("scan"))
        add("scan peak memory (MiB)", res, peak, f"<= {PEAK_MIB:g}", peak <= PEAK_MIB)
    return rows


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
            "python": platform.python_version()}


def main():
    args = parse_args()
    args.work_dir = os.path.abspath(args.work_dir)
    args.build_dir = os.path.abspath(args.build_dir)
    os.makedirs(args.work_dir, exist_ok=True)
    os.chmod(args.work_dir, 0o755)
    ts = None
    if not args.no_tshark:
        ts = Tshark(args.tshark, os.path.join(args.build_dir, "plugin/coapjws.so"), args.work_dir)
    info = machine()
    log(f"whole-process benchmark: {args.messages} messages, algs {','.join(args.algs)}, "
        f"streams {','.join(map(str, args.streams))}, repeat {args.repeat}; "
        f"{info['cpu']}, {info['cores']} cores, load {os.getloadavg()[0]:.2f}")
    started = datetime.datetime.now(datetime.timezone.utc)
    results = []
    for alg in args.algs:
        for streams in args.streams:
            log(f"{alg}, {streams} stream(s):")
            results.append(measure_capture(args, ts, alg, streams))
    speed = {}
    if any(a in ("ES256", "EdDSA") for a in args.algs):
        log(f"openssl speed -seconds {args.openssl_seconds} ecdsap256 ed25519 ...")
        speed = openssl_speed(args.openssl_seconds)

    print(f"# Whole-process benchmark, {started:%Y-%m-%d %H:%M} UTC")
    print(f"machine: {info['cpu']}, {info['cores']} cores, Linux {info['kernel']}")
    if ts:
        print(f"tshark: {ts.version}")
    if speed:
        print(f"openssl speed ({speed['version']}), verify/s on one core: " +
              ", ".join(f"{k} {v:,.0f}" for k, v in speed["verify_per_s"].items()))
    for res in results:
        print_capture(res)
    rows = targets(results, speed)
    print("\n## Targets")
    for row in rows:
        value = row["value"]
        shown = f"{value:.1%}" if "%" in row["wanted"] else f"{value:.2f}"
        print(f"{'PASS' if row['pass'] else 'MISS'}  {row['target']:56s} {row['capture']:12s} "
              f"{shown:>9s}  (want {row['wanted']})")

    out = args.json or os.path.join(args.work_dir, f"results-{started:%Y%m%dT%H%M%S}.json")
    with open(out, "w") as f:
        json.dump({"started": started.isoformat(), "machine": info, "messages": args.messages,
                   "repeat": args.repeat, "tshark": ts.version if ts else None,
                   "openssl_speed": speed, "captures": results, "targets": rows}, f, indent=1)
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
