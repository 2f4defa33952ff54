#include "gen/pcap_writer.hpp"

namespace coapjws::gen {

namespace {
constexpr std::uint32_t pcap_magic_us = 0xa1b2c3d4;
constexpr std::uint32_t snaplen = 262144;

void put_le16(Bytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put_le32(Bytes& out, std::uint32_t v) {
    put_le16(out, static_cast<std::uint16_t>(v));
    put_le16(out, static_cast<std::uint16_t>(v >> 16));
}
}  // namespace

PcapWriter::PcapWriter(std::uint32_t linktype) {
    put_le32(bytes_, pcap_magic_us);
    put_le16(bytes_, 2);  // version 2.4
    put_le16(bytes_, 4);
    put_le32(bytes_, 0);  // thiszone
    put_le32(bytes_, 0);  // sigfigs
    put_le32(bytes_, snaplen);
    put_le32(bytes_, linktype);
}

void PcapWriter::add(std::int64_t time_us, ByteView frame) {
    put_le32(bytes_, static_cast<std::uint32_t>(time_us / 1'000'000));
    put_le32(bytes_, static_cast<std::uint32_t>(time_us % 1'000'000));
    put_le32(bytes_, static_cast<std::uint32_t>(frame.size()));
    put_le32(bytes_, static_cast<std::uint32_t>(frame.size()));
    bytes_.insert(bytes_.end(), frame.begin(), frame.end());
    ++frames_;
}

}  // namespace coapjws::gen
