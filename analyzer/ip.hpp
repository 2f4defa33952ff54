// IPv4 and IPv6 decoding down to the transport payload. IPv6 extension
// headers (hop-by-hop, routing, destination options, fragment, AH) are
// followed. Fragments are recognised and never handed on as UDP: the analyzer
// does not reassemble, it counts them.
#pragma once

#include <cstdint>

#include "coapjws/bytes.hpp"
#include "coapjws/endpoint.hpp"
#include "link_layer.hpp"

namespace coapjws::scan {

enum class IpOutcome : std::uint8_t {
    udp,             // `payload` is the UDP datagram (header included)
    fragment,        // part of a fragmented packet
    other_protocol,  // not UDP (TCP, ICMP, ESP, no next header, ...)
    malformed,       // a header does not fit or is inconsistent
    snapped,         // cut short by the capture's snapshot length
};

constexpr std::uint8_t ip_protocol_udp = 17;

struct IpPacket {
    IpOutcome outcome = IpOutcome::malformed;
    Address src;
    Address dst;
    ByteView payload;  // the transport layer, trimmed to the IP lengths
};

// `cut_by_snaplen`: the record was captured shorter than it was on the wire,
// so a length beyond the captured bytes is `snapped`, not `malformed`.
IpPacket decode_ip(NetworkProtocol protocol, ByteView packet, bool cut_by_snaplen);

}  // namespace coapjws::scan
