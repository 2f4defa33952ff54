// Key::hmac against RFC 4231's HMAC-SHA-2 test vectors, including the cached
// contexts it reuses: a second, a concurrent use, and a use after the context
// was re-keyed for other keys must give the same MAC.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "coapjws/bytes.hpp"
#include "coapjws/key.hpp"

namespace coapjws {
namespace {

Bytes from_hex(std::string_view hex) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(
            static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return out;
}

Bytes text(std::string_view s) {
    return Bytes(s.begin(), s.end());
}

struct Vector {
    const char* name;
    Bytes key;
    Bytes data;
    const char* sha256;
    const char* sha384;
    const char* sha512;
};

// RFC 4231 §4.3 (test case 2) and §4.7 (test case 6: a key longer than the
// block size, which HMAC hashes first).
std::vector<Vector> rfc4231() {
    return {
        {"case 2", text("Jefe"), text("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
         "8e2240ca5e69e2c78b3239ecfab21649",
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
         "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
        {"case 6", Bytes(131, 0xaa), text("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
         "0c2ef6ab4030fe8296248df163f44952",
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
         "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
    };
}

Bytes mac_of(const Key& key, Algorithm alg, ByteView data) {
    std::array<unsigned char, 64> out{};
    const std::size_t length = key.hmac(alg, data, out);
    return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(length));
}

TEST(KeyHmac, Rfc4231VectorsFirstAndReusedContext) {
    for (const Vector& v : rfc4231()) {
        SCOPED_TRACE(v.name);
        auto key = Key::from_secret(v.key);
        ASSERT_TRUE(key) << key.error().message;
        // Twice each: the second computation runs on a context handed back by
        // the first and re-initialised, which must not carry anything over.
        for (int round = 0; round < 2; ++round) {
            EXPECT_EQ(mac_of(*key, Algorithm::HS256, v.data), from_hex(v.sha256));
            EXPECT_EQ(mac_of(*key, Algorithm::HS384, v.data), from_hex(v.sha384));
            EXPECT_EQ(mac_of(*key, Algorithm::HS512, v.data), from_hex(v.sha512));
        }
    }
}

TEST(KeyHmac, ContextsAreNotSharedBetweenKeys) {
    const auto vectors = rfc4231();
    auto first = Key::from_secret(vectors[0].key);
    auto second = Key::from_secret(vectors[1].key);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(mac_of(*first, Algorithm::HS256, vectors[0].data), from_hex(vectors[0].sha256));
    EXPECT_EQ(mac_of(*second, Algorithm::HS256, vectors[1].data), from_hex(vectors[1].sha256));
    EXPECT_EQ(mac_of(*first, Algorithm::HS256, vectors[0].data), from_hex(vectors[0].sha256));
}

TEST(KeyHmac, MovedKeyKeepsItsContexts) {
    const Vector v = rfc4231()[0];
    auto key = Key::from_secret(v.key);
    ASSERT_TRUE(key);
    Key moved = std::move(*key);
    EXPECT_EQ(mac_of(moved, Algorithm::HS512, v.data), from_hex(v.sha512));
}

TEST(KeyHmac, ConcurrentUseGivesTheSameMac) {
    const Vector v = rfc4231()[1];
    auto key = Key::from_secret(v.key);
    ASSERT_TRUE(key);
    const Bytes expected = from_hex(v.sha256);
    constexpr int threads = 4;
    constexpr int rounds = 500;
    std::array<int, threads> wrong{};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < rounds; ++i) {
                if (mac_of(*key, Algorithm::HS256, v.data) != expected)
                    ++wrong[static_cast<std::size_t>(t)];
            }
        });
    }
    for (std::thread& worker : workers)
        worker.join();
    for (int t = 0; t < threads; ++t)
        EXPECT_EQ(wrong[static_cast<std::size_t>(t)], 0) << "thread " << t;
}

TEST(KeyHmac, MoreKeysThanCachedContexts) {
    // The process caches a few keyed contexts; with more keys in turn, each
    // MAC runs on a context last keyed for another key (or another hash).
    const auto vectors = rfc4231();
    std::vector<Key> keys;
    for (int i = 0; i < 24; ++i) {
        auto key = Key::from_secret(Bytes(32, static_cast<std::uint8_t>(i + 1)));
        ASSERT_TRUE(key);
        keys.push_back(std::move(*key));
    }
    auto first = Key::from_secret(vectors[0].key);
    auto second = Key::from_secret(vectors[1].key);
    ASSERT_TRUE(first && second);
    std::vector<Bytes> seen(keys.size());
    for (int round = 0; round < 3; ++round) {
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const Algorithm alg = (i + round) % 3 == 0   ? Algorithm::HS256
                                  : (i + round) % 3 == 1 ? Algorithm::HS384
                                                         : Algorithm::HS512;
            const Bytes mac = mac_of(keys[i], alg, text("message"));
            if (round == 0) {
                seen[i] = mac_of(keys[i], Algorithm::HS256, text("message"));
            } else if (alg == Algorithm::HS256) {
                EXPECT_EQ(mac, seen[i]) << "key " << i;
            }
            if (i % 5 == 0) {
                EXPECT_EQ(mac_of(*first, Algorithm::HS256, vectors[0].data),
                          from_hex(vectors[0].sha256));
                EXPECT_EQ(mac_of(*second, Algorithm::HS512, vectors[1].data),
                          from_hex(vectors[1].sha512));
            }
        }
    }
    for (std::size_t i = 1; i < seen.size(); ++i)
        EXPECT_NE(seen[i], seen[0]) << "key " << i;
}

TEST(KeyHmac, AKeyMadeAfterAnotherWasDestroyedGetsItsOwnMac) {
    const auto vectors = rfc4231();
    {
        auto gone = Key::from_secret(vectors[1].key);
        ASSERT_TRUE(gone);
        EXPECT_EQ(mac_of(*gone, Algorithm::HS256, vectors[1].data), from_hex(vectors[1].sha256));
    }
    auto key = Key::from_secret(vectors[0].key);
    ASSERT_TRUE(key);
    EXPECT_EQ(mac_of(*key, Algorithm::HS256, vectors[0].data), from_hex(vectors[0].sha256));
    // A moved-from key has no secret and computes nothing.
    Key moved = std::move(*key);
    std::array<unsigned char, 64> out{};
    EXPECT_EQ(key->hmac(Algorithm::HS256, vectors[0].data, out), 0u);
    EXPECT_EQ(mac_of(moved, Algorithm::HS256, vectors[0].data), from_hex(vectors[0].sha256));
}

TEST(KeyHmac, NothingForOtherAlgorithmsKeysOrSmallBuffers) {
    auto oct = Key::from_secret(text("Jefe"));
    ASSERT_TRUE(oct);
    std::array<unsigned char, 64> out{};
    EXPECT_EQ(oct->hmac(Algorithm::ES256, text("x"), out), 0u);
    EXPECT_EQ(oct->hmac(Algorithm::EdDSA, text("x"), out), 0u);
    std::array<unsigned char, 31> small{};
    EXPECT_EQ(oct->hmac(Algorithm::HS256, text("x"), small), 0u);
    // And the pool is still sound after the failed call.
    EXPECT_EQ(mac_of(*oct, Algorithm::HS256, text("what do ya want for nothing?")),
              from_hex(rfc4231()[0].sha256));

    auto ec = Key::generate(KeyType::ec, Curve::p256);
    ASSERT_TRUE(ec);
    EXPECT_EQ(ec->hmac(Algorithm::HS256, text("x"), out), 0u);
}

}  // namespace
}  // namespace coapjws
