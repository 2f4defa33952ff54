#!/usr/bin/env python3
"""--shard K/N adds up: for every capture in pcaps/ (with the settings its
manifest names) and N = 2 and 3, the findings of the N shards together are
exactly the unsharded run's — each (frame, finding id, related frame) in one
shard only — and so are the stream rows and the counts of traffic that could
not be analysed (reported by one shard only: fragments never completed, TCP
bytes without a known message start, missing or unfinished, ...).

  check_shards.py COAPJWS_SCAN MANIFEST...

Exit 0 when every capture adds up, 1 otherwise.
"""
import collections
import json
import os
import subprocess
import sys


def scan(scanner, manifest, folder, shard=None):
    a = manifest["analysis"]
    command = [scanner, "--format", "json", "--fail-on", "never", "--allow-unanalysed",
               "--quiet", "--option", str(a["option"]), "--window", str(a["window"])]
    if a.get("signed_options", "default") != "default":
        command += ["--signed-options", a["signed_options"]]
    for port in a["ports"]:
        command += ["--port", str(port)]
    if manifest.get("keys"):
        command += ["--keys", os.path.join(folder, manifest["keys"])]
    if shard:
        command += ["--shard", shard]
    command.append(os.path.join(folder, manifest["capture"]))
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("%s exited with %d: %s" % (" ".join(command), result.returncode,
                                                     result.stderr.strip()))
    findings, streams, unanalysed = (collections.Counter(), collections.Counter(),
                                     collections.Counter())
    for line in result.stdout.splitlines():
        record = json.loads(line)
        if record["type"] == "finding":
            findings[(record["frame"], record["id"], record["related_frame"])] += 1
        elif record["type"] == "stream":
            streams[(record["receiver"], record["key_id"], record["messages"],
                     record["highest_seq"], json.dumps(record["findings"], sort_keys=True))] += 1
        elif record["type"] == "unanalysed":
            unanalysed[record["id"]] += record["count"]
    return findings, streams, unanalysed


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    scanner = sys.argv[1]
    failed = False
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        folder = os.path.dirname(os.path.abspath(path))
        whole_findings, whole_streams, whole_unanalysed = scan(scanner, manifest, folder)
        problems = []
        for n in (2, 3):
            findings, streams, unanalysed = (collections.Counter(), collections.Counter(),
                                             collections.Counter())
            for k in range(1, n + 1):
                f, s, u = scan(scanner, manifest, folder, "%d/%d" % (k, n))
                overlap = set(findings) & set(f)
                if overlap:
                    problems.append("N=%d: shard %d repeats %s" % (n, k, sorted(overlap)[:3]))
                findings += f
                streams += s
                unanalysed += u
            if findings != whole_findings:
                problems.append("N=%d: findings %s != unsharded %s" %
                                (n, sorted(findings.items())[:5], sorted(whole_findings.items())[:5]))
            if streams != whole_streams:
                problems.append("N=%d: stream rows differ from the unsharded run" % n)
            if unanalysed != whole_unanalysed:
                problems.append("N=%d: unanalysed %s != unsharded %s" %
                                (n, dict(unanalysed), dict(whole_unanalysed)))
        for p in problems:
            print("FAIL %s: %s" % (manifest["capture"], p))
        print(("FAIL " if problems else "ok   ") + "%s (%d findings, unanalysed %s)" %
              (manifest["capture"], sum(whole_findings.values()), dict(whole_unanalysed)))
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
