// Test helpers for keys: JWK text for an OpenSSL key, read with OpenSSL's own
// parameter getters (not with our loader), so a loaded JWK can be compared
// with the key it came from.
#pragma once

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <string>

#include "coapjws/base64url.hpp"
#include "coapjws/key.hpp"

namespace coapjws::test {

inline std::string b64_bn(EVP_PKEY* pkey, const char* name, int pad = 0) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1)
        return {};
    int size = pad > 0 ? pad : BN_num_bytes(bn);
    Bytes bytes(static_cast<std::size_t>(size));
    BN_bn2binpad(bn, bytes.data(), size);
    BN_clear_free(bn);
    return base64url_encode(bytes);
}

// `extra` is spliced in as further members, e.g. R"("kid":"a",)".
inline std::string jwk_of(const Key& key, bool with_private, const std::string& extra = "") {
    EVP_PKEY* pkey = key.pkey();
    std::string json = "{" + extra;
    switch (key.type()) {
        case KeyType::oct:
            json += R"("kty":"oct","k":")" + base64url_encode(key.secret()) + "\"";
            break;
        case KeyType::ec: {
            const int size = static_cast<int>((key.bits() + 7) / 8);
            unsigned char point[1 + 2 * 66];
            std::size_t length = 0;
            EXPECT_EQ(EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point,
                                                      sizeof point, &length),
                      1);
            EXPECT_EQ(length, 1u + 2u * static_cast<std::size_t>(size));
            json += R"("kty":"EC","crv":")" + std::string(to_string(key.curve())) + R"(","x":")" +
                    base64url_encode(ByteView(point + 1, static_cast<std::size_t>(size))) +
                    R"(","y":")" +
                    base64url_encode(ByteView(point + 1 + size, static_cast<std::size_t>(size))) +
                    "\"";
            if (with_private)
                json += R"(,"d":")" + b64_bn(pkey, OSSL_PKEY_PARAM_PRIV_KEY, size) + "\"";
            break;
        }
        case KeyType::rsa:
            json += R"("kty":"RSA","n":")" + b64_bn(pkey, OSSL_PKEY_PARAM_RSA_N) + R"(","e":")" +
                    b64_bn(pkey, OSSL_PKEY_PARAM_RSA_E) + "\"";
            if (with_private) {
                json += R"(,"d":")" + b64_bn(pkey, OSSL_PKEY_PARAM_RSA_D) + R"(","p":")" +
                        b64_bn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1) + R"(","q":")" +
                        b64_bn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2) + R"(","dp":")" +
                        b64_bn(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1) + R"(","dq":")" +
                        b64_bn(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2) + R"(","qi":")" +
                        b64_bn(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1) + "\"";
            }
            break;
        case KeyType::okp: {
            unsigned char raw[57];
            std::size_t length = sizeof raw;
            EXPECT_EQ(EVP_PKEY_get_raw_public_key(pkey, raw, &length), 1);
            json += R"("kty":"OKP","crv":")" + std::string(to_string(key.curve())) + R"(","x":")" +
                    base64url_encode(ByteView(raw, length)) + "\"";
            if (with_private) {
                length = sizeof raw;
                EXPECT_EQ(EVP_PKEY_get_raw_private_key(pkey, raw, &length), 1);
                json += R"(,"d":")" + base64url_encode(ByteView(raw, length)) + "\"";
            }
            break;
        }
    }
    return json + "}";
}

inline Key generated(KeyType type, Curve curve, unsigned bits = 0) {
    auto key = Key::generate(type, curve, bits);
    EXPECT_TRUE(key) << key.error().message;
    return key ? std::move(*key) : Key{};
}

}  // namespace coapjws::test
