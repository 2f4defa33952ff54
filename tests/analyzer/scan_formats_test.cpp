// The three output formats of the binary: text, JSON Lines, JUnit XML.
#include <cstdlib>

#include "json_schema.hpp"
#include "scan_fixture.hpp"

namespace coapjws::scan::test {
namespace {

class Formats : public ScanTest {
  protected:
    void SetUp() override {
        scenario_ = std::make_unique<Scenario>(basic_scenario(Family::v4));
        capture_ = write_capture(
            "conv.pcap", scenario_->traffic.capture(CaptureFormat::pcap_us, Link::ethernet));
        keys_ = write_text("k.jwks", scenario_->keys_json);
    }
    std::unique_ptr<Scenario> scenario_;
    std::string capture_, keys_;
};

TEST_F(Formats, TextHasEveryFindingAndTheTable) {
    ScanRun run = run_scan_binary({"-k", keys_, capture_});
    EXPECT_EQ(run.status, 1);
    const std::string& t = run.out;
    // One line per finding, with frame, time, endpoints, TID, severity, id, related frame.
    EXPECT_NE(
        t.find(capture_ + ":6 2023-11-14T22:13:20.060000000Z 192.0.2.1:40000 -> 192.0.2.2:5683 "
                          "tid=client-1:0 error replay: "),
        std::string::npos)
        << t;
    EXPECT_NE(t.find("(related frame 1)"), std::string::npos);
    EXPECT_NE(t.find(capture_ + ":7 "), std::string::npos);
    EXPECT_NE(t.find("error bad-signature: "), std::string::npos);
    EXPECT_NE(t.find(capture_ + ":10 "), std::string::npos);
    EXPECT_NE(t.find("info retransmission: "), std::string::npos);
    EXPECT_NE(t.find("(related frame 5)"), std::string::npos);
    EXPECT_NE(t.find(capture_ + ":11 "), std::string::npos);
    EXPECT_NE(t.find("tid=- warning stripped: "), std::string::npos);
    // Summary and table.
    EXPECT_NE(t.find("11 packets, 8 CoAP messages, 7 with JWS"), std::string::npos) << t;
    EXPECT_NE(t.find("reassembled: 1 IP datagram from 2 fragments"), std::string::npos) << t;
    EXPECT_EQ(t.find("not analysed"), std::string::npos) << t;
    EXPECT_NE(t.find("highest seq"), std::string::npos);
    // Stream (192.0.2.2:5683, client-1): 1 5 6 7 9 10 -> 6 messages, 5 valid, 1 invalid,
    // highest accepted seq 3 (frames 1, 5 and 9; 6 was a replay).
    auto lines = split_lines(t);
    auto row = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
        return l.find("192.0.2.2:5683") != std::string::npos &&
               l.find("client-1") != std::string::npos && l.find("->") == std::string::npos;
    });
    ASSERT_NE(row, lines.end()) << t;
    std::istringstream fields(*row);
    std::string receiver, key, messages, valid, invalid, unverified, highest;
    fields >> receiver >> key >> messages >> valid >> invalid >> unverified >> highest;
    EXPECT_EQ(messages, "6");
    EXPECT_EQ(valid, "5");
    EXPECT_EQ(invalid, "1");
    EXPECT_EQ(unverified, "0");
    EXPECT_EQ(highest, "3");
    EXPECT_NE(row->find("replay 1"), std::string::npos);
}

TEST_F(Formats, TextMessagesListsEveryCoapMessage) {
    ScanRun run = run_scan_binary({"-k", keys_, "--messages", capture_});
    for (int frame : {1, 3, 5, 6, 7, 9, 10, 11}) {
        EXPECT_NE(run.out.find(capture_ + ":" + std::to_string(frame) + " "), std::string::npos)
            << frame;
    }
    EXPECT_EQ(run.out.find(capture_ + ":2 "), std::string::npos);  // TCP, not on a CoAP port
    EXPECT_EQ(run.out.find(capture_ + ":8 "), std::string::npos);  // the first fragment
    EXPECT_NE(run.out.find("response signature=valid"), std::string::npos) << run.out;
}

TEST_F(Formats, JsonEveryLineTypeMatchesTheSchema) {
    // finding, message and summary lines, plus an error line for a bad file.
    const std::string bad = write_text("bad.pcap", "nope");
    // The first fragment of a datagram whose rest was never captured.
    Traffic lost(Family::v4);
    lost.first_fragment_only(t0, host(1), 40000, host(2), 5683, Bytes(40, 0x42));
    const std::string partial =
        write_capture("lost.pcap", lost.capture(CaptureFormat::pcap_us, Link::ethernet));
    ScanRun run =
        run_scan_binary({"--format", "json", "--messages", "-k", keys_, capture_, partial, bad});
    std::set<std::string> types;
    for (const std::string& line : split_lines(run.out)) {
        EXPECT_EQ(check_json_line(line), "") << line;
        auto at = line.find("\"type\":\"");
        ASSERT_NE(at, std::string::npos);
        types.insert(line.substr(at + 8, line.find('"', at + 8) - at - 8));
    }
    // Several captures: an overall line; a fragment never reassembled: an
    // unanalysed line; the stream table as stream lines.
    EXPECT_EQ(types, (std::set<std::string>{"finding", "message", "unanalysed", "stream", "summary",
                                            "error", "overall"}));
    // Messages in frame order, each followed by its findings.
    JsonReport r = parse_json_report(run.out);
    EXPECT_EQ(r.file(capture_).message_frames,
              (std::vector<std::uint32_t>{1, 3, 5, 6, 7, 9, 10, 11}));
    EXPECT_EQ(r.file(capture_).kinds.at(3), "response");
    EXPECT_EQ(r.file(capture_).tids.at(1), std::optional<std::string>("client-1:0"));
    EXPECT_EQ(r.file(capture_).tids.at(3), std::nullopt);  // isi 01: no own TID
}

TEST_F(Formats, JunitIsWellFormedWithAFailurePerFinding) {
    const std::string report = path("junit.xml");
    ScanRun run =
        run_scan_binary({"--format", "junit", "-k", keys_, "-o", report, capture_, capture_});
    EXPECT_EQ(run.status, 1);
    const std::string check =
        std::string(COAPJWS_SYSTEM_PYTHON3) + " " + COAPJWS_CHECK_JUNIT + " " + report;
    EXPECT_EQ(std::system((check + " --suites 2 --failure replay --failure bad-signature").c_str()),
              0)
        << read_text_file(report);
    const std::string xml = read_text_file(report);
    // --fail-on error: warnings (stripped) and info (retransmission) are not failures.
    EXPECT_EQ(xml.find("type=\"stripped\""), std::string::npos);
    EXPECT_NE(xml.find("stripped"), std::string::npos) << "listed in system-out";

    ScanRun warnings = run_scan_binary(
        {"--format", "junit", "--fail-on", "warning", "-k", keys_, "-o", report, capture_});
    EXPECT_EQ(std::system((check + " --suites 1 --failure stripped --failure replay").c_str()), 0)
        << read_text_file(report);

    const std::string bad = write_text("bad.pcap", "nope");
    ScanRun with_error = run_scan_binary({"--format", "junit", "-o", report, bad});
    EXPECT_EQ(with_error.status, 2);
    EXPECT_EQ(std::system((check + " --suites 1 --error").c_str()), 0) << read_text_file(report);
}

}  // namespace
}  // namespace coapjws::scan::test
