// Keyed HMAC contexts shared by all oct keys of the process, a few at a time.
//
// A keyed EVP_MAC_CTX costs about 760 bytes of OpenSSL memory; keeping one
// per key cost 10 MiB at 10 000 keys, and with traffic spread over thousands
// of keys each MAC touched a context that had long left the CPU caches. So
// keys hold only their secret and an id, and this cache holds a handful of
// keyed contexts, each tagged with the id of the key it was keyed for. A MAC
// under a key with a tagged context only restarts it from the stored inner
// pad state (the common case: few keys, or one busy stream); otherwise the
// least recently used idle context of the same hash is keyed again with
// EVP_MAC_init (two more compression blocks), which touches no per-key
// OpenSSL memory at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "coapjws/bytes.hpp"

namespace coapjws::detail {

// A fresh id for a key's secret in the cache (never 0, never reused).
std::uint64_t new_hmac_id();

// Writes HMAC-SHA-`hash_bits`(secret, input) to `out` and returns its length,
// or 0 when OpenSSL fails or `out` is too small. `id` names `secret`: the
// same id must always come with the same secret. Thread-safe.
std::size_t hmac_compute(std::uint64_t id, unsigned hash_bits, ByteView secret, ByteView input,
                         std::span<unsigned char> out);

// Frees (and so wipes) the contexts keyed for `id`: its key is gone.
void hmac_forget(std::uint64_t id);

}  // namespace coapjws::detail
