// Reads a capture manifest (<name>.expected.json, see pcaps/README.md) and
// the list of known discrepancies between manifests and the engine.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coapjws::test {

struct ExpectedFrame {
    std::uint32_t frame = 0;
    std::string label;  // may be empty
    std::string kind;
    std::optional<std::string> tid;
    std::string signature;
    std::vector<std::string> findings;  // sorted
    std::map<std::string, std::uint32_t> related;
    std::optional<std::uint32_t> request;
    std::string note;
};

struct ExpectedCapture {
    std::string path;     // of the manifest
    std::string capture;  // pcap path, resolved against the manifest's folder
    std::string keys;     // key file path, resolved likewise (empty: none)
    std::string description;
    bool deterministic = true;
    std::uint16_t option = 65021;
    std::uint32_t window = 32;
    std::string signed_options;  // "default" or a list
    std::vector<std::uint16_t> ports;
    std::uint32_t frame_count = 0;
    // How the capture carries CoAP: "udp" (the default), "tcp", "tls" (RFC
    // 8323) or "dtls". `frames` lists the CoAP messages, each on the frame
    // that completes it (for tls and dtls, once Wireshark decrypted them);
    // coapjws-scan and the engine check read UDP and TCP but decrypt
    // nothing (spec §7), so for tls and dtls they must find no message.
    std::string transport = "udp";
    std::vector<ExpectedFrame> frames;
    std::vector<std::string> copies;  // compressed copies of `capture`, resolved like it

    bool analysed_by_engine() const { return transport == "udp" || transport == "tcp"; }
};

bool read_manifest(const std::string& path, ExpectedCapture& out, std::string& error);

// Every *.expected.json in `folder`, sorted.
std::vector<std::string> list_manifests(const std::string& folder);

// Discrepancies between a manifest and the engine that were reported to the
// engine's authors: capture file name and frame -> reason.
using KnownDiscrepancies = std::map<std::pair<std::string, std::uint32_t>, std::string>;
bool read_known_discrepancies(const std::string& path, KnownDiscrepancies& out, std::string& error);

}  // namespace coapjws::test
