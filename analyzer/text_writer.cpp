#include "text_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "capture_reader.hpp"
#include "text_sanitize.hpp"
#include "time_format.hpp"

namespace coapjws::scan {

namespace {

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

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

    void summary(const CaptureSummary& s) override {
        std::string t;
        t += "\n== " + label_ + ": " + plural(s.decode.packets, "packet", "packets") + ", " +
             plural(s.session.coap_messages, "CoAP message", "CoAP messages") + ", " +
             std::to_string(s.session.jws_messages) + " with JWS (" +
             std::to_string(s.count(SignatureStatus::valid)) + " valid, " +
             std::to_string(s.count(SignatureStatus::invalid)) + " invalid, " +
             std::to_string(s.count(SignatureStatus::unverified)) + " unverified)\n";
        t += "   findings: " + finding_counts(s.session.findings) + "\n";

        std::string skipped;
        auto note = [&skipped](std::uint64_t n, std::string_view what) {
            if (n == 0)
                return;
            if (!skipped.empty())
                skipped += ", ";
            skipped += std::to_string(n) + " " + std::string(what);
        };
        const DecodeCounters& d = s.decode;
        if (d.incomplete_fragments > 0) {
            note(d.incomplete_fragments,
                 "IP fragments of " + plural(d.incomplete_datagrams, "datagram", "datagrams") +
                     " never completed");
        }
        note(d.snapped, "cut by the snapshot length");
        note(d.malformed, "with broken IP/UDP/TCP headers");
        note(d.dtls, "DTLS records (encrypted, not CoAP)");
        if (d.unsupported_link > 0) {
            std::string types;
            for (int type : d.unsupported_link_types) {
                if (!types.empty())
                    types += ", ";
                types += link_type_name(type);
            }
            note(d.unsupported_link, "records of link types it cannot decode (" + types + ")");
        }
        if (d.tls_streams > 0 || d.tls_bytes > 0) {
            note(d.tls_bytes, "bytes of TLS in " +
                                  plural(d.tls_streams, "TCP stream", "TCP streams") +
                                  " (encrypted, not CoAP)");
        }
        note(d.tcp_unsynced_bytes, "TCP bytes before a CoAP message boundary was found");
        if (d.tcp_gaps > 0)
            note(d.tcp_gap_bytes, "TCP bytes missing in " + plural(d.tcp_gaps, "gap", "gaps"));
        note(d.tcp_incomplete_bytes, "TCP bytes of CoAP messages whose rest never came");
        note(d.tcp_oversized, "CoAP-over-TCP messages over the size limit");
        if (!skipped.empty())
            t += "   not analysed: " + skipped + "\n";
        if (d.reassembled > 0) {
            t += "   reassembled: " + plural(d.reassembled, "IP datagram", "IP datagrams") +
                 " from " + plural(d.fragments, "fragment", "fragments") + "\n";
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
        if (s.streams != nullptr && !s.streams->rows().empty())
            t += table(*s.streams);
        out_.write(t);
    }

    void input_error(const std::string&) override {
        // Reported on standard error by the scanner; nothing in the report.
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

    // One row's cells, made again for each of the two passes below instead of
    // keeping every row's strings: with many streams that copy was the
    // process's largest allocation at the end of a capture.
    static std::array<std::string, 8> row_cells(const StreamRow& r) {
        return {r.overflow ? "*" : r.key.receiver.to_string(),
                sanitized(r.display_key_id()),
                std::to_string(r.messages),
                std::to_string(r.valid),
                std::to_string(r.invalid),
                std::to_string(r.unverified),
                r.highest_seq ? std::to_string(*r.highest_seq) : "-",
                finding_counts(r.findings)};
    }

    static std::string table(const StreamTable& streams) {
        const std::array<std::string, 8> head = {"receiver",    "key id",  "messages",
                                                 "valid",       "invalid", "unverified",
                                                 "highest seq", "findings"};
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
