// CoAP message parsing and encoding (RFC 7252 §3). Expected bytes are worked
// out by hand from the RFC's header and option format; the first examples are
// RFC 7252 Appendix A, Figure 16.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>

#include "coapjws/coap_message.hpp"
#include "hex_bytes.hpp"

// Counts heap allocations so the hot path can be shown to make none.
// Sanitizers replace operator new themselves, so the count is off there.
#if defined(__SANITIZE_ADDRESS__)
#define COAPJWS_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COAPJWS_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef COAPJWS_COUNT_ALLOCATIONS
#define COAPJWS_COUNT_ALLOCATIONS 1
#endif

#if COAPJWS_COUNT_ALLOCATIONS
// GCC cannot see that these replacements pair malloc with free.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
std::atomic<long> allocation_count{0};
}
void* operator new(std::size_t size) {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
#endif

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

Bytes view_bytes(ByteView v) {
    return Bytes(v.begin(), v.end());
}

// Every view the parser hands out must lie inside the input.
void expect_views_inside(const CoapMessage& m, ByteView input) {
    const auto inside = [&](ByteView v) {
        return v.empty() ||
               (v.data() >= input.data() && v.data() + v.size() <= input.data() + input.size());
    };
    EXPECT_TRUE(inside(m.token));
    EXPECT_TRUE(inside(m.payload));
    for (const auto& o : m.options) {
        EXPECT_TRUE(inside(o.value));
        EXPECT_LT(o.offset, o.value_offset);
        EXPECT_LE(o.value_offset + o.value.size(), input.size());
    }
}

// ---------------------------------------------------------------------------
// RFC 7252 Appendix A, Figure 16: GET (T=CON, Code=0.01, MID=0x7d34),
// Uri-Path "temperature"; answered by 2.05 (T=ACK, MID=0x7d34), "22.3 C".
// Request: 0x40 = Ver 1, T 0, TKL 0; 0x01 GET; 7d 34; 0xbb = delta 11, length 11.
const Bytes figure16_request = concat({hex("40017d34bb"), text_bytes("temperature")});
// Response: 0x60 = Ver 1, T 2 (ACK), TKL 0; 0x45 = 2.05 (2 << 5 | 5); 0xff marker.
const Bytes figure16_response = concat({hex("60457d34ff"), text_bytes("22.3 C")});

TEST(CoapParse, Rfc7252Figure16Request) {
    auto m = parse_coap(figure16_request);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->version, 1);
    EXPECT_EQ(m->type, CoapType::confirmable);
    EXPECT_EQ(m->code, 0x01);
    EXPECT_EQ(m->kind(), MessageKind::request);
    EXPECT_EQ(m->message_id, 0x7d34);
    EXPECT_TRUE(m->token.empty());
    ASSERT_EQ(m->options.size(), 1u);
    EXPECT_EQ(m->options[0].number, option::uri_path);
    EXPECT_EQ(as_text(m->options[0].value), "temperature");
    EXPECT_EQ(m->options[0].offset, 4u);
    EXPECT_EQ(m->options[0].value_offset, 5u);
    EXPECT_TRUE(m->payload.empty());
    EXPECT_EQ(m->payload_offset, 0u);
    EXPECT_EQ(m->bytes.size(), figure16_request.size());
    EXPECT_EQ(m->bytes.data(), figure16_request.data());
}

TEST(CoapParse, Rfc7252Figure16Response) {
    auto m = parse_coap(figure16_response);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->type, CoapType::acknowledgement);
    EXPECT_EQ(m->code, 0x45);
    EXPECT_EQ(code_to_string(m->code), "2.05");
    EXPECT_EQ(m->kind(), MessageKind::response);
    EXPECT_EQ(m->message_id, 0x7d34);
    EXPECT_TRUE(m->options.empty());
    EXPECT_EQ(as_text(m->payload), "22.3 C");
    EXPECT_EQ(m->payload_offset, 5u);
}

TEST(CoapParse, OneByteToken) {
    // Figure 16's request with token 0x20: TKL 1 → first byte 0x41.
    const Bytes msg = concat({hex("41017d3520bb"), text_bytes("temperature")});
    auto m = parse_coap(msg);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(view_bytes(m->token), hex("20"));
    ASSERT_EQ(m->options.size(), 1u);
    EXPECT_EQ(m->options[0].offset, 5u);
    EXPECT_EQ(m->options[0].value_offset, 6u);
}

