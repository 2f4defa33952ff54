// The detached JWS payload (spec §3) and the signing input (spec §4). Every
// expected byte string is written out by hand from the item table:
// type (1 byte) || length (4 bytes, big-endian) || value.
#include <gtest/gtest.h>

#include "coapjws/signed_content.hpp"
#include "hex_bytes.hpp"

namespace coapjws {
namespace {

using test::hex;

Bytes text_bytes(std::string_view text) {
    auto v = as_bytes(text);
    return Bytes(v.begin(), v.end());
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

const OptionSet default_set = OptionSet::default_signed();

Bytes build(const Bytes& message, const OptionSet& set, std::uint16_t jws,
            const Tid* tid = nullptr) {
    auto m = parse_coap(message);
    EXPECT_TRUE(m) << (m ? "" : m.error().message);
    Bytes out = {0xde, 0xad};  // must be cleared
    if (m)
        build_signed_content(*m, SignedContentConfig{set, jws}, tid, out);
    return out;
}

// RFC 7252 Appendix A, Figure 16's request: GET, Uri-Path "temperature".
TEST(SignedContent, CodeAndOneOption) {
    const Bytes msg = concat({hex("40017d34bb"), text_bytes("temperature")});
    const Bytes expected = concat({
        hex("01 00000001 01"),                               // CODE 0.01
        hex("02 0000000d 000b"), text_bytes("temperature"),  // OPTION 11, 2 + 11 bytes
    });
    EXPECT_EQ(build(msg, default_set, option::jws_default), expected);
}

// A message with signed and unsigned options, a repeated option, the JWS
// option itself and a payload. CoAP bytes, by option:
//   40 03 0007          CON PUT, MID 7, no token
//   12 6162             If-Match (1) "ab"
//   22 6578             Uri-Host (3) "ex"          not signed
//   11 01               ETag (4) 01
//   20                  Observe (6) empty          not signed
//   51 61 / 01 62       Uri-Path (11) "a", "b"
//   31 3c               Max-Age (14) 60            not signed
//   13 713d31           Uri-Query (15) "q=1"
//   21 32               Accept (17) 50
//   61 02               Block2 (23) 02             not signed
//   e7 fcd9 "e30..AA"   JWS (65021 = 23 + 269 + 0xfcd9), 7 bytes
//   ff 6869             payload "hi"
const Bytes mixed =
    concat({hex("40030007 126162 226578 1101 20 5161 0162 313c 13713d31 2132 6102 e7fcd9"),
            text_bytes("e30..AA"), hex("ff6869")});

TEST(SignedContent, SignedOptionsInMessageOrderWithPayload) {
    const Bytes expected =
        hex("01 00000001 03"
            "02 00000004 0001 6162"
            "02 00000003 0004 01"
            "02 00000003 000b 61"
            "02 00000003 000b 62"
            "02 00000005 000f 713d31"
            "02 00000003 0011 32"
            "03 00000002 6869");
    EXPECT_EQ(build(mixed, default_set, option::jws_default), expected);
}

TEST(SignedContent, NonDefaultSetAndJwsOptionNeverSigned) {
    auto set = OptionSet::parse("uri-host,observe,65021");
    ASSERT_TRUE(set);
    const Bytes expected =
        hex("01 00000001 03"
            "02 00000004 0003 6578"  // Uri-Host "ex"
            "02 00000002 0006"       // Observe, empty value
            "03 00000002 6869");     // the JWS option (65021) is left out although listed
    EXPECT_EQ(build(mixed, *set, option::jws_default), expected);
}

TEST(SignedContent, JwsOptionNumberIsConfigurable) {
    // With Block2 (23) configured as the JWS option, 23 is excluded and 65021
    // is an ordinary option that the set may sign.
    auto set = OptionSet::parse("23,65021");
    ASSERT_TRUE(set);
    const Bytes expected = concat({
        hex("01 00000001 03"),
        hex("02 00000009 fdfd"),
        text_bytes("e30..AA"),  // 65021 = 0xfdfd, 2 + 7 bytes
        hex("03 00000002 6869"),
    });
    EXPECT_EQ(build(mixed, *set, 23), expected);
}

TEST(SignedContent, EmptySetSignsCodeAndPayloadOnly) {
    EXPECT_EQ(build(mixed, OptionSet(), option::jws_default),
              hex("01 00000001 03 03 00000002 6869"));
}

TEST(SignedContent, EmptyPayloadIsOmitted) {
    // 2.04 Changed, ACK, no options, no payload: CODE alone.
    EXPECT_EQ(build(hex("60441234"), default_set, option::jws_default), hex("01 00000001 44"));
}

TEST(SignedContent, ResponseWithRequestTidLast) {
    // RFC 7252 Figure 16's response (2.05, "22.3 C") with Content-Format 0
    // (text/plain: an empty uint) — bytes 60 45 7d34 c0 ff "22.3 C" — bound to
    // the request TID client-1:42.
    const Bytes msg = concat({hex("60457d34 c0 ff"), text_bytes("22.3 C")});
    const Tid tid{"client-1", 42};
    const Bytes expected = concat({
        hex("01 00000001 45"),
        hex("02 00000002 000c"),                              // Content-Format, empty value
        hex("03 00000006"), text_bytes("22.3 C"),             // PAYLOAD
        hex("04 0000000c 0000002a"), text_bytes("client-1"),  // REQUEST-TID: 4 + 8 bytes
    });
    EXPECT_EQ(build(msg, default_set, option::jws_default, &tid), expected);
}

TEST(SignedContent, RequestTidEdgeValues) {
    const Bytes msg = hex("60450001");
    Tid tid{"", 4294967295u};
    EXPECT_EQ(build(msg, default_set, option::jws_default, &tid),
              hex("01 00000001 45 04 00000004 ffffffff"));
    tid = Tid{"caf\xc3\xa9", 0};
    EXPECT_EQ(build(msg, default_set, option::jws_default, &tid),
              hex("01 00000001 45 04 00000009 00000000 636166c3a9"));
    tid = Tid{"k", 0x01020304};
    EXPECT_EQ(build(msg, default_set, option::jws_default, &tid),
              hex("01 00000001 45 04 00000005 01020304 6b"));
}

TEST(SignedContent, LongLengthsAreBigEndian) {
    // Uri-Path of 300 bytes (300 = 269 + 0x001f: length nibble 14)
    // and a payload of 70000 bytes.
    const Bytes msg =
        concat({hex("40020001 be001f"), Bytes(300, 'p'), hex("ff"), Bytes(70000, 'x')});
    const Bytes expected = concat({
        hex("01 00000001 02"), hex("02 0000012e 000b"), Bytes(300, 'p'),  // 302 = 0x12e
        hex("03 00011170"), Bytes(70000, 'x'),                            // 70000 = 0x11170
    });
    EXPECT_EQ(build(msg, default_set, option::jws_default), expected);
}

TEST(SignedContent, FromPartsMatchesParsedMessage) {
    // The generator's path: options in any order come out in message order
    // (by number, repeated options in the order given).
    const std::vector<CoapOptionValue> options = {
        {option::jws_default, text_bytes("e30..AA")},
        {option::uri_query, text_bytes("q=1")},
        {option::uri_path, text_bytes("a")},
        {option::uri_host, text_bytes("ex")},
        {option::accept, hex("32")},
        {option::uri_path, text_bytes("b")},
        {option::if_match, text_bytes("ab")},
        {option::etag, hex("01")},
    };
    const Bytes expected =
        hex("01 00000001 03"
            "02 00000004 0001 6162"
            "02 00000003 0004 01"
            "02 00000003 000b 61"
            "02 00000003 000b 62"
            "02 00000005 000f 713d31"
            "02 00000003 0011 32"
            "03 00000002 6869");
    Bytes out = {1, 2, 3};
    build_signed_content(0x03, options, hex("6869"),
                         SignedContentConfig{default_set, option::jws_default}, nullptr, out);
    EXPECT_EQ(out, expected);

    // Already sorted input takes the same path without reordering.
    const std::vector<CoapOptionValue> sorted = {{option::uri_path, text_bytes("z")},
                                                 {option::uri_path, text_bytes("y")}};
    const Tid tid{"s", 7};
    build_signed_content(0x45, sorted, {}, SignedContentConfig{default_set, option::jws_default},
                         &tid, out);
    EXPECT_EQ(
        out, hex("01 00000001 45 02 00000003 000b 7a 02 00000003 000b 79 04 00000005 00000007 73"));
}

// RFC 7515 Appendix A.1: the signing input is B64U(header) "." B64U(payload).
TEST(SigningInput, Rfc7515AppendixA1) {
    const std::string_view header = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
    const std::string_view payload =
        "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
    std::string out = "stale";
    build_signing_input(header, as_bytes(payload), out);
    EXPECT_EQ(out,
              "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
              "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290"
              "Ijp0cnVlfQ");
}

TEST(SigningInput, OverSignedContent) {
    // CODE item 01 00000001 01 is six bytes: 000000 010000 000000 000000 |
    // 000000 000000 000100 000001 → "AQAAAAEB".
    std::string out;
    build_signing_input("eyJhbGciOiJIUzI1NiJ9", hex("010000000101"), out);
    EXPECT_EQ(out, "eyJhbGciOiJIUzI1NiJ9.AQAAAAEB");
}

}  // namespace
}  // namespace coapjws

// The items read back, as the plugin lists them: each at the offset the
// hand-written layout gives.
namespace coapjws {
namespace {

TEST(SignedContentItems, ReadBackInOrder) {
    const Bytes content = concat({hex("01 00000001 01"),             // CODE 0.01 at 0
                                  hex("02 0000000d 000b"),           // OPTION 11 at 6
                                  text_bytes("temperature"),         //
                                  hex("03 00000002 6869"),           // PAYLOAD "hi" at 24
                                  hex("04 00000005 00000007 6b")});  // REQUEST-TID 7, "k" at 31
    const std::vector<SignedContentItem> items = signed_content_items(content);
    ASSERT_EQ(items.size(), 4u);
    EXPECT_EQ(items[0].type, item::code);
    EXPECT_EQ(items[0].offset, 0u);
    EXPECT_EQ(items[0].length, 6u);
    EXPECT_EQ(items[0].value_offset, 5u);
    EXPECT_EQ(items[0].value_length, 1u);
    EXPECT_EQ(items[1].type, item::option);
    EXPECT_EQ(items[1].offset, 6u);
    EXPECT_EQ(items[1].value_length, 13u);
    EXPECT_EQ(items[2].type, item::payload);
    EXPECT_EQ(items[2].offset, 24u);
    EXPECT_EQ(items[3].type, item::request_tid);
    EXPECT_EQ(items[3].offset, 31u);
    EXPECT_EQ(items[3].offset + items[3].length, content.size());
}

TEST(SignedContentItems, StopAtAnItemThatDoesNotFit) {
    EXPECT_EQ(signed_content_items(hex("01 00000001 01 03 00000009 6869")).size(), 1u);
    EXPECT_TRUE(signed_content_items(hex("01 0000")).empty());
    EXPECT_TRUE(signed_content_items({}).empty());
}

TEST(OptionNames, FromTheIanaRegistry) {
    EXPECT_EQ(option_name(11), "Uri-Path");
    EXPECT_EQ(option_name(12), "Content-Format");
    EXPECT_EQ(option_name(65021), "");
}

}  // namespace
}  // namespace coapjws
