// Keys of the session's bounded tables (replay windows, response bindings,
// protected client/server pairs) and their hashes. Each table is an LruMap,
// so none grows with the length of a capture; key identifiers in them are
// ids of the session's KeyIdPool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "coapjws/endpoint.hpp"
#include "key_id_pool.hpp"
#include "lru_map.hpp"
#include "replay_window.hpp"
#include "word_hash.hpp"

namespace coapjws::detail {

// Combines two hashes: `value` goes through the splitmix64 finaliser first,
// so small or structured values (seq numbers, packed tokens) spread.
inline std::size_t hash_mix(std::size_t seed, std::size_t value) {
    std::uint64_t x = static_cast<std::uint64_t>(value) + 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return static_cast<std::size_t>(x ^ (static_cast<std::uint64_t>(seed) * 0x9e3779b97f4a7c15ULL));
}

// Key identifiers are attacker-chosen and may be tens of kilobytes long;
// tables bounded by entry count would then pin gigabytes. Identifiers up to
// this length are kept as they are; longer ones as 0xFF followed by their
// SHA-256 digest. Identifiers are valid UTF-8 (the header parser checks), and
// UTF-8 never contains the byte 0xFF, so the two forms cannot meet; and
// SHA-256 keeps distinct long identifiers distinct.
inline constexpr std::size_t max_stored_key_id = 64;
// The form a key identifier takes inside the session's tables (into `out`).
void table_key_id(std::string_view key_id, std::string& out);

// One replay window per (receiver endpoint, sender key identifier) (spec §5).
struct WindowKey {
    Endpoint receiver;
    KeyIdPool::Id key_id = 0;  // table_key_id() form, in the session's KeyIdPool
    friend bool operator==(const WindowKey&, const WindowKey&) = default;
};
struct WindowKeyHash {
    std::size_t operator()(const WindowKey& k) const noexcept {
        return WordHash().add(k.receiver).add(k.key_id).value();
    }
};
using WindowTable = LruMap<WindowKey, ReplayWindow, WindowKeyHash>;

// An isi "01" response bound to its request's TID at a client, per responder
// key: a second one is a response replay (SPEC-NOTES, "Matching").
struct BindingKey {
    Endpoint client;
    KeyIdPool::Id request_key_id = 0;    // the request TID's, table_key_id() form
    std::uint32_t request_seq = 0;       // the request TID's
    KeyIdPool::Id responder_key_id = 0;  // table_key_id() form; "" when the response names no key
    friend bool operator==(const BindingKey&, const BindingKey&) = default;
};
struct BindingKeyHash {
    std::size_t operator()(const BindingKey& k) const noexcept {
        return WordHash()
            .add(k.client)
            .add(k.request_key_id | static_cast<std::uint64_t>(k.request_seq) << 32)
            .add(k.responder_key_id)
            .value();
    }
};
using BindingTable = LruMap<BindingKey, std::uint32_t, BindingKeyHash>;  // -> first response frame

// A client address (any port) that sent a protected request to a server
// endpoint: a later unprotected request on that pair is `stripped`.
struct PairKey {
    Address client;
    Endpoint server;
    friend bool operator==(const PairKey&, const PairKey&) = default;
};
struct PairKeyHash {
    std::size_t operator()(const PairKey& k) const noexcept {
        return hash_mix(AddressHash{}(k.client), EndpointHash{}(k.server));
    }
};
using PairTable = LruMap<PairKey, std::uint32_t, PairKeyHash>;  // -> latest protected request frame

}  // namespace coapjws::detail
