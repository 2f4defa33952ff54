#include "text_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "plural.hpp"
#include "text_sanitize.hpp"
#include "time_format.hpp"
#include "unanalysed.hpp"

namespace coapjws::scan {

namespace {

// "replay 2, bad-signature 1" in the profile's finding order.
std::string finding_counts(const std::array<std::uint64_t, finding_count>& counts) {
    std::string text;
    for (FindingId id : all_findings) {
        std::uint64_t n = counts[static_cast<std::size_t>(id)];
        if (n == 0)
            continue;
        if (!text.empty())
            text += ", ";
        text += finding_name(id);
        text += ' ';
        text += std::to_string(n);
    }
    return text.empty() ? "-" : text;
}

// One row's cells, made again for each of the two passes below instead of
// keeping every row's strings: with many streams that copy was the
// process's largest allocation at the end of a capture.
std::array<std::string, 8> row_cells(const StreamRow& r) {
    return {r.overflow ? "*" : r.key.receiver.to_string(),
            sanitized(r.display_key_id()),
            std::to_string(r.messages),
            std::to_string(r.valid),
            std::to_string(r.invalid),
            std::to_string(r.unverified),
            r.highest_seq ? std::to_string(*r.highest_seq) : "-",
            r.finding_summary()};
}

std::string table(const StreamTable& streams) {
    const std::array<std::string, 8> head = {"receiver", "key id",     "messages",    "valid",
                                             "invalid",  "unverified", "highest seq", "findings"};
    const std::vector<std::size_t> order = streams.sorted();
    std::array<std::size_t, 8> width{};
    for (std::size_t c = 0; c < head.size(); ++c)
        width[c] = head[c].size();
    for (std::size_t index : order) {
        const auto cells = row_cells(streams.rows()[index]);
        for (std::size_t c = 0; c < cells.size(); ++c)
            width[c] = std::max(width[c], cells[c].size());
    }
    std::string t;
    auto append_row = [&t, &width](const std::array<std::string, 8>& row) {
        t += "   ";
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c + 1 == row.size()) {  // the last column: no padding
                t += row[c];
                break;
            }
            const bool left = c < 2;  // text left, numbers right
            const std::size_t pad = width[c] - row[c].size();
            if (!left)
                t.append(pad, ' ');
            t += row[c];
            if (left)
                t.append(pad, ' ');
            t += "  ";
        }
        t += '\n';
    };
    append_row(head);
    for (std::size_t index : order)
        append_row(row_cells(streams.rows()[index]));
    if (streams.overflowed_messages() > 0) {
        t += "   (* more streams than --max-streams: " +
             std::to_string(streams.overflowed_messages()) + " messages counted together)\n";
    }
    return t;
}

std::string ignored_list(const std::vector<FindingId>& ids) {
    std::string text;
    for (FindingId id : ids) {
        if (!text.empty())
            text += ", ";
        text += finding_name(id);
    }
    return text;
}

// The lines every summary has, per capture or overall.
void append_counts(std::string& t, const CaptureSummary& s, const WriterSettings& settings,
                   const std::string& outcome_line) {
    t += "   findings: " + finding_counts(s.findings) + "\n";
    if (settings.shard) {
        t += "   shard " + settings.shard->to_string() +
             ": signatures, findings and streams of the receivers in this shard only\n";
    }
    if (!settings.ignore.empty())
        t += "   ignored: " + ignored_list(settings.ignore) + "\n";
    if (s.no_keys_configured) {
        t += "   note: no keys given: " +
             plural(s.unverified_without_keys, "signed message", "signed messages") +
             " could not be verified (unverified)\n";
    }
    if (const std::string skipped = describe_unanalysed(s); !skipped.empty())
        t += "   warning: not analysed: " + skipped + "\n";
    const DecodeCounters& d = s.decode;
    if (d.reassembled > 0) {
        t += "   reassembled: " + plural(d.reassembled, "IP datagram", "IP datagrams") + " from " +
             plural(d.fragments, "fragment", "fragments") + "\n";
    }
    if (d.tcp_streams > 0) {
        t += "   CoAP over TCP: " + plural(d.tcp_streams, "stream", "streams");
        if (d.tcp_unknown_start > 0)
            t += " (" + std::to_string(d.tcp_unknown_start) + " begun before the capture)";
        t += ", " + plural(d.tcp_segments, "segment", "segments") + ", " +
             plural(d.tcp_messages, "message", "messages") + "\n";
    }
    if (s.evictions() > 0) {
        t += "   evictions (tables full): " + std::to_string(s.evictions()) + " (windows " +
             std::to_string(s.session.window_evictions) + ", requests " +
             std::to_string(s.session.request_evictions) + ", retransmissions " +
             std::to_string(s.session.retransmission_evictions) + ", bindings " +
             std::to_string(s.session.binding_evictions) + ", protected pairs " +
             std::to_string(s.session.protected_pair_evictions) + ")\n";
    }
    for (const ReadIssue& issue : s.issues) {
        t += std::string("   ") + (issue.truncated ? "warning: " : "error: ") +
             sanitized(issue.message) + "\n";
    }
    if (s.interrupted)
        t += "   interrupted: the report covers the traffic read before the signal\n";
    t += outcome_line;
}

