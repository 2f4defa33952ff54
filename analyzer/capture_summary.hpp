// What is known about one analysed capture when it ends (and, summed, about
// the whole run: the overall summary).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coapjws/finding.hpp"
#include "coapjws/session.hpp"
#include "coapjws/stream_table.hpp"
#include "frame_decoder.hpp"
#include "frame_source.hpp"

namespace coapjws::scan {

struct CaptureSummary {
    std::string label;  // the file name, "<stdin>", or "a.pcap+b.pcap" for --merge
    // What the decoder saw and what it could not analyse (frame_decoder.hpp);
    // unanalysed.hpp reads the part that was not analysed from it.
    DecodeCounters decode;
    SessionStats session;
    // What the report shows: counted from the reported messages, so --ignore
    // and --shard are taken into account (SessionStats counts everything the
    // engine saw).
    std::array<std::uint64_t, 4> signatures{};  // indexed by SignatureStatus
    std::array<std::uint64_t, finding_count> findings{};
    std::optional<Severity> worst;  // highest reported finding severity
    std::vector<ReadIssue> issues;  // cut short, read errors
    // Signed messages the engine left unverified because no key was given
    // (SessionStats::unverified_without_keys), said once per report.
    std::uint64_t unverified_without_keys = 0;
    const StreamTable* streams = nullptr;
    // No key file was given: nothing could be verified (said once per report).
    bool no_keys_configured = false;
    // --shard K/N with K > 1: traffic that could not be analysed belongs to
    // the capture, not to a receiver, and is reported by shard 1 alone (so
    // the shards' counts add up); the decode counters stay the capture's.
    bool unanalysed_reported_elsewhere = false;
    // SIGINT/SIGTERM stopped the reading before the end of the capture.
    bool interrupted = false;
    std::int64_t started_ns = 0;  // wall clock (ns since the epoch) when the analysis began
    double seconds = 0;           // how long it took

    bool truncated() const;
    std::uint64_t count(SignatureStatus status) const {
        return signatures[static_cast<std::size_t>(status)];
    }
    std::uint64_t finding_count_of(FindingId id) const {
        return findings[static_cast<std::size_t>(id)];
    }
    std::uint64_t evictions() const;
    // Adds another capture's counters (for the overall summary); the label,
    // streams and times stay.
    CaptureSummary& operator+=(const CaptureSummary& other);
};

}  // namespace coapjws::scan
