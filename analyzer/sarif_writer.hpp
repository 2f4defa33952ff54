// --format sarif: one SARIF 2.1.0 log (validated against the OASIS schema in
// tests/schemas/) with a single run, as GitHub code scanning requires: every
// finding a result (rule = finding id, level = its severity, location = the
// capture file with the frame number as startLine, related frame as a related
// location), unanalysed traffic a result per kind (rule
// "unanalysed/<id>", level error when it fails the run), read problems and
// unreadable captures tool execution notifications, the exit status in the
// invocation. Captures analysed in parallel append to the one results array
// through OrderedOutput's element separator.
#pragma once

#include <memory>
#include <string>

#include "report_writer.hpp"

namespace coapjws::scan {

std::unique_ptr<ReportWriter> make_sarif_writer(const WriterSettings& settings, std::string label,
                                                OrderedOutput::Channel& out);
std::string sarif_prologue(const WriterSettings& settings);
std::string sarif_epilogue(const WriterSettings& settings, const RunSummary& run);

// A relative URI reference for a file name: unreserved characters and '/'
// as they are, every other byte percent-encoded.
std::string uri_reference(std::string_view path);

}  // namespace coapjws::scan
