// IP fragment reassembly (analyzer/ip_reassembly.cpp) fed fragment sequences.
// The input is split into fragments:
//   byte 0        limits (tiny, or large enough never to forget anything)
//   per fragment  flags (datagram id, IP version, More), offset (2 bytes, in
//                 8-byte units), time step, length, data
// Properties checked on every input:
//   - no crash, leak, UB or out-of-bounds read (the sanitizers);
//   - with large limits, the reassembler agrees with a plain model of
//     Wireshark's rules (reassemble.c): the first fragment without More sets
//     the length, the datagram is complete once its bytes from 0 to that
//     length are all there, each byte comes from the first fragment in
//     offset order (earlier arrival first among equal offsets), and a
//     completed datagram is forgotten;
//   - with tiny limits, counts add up: every fragment taken is in a
//     completed datagram, an incomplete one, or still open.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <vector>

#include "ip_reassembly.hpp"

using namespace coapjws;
using namespace coapjws::scan;

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

struct Model {
    struct Piece {
        std::uint32_t offset;
        Bytes bytes;
    };
    struct Datagram {
        std::vector<Piece> pieces;  // arrival order
        std::optional<std::uint32_t> length;
    };
    std::map<std::pair<int, std::uint32_t>, Datagram> open;

    std::optional<Bytes> add(int version, std::uint32_t id, std::uint32_t offset, bool more,
                             ByteView data) {
        if (data.empty())
            return std::nullopt;
        Datagram& d = open[{version, id}];
        d.pieces.push_back({offset, Bytes(data.begin(), data.end())});
        if (!more && !d.length)
            d.length = offset + static_cast<std::uint32_t>(data.size());
        if (!d.length)
            return std::nullopt;
        std::vector<Piece> sorted = d.pieces;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const Piece& a, const Piece& b) { return a.offset < b.offset; });
        std::vector<bool> have(*d.length, false);
        Bytes out(*d.length, 0);
        for (const Piece& p : sorted) {
            for (std::size_t i = 0; i < p.bytes.size() && p.offset + i < out.size(); ++i) {
                if (!have[p.offset + i]) {
                    have[p.offset + i] = true;
                    out[p.offset + i] = p.bytes[i];
                }
            }
        }
        if (std::find(have.begin(), have.end(), false) != have.end())
            return std::nullopt;
        open.erase({version, id});
        return out;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const bool tiny = (data[0] & 1) != 0;
    IpReassemblyLimits limits;
    if (tiny) {
        limits.max_datagrams = 2;
        limits.max_bytes = 300;
        limits.timeout_ns = 5;
    }
    IpReassembler reassembler(limits);
    Model model;
    const std::uint8_t a4[4] = {192, 0, 2, 1}, b4[4] = {192, 0, 2, 2};
    std::uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8}, b6[16] = {0x20, 0x01, 0x0d, 0xb8};
    a6[15] = 1;
    b6[15] = 2;
    std::int64_t time = 0;
    std::uint64_t taken = 0;
    std::size_t pos = 1;
    while (pos + 5 <= size) {
        const std::uint8_t flags = data[pos];
        const std::uint32_t offset =
            static_cast<std::uint32_t>(data[pos + 1] << 8 | data[pos + 2]) % 64 * 8;
        time += data[pos + 3] % 4;
        const std::size_t length = std::min<std::size_t>(data[pos + 4], size - pos - 5);
        pos += 5;
        IpFragment f;
        f.ipv6 = (flags & 0x10) != 0;
        f.src = f.ipv6 ? Address::ipv6(a6) : Address::ipv4(a4);
        f.dst = f.ipv6 ? Address::ipv6(b6) : Address::ipv4(b4);
        f.id = flags & 0x03;
        f.protocol = 17;
        f.offset = offset;
        f.more = (flags & 0x20) != 0;
        f.data = ByteView(data + pos, length);
        f.time_ns = time;
        pos += length;

        const auto got = reassembler.add(f);
        if (!f.data.empty())
            ++taken;
        if (got) {
            check(got->protocol == 17);
            check(got->payload.size() <= limits.max_datagram);
        }
        if (!tiny) {
            const auto want = model.add(f.ipv6 ? 6 : 4, f.id, f.offset, f.more, f.data);
            check(got.has_value() == want.has_value());
            if (got)
                check(Bytes(got->payload.begin(), got->payload.end()) == *want);
        }
    }
    reassembler.finish();
    const IpReassemblyStats& s = reassembler.stats();
    check(s.fragments >= taken);
    check(s.incomplete_fragments <= taken);
    if (!tiny)
        check(s.incomplete_datagrams == model.open.size());
    return 0;
}
