#!/usr/bin/env python3
"""Writes the hand-made seed corpora under fuzz/corpus/<target>/.

Run once and commit the output; scripts/fuzz.sh adds seeds taken from
pcaps/*.pcap when that folder exists. The session seeds use the harness's
re-sign flag (0x80) so valid HS256 signatures need no crypto here.
"""
import base64
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
JWS = 65021


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def ext(value):
    if value < 13:
        return value, b""
    if value < 269:
        return 13, bytes([value - 13])
    return 14, struct.pack(">H", value - 269)


def coap(code, mid, token=b"", options=(), payload=b"", mtype=0):
    out = bytes([0x40 | mtype << 4 | len(token), code]) + struct.pack(">H", mid) + token
    prev = 0
    for number, value in sorted(options, key=lambda o: o[0]):
        dn, dx = ext(number - prev)
        ln, lx = ext(len(value))
        out += bytes([dn << 4 | ln]) + dx + lx + value
        prev = number
    if payload:
        out += b"\xff" + payload
    return out


def jws(header, signature=b"\x00" * 32):
    return b64u(header) + b".." + b64u(signature)


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


REQ = b'{"alg":"HS256","kid":"client-1","seq":7}'
RESP01 = b'{"alg":"HS256","kid":"server-1"}'
RESP10 = b'{"alg":"HS256","kid":"server-1","isi":"10","seq":3}'
ES = b'{"alg":"ES256","kid":"ec-1","seq":1}'
ED = b'{"alg":"EdDSA","kid":"ed-1","seq":1}'

get = coap(0x01, 0x1234, b"\xab\xcd", [(11, b"temp"), (JWS, jws(REQ))])
content = coap(0x45, 0x1234, b"\xab\xcd", [(12, b""), (JWS, jws(RESP01))], b"22.5", mtype=2)
messages = {
    "empty_ack": coap(0x00, 0x1234, mtype=2),
    "get_plain": coap(0x01, 1, b"\x01", [(3, b"example.net"), (11, b"a"), (11, b"b"), (15, b"x=1")]),
    "get_jws": get,
    "content_jws": content,
    "observe": coap(0x01, 2, b"\x02", [(6, b""), (11, b"obs"), (JWS, jws(REQ))]),
    "block2": coap(0x45, 3, b"\x03", [(23, b"\x0e"), (60, b"\x01\x00")], b"x" * 300),
    "ext_delta": coap(0x02, 4, b"", [(1, b"\x01"), (300, b"y" * 270)], b"p"),
    "bad_option": coap(0x82, 0x1234, b"\xab\xcd", [(JWS, jws(REQ))], mtype=2),
}
for name, data in messages.items():
    write("coap", name, data)

option_values = {
    "request": jws(REQ),
    "response": jws(RESP01),
    "es256": jws(ES, b"\x01" * 64),
    "three_dots": b"e30...AA",
    "padding": b"e30=..AA",
    "middle": b"e30.e30.AA",
}
for name, data in option_values.items():
    write("jws_option", name, data)

headers = {
    "request": REQ,
    "response01": RESP01,
    "response10": RESP10,
    "crit": b'{"alg":"ES256","kid":"k","seq":0,"crit":["seq"]}',
    "x5t": b'{"alg":"EdDSA","x5t#S256":"abc","seq":4294967295,"other":{"a":[1,2,{"b":null}]}}',
    "escapes": b'{"alg":"HS256","kid":"\\u00e9\\ud83d\\ude00","seq":1,"x":"\\n"}',
    "none": b'{"alg":"none","kid":"k","seq":1}',
    "duplicate": b'{"alg":"HS256","alg":"HS384"}',
    "numbers": b'{"alg":"HS256","seq":1e2,"n":-0.5E+3}',
}
for name, data in headers.items():
    write("jose_header", name, data)

