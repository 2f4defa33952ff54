// Published JWS test vectors: RFC 7515 Appendix A, RFC 7520 §3 and §4,
// RFC 8037 Appendix A. Every value below is transcribed from the RFC; the
// deterministic algorithms (HMAC, RSASSA-PKCS1-v1_5, Ed25519) must reproduce
// the RFC's signature exactly, the randomized ones (ECDSA, PSS) must verify it.
// Each vector is also checked to fail once tampered with.
#include <gtest/gtest.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <string>

#include "coapjws/base64url.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/key.hpp"

namespace coapjws {
namespace {

Bytes b64(std::string_view text) {
    auto bytes = base64url_decode(text);
    EXPECT_TRUE(bytes) << text;
    return bytes ? *bytes : Bytes{};
}

Key load(std::string_view jwk) {
    auto key = Key::from_jwk(jwk);
    EXPECT_TRUE(key) << key.error().message;
    if (!key)
        return Key{};
    return std::move(*key);
}

// The same signature in DER (what OpenSSL's own API would take): a correct
// ECDSA signature in the wrong encoding. It must be refused.
Bytes to_der(const Bytes& rs) {
    std::size_t half = rs.size() / 2;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(rs.data(), static_cast<int>(half), nullptr),
                   BN_bin2bn(rs.data() + half, static_cast<int>(half), nullptr));
    int length = i2d_ECDSA_SIG(sig, nullptr);
    Bytes der(static_cast<std::size_t>(length));
    unsigned char* p = der.data();
    i2d_ECDSA_SIG(sig, &p);
    ECDSA_SIG_free(sig);
    return der;
}

// OpenSSL directly, to show the DER form is a genuinely valid signature that
// we refuse for its encoding, not for its value.
bool openssl_accepts_der(const Key& key, const EVP_MD* md, std::string_view input,
                         const Bytes& der) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok =
        EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key.pkey()) == 1 &&
        EVP_DigestVerify(ctx, der.data(), der.size(),
                         reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

// The vector verifies; one flipped bit anywhere, a truncated or extended
// signature, an empty one, or a changed signing input does not.
void expect_valid_and_tamper_proof(Algorithm alg, const Key& key, std::string_view input,
                                   const Bytes& signature) {
    ASSERT_FALSE(signature.empty());
    EXPECT_TRUE(verify_signature(alg, key, as_bytes(input), signature));

    for (std::size_t at : {std::size_t{0}, signature.size() / 2, signature.size() - 1}) {
        for (unsigned bit : {0u, 7u}) {
            Bytes flipped = signature;
            flipped[at] ^= static_cast<std::uint8_t>(1u << bit);
            EXPECT_FALSE(verify_signature(alg, key, as_bytes(input), flipped))
                << "signature byte " << at << " bit " << bit;
        }
    }
    for (std::size_t at : {std::size_t{0}, input.size() / 2, input.size() - 1}) {
        std::string changed(input);
        changed[at] = static_cast<char>(changed[at] ^ 0x01);
        EXPECT_FALSE(verify_signature(alg, key, as_bytes(changed), signature))
            << "input byte " << at;
    }
    std::string longer = std::string(input) + "A";
    EXPECT_FALSE(verify_signature(alg, key, as_bytes(longer), signature));
    EXPECT_FALSE(
        verify_signature(alg, key, as_bytes(input.substr(0, input.size() - 1)), signature));

    Bytes truncated(signature.begin(), signature.end() - 1);
    EXPECT_FALSE(verify_signature(alg, key, as_bytes(input), truncated));
    Bytes extended = signature;
    extended.push_back(0);
    EXPECT_FALSE(verify_signature(alg, key, as_bytes(input), extended));
    Bytes leading_zero = signature;
    leading_zero.insert(leading_zero.begin(), 0);
    EXPECT_FALSE(verify_signature(alg, key, as_bytes(input), leading_zero));
    EXPECT_FALSE(verify_signature(alg, key, as_bytes(input), Bytes{}));
}

void expect_der_refused(Algorithm alg, const Key& key, const EVP_MD* md, std::string_view input,
                        const Bytes& rs) {
    Bytes der = to_der(rs);
    ASSERT_TRUE(openssl_accepts_der(key, md, input, der)) << "test setup: DER form should be valid";
    EXPECT_FALSE(verify_signature(alg, key, as_bytes(input), der));
}

// ---------------------------------------------------------------------------
// RFC 7515 Appendix A

// A.1: the header has a CRLF and a leading space, as printed in the RFC.
constexpr std::string_view a1_header = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
constexpr std::string_view a1_payload =
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
constexpr std::string_view jwt_payload_b64 =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q";
constexpr std::string_view a1_input =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q";
constexpr std::string_view a1_jwk =
    R"({"kty":"oct",
        "k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"})";
