// --format github: GitHub Actions workflow commands, one annotation per line
// (`::error file=F,line=FRAME,title=T::MESSAGE`; docs.github.com, "Workflow
// commands for GitHub Actions"): findings by severity (error, warning,
// notice), the frame number as the line; unanalysed traffic and read
// problems as file annotations; then each capture's text summary as plain
// log lines. Values are escaped as the Actions toolkit does (% CR LF, and
// : , in properties).
#pragma once

#include <memory>
#include <string>

#include "report_writer.hpp"

namespace coapjws::scan {

std::unique_ptr<ReportWriter> make_github_writer(const WriterSettings& settings, std::string label,
                                                 OrderedOutput::Channel& out);

// The escapes of the workflow command format.
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

}  // namespace coapjws::scan
