// CoAP over TCP (RFC 8323) from captured TCP segments: each direction of each
// connection is put back together as a byte stream and cut into messages by
// their Len fields (coap_tcp_message_size()). Several messages in one segment,
// one message over several segments, retransmitted, overlapping and
// out-of-order segments are all handled; a message belongs to the segment
// that completes it — the one that brings its last missing byte — as
// Wireshark shows a reassembled PDU on the frame that completes it.
//
// coapjws-scan and the Wireshark plugin both feed their segments through
// this one class, in capture order, so they cut the same messages and give
// them to the same frames.
//
// What cannot be analysed is counted, never guessed at:
// - A direction whose start (SYN) is not in the capture, or that continues
//   after a hole that was never filled, has no known message boundary. It is
//   analysed again from the first segment whose bytes are whole, well-formed
//   CoAP messages up to the segment's end (or up to a message that continues
//   in the next segment); the bytes before are `unsynced_bytes`. (Wireshark
//   4.0 simply assumes that the first segment it sees starts a message.)
// - A hole (a segment never captured) is waited for while later segments are
//   kept, until `hole_timeout_ns` of capture time has passed or the kept
//   bytes exceed the direction's budget; then it counts as a gap.
// - A direction that starts with a TLS record is encrypted: `tls_bytes`.
// - A message announcing more than `max_message_bytes` is skipped by its
//   length, unread.
// Memory is bounded: a budget of kept bytes per direction and in total, and a
// fixed number of directions (least recently used forgotten first).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "coapjws/bytes.hpp"
#include "coapjws/endpoint.hpp"

namespace coapjws {

struct TcpSegment {
    Endpoint src;
    Endpoint dst;
    std::uint32_t seq = 0;  // sequence number as on the wire
    bool syn = false;
    bool fin = false;
    bool rst = false;
    std::int64_t time_ns = 0;  // capture time: ages holes
    ByteView payload;          // the captured payload
    // Payload bytes on the wire after `payload` that the capture did not keep
    // (snapshot length): a hole that can never be filled.
    std::uint32_t uncaptured = 0;
};

struct TcpMessage {
    ByteView bytes;  // one whole CoAP-over-TCP message, Len/TKL byte first
    // Where the message lies in the segment's `payload`, when it lies wholly
    // in it; nullopt when it was put together from earlier segments.
    std::optional<std::uint32_t> offset_in_segment;
};

struct TcpStreamLimits {
    std::size_t max_directions = 65536;
    std::size_t max_bytes_per_direction = std::size_t{1}
                                          << 20;  // partial message + waiting segments
    std::size_t max_bytes_total = std::size_t{256} << 20;
    std::uint64_t max_message_bytes = std::uint64_t{1} << 20;
    std::int64_t hole_timeout_ns = std::int64_t{10'000'000'000};
};

struct TcpStreamStats {
    std::uint64_t directions = 0;        // one-way byte streams seen
    std::uint64_t messages = 0;          // whole messages handed out
    std::uint64_t unknown_start = 0;     // directions whose SYN was not captured
    std::uint64_t unsynced_bytes = 0;    // skipped while no message boundary was known
    std::uint64_t gaps = 0;              // holes never filled
    std::uint64_t gap_bytes = 0;         // bytes missing in those holes
    std::uint64_t incomplete_bytes = 0;  // bytes of messages whose rest never came
    std::uint64_t tls_directions = 0;    // directions carrying TLS records
    std::uint64_t tls_bytes = 0;
    std::uint64_t oversized_messages = 0;   // longer than max_message_bytes, skipped
    std::uint64_t retransmitted_bytes = 0;  // bytes seen again (first copy kept)
    std::uint64_t evictions = 0;            // directions forgotten to stay in budget
};

class CoapTcpStreams {
  public:
    explicit CoapTcpStreams(TcpStreamLimits limits = {});
    CoapTcpStreams(CoapTcpStreams&&) noexcept;
    CoapTcpStreams& operator=(CoapTcpStreams&&) noexcept;
    ~CoapTcpStreams();

    // Takes one segment, in capture order; returns the messages it completes,
    // in stream order. The views stay valid until the next call to add() or
    // finish().
    std::span<const TcpMessage> add(const TcpSegment& segment);

    // The end of the capture: whatever is still waiting is counted as not
    // analysed (partial messages, bytes behind a hole). Streams are forgotten.
    void finish();

    const TcpStreamStats& stats() const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace coapjws
