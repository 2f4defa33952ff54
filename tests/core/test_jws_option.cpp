// The JWS option value (spec §1): B64U(header) ".." B64U(signature), strictly.
#include <gtest/gtest.h>

#include "coapjws/jws_option.hpp"

namespace coapjws {
namespace {

// B64U of {"alg":"HS256"} (as in RFC 7515 §3.1's example family of headers).
constexpr std::string_view header_b64 = "eyJhbGciOiJIUzI1NiJ9";
// The HMAC of RFC 7515 Appendix A.1, and its 32 octets as listed there.
constexpr std::string_view signature_b64 = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const Bytes signature_octets = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                191, 240, 91,  88,  5,   88,  83,  132, 141, 121};

std::string value_of(std::string_view header, std::string_view middle, std::string_view signature) {
    return std::string(header) + "." + std::string(middle) + "." + std::string(signature);
}

TEST(JwsOption, SplitsAndDecodes) {
    const std::string value = value_of(header_b64, "", signature_b64);
    auto parts = parse_jws_option(as_bytes(value));
    ASSERT_TRUE(parts) << parts.error().message;
    EXPECT_EQ(parts->header_b64, header_b64);
    EXPECT_EQ(parts->signature_b64, signature_b64);
    EXPECT_EQ(as_text(parts->header_bytes), R"({"alg":"HS256"})");
    EXPECT_EQ(parts->signature, signature_octets);
    // The text parts are views into the option value, as sent.
    EXPECT_EQ(parts->header_b64.data(), value.data());
    EXPECT_EQ(parts->signature_b64.data(), value.data() + header_b64.size() + 2);
}

TEST(JwsOption, ShortestParts) {
    // "e30" is {} and "AA" one zero byte: the smallest non-empty parts.
    auto parts = parse_jws_option(as_bytes("e30..AA"));
    ASSERT_TRUE(parts) << parts.error().message;
    EXPECT_EQ(as_text(parts->header_bytes), "{}");
    EXPECT_EQ(parts->signature, Bytes{0});
}

void expect_malformed(std::string_view value, std::string_view what) {
    auto parts = parse_jws_option(as_bytes(value));
    ASSERT_FALSE(parts) << value;
    EXPECT_NE(parts.error().message.find(what), std::string::npos)
        << value << ": " << parts.error().message;
}

TEST(JwsOption, DotCount) {
    expect_malformed("", "empty");
    expect_malformed(header_b64, "no '.'");
    expect_malformed(std::string(header_b64) + "." + std::string(signature_b64), "one '.'");
    expect_malformed(std::string(header_b64) + "..." + std::string(signature_b64),
                     "more than two '.'");
    expect_malformed(value_of(header_b64, "", signature_b64) + ".", "more than two '.'");
    expect_malformed("." + value_of(header_b64, "", signature_b64), "more than two '.'");
    expect_malformed("e30..AA.AA", "more than two '.'");
    expect_malformed("...", "more than two '.'");
}

TEST(JwsOption, MiddlePartMustBeEmpty) {
    // An attached payload (ordinary compact serialization) is not allowed.
    expect_malformed(value_of(header_b64, "e30", signature_b64),
                     "payload part is not empty (3 bytes)");
    expect_malformed(value_of(header_b64, "A", signature_b64),
                     "payload part is not empty (1 bytes)");
}

TEST(JwsOption, EmptyParts) {
    expect_malformed(".." + std::string(signature_b64), "header part is empty");
    expect_malformed("..", "header part is empty");
}

// `header..` is the shape of an Unsecured JWS (RFC 7515 §6): whether it is
// allowed depends on the header's alg, so the option parser hands it on with
// an empty signature and the session decides (spec §1).
TEST(JwsOption, EmptySignaturePartIsLeftToTheHeader) {
    const std::string value = std::string(header_b64) + "..";
    auto parts = parse_jws_option(as_bytes(value));
    ASSERT_TRUE(parts) << parts.error().message;
    EXPECT_TRUE(parts->signature_empty());
    EXPECT_TRUE(parts->signature.empty());
    EXPECT_EQ(parts->header_b64, header_b64);
    EXPECT_FALSE(
        parse_jws_option(as_bytes(value_of(header_b64, "", signature_b64)))->signature_empty());
}

TEST(JwsOption, Padding) {
    // {} padded to a multiple of four; one byte of signature padded.
    expect_malformed("e30=..AA", "header: base64url padding");
    expect_malformed("e30..AA==", "signature");
    expect_malformed("e30..AA==", "padding");
}

TEST(JwsOption, StandardBase64Characters) {
    expect_malformed("e30..+/8", "'+'");
    expect_malformed("e30..-/8", "'/'");
    expect_malformed("e3+..AA", "JWS header");
    expect_malformed("e3/..AA", "JWS header");
}

TEST(JwsOption, Length4nPlus1) {
    expect_malformed("e30..AAAAA", "4n+1");
    expect_malformed("e30AA..AA", "4n+1");
}

TEST(JwsOption, NonCanonicalLastCharacter) {
    // "e31" and "e30" differ only in the unused low bits of the last character.
    expect_malformed("e31..AA", "non-canonical");
    expect_malformed("e30..AB", "non-canonical");
}

TEST(JwsOption, OtherBytes) {
    expect_malformed(" e30..AA", "JWS header");
    expect_malformed("e30..AA ", "JWS signature");
    expect_malformed("e30..AA\n", "JWS signature");
    expect_malformed("e30..A\xc3\xa9", "JWS signature");
    expect_malformed(std::string_view("e30..A\0A", 8), "JWS signature");
}

TEST(JwsOption, ReusesBuffers) {
    JwsOptionParts parts;
    const std::string long_value = value_of(header_b64, "", signature_b64);
    ASSERT_TRUE(parse_jws_option(as_bytes(long_value), parts));
    const auto header_capacity = parts.header_bytes.capacity();
    const auto signature_capacity = parts.signature.capacity();
    ASSERT_TRUE(parse_jws_option(as_bytes("e30..AA"), parts));
    EXPECT_EQ(as_text(parts.header_bytes), "{}");
    EXPECT_EQ(parts.signature, Bytes{0});
    EXPECT_EQ(parts.header_bytes.capacity(), header_capacity);
    EXPECT_EQ(parts.signature.capacity(), signature_capacity);
    // A failure leaves no stale parts behind.
    EXPECT_FALSE(parse_jws_option(as_bytes("e30."), parts));
    EXPECT_TRUE(parts.header_b64.empty());
    EXPECT_TRUE(parts.signature.empty());
}

}  // namespace
}  // namespace coapjws
