// A hash map with a fixed capacity that forgets its least recently used
// entry when full. Every table in the session is one of these, so memory is
// bounded by configuration, never by the length of a capture.
//
// Layout, for captures whose tables hold tens of thousands of entries: the
// entries live in chunks of nodes (stable addresses, allocated as the map
// fills, never more than `capacity` nodes), linked in recency order by
// 32-bit indices; lookups go through an open-addressing index of (node,
// hash) pairs with linear probing, so a lookup usually costs one probe and
// one key comparison instead of a chain of heap nodes.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "hash_finalise.hpp"

namespace coapjws {

template <typename K, typename V, typename Hash = std::hash<K>>
class LruMap {
  public:
    using value_type = std::pair<K, V>;

    explicit LruMap(std::size_t capacity)
        : capacity_(capacity == 0 ? 1 : std::min<std::size_t>(capacity, max_capacity)) {}

    // The value for `key`, marked most recently used; nullptr if absent.
    // Pointers stay valid until that entry is removed.
    V* find(const K& key) {
        // An empty table (no protected pair yet on plain CoAP) skips the hash.
        return empty() ? nullptr : find(key, hash_key(key));
    }
    // As find(), with hash_key(key) computed by the caller, who will use it again
    // for insert_absent() if the key is not there.
    V* find(const K& key, std::uint32_t key_hash) {
        std::size_t slot = find_slot(key, key_hash);
        if (slot == npos)
            return nullptr;
        std::uint32_t index = slots_[slot].node;
        touch(index);
        return &node(index).kv->second;
    }
    // Looks without touching the recency order.
    const V* peek(const K& key) const {
        std::size_t slot = find_slot(key, hash_of(key));
        return slot == npos ? nullptr : &node(slots_[slot].node).kv->second;
    }

    // Inserts or replaces; the entry becomes most recently used. Evicts the
    // least recently used entry first if the map is full.
    V& insert_or_assign(const K& key, V value) {
        const std::uint32_t hash = hash_of(key);
        if (std::size_t slot = find_slot(key, hash); slot != npos) {
            std::uint32_t index = slots_[slot].node;
            node(index).kv->second = std::move(value);
            touch(index);
            return node(index).kv->second;
        }
        return insert_new(key, std::move(value), hash);
    }

    // Inserts an entry the caller knows is absent (it just looked), skipping
    // the lookup insert_or_assign() would repeat. Evicts as insert_or_assign does.
    V& insert_absent(const K& key, V value) {
        return insert_absent(key, std::move(value), hash_of(key));
    }
    V& insert_absent(const K& key, V value, std::uint32_t key_hash) {
        assert(find_slot(key, key_hash) == npos);
        return insert_new(key, std::move(value), key_hash);
    }

    // The map's hash of a key (the Hash's value, mixed to 32 bits).
    std::uint32_t hash_key(const K& key) const { return hash_of(key); }

    bool erase(const K& key) {
        std::size_t slot = find_slot(key, hash_of(key));
        if (slot == npos)
            return false;
        remove(slots_[slot].node, slot);
        return true;
    }

    // Removes least recently used entries while `stale(value)` holds for the
    // oldest one (entries are touched in time order, so this expires by age).
    // Returns how many were removed; they are not counted as evictions.
    template <typename Pred>
    std::size_t expire_oldest_while(Pred stale) {
        return expire_oldest_while(stale, [](V&) {});
    }
    // As above, handing each removed value to `on_remove` first (so a caller
    // that accounts for what values hold can release it).
    template <typename Pred, typename OnRemove>
    std::size_t expire_oldest_while(Pred stale, OnRemove on_remove) {
        std::size_t removed = 0;
        while (oldest_ != nil && stale(node(oldest_).kv->second)) {
            on_remove(node(oldest_).kv->second);
            pop_oldest();
            ++removed;
        }
        return removed;
    }

