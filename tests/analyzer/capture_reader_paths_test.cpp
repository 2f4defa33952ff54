// The reader's two paths give the same records: libpcap for classic pcap
// files (the fast path) and libwiretap for every file (ReadPath::wiretap).
// Each file is read both ways and everything a record carries, the final
// status, the error text and the record count are compared; and each test
// checks that the fast path really was taken, so no comparison is vacuous.
#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <vector>

#include "capture_file.hpp"
#include "capture_reader.hpp"
#include "frame_source.hpp"
#include "scan_runner.hpp"

namespace coapjws::scan {
namespace {

using test::CaptureFormat;
using test::TestRecord;

struct Row {
    std::uint32_t frame = 0;
    std::int64_t time_ns = 0;
    int link_type = 0;
    Bytes data;
    std::uint32_t wire_length = 0;
    bool operator==(const Row&) const = default;
};

struct Reading {
    std::vector<Row> rows;
    ReadStatus status = ReadStatus::record;
    std::string error;
    std::uint32_t records = 0;
    bool libpcap_at_open = false;
    bool libpcap_at_end = false;
    std::uint64_t bytes_read = 0;
    std::string format;
    int link_type = 0;
};

Reading read_all(const std::string& path, ReadPath read_path) {
    Reading out;
    auto reader = CaptureReader::open(path, read_path);
    EXPECT_TRUE(reader) << path << ": " << reader.error().message;
    if (!reader)
        return out;
    out.libpcap_at_open = reader->uses_libpcap();
    out.format = reader->format();
    out.link_type = reader->link_type();
    CaptureRecord r;
    while ((out.status = reader->next(r)) == ReadStatus::record)
        out.rows.push_back(
            {r.frame, r.time_ns, r.link_type, Bytes(r.data.begin(), r.data.end()), r.wire_length});
    out.error = reader->error();
    out.records = reader->records();
    out.libpcap_at_end = reader->uses_libpcap();
    out.bytes_read = reader->bytes_read();
    return out;
}

// Reads `path` both ways, expects the same, and returns the fast reading.
Reading expect_same_both_ways(const std::string& path) {
    const Reading fast = read_all(path, ReadPath::fastest);
    const Reading wiretap = read_all(path, ReadPath::wiretap);
    EXPECT_FALSE(wiretap.libpcap_at_open) << path;
    EXPECT_EQ(fast.format, wiretap.format) << path;
    EXPECT_EQ(fast.link_type, wiretap.link_type) << path;
    EXPECT_EQ(fast.status, wiretap.status) << path;
    EXPECT_EQ(fast.error, wiretap.error) << path;
    EXPECT_EQ(fast.records, wiretap.records) << path;
    EXPECT_EQ(fast.rows.size(), wiretap.rows.size()) << path;
    for (std::size_t i = 0; i < std::min(fast.rows.size(), wiretap.rows.size()); ++i) {
        const Row& a = fast.rows[i];
        const Row& b = wiretap.rows[i];
        EXPECT_EQ(a.frame, b.frame) << path << " record " << i;
        EXPECT_EQ(a.time_ns, b.time_ns) << path << " record " << i;
        EXPECT_EQ(a.link_type, b.link_type) << path << " record " << i;
        EXPECT_EQ(a.data, b.data) << path << " record " << i;
        EXPECT_EQ(a.wire_length, b.wire_length) << path << " record " << i;
    }
    if (fast.status == ReadStatus::end) {
        EXPECT_EQ(fast.bytes_read, wiretap.bytes_read) << path;
    }
    return fast;
}

std::vector<TestRecord> assorted_records() {
    std::vector<TestRecord> records;
    for (std::uint32_t i = 0; i < 12; ++i) {
        Bytes data(1 + i * 37 % 300, 0);
        for (std::size_t j = 0; j < data.size(); ++j)
            data[j] = static_cast<std::uint8_t>(i * 31 + j);
        const std::int64_t time = 1'700'000'000'000'000'000 + i * 1'234'567'891LL;
        // Every third record was cut by the snapshot length.
        records.push_back({time, data, i % 3 == 2 ? 1500u + i : 0u});
    }
    return records;
}

bool is_capture_name(const std::filesystem::path& p) {
    const std::string name = p.filename().string();
    return name.find(".pcap") != std::string::npos;
}

// Every capture file of the repository (pcaps/, tests/): the classic pcap
// files go through libpcap, the rest (pcapng, compressed) through libwiretap.
TEST(CaptureReaderPaths, RepositoryCapturesReadTheSameBothWays) {
    int fast = 0;
    int files = 0;
    for (const char* dir : {"pcaps", "tests"}) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(
                 std::filesystem::path(COAPJWS_SOURCE_DIR) / dir)) {
            if (!entry.is_regular_file() || !is_capture_name(entry.path()))
                continue;
            ++files;
            const std::string path = entry.path().string();
            const Reading r = expect_same_both_ways(path);
            EXPECT_EQ(r.status, ReadStatus::end) << path;
            EXPECT_FALSE(r.rows.empty()) << path;
            const bool plain_pcap = entry.path().extension() == ".pcap";
            EXPECT_EQ(r.libpcap_at_open, plain_pcap) << path;
            EXPECT_EQ(r.libpcap_at_end, plain_pcap) << path;
            fast += r.libpcap_at_end ? 1 : 0;
        }
    }
    EXPECT_GE(files, 50);
    EXPECT_GE(fast, 45);
}

