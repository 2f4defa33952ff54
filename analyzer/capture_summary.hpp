// What is known about one analysed capture when it ends.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "coapjws/session.hpp"
#include "frame_decoder.hpp"
#include "frame_source.hpp"
#include "stream_table.hpp"

namespace coapjws::scan {

struct CaptureSummary {
    std::string label;  // the file name, "<stdin>", or "a.pcap+b.pcap" for --merge
    DecodeCounters decode;
    SessionStats session;
    std::array<std::uint64_t, 4> signatures{};  // indexed by SignatureStatus
    std::vector<ReadIssue> issues;              // cut short, read errors
    // Signed messages that could not be verified because no key was given
    // (-k): every format should say so, as nothing in the capture was verified.
    std::uint64_t unverified_without_keys = 0;
    const StreamTable* streams = nullptr;

    bool truncated() const;
    std::uint64_t count(SignatureStatus status) const {
        return signatures[static_cast<std::size_t>(status)];
    }
    std::uint64_t evictions() const;
};

}  // namespace coapjws::scan
