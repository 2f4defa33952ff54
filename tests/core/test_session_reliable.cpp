// The Session over CoAP's reliable transports (RFC 8323: TCP, TLS,
// WebSockets), as SPEC-NOTES "CoAP over TCP, TLS and WebSockets" settles it:
// no Message ID, so no retransmissions; 7.xx signalling is never a finding;
// requests and responses match by token and endpoints within one framing;
// the signed content (spec §3) is the same as over UDP.
#include "session_fixture.hpp"

namespace coapjws::test {
namespace {

// The UDP message `udp` in RFC 8323 §3.2 framing, built from the RFC: the
// Len/TKL byte (Len = bytes from the first option on), the extended length,
// the Code and the token; then options and payload unchanged. Type and
// Message ID are dropped.
Bytes to_tcp(const Bytes& udp) {
    const std::size_t tkl = udp[0] & 0x0fu;
    const std::size_t body = udp.size() - 4 - tkl;
    Bytes out;
    if (body < 13) {
        out.push_back(static_cast<std::uint8_t>(body << 4 | tkl));
    } else if (body < 269) {
        out.push_back(static_cast<std::uint8_t>(13u << 4 | tkl));
        out.push_back(static_cast<std::uint8_t>(body - 13));
    } else {
        EXPECT_LT(body, 65805u);
        out.push_back(static_cast<std::uint8_t>(14u << 4 | tkl));
        out.push_back(static_cast<std::uint8_t>((body - 269) >> 8));
        out.push_back(static_cast<std::uint8_t>(body - 269));
    }
    out.push_back(udp[1]);
    out.insert(out.end(), udp.begin() + 4, udp.end());
    return out;
}

// RFC 8323 §4.4: Len 0, no extended length.
Bytes to_websocket(const Bytes& udp) {
    const std::size_t tkl = udp[0] & 0x0fu;
    Bytes out{static_cast<std::uint8_t>(tkl), udp[1]};
    out.insert(out.end(), udp.begin() + 4, udp.end());
    return out;
}

class ReliableSession : public SessionScenario {
  protected:
    MessageReport over(CoapFraming framing, const Bytes& coap, const Endpoint& from,
                       const Endpoint& to) {
        Packet packet{++frame, now, from, to, coap};
        packet.framing = framing;
        return session().analyze(packet);
    }
    MessageReport tcp_to_server(const Bytes& udp_form) {
        return over(CoapFraming::tcp, to_tcp(udp_form), client, server);
    }
    MessageReport tcp_to_client(const Bytes& udp_form) {
        return over(CoapFraming::tcp, to_tcp(udp_form), server, client);
    }
};

TEST_F(ReliableSession, SignedRequestAndResponseOverTcpVerify) {
    // The signature covers Code, options and payload, not the framing: the
    // value a sender makes for the UDP form verifies in the TCP form.
    MessageReport req = tcp_to_server(signed_get(1, {0x11}, 0));
    EXPECT_EQ(req.framing, CoapFraming::tcp);
    EXPECT_EQ(req.kind, MessageKind::request);
    EXPECT_TRUE(req.coap_valid);
    EXPECT_EQ(req.message_id, 0);
    EXPECT_EQ(req.signature, SignatureStatus::valid) << names(req);
    ASSERT_TRUE(req.tid);
    EXPECT_EQ(req.tid->to_string(), "client-1:0");
    EXPECT_TRUE(req.findings.empty()) << names(req);

    MessageReport resp = tcp_to_client(signed_content(0, {0x11}, Tid{"client-1", 0}));
    EXPECT_EQ(resp.kind, MessageKind::response);
    EXPECT_EQ(resp.signature, SignatureStatus::valid) << names(resp);
    EXPECT_EQ(resp.request_frame, req.frame);
    EXPECT_TRUE(resp.findings.empty()) << names(resp);
}

TEST_F(ReliableSession, JwsOptionOffsetCountsFromTheLenByte) {
    const Bytes udp = signed_get(1, {0x11}, 0);
    const Bytes tcp = to_tcp(udp);
    MessageReport udp_report = send(udp, client, server);
    MessageReport tcp_report = over(CoapFraming::tcp, tcp, client, ep("10.0.0.9:5683"));
    ASSERT_TRUE(udp_report.jws && tcp_report.jws);
    // The UDP header is 4 bytes; the TCP one is Len/TKL, one extended-length
    // byte (the body here is 13..268 bytes) and the Code: 3 bytes.
    EXPECT_EQ(tcp_report.jws->option_offset + 1, udp_report.jws->option_offset);
    EXPECT_EQ(tcp_report.jws->option_length, udp_report.jws->option_length);
    const std::size_t at = tcp_report.jws->option_offset;
    EXPECT_EQ(Bytes(tcp.begin() + static_cast<std::ptrdiff_t>(at),
                    tcp.begin() + static_cast<std::ptrdiff_t>(at + tcp_report.jws->option_length)),
              Bytes(udp.begin() + static_cast<std::ptrdiff_t>(udp_report.jws->option_offset),
                    udp.begin() + static_cast<std::ptrdiff_t>(udp_report.jws->option_offset +
                                                              udp_report.jws->option_length)));
}

TEST_F(ReliableSession, WebSocketFramingVerifiesToo) {
    MessageReport req =
        over(CoapFraming::websocket, to_websocket(signed_get(1, {0x21}, 0)), client, server);
    EXPECT_EQ(req.framing, CoapFraming::websocket);
    EXPECT_EQ(req.signature, SignatureStatus::valid) << names(req);
    MessageReport resp =
        over(CoapFraming::websocket, to_websocket(signed_content(0, {0x21}, Tid{"client-1", 0})),
             server, client);
    EXPECT_EQ(resp.signature, SignatureStatus::valid) << names(resp);
    EXPECT_EQ(resp.request_frame, req.frame);
}

TEST_F(ReliableSession, RepeatedMessageIsAReplayNeverARetransmission) {
    // TCP retransmits below CoAP; a second identical CoAP message on the
    // connection was sent again by someone: the window judges it.
    const Bytes request = signed_get(1, {0x11}, 5);
    MessageReport first = tcp_to_server(request);
    wait(1 * seconds);
    MessageReport again = tcp_to_server(request);
    EXPECT_FALSE(again.retransmission_of);
    EXPECT_FALSE(again.has(FindingId::retransmission));
    ASSERT_TRUE(again.has(FindingId::replay)) << names(again);
    EXPECT_EQ(again.find(FindingId::replay)->related_frame, first.frame);
    EXPECT_EQ(again.replay_of, first.frame);
}

TEST_F(ReliableSession, SignallingMessagesAreNeverFindings) {
    // 7.01 CSM with Max-Message-Size 1152 (option 2, value 04 80): Len 3.
    const Bytes csm{0x30, 0xe1, 0x22, 0x04, 0x80};
    // 7.02 Ping with a token, 7.03 Pong echoing it, 7.04 Release, 7.05 Abort.
    const Bytes ping{0x01, 0xe2, 0x42};
    const Bytes pong{0x01, 0xe3, 0x42};
    const Bytes release{0x00, 0xe4};
    const Bytes abort_{0x00, 0xe5};
    for (const Bytes* m : {&csm, &ping, &pong, &release, &abort_}) {
        MessageReport r = over(CoapFraming::tcp, *m, client, server);
        EXPECT_EQ(r.kind, MessageKind::signalling);
        EXPECT_TRUE(r.coap_valid);
        EXPECT_TRUE(r.findings.empty()) << names(r);
        EXPECT_EQ(r.signature, SignatureStatus::none);
    }
    // A signalling message carrying an option numbered like the JWS option is
    // still signalling: its options have their own meaning (RFC 8323 §5.2).
    CoapMessageSpec spec;
    spec.code = 0xe1;
    spec.options.push_back({option::jws_default, bytes_of("x..y")});
    MessageReport odd = over(CoapFraming::tcp, to_tcp(encode(spec)), client, server);
    EXPECT_EQ(odd.kind, MessageKind::signalling);
    EXPECT_TRUE(odd.findings.empty()) << names(odd);
    EXPECT_FALSE(odd.jws);
    EXPECT_EQ(session().stats().jws_messages, 0u);
}

TEST_F(ReliableSession, SignallingCodesOverUdpStayMalformed) {
    MessageReport r = send(Bytes{0x40, 0xe1, 0x00, 0x01}, client, server);
    EXPECT_EQ(r.kind, MessageKind::unknown);
    EXPECT_TRUE(r.has(FindingId::malformed)) << names(r);
}

TEST_F(ReliableSession, ReservedClassesAreMalformed) {
    MessageReport r = over(CoapFraming::tcp, Bytes{0x00, 0xc1}, client, server);  // 6.01
    EXPECT_EQ(r.kind, MessageKind::unknown);
    EXPECT_TRUE(r.has(FindingId::malformed)) << names(r);
    MessageReport r1 = over(CoapFraming::tcp, Bytes{0x00, 0x21}, client, server);  // 1.01
    EXPECT_TRUE(r1.has(FindingId::malformed)) << names(r1);
}

TEST_F(ReliableSession, EmptyMessageIsNoFinding) {
    MessageReport r = over(CoapFraming::tcp, Bytes{0x00, 0x00}, client, server);
    EXPECT_EQ(r.kind, MessageKind::empty);
    EXPECT_TRUE(r.findings.empty()) << names(r);
    // 0.00 with a token is a format error, as over UDP.
    MessageReport bad = over(CoapFraming::tcp, Bytes{0x01, 0x00, 0xab}, client, server);
    EXPECT_EQ(bad.kind, MessageKind::empty);
    EXPECT_TRUE(bad.has(FindingId::malformed)) << names(bad);
}

TEST_F(ReliableSession, BadFramingIsMalformedWithTheCodeShown) {
    // A signed GET whose Len claims one byte more than is there.
    Bytes tcp = to_tcp(signed_get(1, {0x11}, 0));
    tcp[1] = static_cast<std::uint8_t>(tcp[1] + 1);  // the 8-bit extended length
    MessageReport r = over(CoapFraming::tcp, tcp, client, server);
    EXPECT_FALSE(r.coap_valid);
    EXPECT_EQ(r.kind, MessageKind::request);  // the Code was readable
    EXPECT_EQ(r.code, 0x01);
    EXPECT_TRUE(r.has(FindingId::malformed)) << names(r);
    EXPECT_EQ(r.signature, SignatureStatus::none);
    EXPECT_FALSE(r.tid);
    // Cut before the Code: kind unknown.
    MessageReport cut = over(CoapFraming::tcp, Bytes{0xd0}, client, server);
    EXPECT_EQ(cut.kind, MessageKind::unknown);
    EXPECT_TRUE(cut.has(FindingId::malformed)) << names(cut);
}

TEST_F(ReliableSession, ResponseOverAnotherFramingDoesNotMatch) {
    // A UDP request and a TCP message on the same ports with the same token
    // belong to different exchanges: a TCP response answers TCP requests.
    send(signed_get(1, {0x11}, 0), client, server);
    MessageReport resp = tcp_to_client(signed_content(0, {0x11}, Tid{"client-1", 0}));
    EXPECT_FALSE(resp.request_frame);
    EXPECT_TRUE(resp.has(FindingId::unverifiable)) << names(resp);
    EXPECT_EQ(resp.signature, SignatureStatus::unverified);
}

TEST_F(ReliableSession, UnprotectedResponseAndStrippedAsOverUdp) {
    MessageReport req = tcp_to_server(signed_get(1, {0x11}, 0));
    MessageReport resp = tcp_to_client(encode(response(code_content, 0, {0x11})));
    ASSERT_TRUE(resp.has(FindingId::unprotected_response)) << names(resp);
    EXPECT_EQ(resp.find(FindingId::unprotected_response)->related_frame, req.frame);

    MessageReport bare = tcp_to_server(encode(get(0, {0x12})));
    ASSERT_TRUE(bare.has(FindingId::stripped)) << names(bare);
    EXPECT_EQ(bare.find(FindingId::stripped)->related_frame, req.frame);
}

TEST_F(ReliableSession, OptionRejectedAsOverUdp) {
    // A server that does not implement the critical option answers 4.02 and
    // echoes it (libcoap does, over TCP too).
    const Bytes request = signed_get(1, {0x11}, 0);
    MessageReport req = tcp_to_server(request);
    Result<CoapMessage> parsed = parse_coap(request);
    ASSERT_TRUE(parsed.has_value());
    CoapMessageSpec echo;
    echo.code = code_bad_option;
    echo.token = {0x11};
    ByteView value = parsed->find_option(option::jws_default)->value;
    echo.options.push_back({option::jws_default, Bytes(value.begin(), value.end())});
    MessageReport resp = tcp_to_client(encode(echo));
    ASSERT_TRUE(resp.has(FindingId::option_rejected)) << names(resp);
    EXPECT_EQ(resp.find(FindingId::option_rejected)->related_frame, req.frame);
    EXPECT_EQ(resp.signature, SignatureStatus::none);
}

TEST_F(ReliableSession, OneReplayWindowPerReceiverWhateverTheTransport) {
    // The window belongs to the receiver endpoint (spec §5); a request signed
    // for it and replayed over another transport to the same address and
    // port is the same TID arriving twice.
    const Bytes request = signed_get(1, {0x11}, 3);
    MessageReport first = send(request, client, server);
    EXPECT_EQ(first.signature, SignatureStatus::valid);
    MessageReport over_tcp = tcp_to_server(request);
    ASSERT_TRUE(over_tcp.has(FindingId::replay)) << names(over_tcp);
    EXPECT_EQ(over_tcp.find(FindingId::replay)->related_frame, first.frame);
}

}  // namespace
}  // namespace coapjws::test