TEST(CoapParse, EightByteTokenAllTypes) {
    for (unsigned type = 0; type < 4; ++type) {
        Bytes msg = hex("48451234 0102030405060708");
        msg[0] = static_cast<std::uint8_t>(0x48 | type << 4);
        auto m = parse_coap(msg);
        ASSERT_TRUE(m) << m.error().message;
        EXPECT_EQ(m->type, static_cast<CoapType>(type));
        EXPECT_EQ(view_bytes(m->token), hex("0102030405060708"));
        EXPECT_EQ(m->message_id, 0x1234);
        EXPECT_TRUE(m->options.empty());
        EXPECT_TRUE(m->payload.empty());
    }
}

TEST(CoapParse, RepeatedAndZeroLengthOptions) {
    // If-None-Match (5, empty): 0x50. Uri-Path "a" then "b": delta 6 → 0x61 'a',
    // delta 0 → 0x01 'b'. Uri-Query (15) "x=1": delta 4, length 3 → 0x43.
    const Bytes msg = concat({hex("40020001 50 6161 0162 43"), text_bytes("x=1")});
    auto m = parse_coap(msg);
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(m->options.size(), 4u);
    EXPECT_EQ(m->options[0].number, option::if_none_match);
    EXPECT_TRUE(m->options[0].value.empty());
    EXPECT_EQ(m->options[1].number, option::uri_path);
    EXPECT_EQ(as_text(m->options[1].value), "a");
    EXPECT_EQ(m->options[2].number, option::uri_path);
    EXPECT_EQ(as_text(m->options[2].value), "b");
    EXPECT_EQ(m->options[3].number, option::uri_query);
    EXPECT_EQ(as_text(m->options[3].value), "x=1");
    EXPECT_EQ(m->count_options(option::uri_path), 2u);
    EXPECT_EQ(m->count_options(option::if_none_match), 1u);
    EXPECT_EQ(m->count_options(option::etag), 0u);
    EXPECT_EQ(m->find_option(option::uri_path), &m->options[1]);
    EXPECT_EQ(m->find_option(option::uri_query), &m->options[3]);
    EXPECT_EQ(m->find_option(option::accept), nullptr);
    EXPECT_EQ(m->find_option(option::etag), nullptr);
    // Offsets: options start after the 4-byte header.
    EXPECT_EQ(m->options[0].offset, 4u);
    EXPECT_EQ(m->options[1].offset, 5u);
    EXPECT_EQ(m->options[2].offset, 7u);
    EXPECT_EQ(m->options[3].offset, 9u);
    EXPECT_EQ(m->options[3].value_offset, 10u);
}

TEST(CoapParse, ExtendedDelta13) {
    // Accept (17) as the first option: delta 17 = 13 + 4 → nibble 13, one byte 0x04.
    const Bytes accept = hex("40010001 d104 32");
    auto m = parse_coap(accept);
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(m->options.size(), 1u);
    EXPECT_EQ(m->options[0].number, 17);
    EXPECT_EQ(view_bytes(m->options[0].value), hex("32"));
    EXPECT_EQ(m->options[0].value_offset, 6u);
    // The largest one-byte extension: 13 + 255 = 268.
    const Bytes largest = hex("40010001 d0ff");
    m = parse_coap(largest);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->options[0].number, 268);
}

TEST(CoapParse, ExtendedDelta14) {
    // Uri-Path "a" (0xb1 'a'), then the JWS option 65021: delta 65010 =
    // 269 + 64741 (0xfce5) → nibble 14; value "x..y" (length 4).
    const Bytes msg = concat({hex("40010001 b161 e4fce5"), text_bytes("x..y")});
    auto m = parse_coap(msg);
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(m->options.size(), 2u);
    EXPECT_EQ(m->options[1].number, option::jws_default);
    EXPECT_EQ(as_text(m->options[1].value), "x..y");
    EXPECT_EQ(m->options[1].offset, 6u);
    EXPECT_EQ(m->options[1].value_offset, 9u);
    // Smallest two-byte extension: 269 + 0.
    const Bytes smallest = hex("40010001 e00000");
    m = parse_coap(smallest);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->options[0].number, 269);
    // Option number 65535 is the largest: 269 + 0xfef2.
    const Bytes max_number = hex("40010001 e0fef2");
    m = parse_coap(max_number);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->options[0].number, 65535);
}

