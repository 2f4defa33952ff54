#include "json_schema.hpp"

#include <rapidjson/document.h>

#include <set>

#include "coapjws/endpoint.hpp"
#include "coapjws/finding.hpp"

namespace coapjws::scan::test {

namespace {

using rapidjson::Value;

std::set<std::string> member_names(const Value& v) {
    std::set<std::string> names;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
        names.insert(it->name.GetString());
    return names;
}

// -?[0-9]+\.[0-9]{9}
bool is_epoch_seconds(std::string_view t) {
    if (!t.empty() && t.front() == '-')
        t.remove_prefix(1);
    const std::size_t dot = t.find('.');
    if (dot == 0 || dot == std::string_view::npos || t.size() - dot - 1 != 9)
        return false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (i != dot && (t[i] < '0' || t[i] > '9'))
            return false;
    }
    return true;
}

std::string check_common(const Value& v) {
    if (!v["file"].IsString())
        return "file is not a string";
    if (!v["frame"].IsUint() || v["frame"].GetUint() == 0)
        return "frame is not a positive integer";
    if (!v["time"].IsString())
        return "time is not a string";
    if (!is_epoch_seconds(v["time"].GetString()))
        return "time is not seconds.nanoseconds";
    for (const char* end : {"src", "dst"}) {
        if (!v[end].IsString() || !Endpoint::parse(v[end].GetString())) {
            return std::string(end) + " is not an address:port";
        }
    }
    if (!v["tid"].IsNull() &&
        !(v["tid"].IsString() &&
          std::string_view(v["tid"].GetString()).find(':') != std::string_view::npos)) {
        return "tid is neither null nor KEYID:SEQ";
    }
    return {};
}

std::string check_finding(const Value& v) {
    const std::set<std::string> expected = {"type",     "file",    "frame",        "time",
                                            "src",      "dst",     "tid",          "id",
                                            "severity", "message", "related_frame"};
    if (member_names(v) != expected)
        return "finding members differ from the documented set";
    if (auto e = check_common(v); !e.empty())
        return e;
    if (!v["id"].IsString())
        return "id is not a string";
    auto id = finding_from_name(v["id"].GetString());
    if (!id)
        return "unknown finding id";
    if (!v["severity"].IsString() || v["severity"].GetString() != severity_name(severity_of(*id))) {
        return "severity does not match the id";
    }
    if (!v["message"].IsString())
        return "message is not a string";
    if (!v["related_frame"].IsNull() && !v["related_frame"].IsUint())
        return "related_frame";
    return {};
}

std::string check_message(const Value& v) {
    const std::set<std::string> expected = {"type", "file", "frame", "time",      "src",
                                            "dst",  "kind", "tid",   "signature", "findings"};
    if (member_names(v) != expected)
        return "message members differ from the documented set";
    if (auto e = check_common(v); !e.empty())
        return e;
    static const std::set<std::string> kinds = {"request", "response", "empty", "unknown"};
    static const std::set<std::string> statuses = {"valid", "invalid", "unverified", "none"};
    if (!v["kind"].IsString() || !kinds.count(v["kind"].GetString()))
        return "kind";
    if (!v["signature"].IsString() || !statuses.count(v["signature"].GetString()))
        return "signature";
    if (!v["findings"].IsArray())
        return "findings is not an array";
    for (const Value& f : v["findings"].GetArray()) {
        if (!f.IsString() || !finding_from_name(f.GetString()))
            return "findings holds a non-id";
    }
    return {};
}

// The unanalysed kinds, as README.md lists them.
const std::set<std::string> unanalysed_ids = {
    "ip-fragments",           "snapped",       "bad-headers",
    "dtls-records",           "tls-streams",   "unsupported-link-records",
    "tcp-unsynced-bytes",     "tcp-gap-bytes", "tcp-incomplete-bytes",
    "tcp-oversized-messages", "cut-records"};

std::string check_unanalysed_map(const Value& v) {
    if (!v.IsObject())
        return "unanalysed is not an object";
    if (member_names(v) != unanalysed_ids)
        return "unanalysed does not list every kind";
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        if (!it->value.IsUint64())
            return "unanalysed count is not a count";
    }
    return {};
}

