#include "junit_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <vector>

#include "text_sanitize.hpp"
#include "time_format.hpp"
#include "unanalysed.hpp"

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
    std::vector<std::string> failures;                   // finding lines at or above the threshold
    std::vector<std::string> notes;                      // findings below it
    std::array<std::uint64_t, finding_count> failing{};  // per id
    std::uint64_t dropped_failures = 0;
    std::uint64_t dropped_notes = 0;

    void merge(CaseEntries&& o) {
        for (auto& f : o.failures) {
            if (failures.size() < max_entries_per_case) {
                failures.push_back(std::move(f));
            } else {
                ++dropped_failures;
            }
        }
        for (auto& n : o.notes) {
            if (notes.size() < max_entries_per_case) {
                notes.push_back(std::move(n));
            } else {
                ++dropped_notes;
            }
        }
        for (std::size_t i = 0; i < finding_count; ++i)
            failing[i] += o.failing[i];
        dropped_failures += o.dropped_failures;
        dropped_notes += o.dropped_notes;
    }
    std::uint64_t failure_total() const {
        std::uint64_t n = 0;
        for (auto c : failing)
            n += c;
        return n;
    }
};

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", seconds < 0 ? 0.0 : seconds);
    return text;
}

// "2023-11-14T22:13:20" in UTC: Ant's form, which JUnit consumers parse.
std::string timestamp_text(std::int64_t time_ns) {
    return iso8601_utc(time_ns).substr(0, 19);
}

class JunitWriter final : public ReportWriter {
  public:
    JunitWriter(const WriterSettings& settings, std::string label, OrderedOutput::Channel& out)
        : settings_(settings), label_(std::move(label)), out_(out) {}

    void message(const MessageReport& report, std::optional<std::size_t> stream) override {
        if (report.findings.empty() || !stream)
            return;
        CaseEntries& entries = by_row_[*stream];
        for (const Finding& f : report.findings) {
            std::string line =
                "frame " + std::to_string(report.frame) + " at " + iso8601_utc(report.time_ns) +
                " " + report.src.to_string() + " -> " + report.dst.to_string() +
                (report.tid ? " tid " + report.tid->to_string() : std::string()) + ": " +
                std::string(finding_name(f.id)) + " (" + std::string(severity_name(f.severity())) +
                "): " + f.message +
                (f.related_frame ? "; related frame " + std::to_string(*f.related_frame)
                                 : std::string());
            const bool failure =
                settings_.policy.fail_on && f.severity() >= *settings_.policy.fail_on;
            if (failure) {
                ++entries.failing[static_cast<std::size_t>(f.id)];
                if (entries.failures.size() < max_entries_per_case) {
                    entries.failures.push_back(std::move(line));
                } else {
                    ++entries.dropped_failures;
                }
            } else if (entries.notes.size() < max_entries_per_case) {
                entries.notes.push_back(std::move(line));
            } else {
                ++entries.dropped_notes;
            }
        }
    }

