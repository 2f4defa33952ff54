// Session: matching responses to requests (spec §3, §5), the isi bindings,
// response-replay, unprotected-response and option-rejected.
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class SessionMatching : public SessionScenario {
  protected:
    const Tid t17{"client-1", 17};
    // Frame 1: the client's signed GET with seq 17 and token a1.
    void send_request(Bytes token = {0xa1}, std::uint32_t seq = 17) {
        MessageReport r = to_server(signed_get(0x1001, std::move(token), seq));
        ASSERT_EQ(r.signature, SignatureStatus::valid) << names(r);
    }
    Bytes sign_response(CoapMessageSpec spec, std::string_view header, const Tid* request_tid,
                        std::string_view kid = "server-1") {
        SignOptions how;
        how.request_tid = request_tid;
        return sign(std::move(spec), header, key(kid), Algorithm::HS256, how);
    }
    // A separate response: its own CON with a new MID, bound to client-1:17.
    Bytes signed_content_con(std::uint16_t mid) {
        return sign_response(response(code_content, mid, {0xa1}, "22.5", CoapType::confirmable),
                             response_header("server-1"), &t17);
    }
    // Multicast requests are NON (RFC 7252 §8.1), and so are their responses.
    Bytes encode_signed_non(std::uint16_t mid) {
        CoapMessageSpec spec = get(mid, {0xa1});
        spec.type = CoapType::non_confirmable;
        return sign(spec, request_header("client-1", 17), key("client-1"));
    }
    Bytes signed_content_non(std::uint16_t mid, std::string_view kid) {
        return sign_response(response(code_content, mid, {0xa1}, "22.5", CoapType::non_confirmable),
                             response_header(kid), &t17, kid);
    }
};

TEST_F(SessionMatching, PiggybackedResponseIsMatchedAndVerified) {
    send_request();
    MessageReport r = to_client(signed_content(0x1001, {0xa1}, t17));
    EXPECT_EQ(r.kind, MessageKind::response);
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    EXPECT_THAT(r.findings, IsEmpty());
    EXPECT_EQ(r.request_frame, 1u);
    EXPECT_EQ(r.request_tid, t17);
    EXPECT_FALSE(r.tid.has_value());  // isi "01": no TID of its own
    EXPECT_EQ(r.key_id, "server-1");
}

TEST_F(SessionMatching, SeparateResponseAfterAnEmptyAck) {
    send_request();                                                                   // 1
    MessageReport ack = to_client(empty_message(CoapType::acknowledgement, 0x1001));  // 2
    EXPECT_EQ(ack.kind, MessageKind::empty);
    EXPECT_THAT(ack.findings, IsEmpty());
    wait(3 * seconds);
    MessageReport r = to_client(signed_content_con(0x9001));  // 3: new MID
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    EXPECT_EQ(r.request_frame, 1u);
    EXPECT_THAT(r.findings, IsEmpty());
    MessageReport client_ack = to_server(empty_message(CoapType::acknowledgement, 0x9001));
    EXPECT_THAT(client_ack.findings, IsEmpty());
    EXPECT_EQ(client_ack.signature, SignatureStatus::none);
}

TEST_F(SessionMatching, ResponseNeedsTheSameTokenAndEndpointPair) {
    send_request();
    const std::string expected =
        "response's request not in view (isi \"01\" binds the request TID)";
    // Another token.
    MessageReport other_token = to_client(signed_content(0x2001, {0xa2}, t17));
    EXPECT_EQ(other_token.signature, SignatureStatus::unverified);
    ASSERT_THAT(ids(other_token), ElementsAre(FindingId::unverifiable));
    EXPECT_EQ(other_token.findings[0].message, expected);
    EXPECT_FALSE(other_token.request_frame.has_value());
    // From another server, or to another client port.
    EXPECT_THAT(ids(send(signed_content(0x2002, {0xa1}, t17), ep("10.0.0.3:5683"), client)),
                ElementsAre(FindingId::unverifiable));
    EXPECT_THAT(ids(send(signed_content(0x2003, {0xa1}, t17), server, ep("10.0.0.1:40001"))),
                ElementsAre(FindingId::unverifiable));
    // The right one still matches.
    MessageReport right = to_client(signed_content(0x2004, {0xa1}, t17));
    EXPECT_EQ(right.signature, SignatureStatus::valid) << names(right);
}

