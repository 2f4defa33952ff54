// The TCP header (RFC 9293 §3.1): ports, sequence number, flags and where
// the payload starts. Options are skipped by the Data Offset.
#pragma once

#include <cstdint>

#include "coapjws/bytes.hpp"

namespace coapjws::scan {

enum class TcpOutcome : std::uint8_t { ok, malformed, snapped };

struct TcpHeader {
    TcpOutcome outcome = TcpOutcome::malformed;
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint32_t seq = 0;
    bool syn = false;
    bool fin = false;
    bool rst = false;
    ByteView payload;  // what the capture holds of the payload
};

// `segment` is the IP payload (header included). `cut_by_snaplen`: the
// capture kept fewer bytes than were sent, so a header running past them is
// `snapped`, not `malformed`.
TcpHeader decode_tcp(ByteView segment, bool cut_by_snaplen);

}  // namespace coapjws::scan
