// Signature verification and creation (spec §4) with OpenSSL 3 EVP.
#pragma once

#include <string>
#include <string_view>

#include "coapjws/algorithm.hpp"
#include "coapjws/bytes.hpp"
#include "coapjws/key.hpp"
#include "coapjws/result.hpp"

namespace coapjws {

// Whether `key` may verify `alg`: oct -> HS*; EC P-256/384/521 -> ES256/384/512;
// RSA >= 2048 bits -> RS*/PS*; OKP Ed25519/Ed448 -> EdDSA; and the key's own
// `alg`, if set, equal to `alg`. The error explains the mismatch
// ("key is EC P-256, header alg is ES384"). Nothing is verified with a key
// that does not fit: this is what stops algorithm confusion.
Status key_fits(const Key& key, Algorithm alg);

// Verifies `signature` over `signing_input`. Precondition: key_fits(key, alg).
// HMAC results are compared in constant time; ECDSA signatures must be the
// fixed-length R||S form; any wrong length is simply invalid. Thread-safe.
[[nodiscard]] bool verify_signature(Algorithm alg, const Key& key, ByteView signing_input,
                                    ByteView signature);

// Signs with a private key (or secret). ECDSA output is R||S. Errors if the
// key lacks private material or does not fit `alg`.
Result<Bytes> sign_signature(Algorithm alg, const Key& key, ByteView signing_input);

// The whole option value for a message: B64U(header_json) ".." B64U(sig),
// where sig signs B64U(header_json) "." B64U(signed_content).
Result<std::string> sign_jws_option(std::string_view header_json, ByteView signed_content,
                                    Algorithm alg, const Key& key);

}  // namespace coapjws
