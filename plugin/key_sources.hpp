// Keys for the plugin: a JWK Set file (preference coapjws.keys_file) plus the
// rows of the `coapjws_keys` table. A bad key is reported and left out; the
// others still verify.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "coapjws/key.hpp"
#include "coapjws/key_store.hpp"
#include "coapjws/result.hpp"
#include "settings.hpp"

namespace coapjws::plugin {

// The key of one table row: `key` is read as the path of a PEM key when it
// contains a '/' or ends in ".pem", otherwise as a hex secret (an oct key).
// `alg`, when set, must name a supported algorithm and becomes the key's alg.
// Errors never contain the secret.
Result<Key> key_from_uat_entry(const UatKeyEntry& entry);

struct LoadedKeys {
    std::shared_ptr<const KeyStore> keys;
    std::vector<std::string> problems;  // one line each, naming the file or row
};

// Loads the JWK Set (when `keys_file` is not empty) and the table rows. When
// the file as a whole is refused, its usable keys are still loaded one by one.
LoadedKeys load_keys(const std::string& keys_file, std::span<const UatKeyEntry> uat_keys);

}  // namespace coapjws::plugin
