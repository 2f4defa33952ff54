// Keyed HMAC contexts of one secret, kept for reuse.
//
// Duplicating a keyed EVP_MAC_CTX per message (one HMAC_CTX and three digest
// contexts allocated, copied and freed) cost about as much as the MAC itself.
// Instead a context is taken from a small pool, re-initialised with no key
// (OpenSSL then restarts from the stored inner pad state) and handed back.
// The pool holds at most as many contexts per hash as threads used the key at
// once, and a hash that is never used gets none: with thousands of keys only
// the contexts actually needed exist.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <span>
#include <vector>

#include "coapjws/algorithm.hpp"
#include "coapjws/bytes.hpp"
#include "openssl_ptr.hpp"

namespace coapjws::detail {

class HmacContexts {
  public:
    // Writes HMAC-SHA-`hash_bits`(secret, input) to `out` and returns its
    // length, or 0 when OpenSSL fails or `out` is too small. Thread-safe.
    std::size_t compute(unsigned hash_bits, ByteView secret, ByteView input,
                        std::span<unsigned char> out) const;

  private:
    static constexpr std::size_t hash_count = 3;  // SHA-256, SHA-384, SHA-512
    ossl::MacCtxPtr take(std::size_t slot, unsigned hash_bits, ByteView secret) const;
    void give_back(std::size_t slot, ossl::MacCtxPtr context) const;

    mutable std::mutex mutex_;
    mutable std::array<std::vector<ossl::MacCtxPtr>, hash_count> spare_;
};

}  // namespace coapjws::detail
