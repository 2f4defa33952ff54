#!/usr/bin/env python3
"""Instructions per message, stage by stage, of a whole coapjws-scan run.

Runs `coapjws-scan --quiet -j 1 [-k KEYS] CAPTURE` under callgrind and splits
the instructions of the analysis loop (start-up and key loading excluded) by
stage: reading records, decoding link/IP/UDP, the engine's three stages and
their main parts, and what the front end does per report. Counts do not
depend on the machine's load, unlike times (docs/PERFORMANCE.md, "Round
four").

  bench/stage_instructions.py --scan build/analyzer/coapjws-scan \\
      --messages 100000 [--keys K.jwks] CAPTURE.pcap [--compare OTHER/coapjws-scan]

The captures come from coapjws_bulk_capture (bench/whole_process.sh makes
them; `--alg unsigned` gives plain CoAP). With --compare, a second build is
counted on the same capture and shown beside the first.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

# (label, indent, function-name regexes whose inclusive counts are summed).
# A name matches the start of the demangled function (after "file:").
STAGES = [
    ("analysis loop (all below)", 0, [r"coapjws::scan::analyze_capture\(coapjws::scan::FrameSource"]),
    ("read records", 1, [r"coapjws::scan::SingleSource::next\("]),
    ("decode link/IP/UDP", 1, [r"coapjws::scan::FrameDecoder::decode\("]),
    ("engine: prepare", 1, [r"coapjws::Session::prepare\("]),
    ("CoAP parse", 2, [r"coapjws::parse_coap\(std::span<unsigned char const, \d+ul>, coapjws::CoapFraming"]),
    ("retransmission cache", 2, [r"coapjws::RetransmissionCache::check\("]),
    ("request table", 2, [r"coapjws::detail::RequestTable::match\(",
                          r"coapjws::detail::RequestTable::remember\("]),
    ("JWS option split + base64url", 2, [r"coapjws::parse_jws_option\("]),
    ("JOSE header", 2, [r"coapjws::parse_jose_header\("]),
    ("key lookup", 2, [r"coapjws::KeyStore::find\("]),
    ("signed content + signing input", 2, [r"coapjws::build_signed_content\(coapjws::CoapMessage",
                                           r"coapjws::build_signing_input\("]),
    ("engine: verify", 1, [r"coapjws::Session::verify\("]),
    ("HMAC (OpenSSL EVP)", 2, [r"coapjws::detail::HmacContexts::compute\(",
                               r"coapjws::detail::hmac_compute\("]),
    ("engine: conclude", 1, [r"coapjws::Session::conclude\("]),
    ("front end: per report", 1, [r"coapjws::scan::analyze_capture\(.*\)::\{lambda\(coapjws::MessageReport&\)#\d+\}::operator\(\)"]),
    ("stream table", 2, [r"coapjws::StreamTable::record\("]),
]


def inclusive_counts(profile):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", profile],
                          check=True, capture_output=True, text=True, cwd="/").stdout
    counts = []
    total = None
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        value = int(m.group(1).replace(",", ""))
        rest = m.group(2)
        if rest.startswith("PROGRAM TOTALS"):
            total = value
            continue
        # A function shows once per source file it has code from (inlined
        # parts); the whole function is the largest of them (stage_values).
        name = rest.split(":", 1)[1] if ":" in rest else rest
        counts.append((name, value))
    return total, counts


def stage_values(counts):
    values = []
    for label, indent, patterns in STAGES:
        total = 0
        for pattern in patterns:
            best = 0
            for name, value in counts:
                if re.match(pattern, name):
                    best = max(best, value)
            total += best
        values.append(total)
    return values


def profile(scan, capture, keys, workdir, tag):
    out = os.path.abspath(os.path.join(workdir, f"callgrind.{os.path.basename(capture)}.{tag}"))
    argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", scan, "--quiet", "-j", "1"]
    if keys:
        argv += ["-k", keys]
    argv.append(capture)
    run = subprocess.run(argv, capture_output=True, text=True)
    if run.returncode not in (0, 1):  # 1: findings
        sys.exit(f"stage_instructions: {' '.join(argv)} exited {run.returncode}:\n{run.stderr}")
    return inclusive_counts(out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("capture")
    p.add_argument("--scan", default="build/analyzer/coapjws-scan")
    p.add_argument("--compare", help="a second coapjws-scan, counted beside the first")
    p.add_argument("--keys")
    p.add_argument("--messages", type=int, required=True, help="messages in the capture")
    p.add_argument("--keep", help="folder to keep the callgrind profiles in")
    args = p.parse_args()

    scans = [args.scan] + ([args.compare] if args.compare else [])
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or tmp
        columns = []
        for i, scan in enumerate(scans):
            total, counts = profile(scan, args.capture, args.keys, workdir, str(i))
            columns.append((total, stage_values(counts)))
    head = "| stage | " + " | ".join(os.path.relpath(s) for s in scans) + " |"
    print(head)
    print("|---|" + "---:|" * len(scans))
    for row, (label, indent, _) in enumerate(STAGES):
        cells = [f"{values[row] / args.messages:,.0f}".replace(",", " ") for _, values in columns]
        print(f"| {'&nbsp;&nbsp;' * indent}{label} | " + " | ".join(cells) + " |")
    cells = [f"{total / args.messages:,.0f}".replace(",", " ") for total, _ in columns]
    print("| whole process (start-up and key loading too) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
