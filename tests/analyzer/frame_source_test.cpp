// --merge: a k-way merge in timestamp order, frames renumbered from 1.
#include "frame_source.hpp"

#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include "capture_file.hpp"
#include "scan_runner.hpp"

namespace coapjws::scan {
namespace {

using test::CaptureFormat;
using test::TestRecord;

// Each record's single byte names it, so the merged order is readable.
std::vector<TestRecord> records(std::initializer_list<std::pair<std::int64_t, std::uint8_t>> list) {
    std::vector<TestRecord> out;
    for (auto [t, tag] : list)
        out.push_back({t, Bytes{tag}, 0});
    return out;
}

CaptureReader open(const std::string& path) {
    auto r = CaptureReader::open(path);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return std::move(*r);
}

TEST(MergedSource, TimestampOrderTiesByArgumentOrder) {
    test::ScratchDir dir;
    // a: 10 30 50   b: 20 30 40 (a pcapng with another link type)   c: empty
    test::write_file(dir.path("a"),
                     test::make_capture(CaptureFormat::pcap_us, DLT_EN10MB,
                                        records({{10'000, 0xa1}, {30'000, 0xa2}, {50'000, 0xa3}})));
    test::write_file(dir.path("b"),
                     test::make_capture(CaptureFormat::pcapng, DLT_RAW,
                                        records({{20'000, 0xb1}, {30'000, 0xb2}, {40'000, 0xb3}})));
    test::write_file(dir.path("c"), test::make_capture(CaptureFormat::pcap_ns, DLT_LINUX_SLL, {}));
    std::vector<CaptureReader> readers;
    readers.push_back(open(dir.path("a")));
    readers.push_back(open(dir.path("b")));
    readers.push_back(open(dir.path("c")));
    MergedSource merged(std::move(readers));
    EXPECT_FALSE(merged.streaming());

    const std::uint8_t expected_tags[] = {0xa1, 0xb1, 0xa2, 0xb2, 0xb3, 0xa3};
    const int expected_links[] = {DLT_EN10MB, DLT_RAW, DLT_EN10MB, DLT_RAW, DLT_RAW, DLT_EN10MB};
    CaptureRecord r;
    for (std::size_t i = 0; i < std::size(expected_tags); ++i) {
        ASSERT_TRUE(merged.next(r)) << i;
        EXPECT_EQ(r.frame, i + 1);
        ASSERT_EQ(r.data.size(), 1u);
        EXPECT_EQ(r.data[0], expected_tags[i]) << i;
        EXPECT_EQ(r.link_type, expected_links[i]) << i;
    }
    EXPECT_FALSE(merged.next(r));
    EXPECT_TRUE(merged.issues().empty());
}

TEST(MergedSource, UnsortedInputStillMerges) {
    // A file whose own records go back in time is taken as it comes (like mergecap).
    test::ScratchDir dir;
    test::write_file(dir.path("a"), test::make_capture(CaptureFormat::pcap_us, DLT_RAW,
                                                       records({{30'000, 1}, {10'000, 2}})));
    test::write_file(dir.path("b"),
                     test::make_capture(CaptureFormat::pcap_us, DLT_RAW, records({{20'000, 3}})));
    std::vector<CaptureReader> readers;
    readers.push_back(open(dir.path("a")));
    readers.push_back(open(dir.path("b")));
    MergedSource merged(std::move(readers));
    std::vector<int> order;
    CaptureRecord r;
    while (merged.next(r))
        order.push_back(r.data[0]);
    EXPECT_EQ(order, (std::vector<int>{3, 1, 2}));
}

TEST(MergedSource, TruncatedMemberEndsOnlyThatFile) {
    test::ScratchDir dir;
    const std::vector<TestRecord> a_records = {{10'000, Bytes(20, 1), 0},
                                               {40'000, Bytes(20, 2), 0}};
    Bytes a = test::make_capture(CaptureFormat::pcap_us, DLT_RAW, a_records);
    a.resize(a.size() - 5);
    test::write_file(dir.path("a"), a);
    test::write_file(dir.path("b"), test::make_capture(CaptureFormat::pcap_us, DLT_RAW,
                                                       records({{20'000, 3}, {50'000, 4}})));
    std::vector<CaptureReader> readers;
    readers.push_back(open(dir.path("a")));
    readers.push_back(open(dir.path("b")));
    MergedSource merged(std::move(readers));
    int n = 0;
    CaptureRecord r;
    while (merged.next(r))
        ++n;
    EXPECT_EQ(n, 3);
    ASSERT_EQ(merged.issues().size(), 1u);
    EXPECT_TRUE(merged.issues()[0].truncated);
    EXPECT_NE(merged.issues()[0].message.find(dir.path("a")), std::string::npos);
}

}  // namespace
}  // namespace coapjws::scan
