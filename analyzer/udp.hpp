// The UDP header (RFC 768) and the port filter that picks CoAP datagrams.
#pragma once

#include <bitset>
#include <cstdint>
#include <span>

#include "coapjws/bytes.hpp"

namespace coapjws::scan {

enum class UdpOutcome : std::uint8_t { ok, malformed, snapped };

struct UdpDatagram {
    UdpOutcome outcome = UdpOutcome::malformed;
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    ByteView payload;  // trimmed to the UDP length field
};

// `datagram` is the IP payload (header included).
UdpDatagram decode_udp(ByteView datagram, bool cut_by_snaplen);

// A datagram is CoAP when its source or destination port is in the set —
// the rule Wireshark's CoAP dissector registration ("udp.port") applies.
class PortFilter {
  public:
    explicit PortFilter(std::span<const std::uint16_t> ports) {
        for (std::uint16_t p : ports)
            ports_.set(p);
    }
    bool matches(std::uint16_t src, std::uint16_t dst) const {
        return ports_.test(src) || ports_.test(dst);
    }

  private:
    std::bitset<65536> ports_;
};

}  // namespace coapjws::scan
