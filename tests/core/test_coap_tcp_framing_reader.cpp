// The framing reader of RFC 8323 §3.2 (coap_tcp_message_size) and the
// encoder for reliable framings. The expected sizes are worked out by hand
// from the RFC: the Len nibble (0-12 as is; 13, 14, 15 announce 1, 2, 4
// extension bytes holding Len - 13, Len - 269, Len - 65805), then the Code,
// the token (TKL bytes) and Len bytes of options and payload.
#include <gtest/gtest.h>

#include "coapjws/coap_message.hpp"
#include "hex_bytes.hpp"

namespace coapjws {
namespace {

using test::hex;

TEST(TcpFramingReader, NeedsOnlyTheLengthFields) {
    EXPECT_FALSE(coap_tcp_message_size({}));
    // Len 0, TKL 0: Len/TKL byte + Code = 2 bytes; the Code is not needed.
    EXPECT_EQ(coap_tcp_message_size(hex("00")), 2u);
    // Len 5, TKL 3: 1 + 1 + 3 + 5.
    EXPECT_EQ(coap_tcp_message_size(hex("53")), 10u);
    // Len 12 (the largest without extension), TKL 8: 1 + 1 + 8 + 12.
    EXPECT_EQ(coap_tcp_message_size(hex("c8")), 22u);
}

TEST(TcpFramingReader, OneByteExtension) {
    // Len 13: one extension byte, value + 13.
    EXPECT_FALSE(coap_tcp_message_size(hex("d0")));
    EXPECT_EQ(coap_tcp_message_size(hex("d0 00")), 1u + 1 + 1 + 13);
    EXPECT_EQ(coap_tcp_message_size(hex("d2 ff")), 1u + 1 + 1 + 2 + 268);
    EXPECT_EQ(coap_tcp_length_field_size(0xd2), 2u);
}

TEST(TcpFramingReader, TwoByteExtension) {
    EXPECT_FALSE(coap_tcp_message_size(hex("e0 01")));
    EXPECT_EQ(coap_tcp_message_size(hex("e0 0000")), 1u + 2 + 1 + 269);
    EXPECT_EQ(coap_tcp_message_size(hex("e1 ffff")), 1u + 2 + 1 + 1 + 65535 + 269);
    EXPECT_EQ(coap_tcp_length_field_size(0xe1), 3u);
}

TEST(TcpFramingReader, FourByteExtensionCannotWrap) {
    EXPECT_FALSE(coap_tcp_message_size(hex("f0 000000")));
    EXPECT_EQ(coap_tcp_message_size(hex("f0 00000000")), 1u + 4 + 1 + 65805);
    // The largest announcement: 2^32 - 1 + 65805 bytes of body, TKL 15.
    EXPECT_EQ(coap_tcp_message_size(hex("ff ffffffff")),
              std::uint64_t{1} + 4 + 1 + 15 + 0xffffffffULL + 65805);
    EXPECT_EQ(coap_tcp_length_field_size(0xff), 5u);
}

TEST(TcpFramingReader, AgreesWithTheParserOnWholeMessages) {
    // GET with token 0x7d and Uri-Path "ab": body 3 bytes (option 0xb2 'a' 'b').
    const Bytes message = hex("31 01 7d b2 6162");
    ASSERT_EQ(coap_tcp_message_size(message), message.size());
    EXPECT_TRUE(parse_coap(message, CoapFraming::tcp).has_value());
}

TEST(ReliableEncoding, ShortestLengthAndSameBody) {
    CoapMessageSpec spec;
    spec.type = CoapType::non_confirmable;  // ignored over TCP
    spec.message_id = 0x1234;               // ignored over TCP
    spec.code = 0x02;                       // POST
    spec.token = {0xaa, 0xbb};
    spec.options = {{option::uri_path, {'x'}}};
    for (std::size_t payload : {0u, 4u, 11u, 12u, 300u, 70000u}) {
        spec.payload.assign(payload, 0x5a);
        auto udp = encode_coap(spec);
        auto tcp = encode_coap(spec, CoapFraming::tcp);
        ASSERT_TRUE(udp && tcp);
        // Body: option (2 bytes) + marker and payload.
        const std::size_t body = 2 + (payload ? payload + 1 : 0);
        const std::size_t extension = body < 13 ? 0 : body < 269 ? 1 : body < 65805 ? 2 : 4;
        EXPECT_EQ(tcp->size(), 1 + extension + 1 + 2 + body) << payload;
        EXPECT_EQ(coap_tcp_message_size(*tcp), tcp->size()) << payload;
        // Everything after the UDP header is the same bytes.
        EXPECT_TRUE(std::equal(udp->begin() + 4, udp->end(), tcp->end() - (udp->size() - 4)));
        auto parsed = parse_coap(*tcp, CoapFraming::tcp);
        ASSERT_TRUE(parsed) << parsed.error().message;
        EXPECT_EQ(parsed->code, 0x02);
        EXPECT_EQ(parsed->payload.size(), payload);
    }
}

TEST(ReliableEncoding, WebSocketLenIsZero) {
    CoapMessageSpec spec;
    spec.code = 0x45;
    spec.token = {1};
    spec.payload = {'o', 'k'};
    auto ws = encode_coap(spec, CoapFraming::websocket);
    ASSERT_TRUE(ws);
    EXPECT_EQ((*ws)[0], 0x01);  // Len 0, TKL 1
    EXPECT_TRUE(parse_coap(*ws, CoapFraming::websocket).has_value());
}

}  // namespace
}  // namespace coapjws
