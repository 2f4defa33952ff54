// The report of one capture in one output format. The session driver calls
// message() for every CoAP message in frame order, then summary(); a capture
// that could not be read at all gets input_error() instead.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "capture_summary.hpp"
#include "cli_options.hpp"
#include "coapjws/session.hpp"
#include "ordered_output.hpp"

namespace coapjws::scan {

class ReportWriter {
  public:
    virtual ~ReportWriter() = default;
    // `stream`: the message's row in the capture's StreamTable, if any.
    virtual void message(const MessageReport& report, std::optional<std::size_t> stream) = 0;
    virtual void summary(const CaptureSummary& summary) = 0;
    virtual void input_error(const std::string& message) = 0;
};

struct WriterSettings {
    OutputFormat format = OutputFormat::text;
    bool messages = false;                              // a line per CoAP message
    std::optional<Severity> fail_on = Severity::error;  // JUnit failure threshold
};

std::unique_ptr<ReportWriter> make_report_writer(const WriterSettings& settings, std::string label,
                                                 OrderedOutput::Channel& out);

// Text around all captures' reports (the JUnit document element).
std::string report_prologue(OutputFormat format);
std::string report_epilogue(OutputFormat format);

}  // namespace coapjws::scan
