#include "capture_reader.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "interrupt.hpp"
#include "link_layer.hpp"
#include "pcap_records.hpp"
#include "wiretap_api.hpp"

namespace coapjws::scan {

// The open file and the buffers wtap_read() fills, freed in this order:
// record, buffer, file.
struct CaptureReader::Wiretap {
    wtap* file = nullptr;
    wtap_rec rec{};
#if !COAPJWS_WTAP_REC_HOLDS_DATA
    Buffer buffer{};
#endif
    // wtap_wtap_encap_to_pcap_encap() for the last encapsulation seen.
    int last_encap = WTAP_ENCAP_UNKNOWN;
    int last_link_type = no_link_type;

    explicit Wiretap(wtap* f) : file(f) {
        wiretap_rec_init(&rec);
#if !COAPJWS_WTAP_REC_HOLDS_DATA
        ws_buffer_init(&buffer, 2048);
#endif
    }
    Wiretap(const Wiretap&) = delete;
    Wiretap& operator=(const Wiretap&) = delete;
    ~Wiretap() {
        wtap_rec_cleanup(&rec);
#if !COAPJWS_WTAP_REC_HOLDS_DATA
        ws_buffer_free(&buffer);
#endif
        wtap_close(file);
    }

    int link_type_of(int encap);
};

CaptureReader::CaptureReader(CaptureReader&&) noexcept = default;
CaptureReader& CaptureReader::operator=(CaptureReader&&) noexcept = default;
CaptureReader::~CaptureReader() = default;

namespace {

// Wiretap names link types by its own numbers (WTAP_ENCAP_*); the scanner
// decodes by LINKTYPE_ numbers. libwiretap exports only the LINKTYPE -> ENCAP
// direction, so the reverse table is made from it once; where several
// LINKTYPEs share an ENCAP (raw IP is 12, 14 and 101) the lowest is kept.
constexpr int highest_linktype = 512;
std::vector<int>& encap_to_linktype() {
    static std::vector<int> table;
    return table;
}

void build_encap_table() {
    std::vector<int>& table = encap_to_linktype();
    for (int linktype = 0; linktype < highest_linktype; ++linktype) {
        const int encap = wtap_pcap_encap_to_wtap_encap(linktype);
        if (encap <= WTAP_ENCAP_UNKNOWN)
            continue;
        if (static_cast<std::size_t>(encap) >= table.size())
            table.resize(static_cast<std::size_t>(encap) + 1, unknown_link_type);
        if (table[static_cast<std::size_t>(encap)] == unknown_link_type)
            table[static_cast<std::size_t>(encap)] = linktype;
    }
}

}  // namespace

// Wiretap is initialised once per process; its logging is kept to what
// would be a real problem (it otherwise prints debug lines on stderr).
void init_wiretap() {
    static std::once_flag once;
    std::call_once(once, [] {
        ws_log_set_level(LOG_LEVEL_CRITICAL);
        wtap_init(FALSE);
        build_encap_table();
    });
}

int CaptureReader::Wiretap::link_type_of(int encap) {
    if (encap != last_encap) {
        last_encap = encap;
        const std::vector<int>& table = encap_to_linktype();
        last_link_type =
            encap > WTAP_ENCAP_UNKNOWN && static_cast<std::size_t>(encap) < table.size()
                ? table[static_cast<std::size_t>(encap)]
                : unknown_link_type;
    }
    return last_link_type;
}

namespace {

std::string wiretap_error(int err, const char* err_info) {
    std::string text = wtap_strerror(err);
    if (err_info != nullptr && *err_info != '\0')
        text += std::string(" (") + err_info + ")";
    return text;
}

std::string describe_open_error(int err, const char* err_info) {
    switch (err) {
        case WTAP_ERR_FILE_UNKNOWN_FORMAT:
            return "not a pcap or pcapng capture, nor any other format Wireshark reads";
        case WTAP_ERR_SHORT_READ:
            return "not a complete capture (the file ends inside its header)";
        default:
            return wiretap_error(err, err_info);
    }
}

// The files libpcap reads exactly as libwiretap does: classic pcap (wiretap
// has already told it from its modified variants), not compressed, a
// regular file (libwiretap has consumed the start of a pipe), and a link
// type the scanner decodes, so libpcap's per-link-type fix-ups (USB, NFLOG
// and CAN headers) never apply to a record the scanner looks into.
bool libpcap_reads_alike(wtap* file, int link_type) {
    const int subtype = wtap_file_type_subtype(file);
    return (subtype == wtap_pcap_file_type_subtype() ||
            subtype == wtap_pcap_nsec_file_type_subtype()) &&
           wtap_get_compression_type(file) == WTAP_UNCOMPRESSED &&
           is_supported_link_type(link_type);
}

bool wiretap_forced() {
    const char* reader = std::getenv("COAPJWS_SCAN_READER");
    return reader != nullptr && std::strcmp(reader, "wiretap") == 0;
}

}  // namespace

Result<CaptureReader> CaptureReader::open(const std::string& path, ReadPath read_path) {
    init_wiretap();
    CaptureReader reader;
    reader.path_ = path;
    reader.is_stdin_ = path == "-";
    const std::string name = reader.is_stdin_ ? std::string("standard input") : path;
    bool regular_file = false;

    if (!reader.is_stdin_) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0)
            return fail(ErrorCode::io, name + ": cannot open: " + std::strerror(errno));
        if (S_ISDIR(st.st_mode))
            return fail(ErrorCode::invalid_argument, name + ": is a directory, not a capture file");
        if (S_ISREG(st.st_mode)) {
            regular_file = true;
            if (st.st_size == 0)
                return fail(ErrorCode::malformed,
                            name + ": empty file, not a pcap or pcapng capture");
            reader.total_bytes_ = static_cast<std::uint64_t>(st.st_size);
        }
    }

    int err = 0;
    gchar* err_info = nullptr;
    wtap* file = wtap_open_offline(path.c_str(), WTAP_TYPE_AUTO, &err, &err_info, FALSE);
    if (file == nullptr) {
        std::string why = describe_open_error(err, err_info);
        g_free(err_info);
        if (reader.is_stdin_ && (err == WTAP_ERR_SHORT_READ || err == 0))
            return fail(ErrorCode::io, name + ": no capture on standard input (" + why + ")");
        // wiretap reports a missing or unreadable file as an errno value.
        if (err > 0)
            return fail(ErrorCode::io, name + ": cannot open: " + std::strerror(err));
        return fail(ErrorCode::io, name + ": " + why);
    }
    reader.wtap_ = std::make_unique<Wiretap>(file);
    if (read_path == ReadPath::fastest && !wiretap_forced() && regular_file &&
        libpcap_reads_alike(file, reader.link_type())) {
        reader.pcap_ = PcapRecords::open(path);
        if (reader.pcap_) {
            // libwiretap's part is done: keep what it said and close it, so
            // a file holds one descriptor (--merge opens every file at once).
            reader.pcap_link_type_ = reader.link_type();
            reader.pcap_format_ = reader.format();
            reader.wtap_.reset();
        }
    }
    return reader;
}

