#include "udp.hpp"

namespace coapjws::scan {

UdpDatagram decode_udp(ByteView datagram, bool cut_by_snaplen) {
    UdpDatagram r;
    if (datagram.size() < 8) {
        r.outcome = cut_by_snaplen ? UdpOutcome::snapped : UdpOutcome::malformed;
        return r;
    }
    const std::uint8_t* h = datagram.data();
    r.src_port = static_cast<std::uint16_t>(h[0] << 8 | h[1]);
    r.dst_port = static_cast<std::uint16_t>(h[2] << 8 | h[3]);
    std::size_t length = static_cast<std::size_t>(h[4] << 8 | h[5]);
    if (length < 8) {
        r.outcome = UdpOutcome::malformed;
        return r;
    }
    if (length > datagram.size()) {
        r.outcome = cut_by_snaplen ? UdpOutcome::snapped : UdpOutcome::malformed;
        return r;
    }
    r.payload = datagram.subspan(8, length - 8);
    r.outcome = UdpOutcome::ok;
    return r;
}

}  // namespace coapjws::scan
