#include "request_table.hpp"

#include <algorithm>

#include "session_tables.hpp"

namespace coapjws::detail {

std::size_t RequestTable::KeyHash::operator()(const Key& k) const noexcept {
    // The token (at most 8 bytes) packed into one word: no two tokens of a
    // length share a value.
    std::uint64_t packed = 0;
    for (std::size_t i = 0; i < k.token_length; ++i)
        packed = packed << 8 | k.token[i];
    std::size_t h = hash_mix(k.token_length, packed);
    h = hash_mix(h, EndpointHash{}(k.client));
    return hash_mix(h, EndpointHash{}(k.server));
}

RequestTable::RequestTable(std::size_t capacity, std::int64_t lifetime_ns,
                           std::int64_t observe_lifetime_ns)
    : entries_(capacity), lifetime_ns_(lifetime_ns), observe_lifetime_ns_(observe_lifetime_ns) {}

RequestTable::Key RequestTable::make_key(ByteView token, const Endpoint& client,
                                         const Endpoint& server) {
    Key key;
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

PendingRequest& RequestTable::remember(ByteView token, const Endpoint& client,
                                       const Endpoint& server, std::int64_t time_ns) {
    // Entries are touched in capture order, so the oldest come first. An
    // Observe registration among them stops the sweep early; lookups still
    // check the age, so this only decides how soon memory is given back.
    entries_.expire_oldest_while([&](const PendingRequest& r) { return expired(r, time_ns); });

    Endpoint stored_server = server;
    if (server.address.is_multicast())
        stored_server.address = Address{};
    PendingRequest& entry =
        entries_.insert_or_assign(make_key(token, client, stored_server), PendingRequest{});
    entry.last_time_ns = time_ns;
    return entry;
}

PendingRequest* RequestTable::lookup(const Key& key, std::int64_t time_ns) {
    PendingRequest* request = entries_.find(key);
    if (request == nullptr)
        return nullptr;
    if (expired(*request, time_ns)) {
        entries_.erase(key);
        return nullptr;
    }
    request->last_time_ns = std::max(request->last_time_ns, time_ns);
    return request;
}

PendingRequest* RequestTable::match(ByteView token, const Endpoint& server, const Endpoint& client,
                                    std::int64_t time_ns) {
    if (token.size() > 8)
        return nullptr;
    if (PendingRequest* r = lookup(make_key(token, client, server), time_ns))
        return r;
    // A multicast request: answered from a unicast address on the group's port.
    Endpoint any_address{Address{}, server.port};
    return lookup(make_key(token, client, any_address), time_ns);
}

}  // namespace coapjws::detail
