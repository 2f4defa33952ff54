#include "gen/manifest_writer.hpp"

#include <openssl/evp.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace coapjws::gen {

namespace {
using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void string_member(Writer& w, const char* name, std::string_view value) {
    w.Key(name);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_analysis(Writer& w, const AnalysisSpec& analysis) {
    w.Key("analysis");
    w.StartObject();
    w.Key("option");
    w.Uint(analysis.jws_option);
    w.Key("window");
    w.Uint(analysis.window);
    string_member(w, "signed_options",
                  analysis.signed_options.empty() ? "default" : analysis.signed_options);
    w.Key("ports");
    w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
    w.StartArray();
    for (auto port : analysis.ports)
        w.Uint(port);
    w.EndArray();
    w.SetFormatOptions(rapidjson::kFormatDefault);
    w.EndObject();
}

void write_frame(Writer& w, const ManifestFrame& frame) {
    w.StartObject();
    w.Key("frame");
    w.Uint(frame.frame);
    if (frame.label)
        string_member(w, "label", *frame.label);
    string_member(w, "from", frame.from);
    string_member(w, "to", frame.to);
    string_member(w, "kind", frame.kind);
    w.Key("tid");
    if (frame.tid) {
        w.String(frame.tid->c_str());
    } else {
        w.Null();
    }
    string_member(w, "signature", frame.signature);
    w.Key("findings");
    w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
    w.StartArray();
    for (const auto& finding : frame.findings)
        w.String(finding.c_str());
    w.EndArray();
    w.SetFormatOptions(rapidjson::kFormatDefault);
    if (!frame.related.empty()) {
        w.Key("related");
        w.StartObject();
        for (const auto& [finding, related] : frame.related) {
            w.Key(finding.c_str());
            w.Uint(related);
        }
        w.EndObject();
    }
    if (frame.request) {
        w.Key("request");
        w.Uint(*frame.request);
    }
    if (frame.note)
        string_member(w, "note", *frame.note);
    w.EndObject();
}
}  // namespace

std::string write_manifest(const Manifest& manifest) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.SetIndent(' ', 2);
    w.StartObject();
    string_member(w, "capture", manifest.capture);
    string_member(w, "description", manifest.description);
    string_member(w, "source", manifest.source);
    if (!manifest.source_digest.empty())
        string_member(w, "source_digest", manifest.source_digest);
    w.Key("deterministic");
    w.Bool(manifest.deterministic);
    string_member(w, "link", manifest.link);
    if (!manifest.transport.empty())
        string_member(w, "transport", manifest.transport);
    if (!manifest.copies.empty()) {
        w.Key("copies");
        w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
        w.StartArray();
        for (const auto& copy : manifest.copies)
            w.String(copy.c_str());
        w.EndArray();
        w.SetFormatOptions(rapidjson::kFormatDefault);
    }
    write_analysis(w, manifest.analysis);
    string_member(w, "keys", manifest.keys);
    w.Key("frame_count");
    w.Uint(manifest.frame_count);
    w.Key("frames");
    w.StartArray();
    for (const auto& frame : manifest.frames)
        write_frame(w, frame);
    w.EndArray();
    w.EndObject();
    std::string out(buffer.GetString(), buffer.GetSize());
    out += '\n';
    return out;
}

std::string source_digest(std::string_view scenario_text, std::string_view keys_text) {
    // Lengths first, so moving bytes from one text to the other changes it.
    std::string input = std::to_string(scenario_text.size()) + ":" + std::string(scenario_text) +
                        std::to_string(keys_text.size()) + ":" + std::string(keys_text);
    unsigned char digest[EVP_MAX_MD_SIZE];
    size_t length = 0;
    if (EVP_Q_digest(nullptr, "SHA256", nullptr, input.data(), input.size(), digest, &length) !=
        1) {
        return {};
    }
    return to_hex(ByteView(digest, length));
}

}  // namespace coapjws::gen
