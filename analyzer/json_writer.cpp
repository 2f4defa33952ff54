#include "json_writer.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "capture_reader.hpp"
#include "text_sanitize.hpp"
#include "time_format.hpp"
#include "unanalysed.hpp"

namespace coapjws::scan {

namespace {

// One JSON object per line, built with RapidJSON; strings made valid UTF-8
// first (RapidJSON writes bytes as given).
class Line {
  public:
    void begin(std::string_view type) {
        buffer_.Clear();
        w_.Reset(buffer_);
        w_.StartObject();
        key("type");
        string(type);
    }
    std::string_view end() {
        w_.EndObject();
        buffer_.Put('\n');
        return {buffer_.GetString(), buffer_.GetSize()};
    }
    void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
    void string(std::string_view text) {
        scratch_.clear();
        append_sanitized(scratch_, text, false);
        w_.String(scratch_.data(), static_cast<rapidjson::SizeType>(scratch_.size()));
    }
    void member(std::string_view k, std::string_view text) {
        key(k);
        string(text);
    }
    void member(std::string_view k, const char* text) { member(k, std::string_view(text)); }
    void member(std::string_view k, std::uint64_t n) {
        key(k);
        w_.Uint64(n);
    }
    void member(std::string_view k, bool b) {
        key(k);
        w_.Bool(b);
    }
    void member(std::string_view k, int n) {
        key(k);
        w_.Int(n);
    }
    // k: [text(item) for each of items], strings.
    template <typename Items, typename Text>
    void string_array(std::string_view k, const Items& items, Text text) {
        key(k);
        w_.StartArray();
        for (const auto& item : items)
            string(text(item));
        w_.EndArray();
    }
    void null_member(std::string_view k) {
        key(k);
        w_.Null();
    }
    rapidjson::Writer<rapidjson::StringBuffer>& w() { return w_; }

  private:
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> w_{buffer_};
    std::string scratch_;
};

// The counts a capture summary and the overall line share.
void counts(Line& l, const CaptureSummary& s, const WriterSettings& settings) {
    l.member("packets", s.decode.packets);
    l.member("coap_messages", s.session.coap_messages);
    l.member("jws_messages", s.session.jws_messages);
    l.key("findings");
    l.w().StartObject();
    for (FindingId id : all_findings) {
        l.key(finding_name(id));
        l.w().Uint64(s.finding_count_of(id));
    }
    l.w().EndObject();
    // Datagrams on a CoAP port and CoAP-over-TCP messages cut from the streams
    // on a CoAP port, handed to the engine.
    l.member("udp_messages",
             s.session.messages - std::min(s.session.messages, s.decode.tcp_messages));
    l.member("tcp_messages", s.decode.tcp_messages);
    l.key("signatures");
    l.w().StartObject();
    for (SignatureStatus st : {SignatureStatus::valid, SignatureStatus::invalid,
                               SignatureStatus::unverified, SignatureStatus::none}) {
        l.key(to_string(st));
        l.w().Uint64(s.count(st));
    }
    l.w().EndObject();
    const DecodeCounters& d = s.decode;
    l.member("fragments", d.fragments);
    l.member("reassembled", d.reassembled);
    l.member("incomplete_datagrams", d.incomplete_datagrams);
    l.member("incomplete_fragments", d.incomplete_fragments);
    l.member("snapped", d.snapped);
    l.member("bad_headers", d.malformed);
    l.member("dtls_records", d.dtls);
    l.member("unsupported_link_records", d.unsupported_link);
    l.string_array("unsupported_link_types", d.unsupported_link_types, link_type_name);
    l.member("tcp_segments", d.tcp_segments);
    l.member("tcp_streams", d.tcp_streams);
    l.member("tcp_unknown_start", d.tcp_unknown_start);
    l.member("tcp_unsynced_bytes", d.tcp_unsynced_bytes);
    l.member("tcp_gaps", d.tcp_gaps);
    l.member("tcp_gap_bytes", d.tcp_gap_bytes);
    l.member("tcp_incomplete_bytes", d.tcp_incomplete_bytes);
    l.member("tcp_oversized", d.tcp_oversized);
    l.member("tls_streams", d.tls_streams);
    l.member("tls_bytes", d.tls_bytes);
    l.key("unanalysed");
    l.w().StartObject();
    for (const UnanalysedKind& kind : unanalysed_kinds()) {
        l.key(kind.id);
        l.w().Uint64(s.unanalysed_reported_elsewhere ? 0 : kind.count(s));
    }
    l.w().EndObject();
    l.key("evictions");
    l.w().StartObject();
    l.member("windows", s.session.window_evictions);
    l.member("requests", s.session.request_evictions);
    l.member("retransmissions", s.session.retransmission_evictions);
    l.member("bindings", s.session.binding_evictions);
    l.member("protected_pairs", s.session.protected_pair_evictions);
    l.member("streams", s.streams != nullptr ? s.streams->overflowed_messages() : 0);
    l.w().EndObject();
    l.member("truncated", s.truncated());
    l.member("no_keys_configured", s.no_keys_configured);
    l.member("unverified_without_keys", s.unverified_without_keys);
    l.member("interrupted", s.interrupted);
    l.string_array("ignored", settings.ignore, finding_name);
    if (settings.shard) {
        l.member("shard", settings.shard->to_string());
    } else {
        l.null_member("shard");
    }
}

class JsonWriter final : public ReportWriter {
  public:
    JsonWriter(const WriterSettings& settings, std::string label, OrderedOutput::Channel& out)
        : settings_(settings), label_(std::move(label)), out_(out) {}

