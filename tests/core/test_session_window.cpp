// Session: replay windows and retransmissions (spec §5) on whole messages.
#include <gtest/gtest.h>

#include "coapjws/base64url.hpp"
#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class SessionWindow : public SessionScenario {
  protected:
    std::uint16_t mid = 0x1000;
    // A fresh signed GET (new MID and token: never a retransmission).
    MessageReport request_with_seq(std::uint32_t seq, std::string_view kid = "client-1") {
        ++mid;
        return to_server(signed_get(mid, {static_cast<std::uint8_t>(mid)}, seq, kid));
    }
};

TEST_F(SessionWindow, FirstMessageIsAccepted) {
    MessageReport r = request_with_seq(17);
    EXPECT_THAT(r.findings, IsEmpty());
    EXPECT_FALSE(r.replay_of.has_value());
}

TEST_F(SessionWindow, SameSeqAgainIsAReplayNamingTheFrame) {
    for (std::uint32_t s : {10u, 11u, 12u})
        request_with_seq(s);  // frames 1-3
    MessageReport r = request_with_seq(11);
    EXPECT_EQ(r.signature, SignatureStatus::valid);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::replay));
    EXPECT_EQ(r.findings[0].message,
              "seq 11 from kid \"client-1\" already accepted at 10.0.0.2:5683 in frame 2");
    EXPECT_EQ(r.findings[0].related_frame, 2u);
    EXPECT_EQ(r.replay_of, 2u);
    EXPECT_EQ(r.findings[0].severity(), Severity::error);
}

TEST_F(SessionWindow, HighestSeqAgainIsAReplay) {
    request_with_seq(40);
    MessageReport r = request_with_seq(40);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::replay));
    EXPECT_EQ(r.replay_of, 1u);
}

TEST_F(SessionWindow, LowerEdgeWithDefaultWindow) {
    // W = 32, H = 100: 68 = H - W is out; 69 = H - W + 1 is accepted, once.
    request_with_seq(100);
    MessageReport out = request_with_seq(68);
    ASSERT_THAT(ids(out), ElementsAre(FindingId::out_of_window));
    EXPECT_EQ(out.findings[0].message,
              "seq 68 from kid \"client-1\" is below the window at 10.0.0.2:5683 (highest 100, "
              "window 32)");
    EXPECT_FALSE(out.replay_of.has_value());
    EXPECT_THAT(request_with_seq(69).findings, IsEmpty());
    MessageReport replay = request_with_seq(69);
    EXPECT_THAT(ids(replay), ElementsAre(FindingId::replay));
    EXPECT_EQ(replay.replay_of, 3u);
}

TEST_F(SessionWindow, ReorderingInsideTheWindow) {
    for (std::uint32_t s : {5u, 3u, 4u, 1u, 0u, 2u}) {
        EXPECT_THAT(request_with_seq(s).findings, IsEmpty()) << s;
    }
    EXPECT_THAT(ids(request_with_seq(3)), ElementsAre(FindingId::replay));
    EXPECT_THAT(ids(request_with_seq(0)), ElementsAre(FindingId::replay));
}

TEST_F(SessionWindow, WindowOfOne) {
    config.window = 1;
    request_with_seq(5);
    EXPECT_THAT(ids(request_with_seq(4)), ElementsAre(FindingId::out_of_window));
    EXPECT_THAT(ids(request_with_seq(5)), ElementsAre(FindingId::replay));
    EXPECT_THAT(request_with_seq(6).findings, IsEmpty());
    EXPECT_THAT(ids(request_with_seq(5)), ElementsAre(FindingId::out_of_window));
}

TEST_F(SessionWindow, WindowOf1024) {
    config.window = 1024;
    request_with_seq(2000);
    EXPECT_THAT(ids(request_with_seq(976)), ElementsAre(FindingId::out_of_window));
    EXPECT_THAT(request_with_seq(977).findings, IsEmpty());
    EXPECT_THAT(request_with_seq(1500).findings, IsEmpty());
    EXPECT_THAT(ids(request_with_seq(977)), ElementsAre(FindingId::replay));
}

