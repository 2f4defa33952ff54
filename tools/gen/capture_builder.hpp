// Builds one capture from a scenario: every message in order (signed, copied,
// tampered or verbatim), framed on the scenario's link and written as pcap,
// plus the manifest of what the author expects for each CoAP frame.
#pragma once

#include <string>

#include "coapjws/key_store.hpp"
#include "gen/manifest_writer.hpp"
#include "gen/scenario.hpp"

namespace coapjws::gen {

struct CaptureInputs {
    const Scenario& scenario;
    const KeyStore& keys;     // signing keys (private parts)
    std::string keys_name;    // the key file as the manifest names it
    std::string source_name;  // the scenario as the manifest names it
    std::string source_digest;
};

struct BuiltCapture {
    Bytes pcap;
    Manifest manifest;
};

Result<BuiltCapture> build_capture(const CaptureInputs& inputs);

}  // namespace coapjws::gen