// Microsecond and nanosecond magic, both byte orders, each link type the
// scanner decodes; the values are also checked against what was written.
TEST(CaptureReaderPaths, GeneratedPcapFilesReadTheSameBothWays) {
    test::ScratchDir dir;
    const auto records = assorted_records();
    for (CaptureFormat format : {CaptureFormat::pcap_us, CaptureFormat::pcap_ns,
                                 CaptureFormat::pcap_us_swapped, CaptureFormat::pcap_ns_swapped}) {
        for (int link : {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, 101 /* LINKTYPE_RAW */,
                         DLT_NULL, DLT_LOOP, DLT_IPV4, DLT_IPV6}) {
            const std::string path = dir.path("g.pcap");
            const Bytes file =
                test::make_capture(format, static_cast<std::uint32_t>(link), records);
            test::write_file(path, file);
            SCOPED_TRACE(::testing::Message()
                         << "format " << static_cast<int>(format) << " link " << link);
            const Reading r = expect_same_both_ways(path);
            EXPECT_TRUE(r.libpcap_at_open);
            EXPECT_TRUE(r.libpcap_at_end);
            EXPECT_EQ(r.status, ReadStatus::end);
            EXPECT_EQ(r.bytes_read, file.size());
            ASSERT_EQ(r.rows.size(), records.size());
            const bool nano =
                format == CaptureFormat::pcap_ns || format == CaptureFormat::pcap_ns_swapped;
            for (std::size_t i = 0; i < records.size(); ++i) {
                EXPECT_EQ(r.rows[i].frame, i + 1);
                const std::int64_t unit = nano ? 1 : 1000;
                EXPECT_EQ(r.rows[i].time_ns, records[i].time_ns / unit * unit);
                EXPECT_EQ(r.rows[i].data, records[i].data);
                EXPECT_EQ(r.rows[i].wire_length, records[i].wire_length != 0
                                                     ? records[i].wire_length
                                                     : records[i].data.size());
            }
        }
    }
}

// pcap 2.2 and older wrote caplen and len the other way round, and 2.3 may
// have (libpcap and libwiretap both decide from the version and the
// values): read as 2.2, this file goes astray after its third record (a
// "caplen" of 1502), the same way on both paths. A version after 2.4 is
// refused by libpcap's open and left to libwiretap.
TEST(CaptureReaderPaths, OldVersionsReadTheSameBothWays) {
    test::ScratchDir dir;
    const auto records = assorted_records();
    for (int minor = 0; minor <= 5; ++minor) {
        Bytes file = test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, records);
        file[6] = static_cast<std::uint8_t>(minor);  // version_minor, little-endian
        const std::string path = dir.path("old.pcap");
        test::write_file(path, file);
        SCOPED_TRACE(::testing::Message() << "version 2." << minor);
        const Reading r = expect_same_both_ways(path);
        EXPECT_EQ(r.libpcap_at_open, minor <= 4);
        if (minor >= 3) {
            EXPECT_EQ(r.rows.size(), records.size());
        }
    }
}

