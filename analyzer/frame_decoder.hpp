// From a captured record to a CoAP datagram: link layer, IP, UDP, port
// filter. Counts what it skips, so the summary can say why packets were not
// analysed. No allocation per packet: everything is a view into the record.
#pragma once

#include <cstdint>

#include "capture_reader.hpp"
#include "coapjws/session.hpp"
#include "udp.hpp"

namespace coapjws::scan {

struct DecodeCounters {
    std::uint64_t packets = 0;      // records seen
    std::uint64_t not_ip = 0;       // no IPv4/IPv6 behind the link layer
    std::uint64_t not_udp = 0;      // IP, another protocol
    std::uint64_t fragments = 0;    // IPv4 or IPv6 fragments (not reassembled)
    std::uint64_t malformed = 0;    // broken IP or UDP header
    std::uint64_t snapped = 0;      // cut by the snapshot length before the CoAP payload ended
    std::uint64_t other_ports = 0;  // UDP on ports not in --port
    std::uint64_t dtls = 0;         // DTLS records on a CoAP port (encrypted: not CoAP)
    std::uint64_t coap = 0;         // handed to the session

    DecodeCounters& operator+=(const DecodeCounters& o);
};

class FrameDecoder {
  public:
    explicit FrameDecoder(const PortFilter& ports) : ports_(ports) {}

    // True when the record carries a UDP datagram on a CoAP port; then
    // `packet` describes it (its bytes view the record).
    bool decode(const CaptureRecord& record, Packet& packet);

    const DecodeCounters& counters() const { return counters_; }

  private:
    const PortFilter& ports_;
    DecodeCounters counters_;
};

}  // namespace coapjws::scan
