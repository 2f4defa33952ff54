#include "capture_reader.hpp"

#include <pcap/pcap.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "interrupt.hpp"

namespace coapjws::scan {

void CaptureReader::PcapCloser::operator()(pcap* p) const {
    pcap_close(p);
}

CaptureReader::CaptureReader(CaptureReader&&) noexcept = default;
CaptureReader& CaptureReader::operator=(CaptureReader&&) noexcept = default;
CaptureReader::~CaptureReader() = default;

namespace {

// libpcap's messages for unknown formats are terse; say what we expected.
std::string describe_open_error(std::string_view pcap_message) {
    if (pcap_message.find("unknown file format") != std::string_view::npos) {
        return "not a pcap or pcapng capture (unknown file format)";
    }
    if (pcap_message.find("truncated") != std::string_view::npos) {
        return "not a complete pcap or pcapng capture (" + std::string(pcap_message) + ")";
    }
    return std::string(pcap_message);
}

}  // namespace

Result<CaptureReader> CaptureReader::open(const std::string& path) {
    CaptureReader reader;
    reader.path_ = path;
    reader.is_stdin_ = path == "-";
    const std::string name = reader.is_stdin_ ? std::string("standard input") : path;

    std::FILE* file = nullptr;
    if (reader.is_stdin_) {
        file = stdin;
    } else {
        file = std::fopen(path.c_str(), "rb");
        if (file == nullptr)
            return fail(name + ": cannot open: " + std::strerror(errno));
        struct stat st {};
        if (::fstat(fileno(file), &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                std::fclose(file);
                return fail(name + ": is a directory, not a capture file");
            }
            if (S_ISREG(st.st_mode)) {
                if (st.st_size == 0) {
                    std::fclose(file);
                    return fail(name + ": empty file, not a pcap or pcapng capture");
                }
                reader.total_bytes_ = static_cast<std::uint64_t>(st.st_size);
            }
        }
        // Fewer, larger reads: libpcap reads record by record through stdio.
        std::setvbuf(file, nullptr, _IOFBF, 1u << 18);
    }

    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == nullptr) {
        // On failure libpcap leaves the FILE to us.
        if (!reader.is_stdin_)
            std::fclose(file);
        if (reader.is_stdin_ &&
            std::string_view(errbuf).find("truncated") != std::string_view::npos) {
            return fail(name + ": no capture on standard input (" + std::string(errbuf) + ")");
        }
        return fail(name + ": " + describe_open_error(errbuf));
    }
    reader.pcap_.reset(p);
    reader.link_type_ = pcap_datalink(p);
    return reader;
}

ReadStatus CaptureReader::next(CaptureRecord& record) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int rc = pcap_next_ex(pcap_.get(), &header, &data);
    if (rc == 1) {
        ++records_;
        record.frame = records_;
        // The reader was opened with nanosecond precision: tv_usec holds ns.
        record.time_ns = static_cast<std::int64_t>(header->ts.tv_sec) * 1'000'000'000 +
                         static_cast<std::int64_t>(header->ts.tv_usec);
        record.link_type = link_type_;
        record.data = ByteView(data, header->caplen);
        record.wire_length = header->len;
        return ReadStatus::record;
    }
    if (rc == PCAP_ERROR_BREAK)
        return ReadStatus::end;  // -2: end of file
    // A read cut by SIGINT/SIGTERM (EINTR on standard input) is the end the
    // user asked for, not a broken file.
    if (interrupt_requested())
        return ReadStatus::end;
    error_ = pcap_geterr(pcap_.get());
    // libpcap says "truncated dump file" / "truncated pcapng dump file" when
    // the file ends inside a record or block.
    if (error_.find("truncated") != std::string::npos)
        return ReadStatus::truncated;
    return ReadStatus::failed;
}

std::uint64_t CaptureReader::bytes_read() const {
    if (is_stdin_ || !pcap_)
        return 0;
    std::FILE* file = pcap_file(pcap_.get());
    if (file == nullptr)
        return 0;
    long pos = std::ftell(file);
    return pos < 0 ? 0 : static_cast<std::uint64_t>(pos);
}

}  // namespace coapjws::scan
