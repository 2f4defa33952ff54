// CoAP over TCP reassembly (CoapTcpStreams) fed segment sequences. The
// input is split into segments:
//   byte 0       limits (tiny or default)
//   per segment  flags (direction, SYN/FIN/RST, cut), sequence step (2 bytes,
//                signed), time step, length, bytes
// Properties checked on every input:
//   - no crash, leak, UB or out-of-bounds read (the sanitizers);
//   - every message handed out is one whole RFC 8323 message: its length
//     fields announce exactly its size, which is within the size limit;
//   - a message said to lie in the segment does: same bytes at that offset;
//   - a stream that starts with a SYN and arrives in order, cut into
//     segments anywhere, gives the same messages as when it arrives in one
//     segment (the second half of the input is that stream, cut by the
//     first half's bytes).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "coapjws/coap_message.hpp"
#include "coapjws/coap_tcp_streams.hpp"

using namespace coapjws;

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

const Endpoint client{Address::ipv4(0xC0000202u), 40000};
const Endpoint server{Address::ipv4(0xC0000201u), 5683};
const Endpoint other{Address::ipv4(0xC0000203u), 40001};

struct Reader {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t pos = 0;
    bool more() const { return pos < size; }
    std::uint8_t byte() { return pos < size ? data[pos++] : 0; }
    ByteView bytes(std::size_t n) {
        n = std::min(n, size - pos);
        ByteView out(data + pos, n);
        pos += n;
        return out;
    }
};

void check_messages(std::span<const TcpMessage> messages, const TcpSegment& s,
                    const TcpStreamLimits& limits) {
    for (const TcpMessage& m : messages) {
        const auto size = coap_tcp_message_size(m.bytes);
        check(size.has_value() && *size == m.bytes.size());
        check(m.bytes.size() <= limits.max_message_bytes);
        if (m.offset_in_segment) {
            check(*m.offset_in_segment + m.bytes.size() <= s.payload.size());
            check(std::memcmp(s.payload.data() + *m.offset_in_segment, m.bytes.data(),
                              m.bytes.size()) == 0);
        }
    }
}

using Messages = std::vector<Bytes>;

// The stream after a SYN, in one segment or cut at `cuts`.
Messages in_order(ByteView stream, const std::vector<std::size_t>& cuts) {
    CoapTcpStreams streams;
    TcpSegment s;
    s.src = client;
    s.dst = server;
    s.seq = 7;
    s.syn = true;
    (void)streams.add(s);
    s.syn = false;
    Messages out;
    std::size_t at = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
        const std::size_t end = std::min(i < cuts.size() ? cuts[i] : stream.size(), stream.size());
        if (end <= at)
            continue;
        s.seq = 8 + static_cast<std::uint32_t>(at);
        s.payload = stream.subspan(at, end - at);
        for (const TcpMessage& m : streams.add(s))
            out.emplace_back(m.bytes.begin(), m.bytes.end());
        at = end;
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Reader in{data, size};
    TcpStreamLimits limits;
    if (in.byte() & 1) {
        limits.max_directions = 2;
        limits.max_bytes_per_direction = 512;
        limits.max_bytes_total = 1024;
        limits.max_message_bytes = 256;
        limits.hole_timeout_ns = 1000;
    }
    CoapTcpStreams streams(limits);
    const std::size_t half = size / 2;
    std::uint32_t seq[3] = {1000, 50000, 0x7ffffff0u};
    std::int64_t time = 0;
    while (in.pos < half) {
        const std::uint8_t flags = in.byte();
        const auto step = static_cast<std::int16_t>(in.byte() << 8 | in.byte());
        time += in.byte();
        const std::size_t length = in.byte();
        TcpSegment s;
        const int direction = flags % 3;
        s.src = direction == 0 ? client : direction == 1 ? server : other;
        s.dst = direction == 1 ? client : server;
        std::uint32_t& next = seq[direction];
        next += static_cast<std::uint32_t>(static_cast<std::int32_t>(step));
        s.seq = next;
        s.syn = (flags & 0x04) != 0;
        s.fin = (flags & 0x08) != 0;
        s.rst = (flags & 0x10) == 0x10 && (flags & 0x20) != 0;
        s.time_ns = time;
        s.payload = in.bytes(length);
        s.uncaptured = (flags & 0x40) != 0 ? in.byte() : 0;
        next += static_cast<std::uint32_t>(s.payload.size() + s.uncaptured) + (s.syn ? 1 : 0);
        check_messages(streams.add(s), s, limits);
    }
    streams.finish();

    // The second half: one stream, whole and cut where the first half says.
    const ByteView stream(data + half, size - half);
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < half && cuts.size() < 64; i += 3)
        cuts.push_back((cuts.empty() ? 0 : cuts.back()) + data[i] % 97);
    check(in_order(stream, {}) == in_order(stream, cuts));
    return 0;
}
