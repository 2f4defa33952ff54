// What the user configured for the plugin (preferences and the key table),
// as plain C++ values, and how it becomes the engine's SessionConfig.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coapjws/coap_message.hpp"
#include "coapjws/session.hpp"

namespace coapjws::plugin {

inline constexpr const char* default_signed_options = "1,4,5,8,11,12,15,17,20";
inline constexpr unsigned default_window = 32;
// Wireshark's JSON view of the decoded header (json.* items under the
// header): on, so nothing is lost; batch tshark runs switch it off.
inline constexpr bool default_header_json = true;

// One row of the `coapjws_keys` UAT.
struct UatKeyEntry {
    std::string key_id;  // matched against kid, x5t#S256 and x5t
    std::string alg;     // optional: the only algorithm this key verifies
    std::string key;     // hex secret, or the path of a PEM key

    friend bool operator==(const UatKeyEntry&, const UatKeyEntry&) = default;
};

struct PluginSettings {
    std::string keys_file;  // a JWK Set; empty for none
    unsigned option_number = option::jws_default;
    std::string signed_options = default_signed_options;
    unsigned window = default_window;
    bool header_json = default_header_json;  // the tree only, not the analysis
    std::vector<UatKeyEntry> uat_keys;

    friend bool operator==(const PluginSettings&, const PluginSettings&) = default;
};

struct ResolvedConfig {
    SessionConfig session;
    // One line per preference that could not be used ("option number 70000
    // is not 0..65535; using 65021"); its default is used instead.
    std::vector<std::string> problems;
};

// The engine configuration for these settings. The signed content is not
// kept: the plugin builds it again when it shows it (coapjws/jws_parts.hpp).
ResolvedConfig resolve_session_config(const PluginSettings& settings);

}  // namespace coapjws::plugin
