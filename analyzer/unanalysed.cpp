#include "unanalysed.hpp"

namespace coapjws::scan {

namespace {

// Fragments, snapped packets and broken headers are counted whatever their
// port (the port is not always readable): each could be CoAP.
constexpr UnanalysedKind kinds[] = {
    {"ip-fragments", "IP fragment (not reassembled)", "IP fragments (not reassembled)",
     [](const CaptureSummary& s) { return s.decode.fragments; }},
    {"snapped", "packet cut by the snapshot length", "packets cut by the snapshot length",
     [](const CaptureSummary& s) { return s.decode.snapped; }},
    {"bad-headers", "packet with broken IP/UDP headers", "packets with broken IP/UDP headers",
     [](const CaptureSummary& s) { return s.decode.malformed; }},
    {"dtls-records", "DTLS record on a CoAP port (encrypted)",
     "DTLS records on a CoAP port (encrypted)",
     [](const CaptureSummary& s) { return s.decode.dtls; }},
    {"cut-records", "record cut off by the end of the file", "records cut off by the end of a file",
     [](const CaptureSummary& s) -> std::uint64_t {
         std::uint64_t n = 0;
         for (const ReadIssue& issue : s.issues)
             n += issue.truncated ? 1 : 0;
         return n;
     }},
};

}  // namespace

std::span<const UnanalysedKind> unanalysed_kinds() {
    return kinds;
}

std::string UnanalysedCount::text() const {
    return std::to_string(count) + " " + std::string(count == 1 ? kind->one : kind->many);
}

std::vector<UnanalysedCount> unanalysed_counts(const CaptureSummary& summary) {
    std::vector<UnanalysedCount> counts;
    if (summary.unanalysed_reported_elsewhere)
        return counts;
    for (const UnanalysedKind& kind : kinds) {
        if (std::uint64_t n = kind.count(summary); n > 0)
            counts.push_back({&kind, n});
    }
    return counts;
}

std::uint64_t unanalysed_total(const CaptureSummary& summary) {
    std::uint64_t total = 0;
    if (summary.unanalysed_reported_elsewhere)
        return total;
    for (const UnanalysedKind& kind : kinds)
        total += kind.count(summary);
    return total;
}

std::string describe_unanalysed(const CaptureSummary& summary) {
    std::string text;
    for (const UnanalysedCount& c : unanalysed_counts(summary)) {
        if (!text.empty())
            text += ", ";
        text += c.text();
    }
    return text;
}

}  // namespace coapjws::scan
