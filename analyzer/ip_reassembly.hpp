// IPv4 (RFC 791) and IPv6 (RFC 8200 §4.5) fragment reassembly, as Wireshark
// does it (epan/reassemble.c, fragment_add_check), so that coapjws-scan and
// the plugin see the same datagrams on the same frames:
// - fragments of one datagram share (source, destination, identification,
//   and for IPv4 the protocol; for IPv4 between private or link-local
//   addresses, the innermost VLAN too);
// - the datagram's length is set by the first fragment without More
//   Fragments; a later last fragment that disagrees changes nothing;
// - the datagram is complete on the frame whose fragment makes the data
//   contiguous from 0 to that length: that frame carries the datagram;
// - overlapping bytes keep the first copy (fragments are taken in offset
//   order, earlier arrivals first); bytes past the length are dropped;
// - a fragment that arrives after its datagram was completed starts a new
//   reassembly, which completes only if all pieces come again.
// Unlike Wireshark (which keeps every unfinished reassembly), memory and
// time are bounded: at most `max_datagrams` reassemblies and `max_bytes`
// held, each forgotten `timeout_ns` after its last fragment (60 s, RFC 8200
// §4.5's reassembly time), oldest first when a bound is reached. What is
// forgotten is counted, never passed on.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "coapjws/bytes.hpp"
#include "coapjws/endpoint.hpp"

namespace coapjws::scan {

struct IpFragment {
    bool ipv6 = false;
    Address src;
    Address dst;
    std::uint32_t id = 0;
    std::uint8_t protocol = 0;  // IPv4 protocol / IPv6 fragment header's Next Header
    std::uint16_t vlan = 0;     // innermost 802.1Q tag, 0 if none
    std::uint32_t offset = 0;   // bytes
    bool more = false;
    ByteView data;
    std::int64_t time_ns = 0;
};

struct ReassembledDatagram {
    std::uint8_t protocol = 0;  // as in the fragment that completed it
    ByteView payload;           // valid until the next call to add() or finish()
};

struct IpReassemblyLimits {
    std::size_t max_datagrams = 4096;
    std::size_t max_bytes = std::size_t{64} << 20;
    std::int64_t timeout_ns = std::int64_t{60'000'000'000};
    // Largest datagram payload reassembled (IPv4 and IPv6 lengths are 16 bits).
    std::uint32_t max_datagram = 65535;
};

struct IpReassemblyStats {
    std::uint64_t fragments = 0;  // fragments taken
    std::uint64_t datagrams = 0;  // datagrams completed
    std::uint64_t incomplete_datagrams =
        0;  // given up: timed out, evicted, or still open at the end
    std::uint64_t incomplete_fragments = 0;  // fragments of those
    std::uint64_t oversized = 0;             // fragments reaching past max_datagram (dropped)
    std::uint64_t overlaps = 0;              // fragments overlapping bytes already held
};

class IpReassembler {
  public:
    explicit IpReassembler(IpReassemblyLimits limits = {});
    IpReassembler(IpReassembler&&) noexcept;
    IpReassembler& operator=(IpReassembler&&) noexcept;
    ~IpReassembler();

    // Takes one fragment (in capture order); returns the datagram when this
    // fragment completes it.
    std::optional<ReassembledDatagram> add(const IpFragment& fragment);

    // The end of the capture: every open reassembly counts as incomplete.
    void finish();

    const IpReassemblyStats& stats() const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace coapjws::scan
