#include "coapjws/jws_crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include <array>

#include "coapjws/base64url.hpp"
#include "key_internal.hpp"
#include "openssl_methods.hpp"
#include "openssl_ptr.hpp"

namespace coapjws {

namespace {

// Largest DER ECDSA-Sig-Value: P-521 gives two INTEGERs of up to 67 bytes
// (66 + a leading zero) with 2-byte headers, in a SEQUENCE with a 3-byte header.
constexpr std::size_t max_der_ecdsa_size = 3 + 2 * (2 + 67);
constexpr std::size_t max_hmac_size = EVP_MAX_MD_SIZE;

const EVP_MD* digest_for(Algorithm alg) {
    return ossl::sha2(algorithm_hash_bits(alg));
}

bool is_pss(Algorithm alg) {
    return algorithm_family(alg) == AlgorithmFamily::rsa_pss;
}

// Sets RSA padding on a digest-sign/verify context: PKCS#1 v1.5, or PSS with
// MGF1 over the same hash and a salt as long as the hash (RFC 7518 §3.5).
bool set_rsa_padding(EVP_PKEY_CTX* pctx, Algorithm alg, const EVP_MD* md) {
    if (!is_pss(alg))
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
}

// One EVP_MD_CTX per call: the EVP_PKEY is shared read-only between threads,
// everything that changes belongs to this call.
bool digest_verify(Algorithm alg, const Key& key, ByteView input, ByteView signature) {
    const EVP_MD* md = algorithm_family(alg) == AlgorithmFamily::eddsa ? nullptr : digest_for(alg);
    if (md == nullptr && algorithm_family(alg) != AlgorithmFamily::eddsa)
        return false;
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key.pkey()) == 1;
    if (ok && key.type() == KeyType::rsa)
        ok = set_rsa_padding(pctx, alg, md);
    ok = ok && EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), input.data(),
                                input.size()) == 1;
    // A failed verification leaves entries on this thread's error queue.
    if (!ok)
        ERR_clear_error();
    return ok;
}

Result<Bytes> digest_sign(Algorithm alg, const Key& key, ByteView input) {
    const EVP_MD* md = algorithm_family(alg) == AlgorithmFamily::eddsa ? nullptr : digest_for(alg);
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    std::size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key.pkey()) != 1 ||
        (key.type() == KeyType::rsa && !set_rsa_padding(pctx, alg, md)) ||
        // One-shot with no output buffer: asks for the maximum signature size.
        EVP_DigestSign(ctx.get(), nullptr, &length, input.data(), input.size()) != 1) {
        return fail(ErrorCode::crypto, "signing failed: " + ossl::last_error());
    }
    Bytes out(length);
    if (EVP_DigestSign(ctx.get(), out.data(), &length, input.data(), input.size()) != 1) {
        return fail(ErrorCode::crypto, "signing failed: " + ossl::last_error());
    }
    out.resize(length);
    return out;
}

bool verify_hmac(Algorithm alg, const Key& key, ByteView input, ByteView signature) {
    std::array<unsigned char, max_hmac_size> mac;
    const std::size_t length = key.hmac(alg, input, mac);
    // The length is public (it is the hash's); the bytes are compared in
    // constant time so timing tells nothing about how much of a forgery matched.
    const bool ok = length != 0 && signature.size() == length &&
                    CRYPTO_memcmp(mac.data(), signature.data(), length) == 0;
    // The expected MAC is a valid signature for this input: do not leave it around.
    OPENSSL_cleanse(mac.data(), mac.size());
    return ok;
}

// R || S (RFC 7518 §3.4) to DER for OpenSSL. Anything but the exact fixed
// length is invalid, so a DER signature (variable length, usually shorter) or
// a truncated one never reaches OpenSSL.
bool verify_ecdsa(Algorithm alg, const Key& key, ByteView input, ByteView signature) {
    const std::size_t size = ecdsa_signature_size(alg);
    if (size == 0 || signature.size() != size)
        return false;
    const int half = static_cast<int>(size / 2);
    ossl::BignumPtr r(BN_bin2bn(signature.data(), half, nullptr));
    ossl::BignumPtr s(BN_bin2bn(signature.data() + half, half, nullptr));
    ossl::EcdsaSigPtr sig(ECDSA_SIG_new());
    if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
        ERR_clear_error();
        return false;
    }
    r.release();  // now owned by sig
    s.release();
    std::array<unsigned char, max_der_ecdsa_size> der;
    int der_length = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (der_length <= 0 || static_cast<std::size_t>(der_length) > der.size())
        return false;
    unsigned char* out = der.data();
    if (i2d_ECDSA_SIG(sig.get(), &out) != der_length)
        return false;
    return digest_verify(alg, key, input,
                         ByteView(der.data(), static_cast<std::size_t>(der_length)));
}

