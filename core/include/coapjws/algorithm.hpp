// JWS algorithms (RFC 7518, RFC 8037) that the engine verifies and signs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace coapjws {

enum class Algorithm : std::uint8_t {
    HS256, HS384, HS512,
    ES256, ES384, ES512,
    EdDSA,
    RS256, RS384, RS512,
    PS256, PS384, PS512,
};

enum class AlgorithmFamily : std::uint8_t { hmac, ecdsa, eddsa, rsa_pkcs1, rsa_pss };

// Exact, case-sensitive names ("HS256", "EdDSA"). "none" and anything not
// listed return nullopt.
std::optional<Algorithm> algorithm_from_name(std::string_view name);
std::string_view algorithm_name(Algorithm alg);
AlgorithmFamily algorithm_family(Algorithm alg);
// 256/384/512 for HS/ES/RS/PS; 0 for EdDSA (the curve decides).
unsigned algorithm_hash_bits(Algorithm alg);
// Fixed R||S signature length for ES256/384/512: 64, 96, 132. 0 otherwise.
std::size_t ecdsa_signature_size(Algorithm alg);

inline constexpr Algorithm all_algorithms[] = {
    Algorithm::HS256, Algorithm::HS384, Algorithm::HS512, Algorithm::ES256, Algorithm::ES384,
    Algorithm::ES512, Algorithm::EdDSA, Algorithm::RS256, Algorithm::RS384, Algorithm::RS512,
    Algorithm::PS256, Algorithm::PS384, Algorithm::PS512,
};

}  // namespace coapjws
