#include "sarif_writer.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cinttypes>
#include <cstdio>

#include "text_sanitize.hpp"
#include "time_format.hpp"
#include "unanalysed.hpp"

namespace coapjws::scan {

std::string uri_reference(std::string_view path) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                          c == '/';
        if (keep) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    return out;
}

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// One sentence per rule, for dashboards (shortDescription).
std::string_view rule_description(FindingId id) {
    switch (id) {
        case FindingId::malformed:
            return "The CoAP message or its JWS option cannot be read as the profile requires";
        case FindingId::alg_none:
            return "The JWS header names the algorithm \"none\"";
        case FindingId::alg_unsupported:
            return "The JWS header names an algorithm the profile does not allow";
        case FindingId::crit_unknown:
            return "The JWS header marks a parameter critical that is not understood";
        case FindingId::key_mismatch:
            return "No key under the identifier fits the header's algorithm";
        case FindingId::bad_signature:
            return "The signature does not verify";
        case FindingId::replay:
            return "A sequence number the receiver already accepted, used again";
        case FindingId::out_of_window:
            return "A sequence number below the receiver's replay window";
        case FindingId::seq_exhausted:
            return "A sender used its last sequence number and went on";
        case FindingId::response_replay:
            return "A second response bound to the same request";
        case FindingId::unknown_key:
            return "No key is known for the key identifier";
        case FindingId::unverifiable:
            return "The response binds a request that is not in the capture";
        case FindingId::unprotected_response:
            return "A response without JWS to a request that carried one";
        case FindingId::option_rejected:
            return "The server does not implement the JWS option (4.02 echoing it)";
        case FindingId::stripped:
            return "A request without JWS where the same client sent protected ones before";
        case FindingId::isi_in_request:
            return "A request carries the response-only isi parameter";
        case FindingId::retransmission:
            return "A CoAP retransmission of an earlier message";
    }
    return "";
}

std::string_view level_of(Severity severity) {
    switch (severity) {
        case Severity::error:
            return "error";
        case Severity::warning:
            return "warning";
        case Severity::info:
            return "note";
    }
    return "note";
}

void key(JsonWriter& w, std::string_view k) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}
void string(JsonWriter& w, std::string_view text) {
    const std::string clean = sanitized(text, false);  // valid UTF-8
    w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}
void member(JsonWriter& w, std::string_view k, std::string_view text) {
    key(w, k);
    string(w, text);
}
void text_message(JsonWriter& w, std::string_view text) {
    key(w, "message");
    w.StartObject();
    member(w, "text", text);
    w.EndObject();
}
void location(JsonWriter& w, const std::string& uri, std::optional<std::uint32_t> frame) {
    key(w, "physicalLocation");
    w.StartObject();
    key(w, "artifactLocation");
    w.StartObject();
    member(w, "uri", uri);
    w.EndObject();
    if (frame) {
        key(w, "region");
        w.StartObject();
        key(w, "startLine");  // the frame number: a capture has no lines
        w.Uint(*frame);
        w.EndObject();
    }
    w.EndObject();
}

std::string fingerprint(std::string_view label, std::uint32_t frame, std::string_view id) {
    std::uint64_t hash = 14695981039346656037ull;
    auto add = [&hash](std::string_view bytes) {
        for (unsigned char c : bytes) {
            hash ^= c;
            hash *= 1099511628211ull;
        }
        hash ^= 0xff;  // separator
        hash *= 1099511628211ull;
    };
    add(label);
    add(std::to_string(frame));
    add(id);
    char text[20];
    std::snprintf(text, sizeof text, "%016" PRIx64, hash);
    return text;
}

class SarifWriter final : public ReportWriter {
  public:
    SarifWriter(const WriterSettings& settings, std::string label, OrderedOutput::Channel& out)
        : settings_(settings), label_(std::move(label)), uri_(uri_reference(label_)), out_(out) {}