// libwiretap reads on from the record libpcap could not give: it opens the
// file again and passes over the records libpcap gave (rare: a damaged file
// or a record beyond the snapshot length).
ReadStatus CaptureReader::hand_over(CaptureRecord& record) {
    pcap_.reset();
    int err = 0;
    gchar* err_info = nullptr;
    wtap* file = wtap_open_offline(path_.c_str(), WTAP_TYPE_AUTO, &err, &err_info, FALSE);
    if (file == nullptr) {
        error_ = "cannot open the file again: " +
                 (err > 0 ? std::string(std::strerror(err)) : describe_open_error(err, err_info));
        g_free(err_info);
        return ReadStatus::failed;
    }
    wtap_ = std::make_unique<Wiretap>(file);
    const std::uint32_t given = records_;
    records_ = 0;
    while (records_ < given) {
        const ReadStatus status = next(record);
        if (status != ReadStatus::record)
            return status;
    }
    return next(record);
}

ReadStatus CaptureReader::next(CaptureRecord& record) {
    // Both paths in one function: a call more costs either path ~20
    // instructions a record.
    if (pcap_) {
        PcapRecords::Record r;
        switch (pcap_->next(r)) {
            case PcapRecords::Status::record:
                ++records_;
                record.frame = records_;
                record.time_ns = r.time_ns;
                record.link_type = pcap_link_type_;
                record.data = ByteView(r.data, r.caplen);
                record.wire_length = r.wire_length;
                return ReadStatus::record;
            case PcapRecords::Status::end:
                return ReadStatus::end;
            case PcapRecords::Status::truncated:
                // What libwiretap says of the same file (the tests compare).
                error_ = "truncated: " + wiretap_error(WTAP_ERR_SHORT_READ, nullptr);
                return ReadStatus::truncated;
            case PcapRecords::Status::hand_over:
                break;
        }
        return hand_over(record);
    }
    Wiretap& w = *wtap_;
    // The previous record's option block (wiretap makes one per record).
    wtap_rec_reset(&w.rec);
    int err = 0;
    gchar* err_info = nullptr;
    gint64 offset = 0;
#if COAPJWS_WTAP_REC_HOLDS_DATA
    const bool got = wtap_read(w.file, &w.rec, &err, &err_info, &offset);
#else
    const bool got = wtap_read(w.file, &w.rec, &w.buffer, &err, &err_info, &offset);
#endif
    if (!got) {
        if (err == 0)
            return ReadStatus::end;
        // A read cut by SIGINT/SIGTERM (EINTR on standard input) is the end
        // the user asked for, not a broken file.
        if (interrupt_requested()) {
            g_free(err_info);
            return ReadStatus::end;
        }
        error_ = wiretap_error(err, err_info);
        g_free(err_info);
        if (err == WTAP_ERR_SHORT_READ) {
            error_ = "truncated: " + error_;
            return ReadStatus::truncated;
        }
        return ReadStatus::failed;
    }
    g_free(err_info);
    ++records_;
    record.frame = records_;
    const wtap_rec& rec = w.rec;
    record.time_ns = (rec.presence_flags & WTAP_HAS_TS) != 0
                         ? static_cast<std::int64_t>(rec.ts.secs) * 1'000'000'000 + rec.ts.nsecs
                         : 0;
    if (rec.rec_type == REC_TYPE_PACKET) {
        const auto& packet = rec.rec_header.packet_header;
        record.link_type = w.link_type_of(packet.pkt_encap);
#if COAPJWS_WTAP_REC_HOLDS_DATA
        record.data = ByteView(ws_buffer_start_ptr(&w.rec.data), packet.caplen);
#else
        record.data = ByteView(ws_buffer_start_ptr(&w.buffer), packet.caplen);
#endif
        record.wire_length = packet.len;
    } else {
        // Wireshark shows these as frames too; they carry no packet.
        record.link_type = no_link_type;
        record.data = {};
        record.wire_length = 0;
    }
    return ReadStatus::record;
}