TEST_F(SessionWindow, LastSeqExhaustsTheKey) {
    request_with_seq(4294967294u);
    EXPECT_THAT(request_with_seq(4294967295u).findings, IsEmpty());  // frame 2
    for (std::uint32_t s : {0u, 4294967293u, 4294967295u}) {
        MessageReport r = request_with_seq(s);
        ASSERT_THAT(ids(r), ElementsAre(FindingId::seq_exhausted)) << s;
        EXPECT_EQ(r.findings[0].message,
                  "kid \"client-1\" already used its last seq 4294967295 at 10.0.0.2:5683 "
                  "(frame 2): the key should have been replaced");
        EXPECT_EQ(r.findings[0].related_frame, 2u);
        EXPECT_FALSE(r.replay_of.has_value());
    }
}

TEST_F(SessionWindow, JumpOfAtLeastTheWindowClearsIt) {
    for (std::uint32_t s = 0; s < 32; ++s)
        request_with_seq(s);
    EXPECT_THAT(request_with_seq(100).findings, IsEmpty());
    EXPECT_THAT(ids(request_with_seq(31)), ElementsAre(FindingId::out_of_window));
    EXPECT_THAT(ids(request_with_seq(68)), ElementsAre(FindingId::out_of_window));
    for (std::uint32_t s = 69; s < 100; ++s) {
        EXPECT_THAT(request_with_seq(s).findings, IsEmpty()) << s;
    }
}

TEST_F(SessionWindow, OneWindowPerKeyIdentifier) {
    request_with_seq(5, "client-1");
    EXPECT_THAT(request_with_seq(5, "client-2").findings, IsEmpty());
    EXPECT_THAT(ids(request_with_seq(5, "client-2")), ElementsAre(FindingId::replay));
}

TEST_F(SessionWindow, OneWindowPerReceiverEndpoint) {
    request_with_seq(5);
    // The same signed request to another port and to another host: new
    // receivers. (Each with its own MID: the same MID and bytes from the same
    // source would be a retransmission, whatever the destination.)
    CoapMessageSpec spec = get(0x2000, {0x20});
    std::string value =
        jws_value(spec, request_header("client-1", 5), key("client-1"), Algorithm::HS256);
    spec.message_id = 0x2001;
    EXPECT_THAT(send(with_option_text(spec, value), client, ep("10.0.0.2:5684")).findings,
                IsEmpty());
    spec.message_id = 0x2002;
    EXPECT_THAT(send(with_option_text(spec, value), client, ep("10.0.0.3:5683")).findings,
                IsEmpty());
    // The receiver is the destination: another client sending it is a replay.
    MessageReport r = send(with_option_text(spec, value), ep("10.0.0.66:40000"), server);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::replay));
    EXPECT_EQ(r.replay_of, 1u);
}

TEST_F(SessionWindow, ForwardProxyHopsAreNotReplays) {
    // client -> proxy, then proxy -> server with the same end-to-end JWS
    // (new MID and token, Uri-Host added: none of them signed).
    Endpoint proxy = ep("10.0.0.5:5683");
    CoapMessageSpec first_hop = get(0x0101, {0x01});
    std::string value =
        jws_value(first_hop, request_header("client-1", 9), key("client-1"), Algorithm::HS256);
    MessageReport a = send(with_option_text(first_hop, value), client, proxy);
    CoapMessageSpec second_hop = get(0x7001, {0x77, 0x78});
    second_hop.options.push_back({option::uri_host, bytes_of("server.example")});
    MessageReport b = send(with_option_text(second_hop, value), ep("10.0.0.5:33333"), server);
    EXPECT_EQ(a.signature, SignatureStatus::valid);
    EXPECT_EQ(b.signature, SignatureStatus::valid) << names(b);
    EXPECT_THAT(a.findings, IsEmpty());
    EXPECT_THAT(b.findings, IsEmpty());
    // An attacker replaying the second hop to the server is caught.
    second_hop.message_id = 0x7002;
    MessageReport c = send(with_option_text(second_hop, value), ep("10.0.0.5:33333"), server);
    EXPECT_THAT(ids(c), ElementsAre(FindingId::replay));
    EXPECT_EQ(c.replay_of, 2u);
}