TEST(CoapParse, ExtendedLengths) {
    // Uri-Path of 13 bytes: length nibble 13, extension 0.
    Bytes msg = concat({hex("40010001 bd00"), Bytes(13, 'a')});
    auto m = parse_coap(msg);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->options[0].value.size(), 13u);
    EXPECT_EQ(m->options[0].value_offset, 6u);
    // 268 bytes: nibble 13, extension 255.
    msg = concat({hex("40010001 bdff"), Bytes(268, 'b')});
    m = parse_coap(msg);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->options[0].value.size(), 268u);
    // 269 bytes: nibble 14, extension 0000.
    msg = concat({hex("40010001 be0000"), Bytes(269, 'c'), hex("ff01")});
    m = parse_coap(msg);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->options[0].value.size(), 269u);
    EXPECT_EQ(m->options[0].value_offset, 7u);
    EXPECT_EQ(view_bytes(m->payload), hex("01"));
    EXPECT_EQ(m->payload_offset, 7u + 269u + 1u);
    // The largest: 269 + 65535 = 65804 bytes, nibble 14, extension ffff.
    msg = concat({hex("40010001 beffff"), Bytes(65804, 'd')});
    m = parse_coap(msg);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->options[0].value.size(), 65804u);
}

TEST(CoapParse, ExtendedDeltaAndLengthTogether) {
    // Proxy-Uri (35) with a 20-byte value: delta 35 = 13 + 22, length 20 = 13 + 7
    // → 0xdd, then delta extension 0x16, then length extension 0x07.
    const Bytes msg = concat({hex("40010001 dd1607"), Bytes(20, 'u')});
    auto m = parse_coap(msg);
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(m->options.size(), 1u);
    EXPECT_EQ(m->options[0].number, option::proxy_uri);
    EXPECT_EQ(m->options[0].value.size(), 20u);
    EXPECT_EQ(m->options[0].value_offset, 7u);
}

TEST(CoapParse, PayloadMayContain0xff) {
    const Bytes msg = hex("50450001 ff ffff00ff");
    auto m = parse_coap(msg);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->type, CoapType::non_confirmable);
    EXPECT_EQ(view_bytes(m->payload), hex("ffff00ff"));
}

TEST(CoapParse, EmptyMessages) {
    // Empty ACK, RST and CoAP ping (CON 0.00): exactly four bytes.
    for (std::string_view text : {"60001234", "70001234", "40001234"}) {
        const Bytes msg = hex(text);
        auto m = parse_coap(msg);
        ASSERT_TRUE(m) << text << ": " << m.error().message;
        EXPECT_EQ(m->kind(), MessageKind::empty) << text;
        EXPECT_EQ(m->message_id, 0x1234);
    }
}

TEST(CoapParse, ReservedCodeClassesParseAsUnknownKind) {
    // 1.00, 1.31, 6.00, 7.31 (RFC 7252 §12.1: reserved).
    for (std::string_view text : {"40200001", "403f0001", "40c00001", "40ff0001"}) {
        const Bytes msg = hex(text);
        auto m = parse_coap(msg);
        ASSERT_TRUE(m) << text;
        EXPECT_EQ(m->kind(), MessageKind::unknown) << text;
    }
}

// --- malformed --------------------------------------------------------------

// The error message must say what went wrong (`what`) and where (`where`).
void expect_malformed(const Bytes& msg, std::string_view what, std::string_view where = {}) {
    auto m = parse_coap(msg);
    ASSERT_FALSE(m) << to_hex(msg);
    const std::string& message = m.error().message;
    EXPECT_NE(message.find(what), std::string::npos) << to_hex(msg) << ": " << message;
    if (!where.empty()) {
        EXPECT_NE(message.find(where), std::string::npos) << to_hex(msg) << ": " << message;
    }
}

TEST(CoapMalformed, ShorterThanHeader) {
    expect_malformed({}, "0 bytes");
    expect_malformed(hex("40"), "1 bytes");
    expect_malformed(hex("4001"), "2 bytes");
    expect_malformed(hex("400100"), "3 bytes");
}

TEST(CoapMalformed, VersionOtherThanOne) {
    for (std::string_view text : {"00010001", "80010001", "c0010001", "3f010001"}) {
        Bytes msg = hex(text);
        expect_malformed(msg, "version");
        CoapMessage out;
        EXPECT_FALSE(parse_coap(msg, out));
        EXPECT_EQ(out.version, msg[0] >> 6);
    }
}

