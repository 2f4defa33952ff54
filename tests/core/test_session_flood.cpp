// Floods: captures built to grow the Session's tables without end — a million
// distinct key identifiers, clients and tokens; key identifiers and JWS options
// tens of kilobytes long — must leave every table at its configured bound and
// the heap under a stated budget (docs/SECURITY.md, "Resource bounds").
//
// Memory is measured as heap bytes in use (memory_probe.hpp) before the
// Session exists and after the flood, with the Session still alive.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "coapjws/base64url.hpp"
#include "memory_probe.hpp"
#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

constexpr std::size_t MiB = std::size_t{1} << 20;

// A JWS option value with a syntactically valid but meaningless signature
// (no keys are configured in these tests, so nothing is verified).
std::string option_value(const std::string& header_json) {
    static const std::string signature = base64url_encode(Bytes(64, 0x5a));
    return base64url_encode(as_bytes(header_json)) + ".." + signature;
}

Bytes token_of(std::uint32_t i) {
    return Bytes{static_cast<std::uint8_t>(i >> 24), static_cast<std::uint8_t>(i >> 16),
                 static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
}

// A distinct client for every i: 10.x.y.z, one of 7 ports.
Endpoint client_of(std::uint32_t i) {
    Endpoint e;
    e.address = Address::ipv4(0x0a000000u | (i & 0x00ffffffu));
    e.port = static_cast<std::uint16_t>(40000 + i % 7);
    return e;
}

class SessionFlood : public ::testing::Test {
  protected:
    // One configured key the flood never names: every message is then
    // `unknown-key` (with no key at all it would carry no finding).
    static std::shared_ptr<const KeyStore> unrelated_key() {
        auto store = std::make_shared<KeyStore>();
        store->add(secret_key("not-in-the-flood", "a key nobody in the flood uses!!"));
        return store;
    }

    // Request i: a signed GET under its own key identifier, from its own client;
    // then its isi "01" 2.05 from the server. Every table gains an entry per i.
    void exchange(Session& session, std::uint32_t i, const std::string& kid,
                  const std::string& responder_kid) {
        CoapMessageSpec request = get(static_cast<std::uint16_t>(i), token_of(i));
        request.options.push_back(
            {option::jws_default, bytes_of(option_value(request_header(kid, 0, "ES256")))});
        const Endpoint client = client_of(i);
        const Bytes req = encode(request);
        MessageReport r = session.analyze(Packet{++frame, now, client, server, req});
        ASSERT_EQ(r.signature, SignatureStatus::unverified) << names(r);
        ASSERT_EQ(ids(r), std::vector<FindingId>{FindingId::unknown_key}) << names(r);
        now += 1000;

        CoapMessageSpec reply = response(code_content, static_cast<std::uint16_t>(i), token_of(i));
        reply.options.push_back({option::jws_default, bytes_of(option_value(response_header(
                                                          responder_kid, {}, {}, "ES256")))});
        const Bytes resp = encode(reply);
        MessageReport s = session.analyze(Packet{++frame, now, server, client, resp});
        ASSERT_EQ(s.request_frame, frame - 1) << names(s);
        ASSERT_EQ(ids(s), std::vector<FindingId>{FindingId::unknown_key}) << names(s);
        now += 1000;
    }

    static void expect_full(const SessionStats& s, const SessionLimits& l) {
        EXPECT_EQ(s.windows, l.max_windows);
        EXPECT_EQ(s.pending_requests, l.max_pending_requests);
        EXPECT_EQ(s.response_bindings, l.max_response_bindings);
        EXPECT_EQ(s.protected_pairs, l.max_protected_pairs);
        EXPECT_LE(s.retransmission_entries, l.max_retransmission_entries);
        EXPECT_LE(s.retransmission_bytes, l.max_retransmission_bytes);
    }

    Endpoint server = ep("192.0.2.1:5683");
    std::int64_t now = 1'700'000'000 * seconds;
    std::uint32_t frame = 0;
};

// A million distinct key identifiers, clients, tokens and request TIDs with the
// default limits: each table stops at its bound, the evictions account for the
// rest, and the heap stops growing once the tables are full.
TEST_F(SessionFlood, MillionKeyIdsAndEndpointsStayWithinDefaultBounds) {
    const std::uint32_t count = sanitized ? 200'000 : 1'000'000;
    const std::size_t before = allocated_bytes();
    Result<Session> created = Session::create(SessionConfig{}, unrelated_key());
    ASSERT_TRUE(created);
    Session session = std::move(created).value();
    const SessionLimits& limits = session.config().limits;

    std::size_t at_half = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
        exchange(session, i, "client-" + std::to_string(i), "server-" + std::to_string(i % 3));
        if (HasFatalFailure())
            return;
        if (i + 1 == count / 2)
            at_half = allocated_bytes();
    }
    const std::size_t used = allocated_bytes() - before;

    const SessionStats s = session.stats();
    EXPECT_EQ(s.messages, 2u * count);
    expect_full(s, limits);
    EXPECT_EQ(s.window_evictions, count - limits.max_windows);
    EXPECT_EQ(s.request_evictions, count - limits.max_pending_requests);
    EXPECT_EQ(s.binding_evictions, count - limits.max_response_bindings);
    EXPECT_EQ(s.protected_pair_evictions, count - limits.max_protected_pairs);
    EXPECT_GT(s.retransmission_evictions, 0u);

    // Full tables by the halfway mark: the second half may not add memory
    // beyond allocator noise.
    EXPECT_LE(allocated_bytes(), at_half + at_half / 50 + MiB);
    // The stated budget for the default limits (docs/SECURITY.md): 96 MiB
    // with identifiers of ordinary length.
    EXPECT_LE(used, 96 * MiB) << "Session holds " << used / MiB << " MiB";
    RecordProperty("session_heap_bytes", std::to_string(used));
}