// A receiver discards a message that fails: it must not use up the seq.
TEST_F(SessionWindow, FailedMessagesNeverTouchTheWindow) {
    const std::string alg_none =
        base64url_encode(bytes_of(R"({"alg":"none","kid":"client-1","seq":5})")) + "..AAAA";
    const std::string alg_unsupported =
        base64url_encode(bytes_of(R"({"alg":"XS256","kid":"client-1","seq":5})")) + "..AAAA";
    const std::string malformed =
        base64url_encode(bytes_of(R"({"alg":"HS256","kid":"client-1","seq":5,"seq":5})")) +
        "..AAAA";
    Key impostor = secret_key("client-1", "impostor secret, 32 bytes long!!");
    Result<Key> ec = Key::generate(KeyType::ec, Curve::p256);
    ASSERT_TRUE(ec.has_value());

    struct Case {
        FindingId expected;
        Bytes coap;
    };
    std::vector<Case> cases;
    cases.push_back({FindingId::bad_signature,
                     sign(get(0x3001, {0x31}), request_header("client-1", 5), impostor)});
    cases.push_back(
        {FindingId::key_mismatch, sign(get(0x3002, {0x32}), request_header("client-1", 5, "ES256"),
                                       ec.value(), Algorithm::ES256)});
    cases.push_back({FindingId::alg_none, with_option_text(get(0x3003, {0x33}), alg_none)});
    cases.push_back(
        {FindingId::alg_unsupported, with_option_text(get(0x3004, {0x34}), alg_unsupported)});
    cases.push_back({FindingId::crit_unknown,
                     sign(get(0x3005, {0x35}),
                          R"({"alg":"HS256","kid":"client-1","seq":5,"b64":false,"crit":["b64"]})",
                          key("client-1"))});
    cases.push_back({FindingId::malformed, with_option_text(get(0x3006, {0x36}), malformed)});

    for (const Case& c : cases) {
        MessageReport failed = to_server(c.coap);
        ASSERT_THAT(ids(failed), ElementsAre(c.expected)) << names(failed);
    }
    // seq 5 is still unused.
    MessageReport good = request_with_seq(5);
    EXPECT_EQ(good.signature, SignatureStatus::valid);
    EXPECT_THAT(good.findings, IsEmpty()) << names(good);
    // And a failing message after it gets no window verdict either.
    MessageReport failed_again =
        to_server(sign(get(0x3007, {0x37}), request_header("client-1", 5), impostor));
    EXPECT_THAT(ids(failed_again), ElementsAre(FindingId::bad_signature));
}

TEST_F(SessionWindow, UnverifiedMessagesEnterTheWindow) {
    // Spec §5: the window needs no keys. Without any key there is no
    // unknown-key either (spec §6), only the replay.
    without_keys = true;
    request_with_seq(5);
    MessageReport r = request_with_seq(5);
    EXPECT_EQ(r.signature, SignatureStatus::unverified);
    EXPECT_TRUE(r.unverified_without_keys);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::replay));
    EXPECT_EQ(r.replay_of, 1u);
}

TEST_F(SessionWindow, ResponsesWithTheirOwnTidUseTheClientsWindow) {
    // isi "10": the response's kid/seq are its TID; the receiver is the client.
    auto isi10 = [&](std::uint16_t m, std::uint32_t seq, const Endpoint& to) {
        Bytes coap = sign(response(code_content, m, {0x01}), response_header("server-1", "10", seq),
                          key("server-1"));
        return send(coap, server, to);
    };
    MessageReport first = isi10(0x5001, 3, client);
    EXPECT_EQ(first.signature, SignatureStatus::valid) << names(first);
    EXPECT_EQ(first.tid->to_string(), "server-1:3");
    EXPECT_THAT(first.findings, IsEmpty());
    EXPECT_THAT(isi10(0x5002, 3, ep("10.0.0.7:40000")).findings, IsEmpty());  // another client
    MessageReport again = isi10(0x5003, 3, client);
    EXPECT_THAT(ids(again), ElementsAre(FindingId::replay));
    EXPECT_EQ(again.findings[0].message,
              "seq 3 from kid \"server-1\" already accepted at 10.0.0.1:40000 in frame 1");
}

