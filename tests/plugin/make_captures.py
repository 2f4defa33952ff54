#!/usr/bin/env python3
"""Writes the plugin's test captures and keys from first principles.

Everything here is built by hand from RFC 7252 (CoAP), RFC 7515 (JWS) and the
project's wire profile (spec §1-§5), independently of the engine in core/, so
the tshark tests compare the plugin with an outside truth. The scenario of
each frame, and what the profile says about it, is in *.expect.json next to
the captures; this script only builds the bytes.

HMAC signatures are computed with Python's hmac module; the one ES256
signature is made with the `openssl` command line tool (only needed when the
captures are regenerated).

Usage: make_captures.py [output-dir]   (default: the directory of this script)
"""

import base64
import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys
import tempfile

# --------------------------------------------------------------------------
# Keys

SECRETS = {
    # Deterministic test secrets (32 bytes each); never used outside tests.
    "client-1": hashlib.sha256(b"coapjws test secret client-1").digest(),
    "client-2": hashlib.sha256(b"coapjws test secret client-2").digest(),
    "server-1": hashlib.sha256(b"coapjws test secret server-1").digest(),
    "nobody": hashlib.sha256(b"coapjws test secret nobody").digest(),
}


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# --------------------------------------------------------------------------
# CoAP (RFC 7252 §3)

CON, NON, ACK, RST = 0, 1, 2, 3
GET = 0x01
CONTENT = 0x45  # 2.05
BAD_OPTION = 0x82  # 4.02

URI_HOST = 3
CONTENT_FORMAT = 12
URI_PATH = 11
JWS_OPTION = 65021
SIGNED_DEFAULT = {1, 4, 5, 8, 11, 12, 15, 17, 20}


def option_nibble(value: int):
    """The 4-bit field and the extended bytes for a delta or length."""
    if value < 13:
        return value, b""
    if value < 269:
        return 13, bytes([value - 13])
    return 14, struct.pack(">H", value - 269)


def encode_coap(mtype, code, mid, token=b"", options=(), payload=b""):
    """options: (number, value bytes) pairs; emitted sorted by number, stable."""
    out = bytearray([0x40 | (mtype << 4) | len(token), code])
    out += struct.pack(">H", mid)
    out += token
    previous = 0
    for number, value in sorted(options, key=lambda o: o[0]):
        delta, delta_ext = option_nibble(number - previous)
        length, length_ext = option_nibble(len(value))
        out.append((delta << 4) | length)
        out += delta_ext + length_ext + value
        previous = number
    if payload:
        out += b"\xff" + payload
    return bytes(out)


# --------------------------------------------------------------------------
# The detached JWS (spec §3, §4)


def item(kind: int, value: bytes) -> bytes:
    return bytes([kind]) + struct.pack(">I", len(value)) + value


def signed_content(code, options, payload, signed=SIGNED_DEFAULT, jws_option=JWS_OPTION,
                   request_tid=None):
    """CODE, OPTION per signed option instance in message order, PAYLOAD,
    REQUEST-TID (seq, key id) last."""
    out = item(0x01, bytes([code]))
    for number, value in sorted(options, key=lambda o: o[0]):
        if number in signed and number != jws_option:
            out += item(0x02, struct.pack(">H", number) + value)
    if payload:
        out += item(0x03, payload)
    if request_tid is not None:
        seq, key_id = request_tid
        out += item(0x04, struct.pack(">I", seq) + key_id.encode())
    return out


def hs256_option(header: dict, secret: bytes, content: bytes, corrupt=False) -> bytes:
    header_b64 = b64u(json.dumps(header, separators=(",", ":")).encode())
    signing_input = (header_b64 + "." + b64u(content)).encode("ascii")
    signature = bytearray(hmac.new(secret, signing_input, hashlib.sha256).digest())
    if corrupt:
        signature[0] ^= 0x01
    return (header_b64 + ".." + b64u(bytes(signature))).encode("ascii")


def raw_option(header: dict, signature: bytes) -> bytes:
    """A header with an arbitrary (not computed) signature."""
    header_b64 = b64u(json.dumps(header, separators=(",", ":")).encode())
    return (header_b64 + ".." + b64u(signature)).encode("ascii")


def der_ecdsa_to_raw(der: bytes, size: int) -> bytes:
    """ECDSA-Sig-Value (SEQUENCE of two INTEGERs) to fixed-length R || S."""
    assert der[0] == 0x30
    pos = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7F)
    parts = []
    for _ in range(2):
        assert der[pos] == 0x02
        length = der[pos + 1]
        value = der[pos + 2:pos + 2 + length].lstrip(b"\x00")
        parts.append(value.rjust(size, b"\x00"))
        pos += 2 + length
    return parts[0] + parts[1]


