// Key: JWK / secret / PEM loading, generation, and that nothing secret is
// ever shown (describe(), error messages).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "coapjws/base64url.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/key.hpp"
#include "key_test_support.hpp"

namespace coapjws {
namespace {

using test::generated;
using test::jwk_of;

// RFC 7515 A.3 (P-256) and RFC 8037 A.1 (Ed25519) keys, and RFC 7520 §3.5.
constexpr std::string_view p256_x = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr std::string_view p256_y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr std::string_view p256_d = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
constexpr std::string_view ed_x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
constexpr std::string_view ed_d = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
constexpr std::string_view oct_k = "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg";

std::string ec_jwk(std::string_view more) {
    return R"({"kty":"EC","crv":"P-256","x":")" + std::string(p256_x) + R"(","y":")" +
           std::string(p256_y) + "\"" + std::string(more) + "}";
}

std::string error_of(std::string_view jwk) {
    auto key = Key::from_jwk(jwk);
    EXPECT_FALSE(key) << "accepted: " << jwk;
    return key ? std::string() : key.error().message;
}

// No secret value, nor any long piece of it, nor its hex, in a text.
void expect_no_secret(const std::string& text, std::string_view secret_b64) {
    EXPECT_EQ(text.find(secret_b64), std::string::npos) << text;
    EXPECT_EQ(text.find(secret_b64.substr(0, 8)), std::string::npos) << text;
    auto bytes = base64url_decode(secret_b64);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(text.find(to_hex(*bytes).substr(0, 8)), std::string::npos) << text;
}

TEST(KeyNames, TypesAndCurves) {
    EXPECT_EQ(to_string(KeyType::oct), "oct");
    EXPECT_EQ(to_string(KeyType::ec), "EC");
    EXPECT_EQ(to_string(KeyType::rsa), "RSA");
    EXPECT_EQ(to_string(KeyType::okp), "OKP");
    EXPECT_EQ(to_string(Curve::p256), "P-256");
    EXPECT_EQ(to_string(Curve::p384), "P-384");
    EXPECT_EQ(to_string(Curve::p521), "P-521");
    EXPECT_EQ(to_string(Curve::ed25519), "Ed25519");
    EXPECT_EQ(to_string(Curve::ed448), "Ed448");
    EXPECT_EQ(to_string(Curve::none), "");
}

TEST(SecretBytes, HoldsAndMoves) {
    SecretBytes a(Bytes{1, 2, 3});
    EXPECT_EQ(a.size(), 3u);
    SecretBytes b(std::move(a));
    EXPECT_EQ(b.size(), 3u);
    EXPECT_EQ(b.view()[2], 3);
    SecretBytes c(Bytes{9});
    c = std::move(b);
    EXPECT_EQ(c.size(), 3u);
    EXPECT_EQ(c.view()[0], 1);
    EXPECT_TRUE(SecretBytes().empty());
}

// ---------------------------------------------------------------------------
// Loading JWKs

TEST(KeyFromJwk, Oct) {
    auto key = Key::from_jwk(R"({"kty":"oct","kid":"h1","alg":"HS256","k":")" + std::string(oct_k) +
                             "\"}");
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->type(), KeyType::oct);
    EXPECT_EQ(key->bits(), 256u);
    EXPECT_TRUE(key->has_private());
    EXPECT_EQ(key->kid(), "h1");
    EXPECT_EQ(as_text(key->secret()), as_text(*base64url_decode(oct_k)));
    std::array<unsigned char, 64> mac{};
    EXPECT_EQ(key->hmac(Algorithm::HS384, {}, mac), 48u);
    EXPECT_EQ(key->hmac(Algorithm::ES256, {}, mac), 0u);
}

TEST(KeyFromJwk, EcPublicAndPrivate) {
    auto pub = Key::from_jwk(ec_jwk(R"(,"kid":"e")"));
    ASSERT_TRUE(pub) << pub.error().message;
    EXPECT_EQ(pub->type(), KeyType::ec);
    EXPECT_EQ(pub->curve(), Curve::p256);
    EXPECT_EQ(pub->bits(), 256u);
    EXPECT_FALSE(pub->has_private());
    auto priv = Key::from_jwk(ec_jwk(R"(,"d":")" + std::string(p256_d) + "\""));
    ASSERT_TRUE(priv) << priv.error().message;
    EXPECT_TRUE(priv->has_private());
}

