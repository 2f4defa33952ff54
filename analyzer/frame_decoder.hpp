// From a captured record to the CoAP messages it carries: link layer, IP
// (with fragment reassembly), then UDP datagrams or TCP streams on the CoAP
// ports. Counts what it skips or cannot read, so the summary can say why
// traffic was not analysed. The CoAPs port (5684, RFC 7252 and RFC 8323) is
// watched even when it is not a CoAP port: DTLS records and TLS streams there
// are encrypted CoAP, which a scan must never pass as if it had read it. A UDP datagram is a view
// into the record; only reassembled datagrams and messages put together from several TCP segments
// are copied.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "capture_reader.hpp"
#include "coapjws/coap_tcp_streams.hpp"
#include "coapjws/session.hpp"
#include "ip.hpp"
#include "ip_reassembly.hpp"
#include "udp.hpp"

namespace coapjws::scan {

struct DecodeCounters {
    std::uint64_t packets = 0;      // records seen
    std::uint64_t not_ip = 0;       // no IPv4/IPv6 behind the link layer
    std::uint64_t not_udp = 0;      // IP, neither UDP nor TCP
    std::uint64_t malformed = 0;    // broken IP, UDP or TCP header
    std::uint64_t snapped = 0;      // cut by the snapshot length before the CoAP payload ended
    std::uint64_t other_ports = 0;  // UDP or TCP on ports not in --port
    std::uint64_t dtls = 0;         // DTLS records on a CoAP or the CoAPs port (encrypted)
    std::uint64_t coap = 0;         // messages handed to the session

    // Records of link types the reader cannot decode (pcapng interfaces of
    // another kind), and which types they were (a few, in order of appearance).
    std::uint64_t unsupported_link = 0;
    std::vector<int> unsupported_link_types;

    // IP reassembly.
    std::uint64_t fragments = 0;    // IPv4 or IPv6 fragments seen
    std::uint64_t reassembled = 0;  // datagrams put together from them
    std::uint64_t incomplete_datagrams =
        0;  // never completed (missing pieces, time-out, memory bound)
    std::uint64_t incomplete_fragments = 0;  // the fragments of those

    // CoAP over TCP on the CoAP ports (CoapTcpStreams).
    std::uint64_t tcp_segments = 0;          // segments with payload on a CoAP port
    std::uint64_t tcp_messages = 0;          // CoAP messages cut from them (part of `coap`)
    std::uint64_t tcp_streams = 0;           // one-way byte streams
    std::uint64_t tcp_unknown_start = 0;     // streams whose start (SYN) was not captured
    std::uint64_t tcp_unsynced_bytes = 0;    // bytes before a message boundary was found
    std::uint64_t tcp_gaps = 0;              // holes never filled (segments not captured)
    std::uint64_t tcp_gap_bytes = 0;         // bytes missing in them
    std::uint64_t tcp_incomplete_bytes = 0;  // bytes of messages whose rest never came
    std::uint64_t tcp_oversized = 0;         // messages beyond the size limit, skipped
    std::uint64_t tls_streams = 0;           // TLS on a CoAP or the CoAPs TCP port (encrypted)
    std::uint64_t tls_bytes = 0;

    // What of this was not analysed is read from the counters by one table,
    // unanalysed.hpp.
    DecodeCounters& operator+=(const DecodeCounters& o);
};

// The port of CoAP over DTLS and over TLS: watched for encrypted traffic.
inline constexpr std::uint16_t coaps_port = 5684;

class FrameDecoder {
  public:
    explicit FrameDecoder(const PortFilter& ports, IpReassemblyLimits ip_limits = {},
                          TcpStreamLimits tcp_limits = {});

    // The CoAP messages this record carries or completes (a UDP datagram, a
    // datagram this fragment completes, the TCP messages this segment
    // completes), in order. Their bytes stay valid until the next call.
    std::span<const Packet> decode(const CaptureRecord& record);

    // The end of the capture: reassemblies and streams still open are counted.
    void finish();

    // Up to date after finish(); the reassembly counts grow as records come.
    const DecodeCounters& counters();

  private:
    void transport(const CaptureRecord& record, IpOutcome outcome, const Address& src,
                   const Address& dst, ByteView payload, std::uint32_t uncaptured, bool cut);
    void udp(const CaptureRecord& record, const Address& src, const Address& dst, ByteView datagram,
             bool cut);
    void tcp(const CaptureRecord& record, const Address& src, const Address& dst, ByteView segment,
             std::uint32_t uncaptured, bool cut);
    void count_unsupported_link(int link_type);
    bool on_coaps_port(std::uint16_t src, std::uint16_t dst) const;

    const PortFilter& ports_;
    IpReassembler ip_;
    CoapTcpStreams tcp_;
    // Streams on the CoAPs port when it is not a CoAP port: only whether
    // they carry TLS is used (what else they carry is not CoAP to us).
    CoapTcpStreams coaps_tcp_;
    DecodeCounters counters_;
    std::vector<Packet> packets_;
};

}  // namespace coapjws::scan
