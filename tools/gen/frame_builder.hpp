// Wraps a UDP payload in IPv4 or IPv6 and a link layer, as a capture on that
// link would show it: Ethernet (optionally with 802.1Q / QinQ tags), Linux
// cooked capture v1 and v2, raw IP, BSD loopback. Checksums are computed, so
// Wireshark's checksum validation finds them correct.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "coapjws/bytes.hpp"
#include "coapjws/endpoint.hpp"
#include "coapjws/result.hpp"

namespace coapjws::gen {

enum class LinkType : std::uint8_t { ethernet, sll, sll2, raw, null };

// The LINKTYPE_ value written in the pcap file header.
std::uint32_t linktype_number(LinkType link);

using Mac = std::array<std::uint8_t, 6>;

struct FrameEndpoint {
    Endpoint endpoint;
    Mac mac{};
    bool capture_host = false;  // the machine the capture was taken on (SLL packet type)
};

enum class Ipv6Extension : std::uint8_t { hop_by_hop = 0, destination = 60 };

struct FrameOptions {
    // Ethernet only: tags from outermost to innermost; two or more make QinQ
    // (outer TPID 0x88a8, inner 0x8100).
    std::vector<std::uint16_t> vlan;
    std::uint8_t hop_limit = 64;  // IPv4 TTL / IPv6 Hop Limit
    std::uint16_t ipv4_id = 0;
    std::vector<Ipv6Extension> ipv6_extensions;  // in order, before UDP
};

// The Ethernet address a host uses for an IP multicast group (RFC 1112 §6.4,
// RFC 2464 §7).
Mac multicast_mac(const Address& group);

// Errors: address families differ, or a payload too large for one datagram.
Result<Bytes> build_udp_frame(LinkType link, const FrameEndpoint& src, const FrameEndpoint& dst,
                              const FrameOptions& options, ByteView udp_payload);

// A byte range [begin, end) of an IP datagram's fragmentable part.
struct FragmentRange {
    static constexpr std::uint32_t to_the_end = UINT32_MAX;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;  // or to_the_end
};

// The UDP datagram cut into IP fragments, one frame per range (RFC 791 §3.2,
// RFC 8200 §4.5): `ranges` index the UDP datagram (header included); every
// range but one ending at its end must start and end on a multiple of 8.
// IPv4 uses `options.ipv4_id` as Identification, IPv6 a Fragment header with
// it as Identification, after any hop-by-hop header (the unfragmentable part)
// and before the other extension headers (fragmentable). Ranges may overlap
// or repeat (as retransmissions and re-fragmenting routers make them).
Result<std::vector<Bytes>> build_udp_fragments(LinkType link, const FrameEndpoint& src,
                                               const FrameEndpoint& dst,
                                               const FrameOptions& options, ByteView udp_payload,
                                               std::span<const FragmentRange> ranges);
// The size of the UDP datagram (header included) a payload makes.
inline std::size_t udp_datagram_size(std::size_t payload) {
    return payload + 8;
}

// TCP flags (RFC 9293 §3.1).
namespace tcp_flag {
inline constexpr std::uint8_t fin = 0x01;
inline constexpr std::uint8_t syn = 0x02;
inline constexpr std::uint8_t rst = 0x04;
inline constexpr std::uint8_t psh = 0x08;
inline constexpr std::uint8_t ack = 0x10;
}  // namespace tcp_flag

struct TcpFields {
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 65535;
};

// A TCP segment (20-byte header, checksum computed) in IPv4 or IPv6 and the link.
Result<Bytes> build_tcp_frame(LinkType link, const FrameEndpoint& src, const FrameEndpoint& dst,
                              const FrameOptions& options, const TcpFields& tcp, ByteView payload);

// RFC 1071 Internet checksum over `data`, starting from a partial `sum`.
std::uint16_t internet_checksum(ByteView data, std::uint32_t sum = 0);

}  // namespace coapjws::gen
