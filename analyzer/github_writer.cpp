#include "github_writer.hpp"

#include "text_sanitize.hpp"
#include "text_writer.hpp"
#include "unanalysed.hpp"

namespace coapjws::scan {

std::string github_escape_data(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '%':
                out += "%25";
                break;
            case '\r':
                out += "%0D";
                break;
            case '\n':
                out += "%0A";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string github_escape_property(std::string_view text) {
    std::string out;
    for (char c : github_escape_data(text)) {
        switch (c) {
            case ':':
                out += "%3A";
                break;
            case ',':
                out += "%2C";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

std::string_view command_of(Severity severity) {
    switch (severity) {
        case Severity::error:
            return "error";
        case Severity::warning:
            return "warning";
        case Severity::info:
            return "notice";
    }
    return "notice";
}

class GithubWriter final : public ReportWriter {
  public:
    GithubWriter(const WriterSettings& settings, std::string label, OrderedOutput::Channel& out)
        : settings_(settings),
          label_(std::move(label)),
          file_(github_escape_property(sanitized(label_))),
          out_(out) {}

    void message(const MessageReport& report, std::optional<std::size_t>) override {
        for (const Finding& f : report.findings) {
            std::string text = report.src.to_string() + " -> " + report.dst.to_string() +
                               " tid=" + (report.tid ? report.tid->to_string() : std::string("-")) +
                               ": " + f.message;
            if (f.related_frame)
                text += " (related frame " + std::to_string(*f.related_frame) + ")";
            annotate(command_of(f.severity()), report.frame,
                     "coapjws " + std::string(finding_name(f.id)) + " in frame " +
                         std::to_string(report.frame),
                     text);
        }
    }

    void summary(const CaptureSummary& s) override {
        for (const ReadIssue& issue : s.issues)
            annotate(issue.truncated ? "warning" : "error", std::nullopt,
                     issue.truncated ? "capture cut short" : "read error", issue.message);
        const bool fails = unanalysed_fails(s, settings_.policy.unanalysed);
        for (const UnanalysedCount& c : unanalysed_counts(s)) {
            std::string text = c.text() + " not analysed";
            if (nothing_analysed(s))
                text += " (not one message of the capture was analysed)";
            annotate(fails ? "error" : "warning", std::nullopt,
                     "coapjws unanalysed/" + std::string(c.kind->id), text);
        }
        if (s.no_keys_configured) {
            annotate("notice", std::nullopt, "coapjws no keys",
                     "no keys given: no signature could be verified (signed messages are "
                     "unverified)");
        }
        // The summary as plain log lines: none may look like a command.
        for (const std::string& line : split(text_summary(s, settings_)))
            out_.write(plain(line));
    }

    void input_error(const std::string& message) override {
        annotate("error", std::nullopt, "unreadable capture", message);
    }

  private:
    void annotate(std::string_view command, std::optional<std::uint32_t> line,
                  std::string_view title, std::string_view text) {
        std::string t = "::" + std::string(command) + " file=" + file_;
        if (line)
            t += ",line=" + std::to_string(*line);
        t += ",title=" + github_escape_property(sanitized(title));
        t += "::" + github_escape_data(sanitized(text)) + "\n";
        out_.write(t);
    }
    static std::vector<std::string> split(const std::string& text) {
        std::vector<std::string> lines;
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos)
                end = text.size();
            lines.push_back(text.substr(start, end - start));
            start = end + 1;
        }
        return lines;
    }

    WriterSettings settings_;
    std::string label_;
    std::string file_;
    OrderedOutput::Channel& out_;

  public:
    // A log line that GitHub does not take for a command.
    static std::string plain(const std::string& line) {
        return (line.rfind("::", 0) == 0 ? " " + line : line) + "\n";
    }
};

}  // namespace

std::unique_ptr<ReportWriter> make_github_writer(const WriterSettings& settings, std::string label,
                                                 OrderedOutput::Channel& out) {
    return std::make_unique<GithubWriter>(settings, std::move(label), out);
}

}  // namespace coapjws::scan
