// Reads the records of one pcap or pcapng capture (a file, or "-" for
// standard input) with libpcap, timestamps in nanoseconds.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "coapjws/bytes.hpp"
#include "coapjws/result.hpp"

struct pcap;

namespace coapjws::scan {

// One record as stored. `data` points into libpcap's buffer and is valid
// until the next call to CaptureReader::next() on the same reader.
struct CaptureRecord {
    std::uint32_t frame = 0;        // 1-based record number, as Wireshark counts
    std::int64_t time_ns = 0;       // capture timestamp, ns since the epoch
    int link_type = 0;              // DLT_ value of the reader
    ByteView data;                  // captured bytes
    std::uint32_t wire_length = 0;  // original length on the wire

    // The snapshot length cut this record short.
    bool cut_by_snaplen() const { return data.size() < wire_length; }
};

enum class ReadStatus : std::uint8_t {
    record,     // `record` holds the next record
    end,        // clean end of the capture
    truncated,  // the capture ends in the middle of a record (see error())
    failed,     // any other read error (see error())
};

class CaptureReader {
  public:
    // Opens `path` ("-" is standard input). Errors name the file and the
    // problem: "x.pcap: empty file", "x.pcap: not a pcap or pcapng capture".
    static Result<CaptureReader> open(const std::string& path);

    CaptureReader(CaptureReader&&) noexcept;
    CaptureReader& operator=(CaptureReader&&) noexcept;
    ~CaptureReader();

    ReadStatus next(CaptureRecord& record);

    const std::string& path() const { return path_; }
    int link_type() const { return link_type_; }
    bool is_stdin() const { return is_stdin_; }
    // What went wrong, after next() returned truncated or failed.
    const std::string& error() const { return error_; }
    // Records read so far.
    std::uint32_t records() const { return records_; }
    // Bytes consumed from the file (for the progress bar), and its size;
    // both 0 for standard input.
    std::uint64_t bytes_read() const;
    std::uint64_t total_bytes() const { return total_bytes_; }

  private:
    CaptureReader() = default;

    struct PcapCloser {
        void operator()(pcap* p) const;
    };
    std::unique_ptr<pcap, PcapCloser> pcap_;
    std::string path_;
    std::string error_;
    int link_type_ = 0;
    bool is_stdin_ = false;
    std::uint32_t records_ = 0;
    std::uint64_t total_bytes_ = 0;
};

}  // namespace coapjws::scan