TEST_F(SessionMatching, UnknownKeyAndUnverifiableTogether) {
    Key stranger = secret_key("server-9", "server-9 secret, 32 bytes long!!");
    SignOptions how;
    how.request_tid = &t17;
    Bytes coap = sign(response(code_content, 1, {0xa1}), response_header("server-9"), stranger,
                      Algorithm::HS256, how);
    MessageReport r = to_client(coap);
    EXPECT_EQ(r.signature, SignatureStatus::unverified);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::unknown_key, FindingId::unverifiable));
}

TEST_F(SessionMatching, ResponseWithoutKeyIdentifierIsUnverified) {
    send_request();
    Bytes coap = sign_response(response(code_content, 1, {0xa1}), R"({"alg":"HS256"})", &t17);
    MessageReport r = to_client(coap);
    EXPECT_EQ(r.signature, SignatureStatus::unverified);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::unknown_key));
    EXPECT_EQ(r.findings[0].message, "the header names no key (no kid, x5t#S256 or x5t)");
}

TEST_F(SessionMatching, Isi10NeedsNoRequest) {
    Bytes coap = sign_response(response(code_content, 1, {0xa1}),
                               response_header("server-1", "10", 4), nullptr);
    MessageReport r = to_client(coap);
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    EXPECT_EQ(r.tid->to_string(), "server-1:4");
    EXPECT_FALSE(r.request_tid.has_value());
}

TEST_F(SessionMatching, Isi10WithoutSeqIsMalformed) {
    Bytes coap = sign_response(response(code_content, 1, {0xa1}), response_header("server-1", "10"),
                               nullptr);
    MessageReport r = to_client(coap);
    EXPECT_EQ(r.signature, SignatureStatus::none);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::malformed));
}

TEST_F(SessionMatching, Isi11BindsBoth) {
    send_request();
    Bytes coap = sign_response(response(code_content, 1, {0xa1}),
                               response_header("server-1", "11", 4), &t17);
    MessageReport r = to_client(coap);
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
    EXPECT_EQ(r.tid->to_string(), "server-1:4");
    EXPECT_EQ(r.request_tid, t17);
    // Without its request it cannot be checked (another MID: not a retransmission).
    Bytes elsewhere = sign_response(response(code_content, 2, {0xa1}),
                                    response_header("server-1", "11", 5), &t17);
    MessageReport lost = send(elsewhere, server, ep("10.0.0.9:40000"));
    EXPECT_EQ(lost.signature, SignatureStatus::unverified);
    ASSERT_THAT(ids(lost), ElementsAre(FindingId::unverifiable));
    EXPECT_EQ(lost.findings[0].message,
              "response's request not in view (isi \"11\" binds the request TID)");
}

TEST_F(SessionMatching, Isi01ContentMustCarryTheRequestTid) {
    send_request();
    // Signed without the REQUEST-TID item: the verifier adds it, so it fails.
    MessageReport without = to_client(
        sign_response(response(code_content, 1, {0xa1}), response_header("server-1"), nullptr));
    EXPECT_EQ(without.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(without), ElementsAre(FindingId::bad_signature));
    // Bound to another seq of the same key: fails too.
    Tid other{"client-1", 18};
    MessageReport wrong_tid = to_client(
        sign_response(response(code_content, 2, {0xa1}), response_header("server-1"), &other));
    EXPECT_THAT(ids(wrong_tid), ElementsAre(FindingId::bad_signature));
    // isi "10" signed with the item: the verifier leaves it out, so it fails.
    MessageReport isi10 = to_client(sign_response(response(code_content, 3, {0xa1}),
                                                  response_header("server-1", "10", 1), &t17));
    EXPECT_THAT(ids(isi10), ElementsAre(FindingId::bad_signature));
}

