// key_fits, verify_signature, sign_signature, sign_jws_option: the rules of
// spec §4 (which key verifies which algorithm), the encodings (R||S, exact
// RSA length), and round trips for all thirteen algorithms.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "coapjws/base64url.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/key.hpp"
#include "key_test_support.hpp"

namespace coapjws {
namespace {

using test::generated;
using test::jwk_of;

constexpr std::string_view input = "eyJhbGciOiJFUzI1NiJ9.AQAAAAE";

Key public_half(const Key& key) {
    auto pub = Key::from_jwk(jwk_of(key, false));
    EXPECT_TRUE(pub) << pub.error().message;
    return pub ? std::move(*pub) : Key{};
}

// One key of every kind the profile knows, plus an RSA key that is too small.
struct KeyKind {
    const char* name;
    KeyType type;
    Curve curve;
    unsigned bits;
    std::set<Algorithm> fits;  // from the table in spec §4
};

const std::vector<KeyKind>& key_kinds() {
    using A = Algorithm;
    static const std::vector<KeyKind> kinds = {
        {"oct", KeyType::oct, Curve::none, 256, {A::HS256, A::HS384, A::HS512}},
        {"EC P-256", KeyType::ec, Curve::p256, 0, {A::ES256}},
        {"EC P-384", KeyType::ec, Curve::p384, 0, {A::ES384}},
        {"EC P-521", KeyType::ec, Curve::p521, 0, {A::ES512}},
        {"RSA 2048",
         KeyType::rsa,
         Curve::none,
         2048,
         {A::RS256, A::RS384, A::RS512, A::PS256, A::PS384, A::PS512}},
        {"RSA 1024", KeyType::rsa, Curve::none, 1024, {}},
        {"OKP Ed25519", KeyType::okp, Curve::ed25519, 0, {A::EdDSA}},
        {"OKP Ed448", KeyType::okp, Curve::ed448, 0, {A::EdDSA}},
    };
    return kinds;
}

// Keys are made once: RSA generation is slow.
const Key& key_of(std::size_t index) {
    static std::vector<Key> keys = [] {
        std::vector<Key> made;
        for (const auto& kind : key_kinds())
            made.push_back(generated(kind.type, kind.curve, kind.bits));
        return made;
    }();
    return keys[index];
}

const Key& key_named(std::string_view name) {
    for (std::size_t i = 0; i < key_kinds().size(); ++i) {
        if (key_kinds()[i].name == name)
            return key_of(i);
    }
    ADD_FAILURE() << name;
    return key_of(0);
}

// A signature OpenSSL itself makes with the key, whatever key_fits thinks:
// proof that a refusal is a refusal to try, not a failed verification.
const EVP_MD* md_for(Algorithm alg) {
    switch (algorithm_hash_bits(alg)) {
        case 256:
            return EVP_sha256();
        case 384:
            return EVP_sha384();
        case 512:
            return EVP_sha512();
        default:
            return nullptr;
    }
}

Bytes raw_openssl_signature(Algorithm alg, const Key& key, std::string_view message) {
    const EVP_MD* md = md_for(alg);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    EXPECT_EQ(EVP_DigestSignInit(ctx, &pctx, md, nullptr, key.pkey()), 1);
    if (algorithm_family(alg) == AlgorithmFamily::rsa_pss) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    std::size_t length = 0;
    EVP_DigestSign(ctx, nullptr, &length, as_bytes(message).data(), message.size());
    Bytes out(length);
    // May fail where the key is too small for the padding (PS512 with RSA 1024).
    bool ok =
        EVP_DigestSign(ctx, out.data(), &length, as_bytes(message).data(), message.size()) == 1;
    out.resize(ok ? length : 0);
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return out;
}

bool raw_openssl_verify(Algorithm alg, const Key& key, std::string_view message, const Bytes& sig) {
    const EVP_MD* md = md_for(alg);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    bool ok = EVP_DigestVerifyInit(ctx, &pctx, md, nullptr, key.pkey()) == 1;
    if (ok && algorithm_family(alg) == AlgorithmFamily::rsa_pss) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    ok = ok && EVP_DigestVerify(ctx, sig.data(), sig.size(), as_bytes(message).data(),
                                message.size()) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

Bytes hmac_sha256(ByteView secret, std::string_view message) {
    unsigned char out[32];
    std::size_t length = 0;
    EXPECT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                        as_bytes(message).data(), message.size(), out, sizeof out, &length),
              nullptr);
    return Bytes(out, out + length);
}

// ---------------------------------------------------------------------------
// key_fits

TEST(KeyFits, EveryKeyKindAgainstEveryAlgorithm) {
    for (std::size_t i = 0; i < key_kinds().size(); ++i) {
        const KeyKind& kind = key_kinds()[i];
        for (Algorithm alg : all_algorithms) {
            SCOPED_TRACE(std::string(kind.name) + " / " + std::string(algorithm_name(alg)));
            const bool expected = kind.fits.count(alg) != 0;
            EXPECT_EQ(static_cast<bool>(key_fits(key_of(i), alg)), expected);
            EXPECT_EQ(static_cast<bool>(key_fits(public_half(key_of(i)), alg)), expected);
        }
    }
}

TEST(KeyFits, MismatchesNeverReachVerification) {
    // For every pair that does not fit, a signature that OpenSSL would accept
    // with that key under that algorithm's primitive is still refused.
    for (std::size_t i = 0; i < key_kinds().size(); ++i) {
        const KeyKind& kind = key_kinds()[i];
        const Key& key = key_of(i);
        for (Algorithm alg : all_algorithms) {
            if (kind.fits.count(alg))
                continue;
            SCOPED_TRACE(std::string(kind.name) + " / " + std::string(algorithm_name(alg)));
            Bytes signature;
            if (kind.type == KeyType::oct) {
                signature = hmac_sha256(key.secret(), input);  // wrong primitive anyway
            } else if (kind.type == KeyType::rsa &&
                       algorithm_family(alg) != AlgorithmFamily::hmac &&
                       algorithm_family(alg) != AlgorithmFamily::ecdsa &&
                       algorithm_family(alg) != AlgorithmFamily::eddsa) {
                // RSA 1024: a genuinely valid signature (PS512 does not fit in 1024 bits).
                signature = raw_openssl_signature(alg, key, input);
                if (alg != Algorithm::PS512) {
                    EXPECT_TRUE(raw_openssl_verify(alg, key, input, signature));
                }
                if (signature.empty())
                    signature = Bytes(128, 0x11);
            } else {
                signature = Bytes(64, 0x11);
            }
            EXPECT_FALSE(verify_signature(alg, key, as_bytes(input), signature));
            EXPECT_FALSE(sign_signature(alg, key, as_bytes(input)));
        }
    }
}

TEST(KeyFits, MessagesSayWhatDoesNotFit) {
    EXPECT_EQ(key_fits(key_named("oct"), Algorithm::ES256).error().message,
              "key is oct, header alg is ES256");
    EXPECT_EQ(key_fits(key_named("EC P-256"), Algorithm::ES384).error().message,
              "key is EC P-256, header alg is ES384");
    EXPECT_EQ(key_fits(key_named("EC P-521"), Algorithm::HS256).error().message,
              "key is EC P-521, header alg is HS256");
    EXPECT_EQ(key_fits(key_named("OKP Ed25519"), Algorithm::ES256).error().message,
              "key is OKP Ed25519, header alg is ES256");
    EXPECT_EQ(key_fits(key_named("RSA 2048"), Algorithm::EdDSA).error().message,
              "key is RSA 2048 bits, header alg is EdDSA");
    EXPECT_EQ(key_fits(key_named("RSA 1024"), Algorithm::RS256).error().message,
              "RSA modulus has 1024 bits, at least 2048 needed");
}

TEST(KeyFits, JwkAlgMustEqualHeaderAlg) {
    const Key& rsa = key_named("RSA 2048");
    auto restricted = Key::from_jwk(jwk_of(rsa, false, R"("alg":"RS256",)"));
    ASSERT_TRUE(restricted) << restricted.error().message;
    EXPECT_TRUE(key_fits(*restricted, Algorithm::RS256));
    auto fits = key_fits(*restricted, Algorithm::PS256);
    ASSERT_FALSE(fits);
    EXPECT_EQ(fits.error().message, "key alg is RS256, header alg is PS256");
    // A real PS256 signature by that very key is refused under the RS256-only JWK.
    auto ps256 = sign_signature(Algorithm::PS256, rsa, as_bytes(input));
    ASSERT_TRUE(ps256) << ps256.error().message;
    EXPECT_TRUE(verify_signature(Algorithm::PS256, public_half(rsa), as_bytes(input), *ps256));
    EXPECT_FALSE(verify_signature(Algorithm::PS256, *restricted, as_bytes(input), *ps256));

    auto hs = Key::from_jwk(jwk_of(key_named("oct"), true, R"("alg":"HS512",)"));
    ASSERT_TRUE(hs);
    EXPECT_FALSE(key_fits(*hs, Algorithm::HS256));
    EXPECT_TRUE(key_fits(*hs, Algorithm::HS512));
    EXPECT_EQ(key_fits(*hs, Algorithm::HS384).error().message,
              "key alg is HS512, header alg is HS384");
}

// The classic confusion: an HS256 header and a public EC or RSA key, hoping
// the verifier uses the public key's bytes as the HMAC secret. Each byte form
// an attacker could guess is tried.
TEST(KeyFits, Hs256WithAPublicKeyIsNeverAnHmac) {
    for (const char* name : {"EC P-256", "RSA 2048", "OKP Ed25519"}) {
        SCOPED_TRACE(name);
        Key pub = public_half(key_named(name));
        std::vector<Bytes> guesses;
        // PEM text and DER of the SubjectPublicKeyInfo.
        BIO* bio = BIO_new(BIO_s_mem());
        PEM_write_bio_PUBKEY(bio, pub.pkey());
        char* data = nullptr;
        long length = BIO_get_mem_data(bio, &data);
        guesses.emplace_back(data, data + length);
        BIO_free(bio);
        unsigned char* der = nullptr;
        int der_length = i2d_PUBKEY(pub.pkey(), &der);
        guesses.emplace_back(der, der + der_length);
        OPENSSL_free(der);
        // The JWK text itself.
        std::string jwk = jwk_of(pub, false);
        guesses.emplace_back(jwk.begin(), jwk.end());
        for (const Bytes& secret : guesses) {
            Bytes forged = hmac_sha256(secret, input);
            EXPECT_FALSE(verify_signature(Algorithm::HS256, pub, as_bytes(input), forged));
        }
        EXPECT_FALSE(key_fits(pub, Algorithm::HS256));
    }
}

// ---------------------------------------------------------------------------
// Round trips

TEST(SignVerify, AllThirteenAlgorithmsRoundTrip) {
    struct Case {
        Algorithm alg;
        const char* key;
        std::size_t signature_size;
    };
    const Case cases[] = {
        {Algorithm::HS256, "oct", 32},         {Algorithm::HS384, "oct", 48},
        {Algorithm::HS512, "oct", 64},         {Algorithm::ES256, "EC P-256", 64},
        {Algorithm::ES384, "EC P-384", 96},    {Algorithm::ES512, "EC P-521", 132},
        {Algorithm::EdDSA, "OKP Ed25519", 64}, {Algorithm::RS256, "RSA 2048", 256},
        {Algorithm::RS384, "RSA 2048", 256},   {Algorithm::RS512, "RSA 2048", 256},
        {Algorithm::PS256, "RSA 2048", 256},   {Algorithm::PS384, "RSA 2048", 256},
        {Algorithm::PS512, "RSA 2048", 256},
    };
    std::set<Algorithm> covered;
    for (const Case& c : cases) {
        SCOPED_TRACE(algorithm_name(c.alg));
        covered.insert(c.alg);
        const Key& key = key_named(c.key);
        auto signature = sign_signature(c.alg, key, as_bytes(input));
        ASSERT_TRUE(signature) << signature.error().message;
        EXPECT_EQ(signature->size(), c.signature_size);
        EXPECT_TRUE(verify_signature(c.alg, key, as_bytes(input), *signature));
        if (key.type() != KeyType::oct) {
            Key pub = public_half(key);
            EXPECT_TRUE(verify_signature(c.alg, pub, as_bytes(input), *signature));
            auto refused = sign_signature(c.alg, pub, as_bytes(input));
            ASSERT_FALSE(refused);
            EXPECT_NE(refused.error().message.find("cannot sign with a public key"),
                      std::string::npos);
        }
        // Another key of the same kind does not verify it.
        Key other = generated(key.type(), key.curve(), key.type() == KeyType::rsa ? 2048 : 0);
        EXPECT_FALSE(verify_signature(c.alg, other, as_bytes(input), *signature));
        // Nor does the same key over other content.
        EXPECT_FALSE(
            verify_signature(c.alg, key, as_bytes("eyJhbGciOiJFUzI1NiJ9.AQAAAAI"), *signature));
    }
    EXPECT_EQ(covered.size(), std::size(all_algorithms));
}

TEST(SignVerify, Ed448) {
    const Key& key = key_named("OKP Ed448");
    auto signature = sign_signature(Algorithm::EdDSA, key, as_bytes(input));
    ASSERT_TRUE(signature) << signature.error().message;
    EXPECT_EQ(signature->size(), 114u);  // RFC 8032 §5.2
    EXPECT_TRUE(verify_signature(Algorithm::EdDSA, public_half(key), as_bytes(input), *signature));
    // An Ed25519 key does not verify an Ed448 signature (both are EdDSA).
    EXPECT_FALSE(
        verify_signature(Algorithm::EdDSA, key_named("OKP Ed25519"), as_bytes(input), *signature));
}

TEST(SignVerify, EcdsaIsFixedLengthRAndS) {
    // P-521 values are below 2^521, so the first of their 66 bytes is 0 or 1:
    // every ES512 signature exercises the zero padding.
    const Key& key = key_named("EC P-521");
    for (int i = 0; i < 8; ++i) {
        auto signature = sign_signature(Algorithm::ES512, key, as_bytes(input));
        ASSERT_TRUE(signature);
        ASSERT_EQ(signature->size(), 132u);
        EXPECT_LE((*signature)[0], 1);
        EXPECT_LE((*signature)[66], 1);
        EXPECT_TRUE(verify_signature(Algorithm::ES512, key, as_bytes(input), *signature));
    }
    // P-256: sign until r or s is short (first byte 0); it must still be 32 bytes.
    const Key& p256 = key_named("EC P-256");
    bool saw_short_value = false;
    for (int i = 0; i < 2000 && !saw_short_value; ++i) {
        auto signature = sign_signature(Algorithm::ES256, p256, as_bytes(input));
        ASSERT_TRUE(signature);
        ASSERT_EQ(signature->size(), 64u);
        if ((*signature)[0] == 0 || (*signature)[32] == 0) {
            saw_short_value = true;
            EXPECT_TRUE(verify_signature(Algorithm::ES256, p256, as_bytes(input), *signature));
        }
    }
    EXPECT_TRUE(saw_short_value);
}

TEST(SignVerify, EcdsaOutOfRangeValuesAreInvalid) {
    const Key& key = key_named("EC P-256");
    EXPECT_FALSE(verify_signature(Algorithm::ES256, key, as_bytes(input), Bytes(64, 0)));
    EXPECT_FALSE(verify_signature(Algorithm::ES256, key, as_bytes(input), Bytes(64, 0xff)));
    auto good = sign_signature(Algorithm::ES256, key, as_bytes(input));
    ASSERT_TRUE(good);
    Bytes zero_s = *good;
    std::fill(zero_s.begin() + 32, zero_s.end(), 0);
    EXPECT_FALSE(verify_signature(Algorithm::ES256, key, as_bytes(input), zero_s));
    // An ES512-sized signature for ES256 (or the reverse) is the wrong length.
    EXPECT_FALSE(verify_signature(Algorithm::ES256, key, as_bytes(input), Bytes(132, 1)));
}

TEST(SignVerify, RsaSignatureMustHaveTheModulusLength) {
    // RFC 8017 §8.2.2: a signature one byte short is invalid even when, read as
    // a number, it is the right one. Find a PS256 signature starting with 0.
    const Key& key = key_named("RSA 2048");
    for (int i = 0; i < 4000; ++i) {
        auto signature = sign_signature(Algorithm::PS256, key, as_bytes(input));
        ASSERT_TRUE(signature);
        if ((*signature)[0] != 0)
            continue;
        Bytes stripped(signature->begin() + 1, signature->end());
        ASSERT_TRUE(raw_openssl_verify(Algorithm::PS256, key, input, stripped))
            << "test setup: OpenSSL alone takes the short form";
        EXPECT_FALSE(verify_signature(Algorithm::PS256, key, as_bytes(input), stripped));
        EXPECT_TRUE(verify_signature(Algorithm::PS256, key, as_bytes(input), *signature));
        return;
    }
    FAIL() << "no signature with a leading zero byte in 4000 tries";
}

TEST(SignVerify, PssSaltIsTheHashLength) {
    // A PS256 signature with a 20-byte salt (valid PSS, wrong profile) is refused.
    const Key& key = key_named("RSA 2048");
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    ASSERT_EQ(EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, key.pkey()), 1);
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 20);
    Bytes signature(256);
    std::size_t length = signature.size();
    ASSERT_EQ(EVP_DigestSign(ctx, signature.data(), &length, as_bytes(input).data(), input.size()),
              1);
    EVP_MD_CTX_free(ctx);
    EXPECT_FALSE(verify_signature(Algorithm::PS256, key, as_bytes(input), signature));
}

