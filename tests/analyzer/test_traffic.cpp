#include "test_traffic.hpp"

#include <pcap/dlt.h>

#include <stdexcept>

namespace coapjws::scan::test {

std::string to_string(Link link) {
    switch (link) {
        case Link::ethernet:
            return "ethernet";
        case Link::ethernet_vlan:
            return "ethernet_vlan";
        case Link::ethernet_qinq:
            return "ethernet_qinq";
        case Link::linux_sll:
            return "linux_sll";
        case Link::linux_sll2:
            return "linux_sll2";
        case Link::raw:
            return "raw";
        case Link::ipv4_linktype:
            return "ipv4_linktype";
        case Link::ipv6_linktype:
            return "ipv6_linktype";
        case Link::null_le:
            return "null_le";
        case Link::null_be:
            return "null_be";
        case Link::loop:
            return "loop";
    }
    return "?";
}

int link_type_of(Link link) {
    switch (link) {
        case Link::ethernet:
        case Link::ethernet_vlan:
        case Link::ethernet_qinq:
            return DLT_EN10MB;
        case Link::linux_sll:
            return DLT_LINUX_SLL;
        case Link::linux_sll2:
            return DLT_LINUX_SLL2;
        // In files raw IP is LINKTYPE_RAW (101); libpcap reports it as DLT_RAW.
        case Link::raw:
            return 101;
        case Link::ipv4_linktype:
            return DLT_IPV4;
        case Link::ipv6_linktype:
            return DLT_IPV6;
        case Link::null_le:
        case Link::null_be:
            return DLT_NULL;
        case Link::loop:
            return DLT_LOOP;
    }
    return -1;
}

Host host(std::uint8_t n) {
    return {{192, 0, 2, n}, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n}};
}

Bytes Traffic::ip(const Host& src, const Host& dst, std::uint8_t protocol, ByteView payload) const {
    return family_ == Family::v4 ? ipv4(src.v4, dst.v4, protocol, payload)
                                 : ipv6(src.v6, dst.v6, protocol, payload);
}

void Traffic::udp(std::int64_t time_ns, const Host& src, std::uint16_t src_port, const Host& dst,
                  std::uint16_t dst_port, ByteView payload) {
    packets_.push_back({time_ns, ip(src, dst, proto_udp, test::udp(src_port, dst_port, payload))});
}

void Traffic::tcp(std::int64_t time_ns, const Host& src, const Host& dst) {
    Bytes segment(20, 0);
    segment[0] = 0x9c;  // source port 40000
    segment[1] = 0x40;
    segment[2] = 0x16;  // destination port 5683: TCP, so still not CoAP over UDP
    segment[3] = 0x33;
    segment[12] = 0x50;  // data offset 5
    packets_.push_back({time_ns, ip(src, dst, proto_tcp, segment)});
}

void Traffic::fragmented_udp(std::int64_t time_ns, const Host& src, std::uint16_t src_port,
                             const Host& dst, std::uint16_t dst_port, ByteView payload) {
    Bytes datagram = test::udp(src_port, dst_port, payload);
    if (datagram.size() < 24)
        throw std::invalid_argument("fragmented payload too small");
    const std::size_t first = 16;  // a multiple of 8
    ByteView head(datagram.data(), first);
    ByteView tail(datagram.data() + first, datagram.size() - first);
    if (family_ == Family::v4) {
        packets_.push_back({time_ns, ipv4(src.v4, dst.v4, proto_udp, head, 0x2000)});
        packets_.push_back({time_ns + 1000, ipv4(src.v4, dst.v4, proto_udp, tail, first / 8)});
    } else {
        packets_.push_back(
            {time_ns, ipv6(src.v6, dst.v6, proto_udp, head, {Ipv6Extension{44, 8, 0x0001}})});
        packets_.push_back(
            {time_ns + 1000,
             ipv6(src.v6, dst.v6, proto_udp, tail,
                  {Ipv6Extension{44, 8, static_cast<std::uint16_t>(first / 8 << 3)}})});
    }
}

void Traffic::first_fragment_only(std::int64_t time_ns, const Host& src, std::uint16_t src_port,
                                  const Host& dst, std::uint16_t dst_port, ByteView payload) {
    fragmented_udp(time_ns, src, src_port, dst, dst_port, payload);
    packets_.pop_back();
}

std::vector<TestRecord> Traffic::records(Link link) const {
    const bool v4 = family_ == Family::v4;
    if ((link == Link::ipv4_linktype && !v4) || (link == Link::ipv6_linktype && v4)) {
        throw std::invalid_argument("link type does not carry this IP version");
    }
    const std::uint16_t ethertype = v4 ? 0x0800 : 0x86dd;
    // BSD address families: AF_INET 2; AF_INET6 as FreeBSD (28) / Darwin (30).
    const std::uint32_t af = v4 ? 2 : (link == Link::null_be ? 28 : 30);
    std::vector<TestRecord> out;
    out.reserve(packets_.size());
    for (const IpPacket& p : packets_) {
        Bytes frame;
        switch (link) {
            case Link::ethernet:
                frame = ethernet(ethertype, p.bytes);
                break;
            case Link::ethernet_vlan:
                frame = ethernet(ethertype, p.bytes, {0x8100});
                break;
            case Link::ethernet_qinq:
                frame = ethernet(ethertype, p.bytes, {0x88a8, 0x8100});
                break;
            case Link::linux_sll:
                frame = linux_sll(ethertype, p.bytes);
                break;
            case Link::linux_sll2:
                frame = linux_sll2(ethertype, p.bytes);
                break;
            case Link::raw:
            case Link::ipv4_linktype:
            case Link::ipv6_linktype:
                frame = p.bytes;
                break;
            case Link::null_le:
                frame = bsd_null(af, false, p.bytes);
                break;
            case Link::null_be:
                frame = bsd_null(af, true, p.bytes);
                break;
            case Link::loop:
                frame = bsd_null(af, true, p.bytes);
                break;
        }
        // Ethernet pads frames to the 60-byte minimum (without FCS).
        if (link == Link::ethernet && frame.size() < 60)
            frame.resize(60, 0);
        out.push_back({p.time_ns, std::move(frame), 0});
    }
    return out;
}

}  // namespace coapjws::scan::test
