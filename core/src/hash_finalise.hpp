// The last step of every table hash in the engine: spreads a 64-bit hash
// (identity for integers, one multiply per word for WordHash) over the 32
// bits the open-addressing tables keep per slot.
#pragma once

#include <cstdint>

namespace coapjws::detail {

inline std::uint32_t finalise_hash(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return static_cast<std::uint32_t>(h);
}

}  // namespace coapjws::detail
