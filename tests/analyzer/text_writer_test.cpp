// --format text: finding lines and the per-stream table.
#include "text_writer.hpp"

#include <gtest/gtest.h>

#include "report_fixtures.hpp"
#include "scan_runner.hpp"

namespace coapjws::scan {
namespace {

using test::report;

std::string text(bool messages, std::initializer_list<MessageReport> reports) {
    test::CapturedOutput out;
    WriterSettings settings;
    settings.messages = messages;
    auto writer = make_report_writer(settings, "cap.pcap", out.channel());
    StreamTable table(16);
    CaptureSummary summary;
    summary.label = "cap.pcap";
    for (const MessageReport& r : reports) {
        writer->message(r, table.record(r));
        ++summary.session.coap_messages;
        ++summary.signatures[static_cast<std::size_t>(r.signature)];
        for (const Finding& f : r.findings)
            ++summary.findings[static_cast<std::size_t>(f.id)];
    }
    summary.decode.packets = 4;
    summary.streams = &table;
    writer->summary(summary);
    return out.text();
}

TEST(TextWriter, FindingLineHasEveryField) {
    std::string t = text(
        false,
        {report(9, "192.0.2.1:40000", "192.0.2.2:5683", SignatureStatus::valid, Tid{"client-1", 5},
                {Finding{FindingId::replay, "seq 5 was accepted before", 4}})});
    EXPECT_NE(t.find("cap.pcap:9 2023-11-14T22:13:20.009000000Z 192.0.2.1:40000 -> 192.0.2.2:5683 "
                     "tid=client-1:5 error replay: seq 5 was accepted before (related frame 4)\n"),
              std::string::npos)
        << t;
}

TEST(TextWriter, SummaryTable) {
    std::string t = text(
        false,
        {report(1, "192.0.2.1:40000", "192.0.2.2:5683", SignatureStatus::valid, Tid{"client-1", 5}),
         report(2, "192.0.2.1:40000", "192.0.2.2:5683", SignatureStatus::valid, Tid{"client-1", 5},
                {Finding{FindingId::replay, "again", 1}}),
         report(3, "192.0.2.1:40000", "192.0.2.2:5683", SignatureStatus::invalid,
                Tid{"client-1", 9}, {Finding{FindingId::bad_signature, "forged", {}}}),
         report(4, "192.0.2.1:40000", "192.0.2.2:5683", SignatureStatus::unverified,
                Tid{"client-1", 6})});
    EXPECT_NE(t.find("4 packets"), std::string::npos) << t;
    // Counts in the profile's order of findings (spec §6 table).
    EXPECT_NE(t.find("findings: bad-signature 1, replay 1"), std::string::npos) << t;
    // Header, then the one stream: 4 messages, 2 valid, 1 invalid, 1 unverified,
    // highest accepted seq 6 (5 and 6 accepted; 9 was invalid, the replay not accepted).
    auto lines = test::split_lines(t);
    auto row = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
        return l.find("client-1") != std::string::npos &&
               l.find("->") == std::string::npos;  // a table row, not a finding line
    });
    ASSERT_NE(row, lines.end()) << t;
    std::istringstream fields(*row);
    std::string receiver, key, messages, valid, invalid, unverified, highest;
    fields >> receiver >> key >> messages >> valid >> invalid >> unverified >> highest;
    EXPECT_EQ(receiver, "192.0.2.2:5683");
    EXPECT_EQ(key, "client-1");
    EXPECT_EQ(messages, "4");
    EXPECT_EQ(valid, "2");
    EXPECT_EQ(invalid, "1");
    EXPECT_EQ(unverified, "1");
    EXPECT_EQ(highest, "6");
    EXPECT_NE(row->find("bad-signature 1, replay 1"), std::string::npos);
    EXPECT_NE(t.find("receiver"), std::string::npos);
    EXPECT_NE(t.find("highest seq"), std::string::npos);
}

TEST(TextWriter, MessagesFlagListsEveryMessage) {
    std::string t = text(
        true,
        {report(1, "192.0.2.1:40000", "192.0.2.2:5683", SignatureStatus::valid, Tid{"client-1", 0}),
         report(2, "192.0.2.2:5683", "192.0.2.1:40000", SignatureStatus::none, std::nullopt)});
    EXPECT_NE(t.find("cap.pcap:1 "), std::string::npos);
    EXPECT_NE(t.find("request signature=valid findings=-"), std::string::npos) << t;
    EXPECT_NE(t.find("cap.pcap:2 "), std::string::npos);
    EXPECT_NE(t.find("tid=- request signature=none"), std::string::npos) << t;
}

TEST(TextWriter, TerminalEscapesAreNeutralised) {
    std::string t =
        text(false, {report(1, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::unverified,
                            Tid{"evil\x1b[2J", 1},
                            {Finding{FindingId::unknown_key, "no key \x1b[2J\nFAKE LINE", {}}})});
    EXPECT_EQ(t.find('\x1b'), std::string::npos);
    EXPECT_NE(t.find("\\x1b[2J\\x0aFAKE LINE"), std::string::npos) << t;
}

}  // namespace
}  // namespace coapjws::scan