TEST(CoapMalformed, TokenLength9To15) {
    for (unsigned tkl = 9; tkl <= 15; ++tkl) {
        Bytes msg = concat({hex("40010001"), Bytes(16, 0)});
        msg[0] = static_cast<std::uint8_t>(0x40 | tkl);
        expect_malformed(msg, "token length " + std::to_string(tkl));
    }
}

TEST(CoapMalformed, TokenTruncated) {
    expect_malformed(hex("48010001 01020304050607"), "token of 8 bytes truncated");
    expect_malformed(hex("41010001"), "token of 1 bytes truncated");
}

TEST(CoapMalformed, EmptyMessageWithAnythingAfterHeader) {
    expect_malformed(hex("60001234 ff"), "empty message");                // a byte after the header
    expect_malformed(hex("61001234 aa"), "empty message");                // a token
    expect_malformed(hex("61001234"), "empty message");                   // TKL 1 with no token
    expect_malformed(hex("40001234 b161"), "empty message", "offset 4");  // an option
    expect_malformed(hex("70001234 ff00"), "empty message");              // a payload
}

TEST(CoapMalformed, DeltaNibble15) {
    expect_malformed(hex("40010001 f0"), "delta nibble 15", "option #1 at offset 4");
    expect_malformed(hex("40010001 f5 6162636465"), "delta nibble 15");
    // After a valid option: the second option at offset 6.
    expect_malformed(hex("40010001 b161 f1 61"), "delta nibble 15", "option #2 at offset 6");
}

TEST(CoapMalformed, LengthNibble15) {
    expect_malformed(hex("40010001 bf"), "length nibble 15", "option #1 at offset 4");
    expect_malformed(hex("40010001 0f"), "length nibble 15");
    expect_malformed(hex("40010001 df04"), "length nibble 15");
}

TEST(CoapMalformed, TruncatedExtendedDelta) {
    expect_malformed(hex("40010001 d0"), "extended delta (nibble 13) truncated", "offset 4");
    expect_malformed(hex("40010001 e0"), "extended delta (nibble 14) truncated");
    expect_malformed(hex("40010001 e0fc"), "extended delta (nibble 14) truncated");
}

TEST(CoapMalformed, TruncatedExtendedLength) {
    expect_malformed(hex("40010001 bd"), "extended length (nibble 13) truncated");
    expect_malformed(hex("40010001 be"), "extended length (nibble 14) truncated");
    expect_malformed(hex("40010001 be01"), "extended length (nibble 14) truncated");
    // Delta extension present, length extension missing.
    expect_malformed(hex("40010001 dd04"), "extended length (nibble 13) truncated");
    expect_malformed(hex("40010001 ee0000 00"), "extended length (nibble 14) truncated");
}

TEST(CoapMalformed, TruncatedValue) {
    expect_malformed(hex("40010001 b5 61626364"), "value of 5 bytes truncated, 4 left",
                     "(number 11)");
    expect_malformed(hex("40010001 bd00 61"), "value of 13 bytes truncated, 1 left");
    expect_malformed(hex("40010001 be0000"), "value of 269 bytes truncated, 0 left");
    // A 0xff inside the missing value is not a payload marker.
    expect_malformed(hex("40010001 b3 61ff"), "value of 3 bytes truncated");
}

TEST(CoapMalformed, OptionNumberAbove65535) {
    // First option with delta 269 + 0xfef3 = 65536.
    expect_malformed(hex("40010001 e0fef3"), "option number 65536 exceeds 65535");
    // The largest encodable delta: 269 + 0xffff = 65804.
    expect_malformed(hex("40010001 e0ffff"), "option number 65804");
    // By accumulation: 65021 (JWS) + delta 515 (269 + 0x00f6) = 65536.
    expect_malformed(hex("40010001 e0fcf0 e000f6"), "option number 65536", "option #2 at offset 7");
}

TEST(CoapMalformed, PayloadMarkerWithoutPayload) {
    expect_malformed(hex("40010001 ff"), "payload marker with no payload", "offset 4");
    expect_malformed(hex("42010001 abcd b161 ff"), "payload marker with no payload", "offset 8");
}

