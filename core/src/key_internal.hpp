// Key rules shared by the key loader and the signature code (private to the engine).
#pragma once

#include "coapjws/algorithm.hpp"
#include "coapjws/key.hpp"

namespace coapjws::detail {

// Whether a key of this type and curve can ever serve `alg`, size aside:
// oct -> HS*, EC P-256/384/521 -> ES256/384/512, RSA -> RS*/PS*,
// OKP Ed25519/Ed448 -> EdDSA. Used to reject a JWK whose own `alg` contradicts
// its key type, and by key_fits.
bool key_type_fits(KeyType type, Curve curve, Algorithm alg);

// "oct", "EC P-256", "RSA 2048 bits", "OKP Ed25519": the key's kind, no material.
std::string key_kind(const Key& key);

// RSA keys smaller than this never fit (spec §4).
inline constexpr unsigned min_rsa_bits = 2048;

}  // namespace coapjws::detail
