// Keys validated as hostile input (docs/SECURITY.md): Ed25519/Ed448 public
// keys decoded as RFC 8032 says, small-order points refused; RSA private
// members held to n and e.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <string>
#include <vector>

#include "coapjws/base64url.hpp"
#include "coapjws/key_loader.hpp"
#include "coapjws/session.hpp"
#include "key_test_support.hpp"
#include "session_fixture.hpp"

namespace coapjws {
namespace {

using Encoding = std::vector<std::uint8_t>;

Encoding bytes(std::initializer_list<int> values, std::size_t size) {
    Encoding out;
    for (int v : values)
        out.push_back(static_cast<std::uint8_t>(v));
    out.resize(size, 0);
    return out;
}
Encoding with_sign(Encoding e) {
    e.back() |= 0x80;
    return e;
}

// The y coordinates of Ed25519's points of small order, as libsodium's
// `ge25519_has_small_order` blocklist lists them (crypto_core/ed25519/ref10/
// ed25519_ref10.c), little-endian: 0 (order 4), 1 (the identity), two of
// order 8, and p - 1 (order 2).
const Encoding ed25519_y0 = bytes({}, 32);
const Encoding ed25519_y1 = bytes({0x01}, 32);
const Encoding ed25519_order8_a = {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
                                   0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
                                   0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05};
const Encoding ed25519_order8_b = {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
                                   0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
                                   0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a};
Encoding ed25519_p_minus(int k) {  // p - k, for p = 2^255 - 19
    Encoding e(32, 0xff);
    e[0] = static_cast<std::uint8_t>(0xed - k);
    e[31] = 0x7f;
    return e;
}

// The 8 torsion points of Ed25519 as encodings: x = 0 for y = ±1 (only the
// sign bit 0 is valid), both signs of x for the others.
std::vector<Encoding> ed25519_small_order() {
    return {ed25519_y1,       ed25519_p_minus(1),
            ed25519_y0,       with_sign(ed25519_y0),
            ed25519_order8_a, with_sign(ed25519_order8_a),
            ed25519_order8_b, with_sign(ed25519_order8_b)};
}

// Ed448 (x² + y² = 1 + d x²y², cofactor 4): x = 0 gives y = ±1 (the identity
// and the point of order 2), y = 0 gives x = ±1 (order 4) — read off the
// curve equation. p - 1 = 2^448 - 2^224 - 2, little-endian, 57 bytes.
Encoding ed448_p_minus_1() {
    Encoding e(57, 0xff);
    e[0] = 0xfe;
    e[28] = 0xfe;
    e[56] = 0x00;
    return e;
}
std::vector<Encoding> ed448_small_order() {
    return {bytes({0x01}, 57), ed448_p_minus_1(), bytes({}, 57), with_sign(bytes({}, 57))};
}

std::string okp_jwk(std::string_view crv, const Encoding& x) {
    return R"({"kty":"OKP","kid":"weak","crv":")" + std::string(crv) + R"(","x":")" +
           base64url_encode(ByteView(x.data(), x.size())) + R"("})";
}

// OpenSSL alone: does a signature verify under this raw public key?
bool openssl_verifies(const char* type, const Encoding& public_key, ByteView message,
                      const Bytes& signature) {
    EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key_ex(nullptr, type, nullptr, public_key.data(),
                                                    public_key.size());
    if (pkey == nullptr)
        return false;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok =
        ctx != nullptr &&
        EVP_DigestVerifyInit_ex(ctx, nullptr, nullptr, nullptr, nullptr, pkey, nullptr) == 1 &&
        EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(), message.size()) ==
            1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return ok;
}

// R = the identity's encoding, S = 0: [S]B - [k]A = identity when A has
// small order and k is a multiple of its order.
Bytes forged_signature(std::size_t size) {
    Bytes sig(2 * size, 0);
    sig[0] = 0x01;
    return sig;
}

// ---------------------------------------------------------------------------
// The danger, shown with OpenSSL itself

TEST(EdDsaKeys, OpenSslAcceptsTheForgedSignatureUnderSmallOrderKeys) {
    // Ed25519: under the identity, R = identity and S = 0 verify for every
    // message; under the point of order 2 (y = p - 1), for every message
    // whose hash k is even.
    const Bytes sig25519 = forged_signature(32);
    // Ed448: OpenSSL multiplies both points by 4 while decoding, so under a
    // point of order 4 (y = 0), R = that same point and S = 0 verify for
    // every message.
    const Encoding order4 = bytes({}, 57);
    Bytes sig448(114, 0);
    for (const std::string message : {"unlock", "open the door", "seq 42"}) {
        EXPECT_TRUE(openssl_verifies("ED25519", ed25519_y1, as_bytes(message), sig25519))
            << message;
        EXPECT_TRUE(openssl_verifies("ED448", order4, as_bytes(message), sig448)) << message;
    }
    int order2_accepted = 0;
    for (int i = 0; i < 32; ++i) {
        const std::string message = "message " + std::to_string(i);
        order2_accepted +=
            openssl_verifies("ED25519", ed25519_p_minus(1), as_bytes(message), sig25519) ? 1 : 0;
    }
    EXPECT_GT(order2_accepted, 0);
}

