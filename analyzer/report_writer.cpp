#include "report_writer.hpp"

#include "json_writer.hpp"
#include "junit_writer.hpp"
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
    }
    return make_text_writer(settings, std::move(label), out);
}

std::string report_prologue(OutputFormat format) {
    if (format == OutputFormat::junit) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"coapjws-scan\">\n";
    }
    return {};
}

std::string report_epilogue(OutputFormat format) {
    if (format == OutputFormat::junit)
        return "</testsuites>\n";
    return {};
}

}  // namespace coapjws::scan
