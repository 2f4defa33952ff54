#include "coapjws/key_store.hpp"

#include <memory>

namespace coapjws {

void KeyStore::add(Key key) {
    // Owned first, indexed second: an index never points at a key the store lost.
    keys_.push_back(std::make_unique<Key>(std::move(key)));
    const Key* stored = keys_.back().get();
    if (!stored->kid().empty())
        by_kid_[stored->kid()].push_back(stored);
    if (!stored->x5t_s256().empty())
        by_x5t_s256_[stored->x5t_s256()].push_back(stored);
    if (!stored->x5t().empty())
        by_x5t_[stored->x5t()].push_back(stored);
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
