// --format junit: well-formed (checked by Python's XML parser), one
// testsuite per capture, one testcase per stream, failures by threshold.
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
    std::string command = std::string(COAPJWS_PYTHON3) + " " + COAPJWS_CHECK_JUNIT + " " +
                          dir.path("r.xml") + " " + expectations;
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string junit(std::optional<Severity> fail_on, const std::string& label,
                  std::initializer_list<MessageReport> reports) {
    test::CapturedOutput out;
    out.output().write_direct(report_prologue(OutputFormat::junit));
    WriterSettings settings;
    settings.format = OutputFormat::junit;
    settings.fail_on = fail_on;
    auto writer = make_report_writer(settings, label, out.channel());
    StreamTable table(16);
    CaptureSummary summary;
    summary.label = label;
    for (const MessageReport& r : reports)
        writer->message(r, table.record(r));
    summary.streams = &table;
    writer->summary(summary);
    out.channel().close();
    out.output().write_direct(report_epilogue(OutputFormat::junit));
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
    EXPECT_EQ(check(xml, "--suites 1 --failure replay --failure unknown-key"), 0) << xml;
    // Three streams: (192.0.2.2:5683, client-1), (192.0.2.2:5683, other), (192.0.2.9:5683,
    // client-1).
    EXPECT_NE(xml.find("tests=\"3\" failures=\"2\""), std::string::npos) << xml;
    // The info finding is below the threshold: listed, not failed.
    EXPECT_EQ(xml.find("type=\"retransmission\""), std::string::npos);
    EXPECT_NE(xml.find("<system-out>"), std::string::npos);
    EXPECT_NE(xml.find("name=\"192.0.2.9:5683 client-1\""), std::string::npos);
}

TEST(JunitWriter, ErrorThresholdAndNever) {
    std::string errors_only = junit(Severity::error, "cap.pcap", {replayed, unknown});
    EXPECT_EQ(check(errors_only, "--failure replay"), 0);
    EXPECT_NE(errors_only.find("failures=\"1\""), std::string::npos);
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
    out.output().write_direct(report_prologue(OutputFormat::junit));
    WriterSettings settings;
    settings.format = OutputFormat::junit;
    auto writer = make_report_writer(settings, "gone.pcap", out.channel());
    writer->input_error("gone.pcap: cannot open");
    out.channel().close();
    out.output().write_direct(report_epilogue(OutputFormat::junit));
    EXPECT_EQ(check(out.text(), "--suites 1 --error"), 0);
}

TEST(JunitWriter, CheckerRejectsBrokenXml) {
    // The checker itself must be able to fail.
    EXPECT_NE(check("<testsuites><testsuite name=\"x\"", ""), 0);
    EXPECT_NE(check("<testsuites><testsuite name=\"x\" tests=\"2\" failures=\"0\" errors=\"0\">"
                    "<testcase name=\"a\" classname=\"x\"/></testsuite></testsuites>",
                    ""),
              0);
}

}  // namespace
}  // namespace coapjws::scan
