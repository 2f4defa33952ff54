// Stream rows: grouping, counts, the window's highest seq, the bound.
#include "stream_table.hpp"

#include <gtest/gtest.h>

#include "report_fixtures.hpp"

namespace coapjws::scan {
namespace {

using test::in_window;
using test::report;

TEST(StreamTable, GroupsByReceiverAndKeyId) {
    StreamTable t(16);
    auto a =
        t.record(report(1, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"c1", 0}));
    auto b =
        t.record(report(2, "192.0.2.7:9", "192.0.2.2:5683", SignatureStatus::valid, Tid{"c1", 1}));
    auto c =
        t.record(report(3, "192.0.2.1:1", "192.0.2.3:5683", SignatureStatus::valid, Tid{"c1", 0}));
    auto d =
        t.record(report(4, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"c2", 0}));
    ASSERT_TRUE(a && b && c && d);
    EXPECT_EQ(*a, *b);  // same receiver and key, other sender
    EXPECT_NE(*a, *c);
    EXPECT_NE(*a, *d);
    EXPECT_EQ(t.rows().size(), 3u);
    EXPECT_EQ(t.rows()[*a].messages, 2u);
}

TEST(StreamTable, UnsignedMessagesWithoutFindingsAreNotStreams) {
    StreamTable t(16);
    EXPECT_FALSE(
        t.record(report(1, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::none, std::nullopt)));
    auto s = t.record(report(2, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::none,
                             std::nullopt, {Finding{FindingId::stripped, "no JWS", 1}}));
    ASSERT_TRUE(s);
    EXPECT_EQ(t.rows()[*s].display_key_id(), "-");
    EXPECT_EQ(t.rows()[*s].unsigned_messages, 1u);
    EXPECT_EQ(t.rows()[*s].findings[static_cast<std::size_t>(FindingId::stripped)], 1u);
}

// The highest seq is the window's, as the engine reports it after each
// message that reached the window; messages that did not leave it alone.
TEST(StreamTable, HighestSeqIsTheWindowsAsReported) {
    StreamTable t(16);
    const char* s = "192.0.2.1:1";
    const char* r = "192.0.2.2:5683";
    t.record(report(1, s, r, SignatureStatus::valid, Tid{"k", 5}));  // no window: nothing yet
    EXPECT_FALSE(t.rows()[0].highest_seq.has_value());
    t.record(in_window(report(2, s, r, SignatureStatus::valid, Tid{"k", 5}),
                       WindowVerdict::accepted, 5));
    t.record(in_window(report(3, s, r, SignatureStatus::unverified, Tid{"k", 7}),
                       WindowVerdict::accepted, 7));
    t.record(report(4, s, r, SignatureStatus::invalid, Tid{"k", 100}));
    t.record(in_window(
        report(5, s, r, SignatureStatus::valid, Tid{"k", 5}, {Finding{FindingId::replay, "x", 2}}),
        WindowVerdict::replay, 7));
    t.record(in_window(report(6, s, r, SignatureStatus::valid, Tid{"k", 3}),
                       WindowVerdict::accepted, 7));  // reordered, accepted
    ASSERT_EQ(t.rows().size(), 1u);
    EXPECT_EQ(t.rows()[0].highest_seq, 7u);
    EXPECT_EQ(t.rows()[0].valid, 4u);
    EXPECT_EQ(t.rows()[0].invalid, 1u);
    EXPECT_EQ(t.rows()[0].unverified, 1u);
}

TEST(StreamTable, BoundedWithAnOverflowRow) {
    StreamTable t(2);
    for (std::uint32_t i = 0; i < 5; ++i) {
        t.record(report(i + 1, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid,
                        Tid{"k" + std::to_string(i), 0}));
    }
    EXPECT_EQ(t.rows().size(), 3u);  // two streams and the overflow row
    EXPECT_EQ(t.overflowed_messages(), 3u);
    auto order = t.sorted();
    EXPECT_TRUE(t.rows()[order.back()].overflow);
    EXPECT_EQ(t.rows()[order.back()].messages, 3u);
    EXPECT_EQ(t.rows()[order.back()].display_key_id(), "(other streams)");
}

TEST(StreamTable, SortedByReceiverThenKey) {
    StreamTable t(16);
    t.record(report(1, "192.0.2.1:1", "192.0.2.9:5683", SignatureStatus::valid, Tid{"b", 0}));
    t.record(report(2, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"z", 0}));
    t.record(report(3, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"a", 0}));
    auto order = t.sorted();
    EXPECT_EQ(t.rows()[order[0]].key.key_id, "a");
    EXPECT_EQ(t.rows()[order[1]].key.key_id, "z");
    EXPECT_EQ(t.rows()[order[2]].key.key_id, "b");
}

}  // namespace
}  // namespace coapjws::scan
