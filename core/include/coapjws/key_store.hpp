// The configured keys, found by key identifier (spec §4).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "coapjws/jose_header.hpp"
#include "coapjws/key.hpp"
#include "coapjws/result.hpp"

namespace coapjws {

class KeyStore {
public:
    KeyStore() = default;
    KeyStore(KeyStore&&) noexcept = default;
    KeyStore& operator=(KeyStore&&) noexcept = default;

    // Indexes the key under each of its identifiers that is set.
    void add(Key key);

    // Keys whose identifier of that kind equals `id`, in the order added.
    // The pointers stay valid until the store is modified or destroyed.
    std::span<const Key* const> find(KeyIdSource source, std::string_view id) const;

    std::size_t size() const { return keys_.size(); }
    bool empty() const { return keys_.empty(); }
    const Key& at(std::size_t index) const { return *keys_[index]; }

    // Remarks from loading that do not stop it: an HMAC key shorter than the
    // hash of its algorithm (RFC 7518 §3.2), an RSA key too small to ever fit.
    // Same form as the loader's errors ("keys.jwks: key #0 (kid \"h\"): ...").
    const std::vector<std::string>& warnings() const { return warnings_; }
    void add_warning(std::string warning) { warnings_.push_back(std::move(warning)); }

private:
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    using Index = std::unordered_map<std::string, std::vector<const Key*>, StringHash, std::equal_to<>>;

    std::vector<std::unique_ptr<Key>> keys_;  // stable addresses for the indexes
    Index by_kid_, by_x5t_s256_, by_x5t_;
    std::vector<std::string> warnings_;
};

// Loads a JWK Set ({"keys":[...]}, RFC 7517 §5). Errors name the file, the
// key's index and the problem: "keys.jwks: key #2 (kid \"srv\"): crv \"P-999\"
// is not supported". The index counts from 0, as in `.keys[2]`. A key without
// any identifier is an error. Nothing is added when any key fails. An RSA key
// under 2048 bits loads (with a warning) so captures using it can be diagnosed.
Result<KeyStore> load_jwks_file(const std::string& path);
Result<KeyStore> parse_jwks(std::string_view json, std::string_view source_name);
// Adds every key of a JWK Set to an existing store.
Status add_jwks(KeyStore& store, std::string_view json, std::string_view source_name);

}  // namespace coapjws