TEST(KeyFromJwk, EveryCurveAndTypeRoundTripsThroughOpenSsl) {
    struct Case {
        KeyType type;
        Curve curve;
        unsigned bits;
    };
    for (Case c : {Case{KeyType::ec, Curve::p256, 256}, Case{KeyType::ec, Curve::p384, 384},
                   Case{KeyType::ec, Curve::p521, 521}, Case{KeyType::okp, Curve::ed25519, 255},
                   Case{KeyType::okp, Curve::ed448, 448}, Case{KeyType::rsa, Curve::none, 2048}}) {
        Key original = generated(c.type, c.curve, c.bits == 2048 ? 2048 : 0);
        for (bool with_private : {false, true}) {
            std::string jwk = jwk_of(original, with_private);
            auto key = Key::from_jwk(jwk);
            ASSERT_TRUE(key) << key.error().message << " in " << jwk;
            EXPECT_EQ(key->type(), c.type);
            EXPECT_EQ(key->curve(), c.curve);
            EXPECT_EQ(key->bits(), c.bits);
            EXPECT_EQ(key->has_private(), with_private);
            // Same key as OpenSSL sees it.
            EXPECT_EQ(EVP_PKEY_eq(key->pkey(), original.pkey()), 1) << jwk;
        }
    }
}

TEST(KeyFromJwk, Okp) {
    auto pub = Key::from_jwk(R"({"kty":"OKP","crv":"Ed25519","x":")" + std::string(ed_x) + "\"}");
    ASSERT_TRUE(pub) << pub.error().message;
    EXPECT_EQ(pub->curve(), Curve::ed25519);
    EXPECT_FALSE(pub->has_private());
    auto priv = Key::from_jwk(R"({"kty":"OKP","crv":"Ed25519","x":")" + std::string(ed_x) +
                              R"(","d":")" + std::string(ed_d) + "\"}");
    ASSERT_TRUE(priv) << priv.error().message;
    EXPECT_TRUE(priv->has_private());
}

TEST(KeyFromJwk, IdentifiersAndAlg) {
    auto key = Key::from_jwk(
        ec_jwk(R"(,"kid":"k","x5t":"t1","x5t#S256":"t256","alg":"ES256","use":"sig")"));
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->kid(), "k");
    EXPECT_EQ(key->x5t(), "t1");
    EXPECT_EQ(key->x5t_s256(), "t256");
    ASSERT_TRUE(key->alg());
    EXPECT_EQ(*key->alg(), Algorithm::ES256);
}

TEST(KeyFromJwk, RsaUnder2048BitsLoads) {
    // Loaded so that captures using it can be diagnosed; it never fits.
    Key small = generated(KeyType::rsa, Curve::none, 1024);
    auto key = Key::from_jwk(jwk_of(small, false));
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->bits(), 1024u);
    EXPECT_FALSE(key_fits(*key, Algorithm::RS256));
}

// Each rule, with the message it must give. Messages name the member and the problem.
struct BadJwk {
    const char* name;
    std::string jwk;
    const char* message;
};

