#include "capture_file.hpp"

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <fstream>
#include <stdexcept>

namespace coapjws::scan::test {

namespace {

struct Out {
    Bytes& b;
    bool big_endian = false;
    void u8(std::uint8_t v) { b.push_back(v); }
    void u16(std::uint16_t v) {
        if (big_endian) {
            u8(static_cast<std::uint8_t>(v >> 8));
            u8(static_cast<std::uint8_t>(v));
        } else {
            u8(static_cast<std::uint8_t>(v));
            u8(static_cast<std::uint8_t>(v >> 8));
        }
    }
    void u32(std::uint32_t v) {
        if (big_endian) {
            u16(static_cast<std::uint16_t>(v >> 16));
            u16(static_cast<std::uint16_t>(v));
        } else {
            u16(static_cast<std::uint16_t>(v));
            u16(static_cast<std::uint16_t>(v >> 16));
        }
    }
    void bytes(ByteView v) { b.insert(b.end(), v.begin(), v.end()); }
    void pad4() {
        while (b.size() % 4 != 0)
            u8(0);
    }
    // Patches a little/big-endian u32 at `at`.
    void put32(std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) {
            int shift = big_endian ? 24 - 8 * i : 8 * i;
            b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> shift);
        }
    }
};

void pcap(Bytes& out, CaptureFormat format, std::uint32_t link_type,
          std::span<const TestRecord> records, std::uint32_t snaplen) {
    Out o{out,
          format == CaptureFormat::pcap_us_swapped || format == CaptureFormat::pcap_ns_swapped};
    const bool nano = format == CaptureFormat::pcap_ns || format == CaptureFormat::pcap_ns_swapped;
    o.u32(nano ? 0xa1b23c4du : 0xa1b2c3d4u);
    o.u16(2);
    o.u16(4);
    o.u32(0);  // thiszone
    o.u32(0);  // sigfigs
    o.u32(snaplen);
    o.u32(link_type);
    for (const TestRecord& r : records) {
        const std::int64_t unit = nano ? 1 : 1000;
        o.u32(static_cast<std::uint32_t>(r.time_ns / 1'000'000'000));
        o.u32(static_cast<std::uint32_t>((r.time_ns % 1'000'000'000) / unit));
        o.u32(static_cast<std::uint32_t>(r.data.size()));
        o.u32(r.wire_length != 0 ? r.wire_length : static_cast<std::uint32_t>(r.data.size()));
        o.bytes(r.data);
    }
}

void pcapng(Bytes& out, bool nano, std::span<const std::uint32_t> link_types,
            std::span<const TestRecord> records, std::uint32_t snaplen) {
    Out o{out, false};
    auto block = [&o](std::uint32_t type, auto&& body) {
        std::size_t start = o.b.size();
        o.u32(type);
        o.u32(0);  // length, patched below
        body();
        o.pad4();
        std::uint32_t length = static_cast<std::uint32_t>(o.b.size() - start + 4);
        o.u32(length);
        o.put32(start + 4, length);
    };
    block(0x0a0d0d0a, [&] {  // Section Header Block
        o.u32(0x1a2b3c4d);   // byte-order magic
        o.u16(1);
        o.u16(0);
        o.u32(0xffffffffu);  // section length: unknown (-1)
        o.u32(0xffffffffu);
    });
    for (std::uint32_t link_type : link_types) {
        block(0x00000001, [&] {  // Interface Description Block
            o.u16(static_cast<std::uint16_t>(link_type));
            o.u16(0);
            o.u32(snaplen);
            if (nano) {
                o.u16(9);  // if_tsresol
                o.u16(1);
                o.u8(9);  // 10^-9
                o.pad4();
                o.u16(0);  // opt_endofopt
                o.u16(0);
            }
        });
    }
    for (const TestRecord& r : records) {
        block(0x00000006, [&] {  // Enhanced Packet Block
            std::uint64_t ticks = static_cast<std::uint64_t>(nano ? r.time_ns : r.time_ns / 1000);
            o.u32(r.interface);
            o.u32(static_cast<std::uint32_t>(ticks >> 32));
            o.u32(static_cast<std::uint32_t>(ticks));
            o.u32(static_cast<std::uint32_t>(r.data.size()));
            o.u32(r.wire_length != 0 ? r.wire_length : static_cast<std::uint32_t>(r.data.size()));
            o.bytes(r.data);
            o.pad4();
        });
    }
}

}  // namespace

Bytes make_capture(CaptureFormat format, std::uint32_t link_type,
                   std::span<const TestRecord> records, std::uint32_t snaplen) {
    Bytes out;
    switch (format) {
        case CaptureFormat::pcap_us:
        case CaptureFormat::pcap_ns:
        case CaptureFormat::pcap_us_swapped:
        case CaptureFormat::pcap_ns_swapped:
            pcap(out, format, link_type, records, snaplen);
            break;
        case CaptureFormat::pcapng:
            pcapng(out, true, std::span(&link_type, 1), records, snaplen);
            break;
        case CaptureFormat::pcapng_us:
            pcapng(out, false, std::span(&link_type, 1), records, snaplen);
            break;
    }
    return out;
}

Bytes make_pcapng(std::span<const std::uint32_t> link_types, std::span<const TestRecord> records) {
    Bytes out;
    pcapng(out, true, link_types, records, 262144);
    return out;
}

Bytes compress(ByteView bytes, Compression compression) {
    switch (compression) {
        case Compression::gzip: {
            z_stream z{};
            // 15 window bits + 16: a gzip header and trailer (RFC 1952).
            if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
                throw std::runtime_error("deflateInit2");
            Bytes out(deflateBound(&z, static_cast<uLong>(bytes.size())) + 32);
            z.next_in = const_cast<Bytef*>(bytes.data());
            z.avail_in = static_cast<uInt>(bytes.size());
            z.next_out = out.data();
            z.avail_out = static_cast<uInt>(out.size());
            const int rc = deflate(&z, Z_FINISH);
            out.resize(z.total_out);
            deflateEnd(&z);
            if (rc != Z_STREAM_END)
                throw std::runtime_error("deflate");
            return out;
        }
        case Compression::zstd: {
            Bytes out(ZSTD_compressBound(bytes.size()));
            const std::size_t n =
                ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), 3);
            if (ZSTD_isError(n))
                throw std::runtime_error("ZSTD_compress");
            out.resize(n);
            return out;
        }
        case Compression::lz4: {
            Bytes out(LZ4F_compressFrameBound(bytes.size(), nullptr));
            const std::size_t n =
                LZ4F_compressFrame(out.data(), out.size(), bytes.data(), bytes.size(), nullptr);
            if (LZ4F_isError(n))
                throw std::runtime_error("LZ4F_compressFrame");
            out.resize(n);
            return out;
        }
    }
    return {};
}

void write_file(const std::string& path, ByteView bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
    if (!f)
        throw std::runtime_error("cannot write " + path);
}

void write_file(const std::string& path, std::string_view text) {
    write_file(path, as_bytes(text));
}

}  // namespace coapjws::scan::test
