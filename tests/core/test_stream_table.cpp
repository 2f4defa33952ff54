// Stream rows: grouping, counts, highest accepted seq, the bound, and the
// facts a report gives its stream.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coapjws/stream_table.hpp"

namespace coapjws {
namespace {

Endpoint endpoint(const char* text) {
    auto e = Endpoint::parse(text);
    return e ? *e : Endpoint{};
}

MessageReport report(std::uint32_t frame, const char* src, const char* dst, SignatureStatus status,
                     std::optional<Tid> tid, std::initializer_list<Finding> findings = {}) {
    MessageReport r;
    r.frame = frame;
    r.src = endpoint(src);
    r.dst = endpoint(dst);
    r.kind = MessageKind::request;
    r.coap_valid = true;
    r.signature = status;
    if (tid)
        r.key_id = tid->key_id;
    r.tid = std::move(tid);
    r.findings = findings;
    return r;
}

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

TEST(StreamTable, HighestSeqCountsOnlyAcceptedMessages) {
    StreamTable t(16);
    const char* s = "192.0.2.1:1";
    const char* r = "192.0.2.2:5683";
    t.record(report(1, s, r, SignatureStatus::valid, Tid{"k", 5}));
    t.record(report(2, s, r, SignatureStatus::unverified, Tid{"k", 7}));
    t.record(report(3, s, r, SignatureStatus::invalid, Tid{"k", 100}));
    t.record(report(4, s, r, SignatureStatus::valid, Tid{"k", 99},
                    {Finding{FindingId::seq_exhausted, "x", {}}}));
    t.record(report(5, s, r, SignatureStatus::valid, Tid{"k", 3}));  // reordered, accepted
    ASSERT_EQ(t.rows().size(), 1u);
    EXPECT_EQ(t.rows()[0].highest_seq, 7u);
    EXPECT_EQ(t.rows()[0].valid, 3u);
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

TEST(StreamTable, WindowAcceptedSeqIsTheOwnTidOfAnAcceptedMessage) {
    const char* s = "192.0.2.1:1";
    const char* r = "192.0.2.2:5683";
    EXPECT_EQ(window_accepted_seq(report(1, s, r, SignatureStatus::valid, Tid{"k", 4})), 4u);
    EXPECT_EQ(window_accepted_seq(report(1, s, r, SignatureStatus::unverified, Tid{"k", 4})), 4u);
    EXPECT_FALSE(window_accepted_seq(report(1, s, r, SignatureStatus::invalid, Tid{"k", 4})));
    EXPECT_FALSE(window_accepted_seq(report(1, s, r, SignatureStatus::valid, std::nullopt)));
    for (FindingId verdict :
         {FindingId::replay, FindingId::out_of_window, FindingId::seq_exhausted}) {
        EXPECT_FALSE(window_accepted_seq(
            report(1, s, r, SignatureStatus::valid, Tid{"k", 4}, {Finding{verdict, "x", {}}})));
    }
    // Other findings say nothing about the window.
    EXPECT_EQ(window_accepted_seq(report(1, s, r, SignatureStatus::valid, Tid{"k", 4},
                                         {Finding{FindingId::isi_in_request, "x", {}}})),
              4u);
}

TEST(StreamTable, FactsAndReportCountTheSame) {
    StreamTable from_reports(16);
    StreamTable from_facts(16);
    const std::vector<MessageReport> reports = {
        report(1, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"k", 2}),
        report(2, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"k", 2},
               {Finding{FindingId::replay, "x", 1}}),
        report(3, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::invalid, Tid{"k", 9},
               {Finding{FindingId::bad_signature, "x", {}}}),
    };
    for (const MessageReport& r : reports) {
        from_reports.record(r);
        from_facts.record(stream_facts(r));
    }
    ASSERT_EQ(from_reports.rows().size(), 1u);
    ASSERT_EQ(from_facts.rows().size(), 1u);
    const StreamRow& row = from_facts.rows()[0];
    EXPECT_EQ(row.messages, 3u);
    EXPECT_EQ(row.highest_seq, 2u);
    EXPECT_EQ(row.finding_summary(), "bad-signature 1, replay 1");
    EXPECT_EQ(row.finding_summary(), from_reports.rows()[0].finding_summary());
}

TEST(StreamTable, FindingCountsStopAtTheirMaximum) {
    StreamTable t(4);
    StreamFacts facts;
    facts.receiver = endpoint("192.0.2.2:5683");
    facts.key_id = "c1";
    facts.findings[static_cast<std::size_t>(FindingId::replay)] = 65535;
    // 65 538 x 65 535 is past 2^32 - 1: the count saturates, never wraps.
    std::optional<std::size_t> row;
    for (int i = 0; i < 65538; ++i)
        row = t.record(facts);
    ASSERT_TRUE(row);
    EXPECT_EQ(t.rows()[*row].findings[static_cast<std::size_t>(FindingId::replay)], 4294967295u);
    EXPECT_EQ(t.rows()[*row].messages, 65538u);
}

TEST(StreamTable, ManyStreamsEachKeepTheirRow) {
    // Past the index's growth steps: every stream is found again in its row.
    StreamTable t(5000);
    std::vector<std::size_t> rows;
    for (int i = 0; i < 3000; ++i) {
        StreamFacts facts;
        facts.receiver = endpoint("192.0.2.2:5683");
        const std::string kid = "c" + std::to_string(i);
        facts.key_id = kid;
        rows.push_back(*t.record(facts));
    }
    for (int i = 0; i < 3000; ++i) {
        StreamFacts facts;
        facts.receiver = endpoint("192.0.2.2:5683");
        const std::string kid = "c" + std::to_string(i);
        facts.key_id = kid;
        EXPECT_EQ(t.record(facts), rows[static_cast<std::size_t>(i)]);
        EXPECT_EQ(t.rows()[rows[static_cast<std::size_t>(i)]].messages, 2u);
    }
    EXPECT_EQ(t.rows().size(), 3000u);
}

TEST(StreamTable, FindingSummaryOfARowWithoutFindings) {
    StreamTable t(4);
    t.record(report(1, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"k", 0}));
    EXPECT_EQ(t.rows()[0].finding_summary(), "-");
}