def es256_option(header: dict, private_pem: str, content: bytes) -> bytes:
    header_b64 = b64u(json.dumps(header, separators=(",", ":")).encode())
    signing_input = (header_b64 + "." + b64u(content)).encode("ascii")
    der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", private_pem],
                         input=signing_input, capture_output=True, check=True).stdout
    return (header_b64 + ".." + b64u(der_ecdsa_to_raw(der, 32))).encode("ascii")


# --------------------------------------------------------------------------
# IP/UDP/Ethernet and pcap


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f">{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(src, dst, proto, payload, ident=0):
    header = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0,
                         bytes(src), bytes(dst))
    header = header[:10] + struct.pack(">H", checksum(header)) + header[12:]
    return header + payload


def ipv6(src, dst, next_header, payload):
    return struct.pack(">IHBB16s16s", 0x60000000, len(payload), next_header, 64, bytes(src),
                       bytes(dst)) + payload


def udp(src_ip, dst_ip, sport, dport, payload, v6=False):
    length = 8 + len(payload)
    segment = struct.pack(">HHHH", sport, dport, length, 0) + payload
    if v6:
        pseudo = bytes(src_ip) + bytes(dst_ip) + struct.pack(">I3xB", length, 17)
    else:
        pseudo = bytes(src_ip) + bytes(dst_ip) + struct.pack(">xBH", 17, length)
    value = checksum(pseudo + segment) or 0xFFFF
    return segment[:6] + struct.pack(">H", value) + segment[8:]


def ethernet(payload, ethertype):
    return bytes.fromhex("020000000002") + bytes.fromhex("020000000001") + \
        struct.pack(">H", ethertype) + payload


class Pcap:
    def __init__(self, snaplen=65535):
        self.snaplen = snaplen
        self.records = []

    def add(self, time_s, frame, caplen=None):
        self.records.append((time_s, frame, len(frame) if caplen is None else caplen))

    def write(self, path):
        with open(path, "wb") as f:
            # Microsecond pcap, link type 1 (Ethernet).
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, self.snaplen, 1))
            for time_s, frame, caplen in self.records:
                f.write(struct.pack("<IIII", int(time_s), 0, caplen, len(frame)))
                f.write(frame[:caplen])


C4 = [192, 0, 2, 10]
S4 = [192, 0, 2, 20]
C4_ES = [192, 0, 2, 30]
C6 = list(bytes.fromhex("20010db8000000000000000000000010"))
S6 = list(bytes.fromhex("20010db8000000000000000000000020"))
CLIENT_PORT, SERVER_PORT = 40000, 5683
T0 = 1_700_000_000


def udp4(src, sport, dst, dport, coap, ident=0):
    return ethernet(ipv4(src, dst, 17, udp(src, dst, sport, dport, coap), ident), 0x0800)


def udp6(src, sport, dst, dport, coap):
    return ethernet(ipv6(src, dst, 17, udp(src, dst, sport, dport, coap, v6=True)), 0x86DD)


# --------------------------------------------------------------------------
# basic.pcap: one frame per situation of spec §6 (see basic.expect.json)


def request(mid, token, header, secret, corrupt=False, options=None, payload=b""):
    options = list(options if options is not None else [(URI_PATH, b"temp")])
    content = signed_content(GET, options, payload)
    jws = hs256_option(header, secret, content, corrupt)
    return encode_coap(CON, GET, mid, token, options + [(JWS_OPTION, jws)], payload)


def response(mtype, code, mid, token, payload, jws_header=None, secret=None, request_tid=None,
             options=()):
    options = list(options)
    if jws_header is not None:
        content = signed_content(code, options, payload, request_tid=request_tid)
        options.append((JWS_OPTION, hs256_option(jws_header, secret, content)))
    return encode_coap(mtype, code, mid, token, options, payload)


