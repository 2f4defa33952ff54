// A cheap hash for the fixed-size keys of the session's tables (the
// retransmission cache, the request table, replay windows and response
// bindings). LruMap runs every key hash
// through a 64-bit finaliser of its own, so folding a key's words needs only
// to keep them apart, not to spread them: one multiply per word instead of
// the splitmix rounds per field of hash_mix() and EndpointHash (about 190
// instructions for a request key, 45 here). Only the tables' slot positions
// depend on it; no verdict does.
#pragma once

#include <cstdint>
#include <cstring>

#include "coapjws/endpoint.hpp"

namespace coapjws::detail {

class WordHash {
  public:
    WordHash& add(std::uint64_t word) {
        // Multiplying by an odd constant is a bijection, and the shift brings
        // the high bits (which the product mixes) back down for the next word.
        h_ = (h_ ^ word) * 0x9e3779b97f4a7c15ULL;
        h_ ^= h_ >> 32;
        return *this;
    }
    WordHash& add(const Endpoint& e) {
        std::uint64_t first = 0;
        std::uint64_t second = 0;
        std::memcpy(&first, e.address.bytes.data(), 8);
        std::memcpy(&second, e.address.bytes.data() + 8, 8);
        add(first);
        add(second);
        return add(static_cast<std::uint64_t>(e.address.family) << 16 | e.port);
    }
    std::size_t value() const { return static_cast<std::size_t>(h_); }

  private:
    std::uint64_t h_ = 0;
};

}  // namespace coapjws::detail
