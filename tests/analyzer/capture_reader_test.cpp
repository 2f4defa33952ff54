// Reading pcap and pcapng files written byte by byte from the format
// specifications (capture_file.cpp), and the bad-input cases.
#include "capture_reader.hpp"

#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <vector>

#include "capture_file.hpp"
#include "frame_source.hpp"
#include "scan_runner.hpp"

namespace coapjws::scan {
namespace {

using test::CaptureFormat;
using test::TestRecord;

std::vector<TestRecord> three_records() {
    return {
        {1'700'000'000'123'456'000, Bytes{1, 2, 3}, 0},
        {1'700'000'001'000'001'000, Bytes{4, 5}, 0},
        {1'700'000'002'999'999'000, Bytes(100, 7), 1500},  // cut by the snapshot length
    };
}

class EveryFormat : public ::testing::TestWithParam<CaptureFormat> {};

TEST_P(EveryFormat, ReadsRecordsTimestampsAndLengths) {
    test::ScratchDir dir;
    const std::string path = dir.path("c");
    const auto records = three_records();
    test::write_file(path, test::make_capture(GetParam(), DLT_EN10MB, records));

    auto reader = CaptureReader::open(path);
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(reader->link_type(), DLT_EN10MB);
    EXPECT_FALSE(reader->is_stdin());
    CaptureRecord r;
    for (std::size_t i = 0; i < records.size(); ++i) {
        ASSERT_EQ(reader->next(r), ReadStatus::record) << i;
        EXPECT_EQ(r.frame, i + 1);
        EXPECT_EQ(r.time_ns, records[i].time_ns);
        ASSERT_EQ(r.data.size(), records[i].data.size());
        EXPECT_TRUE(std::equal(r.data.begin(), r.data.end(), records[i].data.begin()));
        EXPECT_EQ(r.link_type, DLT_EN10MB);
    }
    EXPECT_TRUE(r.cut_by_snaplen()) << "the third record was cut";
    EXPECT_EQ(r.wire_length, 1500u);
    EXPECT_EQ(reader->next(r), ReadStatus::end);
    EXPECT_EQ(reader->records(), 3u);
    EXPECT_GT(reader->total_bytes(), 0u);
    EXPECT_EQ(reader->bytes_read(), reader->total_bytes());
}

INSTANTIATE_TEST_SUITE_P(Formats, EveryFormat,
                         ::testing::Values(CaptureFormat::pcap_us, CaptureFormat::pcap_ns,
                                           CaptureFormat::pcap_us_swapped, CaptureFormat::pcapng,
                                           CaptureFormat::pcapng_us));

TEST(CaptureReader, NanosecondsSurviveInNanosecondFormats) {
    test::ScratchDir dir;
    const std::vector<TestRecord> records = {{1'700'000'000'123'456'789, Bytes{1}, 0}};
    for (auto format : {CaptureFormat::pcap_ns, CaptureFormat::pcapng}) {
        test::write_file(dir.path("c"), test::make_capture(format, DLT_RAW, records));
        auto reader = CaptureReader::open(dir.path("c"));
        ASSERT_TRUE(reader);
        CaptureRecord r;
        ASSERT_EQ(reader->next(r), ReadStatus::record);
        EXPECT_EQ(r.time_ns, 1'700'000'000'123'456'789);
    }
}

TEST(CaptureReader, TruncatedInsideARecord) {
    test::ScratchDir dir;
    for (auto format : {CaptureFormat::pcap_us, CaptureFormat::pcapng}) {
        Bytes file = test::make_capture(format, DLT_EN10MB, three_records());
        file.resize(file.size() - 10);  // the last record loses its end
        test::write_file(dir.path("t"), file);
        auto reader = CaptureReader::open(dir.path("t"));
        ASSERT_TRUE(reader);
        CaptureRecord r;
        ASSERT_EQ(reader->next(r), ReadStatus::record);
        ASSERT_EQ(reader->next(r), ReadStatus::record);
        EXPECT_EQ(reader->next(r), ReadStatus::truncated);
        EXPECT_NE(reader->error().find("truncated"), std::string::npos) << reader->error();
    }
}

TEST(CaptureReader, TruncatedSourceReportsTheFile) {
    test::ScratchDir dir;
    Bytes file = test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, three_records());
    file.resize(file.size() - 10);
    test::write_file(dir.path("cut.pcap"), file);
    auto reader = CaptureReader::open(dir.path("cut.pcap"));
    ASSERT_TRUE(reader);
    SingleSource source(std::move(*reader));
    CaptureRecord r;
    int n = 0;
    while (source.next(r))
        ++n;
    EXPECT_EQ(n, 2);
    ASSERT_EQ(source.issues().size(), 1u);
    EXPECT_TRUE(source.issues()[0].truncated);
    EXPECT_NE(source.issues()[0].message.find(dir.path("cut.pcap")), std::string::npos);
    EXPECT_FALSE(source.next(r));
}

// Wireshark opens compressed captures as they are; so does the reader.
TEST(CaptureReader, CompressedCapturesReadAsTheOriginal) {
    test::ScratchDir dir;
    const auto records = three_records();
    for (auto format : {CaptureFormat::pcap_us, CaptureFormat::pcapng}) {
        for (auto compression :
             {test::Compression::gzip, test::Compression::zstd, test::Compression::lz4}) {
            const Bytes plain = test::make_capture(format, DLT_EN10MB, records);
            test::write_file(dir.path("c"), test::compress(plain, compression));
            auto reader = CaptureReader::open(dir.path("c"));
            ASSERT_TRUE(reader) << reader.error().message;
            EXPECT_NE(reader->format().find("compressed"), std::string::npos) << reader->format();
            CaptureRecord r;
            for (std::size_t i = 0; i < records.size(); ++i) {
                ASSERT_EQ(reader->next(r), ReadStatus::record) << i;
                EXPECT_EQ(r.time_ns, records[i].time_ns);
                EXPECT_TRUE(std::equal(r.data.begin(), r.data.end(), records[i].data.begin(),
                                       records[i].data.end()));
            }
            EXPECT_EQ(reader->next(r), ReadStatus::end);
        }
    }
}

// What mergecap writes when merging an SLL and an Ethernet capture, and what
// dumpcap -i any -i eth0 writes: one interface per link type.
TEST(CaptureReader, InterfacesOfDifferentLinkTypes) {
    test::ScratchDir dir;
    std::vector<TestRecord> records = three_records();
    records[0].interface = 1;
    records[1].interface = 0;
    records[2].interface = 2;
    const std::uint32_t links[] = {DLT_LINUX_SLL, DLT_EN10MB, DLT_IEEE802_11};
    test::write_file(dir.path("m.pcapng"), test::make_pcapng(links, records));
    auto reader = CaptureReader::open(dir.path("m.pcapng"));
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(reader->link_type(), per_record_link_type);
    CaptureRecord r;
    ASSERT_EQ(reader->next(r), ReadStatus::record);
    EXPECT_EQ(r.link_type, DLT_EN10MB);
    ASSERT_EQ(reader->next(r), ReadStatus::record);
    EXPECT_EQ(r.link_type, DLT_LINUX_SLL);
    ASSERT_EQ(reader->next(r), ReadStatus::record);
    EXPECT_EQ(r.link_type, DLT_IEEE802_11);
    EXPECT_EQ(reader->next(r), ReadStatus::end);
}

TEST(CaptureReader, EmptyFile) {
    test::ScratchDir dir;
    test::write_file(dir.path("empty.pcap"), std::string_view());
    auto reader = CaptureReader::open(dir.path("empty.pcap"));
    ASSERT_FALSE(reader);
    EXPECT_NE(reader.error().message.find("empty.pcap"), std::string::npos);
    EXPECT_NE(reader.error().message.find("empty file"), std::string::npos);
}

TEST(CaptureReader, TextFile) {
    test::ScratchDir dir;
    test::write_file(dir.path("notes.txt"), std::string_view("this is not a capture\n"));
    auto reader = CaptureReader::open(dir.path("notes.txt"));
    ASSERT_FALSE(reader);
    EXPECT_NE(reader.error().message.find("notes.txt"), std::string::npos);
    EXPECT_NE(reader.error().message.find("not a pcap or pcapng capture"), std::string::npos);
}

TEST(CaptureReader, HeaderOnlyIsAnEmptyCapture) {
    test::ScratchDir dir;
    test::write_file(dir.path("h.pcap"),
                     test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, {}));
    auto reader = CaptureReader::open(dir.path("h.pcap"));
    ASSERT_TRUE(reader);
    CaptureRecord r;
    EXPECT_EQ(reader->next(r), ReadStatus::end);
}

TEST(CaptureReader, ShortHeader) {
    test::ScratchDir dir;
    Bytes file = test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB, {});
    file.resize(10);
    test::write_file(dir.path("s.pcap"), file);
    auto reader = CaptureReader::open(dir.path("s.pcap"));
    ASSERT_FALSE(reader);
    EXPECT_NE(reader.error().message.find("s.pcap"), std::string::npos);
}

TEST(CaptureReader, MissingFileAndDirectory) {
    test::ScratchDir dir;
    auto missing = CaptureReader::open(dir.path("missing.pcap"));
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("missing.pcap"), std::string::npos);
    EXPECT_NE(missing.error().message.find("No such file"), std::string::npos);
    auto directory = CaptureReader::open(dir.path(""));
    ASSERT_FALSE(directory);
    EXPECT_NE(directory.error().message.find("directory"), std::string::npos);
}

}  // namespace
}  // namespace coapjws::scan
