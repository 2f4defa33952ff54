// JWK Set loader: never crashes or leaks, whatever the file holds; a store it
// returns finds every key under each identifier the key has.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "coapjws/key_store.hpp"

using namespace coapjws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    Result<KeyStore> store = parse_jwks(json, "fuzz.jwks");
    if (!store)
        return 0;
    for (std::size_t i = 0; i < store->size(); ++i) {
        const Key& key = store->at(i);
        (void)key.describe();
        if (!key.kid().empty() && store->find(KeyIdSource::kid, key.kid()).empty())
            std::abort();
    }
    return 0;
}
