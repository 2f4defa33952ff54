#!/usr/bin/env python3
"""Turns captures into fuzzing seeds: the UDP payloads of pcap/pcapng files.

Writes <out>/coap/ (each UDP payload), <out>/jws_option/ and
<out>/jose_header/ (the JWS option values and decoded headers found in
them), and <out>/session/ (runs of consecutive payloads in the session
harness's input format, client/server direction kept). Reads Ethernet
(with 802.1Q tags), Linux SLL/SLL2, raw IP and BSD loopback; IPv4 and IPv6
(extension headers skipped). Only the standard library: it runs wherever
python3 does.

  scripts/pcap_seeds.py --out build-fuzz/pcap-seeds pcaps/*.pcap
"""
import argparse
import base64
import hashlib
import os
import struct
import sys

JWS = 65021
MAX_SEEDS_PER_KIND = 2000


def pcap_records(data):
    """Yields (linktype, packet bytes) from a pcap or pcapng file."""
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = "<" if magic[0] in (0xD4, 0x4D) else ">"
        linktype = struct.unpack(end + "I", data[20:24])[0] & 0x0FFFFFFF
        pos = 24
        while pos + 16 <= len(data):
            incl = struct.unpack(end + "I", data[pos + 8:pos + 12])[0]
            yield linktype, data[pos + 16:pos + 16 + incl]
            pos += 16 + incl
    elif magic == b"\x0a\x0d\x0d\x0a":
        end = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
        links = []
        pos = 0
        while pos + 12 <= len(data):
            btype, blen = struct.unpack(end + "II", data[pos:pos + 8])
            if blen < 12:
                break
            body = data[pos + 8:pos + blen - 4]
            if btype == 0x0A0D0D0A:
                links = []
            elif btype == 1:
                links.append(struct.unpack(end + "H", body[:2])[0])
            elif btype == 6 and len(body) >= 20:
                iface, _, _, caplen = struct.unpack(end + "IIII", body[:16])
                if iface < len(links):
                    yield links[iface], body[20:20 + caplen]
            elif btype == 3 and links:
                yield links[0], body[4:]
            pos += blen


def ip_payload(linktype, pkt):
    """The IP packet inside a link-layer frame, or None."""
    if linktype == 1:  # Ethernet
        pos, etype = 14, struct.unpack(">H", pkt[12:14])[0] if len(pkt) >= 14 else 0
        while etype in (0x8100, 0x88A8, 0x9100) and len(pkt) >= pos + 4:
            etype = struct.unpack(">H", pkt[pos + 2:pos + 4])[0]
            pos += 4
        return pkt[pos:] if etype in (0x0800, 0x86DD) else None
    if linktype in (101, 228, 229, 12, 14):  # raw IP
        return pkt
    if linktype == 113:  # SLL
        return pkt[16:]
    if linktype == 276:  # SLL2
        return pkt[20:]
    if linktype in (0, 108):  # BSD loopback
        return pkt[4:]
    return None


def udp_of(ip):
    """(src, dst, payload) for a UDP datagram, or None."""
    if not ip:
        return None
    version = ip[0] >> 4
    if version == 4:
        ihl = (ip[0] & 15) * 4
        if len(ip) < ihl + 8 or ip[9] != 17:
            return None
        src, dst, rest = ip[12:16], ip[16:20], ip[ihl:]
    elif version == 6:
        nxt, pos = ip[6], 40
        src, dst = ip[8:24], ip[24:40]
        while nxt in (0, 43, 60, 51) and len(ip) >= pos + 8:
            length = (ip[pos + 1] + 2) * 4 if nxt == 51 else (ip[pos + 1] + 1) * 8
            nxt, pos = ip[pos], pos + length
        if nxt != 17:
            return None
        rest = ip[pos:]
    else:
        return None
    if len(rest) < 8:
        return None
    sport, dport, length = struct.unpack(">HHH", rest[:6])
    return (src, sport), (dst, dport), rest[8:max(8, min(length, len(rest)))]


def jws_option(coap):
    """The JWS option value of a CoAP message, or None."""
    if len(coap) < 4 or coap[0] >> 6 != 1:
        return None
    pos, number = 4 + (coap[0] & 15), 0
    while pos < len(coap) and coap[pos] != 0xFF:
        first = coap[pos]
        pos += 1
        fields = []
        for nibble in (first >> 4, first & 15):
            if nibble == 13:
                fields.append(13 + coap[pos] if pos < len(coap) else None)
                pos += 1
            elif nibble == 14:
                fields.append(269 + int.from_bytes(coap[pos:pos + 2], "big") if pos + 2 <= len(coap) else None)
                pos += 2
            elif nibble == 15:
                return None
            else:
                fields.append(nibble)
        if None in fields:
            return None
        number += fields[0]
        value = coap[pos:pos + fields[1]]
        pos += fields[1]
        if number == JWS:
            return value
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("captures", nargs="+")
    args = parser.parse_args()

    kinds = {k: {} for k in ("coap", "jws_option", "jose_header", "session")}

    def add(kind, data):
        if len(kinds[kind]) < MAX_SEEDS_PER_KIND:
            kinds[kind][hashlib.sha1(data).hexdigest()] = data

    for path in args.captures:
        try:
            with open(path, "rb") as f:
                data = f.read()
            records = list(pcap_records(data))
        except (OSError, struct.error) as error:
            print(f"pcap_seeds: {path}: {error}", file=sys.stderr)
            continue
        run = b"\x00"
        for linktype, pkt in records:
            udp = udp_of(ip_payload(linktype, pkt))
            if udp is None:
                continue
            src, dst, payload = udp
            add("coap", payload)
            value = jws_option(payload)
            if value is not None:
                add("jws_option", value)
                header = value.split(b".")[0]
                try:
                    add("jose_header", base64.urlsafe_b64decode(header + b"=" * (-len(header) % 4)))
                except ValueError:
                    pass
            # The harness's endpoints 0 (client) and 1 (server): keep the direction.

            direction = 0 if dst[1] in (5683, 5684) else 1
            run += bytes([direction, 1]) + struct.pack(">H", len(payload)) + payload
            if len(run) > 4000:
                add("session", run)
                run = b"\x00"
        if len(run) > 1:
            add("session", run)

    for kind, seeds in kinds.items():
        folder = os.path.join(args.out, kind)
        os.makedirs(folder, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
    print("pcap_seeds: " + ", ".join(f"{len(v)} {k}" for k, v in kinds.items()))


if __name__ == "__main__":
    main()
