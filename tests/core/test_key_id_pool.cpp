// KeyIdPool: one id per identifier text, stable while the tables hold it,
// and a sweep that frees exactly what they no longer hold.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "key_id_pool.hpp"

namespace coapjws::detail {
namespace {

std::string kid(std::size_t i) {
    return "sender-" + std::to_string(i);
}

TEST(KeyIdPool, OneIdPerText) {
    KeyIdPool pool;
    const KeyIdPool::Id a = pool.intern("client-1");
    const KeyIdPool::Id b = pool.intern("client-2");
    const KeyIdPool::Id empty = pool.intern("");
    EXPECT_NE(a, b);
    EXPECT_NE(a, empty);
    EXPECT_EQ(pool.intern("client-1"), a);
    EXPECT_EQ(pool.intern(std::string("client-2")), b);
    EXPECT_EQ(pool.intern(""), empty);
    EXPECT_EQ(pool.text(a), "client-1");
    EXPECT_EQ(pool.text(b), "client-2");
    EXPECT_EQ(pool.text(empty), "");
    EXPECT_EQ(pool.size(), 3u);
}

TEST(KeyIdPool, TextsDifferingOnlyInBytesStayApart) {
    KeyIdPool pool;
    const std::string with_nul("a\0b", 3);
    const std::string long_one(70000, 'x');
    std::string long_other = long_one;
    long_other.back() = 'y';
    const KeyIdPool::Id ids[] = {pool.intern("a"), pool.intern(with_nul), pool.intern(long_one),
                                 pool.intern(long_other)};
    EXPECT_EQ(std::set<KeyIdPool::Id>(std::begin(ids), std::end(ids)).size(), 4u);
    EXPECT_EQ(pool.text(ids[1]), with_nul);
    EXPECT_EQ(pool.text(ids[3]), long_other);
}

TEST(KeyIdPool, ManyTextsKeepTheirIdsAcrossIndexGrowth) {
    KeyIdPool pool;
    std::vector<KeyIdPool::Id> ids;
    for (std::size_t i = 0; i < 20000; ++i)
        ids.push_back(pool.intern(kid(i)));
    for (std::size_t i = 0; i < 20000; ++i) {
        ASSERT_EQ(pool.intern(kid(i)), ids[i]) << i;
        ASSERT_EQ(pool.text(ids[i]), kid(i));
    }
    EXPECT_EQ(pool.size(), 20000u);
}

TEST(KeyIdPool, SweepFreesOnlyWhatIsNotHeld) {
    KeyIdPool pool;
    std::vector<KeyIdPool::Id> ids;
    for (std::size_t i = 0; i < 1000; ++i)
        ids.push_back(pool.intern(kid(i)));
    // The tables hold the even ones.
    pool.sweep([&](auto mark) {
        for (std::size_t i = 0; i < ids.size(); i += 2)
            mark(ids[i]);
    });
    EXPECT_EQ(pool.size(), 500u);
    for (std::size_t i = 0; i < ids.size(); i += 2) {
        ASSERT_EQ(pool.text(ids[i]), kid(i));
        ASSERT_EQ(pool.intern(kid(i)), ids[i]) << "a held id changed after the sweep: " << i;
    }
    EXPECT_EQ(pool.size(), 500u);
    // A freed text comes back as a new entry; freed ids are reused for new
    // texts, never for one still held.
    std::set<KeyIdPool::Id> held;
    for (std::size_t i = 0; i < ids.size(); i += 2)
        held.insert(ids[i]);
    for (std::size_t i = 1; i < ids.size(); i += 2) {
        const KeyIdPool::Id again = pool.intern(kid(i));
        ASSERT_EQ(held.count(again), 0u) << i;
        ASSERT_EQ(pool.text(again), kid(i));
    }
    EXPECT_EQ(pool.size(), 1000u);
}

TEST(KeyIdPool, AsksForASweepOnceItHasGrown) {
    KeyIdPool pool;
    std::size_t made = 0;
    while (!pool.wants_sweep()) {
        pool.intern(kid(made++));
        ASSERT_LT(made, 1'000'000u);
    }
    EXPECT_GE(made, 1000u);  // not on every interning
    // Nothing held: the sweep empties it and it stops asking.
    pool.sweep([](auto) {});
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_FALSE(pool.wants_sweep());
    // Half again what a sweep kept, once that is more than the minimum.
    std::vector<KeyIdPool::Id> held;
    for (std::size_t i = 0; i < 3 * made; ++i)
        held.push_back(pool.intern(kid(i)));
    pool.sweep([&](auto mark) {
        for (KeyIdPool::Id id : held)
            mark(id);
    });
    EXPECT_FALSE(pool.wants_sweep());
    std::size_t more = 0;
    while (!pool.wants_sweep())
        pool.intern("new-" + std::to_string(more++));
    EXPECT_EQ(more, held.size() / 2);
}

TEST(KeyIdPool, LongIdentifiersCallForASweepByTheirBytes) {
    KeyIdPool pool;
    const std::string long_part(100'000, 'k');
    std::size_t made = 0;
    while (!pool.wants_sweep()) {
        pool.intern(std::to_string(made++) + long_part);
        ASSERT_LT(made, 1000u) << "never asked for a sweep";
    }
    EXPECT_LT(made, 20u);  // about a megabyte, not 4 096 identifiers
    EXPECT_GE(pool.bytes(), made * long_part.size());
    pool.sweep([](auto) {});
    EXPECT_EQ(pool.bytes(), 0u);
    EXPECT_FALSE(pool.wants_sweep());
}

}  // namespace
}  // namespace coapjws::detail
