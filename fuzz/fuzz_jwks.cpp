// JWK Set loader: never crashes or leaks, whatever the file holds; its
// policy holds (a refused set adds nothing, every key it adds is found under
// each identifier it has, every issue about one key names its index), and
// the strict parser agrees with it on what a fully usable set is.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "coapjws/key_loader.hpp"

using namespace coapjws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    KeyStore store;
    const KeyFileLoad load = add_jwks(store, json, "fuzz.jwks");
    if (load.refused() != (store.size() == 0) || load.keys_added != store.size())
        std::abort();
    bool left_out = false;
    for (const KeyIssue& issue : load.issues) {
        const bool about_a_key = issue.level() == KeyIssueLevel::key_left_out;
        left_out = left_out || about_a_key;
        if (about_a_key && !issue.key_index)
            std::abort();
    }
    for (std::size_t i = 0; i < store.size(); ++i) {
        const Key& key = store.at(i);
        (void)key.describe();
        if (!key.kid().empty() && store.find(KeyIdSource::kid, key.kid()).empty())
            std::abort();
    }
    Result<KeyStore> strict = parse_jwks(json, "fuzz.jwks");
    if (strict.has_value() != (!load.refused() && !left_out))
        std::abort();
    return 0;
}
