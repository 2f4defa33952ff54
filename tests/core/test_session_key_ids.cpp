// The session's tables hold key identifiers as ids of one pool, swept when it
// has grown: thousands of senders later, what the tables still hold must mean
// the same identifiers (a response's signed content takes its request's key
// identifier from there, and a binding or window is found by it).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

class SessionKeyIds : public SessionScenario {
  protected:
    SessionKeyIds() {
        config.limits.max_windows = 16;
        config.limits.max_response_bindings = 16;
    }
    // Requests from `count` new senders, all with one token from one client,
    // so each replaces the last in the request table and the windows forget
    // them: their identifiers leave the tables, and the pool must sweep.
    void many_senders(std::size_t first, std::size_t count) {
        for (std::size_t i = first; i < first + count; ++i) {
            const std::string kid = "sender-" + std::to_string(i);
            send(sign(get(static_cast<std::uint16_t>(i), {0x01}), request_header(kid, 7),
                      secret_key(kid, "any secret will do, 32 bytes!!!!")),
                 ep("10.0.0.9:40000"), server);
            wait(1'000'000);
        }
    }
};

TEST_F(SessionKeyIds, PendingRequestsKeepTheirIdentifiersThroughSweeps) {
    // Held by the request table alone once the windows have forgotten it.
    ASSERT_EQ(to_server(signed_get(0x10, {0xBB}, 0, "client-2")).signature, SignatureStatus::valid);

    many_senders(0, 20000);  // the pool asks for a sweep at 4 096 new identifiers, and again

    // The response's signed content takes the request's key identifier from
    // the pool: it verifies only if that still reads "client-2".
    MessageReport r = to_client(signed_content(0x11, {0xBB}, Tid{"client-2", 0}));
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    ASSERT_TRUE(r.request_tid.has_value());
    EXPECT_EQ(r.request_tid->key_id, "client-2");
}

TEST_F(SessionKeyIds, BindingsKeepTheirIdentifiersThroughSweeps) {
    // Over 64 bytes: the binding holds the identifier's digest form, the
    // pending request the identifier itself, so only the binding holds the
    // digest's id once the windows have forgotten it.
    const std::string kid = "client-" + std::string(80, 'x');
    keys->add(secret_key(kid, "long client secret, 32 bytes!!!!"));
    ASSERT_EQ(to_server(signed_get(0x10, {0xAA}, 0, kid)).signature, SignatureStatus::valid);
    MessageReport first = to_client(signed_content(0x11, {0xAA}, Tid{kid, 0}));
    ASSERT_EQ(first.signature, SignatureStatus::valid) << names(first);
    EXPECT_FALSE(first.has(FindingId::response_replay));

    many_senders(0, 20000);

    // The binding made before the sweeps is found by its two identifiers.
    MessageReport second = to_client(signed_content(0x12, {0xAA}, Tid{kid, 0}));
    EXPECT_EQ(second.signature, SignatureStatus::valid) << names(second);
    EXPECT_TRUE(second.has(FindingId::response_replay)) << names(second);
}

TEST_F(SessionKeyIds, WindowsKeepTheirIdentifiersThroughSweeps) {
    without_keys = true;  // unverified messages use windows too
    config.limits.max_windows = 8000;
    many_senders(0, 30000);  // sweeps about every 4 096 new identifiers
    // The windows of the last 8 000 senders are held and know seq 7; most of
    // those senders came before the last sweep, and only their windows (not
    // the request table, which holds the last sender) hold their identifiers.
    for (std::size_t i : {22000, 24000, 26000, 28000, 29999}) {
        const std::string kid = "sender-" + std::to_string(i);
        EXPECT_TRUE(
            send(sign(get(static_cast<std::uint16_t>(0x8000 + i % 0x1000), {0x02}),
                      request_header(kid, 7), secret_key(kid, "any secret will do, 32 bytes!!!!")),
                 ep("10.0.0.9:40000"), server)
                .has(FindingId::replay))
            << kid;
    }
    // A forgotten one is not a replay.
    EXPECT_FALSE(send(sign(get(0xF001, {0x03}), request_header("sender-0", 7),
                           secret_key("sender-0", "any secret will do, 32 bytes!!!!")),
                      ep("10.0.0.9:40000"), server)
                     .has(FindingId::replay));
}

}  // namespace
}  // namespace coapjws::test