constexpr std::string_view a1_signature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

TEST(Rfc7515, A1Hs256SignReproducesAndVerifies) {
    // The encoded parts follow from the header and payload octets.
    ASSERT_EQ(base64url_encode(as_bytes(a1_header)) + "." + base64url_encode(as_bytes(a1_payload)),
              a1_input);
    Key key = load(a1_jwk);
    auto signature = sign_signature(Algorithm::HS256, key, as_bytes(a1_input));
    ASSERT_TRUE(signature) << signature.error().message;
    // A.1.1 lists the HMAC octets as well.
    const Bytes expected = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                            125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                            191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
    EXPECT_EQ(*signature, expected);
    EXPECT_EQ(base64url_encode(*signature), a1_signature);
    expect_valid_and_tamper_proof(Algorithm::HS256, key, a1_input, b64(a1_signature));
}

TEST(Rfc7515, A1AsDetachedOptionKeepsTheHeaderBytes) {
    // The option form of A.1: same header octets (CRLF kept), payload detached.
    Key key = load(a1_jwk);
    auto option = sign_jws_option(a1_header, as_bytes(a1_payload), Algorithm::HS256, key);
    ASSERT_TRUE(option) << option.error().message;
    EXPECT_EQ(*option, std::string("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9..") +
                           std::string(a1_signature));
}

constexpr std::string_view a2_jwk = R"({"kty":"RSA",
 "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
 "e":"AQAB",
 "d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ",
 "p":"4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc",
 "q":"uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc",
 "dp":"BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0",
 "dq":"h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU",
 "qi":"IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U"
})";
// The same key with only n, e and d (no CRT members), and only n, e.
constexpr std::string_view a2_jwk_d_only = R"({"kty":"RSA",
 "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
 "e":"AQAB",
 "d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ"
})";
constexpr std::string_view a2_jwk_public = R"({"kty":"RSA",
 "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
 "e":"AQAB"})";
constexpr std::string_view a2_input =
    "eyJhbGciOiJSUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q";
constexpr std::string_view a2_signature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5"
    "jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb"
    "1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QO"
    "YEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

TEST(Rfc7515, A2Rs256SignReproducesAndVerifies) {
    ASSERT_EQ(std::string(a2_input.substr(a2_input.find('.') + 1)), jwt_payload_b64);
    Key key = load(a2_jwk);
    EXPECT_EQ(key.bits(), 2048u);
    auto signature = sign_signature(Algorithm::RS256, key, as_bytes(a2_input));
    ASSERT_TRUE(signature) << signature.error().message;
    EXPECT_EQ(base64url_encode(*signature), a2_signature);
    expect_valid_and_tamper_proof(Algorithm::RS256, key, a2_input, b64(a2_signature));
    expect_valid_and_tamper_proof(Algorithm::RS256, load(a2_jwk_public), a2_input,
                                  b64(a2_signature));
}

