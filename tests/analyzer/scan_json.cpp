#include "scan_json.hpp"

#include <rapidjson/document.h>

#include <stdexcept>
#include <utility>

#include "json_schema.hpp"
#include "scan_runner.hpp"

namespace coapjws::scan::test {

const FileReport& JsonReport::file(const std::string& name) const {
    auto it = by_file.find(name);
    if (it == by_file.end())
        throw std::out_of_range("no report for " + name);
    return it->second;
}

JsonReport parse_json_report(const std::string& output) {
    JsonReport report;
    for (const std::string& line : split_lines(output)) {
        if (auto problem = check_json_line(line); !problem.empty()) {
            report.problems.push_back(problem + ": " + line);
            continue;
        }
        rapidjson::Document d;
        d.Parse(line.c_str());
        const std::string file = d["file"].GetString();
        if (!report.by_file.count(file))
            report.files.push_back(file);
        FileReport& f = report.by_file[file];
        const std::string type = d["type"].GetString();
        if (type == "finding") {
            std::uint32_t frame = d["frame"].GetUint();
            f.findings[frame].insert(d["id"].GetString());
            if (d["related_frame"].IsUint())
                f.related[frame] = d["related_frame"].GetUint();
        } else if (type == "message") {
            std::uint32_t frame = d["frame"].GetUint();
            f.message_frames.push_back(frame);
            f.signatures[frame] = d["signature"].GetString();
            f.kinds[frame] = d["kind"].GetString();
            f.tids[frame] = d["tid"].IsString() ? std::optional<std::string>(d["tid"].GetString())
                                                : std::nullopt;
        } else if (type == "summary") {
            SummaryLine s;
            s.packets = d["packets"].GetUint64();
            s.coap_messages = d["coap_messages"].GetUint64();
            s.jws_messages = d["jws_messages"].GetUint64();
            if (d.HasMember("fragments"))
                s.fragments = d["fragments"].GetUint64();
            if (d.HasMember("snapped"))
                s.snapped = d["snapped"].GetUint64();
            if (d.HasMember("dtls_records"))
                s.dtls_records = d["dtls_records"].GetUint64();
            if (d.HasMember("truncated"))
                s.truncated = d["truncated"].GetBool();
            if (d.HasMember("streams"))
                s.streams = d["streams"].GetUint64();
            if (d.HasMember("evictions"))
                s.window_evictions = d["evictions"]["windows"].GetUint64();
            for (const auto& member : std::as_const(d)["findings"].GetObject()) {
                s.findings[member.name.GetString()] = member.value.GetUint64();
            }
            for (const auto& member : std::as_const(d).GetObject()) {
                if (member.value.IsUint64())
                    s.counts[member.name.GetString()] = member.value.GetUint64();
            }
            f.summary = s;
        } else if (type == "error") {
            f.error = d["message"].GetString();
        }
    }
    return report;
}

}  // namespace coapjws::scan::test