TEST_F(SessionWindow, ResponseWithoutOwnTidHasNoWindow) {
    // isi "10" needs seq; isi "01" (absent) has no TID even with a seq shown.
    Bytes coap = sign(response(code_content, 0x5001, {0x01}),
                      response_header("server-1", std::nullopt, 3), key("server-1"));
    MessageReport r = to_client(coap);
    EXPECT_FALSE(r.tid.has_value());
    EXPECT_THAT(ids(r), ElementsAre(FindingId::unverifiable));
}

// --- Retransmissions ---------------------------------------------------------

TEST_F(SessionWindow, RetransmissionWithin247SecondsIsNotAReplay) {
    for (std::int64_t gap : {2 * seconds, 246 * seconds, 247 * seconds}) {
        SCOPED_TRACE(gap);
        // Each round sends other bytes under the same MID: a new first copy.
        Bytes coap = signed_get(0x1234, {0x42}, static_cast<std::uint32_t>(gap / seconds));
        MessageReport first = to_server(coap);
        wait(gap);
        MessageReport copy = to_server(coap);
        EXPECT_EQ(copy.signature, SignatureStatus::valid);  // the verdict of its bytes
        ASSERT_THAT(ids(copy), ElementsAre(FindingId::retransmission));
        EXPECT_EQ(copy.findings[0].severity(), Severity::info);
        EXPECT_EQ(copy.findings[0].related_frame, first.frame);
        EXPECT_EQ(copy.retransmission_of, first.frame);
        EXPECT_EQ(copy.findings[0].message, "retransmission of frame " +
                                                std::to_string(first.frame) +
                                                " (MID 4660 from 10.0.0.1:40000)");
        EXPECT_FALSE(copy.replay_of.has_value());
    }
}

TEST_F(SessionWindow, SameBytesAfter248SecondsIsAReplay) {
    Bytes coap = signed_get(0x1234, {0x42}, 8);
    to_server(coap);
    wait(248 * seconds);
    MessageReport late = to_server(coap);
    EXPECT_THAT(ids(late), ElementsAre(FindingId::replay));
    EXPECT_EQ(late.replay_of, 1u);
    EXPECT_FALSE(late.retransmission_of.has_value());
}

TEST_F(SessionWindow, EveryCopyRestartsTheLifetime) {
    Bytes coap = signed_get(0x1234, {0x42}, 8);
    to_server(coap);
    for (int i = 0; i < 3; ++i) {
        wait(200 * seconds);
        EXPECT_EQ(to_server(coap).retransmission_of, 1u);
    }
}

TEST_F(SessionWindow, DifferentMessageIdIsAReplayNotARetransmission) {
    to_server(signed_get(0x1234, {0x42}, 8));
    MessageReport r = to_server(signed_get(0x1235, {0x42}, 8));
    EXPECT_THAT(ids(r), ElementsAre(FindingId::replay));
}

TEST_F(SessionWindow, SameMessageIdOtherBytesIsAReplayNotARetransmission) {
    to_server(signed_get(0x1234, {0x42}, 8, "client-1", "temp"));
    MessageReport r = to_server(signed_get(0x1234, {0x42}, 8, "client-1", "door"));
    EXPECT_THAT(ids(r), ElementsAre(FindingId::replay));
}

TEST_F(SessionWindow, SameBytesFromAnotherPortIsAReplay) {
    Bytes coap = signed_get(0x1234, {0x42}, 8);
    to_server(coap);
    MessageReport r = send(coap, ep("10.0.0.1:40001"), server);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::replay));
}

TEST_F(SessionWindow, RetransmissionKeepsTheVerdictOfItsBytes) {
    Key impostor = secret_key("client-1", "impostor secret, 32 bytes long!!");
    Bytes bad = sign(get(0x1234, {0x42}), request_header("client-1", 1), impostor);
    to_server(bad);
    MessageReport copy = to_server(bad);
    EXPECT_EQ(copy.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(copy), ElementsAre(FindingId::bad_signature, FindingId::retransmission));
}

TEST_F(SessionWindow, RetransmittedUnverifiedRequestIsNotAReplay) {
    without_keys = true;
    Bytes coap = signed_get(0x1234, {0x42}, 8);
    to_server(coap);
    EXPECT_THAT(ids(to_server(coap)), ElementsAre(FindingId::retransmission));
}

}  // namespace
}  // namespace coapjws::test
