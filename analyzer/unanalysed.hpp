// Traffic that may be CoAP but that the scanner could not analyse, as one
// table driven from CaptureSummary. Every output format reads this table (a
// text line, JSON "unanalysed" lines, a JUnit test case, SARIF results,
// GitHub annotations), and the exit status follows --fail-on-unanalysed /
// --allow-unanalysed: a new counter in CaptureSummary is one row here and
// shows everywhere.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "capture_summary.hpp"

namespace coapjws::scan {

struct UnanalysedKind {
    std::string_view id;  // stable: JSON keys, SARIF rule "unanalysed/<id>"
    std::string_view
        one;  // what a count of 1 is ("DTLS record on a CoAP or CoAPs port (encrypted)")
    std::string_view many;  // what other counts are
    std::uint64_t (*count)(const CaptureSummary&);
    // What else the summary knows about them, said in parentheses after the
    // count ("in 2 gaps"); nullptr when there is nothing to add.
    std::string (*detail)(const CaptureSummary&) = nullptr;
};

std::span<const UnanalysedKind> unanalysed_kinds();

struct UnanalysedCount {
    const UnanalysedKind* kind;
    std::uint64_t count;
    std::string detail;        // kind->detail's text, or empty
    std::string text() const;  // "300 TCP bytes missing from the capture (in 2 gaps)"
};

// The non-zero counts, in table order.
std::vector<UnanalysedCount> unanalysed_counts(const CaptureSummary& summary);
std::uint64_t unanalysed_total(const CaptureSummary& summary);
// "3 IP fragments of incomplete datagrams (1 datagram), 3 DTLS records ...",
// or "" for none.
std::string describe_unanalysed(const CaptureSummary& summary);

}  // namespace coapjws::scan
