#include "tcp.hpp"

namespace coapjws::scan {

TcpHeader decode_tcp(ByteView segment, bool cut_by_snaplen) {
    TcpHeader t;
    if (segment.size() < 20) {
        t.outcome = cut_by_snaplen ? TcpOutcome::snapped : TcpOutcome::malformed;
        return t;
    }
    const std::uint8_t* h = segment.data();
    const std::size_t header_length = static_cast<std::size_t>(h[12] >> 4) * 4;
    if (header_length < 20)
        return t;
    if (header_length > segment.size()) {
        t.outcome = cut_by_snaplen ? TcpOutcome::snapped : TcpOutcome::malformed;
        return t;
    }
    t.src_port = static_cast<std::uint16_t>(h[0] << 8 | h[1]);
    t.dst_port = static_cast<std::uint16_t>(h[2] << 8 | h[3]);
    t.seq = std::uint32_t{h[4]} << 24 | std::uint32_t{h[5]} << 16 | std::uint32_t{h[6]} << 8 | h[7];
    const std::uint8_t flags = h[13];
    t.fin = (flags & 0x01) != 0;
    t.syn = (flags & 0x02) != 0;
    t.rst = (flags & 0x04) != 0;
    t.payload = segment.subspan(header_length);
    t.outcome = TcpOutcome::ok;
    return t;
}

}  // namespace coapjws::scan
