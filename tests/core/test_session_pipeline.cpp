// The staged API: prepare() of many messages ahead, verify() in any order,
// conclude() in capture order gives exactly the reports analyze() gives —
// no finding, text, TID, window or JWS detail carried over between messages
// (Work buffers are reused from one message to the next).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

void expect_same(const MessageReport& a, const MessageReport& b) {
    EXPECT_EQ(a.frame, b.frame);
    EXPECT_EQ(a.time_ns, b.time_ns);
    EXPECT_EQ(a.src, b.src);
    EXPECT_EQ(a.dst, b.dst);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.code, b.code);
    EXPECT_EQ(a.message_id, b.message_id);
    EXPECT_EQ(a.coap_valid, b.coap_valid);
    EXPECT_EQ(a.signature, b.signature);
    EXPECT_EQ(a.key_id, b.key_id);
    EXPECT_EQ(a.tid, b.tid);
    EXPECT_EQ(a.request_tid, b.request_tid);
    EXPECT_EQ(a.request_frame, b.request_frame);
    EXPECT_EQ(a.replay_of, b.replay_of);
    EXPECT_EQ(a.retransmission_of, b.retransmission_of);
    ASSERT_EQ(a.findings.size(), b.findings.size()) << names(a) << " vs " << names(b);
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
        EXPECT_EQ(a.findings[i].id, b.findings[i].id);
        EXPECT_EQ(a.findings[i].message, b.findings[i].message);
        EXPECT_EQ(a.findings[i].related_frame, b.findings[i].related_frame);
    }
    ASSERT_EQ(a.window.has_value(), b.window.has_value());
    if (a.window) {
        EXPECT_EQ(a.window->verdict, b.window->verdict);
        EXPECT_EQ(a.window->highest, b.window->highest);
    }
    ASSERT_EQ(a.jws.has_value(), b.jws.has_value());
    if (a.jws) {
        EXPECT_EQ(a.jws->option_offset, b.jws->option_offset);
        EXPECT_EQ(a.jws->option_length, b.jws->option_length);
        EXPECT_EQ(a.jws->stage, b.jws->stage);
        EXPECT_EQ(a.jws->seq, b.jws->seq);
        EXPECT_EQ(a.jws->signed_content, b.jws->signed_content);
    }
}

class StagedAnalysis : public SessionScenario {
  protected:
    // A capture with a bit of everything: valid, replayed, retransmitted,
    // unknown-key, malformed, bad-signature, unverifiable, unsigned, empty.
    std::vector<Bytes> capture() {
        const Tid tid{"client-1", 1};
        std::vector<Bytes> out;
        out.push_back(signed_get(1, {0x01}, 1));
        out.push_back(signed_content(1, {0x01}, tid));
        out.push_back(signed_get(1, {0x01}, 1));  // retransmission
        out.push_back(signed_get(2, {0x02}, 1));  // replay
        out.push_back(signed_get(3, {0x03}, 2, "client-2"));
        out.push_back(with_option_text(get(4, {0x04}), "e30..AA"));  // malformed header
        out.push_back(with_option_text(
            get(5, {0x05}), "eyJhbGciOiJIUzI1NiIsImtpZCI6Im5vYm9keSIsInNlcSI6MX0..AAAA"));
        out.push_back(sign(get(6, {0x06}), request_header("client-1", 3), key("client-2")));
        out.push_back(signed_content(7, {0x77}, tid));  // request not in view
        out.push_back(encode(get(8, {0x08})));          // stripped
        out.push_back(empty_message(CoapType::acknowledgement, 8));
        out.push_back(Bytes{0x40});  // malformed CoAP
        out.push_back(signed_get(9, {0x09}, 4));
        // After JWS options that decoded: one whose header is not base64url
        // (its stage must not be carried over), then one whose header
        // decodes but whose signature does not.
        out.push_back(with_option_text(get(10, {0x0a}), "e3!..AA"));
        out.push_back(with_option_text(get(11, {0x0b}), "e30..A"));
        return out;
    }
};

// A pipeline as deep as the capture, verified after all were prepared.
TEST_F(StagedAnalysis, StagesGiveTheReportsOfAnalyze) {
    const std::vector<Bytes> messages = capture();
    Session fresh = std::move(Session::create(config, keys)).value();
    Session piped = std::move(Session::create(config, keys)).value();
    for (std::size_t round = 0; round < 3; ++round) {
        std::vector<PreparedMessage> prepared;
        std::vector<MessageReport> expected;
        for (std::size_t i = 0; i < messages.size(); ++i) {
            const bool to_client = i == 1 || i == 8;
            Packet packet{++frame, now, to_client ? server : client, to_client ? client : server,
                          messages[i]};
            now += seconds;
            expected.push_back(fresh.analyze(packet));
            prepared.push_back(piped.prepare(packet));
        }
        for (PreparedMessage& m : prepared)
            piped.verify(m);
        for (std::size_t i = 0; i < prepared.size(); ++i) {
            MessageReport r = piped.conclude(std::move(prepared[i]));
            SCOPED_TRACE("round " + std::to_string(round) + ", message " + std::to_string(i));
            expect_same(r, expected[i]);
        }
    }
}

}  // namespace
}  // namespace coapjws::test

namespace coapjws::test {
namespace {

class SkipVerification : public SessionScenario {};

// A message left unverified (coapjws-scan --shard, another receiver) gets no
// signature verdict and enters no receiver's state — and the next message of
// another receiver is judged exactly as without the skip.
TEST_F(SkipVerification, NoVerdictAndNoStateForTheSkippedMessage) {
    const Bytes request = signed_get(1, {0x01}, 5);
    Packet first{++frame, now, client, server, request};
    PreparedMessage skipped = session().prepare(first);
    skipped.skip_verification();
    EXPECT_FALSE(skipped.has_costly_verification());
    MessageReport r = session().conclude(std::move(skipped));
    EXPECT_EQ(r.signature, SignatureStatus::none);
    EXPECT_FALSE(r.has(FindingId::bad_signature));

    // The same seq again, now verified: the skipped copy did not enter the
    // window, so this is no replay (it would be one after a verified copy).
    MessageReport again = to_server(signed_get(2, {0x02}, 5));
    EXPECT_EQ(again.signature, SignatureStatus::valid);
    EXPECT_FALSE(again.has(FindingId::replay)) << names(again);
    MessageReport third = to_server(signed_get(3, {0x03}, 5));
    EXPECT_TRUE(third.has(FindingId::replay)) << names(third);

    // The response to the skipped request still finds its request (matching
    // does not depend on verification).
    const Tid tid{"client-1", 5};
    MessageReport response = to_client(signed_content(1, {0x01}, tid));
    EXPECT_EQ(response.request_frame, std::optional<std::uint32_t>(1u));
    EXPECT_EQ(response.signature, SignatureStatus::valid) << names(response);
}

}  // namespace
}  // namespace coapjws::test
