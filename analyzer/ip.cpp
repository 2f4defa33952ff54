#include "ip.hpp"

#include <cstring>

namespace coapjws::scan {

namespace {

// IPv6 next-header values (IANA "Assigned Internet Protocol Numbers").
constexpr std::uint8_t nh_hop_by_hop = 0;
constexpr std::uint8_t nh_routing = 43;
constexpr std::uint8_t nh_fragment = 44;
constexpr std::uint8_t nh_ah = 51;
constexpr std::uint8_t nh_destination = 60;
// Bounds the walk over a crafted chain of extension headers.
constexpr int max_extension_headers = 32;

std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

IpPacket too_long(bool cut_by_snaplen) {
    IpPacket r;
    r.outcome = cut_by_snaplen ? IpOutcome::snapped : IpOutcome::malformed;
    return r;
}

IpOutcome transport_outcome(std::uint8_t protocol) {
    switch (protocol) {
        case ip_protocol_udp:
            return IpOutcome::udp;
        case ip_protocol_tcp:
            return IpOutcome::tcp;
        default:
            return IpOutcome::other_protocol;
    }
}

IpPacket decode_ipv4(ByteView p, bool cut) {
    IpPacket r;
    if (p.size() < 20)
        return too_long(cut && !p.empty());
    if ((p[0] >> 4) != 4)
        return r;
    std::size_t header_length = std::size_t{p[0] & 0x0fu} * 4;
    if (header_length < 20)
        return r;

    std::uint8_t src[4], dst[4];
    std::memcpy(src, p.data() + 12, 4);
    std::memcpy(dst, p.data() + 16, 4);
    r.src = Address::ipv4(src);
    r.dst = Address::ipv4(dst);

    if (header_length > p.size())
        return too_long(cut);
    std::size_t total_length = be16(p.data() + 2);
    std::uint16_t flags_offset = be16(p.data() + 6);
    const bool more_fragments = (flags_offset & 0x2000u) != 0;
    const std::uint16_t fragment_offset = flags_offset & 0x1fffu;
    const bool is_fragment = more_fragments || fragment_offset != 0;
    // 0 is what TCP/UDP segmentation offload leaves in captures taken on
    // the sending host: take the captured length (never for a fragment,
    // whose length reassembly needs).
    if (total_length == 0 && !is_fragment)
        total_length = p.size();
    if (total_length < header_length)
        return r;
    if (total_length > p.size()) {
        if (!cut || is_fragment || p[9] != ip_protocol_tcp)
            return too_long(cut);
        r.uncaptured = static_cast<std::uint32_t>(total_length - p.size());
        total_length = p.size();
    }
    // Ethernet padding after the packet is dropped by the length.
    r.payload = p.subspan(header_length, total_length - header_length);
    r.protocol = p[9];
    if (is_fragment) {
        r.fragment.id = be16(p.data() + 4);
        r.fragment.offset = std::uint32_t{fragment_offset} * 8;
        r.fragment.more = more_fragments;
        r.outcome = IpOutcome::fragment;
        return r;
    }
    r.outcome = transport_outcome(r.protocol);
    return r;
}

// Follows IPv6 extension headers from `next` at p[offset] up to p[end].
// `cut`: the bytes end where the capture cut them, so a header running past
// `end` is snapped rather than malformed.
void walk_ipv6(ByteView p, std::size_t offset, std::size_t end, std::uint8_t next, bool cut,
               bool fragments_allowed, IpPacket& r) {
    for (int n = 0; n <= max_extension_headers; ++n) {
        std::size_t left = end - offset;
        switch (next) {
            case nh_hop_by_hop:
            case nh_routing:
            case nh_destination: {
                if (left < 8)
                    return void(r.outcome = too_long(cut).outcome);
                std::size_t length = (std::size_t{p[offset + 1]} + 1) * 8;
                if (length > left)
                    return void(r.outcome = too_long(cut).outcome);
                next = p[offset];
                offset += length;
                continue;
            }
            case nh_ah: {
                if (left < 8)
                    return void(r.outcome = too_long(cut).outcome);
                std::size_t length = (std::size_t{p[offset + 1]} + 2) * 4;
                if (length > left)
                    return void(r.outcome = too_long(cut).outcome);
                next = p[offset];
                offset += length;
                continue;
            }
            case nh_fragment: {
                if (left < 8)
                    return void(r.outcome = too_long(cut).outcome);
                std::uint16_t offset_flags = be16(p.data() + offset + 2);
                bool more_fragments = (offset_flags & 1u) != 0;
                std::uint16_t fragment_offset = offset_flags >> 3;
                if (more_fragments || fragment_offset != 0) {
                    if (!fragments_allowed) {
                        r.outcome = IpOutcome::malformed;  // a fragment inside a fragment
                        return;
                    }
                    r.protocol = p[offset];
                    r.fragment.id = std::uint32_t{be16(p.data() + offset + 4)} << 16 |
                                    be16(p.data() + offset + 6);
                    r.fragment.offset = std::uint32_t{fragment_offset} * 8;
                    r.fragment.more = more_fragments;
                    r.payload = p.subspan(offset + 8, left - 8);
                    r.outcome = IpOutcome::fragment;
                    return;
                }
                // An atomic fragment (offset 0, no more fragments) is a whole
                // packet; RFC 6946 says to process it on its own.
                next = p[offset];
                offset += 8;
                continue;
            }
            default:
                r.protocol = next;
                r.payload = p.subspan(offset, left);
                r.outcome = transport_outcome(next);
                return;
        }
    }
    // A chain longer than any real packet needs.
    r.outcome = IpOutcome::malformed;
}

IpPacket decode_ipv6(ByteView p, bool cut) {
    IpPacket r;
    r.ipv6 = true;
    if (p.size() < 40)
        return too_long(cut && !p.empty());
    if ((p[0] >> 4) != 6)
        return r;
    std::size_t payload_length = be16(p.data() + 4);
    // 0 is a jumbogram (hop-by-hop option) or offload; take what was captured.
    std::size_t end = payload_length == 0 ? p.size() : 40 + payload_length;
    std::size_t uncaptured = 0;
    if (end > p.size()) {
        if (!cut) {
            IpPacket malformed = too_long(false);
            malformed.ipv6 = true;
            return malformed;
        }
        uncaptured = end - p.size();
        end = p.size();
    }

    std::uint8_t src[16], dst[16];
    std::memcpy(src, p.data() + 8, 16);
    std::memcpy(dst, p.data() + 24, 16);
    r.src = Address::ipv6(src);
    r.dst = Address::ipv6(dst);
    walk_ipv6(p, 40, end, p[6], cut && end == p.size(), true, r);
    if (uncaptured > 0) {
        // Cut by the snapshot length: only a TCP segment goes on, with its hole.
        if (r.outcome != IpOutcome::tcp) {
            IpPacket snapped = too_long(true);
            snapped.ipv6 = true;
            return snapped;
        }
        r.uncaptured = static_cast<std::uint32_t>(uncaptured);
    }
    return r;
}

}  // namespace

IpPacket decode_ip(NetworkProtocol protocol, ByteView packet, bool cut_by_snaplen) {
    switch (protocol) {
        case NetworkProtocol::ipv4:
            return decode_ipv4(packet, cut_by_snaplen);
        case NetworkProtocol::ipv6:
            return decode_ipv6(packet, cut_by_snaplen);
        case NetworkProtocol::other:
            break;
    }
    IpPacket r;
    r.outcome = IpOutcome::other_protocol;
    return r;
}

void decode_ipv6_fragmentable_part(std::uint8_t next_header, ByteView bytes, IpPacket& packet) {
    packet.outcome = IpOutcome::malformed;
    walk_ipv6(bytes, 0, bytes.size(), next_header, false, false, packet);
}

}  // namespace coapjws::scan