// Key identifiers and JWS options of tens of kilobytes: the tables hold
// entries by count, so without a byte bound a few thousand such messages
// would pin hundreds of megabytes. Long identifiers in the window and binding
// tables are kept as digests, the request table has a byte budget.
TEST_F(SessionFlood, LongKeyIdsStayWithinByteBudget) {
    constexpr std::uint32_t count = 2000;
    const std::size_t before = allocated_bytes();
    Result<Session> created = Session::create(SessionConfig{}, unrelated_key());
    ASSERT_TRUE(created);
    Session session = std::move(created).value();

    const std::string long_part(40000, 'k');
    for (std::uint32_t i = 0; i < count; ++i) {
        exchange(session, i, std::to_string(i) + long_part,
                 "server-" + std::to_string(i) + long_part);
        if (HasFatalFailure())
            return;
    }
    const std::size_t used = allocated_bytes() - before;
    const SessionStats s = session.stats();
    EXPECT_EQ(s.windows, count);
    EXPECT_EQ(s.response_bindings, count);
    EXPECT_LE(s.retransmission_bytes, session.config().limits.max_retransmission_bytes);
    // 16 MiB for the retransmission copies, 32 MiB at most for the requests,
    // and about 200 bytes per window and binding: under 64 MiB. (Before the
    // byte bounds: 424 MiB here, and gigabytes with full tables.)
    EXPECT_LE(used, 64 * MiB) << "Session holds " << used / MiB << " MiB";
    RecordProperty("session_heap_bytes", std::to_string(used));
}

}  // namespace
}  // namespace coapjws::test

