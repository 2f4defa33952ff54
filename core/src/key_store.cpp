#include "coapjws/key_store.hpp"

#include <memory>

#include "coapjws/jwk_thumbprint.hpp"

namespace coapjws {

void KeyStore::add(Key key) {
    // Owned first, indexed second: an index never points at a key the store lost.
    Entry entry{std::make_unique<Key>(std::move(key)), {}};
    if (auto thumbprint = jwk_thumbprint(*entry.key))
        entry.thumbprint = std::move(*thumbprint);
    keys_.push_back(std::move(entry));
    const Key* stored = keys_.back().key.get();
    positions_.emplace(stored, keys_.size() - 1);
    if (!stored->kid().empty())
        by_kid_[stored->kid()].push_back(stored);
    if (!stored->x5t_s256().empty())
        by_x5t_s256_[stored->x5t_s256()].push_back(stored);
    if (!stored->x5t().empty())
        by_x5t_[stored->x5t()].push_back(stored);
}

std::size_t KeyStore::index_of(const Key* key) const {
    const auto it = positions_.find(key);
    return it != positions_.end() ? it->second : keys_.size();
}

std::span<const Key* const> KeyStore::find(KeyIdSource source, std::string_view id) const {
    const Index* index = &by_kid_;
    switch (source) {
        case KeyIdSource::kid:
            index = &by_kid_;
            break;
        case KeyIdSource::x5t_s256:
            index = &by_x5t_s256_;
            break;
        case KeyIdSource::x5t:
            index = &by_x5t_;
            break;
    }
    auto it = index->find(id);
    if (it == index->end())
        return {};
    return it->second;
}

}  // namespace coapjws