std::vector<BadJwk> bad_jwks() {
    const std::string k = std::string(oct_k);
    const std::string d = std::string(p256_d);
    const std::string x = std::string(p256_x);
    const std::string y = std::string(p256_y);
    // y with its last byte changed: no longer a point on P-256.
    Bytes y_bytes = *base64url_decode(p256_y);
    y_bytes.back() ^= 1;
    const std::string off_curve_y = base64url_encode(y_bytes);
    Bytes d_bytes = *base64url_decode(p256_d);
    d_bytes.back() ^= 1;
    const std::string other_d = base64url_encode(d_bytes);
    Bytes short_x = *base64url_decode(p256_x);
    short_x.pop_back();
    Bytes ed_d_bytes = *base64url_decode(ed_d);
    ed_d_bytes[0] ^= 1;
    return {
        {"not json", "{\"kty\":", "not valid JSON"},
        {"not object", "[1,2]", "not a JSON object"},
        {"kty missing", R"({"k":")" + k + "\"}", "kty is missing"},
        {"kty not string", R"({"kty":1,"k":")" + k + "\"}", "kty is not a string"},
        {"kty unknown", R"({"kty":"DH","k":")" + k + "\"}", "kty \"DH\" is not supported"},
        {"k missing", R"({"kty":"oct"})", "k is missing"},
        {"k empty", R"({"kty":"oct","k":""})", "k is empty"},
        {"k not string", R"({"kty":"oct","k":5})", "k is not a string"},
        {"k bad base64url", R"({"kty":"oct","k":")" + k.substr(0, 20) + "+" + k.substr(21) + "\"}",
         "k is not valid base64url"},
        {"k padded", R"({"kty":"oct","k":")" + k + "=\"}", "k is not valid base64url"},
        {"crv missing", R"({"kty":"EC","x":")" + x + R"(","y":")" + y + "\"}", "crv is missing"},
        {"crv unknown", R"({"kty":"EC","crv":"P-999","x":")" + x + R"(","y":")" + y + "\"}",
         "crv \"P-999\" is not supported"},
        {"EC crv Ed25519", R"({"kty":"EC","crv":"Ed25519","x":")" + x + R"(","y":")" + y + "\"}",
         "crv \"Ed25519\" is not supported"},
        {"x missing", R"({"kty":"EC","crv":"P-256","y":")" + y + "\"}", "x is missing"},
        {"y missing", R"({"kty":"EC","crv":"P-256","x":")" + x + "\"}", "y is missing"},
        {"x bad base64url", R"({"kty":"EC","crv":"P-256","x":"a*b","y":")" + y + "\"}",
         "x is not valid base64url"},
        {"x short",
         R"({"kty":"EC","crv":"P-256","x":")" + base64url_encode(short_x) + R"(","y":")" + y +
             "\"}",
         "x is 31 bytes long, P-256 needs 32"},
        {"x for another curve", R"({"kty":"EC","crv":"P-384","x":")" + x + R"(","y":")" + y + "\"}",
         "x is 32 bytes long, P-384 needs 48"},
        {"d short", ec_jwk(R"(,"d":")" + d.substr(0, 40) + "\""),
         "d is 30 bytes long, P-256 needs 32"},
        {"not on curve",
         R"({"kty":"EC","crv":"P-256","x":")" + x + R"(","y":")" + off_curve_y + "\"}",
         "x, y is not a point on P-256"},
        {"d does not match", ec_jwk(R"(,"d":")" + other_d + "\""),
         "d is not the private key of the point x, y"},
        {"n missing", R"({"kty":"RSA","e":"AQAB"})", "n is missing"},
        {"e missing", R"({"kty":"RSA","n":"AQAB"})", "e is missing"},
        {"e even", R"({"kty":"RSA","n":"ofgWCuLjybRlzo0t","e":"AQAC"})",
         "e is not a valid RSA public exponent"},
        {"n even", R"({"kty":"RSA","n":"ofgWCuLjybRlzo0u","e":"AQAB"})", "n is not an RSA modulus"},
        {"crt without d", R"({"kty":"RSA","n":"ofgWCuLjybRlzo0t","e":"AQAB","p":"AQAB"})",
         "p, q, dp, dq, qi are given without d"},
        {"crt partial",
         R"({"kty":"RSA","n":"ofgWCuLjybRlzo0t","e":"AQAB","d":"AQAB","p":"AQAB","q":"AQAB"})",
         "dp is missing"},
        {"multi-prime", R"({"kty":"RSA","n":"ofgWCuLjybRlzo0t","e":"AQAB","oth":[]})",
         "oth (multi-prime RSA) is not supported"},
        {"OKP X25519", R"({"kty":"OKP","crv":"X25519","x":")" + std::string(ed_x) + "\"}",
         "crv \"X25519\" is not supported"},
        {"OKP x short", R"({"kty":"OKP","crv":"Ed448","x":")" + std::string(ed_x) + "\"}",
         "x is 32 bytes long, Ed448 needs 57"},
        {"OKP d does not match",
         R"({"kty":"OKP","crv":"Ed25519","x":")" + std::string(ed_x) + R"(","d":")" +
             base64url_encode(ed_d_bytes) + "\"}",
         "d is not the private key of x"},
        {"alg none", R"({"kty":"oct","alg":"none","k":")" + k + "\"}",
         "alg \"none\" is never accepted"},
        {"alg unknown", R"({"kty":"oct","alg":"HS1024","k":")" + k + "\"}",
         "alg \"HS1024\" is not a supported JWS algorithm"},
        {"alg encryption", R"({"kty":"oct","alg":"A128KW","k":")" + k + "\"}",
         "alg \"A128KW\" is not a supported JWS algorithm"},
        {"alg lower case", R"({"kty":"oct","alg":"hs256","k":")" + k + "\"}",
         "alg \"hs256\" is not a supported JWS algorithm"},
        {"alg not string", R"({"kty":"oct","alg":256,"k":")" + k + "\"}", "alg is not a string"},
        {"alg of other kty", R"({"kty":"oct","alg":"ES256","k":")" + k + "\"}",
         "alg \"ES256\" cannot be used with a oct key"},
        {"alg of other curve", ec_jwk(R"(,"alg":"ES384")"),
         "alg \"ES384\" cannot be used with a EC P-256 key"},
        {"kid not string", R"({"kty":"oct","kid":7,"k":")" + k + "\"}", "kid is not a string"},
        {"kid empty", R"({"kty":"oct","kid":"","k":")" + k + "\"}", "kid is empty"},
        {"x5t not string", R"({"kty":"oct","x5t":[],"k":")" + k + "\"}", "x5t is not a string"},
        {"duplicate d", ec_jwk(R"(,"d":")" + d + R"(","d":")" + d + "\""),
         "member \"d\" appears twice"},
        {"duplicate kid", R"({"kty":"oct","kid":"a","kid":"b","k":")" + k + "\"}",
         "member \"kid\" appears twice"},
    };
}

