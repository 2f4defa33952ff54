#!/usr/bin/env python3
"""Writes transports.pcap: signed CoAP over TCP (RFC 8323 §3.2) and over
WebSockets (RFC 8323 §4.4), built by hand from those RFCs, RFC 793 (TCP) and
RFC 6455 (WebSocket), with the CoAP, JWS and signing helpers of
make_captures.py. What each frame must show is in transports.expect.json.

The TCP connection has a real handshake and sequence numbers so that
Wireshark reassembles and analyses it as it would live traffic:

  1-3   handshake, client 192.0.2.10:40010 -> server 192.0.2.20:5683
  4     one segment with two messages: the client's CSM (7.01) and a GET
        signed by client-1, seq 0
  5     the server's CSM
  6     2.05 signed by server-1 (isi absent: binds the request's TID)
  7, 8  a GET signed by client-1, seq 1, split over two segments: Wireshark
        reassembles it and dissects it in frame 8
  9     frame 8's segment sent again (a TCP retransmission): TCP's business,
        no CoAP message the second time
  10,11 Ping (7.02) and Pong (7.03) with a token
  12    a GET whose Len is right but whose second option byte has delta
        nibble 15: a format error
  13    a Ping and, behind it in the same segment, the first 5 bytes of a GET
        whose rest never comes: Wireshark 4.0 reads one message per segment
  14    the connection's last message, a GET whose Len announces a byte more
        than was sent. In the TCP byte stream these bytes continue the GET of
        13 (the plugin and coapjws-scan read the stream as the receiver
        would); no message completes, so nothing is shown
  15-17 handshake, client 192.0.2.10:40020 -> server 192.0.2.20:80
  18    HTTP upgrade to WebSocket, subprotocol "coap" (RFC 8323 §4.1)
  19    101 Switching Protocols, Sec-WebSocket-Protocol: coap
  20    a masked binary frame: GET signed by client-1, seq 2
  21    an unmasked binary frame: 2.05 signed by server-1
  22-24 handshake, client 192.0.2.10:40030 -> server 192.0.2.20:5683
  25    a Ping and a GET signed by client-1 (seq 4) in one segment that the
        capture cut 10 bytes short: the GET is not analysed (truncated)

Usage: make_transport_captures.py [output-dir]   (default: this script's folder)
"""

import base64
import hashlib
import os
import struct
import sys

from make_captures import (C4, CONTENT, GET, JWS_OPTION, S4, SECRETS, T0, URI_PATH, Pcap,
                           checksum, ethernet, hs256_option, ipv4, signed_content)

SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def coap_tcp(code, token=b"", options=(), payload=b"", len_extra=0, raw_body=None):
    """RFC 8323 §3.2: Len/TKL, extended length, Code, Token, Options, Payload.
    Len counts the bytes from the first option on; `len_extra` lies about it;
    `raw_body` replaces options and payload."""
    body = bytearray()
    previous = 0
    for number, value in sorted(options, key=lambda o: o[0]):
        body += option_bytes(number - previous, value)
        previous = number
    if payload:
        body += b"\xff" + payload
    if raw_body is not None:
        body = bytearray(raw_body)
    length = len(body) + len_extra
    if length < 13:
        head = bytes([(length << 4) | len(token)])
    elif length < 269:
        head = bytes([(13 << 4) | len(token), length - 13])
    elif length < 65805:
        head = bytes([(14 << 4) | len(token)]) + struct.pack(">H", length - 269)
    else:
        head = bytes([(15 << 4) | len(token)]) + struct.pack(">I", length - 65805)
    return head + bytes([code]) + token + bytes(body)


def coap_ws(code, token=b"", options=(), payload=b""):
    """RFC 8323 §4.4: as TCP with Len 0 and no extended length."""
    framed = coap_tcp(code, token, options, payload)
    start = {0: 1, 13: 2, 14: 3, 15: 5}[framed[0] >> 4 if framed[0] >> 4 >= 13 else 0]
    return bytes([len(token)]) + framed[start:]


def option_bytes(delta, value):
    def nibble(v):
        if v < 13:
            return v, b""
        if v < 269:
            return 13, bytes([v - 13])
        return 14, struct.pack(">H", v - 269)
    d, d_ext = nibble(delta)
    n, n_ext = nibble(len(value))
    return bytes([(d << 4) | n]) + d_ext + n_ext + value


def signed_get(token, seq):
    options = [(URI_PATH, b"temp")]
    content = signed_content(GET, options, b"")
    jws = hs256_option({"alg": "HS256", "kid": "client-1", "seq": seq}, SECRETS["client-1"],
                       content)
    return GET, token, options + [(JWS_OPTION, jws)], b""


def signed_content_response(token, request_seq, payload):
    options = [(12, b"")]  # Content-Format text/plain
    content = signed_content(CONTENT, options, payload, request_tid=(request_seq, "client-1"))
    jws = hs256_option({"alg": "HS256", "kid": "server-1"}, SECRETS["server-1"], content)
    return CONTENT, token, options + [(JWS_OPTION, jws)], payload