TEST_F(SessionMatching, RequestWithoutTidLeavesAnIsi01ResponseUnverifiable) {
    to_server(encode(get(0x1001, {0xa1})));
    MessageReport r = to_client(signed_content(0x1001, {0xa1}, t17));
    EXPECT_EQ(r.signature, SignatureStatus::unverified);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::unverifiable));
    EXPECT_EQ(r.findings[0].message,
              "response's request (frame 1) carried no TID (isi \"01\" binds the request TID)");
    EXPECT_EQ(r.request_frame, 1u);
    EXPECT_FALSE(r.request_tid.has_value());
}

TEST_F(SessionMatching, NewRequestWithTheSameTokenReplacesTheOld) {
    send_request({0xa1}, 17);
    MessageReport second = to_server(signed_get(0x1002, {0xa1}, 18));  // frame 2
    ASSERT_EQ(second.signature, SignatureStatus::valid);
    MessageReport old_binding = to_client(signed_content(0x1001, {0xa1}, t17));
    EXPECT_EQ(old_binding.request_frame, 2u);
    EXPECT_THAT(ids(old_binding), ElementsAre(FindingId::bad_signature));
    MessageReport new_binding = to_client(signed_content(0x1002, {0xa1}, Tid{"client-1", 18}));
    EXPECT_EQ(new_binding.signature, SignatureStatus::valid) << names(new_binding);
}

// --- response-replay ---------------------------------------------------------

TEST_F(SessionMatching, ResponseToARetransmittedRequestNamesTheFirstCopy) {
    Bytes request = signed_get(0x1001, {0xa1}, 17);
    to_server(request);  // 1
    wait(2 * seconds);
    ASSERT_EQ(to_server(request).retransmission_of, 1u);               // 2
    MessageReport r = to_client(signed_content(0x1001, {0xa1}, t17));  // 3
    EXPECT_EQ(r.request_frame, 1u);
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
}

TEST_F(SessionMatching, SecondResponseToOneRequestIsAResponseReplay) {
    send_request();
    MessageReport first = to_client(signed_content(0x1001, {0xa1}, t17));  // 2
    ASSERT_THAT(first.findings, IsEmpty());
    MessageReport second = to_client(signed_content(0x1002, {0xa1}, t17));  // 3: new MID
    EXPECT_EQ(second.signature, SignatureStatus::valid);
    ASSERT_THAT(ids(second), ElementsAre(FindingId::response_replay));
    EXPECT_EQ(second.findings[0].message,
              "another response bound to request TID \"client-1:17\" at 10.0.0.1:40000 under "
              "the same key \"server-1\" (first in frame 2)");
    EXPECT_EQ(second.findings[0].related_frame, 2u);
    EXPECT_EQ(second.replay_of, 2u);
    EXPECT_EQ(second.request_frame, 1u);
}

TEST_F(SessionMatching, ResponseReplayEvenWithAnotherPayload) {
    send_request();
    to_client(signed_content(0x1001, {0xa1}, t17, "server-1", "22.5"));
    MessageReport r = to_client(signed_content(0x1002, {0xa1}, t17, "server-1", "99.9"));
    EXPECT_THAT(ids(r), ElementsAre(FindingId::response_replay));
}

TEST_F(SessionMatching, RetransmittedResponseIsNotAResponseReplay) {
    send_request();
    Bytes coap = signed_content(0x1001, {0xa1}, t17);
    to_client(coap);
    MessageReport again = to_client(coap);
    EXPECT_EQ(again.signature, SignatureStatus::valid);
    EXPECT_THAT(ids(again), ElementsAre(FindingId::retransmission));
    EXPECT_EQ(again.retransmission_of, 2u);
    EXPECT_EQ(again.request_frame, 1u);
}

