// LruMap against a reference model: random sequences of every operation on
// the map and on a plain std::list (recency order, oldest first) with a
// std::map index, which must agree after every step — contents, recency
// order, size and eviction count. Small key ranges and a hash with many
// collisions drive the open-addressing index through its probe chains,
// hole filling on removal and growth; fixed seeds keep failures repeatable.
#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <list>
#include <map>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "lru_map.hpp"

namespace coapjws {
namespace {

// The obvious implementation of the same contract.
class ModelLru {
  public:
    explicit ModelLru(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

    std::optional<int> find(int key) {
        auto it = index_.find(key);
        if (it == index_.end())
            return std::nullopt;
        order_.splice(order_.end(), order_, it->second);  // most recently used
        return it->second->second;
    }
    std::optional<int> peek(int key) const {
        auto it = index_.find(key);
        return it == index_.end() ? std::nullopt : std::optional<int>(it->second->second);
    }
    void insert_or_assign(int key, int value) {
        if (auto it = index_.find(key); it != index_.end()) {
            it->second->second = value;
            order_.splice(order_.end(), order_, it->second);
            return;
        }
        if (order_.size() >= capacity_) {
            index_.erase(order_.front().first);
            order_.pop_front();
            ++evictions_;
        }
        order_.emplace_back(key, value);
        index_[key] = std::prev(order_.end());
    }
    bool erase(int key) {
        auto it = index_.find(key);
        if (it == index_.end())
            return false;
        order_.erase(it->second);
        index_.erase(it);
        return true;
    }
    std::vector<int> expire_oldest_below(int threshold) {
        std::vector<int> removed;
        while (!order_.empty() && order_.front().second < threshold) {
            removed.push_back(order_.front().second);
            index_.erase(order_.front().first);
            order_.pop_front();
        }
        return removed;
    }
    std::optional<int> evict_oldest() {
        if (order_.empty())
            return std::nullopt;
        const int value = order_.front().second;
        index_.erase(order_.front().first);
        order_.pop_front();
        ++evictions_;
        return value;
    }
    void clear() {
        order_.clear();
        index_.clear();
    }

    const std::list<std::pair<int, int>>& order() const { return order_; }
    std::uint64_t evictions() const { return evictions_; }

  private:
    std::size_t capacity_;
    std::list<std::pair<int, int>> order_;
    std::map<int, std::list<std::pair<int, int>>::iterator> index_;
    std::uint64_t evictions_ = 0;
};

// Many keys share a hash: long probe chains and shifted holes.
struct CollidingHash {
    std::size_t operator()(int key) const noexcept { return static_cast<std::size_t>(key % 5); }
};

template <typename Hash>
void run_against_model(std::size_t capacity, int key_range, std::uint32_t seed, int steps) {
    SCOPED_TRACE(::testing::Message()
                 << "capacity " << capacity << ", keys 0.." << key_range - 1 << ", seed " << seed);
    LruMap<int, int, Hash> map(capacity);
    ModelLru model(capacity);
    std::mt19937 random(seed);
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
    int next_value = 0;  // values increase with time, as the session's timestamps do

    for (int step = 0; step < steps; ++step) {
        SCOPED_TRACE(::testing::Message() << "step " << step);
        const int key = pick(key_range);
        switch (pick(20)) {
            case 0:
            case 1:
            case 2:
            case 3: {
                int* got = map.find(key);
                const std::optional<int> want = model.find(key);
                ASSERT_EQ(got != nullptr, want.has_value());
                if (got) {
                    ASSERT_EQ(*got, *want);
                }
                break;
            }
            case 4:
            case 5: {
                const int* got = map.peek(key);
                const std::optional<int> want = model.peek(key);
                ASSERT_EQ(got != nullptr, want.has_value());
                if (got) {
                    ASSERT_EQ(*got, *want);
                }
                break;
            }
            case 6:
            case 7:
            case 8:
            case 9:
            case 10:
            case 11: {
                const int value = ++next_value;
                ASSERT_EQ(map.insert_or_assign(key, value), value);
                model.insert_or_assign(key, value);
                break;
            }
            case 12:
            case 13: {
                // insert_absent() after a miss, with the caller's hash, as the session does.
                const std::uint32_t hash = map.hash_key(key);
                const bool present = map.find(key, hash) != nullptr;
                ASSERT_EQ(present, model.find(key).has_value());
                const int value = ++next_value;
                if (present) {
                    map.insert_or_assign(key, value);
                } else {
                    if (map.size() >= map.capacity()) {
                        ASSERT_TRUE(map.evict_oldest([](int&) {}));
                    }
                    map.insert_absent(key, value, hash);
                }
                model.insert_or_assign(key, value);
                break;
            }
            case 14:
            case 15:
                ASSERT_EQ(map.erase(key), model.erase(key));
                break;
            case 16: {
                // Expire everything older than a point between the oldest and now.
                const int threshold = next_value - pick(2 * static_cast<int>(capacity) + 1);
                std::vector<int> removed;
                const std::size_t n =
                    map.expire_oldest_while([&](const int& v) { return v < threshold; },
                                            [&](int& v) { removed.push_back(v); });
                const std::vector<int> want = model.expire_oldest_below(threshold);
                ASSERT_EQ(n, want.size());
                ASSERT_EQ(removed, want);
                break;
            }
            case 17:
            case 18: {
                std::optional<int> evicted;
                const bool any = map.evict_oldest([&](int& v) { evicted = v; });
                const std::optional<int> want = model.evict_oldest();
                ASSERT_EQ(any, want.has_value());
                ASSERT_EQ(evicted, want);
                break;
            }
            default:
                if (pick(50) == 0) {  // now and then, start over
                    map.clear();
                    model.clear();
                }
                break;
        }

        ASSERT_EQ(map.size(), model.order().size());
        ASSERT_LE(map.size(), map.capacity());
        ASSERT_EQ(map.empty(), model.order().empty());
        ASSERT_EQ(map.evictions(), model.evictions());
        const std::vector<std::pair<int, int>> want(model.order().begin(), model.order().end());
        std::vector<std::pair<int, int>> got;
        for (const auto& [k, v] : map)
            got.emplace_back(k, v);
        ASSERT_EQ(got, want);
    }
}

TEST(LruMapModel, AgreesWithAListAndAMap) {
    for (std::size_t capacity : {1u, 2u, 7u, 64u}) {
        for (std::uint32_t seed : {1u, 2u, 3u})
            run_against_model<std::hash<int>>(capacity, static_cast<int>(3 * capacity + 2), seed,
                                              4000);
    }
}

TEST(LruMapModel, AgreesUnderHashCollisions) {
    for (std::size_t capacity : {1u, 5u, 33u, 200u}) {
        for (std::uint32_t seed : {11u, 12u})
            run_against_model<CollidingHash>(capacity, static_cast<int>(2 * capacity + 3), seed,
                                             4000);
    }
}

TEST(LruMapModel, AgreesWhenTheIndexGrows) {
    // A large capacity filled from empty: the index is resized several times
    // while entries are found, erased and re-inserted.
    run_against_model<std::hash<int>>(5000, 12000, 21, 60000);
}

}  // namespace
}  // namespace coapjws
