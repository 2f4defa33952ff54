// CoAP over reliable transports (RFC 8323 §3.2 TCP/TLS, §4.4 WebSockets):
// the Len/TKL byte, the extended length, the Code, then token, options and
// payload as in RFC 7252. Every byte string below is worked out by hand from
// those sections: Len counts the bytes from the first option on (options,
// payload marker and payload); 13, 14, 15 announce 1, 2, 4 extension bytes
// holding Len - 13, Len - 269, Len - 65805. A parsed message's views point
// into its bytes, so every parsed buffer is a named variable.
#include <gtest/gtest.h>

#include "coapjws/coap_message.hpp"
#include "hex_bytes.hpp"

namespace coapjws {
namespace {

using test::hex;

Bytes concat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// A body of a payload marker and `n - 1` payload bytes: exactly n bytes.
Bytes payload_body(std::size_t n) {
    Bytes out(n, 0x61);
    out[0] = 0xff;
    return out;
}

std::string parse_error(const Bytes& bytes, CoapFraming framing) {
    CoapMessage m;
    Status s = parse_coap(bytes, framing, m);
    return s ? std::string() : s.error().message;
}

TEST(ReliableFraming, SmallestRequestIsTwoBytes) {
    // Len 0, TKL 0, Code 0.01 (GET): no token, options or payload.
    const Bytes m_bytes = hex("0001");
    Result<CoapMessage> m = parse_coap(m_bytes, CoapFraming::tcp);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->framing, CoapFraming::tcp);
    EXPECT_EQ(m->code, 0x01);
    EXPECT_EQ(m->kind(), MessageKind::request);
    EXPECT_TRUE(m->token.empty());
    EXPECT_TRUE(m->options.empty());
    EXPECT_TRUE(m->payload.empty());
    EXPECT_EQ(m->message_id, 0);  // no Message ID in reliable framing
}

TEST(ReliableFraming, LenNibbleCountsOptionsAndPayloadNotToken) {
    // GET, token AB, Uri-Path "temp" (delta 11, length 4: B4 + 4 bytes): the
    // body is 5 bytes, so Len 5, TKL 1 -> 0x51.
    const Bytes bytes =
        hex("5101ab"
            "b474656d70");
    Result<CoapMessage> m = parse_coap(bytes, CoapFraming::tcp);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->code, 0x01);
    EXPECT_EQ(Bytes(m->token.begin(), m->token.end()), hex("ab"));
    ASSERT_EQ(m->options.size(), 1u);
    EXPECT_EQ(m->options[0].number, option::uri_path);
    EXPECT_EQ(m->options[0].offset, 3u);        // after Len/TKL, Code, token
    EXPECT_EQ(m->options[0].value_offset, 4u);  // offsets count from the Len byte
    EXPECT_EQ(std::string(as_text(m->options[0].value)), "temp");
}

TEST(ReliableFraming, LenTwelveIsTheLargestWithoutExtension) {
    // 2.05 with the payload marker and 11 payload bytes: body 12 -> Len 12 (0xC0).
    const Bytes m_bytes = concat(hex("c045"), payload_body(12));
    Result<CoapMessage> m = parse_coap(m_bytes, CoapFraming::tcp);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->kind(), MessageKind::response);
    EXPECT_EQ(m->payload.size(), 11u);
    EXPECT_EQ(m->payload_offset, 3u);
}

TEST(ReliableFraming, EightBitExtendedLength) {
    // Body 13 bytes: Len 13 with extension 13 - 13 = 0x00.
    const Bytes m13_bytes = concat(hex("d00045"), payload_body(13));
    Result<CoapMessage> m13 = parse_coap(m13_bytes, CoapFraming::tcp);
    ASSERT_TRUE(m13.has_value()) << m13.error().message;
    EXPECT_EQ(m13->payload.size(), 12u);
    EXPECT_EQ(m13->payload_offset, 4u);  // Len, ext, Code, marker
    // Body 268 bytes, the most one extension byte carries: 268 - 13 = 0xFF.
    const Bytes m268_bytes = concat(hex("d0ff45"), payload_body(268));
    Result<CoapMessage> m268 = parse_coap(m268_bytes, CoapFraming::tcp);
    ASSERT_TRUE(m268.has_value()) << m268.error().message;
    EXPECT_EQ(m268->payload.size(), 267u);
    // A 12-byte Uri-Path option (BC + 12 bytes) is a 13-byte body; token 2 bytes.
    const Bytes opt_bytes =
        hex("d2000101ff"
            "bc"
            "616263646566676869707172");
    Result<CoapMessage> opt = parse_coap(opt_bytes, CoapFraming::tcp);
    ASSERT_TRUE(opt.has_value()) << opt.error().message;
    EXPECT_EQ(Bytes(opt->token.begin(), opt->token.end()), hex("01ff"));
    ASSERT_EQ(opt->options.size(), 1u);
    EXPECT_EQ(opt->options[0].offset, 5u);
    EXPECT_EQ(opt->options[0].value.size(), 12u);
}