def basic_capture(ec_private):
    pcap = Pcap()
    frames = []  # (src, sport, dst, dport, coap) or ready frames

    def c2s(coap, sport=CLIENT_PORT):
        frames.append(udp4(C4, sport, S4, SERVER_PORT, coap))

    def s2c(coap):
        frames.append(udp4(S4, SERVER_PORT, C4, CLIENT_PORT, coap))

    def hs(kid, seq, **extra):
        header = {"alg": "HS256", "kid": kid}
        if seq is not None:
            header["seq"] = seq
        header.update(extra)
        return header

    s1 = SECRETS["client-1"]
    srv = SECRETS["server-1"]

    # 1: signed request, 2: its signed piggybacked response (isi absent = "01").
    frame1 = request(0x1001, b"\xa1", hs("client-1", 0), s1)
    c2s(frame1)
    s2c(response(ACK, CONTENT, 0x1001, b"\xa1", b"21.5", hs("server-1", None), srv,
                 request_tid=(0, "client-1"), options=[(CONTENT_FORMAT, b"")]))
    # 3: request seq 1; 4: the same datagram again (retransmission).
    frame3 = request(0x1002, b"\xa2", hs("client-1", 1), s1)
    c2s(frame3)
    c2s(frame3)
    # 5: frame 1's JWS under a new Message ID and token: a replay of seq 0.
    c2s(encode_coap(CON, GET, 0x1005, b"\xa5",
                    [(URI_PATH, b"temp"), (JWS_OPTION, dict(parse_options(frame1))[JWS_OPTION])]))
    # 6: seq 40 moves the window; 7: seq 5 is below 40 - 32.
    c2s(request(0x1006, b"\xa6", hs("client-1", 40), s1))
    c2s(request(0x1007, b"\xa7", hs("client-1", 5), s1))
    # 8: a signature with one bit flipped.
    c2s(request(0x1008, b"\xa8", hs("client-1", 41), s1, corrupt=True))
    # 9: a key nobody configured.
    c2s(request(0x1009, b"\xa9", hs("nobody", 0), SECRETS["nobody"]))
    # 10: alg none; 11: an unknown alg; 12: crit naming a member not understood.
    opts = [(URI_PATH, b"temp")]
    c2s(encode_coap(CON, GET, 0x100A, b"\xaa", opts + [
        (JWS_OPTION, raw_option({"alg": "none", "kid": "client-1", "seq": 42}, b"\x00" * 32))]))
    c2s(encode_coap(CON, GET, 0x100B, b"\xab", opts + [
        (JWS_OPTION, raw_option({"alg": "HS999", "kid": "client-1", "seq": 42}, b"\x01" * 32))]))
    c2s(request(0x100C, b"\xac", {"alg": "HS256", "kid": "client-1", "seq": 42, "exp": 1,
                                  "crit": ["exp"]}, s1))
    # 13: an option value that is no JWS compact serialization.
    c2s(encode_coap(CON, GET, 0x100D, b"\xad", opts + [(JWS_OPTION, b"not-a-jws")]))
    # 14: isi in a request (otherwise fine).
    c2s(request(0x100E, b"\xae", hs("client-1", 44, isi="01"), s1))
    # 15: an ES256 header naming the HMAC key client-1.
    c2s(encode_coap(CON, GET, 0x100F, b"\xaf", opts + [
        (JWS_OPTION, raw_option({"alg": "ES256", "kid": "client-1", "seq": 45}, b"\x00" * 64))]))
    # 16: the same client address, another port, no JWS at all.
    c2s(encode_coap(CON, GET, 0x2001, b"\xb0", opts), sport=CLIENT_PORT + 1)
    # 17/18: a signed request answered without JWS.
    c2s(request(0x1010, b"\xb1", hs("client-1", 46), s1))
    s2c(response(ACK, CONTENT, 0x1010, b"\xb1", b"22.0"))
    # 19/20: signed request and response; 21: the response again as a NON.
    c2s(request(0x1011, b"\xb2", hs("client-1", 47), s1))
    frame20 = response(ACK, CONTENT, 0x1011, b"\xb2", b"22.5", hs("server-1", None), srv,
                       request_tid=(47, "client-1"))
    s2c(frame20)
    s2c(encode_coap(NON, CONTENT, 0x5001, b"\xb2", [(JWS_OPTION, dict(parse_options(frame20))[JWS_OPTION])],
                    b"22.5"))
    # 22: a signed response to a request never seen.
    s2c(response(NON, CONTENT, 0x5002, b"\xc9", b"23.0", hs("server-1", None), srv,
                 request_tid=(99, "client-1")))
    # 23/24: a server that does not know the option echoes it in 4.02.
    frame23 = request(0x1012, b"\xb3", hs("client-1", 48), s1)
    c2s(frame23)
    s2c(encode_coap(ACK, BAD_OPTION, 0x1012, b"\xb3",
                    [(JWS_OPTION, dict(parse_options(frame23))[JWS_OPTION])]))
    # 25/26: IPv6; the response carries its own TID (isi "10").
    content25 = signed_content(GET, opts, b"")
    frames.append(udp6(C6, CLIENT_PORT, S6, SERVER_PORT, encode_coap(
        CON, GET, 0x3001, b"\xd1", opts + [(JWS_OPTION, hs256_option(hs("client-1", 0), s1, content25))])))
    content26 = signed_content(CONTENT, [], b"19.0")
    frames.append(udp6(S6, SERVER_PORT, C6, CLIENT_PORT, encode_coap(
        ACK, CONTENT, 0x3001, b"\xd1",
        [(JWS_OPTION, hs256_option(hs("server-1", 0, isi="10"), srv, content26))], b"19.0")))
    # 27: client-2 uses the last sequence number; 28: and goes on.
    s2 = SECRETS["client-2"]
    c2s(request(0x1013, b"\xe1", hs("client-2", 4294967295), s2))
    c2s(request(0x1014, b"\xe2", hs("client-2", 0), s2))
    # 29: ICMP port unreachable quoting a signed request: not a CoAP message.
    quoted = ipv4(C4, S4, 17, udp(C4, S4, CLIENT_PORT, SERVER_PORT,
                                  request(0x1015, b"\xe3", hs("client-1", 49), s1)))
    icmp = bytearray(struct.pack(">BBHI", 3, 3, 0, 0) + quoted)
    icmp[2:4] = struct.pack(">H", checksum(bytes(icmp)))
    frames.append(ethernet(ipv4(S4, C4, 1, bytes(icmp)), 0x0800))
    # 30: an empty ACK.
    s2c(encode_coap(ACK, 0, 0x1013))
    # 31: ES256 from another client.
    content31 = signed_content(GET, opts, b"")
    jws31 = es256_option({"alg": "ES256", "kid": "ec-1", "seq": 0},
                         ec_private, content31)
    frames.append(udp4(C4_ES, CLIENT_PORT, S4, SERVER_PORT,
                       encode_coap(CON, GET, 0x4001, b"\xf1", opts + [(JWS_OPTION, jws31)])))

    for i, frame in enumerate(frames):
        pcap.add(T0 + i, frame)
    return pcap


