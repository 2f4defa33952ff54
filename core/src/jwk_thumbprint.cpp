#include "coapjws/jwk_thumbprint.hpp"

#include <openssl/core_names.h>
#include <openssl/sha.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>

#include "coapjws/base64url.hpp"
#include "openssl_ptr.hpp"

namespace coapjws {

namespace {

// An integer parameter of the key as its big-endian bytes: the shortest form
// (RSA n and e, RFC 7518 §6.3.1) or padded to `width` (EC coordinates, §6.2.1).
Result<std::string> bignum_param(EVP_PKEY* pkey, const char* name, std::size_t width = 0) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1 || raw == nullptr)
        return fail(ErrorCode::malformed, std::string("the key has no ") + name);
    const ossl::BignumPtr bn(raw);
    const std::size_t size = static_cast<std::size_t>(BN_num_bytes(bn.get()));
    if (width != 0 && size > width)
        return fail(ErrorCode::malformed, std::string(name) + " is wider than the curve");
    Bytes bytes(width != 0 ? width : size);
    const int written = width != 0 ? BN_bn2binpad(bn.get(), bytes.data(), static_cast<int>(width))
                                   : BN_bn2bin(bn.get(), bytes.data());
    if (written < 0)
        return fail(ErrorCode::crypto, std::string("cannot read ") + name);
    return base64url_encode(bytes);
}

std::size_t ec_coordinate_bytes(Curve curve) {
    switch (curve) {
        case Curve::p256:
            return 32;
        case Curve::p384:
            return 48;
        case Curve::p521:
            return 66;
        default:
            return 0;
    }
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void member(Writer& w, std::string_view name, std::string_view value) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

Result<std::string> jwk_thumbprint_input(const Key& key) {
    EVP_PKEY* pkey = key.pkey();
    rapidjson::StringBuffer text;
    Writer w(text);
    w.StartObject();
    switch (key.type()) {
        case KeyType::oct:
            return fail(ErrorCode::unsupported,
                        "an oct key has no thumbprint that does not reveal a digest of its secret");
        case KeyType::ec: {
            const std::size_t width = ec_coordinate_bytes(key.curve());
            if (pkey == nullptr || width == 0)
                return fail(ErrorCode::unsupported, "EC key without a supported curve");
            auto x = bignum_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, width);
            auto y = bignum_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, width);
            if (!x)
                return x.error();
            if (!y)
                return y.error();
            member(w, "crv", to_string(key.curve()));
            member(w, "kty", "EC");
            member(w, "x", *x);
            member(w, "y", *y);
            break;
        }
        case KeyType::rsa: {
            if (pkey == nullptr)
                return fail(ErrorCode::malformed, "RSA key without key material");
            auto e = bignum_param(pkey, OSSL_PKEY_PARAM_RSA_E);
            auto n = bignum_param(pkey, OSSL_PKEY_PARAM_RSA_N);
            if (!e)
                return e.error();
            if (!n)
                return n.error();
            member(w, "e", *e);
            member(w, "kty", "RSA");
            member(w, "n", *n);
            break;
        }
        case KeyType::okp: {
            std::size_t length = 0;
            if (pkey == nullptr || EVP_PKEY_get_raw_public_key(pkey, nullptr, &length) != 1)
                return fail(ErrorCode::malformed, "OKP key without a public key");
            Bytes x(length);
            if (EVP_PKEY_get_raw_public_key(pkey, x.data(), &length) != 1)
                return fail(ErrorCode::crypto, "cannot read the OKP public key");
            x.resize(length);
            member(w, "crv", to_string(key.curve()));
            member(w, "kty", "OKP");
            member(w, "x", base64url_encode(x));
            break;
        }
    }
    w.EndObject();
    return std::string(text.GetString(), text.GetSize());
}

Result<std::string> jwk_thumbprint(const Key& key) {
    auto input = jwk_thumbprint_input(key);
    if (!input)
        return input.error();
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(input->data()), input->size(), digest.data());
    return base64url_encode(digest);
}

}  // namespace coapjws
