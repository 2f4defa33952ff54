#include "report_writer.hpp"

#include <algorithm>

#include "github_writer.hpp"
#include "json_writer.hpp"
#include "junit_writer.hpp"
#include "sarif_writer.hpp"
#include "text_writer.hpp"

namespace coapjws::scan {

std::unique_ptr<ReportWriter> make_report_writer(const WriterSettings& settings, std::string label,
                                                 OrderedOutput::Channel& out) {
    switch (settings.format) {
        case OutputFormat::text:
            return make_text_writer(settings, std::move(label), out);
        case OutputFormat::json:
            return make_json_writer(settings, std::move(label), out);
        case OutputFormat::junit:
            return make_junit_writer(settings, std::move(label), out);
        case OutputFormat::sarif:
            return make_sarif_writer(settings, std::move(label), out);
        case OutputFormat::github:
            return make_github_writer(settings, std::move(label), out);
    }
    return make_text_writer(settings, std::move(label), out);
}

std::string report_prologue(const WriterSettings& settings) {
    switch (settings.format) {
        case OutputFormat::junit:
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
                   "name=\"coapjws-scan\">\n";
        case OutputFormat::sarif:
            return sarif_prologue(settings);
        case OutputFormat::text:
        case OutputFormat::json:
        case OutputFormat::github:
            break;
    }
    return {};
}

std::string report_epilogue(const WriterSettings& settings, const RunSummary& run) {
    switch (settings.format) {
        case OutputFormat::text:
            return text_overall(run, settings);
        case OutputFormat::json:
            return json_overall(run, settings);
        case OutputFormat::junit:
            return "</testsuites>\n";
        case OutputFormat::sarif:
            return sarif_epilogue(settings, run);
        case OutputFormat::github: {
            std::string t;
            std::size_t start = 0;
            const std::string overall = text_overall(run, settings);
            while (start < overall.size()) {  // plain log lines, never commands
                std::size_t end = overall.find('\n', start);
                std::string line = overall.substr(start, end - start);
                t += (line.rfind("::", 0) == 0 ? " " : "") + line + "\n";
                start = end == std::string::npos ? overall.size() : end + 1;
            }
            return t;
        }
    }
    return {};
}

std::string stable_receiver_name(const Endpoint& receiver,
                                 const std::vector<std::uint16_t>& ports) {
    if (std::find(ports.begin(), ports.end(), receiver.port) != ports.end())
        return receiver.to_string();
    const std::string address = receiver.address.family == AddressFamily::ipv6
                                    ? "[" + receiver.address.to_string() + "]"
                                    : receiver.address.to_string();
    return address + ":*";
}

}  // namespace coapjws::scan
