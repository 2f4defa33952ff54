// --format junit: JUnit XML as CI servers read it (valid against Jenkins'
// junit-10.xsd; tests/schemas/). One <testsuite> per capture with `time` and
// `timestamp`; its test cases:
//   - "read capture": only when the file was cut short or unreadable, with an
//     <error> (counted in `errors`);
//   - "all CoAP-port traffic analysed": passes when nothing was left
//     unanalysed, else <failure> when that fails the run
//     (--fail-on-unanalysed, or nothing analysed at all) and <skipped> when
//     it does not (the traffic was not tested: a skip, not a pass);
//   - one per stream (receiver, key id), named so that the same traffic gives
//     the same names (no ephemeral client ports), with one <failure> listing
//     every finding at or above --fail-on; findings below it go to
//     <system-out>.
// `failures` counts failed test cases, not findings.
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
