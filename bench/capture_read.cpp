// coapjws_capture_read: reads every record of a capture with one of the two
// readers coapjws-scan could be built on, and sums every byte so nothing is
// skipped (bench/reader_speed.py times it; docs/PERFORMANCE.md, "Capture
// readers").
//
//   coapjws_capture_read libpcap FILE   libpcap, as coapjws-scan read captures
//                                       before: stdio with a 256 KiB buffer,
//                                       nanosecond timestamps; a gzip, zstd or
//                                       lz4 file is decompressed by zlib,
//                                       libzstd or liblz4 behind a stdio
//                                       stream (fopencookie)
//   coapjws_capture_read wiretap FILE   libwiretap (Wireshark's reader), which
//                                       opens every format and compression
//   coapjws_capture_read scan-reader FILE   coapjws-scan's CaptureReader
//                                       (libwiretap plus the per-record work
//                                       the scanner does: timestamps, link type)
//
// Prints "<records> records, byte sum <sum>" so the runs can be compared.
#include <lz4frame.h>
#include <pcap/pcap.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "capture_reader.hpp"
#include "wiretap_api.hpp"

namespace {

constexpr std::size_t stdio_buffer = 1u << 18;

// ---- decompression behind a FILE*, for libpcap ------------------------------

enum class Compression { none, gzip, zstd, lz4 };

Compression sniff(std::FILE* f) {
    unsigned char magic[4] = {};
    const std::size_t n = std::fread(magic, 1, sizeof magic, f);
    std::rewind(f);
    if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        return Compression::gzip;
    if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        return Compression::zstd;
    if (n == 4 && magic[0] == 0x04 && magic[1] == 0x22 && magic[2] == 0x4d && magic[3] == 0x18)
        return Compression::lz4;
    return Compression::none;
}

struct GzipSource {
    gzFile gz;
    static ssize_t read(void* self, char* out, std::size_t size) {
        return gzread(static_cast<GzipSource*>(self)->gz, out, static_cast<unsigned>(size));
    }
    static int close(void* self) {
        auto* s = static_cast<GzipSource*>(self);
        gzclose(s->gz);
        delete s;
        return 0;
    }
};

// Streams a compressed file through a decoder into the caller's buffer.
template <typename Decoder>
struct StreamSource {
    std::FILE* file;
    Decoder decoder;
    std::vector<unsigned char> in = std::vector<unsigned char>(stdio_buffer);
    std::size_t in_pos = 0;
    std::size_t in_len = 0;
    bool eof = false;

    static ssize_t read(void* self, char* out, std::size_t size) {
        auto* s = static_cast<StreamSource*>(self);
        std::size_t produced = 0;
        while (produced == 0) {
            if (s->in_pos == s->in_len && !s->eof) {
                s->in_len = std::fread(s->in.data(), 1, s->in.size(), s->file);
                s->in_pos = 0;
                s->eof = s->in_len == 0;
            }
            if (s->eof && s->in_pos == s->in_len)
                return 0;
            std::size_t consumed = s->in_len - s->in_pos;
            std::size_t made = size;
            if (!s->decoder.step(s->in.data() + s->in_pos, consumed, out, made))
                return -1;
            s->in_pos += consumed;
            produced = made;
        }
        return static_cast<ssize_t>(produced);
    }
    static int close(void* self) {
        auto* s = static_cast<StreamSource*>(self);
        std::fclose(s->file);
        delete s;
        return 0;
    }
};

struct ZstdDecoder {
    ZSTD_DStream* stream = ZSTD_createDStream();
    ~ZstdDecoder() { ZSTD_freeDStream(stream); }
    bool step(const unsigned char* in, std::size_t& in_size, char* out, std::size_t& out_size) {
        ZSTD_inBuffer i{in, in_size, 0};
        ZSTD_outBuffer o{out, out_size, 0};
        if (ZSTD_isError(ZSTD_decompressStream(stream, &o, &i)))
            return false;
        in_size = i.pos;
        out_size = o.pos;
        return true;
    }
};

struct Lz4Decoder {
    LZ4F_dctx* context = nullptr;
    Lz4Decoder() { LZ4F_createDecompressionContext(&context, LZ4F_VERSION); }
    ~Lz4Decoder() { LZ4F_freeDecompressionContext(context); }
    bool step(const unsigned char* in, std::size_t& in_size, char* out, std::size_t& out_size) {
        return !LZ4F_isError(LZ4F_decompress(context, out, &out_size, in, &in_size, nullptr));
    }
};

template <typename Source>
std::FILE* cookie_stream(Source* source) {
    cookie_io_functions_t io{};
    io.read = &Source::read;
    io.close = &Source::close;
    return fopencookie(source, "rb", io);
}

std::FILE* open_decompressed(const char* path) {
    std::FILE* f = std::fopen(path, "rb");
    if (f == nullptr)
        return nullptr;
    switch (sniff(f)) {
        case Compression::none:
            return f;
        case Compression::gzip: {
            std::fclose(f);
            gzFile gz = gzopen(path, "rb");
            if (gz == nullptr)
                return nullptr;
            gzbuffer(gz, stdio_buffer);
            return cookie_stream(new GzipSource{gz});
        }
        case Compression::zstd:
            return cookie_stream(new StreamSource<ZstdDecoder>{f, {}});
        case Compression::lz4:
            return cookie_stream(new StreamSource<Lz4Decoder>{f, {}});
    }
    return nullptr;
}

// ---- the readers -------------------------------------------------------------

struct Totals {
    std::uint64_t records = 0;
    std::uint64_t sum = 0;
};

void add_bytes(Totals& t, const unsigned char* data, std::size_t size) {
    ++t.records;
    for (std::size_t i = 0; i < size; ++i)
        t.sum += data[i];
}

int read_libpcap(const char* path, Totals& t) {
    std::FILE* file = open_decompressed(path);
    if (file == nullptr) {
        std::perror(path);
        return 2;
    }
    std::setvbuf(file, nullptr, _IOFBF, stdio_buffer);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == nullptr) {
        std::fprintf(stderr, "libpcap: %s\n", errbuf);
        std::fclose(file);
        return 2;
    }
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int rc = 0;
    while ((rc = pcap_next_ex(p, &header, &data)) == 1)
        add_bytes(t, data, header->caplen);
    const bool failed = rc == PCAP_ERROR;
    if (failed)
        std::fprintf(stderr, "libpcap: %s\n", pcap_geterr(p));
    pcap_close(p);
    return failed ? 2 : 0;
}

