// coapjws-scan's whole path from record to CoAP messages (FrameDecoder: link
// layer, IP with fragment reassembly, UDP, TCP through CoapTcpStreams) fed
// record sequences. The input is split into records:
//   per record  link type choice, flags (snapshot cut), length (2 bytes), bytes
// Records start from valid Ethernet/IPv4 and IPv6 headers for UDP or TCP
// (the input's bytes follow: the transport header and payload) more often
// than not, so that the deeper layers are reached.
// Properties checked on every input:
//   - no crash, leak, UB or out-of-bounds read (the sanitizers);
//   - a datagram of one record lies inside that record;
//   - a TCP message is one whole RFC 8323 message;
//   - the counters add up: each record is counted once.
#include <pcap/dlt.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "frame_decoder.hpp"

using namespace coapjws;
using namespace coapjws::scan;

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

constexpr int links[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_NULL, 101, 105};

// Ethernet + IPv4 or IPv6 + UDP/TCP headers to 5683, for the fuzzer to mutate
// behind: fragment fields, lengths and ports come from the input bytes.
Bytes prefix(std::uint8_t choice) {
    Bytes f = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    const bool v6 = choice & 1;
    const bool tcp = choice & 2;
    f.push_back(v6 ? 0x86 : 0x08);
    f.push_back(v6 ? 0xdd : 0x00);
    if (v6) {
        const std::uint8_t h[40] = {
            0x60, 0,    0,    0,    0x01, 0x00, static_cast<std::uint8_t>(tcp ? 6 : 17),
            64,   0x20, 0x01, 0x0d, 0xb8, 0,    0,
            0,    0,    0,    0,    0,    0,    0,
            0,    0,    1,    0x20, 0x01, 0x0d, 0xb8,
            0,    0,    0,    0,    0,    0,    0,
            0,    0,    0,    0,    2};
        f.insert(f.end(), h, h + 40);
    } else {
        const std::uint8_t h[20] = {
            0x45, 0, 0x01, 0x00, 0x12, 0x34, 0,   0, 64, static_cast<std::uint8_t>(tcp ? 6 : 17),
            0,    0, 192,  0,    2,    1,    192, 0, 2,  2};
        f.insert(f.end(), h, h + 20);
    }
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::uint16_t ports[] = {5683};
    PortFilter filter(ports);
    IpReassemblyLimits ip_limits;
    ip_limits.max_datagrams = 4;
    ip_limits.max_bytes = 4096;
    TcpStreamLimits tcp_limits;
    tcp_limits.max_directions = 4;
    tcp_limits.max_bytes_per_direction = 2048;
    tcp_limits.max_bytes_total = 4096;
    FrameDecoder decoder(filter, ip_limits, tcp_limits);
    std::size_t pos = 0;
    std::uint32_t frame = 0;
    while (pos + 4 <= size) {
        const std::uint8_t link_choice = data[pos];
        const std::uint8_t flags = data[pos + 1];
        const std::size_t length = std::min<std::size_t>(
            static_cast<std::size_t>(data[pos + 2] << 8 | data[pos + 3]), size - pos - 4);
        pos += 4;
        Bytes bytes;
        int link = links[link_choice % std::size(links)];
        if ((flags & 0x80) == 0) {
            bytes = prefix(flags);
            link = DLT_EN10MB;
        }
        bytes.insert(bytes.end(), data + pos, data + pos + length);
        pos += length;
        // The prefix's IP length fits what follows, unless the input says not to.
        if ((flags & 0x80) == 0 && (flags & 0x20) == 0) {
            const bool v6 = flags & 1;
            const std::size_t ip_length = bytes.size() - 14 - (v6 ? 40 : 0);
            const std::size_t at = v6 ? 14 + 4 : 14 + 2;
            bytes[at] = static_cast<std::uint8_t>(ip_length >> 8);
            bytes[at + 1] = static_cast<std::uint8_t>(ip_length);
        }
        CaptureRecord record;
        record.frame = ++frame;
        record.time_ns = frame * 1'000'000LL;
        record.link_type = link;
        record.data = bytes;
        record.wire_length =
            static_cast<std::uint32_t>(bytes.size()) + ((flags & 0x40) != 0 ? flags & 0x3f : 0);
        const std::uint64_t reassembled = decoder.counters().reassembled;
        for (const Packet& p : decoder.decode(record)) {
            check(p.frame == frame);
            if (p.framing == CoapFraming::tcp) {
                const auto announced = coap_tcp_message_size(p.coap);
                check(announced && *announced == p.coap.size());
            } else if (decoder.counters().reassembled == reassembled) {
                check(p.coap.data() >= bytes.data() &&
                      p.coap.data() + p.coap.size() <= bytes.data() + bytes.size());
            }
        }
    }
    decoder.finish();
    const DecodeCounters& c = decoder.counters();
    check(c.packets == frame);
    check(c.tcp_messages <= c.coap);
    return 0;
}
