// LruMap: capacity, least-recently-used eviction, expiry and the counters
// the session reports.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lru_map.hpp"

namespace coapjws {
namespace {

std::vector<int> keys_in_order(const LruMap<int, std::string>& map) {
    std::vector<int> keys;
    for (const auto& [key, value] : map)
        keys.push_back(key);
    return keys;
}

TEST(LruMap, FindsWhatWasInserted) {
    LruMap<int, std::string> map(4);
    EXPECT_TRUE(map.empty());
    map.insert_or_assign(1, "one");
    map.insert_or_assign(2, "two");
    ASSERT_NE(map.find(1), nullptr);
    EXPECT_EQ(*map.find(1), "one");
    EXPECT_EQ(map.find(3), nullptr);
    EXPECT_EQ(map.size(), 2u);
    EXPECT_FALSE(map.empty());
}

TEST(LruMap, ReplacingKeepsOneEntryAndEvictsNothing) {
    LruMap<int, std::string> map(2);
    map.insert_or_assign(1, "one");
    map.insert_or_assign(2, "two");
    map.insert_or_assign(1, "uno");
    EXPECT_EQ(map.size(), 2u);
    EXPECT_EQ(map.evictions(), 0u);
    EXPECT_EQ(*map.peek(1), "uno");
    EXPECT_EQ(keys_in_order(map), (std::vector<int>{2, 1}));
}

TEST(LruMap, EvictsTheLeastRecentlyUsedWhenFull) {
    LruMap<int, std::string> map(3);
    for (int k = 1; k <= 3; ++k)
        map.insert_or_assign(k, std::to_string(k));
    ASSERT_NE(map.find(1), nullptr);  // 1 is now the most recent; 2 the oldest
    map.insert_or_assign(4, "4");
    EXPECT_EQ(map.size(), 3u);
    EXPECT_EQ(map.evictions(), 1u);
    EXPECT_EQ(map.peek(2), nullptr);
    EXPECT_EQ(keys_in_order(map), (std::vector<int>{3, 1, 4}));
    for (int k = 5; k <= 100; ++k) {
        map.insert_or_assign(k, "x");
        ASSERT_LE(map.size(), 3u);
    }
    EXPECT_EQ(map.evictions(), 1u + 96u);
}

TEST(LruMap, PeekDoesNotRefresh) {
    LruMap<int, std::string> map(2);
    map.insert_or_assign(1, "one");
    map.insert_or_assign(2, "two");
    ASSERT_NE(map.peek(1), nullptr);
    map.insert_or_assign(3, "three");
    EXPECT_EQ(map.peek(1), nullptr);
    EXPECT_NE(map.peek(2), nullptr);
}

TEST(LruMap, EraseIsNotAnEviction) {
    LruMap<int, std::string> map(2);
    map.insert_or_assign(1, "one");
    EXPECT_TRUE(map.erase(1));
    EXPECT_FALSE(map.erase(1));
    EXPECT_EQ(map.size(), 0u);
    EXPECT_EQ(map.evictions(), 0u);
}

TEST(LruMap, ExpiresFromTheOldestWhileStale) {
    LruMap<int, int> map(10);  // value: a timestamp
    for (int k = 1; k <= 5; ++k)
        map.insert_or_assign(k, k * 10);
    std::vector<int> removed;
    std::size_t n = map.expire_oldest_while([](int t) { return t < 35; },
                                            [&](int& t) { removed.push_back(t); });
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(removed, (std::vector<int>{10, 20, 30}));
    EXPECT_EQ(map.size(), 2u);
    EXPECT_EQ(map.evictions(), 0u);
    // Stops at the first fresh entry even if a later one is stale.
    map.insert_or_assign(6, 1);
    EXPECT_EQ(map.expire_oldest_while([](int t) { return t < 35; }), 0u);
    EXPECT_EQ(map.size(), 3u);
}

TEST(LruMap, EvictOldestHandsOverTheValueAndCounts) {
    LruMap<int, std::string> map(3);
    map.insert_or_assign(1, "one");
    map.insert_or_assign(2, "two");
    std::string seen;
    EXPECT_TRUE(map.evict_oldest([&](std::string& v) { seen = v; }));
    EXPECT_EQ(seen, "one");
    EXPECT_EQ(map.evictions(), 1u);
    EXPECT_TRUE(map.evict_oldest([](std::string&) {}));
    EXPECT_FALSE(map.evict_oldest([](std::string&) {}));
    EXPECT_EQ(map.evictions(), 2u);
}

TEST(LruMap, ZeroCapacityHoldsOne) {
    LruMap<int, int> map(0);
    EXPECT_EQ(map.capacity(), 1u);
    map.insert_or_assign(1, 1);
    map.insert_or_assign(2, 2);
    EXPECT_EQ(map.size(), 1u);
    EXPECT_NE(map.peek(2), nullptr);
}

TEST(LruMap, ClearEmptiesTheMap) {
    LruMap<int, int> map(3);
    map.insert_or_assign(1, 1);
    map.clear();
    EXPECT_EQ(map.size(), 0u);
    EXPECT_EQ(map.find(1), nullptr);
    map.insert_or_assign(2, 2);
    EXPECT_EQ(map.size(), 1u);
}

}  // namespace
}  // namespace coapjws