std::string check_summary(const Value& v, bool overall = false) {
    std::set<std::string> required = {"type",
                                      "packets",
                                      "coap_messages",
                                      "jws_messages",
                                      "findings",
                                      "version",
                                      "unanalysed",
                                      "outcome",
                                      "no_keys_configured",
                                      "unverified_without_keys",
                                      "interrupted",
                                      "ignored",
                                      "shard"};
    std::set<std::string> optional = {"udp_messages",
                                      "tcp_messages",
                                      "signatures",
                                      "fragments",
                                      "reassembled",
                                      "incomplete_datagrams",
                                      "incomplete_fragments",
                                      "snapped",
                                      "bad_headers",
                                      "dtls_records",
                                      "unsupported_link_records",
                                      "unsupported_link_types",
                                      "tcp_segments",
                                      "tcp_streams",
                                      "tcp_unknown_start",
                                      "tcp_unsynced_bytes",
                                      "tcp_gaps",
                                      "tcp_gap_bytes",
                                      "tcp_incomplete_bytes",
                                      "tcp_oversized",
                                      "tls_streams",
                                      "tls_bytes",
                                      "evictions",
                                      "truncated"};
    if (overall) {
        for (const char* n : {"captures", "unreadable", "not_started", "exit_status"})
            required.insert(n);
    } else {
        required.insert("file");
        optional.insert("streams");
        optional.insert("problems");
    }
    for (const auto& name : member_names(v)) {
        if (!required.count(name) && !optional.count(name))
            return "undocumented summary member " + name;
    }
    for (const auto& name : required) {
        if (!v.HasMember(name.c_str()))
            return "summary lacks " + name;
    }
    if (!overall && !v["file"].IsString())
        return "file";
    if (!v["version"].IsInt() || v["version"].GetInt() != 2)
        return "version is not 2";
    static const std::set<std::string> outcomes = {"pass", "findings", "unanalysed", "error"};
    if (!v["outcome"].IsString() || !outcomes.count(v["outcome"].GetString()))
        return "outcome";
    if (auto e = check_unanalysed_map(v["unanalysed"]); !e.empty())
        return e;
    if (!v["ignored"].IsArray())
        return "ignored is not an array";
    for (const Value& id : v["ignored"].GetArray()) {
        if (!id.IsString() || !finding_from_name(id.GetString()))
            return "ignored holds a non-id";
    }
    if (!v["shard"].IsNull() && !v["shard"].IsString())
        return "shard";
    for (const char* n : {"no_keys_configured", "interrupted"}) {
        if (!v[n].IsBool())
            return std::string(n) + " is not a boolean";
    }
    for (const char* n : {"packets", "coap_messages", "jws_messages", "unverified_without_keys"}) {
        if (!v[n].IsUint64())
            return std::string(n) + " is not a count";
    }
    const Value& findings = v["findings"];
    if (!findings.IsObject())
        return "findings is not an object";
    if (findings.MemberCount() != finding_count)
        return "findings does not list every id";
    for (auto it = findings.MemberBegin(); it != findings.MemberEnd(); ++it) {
        if (!finding_from_name(it->name.GetString()))
            return "findings has an unknown id";
        if (!it->value.IsUint64())
            return "findings count is not a count";
    }
    if (v.HasMember("truncated") && !v["truncated"].IsBool())
        return "truncated";
    for (const char* n :
         {"fragments", "reassembled", "incomplete_datagrams", "incomplete_fragments",
          "unsupported_link_records", "tcp_segments", "tcp_streams", "tcp_unknown_start",
          "tcp_unsynced_bytes", "tcp_gaps", "tcp_gap_bytes", "tcp_incomplete_bytes",
          "tcp_oversized", "tls_streams", "tls_bytes", "tcp_messages", "udp_messages"}) {
        if (v.HasMember(n) && !v[n].IsUint64())
            return std::string(n) + " is not a count";
    }
    if (v.HasMember("unsupported_link_types")) {
        if (!v["unsupported_link_types"].IsArray())
            return "unsupported_link_types is not an array";
        for (const Value& type : v["unsupported_link_types"].GetArray()) {
            if (!type.IsString())
                return "unsupported_link_types holds a non-name";
        }
    }
    return {};
}

