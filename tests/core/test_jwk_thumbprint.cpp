// RFC 7638 JWK thumbprints against the RFCs' own examples, and the canonical
// input for the key types that have none.
#include <gtest/gtest.h>

#include "coapjws/jwk_thumbprint.hpp"
#include "coapjws/key_store.hpp"

namespace coapjws {
namespace {

// RFC 7638 §3.1: the example RSA key (with members a thumbprint ignores).
constexpr std::string_view rfc7638_n =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
    "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
    "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
    "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

Key jwk(std::string_view json) {
    Result<Key> key = Key::from_jwk(json);
    EXPECT_TRUE(key.has_value()) << (key ? "" : key.error().message);
    return key ? std::move(key).value() : Key{};
}

TEST(JwkThumbprint, Rfc7638Example) {
    const Key key = jwk(R"({"kty":"RSA","n":")" + std::string(rfc7638_n) +
                        R"(","e":"AQAB","alg":"RS256","kid":"2011-04-29"})");
    // §3.1 spells out the input: required members only, sorted, no spaces.
    EXPECT_EQ(jwk_thumbprint_input(key).value(),
              R"({"e":"AQAB","kty":"RSA","n":")" + std::string(rfc7638_n) + "\"}");
    EXPECT_EQ(jwk_thumbprint(key).value(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(JwkThumbprint, Rfc8037Ed25519Example) {
    // RFC 8037 appendix A.1's key, whose thumbprint appendix A.3 gives.
    const Key key = jwk(R"({"kty":"OKP","crv":"Ed25519",)"
                        R"("d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",)"
                        R"("x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
    EXPECT_EQ(jwk_thumbprint_input(key).value(),
              R"({"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
    EXPECT_EQ(jwk_thumbprint(key).value(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(JwkThumbprint, EcCoordinatesKeepTheirLeadingZeros) {
    // RFC 7520 §3.2's P-521 key: x starts with a zero byte ("AH..."), which
    // RFC 7518 §6.2.1.2 keeps (full coordinate size), unlike an RSA modulus.
    const std::string x =
        "AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt";
    const std::string y =
        "AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1";
    const Key key =
        jwk(R"({"kty":"EC","crv":"P-521","kid":"bilbo","x":")" + x + R"(","y":")" + y + "\"}");
    EXPECT_EQ(jwk_thumbprint_input(key).value(),
              R"({"crv":"P-521","kty":"EC","x":")" + x + R"(","y":")" + y + "\"}");
}

TEST(JwkThumbprint, OctKeysHaveNone) {
    Result<Key> key = Key::from_secret(Bytes(32, 0x5a));
    ASSERT_TRUE(key.has_value());
    EXPECT_FALSE(jwk_thumbprint(*key).has_value());
    EXPECT_FALSE(jwk_thumbprint_input(*key).has_value());
}

TEST(JwkThumbprint, TheStoreKeepsEachKeysThumbprintAndPosition) {
    KeyStore store;
    Result<Key> secret = Key::from_secret(Bytes(32, 0x5a));
    ASSERT_TRUE(secret.has_value());
    secret->set_kid("h");
    store.add(std::move(*secret));
    Key rsa = jwk(R"({"kty":"RSA","kid":"r","n":")" + std::string(rfc7638_n) + R"(","e":"AQAB"})");
    store.add(std::move(rsa));
    EXPECT_EQ(store.thumbprint(0), "");
    EXPECT_EQ(store.thumbprint(1), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    EXPECT_EQ(store.index_of(store.find(KeyIdSource::kid, "r")[0]), 1u);
    EXPECT_EQ(store.index_of(store.find(KeyIdSource::kid, "h")[0]), 0u);
}

}  // namespace
}  // namespace coapjws