    // Forgets the least recently used entry, counted as an eviction, after
    // handing its value to `on_evict`. For callers with a budget of their own
    // (bytes) besides the entry count. Returns false when the map is empty.
    template <typename OnEvict>
    bool evict_oldest(OnEvict on_evict) {
        if (oldest_ == nil)
            return false;
        on_evict(node(oldest_).kv->second);
        pop_oldest();
        ++evictions_;
        return true;
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t capacity() const { return capacity_; }
    // Entries dropped because the map was full.
    std::uint64_t evictions() const { return evictions_; }
    void clear() {
        chunks_.clear();
        free_.clear();
        slots_.clear();
        allocated_ = 0;
        size_ = 0;
        oldest_ = newest_ = nil;
    }

    // Iteration from least to most recently used.
    class const_iterator {
      public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = LruMap::value_type;
        using difference_type = std::ptrdiff_t;
        using pointer = const value_type*;
        using reference = const value_type&;

        const_iterator() = default;
        reference operator*() const { return *map_->node(index_).kv; }
        pointer operator->() const { return &*map_->node(index_).kv; }
        const_iterator& operator++() {
            index_ = map_->node(index_).next;
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) {
            return a.index_ == b.index_;
        }

      private:
        friend class LruMap;
        const_iterator(const LruMap* map, std::uint32_t index) : map_(map), index_(index) {}
        const LruMap* map_ = nullptr;
        std::uint32_t index_ = nil;
    };
    const_iterator begin() const { return const_iterator(this, oldest_); }
    const_iterator end() const { return const_iterator(this, nil); }

  private:
    V& insert_new(const K& key, V value, std::uint32_t hash) {
        if (size_ >= capacity_) {
            pop_oldest();
            ++evictions_;
        }
        grow_index_if_needed();
        std::uint32_t index = allocate_node();
        Node& n = node(index);
        n.kv.emplace(key, std::move(value));
        n.hash = hash;
        place_in_index(index, hash);
        link_newest(index);
        ++size_;
        return n.kv->second;
    }

    static constexpr std::uint32_t nil = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_capacity = std::size_t{1} << 30;
    static constexpr unsigned chunk_bits = 8;  // 256 nodes per chunk
    static constexpr std::uint32_t chunk_mask = (1u << chunk_bits) - 1;

    struct Node {
        std::optional<value_type> kv;  // engaged while the node holds an entry
        std::uint32_t hash = 0;
        std::uint32_t older = nil;
        std::uint32_t next = nil;  // newer
    };
    struct Slot {
        std::uint32_t node = nil;  // nil: empty
        std::uint32_t hash = 0;
    };

    // Spreads whatever the key's hash gives (identity for integers) over 32 bits.
    std::uint32_t hash_of(const K& key) const {
        return detail::finalise_hash(static_cast<std::uint64_t>(hasher_(key)));
    }

    Node& node(std::uint32_t index) { return chunks_[index >> chunk_bits][index & chunk_mask]; }
    const Node& node(std::uint32_t index) const {
        return chunks_[index >> chunk_bits][index & chunk_mask];
    }

    std::size_t find_slot(const K& key, std::uint32_t hash) const {
        if (slots_.empty())
            return npos;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            const Slot& s = slots_[i];
            if (s.node == nil)
                return npos;
            if (s.hash == hash && node(s.node).kv->first == key)
                return i;
        }
    }
    std::size_t slot_of_node(std::uint32_t index) const {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = node(index).hash & mask;; i = (i + 1) & mask) {
            if (slots_[i].node == index)
                return i;
        }
    }

    void place_in_index(std::uint32_t index, std::uint32_t hash) {
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = hash & mask;
        while (slots_[i].node != nil)
            i = (i + 1) & mask;
        slots_[i] = Slot{index, hash};
    }
    // Keeps the load at most 1/2 so probes stay short.
    void grow_index_if_needed() {
        if ((size_ + 1) * 2 <= slots_.size())
            return;
        std::size_t wanted = slots_.empty() ? 16 : slots_.size() * 2;
        std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(wanted));
        for (const Slot& s : old) {
            if (s.node != nil)
                place_in_index(s.node, s.hash);
        }
    }
    // Backward-shift deletion: no tombstones, so probes never lengthen.
    void clear_slot(std::size_t hole) {
        const std::size_t mask = slots_.size() - 1;
        slots_[hole] = Slot{};
        for (std::size_t j = (hole + 1) & mask; slots_[j].node != nil; j = (j + 1) & mask) {
            std::size_t home = slots_[j].hash & mask;
            // The entry at j may move to the hole unless its home lies
            // cyclically in (hole, j].
            bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (stays)
                continue;
            slots_[hole] = slots_[j];
            slots_[j] = Slot{};
            hole = j;
        }
    }

    std::uint32_t allocate_node() {
        if (!free_.empty()) {
            std::uint32_t index = free_.back();
            free_.pop_back();
            return index;
        }
        std::uint32_t index = allocated_++;
        if ((index >> chunk_bits) >= chunks_.size()) {
            chunks_.push_back(std::make_unique<Node[]>(std::size_t{1} << chunk_bits));
        }
        return index;
    }

    void unlink(std::uint32_t index) {
        Node& n = node(index);
        if (n.older != nil)
            node(n.older).next = n.next;
        else
            oldest_ = n.next;
        if (n.next != nil)
            node(n.next).older = n.older;
        else
            newest_ = n.older;
        n.older = n.next = nil;
    }
    void link_newest(std::uint32_t index) {
        Node& n = node(index);
        n.older = newest_;
        n.next = nil;
        if (newest_ != nil)
            node(newest_).next = index;
        else
            oldest_ = index;
        newest_ = index;
    }
    void touch(std::uint32_t index) {
        if (index == newest_)
            return;
        unlink(index);
        link_newest(index);
    }

    void remove(std::uint32_t index, std::size_t slot) {
        clear_slot(slot);
        unlink(index);
        node(index).kv.reset();
        free_.push_back(index);
        --size_;
    }
    void pop_oldest() { remove(oldest_, slot_of_node(oldest_)); }

    std::size_t capacity_;
    [[no_unique_address]] Hash hasher_{};
    std::vector<std::unique_ptr<Node[]>> chunks_;
    std::vector<std::uint32_t> free_;
    std::vector<Slot> slots_;  // power-of-two size, or empty
    std::uint32_t allocated_ = 0;
    std::size_t size_ = 0;
    std::uint32_t oldest_ = nil;
    std::uint32_t newest_ = nil;
    std::uint64_t evictions_ = 0;
};

}  // namespace coapjws