TEST(CoapMalformed, HeaderStaysReadableAfterLaterError) {
    CoapMessage out;
    const Bytes msg = hex("42457777 abcd b161 0162 f0");
    auto status = parse_coap(msg, out);
    ASSERT_FALSE(status);
    EXPECT_EQ(out.version, 1);
    EXPECT_EQ(out.code, 0x45);
    EXPECT_EQ(out.message_id, 0x7777);
    EXPECT_EQ(view_bytes(out.token), hex("abcd"));
    ASSERT_EQ(out.options.size(), 2u);  // those before the problem
    EXPECT_EQ(as_text(out.options[1].value), "b");
}

TEST(CoapParse, NoPrefixOfAValidMessageCrashes) {
    // Every prefix of a message using every encoding form.
    const Bytes msg =
        concat({hex("44011234 0a0b0c0d"), hex("b161 0162 d104 32 bd00"), Bytes(13, 'q'),
                hex("e4fcd3"), text_bytes("x..y"), hex("ff"), text_bytes("payload")});
    ASSERT_TRUE(parse_coap(msg)) << parse_coap(msg).error().message;
    CoapMessage out;
    for (std::size_t n = 0; n <= msg.size(); ++n) {
        // Copy into an exact-size buffer so ASan sees any over-read.
        const Bytes prefix(msg.begin(), msg.begin() + static_cast<std::ptrdiff_t>(n));
        auto status = parse_coap(prefix, out);
        expect_views_inside(out, prefix);
        // Which prefixes are complete messages follows from the layout above:
        // header+token (8), after each option, and after at least one payload byte.
        const bool complete = n == 8 || n == 10 || n == 12 || n == 15 || n == 30 || n == 37 ||
                              (n >= 39 && n <= msg.size());
        EXPECT_EQ(static_cast<bool>(status), complete) << "prefix " << n;
    }
}

TEST(CoapParse, SingleByteMutationsNeverCrash) {
    const Bytes msg = concat({hex("44011234 0a0b0c0d b161 0162 d104 32 e4fcd3"), text_bytes("x..y"),
                              hex("ff"), text_bytes("pl")});
    CoapMessage out;
    for (std::size_t i = 0; i < msg.size(); ++i) {
        for (unsigned v = 0; v < 256; ++v) {
            Bytes m = msg;
            m[i] = static_cast<std::uint8_t>(v);
            if (parse_coap(m, out)) {
                expect_views_inside(out, m);
                for (std::size_t k = 1; k < out.options.size(); ++k) {
                    EXPECT_LE(out.options[k - 1].number, out.options[k].number);
                }
            }
        }
    }
}

TEST(CoapParse, RandomInputNeverCrashes) {
    std::mt19937 rng(7252);
    CoapMessage out;
    for (int i = 0; i < 20000; ++i) {
        Bytes m(rng() % 48);
        for (auto& b : m)
            b = static_cast<std::uint8_t>(rng());
        if (!m.empty() && rng() % 2)
            m[0] = static_cast<std::uint8_t>(0x40 | (m[0] & 0x37));  // mostly version 1
        if (parse_coap(m, out)) {
            expect_views_inside(out, m);
            if (!out.payload.empty()) {
                EXPECT_EQ(out.payload_offset + out.payload.size(), m.size());
            }
        }
    }
}

TEST(CoapParse, ReusesOptionCapacityWithoutAllocating) {
    // Ten options: If-Match (delta 1, length 1) then nine more (delta 0).
    const Bytes big = hex("40010001 1101 0101 0101 0101 0101 0101 0101 0101 0101 0101");
    const Bytes small = concat({hex("41017d3520bb"), text_bytes("temperature")});
    CoapMessage out;
    ASSERT_TRUE(parse_coap(big, out));
    ASSERT_EQ(out.options.size(), 10u);
    const auto capacity = out.options.capacity();
    const auto* data = out.options.data();
#if COAPJWS_COUNT_ALLOCATIONS
    const long before = allocation_count.load();
#endif
    for (int i = 0; i < 100; ++i) {
        ASSERT_TRUE(parse_coap(i % 2 ? big : small, out));
    }
    ASSERT_TRUE(parse_coap(figure16_response, out));
#if COAPJWS_COUNT_ALLOCATIONS
    EXPECT_EQ(allocation_count.load(), before);
#endif
    EXPECT_EQ(out.options.capacity(), capacity);
    EXPECT_EQ(out.options.data(), data);
    EXPECT_TRUE(out.options.empty());  // cleared for the option-less response
}

