// The configured keys, found by key identifier (spec §4). Keys come in
// through the loader (key_loader.hpp) or add().
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "coapjws/jose_header.hpp"
#include "coapjws/key.hpp"

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
    // Keys by their position in the store, in the order added.
    const Key& at(std::size_t index) const { return *keys_[index].key; }
    // The position of a key found in this store (find()).
    std::size_t index_of(const Key* key) const;
    // The key's RFC 7638 thumbprint (jwk_thumbprint.hpp), computed when it was
    // added; empty for an oct key (never a digest of a secret).
    const std::string& thumbprint(std::size_t index) const { return keys_[index].thumbprint; }

  private:
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    using Index =
        std::unordered_map<std::string, std::vector<const Key*>, StringHash, std::equal_to<>>;

    struct Entry {
        std::unique_ptr<Key> key;  // a stable address for the indexes
        std::string thumbprint;
    };
    std::vector<Entry> keys_;
    std::unordered_map<const Key*, std::size_t> positions_;
    Index by_kid_, by_x5t_s256_, by_x5t_;
};

}  // namespace coapjws
