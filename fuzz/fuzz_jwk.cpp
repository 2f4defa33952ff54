// One JWK (Key::from_jwk): never crashes or leaks; a key it returns has the
// material its type needs, and describe() shows no secret.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "coapjws/base64url.hpp"
#include "coapjws/jws_crypto.hpp"
#include "coapjws/key.hpp"

using namespace coapjws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    Result<Key> key = Key::from_jwk(json);
    if (!key)
        return 0;
    const std::string description = key->describe();
    if (key->type() == KeyType::oct) {
        // The secret's text may appear in describe() only where the JWK put it
        // into a public identifier itself (the fuzzer copies text around).
        const std::string secret = base64url_encode(key->secret());
        const bool in_identifier = key->kid().find(secret) != std::string::npos ||
                                   key->x5t().find(secret) != std::string::npos ||
                                   key->x5t_s256().find(secret) != std::string::npos;
        if (secret.size() >= 6 && !in_identifier && description.find(secret) != std::string::npos)
            std::abort();
    } else if (key->pkey() == nullptr) {
        std::abort();
    }
    // Exercise the key: a verification with every algorithm it fits.
    static const std::uint8_t input[] = "e30.AQ";
    static const std::uint8_t signature[64] = {};
    for (Algorithm alg : all_algorithms) {
        if (key_fits(*key, alg))
            (void)verify_signature(alg, *key, ByteView(input, 6), ByteView(signature, 64));
    }
    return 0;
}