class Connection:
    """One TCP connection with its sequence numbers (RFC 793)."""

    def __init__(self, pcap, client, cport, server, sport):
        self.pcap, self.time = pcap, T0
        self.ends = {"c": (client, cport), "s": (server, sport)}
        self.next_seq = {"c": 1000, "s": 5000}

    def segment(self, side, flags, payload=b"", seq=None, at=None, cut=0):
        other = "s" if side == "c" else "c"
        (src, sport), (dst, dport) = self.ends[side], self.ends[other]
        seq = self.next_seq[side] if seq is None else seq
        ack = self.next_seq[other] if flags & ACK else 0
        header = struct.pack(">HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
        pseudo = bytes(src) + bytes(dst) + struct.pack(">xBH", 6, 20 + len(payload))
        value = checksum(pseudo + header + payload)
        header = header[:16] + struct.pack(">H", value) + header[18:]
        self.time = at if at is not None else self.time + 0.01
        frame = ethernet(ipv4(src, dst, 6, header + payload), 0x0800)
        self.pcap.add(self.time, frame, caplen=len(frame) - cut if cut else None)
        return seq

    def handshake(self, at):
        self.segment("c", SYN, at=at)
        self.next_seq["c"] += 1
        self.segment("s", SYN | ACK)
        self.next_seq["s"] += 1
        self.segment("c", ACK)

    def send(self, side, payload, at=None, cut=0):
        seq = self.segment(side, PSH | ACK, payload, at=at, cut=cut)
        self.next_seq[side] += len(payload)
        return seq


def ws_frame(payload, mask=None):
    """RFC 6455 §5.2: FIN + binary opcode, payload length, optional mask."""
    head = bytes([0x82])
    length = len(payload)
    mask_bit = 0x80 if mask else 0
    if length < 126:
        head += bytes([mask_bit | length])
    else:
        head += bytes([mask_bit | 126]) + struct.pack(">H", length)
    if mask:
        return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + payload


def transports_capture():
    pcap = Pcap(snaplen=65535)

    tcp = Connection(pcap, C4, 40010, S4, 5683)
    tcp.handshake(T0)                                                          # 1-3
    csm = coap_tcp(0xE1, b"", [(2, struct.pack(">H", 1152))])                  # Max-Message-Size
    tcp.send("c", csm + coap_tcp(*signed_get(b"\x01", 0)), at=T0 + 1)          # 4
    tcp.send("s", csm)                                                         # 5
    tcp.send("s", coap_tcp(*signed_content_response(b"\x01", 0, b"22.5 C")))  # 6
    split = coap_tcp(*signed_get(b"\x02", 1))
    tcp.send("c", split[:20], at=T0 + 2)                                       # 7
    seq = tcp.send("c", split[20:])                                            # 8
    tcp.segment("c", PSH | ACK, split[20:], seq=seq, at=T0 + 2.5)              # 9
    tcp.send("c", coap_tcp(0xE2, b"\x42"), at=T0 + 3)                          # 10 (Ping)
    tcp.send("s", coap_tcp(0xE3, b"\x42"))                                     # 11 (Pong)
    # Uri-Path "temp", then an option byte with delta nibble 15 (RFC 7252 §3.1).
    tcp.send("c", coap_tcp(GET, b"\x03", raw_body=b"\xb4temp\xf1\x00"), at=T0 + 4)  # 12
    # A Ping, then the first 5 bytes of a signed GET whose rest never comes.
    partial = coap_tcp(*signed_get(b"\x06", 3))[:5]
    tcp.send("c", coap_tcp(0xE2, b"\x43") + partial, at=T0 + 5)               # 13
    tcp.send("c", coap_tcp(GET, b"\x05", [(URI_PATH, b"temp")], len_extra=1), at=T0 + 6)  # 14

    ws = Connection(pcap, C4, 40020, S4, 80)
    ws.handshake(T0 + 10)                                                      # 15-17
    key = base64.b64encode(b"coapjws-test-key").decode()
    accept = base64.b64encode(hashlib.sha1(
        (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
    ws.send("c", ("GET /.well-known/coap HTTP/1.1\r\nHost: 192.0.2.20\r\n"
                  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Protocol: coap\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n" % key).encode())          # 18
    ws.send("s", ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n"
                  "Sec-WebSocket-Protocol: coap\r\n\r\n" % accept).encode())    # 19
    ws.send("c", ws_frame(coap_ws(*signed_get(b"\x04", 2)), mask=b"\x01\x02\x03\x04"))  # 20
    ws.send("s", ws_frame(coap_ws(*signed_content_response(b"\x04", 2, b"21.0 C"))))  # 21

    cut = Connection(pcap, C4, 40030, S4, 5683)
    cut.handshake(T0 + 20)                                                     # 22-24
    # A Ping and a GET signed by client-1 (seq 4) in one segment, the capture
    # keeping all but its last 10 bytes: the Ping is read, the GET is not.
    cut.send("c", coap_tcp(0xE2, b"\x44") + coap_tcp(*signed_get(b"\x07", 4)), at=T0 + 21,
             cut=10)                                                           # 25
    return pcap


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    transports_capture().write(os.path.join(out, "transports.pcap"))


if __name__ == "__main__":
    main()
