#include "ip_reassembly.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "lru_map.hpp"

namespace coapjws::scan {

namespace {

struct DatagramKey {
    bool ipv6 = false;
    std::uint8_t protocol = 0;
    std::uint16_t vlan = 0;
    std::uint32_t id = 0;
    Address src;
    Address dst;
    friend bool operator==(const DatagramKey&, const DatagramKey&) = default;
};

struct DatagramKeyHash {
    std::size_t operator()(const DatagramKey& k) const noexcept {
        AddressHash h;
        std::size_t v = h(k.src) * 0x9e3779b97f4a7c15ULL ^ h(k.dst);
        return v ^ (std::size_t{k.id} << 24 | std::size_t{k.protocol} << 8 | k.vlan) ^
               (k.ipv6 ? 0x5bd1e995u : 0u);
    }
};

struct Piece {
    std::uint32_t offset = 0;
    Bytes bytes;
};

struct Datagram {
    std::vector<Piece> pieces;  // by offset; equal offsets in arrival order
    std::optional<std::uint32_t> length;
    std::size_t held = 0;
    std::int64_t last_ns = 0;
    std::uint8_t protocol = 0;
};

// RFC 1918 private and RFC 3927 link-local IPv4 addresses: Wireshark keeps
// their fragments apart by VLAN, since such addresses repeat across VLANs.
bool is_local_ipv4(const Address& a) {
    if (a.family != AddressFamily::ipv4)
        return false;
    const auto& b = a.bytes;
    return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
           (b[0] == 169 && b[1] == 254);
}

}  // namespace

struct IpReassembler::State {
    explicit State(IpReassemblyLimits l) : limits(l), table(l.max_datagrams) {}

    IpReassemblyLimits limits;
    IpReassemblyStats stats;
    LruMap<DatagramKey, Datagram, DatagramKeyHash> table;
    std::size_t total_held = 0;
    Bytes assembled;

    void forget(Datagram& d) {
        ++stats.incomplete_datagrams;
        stats.incomplete_fragments += d.pieces.size();
        total_held -= d.held;
    }
};

IpReassembler::IpReassembler(IpReassemblyLimits limits) : state_(std::make_unique<State>(limits)) {}
IpReassembler::IpReassembler(IpReassembler&&) noexcept = default;
IpReassembler& IpReassembler::operator=(IpReassembler&&) noexcept = default;
IpReassembler::~IpReassembler() = default;

const IpReassemblyStats& IpReassembler::stats() const {
    return state_->stats;
}

std::optional<ReassembledDatagram> IpReassembler::add(const IpFragment& f) {
    State& s = *state_;
    // Reassemblies untouched for the timeout are given up (least recently
    // touched first, which is the order of their last fragments).
    s.table.expire_oldest_while(
        [&](const Datagram& d) { return f.time_ns - d.last_ns > s.limits.timeout_ns; },
        [&](Datagram& d) { s.forget(d); });

    if (std::uint64_t{f.offset} + f.data.size() > s.limits.max_datagram) {
        ++s.stats.oversized;
        return std::nullopt;
    }
    ++s.stats.fragments;
    // Wireshark leaves fragments without data out of reassembly.
    if (f.data.empty())
        return std::nullopt;

    DatagramKey key;
    key.ipv6 = f.ipv6;
    key.protocol = f.ipv6 ? 0 : f.protocol;  // IPv6 keys on addresses and identification only
    key.vlan = !f.ipv6 && (is_local_ipv4(f.src) || is_local_ipv4(f.dst)) ? f.vlan : 0;
    key.id = f.id;
    key.src = f.src;
    key.dst = f.dst;
    const std::uint32_t hash = s.table.hash_key(key);
    Datagram* d = s.table.find(key, hash);
    if (d == nullptr) {
        if (s.table.size() >= s.table.capacity())
            s.table.evict_oldest([&](Datagram& old) { s.forget(old); });
        d = &s.table.insert_absent(key, Datagram{}, hash);
    }
    d->last_ns = f.time_ns;
    d->protocol = f.protocol;
    const std::uint32_t end = f.offset + static_cast<std::uint32_t>(f.data.size());
    if (!f.more && !d->length)
        d->length = end;

    const bool overlaps = std::any_of(d->pieces.begin(), d->pieces.end(), [&](const Piece& p) {
        return p.offset < end && f.offset < p.offset + p.bytes.size();
    });
    if (overlaps)
        ++s.stats.overlaps;
    auto at =
        std::upper_bound(d->pieces.begin(), d->pieces.end(), f.offset,
                         [](std::uint32_t offset, const Piece& p) { return offset < p.offset; });
    d->pieces.insert(at, Piece{f.offset, Bytes(f.data.begin(), f.data.end())});
    d->held += f.data.size();
    s.total_held += f.data.size();
    // Over the byte budget: forget the oldest other reassemblies.
    while (s.total_held > s.limits.max_bytes && s.table.size() > 1)
        s.table.evict_oldest([&](Datagram& old) { s.forget(old); });

    if (!d->length)
        return std::nullopt;
    std::uint32_t contiguous = 0;
    for (const Piece& p : d->pieces) {
        const std::uint32_t piece_end = p.offset + static_cast<std::uint32_t>(p.bytes.size());
        if (p.offset <= contiguous && piece_end > contiguous)
            contiguous = piece_end;
    }
    if (contiguous < *d->length)
        return std::nullopt;

    // Complete: each byte from the first piece (in offset order) that has it.
    const std::uint32_t length = *d->length;
    s.assembled.resize(length);
    std::uint32_t filled = 0;
    for (const Piece& p : d->pieces) {
        if (p.offset >= length)
            continue;  // past the end the last fragment set
        const std::uint32_t piece_end =
            std::min(length, p.offset + static_cast<std::uint32_t>(p.bytes.size()));
        if (piece_end <= filled)
            continue;
        std::memcpy(s.assembled.data() + filled, p.bytes.data() + (filled - p.offset),
                    piece_end - filled);
        filled = piece_end;
    }
    ReassembledDatagram out{d->protocol, ByteView(s.assembled.data(), length)};
    ++s.stats.datagrams;
    s.total_held -= d->held;
    s.table.erase(key);
    return out;
}

void IpReassembler::finish() {
    State& s = *state_;
    s.table.expire_oldest_while([](const Datagram&) { return true; },
                                [&](Datagram& d) { s.forget(d); });
}

}  // namespace coapjws::scan
