// A verification (and optionally signing) key with its identifiers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "coapjws/algorithm.hpp"
#include "coapjws/bytes.hpp"
#include "coapjws/pkey_ptr.hpp"
#include "coapjws/result.hpp"

namespace coapjws {

namespace detail {
struct KeyAccess;  // the JWK / PEM / generator builders in key.cpp

// Names an oct key's secret in the process's shared cache of keyed HMAC
// contexts (hmac_contexts.hpp), and frees that key's contexts there when the
// key goes. Moves with the secret; a moved-from id is 0, which names nothing.
class HmacId {
  public:
    HmacId() = default;
    explicit HmacId(std::uint64_t value) : value_(value) {}
    HmacId(HmacId&& other) noexcept : value_(other.value_) { other.value_ = 0; }
    HmacId& operator=(HmacId&& other) noexcept;
    HmacId(const HmacId&) = delete;
    HmacId& operator=(const HmacId&) = delete;
    ~HmacId();

    std::uint64_t value() const { return value_; }

  private:
    std::uint64_t value_ = 0;
};
}  // namespace detail

enum class KeyType : std::uint8_t { oct, ec, rsa, okp };
enum class Curve : std::uint8_t { none, p256, p384, p521, ed25519, ed448 };

std::string_view to_string(KeyType type);  // "oct", "EC", "RSA", "OKP"
std::string_view to_string(Curve curve);   // "P-256", ..., "Ed25519", "Ed448", "" for none

// Bytes that are wiped (OPENSSL_cleanse) when released.
class SecretBytes {
  public:
    SecretBytes() = default;
    explicit SecretBytes(Bytes bytes) : bytes_(std::move(bytes)) {}
    SecretBytes(SecretBytes&&) noexcept = default;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    ~SecretBytes();

    ByteView view() const { return bytes_; }
    std::size_t size() const { return bytes_.size(); }
    bool empty() const { return bytes_.empty(); }

  private:
    Bytes bytes_;
};

// Where a key was configured, for telling the user which key did something:
// its source ("keys.jwks", "Keys table row 2") and, for a JWK Set, its index
// in "keys" counted from 0, as the loader's messages number keys.
struct KeyOrigin {
    std::string source;
    std::optional<std::size_t> index;
};

class Key {
  public:
    Key();
    Key(Key&&) noexcept;
    Key& operator=(Key&&) noexcept;
    ~Key();

    // A JWK (RFC 7517/7518/8037) as JSON text: kty oct (k), EC (crv, x, y, [d]),
    // RSA (n, e, [d, p, q, dp, dq, qi]), OKP (crv Ed25519/Ed448, x, [d]).
    // Identifiers from kid, x5t, x5t#S256; optional alg (must be a supported
    // algorithm that fits the key type). EC points must be on the curve and a
    // private d must match the public key; a member given twice is an error.
    // Errors name the member and the problem, never a secret value.
    static Result<Key> from_jwk(std::string_view json);
    // A shared secret (oct key).
    static Result<Key> from_secret(ByteView secret);
    // A PEM public or private key (EC, RSA, Ed25519, Ed448), or a certificate:
    // its public key, with x5t and x5t#S256 set to the certificate's thumbprints.
    // Encrypted private keys are refused (never a pass phrase prompt).
    static Result<Key> from_pem(std::string_view pem);
    // Generates a fresh private key of that kind (tests, generator).
    // For oct, `bits` is the secret size; for RSA the modulus size; ignored otherwise.
    static Result<Key> generate(KeyType type, Curve curve, unsigned bits = 0);

    KeyType type() const { return type_; }
    Curve curve() const { return curve_; }
    // Secret size for oct, modulus size for RSA, field size for EC/OKP.
    unsigned bits() const { return bits_; }
    bool has_private() const;
    const std::optional<Algorithm>& alg() const { return alg_; }

    const std::string& kid() const { return kid_; }
    const std::string& x5t() const { return x5t_; }
    const std::string& x5t_s256() const { return x5t_s256_; }
    Key& set_kid(std::string kid) {
        kid_ = std::move(kid);
        return *this;
    }
    Key& set_x5t(std::string v) {
        x5t_ = std::move(v);
        return *this;
    }
    Key& set_x5t_s256(std::string v) {
        x5t_s256_ = std::move(v);
        return *this;
    }
    Key& set_alg(std::optional<Algorithm> alg) {
        alg_ = alg;
        return *this;
    }

    const KeyOrigin& origin() const { return origin_; }
    Key& set_origin(KeyOrigin origin) {
        origin_ = std::move(origin);
        return *this;
    }

    // "kid=client-1 EC P-256 public" — never key material.
    std::string describe() const;

    // For the crypto functions: the OpenSSL key (EC/RSA/OKP) or the secret (oct).
    EVP_PKEY* pkey() const { return pkey_.get(); }
    ByteView secret() const { return secret_.view(); }
    // For oct keys: HMAC-SHA-2 of `input` under the secret for HS256/HS384/
    // HS512, written to `out`; returns its length, or 0 when this is not an
    // oct key, `alg` is not HS*, `out` is too small or OpenSSL failed.
    // Thread-safe; reuses a keyed context when one is cached for this key.
    std::size_t hmac(Algorithm alg, ByteView input, std::span<unsigned char> out) const;

  private:
    friend struct detail::KeyAccess;

    KeyType type_ = KeyType::oct;
    Curve curve_ = Curve::none;
    unsigned bits_ = 0;
    bool private_ = false;
    std::optional<Algorithm> alg_;
    std::string kid_, x5t_, x5t_s256_;
    KeyOrigin origin_;
    ossl::PkeyPtr pkey_;
    SecretBytes secret_;
    detail::HmacId hmac_id_;  // oct keys only
};

}  // namespace coapjws
