// --format json: every line type against the documented schema, values and
// escaping.
#include "json_writer.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "json_schema.hpp"
#include "report_fixtures.hpp"
#include "scan_runner.hpp"

namespace coapjws::scan {
namespace {

using test::report;

rapidjson::Document parse(const std::string& line) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    EXPECT_FALSE(d.HasParseError()) << line;
    return d;
}

struct Written {
    std::vector<std::string> lines;
    std::vector<std::string> types() const {
        std::vector<std::string> t;
        for (const auto& line : lines) {
            rapidjson::Document d;
            d.Parse(line.c_str());
            t.push_back(d.IsObject() && d.HasMember("type") ? d["type"].GetString() : "?");
        }
        return t;
    }
};

Written write(bool messages, std::initializer_list<MessageReport> reports) {
    test::CapturedOutput out;
    WriterSettings settings;
    settings.format = OutputFormat::json;
    settings.messages = messages;
    auto writer = make_report_writer(settings, "cap.pcap", out.channel());
    StreamTable table(16);
    CaptureSummary summary;
    summary.label = "cap.pcap";
    for (const MessageReport& r : reports) {
        writer->message(r, table.record(r));
        ++summary.session.coap_messages;
        for (const Finding& f : r.findings)
            ++summary.findings[static_cast<std::size_t>(f.id)];
    }
    summary.decode.packets = 10;
    summary.decode.coap = 2;
    // Two fragments of a datagram that never completed: not analysed.
    summary.decode.fragments = 2;
    summary.decode.incomplete_fragments = 2;
    summary.decode.incomplete_datagrams = 1;
    summary.streams = &table;
    writer->summary(summary);
    return {test::split_lines(out.text())};
}

TEST(JsonWriter, EveryLineMatchesTheSchemaAndCarriesTheValues) {
    MessageReport request =
        report(7, "192.0.2.1:40000", "192.0.2.2:5683", SignatureStatus::valid, Tid{"client-1", 5},
               {Finding{FindingId::replay, "seq 5 \"again\"\tx", 3}});
    MessageReport response =
        report(8, "[2001:db8::2]:5683", "[2001:db8::1]:40000", SignatureStatus::none, std::nullopt);
    response.kind = MessageKind::response;
    Written w = write(true, {request, response});
    // message 7, finding 7, message 8, then the fragments not analysed, the
    // one stream (the response has no key id and no finding), the summary.
    ASSERT_EQ(w.types(), (std::vector<std::string>{"message", "finding", "message", "unanalysed",
                                                   "stream", "summary"}));
    for (const auto& line : w.lines)
        EXPECT_EQ(test::check_json_line(line), "") << line;

    auto m7 = parse(w.lines[0]);
    EXPECT_STREQ(m7["type"].GetString(), "message");
    EXPECT_STREQ(m7["kind"].GetString(), "request");
    EXPECT_STREQ(m7["signature"].GetString(), "valid");
    EXPECT_STREQ(m7["tid"].GetString(), "client-1:5");
    ASSERT_EQ(m7["findings"].Size(), 1u);
    EXPECT_STREQ(m7["findings"][0].GetString(), "replay");

    auto f7 = parse(w.lines[1]);
    EXPECT_STREQ(f7["type"].GetString(), "finding");
    EXPECT_STREQ(f7["file"].GetString(), "cap.pcap");
    EXPECT_EQ(f7["frame"].GetUint(), 7u);
    EXPECT_STREQ(f7["time"].GetString(), "1700000000.007000000");
    EXPECT_STREQ(f7["src"].GetString(), "192.0.2.1:40000");
    EXPECT_STREQ(f7["dst"].GetString(), "192.0.2.2:5683");
    EXPECT_STREQ(f7["id"].GetString(), "replay");
    EXPECT_STREQ(f7["severity"].GetString(), "error");
    EXPECT_STREQ(f7["message"].GetString(), "seq 5 \"again\"\tx");  // escaped and back
    EXPECT_EQ(f7["related_frame"].GetUint(), 3u);

    auto m8 = parse(w.lines[2]);
    EXPECT_TRUE(m8["tid"].IsNull());
    EXPECT_STREQ(m8["src"].GetString(), "[2001:db8::2]:5683");
    EXPECT_STREQ(m8["signature"].GetString(), "none");
    EXPECT_EQ(m8["findings"].Size(), 0u);

    auto u = parse(w.lines[3]);
    EXPECT_STREQ(u["id"].GetString(), "ip-fragments");
    EXPECT_EQ(u["count"].GetUint64(), 2u);
    EXPECT_STREQ(u["severity"].GetString(), "warning");
    EXPECT_FALSE(u["fails_run"].GetBool());  // two messages were analysed

    auto st = parse(w.lines[4]);
    EXPECT_STREQ(st["receiver"].GetString(), "192.0.2.2:5683");
    EXPECT_STREQ(st["key_id"].GetString(), "client-1");
    EXPECT_EQ(st["messages"].GetUint64(), 1u);
    EXPECT_EQ(st["valid"].GetUint64(), 1u);
    EXPECT_TRUE(st["highest_seq"].IsNull());  // its only message was a replay
    EXPECT_EQ(st["findings"]["replay"].GetUint64(), 1u);
    EXPECT_EQ(st["findings"].MemberCount(), 1u);

    auto s = parse(w.lines[5]);
    EXPECT_STREQ(s["type"].GetString(), "summary");
    EXPECT_EQ(s["version"].GetInt(), 2);
    EXPECT_EQ(s["unanalysed"]["ip-fragments"].GetUint64(), 2u);
    EXPECT_STREQ(s["outcome"].GetString(), "pass");
    EXPECT_EQ(s["packets"].GetUint64(), 10u);
    EXPECT_EQ(s["coap_messages"].GetUint64(), 2u);
    EXPECT_EQ(s["fragments"].GetUint64(), 2u);
    EXPECT_EQ(s["findings"]["replay"].GetUint64(), 1u);
    EXPECT_EQ(s["findings"]["bad-signature"].GetUint64(), 0u);
    EXPECT_FALSE(s["truncated"].GetBool());
}

TEST(JsonWriter, WithoutMessagesOnlyFindingsAndSummary) {
    Written w = write(
        false, {report(1, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::unverified, Tid{"k", 0},
                       {Finding{FindingId::unknown_key, "no key", {}}}),
                report(2, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::valid, Tid{"k", 1})});
    ASSERT_EQ(w.types(), (std::vector<std::string>{"finding", "unanalysed", "stream", "summary"}));
    auto f = parse(w.lines[0]);
    EXPECT_TRUE(f["related_frame"].IsNull());
    EXPECT_STREQ(f["severity"].GetString(), "warning");
    EXPECT_EQ(parse(w.lines[2])["highest_seq"].GetUint(), 1u);
}

TEST(JsonWriter, InvalidUtf8StaysValidJson) {
    Written w =
        write(false, {report(1, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::none,
                             std::nullopt, {Finding{FindingId::malformed, "bad \xff byte", {}}})});
    ASSERT_EQ(w.types(), (std::vector<std::string>{"finding", "unanalysed", "stream", "summary"}));
    EXPECT_EQ(test::check_json_line(w.lines[0]), "");
    EXPECT_STREQ(parse(w.lines[0])["message"].GetString(), "bad \\xff byte");
}

TEST(JsonWriter, ErrorLine) {
    test::CapturedOutput out;
    WriterSettings settings;
    settings.format = OutputFormat::json;
    auto writer = make_report_writer(settings, "gone.pcap", out.channel());
    writer->input_error("gone.pcap: cannot open: No such file or directory");
    auto lines = test::split_lines(out.text());
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(test::check_json_line(lines[0]), "");
    EXPECT_STREQ(parse(lines[0])["file"].GetString(), "gone.pcap");
}

}  // namespace
}  // namespace coapjws::scan

