#include "retransmission_cache.hpp"

#include <algorithm>
#include <utility>

#include "copy_into.hpp"
#include "word_hash.hpp"

namespace coapjws {

std::size_t RetransmissionCache::KeyHash::operator()(const KeyType& k) const noexcept {
    return detail::WordHash().add(k.source).add(k.message_id).value();
}

RetransmissionCache::RetransmissionCache(std::size_t max_entries, std::size_t max_bytes,
                                         std::int64_t lifetime_ns)
    : entries_(max_entries), max_bytes_(max_bytes), lifetime_ns_(lifetime_ns) {}

std::optional<std::uint32_t> RetransmissionCache::check(const Endpoint& source,
                                                        std::uint16_t message_id, ByteView message,
                                                        std::int64_t time_ns, std::uint32_t frame) {
    // Entries are touched in capture order, so the oldest is the least
    // recently used: forget copies older than the lifetime first.
    entries_.expire_oldest_while(
        [&](const Entry& e) { return time_ns - e.last_time_ns > lifetime_ns_; },
        [&](Entry& e) { release(e); });

    const KeyType key{source, message_id};
    const std::uint32_t key_hash = entries_.hash_key(key);
    Bytes buffer;
    bool reusing_entry = false;
    if (Entry* entry = entries_.find(key, key_hash)) {
        // "Within 247 s" includes exactly 247 s; a timestamp that goes back
        // (captures merged from several interfaces) counts as within.
        if (time_ns - entry->last_time_ns <= lifetime_ns_ &&
            std::equal(entry->message.begin(), entry->message.end(), message.begin(),
                       message.end())) {
            entry->last_time_ns = time_ns;
            return entry->first_frame;
        }
        // A different message reusing the MID (or the same one too late):
        // it becomes the copy to compare with. Keep its buffer for reuse.
        bytes_held_ -= entry->message.size();
        buffer = std::move(entry->message);
        entries_.erase(key);
        reusing_entry = true;
    }

    if (message.size() > max_bytes_) {
        ++byte_evictions_;  // cannot be remembered at all: forgotten at once
        if (reusing_entry)
            spare_ = std::move(buffer);
        return std::nullopt;
    }
    make_room(message.size());
    if (!reusing_entry) {
        // The buffer of a forgotten copy: no allocation per message once the
        // cache has filled. Taken after make_room() so that it can be the
        // oldest copy, just evicted, which is usually of the same kind and
        // size as this one (requests replace requests); the previous
        // message's was often too small, and assign() reallocated.
        buffer = std::move(spare_);
        spare_ = Bytes{};
    }
    detail::copy_into(buffer, message);
    bytes_held_ += buffer.size();
    entries_.insert_absent(key, Entry{std::move(buffer), time_ns, frame}, key_hash);
    return std::nullopt;
}

// Evicts least recently used copies until one more entry of `incoming` bytes
// fits both budgets, so insert_or_assign never evicts behind our back and
// bytes_held_ stays exact.
void RetransmissionCache::make_room(std::size_t incoming) {
    while (entries_.size() >= entries_.capacity() || bytes_held_ + incoming > max_bytes_) {
        if (!entries_.evict_oldest([&](Entry& e) { release(e); }))
            break;
    }
}

void RetransmissionCache::release(Entry& entry) {
    bytes_held_ -= entry.message.size();
    // Only an ordinary-sized buffer is kept: the byte budget counts sizes, so
    // a large capacity carried over to a small copy would escape it.
    constexpr std::size_t max_spare_capacity = 2048;
    const std::size_t capacity = entry.message.capacity();
    if (capacity <= max_spare_capacity && spare_.capacity() < capacity)
        spare_ = std::move(entry.message);
}

std::size_t RetransmissionCache::size() const {
    return entries_.size();
}

std::uint64_t RetransmissionCache::evictions() const {
    return entries_.evictions() + byte_evictions_;
}

}  // namespace coapjws