TEST(KeyFromJwk, EveryRuleHasItsMessage) {
    for (const auto& bad : bad_jwks()) {
        SCOPED_TRACE(bad.name);
        std::string message = error_of(bad.jwk);
        EXPECT_NE(message.find(bad.message), std::string::npos)
            << "got: " << message << "\nwant: " << bad.message;
    }
}

TEST(KeyFromJwk, ErrorsNeverContainSecrets) {
    for (const auto& bad : bad_jwks()) {
        SCOPED_TRACE(bad.name);
        std::string message = error_of(bad.jwk);
        expect_no_secret(message, oct_k);
        expect_no_secret(message, p256_d);
        expect_no_secret(message, ed_d);
    }
    // A bad character inside a secret is not quoted back (the public
    // members' messages do quote it, for diagnosis).
    std::string k_bad = std::string(oct_k);
    k_bad[10] = '#';
    std::string message = error_of(R"({"kty":"oct","k":")" + k_bad + "\"}");
    EXPECT_EQ(message, "k is not valid base64url");
    message = error_of(ec_jwk(R"(,"d":")" + std::string(p256_d).replace(5, 1, "!") + "\""));
    EXPECT_EQ(message, "d is not valid base64url");
    // A secret put where a public value belongs is not echoed whole either.
    message = error_of(R"({"kty":")" + std::string(oct_k) + R"(","k":"AAAA"})");
    EXPECT_EQ(message.find(oct_k), std::string::npos) << message;
}

// ---------------------------------------------------------------------------
// describe()

