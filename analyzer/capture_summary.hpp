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
    // What the decoder saw and what it could not analyse (frame_decoder.hpp):
    // snapped, dtls, unsupported_link (+ _types), incomplete_fragments and
    // incomplete_datagrams, tcp_unsynced_bytes, tcp_gaps/tcp_gap_bytes,
    // tcp_incomplete_bytes, tcp_oversized, tls_streams/tls_bytes;
    // decode.anything_unanalysed() says whether any of them is not zero.
    DecodeCounters decode;
    SessionStats session;
    std::array<std::uint64_t, 4> signatures{};  // indexed by SignatureStatus
    std::vector<ReadIssue> issues;              // cut short, read errors
    const StreamTable* streams = nullptr;

    bool truncated() const;
    std::uint64_t count(SignatureStatus status) const {
        return signatures[static_cast<std::size_t>(status)];
    }
    std::uint64_t evictions() const;
};

}  // namespace coapjws::scan
