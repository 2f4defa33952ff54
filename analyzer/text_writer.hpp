// --format text: one readable line per finding (and per message with
// --messages), then a summary with a per-stream table.
#pragma once

#include <memory>
#include <string>

#include "report_writer.hpp"

namespace coapjws::scan {

std::unique_ptr<ReportWriter> make_text_writer(const WriterSettings& settings, std::string label,
                                               OrderedOutput::Channel& out);

}  // namespace coapjws::scan