TEST(CoapParse, ReparseResetsEveryField) {
    CoapMessage out;
    const Bytes first = hex("42457777 abcd b161 ff7a");
    const Bytes second = hex("60001234");
    ASSERT_TRUE(parse_coap(first, out));
    ASSERT_TRUE(parse_coap(second, out));
    EXPECT_TRUE(out.token.empty());
    EXPECT_TRUE(out.options.empty());
    EXPECT_TRUE(out.payload.empty());
    EXPECT_EQ(out.payload_offset, 0u);
    EXPECT_EQ(out.code, 0);
    const Bytes third = hex("40");
    EXPECT_FALSE(parse_coap(third, out));
    EXPECT_EQ(out.version, 0);
    EXPECT_EQ(out.message_id, 0);
}

// --- codes and names ----------------------------------------------------------

TEST(CoapCodes, KindOfEveryCode) {
    for (unsigned code = 0; code < 256; ++code) {
        const unsigned cls = code >> 5;
        MessageKind expected = MessageKind::unknown;
        if (code == 0) {
            expected = MessageKind::empty;
        } else if (cls == 0) {
            expected = MessageKind::request;
        } else if (cls >= 2 && cls <= 5) {
            expected = MessageKind::response;  // RFC 7252 §12.1: 2.00-5.31 indicates a response
        }
        EXPECT_EQ(kind_of_code(static_cast<std::uint8_t>(code)), expected) << code;
    }
}

TEST(CoapCodes, CodeToString) {
    EXPECT_EQ(code_to_string(0x00), "0.00");
    EXPECT_EQ(code_to_string(0x01), "0.01");  // GET
    EXPECT_EQ(code_to_string(0x04), "0.04");  // DELETE
    EXPECT_EQ(code_to_string(0x1f), "0.31");
    EXPECT_EQ(code_to_string(0x41), "2.01");  // Created
    EXPECT_EQ(code_to_string(0x45), "2.05");  // Content
    EXPECT_EQ(code_to_string(0x82), "4.02");  // Bad Option
    EXPECT_EQ(code_to_string(0x84), "4.04");  // Not Found
    EXPECT_EQ(code_to_string(0xa0), "5.00");  // Internal Server Error
    EXPECT_EQ(code_to_string(0xff), "7.31");
    EXPECT_EQ(code_bad_option, 0x82);
}

TEST(CoapCodes, Names) {
    EXPECT_EQ(to_string(MessageKind::request), "request");
    EXPECT_EQ(to_string(MessageKind::response), "response");
    EXPECT_EQ(to_string(MessageKind::empty), "empty");
    EXPECT_EQ(to_string(MessageKind::unknown), "unknown");
    EXPECT_EQ(to_string(CoapType::confirmable), "CON");
    EXPECT_EQ(to_string(CoapType::non_confirmable), "NON");
    EXPECT_EQ(to_string(CoapType::acknowledgement), "ACK");
    EXPECT_EQ(to_string(CoapType::reset), "RST");
}

// --- encoding -----------------------------------------------------------------

TEST(CoapEncode, Rfc7252Figure16) {
    CoapMessageSpec request;
    request.type = CoapType::confirmable;
    request.code = 0x01;
    request.message_id = 0x7d34;
    request.options.push_back({option::uri_path, text_bytes("temperature")});
    auto bytes = encode_coap(request);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(*bytes, figure16_request);

    CoapMessageSpec response;
    response.type = CoapType::acknowledgement;
    response.code = 0x45;
    response.message_id = 0x7d34;
    response.payload = text_bytes("22.3 C");
    bytes = encode_coap(response);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(*bytes, figure16_response);
}

TEST(CoapEncode, SortsOptionsStably) {
    CoapMessageSpec spec;
    spec.type = CoapType::non_confirmable;
    spec.code = 0x02;  // POST
    spec.message_id = 0xbeef;
    spec.token = hex("c0ffee");
    spec.options = {
        {option::uri_query, text_bytes("q")}, {option::uri_path, text_bytes("a")},
        {option::content_format, hex("32")},  {option::uri_path, text_bytes("b")},
        {option::if_none_match, {}},          {option::uri_path, text_bytes("c")},
    };
    // 0x53 = NON, TKL 3; options 5 (delta 5, len 0) → 0x50; 11 "a" → 0x61;
    // 11 "b" → 0x01; 11 "c" → 0x01; 12 0x32 → 0x11; 15 "q" → 0x31.
    auto bytes = encode_coap(spec);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(*bytes, hex("5302beef c0ffee 50 6161 0162 0163 1132 3171"));
}

