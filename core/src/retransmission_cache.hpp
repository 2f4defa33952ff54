// Recognises CoAP retransmissions (spec §5): the same source endpoint sending
// the same Message ID with a byte-identical message within the exchange
// lifetime (247 s) of the earlier copy. Bounded by entries and by bytes.
#pragma once

#include <cstdint>
#include <optional>

#include "coapjws/bytes.hpp"
#include "coapjws/endpoint.hpp"
#include "lru_map.hpp"

namespace coapjws {

class RetransmissionCache {
  public:
    RetransmissionCache(std::size_t max_entries, std::size_t max_bytes, std::int64_t lifetime_ns);

    // If `message` repeats the last message seen from `source` with this MID,
    // byte for byte, within the lifetime of that copy: returns the frame of
    // the first transmission (and refreshes the copy's time). Otherwise
    // records `message` as the latest for (source, MID) and returns nullopt.
    std::optional<std::uint32_t> check(const Endpoint& source, std::uint16_t message_id,
                                       ByteView message, std::int64_t time_ns, std::uint32_t frame);

    std::size_t size() const;
    std::uint64_t evictions() const;
    std::size_t bytes_held() const { return bytes_held_; }

  private:
    struct KeyType {
        Endpoint source;
        std::uint16_t message_id;
        friend bool operator==(const KeyType&, const KeyType&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const KeyType& k) const noexcept;
    };
    struct Entry {
        Bytes message;
        std::int64_t last_time_ns;
        std::uint32_t first_frame;
    };

    void make_room(std::size_t incoming);
    void release(Entry& entry);  // its bytes leave the budget; its buffer may be reused

    LruMap<KeyType, Entry, KeyHash> entries_;
    std::size_t max_bytes_;
    std::int64_t lifetime_ns_;
    std::size_t bytes_held_ = 0;
    std::uint64_t byte_evictions_ = 0;
    Bytes spare_;  // a forgotten copy's buffer, reused for the next copy
};

}  // namespace coapjws
