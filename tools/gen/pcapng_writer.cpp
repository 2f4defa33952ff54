#include "gen/pcapng_writer.hpp"

#include <algorithm>

namespace coapjws::gen {

namespace {
constexpr std::uint32_t section_header_block = 0x0a0d0d0a;
constexpr std::uint32_t interface_description_block = 0x00000001;
constexpr std::uint32_t enhanced_packet_block = 0x00000006;
constexpr std::uint32_t byte_order_magic = 0x1a2b3c4d;
constexpr std::uint32_t snaplen = 262144;

void put_le16(Bytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put_le32(Bytes& out, std::uint32_t v) {
    put_le16(out, static_cast<std::uint16_t>(v));
    put_le16(out, static_cast<std::uint16_t>(v >> 16));
}

// A block: type, total length, body padded to 32 bits, total length again.
void block(Bytes& out, std::uint32_t type, const Bytes& body) {
    const std::size_t padded = (body.size() + 3) / 4 * 4;
    const auto total = static_cast<std::uint32_t>(12 + padded);
    put_le32(out, type);
    put_le32(out, total);
    out.insert(out.end(), body.begin(), body.end());
    out.insert(out.end(), padded - body.size(), 0);
    put_le32(out, total);
}
}  // namespace

void PcapngWriter::add(std::int64_t time_us, std::uint32_t linktype, ByteView frame) {
    auto it = std::find(linktypes_.begin(), linktypes_.end(), linktype);
    if (it == linktypes_.end())
        it = linktypes_.insert(linktypes_.end(), linktype);
    const auto interface = static_cast<std::uint32_t>(it - linktypes_.begin());
    frames_.push_back({time_us, interface, Bytes(frame.begin(), frame.end())});
}

Bytes PcapngWriter::bytes() const {
    Bytes out;
    Bytes body;
    put_le32(body, byte_order_magic);
    put_le16(body, 1);  // version 1.0
    put_le16(body, 0);
    put_le32(body, 0xffffffffu);  // section length unknown
    put_le32(body, 0xffffffffu);
    block(out, section_header_block, body);
    for (std::uint32_t linktype : linktypes_) {
        body.clear();
        put_le16(body, static_cast<std::uint16_t>(linktype));
        put_le16(body, 0);  // reserved
        put_le32(body, snaplen);
        block(out, interface_description_block, body);
    }
    for (const Frame& f : frames_) {
        body.clear();
        const auto ticks = static_cast<std::uint64_t>(f.time_us);
        put_le32(body, f.interface);
        put_le32(body, static_cast<std::uint32_t>(ticks >> 32));
        put_le32(body, static_cast<std::uint32_t>(ticks));
        put_le32(body, static_cast<std::uint32_t>(f.bytes.size()));
        put_le32(body, static_cast<std::uint32_t>(f.bytes.size()));
        body.insert(body.end(), f.bytes.begin(), f.bytes.end());
        block(out, enhanced_packet_block, body);
    }
    return out;
}

}  // namespace coapjws::gen
