#include "key_id_pool.hpp"

#include <algorithm>
#include <functional>

namespace coapjws::detail {

std::uint32_t KeyIdPool::hash_text(std::string_view text) {
    const std::size_t h = std::hash<std::string_view>{}(text);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

void KeyIdPool::index_insert(Id id) {
    const std::size_t mask = index_.size() - 1;
    std::size_t slot = entries_[id].hash & mask;
    while (index_[slot] != 0)
        slot = (slot + 1) & mask;
    index_[slot] = id + 1;
}

void KeyIdPool::rebuild_index(std::size_t slots) {
    index_.assign(slots, 0);
    for (Id id = 0; id < entries_.size(); ++id) {
        if (entries_[id].in_use)
            index_insert(id);
    }
}

KeyIdPool::Id KeyIdPool::intern(std::string_view text) {
    const std::uint32_t hash = hash_text(text);
    if (!index_.empty()) {
        const std::size_t mask = index_.size() - 1;
        for (std::size_t slot = hash & mask; index_[slot] != 0; slot = (slot + 1) & mask) {
            const Entry& e = entries_[index_[slot] - 1];
            if (e.hash == hash && e.text == text)
                return index_[slot] - 1;
        }
    }
    Id id;
    if (!free_ids_.empty()) {
        id = free_ids_.back();
        free_ids_.pop_back();
    } else {
        id = static_cast<Id>(entries_.size());
        entries_.emplace_back();
    }
    Entry& e = entries_[id];
    e.text.assign(text);
    e.hash = hash;
    e.in_use = true;
    ++in_use_;
    bytes_ += text.size();
    if (2 * in_use_ > index_.size())
        rebuild_index(std::max<std::size_t>(64, index_.size() * 2));
    else
        index_insert(id);
    return id;
}

void KeyIdPool::release_unmarked(const std::vector<bool>& live) {
    for (Id id = 0; id < entries_.size(); ++id) {
        Entry& e = entries_[id];
        if (!e.in_use || live[id])
            continue;
        e.in_use = false;
        bytes_ -= e.text.size();
        std::string().swap(e.text);  // a long identifier's memory goes now
        free_ids_.push_back(id);
        --in_use_;
    }
    rebuild_index(index_.size());
    sweep_at_ = in_use_ + std::max(min_sweep_after, in_use_ / 2);
    sweep_at_bytes_ = bytes_ + std::max(min_sweep_after_bytes, bytes_ / 2);
}

}  // namespace coapjws::detail
