#include "hmac_contexts.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <array>
#include <atomic>
#include <mutex>
#include <utility>

#include "coapjws/key.hpp"
#include "openssl_methods.hpp"
#include "openssl_ptr.hpp"

namespace coapjws::detail {

namespace {

// Enough for the keys of a busy exchange (client and server, a few hashes,
// a few threads) to keep their contexts; more would only hold memory when
// traffic is spread over many keys, where contexts are re-keyed anyway.
constexpr std::size_t cache_slots = 8;

// A new context keyed with `secret` for SHA-`hash_bits`.
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

// Set once the cache below is destroyed at exit: keys that live in statics
// constructed before it (a front end's global state) are destroyed after it.
std::atomic<bool> cache_gone{false};

struct Slot {
    std::uint64_t id = 0;  // 0: empty
    unsigned hash_bits = 0;
    std::uint64_t last_use = 0;
    ossl::MacCtxPtr context;
};

class ContextCache {
  public:
    ContextCache() = default;
    ContextCache(const ContextCache&) = delete;
    ContextCache& operator=(const ContextCache&) = delete;
    ~ContextCache() { cache_gone.store(true); }

    // A context keyed for `id`: a tagged one restarted; else, when every slot
    // is taken, the least recently used idle one of the same hash re-keyed;
    // else a new one. Null when OpenSSL fails.
    ossl::MacCtxPtr take(std::uint64_t id, unsigned hash_bits, ByteView secret) {
        ossl::MacCtxPtr context;
        bool keyed = false;
        {
            std::lock_guard lock(mutex_);
            Slot* reusable = nullptr;
            bool full = true;
            for (Slot& slot : slots_) {
                if (!slot.context) {
                    full = false;
                    continue;
                }
                if (slot.hash_bits != hash_bits)
                    continue;
                if (slot.id == id) {
                    reusable = &slot;
                    keyed = true;
                    break;
                }
                if (!reusable || slot.last_use < reusable->last_use)
                    reusable = &slot;
            }
            // With a free slot a new context costs one allocation once, and
            // keeps every other key's context: only a full cache re-keys.
            if (reusable && (keyed || full)) {
                context = std::move(reusable->context);
                reusable->id = 0;
            }
        }
        if (keyed) {
            // Restart from the key's inner state: no key given keeps the key.
            if (EVP_MAC_init(context.get(), nullptr, 0, nullptr) == 1)
                return context;
            return nullptr;
        }
        if (context) {
            // Same digest: only the key changes, no digest fetch.
            if (EVP_MAC_init(context.get(), secret.data(), secret.size(), nullptr) == 1)
                return context;
            return nullptr;
        }
        return keyed_context(hash_bits, secret);
    }

    // Returns a context keyed for `id` (in a known state) to the cache,
    // evicting the least recently used context when every slot is taken.
    void give_back(std::uint64_t id, unsigned hash_bits, ossl::MacCtxPtr context) {
        ossl::MacCtxPtr evicted;  // freed after the lock is released
        std::lock_guard lock(mutex_);
        Slot* target = &slots_[0];
        for (Slot& slot : slots_) {
            if (!slot.context) {
                target = &slot;
                break;
            }
            if (slot.last_use < target->last_use)
                target = &slot;
        }
        evicted = std::move(target->context);
        target->id = id;
        target->hash_bits = hash_bits;
        target->last_use = ++clock_;
        target->context = std::move(context);
    }

    void forget(std::uint64_t id) {
        std::array<ossl::MacCtxPtr, cache_slots> dropped;
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (slots_[i].context && slots_[i].id == id) {
                dropped[i] = std::move(slots_[i].context);
                slots_[i].id = 0;
            }
        }
    }

  private:
    std::mutex mutex_;
    std::array<Slot, cache_slots> slots_;
    std::uint64_t clock_ = 0;
};

// Created by the first key's set-up MAC. Statics are destroyed in reverse
// order of construction, so one made earlier (holding keys) outlives it:
// `cache_gone` tells the keys' destructors there is nothing left to free.
ContextCache& cache() {
    static ContextCache instance;
    return instance;
}

}  // namespace

HmacId& HmacId::operator=(HmacId&& other) noexcept {
    if (this != &other) {
        hmac_forget(value_);
        value_ = other.value_;
        other.value_ = 0;
    }
    return *this;
}

HmacId::~HmacId() {
    hmac_forget(value_);
}

std::uint64_t new_hmac_id() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

std::size_t hmac_compute(std::uint64_t id, unsigned hash_bits, ByteView secret, ByteView input,
                         std::span<unsigned char> out) {
    if (id == 0 || (hash_bits != 256 && hash_bits != 384 && hash_bits != 512))
        return 0;
    try {
        const bool cached = !cache_gone.load(std::memory_order_relaxed);
        ossl::MacCtxPtr context =
            cached ? cache().take(id, hash_bits, secret) : keyed_context(hash_bits, secret);
        std::size_t length = 0;
        if (!context || EVP_MAC_update(context.get(), input.data(), input.size()) != 1 ||
            EVP_MAC_final(context.get(), out.data(), &length, out.size()) != 1) {
            // A context in an unknown state is dropped, never reused.
            ERR_clear_error();
            return 0;
        }
        if (cached)
            cache().give_back(id, hash_bits, std::move(context));
        return length;
    } catch (...) {
        // A failing mutex: no MAC. The caller treats that as a failed
        // verification, never a valid one.
        return 0;
    }
}

void hmac_forget(std::uint64_t id) {
    if (id == 0 || cache_gone.load(std::memory_order_relaxed))
        return;  // nothing cached for it, or the cache already freed everything
    try {
        cache().forget(id);
    } catch (...) {
        // A failing mutex: the contexts stay until evicted or the process ends.
    }
}

}  // namespace coapjws::detail
