// The report of one capture in one output format. The session driver calls
// message() for every reported CoAP message in frame order, then summary();
// a capture that could not be read at all gets input_error() instead.
// report_prologue() and report_epilogue() write what surrounds all captures
// (the XML/SARIF document, the overall summary of several captures).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture_summary.hpp"
#include "cli_options.hpp"
#include "coapjws/session.hpp"
#include "ordered_output.hpp"
#include "outcome.hpp"

namespace coapjws::scan {

// Version of the JSON Lines format (the summary's "version" member); raised
// when a member changes meaning or goes away.
inline constexpr int json_format_version = 2;

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
    bool messages = false;  // a line per CoAP message
    RunPolicy policy;       // what fails the run (JUnit failures, SARIF levels, outcomes)
    std::vector<std::uint16_t> ports;  // the CoAP ports: receivers on others are clients
    std::vector<FindingId> ignore;     // listed in the summaries
    std::optional<Shard> shard;
    std::string version = "unknown";  // of coapjws-scan, for SARIF's tool
};

// The whole run, for the end of the report.
struct RunSummary {
    CaptureSummary totals;                  // every analysed capture's counters added up
    std::size_t captures = 0;               // given (a --merge group counts once)
    std::size_t unreadable = 0;             // of them, not analysed at all (input errors)
    std::size_t not_started = 0;            // left out because the run was interrupted
    std::vector<std::string> input_errors;  // what made them unreadable
    Outcome outcome = Outcome::pass;
    int exit_status = 0;
    std::optional<int> signal;  // SIGINT/SIGTERM that stopped the run
};

std::unique_ptr<ReportWriter> make_report_writer(const WriterSettings& settings, std::string label,
                                                 OrderedOutput::Channel& out);

std::string report_prologue(const WriterSettings& settings);
std::string report_epilogue(const WriterSettings& settings, const RunSummary& run);

// "192.0.2.2:5683" for a receiver on a CoAP port; "192.0.2.1:*" otherwise (a
// client's ephemeral port changes from one run of the same traffic to the
// next): names that stay the same between runs, for JUnit and SARIF.
std::string stable_receiver_name(const Endpoint& receiver, const std::vector<std::uint16_t>& ports);

}  // namespace coapjws::scan
