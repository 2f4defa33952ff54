#include "manifest.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace coapjws::test {

namespace {
namespace fs = std::filesystem;

bool load(const std::string& path, rapidjson::Document& doc, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot open";
        return false;
    }
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    doc.Parse(s.data(), s.size());
    if (doc.HasParseError()) {
        error = path + ": JSON error at " + std::to_string(doc.GetErrorOffset()) + ": " +
                rapidjson::GetParseError_En(doc.GetParseError());
        return false;
    }
    return true;
}

std::string str(const rapidjson::Value& object, const char* name) {
    auto it = object.FindMember(name);
    return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}
}  // namespace

bool read_manifest(const std::string& path, ExpectedCapture& out, std::string& error) {
    rapidjson::Document doc;
    if (!load(path, doc, error))
        return false;
    if (!doc.IsObject() || !doc.HasMember("frames") || !doc["frames"].IsArray() ||
        !doc.HasMember("analysis") || !doc["analysis"].IsObject()) {
        error = path + ": not a capture manifest";
        return false;
    }
    const fs::path folder = fs::path(path).parent_path();
    out.path = path;
    out.capture = (folder / str(doc, "capture")).string();
    const std::string keys = str(doc, "keys");
    out.keys = keys.empty() ? "" : (folder / keys).string();
    out.description = str(doc, "description");
    out.deterministic = !doc.HasMember("deterministic") || doc["deterministic"].GetBool();
    const auto& analysis = doc["analysis"];
    out.option = static_cast<std::uint16_t>(analysis["option"].GetUint());
    out.window = analysis["window"].GetUint();
    out.signed_options = str(analysis, "signed_options");
    out.ports.clear();
    for (const auto& port : analysis["ports"].GetArray()) {
        out.ports.push_back(static_cast<std::uint16_t>(port.GetUint()));
    }
    out.frame_count = doc["frame_count"].GetUint();
    out.transport = doc.HasMember("transport") ? str(doc, "transport") : "udp";
    if (out.transport != "udp" && out.transport != "tcp" && out.transport != "tls" &&
        out.transport != "dtls") {
        error = path + ": transport must be \"udp\", \"tcp\", \"tls\" or \"dtls\"";
        return false;
    }
    out.copies.clear();
    if (doc.HasMember("copies")) {
        for (const auto& copy : doc["copies"].GetArray())
            out.copies.push_back((folder / copy.GetString()).string());
    }
    out.frames.clear();
    for (const auto& f : doc["frames"].GetArray()) {
        ExpectedFrame frame;
        frame.frame = f["frame"].GetUint();
        frame.label = str(f, "label");
        frame.kind = str(f, "kind");
        if (f.HasMember("tid") && f["tid"].IsString())
            frame.tid = f["tid"].GetString();
        frame.signature = str(f, "signature");
        for (const auto& finding : f["findings"].GetArray()) {
            frame.findings.emplace_back(finding.GetString());
        }
        std::sort(frame.findings.begin(), frame.findings.end());
        if (f.HasMember("related")) {
            for (auto it = f["related"].MemberBegin(); it != f["related"].MemberEnd(); ++it) {
                frame.related[it->name.GetString()] = it->value.GetUint();
            }
        }
        if (f.HasMember("request"))
            frame.request = f["request"].GetUint();
        frame.note = str(f, "note");
        out.frames.push_back(std::move(frame));
    }
    return true;
}

std::vector<std::string> list_manifests(const std::string& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 14 && name.ends_with(".expected.json"))
            out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool read_known_discrepancies(const std::string& path, KnownDiscrepancies& out,
                              std::string& error) {
    rapidjson::Document doc;
    if (!load(path, doc, error))
        return false;
    if (!doc.IsObject() || !doc.HasMember("discrepancies") || !doc["discrepancies"].IsArray()) {
        error = path + ": expected {\"discrepancies\": [...]}";
        return false;
    }
    for (const auto& item : doc["discrepancies"].GetArray()) {
        out[{str(item, "capture"), item["frame"].GetUint()}] = str(item, "reason");
    }
    return true;
}

}  // namespace coapjws::test