    void message(const MessageReport& report, std::optional<std::size_t>) override {
        for (const Finding& f : report.findings) {
            begin();
            member(w_, "ruleId", finding_name(f.id));
            key(w_, "ruleIndex");
            w_.Uint(static_cast<unsigned>(f.id));
            member(w_, "level", level_of(f.severity()));
            sarif_message("frame " + std::to_string(report.frame) + ": " + f.message);
            key(w_, "locations");
            w_.StartArray();
            w_.StartObject();
            location(w_, uri_, report.frame);
            w_.EndObject();
            w_.EndArray();
            if (f.related_frame) {
                key(w_, "relatedLocations");
                w_.StartArray();
                w_.StartObject();
                key(w_, "id");
                w_.Uint(0);
                location(w_, uri_, *f.related_frame);
                text_message(w_, "frame " + std::to_string(*f.related_frame));
                w_.EndObject();
                w_.EndArray();
            }
            key(w_, "partialFingerprints");
            w_.StartObject();
            member(w_, "coapjwsFrameFinding/v1",
                   fingerprint(label_, report.frame, finding_name(f.id)));
            w_.EndObject();
            key(w_, "properties");
            w_.StartObject();
            key(w_, "frame");
            w_.Uint(report.frame);
            member(w_, "time", iso8601_utc(report.time_ns));
            member(w_, "src", report.src.to_string());
            member(w_, "dst", report.dst.to_string());
            member(w_, "receiver", stable_receiver_name(report.dst, settings_.ports));
            if (report.tid)
                member(w_, "tid", report.tid->to_string());
            w_.EndObject();
            end();
        }
    }

    void summary(const CaptureSummary& s) override {
        const bool fails = unanalysed_fails(s, settings_.policy.unanalysed);
        for (const UnanalysedCount& c : unanalysed_counts(s)) {
            begin();
            const std::string rule = "unanalysed/" + std::string(c.kind->id);
            member(w_, "ruleId", rule);
            key(w_, "ruleIndex");
            w_.Uint(static_cast<unsigned>(finding_count + (c.kind - unanalysed_kinds().data())));
            member(w_, "level", fails ? "error" : "warning");
            std::string text = c.text() + " not analysed";
            if (nothing_analysed(s))
                text += " (not one message of the capture was analysed)";
            sarif_message(text);
            key(w_, "locations");
            w_.StartArray();
            w_.StartObject();
            location(w_, uri_, std::nullopt);
            w_.EndObject();
            w_.EndArray();
            key(w_, "partialFingerprints");
            w_.StartObject();
            member(w_, "coapjwsFrameFinding/v1", fingerprint(label_, 0, rule));
            w_.EndObject();
            key(w_, "properties");
            w_.StartObject();
            key(w_, "count");
            w_.Uint64(c.count);
            w_.EndObject();
            end();
        }
    }

    void input_error(const std::string&) override {
        // A tool execution notification at the end (RunSummary::input_errors).
    }

  private:
    void begin() {
        buffer_.Clear();
        w_.Reset(buffer_);
        buffer_.Put(OrderedOutput::element_separator);
        buffer_.Put('\n');
        w_.StartObject();
    }
    void end() {
        w_.EndObject();
        out_.write(std::string_view(buffer_.GetString(), buffer_.GetSize()));
    }
    void sarif_message(const std::string& text) { text_message(w_, text); }

    WriterSettings settings_;
    std::string label_;
    std::string uri_;
    OrderedOutput::Channel& out_;
    rapidjson::StringBuffer buffer_;
    JsonWriter w_{buffer_};
};

void notification(JsonWriter& w, std::string_view level, std::string_view text) {
    w.StartObject();
    member(w, "level", level);
    text_message(w, text);
    w.EndObject();
}

}  // namespace

std::unique_ptr<ReportWriter> make_sarif_writer(const WriterSettings& settings, std::string label,
                                                OrderedOutput::Channel& out) {
    return std::make_unique<SarifWriter>(settings, std::move(label), out);
}

