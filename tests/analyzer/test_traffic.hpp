// IP traffic for end-to-end captures: datagrams between hosts, wrapped in
// any of the link layers the analyzer reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture_file.hpp"
#include "frames.hpp"

namespace coapjws::scan::test {

enum class Family { v4, v6 };

enum class Link {
    ethernet,
    ethernet_vlan,  // one 802.1Q tag
    ethernet_qinq,  // 802.1ad + 802.1Q
    linux_sll,
    linux_sll2,
    raw,            // DLT_RAW
    ipv4_linktype,  // LINKTYPE_IPV4 (IPv4 only)
    ipv6_linktype,  // LINKTYPE_IPV6 (IPv6 only)
    null_le,        // DLT_NULL written on a little-endian host
    null_be,        // DLT_NULL written on a big-endian host
    loop,           // DLT_LOOP
};
std::string to_string(Link link);
int link_type_of(Link link);

struct Host {
    Ipv4 v4;
    Ipv6 v6;
};
// 192.0.2.N and 2001:db8::N
Host host(std::uint8_t n);

class Traffic {
  public:
    explicit Traffic(Family family) : family_(family) {}

    void udp(std::int64_t time_ns, const Host& src, std::uint16_t src_port, const Host& dst,
             std::uint16_t dst_port, ByteView payload);
    // A TCP segment (not analysed, but counted as a packet).
    void tcp(std::int64_t time_ns, const Host& src, const Host& dst);
    // A UDP datagram to dst_port sent as two IP fragments (two packets).
    void fragmented_udp(std::int64_t time_ns, const Host& src, std::uint16_t src_port,
                        const Host& dst, std::uint16_t dst_port, ByteView payload);
    // Only the first of those two fragments: the datagram never completes
    // (one packet).
    void first_fragment_only(std::int64_t time_ns, const Host& src, std::uint16_t src_port,
                             const Host& dst, std::uint16_t dst_port, ByteView payload);

    std::size_t size() const { return packets_.size(); }
    Family family() const { return family_; }
    std::vector<TestRecord> records(Link link) const;
    Bytes capture(CaptureFormat format, Link link) const {
        return make_capture(format, static_cast<std::uint32_t>(link_type_of(link)), records(link));
    }

  private:
    Bytes ip(const Host& src, const Host& dst, std::uint8_t protocol, ByteView payload) const;
    struct IpPacket {
        std::int64_t time_ns;
        Bytes bytes;
    };
    Family family_;
    std::vector<IpPacket> packets_;
};

}  // namespace coapjws::scan::test
