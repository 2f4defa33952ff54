// Reads the records of one capture file (or "-" for standard input) with
// libwiretap, Wireshark's own reader: pcap and pcapng (any mix of link types
// per interface), their gzip, zstd and lz4 compressed forms, and every other
// format Wireshark opens. Records are numbered as Wireshark numbers frames.
// libwiretap opens every file; the records of a classic uncompressed pcap
// file whose link type the scanner decodes are then read with libpcap
// (pcap_records.hpp), which gives the same records at half the cost.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "coapjws/bytes.hpp"
#include "coapjws/result.hpp"

namespace coapjws::scan {

// Link type of a record that is not a packet (a pcapng systemd journal entry,
// a custom block, a file-specific event): Wireshark counts it as a frame.
inline constexpr int no_link_type = -2;
// The file's link type when its interfaces (or records) differ.
inline constexpr int per_record_link_type = -1;
// A link type that has no LINKTYPE_ number (formats other than pcap/pcapng).
inline constexpr int unknown_link_type = -3;

// One record as stored. `data` points into the reader's buffer and is valid
// until the next call to CaptureReader::next() on the same reader.
struct CaptureRecord {
    std::uint32_t frame = 0;        // 1-based record number, as Wireshark counts
    std::int64_t time_ns = 0;       // capture timestamp, ns since the epoch
    int link_type = 0;              // LINKTYPE_/DLT_ value, or no_link_type, unknown_link_type
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

class PcapRecords;

// Which library reads the records once libwiretap has opened the file.
enum class ReadPath : std::uint8_t {
    fastest,  // libpcap where it can (see above), libwiretap for the rest
    wiretap,  // libwiretap always (tests and benchmarks compare the two)
};

class CaptureReader {
  public:
    // Opens `path` ("-" is standard input). Errors name the file and the
    // problem: "x.pcap: empty file", "x.pcap: not a pcap or pcapng capture...".
    // The environment variable COAPJWS_SCAN_READER=wiretap makes `fastest`
    // mean `wiretap` (for benchmarks of the whole program).
    static Result<CaptureReader> open(const std::string& path,
                                      ReadPath read_path = ReadPath::fastest);

    CaptureReader(CaptureReader&&) noexcept;
    CaptureReader& operator=(CaptureReader&&) noexcept;
    ~CaptureReader();

    ReadStatus next(CaptureRecord& record);

    const std::string& path() const { return path_; }
    // The link type all records share, or per_record_link_type.
    int link_type() const;
    // "pcapng", "pcap", ... and the compression, for messages.
    std::string format() const;
    bool is_stdin() const { return is_stdin_; }
    // The records come from libpcap (until a record it cannot give as
    // libwiretap would; from there on, libwiretap reads, opened again).
    bool uses_libpcap() const { return pcap_ != nullptr; }
    // What went wrong, after next() returned truncated or failed.
    const std::string& error() const { return error_; }
    // Records read so far.
    std::uint32_t records() const { return records_; }
    // Bytes consumed from the file (compressed bytes for a compressed file,
    // for the progress bar), and its size; both 0 for standard input.
    std::uint64_t bytes_read() const;
    std::uint64_t total_bytes() const { return total_bytes_; }

  private:
    CaptureReader() = default;
    ReadStatus hand_over(CaptureRecord& record);

    struct Wiretap;  // the open file and its record buffer
    std::unique_ptr<Wiretap> wtap_;
    // The fast path: libpcap reads, libwiretap's handle is closed (wtap_
    // null) and its answers for link_type() and format() are kept.
    std::unique_ptr<PcapRecords> pcap_;
    int pcap_link_type_ = 0;
    std::string pcap_format_;
    std::string path_;
    std::string error_;
    bool is_stdin_ = false;
    std::uint32_t records_ = 0;
    std::uint64_t total_bytes_ = 0;
};

// A link type's name as Wireshark gives it ("Ethernet", "Linux cooked-mode
// capture v2", ...), or "unknown"; for messages.
std::string link_type_name(int link_type);

}  // namespace coapjws::scan