int CaptureReader::link_type() const {
    if (!wtap_)
        return pcap_link_type_;
    const int encap = wtap_file_encap(wtap_->file);
    if (encap == WTAP_ENCAP_PER_PACKET)
        return per_record_link_type;
    return wtap_->link_type_of(encap);
}

std::string CaptureReader::format() const {
    if (!wtap_)
        return pcap_format_;
    std::string text = wtap_file_type_subtype_description(wtap_file_type_subtype(wtap_->file));
    const wtap_compression_type compression = wtap_get_compression_type(wtap_->file);
    if (compression != WTAP_UNCOMPRESSED)
        text += std::string(", ") + wtap_compression_type_description(compression);
    return text;
}

std::string link_type_name(int link_type) {
    init_wiretap();
    const int encap = wtap_pcap_encap_to_wtap_encap(link_type);
    if (encap == WTAP_ENCAP_UNKNOWN)
        return "unknown";
    return wtap_encap_description(encap);
}

std::uint64_t CaptureReader::bytes_read() const {
    if (pcap_)
        return pcap_->offset();
    if (is_stdin_ || !wtap_)
        return 0;
    const gint64 pos = wtap_read_so_far(wtap_->file);
    return pos < 0 ? 0 : static_cast<std::uint64_t>(pos);
}

}  // namespace coapjws::scan
