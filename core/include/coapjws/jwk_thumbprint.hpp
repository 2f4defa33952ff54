// RFC 7638 JWK thumbprints: a key's stable name that the user can hold
// against their own tools (`jose jwk thp`, `step crypto jwk thumbprint`).
#pragma once

#include <string>

#include "coapjws/key.hpp"
#include "coapjws/result.hpp"

namespace coapjws {

// The RFC 7638 §3 input: the key's required public members (EC: crv, kty, x,
// y; RSA: e, kty, n; OKP: crv, kty, x as RFC 8037 §2 lists them) in
// lexicographic order, without whitespace. Computed from the key itself, so
// a key read from PEM gets the same thumbprint as its JWK.
//
// An oct key is refused: its members are the secret, and a digest of a secret
// lets anyone confirm a guess of it offline (docs/SECURITY.md).
Result<std::string> jwk_thumbprint_input(const Key& key);

// base64url(SHA-256(jwk_thumbprint_input(key))): 43 characters.
Result<std::string> jwk_thumbprint(const Key& key);

}  // namespace coapjws
