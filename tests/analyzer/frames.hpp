// Builds link-layer frames, IP packets and UDP datagrams by their RFC/IEEE
// layouts, for feeding the decoder and writing test captures.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "coapjws/bytes.hpp"

namespace coapjws::scan::test {

using Ipv4 = std::array<std::uint8_t, 4>;
using Ipv6 = std::array<std::uint8_t, 16>;

constexpr std::uint8_t proto_udp = 17;
constexpr std::uint8_t proto_tcp = 6;

// UDP header (checksum 0: "not computed", legal over IPv4; the analyzer does
// not check checksums on either family) followed by the payload.
Bytes udp(std::uint16_t src_port, std::uint16_t dst_port, ByteView payload);

// A 20-byte TCP header (no options, window 65535, checksum 0) and payload.
// Flags: 0x01 FIN, 0x02 SYN, 0x04 RST, 0x10 ACK.
Bytes tcp(std::uint16_t src_port, std::uint16_t dst_port, std::uint32_t seq, std::uint8_t flags,
          ByteView payload);

// A 20-byte IPv4 header (+ `options`, a multiple of 4 bytes) and payload.
Bytes ipv4(Ipv4 src, Ipv4 dst, std::uint8_t protocol, ByteView payload,
           std::uint16_t flags_and_offset = 0, ByteView options = {});

// An IPv6 extension header of `type` with `next` and enough zero bytes to
// make `size` (a multiple of 8; AH: a multiple of 4, at least 12).
struct Ipv6Extension {
    std::uint8_t type;
    std::size_t size;
    std::uint16_t fragment_offset_flags = 0;  // only for type 44
};
// The fixed IPv6 header, the extension chain, then `payload` whose type is
// `last_next`.
Bytes ipv6(Ipv6 src, Ipv6 dst, std::uint8_t last_next, ByteView payload,
           std::initializer_list<Ipv6Extension> extensions = {});

// Ethernet II with optional VLAN tags (each a TPID: 0x8100, 0x88a8, ...).
Bytes ethernet(std::uint16_t ethertype, ByteView payload,
               std::initializer_list<std::uint16_t> tags = {});
// IEEE 802.3 with LLC/SNAP encapsulating `ethertype`.
Bytes ethernet_snap(std::uint16_t ethertype, ByteView payload);
Bytes linux_sll(std::uint16_t protocol, ByteView payload);
Bytes linux_sll2(std::uint16_t protocol, ByteView payload);
// BSD null/loopback: 4-byte address family in the given byte order.
Bytes bsd_null(std::uint32_t family, bool big_endian, ByteView payload);

Bytes concat(ByteView a, ByteView b);

// Hex digits with any spaces between them ("0800 4500"); throws on anything else.
Bytes hex(std::string_view text);

}  // namespace coapjws::scan::test