jwks_keys = [
    b'{"kty":"oct","kid":"client-1","k":"Y2xpZW50LTEgc2VjcmV0LCAzMiBieXRlcyBsb25nISE"}',
    b'{"kty":"oct","kid":"s","alg":"HS512","k":"AAEC"}',
    b'{"kty":"EC","kid":"ec-1","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",'
    b'"y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}',
    b'{"kty":"OKP","kid":"ed-1","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",'
    b'"d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}',
    b'{"kty":"RSA","kid":"rsa-small","e":"AQAB","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"}',
]
write("jwk", "oct", jwks_keys[0])
write("jwk", "oct_alg", jwks_keys[1])
write("jwk", "ec_private", jwks_keys[2])
write("jwk", "okp_private", jwks_keys[3])
write("jwk", "rsa", jwks_keys[4])
write("jwk", "ec_bad_point", jwks_keys[2].replace(b'"x":"f8', b'"x":"f9'))
write("jwks", "all", b'{"keys":[' + b",".join(jwks_keys) + b"]}")
write("jwks", "empty", b'{"keys":[]}')
write("jwks", "one_bad", b'{"keys":[' + jwks_keys[0] + b',{"kty":"EC","crv":"P-999"}]}')


def session_input(flags, packets):
    """packets: (packet flags, time step, coap bytes)."""
    out = bytes([flags])
    for pf, step, data in packets:
        out += bytes([pf, step]) + struct.pack(">H", len(data)) + data
    return out


RESIGN = 0x80
CLIENT_TO_SERVER = 0  # endpoint 0 -> 1
SERVER_TO_CLIENT = 1  # endpoint 1 -> 0
req = lambda mid, tok, seq: coap(0x01, mid, tok, [(11, b"temp"), (JWS, jws(
    b'{"alg":"HS256","kid":"client-1","seq":%d}' % seq))])
resp = lambda mid, tok, hdr: coap(0x45, mid, tok, [(12, b""), (JWS, jws(hdr))], b"22.5", mtype=2)
write("session", "exchange", session_input(0, [
    (CLIENT_TO_SERVER | RESIGN, 1, req(1, b"\x01", 0)),
    (SERVER_TO_CLIENT | RESIGN, 1, resp(1, b"\x01", RESP01)),
    (CLIENT_TO_SERVER | RESIGN, 2, req(2, b"\x02", 1)),
    (SERVER_TO_CLIENT | RESIGN, 1, resp(2, b"\x02", RESP10)),
]))
write("session", "replay_retransmission", session_input(0x21, [
    (CLIENT_TO_SERVER | RESIGN, 1, req(1, b"\x01", 5)),
    (CLIENT_TO_SERVER | RESIGN, 2, req(1, b"\x01", 5)),
    (CLIENT_TO_SERVER | RESIGN, 3, req(2, b"\x02", 5)),
    (CLIENT_TO_SERVER | RESIGN, 1, req(3, b"\x03", 2)),
    (SERVER_TO_CLIENT | RESIGN, 1, resp(3, b"\x03", RESP01)),
    (SERVER_TO_CLIENT | RESIGN, 1, resp(4, b"\x03", RESP01)),
]))
write("session", "unsigned_stripped", session_input(0x44, [
    (CLIENT_TO_SERVER | RESIGN, 1, req(1, b"\x01", 0)),
    (CLIENT_TO_SERVER, 1, coap(0x01, 2, b"\x02", [(11, b"temp")])),
    (SERVER_TO_CLIENT, 1, coap(0x45, 2, b"\x02", [], b"1")),
    (SERVER_TO_CLIENT, 1, coap(0x82, 1, b"\x01", [(JWS, jws(REQ))], mtype=2)),
    (CLIENT_TO_SERVER, 1, coap(0x00, 9, mtype=3)),
]))
write("session", "asymmetric", session_input(0x10 ^ 0x10, [
    (CLIENT_TO_SERVER, 1, coap(0x01, 1, b"\x01", [(JWS, jws(ES, b"\x01" * 64))])),
    (CLIENT_TO_SERVER, 1, coap(0x01, 2, b"\x02", [(JWS, jws(ED, b"\x02" * 64))])),
    (CLIENT_TO_SERVER, 1, coap(0x01, 3, b"\x03", [(JWS, jws(b'{"alg":"ES256","kid":"client-1","seq":9}', b"\x01" * 64))])),
]))