TEST(Rfc7515, A2WithoutCrtMembersSignsTheSame) {
    Key key = load(a2_jwk_d_only);
    ASSERT_TRUE(key.has_private());
    auto signature = sign_signature(Algorithm::RS256, key, as_bytes(a2_input));
    ASSERT_TRUE(signature) << signature.error().message;
    EXPECT_EQ(base64url_encode(*signature), a2_signature);
}

TEST(Rfc7515, A2SignatureIsNotValidUnderPss) {
    // Same key, same hash, other padding: RS256 and PS256 are not interchangeable.
    EXPECT_FALSE(verify_signature(Algorithm::PS256, load(a2_jwk_public), as_bytes(a2_input),
                                  b64(a2_signature)));
    EXPECT_FALSE(verify_signature(Algorithm::RS384, load(a2_jwk_public), as_bytes(a2_input),
                                  b64(a2_signature)));
}

constexpr std::string_view a3_jwk = R"({"kty":"EC","crv":"P-256",
 "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
 "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
 "d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"})";
constexpr std::string_view a3_jwk_public = R"({"kty":"EC","crv":"P-256",
 "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
 "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
constexpr std::string_view a3_input =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q";
constexpr std::string_view a3_signature =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

TEST(Rfc7515, A3Es256Verifies) {
    Key key = load(a3_jwk_public);
    ASSERT_EQ(b64(a3_signature).size(), 64u);
    expect_valid_and_tamper_proof(Algorithm::ES256, key, a3_input, b64(a3_signature));
    expect_der_refused(Algorithm::ES256, key, EVP_sha256(), a3_input, b64(a3_signature));
    // The private JWK loads (d matches x, y) and verifies the same.
    expect_valid_and_tamper_proof(Algorithm::ES256, load(a3_jwk), a3_input, b64(a3_signature));
}

TEST(Rfc7515, A3PrivateKeySignsWhatThePublicKeyVerifies) {
    auto signature = sign_signature(Algorithm::ES256, load(a3_jwk), as_bytes(a3_input));
    ASSERT_TRUE(signature) << signature.error().message;
    EXPECT_EQ(signature->size(), 64u);
    EXPECT_TRUE(
        verify_signature(Algorithm::ES256, load(a3_jwk_public), as_bytes(a3_input), *signature));
}

constexpr std::string_view a4_jwk_public = R"({"kty":"EC","crv":"P-521",
 "x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
 "y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"})";
constexpr std::string_view a4_jwk = R"({"kty":"EC","crv":"P-521",
 "x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
 "y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2",
 "d":"AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C"})";
constexpr std::string_view a4_input = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA";
constexpr std::string_view a4_signature =
    "AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8G"
    "aSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn";

TEST(Rfc7515, A4Es512Verifies) {
    EXPECT_EQ(as_text(b64("UGF5bG9hZA")), "Payload");
    Key key = load(a4_jwk_public);
    EXPECT_EQ(key.bits(), 521u);
    ASSERT_EQ(b64(a4_signature).size(), 132u);
    expect_valid_and_tamper_proof(Algorithm::ES512, key, a4_input, b64(a4_signature));
    expect_der_refused(Algorithm::ES512, key, EVP_sha512(), a4_input, b64(a4_signature));
    expect_valid_and_tamper_proof(Algorithm::ES512, load(a4_jwk), a4_input, b64(a4_signature));
}

// ---------------------------------------------------------------------------
// RFC 8037 Appendix A (Ed25519)

constexpr std::string_view ed_jwk_private = R"({"kty":"OKP","crv":"Ed25519",
 "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
 "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})";
constexpr std::string_view ed_jwk_public = R"({"kty":"OKP","crv":"Ed25519",
 "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})";
constexpr std::string_view ed_input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
constexpr std::string_view ed_signature =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