namespace coapjws::scan {
namespace {

// The schema check used by every JSON test must be able to fail.
TEST(JsonSchema, RejectsLinesOutsideTheSchema) {
    const std::string good =
        R"({"type":"finding","file":"f","frame":1,"time":"1.000000000","src":"192.0.2.1:1",)"
        R"("dst":"192.0.2.2:5683","tid":null,"id":"replay","severity":"error","message":"m",)"
        R"("related_frame":null})";
    EXPECT_EQ(test::check_json_line(good), "");
    auto with = [&](const std::string& from, const std::string& to) {
        std::string line = good;
        line.replace(line.find(from), from.size(), to);
        return test::check_json_line(line);
    };
    EXPECT_NE(with(R"("time":"1.000000000")", R"("time":1.0)"), "");
    EXPECT_NE(with(R"("time":"1.000000000")", R"("time":"1.000")"), "");
    EXPECT_NE(with(R"("severity":"error")", R"("severity":"warning")"), "");
    EXPECT_NE(with(R"("id":"replay")", R"("id":"replayed")"), "");
    EXPECT_NE(with(R"("src":"192.0.2.1:1")", R"("src":"192.0.2.1")"), "");
    EXPECT_NE(with(R"("frame":1)", R"("frame":0)"), "");
    EXPECT_NE(with(R"(,"related_frame":null)", ""), "");
    EXPECT_NE(with(R"("message":"m")", R"("message":"m","extra":1)"), "");
    EXPECT_NE(with(R"("tid":null)", R"("tid":"nocolon")"), "");
    EXPECT_NE(test::check_json_line("{\"type\":\"summary\",\"file\":\"f\"}"), "");
    EXPECT_NE(test::check_json_line("not json"), "");
}

}  // namespace
}  // namespace coapjws::scan
