// The manifest (<name>.expected.json) of a capture: for every CoAP frame, what
// the scenario's author expects coapjws to report — kind, TID, signature
// status, findings and the frames they relate to. Written from the scenario's
// "expect" members only; nothing in it comes from running the analysis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gen/scenario.hpp"

namespace coapjws::gen {

struct ManifestFrame {
    std::uint32_t frame = 0;
    std::optional<std::string> label;
    std::string from;  // endpoint names
    std::string to;
    std::string kind;
    std::optional<std::string> tid;
    std::string signature;
    std::vector<std::string> findings;
    std::vector<std::pair<std::string, std::uint32_t>> related;
    std::optional<std::uint32_t> request;
    std::optional<std::string> note;
};

struct Manifest {
    std::string capture;  // file name of the pcap or pcapng
    std::string description;
    std::string source;         // "scenarios/<name>.json" or "hand-written"
    std::string source_digest;  // SHA-256 of the scenario and key file (hex)
    bool deterministic = true;
    std::string link;                 // link types of the frames, "+"-joined ("sll+ethernet")
    std::string transport;            // "tcp", or empty for UDP
    std::vector<std::string> copies;  // compressed copies of `capture`
    AnalysisSpec analysis;
    std::string keys;  // key file, relative to the manifest
    std::uint32_t frame_count = 0;
    std::vector<ManifestFrame> frames;
};

std::string write_manifest(const Manifest& manifest);

// The digest that ties a committed capture to the scenario it came from.
std::string source_digest(std::string_view scenario_text, std::string_view keys_text);

}  // namespace coapjws::gen
