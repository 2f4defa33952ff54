#include "hmac_contexts.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <utility>

#include "openssl_methods.hpp"

namespace coapjws::detail {

namespace {

// A new context keyed with `secret`: hashes the key, so only done when the
// pool has no spare context for this hash.
ossl::MacCtxPtr keyed_context(unsigned hash_bits, ByteView secret) {
    ossl::MacCtxPtr context(EVP_MAC_CTX_new(ossl::hmac()));
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                         const_cast<char*>(ossl::sha2_name(hash_bits)), 0),
        OSSL_PARAM_construct_end(),
    };
    if (!context || EVP_MAC_init(context.get(), secret.data(), secret.size(), params) != 1)
        return nullptr;
    return context;
}

}  // namespace

ossl::MacCtxPtr HmacContexts::take(std::size_t slot, unsigned hash_bits, ByteView secret) const {
    {
        std::lock_guard lock(mutex_);
        std::vector<ossl::MacCtxPtr>& spare = spare_[slot];
        if (!spare.empty()) {
            ossl::MacCtxPtr context = std::move(spare.back());
            spare.pop_back();
            // Restart from the key's inner state: no key given keeps the key.
            if (EVP_MAC_init(context.get(), nullptr, 0, nullptr) == 1)
                return context;
            return nullptr;
        }
    }
    return keyed_context(hash_bits, secret);
}

void HmacContexts::give_back(std::size_t slot, ossl::MacCtxPtr context) const {
    std::lock_guard lock(mutex_);
    spare_[slot].push_back(std::move(context));
}

std::size_t HmacContexts::compute(unsigned hash_bits, ByteView secret, ByteView input,
                                  std::span<unsigned char> out) const {
    if (hash_bits != 256 && hash_bits != 384 && hash_bits != 512)
        return 0;
    const std::size_t slot = (hash_bits - 256) / 128;
    try {
        ossl::MacCtxPtr context = take(slot, hash_bits, secret);
        std::size_t length = 0;
        if (!context || EVP_MAC_update(context.get(), input.data(), input.size()) != 1 ||
            EVP_MAC_final(context.get(), out.data(), &length, out.size()) != 1) {
            // A context in an unknown state is dropped, never reused.
            ERR_clear_error();
            return 0;
        }
        give_back(slot, std::move(context));
        return length;
    } catch (...) {
        // Out of memory growing the pool (or a failing mutex): no MAC. The
        // caller treats that as a failed verification, never a valid one.
        return 0;
    }
}

}  // namespace coapjws::detail