TEST(KeyDescribe, ShowsKindNeverMaterial) {
    auto ec = Key::from_jwk(ec_jwk(R"(,"kid":"client-1")"));
    ASSERT_TRUE(ec);
    EXPECT_EQ(ec->describe(), "kid=client-1 EC P-256 public");

    auto ec_private =
        Key::from_jwk(ec_jwk(R"(,"kid":"c","alg":"ES256","d":")" + std::string(p256_d) + "\""));
    ASSERT_TRUE(ec_private);
    EXPECT_EQ(ec_private->describe(), "kid=c EC P-256 private alg=ES256");
    expect_no_secret(ec_private->describe(), p256_d);

    auto oct = Key::from_jwk(R"({"kty":"oct","kid":"h","k":")" + std::string(oct_k) + "\"}");
    ASSERT_TRUE(oct);
    EXPECT_EQ(oct->describe(), "kid=h oct 256 bits secret");
    expect_no_secret(oct->describe(), oct_k);

    auto ed = Key::from_jwk(R"({"kty":"OKP","crv":"Ed25519","x5t#S256":"abc","x":")" +
                            std::string(ed_x) + R"(","d":")" + std::string(ed_d) + "\"}");
    ASSERT_TRUE(ed);
    EXPECT_EQ(ed->describe(), "x5t#S256=abc OKP Ed25519 private");
    expect_no_secret(ed->describe(), ed_d);

    Key rsa = generated(KeyType::rsa, Curve::none, 2048);
    EXPECT_EQ(rsa.describe(), "(no identifier) RSA 2048 bits private");
    rsa.set_kid("r").set_x5t("t");
    EXPECT_EQ(rsa.describe(), "kid=r x5t=t RSA 2048 bits private");
}

// ---------------------------------------------------------------------------
// from_secret

TEST(KeyFromSecret, MakesAnOctKey) {
    const Bytes secret(48, 0x5a);
    auto key = Key::from_secret(secret);
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->type(), KeyType::oct);
    EXPECT_EQ(key->bits(), 384u);
    EXPECT_TRUE(key->has_private());
    EXPECT_TRUE(
        std::equal(secret.begin(), secret.end(), key->secret().begin(), key->secret().end()));
    EXPECT_FALSE(Key::from_secret(Bytes{}));
}

// ---------------------------------------------------------------------------
// from_pem

// RFC 8410 §10.1 (public) and §10.3 (private): one Ed25519 key pair.
constexpr std::string_view rfc8410_public =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view rfc8410_private =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
    "-----END PRIVATE KEY-----\n";

TEST(KeyFromPem, Rfc8410Ed25519Pair) {
    auto pub = Key::from_pem(rfc8410_public);
    ASSERT_TRUE(pub) << pub.error().message;
    EXPECT_EQ(pub->type(), KeyType::okp);
    EXPECT_EQ(pub->curve(), Curve::ed25519);
    EXPECT_FALSE(pub->has_private());
    auto priv = Key::from_pem(rfc8410_private);
    ASSERT_TRUE(priv) << priv.error().message;
    EXPECT_TRUE(priv->has_private());

    unsigned char raw[32];
    std::size_t length = sizeof raw;
    ASSERT_EQ(EVP_PKEY_get_raw_public_key(pub->pkey(), raw, &length), 1);
    EXPECT_EQ(to_hex(ByteView(raw, length)),
              "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");
    length = sizeof raw;
    ASSERT_EQ(EVP_PKEY_get_raw_private_key(priv->pkey(), raw, &length), 1);
    EXPECT_EQ(to_hex(ByteView(raw, length)),
              "d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842");

    auto signature = sign_signature(Algorithm::EdDSA, *priv, as_bytes("message"));
    ASSERT_TRUE(signature) << signature.error().message;
    EXPECT_TRUE(verify_signature(Algorithm::EdDSA, *pub, as_bytes("message"), *signature));
}

TEST(KeyFromPem, EcKeyWrittenByOpenSslVerifiesTheRfc7515A3Vector) {
    auto jwk = Key::from_jwk(ec_jwk(R"(,"d":")" + std::string(p256_d) + "\""));
    ASSERT_TRUE(jwk);
    auto write = [&](bool priv) {
        BIO* bio = BIO_new(BIO_s_mem());
        if (priv) {
            PEM_write_bio_PrivateKey(bio, jwk->pkey(), nullptr, nullptr, 0, nullptr, nullptr);
        } else {
            PEM_write_bio_PUBKEY(bio, jwk->pkey());
        }
        char* data = nullptr;
        long length = BIO_get_mem_data(bio, &data);
        std::string pem(data, static_cast<std::size_t>(length));
        BIO_free(bio);
        return pem;
    };
    const std::string input =
        "eyJhbGciOiJFUzI1NiJ9."
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cn"
        "VlfQ";
    auto signature = base64url_decode(
        "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q");
    for (bool priv : {false, true}) {
        auto key = Key::from_pem(write(priv));
        ASSERT_TRUE(key) << key.error().message;
        EXPECT_EQ(key->curve(), Curve::p256);
        EXPECT_EQ(key->has_private(), priv);
        EXPECT_TRUE(verify_signature(Algorithm::ES256, *key, as_bytes(input), *signature));
    }
}

