#!/usr/bin/env python3
"""Capture fuzzing through both front ends, in the manner of Wireshark's
tools/fuzz-test.sh: `editcap -E <probability> --seed <n>` changes random
packet bytes of a capture (editcap mutates the packet data only; record
headers are rewritten from the parsed records, so a mutated file is never cut
short), and the result goes through

  (a) tshark with the coapjws plugin (sanitizer build, runtimes preloaded),
      with and without keys, in one pass and in two (-2), as -V -x text and
      as -T fields of the plugin's fields; the one-pass and two-pass field
      values must agree;
  (b) coapjws-scan (sanitizer build) with --messages in JSON (every line must
      be a JSON object) and in text.

A failure is: a signal or abort, a sanitizer report, a hang (time limit), a
tshark exit status other than 0, a "Dissector bug" in CoAP-JWS, one- and
two-pass fields that differ, a coapjws-scan exit status other than 0, 1
or 3 (3 only with the outcome "unanalysed" and not one CoAP message in the
output: a mutated header can leave nothing readable), or output that is not
JSON lines. Every failing input is kept with its command lines and
outputs under <out>/failures/. Iteration i mutates capture i mod N with
probability P[i mod len(P)] and seed <seed> + i, so one iteration can be
replayed alone with --only i.

Called by scripts/editcap-fuzz.sh, which builds the sanitizer binaries and
sets the environment; see fuzz/README.md.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

FIELDS = [
    "frame.number", "coapjws.tid", "coapjws.key_id", "coapjws.seq", "coapjws.alg",
    "coapjws.isi", "coapjws.signature.status", "coapjws.finding", "coapjws.finding.related_frame",
    "coapjws.replay_of", "coapjws.retransmission_of", "coapjws.request_in",
    "coapjws.request_tid", "coapjws.error", "coapjws.header",
]

SANITIZER_PATTERNS = [
    re.compile(rb"ERROR: AddressSanitizer"),
    re.compile(rb"ERROR: LeakSanitizer"),
    re.compile(rb"runtime error:"),
    re.compile(rb"SUMMARY: \w+Sanitizer"),
]
DISSECTOR_BUG = re.compile(rb"Dissector bug, protocol ([^:\]]*)")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scan", required=True, help="coapjws-scan (sanitizer build)")
    p.add_argument("--plugin", required=True, help="coapjws.so (sanitizer build)")
    p.add_argument("--keys", required=True, help="JWK Set for both front ends")
    p.add_argument("--out", required=True, help="folder for failures and the log")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--seconds", type=float, default=120.0, help="time budget (0: no limit)")
    p.add_argument("--iterations", type=int, default=0, help="iteration budget (0: no limit)")
    p.add_argument("--first", type=int, default=0, help="first iteration number")
    p.add_argument("--only", type=int, default=None, help="replay this one iteration")
    p.add_argument("--probabilities", default="0.02,0.005,0.05,0.1")
    p.add_argument("--jobs", type=int, default=1, help="iterations run at once")
    p.add_argument("--timeout", type=float, default=300.0, help="limit per tool run, seconds")
    p.add_argument("--tshark", default="tshark")
    p.add_argument("--editcap", default="editcap")
    p.add_argument("--preload", default="", help="LD_PRELOAD for tshark (sanitizer runtimes)")
    p.add_argument("captures", nargs="+")
    return p.parse_args()


class Runner:
    """Runs tshark as the plugin needs it: a temporary HOME holding the
    plugin, and, when we are root, as nobody (Wireshark ignores personal
    plugins for root). Same approach as tests/tshark/run_tshark.sh, set up
    once for the whole run instead of once per tshark start."""

    def __init__(self, args, work):
        self.args = args
        self.work = work
        version = subprocess.run([args.tshark, "--version"], capture_output=True, text=True).stdout
        m = re.search(r"(\d+\.\d+)", version)
        if not m:
            sys.exit("editcap-fuzz: cannot read the tshark version")
        self.home = os.path.join(work, "home")
        plugin_dir = os.path.join(self.home, ".local/lib/wireshark/plugins", m.group(1), "epan")
        os.makedirs(plugin_dir)
        os.makedirs(os.path.join(work, "extcap"))
        shutil.copy(args.plugin, os.path.join(plugin_dir, "coapjws.so"))
        self.keys = os.path.join(work, "keys.jwks")
        shutil.copy(args.keys, self.keys)
        for root, dirs, files in os.walk(work):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        os.chmod(work, 0o755)
        env = dict(os.environ)
        env.update(HOME=self.home, XDG_CONFIG_HOME=os.path.join(self.home, ".config"),
                   WIRESHARK_EXTCAP_DIR=os.path.join(work, "extcap"),
                   # Wireshark's own fuzz test sets these: catch misuse of
                   # wmem scopes and of GLib's slice allocator.
                   WIRESHARK_DEBUG_WMEM_OVERRIDE="strict", G_SLICE="always-malloc",
                   # tshark itself leaks at exit; the ctest suite covers our leaks.
                   ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1")
        if args.preload:
            env["LD_PRELOAD"] = args.preload
        self.tshark_env = env
        self.prefix = []
        if os.geteuid() == 0:
            self.prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        scan_env = dict(os.environ)
        scan_env.update(ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
                        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1")
        self.scan_env = scan_env

    def tshark(self, capture, two_pass, keys, fields):
        cmd = [self.args.tshark, "-n", "-r", capture]
        if two_pass:
            cmd.append("-2")
        if keys:
            cmd += ["-o", "coapjws.keys_file:" + self.keys]
        if fields:
            cmd += ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
            for f in FIELDS:
                cmd += ["-e", f]
        else:
            cmd += ["-V", "-x"]
        return self.run(self.prefix + cmd, self.tshark_env, cwd=self.work)

    def scan(self, capture, fmt):
        cmd = [self.args.scan, "--keys", self.args.keys, "--messages", "--format", fmt, capture]
        return self.run(cmd, self.scan_env)

    def run(self, cmd, env, cwd=None):
        start = time.monotonic()
        try:
            p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, timeout=self.args.timeout)
            return {"cmd": cmd, "rc": p.returncode, "out": p.stdout, "err": p.stderr,
                    "secs": time.monotonic() - start}
        except subprocess.TimeoutExpired as e:
            return {"cmd": cmd, "rc": "timeout", "out": e.stdout or b"", "err": e.stderr or b"",
                    "secs": time.monotonic() - start}


def describe_rc(rc):
    if rc == "timeout":
        return "no result within the time limit"
    if isinstance(rc, int) and rc < 0:
        return "killed by " + signal.Signals(-rc).name
    return "exit status %s" % rc


def sanitizer_report(result):
    return any(p.search(result["err"]) for p in SANITIZER_PATTERNS)


def check_tshark(result, label):
    """Problems of one tshark run; foreign dissector bugs are returned apart."""
    problems, foreign = [], []
    if result["rc"] != 0:
        problems.append("%s: %s" % (label, describe_rc(result["rc"])))
    if sanitizer_report(result):
        problems.append("%s: sanitizer report" % label)
    for m in DISSECTOR_BUG.finditer(result["out"] + result["err"]):
        proto = m.group(1).decode(errors="replace").strip()
        if "coap-jws" in proto.lower() or "coapjws" in proto.lower():
            problems.append("%s: dissector bug in %s" % (label, proto))
        else:
            foreign.append(proto)
    return problems, foreign


def says_unanalysed(out, fmt):
    """Whether a scan's output gives the capture the outcome "unanalysed"
    with not one CoAP message analysed (what exit status 3 stands for)."""
    if fmt == "text":
        return b"outcome: unanalysed" in out and b" 0 CoAP messages" in out
    for line in out.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            return False
        if isinstance(obj, dict) and obj.get("type") == "summary":
            return (obj.get("outcome") == "unanalysed" and obj.get("coap_messages") == 0
                    and sum(obj.get("unanalysed", {}).values()) > 0)
    return False


def check_scan(result, label, fmt):
    problems = []
    rc = result["rc"]
    if rc not in (0, 1, 2, 3):
        problems.append("%s: %s" % (label, describe_rc(rc)))
    elif rc == 3 and not says_unanalysed(result["out"], fmt):
        # 3 is right only for a capture of which nothing was analysed (a
        # mutated header can leave a small capture without one readable
        # message); the output must say so.
        problems.append("%s: exit status 3 without an unanalysed outcome in the output" % label)
    elif rc == 2:
        # 2 is for unreadable files and usage errors; editcap -E keeps the
        # file structure, so it would be a wrong verdict here.
        problems.append("%s: exit status 2 (%s)" % (label, result["err"][:200].decode(errors="replace")))
    if sanitizer_report(result):
        problems.append("%s: sanitizer report" % label)
    if fmt == "json" and rc in (0, 1, 3):
        lines = result["out"].splitlines()
        if not lines:
            problems.append("%s: no output" % label)
        for n, line in enumerate(lines, 1):
            try:
                if not isinstance(json.loads(line), dict):
                    raise ValueError("not an object")
            except ValueError as e:
                problems.append("%s: line %d is not a JSON object: %s" % (label, n, e))
                break
    return problems


def keep_failure(out, name, mutated, results, problems):
    folder = os.path.join(out, "failures", name)
    os.makedirs(folder, exist_ok=True)
    shutil.copy(mutated, os.path.join(folder, os.path.basename(mutated)))
    with open(os.path.join(folder, "problems.txt"), "w") as f:
        f.write("\n".join(problems) + "\n")
    for i, (label, r) in enumerate(results):
        base = os.path.join(folder, "%d-%s" % (i, label))
        with open(base + ".cmd", "w") as f:
            f.write(" ".join(r["cmd"]) + "\n" + describe_rc(r["rc"]) + "\n")
        with open(base + ".stdout", "wb") as f:
            f.write(r["out"])
        with open(base + ".stderr", "wb") as f:
            f.write(r["err"])
    return folder


def fuzz_one(args, runner, work, captures, probabilities, iteration):
    """Mutates one capture and runs it through both front ends; returns
    (name, runs, problems, foreign dissector bugs)."""
    capture = captures[iteration % len(captures)]
    prob = probabilities[iteration % len(probabilities)]
    seed = args.seed + iteration
    stem = os.path.splitext(os.path.basename(capture))[0]
    name = "%06d-%s-E%s-seed%d" % (iteration, stem, prob, seed)
    # Even iterations keep the input's file format (pcap: the file and record
    # headers stay byte for byte), odd ones write pcapng, so both readers of
    # coapjws-scan see mutated packets.
    pcap_out = capture.endswith(".pcap") and iteration % 2 == 0
    mutated = os.path.join(work, name + (".pcap" if pcap_out else ".pcapng"))
    ed = subprocess.run([args.editcap, "-F", "pcap" if pcap_out else "pcapng", "-E", str(prob),
                         "--seed", str(seed), capture, mutated], capture_output=True)
    if ed.returncode != 0:
        raise RuntimeError("editcap failed on %s: %s" % (capture, ed.stderr.decode(errors="replace")))
    os.chmod(mutated, 0o644)

    keys_for_text = iteration % 3 != 2  # every third -V run has no keys
    two_pass_text = iteration % 2 == 1
    runs = [
        ("tshark-V%s%s" % ("-2" if two_pass_text else "", "" if keys_for_text else "-nokeys"),
         runner.tshark(mutated, two_pass_text, keys_for_text, False)),
        ("tshark-fields", runner.tshark(mutated, False, True, True)),
        ("tshark-fields-2", runner.tshark(mutated, True, True, True)),
        ("scan-json", runner.scan(mutated, "json")),
        ("scan-text", runner.scan(mutated, "text")),
    ]
    problems, foreign = [], []
    for label, r in runs:
        if label.startswith("tshark"):
            p, f = check_tshark(r, label)
            problems += p
            foreign += f
        else:
            problems += check_scan(r, label, "json" if label == "scan-json" else "text")
    one, two = runs[1][1], runs[2][1]
    if one["rc"] == 0 and two["rc"] == 0 and one["out"] != two["out"]:
        problems.append("tshark fields differ between one pass and two passes")
    folder = keep_failure(args.out, name, mutated, runs, problems) if problems else None
    os.remove(mutated)
    return name, folder, problems, foreign


def main():
    args = parse_args()
    probabilities = [float(x) for x in args.probabilities.split(",") if x]
    captures = sorted(args.captures)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="coapjws-editcap-fuzz.")
    failures, foreign = [], {}
    start = time.monotonic()
    first = args.first if args.only is None else args.only
    iteration = first
    done = 0
    try:
        runner = Runner(args, work)
        # The plugin must really be loaded, or every tshark run would pass
        # without exercising it.
        probe = runner.tshark(os.path.abspath(captures[0]), False, True, True)
        status_column = FIELDS.index("coapjws.signature.status")
        statuses = [line.split(b"\t")[status_column] for line in probe["out"].splitlines()
                    if line.count(b"\t") >= status_column]
        if probe["rc"] != 0 or not any(statuses):
            sys.stderr.write(probe["err"].decode(errors="replace"))
            sys.exit("editcap-fuzz: the plugin does not report anything on %s: not loaded?" % captures[0])

        def budget_left(submitted):
            if args.only is not None:
                return submitted < 1
            if args.iterations and submitted >= args.iterations:
                return False
            return not (args.seconds and time.monotonic() - start >= args.seconds)

        # Iterations are independent (each has its own seed), so `jobs` of
        # them run at once; tshark and coapjws-scan are separate processes.
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            pending = set()
            submitted = 0
            while True:
                while len(pending) < args.jobs and budget_left(submitted):
                    pending.add(pool.submit(fuzz_one, args, runner, work, captures, probabilities,
                                            iteration))
                    iteration += 1
                    submitted += 1
                if not pending:
                    break
                finished, pending = concurrent.futures.wait(
                    pending, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in finished:
                    name, folder, problems, foreign_bugs = future.result()
                    done += 1
                    for proto in foreign_bugs:
                        foreign[proto] = foreign.get(proto, 0) + 1
                    if problems:
                        failures.append(folder)
                        print("editcap-fuzz: FAIL %s: %s -> %s" % (name, "; ".join(problems), folder),
                              flush=True)
                    if done % 25 == 0:
                        print("editcap-fuzz: %d iterations, %.0f s" % (done, time.monotonic() - start),
                              flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    elapsed = time.monotonic() - start
    summary = {
        "seed": args.seed, "first_iteration": first,
        "iterations": done, "next_iteration": iteration, "probabilities": probabilities,
        "captures": len(captures), "tshark_runs": 3 * done, "scan_runs": 2 * done,
        "seconds": round(elapsed), "failures": len(failures),
        "foreign_dissector_bugs": foreign,
    }
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("editcap-fuzz: %d iterations (seed %d, iterations %d..%d, probabilities %s) over %d captures: "
          "%d tshark and %d coapjws-scan runs in %.0f s"
          % (done, args.seed, summary["first_iteration"], iteration - 1, args.probabilities,
             len(captures), 3 * done, 2 * done, elapsed))
    if foreign:
        print("editcap-fuzz: dissector bugs outside CoAP-JWS (Wireshark's own, not failures): %s" % foreign)
    if failures:
        print("editcap-fuzz: FAILED: %d inputs kept under %s" % (len(failures), os.path.join(args.out, "failures")))
        return 1
    print("editcap-fuzz: no crash, hang, sanitizer report or bad output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
