// The session driver: runs one capture (a FrameSource) through a
// coapjws::Session and hands every report to a ReportWriter in frame order.
//
// With a VerifyPool the Session's three stages are pipelined: this thread
// decodes and prepare()s messages in capture order and collects them into
// batches, the pool verify()s batches in parallel, and this thread
// conclude()s them again in capture order. Only a bounded number of batches
// is in flight, so memory does not grow with the capture.
#pragma once

#include <bitset>
#include <cstdint>
#include <memory>
#include <optional>

#include "capture_summary.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/session.hpp"
#include "diagnostics.hpp"
#include "frame_source.hpp"
#include "report_writer.hpp"
#include "shard.hpp"
#include "udp.hpp"
#include "verify_pool.hpp"

namespace coapjws::scan {

class ProgressBar;

struct AnalysisSettings {
    SessionConfig session;
    std::shared_ptr<const KeyStore> keys;
    const PortFilter* ports = nullptr;
    std::size_t max_streams = 65536;
    VerifyPool* pool = nullptr;         // null: analyse on this thread only
    ProgressBar* progress = nullptr;    // may be null
    std::bitset<finding_count> ignore;  // --ignore: left out of the report
    // --shard: messages to other receivers go through the engine (matching
    // needs them) without signature checks, and are not reported.
    std::optional<Shard> shard;
    bool no_keys_configured = false;
    const Diagnostics* diagnostics = nullptr;  // warnings on standard error
};

struct AnalysisResult {
    CaptureSummary summary;   // as the writer got it (without the stream table)
    bool read_error = false;  // a read failure other than a cut-short file
};

// Runs the whole capture; `channel` is flushed after each message with
// findings when the source is streaming (standard input), so they appear as
// they happen.
AnalysisResult analyze_capture(FrameSource& source, const std::string& label,
                               const AnalysisSettings& settings, ReportWriter& writer,
                               OrderedOutput::Channel& channel);

}  // namespace coapjws::scan
