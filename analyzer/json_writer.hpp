// --format json: JSON Lines, one object per line, written with RapidJSON's
// Writer (correct escaping). Line types: "finding", "message" (--messages),
// "summary" (end of each capture) and "error" (a capture that could not be
// read). README.md documents every member.
#pragma once

#include <memory>
#include <string>

#include "report_writer.hpp"

namespace coapjws::scan {

std::unique_ptr<ReportWriter> make_json_writer(const WriterSettings& settings, std::string label,
                                               OrderedOutput::Channel& out);

}  // namespace coapjws::scan
