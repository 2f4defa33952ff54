#include "json_writer.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "capture_reader.hpp"
#include "text_sanitize.hpp"
#include "time_format.hpp"

namespace coapjws::scan {

namespace {

class JsonWriter final : public ReportWriter {
  public:
    JsonWriter(const WriterSettings& settings, std::string label, OrderedOutput::Channel& out)
        : settings_(settings), label_(sanitized(label, false)), out_(out) {}

    void message(const MessageReport& report, std::optional<std::size_t>) override {
        if (settings_.messages) {
            begin("message");
            common(report);
            w_.Key("kind");
            string(to_string(report.kind));
            tid(report);
            w_.Key("signature");
            string(to_string(report.signature));
            w_.Key("findings");
            w_.StartArray();
            for (const Finding& f : report.findings)
                string(finding_name(f.id));
            w_.EndArray();
            end();
        }
        for (const Finding& f : report.findings) {
            begin("finding");
            common(report);
            tid(report);
            w_.Key("id");
            string(finding_name(f.id));
            w_.Key("severity");
            string(severity_name(f.severity()));
            w_.Key("message");
            string(f.message);
            w_.Key("related_frame");
            if (f.related_frame) {
                w_.Uint(*f.related_frame);
            } else {
                w_.Null();
            }
            end();
        }
    }

    void summary(const CaptureSummary& s) override {
        begin("summary");
        w_.Key("packets");
        w_.Uint64(s.decode.packets);
        w_.Key("coap_messages");
        w_.Uint64(s.session.coap_messages);
        w_.Key("jws_messages");
        w_.Uint64(s.session.jws_messages);
        w_.Key("findings");
        w_.StartObject();
        for (FindingId id : all_findings) {
            string_key(finding_name(id));
            w_.Uint64(s.session.findings[static_cast<std::size_t>(id)]);
        }
        w_.EndObject();
        // Beyond the required members:
        w_.Key("udp_messages");  // datagrams on a CoAP port, handed to the engine
        w_.Uint64(s.session.messages - std::min(s.session.messages, s.decode.tcp_messages));
        w_.Key("tcp_messages");  // CoAP-over-TCP messages cut from streams on a CoAP port
        w_.Uint64(s.decode.tcp_messages);
        w_.Key("signatures");
        w_.StartObject();
        for (SignatureStatus st : {SignatureStatus::valid, SignatureStatus::invalid,
                                   SignatureStatus::unverified, SignatureStatus::none}) {
            string_key(to_string(st));
            w_.Uint64(s.count(st));
        }
        w_.EndObject();
        const DecodeCounters& d = s.decode;
        count("fragments", d.fragments);
        count("reassembled", d.reassembled);
        count("incomplete_datagrams", d.incomplete_datagrams);
        count("incomplete_fragments", d.incomplete_fragments);
        count("snapped", d.snapped);
        count("bad_headers", d.malformed);
        count("dtls_records", d.dtls);
        count("unsupported_link_records", d.unsupported_link);
        w_.Key("unsupported_link_types");
        w_.StartArray();
        for (int type : d.unsupported_link_types)
            string(link_type_name(type));
        w_.EndArray();
        count("tcp_segments", d.tcp_segments);
        count("tcp_streams", d.tcp_streams);
        count("tcp_unknown_start", d.tcp_unknown_start);
        count("tcp_unsynced_bytes", d.tcp_unsynced_bytes);
        count("tcp_gaps", d.tcp_gaps);
        count("tcp_gap_bytes", d.tcp_gap_bytes);
        count("tcp_incomplete_bytes", d.tcp_incomplete_bytes);
        count("tcp_oversized", d.tcp_oversized);
        count("tls_streams", d.tls_streams);
        count("tls_bytes", d.tls_bytes);
        w_.Key("streams");
        w_.Uint64(s.streams != nullptr ? s.streams->rows().size() : 0);
        w_.Key("evictions");
        w_.StartObject();
        w_.Key("windows");
        w_.Uint64(s.session.window_evictions);
        w_.Key("requests");
        w_.Uint64(s.session.request_evictions);
        w_.Key("retransmissions");
        w_.Uint64(s.session.retransmission_evictions);
        w_.Key("bindings");
        w_.Uint64(s.session.binding_evictions);
        w_.Key("protected_pairs");
        w_.Uint64(s.session.protected_pair_evictions);
        w_.Key("streams");
        w_.Uint64(s.streams != nullptr ? s.streams->overflowed_messages() : 0);
        w_.EndObject();
        w_.Key("truncated");
        w_.Bool(s.truncated());
        w_.Key("problems");
        w_.StartArray();
        for (const ReadIssue& issue : s.issues)
            string(issue.message);
        w_.EndArray();
        end();
    }

    void input_error(const std::string& message) override {
        begin("error");
        w_.Key("message");
        string(message);
        end();
    }

  private:
    void count(std::string_view name, std::uint64_t n) {
        w_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
        w_.Uint64(n);
    }

    void begin(std::string_view type) {
        buffer_.Clear();
        w_.Reset(buffer_);
        w_.StartObject();
        w_.Key("type");
        string(type);
        w_.Key("file");
        w_.String(label_.data(), static_cast<rapidjson::SizeType>(label_.size()));
    }
    void end() {
        w_.EndObject();
        out_.write(std::string_view(buffer_.GetString(), buffer_.GetSize()));
        out_.write("\n");
    }
    void common(const MessageReport& r) {
        w_.Key("frame");
        w_.Uint(r.frame);
        w_.Key("time");
        string(epoch_seconds(r.time_ns));
        w_.Key("src");
        string(r.src.to_string());
        w_.Key("dst");
        string(r.dst.to_string());
    }
    void tid(const MessageReport& r) {
        w_.Key("tid");
        if (r.tid) {
            string(r.tid->to_string());
        } else {
            w_.Null();
        }
    }
    // RapidJSON writes bytes as given: keep the output valid UTF-8.
    void string(std::string_view text) {
        scratch_.clear();
        append_sanitized(scratch_, text, false);
        w_.String(scratch_.data(), static_cast<rapidjson::SizeType>(scratch_.size()));
    }
    void string_key(std::string_view key) {
        w_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    }

    WriterSettings settings_;
    std::string label_;
    OrderedOutput::Channel& out_;
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> w_{buffer_};
    std::string scratch_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_json_writer(const WriterSettings& settings, std::string label,
                                               OrderedOutput::Channel& out) {
    return std::make_unique<JsonWriter>(settings, std::move(label), out);
}

}  // namespace coapjws::scan