TEST_F(SessionMatching, ObserveNotificationsAreExempt) {
    CoapMessageSpec registration = get(0x1001, {0xa1});
    registration.options.push_back({option::observe, Bytes{}});  // 0: register
    ASSERT_EQ(
        to_server(sign(registration, request_header("client-1", 17), key("client-1"))).signature,
        SignatureStatus::valid);
    for (std::uint8_t n = 2; n < 6; ++n) {
        CoapMessageSpec note =
            response(code_content, static_cast<std::uint16_t>(0x9000 + n), {0xa1},
                     "22." + std::to_string(n), CoapType::non_confirmable);
        note.options.push_back({option::observe, Bytes{n}});
        MessageReport r = to_client(sign_response(note, response_header("server-1"), &t17));
        EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
        EXPECT_THAT(r.findings, IsEmpty()) << int(n);
        wait(600 * seconds);  // beyond 247 s: the registration keeps the request in view
    }
}

TEST_F(SessionMatching, AnotherResponderKeyIsNotAResponseReplay) {
    send_request();
    to_client(signed_content(0x1001, {0xa1}, t17, "server-1"));
    MessageReport r = to_client(signed_content(0x1002, {0xa1}, t17, "server-2"));
    EXPECT_EQ(r.signature, SignatureStatus::valid);
    EXPECT_THAT(r.findings, IsEmpty());
}

TEST_F(SessionMatching, FailedResponseDoesNotBindTheRequest) {
    send_request();
    Key impostor = secret_key("server-1", "impostor secret, 32 bytes long!!");
    SignOptions how;
    how.request_tid = &t17;
    MessageReport forged =
        to_client(sign(response(code_content, 0x1001, {0xa1}), response_header("server-1"),
                       impostor, Algorithm::HS256, how));
    EXPECT_THAT(ids(forged), ElementsAre(FindingId::bad_signature));
    MessageReport genuine = to_client(signed_content(0x1002, {0xa1}, t17));
    EXPECT_THAT(genuine.findings, IsEmpty()) << names(genuine);
}

TEST_F(SessionMatching, UnverifiedResponsesBindToo) {
    keys = std::make_shared<KeyStore>();
    keys->add(secret_key("client-1", "client-1 secret, 32 bytes long!!"));
    // server-1's key is not configured: its responses are unknown-key.
    Key server_key = secret_key("server-1", "server-1 secret, 32 bytes long!!");
    send_request();
    SignOptions how;
    how.request_tid = &t17;
    auto respond = [&](std::uint16_t m) {
        return to_client(sign(response(code_content, m, {0xa1}), response_header("server-1"),
                              server_key, Algorithm::HS256, how));
    };
    EXPECT_THAT(ids(respond(0x1001)), ElementsAre(FindingId::unknown_key));
    EXPECT_THAT(ids(respond(0x1002)),
                ElementsAre(FindingId::unknown_key, FindingId::response_replay));
}

// --- Multicast ---------------------------------------------------------------

TEST_F(SessionMatching, MulticastRequestAnsweredBySeveralServers) {
    Endpoint group = ep("224.0.1.187:5683");
    MessageReport request = send(encode_signed_non(0x1001), client, group);
    ASSERT_EQ(request.signature, SignatureStatus::valid) << names(request);
    Endpoint s1 = ep("10.0.0.2:5683");
    Endpoint s2 = ep("10.0.0.3:5683");
    auto answer = [&](const Endpoint& from, std::uint16_t m, std::string_view kid) {
        return send(signed_content_non(m, kid), from, client);
    };
    MessageReport a = answer(s1, 0x2001, "server-1");
    MessageReport b = answer(s2, 0x3001, "server-2");
    for (const MessageReport* r : {&a, &b}) {
        EXPECT_EQ(r->signature, SignatureStatus::valid) << names(*r);
        EXPECT_THAT(r->findings, IsEmpty());
        EXPECT_EQ(r->request_frame, 1u);
        EXPECT_EQ(r->request_tid, t17);
    }
    // Another port is another endpoint: not an answer to the group's request.
    EXPECT_THAT(ids(answer(ep("10.0.0.4:5684"), 0x4001, "server-1")),
                ElementsAre(FindingId::unverifiable));
    // A second answer under server-1's key is still a response replay.
    MessageReport again = answer(s1, 0x2002, "server-1");
    EXPECT_THAT(ids(again), ElementsAre(FindingId::response_replay));
    EXPECT_EQ(again.replay_of, a.frame);
}

