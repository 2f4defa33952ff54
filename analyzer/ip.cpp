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

    // Fragments are counted even when the capture cut them short.
    std::uint16_t flags_offset = be16(p.data() + 6);
    bool more_fragments = (flags_offset & 0x2000u) != 0;
    std::uint16_t fragment_offset = flags_offset & 0x1fffu;
    if (more_fragments || fragment_offset != 0) {
        r.outcome = IpOutcome::fragment;
        return r;
    }

    if (header_length > p.size())
        return too_long(cut);
    std::size_t total_length = be16(p.data() + 2);
    // 0 is what TCP/UDP segmentation offload leaves in captures taken on
    // the sending host: take the captured length.
    if (total_length == 0)
        total_length = p.size();
    if (total_length < header_length)
        return r;
    if (total_length > p.size())
        return too_long(cut);
    // Ethernet padding after the packet is dropped by the length.
    r.payload = p.subspan(header_length, total_length - header_length);
    r.outcome = p[9] == ip_protocol_udp ? IpOutcome::udp : IpOutcome::other_protocol;
    return r;
}

IpPacket decode_ipv6(ByteView p, bool cut) {
    IpPacket r;
    if (p.size() < 40)
        return too_long(cut && !p.empty());
    if ((p[0] >> 4) != 6)
        return r;
    std::size_t payload_length = be16(p.data() + 4);
    // 0 is a jumbogram (hop-by-hop option) or offload; take what was captured.
    std::size_t end = payload_length == 0 ? p.size() : 40 + payload_length;
    if (end > p.size())
        return too_long(cut);

    std::uint8_t src[16], dst[16];
    std::memcpy(src, p.data() + 8, 16);
    std::memcpy(dst, p.data() + 24, 16);
    r.src = Address::ipv6(src);
    r.dst = Address::ipv6(dst);

    std::uint8_t next = p[6];
    std::size_t offset = 40;
    for (int n = 0; n <= max_extension_headers; ++n) {
        std::size_t left = end - offset;
        switch (next) {
            case ip_protocol_udp:
                r.payload = p.subspan(offset, left);
                r.outcome = IpOutcome::udp;
                return r;
            case nh_hop_by_hop:
            case nh_routing:
            case nh_destination: {
                if (left < 8)
                    return too_long(cut && end == p.size());
                std::size_t length = (std::size_t{p[offset + 1]} + 1) * 8;
                if (length > left)
                    return too_long(cut && end == p.size());
                next = p[offset];
                offset += length;
                continue;
            }
            case nh_ah: {
                if (left < 8)
                    return too_long(cut && end == p.size());
                std::size_t length = (std::size_t{p[offset + 1]} + 2) * 4;
                if (length > left)
                    return too_long(cut && end == p.size());
                next = p[offset];
                offset += length;
                continue;
            }
            case nh_fragment: {
                if (left < 8)
                    return too_long(cut && end == p.size());
                std::uint16_t offset_flags = be16(p.data() + offset + 2);
                bool more_fragments = (offset_flags & 1u) != 0;
                std::uint16_t fragment_offset = offset_flags >> 3;
                if (more_fragments || fragment_offset != 0) {
                    r.outcome = IpOutcome::fragment;
                    return r;
                }
                // An atomic fragment (offset 0, no more fragments) is a whole
                // packet; RFC 6946 says to process it on its own.
                next = p[offset];
                offset += 8;
                continue;
            }
            default:
                r.outcome = IpOutcome::other_protocol;
                return r;
        }
    }
    // A chain longer than any real packet needs.
    r.outcome = IpOutcome::malformed;
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

}  // namespace coapjws::scan