# ---- CoAP over TCP and IP fragments (fuzz_tcp_streams, fuzz_ip_reassembly,
# fuzz_frame_decoder) ---------------------------------------------------------

def coap_tcp(code, token=b"", options=(), payload=b""):
    """RFC 8323 §3.2 framing of the same message coap() builds over UDP."""
    udp = coap(code, 0, token, options, payload)
    body = udp[4 + len(token):]
    n = len(body)
    if n < 13:
        head = bytes([n << 4 | len(token)])
    elif n < 269:
        head = bytes([13 << 4 | len(token), n - 13])
    else:
        head = bytes([14 << 4 | len(token)]) + struct.pack(">H", n - 269)
    return head + bytes([code]) + token + body


def tcp_segment(flags, step, payload, time=1, cut=None):
    out = bytes([flags]) + struct.pack(">h", step) + bytes([time, len(payload)]) + payload
    if cut is not None:
        out += bytes([cut])
    return out


get = coap_tcp(0x01, b"\x01", [(11, b"temp"), (JWS, jws(b'{"alg":"HS256","kid":"client-1","seq":0}'))])
csm = coap_tcp(0xE1, b"", [(2, b"\x04\x00")])
two = csm + get
write("tcp_streams", "syn_then_messages",
      b"\x00" + tcp_segment(0x04, 0, b"") + tcp_segment(0x00, 0, two[:20]) +
      tcp_segment(0x00, 0, two[20:]) + two + get)
write("tcp_streams", "out_of_order",
      b"\x01" + tcp_segment(0x04, 0, b"") + tcp_segment(0x00, 10, two[10:]) +
      tcp_segment(0x00, -(len(two) - 10) - 10, two[:10]) + get * 2)
write("tcp_streams", "mid_stream_cut",
      b"\x00" + tcp_segment(0x00, 0, get[5:]) + tcp_segment(0x40, 0, get, cut=9) +
      tcp_segment(0x01, 0, get) + csm)


def ip_fragment(flags, offset_units, data, time=1):
    return bytes([flags]) + struct.pack(">H", offset_units) + bytes([time, len(data)]) + data


payload = bytes(range(200))
write("ip_reassembly", "in_order_and_reversed",
      b"\x00" + ip_fragment(0x20, 0, payload[:80]) + ip_fragment(0x20, 10, payload[80:160]) +
      ip_fragment(0x00, 20, payload[160:]) + ip_fragment(0x01, 20, payload[160:]) +
      ip_fragment(0x21, 0, payload[:160]))
write("ip_reassembly", "overlaps_ipv6",
      b"\x00" + ip_fragment(0x30, 0, payload[:96]) + ip_fragment(0x30, 8, payload[64:160]) +
      ip_fragment(0x10, 12, payload[96:]))


def udp(src, dst, data):
    return struct.pack(">HHHH", src, dst, 8 + len(data), 0) + data


def record(link_choice, flags, data):
    return bytes([link_choice, flags]) + struct.pack(">H", len(data)) + data


request = coap(0x01, 7, b"\x07", [(11, b"temp"), (JWS, jws(b'{"alg":"HS256","kid":"client-1","seq":1}'))])
write("frame_decoder", "udp_and_tcp",
      record(0, 0x00, udp(40000, 5683, request)) +
      record(0, 0x02, struct.pack(">HHIIBBHHH", 40000, 5683, 1, 0, 0x50, 0x02, 65535, 0, 0)) +
      record(0, 0x02, struct.pack(">HHIIBBHHH", 40000, 5683, 2, 0, 0x50, 0x18, 65535, 0, 0) + two))
