// Runs a capture through the engine (coapjws::Session) with the settings its
// manifest names, and compares each CoAP frame's report with the manifest.
#pragma once

#include <string>
#include <vector>

#include "manifest.hpp"

namespace coapjws::test {

struct FrameMismatch {
    const ExpectedFrame* expected = nullptr;  // null: a CoAP frame the manifest does not list
    std::uint32_t frame = 0;
    bool analysed = false;  // false: the manifest lists a frame the engine never saw
    ExpectedFrame actual;   // in the manifest's terms
};

struct EngineCheck {
    std::string error;  // set when the check could not run (files, keys, config)
    std::vector<FrameMismatch> mismatches;
    std::size_t frames_checked = 0;
};

EngineCheck check_with_engine(const ExpectedCapture& manifest);

// "kind=request tid=client-1:0 signature=valid findings=[replay] replay->3"
std::string describe(const ExpectedFrame& frame);
// "capture.pcap frame 7 (label)"
std::string where(const ExpectedCapture& manifest, const FrameMismatch& mismatch);

}  // namespace coapjws::test
