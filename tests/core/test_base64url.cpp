// base64url without padding: RFC 4648 §10 test vectors (padding removed, as
// RFC 7515 §2 requires), RFC 7515 examples, and the strictness rules of
// docs/SPEC-NOTES.md (alphabet, no '=', no 4n+1 length, canonical last char).
#include <gtest/gtest.h>

#include "coapjws/base64url.hpp"

namespace coapjws {
namespace {

Bytes bytes_of(std::string_view text) {
    auto v = as_bytes(text);
    return Bytes(v.begin(), v.end());
}

struct Vector {
    std::string_view plain;
    std::string_view encoded;
};

// RFC 4648 §10, with the trailing '=' removed.
constexpr Vector rfc4648_vectors[] = {
    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
};

TEST(Base64url, Rfc4648VectorsEncode) {
    for (const auto& v : rfc4648_vectors) {
        EXPECT_EQ(base64url_encode(as_bytes(v.plain)), v.encoded) << v.plain;
    }
}

TEST(Base64url, Rfc4648VectorsDecode) {
    for (const auto& v : rfc4648_vectors) {
        auto decoded = base64url_decode(v.encoded);
        ASSERT_TRUE(decoded) << v.encoded << ": " << decoded.error().message;
        EXPECT_EQ(*decoded, bytes_of(v.plain)) << v.encoded;
    }
}

// RFC 7515 Appendix C: octets 3, 236, 255, 224, 193 encode as "A-z_4ME",
// which uses both URL-safe characters.
TEST(Base64url, Rfc7515AppendixC) {
    const Bytes octets = {3, 236, 255, 224, 193};
    EXPECT_EQ(base64url_encode(octets), "A-z_4ME");
    auto decoded = base64url_decode("A-z_4ME");
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, octets);
}

// RFC 7515 Appendix A.1.1: the JOSE header {"typ":"JWT",\r\n "alg":"HS256"}.
TEST(Base64url, Rfc7515AppendixA1Header) {
    const std::string_view header = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
    const std::string_view encoded = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
    EXPECT_EQ(base64url_encode(as_bytes(header)), encoded);
    auto decoded = base64url_decode(encoded);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(as_text(*decoded), header);
}

// 0xfb 0xff is "+/8" in standard base64 (RFC 4648 §4) and "-_8" here (§5).
TEST(Base64url, UrlSafeAlphabet) {
    EXPECT_EQ(base64url_encode(Bytes{0xfb, 0xff}), "-_8");
    EXPECT_EQ(base64url_encode(Bytes{0xff, 0xff, 0xff}), "____");
    EXPECT_EQ(base64url_encode(Bytes{0xfb, 0xef, 0xbe}), "----");
    EXPECT_EQ(base64url_encode(Bytes{0x00, 0x00, 0x00}), "AAAA");
}

TEST(Base64url, RejectsStandardAlphabetCharacters) {
    auto plus = base64url_decode("+/8");
    ASSERT_FALSE(plus);
    EXPECT_NE(plus.error().message.find("'+'"), std::string::npos) << plus.error().message;
    EXPECT_NE(plus.error().message.find("position 0"), std::string::npos) << plus.error().message;
    auto slash = base64url_decode("-/8");
    ASSERT_FALSE(slash);
    EXPECT_NE(slash.error().message.find("position 1"), std::string::npos) << slash.error().message;
}

TEST(Base64url, RejectsPadding) {
    for (std::string_view text : {"Zg==", "Zm8=", "Zg=", "AAA=", "Zm9v===="}) {
        auto r = base64url_decode(text);
        ASSERT_FALSE(r) << text;
        EXPECT_NE(r.error().message.find("padding"), std::string::npos)
            << text << ": " << r.error().message;
    }
}

TEST(Base64url, RejectsOtherBytes) {
    for (std::string_view text : {"Zm9 v", "Zm9v\n", "Zm.v", "Zm9v!", "\tZm9"}) {
        EXPECT_FALSE(base64url_decode(text)) << text;
    }
    // A NUL and bytes above 0x7f, which must not index outside the table.
    const char nul[] = {'Z', 'm', '\0', 'v'};
    EXPECT_FALSE(base64url_decode(std::string_view(nul, 4)));
    EXPECT_FALSE(base64url_decode("Zm\x80v"));
    EXPECT_FALSE(base64url_decode("Zm\xffv"));
}

TEST(Base64url, RejectsLength4nPlus1) {
    for (std::string_view text : {"A", "Zm9vY", "Zm9vYmFyZ"}) {
        auto r = base64url_decode(text);
        ASSERT_FALSE(r) << text;
        EXPECT_NE(r.error().message.find("4n+1"), std::string::npos) << r.error().message;
    }
}

// With 2 characters the last carries 4 unused bits, with 3 it carries 2; any
// of them set makes a second spelling of the same bytes.
TEST(Base64url, RejectsNonCanonicalLastCharacter) {
    // "Zg" is 'f'; 'h' (33 = 100001) sets an unused bit.
    EXPECT_TRUE(base64url_decode("Zg"));
    for (std::string_view text : {"Zh", "Zi", "Zj", "Zk", "Zv", "Z_"}) {
        auto r = base64url_decode(text);
        ASSERT_FALSE(r) << text;
        EXPECT_NE(r.error().message.find("non-canonical"), std::string::npos) << r.error().message;
    }
    // "Zm8" is "fo"; '9' (61 = 111101) sets the lowest unused bit.
    EXPECT_TRUE(base64url_decode("Zm8"));
    for (std::string_view text : {"Zm9", "Zm-", "Zm_", "Zm9vYmF"}) {
        EXPECT_FALSE(base64url_decode(text)) << text;
    }
}

TEST(Base64url, EveryAcceptedTextReencodesToItself) {
    // All two- and three-character texts over a sample of the alphabet.
    const std::string_view sample = "AQgwBhz9-_";
    for (char a : sample) {
        for (char b : sample) {
            std::string two{a, b};
            if (auto r = base64url_decode(two)) {
                EXPECT_EQ(base64url_encode(*r), two);
            }
            for (char c : sample) {
                std::string three{a, b, c};
                if (auto r = base64url_decode(three)) {
                    EXPECT_EQ(base64url_encode(*r), three);
                }
            }
        }
    }
}

TEST(Base64url, RoundTripAllLengths) {
    Bytes data;
    for (std::size_t n = 0; n < 70; ++n) {
        auto text = base64url_encode(data);
        EXPECT_EQ(text.size(), (n * 4 + 2) / 3) << n;
        auto back = base64url_decode(text);
        ASSERT_TRUE(back) << n;
        EXPECT_EQ(*back, data) << n;
        data.push_back(static_cast<std::uint8_t>(n * 37 + 11));
    }
}

TEST(Base64url, DecodeIntoClearsAndReusesBuffer) {
    Bytes out = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
    const auto capacity = out.capacity();
    ASSERT_TRUE(base64url_decode_into("Zm8", out));
    EXPECT_EQ(out, bytes_of("fo"));
    EXPECT_EQ(out.capacity(), capacity);
    // On failure the output holds no stale bytes from before.
    out = {1, 2, 3};
    EXPECT_FALSE(base64url_decode_into("Zm9", out));
    EXPECT_NE(out, (Bytes{1, 2, 3}));
}

// The decoder resizes a reused buffer without clearing it first: what it
// held before, longer or shorter, must never show through.
TEST(Base64url, DecodeIntoALongerOrShorterBufferGivesExactlyTheBytes) {
    Bytes data;
    for (std::size_t n = 0; n < 40; ++n)
        data.push_back(static_cast<std::uint8_t>(n * 53 + 7));
    const std::string long_text = base64url_encode(data);
    const std::string short_text = base64url_encode(ByteView(data).first(7));
    Bytes out(100, 0xee);
    ASSERT_TRUE(base64url_decode_into(short_text, out));
    EXPECT_EQ(out, Bytes(data.begin(), data.begin() + 7));
    ASSERT_TRUE(base64url_decode_into(long_text, out));
    EXPECT_EQ(out, data);
    ASSERT_TRUE(base64url_decode_into(short_text, out));
    EXPECT_EQ(out, Bytes(data.begin(), data.begin() + 7));
    ASSERT_TRUE(base64url_decode_into("", out));
    EXPECT_TRUE(out.empty());
}

// A character outside the alphabet is caught in every position of a full
// group of four, and in the final partial group.
TEST(Base64url, RejectsABadCharacterInEveryPosition) {
    const std::string good = "QUJDREVGR0g";  // "ABCDEFGH": two groups and three
    ASSERT_TRUE(base64url_decode(good));
    for (std::size_t i = 0; i < good.size(); ++i) {
        for (char bad : {'+', '/', '=', '.', '\0', '\x80', '\xff'}) {
            std::string text = good;
            text[i] = bad;
            Bytes out = {1, 2, 3};
            EXPECT_FALSE(base64url_decode_into(text, out)) << i << ' ' << int(bad);
            EXPECT_TRUE(out.empty()) << i;
        }
    }
}

TEST(Base64url, EncodeAppendKeepsPrefix) {
    std::string out = "eyJ.";
    base64url_encode_append(as_bytes("foo"), out);
    EXPECT_EQ(out, "eyJ.Zm9v");
}

}  // namespace
}  // namespace coapjws