// ---------------------------------------------------------------------------
// Our loader refuses them

TEST(EdDsaKeys, EverySmallOrderEd25519KeyIsRefused) {
    const std::vector<Encoding> points = ed25519_small_order();
    ASSERT_EQ(points.size(), 8u);
    for (const Encoding& point : points) {
        SCOPED_TRACE(to_hex(ByteView(point.data(), point.size())));
        auto key = Key::from_jwk(okp_jwk("Ed25519", point));
        ASSERT_FALSE(key);
        EXPECT_EQ(key.error().message,
                  "x is a point of small order on Ed25519 (with it a fixed forged signature would "
                  "verify for any message)");
    }
}

TEST(EdDsaKeys, EverySmallOrderEd448KeyIsRefused) {
    for (const Encoding& point : ed448_small_order()) {
        SCOPED_TRACE(to_hex(ByteView(point.data(), point.size())));
        auto key = Key::from_jwk(okp_jwk("Ed448", point));
        ASSERT_FALSE(key);
        EXPECT_NE(key.error().message.find("small order on Ed448"), std::string::npos)
            << key.error().message;
    }
}

TEST(EdDsaKeys, NonCanonicalEncodingsAreRefused) {
    // y >= p: p itself (0 again), p + 1 (the identity again), 2^255 - 1.
    for (int k : {0, -1, -18}) {
        auto key = Key::from_jwk(okp_jwk("Ed25519", ed25519_p_minus(k)));
        ASSERT_FALSE(key) << k;
        EXPECT_EQ(key.error().message,
                  "x is not a canonical Ed25519 encoding (its y is not below p)");
    }
    // Ed448: p, and a set bit among the seven above the 448 of y.
    Encoding p448 = ed448_p_minus_1();
    p448[0] = 0xff;
    Encoding high = bytes({0x05}, 57);
    high[56] = 0x01;
    for (const Encoding& e : {p448, high}) {
        auto key = Key::from_jwk(okp_jwk("Ed448", e));
        ASSERT_FALSE(key);
        EXPECT_EQ(key.error().message,
                  "x is not a canonical Ed448 encoding (its y is not below p)");
    }
}

TEST(EdDsaKeys, PointsOffTheCurveAreRefused) {
    // y = 2: x² = (1 - 4) / (a - 4d) is not a square modulo p on either
    // curve (Euler's criterion), so no x exists.
    auto ed25519 = Key::from_jwk(okp_jwk("Ed25519", bytes({0x02}, 32)));
    ASSERT_FALSE(ed25519);
    EXPECT_EQ(ed25519.error().message, "x is not a point on Ed25519");
    auto ed448 = Key::from_jwk(okp_jwk("Ed448", bytes({0x02}, 57)));
    ASSERT_FALSE(ed448);
    EXPECT_EQ(ed448.error().message, "x is not a point on Ed448");
    // x = 0 with the sign bit set (y = 1): no such encoding exists.
    auto signed_zero = Key::from_jwk(okp_jwk("Ed25519", with_sign(ed25519_y1)));
    ASSERT_FALSE(signed_zero);
    EXPECT_EQ(signed_zero.error().message,
              "x is not a valid Ed25519 encoding (x = 0 with the sign bit set)");
}

TEST(EdDsaKeys, OrdinaryKeysStillLoad) {
    // RFC 8037 A.2, and freshly generated keys of both curves.
    EXPECT_TRUE(Key::from_jwk(
        R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})"));
    for (int i = 0; i < 16; ++i) {
        for (Curve curve : {Curve::ed25519, Curve::ed448}) {
            Key generated = test::generated(KeyType::okp, curve);
            auto key = Key::from_jwk(test::jwk_of(generated, false));
            EXPECT_TRUE(key) << (key ? "" : key.error().message);
            auto with_private = Key::from_jwk(test::jwk_of(generated, true));
            EXPECT_TRUE(with_private) << (with_private ? "" : with_private.error().message);
        }
    }
}

TEST(EdDsaKeys, PemPublicKeyOfSmallOrderIsRefused) {
    EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, ed25519_y1.data(),
                                                    ed25519_y1.size());
    ASSERT_NE(pkey, nullptr);
    BIO* bio = BIO_new(BIO_s_mem());
    ASSERT_EQ(PEM_write_bio_PUBKEY(bio, pkey), 1);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    const std::string pem(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    auto key = Key::from_pem(pem);
    ASSERT_FALSE(key);
    EXPECT_NE(key.error().message.find("small order on Ed25519"), std::string::npos)
        << key.error().message;
}