    void message(const MessageReport& report, std::optional<std::size_t>) override {
        if (settings_.messages) {
            begin("message");
            common(report);
            l_.member("kind", to_string(report.kind));
            tid(report);
            l_.member("signature", to_string(report.signature));
            l_.string_array("findings", report.findings,
                            [](const Finding& f) { return finding_name(f.id); });
            out_.write(l_.end());
        }
        for (const Finding& f : report.findings) {
            begin("finding");
            common(report);
            tid(report);
            l_.member("id", finding_name(f.id));
            l_.member("severity", severity_name(f.severity()));
            l_.member("message", f.message);
            l_.key("related_frame");
            if (f.related_frame) {
                l_.w().Uint(*f.related_frame);
            } else {
                l_.w().Null();
            }
            out_.write(l_.end());
        }
    }

    void summary(const CaptureSummary& s) override {
        for (const ReadIssue& issue : s.issues) {
            begin("problem");
            l_.member("severity", issue.truncated ? "warning" : "error");
            l_.member("kind", issue.truncated ? "truncated" : "read-error");
            l_.member("message", issue.message);
            out_.write(l_.end());
        }
        const bool fails = unanalysed_fails(s, settings_.policy.unanalysed);
        for (const UnanalysedCount& c : unanalysed_counts(s)) {
            begin("unanalysed");
            l_.member("id", c.kind->id);
            l_.member("count", c.count);
            l_.member("severity", "warning");
            l_.member("fails_run", fails);
            l_.member("message", c.text() + " not analysed");
            out_.write(l_.end());
        }
        if (s.streams != nullptr) {
            for (std::size_t index : s.streams->sorted())
                stream(s.streams->rows()[index]);
        }
        begin("summary");
        l_.member("version", json_format_version);
        counts(l_, s, settings_);
        l_.member("streams", std::uint64_t{s.streams != nullptr ? s.streams->rows().size() : 0});
        l_.member("outcome", to_string(outcome_of(s, settings_.policy)));
        l_.string_array("problems", s.issues,
                        [](const ReadIssue& issue) -> std::string_view { return issue.message; });
        out_.write(l_.end());
    }

    void input_error(const std::string& message) override {
        begin("error");
        l_.member("message", message);
        out_.write(l_.end());
    }

  private:
    void begin(std::string_view type) {
        l_.begin(type);
        l_.member("file", label_);
    }
    void stream(const StreamRow& row) {
        begin("stream");
        if (row.overflow) {
            l_.null_member("receiver");
            l_.null_member("key_id");
        } else {
            l_.member("receiver", row.key.receiver.to_string());
            if (row.key.key_id.empty()) {
                l_.null_member("key_id");
            } else {
                l_.member("key_id", row.key.key_id);
            }
        }
        l_.member("overflow", row.overflow);
        l_.member("messages", row.messages);
        l_.member("valid", row.valid);
        l_.member("invalid", row.invalid);
        l_.member("unverified", row.unverified);
        l_.member("unsigned", row.unsigned_messages);
        l_.key("highest_seq");
        if (row.highest_seq) {
            l_.w().Uint(*row.highest_seq);
        } else {
            l_.w().Null();
        }
        l_.member("first_frame", std::uint64_t{row.first_frame});
        l_.key("findings");  // the ids that occurred, with their counts
        l_.w().StartObject();
        for (FindingId id : all_findings) {
            if (std::uint64_t n = row.findings[static_cast<std::size_t>(id)]; n > 0) {
                l_.key(finding_name(id));
                l_.w().Uint64(n);
            }
        }
        l_.w().EndObject();
        out_.write(l_.end());
    }
    void common(const MessageReport& r) {
        l_.member("frame", std::uint64_t{r.frame});
        l_.member("time", epoch_seconds(r.time_ns));
        l_.member("src", r.src.to_string());
        l_.member("dst", r.dst.to_string());
    }
    void tid(const MessageReport& r) {
        if (r.tid) {
            l_.member("tid", r.tid->to_string());
        } else {
            l_.null_member("tid");
        }
    }

    WriterSettings settings_;
    std::string label_;
    OrderedOutput::Channel& out_;
    Line l_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_json_writer(const WriterSettings& settings, std::string label,
                                               OrderedOutput::Channel& out) {
    return std::make_unique<JsonWriter>(settings, std::move(label), out);
}

std::string json_overall(const RunSummary& run, const WriterSettings& settings) {
    if (run.captures < 2)
        return {};
    Line l;
    l.begin("overall");
    l.member("version", json_format_version);
    l.member("captures", std::uint64_t{run.captures});
    l.member("unreadable", std::uint64_t{run.unreadable});
    l.member("not_started", std::uint64_t{run.not_started});
    counts(l, run.totals, settings);
    l.member("outcome", to_string(run.outcome));
    l.member("exit_status", run.exit_status);
    return std::string(l.end());
}

}  // namespace coapjws::scan
