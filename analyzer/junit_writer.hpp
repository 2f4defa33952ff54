// --format junit: JUnit XML for CI. One <testsuite> per capture, one
// <testcase> per stream (receiver, key id), one <failure> per finding at or
// above the --fail-on threshold; findings below it are listed in the test
// case's <system-out>. A capture that cannot be read is a test case with an
// <error>.
#pragma once

#include <memory>
#include <string>

#include "report_writer.hpp"

namespace coapjws::scan {

std::unique_ptr<ReportWriter> make_junit_writer(const WriterSettings& settings, std::string label,
                                                OrderedOutput::Channel& out);

// Escapes for XML 1.0 text and attribute values; controls and invalid UTF-8
// become "\xNN" (XML 1.0 cannot carry them even as character references).
std::string xml_escape(std::string_view text);

}  // namespace coapjws::scan
