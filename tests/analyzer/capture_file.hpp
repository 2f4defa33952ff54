// Writes pcap and pcapng files byte by byte, as the formats' specifications
// lay them out (tcpdump.org pcap(5) / draft-ietf-opsawg-pcapng), so the
// analyzer's reader is tested against files it did not write itself.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "coapjws/bytes.hpp"

namespace coapjws::scan::test {

enum class CaptureFormat {
    pcap_us,          // classic pcap, microsecond timestamps, little-endian
    pcap_ns,          // classic pcap, nanosecond magic (0xa1b23c4d)
    pcap_us_swapped,  // classic pcap written big-endian
    pcap_ns_swapped,  // nanosecond magic, big-endian
    pcapng,           // one section, one interface with if_tsresol 9 (ns)
    pcapng_us,        // one interface without if_tsresol (default: microseconds)
};

struct TestRecord {
    std::int64_t time_ns = 0;
    Bytes data;
    std::uint32_t wire_length = 0;  // 0: data.size()
    std::uint32_t interface = 0;    // pcapng: index into the interfaces' link types
};

Bytes make_capture(CaptureFormat format, std::uint32_t link_type,
                   std::span<const TestRecord> records, std::uint32_t snaplen = 262144);

// A pcapng file with one interface per link type (as mergecap writes when
// merging captures of different link types, or dumpcap -i any -i eth0):
// each record goes to its `interface`. Nanosecond timestamps.
Bytes make_pcapng(std::span<const std::uint32_t> link_types, std::span<const TestRecord> records);

// The bytes compressed as gzip (zlib), zstd (libzstd) or an lz4 frame (liblz4).
enum class Compression { gzip, zstd, lz4 };
Bytes compress(ByteView bytes, Compression compression);

void write_file(const std::string& path, ByteView bytes);
void write_file(const std::string& path, std::string_view text);

}  // namespace coapjws::scan::test