TEST(KeyFromPem, CertificateGivesItsThumbprints) {
    std::ifstream file(std::string(COAPJWS_TEST_DATA_DIR) + "/keys/test-cert-p256.pem");
    std::stringstream text;
    text << file.rdbuf();
    auto key = Key::from_pem(text.str());
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->type(), KeyType::ec);
    EXPECT_EQ(key->curve(), Curve::p256);
    EXPECT_FALSE(key->has_private());
    // Computed with `openssl x509 -outform DER | openssl dgst -sha256 -binary | base64`
    // (and -sha1), converted to base64url.
    EXPECT_EQ(key->x5t_s256(), "wMw6j57cXGFPWaYrE75xXMc5CsZ7PKXTbqb3u3HqxHA");
    EXPECT_EQ(key->x5t(), "e9okhaK8NTbv3UpVip-ulbS47JM");
}

TEST(KeyFromPem, Refusals) {
    auto garbage = Key::from_pem("hello");
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().message, "no PEM key or certificate found");
    auto broken = Key::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("cannot read the PEM public key"), std::string::npos);
    // Never prompts for a pass phrase.
    auto encrypted = Key::from_pem(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
    ASSERT_FALSE(encrypted);
    EXPECT_EQ(encrypted.error().message, "encrypted PEM keys are not supported");
    auto pkcs1 =
        Key::from_pem("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n");
    ASSERT_FALSE(pkcs1);
    EXPECT_NE(pkcs1.error().message.find("PKCS#1"), std::string::npos);
}

TEST(KeyFromPem, UnsupportedCurve) {
    EVP_PKEY* k256 = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1");
    ASSERT_NE(k256, nullptr);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, k256);
    char* data = nullptr;
    long length = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(length));
    BIO_free(bio);
    EVP_PKEY_free(k256);
    auto key = Key::from_pem(pem);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().message, "EC curve secp256k1 is not supported");
}

// ---------------------------------------------------------------------------
// generate

TEST(KeyGenerate, EveryKind) {
    Key oct = generated(KeyType::oct, Curve::none);
    EXPECT_EQ(oct.bits(), 256u);
    EXPECT_TRUE(oct.has_private());
    EXPECT_EQ(generated(KeyType::oct, Curve::none, 512).bits(), 512u);
    EXPECT_EQ(generated(KeyType::ec, Curve::p384).curve(), Curve::p384);
    EXPECT_EQ(generated(KeyType::ec, Curve::p521).bits(), 521u);
    EXPECT_EQ(generated(KeyType::okp, Curve::ed448).bits(), 448u);
    Key rsa = generated(KeyType::rsa, Curve::none);
    EXPECT_EQ(rsa.bits(), 2048u);
    EXPECT_TRUE(rsa.has_private());
    // Two generated secrets differ.
    EXPECT_NE(to_hex(oct.secret()), to_hex(generated(KeyType::oct, Curve::none).secret()));
}

TEST(KeyGenerate, RefusesMismatchedRequests) {
    EXPECT_FALSE(Key::generate(KeyType::ec, Curve::ed25519));
    EXPECT_FALSE(Key::generate(KeyType::ec, Curve::none));
    EXPECT_FALSE(Key::generate(KeyType::okp, Curve::p256));
    EXPECT_FALSE(Key::generate(KeyType::oct, Curve::p256));
    EXPECT_FALSE(Key::generate(KeyType::oct, Curve::none, 12));
    EXPECT_FALSE(Key::generate(KeyType::rsa, Curve::none, 256));
}

TEST(KeyDefault, HasNothingAndFitsNothing) {
    Key key;
    EXPECT_FALSE(key.has_private());
    for (Algorithm alg : all_algorithms)
        EXPECT_FALSE(key_fits(key, alg));
}

}  // namespace
}  // namespace coapjws
