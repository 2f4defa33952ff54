// Retransmission recognition (spec §5, SPEC-NOTES "Retransmissions"): same
// source endpoint, same MID, byte-identical, within 247 s of the latest copy.
#include <gtest/gtest.h>

#include <numeric>

#include "coapjws/session.hpp"
#include "retransmission_cache.hpp"

namespace coapjws {
namespace {

constexpr std::int64_t s = nanoseconds_per_second;

Endpoint endpoint(std::uint8_t last, std::uint16_t port) {
    return Endpoint{Address::ipv4({10, 0, 0, last}), port};
}

Bytes message(std::uint16_t mid, std::size_t size = 8, std::uint8_t fill = 0xab) {
    Bytes m(size, fill);
    m[0] = 0x40;
    m[1] = 0x01;
    m[2] = static_cast<std::uint8_t>(mid >> 8);
    m[3] = static_cast<std::uint8_t>(mid);
    return m;
}

class RetransmissionCacheTest : public ::testing::Test {
  protected:
    RetransmissionCache cache{64, 1 << 20, exchange_lifetime_ns};
    Endpoint client = endpoint(1, 40000);
};

TEST_F(RetransmissionCacheTest, FirstCopyIsNotARetransmission) {
    EXPECT_EQ(cache.check(client, 7, message(7), 0, 1), std::nullopt);
    EXPECT_EQ(cache.size(), 1u);
}

TEST_F(RetransmissionCacheTest, SameBytesSoonAfterNameTheFirstFrame) {
    Bytes m = message(7);
    ASSERT_EQ(cache.check(client, 7, m, 0, 1), std::nullopt);
    EXPECT_EQ(cache.check(client, 7, m, 2 * s, 5), 1u);
    EXPECT_EQ(cache.check(client, 7, m, 6 * s, 9), 1u);  // still the first copy
}

TEST_F(RetransmissionCacheTest, ExchangeLifetimeBoundary) {
    // 247 s is EXCHANGE_LIFETIME (RFC 7252 §4.8.2); a copy exactly 247 s
    // after the latest one is still within it.
    Bytes m = message(7);
    for (std::int64_t gap : {246 * s, 247 * s}) {
        RetransmissionCache c(64, 1 << 20, exchange_lifetime_ns);
        ASSERT_EQ(c.check(client, 7, m, 1000 * s, 1), std::nullopt);
        EXPECT_EQ(c.check(client, 7, m, 1000 * s + gap, 2), 1u) << gap;
    }
    for (std::int64_t gap : {247 * s + 1, 248 * s}) {
        RetransmissionCache c(64, 1 << 20, exchange_lifetime_ns);
        ASSERT_EQ(c.check(client, 7, m, 1000 * s, 1), std::nullopt);
        EXPECT_EQ(c.check(client, 7, m, 1000 * s + gap, 2), std::nullopt) << gap;
        // The late copy is now the one remembered, as a first transmission.
        EXPECT_EQ(c.check(client, 7, m, 1000 * s + gap + s, 3), 2u);
    }
}

TEST_F(RetransmissionCacheTest, EachCopyRefreshesTheTime) {
    Bytes m = message(7);
    ASSERT_EQ(cache.check(client, 7, m, 0, 1), std::nullopt);
    EXPECT_EQ(cache.check(client, 7, m, 200 * s, 2), 1u);
    EXPECT_EQ(cache.check(client, 7, m, 440 * s, 3), 1u);  // 240 s after the latest
}

TEST_F(RetransmissionCacheTest, DifferentMessageIdIsNotARetransmission) {
    Bytes m = message(7);
    ASSERT_EQ(cache.check(client, 7, m, 0, 1), std::nullopt);
    EXPECT_EQ(cache.check(client, 8, m, s, 2), std::nullopt);
}

TEST_F(RetransmissionCacheTest, DifferentBytesReplaceTheRememberedCopy) {
    Bytes first = message(7, 8, 0xab);
    Bytes second = message(7, 8, 0xcd);
    ASSERT_EQ(cache.check(client, 7, first, 0, 1), std::nullopt);
    EXPECT_EQ(cache.check(client, 7, second, s, 2), std::nullopt);
    EXPECT_EQ(cache.check(client, 7, first, 2 * s, 3), std::nullopt);  // the first was replaced
    EXPECT_EQ(cache.check(client, 7, first, 3 * s, 4), 3u);
}

TEST_F(RetransmissionCacheTest, OneMoreOrOneLessByteIsADifferentMessage) {
    Bytes m = message(7, 8);
    Bytes longer = message(7, 9);
    ASSERT_EQ(cache.check(client, 7, m, 0, 1), std::nullopt);
    EXPECT_EQ(cache.check(client, 7, longer, s, 2), std::nullopt);
    EXPECT_EQ(cache.check(client, 7, m, 2 * s, 3), std::nullopt);
}

TEST_F(RetransmissionCacheTest, SourceEndpointMatters) {
    Bytes m = message(7);
    ASSERT_EQ(cache.check(client, 7, m, 0, 1), std::nullopt);
    EXPECT_EQ(cache.check(endpoint(1, 40001), 7, m, s, 2), std::nullopt);  // other port
    EXPECT_EQ(cache.check(endpoint(2, 40000), 7, m, s, 3), std::nullopt);  // other host
    EXPECT_EQ(cache.check(client, 7, m, 2 * s, 4), 1u);
}

TEST(RetransmissionCacheBounds, EntryLimitEvictsTheLeastRecent) {
    RetransmissionCache cache(3, 1 << 20, exchange_lifetime_ns);
    Endpoint src{Address::ipv4({10, 0, 0, 1}), 5683};
    for (std::uint16_t mid = 1; mid <= 5; ++mid) {
        ASSERT_EQ(cache.check(src, mid, message(mid), mid, mid), std::nullopt);
        ASSERT_LE(cache.size(), 3u);
    }
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_EQ(cache.evictions(), 2u);
    EXPECT_EQ(cache.bytes_held(), 3u * 8u);
    EXPECT_EQ(cache.check(src, 5, message(5), 10, 10), 5u);            // kept
    EXPECT_EQ(cache.check(src, 1, message(1), 11, 11), std::nullopt);  // forgotten
}

TEST(RetransmissionCacheBounds, ARetransmissionRefreshesRecency) {
    RetransmissionCache cache(2, 1 << 20, exchange_lifetime_ns);
    Endpoint src{Address::ipv4({10, 0, 0, 1}), 5683};
    ASSERT_EQ(cache.check(src, 1, message(1), 1, 1), std::nullopt);
    ASSERT_EQ(cache.check(src, 2, message(2), 2, 2), std::nullopt);
    ASSERT_EQ(cache.check(src, 1, message(1), 3, 3), 1u);            // 1 is now the most recent
    ASSERT_EQ(cache.check(src, 3, message(3), 4, 4), std::nullopt);  // evicts 2
    EXPECT_EQ(cache.check(src, 1, message(1), 5, 5), 1u);
    EXPECT_EQ(cache.check(src, 2, message(2), 6, 6), std::nullopt);
}

TEST(RetransmissionCacheBounds, ByteBudgetIsNeverExceededAndStaysExact) {
    RetransmissionCache cache(100, 100, exchange_lifetime_ns);
    Endpoint src{Address::ipv4({10, 0, 0, 1}), 5683};
    std::vector<std::size_t> sizes = {40, 40, 40, 10, 60, 30, 99, 5, 5, 5};
    std::uint64_t evictions_seen = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        auto mid = static_cast<std::uint16_t>(i + 1);
        ASSERT_EQ(cache.check(src, mid, message(mid, sizes[i]), mid, mid), std::nullopt);
        ASSERT_LE(cache.bytes_held(), 100u);
        ASSERT_GE(cache.evictions(), evictions_seen);
        evictions_seen = cache.evictions();
    }
    // Newest first while they fit: 5+5+5 = 15, 99 does not fit beside them.
    EXPECT_EQ(cache.bytes_held(), 15u);
    EXPECT_EQ(cache.size(), 3u);
    // By hand: the third 40 evicts one; 60 evicts two 40s; 99 evicts 10, 60
    // and 30; the first 5 evicts 99: 7 evictions.
    EXPECT_EQ(cache.evictions(), 7u);
}

TEST(RetransmissionCacheBounds, ReplacingWithADifferentSizeKeepsTheCountExact) {
    RetransmissionCache cache(100, 1000, exchange_lifetime_ns);
    Endpoint src{Address::ipv4({10, 0, 0, 1}), 5683};
    ASSERT_EQ(cache.check(src, 1, message(1, 50), 0, 1), std::nullopt);
    ASSERT_EQ(cache.check(src, 1, message(1, 20), 1, 2), std::nullopt);
    EXPECT_EQ(cache.bytes_held(), 20u);
    ASSERT_EQ(cache.check(src, 1, message(1, 20), 500 * s, 3), std::nullopt);  // too late: replaced
    EXPECT_EQ(cache.bytes_held(), 20u);
    EXPECT_EQ(cache.size(), 1u);
}

TEST(RetransmissionCacheBounds, AMessageLargerThanTheBudgetIsNotKept) {
    RetransmissionCache cache(100, 64, exchange_lifetime_ns);
    Endpoint src{Address::ipv4({10, 0, 0, 1}), 5683};
    ASSERT_EQ(cache.check(src, 1, message(1, 30), 0, 1), std::nullopt);
    ASSERT_EQ(cache.check(src, 2, message(2, 65), 1, 2), std::nullopt);
    EXPECT_EQ(cache.bytes_held(), 30u);  // the small one survives
    EXPECT_EQ(cache.evictions(), 1u);
    EXPECT_EQ(cache.check(src, 2, message(2, 65), 2, 3), std::nullopt);
    EXPECT_EQ(cache.check(src, 1, message(1, 30), 3, 4), 1u);
}

TEST(RetransmissionCacheBounds, OldCopiesExpireWithoutCountingAsEvictions) {
    RetransmissionCache cache(100, 1000, exchange_lifetime_ns);
    Endpoint src{Address::ipv4({10, 0, 0, 1}), 5683};
    for (std::uint16_t mid = 1; mid <= 10; ++mid) {
        ASSERT_EQ(cache.check(src, mid, message(mid, 10), mid * s, mid), std::nullopt);
    }
    EXPECT_EQ(cache.bytes_held(), 100u);
    // At 256.5 s the copies from 1..9 s are older than 247 s, the one from 10 s is not.
    ASSERT_EQ(cache.check(src, 99, message(99, 10), 256 * s + s / 2, 20), std::nullopt);
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.bytes_held(), 20u);
    EXPECT_EQ(cache.evictions(), 0u);
}

}  // namespace
}  // namespace coapjws
