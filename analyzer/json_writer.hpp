// --format json: JSON Lines, one object per line, written with RapidJSON's
// Writer (correct escaping). Line types: "finding", "message" (--messages),
// "problem" (a cut or unreadable part of a capture), "unanalysed" (traffic
// that could not be analysed, one line per kind), "stream" (the per-stream
// table), "summary" (end of each capture), "error" (a capture that could
// not be read at all) and "overall" (end of a run over several captures).
// README.md documents every member.
#pragma once

#include <memory>
#include <string>

#include "report_writer.hpp"

namespace coapjws::scan {

std::unique_ptr<ReportWriter> make_json_writer(const WriterSettings& settings, std::string label,
                                               OrderedOutput::Channel& out);

// The "overall" line for several captures; "" for one.
std::string json_overall(const RunSummary& run, const WriterSettings& settings);

}  // namespace coapjws::scan