// DER from OpenSSL to R || S, each zero-padded to the curve's size.
Result<Bytes> sign_ecdsa(Algorithm alg, const Key& key, ByteView input) {
    auto der = digest_sign(alg, key, input);
    if (!der)
        return der;
    const unsigned char* p = der->data();
    ossl::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der->size())));
    if (!sig)
        return fail(ErrorCode::crypto, "signing failed: " + ossl::last_error());
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    const std::size_t size = ecdsa_signature_size(alg);
    const int half = static_cast<int>(size / 2);
    Bytes out(size);
    if (BN_bn2binpad(r, out.data(), half) != half ||
        BN_bn2binpad(s, out.data() + half, half) != half) {
        return fail(ErrorCode::too_large, "signing failed: ECDSA value larger than the curve");
    }
    return out;
}

Result<Bytes> sign_hmac(Algorithm alg, const Key& key, ByteView input) {
    Bytes out(max_hmac_size);
    const std::size_t length = key.hmac(alg, input, out);
    if (length == 0)
        return fail(ErrorCode::crypto, "HMAC failed: " + ossl::last_error());
    out.resize(length);
    return out;
}

}  // namespace

Status key_fits(const Key& key, Algorithm alg) {
    if (!detail::key_type_fits(key.type(), key.curve(), alg)) {
        return fail(ErrorCode::refused, "key is " + detail::key_kind(key) + ", header alg is " +
                                            std::string(algorithm_name(alg)));
    }
    if (key.type() == KeyType::rsa && key.bits() < detail::min_rsa_bits) {
        return fail(ErrorCode::refused, "RSA modulus has " + std::to_string(key.bits()) +
                                            " bits, at least " +
                                            std::to_string(detail::min_rsa_bits) + " needed");
    }
    if (key.alg() && *key.alg() != alg) {
        return fail(ErrorCode::refused, "key alg is " + std::string(algorithm_name(*key.alg())) +
                                            ", header alg is " + std::string(algorithm_name(alg)));
    }
    // A default-constructed Key (no material) fits nothing.
    if (key.type() == KeyType::oct ? key.secret().empty() : key.pkey() == nullptr) {
        return fail(ErrorCode::refused, "key has no key material");
    }
    return {};
}

bool verify_signature(Algorithm alg, const Key& key, ByteView signing_input, ByteView signature) {
    // The precondition, checked again: an unfit key is never used, whatever
    // the caller did. It costs a few comparisons on success.
    if (!key_fits(key, alg))
        return false;
    switch (algorithm_family(alg)) {
        case AlgorithmFamily::hmac:
            return verify_hmac(alg, key, signing_input, signature);
        case AlgorithmFamily::ecdsa:
            return verify_ecdsa(alg, key, signing_input, signature);
        case AlgorithmFamily::eddsa:
            return digest_verify(alg, key, signing_input, signature);
        case AlgorithmFamily::rsa_pkcs1:
        case AlgorithmFamily::rsa_pss:
            // RFC 8017 §8.2.2 step 1: the signature is exactly k bytes. OpenSSL
            // would accept a shorter one as if left-padded with zeros.
            if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey()))) {
                return false;
            }
            return digest_verify(alg, key, signing_input, signature);
    }
    return false;
}

Result<Bytes> sign_signature(Algorithm alg, const Key& key, ByteView signing_input) {
    if (auto fits = key_fits(key, alg); !fits)
        return fits.error();
    if (!key.has_private())
        return fail(ErrorCode::refused, "cannot sign with a public key (" + key.describe() + ")");
    switch (algorithm_family(alg)) {
        case AlgorithmFamily::hmac:
            return sign_hmac(alg, key, signing_input);
        case AlgorithmFamily::ecdsa:
            return sign_ecdsa(alg, key, signing_input);
        case AlgorithmFamily::eddsa:
        case AlgorithmFamily::rsa_pkcs1:
        case AlgorithmFamily::rsa_pss:
            return digest_sign(alg, key, signing_input);
    }
    return fail(ErrorCode::internal, "unknown algorithm");
}

Result<std::string> sign_jws_option(std::string_view header_json, ByteView signed_content,
                                    Algorithm alg, const Key& key) {
    std::string input = base64url_encode(as_bytes(header_json));
    const std::size_t header_length = input.size();
    input += '.';
    base64url_encode_append(signed_content, input);
    auto signature = sign_signature(alg, key, as_bytes(input));
    if (!signature)
        return signature.error();
    // Detached content: the middle part of the compact serialization is empty.
    std::string option = input.substr(0, header_length);
    option += "..";
    base64url_encode_append(*signature, option);
    return option;
}

}  // namespace coapjws
