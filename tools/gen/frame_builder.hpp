// Wraps a UDP payload in IPv4 or IPv6 and a link layer, as a capture on that
// link would show it: Ethernet (optionally with 802.1Q / QinQ tags), Linux
// cooked capture v1 and v2, raw IP, BSD loopback. Checksums are computed, so
// Wireshark's checksum validation finds them correct.
#pragma once

#include <array>
#include <cstdint>
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

// RFC 1071 Internet checksum over `data`, starting from a partial `sum`.
std::uint16_t internet_checksum(ByteView data, std::uint32_t sum = 0);

}  // namespace coapjws::gen