TEST_F(SessionMatching, MulticastRequestWindowIsTheGroup) {
    Endpoint group = ep("[ff02::fd]:5683");
    Endpoint v6client = ep("[2001:db8::1]:40000");
    send(encode_signed_non(0x1001), v6client, group);
    MessageReport copy = send(encode_signed_non(0x1002), v6client, group);
    ASSERT_THAT(ids(copy), ElementsAre(FindingId::replay));
    EXPECT_NE(copy.findings[0].message.find("at [ff02::fd]:5683"), std::string::npos)
        << copy.findings[0].message;
    // A unicast response over IPv6 matches the group request (the second,
    // which replaced the first: same token and endpoints).
    MessageReport r =
        send(signed_content_non(0x2001, "server-1"), ep("[2001:db8::2]:5683"), v6client);
    EXPECT_EQ(r.request_frame, 2u);
    EXPECT_EQ(r.signature, SignatureStatus::valid) << names(r);
}

// --- unprotected-response ----------------------------------------------------

TEST_F(SessionMatching, PlainResponseToAProtectedRequest) {
    send_request();
    MessageReport r = to_client(encode(response(code_content, 0x1001, {0xa1})));
    EXPECT_EQ(r.signature, SignatureStatus::none);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::unprotected_response));
    EXPECT_EQ(r.findings[0].message, "response without JWS to a request with JWS (frame 1)");
    EXPECT_EQ(r.findings[0].related_frame, 1u);
    EXPECT_EQ(r.findings[0].severity(), Severity::warning);
    EXPECT_EQ(r.request_frame, 1u);
    // Its retransmission is not reported again.
    EXPECT_THAT(ids(to_client(encode(response(code_content, 0x1001, {0xa1})))),
                ElementsAre(FindingId::retransmission));
}

TEST_F(SessionMatching, PlainResponseToAPlainRequestIsFine) {
    to_server(encode(get(0x1001, {0xa1})));
    MessageReport r = to_client(encode(response(code_content, 0x1001, {0xa1})));
    EXPECT_THAT(r.findings, IsEmpty());
    EXPECT_EQ(r.request_frame, 1u);
}

TEST_F(SessionMatching, PlainResponseToARequestWhoseJwsFailedIsStillUnprotected) {
    to_server(with_option_text(get(0x1001, {0xa1}), "garbage"));  // malformed, but an option
    EXPECT_THAT(ids(to_client(encode(response(code_content, 0x1001, {0xa1})))),
                ElementsAre(FindingId::unprotected_response));
}

TEST_F(SessionMatching, UnmatchedPlainResponseIsNotAFinding) {
    EXPECT_THAT(to_client(encode(response(code_content, 0x1001, {0xa1}))).findings, IsEmpty());
}

// --- option-rejected ---------------------------------------------------------

TEST_F(SessionMatching, BadOptionEchoingTheRequestOption) {
    CoapMessageSpec request = get(0x1001, {0xa1});
    std::string value =
        jws_value(request, request_header("client-1", 17), key("client-1"), Algorithm::HS256);
    to_server(with_option_text(request, value));
    // libcoap's answer: 4.02 with the unknown critical option echoed.
    CoapMessageSpec rejected = response(code_bad_option, 0x1001, {0xa1}, "");
    rejected.options.clear();
    MessageReport r = to_client(with_option_text(rejected, value));
    EXPECT_EQ(r.signature, SignatureStatus::none);
    ASSERT_THAT(ids(r), ElementsAre(FindingId::option_rejected));
    EXPECT_EQ(r.findings[0].related_frame, 1u);
    EXPECT_EQ(r.findings[0].severity(), Severity::warning);
    EXPECT_EQ(r.request_frame, 1u);
    ASSERT_TRUE(r.jws.has_value());
    EXPECT_EQ(r.jws->option_length, value.size());
    EXPECT_EQ(r.jws->stage, JwsStage::option);  // not analysed as a signature
    EXPECT_EQ(r.jws->signed_content, SignedContentScope::unknown);
}