// Every cut of a file, inside the file header excepted (that is an open
// error, the same either way): inside a record header or inside its data
// the status is `truncated` with the same records before it and the same
// words; on a record boundary it is a clean end. A few cuts inside the
// second record's header make libwiretap take the file for one of the
// modified pcap formats (Nokia, RedHat 6.1: longer record headers); it
// then reads it alone, and only the agreement is checked.
TEST(CaptureReaderPaths, EveryCutReadsTheSameBothWays) {
    test::ScratchDir dir;
    const std::vector<TestRecord> all = assorted_records();
    const std::vector<TestRecord> records(all.begin(), all.begin() + 4);
    for (CaptureFormat format : {CaptureFormat::pcap_us, CaptureFormat::pcap_ns_swapped}) {
        const Bytes whole = test::make_capture(format, DLT_EN10MB, records);
        std::vector<std::size_t> boundaries = {24};
        for (const TestRecord& rec : records)
            boundaries.push_back(boundaries.back() + 16 + rec.data.size());
        int truncated = 0;
        int variants = 0;
        for (std::size_t size = 25; size < whole.size(); ++size) {
            const std::string path = dir.path("cut.pcap");
            test::write_file(path, ByteView(whole.data(), size));
            SCOPED_TRACE(::testing::Message() << "cut at " << size);
            const Reading r = expect_same_both_ways(path);
            if (r.format.find("Wireshark/tcpdump/...") != 0) {
                EXPECT_FALSE(r.libpcap_at_open) << r.format;
                ++variants;
                continue;
            }
            EXPECT_TRUE(r.libpcap_at_end);
            const auto next = std::upper_bound(boundaries.begin(), boundaries.end(), size);
            const auto complete = static_cast<std::size_t>(next - boundaries.begin()) - 1;
            EXPECT_EQ(r.records, complete);
            const bool on_boundary = boundaries[complete] == size;
            EXPECT_EQ(r.status, on_boundary ? ReadStatus::end : ReadStatus::truncated);
            if (!on_boundary) {
                ++truncated;
                EXPECT_NE(r.error.find("truncated"), std::string::npos) << r.error;
            }
        }
        EXPECT_GT(truncated, 100);
        EXPECT_LE(variants, 4);
    }
}

// libpcap keeps the seconds as a signed 32-bit number; the file's field is
// unsigned, and libwiretap reads it so.
TEST(CaptureReaderPaths, TimesAfter2038) {
    test::ScratchDir dir;
    const std::vector<TestRecord> records = {{3'000'000'000'123'456'000, Bytes{1, 2, 3}, 0},
                                             {4'294'967'295'999'999'000, Bytes{4}, 0}};
    for (CaptureFormat format : {CaptureFormat::pcap_us, CaptureFormat::pcap_ns_swapped}) {
        test::write_file(dir.path("late.pcap"), test::make_capture(format, DLT_RAW, records));
        const Reading r = expect_same_both_ways(dir.path("late.pcap"));
        EXPECT_TRUE(r.libpcap_at_end);
        ASSERT_EQ(r.rows.size(), 2u);
        EXPECT_EQ(r.rows[0].time_ns, records[0].time_ns);
        EXPECT_EQ(r.rows[1].time_ns, records[1].time_ns);
    }
}

// A record longer than the file header's snapshot length: libpcap would cut
// it to that length; libwiretap keeps it whole, and takes over from there.
TEST(CaptureReaderPaths, RecordsBeyondTheSnapshotLengthStayWhole) {
    test::ScratchDir dir;
    const std::vector<TestRecord> records = {
        {1'700'000'000'000'000'000, Bytes(64, 1), 0},   // exactly the snapshot length
        {1'700'000'001'000'000'000, Bytes(100, 2), 0},  // beyond it
        {1'700'000'002'000'000'000, Bytes(10, 3), 0},
    };
    const std::string path = dir.path("snap.pcap");
    test::write_file(path, test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, records, 64));
    const Reading r = expect_same_both_ways(path);
    EXPECT_TRUE(r.libpcap_at_open);
    EXPECT_FALSE(r.libpcap_at_end) << "libwiretap took over at the long record";
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(r.rows[0].data, records[0].data);
    EXPECT_EQ(r.rows[1].data, records[1].data);
    EXPECT_EQ(r.rows[2].data, records[2].data);
    EXPECT_EQ(r.rows[2].frame, 3u);
}