def parse_options(coap: bytes):
    """(number, value) pairs of a message built by encode_coap (for reuse)."""
    tkl = coap[0] & 0x0F
    pos = 4 + tkl
    number = 0
    out = []
    while pos < len(coap) and coap[pos] != 0xFF:
        delta, length = coap[pos] >> 4, coap[pos] & 0x0F
        pos += 1
        values = []
        for nibble in (delta, length):
            if nibble == 13:
                values.append(coap[pos] + 13)
                pos += 1
            elif nibble == 14:
                values.append(struct.unpack(">H", coap[pos:pos + 2])[0] + 269)
                pos += 2
            else:
                values.append(nibble)
        number += values[0]
        out.append((number, coap[pos:pos + values[1]]))
        pos += values[1]
    return out


# --------------------------------------------------------------------------
# options.pcap: another option number, another signed-option set, a cut frame

ALT_OPTION = 65001


def options_capture():
    pcap = Pcap(snaplen=65535)
    s1 = SECRETS["client-1"]
    extended = SIGNED_DEFAULT | {URI_HOST}

    def alt_request(mid, token, seq, options, signed):
        content = signed_content(GET, options, b"", signed=signed, jws_option=ALT_OPTION)
        jws = hs256_option({"alg": "HS256", "kid": "client-1", "seq": seq}, s1, content)
        return encode_coap(CON, GET, mid, token, options + [(ALT_OPTION, jws)])

    # 1: the JWS in option 65001, default signed options.
    pcap.add(T0, udp4(C4, CLIENT_PORT, S4, SERVER_PORT,
                      alt_request(1, b"\x01", 0, [(URI_PATH, b"temp")], SIGNED_DEFAULT)))
    # 2: the signer also signed Uri-Host (3).
    pcap.add(T0 + 1, udp4(C4, CLIENT_PORT, S4, SERVER_PORT, alt_request(
        2, b"\x02", 1, [(URI_HOST, b"example.net"), (URI_PATH, b"temp")], extended)))
    # 3: a default-option request cut 10 bytes before its end by the capture.
    s_default = request(3, b"\x03", {"alg": "HS256", "kid": "client-1", "seq": 2}, s1)
    frame = udp4(C4, CLIENT_PORT, S4, SERVER_PORT, s_default)
    pcap.add(T0 + 2, frame, caplen=len(frame) - 10)
    # 4: a signed request over TCP (RFC 8323 framing), analysed like the others.
    pcap.add(T0 + 3, tcp4(C4, CLIENT_PORT + 2, S4, SERVER_PORT, coap_over_tcp(s_default)))
    # 5, 6: a signed request in an IPv4 datagram split into two fragments;
    # Wireshark reassembles it and dissects CoAP in frame 6.
    fragmented = request(4, b"\x04", {"alg": "HS256", "kid": "client-1", "seq": 3}, s1)
    datagram = udp(C4, S4, CLIENT_PORT, SERVER_PORT, fragmented)
    for i, frame in enumerate(ipv4_fragments(C4, S4, datagram, ident=0x4242, first=64)):
        pcap.add(T0 + 4 + i, frame)
    return pcap


