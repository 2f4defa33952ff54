// IPv4 and IPv6 decoding down to the transport payload. IPv6 extension
// headers (hop-by-hop, routing, destination options, fragment, AH) are
// followed. A fragment is handed back with what reassembly needs (its
// identification, offset and More flag); IpReassembler puts datagrams
// together.
#pragma once

#include <cstdint>

#include "coapjws/bytes.hpp"
#include "coapjws/endpoint.hpp"
#include "link_layer.hpp"

namespace coapjws::scan {

enum class IpOutcome : std::uint8_t {
    udp,             // `payload` is the UDP datagram (header included)
    tcp,             // `payload` is the TCP segment (header included)
    fragment,        // part of a fragmented datagram: `fragment`, `protocol`, `payload`
    other_protocol,  // neither UDP nor TCP (ICMP, ESP, no next header, ...)
    malformed,       // a header does not fit or is inconsistent
    snapped,         // cut short by the capture's snapshot length
};

constexpr std::uint8_t ip_protocol_tcp = 6;
constexpr std::uint8_t ip_protocol_udp = 17;

struct IpFragmentInfo {
    std::uint32_t id = 0;      // IPv4 Identification (16 bits) or IPv6 Identification
    std::uint32_t offset = 0;  // of this fragment's data in the datagram, in bytes
    bool more = false;         // More Fragments
};

struct IpPacket {
    IpOutcome outcome = IpOutcome::malformed;
    bool ipv6 = false;
    Address src;
    Address dst;
    // The transport protocol; for a fragment, the protocol of the datagram
    // (IPv4) or the Next Header of the fragment header (IPv6).
    std::uint8_t protocol = 0;
    ByteView payload;  // the transport layer (a fragment's data), trimmed to the IP lengths
    // TCP only: bytes of the segment the snapshot length cut off after
    // `payload` (a cut TCP segment is still handed on, so its stream knows
    // where the hole is; anything else cut is `snapped`).
    std::uint32_t uncaptured = 0;
    IpFragmentInfo fragment;
};

// `cut_by_snaplen`: the record was captured shorter than it was on the wire,
// so a length beyond the captured bytes is `snapped`, not `malformed`.
IpPacket decode_ip(NetworkProtocol protocol, ByteView packet, bool cut_by_snaplen);

// A reassembled IPv6 datagram's fragmentable part: the headers that follow
// the fragment header (`next_header` first), then the transport. `packet`
// keeps its addresses; outcome, protocol and payload are filled in.
void decode_ipv6_fragmentable_part(std::uint8_t next_header, ByteView bytes, IpPacket& packet);

}  // namespace coapjws::scan