// A record larger than any capture may hold (libpcap and libwiretap both
// refuse it): a read error naming the file, with the records before it.
TEST(CaptureReaderPaths, OversizedRecordIsAReadErrorNamingTheFile) {
    test::ScratchDir dir;
    const std::vector<TestRecord> records = {
        {1'700'000'000'000'000'000, Bytes(20, 1), 0},
        {1'700'000'001'000'000'000, Bytes(300'000, 2), 0},
        {1'700'000'002'000'000'000, Bytes(10, 3), 0},
    };
    const std::string path = dir.path("huge.pcap");
    test::write_file(path, test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, records));
    const Reading r = expect_same_both_ways(path);
    EXPECT_TRUE(r.libpcap_at_open);
    EXPECT_EQ(r.status, ReadStatus::failed);
    EXPECT_EQ(r.records, 1u);
    EXPECT_FALSE(r.error.empty());

    auto reader = CaptureReader::open(path);
    ASSERT_TRUE(reader);
    SingleSource source(std::move(*reader));
    CaptureRecord record;
    int n = 0;
    while (source.next(record))
        ++n;
    EXPECT_EQ(n, 1);
    ASSERT_EQ(source.issues().size(), 1u);
    EXPECT_FALSE(source.issues()[0].truncated);
    EXPECT_NE(source.issues()[0].message.find(path), std::string::npos)
        << source.issues()[0].message;
}

// Where libpcap would not read exactly as libwiretap, it is not used.
TEST(CaptureReaderPaths, OtherFilesStayWithWiretap) {
    test::ScratchDir dir;
    const auto records = assorted_records();
    auto fast_path = [&](const std::string& name, const Bytes& bytes) {
        test::write_file(dir.path(name), bytes);
        const Reading r = expect_same_both_ways(dir.path(name));
        EXPECT_EQ(r.rows.size(), records.size()) << name;
        return r.libpcap_at_open;
    };
    const Bytes plain = test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, records);
    EXPECT_TRUE(fast_path("plain.pcap", plain));
    EXPECT_FALSE(
        fast_path("c.pcapng", test::make_capture(CaptureFormat::pcapng, DLT_EN10MB, records)));
    EXPECT_FALSE(fast_path("c.pcap.gz", test::compress(plain, test::Compression::gzip)));
    EXPECT_FALSE(fast_path("c.pcap.zst", test::compress(plain, test::Compression::zstd)));
    // A link type the scanner does not decode (802.11): libpcap's
    // per-link-type fix-ups stay out of the picture.
    EXPECT_FALSE(fast_path("wifi.pcap",
                           test::make_capture(CaptureFormat::pcap_us, DLT_IEEE802_11, records)));
}

TEST(CaptureReaderPaths, EnvironmentForcesWiretap) {
    test::ScratchDir dir;
    test::write_file(dir.path("c.pcap"),
                     test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, assorted_records()));
    ::setenv("COAPJWS_SCAN_READER", "wiretap", 1);
    auto forced = CaptureReader::open(dir.path("c.pcap"));
    ::unsetenv("COAPJWS_SCAN_READER");
    auto normal = CaptureReader::open(dir.path("c.pcap"));
    ASSERT_TRUE(forced);
    ASSERT_TRUE(normal);
    EXPECT_FALSE(forced->uses_libpcap());
    EXPECT_TRUE(normal->uses_libpcap());
}

std::size_t open_descriptors() {
    const std::filesystem::directory_iterator fds("/proc/self/fd");
    return static_cast<std::size_t>(std::distance(begin(fds), end(fds)));
}

// --merge opens every file at once: the fast path holds one descriptor per
// file, as libwiretap alone does (its handle is closed once it has opened
// the file), until a hand-over opens libwiretap again.
TEST(CaptureReaderPaths, OneDescriptorPerFile) {
    test::ScratchDir dir;
    test::write_file(dir.path("c.pcap"),
                     test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, assorted_records()));
    for (ReadPath path : {ReadPath::fastest, ReadPath::wiretap}) {
        const std::size_t before = open_descriptors();
        auto reader = CaptureReader::open(dir.path("c.pcap"), path);
        ASSERT_TRUE(reader);
        EXPECT_EQ(reader->uses_libpcap(), path == ReadPath::fastest);
        EXPECT_EQ(open_descriptors(), before + 1);
    }
}

// The progress bar's count moves with the records on the fast path.
TEST(CaptureReaderPaths, BytesReadFollowTheRecords) {
    test::ScratchDir dir;
    const auto records = assorted_records();
    test::write_file(dir.path("c.pcap"),
                     test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, records));
    auto reader = CaptureReader::open(dir.path("c.pcap"));
    ASSERT_TRUE(reader);
    ASSERT_TRUE(reader->uses_libpcap());
    std::uint64_t expected = 24;
    EXPECT_EQ(reader->bytes_read(), expected);
    CaptureRecord r;
    for (const TestRecord& rec : records) {
        ASSERT_EQ(reader->next(r), ReadStatus::record);
        expected += 16 + rec.data.size();
        EXPECT_EQ(reader->bytes_read(), expected);
    }
    EXPECT_EQ(reader->bytes_read(), reader->total_bytes());
}

}  // namespace
}  // namespace coapjws::scan