    void summary(const CaptureSummary& s) override {
        const std::string classname = xml_escape(label_);
        std::string cases;
        std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;

        if (!s.issues.empty()) {
            ++tests;
            ++errors;
            std::string body;
            for (const ReadIssue& issue : s.issues)
                body += xml_escape(issue.message) + "\n";
            const bool cut_only = !std::any_of(s.issues.begin(), s.issues.end(),
                                               [](const ReadIssue& i) { return !i.truncated; });
            cases += "    <testcase name=\"read capture\" classname=\"" + classname + "\">\n" +
                     "      <error type=\"" + (cut_only ? "truncated" : "read-error") +
                     "\" message=\"" + xml_escape(s.issues.front().message) + "\">" + body +
                     "</error>\n    </testcase>\n";
        }

        if (!s.unanalysed_reported_elsewhere) {
            ++tests;
            cases += "    <testcase name=\"all CoAP-port traffic analysed\" classname=\"" +
                     classname + "\"";
            const std::string what = describe_unanalysed(s);
            if (what.empty()) {
                cases += "/>\n";
            } else {
                std::string message = "not analysed: " + what;
                if (nothing_analysed(s))
                    message += " (not one message of the capture was analysed)";
                if (unanalysed_fails(s, settings_.policy.unanalysed)) {
                    ++failures;
                    cases += ">\n      <failure type=\"unanalysed\" message=\"" +
                             xml_escape(message) + "\">" + xml_escape(message) +
                             "</failure>\n    </testcase>\n";
                } else {
                    ++skipped;
                    cases += ">\n      <skipped message=\"" + xml_escape(message) +
                             "\"/>\n    </testcase>\n";
                }
            }
        }

        // Rows with the same stable name (a client seen on several ephemeral
        // ports) are one test case; std::map orders the cases by name.
        std::map<std::string, CaseEntries> by_name;
        if (s.streams != nullptr) {
            for (std::size_t index = 0; index < s.streams->rows().size(); ++index) {
                const StreamRow& row = s.streams->rows()[index];
                std::string name = row.overflow
                                       ? std::string("(other streams)")
                                       : stable_receiver_name(row.key.receiver, settings_.ports) +
                                             " " + row.display_key_id();
                CaseEntries& entries = by_name[std::move(name)];
                if (auto it = by_row_.find(index); it != by_row_.end())
                    entries.merge(std::move(it->second));
            }
        }
        for (auto& [name, e] : by_name) {
            ++tests;
            cases +=
                "    <testcase name=\"" + xml_escape(name) + "\" classname=\"" + classname + "\"";
            if (e.failures.empty() && e.notes.empty()) {
                cases += "/>\n";
                continue;
            }
            cases += ">\n";
            if (const std::uint64_t total = e.failure_total(); total > 0) {
                ++failures;
                std::string ids, first;
                for (FindingId id : all_findings) {
                    if (std::uint64_t n = e.failing[static_cast<std::size_t>(id)]; n > 0) {
                        if (first.empty())
                            first = finding_name(id);
                        ids += (ids.empty() ? "" : ", ") + std::string(finding_name(id)) + " " +
                               std::to_string(n);
                    }
                }
                cases += "      <failure type=\"" + xml_escape(first) + "\" message=\"" +
                         std::to_string(total) + (total == 1 ? " finding" : " findings") +
                         " at or above " + std::string(severity_name(*settings_.policy.fail_on)) +
                         ": " + ids + "\">";
                for (const auto& f : e.failures)
                    cases += xml_escape(f) + "\n";
                if (e.dropped_failures > 0)
                    cases += std::to_string(e.dropped_failures) + " more not listed\n";
                cases += "</failure>\n";
            }
            if (!e.notes.empty()) {
                cases += "      <system-out>";
                for (const auto& note : e.notes)
                    cases += xml_escape(note) + "\n";
                if (e.dropped_notes > 0)
                    cases += std::to_string(e.dropped_notes) + " more findings not listed\n";
                cases += "</system-out>\n";
            }
            cases += "    </testcase>\n";
        }

        std::string t = suite_start(tests, failures, errors, skipped, s.seconds, s.started_ns);
        t += "    <properties>\n";
        property(t, "packets", std::to_string(s.decode.packets));
        property(t, "coap_messages", std::to_string(s.session.coap_messages));
        property(t, "jws_messages", std::to_string(s.session.jws_messages));
        property(t, "valid", std::to_string(s.count(SignatureStatus::valid)));
        property(t, "invalid", std::to_string(s.count(SignatureStatus::invalid)));
        property(t, "unverified", std::to_string(s.count(SignatureStatus::unverified)));
        for (const UnanalysedKind& kind : unanalysed_kinds()) {
            property(t, "unanalysed." + std::string(kind.id),
                     std::to_string(s.unanalysed_reported_elsewhere ? 0 : kind.count(s)));
        }
        property(t, "evictions", std::to_string(s.evictions()));
        property(t, "no_keys_configured", s.no_keys_configured ? "true" : "false");
        property(t, "interrupted", s.interrupted ? "true" : "false");
        if (settings_.shard)
            property(t, "shard", settings_.shard->to_string());
        if (!settings_.ignore.empty()) {
            std::string ids;
            for (FindingId id : settings_.ignore)
                ids += (ids.empty() ? "" : ",") + std::string(finding_name(id));
            property(t, "ignored", ids);
        }
        property(t, "outcome", std::string(to_string(outcome_of(s, settings_.policy))));
        t += "    </properties>\n";
        t += cases;
        if (s.no_keys_configured) {
            t += "    <system-out>no keys given: no signature could be verified (signed messages "
                 "are unverified)\n</system-out>\n";
        }
        t += "  </testsuite>\n";
        out_.write(t);
        by_row_.clear();
    }

    void input_error(const std::string& message) override {
        const std::string classname = xml_escape(label_);
        out_.write(suite_start(1, 0, 1, 0, 0.0, started_ns_) +
                   "    <testcase name=\"read capture\" classname=\"" + classname +
                   "\">\n"
                   "      <error type=\"input\" message=\"" +
                   xml_escape(message) + "\">" + xml_escape(message) +
                   "</error>\n"
                   "    </testcase>\n  </testsuite>\n");
    }

  private:
    std::string suite_start(std::size_t tests, std::size_t failures, std::size_t errors,
                            std::size_t skipped, double seconds, std::int64_t started_ns) const {
        return "  <testsuite name=\"" + xml_escape(label_) + "\" tests=\"" + std::to_string(tests) +
               "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
               std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" +
               seconds_text(seconds) + "\" timestamp=\"" + timestamp_text(started_ns) + "\">\n";
    }
    static void property(std::string& t, const std::string& name, const std::string& value) {
        t += "      <property name=\"" + xml_escape(name) + "\" value=\"" + xml_escape(value) +
             "\"/>\n";
    }

    WriterSettings settings_;
    std::string label_;
    OrderedOutput::Channel& out_;
    std::unordered_map<std::size_t, CaseEntries> by_row_;
    std::int64_t started_ns_ = wall_clock_ns();
};

}  // namespace

std::unique_ptr<ReportWriter> make_junit_writer(const WriterSettings& settings, std::string label,
                                                OrderedOutput::Channel& out) {
    return std::make_unique<JunitWriter>(settings, std::move(label), out);
}

}  // namespace coapjws::scan