TEST(ReliableFraming, SixteenBitExtendedLength) {
    // Body 269 bytes: Len 14, extension 269 - 269 = 0x0000.
    const Bytes m269_bytes = concat(hex("e0000045"), payload_body(269));
    Result<CoapMessage> m269 = parse_coap(m269_bytes, CoapFraming::tcp);
    ASSERT_TRUE(m269.has_value()) << m269.error().message;
    EXPECT_EQ(m269->payload.size(), 268u);
    EXPECT_EQ(m269->payload_offset, 5u);
    // Body 300 bytes: 300 - 269 = 31 = 0x001F.
    const Bytes m300_bytes = concat(hex("e0001f45"), payload_body(300));
    Result<CoapMessage> m300 = parse_coap(m300_bytes, CoapFraming::tcp);
    ASSERT_TRUE(m300.has_value()) << m300.error().message;
    EXPECT_EQ(m300->payload.size(), 299u);
    // Body 65804 bytes, the most two extension bytes carry: 65804 - 269 = 0xFFFF.
    const Bytes max_bytes = concat(hex("e0ffff45"), payload_body(65804));
    Result<CoapMessage> max = parse_coap(max_bytes, CoapFraming::tcp);
    ASSERT_TRUE(max.has_value()) << max.error().message;
    EXPECT_EQ(max->payload.size(), 65803u);
}

TEST(ReliableFraming, ThirtyTwoBitExtendedLength) {
    // Body 65805 bytes: Len 15, extension 0x00000000.
    const Bytes m_bytes = concat(hex("f00000000045"), payload_body(65805));
    Result<CoapMessage> m = parse_coap(m_bytes, CoapFraming::tcp);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->payload.size(), 65804u);
    EXPECT_EQ(m->payload_offset, 7u);
    // Body 65900 bytes: 65900 - 65805 = 95 = 0x0000005F.
    const Bytes m2_bytes = concat(hex("f00000005f45"), payload_body(65900));
    Result<CoapMessage> m2 = parse_coap(m2_bytes, CoapFraming::tcp);
    ASSERT_TRUE(m2.has_value()) << m2.error().message;
    EXPECT_EQ(m2->payload.size(), 65899u);
}

