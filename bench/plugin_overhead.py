#!/usr/bin/env python3
"""What the plugin costs tshark on a capture with no CoAP at all
(docs/PERFORMANCE.md, "Cost when not used"). Runs, side by side and in turns:

  plain              tshark without the coapjws plugin
  plugin             tshark with the plugin loaded (protocol enabled)
  plugin-disabled    the same with --disable-protocol coapjws
  [before, before-disabled: the same with --compare-plugin PLUGIN, e.g. an
   older build]

each with two kinds of output: `summary` (the one-line-per-packet text,
which needs no protocol tree) and `fields` (-T fields -e frame.number
-e ip.src, which needs one anyway). The capture (made here, cached in the
work folder) holds DNS over UDP and HTTP over TCP, no CoAP. The median of
--repeat runs of wall and CPU (user + system) time is kept; ratios are to
`plain` with the same output, measured in the same run.

  bench/plugin_overhead.py --plugin build/plugin/coapjws.so [--frames 200000]
                           [--repeat 5] [--compare-plugin OLD.so] [--work-dir DIR]
"""
import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from whole_process import Tshark, chmod_tree, log, timed  # noqa: E402


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    return ~(total + (total >> 16)) & 0xFFFF


def ipv4(src, dst, protocol, payload):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, protocol,
                         0, bytes(src), bytes(dst))
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:] + payload


def ethernet(payload):
    return b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00" + payload


def dns_query(ident, name):
    question = b"".join(bytes([len(p)]) + p for p in name.split(b".")) + b"\0\x00\x01\x00\x01"
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + question


def dns_answer(ident, name):
    query = dns_query(ident, name)
    answer = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04\xc0\x00\x02\x63"
    return struct.pack("!HHHHHH", ident, 0x8180, 1, 1, 0, 0) + query[12:] + answer


def make_capture(path, frames):
    client, server, resolver = [10, 0, 0, 2], [192, 0, 2, 80], [192, 0, 2, 53]
    request = b"GET /index.html HTTP/1.1\r\nHost: www.example\r\nUser-Agent: bench\r\n\r\n"
    response = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 64\r\n\r\n" +
                b"<html>" + b"x" * 51 + b"</html>")
    client_seq, server_seq = 1000, 5000
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(frames):
            kind = i % 4
            name = b"host%d.example.org" % (i // 4 % 1000)
            if kind == 0:
                udp = dns_query(i // 4 & 0xFFFF, name)
                packet = ipv4(client, resolver, 17,
                              struct.pack("!HHHH", 40000 + i // 4 % 1000, 53, 8 + len(udp), 0) + udp)
            elif kind == 1:
                udp = dns_answer(i // 4 & 0xFFFF, name)
                packet = ipv4(resolver, client, 17,
                              struct.pack("!HHHH", 53, 40000 + i // 4 % 1000, 8 + len(udp), 0) + udp)
            elif kind == 2:
                tcp = struct.pack("!HHIIBBHHH", 50000, 80, client_seq, server_seq, 0x50, 0x18,
                                  65535, 0, 0) + request
                client_seq += len(request)
                packet = ipv4(client, server, 6, tcp)
            else:
                tcp = struct.pack("!HHIIBBHHH", 80, 50000, server_seq, client_seq, 0x50, 0x18,
                                  65535, 0, 0) + response
                server_seq += len(response)
                packet = ipv4(server, client, 6, tcp)
            frame = ethernet(packet)
            seconds, micros = divmod(i * 100, 1_000_000)
            f.write(struct.pack("<IIII", 1_700_000_000 + seconds, micros, len(frame), len(frame)))
            f.write(frame)
    os.replace(path + ".tmp", path)


OUTPUTS = {
    "summary": [],
    "fields": ["-T", "fields", "-e", "frame.number", "-e", "ip.src"],
}


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--plugin", required=True)
    p.add_argument("--compare-plugin", help="another coapjws.so to measure the same way")
    p.add_argument("--frames", type=int, default=200_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--work-dir", default=os.environ.get("COAPJWS_BENCH_DIR", "build-bench"))
    p.add_argument("--tshark", default="tshark")
    args = p.parse_args()

    work = os.path.abspath(os.path.join(args.work_dir, "plugin-overhead"))
    os.makedirs(work, exist_ok=True)
    capture = os.path.join(work, f"no-coap-{args.frames}.pcap")
    if not os.path.exists(capture):
        log(f"making {capture} ...")
        make_capture(capture, args.frames)
    chmod_tree(work)

    ts = Tshark(args.tshark, args.plugin, work)
    homes = {"plain": "plain", "plugin": "plugin"}
    if args.compare_plugin:
        other = Tshark(args.tshark, args.compare_plugin, os.path.join(work, "before"))
        ts.homes["before"] = other.homes["plugin"]
        homes["before"] = "before"
    modes = [("plain", "plain", [])]
    modes += [("plugin", "plugin", []),
              ("plugin-disabled", "plugin", ["--disable-protocol", "coapjws"])]
    if args.compare_plugin:
        modes += [("before", "before", []),
                  ("before-disabled", "before", ["--disable-protocol", "coapjws"])]

    # Untimed check: the plugin is loaded where it should be (its protocol
    # exists) and the capture holds no CoAP.
    for name, home, extra in modes:
        out = subprocess.run(ts.argv(home, ["-G", "protocols"]), capture_output=True,
                             text=True).stdout
        if ("\tcoapjws\n" in out) != (home != "plain"):
            sys.exit(f"plugin_overhead: {name}: the plugin is {'not ' if home != 'plain' else ''}"
                     "loaded")
    coap = subprocess.run(ts.argv("plain", ["-r", capture, "-n", "-Y", "coap", "-c", "1"]),
                          capture_output=True, text=True).stdout
    if coap.strip():
        sys.exit("plugin_overhead: the capture holds CoAP")

    results = {(m[0], o): ([], []) for m in modes for o in OUTPUTS}
    for round_ in range(args.repeat):
        for output, output_args in OUTPUTS.items():
            for name, home, extra in modes:
                wall, _, cpu, code, err = timed(
                    ts.argv(home, ["-r", capture, "-n", *extra, *output_args]), cwd=work)
                if code != 0:
                    sys.exit(f"plugin_overhead: {name} {output} failed: {err}")
                results[(name, output)][0].append(wall)
                results[(name, output)][1].append(cpu)
        log(f"round {round_ + 1}/{args.repeat} done")

    print(f"{ts.version}, {args.frames} frames without CoAP, median of {args.repeat} runs")
    print("| output | run | wall s | CPU s | wall vs plain | CPU vs plain | CPU spread |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for output in OUTPUTS:
        plain_wall = statistics.median(results[("plain", output)][0])
        plain_cpu = statistics.median(results[("plain", output)][1])
        for name, _, _ in modes:
            walls, cpus = results[(name, output)]
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            spread = (max(cpus) - min(cpus)) / cpu * 100
            print(f"| {output} | {name} | {wall:.2f} | {cpu:.2f} | {wall / plain_wall:.3f}× | "
                  f"{cpu / plain_cpu:.3f}× | ±{spread / 2:.1f} % |")
    shutil.rmtree(os.path.join(work, "tshark-home"), ignore_errors=True)
    shutil.rmtree(os.path.join(work, "before"), ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