// The whole path: a JWK Set naming the identity as "client-ed", a request
// signed with the fixed forgery. OpenSSL would call it valid; the loader
// leaves the key out, so the message is never valid.
TEST(EdDsaKeys, ForgedRequestUnderAnIdentityKeyIsNeverValid) {
    KeyStore store;
    const KeyFileLoad load = add_jwks(
        store,
        R"({"keys":[{"kty":"OKP","kid":"client-ed","crv":"Ed25519","x":")" +
            base64url_encode(ByteView(ed25519_y1.data(), ed25519_y1.size())) +
            R"("},{"kty":"oct","kid":"other","alg":"HS256","k":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"}]})",
        "keys.jwks");
    ASSERT_FALSE(load.refused());
    ASSERT_EQ(load.issues.size(), 1u);
    EXPECT_EQ(load.issues[0].code, KeyIssueCode::key_refused);
    EXPECT_EQ(load.issues[0].key_index, 0u);
    EXPECT_TRUE(store.find(KeyIdSource::kid, "client-ed").empty());

    const std::string header = R"({"alg":"EdDSA","kid":"client-ed","seq":1})";
    const std::string value =
        base64url_encode(as_bytes(header)) + ".." + base64url_encode(forged_signature(32));
    const Bytes coap = test::with_option_text(test::get(1, {0x01}), value);
    auto session = Session::create(SessionConfig{}, std::make_shared<KeyStore>(std::move(store)));
    ASSERT_TRUE(session);
    MessageReport r = session->analyze(
        Packet{1, 0, test::ep("192.0.2.1:40000"), test::ep("192.0.2.2:5683"), coap});
    EXPECT_NE(r.signature, SignatureStatus::valid);
    EXPECT_TRUE(r.has(FindingId::unknown_key)) << test::names(r);
}

// ---------------------------------------------------------------------------
// RSA private members belong to n and e

std::string rsa_private_jwk(const Key& key) {
    return test::jwk_of(key, true);
}

// Replaces one member's value in JWK text.
std::string with_member(std::string jwk, const std::string& name, const std::string& value) {
    const std::string marker = "\"" + name + "\":\"";
    const std::size_t at = jwk.find(marker);
    EXPECT_NE(at, std::string::npos) << name;
    const std::size_t start = at + marker.size();
    const std::size_t end = jwk.find('"', start);
    return jwk.replace(start, end - start, value);
}
std::string member(const std::string& jwk, const std::string& name) {
    const std::string marker = "\"" + name + "\":\"";
    const std::size_t start = jwk.find(marker) + marker.size();
    return jwk.substr(start, jwk.find('"', start) - start);
}
// The JWK without the CRT members: n, e and d only (RFC 7518 §6.3.2 allows it).
std::string without_crt(const Key& key) {
    const std::string full = rsa_private_jwk(key);
    return R"({"kty":"RSA","n":")" + member(full, "n") + R"(","e":")" + member(full, "e") +
           R"(","d":")" + member(full, "d") + R"("})";
}

class RsaPrivateKeys : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        a_ = new Key(test::generated(KeyType::rsa, Curve::none, 2048));
        b_ = new Key(test::generated(KeyType::rsa, Curve::none, 2048));
    }
    static void TearDownTestSuite() {
        delete a_;
        delete b_;
    }
    static const Key& a() { return *a_; }
    static const Key& b() { return *b_; }

  private:
    static inline Key* a_ = nullptr;
    static inline Key* b_ = nullptr;
};

TEST_F(RsaPrivateKeys, MatchingKeysLoad) {
    auto full = Key::from_jwk(rsa_private_jwk(a()));
    ASSERT_TRUE(full) << full.error().message;
    EXPECT_TRUE(full->has_private());
    auto d_only = Key::from_jwk(without_crt(a()));
    ASSERT_TRUE(d_only) << d_only.error().message;
    EXPECT_TRUE(d_only->has_private());
}

TEST_F(RsaPrivateKeys, AnotherKeysDIsRefused) {
    const std::string other_d = member(rsa_private_jwk(b()), "d");
    auto d_only = Key::from_jwk(with_member(without_crt(a()), "d", other_d));
    ASSERT_FALSE(d_only);
    EXPECT_EQ(d_only.error().message, "d is not the private exponent of n and e");
    auto full = Key::from_jwk(with_member(rsa_private_jwk(a()), "d", other_d));
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().message, "d is not the private exponent of n and e");
}

TEST_F(RsaPrivateKeys, CrtMembersOfAnotherKeyAreRefused) {
    const std::string ours = rsa_private_jwk(a());
    const std::string theirs = rsa_private_jwk(b());
    struct Case {
        std::vector<std::string> members;
        std::string message;
    };
    const Case cases[] = {
        {{"p", "q"}, "p and q are not the factors of n"},
        {{"dp"}, "dp is not d mod (p - 1)"},
        {{"dq"}, "dq is not d mod (q - 1)"},
        {{"qi"}, "qi is not the inverse of q mod p"},
    };
    for (const Case& c : cases) {
        std::string jwk = ours;
        for (const std::string& name : c.members)
            jwk = with_member(jwk, name, member(theirs, name));
        auto key = Key::from_jwk(jwk);
        ASSERT_FALSE(key) << c.message;
        EXPECT_EQ(key.error().message, c.message);
    }
}

}  // namespace
}  // namespace coapjws