std::string outcome_line(Outcome outcome, const CaptureSummary& s, const RunPolicy& policy) {
    std::string line = "   outcome: " + std::string(to_string(outcome));
    if (outcome == Outcome::unanalysed) {
        line += nothing_analysed(s) ? " (not one message of the capture was analysed)"
                                    : " (--fail-on-unanalysed)";
    } else if (outcome == Outcome::findings) {
        line += " (findings at or above " + std::string(severity_name(*policy.fail_on)) + ")";
    }
    return line + "\n";
}

}  // namespace

std::string text_summary(const CaptureSummary& s, const WriterSettings& settings) {
    std::string t;
    t += "\n== " + sanitized(s.label) + ": " + plural(s.decode.packets, "packet", "packets") +
         ", " + plural(s.session.coap_messages, "CoAP message", "CoAP messages") + ", " +
         std::to_string(s.session.jws_messages) + " with JWS (" +
         std::to_string(s.count(SignatureStatus::valid)) + " valid, " +
         std::to_string(s.count(SignatureStatus::invalid)) + " invalid, " +
         std::to_string(s.count(SignatureStatus::unverified)) + " unverified)\n";
    append_counts(t, s, settings, outcome_line(outcome_of(s, settings.policy), s, settings.policy));
    if (s.streams != nullptr && !s.streams->rows().empty())
        t += table(*s.streams);
    return t;
}

std::string text_overall(const RunSummary& run, const WriterSettings& settings) {
    if (run.captures < 2)
        return {};
    const CaptureSummary& s = run.totals;
    std::string t = "\n== overall: " + plural(run.captures, "capture", "captures");
    if (run.unreadable > 0)
        t += " (" + std::to_string(run.unreadable) + " unreadable)";
    if (run.not_started > 0)
        t += " (" + std::to_string(run.not_started) + " not started: interrupted)";
    t += ", " + plural(s.decode.packets, "packet", "packets") + ", " +
         plural(s.session.coap_messages, "CoAP message", "CoAP messages") + ", " +
         std::to_string(s.session.jws_messages) + " with JWS (" +
         std::to_string(s.count(SignatureStatus::valid)) + " valid, " +
         std::to_string(s.count(SignatureStatus::invalid)) + " invalid, " +
         std::to_string(s.count(SignatureStatus::unverified)) + " unverified)\n";
    append_counts(t, s, settings,
                  "   outcome: " + std::string(to_string(run.outcome)) + " (exit status " +
                      std::to_string(run.exit_status) + ")\n");
    return t;
}

namespace {

class TextWriter final : public ReportWriter {
  public:
    TextWriter(const WriterSettings& settings, std::string label, OrderedOutput::Channel& out)
        : settings_(settings), label_(sanitized(label)), out_(out) {}

    void message(const MessageReport& report, std::optional<std::size_t>) override {
        if (!settings_.messages && report.findings.empty())
            return;
        line_.clear();
        prefix(report);
        if (settings_.messages) {
            line_ += to_string(report.kind);
            line_ += " signature=";
            line_ += to_string(report.signature);
            line_ += " findings=";
            if (report.findings.empty())
                line_ += '-';
            for (std::size_t i = 0; i < report.findings.size(); ++i) {
                if (i > 0)
                    line_ += ',';
                line_ += finding_name(report.findings[i].id);
            }
            line_ += '\n';
            out_.write(line_);
        }
        for (const Finding& f : report.findings) {
            line_.clear();
            if (settings_.messages)
                line_ += "    ";
            prefix(report);
            line_ += severity_name(f.severity());
            line_ += ' ';
            line_ += finding_name(f.id);
            line_ += ": ";
            append_sanitized(line_, f.message, true);
            if (f.related_frame) {
                line_ += " (related frame ";
                line_ += std::to_string(*f.related_frame);
                line_ += ')';
            }
            line_ += '\n';
            out_.write(line_);
        }
    }

    void summary(const CaptureSummary& s) override { out_.write(text_summary(s, settings_)); }

    void input_error(const std::string& message) override {
        // Also on standard error; here so that a report file says it too.
        out_.write("\n== " + label_ + ": error: " + sanitized(message) + "\n");
    }

  private:
    void append_number(std::uint32_t n) {
        char digits[10];
        line_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
    }

    void prefix(const MessageReport& r) {
        line_ += label_;
        line_ += ':';
        append_number(r.frame);
        line_ += ' ';
        time_.append(line_, r.time_ns);
        line_ += ' ';
        line_ += r.src.to_string();
        line_ += " -> ";
        line_ += r.dst.to_string();
        line_ += " tid=";
        if (r.tid) {
            // Tid::to_string() ("KEYID:SEQ") without the temporary string.
            append_sanitized(line_, r.tid->key_id, true);
            line_ += ':';
            append_number(r.tid->seq);
        } else {
            line_ += '-';
        }
        line_ += ' ';
    }

    WriterSettings settings_;
    std::string label_;
    OrderedOutput::Channel& out_;
    std::string line_;  // reused: no allocation per line once grown
    Iso8601Appender time_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_text_writer(const WriterSettings& settings, std::string label,
                                               OrderedOutput::Channel& out) {
    return std::make_unique<TextWriter>(settings, std::move(label), out);
}

}  // namespace coapjws::scan
