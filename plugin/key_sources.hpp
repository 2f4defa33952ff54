// Keys for the plugin: a JWK Set file (preference coapjws.keys_file) plus the
// rows of the `coapjws_keys` table, all read through the engine's loader
// (coapjws/key_loader.hpp) with the policy coapjws-scan has: a key that
// cannot be used is left out with a problem, the others still verify.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "coapjws/key.hpp"
#include "coapjws/key_loader.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/result.hpp"
#include "settings.hpp"

namespace coapjws::plugin {

// The key of one table row: `key` is read as the path of a PEM key when it
// contains a '/' or ends in ".pem" (under the loader's file rules), otherwise
// as a hex secret (an oct key). `alg`, when set, must name a supported
// algorithm and becomes the key's alg. `issues` holds the refusal (no key)
// or warnings (a short HMAC secret, a private PEM file others may read);
// their messages start with the row's key id. Never contains the secret.
struct UatKeyLoad {
    std::optional<Key> key;
    std::vector<KeyIssue> issues;
};
UatKeyLoad load_uat_entry(const UatKeyEntry& entry);

// The same as a Result, for the table's update callback: the refusal, if any.
Result<Key> key_from_uat_entry(const UatKeyEntry& entry);

struct LoadedKeys {
    std::shared_ptr<const KeyStore> keys;  // never null; empty when nothing loaded
    // One line each, naming the file or row and the problem; warnings start
    // with "warning: ". Shown to the user, never containing a secret.
    std::vector<std::string> problems;
};

// Loads the JWK Set (when `keys_file` is not empty) and the table rows. A
// file that is refused (unreadable, not a regular file, too large, not a JWK
// Set, no usable key) contributes no key; the rows still load.
LoadedKeys load_keys(const std::string& keys_file, std::span<const UatKeyEntry> uat_keys);

}  // namespace coapjws::plugin