int read_wiretap(const char* path, Totals& t) {
    ws_log_set_level(LOG_LEVEL_CRITICAL);
    wtap_init(FALSE);
    int err = 0;
    gchar* err_info = nullptr;
    wtap* w = wtap_open_offline(path, WTAP_TYPE_AUTO, &err, &err_info, FALSE);
    if (w == nullptr) {
        std::fprintf(stderr, "wiretap: %s\n", wtap_strerror(err));
        return 2;
    }
    wtap_rec rec;
    coapjws::scan::wiretap_rec_init(&rec);
#if !COAPJWS_WTAP_REC_HOLDS_DATA
    Buffer buffer;
    ws_buffer_init(&buffer, 2048);
#endif
    gint64 offset = 0;
#if COAPJWS_WTAP_REC_HOLDS_DATA
    while (wtap_read(w, &rec, &err, &err_info, &offset)) {
        add_bytes(t, ws_buffer_start_ptr(&rec.data), rec.rec_header.packet_header.caplen);
        wtap_rec_reset(&rec);  // each record comes with an option block
    }
#else
    while (wtap_read(w, &rec, &buffer, &err, &err_info, &offset)) {
        add_bytes(t, ws_buffer_start_ptr(&buffer), rec.rec_header.packet_header.caplen);
        wtap_rec_reset(&rec);  // each record comes with an option block
    }
    ws_buffer_free(&buffer);
#endif
    wtap_rec_cleanup(&rec);
    wtap_close(w);
    if (err != 0) {
        std::fprintf(stderr, "wiretap: %s\n", wtap_strerror(err));
        return 2;
    }
    return 0;
}

}  // namespace
extern std::int64_t record_fields_seen;
namespace {

int read_scan_reader(const char* path, Totals& t) {
    auto reader = coapjws::scan::CaptureReader::open(path);
    if (!reader) {
        std::fprintf(stderr, "%s\n", reader.error().message.c_str());
        return 2;
    }
    coapjws::scan::CaptureRecord record;
    while (reader->next(record) == coapjws::scan::ReadStatus::record) {
        add_bytes(t, record.data.data(), record.data.size());
        // What the scanner reads besides the bytes, kept so it is not optimised away.
        record_fields_seen += record.time_ns + record.link_type;
    }
    return 0;
}

}  // namespace

// External, so the compiler keeps what read_scan_reader() adds to it.
std::int64_t record_fields_seen = 0;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: coapjws_capture_read libpcap|wiretap|scan-reader FILE\n");
        return 2;
    }
    const std::string_view reader = argv[1];
    Totals t;
    int rc = 2;
    if (reader == "libpcap") {
        rc = read_libpcap(argv[2], t);
    } else if (reader == "wiretap") {
        rc = read_wiretap(argv[2], t);
    } else if (reader == "scan-reader") {
        rc = read_scan_reader(argv[2], t);
    } else {
        std::fprintf(stderr, "coapjws_capture_read: unknown reader %s\n", argv[1]);
        return 2;
    }
    if (rc == 0) {
        std::printf("%llu records, byte sum %llu\n", static_cast<unsigned long long>(t.records),
                    static_cast<unsigned long long>(t.sum));
    }
    return rc;
}
