// Session: every table stays within its SessionLimits bound, counts what it
// forgets, and forgets the least recently used entry.
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::size_t limit = 4;
constexpr std::size_t fill = 10;

class SessionBounds : public SessionScenario {
  protected:
    SessionBounds() {
        config.limits.max_windows = limit;
        config.limits.max_pending_requests = limit;
        config.limits.max_retransmission_entries = limit;
        config.limits.max_response_bindings = limit;
        config.limits.max_protected_pairs = limit;
    }
    void expect_within_limits() {
        SessionStats s = session().stats();
        EXPECT_LE(s.windows, config.limits.max_windows);
        EXPECT_LE(s.pending_requests, config.limits.max_pending_requests);
        EXPECT_LE(s.retransmission_entries, config.limits.max_retransmission_entries);
        EXPECT_LE(s.retransmission_bytes, config.limits.max_retransmission_bytes);
        EXPECT_LE(s.response_bindings, config.limits.max_response_bindings);
        EXPECT_LE(s.protected_pairs, config.limits.max_protected_pairs);
    }
};

TEST_F(SessionBounds, Windows) {
    without_keys = true;  // unverified messages use windows too
    for (std::size_t i = 0; i < fill; ++i) {
        std::string kid = "sender-" + std::to_string(i);
        to_server(sign(get(static_cast<std::uint16_t>(i), {0x01}), request_header(kid, 7),
                       secret_key(kid, "any secret will do, 32 bytes!!!!")));
        expect_within_limits();
    }
    SessionStats s = session().stats();
    EXPECT_EQ(s.windows, limit);
    EXPECT_EQ(s.window_evictions, fill - limit);
    // The most recent window still knows seq 7; the first one was forgotten.
    std::string last = "sender-" + std::to_string(fill - 1);
    EXPECT_TRUE(to_server(sign(get(0x100, {0x02}), request_header(last, 7),
                               secret_key(last, "any secret will do, 32 bytes!!!!")))
                    .has(FindingId::replay));
    EXPECT_FALSE(to_server(sign(get(0x101, {0x02}), request_header("sender-0", 7),
                                secret_key("sender-0", "any secret will do, 32 bytes!!!!")))
                     .has(FindingId::replay));
}

TEST_F(SessionBounds, PendingRequests) {
    for (std::size_t i = 0; i < fill; ++i) {
        to_server(encode(get(static_cast<std::uint16_t>(i), {static_cast<std::uint8_t>(i)})));
        expect_within_limits();
    }
    SessionStats s = session().stats();
    EXPECT_EQ(s.pending_requests, limit);
    EXPECT_EQ(s.request_evictions, fill - limit);
    EXPECT_FALSE(
        to_client(encode(response(code_content, 0x100, {0x00}))).request_frame.has_value());
    EXPECT_EQ(to_client(encode(response(code_content, 0x101, {fill - 1}))).request_frame, fill);
}

TEST_F(SessionBounds, RetransmissionEntries) {
    for (std::size_t i = 0; i < fill; ++i) {
        to_server(encode(get(static_cast<std::uint16_t>(i), {0x01})));
        expect_within_limits();
    }
    SessionStats s = session().stats();
    EXPECT_EQ(s.retransmission_entries, limit);
    EXPECT_EQ(s.retransmission_evictions, fill - limit);
    EXPECT_FALSE(to_server(encode(get(0, {0x01}))).has(FindingId::retransmission));
    EXPECT_TRUE(to_server(encode(get(fill - 1, {0x01}))).has(FindingId::retransmission));
}

TEST_F(SessionBounds, RetransmissionBytes) {
    config.limits.max_retransmission_entries = 1000;
    config.limits.max_retransmission_bytes = 100;
    std::size_t held_max = 0;
    for (std::size_t i = 0; i < fill; ++i) {
        Bytes coap = encode(get(static_cast<std::uint16_t>(i), {0x01}, "a-path-of-some-length"));
        ASSERT_GT(coap.size(), 20u);
        to_server(coap);
        expect_within_limits();
        held_max = std::max(held_max, session().stats().retransmission_bytes);
    }
    SessionStats s = session().stats();
    EXPECT_LE(held_max, 100u);
    EXPECT_GT(s.retransmission_evictions, 0u);
    EXPECT_EQ(s.retransmission_bytes % encode(get(0, {0x01}, "a-path-of-some-length")).size(), 0u);
}

TEST_F(SessionBounds, ResponseBindings) {
    config.limits.max_pending_requests = 1000;
    for (std::uint32_t i = 0; i < fill; ++i) {
        auto token = static_cast<std::uint8_t>(i);
        to_server(signed_get(static_cast<std::uint16_t>(i), {token}, i));
        MessageReport r = to_client(
            signed_content(static_cast<std::uint16_t>(0x100 + i), {token}, Tid{"client-1", i}));
        ASSERT_EQ(r.signature, SignatureStatus::valid) << names(r);
        expect_within_limits();
    }
    SessionStats s = session().stats();
    EXPECT_EQ(s.response_bindings, limit);
    EXPECT_EQ(s.binding_evictions, fill - limit);
    // The last binding is remembered, the first forgotten.
    std::uint32_t last = fill - 1;
    EXPECT_TRUE(
        to_client(signed_content(0x200, {static_cast<std::uint8_t>(last)}, Tid{"client-1", last}))
            .has(FindingId::response_replay));
    EXPECT_FALSE(to_client(signed_content(0x201, {0x00}, Tid{"client-1", 0}))
                     .has(FindingId::response_replay));
}

TEST_F(SessionBounds, ProtectedPairs) {
    for (std::uint32_t i = 0; i < fill; ++i) {
        Endpoint from = ep("10.0.1." + std::to_string(i) + ":40000");
        send(signed_get(static_cast<std::uint16_t>(i), {0x01}, i), from, server);
        expect_within_limits();
    }
    SessionStats s = session().stats();
    EXPECT_EQ(s.protected_pairs, limit);
    EXPECT_EQ(s.protected_pair_evictions, fill - limit);
    EXPECT_FALSE(
        send(encode(get(0x100, {0x02})), ep("10.0.1.0:40000"), server).has(FindingId::stripped));
    EXPECT_TRUE(
        send(encode(get(0x101, {0x02})), ep("10.0.1.9:40000"), server).has(FindingId::stripped));
}

TEST_F(SessionBounds, DefaultsAreGenerousButFinite) {
    SessionLimits defaults;
    EXPECT_EQ(defaults.max_windows, 65536u);
    EXPECT_EQ(defaults.retransmission_lifetime_ns, 247 * seconds);
    EXPECT_EQ(defaults.observe_lifetime_ns, 24 * 3600 * seconds);
}

}  // namespace
}  // namespace coapjws::test