TEST(Rfc8037, A4Ed25519SignReproduces) {
    EXPECT_EQ(base64url_encode(as_bytes("{\"alg\":\"EdDSA\"}")) + "." +
                  base64url_encode(as_bytes("Example of Ed25519 signing")),
              ed_input);
    auto signature = sign_signature(Algorithm::EdDSA, load(ed_jwk_private), as_bytes(ed_input));
    ASSERT_TRUE(signature) << signature.error().message;
    EXPECT_EQ(base64url_encode(*signature), ed_signature);
}

TEST(Rfc8037, A5Ed25519Verifies) {
    expect_valid_and_tamper_proof(Algorithm::EdDSA, load(ed_jwk_public), ed_input,
                                  b64(ed_signature));
    expect_valid_and_tamper_proof(Algorithm::EdDSA, load(ed_jwk_private), ed_input,
                                  b64(ed_signature));
}

// ---------------------------------------------------------------------------
// RFC 7520 §3 keys and §4 signatures

constexpr std::string_view lotr_payload =
    "It\xe2\x80\x99s a dangerous business, Frodo, going out your door. You step onto the road, and "
    "if you don't keep your feet, there\xe2\x80\x99s no knowing where you might be swept off to.";
constexpr std::string_view lotr_payload_b64 =
    "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IH"
    "lvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBk"
    "b24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcm"
    "UgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";

// §3.1 / §3.2: EC P-521
constexpr std::string_view rfc7520_ec_public = R"({
  "kty": "EC",
  "kid": "bilbo.baggins@hobbiton.example",
  "use": "sig",
  "crv": "P-521",
  "x": "AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt",
  "y": "AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1"
})";
constexpr std::string_view rfc7520_ec_private = R"({
  "kty": "EC",
  "kid": "bilbo.baggins@hobbiton.example",
  "use": "sig",
  "crv": "P-521",
  "x": "AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt",
  "y": "AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1",
  "d": "AAhRON2r9cqXX1hg-RoI6R1tX5p2rUAYdmpHZoC1XNM56KtscrX6zbKipQrCW9CGZH3T4ubpnoTKLDYJ_fF3_rJt"
})";
// §3.3 / §3.4: RSA 2048
constexpr std::string_view rfc7520_rsa_public = R"({
  "kty": "RSA",
  "kid": "bilbo.baggins@hobbiton.example",
  "use": "sig",
  "n": "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
  "e": "AQAB"
})";
constexpr std::string_view rfc7520_rsa_private = R"({
  "kty": "RSA",
  "kid": "bilbo.baggins@hobbiton.example",
  "use": "sig",
  "n": "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
  "e": "AQAB",
  "d": "bWUC9B-EFRIo8kpGfh0ZuyGPvMNKvYWNtB_ikiH9k20eT-O1q_I78eiZkpXxXQ0UTEs2LsNRS-8uJbvQ-A1irkwMSMkK1J3XTGgdrhCku9gRldY7sNA_AKZGh-Q661_42rINLRCe8W-nZ34ui_qOfkLnK9QWDDqpaIsA-bMwWWSDFu2MUBYwkHTMEzLYGqOe04noqeq1hExBTHBOBdkMXiuFhUq1BU6l-DqEiWxqg82sXt2h-LMnT3046AOYJoRioz75tSUQfGCshWTBnP5uDjd18kKhyv07lhfSJdrPdM5Plyl21hsFf4L_mHCuoFau7gdsPfHPxxjVOcOpBrQzwQ",
  "p": "3Slxg_DwTXJcb6095RoXygQCAZ5RnAvZlno1yhHtnUex_fp7AZ_9nRaO7HX_-SFfGQeutao2TDjDAWU4Vupk8rw9JR0AzZ0N2fvuIAmr_WCsmGpeNqQnev1T7IyEsnh8UMt-n5CafhkikzhEsrmndH6LxOrvRJlsPp6Zv8bUq0k",
  "q": "uKE2dh-cTf6ERF4k4e_jy78GfPYUIaUyoSSJuBzp3Cubk3OCqs6grT8bR_cu0Dm1MZwWmtdqDyI95HrUeq3MP15vMMON8lHTeZu2lmKvwqW7anV5UzhM1iZ7z4yMkuUwFWoBvyY898EXvRD-hdqRxHlSqAZ192zB3pVFJ0s7pFc",
  "dp": "B8PVvXkvJrj2L-GYQ7v3y9r6Kw5g9SahXBwsWUzp19TVlgI-YV85q1NIb1rxQtD-IsXXR3-TanevuRPRt5OBOdiMGQp8pbt26gljYfKU_E9xn-RULHz0-ed9E9gXLKD4VGngpz-PfQ_q29pk5xWHoJp009Qf1HvChixRX59ehik",
  "dq": "CLDmDGduhylc9o7r84rEUVn7pzQ6PF83Y-iBZx5NT-TpnOZKF1pErAMVeKzFEl41DlHHqqBLSM0W1sOFbwTxYWZDm6sI6og5iTbwQGIC3gnJKbi_7k_vJgGHwHxgPaX2PnvP-zyEkDERuf-ry4c_Z11Cq9AqC2yeL6kdKT1cYF8",
  "qi": "3PiqvXQN0zwMeE-sBvZgi289XP9XCQF3VWqPzMKnIgQp7_Tugo6-NZBKCQsMf3HaEGBjTVJs_jcK8-TRXvaKe-7ZMaQj8VfBdYkssbu0NKDDhjJ-GtiseaDVWt7dcH0cfwxgFUHpQh7FoCrjFJ6h6ZEpMF6xmujs4qMpPz8aaI4"
})";
// §3.5: HMAC key
constexpr std::string_view rfc7520_oct = R"({
  "kty": "oct",
  "kid": "018c0ae5-4d9b-471b-bfd6-eef314bc7037",
  "use": "sig",
  "alg": "HS256",
  "k": "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"
})";