TEST(StreamTable, ClearForgetsEverything) {
    StreamTable t(1);
    t.record(report(1, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"a", 0}));
    t.record(report(2, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"b", 0}));
    t.clear();
    EXPECT_TRUE(t.rows().empty());
    EXPECT_EQ(t.overflowed_messages(), 0u);
    auto row =
        t.record(report(3, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"b", 0}));
    ASSERT_TRUE(row);
    EXPECT_FALSE(t.rows()[*row].overflow);
}

}  // namespace
}  // namespace coapjws

namespace coapjws {
namespace {

TEST(StreamTable, ResetCountsKeepsEachStreamInItsRow) {
    StreamTable t(1);
    const Endpoint receiver = *Endpoint::parse("192.0.2.2:5683");
    StreamFacts a;
    a.receiver = receiver;
    a.key_id = "a";
    a.signature = SignatureStatus::valid;
    a.accepted_seq = 4;
    StreamFacts b = a;
    b.key_id = "b";
    t.record(a);
    t.record(b);  // the overflow row
    t.reset_counts();
    ASSERT_EQ(t.rows().size(), 2u);
    EXPECT_EQ(t.rows()[0].messages, 0u);
    EXPECT_FALSE(t.rows()[0].highest_seq);
    EXPECT_EQ(t.overflowed_messages(), 0u);
    EXPECT_EQ(t.record(b), 1u);  // still the overflow row
    EXPECT_EQ(t.record(a), 0u);
    EXPECT_EQ(t.rows()[0].key.key_id, "a");
    EXPECT_EQ(t.rows()[0].messages, 1u);
}

}  // namespace
}  // namespace coapjws