TEST(SignVerify, FailuresLeaveNoOpenSslErrors) {
    ERR_clear_error();
    EXPECT_FALSE(
        verify_signature(Algorithm::ES256, key_named("EC P-256"), as_bytes(input), Bytes(64, 1)));
    EXPECT_FALSE(
        verify_signature(Algorithm::RS256, key_named("RSA 2048"), as_bytes(input), Bytes(256, 1)));
    EXPECT_FALSE(verify_signature(Algorithm::EdDSA, key_named("OKP Ed25519"), as_bytes(input),
                                  Bytes(64, 1)));
    EXPECT_FALSE(
        verify_signature(Algorithm::HS256, key_named("oct"), as_bytes(input), Bytes(32, 1)));
    EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(SignVerify, SharedKeysVerifyFromManyThreads) {
    struct Job {
        Algorithm alg;
        const Key* key;
        Bytes good;
    };
    std::vector<Job> jobs;
    for (auto [alg, name] : {std::pair{Algorithm::HS256, "oct"},
                             {Algorithm::ES256, "EC P-256"},
                             {Algorithm::EdDSA, "OKP Ed25519"},
                             {Algorithm::PS256, "RSA 2048"}}) {
        auto signature = sign_signature(alg, key_named(name), as_bytes(input));
        ASSERT_TRUE(signature);
        jobs.push_back({alg, &key_named(name), *signature});
    }
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&jobs, &wrong, t] {
            for (int i = 0; i < 100; ++i) {
                const Job& job = jobs[static_cast<std::size_t>(i + t) % jobs.size()];
                Bytes bad = job.good;
                bad[static_cast<std::size_t>(i) % bad.size()] ^= 0x40;
                if (!verify_signature(job.alg, *job.key, as_bytes(input), job.good))
                    ++wrong;
                if (verify_signature(job.alg, *job.key, as_bytes(input), bad))
                    ++wrong;
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(wrong.load(), 0);
}

// ---------------------------------------------------------------------------
// sign_jws_option

TEST(SignJwsOption, IsHeaderDotDotSignatureOverTheDetachedContent) {
    const std::string header = R"({"alg":"ES256","kid":"client-1","seq":0})";
    const Bytes content = {0x01, 0x00, 0x00, 0x00, 0x01, 0x01};  // CODE item, GET
    const Key& key = key_named("EC P-256");
    auto option = sign_jws_option(header, content, Algorithm::ES256, key);
    ASSERT_TRUE(option) << option.error().message;
    const std::string header_b64 = base64url_encode(as_bytes(header));
    ASSERT_EQ(option->rfind(header_b64 + "..", 0), 0u) << *option;
    auto signature = base64url_decode(std::string_view(*option).substr(header_b64.size() + 2));
    ASSERT_TRUE(signature);
    EXPECT_EQ(signature->size(), 64u);
    const std::string signing_input = header_b64 + "." + base64url_encode(content);
    EXPECT_TRUE(verify_signature(Algorithm::ES256, key, as_bytes(signing_input), *signature));
    // Errors pass through.
    EXPECT_FALSE(sign_jws_option(header, content, Algorithm::ES384, key));
    EXPECT_FALSE(sign_jws_option(header, content, Algorithm::ES256, public_half(key)));
}

}  // namespace
}  // namespace coapjws