std::string lotr_input(std::string_view protected_b64) {
    return std::string(protected_b64) + "." + std::string(lotr_payload_b64);
}

TEST(Rfc7520, PayloadEncoding) {
    EXPECT_EQ(base64url_encode(as_bytes(lotr_payload)), lotr_payload_b64);
}

TEST(Rfc7520, Section3KeysLoad) {
    Key ec = load(rfc7520_ec_private);
    EXPECT_EQ(ec.type(), KeyType::ec);
    EXPECT_EQ(ec.curve(), Curve::p521);
    EXPECT_TRUE(ec.has_private());
    EXPECT_EQ(ec.kid(), "bilbo.baggins@hobbiton.example");
    Key rsa = load(rfc7520_rsa_private);
    EXPECT_EQ(rsa.type(), KeyType::rsa);
    EXPECT_EQ(rsa.bits(), 2048u);
    EXPECT_TRUE(rsa.has_private());
    EXPECT_FALSE(load(rfc7520_rsa_public).has_private());
    Key oct = load(rfc7520_oct);
    EXPECT_EQ(oct.type(), KeyType::oct);
    EXPECT_EQ(oct.bits(), 256u);
    ASSERT_TRUE(oct.alg().has_value());
    EXPECT_EQ(*oct.alg(), Algorithm::HS256);
}

TEST(Rfc7520, Section4_1Rs256SignReproducesAndVerifies) {
    const std::string protected_b64 =
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9";
    EXPECT_EQ(
        base64url_encode(as_bytes(R"({"alg":"RS256","kid":"bilbo.baggins@hobbiton.example"})")),
        protected_b64);
    const std::string input = lotr_input(protected_b64);
    const std::string expected =
        "MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xu"
        "glII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5a"
        "AE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0"
        "KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg";
    auto signature = sign_signature(Algorithm::RS256, load(rfc7520_rsa_private), as_bytes(input));
    ASSERT_TRUE(signature) << signature.error().message;
    EXPECT_EQ(base64url_encode(*signature), expected);
    expect_valid_and_tamper_proof(Algorithm::RS256, load(rfc7520_rsa_public), input, b64(expected));
}

