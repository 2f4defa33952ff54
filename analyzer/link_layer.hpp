// Link-layer decoding: from a captured frame to the IP packet it carries.
// Supported: Ethernet (with 802.1Q/802.1ad/QinQ tags and LLC/SNAP), Linux
// cooked capture v1 and v2, raw IP (DLT_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6)
// and BSD null/loopback (DLT_NULL, DLT_LOOP).
#pragma once

#include <cstdint>
#include <string>

#include "coapjws/bytes.hpp"

namespace coapjws::scan {

enum class NetworkProtocol : std::uint8_t { ipv4, ipv6, other };

struct LinkPayload {
    NetworkProtocol protocol = NetworkProtocol::other;
    ByteView packet;         // the network-layer packet (a view into the frame)
    std::uint16_t vlan = 0;  // innermost 802.1Q/802.1ad VLAN ID, 0 if untagged
};

// Link types are LINKTYPE_/DLT_ values, as in pcap and pcapng files.
// (link_type_name(), in capture_reader.hpp, names them.)
bool is_supported_link_type(int link_type);

// Never reads outside `frame`; anything it cannot follow is `other`.
LinkPayload decode_link_layer(int link_type, ByteView frame);

}  // namespace coapjws::scan
