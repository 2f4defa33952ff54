#include "gen/frame_builder.hpp"

#include "gen/try.hpp"

namespace coapjws::gen {

namespace {
constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_ipv6 = 0x86dd;
constexpr std::uint16_t tpid_8021q = 0x8100;
constexpr std::uint16_t tpid_8021ad = 0x88a8;
constexpr std::uint8_t ip_proto_tcp = 6;
constexpr std::uint8_t ip_proto_udp = 17;
constexpr std::uint8_t ip_proto_fragment = 44;
constexpr std::size_t udp_header_size = 8;

void put16(Bytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}
void put32(Bytes& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v));
}
void put_bytes(Bytes& out, ByteView bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

ByteView address_bytes(const Address& a) {
    return ByteView(a.bytes.data(), a.family == AddressFamily::ipv4 ? 4 : 16);
}

std::uint32_t checksum_sum(ByteView data, std::uint32_t sum) {
    for (std::size_t i = 0; i + 1 < data.size(); i += 2) {
        sum += static_cast<std::uint32_t>(data[i]) << 8 | data[i + 1];
    }
    if (data.size() % 2)
        sum += static_cast<std::uint32_t>(data.back()) << 8;
    return sum;
}

std::uint16_t fold(std::uint32_t sum) {
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

Bytes udp_datagram(const Endpoint& src, const Endpoint& dst, ByteView payload) {
    Bytes udp;
    auto length = static_cast<std::uint16_t>(udp_header_size + payload.size());
    put16(udp, src.port);
    put16(udp, dst.port);
    put16(udp, length);
    put16(udp, 0);  // checksum, filled below
    put_bytes(udp, payload);

    // Pseudo-header: RFC 768 for IPv4, RFC 8200 §8.1 for IPv6.
    std::uint32_t sum = checksum_sum(address_bytes(src.address), 0);
    sum = checksum_sum(address_bytes(dst.address), sum);
    sum += ip_proto_udp;
    sum += length;
    std::uint16_t checksum = fold(checksum_sum(udp, sum));
    if (checksum == 0)
        checksum = 0xffff;  // 0 means "no checksum" on the wire
    udp[6] = static_cast<std::uint8_t>(checksum >> 8);
    udp[7] = static_cast<std::uint8_t>(checksum);
    return udp;
}

// Linux packet types (if_packet.h): who the frame was for, seen from the
// capturing host.
std::uint8_t sll_packet_type(const FrameEndpoint& src, const FrameEndpoint& dst) {
    if (src.capture_host)
        return 4;  // PACKET_OUTGOING
    if (dst.endpoint.address.is_multicast())
        return 2;  // PACKET_MULTICAST
    if (dst.capture_host)
        return 0;  // PACKET_HOST
    return 3;      // PACKET_OTHERHOST
}
}  // namespace

std::uint32_t linktype_number(LinkType link) {
    switch (link) {
        case LinkType::ethernet:
            return 1;
        case LinkType::sll:
            return 113;
        case LinkType::sll2:
            return 276;
        case LinkType::raw:
            return 101;
        case LinkType::null:
            return 0;
    }
    return 1;
}

Mac multicast_mac(const Address& group) {
    if (group.family == AddressFamily::ipv4) {
        return {0x01,           0x00,
                0x5e,           static_cast<std::uint8_t>(group.bytes[1] & 0x7f),
                group.bytes[2], group.bytes[3]};
    }
    return {0x33, 0x33, group.bytes[12], group.bytes[13], group.bytes[14], group.bytes[15]};
}

std::uint16_t internet_checksum(ByteView data, std::uint32_t sum) {
    return fold(checksum_sum(data, sum));
}

namespace {

Status check_frame(LinkType link, const FrameEndpoint& src, const FrameEndpoint& dst,
                   const FrameOptions& options) {
    const Address& sa = src.endpoint.address;
    const Address& da = dst.endpoint.address;
    if (sa.family != da.family || sa.family == AddressFamily::none) {
        return fail(ErrorCode::invalid_argument,
                    "source " + src.endpoint.to_string() + " and destination " +
                        dst.endpoint.to_string() + " are not of one IP version");
    }
    if (!options.vlan.empty() && link != LinkType::ethernet) {
        return fail(ErrorCode::invalid_argument, "VLAN tags need an Ethernet link");
    }
    if (sa.family == AddressFamily::ipv4 && !options.ipv6_extensions.empty()) {
        return fail(ErrorCode::invalid_argument, "IPv6 extension headers on an IPv4 packet");
    }
    return {};
}

// The link-layer header before an IP packet.
Bytes link_header(LinkType link, const FrameEndpoint& src, const FrameEndpoint& dst,
                  const FrameOptions& options, bool v4) {
    const Address& da = dst.endpoint.address;
    const std::uint16_t ethertype = v4 ? ethertype_ipv4 : ethertype_ipv6;
    Bytes frame;
    switch (link) {
        case LinkType::ethernet: {
            Mac dst_mac = da.is_multicast() ? multicast_mac(da) : dst.mac;
            put_bytes(frame, dst_mac);
            put_bytes(frame, src.mac);
            for (std::size_t i = 0; i < options.vlan.size(); ++i) {
                bool outer_of_qinq = options.vlan.size() > 1 && i == 0;
                put16(frame, outer_of_qinq ? tpid_8021ad : tpid_8021q);
                put16(frame, static_cast<std::uint16_t>(options.vlan[i] & 0x0fff));
            }
            put16(frame, ethertype);
            break;
        }
        case LinkType::sll:  // 16-byte header, big-endian fields
            put16(frame, sll_packet_type(src, dst));
            put16(frame, 1);  // ARPHRD_ETHER
            put16(frame, 6);
            put_bytes(frame, src.mac);
            put16(frame, 0);  // address padded to 8 bytes
            put16(frame, ethertype);
            break;
        case LinkType::sll2:  // 20-byte header
            put16(frame, ethertype);
            put16(frame, 0);  // reserved
            put32(frame, 1);  // interface index
            put16(frame, 1);  // ARPHRD_ETHER
            frame.push_back(sll_packet_type(src, dst));
            frame.push_back(6);
            put_bytes(frame, src.mac);
            put16(frame, 0);
            break;
        case LinkType::raw:
            break;
        case LinkType::null: {
            // BSD loopback: the address family in the capturing host's byte
            // order; written little-endian with the values of AF_INET (2) and
            // FreeBSD/macOS AF_INET6 (28 and 30 both occur; Wireshark and
            // libpcap accept 24, 28 and 30).
            std::uint32_t family = v4 ? 2 : 30;
            for (int i = 0; i < 4; ++i)
                frame.push_back(static_cast<std::uint8_t>(family >> (8 * i)));
            break;
        }
    }
    return frame;
}

Bytes framed(LinkType link, const FrameEndpoint& src, const FrameEndpoint& dst,
             const FrameOptions& options, bool v4, ByteView ip) {
    Bytes frame = link_header(link, src, dst, options, v4);
    put_bytes(frame, ip);
    return frame;
}

// The pseudo-header sum of RFC 768 / RFC 9293 (IPv4) and RFC 8200 §8.1 (IPv6).
std::uint32_t pseudo_header_sum(const Endpoint& src, const Endpoint& dst, std::uint8_t protocol,
                                std::size_t length) {
    std::uint32_t sum = checksum_sum(address_bytes(src.address), 0);
    sum = checksum_sum(address_bytes(dst.address), sum);
    sum += protocol;
    sum += static_cast<std::uint32_t>(length >> 16) + static_cast<std::uint32_t>(length & 0xffff);
    return sum;
}

Bytes tcp_segment(const Endpoint& src, const Endpoint& dst, const TcpFields& f, ByteView payload) {
    Bytes tcp;
    put16(tcp, src.port);
    put16(tcp, dst.port);
    put32(tcp, f.seq);
    put32(tcp, f.ack);
    tcp.push_back(5 << 4);  // data offset: 5 words, no options
    tcp.push_back(f.flags);
    put16(tcp, f.window);
    put16(tcp, 0);  // checksum, filled below
    put16(tcp, 0);  // urgent pointer
    put_bytes(tcp, payload);
    const std::uint16_t checksum =
        fold(checksum_sum(tcp, pseudo_header_sum(src, dst, ip_proto_tcp, tcp.size())));
    tcp[16] = static_cast<std::uint8_t>(checksum >> 8);
    tcp[17] = static_cast<std::uint8_t>(checksum);
    return tcp;
}

Bytes ipv4_header(const Endpoint& src, const Endpoint& dst, const FrameOptions& options,
                  std::uint8_t protocol, std::size_t payload_size, std::uint16_t flags_offset) {
    Bytes ip;
    ip.push_back(0x45);  // version 4, 20-byte header
    ip.push_back(0x00);
    put16(ip, static_cast<std::uint16_t>(20 + payload_size));
    put16(ip, options.ipv4_id);
    put16(ip, flags_offset);
    ip.push_back(options.hop_limit);
    ip.push_back(protocol);
    put16(ip, 0);
    put_bytes(ip, address_bytes(src.address));
    put_bytes(ip, address_bytes(dst.address));
    std::uint16_t checksum = internet_checksum(ip);
    ip[10] = static_cast<std::uint8_t>(checksum >> 8);
    ip[11] = static_cast<std::uint8_t>(checksum);
    return ip;
}

// 8-byte extension headers (next header, length 0, PadN over the rest).
Bytes ipv6_extension_chain(std::span<const Ipv6Extension> extensions, std::uint8_t last_next) {
    Bytes chain;
    for (std::size_t i = 0; i < extensions.size(); ++i) {
        std::uint8_t next =
            i + 1 < extensions.size() ? static_cast<std::uint8_t>(extensions[i + 1]) : last_next;
        const std::uint8_t header[8] = {next, 0, 1, 4, 0, 0, 0, 0};
        chain.insert(chain.end(), header, header + 8);
    }
    return chain;
}

Bytes ipv6_header(const Endpoint& src, const Endpoint& dst, const FrameOptions& options,
                  std::uint8_t first_next, std::size_t payload_size) {
    Bytes ip;
    put32(ip, 0x60000000);
    put16(ip, static_cast<std::uint16_t>(payload_size));
    ip.push_back(first_next);
    ip.push_back(options.hop_limit);
    put_bytes(ip, address_bytes(src.address));
    put_bytes(ip, address_bytes(dst.address));
    return ip;
}

// An IP packet carrying `transport` (of `protocol`), with the options' IPv6
// extension headers.
Bytes ip_packet(const Endpoint& src, const Endpoint& dst, const FrameOptions& options,
                std::uint8_t protocol, ByteView transport) {
    if (src.address.family == AddressFamily::ipv4) {
        Bytes ip = ipv4_header(src, dst, options, protocol, transport.size(), 0x4000);
        put_bytes(ip, transport);
        return ip;
    }
    Bytes extensions = ipv6_extension_chain(options.ipv6_extensions, protocol);
    const std::uint8_t first_next =
        options.ipv6_extensions.empty()
            ? protocol
            : static_cast<std::uint8_t>(options.ipv6_extensions.front());
    Bytes ip = ipv6_header(src, dst, options, first_next, extensions.size() + transport.size());
    put_bytes(ip, extensions);
    put_bytes(ip, transport);
    return ip;
}

}  // namespace

Result<Bytes> build_udp_frame(LinkType link, const FrameEndpoint& src, const FrameEndpoint& dst,
                              const FrameOptions& options, ByteView udp_payload) {
    GEN_CHECK(check_frame(link, src, dst, options));
    if (udp_payload.size() > 65000)
        return fail(ErrorCode::too_large, "UDP payload too large for one datagram");
    const bool v4 = src.endpoint.address.family == AddressFamily::ipv4;
    Bytes udp = udp_datagram(src.endpoint, dst.endpoint, udp_payload);
    Bytes ip = ip_packet(src.endpoint, dst.endpoint, options, ip_proto_udp, udp);
    return framed(link, src, dst, options, v4, ip);
}

Result<std::vector<Bytes>> build_udp_fragments(LinkType link, const FrameEndpoint& src,
                                               const FrameEndpoint& dst,
                                               const FrameOptions& options, ByteView udp_payload,
                                               std::span<const FragmentRange> ranges) {
    GEN_CHECK(check_frame(link, src, dst, options));
    if (udp_payload.size() > 65000)
        return fail(ErrorCode::too_large, "UDP payload too large for one datagram");
    const bool v4 = src.endpoint.address.family == AddressFamily::ipv4;
    const Bytes udp = udp_datagram(src.endpoint, dst.endpoint, udp_payload);
    std::vector<Bytes> frames;
    for (const FragmentRange& r : ranges) {
        if (r.begin >= r.end || r.end > udp.size())
            return fail(ErrorCode::invalid_argument,
                        "fragment [" + std::to_string(r.begin) + ", " + std::to_string(r.end) +
                            ") is not inside the " + std::to_string(udp.size()) + "-byte datagram");
        const bool last = r.end == udp.size();
        if (r.begin % 8 != 0 || (!last && r.end % 8 != 0))
            return fail(ErrorCode::invalid_argument,
                        "fragment [" + std::to_string(r.begin) + ", " + std::to_string(r.end) +
                            "): fragments start and end on multiples of 8 (but the last)");
        const ByteView data = ByteView(udp).subspan(r.begin, r.end - r.begin);
        const auto offset_units = static_cast<std::uint16_t>(r.begin / 8);
        Bytes ip;
        if (v4) {
            const std::uint16_t flags_offset =
                static_cast<std::uint16_t>((last ? 0 : 0x2000) | offset_units);
            ip = ipv4_header(src.endpoint, dst.endpoint, options, ip_proto_udp, data.size(),
                             flags_offset);
            put_bytes(ip, data);
        } else {
            // Unfragmentable part: hop-by-hop headers; the rest goes behind
            // the Fragment header.
            std::vector<Ipv6Extension> before, after;
            for (Ipv6Extension e : options.ipv6_extensions)
                (e == Ipv6Extension::hop_by_hop && after.empty() ? before : after).push_back(e);
            if (!after.empty())
                return fail(ErrorCode::invalid_argument,
                            "extension headers after a fragment header are not generated");
            Bytes chain = ipv6_extension_chain(before, ip_proto_fragment);
            Bytes fragment_header = {ip_proto_udp, 0};
            put16(fragment_header, static_cast<std::uint16_t>(offset_units << 3 | (last ? 0 : 1)));
            put32(fragment_header, options.ipv4_id);  // the Identification
            const std::uint8_t first_next =
                before.empty() ? ip_proto_fragment : static_cast<std::uint8_t>(before.front());
            ip = ipv6_header(src.endpoint, dst.endpoint, options, first_next,
                             chain.size() + fragment_header.size() + data.size());
            put_bytes(ip, chain);
            put_bytes(ip, fragment_header);
            put_bytes(ip, data);
        }
        frames.push_back(framed(link, src, dst, options, v4, ip));
    }
    return frames;
}

Result<Bytes> build_tcp_frame(LinkType link, const FrameEndpoint& src, const FrameEndpoint& dst,
                              const FrameOptions& options, const TcpFields& tcp, ByteView payload) {
    GEN_CHECK(check_frame(link, src, dst, options));
    if (payload.size() > 65000)
        return fail(ErrorCode::too_large, "TCP payload too large for one segment");
    const bool v4 = src.endpoint.address.family == AddressFamily::ipv4;
    Bytes segment = tcp_segment(src.endpoint, dst.endpoint, tcp, payload);
    Bytes ip = ip_packet(src.endpoint, dst.endpoint, options, ip_proto_tcp, segment);
    return framed(link, src, dst, options, v4, ip);
}

}  // namespace coapjws::gen
