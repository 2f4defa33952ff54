#include "coapjws/algorithm.hpp"

#include <array>

namespace coapjws {

namespace {
struct AlgorithmInfo {
    Algorithm alg;
    std::string_view name;
    AlgorithmFamily family;
    unsigned hash_bits;
};

constexpr std::array<AlgorithmInfo, 13> algorithm_table{{
    {Algorithm::HS256, "HS256", AlgorithmFamily::hmac, 256},
    {Algorithm::HS384, "HS384", AlgorithmFamily::hmac, 384},
    {Algorithm::HS512, "HS512", AlgorithmFamily::hmac, 512},
    {Algorithm::ES256, "ES256", AlgorithmFamily::ecdsa, 256},
    {Algorithm::ES384, "ES384", AlgorithmFamily::ecdsa, 384},
    {Algorithm::ES512, "ES512", AlgorithmFamily::ecdsa, 512},
    {Algorithm::EdDSA, "EdDSA", AlgorithmFamily::eddsa, 0},
    {Algorithm::RS256, "RS256", AlgorithmFamily::rsa_pkcs1, 256},
    {Algorithm::RS384, "RS384", AlgorithmFamily::rsa_pkcs1, 384},
    {Algorithm::RS512, "RS512", AlgorithmFamily::rsa_pkcs1, 512},
    {Algorithm::PS256, "PS256", AlgorithmFamily::rsa_pss, 256},
    {Algorithm::PS384, "PS384", AlgorithmFamily::rsa_pss, 384},
    {Algorithm::PS512, "PS512", AlgorithmFamily::rsa_pss, 512},
}};

const AlgorithmInfo& info(Algorithm alg) { return algorithm_table[static_cast<std::size_t>(alg)]; }
}  // namespace

std::optional<Algorithm> algorithm_from_name(std::string_view name) {
    for (const auto& entry : algorithm_table) {
        if (entry.name == name) return entry.alg;
    }
    return std::nullopt;
}

std::string_view algorithm_name(Algorithm alg) { return info(alg).name; }
AlgorithmFamily algorithm_family(Algorithm alg) { return info(alg).family; }
unsigned algorithm_hash_bits(Algorithm alg) { return info(alg).hash_bits; }

std::size_t ecdsa_signature_size(Algorithm alg) {
    switch (alg) {
        case Algorithm::ES256: return 64;
        case Algorithm::ES384: return 96;
        case Algorithm::ES512: return 132;
        default: return 0;
    }
}

}  // namespace coapjws
