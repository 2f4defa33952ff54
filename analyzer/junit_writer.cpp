#include "junit_writer.hpp"

#include <unordered_map>
#include <vector>

#include "text_sanitize.hpp"
#include "time_format.hpp"

namespace coapjws::scan {

std::string xml_escape(std::string_view text) {
    std::string clean = sanitized(text, true);
    std::string out;
    out.reserve(clean.size());
    for (char c : clean) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

// Entries kept per test case; beyond this only a count (memory stays bounded
// on a capture that is one long attack).
constexpr std::size_t max_entries_per_case = 1000;

struct CaseEntries {
    struct Failure {
        std::string type;     // the finding id
        std::string message;  // one line
        std::string detail;
    };
    std::vector<Failure> failures;
    std::vector<std::string> notes;  // findings below the threshold
    std::uint64_t failure_count = 0;
    std::uint64_t dropped_failures = 0;
    std::uint64_t dropped_notes = 0;
};

class JunitWriter final : public ReportWriter {
  public:
    JunitWriter(const WriterSettings& settings, std::string label, OrderedOutput::Channel& out)
        : settings_(settings), label_(std::move(label)), out_(out) {}

    void message(const MessageReport& report, std::optional<std::size_t> stream) override {
        if (report.findings.empty() || !stream)
            return;
        CaseEntries& entries = cases_[*stream];
        for (const Finding& f : report.findings) {
            std::string where =
                "frame " + std::to_string(report.frame) + " at " + iso8601_utc(report.time_ns) +
                " " + report.src.to_string() + " -> " + report.dst.to_string() +
                (report.tid ? " tid " + report.tid->to_string() : std::string()) + ": " +
                std::string(finding_name(f.id)) + " (" + std::string(severity_name(f.severity())) +
                "): " + f.message +
                (f.related_frame ? "; related frame " + std::to_string(*f.related_frame)
                                 : std::string());
            const bool failure = settings_.fail_on && f.severity() >= *settings_.fail_on;
            if (failure) {
                ++entries.failure_count;
                if (entries.failures.size() < max_entries_per_case) {
                    entries.failures.push_back(
                        {std::string(finding_name(f.id)),
                         "frame " + std::to_string(report.frame) + ": " + f.message,
                         std::move(where)});
                } else {
                    ++entries.dropped_failures;
                }
            } else if (entries.notes.size() < max_entries_per_case) {
                entries.notes.push_back(std::move(where));
            } else {
                ++entries.dropped_notes;
            }
        }
    }

    void summary(const CaptureSummary& s) override {
        const std::string name = xml_escape(label_);
        std::vector<std::size_t> order;
        if (s.streams != nullptr)
            order = s.streams->sorted();
        std::uint64_t failures = 0;
        for (const auto& [index, entries] : cases_)
            failures += entries.failure_count;
        const std::size_t tests = order.empty() ? 1 : order.size();

        std::string t;
        t += "  <testsuite name=\"" + name + "\" tests=\"" + std::to_string(tests) +
             "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"0\">\n";
        t += "    <properties>\n";
        property(t, "packets", s.decode.packets);
        property(t, "coap_messages", s.session.coap_messages);
        property(t, "jws_messages", s.session.jws_messages);
        property(t, "valid", s.count(SignatureStatus::valid));
        property(t, "invalid", s.count(SignatureStatus::invalid));
        property(t, "unverified", s.count(SignatureStatus::unverified));
        property(t, "fragments", s.decode.fragments);
        property(t, "evictions", s.evictions());
        t += "    </properties>\n";

        if (order.empty()) {
            t += "    <testcase name=\"no CoAP JWS streams\" classname=\"" + name + "\"/>\n";
        }
        for (std::size_t index : order) {
            const StreamRow& row = s.streams->rows()[index];
            std::string case_name = row.overflow
                                        ? std::string("(other streams)")
                                        : row.key.receiver.to_string() + " " + row.display_key_id();
            t += "    <testcase name=\"" + xml_escape(case_name) + "\" classname=\"" + name + "\"";
            auto it = cases_.find(index);
            if (it == cases_.end()) {
                t += "/>\n";
                continue;
            }
            t += ">\n";
            const CaseEntries& e = it->second;
            for (const auto& f : e.failures) {
                t += "      <failure type=\"" + xml_escape(f.type) + "\" message=\"" +
                     xml_escape(f.message) + "\">" + xml_escape(f.detail) + "</failure>\n";
            }
            if (e.dropped_failures > 0) {
                t += "      <failure type=\"more\" message=\"" +
                     std::to_string(e.dropped_failures) + " more failures not listed\"/>\n";
            }
            if (!e.notes.empty()) {
                t += "      <system-out>";
                for (const auto& note : e.notes)
                    t += xml_escape(note) + "\n";
                if (e.dropped_notes > 0) {
                    t += std::to_string(e.dropped_notes) + " more findings not listed\n";
                }
                t += "</system-out>\n";
            }
            t += "    </testcase>\n";
        }
        if (!s.issues.empty()) {
            t += "    <system-err>";
            for (const ReadIssue& issue : s.issues)
                t += xml_escape(issue.message) + "\n";
            t += "</system-err>\n";
        }
        t += "  </testsuite>\n";
        out_.write(t);
        cases_.clear();
    }

    void input_error(const std::string& message) override {
        const std::string name = xml_escape(label_);
        out_.write("  <testsuite name=\"" + name +
                   "\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
                   "    <testcase name=\"read capture\" classname=\"" +
                   name +
                   "\">\n"
                   "      <error type=\"input\" message=\"" +
                   xml_escape(message) +
                   "\"/>\n"
                   "    </testcase>\n  </testsuite>\n");
    }

  private:
    static void property(std::string& t, std::string_view name, std::uint64_t value) {
        t += "      <property name=\"" + std::string(name) + "\" value=\"" + std::to_string(value) +
             "\"/>\n";
    }

    WriterSettings settings_;
    std::string label_;
    OrderedOutput::Channel& out_;
    std::unordered_map<std::size_t, CaseEntries> cases_;  // by stream row
};

}  // namespace

std::unique_ptr<ReportWriter> make_junit_writer(const WriterSettings& settings, std::string label,
                                                OrderedOutput::Channel& out) {
    return std::make_unique<JunitWriter>(settings, std::move(label), out);
}

}  // namespace coapjws::scan