TEST(ReliableFraming, LenThatDisagreesWithTheBytesIsMalformed) {
    // Len 5 announced, 4 body bytes present (the option is cut short too).
    EXPECT_NE(parse_error(hex("5101ab"
                              "b4746570"),
                          CoapFraming::tcp),
              "");
    // Len 4 announced, 5 present: a byte the framing does not account for.
    EXPECT_NE(parse_error(hex("4101ab"
                              "b474656d70"),
                          CoapFraming::tcp),
              "");
    // Len 0 with a payload after the Code.
    EXPECT_NE(parse_error(hex("0045"
                              "ff61"),
                          CoapFraming::tcp),
              "");
    // 8-bit extension says 14 bytes (0x01 + 13), 13 present.
    EXPECT_NE(parse_error(concat(hex("d00145"), payload_body(13)), CoapFraming::tcp), "");
    // 32-bit extension at its maximum: 4 GiB announced, a few bytes present;
    // the sizes are compared without wrapping around.
    EXPECT_NE(parse_error(hex("f0ffffffff45ff61"), CoapFraming::tcp), "");
    // Every prefix of a valid message is malformed, never a read past it.
    const Bytes whole =
        hex("5101ab"
            "b474656d70");
    for (std::size_t n = 0; n < whole.size(); ++n) {
        const Bytes prefix(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_NE(parse_error(prefix, CoapFraming::tcp), "") << n << " bytes";
    }
}

TEST(ReliableFraming, HeaderCutBeforeTheCode) {
    EXPECT_NE(parse_error(Bytes{}, CoapFraming::tcp), "");
    EXPECT_NE(parse_error(hex("00"), CoapFraming::tcp), "");      // no Code
    EXPECT_NE(parse_error(hex("d000"), CoapFraming::tcp), "");    // extension, no Code
    EXPECT_NE(parse_error(hex("e00000"), CoapFraming::tcp), "");  // 2-byte extension, no Code
    EXPECT_NE(parse_error(hex("f0000000"), CoapFraming::tcp), "");
    EXPECT_NE(parse_error(hex("f000000000"), CoapFraming::tcp), "");
    EXPECT_FALSE(coap_code_offset(hex("f000000000"), CoapFraming::tcp).has_value());
    EXPECT_FALSE(coap_code_offset(Bytes{}, CoapFraming::tcp).has_value());
}

TEST(ReliableFraming, CodeOffsetFollowsTheExtendedLength) {
    EXPECT_EQ(coap_code_offset(hex("0001"), CoapFraming::tcp), 1u);
    EXPECT_EQ(coap_code_offset(hex("d00045"), CoapFraming::tcp), 2u);
    EXPECT_EQ(coap_code_offset(hex("e0000045"), CoapFraming::tcp), 3u);
    EXPECT_EQ(coap_code_offset(hex("f00000000045"), CoapFraming::tcp), 5u);
    // Known even when the rest is wrong (here Len disagrees): the kind is shown.
    EXPECT_EQ(coap_code_offset(hex("f0ffffffff45"), CoapFraming::tcp), 5u);
    // UDP: 4 bytes and version 1; WebSockets: 2 bytes and Len 0.
    EXPECT_EQ(coap_code_offset(hex("40010001"), CoapFraming::udp), 1u);
    EXPECT_FALSE(coap_code_offset(hex("400100"), CoapFraming::udp).has_value());
    EXPECT_FALSE(coap_code_offset(hex("80010001"), CoapFraming::udp).has_value());
    EXPECT_EQ(coap_code_offset(hex("0001"), CoapFraming::websocket), 1u);
    EXPECT_FALSE(coap_code_offset(hex("5001"), CoapFraming::websocket).has_value());
    EXPECT_FALSE(coap_code_offset(hex("00"), CoapFraming::websocket).has_value());
}

TEST(ReliableFraming, TokenLengthRulesAsOverUdp) {
    // TKL 9 is reserved (RFC 7252 §3, kept by RFC 8323 §3.2).
    EXPECT_NE(parse_error(hex("0901"
                              "010203040506070809"),
                          CoapFraming::tcp),
              "");
    // TKL 8 is the largest: Len 0, 8 token bytes.
    const Bytes m_bytes =
        hex("0801"
            "0102030405060708");
    Result<CoapMessage> m = parse_coap(m_bytes, CoapFraming::tcp);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->token.size(), 8u);
    // TKL 2 with one token byte.
    EXPECT_NE(parse_error(hex("0201ab"), CoapFraming::tcp), "");
}

TEST(ReliableFraming, EmptyMessageRulesAsOverUdp) {
    const Bytes bytes = hex("0000");
    Result<CoapMessage> empty = parse_coap(bytes, CoapFraming::tcp);
    ASSERT_TRUE(empty.has_value()) << empty.error().message;
    EXPECT_EQ(empty->kind(), MessageKind::empty);
    // 0.00 with a token, or with an option.
    EXPECT_NE(parse_error(hex("0100ab"), CoapFraming::tcp), "");
    EXPECT_NE(parse_error(hex("1000"
                              "60"),
                          CoapFraming::tcp),
              "");
}

TEST(ReliableFraming, OptionRulesAsOverUdp) {
    // Delta nibble 15 outside the marker; a payload marker with no payload.
    EXPECT_NE(parse_error(hex("1001"
                              "f0"),
                          CoapFraming::tcp),
              "");
    EXPECT_NE(parse_error(hex("1001"
                              "ff"),
                          CoapFraming::tcp),
              "");
    // Option 3 (Uri-Host) with its 1-byte extended length cut (D.. needs a byte).
    EXPECT_NE(parse_error(hex("1001"
                              "3d"),
                          CoapFraming::tcp),
              "");
}

