// --shard K/N: which messages this process reports. A message belongs to the
// shard of its receiver (destination endpoint), the unit the engine keeps
// replay state for, so N processes with K = 1..N report disjoint streams
// whose union is the unsharded report. The hash is FNV-1a (64 bit) over the
// address bytes (4 for IPv4, 16 for IPv6) followed by the port in network
// byte order: fixed, so the same receiver lands in the same shard on every
// machine and in every release (std::hash promises neither).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "coapjws/endpoint.hpp"
#include "coapjws/result.hpp"

namespace coapjws::scan {

std::uint64_t stable_endpoint_hash(const Endpoint& endpoint);

struct Shard {
    std::uint32_t index = 1;  // K, 1-based
    std::uint32_t count = 1;  // N

    // "K/N" with 1 <= K <= N <= 65536.
    static Result<Shard> parse(std::string_view text);
    std::string to_string() const;  // "K/N"
    bool owns(const Endpoint& receiver) const {
        return stable_endpoint_hash(receiver) % count == index - 1;
    }
};

}  // namespace coapjws::scan
