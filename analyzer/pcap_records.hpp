// The records of a classic, uncompressed pcap file read with libpcap: the
// fast path of CaptureReader (capture_reader.cpp decides when it is taken;
// libwiretap still opens every file). libwiretap's read costs ~1 200
// instructions a record, half of them an option block it makes and frees
// per record; pcap_next_ex() reads the same record in about half that.
//
// This reader only says what libpcap saw. Whatever it cannot give exactly as
// libwiretap would (a read error, a record libpcap would cut to the file's
// snapshot length or refuses) is `hand_over`: the caller reads that record
// and the rest with libwiretap, so errors keep wiretap's texts.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

struct pcap;

namespace coapjws::scan {

class PcapRecords {
  public:
    enum class Status : std::uint8_t {
        record,     // `record` holds the next record
        end,        // clean end of the file
        truncated,  // the file ends inside a record's header or data
        hand_over,  // libpcap cannot give this record as libwiretap would
    };

    struct Record {
        const std::uint8_t* data = nullptr;
        std::uint32_t caplen = 0;
        std::uint32_t wire_length = 0;
        std::int64_t time_ns = 0;
    };

    // nullptr if libpcap does not open the file (it is then left to
    // libwiretap, which already did).
    static std::unique_ptr<PcapRecords> open(const std::string& path);

    // After hand_over, the file is left where it is: do not call again.
    Status next(Record& record);

    // Bytes of the file consumed: its header and the records returned.
    std::uint64_t offset() const { return offset_; }

  private:
    struct Close {
        void operator()(pcap* handle) const;  // pcap_close(), which closes the file too
    };

    std::unique_ptr<pcap, Close> handle_;
    std::FILE* file_ = nullptr;  // owned by handle_
    std::uint32_t snapshot_ = 0;
    std::uint64_t offset_ = 0;
};

}  // namespace coapjws::scan
