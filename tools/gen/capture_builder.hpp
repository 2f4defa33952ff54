// Builds one capture from a scenario: every message in order (signed, copied,
// tampered or verbatim), framed on the scenario's link (in one UDP datagram,
// in IP fragments, or in the TCP segments the scenario lists) and written as
// pcap or pcapng, plus the manifest of what the author expects for each CoAP
// message, on the frame that completes it.
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
    Bytes capture;  // pcap or pcapng, named manifest.capture
    Manifest manifest;
    std::vector<Codec> copies;  // compressed copies to write beside it (manifest.copies)
};

Result<BuiltCapture> build_capture(const CaptureInputs& inputs);

}  // namespace coapjws::gen
