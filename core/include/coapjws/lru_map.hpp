// A hash map with a fixed capacity that forgets its least recently used
// entry when full. Every table in the session is one of these, so memory is
// bounded by configuration, never by the length of a capture.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <unordered_map>
#include <utility>

namespace coapjws {

template <typename K, typename V, typename Hash = std::hash<K>>
class LruMap {
public:
    explicit LruMap(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

    // The value for `key`, marked most recently used; nullptr if absent.
    V* find(const K& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.end(), order_, it->second);
        return &it->second->second;
    }
    // Looks without touching the recency order.
    const V* peek(const K& key) const {
        auto it = index_.find(key);
        return it == index_.end() ? nullptr : &it->second->second;
    }

    // Inserts or replaces; the entry becomes most recently used. Evicts the
    // least recently used entry first if the map is full.
    V& insert_or_assign(const K& key, V value) {
        if (auto it = index_.find(key); it != index_.end()) {
            it->second->second = std::move(value);
            order_.splice(order_.end(), order_, it->second);
            return it->second->second;
        }
        if (index_.size() >= capacity_) {
            index_.erase(order_.front().first);
            order_.pop_front();
            ++evictions_;
        }
        order_.emplace_back(key, std::move(value));
        auto last = std::prev(order_.end());
        index_.emplace(key, last);
        return last->second;
    }

    bool erase(const K& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return false;
        order_.erase(it->second);
        index_.erase(it);
        return true;
    }

    // Removes least recently used entries while `stale(value)` holds for the
    // oldest one (entries are touched in time order, so this expires by age).
    // Returns how many were removed; they are not counted as evictions.
    template <typename Pred>
    std::size_t expire_oldest_while(Pred stale) {
        std::size_t removed = 0;
        while (!order_.empty() && stale(order_.front().second)) {
            index_.erase(order_.front().first);
            order_.pop_front();
            ++removed;
        }
        return removed;
    }

    std::size_t size() const { return index_.size(); }
    std::size_t capacity() const { return capacity_; }
    // Entries dropped because the map was full.
    std::uint64_t evictions() const { return evictions_; }
    void clear() {
        index_.clear();
        order_.clear();
    }

    // Iteration from least to most recently used.
    auto begin() const { return order_.begin(); }
    auto end() const { return order_.end(); }

private:
    using Order = std::list<std::pair<K, V>>;
    std::size_t capacity_;
    Order order_;
    std::unordered_map<K, typename Order::iterator, Hash> index_;
    std::uint64_t evictions_ = 0;
};

}  // namespace coapjws
