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
        auto summary_of = [](const rapidjson::Document& line_doc) {
            SummaryLine s;
            s.packets = line_doc["packets"].GetUint64();
            s.coap_messages = line_doc["coap_messages"].GetUint64();
            s.jws_messages = line_doc["jws_messages"].GetUint64();
            if (line_doc.HasMember("fragments"))
                s.fragments = line_doc["fragments"].GetUint64();
            if (line_doc.HasMember("snapped"))
                s.snapped = line_doc["snapped"].GetUint64();
            if (line_doc.HasMember("dtls_records"))
                s.dtls_records = line_doc["dtls_records"].GetUint64();
            if (line_doc.HasMember("truncated"))
                s.truncated = line_doc["truncated"].GetBool();
            if (line_doc.HasMember("streams"))
                s.streams = line_doc["streams"].GetUint64();
            if (line_doc.HasMember("evictions"))
                s.window_evictions = line_doc["evictions"]["windows"].GetUint64();
            s.outcome = line_doc["outcome"].GetString();
            for (const auto& member : line_doc["findings"].GetObject())
                s.findings[member.name.GetString()] = member.value.GetUint64();
            for (const auto& member : line_doc["unanalysed"].GetObject())
                s.unanalysed[member.name.GetString()] = member.value.GetUint64();
            for (const auto& member : line_doc.GetObject()) {
                if (member.value.IsUint64())
                    s.counts[member.name.GetString()] = member.value.GetUint64();
            }
            return s;
        };
        const std::string type = d["type"].GetString();
        if (type == "overall") {
            report.overall = summary_of(d);
            report.overall_exit_status = d["exit_status"].GetInt();
            continue;
        }
        const std::string file = d["file"].GetString();
        if (!report.by_file.count(file))
            report.files.push_back(file);
        FileReport& f = report.by_file[file];
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
            f.summary = summary_of(d);
        } else if (type == "stream") {
            StreamLine st;
            st.receiver = d["receiver"].IsString() ? d["receiver"].GetString() : "";
            if (d["key_id"].IsString())
                st.key_id = d["key_id"].GetString();
            st.messages = d["messages"].GetUint64();
            if (d["highest_seq"].IsUint())
                st.highest_seq = d["highest_seq"].GetUint();
            for (const auto& member : std::as_const(d)["findings"].GetObject())
                st.findings[member.name.GetString()] = member.value.GetUint64();
            f.streams.push_back(std::move(st));
        } else if (type == "unanalysed") {
            f.unanalysed[d["id"].GetString()] = d["count"].GetUint64();
        } else if (type == "problem") {
            f.problems.push_back(d["kind"].GetString());
        } else if (type == "error") {
            f.error = d["message"].GetString();
        }
    }
    return report;
}

}  // namespace coapjws::scan::test
