// Requests awaiting responses, for matching a response to its request on the
// same hop: same token, from the request's destination to its source (spec
// §3). A request sent to a multicast group is answered from unicast
// addresses, so for those only the server port is compared (SPEC-NOTES).
// The framing is part of the match: a response comes back over the transport
// its request used (over TCP on the same connection, RFC 8323 §3.3), so a
// UDP request is never answered by a TCP message on the same ports.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "coapjws/bytes.hpp"
#include "coapjws/coap_message.hpp"
#include "coapjws/endpoint.hpp"
#include "key_id_pool.hpp"
#include "lru_map.hpp"

namespace coapjws::detail {

// A TID whose key identifier (whole, not in table_key_id() form: it enters
// the response's signed content) is held by the session's KeyIdPool.
struct InternedTid {
    KeyIdPool::Id key_id = 0;
    std::uint32_t seq = 0;
};

// What a response's analysis needs to know about its request.
struct PendingRequest {
    std::uint32_t frame = 0;
    std::int64_t last_time_ns = 0;   // sent, or last answered
    bool observe = false;            // carried Observe: remembered for the observe lifetime
    bool has_jws = false;            // carried one JWS option or more
    bool single_jws = false;         // exactly one: then jws_option holds its value
    std::optional<InternedTid> tid;  // from its header, when that had a key identifier and seq
    Bytes jws_option;
};

class RequestTable {
  public:
    // At most `capacity` requests, and at most `max_bytes` held in their key
    // identifiers and JWS option copies (both are up to ~64 KiB each, chosen
    // by whoever sent the capture): the least recently used go first.
    // `key_ids` holds the requests' key identifiers (for their weight).
    RequestTable(std::size_t capacity, std::size_t max_bytes, std::int64_t lifetime_ns,
                 std::int64_t observe_lifetime_ns, const KeyIdPool& key_ids);

    // Remembers `request` (replacing one with the same token and endpoints),
    // as sent or answered at request.last_time_ns.
    void remember(ByteView token, const Endpoint& client, const Endpoint& server,
                  CoapFraming framing, PendingRequest request);
    // A buffer of a forgotten request's JWS option, for the next one to reuse
    // (empty, with whatever capacity it had).
    Bytes spare_buffer();

    // The request a response from `server` to `client` with `token` answers,
    // if still remembered at `time_ns`; marks it answered at that time.
    PendingRequest* match(ByteView token, const Endpoint& server, const Endpoint& client,
                          CoapFraming framing, std::int64_t time_ns);

    std::size_t size() const { return entries_.size(); }
    std::uint64_t evictions() const { return entries_.evictions() + byte_evictions_; }
    std::size_t bytes_held() const { return bytes_held_; }
    // Calls mark(id) for the key identifier of every request held.
    template <typename Mark>
    void mark_key_ids(Mark mark) const {
        for (const auto& entry : entries_) {
            if (entry.second.tid)
                mark(entry.second.tid->key_id);
        }
    }

  private:
    struct Key {
        std::array<std::uint8_t, 8> token{};  // RFC 7252: at most 8 bytes
        std::uint8_t token_length = 0;
        CoapFraming framing = CoapFraming::udp;
        Endpoint client;
        Endpoint server;  // for a multicast request: no address, the group's port
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };

    static Key make_key(ByteView token, const Endpoint& client, const Endpoint& server,
                        CoapFraming framing);
    std::size_t weight(const PendingRequest& request) const;
    bool expired(const PendingRequest& request, std::int64_t time_ns) const;
    PendingRequest* lookup(const Key& key, std::int64_t time_ns);
    void release(PendingRequest& request);  // its bytes leave the budget; its buffer is kept

    LruMap<Key, PendingRequest, KeyHash> entries_;
    const KeyIdPool& key_ids_;
    std::size_t max_bytes_;
    std::int64_t lifetime_ns_;
    std::int64_t observe_lifetime_ns_;
    std::size_t bytes_held_ = 0;
    std::uint64_t byte_evictions_ = 0;
    Bytes spare_;
};

}  // namespace coapjws::detail
