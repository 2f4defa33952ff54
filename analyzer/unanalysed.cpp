#include "unanalysed.hpp"

#include "capture_reader.hpp"
#include "plural.hpp"

namespace coapjws::scan {

namespace {

// Fragments, snapped packets and broken headers are counted whatever their
// port (the port is not always readable): each could be CoAP. What was put
// together (reassembled datagrams, TCP messages) is analysed and is not
// here; neither are streams begun before the capture, which are analysed
// from their first message boundary on (the bytes before it are a row).
constexpr UnanalysedKind kinds[] = {
    {"ip-fragments", "IP fragment of an incomplete datagram",
     "IP fragments of incomplete datagrams",
     [](const CaptureSummary& s) { return s.decode.incomplete_fragments; },
     [](const CaptureSummary& s) {
         return plural(s.decode.incomplete_datagrams, "datagram", "datagrams");
     }},
    {"snapped", "packet cut by the snapshot length", "packets cut by the snapshot length",
     [](const CaptureSummary& s) { return s.decode.snapped; }},
    {"bad-headers", "packet with broken IP/UDP/TCP headers",
     "packets with broken IP/UDP/TCP headers",
     [](const CaptureSummary& s) { return s.decode.malformed; }},
    {"dtls-records", "DTLS record on a CoAP or CoAPs port (encrypted)",
     "DTLS records on a CoAP or CoAPs port (encrypted)",
     [](const CaptureSummary& s) { return s.decode.dtls; }},
    {"tls-streams", "TCP stream of TLS on a CoAP or CoAPs port",
     "TCP streams of TLS on a CoAP or CoAPs port",
     [](const CaptureSummary& s) { return s.decode.tls_streams; },
     [](const CaptureSummary& s) {
         return "encrypted, " + plural(s.decode.tls_bytes, "byte", "bytes");
     }},
    {"unsupported-link-records", "record of an unsupported link type",
     "records of unsupported link types",
     [](const CaptureSummary& s) { return s.decode.unsupported_link; },
     [](const CaptureSummary& s) {
         std::string types;
         for (int type : s.decode.unsupported_link_types) {
             if (!types.empty())
                 types += ", ";
             types += link_type_name(type);
         }
         return types;
     }},
    {"tcp-unsynced-bytes", "TCP byte without a known message start",
     "TCP bytes without a known message start",
     [](const CaptureSummary& s) { return s.decode.tcp_unsynced_bytes; }},
    {"tcp-gap-bytes", "TCP byte missing from the capture", "TCP bytes missing from the capture",
     [](const CaptureSummary& s) { return s.decode.tcp_gap_bytes; },
     [](const CaptureSummary& s) { return "in " + plural(s.decode.tcp_gaps, "gap", "gaps"); }},
    {"tcp-incomplete-bytes", "TCP byte of an unfinished CoAP message",
     "TCP bytes of unfinished CoAP messages",
     [](const CaptureSummary& s) { return s.decode.tcp_incomplete_bytes; }},
    {"tcp-oversized-messages", "CoAP-over-TCP message over the size limit",
     "CoAP-over-TCP messages over the size limit",
     [](const CaptureSummary& s) { return s.decode.tcp_oversized; }},
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
    std::string text = plural(count, kind->one, kind->many);
    if (!detail.empty())
        text += " (" + detail + ")";
    return text;
}

std::vector<UnanalysedCount> unanalysed_counts(const CaptureSummary& summary) {
    std::vector<UnanalysedCount> counts;
    if (summary.unanalysed_reported_elsewhere)
        return counts;
    for (const UnanalysedKind& kind : kinds) {
        if (std::uint64_t n = kind.count(summary); n > 0)
            counts.push_back({&kind, n, kind.detail ? kind.detail(summary) : std::string()});
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