namespace coapjws::test {
namespace {

// The request table's second bound: bytes of key identifiers and JWS option
// copies. Requests weighing over 100 bytes (an 8-byte kid and a ~100-byte
// option) under a 1000-byte budget: at most ten held, the rest evicted
// (counted), the newest always kept for its response.
TEST_F(SessionScenario, PendingRequestBytesStayWithinBudget) {
    config.limits.max_pending_request_bytes = 1000;
    without_keys = true;
    for (std::uint16_t i = 0; i < 50; ++i) {
        const Bytes token{static_cast<std::uint8_t>(i)};
        MessageReport r = to_server(signed_get(i, token, i));
        ASSERT_EQ(r.signature, SignatureStatus::unverified) << names(r);
        const SessionStats s = session().stats();
        EXPECT_LE(s.pending_request_bytes, 1000u);
        EXPECT_GT(s.pending_request_bytes, 0u);
        MessageReport answer = to_client(signed_content(i, token, Tid{"client-1", i}));
        EXPECT_EQ(answer.request_frame, r.frame) << names(answer);
    }
    const SessionStats s = session().stats();
    EXPECT_LE(s.pending_requests, 10u);
    EXPECT_GE(s.request_evictions, 40u);

    // A request heavier than the whole budget is not remembered at all.
    const std::string kid(2000, 'x');
    MessageReport big = to_server(sign(get(99, {0x63}), request_header(kid, 0), key("client-1")));
    EXPECT_EQ(session().stats().request_evictions, s.request_evictions + 1);
    MessageReport answer = to_client(signed_content(99, {0x63}, Tid{kid, 0}));
    EXPECT_FALSE(answer.request_frame) << big.frame;
    EXPECT_TRUE(answer.has(FindingId::unverifiable)) << names(answer);
}

TEST(SessionLimitsValidation, PendingRequestBytesMustBePositive) {
    SessionConfig config;
    config.limits.max_pending_request_bytes = 0;
    Result<Session> session = Session::create(config);
    ASSERT_FALSE(session);
    EXPECT_NE(session.error().message.find("max_pending_request_bytes"), std::string::npos);
}

}  // namespace
}  // namespace coapjws::test

namespace coapjws::test {
namespace {

// A pipeline 256 messages deep, each with 65000 signed options (about
// 450 KB of signed content built per message, to be verified): once
// concluded and dropped, the session's spare buffers must not keep that
// capacity (it did: 256 spares of half a megabyte each).
TEST(SessionSpares, HugeMessagesLeaveNoLargeSpares) {
    CoapMessageSpec spec = get(1, {0x01}, "");
    spec.options.assign(65000, CoapOptionValue{option::uri_path, {}});
    spec.options.push_back(
        {option::jws_default, bytes_of(base64url_encode(as_bytes(request_header("client-1", 0))) +
                                       ".." + base64url_encode(Bytes(32, 1)))});
    const Bytes message = encode(spec);

    auto keys = std::make_shared<KeyStore>();
    keys->add(secret_key("client-1", "client-1 secret, 32 bytes long!!"));
    const std::size_t before = allocated_bytes();
    Result<Session> created = Session::create(SessionConfig{}, keys);
    ASSERT_TRUE(created);
    Session session = std::move(created).value();
    {
        std::vector<PreparedMessage> pipeline;
        std::uint32_t frame = 0;
        for (int i = 0; i < 256; ++i) {
            pipeline.push_back(session.prepare(Packet{
                ++frame, frame * seconds, ep("10.0.0.1:40000"), ep("10.0.0.2:5683"), message}));
        }
        for (PreparedMessage& m : pipeline) {
            MessageReport r = session.conclude(std::move(m));
            ASSERT_TRUE(r.jws);
            // Verified (the content was built): the signature is made up.
            ASSERT_EQ(r.signature, SignatureStatus::invalid);
        }
    }
    // What stays: the tables (a few hundred copies of the 65 KB message in the
    // retransmission cache, within its 16 MiB) and one scratch message.
    const std::size_t held = allocated_bytes() - before;
    EXPECT_LE(held, 24u << 20) << "Session holds " << (held >> 20) << " MiB";
}

}  // namespace
}  // namespace coapjws::test