TEST(Rfc7520, Section4_2Ps384Verifies) {
    const std::string input =
        lotr_input("eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9");
    const std::string signature =
        "cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8"
        "TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRm"
        "BqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQT"
        "lqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw";
    expect_valid_and_tamper_proof(Algorithm::PS384, load(rfc7520_rsa_public), input,
                                  b64(signature));
    // The PSS parameters are part of the algorithm: the same signature is not
    // a PS256 or PS512 signature, nor an RS384 one.
    for (Algorithm other : {Algorithm::PS256, Algorithm::PS512, Algorithm::RS384}) {
        EXPECT_FALSE(
            verify_signature(other, load(rfc7520_rsa_public), as_bytes(input), b64(signature)));
    }
}

TEST(Rfc7520, Section4_3Es512Verifies) {
    const std::string input =
        lotr_input("eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9");
    const std::string signature =
        "AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQ"
        "y3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2";
    Key key = load(rfc7520_ec_public);
    expect_valid_and_tamper_proof(Algorithm::ES512, key, input, b64(signature));
    expect_der_refused(Algorithm::ES512, key, EVP_sha512(), input, b64(signature));
    expect_valid_and_tamper_proof(Algorithm::ES512, load(rfc7520_ec_private), input,
                                  b64(signature));
}

constexpr std::string_view section4_4_protected =
    "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9";
constexpr std::string_view section4_4_header =
    R"({"alg":"HS256","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037"})";
constexpr std::string_view section4_4_signature = "s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0";

TEST(Rfc7520, Section4_4Hs256SignReproducesAndVerifies) {
    EXPECT_EQ(base64url_encode(as_bytes(section4_4_header)), section4_4_protected);
    const std::string input = lotr_input(section4_4_protected);
    Key key = load(rfc7520_oct);
    auto signature = sign_signature(Algorithm::HS256, key, as_bytes(input));
    ASSERT_TRUE(signature) << signature.error().message;
    EXPECT_EQ(base64url_encode(*signature), section4_4_signature);
    expect_valid_and_tamper_proof(Algorithm::HS256, key, input, b64(section4_4_signature));
}

TEST(Rfc7520, Section4_5DetachedContentHs256) {
    // §4.5: the signing input uses the detached payload; the compact form has
    // an empty middle part, exactly the shape of the CoAP JWS option.
    Key key = load(rfc7520_oct);
    auto option = sign_jws_option(section4_4_header, as_bytes(lotr_payload), Algorithm::HS256, key);
    ASSERT_TRUE(option) << option.error().message;
    EXPECT_EQ(*option,
              std::string(section4_4_protected) + ".." + std::string(section4_4_signature));
    // Verifying needs the detached payload back in the signing input.
    const std::string input = lotr_input(section4_4_protected);
    expect_valid_and_tamper_proof(Algorithm::HS256, key, input, b64(section4_4_signature));
    // Without it (the compact form's empty payload), the signature does not hold.
    EXPECT_FALSE(verify_signature(Algorithm::HS256, key,
                                  as_bytes(std::string(section4_4_protected) + "."),
                                  b64(section4_4_signature)));
}

TEST(Rfc7520, Section3_5KeyAlgRestrictsItToHs256) {
    Key key = load(rfc7520_oct);
    const std::string input = lotr_input(section4_4_protected);
    EXPECT_TRUE(key_fits(key, Algorithm::HS256));
    EXPECT_FALSE(key_fits(key, Algorithm::HS384));
    EXPECT_FALSE(key_fits(key, Algorithm::HS512));
    EXPECT_FALSE(sign_signature(Algorithm::HS512, key, as_bytes(input)));
}

}  // namespace
}  // namespace coapjws
