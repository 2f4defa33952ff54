// Validation of Ed25519 and Ed448 public keys (private to the engine).
#pragma once

#include "coapjws/bytes.hpp"
#include "coapjws/key.hpp"
#include "coapjws/result.hpp"

namespace coapjws::detail {

// The public key `encoded` (32 bytes for Ed25519, 57 for Ed448) decodes as
// RFC 8032 §5.1.3 / §5.2.3 say — y below p, x recoverable (the point is on
// the curve), no x = 0 with the sign bit set — and is not of small order
// (one of the 8 or 4 torsion points, the identity included). OpenSSL checks
// none of this when it imports a raw public key, and a small-order key lets
// one fixed signature (R = identity, S = 0) verify for every message.
Status check_eddsa_public_key(Curve curve, ByteView encoded);

}  // namespace coapjws::detail