std::string sarif_prologue(const WriterSettings& settings) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartArray();  // a rules array, cut out below
    auto rule = [&w](std::string_view id, std::string_view text, std::string_view level) {
        w.StartObject();
        member(w, "id", id);
        key(w, "shortDescription");
        w.StartObject();
        member(w, "text", text);
        w.EndObject();
        key(w, "defaultConfiguration");
        w.StartObject();
        member(w, "level", level);
        w.EndObject();
        key(w, "properties");
        w.StartObject();
        key(w, "tags");
        w.StartArray();
        string(w, "security");
        string(w, "coap-jws");
        w.EndArray();
        w.EndObject();
        w.EndObject();
    };
    for (FindingId id : all_findings)
        rule(finding_name(id), rule_description(id), level_of(severity_of(id)));
    for (const UnanalysedKind& kind : unanalysed_kinds()) {
        rule("unanalysed/" + std::string(kind.id),
             "Traffic that could not be analysed: " + std::string(kind.many), "warning");
    }
    w.EndArray();
    std::string t =
        "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
        "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"coapjws-scan\",\"version\":";
    {
        rapidjson::StringBuffer v;
        JsonWriter vw(v);
        string(vw, settings.version);
        t += v.GetString();
    }
    t += ",\"rules\":";
    t += buffer.GetString();
    t += "}},\"results\":[";
    return t;
}

std::string sarif_epilogue(const WriterSettings& settings, const RunSummary& run) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();  // the rest of the run, cut out below
    key(w, "invocations");
    w.StartArray();
    w.StartObject();
    key(w, "executionSuccessful");
    w.Bool(run.unreadable == 0 && run.outcome != Outcome::error && !run.signal);
    key(w, "exitCode");
    w.Int(run.exit_status);
    key(w, "toolExecutionNotifications");
    w.StartArray();
    for (const std::string& error : run.input_errors)
        notification(w, "error", error);
    for (const ReadIssue& issue : run.totals.issues)
        notification(w, issue.truncated ? "warning" : "error", issue.message);
    if (run.signal) {
        notification(w, "error",
                     "stopped by signal " + std::to_string(*run.signal) +
                         ": the results cover the traffic read before it");
    }
    w.EndArray();
    key(w, "toolConfigurationNotifications");
    w.StartArray();
    if (run.totals.no_keys_configured) {
        notification(w, "note",
                     "no keys given: no signature could be verified (signed messages are "
                     "unverified)");
    }
    if (!settings.ignore.empty()) {
        std::string ids;
        for (FindingId id : settings.ignore)
            ids += (ids.empty() ? "" : ", ") + std::string(finding_name(id));
        notification(w, "note", "findings left out (--ignore): " + ids);
    }
    w.EndArray();
    w.EndObject();
    w.EndArray();
    if (settings.shard) {
        key(w, "automationDetails");
        w.StartObject();
        member(w, "id",
               "coapjws-scan/shard-" + std::to_string(settings.shard->index) + "-of-" +
                   std::to_string(settings.shard->count) + "/");
        w.EndObject();
    }
    key(w, "properties");
    w.StartObject();
    key(w, "captures");
    w.Uint64(run.captures);
    key(w, "unreadable");
    w.Uint64(run.unreadable);
    key(w, "packets");
    w.Uint64(run.totals.decode.packets);
    key(w, "coapMessages");
    w.Uint64(run.totals.session.coap_messages);
    key(w, "jwsMessages");
    w.Uint64(run.totals.session.jws_messages);
    member(w, "outcome", to_string(run.outcome));
    w.EndObject();
    w.EndObject();
    std::string rest = buffer.GetString();
    // "{...}" -> ",...}": the members continue the run object.
    return "\n]," + rest.substr(1) + "]}\n";
}

}  // namespace coapjws::scan