TEST(CoapEncode, ExtendedForms) {
    CoapMessageSpec spec;
    spec.code = 0x01;
    spec.message_id = 1;
    spec.options = {
        {12, hex("00")},           // delta 12 → nibble 12
        {25, {}},                  // delta 13 → nibble 13, ext 00
        {293, Bytes(12, 'x')},     // delta 268 → 13, ff; length 12
        {562, Bytes(13, 'y')},     // delta 269 → 14, 0000; length 13 → 13, 00
        {65535, Bytes(269, 'z')},  // delta 64973 → 14, fcc0; length 269 → 14, 0000
    };
    auto bytes = encode_coap(spec);
    ASSERT_TRUE(bytes);
    const Bytes expected = concat({hex("40010001 c100 d000 dcff"), Bytes(12, 'x'), hex("ed000000"),
                                   Bytes(13, 'y'), hex("eefcc00000"), Bytes(269, 'z')});
    EXPECT_EQ(*bytes, expected);
}

TEST(CoapEncode, LargestValue) {
    CoapMessageSpec spec;
    spec.code = 0x03;
    spec.options = {{option::uri_path, Bytes(65804, 'v')}};
    auto bytes = encode_coap(spec);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(Bytes(bytes->begin(), bytes->begin() + 7), hex("40030000 beffff"));
    EXPECT_EQ(bytes->size(), 7u + 65804u);

    spec.options[0].value.push_back('v');
    auto too_long = encode_coap(spec);
    ASSERT_FALSE(too_long);
    EXPECT_NE(too_long.error().message.find("65805"), std::string::npos)
        << too_long.error().message;
}

TEST(CoapEncode, RejectsLongToken) {
    CoapMessageSpec spec;
    spec.code = 0x01;
    spec.token = Bytes(9, 1);
    auto r = encode_coap(spec);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("9 bytes"), std::string::npos);
    spec.token = Bytes(8, 1);
    EXPECT_TRUE(encode_coap(spec));
}

TEST(CoapEncode, EmptyPayloadHasNoMarker) {
    CoapMessageSpec spec;
    spec.type = CoapType::reset;
    auto bytes = encode_coap(spec);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(*bytes, hex("70000000"));
}

TEST(CoapEncode, RoundTrip) {
    std::mt19937 rng(12);
    for (int i = 0; i < 300; ++i) {
        CoapMessageSpec spec;
        spec.type = static_cast<CoapType>(rng() % 4);
        spec.code = static_cast<std::uint8_t>(1 + rng() % 255);
        spec.message_id = static_cast<std::uint16_t>(rng());
        spec.token = Bytes(rng() % 9, static_cast<std::uint8_t>(rng()));
        const std::size_t count = rng() % 6;
        for (std::size_t k = 0; k < count; ++k) {
            const std::uint16_t number =
                static_cast<std::uint16_t>(rng() % 3 == 0 ? rng() : rng() % 300);
            const std::size_t length = rng() % 4 == 0 ? 13 + rng() % 400 : rng() % 14;
            spec.options.push_back({number, Bytes(length, static_cast<std::uint8_t>(k))});
        }
        if (rng() % 2)
            spec.payload = Bytes(1 + rng() % 40, 0xff);

        auto bytes = encode_coap(spec);
        ASSERT_TRUE(bytes);
        auto m = parse_coap(*bytes);
        ASSERT_TRUE(m) << m.error().message;
        EXPECT_EQ(m->type, spec.type);
        EXPECT_EQ(m->code, spec.code);
        EXPECT_EQ(m->message_id, spec.message_id);
        EXPECT_EQ(view_bytes(m->token), spec.token);
        EXPECT_EQ(view_bytes(m->payload), spec.payload);
        auto sorted = spec.options;
        std::stable_sort(
            sorted.begin(), sorted.end(),
            [](const CoapOptionValue& a, const CoapOptionValue& b) { return a.number < b.number; });
        ASSERT_EQ(m->options.size(), sorted.size());
        for (std::size_t k = 0; k < sorted.size(); ++k) {
            EXPECT_EQ(m->options[k].number, sorted[k].number);
            EXPECT_EQ(view_bytes(m->options[k].value), sorted[k].value);
        }
    }
}

}  // namespace
}  // namespace coapjws