TEST_F(SessionMatching, OnlyA402EchoIsARejection) {
    CoapMessageSpec request = get(0x1001, {0xa1});
    std::string value =
        jws_value(request, request_header("client-1", 17), key("client-1"), Algorithm::HS256);
    to_server(with_option_text(request, value));
    // A 2.05 carrying the request's option is a (bad) signature, not a rejection.
    MessageReport r = to_client(with_option_text(response(code_content, 0x1001, {0xa1}), value));
    EXPECT_FALSE(r.has(FindingId::option_rejected));
    EXPECT_EQ(r.signature, SignatureStatus::invalid);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::bad_signature));
}

TEST_F(SessionMatching, BadOptionWithAnotherOptionValueIsAnalysedAsJws) {
    to_server(signed_get(0x1001, {0xa1}, 17));
    CoapMessageSpec rejected = response(code_bad_option, 0x1001, {0xa1}, "");
    rejected.options.clear();
    std::string other = jws_value(get(0x7, {0x7}), request_header("client-1", 99), key("client-1"),
                                  Algorithm::HS256);
    MessageReport r = to_client(with_option_text(rejected, other));
    EXPECT_FALSE(r.has(FindingId::option_rejected));
    EXPECT_EQ(r.signature, SignatureStatus::invalid) << names(r);
}

TEST_F(SessionMatching, BadOptionEchoWithoutItsRequestIsAnalysedAsJws) {
    CoapMessageSpec request = get(0x1001, {0xa1});
    std::string value =
        jws_value(request, request_header("client-1", 17), key("client-1"), Algorithm::HS256);
    CoapMessageSpec rejected = response(code_bad_option, 0x1001, {0xa1}, "");
    rejected.options.clear();
    MessageReport r = to_client(with_option_text(rejected, value));
    EXPECT_FALSE(r.has(FindingId::option_rejected));
    EXPECT_EQ(r.signature, SignatureStatus::unverified);
    EXPECT_THAT(ids(r), ElementsAre(FindingId::unverifiable));
}

// --- Lifetimes ---------------------------------------------------------------

TEST_F(SessionMatching, RequestIsForgottenAfterTheExchangeLifetime) {
    send_request({0xa1});
    send_request({0xa2}, 18);
    wait(246 * seconds);
    EXPECT_EQ(to_client(encode(response(code_content, 0x2001, {0xa1}))).request_frame, 1u);
    wait(2 * seconds);  // 248 s after frame 2; frame 1 was answered 2 s ago
    EXPECT_FALSE(
        to_client(encode(response(code_content, 0x2002, {0xa2}))).request_frame.has_value());
    EXPECT_EQ(to_client(encode(response(code_content, 0x2003, {0xa1}))).request_frame, 1u);
}

TEST_F(SessionMatching, ObserveRegistrationLastsADayAfterItsLastNotification) {
    CoapMessageSpec registration = get(0x1001, {0xa1});
    registration.options.push_back({option::observe, Bytes{}});
    to_server(encode(registration));
    wait(23 * 3600 * seconds);
    EXPECT_EQ(to_client(encode(response(code_content, 0x2001, {0xa1}))).request_frame, 1u);
    wait(24 * 3600 * seconds + seconds);
    EXPECT_FALSE(
        to_client(encode(response(code_content, 0x2002, {0xa1}))).request_frame.has_value());
}

}  // namespace
}  // namespace coapjws::test
