// coapjws-scan --format json output, read back into maps for comparison
// with expectations. Every line is also checked against the schema.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace coapjws::scan::test {

using FindingSet = std::multiset<std::string>;

struct SummaryLine {
    std::uint64_t packets = 0, coap_messages = 0, jws_messages = 0, fragments = 0, snapped = 0;
    std::uint64_t dtls_records = 0;
    std::uint64_t window_evictions = 0, streams = 0;
    bool truncated = false;
    std::string outcome;
    std::map<std::string, std::uint64_t> findings;    // every id
    std::map<std::string, std::uint64_t> unanalysed;  // every kind
    std::map<std::string, std::uint64_t> counts;      // every top-level count, by name
};

struct StreamLine {
    std::string receiver;  // "" for the overflow row
    std::optional<std::string> key_id;
    std::uint64_t messages = 0;
    std::optional<std::uint32_t> highest_seq;
    std::map<std::string, std::uint64_t> findings;
};

struct FileReport {
    std::map<std::uint32_t, FindingSet> findings;              // frame -> ids
    std::map<std::uint32_t, std::uint32_t> related;            // frame -> related frame (last seen)
    std::map<std::uint32_t, std::string> signatures;           // frame -> status (--messages)
    std::map<std::uint32_t, std::string> kinds;                // frame -> kind (--messages)
    std::map<std::uint32_t, std::optional<std::string>> tids;  // frame -> tid (--messages)
    std::vector<std::uint32_t> message_frames;                 // in output order (--messages)
    std::optional<SummaryLine> summary;
    std::optional<std::string> error;
    std::vector<StreamLine> streams;
    std::map<std::string, std::uint64_t> unanalysed;  // "unanalysed" lines
    std::vector<std::string> problems;                // "problem" lines' kinds
};

struct JsonReport {
    std::vector<std::string> files;  // in the order they first appear
    std::map<std::string, FileReport> by_file;
    std::optional<SummaryLine> overall;
    int overall_exit_status = -1;
    std::vector<std::string> problems;  // schema violations, with the line
    const FileReport& file(const std::string& name) const;
};

JsonReport parse_json_report(const std::string& output);

}  // namespace coapjws::scan::test