def ipv4_fragments(src, dst, payload, ident, first):
    """Two IPv4 fragments (RFC 791): `first` bytes (a multiple of 8) with More
    Fragments set, then the rest at offset first / 8."""
    assert first % 8 == 0
    frames = []
    for offset, chunk, more in ((0, payload[:first], True), (first, payload[first:], False)):
        flags_offset = (0x2000 if more else 0) | (offset // 8)
        header = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(chunk), ident, flags_offset, 64,
                             17, 0, bytes(src), bytes(dst))
        header = header[:10] + struct.pack(">H", checksum(header)) + header[12:]
        frames.append(ethernet(header + chunk, 0x0800))
    return frames


def coap_over_tcp(udp_message: bytes) -> bytes:
    """The same request in RFC 8323 §3.2 framing: Len/TKL, extended length,
    Code, Token, then options and payload (no Version, Type or Message ID)."""
    tkl = udp_message[0] & 0x0F
    code = udp_message[1]
    token = udp_message[4:4 + tkl]
    rest = udp_message[4 + tkl:]
    if len(rest) < 13:
        head = bytes([(len(rest) << 4) | tkl])
    elif len(rest) < 269:
        head = bytes([(13 << 4) | tkl, len(rest) - 13])
    else:
        head = bytes([(14 << 4) | tkl]) + struct.pack(">H", len(rest) - 269)
    return head + bytes([code]) + token + rest


def tcp4(src, sport, dst, dport, payload):
    length = 20 + len(payload)
    segment = struct.pack(">HHIIBBHHH", sport, dport, 1, 1, 5 << 4, 0x18, 65535, 0, 0) + payload
    pseudo = bytes(src) + bytes(dst) + struct.pack(">xBH", 6, length)
    segment = segment[:16] + struct.pack(">H", checksum(pseudo + segment)) + segment[18:]
    return ethernet(ipv4(src, dst, 6, segment), 0x0800)


# --------------------------------------------------------------------------
# keys


def write_keys(keys_dir, private):
    """A fresh EC key (its private half stays in `private`, outside the
    tree), its public PEM and the JWK Sets."""
    os.makedirs(keys_dir, exist_ok=True)
    public = os.path.join(keys_dir, "ec-1.public.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-out", private], check=True)
    subprocess.run(["openssl", "pkey", "-in", private, "-pubout", "-out", public], check=True)
    der = subprocess.run(["openssl", "pkey", "-in", private, "-pubout", "-outform", "DER"],
                         capture_output=True, check=True).stdout
    point = der[-65:]  # SubjectPublicKeyInfo ends with the uncompressed point 04 || X || Y
    assert point[0] == 4

    def oct_key(kid):
        return {"kty": "oct", "kid": kid, "k": b64u(SECRETS[kid])}

    ec_key = {"kty": "EC", "crv": "P-256", "kid": "ec-1", "x": b64u(point[1:33]),
              "y": b64u(point[33:65])}
    with open(os.path.join(keys_dir, "keys.jwks"), "w") as f:
        json.dump({"keys": [oct_key("client-1"), oct_key("client-2"), oct_key("server-1"),
                            ec_key]}, f, indent=1)
        f.write("\n")
    # A set with one usable key and one without its secret.
    with open(os.path.join(keys_dir, "bad.jwks"), "w") as f:
        json.dump({"keys": [oct_key("client-1"), {"kty": "oct", "kid": "broken"}]}, f, indent=1)
        f.write("\n")
    with open(os.path.join(keys_dir, "secrets.txt"), "w") as f:
        f.write("# hex secrets of keys.jwks, for the coapjws_keys table\n")
        for kid in ("client-1", "client-2", "server-1"):
            f.write(f"{kid} {SECRETS[kid].hex()}\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        ec_private = os.path.join(tmp, "ec-1.private.pem")
        write_keys(os.path.join(out, "keys"), ec_private)
        basic_capture(ec_private).write(os.path.join(out, "basic.pcap"))
    options_capture().write(os.path.join(out, "options.pcap"))


if __name__ == "__main__":
    main()
