#include "link_layer.hpp"

#include <pcap/dlt.h>

namespace coapjws::scan {

namespace {

constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_ipv6 = 0x86dd;
constexpr std::uint16_t ethertype_vlan = 0x8100;       // 802.1Q
constexpr std::uint16_t ethertype_qinq = 0x88a8;       // 802.1ad service tag
constexpr std::uint16_t ethertype_qinq_old1 = 0x9100;  // pre-standard QinQ
constexpr std::uint16_t ethertype_qinq_old2 = 0x9200;
constexpr std::size_t max_vlan_tags = 8;  // far beyond real stacks; bounds the loop

// Raw-IP link types that the file may carry under numbers libpcap does not
// remap (LINKTYPE_RAW is 101; BSD/OS used 14).
constexpr int linktype_raw = 101;
constexpr int dlt_raw_bsdos = 14;

// BSD address family values for IPv6 differ by OS (Linux 10, NetBSD/OpenBSD
// 24, FreeBSD 28, Darwin 30); IPv4 is 2 everywhere.
constexpr std::uint32_t af_inet = 2;
bool is_af_inet6(std::uint32_t af) {
    return af == 10 || af == 24 || af == 28 || af == 30;
}

std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
std::uint32_t be32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

LinkPayload by_ip_version(ByteView packet) {
    if (packet.empty())
        return {};
    switch (packet[0] >> 4) {
        case 4:
            return {NetworkProtocol::ipv4, packet, 0};
        case 6:
            return {NetworkProtocol::ipv6, packet, 0};
        default:
            return {};
    }
}

// Follows an EtherType through VLAN tags to IPv4/IPv6. `rest` starts right
// after the 2-byte type field.
LinkPayload by_ethertype(std::uint16_t type, ByteView rest) {
    std::uint16_t vlan = 0;
    for (std::size_t tags = 0; tags <= max_vlan_tags; ++tags) {
        switch (type) {
            case ethertype_ipv4:
                return {NetworkProtocol::ipv4, rest, vlan};
            case ethertype_ipv6:
                return {NetworkProtocol::ipv6, rest, vlan};
            case ethertype_vlan:
            case ethertype_qinq:
            case ethertype_qinq_old1:
            case ethertype_qinq_old2:
                // Tag control information (2 bytes), then the next type.
                if (rest.size() < 4)
                    return {};
                vlan = be16(rest.data()) & 0x0fffu;
                type = be16(rest.data() + 2);
                rest = rest.subspan(4);
                continue;
            default:
                return {};
        }
    }
    return {};
}

LinkPayload decode_ethernet(ByteView frame) {
    if (frame.size() < 14)
        return {};
    std::uint16_t type = be16(frame.data() + 12);
    ByteView rest = frame.subspan(14);
    if (type < 0x0600) {
        // IEEE 802.3 length field: IP appears only behind LLC/SNAP
        // (AA AA 03, OUI, EtherType).
        if (rest.size() < 8 || rest[0] != 0xaa || rest[1] != 0xaa || rest[2] != 0x03)
            return {};
        type = be16(rest.data() + 6);
        rest = rest.subspan(8);
    }
    return by_ethertype(type, rest);
}

LinkPayload decode_sll(ByteView frame) {
    // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
    if (frame.size() < 16)
        return {};
    return by_ethertype(be16(frame.data() + 14), frame.subspan(16));
}

LinkPayload decode_sll2(ByteView frame) {
    // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1)
    // address length(1) address(8)
    if (frame.size() < 20)
        return {};
    return by_ethertype(be16(frame.data()), frame.subspan(20));
}

LinkPayload decode_null(ByteView frame, bool network_order) {
    if (frame.size() < 4)
        return {};
    std::uint32_t af = network_order
                           ? be32(frame.data())
                           : std::uint32_t{frame[0]} | std::uint32_t{frame[1]} << 8 |
                                 std::uint32_t{frame[2]} << 16 | std::uint32_t{frame[3]} << 24;
    // DLT_NULL is in the writer's byte order; a value with high bits set
    // was written big-endian (as Wireshark decides too).
    if (!network_order && (af & 0xffff0000u) != 0)
        af = be32(frame.data());
    ByteView rest = frame.subspan(4);
    if (af == af_inet)
        return {NetworkProtocol::ipv4, rest, 0};
    if (is_af_inet6(af))
        return {NetworkProtocol::ipv6, rest, 0};
    return {};
}

}  // namespace

bool is_supported_link_type(int link_type) {
    switch (link_type) {
        case DLT_EN10MB:
        case DLT_LINUX_SLL:
        case DLT_LINUX_SLL2:
        case DLT_RAW:
        case linktype_raw:
        case dlt_raw_bsdos:
        case DLT_IPV4:
        case DLT_IPV6:
        case DLT_NULL:
        case DLT_LOOP:
            return true;
        default:
            return false;
    }
}

LinkPayload decode_link_layer(int link_type, ByteView frame) {
    switch (link_type) {
        case DLT_EN10MB:
            return decode_ethernet(frame);
        case DLT_LINUX_SLL:
            return decode_sll(frame);
        case DLT_LINUX_SLL2:
            return decode_sll2(frame);
        case DLT_RAW:
        case linktype_raw:
        case dlt_raw_bsdos:
            return by_ip_version(frame);
        case DLT_IPV4:
            return {NetworkProtocol::ipv4, frame, 0};
        case DLT_IPV6:
            return {NetworkProtocol::ipv6, frame, 0};
        case DLT_NULL:
            return decode_null(frame, false);
        case DLT_LOOP:
            return decode_null(frame, true);
        default:
            return {};
    }
}

}  // namespace coapjws::scan
