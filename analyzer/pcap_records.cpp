#include "pcap_records.hpp"

#include <pcap/pcap.h>

#include <cstring>

namespace coapjws::scan {

namespace {

constexpr std::uint64_t file_header_size = 24;    // pcap(5): magic ... linktype
constexpr std::uint64_t record_header_size = 16;  // ts_sec, ts_usec, caplen, len
constexpr std::size_t stdio_buffer = 1u << 18;    // as bench/pcap_read.cpp measured

}  // namespace

std::unique_ptr<PcapRecords> PcapRecords::open(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
        return nullptr;
    std::setvbuf(file, nullptr, _IOFBF, stdio_buffer);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* handle =
        pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (handle == nullptr) {
        std::fclose(file);
        return nullptr;
    }
    auto records = std::make_unique<PcapRecords>();
    records->handle_.reset(handle);
    records->file_ = file;
    records->snapshot_ = static_cast<std::uint32_t>(pcap_snapshot(handle));
    records->offset_ = file_header_size;
    return records;
}

void PcapRecords::Close::operator()(pcap* handle) const {
    pcap_close(handle);
}

PcapRecords::Status PcapRecords::next(Record& record) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(handle_.get(), &header, &data);
    if (rc == PCAP_ERROR_BREAK)  // a savefile's end
        return Status::end;
    if (rc != 1) {
        // libpcap's words for a file that ends inside a record ("truncated
        // dump file; tried to read N header bytes, only got M"); anything
        // else is for libwiretap to say.
        const char* why = pcap_geterr(handle_.get());
        constexpr char cut[] = "truncated dump file";
        return std::strncmp(why, cut, sizeof cut - 1) == 0 ? Status::truncated : Status::hand_over;
    }
    offset_ += record_header_size + header->caplen;
    // libpcap cuts a record longer than the file's snapshot length to that
    // length and skips the rest; libwiretap keeps it whole. Such a record
    // comes back exactly snapshot-long, and the file has moved further
    // than its bytes.
    if (header->caplen >= snapshot_ && static_cast<std::uint64_t>(std::ftell(file_)) != offset_)
        return Status::hand_over;
    record.data = data;
    record.caplen = header->caplen;
    record.wire_length = header->len;
    // The file's fields are unsigned 32-bit; libpcap makes the seconds a
    // signed 32-bit value first, libwiretap does not (a time after 2038),
    // and a microsecond file's fraction is multiplied by 1000 as libwiretap
    // does, modulo 2^32 (a fraction beyond one second, in a damaged file).
    const auto secs = static_cast<std::uint32_t>(header->ts.tv_sec);
    const auto nsecs = static_cast<std::int32_t>(static_cast<std::uint32_t>(header->ts.tv_usec));
    record.time_ns = static_cast<std::int64_t>(secs) * 1'000'000'000 + nsecs;
    return Status::record;
}

}  // namespace coapjws::scan