TEST(ReliableFraming, SignallingClassOnlyOverReliableTransports) {
    // 7.01 CSM with Max-Message-Size (option 2) = 1152 (0x0480): option byte
    // 0x22, body 3 bytes -> Len 3.
    const Bytes csm_bytes =
        hex("30e1"
            "220480");
    Result<CoapMessage> csm = parse_coap(csm_bytes, CoapFraming::tcp);
    ASSERT_TRUE(csm.has_value()) << csm.error().message;
    EXPECT_EQ(csm->kind(), MessageKind::signalling);
    EXPECT_EQ(kind_of_code(0xe2, CoapFraming::tcp), MessageKind::signalling);        // 7.02 Ping
    EXPECT_EQ(kind_of_code(0xe5, CoapFraming::websocket), MessageKind::signalling);  // 7.05 Abort
    EXPECT_EQ(kind_of_code(0xe1, CoapFraming::udp), MessageKind::unknown);
    EXPECT_EQ(kind_of_code(0xe1), MessageKind::unknown);
    // Classes 1 and 6 stay reserved everywhere.
    EXPECT_EQ(kind_of_code(0x21, CoapFraming::tcp), MessageKind::unknown);
    EXPECT_EQ(kind_of_code(0xc1, CoapFraming::tcp), MessageKind::unknown);
    EXPECT_EQ(to_string(MessageKind::signalling), "signalling");
}

TEST(WebSocketFraming, LenIsZeroAndTheFrameGivesTheLength) {
    // GET, token AB, Uri-Path "temp": Len 0, TKL 1 -> 0x01.
    const Bytes bytes =
        hex("0101ab"
            "b474656d70");
    Result<CoapMessage> m = parse_coap(bytes, CoapFraming::websocket);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->framing, CoapFraming::websocket);
    EXPECT_EQ(m->code, 0x01);
    ASSERT_EQ(m->options.size(), 1u);
    EXPECT_EQ(std::string(as_text(m->options[0].value)), "temp");
    EXPECT_EQ(m->options[0].value_offset, 4u);
    // The TCP form of the same message (Len 5) is not a WebSocket message.
    EXPECT_NE(parse_error(hex("5101ab"
                              "b474656d70"),
                          CoapFraming::websocket),
              "");
    // Nor is Len 13 with an extension byte.
    EXPECT_NE(parse_error(concat(hex("d00045"), payload_body(13)), CoapFraming::websocket), "");
    // Shorter than the 2-byte header; an empty message; a cut token.
    EXPECT_NE(parse_error(hex("00"), CoapFraming::websocket), "");
    EXPECT_NE(parse_error(Bytes{}, CoapFraming::websocket), "");
    EXPECT_EQ(parse_error(hex("0000"), CoapFraming::websocket), "");
    EXPECT_NE(parse_error(hex("0201ab"), CoapFraming::websocket), "");
}

TEST(CoapFramingNames, AreStable) {
    EXPECT_EQ(to_string(CoapFraming::udp), "udp");
    EXPECT_EQ(to_string(CoapFraming::tcp), "tcp");
    EXPECT_EQ(to_string(CoapFraming::websocket), "websocket");
    EXPECT_FALSE(is_reliable(CoapFraming::udp));
    EXPECT_TRUE(is_reliable(CoapFraming::tcp));
    EXPECT_TRUE(is_reliable(CoapFraming::websocket));
}

TEST(UdpFraming, TheFramingOverloadParsesAsBefore) {
    // RFC 7252 Appendix A, Figure 16's request: CON GET MID 0x7d34 Uri-Path "temperature".
    const Bytes bytes =
        hex("40017d34"
            "bb74656d7065726174757265");
    Result<CoapMessage> old_way = parse_coap(bytes);
    Result<CoapMessage> new_way = parse_coap(bytes, CoapFraming::udp);
    ASSERT_TRUE(old_way.has_value());
    ASSERT_TRUE(new_way.has_value());
    EXPECT_EQ(new_way->framing, CoapFraming::udp);
    EXPECT_EQ(new_way->message_id, 0x7d34);
    EXPECT_EQ(new_way->options.size(), old_way->options.size());
    // The same bytes read as TCP: Len 4, TKL 0, Code 0x01, then 7d 34 bb ... is
    // 13 bytes after the Code, not 4: malformed.
    EXPECT_NE(parse_error(bytes, CoapFraming::tcp), "");
}

}  // namespace
}  // namespace coapjws
