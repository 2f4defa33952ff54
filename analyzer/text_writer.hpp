// --format text: one readable line per finding (and per message with
// --messages), then a summary with a per-stream table; with several
// captures an overall summary at the end.
#pragma once

#include <memory>
#include <string>

#include "report_writer.hpp"

namespace coapjws::scan {

std::unique_ptr<ReportWriter> make_text_writer(const WriterSettings& settings, std::string label,
                                               OrderedOutput::Channel& out);

// The summary block of one capture (also under the GitHub annotations).
std::string text_summary(const CaptureSummary& summary, const WriterSettings& settings);
// "== overall: ..." for several captures; "" for one.
std::string text_overall(const RunSummary& run, const WriterSettings& settings);

}  // namespace coapjws::scan