std::string check_problem(const Value& v) {
    if (member_names(v) != std::set<std::string>{"type", "file", "severity", "kind", "message"})
        return "problem members";
    const std::string kind = v["kind"].IsString() ? v["kind"].GetString() : "";
    const std::string severity = v["severity"].IsString() ? v["severity"].GetString() : "";
    if (!((kind == "truncated" && severity == "warning") ||
          (kind == "read-error" && severity == "error"))) {
        return "problem kind/severity";
    }
    return v["message"].IsString() ? "" : "problem message";
}

std::string check_unanalysed(const Value& v) {
    if (member_names(v) !=
        std::set<std::string>{"type", "file", "id", "count", "severity", "fails_run", "message"})
        return "unanalysed members";
    if (!v["id"].IsString() || !unanalysed_ids.count(v["id"].GetString()))
        return "unanalysed id";
    if (!v["count"].IsUint64() || v["count"].GetUint64() == 0)
        return "unanalysed count";
    if (!v["severity"].IsString() || std::string(v["severity"].GetString()) != "warning")
        return "unanalysed severity";
    if (!v["fails_run"].IsBool() || !v["message"].IsString())
        return "unanalysed fails_run/message";
    return {};
}

std::string check_stream(const Value& v) {
    const std::set<std::string> expected = {
        "type",    "file",       "receiver", "key_id",      "overflow",    "messages", "valid",
        "invalid", "unverified", "unsigned", "highest_seq", "first_frame", "findings"};
    if (member_names(v) != expected)
        return "stream members";
    if (!v["overflow"].IsBool())
        return "overflow";
    if (v["overflow"].GetBool()
            ? !v["receiver"].IsNull()
            : !(v["receiver"].IsString() && Endpoint::parse(v["receiver"].GetString()))) {
        return "receiver";
    }
    if (!v["key_id"].IsNull() && !v["key_id"].IsString())
        return "key_id";
    for (const char* n :
         {"messages", "valid", "invalid", "unverified", "unsigned", "first_frame"}) {
        if (!v[n].IsUint64())
            return std::string(n) + " is not a count";
    }
    if (!v["highest_seq"].IsNull() && !v["highest_seq"].IsUint())
        return "highest_seq";
    if (!v["findings"].IsObject())
        return "findings";
    for (auto it = v["findings"].MemberBegin(); it != v["findings"].MemberEnd(); ++it) {
        if (!finding_from_name(it->name.GetString()) || !it->value.IsUint64() ||
            it->value.GetUint64() == 0)
            return "stream findings";
    }
    return {};
}

}  // namespace

std::string check_json_line(std::string_view line) {
    rapidjson::Document d;
    d.Parse(line.data(), line.size());
    if (d.HasParseError())
        return "not JSON";
    if (!d.IsObject())
        return "not an object";
    if (!d.HasMember("type") || !d["type"].IsString())
        return "no type";
    const std::string type = d["type"].GetString();
    if (type == "overall")
        return check_summary(d, true);
    if (!d.HasMember("file"))
        return "no file";
    if (type == "finding")
        return check_finding(d);
    if (type == "message")
        return check_message(d);
    if (type == "summary")
        return check_summary(d);
    if (type == "problem")
        return check_problem(d);
    if (type == "unanalysed")
        return check_unanalysed(d);
    if (type == "stream")
        return check_stream(d);
    if (type == "error") {
        if (member_names(d) != std::set<std::string>{"type", "file", "message"})
            return "error members";
        return d["message"].IsString() ? "" : "error message";
    }
    return "unknown type " + type;
}

}  // namespace coapjws::scan::test
