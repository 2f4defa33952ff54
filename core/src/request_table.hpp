// Requests awaiting responses, for matching a response to its request on the
// same hop: same token, from the request's destination to its source (spec
// §3). A request sent to a multicast group is answered from unicast
// addresses, so for those only the server port is compared (SPEC-NOTES).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "coapjws/bytes.hpp"
#include "coapjws/endpoint.hpp"
#include "coapjws/lru_map.hpp"
#include "coapjws/tid.hpp"

namespace coapjws::detail {

// What a response's analysis needs to know about its request.
struct PendingRequest {
    std::uint32_t frame = 0;
    std::int64_t last_time_ns = 0;  // sent, or last answered
    bool observe = false;           // carried Observe: remembered for the observe lifetime
    bool has_jws = false;           // carried one JWS option or more
    bool single_jws = false;        // exactly one: then jws_option holds its value
    std::optional<Tid> tid;         // from its header, when that had a key identifier and seq
    Bytes jws_option;
};

class RequestTable {
  public:
    RequestTable(std::size_t capacity, std::int64_t lifetime_ns, std::int64_t observe_lifetime_ns);

    // Remembers a request (replacing one with the same token and endpoints).
    // Returns the stored entry so the caller can fill it in.
    PendingRequest& remember(ByteView token, const Endpoint& client, const Endpoint& server,
                             std::int64_t time_ns);

    // The request a response from `server` to `client` with `token` answers,
    // if still remembered at `time_ns`; marks it answered at that time.
    PendingRequest* match(ByteView token, const Endpoint& server, const Endpoint& client,
                          std::int64_t time_ns);

    std::size_t size() const { return entries_.size(); }
    std::uint64_t evictions() const { return entries_.evictions(); }

  private:
    struct Key {
        std::array<std::uint8_t, 8> token{};  // RFC 7252: at most 8 bytes
        std::uint8_t token_length = 0;
        Endpoint client;
        Endpoint server;  // for a multicast request: no address, the group's port
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };

    static Key make_key(ByteView token, const Endpoint& client, const Endpoint& server);
    bool expired(const PendingRequest& request, std::int64_t time_ns) const;
    PendingRequest* lookup(const Key& key, std::int64_t time_ns);

    LruMap<Key, PendingRequest, KeyHash> entries_;
    std::int64_t lifetime_ns_;
    std::int64_t observe_lifetime_ns_;
};

}  // namespace coapjws::detail
