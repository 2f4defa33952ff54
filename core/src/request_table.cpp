#include "request_table.hpp"

#include <algorithm>

#include "word_hash.hpp"

namespace coapjws::detail {

std::size_t RequestTable::KeyHash::operator()(const Key& k) const noexcept {
    // The token (at most 8 bytes) packed into one word: no two tokens of a
    // length share a value.
    std::uint64_t packed = 0;
    for (std::size_t i = 0; i < k.token_length; ++i)
        packed = packed << 8 | k.token[i];
    return WordHash()
        .add(packed)
        .add(k.token_length | static_cast<std::uint64_t>(k.framing) << 8)
        .add(k.client)
        .add(k.server)
        .value();
}

RequestTable::RequestTable(std::size_t capacity, std::size_t max_bytes, std::int64_t lifetime_ns,
                           std::int64_t observe_lifetime_ns, const KeyIdPool& key_ids)
    : entries_(capacity),
      key_ids_(key_ids),
      max_bytes_(max_bytes),
      lifetime_ns_(lifetime_ns),
      observe_lifetime_ns_(observe_lifetime_ns) {}

std::size_t RequestTable::weight(const PendingRequest& request) const {
    // The key identifier counts whole for every request that holds it,
    // although the pool keeps it once: the budget stays an upper bound.
    return request.jws_option.size() +
           (request.tid ? key_ids_.text(request.tid->key_id).size() : 0);
}

void RequestTable::release(PendingRequest& request) {
    bytes_held_ -= weight(request);
    // Only an ordinary-sized buffer is kept: the byte budget counts sizes, so
    // a large capacity carried over to a small option would escape it.
    constexpr std::size_t max_spare_capacity = 2048;
    const std::size_t capacity = request.jws_option.capacity();
    if (capacity <= max_spare_capacity && spare_.capacity() < capacity) {
        spare_ = std::move(request.jws_option);
        spare_.clear();
    }
}

Bytes RequestTable::spare_buffer() {
    Bytes out = std::move(spare_);
    spare_ = Bytes{};
    out.clear();
    return out;
}

RequestTable::Key RequestTable::make_key(ByteView token, const Endpoint& client,
                                         const Endpoint& server, CoapFraming framing) {
    Key key;
    key.framing = framing;
    key.token_length = static_cast<std::uint8_t>(std::min<std::size_t>(token.size(), 8));
    std::copy_n(token.begin(), key.token_length, key.token.begin());
    key.client = client;
    key.server = server;
    return key;
}

bool RequestTable::expired(const PendingRequest& request, std::int64_t time_ns) const {
    std::int64_t lifetime = request.observe ? observe_lifetime_ns_ : lifetime_ns_;
    return time_ns - request.last_time_ns > lifetime;
}

void RequestTable::remember(ByteView token, const Endpoint& client, const Endpoint& server,
                            CoapFraming framing, PendingRequest request) {
    const std::int64_t time_ns = request.last_time_ns;
    // Entries are touched in capture order, so the oldest come first. An
    // Observe registration among them stops the sweep early; lookups still
    // check the age, so this only decides how soon memory is given back.
    entries_.expire_oldest_while([&](const PendingRequest& r) { return expired(r, time_ns); },
                                 [&](PendingRequest& r) { release(r); });

    Endpoint stored_server = server;
    if (server.address.is_multicast())
        stored_server.address = Address{};
    const Key key = make_key(token, client, stored_server, framing);
    const std::size_t incoming = weight(request);
    const std::uint32_t key_hash = entries_.hash_key(key);
    if (PendingRequest* old = entries_.find(key, key_hash)) {
        // The same token and endpoints again: the new request replaces the
        // old one in place (find() made it the most recently used).
        release(*old);
        if (incoming > max_bytes_) {
            entries_.erase(key);
            ++byte_evictions_;
            return;
        }
        *old = std::move(request);
        bytes_held_ += incoming;
        while (bytes_held_ > max_bytes_ && entries_.size() > 1)
            entries_.evict_oldest([&](PendingRequest& r) { release(r); });
        return;
    }
    // A request heavier than the whole budget cannot be remembered at all
    // (as in the retransmission cache): forgotten at once, counted.
    if (incoming > max_bytes_) {
        ++byte_evictions_;
        return;
    }
    // Room by count and by bytes before inserting, so the insertion never
    // evicts behind our back and bytes_held_ stays exact.
    while (entries_.size() >= entries_.capacity() || bytes_held_ + incoming > max_bytes_) {
        if (!entries_.evict_oldest([&](PendingRequest& r) { release(r); }))
            break;
    }
    bytes_held_ += incoming;
    entries_.insert_absent(key, std::move(request), key_hash);
}

PendingRequest* RequestTable::lookup(const Key& key, std::int64_t time_ns) {
    PendingRequest* request = entries_.find(key);
    if (request == nullptr)
        return nullptr;
    if (expired(*request, time_ns)) {
        release(*request);
        entries_.erase(key);
        return nullptr;
    }
    request->last_time_ns = std::max(request->last_time_ns, time_ns);
    return request;
}

PendingRequest* RequestTable::match(ByteView token, const Endpoint& server, const Endpoint& client,
                                    CoapFraming framing, std::int64_t time_ns) {
    if (token.size() > 8)
        return nullptr;
    if (PendingRequest* r = lookup(make_key(token, client, server, framing), time_ns))
        return r;
    // A multicast request: answered from a unicast address on the group's
    // port. Only UDP has multicast.
    if (framing != CoapFraming::udp)
        return nullptr;
    Endpoint any_address{Address{}, server.port};
    return lookup(make_key(token, client, any_address, framing), time_ns);
}

}  // namespace coapjws::detail
