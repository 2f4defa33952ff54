// --format junit: valid against Jenkins' junit-10.xsd (xmllint) and read by
// junitparser (check_junit.py); one testsuite per capture, one testcase per
// stream, failures by threshold and counted per test case.
#include "junit_writer.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "capture_file.hpp"
#include "report_fixtures.hpp"
#include "scan_runner.hpp"

namespace coapjws::scan {
namespace {

using test::report;

// Runs check_junit.py on `xml`; returns its exit status and prints its words.
int check(const std::string& xml, const std::string& expectations) {
    test::ScratchDir dir;
    test::write_file(dir.path("r.xml"), std::string_view(xml));
    std::string command = std::string(COAPJWS_SYSTEM_PYTHON3) + " " + COAPJWS_CHECK_JUNIT + " " +
                          dir.path("r.xml") + " " + expectations;
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

WriterSettings junit_settings(std::optional<Severity> fail_on) {
    WriterSettings settings;
    settings.format = OutputFormat::junit;
    settings.policy.fail_on = fail_on;
    settings.ports = {5683};
    return settings;
}

std::string junit(std::optional<Severity> fail_on, const std::string& label,
                  std::initializer_list<MessageReport> reports,
                  const CaptureSummary& base = CaptureSummary()) {
    test::CapturedOutput out;
    const WriterSettings settings = junit_settings(fail_on);
    out.output().write_direct(report_prologue(settings));
    auto writer = make_report_writer(settings, label, out.channel());
    StreamTable table(16);
    CaptureSummary summary = base;
    summary.label = label;
    for (const MessageReport& r : reports) {
        for (const Finding& f : r.findings) {
            if (!summary.worst || f.severity() > *summary.worst)
                summary.worst = f.severity();
        }
        writer->message(r, table.record(r));
    }
    summary.streams = &table;
    writer->summary(summary);
    out.channel().close();
    out.output().write_direct(report_epilogue(settings, RunSummary()));
    return out.text();
}

const MessageReport replayed =
    report(9, "192.0.2.1:40000", "192.0.2.2:5683", SignatureStatus::valid, Tid{"client-1", 5},
           {Finding{FindingId::replay, "seq 5 again", 4}});
const MessageReport unknown =
    report(10, "192.0.2.3:40000", "192.0.2.2:5683", SignatureStatus::unverified, Tid{"other", 1},
           {Finding{FindingId::unknown_key, "no key \"other\"", {}}});
const MessageReport retransmitted =
    report(11, "192.0.2.1:40000", "192.0.2.2:5683", SignatureStatus::valid, Tid{"client-1", 6},
           {Finding{FindingId::retransmission, "copy", 10}});
const MessageReport clean =
    report(12, "192.0.2.1:40000", "192.0.2.9:5683", SignatureStatus::valid, Tid{"client-1", 7});

TEST(JunitWriter, FailuresAtOrAboveTheThreshold) {
    std::string xml =
        junit(Severity::warning, "cap.pcap", {replayed, unknown, retransmitted, clean});
    EXPECT_EQ(check(xml, "--suites 1 --failure replay --failure unknown-key --ports 5683"), 0)
        << xml;
    // Three streams: (192.0.2.2:5683, client-1), (192.0.2.2:5683, other), (192.0.2.9:5683,
    // client-1), and the unanalysed-traffic case; two of them fail.
    EXPECT_NE(xml.find("tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"0\""), std::string::npos)
        << xml;
    // The info finding is below the threshold: listed, not failed.
    EXPECT_EQ(xml.find("type=\"retransmission\""), std::string::npos);
    EXPECT_NE(xml.find("<system-out>"), std::string::npos);
    EXPECT_NE(xml.find("name=\"192.0.2.9:5683 client-1\""), std::string::npos);
}

TEST(JunitWriter, ErrorThresholdAndNever) {
    std::string errors_only = junit(Severity::error, "cap.pcap", {replayed, unknown});
    EXPECT_EQ(check(errors_only, "--failure replay"), 0);
    EXPECT_NE(errors_only.find("failures=\"1\""), std::string::npos);
    // Failures count failed test cases, not findings: three replays in one
    // stream are one failed test case.
    MessageReport again = replayed;
    again.frame = 20;
    MessageReport third = replayed;
    third.frame = 21;
    std::string three = junit(Severity::error, "cap.pcap", {replayed, again, third});
    EXPECT_EQ(check(three, "--failure replay"), 0) << three;
    EXPECT_NE(three.find("failures=\"1\""), std::string::npos) << three;
    EXPECT_NE(three.find("3 findings at or above error: replay 3"), std::string::npos) << three;
    std::string never = junit(std::nullopt, "cap.pcap", {replayed, unknown});
    EXPECT_EQ(check(never, "--no-failures"), 0) << never;
}

TEST(JunitWriter, EscapesNamesAndMessages) {
    MessageReport nasty =
        report(3, "192.0.2.1:1", "192.0.2.2:5683", SignatureStatus::invalid, Tid{"k<&>\"'", 1},
               {Finding{FindingId::bad_signature, "</failure>\x01\x1b]0;x\x07 \xff", {}}});
    std::string xml = junit(Severity::error, "we<i>rd&\"name\".pcap", {nasty});
    EXPECT_EQ(check(xml, "--suites 1 --failure bad-signature"), 0) << xml;
}

TEST(JunitWriter, EmptyCaptureStillHasATestcase) {
    std::string xml = junit(Severity::error, "empty.pcap", {});
    EXPECT_EQ(check(xml, "--suites 1 --no-failures"), 0) << xml;
}

TEST(JunitWriter, InputErrorIsAnErrorElement) {
    test::CapturedOutput out;
    const WriterSettings settings = junit_settings(Severity::error);
    out.output().write_direct(report_prologue(settings));
    auto writer = make_report_writer(settings, "gone.pcap", out.channel());
    writer->input_error("gone.pcap: cannot open");
    out.channel().close();
    out.output().write_direct(report_epilogue(settings, RunSummary()));
    const std::string xml = out.text();
    EXPECT_EQ(check(xml, "--suites 1 --error"), 0) << xml;
    EXPECT_NE(xml.find("errors=\"1\""), std::string::npos) << xml;
}

TEST(JunitWriter, CutCaptureIsAnErrorElement) {
    CaptureSummary cut;
    cut.issues.push_back({"cut.pcap: capture cut short after 3 records", true});
    std::string xml = junit(Severity::error, "cut.pcap", {replayed}, cut);
    EXPECT_EQ(check(xml, "--suites 1 --error --failure replay"), 0) << xml;
    EXPECT_NE(xml.find("<error type=\"truncated\""), std::string::npos) << xml;
}

TEST(JunitWriter, UnanalysedTrafficSkipsOrFails) {
    CaptureSummary fragments;
    fragments.decode.fragments = 12;  // of datagrams never completed
    fragments.decode.incomplete_fragments = 12;
    fragments.decode.incomplete_datagrams = 4;
    fragments.decode.coap = 4;  // some analysed: the default lets it pass, as a skip
    std::string skipped = junit(Severity::error, "frag.pcap", {clean}, fragments);
    EXPECT_EQ(check(skipped, "--suites 1 --skipped --no-failures"), 0) << skipped;
    EXPECT_NE(skipped.find("12 IP fragments"), std::string::npos) << skipped;

    fragments.decode.coap = 0;  // nothing analysed: a failure by default
    std::string failed = junit(Severity::error, "frag.pcap", {}, fragments);
    EXPECT_EQ(check(failed, "--suites 1 --failure unanalysed"), 0) << failed;
    EXPECT_NE(failed.find("failures=\"1\""), std::string::npos) << failed;
}

TEST(JunitWriter, EphemeralClientPortsAreNotInNames) {
    // A response with its own TID is a stream at the client; the client's
    // port changes between runs of the same traffic.
    MessageReport response = report(4, "192.0.2.2:5683", "192.0.2.1:40001", SignatureStatus::valid,
                                    Tid{"server", 3}, {Finding{FindingId::replay, "again", 2}});
    MessageReport other_port = response;
    other_port.dst = test::endpoint("192.0.2.1:51234");
    other_port.frame = 5;
    std::string xml = junit(Severity::error, "c.pcap", {response, other_port});
    EXPECT_EQ(check(xml, "--ports 5683"), 0) << xml;
    EXPECT_NE(xml.find("name=\"192.0.2.1:* server\""), std::string::npos) << xml;
    EXPECT_EQ(xml.find("40001\" "), std::string::npos);
    // The two client ports are one test case.
    EXPECT_NE(xml.find("tests=\"2\" failures=\"1\""), std::string::npos) << xml;
}

TEST(JunitWriter, CheckerRejectsBrokenXml) {
    // The checker itself must be able to fail.
    EXPECT_NE(check("<testsuites><testsuite name=\"x\"", ""), 0);
    EXPECT_NE(check("<testsuites><testsuite name=\"x\" tests=\"2\" failures=\"0\" errors=\"0\" "
                    "skipped=\"0\" time=\"0\" timestamp=\"2024-01-01T00:00:00\">"
                    "<testcase name=\"a\" classname=\"x\"/></testsuite></testsuites>",
                    ""),
              0);
    // Valid, but failures counts findings instead of failed test cases.
    EXPECT_NE(check("<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"2\" errors=\"0\" "
                    "skipped=\"0\" time=\"0\" timestamp=\"2024-01-01T00:00:00\">"
                    "<testcase name=\"a\" classname=\"x\"><failure type=\"replay\" "
                    "message=\"m\"/><failure type=\"replay\" message=\"m\"/></testcase>"
                    "</testsuite></testsuites>",
                    ""),
              0);
    // Not valid against junit-10.xsd: testsuite without errors.
    EXPECT_NE(check("<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" time=\"0\" "
                    "timestamp=\"2024-01-01T00:00:00\"><testcase name=\"a\" classname=\"x\"/>"
                    "</testsuite></testsuites>",
                    ""),
              0);
    // An ephemeral port in a test case name.
    EXPECT_NE(
        check("<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" "
              "skipped=\"0\" time=\"0\" timestamp=\"2024-01-01T00:00:00\">"
              "<testcase name=\"192.0.2.1:40001 k\" classname=\"x\"/></testsuite></testsuites>",
              "--ports 5683"),
        0);
}

}  // namespace
}  // namespace coapjws::scan
